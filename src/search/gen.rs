//! Generators of small cases, shared by `bestofn search` and the property-based tests.
//!
//! Structured rather than uniform: many claims fail only near ties, near-degenerate pmfs or at
//! large N, so each case picks a flavour for its pmf (small denominators, skewed, uniform),
//! its reward (exact ties, ties across types such as `log 4 = 2 log 2`, near-ties, constant,
//! random) and its N (small, the bound, a power of two, anywhere). Case `i` of seed `s` is a
//! pure function of `(s, i)`, so a search is reproducible whatever the number of threads.

use std::ops::RangeInclusive;

use rug::Rational;

use crate::spec::CaseSpec;

/// SplitMix64: small, fast, and identical on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of case `index` of a run seeded with `seed`.
    pub fn for_case(seed: u64, index: u64) -> Rng {
        let mut rng = Rng(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next_u64();
        rng
    }

    /// The next 64 random bits (splitmix64).
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `range` (inclusive).
    pub fn range(&mut self, range: RangeInclusive<u64>) -> u64 {
        let (lo, hi) = (*range.start(), *range.end());
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `numerator / denominator`.
    pub fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.next_u64() % denominator < numerator
    }

    /// One of `items`, uniformly.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0..=items.len() as u64 - 1) as usize]
    }
}

/// Bits of the largest pmf denominator the generators write (10^6, the skewed flavour).
pub const MAX_DENOMINATOR_BITS: u64 = 20;

/// What the generated cases range over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounds {
    /// Alphabet sizes K.
    pub k: RangeInclusive<u32>,
    /// Sequence lengths m.
    pub m: RangeInclusive<u32>,
    /// Numbers of draws N.
    pub n: RangeInclusive<u64>,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            k: 2..=4,
            m: 1..=2,
            n: 1..=16,
        }
    }
}

/// The parameters beyond the case that the selected claims read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// An alignment distribution q (the reward is then log q) with exponents alpha, beta.
    pub tilt: bool,
    /// An alignment distribution q and a per-letter budget delta.
    pub budget: bool,
    /// The reward is log q (the papers' setting) even without tilt or budget.
    pub log_q: bool,
    /// One letter per case (m = 1), whatever the bounds say.
    pub single_letter: bool,
    /// Also generate lexicographic tie-breaks (for claims evaluated without their
    /// uniform-tie-break hypothesis).
    pub lex: bool,
    /// A true reward beside the proxy (claims reading `rt`, `bon_true`, ...).
    pub true_reward: bool,
}

/// `k` positive integers summing to `total` (`total >= k`), uniformly among compositions.
fn composition(rng: &mut Rng, total: u64, k: usize) -> Vec<u64> {
    let mut cuts: Vec<u64> = Vec::with_capacity(k - 1);
    while cuts.len() < k - 1 {
        let c = rng.range(1..=total - 1);
        if !cuts.contains(&c) {
            cuts.push(c);
        }
    }
    cuts.sort_unstable();
    let mut parts = Vec::with_capacity(k);
    let mut last = 0;
    for c in cuts.into_iter().chain(std::iter::once(total)) {
        parts.push(c - last);
        last = c;
    }
    parts
}

fn fractions(parts: &[u64], den: u64) -> String {
    parts
        .iter()
        .map(|a| format!("{a}/{den}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A pmf with positive entries on `k` letters.
pub fn pmf(rng: &mut Rng, k: usize) -> String {
    match rng.range(0..=9) {
        // Small denominators: the grid a reviewer would try by hand.
        0..=4 => {
            let den = rng.range(k as u64..=12.max(k as u64));
            fractions(&composition(rng, den, k), den)
        }
        // Skewed: one letter near 1, the others near 0.
        5..=6 => {
            let den = (*rng.pick(&[100u64, 1000, 10_000, 1_000_000])).max(4 * k as u64);
            let mut parts: Vec<u64> = (0..k).map(|_| rng.range(1..=3)).collect();
            let big = rng.range(0..=k as u64 - 1) as usize;
            let rest: u64 = parts.iter().sum::<u64>() - parts[big];
            parts[big] = den - rest;
            fractions(&parts, den)
        }
        7 => vec![format!("1/{k}"); k].join(","),
        // Anything with a moderate denominator.
        _ => {
            let den = rng.range(k as u64..=97);
            fractions(&composition(rng, den, k), den)
        }
    }
}

/// A reward spec on `k` letters (additive or log), biased towards ties and near-ties.
pub fn reward(rng: &mut Rng, k: usize) -> String {
    let values = |rng: &mut Rng, choices: &[i64]| -> String {
        (0..k)
            .map(|_| rng.pick(choices).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    match rng.range(0..=9) {
        // Exact ties between letters (and, for m >= 2, between types).
        0..=2 => format!("additive:{}", values(rng, &[0, 1, 2])),
        // log 4 = 2 log 2: ties across types that a float would decide by rounding.
        3..=4 => format!("log:{}", values(rng, &[1, 2, 4, 8])),
        // Near-ties: distinct weights within a ratio of 1.003.
        5 => format!("log:{}", values(rng, &[1000, 1001, 1002, 1003])),
        6 => format!("additive:{}", vec!["0"; k].join(",")),
        7 => {
            let v: Vec<String> = (0..k).map(|i| i.to_string()).collect();
            format!("additive:{}", v.join(","))
        }
        _ => format!("additive:{}", values(rng, &[-3, -1, 0, 1, 2, 5, 7])),
    }
}

/// A true reward beside the proxy `(kind, per-letter values)`: the proxy itself, reversed,
/// constant, tied where the proxy is not (ranks halved), two letters swapped, or independent:
/// reward-hacking statements break where proxy and truth disagree.
pub fn true_reward(rng: &mut Rng, kind: &str, values: &[Rational]) -> String {
    let k = values.len();
    let list = |kind: &str, v: &[Rational]| {
        let v: Vec<String> = v.iter().map(Rational::to_string).collect();
        format!("{kind}:{}", v.join(","))
    };
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.dedup();
    let rank = |x: &Rational| sorted.iter().position(|d| d == x).unwrap_or(0);
    match rng.range(0..=9) {
        0..=1 => list(kind, values),
        2..=3 => {
            let reversed: Vec<Rational> = values
                .iter()
                .map(|x| {
                    if kind == "log" {
                        Rational::from(x.recip_ref())
                    } else {
                        Rational::from(-x)
                    }
                })
                .collect();
            list(kind, &reversed)
        }
        4 => format!("additive:{}", vec!["0"; k].join(",")),
        5..=6 => {
            let coarse: Vec<Rational> =
                values.iter().map(|x| Rational::from(rank(x) / 2)).collect();
            list("additive", &coarse)
        }
        7 if k >= 2 => {
            let (a, b) = (
                rng.range(0..=k as u64 - 1) as usize,
                rng.range(0..=k as u64 - 1) as usize,
            );
            let mut swapped = values.to_vec();
            swapped.swap(a, b);
            list(kind, &swapped)
        }
        _ => reward(rng, k),
    }
}

/// The proxy reward of a spec as `(kind, per-letter values)` (log q when only q is given).
fn proxy_values(spec: &CaseSpec) -> Option<(String, Vec<Rational>)> {
    let (kind, values) = match (&spec.reward, &spec.q) {
        (Some(r), _) => r.split_once(':')?,
        (None, Some(q)) => ("log", q.as_str()),
        (None, None) => return None,
    };
    let values = crate::exact::parse_rational_list("reward", values).ok()?;
    Some((kind.to_string(), values))
}

/// Adds a true reward to `spec` when the claims read one.
fn with_true_reward(rng: &mut Rng, mut spec: CaseSpec, needs: Needs) -> CaseSpec {
    if needs.true_reward {
        if let Some((kind, values)) = proxy_values(&spec) {
            spec.true_reward = Some(true_reward(rng, &kind, &values));
        }
    }
    spec
}

/// An exact exponent: small fractions of both signs, and decimals.
pub fn exponent(rng: &mut Rng) -> String {
    match rng.range(0..=3) {
        0 => format!("{}", rng.range(0..=6) as i64 - 2),
        1 => format!("{}/{}", rng.range(0..=12) as i64 - 4, rng.range(1..=5)),
        2 => format!("0.{}", rng.range(1..=9)),
        _ => format!("-{}.{}", rng.range(0..=2), rng.range(1..=9)),
    }
}

/// N within `bounds`: small, the bound itself, a power of two, or anywhere.
fn draws(rng: &mut Rng, n: &RangeInclusive<u64>) -> u64 {
    let (lo, hi) = (*n.start(), *n.end());
    match rng.range(0..=3) {
        0 => rng.range(lo..=hi.min(lo + 7)),
        1 => hi,
        2 => {
            let powers: Vec<u64> = (0..63)
                .map(|e| 1u64 << e)
                .filter(|x| (lo..=hi).contains(x))
                .collect();
            if powers.is_empty() {
                rng.range(lo..=hi)
            } else {
                *rng.pick(&powers)
            }
        }
        _ => rng.range(lo..=hi),
    }
}

/// Most letters of an ordinary (not structured-family) case: small alphabets are where
/// hand-checkable counterexamples live, so K is drawn from the low end of the bounds.
const SMALL_K: u64 = 4;

/// Case `index` of the run seeded with `seed`, as a case-file spec.
///
/// One case in eight is a structured family that small alphabets cannot show: p uniform on
/// as many letters as the bounds allow, with a constant or two-level reward (the gap bound of
/// 2401.01879 fails there once K > 20). The others draw K from the low end of the bounds.
pub fn case(seed: u64, index: u64, bounds: &Bounds, needs: Needs) -> CaseSpec {
    let mut rng = Rng::for_case(seed, index);
    let (k_lo, k_hi) = (*bounds.k.start() as u64, *bounds.k.end() as u64);
    if k_hi > SMALL_K && rng.chance(1, 8) {
        return uniform_family(&mut rng, seed, index, bounds, needs);
    }
    let k = rng.range(k_lo..=k_hi.min(SMALL_K.max(k_lo))) as usize;
    let m = rng.range(*bounds.m.start() as u64..=*bounds.m.end() as u64) as u32;
    let mut spec = CaseSpec {
        name: Some(format!("seed {seed}, case {index}")),
        p: Some(pmf(&mut rng, k)),
        m: Some(m),
        n: Some(draws(&mut rng, &bounds.n)),
        ..Default::default()
    };
    let tie = if needs.lex && rng.chance(1, 2) {
        *rng.pick(&["lex-min", "lex-max"])
    } else {
        "uniform"
    };
    spec.tie_break = Some(tie.into());
    if needs.single_letter {
        spec.m = Some(1);
    }
    if needs.tilt || needs.budget || needs.log_q {
        // The reward is then log q, the papers' setting.
        spec.q = Some(pmf(&mut rng, k));
        if needs.tilt {
            spec.alpha = Some(exponent(&mut rng));
            spec.beta = Some(exponent(&mut rng));
        }
        if needs.budget {
            spec.delta = Some(match rng.range(0..=5) {
                0 => "0".into(),
                1 => format!("{}/1000", rng.range(1..=20)),
                _ => format!("{}/100", rng.range(1..=150)),
            });
        }
    } else {
        spec.reward = Some(reward(&mut rng, k));
    }
    with_true_reward(&mut rng, spec, needs)
}

/// p uniform on many letters, a constant or two-level additive reward, small N.
fn uniform_family(rng: &mut Rng, seed: u64, index: u64, bounds: &Bounds, needs: Needs) -> CaseSpec {
    let (k_lo, k_hi) = (*bounds.k.start() as u64, *bounds.k.end() as u64);
    let k = rng.range(k_lo.max(SMALL_K + 1)..=k_hi) as usize;
    let m = if needs.single_letter {
        1
    } else {
        *bounds.m.start()
    };
    let (n_lo, n_hi) = (*bounds.n.start(), *bounds.n.end());
    let n = rng.range(n_lo..=n_hi.min(n_lo + 3));
    let mut spec = CaseSpec {
        name: Some(format!("seed {seed}, case {index} (uniform family)")),
        p: Some(vec![format!("1/{k}"); k].join(",")),
        m: Some(m),
        n: Some(n),
        tie_break: Some("uniform".into()),
        ..Default::default()
    };
    if needs.tilt || needs.budget || needs.log_q {
        // Two-level q: a few letters twice as likely as the rest (reward log q).
        let high = rng.range(1..=k as u64 - 1);
        let total = k as u64 + high;
        spec.q = Some(
            (0..k as u64)
                .map(|y| format!("{}/{total}", if y < high { 2 } else { 1 }))
                .collect::<Vec<_>>()
                .join(","),
        );
        if needs.tilt {
            spec.alpha = Some(exponent(rng));
            spec.beta = Some(exponent(rng));
        }
        if needs.budget {
            spec.delta = Some(format!("{}/100", rng.range(1..=50)));
        }
    } else {
        let top = rng.range(0..=2);
        spec.reward = Some(format!(
            "additive:{}",
            (0..k as u64)
                .map(|y| if y < top { "1" } else { "0" })
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    with_true_reward(rng, spec, needs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_cases_resolve_and_respect_bounds() {
        let bounds = Bounds {
            k: 2..=5,
            m: 1..=3,
            n: 1..=64,
        };
        for needs in [
            Needs::default(),
            Needs {
                tilt: true,
                budget: true,
                lex: true,
                ..Needs::default()
            },
            Needs {
                true_reward: true,
                ..Needs::default()
            },
            Needs {
                true_reward: true,
                log_q: true,
                ..Needs::default()
            },
        ] {
            let mut disagree = 0;
            for i in 0..2000 {
                let spec = case(7, i, &bounds, needs);
                let (c, _) = spec.resolve().unwrap_or_else(|e| panic!("{spec:?}: {e}"));
                assert_eq!(c.true_reward.is_some(), needs.true_reward, "{spec:?}");
                disagree +=
                    usize::from(spec.true_reward.is_some() && spec.true_reward != spec.reward);
                spec.tilt().unwrap();
                assert!(bounds.k.contains(&(c.k() as u32)));
                assert!(bounds.m.contains(&c.m()));
                assert!(bounds.n.contains(&c.n));
            }
            // Most true rewards differ from the proxy (reversed, tied, swapped, independent).
            assert!(!needs.true_reward || disagree > 1000, "{disagree}");
        }
    }

    #[test]
    fn a_case_depends_only_on_seed_and_index() {
        let b = Bounds::default();
        assert_eq!(
            case(1, 99, &b, Needs::default()),
            case(1, 99, &b, Needs::default())
        );
        assert_ne!(
            case(1, 99, &b, Needs::default()),
            case(2, 99, &b, Needs::default())
        );
    }
}
