//! Plain-text output for people.

use std::fmt::Write;

use rug::Rational;

use crate::casefile::Mismatch;
use crate::exact::decimal::scientific;
use crate::law::{LawTable, Outcome, Route, Summary};
use crate::model::{Case, TieBreak};
use crate::report::case_line;

/// The whole law: a K x K table for m = 2 (rows y_2, columns y_1, as in 003's Table 1),
/// otherwise one line per outcome; then marginals per position and the exact total.
pub fn law(case: &Case, table: &LawTable, full: bool) -> String {
    let mut out = String::new();
    let unit = if table.route == Route::Type {
        "types"
    } else {
        "sequences"
    };
    writeln!(out, "case: {}", case_line(case)).unwrap();
    let ranks = if case.tie_break == TieBreak::Uniform {
        "reward classes".to_string()
    } else {
        format!(
            "ranks: reward refined by the {} tie-break",
            case.tie_break.name()
        )
    };
    writeln!(
        out,
        "law by {} ({} {unit}, {} {ranks}), exact, backend {}",
        table.route.name(),
        table.outcomes.len(),
        table.classes.len(),
        table.backend
    )
    .unwrap();
    writeln!(out).unwrap();
    if table.m == 2 && table.outcomes.len() <= LAW_ROWS {
        pair_table(&mut out, table);
    } else {
        outcome_lines(&mut out, table, full);
    }
    writeln!(out).unwrap();
    let margins = table.marginals();
    if table.route == Route::Type {
        writeln!(
            out,
            "marginal at every position (the law by type is exchangeable):"
        )
        .unwrap();
        writeln!(out, "  {}", letter_values(&margins[0])).unwrap();
    } else {
        writeln!(out, "marginals per position:").unwrap();
        for (j, row) in margins.iter().enumerate() {
            writeln!(out, "  y_{}: {}", j + 1, letter_values(row)).unwrap();
        }
    }
    let total = table.total();
    let verdict = if total == 1 { "exactly 1" } else { "NOT 1" };
    writeln!(out, "total: {total} ({verdict})").unwrap();
    out
}

fn letter_values(values: &[Rational]) -> String {
    values
        .iter()
        .enumerate()
        .map(|(a, v)| format!("{a}: {v}"))
        .collect::<Vec<_>>()
        .join("  ")
}

fn pair_table(out: &mut String, table: &LawTable) {
    let k = table.k as u32;
    let cells: Vec<Vec<String>> = (0..k)
        .map(|y2| {
            (0..k)
                .map(|y1| {
                    table
                        .pi_of_sequence(&[y1, y2])
                        .map(|q| q.to_string())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let width = cells
        .iter()
        .flatten()
        .map(String::len)
        .max()
        .unwrap_or(1)
        .max(6);
    writeln!(out, "pi_N(y_1, y_2): rows y_2, columns y_1").unwrap();
    write!(out, "{:8}", "").unwrap();
    for y1 in 0..k {
        write!(out, "  {:>width$}", format!("y_1={y1}")).unwrap();
    }
    writeln!(out).unwrap();
    for (y2, row) in cells.iter().enumerate() {
        write!(out, "{:8}", format!("y_2={y2}")).unwrap();
        for cell in row {
            write!(out, "  {cell:>width$}").unwrap();
        }
        writeln!(out).unwrap();
    }
}

/// Laws with more outcomes than this print their first rows and say how many are left out
/// (`law --full` prints every one).
pub const LAW_ROWS: usize = 64;

/// How many rows a summarised law shows.
const LAW_ROWS_SHOWN: usize = 24;

fn outcome_lines(out: &mut String, table: &LawTable, full: bool) {
    let summarised = !full && table.outcomes.len() > LAW_ROWS;
    // Summarised, a value of thousands of digits is shown by its leading digits and size.
    let value = |q: &Rational| {
        if summarised {
            crate::exact::decimal::brief(q)
        } else {
            q.to_string()
        }
    };
    for (o, outcome) in table.outcomes.iter().enumerate() {
        if summarised && o == LAW_ROWS_SHOWN {
            writeln!(
                out,
                "... {} more outcomes (--full prints every row; --json gives every value)",
                table.outcomes.len() - LAW_ROWS_SHOWN
            )
            .unwrap();
            break;
        }
        match outcome {
            Outcome::Sequence(_) => writeln!(
                out,
                "{}  p = {}  pi = {}",
                outcome.label(),
                value(&table.p[o]),
                value(&table.pi[o])
            )
            .unwrap(),
            Outcome::Type { sequences, .. } => writeln!(
                out,
                "type {}  ({sequences} sequence{})  p = {}  pi = {}",
                outcome.label(),
                if *sequences == 1 { "" } else { "s" },
                value(&table.p[o]),
                value(&table.pi[o])
            )
            .unwrap(),
        }
    }
}

/// `--summary`: sizes, the exact total, and the top outcome's pi as a truncated decimal.
pub fn summary(case: &Case, summary: &Summary) -> String {
    let mut out = String::new();
    let unit = if summary.route == Route::Type {
        "types"
    } else {
        "sequences"
    };
    writeln!(out, "case: {}", case_line(case)).unwrap();
    writeln!(
        out,
        "{} {unit}, {} reward classes",
        summary.outcome_count, summary.class_count
    )
    .unwrap();
    writeln!(
        out,
        "exact total: {}",
        if summary.total_is_one {
            "1 (checked exactly)"
        } else {
            "NOT 1"
        }
    )
    .unwrap();
    let others = summary.top_class.len() - 1;
    let tied = if others > 0 {
        format!(" (tied with {others} more)")
    } else {
        String::new()
    };
    writeln!(
        out,
        "top {}: {}{tied}",
        &unit[..unit.len() - 1],
        summary.top.label()
    )
    .unwrap();
    writeln!(out, "  p  = {} (truncated)", scientific(&summary.top_p, 20)).unwrap();
    writeln!(
        out,
        "  pi = {} (truncated; exact value: a {}-bit numerator over a {}-bit denominator)",
        scientific(&summary.top_pi, 20),
        summary.top_pi.numer().significant_bits(),
        summary.top_pi.denom().significant_bits()
    )
    .unwrap();
    out
}

/// Result of comparing a case file's expected values.
pub fn expected_check(checked: usize, mismatches: &[Mismatch]) -> String {
    if mismatches.is_empty() {
        format!("expected values: {checked} checked, all match\n")
    } else {
        let mut out = format!(
            "expected values: {} of {checked} DIFFER:\n",
            mismatches.len()
        );
        for m in mismatches {
            writeln!(out, "  {m}").unwrap();
        }
        out
    }
}

/// `40 s`, `3 min`, `2.5 h`: a duration as a person says it.
pub fn duration_words(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 5400.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}
