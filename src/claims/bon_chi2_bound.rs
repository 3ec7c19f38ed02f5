//! `bon-chi2-bound`: `chi^2(pi_N || p) <= (N-1)^2 / (2N-1)`.
//!
//! Source: the f-divergence bound `int_0^1 f(N u^(N-1)) du` for best-of-N (Mroueh 2024;
//! BoNBoN, Gui et al. 2024), with `f(t) = (t-1)^2`. Decided exactly.

use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::claims::support::exact_le;
use crate::claims::{Claim, Context, Evidence, Method, Verdict};
use crate::error::Result;
use crate::law::ExactLaw;

pub const CLAIM: Claim = Claim {
    id: "bon-chi2-bound",
    source: "Mroueh 2024; Gui et al. 2024 (BoNBoN): f-divergence bound, f(t) = (t-1)^2",
    statement: "chi^2(pi_N || p) = sum_y pi_N(y)^2 / p(y) - 1 <= (N-1)^2 / (2N-1)",
    hypotheses: &[],
    method: Method::Exact,
    decide,
};

/// `sum_y pi(y)^a p(y)^(1-a)` for an integer order `a >= 2`, exactly. On a class `pi/p` is
/// constant, so the sum is `sum_k pi(C_k)^a / p(C_k)^(a-1)`.
pub fn power_sum(law: &ExactLaw, order: u32) -> Rational {
    let mut total = Rational::new();
    for (delta, mass) in law.class_delta.iter().zip(&law.class_mass) {
        if delta.cmp0().is_eq() {
            continue;
        }
        // (Delta / D^N)^a / (A / D)^(a-1) = Delta^a D^(a-1) / (A^(a-1) D^(aN))
        let num =
            Integer::from(delta.pow(order)) * Integer::from((&law.denominator).pow(order - 1));
        let den =
            Integer::from(mass.pow(order - 1)) * Integer::from((&law.denominator_pow_n).pow(order));
        total += Rational::from((num, den));
    }
    total
}

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let n = ctx.n();
    let chi2 = power_sum(ctx.law()?, 2) - 1u32;
    let bound = Rational::from(((n - 1) as u128 * (n - 1) as u128, 2 * n as u128 - 1));
    Ok(exact_le(
        ("chi^2(pi_N || p)", "(N-1)^2/(2N-1)"),
        chi2,
        bound,
    ))
}
