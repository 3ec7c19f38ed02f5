//! `bon-kl-le-log-n`: `KL(pi_N^m || p^m) <= log N`.
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Section 4, Lemma 6 (a corollary of Beirami et al., arXiv 2401.01879).

use crate::claims::support::{kl_against, ln_n};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;

pub const CLAIM: Claim = Claim {
    id: "bon-kl-le-log-n",
    source: "arXiv 2404.01730 (Yang et al.), Lemma 6",
    statement: "KL(pi_N || p) <= log N",
    hypotheses: &[],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    kl_against(ctx, "log N", ln_n, false)
}
