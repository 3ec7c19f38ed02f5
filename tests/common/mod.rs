//! Helpers shared by the integration tests: building cases and a tiny seeded generator.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use bestofn::model::{Case, Memoryless, Pmf, Reward, TieBreak};
use rug::Rational;

pub fn case(p: &str, reward: &str, m: u32, n: u64, tie_break: &str) -> Case {
    let pmf = Pmf::parse(p).expect("valid pmf");
    let reward =
        Reward::parse(reward, Path::new(env!("CARGO_MANIFEST_DIR"))).expect("valid reward");
    Case::new(
        Memoryless::new(pmf, m).expect("m >= 1"),
        reward,
        n,
        TieBreak::parse(tie_break).expect("valid tie-break"),
    )
    .expect("valid case")
}

pub fn q(text: &str) -> Rational {
    bestofn::exact::parse_rational(text).expect("valid rational")
}

/// xorshift64*: deterministic, dependency-free, good enough to vary small test cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A random pmf over `k` letters with small integer weights (some possibly zero).
pub fn random_pmf(rng: &mut Rng, k: usize) -> String {
    loop {
        let weights: Vec<u64> = (0..k).map(|_| rng.below(5)).collect();
        let total: u64 = weights.iter().sum();
        if total > 0 {
            return weights
                .iter()
                .map(|w| format!("{w}/{total}"))
                .collect::<Vec<_>>()
                .join(",");
        }
    }
}

/// A random additive or log reward over `k` letters, with values chosen to create ties.
pub fn random_symmetric_reward(rng: &mut Rng, k: usize) -> String {
    if rng.below(2) == 0 {
        let values: Vec<&str> = (0..k)
            .map(|_| rng.pick(&["-1", "0", "1/2", "1", "2"]))
            .collect();
        format!("additive:{}", values.join(","))
    } else {
        let values: Vec<&str> = (0..k)
            .map(|_| rng.pick(&["1", "2", "4", "1/2", "3", "8"]))
            .collect();
        format!("log:{}", values.join(","))
    }
}

/// A small random case: K in 2..=3, m in 1..=2, N in 1..=3, a random pmf and symmetric reward
/// (small enough for the brute force). Returns the flags that describe it, for messages.
pub fn random_small_case(rng: &mut Rng, tie_break: &str) -> (Case, String) {
    let k = 2 + rng.below(2) as usize;
    let m = 1 + rng.below(2) as u32;
    let n = 1 + rng.below(3);
    let p = random_pmf(rng, k);
    let reward = random_symmetric_reward(rng, k);
    let flags = format!("--p {p} --reward {reward} --m {m} --n {n} --tie-break {tie_break}");
    (case(&p, &reward, m, n, tie_break), flags)
}

/// Runs the `bestofn` binary in the crate's folder (so `cases/...` paths resolve).
pub fn bestofn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bestofn"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}
