//! Rendering results for people (text) and scripts (JSON).
//!
//! Architecture invariant: only this layer (and `casefile`, which reads TOML) knows serde.
//! Exact values leave as strings `a/b` in lowest terms; decimals are labelled as truncations.

pub mod json;
pub mod text;

use rug::Rational;

use crate::law::{LawTable, Route};
use crate::model::Case;

/// Marginals `P(y_j = a)` for every position j (outer) and letter a (inner). On a law by type
/// they are the same at every position, so they are computed once.
pub fn marginals(table: &LawTable) -> Vec<Vec<Rational>> {
    let per_position =
        |j: usize| -> Vec<Rational> { (0..table.k as u32).map(|a| table.marginal(j, a)).collect() };
    match table.route {
        Route::Type => vec![per_position(1); table.m as usize],
        Route::Sequence => (1..=table.m as usize).map(per_position).collect(),
    }
}

/// The case on one line, with flags a reader can paste back.
pub fn case_line(case: &Case) -> String {
    format!(
        "--p {} --reward {} --m {} --n {} --tie-break {}",
        case.source.pmf,
        case.reward.spec(),
        case.m(),
        case.n,
        case.tie_break.name()
    )
}
