//! The law computed four ways must agree exactly: the fast shared-denominator engine by type
//! and by sequence, the plain rational formula in rug and in num-rational, and the brute force
//! over every N-tuple of draws. Cases are generated from a fixed seed.

use bestofn::law::{brute, reference, ExactLaw, LawTable, Route};
use num_rational::BigRational;
use rug::Rational;

use crate::common::{case, random_small_case, Rng};

fn fast(c: &bestofn::model::Case, route: Route) -> LawTable {
    LawTable::from_exact(&ExactLaw::compute(c, route).unwrap(), c.k(), c.m())
}

fn assert_same_law(a: &LawTable, b: &LawTable, what: &str) {
    assert_eq!(a.outcomes, b.outcomes, "{what}: outcomes");
    assert_eq!(a.p, b.p, "{what}: p");
    assert_eq!(a.pi, b.pi, "{what}: pi");
}

#[test]
fn symmetric_rewards_uniform_ties_all_routes_agree() {
    let mut rng = Rng::new(2026);
    for trial in 0..60 {
        let (c, flags) = random_small_case(&mut rng, "uniform");
        let what = format!("trial {trial}: {flags}");
        let by_sequence = fast(&c, Route::Sequence);
        assert_same_law(
            &by_sequence,
            &reference::compute::<Rational>(&c, Route::Sequence).unwrap(),
            &what,
        );
        assert_same_law(
            &by_sequence,
            &reference::compute::<BigRational>(&c, Route::Sequence).unwrap(),
            &what,
        );
        assert_same_law(
            &by_sequence,
            &brute::compute::<BigRational>(&c).unwrap(),
            &what,
        );
        let by_type = fast(&c, Route::Type);
        assert_same_law(
            &by_type,
            &reference::compute::<BigRational>(&c, Route::Type).unwrap(),
            &what,
        );
        assert_eq!(by_type.total(), 1, "{what}");
        // Each type's pi is the sum of its sequences' pi.
        for (outcome, pi) in by_type.outcomes.iter().zip(&by_type.pi) {
            let bestofn::law::Outcome::Type { counts, .. } = outcome else {
                unreachable!()
            };
            assert_eq!(
                by_sequence.pi_of_type(counts).as_ref(),
                Some(pi),
                "{what}: type {counts:?}"
            );
        }
    }
}

#[test]
fn lex_tie_breaks_and_scores_agree_with_brute_force() {
    let mut rng = Rng::new(7);
    for trial in 0..40 {
        let tie = rng.pick(&["lex-min", "lex-max", "uniform"]);
        let (c, flags) = random_small_case(&mut rng, tie);
        let what = format!("trial {trial}: {flags}");
        let by_sequence = fast(&c, Route::Sequence);
        assert_same_law(
            &by_sequence,
            &brute::compute::<Rational>(&c).unwrap(),
            &what,
        );
        assert_same_law(
            &by_sequence,
            &reference::compute::<BigRational>(&c, Route::Sequence).unwrap(),
            &what,
        );
    }
}

#[test]
fn asymmetric_scores_agree_with_brute_force() {
    let c = case(
        "1/3,2/3",
        "scores:cases/asymmetric-scores.txt",
        2,
        3,
        "uniform",
    );
    let by_sequence = fast(&c, Route::Sequence);
    assert_same_law(
        &by_sequence,
        &brute::compute::<BigRational>(&c).unwrap(),
        "scores",
    );
    assert!(
        ExactLaw::compute(&c, Route::Type).is_err(),
        "scores have no law by type"
    );
}
