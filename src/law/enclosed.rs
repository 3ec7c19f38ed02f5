//! The law by enclosures, for N too large for exact powers (`S_k^N` with N ~ e^22 would have
//! billions of bits). With `F_k = S_k / D` the cumulative mass up to class k,
//! `pi(C_k) = F_k^N - F_{k-1}^N = F_k^N * (-expm1(N ln(1 - A_k / S_k)))`, and
//! `F_k^N = exp(N ln_1p(-(D - S_k) / D))`: one `ln_1p` of an exact rational per factor, so the
//! difference of two nearly equal powers never cancels and every step is rounded outward.
//!
//! For large N almost all of the law sits in the top few classes: [`EnclosedLaw::negligible`]
//! certifies how many of the lowest classes carry at most `2^-bits` together, so callers can
//! bound them as one block instead of enclosing each.

use rug::{Integer, Rational};

use crate::enclosure::Interval;
use crate::law::exact::Ranked;

/// One class's probability under best-of-N and its log-ratio to the class's reference mass.
#[derive(Debug, Clone)]
pub struct ClassTerms {
    /// `pi_N(C)`, enclosed.
    pub pi: Interval,
    /// `ln(pi_N(C) / p(C))`.
    pub ln_over_mass: Interval,
}

/// `ln(num / den)` for `0 < num <= den`, enclosed: through `ln_1p(-(den - num) / den)` when
/// the fraction is near 1 (no cancellation), directly otherwise; no gcd of the big integers.
fn ln_fraction(num: &Integer, den: &Integer, work: u32) -> Interval {
    let gap = Integer::from(den - num);
    let (top, sign_flip) = if Integer::from(&gap * 2u32) < *den {
        (gap, true)
    } else {
        (num.clone(), false)
    };
    let x = Interval::from_integer(&top, work + 8)
        .div(&Interval::from_integer(den, work + 8))
        .expect("den > 0");
    if sign_flip { x.neg().ln_1p() } else { x.ln() }
        .expect("0 < num / den <= 1")
        .with_prec(work)
}

/// The best-of-N law of a ranked case, one class at a time, by enclosures.
pub struct EnclosedLaw<'a> {
    ranked: &'a Ranked,
    /// `A_k`.
    pub class_mass: Vec<Integer>,
    /// `S_k = A_1 + .. + A_k`.
    prefix: Vec<Integer>,
    n: Interval,
    n_integer: Integer,
    prec: u32,
    work: u32,
}

impl<'a> EnclosedLaw<'a> {
    /// The law of `ranked` for N draws, enclosed at `prec` bits.
    pub fn new(ranked: &'a Ranked, n: u64, prec: u32) -> EnclosedLaw<'a> {
        let work = prec + 32;
        let class_mass: Vec<Integer> = ranked
            .classes
            .iter()
            .map(|members| members.iter().map(|&o| &ranked.weights[o]).sum())
            .collect();
        let mut running = Integer::new();
        let prefix = class_mass
            .iter()
            .map(|a| {
                running += a;
                running.clone()
            })
            .collect();
        EnclosedLaw {
            ranked,
            class_mass,
            prefix,
            n: Interval::from_integer(&Integer::from(n), work),
            n_integer: Integer::from(n),
            prec,
            work,
        }
    }

    /// The number of classes.
    pub fn len(&self) -> usize {
        self.class_mass.len()
    }

    /// Whether there is no class.
    pub fn is_empty(&self) -> bool {
        self.class_mass.is_empty()
    }

    /// `ln F_k`, enclosed (`None` when `F_k = 0`).
    fn ln_cumulative(&self, k: usize, work: u32) -> Option<Interval> {
        let prefix = &self.prefix[k];
        (prefix.cmp0().is_gt()).then(|| ln_fraction(prefix, &self.ranked.denominator, work))
    }

    /// `pi_N(C_k)` and `ln(pi_N(C_k) / p(C_k))`, enclosed at the law's precision (`None` for a
    /// class of mass 0). With `a = A_k / S_k` and `share = 1 - (1 - a)^N`,
    /// `pi = F_k^N share` and `pi / p(C_k) = F_k^(N-1) share / a`: the log-ratio needs no
    /// logarithm of `pi` itself.
    pub fn class_terms(&self, k: usize) -> Option<ClassTerms> {
        let mass = &self.class_mass[k];
        if mass.cmp0().is_eq() {
            return None;
        }
        // pi <= N A_k / D < 2^-s: a class that small needs s fewer bits for the same absolute
        // accuracy (sums of such terms are what callers read), down to one limb.
        let s = self.ranked.denominator.significant_bits() as i64
            - Integer::from(mass * &self.n_integer).significant_bits() as i64
            - 1;
        let work = (self.work as i64 - s.max(0)).max(64) as u32;
        let n = self.n.with_prec(work);
        let ln_f = self.ln_cumulative(k, work).expect("S_k >= A_k > 0");
        let prefix = &self.prefix[k];
        let below = Integer::from(prefix - mass);
        let one = Interval::from_integer(&Integer::from(1), work);
        let (share, share_over_a) = if below.cmp0().is_eq() {
            (one.clone(), one.clone())
        } else {
            // 1 - (S_{k-1}/S_k)^N = -expm1(N ln(S_{k-1}/S_k)).
            let ln_ratio = ln_fraction(&below, prefix, work);
            let share = n.mul(&ln_ratio).exp_m1().neg();
            let a = Interval::from_integer(mass, work)
                .div(&Interval::from_integer(prefix, work))
                .expect("S_k > 0");
            let over_a = share.div(&a).expect("a > 0");
            (share, over_a)
        };
        let pi = n.mul(&ln_f).exp().mul(&share);
        let n_minus_1 = n.sub(&one);
        let ln_over_mass = n_minus_1
            .mul(&ln_f)
            .add(&share_over_a.ln().expect("share / a >= 1"));
        Some(ClassTerms {
            pi: pi.with_prec(self.prec.min(work)),
            ln_over_mass: ln_over_mass.with_prec(self.prec.min(work)),
        })
    }

    /// Whether class `k` alone is so light that `count` classes like it carry at most
    /// `2^-bits` together: `N A_k count 2^bits <= D` (as `pi(C_k) <= N A_k / D`), in integers.
    pub fn negligible_alone(&self, k: usize, count: usize, bits: u32) -> bool {
        let bound = Integer::from(&self.class_mass[k] * &self.n_integer) * count as u64;
        (bound << bits) <= self.ranked.denominator
    }

    /// The number `t` of lowest classes that together carry at most `2^-bits`, certified:
    /// `F_{t-1}^N <= 2^-bits`, i.e. `N ln(1/F_{t-1}) >= bits ln 2` by enclosure. Not always
    /// the largest such `t` (a borderline class may be left in), always a correct one.
    pub fn negligible(&self, bits: u32) -> usize {
        let work = 64;
        let threshold = Interval::from_integer(&Integer::from(bits), work)
            .mul(&Interval::ln_of(&Rational::from(2), work).expect("2 > 0"));
        let n = self.n.with_prec(work);
        let small = |k: usize| match self.ln_cumulative(k, work) {
            None => true,
            Some(ln_f) => *n.mul(&ln_f).neg().lo() >= *threshold.hi(),
        };
        // Binary search for the first class not certified small (the predicate is monotone in
        // truth; any t with small(t - 1) certified is sound).
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if small(mid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // `lo` only ever moved past a class certified small, so `small(lo - 1)` holds.
        lo
    }

    /// The number of highest classes that together carry at most `2^-bits`, certified
    /// exactly: `pi(C_k) = F_k^N - F_{k-1}^N <= N A_k / D` (mean value theorem, `F <= 1`), so
    /// the top block from class `u` carries at most `N (D - S_{u-1}) / D`, compared with
    /// integers.
    pub fn negligible_top(&self, n: u64, bits: u32) -> usize {
        let d = &self.ranked.denominator;
        let small_from = |u: usize| {
            let below = if u == 0 {
                Integer::new()
            } else {
                self.prefix[u - 1].clone()
            };
            let tail = Integer::from(d - &below) * n;
            (tail << bits) <= *d
        };
        // The smallest u whose top block is small (monotone: tails shrink as u grows).
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if small_from(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        self.len() - lo
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::ExactLaw;
    use crate::spec::CaseSpec;

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
        let enclosed = EnclosedLaw::new(&ranked, 37, 128);
        for k in 0..enclosed.len() {
            let terms = enclosed.class_terms(k).expect("every class has mass here");
            let interval = &terms.pi;
            let pi = Rational::from((&exact.class_delta()[k], exact.denominator_pow_n()));
            assert!(interval.contains(&pi), "class {k}: {interval} vs {pi}");
            assert!(interval.width() < 1e-30, "class {k}: {interval}");
            // ln(pi / p(C_k)) from the exact ratio, against the enclosure built without ln pi.
            let mass = Rational::from((&exact.class_mass()[k], exact.denominator()));
            let ratio = Interval::ln_of(&(pi / mass), 200).unwrap();
            let own = &terms.ln_over_mass;
            assert!(
                own.lo() <= ratio.hi() && ratio.lo() <= own.hi() && own.width() < 1e-30,
                "class {k}: {own} vs {ratio}"
            );
        }
    }
}
