//! Exact values of the form `r + sum_i c_i ln a_i` (r, c_i rational, a_i positive rationals):
//! what `log` of exact values, and sums and rational multiples of them, are. Equality of two
//! such values is decidable: write every `a_i` over a coprime base `b_1, .., b_k` (pairwise
//! coprime integers > 1, found by gcds alone, no factoring), so the value is
//! `r + sum_j q_j ln b_j`. The `ln b_j` are linearly independent over Q (a vanishing rational
//! combination would make a product of powers of coprime integers equal 1), and by Baker's
//! theorem `1, ln b_1, .., ln b_k` are then linearly independent over the algebraic numbers:
//! the value is 0 exactly when `r = 0` and every `q_j = 0`. Orders are still decided by
//! enclosures (a nonzero difference is separated from 0 at some precision).

use std::cell::RefCell;
use std::collections::BTreeMap;

use rug::{Integer, Rational};

use crate::enclosure::Interval;

/// `constant + sum coef * ln(arg)`, every `arg` positive and not 1.
#[derive(Debug, Clone)]
pub struct LogSum {
    constant: Rational,
    terms: Vec<(Rational, Rational)>,
    /// The last enclosure computed.
    enclosed: RefCell<Option<Interval>>,
}

impl LogSum {
    /// `coef * ln(arg)` for a positive `arg` (callers handle `arg = 1` and `coef = 0`).
    pub fn term(coef: Rational, arg: Rational) -> LogSum {
        debug_assert!(arg.cmp0().is_gt());
        LogSum {
            constant: Rational::new(),
            terms: vec![(coef, arg)],
            enclosed: RefCell::new(None),
        }
    }

    /// A rational constant.
    pub fn constant(constant: Rational) -> LogSum {
        LogSum {
            constant,
            terms: Vec::new(),
            enclosed: RefCell::new(None),
        }
    }

    /// Whether there are no logarithms left (the value is its constant).
    pub fn rational(&self) -> Option<&Rational> {
        self.terms.is_empty().then_some(&self.constant)
    }

    /// `self + other`.
    pub fn plus(&self, other: &LogSum) -> LogSum {
        let mut terms = self.terms.clone();
        terms.extend(other.terms.iter().cloned());
        LogSum {
            constant: Rational::from(&self.constant + &other.constant),
            terms,
            enclosed: RefCell::new(None),
        }
    }

    /// `self * by`.
    pub fn scaled(&self, by: &Rational) -> LogSum {
        if by.cmp0().is_eq() {
            return LogSum::constant(Rational::new());
        }
        LogSum {
            constant: Rational::from(&self.constant * by),
            terms: self
                .terms
                .iter()
                .map(|(c, a)| (Rational::from(c * by), a.clone()))
                .collect(),
            enclosed: RefCell::new(None),
        }
    }

    /// An enclosure at `prec` bits (guard bits for the number of terms).
    pub fn enclose(&self, prec: u32) -> Interval {
        if let Some(i) = self.enclosed.borrow().as_ref().filter(|i| i.prec() == prec) {
            return i.clone();
        }
        let guard = 8 + (usize::BITS - self.terms.len().leading_zeros());
        let work = prec + guard;
        let mut acc = Interval::from_rational(&self.constant, work);
        for (c, a) in &self.terms {
            // (Near 1 through log1p: a relative accuracy the plain log would lose.)
            let ln = super::value::ln_of(a, work);
            acc = acc.add(&Interval::from_rational(c, work).mul(&ln));
        }
        let i = acc.with_prec(prec);
        *self.enclosed.borrow_mut() = Some(i.clone());
        i
    }

    /// The normal form: the constant and `(b_j, q_j)` over a coprime base, zero
    /// coefficients dropped, bases in increasing order.
    pub fn normal_form(&self) -> (Rational, Vec<(Integer, Rational)>) {
        let mut numbers: Vec<Integer> = Vec::new();
        for (_, a) in &self.terms {
            numbers.push(a.numer().clone());
            numbers.push(a.denom().clone());
        }
        let base = coprime_base(numbers);
        let mut coefs: BTreeMap<Integer, Rational> = BTreeMap::new();
        for (c, a) in &self.terms {
            for (part, sign) in [(a.numer(), 1), (a.denom(), -1)] {
                let mut rest = part.clone();
                for b in &base {
                    let mut e = 0i64;
                    while rest.is_divisible(b) {
                        rest /= b;
                        e += 1;
                    }
                    if e != 0 {
                        *coefs.entry(b.clone()).or_default() += Rational::from(c * (sign * e));
                    }
                }
                debug_assert_eq!(rest, 1, "the base covers every argument");
            }
        }
        let terms = coefs
            .into_iter()
            .filter(|(_, q)| q.cmp0().is_ne())
            .collect();
        (self.constant.clone(), terms)
    }

    /// The rational it is when its logarithms cancel exactly (`log(3) - log(3)`), checked
    /// when the sum is short (a long one is decided when a relation needs it). The terms are
    /// kept as they are otherwise: rewriting them over the coprime base could turn one
    /// accurate `ln(1 - 10^-30)` into a difference of two large logarithms.
    pub fn simplified(self) -> LogSum {
        if self.terms.len() > 1 && self.terms.len() <= 16 {
            let (constant, terms) = self.normal_form();
            if terms.is_empty() {
                return LogSum::constant(constant);
            }
        }
        self
    }

    /// Whether the value is exactly 0 (decided by the normal form).
    pub fn is_zero_exactly(&self) -> bool {
        let (r, terms) = self.normal_form();
        r.cmp0().is_eq() && terms.is_empty()
    }

    /// The normal form as text (`2 ln 2 - 1/2`), for evidence.
    pub fn describe(&self) -> String {
        let (r, terms) = self.normal_form();
        let mut parts: Vec<String> = terms
            .iter()
            .map(|(b, q)| {
                if *q == 1 {
                    format!("log({b})")
                } else {
                    format!("({q})*log({b})")
                }
            })
            .collect();
        if r.cmp0().is_ne() || parts.is_empty() {
            parts.push(r.to_string());
        }
        parts.join(" + ")
    }
}

/// A coprime base of `numbers`: pairwise coprime integers > 1 such that every number is a
/// product of their powers. Pairs with a common factor are split by their gcd until none is
/// left; every split shrinks the product of the list, so it ends.
pub fn coprime_base(numbers: Vec<Integer>) -> Vec<Integer> {
    let mut base: Vec<Integer> = Vec::new();
    let mut pending: Vec<Integer> = numbers.into_iter().filter(|x| *x > 1).collect();
    while let Some(x) = pending.pop() {
        let mut x = x;
        let mut i = 0;
        while i < base.len() && x > 1 {
            let g = Integer::from(x.gcd_ref(&base[i]));
            if g == 1 {
                i += 1;
                continue;
            }
            // Split base[i] and x by their gcd: base[i] = g * u, x = g * v.
            let b = base.swap_remove(i);
            let u = Integer::from(&b / &g);
            let v = Integer::from(&x / &g);
            for part in [u, g] {
                if part > 1 {
                    pending.push(part);
                }
            }
            x = v;
            i = 0;
        }
        if x > 1 && !base.contains(&x) {
            base.push(x);
        }
    }
    base.sort();
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn coprime_bases_cover_their_numbers() {
        let base = coprime_base(vec![
            Integer::from(12),
            Integer::from(18),
            Integer::from(35),
        ]);
        assert_eq!(base, [2, 3, 35].map(Integer::from));
        for (i, a) in base.iter().enumerate() {
            for b in &base[i + 1..] {
                assert_eq!(Integer::from(a.gcd_ref(b)), 1);
            }
        }
        // No factoring needed: 6 and 6^2 * 35 give {6, 35}.
        let base = coprime_base(vec![Integer::from(6), Integer::from(36 * 35)]);
        assert_eq!(base, [6, 35].map(Integer::from));
    }

    #[test]
    fn identities_in_logs_are_decided_exactly() {
        // 2 ln 2 - ln 4 = 0.
        let s = LogSum::term(q(2, 1), q(2, 1)).plus(&LogSum::term(q(-1, 1), q(4, 1)));
        assert!(s.is_zero_exactly());
        // ln(3/2) + ln(2/3) = 0; ln 6 - ln 2 - ln 3 = 0.
        let s = LogSum::term(q(1, 1), q(3, 2)).plus(&LogSum::term(q(1, 1), q(2, 3)));
        assert!(s.is_zero_exactly());
        let s = LogSum::term(q(1, 1), q(6, 1))
            .plus(&LogSum::term(q(-1, 1), q(2, 1)))
            .plus(&LogSum::term(q(-1, 1), q(3, 1)));
        assert!(s.is_zero_exactly());
        // ln 2 - 1/2 is not 0 (nor is ln 2 - ln 3).
        let s = LogSum::term(q(1, 1), q(2, 1)).plus(&LogSum::constant(q(-1, 2)));
        assert!(!s.is_zero_exactly());
        let s = LogSum::term(q(1, 1), q(2, 1)).plus(&LogSum::term(q(-1, 1), q(3, 1)));
        assert!(!s.is_zero_exactly());
        assert_eq!(s.describe(), "log(2) + (-1)*log(3)");
        let e = s.enclose(64);
        assert!(*e.hi() < -0.405 && *e.lo() > -0.406);
    }
}
