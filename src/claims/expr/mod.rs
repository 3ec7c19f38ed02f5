//! Claims in the user's own words: an expression language over the case, decided like the
//! catalogue (exact where no logarithm is involved, rigorous enclosures otherwise, the
//! precision doubled to the cap, `undecided` with both sides at the cap). See
//! docs/claim-language.md for the grammar ([`parse`]) and the vocabulary.
//!
//! Outcomes are the K^m sequences (lexicographic order); distributions are vectors over them.

pub mod parse;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::RwLock;

use rug::Rational;

use crate::claims::{Claim, Context, Evidence, Hypothesis, Method, Verdict};
use crate::enclosure::Interval;
use crate::error::{InputError, Result};
use crate::law::{ExactLaw, LawTable, Route};
use crate::model::Reward;
use parse::{located, Node, NodeKind};

/// Most outcomes an expression is evaluated over.
pub const MAX_OUTCOMES: u64 = 1 << 12;

/// A number: exact, or enclosed at the current precision.
#[derive(Debug, Clone)]
pub enum Num {
    Exact(Rational),
    Enc(Interval),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Num,
    Dist,
    Bool,
    Outcome,
}

/// Three-valued truth: an undecided part leaves the whole undecided only when it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

const NUMBERS: &[&str] = &["N", "m", "K", "eps_inf"];
const DISTS: &[&str] = &["p", "q", "bon"];
const FUNCTIONS: &[&str] = &[
    "log",
    "exp",
    "sqrt",
    "abs",
    "min",
    "max",
    "r",
    "F",
    "F_below",
    "sum_y",
    "max_y",
    "min_y",
    "E_y",
    "forall_y",
    "exists_y",
    "kl",
    "chi2",
    "renyi",
    "tv",
    "entropy",
    "cross_entropy",
    "winrate",
    "winrate_strict",
    "tilt",
    "bon",
];

fn nearest(name: &str) -> String {
    NUMBERS
        .iter()
        .chain(DISTS)
        .chain(FUNCTIONS)
        .chain(&["y"])
        .map(|k| (crate::claims::edit_distance(name, k), *k))
        .min()
        .filter(|(d, _)| *d <= 2)
        .map(|(_, k)| format!("; did you mean '{k}'?"))
        .unwrap_or_default()
}

/// A parsed and type-checked expression, with what it needs of the case.
#[derive(Debug)]
pub struct Expression {
    pub text: String,
    root: Node,
    /// Uses `q` or `tilt` (needs q, or a log reward).
    pub needs_q: bool,
    /// Uses `phi` (needs delta).
    pub needs_delta: bool,
}

/// What an expression reads beyond the case itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Needs {
    /// `q` or `tilt`: an alignment distribution.
    q: bool,
    /// `phi`: a per-letter KL budget delta.
    delta: bool,
}

fn check(text: &str, node: &Node, in_binder: bool, needs: &mut Needs) -> Result<Type> {
    let err = |what: String| located(text, node.at, &what);
    let want = |n: &Node, t: Type, in_b: bool, q: &mut Needs, what: &str| -> Result<()> {
        let got = check(text, n, in_b, q)?;
        if got != t {
            return Err(located(
                text,
                n.at,
                &format!("{what} must be {}, not {}", name(t), name(got)),
            ));
        }
        Ok(())
    };
    fn name(t: Type) -> &'static str {
        match t {
            Type::Num => "a number",
            Type::Dist => "a distribution",
            Type::Bool => "a statement (a relation)",
            Type::Outcome => "an outcome",
        }
    }
    match &node.kind {
        NodeKind::Number(_) => Ok(Type::Num),
        NodeKind::Name(n) => match n.as_str() {
            "y" if in_binder => Ok(Type::Outcome),
            "y" => Err(err(
                "'y' is used outside a binder (sum_y, max_y, min_y, E_y, forall_y, exists_y)"
                    .into(),
            )),
            n if NUMBERS.contains(&n) => Ok(Type::Num),
            "p" | "bon" => Ok(Type::Dist),
            "q" => {
                needs.q = true;
                Ok(Type::Dist)
            }
            "phi" => {
                needs.delta = true;
                Ok(Type::Dist)
            }
            n if FUNCTIONS.contains(&n) => Err(err(format!(
                "'{n}' is a function: give its arguments, {n}(...)"
            ))),
            n => Err(err(format!("unknown name '{n}'{}", nearest(n)))),
        },
        NodeKind::Neg(a) => {
            want(a, Type::Num, in_binder, needs, "the operand of '-'")?;
            Ok(Type::Num)
        }
        NodeKind::Not(a) => {
            want(a, Type::Bool, in_binder, needs, "the operand of 'not'")?;
            Ok(Type::Bool)
        }
        NodeKind::Binary(op, a, b) => {
            let (operand, result) = match op.as_str() {
                "and" | "or" | "implies" => (Type::Bool, Type::Bool),
                "<=" | "<" | ">=" | ">" | "==" | "!=" => (Type::Num, Type::Bool),
                _ => (Type::Num, Type::Num),
            };
            want(
                a,
                operand,
                in_binder,
                needs,
                &format!("the left side of '{op}'"),
            )?;
            want(
                b,
                operand,
                in_binder,
                needs,
                &format!("the right side of '{op}'"),
            )?;
            Ok(result)
        }
        NodeKind::Apply(callee, args) => {
            let arity = |n: usize| -> Result<()> {
                if args.len() != n {
                    return Err(err(format!("expected {n} argument(s), got {}", args.len())));
                }
                Ok(())
            };
            if let NodeKind::Name(f) = &callee.kind {
                match f.as_str() {
                    "log" | "exp" | "sqrt" | "abs" => {
                        arity(1)?;
                        want(
                            &args[0],
                            Type::Num,
                            in_binder,
                            needs,
                            &format!("the argument of {f}"),
                        )?;
                        return Ok(Type::Num);
                    }
                    "min" | "max" => {
                        arity(2)?;
                        for a in args {
                            want(
                                a,
                                Type::Num,
                                in_binder,
                                needs,
                                &format!("an argument of {f}"),
                            )?;
                        }
                        return Ok(Type::Num);
                    }
                    "r" | "F" | "F_below" => {
                        arity(1)?;
                        want(
                            &args[0],
                            Type::Outcome,
                            in_binder,
                            needs,
                            &format!("the argument of {f}"),
                        )?;
                        return Ok(Type::Num);
                    }
                    "sum_y" | "max_y" | "min_y" => {
                        arity(1)?;
                        want(
                            &args[0],
                            Type::Num,
                            true,
                            needs,
                            &format!("the body of {f}"),
                        )?;
                        return Ok(Type::Num);
                    }
                    "forall_y" | "exists_y" => {
                        arity(1)?;
                        want(
                            &args[0],
                            Type::Bool,
                            true,
                            needs,
                            &format!("the body of {f}"),
                        )?;
                        return Ok(Type::Bool);
                    }
                    "E_y" => {
                        arity(2)?;
                        want(
                            &args[0],
                            Type::Dist,
                            in_binder,
                            needs,
                            "the first argument of E_y",
                        )?;
                        want(&args[1], Type::Num, true, needs, "the body of E_y")?;
                        return Ok(Type::Num);
                    }
                    "kl" | "chi2" | "tv" | "cross_entropy" | "winrate" | "winrate_strict" => {
                        arity(2)?;
                        for a in args {
                            want(
                                a,
                                Type::Dist,
                                in_binder,
                                needs,
                                &format!("an argument of {f}"),
                            )?;
                        }
                        return Ok(Type::Num);
                    }
                    "entropy" => {
                        arity(1)?;
                        want(
                            &args[0],
                            Type::Dist,
                            in_binder,
                            needs,
                            "the argument of entropy",
                        )?;
                        return Ok(Type::Num);
                    }
                    "renyi" => {
                        arity(3)?;
                        want(&args[0], Type::Num, in_binder, needs, "the order of renyi")?;
                        want(
                            &args[1],
                            Type::Dist,
                            in_binder,
                            needs,
                            "the second argument of renyi",
                        )?;
                        want(
                            &args[2],
                            Type::Dist,
                            in_binder,
                            needs,
                            "the third argument of renyi",
                        )?;
                        return Ok(Type::Num);
                    }
                    "bon" => {
                        arity(1)?;
                        // bon(y): pi_N of the outcome; bon(n): the law at another n.
                        return match check(text, &args[0], in_binder, needs)? {
                            Type::Outcome => Ok(Type::Num),
                            Type::Num => Ok(Type::Dist),
                            other => Err(located(text, args[0].at, &format!("the argument of bon must be a number n or the outcome y, not {}", name(other)))),
                        };
                    }
                    "tilt" => {
                        arity(1)?;
                        needs.q = true;
                        want(
                            &args[0],
                            Type::Num,
                            in_binder,
                            needs,
                            "the exponent of tilt",
                        )?;
                        return Ok(Type::Dist);
                    }
                    _ => {}
                }
            }
            // A distribution applied to an outcome.
            match check(text, callee, in_binder, needs)? {
                Type::Dist => {
                    arity(1)?;
                    want(
                        &args[0],
                        Type::Outcome,
                        in_binder,
                        needs,
                        "the argument of a distribution",
                    )?;
                    Ok(Type::Num)
                }
                Type::Num if matches!(&callee.kind, NodeKind::Name(n) if !NUMBERS.contains(&n.as_str())) => {
                    Err(err("unknown function".into()))
                }
                other => Err(located(
                    text,
                    callee.at,
                    &format!("{} cannot be applied to arguments", name(other)),
                )),
            }
        }
    }
}

/// A helper function of a claims file: `name = "a, b -> body"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Define {
    pub name: String,
    pub params: Vec<String>,
    pub body: Node,
    pub text: String,
}

impl Define {
    /// Parses `params -> body` (`eps -> (1-eps)^N`; no parameters: `-> 2*N`).
    pub fn new(name: &str, text: &str) -> Result<Define> {
        let (params, body) = text.split_once("->").ok_or_else(|| {
            InputError::new(format!(
                "define {name}: '{text}' is not 'params -> body', e.g. \"eps -> (1-eps)^N\""
            ))
        })?;
        let params: Vec<String> = params
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        for p in &params {
            if !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                || NUMBERS.contains(&p.as_str())
                || DISTS.contains(&p.as_str())
                || FUNCTIONS.contains(&p.as_str())
                || p == "y"
            {
                return Err(InputError::new(format!("define {name}: '{p}' cannot be a parameter name (a plain new name, not one of the language's)")));
            }
        }
        if NUMBERS.contains(&name)
            || DISTS.contains(&name)
            || FUNCTIONS.contains(&name)
            || name == "y"
            || name == "phi"
        {
            return Err(InputError::new(format!(
                "define: '{name}' is a name of the language; choose another"
            )));
        }
        Ok(Define {
            name: name.to_string(),
            params,
            body: parse::parse(body.trim())?,
            text: text.to_string(),
        })
    }
}

/// Replaces calls of helper functions by their bodies (parameters substituted), to a bounded
/// depth (a helper may use earlier ones, not itself).
fn expand(node: &Node, defines: &[Define], depth: usize) -> Result<Node> {
    if depth > 32 {
        return Err(InputError::new(
            "define: helper functions call each other more than 32 deep (recursion?)",
        ));
    }
    let kind = match &node.kind {
        NodeKind::Apply(callee, args) => {
            let args: Vec<Node> = args
                .iter()
                .map(|a| expand(a, defines, depth))
                .collect::<Result<_>>()?;
            if let NodeKind::Name(f) = &callee.kind {
                if let Some(d) = defines.iter().find(|d| &d.name == f) {
                    if d.params.len() != args.len() {
                        return Err(InputError::new(format!(
                            "{f}: defined with {} parameter(s), called with {}",
                            d.params.len(),
                            args.len()
                        )));
                    }
                    let body = substitute(&d.body, &d.params, &args);
                    return expand(
                        &Node {
                            at: node.at,
                            kind: body.kind,
                        },
                        defines,
                        depth + 1,
                    );
                }
            }
            NodeKind::Apply(Box::new(expand(callee, defines, depth)?), args)
        }
        NodeKind::Name(n) => match defines.iter().find(|d| &d.name == n && d.params.is_empty()) {
            Some(d) => return expand(&d.body, defines, depth + 1),
            None => NodeKind::Name(n.clone()),
        },
        NodeKind::Neg(a) => NodeKind::Neg(Box::new(expand(a, defines, depth)?)),
        NodeKind::Not(a) => NodeKind::Not(Box::new(expand(a, defines, depth)?)),
        NodeKind::Binary(op, a, b) => NodeKind::Binary(
            op.clone(),
            Box::new(expand(a, defines, depth)?),
            Box::new(expand(b, defines, depth)?),
        ),
        NodeKind::Number(x) => NodeKind::Number(x.clone()),
    };
    Ok(Node { at: node.at, kind })
}

fn substitute(node: &Node, params: &[String], args: &[Node]) -> Node {
    let kind = match &node.kind {
        NodeKind::Name(n) => match params.iter().position(|p| p == n) {
            Some(i) => return args[i].clone(),
            None => NodeKind::Name(n.clone()),
        },
        NodeKind::Apply(c, a) => NodeKind::Apply(
            Box::new(substitute(c, params, args)),
            a.iter().map(|x| substitute(x, params, args)).collect(),
        ),
        NodeKind::Neg(a) => NodeKind::Neg(Box::new(substitute(a, params, args))),
        NodeKind::Not(a) => NodeKind::Not(Box::new(substitute(a, params, args))),
        NodeKind::Binary(op, a, b) => NodeKind::Binary(
            op.clone(),
            Box::new(substitute(a, params, args)),
            Box::new(substitute(b, params, args)),
        ),
        NodeKind::Number(x) => NodeKind::Number(x.clone()),
    };
    Node { at: node.at, kind }
}

impl Expression {
    /// Parses and type-checks a claim: it must be a statement (a relation or a combination).
    pub fn new(text: &str) -> Result<Expression> {
        Self::with_defines(text, &[])
    }

    /// As [`Expression::new`], with the helper functions of a claims file expanded first. The
    /// expression's text is then the expanded one, so that it stands alone in reports.
    pub fn with_defines(text: &str, defines: &[Define]) -> Result<Expression> {
        let parsed = parse::parse(text)?;
        let (root, text) = if defines.is_empty() {
            (parsed, text.to_string())
        } else {
            let root = expand(&parsed, defines, 0)?;
            let expanded = render(&root);
            // Re-parse the rendering: its offsets are then those of the text errors show.
            (parse::parse(&expanded)?, expanded)
        };
        let text = text.as_str();
        let root = root;
        let mut needs = Needs::default();
        let t = check(text, &root, false, &mut needs)?;
        let _ = &text;
        if t != Type::Bool {
            return Err(located(text, 0, "a claim must be a statement such as 'kl(bon, p) <= log(N)', not a number or a distribution"));
        }
        Ok(Expression {
            text: text.to_string(),
            root,
            needs_q: needs.q,
            needs_delta: needs.delta,
        })
    }
}

/// A relation's two sides: (left text, left, right text, right).
type Sides = Vec<(String, Num, String, Num)>;

/// What an expression is evaluated over: the case's outcomes, exact values and caches.
struct Env<'c> {
    ctx: &'c Context,
    text: &'c str,
    p: Vec<Rational>,
    keys: Vec<Rational>,
    is_log: bool,
    laws: RefCell<HashMap<u64, Rc<Vec<Rational>>>>,
    /// The precision of the current rung of the ladder.
    prec: Cell<u32>,
    /// Top-level relations evaluated: (left text, left, right text, right).
    sides: RefCell<Sides>,
    /// Witness of a forall/exists: (sequence, truth, the body's relations there).
    witness: RefCell<Option<(Vec<u32>, String, Sides)>>,
    sequences: Vec<Vec<u32>>,
}

impl Num {
    fn enc(&self, prec: u32) -> Interval {
        match self {
            Num::Exact(x) => Interval::from_rational(x, prec),
            Num::Enc(i) => i.clone(),
        }
    }
    fn exact(&self) -> Option<&Rational> {
        match self {
            Num::Exact(x) => Some(x),
            Num::Enc(_) => None,
        }
    }
}

fn render(node: &Node) -> String {
    match &node.kind {
        NodeKind::Number(x) => x.to_string(),
        NodeKind::Name(n) => n.clone(),
        NodeKind::Apply(c, args) => format!(
            "{}({})",
            render(c),
            args.iter().map(render).collect::<Vec<_>>().join(", ")
        ),
        NodeKind::Neg(a) => format!("-{}", render(a)),
        NodeKind::Not(a) => format!("not {}", render(a)),
        NodeKind::Binary(op, a, b) => {
            let level = |op: &str| match op {
                "implies" => 1,
                "or" => 2,
                "and" => 3,
                "+" | "-" => 5,
                "*" | "/" => 6,
                "^" => 7,
                _ => 4,
            };
            // Parenthesise a side that binds less tightly (or equally, on the right of - / ^).
            let wrap = |n: &Node, right: bool| match &n.kind {
                NodeKind::Binary(inner, _, _)
                    if level(inner) < level(op)
                        || (right && level(inner) == level(op) && op != "+" && op != "*") =>
                {
                    format!("({})", render(n))
                }
                _ => render(n),
            };
            let space = if op == "^" { "" } else { " " };
            format!("{}{space}{op}{space}{}", wrap(a, false), wrap(b, true))
        }
    }
}

impl<'c> Env<'c> {
    /// The outcomes of `ctx`'s case (at most [`MAX_OUTCOMES`]) with their exact p and reward
    /// keys, ready to evaluate `text` at any precision.
    fn new(ctx: &'c Context, text: &'c str) -> Result<Env<'c>> {
        let count = ctx.case.source.sequence_count().unwrap_or(u64::MAX);
        if count > MAX_OUTCOMES {
            return Err(InputError::new(format!(
                "expression: the case has {count} outcomes, more than the {MAX_OUTCOMES} an expression is evaluated over"
            )));
        }
        let sequences = ctx.case.source.sequences()?;
        let (p, keys) = crate::law::reference::sequence_probs_and_keys::<Rational>(
            &ctx.case,
            &crate::law::reference::letter_probs::<Rational>(&ctx.case),
            &sequences,
        );
        Ok(Env {
            ctx,
            text,
            p,
            keys,
            is_log: matches!(ctx.case.reward, Reward::Log(_)),
            laws: RefCell::new(HashMap::new()),
            prec: Cell::new(ctx.policy.start.max(2)),
            sides: RefCell::new(Vec::new()),
            witness: RefCell::new(None),
            sequences,
        })
    }

    /// Moves to another rung of the ladder: the exact laws stay, the evidence starts afresh.
    fn at_prec(&self, prec: u32) {
        self.prec.set(prec);
        self.sides.borrow_mut().clear();
        *self.witness.borrow_mut() = None;
    }

    fn fail(&self, node: &Node, what: &str) -> InputError {
        located(self.text, node.at, what)
    }

    fn law(&self, n: u64, node: &Node) -> Result<Rc<Vec<Rational>>> {
        if let Some(l) = self.laws.borrow().get(&n) {
            return Ok(l.clone());
        }
        if n == 0 {
            return Err(self.fail(node, "bon(n) needs n >= 1"));
        }
        let case = crate::model::Case {
            n,
            ..self.ctx.case.clone()
        };
        let law = ExactLaw::compute(&case, Route::Sequence)?;
        let pi = Rc::new(LawTable::from_exact(&law, case.k(), case.m()).pi);
        self.laws.borrow_mut().insert(n, pi.clone());
        Ok(pi)
    }

    fn q_letters(&self, node: &Node) -> Result<Vec<Rational>> {
        self.ctx
            .q()
            .ok_or_else(|| self.fail(node, "q is not given: pass --q (or use a log reward)"))
    }

    fn dist(&self, node: &Node, y: Option<usize>) -> Result<Vec<Num>> {
        let exact = |v: &[Rational]| v.iter().cloned().map(Num::Exact).collect();
        match &node.kind {
            NodeKind::Name(n) if n == "p" => Ok(exact(&self.p)),
            NodeKind::Name(n) if n == "bon" => Ok(exact(&self.law(self.ctx.case.n, node)?)),
            NodeKind::Name(n) if n == "phi" => self.phi(node),
            NodeKind::Name(n) if n == "q" => {
                let q = self.q_letters(node)?;
                let total: Rational = q.iter().sum();
                Ok(self
                    .sequences
                    .iter()
                    .map(|s| {
                        Num::Exact(s.iter().fold(Rational::from(1), |acc, &l| {
                            acc * Rational::from(&q[l as usize] / &total)
                        }))
                    })
                    .collect())
            }
            NodeKind::Apply(callee, args) => match &callee.kind {
                NodeKind::Name(f) if f == "bon" => {
                    let n = self.num(&args[0], y)?;
                    let n = n
                        .exact()
                        .filter(|x| x.denom() == &1u32 && x.cmp0().is_gt())
                        .and_then(|x| x.numer().to_u64())
                        .ok_or_else(|| {
                            self.fail(&args[0], "bon(n) needs an exact positive integer n")
                        })?;
                    Ok(exact(&self.law(n, node)?))
                }
                NodeKind::Name(f) if f == "tilt" => {
                    // T(q, p, a)(y) = p(y) q(y)^a / sum_z p(z) q(z)^a, per sequence.
                    let a = self.num(&args[0], y)?;
                    let q = self.q_letters(node)?;
                    let weights: Vec<Num> = self
                        .sequences
                        .iter()
                        .zip(&self.p)
                        .map(|(s, p)| {
                            let qs = s
                                .iter()
                                .fold(Rational::from(1), |acc, &l| acc * &q[l as usize]);
                            self.mul(
                                &Num::Exact(p.clone()),
                                &self.pow_num(&Num::Exact(qs), &a, node)?,
                                node,
                            )
                        })
                        .collect::<Result<_>>()?;
                    let total = weights
                        .iter()
                        .try_fold(Num::Exact(Rational::new()), |acc, w| self.add(&acc, w))?;
                    weights.iter().map(|w| self.div(w, &total, node)).collect()
                }
                _ => Err(self.fail(node, "not a distribution")),
            },
            _ => Err(self.fail(node, "not a distribution")),
        }
    }

    /// phi_Delta over sequences: the product of the per-letter optimum at budget delta
    /// (Lemma 4 of 2404.01730), each letter's tilt enclosed over the alpha bracket.
    fn phi(&self, node: &Node) -> Result<Vec<Num>> {
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
        let letters: Vec<Num> = match solve_alpha(
            &atoms,
            &delta,
            self.ctx.policy,
            crate::claims::klrl_optimal_tilt::GOAL_BITS,
        ) {
            AlphaSolution::Zero => self
                .ctx
                .case
                .source
                .pmf
                .probs()
                .iter()
                .cloned()
                .map(Num::Exact)
                .collect(),
            AlphaSolution::Bracket(b) => atoms
                .at(&b.interval(self.prec.get()), self.prec.get())
                .phi
                .into_iter()
                .map(Num::Enc)
                .collect(),
            AlphaSolution::NoFiniteAlpha { top_mass, .. } => {
                // The optimum is p restricted to the top reward class.
                let top = atoms.top_key().clone();
                self.ctx
                    .case
                    .source
                    .pmf
                    .probs()
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
        self.sequences
            .iter()
            .map(|s| {
                s.iter().try_fold(Num::Exact(Rational::from(1)), |acc, &l| {
                    self.mul(&acc, &letters[l as usize], node)
                })
            })
            .collect()
    }

    fn outcome(&self, node: &Node, y: Option<usize>) -> Result<usize> {
        match (&node.kind, y) {
            (NodeKind::Name(n), Some(y)) if n == "y" => Ok(y),
            _ => Err(self.fail(node, "expected the bound outcome y")),
        }
    }

    fn add(&self, a: &Num, b: &Num) -> Result<Num> {
        Ok(match (a, b) {
            (Num::Exact(x), Num::Exact(y)) => Num::Exact(Rational::from(x + y)),
            _ => Num::Enc(a.enc(self.prec.get()).add(&b.enc(self.prec.get()))),
        })
    }
    fn sub(&self, a: &Num, b: &Num) -> Num {
        match (a, b) {
            (Num::Exact(x), Num::Exact(y)) => Num::Exact(Rational::from(x - y)),
            _ => Num::Enc(a.enc(self.prec.get()).sub(&b.enc(self.prec.get()))),
        }
    }
    fn mul(&self, a: &Num, b: &Num, _node: &Node) -> Result<Num> {
        Ok(match (a, b) {
            (Num::Exact(x), Num::Exact(y)) => Num::Exact(Rational::from(x * y)),
            // An exact zero annihilates whatever it multiplies, enclosed or not.
            (Num::Exact(z), _) | (_, Num::Exact(z)) if z.cmp0().is_eq() => {
                Num::Exact(Rational::new())
            }
            _ => Num::Enc(a.enc(self.prec.get()).mul(&b.enc(self.prec.get()))),
        })
    }
    fn div(&self, a: &Num, b: &Num, node: &Node) -> Result<Num> {
        match (a, b) {
            (_, Num::Exact(y)) if y.cmp0().is_eq() => {
                Err(self.fail(node, "division by an exact zero"))
            }
            (Num::Exact(x), Num::Exact(y)) => Ok(Num::Exact(Rational::from(x / y))),
            _ => a
                .enc(self.prec.get())
                .div(&b.enc(self.prec.get()))
                .map(Num::Enc)
                .ok_or_else(|| {
                    self.fail(node, "division by a quantity whose enclosure contains 0")
                }),
        }
    }
    fn ln(&self, a: &Num, node: &Node) -> Result<Num> {
        match a {
            Num::Exact(x) if x.cmp0().is_le() => {
                Err(self.fail(node, &format!("log of a non-positive exact value ({x})")))
            }
            Num::Exact(x) if *x == 1 => Ok(Num::Exact(Rational::new())),
            Num::Exact(x) => Ok(Num::Enc(
                Interval::ln_of(x, self.prec.get()).expect("positive"),
            )),
            Num::Enc(i) => i.ln().map(Num::Enc).ok_or_else(|| {
                self.fail(node, "log of a quantity whose enclosure reaches 0 or below")
            }),
        }
    }
    fn pow_num(&self, a: &Num, b: &Num, node: &Node) -> Result<Num> {
        use rug::ops::Pow;
        if let (Num::Exact(x), Some(e)) = (a, b.exact()) {
            if e.denom() == &1u32 {
                let k = e
                    .numer()
                    .to_i32()
                    .filter(|k| k.unsigned_abs() <= 1 << 16)
                    .ok_or_else(|| self.fail(node, "integer exponent too large (|e| <= 65536)"))?;
                if k < 0 && x.cmp0().is_eq() {
                    return Err(self.fail(node, "0 to a negative power"));
                }
                return Ok(Num::Exact(Rational::from(x.pow(k))));
            }
        }
        // a^b = exp(b ln a), a > 0.
        let ln = self.ln(a, node)?;
        Ok(Num::Enc(
            b.enc(self.prec.get()).mul(&ln.enc(self.prec.get())).exp(),
        ))
    }
    fn cmp_max(&self, a: &Num, b: &Num, max: bool) -> Num {
        match (a, b) {
            (Num::Exact(x), Num::Exact(y)) => Num::Exact(if (x >= y) == max {
                x.clone()
            } else {
                y.clone()
            }),
            _ => {
                let (i, j) = (a.enc(self.prec.get()), b.enc(self.prec.get()));
                // Both ends of the max (min) are the max (min) of the ends.
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
        }
    }

    fn reward(&self, y: usize) -> Num {
        if self.is_log {
            Num::Enc(
                Interval::ln_of(&self.keys[y], self.prec.get()).expect("log keys are positive"),
            )
        } else {
            Num::Exact(self.keys[y].clone())
        }
    }

    fn cumulative(&self, y: usize, strict: bool) -> Num {
        Num::Exact(
            self.p
                .iter()
                .zip(&self.keys)
                .filter(|(_, k)| {
                    if strict {
                        **k < self.keys[y]
                    } else {
                        **k <= self.keys[y]
                    }
                })
                .map(|(p, _)| p.clone())
                .sum(),
        )
    }

    fn sum_terms(&self, terms: impl Iterator<Item = Result<Num>>) -> Result<Num> {
        terms
            .into_iter()
            .try_fold(Num::Exact(Rational::new()), |acc, t| self.add(&acc, &t?))
    }

    fn functional(&self, f: &str, args: &[Node], node: &Node, y: Option<usize>) -> Result<Num> {
        let zero = |x: &Num| x.exact().is_some_and(|v| v.cmp0().is_eq());
        match f {
            "kl" | "cross_entropy" => {
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                let terms = a.iter().zip(&b).filter(|(x, _)| !zero(x)).map(|(x, z)| {
                    if zero(z) {
                        return Err(self.fail(node, &format!("{f} is infinite: the first distribution has mass where the second has exactly 0")));
                    }
                    let inner = if f == "kl" { self.div(x, z, node)? } else { z.clone() };
                    self.mul(x, &self.ln(&inner, node)?, node)
                });
                let s = self.sum_terms(terms)?;
                Ok(if f == "kl" {
                    s
                } else {
                    self.sub(&Num::Exact(Rational::new()), &s)
                })
            }
            "entropy" => {
                let a = self.dist(&args[0], y)?;
                let s = self.sum_terms(
                    a.iter()
                        .filter(|x| !zero(x))
                        .map(|x| self.mul(x, &self.ln(x, node)?, node)),
                )?;
                Ok(self.sub(&Num::Exact(Rational::new()), &s))
            }
            "chi2" => {
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                let s =
                    self.sum_terms(a.iter().zip(&b).filter(|(x, _)| !zero(x)).map(|(x, z)| {
                        let sq = self.mul(x, x, node)?;
                        self.div(&sq, z, node)
                    }))?;
                Ok(self.sub(&s, &Num::Exact(Rational::from(1))))
            }
            "tv" => {
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                let s = self.sum_terms(a.iter().zip(&b).map(|(x, z)| {
                    let d = self.sub(x, z);
                    Ok(match d {
                        Num::Exact(v) => Num::Exact(v.abs()),
                        Num::Enc(i) => Num::Enc(i.abs()),
                    })
                }))?;
                self.div(&s, &Num::Exact(Rational::from(2)), node)
            }
            "renyi" => {
                // 1/(a-1) log sum A^a B^(1-a).
                let order = self.num(&args[0], y)?;
                if order.exact().is_some_and(|o| *o == 1) {
                    return Err(self.fail(&args[0], "renyi of order 1 is kl: use kl(A, B)"));
                }
                let (a, b) = (self.dist(&args[1], y)?, self.dist(&args[2], y)?);
                let one = Num::Exact(Rational::from(1));
                let s =
                    self.sum_terms(a.iter().zip(&b).filter(|(x, _)| !zero(x)).map(|(x, z)| {
                        let left = self.pow_num(x, &order, node)?;
                        let right = self.pow_num(z, &self.sub(&one, &order), node)?;
                        self.mul(&left, &right, node)
                    }))?;
                self.div(&self.ln(&s, node)?, &self.sub(&order, &one), node)
            }
            "winrate" | "winrate_strict" => {
                let (a, b) = (self.dist(&args[0], y)?, self.dist(&args[1], y)?);
                let half = Num::Exact(Rational::from((1, 2)));
                let mut total = Num::Exact(Rational::new());
                for (i, ai) in a.iter().enumerate() {
                    if zero(ai) {
                        continue;
                    }
                    let mut beaten = Num::Exact(Rational::new());
                    for (j, bj) in b.iter().enumerate() {
                        if self.keys[i] > self.keys[j] {
                            beaten = self.add(&beaten, bj)?;
                        } else if self.keys[i] == self.keys[j] && f == "winrate" {
                            beaten = self.add(&beaten, &self.mul(bj, &half, node)?)?;
                        }
                    }
                    total = self.add(&total, &self.mul(ai, &beaten, node)?)?;
                }
                Ok(total)
            }
            _ => Err(self.fail(node, "unknown functional")),
        }
    }

    fn num(&self, node: &Node, y: Option<usize>) -> Result<Num> {
        match &node.kind {
            NodeKind::Number(x) => Ok(Num::Exact(x.clone())),
            NodeKind::Name(n) => Ok(Num::Exact(match n.as_str() {
                "N" => Rational::from(self.ctx.case.n),
                "m" => Rational::from(self.ctx.case.m()),
                "K" => Rational::from(self.ctx.case.k() as u64),
                "eps_inf" => {
                    let top = self
                        .p
                        .iter()
                        .zip(&self.keys)
                        .filter(|(p, _)| p.cmp0().is_gt())
                        .map(|(_, k)| k)
                        .max()
                        .cloned()
                        .unwrap_or_default();
                    self.p
                        .iter()
                        .zip(&self.keys)
                        .filter(|(_, k)| **k == top)
                        .map(|(p, _)| p.clone())
                        .sum()
                }
                _ => return Err(self.fail(node, "not a number")),
            })),
            NodeKind::Neg(a) => Ok(self.sub(&Num::Exact(Rational::new()), &self.num(a, y)?)),
            NodeKind::Binary(op, a, b) => {
                let (l, r) = (self.num(a, y)?, self.num(b, y)?);
                match op.as_str() {
                    "+" => self.add(&l, &r),
                    "-" => Ok(self.sub(&l, &r)),
                    "*" => self.mul(&l, &r, node),
                    "/" => self.div(&l, &r, node),
                    "^" => self.pow_num(&l, &r, node),
                    _ => Err(self.fail(node, "not a number")),
                }
            }
            NodeKind::Apply(callee, args) => {
                let NodeKind::Name(f) = &callee.kind else {
                    // bon(n)(y): a distribution expression applied to y.
                    let d = self.dist(callee, y)?;
                    return Ok(d[self.outcome(&args[0], y)?].clone());
                };
                match f.as_str() {
                    "log" => self.ln(&self.num(&args[0], y)?, node),
                    "exp" => Ok(match self.num(&args[0], y)? {
                        Num::Exact(x) if x.cmp0().is_eq() => Num::Exact(Rational::from(1)),
                        v => Num::Enc(v.enc(self.prec.get()).exp()),
                    }),
                    "sqrt" => {
                        let v = self.num(&args[0], y)?;
                        if let Some(x) = v.exact() {
                            if x.cmp0().is_lt() {
                                return Err(self
                                    .fail(node, &format!("sqrt of a negative exact value ({x})")));
                            }
                            let (n, d) = (x.numer().clone(), x.denom().clone());
                            if n.is_perfect_square() && d.is_perfect_square() {
                                return Ok(Num::Exact(Rational::from((n.sqrt(), d.sqrt()))));
                            }
                        }
                        self.pow_num(&v, &Num::Exact(Rational::from((1, 2))), node)
                    }
                    "abs" => Ok(match self.num(&args[0], y)? {
                        Num::Exact(x) => Num::Exact(x.abs()),
                        Num::Enc(i) => Num::Enc(i.abs()),
                    }),
                    "min" | "max" => {
                        let (a, b) = (self.num(&args[0], y)?, self.num(&args[1], y)?);
                        Ok(self.cmp_max(&a, &b, f == "max"))
                    }
                    "r" => Ok(self.reward(self.outcome(&args[0], y)?)),
                    "F" => Ok(self.cumulative(self.outcome(&args[0], y)?, false)),
                    "F_below" => Ok(self.cumulative(self.outcome(&args[0], y)?, true)),
                    "sum_y" => {
                        self.sum_terms((0..self.p.len()).map(|z| self.num(&args[0], Some(z))))
                    }
                    "max_y" | "min_y" => {
                        let mut best: Option<Num> = None;
                        for z in 0..self.p.len() {
                            let v = self.num(&args[0], Some(z))?;
                            best = Some(match best {
                                None => v,
                                Some(b) => self.cmp_max(&b, &v, f == "max_y"),
                            });
                        }
                        Ok(best.unwrap_or(Num::Exact(Rational::new())))
                    }
                    "E_y" => {
                        let d = self.dist(&args[0], y)?;
                        self.sum_terms(
                            d.iter()
                                .enumerate()
                                .filter(|(_, w)| !w.exact().is_some_and(|x| x.cmp0().is_eq()))
                                .map(|(z, w)| {
                                    let v = self.num(&args[1], Some(z))?;
                                    self.mul(w, &v, node)
                                }),
                        )
                    }
                    f if [
                        "kl",
                        "chi2",
                        "renyi",
                        "tv",
                        "entropy",
                        "cross_entropy",
                        "winrate",
                        "winrate_strict",
                    ]
                    .contains(&f) =>
                    {
                        self.functional(f, args, node, y)
                    }
                    _ => {
                        let d = self.dist(callee, y)?;
                        Ok(d[self.outcome(&args[0], y)?].clone())
                    }
                }
            }
            NodeKind::Not(_) => Err(self.fail(node, "not a number")),
        }
    }

    fn relation(&self, op: &str, l: &Num, r: &Num) -> Truth {
        use std::cmp::Ordering::*;
        let order = match (l, r) {
            (Num::Exact(a), Num::Exact(b)) => Some(a.cmp(b)),
            _ => {
                let (i, j) = (l.enc(self.prec.get()), r.enc(self.prec.get()));
                let o = i.certified_cmp(&j);
                // Enclosures prove equality only when both are the same single point.
                let points = i.lo() == i.hi() && j.lo() == j.hi();
                if o == Some(Equal) && !points {
                    None
                } else {
                    o
                }
            }
        };
        let Some(o) = order else {
            return Truth::Unknown;
        };
        let holds = match op {
            "<=" => o != Greater,
            "<" => o == Less,
            ">=" => o != Less,
            ">" => o == Greater,
            "==" => o == Equal,
            _ => o != Equal,
        };
        if holds {
            Truth::True
        } else {
            Truth::False
        }
    }

    /// The relations of a binder's body, evaluated at outcome `z` (for the witness).
    fn sides_at(&self, node: &Node, z: usize) -> Sides {
        match &node.kind {
            NodeKind::Not(a) => self.sides_at(a, z),
            NodeKind::Binary(op, a, b) if op == "and" || op == "or" || op == "implies" => {
                let mut out = self.sides_at(a, z);
                out.extend(self.sides_at(b, z));
                out
            }
            NodeKind::Binary(_, a, b) => match (self.num(a, Some(z)), self.num(b, Some(z))) {
                (Ok(l), Ok(r)) => vec![(render(a), l, render(b), r)],
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn truth(&self, node: &Node, y: Option<usize>) -> Result<Truth> {
        use Truth::*;
        match &node.kind {
            NodeKind::Not(a) => Ok(match self.truth(a, y)? {
                True => False,
                False => True,
                Unknown => Unknown,
            }),
            NodeKind::Binary(op, a, b) if op == "and" || op == "or" || op == "implies" => {
                let l = self.truth(a, y)?;
                // Short-circuit where the left side settles it.
                match (op.as_str(), l) {
                    ("and", False) => return Ok(False),
                    ("or", True) | ("implies", False) => return Ok(True),
                    _ => {}
                }
                let r = self.truth(b, y)?;
                Ok(match (op.as_str(), l, r) {
                    ("and", True, x) | ("or", False, x) | ("implies", True, x) => x,
                    ("and", Unknown, False) => False,
                    ("or", Unknown, True) | ("implies", Unknown, True) => True,
                    _ => Unknown,
                })
            }
            NodeKind::Binary(op, a, b) => {
                let (l, r) = (self.num(a, y)?, self.num(b, y)?);
                let t = self.relation(op, &l, &r);
                if y.is_none() {
                    self.sides.borrow_mut().push((render(a), l, render(b), r));
                }
                Ok(t)
            }
            NodeKind::Apply(callee, args) => {
                let NodeKind::Name(f) = &callee.kind else {
                    return Err(self.fail(node, "not a statement"));
                };
                let forall = f == "forall_y";
                let mut unknown = None;
                for z in 0..self.p.len() {
                    if self.p[z].cmp0().is_eq() {
                        continue; // forall_y / exists_y range over the support of p
                    }
                    match self.truth(&args[0], Some(z))? {
                        False if forall => {
                            *self.witness.borrow_mut() = Some((
                                self.sequences[z].clone(),
                                "fails here".into(),
                                self.sides_at(&args[0], z),
                            ));
                            return Ok(False);
                        }
                        True if !forall => {
                            *self.witness.borrow_mut() = Some((
                                self.sequences[z].clone(),
                                "holds here".into(),
                                self.sides_at(&args[0], z),
                            ));
                            return Ok(True);
                        }
                        Unknown => {
                            unknown.get_or_insert(z);
                        }
                        _ => {}
                    }
                }
                if let Some(z) = unknown {
                    *self.witness.borrow_mut() = Some((
                        self.sequences[z].clone(),
                        "undecided here".into(),
                        self.sides_at(&args[0], z),
                    ));
                    return Ok(Unknown);
                }
                Ok(if forall { True } else { False })
            }
            _ => Err(self.fail(node, "not a statement")),
        }
    }
}

/// Parses and type-checks a numeric expression (not a statement), without a case.
pub fn check_number(text: &str) -> Result<Node> {
    let root = parse::parse(text)?;
    let mut needs = Needs::default();
    if check(text, &root, false, &mut needs)? != Type::Num {
        return Err(located(
            text,
            0,
            "expected a number, such as 'kl(bon, p)' or 'E_y(bon, r(y))'",
        ));
    }
    Ok(root)
}

/// Evaluates a numeric expression (not a statement) on `ctx` at `prec` bits: exact where it
/// can be, else an enclosure (`test-impl --kind scalar --scalar EXPR`).
pub fn number(text: &str, ctx: &Context, prec: u32) -> Result<Num> {
    let root = check_number(text)?;
    let env = Env::new(ctx, text)?;
    env.at_prec(prec);
    env.num(&root, None)
}

/// A user claim: its expression and where it came from.
#[derive(Debug)]
pub struct UserClaim {
    pub expression: Expression,
    /// Where it was declared (`--assert`, a claims file and its entry).
    pub origin: String,
}

/// All registered user claims, in registration order.
pub fn user_claims() -> Vec<&'static Claim> {
    USER_CLAIMS.read().unwrap().clone()
}

const Q_GIVEN: Hypothesis = Hypothesis {
    name: "q-given",
    statement: "the expression uses q or tilt: --q, or a log reward",
    check: |ctx| match ctx.q() {
        Some(_) => Ok(()),
        None => Err("needs --q (or a log reward)".into()),
    },
};

const DELTA_GIVEN: Hypothesis = Hypothesis {
    name: "delta-given",
    statement: "the expression uses phi: a per-letter KL budget --delta",
    check: |ctx| match &ctx.tilt.delta {
        Some(_) => Ok(()),
        None => Err("needs --delta".into()),
    },
};

impl UserClaim {
    /// Decides the claim on `ctx`: the precision ladder of `ctx.policy`.
    pub fn decide(&self, ctx: &Context) -> Result<(Verdict, Evidence)> {
        let env = Env::new(ctx, &self.expression.text)?;
        let mut prec = ctx.policy.start.max(2);
        loop {
            env.at_prec(prec);
            let truth = env.truth(&self.expression.root, None)?;
            let cap = prec >= ctx.policy.cap;
            if truth != Truth::Unknown || cap {
                let mut evidence = Evidence::default();
                for (lt, l, rt, r) in env.sides.borrow().iter() {
                    evidence = push(evidence, lt.clone(), l);
                    evidence = push(evidence, rt.clone(), r);
                }
                match env.witness.borrow().clone() {
                    Some((seq, what, sides)) => {
                        evidence = evidence
                            .sequence("witness y", seq)
                            .text("at the witness", what);
                        for (lt, l, rt, r) in &sides {
                            evidence = push(evidence, lt.clone(), l);
                            evidence = push(evidence, rt.clone(), r);
                        }
                    }
                    None if uses_binder(&self.expression.root) => {
                        let support = env.p.iter().filter(|x| x.cmp0().is_gt()).count();
                        evidence = evidence.text(
                            "checked",
                            format!("every outcome y of the support of p ({support})"),
                        );
                    }
                    None => {}
                }
                let any_enclosed = env
                    .sides
                    .borrow()
                    .iter()
                    .any(|(_, l, _, r)| matches!(l, Num::Enc(_)) || matches!(r, Num::Enc(_)));
                if any_enclosed {
                    evidence = evidence.at_prec(prec);
                }
                let verdict = match truth {
                    Truth::True => Verdict::Holds,
                    Truth::False => Verdict::Fails,
                    Truth::Unknown => Verdict::Undecided,
                };
                return Ok((verdict, evidence));
            }
            prec = (prec * 2).min(ctx.policy.cap);
        }
    }
}

/// Whether a statement quantifies over outcomes (forall_y / exists_y at its top).
fn uses_binder(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Apply(c, _) => {
            matches!(&c.kind, NodeKind::Name(f) if f == "forall_y" || f == "exists_y")
        }
        NodeKind::Not(a) => uses_binder(a),
        NodeKind::Binary(op, a, b) if op == "and" || op == "or" || op == "implies" => {
            uses_binder(a) || uses_binder(b)
        }
        _ => false,
    }
}

fn push(evidence: Evidence, name: String, value: &Num) -> Evidence {
    match value {
        Num::Exact(x) => evidence.exact(name, x.clone()),
        Num::Enc(i) => evidence.enclosure(name, i.clone()),
    }
}

static USER_CLAIMS: RwLock<Vec<&'static Claim>> = RwLock::new(Vec::new());

fn never(_: &Context) -> Result<(Verdict, Evidence)> {
    Err(InputError::new("a user claim is decided by its expression"))
}

/// A claim as a claims file (or a case file's `[[claim]]` table) declares it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declaration {
    pub id: String,
    pub statement: String,
    pub source: Option<String>,
    pub notes: Option<String>,
    /// Names of hypotheses from the catalogue's set (and `distinct-rewards`).
    pub hypotheses: Vec<String>,
    /// Where it was declared (`claims.toml, claim 2`), for messages.
    pub origin: String,
}

/// The hypothesis many published results assume: no two outcomes of positive probability
/// tie in reward.
pub const DISTINCT_REWARDS: Hypothesis = Hypothesis {
    name: "distinct-rewards",
    statement: "no two outcomes of positive probability tie in reward",
    check: |ctx| {
        let sequences = ctx.case.source.sequences().map_err(|e| e.0)?;
        let probs = ctx.case.source.pmf.probs();
        let mut keys: Vec<(Rational, &Vec<u32>)> = sequences
            .iter()
            .filter(|s| s.iter().all(|&l| probs[l as usize].cmp0().is_gt()))
            .map(|s| (ctx.case.reward.key_of_sequence(s), s))
            .collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        match keys.windows(2).find(|w| w[0].0 == w[1].0) {
            Some(w) => Err(format!("{:?} and {:?} tie in reward", w[0].1, w[1].1)),
            None => Ok(()),
        }
    },
};

/// Every hypothesis a declaration may name: the catalogue's and `distinct-rewards`.
fn known_hypothesis(name: &str) -> Option<Hypothesis> {
    if name == DISTINCT_REWARDS.name {
        return Some(DISTINCT_REWARDS);
    }
    crate::claims::CATALOGUE
        .iter()
        .flat_map(|c| c.hypotheses.iter())
        .find(|h| h.name == name)
        .map(|h| Hypothesis {
            name: h.name,
            statement: h.statement,
            check: h.check,
        })
}

/// Registers a declared claim with the helper functions in force.
pub fn register_declaration(decl: &Declaration, defines: &[Define]) -> Result<&'static Claim> {
    let expression = Expression::with_defines(&decl.statement, defines)
        .map_err(|e| InputError::new(format!("{}: {}", decl.origin, e.0)))?;
    let mut hypotheses = Vec::new();
    for name in &decl.hypotheses {
        let h = known_hypothesis(name).ok_or_else(|| {
            InputError::new(format!("{}: unknown hypothesis '{name}' (the catalogue's, e.g. uniform-tie-break, or distinct-rewards)", decl.origin))
        })?;
        hypotheses.push(h);
    }
    if expression.needs_q {
        hypotheses.push(Q_GIVEN);
    }
    if expression.needs_delta {
        hypotheses.push(DELTA_GIVEN);
    }
    register_parts(
        &decl.id,
        &decl.statement,
        expression,
        hypotheses,
        decl.source.as_deref().unwrap_or("user claim"),
        &decl.origin,
    )
}

/// Registers a user claim (`--assert`), refusing an id that is taken or shadows the catalogue.
pub fn register(id: &str, text: &str) -> Result<&'static Claim> {
    let expression = Expression::new(text)?;
    let mut hypotheses = Vec::new();
    if expression.needs_q {
        hypotheses.push(Q_GIVEN);
    }
    if expression.needs_delta {
        hypotheses.push(DELTA_GIVEN);
    }
    register_parts(
        id,
        text,
        expression,
        hypotheses,
        "user claim (--assert)",
        "--assert",
    )
}

fn register_parts(
    id: &str,
    text: &str,
    expression: Expression,
    hypotheses: Vec<Hypothesis>,
    source: &str,
    origin: &str,
) -> Result<&'static Claim> {
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(InputError::new(format!(
            "assert: '{id}' is not a claim id (letters, digits, '-', '_')"
        )));
    }
    if crate::claims::CATALOGUE.iter().any(|c| c.id == id) {
        return Err(InputError::new(format!(
            "{origin}: the id '{id}' is a catalogue claim's; choose another"
        )));
    }
    if let Some(existing) = USER_CLAIMS.read().unwrap().iter().find(|c| c.id == id) {
        if existing.statement == text {
            return Ok(existing);
        }
        let first = existing.expression.map_or("", |u| u.origin.as_str());
        return Err(InputError::new(format!(
            "claim: the id '{id}' is given twice: in {first} ('{}') and in {origin} ('{text}')",
            existing.statement
        )));
    }
    let user: &'static UserClaim = Box::leak(Box::new(UserClaim {
        expression,
        origin: origin.to_string(),
    }));
    let claim: &'static Claim = Box::leak(Box::new(Claim {
        id: Box::leak(id.to_string().into_boxed_str()),
        source: Box::leak(source.to_string().into_boxed_str()),
        statement: Box::leak(text.to_string().into_boxed_str()),
        hypotheses: Box::leak(hypotheses.into_boxed_slice()),
        method: Method::Enclosure,
        uses_n: true,
        decide: never,
        expression: Some(user),
    }));
    USER_CLAIMS.write().unwrap().push(claim);
    Ok(claim)
}

/// A registered user claim by id.
pub fn find_user(id: &str) -> Option<&'static Claim> {
    USER_CLAIMS
        .read()
        .unwrap()
        .iter()
        .copied()
        .find(|c| c.id == id)
}

/// `--assert` text: `id: EXPR` or just `EXPR` (then named `assert-<index>`).
pub fn register_assert(text: &str, index: usize) -> Result<&'static Claim> {
    match text.split_once(':') {
        Some((id, expr))
            if !id.trim().is_empty()
                && id
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            register(id.trim(), expr.trim())
        }
        _ => register(&format!("assert-{index}"), text.trim()),
    }
}
