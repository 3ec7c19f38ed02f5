//! The float arithmetics a user might compute in: IEEE `f64` (libm's `ln`/`pow`, subnormals,
//! underflow to 0 below 2^-1074) and MPFR at a chosen precision (correctly rounded to nearest,
//! with MPFR's huge exponent range, so it does not underflow where `f64` does).

use std::cmp::Ordering;

use rug::{Float, Rational};

use crate::error::{InputError, Result};

/// Largest MPFR precision `--float mpfr:P` accepts.
pub const MAX_MPFR_PREC: u32 = 1 << 16;

/// One float arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Arith {
    /// IEEE binary64 with the platform's libm.
    F64,
    /// MPFR, round to nearest, at this many bits.
    Mpfr(u32),
}

impl Arith {
    /// Parses `f64` or `mpfr:P` (2 <= P <= 65536).
    pub fn parse(text: &str) -> Result<Arith> {
        let text = text.trim();
        if text == "f64" {
            return Ok(Arith::F64);
        }
        let bad = |why: &str| {
            InputError::new(format!(
                "float: '{text}' {why}; write f64 or mpfr:P with 2 <= P <= {MAX_MPFR_PREC} bits"
            ))
        };
        let bits = text
            .strip_prefix("mpfr:")
            .ok_or_else(|| bad("is not an arithmetic"))?;
        let prec: u32 = bits.trim().parse().map_err(|_| bad("has no precision"))?;
        if !(2..=MAX_MPFR_PREC).contains(&prec) {
            return Err(bad("has a precision out of range"));
        }
        Ok(Arith::Mpfr(prec))
    }

    /// Parses a comma-separated list, keeping the given order and dropping repeats.
    pub fn parse_list(text: &str) -> Result<Vec<Arith>> {
        let mut out = Vec::new();
        for part in text.split(',').filter(|s| !s.trim().is_empty()) {
            let arith = Arith::parse(part)?;
            if !out.contains(&arith) {
                out.push(arith);
            }
        }
        if out.is_empty() {
            return Err(InputError::new("float: the list of arithmetics is empty"));
        }
        Ok(out)
    }

    /// The arithmetic's name (`f64`, `mpfr:53`).
    pub fn name(self) -> String {
        match self {
            Arith::F64 => "f64".into(),
            Arith::Mpfr(prec) => format!("mpfr:{prec}"),
        }
    }

    /// Significand bits.
    pub fn precision(self) -> u32 {
        match self {
            Arith::F64 => 53,
            Arith::Mpfr(prec) => prec,
        }
    }
}

/// A float result, exactly: finite floats are dyadic rationals.
#[derive(Debug, Clone, PartialEq)]
pub enum FloatValue {
    /// A finite float, exactly (a dyadic rational).
    Finite(Rational),
    /// Plus infinity.
    PosInf,
    /// Minus infinity.
    NegInf,
    /// Not a number.
    NaN,
}

impl FloatValue {
    /// The exact value of a finite float.
    pub fn finite(&self) -> Option<&Rational> {
        match self {
            FloatValue::Finite(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the float is 0.
    pub fn is_zero(&self) -> bool {
        self.finite().is_some_and(|r| r.cmp0().is_eq())
    }

    /// IEEE equality: NaN equals nothing, `-0 == +0` (both are the rational 0).
    pub fn float_eq(&self, other: &FloatValue) -> bool {
        match (self, other) {
            (FloatValue::NaN, _) | (_, FloatValue::NaN) => false,
            (a, b) => a == b,
        }
    }

    /// A total order for grouping: -inf < finite < +inf < NaN.
    pub fn total_cmp(&self, other: &FloatValue) -> Ordering {
        let rank = |v: &FloatValue| match v {
            FloatValue::NegInf => 0,
            FloatValue::Finite(_) => 1,
            FloatValue::PosInf => 2,
            FloatValue::NaN => 3,
        };
        match (self, other) {
            (FloatValue::Finite(a), FloatValue::Finite(b)) => a.cmp(b),
            (a, b) => rank(a).cmp(&rank(b)),
        }
    }
}

/// A float result with the decimal a user would print: the shortest string that reads back
/// to the same float (`f64`), or enough digits to do so (MPFR).
#[derive(Debug, Clone, PartialEq)]
pub struct FloatOut {
    /// The float's exact value.
    pub value: FloatValue,
    /// The decimal a user would print.
    pub text: String,
}

/// The operations the pipelines use, each rounded to nearest in the arithmetic.
pub trait FloatOps {
    /// The float type.
    type V: Clone;
    /// Which arithmetic this is.
    fn arith(&self) -> Arith;
    /// The nearest float to an exact rational (what parsing `0.3` or computing `1.0/5.0` gives).
    fn of(&self, r: &Rational) -> Self::V;
    /// An integer, rounded to nearest.
    fn of_u64(&self, n: u64) -> Self::V {
        self.of(&Rational::from(n))
    }
    /// `a + b`, rounded to nearest.
    fn add(&self, a: &Self::V, b: &Self::V) -> Self::V;
    /// `a - b`, rounded to nearest.
    fn sub(&self, a: &Self::V, b: &Self::V) -> Self::V;
    /// `a * b`, rounded to nearest.
    fn mul(&self, a: &Self::V, b: &Self::V) -> Self::V;
    /// `a / b`, rounded to nearest.
    fn div(&self, a: &Self::V, b: &Self::V) -> Self::V;
    /// `ln a`.
    fn ln(&self, a: &Self::V) -> Self::V;
    /// `exp a`.
    fn exp(&self, a: &Self::V) -> Self::V;
    /// `|a|`.
    fn abs(&self, a: &Self::V) -> Self::V;
    /// `a^b` for a float exponent (`q^alpha`).
    fn pow(&self, a: &Self::V, b: &Self::V) -> Self::V;
    /// `a^n` for the number of draws (`F^N`), as `pow(a, N)`.
    fn pow_n(&self, a: &Self::V, n: u64) -> Self::V;
    /// IEEE comparison; `None` when either side is NaN.
    fn cmp(&self, a: &Self::V, b: &Self::V) -> Option<Ordering>;
    /// Whether `a` is NaN.
    fn is_nan(&self, a: &Self::V) -> bool;
    /// The result converted exactly, with its printed decimal.
    fn out(&self, a: &Self::V) -> FloatOut;

    /// 0.
    fn zero(&self) -> Self::V {
        self.of(&Rational::new())
    }
    /// `a <= b`, as float code compares.
    fn le(&self, a: &Self::V, b: &Self::V) -> bool {
        matches!(self.cmp(a, b), Some(Ordering::Less | Ordering::Equal))
    }
    /// `a == b`, as float code compares.
    fn eq(&self, a: &Self::V, b: &Self::V) -> bool {
        self.cmp(a, b) == Some(Ordering::Equal)
    }
    /// The larger of `a` and `b`.
    fn max(&self, a: &Self::V, b: &Self::V) -> Self::V {
        if self.le(a, b) {
            b.clone()
        } else {
            a.clone()
        }
    }
    /// `|a - b| <= tol * max(|a|, |b|)` with `tol = 2^-(P/2)`, about the square root of the
    /// machine epsilon (`math.isclose`-style); false when either side is NaN.
    fn is_close(&self, a: &Self::V, b: &Self::V) -> bool {
        let tol = self.of(&(Rational::from(1) >> (self.arith().precision() / 2)));
        let gap = self.abs(&self.sub(a, b));
        let scale = self.max(&self.abs(a), &self.abs(b));
        self.eq(a, b) || self.le(&gap, &self.mul(&tol, &scale))
    }
}

/// IEEE binary64 with the platform's libm.
pub struct F64Ops;

impl FloatOps for F64Ops {
    type V = f64;
    fn arith(&self) -> Arith {
        Arith::F64
    }
    fn of(&self, r: &Rational) -> f64 {
        // Nearest at 53 bits with an unbounded exponent, then into f64 (exact unless the value
        // is subnormal or out of range, where f64 rounds it once more, as a parser would).
        Float::with_val(53, r).to_f64()
    }
    fn add(&self, a: &f64, b: &f64) -> f64 {
        a + b
    }
    fn sub(&self, a: &f64, b: &f64) -> f64 {
        a - b
    }
    fn mul(&self, a: &f64, b: &f64) -> f64 {
        a * b
    }
    fn div(&self, a: &f64, b: &f64) -> f64 {
        a / b
    }
    fn ln(&self, a: &f64) -> f64 {
        a.ln()
    }
    fn exp(&self, a: &f64) -> f64 {
        a.exp()
    }
    fn abs(&self, a: &f64) -> f64 {
        a.abs()
    }
    fn pow(&self, a: &f64, b: &f64) -> f64 {
        a.powf(*b)
    }
    fn pow_n(&self, a: &f64, n: u64) -> f64 {
        a.powf(n as f64)
    }
    fn cmp(&self, a: &f64, b: &f64) -> Option<Ordering> {
        a.partial_cmp(b)
    }
    fn is_nan(&self, a: &f64) -> bool {
        a.is_nan()
    }
    fn out(&self, a: &f64) -> FloatOut {
        let value = if a.is_nan() {
            FloatValue::NaN
        } else if a.is_infinite() {
            if *a > 0.0 {
                FloatValue::PosInf
            } else {
                FloatValue::NegInf
            }
        } else {
            FloatValue::Finite(Rational::from_f64(*a).expect("finite"))
        };
        FloatOut {
            value,
            text: format!("{a:?}"),
        }
    }
}

/// MPFR at a fixed precision, round to nearest (rug's default).
pub struct MpfrOps {
    /// The precision in bits.
    pub prec: u32,
}

impl FloatOps for MpfrOps {
    type V = Float;
    fn arith(&self) -> Arith {
        Arith::Mpfr(self.prec)
    }
    fn of(&self, r: &Rational) -> Float {
        Float::with_val(self.prec, r)
    }
    fn add(&self, a: &Float, b: &Float) -> Float {
        Float::with_val(self.prec, a + b)
    }
    fn sub(&self, a: &Float, b: &Float) -> Float {
        Float::with_val(self.prec, a - b)
    }
    fn mul(&self, a: &Float, b: &Float) -> Float {
        Float::with_val(self.prec, a * b)
    }
    fn div(&self, a: &Float, b: &Float) -> Float {
        Float::with_val(self.prec, a / b)
    }
    fn ln(&self, a: &Float) -> Float {
        Float::with_val(self.prec, a.ln_ref())
    }
    fn exp(&self, a: &Float) -> Float {
        Float::with_val(self.prec, a.exp_ref())
    }
    fn abs(&self, a: &Float) -> Float {
        Float::with_val(self.prec, a.abs_ref())
    }
    fn pow(&self, a: &Float, b: &Float) -> Float {
        use rug::ops::Pow;
        Float::with_val(self.prec, a.pow(b))
    }
    fn pow_n(&self, a: &Float, n: u64) -> Float {
        use rug::ops::Pow;
        Float::with_val(self.prec, a.pow(&rug::Integer::from(n)))
    }
    fn cmp(&self, a: &Float, b: &Float) -> Option<Ordering> {
        a.partial_cmp(b)
    }
    fn is_nan(&self, a: &Float) -> bool {
        a.is_nan()
    }
    fn out(&self, a: &Float) -> FloatOut {
        let value = if a.is_nan() {
            FloatValue::NaN
        } else if a.is_infinite() {
            if a.is_sign_positive() {
                FloatValue::PosInf
            } else {
                FloatValue::NegInf
            }
        } else {
            FloatValue::Finite(a.to_rational().expect("finite"))
        };
        // Enough decimal digits to read the float back: ceil(P log10 2) + 1.
        let digits = (self.prec as usize * 30103).div_ceil(100000) + 1;
        let text = if a.is_finite() && !a.is_zero() {
            a.to_string_radix(10, Some(digits))
        } else {
            a.to_string()
        };
        FloatOut { value, text }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arithmetics_and_refuses_bad_ones() {
        assert_eq!(
            Arith::parse_list("f64, mpfr:53,mpfr:113,f64").unwrap(),
            vec![Arith::F64, Arith::Mpfr(53), Arith::Mpfr(113)]
        );
        for bad in ["f32", "mpfr:", "mpfr:1", "mpfr:999999", "mpfr:x"] {
            let err = Arith::parse(bad).unwrap_err().to_string();
            assert!(err.contains(bad), "{err}");
        }
        assert!(Arith::parse_list(" , ").is_err());
    }

    #[test]
    fn conversions_are_nearest_and_outputs_exact() {
        let tenth = Rational::from((1, 10));
        let f = F64Ops.of(&tenth);
        assert_eq!(f, 0.1);
        let out = F64Ops.out(&f);
        // 0.1 in binary64 is 3602879701896397 / 2^55, exactly.
        assert_eq!(
            out.value,
            FloatValue::Finite(Rational::from((3602879701896397u64, 1u64 << 55)))
        );
        assert_eq!(out.text, "0.1");
        let m = MpfrOps { prec: 53 };
        assert_eq!(m.out(&m.of(&tenth)).value, out.value);
        // Same significand, but MPFR does not underflow where f64 does.
        let half = Rational::from((1, 2));
        assert_eq!(
            F64Ops.out(&F64Ops.pow_n(&0.5, 1100)).value,
            FloatValue::Finite(Rational::new())
        );
        assert_eq!(
            m.out(&m.pow_n(&m.of(&half), 1100)).value,
            FloatValue::Finite(Rational::from(1) >> 1100)
        );
        assert_eq!(F64Ops.out(&F64Ops.div(&0.0, &0.0)).value, FloatValue::NaN);
        assert_eq!(F64Ops.out(&f64::NEG_INFINITY).value, FloatValue::NegInf);
    }

    #[test]
    fn is_close_tolerates_rounding_not_real_differences() {
        let a = 0.1 + 0.2;
        assert!(a != 0.3 && F64Ops.is_close(&a, &0.3));
        assert!(!F64Ops.is_close(&0.3, &0.30001));
        assert!(!F64Ops.is_close(&f64::NAN, &f64::NAN));
    }
}
