//! Tie-breaking among draws that reach the maximal reward.

use crate::error::{InputError, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How a tie among the draws with the highest reward is broken.
pub enum TieBreak {
    /// Uniformly at random among the tied draws (the papers' rule). Any rule that ignores which
    /// outcome is which (first index, last index) gives the same law.
    Uniform,
    /// The lexicographically smallest tied sequence wins (y_1 compared first).
    LexMin,
    /// The lexicographically largest tied sequence wins.
    LexMax,
}

impl TieBreak {
    /// `uniform`, `lex-min` or `lex-max`.
    pub fn parse(text: &str) -> Result<TieBreak> {
        match text.trim() {
            "uniform" => Ok(TieBreak::Uniform),
            "lex-min" => Ok(TieBreak::LexMin),
            "lex-max" => Ok(TieBreak::LexMax),
            other => Err(InputError::new(format!(
                "tie-break: unknown rule '{other}'; expected uniform, lex-min or lex-max"
            ))),
        }
    }

    /// The rule's name.
    pub fn name(self) -> &'static str {
        match self {
            TieBreak::Uniform => "uniform",
            TieBreak::LexMin => "lex-min",
            TieBreak::LexMax => "lex-max",
        }
    }

    /// Among two tied sequences, whether `a` is preferred to `b` (wins when both are drawn).
    pub fn prefers(self, a: &[u32], b: &[u32]) -> bool {
        match self {
            TieBreak::Uniform => false,
            TieBreak::LexMin => a < b,
            TieBreak::LexMax => a > b,
        }
    }
}
