//! `bestofn tradeoff`: the table, the JSON and the two charts (reward against KL, win rate
//! against KL) of best-of-N and the matched optimal tilt.

use std::fmt::Write;

use serde_json::{json, Value as Json};

use crate::exact::decimal::scientific;
use crate::report::asymptotics::{interval_json, midpoint};
use crate::report::schema::Schema;
use crate::report::svg::{LinePlot, Series};
use crate::tilt::tradeoff::{MatchedTilt, Tradeoff, TradeoffRow};

/// Names of the plotted series (tests read them back).
pub const SERIES_BON: &str = "best-of-N";
/// The tilt curve's series name.
pub const SERIES_TILT: &str = "optimal tilt (same KL)";
/// The W* line's series name.
pub const SERIES_W_STAR: &str = "continuous optimum W*";

/// The trade-off table for people.
pub fn text(t: &Tradeoff, case_line: &str) -> String {
    let mut out = String::new();
    writeln!(out, "case: {case_line}").unwrap();
    writeln!(
        out,
        "E_p r = {:.6}; rows: best-of-N (exact law) and the optimal tilt with the same KL (alpha bracketed); values are midpoints of enclosures at {} bits (--json gives both ends)",
        midpoint(&t.reward_reference),
        t.prec
    )
    .unwrap();
    writeln!(
        out,
        "{:>6} {:>12} {:>12} {:>12} {:>10} {:>10} {:>10} {:>12}",
        "N", "KL", "E r (BoN)", "E r (tilt)", "W (BoN)", "W (tilt)", "W*", "alpha"
    )
    .unwrap();
    for r in &t.rows {
        let (reward_tilt, win_tilt, alpha) = match &r.tilt {
            Some(m) => (
                format!("{:.6}", midpoint(&m.reward)),
                format!("{:.6}", midpoint(&m.win_rate)),
                scientific(&m.alpha.lo, 6),
            ),
            None if r.note.is_none() => ("= BoN".into(), "= BoN".into(), "0".into()),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let w_star = r
            .w_star
            .as_ref()
            .map_or("-".into(), |w| format!("{:.6}", midpoint(w)));
        writeln!(
            out,
            "{:>6} {:>12.6e} {:>12.6} {:>12} {:>10.6} {:>10} {:>10} {:>12}{}",
            r.n,
            midpoint(&r.kl),
            midpoint(&r.reward_bon),
            reward_tilt,
            r.win_rate_bon.to_f64(),
            win_tilt,
            w_star,
            alpha,
            r.note
                .as_ref()
                .map_or(String::new(), |n| format!("  ({n})"))
        )
        .unwrap();
    }
    out
}

fn row_json(r: &TradeoffRow) -> Json {
    json!({
        "n": r.n,
        "kl": interval_json(&r.kl),
        "reward_bon": interval_json(&r.reward_bon),
        "win_rate_bon": {
            "value": format!("{:.12e}", r.win_rate_bon.to_f64()),
            "exact": r.win_rate_bon.to_string(),
        },
        "tilt": r.tilt.as_ref().map(|m| json!({
            "alpha": {"lo": m.alpha.lo.to_string(), "hi": m.alpha.hi.to_string()},
            "reward": interval_json(&m.reward),
            "win_rate": interval_json(&m.win_rate),
        })),
        "w_star": r.w_star.as_ref().map(interval_json),
        "note": r.note,
    })
}

/// `tradeoff --json`.
pub fn json(t: &Tradeoff, case: Json) -> Json {
    Schema::Tradeoff.stamp(json!({
        "case": case,
        "reward_reference": interval_json(&t.reward_reference),
        "prec": t.prec,
        "rows": t.rows.iter().map(row_json).collect::<Vec<_>>(),
    }))
}

/// Best-of-N's points and the matched tilt's curve against KL, the tilt's starting from
/// `(0, at_zero)` (alpha = 0 is p itself).
fn against_kl(
    t: &Tradeoff,
    bon: impl Fn(&TradeoffRow) -> f64,
    tilt: impl Fn(&MatchedTilt) -> f64,
    at_zero: f64,
) -> Vec<Series> {
    let bon: Vec<(f64, f64)> = t.rows.iter().map(|r| (midpoint(&r.kl), bon(r))).collect();
    let tilt: Vec<(f64, f64)> = std::iter::once((0.0, at_zero))
        .chain(
            t.rows
                .iter()
                .filter_map(|r| r.tilt.as_ref().map(|m| (midpoint(&r.kl), tilt(m)))),
        )
        .collect();
    vec![
        Series {
            name: SERIES_BON.into(),
            markers: bon.len() <= 64,
            points: bon,
            ..Default::default()
        },
        Series {
            name: SERIES_TILT.into(),
            markers: false,
            points: tilt,
            ..Default::default()
        },
    ]
}

/// Expected reward against KL: best-of-N's points and the tilt's at the same KL (the tilt's
/// curve lies above: it is the optimum at each budget), both starting from `(0, E_p r)`.
pub fn plot_reward(t: &Tradeoff) -> String {
    LinePlot {
        title: "Expected reward against KL(. || p)".into(),
        x_label: "KL to the reference".into(),
        y_label: "expected reward".into(),
        series: against_kl(
            t,
            |r| midpoint(&r.reward_bon),
            |m| midpoint(&m.reward),
            midpoint(&t.reward_reference),
        ),
    }
    .render()
}

/// Win rate against KL: best-of-N, the tilt at the same KL, and the continuous optimum.
pub fn plot_win_rate(t: &Tradeoff) -> String {
    let mut series = against_kl(
        t,
        |r| r.win_rate_bon.to_f64(),
        |m| midpoint(&m.win_rate),
        0.5,
    );
    let w_star: Vec<(f64, f64)> = std::iter::once((0.0, 0.5))
        .chain(
            t.rows
                .iter()
                .filter(|r| r.n > 1)
                .filter_map(|r| r.w_star.as_ref().map(|w| (midpoint(&r.kl), midpoint(w)))),
        )
        .collect();
    series.push(Series {
        name: SERIES_W_STAR.into(),
        markers: false,
        points: w_star,
        ..Default::default()
    });
    LinePlot {
        title: "Win rate against KL(. || p) (ties half)".into(),
        x_label: "KL to the reference".into(),
        y_label: "win rate against p".into(),
        series,
    }
    .render()
}
