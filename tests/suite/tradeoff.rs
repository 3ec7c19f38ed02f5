//! Trade-off curves against closed forms on two letters, the tilt's optimality, and the SVG
//! points against the JSON.

use bestofn::enclosure::{Interval, PrecisionPolicy};
use bestofn::law::Route;
use bestofn::report::asymptotics::midpoint;
use bestofn::report::svg::read_series;
use bestofn::report::tradeoff::{json, plot_reward, plot_win_rate, SERIES_BON, SERIES_TILT};
use bestofn::tilt::tradeoff::tradeoff;
use rug::{Integer, Rational};
use serde_json::json as j;

use crate::common::case;

#[test]
fn two_letters_match_their_closed_forms() {
    // p = (1/2, 1/2), r = (0, 1): pi_N(1) = t = 1 - 2^-N. On two letters the tilt with the
    // same KL is pi_N itself: T(1) = t, alpha = ln(t / (1 - t)) = ln(2^N - 1), E r = t, and
    // both win rates are t (3/4) + (1 - t)(1/4) = 1/4 + t/2.
    let c = case("1/2,1/2", "additive:0,1", 1, 1, "uniform");
    let t = tradeoff(&c, Route::Type, 8, PrecisionPolicy::default(), 96, &|| {}).unwrap();
    assert_eq!(t.rows.len(), 8);
    assert!(t.reward_reference.contains(&Rational::from((1, 2))));
    for row in &t.rows[1..] {
        let n = row.n as u32;
        let top = Rational::from(1) - Rational::from((1, Integer::from(1) << n));
        let win = Rational::from((1, 4)) + Rational::from(&top / 2u32);
        assert!(row.reward_bon.contains(&top), "N = {n}");
        assert_eq!(row.win_rate_bon, win, "N = {n}");
        let tilt = row.tilt.as_ref().expect("a finite alpha");
        assert!((midpoint(&tilt.reward) - top.to_f64()).abs() < 1e-15);
        assert!((midpoint(&tilt.win_rate) - win.to_f64()).abs() < 1e-15);
        let alpha = Interval::ln_of(&Rational::from((Integer::from(1) << n) - 1u32), 128).unwrap();
        let bracket = Interval::between(&tilt.alpha.lo, &tilt.alpha.hi, 128);
        assert!(
            bracket.lo() <= alpha.hi() && alpha.lo() <= bracket.hi(),
            "N = {n}: {bracket} vs ln(2^N - 1) = {alpha}"
        );
    }
    // N = 1: KL 0, the tilt is p (alpha 0), W* = 1/2.
    assert!(t.rows[0].tilt.is_none() && t.rows[0].note.is_none());
    assert!(t.rows[0].kl.contains(&Rational::new()));
}

#[test]
fn the_tilt_earns_at_least_best_of_n_at_the_same_kl_and_w_star_bounds_both_win_rates() {
    let c = case("1/5,3/10,1/2", "log:2/3,1/9,2/9", 2, 1, "uniform");
    let t = tradeoff(&c, Route::Type, 40, PrecisionPolicy::default(), 64, &|| {}).unwrap();
    for row in t.rows.iter().filter(|r| r.n > 1) {
        let tilt = row.tilt.as_ref().unwrap();
        // Lemma 1: the tilt is the reward optimum within its KL.
        assert!(tilt.reward.lo() >= row.reward_bon.lo(), "N = {}", row.n);
        // Conjecture 7.2 (a theorem on discrete cases): W <= W*.
        let w_star = row.w_star.as_ref().unwrap();
        assert!(*w_star.hi() >= row.win_rate_bon.to_f64(), "N = {}", row.n);
        assert!(w_star.hi() >= tilt.win_rate.lo(), "N = {}", row.n);
    }
}

#[test]
fn the_plots_carry_the_json_data() {
    let c = case("1/5,3/10,1/2", "log:2/3,1/9,2/9", 1, 1, "uniform");
    let t = tradeoff(&c, Route::Type, 12, PrecisionPolicy::default(), 64, &|| {}).unwrap();
    let data = json(&t, j!({}));
    let rows = data["rows"].as_array().unwrap();
    let value = |v: &serde_json::Value| -> f64 { v["value"].as_str().unwrap().parse().unwrap() };
    // Pixels are written to 1/1000 px: about 1e-6 of the axis span.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-4 * b.abs().max(1e-2);
    let reward_svg = plot_reward(&t, "", Default::default()).unwrap();
    let bon = read_series(&reward_svg, SERIES_BON).unwrap();
    assert_eq!(bon.len(), rows.len());
    for (point, row) in bon.iter().zip(rows) {
        assert!(close(point.0, value(&row["kl"])), "{point:?}");
        assert!(close(point.1, value(&row["reward_bon"])), "{point:?}");
    }
    let tilt = read_series(&reward_svg, SERIES_TILT).unwrap();
    // The tilt's curve starts at (0, E_p r), then one point per N > 1.
    assert_eq!(tilt.len(), rows.len());
    for (point, row) in tilt[1..].iter().zip(&rows[1..]) {
        assert!(close(point.1, value(&row["tilt"]["reward"])), "{point:?}");
    }
    let win_svg = plot_win_rate(&t, "", Default::default()).unwrap();
    let bon = read_series(&win_svg, SERIES_BON).unwrap();
    for (point, row) in bon.iter().zip(rows) {
        assert!(close(point.1, value(&row["win_rate_bon"])), "{point:?}");
    }
}
