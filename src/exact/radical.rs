//! Exact arithmetic on sums of rational multiples of products of primes with rational
//! exponents, e.g. `3/2 * 2^(1/3) * 5^(1/2) + 7`: the values a tilt `p q^alpha` takes for
//! rational `p`, `q`, `alpha`.
//!
//! Normal form: each product is `prod p^f_p` with `0 < f_p < 1` (integer parts of exponents are
//! moved into the rational coefficient). Such products of distinct primes are linearly
//! independent over the rationals (Besicovitch 1940), so two sums are equal as real numbers
//! exactly when their normal forms are equal. Equality is therefore decided exactly.

use std::collections::BTreeMap;

use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::error::{InputError, Result};

/// Largest integer factored by trial division; anything bigger is refused.
pub const MAX_FACTORED: u64 = 1_000_000_000_000;

/// Largest integer part of a power, in bits (1 Mbit): past it a tilt with a huge exponent
/// would take minutes and gigabytes to write out exactly.
pub const MAX_POWER_BITS: u64 = 1 << 20;

/// `prod p^f` with `0 < f < 1`, primes ascending.
pub type Monomial = Vec<(u64, Rational)>;

/// A finite sum `sum c_m * m` in normal form (no zero coefficients).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RadicalSum {
    terms: BTreeMap<Monomial, Rational>,
}

/// Prime factorisation `[(p, e)]` of a positive integer up to [`MAX_FACTORED`].
pub fn factor(n: &Integer) -> Option<Vec<(u64, u32)>> {
    let mut rest = n.to_u64().filter(|v| (1..=MAX_FACTORED).contains(v))?;
    let mut out = Vec::new();
    let mut d = 2u64;
    while d * d <= rest {
        let mut e = 0;
        while rest % d == 0 {
            rest /= d;
            e += 1;
        }
        if e > 0 {
            out.push((d, e));
        }
        d += if d == 2 { 1 } else { 2 };
    }
    if rest > 1 {
        out.push((rest, 1));
    }
    Some(out)
}

impl RadicalSum {
    /// The empty sum, 0.
    pub fn zero() -> RadicalSum {
        RadicalSum::default()
    }

    /// A rational as a sum of one term.
    pub fn rational(value: Rational) -> RadicalSum {
        let mut out = RadicalSum::zero();
        out.add_term(Vec::new(), value);
        out
    }

    /// `base^exponent` for a positive rational base. Refused (with a sentence) when the base is
    /// not positive, cannot be factored (numerator or denominator above [`MAX_FACTORED`]), or
    /// the integer part of the power would take more than [`MAX_POWER_BITS`] bits.
    pub fn power(base: &Rational, exponent: &Rational) -> Result<RadicalSum> {
        if base.cmp0().is_le() {
            return Err(InputError::new(format!(
                "exact radicals: the base {base} of a power must be positive"
            )));
        }
        let mut coefficient = Rational::from(1);
        let mut monomial: BTreeMap<u64, Rational> = BTreeMap::new();
        let unfactorable = || {
            InputError::new(format!(
                "q: the entry {base} has a numerator or denominator above {MAX_FACTORED} and \
                 cannot be factored for exact radicals"
            ))
        };
        let num = factor(base.numer()).ok_or_else(unfactorable)?;
        let den = factor(base.denom()).ok_or_else(unfactorable)?;
        let signed = num
            .into_iter()
            .map(|(p, e)| (p, e as i64))
            .chain(den.into_iter().map(|(p, e)| (p, -(e as i64))));
        for (prime, e) in signed {
            let total = Rational::from(e) * exponent;
            let (fraction, whole) = total.fract_floor(Integer::new());
            let prime_bits = 64 - prime.leading_zeros() as u64;
            let bits = whole
                .to_u64()
                .or_else(|| Integer::from(-&whole).to_u64())
                .map(|w| w as u128 * prime_bits as u128);
            if bits.is_none_or(|b| b > MAX_POWER_BITS as u128) {
                return Err(InputError::new(format!(
                    "alpha/beta: ({base})^({exponent}) needs an exact power {prime}^{whole}, more \
                     than {MAX_POWER_BITS} bits; use a smaller exponent (the tilt is then decided \
                     exactly) or a q with smaller entries"
                )));
            }
            coefficient *= integer_power(prime, &whole);
            if fraction.cmp0().is_ne() {
                monomial.insert(prime, fraction);
            }
        }
        let mut out = RadicalSum::zero();
        out.add_term(monomial.into_iter().collect(), coefficient);
        Ok(out)
    }

    fn add_term(&mut self, monomial: Monomial, coefficient: Rational) {
        if coefficient.cmp0().is_eq() {
            return;
        }
        let entry = self.terms.entry(monomial).or_default();
        *entry += coefficient;
        if entry.cmp0().is_eq() {
            // Remove cancelled terms so that equal values have equal normal forms.
            self.terms.retain(|_, c| c.cmp0().is_ne());
        }
    }

    /// `self + other`, in normal form.
    pub fn add(&self, other: &RadicalSum) -> RadicalSum {
        let mut out = self.clone();
        for (m, c) in &other.terms {
            out.add_term(m.clone(), c.clone());
        }
        out
    }

    /// `self * other`, in normal form.
    pub fn mul(&self, other: &RadicalSum) -> RadicalSum {
        let mut out = RadicalSum::zero();
        for (ma, ca) in &self.terms {
            for (mb, cb) in &other.terms {
                let (monomial, carry) = multiply_monomials(ma, mb);
                out.add_term(monomial, Rational::from(ca * cb) * carry);
            }
        }
        out
    }

    /// Whether the sum is exactly 0 (decided exactly: the radicals are independent).
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// How many terms the normal form has.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Human-readable normal form, e.g. `3/2*2^(1/3)*5^(1/2) + 7`.
    pub fn render(&self) -> String {
        if self.terms.is_empty() {
            return "0".into();
        }
        self.terms
            .iter()
            .map(|(m, c)| {
                let mut parts = vec![c.to_string()];
                parts.extend(m.iter().map(|(p, f)| format!("{p}^({f})")));
                parts.join("*")
            })
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// The terms, for enclosure or display: `(coefficient, [(prime, exponent)])`.
    pub fn terms(&self) -> impl Iterator<Item = (&Monomial, &Rational)> {
        self.terms.iter()
    }
}

/// `prime^exponent` for an exponent already checked against [`MAX_POWER_BITS`].
fn integer_power(prime: u64, exponent: &Integer) -> Rational {
    let e = exponent.to_i64().unwrap_or(0);
    let magnitude = Integer::from(prime).pow(e.unsigned_abs() as u32);
    if e >= 0 {
        Rational::from(magnitude)
    } else {
        Rational::from((1, magnitude))
    }
}

/// Multiplies two monomials; exponents that reach 1 carry a factor of the prime out.
fn multiply_monomials(a: &Monomial, b: &Monomial) -> (Monomial, Rational) {
    let mut merged: BTreeMap<u64, Rational> = a.iter().cloned().collect();
    for (p, f) in b {
        *merged.entry(*p).or_default() += f;
    }
    let mut carry = Rational::from(1);
    let mut out = Vec::new();
    for (p, mut f) in merged {
        if f >= 1 {
            f -= 1;
            carry *= p;
        }
        if f.cmp0().is_ne() {
            out.push((p, f));
        }
    }
    (out, carry)
}

/// A quotient of two radical sums (no cancellation is attempted; equality cross-multiplies).
#[derive(Debug, Clone)]
pub struct RadicalFraction {
    /// The numerator.
    pub num: RadicalSum,
    /// The denominator.
    pub den: RadicalSum,
}

impl RadicalFraction {
    /// `num / den`.
    pub fn new(num: RadicalSum, den: RadicalSum) -> RadicalFraction {
        RadicalFraction { num, den }
    }

    /// `self + other`.
    pub fn add(&self, other: &RadicalFraction) -> RadicalFraction {
        RadicalFraction {
            num: self.num.mul(&other.den).add(&other.num.mul(&self.den)),
            den: self.den.mul(&other.den),
        }
    }

    /// `self * other`.
    pub fn mul(&self, other: &RadicalFraction) -> RadicalFraction {
        RadicalFraction {
            num: self.num.mul(&other.num),
            den: self.den.mul(&other.den),
        }
    }

    /// `self / other`.
    pub fn div(&self, other: &RadicalFraction) -> RadicalFraction {
        RadicalFraction {
            num: self.num.mul(&other.den),
            den: self.den.mul(&other.num),
        }
    }

    /// Exact equality: `a/b = c/d` iff `a d = c b` (denominators are non-zero).
    pub fn equals(&self, other: &RadicalFraction) -> bool {
        self.num.mul(&other.den) == other.num.mul(&self.den)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn powers_normalise_integer_parts_into_the_coefficient() {
        // 12^(3/2) = 2^3 * 3^(3/2) = 8 * 3 * 3^(1/2)
        let v = RadicalSum::power(&q(12, 1), &q(3, 2)).unwrap();
        assert_eq!(v.render(), "24*3^(1/2)");
        // (2/9)^(1/2) = 2^(1/2) / 3
        assert_eq!(
            RadicalSum::power(&q(2, 9), &q(1, 2)).unwrap().render(),
            "1/3*2^(1/2)"
        );
        // (1/8)^(-1/3) = 2
        assert_eq!(
            RadicalSum::power(&q(1, 8), &q(-1, 3)).unwrap().render(),
            "2"
        );
    }

    #[test]
    fn products_carry_and_sums_cancel() {
        let r2 = RadicalSum::power(&q(2, 1), &q(1, 2)).unwrap();
        assert_eq!(r2.mul(&r2), RadicalSum::rational(q(2, 1)));
        let cube = RadicalSum::power(&q(2, 1), &q(1, 3)).unwrap();
        assert_eq!(cube.mul(&cube).mul(&cube), RadicalSum::rational(q(2, 1)));
        let minus = RadicalSum::rational(q(-1, 1)).mul(&r2);
        assert!(r2.add(&minus).is_zero());
        // 4^(1/2) = 2 but 2^(1/2) + 2^(1/2) != 2
        assert_eq!(
            RadicalSum::power(&q(4, 1), &q(1, 2)).unwrap(),
            RadicalSum::rational(q(2, 1))
        );
        assert_ne!(r2.add(&r2), RadicalSum::rational(q(2, 1)));
    }

    #[test]
    fn fractions_compare_by_cross_multiplication() {
        let r2 = RadicalSum::power(&q(2, 1), &q(1, 2)).unwrap();
        let one = RadicalSum::rational(q(1, 1));
        // 1/sqrt 2 = sqrt 2 / 2
        let a = RadicalFraction::new(one.clone(), r2.clone());
        let b = RadicalFraction::new(r2, RadicalSum::rational(q(2, 1)));
        assert!(a.equals(&b));
        assert!(!a.equals(&RadicalFraction::new(one.clone(), one)));
    }

    #[test]
    fn factors_and_refuses_huge_numbers() {
        assert_eq!(
            factor(&Integer::from(360)),
            Some(vec![(2, 3), (3, 2), (5, 1)])
        );
        assert_eq!(
            factor(&Integer::from(999_999_999_989u64)),
            Some(vec![(999_999_999_989, 1)])
        );
        assert_eq!(factor(&(Integer::from(10).pow(13))), None);
    }
}
