//! The one bisection of the crate: a certified bracket of the root of an increasing function
//! known through enclosures (alpha against a KL budget, lambda against `KL*`), the target
//! itself exact or enclosed. Ends are rationals; a root sitting exactly at a rational point is
//! bracketed by its neighbours.

use rug::{Integer, Rational};

use crate::enclosure::{decide, Decision, Interval, PrecisionPolicy};

/// Most doublings of the upper end while looking for it (up to 2^200).
const MAX_DOUBLINGS: u32 = 200;

/// A certified bracket `lo <= x <= hi` of the root of an increasing function.
#[derive(Debug, Clone)]
pub struct RootBracket {
    /// The lower end.
    pub lo: Rational,
    /// The upper end.
    pub hi: Rational,
    /// `f(lo)`, certified below the target.
    pub f_lo: Interval,
    /// `f(hi)`, certified above the target.
    pub f_hi: Interval,
    /// The highest precision any end needed.
    pub prec: u32,
}

/// Brackets the root of an increasing `f` on `[lo, inf)` with `f(lo) < target` (the caller's
/// `start`), doubling the upper end from 1, then bisecting to a relative width `2^-goal_bits`.
/// Each comparison raises precision until `f(x)` and the target separate; `Err` says which
/// comparison stayed undecided at the cap. Monotonicity is the caller's fact: every end
/// returned is certified on its side, whatever `f` does in between.
pub fn bracket_increasing(
    f: impl Fn(&Rational, u32) -> Interval,
    target: impl Fn(u32) -> Interval,
    start: (Rational, Interval),
    policy: PrecisionPolicy,
    goal_bits: u32,
) -> std::result::Result<RootBracket, (String, u32)> {
    let max_prec = std::cell::Cell::new(policy.start);
    let compare = |x: &Rational| {
        let out = decide(policy, |prec| (f(x, prec), target(prec)));
        max_prec.set(max_prec.get().max(out.prec));
        (out.decision, out.left)
    };
    let unit = Rational::from((1, Integer::from(1) << goal_bits));
    let width_goal = |hi: &Rational| -> Rational {
        if *hi > 1 {
            Rational::from(&unit * hi)
        } else {
            unit.clone()
        }
    };
    // A point whose value the enclosures cannot tell from the target may be the root itself
    // (pi_N can coincide with a tilt at a rational exponent): bracket it by its neighbours.
    let around = |x: &Rational, floor: &Rational| -> Option<RootBracket> {
        let step = width_goal(x) / 2u32;
        let below = Rational::from(x - &step).max(floor.clone());
        let above = Rational::from(x + &step);
        match (compare(&below), compare(&above)) {
            ((Decision::Less, f_lo), (Decision::Greater, f_hi)) => Some(RootBracket {
                lo: below,
                hi: above,
                f_lo,
                f_hi,
                prec: max_prec.get(),
            }),
            _ => None,
        }
    };
    let (mut lo, mut f_lo) = start;
    let mut hi = Rational::from(1);
    while hi <= lo {
        hi *= 2u32;
    }
    let mut f_hi = None;
    for _ in 0..MAX_DOUBLINGS {
        match compare(&hi) {
            (Decision::Greater, value) => {
                f_hi = Some(value);
                break;
            }
            (Decision::Less, value) => {
                lo = hi.clone();
                f_lo = value;
                hi *= 2u32;
            }
            (_, value) => {
                return around(&hi, &lo)
                    .ok_or_else(|| (format!("f({hi}) = {value} against the target"), policy.cap))
            }
        }
    }
    let Some(mut f_hi) = f_hi else {
        return Err((
            format!("f stayed below the target up to {hi}"),
            max_prec.get(),
        ));
    };
    while Rational::from(&hi - &lo) > width_goal(&hi) {
        let mid = Rational::from(&lo + &hi) / 2u32;
        match compare(&mid) {
            (Decision::Less, value) => {
                lo = mid;
                f_lo = value;
            }
            (Decision::Greater, value) => {
                hi = mid;
                f_hi = value;
            }
            // f(mid) is within 2^-cap of the target: keep the certified bracket.
            _ => break,
        }
    }
    Ok(RootBracket {
        lo,
        hi,
        f_lo,
        f_hi,
        prec: max_prec.get(),
    })
}
