//! Rendering results for people (text) and scripts (JSON).
//!
//! Architecture invariant: only this layer (and `casefile`, which reads TOML) knows serde.
//! Exact values leave as strings `a/b` in lowest terms; decimals are labelled as truncations.

pub mod asymptotics;
pub mod case_record;
pub mod certificate;
pub mod claims;
pub mod compare;
pub mod coq;
pub mod counterexample;
pub mod graphics;
pub mod json;
pub mod literature;
pub mod schema;
pub mod simplex;
pub mod svg;
pub mod text;
pub mod tradeoff;

use crate::model::Case;

/// The case on one line, with flags a reader can paste back (Markdown reports use this).
pub fn case_line_full(case: &Case) -> String {
    format!(
        "--p {} --reward {}{} --m {} --n {} --tie-break {}",
        case.source.pmf,
        case.reward.spec(),
        true_reward_flag(case, |s| s),
        case.m(),
        case.n,
        case.tie_break.name()
    )
}

/// ` --true-reward SPEC` when the case has one (its values passed through `shorten`).
fn true_reward_flag(case: &Case, shorten: impl Fn(String) -> String) -> String {
    case.true_reward
        .as_ref()
        .map(|r| format!(" --true-reward {}", shorten(r.spec())))
        .unwrap_or_default()
}

/// Lists longer than this are elided in text headers.
const LONG_LIST: usize = 24;

/// The case on one line for a terminal: lists of more than 24 entries are elided
/// (`1/8192,1/8192,...,1/8192 (8192 entries)`); JSON and Markdown reports keep every entry.
pub fn case_line(case: &Case) -> String {
    if case.k() <= LONG_LIST {
        return case_line_full(case);
    }
    let shorten = |reward: String| match reward.split_once(':') {
        Some((kind, values)) if !kind.is_empty() && values.contains(',') => {
            format!("{kind}:{}", elide_list(values))
        }
        _ => reward,
    };
    format!(
        "--p {} --reward {}{} --m {} --n {} --tie-break {}",
        elide_list(&case.source.pmf.to_string()),
        shorten(case.reward.spec()),
        true_reward_flag(case, shorten),
        case.m(),
        case.n,
        case.tie_break.name()
    )
}

/// `a,b,c,...,z (K entries)` for a comma list longer than `LONG_LIST`.
pub fn elide_list(list: &str) -> String {
    let items: Vec<&str> = list.split(',').collect();
    if items.len() <= LONG_LIST {
        return list.to_string();
    }
    format!(
        "{},...,{} ({} entries)",
        items[..4].join(","),
        items[items.len() - 2..].join(","),
        items.len()
    )
}
