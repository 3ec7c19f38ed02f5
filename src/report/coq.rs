//! `--coq FILE.v`: a verdict on one case as a Coq proof script that a proof assistant checks
//! from the definition of best-of-N, trusting nothing of bestofn's engine, interval code or
//! shrinker (the de Bruijn criterion).
//!
//! The file is the shared [`PRELUDE`] (best-of-n as the sum over every n-tuple of draws of its
//! probability times y's share of the selection; the statements as a small formula type whose
//! decision procedure is proved correct once), the case (p, the reward, m, N, the tie-break
//! as rationals and lists), the claim as a Coq term generated from the typed IR (one more
//! evaluator of it), and the proof of the verdict: exact statements by computing their
//! decision (`vm_compute`), statements with logarithms by the `interval` tactic of
//! coq-interval on the real numbers after their exact parts are computed in `Q`.
//!
//! What the file trusts is stated in docs/coq.md.

use std::fmt::Write as _;

use rug::{Integer, Rational};

use crate::claims::expr::builtins::Builtin;
use crate::claims::expr::ir::{Ir, IrKind};
use crate::claims::expr::parse::{ArithOp, LogicOp, RelOp};
use crate::claims::expr::Expression;
use crate::claims::{ClaimResult, Context, Decider, Verdict};
use crate::error::{InputError, Result};
use crate::model::{Reward, TieBreak};
use crate::spec::CaseSpec;

/// The prelude every file opens with.
pub const PRELUDE: &str = include_str!("coq/prelude.v");

/// Most n-tuples of draws a file may enumerate for one best-of-n (`(K^m)^n`): coqc computes
/// each law from every tuple, which takes seconds at this size.
pub const MAX_TUPLES: u64 = 1 << 14;

/// Checks a `--coq` request before any work: coqc needs a file name `IDENT.v` whose stem is a
/// Coq identifier, and the claim needs a Coq form.
pub fn check_request(path: &std::path::Path, claim: &crate::claims::Claim) -> Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name.strip_suffix(".v").ok_or_else(|| {
        InputError::new(format!(
            "--coq: '{}' does not end in .v; coqc checks FILE.v",
            path.display()
        ))
    })?;
    let mut chars = stem.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '\'') {
        return Err(InputError::new(format!(
            "--coq: coqc needs a file name that is a Coq identifier (a letter, then letters, digits or _), and '{name}' is not; try '{}.v'",
            suggested_stem(stem)
        )));
    }
    if let Decider::Module(_) = claim.decide {
        if !MODULES_WITH_COQ_FORM.contains(&claim.id.as_ref()) {
            return Err(no_coq_form(&claim.id));
        }
    }
    Ok(())
}

/// The catalogue claims decided by a module whose statement the Coq file restates.
pub const MODULES_WITH_COQ_FORM: &[&str] = &[
    "bon-memoryless",
    "bon-exchangeable",
    "tilt-composition",
    "tilt-composition-misprint",
];

fn no_coq_form(id: &str) -> InputError {
    InputError::new(format!(
        "--coq: {id} is decided by its own procedure, which has no Coq form; --coq covers the statements of the claim language and {}",
        MODULES_WITH_COQ_FORM.join(", ")
    ))
}

fn suggested_stem(stem: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if cleaned.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        cleaned
    } else {
        format!("cex_{cleaned}")
    }
}

/// The proof script of `result` (a `holds` or `fails` verdict) on the case `spec`.
pub fn proof_script(spec: &CaseSpec, result: &ClaimResult) -> Result<String> {
    let claim = &result.claim;
    let holds = match &result.verdict {
        Verdict::Holds => true,
        Verdict::Fails => false,
        other => {
            return Err(InputError::new(format!(
                "--coq: {} is {} on this case; only a `holds` or `fails` verdict has a proof",
                claim.id,
                other.name()
            )))
        }
    };
    let ctx = Context::from_spec(spec, crate::enclosure::PrecisionPolicy::default())?;
    let statement = coq_statement(&claim.id, &claim.decide, &ctx)?;
    let expression = Expression::new(&statement.text).map_err(|e| {
        InputError::new(format!(
            "--coq: the statement of {} does not parse: {e}",
            claim.id
        ))
    })?;
    let case = &ctx.case;
    let outcomes = (case.k() as u64)
        .checked_pow(case.m())
        .filter(|&o| o <= MAX_TUPLES)
        .ok_or_else(|| too_large(case.k(), case.m(), 1))?;
    let mut largest_n = case.n;
    collect_draw_counts(expression.root(), &ctx, &mut largest_n)?;
    match outcomes.checked_pow(largest_n.min(64) as u32) {
        Some(t) if t <= MAX_TUPLES && largest_n <= 64 => {}
        _ => return Err(too_large(case.k(), case.m(), largest_n)),
    }
    let real = !rational(expression.root(), &ctx);
    let mut out = String::new();
    writeln!(out, "(* Written by bestofn {}.", env!("CARGO_PKG_VERSION")).unwrap();
    writeln!(out, "   Claim {}: {}", claim.id, sanitize(&claim.statement)).unwrap();
    writeln!(out, "   Source: {}", sanitize(&claim.source)).unwrap();
    if statement.restated {
        writeln!(out, "   Stated here as: {}", sanitize(&statement.text)).unwrap();
    }
    if let Some(h) = result.dropped {
        writeln!(out, "   Decided without its hypothesis `{h}`.").unwrap();
    }
    writeln!(
        out,
        "   Verdict proved below: {} on this case.\n   Check with: coqc FILE.v *)\n",
        if holds { "holds" } else { "fails" }
    )
    .unwrap();
    out.push_str(PRELUDE);
    out.push_str(
        "\n(* ============================== The case ============================== *)\n",
    );
    case_section(&mut out, &ctx, !real)?;
    out.push_str(
        "\n(* ============================== The claim ============================= *)\n",
    );
    let mut tr = Translator {
        ctx: &ctx,
        scope: Vec::new(),
    };
    if real {
        let prop = tr.prop(expression.root())?;
        writeln!(
            out,
            "Open Scope R_scope.\nDefinition claim : Prop :=\n  {prop}.\n"
        )
        .unwrap();
        writeln!(
            out,
            "(* The outcomes and the support, computed once as literal lists. *)"
        )
        .unwrap();
        writeln!(
            out,
            "Lemma outcomes_are : outcomes = {}.\nProof. vm_compute. reflexivity. Qed.",
            words_literal(&ctx, false)?
        )
        .unwrap();
        writeln!(
            out,
            "Lemma support_is : support = {}.\nProof. vm_compute. reflexivity. Qed.\n",
            words_literal(&ctx, true)?
        )
        .unwrap();
        let goal = if holds { "claim" } else { "~ claim" };
        writeln!(
            out,
            "(* For rewrite's matching only (see exact_parts). *)\nOpaque select_of seq_prob qsum qprod cdf top_mass tabulate normalize winrate chi2 tv marginal choose\n  Qred Qplus Qmult Qinv Qopp Qminus Qdiv Qpower Qle_bool Qeq_bool Qabs Qmax Qmin.\n\nTheorem verdict : is_pmf p_letters /\\ {goal}.\nProof.\n  split; [apply is_pmf_by_computation; vm_compute; reflexivity |].\n  unfold claim, Rkl, Rentropy, Rcross_entropy, Rsum.\n  rewrite ?support_is, ?outcomes_are; cbn [map fold_right forall_in exists_in].\n  exact_parts.\n  prove_real.\nQed."
        )
        .unwrap();
    } else {
        let formula = tr.formula(expression.root())?;
        writeln!(out, "Definition claim : formula :=\n  {formula}.\n").unwrap();
        let (goal, lemma) = if holds {
            ("holds claim", "holds_by_computation")
        } else {
            ("~ holds claim", "refuted_by_computation")
        };
        writeln!(
            out,
            "(* `Eval cbn [holds rel_holds] in holds claim.` shows the statement as a proposition. *)\nTheorem verdict : is_pmf p_letters /\\ {goal}.\nProof.\n  split; [apply is_pmf_by_computation | apply {lemma}]; vm_compute; reflexivity.\nQed."
        )
        .unwrap();
    }
    out.push_str("\nPrint Assumptions verdict.\n");
    Ok(out)
}

/// The refusal for a case past [`MAX_TUPLES`].
fn too_large(k: usize, m: u32, n: u64) -> InputError {
    InputError::new(format!(
        "--coq: the case is too large for a proof from the definition: K^(m n) = {k}^({m}*{n}) tuples of draws, above the limit of {MAX_TUPLES}; shrink the case (search and exhaust shrink their counterexamples) or lower N"
    ))
}

/// Comments may not contain `*)`.
fn sanitize(text: &str) -> String {
    text.replace("(*", "( *").replace("*)", "* )")
}

/// A claim as a statement of the claim language, with whether it is a restatement of a
/// module's procedure (each checked against the module by the tests).
struct Statement {
    text: String,
    restated: bool,
}

/// The statement of the claim language the Coq file states for `claim` on `ctx`'s case: the
/// claim's own, or the restatement of a module's procedure (the tests decide both and compare).
pub fn statement_text(claim: &crate::claims::Claim, ctx: &Context) -> Result<String> {
    Ok(coq_statement(&claim.id, &claim.decide, ctx)?.text)
}

fn coq_statement(id: &str, decider: &Decider, ctx: &Context) -> Result<Statement> {
    let exact = |text: &str| Statement {
        text: text.to_string(),
        restated: false,
    };
    let restated = |text: String| Statement {
        text,
        restated: true,
    };
    match decider {
        Decider::Statement(text) => Ok(exact(text)),
        Decider::Parsed(e) => Ok(exact(&e.text)),
        Decider::User(u) => Ok(exact(&u.expression.text)),
        Decider::Module(_) => match id {
            "bon-memoryless" => Ok(restated(
                "forall_y(bon(y) == prod_i(1, m, marginal(bon, i, y)))".into(),
            )),
            // Adjacent transpositions generate every permutation of positions.
            "bon-exchangeable" => {
                let m = ctx.case.m();
                if m < 2 {
                    return Ok(restated("forall_y(bon(y) == bon(y))".into()));
                }
                let swaps: Vec<String> = (1..m)
                    .map(|i| format!("bon(y) == bon(swap(y, {i}, {}))", i + 1))
                    .collect();
                Ok(restated(format!("forall_y({})", swaps.join(" and "))))
            }
            "tilt-composition" | "tilt-composition-misprint" => {
                let (Some(alpha), Some(beta)) = (&ctx.tilt.alpha, &ctx.tilt.beta) else {
                    return Err(InputError::new(format!(
                        "--coq: {id} needs --alpha and --beta"
                    )));
                };
                let combined = if id == "tilt-composition" {
                    Rational::from(alpha + beta)
                } else {
                    Rational::from(alpha * beta)
                };
                for (name, x) in [
                    ("alpha", alpha),
                    ("beta", beta),
                    ("the combined exponent", &combined),
                ] {
                    if *x.denom() != 1 {
                        return Err(InputError::new(format!(
                            "--coq: {id}: {name} is {x}; the proof computes tilts exactly only for integer exponents"
                        )));
                    }
                }
                Ok(restated(format!(
                    "forall_y(tilt({alpha})(y) * q(y)^({beta}) / sum_z(tilt({alpha})(z) * q(z)^({beta})) == tilt({combined})(y))"
                )))
            }
            other => Err(no_coq_form(other)),
        },
    }
}

/// The largest number of draws a best-of-n in the statement takes (closed arguments only).
fn collect_draw_counts(node: &Ir, ctx: &Context, largest: &mut u64) -> Result<()> {
    if let IrKind::Call(b, args) = &node.kind {
        if matches!(
            b,
            Builtin::BonOf | Builtin::WonOf | Builtin::BonOfDistN | Builtin::BonTrueOf
        ) {
            let n = closed_integer(&args[0], ctx).ok_or_else(|| {
                InputError::new(format!(
                    "--coq: `{}` draws a number of times that is not a closed integer",
                    node.render()
                ))
            })?;
            let n = n.to_u64().filter(|&n| n >= 1).ok_or_else(|| {
                InputError::new(format!("--coq: `{}` draws {n} times", node.render()))
            })?;
            *largest = (*largest).max(n);
        }
        for a in args {
            collect_draw_counts(a, ctx, largest)?;
        }
        return Ok(());
    }
    match &node.kind {
        IrKind::Neg(a) | IrKind::Not(a) => collect_draw_counts(a, ctx, largest),
        IrKind::At(a, b)
        | IrKind::Arith(_, a, b)
        | IrKind::Rel(_, a, b)
        | IrKind::Logic(_, a, b) => {
            collect_draw_counts(a, ctx, largest)?;
            collect_draw_counts(b, ctx, largest)
        }
        _ => Ok(()),
    }
}

/// The value of an integer expression of numbers and the case's N, m, K.
fn closed_integer(node: &Ir, ctx: &Context) -> Option<Integer> {
    let value = closed_rational(node, ctx)?;
    (*value.denom() == 1).then(|| value.numer().clone())
}

fn closed_rational(node: &Ir, ctx: &Context) -> Option<Rational> {
    Some(match &node.kind {
        IrKind::Number(x) => x.clone(),
        IrKind::Call(Builtin::N, _) => Rational::from(ctx.case.n),
        IrKind::Call(Builtin::M, _) => Rational::from(ctx.case.m()),
        IrKind::Call(Builtin::K, _) => Rational::from(ctx.case.k()),
        IrKind::Neg(a) => -closed_rational(a, ctx)?,
        IrKind::Arith(op, a, b) => {
            let (a, b) = (closed_rational(a, ctx)?, closed_rational(b, ctx)?);
            match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div if b != 0 => a / b,
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// Whether a number node's value is a rational Coq computes in `Q` (no logarithm, no
/// exponential, no root, no power of a non-integer exponent).
fn rational(node: &Ir, ctx: &Context) -> bool {
    let log_reward = matches!(ctx.case.reward, Reward::Log(_));
    let log_true = matches!(ctx.case.true_reward, Some(Reward::Log(_)));
    let here = match &node.kind {
        IrKind::Call(b, _) => {
            let transcendental = matches!(
                b,
                Builtin::Log
                    | Builtin::Exp
                    | Builtin::Sqrt
                    | Builtin::Kl
                    | Builtin::Entropy
                    | Builtin::CrossEntropy
                    | Builtin::Renyi
            );
            let log_of_weights =
                (log_reward && *b == Builtin::Reward) || (log_true && *b == Builtin::RewardTrue);
            !transcendental && !log_of_weights
        }
        IrKind::Arith(ArithOp::Pow, _, e) => closed_integer(e, ctx).is_some(),
        _ => true,
    };
    here && match &node.kind {
        IrKind::Call(_, args) => args.iter().all(|a| rational(a, ctx)),
        IrKind::Neg(a) | IrKind::Not(a) => rational(a, ctx),
        IrKind::At(a, b)
        | IrKind::Arith(_, a, b)
        | IrKind::Rel(_, a, b)
        | IrKind::Logic(_, a, b) => rational(a, ctx) && rational(b, ctx),
        _ => true,
    }
}

/// A rational as a Coq `Q` literal.
fn q_literal(x: &Rational) -> String {
    format!("({} # {})", x.numer(), x.denom())
}

fn q_list(xs: &[Rational]) -> String {
    let items: Vec<String> = xs.iter().map(q_literal).collect();
    format!("[{}]", items.join("; "))
}

fn word_literal(y: &[u32]) -> String {
    let letters: Vec<String> = y.iter().map(|a| format!("{a}%nat")).collect();
    format!("[{}]", letters.join("; "))
}

/// The outcomes (or the support of p) as a Coq list literal, in lexicographic order.
fn words_literal(ctx: &Context, support_only: bool) -> Result<String> {
    let probs = ctx.case.source.pmf.probs();
    let all = ctx.case.source.sequences()?;
    let words: Vec<String> = all
        .iter()
        .filter(|y| !support_only || y.iter().all(|&a| probs[a as usize] != 0))
        .map(|y| word_literal(y))
        .collect();
    Ok(format!("[{}]", words.join("; ")))
}

/// A reward as the definition of its exact key (increasing in the reward).
fn key_definition(name: &str, reward: &Reward, ctx: &Context) -> Result<String> {
    Ok(match reward {
        Reward::Additive(values) => format!(
            "(* An additive reward: the sum of the letters' values. *)\nDefinition {name}_letters := {}.\nDefinition {name} (y : word) : Q := qsum (map (fun a => nth a {name}_letters 0) y).\n",
            q_list(values)
        ),
        Reward::Log(weights) => format!(
            "(* A log reward, r(y) = sum of ln w over the letters: compared through the product of the weights. *)\nDefinition {name}_letters := {}.\nDefinition {name} (y : word) : Q := qprod (map (fun a => nth a {name}_letters 0) y).\n",
            q_list(weights)
        ),
        Reward::Scores(scores) => {
            let mut rows = Vec::new();
            for y in ctx.case.source.sequences()? {
                let score = scores.entries.get(&y).ok_or_else(|| {
                    InputError::new(format!("--coq: the scores have no entry for {y:?}"))
                })?;
                rows.push(format!("({}, {})", word_literal(&y), q_literal(score)));
            }
            format!(
                "(* A score per sequence. *)\nDefinition {name}_table : list (word * Q) := [{}].\nDefinition {name} (y : word) : Q :=\n  match find (fun e => word_eqb (fst e) y) {name}_table with Some e => snd e | None => 0 end.\n",
                rows.join(";\n  ")
            )
        }
    })
}

/// The case's definitions. Laws are tabulated for exact statements (one `vm_compute` decides
/// the whole formula, so each law is computed once) and not for statements with logarithms
/// (each value is computed where the proof meets it, once per value instead of once per table).
fn case_section(out: &mut String, ctx: &Context, tabulated: bool) -> Result<()> {
    let (tab, tab_end, once) = if tabulated {
        ("tabulate outcomes (", ")", "tabulated once per n")
    } else {
        ("", "", "each value computed where it is used")
    };
    let case = &ctx.case;
    let tb = match case.tie_break {
        TieBreak::Uniform => "Uniform",
        TieBreak::LexMin => "LexMin",
        TieBreak::LexMax => "LexMax",
    };
    writeln!(
        out,
        "Open Scope Q_scope.\nDefinition K := {}%nat.\nDefinition m := {}%nat.\nDefinition N := {}%nat.\nDefinition qK := inject_Z (Z.of_nat K).\nDefinition qm := inject_Z (Z.of_nat m).\nDefinition qN := inject_Z (Z.of_nat N).\nDefinition tb := {tb}.\n(* The reference p, per letter; p^m on sequences. *)\nDefinition p_letters := {}.\nDefinition outcomes := words K m.\nDefinition p (y : word) : Q := seq_prob p_letters y.\nDefinition support := filter (fun y => negb (Qeq_bool (p y) 0)) outcomes.",
        case.k(),
        case.m(),
        case.n,
        q_list(case.source.pmf.probs())
    )
    .unwrap();
    out.push_str(&key_definition("key", &case.reward, ctx)?);
    writeln!(
        out,
        "Definition F := cdf outcomes key p false.\nDefinition F_below := cdf outcomes key p true.\nDefinition C (y : word) : Q := (F_below y + F y) / 2.\nDefinition eps_inf := top_mass outcomes key p.\n(* Best-of-n and worst-of-n of draws from p ({once}). *)\nDefinition bon_n (n : nat) := {tab}select_of outcomes tb true key p n{tab_end}.\nDefinition won_n (n : nat) := {tab}select_of outcomes Uniform false key p n{tab_end}.\nDefinition bon_of (n : nat) (D : word -> Q) := {tab}select_of outcomes Uniform true key D n{tab_end}."
    )
    .unwrap();
    if let Some(t) = &case.true_reward {
        out.push_str(&key_definition("key_true", t, ctx)?);
        writeln!(out, "Definition Ft := cdf outcomes key_true p false.\nDefinition Ft_below := cdf outcomes key_true p true.\nDefinition Ct (y : word) : Q := (Ft_below y + Ft y) / 2.\nDefinition bon_true_n (n : nat) := {tab}select_of outcomes Uniform true key_true p n{tab_end}.").unwrap();
    }
    if let Some(q) = ctx.q() {
        writeln!(
            out,
            "(* The alignment distribution q (normalised), q^m on sequences, and the tilt T(q, p, a) = p q^a / sum p q^a. *)\nDefinition q_weights := {}.\nDefinition q_letters := map (fun w => Qred (w / qsum q_weights)) q_weights.\nDefinition q (y : word) : Q := seq_prob q_letters y.\nDefinition tilt (a : Z) := normalize outcomes (fun y => if Qeq_bool (p y) 0 then 0 else p y * q y ^ a).",
            q_list(&q)
        )
        .unwrap();
    }
    Ok(())
}

/// The IR to Coq, with the names of the enclosing binders (innermost last).
struct Translator<'c> {
    ctx: &'c Context,
    scope: Vec<String>,
}

/// Names of the file a bound variable may not shadow.
const TAKEN: &[&str] = &[
    "p", "q", "key", "key_true", "F", "C", "Ft", "Ct", "K", "m", "N", "tb", "outcomes", "support",
    "tilt", "qN", "qm", "qK", "eps_inf", "claim", "a", "b", "t", "w", "e", "i", "k",
];

impl Translator<'_> {
    fn unsupported(&self, node: &Ir, why: &str) -> InputError {
        InputError::new(format!(
            "--coq: `{}` has no Coq form here: {why}",
            node.render()
        ))
    }

    /// Enters a binder: its name as Coq sees it.
    fn bind(&mut self, node: &Ir) -> String {
        let base = node.var.as_deref().unwrap_or("y").to_string();
        let mut name = base.clone();
        while TAKEN.contains(&name.as_str()) || self.scope.contains(&name) {
            name.push('\'');
        }
        self.scope.push(name.clone());
        name
    }

    fn var(&self, i: u32) -> String {
        self.scope[self.scope.len() - 1 - i as usize].clone()
    }

    fn closed_nat(&mut self, node: &Ir) -> Result<String> {
        Ok(format!("(qnat {})", self.q(node)?))
    }

    /// A number as a `Q` term.
    fn q(&mut self, node: &Ir) -> Result<String> {
        use Builtin as B;
        Ok(match &node.kind {
            IrKind::Number(x) => q_literal(x),
            IrKind::Var(i) => self.var(*i),
            IrKind::Neg(a) => format!("(- {})", self.q(a)?),
            IrKind::Arith(op, a, b) => {
                let a = self.q(a)?;
                if *op == ArithOp::Pow {
                    return Ok(format!("({a} ^ qint {})", self.q(b)?));
                }
                let sym = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "-",
                    ArithOp::Mul => "*",
                    ArithOp::Div => "/",
                    ArithOp::Pow => unreachable!(),
                };
                format!("({a} {sym} {})", self.q(b)?)
            }
            IrKind::At(d, o) => format!("({} {})", self.dist(d)?, self.outcome(o)?),
            IrKind::Call(b, args) => match b {
                B::N => "qN".into(),
                B::M => "qm".into(),
                B::K => "qK".into(),
                B::EpsInf => "eps_inf".into(),
                B::Abs => format!("(Qabs {})", self.q(&args[0])?),
                B::Min => format!("(Qmin {} {})", self.q(&args[0])?, self.q(&args[1])?),
                B::Max => format!("(Qmax {} {})", self.q(&args[0])?, self.q(&args[1])?),
                B::Choose => format!("(choose {} {})", self.q(&args[0])?, self.q(&args[1])?),
                B::If => format!(
                    "(if decide {} then {} else {})",
                    self.formula(&args[0])?,
                    self.q(&args[1])?,
                    self.q(&args[2])?
                ),
                B::Reward => format!("(key {})", self.outcome(&args[0])?),
                B::RewardTrue => format!("(key_true {})", self.outcome(&args[0])?),
                B::Cdf => format!("(F {})", self.outcome(&args[0])?),
                B::CdfBelow => format!("(F_below {})", self.outcome(&args[0])?),
                B::Calibrated => format!("(C {})", self.outcome(&args[0])?),
                B::CdfTrue => format!("(Ft {})", self.outcome(&args[0])?),
                B::CdfBelowTrue => format!("(Ft_below {})", self.outcome(&args[0])?),
                B::CalibratedTrue => format!("(Ct {})", self.outcome(&args[0])?),
                B::Letter => format!(
                    "(letter {} {})",
                    self.outcome(&args[0])?,
                    self.closed_nat(&args[1])?
                ),
                B::Marginal => format!(
                    "(marginal outcomes {} {} {})",
                    self.dist(&args[0])?,
                    self.closed_nat(&args[1])?,
                    self.outcome(&args[2])?
                ),
                B::SumY | B::MaxY | B::MinY => {
                    let f = match b {
                        B::SumY => "qsum (map",
                        B::MaxY => "qmax_over outcomes (",
                        _ => "qmin_over outcomes (",
                    };
                    let v = self.bind(node);
                    let body = self.q(&args[0])?;
                    self.scope.pop();
                    if *b == B::SumY {
                        format!("({f} (fun {v} : word => {body}) outcomes))")
                    } else {
                        format!("({f}fun {v} : word => {body}))")
                    }
                }
                B::ExpectY => {
                    let d = self.dist(&args[0])?;
                    let v = self.bind(node);
                    let body = self.q(&args[1])?;
                    self.scope.pop();
                    format!("(qsum (map (fun {v} : word => {d} {v} * {body}) outcomes))")
                }
                B::SumN | B::ProdN => {
                    let (lo, hi) = (self.q(&args[0])?, self.q(&args[1])?);
                    let v = self.bind(node);
                    let body = self.q(&args[2])?;
                    self.scope.pop();
                    let f = if *b == B::SumN { "qsum" } else { "qprod" };
                    format!("({f} (map (fun {v} : Q => {body}) (qrange {lo} {hi})))")
                }
                B::Chi2 => format!(
                    "(chi2 outcomes {} {})",
                    self.dist(&args[0])?,
                    self.dist(&args[1])?
                ),
                B::Tv => format!(
                    "(tv outcomes {} {})",
                    self.dist(&args[0])?,
                    self.dist(&args[1])?
                ),
                B::Winrate | B::WinrateStrict | B::WinrateTrue => {
                    let (key, strict) = match b {
                        B::Winrate => ("key", false),
                        B::WinrateStrict => ("key", true),
                        _ => ("key_true", false),
                    };
                    format!(
                        "(winrate outcomes {key} {strict} {} {})",
                        self.dist(&args[0])?,
                        self.dist(&args[1])?
                    )
                }
                _ => {
                    return Err(
                        self.unsupported(node, "its value is not an exact rational Coq computes")
                    )
                }
            },
            _ => return Err(self.unsupported(node, "not a number")),
        })
    }

    /// A distribution as a `word -> Q` term.
    fn dist(&mut self, node: &Ir) -> Result<String> {
        use Builtin as B;
        let IrKind::Call(b, args) = &node.kind else {
            return Err(self.unsupported(node, "not a distribution"));
        };
        Ok(match b {
            B::P => "p".into(),
            B::Q => "q".into(),
            B::Bon => "(bon_n N)".into(),
            B::BonOf => format!("(bon_n {})", self.closed_nat(&args[0])?),
            B::Won => "(won_n N)".into(),
            B::WonOf => format!("(won_n {})", self.closed_nat(&args[0])?),
            B::BonTrue => "(bon_true_n N)".into(),
            B::BonTrueOf => format!("(bon_true_n {})", self.closed_nat(&args[0])?),
            B::BonOfDist => format!("(bon_of N {})", self.dist(&args[0])?),
            B::BonOfDistN => format!(
                "(bon_of {} {})",
                self.closed_nat(&args[0])?,
                self.dist(&args[1])?
            ),
            B::Tilt => {
                if closed_integer(&args[0], self.ctx).is_none() {
                    return Err(self.unsupported(
                        node,
                        "a tilt is computed exactly only at an integer exponent",
                    ));
                }
                format!("(tilt (qint {}))", self.q(&args[0])?)
            }
            B::DistY => {
                let v = self.bind(node);
                let body = self.q(&args[0])?;
                self.scope.pop();
                format!("(normalize outcomes (fun {v} : word => {body}))")
            }
            _ => {
                return Err(self.unsupported(
                    node,
                    "soft best-of-N and the KL-constrained optimum are not defined in the prelude",
                ))
            }
        })
    }

    fn outcome(&mut self, node: &Ir) -> Result<String> {
        match &node.kind {
            IrKind::Var(i) => Ok(self.var(*i)),
            IrKind::Call(Builtin::Swap, args) => Ok(format!(
                "(swap {} {} {})",
                self.outcome(&args[0])?,
                self.closed_nat(&args[1])?,
                self.closed_nat(&args[2])?
            )),
            _ => Err(self.unsupported(node, "not an outcome")),
        }
    }

    /// An exact statement as a `formula`.
    fn formula(&mut self, node: &Ir) -> Result<String> {
        Ok(match &node.kind {
            IrKind::Rel(op, a, b) => {
                format!(
                    "(Rel {} ({})%Q ({})%Q)",
                    rel_name(*op),
                    self.q(a)?,
                    self.q(b)?
                )
            }
            IrKind::Not(a) => format!("(Not {})", self.formula(a)?),
            IrKind::Logic(op, a, b) => {
                let name = match op {
                    LogicOp::And => "And",
                    LogicOp::Or => "Or",
                    LogicOp::Implies => "Implies",
                };
                format!("({name} {} {})", self.formula(a)?, self.formula(b)?)
            }
            IrKind::Call(b @ (Builtin::ForallY | Builtin::ExistsY), args) => {
                let v = self.bind(node);
                let body = self.formula(&args[0])?;
                self.scope.pop();
                let q = if *b == Builtin::ForallY {
                    "ForallIn"
                } else {
                    "ExistsIn"
                };
                format!("({q} support (fun {v} : word => {body}))")
            }
            _ => return Err(self.unsupported(node, "not a statement")),
        })
    }

    /// A number as a real term: exact parts through `Q2R`.
    fn r(&mut self, node: &Ir) -> Result<String> {
        use Builtin as B;
        if rational(node, self.ctx) {
            return Ok(format!("(Q2R ({})%Q)", self.q(node)?));
        }
        Ok(match &node.kind {
            IrKind::Neg(a) => format!("(- {})", self.r(a)?),
            IrKind::Arith(op, a, b) => {
                let a = self.r(a)?;
                if *op == ArithOp::Pow {
                    if closed_integer(b, self.ctx).is_none() {
                        return Err(self.unsupported(node, "a power is proved only with an integer exponent"));
                    }
                    return Ok(format!("(powerRZ {a} (qint ({})%Q))", self.q(b)?));
                }
                let sym = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "-",
                    ArithOp::Mul => "*",
                    ArithOp::Div => "/",
                    ArithOp::Pow => unreachable!(),
                };
                format!("({a} {sym} {})", self.r(b)?)
            }
            IrKind::Call(b, args) => match b {
                B::Log => format!("(ln {})", self.r(&args[0])?),
                B::Exp => format!("(exp {})", self.r(&args[0])?),
                B::Sqrt => format!("(sqrt {})", self.r(&args[0])?),
                B::Abs => format!("(Rabs {})", self.r(&args[0])?),
                B::Min => format!("(Rmin {} {})", self.r(&args[0])?, self.r(&args[1])?),
                B::Max => format!("(Rmax {} {})", self.r(&args[0])?, self.r(&args[1])?),
                B::If => format!(
                    "(if decide {} then {} else {})",
                    self.formula(&args[0])?,
                    self.r(&args[1])?,
                    self.r(&args[2])?
                ),
                B::Reward => format!("(ln (Q2R (key {})))", self.outcome(&args[0])?),
                B::RewardTrue => format!("(ln (Q2R (key_true {})))", self.outcome(&args[0])?),
                B::Kl => format!("(Rkl outcomes {} {})", self.dist(&args[0])?, self.dist(&args[1])?),
                B::CrossEntropy => format!(
                    "(Rcross_entropy outcomes {} {})",
                    self.dist(&args[0])?,
                    self.dist(&args[1])?
                ),
                B::Entropy => format!("(Rentropy outcomes {})", self.dist(&args[0])?),
                B::SumY | B::ExpectY => {
                    let d = if *b == B::ExpectY {
                        Some(self.dist(&args[0])?)
                    } else {
                        None
                    };
                    let v = self.bind(node);
                    let body = self.r(args.last().expect("a body"))?;
                    self.scope.pop();
                    let weight = d.map(|d| format!("Q2R ({d} {v}) * ")).unwrap_or_default();
                    format!("(Rsum (map (fun {v} : word => {weight}{body}) outcomes))")
                }
                _ => return Err(self.unsupported(node, "the proof covers log, exp, sqrt, kl, entropy, cross_entropy, sum_y and E_y over exact values")),
            },
            _ => return Err(self.unsupported(node, "not a number")),
        })
    }

    /// A statement with real atoms as a `Prop`.
    fn prop(&mut self, node: &Ir) -> Result<String> {
        Ok(match &node.kind {
            IrKind::Rel(op, a, b) => {
                let sym = match op {
                    RelOp::Le => "<=",
                    RelOp::Lt => "<",
                    RelOp::Ge => ">=",
                    RelOp::Gt => ">",
                    RelOp::Eq => "=",
                    RelOp::Ne => "<>",
                };
                format!("({} {sym} {})", self.r(a)?, self.r(b)?)
            }
            IrKind::Not(a) => format!("(~ {})", self.prop(a)?),
            IrKind::Logic(op, a, b) => {
                let sym = match op {
                    LogicOp::And => "/\\",
                    LogicOp::Or => "\\/",
                    LogicOp::Implies => "->",
                };
                format!("({} {sym} {})", self.prop(a)?, self.prop(b)?)
            }
            IrKind::Call(b @ (Builtin::ForallY | Builtin::ExistsY), args) => {
                let v = self.bind(node);
                let body = self.prop(&args[0])?;
                self.scope.pop();
                let q = if *b == Builtin::ForallY {
                    "forall_in"
                } else {
                    "exists_in"
                };
                format!("({q} support (fun {v} : word => {body}))")
            }
            _ => return Err(self.unsupported(node, "not a statement")),
        })
    }
}

fn rel_name(op: RelOp) -> &'static str {
    match op {
        RelOp::Le => "Le",
        RelOp::Lt => "Lt",
        RelOp::Ge => "Ge",
        RelOp::Gt => "Gt",
        RelOp::Eq => "Eq",
        RelOp::Ne => "Ne",
    }
}
