//! The best-of-N law by the plain rational formula, generic over the arithmetic backend.
//!
//! This shares no arithmetic with [`crate::law::exact`]: probabilities, reward keys, the class
//! order and `F^N - F-^N` are all computed in `F`. Run with `num_rational::BigRational` it is
//! the independent second backend (`--backend num`).

use std::cmp::Ordering;

use crate::error::Result;
use crate::exact::ExactField;
use crate::law::exact::exponent_of;
use crate::law::outcome::{rank_into_classes, Outcome, Route};
use crate::law::LawTable;
use crate::model::source::multinomial;
use crate::model::Case;

/// The law of `case` along `route`, computed entirely in `F`.
pub fn compute<F: ExactField>(case: &Case, route: Route) -> Result<LawTable> {
    compute_with_progress::<F>(case, route, &|_, _| {})
}

/// [`compute`], reporting `(classes done, classes)` as it goes (the powers dominate).
pub fn compute_with_progress<F: ExactField>(
    case: &Case,
    route: Route,
    progress: &dyn Fn(u64, u64),
) -> Result<LawTable> {
    crate::law::budget::check_case(case, route)?;
    let n = exponent_of(case.n)?;
    let letter_probs = letter_probs::<F>(case);
    // `sequences` is kept for the sequence route so an identity-dependent tie-break can refine
    // the order.
    let (outcomes, probs, keys, sequences) = match route {
        Route::Type => {
            let mut outcomes = Vec::new();
            let mut probs = Vec::new();
            let mut keys = Vec::new();
            for counts in case.source.types()? {
                let sequences = multinomial(&counts);
                let prob = counts
                    .iter()
                    .zip(&letter_probs)
                    .fold(F::from_integer(&sequences), |acc, (&c, p)| {
                        acc.mul(&p.pow(c))
                    });
                keys.push(
                    case.reward
                        .key_of_counts::<F>(&counts)
                        .expect("symmetric reward"),
                );
                probs.push(prob);
                outcomes.push(Outcome::Type { counts, sequences });
            }
            (outcomes, probs, keys, None)
        }
        Route::Sequence => {
            let sequences = case.source.sequences()?;
            let (probs, keys) = sequence_probs_and_keys(case, &letter_probs, &sequences);
            let outcomes = sequences.iter().cloned().map(Outcome::Sequence).collect();
            (outcomes, probs, keys, Some(sequences))
        }
    };
    let classes = rank_into_classes(
        outcomes.len(),
        |a, b| keys[a].partial_cmp(&keys[b]).unwrap_or(Ordering::Equal),
        case.tie_break,
        sequences.as_deref(),
    );
    let mut pi = vec![F::zero(); outcomes.len()];
    let mut below = F::zero(); // F-(class)
    for (done, members) in classes.iter().enumerate() {
        progress(done as u64, classes.len() as u64);
        let class_prob = members.iter().fold(F::zero(), |acc, &o| acc.add(&probs[o]));
        let at_or_below = below.add(&class_prob); // F(class)
        if !class_prob.is_zero() {
            let gain = at_or_below.pow(n).sub(&below.pow(n));
            for &o in members {
                pi[o] = probs[o].div(&class_prob).mul(&gain);
            }
        }
        below = at_or_below;
    }
    Ok(LawTable {
        route,
        backend: F::NAME,
        k: case.k(),
        m: case.m(),
        outcomes,
        p: probs.iter().map(F::to_rational).collect(),
        pi: pi.iter().map(F::to_rational).collect(),
        classes,
    })
}

/// The pmf's entries in `F`.
pub(crate) fn letter_probs<F: ExactField>(case: &Case) -> Vec<F> {
    case.source
        .pmf
        .probs()
        .iter()
        .map(F::from_rational)
        .collect()
}

/// `p(y) = prod p(y_i)` and the exact reward key of each sequence, in `F`.
pub(crate) fn sequence_probs_and_keys<F: ExactField>(
    case: &Case,
    letter_probs: &[F],
    sequences: &[Vec<u32>],
) -> (Vec<F>, Vec<F>) {
    sequences
        .iter()
        .map(|s| {
            let prob = s
                .iter()
                .fold(F::one(), |acc, &y| acc.mul(&letter_probs[y as usize]));
            (prob, case.reward.key_of_sequence::<F>(s))
        })
        .unzip()
}
