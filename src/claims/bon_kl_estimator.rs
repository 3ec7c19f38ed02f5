//! `bon-kl-estimator-bounds` and `bon-kl-estimator-conjecture`: the KL estimator proposed for
//! best-of-N, with `eps` the reference probability of the returned sample,
//! `d_N(eps) = (1-eps)^N [log N + (N-1) log(1-eps) - (N-1)/N]
//!           + (1 - (1-eps)^N) log((1 - (1-eps)^N) / eps)`.
//!
//! Source: Beirami et al. (arXiv 2401.01879), Eq. 25 in v3, second-hand. Claimed:
//! `0 <= d_N(eps) <= log N - (N-1)/N`, and the conjecture `E_{y ~ pi_N} d_N(p(y)) >= KL(pi_N || p)`.

use rug::Rational;

use crate::claims::support::{decide_le, kl, kl_formula, mass_and_sequence_prob, Quotient};
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::enclosure::{decide, Decision, Interval};
use crate::error::Result;

pub const BOUNDS: Claim = Claim {
    id: "bon-kl-estimator-bounds",
    source: "arXiv 2401.01879 (Beirami et al.), Eq. 25 (v3), second-hand",
    statement: "0 <= d_N(p(y)) <= log N - (N-1)/N for every y with pi_N(y) > 0",
    hypotheses: &[],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide_bounds),
};

pub const CONJECTURE: Claim = Claim {
    id: "bon-kl-estimator-conjecture",
    source: "arXiv 2401.01879 (Beirami et al.), Eq. 25 (v3) and its conjecture, second-hand",
    statement: "E_{y ~ pi_N}[d_N(p(y))] >= KL(pi_N || p)",
    hypotheses: &[],
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide_conjecture),
};

/// `d_N(eps)` enclosed at `prec` bits, for `0 < eps <= 1`. `(1-eps)^N` is taken as
/// `exp(N ln1p(-eps))` and `1 - (1-eps)^N` as `-expm1(N ln1p(-eps))`, so tiny `eps` (down to
/// the 1e-21 of workload W1) keep their relative accuracy.
pub fn estimator(n: u64, eps: &Rational, prec: u32) -> Interval {
    let zero = Interval::from_rational(&Rational::new(), prec);
    if *eps == 1 {
        return zero; // (1-eps)^N = 0 and the second term is 1 * log(1/1)
    }
    let minus_eps = Interval::from_rational(&Rational::from(-eps), prec);
    let log_miss = minus_eps.ln_1p().expect("eps < 1"); // ln(1 - eps)
    let n_log_miss = Interval::from_rational(&Rational::from(n), prec).mul(&log_miss);
    let tail = n_log_miss.exp(); // (1-eps)^N
    let hit = n_log_miss.exp_m1().neg(); // 1 - (1-eps)^N
    let first = tail.mul(
        &Interval::ln_of(&Rational::from(n), prec)
            .expect("N >= 1")
            .add(&Interval::from_rational(&Rational::from(n - 1), prec).mul(&log_miss))
            .sub(&Interval::from_rational(&Rational::from((n - 1, n)), prec)),
    );
    let ratio = hit
        .div(&Interval::from_rational(eps, prec))
        .expect("eps > 0");
    let second = hit.mul(&ratio.ln().expect("1 - (1-eps)^N > 0"));
    first.add(&second)
}

/// `E_{y ~ pi_N}[d_N(p(y))]` enclosed, from `support::mass_and_sequence_prob` of the law.
pub fn expected_estimator(terms: &[(Quotient, Rational)], n: u64, prec: u32) -> Interval {
    terms.iter().fold(
        Interval::from_rational(&Rational::new(), prec),
        |acc, (mass, eps)| acc.add(&mass.enclose(prec).mul(&estimator(n, eps, prec))),
    )
}

fn decide_bounds(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let n = ctx.n();
    let mut eps_values: Vec<Rational> = mass_and_sequence_prob(ctx.law()?)
        .into_iter()
        .map(|(_, eps)| eps)
        .collect();
    eps_values.sort();
    eps_values.dedup();
    if n == 1 {
        return Ok((
            Verdict::Holds,
            Evidence::default().text("exact", "N = 1: d_1(eps) = 0 = log 1 - 0 for every eps"),
        ));
    }
    let mut worst: Option<(Verdict, Evidence)> = None;
    for eps in &eps_values {
        // Lower bound 0 <= d_N(eps), then upper bound d_N(eps) <= log N - (N-1)/N.
        let lower = decide(ctx.policy, |prec| {
            (
                Interval::from_rational(&Rational::new(), prec),
                estimator(n, eps, prec),
            )
        });
        let upper = decide(ctx.policy, |prec| {
            (estimator(n, eps, prec), kl_formula(n, prec))
        });
        for (out, side) in [
            (lower, "0 <= d_N(eps)"),
            (upper, "d_N(eps) <= log N - (N-1)/N"),
        ] {
            let verdict = match out.decision {
                Decision::Less | Decision::Equal => continue,
                Decision::Greater => Verdict::Fails,
                Decision::Undecided => Verdict::Undecided,
            };
            let evidence = Evidence::default()
                .exact("eps = p(y)", eps.clone())
                .text("violated side", side)
                .enclosure("left", out.left)
                .enclosure("right", out.right)
                .at_prec(out.prec);
            if verdict == Verdict::Fails {
                return Ok((verdict, evidence));
            }
            worst.get_or_insert((verdict, evidence));
        }
    }
    Ok(worst.unwrap_or((
        Verdict::Holds,
        Evidence::default().text(
            "checked",
            format!("{} distinct values of eps = p(y)", eps_values.len()),
        ),
    )))
}

fn decide_conjecture(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let n = ctx.n();
    if n == 1 {
        return Ok((
            Verdict::Holds,
            Evidence::default().text("exact", "N = 1: both sides are 0"),
        ));
    }
    let law = ctx.law()?;
    let terms = mass_and_sequence_prob(law);
    Ok(decide_le(
        ctx,
        ("KL(pi_N || p)", "E_pi[d_N(p(y))]"),
        |prec| (kl(law, prec), expected_estimator(&terms, n, prec)),
    ))
}
