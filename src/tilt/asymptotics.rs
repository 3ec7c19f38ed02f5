//! Theorem 2 of 003 and its type lemma, measured: with `N = round(exp(m delta))`, how far is
//! best-of-N from the KL-constrained optimum `phi_delta^m` as m grows?
//!
//! For each m: `(1/m) KL(pi_N^m || phi_delta^m)`, the expected type of the best-of-N sequence
//! and its total-variation distance to `phi_delta`, and `(1/m)` of the expected reward
//! `E log q^m` of both. Laws by type; exact (`S_k^N` as integers) while that costs at most
//! `EXACT_BITS` bits in all, by enclosure (`F^N = exp(N ln F)`, see `law::enclosed`) beyond.
//! `N = round(exp(m delta))` rounds to the nearest integer (never 0); the rounding is decided
//! by enclosures of `exp(m delta)` (which is never a half-integer for rational `m delta != 0`).

use rayon::prelude::*;
use rug::float::Round;
use rug::{Integer, Rational};

use crate::enclosure::{Interval, PrecisionPolicy};
use crate::error::{InputError, Result};
use crate::law::exact::Ranked;
use crate::law::{enclosed, ExactLaw, Outcome, Route};
use crate::model::{Case, Memoryless, Pmf, Reward, TieBreak};
use crate::tilt::optimum::{solve_alpha, AlphaBracket, AlphaSolution, RewardAtoms, Scale};

/// Use the exact law while its powers take at most this many bits together (64 Mbit).
pub const EXACT_BITS: u128 = 1 << 26;

#[derive(Debug, Clone)]
pub struct Row {
    pub m: u32,
    pub n: u64,
    /// "exact" or "enclosure": how pi_N was computed.
    pub route: &'static str,
    pub kl_per_letter: Interval,
    pub expected_type: Vec<Interval>,
    /// `(1/2) sum_y |E t(y) - phi_delta(y)|`.
    pub type_distance: Interval,
    /// `(1/m) E_{pi_N} log q^m`.
    pub reward_bon: Interval,
    /// `E_{phi_delta} log q`.
    pub reward_phi: Interval,
}

#[derive(Debug, Clone)]
pub struct Asymptotics {
    pub delta: Rational,
    pub alpha: AlphaBracket,
    pub phi_delta: Vec<Interval>,
    pub rows: Vec<Row>,
    pub prec: u32,
}

/// `round(exp(x))`, at least 1, decided by enclosures.
pub fn rounded_exp(x: &Rational, policy: PrecisionPolicy) -> Result<u64> {
    let mut prec = policy.start;
    loop {
        let e = Interval::from_rational(x, prec).exp();
        // floor(x + 1/2) at both ends, the sums rounded outward.
        let lo = rug::Float::with_val_round(prec, e.lo() + 0.5f64, Round::Down)
            .0
            .floor();
        let hi = rug::Float::with_val_round(prec, e.hi() + 0.5f64, Round::Up)
            .0
            .floor();
        if lo == hi {
            let n = lo.to_integer().and_then(|i| i.to_u64()).ok_or_else(|| {
                InputError::new(format!("N = round(exp({x})) does not fit in 64 bits"))
            })?;
            return Ok(n.max(1));
        }
        if prec >= policy.cap {
            return Err(InputError::new(format!(
                "round(exp({x})) undecided at {prec} bits"
            )));
        }
        prec = (prec * 2).min(policy.cap);
    }
}

/// The measured rows for `m` in `ms`, reference `p`, alignment `q` (reward log q), per-letter
/// budget `delta`, enclosures at `prec` bits.
pub fn asymptotics(
    p: &Pmf,
    q: &[Rational],
    delta: &Rational,
    ms: impl Iterator<Item = u32>,
    policy: PrecisionPolicy,
    prec: u32,
    progress: &(dyn Fn(u32) + Sync),
) -> Result<Asymptotics> {
    let k = p.len();
    let letters = RewardAtoms::new(p.probs().to_vec(), q.to_vec(), Scale::Log);
    let alpha = match solve_alpha(&letters, delta, policy, prec.max(64)) {
        AlphaSolution::Bracket(b) => b,
        AlphaSolution::Zero => {
            return Err(InputError::new(
                "delta: a zero budget gives phi = p and N = 1 for every m; nothing to measure",
            ))
        }
        AlphaSolution::NoFiniteAlpha { sup, .. } => {
            return Err(InputError::new(format!(
                "delta: {delta} is at or beyond log(1/p(argmax q)) = {sup}: no finite alpha, phi_delta is p restricted to argmax q"
            )))
        }
        AlphaSolution::Undecided { reason, .. } => {
            return Err(InputError::new(format!("delta: alpha(delta) undecided: {reason}")))
        }
    };
    let alpha_interval = alpha.interval(prec);
    let phi_letters = letters.at(&alpha_interval, prec);
    let ln_q: Vec<Interval> = q
        .iter()
        .map(|x| Interval::ln_of(x, prec).expect("q > 0"))
        .collect();
    let zero = Interval::from_integer(&Integer::new(), prec);
    let reward_phi = phi_letters
        .phi
        .iter()
        .zip(&ln_q)
        .fold(zero.clone(), |acc, (f, l)| acc.add(&f.mul(l)));
    // Rows are independent: one per thread, largest m first (they cost the most).
    let mut ms: Vec<u32> = ms.collect();
    ms.sort_unstable_by(|a, b| b.cmp(a));
    let one_row = |m: u32| -> Result<Row> {
        let n = rounded_exp(&Rational::from(delta * m), policy)?;
        let source = Memoryless::new(p.clone(), m)?;
        let case = Case::new(source, Reward::Log(q.to_vec()), n, TieBreak::Uniform)?;
        let ranked = Ranked::compute(&case, Route::Type)?;
        let bits = n as u128
            * ranked.denominator.significant_bits() as u128
            * ranked.classes.len() as u128;
        let (route, class_pi) = if bits <= EXACT_BITS {
            let law = ExactLaw::compute(&case, Route::Type)?;
            let pi = law
                .class_delta
                .iter()
                .map(|d| {
                    // Divide enclosures, not rationals: no gcd of the huge exact ratio.
                    Interval::from_integer(d, prec + 32)
                        .div(&Interval::from_integer(&law.denominator_pow_n, prec + 32))
                        .expect("D^N > 0")
                        .with_prec(prec)
                })
                .collect();
            ("exact", pi)
        } else {
            ("enclosure", enclosed::class_pi(&ranked, n, prec))
        };
        let atoms = RewardAtoms::of_ranked(&ranked, Scale::Log);
        let tilt = atoms.at(&alpha_interval, prec);
        let m_interval = Interval::from_integer(&Integer::from(m), prec);
        let mut kl = zero.clone();
        let mut reward = zero.clone();
        let mut expected = vec![zero.clone(); k];
        for (c, members) in ranked.classes.iter().enumerate() {
            let pi = &class_pi[c];
            if pi.hi().is_zero() {
                continue;
            }
            if !pi.lo().is_zero() {
                let ratio = pi.div(&tilt.phi[c]).expect("phi > 0");
                kl = kl.add(&pi.mul(&ratio.ln().expect("positive")));
            }
            let ln_key = Interval::ln_of(&ranked.keys[members[0]], prec).expect("key > 0");
            reward = reward.add(&pi.mul(&ln_key));
            let mass: Integer = members.iter().map(|&o| &ranked.weights[o]).sum();
            for &o in members {
                let Outcome::Type { counts, .. } = &ranked.outcomes[o] else {
                    unreachable!("ranked by type")
                };
                let share = pi.mul(&Interval::from_rational(
                    &Rational::from((&ranked.weights[o], &mass)),
                    prec,
                ));
                for (y, &count) in counts.iter().enumerate() {
                    expected[y] = expected[y].add(
                        &share.mul(&Interval::from_rational(&Rational::from((count, m)), prec)),
                    );
                }
            }
        }
        let distance = expected
            .iter()
            .zip(&phi_letters.phi)
            .fold(zero.clone(), |acc, (e, f)| acc.add(&e.sub(f).abs()))
            .mul(&Interval::from_rational(&Rational::from((1, 2)), prec));
        progress(m);
        Ok(Row {
            m,
            n,
            route,
            kl_per_letter: kl.div(&m_interval).expect("m > 0"),
            expected_type: expected,
            type_distance: distance,
            reward_bon: reward.div(&m_interval).expect("m > 0"),
            reward_phi: reward_phi.clone(),
        })
    };
    let mut rows = ms
        .into_par_iter()
        .map(one_row)
        .collect::<Result<Vec<Row>>>()?;
    rows.sort_by_key(|r| r.m);
    Ok(Asymptotics {
        delta: delta.clone(),
        alpha,
        phi_delta: phi_letters.phi,
        rows,
        prec,
    })
}
