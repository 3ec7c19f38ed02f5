//! `klrl-bon-asymptotic`: best-of-N with `N = exp(m delta)` approaches the KL-constrained
//! optimum as the sequence grows: `(1/m) KL(pi_N^m || phi_delta^m) -> 0`, the expected type of
//! the best-of-N sequence tends to `phi_delta`, and both earn the same reward per letter.
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Section 4, Theorem 2 (with its type lemma), memoryless source and reward log q.
//!
//! A limit cannot be decided on finitely many cases, so the verdict is always `measured`: the
//! rows of `bestofn asymptotics` (rigorous enclosures, see `tilt::asymptotics`) at up to eight
//! lengths up to the case's m, and whether the per-letter KL and the type distance are
//! certified to fall between the half-way length and m. The case's own N is not used:
//! N = round(exp(m delta)) by the theorem's coupling.

use std::borrow::Cow;

use crate::claims::support::{BUDGET_BELOW_SUP, BUDGET_GIVEN, UNIFORM_TIE_BREAK};
use crate::claims::{Claim, Context, Decider, Evidence, Hypothesis, Method, Verdict};
use crate::error::Result;
use crate::model::Reward;
use crate::tilt::asymptotics::{asymptotics, Row};

const REWARD_LOG_Q: Hypothesis = Hypothesis {
    name: "reward-log-q",
    statement: "the reward is log q per letter (a log reward, or --q without --reward)",
    check: |ctx| match (&ctx.case.reward, ctx.q()) {
        (Reward::Log(weights), Some(q)) if *weights == q => Ok(()),
        (Reward::Log(_), Some(_)) => Err("--q differs from the log reward's weights".into()),
        _ => Err("the reward is not log q".into()),
    },
};

/// Theorem 2 of 003 (best-of-N against phi_delta as m grows), measured.
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("klrl-bon-asymptotic"),
    source: Cow::Borrowed("arXiv 2404.01730 (Yang et al.), Theorem 2"),
    statement: Cow::Borrowed("with N = exp(m delta): (1/m) KL(pi_N^m || phi_delta^m) -> 0 and the expected type of best-of-N -> phi_delta as m -> infinity (measured up to the case's m)"),
    hypotheses: crate::claims::borrowed(&[REWARD_LOG_Q, BUDGET_GIVEN, BUDGET_BELOW_SUP, UNIFORM_TIE_BREAK]),
    method: Method::Measured,
    uses_n: true,
    decide: Decider::Module(decide),
    status: crate::claims::Status::Unsettled,
};

/// The lengths measured: up to eight, evenly spaced up to `m`, always including `m`.
pub fn lengths(m: u32) -> Vec<u32> {
    let mut out: Vec<u32> = (1..=8u32).map(|j| (m * j).div_ceil(8).max(1)).collect();
    out.dedup();
    out
}

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let delta = ctx.tilt.delta.clone().expect("hypothesis budget-given");
    let q = ctx.q().expect("hypothesis reward-log-q");
    let m = ctx.case.m();
    let mut evidence = Evidence::default()
        .exact("delta (per letter)", delta.clone())
        .text(
            "N",
            "round(exp(m delta)) at each length; the case's N is not used",
        );
    if delta.cmp0().is_eq() {
        let note = "delta = 0: N = 1 at every m, so pi_N = p = phi_0 and every measured gap is 0";
        return Ok((Verdict::Measured, evidence.text("exact", note)));
    }
    let prec = ctx.policy.start.max(64);
    let measured = asymptotics(
        &ctx.case.source.pmf,
        &q,
        &delta,
        lengths(m).into_iter(),
        ctx.policy,
        prec,
        &|_| {},
    )?;
    evidence = evidence
        .exact("alpha(delta) lower end", measured.alpha.lo.clone())
        .exact("alpha(delta) upper end", measured.alpha.hi.clone());
    for row in &measured.rows {
        evidence = evidence
            .enclosure(
                format!("m = {}, N = {}: KL/m", row.m, row.n),
                row.kl_per_letter.clone(),
            )
            .enclosure(
                format!("m = {}: TV(E type, phi_delta)", row.m),
                row.type_distance.clone(),
            );
    }
    let last = measured.rows.last().expect("m >= 1");
    let half = measured
        .rows
        .iter()
        .find(|r| r.m * 2 >= m)
        .expect("the last row qualifies");
    evidence = evidence.text("trend", trend(half, last)).at_prec(prec);
    Ok((Verdict::Measured, evidence))
}

/// Whether the per-letter KL and the type distance are certified lower at `last` than at
/// `half`, in words.
fn trend(half: &Row, last: &Row) -> String {
    if half.m == last.m {
        return format!("one length (m = {}): no trend to read", last.m);
    }
    let word =
        |a: &crate::enclosure::Interval, b: &crate::enclosure::Interval| match b.certified_cmp(a) {
            Some(std::cmp::Ordering::Less) => "falls (certified)",
            Some(std::cmp::Ordering::Greater) => "rises (certified)",
            _ => "not separated",
        };
    format!(
        "from m = {} to m = {}: KL/m {}, type distance {}",
        half.m,
        last.m,
        word(&half.kl_per_letter, &last.kl_per_letter),
        word(&half.type_distance, &last.type_distance)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_spread_and_end_at_m() {
        assert_eq!(lengths(1), vec![1]);
        assert_eq!(lengths(3), vec![1, 2, 3]);
        assert_eq!(lengths(16), vec![2, 4, 6, 8, 10, 12, 14, 16]);
        assert_eq!(*lengths(200).last().unwrap(), 200);
    }
}
