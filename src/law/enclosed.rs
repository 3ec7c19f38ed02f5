//! The law by enclosures, for N too large for exact powers (`S_k^N` with N ~ e^22 would have
//! billions of bits). With `F_k = S_k / D` the cumulative mass up to class k,
//! `pi(C_k) = F_k^N - F_{k-1}^N = F_k^N * (-expm1(N ln(1 - A_k / S_k)))`, and
//! `F_k^N = exp(N ln_1p(-(D - S_k) / D))`: one `ln_1p` of an exact rational per factor, so the
//! difference of two nearly equal powers never cancels and every step is rounded outward.

use rug::{Integer, Rational};

use crate::enclosure::Interval;
use crate::law::exact::Ranked;

/// `pi_N(C_k)` for every class of `ranked`, enclosed at `prec` bits.
pub fn class_pi(ranked: &Ranked, n: u64, prec: u32) -> Vec<Interval> {
    let work = prec + 32;
    let n_interval = Interval::from_integer(&Integer::from(n), work);
    let d = &ranked.denominator;
    let mut prefix = Integer::new();
    ranked
        .classes
        .iter()
        .map(|members| {
            let mass: Integer = members.iter().map(|&o| &ranked.weights[o]).sum();
            let below = prefix.clone();
            prefix += &mass;
            if mass.cmp0().is_eq() {
                return Interval::from_integer(&Integer::new(), prec);
            }
            // ln F_k: through ln_1p(-(1 - F_k)) when F_k is near 1 (no cancellation), directly
            // otherwise.
            let tail = Rational::from((Integer::from(d - &prefix), d.clone()));
            let ln_f = if tail < Rational::from((1, 2)) {
                Interval::from_rational(&-tail, work).ln_1p()
            } else {
                Interval::ln_of(&Rational::from((prefix.clone(), d.clone())), work)
            }
            .expect("0 < F_k <= 1");
            let power = n_interval.mul(&ln_f).exp();
            let share = if below.cmp0().is_eq() {
                Interval::from_integer(&Integer::from(1), work)
            } else {
                // 1 - (S_{k-1}/S_k)^N = -expm1(N ln_1p(-A_k/S_k)).
                let fraction = Rational::from((mass, prefix.clone()));
                let ln_ratio = if fraction < Rational::from((1, 2)) {
                    Interval::from_rational(&-fraction, work).ln_1p()
                } else {
                    Interval::ln_of(&Rational::from((below.clone(), prefix.clone())), work)
                }
                .expect("0 < S_{k-1} / S_k < 1");
                n_interval.mul(&ln_ratio).exp_m1().neg()
            };
            power.mul(&share).with_prec(prec)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casefile::CaseSpec;
    use crate::law::ExactLaw;

    #[test]
    fn enclosures_contain_the_exact_law() {
        let spec = CaseSpec {
            p: Some("1/5,3/10,1/2".into()),
            reward: Some("log:6,1,2".into()),
            m: Some(4),
            n: Some(37),
            ..Default::default()
        };
        let (case, route) = spec.resolve().unwrap();
        let exact = ExactLaw::compute(&case, route).unwrap();
        let ranked = Ranked::compute(&case, route).unwrap();
        let enclosed = class_pi(&ranked, 37, 128);
        for (k, interval) in enclosed.iter().enumerate() {
            let pi = Rational::from((&exact.class_delta[k], &exact.denominator_pow_n));
            assert!(interval.contains(&pi), "class {k}: {interval} vs {pi}");
            assert!(interval.width() < 1e-30, "class {k}: {interval}");
        }
    }
}
