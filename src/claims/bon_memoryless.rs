//! `bon-memoryless`: the belief that best-of-N of a memoryless source is memoryless, i.e. that
//! `pi_N^m` is the product of its marginals.
//!
//! Source: Yang, Salamatian, Sun, Suresh, Beirami, "Asymptotics of Language Model Alignment"
//! (arXiv 2404.01730), Section 4, Example 2, which refutes it (pi(0,0) = 49/625 while the
//! marginals are 209/625).

use std::borrow::Cow;

use rug::Rational;

use crate::claims::support::ENUMERABLE_SEQUENCES;
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;

/// Best-of-N's law is memoryless (false: Example 2).
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("bon-memoryless"),
    source: Cow::Borrowed("arXiv 2404.01730 (Yang et al.), Example 2 (refuted there)"),
    statement: Cow::Borrowed("pi_N^m(y) = prod_j pi_N^m(y_j) for every sequence y: best-of-N of a memoryless source is memoryless"),
    hypotheses: crate::claims::borrowed(&[ENUMERABLE_SEQUENCES]),
    method: Method::Exact,
    uses_n: true,
    decide: Decider::Module(decide),
    status: crate::claims::Status::KnownFalse,
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    if ctx.case.m() == 1 {
        return Ok((
            Verdict::Holds,
            Evidence::default().text("reason", "m = 1: one position is its own marginal"),
        ));
    }
    let table = ctx.by_sequence()?;
    let margins = table.marginals();
    for (o, outcome) in table.outcomes.iter().enumerate() {
        let crate::law::Outcome::Sequence(y) = outcome else {
            unreachable!("by-sequence table")
        };
        let product = y
            .iter()
            .enumerate()
            .fold(Rational::from(1), |acc, (j, &a)| {
                acc * &margins[j][a as usize]
            });
        if product != table.pi[o] {
            let mut evidence = Evidence::default()
                .sequence("sequence", y.clone())
                .exact("pi(sequence)", table.pi[o].clone())
                .exact("product of marginals", product);
            for (j, &a) in y.iter().enumerate() {
                evidence = evidence.exact(
                    format!("P(y_{} = {a})", j + 1),
                    margins[j][a as usize].clone(),
                );
            }
            return Ok((Verdict::Fails, evidence));
        }
    }
    Ok((
        Verdict::Holds,
        Evidence::default().text(
            "checked",
            format!(
                "all {} sequences equal the product of marginals",
                table.outcomes.len()
            ),
        ),
    ))
}
