//! `klrl-optimal-tilt`: the KL-constrained optimum `phi_Delta = argmax { E_psi r :
//! KL(psi || p^m) <= Delta }` is the tilt `T(q, p^m, alpha(Delta))` with a unique
//! `alpha(Delta) >= 0`, and for a memoryless source and reward it is the product of per-letter
//! tilts `T(q, p, alpha(delta))` with per-letter budget `delta = Delta / m`.
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Section 3, Lemma 1 (optimal aligned model) and Lemma 4 (the optimum is memoryless).
//!
//! Decided by enclosures: the per-letter root is bracketed between two rationals (see
//! `tilt::optimum`); the m-letter KL, computed independently over the reward classes of the
//! m-letter outcomes, must fall below `Delta` at the lower end and above it at the upper end,
//! so the m-letter root lies in the same bracket (Lemma 4). The best-of-N law of the case is
//! used as a competitor: if it spends at most `Delta`, it must not earn more reward (Lemma 1).
//! Without the memoryless-reward hypothesis the m-letter optimum is tested for being a product
//! of its marginals; without the budget hypothesis the budget is shown to be out of reach.

use std::borrow::Cow;

use std::cmp::Ordering;

use rug::Rational;

use crate::claims::support::{
    bracket_evidence, budget, class_pi, kl, weighted_sum, BUDGET_BELOW_SUP, BUDGET_GIVEN,
    GOAL_BITS, SYMMETRIC_REWARD,
};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::enclosure::{self, Decision, Interval};
use crate::error::Result;
use crate::law::{ExactLaw, Outcome};
use crate::tilt::optimum::{solve_alpha, AlphaBracket, AlphaSolution, RewardAtoms};

/// Lemmas 1 and 4 of 003: the KL-constrained optimum is a tilt.
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("klrl-optimal-tilt"),
    source: Cow::Borrowed("arXiv 2404.01730 (Yang et al.), Lemmas 1 and 4"),
    statement: Cow::Borrowed("argmax {E_psi r : KL(psi || p^m) <= Delta} = T(q, p^m, alpha(Delta)) with a unique alpha(Delta) >= 0, equal to the product of per-letter tilts T(q, p, alpha(Delta/m))"),
    hypotheses: crate::claims::borrowed(&[BUDGET_GIVEN, SYMMETRIC_REWARD, BUDGET_BELOW_SUP]),
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
    status: crate::claims::Status::Theorem,
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let delta = ctx.tilt.delta.clone().expect("hypothesis checked");
    let total = budget(ctx).expect("hypothesis checked");
    let law = ctx.law()?;
    let classes = RewardAtoms::of_classes(law, &ctx.case);
    let evidence = Evidence::default()
        .exact("delta (per letter)", delta.clone())
        .exact("Delta = m delta", total.clone());
    match RewardAtoms::per_letter(&ctx.case) {
        Some(letters) => product_form(ctx, law, &letters, &classes, &delta, &total, evidence),
        None => memoryless_optimum(ctx, law, &classes, &total, evidence),
    }
}

/// Lemma 4 with a per-letter reward: the per-letter bracket must hold the m-letter root.
fn product_form(
    ctx: &Context,
    law: &ExactLaw,
    letters: &RewardAtoms,
    classes: &RewardAtoms,
    delta: &Rational,
    total: &Rational,
    evidence: Evidence,
) -> Result<(Verdict, Evidence)> {
    let bracket = match solve_alpha(letters, delta, ctx.policy, GOAL_BITS) {
        AlphaSolution::Zero => {
            return Ok((
                Verdict::Holds,
                evidence.text(
                    "exact",
                    "Delta = 0: KL(psi || p^m) <= 0 forces psi = p^m = T(q, p, 0)^m, a product",
                ),
            ))
        }
        AlphaSolution::NoFiniteAlpha { top_mass, sup, prec } => {
            return Ok((
                Verdict::Fails,
                evidence
                    .exact("p(top letter class)", top_mass)
                    .enclosure("log(1/p(top letter class)) = sup_alpha KL", sup)
                    .text(
                        "why",
                        "KL(T(q,p,alpha) || p) increases to log(1/p(top)) <= delta, so no alpha >= 0 \
                         meets the budget; the constrained optimum is p restricted to the top reward \
                         class, which is no tilt T(q,p,alpha)",
                    )
                    .at_prec(prec),
            ))
        }
        AlphaSolution::Undecided { reason, prec } => {
            return Ok((Verdict::Undecided, evidence.text("undecided", reason).at_prec(prec)))
        }
        AlphaSolution::Bracket(b) => b,
    };
    let mut evidence = bracket_evidence(evidence, "alpha(delta)", &bracket)
        .text(
            "monotone",
            if letters.reward_varies() {
                "the reward takes two values on supp p (exact), so KL' = alpha Var_T(r) > 0 for alpha > 0: the root is unique"
            } else {
                "constant reward"
            },
        );
    let prec = ctx.policy.start;
    let alpha = bracket.interval(prec);
    evidence = evidence.enclosure(
        "d KL_m / d alpha over the bracket",
        classes.at(&alpha, prec).slope,
    );
    for (y, phi) in letters.at(&alpha, prec).phi.into_iter().enumerate() {
        evidence = evidence.enclosure(format!("phi_delta({y})"), phi);
    }
    // The m-letter KL at the ends of the per-letter bracket.
    let ends = [
        (&bracket.lo, Ordering::Less),
        (&bracket.hi, Ordering::Greater),
    ];
    let mut max_prec = bracket.prec;
    for (end, wanted) in ends {
        let out = enclosure::decide(ctx.policy, |prec| {
            (
                classes.at(&Interval::from_rational(end, prec), prec).kl,
                Interval::from_rational(total, prec),
            )
        });
        max_prec = max_prec.max(out.prec);
        let name = if wanted == Ordering::Less {
            "lower"
        } else {
            "upper"
        };
        evidence = evidence.enclosure(format!("KL_m at alpha(delta) {name} end"), out.left);
        let got = match out.decision {
            Decision::Less => Ordering::Less,
            Decision::Greater => Ordering::Greater,
            _ => {
                return Ok((
                    Verdict::Undecided,
                    evidence
                        .text("undecided", format!("KL_m at the {name} end against Delta"))
                        .at_prec(max_prec),
                ))
            }
        };
        if got != wanted {
            return Ok((
                Verdict::Fails,
                evidence
                    .text(
                        "why",
                        format!(
                            "the m-letter KL at the {name} end is on the wrong side of Delta: \
                             alpha(Delta) for p^m is not alpha(Delta/m) for p"
                        ),
                    )
                    .at_prec(max_prec),
            ));
        }
    }
    let (verdict, evidence) = against_best_of_n(ctx, law, classes, total, &bracket, evidence);
    let prec = evidence.prec.unwrap_or(0).max(max_prec);
    Ok((verdict, evidence.at_prec(prec)))
}

/// Lemma 1 against one competitor: the best-of-N law of the case, if within the budget, earns
/// no more reward than `phi_Delta` (`E_phi r` grows with alpha, so the lower end bounds it).
fn against_best_of_n(
    ctx: &Context,
    law: &ExactLaw,
    classes: &RewardAtoms,
    total: &Rational,
    bracket: &AlphaBracket,
    evidence: Evidence,
) -> (Verdict, Evidence) {
    let within = enclosure::decide(ctx.policy, |prec| {
        (kl(law, prec), Interval::from_rational(total, prec))
    });
    let evidence = evidence.enclosure("KL(pi_N || p^m)", within.left.clone());
    if within.decision != Decision::Less {
        return (
            Verdict::Holds,
            evidence.text(
                "competitor",
                "pi_N spends more than Delta (or is not separated from it): not a competitor",
            ),
        );
    }
    let reward_gap = |prec| {
        let gaps: Vec<Interval> = (0..classes.len()).map(|k| classes.gap(k, prec)).collect();
        weighted_sum(&class_pi(law, prec), &gaps, prec)
    };
    let out = enclosure::decide(ctx.policy, |prec| {
        let at_lo = classes.at(&Interval::from_rational(&bracket.lo, prec), prec);
        (reward_gap(prec), at_lo.mean_gap)
    });
    let evidence = evidence
        .enclosure("E_{pi_N} r - r_max", out.left.clone())
        .enclosure(
            "E_{phi_Delta} r - r_max at alpha lower end",
            out.right.clone(),
        )
        .at_prec(out.prec);
    match out.decision {
        Decision::Less | Decision::Equal => (
            Verdict::Holds,
            evidence.text(
                "competitor",
                "pi_N is within the budget and earns less reward",
            ),
        ),
        _ => {
            let above = enclosure::decide(ctx.policy, |prec| {
                let at_hi = classes.at(&Interval::from_rational(&bracket.hi, prec), prec);
                (reward_gap(prec), at_hi.mean_gap)
            });
            if above.decision == Decision::Greater {
                (
                    Verdict::Fails,
                    evidence
                        .enclosure("E_{phi_Delta} r - r_max at alpha upper end", above.right)
                        .text(
                            "why",
                            "pi_N is within the budget and earns more than phi_Delta",
                        ),
                )
            } else {
                (Verdict::Undecided, evidence)
            }
        }
    }
}

/// Without a per-letter reward: is the m-letter optimum a product of its marginals?
fn memoryless_optimum(
    ctx: &Context,
    law: &ExactLaw,
    classes: &RewardAtoms,
    total: &Rational,
    evidence: Evidence,
) -> Result<(Verdict, Evidence)> {
    let bracket = match solve_alpha(classes, total, ctx.policy, GOAL_BITS) {
        AlphaSolution::Bracket(b) => b,
        AlphaSolution::Zero => {
            return Ok((
                Verdict::Holds,
                evidence.text("exact", "Delta = 0: phi_Delta = p^m, a product"),
            ))
        }
        AlphaSolution::NoFiniteAlpha {
            top_mass,
            sup,
            prec,
        } => {
            return Ok((
                Verdict::Fails,
                evidence
                    .exact("p(top reward class)", top_mass)
                    .enclosure("log(1/p(top)) = sup_alpha KL", sup)
                    .text("why", "no finite alpha meets the budget")
                    .at_prec(prec),
            ))
        }
        AlphaSolution::Undecided { reason, prec } => {
            return Ok((
                Verdict::Undecided,
                evidence.text("undecided", reason).at_prec(prec),
            ))
        }
    };
    let evidence = bracket_evidence(evidence, "alpha(Delta), m letters", &bracket);
    let sequences: Vec<&[u32]> = law
        .outcomes()
        .iter()
        .map(|o| match o {
            Outcome::Sequence(s) => s.as_slice(),
            Outcome::Type { .. } => unreachable!("a scores reward is computed by sequence"),
        })
        .collect();
    let k = ctx.case.k();
    let m = ctx.case.m() as usize;
    let mut prec = ctx.policy.start;
    loop {
        let phi_class = classes.at(&bracket.interval(prec), prec).phi;
        // phi(y) = p^m(y) / p^m(class of y) * phi(class).
        let phi: Vec<Interval> = (0..law.len())
            .map(|o| {
                let c = law.class_of()[o];
                Interval::from_rational(
                    &Rational::from((&law.weights()[o], &law.class_mass()[c])),
                    prec,
                )
                .mul(&phi_class[c])
            })
            .collect();
        let zero = Interval::from_rational(&Rational::new(), prec);
        let mut marginals = vec![vec![zero; k]; m];
        for (s, f) in sequences.iter().zip(&phi) {
            for (i, &y) in s.iter().enumerate() {
                marginals[i][y as usize] = marginals[i][y as usize].add(f);
            }
        }
        for (s, f) in sequences.iter().zip(&phi) {
            let product = s.iter().enumerate().fold(
                Interval::from_rational(&Rational::from(1), prec),
                |acc, (i, &y)| acc.mul(&marginals[i][y as usize]),
            );
            if f.certified_cmp(&product)
                .is_some_and(|o| o != Ordering::Equal)
            {
                return Ok((
                    Verdict::Fails,
                    evidence
                        .sequence("sequence", s.to_vec())
                        .enclosure("phi_Delta(y)", f.clone())
                        .enclosure("product of phi_Delta's marginals at y", product)
                        .text(
                            "why",
                            "the optimum for a non-additive reward is not memoryless",
                        )
                        .at_prec(prec),
                ));
            }
        }
        if prec >= ctx.policy.cap {
            return Ok((
                Verdict::Undecided,
                evidence
                    .text(
                        "undecided",
                        "phi_Delta matches the product of its marginals within the enclosures",
                    )
                    .at_prec(prec),
            ));
        }
        prec = (prec * 2).min(ctx.policy.cap);
    }
}
