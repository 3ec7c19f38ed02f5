//! Trade-off curves: best-of-N (N = 1..N_max, exact laws) against the aligned family, the
//! KL-constrained optimum `T(q, p^m, alpha)` of 003's Lemma 1, at the same KL. For each N:
//! `KL(pi_N || p)`, the expected reward and the win rate of best-of-N; the tilt whose KL equals
//! best-of-N's (alpha bracketed against the enclosed KL), its expected reward and win rate; and
//! the continuous optimum `W*` of 000's Conjecture 7.2 at that KL.
//!
//! The tilt is over the m-letter reward classes of the case's law (the optimum over sequences,
//! whatever the reward), so both policies are compared on the same outcomes.

use rayon::prelude::*;
use rug::{Integer, Rational};

use crate::enclosure::{Interval, PrecisionPolicy};
use crate::error::{InputError, Result};
use crate::law::functionals::{kl_to_reference, level_masses, win_rate};
use crate::law::{ExactLaw, Route};
use crate::model::Case;
use crate::tilt::optimum::{
    bracket_increasing, solve_alpha_for, AlphaBracket, AlphaSolution, Budget, RewardAtoms,
    RootBracket,
};

/// Bits to which alpha and lambda are bracketed.
const GOAL_BITS: u32 = 60;

/// `W*(lambda)` of the continuous optimum, for `lambda > 0`: `-1/expm1(-lambda) - 1/lambda`.
pub fn w_star(lambda: &Rational, prec: u32) -> Interval {
    let l = Interval::from_rational(lambda, prec);
    let one = Interval::from_rational(&Rational::from(1), prec);
    let first = one.div(&l.neg().exp_m1()).expect("lambda > 0").neg();
    first.sub(&one.div(&l).expect("lambda > 0"))
}

/// `KL*(lambda)` of the continuous optimum, for `lambda > 0`:
/// `ln lambda - ln expm1(lambda) + lambda W*(lambda)`.
pub fn kl_star(lambda: &Rational, prec: u32) -> Interval {
    let l = Interval::from_rational(lambda, prec);
    l.ln()
        .expect("lambda > 0")
        .sub(&l.exp_m1().ln().expect("expm1(lambda) > 0"))
        .add(&l.mul(&w_star(lambda, prec)))
}

/// Brackets the `lambda` whose `KL*` is `kl` (`KL*` increases from 0 at `0+`); `Err` names the
/// comparison that stayed undecided and its precision.
pub fn lambda_bracket(
    kl: impl Fn(u32) -> Interval,
    policy: PrecisionPolicy,
) -> std::result::Result<RootBracket, (String, u32)> {
    let zero = Interval::from_rational(&Rational::new(), policy.start);
    bracket_increasing(kl_star, kl, (Rational::new(), zero), policy, GOAL_BITS)
}

/// `W*` over a bracket of lambda: `W*` increases with lambda (from 1/2 at `0+`), so it lies
/// between its values at the ends.
pub fn w_star_over(bracket: &RootBracket, prec: u32) -> Interval {
    let low = if bracket.lo.cmp0().is_eq() {
        Interval::from_rational(&Rational::from((1, 2)), prec)
    } else {
        w_star(&bracket.lo, prec)
    };
    low.hull(&w_star(&bracket.hi, prec))
}

/// The tilt matched to one best-of-N point.
#[derive(Debug, Clone)]
pub struct MatchedTilt {
    /// The exponent whose tilt has best-of-N's KL.
    pub alpha: AlphaBracket,
    /// `E_T[r]`.
    pub reward: Interval,
    /// Win rate of `Y ~ T` against `Z ~ p`, ties half.
    pub win_rate: Interval,
}

#[derive(Debug, Clone)]
/// Best-of-N at one N against the tilt at the same KL.
pub struct TradeoffRow {
    /// The number of draws N.
    pub n: u64,
    /// `KL(pi_N || p)`.
    pub kl: Interval,
    /// `E_{pi_N}[r]`.
    pub reward_bon: Interval,
    /// Win rate of best-of-N, ties half (exact).
    pub win_rate_bon: Rational,
    /// `None` at N = 1 (KL 0: the tilt is p itself, alpha = 0) or when no finite alpha
    /// matches (reported in `note`).
    pub tilt: Option<MatchedTilt>,
    /// `W*` of the continuous optimum at best-of-N's KL (`None` when undecided).
    pub w_star: Option<Interval>,
    /// Why the tilt is missing, when it is.
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
/// The trade-off curves for N = 1..N_max.
pub struct Tradeoff {
    /// `E_p[r]`, the reward at KL 0.
    pub reward_reference: Interval,
    /// One row per N.
    pub rows: Vec<TradeoffRow>,
    /// The working precision.
    pub prec: u32,
}

/// The largest N_max accepted: one exact law per N, so the work grows as N_max^2 (measured on
/// 2 cores, K = 3, m = 1: N_max = 2000 takes about 18 s, so 10,000 about 8 minutes).
pub const MAX_N: u64 = 10_000;

/// Tenths of a microsecond per reward class and per N_max^2, measured on 2 cores (release
/// build): K = 3 with m = 1, 10, 30, 60 (3 to 1891 classes, N_max 256 to 2000) all gave
/// 1.6-1.7 microseconds.
const TENTH_MICROSECONDS_PER_CLASS_N2: u128 = 17;

/// Estimated seconds for `n_max` on a case whose law has at most `classes` reward classes
/// (the outcome count of its route bounds them), for the warning the command prints before
/// a long run.
pub fn estimated_seconds(n_max: u64, classes: u64) -> u64 {
    let tenths = u128::from(classes.max(1))
        * u128::from(n_max)
        * u128::from(n_max)
        * TENTH_MICROSECONDS_PER_CLASS_N2;
    u64::try_from(tenths / 10_000_000).unwrap_or(u64::MAX)
}

/// The outcome count of `case` on `route`: a bound on its reward classes, for the estimate.
pub fn class_bound(case: &Case, route: Route) -> u64 {
    route.outcome_count(case).unwrap_or(u64::MAX)
}

/// The curves for N = 1..=n_max on `case` (its own N is ignored).
pub fn tradeoff(
    case: &Case,
    route: Route,
    n_max: u64,
    policy: PrecisionPolicy,
    prec: u32,
    progress: &(dyn Fn() + Sync),
) -> Result<Tradeoff> {
    if !(1..=MAX_N).contains(&n_max) {
        return Err(InputError::new(format!(
            "n-max: must lie in 1..={MAX_N} (one exact law per N, work growing as N_max^2: \
             N_max = {n_max} would take about {} min on 2 cores), got {n_max}",
            estimated_seconds(n_max, 3) / 60
        )));
    }
    let with_n = |n: u64| Case::new(case.source.clone(), case.reward.clone(), n, case.tie_break);
    // Size check once, at the largest N (the others are smaller).
    let last = ExactLaw::compute(&with_n(n_max)?, route)?;
    let atoms = RewardAtoms::of_classes(&last, case);
    let top = atoms.top_reward(prec);
    let reward_of = |weights: &[Interval]| {
        weights.iter().enumerate().fold(top.clone(), |acc, (k, w)| {
            acc.add(&w.mul(&atoms.gap(k, prec)))
        })
    };
    let reference: Vec<Interval> = atoms
        .mass
        .iter()
        .map(|m| Interval::from_rational(m, prec))
        .collect();
    let reward_reference = reward_of(&reference);
    // Win-rate weights per class: (mass strictly below its level + half its level) / D.
    let (level_mass, below) = level_masses(&last);
    let twice_d = Integer::from(last.denominator() * 2u32);
    let class_weight: Vec<Interval> = last
        .reward_level()
        .iter()
        .map(|&g| {
            let twice = Integer::from(&below[g] * 2u32) + &level_mass[g];
            Interval::from_rational(&Rational::from((twice, &twice_d)), prec)
        })
        .collect();
    let one_row = |n: u64| -> Result<TradeoffRow> {
        let law = if n == n_max {
            last.clone()
        } else {
            ExactLaw::compute(&with_n(n)?, route)?
        };
        let pi: Vec<Interval> = law
            .class_delta()
            .iter()
            .map(|d| {
                Interval::from_integer(d, prec + 16)
                    .div(&Interval::from_integer(law.denominator_pow_n(), prec + 16))
                    .expect("D^N > 0")
                    .with_prec(prec)
            })
            .collect();
        let kl = kl_to_reference(&law, prec);
        let spend = |p: u32| kl_to_reference(&law, p);
        let mut note = None;
        let degenerate = n == 1 || law.support_class_count() == 1;
        let w_star = if degenerate {
            Some(Interval::from_rational(&Rational::from((1, 2)), prec))
        } else {
            match lambda_bracket(spend, policy) {
                Ok(lambda) => Some(w_star_over(&lambda, prec)),
                Err((reason, _)) => {
                    note = Some(format!("W*: {reason}"));
                    None
                }
            }
        };
        let tilt = if degenerate {
            None
        } else {
            match solve_alpha_for(&atoms, Budget::Enclosed(&spend), policy, GOAL_BITS) {
                AlphaSolution::Bracket(alpha) => {
                    let point = atoms.at(&alpha.interval(prec), prec);
                    let win = point.phi.iter().zip(&class_weight).fold(
                        Interval::from_rational(&Rational::new(), prec),
                        |acc, (t, w)| acc.add(&t.mul(w)),
                    );
                    Some(MatchedTilt {
                        alpha,
                        reward: top.add(&point.mean_gap),
                        win_rate: win,
                    })
                }
                AlphaSolution::NoFiniteAlpha { sup, .. } => {
                    note = Some(format!(
                        "no finite alpha: KL(pi_N || p) >= log(1/p(top)) = {sup}"
                    ));
                    None
                }
                AlphaSolution::Undecided { reason, .. } => {
                    note = Some(format!("alpha undecided: {reason}"));
                    None
                }
                AlphaSolution::Zero => None,
            }
        };
        progress();
        Ok(TradeoffRow {
            n,
            kl,
            reward_bon: reward_of(&pi),
            win_rate_bon: win_rate(&law).ties_half,
            tilt,
            w_star,
            note,
        })
    };
    let rows = (1..=n_max)
        .into_par_iter()
        .map(one_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Tradeoff {
        reward_reference,
        rows,
        prec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuous_best_of_n_lies_on_or_below_the_curve() {
        // Continuous best-of-N: W = N/(N+1), KL = ln N - (N-1)/N. At lambda = 2:
        // W* = 1/(1 - e^-2) - 1/2 = 0.65651764274966..., KL* = ln(2/(e^2 - 1)) + 2 W*
        // = 0.13021189...; closed forms evaluated independently with e^2 = 7.38905609893065.
        let w = w_star(&Rational::from(2), 128);
        let expected_w = 1.0 / (1.0 - (-2.0f64).exp()) - 0.5;
        assert!((w.lo().to_f64() - expected_w).abs() < 1e-15, "{w}");
        let k = kl_star(&Rational::from(2), 128);
        let expected_k = (2.0 / (7.38905609893065f64 - 1.0)).ln() + 2.0 * expected_w;
        assert!((k.lo().to_f64() - expected_k).abs() < 1e-13, "{k}");
        // Small lambda: W* = 1/2 + lambda/12 - lambda^3/720 + O(lambda^5), KL* ~ lambda^2/24
        // (series), no cancellation loss at 256 bits.
        let tiny = Rational::from((1, 1000));
        let w = w_star(&tiny, 256);
        let series = 0.5 + 1e-3 / 12.0 - 1e-9 / 720.0;
        assert!((w.lo().to_f64() - series).abs() < 1e-16, "{w}");
        let k = kl_star(&tiny, 256);
        assert!((k.lo().to_f64() / (1e-6 / 24.0) - 1.0).abs() < 1e-3, "{k}");
    }
}
