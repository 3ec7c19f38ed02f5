//! The memoryless source `p^m` over length-m sequences, and its types (letter counts).

use rug::Integer;

use crate::error::{InputError, Result};
use crate::model::pmf::Pmf;

/// Most outcomes (sequences or types) any exact computation enumerates; past this the law
/// would not fit comfortably in memory.
pub const MAX_OUTCOMES: u64 = 1 << 20;

/// Most letter counts the type route stores (a K-long vector per type): 256 MiB.
pub const MAX_TYPE_ENTRIES: u64 = 1 << 26;

/// `p^m(y_1..y_m) = prod_i p(y_i)`.
#[derive(Debug, Clone)]
pub struct Memoryless {
    /// The per-letter pmf p.
    pub pmf: Pmf,
    /// The sequence length m >= 1.
    pub m: u32,
}

impl Memoryless {
    /// `p^m`; `m` must be at least 1.
    pub fn new(pmf: Pmf, m: u32) -> Result<Memoryless> {
        if m == 0 {
            return Err(InputError::new("m: must be at least 1"));
        }
        Ok(Memoryless { pmf, m })
    }

    /// The alphabet size K.
    pub fn alphabet_size(&self) -> usize {
        self.pmf.len()
    }

    /// `K^m`, or `None` if it overflows u64.
    pub fn sequence_count(&self) -> Option<u64> {
        (self.alphabet_size() as u64).checked_pow(self.m)
    }

    /// `C(m+K-1, K-1)`, the number of types, or `None` if it exceeds u64.
    pub fn type_count(&self) -> Option<u64> {
        let n = self.m as u128 + self.alphabet_size() as u128 - 1;
        let r = (self.alphabet_size() as u128 - 1).min(self.m as u128);
        // C(n, r) grows with each step for r <= n/2, so stop as soon as it leaves u64.
        let mut result: u128 = 1;
        for i in 1..=r {
            result = result * (n - r + i) / i;
            if result > u64::MAX as u128 {
                return None;
            }
        }
        Some(result as u64)
    }

    /// K^m if it is within [`MAX_OUTCOMES`], otherwise an error that suggests the type route.
    pub fn checked_sequence_count(&self) -> Result<u64> {
        self.sequence_count()
            .filter(|&c| c <= MAX_OUTCOMES)
            .ok_or_else(|| {
                InputError::too_large(format!(
                "K^m = {}^{} sequences is more than the limit of {MAX_OUTCOMES} for --by sequence; \
                 use --by type (needs an additive or log reward and uniform tie-breaking)",
                self.alphabet_size(),
                self.m
            ))
            })
    }

    /// C(m+K-1, K-1) if it is within [`MAX_OUTCOMES`] and their count vectors (K each)
    /// within [`MAX_TYPE_ENTRIES`].
    pub fn checked_type_count(&self) -> Result<u64> {
        let count = self
            .type_count()
            .filter(|&c| c <= MAX_OUTCOMES)
            .ok_or_else(|| {
                InputError::too_large(format!(
                "C(m+K-1, K-1) types for K = {}, m = {} is more than the limit of {MAX_OUTCOMES}",
                self.alphabet_size(),
                self.m
            ))
            })?;
        if count as u128 * self.alphabet_size() as u128 > MAX_TYPE_ENTRIES as u128 {
            return Err(InputError::too_large(format!(
                "by type: {count} types of {} letter counts each is more than the limit of \
                 {MAX_TYPE_ENTRIES} counts; use --by sequence ({} sequences)",
                self.alphabet_size(),
                self.sequence_count()
                    .map_or("more than 2^64".to_string(), |s| s.to_string())
            )));
        }
        Ok(count)
    }

    /// All K^m sequences in lexicographic order (y_1 most significant), refusing above the limit.
    pub fn sequences(&self) -> Result<Vec<Vec<u32>>> {
        let count = self.checked_sequence_count()?;
        let k = self.alphabet_size() as u32;
        let mut out = Vec::with_capacity(count as usize);
        let mut current = vec![0u32; self.m as usize];
        loop {
            out.push(current.clone());
            // Odometer increment, last position fastest so the order is lexicographic.
            let mut pos = current.len();
            loop {
                if pos == 0 {
                    return Ok(out);
                }
                pos -= 1;
                current[pos] += 1;
                if current[pos] < k {
                    break;
                }
                current[pos] = 0;
            }
        }
    }

    /// All types as count vectors (summing to m), in reverse lexicographic order of counts
    /// (so `[m,0,..]` first), refusing above the limit.
    pub fn types(&self) -> Result<Vec<Vec<u32>>> {
        self.checked_type_count()?;
        let mut out = Vec::new();
        let mut counts = vec![0u32; self.alphabet_size()];
        fill_types(&mut counts, 0, self.m, &mut out);
        Ok(out)
    }
}

fn fill_types(counts: &mut [u32], index: usize, remaining: u32, out: &mut Vec<Vec<u32>>) {
    if index + 1 == counts.len() {
        counts[index] = remaining;
        out.push(counts.to_vec());
        return;
    }
    for take in (0..=remaining).rev() {
        counts[index] = take;
        fill_types(counts, index + 1, remaining - take, out);
    }
    counts[index] = 0;
}

/// Number of sequences with the given letter counts: `m! / prod c_i!`.
pub fn multinomial(counts: &[u32]) -> Integer {
    let mut result = Integer::from(1);
    let mut total = 0u32;
    for &c in counts {
        total += c;
        result *= Integer::from(Integer::binomial_u(total, c));
    }
    result
}

/// Letter counts of a sequence over an alphabet of size `k`.
pub fn counts_of(sequence: &[u32], k: usize) -> Vec<u32> {
    let mut counts = vec![0u32; k];
    for &letter in sequence {
        counts[letter as usize] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(p: &str, m: u32) -> Memoryless {
        Memoryless::new(Pmf::parse(p).unwrap(), m).unwrap()
    }

    #[test]
    fn enumerates_sequences_lexicographically() {
        let seqs = source("1/2,1/2", 2).sequences().unwrap();
        assert_eq!(seqs, vec![vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]]);
    }

    #[test]
    fn types_count_matches_binomial_and_multinomials_sum_to_k_pow_m() {
        let s = source("1/5,3/10,1/2", 4);
        let types = s.types().unwrap();
        assert_eq!(types.len() as u64, s.type_count().unwrap());
        assert_eq!(types.len(), 15);
        let total: Integer = types.iter().map(|c| multinomial(c)).sum();
        assert_eq!(total, 81);
        assert_eq!(types[0], vec![4, 0, 0]);
        assert_eq!(multinomial(&[2, 1, 1]), 12);
    }

    #[test]
    fn refuses_huge_spaces() {
        let err = source("1/2,1/2", 30)
            .sequences()
            .unwrap_err()
            .message()
            .to_string();
        assert!(err.contains("--by type"), "{err}");
        assert!(source("1/2,1/2", 30).types().is_ok());
        assert!(Memoryless::new(Pmf::parse("1").unwrap(), 0).is_err());
    }
}
