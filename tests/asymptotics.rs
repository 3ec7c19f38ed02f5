//! Theorem 2 measured: rows against independent values (the klrl-closeness KL at m = 10, the
//! exact law's expected type), N's rounding, and the SVG's points against the JSON.

mod common;

use bestofn::enclosure::PrecisionPolicy;
use bestofn::law::{ExactLaw, LawTable, Route};
use bestofn::model::Pmf;
use bestofn::report::asymptotics::{json, midpoint, plot, SERIES_KL, SERIES_TV};
use bestofn::report::svg::read_series;
use bestofn::tilt::asymptotics::{asymptotics, rounded_exp};
use rug::Rational;

use common::{case, q};

fn figure1(ms: std::ops::RangeInclusive<u32>) -> bestofn::tilt::asymptotics::Asymptotics {
    let p = Pmf::parse("1/5,3/10,1/2").unwrap();
    let qs: Vec<Rational> = ["2/3", "1/9", "2/9"].iter().map(|s| q(s)).collect();
    asymptotics(
        &p,
        &qs,
        &q("0.11"),
        ms,
        PrecisionPolicy::default(),
        96,
        &|_| {},
    )
    .unwrap()
}

#[test]
fn n_is_exp_m_delta_rounded_to_nearest() {
    // exp(1.1) = 3.004, exp(0.44) = 1.55, exp(0.33) = 1.39, exp(2.2) = 9.03, exp(22) = 3584912846.1
    for (x, n) in [
        ("1.1", 3),
        ("0.44", 2),
        ("0.33", 1),
        ("2.2", 9),
        ("22", 3_584_912_846u64),
        ("0", 1),
    ] {
        assert_eq!(
            rounded_exp(&q(x), PrecisionPolicy::default()).unwrap(),
            n,
            "exp({x})"
        );
    }
}

#[test]
fn rows_match_independent_computations() {
    let a = figure1(1..=10);
    assert_eq!(a.rows.len(), 10);
    let row10 = &a.rows[9];
    assert_eq!((row10.m, row10.n), (10, 3));
    // KL(pi_3 || phi^10) = 0.28350169061... (klrl-closeness on cases/figure1-optimum.toml).
    let kl = midpoint(&row10.kl_per_letter) * 10.0;
    assert!((kl - 0.283501690615).abs() < 1e-9, "{kl}");
    // The expected type from the exact law by sequence (m = 4, N = 2), averaged by hand.
    let row4 = &a.rows[3];
    assert_eq!(row4.n, 2);
    let c = case("1/5,3/10,1/2", "log:2/3,1/9,2/9", 4, 2, "uniform");
    let law = ExactLaw::compute(&c, Route::Sequence).unwrap();
    let table = LawTable::from_exact(&law, 3, 4);
    for y in 0..3u32 {
        let mean: Rational = (1..=4).map(|i| table.marginal(i, y)).sum::<Rational>() / 4u32;
        assert!(
            row4.expected_type[y as usize].contains(&mean),
            "letter {y}: {mean}"
        );
    }
    // N = 1 rows: best-of-1 is p, so the type is p and E r/m = E_p log q.
    let row1 = &a.rows[0];
    assert_eq!(row1.n, 1);
    assert!(row1.expected_type[0].contains(&q("1/5")));
}

#[test]
fn large_m_goes_by_enclosure_and_the_plot_carries_the_json_data() {
    let a = figure1(58..=62);
    assert!(a.rows.iter().any(|r| r.route == "enclosure"));
    // The KL per letter shrinks along the measured range (Theorem 2's trend).
    assert!(midpoint(&a.rows[4].kl_per_letter) < midpoint(&a.rows[0].kl_per_letter));
    let svg = plot(&a);
    let data = json(&a);
    for (series, key) in [(SERIES_KL, "kl_per_letter"), (SERIES_TV, "type_distance")] {
        let drawn = read_series(&svg, series).unwrap();
        assert_eq!(drawn.len(), a.rows.len());
        for (point, row) in drawn.iter().zip(data["rows"].as_array().unwrap()) {
            let value: f64 = row[key]["value"].as_str().unwrap().parse().unwrap();
            assert!((point.0 - row["m"].as_f64().unwrap()).abs() < 1e-2);
            assert!(
                (point.1 - value).abs() <= 1e-3 * value.abs().max(1e-3),
                "{series}: {point:?} vs {value}"
            );
        }
    }
}
