//! A case file's `[expected]` exact values, and their comparison with a computed law.

use rug::Rational;

use crate::law::LawTable;

/// Exact values a case file promises; `bestofn law` fails (exit 1) if any differs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expected {
    /// `(sequence, pi)`.
    pub pi: Vec<(Vec<u32>, Rational)>,
    /// `(counts, pi of the whole type)`.
    pub pi_type: Vec<(Vec<u32>, Rational)>,
    /// `(position from 1, letter, P(y_position = letter))`.
    pub marginal: Vec<(usize, u32, Rational)>,
}

/// One expected value that the computed law does not reproduce.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// What was expected (`pi(0,1)`, `P(y_1 = 2)`).
    pub what: String,
    /// The value the file states.
    pub expected: Rational,
    /// `None` when the outcome is not in the law at all (wrong length or letters).
    pub computed: Option<Rational>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.computed {
            Some(c) => write!(f, "{}: expected {}, computed {c}", self.what, self.expected),
            None => write!(
                f,
                "{}: expected {}, but the case has no such outcome",
                self.what, self.expected
            ),
        }
    }
}

impl Expected {
    /// Whether the file states no value.
    pub fn is_empty(&self) -> bool {
        self.pi.is_empty() && self.pi_type.is_empty() && self.marginal.is_empty()
    }

    /// How many values the file states.
    pub fn count(&self) -> usize {
        self.pi.len() + self.pi_type.len() + self.marginal.len()
    }

    /// Compares every expected value with the law; returns the ones that differ.
    pub fn mismatches(&self, table: &LawTable) -> Vec<Mismatch> {
        let label = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let mut out = Vec::new();
        let mut check = |what: String, expected: &Rational, computed: Option<Rational>| {
            if computed.as_ref() != Some(expected) {
                out.push(Mismatch {
                    what,
                    expected: expected.clone(),
                    computed,
                });
            }
        };
        for (sequence, value) in &self.pi {
            check(
                format!("pi({})", label(sequence)),
                value,
                table.pi_of_sequence(sequence),
            );
        }
        for (counts, value) in &self.pi_type {
            check(
                format!("pi(type [{}])", label(counts)),
                value,
                table.pi_of_type(counts),
            );
        }
        for (position, letter, value) in &self.marginal {
            let computed = (*position <= table.m as usize && (*letter as usize) < table.k)
                .then(|| table.marginal(*position, *letter));
            check(format!("P(y_{position} = {letter})"), value, computed);
        }
        out
    }
}
