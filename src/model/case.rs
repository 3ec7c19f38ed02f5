//! A case: reference source, reward, sample count N and tie-breaking rule, validated together.

use crate::error::{InputError, Result};
use crate::model::{Memoryless, Reward, TieBreak};

/// How large an exact integer the law of a case may need (the `--max-bits` setting): cases
/// past it are refused with the estimate before any work. A value of the case, not of the
/// process, so two cases (or two library users) may have different budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeBudget {
    max_bits: u64,
}

impl SizeBudget {
    /// Default largest exact integer of a law, in bits (2^27 bits = 16 MiB; about 10 s).
    pub const DEFAULT_MAX_BITS: u64 = 1 << 27;
    /// Hard ceiling: rug counts bits of an integer in a `u32`.
    pub const MAX_MAX_BITS: u64 = 1 << 31;

    /// A budget of `max_bits` bits per integer, within `64..=2^31`.
    pub fn new(max_bits: u64) -> Result<SizeBudget> {
        if !(64..=Self::MAX_MAX_BITS).contains(&max_bits) {
            return Err(InputError::new(format!(
                "max-bits: must lie in 64..={}, got {max_bits}",
                Self::MAX_MAX_BITS
            )));
        }
        Ok(SizeBudget { max_bits })
    }

    /// The largest exact integer allowed, in bits.
    pub fn max_bits(self) -> u64 {
        self.max_bits
    }
}

impl Default for SizeBudget {
    fn default() -> SizeBudget {
        SizeBudget {
            max_bits: Self::DEFAULT_MAX_BITS,
        }
    }
}

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
    /// How large its exact law may be.
    pub budget: SizeBudget,
    /// A second reward, the *true* one (what we care about), beside the proxy `reward` that
    /// selects: read by `rt`, `Ft`, `bon_true`, `winrate_true` of the claim language.
    pub true_reward: Option<Reward>,
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
            budget: SizeBudget::default(),
            true_reward: None,
        })
    }

    /// The same case with a true reward beside the proxy (validated against K and m).
    pub fn with_true_reward(mut self, true_reward: Reward) -> Result<Case> {
        true_reward.validate(self.k(), self.m()).map_err(|e| {
            InputError::new(format!(
                "true-reward: {}",
                e.message().trim_start_matches("reward: ")
            ))
        })?;
        self.true_reward = Some(true_reward);
        Ok(self)
    }

    /// The same case under another size budget.
    pub fn with_budget(mut self, budget: SizeBudget) -> Case {
        self.budget = budget;
        self
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
