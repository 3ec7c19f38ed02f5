//! The catalogue's statements evaluated as a float user would: the same expression tree the
//! exact side decides (claims::restated), computed in one float arithmetic, round to nearest,
//! over the float pipeline's p, pi and rewards. Sums run left to right in sequence order;
//! ties are float equality; `==` is closeness within `2^-(P/2)` (an identity checked in
//! floats); NaN makes a relation false. So a claim's float twin cannot drift from it.

use rug::Rational;

use crate::claims::expr::builtins::Builtin;
use crate::claims::expr::ir::{Ir, IrKind};
use crate::claims::expr::parse::{ArithOp, BinOp, LogicOp, RelOp};
use crate::float::arith::{FloatOps, FloatOut};
use crate::float::FloatValue;

/// What one float run gives the statements, per sequence (in the pipeline's order).
pub struct FloatInputs<'a, V> {
    /// The number of draws N.
    pub n: u64,
    /// The sequence length m.
    pub m: u32,
    /// The alphabet size K.
    pub k: usize,
    /// `p` of each sequence.
    pub p: &'a [V],
    /// `pi_N` of each sequence.
    pub pi: &'a [V],
    /// The reward of each sequence.
    pub reward: &'a [V],
    /// `q` per letter, normalised (when given).
    pub q: Option<Vec<V>>,
    /// The sequences.
    pub sequences: &'a [Vec<u32>],
}

/// A float value back from its exact record (finite floats are exact dyadic rationals).
pub fn value_of<O: FloatOps>(ops: &O, out: &FloatOut) -> O::V {
    match &out.value {
        FloatValue::Finite(x) => ops.of(x),
        FloatValue::PosInf => ops.div(&ops.of_u64(1), &ops.zero()),
        FloatValue::NegInf => ops.div(&ops.of(&Rational::from(-1)), &ops.zero()),
        FloatValue::NaN => ops.div(&ops.zero(), &ops.zero()),
    }
}

/// The statements' float evaluation over one run.
pub struct Eval<'a, 'o, O: FloatOps> {
    ops: &'o O,
    input: &'a FloatInputs<'a, O::V>,
    /// Float reward level of each sequence (float-equal rewards share one), and the levels'
    /// p masses summed in sequence order.
    level: Vec<usize>,
    level_mass: Vec<O::V>,
    /// Top-level relations, as printed.
    shown: Vec<String>,
}

impl<'a, 'o, O: FloatOps> Eval<'a, 'o, O> {
    /// An evaluator over one float run (its reward levels computed once).
    pub fn new(ops: &'o O, input: &'a FloatInputs<'a, O::V>) -> Self {
        let (level, level_mass) = levels(ops, input);
        Eval {
            ops,
            input,
            level,
            level_mass,
            shown: Vec::new(),
        }
    }

    /// Evaluates a statement: whether it holds in floats and its top relations as printed;
    /// `None` when it uses what the float pipeline does not compute (`phi`, `bon(n)` for
    /// n != N, `tilt` or `q` without q).
    pub fn decide(&mut self, root: &Ir) -> Option<(bool, String)> {
        self.shown.clear();
        let holds = self.truth(root, None, true)?;
        Some((holds, self.shown.join("; ")))
    }

    /// Evaluates a numeric expression; `None` as for [`Eval::decide`].
    pub fn number(&mut self, root: &Ir) -> Option<O::V> {
        self.num(root, None)
    }
}

type Vals<V> = Vec<V>;

/// Float reward levels (float-equal rewards share one, NaN last) and their p masses summed
/// in sequence order.
fn levels<O: FloatOps>(ops: &O, input: &FloatInputs<'_, O::V>) -> (Vec<usize>, Vec<O::V>) {
    let count = input.reward.len();
    let mut order: Vec<usize> = (0..count).collect();
    let cmp = |a: &usize, b: &usize| {
        ops.cmp(&input.reward[*a], &input.reward[*b])
            .unwrap_or_else(|| {
                ops.is_nan(&input.reward[*a])
                    .cmp(&ops.is_nan(&input.reward[*b]))
            })
    };
    order.sort_by(cmp);
    let mut level = vec![0; count];
    let mut level_members: Vec<Vec<usize>> = Vec::new();
    for &o in &order {
        match level_members.last_mut() {
            Some(g) if ops.eq(&input.reward[g[0]], &input.reward[o]) => g.push(o),
            _ => level_members.push(vec![o]),
        }
        level[o] = level_members.len() - 1;
    }
    let level_mass: Vec<O::V> = level_members
        .iter()
        .map(|members| {
            let mut sorted = members.clone();
            sorted.sort_unstable();
            sorted
                .iter()
                .fold(ops.zero(), |acc, &o| ops.add(&acc, &input.p[o]))
        })
        .collect();
    (level, level_mass)
}

impl<O: FloatOps> Eval<'_, '_, O> {
    fn count(&self) -> usize {
        self.input.p.len()
    }

    fn sum(&self, values: impl Iterator<Item = O::V>) -> O::V {
        values.fold(self.ops.zero(), |acc, v| self.ops.add(&acc, &v))
    }

    fn dist(&mut self, node: &Ir, y: Option<usize>) -> Option<Vals<O::V>> {
        let ops = self.ops;
        let IrKind::Call(f, args) = &node.kind else {
            return None;
        };
        match f {
            Builtin::P => Some(self.input.p.to_vec()),
            Builtin::Bon => Some(self.input.pi.to_vec()),
            Builtin::Q => {
                let q = self.input.q.clone()?;
                Some(self.per_sequence(&q, |a, b| ops.mul(a, b)))
            }
            Builtin::BonOf => {
                let n = self.num(&args[0], y)?;
                (ops.eq(&n, &ops.of_u64(self.input.n))).then(|| self.input.pi.to_vec())
            }
            Builtin::Tilt => {
                let a = self.num(&args[0], y)?;
                let q = self.input.q.clone()?;
                let qa: Vec<O::V> = q.iter().map(|x| ops.pow(x, &a)).collect();
                let per = self.per_sequence(&qa, |a, b| ops.mul(a, b));
                let weights: Vec<O::V> = (0..self.count())
                    .map(|o| ops.mul(&self.input.p[o], &per[o]))
                    .collect();
                let total = self.sum(weights.iter().cloned());
                Some(weights.iter().map(|w| ops.div(w, &total)).collect())
            }
            // The float pipeline computes no KL-constrained optimum.
            Builtin::Phi => None,
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
            // Not float pipelines of the engine: the other selection rules, the true reward,
            // the budget and binders over integers are decided exactly only.
            | Builtin::Won
            | Builtin::WonOf
            | Builtin::BonOfDist
            | Builtin::BonOfDistN
            | Builtin::SoftBon
            | Builtin::SoftBonN
            | Builtin::DistY
            | Builtin::Calibrated
            | Builtin::Budget
            | Builtin::Alpha
            | Builtin::SumN
            | Builtin::RewardTrue
            | Builtin::CdfTrue
            | Builtin::CdfBelowTrue
            | Builtin::CalibratedTrue
            | Builtin::BonTrue
            | Builtin::BonTrueOf
            | Builtin::WinrateTrue
            | Builtin::Choose
            | Builtin::Letter
            | Builtin::Swap
            | Builtin::Marginal
            | Builtin::ProdN => None,
        }
    }

    /// Per-letter values folded left to right along each sequence.
    fn per_sequence(&self, letters: &[O::V], f: impl Fn(&O::V, &O::V) -> O::V) -> Vals<O::V> {
        self.input
            .sequences
            .iter()
            .map(|s| {
                let mut acc = letters[s[0] as usize].clone();
                for &l in &s[1..] {
                    acc = f(&acc, &letters[l as usize]);
                }
                acc
            })
            .collect()
    }

    fn outcome(node: &Ir, y: Option<usize>) -> Option<usize> {
        match &node.kind {
            IrKind::Var(0) => y,
            _ => None,
        }
    }

    fn num(&mut self, node: &Ir, y: Option<usize>) -> Option<O::V> {
        let ops = self.ops;
        match &node.kind {
            IrKind::Number(x) => Some(ops.of(x)),
            IrKind::Neg(a) => {
                let v = self.num(a, y)?;
                Some(ops.sub(&ops.zero(), &v))
            }
            IrKind::Arith(op, a, b) => {
                let (l, r) = (self.num(a, y)?, self.num(b, y)?);
                Some(match op {
                    ArithOp::Add => ops.add(&l, &r),
                    ArithOp::Sub => ops.sub(&l, &r),
                    ArithOp::Mul => ops.mul(&l, &r),
                    ArithOp::Div => ops.div(&l, &r),
                    // An integer power as a float user writes it (repeated multiplication).
                    ArithOp::Pow => match &b.kind {
                        IrKind::Number(e) if e.denom() == &1u32 && e.cmp0().is_ge() => {
                            ops.pow_n(&l, e.numer().to_u64()?)
                        }
                        IrKind::Call(Builtin::N, _) => ops.pow_n(&l, self.input.n),
                        _ => ops.pow(&l, &r),
                    },
                })
            }
            IrKind::At(d, o) => {
                let at = Self::outcome(o, y)?;
                // p(y) and bon(y) read one entry: building the whole law for each y of a
                // forall_y would be quadratic in the number of outcomes.
                match &d.kind {
                    IrKind::Call(Builtin::P, _) => return Some(self.input.p[at].clone()),
                    IrKind::Call(Builtin::Bon, _) => return Some(self.input.pi[at].clone()),
                    _ => {}
                }
                let d = self.dist(d, y)?;
                Some(d[at].clone())
            }
            IrKind::Call(f, args) => self.call(*f, args, y),
            IrKind::Var(_) | IrKind::Not(_) | IrKind::Rel(..) | IrKind::Logic(..) => None,
        }
    }

    fn call(&mut self, f: Builtin, args: &[Ir], y: Option<usize>) -> Option<O::V> {
        let ops = self.ops;
        let one = ops.of_u64(1);
        let half = ops.of(&Rational::from((1, 2)));
        Some(match f {
            Builtin::N => ops.of_u64(self.input.n),
            Builtin::M => ops.of_u64(self.input.m as u64),
            Builtin::K => ops.of_u64(self.input.k as u64),
            Builtin::EpsInf => self
                .level_mass
                .iter()
                .rev()
                .find(|mass| !ops.le(mass, &ops.zero()))
                .cloned()?,
            Builtin::Log => ops.ln(&self.num(&args[0], y)?),
            Builtin::Exp => ops.exp(&self.num(&args[0], y)?),
            Builtin::Sqrt => ops.pow(&self.num(&args[0], y)?, &half),
            Builtin::Abs => ops.abs(&self.num(&args[0], y)?),
            Builtin::Min | Builtin::Max => {
                let (a, b) = (self.num(&args[0], y)?, self.num(&args[1], y)?);
                let a_larger = !ops.le(&a, &b);
                if a_larger == (f == Builtin::Max) {
                    a
                } else {
                    b
                }
            }
            Builtin::If => {
                if self.truth(&args[0], y, false)? {
                    self.num(&args[1], y)?
                } else {
                    self.num(&args[2], y)?
                }
            }
            Builtin::Reward => self.input.reward[Self::outcome(&args[0], y)?].clone(),
            Builtin::Cdf | Builtin::CdfBelow => {
                let lvl = self.level[Self::outcome(&args[0], y)?];
                let upto = if f == Builtin::Cdf { lvl + 1 } else { lvl };
                self.sum(self.level_mass[..upto].iter().cloned())
            }
            Builtin::SumY | Builtin::MaxY | Builtin::MinY => {
                let mut values = Vec::with_capacity(self.count());
                for z in 0..self.count() {
                    values.push(self.num(&args[0], Some(z))?);
                }
                match f {
                    Builtin::SumY => self.sum(values.into_iter()),
                    _ => values.into_iter().reduce(|a, b| {
                        if ops.le(&a, &b) == (f == Builtin::MaxY) {
                            b
                        } else {
                            a
                        }
                    })?,
                }
            }
            Builtin::ExpectY => {
                let d = self.dist(&args[0], y)?;
                let mut terms = Vec::with_capacity(self.count());
                for (z, w) in d.iter().enumerate() {
                    if ops.eq(w, &ops.zero()) {
                        continue;
                    }
                    terms.push(ops.mul(w, &self.num(&args[1], Some(z))?));
                }
                self.sum(terms.into_iter())
            }
            Builtin::Kl
            | Builtin::CrossEntropy
            | Builtin::Entropy
            | Builtin::Chi2
            | Builtin::Tv => {
                let a = self.dist(&args[0], y)?;
                let b = match f {
                    Builtin::Entropy => a.clone(),
                    _ => self.dist(&args[1], y)?,
                };
                let terms = a.iter().zip(&b).map(|(x, z)| match f {
                    Builtin::Kl => rel_entr(ops, x, z),
                    Builtin::CrossEntropy | Builtin::Entropy if ops.eq(x, &ops.zero()) => {
                        ops.zero()
                    }
                    Builtin::CrossEntropy | Builtin::Entropy => ops.mul(x, &ops.ln(z)),
                    Builtin::Chi2 => ops.div(&ops.mul(x, x), z),
                    _ => ops.abs(&ops.sub(x, z)),
                });
                let s = self.sum(terms);
                match f {
                    Builtin::Kl => s,
                    Builtin::CrossEntropy | Builtin::Entropy => ops.sub(&ops.zero(), &s),
                    Builtin::Chi2 => ops.sub(&s, &one),
                    _ => ops.mul(&s, &half),
                }
            }
            Builtin::Renyi => {
                let order = self.num(&args[0], y)?;
                let (a, b) = (self.dist(&args[1], y)?, self.dist(&args[2], y)?);
                let complement = ops.sub(&one, &order);
                let s = self.sum(a.iter().zip(&b).map(|(x, z)| {
                    if ops.eq(x, &ops.zero()) {
                        ops.zero()
                    } else {
                        ops.mul(&ops.pow(x, &order), &ops.pow(z, &complement))
                    }
                }));
                ops.div(&ops.ln(&s), &ops.sub(&order, &one))
            }
            Builtin::Winrate | Builtin::WinrateStrict => {
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                // B's mass per float reward level, running sums below each level.
                let mut mass = vec![ops.zero(); self.level_mass.len()];
                for (o, w) in b.iter().enumerate() {
                    mass[self.level[o]] = ops.add(&mass[self.level[o]], w);
                }
                let mut beats = Vec::with_capacity(mass.len());
                let mut below = ops.zero();
                for m in &mass {
                    beats.push(if f == Builtin::Winrate {
                        ops.add(&below, &ops.mul(&half, m))
                    } else {
                        below.clone()
                    });
                    below = ops.add(&below, m);
                }
                self.sum(
                    a.iter()
                        .enumerate()
                        .map(|(o, x)| ops.mul(x, &beats[self.level[o]])),
                )
            }
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
            | Builtin::Calibrated
            | Builtin::Budget
            | Builtin::Alpha
            | Builtin::SumN
            | Builtin::RewardTrue
            | Builtin::CdfTrue
            | Builtin::CdfBelowTrue
            | Builtin::CalibratedTrue
            | Builtin::BonTrue
            | Builtin::BonTrueOf
            | Builtin::WinrateTrue
            | Builtin::Choose
            | Builtin::Letter
            | Builtin::Swap
            | Builtin::Marginal
            | Builtin::ProdN => return None,
        })
    }

    fn truth(&mut self, node: &Ir, y: Option<usize>, top: bool) -> Option<bool> {
        let ops = self.ops;
        match &node.kind {
            IrKind::Not(a) => Some(!self.truth(a, y, top)?),
            IrKind::Logic(op, a, b) => {
                let l = self.truth(a, y, top)?;
                match (op, l) {
                    (LogicOp::And, false) => return Some(false),
                    (LogicOp::Or, true) | (LogicOp::Implies, false) => return Some(true),
                    _ => {}
                }
                self.truth(b, y, top)
            }
            IrKind::Rel(op, a, b) => {
                let (l, r) = (self.num(a, y)?, self.num(b, y)?);
                let holds = match op {
                    RelOp::Le => ops.le(&l, &r),
                    RelOp::Lt => ops.cmp(&l, &r) == Some(std::cmp::Ordering::Less),
                    RelOp::Ge => ops.le(&r, &l),
                    RelOp::Gt => ops.cmp(&l, &r) == Some(std::cmp::Ordering::Greater),
                    RelOp::Eq => ops.is_close(&l, &r),
                    RelOp::Ne => !ops.is_close(&l, &r),
                };
                if top {
                    let how = match op {
                        RelOp::Eq => "is close to",
                        other => BinOp::Rel(*other).symbol(),
                    };
                    self.shown.push(format!(
                        "{} = {} {how} {} = {}?",
                        a.render(),
                        ops.out(&l).text,
                        b.render(),
                        ops.out(&r).text
                    ));
                }
                Some(holds)
            }
            IrKind::Call(f @ (Builtin::ForallY | Builtin::ExistsY), args) => {
                let forall = *f == Builtin::ForallY;
                for z in 0..self.count() {
                    if ops.le(&self.input.p[z], &ops.zero()) {
                        continue;
                    }
                    let t = self.truth(&args[0], Some(z), false)?;
                    if t != forall {
                        if top {
                            self.shown.push(format!(
                                "{} at y = {:?}",
                                if forall { "fails" } else { "holds" },
                                self.input.sequences[z]
                            ));
                        }
                        return Some(t);
                    }
                }
                Some(forall)
            }
            IrKind::Number(_)
            | IrKind::Var(_)
            | IrKind::Call(..)
            | IrKind::At(..)
            | IrKind::Neg(_)
            | IrKind::Arith(..) => None,
        }
    }
}

/// `scipy.special.rel_entr`: `x ln(x/y)` for `x, y > 0`, `0` for `x = 0`, NaN propagates.
pub fn rel_entr<O: FloatOps>(ops: &O, x: &O::V, y: &O::V) -> O::V {
    if ops.is_nan(x) || ops.is_nan(y) {
        return ops.add(x, y);
    }
    if ops.eq(x, &ops.zero()) {
        return ops.zero();
    }
    ops.mul(x, &ops.ln(&ops.div(x, y)))
}
