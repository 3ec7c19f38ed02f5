//! Functionals of the exact law: the win rate against the reference (an exact rational) and
//! `KL(pi_N || p)` (a rigorous enclosure).
//!
//! Both use the shared-denominator form of [`ExactLaw`]: within a rank class `k` every outcome
//! has the same likelihood ratio `pi(o)/p(o) = Delta_k / (A_k D^(N-1))`, so KL needs one
//! logarithm per class, and the win rate is an integer sum over classes.

use rug::{Integer, Rational};

use crate::enclosure::Interval;
use crate::law::ExactLaw;

/// The win rate of best-of-N against a fresh reference draw, `Y ~ pi_N`, `Z ~ p` independent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WinRate {
    /// `P(r(Y) > r(Z)) + 1/2 P(r(Y) = r(Z))`: ties count half.
    pub ties_half: Rational,
    /// `P(r(Y) > r(Z))`: ties count as losses.
    pub strict: Rational,
}

/// Per reward level (lowest first), its reference mass and the mass strictly below it, as
/// integers over `D`: what a draw at that level beats, and what it ties with.
pub fn level_masses(law: &ExactLaw) -> (Vec<Integer>, Vec<Integer>) {
    let levels = law.reward_level().last().map_or(0, |&l| l + 1);
    let mut level_mass = vec![Integer::new(); levels];
    for (k, mass) in law.class_mass().iter().enumerate() {
        level_mass[law.reward_level()[k]] += mass;
    }
    let mut below = Vec::with_capacity(levels);
    let mut running = Integer::new();
    for mass in &level_mass {
        below.push(running.clone());
        running += mass;
    }
    (level_mass, below)
}

/// Exact win rates. Ties are reward ties (a lex tie-break changes which outcome best-of-N
/// returns, not whether two outcomes tie in reward).
pub fn win_rate(law: &ExactLaw) -> WinRate {
    let (level_mass, below) = level_masses(law);
    // W = sum_k pi(C_k) * (B_g + M_g / 2) / D with pi(C_k) = Delta_k / D^N.
    let mut twice_half = Integer::new();
    let mut strict = Integer::new();
    for (k, delta) in law.class_delta().iter().enumerate() {
        let g = law.reward_level()[k];
        strict += Integer::from(delta * &below[g]);
        twice_half += delta * (Integer::from(&below[g] * 2u32) + &level_mass[g]);
    }
    let scale = Integer::from(law.denominator_pow_n() * law.denominator());
    WinRate {
        ties_half: Rational::from((twice_half, Integer::from(&scale * 2u32))),
        strict: Rational::from((strict, scale)),
    }
}

/// An enclosure of `KL(pi_N || p) = sum_o pi(o) ln(pi(o)/p(o))` at `prec` bits.
pub fn kl_to_reference(law: &ExactLaw, prec: u32) -> Interval {
    // Work a few bits above the target so the sum of many rounded terms stays tight.
    let work = prec + 16;
    let d_pow_n = Interval::from_integer(law.denominator_pow_n(), work);
    let d_pow_n_minus_1 = Integer::from(law.denominator_pow_n() / law.denominator());
    let mut total = Interval::from_integer(&Integer::new(), work);
    for (delta, mass) in law.class_delta().iter().zip(law.class_mass()) {
        if delta.cmp0().is_eq() {
            continue; // pi(C_k) = 0 contributes 0 (0 ln 0 = 0)
        }
        let class_pi = Interval::from_integer(delta, work)
            .div(&d_pow_n)
            .expect("D^N > 0");
        // ln(Delta_k / (A_k D^(N-1))): divide the enclosures first (relative error only), so no
        // gcd of the huge exact ratio is ever taken and no cancellation of two big logs occurs.
        let ratio = Interval::from_integer(delta, work)
            .div(&Interval::from_integer(
                &Integer::from(mass * &d_pow_n_minus_1),
                work,
            ))
            .expect("A_k D^(N-1) > 0");
        let log_ratio = ratio.ln().expect("pi > 0 implies a positive ratio");
        total = total.add(&class_pi.mul(&log_ratio));
    }
    total.with_prec(prec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::CaseSpec;

    fn law(p: &str, reward: &str, m: u32, n: u64, tie: &str) -> ExactLaw {
        let spec = CaseSpec {
            p: Some(p.into()),
            reward: Some(reward.into()),
            m: Some(m),
            n: Some(n),
            tie_break: Some(tie.into()),
            ..Default::default()
        };
        let (case, route) = spec.resolve().unwrap();
        ExactLaw::compute(&case, route).unwrap()
    }

    #[test]
    fn binary_uniform_win_rate_closed_form() {
        // W = 3/4 - 2^-(N+1); strict: P(Y=1, Z=0) = (1 - 2^-N)/2.
        for n in 1..=10u32 {
            let w = win_rate(&law("1/2,1/2", "additive:0,1", 1, n as u64, "uniform"));
            let two_n = Integer::from(Integer::u_pow_u(2, n));
            let expected =
                Rational::from((3, 4)) - Rational::from((1, Integer::from(&two_n * 2u32)));
            assert_eq!(w.ties_half, expected, "N = {n}");
            let strict = (Rational::from(1) - Rational::from((1, two_n))) / 2u32;
            assert_eq!(w.strict, strict, "N = {n}");
        }
    }

    #[test]
    fn lex_tie_break_keeps_reward_ties_for_the_win_rate() {
        // All rewards equal: every comparison is a tie, whatever best-of-N returns.
        let w = win_rate(&law("1/5,3/10,1/2", "additive:1,1,1", 2, 3, "lex-min"));
        assert_eq!(w.ties_half, Rational::from((1, 2)));
        assert_eq!(w.strict, Rational::new());
    }

    #[test]
    fn kl_of_an_unchanged_law_is_exactly_zero() {
        let kl = kl_to_reference(&law("1/5,3/10,1/2", "log:2,2,2", 2, 5, "uniform"), 64);
        assert!(kl.contains(&Rational::new()));
        assert_eq!(kl.width(), 0);
    }
}
