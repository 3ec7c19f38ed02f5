//! A case: reference source, reward, sample count N and tie-breaking rule, validated together.

use crate::error::{InputError, Result};
use crate::model::{Memoryless, Reward, TieBreak};

#[derive(Debug, Clone)]
/// A validated case: a memoryless source, a reward, N and a tie-break.
pub struct Case {
    /// The reference `p^m`.
    pub source: Memoryless,
    /// The reward.
    pub reward: Reward,
    /// Number of draws N >= 1.
    pub n: u64,
    /// How ties among the best draws are broken.
    pub tie_break: TieBreak,
}

impl Case {
    /// Validates the parts together (the reward fits K and m, N >= 1, the sizes fit).
    pub fn new(source: Memoryless, reward: Reward, n: u64, tie_break: TieBreak) -> Result<Case> {
        if n == 0 {
            return Err(InputError::new(
                "n: N must be at least 1 (best-of-0 draws nothing)",
            ));
        }
        reward.validate(source.alphabet_size(), source.m)?;
        Ok(Case {
            source,
            reward,
            n,
            tie_break,
        })
    }

    /// The alphabet size K.
    pub fn k(&self) -> usize {
        self.source.alphabet_size()
    }

    /// The sequence length m.
    pub fn m(&self) -> u32 {
        self.source.m
    }
}
