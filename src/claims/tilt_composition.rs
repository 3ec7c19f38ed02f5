//! `tilt-composition` and `tilt-composition-misprint`: tilting twice adds the exponents,
//! `T(q, T(q, p, a), b) = T(q, p, a + b)`; the printed proof's `p q^(a b)` would multiply them.
//!
//! Source: Yang et al., "Asymptotics of Language Model Alignment" (arXiv 2404.01730),
//! Appendix, Lemma 9 (statement `a + b`; its proof writes `p q^{a b}`). Decided exactly: every
//! entry is a fraction of sums of rationals times products of primes with rational exponents,
//! compared in normal form (see `exact::radical`).

use std::borrow::Cow;

use rug::Rational;

use crate::claims::support::TILT_PARAMETERS;
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::error::Result;
use crate::tilt::{tilt_exact, tilt_fractions};

/// Lemma 9 of 003: tilts compose, `T(q, T(q, p, a), b) = T(q, p, a + b)`.
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("tilt-composition"),
    source: Cow::Borrowed("arXiv 2404.01730 (Yang et al.), Lemma 9"),
    statement: Cow::Borrowed("T(q, T(q, p, alpha), beta) = T(q, p, alpha + beta), entry by entry"),
    hypotheses: crate::claims::borrowed(&[TILT_PARAMETERS]),
    method: Method::Exact,
    uses_n: false,
    decide: Decider::Module(|ctx| decide(ctx, |a, b| Rational::from(a + b), "alpha + beta")),
    status: crate::claims::Status::Theorem,
};

/// Lemma 9 as misprinted (`a * b`): false.
pub const MISPRINT: Claim = Claim {
    id: Cow::Borrowed("tilt-composition-misprint"),
    source: Cow::Borrowed(
        "arXiv 2404.01730 (Yang et al.), proof of Lemma 9 as printed (p q^(alpha beta))",
    ),
    statement: Cow::Borrowed("T(q, T(q, p, alpha), beta) = T(q, p, alpha * beta), entry by entry"),
    hypotheses: crate::claims::borrowed(&[TILT_PARAMETERS]),
    method: Method::Exact,
    uses_n: false,
    decide: Decider::Module(|ctx| decide(ctx, |a, b| Rational::from(a * b), "alpha * beta")),
    status: crate::claims::Status::KnownFalse,
};

fn decide(
    ctx: &Context,
    combine: fn(&Rational, &Rational) -> Rational,
    combined: &str,
) -> Result<(Verdict, Evidence)> {
    let q = ctx.q().expect("hypothesis checked");
    let (alpha, beta) = (
        ctx.tilt.alpha.clone().expect("checked"),
        ctx.tilt.beta.clone().expect("checked"),
    );
    let p = ctx.case.source.pmf.probs();
    let twice = tilt_fractions(&tilt_exact(p, &q, &alpha)?, &q, &beta)?;
    let exponent = combine(&alpha, &beta);
    let once = tilt_exact(p, &q, &exponent)?;
    let evidence = Evidence::default()
        .exact("alpha", alpha)
        .exact("beta", beta)
        .exact(combined, exponent);
    for (y, (left, right)) in twice.iter().zip(&once).enumerate() {
        if !left.equals(right) {
            let evidence = evidence
                .text("letter", y.to_string())
                .text("T(q, T(q,p,alpha), beta)(y) numerator", left.num.render())
                .text("T(q, T(q,p,alpha), beta)(y) denominator", left.den.render())
                .text(
                    format!("T(q, p, {combined})(y) numerator"),
                    right.num.render(),
                )
                .text(
                    format!("T(q, p, {combined})(y) denominator"),
                    right.den.render(),
                );
            return Ok((Verdict::Fails, evidence));
        }
    }
    Ok((
        Verdict::Holds,
        evidence.text(
            "checked",
            format!("all {} letters equal in exact radical normal form", p.len()),
        ),
    ))
}
