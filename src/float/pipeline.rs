//! The float pipeline: what a careful float user writes from the papers' formulas.
//!
//! - reward of a sequence: the per-letter values (`ln w` for a `log` reward, computed once
//!   per letter) summed left to right in sequence order; scores converted once;
//! - `p(y)`: the per-letter probabilities multiplied left to right;
//! - classes: outcomes sorted by float reward, ties by float equality (a lex tie-break refines
//!   them as in the exact law); `F` a running sum of class masses (`cumsum`);
//! - `pi(y) = p(y) / p(C) * (F^N - F-^N)` with `pow`;
//! - `KL(pi || p) = sum rel_entr(pi, p)`, with `rel_entr(0, p) = 0` as in SciPy;
//! - tilts `p q^a / sum p q^a` with `pow(q, a)`;
//! - exchangeability and Lemma 9 decided by float comparisons (identities by a relative
//!   tolerance of `2^-(P/2)`); the catalogue's statements (KL, win rate, the estimator as
//!   printed, ...) are evaluated in floats by `compare::statements` from their expression
//!   trees, so no claim has a second, hand-written float form.

use rug::Rational;

use crate::error::{InputError, Result};
use crate::float::arith::{Arith, F64Ops, FloatOps, FloatOut, MpfrOps};
use crate::law::outcome::rank_into_classes;
use crate::model::{Case, Reward};

/// Tilt inputs of the float pipeline: `T(q, p, alpha)`, and with `beta` both sides of Lemma 9.
#[derive(Debug, Clone)]
pub struct TiltInputs {
    /// The alignment distribution q.
    pub q: Vec<Rational>,
    /// The exponent alpha.
    pub alpha: Rational,
    /// The second exponent beta (Lemma 9's two sides).
    pub beta: Option<Rational>,
}

/// Everything one float arithmetic computes for a case. Per-outcome vectors follow the order
/// of the `sequences` the pipeline was given.
#[derive(Debug, Clone)]
pub struct FloatRun {
    /// The arithmetic.
    pub arith: Arith,
    /// The reward of each sequence (per-letter logs summed in sequence order).
    pub reward: Vec<FloatOut>,
    /// `p` of each sequence, the per-letter probabilities multiplied left to right.
    pub p: Vec<FloatOut>,
    /// `pi_N` of each sequence, by the textbook formula.
    pub pi: Vec<FloatOut>,
    /// The tilts, when q and alpha are given.
    pub tilt: Option<TiltRun>,
    /// The claims the pipeline decides itself (exchangeability, Lemma 9); the catalogue's
    /// statements are decided in floats by `compare::statements` from the same trees as the
    /// exact side.
    pub verdicts: Vec<FloatVerdict>,
}

#[derive(Debug, Clone)]
/// The tilts a float run computes.
pub struct TiltRun {
    /// `T(q, p, alpha)` per letter.
    pub alpha: Vec<FloatOut>,
    /// `T(q, T(q, p, alpha), beta)` per letter (with beta).
    pub composed: Option<Vec<FloatOut>>,
    /// `T(q, p, alpha + beta)` per letter, `alpha + beta` added in floats (with beta).
    pub summed: Option<Vec<FloatOut>>,
}

/// A claim as decided by float comparisons.
#[derive(Debug, Clone)]
pub struct FloatVerdict {
    /// The claim's id.
    pub claim: std::borrow::Cow<'static, str>,
    /// Whether the float comparison finds it holding.
    pub holds: bool,
    /// The float values compared, and how.
    pub detail: String,
}

/// Runs the pipeline of `arith` on `case` over `sequences` (all sequences of the case).
pub fn run(
    arith: Arith,
    case: &Case,
    sequences: &[Vec<u32>],
    tilt: Option<&TiltInputs>,
) -> Result<FloatRun> {
    match arith {
        Arith::F64 => run_with(&F64Ops, case, sequences, tilt),
        Arith::Mpfr(prec) => run_with(&MpfrOps { prec }, case, sequences, tilt),
    }
}

/// Left-to-right fold of `f` over the values of `letters` at `sequence`.
fn fold_letters<O: FloatOps>(
    ops: &O,
    letters: &[O::V],
    sequence: &[u32],
    f: impl Fn(&O, &O::V, &O::V) -> O::V,
) -> O::V {
    let mut acc = letters[sequence[0] as usize].clone();
    for &y in &sequence[1..] {
        acc = f(ops, &acc, &letters[y as usize]);
    }
    acc
}

/// Left-to-right sum.
fn sum<O: FloatOps>(ops: &O, values: impl IntoIterator<Item = O::V>) -> O::V {
    values
        .into_iter()
        .fold(ops.zero(), |acc, v| ops.add(&acc, &v))
}

fn run_with<O: FloatOps>(
    ops: &O,
    case: &Case,
    sequences: &[Vec<u32>],
    tilt: Option<&TiltInputs>,
) -> Result<FloatRun> {
    let n = case.n;
    let p_letter: Vec<O::V> = case.source.pmf.probs().iter().map(|x| ops.of(x)).collect();
    let per_letter_reward: Option<Vec<O::V>> = match &case.reward {
        Reward::Additive(values) => Some(values.iter().map(|v| ops.of(v)).collect()),
        Reward::Log(weights) => Some(weights.iter().map(|w| ops.ln(&ops.of(w))).collect()),
        Reward::Scores(_) => None,
    };
    let reward: Vec<O::V> = sequences
        .iter()
        .map(|s| match (&case.reward, &per_letter_reward) {
            (Reward::Scores(scores), _) => {
                scores.entries.get(s).map(|v| ops.of(v)).ok_or_else(|| {
                    InputError::new(format!("reward: the scores list no score for {s:?}"))
                })
            }
            (_, Some(per_letter)) => Ok(fold_letters(ops, per_letter, s, O::add)),
            (_, None) => unreachable!("additive and log rewards have per-letter values"),
        })
        .collect::<Result<_>>()?;
    let p_seq: Vec<O::V> = sequences
        .iter()
        .map(|s| fold_letters(ops, &p_letter, s, O::mul))
        .collect();

    // Reward order with float ties; NaN rewards (which a sort would misplace) go last.
    let reward_cmp = |a: usize, b: usize| {
        ops.cmp(&reward[a], &reward[b])
            .unwrap_or_else(|| ops.is_nan(&reward[a]).cmp(&ops.is_nan(&reward[b])))
    };
    let law_classes =
        rank_into_classes(sequences.len(), reward_cmp, case.tie_break, Some(sequences));

    // Masses and running sums F- and F per class, then pi by the textbook formula.
    let mass_of = |members: &[usize]| {
        let mut sorted = members.to_vec();
        sorted.sort_unstable();
        sum(ops, sorted.iter().map(|&o| p_seq[o].clone()))
    };
    let mut pi: Vec<O::V> = vec![ops.zero(); sequences.len()];
    let mut below = ops.zero();
    for members in &law_classes {
        let mass = mass_of(members);
        let upto = ops.add(&below, &mass);
        let delta = ops.sub(&ops.pow_n(&upto, n), &ops.pow_n(&below, n));
        for &o in members {
            pi[o] = ops.mul(&ops.div(&p_seq[o], &mass), &delta);
        }
        below = upto;
    }

    let mut verdicts = Vec::new();
    if case.m() >= 2 {
        verdicts.push(exchangeability(ops, sequences, &pi));
    }

    let tilt_run = tilt.map(|t| tilt_run(ops, &p_letter, t));
    if let Some((_, Some(verdict))) = &tilt_run {
        verdicts.push(verdict.clone());
    }
    let outs = |v: &[O::V]| v.iter().map(|x| ops.out(x)).collect::<Vec<_>>();
    Ok(FloatRun {
        arith: ops.arith(),
        reward: outs(&reward),
        p: outs(&p_seq),
        pi: outs(&pi),
        tilt: tilt_run.map(|(run, _)| run),
        verdicts,
    })
}

/// Lemma 5 in floats: `pi(y)` close to `pi` of the sorted permutation of `y`, for every `y`.
fn exchangeability<O: FloatOps>(ops: &O, sequences: &[Vec<u32>], pi: &[O::V]) -> FloatVerdict {
    let index: std::collections::HashMap<&[u32], usize> = sequences
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_slice(), i))
        .collect();
    for (i, s) in sequences.iter().enumerate() {
        let mut sorted = s.clone();
        sorted.sort_unstable();
        let j = index[sorted.as_slice()];
        if !ops.is_close(&pi[i], &pi[j]) {
            return FloatVerdict {
                claim: "bon-exchangeable".into(),
                holds: false,
                detail: format!(
                    "pi{:?} = {} is not close to pi{:?} = {}",
                    s,
                    ops.out(&pi[i]).text,
                    sorted,
                    ops.out(&pi[j]).text
                ),
            };
        }
    }
    FloatVerdict {
        claim: "bon-exchangeable".into(),
        holds: true,
        detail: format!(
            "every pi(y) of {} sequences is close to pi(sorted y)",
            sequences.len()
        ),
    }
}

/// `p q^a / sum p q^a` per letter.
fn tilted<O: FloatOps>(ops: &O, p: &[O::V], q: &[O::V], a: &O::V) -> Vec<O::V> {
    let weights: Vec<O::V> = p
        .iter()
        .zip(q)
        .map(|(py, qy)| ops.mul(py, &ops.pow(qy, a)))
        .collect();
    let z = sum(ops, weights.iter().cloned());
    weights.iter().map(|w| ops.div(w, &z)).collect()
}

fn tilt_run<O: FloatOps>(ops: &O, p: &[O::V], t: &TiltInputs) -> (TiltRun, Option<FloatVerdict>) {
    let q: Vec<O::V> = t.q.iter().map(|x| ops.of(x)).collect();
    let alpha = ops.of(&t.alpha);
    let first = tilted(ops, p, &q, &alpha);
    let outs = |v: &[O::V]| v.iter().map(|x| ops.out(x)).collect::<Vec<_>>();
    let Some(beta) = &t.beta else {
        return (
            TiltRun {
                alpha: outs(&first),
                composed: None,
                summed: None,
            },
            None,
        );
    };
    let beta = ops.of(beta);
    let composed = tilted(ops, &first, &q, &beta);
    let summed = tilted(ops, p, &q, &ops.add(&alpha, &beta));
    let bad = (0..composed.len()).find(|&y| !ops.is_close(&composed[y], &summed[y]));
    let verdict = FloatVerdict {
        claim: "tilt-composition".into(),
        holds: bad.is_none(),
        detail: match bad {
            Some(y) => format!(
                "letter {y}: T(q, T(q,p,alpha), beta) = {} is not close to T(q, p, alpha+beta) = {}",
                ops.out(&composed[y]).text,
                ops.out(&summed[y]).text
            ),
            None => format!("all {} letters close", composed.len()),
        },
    };
    (
        TiltRun {
            alpha: outs(&first),
            composed: Some(outs(&composed)),
            summed: Some(outs(&summed)),
        },
        Some(verdict),
    )
}
