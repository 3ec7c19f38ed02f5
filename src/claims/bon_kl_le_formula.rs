//! `bon-kl-le-formula`: `KL(pi_N || p) <= log N - (N-1)/N` for every p and N.
//!
//! Source: Beirami et al., "Theoretical guarantees on the best-of-n alignment policy"
//! (arXiv 2401.01879), Theorem 3.1 in v3.

use crate::claims::support::{decide_le, kl, kl_formula};
use crate::claims::{Claim, Context, Evidence, Method, Verdict};
use crate::error::Result;

pub const CLAIM: Claim = Claim {
    id: "bon-kl-le-formula",
    source: "arXiv 2401.01879 (Beirami et al.), Theorem 3.1 (v3)",
    statement: "KL(pi_N || p) <= log N - (N-1)/N",
    hypotheses: &[],
    method: Method::Enclosure,
    decide,
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    if ctx.n() == 1 {
        return Ok((
            Verdict::Holds,
            Evidence::default().text("exact", "N = 1: KL = 0 = log 1 - 0"),
        ));
    }
    let law = ctx.law()?;
    Ok(decide_le(
        ctx,
        ("KL(pi_N || p)", "log N - (N-1)/N"),
        |prec| (kl(law, prec), kl_formula(ctx.n(), prec)),
    ))
}
