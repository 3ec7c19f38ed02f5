//! Shared pieces of the claim modules: deciding inequalities from enclosures, the common
//! quantities (KL, log N - (N-1)/N, sum of squared probabilities), and common hypotheses.

use std::cmp::Ordering;

use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::claims::{Context, Evidence, Hypothesis, Verdict};
use crate::enclosure::{decide, Decision, Interval};
use crate::law::functionals::kl_to_reference;
use crate::law::{ExactLaw, Outcome};
use crate::model::TieBreak;
use crate::tilt::optimum::{budget_below_sup, AlphaBracket, RewardAtoms};

/// Decides the claim `left <= right` from enclosures, raising precision as needed.
pub fn decide_le(
    ctx: &Context,
    names: (&str, &str),
    evaluate: impl FnMut(u32) -> (Interval, Interval),
) -> (Verdict, Evidence) {
    decide_relation(ctx, names, evaluate, |decision| match decision {
        Decision::Less | Decision::Equal => Verdict::Holds,
        Decision::Greater => Verdict::Fails,
        Decision::Undecided => Verdict::Undecided,
    })
}

/// Decides the claim `left == right` from enclosures: separated enclosures refute it,
/// identical point enclosures prove it; any other overlap up to the cap leaves it undecided.
pub fn decide_eq(
    ctx: &Context,
    names: (&str, &str),
    evaluate: impl FnMut(u32) -> (Interval, Interval),
) -> (Verdict, Evidence) {
    decide_relation(ctx, names, evaluate, |decision| match decision {
        Decision::Equal => Verdict::Holds,
        Decision::Less | Decision::Greater => Verdict::Fails,
        Decision::Undecided => Verdict::Undecided,
    })
}

fn decide_relation(
    ctx: &Context,
    names: (&str, &str),
    evaluate: impl FnMut(u32) -> (Interval, Interval),
    verdict_of: impl Fn(Decision) -> Verdict,
) -> (Verdict, Evidence) {
    let out = decide(ctx.policy, evaluate);
    let evidence = Evidence::default()
        .enclosure(names.0, out.left)
        .enclosure(names.1, out.right)
        .at_prec(out.prec);
    (verdict_of(out.decision), evidence)
}

/// `KL(pi_N || p)` against a quantity of N that is 0 at N = 1 (where KL is exactly 0 too):
/// the shape of Lemma 6, Theorem 3.1 and the literature's formula.
pub fn kl_against(
    ctx: &Context,
    right_name: &str,
    right: fn(u64, u32) -> Interval,
    equality: bool,
) -> crate::error::Result<(Verdict, Evidence)> {
    let n = ctx.n();
    if n == 1 {
        let note = format!("N = 1: pi_N = p, so KL = 0 = {right_name}");
        return Ok((Verdict::Holds, Evidence::default().text("exact", note)));
    }
    let law = ctx.law()?;
    let names = ("KL(pi_N || p)", right_name);
    let evaluate = |prec| (kl(law, prec), right(n, prec));
    Ok(if equality {
        decide_eq(ctx, names, evaluate)
    } else {
        decide_le(ctx, names, evaluate)
    })
}

/// An exact comparison `left <= right` as a verdict with both values as evidence.
pub fn exact_le(names: (&str, &str), left: Rational, right: Rational) -> (Verdict, Evidence) {
    let verdict = if left <= right {
        Verdict::Holds
    } else {
        Verdict::Fails
    };
    (
        verdict,
        Evidence::default()
            .exact(names.0, left)
            .exact(names.1, right),
    )
}

/// `KL(pi_N || p)` enclosed at `prec` bits.
pub fn kl(law: &ExactLaw, prec: u32) -> Interval {
    kl_to_reference(law, prec)
}

/// `log N`.
pub fn ln_n(n: u64, prec: u32) -> Interval {
    Interval::ln_of(&Rational::from(n), prec).expect("N >= 1")
}

/// `log N - (N-1)/N`, the literature's KL formula.
pub fn kl_formula(n: u64, prec: u32) -> Interval {
    ln_n(n, prec).sub(&Interval::from_rational(&Rational::from((n - 1, n)), prec))
}

/// `sum_y p(y)^2` over the m-sequences: `(sum_i p_i^2)^m`.
pub fn sum_p_squared(ctx: &Context) -> Rational {
    let per_letter: Rational = ctx
        .case
        .source
        .pmf
        .probs()
        .iter()
        .map(|p| Rational::from(p * p))
        .sum();
    per_letter.pow(ctx.case.m())
}

/// An exact nonnegative value kept as an unreduced quotient of integers: reducing the
/// 100,000-bit masses of a large law would cost a gcd each, and enclosures do not need it.
pub struct Quotient {
    /// The numerator.
    pub num: Integer,
    /// The denominator.
    pub den: Integer,
}

impl Quotient {
    /// The value enclosed at `prec` bits.
    pub fn enclose(&self, prec: u32) -> Interval {
        Interval::from_integer(&self.num, prec)
            .div(&Interval::from_integer(&self.den, prec))
            .expect("positive denominator")
    }
}

/// `(pi mass, reference probability of one sequence)` for each outcome with positive pi.
/// For a law by type the pi mass is the whole type's and the probability is one sequence's.
pub fn mass_and_sequence_prob(law: &ExactLaw) -> Vec<(Quotient, Rational)> {
    (0..law.len())
        .filter(|&o| {
            law.class_delta()[law.class_of()[o]].cmp0() == Ordering::Greater
                && law.weights()[o].cmp0().is_gt()
        })
        .map(|o| {
            let k = law.class_of()[o];
            let per_sequence = match &law.outcomes()[o] {
                Outcome::Sequence(_) => law.p(o),
                Outcome::Type { sequences, .. } => law.p(o) / Rational::from(sequences),
            };
            let mass = Quotient {
                num: Integer::from(&law.weights()[o] * &law.class_delta()[k]),
                den: Integer::from(&law.class_mass()[k] * law.denominator_pow_n()),
            };
            (mass, per_sequence)
        })
        .collect()
}

/// Probability under p of the top reward level with positive probability.
pub fn top_reward_mass(law: &ExactLaw) -> Rational {
    let top = (0..law.classes().len())
        .rev()
        .find(|&k| law.class_mass()[k].cmp0().is_gt())
        .map(|k| law.reward_level()[k])
        .expect("a pmf has mass somewhere");
    let mass: Integer = (0..law.classes().len())
        .filter(|&k| law.reward_level()[k] == top)
        .map(|k| law.class_mass()[k].clone())
        .sum();
    Rational::from((mass, law.denominator().clone()))
}

/// Relative width of the alpha brackets of the optimum claims: 2^-60.
pub const GOAL_BITS: u32 = 60;

/// Ties among draws are broken uniformly (the papers' rule).
pub const UNIFORM_TIE_BREAK: Hypothesis = Hypothesis {
    name: "uniform-tie-break",
    statement: "ties among maximal draws are broken uniformly at random",
    check: |ctx| match ctx.case.tie_break {
        TieBreak::Uniform => Ok(()),
        other => Err(format!("the case breaks ties by {}", other.name())),
    },
};

/// The reward depends only on the type (symmetric in positions).
pub const SYMMETRIC_REWARD: Hypothesis = Hypothesis {
    name: "symmetric-reward",
    statement:
        "the reward is additive over positions (additive or log), so it depends only on the type",
    check: |ctx| {
        if ctx.case.reward.is_symmetric() {
            Ok(())
        } else {
            Err("the reward is an explicit per-sequence score".into())
        }
    },
};

/// q, alpha and beta are given (or a log reward's weights stand for q).
pub const TILT_PARAMETERS: Hypothesis = Hypothesis {
    name: "tilt-parameters",
    statement: "q is known (--q, or the weights of a log reward) and --alpha, --beta are given",
    check: |ctx| {
        let mut missing = Vec::new();
        if ctx.q().is_none() {
            missing.push("--q (or a log reward)");
        }
        if ctx.tilt.alpha.is_none() {
            missing.push("--alpha");
        }
        if ctx.tilt.beta.is_none() {
            missing.push("--beta");
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("needs {}", missing.join(", ")))
        }
    },
};

/// The sequences can be enumerated (K^m within the outcome limit).
pub const ENUMERABLE_SEQUENCES: Hypothesis = Hypothesis {
    name: "enumerable-sequences",
    statement: "the K^m sequences fit the enumeration limit (2^20); a limit of the decision procedure, not of the claim",
    check: |ctx| ctx.case.source.checked_sequence_count().map(|_| ()).map_err(|e| e.message().to_string()),
};

/// A per-letter KL budget delta is given.
pub const BUDGET_GIVEN: Hypothesis = Hypothesis {
    name: "budget-given",
    statement: "a KL budget is given: per letter delta (--delta), Delta = m delta",
    check: |ctx| match ctx.tilt.delta {
        Some(_) => Ok(()),
        None => Err("needs --delta (or delta in the case file)".into()),
    },
};

/// The budget is below the largest reachable KL, `ln 1/p(top)`.
pub const BUDGET_BELOW_SUP: Hypothesis = Hypothesis {
    name: "budget-below-sup",
    statement: "Delta < log(1/p(top reward class)), the largest KL any tilt reaches (certified by enclosures)",
    check: |ctx| {
        let Some(budget) = budget(ctx) else {
            return Ok(()); // budget-given reports the missing budget
        };
        let atoms = class_atoms(ctx).map_err(|e| e.message().to_string())?;
        match budget_below_sup(&atoms, &budget, ctx.policy) {
            (Decision::Less, _, _) => Ok(()),
            (Decision::Undecided, sup, prec) => Err(format!(
                "Delta = {budget} and log(1/p(top)) = {sup} not separated at {prec} bits"
            )),
            (_, sup, _) => Err(format!(
                "Delta = {budget} >= log(1/p(top)) = {sup}, p(top) = {}",
                atoms.top_mass()
            )),
        }
    },
};

/// `Delta = m delta`, when a budget is given.
pub fn budget(ctx: &Context) -> Option<Rational> {
    ctx.tilt
        .delta
        .as_ref()
        .map(|d| Rational::from(d * ctx.case.m()))
}

/// The reward classes of the case's law as atoms of the m-letter tilt.
pub fn class_atoms(ctx: &Context) -> crate::error::Result<RewardAtoms> {
    Ok(RewardAtoms::of_classes(ctx.law()?, &ctx.case))
}

/// `pi_N` of each class (the atoms of [`class_atoms`]), enclosed.
pub fn class_pi(law: &ExactLaw, prec: u32) -> Vec<Interval> {
    law.class_delta()
        .iter()
        .map(|delta| {
            Quotient {
                num: delta.clone(),
                den: law.denominator_pow_n().clone(),
            }
            .enclose(prec)
        })
        .collect()
}

/// `KL(pi || phi) = sum_k pi_k ln(pi_k / phi_k)` over classes given as enclosures; classes with
/// `pi_k = 0` contribute nothing.
pub fn kl_between(pi: &[Interval], phi: &[Interval], prec: u32) -> Interval {
    pi.iter().zip(phi).filter(|(s, _)| !s.hi().is_zero()).fold(
        Interval::from_integer(&Integer::new(), prec),
        |acc, (s, f)| {
            let ratio = s.div(f).expect("phi > 0 where pi > 0");
            acc.add(&s.mul(&ratio.ln().expect("pi > 0 on the classes kept")))
        },
    )
}

/// `sum_k w_k x_k` over enclosures.
pub fn weighted_sum(weights: &[Interval], values: &[Interval], prec: u32) -> Interval {
    weights.iter().zip(values).fold(
        Interval::from_integer(&Integer::new(), prec),
        |acc, (w, x)| acc.add(&w.mul(x)),
    )
}

/// Evidence for a bracket of `alpha(Delta)`.
pub fn bracket_evidence(evidence: Evidence, name: &str, bracket: &AlphaBracket) -> Evidence {
    evidence
        .exact(format!("{name} lower end"), bracket.lo.clone())
        .exact(format!("{name} upper end"), bracket.hi.clone())
        .enclosure(format!("KL at {name} lower end"), bracket.kl_lo.clone())
        .enclosure(format!("KL at {name} upper end"), bracket.kl_hi.clone())
}
