//! `asym-large-k-bound` and `asym-small-k-bound`: 003's concluding experiments. Over a single
//! letter (m = 1), with `phi_Delta` the KL-constrained optimum whose budget is best-of-N's own
//! spend, `Delta = KL(pi_N || p)`: `KL(pi_N || phi_Delta) <= 0.01` for random p, q over K > 1000
//! letters, and `< 0.5` for K < 10, for every N in [1, 1000].
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Section 5 (Concluding Remarks), reported as an empirical observation.
//!
//! Decided by enclosures: `alpha(Delta)` is bracketed against the enclosed budget (so the
//! bracket holds the root for every value the budget's enclosure admits), then
//! `KL(pi_N || phi_Delta)` is enclosed over the whole bracket. Both laws are compared class by
//! class: within a reward class both are proportional to p (uniform tie-break), so the KL over
//! letters equals the KL over classes.

use std::borrow::Cow;

use rug::Rational;

use crate::claims::support::{bracket_evidence, class_pi, kl, kl_between, UNIFORM_TIE_BREAK};
use crate::claims::{Claim, Context, Decider, Evidence, Hypothesis, Method, Verdict};
use crate::enclosure::{self, Decision, Interval};
use crate::error::Result;
use crate::tilt::optimum::{solve_alpha_for, AlphaSolution, Budget, RewardAtoms};

use crate::claims::support::GOAL_BITS;

const SINGLE_LETTER: Hypothesis = Hypothesis {
    name: "single-letter",
    statement: "m = 1: the experiments compare laws over one letter",
    check: |ctx| match ctx.case.m() {
        1 => Ok(()),
        m => Err(format!("m = {m}")),
    },
};

const N_AT_MOST_1000: Hypothesis = Hypothesis {
    name: "n-at-most-1000",
    statement: "N in [1, 1000], the range of the experiments",
    check: |ctx| match ctx.n() {
        1..=1000 => Ok(()),
        n => Err(format!("N = {n}")),
    },
};

const LARGE_ALPHABET: Hypothesis = Hypothesis {
    name: "large-alphabet",
    statement: "K > 1000 letters",
    check: |ctx| match ctx.case.source.alphabet_size() {
        k if k > 1000 => Ok(()),
        k => Err(format!("K = {k}")),
    },
};

const SMALL_ALPHABET: Hypothesis = Hypothesis {
    name: "small-alphabet",
    statement: "K < 10 letters",
    check: |ctx| match ctx.case.source.alphabet_size() {
        k if k < 10 => Ok(()),
        k => Err(format!("K = {k}")),
    },
};

/// The large-K asymptotic bound, measured along a sequence of cases.
pub const LARGE_K: Claim = Claim {
    id: Cow::Borrowed("asym-large-k-bound"),
    source: Cow::Borrowed(
        "arXiv 2404.01730 (Yang et al.), Section 5, concluding remarks (empirical)",
    ),
    statement: Cow::Borrowed(
        "m = 1, K > 1000, N <= 1000: KL(pi_N || phi_Delta) <= 0.01 with Delta = KL(pi_N || p)",
    ),
    hypotheses: crate::claims::borrowed(&[
        SINGLE_LETTER,
        LARGE_ALPHABET,
        N_AT_MOST_1000,
        UNIFORM_TIE_BREAK,
    ]),
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide_large),
    status: crate::claims::Status::Unsettled,
};

/// The small-K bound, refuted by a bundled case.
pub const SMALL_K: Claim = Claim {
    id: Cow::Borrowed("asym-small-k-bound"),
    source: Cow::Borrowed(
        "arXiv 2404.01730 (Yang et al.), Section 5, concluding remarks (empirical)",
    ),
    statement: Cow::Borrowed(
        "m = 1, K < 10, N <= 1000: KL(pi_N || phi_Delta) < 0.5 with Delta = KL(pi_N || p)",
    ),
    hypotheses: crate::claims::borrowed(&[
        SINGLE_LETTER,
        SMALL_ALPHABET,
        N_AT_MOST_1000,
        UNIFORM_TIE_BREAK,
    ]),
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide_small),
    status: crate::claims::Status::RefutedBy("cases/asym-small-k-counterexample.toml"),
};

fn decide_large(ctx: &Context) -> Result<(Verdict, Evidence)> {
    decide(ctx, Rational::from((1, 100)), false)
}

fn decide_small(ctx: &Context) -> Result<(Verdict, Evidence)> {
    decide(ctx, Rational::from((1, 2)), true)
}

/// `KL(pi_N || phi_Delta)` against `bound` (`strict`: the claim is `<`).
fn decide(ctx: &Context, bound: Rational, strict: bool) -> Result<(Verdict, Evidence)> {
    let law = ctx.law()?;
    let classes = RewardAtoms::of_classes(law, &ctx.case);
    let evidence = Evidence::default().exact("bound", bound.clone());
    // pi_N = p exactly when N = 1 or one reward class holds all of p: Delta = 0, phi = p.
    if ctx.n() == 1 || law.support_class_count() == 1 {
        return Ok((
            Verdict::Holds,
            evidence.text(
                "exact",
                "pi_N = p (N = 1 or a single reward class): Delta = 0, phi_Delta = p, KL = 0",
            ),
        ));
    }
    let spend = |prec: u32| kl(law, prec);
    let solution = solve_alpha_for(&classes, Budget::Enclosed(&spend), ctx.policy, GOAL_BITS);
    let bracket = match &solution {
        AlphaSolution::Bracket(b) => b.clone(),
        AlphaSolution::Zero => unreachable!("an enclosed budget is never taken to be 0"),
        AlphaSolution::NoFiniteAlpha { sup, .. } => {
            // KL(pi_N || p) < ln(1/p(top)) for finite N: pi_N leaves mass below the top.
            let reason = format!("Delta = KL(pi_N || p) not below log(1/p(top)) = {sup}");
            return Ok((Verdict::Undecided, evidence.text("undecided", reason)));
        }
        AlphaSolution::Undecided { reason, prec } => {
            return Ok((
                Verdict::Undecided,
                evidence.text("undecided", reason.clone()).at_prec(*prec),
            ))
        }
    };
    let mut tilt = None;
    let out = enclosure::decide(ctx.policy, |prec| {
        let point = classes.at(&bracket.interval(prec), prec);
        let pi = class_pi(law, prec);
        let divergence = kl_between(&pi, &point.phi, prec);
        tilt = Some(point);
        (divergence, Interval::from_rational(&bound, prec))
    });
    let point = tilt.expect("evaluated at least once");
    let mut evidence = bracket_evidence(
        evidence.enclosure("Delta = KL(pi_N || p)", spend(out.prec)),
        "alpha(Delta)",
        &bracket,
    );
    for (k, f) in point.phi.iter().enumerate().take(12) {
        evidence = evidence.enclosure(format!("phi_Delta(class {k})"), f.clone());
    }
    if point.phi.len() > 12 {
        let note = format!(
            "first 12 of {} classes shown; the rest follow from the alpha bracket",
            point.phi.len()
        );
        evidence = evidence.text("phi_Delta", note);
    }
    let evidence = evidence
        .enclosure("KL(pi_N || phi_Delta)", out.left)
        .at_prec(out.prec);
    let verdict = match out.decision {
        Decision::Less => Verdict::Holds,
        Decision::Equal if !strict => Verdict::Holds,
        Decision::Equal | Decision::Greater => Verdict::Fails,
        Decision::Undecided => Verdict::Undecided,
    };
    Ok((verdict, evidence))
}
