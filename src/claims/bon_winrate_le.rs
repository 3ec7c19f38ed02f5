//! `bon-winrate-le`: the win rate of best-of-N against the reference, ties counting half, is
//! at most `N/(N+1)`.
//!
//! Source: Beirami et al. (arXiv 2401.01879), Theorem 5.3 in v3. Decided exactly; the strict
//! win rate (ties count as losses) is reported too, as a different number.

use rug::Rational;

use crate::claims::support::{exact_le, UNIFORM_TIE_BREAK};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;
use crate::law::functionals::win_rate;

pub const CLAIM: Claim = Claim {
    id: "bon-winrate-le",
    source: "arXiv 2401.01879 (Beirami et al.), Theorem 5.3 (v3)",
    statement: "W = P(r(Y) > r(Z)) + 1/2 P(r(Y) = r(Z)) <= N/(N+1), Y ~ pi_N, Z ~ p",
    hypotheses: &[UNIFORM_TIE_BREAK],
    method: Method::Exact,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let w = win_rate(ctx.law()?);
    let n = ctx.n();
    let (verdict, evidence) = exact_le(
        ("W (ties half)", "N/(N+1)"),
        w.ties_half,
        Rational::from((n, n + 1)),
    );
    Ok((verdict, evidence.exact("W strict (ties lose)", w.strict)))
}
