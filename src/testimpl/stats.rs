//! Statistics for sampling implementations: the G-test of observed counts against the exact
//! law, and the smallest deviation a sample size detects. Floats on purpose: a sampler is
//! judged by a test with a stated false-alarm rate, not by exact equality.

use rug::Rational;

/// `ln Gamma(x)` (Lanczos, g = 7, 9 terms; relative error below 1e-13 for x > 0).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = C[1..]
        .iter()
        .enumerate()
        .fold(C[0], |acc, (i, c)| acc + c / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularized upper incomplete gamma `Q(a, x)` (series below a + 1, continued fraction
/// above; Numerical Recipes' gammq).
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let front = (-x + a * x.ln() - ln_gamma(a)).exp();
    if x < a + 1.0 {
        let (mut term, mut sum, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (1.0 - sum * front).clamp(0.0, 1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (front * h).clamp(0.0, 1.0)
    }
}

/// The result of a G-test of counts against a law.
#[derive(Debug, Clone)]
pub struct GTest {
    /// The G statistic.
    pub g: f64,
    /// Degrees of freedom.
    pub df: usize,
    /// The p-value.
    pub p_value: f64,
    /// An outcome the law gives probability 0 that was drawn anyway (a certain refutation).
    pub impossible: Option<usize>,
}

/// `G = 2 sum c ln(c / E)` over outcomes with positive probability, `df` = their number - 1.
pub fn g_test(counts: &[u64], law: &[Rational]) -> GTest {
    let total: u64 = counts.iter().sum();
    let impossible = counts
        .iter()
        .zip(law)
        .position(|(&c, p)| c > 0 && p.cmp0().is_eq());
    let mut g = 0.0;
    let mut support = 0;
    for (&c, p) in counts.iter().zip(law) {
        if p.cmp0().is_eq() {
            continue;
        }
        support += 1;
        if c > 0 {
            let expected = p.to_f64() * total as f64;
            g += 2.0 * c as f64 * (c as f64 / expected).ln();
        }
    }
    let df = support.max(1) - 1;
    let p_value = if impossible.is_some() {
        0.0
    } else if df == 0 {
        1.0
    } else {
        gamma_q(df as f64 / 2.0, g.max(0.0) / 2.0)
    };
    GTest {
        g,
        df,
        p_value,
        impossible,
    }
}

/// The critical value of a chi-square with `df` degrees of freedom at level `alpha`
/// (bisection on `Q`).
pub fn chi2_critical(df: usize, alpha: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1e4 + 100.0 * df as f64);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if gamma_q(df as f64 / 2.0, mid / 2.0) > alpha {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// The total-variation deviation a sample of `s` detects with probability about 0.99 at level
/// `alpha`: the noncentral chi-square of the G-test has noncentrality `s chi2(q || pi)`,
/// which needs about `(sqrt(crit) + z_0.99)^2`, and `chi2 >= 4 TV^2`.
pub fn detectable_tv(s: u64, df: usize, alpha: f64) -> f64 {
    const Z_099: f64 = 2.326_347_874_040_841;
    let crit = chi2_critical(df.max(1), alpha);
    let lambda = (crit.sqrt() + Z_099).powi(2);
    0.5 * (lambda / s as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi_square_tail_matches_known_values() {
        // chi2 with 1 df: P(X > 3.841459) = 0.05; with 10 df: P(X > 23.209251) = 0.01.
        assert!((gamma_q(0.5, 3.841_459 / 2.0) - 0.05).abs() < 1e-6);
        assert!((gamma_q(5.0, 23.209_251 / 2.0) - 0.01).abs() < 1e-6);
        assert!((chi2_critical(1, 0.05) - 3.841_459).abs() < 1e-4);
        let counts = [500u64, 500];
        let half = Rational::from((1, 2));
        let t = g_test(&counts, &[half.clone(), half]);
        assert!(t.g.abs() < 1e-12 && (t.p_value - 1.0).abs() < 1e-12);
    }
}
