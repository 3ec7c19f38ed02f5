//! A case: reference source, reward, sample count N and tie-breaking rule, validated together.

use crate::error::{InputError, Result};
use crate::model::{Memoryless, Reward, TieBreak};

#[derive(Debug, Clone)]
pub struct Case {
    pub source: Memoryless,
    pub reward: Reward,
    /// Number of draws N >= 1.
    pub n: u64,
    pub tie_break: TieBreak,
}

impl Case {
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

    pub fn k(&self) -> usize {
        self.source.alphabet_size()
    }

    pub fn m(&self) -> u32 {
        self.source.m
    }
}
