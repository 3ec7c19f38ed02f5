//! `compare --json`: every error with both enclosure ends, the ties, the verdicts.

use serde_json::{json, Value as Json};

use super::*;
use crate::report::schema::Schema;

fn amount_json(a: &Amount) -> Json {
    let (lo, hi) = a.enclosure().decimal_ends(Some(6));
    let mut out = json!({
        "value": short(a),
        "enclosure": {"lo": lo, "hi": hi},
    });
    if let Amount::Exact(r) = a {
        out["exact"] = json!(r.to_string());
    }
    out
}

/// An exact value: `"a/b"`, or an enclosure `{lo, hi}` where it is a logarithm's.
pub fn exact_value_json(v: &ExactDescription) -> Json {
    match v {
        ExactDescription::Rational(r) => json!(r.to_string()),
        ExactDescription::Decimal(d) => json!(d),
        ExactDescription::Enclosure { lo, hi } => json!({"lo": lo, "hi": hi}),
    }
}

fn tie_json(t: &TieFailure) -> Json {
    json!({
        "outcomes": t.outcomes,
        "exact_rewards": t.exact_rewards,
        "float_rewards": t.float_rewards,
        "members": t.members,
        "parts": t.parts,
    })
}

fn entry_json(e: &EntryError) -> Json {
    json!({
        "at": e.entry,
        "abs": amount_json(&e.abs),
        "rel": e.rel.as_ref().map(amount_json),
    })
}

/// One arithmetic's comparison as JSON.
pub fn arith_json(c: &ArithComparison) -> Json {
    let mut max_errors = serde_json::Map::new();
    for q in &c.quantities {
        max_errors.insert(
            q.name.into(),
            json!({
                "entries": q.entries,
                "finite_entries": q.finite_entries,
                "max_abs": q.max_abs.as_ref().map(|e| json!({"at": e.entry, "abs": amount_json(&e.abs)})),
                "max_rel": q.max_rel.as_ref().map(|e| json!({"at": e.entry, "rel": e.rel.as_ref().map(amount_json)})),
            }),
        );
    }
    let verdict_json = |v: &crate::compare::VerdictComparison| {
        json!({
            "claim": v.claim,
            "certified": v.certified.name(),
            "certified_evidence": evidence_json(&v.certified_evidence),
            "certified_prec": v.certified_evidence.prec,
            "float": if v.float_holds { "holds" } else { "fails" },
            "float_detail": v.float_detail,
            "wrong": v.is_wrong(),
        })
    };
    json!({
        "arith": c.arith.name(),
        "precision": c.arith.precision(),
        "qualitatively_wrong": c.is_qualitatively_wrong(),
        "failures": c.failure_kinds(),
        "verdict": verdict_sentence(c),
        "lost_ties": c.lost_ties.iter().map(tie_json).collect::<Vec<_>>(),
        "lost_tie_pi_change": c.lost_tie_pi_change.as_ref().map(entry_json),
        "invented_ties": c.invented_ties.iter().map(tie_json).collect::<Vec<_>>(),
        "invented_tie_pi_change": c.invented_tie_pi_change.as_ref().map(entry_json),
        "nonfinite": c.nonfinite.iter().map(|n| json!({
            "quantity": n.quantity, "at": n.entry, "float": n.float, "kind": n.kind.name(),
            "exact": exact_value_json(&n.exact),
        })).collect::<Vec<_>>(),
        "wrong_verdicts": c.wrong_verdicts().map(verdict_json).collect::<Vec<_>>(),
        "verdicts": c.verdicts.iter().map(verdict_json).collect::<Vec<_>>(),
        "max_errors": max_errors,
    })
}

/// `{"case", "certified", "verdict", "arithmetics": [...]}`.
pub fn json(exact: &ExactSide, comparisons: &[ArithComparison]) -> Json {
    Schema::Compare.stamp(json!({
        "case": case_json(&exact.case, &exact.tilt),
        "certified": exact.certified.iter().map(result_json).collect::<Vec<_>>(),
        "verdict": verdict_paragraph(comparisons),
        "arithmetics": comparisons.iter().map(arith_json).collect::<Vec<_>>(),
    }))
}

/// The Markdown report: the verdict paragraph first, then the tables and failures.
/// [`json`](fn@json) as `compare --json` prints it for a named case, with the case file's expected
/// failures (`(arithmetics checked, lines that differ)`) when it states some.
pub fn json_named(
    name: &str,
    exact: &ExactSide,
    comparisons: &[ArithComparison],
    expected: Option<(usize, &[String])>,
) -> Json {
    let mut value = json(exact, comparisons);
    value["name"] = serde_json::json!(name);
    if let Some((checked, differing)) = expected {
        value["expected_compare"] = serde_json::json!({
            "checked": checked,
            "differing": differing,
        });
    }
    value
}
