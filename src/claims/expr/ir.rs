//! The typed IR of the claim language: what the type checker makes of a syntax tree. Names
//! are resolved to [`Builtin`]s, operators are enums, the bound outcome is a variable index;
//! no string is left for an evaluator to interpret. Equal subtrees share a shape id, so an
//! evaluator computes two copies of a subexpression once.

use std::collections::HashMap;
use std::sync::Arc;

use rug::Rational;

use super::builtins::{self, Builtin, Needs, Param, Type, BOUND_OUTCOME};
use super::parse::{ArithOp, BinOp, LogicOp, Node, NodeKind, RelOp};
use crate::error::{InputError, Result};

/// A node of the typed IR, with where it was written and its shape.
#[derive(Debug, Clone)]
pub struct Ir {
    /// What the node is.
    pub kind: IrKind,
    /// Its type.
    pub ty: Type,
    /// Byte offset in its source (for error carets).
    pub at: usize,
    /// Which source `at` points into (0: the statement; i: the i-th helper's body).
    pub src: u16,
    /// Equal subexpressions share a shape id.
    pub shape: u32,
    /// Reads a bound variable outside any binder of its own.
    pub free_y: bool,
    /// How many enclosing binders it reads (0: closed; `Var(i)` needs `i + 1`).
    pub free: u32,
    /// The variable's name, for a variable and for a binder (what the printer shows).
    pub var: Option<Arc<str>>,
    /// Another subtree of the same expression has this shape.
    pub repeated: bool,
}

/// The kinds of IR node.
#[derive(Debug, Clone)]
pub enum IrKind {
    /// An exact number.
    Number(Rational),
    /// A bound variable (an outcome, or an integer of `sum_n`): 0 is the innermost binder's.
    Var(u32),
    /// A builtin with its arguments (none for a constant such as `N` or `p`).
    Call(Builtin, Vec<Ir>),
    /// A distribution at an outcome: `bon(y)`, `tilt(1/2)(y)`.
    At(Box<Ir>, Box<Ir>),
    /// `-x`.
    Neg(Box<Ir>),
    /// `not x`.
    Not(Box<Ir>),
    /// Arithmetic.
    Arith(ArithOp, Box<Ir>, Box<Ir>),
    /// A relation.
    Rel(RelOp, Box<Ir>, Box<Ir>),
    /// A connective.
    Logic(LogicOp, Box<Ir>, Box<Ir>),
}

impl Ir {
    /// The arguments of a call (empty for anything else).
    pub fn args(&self) -> &[Ir] {
        match &self.kind {
            IrKind::Call(_, args) => args,
            _ => &[],
        }
    }

    /// The node as syntax (for the one printer): builtins by their names, `y` for a bound
    /// outcome.
    pub fn to_syntax(&self) -> Node {
        let node = |kind| Node {
            at: self.at,
            src: self.src,
            kind,
        };
        let boxed = |ir: &Ir| Box::new(ir.to_syntax());
        match &self.kind {
            IrKind::Number(x) => node(NodeKind::Number(x.clone())),
            IrKind::Var(_) => node(NodeKind::Name(
                self.var.as_deref().unwrap_or(BOUND_OUTCOME).into(),
            )),
            IrKind::Call(b, args) if args.is_empty() => node(NodeKind::Name(b.name().into())),
            IrKind::Call(b, args) => {
                // A binder prints with its own variable: `sum_z`.
                let name = match (&self.var, b.name().split_once('_')) {
                    (Some(var), Some((prefix, _))) => format!("{prefix}_{var}"),
                    _ => b.name().to_string(),
                };
                node(NodeKind::Apply(
                    Box::new(node(NodeKind::Name(name))),
                    args.iter().map(Ir::to_syntax).collect(),
                ))
            }
            IrKind::At(d, o) => node(NodeKind::Apply(boxed(d), vec![o.to_syntax()])),
            IrKind::Neg(a) => node(NodeKind::Neg(boxed(a))),
            IrKind::Not(a) => node(NodeKind::Not(boxed(a))),
            IrKind::Arith(op, a, b) => {
                node(NodeKind::Binary(BinOp::Arith(*op), boxed(a), boxed(b)))
            }
            IrKind::Rel(op, a, b) => node(NodeKind::Binary(BinOp::Rel(*op), boxed(a), boxed(b))),
            IrKind::Logic(op, a, b) => {
                node(NodeKind::Binary(BinOp::Logic(*op), boxed(a), boxed(b)))
            }
        }
    }

    /// Whether a builtin satisfying `which` occurs anywhere in the tree.
    pub fn uses(&self, which: &dyn Fn(Builtin) -> bool) -> bool {
        let here = matches!(&self.kind, IrKind::Call(b, _) if which(*b));
        here || match &self.kind {
            IrKind::Number(_) | IrKind::Var(_) => false,
            IrKind::Call(_, args) => args.iter().any(|a| a.uses(which)),
            IrKind::Neg(a) | IrKind::Not(a) => a.uses(which),
            IrKind::At(a, b)
            | IrKind::Arith(_, a, b)
            | IrKind::Rel(_, a, b)
            | IrKind::Logic(_, a, b) => a.uses(which) || b.uses(which),
        }
    }

    /// The node as text (the one printer).
    pub fn render(&self) -> String {
        super::print::render(&self.to_syntax())
    }
}

/// The texts an expression's nodes point into: the statement, then its helpers' bodies.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `(helper name or None for the statement, text)`, indexed by a node's `src`.
    pub texts: Vec<(Option<String>, String)>,
}

impl Sources {
    /// Only the statement.
    pub fn statement(text: &str) -> Sources {
        Sources {
            texts: vec![(None, text.to_string())],
        }
    }

    /// `what` at byte `at` of source `src`, with that text and a caret.
    pub fn located(&self, src: u16, at: usize, what: &str) -> InputError {
        match self.texts.get(src as usize) {
            Some((None, text)) => super::parse::located(text, at, what),
            Some((Some(helper), text)) => {
                super::parse::located(text, at, &format!("{what}, in helper '{helper}'"))
            }
            None => InputError::malformed(format!("expression: {what}")),
        }
    }
}

/// What a checked expression reads beyond the case itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reads {
    /// `q` or `tilt`: an alignment distribution.
    pub q: bool,
    /// `phi`: a per-letter KL budget delta.
    pub delta: bool,
    /// `rt`, `bon_true`: a true reward.
    pub true_reward: bool,
    /// `y[i]`, `swap`, `marginal`: positions, so the law per sequence.
    pub sequences: bool,
}

/// The variables in scope, innermost last, with their types.
type Scope = [(Arc<str>, Type)];

/// `; did you mean 'bon'?` for a name near one of the language's, else nothing.
fn did_you_mean(name: &str) -> String {
    builtins::nearest(name)
        .map(|k| format!("; did you mean '{k}'?"))
        .unwrap_or_default()
}

struct Checker<'s> {
    sources: &'s Sources,
    reads: Reads,
}

impl Checker<'_> {
    fn err(&self, node: &Node, what: &str) -> InputError {
        self.sources.located(node.src, node.at, what)
    }

    fn leaf(&self, node: &Node, kind: IrKind, ty: Type) -> Ir {
        Ir {
            kind,
            ty,
            at: node.at,
            src: node.src,
            shape: 0,
            free_y: false,
            free: 0,
            var: None,
            repeated: false,
        }
    }

    /// Checks `node` and requires type `t` of it (`what` names the place in messages).
    fn want(&mut self, node: &Node, t: Type, scope: &Scope, what: &str) -> Result<Ir> {
        let ir = self.check(node, scope)?;
        if ir.ty != t {
            return Err(self.err(
                node,
                &format!("{what} must be {}, not {}", t.describe(), ir.ty.describe()),
            ));
        }
        Ok(ir)
    }

    fn note_needs(&mut self, builtin: Builtin) {
        match builtin.row().needs {
            Needs::Nothing => {}
            Needs::Q => self.reads.q = true,
            Needs::Delta => self.reads.delta = true,
            Needs::TrueReward => self.reads.true_reward = true,
            Needs::Sequences => self.reads.sequences = true,
        }
    }

    fn check(&mut self, node: &Node, scope: &Scope) -> Result<Ir> {
        match &node.kind {
            NodeKind::Number(x) => Ok(self.leaf(node, IrKind::Number(x.clone()), Type::Num)),
            NodeKind::Name(n) if scope.iter().any(|(v, _)| **v == **n) => {
                let at = scope.iter().rposition(|(v, _)| **v == **n).unwrap_or(0);
                let (var, ty) = &scope[at];
                let mut ir = self.leaf(node, IrKind::Var((scope.len() - 1 - at) as u32), *ty);
                ir.var = Some(var.clone());
                Ok(ir)
            }
            NodeKind::Name(n) if n == BOUND_OUTCOME => {
                let names: Vec<&str> = builtins::TABLE
                    .iter()
                    .filter(|r| r.binds())
                    .map(|r| r.name)
                    .collect();
                Err(self.err(
                    node,
                    &format!("'y' is used outside a binder ({})", names.join(", ")),
                ))
            }
            NodeKind::Name(n) => {
                let Some(row) = builtins::rows_named(n).find(|r| r.params.is_empty()) else {
                    if builtins::rows_named(n).next().is_some() {
                        return Err(self.err(
                            node,
                            &format!("'{n}' is a function: give its arguments, {n}(...)"),
                        ));
                    }
                    let near = did_you_mean(n);
                    return Err(self.err(node, &format!("unknown name '{n}'{near}")));
                };
                self.note_needs(row.builtin);
                Ok(self.leaf(node, IrKind::Call(row.builtin, Vec::new()), row.result))
            }
            NodeKind::Neg(a) => {
                let a = self.want(a, Type::Num, scope, "the operand of '-'")?;
                Ok(self.leaf(node, IrKind::Neg(Box::new(a)), Type::Num))
            }
            NodeKind::Not(a) => {
                let a = self.want(a, Type::Bool, scope, "the operand of 'not'")?;
                Ok(self.leaf(node, IrKind::Not(Box::new(a)), Type::Bool))
            }
            NodeKind::Binary(op, a, b) => {
                let operand = match op {
                    BinOp::Logic(_) => Type::Bool,
                    BinOp::Rel(_) | BinOp::Arith(_) => Type::Num,
                };
                let sym = op.symbol();
                let l = self.want(a, operand, scope, &format!("the left side of '{sym}'"))?;
                let r = self.want(b, operand, scope, &format!("the right side of '{sym}'"))?;
                let (l, r) = (Box::new(l), Box::new(r));
                Ok(match op {
                    BinOp::Arith(o) => self.leaf(node, IrKind::Arith(*o, l, r), Type::Num),
                    BinOp::Rel(o) => self.leaf(node, IrKind::Rel(*o, l, r), Type::Bool),
                    BinOp::Logic(o) => self.leaf(node, IrKind::Logic(*o, l, r), Type::Bool),
                })
            }
            NodeKind::Apply(callee, args) => self.apply(node, callee, args, scope),
        }
    }

    fn apply(&mut self, node: &Node, callee: &Node, args: &[Node], scope: &Scope) -> Result<Ir> {
        if let NodeKind::Name(f) = &callee.kind {
            let rows: Vec<_> = builtins::rows_named(f).collect();
            let with_params: Vec<_> = rows.iter().filter(|r| !r.params.is_empty()).collect();
            let constant = rows.iter().find(|r| r.params.is_empty());
            // A distribution name applied to one argument: `bon(y)` is the law at y, `bon(n)`
            // the law at another n; the argument's type decides.
            if let (Some(c), [arg]) = (constant.filter(|c| c.result == Type::Dist), args) {
                let a = self.check(arg, scope)?;
                if a.ty == Type::Outcome {
                    self.note_needs(c.builtin);
                    let d = self.leaf(callee, IrKind::Call(c.builtin, Vec::new()), Type::Dist);
                    return Ok(self.leaf(node, IrKind::At(Box::new(d), Box::new(a)), Type::Num));
                }
                if let Some(r) = with_params.iter().find(|r| r.params == [Param::Of(a.ty)]) {
                    self.note_needs(r.builtin);
                    return Ok(self.leaf(node, IrKind::Call(r.builtin, vec![a]), r.result));
                }
                let accepted: Vec<&str> = std::iter::once("the outcome y")
                    .chain(with_params.iter().filter_map(|r| match r.params {
                        [Param::Of(t)] => Some(t.describe()),
                        _ => None,
                    }))
                    .collect();
                return Err(self.err(
                    arg,
                    &format!(
                        "the argument of {f} must be {}, not {}",
                        accepted.join(" or "),
                        a.ty.describe()
                    ),
                ));
            }
            if !with_params.is_empty() {
                let Some(row) = with_params.iter().find(|r| r.params.len() == args.len()) else {
                    let arities: Vec<String> = with_params
                        .iter()
                        .map(|r| r.params.len().to_string())
                        .collect();
                    return Err(self.err(
                        node,
                        &format!(
                            "{f}: expected {} argument(s), got {}",
                            arities.join(" or "),
                            args.len()
                        ),
                    ));
                };
                self.note_needs(row.builtin);
                let var = self.binder_var(callee, f, scope, row)?;
                let mut checked = Vec::with_capacity(args.len());
                for (i, (arg, param)) in args.iter().zip(row.params).enumerate() {
                    let place = if args.len() == 1 {
                        format!("the argument of {f}")
                    } else {
                        format!("argument {} of {f} ({})", i + 1, row.param_names[i])
                    };
                    let inner = |ty: Type| {
                        let mut s = scope.to_vec();
                        s.push((var.clone().unwrap_or_else(|| BOUND_OUTCOME.into()), ty));
                        s
                    };
                    checked.push(match param {
                        Param::Of(t) => self.want(arg, *t, scope, &place)?,
                        Param::Body(t) => {
                            self.want(arg, *t, &inner(Type::Outcome), &format!("the body of {f}"))?
                        }
                        Param::IntBody(t) => {
                            self.want(arg, *t, &inner(Type::Num), &format!("the body of {f}"))?
                        }
                    });
                }
                let mut ir = self.leaf(node, IrKind::Call(row.builtin, checked), row.result);
                ir.var = var;
                return Ok(ir);
            }
            if rows.is_empty() && f != BOUND_OUTCOME {
                let near = did_you_mean(f);
                return Err(self.err(callee, &format!("unknown function '{f}'{near}")));
            }
        }
        // A distribution applied to an outcome.
        let d = self.check(callee, scope)?;
        if d.ty != Type::Dist {
            return Err(self.err(
                callee,
                &format!("{} cannot be applied to arguments", d.ty.describe()),
            ));
        }
        let [arg] = args else {
            return Err(self.err(
                node,
                &format!(
                    "a distribution takes one outcome, got {} argument(s)",
                    args.len()
                ),
            ));
        };
        let o = self.want(arg, Type::Outcome, scope, "the argument of a distribution")?;
        Ok(self.leaf(node, IrKind::At(Box::new(d), Box::new(o)), Type::Num))
    }
}

impl Checker<'_> {
    /// The variable a binder call `f(...)` binds (none for other builtins): not a name of
    /// the language, not one an enclosing binder already binds.
    fn binder_var(
        &self,
        callee: &Node,
        f: &str,
        scope: &Scope,
        row: &builtins::Row,
    ) -> Result<Option<Arc<str>>> {
        if !row.binds() {
            return Ok(None);
        }
        let var = builtins::bound_var(f).unwrap_or(BOUND_OUTCOME);
        if var != BOUND_OUTCOME && builtins::rows_named(var).next().is_some() {
            return Err(self.err(
                callee,
                &format!("{f}: '{var}' is a name of the language and cannot be a bound variable; choose another"),
            ));
        }
        if scope.iter().any(|(v, _)| **v == *var) {
            let prefix = f.split_once('_').map_or(f, |(p, _)| p);
            return Err(self.err(
                callee,
                &format!("{f}: '{var}' is already bound by an enclosing binder; give the inner one its own name ({prefix}_z, {prefix}_w, ...)"),
            ));
        }
        Ok(Some(var.into()))
    }
}

/// Type-checks a syntax tree into the IR; its shapes are numbered.
pub fn check(node: &Node, sources: &Sources) -> Result<(Ir, Reads)> {
    let mut checker = Checker {
        sources,
        reads: Reads::default(),
    };
    let mut ir = checker.check(node, &[])?;
    let mut uses = Vec::new();
    number_shapes(&mut ir, &mut HashMap::new(), &mut uses);
    mark_repeated(&mut ir, &uses);
    Ok((ir, checker.reads))
}

#[derive(PartialEq, Eq, Hash)]
enum Shape {
    Number(Rational),
    Var(u32),
    Call(Builtin, Vec<u32>),
    At(u32, u32),
    Neg(u32),
    Not(u32),
    Arith(ArithOp, u32, u32),
    Rel(RelOp, u32, u32),
    Logic(LogicOp, u32, u32),
}

fn children_mut(ir: &mut Ir) -> Vec<&mut Ir> {
    match &mut ir.kind {
        IrKind::Number(_) | IrKind::Var(_) => Vec::new(),
        IrKind::Call(_, args) => args.iter_mut().collect(),
        IrKind::Neg(a) | IrKind::Not(a) => vec![a],
        IrKind::At(a, b)
        | IrKind::Arith(_, a, b)
        | IrKind::Rel(_, a, b)
        | IrKind::Logic(_, a, b) => vec![a, b],
    }
}

/// Numbers the shapes of `ir`'s subtrees bottom-up (`ids` interns them; `uses` counts how
/// often each id occurs) and marks which read the bound outcome.
fn number_shapes(ir: &mut Ir, ids: &mut HashMap<Shape, u32>, uses: &mut Vec<u32>) {
    for c in children_mut(ir) {
        number_shapes(c, ids, uses);
    }
    let (shape, free) = match &ir.kind {
        IrKind::Number(x) => (Shape::Number(x.clone()), 0),
        IrKind::Var(i) => (Shape::Var(*i), i + 1),
        IrKind::Call(b, args) => {
            // A body's innermost variable is its binder's own; E_y's distribution is read
            // outside it.
            let free = args
                .iter()
                .zip(b.row().params)
                .map(|(a, p)| {
                    if p.binds() {
                        a.free.saturating_sub(1)
                    } else {
                        a.free
                    }
                })
                .max()
                .unwrap_or(0);
            (
                Shape::Call(*b, args.iter().map(|a| a.shape).collect()),
                free,
            )
        }
        IrKind::At(a, b) => (Shape::At(a.shape, b.shape), a.free.max(b.free)),
        IrKind::Neg(a) => (Shape::Neg(a.shape), a.free),
        IrKind::Not(a) => (Shape::Not(a.shape), a.free),
        IrKind::Arith(op, a, b) => (Shape::Arith(*op, a.shape, b.shape), a.free.max(b.free)),
        IrKind::Rel(op, a, b) => (Shape::Rel(*op, a.shape, b.shape), a.free.max(b.free)),
        IrKind::Logic(op, a, b) => (Shape::Logic(*op, a.shape, b.shape), a.free.max(b.free)),
    };
    let next = ids.len() as u32;
    ir.shape = *ids.entry(shape).or_insert(next);
    ir.free = free;
    ir.free_y = free > 0;
    if uses.len() <= ir.shape as usize {
        uses.push(0);
    }
    uses[ir.shape as usize] += 1;
}

fn mark_repeated(ir: &mut Ir, uses: &[u32]) {
    ir.repeated = uses[ir.shape as usize] > 1;
    for c in children_mut(ir) {
        mark_repeated(c, uses);
    }
}
