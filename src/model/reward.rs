//! Rewards, decided exactly.
//!
//! Every reward kind is compared through an exact rational *key* that is a strictly increasing
//! function of the reward: the sum itself for `additive`, the product `prod w` for `log`
//! (since `sum log w = log prod w` and log is increasing), the score for `scores`. Two outcomes
//! tie exactly when their keys are equal, so ties such as `log 4 = 2 log 2` are found exactly.

use std::collections::HashMap;
use std::path::Path;

use rug::Rational;

use crate::error::{InputError, Result};
use crate::exact::{parse_rational, parse_rational_list, ExactField};

/// Most sequences a `scores` reward may list.
pub const MAX_SCORED_SEQUENCES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
/// A reward on sequences, compared through an exact rational key increasing in it.
pub enum Reward {
    /// Rational per-letter values, summed over the sequence.
    Additive(Vec<Rational>),
    /// Per-letter weights `w > 0`; the reward of a sequence is `sum log w`.
    Log(Vec<Rational>),
    /// An explicit score per sequence (need not be symmetric under permutations).
    Scores(Scores),
}

/// Scores for every sequence of one length over one alphabet.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Where the scores came from, for reports.
    pub origin: String,
    /// The score of each sequence.
    pub entries: HashMap<Vec<u32>, Rational>,
}

impl Reward {
    /// Parses `additive:v1,..,vK`, `log:w1,..,wK` or `scores:FILE` (FILE relative to `base_dir`).
    pub fn parse(spec: &str, base_dir: &Path) -> Result<Reward> {
        let (kind, rest) = spec.split_once(':').ok_or_else(|| {
            InputError::new(format!(
                "reward: '{spec}' has no kind; write additive:V1,..,VK, log:W1,..,WK or scores:FILE"
            ))
        })?;
        match kind.trim() {
            "additive" => Ok(Reward::Additive(parse_rational_list("reward", rest)?)),
            "log" => {
                let weights = parse_rational_list("reward", rest)?;
                for (i, w) in weights.iter().enumerate() {
                    if w.cmp0().is_le() {
                        return Err(InputError::new(format!(
                            "reward: log weight {} is {w}; log weights must be > 0",
                            i + 1
                        )));
                    }
                }
                Ok(Reward::Log(weights))
            }
            "scores" => {
                let path = base_dir.join(rest.trim());
                let text = crate::io::read_text(&path, "scores file")
                    .map_err(|e| InputError::new(format!("reward: {e}")))?;
                Ok(Reward::Scores(Scores::parse(
                    &text,
                    &path.display().to_string(),
                )?))
            }
            other => Err(InputError::new(format!(
                "reward: unknown kind '{other}'; expected additive, log or scores"
            ))),
        }
    }

    /// Checks the reward against the alphabet size `k` and sequence length `m`.
    pub fn validate(&self, k: usize, m: u32) -> Result<()> {
        match self {
            Reward::Additive(values) | Reward::Log(values) => {
                if values.len() != k {
                    return Err(InputError::new(format!(
                        "reward: {} values given but the pmf has K = {k} letters",
                        values.len()
                    )));
                }
            }
            Reward::Scores(scores) => scores.validate(k, m)?,
        }
        Ok(())
    }

    /// True when the reward depends on a sequence only through its type (additive and log).
    pub fn is_symmetric(&self) -> bool {
        !matches!(self, Reward::Scores(_))
    }

    /// The exact key of a type; `None` for `scores`, which are not defined on types.
    pub fn key_of_counts<F: ExactField>(&self, counts: &[u32]) -> Option<F> {
        match self {
            // Letters absent from the type contribute nothing: skipped, so a type of a
            // large alphabet costs its support, not K big-number operations.
            Reward::Additive(values) => Some(
                counts
                    .iter()
                    .zip(values)
                    .filter(|(&c, _)| c != 0)
                    .fold(F::zero(), |acc, (&c, v)| {
                        acc.add(&F::from_rational(v).mul(&F::from_integer(&c.into())))
                    }),
            ),
            Reward::Log(weights) => Some(
                counts
                    .iter()
                    .zip(weights)
                    .filter(|(&c, _)| c != 0)
                    .fold(F::one(), |acc, (&c, w)| {
                        acc.mul(&F::from_rational(w).pow(c))
                    }),
            ),
            Reward::Scores(_) => None,
        }
    }

    /// The exact key of a sequence, position by position.
    pub fn key_of_sequence<F: ExactField>(&self, sequence: &[u32]) -> F {
        match self {
            Reward::Additive(values) => sequence.iter().fold(F::zero(), |acc, &y| {
                acc.add(&F::from_rational(&values[y as usize]))
            }),
            Reward::Log(weights) => sequence.iter().fold(F::one(), |acc, &y| {
                acc.mul(&F::from_rational(&weights[y as usize]))
            }),
            Reward::Scores(scores) => F::from_rational(
                scores
                    .entries
                    .get(sequence)
                    .expect("validated scores list every sequence"),
            ),
        }
    }

    /// The reward as it is written on the command line.
    pub fn spec(&self) -> String {
        let join = |v: &[Rational]| {
            v.iter()
                .map(|q| q.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        match self {
            Reward::Additive(values) => format!("additive:{}", join(values)),
            Reward::Log(weights) => format!("log:{}", join(weights)),
            Reward::Scores(scores) => format!("scores:{}", scores.origin),
        }
    }
}

impl Scores {
    /// Parses lines `y1,y2,..,ym: score` (letters separated by commas or spaces); `#` starts a
    /// comment. Every sequence must appear exactly once (checked by `validate`).
    pub fn parse(text: &str, origin: &str) -> Result<Scores> {
        let mut entries = HashMap::new();
        for (line_no, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let at = || format!("{origin}:{}", line_no + 1);
            let (seq_text, score_text) = line.split_once(':').ok_or_else(|| {
                InputError::new(format!(
                    "{}: expected 'y1,..,ym: score', got '{line}'",
                    at()
                ))
            })?;
            let sequence = seq_text
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<u32>())
                .collect::<std::result::Result<Vec<u32>, _>>()
                .map_err(|_| {
                    InputError::new(format!("{}: letters must be integers 0..K-1", at()))
                })?;
            let score = parse_rational(score_text)
                .map_err(|e| InputError::new(format!("{}: {e}", at())))?;
            if entries.insert(sequence.clone(), score).is_some() {
                return Err(InputError::new(format!(
                    "{}: sequence {sequence:?} scored twice",
                    at()
                )));
            }
            if entries.len() > MAX_SCORED_SEQUENCES {
                return Err(InputError::new(format!(
                    "{origin}: more than {MAX_SCORED_SEQUENCES} scored sequences"
                )));
            }
        }
        Ok(Scores {
            origin: origin.to_string(),
            entries,
        })
    }

    fn validate(&self, k: usize, m: u32) -> Result<()> {
        for sequence in self.entries.keys() {
            if sequence.len() != m as usize || sequence.iter().any(|&y| y as usize >= k) {
                return Err(InputError::new(format!(
                    "reward: {}: sequence {sequence:?} is not a length-{m} sequence over letters 0..{}",
                    self.origin,
                    k - 1
                )));
            }
        }
        let expected = (k as u64).checked_pow(m);
        if expected != Some(self.entries.len() as u64) {
            return Err(InputError::new(format!(
                "reward: {}: scores {} sequences but K^m = {k}^{m} sequences need a score each",
                self.origin,
                self.entries.len()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn log_keys_find_ties_across_types() {
        // log 4 = 2 log 2: the types (0,2,0) and (0,0,1) plus one letter of weight 1 tie.
        let r = Reward::parse("log:1,2,4", Path::new(".")).unwrap();
        let a: Rational = r.key_of_counts(&[1, 2, 0]).unwrap();
        let b: Rational = r.key_of_counts(&[2, 0, 1]).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, 4);
    }

    #[test]
    fn additive_keys_sum_values() {
        let r = Reward::parse("additive:1/2,-1,0.25", Path::new(".")).unwrap();
        let key: Rational = r.key_of_sequence(&[0, 2, 2, 1]);
        assert_eq!(key, q(0, 1));
        let key2: Rational = r.key_of_counts(&[1, 1, 2]).unwrap();
        assert_eq!(key, key2);
    }

    #[test]
    fn rejects_bad_rewards() {
        let dot = Path::new(".");
        assert!(Reward::parse("log:1,0,2", dot)
            .unwrap_err()
            .message()
            .contains("weight 2 is 0"));
        assert!(Reward::parse("log:1,-1,2", dot).is_err());
        assert!(Reward::parse("mult:1,2", dot)
            .unwrap_err()
            .message()
            .contains("unknown kind"));
        assert!(Reward::parse("1,2", dot).is_err());
        let r = Reward::parse("additive:1,2", dot).unwrap();
        assert!(r
            .validate(3, 1)
            .unwrap_err()
            .message()
            .to_string()
            .contains("K = 3"));
    }

    #[test]
    fn scores_must_cover_every_sequence() {
        let s = Scores::parse("0,0: 1\n0 1: 2 # comment\n1,0: 3\n", "t").unwrap();
        assert!(s
            .validate(2, 2)
            .unwrap_err()
            .message()
            .to_string()
            .contains("3 sequences"));
        let s = Scores::parse("0,0: 1\n0,1: 2\n1,0: 3\n1,1: 1/2\n", "t").unwrap();
        assert!(s.validate(2, 2).is_ok());
        assert!(Scores::parse("0,0 1", "t")
            .unwrap_err()
            .message()
            .to_string()
            .contains("t:1"));
        assert!(Scores::parse("0,0: 1\n0,0: 2", "t")
            .unwrap_err()
            .message()
            .contains("twice"));
    }
}
