//! `bestofn test-impl`: someone's own best-of-N code tested against the exact law, as a
//! property-based test with shrinking, and the mistake named.
//!
//! The implementation is a child process speaking the line protocol of [`protocol`]. Kinds:
//! `law` (a probability per outcome), `scalar` (one named number), `select` (the index of the
//! kept draw among N candidates: the exact law of the implementation's own choices is built by
//! enumerating every N-tuple of draws with its exact probability), `sample` (S selected
//! outcomes for a seed, judged by a G-test at a stated false-alarm rate). A wrong answer is
//! compared with the laws of the usual mistakes ([`oracle::Oracle::alternative_laws`]) and the
//! first failing case is shrunk.
//!
//! For Rust code, [`assert_law_close`] compares a law with the exact one and
//! [`strategy::cases`] generates cases for proptest:
//!
//! ```
//! use bestofn::spec::CaseSpec;
//! use bestofn::testimpl::assert_law_close;
//!
//! let spec = CaseSpec {
//!     p: Some("1/2,1/2".into()),
//!     reward: Some("additive:0,0".into()),
//!     n: Some(3),
//!     ..Default::default()
//! };
//! let (case, _) = spec.resolve()?;
//! // A tie between the two letters: best-of-N leaves p unchanged.
//! assert!(assert_law_close(&case, &[0.5, 0.5], 1e-12, 0.0).is_ok());
//! // The no-ties formula F^N - F_below^N gives each letter 1: refused, with the outcome named.
//! let err = assert_law_close(&case, &[1.0, 1.0], 1e-12, 0.0).unwrap_err();
//! assert!(err.contains("pi(0): expected 1/2, got 1"), "{err}");
//! assert!(err.contains("matches the F^N - F_below^N per outcome"), "{err}");
//! # Ok::<(), bestofn::InputError>(())
//! ```

pub mod oracle;
pub mod protocol;
pub mod render;
pub mod stats;
pub mod strategy;

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use rug::{Float, Rational};
use serde_json::{json, Value as Json};

use crate::compare::ExactDescription;
use crate::error::{InputError, Result};
use crate::search::gen::{self, Needs, Rng};
use crate::search::shrink::shrink_while;
use crate::spec::CaseSpec;
use oracle::{Alternative, Expected, Oracle};
use protocol::{case_json, number, Implementation};

/// What is asked of the implementation.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// The whole law: a probability per outcome.
    Law,
    /// One named number (`kl`, `winrate`, ...).
    Scalar(String),
    /// The index of the kept draw among N candidates.
    Select,
    /// Samples of best-of-N, judged by a G-test.
    Sample,
}

impl Kind {
    /// The kind's name (`law`, `scalar:kl`, ...).
    pub fn name(&self) -> String {
        match self {
            Kind::Law => "law".into(),
            Kind::Scalar(s) => format!("scalar:{s}"),
            Kind::Select => "select".into(),
            Kind::Sample => "sample".into(),
        }
    }
}

/// Resolved settings of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// What the program computes.
    pub kind: Kind,
    /// Alphabet sizes K.
    pub k: RangeInclusive<u32>,
    /// Sequence lengths m.
    pub m: RangeInclusive<u32>,
    /// Numbers of draws N.
    pub n: RangeInclusive<u64>,
    /// The seed of the generated cases.
    pub seed: u64,
    /// Cases to test.
    pub trials: u64,
    /// Test for this long instead.
    pub time: Option<Duration>,
    /// Demand exact answers (rationals), not floats within tolerance.
    pub exact: bool,
    /// Relative tolerance of float answers.
    pub rel_tol: f64,
    /// Absolute tolerance of float answers.
    pub abs_tol: f64,
    /// How long the program may take per request.
    pub timeout: Duration,
    /// Samples per case (sample kind, randomised select).
    pub samples: u64,
    /// The selector is randomised: judge the law of its choices statistically.
    pub randomised: bool,
    /// Family-wise false-alarm rate of the statistical tests (Bonferroni over cases).
    pub alpha: f64,
    /// The program and its arguments.
    pub command: Vec<String>,
    /// Judge against the exact law even where exact rewards collide in f64 (off: a program
    /// matching the law of its f64 rewards passes such a case, with a note).
    pub exact_rewards: bool,
}

/// Most N-tuples of draws the select kind enumerates per case.
pub const MAX_TUPLES: u64 = 1 << 16;

/// What went wrong on one case.
#[derive(Debug, Clone)]
pub struct CaseFailure {
    /// The case.
    pub spec: CaseSpec,
    /// One line per wrong value: what, expected, got, error.
    pub details: Vec<String>,
    /// Largest error against the exact value, and in ulps of its nearest f64.
    pub max_error: Option<(f64, f64)>,
    /// The expected values.
    pub expected: Vec<ExactDescription>,
    /// The program's answers, as printed.
    pub got: Vec<String>,
    /// Which line of `details` has the largest error (value comparisons).
    pub worst: Option<usize>,
}

/// The result of judging one case (one at a time, short-lived: the size does not matter).
#[allow(clippy::large_enum_variant)]
pub enum Judged {
    /// Every value within tolerance.
    Pass,
    /// Wrong against the exact law, right against the law of the rewards as the program was
    /// given them (f64), where exact rewards collide in f64: a pass, with the collision said.
    PassOnF64(String),
    /// Some value wrong.
    Fail(CaseFailure),
}

/// The alternative that fits most tested cases when none fits all.
#[derive(Debug, Clone)]
pub struct Closest {
    /// The alternative.
    pub alternative: Alternative,
    /// On how many tested cases it fits.
    pub fitted: u64,
    /// The first tested case it does not fit.
    pub first_misfit: CaseSpec,
}

/// A run's outcome.
pub struct Outcome {
    /// Cases tested.
    pub tested: u64,
    /// Cases passed.
    pub passed: u64,
    /// Of those, cases passed on the law of the f64 rewards (exact rewards colliding in f64).
    pub passed_on_f64: u64,
    /// The first such case's note.
    pub f64_note: Option<String>,
    /// The first failure, and its shrunk form.
    pub first_failure: Option<(CaseFailure, CaseFailure, u64)>,
    /// Cases failed.
    pub failures: u64,
    /// Alternatives the implementation matched on every tested case (where they were judged).
    pub diagnosis: Vec<Alternative>,
    /// When none matched every case: the one matching most cases (at least half).
    pub closest: Option<Closest>,
    /// The statistical tests' summary (sample kinds).
    pub statistics: Option<String>,
    /// Time taken.
    pub elapsed: Duration,
}

/// The cases test-impl tries: the search generators, plus families that break such code
/// (near-ties below float32 and f64 resolution, unsorted p with ties, zero-probability
/// letters, N = 1, large N).
pub fn case(seed: u64, index: u64, settings: &Settings) -> CaseSpec {
    let bounds = gen::Bounds {
        k: settings.k.clone(),
        m: settings.m.clone(),
        n: settings.n.clone(),
    };
    let mut rng = Rng::for_case(seed ^ 0x7e57_1397, index);
    // Mostly small alphabets (hand-checkable), within the bounds.
    let k_lo = *settings.k.start() as u64;
    let k_hi = (*settings.k.end() as u64).min(4).max(k_lo);
    let k = rng.range(k_lo..=k_hi) as usize;
    // The first cases of every run go through every family once, so that a short run (the
    // default 20 of the statistical kinds) reaches all of them; then the families at random.
    let family = if index < FAMILIES {
        index
    } else {
        match rng.range(0..=9) {
            0 => rng.range(0..=1),
            1 => 2,
            2 => 3,
            _ => 4,
        }
    };
    let mut spec = match family {
        0 | 1 => {
            // Near-ties below float32 (2^-30) or f64 (2^-60) resolution.
            let near = if family == 0 {
                "1073741825/1073741824"
            } else {
                "1152921504606846977/1152921504606846976"
            };
            let values: Vec<&str> = (0..k).map(|y| ["1", near, "0"][y % 3]).collect();
            CaseSpec {
                p: Some(gen::pmf(&mut rng, k)),
                reward: Some(format!("additive:{}", values.join(","))),
                ..Default::default()
            }
        }
        2 => {
            // A zero-probability letter with a reward of its own, and ties among the rest.
            let mut parts: Vec<u64> = (0..k).map(|_| rng.range(1..=4)).collect();
            parts[0] = 0;
            let total: u64 = parts.iter().sum();
            CaseSpec {
                p: Some(fractions(&parts, total)),
                reward: Some(format!(
                    "additive:{}",
                    (0..k)
                        .map(|y| if y == 0 {
                            "5".to_string()
                        } else {
                            (y % 2).to_string()
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                )),
                ..Default::default()
            }
        }
        3 => {
            // p unsorted against the reward, with a tie in p.
            let mut parts: Vec<u64> = (0..k).map(|y| (k - y) as u64).collect();
            parts[k - 1] = parts[0];
            let total: u64 = parts.iter().sum();
            CaseSpec {
                p: Some(fractions(&parts, total)),
                reward: Some(format!(
                    "additive:{}",
                    (0..k).map(|y| y.to_string()).collect::<Vec<_>>().join(",")
                )),
                ..Default::default()
            }
        }
        5 => {
            // Exact ties across types: with m = 2, the sequences (0,2) and (1,1) tie.
            let k = if *settings.k.end() >= 3 { k.max(3) } else { k };
            CaseSpec {
                p: Some(gen::pmf(&mut rng, k)),
                reward: Some(format!(
                    "additive:{}",
                    (0..k).map(|y| y.to_string()).collect::<Vec<_>>().join(",")
                )),
                ..Default::default()
            }
        }
        _ => {
            let mut s = gen::case(seed, index, &bounds, Needs::default());
            s.name = None;
            s.p = Some(gen::pmf(&mut rng, k));
            s.reward = s.reward.map(|r| {
                let (kind, values) = r.split_once(':').unwrap_or(("additive", "0"));
                let values: Vec<&str> = values.split(',').collect();
                format!(
                    "{kind}:{}",
                    (0..k)
                        .map(|y| values[y % values.len()])
                        .collect::<Vec<_>>()
                        .join(",")
                )
            });
            s
        }
    };
    spec.tie_break = Some("uniform".into());
    let (m_lo, m_hi) = (*settings.m.start(), *settings.m.end());
    let m = if family == 5 {
        2u32.clamp(m_lo, m_hi)
    } else {
        rng.range(m_lo as u64..=m_hi as u64) as u32
    };
    spec.m = Some(m);
    let (n_lo, n_hi) = (*settings.n.start(), *settings.n.end());
    let mut n = match (family, rng.range(0..=5)) {
        (6, _) | (_, 0) => n_lo,
        (7, _) | (_, 1) => n_hi,
        _ => rng.range(n_lo..=n_hi.min(n_lo + 7)),
    };
    if settings.kind == Kind::Select {
        // Keep (K^m)^N within the enumeration budget.
        let outcomes = (k as u64).pow(m);
        while n > 1
            && outcomes
                .checked_pow(n as u32)
                .is_none_or(|t| t > MAX_TUPLES)
        {
            n -= 1;
        }
    }
    spec.n = Some(n);
    spec
}

/// The case test-impl generates for `seed` in case family `family` (below [`FAMILIES`]: that
/// family; above: one at random, as later cases of a run), with K, m and N fixed: what a
/// property-based test framework that shrinks K, m and N itself draws from (the Python
/// package's Hypothesis strategy).
pub fn generated_case(seed: u64, family: u64, k: u32, m: u32, n: u64) -> CaseSpec {
    let settings = Settings {
        k: k..=k,
        m: m..=m,
        n: n..=n,
        ..Settings::in_process(
            Kind::Law,
            &Tolerance {
                rel_tol: 0.0,
                abs_tol: 0.0,
                exact: true,
                exact_rewards: false,
            },
        )
    };
    case(seed, family, &settings)
}

/// The case families a run starts with, in order: near-ties below float32 and below f64
/// resolution, a zero-probability letter, p unsorted against the reward, the search
/// generators' cases (exact ties within a type), ties across types, N = 1, the largest N.
pub const FAMILIES: u64 = 8;

/// `a/total,b/total,...`.
fn fractions(parts: &[u64], total: u64) -> String {
    parts
        .iter()
        .map(|a| format!("{a}/{total}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn within(settings: &Settings, expected: &Rational, error: &Rational) -> bool {
    let abs = Rational::from_f64(settings.abs_tol).unwrap_or_default();
    let rel = Rational::from_f64(settings.rel_tol).unwrap_or_default()
        * Rational::from(expected.abs_ref());
    *error <= abs || *error <= rel
}

/// `|v - x|` in ulps of the nearest f64 of `x`.
fn ulps(error: &Rational, x: &Rational) -> f64 {
    let near = Float::with_val(53, x);
    if near.is_zero() {
        return f64::INFINITY;
    }
    let exp = near.get_exp().unwrap_or(0) - 53;
    let ulp = if exp >= 0 {
        Rational::from(rug::Integer::from(1) << exp as u32)
    } else {
        Rational::from((1, rug::Integer::from(1) << (-exp) as u32))
    };
    Rational::from(error / &ulp).to_f64()
}

/// Compares one vector of answers with expected values; the failure, if any.
fn compare_values(
    settings: &Settings,
    oracle: &Oracle,
    labels: &[String],
    expected: &[Expected],
    got: &[Rational],
) -> Option<CaseFailure> {
    let mut details = Vec::new();
    let mut max_error: Option<(f64, f64)> = None;
    // The failing line of largest error, and that error.
    let mut worst: Option<(usize, Rational)> = None;
    for ((label, x), v) in labels.iter().zip(expected).zip(got) {
        let error = x.error_upper(v);
        let ok = match x {
            Expected::Exact(x) if settings.exact => v == x,
            Expected::Exact(x) => within(settings, x, &error),
            Expected::Enclosed(_) => within(settings, &x.point(), &error),
        };
        let e = error.to_f64();
        let u = ulps(&error, &x.point());
        if max_error.is_none_or(|(m, _)| e > m) {
            max_error = Some((e, u));
        }
        if !ok {
            if worst.as_ref().is_none_or(|(_, w)| error > *w) {
                worst = Some((details.len(), error.clone()));
            }
            let ulps = if u.is_finite() {
                format!("{u:.3e} ulps")
            } else {
                "the value is 0".into()
            };
            details.push(format!(
                "{label}: expected {}, got {} (error {e:.3e}, {ulps})",
                x.shown(),
                shown(v),
            ));
        }
    }
    (!details.is_empty()).then(|| CaseFailure {
        spec: spec_of(oracle),
        details,
        max_error,
        expected: expected.iter().map(Expected::shown).collect(),
        got: got.iter().map(shown).collect(),
        worst: worst.map(|(i, _)| i),
    })
}

/// An answer as the implementation wrote it: a float (a dyadic rational) as its shortest
/// decimal, an exact string as a fraction.
fn shown(v: &Rational) -> String {
    if v.denom().is_power_of_two() && v.denom().significant_bits() > 1 {
        format!("{}", v.to_f64())
    } else {
        crate::exact::decimal::brief(v)
    }
}

/// A law against the exact uniform-tie-break law, outcome by outcome.
fn compare_law(settings: &Settings, oracle: &Oracle, got: &[Rational]) -> Option<CaseFailure> {
    let expected: Vec<Expected> = oracle.law.iter().cloned().map(Expected::Exact).collect();
    compare_values(settings, oracle, &labels(oracle), &expected, got)
}

fn spec_of(oracle: &Oracle) -> CaseSpec {
    let case = &oracle.case;
    CaseSpec {
        p: Some(case.source.pmf.to_string()),
        reward: Some(case.reward.spec()),
        m: Some(case.m()),
        n: Some(case.n),
        tie_break: Some(case.tie_break.name().into()),
        ..Default::default()
    }
}

fn labels(oracle: &Oracle) -> Vec<String> {
    oracle
        .sequences
        .iter()
        .map(|s| {
            format!(
                "pi({})",
                s.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
            )
        })
        .collect()
}

/// Reads a law of `count` values from a response field, validating it.
pub fn law_of(
    response: &Json,
    field: &str,
    count: usize,
) -> std::result::Result<Vec<Rational>, String> {
    let values = response
        .get(field)
        .and_then(Json::as_array)
        .ok_or_else(|| format!("the response has no '{field}' array"))?;
    if values.len() != count {
        return Err(format!(
            "'{field}' has {} values for {count} outcomes",
            values.len()
        ));
    }
    let law: Vec<Rational> = values
        .iter()
        .enumerate()
        .map(|(i, v)| number(v).map_err(|e| format!("{field}[{i}]: {e}")))
        .collect::<std::result::Result<_, _>>()?;
    if let Some(i) = law.iter().position(|x| x.cmp0().is_lt()) {
        return Err(format!(
            "{field}[{i}] = {} is a negative probability",
            crate::exact::decimal::brief(&law[i])
        ));
    }
    Ok(law)
}

/// The implementation's answer on one case, judged, with the values it gave (for diagnosis).
struct Answer {
    judged: Judged,
    /// The implementation's law (law, select) or scalar, when it gave one.
    values: Option<Vec<Rational>>,
    /// Observed counts (sample).
    counts: Option<Vec<u64>>,
}

/// The oracle of a spec, and (law and scalar kinds) the one request it takes.
fn prepare(settings: &Settings, spec: &CaseSpec) -> Result<(Oracle, Option<Json>)> {
    let (case, _) = spec.resolve()?;
    let oracle = Oracle::new(case)?;
    let request = match &settings.kind {
        Kind::Law => Some(json!({"kind": "law", "case": case_json(&oracle)})),
        Kind::Scalar(name) => {
            Some(json!({"kind": "scalar", "name": name, "case": case_json(&oracle)}))
        }
        Kind::Select | Kind::Sample => None,
    };
    Ok((oracle, request))
}

fn ask_case(
    imp: &mut Implementation,
    settings: &Settings,
    spec: &CaseSpec,
    seed: u64,
) -> Result<(Oracle, Answer)> {
    let (oracle, request) = prepare(settings, spec)?;
    let response = request.map(|r| imp.ask(r)).transpose()?;
    let answer = judge(imp, settings, spec, seed, &oracle, response)?;
    Ok((oracle, answer))
}

/// Judges one case; `response` is the answer to [`prepare`]'s request (law, scalar), the
/// select and sample kinds ask `imp` themselves.
fn judge(
    imp: &mut Implementation,
    settings: &Settings,
    spec: &CaseSpec,
    seed: u64,
    oracle: &Oracle,
    response: Option<Json>,
) -> Result<Answer> {
    let case_part = case_json(oracle);
    let count = oracle.p.len();
    let bad_answer = |what: String| {
        InputError::new(format!(
            "test-impl: '{}' answered badly on case {}: {what}",
            settings.command.join(" "),
            crate::report::counterexample::case_flags(spec)
        ))
    };
    let answer = match &settings.kind {
        Kind::Law => {
            let response = response.unwrap_or_default();
            let got = law_of(&response, "law", count).map_err(bad_answer)?;
            judge_law(settings, oracle, got)
        }
        Kind::Scalar(name) => {
            let response = response.unwrap_or_default();
            let v = number(response.get("value").unwrap_or(&Json::Null))
                .map_err(|e| bad_answer(format!("value: {e}")))?;
            judge_scalar(settings, oracle, name, v)?
        }
        Kind::Select if settings.randomised => {
            // Tuples drawn from p^N (nearest-f64 cumulative weights: sampling noise dwarfs
            // the rounding), each with a seed for the selector's own randomness.
            let mut rng = Rng::for_case(seed, 0x5e1e_c7ed);
            let weights: Vec<f64> = oracle.p.iter().map(oracle::nearest_f64).collect();
            let total: f64 = weights.iter().sum();
            let n = oracle.case.n as usize;
            let mut requests = Vec::with_capacity(settings.samples as usize);
            let mut draws_of = Vec::with_capacity(settings.samples as usize);
            for _ in 0..settings.samples {
                let draws: Vec<usize> = (0..n)
                    .map(|_| {
                        let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
                        let mut acc = 0.0;
                        weights
                            .iter()
                            .position(|w| {
                                acc += w;
                                u < acc
                            })
                            .unwrap_or(count - 1)
                    })
                    .collect();
                requests.push(json!({"kind": "select", "case": case_part, "draws": draws, "seed": rng.next_u64()}));
                draws_of.push(draws);
            }
            let responses = imp.ask_many(requests)?;
            let mut counts = vec![0u64; count];
            for (draws, response) in draws_of.iter().zip(&responses) {
                let index = response
                    .get("index")
                    .and_then(Json::as_u64)
                    .filter(|&i| (i as usize) < draws.len())
                    .ok_or_else(|| {
                        bad_answer(format!(
                            "'index' must be a position 0..{} among the draws {draws:?}",
                            draws.len()
                        ))
                    })?;
                counts[draws[index as usize]] += 1;
            }
            let judged = statistical_on_f64(settings, oracle, &counts);
            Answer {
                judged,
                values: None,
                counts: Some(counts),
            }
        }
        Kind::Select => {
            let outcomes = count as u64;
            let n = oracle.case.n as u32;
            let tuples = outcomes.checked_pow(n).filter(|&t| t <= MAX_TUPLES).ok_or_else(|| {
                InputError::new(format!("select: ({outcomes})^{n} tuples of draws is more than {MAX_TUPLES}; lower --n or --k"))
            })?;
            let mut draws_of = Vec::with_capacity(tuples as usize);
            for t in 0..tuples {
                let mut draws = Vec::with_capacity(n as usize);
                let mut rest = t;
                for _ in 0..n {
                    draws.push((rest % outcomes) as usize);
                    rest /= outcomes;
                }
                draws.reverse();
                draws_of.push(draws);
            }
            let indices = imp.select_indices(&case_part, &draws_of)?;
            let mut law = vec![Rational::new(); count];
            for (draws, response) in draws_of.iter().zip(&indices) {
                let index = response
                    .as_u64()
                    .filter(|&i| (i as usize) < draws.len())
                    .ok_or_else(|| {
                        bad_answer(format!(
                            "'index' must be a position 0..{} among the draws {draws:?}, got {}",
                            draws.len(),
                            response
                        ))
                    })?;
                let best = draws
                    .iter()
                    .map(|&d| &oracle.keys[d])
                    .max()
                    .expect("N >= 1");
                let chosen = draws[index as usize];
                let weight = draws
                    .iter()
                    .fold(Rational::from(1), |acc, &d| acc * &oracle.p[d]);
                law[chosen] += weight;
                let _ = best;
            }
            let exactly = Settings {
                exact: true,
                ..settings.clone()
            };
            let judged = match compare_law(&exactly, oracle, &law) {
                Some(mut f) => {
                    // The law of the choices is exact: show it as fractions.
                    f.got = law.iter().map(crate::exact::decimal::brief).collect();
                    on_f64(settings, oracle, f, |f64_law| f64_law == law.as_slice())
                }
                None => Judged::Pass,
            };
            Answer {
                judged,
                values: Some(law),
                counts: None,
            }
        }
        Kind::Sample => {
            let response = imp.ask(json!({"kind": "sample", "case": case_part, "seed": seed, "count": settings.samples}))?;
            let samples = response
                .get("samples")
                .and_then(Json::as_array)
                .ok_or_else(|| bad_answer("no 'samples' array".into()))?;
            if samples.len() as u64 != settings.samples {
                return Err(bad_answer(format!(
                    "{} samples for a request of {}",
                    samples.len(),
                    settings.samples
                )));
            }
            let mut counts = vec![0u64; count];
            for s in samples {
                let i = s
                    .as_u64()
                    .filter(|&i| (i as usize) < count)
                    .ok_or_else(|| {
                        bad_answer(format!("sample {s} is not an outcome index 0..{count}"))
                    })?;
                counts[i as usize] += 1;
            }
            let judged = statistical_on_f64(settings, oracle, &counts);
            Answer {
                judged,
                values: None,
                counts: Some(counts),
            }
        }
    };
    Ok(answer)
}

/// Judges a law (one value per sequence, in order) against the exact law, the f64 rule
/// included.
fn judge_law(settings: &Settings, oracle: &Oracle, got: Vec<Rational>) -> Answer {
    let total: Rational = got.iter().sum();
    let mut judged = match compare_law(settings, oracle, &got) {
        Some(f) => on_f64(settings, oracle, f, |law| {
            compare_values(settings, oracle, &labels(oracle), &exact(law), &got).is_none()
        }),
        None => Judged::Pass,
    };
    if !within(
        settings,
        &Rational::from(1),
        &Rational::from(&total - 1u32).abs(),
    ) {
        let detail = format!(
            "the law sums to {}, not 1",
            crate::exact::decimal::brief(&total)
        );
        match &mut judged {
            Judged::Fail(f) => f.details.insert(0, detail),
            Judged::Pass | Judged::PassOnF64(_) => {
                judged = Judged::Fail(CaseFailure {
                    spec: spec_of(oracle),
                    details: vec![detail],
                    max_error: None,
                    expected: vec![ExactDescription::Rational(Rational::from(1))],
                    got: vec![crate::exact::decimal::brief(&total)],
                    worst: None,
                })
            }
        }
    }
    Answer {
        judged,
        values: Some(got),
        counts: None,
    }
}

/// Judges one named scalar (`kl`, `winrate`, an expression) against its exact or enclosed
/// value.
fn judge_scalar(settings: &Settings, oracle: &Oracle, name: &str, v: Rational) -> Result<Answer> {
    let expected = oracle.scalar(name)?;
    if settings.exact && matches!(expected, Expected::Enclosed(_)) {
        return Err(InputError::new(format!(
            "exact: '{name}' involves a logarithm and has no exact rational value; use --rel-tol/--abs-tol"
        )));
    }
    let judged = match compare_values(
        settings,
        oracle,
        &[name.to_string()],
        &[expected],
        std::slice::from_ref(&v),
    ) {
        Some(f) => Judged::Fail(f),
        None => Judged::Pass,
    };
    Ok(Answer {
        judged,
        values: Some(vec![v]),
        counts: None,
    })
}

fn exact(law: &[Rational]) -> Vec<Expected> {
    law.iter().cloned().map(Expected::Exact).collect()
}

/// The f64 rule: a case the answer fails against the exact law passes when exact rewards
/// collide in f64 and `matches` accepts the answer against the law of the f64 rewards
/// (`--exact-rewards` turns the rule off).
fn on_f64(
    settings: &Settings,
    oracle: &Oracle,
    failure: CaseFailure,
    matches: impl Fn(&[Rational]) -> bool,
) -> Judged {
    match oracle.f64_view().filter(|_| !settings.exact_rewards) {
        Some((law, note)) if matches(&law) => Judged::PassOnF64(note),
        _ => Judged::Fail(failure),
    }
}

/// [`statistical`] against the exact law, then (the f64 rule) against the law of the f64
/// rewards.
fn statistical_on_f64(settings: &Settings, oracle: &Oracle, counts: &[u64]) -> Judged {
    match statistical(settings, oracle, &oracle.law, counts) {
        Judged::Fail(f) => on_f64(settings, oracle, f, |law| {
            matches!(statistical(settings, oracle, law, counts), Judged::Pass)
        }),
        judged => judged,
    }
}

/// The G-test of observed counts against `law` (the exact one, or the f64 rewards'), at the
/// per-case level.
fn statistical(settings: &Settings, oracle: &Oracle, law: &[Rational], counts: &[u64]) -> Judged {
    let per_case = settings.alpha / settings.trials.max(1) as f64;
    let test = stats::g_test(counts, law);
    if test.p_value >= per_case {
        return Judged::Pass;
    }
    Judged::Fail(CaseFailure {
        spec: spec_of(oracle),
        details: vec![match test.impossible {
            Some(i) => format!(
                "outcome {} was drawn {} times but has probability 0",
                labels(oracle)[i],
                counts[i]
            ),
            None => format!(
                "G-test against the exact law: G = {:.2}, df = {}, p = {:.3e} < {:.3e} (false-alarm rate {} over {} cases)",
                test.g, test.df, test.p_value, per_case, settings.alpha, settings.trials
            ),
        }],
        max_error: None,
        expected: law
            .iter()
            .map(|x| {
                ExactDescription::Decimal(format!(
                    "{:.1}",
                    x.to_f64() * counts.iter().sum::<u64>() as f64
                ))
            })
            .collect(),
        got: counts.iter().map(u64::to_string).collect(),
        worst: None,
    })
}

/// Which alternatives the answer matches on this case: `(alternative, matches, differs from
/// the truth here)`.
fn diagnose(
    settings: &Settings,
    oracle: &Oracle,
    answer: &Answer,
) -> Result<Vec<(Alternative, bool, bool)>> {
    let mut out = Vec::new();
    match (&settings.kind, &answer.values, &answer.counts) {
        (Kind::Law | Kind::Select, Some(got), _) => {
            let close =
                |x: &Rational, v: &Rational| within(settings, x, &Rational::from(v - x).abs());
            for (alt, law) in oracle.alternative_laws()? {
                let differs = law != oracle.law;
                let matches = law.iter().zip(got).all(|(x, v)| close(x, v));
                out.push((alt, matches, differs));
            }
            out.push((
                Oracle::FIXED_ORDER,
                oracle.fits_a_fixed_order(got, &close),
                oracle.has_tie_classes(),
            ));
        }
        (Kind::Scalar(name), Some(got), _) => {
            let truth = oracle.scalar(name)?;
            for (alt, value) in oracle.scalar_alternatives(name) {
                let differs = value.error_upper(&truth.point())
                    > Rational::from_f64(settings.abs_tol.max(1e-300)).unwrap_or_default();
                let matches = within(settings, &value.point(), &value.error_upper(&got[0]));
                out.push((alt, matches, differs));
            }
        }
        (Kind::Sample | Kind::Select, _, Some(counts)) => {
            let per_case = settings.alpha / settings.trials.max(1) as f64;
            for (alt, law) in oracle.alternative_laws()? {
                let differs = law != oracle.law;
                let total: Rational = law.iter().sum();
                let matches = total == 1 && stats::g_test(counts, &law).p_value >= per_case;
                out.push((alt, matches, differs));
            }
        }
        _ => {}
    }
    Ok(out)
}

/// Runs the test: cases until `trials` (or `time`), every case judged and diagnosed, the first
/// failure shrunk.
pub fn run(settings: &Settings, progress: &dyn Fn(u64, u64)) -> Result<Outcome> {
    let mut imp = Implementation::start(&settings.command, settings.timeout)?;
    let start = Instant::now();
    let (mut tested, mut passed, mut failures) = (0u64, 0u64, 0u64);
    let (mut passed_on_f64, mut f64_note) = (0u64, None);
    let mut first: Option<CaseFailure> = None;
    // Per alternative: still consistent with every judged case; shown to differ from the truth.
    let mut consistent: Vec<(Alternative, bool, bool)> = Vec::new();
    // Per alternative: the cases it fits, and the first case it does not.
    let mut fits: Vec<(u64, Option<CaseSpec>)> = Vec::new();
    let mut index = 0;
    while index < settings.trials {
        if settings.time.is_some_and(|t| start.elapsed() >= t) {
            break;
        }
        // Law and scalar requests go out in batches (one write, then the answers), small
        // enough that the answers fit in the pipe while the requests are being written.
        let first_spec = case(settings.seed, index, settings);
        let (first_oracle, first_request) = prepare(settings, &first_spec)?;
        let batch = match first_request {
            None => 1,
            Some(_) => (32_768 / (24 * first_oracle.p.len() as u64 + 64)).clamp(1, 64),
        }
        .min(settings.trials - index);
        let mut items = vec![(first_spec, first_oracle, first_request)];
        for i in 1..batch {
            let spec = case(settings.seed, index + i, settings);
            let (oracle, request) = prepare(settings, &spec)?;
            items.push((spec, oracle, request));
        }
        let requests: Vec<Json> = items.iter_mut().filter_map(|(_, _, r)| r.take()).collect();
        let mut responses = if requests.is_empty() {
            Vec::new()
        } else {
            imp.ask_many(requests)?
        }
        .into_iter();
        for (offset, (spec, oracle, _)) in items.into_iter().enumerate() {
            let response = responses.next();
            let seed = settings.seed.wrapping_add(index + offset as u64);
            let answer = judge(&mut imp, settings, &spec, seed, &oracle, response)?;
            tested += 1;
            for (i, (alt, matches, differs)) in diagnose(settings, &oracle, &answer)?
                .into_iter()
                .enumerate()
            {
                if consistent.len() <= i {
                    consistent.push((alt, true, false));
                    fits.push((0, None));
                }
                consistent[i].1 &= matches;
                consistent[i].2 |= differs;
                if matches {
                    fits[i].0 += 1;
                } else if fits[i].1.is_none() {
                    fits[i].1 = Some(spec.clone());
                }
            }
            match answer.judged {
                Judged::Pass => passed += 1,
                Judged::PassOnF64(note) => {
                    passed += 1;
                    passed_on_f64 += 1;
                    f64_note.get_or_insert(note);
                }
                Judged::Fail(f) => {
                    failures += 1;
                    first.get_or_insert(f);
                }
            }
        }
        index += batch;
        progress(tested, failures);
    }
    let first_failure = match first {
        None => None,
        Some(f) => {
            let mut evaluations = 0;
            let shrunk = shrink_while(&f.spec, 300, &mut |candidate| {
                evaluations += 1;
                matches!(
                    ask_case(&mut imp, settings, candidate, settings.seed),
                    Ok((
                        _,
                        Answer {
                            judged: Judged::Fail(_),
                            ..
                        }
                    ))
                )
            });
            let minimal = match ask_case(&mut imp, settings, &shrunk.spec, settings.seed)? {
                (
                    _,
                    Answer {
                        judged: Judged::Fail(m),
                        ..
                    },
                ) => m,
                _ => f.clone(),
            };
            Some((f, minimal, evaluations))
        }
    };
    // No alternative fits every case: the one that fits most (at least half), with the first
    // case it does not fit, says more than "none".
    // A fixed order fits wherever lex-min or lex-max does: the particular one is named when it
    // fits at least 90% of the cases the general one does.
    let lex_best = consistent
        .iter()
        .zip(&fits)
        .filter(|((a, _, _), _)| a.name.contains("tie-break law"))
        .map(|(_, (count, _))| *count)
        .max()
        .unwrap_or(0);
    let closest = if failures > 0 && !consistent.iter().any(|(_, all, d)| *all && *d) {
        consistent
            .iter()
            .zip(&fits)
            .filter(|((_, _, differs), (count, _))| *differs && 2 * count >= tested)
            .filter(|((a, _, _), (count, _))| {
                a.name != Oracle::FIXED_ORDER.name || 10 * lex_best < 9 * count
            })
            .max_by_key(|(_, (count, _))| *count)
            .and_then(|((alt, _, _), (count, spec))| {
                spec.clone().map(|s| Closest {
                    alternative: alt.clone(),
                    fitted: *count,
                    first_misfit: s,
                })
            })
    } else {
        None
    };
    // Alternatives consistent with every tested case and shown wrong somewhere; of an exact
    // and an f64 variant of the same mistake, the exact one is named when both fit.
    let diagnosis = if failures > 0 {
        let fitting: Vec<Alternative> = consistent
            .into_iter()
            .filter(|(_, all, differs)| *all && *differs)
            .map(|(a, _, _)| a)
            .collect();
        named(fitting)
    } else {
        Vec::new()
    };
    let statistics = (settings.kind == Kind::Sample || settings.randomised).then(|| {
        let per_case = settings.alpha / settings.trials.max(1) as f64;
        format!(
            "G-test per case at level {per_case:.3e} (false-alarm rate {} over {} cases, Bonferroni); with {} samples a deviation of about {:.3} in total variation on a 9-outcome case is detected with probability 0.99",
            settings.alpha,
            settings.trials,
            settings.samples,
            stats::detectable_tv(settings.samples, 8, per_case)
        )
    });
    Ok(Outcome {
        closest,
        tested,
        passed,
        passed_on_f64,
        f64_note,
        first_failure,
        failures,
        diagnosis,
        statistics,
        elapsed: start.elapsed(),
    })
}

/// Of the alternatives that fit, the ones to name: a fixed order only when no particular one
/// (lex-min, lex-max) fits, since those are fixed orders too; of an exact and an f64 variant
/// of the same mistake, the exact one.
fn named(fitting: Vec<Alternative>) -> Vec<Alternative> {
    let particular = fitting.iter().any(|a| a.name.contains("tie-break law"));
    fitting
        .iter()
        .filter(|a| {
            !a.name.ends_with(" on f64 rewards")
                || !fitting
                    .iter()
                    .any(|b| a.name.starts_with(b.name) && b.name != a.name)
        })
        .filter(|a| !(particular && a.name == Oracle::FIXED_ORDER.name))
        .cloned()
        .collect()
}

/// Replays one case (from a report) against the implementation: the failure, if it persists.
pub fn replay(settings: &Settings, spec: &CaseSpec) -> Result<Option<CaseFailure>> {
    let mut imp = Implementation::start(&settings.command, settings.timeout)?;
    Ok(
        match ask_case(&mut imp, settings, spec, settings.seed)?.1.judged {
            Judged::Fail(f) => Some(f),
            Judged::Pass | Judged::PassOnF64(_) => None,
        },
    )
}

/// Tolerances of an in-process comparison ([`assess_law`], [`assess_scalar`]).
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    /// Relative tolerance per value.
    pub rel_tol: f64,
    /// Absolute tolerance per value.
    pub abs_tol: f64,
    /// Demand exact values (rationals), not floats within tolerance.
    pub exact: bool,
    /// Judge against the exact rewards even where they collide in f64 (off: matching the law
    /// of the f64 rewards passes, with a note, as in test-impl).
    pub exact_rewards: bool,
}

/// One value or law computed by the caller's own code, judged on one case as test-impl judges
/// a program's answer, with the mistakes it matches on this case.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// What was wrong (None: within tolerance).
    pub failure: Option<CaseFailure>,
    /// Passed on the law of the f64 rewards, where exact rewards collide in f64: which.
    pub f64_note: Option<String>,
    /// The known mistakes the answer matches on this case and that differ from the truth here.
    pub diagnosis: Vec<Alternative>,
}

impl Settings {
    /// The settings of an in-process comparison: test-impl's judgement without a program.
    fn in_process(kind: Kind, tolerance: &Tolerance) -> Settings {
        Settings {
            kind,
            k: 1..=1,
            m: 1..=1,
            n: 1..=1,
            seed: 0,
            trials: 1,
            time: None,
            exact: tolerance.exact,
            rel_tol: tolerance.rel_tol,
            abs_tol: tolerance.abs_tol,
            timeout: Duration::ZERO,
            samples: 0,
            randomised: false,
            alpha: 0.0,
            command: Vec::new(),
            exact_rewards: tolerance.exact_rewards,
        }
    }
}

fn assess(settings: &Settings, oracle: &Oracle, answer: Answer) -> Result<Assessment> {
    let matched = diagnose(settings, oracle, &answer)?;
    Ok(match answer.judged {
        Judged::Pass => Assessment {
            failure: None,
            f64_note: None,
            diagnosis: Vec::new(),
        },
        Judged::PassOnF64(note) => Assessment {
            failure: None,
            f64_note: Some(note),
            diagnosis: Vec::new(),
        },
        Judged::Fail(f) => Assessment {
            failure: Some(f),
            f64_note: None,
            diagnosis: named(
                matched
                    .into_iter()
                    .filter(|(_, matches, differs)| *matches && *differs)
                    .map(|(a, _, _)| a)
                    .collect(),
            ),
        },
    })
}

/// Judges a law computed by the caller's own code (one value per sequence, in lexicographic
/// order) against the exact law of `case` under uniform tie-breaking, as test-impl judges a
/// program's `law` answer: the same tolerances, the f64 rule and the diagnosis.
pub fn assess_law(
    case: &crate::model::Case,
    law: &[Rational],
    tolerance: &Tolerance,
) -> Result<Assessment> {
    let oracle = Oracle::new(case.clone())?;
    if law.len() != oracle.p.len() {
        return Err(InputError::new(format!(
            "the law has {} values for the {} outcomes of the case (one per sequence, in lexicographic order)",
            law.len(),
            oracle.p.len()
        )));
    }
    if let Some(i) = law.iter().position(|x| x.cmp0().is_lt()) {
        return Err(InputError::new(format!(
            "the law's value {} at {} is a negative probability",
            crate::exact::decimal::brief(&law[i]),
            labels(&oracle)[i]
        )));
    }
    let settings = Settings::in_process(Kind::Law, tolerance);
    let answer = judge_law(&settings, &oracle, law.to_vec());
    assess(&settings, &oracle, answer)
}

/// Judges one scalar computed by the caller's own code (`kl`, `winrate`, `winrate-strict`,
/// `expected-reward`, or an expression of the claim language) against its exact or enclosed
/// value on `case`, as test-impl judges a `scalar` answer.
pub fn assess_scalar(
    case: &crate::model::Case,
    name: &str,
    value: &Rational,
    tolerance: &Tolerance,
) -> Result<Assessment> {
    let oracle = Oracle::new(case.clone())?;
    let settings = Settings::in_process(Kind::Scalar(name.to_string()), tolerance);
    let answer = judge_scalar(&settings, &oracle, name, value.clone())?;
    assess(&settings, &oracle, answer)
}

/// Compares a law computed by the caller's own code with the exact law of `case` (outcomes in
/// lexicographic sequence order), within `rel_tol` relative or `abs_tol` absolute error per
/// outcome: [`assess_law`], with the failure as [`render::assessment`]'s message.
pub fn assert_law_close(
    case: &crate::model::Case,
    law: &[f64],
    rel_tol: f64,
    abs_tol: f64,
) -> std::result::Result<(), String> {
    let exact: Vec<Rational> = law
        .iter()
        .enumerate()
        .map(|(i, &v)| Rational::from_f64(v).ok_or_else(|| format!("value {i}: {v} is not finite")))
        .collect::<std::result::Result<_, _>>()?;
    let tolerance = Tolerance {
        rel_tol,
        abs_tol,
        exact: false,
        exact_rewards: false,
    };
    let assessment = assess_law(case, &exact, &tolerance).map_err(|e| e.message().to_string())?;
    match assessment.failure {
        None => Ok(()),
        Some(_) => Err(render::assessment("the law", &assessment)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(kind: Kind) -> Settings {
        Settings {
            kind,
            k: 2..=4,
            m: 1..=2,
            n: 1..=8,
            seed: 1,
            trials: 20,
            time: None,
            exact: false,
            rel_tol: 1e-9,
            abs_tol: 1e-12,
            timeout: Duration::from_secs(30),
            samples: 20_000,
            randomised: false,
            alpha: 1e-6,
            command: vec!["true".into()],
            exact_rewards: false,
        }
    }

    #[test]
    fn the_first_cases_go_through_every_family() {
        for seed in [1, 2, 99] {
            let s = settings(Kind::Law);
            let cases: Vec<CaseSpec> = (0..FAMILIES).map(|i| case(seed, i, &s)).collect();
            let reward = |i: usize| cases[i].reward.clone().unwrap();
            assert!(
                reward(0).contains("1073741825/1073741824"),
                "{:?}",
                cases[0]
            );
            assert!(reward(1).contains("1152921504606846977/1152921504606846976"));
            assert!(
                cases[2].p.as_deref().unwrap().starts_with("0/"),
                "{:?}",
                cases[2]
            );
            // p decreasing against an increasing reward, its first and last entries tied.
            let p: Vec<&str> = cases[3].p.as_deref().unwrap().split(',').collect();
            assert_eq!(p.first(), p.last());
            // Ties across types: m = 2 over at least three letters with rewards 0, 1, 2.
            assert_eq!(cases[5].m, Some(2));
            assert!(reward(5).starts_with("additive:0,1,2"), "{}", reward(5));
            assert_eq!(cases[6].n, Some(1));
            assert_eq!(cases[7].n, Some(8));
        }
    }
}
