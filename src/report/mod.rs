//! Rendering results for people (text) and scripts (JSON).
//!
//! Architecture invariant: only this layer (and `casefile`, which reads TOML) knows serde.
//! Exact values leave as strings `a/b` in lowest terms; decimals are labelled as truncations.

pub mod asymptotics;
pub mod claims;
pub mod compare;
pub mod counterexample;
pub mod json;
pub mod simplex;
pub mod svg;
pub mod text;
pub mod tradeoff;

use crate::model::Case;

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
