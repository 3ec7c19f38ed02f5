//! Exhaustive mode: every case of a finite grid, in a fixed order, so that the result is a
//! certified statement "holds on all C cases of this grid" or the first counterexample.
//!
//! The grid: every pmf on K letters whose entries are positive multiples of `1/den`; for the
//! reward, with m = 1 every weak order of the K letters (the law, KL and win rate depend on the
//! reward only through the ranking with ties it induces: 3 for K = 2, 13 for K = 3, 75 for
//! K = 4), given as additive ranks; with m >= 2 every per-letter additive value vector from a
//! stated grid (default 0..=3) whose smallest value is 0 (adding a constant to every letter
//! changes no comparison). Claims that read q take q from the same pmf grid with reward log q,
//! and their exponents and budget from the flags. Tie-breaking is uniform, or lexicographic
//! (both) when the uniform-tie-break hypothesis is dropped.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::casefile::CaseSpec;
use crate::claims::{Claim, Verdict};
use crate::enclosure::PrecisionPolicy;
use crate::error::{InputError, Result};
use crate::search::{decide_spec, needs_of, Found, Tally};

/// Refuse grids with more cases than this.
pub const MAX_GRID: u64 = 50_000_000;

pub struct ExhaustSettings {
    pub claim: &'static Claim,
    pub dropped: Option<String>,
    pub k: RangeInclusive<u32>,
    pub m: RangeInclusive<u32>,
    pub n: RangeInclusive<u64>,
    pub den: u32,
    /// Per-letter reward values for m >= 2.
    pub values: Vec<i64>,
    /// alpha, beta, delta for claims that read them (case-file strings).
    pub alpha: Option<String>,
    pub beta: Option<String>,
    pub delta: Option<String>,
    pub jobs: usize,
    pub policy: PrecisionPolicy,
}

#[derive(Debug, Clone)]
pub struct ExhaustOutcome {
    /// A plain description of the grid, for the report.
    pub grid: String,
    pub cases: u64,
    pub tally: Tally,
    pub counterexample: Option<Found>,
    pub elapsed: Duration,
}

/// Every composition of `total` into `k` positive parts, in lexicographic order.
pub fn compositions(total: u32, k: usize) -> Vec<Vec<u32>> {
    fn walk(total: u32, k: usize, prefix: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if k == 1 {
            if total >= 1 {
                prefix.push(total);
                out.push(prefix.clone());
                prefix.pop();
            }
            return;
        }
        for first in 1..=total.saturating_sub(k as u32 - 1) {
            prefix.push(first);
            walk(total - first, k - 1, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    if k >= 1 && total as usize >= k {
        walk(total, k, &mut Vec::new(), &mut out);
    }
    out
}

/// `C(n, k)`, saturating.
fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    (0..k.min(n - k)).fold(1u64, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}

/// The number of weak orders of `k` items (ordered Bell numbers): 1, 1, 3, 13, 75, 541, 4683.
fn fubini(k: u64) -> u64 {
    let mut a = vec![1u64];
    for n in 1..=k {
        let next = (1..=n)
            .map(|i| binomial(n, i).saturating_mul(a[(n - i) as usize]))
            .sum();
        a.push(next);
    }
    a[k as usize]
}

/// Every weak order (ranking with ties) of `k` letters, as ranks `0..r` onto an initial segment.
pub fn weak_orders(k: usize) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let total = (k as u64).pow(k as u32);
    for code in 0..total {
        let mut ranks = Vec::with_capacity(k);
        let mut c = code;
        for _ in 0..k {
            ranks.push((c % k as u64) as u32);
            c /= k as u64;
        }
        let top = *ranks.iter().max().unwrap();
        if (0..=top).all(|r| ranks.contains(&r)) {
            out.push(ranks);
        }
    }
    out
}

fn list<T: ToString>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

/// Per-letter value vectors from `values` whose minimum is the grid's minimum.
fn value_vectors(values: &[i64], k: usize) -> Vec<Vec<i64>> {
    let min = *values.iter().min().unwrap();
    let mut out: Vec<Vec<i64>> = vec![Vec::new()];
    for _ in 0..k {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(*v);
                    next
                })
            })
            .collect();
    }
    out.retain(|v| v.contains(&min));
    out
}

/// The grid's cases in order.
fn grid(settings: &ExhaustSettings) -> Result<(Vec<CaseSpec>, String)> {
    let needs = needs_of(&[settings.claim], settings.dropped.as_deref());
    let uses_q = needs.tilt || needs.budget;
    let ties: &[&str] = if needs.lex {
        &["uniform", "lex-min", "lex-max"]
    } else {
        &["uniform"]
    };
    if *settings.k.end() > 6 {
        return Err(InputError::new(
            "exhaust: K at most 6 (the weak orders of 7 letters already number 47293)",
        ));
    }
    // Count before enumerating anything: C(den-1, K-1) pmfs per K.
    let mut count: u64 = 0;
    let mut per_k = Vec::new();
    for k in settings.k.clone() {
        let pmfs = binomial(settings.den as u64 - 1, k as u64 - 1);
        for m in settings.m.clone() {
            let v = settings.values.len() as u64;
            let rewards = if uses_q {
                pmfs
            } else if m == 1 {
                fubini(k as u64)
            } else {
                v.saturating_pow(k)
                    .saturating_sub((v.saturating_sub(1)).saturating_pow(k))
            };
            let n_count = settings.n.end() - settings.n.start() + 1;
            count = count.saturating_add(
                pmfs.saturating_mul(rewards)
                    .saturating_mul(n_count)
                    .saturating_mul(ties.len() as u64),
            );
        }
        per_k.push(pmfs);
    }
    if count > MAX_GRID {
        return Err(InputError::new(format!(
            "exhaust: the grid has {count} cases, more than {MAX_GRID}; narrow --k, --m, --n or --den"
        )));
    }
    let mut specs = Vec::with_capacity(count as usize);
    for k in settings.k.clone() {
        let pmfs = compositions(settings.den, k as usize);
        let pmf_text = |c: &Vec<u32>| {
            c.iter()
                .map(|a| format!("{a}/{}", settings.den))
                .collect::<Vec<_>>()
                .join(",")
        };
        for m in settings.m.clone() {
            // (reward key, value) pairs: either `reward` or `q`.
            let rewards: Vec<(&str, String)> = if uses_q {
                pmfs.iter().map(|c| ("q", pmf_text(c))).collect()
            } else if m == 1 {
                weak_orders(k as usize)
                    .iter()
                    .map(|r| ("reward", format!("additive:{}", list(r))))
                    .collect()
            } else {
                value_vectors(&settings.values, k as usize)
                    .iter()
                    .map(|v| ("reward", format!("additive:{}", list(v))))
                    .collect()
            };
            for p in &pmfs {
                for (key, reward) in &rewards {
                    for n in settings.n.clone() {
                        for tie in ties {
                            let mut spec = CaseSpec {
                                p: Some(pmf_text(p)),
                                m: Some(m),
                                n: Some(n),
                                tie_break: Some(tie.to_string()),
                                alpha: settings.alpha.clone(),
                                beta: settings.beta.clone(),
                                delta: settings.delta.clone(),
                                ..Default::default()
                            };
                            if *key == "q" {
                                spec.q = Some(reward.clone());
                            } else {
                                spec.reward = Some(reward.clone());
                            }
                            specs.push(spec);
                        }
                    }
                }
            }
        }
    }
    let reward_text = if uses_q {
        format!(
            "q over the same pmf grid, reward log q{}{}{}",
            settings
                .alpha
                .as_ref()
                .map(|a| format!(", alpha = {a}"))
                .unwrap_or_default(),
            settings
                .beta
                .as_ref()
                .map(|b| format!(", beta = {b}"))
                .unwrap_or_default(),
            settings
                .delta
                .as_ref()
                .map(|d| format!(", delta = {d}"))
                .unwrap_or_default()
        )
    } else {
        format!(
            "m = 1: every weak order of the letters (additive ranks); m >= 2: every additive \
             per-letter vector over {{{}}} containing its minimum",
            list(&settings.values)
        )
    };
    let description = format!(
        "K in {}..={}, m in {}..={}, N in {}..={}; p: every pmf with positive entries in multiples \
         of 1/{} ({} pmfs per K); reward: {reward_text}; tie-break: {}",
        settings.k.start(),
        settings.k.end(),
        settings.m.start(),
        settings.m.end(),
        settings.n.start(),
        settings.n.end(),
        settings.den,
        list(&per_k),
        ties.join(", ")
    );
    Ok((specs, description))
}

/// Runs the grid; `progress(done, total)` after each chunk.
pub fn exhaust(settings: &ExhaustSettings, progress: &dyn Fn(u64, u64)) -> Result<ExhaustOutcome> {
    let (specs, description) = grid(settings)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .map_err(|e| InputError::new(format!("jobs: {e}")))?;
    let start = Instant::now();
    let mut tally = Tally::default();
    let mut counterexample = None;
    let total = specs.len() as u64;
    let mut done = 0u64;
    for chunk in specs.chunks(4096) {
        let results: Vec<Result<crate::claims::ClaimResult>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|spec| {
                    decide_spec(
                        spec,
                        settings.claim,
                        settings.dropped.as_deref(),
                        settings.policy,
                    )
                })
                .collect()
        });
        for (i, result) in results.into_iter().enumerate() {
            let result = result?;
            tally.add(&result.verdict);
            if result.verdict == Verdict::Fails && counterexample.is_none() {
                counterexample = Some(Found {
                    index: done + i as u64,
                    spec: chunk[i].clone(),
                    result,
                });
            }
        }
        done += chunk.len() as u64;
        progress(done, total);
        if counterexample.is_some() {
            break;
        }
    }
    Ok(ExhaustOutcome {
        grid: description,
        cases: done,
        tally,
        counterexample,
        elapsed: start.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fubini_numbers() {
        assert_eq!(weak_orders(2).len(), 3);
        assert_eq!(weak_orders(3).len(), 13);
        assert_eq!(weak_orders(4).len(), 75);
        for k in 1..=5 {
            assert_eq!(fubini(k), weak_orders(k as usize).len() as u64);
        }
        assert_eq!(binomial(11, 2), 55);
    }

    #[test]
    fn compositions_count_binomially() {
        // C(11, 2) pmfs on 3 letters in twelfths.
        assert_eq!(compositions(12, 3).len(), 55);
        assert_eq!(compositions(12, 2).len(), 11);
        assert!(compositions(2, 3).is_empty());
    }
}
