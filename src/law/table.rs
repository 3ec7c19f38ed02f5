//! A law read out in full: every outcome with its exact `p` and `pi` in lowest terms.

use rug::{Integer, Rational};

use crate::law::{ExactLaw, Outcome, Route};
use crate::model::source::counts_of;

#[derive(Debug, Clone, PartialEq)]
/// A law read out in full: every outcome's exact `p` and `pi_N`.
pub struct LawTable {
    /// Sequences or types.
    pub route: Route,
    /// Which arithmetic produced it (`rug` or `num`).
    pub backend: &'static str,
    /// The alphabet size K.
    pub k: usize,
    /// The sequence length m.
    pub m: u32,
    /// The outcomes.
    pub outcomes: Vec<Outcome>,
    /// `p` of each outcome, in lowest terms.
    pub p: Vec<Rational>,
    /// `pi_N` of each outcome, in lowest terms.
    pub pi: Vec<Rational>,
    /// Outcome indices per reward class, lowest first (empty when the producer, such as the
    /// brute force, does not form classes).
    pub classes: Vec<Vec<usize>>,
}

impl LawTable {
    /// Reads out an exact law (gcds taken here, once per value).
    pub fn from_exact(law: &ExactLaw, k: usize, m: u32) -> LawTable {
        LawTable {
            route: law.route(),
            backend: "rug",
            k,
            m,
            outcomes: law.outcomes().to_vec(),
            p: (0..law.len()).map(|o| law.p(o)).collect(),
            pi: (0..law.len()).map(|o| law.pi(o)).collect(),
            classes: law.classes().to_vec(),
        }
    }

    /// Outcomes where two tables (e.g. from the rug and num backends) differ, described.
    pub fn disagreements(&self, other: &LawTable) -> Vec<String> {
        if self.outcomes != other.outcomes {
            return vec!["the tables list different outcomes".into()];
        }
        self.outcomes
            .iter()
            .enumerate()
            .filter(|&(o, _)| self.pi[o] != other.pi[o] || self.p[o] != other.p[o])
            .map(|(o, outcome)| {
                format!(
                    "{}: {} pi = {}, {} pi = {}",
                    outcome.label(),
                    self.backend,
                    self.pi[o],
                    other.backend,
                    other.pi[o]
                )
            })
            .collect()
    }

    /// The sum of `pi_N` over the outcomes (exactly 1 for a law).
    pub fn total(&self) -> Rational {
        // Adding the values one by one costs two gcds of N-digit numbers per outcome (most
        // of W1's time); their denominators divide one common multiple (p's denominator to
        // the N), so the numerators are summed over it and one gcd reduces the sum.
        let Some(widest) = self
            .pi
            .iter()
            .map(Rational::denom)
            .max_by_key(|d| d.significant_bits())
        else {
            return Rational::new();
        };
        let mut den = widest.clone();
        for v in &self.pi {
            if !den.is_divisible(v.denom()) {
                den.lcm_mut(v.denom());
            }
        }
        let mut num = Integer::new();
        for v in &self.pi {
            num += v.numer() * Integer::from(den.div_exact_ref(v.denom()));
        }
        Rational::from((num, den))
    }

    /// `pi` of one sequence. On a law by type this is the type's pi divided by the number of
    /// sequences in it, which is valid because the type route requires an exchangeable law.
    pub fn pi_of_sequence(&self, sequence: &[u32]) -> Option<Rational> {
        if sequence.len() != self.m as usize || sequence.iter().any(|&y| y as usize >= self.k) {
            return None;
        }
        match self.route {
            Route::Sequence => self
                .outcomes
                .iter()
                .position(|o| matches!(o, Outcome::Sequence(s) if s == sequence))
                .map(|o| self.pi[o].clone()),
            Route::Type => {
                let counts = counts_of(sequence, self.k);
                self.outcomes
                    .iter()
                    .zip(&self.pi)
                    .find_map(|(outcome, pi)| match outcome {
                        Outcome::Type {
                            counts: c,
                            sequences,
                        } if *c == counts => Some(Rational::from(pi / sequences)),
                        _ => None,
                    })
            }
        }
    }

    /// `pi` of a whole type (summed over its sequences).
    pub fn pi_of_type(&self, counts: &[u32]) -> Option<Rational> {
        if counts.len() != self.k || counts.iter().map(|&c| c as u64).sum::<u64>() != self.m as u64
        {
            return None;
        }
        let total = self
            .outcomes
            .iter()
            .zip(&self.pi)
            .filter(|(outcome, _)| match outcome {
                Outcome::Sequence(s) => counts_of(s, self.k) == counts,
                Outcome::Type { counts: c, .. } => c == counts,
            })
            .map(|(_, pi)| pi)
            .sum();
        Some(total)
    }

    /// `P(y_position = letter)` under `pi`, positions counted from 1.
    pub fn marginal(&self, position: usize, letter: u32) -> Rational {
        assert!(
            position >= 1 && position <= self.m as usize,
            "position out of range"
        );
        self.outcomes
            .iter()
            .zip(&self.pi)
            .map(|(outcome, pi)| match outcome {
                Outcome::Sequence(s) if s[position - 1] == letter => pi.clone(),
                Outcome::Sequence(_) => Rational::new(),
                // Exchangeable: the share of a type's sequences with `letter` at any position
                // is c_letter / m.
                Outcome::Type { counts, .. } => {
                    Rational::from(pi * counts[letter as usize]) / self.m
                }
            })
            .sum()
    }

    /// Marginals `P(y_j = a)` for every position j (outer) and letter a (inner). On a law by
    /// type they are the same at every position, so they are computed once.
    pub fn marginals(&self) -> Vec<Vec<Rational>> {
        let per_position = |j: usize| -> Vec<Rational> {
            (0..self.k as u32).map(|a| self.marginal(j, a)).collect()
        };
        match self.route {
            Route::Type => vec![per_position(1); self.m as usize],
            Route::Sequence => (1..=self.m as usize).map(per_position).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(pi: &[(i64, i64)]) -> LawTable {
        LawTable {
            route: Route::Sequence,
            backend: "rug",
            k: pi.len(),
            m: 1,
            outcomes: (0..pi.len() as u32)
                .map(|y| Outcome::Sequence(vec![y]))
                .collect(),
            p: vec![Rational::from(1); pi.len()],
            pi: pi.iter().map(|&v| Rational::from(v)).collect(),
            classes: vec![],
        }
    }

    #[test]
    fn total_over_a_common_denominator_is_the_plain_sum() {
        // Denominators none of which divides the widest (7 * 9 = 63 against 8 and 5), values
        // that cancel, and a sum that is not 1.
        for values in [
            vec![(1, 63), (3, 8), (-2, 5), (4, 9)],
            vec![(1, 2), (1, 3), (1, 6)],
            vec![(5, 7)],
            vec![(1, 4), (-1, 4)],
        ] {
            let table = table_of(&values);
            let plain: Rational = table.pi.iter().sum();
            assert_eq!(table.total(), plain, "{values:?}");
        }
        assert_eq!(table_of(&[(1, 2), (1, 3), (1, 6)]).total(), 1);
        assert_eq!(table_of(&[]).total(), 0);
    }
}
