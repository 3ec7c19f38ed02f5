//! `bon-kl-monotone-in-n`: `KL(pi_N || p) <= KL(pi_{N+1} || p)`.
//!
//! Source: Beirami et al. (arXiv 2401.01879): KL of best-of-N is non-decreasing in N.

use crate::claims::support::{decide_le, kl};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;

pub const CLAIM: Claim = Claim {
    id: "bon-kl-monotone-in-n",
    source: "arXiv 2401.01879 (Beirami et al.), monotonicity in N",
    statement: "KL(pi_N || p) <= KL(pi_{N+1} || p)",
    hypotheses: &[],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let law = ctx.law()?;
    if law.class_mass.iter().filter(|a| a.cmp0().is_gt()).count() == 1 {
        return Ok((
            Verdict::Holds,
            Evidence::default().text(
                "exact",
                "one ranked class has all the mass: pi_N = pi_{N+1} = p, both KL = 0",
            ),
        ));
    }
    let next = ctx.law_next()?;
    Ok(decide_le(
        ctx,
        ("KL(pi_N || p)", "KL(pi_{N+1} || p)"),
        |prec| (kl(law, prec), kl(next, prec)),
    ))
}
