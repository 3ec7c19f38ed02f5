//! `tradeoff-continuous-optimum`: no policy beats the continuous optimum trade-off between
//! win rate and KL, `W*(lambda) = 1/(1 - e^-lambda) - 1/lambda`,
//! `KL*(lambda) = log(lambda / (e^lambda - 1)) + lambda W*(lambda)`: a policy with
//! `KL(pi || p) = KL*(lambda)` has `W <= W*(lambda)`. Checked with pi = pi_N.
//!
//! Source: Beirami et al., "Theoretical guarantees on the best-of-n alignment policy"
//! (arXiv 2401.01879), Conjecture 7.2 (second-hand, as docs/math.md says).
//!
//! Decided by enclosures: `lambda` is bracketed between rationals with `KL*(lo) < KL(pi_N || p)
//! < KL*(hi)` certified (`KL*` increases from 0), and the exact rational W is compared with
//! `[W*(lo), W*(hi)]` (`W*` increases from 1/2). On discrete cases the conjecture is in fact a
//! theorem: spreading each reward level's mass uniformly over its quantile interval turns pi into
//! a continuous policy with the same W (ties half) and no more KL, and the continuous optimum
//! is optimal; so a "fails" here would be a bug, and the check is a test of the machinery.

use std::borrow::Cow;

use rug::Rational;

use crate::claims::support::kl;
use crate::claims::{Claim, Context, Decider, Evidence, Method, Verdict};
use crate::enclosure::{self, Decision, Interval};
use crate::error::Result;
use crate::law::functionals::win_rate;
use crate::tilt::tradeoff::{lambda_bracket, w_star_over};

/// Conjecture 7.2's continuous optimum W*, KL* of 003.
pub const CLAIM: Claim = Claim {
    id: Cow::Borrowed("tradeoff-continuous-optimum"),
    source: Cow::Borrowed("arXiv 2401.01879 (Beirami et al.), Conjecture 7.2 (second-hand)"),
    statement: Cow::Borrowed("W(pi_N) <= W*(lambda) where KL*(lambda) = KL(pi_N || p); W* = 1/(1-e^-lambda) - 1/lambda, KL* = log(lambda/(e^lambda-1)) + lambda W*"),
    hypotheses: crate::claims::borrowed(&[]),
    method: Method::Enclosure,
    uses_n: true,
    decide: Decider::Module(decide),
    status: crate::claims::Status::Theorem,
};

fn decide(ctx: &Context) -> Result<(Verdict, Evidence)> {
    let law = ctx.law()?;
    let w = win_rate(law).ties_half;
    let evidence = Evidence::default().exact("W (ties half)", w.clone());
    if ctx.n() == 1 || law.support_class_count() == 1 {
        // pi_N = p: KL = 0 = KL*(0+), and W = 1/2 = W*(0+).
        let verdict = if w <= Rational::from((1, 2)) {
            Verdict::Holds
        } else {
            Verdict::Fails
        };
        return Ok((
            verdict,
            evidence.text(
                "exact",
                "pi_N = p: KL = 0, the optimum's limit W*(0+) = 1/2",
            ),
        ));
    }
    let bracket = match lambda_bracket(|prec| kl(law, prec), ctx.policy) {
        Ok(b) => b,
        Err((reason, prec)) => {
            return Ok((
                Verdict::Undecided,
                evidence
                    .text(
                        "undecided",
                        format!("lambda: KL*(lambda) against KL(pi_N || p): {reason}"),
                    )
                    .at_prec(prec),
            ))
        }
    };
    let out = enclosure::decide(ctx.policy, |prec| {
        (
            Interval::from_rational(&w, prec),
            w_star_over(&bracket, prec),
        )
    });
    let evidence = evidence
        .enclosure("KL(pi_N || p)", kl(law, out.prec))
        .exact("lambda lower end", bracket.lo.clone())
        .exact("lambda upper end", bracket.hi.clone())
        .enclosure("KL* at lambda lower end", bracket.f_lo.clone())
        .enclosure("KL* at lambda upper end", bracket.f_hi.clone())
        .enclosure("W*(lambda) over the bracket", out.right)
        .at_prec(out.prec.max(bracket.prec));
    let verdict = match out.decision {
        Decision::Less | Decision::Equal => Verdict::Holds,
        Decision::Greater => Verdict::Fails,
        Decision::Undecided => Verdict::Undecided,
    };
    Ok((verdict, evidence))
}
