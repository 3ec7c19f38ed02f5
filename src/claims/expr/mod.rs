//! Claims in the user's own words: an expression language over the case, decided like the
//! catalogue (exact where no logarithm is involved, rigorous enclosures otherwise, the
//! precision doubled to the cap, `undecided` with both sides at the cap). See
//! docs/claim-language.md for the grammar ([`parse`]) and the vocabulary.
//!
//! Outcomes are the K^m sequences (lexicographic order); distributions are vectors over them.

pub mod builtins;
pub mod eval;
pub mod ir;
pub mod logs;
pub mod parse;
pub mod print;
pub mod value;

pub use eval::{Truth, MAX_OUTCOMES};
pub use value::Num;

use std::sync::Arc;

use crate::claims::{Claim, Context, Evidence, Hypothesis, Verdict};
use crate::error::{InputError, Result};
use builtins::Type;
use eval::Env;
use ir::{Ir, IrKind, Sources};
use parse::{located, Node, NodeKind};

/// A parsed and type-checked statement (or numeric expression), with what it needs of the
/// case.
#[derive(Debug)]
pub struct Expression {
    /// The statement with its helpers expanded, rendered by the one printer: it stands alone
    /// in reports and replays, and parses back to the same tree.
    pub text: String,
    root: Ir,
    sources: Sources,
    /// Evidence labels by shape, rendered on first use (a search decides the same statement
    /// on many cases; its labels are printed once).
    labels: std::sync::RwLock<std::collections::HashMap<u32, Arc<str>>>,
    /// Uses `q` or `tilt` (needs q, or a log reward).
    pub needs_q: bool,
    /// Uses `phi`, `Delta` or `alpha` (needs delta).
    pub needs_delta: bool,
    /// Reads the true reward (needs `--true-reward`).
    pub needs_true_reward: bool,
    /// Reads positions of sequences (`y[i]`, `swap`, `marginal`): evaluated over the law
    /// per sequence.
    pub needs_sequences: bool,
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
    /// The body's text.
    pub body_text: String,
}

fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
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
        for (i, p) in params.iter().enumerate() {
            if !plain_name(p) || builtins::is_reserved(p) {
                return Err(InputError::new(format!("define {name}: '{p}' cannot be a parameter name (a plain new name, not one of the language's)")));
            }
            if params[..i].contains(p) {
                return Err(InputError::new(format!(
                    "define {name}: the parameter '{p}' is given twice"
                )));
            }
        }
        if !plain_name(name) {
            return Err(InputError::new(format!(
                "define: '{name}' is not a name (letters, digits, '_')"
            )));
        }
        if builtins::is_reserved(name) {
            return Err(InputError::new(format!(
                "define: '{name}' is a name of the language; choose another"
            )));
        }
        let body_text = body.trim().to_string();
        let body = parse::parse(&body_text)
            .map_err(|e| InputError::malformed(format!("define {name}: {}", e.message())))?;
        let mut bound = Vec::new();
        bound_names(&body, &mut bound);
        if let Some(p) = params.iter().find(|p| bound.contains(p)) {
            return Err(InputError::new(format!(
                "define {name}: the parameter '{p}' is also a variable bound in the body; rename one"
            )));
        }
        Ok(Define {
            name: name.to_string(),
            params,
            body,
            text: text.to_string(),
            body_text,
        })
    }
}

/// Most nodes a statement may have once its helpers are expanded (a chain of helpers that
/// each use the previous one twice doubles the size at every step).
pub const MAX_EXPANDED_NODES: usize = 100_000;

/// Deepest nesting of an expanded statement (the evaluators recurse on it).
pub const MAX_EXPANDED_DEPTH: usize = 400;

/// Helpers expanded on trees: each body expanded once (a helper may use earlier ones, not
/// itself or later ones), then calls replaced by their bodies with the arguments substituted.
struct Expander<'d> {
    defines: &'d [Define],
    /// Bodies expanded so far (in declaration order), with their sizes.
    bodies: Vec<Node>,
}

/// The names a syntax tree reads outside any binder of its own that binds them (the
/// candidates for capture by a helper body's binder).
fn free_names(node: &Node, bound: &mut Vec<String>, out: &mut Vec<String>) {
    match &node.kind {
        NodeKind::Name(n) => {
            if !bound.contains(n) && !out.contains(n) {
                out.push(n.clone());
            }
        }
        NodeKind::Number(_) => {}
        NodeKind::Neg(a) | NodeKind::Not(a) => free_names(a, bound, out),
        NodeKind::Binary(_, a, b) => {
            free_names(a, bound, out);
            free_names(b, bound, out);
        }
        NodeKind::Apply(c, args) => {
            free_names(c, bound, out);
            let binder = binder_of(c, args.len());
            for (i, a) in args.iter().enumerate() {
                match binder {
                    Some((ps, var)) if ps[i].binds() => {
                        bound.push(var.to_string());
                        free_names(a, bound, out);
                        bound.pop();
                    }
                    _ => free_names(a, bound, out),
                }
            }
        }
    }
}

/// The parameters of a builtin called as `callee` with `arity` arguments and the variable
/// it binds, when it is a binder.
fn binder_of(callee: &Node, arity: usize) -> Option<(&'static [builtins::Param], &str)> {
    let NodeKind::Name(f) = &callee.kind else {
        return None;
    };
    let row = builtins::rows_named(f).find(|r| r.params.len() == arity)?;
    row.binds().then(|| {
        (
            row.params,
            builtins::bound_var(f).unwrap_or(builtins::BOUND_OUTCOME),
        )
    })
}

/// Every variable a binder of `node` binds.
fn bound_names(node: &Node, out: &mut Vec<String>) {
    match &node.kind {
        NodeKind::Name(_) | NodeKind::Number(_) => {}
        NodeKind::Neg(a) | NodeKind::Not(a) => bound_names(a, out),
        NodeKind::Binary(_, a, b) => {
            bound_names(a, out);
            bound_names(b, out);
        }
        NodeKind::Apply(c, args) => {
            if let Some((_, var)) = binder_of(c, args.len()) {
                out.push(var.to_string());
            }
            bound_names(c, out);
            args.iter().for_each(|a| bound_names(a, out));
        }
    }
}

impl Expander<'_> {
    fn new(defines: &[Define]) -> Result<Expander<'_>> {
        let mut expander = Expander {
            defines,
            bodies: Vec::with_capacity(defines.len()),
        };
        for (i, d) in defines.iter().enumerate() {
            let mut body = d.body.clone();
            parse::mark_src(&mut body, i as u16 + 1);
            let mut budget = MAX_EXPANDED_NODES;
            let body = expander.expand(&body, i, &mut budget, 0)?;
            expander.bodies.push(body);
        }
        Ok(expander)
    }

    fn too_large(what: &str) -> InputError {
        InputError::too_large(format!(
            "define: {what} has more than {MAX_EXPANDED_NODES} nodes (or nests deeper than {MAX_EXPANDED_DEPTH}) once its helpers are expanded"
        ))
    }

    /// `node` with the helpers `0..visible` expanded; every node made is paid from `budget`.
    fn expand(
        &self,
        node: &Node,
        visible: usize,
        budget: &mut usize,
        depth: usize,
    ) -> Result<Node> {
        if depth > MAX_EXPANDED_DEPTH {
            return Err(Self::too_large("a statement"));
        }
        *budget = budget
            .checked_sub(1)
            .ok_or_else(|| Self::too_large("a statement"))?;
        let helper = |name: &str| -> Result<Option<usize>> {
            match self.defines.iter().position(|d| d.name == name) {
                Some(i) if i < visible => Ok(Some(i)),
                Some(i) if i == visible => Err(InputError::new(format!(
                    "define {name}: a helper cannot use itself"
                ))),
                Some(_) => Err(InputError::new(format!(
                    "define {}: '{name}' is defined after it; a helper may use only earlier ones",
                    self.defines[visible].name
                ))),
                None => Ok(None),
            }
        };
        let kind = match &node.kind {
            NodeKind::Apply(callee, args) => {
                if let NodeKind::Name(f) = &callee.kind {
                    if let Some(i) = helper(f)? {
                        let d = &self.defines[i];
                        if d.params.len() != args.len() {
                            return Err(InputError::new(format!(
                                "{f}: defined with {} parameter(s), called with {}",
                                d.params.len(),
                                args.len()
                            )));
                        }
                        let args = args
                            .iter()
                            .map(|a| self.expand(a, visible, budget, depth + 1))
                            .collect::<Result<Vec<_>>>()?;
                        return self.substitute(&self.bodies[i], d, &args, budget, depth, &[]);
                    }
                }
                NodeKind::Apply(
                    Box::new(self.expand(callee, visible, budget, depth + 1)?),
                    args.iter()
                        .map(|a| self.expand(a, visible, budget, depth + 1))
                        .collect::<Result<_>>()?,
                )
            }
            NodeKind::Name(n) => match helper(n)? {
                Some(i) if self.defines[i].params.is_empty() => {
                    return self.substitute(
                        &self.bodies[i],
                        &self.defines[i],
                        &[],
                        budget,
                        depth,
                        &[],
                    )
                }
                Some(i) => {
                    return Err(InputError::new(format!(
                        "{n}: a helper of {} parameter(s), used without arguments",
                        self.defines[i].params.len()
                    )))
                }
                None => NodeKind::Name(n.clone()),
            },
            NodeKind::Neg(a) => {
                NodeKind::Neg(Box::new(self.expand(a, visible, budget, depth + 1)?))
            }
            NodeKind::Not(a) => {
                NodeKind::Not(Box::new(self.expand(a, visible, budget, depth + 1)?))
            }
            NodeKind::Binary(op, a, b) => NodeKind::Binary(
                *op,
                Box::new(self.expand(a, visible, budget, depth + 1)?),
                Box::new(self.expand(b, visible, budget, depth + 1)?),
            ),
            NodeKind::Number(x) => NodeKind::Number(x.clone()),
        };
        Ok(Node {
            at: node.at,
            src: node.src,
            kind,
        })
    }

    /// An expanded body with its parameters replaced by `args` (already expanded). An
    /// argument that reads a variable (`y`) may not land inside a binder of the body that
    /// binds the same name, where it would be captured.
    fn substitute(
        &self,
        body: &Node,
        d: &Define,
        args: &[Node],
        budget: &mut usize,
        depth: usize,
        binders: &[String],
    ) -> Result<Node> {
        if depth > MAX_EXPANDED_DEPTH {
            return Err(Self::too_large("a statement"));
        }
        let kind = match &body.kind {
            NodeKind::Name(n) => match d.params.iter().position(|p| p == n) {
                Some(i) => {
                    let mut free = Vec::new();
                    free_names(&args[i], &mut Vec::new(), &mut free);
                    if let Some(v) = free.iter().find(|v| binders.contains(v)) {
                        return Err(InputError::new(format!(
                            "{}: the argument for '{n}' reads {v}, and '{n}' is used inside a binder of the helper, whose own {v} would capture it",
                            d.name
                        )));
                    }
                    let size = args[i].size();
                    *budget = budget
                        .checked_sub(size)
                        .ok_or_else(|| Self::too_large("a statement"))?;
                    return Ok(args[i].clone());
                }
                None => NodeKind::Name(n.clone()),
            },
            NodeKind::Apply(c, a) => {
                let binder = binder_of(c, a.len());
                NodeKind::Apply(
                    Box::new(self.substitute(c, d, args, budget, depth + 1, binders)?),
                    a.iter()
                        .enumerate()
                        .map(|(i, x)| {
                            let mut inner = binders.to_vec();
                            if let Some((ps, var)) = binder.filter(|(ps, _)| ps[i].binds()) {
                                let _ = ps;
                                inner.push(var.to_string());
                            }
                            self.substitute(x, d, args, budget, depth + 1, &inner)
                        })
                        .collect::<Result<_>>()?,
                )
            }
            NodeKind::Neg(a) => NodeKind::Neg(Box::new(self.substitute(
                a,
                d,
                args,
                budget,
                depth + 1,
                binders,
            )?)),
            NodeKind::Not(a) => NodeKind::Not(Box::new(self.substitute(
                a,
                d,
                args,
                budget,
                depth + 1,
                binders,
            )?)),
            NodeKind::Binary(op, a, b) => NodeKind::Binary(
                *op,
                Box::new(self.substitute(a, d, args, budget, depth + 1, binders)?),
                Box::new(self.substitute(b, d, args, budget, depth + 1, binders)?),
            ),
            NodeKind::Number(x) => NodeKind::Number(x.clone()),
        };
        *budget = budget
            .checked_sub(1)
            .ok_or_else(|| Self::too_large("a statement"))?;
        Ok(Node {
            at: body.at,
            src: body.src,
            kind,
        })
    }
}

impl Clone for Expression {
    fn clone(&self) -> Expression {
        Expression {
            text: self.text.clone(),
            root: self.root.clone(),
            sources: self.sources.clone(),
            labels: Default::default(),
            needs_q: self.needs_q,
            needs_delta: self.needs_delta,
            needs_true_reward: self.needs_true_reward,
            needs_sequences: self.needs_sequences,
        }
    }
}

impl Expression {
    /// The checked tree.
    pub fn root(&self) -> &Ir {
        &self.root
    }

    /// Parses and type-checks a claim: it must be a statement (a relation or a combination).
    pub fn new(text: &str) -> Result<Expression> {
        Self::with_defines(text, &[])
    }

    /// As [`Expression::new`], with the helper functions of a claims file expanded first, on
    /// trees. [`Expression::text`] is the expanded statement as the one printer renders it.
    pub fn with_defines(text: &str, defines: &[Define]) -> Result<Expression> {
        let e = Self::parsed(text, defines)?;
        if e.root.ty != Type::Bool {
            return Err(located(text, 0, "a claim must be a statement such as 'kl(bon, p) <= log(N)', not a number or a distribution"));
        }
        Ok(e)
    }

    /// Parses, expands and checks an expression of any type.
    fn parsed(text: &str, defines: &[Define]) -> Result<Expression> {
        let parsed = parse::parse(text)?;
        let mut sources = Sources::statement(text);
        let tree = if defines.is_empty() {
            parsed
        } else {
            for d in defines {
                sources
                    .texts
                    .push((Some(d.name.clone()), d.body_text.clone()));
            }
            let expander = Expander::new(defines)?;
            let mut budget = MAX_EXPANDED_NODES;
            expander.expand(&parsed, defines.len(), &mut budget, 0)?
        };
        let (root, reads) = ir::check(&tree, &sources)?;
        // Without helpers the statement stands alone as written; with them, the expansion
        // is rendered by the one printer (it parses back to the tree that is decided).
        let expanded = if defines.is_empty() {
            text.to_string()
        } else {
            print::render(&tree)
        };
        Ok(Expression {
            text: expanded,
            root,
            sources,
            labels: Default::default(),
            needs_q: reads.q,
            needs_delta: reads.delta,
            needs_true_reward: reads.true_reward,
            needs_sequences: reads.sequences,
        })
    }

    /// The texts its nodes point into (for located errors).
    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The statement as the user wrote it (helpers not expanded).
    pub fn written(&self) -> &str {
        &self.sources.texts[0].1
    }

    /// `node` (of this expression) as text, rendered once per shape.
    pub fn label(&self, node: &Ir) -> Arc<str> {
        if let Some(l) = self
            .labels
            .read()
            .expect("no panic holds it")
            .get(&node.shape)
        {
            return l.clone();
        }
        let l: Arc<str> = node.render().into();
        self.labels
            .write()
            .expect("no panic holds it")
            .insert(node.shape, l.clone());
        l
    }
}

/// The expression as text, with exactly the parentheses the grammar needs.
pub fn render(node: &Node) -> String {
    print::render(node)
}

/// Parses and type-checks a numeric expression (not a statement), without a case.
pub fn check_number(text: &str) -> Result<Expression> {
    let e = Expression::parsed(text, &[])?;
    if e.root.ty != Type::Num {
        return Err(located(
            text,
            0,
            "expected a number, such as 'kl(bon, p)' or 'E_y(bon, r(y))'",
        ));
    }
    Ok(e)
}

/// Evaluates a numeric expression (not a statement) on `ctx` at `prec` bits: exact where it
/// can be, else an enclosure (`test-impl --kind scalar --scalar EXPR`).
pub fn number(text: &str, ctx: &Context, prec: u32) -> Result<Num> {
    let e = check_number(text)?;
    let ctx = if e.needs_sequences {
        ctx.by_sequences()
    } else {
        ctx
    };
    let env = Env::new(ctx, &e)?;
    env.at_prec(prec);
    env.num(&e.root, None)
}

/// Evaluates a distribution-valued expression (`won`, `softbon(1/2)`, `bon_of(tilt(1))`) on
/// `ctx` at `prec` bits: each outcome's sequence (one per sequence of a type when the law
/// goes by type) with its probability, exact where it can be, else an enclosure.
pub fn distribution(text: &str, ctx: &Context, prec: u32) -> Result<Vec<(Vec<u32>, Num)>> {
    let e = Expression::parsed(text, &[])?;
    if e.root.ty != Type::Dist {
        return Err(located(
            text,
            0,
            "expected a distribution, such as 'won' or 'softbon(1/2)'",
        ));
    }
    let ctx = if e.needs_sequences {
        ctx.by_sequences()
    } else {
        ctx
    };
    let env = Env::new(ctx, &e)?;
    env.at_prec(prec);
    let d = env.dist(&e.root, None)?;
    let law = ctx.law()?;
    let mut out = Vec::new();
    for (o, outcome) in law.outcomes().iter().enumerate() {
        match outcome {
            crate::law::Outcome::Sequence(s) => out.push((s.clone(), d.values[o].clone())),
            crate::law::Outcome::Type { counts, .. } => {
                for s in ctx.case.source.sequences()? {
                    if crate::model::source::counts_of(&s, ctx.case.k()) == *counts {
                        out.push((s, d.values[o].clone()));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// A user claim: its expression and where it came from.
#[derive(Debug)]
pub struct UserClaim {
    /// The parsed statement the claim is decided by.
    pub expression: Arc<Expression>,
    /// Where it was declared (`--assert`, a claims file and its entry).
    pub origin: String,
}

/// The hypothesis of a claim that reads `q` or `tilt`.
pub const Q_GIVEN: Hypothesis = Hypothesis {
    name: "q-given",
    statement: "the expression uses q or tilt: --q, or a log reward",
    check: |ctx| match ctx.q() {
        Some(_) => Ok(()),
        None => Err("needs --q (or a log reward)".into()),
    },
};

/// The hypothesis of a claim that reads `phi`.
pub const DELTA_GIVEN: Hypothesis = Hypothesis {
    name: "delta-given",
    statement: "the expression uses phi: a per-letter KL budget --delta",
    check: |ctx| match &ctx.tilt.delta {
        Some(_) => Ok(()),
        None => Err("needs --delta".into()),
    },
};

/// The hypothesis of a claim that reads the true reward (`rt`, `bon_true`, ...).
pub const TRUE_REWARD_GIVEN: Hypothesis = Hypothesis {
    name: "true-reward-given",
    statement: "the expression reads the true reward: --true-reward (true_reward in a case file)",
    check: |ctx| match &ctx.case.true_reward {
        Some(_) => Ok(()),
        None => Err("needs --true-reward".into()),
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
    // Positions are read per sequence: the case's laws are taken by sequence for it.
    let ctx = if expression.needs_sequences {
        ctx.by_sequences()
    } else {
        ctx
    };
    let env = Env::new(ctx, expression)?;
    let mut prec = ctx.policy.start.max(2);
    let start = std::time::Instant::now();
    let mut rung_start = start;
    let mut last_prec = None;
    loop {
        if let Some(done) = last_prec {
            watch_ladder(ctx, expression, (done, prec), start, rung_start);
        }
        last_prec = Some(prec);
        rung_start = std::time::Instant::now();
        env.at_prec(prec);
        let cap = prec >= ctx.policy.cap;
        let truth = match env.truth(&expression.root, None) {
            Ok(t) => t,
            // An enclosure at a domain's edge: climb; at the cap, undecided with the reason.
            // Undefined exactly on this case: its verdict (a search counts it and goes on).
            Err(_) if env.undefined().is_some() => {
                let reason = env.undefined().unwrap_or_default();
                let evidence = Evidence::default().text("undefined", reason.clone());
                return Ok((Verdict::Undefined { reason }, evidence));
            }
            Err(_) if env.unresolved().is_some() && !cap => {
                prec = (prec * 2).min(ctx.policy.cap);
                continue;
            }
            Err(_) if env.unresolved().is_some() => {
                let (reason, enclosure) = env.unresolved().expect("checked");
                let evidence = Evidence::default()
                    .text("unresolved", reason)
                    .enclosure("enclosure at the domain's edge", enclosure)
                    .at_prec(prec);
                return Ok((Verdict::Undecided, evidence));
            }
            Err(e) => return Err(e),
        };
        if truth != Truth::Unknown || cap {
            let verdict = match truth {
                Truth::True => Verdict::Holds,
                Truth::False => Verdict::Fails,
                Truth::Unknown => Verdict::Undecided,
            };
            if verdict == Verdict::Holds && !ctx.evidence_of_holds {
                return Ok((verdict, Evidence::default()));
            }
            return Ok((verdict, evidence(&env, expression, prec)));
        }
        prec = (prec * 2).min(ctx.policy.cap);
    }
}

/// Tells the context's watcher (if any) of the rung about to be tried, when the rest of the
/// ladder is estimated to take at least its threshold: each doubling of the precision costs
/// about 3.2 times the last rung.
fn watch_ladder(
    ctx: &Context,
    expression: &Expression,
    (done_bits, next_bits): (u32, u32),
    start: std::time::Instant,
    last_rung: std::time::Instant,
) {
    let Some(watch) = &ctx.watch else { return };
    let grow = |d: std::time::Duration| d.saturating_mul(16) / 5;
    let next = grow(last_rung.elapsed());
    let (mut to_cap, mut rung, mut bits) = (next, next, next_bits);
    while bits < ctx.policy.cap {
        bits = bits.saturating_mul(2).min(ctx.policy.cap);
        rung = grow(rung);
        to_cap = to_cap.saturating_add(rung);
    }
    if to_cap < watch.at_least || start.elapsed() < watch.after {
        return;
    }
    (watch.tell)(&crate::claims::LadderStep {
        statement: expression.text.clone(),
        done_bits,
        next_bits,
        cap_bits: ctx.policy.cap,
        elapsed: start.elapsed(),
        next,
        to_cap,
    });
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
    for (difference, how) in env.notes.borrow().iter() {
        evidence = evidence.text(difference.clone(), how.clone());
    }
    for call in top_calls(&expression.root) {
        let name = expression.label(call).to_string();
        if evidence.items.iter().any(|(n, _)| *n == name) {
            continue;
        }
        if let Ok(v) = env.num(call, None) {
            evidence = show(evidence, name, &v);
        }
    }
    match env.witness.borrow().clone() {
        Some((at, what, sides)) => {
            for (var, seq) in at {
                let label = if env.by_type() {
                    format!("witness {var} (a sequence of its type)")
                } else {
                    format!("witness {var}")
                };
                evidence = evidence.sequence(label, seq);
            }
            evidence = evidence.text("at the witness", what);
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
fn top_calls(node: &Ir) -> Vec<&Ir> {
    fn calls<'n>(node: &'n Ir, out: &mut Vec<&'n Ir>) {
        match &node.kind {
            IrKind::Call(_, args) if !args.is_empty() => out.push(node),
            IrKind::At(..) => out.push(node),
            IrKind::Neg(a) => calls(a, out),
            IrKind::Arith(_, a, b) => {
                calls(a, out);
                calls(b, out);
            }
            _ => {}
        }
    }
    let is_call = |n: &Ir| {
        matches!(&n.kind, IrKind::Call(_, args) if !args.is_empty())
            || matches!(n.kind, IrKind::At(..))
    };
    let mut out = Vec::new();
    match &node.kind {
        IrKind::Not(a) => out.extend(top_calls(a)),
        IrKind::Logic(_, a, b) => {
            out.extend(top_calls(a));
            out.extend(top_calls(b));
        }
        IrKind::Rel(_, a, b) => {
            for side in [a, b] {
                if !is_call(side) {
                    calls(side, &mut out);
                }
            }
        }
        _ => {}
    }
    out
}

/// Whether a statement quantifies over outcomes (forall_y / exists_y at its top).
fn uses_binder(node: &Ir) -> bool {
    match &node.kind {
        IrKind::Call(b, _) => matches!(b, builtins::Builtin::ForallY | builtins::Builtin::ExistsY),
        IrKind::Not(a) => uses_binder(a),
        IrKind::Logic(_, a, b) => uses_binder(a) || uses_binder(b),
        _ => false,
    }
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

/// Every hypothesis a declaration may name: the catalogue's, `distinct-rewards`, and the
/// language's own `q-given` and `delta-given`.
pub fn known_hypothesis(name: &str) -> Option<Hypothesis> {
    for own in [DISTINCT_REWARDS, Q_GIVEN, DELTA_GIVEN, TRUE_REWARD_GIVEN] {
        if name == own.name {
            return Some(own);
        }
    }
    crate::claims::CATALOGUE
        .iter()
        .flat_map(|c| c.hypotheses.iter())
        .find(|h| h.name == name)
        .cloned()
}

/// The hypotheses a user claim was declared with (those the language adds by itself, for an
/// expression reading q or delta, left out): what a `[[claim]]` table lists to declare it again.
pub fn declared_hypotheses(claim: &Claim) -> Vec<&'static str> {
    claim
        .hypotheses
        .iter()
        .map(|h| h.name)
        .filter(|name| ![Q_GIVEN.name, DELTA_GIVEN.name, TRUE_REWARD_GIVEN.name].contains(name))
        .collect()
}

/// `id: EXPR` split into the id and the expression; `None` for a bare expression.
pub fn named_assert(text: &str) -> Option<(&str, &str)> {
    let (id, expr) = text.split_once(':')?;
    let id = id.trim();
    is_claim_id(id).then(|| (id, expr.trim()))
}

/// Whether `id` can name a claim: letters, digits, `-`, `_` and `.` (`thm3.1`), starting
/// with a letter or digit.
pub fn is_claim_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}
