//! Rigorous enclosures over MPFR: an [`Interval`] `[lo, hi]` is a pair of `rug::Float`s with
//! the lower end always rounded down and the upper end always rounded up, so the true value
//! stays inside through every operation. MPFR's `ln` and `exp` are correctly rounded in every
//! rounding mode, so directed rounding of them gives rigorous ends too.
//!
//! Architecture invariant: nothing in this module rounds to nearest, except [`fast`], which
//! widens every round-to-nearest result by one ulp each way.

pub mod decide;
pub mod fast;

use std::cmp::Ordering;

use rug::float::Round;
use rug::ops::{AssignRound, CompleteRound};
use rug::{Float, Rational};

pub use decide::{decide, Decision, DecisionOutcome, PrecisionPolicy};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Sign {
    Positive,
    Negative,
    Mixed,
}

/// A closed interval that contains the true value of some real quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    lo: Float,
    hi: Float,
}

/// `value` rounded to `prec` bits in direction `round`.
fn rounded<T>(prec: u32, value: T, round: Round) -> Float
where
    Float: AssignRound<T, Round = Round, Ordering = Ordering>,
{
    let mut out = Float::new(prec);
    out.assign_round(value, round);
    out
}

impl Interval {
    /// The tightest enclosure of an exact rational at `prec` bits.
    pub fn from_rational(value: &Rational, prec: u32) -> Interval {
        Interval {
            lo: rounded(prec, value, Round::Down),
            hi: rounded(prec, value, Round::Up),
        }
    }

    /// The tightest enclosure of an exact integer at `prec` bits.
    pub fn from_integer(value: &rug::Integer, prec: u32) -> Interval {
        Interval {
            lo: rounded(prec, value, Round::Down),
            hi: rounded(prec, value, Round::Up),
        }
    }

    /// The interval `[lo, hi]` between two exact rationals (`lo <= hi`), ends rounded outward.
    pub fn between(lo: &Rational, hi: &Rational, prec: u32) -> Interval {
        debug_assert!(lo <= hi, "interval ends out of order");
        Interval {
            lo: rounded(prec, lo, Round::Down),
            hi: rounded(prec, hi, Round::Up),
        }
    }

    /// An enclosure from explicit ends; `lo <= hi` is the caller's promise.
    pub fn from_ends(lo: Float, hi: Float) -> Interval {
        debug_assert!(lo <= hi, "interval ends out of order");
        Interval { lo, hi }
    }

    /// The lower end (rounded down).
    pub fn lo(&self) -> &Float {
        &self.lo
    }

    /// The upper end (rounded up).
    pub fn hi(&self) -> &Float {
        &self.hi
    }

    /// The precision of the ends, in bits.
    pub fn prec(&self) -> u32 {
        self.lo.prec().min(self.hi.prec())
    }

    /// True when both ends are finite numbers.
    pub fn is_finite(&self) -> bool {
        self.lo.is_finite() && self.hi.is_finite()
    }

    /// `self + other`, ends rounded outward.
    pub fn add(&self, other: &Interval) -> Interval {
        let prec = self.prec().max(other.prec());
        Interval {
            lo: (&self.lo + &other.lo).complete_round(prec, Round::Down).0,
            hi: (&self.hi + &other.hi).complete_round(prec, Round::Up).0,
        }
    }

    /// `self - other`, ends rounded outward.
    pub fn sub(&self, other: &Interval) -> Interval {
        let prec = self.prec().max(other.prec());
        Interval {
            lo: (&self.lo - &other.hi).complete_round(prec, Round::Down).0,
            hi: (&self.hi - &other.lo).complete_round(prec, Round::Up).0,
        }
    }

    /// `-self` (exact).
    pub fn neg(&self) -> Interval {
        Interval {
            lo: Float::with_val(self.hi.prec(), -&self.hi),
            hi: Float::with_val(self.lo.prec(), -&self.lo),
        }
    }

    /// `self * other`, ends rounded outward.
    pub fn mul(&self, other: &Interval) -> Interval {
        use Sign::{Mixed, Negative, Positive};
        let (a, b) = (self, other);
        // Which corners give the ends, by the signs (the usual table); two products instead
        // of eight except when both straddle zero.
        let (lo, hi) = match (a.sign(), b.sign()) {
            (Positive, Positive) => ((&a.lo, &b.lo), (&a.hi, &b.hi)),
            (Positive, Negative) => ((&a.hi, &b.lo), (&a.lo, &b.hi)),
            (Negative, Positive) => ((&a.lo, &b.hi), (&a.hi, &b.lo)),
            (Negative, Negative) => ((&a.hi, &b.hi), (&a.lo, &b.lo)),
            (Positive, Mixed) => ((&a.hi, &b.lo), (&a.hi, &b.hi)),
            (Mixed, Positive) => ((&a.lo, &b.hi), (&a.hi, &b.hi)),
            (Negative, Mixed) => ((&a.lo, &b.hi), (&a.lo, &b.lo)),
            (Mixed, Negative) => ((&a.hi, &b.lo), (&a.lo, &b.lo)),
            (Mixed, Mixed) => {
                return self.corner_hull(other, |x, y, prec, round| {
                    (x * y).complete_round(prec, round).0
                })
            }
        };
        let prec = a.prec().max(b.prec());
        Interval {
            lo: (lo.0 * lo.1).complete_round(prec, Round::Down).0,
            hi: (hi.0 * hi.1).complete_round(prec, Round::Up).0,
        }
    }

    /// Whether the interval lies in `[0, inf)`, in `(-inf, 0]`, or straddles zero.
    fn sign(&self) -> Sign {
        if self.lo.cmp0() != Some(Ordering::Less) && !self.lo.is_nan() {
            Sign::Positive
        } else if self.hi.cmp0() != Some(Ordering::Greater) && !self.hi.is_nan() {
            Sign::Negative
        } else {
            Sign::Mixed
        }
    }

    /// `|self|`.
    pub fn abs(&self) -> Interval {
        if self.lo.cmp0() != Some(Ordering::Less) {
            self.clone()
        } else if self.hi.cmp0() != Some(Ordering::Greater) {
            self.neg()
        } else {
            // Negation is exact at the end's own precision; pick the larger end whole.
            let minus_lo = Float::with_val(self.lo.prec(), -&self.lo);
            let hi = if minus_lo > self.hi {
                minus_lo
            } else {
                self.hi.clone()
            };
            Interval {
                lo: Float::with_val(self.prec(), 0),
                hi,
            }
        }
    }

    /// `self^2`, which is never negative (unlike `self * self` on an interval around 0).
    pub fn square(&self) -> Interval {
        let prec = self.prec();
        let (lo_sq, hi_sq) = (
            |round| Float::with_val_round(prec, self.lo.square_ref(), round).0,
            |round| Float::with_val_round(prec, self.hi.square_ref(), round).0,
        );
        if self.contains_zero() {
            let hi = lo_sq(Round::Up).max(&hi_sq(Round::Up));
            return Interval {
                lo: Float::with_val(prec, 0),
                hi,
            };
        }
        if self.lo.cmp0() == Some(Ordering::Greater) {
            Interval {
                lo: lo_sq(Round::Down),
                hi: hi_sq(Round::Up),
            }
        } else {
            Interval {
                lo: hi_sq(Round::Down),
                hi: lo_sq(Round::Up),
            }
        }
    }

    /// `self^k` by repeated squaring (`square` keeps even powers non-negative); each step
    /// rounds outward, so the relative width grows about `k` times, not `2^k`.
    pub fn pow_u(&self, k: u64) -> Interval {
        let mut out = Interval::from_rational(&Rational::from(1), self.prec());
        let mut base = self.clone();
        let mut k = k;
        while k > 0 {
            if k & 1 == 1 {
                out = out.mul(&base);
            }
            k >>= 1;
            if k > 0 {
                base = base.square();
            }
        }
        out
    }

    /// `self / other`, or `None` when `other` may contain zero.
    pub fn div(&self, other: &Interval) -> Option<Interval> {
        if other.contains_zero() {
            return None;
        }
        use Sign::{Mixed, Negative, Positive};
        let (a, b) = (self, other);
        let (lo, hi) = match (a.sign(), b.sign()) {
            (Positive, Positive) => ((&a.lo, &b.hi), (&a.hi, &b.lo)),
            (Negative, Positive) => ((&a.lo, &b.lo), (&a.hi, &b.hi)),
            (Mixed, Positive) => ((&a.lo, &b.lo), (&a.hi, &b.lo)),
            (Positive, Negative) => ((&a.hi, &b.hi), (&a.lo, &b.lo)),
            (Negative, Negative) => ((&a.hi, &b.lo), (&a.lo, &b.hi)),
            (Mixed, Negative) => ((&a.hi, &b.hi), (&a.lo, &b.hi)),
            (_, Mixed) => {
                return Some(self.corner_hull(other, |x, y, prec, round| {
                    (x / y).complete_round(prec, round).0
                }))
            }
        };
        let prec = a.prec().max(b.prec());
        Some(Interval {
            lo: (lo.0 / lo.1).complete_round(prec, Round::Down).0,
            hi: (hi.0 / hi.1).complete_round(prec, Round::Up).0,
        })
    }

    /// The hull of `op` over the four corners, each rounded outward. Valid for `*` and for `/`
    /// by an interval without zero, which take their extremes at corners.
    fn corner_hull(
        &self,
        other: &Interval,
        op: impl Fn(&Float, &Float, u32, Round) -> Float,
    ) -> Interval {
        let prec = self.prec().max(other.prec());
        let corners = [
            (&self.lo, &other.lo),
            (&self.lo, &other.hi),
            (&self.hi, &other.lo),
            (&self.hi, &other.hi),
        ];
        let lo = corners
            .iter()
            .map(|(a, b)| op(a, b, prec, Round::Down))
            .reduce(|x, y| if y < x { y } else { x });
        let hi = corners
            .iter()
            .map(|(a, b)| op(a, b, prec, Round::Up))
            .reduce(|x, y| if y > x { y } else { x });
        Interval {
            lo: lo.expect("four corners"),
            hi: hi.expect("four corners"),
        }
    }

    /// `ln` of a positive interval (increasing, so the ends map to the ends); `None` when the
    /// interval reaches zero or below.
    pub fn ln(&self) -> Option<Interval> {
        if self.lo.cmp0() != Some(Ordering::Greater) {
            return None;
        }
        Some(Interval {
            lo: rounded(self.lo.prec(), self.lo.ln_ref(), Round::Down),
            hi: rounded(self.hi.prec(), self.hi.ln_ref(), Round::Up),
        })
    }

    /// `ln(1 + x)` for `x > -1` (increasing); accurate when `x` is tiny, unlike `ln` of `1 + x`.
    pub fn ln_1p(&self) -> Option<Interval> {
        if self.lo <= -1 {
            return None;
        }
        Some(Interval {
            lo: rounded(self.lo.prec(), self.lo.ln_1p_ref(), Round::Down),
            hi: rounded(self.hi.prec(), self.hi.ln_1p_ref(), Round::Up),
        })
    }

    /// `exp(x) - 1` (increasing); accurate when `x` is tiny.
    pub fn exp_m1(&self) -> Interval {
        Interval {
            lo: rounded(self.lo.prec(), self.lo.exp_m1_ref(), Round::Down),
            hi: rounded(self.hi.prec(), self.hi.exp_m1_ref(), Round::Up),
        }
    }

    /// `exp` (increasing).
    pub fn exp(&self) -> Interval {
        Interval {
            lo: rounded(self.lo.prec(), self.lo.exp_ref(), Round::Down),
            hi: rounded(self.hi.prec(), self.hi.exp_ref(), Round::Up),
        }
    }

    /// `ln` of an exact positive rational, enclosed at `prec` bits.
    pub fn ln_of(value: &Rational, prec: u32) -> Option<Interval> {
        Interval::from_rational(value, prec + 8)
            .ln()
            .map(|i| i.with_prec(prec))
    }

    /// The same enclosure at another precision, widened outward if it must be.
    pub fn with_prec(&self, prec: u32) -> Interval {
        Interval {
            lo: rounded(prec, &self.lo, Round::Down),
            hi: rounded(prec, &self.hi, Round::Up),
        }
    }

    /// The smallest interval holding both (`[min lo, max hi]`).
    pub fn hull(&self, other: &Interval) -> Interval {
        // Pick whole ends (never `Float::min`, which rounds the other end to nearest).
        Interval {
            lo: if other.lo < self.lo {
                &other.lo
            } else {
                &self.lo
            }
            .clone(),
            hi: if other.hi > self.hi {
                &other.hi
            } else {
                &self.hi
            }
            .clone(),
        }
    }

    /// Whether 0 lies in the interval.
    pub fn contains_zero(&self) -> bool {
        self.lo.cmp0() != Some(Ordering::Greater) && self.hi.cmp0() != Some(Ordering::Less)
    }

    /// Whether the exact rational `value` lies in the interval (compared exactly).
    pub fn contains(&self, value: &Rational) -> bool {
        self.lo.partial_cmp(value).is_some_and(|o| o.is_le())
            && self.hi.partial_cmp(value).is_some_and(|o| o.is_ge())
    }

    /// `Some(Less)` when every point of `self` is below every point of `other`, `Some(Greater)`
    /// in the opposite case, `Some(Equal)` when both are the same single point (then both true
    /// values are that point exactly), `None` when the intervals overlap otherwise.
    pub fn certified_cmp(&self, other: &Interval) -> Option<Ordering> {
        if self.lo == self.hi && other.lo == other.hi && self.lo == other.lo {
            Some(Ordering::Equal)
        } else if self.hi < other.lo {
            Some(Ordering::Less)
        } else if self.lo > other.hi {
            Some(Ordering::Greater)
        } else {
            None
        }
    }

    /// Width `hi - lo`, rounded up.
    pub fn width(&self) -> Float {
        (&self.hi - &self.lo)
            .complete_round(self.prec(), Round::Up)
            .0
    }

    /// `[lo, hi]` with `digits` significant decimal digits, each end rounded outward.
    pub fn display(&self, digits: usize) -> String {
        let (lo, hi) = self.decimal_ends(Some(digits));
        format!("[{lo}, {hi}]")
    }

    /// Decimal renderings of the ends, rounded outward (the lower end down, the upper end up)
    /// so the printed interval still contains the value; `None` digits gives as many as the
    /// precision carries. A zero end prints as `0`, never `-0`.
    pub fn decimal_ends(&self, digits: Option<usize>) -> (String, String) {
        let render = |end: &Float, round: Round| {
            if end.is_zero() {
                "0".to_string()
            } else {
                crate::exact::decimal::positional(&end.to_string_radix_round(10, digits, round))
            }
        };
        (render(&self.lo, Round::Down), render(&self.hi, Round::Up))
    }
}

impl std::fmt::Display for Interval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display(12))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn powers_by_squaring_contain_the_exact_power_and_stay_narrow() {
        use rug::ops::Pow;
        for (x, k) in [
            (q(3, 7), 0u32),
            (q(3, 7), 1),
            (q(-3, 7), 5),
            (q(-5, 2), 6),
            (q(9999, 10000), 1000),
        ] {
            let exact = Rational::from((&x).pow(k));
            let i = Interval::from_rational(&x, 128).pow_u(u64::from(k));
            assert!(i.contains(&exact), "{x}^{k}");
            if exact.cmp0() != Ordering::Equal {
                // Relative width at most about k + log k units of 2^-128.
                let rel = Float::with_val(64, i.width()) / Float::with_val(64, &exact).abs();
                assert!(rel < Float::with_val(64, 2f64.powi(-110)), "{x}^{k}: {rel}");
            }
        }
        // An even power of an interval around 0 is not negative.
        let around_zero = Interval::between(&q(-1, 2), &q(1, 3), 64);
        assert_eq!(around_zero.pow_u(2).lo().cmp0(), Some(Ordering::Equal));
    }

    #[test]
    fn sign_table_products_and_quotients_match_the_four_corners() {
        // Every sign pattern, with zero ends and inexact quotients among them.
        let ends = [-7i64, -3, -1, 0, 2, 5];
        let intervals: Vec<Interval> = ends
            .iter()
            .flat_map(|&lo| {
                ends.iter()
                    .filter(move |&&hi| hi >= lo)
                    .map(move |&hi| (lo, hi))
            })
            .map(|(lo, hi)| Interval::between(&q(lo, 3), &q(hi, 3), 24))
            .collect();
        for a in &intervals {
            for b in &intervals {
                let corners =
                    a.corner_hull(b, |x, y, prec, round| (x * y).complete_round(prec, round).0);
                assert_eq!(a.mul(b), corners, "{a} * {b}");
                if !b.contains_zero() {
                    let corners =
                        a.corner_hull(b, |x, y, prec, round| (x / y).complete_round(prec, round).0);
                    assert_eq!(a.div(b).unwrap(), corners, "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn rationals_are_enclosed_and_exact_ones_are_points() {
        let third = Interval::from_rational(&q(1, 3), 64);
        assert!(third.contains(&q(1, 3)));
        assert!(third.lo() < third.hi());
        let half = Interval::from_rational(&q(1, 2), 64);
        assert_eq!(half.lo(), half.hi());
    }

    #[test]
    fn arithmetic_keeps_the_true_value_inside() {
        let a = Interval::from_rational(&q(1, 3), 53);
        let b = Interval::from_rational(&q(-2, 7), 53);
        assert!(a.add(&b).contains(&q(1, 21)));
        assert!(a.sub(&b).contains(&q(13, 21)));
        assert!(a.mul(&b).contains(&q(-2, 21)));
        assert!(a.div(&b).unwrap().contains(&q(-7, 6)));
        assert!(b.neg().contains(&q(2, 7)));
        let zero_ish = Interval::from_ends(Float::with_val(53, -1), Float::with_val(53, 1));
        assert!(a.div(&zero_ish).is_none());
    }

    #[test]
    fn ln_and_exp_bracket_known_values() {
        // ln 2 = 0.693147180559945309417232121458...
        let ln2 = Interval::ln_of(&q(2, 1), 64).unwrap();
        let below = q(693_147_180_559_945_309, 1_000_000_000_000_000_000);
        let above = q(693_147_180_559_945_310, 1_000_000_000_000_000_000);
        assert!(ln2.lo() >= &below && ln2.hi() <= &above, "{ln2}");
        // exp(ln 2) contains 2; ln 4 = 2 ln 2 is decided as overlapping, never as unequal.
        assert!(ln2.exp().contains(&q(2, 1)));
        let ln4 = Interval::ln_of(&q(4, 1), 64).unwrap();
        assert_eq!(ln4.certified_cmp(&ln2.add(&ln2)), None);
        assert_eq!(ln2.certified_cmp(&ln4), Some(Ordering::Less));
        assert!(Interval::ln_of(&q(0, 1), 64).is_none());
    }

    #[test]
    fn higher_precision_gives_narrower_enclosures() {
        let narrow = Interval::ln_of(&q(10, 3), 256).unwrap().width();
        let wide = Interval::ln_of(&q(10, 3), 64).unwrap().width();
        assert!(narrow < wide);
    }
}
