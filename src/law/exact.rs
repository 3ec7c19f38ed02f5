//! The exact law on the hot path: integer numerators over one shared denominator.
//!
//! With `L` the lcm of the pmf's denominators and `D = L^m`, every outcome `o` has
//! `p(o) = w_o / D` with an integer `w_o`. For reward classes `1..=c` in increasing order with
//! masses `A_k = sum_{o in k} w_o` and prefix sums `S_k`, the law is
//! `pi(o) = w_o * (S_k^N - S_{k-1}^N) / (A_k * D^N)`.
//! Only `c` integer powers are needed; no gcd is taken until a value is read out.

use rayon::prelude::*;
use rug::ops::Pow;
use rug::{Integer, Rational};

use crate::error::{InputError, Result};
use crate::law::budget;
use crate::law::outcome::{rank_into_classes, Outcome, Route};
use crate::model::source::multinomial;
use crate::model::{Case, Reward};

/// `table[y][j] = base_y^j` for `j = 0..=m`.
fn power_table(bases: &[Integer], m: u32) -> Vec<Vec<Integer>> {
    bases
        .iter()
        .map(|b| {
            let mut row = Vec::with_capacity(m as usize + 1);
            let mut power = Integer::from(1);
            for _ in 0..=m {
                row.push(power.clone());
                power *= b;
            }
            row
        })
        .collect()
}

/// `prod_y table[y][counts[y]]`.
fn product_of_powers(table: &[Vec<Integer>], counts: &[u32]) -> Integer {
    counts
        .iter()
        .zip(table)
        .fold(Integer::from(1), |acc, (&c, row)| acc * &row[c as usize])
}

/// The exact best-of-N law of a case, by type or by sequence.
#[derive(Debug, Clone)]
pub struct ExactLaw {
    /// Sequences or types.
    route: Route,
    /// The number of draws N.
    n: u32,
    /// The outcomes (sequences or types).
    outcomes: Vec<Outcome>,
    /// `w_o`: `p(o) = w_o / D`.
    weights: Vec<Integer>,
    /// `D = L^m`.
    denominator: Integer,
    /// Outcome indices per reward class, lowest reward first.
    classes: Vec<Vec<usize>>,
    /// Class index of each outcome.
    class_of: Vec<usize>,
    /// Reward level of each class (non-decreasing; equal for classes whose outcomes tie in
    /// reward, which only happens when a lex tie-break split a reward class).
    reward_level: Vec<usize>,
    /// `A_k`.
    class_mass: Vec<Integer>,
    /// `S_k^N - S_{k-1}^N`.
    class_delta: Vec<Integer>,
    /// `D^N`.
    denominator_pow_n: Integer,
}

impl ExactLaw {
    // Read-only access: the law's parts are consistent by construction.

    /// Sequences or types.
    pub fn route(&self) -> Route {
        self.route
    }

    /// The number of draws N.
    pub fn n(&self) -> u32 {
        self.n
    }

    /// The outcomes (sequences or types).
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// `w_o` of each outcome: `p(o) = w_o / D`.
    pub fn weights(&self) -> &[Integer] {
        &self.weights
    }

    /// The shared denominator `D = L^m`.
    pub fn denominator(&self) -> &Integer {
        &self.denominator
    }

    /// Outcome indices per reward class, lowest reward first.
    pub fn classes(&self) -> &[Vec<usize>] {
        &self.classes
    }

    /// The class index of each outcome.
    pub fn class_of(&self) -> &[usize] {
        &self.class_of
    }

    /// The reward level of each class (equal for classes a lex tie-break split).
    pub fn reward_level(&self) -> &[usize] {
        &self.reward_level
    }

    /// `A_k`, the reference mass of each class over `D`.
    pub fn class_mass(&self) -> &[Integer] {
        &self.class_mass
    }

    /// `S_k^N - S_{k-1}^N` of each class.
    pub fn class_delta(&self) -> &[Integer] {
        &self.class_delta
    }

    /// `D^N`.
    pub fn denominator_pow_n(&self) -> &Integer {
        &self.denominator_pow_n
    }

    /// Computes the law of `case` along `route` (checked for validity first).
    pub fn compute(case: &Case, route: Route) -> Result<ExactLaw> {
        budget::check_case(case, route)?;
        Self::from_ranked(Ranked::compute(case, route)?, route, case.n)
    }

    /// The law of `n` draws from outcomes already ranked along `route` (for callers that
    /// also need the ranking's reward keys).
    pub fn from_ranked(ranked: Ranked, route: Route, n: u64) -> Result<ExactLaw> {
        let n = exponent_of(n)?;
        let denominator_bits = ranked.denominator.significant_bits() as u64;
        budget::check_number("n", n as u64, 1, denominator_bits, ranked.budget)?;
        budget::check_total(
            ranked.classes.len(),
            n as u64,
            1,
            ranked.denominator.significant_bits() as u64,
        )?;
        Ok(Self::from_classes(
            route,
            n,
            ranked.outcomes,
            ranked.weights,
            ranked.denominator,
            ranked.classes,
            ranked.reward_level,
        ))
    }
}

/// The outcomes of a case ranked into reward classes (refined by the tie-break), with their
/// integer weights over the shared denominator: everything of the law but the powers.
#[derive(Debug, Clone)]
pub struct Ranked {
    /// The outcomes.
    pub outcomes: Vec<Outcome>,
    /// `w_o`: `p(o) = w_o / D`.
    pub weights: Vec<Integer>,
    /// The shared denominator `D = L^m`.
    pub denominator: Integer,
    /// The reward classes, lowest first, as outcome indices.
    pub classes: Vec<Vec<usize>>,
    /// The reward level of each outcome (equal levels tie exactly).
    pub reward_level: Vec<usize>,
    /// The exact reward key of each outcome.
    pub keys: Vec<Rational>,
    /// The case's size budget (the powers of `from_ranked` are checked against it).
    pub budget: crate::model::SizeBudget,
}

impl Ranked {
    /// Ranks the outcomes of `case` along `route` (checked for validity first).
    /// Only the outcomes' own sizes are checked here: ranking needs no N-th powers, so the
    /// enclosed law of `tilt::asymptotics` can rank cases whose exact law would not fit.
    pub fn compute(case: &Case, route: Route) -> Result<Ranked> {
        route.check(case)?;
        let (lcm, letter_weights) = case.source.pmf.over_common_denominator();
        let m = case.m();
        // Refuse before enumerating: every weight has up to m * bits(L) bits.
        let outcome_count = match route {
            Route::Type => case.source.checked_type_count()?,
            Route::Sequence => case.source.checked_sequence_count()?,
        };
        budget::check_total(outcome_count as usize, 1, m, lcm.significant_bits() as u64)?;
        let denominator = lcm.pow(m);
        let (outcomes, weights, classes, keys) = match route {
            Route::Type => {
                let types = case.source.types()?;
                // Tables of letter powers: each type's weight and key is then a few products
                // (the same values as `multinomial` times `w^c` and `Reward::key_of_counts`).
                let weight_pows = power_table(&letter_weights, m);
                let key_pows = match &case.reward {
                    Reward::Log(w) => Some((
                        power_table(&w.iter().map(|x| x.numer().clone()).collect::<Vec<_>>(), m),
                        power_table(&w.iter().map(|x| x.denom().clone()).collect::<Vec<_>>(), m),
                    )),
                    _ => None,
                };
                let keys: Vec<Rational> = types
                    .iter()
                    .map(|c| match &key_pows {
                        Some((num, den)) => {
                            Rational::from((product_of_powers(num, c), product_of_powers(den, c)))
                        }
                        None => case
                            .reward
                            .key_of_counts(c)
                            .expect("type route has a symmetric reward"),
                    })
                    .collect();
                let sequences: Vec<Integer> = types.iter().map(|c| multinomial(c)).collect();
                let weights: Vec<Integer> = types
                    .iter()
                    .zip(&sequences)
                    .map(|(counts, count)| product_of_powers(&weight_pows, counts) * count)
                    .collect();
                let classes = rank_into_classes(
                    types.len(),
                    |a, b| keys[a].cmp(&keys[b]),
                    case.tie_break,
                    None,
                );
                let outcomes = types
                    .into_iter()
                    .zip(sequences)
                    .map(|(counts, sequences)| Outcome::Type { counts, sequences })
                    .collect();
                (outcomes, weights, classes, keys)
            }
            Route::Sequence => {
                let sequences = case.source.sequences()?;
                let keys: Vec<Rational> = sequences
                    .iter()
                    .map(|s| case.reward.key_of_sequence(s))
                    .collect();
                let weights: Vec<Integer> = sequences
                    .iter()
                    .map(|s| {
                        s.iter().fold(Integer::from(1), |acc, &y| {
                            acc * &letter_weights[y as usize]
                        })
                    })
                    .collect();
                let classes = rank_into_classes(
                    sequences.len(),
                    |a, b| keys[a].cmp(&keys[b]),
                    case.tie_break,
                    Some(&sequences),
                );
                (
                    sequences.into_iter().map(Outcome::Sequence).collect(),
                    weights,
                    classes,
                    keys,
                )
            }
        };
        let mut level = 0;
        let reward_level = (0..classes.len())
            .map(|k| {
                if k > 0 && keys[classes[k][0]] != keys[classes[k - 1][0]] {
                    level += 1;
                }
                level
            })
            .collect();
        Ok(Ranked {
            outcomes,
            weights,
            denominator,
            classes,
            reward_level,
            keys,
            budget: case.budget,
        })
    }
}

impl ExactLaw {
    fn from_classes(
        route: Route,
        n: u32,
        outcomes: Vec<Outcome>,
        weights: Vec<Integer>,
        denominator: Integer,
        classes: Vec<Vec<usize>>,
        reward_level: Vec<usize>,
    ) -> ExactLaw {
        let mut class_of = vec![0; outcomes.len()];
        let class_mass: Vec<Integer> = classes
            .iter()
            .enumerate()
            .map(|(k, members)| {
                members.iter().for_each(|&o| class_of[o] = k);
                members.iter().map(|&o| &weights[o]).sum()
            })
            .collect();
        let mut prefix = Integer::new();
        let prefixes: Vec<Integer> = class_mass
            .iter()
            .map(|a| {
                prefix += a;
                prefix.clone()
            })
            .collect();
        // The powers dominate the cost and are independent: compute them in parallel.
        let mut class_delta: Vec<Integer> = prefixes
            .par_iter()
            .map(|s| Integer::from(s.pow(n)))
            .collect();
        for k in (1..class_delta.len()).rev() {
            let (low, high) = class_delta.split_at_mut(k);
            high[0] -= &low[k - 1];
        }
        let denominator_pow_n = Integer::from((&denominator).pow(n));
        ExactLaw {
            route,
            n,
            outcomes,
            weights,
            denominator,
            classes,
            class_of,
            reward_level,
            class_mass,
            class_delta,
            denominator_pow_n,
        }
    }

    /// The number of outcomes.
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Reward classes that carry probability under `p`: zero-probability outcomes with a
    /// reward of their own form classes that neither p nor pi_N ever reaches.
    pub fn support_class_count(&self) -> usize {
        self.class_mass.iter().filter(|a| a.cmp0().is_gt()).count()
    }

    /// Whether there is no outcome.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// `p(o)`, the reference probability of outcome `o`.
    pub fn p(&self, o: usize) -> Rational {
        Rational::from((&self.weights[o], &self.denominator))
    }

    /// `pi_N(o)`, exact, in lowest terms.
    pub fn pi(&self, o: usize) -> Rational {
        let k = self.class_of[o];
        if self.class_mass[k].cmp0().is_eq() {
            return Rational::new();
        }
        let num = Integer::from(&self.weights[o] * &self.class_delta[k]);
        let den = Integer::from(&self.class_mass[k] * &self.denominator_pow_n);
        Rational::from((num, den))
    }

    /// Whether the law sums to exactly 1, checked with integers: every class hands out exactly
    /// its delta (`sum_{o in k} w_o = A_k`) and the deltas sum to `D^N`.
    pub fn total_is_one(&self) -> bool {
        let masses_match = self
            .classes
            .iter()
            .zip(&self.class_mass)
            .all(|(members, mass)| {
                members.iter().map(|&o| &self.weights[o]).sum::<Integer>() == *mass
            });
        let deltas_sum: Integer = self.class_delta.iter().sum();
        let positive_deltas_have_mass = self
            .class_delta
            .iter()
            .zip(&self.class_mass)
            .all(|(delta, mass)| delta.cmp0().is_eq() || mass.cmp0().is_gt());
        masses_match && positive_deltas_have_mass && deltas_sum == self.denominator_pow_n
    }
}

/// N as a power exponent; anything above u32 could never be computed exactly anyway.
pub(crate) fn exponent_of(n: u64) -> Result<u32> {
    u32::try_from(n).map_err(|_| {
        InputError::new(format!(
            "n: N = {n} is too large for the exact law (limit {})",
            u32::MAX
        ))
    })
}
