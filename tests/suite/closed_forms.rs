//! The law against closed forms derived by hand.

use bestofn::law::{ExactLaw, LawTable, Route};
use rug::{Integer, Rational};

use crate::common::{case, q};

fn law(c: &bestofn::model::Case, route: Route) -> LawTable {
    LawTable::from_exact(&ExactLaw::compute(c, route).unwrap(), c.k(), c.m())
}

#[test]
fn binary_uniform_reference_returns_zero_only_if_all_draws_are_zero() {
    for n in 1..=10u32 {
        let c = case("1/2,1/2", "additive:0,1", 1, n as u64, "uniform");
        let t = law(&c, Route::Sequence);
        let two_pow = Integer::from(Integer::u_pow_u(2, n));
        assert_eq!(t.pi[0], Rational::from((1, two_pow.clone())), "N = {n}");
        assert_eq!(
            t.pi[1],
            Rational::from((two_pow.clone() - 1u32, two_pow)),
            "N = {n}"
        );
    }
}

#[test]
fn constant_reward_leaves_p_unchanged_under_uniform_ties() {
    for n in [1, 2, 5, 17] {
        let c = case("1/5,3/10,1/2", "log:3,3,3", 3, n, "uniform");
        for route in [Route::Type, Route::Sequence] {
            let t = law(&c, route);
            assert_eq!(t.pi, t.p, "N = {n}, {route:?}");
        }
    }
}

#[test]
fn constant_reward_with_lex_min_returns_the_smallest_draw() {
    // m = 1, all tied: the winner is the smallest letter drawn, so
    // pi(y) = P(Y >= y)^N - P(Y > y)^N.
    let p = [q("1/5"), q("3/10"), q("1/2")];
    for n in 1..=6u32 {
        let c = case("1/5,3/10,1/2", "additive:0,0,0", 1, n as u64, "lex-min");
        let t = law(&c, Route::Sequence);
        for y in 0..3 {
            let at_least: Rational = p[y..].iter().sum();
            let above: Rational = p[y + 1..].iter().sum();
            use rug::ops::Pow;
            let expected =
                Rational::from(Pow::pow(&at_least, n)) - Rational::from(Pow::pow(&above, n));
            assert_eq!(t.pi[y], expected, "N = {n}, y = {y}");
        }
    }
}

#[test]
fn zero_probability_letters_get_zero() {
    let c = case("0,1/2,1/2", "additive:5,1,0", 2, 3, "uniform");
    let t = law(&c, Route::Sequence);
    for (outcome, pi) in t.outcomes.iter().zip(&t.pi) {
        if let bestofn::law::Outcome::Sequence(s) = outcome {
            if s.contains(&0) {
                assert_eq!(*pi, 0, "{s:?}");
            }
        }
    }
    assert_eq!(t.total(), 1);
    // Remaining: letters 1 (reward 1) and 2 (reward 0) each 1/2 per position; the best
    // sequence (1,1) has mass 1/4, so pi(1,1) = 1 - (3/4)^3 = 37/64.
    assert_eq!(t.pi_of_sequence(&[1, 1]), Some(q("37/64")));
}

#[test]
fn workload_w1_law_sums_to_one_and_top_type_matches_closed_form() {
    // Top type (30,0,0) is alone in the top class with p = (1/5)^30, and everything else is
    // below it, so pi = 1 - (1 - (1/5)^30)^1000.
    let c = case("1/5,3/10,1/2", "log:6,1,2", 30, 1000, "uniform");
    let exact = ExactLaw::compute(&c, Route::Type).unwrap();
    assert!(exact.total_is_one());
    assert_eq!(exact.classes().len(), 496);
    let top = exact
        .outcomes()
        .iter()
        .position(
            |o| matches!(o, bestofn::law::Outcome::Type { counts, .. } if counts == &[30, 0, 0]),
        )
        .unwrap();
    use rug::ops::Pow;
    let p_top = Rational::from(Pow::pow(&q("1/5"), 30u32));
    let expected =
        Rational::from(1) - Rational::from(Pow::pow(&(Rational::from(1) - &p_top), 1000u32));
    assert_eq!(exact.pi(top), expected);
}
