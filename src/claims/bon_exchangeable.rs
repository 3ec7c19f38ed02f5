//! `bon-exchangeable`: best-of-N of a memoryless source is exchangeable (invariant under
//! permutations of positions).
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Section 4, Lemma 5. Hypotheses: memoryless reference (always true here), a reward that is
//! additive over positions (Assumption 2), ties broken uniformly at random.

use std::borrow::Cow;

use crate::claims::support::{ENUMERABLE_SEQUENCES, SYMMETRIC_REWARD, UNIFORM_TIE_BREAK};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;
use crate::law::Outcome;

/// Best-of-N's law is exchangeable (with uniform tie-breaking).
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("bon-exchangeable"),
    source: Cow::Borrowed("arXiv 2404.01730 (Yang et al.), Lemma 5"),
    statement: Cow::Borrowed(
        "pi_N^m(y) = pi_N^m(sigma y) for every sequence y and permutation sigma of positions",
    ),
    hypotheses: crate::claims::borrowed(&[
        SYMMETRIC_REWARD,
        UNIFORM_TIE_BREAK,
        ENUMERABLE_SEQUENCES,
    ]),
    method: Method::Exact,
    uses_n: true,
    decide: Decider::Module(decide),
    status: crate::claims::Status::TheoremNeeding("uniform-tie-break"),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let table = ctx.by_sequence()?;
    let k = table.k as u64;
    // Sequences are listed lexicographically, so a sequence's index is its base-K value.
    let index = |y: &[u32]| y.iter().fold(0u64, |acc, &a| acc * k + a as u64) as usize;
    // Adjacent transpositions generate all permutations: checking them suffices.
    for (o, outcome) in table.outcomes.iter().enumerate() {
        let Outcome::Sequence(y) = outcome else {
            unreachable!("by-sequence table")
        };
        for j in 0..y.len().saturating_sub(1) {
            if y[j] == y[j + 1] {
                continue;
            }
            let mut swapped = y.clone();
            swapped.swap(j, j + 1);
            let other = index(&swapped);
            if table.pi[o] != table.pi[other] {
                return Ok((
                    Verdict::Fails,
                    Evidence::default()
                        .sequence("sequence", y.clone())
                        .sequence("swapped", swapped)
                        .exact("pi(sequence)", table.pi[o].clone())
                        .exact("pi(swapped)", table.pi[other].clone())
                        .text("swap", format!("positions {} and {}", j + 1, j + 2)),
                ));
            }
        }
    }
    Ok((
        Verdict::Holds,
        Evidence::default().text(
            "checked",
            format!(
                "all {} sequences under every adjacent transposition",
                table.outcomes.len()
            ),
        ),
    ))
}
