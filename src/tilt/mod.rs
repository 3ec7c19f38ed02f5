//! Tilts of the reference: `T(q, p, a)(y) = p(y) q(y)^a / sum_z p(z) q(z)^a` (003, Section 3),
//! computed exactly in radical normal form for rational `p`, `q`, `a`.

pub mod asymptotics;
pub mod bracket;
pub mod optimum;
pub mod simplex;
pub mod tradeoff;

use rug::Rational;

use crate::error::Result;
use crate::exact::radical::{RadicalFraction, RadicalSum};

/// What the tilt claims need beyond the case: the alignment distribution and two exponents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TiltParams {
    /// Positive weights `q` (a pmf when given with `--q`; the log weights of a `log` reward
    /// otherwise — the tilt does not change when `q` is scaled).
    pub q: Option<Vec<Rational>>,
    /// The tilt exponent alpha.
    pub alpha: Option<Rational>,
    /// The second exponent beta (rho of renyi-cumulant).
    pub beta: Option<Rational>,
    /// Per-letter KL budget `delta >= 0` of the KL-constrained optimum; `Delta = m delta`.
    pub delta: Option<Rational>,
}

impl TiltParams {
    /// `q` for a case with `reward`: the given one, else the weights of a `log` reward.
    pub fn q_for(&self, reward: &crate::model::Reward) -> Option<Vec<Rational>> {
        match (&self.q, reward) {
            (Some(q), _) => Some(q.clone()),
            (None, crate::model::Reward::Log(weights)) => Some(weights.clone()),
            _ => None,
        }
    }
}

/// `p(y) q(y)^a` for every letter, exactly; refused when an entry of `q` cannot be factored
/// or a power is too large.
fn weighted_powers(p: &[Rational], q: &[Rational], a: &Rational) -> Result<Vec<RadicalSum>> {
    p.iter()
        .zip(q)
        .map(|(py, qy)| Ok(RadicalSum::rational(py.clone()).mul(&RadicalSum::power(qy, a)?)))
        .collect()
}

/// An exact tilt given as fractions that share one denominator.
pub fn tilt_exact(p: &[Rational], q: &[Rational], a: &Rational) -> Result<Vec<RadicalFraction>> {
    let numerators = weighted_powers(p, q, a)?;
    let normaliser = numerators
        .iter()
        .fold(RadicalSum::zero(), |acc, t| acc.add(t));
    Ok(numerators
        .into_iter()
        .map(|n| RadicalFraction::new(n, normaliser.clone()))
        .collect())
}

/// Tilts a distribution already given as exact fractions (the composed tilt `T(q, T(q,p,a), b)`
/// tilts the first tilt's entries, normalising again).
pub fn tilt_fractions(
    p: &[RadicalFraction],
    q: &[Rational],
    b: &Rational,
) -> Result<Vec<RadicalFraction>> {
    let numerators: Vec<RadicalFraction> = p
        .iter()
        .zip(q)
        .map(|(py, qy)| {
            let power = RadicalSum::power(qy, b)?;
            Ok(py.mul(&RadicalFraction::new(
                power,
                RadicalSum::rational(Rational::from(1)),
            )))
        })
        .collect::<Result<_>>()?;
    let zero = RadicalFraction::new(RadicalSum::zero(), RadicalSum::rational(Rational::from(1)));
    let normaliser = numerators.iter().fold(zero, |acc, t| acc.add(t));
    Ok(numerators.iter().map(|n| n.div(&normaliser)).collect())
}

/// An enclosure of an exact radical sum: `sum c * prod exp(f ln p)`, every step rounded outward.
pub fn enclose_sum(sum: &RadicalSum, prec: u32) -> crate::enclosure::Interval {
    use crate::enclosure::Interval;
    sum.terms().fold(
        Interval::from_rational(&Rational::new(), prec),
        |acc, (monomial, coefficient)| {
            let term = monomial.iter().fold(
                Interval::from_rational(coefficient, prec),
                |t, (prime, f)| {
                    let ln_p = Interval::ln_of(&Rational::from(*prime), prec)
                        .expect("primes are positive");
                    t.mul(&ln_p.mul(&Interval::from_rational(f, prec)).exp())
                },
            );
            acc.add(&term)
        },
    )
}

/// An enclosure of an exact radical fraction (its denominator is a positive normaliser).
pub fn enclose_fraction(
    fraction: &RadicalFraction,
    prec: u32,
) -> Option<crate::enclosure::Interval> {
    enclose_sum(&fraction.num, prec).div(&enclose_sum(&fraction.den, prec))
}
