//! `bon-renyi-bound`: the Renyi divergence of order a of best-of-N from the reference is at
//! most `log(N^a / (a(N-1)+1)) / (a-1)`; checked for a = 2 and a = 3.
//!
//! Source: the f-divergence bound for best-of-N (Mroueh 2024; BoNBoN, Gui et al. 2024).
//! For integer a > 1 the bound is equivalent to the exact rational inequality
//! `sum_y pi^a p^(1-a) <= N^a / (a(N-1)+1)` (log is increasing and a - 1 > 0).

use rug::{Integer, Rational};

use crate::claims::bon_chi2_bound::decide_power_sum;
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;

pub const ORDERS: [u32; 2] = [2, 3];

pub const CLAIM: Claim = Claim {
    id: "bon-renyi-bound",
    source: "Mroueh 2024; Gui et al. 2024 (BoNBoN): Renyi bound of best-of-N",
    statement: "D_a(pi_N || p) <= log(N^a / (a(N-1)+1)) / (a-1), for a = 2, 3",
    hypotheses: &[],
    method: Method::ExactByEnclosure,
    uses_n: true,
    decide: Decider::Module(decide),
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let law = ctx.law()?;
    let n = ctx.n();
    let mut evidence = Evidence::default();
    let mut verdict = Verdict::Holds;
    for a in ORDERS {
        let bound = Rational::from((
            Integer::from(Integer::u_pow_u(n as u32, a)),
            Integer::from(a as u64 * (n - 1) + 1),
        ));
        let (v, e) = decide_power_sum(ctx, law, a, &bound);
        if v == Verdict::Fails {
            verdict = Verdict::Fails;
        }
        evidence.items.extend(e.items);
        evidence.prec = evidence.prec.max(e.prec);
        evidence = evidence.exact(format!("N^{a}/({a}(N-1)+1)"), bound);
    }
    Ok((verdict, evidence))
}
