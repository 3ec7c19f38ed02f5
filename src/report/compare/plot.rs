//! The SVG of maximum relative error against precision.

use super::*;
use crate::report::svg::{Figure, FigureSize, Line, Marker, Panel, Scale, Series, Style};

/// `log10` of an error's upper end, for the chart; `None` for a zero error.
fn log10_upper(a: &Amount) -> Option<f64> {
    if a.is_zero() {
        return None;
    }
    let upper = a.upper();
    // log2 via the exponent keeps tiny errors (below f64's range) plottable.
    let (mantissa, exponent) = upper.to_f64_exp();
    Some((mantissa.log2() + exponent as f64) * std::f64::consts::LOG10_2)
}

/// A quantity's name as a panel heading.
fn heading(quantity: &str) -> &str {
    match quantity {
        "reward" => "reward r(y)",
        "pi" => "π_N(y)",
        "kl" => "KL(π_N ‖ p)",
        "kl_formula" => "log N − (N − 1)/N",
        "win_rate" => "win rate W",
        "log_inv_eps" => "log(1/ε_∞)",
        "estimator" => "E_{π}[d_N(p(y))]",
        "tilt" => "tilt T(q, p, α)",
        "tilt_composed" => "T(q, T(q, p, α), β)",
        "tilt_summed" => "T(q, p, α + β)",
        other => other,
    }
}

/// Maximum relative error against precision, one panel per quantity (each on its own decade
/// scale, so an outlier in one does not squash the others): the MPFR runs as a line, f64 as a
/// square at 53 bits, points of runs that lose or invent ties labelled. A quantity every run
/// computes exactly gets a panel that says so. Series keys are `mpfr: NAME` and `f64: NAME`.
pub fn plot(
    name: &str,
    caption: &str,
    comparisons: &[ArithComparison],
    size: FigureSize,
) -> Figure {
    let mut mpfr: Vec<&ArithComparison> = comparisons
        .iter()
        .filter(|c| matches!(c.arith, Arith::Mpfr(_)))
        .collect();
    mpfr.sort_by_key(|c| c.arith.precision());
    let names: Vec<&'static str> = comparisons
        .first()
        .map(|c| c.quantities.iter().map(|q| q.name).collect())
        .unwrap_or_default();
    let point = |c: &ArithComparison, quantity: &str| {
        c.quantity(quantity)
            .and_then(|q| q.max_rel.as_ref())
            .and_then(|e| e.rel.as_ref())
            .and_then(log10_upper)
            .map(|y| (c.arith.precision() as f64, y))
    };
    let tie_note = |c: &ArithComparison| match (c.lost_ties.is_empty(), c.invented_ties.is_empty())
    {
        (false, _) => Some("ties lost"),
        (true, false) => Some("ties invented"),
        _ => None,
    };
    let f64_run = comparisons.iter().find(|c| c.arith == Arith::F64);
    let panels: Vec<Panel> = names
        .iter()
        .map(|quantity| {
            let runs: Vec<&ArithComparison> = mpfr
                .iter()
                .copied()
                .filter(|c| point(c, quantity).is_some())
                .collect();
            let mut series = vec![Series {
                name: "MPFR at P bits".into(),
                key: format!("mpfr: {quantity}"),
                points: runs.iter().filter_map(|c| point(c, quantity)).collect(),
                style: Style {
                    colour: 0,
                    line: Line::Solid,
                    marker: Marker::Circle,
                },
                labels: if *quantity == "pi" {
                    runs.iter()
                        .enumerate()
                        .filter_map(|(i, c)| tie_note(c).map(|t| (i, t.to_string())))
                        .collect()
                } else {
                    Vec::new()
                },
                ..Default::default()
            }];
            if let Some(p) = f64_run.and_then(|c| point(c, quantity)) {
                series.push(Series {
                    name: "f64".into(),
                    key: format!("f64: {quantity}"),
                    points: vec![p],
                    style: Style {
                        colour: 1,
                        line: Line::None,
                        marker: Marker::Square,
                    },
                    labels: if *quantity == "pi" {
                        f64_run
                            .and_then(tie_note)
                            .map(|t| vec![(0, t.to_string())])
                            .unwrap_or_default()
                    } else {
                        Vec::new()
                    },
                    ..Default::default()
                });
            }
            Panel {
                title: heading(quantity).into(),
                x_label: "precision (bits)".into(),
                y_label: "max relative error".into(),
                y_scale: Scale::Decades,
                series,
                empty_note: "exact at every precision: no rounding error".into(),
                ..Default::default()
            }
        })
        .collect();
    Figure {
        title: format!("{name}: largest relative error against precision"),
        caption: format!("{caption}; each panel on its own scale"),
        columns: if panels.len() <= 4 { 2 } else { 3 },
        panels,
        size,
    }
}
