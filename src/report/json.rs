//! JSON output for scripts. Exact values are strings `a/b` in lowest terms.

use serde_json::{json, Value};

use crate::casefile::Mismatch;
use crate::exact::decimal::scientific;
use crate::law::{LawTable, Outcome, Summary};
use crate::model::Case;
use crate::report::schema::Schema;

fn case_json(case: &Case) -> Value {
    crate::report::case_record::CaseRecord::of(case, &crate::tilt::TiltParams::default()).to_json()
}

fn outcome_json(outcome: &Outcome) -> Value {
    match outcome {
        Outcome::Sequence(s) => json!({ "sequence": s }),
        Outcome::Type { counts, sequences } => {
            json!({ "counts": counts, "sequences": sequences.to_string() })
        }
    }
}

/// The whole law: `{"case", "by", "backend", "classes", "law": [...], "marginals", "total"}`.
pub fn law(case: &Case, table: &LawTable, expected: Option<(usize, &[Mismatch])>) -> Value {
    let rows: Vec<Value> = table
        .outcomes
        .iter()
        .enumerate()
        .map(|(o, outcome)| {
            let mut row = outcome_json(outcome);
            row["p"] = json!(table.p[o].to_string());
            row["pi"] = json!(table.pi[o].to_string());
            row
        })
        .collect();
    let margins: Vec<Vec<String>> = table
        .marginals()
        .iter()
        .map(|row| row.iter().map(|q| q.to_string()).collect())
        .collect();
    let mut out = Schema::Law.stamp(json!({
        "case": case_json(case),
        "by": table.route.name(),
        "backend": table.backend,
        "classes": table.classes.len(),
        "law": rows,
        "marginals": margins,
        "total": table.total().to_string(),
    }));
    if let Some((checked, mismatches)) = expected {
        out["expected"] = expected_json(checked, mismatches);
    }
    out
}

/// The expected-value check: how many were compared, which differ.
pub fn expected_json(checked: usize, mismatches: &[Mismatch]) -> Value {
    json!({
        "checked": checked,
        "mismatches": mismatches.iter().map(|m| json!({
            "what": m.what,
            "expected": m.expected.to_string(),
            "computed": m.computed.as_ref().map(|q| q.to_string()),
        })).collect::<Vec<_>>(),
    })
}

/// `law --summary --json`.
pub fn summary(case: &Case, summary: &Summary) -> Value {
    Schema::LawSummary.stamp(json!({
        "case": case_json(case),
        "by": summary.route.name(),
        "outcomes": summary.outcome_count,
        "classes": summary.class_count,
        "total_is_one": summary.total_is_one,
        "top": outcome_json(&summary.top),
        "top_class_size": summary.top_class.len(),
        "top_p": summary.top_p.to_string(),
        "top_pi_decimal": scientific(&summary.top_pi, 20),
        "top_pi_bits": [summary.top_pi.numer().significant_bits(), summary.top_pi.denom().significant_bits()],
    }))
}
