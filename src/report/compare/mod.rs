//! Rendering `bestofn compare`: a verdict paragraph, per-quantity error tables, the named
//! qualitative failures, JSON for scripts, Markdown for people, and an SVG of error against
//! precision.
//!
//! Error sizes are printed with 3 significant digits: exact errors truncated, enclosed errors
//! as their upper end rounded up (the enclosures are known to 2^-20 relative width).

mod json;
mod plot;

pub use json::{arith_json, exact_value_json, json, json_named};
pub use plot::plot;

use std::fmt::Write;

use rug::float::Round;

use crate::compare::{
    Amount, ArithComparison, Degenerate, EntryError, ExactDescription, ExactSide, TieFailure,
};
use crate::exact::decimal::scientific;
use crate::float::Arith;
use crate::report::case_line;
use crate::report::claims::{case_json, evidence_json, evidence_text, result_json, tilt_flags};

/// An error size with 3 significant digits, in one notation for exact and enclosed sizes
/// (positional from 1e-4 to 1e5, `d.dde-7` beyond): exact ones truncated, enclosed ones as
/// the upper end rounded up (the enclosures are 2^-20 wide or less; JSON has both ends).
pub fn short(amount: &Amount) -> String {
    match amount {
        Amount::Exact(r) => scientific(r, 3),
        Amount::Enclosed(i) if i.hi().is_zero() => "0".into(),
        Amount::Enclosed(i) => {
            crate::exact::decimal::positional(&i.hi().to_string_radix_round(10, Some(3), Round::Up))
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn seq(s: &[u32]) -> String {
    let inner: Vec<String> = s.iter().map(|x| x.to_string()).collect();
    format!("({})", inner.join(","))
}

fn largest_rel(c: &ArithComparison) -> Option<(&'static str, &EntryError)> {
    c.quantities
        .iter()
        .filter_map(|q| q.max_rel.as_ref().map(|e| (q.name, e)))
        .max_by(|a, b| {
            a.1.rel
                .as_ref()
                .map(Amount::upper)
                .partial_cmp(&b.1.rel.as_ref().map(Amount::upper))
                .expect("not NaN")
        })
}

/// "2 lost ties change pi by up to 0.17 (at (0,1))".
fn tie_part(count: usize, kind: &str, change: &Option<EntryError>) -> String {
    let mut part = plural(count, kind, &format!("{kind}s"));
    if let Some(change) = change {
        write!(
            part,
            " {} pi by up to {} (at {})",
            if count == 1 { "changes" } else { "change" },
            short(&change.abs),
            change.entry
        )
        .unwrap();
    }
    part
}

/// One sentence (or two) on one arithmetic: what it gets qualitatively wrong, then its
/// largest relative error.
pub fn verdict_sentence(c: &ArithComparison) -> String {
    let name = c.arith.name();
    let mut out = String::new();
    if c.is_qualitatively_wrong() {
        let mut parts = Vec::new();
        if !c.lost_ties.is_empty() {
            parts.push(tie_part(
                c.lost_ties.len(),
                "lost tie",
                &c.lost_tie_pi_change,
            ));
        }
        if !c.invented_ties.is_empty() {
            parts.push(tie_part(
                c.invented_ties.len(),
                "invented tie",
                &c.invented_tie_pi_change,
            ));
        }
        if !c.nonfinite.is_empty() {
            let mut names: Vec<&str> = c.nonfinite.iter().map(|n| n.quantity).collect();
            names.dedup();
            let first = &c.nonfinite[0];
            parts.push(format!(
                "{} where the exact value is not (first: {} at {} = {})",
                plural(
                    c.nonfinite.len(),
                    "value is 0, infinite or NaN",
                    "values are 0, infinite or NaN"
                ),
                first.quantity,
                first.entry,
                first.float
            ));
        }
        let wrong: Vec<String> = c
            .wrong_verdicts()
            .map(|v| {
                format!(
                    "{} (floats say {}, certified {})",
                    v.claim,
                    if v.float_holds { "holds" } else { "fails" },
                    v.certified.name()
                )
            })
            .collect();
        if !wrong.is_empty() {
            parts.push(format!(
                "{}: {}",
                plural(wrong.len(), "wrong verdict", "wrong verdicts"),
                wrong.join(", ")
            ));
        }
        write!(
            out,
            "{name} gets this case qualitatively wrong: {}.",
            parts.join("; ")
        )
        .unwrap();
    } else {
        write!(
            out,
            "{name} gets this case right qualitatively: no lost or invented ties, no 0, \
             infinity or NaN where the exact value is positive, and {} decided as certified.",
            plural(c.verdicts.len(), "claim", "claims")
        )
        .unwrap();
    }
    if let Some((quantity, e)) = largest_rel(c) {
        write!(
            out,
            " Largest relative error: {} ({quantity} at {}).",
            short(e.rel.as_ref().expect("max_rel has rel")),
            e.entry
        )
        .unwrap();
    }
    out
}

/// The one-paragraph verdict over all arithmetics.
pub fn verdict_paragraph(comparisons: &[ArithComparison]) -> String {
    comparisons
        .iter()
        .map(verdict_sentence)
        .collect::<Vec<_>>()
        .join(" ")
}

fn tie_line(kind: &str, t: &TieFailure) -> String {
    if kind == "lost tie" {
        format!(
            "lost tie: {} and {} tie exactly at reward {}; floats give {} and {} \
             ({} tied outcomes split into {} float classes)",
            seq(&t.outcomes[0]),
            seq(&t.outcomes[1]),
            t.exact_rewards[0],
            t.float_rewards[0],
            t.float_rewards[1],
            t.members,
            t.parts
        )
    } else {
        format!(
            "invented tie: {} and {} tie in floats at {}; exactly their rewards are {} and {} \
             ({} outcomes of {} exact classes merged)",
            seq(&t.outcomes[0]),
            seq(&t.outcomes[1]),
            t.float_rewards[0],
            t.exact_rewards[0],
            t.exact_rewards[1],
            t.members,
            t.parts
        )
    }
}

fn error_table(c: &ArithComparison, markdown: bool) -> String {
    let mut out = String::new();
    let rows: Vec<[String; 6]> = c
        .quantities
        .iter()
        .map(|q| {
            let cell = |e: &Option<EntryError>, rel: bool| match e {
                None => ("-".to_string(), "-".to_string()),
                Some(e) => (
                    short(if rel {
                        e.rel.as_ref().expect("rel")
                    } else {
                        &e.abs
                    }),
                    e.entry.clone(),
                ),
            };
            let (abs, abs_at) = cell(&q.max_abs, false);
            let (rel, rel_at) = cell(&q.max_rel, true);
            let entries = if q.finite_entries == q.entries {
                q.entries.to_string()
            } else {
                format!("{} ({} finite)", q.entries, q.finite_entries)
            };
            [q.name.to_string(), entries, abs, abs_at, rel, rel_at]
        })
        .collect();
    let header = [
        "quantity",
        "entries",
        "max abs error",
        "at",
        "max rel error",
        "at",
    ];
    if markdown {
        writeln!(out, "| {} |", header.join(" | ")).unwrap();
        writeln!(out, "|{}", "---|".repeat(header.len())).unwrap();
        for r in &rows {
            writeln!(
                out,
                "| {} |",
                r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            )
            .unwrap();
        }
    } else {
        let widths: Vec<usize> = (0..header.len())
            .map(|i| {
                rows.iter()
                    .map(|r| r[i].len())
                    .chain([header[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        };
        writeln!(out, "  {}", line(&header.map(String::from))).unwrap();
        for r in &rows {
            writeln!(out, "  {}", line(r)).unwrap();
        }
    }
    out
}

fn failure_lines(c: &ArithComparison) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(c.lost_ties.iter().map(|t| tie_line("lost tie", t)));
    lines.extend(c.invented_ties.iter().map(|t| tie_line("invented tie", t)));
    lines.extend(c.nonfinite.iter().map(|n| {
        format!(
            "{}: {} at {} is {} in floats; exact {}",
            if n.kind == Degenerate::Zero {
                "underflow"
            } else {
                "non-finite"
            },
            n.quantity,
            n.entry,
            n.float,
            n.exact
        )
    }));
    lines.extend(c.wrong_verdicts().map(|v| {
        format!(
            "wrong verdict: {}: floats say {} ({}); certified {} ({})",
            v.claim,
            if v.float_holds { "holds" } else { "fails" },
            v.float_detail,
            v.certified.name(),
            evidence_text(&v.certified_evidence)
        )
    }));
    lines
}

/// Terminal output: the case, then per arithmetic its sentence, failures and error table.
pub fn text(exact: &ExactSide, comparisons: &[ArithComparison]) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "case: {}{}",
        case_line(&exact.case),
        tilt_flags(&exact.tilt)
    )
    .unwrap();
    for c in comparisons {
        writeln!(out, "\n{}", verdict_sentence(c)).unwrap();
        for line in failure_lines(c) {
            writeln!(out, "  {line}").unwrap();
        }
        out.push_str(&error_table(c, false));
    }
    out
}

/// A Markdown table cell: `|` escaped (`KL(pi_N || p)` would end the cell), line breaks
/// turned into spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown report: a one-paragraph verdict, then the tables.
pub fn markdown(name: &str, exact: &ExactSide, comparisons: &[ArithComparison]) -> String {
    let mut out = String::new();
    writeln!(out, "# Float against exact: {name}\n").unwrap();
    writeln!(out, "{}\n", verdict_paragraph(comparisons)).unwrap();
    writeln!(
        out,
        "Case: `{}{}`\n",
        crate::report::case_line_full(&exact.case),
        tilt_flags(&exact.tilt)
    )
    .unwrap();
    writeln!(
        out,
        "Errors are exact: `|float - exact|` as a rational against rational values (pi, W), \
         and an enclosure known to 2^-20 relative width against values with logarithms. Sizes \
         show 3 digits (exact ones truncated, enclosed ones as their upper end); the JSON output has \
         every digit.\n"
    )
    .unwrap();
    for c in comparisons {
        writeln!(out, "## {}\n", c.arith.name()).unwrap();
        out.push_str(&error_table(c, true));
        let failures = failure_lines(c);
        if !failures.is_empty() {
            writeln!(out, "\nQualitative failures:\n").unwrap();
            for line in failures {
                writeln!(out, "- {line}").unwrap();
            }
        }
        if !c.verdicts.is_empty() {
            writeln!(
                out,
                "\n| claim | certified | certified evidence | floats | float values |\n|---|---|---|---|---|"
            )
            .unwrap();
            for v in &c.verdicts {
                writeln!(
                    out,
                    "| {} | {} | {} | {}{} | {} |",
                    cell(&v.claim),
                    v.certified.name(),
                    cell(&evidence_text(&v.certified_evidence)),
                    if v.float_holds { "holds" } else { "fails" },
                    if v.is_wrong() { " (**wrong**)" } else { "" },
                    cell(&v.float_detail)
                )
                .unwrap();
            }
        }
        writeln!(out).unwrap();
    }
    out
}
