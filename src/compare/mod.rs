//! Float against exact: runs the float pipelines of [`crate::float`] on a case and judges them
//! against the exact law and certified enclosures.
//!
//! Every error is an exact difference: a finite float is a dyadic rational, so against a
//! rational exact value (`pi`, the win rate, an additive reward) the error is a rational, and
//! against a value with logarithms (KL, `ln w` rewards, tilts) it is an enclosure of
//! `|float - exact|` whose precision is raised until its relative width is below 2^-20 (or
//! the cap is reached). Floats are never subtracted from floats here.
//!
//! Qualitative failures are named: lost ties (tied exactly, not in floats), invented ties
//! (tied in floats, not exactly), non-finite values (0, infinities or NaN where the exact value
//! is a positive finite number, or infinities/NaN where it is finite), and wrong verdicts (a
//! claim that the float comparisons decide differently from the certified verdict).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

mod judge;
mod judged;
pub mod statements;

use rug::{Float, Rational};

use crate::claims::support::{kl, kl_formula, top_reward_mass};
use crate::claims::{self, ClaimResult, Context};
use crate::enclosure::{Interval, PrecisionPolicy};
use crate::error::{InputError, Result};
use crate::float::pipeline::TiltInputs;
use crate::float::{self, Arith, FloatOut, FloatRun, FloatValue};
use crate::law::exact::Ranked;
use crate::law::functionals::win_rate;
use crate::law::{ExactLaw, Outcome, Route};
use crate::model::{Case, Reward};
use crate::tilt::TiltParams;

/// Most sequences `compare` enumerates (each arithmetic walks all of them).
pub const MAX_COMPARE_SEQUENCES: u64 = 1 << 16;

/// Relative width below which an error enclosure is considered known.
const ERROR_RELATIVE_WIDTH_BITS: u32 = 20;

/// An exact value to compare a float with: a rational, or a real known by enclosures.
enum ExactValue<'a> {
    Rational(Rational),
    Enclosed(Box<dyn Fn(u32) -> Interval + 'a>),
}

impl ExactValue<'_> {
    fn enclose(&self, prec: u32) -> Interval {
        match self {
            ExactValue::Rational(r) => Interval::from_rational(r, prec),
            ExactValue::Enclosed(f) => f(prec),
        }
    }

    fn is_positive(&self) -> bool {
        match self {
            ExactValue::Rational(r) => r.cmp0().is_gt(),
            ExactValue::Enclosed(f) => {
                let lo = f(128).lo().clone();
                lo.is_sign_positive() && !lo.is_zero()
            }
        }
    }

    /// The exact value for a report: `a/b`, or an enclosure with 20 digits.
    fn describe(&self) -> ExactDescription {
        match self {
            ExactValue::Rational(r) => ExactDescription::Rational(r.clone()),
            ExactValue::Enclosed(f) => {
                let (lo, hi) = f(128).decimal_ends(Some(20));
                ExactDescription::Enclosure { lo, hi }
            }
        }
    }
}

pub use judged::*;

/// The exact side of a comparison: the law by sequence, the certified verdicts, and what the
/// float runs are judged against. Computed once, compared with any number of arithmetics.
pub struct ExactSide {
    /// The case.
    pub case: Case,
    /// Its tilt parameters.
    pub tilt: TiltParams,
    tilt_inputs: Option<TiltInputs>,
    /// Every sequence, in the order the float pipeline sees them.
    pub sequences: Vec<Vec<u32>>,
    law: ExactLaw,
    /// Exact reward level of each sequence (equal levels tie exactly).
    level: Vec<usize>,
    /// Exact reward key of each sequence (the sum, `prod w`, or the score).
    key: Vec<Rational>,
    /// The catalogue verdicts certified on the case.
    pub certified: Vec<ClaimResult>,
    /// The precision ladder used.
    pub policy: PrecisionPolicy,
}

/// The claims decided in floats too: every catalogue statement the float evaluation can
/// compute (claims::restated), and the two the pipeline decides itself.
pub fn float_decided_claims() -> Vec<std::sync::Arc<claims::Claim>> {
    let pipeline = ["bon-exchangeable", "tilt-composition"];
    claims::ClaimSet::catalogue()
        .all()
        .iter()
        .filter(|c| {
            pipeline.contains(&c.id.as_ref())
                || c.parsed()
                    .ok()
                    .flatten()
                    .is_some_and(|e| float_evaluable(&e))
        })
        .cloned()
        .collect()
}

/// Whether the float evaluation computes `e` (no `phi`, no `bon(n)`: the float pipeline
/// computes neither).
fn float_evaluable(e: &claims::expr::Expression) -> bool {
    use claims::expr::builtins::Builtin;
    !e.root()
        .uses(&|b| matches!(b, Builtin::Phi | Builtin::BonOf))
}

/// The named float quantities compare measures, as expressions of the claim language.
const FLOAT_QUANTITIES: &[(&str, &str, &str)] = &[
    ("kl", "KL(pi_N || p)", "kl(bon, p)"),
    ("kl_formula", "log N - (N-1)/N", "log(N) - (N - 1)/N"),
    ("win_rate", "W", "winrate(bon, p)"),
    ("log_inv_eps", "log(1/eps_inf)", "log(1/eps_inf)"),
    (
        "estimator",
        "E_pi d_N(p(y))",
        claims::restated::EXPECTED_ESTIMATOR,
    ),
];

/// What a float run gives through the expression trees: the quantities and the verdicts of
/// the catalogue's statements, in the run's arithmetic.
struct FloatStatements {
    quantities: Vec<FloatOut>,
    verdicts: Vec<float::pipeline::FloatVerdict>,
}

/// Microseconds per outcome of the exact side, and of one arithmetic at up to 128 bits,
/// measured on 2 cores (release build): uniform p with K = 16384 and the four default
/// arithmetics took 7.2 s, about 88 microseconds per outcome and part.
const MICROSECONDS_PER_OUTCOME: u128 = 88;

/// Estimated seconds of a comparison of a case with `outcomes` sequences in each of
/// `arithmetics` (an MPFR precision above 128 bits counts in proportion), for the estimate
/// the command prints before a long run. Integers: a timing model needs no floats.
pub fn estimated_seconds(outcomes: u64, arithmetics: &[Arith]) -> u64 {
    // Parts in 128ths: the exact side and f64 count 128, MPFR its bits (at least 128).
    let parts: u128 = 128
        + arithmetics
            .iter()
            .map(|a| match a {
                Arith::F64 => 128,
                Arith::Mpfr(bits) => u128::from(*bits).max(128),
            })
            .sum::<u128>();
    let micros = u128::from(outcomes) * parts * MICROSECONDS_PER_OUTCOME / 128;
    u64::try_from(micros / 1_000_000).unwrap_or(u64::MAX)
}

impl ExactSide {
    /// Computes the exact law by sequence and the certified verdicts of the claims the float
    /// pipeline decides.
    pub fn compute(case: &Case, tilt: &TiltParams, policy: PrecisionPolicy) -> Result<ExactSide> {
        let count = case.source.checked_sequence_count()?;
        if count > MAX_COMPARE_SEQUENCES {
            return Err(InputError::new(format!(
                "compare: K^m = {count} sequences; compare walks every sequence in every \
                 arithmetic and takes at most {MAX_COMPARE_SEQUENCES}"
            )));
        }
        let tilt_inputs = tilt_inputs(case, tilt)?;
        let ranked = Ranked::compute(case, Route::Sequence)?;
        let key = ranked.keys.clone();
        let law = ExactLaw::from_ranked(ranked, Route::Sequence, case.n)?;
        let sequences: Vec<Vec<u32>> = law
            .outcomes()
            .iter()
            .map(|o| match o {
                Outcome::Sequence(s) => s.clone(),
                Outcome::Type { .. } => unreachable!("the sequence route has sequence outcomes"),
            })
            .collect();
        let level = (0..law.len())
            .map(|o| law.reward_level()[law.class_of()[o]])
            .collect();
        let ctx = Context::new(case.clone(), policy).with_tilt(tilt.clone());
        let mut certified = Vec::new();
        for claim in float_decided_claims() {
            let applies = match claim.id.as_ref() {
                "bon-exchangeable" => case.m() >= 2,
                "tilt-composition" => tilt_inputs.as_ref().is_some_and(|t| t.beta.is_some()),
                _ => true,
            };
            if applies {
                certified.push(claim.evaluate(&ctx, None)?);
            }
        }
        Ok(ExactSide {
            case: case.clone(),
            tilt: tilt.clone(),
            tilt_inputs,
            sequences,
            law,
            level,
            key,
            certified,
            policy,
        })
    }

    /// Runs the float pipeline of `arith` and judges it.
    pub fn compare(&self, arith: Arith) -> Result<ArithComparison> {
        let run = float::run(
            arith,
            &self.case,
            &self.sequences,
            self.tilt_inputs.as_ref(),
        )?;
        let statements = match arith {
            Arith::F64 => self.statements(&float::arith::F64Ops, &run),
            Arith::Mpfr(prec) => self.statements(&float::arith::MpfrOps { prec }, &run),
        };
        Ok(self.judge(&run, &statements))
    }

    /// The catalogue's statements and the named quantities, evaluated in `ops` over the run.
    fn statements<O: float::arith::FloatOps>(&self, ops: &O, run: &FloatRun) -> FloatStatements {
        let values = |outs: &[FloatOut]| -> Vec<O::V> {
            outs.iter().map(|o| statements::value_of(ops, o)).collect()
        };
        let (p, pi, reward) = (values(&run.p), values(&run.pi), values(&run.reward));
        let q = self.tilt.q_for(&self.case.reward).map(|q| {
            let total: Rational = q.iter().sum();
            q.iter()
                .map(|x| ops.of(&Rational::from(x / &total)))
                .collect()
        });
        let input = statements::FloatInputs {
            n: self.case.n,
            m: self.case.m(),
            k: self.case.k(),
            p: &p,
            pi: &pi,
            reward: &reward,
            q,
            sequences: &self.sequences,
        };
        let mut eval = statements::Eval::new(ops, &input);
        let quantities = FLOAT_QUANTITIES
            .iter()
            .map(|(_, _, text)| {
                let root = claims::expr::check_number(text).expect("a valid quantity");
                let v = eval
                    .number(root.root())
                    .unwrap_or_else(|| ops.div(&ops.zero(), &ops.zero()));
                ops.out(&v)
            })
            .collect();
        let mut verdicts = run.verdicts.clone();
        for c in &self.certified {
            let Some(statement) = c.claim.parsed().ok().flatten() else {
                continue;
            };
            if let Some((holds, detail)) = eval.decide(statement.root()) {
                verdicts.push(float::pipeline::FloatVerdict {
                    claim: c.claim.id.clone(),
                    holds,
                    detail,
                });
            }
        }
        FloatStatements {
            quantities,
            verdicts,
        }
    }

    fn label(&self, o: usize) -> String {
        Outcome::Sequence(self.sequences[o].clone()).label()
    }

    /// The exact reward of outcome `o`, for reports.
    fn reward_value(&self, o: usize) -> ExactValue<'static> {
        match &self.case.reward {
            Reward::Log(_) => {
                let key = self.key[o].clone();
                ExactValue::Enclosed(Box::new(move |prec| {
                    Interval::ln_of(&key, prec).expect("log weights are positive")
                }))
            }
            _ => ExactValue::Rational(self.key[o].clone()),
        }
    }

    fn describe_reward(&self, o: usize) -> String {
        match &self.case.reward {
            Reward::Log(_) => format!(
                "ln({}) in {}",
                self.key[o],
                self.reward_value(o).enclose(128).display(20)
            ),
            _ => self.key[o].to_string(),
        }
    }
}

/// `T(q, dist, a)`: `dist_y q_y^a / sum_z dist_z q_z^a`, enclosed. Every power is taken
/// relative to the letter whose `q^a` is largest among those `dist` weighs (`q_y^a / q_top^a =
/// exp(a (ln q_y - ln q_top)) <= 1`), so a huge `|a|` underflows the others to tiny positive
/// numbers instead of leaving a normaliser that encloses 0.
fn tilt_enclosure(dist: &[Interval], q: &[Rational], a: &Rational, prec: u32) -> Vec<Interval> {
    let weighed: Vec<usize> = (0..q.len()).filter(|&y| !dist[y].hi().is_zero()).collect();
    let pool = if weighed.is_empty() {
        (0..q.len()).collect()
    } else {
        weighed
    };
    // The largest q^a: the largest q for a >= 0, the smallest for a < 0 (exact comparisons).
    let top = pool
        .iter()
        .copied()
        .max_by(|&y, &z| {
            let order = q[y].cmp(&q[z]);
            if a.cmp0().is_lt() {
                order.reverse()
            } else {
                order
            }
        })
        .expect("q is not empty");
    let a_enclosed = Interval::from_rational(a, prec);
    let weights: Vec<Interval> = dist
        .iter()
        .zip(q)
        .map(|(d, qy)| {
            let ratio = Rational::from(qy / &q[top]);
            d.mul(
                &a_enclosed
                    .mul(&Interval::ln_of(&ratio, prec).expect("q > 0"))
                    .exp(),
            )
        })
        .collect();
    let z = weights
        .iter()
        .skip(1)
        .fold(weights[0].clone(), |acc, w| acc.add(w));
    weights
        .iter()
        .map(|w| {
            w.div(&z).unwrap_or_else(|| {
                // Only when dist weighs nothing with certainty: all we know is [0, 1].
                Interval::between(&Rational::new(), &Rational::from(1), prec)
            })
        })
        .collect()
}

/// The tilt the float pipeline computes: needs `alpha`, and `q` (given, or the weights of a
/// `log` reward).
fn tilt_inputs(case: &Case, tilt: &TiltParams) -> Result<Option<TiltInputs>> {
    match (tilt.q_for(&case.reward), &tilt.alpha) {
        (Some(q), Some(alpha)) => {
            if q.len() != case.k() {
                return Err(InputError::new(format!(
                    "q: has {} entries but p has K = {}",
                    q.len(),
                    case.k()
                )));
            }
            Ok(Some(TiltInputs {
                q,
                alpha: alpha.clone(),
                beta: tilt.beta.clone(),
            }))
        }
        (None, Some(_)) => Err(InputError::new(
            "alpha: the tilt needs q (--q, or a log reward whose weights are q)",
        )),
        (_, None) => {
            if tilt.beta.is_some() {
                return Err(InputError::new("beta: the tilt needs --alpha as well"));
            }
            Ok(None)
        }
    }
}
