//! The reports of a `test-impl` run: JSON (test-impl.json, replayable), text and Markdown.

use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use super::{CaseFailure, Kind, Outcome, Settings};
use crate::report::compare::exact_value_json;
use crate::report::counterexample::{case_flags, case_json};
use crate::report::schema::Schema;

/// One failing case as the report records it.
pub fn failure_json(f: &CaseFailure) -> Json {
    json!({
        "case": case_json(&f.spec),
        "check": format!("bestofn law {}", case_flags(&f.spec)),
        "details": f.details,
        "expected": f.expected.iter().map(exact_value_json).collect::<Vec<_>>(),
        "got": f.got,
        "max_error": f.max_error.map(|(e, u)| json!({"abs": e, "ulps": u})),
    })
}

/// The whole run as `test-impl --json` prints it and test-impl.json stores it (replayable).
pub fn report_json(s: &Settings, o: &Outcome) -> Json {
    Schema::TestImpl.stamp(json!({
        "kind": s.kind.name(),
        "command": s.command,
        "seed": s.seed,
        "exact": s.exact,
        "exact_rewards": s.exact_rewards,
        "rel_tol": s.rel_tol,
        "abs_tol": s.abs_tol,
        "samples": s.samples,
        "randomised": s.randomised,
        "false_alarm": s.alpha,
        "trials": s.trials,
        "tested": o.tested,
        "passed": o.passed,
        "passed_on_f64": o.passed_on_f64,
        "f64_note": o.f64_note,
        "failed": o.failures,
        "verdict": if o.failures == 0 { "pass" } else { "fail" },
        "first_failure": o.first_failure.as_ref().map(|(f, _, _)| failure_json(f)),
        "minimal": o.first_failure.as_ref().map(|(_, m, _)| failure_json(m)),
        "shrink_evaluations": o.first_failure.as_ref().map(|(_, _, e)| *e),
        "diagnosis": o.diagnosis.iter().map(|a| json!({"name": a.name, "meaning": a.meaning})).collect::<Vec<_>>(),
        "closest": o.closest.as_ref().map(|c| json!({
            "name": c.alternative.name,
            "meaning": c.alternative.meaning,
            "fitted": c.fitted,
            "first_misfit": case_json(&c.first_misfit),
        })),
        "statistics": o.statistics,
        "seconds": o.elapsed.as_secs_f64(),
    }))
}

/// The run for people: counts, the minimal failing case, the diagnosis.
pub fn text(s: &Settings, o: &Outcome, replay: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "test-impl --kind {} of `{}`: {} cases, {} passed, {} failed (seed {}, {:.2} s)",
        s.kind.name(),
        s.command.join(" "),
        o.tested,
        o.passed,
        o.failures,
        s.seed,
        o.elapsed.as_secs_f64()
    );
    if let Some(stats) = &o.statistics {
        let _ = writeln!(out, "  {stats}");
    }
    if let Some(note) = &o.f64_note {
        let _ = writeln!(
            out,
            "  {} of the passes match the law of the rewards as f64, where exact rewards collide in f64 (first: {note}); --exact-rewards judges them against the exact rewards",
            o.passed_on_f64
        );
    }
    match &o.first_failure {
        None => {
            let how = match s.kind {
                Kind::Sample => "no case's counts reject the exact law".to_string(),
                Kind::Select if s.randomised => {
                    "no case's counts of its choices reject the exact law".to_string()
                }
                Kind::Select if o.passed_on_f64 > 0 => {
                    "the law of its choices equals the exact law, exactly, on every case (the law of the f64 rewards where exact rewards collide in f64)"
                        .to_string()
                }
                Kind::Select => {
                    "the law of its choices equals the exact law, exactly, on every case"
                        .to_string()
                }
                _ if s.exact => "every answer equals the exact value".to_string(),
                _ => format!(
                    "every answer matches the exact value within rel-tol {:e} / abs-tol {:e}",
                    s.rel_tol, s.abs_tol
                ),
            };
            let _ = writeln!(out, "PASS: {how}");
        }
        Some((_, minimal, evaluations)) => {
            let _ = writeln!(
                out,
                "FAIL: minimal failing case (shrunk in {evaluations} evaluations): bestofn law {}",
                case_flags(&minimal.spec)
            );
            for d in minimal.details.iter().take(8) {
                let _ = writeln!(out, "  {d}");
            }
            if minimal.details.len() > 8 {
                let _ = writeln!(out, "  ... {} more", minimal.details.len() - 8);
            }
            if s.kind == Kind::Sample || s.randomised {
                // The counts behind the statistic, outcome by outcome.
                let rows: Vec<String> = minimal
                    .expected
                    .iter()
                    .zip(&minimal.got)
                    .enumerate()
                    .take(16)
                    .map(|(i, (e, g))| format!("outcome {i}: {g} drawn, {e} expected"))
                    .collect();
                let _ = writeln!(out, "  observed against expected: {}", rows.join("; "));
            }
            match (&o.closest, o.diagnosis.is_empty()) {
                (Some(c), true) => {
                    let _ = writeln!(
                        out,
                        "diagnosis: no known mistake fits every tested case; closest: the {} on {} of {} cases ({}); the first case it does not fit: bestofn law {}",
                        c.alternative.name,
                        c.fitted,
                        o.tested,
                        c.alternative.meaning,
                        case_flags(&c.first_misfit)
                    );
                }
                (None, true) => {
                    let _ = writeln!(
                        out,
                        "diagnosis: matches none of the known mistakes on every tested case"
                    );
                }
                _ => {}
            }
            for a in &o.diagnosis {
                let _ = writeln!(
                    out,
                    "diagnosis: matches the {} on all {} tested cases: {}",
                    a.name, o.tested, a.meaning
                );
            }
            if let Some(r) = replay {
                let _ = writeln!(out, "replay: {r}");
            }
        }
    }
    out
}

/// test-impl.md: [`text`] and the failing cases' values in tables.
pub fn markdown(s: &Settings, o: &Outcome, replay: Option<&str>) -> String {
    let mut out = format!(
        "# bestofn test-impl\n\nProgram: `{}`, kind `{}`.\n\n",
        s.command.join(" "),
        s.kind.name()
    );
    let _ = writeln!(
        out,
        "{}\n",
        text(s, o, replay).trim_end().replace('\n', "\n\n")
    );
    if let Some((first, minimal, _)) = &o.first_failure {
        for (title, f) in [("Minimal case", minimal), ("First failing case", first)] {
            let _ = writeln!(
                out,
                "## {title}\n\n`bestofn law {}`\n\n| value | expected | got |\n|---|---|---|",
                case_flags(&f.spec)
            );
            for (i, (e, g)) in f.expected.iter().zip(&f.got).enumerate() {
                let _ = writeln!(out, "| {i} | {e} | {g} |");
            }
            out.push('\n');
        }
    }
    out
}

/// The message of a failed in-process comparison ([`super::assess_law`],
/// [`super::assess_scalar`]): the case as flags, the worst value first, then the rest, and the
/// known mistakes the answer matches on this case, in test-impl's words.
pub fn assessment(what: &str, a: &super::Assessment) -> String {
    let mut out = String::new();
    let Some(f) = &a.failure else {
        return format!("{what} matches the exact value");
    };
    let _ = writeln!(
        out,
        "{what} differs from the exact value on the case: bestofn law {}",
        case_flags(&f.spec)
    );
    let worst = f.worst.unwrap_or(0);
    if let Some(d) = f.details.get(worst) {
        let _ = writeln!(out, "  worst: {d}");
    }
    let rest: Vec<&String> = f
        .details
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != worst)
        .map(|(_, d)| d)
        .collect();
    for d in rest.iter().take(7) {
        let _ = writeln!(out, "  {d}");
    }
    if rest.len() > 7 {
        let _ = writeln!(out, "  ... {} more", rest.len() - 7);
    }
    if a.diagnosis.is_empty() {
        let _ = write!(
            out,
            "diagnosis: matches none of the known mistakes on this case"
        );
    } else {
        let lines: Vec<String> = a
            .diagnosis
            .iter()
            .map(|m| {
                format!(
                    "diagnosis: matches the {} on this case: {}",
                    m.name, m.meaning
                )
            })
            .collect();
        let _ = write!(out, "{}", lines.join("\n"));
    }
    out
}
