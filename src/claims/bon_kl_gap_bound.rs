//! `bon-kl-gap-bound`: `log N - (N-1)/N - KL(pi_N || p) <= 2N(N-1) sum_y p(y)^2`.
//!
//! Source: Beirami et al. (arXiv 2401.01879), Theorem 3.4 in v3, second-hand (from a summary;
//! it may be mis-transcribed, which is what this check can reveal).

use rug::Rational;

use crate::claims::support::{decide_le, kl, kl_formula, sum_p_squared};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::enclosure::Interval;
use crate::error::Result;

pub const CLAIM: Claim = Claim {
    id: "bon-kl-gap-bound",
    source: "arXiv 2401.01879 (Beirami et al.), Theorem 3.4 (v3), second-hand",
    statement: "log N - (N-1)/N - KL(pi_N || p) <= 2 N (N-1) sum_y p(y)^2",
    hypotheses: &[],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let n = ctx.n();
    let bound = Rational::from(2 * n as u128 * (n as u128 - 1)) * sum_p_squared(ctx);
    if n == 1 {
        return Ok((
            Verdict::Holds,
            Evidence::default()
                .text("exact", "N = 1: gap 0 <= bound 0")
                .exact("bound", bound),
        ));
    }
    let law = ctx.law()?;
    let (verdict, evidence) = decide_le(
        ctx,
        ("gap = log N - (N-1)/N - KL", "2N(N-1) sum p^2"),
        |prec| {
            (
                kl_formula(n, prec).sub(&kl(law, prec)),
                Interval::from_rational(&bound, prec),
            )
        },
    );
    Ok((verdict, evidence.exact("sum_y p(y)^2", sum_p_squared(ctx))))
}
