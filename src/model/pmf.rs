//! A probability mass function on letters `0..K-1` with exact rational entries.

use rug::{Integer, Rational};

use crate::error::{InputError, Result};
use crate::exact::parse_rational_list;

/// Largest alphabet accepted; beyond it nothing this tool computes exactly would fit anyway.
pub const MAX_LETTERS: usize = 1 << 16;

/// A validated pmf: entries are non-negative and sum to exactly 1. No normalisation is ever done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pmf {
    probs: Vec<Rational>,
}

impl Pmf {
    /// Validates `probs`. Errors name the offending entry (1-based) or the actual sum.
    pub fn new(probs: Vec<Rational>) -> Result<Pmf> {
        Pmf::new_named("p", probs)
    }

    /// As [`Pmf::new`], with errors naming the pmf `what` (e.g. `q`).
    pub fn new_named(what: &str, probs: Vec<Rational>) -> Result<Pmf> {
        if probs.is_empty() {
            return Err(InputError::new(format!("{what}: the pmf has no entries")));
        }
        if probs.len() > MAX_LETTERS {
            return Err(InputError::new(format!(
                "{what}: {} letters is more than the limit of {MAX_LETTERS}",
                probs.len()
            )));
        }
        for (i, value) in probs.iter().enumerate() {
            if value.cmp0().is_lt() {
                return Err(InputError::new(format!(
                    "{what}: entry {} is negative ({})",
                    i + 1,
                    crate::exact::decimal::brief(value)
                )));
            }
        }
        let sum: Rational = probs.iter().sum();
        if sum != 1 {
            return Err(InputError::new(format!(
                "{what}: entries sum to {}, not 1 (the tool never normalises)",
                deviation_from_one(&sum)
            )));
        }
        Ok(Pmf { probs })
    }

    /// Parses a comma-separated list such as `1/5,3/10,1/2` or `0.2,0.3,0.5`.
    pub fn parse(text: &str) -> Result<Pmf> {
        Pmf::parse_named("p", text)
    }

    /// As [`Pmf::parse`], with errors naming the pmf `what`.
    pub fn parse_named(what: &str, text: &str) -> Result<Pmf> {
        Pmf::new_named(what, parse_rational_list(what, text)?)
    }

    /// The number of letters K.
    pub fn len(&self) -> usize {
        self.probs.len()
    }

    /// Whether there is no letter.
    pub fn is_empty(&self) -> bool {
        self.probs.is_empty()
    }

    /// `p(letter)`.
    pub fn prob(&self, letter: usize) -> &Rational {
        &self.probs[letter]
    }

    /// Every `p(letter)`, in letter order.
    pub fn probs(&self) -> &[Rational] {
        &self.probs
    }

    /// Bits of the common denominator `L` (the lcm of the denominators).
    pub fn common_denominator_bits(&self) -> u64 {
        let mut lcm = Integer::from(1);
        for value in &self.probs {
            lcm.lcm_mut(value.denom());
        }
        lcm.significant_bits() as u64
    }

    /// The pmf as integers over one common denominator `L` (the lcm of the denominators):
    /// returns `(L, [p_i * L])`. The numerators sum to `L`.
    pub fn over_common_denominator(&self) -> (Integer, Vec<Integer>) {
        let mut lcm = Integer::from(1);
        for value in &self.probs {
            lcm.lcm_mut(value.denom());
        }
        let numerators = self
            .probs
            .iter()
            .map(|value| Integer::from(&lcm / value.denom()) * value.numer())
            .collect();
        (lcm, numerators)
    }
}

impl std::fmt::Display for Pmf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.probs.iter().map(|q| q.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

/// A sum that is not 1: itself when short, else as `1 + d` or `1 - d` with the deviation `d` exact: a power of ten or
/// two in the denominator as `10^k` or `2^k`, so that `1 + 1/10^30` is not shown as a
/// truncated `1.00000000000`.
fn deviation_from_one(sum: &Rational) -> String {
    if sum.numer().significant_bits() + sum.denom().significant_bits() <= 64 {
        return sum.to_string();
    }
    let deviation = Rational::from(sum - 1u32);
    let (sign, size) = if deviation.cmp0().is_lt() {
        ("-", Rational::from(-&deviation))
    } else {
        ("+", deviation)
    };
    let power_of = |base: u32| -> Option<u32> {
        let mut d = size.denom().clone();
        let mut k = 0;
        while d > 1 && d.is_divisible_u(base) {
            d /= base;
            k += 1;
        }
        (d == 1 && k > 3).then_some(k)
    };
    let numer = size.numer();
    let text = if numer.significant_bits() > 64 {
        crate::exact::decimal::brief(&size)
    } else if let Some(k) = power_of(10) {
        format!("{numer}/10^{k}")
    } else if let Some(k) = power_of(2) {
        format!("{numer}/2^{k}")
    } else {
        crate::exact::decimal::brief(&size)
    };
    format!("1 {sign} {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_exact_pmfs_and_reports_common_denominator() {
        let p = Pmf::parse("1/5,0.3,1/2").unwrap();
        assert_eq!(p.len(), 3);
        let (lcm, nums) = p.over_common_denominator();
        assert_eq!(lcm, 10);
        assert_eq!(
            nums,
            vec![Integer::from(2), Integer::from(3), Integer::from(5)]
        );
    }

    #[test]
    fn rejects_bad_pmfs_with_the_reason() {
        let err = Pmf::parse("1/5,3/10,1/3")
            .unwrap_err()
            .message()
            .to_string();
        assert!(err.contains("sum to 5/6"), "{err}");
        let err = Pmf::parse("-1/5,7/10,1/2")
            .unwrap_err()
            .message()
            .to_string();
        assert!(err.contains("entry 1 is negative"), "{err}");
        let err = Pmf::parse("1/2,half").unwrap_err().message().to_string();
        assert!(err.contains("entry 2"), "{err}");
        // 0.1 + 0.2 + 0.7 is exactly 1 here, unlike in binary floating point.
        assert!(Pmf::parse("0.1,0.2,0.7").is_ok());
    }
}
