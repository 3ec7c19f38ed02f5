//! `bon-kl-formula-exact`: the literature's formula `KL(pi_N || p) = log N - (N-1)/N`, claimed
//! to be exact.
//!
//! Source: the formula as used in the alignment literature and disproved by Beirami et al.,
//! "Theoretical guarantees on the best-of-n alignment policy" (arXiv 2401.01879), abstract.

use crate::claims::support::{kl_against, kl_formula};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;

pub const CLAIM: Claim = Claim {
    id: "bon-kl-formula-exact",
    source:
        "arXiv 2401.01879 (Beirami et al.), abstract: the literature's formula, disproved there",
    statement: "KL(pi_N || p) = log N - (N-1)/N exactly",
    hypotheses: &[],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    kl_against(ctx, "log N - (N-1)/N", kl_formula, true)
}
