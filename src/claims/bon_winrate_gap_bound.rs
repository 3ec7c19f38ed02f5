//! `bon-winrate-gap-bound`: `N/(N+1) - W <= (N-1)/2 * sum_y p(y)^2` (ties count half in W).
//!
//! Source: Beirami et al. (arXiv 2401.01879), Theorem 5.4 in v3, second-hand.

use rug::Rational;

use crate::claims::support::{exact_le, sum_p_squared, UNIFORM_TIE_BREAK};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;
use crate::law::functionals::win_rate;

pub const CLAIM: Claim = Claim {
    id: "bon-winrate-gap-bound",
    source: "arXiv 2401.01879 (Beirami et al.), Theorem 5.4 (v3), second-hand",
    statement: "N/(N+1) - W <= (N-1)/2 * sum_y p(y)^2",
    hypotheses: &[UNIFORM_TIE_BREAK],
    method: Method::Exact,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let w = win_rate(ctx.law()?);
    let n = ctx.n();
    let gap = Rational::from((n, n + 1)) - &w.ties_half;
    let bound = Rational::from((n - 1, 2)) * sum_p_squared(ctx);
    let (verdict, evidence) = exact_le(("N/(N+1) - W", "(N-1)/2 sum p^2"), gap, bound);
    Ok((verdict, evidence.exact("W (ties half)", w.ties_half)))
}
