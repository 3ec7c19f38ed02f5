//! KL and win rate of the exact law against independent computations: closed forms evaluated
//! through a different expression, and a brute-force double sum over (Y, Z) pairs.

use std::cmp::Ordering;

use bestofn::enclosure::{decide, Decision, Interval, PrecisionPolicy};
use bestofn::law::functionals::{kl_to_reference, win_rate};
use bestofn::law::{ExactLaw, LawTable, Outcome, Route};
use rug::{Integer, Rational};

use crate::common::{case, random_small_case, Rng};

#[test]
fn kl_of_binary_uniform_is_log_2_minus_binary_entropy() {
    // pi = (x, 1-x) with x = 2^-N against p = (1/2, 1/2): KL = ln 2 - h(x),
    // h(x) = -x ln x - (1-x) ln(1-x). Evaluated here term by term from the closed form.
    for n in 1..=10u32 {
        let c = case("1/2,1/2", "additive:0,1", 1, n as u64, "uniform");
        let kl = kl_to_reference(&ExactLaw::compute(&c, Route::Type).unwrap(), 128);
        let x = Rational::from((1, Integer::from(Integer::u_pow_u(2, n))));
        let one_minus_x = Rational::from(1) - &x;
        let prec = 200;
        let entropy = Interval::from_rational(&x, prec)
            .mul(&Interval::ln_of(&x, prec).unwrap())
            .add(
                &Interval::from_rational(&one_minus_x, prec)
                    .mul(&Interval::ln_of(&one_minus_x, prec).unwrap()),
            )
            .neg();
        let closed = Interval::ln_of(&Rational::from(2), prec)
            .unwrap()
            .sub(&entropy);
        assert_eq!(
            kl.certified_cmp(&closed),
            None,
            "N = {n}: {kl} vs {closed} must overlap"
        );
        assert!(
            kl.width() < Rational::from((1, Integer::from(1) << 100u32)),
            "N = {n}: {kl}"
        );
    }
}

#[test]
fn kl_is_certified_below_log_n_on_example2() {
    // Lemma 6 of 003 on its own Example 2: KL(pi_N || p^m) <= log N.
    let c = case("1/5,3/10,1/2", "log:6,1,2", 2, 2, "uniform");
    let law = ExactLaw::compute(&c, Route::Type).unwrap();
    let out = decide(PrecisionPolicy::default(), |prec| {
        (
            kl_to_reference(&law, prec),
            Interval::ln_of(&Rational::from(2), prec).unwrap(),
        )
    });
    assert_eq!(out.decision, Decision::Less);
    assert_eq!(out.prec, 64);
}

#[test]
fn win_rate_matches_a_double_sum_over_pairs() {
    let mut rng = Rng::new(11);
    for trial in 0..40 {
        let tie = rng.pick(&["uniform", "lex-min", "lex-max"]);
        let (c, flags) = random_small_case(&mut rng, tie);
        let law = ExactLaw::compute(&c, Route::Sequence).unwrap();
        let table = LawTable::from_exact(&law, c.k(), c.m());
        let mut ties_half = Rational::new();
        let mut strict = Rational::new();
        for (y, pi_y) in table.outcomes.iter().zip(&table.pi) {
            for (z, p_z) in table.outcomes.iter().zip(&table.p) {
                let (Outcome::Sequence(y), Outcome::Sequence(z)) = (y, z) else {
                    unreachable!()
                };
                let ry: Rational = c.reward.key_of_sequence(y);
                let rz: Rational = c.reward.key_of_sequence(z);
                let joint = Rational::from(pi_y * p_z);
                if ry > rz {
                    strict += &joint;
                    ties_half += &joint;
                } else if ry == rz {
                    ties_half += joint / 2u32;
                }
            }
        }
        let w = win_rate(&law);
        assert_eq!(w.ties_half, ties_half, "trial {trial}: {flags}");
        assert_eq!(w.strict, strict, "trial {trial}: {flags}");
        if tie == "uniform" {
            let by_type = win_rate(&ExactLaw::compute(&c, Route::Type).unwrap());
            assert_eq!(by_type, w, "trial {trial}: {flags}");
        }
    }
}

#[test]
fn kl_by_type_and_by_sequence_enclose_the_same_value() {
    let mut rng = Rng::new(5);
    for trial in 0..20 {
        let (c, flags) = random_small_case(&mut rng, "uniform");
        let a = kl_to_reference(&ExactLaw::compute(&c, Route::Type).unwrap(), 96);
        let b = kl_to_reference(&ExactLaw::compute(&c, Route::Sequence).unwrap(), 96);
        // Overlapping, or the same exact point: never separated.
        let separated = matches!(
            a.certified_cmp(&b),
            Some(Ordering::Less | Ordering::Greater)
        );
        assert!(!separated, "trial {trial}: {flags}: {a} vs {b}");
    }
}
