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
use std::rc::Rc;

use rug::{Integer, Rational};

use crate::enclosure::Interval;

/// One `(cn / cd) ln(an / ad)`, kept as unreduced integers (no gcd is taken until the
/// normal form is asked for), every integer positive but `cn`.
#[derive(Debug, Clone)]
pub struct Term {
    coef: (Integer, Integer),
    arg: (Integer, Integer),
}

impl Term {
    /// `(cn / cd) ln(an / ad)`; `cd`, `an`, `ad` positive.
    pub fn new(cn: Integer, cd: Integer, an: Integer, ad: Integer) -> Term {
        debug_assert!(cd.cmp0().is_gt() && an.cmp0().is_gt() && ad.cmp0().is_gt());
        Term {
            coef: (cn, cd),
            arg: (an, ad),
        }
    }

    fn ln(&self, prec: u32) -> Interval {
        ln_ratio(&self.arg.0, &self.arg.1, prec)
    }

    fn enclose(&self, prec: u32) -> Interval {
        let coef = Interval::from_integer(&self.coef.0, prec)
            .div(&Interval::from_integer(&self.coef.1, prec))
            .expect("a positive denominator");
        coef.mul(&self.ln(prec))
    }
}

#[derive(Debug)]
enum Shape {
    /// A sum of terms.
    Leaf(Vec<Term>),
    /// A sum of scaled sums (shared, so their enclosures are computed once).
    Sum(Vec<(Rational, LogSum)>),
}

#[derive(Debug)]
struct Inner {
    constant: Rational,
    shape: Shape,
    /// The last enclosure computed.
    enclosed: RefCell<Option<Interval>>,
}

/// `constant + sum coef * ln(arg)`: a tree of shared parts (cheap to clone, add and scale;
/// each part's enclosure computed once per precision).
#[derive(Debug, Clone)]
pub struct LogSum(Rc<Inner>);

impl LogSum {
    fn make(constant: Rational, shape: Shape) -> LogSum {
        LogSum(Rc::new(Inner {
            constant,
            shape,
            enclosed: RefCell::new(None),
        }))
    }

    /// `coef * ln(arg)` for a positive `arg` (callers handle `arg = 1` and `coef = 0`).
    pub fn term(coef: Rational, arg: Rational) -> LogSum {
        debug_assert!(arg.cmp0().is_gt());
        let (cn, cd) = coef.into_numer_denom();
        let (an, ad) = arg.into_numer_denom();
        LogSum::terms(vec![Term::new(cn, cd, an, ad)])
    }

    /// A sum of terms.
    pub fn terms(terms: Vec<Term>) -> LogSum {
        LogSum::make(Rational::new(), Shape::Leaf(terms))
    }

    /// A rational constant.
    pub fn constant(constant: Rational) -> LogSum {
        LogSum::make(constant, Shape::Leaf(Vec::new()))
    }

    /// Whether there are no logarithms left (the value is its constant).
    pub fn rational(&self) -> Option<&Rational> {
        let empty = match &self.0.shape {
            Shape::Leaf(t) => t.is_empty(),
            Shape::Sum(parts) => parts.is_empty(),
        };
        empty.then_some(&self.0.constant)
    }

    /// The parts of a sum with their scales, and its constant (a leaf is one part).
    fn parts(&self) -> (Rational, Vec<(Rational, LogSum)>) {
        match &self.0.shape {
            Shape::Sum(parts) => (self.0.constant.clone(), parts.clone()),
            Shape::Leaf(t) if t.is_empty() => (self.0.constant.clone(), Vec::new()),
            Shape::Leaf(_) => (Rational::new(), vec![(Rational::from(1), self.clone())]),
        }
    }

    /// `self + other`.
    pub fn plus(&self, other: &LogSum) -> LogSum {
        let (mut constant, mut parts) = self.parts();
        let (c, more) = other.parts();
        constant += c;
        parts.extend(more);
        let sum = LogSum::make(constant, Shape::Sum(parts));
        // Both enclosed at one precision already: their sum is an enclosure of the sum.
        if let (Some(a), Some(b)) = (self.cached(), other.cached()) {
            if a.prec() == b.prec() {
                *sum.0.enclosed.borrow_mut() = Some(a.add(&b));
            }
        }
        sum
    }

    /// The sum of many: their parts gathered once (a running [`LogSum::plus`] would copy
    /// the growing list at each step, quadratic in the number of terms).
    pub fn sum_of(terms: &[LogSum]) -> LogSum {
        if let [one] = terms {
            return one.clone();
        }
        let mut constant = Rational::new();
        let mut parts = Vec::new();
        for term in terms {
            let (c, more) = term.parts();
            constant += c;
            parts.extend(more);
        }
        let sum = LogSum::make(constant, Shape::Sum(parts));
        // All enclosed at one precision already: their sum encloses the sum.
        let cached: Option<Vec<Interval>> = terms.iter().map(LogSum::cached).collect();
        if let Some(cached) = cached {
            if let Some(first) = cached.first() {
                if cached.iter().all(|i| i.prec() == first.prec()) {
                    let total = cached[1..].iter().fold(first.clone(), |a, b| a.add(b));
                    *sum.0.enclosed.borrow_mut() = Some(total);
                }
            }
        }
        sum
    }

    /// `self * by`.
    pub fn scaled(&self, by: &Rational) -> LogSum {
        if by.cmp0().is_eq() {
            return LogSum::constant(Rational::new());
        }
        let (constant, parts) = self.parts();
        let parts = parts
            .into_iter()
            .map(|(scale, part)| (Rational::from(&scale * by), part))
            .collect();
        LogSum::make(Rational::from(&constant * by), Shape::Sum(parts))
    }

    fn cached(&self) -> Option<Interval> {
        self.0.enclosed.borrow().clone()
    }

    /// An enclosure at `prec` bits.
    pub fn enclose(&self, prec: u32) -> Interval {
        if let Some(i) = self.cached().filter(|i| i.prec() == prec) {
            return i;
        }
        let i = match &self.0.shape {
            // At the rung's own precision, no guard bits: the ends are rounded outward
            // whatever the precision, and a second limb would double the cost of every
            // logarithm; a relation that the slightly wider sum cannot decide climbs the ladder.
            Shape::Leaf(terms) => terms
                .iter()
                .fold(Interval::from_rational(&self.0.constant, prec), |acc, t| {
                    acc.add(&t.enclose(prec))
                }),
            Shape::Sum(parts) => parts.iter().fold(
                Interval::from_rational(&self.0.constant, prec),
                |acc, (scale, part)| {
                    let value = part.enclose(prec);
                    // The usual scales (a sum, a difference) need no multiplication.
                    let scaled = if *scale == 1 {
                        value
                    } else if *scale == -1 {
                        value.neg()
                    } else {
                        Interval::from_rational(scale, prec).mul(&value)
                    };
                    acc.add(&scaled)
                },
            ),
        };
        *self.0.enclosed.borrow_mut() = Some(i.clone());
        i
    }

    /// Every term with its coefficient as a reduced rational, and the total constant.
    fn flat(&self, scale: &Rational, constant: &mut Rational, out: &mut Vec<(Rational, Term)>) {
        *constant += Rational::from(&self.0.constant * scale);
        match &self.0.shape {
            Shape::Leaf(terms) => {
                for t in terms {
                    let coef = Rational::from((t.coef.0.clone(), t.coef.1.clone())) * scale;
                    out.push((coef, t.clone()));
                }
            }
            Shape::Sum(parts) => {
                for (s, part) in parts {
                    part.flat(&Rational::from(s * scale), constant, out);
                }
            }
        }
    }

    /// The normal form: the constant and `(b_j, q_j)` over a coprime base, zero
    /// coefficients dropped, bases in increasing order.
    pub fn normal_form(&self) -> (Rational, Vec<(Integer, Rational)>) {
        let mut constant = Rational::new();
        let mut terms = Vec::new();
        self.flat(&Rational::from(1), &mut constant, &mut terms);
        let mut numbers: Vec<Integer> = Vec::new();
        for (_, t) in &terms {
            numbers.push(t.arg.0.clone());
            numbers.push(t.arg.1.clone());
        }
        let base = coprime_base(numbers);
        let mut coefs: BTreeMap<Integer, Rational> = BTreeMap::new();
        for (c, t) in &terms {
            for (part, sign) in [(&t.arg.0, 1), (&t.arg.1, -1)] {
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
        (constant, terms)
    }

    /// The rational it is when its logarithms cancel exactly (`log(3) - log(3)`), checked
    /// when the sum is short (a long one is decided when a relation needs it). The terms are
    /// kept as they are otherwise: rewriting them over the coprime base could turn one
    /// accurate `ln(1 - 10^-30)` into a difference of two large logarithms.
    pub fn simplified(self) -> LogSum {
        // (One logarithm of an argument other than 1 never cancels; only a few small
        // arguments are tried, so the check stays cheap.)
        let small = |t: &Term| t.arg.0.significant_bits() <= 64 && t.arg.1.significant_bits() <= 64;
        // (A leaf of several terms is a KL of a law other than p, never 0 by Gibbs.)
        let short = match &self.0.shape {
            Shape::Leaf(_) => false,
            Shape::Sum(parts) => {
                (2..=4).contains(&parts.len())
                    && parts.iter().all(|(_, p)| {
                        matches!(&p.0.shape, Shape::Leaf(t) if t.len() <= 1 && t.iter().all(small))
                    })
            }
        };
        if short && self.rational().is_none() {
            let (constant, terms) = self.normal_form();
            if terms.is_empty() {
                return LogSum::constant(constant);
            }
        }
        self
    }

    /// `exp` of the sum as an exact rational, when it is one: no rational constant but 0, and
    /// integer coefficients over the coprime base (`exp(r(y))` of a log reward is the product
    /// of its weights). `None` otherwise, or when the sum or the power would be large (then
    /// the caller encloses it).
    pub fn exp_exactly(&self) -> Option<Rational> {
        const MAX_TERMS: usize = 64;
        const MAX_BITS: u64 = 1 << 16;
        let mut constant = Rational::new();
        let mut terms = Vec::new();
        self.flat(&Rational::from(1), &mut constant, &mut terms);
        if constant.cmp0().is_ne() || terms.len() > MAX_TERMS {
            return None;
        }
        let (_, base) = self.normal_form();
        let mut bits = 0u64;
        for (b, q) in &base {
            if *q.denom() != 1 {
                return None;
            }
            bits = bits.saturating_add(
                u64::from(b.significant_bits()).saturating_mul(q.numer().clone().abs().to_u64()?),
            );
        }
        if bits > MAX_BITS {
            return None;
        }
        let mut out = Rational::from(1);
        for (b, q) in base {
            let k = q.numer().to_i32()?;
            let power = Rational::from(rug::ops::Pow::pow(b, k.unsigned_abs()));
            if k > 0 {
                out *= power;
            } else {
                out /= power;
            }
        }
        Some(out)
    }

    /// Whether the value is exactly 0 (decided by the normal form).
    pub fn is_zero_exactly(&self) -> bool {
        let (r, terms) = self.normal_form();
        r.cmp0().is_eq() && terms.is_empty()
    }

    /// The normal form as text (`log(2) + (-1)*log(3)`), for evidence.
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

/// `ln(an / ad)` of positive integers, enclosed from the integers at `prec` bits (near 1
/// through `ln_1p` of the exact difference, so a ratio close to 1 keeps its relative
/// accuracy; no gcd is taken).
pub fn ln_ratio(an: &Integer, ad: &Integer, prec: u32) -> Interval {
    let den = Interval::from_integer(ad, prec);
    // Near 1 only when the two have about as many bits (checked before subtracting).
    let close = an.significant_bits().abs_diff(ad.significant_bits()) <= 1;
    let diff = if close {
        Integer::from(an - ad)
    } else {
        Integer::new()
    };
    if close && Integer::from(diff.abs_ref()) * 2u32 < *ad {
        Interval::from_integer(&diff, prec)
            .div(&den)
            .expect("a positive denominator")
            .ln_1p()
    } else {
        Interval::from_integer(an, prec)
            .div(&den)
            .expect("a positive denominator")
            .ln()
    }
    .expect("a positive argument")
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
