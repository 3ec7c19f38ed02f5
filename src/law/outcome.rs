//! What the law is indexed by: sequences or types, and the route that chooses between them.

use std::cmp::Ordering;

use rug::Integer;

use crate::error::{InputError, Result};
use crate::model::{Case, TieBreak};

/// Below this many stored counts the type route is always taken (the outputs of small cases
/// stay by type).
const SMALL_TYPE_ENTRIES: u128 = 1 << 22;

/// Compute the law per sequence (K^m outcomes) or per type (C(m+K-1, K-1) outcomes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// One outcome per type (letter counts).
    Type,
    /// One outcome per sequence.
    Sequence,
}

impl Route {
    /// `type` or `sequence`.
    pub fn parse(text: &str) -> Result<Route> {
        match text.trim() {
            "type" => Ok(Route::Type),
            "sequence" => Ok(Route::Sequence),
            other => Err(InputError::new(format!(
                "by: unknown route '{other}'; expected type or sequence"
            ))),
        }
    }

    /// The route's name.
    pub fn name(self) -> &'static str {
        match self {
            Route::Type => "type",
            Route::Sequence => "sequence",
        }
    }

    /// The number of outcomes of `case` on this route (types or sequences), `None` past u64.
    pub fn outcome_count(self, case: &Case) -> Option<u64> {
        match self {
            Route::Type => case.source.type_count(),
            Route::Sequence => case.source.sequence_count(),
        }
    }

    /// By type whenever that is valid (additive or log reward, uniform tie-break) and not
    /// costlier than by sequence: each type stores a K-long count vector, so for large K and
    /// small m (K = 8192, m = 1: 8192 types of 8192 counts) the K^m sequences are cheaper.
    pub fn default_for(case: &Case) -> Route {
        if Route::Type.check(case).is_err() {
            return Route::Sequence;
        }
        let k = case.k() as u128;
        let type_entries = case
            .source
            .type_count()
            .map_or(u128::MAX, |t| t as u128 * k);
        let sequence_entries = case
            .source
            .sequence_count()
            .map_or(u128::MAX, |s| s as u128 * case.m() as u128);
        if type_entries > SMALL_TYPE_ENTRIES && sequence_entries < type_entries {
            Route::Sequence
        } else {
            Route::Type
        }
    }

    /// Whether this route computes the law of `case` correctly.
    pub fn check(self, case: &Case) -> Result<()> {
        if self == Route::Type {
            if !case.reward.is_symmetric()
                || case.true_reward.as_ref().is_some_and(|r| !r.is_symmetric())
            {
                return Err(InputError::new(
                    "by: a scores reward is defined per sequence; use --by sequence",
                ));
            }
            if case.tie_break != TieBreak::Uniform {
                return Err(InputError::new(format!(
                    "by: the {} tie-break depends on the sequence, not its type; use --by sequence",
                    case.tie_break.name()
                )));
            }
        }
        Ok(())
    }
}

/// One outcome of the law.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A sequence y_1..y_m.
    Sequence(Vec<u32>),
    /// A type: letter counts, with the number of sequences it contains.
    Type {
        /// How many times each letter occurs.
        counts: Vec<u32>,
        /// How many sequences have these counts.
        sequences: Integer,
    },
}

impl Outcome {
    /// The outcome as reports print it (`0,2` or `[1,1,0]`).
    pub fn label(&self) -> String {
        let join = |v: &[u32]| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Outcome::Sequence(seq) => format!("({})", join(seq)),
            // Long count vectors are mostly zeros: letter: count pairs read better.
            Outcome::Type { counts, .. } if counts.len() > 24 => format!(
                "{{{}}}",
                counts
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| c > 0)
                    .map(|(letter, c)| format!("{letter}: {c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Outcome::Type { counts, .. } => format!("[{}]", join(counts)),
        }
    }
}

/// Orders outcome indices from lowest to highest reward (refined by the tie-break) and groups
/// them into classes whose members are tied. `key_cmp` compares exact reward keys; `sequences`
/// (when the outcomes are sequences) lets an identity-dependent tie-break refine the order.
pub fn rank_into_classes(
    count: usize,
    key_cmp: impl Fn(usize, usize) -> Ordering,
    tie_break: TieBreak,
    sequences: Option<&[Vec<u32>]>,
) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..count).collect();
    let refine = |a: usize, b: usize| -> Ordering {
        match (tie_break, sequences) {
            (TieBreak::Uniform, _) | (_, None) => Ordering::Equal,
            // Preferred sequences rank higher, i.e. come later.
            (rule, Some(seqs)) => {
                if rule.prefers(&seqs[a], &seqs[b]) {
                    Ordering::Greater
                } else if rule.prefers(&seqs[b], &seqs[a]) {
                    Ordering::Less
                } else {
                    Ordering::Equal
                }
            }
        }
    };
    order.sort_by(|&a, &b| key_cmp(a, b).then_with(|| refine(a, b)));
    let mut classes: Vec<Vec<usize>> = Vec::new();
    for index in order {
        match classes.last_mut() {
            Some(class) if key_cmp(class[0], index).is_eq() && refine(class[0], index).is_eq() => {
                class.push(index)
            }
            _ => classes.push(vec![index]),
        }
    }
    classes
}
