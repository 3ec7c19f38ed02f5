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

use std::ops::{Range, RangeInclusive};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::claims::{Claim, Verdict};
use crate::enclosure::PrecisionPolicy;
use crate::error::{InputError, Result};
use crate::search::{decide_spec, needs_of, Found, Tally};
use crate::spec::CaseSpec;

/// Refuse grids with more cases than this.
pub const MAX_GRID: u64 = 50_000_000;

/// The pmf grid's denominators: `1/den` steps with `den` in `2..=1000`.
pub fn check_den(den: u32) -> Result<()> {
    if (2..=1000).contains(&den) {
        Ok(())
    } else {
        Err(InputError::new("den: must lie in 2..1000"))
    }
}

/// The grid `bestofn exhaust` walks by default: K in 2..3, m = 1, N in 1..8, pmfs in
/// twelfths, per-letter values 0..=3 when m >= 2.
pub const DEFAULT_DEN: u32 = 12;
/// See [`DEFAULT_DEN`].
pub const DEFAULT_VALUES: [i64; 4] = [0, 1, 2, 3];

/// An exhaustive run: one claim on every case of a finite grid.
#[derive(Debug, Clone)]
pub struct ExhaustSettings {
    /// The claim.
    pub claim: std::sync::Arc<Claim>,
    /// A hypothesis to drop, if the claim has it.
    pub dropped: Option<String>,
    /// Alphabet sizes K.
    pub k: RangeInclusive<u32>,
    /// Sequence lengths m.
    pub m: RangeInclusive<u32>,
    /// Numbers of draws N.
    pub n: RangeInclusive<u64>,
    /// pmf entries are the positive multiples of 1/den.
    pub den: u32,
    /// Per-letter reward values for m >= 2.
    pub values: Vec<i64>,
    /// alpha, beta, delta for claims that read them (case-file strings).
    pub alpha: Option<String>,
    /// See `alpha`.
    pub beta: Option<String>,
    /// See `alpha`.
    pub delta: Option<String>,
    /// Worker threads.
    pub jobs: usize,
    /// The precision ladder.
    pub policy: PrecisionPolicy,
    /// The size budget of every case's law (`--max-bits`).
    pub budget: crate::model::SizeBudget,
}

#[derive(Debug, Clone)]
/// What an exhaustive run found.
pub struct ExhaustOutcome {
    /// A plain description of the grid, for the report.
    pub grid: String,
    /// Cases decided.
    pub cases: u64,
    /// Verdict counts.
    pub tally: Tally,
    /// The first counterexample, if any.
    pub counterexample: Option<Found>,
    /// Time taken.
    pub elapsed: Duration,
}

impl ExhaustOutcome {
    /// The claim held (or was measured) on every case of the grid it applied to, none was
    /// undecided, and it applied to at least one: a grid where nothing applied certifies
    /// nothing.
    pub fn certified(&self) -> bool {
        self.counterexample.is_none() && self.tally.undecided == 0 && self.tally.applicable() > 0
    }
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

/// One block of the grid: a fixed (K, m), its pmfs, rewards (or q), N range and tie-breaks.
/// Case `local` of the block is `((pmf * rewards + reward) * ns + n) * ties + tie`, the order
/// of four nested loops, so any index is decoded without enumerating the ones before it.
#[derive(Debug, Clone)]
struct Block {
    k: u32,
    m: u32,
    pmfs: Vec<Vec<u32>>,
    /// `(key, value, true reward)`: `("reward", "additive:..", None)` or `("q", "a/den,..",
    /// None)`; with a true reward, every proxy paired with every true reward of the grid.
    rewards: Vec<(&'static str, String, Option<String>)>,
    start: u64,
    count: u64,
}

/// The grid of an exhaustive run: `count` cases in a fixed order, each computed on demand
/// from its index (a shard reads only its own range).
#[derive(Debug, Clone)]
pub struct Grid {
    blocks: Vec<Block>,
    n: RangeInclusive<u64>,
    ties: &'static [&'static str],
    den: u32,
    alpha: Option<String>,
    beta: Option<String>,
    delta: Option<String>,
    budget: crate::model::SizeBudget,
    /// Number of cases.
    pub count: u64,
    /// A plain description, for reports and certificates.
    pub description: String,
}

impl Grid {
    /// Counts the grid (refusing more than [`MAX_GRID`] cases before enumerating anything),
    /// then lists each block's pmfs and rewards.
    pub fn new(settings: &ExhaustSettings) -> Result<Grid> {
        let needs = needs_of(
            std::slice::from_ref(&settings.claim),
            settings.dropped.as_deref(),
        );
        let uses_q = needs.tilt || needs.budget;
        let ties: &'static [&'static str] = if needs.lex {
            &["uniform", "lex-min", "lex-max"]
        } else {
            &["uniform"]
        };
        if *settings.k.end() > 6 {
            return Err(InputError::new(
                "exhaust: K at most 6 (the weak orders of 7 letters already number 47293)",
            ));
        }
        let n_count = settings.n.end() - settings.n.start() + 1;
        let mut count: u64 = 0;
        let mut per_k = Vec::new();
        for k in settings.k.clone() {
            let pmfs = binomial(settings.den as u64 - 1, k as u64 - 1);
            for m in settings.m.clone() {
                let v = settings.values.len() as u64;
                let per_letter = if m == 1 {
                    fubini(k as u64)
                } else {
                    v.saturating_pow(k)
                        .saturating_sub((v.saturating_sub(1)).saturating_pow(k))
                };
                let proxies = if uses_q { pmfs } else { per_letter };
                let rewards = if needs.true_reward {
                    proxies.saturating_mul(per_letter)
                } else {
                    proxies
                };
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
        let pmf_text = |c: &Vec<u32>| {
            c.iter()
                .map(|a| format!("{a}/{}", settings.den))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut blocks = Vec::new();
        let mut start = 0;
        for k in settings.k.clone() {
            let pmfs = compositions(settings.den, k as usize);
            for m in settings.m.clone() {
                let per_letter: Vec<String> = if m == 1 {
                    weak_orders(k as usize)
                        .iter()
                        .map(|r| format!("additive:{}", list(r)))
                        .collect()
                } else {
                    value_vectors(&settings.values, k as usize)
                        .iter()
                        .map(|v| format!("additive:{}", list(v)))
                        .collect()
                };
                let proxies: Vec<(&'static str, String)> = if uses_q {
                    pmfs.iter().map(|c| ("q", pmf_text(c))).collect()
                } else {
                    per_letter.iter().map(|r| ("reward", r.clone())).collect()
                };
                let rewards: Vec<(&'static str, String, Option<String>)> = if needs.true_reward {
                    proxies
                        .iter()
                        .flat_map(|(key, r)| {
                            per_letter
                                .iter()
                                .map(|t| (*key, r.clone(), Some(t.clone())))
                        })
                        .collect()
                } else {
                    proxies.into_iter().map(|(k, r)| (k, r, None)).collect()
                };
                let block_count =
                    pmfs.len() as u64 * rewards.len() as u64 * n_count * ties.len() as u64;
                blocks.push(Block {
                    k,
                    m,
                    pmfs: pmfs.clone(),
                    rewards,
                    start,
                    count: block_count,
                });
                start += block_count;
            }
        }
        let truth_text = if needs.true_reward {
            "; true reward: every reward of the same kind, paired with every proxy"
        } else {
            ""
        };
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
        // In words, not range syntax: "K from 2 to 3", "m = 1".
        let span = |name: &str, lo: u64, hi: u64| {
            if lo == hi {
                format!("{name} = {lo}")
            } else {
                format!("{name} from {lo} to {hi}")
            }
        };
        let pmf_counts = settings
            .k
            .clone()
            .zip(&per_k)
            .map(|(k, count)| format!("{count} for K = {k}"))
            .collect::<Vec<_>>()
            .join(", ");
        let description = format!(
            "{}, {}, {}; p: every pmf with positive entries in multiples of 1/{} ({pmf_counts}); \
             reward: {reward_text}{truth_text}; tie-break: {}",
            span(
                "K",
                u64::from(*settings.k.start()),
                u64::from(*settings.k.end())
            ),
            span(
                "m",
                u64::from(*settings.m.start()),
                u64::from(*settings.m.end())
            ),
            span("N", *settings.n.start(), *settings.n.end()),
            settings.den,
            ties.join(", ")
        );
        Ok(Grid {
            blocks,
            n: settings.n.clone(),
            ties,
            den: settings.den,
            alpha: settings.alpha.clone(),
            beta: settings.beta.clone(),
            delta: settings.delta.clone(),
            budget: settings.budget,
            count: start,
            description,
        })
    }

    /// Case `index` (`< count`) of the grid.
    pub fn case(&self, index: u64) -> CaseSpec {
        let b = match self.blocks.binary_search_by(|b| b.start.cmp(&index)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let block = &self.blocks[b];
        debug_assert!(index - block.start < block.count, "index within the grid");
        let mut local = index - block.start;
        let ties = self.ties.len() as u64;
        let ns = self.n.end() - self.n.start() + 1;
        let tie = self.ties[(local % ties) as usize];
        local /= ties;
        let n = self.n.start() + local % ns;
        local /= ns;
        let (key, reward, true_reward) =
            &block.rewards[(local % block.rewards.len() as u64) as usize];
        let pmf = &block.pmfs[(local / block.rewards.len() as u64) as usize];
        let mut spec = CaseSpec {
            p: Some(
                pmf.iter()
                    .map(|a| format!("{a}/{}", self.den))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            m: Some(block.m),
            n: Some(n),
            tie_break: Some(tie.to_string()),
            alpha: self.alpha.clone(),
            beta: self.beta.clone(),
            delta: self.delta.clone(),
            budget: Some(self.budget),
            true_reward: true_reward.clone(),
            ..Default::default()
        };
        if *key == "q" {
            spec.q = Some(reward.clone());
        } else {
            spec.reward = Some(reward.clone());
        }
        debug_assert!(block.k as usize == pmf.len());
        spec
    }
}

/// The index range `[start, end)` of shard `index` (1-based) of `count` over `cases`:
/// contiguous, in grid order, independent of threads and machines.
pub fn shard_range(cases: u64, index: u64, count: u64) -> Range<u64> {
    let at = |i: u64| (cases as u128 * i as u128 / count as u128) as u64;
    at(index - 1)..at(index)
}

/// What a run of a range has found so far: enough to resume it, or to write its certificate.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The next index to decide (the range's end when done).
    pub next: u64,
    /// Verdict counts so far.
    pub tally: Tally,
    /// Every counterexample (or only the first, when the run stops at it), in index order.
    pub counterexamples: Vec<Found>,
    /// Every undecided case, in index order.
    pub undecided: Vec<Found>,
    /// Time spent so far, over all resumed runs.
    pub elapsed: Duration,
}

/// How to run: which range, whether to stop at the first counterexample, where to resume.
pub struct Plan<'a> {
    /// The grid indices to decide.
    pub range: Range<u64>,
    /// Decide every case of the range (certificates) instead of stopping at the first failure.
    pub all: bool,
    /// A previous run's progress over the same range, to continue from.
    pub resume: Option<Progress>,
    /// Called with the progress after each chunk (the binary writes its checkpoint there).
    pub checkpoint: &'a dyn Fn(&Progress),
    /// Ends the run after the chunk in which this becomes true (an interrupt from a caller
    /// on another thread).
    pub stop: Option<&'a AtomicBool>,
}

/// Runs the grid; `progress(done, total)` after each chunk.
pub fn exhaust(settings: &ExhaustSettings, progress: &dyn Fn(u64, u64)) -> Result<ExhaustOutcome> {
    exhaust_until(settings, progress, &AtomicBool::new(false))
}

/// [`exhaust`], ending after the chunk in which `stop` becomes true.
pub fn exhaust_until(
    settings: &ExhaustSettings,
    progress: &dyn Fn(u64, u64),
    stop: &AtomicBool,
) -> Result<ExhaustOutcome> {
    let grid = Grid::new(settings)?;
    let plan = Plan {
        range: 0..grid.count,
        all: false,
        resume: None,
        checkpoint: &|_| {},
        stop: Some(stop),
    };
    let state = exhaust_range(settings, &grid, plan, progress)?;
    Ok(ExhaustOutcome {
        grid: grid.description.clone(),
        cases: state.next,
        tally: state.tally,
        counterexample: state.counterexamples.into_iter().next(),
        elapsed: state.elapsed,
    })
}

/// The worker pool of `settings.jobs` threads.
pub fn pool_of(settings: &ExhaustSettings) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .map_err(|e| InputError::new(format!("jobs: {e}")))
}

/// Decides the grid cases `indices` in parallel on `pool`; the results in the order given,
/// each with its case.
pub fn decide_cases(
    settings: &ExhaustSettings,
    grid: &Grid,
    pool: &rayon::ThreadPool,
    indices: &[u64],
) -> Vec<(u64, CaseSpec, Result<crate::claims::ClaimResult>)> {
    pool.install(|| {
        indices
            .par_iter()
            .map(|&index| {
                let spec = grid.case(index);
                let result = decide_spec(
                    &spec,
                    &settings.claim,
                    settings.dropped.as_deref(),
                    settings.policy,
                );
                (index, spec, result)
            })
            .collect()
    })
}

/// Cases decided between checkpoints and looks at the progress bar.
const CHUNK: u64 = 4096;

/// Runs `plan.range` of `grid` in index order, in parallel chunks.
pub fn exhaust_range(
    settings: &ExhaustSettings,
    grid: &Grid,
    plan: Plan,
    progress: &dyn Fn(u64, u64),
) -> Result<Progress> {
    let pool = pool_of(settings)?;
    let range = plan.range.clone();
    let mut state = plan.resume.unwrap_or(Progress {
        next: range.start,
        ..Progress::default()
    });
    let resumed = state.elapsed;
    let start = Instant::now();
    let total = range.end - range.start;
    while state.next < range.end {
        let chunk_end = (state.next + CHUNK).min(range.end);
        let indices: Vec<u64> = (state.next..chunk_end).collect();
        for (index, spec, result) in decide_cases(settings, grid, &pool, &indices) {
            let result = result.map_err(|e| {
                InputError::new(format!("exhaust: grid case {index} was refused: {e}"))
            })?;
            state.tally.add(&result.verdict);
            let found = || Found {
                index,
                spec: spec.clone(),
                result: result.clone(),
            };
            match result.verdict {
                Verdict::Fails if plan.all || state.counterexamples.is_empty() => {
                    state.counterexamples.push(found())
                }
                Verdict::Undecided | Verdict::Undefined { .. } => state.undecided.push(found()),
                _ => {}
            }
        }
        state.next = chunk_end;
        state.elapsed = resumed + start.elapsed();
        progress(state.next - range.start, total);
        (plan.checkpoint)(&state);
        if !plan.all && !state.counterexamples.is_empty() {
            break;
        }
        if plan.stop.is_some_and(|stop| stop.load(Ordering::Relaxed)) {
            break;
        }
    }
    state.elapsed = resumed + start.elapsed();
    Ok(state)
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
    fn shards_partition_the_grid() {
        for cases in [0u64, 1, 7, 100, 25168] {
            for count in 1..=9 {
                let mut next = 0;
                for i in 1..=count {
                    let r = shard_range(cases, i, count);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, cases);
            }
        }
    }

    #[test]
    fn compositions_count_binomially() {
        // C(11, 2) pmfs on 3 letters in twelfths.
        assert_eq!(compositions(12, 3).len(), 55);
        assert_eq!(compositions(12, 2).len(), 11);
        assert!(compositions(2, 3).is_empty());
    }
}
