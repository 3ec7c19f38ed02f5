//! The numbers an expression computes with: exact rationals, exact values kept lazily as
//! unreduced sums of integer quotients (the law's probabilities have 100,000-bit numerators at
//! W1 size, and reducing each would cost a gcd), and rigorous enclosures.
//!
//! A lazy value is exact: it is reduced to a rational only when an exact answer is needed
//! (a relation its enclosure cannot decide, a log of something that may be 1). Otherwise it
//! is enclosed directly from its integers, as the law's own functionals are.

use std::cell::{OnceCell, RefCell};
use std::cmp::Ordering;
use std::rc::Rc;

use rug::ops::Pow;
use rug::{Integer, Rational};

pub use super::logs::{LogSum, Term};
use crate::enclosure::Interval;

/// Above this many bits an exact value is kept lazily (as a product of powers) instead of as
/// a rational.
pub const EAGER_BITS: u64 = 4096;

/// Products of powers with expansions below this many bits are enclosed by multiplying
/// enclosed powers (MPFR's exponents reach about 2^30 bits).
const MAX_POWER_BITS: u64 = 1 << 28;

/// Largest expansion an exact product of powers may have (rug counts an integer's bits in a
/// `u32`): past it the product is an enclosure (through its logarithms), never a value that
/// could not be written out.
const MAX_EXACT_BITS: u64 = 1 << 31;

/// A single product of powers as a number: exact (kept lazily) while it could be written
/// out, an enclosure past that.
fn monomial_num(m: Monomial, prec: u32) -> Num {
    if m.bits() > MAX_EXACT_BITS {
        return Num::Enc(m.enclose(prec));
    }
    Num::from_lazy(Lazy::new(vec![m], Rational::new()))
}

/// A positive exact base of lazy powers, with its logarithm cached for the current precision
/// (a law's class deltas and `D` are shared by every outcome).
#[derive(Debug)]
pub struct Base {
    value: Rational,
    ln: RefCell<Option<Interval>>,
    /// Enclosed powers `(exponent, precision, value^exponent)` already computed (`D^-N` is
    /// shared by every outcome of a law).
    powers: RefCell<Vec<(i64, u32, Interval)>>,
}

impl Base {
    /// A base of powers, its logarithm cached on first use.
    pub fn new(value: Rational) -> Rc<Base> {
        debug_assert!(value.cmp0().is_gt());
        Rc::new(Base {
            value,
            ln: RefCell::new(None),
            powers: RefCell::new(Vec::new()),
        })
    }

    /// `value^e` enclosed at `prec` bits (the relative width grows about `|e|` times).
    fn power(&self, e: i64, prec: u32) -> Interval {
        if let Some((_, _, i)) = self
            .powers
            .borrow()
            .iter()
            .find(|(f, p, _)| *f == e && *p == prec)
        {
            return i.clone();
        }
        // An integer base (a class delta, D) converted directly: MPFR's rational conversion
        // would copy a 100,000-bit numerator into a temporary first.
        let base = if *self.value.denom() == 1 {
            Interval::from_integer(self.value.numer(), prec)
        } else {
            Interval::from_rational(&self.value, prec)
        };
        let positive = base.pow_u(e.unsigned_abs());
        let i = if e < 0 {
            Interval::from_rational(&Rational::from(1), prec)
                .div(&positive)
                .expect("a positive base has positive powers")
        } else {
            positive
        };
        let mut cache = self.powers.borrow_mut();
        if cache.len() >= 8 {
            cache.remove(0);
        }
        cache.push((e, prec, i.clone()));
        i
    }

    fn bits(&self) -> u64 {
        self.value.numer().significant_bits() as u64 + self.value.denom().significant_bits() as u64
    }

    fn ln(&self, prec: u32) -> Interval {
        if let Some(i) = self.ln.borrow().as_ref().filter(|i| i.prec() == prec) {
            return i.clone();
        }
        let i = ln_of(&self.value, prec);
        *self.ln.borrow_mut() = Some(i.clone());
        i
    }
}

/// `coef * prod base_i^e_i`: an exact value whose enclosure costs a few logarithms, however
/// many bits its expansion would have.
#[derive(Debug, Clone)]
struct Monomial {
    coef: Rational,
    factors: Vec<(Rc<Base>, i64)>,
}

impl Monomial {
    fn bits(&self) -> u64 {
        let own = self.coef.numer().significant_bits() as u64
            + self.coef.denom().significant_bits() as u64;
        own.saturating_add(self.magnitude())
    }

    fn exact(&self) -> Rational {
        let mut x = self.coef.clone();
        for (b, e) in &self.factors {
            let e = i32::try_from(*e).expect("exponents are bounded by the evaluator");
            x *= Rational::from((&b.value).pow(e));
        }
        x
    }

    /// Bits of the expansion of the powers (without the coefficient).
    fn magnitude(&self) -> u64 {
        self.factors.iter().fold(0u64, |acc, (b, e)| {
            acc.saturating_add(b.bits().saturating_mul(e.unsigned_abs()))
        })
    }

    /// `sum e_i ln base_i`, enclosed with guard bits for the magnitudes involved.
    fn log_of_factors(&self, prec: u32) -> Interval {
        let magnitude = self.magnitude();
        // Rounded up to whole limbs so the bases' cached logarithms are reused.
        let inner = (prec + 16 + (64 - magnitude.leading_zeros())).div_ceil(64) * 64;
        self.factors.iter().fold(
            Interval::from_rational(&Rational::new(), inner),
            |acc, (b, e)| {
                acc.add(&Interval::from_rational(&Rational::from(*e), inner).mul(&b.ln(inner)))
            },
        )
    }

    fn enclose(&self, prec: u32) -> Interval {
        if self.factors.is_empty() {
            return Interval::from_rational(&self.coef, prec);
        }
        if self.magnitude() < MAX_POWER_BITS {
            // Powers by repeated squaring: a few multiplications, no exp or log. Guard bits
            // for the growth of the relative width with the exponents, in whole limbs so the
            // bases' cached powers are reused.
            let exponents: u64 = self.factors.iter().map(|(_, e)| e.unsigned_abs()).sum();
            let work = (prec + 16 + (64 - exponents.leading_zeros())).div_ceil(64) * 64;
            return self
                .factors
                .iter()
                .fold(Interval::from_rational(&self.coef, work), |acc, (b, e)| {
                    acc.mul(&b.power(*e, work))
                })
                .with_prec(prec);
        }
        // Too large for MPFR's exponent range as a product: through the logarithms.
        let powers = self.log_of_factors(prec).exp();
        Interval::from_rational(&self.coef, powers.prec())
            .mul(&powers)
            .with_prec(prec)
    }

    fn times(&self, other: &Monomial) -> Monomial {
        let mut factors = self.factors.clone();
        for (b, e) in &other.factors {
            match factors.iter_mut().find(|(c, _)| Rc::ptr_eq(b, c)) {
                Some((_, f)) => *f += e,
                None => factors.push((b.clone(), *e)),
            }
        }
        factors.retain(|(_, e)| *e != 0);
        Monomial {
            coef: Rational::from(&self.coef * &other.coef),
            factors,
        }
    }

    fn scaled(&self, by: &Rational) -> Monomial {
        Monomial {
            coef: Rational::from(&self.coef * by),
            factors: self.factors.clone(),
        }
    }

    fn recip(&self) -> Monomial {
        Monomial {
            coef: self.coef.clone().recip(),
            factors: self.factors.iter().map(|(b, e)| (b.clone(), -e)).collect(),
        }
    }

    fn pow(&self, k: i64) -> Monomial {
        let mut factors: Vec<(Rc<Base>, i64)> = self
            .factors
            .iter()
            .map(|(b, e)| (b.clone(), e * k))
            .collect();
        let coef_bits = (self.coef.numer().significant_bits() as u64
            + self.coef.denom().significant_bits() as u64)
            * k.unsigned_abs();
        let sign = if self.coef.cmp0().is_lt() && k % 2 != 0 {
            -1
        } else {
            1
        };
        let coef = if coef_bits <= EAGER_BITS || self.coef.cmp0().is_eq() {
            Rational::from((&self.coef).pow(k as i32))
        } else {
            factors.push((Base::new(self.coef.clone().abs()), k));
            Rational::from(sign)
        };
        Monomial { coef, factors }
    }
}

/// An exact value `constant + sum_i monomial_i`, expanded only when an exact answer is needed.
#[derive(Debug)]
pub struct Lazy {
    terms: Vec<Monomial>,
    constant: Rational,
    exact: OnceCell<Rational>,
    /// The last enclosure computed (a relation, its evidence and the calls shown each ask).
    enclosed: RefCell<Option<Interval>>,
}

impl Lazy {
    fn new(terms: Vec<Monomial>, mut constant: Rational) -> Lazy {
        // Monomials without factors (x / x) are plain rationals.
        let mut kept = Vec::with_capacity(terms.len());
        for t in terms {
            if t.factors.is_empty() {
                constant += t.coef;
            } else if t.coef.cmp0().is_ne() {
                kept.push(t);
            }
        }
        Lazy {
            terms: kept,
            constant,
            exact: OnceCell::new(),
            enclosed: RefCell::new(None),
        }
    }

    fn single(&self) -> Option<&Monomial> {
        match (self.terms.as_slice(), self.constant.cmp0()) {
            ([t], Ordering::Equal) => Some(t),
            _ => None,
        }
    }

    /// Whether its rational is known already or cheap to write out (then it is shown and
    /// combined as a rational).
    fn known_or_cheap(&self) -> bool {
        self.exact.get().is_some() || self.cheap()
    }

    /// Cheap to expand: the expansion has few bits.
    fn cheap(&self) -> bool {
        self.terms.len() <= 8
            && self
                .terms
                .iter()
                .try_fold(0u64, |acc, t| {
                    Some(acc + t.bits()).filter(|b| *b <= EAGER_BITS)
                })
                .is_some()
    }

    /// The reduced rational (computed once).
    pub fn exact(&self) -> &Rational {
        self.exact.get_or_init(|| {
            let mut total = self.constant.clone();
            for t in &self.terms {
                total += t.exact();
            }
            total
        })
    }

    fn enclose(&self, prec: u32) -> Interval {
        if let Some(i) = self.enclosed.borrow().as_ref().filter(|i| i.prec() == prec) {
            return i.clone();
        }
        let i = self.enclose_afresh(prec);
        *self.enclosed.borrow_mut() = Some(i.clone());
        i
    }

    fn enclose_afresh(&self, prec: u32) -> Interval {
        if self.exact.get().is_some() || self.cheap() {
            return Interval::from_rational(self.exact(), prec);
        }
        if let [t] = self.terms.as_slice() {
            if Rational::from(&self.constant + &t.coef).cmp0().is_eq() && !t.factors.is_empty() {
                // coef * (X - 1) = coef * expm1(ln X): no cancellation when X is near 1.
                let m1 = t.log_of_factors(prec).exp_m1();
                return Interval::from_rational(&t.coef, m1.prec())
                    .mul(&m1)
                    .with_prec(prec);
            }
        }
        self.terms
            .iter()
            .fold(Interval::from_rational(&self.constant, prec), |acc, t| {
                acc.add(&t.enclose(prec))
            })
    }

    fn scaled(&self, by: &Rational) -> Lazy {
        Lazy::new(
            self.terms.iter().map(|t| t.scaled(by)).collect(),
            Rational::from(&self.constant * by),
        )
    }
}

/// `ln` of an exact positive rational, accurate near 1 (through `ln_1p` of the exact
/// difference).
fn ln_of(x: &Rational, prec: u32) -> Interval {
    super::logs::ln_ratio(x.numer(), x.denom(), prec + 8).with_prec(prec)
}

/// A number: exact, exact but kept lazily, or enclosed at the current precision.
#[derive(Debug, Clone)]
pub enum Num {
    /// An exact rational.
    Exact(Rational),
    /// An exact value kept lazily (a sum of products of powers).
    Lazy(Rc<Lazy>),
    /// An exact value with logarithms: `r + sum c ln a` (decidable equality).
    Logs(LogSum),
    /// A rigorous enclosure.
    Enc(Interval),
}

/// What went wrong in an operation (the evaluator adds where).
#[derive(Debug, Clone, PartialEq)]
pub enum OpError {
    /// Undefined exactly (log of an exact 0, division by an exact 0): bad input.
    Undefined(String),
    /// An enclosure too wide to tell (it reaches 0 or below): more precision may tell. The
    /// enclosure is the evidence.
    Unresolved(String, Interval),
}

impl OpError {
    /// The sentence, without the kind.
    pub fn what(&self) -> &str {
        match self {
            OpError::Undefined(w) | OpError::Unresolved(w, _) => w,
        }
    }
}

impl Num {
    /// Exactly 0.
    pub fn zero() -> Num {
        Num::Exact(Rational::new())
    }
    /// Exactly 1.
    pub fn one() -> Num {
        Num::Exact(Rational::from(1))
    }
    /// An exact integer.
    pub fn int(n: impl Into<Integer>) -> Num {
        Num::Exact(Rational::from(n.into()))
    }

    /// `coef * prod base_i^e_i` kept lazily.
    pub fn product(coef: Rational, factors: Vec<(Rc<Base>, i64)>) -> Num {
        if coef.cmp0().is_eq() {
            return Num::zero();
        }
        Num::Lazy(Rc::new(Lazy::new(
            vec![Monomial { coef, factors }],
            Rational::new(),
        )))
    }

    /// An enclosure at `prec` bits.
    pub fn enc(&self, prec: u32) -> Interval {
        match self {
            Num::Exact(x) => Interval::from_rational(x, prec),
            Num::Lazy(l) => l.enclose(prec),
            Num::Logs(l) => l.enclose(prec),
            Num::Enc(i) => i.clone(),
        }
    }

    /// `r + sum c ln a` from a sum of logarithms (a rational when none is left).
    pub fn logs(l: LogSum) -> Num {
        let l = l.simplified();
        match l.rational() {
            Some(r) => Num::Exact(r.clone()),
            None => Num::Logs(l),
        }
    }

    /// The value as a sum of logarithms, when it is one (rationals, cheap lazy values and
    /// sums of logarithms).
    pub fn as_logs(&self) -> Option<LogSum> {
        match self {
            Num::Exact(x) => Some(LogSum::constant(x.clone())),
            Num::Lazy(l) if l.known_or_cheap() => Some(LogSum::constant(l.exact().clone())),
            Num::Logs(l) => Some(l.clone()),
            _ => None,
        }
    }

    /// The exact value, reduced (forcing a lazy one); `None` for an enclosure.
    pub fn exact_value(&self) -> Option<Rational> {
        match self {
            Num::Exact(x) => Some(x.clone()),
            Num::Lazy(l) => Some(l.exact().clone()),
            Num::Logs(_) | Num::Enc(_) => None,
        }
    }

    /// The exact value if it is already a rational (no forcing).
    pub fn rational(&self) -> Option<&Rational> {
        match self {
            Num::Exact(x) => Some(x),
            _ => None,
        }
    }

    /// What evidence shows: the rational when it is known or cheap, else the enclosure at
    /// `prec` (a long lazy sum decided by its enclosure is not reduced just to be printed).
    pub fn shown(&self, prec: u32) -> std::result::Result<Rational, Interval> {
        match self {
            Num::Exact(x) => Ok(x.clone()),
            Num::Lazy(l) if l.known_or_cheap() => Ok(l.exact().clone()),
            other => Err(other.enc(prec)),
        }
    }

    /// Whether the value is an exact rational (plain or lazy).
    pub fn is_exact(&self) -> bool {
        matches!(self, Num::Exact(_) | Num::Lazy(_))
    }

    /// Known to be exactly zero (a lazy value is zero only when it has no terms left).
    pub fn is_zero(&self) -> bool {
        match self {
            Num::Exact(x) => x.cmp0().is_eq(),
            Num::Lazy(l) => l.terms.is_empty() && l.constant.cmp0().is_eq(),
            Num::Logs(_) | Num::Enc(_) => false,
        }
    }

    fn from_lazy(l: Lazy) -> Num {
        if l.terms.is_empty() {
            Num::Exact(l.constant)
        } else {
            Num::Lazy(Rc::new(l))
        }
    }

    /// The sign of an exact value: from the enclosure when it decides, else exactly.
    fn exact_sign(&self, prec: u32) -> Ordering {
        match self {
            Num::Exact(x) => x.cmp0(),
            _ => {
                let i = self.enc(prec);
                if i.lo().cmp0() == Some(Ordering::Greater) {
                    Ordering::Greater
                } else if i.hi().cmp0() == Some(Ordering::Less) {
                    Ordering::Less
                } else {
                    self.exact_value().map_or(Ordering::Equal, |x| x.cmp0())
                }
            }
        }
    }
}

/// Exact comparison of two exact values: the enclosures first, the rationals if they overlap.
pub fn exact_cmp(a: &Num, b: &Num, prec: u32) -> Ordering {
    if let (Num::Exact(x), Num::Exact(y)) = (a, b) {
        return x.cmp(y);
    }
    match a.enc(prec).certified_cmp(&b.enc(prec)) {
        Some(o) => o,
        None => {
            let (x, y) = (a.exact_value(), b.exact_value());
            x.cmp(&y)
        }
    }
}

/// `a + b`, exact when both are.
pub fn add(a: &Num, b: &Num, prec: u32) -> Num {
    match (a, b) {
        (Num::Exact(x), Num::Exact(y)) => Num::Exact(Rational::from(x + y)),
        (Num::Enc(_), _) | (_, Num::Enc(_)) => Num::Enc(a.enc(prec).add(&b.enc(prec))),
        _ => sum([a.clone(), b.clone()], prec),
    }
}

/// `a - b` as a sum of logarithms, when both sides are in that fragment.
pub fn log_difference(a: &Num, b: &Num) -> Option<LogSum> {
    if !matches!(a, Num::Logs(_)) && !matches!(b, Num::Logs(_)) {
        return None;
    }
    Some(a.as_logs()?.plus(&b.as_logs()?.scaled(&Rational::from(-1))))
}

/// The sum of many values at once: rationals added, lazy terms gathered into one lazy sum
/// (adding them pairwise would copy the growing term list each time), enclosures added.
pub fn sum(values: impl IntoIterator<Item = Num>, prec: u32) -> Num {
    let mut constant = Rational::new();
    let mut terms: Vec<Monomial> = Vec::new();
    let mut enclosed: Option<Interval> = None;
    let mut log_terms: Vec<LogSum> = Vec::new();
    for v in values {
        match v {
            Num::Logs(l) => log_terms.push(l),
            Num::Exact(x) => constant += x,
            Num::Lazy(l) => match Rc::try_unwrap(l) {
                Ok(l) => {
                    constant += l.constant;
                    terms.extend(l.terms);
                }
                Err(l) => {
                    constant += &l.constant;
                    terms.extend(l.terms.iter().cloned());
                }
            },
            Num::Enc(i) => {
                enclosed = Some(match enclosed {
                    None => i,
                    Some(e) => e.add(&i),
                })
            }
        }
    }
    let logs = (!log_terms.is_empty()).then(|| LogSum::sum_of(&log_terms));
    let exact = Num::from_lazy(Lazy::new(terms, constant));
    let exact = match logs {
        None => exact,
        // Logarithms stay exact beside rationals (a long lazy sum is enclosed instead).
        Some(l) => match exact.as_logs() {
            Some(r) => Num::logs(l.plus(&r)),
            None => Num::Enc(l.enclose(prec).add(&exact.enc(prec))),
        },
    };
    match enclosed {
        None => exact,
        Some(e) => Num::Enc(e.add(&exact.enc(prec))),
    }
}

/// `-a`.
pub fn neg(a: &Num) -> Num {
    match a {
        Num::Exact(x) => Num::Exact(Rational::from(-x)),
        Num::Lazy(l) => Num::Lazy(Rc::new(l.scaled(&Rational::from(-1)))),
        Num::Logs(l) => Num::Logs(l.scaled(&Rational::from(-1))),
        Num::Enc(i) => Num::Enc(i.neg()),
    }
}

/// `a - b`, exact when both are.
pub fn sub(a: &Num, b: &Num, prec: u32) -> Num {
    match (a, b) {
        (Num::Exact(x), Num::Exact(y)) => Num::Exact(Rational::from(x - y)),
        _ => add(a, &neg(b), prec),
    }
}

/// `a * b`, exact when both are.
pub fn mul(a: &Num, b: &Num, prec: u32) -> Num {
    if a.is_zero() || b.is_zero() {
        // An exact zero annihilates whatever it multiplies, enclosed or not.
        return Num::zero();
    }
    match (a, b) {
        (Num::Exact(x), Num::Exact(y)) => Num::Exact(Rational::from(x * y)),
        (Num::Enc(_), _) | (_, Num::Enc(_)) => Num::Enc(a.enc(prec).mul(&b.enc(prec))),
        (Num::Logs(l), other) | (other, Num::Logs(l)) => match other.as_logs() {
            Some(c) if c.rational().is_some() => {
                Num::logs(l.scaled(c.rational().expect("checked")))
            }
            _ => Num::Enc(a.enc(prec).mul(&b.enc(prec))),
        },
        (Num::Lazy(l), Num::Exact(c)) | (Num::Exact(c), Num::Lazy(l)) => {
            Num::Lazy(Rc::new(l.scaled(c)))
        }
        (Num::Lazy(x), Num::Lazy(y)) => match (x.single(), y.single()) {
            (Some(s), Some(t)) => monomial_num(s.times(t), prec),
            _ => Num::Exact(Rational::from(x.exact() * y.exact())),
        },
    }
}

/// `1 / a` of an exact nonzero value, lazily when `a` is one quotient.
fn reciprocal(a: &Num) -> Num {
    if let Num::Lazy(l) = a {
        if let Some(t) = l.single() {
            return Num::from_lazy(Lazy::new(vec![t.recip()], Rational::new()));
        }
    }
    Num::Exact(a.exact_value().expect("exact").recip())
}

/// `a / b`; an error when `b` is exactly 0.
pub fn div(a: &Num, b: &Num, prec: u32) -> Result<Num, OpError> {
    if b.is_exact() && b.exact_sign(prec).is_eq() {
        return Err(OpError::Undefined("division by an exact zero".into()));
    }
    match (a, b) {
        (Num::Exact(x), Num::Exact(y)) => Ok(Num::Exact(Rational::from(x / y))),
        (_, Num::Enc(_) | Num::Logs(_)) | (Num::Enc(_), _) => {
            let divisor = b.enc(prec);
            a.enc(prec).div(&divisor).map(Num::Enc).ok_or_else(|| {
                OpError::Unresolved(
                    "division by a quantity whose enclosure contains 0".into(),
                    divisor,
                )
            })
        }
        _ => Ok(mul(a, &reciprocal(b), prec)),
    }
}

/// `ln a`; an error when `a <= 0`; exact only for `ln 1`.
pub fn ln(a: &Num, prec: u32) -> Result<Num, OpError> {
    let x = match a {
        Num::Logs(_) | Num::Enc(_) => {
            let argument = a.enc(prec);
            return argument.ln().map(Num::Enc).ok_or_else(|| {
                OpError::Unresolved(
                    "log of a quantity whose enclosure reaches 0 or below".into(),
                    argument,
                )
            });
        }
        Num::Exact(x) => x.clone(),
        Num::Lazy(l) => {
            let one = Interval::from_rational(&Rational::from(1), prec);
            let single = l.single().filter(|t| t.coef.cmp0().is_gt());
            // A single product too large for MPFR's exponent range goes by its logarithms.
            if single.map_or(!l.cheap(), |t| t.magnitude() < MAX_POWER_BITS) {
                // One logarithm of the enclosure (of relative width about 2^-prec, so the
                // logarithm is good to about 2^-prec absolutely).
                let i = l.enclose(prec + 16);
                if i.lo().cmp0() == Some(Ordering::Greater) && i.certified_cmp(&one).is_some() {
                    return Ok(Num::Enc(i.ln().expect("positive").with_prec(prec)));
                }
            } else if let Some(t) = single {
                // ln coef + sum e ln base: a logarithm per distinct base, however large.
                let logs = Interval::ln_of(&t.coef, prec + 16)
                    .expect("positive")
                    .add(&t.log_of_factors(prec));
                if matches!(
                    logs.certified_cmp(&one.sub(&one)),
                    Some(Ordering::Less | Ordering::Greater)
                ) {
                    return Ok(Num::Enc(logs.with_prec(prec)));
                }
            }
            // Possibly 1 (or <= 0): decide exactly.
            l.exact().clone()
        }
    };
    if x.cmp0().is_le() {
        return Err(OpError::Undefined(format!(
            "log of a non-positive exact value ({x})"
        )));
    }
    if x == 1 {
        return Ok(Num::zero());
    }
    // Kept exact, as one logarithm (identities between logarithms are then decided).
    Ok(Num::logs(LogSum::term(Rational::from(1), x)))
}

/// `exp a`; exact only for `exp 0`.
pub fn exp(a: &Num, prec: u32) -> Num {
    if a.is_zero() {
        return Num::one();
    }
    if let Num::Logs(l) = a {
        if let Some(exact) = l.exp_exactly() {
            return Num::Exact(exact);
        }
    }
    Num::Enc(a.enc(prec).exp())
}

/// `a^k` for an integer `k` (|k| <= 65536): exact, kept lazily when the result is large.
pub fn pow_int(a: &Num, k: i32, prec: u32) -> Result<Num, OpError> {
    if k == 0 {
        return Ok(Num::one());
    }
    if a.is_exact() && a.exact_sign(prec).is_eq() {
        return if k < 0 {
            Err(OpError::Undefined("0 to a negative power".into()))
        } else {
            Ok(Num::zero())
        };
    }
    let x = match a {
        // Not exact: the power is an enclosure, as for a huge exponent.
        Num::Enc(_) | Num::Logs(_) => return pow_int_enclosed(a, &rug::Integer::from(k), prec),
        Num::Lazy(l) => match l.single() {
            Some(t) => return Ok(monomial_num(t.pow(k as i64), prec)),
            None => l.exact().clone(),
        },
        Num::Exact(x) => x.clone(),
    };
    let bits = (x.numer().significant_bits() as u64 + x.denom().significant_bits() as u64)
        * k.unsigned_abs() as u64;
    if bits <= EAGER_BITS {
        return Ok(Num::Exact(Rational::from((&x).pow(k))));
    }
    let sign = if x.cmp0().is_lt() && k % 2 != 0 {
        -1
    } else {
        1
    };
    Ok(monomial_num(
        Monomial {
            coef: Rational::from(sign),
            factors: vec![(Base::new(x.abs()), k as i64)],
        },
        prec,
    ))
}

/// `a^k` as an enclosure, for an integer `k` too large for an exact power (|k| > 65536) or a
/// base that is not exact: by repeated squaring while `|k|` fits 64 bits, as `exp(|k| ln|a|)`
/// with the sign of an odd power beyond.
pub fn pow_int_enclosed(a: &Num, k: &rug::Integer, prec: u32) -> Result<Num, OpError> {
    if a.is_exact() && a.exact_sign(prec).is_eq() {
        return if k.cmp0().is_lt() {
            Err(OpError::Undefined("0 to a negative power".into()))
        } else {
            Ok(Num::zero())
        };
    }
    let i = a.enc(prec);
    let base = if k.cmp0().is_lt() {
        Interval::from_rational(&Rational::from(1), prec)
            .div(&i)
            .ok_or_else(|| {
                OpError::Unresolved(
                    "a negative power of a quantity whose enclosure contains 0".into(),
                    i.clone(),
                )
            })?
    } else {
        i
    };
    let magnitude = rug::Integer::from(k.abs_ref());
    let odd = magnitude.is_odd();
    // An even power is never negative, whatever the signs inside the enclosure.
    let base = if odd { base } else { base.abs() };
    if let Some(k) = magnitude.to_u64() {
        return Ok(Num::Enc(base.pow_u(k)));
    }
    let size = base.abs();
    let ln = size.ln().ok_or_else(|| {
        OpError::Unresolved(
            "a huge power of a quantity whose enclosure contains 0".into(),
            size.clone(),
        )
    })?;
    let out = Interval::from_integer(&magnitude, prec).mul(&ln).exp();
    let negative = base.hi().cmp0().is_some_and(|o| o.is_lt());
    if !odd || base.lo().cmp0().is_some_and(|o| o.is_gt()) {
        Ok(Num::Enc(out))
    } else if negative {
        Ok(Num::Enc(out.neg()))
    } else {
        Err(OpError::Unresolved(
            "an odd huge power of a quantity whose enclosure contains 0".into(),
            base,
        ))
    }
}

/// `|a|`.
pub fn abs(a: &Num, prec: u32) -> Num {
    match a {
        Num::Enc(i) => Num::Enc(i.abs()),
        Num::Logs(l) => {
            let i = l.enclose(prec);
            if i.lo().cmp0().is_some_and(|o| o.is_ge()) {
                a.clone()
            } else if i.hi().cmp0().is_some_and(|o| o.is_le()) {
                neg(a)
            } else {
                Num::Enc(i.abs())
            }
        }
        Num::Exact(x) => Num::Exact(x.clone().abs()),
        Num::Lazy(_) => {
            if a.exact_sign(prec).is_lt() {
                neg(a)
            } else {
                a.clone()
            }
        }
    }
}

/// `max(a, b)` (or `min`): exact values compared exactly, enclosures end by end.
pub fn max_or_min(a: &Num, b: &Num, max: bool, prec: u32) -> Num {
    if a.is_exact() && b.is_exact() {
        let a_wins = exact_cmp(a, b, prec) != Ordering::Less;
        return if a_wins == max { a.clone() } else { b.clone() };
    }
    let (i, j) = (a.enc(prec), b.enc(prec));
    let pick = |u: &rug::Float, v: &rug::Float| {
        if (u >= v) == max {
            u.clone()
        } else {
            v.clone()
        }
    };
    Num::Enc(Interval::from_ends(
        pick(i.lo(), j.lo()),
        pick(i.hi(), j.hi()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    fn lazy(x: Rational) -> Num {
        Num::product(Rational::from(1), vec![(Base::new(x), 1)])
    }

    #[test]
    fn lazy_arithmetic_is_exact() {
        let a = lazy(r(3, 4));
        let b = lazy(r(1, 3));
        let s = add(&a, &b, 64);
        assert!(matches!(s, Num::Lazy(_)));
        assert_eq!(s.exact_value().unwrap(), r(13, 12));
        assert_eq!(mul(&a, &b, 64).exact_value().unwrap(), r(1, 4));
        assert_eq!(div(&a, &b, 64).unwrap().exact_value().unwrap(), r(9, 4));
        assert_eq!(
            sub(&s, &Num::Exact(r(13, 12)), 64).exact_value().unwrap(),
            r(0, 1)
        );
        assert_eq!(
            pow_int(&a, -2, 64).unwrap().exact_value().unwrap(),
            r(16, 9)
        );
        assert!(ln(&div(&a, &a, 64).unwrap(), 64).unwrap().is_zero());
        assert_eq!(exact_cmp(&a, &Num::Exact(r(3, 4)), 64), Ordering::Equal);
    }

    #[test]
    fn large_powers_stay_lazy_and_enclose_tightly() {
        // (1 - 10^-30)^1000 has 100,000-bit terms; 1 - it is about 10^-27.
        let eps = Rational::from((1, Integer::from(Integer::u_pow_u(10, 30))));
        let x = pow_int(&Num::Exact(Rational::from(1 - &eps)), 1000, 64).unwrap();
        assert!(matches!(x, Num::Lazy(_)));
        let hit = sub(&Num::one(), &x, 64);
        let i = hit.enc(64);
        let exact = hit.exact_value().unwrap();
        assert!(i.contains(&exact));
        // Relative width about 2^-60: expm1, not 1 minus a rounded power.
        let width = i.width().to_rational().unwrap() / &exact;
        assert!(width < Rational::from((1, 1u64 << 55)), "{width}");
    }

    #[test]
    fn ln_near_one_keeps_relative_accuracy() {
        // ln(1 - 10^-30): a plain ln of the rounded value would give 0 at 64 bits.
        let eps = Rational::from((1, Integer::from(Integer::u_pow_u(10, 30))));
        let i = ln(&Num::Exact(Rational::from(1 - &eps)), 64)
            .unwrap()
            .enc(64);
        assert!(*i.lo() > -1.0000001e-30 && *i.hi() < -0.9999999e-30);
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            div(&Num::one(), &Num::zero(), 64).unwrap_err(),
            OpError::Undefined("division by an exact zero".into())
        );
        assert!(ln(&Num::Exact(r(-1, 2)), 64)
            .unwrap_err()
            .what()
            .contains("-1/2"));
        assert_eq!(
            pow_int(&Num::zero(), -1, 64).unwrap_err(),
            OpError::Undefined("0 to a negative power".into())
        );
    }
}
