//! The SVG of maximum relative error against precision.

use super::*;
use crate::report::svg::{LinePlot, Series};

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

/// Maximum relative error per quantity against precision: one line per quantity over the MPFR
/// runs, one marker per quantity for f64 (at 53 bits). Zero errors are not drawn.
pub fn plot(name: &str, comparisons: &[ArithComparison]) -> LinePlot {
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
    let mut series: Vec<Series> = names
        .iter()
        .enumerate()
        .map(|(colour, quantity)| Series {
            name: format!("mpfr: {quantity}"),
            points: mpfr.iter().filter_map(|c| point(c, quantity)).collect(),
            markers: true,
            colour: Some(colour),
            ..Default::default()
        })
        .filter(|s| !s.points.is_empty())
        .collect();
    if let Some(f64_run) = comparisons.iter().find(|c| c.arith == Arith::F64) {
        // One colour per quantity, shared with its MPFR line; f64 as an open square.
        series.extend(names.iter().enumerate().filter_map(|(colour, quantity)| {
            point(f64_run, quantity).map(|p| Series {
                name: format!("f64: {quantity}"),
                points: vec![p],
                markers: true,
                squares_only: true,
                colour: Some(colour),
            })
        }));
    }
    LinePlot {
        title: format!("{name}: maximum relative error against precision"),
        x_label: "precision (bits)".into(),
        y_label: "log10 max relative error".into(),
        series,
    }
}
