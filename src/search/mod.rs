//! Counterexample search: generate cases (see [`gen`]), decide the selected claims on each in
//! parallel, and stop at the first counterexample (the one with the smallest case index, so
//! the answer does not depend on the number of threads), then shrink it (see [`shrink`]).
//! [`exhaust`] walks a finite grid instead of sampling.

pub mod exhaust;
pub mod gen;
pub mod recheck;
pub mod shrink;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::claims::{Claim, ClaimResult, Context, Verdict};
use crate::enclosure::PrecisionPolicy;
use crate::error::{InputError, Result};
use crate::spec::CaseSpec;

pub use gen::{Bounds, Needs};

/// When a search stops (besides a counterexample without `--all`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Stop after this many cases.
    Trials(u64),
    /// Stop after this long.
    Time(Duration),
}

/// A search: claims, the space of cases, when to stop, the seed.
pub struct SearchSettings {
    /// The claims to decide on every case.
    pub claims: Vec<std::sync::Arc<Claim>>,
    /// A hypothesis to drop (`--without-hypothesis`), for claims that have it.
    pub dropped: Option<String>,
    /// What the generated cases range over.
    pub bounds: Bounds,
    /// When to stop.
    pub limit: Limit,
    /// The seed: case `i` is a pure function of `(seed, i)`.
    pub seed: u64,
    /// Worker threads.
    pub jobs: usize,
    /// Keep going after the first counterexample.
    pub all: bool,
    /// The precision ladder.
    pub policy: PrecisionPolicy,
    /// The size budget of every generated case's law (`--max-bits`).
    pub budget: crate::model::SizeBudget,
    /// The first case index (a shard of a trial range starts past 0); with
    /// `Limit::Trials(t)` the run covers indices `first..t`.
    pub first: u64,
}

/// One counterexample as found (before shrinking).
#[derive(Debug, Clone)]
pub struct Found {
    /// The case's index in the search.
    pub index: u64,
    /// The case.
    pub spec: CaseSpec,
    /// The claim's result on it.
    pub result: ClaimResult,
}

/// Verdict counts of one claim over a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Cases on which the claim holds.
    pub holds: u64,
    /// Cases on which it fails.
    pub fails: u64,
    /// Cases left undecided at the cap, and those on which the statement is undefined.
    pub undecided: u64,
    /// Of the undecided cases, those on which the statement is undefined exactly (a log of
    /// an exact 0 there).
    pub undefined: u64,
    /// Cases that miss a hypothesis.
    pub not_applicable: u64,
    /// Cases on which it was measured (asymptotic statements).
    pub measured: u64,
    /// The hypothesis and reason of the first case the claim did not apply to, so that a run
    /// where nothing applied can say why.
    pub first_not_applicable: Option<(String, String)>,
}

impl Tally {
    /// Adds another tally (shards of one grid), keeping the first inapplicability reason.
    pub fn merge(&mut self, other: &Tally) {
        self.holds += other.holds;
        self.fails += other.fails;
        self.undecided += other.undecided;
        self.undefined += other.undefined;
        self.not_applicable += other.not_applicable;
        self.measured += other.measured;
        if self.first_not_applicable.is_none() {
            self.first_not_applicable = other.first_not_applicable.clone();
        }
    }

    /// Cases on which the claim was decided or measured (not merely inapplicable).
    pub fn applicable(&self) -> u64 {
        self.holds + self.fails + self.undecided + self.measured
    }
}

impl Tally {
    /// Counts one verdict.
    pub fn add(&mut self, verdict: &Verdict) {
        match verdict {
            Verdict::Holds => self.holds += 1,
            Verdict::Fails => self.fails += 1,
            // Undefined on a case (log of an exact 0 there): counted with the undecided.
            Verdict::Undecided => self.undecided += 1,
            Verdict::Undefined { .. } => {
                self.undecided += 1;
                self.undefined += 1;
            }
            Verdict::NotApplicable { hypothesis, reason } => {
                self.not_applicable += 1;
                if self.first_not_applicable.is_none() {
                    self.first_not_applicable = Some((hypothesis.to_string(), reason.clone()));
                }
            }
            Verdict::Measured => self.measured += 1,
        }
    }
}

#[derive(Debug, Clone)]
/// What a search found.
pub struct SearchOutcome {
    /// Cases generated and decided.
    pub cases: u64,
    /// Time taken.
    pub elapsed: Duration,
    /// Per selected claim, in order.
    pub tallies: Vec<(std::borrow::Cow<'static, str>, Tally)>,
    /// Counterexamples in case order (one unless `all`).
    pub found: Vec<Found>,
    /// Undecided verdicts, first few, for the report.
    pub undecided: Vec<Found>,
}

/// Cases decided between two looks at the clock and the progress bar.
const BATCH: u64 = 512;

/// What the selected claims need generated beyond the case itself.
pub fn needs_of(claims: &[std::sync::Arc<Claim>], dropped: Option<&str>) -> Needs {
    let has = |name: &str| claims.iter().any(|c| c.has_hypothesis(name));
    Needs {
        tilt: has("tilt-parameters"),
        // A statement reading phi (delta-given) is searched over budgets as the catalogue's
        // tilt claims are; one reading q (q-given) over log-q rewards.
        budget: has("budget-given") || has(crate::claims::expr::DELTA_GIVEN.name),
        log_q: has("reward-log-q")
            || has("single-letter")
            || has(crate::claims::expr::Q_GIVEN.name),
        single_letter: has("single-letter"),
        lex: dropped == Some("uniform-tie-break"),
        true_reward: has(crate::claims::expr::TRUE_REWARD_GIVEN.name),
    }
}

/// A counterexample as reported: the case found, and the minimal case (shrunk, unless
/// shrinking was turned off) with its verdict re-decided.
#[derive(Debug, Clone)]
pub struct Reported {
    /// The counterexample as the search found it.
    pub found: Found,
    /// The case reported (the shrunk one, or the found one unshrunk).
    pub minimal: CaseSpec,
    /// The claim decided again on `minimal`.
    pub minimal_result: ClaimResult,
}

/// The first counterexample of each claim in `outcome`, shrunk (unless `shrink` is false) and
/// re-decided: what `search` reports.
pub fn report_first_per_claim(
    outcome: &SearchOutcome,
    policy: PrecisionPolicy,
    shrink: bool,
) -> Result<Vec<Reported>> {
    let mut reported: Vec<Reported> = Vec::new();
    for found in &outcome.found {
        if reported
            .iter()
            .any(|r| r.found.result.claim.id == found.result.claim.id)
        {
            continue;
        }
        let claim = &found.result.claim;
        let dropped = found.result.dropped;
        let minimal = if shrink {
            shrink::shrink(&found.spec, claim, dropped, policy).spec
        } else {
            found.spec.clone()
        };
        let minimal_result = decide_spec(&minimal, claim, dropped, policy)?;
        reported.push(Reported {
            found: found.clone(),
            minimal,
            minimal_result,
        });
    }
    Ok(reported)
}

/// The largest alphabet a search or grid ranges over.
pub const MAX_K: u32 = 64;
/// The longest sequences a search or grid ranges over.
pub const MAX_M: u32 = 64;

impl Bounds {
    /// `k`, `m`, `n` as a space to search, refused (naming the range at fault) outside
    /// `2..=64`, `1..=64` and `1..=2^32-1`.
    pub fn checked(
        k: std::ops::RangeInclusive<u32>,
        m: std::ops::RangeInclusive<u32>,
        n: std::ops::RangeInclusive<u64>,
    ) -> Result<Bounds> {
        let empty = |name: &str, lo: u64, hi: u64| {
            InputError::new(format!(
                "{name}: {lo}..{hi} is empty (low end above high end)"
            ))
        };
        if k.start() > k.end() {
            return Err(empty("k", (*k.start()).into(), (*k.end()).into()));
        }
        if m.start() > m.end() {
            return Err(empty("m", (*m.start()).into(), (*m.end()).into()));
        }
        if n.start() > n.end() {
            return Err(empty("n", *n.start(), *n.end()));
        }
        if *k.start() < 2 || *k.end() > MAX_K {
            return Err(InputError::new(format!(
                "k: alphabet sizes must lie in 2..{MAX_K}"
            )));
        }
        if *m.start() < 1 || *m.end() > MAX_M {
            return Err(InputError::new(format!(
                "m: sequence lengths must lie in 1..{MAX_M}"
            )));
        }
        if *n.start() < 1 || *n.end() > u32::MAX as u64 {
            return Err(InputError::new("n: N must lie in 1..4294967295"));
        }
        Ok(Bounds { k, m, n })
    }

    /// The one size check, for the largest case of the space, before any work starts: its
    /// law must fit `budget` with pmf denominators of `denominator_bits` bits.
    pub fn check_size(
        &self,
        denominator_bits: u64,
        budget: crate::model::SizeBudget,
    ) -> Result<()> {
        crate::law::budget::check_number(
            &format!(
                "n: the largest case of the space (N = {}, m = {})",
                self.n.end(),
                self.m.end()
            ),
            *self.n.end(),
            *self.m.end(),
            denominator_bits,
            budget,
        )
    }
}

/// What `bestofn search` ranges over by default: K in 2..32 (most cases use K <= 4), m in
/// 1..2, N in 1..16.
pub fn default_search_bounds() -> Bounds {
    Bounds {
        k: 2..=32,
        m: 1..=2,
        n: 1..=16,
    }
}

/// Cases a search tries unless told otherwise.
pub const DEFAULT_TRIALS: u64 = 100_000;

/// Most worker threads accepted: far more than any machine has cores, far fewer than would
/// take minutes to spawn.
pub const MAX_JOBS: usize = 1024;

/// Worker threads for `jobs` (all cores when not given), refused when 0 or above [`MAX_JOBS`].
pub fn worker_threads(jobs: Option<usize>) -> Result<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match jobs {
        Some(0) => Err(InputError::new("jobs: need at least 1")),
        Some(j) if j > MAX_JOBS => Err(InputError::new(format!(
            "jobs: {j} threads is more than the limit of {MAX_JOBS} (this machine has {cores} cores)"
        ))),
        Some(j) => Ok(j),
        None => Ok(cores),
    }
}

/// Exit status of a search, grid or certificate on which the claim applied to no case (not a
/// certificate of anything).
pub const EXIT_NOTHING_CHECKED: u8 = 4;

/// Decides `claim` on a generated spec.
pub fn decide_spec(
    spec: &CaseSpec,
    claim: &std::sync::Arc<Claim>,
    dropped: Option<&str>,
    policy: PrecisionPolicy,
) -> Result<ClaimResult> {
    // Cases that hold are only counted here: their evidence is not built.
    let mut ctx = Context::from_spec(spec, policy)?;
    ctx.evidence_of_holds = false;
    claim.evaluate_dropping(&ctx, dropped)
}

/// Runs a search; `progress(cases, counterexamples)` is called after every batch.
pub fn search(settings: &SearchSettings, progress: &dyn Fn(u64, usize)) -> Result<SearchOutcome> {
    search_until(settings, progress, &AtomicBool::new(false))
}

/// [`search`], ending after the batch in which `stop` becomes true (an interrupt from a
/// caller on another thread); the outcome then covers the cases decided so far.
pub fn search_until(
    settings: &SearchSettings,
    progress: &dyn Fn(u64, usize),
    stop: &AtomicBool,
) -> Result<SearchOutcome> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .map_err(|e| {
            InputError::new(format!("jobs: cannot start {} threads: {e}", settings.jobs))
        })?;
    let needs = needs_of(&settings.claims, settings.dropped.as_deref());
    let start = Instant::now();
    let mut tallies: Vec<(std::borrow::Cow<'static, str>, Tally)> = settings
        .claims
        .iter()
        .map(|c| (c.id.clone(), Tally::default()))
        .collect();
    let (mut found, mut undecided) = (Vec::new(), Vec::new());
    let mut next = settings.first;
    loop {
        let batch_end = match settings.limit {
            Limit::Trials(t) => (next + BATCH).min(t),
            Limit::Time(_) => next + BATCH,
        };
        if next >= batch_end {
            break;
        }
        let decided: Vec<Result<(u64, CaseSpec, Vec<ClaimResult>)>> = pool.install(|| {
            (next..batch_end)
                .into_par_iter()
                .map(|index| {
                    let mut spec = gen::case(settings.seed, index, &settings.bounds, needs);
                    spec.budget = Some(settings.budget);
                    let results = settings
                        .claims
                        .iter()
                        .map(|claim| {
                            decide_spec(&spec, claim, settings.dropped.as_deref(), settings.policy)
                        })
                        .collect::<Result<Vec<_>>>()
                        .map_err(|e| {
                            InputError::new(format!(
                                "generated case {index} (seed {}) was refused: {e}; \
                                 case: {}",
                                settings.seed,
                                crate::casefile::write_case(&spec).replace('\n', "; ")
                            ))
                        })?;
                    Ok((index, spec, results))
                })
                .collect()
        });
        for item in decided {
            let (index, spec, results) = item?;
            for (slot, result) in tallies.iter_mut().zip(&results) {
                slot.1.add(&result.verdict);
            }
            for result in results {
                let entry = Found {
                    index,
                    spec: spec.clone(),
                    result,
                };
                match entry.result.verdict {
                    Verdict::Fails => found.push(entry),
                    Verdict::Undecided | Verdict::Undefined { .. } if undecided.len() < 10 => {
                        undecided.push(entry)
                    }
                    _ => {}
                }
            }
        }
        next = batch_end;
        progress(next, found.len());
        if !found.is_empty() && !settings.all {
            // Batches are decided whole and read in index order: the first counterexample
            // is the same whatever the number of threads.
            found.truncate(1);
            break;
        }
        if let Limit::Time(limit) = settings.limit {
            if start.elapsed() >= limit {
                break;
            }
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
    }
    Ok(SearchOutcome {
        cases: next - settings.first,
        elapsed: start.elapsed(),
        tallies,
        found,
        undecided,
    })
}
