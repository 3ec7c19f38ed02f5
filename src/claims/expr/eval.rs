//! Evaluating a checked expression on a case.
//!
//! Outcomes are those of the case's exact law: types (with their multiplicities) whenever the
//! law goes by type (symmetric reward, uniform tie-break), else sequences. Every value the
//! language can name (p, bon, q, tilt, phi, r, F, F_below) is the same for all sequences of a
//! type in that case, so a sum over sequences is a sum over types weighted by their sizes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use rug::ops::Pow;
use rug::{Integer, Rational};

use super::builtins::Builtin;
use super::ir::{Ir, IrKind};
use super::parse::{ArithOp, LogicOp, RelOp};
use super::value::{self, Base, Num};
use crate::claims::Context;
use crate::error::{InputError, Result};
use crate::law::{ExactLaw, Outcome, Route};

/// The values bound by the enclosing binders, innermost first: an outcome's index, or an
/// integer of `sum_n`. A chain on the stack, so entering a binder allocates nothing.
#[derive(Clone, Copy)]
pub struct Bound<'a> {
    value: i64,
    outer: Option<&'a Bound<'a>>,
}

/// The bound variables in scope (none at the top of a statement).
pub type Y<'a> = Option<&'a Bound<'a>>;

impl<'a> Bound<'a> {
    /// Outcome (or integer) `value` bound inside `outer`.
    fn at(value: usize, outer: Y<'a>) -> Bound<'a> {
        Bound {
            value: value as i64,
            outer,
        }
    }
}

/// How many compositions of `n` into `parts` non-negative parts there are, C(n+parts-1,
/// parts-1) (saturating).
fn compositions(n: u64, parts: usize) -> u128 {
    if parts == 0 {
        return 0;
    }
    let mut c: u128 = 1;
    for i in 1..parts as u128 {
        c = c.saturating_mul(n as u128 + i) / i;
    }
    c
}

/// Soft best-of-n over reward levels of p-masses `a` and enclosed weights `u`: the share of
/// each level, `u_c * sum over compositions k of n of multinom(k) prod a^k * k_c / sum k u`.
/// The recursion carries the prefix products, so a composition costs one division and one
/// update per level. `None` when a denominator's enclosure reaches 0.
fn soft_bon_enclosed(n: u64, a: &[Rational], u: &[Num], prec: u32) -> Option<Vec<Interval>> {
    struct Walk {
        prec: u32,
        zero: Interval,
        u: Vec<Interval>,
        // powers[j][k] = a_j^k, binomials[i][k] = C(i, k), as enclosures.
        powers: Vec<Vec<Interval>>,
        binomials: Vec<Vec<Interval>>,
        acc: Vec<Interval>,
    }
    impl Walk {
        /// As in [`soft_bon_fast`]: the subtree's sum of chances, level i's accumulator
        /// getting k times each child's sum.
        fn go(
            &mut self,
            i: usize,
            left: u64,
            coef: &Interval,
            total: &Interval,
        ) -> Option<Interval> {
            let last = i + 1 == self.u.len();
            let range = if last { left..=left } else { 0..=left };
            let mut subtree = self.zero.clone();
            for k in range {
                let (mut c, mut t) = (coef.clone(), total.clone());
                let kk = Interval::from_integer(&Integer::from(k), self.prec);
                if k > 0 {
                    c = c
                        .mul(&self.binomials[left as usize][k as usize])
                        .mul(&self.powers[i][k as usize]);
                    t = t.add(&self.u[i].mul(&kk));
                }
                let below = if last {
                    c.div(&t)?
                } else {
                    self.go(i + 1, left - k, &c, &t)?
                };
                if k > 0 {
                    self.acc[i] = self.acc[i].add(&below.mul(&kk));
                }
                subtree = subtree.add(&below);
            }
            Some(subtree)
        }
    }
    let zero = Interval::from_rational(&Rational::new(), prec);
    let one = Interval::from_rational(&Rational::from(1), prec);
    let mut walk = Walk {
        prec,
        zero: zero.clone(),
        u: u.iter().map(|x| x.enc(prec)).collect(),
        powers: a
            .iter()
            .map(|x| {
                let mut row = vec![one.clone()];
                let mut power = Rational::from(1);
                for _ in 0..n {
                    power *= x;
                    row.push(Interval::from_rational(&power, prec));
                }
                row
            })
            .collect(),
        binomials: binomial_rows(n)
            .iter()
            .map(|row| {
                row.iter()
                    .map(|b| Interval::from_rational(b, prec))
                    .collect()
            })
            .collect(),
        acc: vec![zero.clone(); a.len()],
    };
    walk.go(0, n, &one, &zero)?;
    Some(
        walk.acc
            .iter()
            .zip(&walk.u)
            .map(|(acc, u)| u.mul(acc))
            .collect(),
    )
}

/// Soft best-of-n with rational weights `u` (levels of p-masses `a`), exactly: with the
/// weights as integers `n_j` over a common denominator `D`, level c's share is
/// `n a_c n_c sum_s h_s / (s + n_c)`, where `h_s` is the coefficient of `x^s` in
/// `(sum_j a_j x^(n_j))^(n-1)` (draw c, then the other n - 1 draws' total weight s, so that
/// the kept draw's chance `n_c / (s + n_c)` depends on the others only through s). `None`
/// when the polynomial would have more than `limit` terms (the caller sums compositions).
fn soft_bon_by_polynomial(
    n: u64,
    a: &[Rational],
    u: &[Rational],
    limit: u128,
) -> Option<Vec<Rational>> {
    let mut denominator = Integer::from(1);
    for x in u {
        denominator.lcm_mut(x.denom());
    }
    let weights: Vec<Integer> = u
        .iter()
        .map(|x| x.numer() * Integer::from(&denominator / x.denom()))
        .collect();
    // At most min(compositions of n - 1, (n - 1) max n_j + 1) distinct totals.
    let top = weights.iter().max()?.to_u128().unwrap_or(u128::MAX);
    let span = top.saturating_mul(u128::from(n - 1)).saturating_add(1);
    if compositions(n - 1, u.len()).min(span) > limit {
        return None;
    }
    // h = (sum_j a_j x^(n_j))^(n-1), as (exponent, coefficient) pairs.
    let mut h: HashMap<Integer, Rational> = HashMap::from([(Integer::new(), Rational::from(1))]);
    for _ in 1..n {
        let mut next: HashMap<Integer, Rational> = HashMap::with_capacity(h.len() * 2);
        for (s, c) in &h {
            for (w, aj) in weights.iter().zip(a) {
                *next.entry(Integer::from(s + w)).or_default() += Rational::from(c * aj);
            }
        }
        if next.len() as u128 > limit {
            return None;
        }
        h = next;
    }
    let n = Rational::from(n);
    Some(
        weights
            .iter()
            .zip(a)
            .map(|(nc, ac)| {
                let mut sum = Rational::new();
                for (s, c) in &h {
                    sum += c / Rational::from(Integer::from(s + nc));
                }
                sum * &n * ac * Rational::from(nc)
            })
            .collect(),
    )
}

/// [`soft_bon_enclosed`] in outward-widened `f64` ([`NonNegF64`]): the same recursion at a
/// fraction of the cost, for the first rung of the ladder. `None` when a value leaves the
/// range of `f64` or a denominator may be 0 (the caller then goes by MPFR).
fn soft_bon_fast(n: u64, a: &[Rational], u: &[Num], prec: u32) -> Option<Vec<Interval>> {
    struct Walk {
        zero: NonNegF64,
        u: Vec<NonNegF64>,
        ints: Vec<NonNegF64>,
        powers: Vec<Vec<NonNegF64>>,
        binomials: Vec<Vec<NonNegF64>>,
        acc: Vec<NonNegF64>,
    }
    impl Walk {
        /// The sum of the kept draw's chances over the subtree of compositions below depth
        /// i; level i's accumulator gets k times each child's sum (k_i is fixed below it),
        /// so a leaf costs a division and two additions whatever the number of levels.
        fn go(
            &mut self,
            i: usize,
            left: u64,
            coef: NonNegF64,
            total: NonNegF64,
        ) -> Option<NonNegF64> {
            let last = i + 1 == self.u.len();
            let range = if last { left..=left } else { 0..=left };
            let mut subtree = self.zero;
            for k in range {
                let (mut c, mut t) = (coef, total);
                if k > 0 {
                    c = c
                        .times(self.binomials[left as usize][k as usize])?
                        .times(self.powers[i][k as usize])?;
                    t = t.plus(self.u[i].times(self.ints[k as usize])?)?;
                }
                let below = if last {
                    c.over(t)?
                } else {
                    self.go(i + 1, left - k, c, t)?
                };
                if k > 0 {
                    self.acc[i] = self.acc[i].plus(below.times(self.ints[k as usize])?)?;
                }
                subtree = subtree.plus(below)?;
            }
            Some(subtree)
        }
    }
    let zero = NonNegF64::from_u64(0)?;
    let one = NonNegF64::from_u64(1)?;
    let u: Vec<NonNegF64> = u
        .iter()
        .map(|x| NonNegF64::from_interval(&x.enc(prec)))
        .collect::<Option<_>>()?;
    let powers = a
        .iter()
        .map(|x| {
            let mut row = vec![one];
            let mut power = Rational::from(1);
            for _ in 0..n {
                power *= x;
                row.push(NonNegF64::from_rational(&power)?);
            }
            Some(row)
        })
        .collect::<Option<_>>()?;
    let binomials = binomial_rows(n)
        .iter()
        .map(|row| {
            row.iter()
                .map(NonNegF64::from_rational)
                .collect::<Option<_>>()
        })
        .collect::<Option<_>>()?;
    let mut walk = Walk {
        zero,
        ints: (0..=n).map(NonNegF64::from_u64).collect::<Option<_>>()?,
        acc: vec![zero; a.len()],
        u,
        powers,
        binomials,
    };
    walk.go(0, n, one, zero)?;
    walk.acc
        .iter()
        .zip(&walk.u)
        .map(|(acc, u)| acc.times(*u).map(|x| x.to_interval(prec)))
        .collect()
}

/// Binomial coefficients C(i, j) for i, j <= n, as rationals.
fn binomial_rows(n: u64) -> Vec<Vec<Rational>> {
    (0..=n)
        .map(|i| {
            (0..=i)
                .map(|j| Rational::from(Integer::from(Integer::binomial_u(i as u32, j as u32))))
                .collect()
        })
        .collect()
}

/// The value of variable `i` (0: the innermost binder's).
fn lookup(y: Y<'_>, i: u32) -> Option<i64> {
    let mut b = y?;
    for _ in 0..i {
        b = b.outer?;
    }
    Some(b.value)
}

/// Every bound value, innermost first (the key of values that read them).
fn chain(y: Y<'_>) -> Vec<i64> {
    let mut out = Vec::new();
    let mut b = y;
    while let Some(x) = b {
        out.push(x.value);
        b = x.outer;
    }
    out
}

/// Most outcomes (types or sequences) an expression is evaluated over.
pub const MAX_OUTCOMES: u64 = 1 << 16;

/// Three-valued truth: an undecided part leaves the whole undecided only when it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// Decided true.
    True,
    /// Decided false.
    False,
    /// Not decided at the precision cap.
    Unknown,
}

/// A distribution over the outcomes: per-sequence probabilities, and what it is (the
/// functionals of a law against p have the engine's faster forms).
#[derive(Clone)]
pub struct Dist {
    /// The value of each outcome.
    pub values: Rc<Vec<Num>>,
}

/// A relation's two sides: (left text, left, right text, right).
pub type Sides = Vec<(String, Num, String, Num)>;

/// Values remembered for one binding of the variables in scope (its key, innermost first).
type AtBound = (Option<Vec<i64>>, HashMap<u32, Num>);

/// A quantifier's witness: each bound variable with one sequence of its outcome, outermost
/// first; whether the body holds there; the body's relations there.
pub type Witness = (Vec<(String, Vec<u32>)>, String, Sides);

/// The case's outcomes with their exact values, and the law distributions built so far:
/// computed once per [`Context`] and shared by every statement decided on it.
pub struct Outcomes {
    /// Per-outcome values, built on first use (the engine's forms of kl, chi2, renyi and
    /// winrate of a law against p need none of them).
    per: std::cell::OnceCell<PerOutcome>,
    /// Letter counts of each outcome (computed on first use: only q and tilt read them).
    counts: std::cell::OnceCell<Vec<Vec<u32>>>,
    /// Exact reward key per outcome.
    keys: std::cell::OnceCell<Vec<Rational>>,
    /// The outcomes ranked by the true reward (when the case has one).
    true_levels: std::cell::OnceCell<Levels>,
    /// Outcome index of each sequence (a per-sequence law: `swap`).
    sequence_index: std::cell::OnceCell<HashMap<Vec<u32>, usize>>,
    is_log: bool,
    laws: RefCell<HashMap<u64, Rc<ExactLaw>>>,
    dists: RefCell<HashMap<u64, Dist>>,
    /// Per law: `D` and each class's delta as shared bases (their enclosed powers are reused
    /// by every statement that needs them).
    class_bases: RefCell<HashMap<u64, Rc<ClassBases>>>,
}

/// The exact values of the outcomes that sums over outcomes read.
struct PerOutcome {
    /// Sequences per outcome (1 by sequence).
    mult: Vec<Rational>,
    /// `p` of one sequence of each outcome.
    p: Vec<Rational>,
    p_dist: Dist,
    /// Reward level per outcome (equal levels tie in reward).
    level: Vec<usize>,
    /// `F` and `F_below` per reward level.
    f_le: Vec<Rational>,
    f_lt: Vec<Rational>,
}

/// The outcomes ranked by one reward: each outcome's level (equal levels tie), and per
/// level its exact key, `F` and `F_below`.
struct Levels {
    level: Vec<usize>,
    key: Vec<Rational>,
    f_le: Vec<Rational>,
    f_lt: Vec<Rational>,
}

impl Levels {
    /// Ranks outcomes by their exact keys (increasing in the reward); `mass[o]` is p of all
    /// of outcome o's sequences.
    fn new(keys: &[Rational], mass: &[Rational]) -> Levels {
        let mut key: Vec<Rational> = keys.to_vec();
        key.sort();
        key.dedup();
        let level: Vec<usize> = keys
            .iter()
            .map(|k| key.binary_search(k).expect("every key is listed"))
            .collect();
        let mut level_mass = vec![Rational::new(); key.len()];
        for (o, m) in mass.iter().enumerate() {
            level_mass[level[o]] += m;
        }
        let (mut f_le, mut f_lt) = (Vec::with_capacity(key.len()), Vec::with_capacity(key.len()));
        let mut below = Rational::new();
        for m in level_mass {
            f_lt.push(below.clone());
            below += m;
            f_le.push(below.clone());
        }
        Levels {
            level,
            key,
            f_le,
            f_lt,
        }
    }
}

/// `P(r < x) + P(r = x) / 2` from `F_below` and `F` at x.
fn calibrated(below: &Rational, at_most: &Rational) -> Rational {
    Rational::from(below + at_most) / 2
}

/// Most compositions of n draws over reward levels a soft best-of-n law sums over.
pub const MAX_COMPOSITIONS: u128 = 4_000_000;

/// Most distinct totals of the exact soft best-of-N sum (over the other draws' weights): past
/// it the exact value's denominator (a product over the totals) outgrows any use, and the
/// sum is enclosed instead.
pub const MAX_EXACT_SOFTBON_TERMS: u128 = 2_000;

/// Most terms of a `sum_n` range.
pub const MAX_RANGE: i64 = 100_000;

/// A law's `D` and class deltas (`None` for a class of zero mass under pi) as bases.
struct ClassBases {
    d: Rc<Base>,
    deltas: Vec<Option<Rc<Base>>>,
}

/// What an expression is evaluated over: the shared outcomes, the precision of the rung, and
/// the evidence gathered.
pub struct Env<'c> {
    ctx: &'c Context,
    expression: &'c super::Expression,
    law: &'c ExactLaw,
    o: Rc<Outcomes>,
    /// The precision of the current rung of the ladder.
    prec: Cell<u32>,
    /// Top-level relations evaluated: (left text, left, right text, right).
    pub sides: RefCell<Sides>,
    /// Witness of a forall/exists: (each bound variable with its sequence, outermost first;
    /// truth; the body's relations there).
    pub witness: RefCell<Option<Witness>>,
    /// An enclosure too wide for a domain (log, division, a negative power) at this rung,
    /// with the enclosure.
    unresolved: RefCell<Option<(String, Interval)>>,
    /// Something undefined exactly (a log of an exact 0, a division by an exact 0).
    undefined: RefCell<Option<String>>,
    /// Top-level relations decided by the normal form of their logarithms: (difference, how).
    pub notes: RefCell<Vec<(String, String)>>,
    /// Values of calls and arithmetic at this rung, by shape (two copies of a subexpression
    /// are computed once): those that do not read `y` for the whole rung (the evidence shows
    /// the top-level calls again), those that do for the current outcome only.
    memo: RefCell<HashMap<u32, Num>>,
    memo_at_y: RefCell<AtBound>,
    /// Distributions that read no bound variable, by shape, at this rung.
    dist_memo: RefCell<HashMap<u32, Dist>>,
}

impl<'c> Env<'c> {
    /// The outcomes of `ctx`'s law (at most [`MAX_OUTCOMES`]) with their exact p and reward
    /// keys, ready to evaluate `expression` at any precision.
    pub fn new(ctx: &'c Context, expression: &'c super::Expression) -> Result<Env<'c>> {
        let o = match ctx.expression_outcomes.get() {
            Some(o) => o.clone(),
            None => {
                let o = Rc::new(Outcomes::new(ctx)?);
                let _ = ctx.expression_outcomes.set(o.clone());
                o
            }
        };
        Ok(Env {
            ctx,
            expression,
            law: ctx.law()?,
            o,
            prec: Cell::new(ctx.policy.start.max(2)),
            sides: RefCell::new(Vec::new()),
            witness: RefCell::new(None),
            unresolved: RefCell::new(None),
            undefined: RefCell::new(None),
            notes: RefCell::new(Vec::new()),
            memo: RefCell::new(HashMap::new()),
            memo_at_y: RefCell::new((None, HashMap::new())),
            dist_memo: RefCell::new(HashMap::new()),
        })
    }
}

impl PerOutcome {
    fn new(law: &ExactLaw) -> PerOutcome {
        let mult: Vec<Rational> = law
            .outcomes()
            .iter()
            .map(|outcome| match outcome {
                Outcome::Sequence(_) => Rational::from(1),
                Outcome::Type { sequences, .. } => Rational::from(sequences),
            })
            .collect();
        let p: Vec<Rational> = (0..law.len())
            .map(|o| Rational::from((&law.weights()[o], law.denominator())) / &mult[o])
            .collect();
        let level: Vec<usize> = (0..law.len())
            .map(|o| law.reward_level()[law.class_of()[o]])
            .collect();
        let levels = law.reward_level().iter().max().map_or(0, |l| l + 1);
        let mut level_mass = vec![Integer::new(); levels];
        for (c, mass) in law.class_mass().iter().enumerate() {
            level_mass[law.reward_level()[c]] += mass;
        }
        let (mut f_le, mut f_lt) = (Vec::with_capacity(levels), Vec::with_capacity(levels));
        let mut below = Integer::new();
        for mass in &level_mass {
            f_lt.push(Rational::from((&below, law.denominator())));
            below += mass;
            f_le.push(Rational::from((&below, law.denominator())));
        }
        let p_dist = Dist {
            values: Rc::new(p.iter().cloned().map(Num::Exact).collect()),
        };
        PerOutcome {
            mult,
            p,
            p_dist,
            level,
            f_le,
            f_lt,
        }
    }
}

impl Outcomes {
    fn new(ctx: &Context) -> Result<Outcomes> {
        let case = &ctx.case;
        let count = ctx.route().outcome_count(case).unwrap_or(u64::MAX);
        if count > MAX_OUTCOMES {
            return Err(InputError::new(format!(
                "expression: the case has {count} outcomes, more than the {MAX_OUTCOMES} an expression is evaluated over"
            )));
        }
        ctx.law()?;
        Ok(Outcomes {
            per: std::cell::OnceCell::new(),
            counts: std::cell::OnceCell::new(),
            keys: std::cell::OnceCell::new(),
            true_levels: std::cell::OnceCell::new(),
            sequence_index: std::cell::OnceCell::new(),
            is_log: matches!(case.reward, crate::model::Reward::Log(_)),
            laws: RefCell::new(HashMap::new()),
            dists: RefCell::new(HashMap::new()),
            class_bases: RefCell::new(HashMap::new()),
        })
    }
}

impl<'c> Env<'c> {
    /// Moves to another rung of the ladder: the exact laws stay, the evidence starts afresh.
    pub fn at_prec(&self, prec: u32) {
        self.prec.set(prec);
        self.sides.borrow_mut().clear();
        *self.witness.borrow_mut() = None;
        *self.unresolved.borrow_mut() = None;
        *self.undefined.borrow_mut() = None;
        self.notes.borrow_mut().clear();
        self.memo.borrow_mut().clear();
        *self.memo_at_y.borrow_mut() = (None, HashMap::new());
        self.dist_memo.borrow_mut().clear();
    }

    fn per(&self) -> &PerOutcome {
        self.o.per.get_or_init(|| PerOutcome::new(self.law))
    }

    fn prec(&self) -> u32 {
        self.prec.get()
    }

    /// A node's evidence label (rendered once per expression).
    fn label(&self, node: &Ir) -> String {
        self.expression.label(node).to_string()
    }

    fn fail(&self, node: &Ir, what: &str) -> InputError {
        self.expression.sources().located(node.src, node.at, what)
    }

    /// An operation's error, located at `node`.
    fn op<T>(&self, node: &Ir, r: std::result::Result<T, value::OpError>) -> Result<T> {
        r.map_err(|e| {
            let at = || format!("{}: {}", e.what(), self.label(node));
            match &e {
                // More precision may narrow the enclosure: the ladder climbs on this.
                value::OpError::Unresolved(_, enclosure) => {
                    self.unresolved
                        .borrow_mut()
                        .get_or_insert_with(|| (at(), enclosure.clone()));
                }
                // Undefined exactly: the statement's verdict on this case.
                value::OpError::Undefined(_) => {
                    self.undefined.borrow_mut().get_or_insert_with(at);
                }
            }
            self.fail(node, e.what())
        })
    }

    /// `what` is undefined exactly at `node` on this case: recorded (the statement's verdict
    /// is then `undefined`) and returned as the error, as an operation's would be.
    fn undefined_at<T>(&self, node: &Ir, what: &str) -> Result<T> {
        self.op(node, Err(value::OpError::Undefined(what.to_string())))
    }

    /// What the last evaluation found undefined exactly (a log of an exact 0), if anything.
    pub fn undefined(&self) -> Option<String> {
        self.undefined.borrow().clone()
    }

    /// Why the last evaluation stopped short at this precision (an enclosure that reached a
    /// domain's edge) and that enclosure, if it did.
    pub fn unresolved(&self) -> Option<(String, Interval)> {
        self.unresolved.borrow().clone()
    }

    /// Runs `f` on the exact law of `n` draws (the context's for N and N + 1).
    fn with_law<T>(&self, n: u64, node: &Ir, f: impl FnOnce(&ExactLaw) -> T) -> Result<T> {
        if n == self.ctx.case.n {
            return Ok(f(self.law));
        }
        if n == self.ctx.case.n + 1 {
            return Ok(f(self.ctx.law_next()?));
        }
        if n == 0 {
            return self.undefined_at(node, "bon(n) needs n >= 1");
        }
        let cached = self.o.laws.borrow().get(&n).cloned();
        let law = match cached {
            Some(l) => l,
            None => {
                let case = crate::model::Case {
                    n,
                    ..self.ctx.case.clone()
                };
                let law = Rc::new(ExactLaw::compute(&case, self.law.route())?);
                self.o.laws.borrow_mut().insert(n, law.clone());
                law
            }
        };
        Ok(f(&law))
    }

    /// The best-of-n law as a distribution: per-sequence quotients kept lazily; p itself
    /// when the law equals p (N = 1, or one reward class), so that functionals stay exact.
    fn law_dist(&self, n: u64, node: &Ir) -> Result<Dist> {
        if let Some(d) = self.o.dists.borrow().get(&n) {
            return Ok(d.clone());
        }
        let equals_p = self.law_equals_p(n, node)?;
        let dist = self.with_law(n, node, |law| {
            if equals_p {
                return Dist {
                    values: self.per().p_dist.values.clone(),
                };
            }
            if (law.denominator_pow_n().significant_bits() as u64) <= value::EAGER_BITS {
                // A small law: plain rationals are cheaper than lazy products.
                let values = (0..law.len())
                    .map(|o| Num::Exact(law.pi(o) / &self.per().mult[o]))
                    .collect();
                return Dist {
                    values: Rc::new(values),
                };
            }
            // pi(o) = w_o / (A_k mult_o) * delta_k * D^-N, the class deltas and D shared.
            let bases = self.class_bases(n, law);
            let exponent = -i64::from(law.n());
            let values = (0..law.len())
                .map(|o| {
                    let c = law.class_of()[o];
                    match &bases.deltas[c] {
                        Some(delta) if law.weights()[o].cmp0().is_gt() => {
                            let coef = Rational::from((
                                law.weights()[o].clone(),
                                Integer::from(&law.class_mass()[c] * self.per().mult[o].numer()),
                            ));
                            Num::product(
                                coef,
                                vec![(delta.clone(), 1), (bases.d.clone(), exponent)],
                            )
                        }
                        _ => Num::zero(),
                    }
                })
                .collect();
            Dist {
                values: Rc::new(values),
            }
        })?;
        self.o.dists.borrow_mut().insert(n, dist.clone());
        Ok(dist)
    }

    fn q_letters(&self, node: &Ir) -> Result<Vec<Rational>> {
        self.ctx
            .q()
            .ok_or_else(|| self.fail(node, "q is not given: pass --q (or use a log reward)"))
    }

    /// `prod_l letters[l]^counts[l]` for outcome `o`.
    fn letter_product(&self, letters: &[Num], o: usize, node: &Ir) -> Result<Num> {
        let prec = self.prec();
        let mut acc = Num::one();
        for (l, &c) in self.counts()[o].iter().enumerate() {
            if c > 0 {
                let power = self.op(node, value::pow_int(&letters[l], c as i32, prec))?;
                acc = value::mul(&acc, &power, prec);
            }
        }
        Ok(acc)
    }

    fn plain(&self, values: Vec<Num>) -> Dist {
        Dist {
            values: Rc::new(values),
        }
    }

    /// A distribution-valued node (`bon`, `p`, `tilt(...)`) as values per outcome; one that
    /// reads no bound variable is built once per rung.
    pub fn dist(&self, node: &Ir, y: Y<'_>) -> Result<Dist> {
        if node.free_y {
            return self.dist_afresh(node, y);
        }
        if let Some(d) = self.dist_memo.borrow().get(&node.shape) {
            return Ok(d.clone());
        }
        let d = self.dist_afresh(node, y)?;
        self.dist_memo.borrow_mut().insert(node.shape, d.clone());
        Ok(d)
    }

    fn dist_afresh(&self, node: &Ir, y: Y<'_>) -> Result<Dist> {
        let prec = self.prec();
        let IrKind::Call(builtin, args) = &node.kind else {
            return Err(self.fail(node, "not a distribution (the type checker let it through)"));
        };
        match builtin {
            Builtin::P => Ok(self.per().p_dist.clone()),
            Builtin::Bon => self.law_dist(self.ctx.case.n, node),
            Builtin::Phi => self.phi(node),
            Builtin::Q => {
                let q = self.q_letters(node)?;
                let total: Rational = q.iter().sum();
                let letters: Vec<Num> = q
                    .iter()
                    .map(|x| Num::Exact(Rational::from(x / &total)))
                    .collect();
                let values = (0..self.law.len())
                    .map(|o| self.letter_product(&letters, o, node))
                    .collect::<Result<_>>()?;
                Ok(self.plain(values))
            }
            Builtin::BonOf => {
                let n = self.draws(&args[0], y)?;
                self.law_dist(n, node)
            }
            Builtin::Won | Builtin::WonOf => {
                let n = match args.first() {
                    Some(a) => self.draws(a, y)?,
                    None => self.ctx.case.n,
                };
                let per = self.per();
                self.selected(&per.p_dist, &per.level, per.f_le.len(), n, false, node)
            }
            Builtin::BonOfDist | Builtin::BonOfDistN => {
                let (n, d) = match args.as_slice() {
                    [d] => (self.ctx.case.n, d),
                    [n, d] => (self.draws(n, y)?, d),
                    _ => return Err(self.fail(node, "bon_of takes (D) or (n, D)")),
                };
                let d = self.dist(d, y)?;
                let per = self.per();
                self.selected(&d, &per.level, per.f_le.len(), n, true, node)
            }
            Builtin::BonTrue | Builtin::BonTrueOf => {
                let n = match args.first() {
                    Some(a) => self.draws(a, y)?,
                    None => self.ctx.case.n,
                };
                let levels = self.true_levels(node)?;
                self.selected(
                    &self.per().p_dist,
                    &levels.level,
                    levels.key.len(),
                    n,
                    true,
                    node,
                )
            }
            Builtin::SoftBon | Builtin::SoftBonN => {
                let (n, lambda) = match args.as_slice() {
                    [l] => (self.ctx.case.n, l),
                    [n, l] => (self.draws(n, y)?, l),
                    _ => return Err(self.fail(node, "softbon takes (lambda) or (n, lambda)")),
                };
                let lambda = self.num(lambda, y)?;
                self.soft_bon(n, &lambda, node)
            }
            Builtin::DistY => {
                let mut values = Vec::with_capacity(self.law.len());
                for o in 0..self.law.len() {
                    let v = self.num(&args[0], Some(&Bound::at(o, y)))?;
                    let negative = match v.rational() {
                        Some(x) => x.cmp0().is_lt(),
                        None => v.enc(prec).hi() < &0,
                    };
                    if negative {
                        let at = self.representative(o);
                        return self.undefined_at(
                            node,
                            &format!("dist_y: the weight of outcome {at:?} is negative"),
                        );
                    }
                    values.push(v);
                }
                let total = self.sum_over(|o| Ok(values[o].clone()))?;
                if total.is_zero() {
                    return self.undefined_at(node, "dist_y: the weights sum to 0 on this case");
                }
                let values = values
                    .iter()
                    .map(|v| {
                        if v.is_zero() {
                            Ok(Num::zero())
                        } else {
                            self.op(node, value::div(v, &total, prec))
                        }
                    })
                    .collect::<Result<_>>()?;
                Ok(self.plain(values))
            }
            Builtin::Tilt => {
                // T(q, p, a)(y) = p(y) q(y)^a / sum_z p(z) q(z)^a; exact zeros where p is 0
                // (whatever a is, q^a is never needed there).
                let a = self.num(&args[0], y)?;
                let q = self.q_letters(node)?;
                let letters: Vec<Num> = q
                    .iter()
                    .map(|x| self.pow_num(&Num::Exact(x.clone()), &a, node))
                    .collect::<Result<_>>()?;
                let weights: Vec<Num> = (0..self.law.len())
                    .map(|o| {
                        if self.per().p[o].cmp0().is_eq() {
                            return Ok(Num::zero());
                        }
                        let qa = self.letter_product(&letters, o, node)?;
                        Ok(value::mul(&Num::Exact(self.per().p[o].clone()), &qa, prec))
                    })
                    .collect::<Result<_>>()?;
                let total =
                    weights
                        .iter()
                        .zip(&self.per().mult)
                        .fold(Num::zero(), |acc, (w, m)| {
                            value::add(&acc, &value::mul(w, &Num::Exact(m.clone()), prec), prec)
                        });
                let values = weights
                    .iter()
                    .map(|w| {
                        if w.is_zero() {
                            return Ok(Num::zero());
                        }
                        self.op(node, value::div(w, &total, prec))
                    })
                    .collect::<Result<_>>()?;
                Ok(self.plain(values))
            }
            Builtin::N
            | Builtin::M
            | Builtin::K
            | Builtin::EpsInf
            | Builtin::Log
            | Builtin::Exp
            | Builtin::Sqrt
            | Builtin::Abs
            | Builtin::Min
            | Builtin::Max
            | Builtin::If
            | Builtin::Reward
            | Builtin::Cdf
            | Builtin::CdfBelow
            | Builtin::SumY
            | Builtin::MaxY
            | Builtin::MinY
            | Builtin::ExpectY
            | Builtin::ForallY
            | Builtin::ExistsY
            | Builtin::Kl
            | Builtin::Chi2
            | Builtin::Renyi
            | Builtin::Tv
            | Builtin::Entropy
            | Builtin::CrossEntropy
            | Builtin::Winrate
            | Builtin::WinrateStrict
            | Builtin::Calibrated
            | Builtin::Budget
            | Builtin::Alpha
            | Builtin::SumN
            | Builtin::RewardTrue
            | Builtin::CdfTrue
            | Builtin::CdfBelowTrue
            | Builtin::CalibratedTrue
            | Builtin::WinrateTrue
            | Builtin::Choose
            | Builtin::Letter
            | Builtin::Swap
            | Builtin::Marginal
            | Builtin::ProdN => {
                Err(self.fail(node, "not a distribution (the type checker let it through)"))
            }
        }
    }

    /// Best-of-n (`best`) or worst-of-n of n draws from `d`, outcomes ranked by `level`
    /// (`levels` of them), ties shared uniformly: the draws' top (bottom) level is L with
    /// probability `S_L^n - S_(L-1)^n`, `S` the mass of `d` at or below (above) L, and within
    /// L each outcome in proportion to `d`.
    fn selected(
        &self,
        d: &Dist,
        level: &[usize],
        levels: usize,
        n: u64,
        best: bool,
        node: &Ir,
    ) -> Result<Dist> {
        let prec = self.prec();
        let n = i32::try_from(n)
            .ok()
            .filter(|n| *n <= 1 << 16)
            .ok_or_else(|| self.fail(node, "n draws: at most 65536 for this law"))?;
        let mult = &self.per().mult;
        let mut mass = vec![Num::zero(); levels];
        for o in 0..self.law.len() {
            if !d.values[o].is_zero() {
                let w = value::mul(&d.values[o], &Num::Exact(mult[o].clone()), prec);
                mass[level[o]] = value::add(&mass[level[o]], &w, prec);
            }
        }
        let order: Vec<usize> = if best {
            (0..levels).collect()
        } else {
            (0..levels).rev().collect()
        };
        let mut share = vec![Num::zero(); levels];
        let (mut below, mut below_pow) = (Num::zero(), Num::zero());
        for l in order {
            if mass[l].is_zero() {
                continue;
            }
            below = value::add(&below, &mass[l], prec);
            let pow = self.op(node, value::pow_int(&below, n, prec))?;
            share[l] = value::sub(&pow, &below_pow, prec);
            below_pow = pow;
        }
        let values = (0..self.law.len())
            .map(|o| {
                let x = &d.values[o];
                if x.is_zero() {
                    return Ok(Num::zero());
                }
                let l = level[o];
                let ratio = self.op(node, value::div(&share[l], &mass[l], prec))?;
                Ok(value::mul(x, &ratio, prec))
            })
            .collect::<Result<_>>()?;
        Ok(self.plain(values))
    }

    /// Soft best-of-n at temperature lambda: over the compositions k of the n draws among
    /// the reward levels (multinomial weights), the kept draw is in level c with probability
    /// `k_c u_c / sum_j k_j u_j`, `u = exp(r / lambda)` taken relative to the top level (so
    /// `u = (w / w_top)^(1/lambda)` exactly for log rewards with 1/lambda an integer).
    fn soft_bon(&self, n: u64, lambda: &Num, node: &Ir) -> Result<Dist> {
        let prec = self.prec();
        let positive = match lambda.rational() {
            Some(x) => x.cmp0().is_gt(),
            None => lambda.enc(prec).lo() > &0,
        };
        if !positive {
            return self.undefined_at(node, "softbon needs a temperature lambda > 0");
        }
        let per = self.per();
        let keys = self.keys();
        // Levels that p reaches, with their mass and key.
        let levels = per.f_le.len();
        let mut mass = vec![Rational::new(); levels];
        let mut key = vec![None; levels];
        for o in 0..self.law.len() {
            mass[per.level[o]] += Rational::from(&per.p[o] * &per.mult[o]);
            key[per.level[o]].get_or_insert_with(|| keys[o].clone());
        }
        let live: Vec<usize> = (0..levels).filter(|&l| mass[l].cmp0().is_gt()).collect();
        if n == 1 {
            // One draw is kept whatever its weight: the law is p, exactly (not an enclosure
            // of u / u).
            let values = (0..self.law.len())
                .map(|o| Num::Exact(per.p[o].clone()))
                .collect();
            return Ok(self.plain(values));
        }
        let count = compositions(n, live.len());
        let too_many = || {
            Err(InputError::too_large(format!(
                "softbon: {count} compositions of {n} draws over {} reward levels, more than the {MAX_COMPOSITIONS} it sums over; lower N or the number of reward levels",
                live.len()
            )))
        };
        let top = key[*live.last().expect("p has mass somewhere")]
            .clone()
            .expect("a live level has a key");
        let inverse = lambda.rational().map(|x| Rational::from(x.recip_ref()));
        let weight = |k: &Rational| -> Result<Num> {
            if self.o.is_log {
                let ratio = Num::Exact(Rational::from(k / &top));
                match &inverse {
                    Some(e)
                        if e.is_integer() && e.numer().to_i32().is_some_and(|e| e <= 1 << 16) =>
                    {
                        self.op(
                            node,
                            value::pow_int(&ratio, e.numer().to_i32().unwrap_or(1), prec),
                        )
                    }
                    _ => {
                        let ln = self.op(node, value::ln(&ratio, prec))?;
                        self.op(node, value::div(&ln, lambda, prec))
                            .map(|x| value::exp(&x, prec))
                    }
                }
            } else {
                let difference = Num::Exact(Rational::from(k - &top));
                self.op(node, value::div(&difference, lambda, prec))
                    .map(|x| value::exp(&x, prec))
            }
        };
        let u: Vec<Num> = live
            .iter()
            .map(|&l| weight(key[l].as_ref().expect("a live level has a key")))
            .collect::<Result<_>>()?;
        let a: Vec<Rational> = live.iter().map(|&l| mass[l].clone()).collect();
        let exact: Option<Vec<Rational>> = u.iter().map(|x| x.rational().cloned()).collect();
        if let Some(weights) = &exact {
            // Rational weights: over a common denominator D they are integers n_j, and the
            // sum over compositions collapses onto the distinct totals (a sparse polynomial).
            if let Some(shares) = soft_bon_by_polynomial(n, &a, weights, MAX_EXACT_SOFTBON_TERMS) {
                let mut share = vec![Num::zero(); levels];
                for (j, &l) in live.iter().enumerate() {
                    share[l] = Num::Exact(shares[j].clone());
                }
                return Ok(self.by_level(&share, &mass));
            }
        }
        if count > MAX_COMPOSITIONS {
            return too_many();
        }
        // Enclosed weights, or rational ones whose exact sum would be too large (each
        // distinct total adds its own factor to the denominator): the sum over compositions
        // in interval arithmetic, the first rungs in hardware floats (widened outward), the
        // higher in MPFR.
        let fast = (prec <= 64)
            .then(|| soft_bon_fast(n, &a, &u, prec))
            .flatten();
        let shares = match fast {
            Some(shares) => shares,
            None => soft_bon_enclosed(n, &a, &u, prec)
                .ok_or_else(|| self.fail(node, "softbon: a weight's enclosure reaches 0"))?,
        };
        let mut share = vec![Num::zero(); levels];
        for (j, &l) in live.iter().enumerate() {
            share[l] = Num::Enc(shares[j].clone());
        }
        Ok(self.by_level(&share, &mass))
    }

    /// The law that gives reward level `l` the probability `share[l]`, shared among its
    /// outcomes in proportion to p (`mass[l]` is the level's p-mass).
    fn by_level(&self, share: &[Num], mass: &[Rational]) -> Dist {
        let per = self.per();
        let prec = self.prec();
        let values = (0..self.law.len())
            .map(|o| {
                if per.p[o].cmp0().is_eq() {
                    return Num::zero();
                }
                let l = per.level[o];
                let within = Num::Exact(Rational::from(&per.p[o] / &mass[l]));
                value::mul(&within, &share[l], prec)
            })
            .collect();
        self.plain(values)
    }

    /// The outcomes ranked by the case's true reward.
    fn true_levels(&self, node: &Ir) -> Result<&Levels> {
        let Some(reward) = &self.ctx.case.true_reward else {
            return Err(self.fail(
                node,
                "the case has no true reward: pass --true-reward (hypothesis true-reward-given)",
            ));
        };
        Ok(self.o.true_levels.get_or_init(|| {
            let keys: Vec<Rational> = (0..self.law.len())
                .map(|o| reward.key_of_sequence::<Rational>(&self.representative(o)))
                .collect();
            let mass: Vec<Rational> = (0..self.law.len())
                .map(|o| Rational::from(&self.per().p[o] * &self.per().mult[o]))
                .collect();
            Levels::new(&keys, &mass)
        }))
    }

    /// The true reward of outcome `o`.
    fn true_reward_at(&self, o: usize, node: &Ir) -> Result<Num> {
        let levels = self.true_levels(node)?;
        let key = &levels.key[levels.level[o]];
        let is_log = matches!(
            self.ctx.case.true_reward,
            Some(crate::model::Reward::Log(_))
        );
        Ok(if !is_log {
            Num::Exact(key.clone())
        } else if *key == 1 {
            Num::zero()
        } else {
            Num::logs(value::LogSum::term(Rational::from(1), key.clone()))
        })
    }

    /// The `n` of `bon(n)`: an exact positive integer.
    fn draws(&self, arg: &Ir, y: Y<'_>) -> Result<u64> {
        self.num(arg, y)?
            .rational()
            .filter(|x| x.denom() == &1u32 && x.cmp0().is_gt())
            .and_then(|x| x.numer().to_u64())
            .map_or_else(
                || self.undefined_at(arg, "bon(n) needs an exact positive integer n"),
                Ok,
            )
    }

    /// `Some(n)` when the arguments are literally `bon` (or `bon(n)`) and `p`: the functionals
    /// of a law against p then have the engine's forms over classes, and the per-outcome
    /// values of the law are never built.
    fn law_against_p(&self, args: &[Ir], y: Y<'_>) -> Result<Option<u64>> {
        let [a, b] = args else { return Ok(None) };
        if !matches!(&b.kind, IrKind::Call(Builtin::P, _)) {
            return Ok(None);
        }
        match &a.kind {
            IrKind::Call(Builtin::Bon, _) => Ok(Some(self.ctx.case.n)),
            IrKind::Call(Builtin::BonOf, inner) => Ok(Some(self.draws(&inner[0], y)?)),
            _ => Ok(None),
        }
    }

    /// `pi_n = p` exactly (N = 1, or one reward class): on every class with mass,
    /// `pi/p = Delta D / (A D^N)` is 1.
    fn law_equals_p(&self, n: u64, node: &Ir) -> Result<bool> {
        self.with_law(n, node, |law| {
            law.class_mass()
                .iter()
                .zip(law.class_delta())
                .all(|(a, delta)| {
                    a.cmp0().is_eq()
                        || Integer::from(delta * law.denominator())
                            == Integer::from(a * law.denominator_pow_n())
                })
        })
    }

    /// phi_Delta: the product of the per-letter optimum at budget delta (Lemma 4 of
    /// 2404.01730), each letter's tilt enclosed over the alpha bracket.
    fn phi(&self, node: &Ir) -> Result<Dist> {
        use crate::tilt::optimum::{solve_alpha, AlphaSolution, RewardAtoms};
        let delta = self
            .ctx
            .tilt
            .delta
            .clone()
            .ok_or_else(|| self.fail(node, "phi needs a per-letter budget: pass --delta"))?;
        let atoms = RewardAtoms::per_letter(&self.ctx.case).ok_or_else(|| {
            self.fail(
                node,
                "phi needs an additive or log reward (a per-letter tilt)",
            )
        })?;
        let probs = self.ctx.case.source.pmf.probs();
        let letters: Vec<Num> = match solve_alpha(
            &atoms,
            &delta,
            self.ctx.policy,
            crate::claims::support::GOAL_BITS,
        ) {
            AlphaSolution::Zero => probs.iter().cloned().map(Num::Exact).collect(),
            AlphaSolution::Bracket(b) => atoms
                .at(&b.interval(self.prec()), self.prec())
                .phi
                .into_iter()
                .map(Num::Enc)
                .collect(),
            AlphaSolution::NoFiniteAlpha { top_mass, .. } => {
                // The optimum is p restricted to the top reward class.
                let top = atoms.top_key().clone();
                probs
                    .iter()
                    .zip(&atoms.key)
                    .map(|(p, k)| {
                        Num::Exact(if *k == top {
                            Rational::from(p / &top_mass)
                        } else {
                            Rational::new()
                        })
                    })
                    .collect()
            }
            AlphaSolution::Undecided { reason, .. } => {
                return Err(self.fail(
                    node,
                    &format!("phi: alpha(delta) could not be bracketed: {reason}"),
                ))
            }
        };
        let values = (0..self.law.len())
            .map(|o| self.letter_product(&letters, o, node))
            .collect::<Result<_>>()?;
        Ok(self.plain(values))
    }

    fn outcome(&self, node: &Ir, y: Y<'_>) -> Result<usize> {
        match (&node.kind, y) {
            (IrKind::Var(i), y) if node.ty == super::builtins::Type::Outcome => lookup(y, *i)
                .map(|v| v as usize)
                .ok_or_else(|| self.fail(node, "a variable outside its binder")),
            (IrKind::Call(Builtin::Swap, args), y) => {
                let mut s = self.sequence_of(&args[0], y, node)?;
                let i = self.position(&args[1], y, node)?;
                let j = self.position(&args[2], y, node)?;
                s.swap(i, j);
                self.index_of_sequence(&s, node)
            }
            _ => Err(self.fail(node, "expected the bound outcome y")),
        }
    }

    /// An end of the range of an integer binder: an exact integer.
    fn integer_end(&self, arg: &Ir, y: Y<'_>, binder: &str) -> Result<i64> {
        let v = self.num(arg, y)?;
        match v
            .rational()
            .filter(|x| x.is_integer())
            .and_then(|x| x.numer().to_i64())
        {
            Some(k) => Ok(k),
            None => self.undefined_at(
                arg,
                &format!("{binder}: the ends of the range must be exact integers"),
            ),
        }
    }

    /// The sequence of an outcome-valued node; positions need outcomes by sequence.
    fn sequence_of(&self, node: &Ir, y: Y<'_>, at: &Ir) -> Result<Vec<u32>> {
        let o = self.outcome(node, y)?;
        match &self.law.outcomes()[o] {
            Outcome::Sequence(s) => Ok(s.clone()),
            Outcome::Type { .. } => Err(self.fail(
                at,
                "positions need the law per sequence (the evaluator took it by type)",
            )),
        }
    }

    /// Position `i` (1 to m) of a sequence as an index from 0; out of range is undefined.
    fn position(&self, node: &Ir, y: Y<'_>, at: &Ir) -> Result<usize> {
        let v = self.num(node, y)?;
        let m = self.ctx.case.m();
        match v
            .rational()
            .filter(|x| x.is_integer())
            .and_then(|x| x.numer().to_u32())
        {
            Some(i) if (1..=m).contains(&i) => Ok(i as usize - 1),
            _ => self.undefined_at(
                at,
                &format!("a position must be an exact integer from 1 to m = {m}"),
            ),
        }
    }

    /// The outcome index of a sequence of the per-sequence law.
    fn index_of_sequence(&self, s: &[u32], at: &Ir) -> Result<usize> {
        let index = self.o.sequence_index.get_or_init(|| {
            self.law
                .outcomes()
                .iter()
                .enumerate()
                .filter_map(|(o, outcome)| match outcome {
                    Outcome::Sequence(s) => Some((s.clone(), o)),
                    Outcome::Type { .. } => None,
                })
                .collect()
        });
        index
            .get(s)
            .copied()
            .ok_or_else(|| self.fail(at, "a sequence outside the law's outcomes"))
    }

    fn pow_num(&self, a: &Num, b: &Num, node: &Ir) -> Result<Num> {
        let prec = self.prec();
        if let Some(e) = b.rational() {
            if e.denom() == &1u32 {
                // An exact power while it can be one; a huge one is enclosed.
                return match e.numer().to_i32().filter(|k| k.unsigned_abs() <= 1 << 16) {
                    Some(k) => self.op(node, value::pow_int(a, k, prec)),
                    None => self.op(node, value::pow_int_enclosed(a, e.numer(), prec)),
                };
            }
        }
        // An exact 0 to a positive power is 0 (`x^(1/2)` at x = 0).
        if a.is_zero()
            && b.enc(prec)
                .certified_cmp(&Interval::from_rational(&Rational::new(), prec))
                == Some(std::cmp::Ordering::Greater)
        {
            return Ok(Num::zero());
        }
        // a^b = exp(b ln a), a > 0.
        let ln = self.op(node, value::ln(a, prec))?;
        Ok(value::exp(&value::mul(b, &ln, prec), prec))
    }

    /// The exact reward key of each outcome, computed on first use (the reward is symmetric
    /// when outcomes are types, so one sequence's key is the type's).
    fn keys(&self) -> &[Rational] {
        self.o.keys.get_or_init(|| {
            (0..self.law.len())
                .map(|o| {
                    let s = self.representative(o);
                    self.ctx.case.reward.key_of_sequence::<Rational>(&s)
                })
                .collect()
        })
    }

    /// One sequence of outcome `o` (a type's letters in order): witnesses and reward keys.
    fn representative(&self, o: usize) -> Vec<u32> {
        match &self.law.outcomes()[o] {
            Outcome::Sequence(s) => s.clone(),
            Outcome::Type { counts, .. } => counts
                .iter()
                .enumerate()
                .flat_map(|(l, &n)| std::iter::repeat_n(l as u32, n as usize))
                .collect(),
        }
    }

    /// Letter counts of each outcome.
    fn counts(&self) -> &[Vec<u32>] {
        self.o.counts.get_or_init(|| {
            let k = self.ctx.case.k();
            self.law
                .outcomes()
                .iter()
                .map(|outcome| match outcome {
                    Outcome::Sequence(s) => crate::model::source::counts_of(s, k),
                    Outcome::Type { counts, .. } => counts.clone(),
                })
                .collect()
        })
    }

    fn reward(&self, o: usize) -> Num {
        if self.o.is_log {
            if self.keys()[o] == 1 {
                return Num::zero();
            }
            // Kept exact: identities between log rewards are decided by their normal form.
            Num::logs(value::LogSum::term(
                Rational::from(1),
                self.keys()[o].clone(),
            ))
        } else {
            Num::Exact(self.keys()[o].clone())
        }
    }

    /// `sum_y pi_n(y)^a p(y)^(1-a)` for an integer order `a >= 2`, exactly (kept lazily), over
    /// the law's classes: pi/p is constant on a class, so the sum is
    /// `sum_k pi(C_k)^a / p(C_k)^(a-1) = sum_k (D / A_k)^(a-1) Delta_k^a D^(-aN)`.
    fn class_power_sum(&self, n: u64, order: u32, node: &Ir) -> Result<Num> {
        self.with_law(n, node, |law| {
            let bases = self.class_bases(n, law);
            let terms = bases
                .deltas
                .iter()
                .zip(law.class_mass())
                .filter_map(|(delta, mass)| Some((delta.as_ref()?, mass)))
                .map(|(delta, mass)| {
                    let coef =
                        Rational::from((law.denominator().clone(), mass.clone())).pow(order - 1);
                    Num::product(
                        coef,
                        vec![
                            (delta.clone(), i64::from(order)),
                            (bases.d.clone(), -i64::from(order) * i64::from(law.n())),
                        ],
                    )
                });
            value::sum(terms, self.prec())
        })
    }

    /// The bases of the law of `n` draws (built once per context).
    fn class_bases(&self, n: u64, law: &ExactLaw) -> Rc<ClassBases> {
        if let Some(b) = self.o.class_bases.borrow().get(&n) {
            return b.clone();
        }
        let bases = Rc::new(ClassBases {
            d: Base::new(Rational::from(law.denominator())),
            deltas: law
                .class_delta()
                .iter()
                .map(|delta| (delta.cmp0().is_gt()).then(|| Base::new(Rational::from(delta))))
                .collect(),
        });
        self.o.class_bases.borrow_mut().insert(n, bases.clone());
        bases
    }

    /// `sum_o mult(o) * term(o)`.
    fn sum_over(&self, mut term: impl FnMut(usize) -> Result<Num>) -> Result<Num> {
        let prec = self.prec();
        let mut terms = Vec::with_capacity(self.law.len());
        for o in 0..self.law.len() {
            let t = term(o)?;
            if t.is_zero() {
                continue;
            }
            terms.push(if self.per().mult[o] == 1 {
                t
            } else {
                value::mul(&t, &Num::Exact(self.per().mult[o].clone()), prec)
            });
        }
        Ok(value::sum(terms, prec))
    }

    fn functional(&self, f: Builtin, args: &[Ir], node: &Ir, y: Y<'_>) -> Result<Num> {
        let prec = self.prec();
        let kl = f == Builtin::Kl;
        match f {
            Builtin::Kl | Builtin::CrossEntropy => {
                if let Some(n) = self.law_against_p(args, y)?.filter(|_| kl) {
                    if self.law_equals_p(n, node)? {
                        return Ok(Num::zero());
                    }
                    // A small law: KL exactly, as a sum of logarithms over its classes
                    // (pi(C_k) ln(Delta_k / (A_k D^(N-1)))), so identities in it are decided.
                    let exact = self.with_law(n, node, |law| {
                        if law.denominator_pow_n().significant_bits() as u64 > value::EAGER_BITS {
                            return None;
                        }
                        let d_pow_n_minus_1 =
                            Integer::from(law.denominator_pow_n() / law.denominator());
                        let mut terms = Vec::new();
                        for (delta, mass) in law.class_delta().iter().zip(law.class_mass()) {
                            let below = Integer::from(mass * &d_pow_n_minus_1);
                            if delta.cmp0().is_eq() || *delta == below {
                                continue; // 0 ln 0 = 0, ln 1 = 0
                            }
                            terms.push(value::Term::new(
                                delta.clone(),
                                law.denominator_pow_n().clone(),
                                delta.clone(),
                                below,
                            ));
                        }
                        let sum = value::LogSum::terms(terms);
                        Some(sum)
                    })?;
                    if let Some(sum) = exact {
                        return Ok(Num::logs(sum));
                    }
                    // The engine's KL over the law's classes (pi/p is constant on a class):
                    // one logarithm per class.
                    let kl = self.with_law(n, node, |law| {
                        crate::law::functionals::kl_to_reference(law, prec)
                    })?;
                    return Ok(Num::Enc(kl));
                }
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                if kl && Rc::ptr_eq(&a.values, &b.values) {
                    return Ok(Num::zero());
                }
                let s = self.sum_over(|o| {
                    let (x, z) = (&a.values[o], &b.values[o]);
                    if x.is_zero() {
                        return Ok(Num::zero());
                    }
                    if z.is_zero() {
                        return self.undefined_at(node, &format!("{} is infinite: the first distribution has mass where the second has exactly 0", f.name()));
                    }
                    let inner = if kl {
                        self.op(node, value::div(x, z, prec))?
                    } else {
                        z.clone()
                    };
                    Ok(value::mul(x, &self.op(node, value::ln(&inner, prec))?, prec))
                })?;
                Ok(if kl { s } else { value::neg(&s) })
            }
            Builtin::Entropy => {
                let a = self.dist(&args[0], y)?;
                let s = self.sum_over(|o| {
                    let x = &a.values[o];
                    if x.is_zero() {
                        return Ok(Num::zero());
                    }
                    Ok(value::mul(x, &self.op(node, value::ln(x, prec))?, prec))
                })?;
                Ok(value::neg(&s))
            }
            Builtin::Chi2 => {
                if let Some(n) = self.law_against_p(args, y)? {
                    if self.law_equals_p(n, node)? {
                        return Ok(Num::zero());
                    }
                    let s = self.class_power_sum(n, 2, node)?;
                    return Ok(value::sub(&s, &Num::one(), prec));
                }
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                if Rc::ptr_eq(&a.values, &b.values) {
                    return Ok(Num::zero());
                }
                let s = self.sum_over(|o| {
                    let (x, z) = (&a.values[o], &b.values[o]);
                    if x.is_zero() {
                        return Ok(Num::zero());
                    }
                    self.op(node, value::div(&value::mul(x, x, prec), z, prec))
                })?;
                Ok(value::sub(&s, &Num::one(), prec))
            }
            Builtin::Tv => {
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                let s = self.sum_over(|o| {
                    Ok(value::abs(
                        &value::sub(&a.values[o], &b.values[o], prec),
                        prec,
                    ))
                })?;
                self.op(node, value::div(&s, &Num::int(2), prec))
            }
            Builtin::Renyi => {
                // 1/(a-1) log sum A^a B^(1-a).
                let order = self.num(&args[0], y)?;
                if order.rational().is_some_and(|o| *o == 1) {
                    return Err(self.fail(&args[0], "renyi of order 1 is kl: use kl(A, B)"));
                }
                let integer_order = order
                    .rational()
                    .filter(|o| o.is_integer() && **o >= 2 && **o <= 64)
                    .and_then(|o| o.numer().to_u32());
                let law = match integer_order {
                    Some(k) => self.law_against_p(&args[1..], y)?.map(|n| (n, k)),
                    None => None,
                };
                let s = match law {
                    Some((n, _)) if self.law_equals_p(n, node)? => return Ok(Num::zero()),
                    Some((n, k)) => self.class_power_sum(n, k, node)?,
                    None => {
                        let (a, b) = (self.dist(&args[1], y)?, self.dist(&args[2], y)?);
                        if Rc::ptr_eq(&a.values, &b.values) {
                            return Ok(Num::zero());
                        }
                        let complement = value::sub(&Num::one(), &order, prec);
                        self.sum_over(|o| {
                            let (x, z) = (&a.values[o], &b.values[o]);
                            if x.is_zero() {
                                return Ok(Num::zero());
                            }
                            let left = self.pow_num(x, &order, node)?;
                            let right = self.pow_num(z, &complement, node)?;
                            Ok(value::mul(&left, &right, prec))
                        })?
                    }
                };
                let ln = self.op(node, value::ln(&s, prec))?;
                self.op(
                    node,
                    value::div(&ln, &value::sub(&order, &Num::one(), prec), prec),
                )
            }
            Builtin::WinrateTrue => {
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                let t = self.true_levels(node)?;
                self.win_rate(&a, &b, &t.level, t.key.len(), true)
            }
            Builtin::Winrate | Builtin::WinrateStrict => {
                let with_ties = f == Builtin::Winrate;
                if let Some(n) = self.law_against_p(args, y)? {
                    // The engine's integer win rate over reward classes.
                    let w = self.with_law(n, node, crate::law::functionals::win_rate)?;
                    return Ok(Num::Exact(if with_ties { w.ties_half } else { w.strict }));
                }
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                let per = self.per();
                self.win_rate(&a, &b, &per.level, per.f_le.len(), with_ties)
            }
            _ => Err(self.fail(node, "not a functional (the type checker let it through)")),
        }
    }

    /// `P(Y beats Z)` (+ half the ties), Y ~ a, Z ~ b, outcomes ranked by `level`: b's mass
    /// per level, then each outcome of a beats the levels below.
    fn win_rate(
        &self,
        a: &Dist,
        b: &Dist,
        level: &[usize],
        levels: usize,
        with_ties: bool,
    ) -> Result<Num> {
        let prec = self.prec();
        let mut mass = vec![Num::zero(); levels];
        for o in 0..self.law.len() {
            let w = value::mul(&b.values[o], &Num::Exact(self.per().mult[o].clone()), prec);
            mass[level[o]] = value::add(&mass[level[o]], &w, prec);
        }
        let mut beaten = Vec::with_capacity(levels);
        let mut below = Num::zero();
        let half = Num::Exact(Rational::from((1, 2)));
        for m in &mass {
            beaten.push(if with_ties {
                value::add(&below, &value::mul(&half, m, prec), prec)
            } else {
                below.clone()
            });
            below = value::add(&below, m, prec);
        }
        self.sum_over(|o| Ok(value::mul(&a.values[o], &beaten[level[o]], prec)))
    }

    /// The case's per-letter budget delta.
    fn delta(&self, node: &Ir) -> Result<Rational> {
        self.ctx
            .tilt
            .delta
            .clone()
            .ok_or_else(|| self.fail(node, "needs a per-letter budget: pass --delta"))
    }

    /// alpha(Delta): the certified bracket of the tilt parameter phi uses (per letter; the
    /// product's alpha is the same, Lemma 4 of 2404.01730).
    fn alpha(&self, node: &Ir) -> Result<Num> {
        use crate::tilt::optimum::{solve_alpha, AlphaSolution, RewardAtoms};
        let delta = self.delta(node)?;
        let atoms = RewardAtoms::per_letter(&self.ctx.case)
            .ok_or_else(|| self.fail(node, "alpha needs an additive or log reward"))?;
        match solve_alpha(
            &atoms,
            &delta,
            self.ctx.policy,
            crate::claims::support::GOAL_BITS,
        ) {
            AlphaSolution::Zero => Ok(Num::zero()),
            AlphaSolution::Bracket(b) => Ok(Num::Enc(b.interval(self.prec()))),
            AlphaSolution::NoFiniteAlpha { .. } => self.undefined_at(
                node,
                "alpha: the budget reaches ln 1/p(top reward); no finite alpha attains it",
            ),
            AlphaSolution::Undecided { reason, .. } => Err(self.fail(
                node,
                &format!("alpha(delta) could not be bracketed: {reason}"),
            )),
        }
    }

    /// The value of a numeric node (calls and arithmetic remembered by shape at this rung).
    pub fn num(&self, node: &Ir, y: Y<'_>) -> Result<Num> {
        // Worth remembering: calls and arithmetic that do not read y (a binder evaluates
        // them once per outcome otherwise), and those that occur twice.
        let worth = match &node.kind {
            IrKind::Call(_, args) => !args.is_empty(),
            IrKind::At(..) | IrKind::Arith(..) => true,
            _ => false,
        };
        if !worth || (node.free_y && !node.repeated) {
            return self.num_afresh(node, y);
        }
        let id = node.shape;
        if node.free_y {
            let key = chain(y);
            {
                let mut at_y = self.memo_at_y.borrow_mut();
                if at_y.0.as_ref() != Some(&key) {
                    at_y.0 = Some(key.clone());
                    at_y.1.clear();
                } else if let Some(v) = at_y.1.get(&id) {
                    return Ok(v.clone());
                }
            }
            let v = self.num_afresh(node, y)?;
            let mut at_y = self.memo_at_y.borrow_mut();
            if at_y.0.as_ref() == Some(&key) {
                at_y.1.insert(id, v.clone());
            }
            return Ok(v);
        }
        if let Some(v) = self.memo.borrow().get(&id) {
            return Ok(v.clone());
        }
        let v = self.num_afresh(node, y)?;
        self.memo.borrow_mut().insert(id, v.clone());
        Ok(v)
    }

    fn num_afresh(&self, node: &Ir, y: Y<'_>) -> Result<Num> {
        let prec = self.prec();
        match &node.kind {
            IrKind::Number(x) => Ok(Num::Exact(x.clone())),
            IrKind::Neg(a) => Ok(value::neg(&self.num(a, y)?)),
            IrKind::Arith(op, a, b) => {
                let (l, r) = (self.num(a, y)?, self.num(b, y)?);
                match op {
                    ArithOp::Add => Ok(value::add(&l, &r, prec)),
                    ArithOp::Sub => Ok(value::sub(&l, &r, prec)),
                    ArithOp::Mul => Ok(value::mul(&l, &r, prec)),
                    ArithOp::Div => self.op(node, value::div(&l, &r, prec)),
                    ArithOp::Pow => self.pow_num(&l, &r, node),
                }
            }
            IrKind::Call(b, args) => self.call(*b, args, node, y),
            IrKind::At(d, o) => {
                let d = self.dist(d, y)?;
                Ok(d.values[self.outcome(o, y)?].clone())
            }
            IrKind::Var(i) if node.ty == super::builtins::Type::Num => lookup(y, *i)
                .map(Num::int)
                .ok_or_else(|| self.fail(node, "a variable outside its binder")),
            IrKind::Var(_) | IrKind::Not(_) | IrKind::Rel(..) | IrKind::Logic(..) => {
                Err(self.fail(node, "not a number (the type checker let it through)"))
            }
        }
    }

    /// A numeric builtin.
    fn call(&self, f: Builtin, args: &[Ir], node: &Ir, y: Y<'_>) -> Result<Num> {
        let prec = self.prec();
        match f {
            Builtin::N => Ok(Num::Exact(Rational::from(self.ctx.case.n))),
            Builtin::M => Ok(Num::Exact(Rational::from(self.ctx.case.m()))),
            Builtin::K => Ok(Num::Exact(Rational::from(self.ctx.case.k() as u64))),
            Builtin::EpsInf => Ok(Num::Exact(crate::claims::support::top_reward_mass(
                self.law,
            ))),
            Builtin::Log => self.op(node, value::ln(&self.num(&args[0], y)?, prec)),
            Builtin::Exp => Ok(value::exp(&self.num(&args[0], y)?, prec)),
            Builtin::Sqrt => {
                let v = self.num(&args[0], y)?;
                if let Some(x) = v.is_exact().then(|| v.exact_value()).flatten() {
                    if x.cmp0().is_lt() {
                        return self
                            .undefined_at(node, &format!("sqrt of a negative exact value ({x})"));
                    }
                    let (n, d) = (x.numer(), x.denom());
                    if n.is_perfect_square() && d.is_perfect_square() {
                        return Ok(Num::Exact(Rational::from((
                            n.clone().sqrt(),
                            d.clone().sqrt(),
                        ))));
                    }
                }
                self.pow_num(&v, &Num::Exact(Rational::from((1, 2))), node)
            }
            Builtin::Abs => Ok(value::abs(&self.num(&args[0], y)?, prec)),
            Builtin::Calibrated => {
                let l = self.per().level[self.outcome(&args[0], y)?];
                Ok(Num::Exact(calibrated(
                    &self.per().f_lt[l],
                    &self.per().f_le[l],
                )))
            }
            Builtin::CalibratedTrue => {
                let o = self.outcome(&args[0], y)?;
                let t = self.true_levels(node)?;
                let l = t.level[o];
                Ok(Num::Exact(calibrated(&t.f_lt[l], &t.f_le[l])))
            }
            Builtin::RewardTrue => {
                let o = self.outcome(&args[0], y)?;
                self.true_reward_at(o, node)
            }
            Builtin::CdfTrue | Builtin::CdfBelowTrue => {
                let o = self.outcome(&args[0], y)?;
                let t = self.true_levels(node)?;
                let l = t.level[o];
                Ok(Num::Exact(if f == Builtin::CdfTrue {
                    t.f_le[l].clone()
                } else {
                    t.f_lt[l].clone()
                }))
            }
            Builtin::Choose => {
                let int = |arg: &Ir| -> Result<i64> {
                    let v = self.num(arg, y)?;
                    match v
                        .rational()
                        .filter(|x| x.is_integer())
                        .and_then(|x| x.numer().to_i64())
                    {
                        Some(k) if (0..=1 << 16).contains(&k) => Ok(k),
                        _ => self.undefined_at(arg, "choose needs exact integers in 0..=65536"),
                    }
                };
                let (n, k) = (int(&args[0])?, int(&args[1])?);
                if k > n {
                    return Ok(Num::zero());
                }
                Ok(Num::int(Integer::binomial_u(n as u32, k as u32)))
            }
            Builtin::Budget => {
                let delta = self.delta(node)?;
                Ok(Num::Exact(delta * Rational::from(self.ctx.case.m())))
            }
            Builtin::Alpha => self.alpha(node),
            Builtin::SumN => {
                let (lo, hi) = (
                    self.integer_end(&args[0], y, "sum_n")?,
                    self.integer_end(&args[1], y, "sum_n")?,
                );
                if hi.saturating_sub(lo) >= MAX_RANGE {
                    return Err(InputError::too_large(format!(
                        "sum_n: the range {lo}..{hi} has more than {MAX_RANGE} terms"
                    )));
                }
                let mut terms = Vec::new();
                for k in lo..=hi {
                    let b = Bound { value: k, outer: y };
                    terms.push(self.num(&args[2], Some(&b))?);
                }
                Ok(value::sum(terms, prec))
            }
            Builtin::Min | Builtin::Max => {
                let (a, b) = (self.num(&args[0], y)?, self.num(&args[1], y)?);
                Ok(value::max_or_min(&a, &b, f == Builtin::Max, prec))
            }
            Builtin::Letter => {
                let s = self.sequence_of(&args[0], y, node)?;
                let i = self.position(&args[1], y, node)?;
                Ok(Num::int(i64::from(s[i])))
            }
            Builtin::Marginal => {
                let d = self.dist(&args[0], y)?;
                let i = self.position(&args[1], y, node)?;
                let letter = self.sequence_of(&args[2], y, node)?[i];
                let mut terms = Vec::new();
                for (o, outcome) in self.law.outcomes().iter().enumerate() {
                    match outcome {
                        Outcome::Sequence(s) if s[i] == letter => terms.push(d.values[o].clone()),
                        Outcome::Sequence(_) => {}
                        Outcome::Type { .. } => return Err(self.fail(
                            node,
                            "positions need the law per sequence (the evaluator took it by type)",
                        )),
                    }
                }
                Ok(value::sum(terms, prec))
            }
            Builtin::ProdN => {
                let (lo, hi) = (
                    self.integer_end(&args[0], y, "prod_n")?,
                    self.integer_end(&args[1], y, "prod_n")?,
                );
                if hi.saturating_sub(lo) >= MAX_RANGE {
                    return Err(InputError::too_large(format!(
                        "prod_n: the range {lo}..{hi} has more than {MAX_RANGE} terms"
                    )));
                }
                let mut out = Num::one();
                for k in lo..=hi {
                    let b = Bound { value: k, outer: y };
                    out = value::mul(&out, &self.num(&args[2], Some(&b))?, prec);
                }
                Ok(out)
            }
            Builtin::If => {
                // Equal branches need no condition.
                if args[1].shape == args[2].shape {
                    return self.num(&args[1], y);
                }
                match self.truth(&args[0], y)? {
                    Truth::True => self.num(&args[1], y),
                    Truth::False => self.num(&args[2], y),
                    // Undecided condition: a value both branches' enclosures contain.
                    Truth::Unknown => {
                        let (a, b) = (self.num(&args[1], y)?, self.num(&args[2], y)?);
                        Ok(Num::Enc(a.enc(prec).hull(&b.enc(prec))))
                    }
                }
            }
            Builtin::Reward => Ok(self.reward(self.outcome(&args[0], y)?)),
            Builtin::Cdf => Ok(Num::Exact(
                self.per().f_le[self.per().level[self.outcome(&args[0], y)?]].clone(),
            )),
            Builtin::CdfBelow => Ok(Num::Exact(
                self.per().f_lt[self.per().level[self.outcome(&args[0], y)?]].clone(),
            )),
            Builtin::SumY => {
                // sum_y p(y)^k = (sum_i p_i^k)^m: p is memoryless, so the sum over outcomes
                // factors over the letters (one pass over K letters instead of K^m outcomes).
                if let IrKind::Arith(ArithOp::Pow, base, exponent) = &args[0].kind {
                    let is_p_at_y = matches!(&base.kind, IrKind::At(d, o)
                        if matches!(d.kind, IrKind::Call(Builtin::P, _)) && matches!(o.kind, IrKind::Var(0)));
                    let k = match &exponent.kind {
                        IrKind::Number(k) if k.is_integer() && *k >= 1 && *k <= 64 => {
                            k.numer().to_u32()
                        }
                        _ => None,
                    };
                    if let (true, Some(k)) = (is_p_at_y, k) {
                        let per_letter: Rational = self
                            .ctx
                            .case
                            .source
                            .pmf
                            .probs()
                            .iter()
                            .map(|x| Rational::from(x.pow(k)))
                            .sum();
                        return self.op(
                            node,
                            value::pow_int(&Num::Exact(per_letter), self.ctx.case.m() as i32, prec),
                        );
                    }
                }
                self.sum_over(|z| self.num(&args[0], Some(&Bound::at(z, y))))
            }
            Builtin::MaxY | Builtin::MinY => {
                let mut best: Option<Num> = None;
                for z in 0..self.law.len() {
                    let v = self.num(&args[0], Some(&Bound::at(z, y)))?;
                    best = Some(match best {
                        None => v,
                        Some(b) => value::max_or_min(&b, &v, f == Builtin::MaxY, prec),
                    });
                }
                Ok(best.unwrap_or(Num::zero()))
            }
            Builtin::ExpectY => {
                let d = self.dist(&args[0], y)?;
                self.sum_over(|z| {
                    let w = &d.values[z];
                    if w.is_zero() {
                        return Ok(Num::zero());
                    }
                    let v = self.num(&args[1], Some(&Bound::at(z, y)))?;
                    Ok(value::mul(w, &v, prec))
                })
            }
            Builtin::Kl
            | Builtin::Chi2
            | Builtin::Renyi
            | Builtin::Tv
            | Builtin::Entropy
            | Builtin::CrossEntropy
            | Builtin::Winrate
            | Builtin::WinrateStrict
            | Builtin::WinrateTrue => self.functional(f, args, node, y),
            Builtin::P
            | Builtin::Q
            | Builtin::Bon
            | Builtin::BonOf
            | Builtin::Tilt
            | Builtin::Phi
            | Builtin::ForallY
            | Builtin::ExistsY
            | Builtin::Won
            | Builtin::WonOf
            | Builtin::BonOfDist
            | Builtin::BonOfDistN
            | Builtin::SoftBon
            | Builtin::SoftBonN
            | Builtin::DistY
            | Builtin::BonTrue
            | Builtin::BonTrueOf
            | Builtin::Swap => {
                Err(self.fail(node, "not a number (the type checker let it through)"))
            }
        }
    }

    /// A relation decided: exactly for rationals, by the normal form for sums of logarithms
    /// whose enclosures do not separate (the note says so), else by enclosures.
    fn relation(&self, op: RelOp, l: &Num, r: &Num) -> (Truth, Option<String>) {
        use std::cmp::Ordering::*;
        let prec = self.prec();
        let mut note = None;
        let order = if l.is_exact() && r.is_exact() {
            Some(value::exact_cmp(l, r, prec))
        } else {
            // Enclosures prove equality only when both are the same single point.
            let (a, b) = (l.enc(prec), r.enc(prec));
            let mut order = a.certified_cmp(&b);
            if matches!(order, None | Some(Equal)) {
                if let Some(d) = value::log_difference(l, r) {
                    if d.is_zero_exactly() {
                        note = Some("0 exactly (logarithms over a coprime base)".to_string());
                        order = Some(Equal);
                    } else {
                        let nonzero = format!(
                            "{} exactly, not 0 (logarithms over a coprime base)",
                            d.describe()
                        );
                        match op {
                            RelOp::Eq => return (Truth::False, Some(nonzero)),
                            RelOp::Ne => return (Truth::True, Some(nonzero)),
                            _ => {}
                        }
                    }
                }
            }
            if order.is_none() {
                // Touching ends still settle the non-strict relations (an even power whose
                // enclosure starts at 0 is >= 0) and refute the strict ones.
                let touch = |x: &Interval, y: &Interval| x.hi() <= y.lo();
                let settled = match op {
                    RelOp::Le if touch(&a, &b) => Some(true),
                    RelOp::Ge if touch(&b, &a) => Some(true),
                    RelOp::Gt if touch(&a, &b) => Some(false),
                    RelOp::Lt if touch(&b, &a) => Some(false),
                    _ => None,
                };
                let truth = match settled {
                    Some(true) => Truth::True,
                    Some(false) => Truth::False,
                    None => Truth::Unknown,
                };
                return (truth, note);
            }
            order
        };
        let Some(o) = order else {
            return (Truth::Unknown, note);
        };
        let holds = match op {
            RelOp::Le => o != Greater,
            RelOp::Lt => o == Less,
            RelOp::Ge => o != Less,
            RelOp::Gt => o == Greater,
            RelOp::Eq => o == Equal,
            RelOp::Ne => o != Equal,
        };
        if holds {
            (Truth::True, note)
        } else {
            (Truth::False, note)
        }
    }

    /// The relations of a binder's body, evaluated at outcome `z` (for the witness).
    fn sides_at(&self, node: &Ir, y: Y<'_>) -> Sides {
        match &node.kind {
            IrKind::Not(a) => self.sides_at(a, y),
            IrKind::Logic(_, a, b) => {
                let mut out = self.sides_at(a, y);
                out.extend(self.sides_at(b, y));
                out
            }
            IrKind::Rel(_, a, b) => match (self.num(a, y), self.num(b, y)) {
                (Ok(l), Ok(r)) => vec![(self.label(a), l, self.label(b), r)],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// A boolean node, decided (exactly, or by enclosures at this rung).
    pub fn truth(&self, node: &Ir, y: Y<'_>) -> Result<Truth> {
        use Truth::*;
        match &node.kind {
            IrKind::Not(a) => Ok(match self.truth(a, y)? {
                True => False,
                False => True,
                Unknown => Unknown,
            }),
            IrKind::Logic(op, a, b) => {
                let l = self.truth(a, y)?;
                // Short-circuit where the left side settles it.
                match (op, l) {
                    (LogicOp::And, False) => return Ok(False),
                    (LogicOp::Or, True) | (LogicOp::Implies, False) => return Ok(True),
                    _ => {}
                }
                let r = self.truth(b, y)?;
                Ok(match (op, l, r) {
                    (LogicOp::And, True, x)
                    | (LogicOp::Or, False, x)
                    | (LogicOp::Implies, True, x) => x,
                    (LogicOp::And, Unknown, False) => False,
                    (LogicOp::Or, Unknown, True) | (LogicOp::Implies, Unknown, True) => True,
                    _ => Unknown,
                })
            }
            IrKind::Rel(op, a, b) => {
                let (l, r) = (self.num(a, y)?, self.num(b, y)?);
                let (t, note) = self.relation(*op, &l, &r);
                if y.is_none() {
                    let (lt, rt) = (self.label(a), self.label(b));
                    if let Some(note) = note {
                        self.notes
                            .borrow_mut()
                            .push((format!("{lt} - ({rt})"), note));
                    }
                    self.sides.borrow_mut().push((lt, l, rt, r));
                }
                Ok(t)
            }
            IrKind::Call(f @ (Builtin::ForallY | Builtin::ExistsY), args) => {
                let forall = *f == Builtin::ForallY;
                let var = node.var.as_deref().unwrap_or("y").to_string();
                let mut unknown = None;
                // The witness: this binder's outcome, then an inner binder's witness found
                // at it (nested quantifiers), else the body's relations there.
                let record = |z: usize, what: &str, inner: Option<Witness>| {
                    let here = (var.clone(), self.representative(z));
                    *self.witness.borrow_mut() = Some(match inner {
                        Some((mut at, what, sides)) => {
                            at.insert(0, here);
                            (at, what, sides)
                        }
                        None => (
                            vec![here],
                            what.into(),
                            self.sides_at(&args[0], Some(&Bound::at(z, y))),
                        ),
                    });
                };
                for z in 0..self.law.len() {
                    if self.per().p[z].cmp0().is_eq() {
                        continue; // forall_y / exists_y range over the support of p
                    }
                    let t = self.truth(&args[0], Some(&Bound::at(z, y)))?;
                    let inner = self.witness.borrow_mut().take();
                    match t {
                        False if forall => {
                            record(z, "fails here", inner);
                            return Ok(False);
                        }
                        True if !forall => {
                            record(z, "holds here", inner);
                            return Ok(True);
                        }
                        Unknown => {
                            unknown.get_or_insert(z);
                        }
                        _ => {}
                    }
                }
                if let Some(z) = unknown {
                    record(z, "undecided here", None);
                    return Ok(Unknown);
                }
                Ok(if forall { True } else { False })
            }
            IrKind::Number(_)
            | IrKind::Var(_)
            | IrKind::Call(..)
            | IrKind::At(..)
            | IrKind::Neg(_)
            | IrKind::Arith(..) => {
                Err(self.fail(node, "not a statement (the type checker let it through)"))
            }
        }
    }

    /// Outcomes in the support of p (types count once).
    pub fn support_outcomes(&self) -> usize {
        self.per().p.iter().filter(|x| x.cmp0().is_gt()).count()
    }

    /// Whether outcomes are types.
    pub fn by_type(&self) -> bool {
        self.law.route() == Route::Type
    }
}

use crate::enclosure::fast::NonNegF64;
use crate::enclosure::Interval;

#[cfg(test)]
mod tests {
    use super::*;

    /// The three routes of soft best-of-N agree: the exact sparse polynomial, the f64
    /// composition walk and the MPFR one each contain (or are) the value of a literal sum
    /// over every N-tuple of levels, computed here from the definition.
    #[test]
    fn soft_best_of_n_routes_agree_with_the_definition() {
        let q = |t: &str| crate::exact::parse_rational(t).unwrap();
        for (a, u, n) in [
            (vec!["1/5", "3/10", "1/2"], vec!["1/6", "1/3", "1"], 3u64),
            (vec!["1/2", "1/4", "1/4"], vec!["1/9", "4/9", "1"], 4),
            (vec!["1/3", "2/3"], vec!["2/7", "1"], 5),
            (
                vec!["1/10", "2/10", "3/10", "4/10"],
                vec!["1/25", "1/5", "3/5", "1"],
                3,
            ),
        ] {
            let a: Vec<Rational> = a.into_iter().map(q).collect();
            let u: Vec<Rational> = u.into_iter().map(q).collect();
            // The definition: every tuple of levels, draw i kept with chance u_i / sum u.
            let levels = a.len();
            let mut want = vec![Rational::new(); levels];
            let mut tuple = vec![0usize; n as usize];
            'tuples: loop {
                let weight: Rational = tuple.iter().map(|&l| a[l].clone()).product();
                let total: Rational = tuple.iter().map(|&l| u[l].clone()).sum();
                for &l in &tuple {
                    want[l] += Rational::from(&weight * &u[l]) / &total;
                }
                for pos in (0..tuple.len()).rev() {
                    tuple[pos] += 1;
                    if tuple[pos] < levels {
                        continue 'tuples;
                    }
                    tuple[pos] = 0;
                }
                break;
            }
            let exact = soft_bon_by_polynomial(n, &a, &u, MAX_EXACT_SOFTBON_TERMS).unwrap();
            assert_eq!(exact, want);
            let nums: Vec<Num> = u.iter().cloned().map(Num::Exact).collect();
            let fast = soft_bon_fast(n, &a, &nums, 64).unwrap();
            let mpfr = soft_bon_enclosed(n, &a, &nums, 128).unwrap();
            for l in 0..levels {
                assert!(fast[l].contains(&want[l]), "f64 route misses {}", want[l]);
                assert!(mpfr[l].contains(&want[l]), "MPFR route misses {}", want[l]);
                assert!(mpfr[l].width() < 1e-30, "MPFR route too wide");
                assert!(fast[l].width() < 1e-12, "f64 route too wide");
            }
        }
        // Too many distinct totals: refused, so the caller encloses.
        let a = vec![q("1/2"), q("1/2")];
        let u = vec![q("1/1000003"), q("1")];
        assert!(soft_bon_by_polynomial(3000, &a, &u, 100).is_none());
    }
}
