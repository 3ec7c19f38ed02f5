//! `bon-kl-le-log-inv-eps`: `KL(pi_N || p) <= log(1/eps_inf)` with `eps_inf` the reference
//! probability of the top reward class.
//!
//! Source: Beirami et al. (arXiv 2401.01879), the bound by the top class's mass (true and
//! provable: `pi_N / p <= 1/eps_inf` pointwise under uniform tie-breaking).

use rug::Rational;

use crate::claims::support::{decide_le, kl, top_reward_mass, UNIFORM_TIE_BREAK};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::enclosure::Interval;
use crate::error::Result;

pub const CLAIM: Claim = Claim {
    id: "bon-kl-le-log-inv-eps",
    source: "arXiv 2401.01879 (Beirami et al.), bound by the top reward class",
    statement: "KL(pi_N || p) <= log(1/eps_inf), eps_inf = p(top reward class)",
    hypotheses: &[UNIFORM_TIE_BREAK],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let law = ctx.law()?;
    let eps = top_reward_mass(law);
    if eps == 1 && ctx.case.tie_break == crate::model::TieBreak::Uniform {
        return Ok((
            Verdict::Holds,
            Evidence::default()
                .text("exact", "one reward class: pi_N = p, KL = 0 = log 1")
                .exact("eps_inf", eps),
        ));
    }
    let inverse = Rational::from(eps.recip_ref());
    let (verdict, evidence) = decide_le(ctx, ("KL(pi_N || p)", "log(1/eps_inf)"), |prec| {
        (
            kl(law, prec),
            Interval::ln_of(&inverse, prec).expect("eps > 0"),
        )
    });
    Ok((verdict, evidence.exact("eps_inf", eps)))
}
