//! `figure simplex`: every drawn element read back from the SVG and checked against its
//! defining equation, computed here in plain floats independently of the figure's code.

use bestofn::model::Pmf;
use bestofn::report::simplex::{
    read_curve, read_point, render, POINT_BON, POINT_P, POINT_PHI, SERIES_CONTOUR, SERIES_FAMILY,
    SERIES_LINE,
};
use bestofn::tilt::simplex::simplex_figure;
use rug::Rational;

use crate::common::q;

const P: [f64; 3] = [0.2, 0.3, 0.5];
const Q: [f64; 3] = [2.0 / 3.0, 1.0 / 9.0, 2.0 / 9.0];

fn figure1() -> String {
    let p = Pmf::parse("1/5,3/10,1/2").unwrap();
    let qs: Vec<Rational> = ["2/3", "1/9", "2/9"].iter().map(|s| q(s)).collect();
    render(&simplex_figure(&p, &qs, &q("0.11"), 10).unwrap())
}

fn kl(v: &[f64; 3]) -> f64 {
    v.iter()
        .zip(P)
        .filter(|(x, _)| **x > 0.0)
        .map(|(x, p)| x * (x / p).ln())
        .sum()
}

fn reward(v: &[f64; 3]) -> f64 {
    v.iter().zip(Q).map(|(x, q)| x * q.ln()).sum()
}

#[test]
fn points_are_where_the_values_say() {
    let svg = figure1();
    let p = read_point(&svg, POINT_P).unwrap();
    assert!(p.iter().zip(P).all(|(a, b)| (a - b).abs() < 1e-9));
    // phi_delta: an independent float bisection of KL(T(alpha) || p) = 0.11 gives
    // alpha = 0.7091380845456 and phi = (0.389396, 0.163933, 0.446670).
    let phi = read_point(&svg, POINT_PHI).unwrap();
    for (a, b) in phi
        .iter()
        .zip([0.389396494842, 0.163933084234, 0.446670420924])
    {
        assert!((a - b).abs() < 1e-9, "{phi:?}");
    }
    assert!((kl(&phi) - 0.11).abs() < 1e-9);
    // Best-of-3 over 10 letters: the expected type measured by `asymptotics` (whose m = 4 row
    // tests/suite/asymptotics.rs checks against the exact law by sequence).
    let bon = read_point(&svg, POINT_BON).unwrap();
    assert!((bon.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(
        kl(&bon) < 0.11,
        "best-of-3 spends less than the budget here: {bon:?}"
    );
}

#[test]
fn every_drawn_curve_point_satisfies_its_equation() {
    let svg = figure1();
    let contour = read_curve(&svg, SERIES_CONTOUR).unwrap();
    assert!(contour.len() > 100);
    for v in &contour {
        // Pixels are written to 1/1000: the coordinates are good to ~1e-5.
        assert!((kl(v) - 0.11).abs() < 2e-4, "{v:?}: KL = {}", kl(v));
    }
    let phi = read_point(&svg, POINT_PHI).unwrap();
    let line = read_curve(&svg, SERIES_LINE).unwrap();
    assert_eq!(line.len(), 2);
    for v in &line {
        assert!((reward(v) - reward(&phi)).abs() < 1e-4, "{v:?}");
        assert!(v.iter().any(|x| x.abs() < 1e-5), "an end on an edge: {v:?}");
    }
    // The family: v = p q^alpha / Z, so ln(v_i / p_i) - ln(v_2 / p_2) = alpha ln(q_i / q_2)
    // gives the same alpha from letters 0 and 1.
    let family = read_curve(&svg, SERIES_FAMILY).unwrap();
    assert!((family[0][0] - P[0]).abs() < 1e-5, "starts at p");
    for v in family.iter().filter(|v| v.iter().all(|x| *x > 1e-3)) {
        let a0 = ((v[0] / P[0]).ln() - (v[2] / P[2]).ln()) / (Q[0] / Q[2]).ln();
        let a1 = ((v[1] / P[1]).ln() - (v[2] / P[2]).ln()) / (Q[1] / Q[2]).ln();
        assert!(
            (a0 - a1).abs() < 1e-2 * a0.abs().max(1.0),
            "{v:?}: {a0} vs {a1}"
        );
    }
    // phi_delta lies on the drawn family (within a segment's chord error).
    let distance = family
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let ab: Vec<f64> = (0..3).map(|i| b[i] - a[i]).collect();
            let ap: Vec<f64> = (0..3).map(|i| phi[i] - a[i]).collect();
            let len2: f64 = ab.iter().map(|x| x * x).sum();
            let t = (ap.iter().zip(&ab).map(|(x, y)| x * y).sum::<f64>() / len2).clamp(0.0, 1.0);
            (0..3)
                .map(|i| (ap[i] - t * ab[i]).powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .fold(f64::INFINITY, f64::min);
    assert!(
        distance < 1e-3,
        "phi_delta is {distance} away from the family"
    );
}

#[test]
fn only_ternary_cases_are_drawn() {
    let p = Pmf::parse("1/2,1/2").unwrap();
    let qs = vec![q("1/3"), q("2/3")];
    let err = simplex_figure(&p, &qs, &q("0.1"), 3).unwrap_err();
    assert!(err.to_string().contains("K = 3"), "{err}");
}
