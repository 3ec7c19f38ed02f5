//! `klrl-closeness`: for any psi,
//! `KL(psi || phi_Delta) = KL(psi || p) - KL(phi_Delta || p) + alpha (H(psi||q) - H(phi_Delta||q))`,
//! hence `KL(psi || p) <= Delta` and `H(psi||q) <= H(phi_Delta||q) + eps` imply
//! `KL(psi || phi_Delta) <= alpha(Delta) eps`. Checked with psi = pi_N, the case's best-of-N
//! law, and the smallest admissible `eps = H(pi_N||q) - H(phi_Delta||q)`.
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Section 3, Lemma 2 (closeness of models given closeness of expected rewards) and its proof.
//!
//! The identity is exact algebra: with `ln phi = ln p + alpha ln q - ln Z`, both sides expand to
//! `sum psi ln(psi/p) - alpha sum psi ln q + (sum psi) ln Z`, the terms in `phi ln q` cancelling and
//! `sum phi = 1`; its one premise about psi, `sum psi = 1`, is checked exactly. Both sides are
//! also enclosed along separate paths (the left from `phi`'s entries, the right from the four
//! functionals), which must overlap. The bound is decided by enclosures; it fails exactly when
//! psi spends more than the budget (drop `psi-within-budget` to see it).

use std::borrow::Cow;

use std::cmp::Ordering;

use crate::claims::support::{
    bracket_evidence, budget, class_pi, kl, kl_between, weighted_sum, BUDGET_BELOW_SUP,
    BUDGET_GIVEN,
};
use crate::claims::{Claim, Context, Decider, Evidence, Hypothesis, Method, Verdict};
use crate::enclosure::{self, Decision, Interval};
use crate::error::Result;
use crate::tilt::optimum::{solve_alpha, AlphaSolution, RewardAtoms};

use crate::claims::support::GOAL_BITS;

const PSI_WITHIN_BUDGET: Hypothesis = Hypothesis {
    name: "psi-within-budget",
    statement: "psi = pi_N spends at most the budget: KL(pi_N || p^m) <= Delta (certified)",
    check: |ctx| {
        let Some(total) = budget(ctx) else {
            return Ok(());
        };
        let law = ctx.law().map_err(|e| e.message().to_string())?;
        if ctx.n() == 1 {
            return Ok(()); // pi_1 = p: KL = 0 <= Delta exactly
        }
        let out = enclosure::decide(ctx.policy, |prec| {
            (
                kl(law, prec),
                crate::enclosure::Interval::from_rational(&total, prec),
            )
        });
        match out.decision {
            Decision::Less | Decision::Equal => Ok(()),
            Decision::Greater => Err(format!("KL(pi_N || p^m) = {} > Delta = {total}", out.left)),
            Decision::Undecided => Err(format!(
                "KL(pi_N || p^m) = {} not separated from Delta = {total} at {} bits",
                out.left, out.prec
            )),
        }
    },
};

/// Lemma 2 of 003: the closeness bound between best-of-N and the optimum.
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("klrl-closeness"),
    source: Cow::Borrowed("arXiv 2404.01730 (Yang et al.), Lemma 2"),
    statement: Cow::Borrowed("KL(psi||phi_Delta) = KL(psi||p) - KL(phi_Delta||p) + alpha (H(psi||q) - H(phi_Delta||q)) (exact identity), so KL(psi||p) <= Delta and H(psi||q) <= H(phi_Delta||q) + eps give KL(psi||phi_Delta) <= alpha(Delta) eps; psi = pi_N"),
    hypotheses: crate::claims::borrowed(&[BUDGET_GIVEN, BUDGET_BELOW_SUP, PSI_WITHIN_BUDGET]),
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
    status: crate::claims::Status::Theorem,
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let total = budget(ctx).expect("hypothesis checked");
    let law = ctx.law()?;
    let classes = RewardAtoms::of_classes(law, &ctx.case);
    let mut evidence = Evidence::default().exact("Delta = m delta", total.clone());
    if !law.total_is_one() {
        return Ok((
            Verdict::Fails,
            evidence.text(
                "identity",
                "sum pi_N != 1 exactly: the identity's premise fails",
            ),
        ));
    }
    evidence = evidence.text(
        "identity (exact)",
        "sum pi_N = 1 exactly (integer check) and sum phi = 1 by normalisation: both sides expand to \
         sum psi ln(psi/p) - alpha sum psi ln q + ln Z",
    );
    let solution = solve_alpha(&classes, &total, ctx.policy, GOAL_BITS);
    match &solution {
        AlphaSolution::Zero if ctx.n() == 1 => {
            return Ok((
                Verdict::Holds,
                evidence.text("exact", "Delta = 0 and N = 1: psi = p = phi_Delta, both sides 0"),
            ))
        }
        AlphaSolution::Zero => {}
        AlphaSolution::Bracket(b) => evidence = bracket_evidence(evidence, "alpha(Delta)", b),
        AlphaSolution::NoFiniteAlpha { sup, .. } => {
            return Ok((
                Verdict::NotApplicable {
                    hypothesis: "budget-below-sup",
                    reason: format!(
                        "log(1/p(top)) = {sup} <= Delta: phi_Delta is no tilt, alpha(Delta) does not exist"
                    ),
                },
                evidence,
            ))
        }
        AlphaSolution::Undecided { reason, prec } => {
            return Ok((Verdict::Undecided, evidence.text("undecided", reason.clone()).at_prec(*prec)))
        }
    }
    let mut identity = None;
    let out = enclosure::decide(ctx.policy, |prec| {
        let alpha = solution.alpha(prec).expect("a bracket or zero");
        let tilt = classes.at(&alpha, prec);
        let psi = class_pi(law, prec);
        let gaps: Vec<Interval> = (0..classes.len()).map(|k| classes.gap(k, prec)).collect();
        // eps = H(psi||q) - H(phi||q) = E_phi r - E_psi r.
        let eps = tilt.mean_gap.sub(&weighted_sum(&psi, &gaps, prec));
        let left = kl_between(&psi, &tilt.phi, prec);
        let right_identity = kl(law, prec).sub(&tilt.kl).add(&alpha.mul(&eps));
        identity = Some((left.clone(), right_identity, eps.clone(), tilt.kl.clone()));
        (left, alpha.mul(&eps))
    });
    let (left, right_identity, eps, kl_phi) = identity.expect("evaluated at least once");
    evidence = evidence
        .enclosure("KL(pi_N || p^m)", kl(law, out.prec))
        .enclosure("KL(phi_Delta || p^m)", kl_phi)
        .enclosure("eps = H(pi_N||q) - H(phi_Delta||q)", eps)
        .enclosure("KL(pi_N || phi_Delta) (from phi's entries)", left.clone())
        .enclosure(
            "right side of the identity (from the functionals)",
            right_identity.clone(),
        )
        .enclosure("alpha eps", out.right.clone())
        .at_prec(out.prec);
    if matches!(
        left.certified_cmp(&right_identity),
        Some(Ordering::Less | Ordering::Greater)
    ) {
        return Ok((
            Verdict::Fails,
            evidence.text(
                "why",
                "the two sides of the identity have separated enclosures",
            ),
        ));
    }
    let verdict = match out.decision {
        Decision::Less | Decision::Equal => Verdict::Holds,
        Decision::Greater => Verdict::Fails,
        Decision::Undecided => Verdict::Undecided,
    };
    if verdict == Verdict::Fails {
        evidence = evidence.text(
            "why",
            "KL(pi_N || phi_Delta) > alpha eps: by the identity the excess is KL(pi_N || p) - Delta",
        );
    }
    Ok((verdict, evidence))
}
