//! Theorem 2 measured: rows against independent values (the klrl-closeness KL at m = 10, the
//! exact law's expected type), N's rounding, and the SVG's points against the JSON.

use bestofn::enclosure::{Interval, PrecisionPolicy};
use bestofn::law::{ExactLaw, LawTable, Outcome, Route};
use bestofn::model::Pmf;
use bestofn::report::asymptotics::{json, midpoint, plot, SERIES_KL, SERIES_TV};
use bestofn::report::svg::read_series;
use bestofn::tilt::asymptotics::{asymptotics, rounded_exp};
use rug::{Integer, Rational};

use crate::common::{case, q};

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
    let svg = plot(&a, "", Default::default()).unwrap();
    let data = json(&a, serde_json::json!({}));
    for (series, key) in [(SERIES_KL, "kl_per_letter"), (SERIES_TV, "type_distance")] {
        let drawn = read_series(&svg, series).unwrap();
        assert_eq!(drawn.len(), a.rows.len());
        for (point, row) in drawn.iter().zip(data["rows"].as_array().unwrap()) {
            // Drawn on a decade scale: the point carries log10 of the value.
            let value: f64 = row[key]["value"].as_str().unwrap().parse().unwrap();
            assert!((point.0 - row["m"].as_f64().unwrap()).abs() < 1e-2);
            assert!(
                (point.1 - value.log10()).abs() <= 1e-3,
                "{series}: {point:?} vs log10 {value}"
            );
        }
    }
}

#[test]
fn enclosure_rows_with_negligible_blocks_agree_with_the_exact_law_type_by_type() {
    // m = 60, N = 735: the row goes by enclosure and bounds ~half the classes as blocks; the
    // exact law by type is still affordable, and phi_delta^60 is built letter by letter here
    // (not through the product-form normaliser the row uses).
    let a = figure1(60..=60);
    let row = &a.rows[0];
    assert_eq!((row.route, row.n), ("enclosure", 735));
    let c = case("1/5,3/10,1/2", "log:2/3,1/9,2/9", 60, 735, "uniform");
    let law = ExactLaw::compute(&c, Route::Type).unwrap();
    let prec = 128;
    let ln_phi: Vec<Interval> = a
        .phi_delta
        .iter()
        .map(|f| f.with_prec(prec).ln().unwrap())
        .collect();
    let zero = Interval::from_integer(&Integer::new(), prec);
    let mut kl = zero.clone();
    let mut expected = vec![zero.clone(); 3];
    for (k, members) in law.classes().iter().enumerate() {
        for &o in members {
            let Outcome::Type { counts, sequences } = &law.outcomes()[o] else {
                unreachable!()
            };
            // The exact numerator and denominator, divided as enclosures (a gcd of 150k-bit
            // integers per type would dominate the test).
            let numerator = Integer::from(&law.class_delta()[k] * &law.weights()[o]);
            if numerator == 0 {
                continue;
            }
            let denominator = Integer::from(&law.class_mass()[k] * law.denominator_pow_n());
            let pi = Interval::from_integer(&numerator, prec)
                .div(&Interval::from_integer(&denominator, prec))
                .unwrap();
            let ln_phi_type = counts.iter().zip(&ln_phi).fold(
                Interval::from_integer(sequences, prec).ln().unwrap(),
                |acc, (&c, l)| acc.add(&Interval::from_integer(&Integer::from(c), prec).mul(l)),
            );
            kl = kl.add(&pi.mul(&pi.ln().unwrap().sub(&ln_phi_type)));
            for y in 0..3 {
                let share = Interval::from_rational(&Rational::from((counts[y], 60)), prec);
                expected[y] = expected[y].add(&pi.mul(&share));
            }
        }
    }
    let sixty = Interval::from_integer(&Integer::from(60), prec);
    let kl_per_letter = kl.div(&sixty).unwrap();
    let meet = |x: &Interval, y: &Interval| x.lo() <= y.hi() && y.lo() <= x.hi();
    assert!(
        meet(&kl_per_letter, &row.kl_per_letter),
        "{kl_per_letter} vs {}",
        row.kl_per_letter
    );
    assert!(row.kl_per_letter.width() < 1e-15, "{}", row.kl_per_letter);
    for (y, (mine, theirs)) in expected.iter().zip(&row.expected_type).enumerate() {
        assert!(meet(mine, theirs), "letter {y}: {mine} vs {theirs}");
        assert!(theirs.width() < 1e-15);
    }
}
