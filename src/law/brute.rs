//! Best-of-N by brute force: enumerate every N-tuple of draws, pick the winner, add up.
//!
//! Shares nothing with the class formula: it is the definition of best-of-N executed
//! literally, so it checks the formula itself. Tiny cases only.

use crate::error::{InputError, Result};
use crate::exact::ExactField;
use crate::law::outcome::{Outcome, Route};
use crate::law::reference::{letter_probs, sequence_probs_and_keys};
use crate::law::LawTable;
use crate::model::{Case, TieBreak};

/// Most N-tuples the brute force will enumerate.
pub const MAX_TUPLES: u64 = 1 << 22;

/// The law by sequence, from all `(K^m)^N` tuples of draws.
pub fn compute<F: ExactField>(case: &Case) -> Result<LawTable> {
    let sequences = case.source.sequences()?;
    let outcomes = sequences.len();
    let n = u32::try_from(case.n).ok();
    let tuples = n
        .and_then(|n| (outcomes as u64).checked_pow(n))
        .filter(|&t| t <= MAX_TUPLES);
    let (Some(n), Some(_)) = (n, tuples) else {
        return Err(InputError::new(format!(
            "brute force: ({outcomes})^{} tuples is more than {MAX_TUPLES}",
            case.n
        )));
    };
    let (probs, keys) = sequence_probs_and_keys(case, &letter_probs::<F>(case), &sequences);
    let mut pi = vec![F::zero(); outcomes];
    let mut draw = vec![0usize; n as usize];
    loop {
        let weight = draw.iter().fold(F::one(), |acc, &o| acc.mul(&probs[o]));
        let best = draw
            .iter()
            .map(|&o| &keys[o])
            .fold(None::<&F>, |acc, key| match acc {
                Some(b) if b >= key => Some(b),
                _ => Some(key),
            })
            .expect("N >= 1");
        let tied: Vec<usize> = draw.iter().copied().filter(|&o| keys[o] == *best).collect();
        match case.tie_break {
            TieBreak::Uniform => {
                // Each tied draw index is returned with probability 1/|tied|.
                let share = weight.div(&F::from_integer(&(tied.len() as u64).into()));
                for &o in &tied {
                    pi[o] = pi[o].add(&share);
                }
            }
            rule => {
                let winner = tied
                    .iter()
                    .copied()
                    .reduce(|a, b| {
                        if rule.prefers(&sequences[b], &sequences[a]) {
                            b
                        } else {
                            a
                        }
                    })
                    .expect("at least one tied draw");
                pi[winner] = pi[winner].add(&weight);
            }
        }
        // Next tuple (odometer).
        let mut pos = draw.len();
        loop {
            if pos == 0 {
                return Ok(LawTable {
                    route: Route::Sequence,
                    backend: F::NAME,
                    k: case.k(),
                    m: case.m(),
                    outcomes: sequences.into_iter().map(Outcome::Sequence).collect(),
                    p: probs.iter().map(F::to_rational).collect(),
                    pi: pi.iter().map(F::to_rational).collect(),
                    classes: Vec::new(),
                });
            }
            pos -= 1;
            draw[pos] += 1;
            if draw[pos] < outcomes {
                break;
            }
            draw[pos] = 0;
        }
    }
}
