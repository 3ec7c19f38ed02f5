//! `bon-kl-le-formula`: `KL(pi_N || p) <= log N - (N-1)/N` for every p and N.
//!
//! Source: Beirami et al., "Theoretical guarantees on the best-of-n alignment policy"
//! (arXiv 2401.01879), Theorem 3.1 in v3.

use crate::claims::support::{kl_against, kl_formula};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;

pub const CLAIM: Claim = Claim {
    id: "bon-kl-le-formula",
    source: "arXiv 2401.01879 (Beirami et al.), Theorem 3.1 (v3)",
    statement: "KL(pi_N || p) <= log N - (N-1)/N",
    hypotheses: &[],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    kl_against(ctx, "log N - (N-1)/N", kl_formula, false)
}
