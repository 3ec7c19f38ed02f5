//! `bestofn tradeoff`: the table, the JSON and the two charts (reward against KL, win rate
//! against KL) of best-of-N and the matched optimal tilt.

use std::fmt::Write;

use serde_json::{json, Value as Json};

use crate::error::Result;
use crate::exact::decimal::scientific;
use crate::report::asymptotics::{interval_json, midpoint};
use crate::report::schema::Schema;
use crate::report::svg::{Figure, FigureSize, Line, Marker, Panel, Series, Style};
use crate::tilt::tradeoff::{MatchedTilt, Tradeoff, TradeoffRow};

/// Names of the plotted series (tests read them back).
pub const SERIES_BON: &str = "best-of-N";
/// The tilt curve's series name.
pub const SERIES_TILT: &str = "optimal tilt (same KL)";
/// The W* line's series name.
pub const SERIES_W_STAR: &str = "continuous optimum W*";
/// The difference panel's series: the tilt's reward minus best-of-N's.
pub const SERIES_REWARD_GAP: &str = "tilt − best-of-N (reward)";
/// The tilt's win rate minus best-of-N's.
pub const SERIES_WIN_GAP: &str = "tilt − best-of-N (win rate)";
/// W* minus best-of-N's win rate.
pub const SERIES_W_STAR_GAP: &str = "W* − best-of-N";

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

/// Best-of-N's points (labelled with N where there is room) and the matched tilt's curve
/// against KL, the tilt's starting from `(0, at_zero)` (alpha = 0 is p itself). The tilt is
/// drawn first, a solid line; best-of-N on top, dashed with circles, so both stay visible
/// where they coincide.
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
            name: SERIES_TILT.into(),
            points: tilt,
            style: Style {
                colour: 0,
                line: Line::Solid,
                marker: Marker::None,
            },
            ..Default::default()
        },
        Series {
            name: SERIES_BON.into(),
            points: bon,
            style: Style {
                colour: 1,
                line: Line::Dashed,
                marker: Marker::Circle,
            },
            labels: n_labels(t),
            ..Default::default()
        },
    ]
}

/// `N = n` at every best-of-N point (the figure keeps those with room).
fn n_labels(t: &Tradeoff) -> Vec<(usize, String)> {
    t.rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i, format!("N = {}", r.n)))
        .collect()
}

/// The differences `other - best-of-N` at each N with a matched tilt: the gap two nearly
/// coincident curves hide.
fn gap(
    t: &Tradeoff,
    name: &str,
    colour: usize,
    other: impl Fn(&TradeoffRow) -> Option<f64>,
    bon: impl Fn(&TradeoffRow) -> f64,
) -> Series {
    Series {
        name: name.into(),
        points: t
            .rows
            .iter()
            .filter_map(|r| other(r).map(|o| (midpoint(&r.kl), o - bon(r))))
            .collect(),
        style: Style {
            colour,
            line: Line::Solid,
            marker: Marker::Triangle,
        },
        ..Default::default()
    }
}

const KL_LABEL: &str = "KL(π_N ‖ p) (nats)";

/// Expected reward against KL: best-of-N's points and the tilt's at the same KL (the tilt's
/// curve lies above: it is the optimum at each budget), both starting from `(0, E_p r)`; below,
/// the tilt's advantage.
pub fn plot_reward(t: &Tradeoff, caption: &str, size: FigureSize) -> Result<String> {
    Figure {
        title: "Expected reward against KL(· ‖ p): best-of-N and the optimal tilt".into(),
        caption: caption.into(),
        panels: vec![
            Panel {
                x_label: KL_LABEL.into(),
                y_label: "expected reward".into(),
                series: against_kl(
                    t,
                    |r| midpoint(&r.reward_bon),
                    |m| midpoint(&m.reward),
                    midpoint(&t.reward_reference),
                ),
                ..Default::default()
            },
            Panel {
                title: "the tilt's advantage at the same KL".into(),
                x_label: KL_LABEL.into(),
                y_label: "tilt − best-of-N".into(),
                series: vec![gap(
                    t,
                    SERIES_REWARD_GAP,
                    0,
                    |r| r.tilt.as_ref().map(|m| midpoint(&m.reward)),
                    |r| midpoint(&r.reward_bon),
                )],
                empty_note: "no N > 1 with a matched tilt".into(),
                ..Default::default()
            },
        ],
        columns: 1,
        size,
    }
    .render()
}

/// Win rate against KL: best-of-N, the tilt at the same KL, and the continuous optimum; below,
/// how far each lies above best-of-N.
pub fn plot_win_rate(t: &Tradeoff, caption: &str, size: FigureSize) -> Result<String> {
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
    series.insert(
        0,
        Series {
            name: SERIES_W_STAR.into(),
            points: w_star,
            style: Style {
                colour: 2,
                line: Line::Dotted,
                marker: Marker::None,
            },
            ..Default::default()
        },
    );
    let bon = |r: &TradeoffRow| r.win_rate_bon.to_f64();
    Figure {
        title: "Win rate against KL(· ‖ p) (ties count half)".into(),
        caption: caption.into(),
        panels: vec![
            Panel {
                x_label: KL_LABEL.into(),
                y_label: "win rate against p".into(),
                series,
                ..Default::default()
            },
            Panel {
                title: "above best-of-N at the same KL".into(),
                x_label: KL_LABEL.into(),
                y_label: "difference in win rate".into(),
                series: vec![
                    gap(
                        t,
                        SERIES_WIN_GAP,
                        0,
                        |r| r.tilt.as_ref().map(|m| midpoint(&m.win_rate)),
                        bon,
                    ),
                    gap(
                        t,
                        SERIES_W_STAR_GAP,
                        2,
                        |r| (r.n > 1).then(|| r.w_star.as_ref().map(midpoint)).flatten(),
                        bon,
                    ),
                ],
                empty_note: "no N > 1 with a matched tilt".into(),
                ..Default::default()
            },
        ],
        columns: 1,
        size,
    }
    .render()
}
