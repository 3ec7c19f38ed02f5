//! Claims in the user's own words: an expression language over the case, decided like the
//! catalogue (exact where no logarithm is involved, rigorous enclosures otherwise, the
//! precision doubled to the cap, `undecided` with both sides at the cap). See
//! docs/claim-language.md for the grammar ([`parse`]) and the vocabulary.
//!
//! Outcomes are the K^m sequences (lexicographic order); distributions are vectors over them.

pub mod eval;
pub mod parse;
pub mod value;

pub use eval::{Truth, MAX_OUTCOMES};
pub use value::Num;

use std::sync::RwLock;

use crate::claims::{Claim, Context, Decider, Evidence, Hypothesis, Method, Verdict};
use crate::error::{InputError, Result};
use eval::Env;
use parse::{located, Node, NodeKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Num,
    Dist,
    Bool,
    Outcome,
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
    "if",
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
    /// The statement as written, helpers expanded.
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
                    "if" => {
                        arity(3)?;
                        want(
                            &args[0],
                            Type::Bool,
                            in_binder,
                            needs,
                            "the condition of if",
                        )?;
                        want(
                            &args[1],
                            Type::Num,
                            in_binder,
                            needs,
                            "the second argument of if",
                        )?;
                        want(
                            &args[2],
                            Type::Num,
                            in_binder,
                            needs,
                            "the third argument of if",
                        )?;
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
    /// The helper's name.
    pub name: String,
    /// Its parameters.
    pub params: Vec<String>,
    /// Its body, parsed.
    pub body: Node,
    /// Its text (`params -> body`).
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
                    return expand(&Node::new(node.at, body.kind), defines, depth + 1);
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
    Ok(Node::new(node.at, kind))
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
    Node::new(node.at, kind)
}

impl Expression {
    /// The checked tree.
    pub fn root(&self) -> &Node {
        &self.root
    }

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

/// The expression as text (fully parenthesised where precedence needs it).
pub fn render(node: &Node) -> String {
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
    /// The parsed statement the claim is decided by.
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
        decide(&self.expression, ctx)
    }
}

/// Decides a statement on `ctx`: evaluated at the policy's starting precision, doubled up to
/// the cap while the truth is unknown; the evidence is that of the deciding rung.
pub fn decide(expression: &Expression, ctx: &Context) -> Result<(Verdict, Evidence)> {
    let env = Env::new(ctx, &expression.text)?;
    let mut prec = ctx.policy.start.max(2);
    loop {
        env.at_prec(prec);
        let truth = env.truth(&expression.root, None)?;
        let cap = prec >= ctx.policy.cap;
        if truth != Truth::Unknown || cap {
            let verdict = match truth {
                Truth::True => Verdict::Holds,
                Truth::False => Verdict::Fails,
                Truth::Unknown => Verdict::Undecided,
            };
            return Ok((verdict, evidence(&env, expression, prec)));
        }
        prec = (prec * 2).min(ctx.policy.cap);
    }
}

/// Both sides of every top-level relation, the value of each named call on a side (when the
/// side is a combination of them), the witness of a binder, and the precision if anything
/// was enclosed.
fn evidence(env: &Env, expression: &Expression, prec: u32) -> Evidence {
    let mut evidence = Evidence::default();
    let mut enclosed = false;
    let mut show = |evidence: Evidence, name: String, value: &Num| match value.shown(prec) {
        Ok(x) => evidence.exact(name, x),
        Err(i) => {
            enclosed = true;
            evidence.enclosure(name, i)
        }
    };
    let sides = env.sides.borrow().clone();
    for (lt, l, rt, r) in &sides {
        evidence = show(evidence, lt.clone(), l);
        evidence = show(evidence, rt.clone(), r);
    }
    for call in top_calls(&expression.root) {
        let name = render(call);
        if evidence.items.iter().any(|(n, _)| *n == name) {
            continue;
        }
        if let Ok(v) = env.num(call, None) {
            evidence = show(evidence, name, &v);
        }
    }
    match env.witness.borrow().clone() {
        Some((seq, what, sides)) => {
            let label = if env.by_type() {
                "witness y (a sequence of its type)"
            } else {
                "witness y"
            };
            evidence = evidence.sequence(label, seq).text("at the witness", what);
            for (lt, l, rt, r) in &sides {
                evidence = show(evidence, lt.clone(), l);
                evidence = show(evidence, rt.clone(), r);
            }
        }
        None if uses_binder(&expression.root) => {
            let support = env.support_outcomes();
            let what = if env.by_type() { "type" } else { "outcome" };
            evidence = evidence.text(
                "checked",
                format!("every {what} y of the support of p ({support})"),
            );
        }
        None => {}
    }
    if enclosed {
        evidence = evidence.at_prec(prec);
    }
    evidence
}

/// The named calls (kl, log, sum_y, ...) a top-level relation's sides are combinations of,
/// when a side is not a single call already.
fn top_calls(node: &Node) -> Vec<&Node> {
    fn calls<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
        match &node.kind {
            NodeKind::Apply(..) => out.push(node),
            NodeKind::Neg(a) => calls(a, out),
            NodeKind::Binary(_, a, b) => {
                calls(a, out);
                calls(b, out);
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    match &node.kind {
        NodeKind::Not(a) => out.extend(top_calls(a)),
        NodeKind::Binary(op, a, b) if op == "and" || op == "or" || op == "implies" => {
            out.extend(top_calls(a));
            out.extend(top_calls(b));
        }
        NodeKind::Binary(_, a, b) => {
            for side in [a, b] {
                if !matches!(side.kind, NodeKind::Apply(..)) {
                    calls(side, &mut out);
                }
            }
        }
        _ => {}
    }
    out
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

static USER_CLAIMS: RwLock<Vec<&'static Claim>> = RwLock::new(Vec::new());

/// Catalogue statements, parsed once.
static COMPILED: RwLock<Vec<(&'static str, &'static Expression)>> = RwLock::new(Vec::new());

/// The parsed form of a catalogue statement (parsed on first use, then kept).
pub fn compiled(text: &'static str) -> Result<&'static Expression> {
    if let Some((_, e)) = COMPILED.read().unwrap().iter().find(|(t, _)| *t == text) {
        return Ok(e);
    }
    let expression: &'static Expression = Box::leak(Box::new(Expression::new(text)?));
    COMPILED.write().unwrap().push((text, expression));
    Ok(expression)
}

/// A claim as a claims file (or a case file's `[[claim]]` table) declares it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declaration {
    /// The claim's id.
    pub id: String,
    /// The statement in the claim language.
    pub statement: String,
    /// Where it comes from (a paper, a section).
    pub source: Option<String>,
    /// Free notes.
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
        // Outcomes of the law in the support of p; by type, a type of several sequences
        // is a tie (its permutations share the reward).
        let law = ctx.law().map_err(|e| e.message().to_string())?;
        let mut seen: Vec<Option<usize>> = vec![None; law.classes().len()];
        for o in (0..law.len()).filter(|&o| law.weights()[o].cmp0().is_gt()) {
            if let crate::law::Outcome::Type { sequences, .. } = &law.outcomes()[o] {
                if *sequences > 1 {
                    return Err(format!(
                        "the sequences of type {} tie in reward",
                        law.outcomes()[o].label()
                    ));
                }
            }
            let level = law.reward_level()[law.class_of()[o]];
            if let Some(other) = seen[level] {
                return Err(format!(
                    "{} and {} tie in reward",
                    law.outcomes()[other].label(),
                    law.outcomes()[o].label()
                ));
            }
            seen[level] = Some(o);
        }
        Ok(())
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

/// The hypotheses a user claim was declared with (those the language adds by itself, for an
/// expression reading q or delta, left out): what a `[[claim]]` table lists to declare it again.
pub fn declared_hypotheses(claim: &Claim) -> Vec<&'static str> {
    claim
        .hypotheses
        .iter()
        .map(|h| h.name)
        .filter(|name| *name != Q_GIVEN.name && *name != DELTA_GIVEN.name)
        .collect()
}

/// Registers a declared claim with the helper functions in force.
pub fn register_declaration(decl: &Declaration, defines: &[Define]) -> Result<&'static Claim> {
    let expression = Expression::with_defines(&decl.statement, defines)
        .map_err(|e| InputError::new(format!("{}: {}", decl.origin, e.message())))?;
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
        let first = existing.user().map_or("", |u| u.origin.as_str());
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
        decide: Decider::User(user),
        status: crate::claims::Status::Unsettled,
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

/// `id: EXPR` split into the id and the expression; `None` for a bare expression.
pub fn named_assert(text: &str) -> Option<(&str, &str)> {
    let (id, expr) = text.split_once(':')?;
    let id = id.trim();
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| (id, expr.trim()))
}

/// `--assert` text: `id: EXPR` or just `EXPR` (then named `assert-<index>`).
pub fn register_assert(text: &str, index: usize) -> Result<&'static Claim> {
    match named_assert(text) {
        Some((id, expr)) => register(id, expr),
        None => register(&format!("assert-{index}"), text.trim()),
    }
}
