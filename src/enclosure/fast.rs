//! Enclosures of non-negative quantities in hardware `f64`: for sums of many small products
//! (soft best-of-N over millions of compositions) where MPFR's allocation per operation costs
//! more than the precision buys. Each operation rounds to nearest and then widens the result
//! by one ulp each way, which contains the true value: round to nearest is off by at most
//! half an ulp of the result (the ulp of the lower binade below a power of two is the larger
//! step, so `next_down` still covers it). A lower end clamps at 0 (every value here is
//! non-negative); an infinite or NaN end makes the interval unusable, and [`NonNegF64`]
//! returns `None` rather than a wrong enclosure.

use rug::float::Round;
use rug::{Float, Rational};

use super::Interval;

/// `[lo, hi]` with `0 <= lo <= hi < inf`: built only from an [`Interval`] or an integer, and
/// only by the operations below, each of which keeps the true value inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NonNegF64 {
    lo: f64,
    hi: f64,
}

impl NonNegF64 {
    fn checked(lo: f64, hi: f64) -> Option<NonNegF64> {
        let lo = lo.max(0.0);
        (hi.is_finite() && lo <= hi).then_some(NonNegF64 { lo, hi })
    }

    /// The enclosure of a non-negative `Interval`, rounded outward to `f64`; `None` when it
    /// reaches below 0 or past `f64::MAX`.
    pub fn from_interval(i: &Interval) -> Option<NonNegF64> {
        if i.lo().is_sign_negative() && !i.lo().is_zero() {
            return None;
        }
        let lo = i.lo().to_f64_round(Round::Down);
        let hi = i.hi().to_f64_round(Round::Up);
        NonNegF64::checked(lo, hi)
    }

    /// A non-negative rational, rounded outward.
    pub fn from_rational(x: &Rational) -> Option<NonNegF64> {
        if x.cmp0().is_lt() {
            return None;
        }
        let lo = Float::with_val_round(53, x, Round::Down)
            .0
            .to_f64_round(Round::Down);
        let hi = Float::with_val_round(53, x, Round::Up)
            .0
            .to_f64_round(Round::Up);
        NonNegF64::checked(lo, hi)
    }

    /// An integer, exactly when it fits 53 bits (then lo = hi).
    pub fn from_u64(k: u64) -> Option<NonNegF64> {
        let x = k as f64;
        if x as u64 == k && k <= 1 << 53 {
            NonNegF64::checked(x, x)
        } else {
            NonNegF64::from_rational(&Rational::from(k))
        }
    }

    /// `self + other`.
    pub fn plus(self, other: NonNegF64) -> Option<NonNegF64> {
        NonNegF64::checked(
            (self.lo + other.lo).next_down(),
            (self.hi + other.hi).next_up(),
        )
    }

    /// `self * other`.
    pub fn times(self, other: NonNegF64) -> Option<NonNegF64> {
        NonNegF64::checked(
            (self.lo * other.lo).next_down(),
            (self.hi * other.hi).next_up(),
        )
    }

    /// `self / other`; `None` when `other` may be 0.
    pub fn over(self, other: NonNegF64) -> Option<NonNegF64> {
        if other.lo <= 0.0 {
            return None;
        }
        NonNegF64::checked(
            (self.lo / other.hi).next_down(),
            (self.hi / other.lo).next_up(),
        )
    }

    /// As an [`Interval`] of `prec >= 53` bits (its ends are exact there).
    pub fn to_interval(self, prec: u32) -> Interval {
        let prec = prec.max(53);
        Interval::from_ends(
            Float::with_val(prec, self.lo),
            Float::with_val(prec, self.hi),
        )
    }

    /// The ends.
    pub fn ends(self) -> (f64, f64) {
        (self.lo, self.hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation contains the exact rational result, on values whose f64 products
    /// round (thirds, tenths, near-powers of two).
    #[test]
    fn operations_contain_the_exact_result() {
        let values = [
            "1/3",
            "1/10",
            "7/9",
            "1",
            "3",
            "1/1048577",
            "1099511627775/1099511627776",
        ];
        for a in values {
            for b in values {
                let (x, y) = (
                    crate::exact::parse_rational(a).unwrap(),
                    crate::exact::parse_rational(b).unwrap(),
                );
                let (fx, fy) = (
                    NonNegF64::from_rational(&x).unwrap(),
                    NonNegF64::from_rational(&y).unwrap(),
                );
                for (got, exact) in [
                    (fx.plus(fy), Rational::from(&x + &y)),
                    (fx.times(fy), Rational::from(&x * &y)),
                    (fx.over(fy), Rational::from(&x / &y)),
                ] {
                    let got = got.unwrap().to_interval(64);
                    assert!(got.contains(&exact), "{a}, {b}: {exact} outside {got:?}");
                }
            }
        }
        assert!(NonNegF64::from_u64(0)
            .unwrap()
            .over(NonNegF64::from_u64(0).unwrap())
            .is_none());
        let big = NonNegF64::from_rational(&Float::with_val(53, f64::MAX).to_rational().unwrap())
            .unwrap();
        assert!(big.times(big).is_none(), "overflow is refused");
        let tiny = NonNegF64::from_rational(&Rational::from((1, rug::Integer::from(1) << 1070u32)))
            .unwrap();
        let product = tiny.times(tiny).unwrap();
        assert_eq!(
            product.ends().0,
            0.0,
            "an underflowed lower end clamps at 0"
        );
        assert!(product.ends().1 > 0.0);
    }
}
