//! `bon-chi2-bound`: `chi^2(pi_N || p) <= (N-1)^2 / (2N-1)`.
//!
//! Source: the f-divergence bound `int_0^1 f(N u^(N-1)) du` for best-of-N (Mroueh 2024;
//! BoNBoN, Gui et al. 2024), with `f(t) = (t-1)^2`. Decided exactly.

use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::enclosure::{self, Decision, Interval};
use crate::error::Result;
use crate::law::ExactLaw;

pub const CLAIM: Claim = Claim {
    id: "bon-chi2-bound",
    source: "Mroueh 2024; Gui et al. 2024 (BoNBoN): f-divergence bound, f(t) = (t-1)^2",
    statement: "chi^2(pi_N || p) = sum_y pi_N(y)^2 / p(y) - 1 <= (N-1)^2 / (2N-1)",
    hypotheses: &[],
    method: Method::ExactByEnclosure,
    uses_n: true,
    decide: Decider::Module(decide),
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

/// An enclosure of [`power_sum`]: `sum_k pi(C_k)^a / p(C_k)^(a-1)` from integer quotients.
pub fn power_sum_enclosure(law: &ExactLaw, order: u32, prec: u32) -> Interval {
    let d_pow_n = Interval::from_integer(&law.denominator_pow_n, prec);
    let d = Interval::from_integer(&law.denominator, prec);
    let mut total = Interval::from_integer(&Integer::new(), prec);
    for (delta, mass) in law.class_delta.iter().zip(&law.class_mass) {
        if delta.cmp0().is_eq() {
            continue;
        }
        let pi = Interval::from_integer(delta, prec)
            .div(&d_pow_n)
            .expect("D^N > 0");
        let p = Interval::from_integer(mass, prec).div(&d).expect("D > 0");
        let ratio = pi.div(&p).expect("a class with pi > 0 has p > 0"); // pi/p, constant on the class
        let term = (1..order).fold(pi, |acc, _| acc.mul(&ratio));
        total = total.add(&term);
    }
    total
}

/// Decides `sum pi^a p^(1-a) <= bound`: enclosures first, the exact sum if they cannot separate.
pub fn decide_power_sum(
    ctx: &Context,
    law: &ExactLaw,
    order: u32,
    bound: &Rational,
) -> (Verdict, Evidence) {
    let out = enclosure::decide(ctx.policy, |prec| {
        (
            power_sum_enclosure(law, order, prec),
            Interval::from_rational(bound, prec),
        )
    });
    let name = format!("sum pi^{order} p^(1-{order})");
    match out.decision {
        Decision::Less => (
            Verdict::Holds,
            Evidence::default()
                .enclosure(name, out.left)
                .at_prec(out.prec),
        ),
        Decision::Greater => (
            Verdict::Fails,
            Evidence::default()
                .enclosure(name, out.left)
                .at_prec(out.prec),
        ),
        Decision::Equal | Decision::Undecided => {
            let exact = power_sum(law, order);
            let verdict = if exact <= *bound {
                Verdict::Holds
            } else {
                Verdict::Fails
            };
            (verdict, Evidence::default().exact(name, exact))
        }
    }
}

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let n = ctx.n();
    // chi^2 = sum pi^2/p - 1 <= (N-1)^2/(2N-1)  <=>  sum pi^2/p <= N^2/(2N-1)
    let bound = Rational::from((n as u128 * n as u128, 2 * n as u128 - 1));
    let (verdict, evidence) = decide_power_sum(ctx, ctx.law()?, 2, &bound);
    Ok((
        verdict,
        evidence
            .exact("1 + (N-1)^2/(2N-1)", bound)
            .text("note", "chi^2(pi_N || p) = sum pi^2 / p - 1"),
    ))
}
