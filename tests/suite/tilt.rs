//! Tilt claims: exact radical decisions checked against enclosures computed independently
//! (`exp(a ln q)` in MPFR), and the misprint refuted except where `a b = a + b`.

use std::cmp::Ordering;

use bestofn::claims::{self, Context, Verdict};
use bestofn::enclosure::{Interval, PrecisionPolicy};
use bestofn::tilt::{enclose_fraction, tilt_exact, tilt_fractions, TiltParams};
use rug::Rational;

use crate::common::{case, q};

fn run(p: &str, qs: &str, alpha: &str, beta: &str, id: &str) -> Verdict {
    let c = case(p, &format!("log:{qs}"), 1, 2, "uniform");
    let tilt = TiltParams {
        q: Some(qs.split(',').map(q).collect()),
        alpha: Some(q(alpha)),
        beta: Some(q(beta)),
        delta: None,
    };
    let ctx = Context::new(c, PrecisionPolicy::default()).with_tilt(tilt);
    claims::find_in_catalogue(id)
        .unwrap()
        .evaluate(&ctx, None)
        .unwrap()
        .verdict
}

/// `p q^a / sum p q^a` by direct enclosure, sharing nothing with the radical code.
fn tilt_by_enclosure(p: &[Rational], qs: &[Rational], a: &Rational, prec: u32) -> Vec<Interval> {
    let weights: Vec<Interval> = p
        .iter()
        .zip(qs)
        .map(|(py, qy)| {
            let power = Interval::ln_of(qy, prec)
                .unwrap()
                .mul(&Interval::from_rational(a, prec))
                .exp();
            Interval::from_rational(py, prec).mul(&power)
        })
        .collect();
    let total = weights
        .iter()
        .skip(1)
        .fold(weights[0].clone(), |acc, w| acc.add(w));
    weights.iter().map(|w| w.div(&total).unwrap()).collect()
}

#[test]
fn exact_composed_tilt_matches_an_independent_enclosure() {
    let p: Vec<Rational> = ["1/5", "3/10", "1/2"].iter().map(|s| q(s)).collect();
    let qs: Vec<Rational> = ["2/3", "1/9", "2/9"].iter().map(|s| q(s)).collect();
    for (a, b) in [("1/2", "1/3"), ("0.3", "-1.7"), ("2", "5/7")] {
        let (a, b) = (q(a), q(b));
        let composed = tilt_fractions(&tilt_exact(&p, &qs, &a).unwrap(), &qs, &b).unwrap();
        let direct = tilt_by_enclosure(&p, &qs, &Rational::from(&a + &b), 128);
        for (exact, enclosed) in composed.iter().zip(&direct) {
            let e = enclose_fraction(exact, 128).unwrap();
            let separated = matches!(
                e.certified_cmp(enclosed),
                Some(Ordering::Less | Ordering::Greater)
            );
            assert!(!separated, "{e} vs {enclosed}");
        }
    }
}

#[test]
fn composition_holds_and_the_misprint_fails() {
    let (p, qs) = ("1/5,3/10,1/2", "2/3,1/9,2/9");
    for (a, b) in [
        ("1/2", "1/3"),
        ("0.3", "-1.7"),
        ("3", "1/4"),
        ("-2/3", "2/3"),
    ] {
        assert_eq!(
            run(p, qs, a, b, "tilt-composition"),
            Verdict::Holds,
            "{a}, {b}"
        );
        assert_eq!(
            run(p, qs, a, b, "tilt-composition-misprint"),
            Verdict::Fails,
            "{a}, {b}"
        );
        assert_eq!(
            run(p, qs, a, b, "renyi-cumulant"),
            Verdict::Holds,
            "{a}, {b}"
        );
    }
    // a b = a + b when a = b = 2, and a uniform q makes every tilt equal to p.
    assert_eq!(
        run(p, qs, "2", "2", "tilt-composition-misprint"),
        Verdict::Holds
    );
    assert_eq!(
        run(p, "1/3,1/3,1/3", "1/2", "1/3", "tilt-composition-misprint"),
        Verdict::Holds
    );
    // Without alpha/beta the tilt claims do not apply, and say why.
    let ctx = Context::new(
        case(p, "log:1,2,3", 1, 2, "uniform"),
        PrecisionPolicy::default(),
    );
    match claims::find_in_catalogue("tilt-composition")
        .unwrap()
        .evaluate(&ctx, None)
        .unwrap()
        .verdict
    {
        Verdict::NotApplicable { hypothesis, reason } => {
            assert_eq!(hypothesis, "tilt-parameters");
            assert!(reason.contains("--alpha"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}
