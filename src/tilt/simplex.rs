//! The data of 003's Figure 1 on the ternary simplex: the KL contour `{v : KL(v||p) = delta}`,
//! the aligned family `{T(q, p, alpha) : alpha >= 0}`, the constant-reward line
//! `{v : E_v log q = E_{phi_delta} log q}` through `phi_delta`, and the points p, q, phi_delta
//! and the expected type of best-of-N with N = round(exp(m delta)).
//!
//! Every point is exact: a point known exactly (p, q, the contour points) or the exact
//! midpoint of an enclosure (the family, phi_delta, the line's ends, the best-of-N type).
//! Contour points are bracketed on rays from p (KL grows along each ray, being convex and 0 at
//! p), the family is enclosed at rational exponents, the line's ends are enclosed on the edges
//! of the simplex. No float is computed here: `report::simplex` turns points into pixels.

use rug::float::{Constant, Round};
use rug::{Float, Integer, Rational};

use crate::enclosure::{Interval, PrecisionPolicy};
use crate::error::{InputError, Result};
use crate::model::Pmf;
use crate::tilt::asymptotics::asymptotics;
use crate::tilt::optimum::{bracket_increasing, RewardAtoms, Scale};

/// A point of the simplex by its three coordinates, exactly.
pub type Point = [Rational; 3];

/// The figure's data: every point exact (see the module comment).
#[derive(Debug, Clone)]
pub struct SimplexFigure {
    /// The per-letter KL budget.
    pub delta: Rational,
    /// The sequence length of the best-of-N point.
    pub m: u32,
    /// N = round(exp(m delta)).
    pub n: u64,
    /// The reference pmf.
    pub p: Point,
    /// The alignment distribution.
    pub q: Point,
    /// The KL-constrained optimum (midpoint of its enclosure).
    pub phi_delta: Point,
    /// The expected type of best-of-N (midpoint of its enclosure).
    pub bon_type: Point,
    /// Points of `{v : KL(v || p) = delta}`, closed (the first point repeated last).
    pub kl_contour: Vec<Point>,
    /// `T(q, p, alpha)` for alpha from 0 to 100.
    pub aligned_family: Vec<Point>,
    /// The two ends of the constant-reward line on the boundary.
    pub reward_line: Vec<Point>,
}

/// The exact midpoint of an enclosure.
fn mid(i: &Interval) -> Rational {
    let lo = i.lo().to_rational().expect("enclosure ends are finite");
    let hi = i.hi().to_rational().expect("enclosure ends are finite");
    (lo + hi) / 2u32
}

fn mid3(v: &[Interval]) -> Point {
    [mid(&v[0]), mid(&v[1]), mid(&v[2])]
}

fn exact3(v: &[Rational]) -> Point {
    [v[0].clone(), v[1].clone(), v[2].clone()]
}

/// `(cos, sin)` of the angle `2 pi i / RAYS`, each rounded down to a multiple of 1/2^20 (a
/// rational direction close to it; any direction in the plane would do), from 64-bit MPFR
/// values rounded down.
fn ray_direction(i: u32) -> (Rational, Rational) {
    let scale = 1u32 << 20;
    let angle = Float::with_val_round(64, Constant::Pi, Round::Down).0 * 2u32 * i / RAYS;
    let on_grid = |x: Float| {
        let scaled = x * scale;
        let floor = scaled
            .to_integer_round(Round::Down)
            .expect("a cosine is finite")
            .0;
        Rational::from(floor) / scale
    };
    let cos = Float::with_val_round(64, angle.cos_ref(), Round::Down).0;
    let sin = Float::with_val_round(64, angle.sin_ref(), Round::Down).0;
    (on_grid(cos), on_grid(sin))
}

/// `KL(v || p)` for a pmf `v` (entries may be 0), enclosed.
fn kl_to(v: &[Rational], p: &[Rational], prec: u32) -> Interval {
    v.iter().zip(p).filter(|(x, _)| x.cmp0().is_gt()).fold(
        Interval::from_rational(&Rational::new(), prec),
        |acc, (x, y)| {
            let ratio = Interval::ln_of(&Rational::from(x / y), prec).expect("x, p > 0");
            acc.add(&Interval::from_rational(x, prec).mul(&ratio))
        },
    )
}

/// Contour rays: this many directions around p.
const RAYS: u32 = 120;

/// The data of 003's Figure 1 for a ternary p, q, budget delta and sequence length m.
pub fn simplex_figure(p: &Pmf, q: &[Rational], delta: &Rational, m: u32) -> Result<SimplexFigure> {
    if p.len() != 3 {
        return Err(InputError::new(format!(
            "figure simplex: needs K = 3 letters (a ternary simplex), got K = {}",
            p.len()
        )));
    }
    if q.len() != 3 {
        return Err(InputError::new(format!(
            "figure simplex: q has {} entries, but p has 3",
            q.len()
        )));
    }
    if let Some(y) = p.probs().iter().position(|x| x.cmp0().is_eq()) {
        return Err(InputError::new(format!(
            "figure simplex: p({y}) = 0 puts p on an edge of the simplex, where KL(. || p) is \
             infinite off that edge and the contour around p degenerates; give a positive p"
        )));
    }
    let prec = 64;
    let policy = PrecisionPolicy::default();
    let probs = p.probs().to_vec();
    let measured = asymptotics(p, q, delta, std::iter::once(m), policy, prec, &|_| {})?;
    let row = &measured.rows[0];
    let phi = mid3(&measured.phi_delta);
    let bon_type = mid3(&row.expected_type);
    // The contour: on the ray p + t d (d a rational direction in the plane sum = 0, from the
    // angle rounded down to 1/2^20), t is bracketed with KL(p + t d || p) = delta, or stops at the
    // boundary when the ray leaves the simplex first.
    let mut contour = Vec::new();
    for i in 0..RAYS {
        let (c, s) = ray_direction(i);
        // The direction (c, s) of the drawing plane in coordinates: v2 moves by s 2/sqrt(3)
        // (a rational stand-in; any direction in the plane will do), v1 by c - dv2/2, and v0
        // takes the rest so the coordinates keep summing to 1 exactly.
        let dv2 = &s * Rational::from((11547, 10000));
        let dv1 = &c - Rational::from(&dv2 / 2u32);
        let dv0 = -Rational::from(&dv1 + &dv2);
        let d = [dv0, dv1, dv2];
        // The largest t keeping every coordinate >= 0.
        let t_max = d
            .iter()
            .zip(&probs)
            .filter(|(di, _)| di.cmp0().is_lt())
            .map(|(di, pi)| Rational::from(pi / di).abs())
            .min()
            .expect("a direction in the plane has a negative coordinate");
        let at = |t: &Rational| -> Vec<Rational> {
            probs
                .iter()
                .zip(&d)
                .map(|(pi, di)| pi + Rational::from(t * di))
                .collect()
        };
        let edge = at(&t_max);
        let kl_edge = kl_to(&edge, &probs, prec);
        let t = if kl_edge.hi() <= Interval::from_rational(delta, prec).lo() {
            t_max
        } else {
            let zero = Interval::from_rational(&Rational::new(), prec);
            let b = bracket_increasing(
                |t, prec| {
                    if *t >= t_max {
                        kl_edge.clone()
                    } else {
                        kl_to(&at(t), &probs, prec)
                    }
                },
                |prec| Interval::from_rational(delta, prec),
                (Rational::new(), zero),
                policy,
                24,
            )
            .map_err(|(reason, _)| InputError::new(format!("contour: {reason}")))?;
            Rational::from(&b.lo + &b.hi) / 2u32
        };
        contour.push(exact3(&at(&t)));
    }
    contour.push(contour[0].clone());
    // The aligned family, alpha from 0 up to where it sits at the top vertex to the eye.
    let letters = RewardAtoms::new(probs.clone(), q.to_vec(), Scale::Log);
    let family: Vec<Point> = (0..=160)
        .map(|i| {
            let alpha = Rational::from((i * i, 256)); // 0 .. 100, denser near p
            mid3(&letters.at(&Interval::from_rational(&alpha, prec), prec).phi)
        })
        .collect();
    // The constant-reward line E_v ln q = c through phi_delta: its ends on the edges
    // v_k = 0, where v_i = (c - ln q_j) / (ln q_i - ln q_j).
    let ln_q: Vec<Interval> = q
        .iter()
        .map(|x| Interval::ln_of(x, prec).expect("q > 0"))
        .collect();
    let c = measured.phi_delta.iter().zip(&ln_q).fold(
        Interval::from_integer(&Integer::new(), prec),
        |acc, (f, l)| acc.add(&f.mul(l)),
    );
    let mut line = Vec::new();
    for (i, j, k) in [(0usize, 1usize, 2usize), (1, 2, 0), (2, 0, 1)] {
        let Some(vi) = c.sub(&ln_q[j]).div(&ln_q[i].sub(&ln_q[j])) else {
            continue; // q_i = q_j: the line is parallel to this edge
        };
        let v = mid(&vi);
        if v.cmp0().is_ge() && v <= 1 {
            let mut point = [Rational::new(), Rational::new(), Rational::new()];
            point[j] = Rational::from(1 - &v);
            point[i] = v;
            point[k] = Rational::new();
            line.push(point);
        }
    }
    // Through a vertex, two edges give the same end (as two enclosures' midpoints).
    let close =
        |a: &Rational, b: &Rational| Rational::from(a - b).abs() < Rational::from((1, 1u64 << 40));
    line.dedup_by(|a, b| close(&a[0], &b[0]) && close(&a[1], &b[1]));
    Ok(SimplexFigure {
        delta: delta.clone(),
        m,
        n: row.n,
        p: exact3(&probs),
        q: exact3(q),
        phi_delta: phi,
        bon_type,
        kl_contour: contour,
        aligned_family: family,
        reward_line: line,
    })
}
