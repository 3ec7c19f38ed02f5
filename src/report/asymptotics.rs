//! `bestofn asymptotics`: the table, the JSON and the plot against m.

use std::fmt::Write;

use serde_json::{json, Value as Json};

use crate::enclosure::Interval;
use crate::report::schema::Schema;
use crate::report::svg::{LinePlot, Series};
use crate::tilt::asymptotics::Asymptotics;

/// The midpoint of an enclosure as a float, for pictures only.
pub fn midpoint(i: &Interval) -> f64 {
    (i.lo().to_f64() + i.hi().to_f64()) / 2.0
}

/// An enclosure in JSON: its midpoint as a decimal string, and both ends in full.
pub fn interval_json(i: &Interval) -> Json {
    json!({
        "value": format!("{:.12e}", midpoint(i)),
        "lo": i.decimal_ends(None).0,
        "hi": i.decimal_ends(None).1,
    })
}

fn short(i: &Interval) -> String {
    format!("{:.6}", midpoint(i))
}

/// The measured rows as a table for people.
pub fn text(a: &Asymptotics) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "delta = {} (per letter); alpha(delta) in [{}, {}]",
        a.delta,
        crate::exact::decimal::scientific(&a.alpha.lo, 13),
        crate::exact::decimal::scientific(&a.alpha.hi, 13)
    )
    .unwrap();
    let phi: Vec<String> = a.phi_delta.iter().map(short).collect();
    writeln!(out, "phi_delta = ({})", phi.join(", ")).unwrap();
    writeln!(
        out,
        "N = round(exp(m delta)), nearest integer; values are midpoints of enclosures at {} bits (--json gives both ends)",
        a.prec
    )
    .unwrap();
    writeln!(
        out,
        "{:>4} {:>12} {:>9} {:>14} {:>11} {:>12} {:>12}  expected type",
        "m", "N", "route", "KL/m", "TV(type)", "E r/m (BoN)", "E r (phi)"
    )
    .unwrap();
    for r in &a.rows {
        let t: Vec<String> = r
            .expected_type
            .iter()
            .map(|x| format!("{:.4}", midpoint(x)))
            .collect();
        writeln!(
            out,
            "{:>4} {:>12} {:>9} {:>14} {:>11} {:>12} {:>12}  ({})",
            r.m,
            r.n,
            r.route,
            crate::exact::decimal::positional(&format!("{:.6e}", midpoint(&r.kl_per_letter))),
            short(&r.type_distance),
            short(&r.reward_bon),
            short(&r.reward_phi),
            t.join(", ")
        )
        .unwrap();
    }
    out
}

/// Every enclosure with both ends (rounded outward), for scripts; `case` is the case's JSON
/// (p, q and delta).
pub fn json(a: &Asymptotics, case: Json) -> Json {
    Schema::Asymptotics.stamp(json!({
        "case": case,
        "delta": a.delta.to_string(),
        "alpha": {"lo": a.alpha.lo.to_string(), "hi": a.alpha.hi.to_string(),
                  "value": crate::exact::decimal::scientific(&a.alpha.lo, 13)},
        "phi_delta": a.phi_delta.iter().map(interval_json).collect::<Vec<_>>(),
        "n_rounding": "N = round(exp(m delta)) to the nearest integer, at least 1",
        "prec": a.prec,
        "rows": a.rows.iter().map(|r| json!({
            "m": r.m,
            "n": r.n,
            "route": r.route,
            "kl_per_letter": interval_json(&r.kl_per_letter),
            "expected_type": r.expected_type.iter().map(interval_json).collect::<Vec<_>>(),
            "type_distance": interval_json(&r.type_distance),
            "reward_per_letter_bon": interval_json(&r.reward_bon),
            "reward_per_letter_phi": interval_json(&r.reward_phi),
        })).collect::<Vec<_>>(),
    }))
}

/// Names of the plotted series (the test reads them back).
pub const SERIES_KL: &str = "(1/m) KL(pi_N^m || phi_delta^m)";
/// The series name of the type's total variation distance to phi_delta.
pub const SERIES_TV: &str = "TV(E type, phi_delta)";

/// An SVG of (1/m) KL and the type distance against m.
pub fn plot(a: &Asymptotics) -> String {
    let points = |f: &dyn Fn(&crate::tilt::asymptotics::Row) -> f64| {
        a.rows
            .iter()
            .map(|r| (r.m as f64, f(r)))
            .collect::<Vec<_>>()
    };
    LinePlot {
        title: format!(
            "Best-of-N against phi_delta, N = round(exp(m delta)), delta = {}",
            a.delta
        ),
        x_label: "m (sequence length)".into(),
        y_label: "per-letter KL / type distance".into(),
        series: vec![
            Series {
                name: SERIES_KL.into(),
                points: points(&|r| midpoint(&r.kl_per_letter)),
                markers: a.rows.len() <= 60,
                ..Default::default()
            },
            Series {
                name: SERIES_TV.into(),
                points: points(&|r| midpoint(&r.type_distance)),
                markers: a.rows.len() <= 60,
                ..Default::default()
            },
        ],
    }
    .render()
}
