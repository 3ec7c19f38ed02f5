//! Claim verdicts for people (one line per claim, a summary line, Markdown) and scripts (JSON).

use std::fmt::Write;

use serde_json::{json, Map, Value as Json};

use crate::casefile::check::ClaimsChecked;
use crate::claims::{Claim, ClaimResult, Evidence, Value, Verdict, CATALOGUE};
use crate::exact::decimal::scientific;
use crate::model::Case;
use crate::report::case_line;
use crate::report::schema::Schema;
use crate::tilt::TiltParams;

/// Exact values longer than this are shown as a truncated decimal in text.
const SHORT: usize = 40;

fn value_text(value: &Value) -> String {
    match value {
        Value::Exact(q) => {
            let full = q.to_string();
            // Bisection ends are dyadic: a/2^k reads better than 19-digit fractions.
            let dyadic_power = q
                .denom()
                .is_power_of_two()
                .then(|| q.denom().significant_bits() - 1)
                .filter(|&k| k >= 20);
            if let Some(k) = dyadic_power {
                format!("{} (exact: {}/2^{k})", scientific(q, 12), q.numer())
            } else if full.len() <= SHORT {
                full
            } else {
                format!("{} (exact: {} chars)", scientific(q, 15), full.len())
            }
        }
        Value::Enclosure(i) => i.display(12),
        Value::Sequence(s) => format!(
            "({})",
            s.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
        ),
        Value::Text(t) => t.clone(),
    }
}

/// A claim's evidence on one line, long exact values shortened.
pub fn evidence_text(evidence: &Evidence) -> String {
    let mut parts: Vec<String> = evidence
        .items
        .iter()
        .map(|(k, v)| format!("{k} = {}", value_text(v)))
        .collect();
    if let Some(prec) = evidence.prec {
        parts.push(format!("{prec} bits"));
    }
    parts.join("; ")
}

/// A long precision ladder's progress, one line: where it is, the next rung's estimate and
/// the estimate up to the cap.
pub fn ladder_line(step: &crate::claims::LadderStep) -> String {
    let secs = |d: std::time::Duration| {
        let s = d.as_secs_f64();
        if s < 90.0 {
            format!("{s:.1} s")
        } else if s < 5400.0 {
            format!("{:.0} min", s / 60.0)
        } else {
            format!("{:.1} h", s / 3600.0)
        }
    };
    format!(
        "bestofn: '{}' undecided at {} bits after {}; trying {} bits (about {}; up to about {} more to the cap of {} bits, --prec-cap)",
        crate::error::elide(&step.statement, 80, 60),
        step.done_bits,
        secs(step.elapsed),
        step.next_bits,
        secs(step.next),
        secs(step.to_cap),
        step.cap_bits
    )
}

/// One-line summary: counts per verdict.
pub fn summary_line(results: &[ClaimResult]) -> String {
    let count = |name: &str| results.iter().filter(|r| r.verdict.name() == name).count();
    let measured = match count("measured") {
        0 => String::new(),
        n => format!(", {n} measured"),
    };
    let undefined = match count("undefined") {
        0 => String::new(),
        n => format!(", {n} undefined"),
    };
    format!(
        "{} claims: {} hold, {} fail, {} undecided{undefined}, {} not applicable{measured}",
        results.len(),
        count("holds"),
        count("fails"),
        count("undecided"),
        count("not-applicable")
    )
}

/// One line per claim with its verdict and deciding numbers, then the summary line.
pub fn text(case: &Case, tilt: &TiltParams, results: &[ClaimResult]) -> String {
    let mut out = String::new();
    writeln!(out, "case: {}{}", case_line(case), tilt_flags(tilt)).unwrap();
    let width = results.iter().map(|r| r.claim.id.len()).max().unwrap_or(10);
    for r in results {
        let detail = match &r.verdict {
            Verdict::NotApplicable { hypothesis, reason } => {
                format!("hypothesis {hypothesis} not met: {reason}")
            }
            _ => evidence_text(&r.evidence),
        };
        let dropped = r
            .dropped
            .map(|h| format!(" [without {h}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:width$}  {:14}  {detail}{dropped}",
            r.claim.id,
            r.verdict.name()
        )
        .unwrap();
    }
    writeln!(out, "{}", summary_line(results)).unwrap();
    out
}

fn value_json(value: &Value) -> Json {
    match value {
        Value::Exact(q) => json!(q.to_string()),
        Value::Enclosure(i) => json!({
            "lo": i.decimal_ends(None).0,
            "hi": i.decimal_ends(None).1,
            "prec": i.prec(),
        }),
        Value::Sequence(s) => json!(s),
        Value::Text(t) => json!(t),
    }
}

/// The evidence items as a JSON object (the precision is given beside it).
pub fn evidence_json(evidence: &Evidence) -> Json {
    let mut items = Map::new();
    for (name, value) in &evidence.items {
        items.insert(name.clone(), value_json(value));
    }
    Json::Object(items)
}

/// One result as JSON: claim, verdict, evidence, precision, hypothesis, reason.
pub fn result_json(r: &ClaimResult) -> Json {
    let mut out = json!({
        "claim": r.claim.id,
        "verdict": r.verdict.name(),
        "evidence": evidence_json(&r.evidence),
    });
    if let Some(prec) = r.evidence.prec {
        out["prec"] = json!(prec);
    }
    if let Verdict::NotApplicable { hypothesis, reason } = &r.verdict {
        out["hypothesis"] = json!(hypothesis);
        out["reason"] = json!(reason);
    }
    if let Some(dropped) = r.dropped {
        out["without_hypothesis"] = json!(dropped);
    }
    out
}

/// The case (and tilt parameters) as JSON: the one shape of [`CaseRecord`](crate::report::case_record::CaseRecord).
pub fn case_json(case: &Case, tilt: &TiltParams) -> Json {
    crate::report::case_record::CaseRecord::of(case, tilt).to_json()
}

/// `check --json` for one case: the case, every result, the counts per verdict.
pub fn json(case: &Case, tilt: &TiltParams, results: &[ClaimResult]) -> Json {
    Schema::Check.stamp(json!({
        "case": case_json(case, tilt),
        "results": results.iter().map(result_json).collect::<Vec<_>>(),
        "summary": summary_counts(results),
    }))
}

/// The counts per verdict as JSON, with [`summary_line`] beside them for people.
pub fn summary_counts(results: &[ClaimResult]) -> Json {
    let count = |name: &str| results.iter().filter(|r| r.verdict.name() == name).count();
    json!({
        "claims": results.len(),
        "holds": count("holds"),
        "fails": count("fails"),
        "undecided": count("undecided"),
        "undefined": count("undefined"),
        "not_applicable": count("not-applicable"),
        "measured": count("measured"),
        "line": summary_line(results),
    })
}

/// One case file's claims decided, as `check --json` prints them: [`json`](fn@json) and, when the file
/// states verdicts, how many were checked and which differ.
pub fn json_checked(checked: &ClaimsChecked) -> Json {
    let ctx = &checked.ctx;
    let mut value = json(&ctx.case, &ctx.tilt, &checked.results);
    if let Some(e) = &checked.expectations {
        value["expected_verdicts"] = json!({
            "checked": e.checked,
            "differing": e.differing,
            "not_checked": e.not_checked,
        });
    }
    value
}

/// The tilt parameters as flags (empty when none are given), to append to the case line.
pub fn tilt_flags(tilt: &TiltParams) -> String {
    let mut out = String::new();
    if let Some(q) = &tilt.q {
        let list: Vec<String> = q.iter().map(|x| x.to_string()).collect();
        write!(out, " --q {}", list.join(",")).unwrap();
    }
    for (flag, value) in [
        ("alpha", &tilt.alpha),
        ("beta", &tilt.beta),
        ("delta", &tilt.delta),
    ] {
        if let Some(v) = value {
            write!(out, " --{flag} {v}").unwrap();
        }
    }
    out
}

/// A Markdown report: the case, a verdict table, then each claim with its source, statement
/// and evidence in full (exact values in every digit, enclosures with their precision).
pub fn markdown(case: &Case, tilt: &TiltParams, results: &[ClaimResult]) -> String {
    let mut out = String::new();
    writeln!(out, "# bestofn check\n").unwrap();
    writeln!(
        out,
        "Case: `bestofn check {}{}`\n",
        crate::report::case_line_full(case),
        tilt_flags(tilt)
    )
    .unwrap();
    writeln!(out, "{}\n", summary_line(results)).unwrap();
    writeln!(out, "| claim | verdict |\n| --- | --- |").unwrap();
    for r in results {
        writeln!(out, "| `{}` | **{}** |", r.claim.id, r.verdict.name()).unwrap();
    }
    for r in results {
        writeln!(out, "\n## `{}`: {}\n", r.claim.id, r.verdict.name()).unwrap();
        out.push_str(&result_markdown(&r.claim, r));
    }
    out
}

/// One result as Markdown bullets: the claim, how it was decided, and every piece of evidence
/// in full (exact values in every digit, enclosures with their precision).
pub fn result_markdown(claim: &Claim, r: &ClaimResult) -> String {
    let mut out = String::new();
    writeln!(out, "- Statement: {}", claim.statement).unwrap();
    writeln!(out, "- Source: {}", claim.source).unwrap();
    writeln!(out, "- Decided by: {}", claim.method.describe()).unwrap();
    if let Some(dropped) = r.dropped {
        writeln!(out, "- Evaluated **without** the hypothesis `{dropped}`").unwrap();
    }
    if let Verdict::NotApplicable { hypothesis, reason } = &r.verdict {
        writeln!(
            out,
            "- Not applicable: hypothesis `{hypothesis}` is not met: {reason}"
        )
        .unwrap();
    }
    if let Some(prec) = r.evidence.prec {
        writeln!(out, "- Precision of the enclosures: {prec} bits").unwrap();
    }
    for (name, value) in &r.evidence.items {
        let shown = match value {
            Value::Exact(q) => q.to_string(),
            Value::Enclosure(i) => {
                format!("[{}, {}]", i.decimal_ends(None).0, i.decimal_ends(None).1)
            }
            other => value_text(other),
        };
        writeln!(out, "- {name}: `{shown}`").unwrap();
    }
    out
}

/// The catalogue as Markdown (docs/claims.md is this text; a test keeps them equal).
pub fn catalogue_markdown() -> String {
    let mut out = String::from(
        "# The claim catalogue\n\nGenerated by `bestofn claims --markdown`; `tests/suite/claims.rs` fails if this file \
         and the code drift apart.\n\nVerdicts: `holds`, `fails` (with a counterexample's exact values or separated \
         enclosures), `undecided` (enclosures still overlap at the precision cap; both are shown), \
         `not-applicable` (the case misses a hypothesis, named), `measured` (asymptotic statements: \
         enclosed values along a sequence of cases and their trend, never a proof either way). Enclosures start at 64 bits and double up to \
         4096 (`--prec-start`, `--prec-cap`). Equalities can only be refuted by enclosures, never proved; \
         exact cases (N = 1, a single reward class) are decided exactly.\n\nStatus: `theorem` (never fails \
         within its hypotheses; the property suite searches for a failure), `known false` (a search \
         refutes it from any seed, or a bundled case does), `unsettled` (no proof claimed). The status \
         is declared once, on the claim, and the tests and `scripts/known-false.sh` read it from there.\n",
    );
    for claim in CATALOGUE {
        writeln!(out, "\n## `{}`\n", claim.id).unwrap();
        writeln!(out, "- Statement: {}", claim.statement).unwrap();
        writeln!(out, "- Source: {}", claim.source).unwrap();
        writeln!(out, "- Decided by: {}", claim.method.describe()).unwrap();
        writeln!(out, "- Status: {}", claim.status.describe()).unwrap();
        if claim.hypotheses.is_empty() {
            writeln!(
                out,
                "- Hypotheses: none beyond a memoryless reference (always met)"
            )
            .unwrap();
        } else {
            for h in claim.hypotheses.iter() {
                writeln!(out, "- Hypothesis `{}`: {}", h.name, h.statement).unwrap();
            }
        }
    }
    out
}

/// The catalogue as `bestofn claims` prints it, then the user claims of `set`.
pub fn catalogue_text(set: &crate::claims::ClaimSet) -> String {
    let mut out = String::new();
    for claim in CATALOGUE {
        writeln!(out, "{}", claim.id).unwrap();
        writeln!(out, "  source:     {}", claim.source).unwrap();
        writeln!(out, "  statement:  {}", claim.statement).unwrap();
        for h in claim.hypotheses.iter() {
            writeln!(out, "  hypothesis: {} ({})", h.name, h.statement).unwrap();
        }
        writeln!(out, "  decided by: {}", claim.method.describe()).unwrap();
        writeln!(out, "  status:     {}", claim.status.describe()).unwrap();
    }
    for claim in set.user_claims() {
        let user = claim.user().expect("user claims have an origin");
        writeln!(out, "{} (user claim, {})", claim.id, user.origin).unwrap();
        writeln!(out, "  source:     {}", claim.source).unwrap();
        writeln!(out, "  statement:  {}", claim.statement).unwrap();
        if user.expression.text != claim.statement {
            writeln!(out, "  expanded:   {}", user.expression.text).unwrap();
        }
        for h in claim.hypotheses.iter() {
            writeln!(out, "  hypothesis: {} ({})", h.name, h.statement).unwrap();
        }
        writeln!(
            out,
            "  decided by: the claim language (exact where possible, enclosures otherwise)"
        )
        .unwrap();
    }
    out
}

/// `bestofn claims --json`: every claim of `set` (the catalogue, then the user's), with what
/// `claims` prints, as fields.
#[derive(serde::Serialize)]
pub struct ClaimListing {
    /// `bestofn-claims/1`.
    pub schema: String,
    /// The claims, the catalogue first.
    pub claims: Vec<ClaimEntry>,
}

/// One claim of a [`ClaimListing`].
#[derive(serde::Serialize)]
pub struct ClaimEntry {
    /// The id `--claim` takes.
    pub id: String,
    /// `catalogue` or `user`.
    pub origin: &'static str,
    /// Where a user claim was declared (a claims file, `--assert`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_in: Option<String>,
    /// The source (paper, theorem).
    pub source: String,
    /// The statement as written.
    pub statement: String,
    /// The statement in the claim language (helpers expanded), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Its hypotheses.
    pub hypotheses: Vec<HypothesisEntry>,
    /// How it is decided.
    pub decided_by: String,
    /// `theorem`, `known-false` or `unsettled`.
    pub status: &'static str,
    /// The status in words.
    pub status_detail: String,
}

/// A hypothesis of a [`ClaimEntry`].
#[derive(serde::Serialize)]
pub struct HypothesisEntry {
    /// Its name (`--without-hypothesis` takes it).
    pub name: String,
    /// What it requires.
    pub statement: String,
}

/// The listing of `set` for `claims --json`.
pub fn catalogue_json(set: &crate::claims::ClaimSet) -> ClaimListing {
    use crate::claims::Status;
    let entry = |claim: &Claim| {
        let user = claim.user();
        let (status, status_detail) = match (user, claim.status) {
            (Some(_), _) => (
                "unsettled",
                "a user's claim: the tool reports what it finds".to_string(),
            ),
            (None, Status::KnownFalse | Status::RefutedBy(_)) => {
                ("known-false", claim.status.describe())
            }
            (None, Status::Unsettled) => ("unsettled", claim.status.describe()),
            (None, _) => ("theorem", claim.status.describe()),
        };
        ClaimEntry {
            id: claim.id.to_string(),
            origin: if user.is_some() { "user" } else { "catalogue" },
            declared_in: user.map(|u| u.origin.to_string()),
            source: claim.source.to_string(),
            statement: claim.statement.to_string(),
            expression: claim.expression().map(str::to_string),
            hypotheses: claim
                .hypotheses
                .iter()
                .map(|h| HypothesisEntry {
                    name: h.name.to_string(),
                    statement: h.statement.to_string(),
                })
                .collect(),
            decided_by: if user.is_some() {
                "the claim language (exact where possible, enclosures otherwise)".to_string()
            } else {
                claim.method.describe().to_string()
            },
            status,
            status_detail,
        }
    };
    ClaimListing {
        schema: Schema::Claims.id(),
        claims: set
            .catalogue_claims()
            .chain(set.user_claims())
            .map(|c| entry(c))
            .collect(),
    }
}

/// The first four evidence items on one line, as `search`, `exhaust` and `recheck` print
/// under a verdict: each value rendered as `check` renders it (one format for sequences, one
/// number of digits across commands).
pub fn evidence_line(result: &ClaimResult) -> String {
    result
        .evidence
        .items
        .iter()
        .take(4)
        .map(|(name, value)| format!("{name} = {}", value_text(value)))
        .collect::<Vec<_>>()
        .join("; ")
}
