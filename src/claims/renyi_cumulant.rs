//! `renyi-cumulant`: the scaled cumulant generating function of the reward under the aligned
//! model is a Renyi cross entropy, `(1/rho) log E_phi q^rho = -H_{1+rho}(phi || q)` with
//! `H_t(phi || q) = 1/(1-t) log sum phi q^(t-1)` and `phi = T(q, p, alpha)`; `rho = beta`.
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Section 3, Lemma 3. Decided exactly: both logarithms' arguments are compared in radical
//! normal form and both prefactors as rationals; if they differ, enclosures decide.

use std::borrow::Cow;

use rug::Rational;

use crate::claims::support::{decide_eq, TILT_PARAMETERS};
use crate::claims::{Claim, Context, Decider, Evidence, Hypothesis, Method, Verdict};
use crate::enclosure::Interval;
use crate::error::Result;
use crate::exact::radical::{RadicalFraction, RadicalSum};
use crate::tilt::{enclose_fraction, tilt_exact};

const RHO_NONZERO: Hypothesis = Hypothesis {
    name: "rho-nonzero",
    statement: "rho = beta is not 0 (the cumulant divides by rho)",
    check: |ctx| match &ctx.tilt.beta {
        Some(b) if b.cmp0().is_eq() => Err("beta = 0".into()),
        _ => Ok(()),
    },
};

/// The Renyi divergence of tilts as a cumulant difference, decided in radicals.
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("renyi-cumulant"),
    source: Cow::Borrowed("arXiv 2404.01730 (Yang et al.), Lemma 3"),
    statement: Cow::Borrowed(
        "(1/rho) log E_{phi} q^rho = -H_{1+rho}(phi || q), phi = T(q, p, alpha), rho = beta",
    ),
    hypotheses: crate::claims::borrowed(&[TILT_PARAMETERS, RHO_NONZERO]),
    method: Method::Exact,
    uses_n: false,
    decide: Decider::Module(decide),
    status: crate::claims::Status::Theorem,
};

/// `sum_y phi(y) q(y)^e` for an exact tilt `phi`.
fn expectation(phi: &[RadicalFraction], q: &[Rational], e: &Rational) -> Result<RadicalFraction> {
    let one = RadicalSum::rational(Rational::from(1));
    let mut total = RadicalFraction::new(RadicalSum::zero(), one.clone());
    for (f, qy) in phi.iter().zip(q) {
        let power = RadicalSum::power(qy, e)?;
        total = total.add(&f.mul(&RadicalFraction::new(power, one.clone())));
    }
    Ok(total)
}

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let q = ctx.q().expect("hypothesis checked");
    let (alpha, rho) = (
        ctx.tilt.alpha.clone().expect("checked"),
        ctx.tilt.beta.clone().expect("checked"),
    );
    let phi = tilt_exact(ctx.case.source.pmf.probs(), &q, &alpha)?;
    let t = Rational::from(&rho + 1u32);
    let left_arg = expectation(&phi, &q, &rho)?;
    let right_arg = expectation(&phi, &q, &Rational::from(&t - 1u32))?;
    let left_coefficient = Rational::from(rho.recip_ref());
    // -H_t = -(1/(1-t)) log(...)
    let right_coefficient = -Rational::from((Rational::from(1) - &t).recip_ref());
    let evidence = Evidence::default()
        .exact("alpha", alpha)
        .exact("rho", rho)
        .exact("1/rho", left_coefficient.clone())
        .exact("-1/(1-t), t = 1+rho", right_coefficient.clone());
    if left_arg.equals(&right_arg) && left_coefficient == right_coefficient {
        return Ok((
            Verdict::Holds,
            evidence.text(
                "exact",
                "equal prefactors and equal arguments E_phi q^rho in radical normal form",
            ),
        ));
    }
    let (verdict, enclosures) = decide_eq(
        ctx,
        ("(1/rho) log E_phi q^rho", "-H_{1+rho}(phi || q)"),
        |prec| {
            let side = |c: &Rational, arg: &RadicalFraction| {
                let value = enclose_fraction(arg, prec)
                    .and_then(|i| i.ln())
                    .expect("positive expectation");
                Interval::from_rational(c, prec).mul(&value)
            };
            (
                side(&left_coefficient, &left_arg),
                side(&right_coefficient, &right_arg),
            )
        },
    );
    let mut evidence = evidence;
    evidence.items.extend(enclosures.items);
    evidence.prec = enclosures.prec;
    Ok((verdict, evidence))
}
