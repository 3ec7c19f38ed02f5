//! The two exact rational backends behind one small trait.
//!
//! `rug::Rational` (GMP) is the main backend; `num_rational::BigRational` is an unrelated
//! implementation used to confirm results. Values cross between them only through decimal
//! strings of numerator and denominator, so neither backend's arithmetic is used by the other.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};
use rug::{Integer, Rational};

/// Exact rational arithmetic, as much as the reference law needs.
pub trait ExactField: Clone + PartialEq + PartialOrd + std::fmt::Debug {
    /// Short name for reports (`rug`, `num`).
    const NAME: &'static str;
    /// Exactly 0.
    fn zero() -> Self;
    /// Exactly 1.
    fn one() -> Self;
    /// An integer, exactly.
    fn from_integer(value: &Integer) -> Self;
    /// A rational, exactly (through its decimal string for the other library).
    fn from_rational(value: &Rational) -> Self;
    /// Back to a `rug::Rational`, exactly.
    fn to_rational(&self) -> Rational;
    /// `self + other`.
    fn add(&self, other: &Self) -> Self;
    /// `self - other`.
    fn sub(&self, other: &Self) -> Self;
    /// `self * other`.
    fn mul(&self, other: &Self) -> Self;
    /// Panics on a zero divisor; callers divide only by probabilities of non-empty classes.
    fn div(&self, other: &Self) -> Self;
    /// Whether the value is 0.
    fn is_zero(&self) -> bool;
    /// `self ^ exponent`.
    fn pow(&self, exponent: u32) -> Self;
}

impl ExactField for Rational {
    const NAME: &'static str = "rug";
    fn zero() -> Self {
        Rational::new()
    }
    fn one() -> Self {
        Rational::from(1)
    }
    fn from_integer(value: &Integer) -> Self {
        Rational::from(value)
    }
    fn from_rational(value: &Rational) -> Self {
        value.clone()
    }
    fn to_rational(&self) -> Rational {
        self.clone()
    }
    fn add(&self, other: &Self) -> Self {
        Rational::from(self + other)
    }
    fn sub(&self, other: &Self) -> Self {
        Rational::from(self - other)
    }
    fn mul(&self, other: &Self) -> Self {
        Rational::from(self * other)
    }
    fn div(&self, other: &Self) -> Self {
        Rational::from(self / other)
    }
    fn is_zero(&self) -> bool {
        self.cmp0().is_eq()
    }
    fn pow(&self, exponent: u32) -> Self {
        use rug::ops::Pow;
        Rational::from(Pow::pow(self, exponent))
    }
}

fn bigint_from_rug(value: &Integer) -> BigInt {
    BigInt::parse_bytes(value.to_string_radix(10).as_bytes(), 10)
        .expect("a GMP integer prints as decimal digits")
}

fn rug_from_bigint(value: &BigInt) -> Integer {
    Integer::from_str_radix(&value.to_str_radix(10), 10)
        .expect("a num-bigint integer prints as decimal digits")
}

impl ExactField for BigRational {
    const NAME: &'static str = "num";
    fn zero() -> Self {
        Zero::zero()
    }
    fn one() -> Self {
        One::one()
    }
    fn from_integer(value: &Integer) -> Self {
        BigRational::from_integer(bigint_from_rug(value))
    }
    fn from_rational(value: &Rational) -> Self {
        BigRational::new(
            bigint_from_rug(value.numer()),
            bigint_from_rug(value.denom()),
        )
    }
    fn to_rational(&self) -> Rational {
        Rational::from((rug_from_bigint(self.numer()), rug_from_bigint(self.denom())))
    }
    fn add(&self, other: &Self) -> Self {
        self + other
    }
    fn sub(&self, other: &Self) -> Self {
        self - other
    }
    fn mul(&self, other: &Self) -> Self {
        self * other
    }
    fn div(&self, other: &Self) -> Self {
        self / other
    }
    fn is_zero(&self) -> bool {
        Zero::is_zero(self)
    }
    fn pow(&self, exponent: u32) -> Self {
        // Square-and-multiply on num's own operators.
        let mut result = <Self as One>::one();
        let mut base = self.clone();
        let mut e = exponent;
        while e > 0 {
            if e & 1 == 1 {
                result = &result * &base;
            }
            e >>= 1;
            if e > 0 {
                base = &base * &base;
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_backend<F: ExactField>() {
        let a = F::from_rational(&Rational::from((3, 10)));
        let b = F::from_rational(&Rational::from((1, 5)));
        assert_eq!(a.add(&b).to_rational(), Rational::from((1, 2)));
        assert_eq!(a.sub(&b).to_rational(), Rational::from((1, 10)));
        assert_eq!(a.mul(&b).to_rational(), Rational::from((3, 50)));
        assert_eq!(a.div(&b).to_rational(), Rational::from((3, 2)));
        assert_eq!(a.pow(3).to_rational(), Rational::from((27, 1000)));
        assert_eq!(a.pow(0).to_rational(), Rational::from(1));
        assert!(b < a);
        assert!(F::zero().is_zero());
        let big = Integer::from(Integer::u_pow_u(7, 200));
        assert_eq!(F::from_integer(&big).to_rational(), Rational::from(&big));
    }

    #[test]
    fn both_backends_do_the_same_arithmetic() {
        check_backend::<Rational>();
        check_backend::<BigRational>();
    }
}
