//! `bestofn asymptotics`: the table, the JSON and the plot against m.

use std::fmt::Write;

use serde_json::{json, Value as Json};

use crate::enclosure::Interval;
use crate::error::Result;
use crate::report::schema::Schema;
use crate::report::svg::{Figure, FigureSize, Line, Mark, Marker, Panel, Scale, Series, Style};
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
pub const SERIES_KL: &str = "(1/m) KL(π_N^m ‖ φ_δ^m)";
/// The series name of the type's total variation distance to phi_delta.
pub const SERIES_TV: &str = "TV(E[type], φ_δ)";

/// The two quantities against m, each in its own panel on a decade scale (Theorem 2's decay
/// spans decades), with a mark where the laws stop being exact and become enclosures.
/// `caption` describes the case.
pub fn plot(a: &Asymptotics, caption: &str, size: FigureSize) -> Result<String> {
    let decades = |f: &dyn Fn(&crate::tilt::asymptotics::Row) -> f64| {
        a.rows
            .iter()
            .map(|r| (r.m as f64, f(r).log10()))
            .collect::<Vec<_>>()
    };
    let marks: Vec<Mark> = a
        .rows
        .windows(2)
        .find(|w| w[0].route == "exact" && w[1].route != "exact")
        .map(|w| Mark {
            x: (w[0].m as f64 + w[1].m as f64) / 2.0,
            label: format!("m ≥ {}: enclosed laws", w[1].m),
        })
        .into_iter()
        .collect();
    let markers = if a.rows.len() <= 60 {
        Marker::Circle
    } else {
        Marker::None
    };
    let panel = |title: &str, name: &str, colour: usize, points| Panel {
        title: title.into(),
        x_label: "m (sequence length)".into(),
        y_label: "value (log scale)".into(),
        y_scale: Scale::Decades,
        series: vec![Series {
            name: name.into(),
            points,
            style: Style {
                colour,
                line: Line::Solid,
                marker: markers,
            },
            ..Default::default()
        }],
        marks: marks.clone(),
        ..Default::default()
    };
    Figure {
        title: format!(
            "Best-of-N against φ_δ (Yang et al., Theorem 2): N = round(exp(mδ)), δ = {}",
            a.delta
        ),
        caption: caption.into(),
        panels: vec![
            panel(
                "per-letter KL to the optimum",
                SERIES_KL,
                0,
                decades(&|r| midpoint(&r.kl_per_letter)),
            ),
            panel(
                "total variation of the expected type to φ_δ",
                SERIES_TV,
                1,
                decades(&|r| midpoint(&r.type_distance)),
            ),
        ],
        columns: 1,
        size,
    }
    .render()
}
