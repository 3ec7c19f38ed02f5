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
use crate::law::enclosed::EnclosedLaw;
use crate::law::exact::Ranked;
use crate::law::{ExactLaw, Outcome, Route};
use crate::model::{Case, Memoryless, Pmf, Reward, TieBreak};
use crate::tilt::optimum::{solve_alpha, AlphaBracket, AlphaSolution, RewardAtoms, Scale};

/// Use the exact law while its powers take at most this many bits together (64 Mbit).
pub const EXACT_BITS: u128 = 1 << 26;

#[derive(Debug, Clone)]
/// One m of the measurement.
pub struct Row {
    /// The sequence length m.
    pub m: u32,
    /// N = round(exp(m delta)).
    pub n: u64,
    /// "exact" or "enclosure": how pi_N was computed.
    pub route: &'static str,
    /// `(1/m) KL(pi_N || p^m)`, enclosed.
    pub kl_per_letter: Interval,
    /// The expected type of best-of-N, per letter.
    pub expected_type: Vec<Interval>,
    /// `(1/2) sum_y |E t(y) - phi_delta(y)|`.
    pub type_distance: Interval,
    /// `(1/m) E_{pi_N} log q^m`.
    pub reward_bon: Interval,
    /// `E_{phi_delta} log q`.
    pub reward_phi: Interval,
}

#[derive(Debug, Clone)]
/// Theorem 2 of 003 measured over a range of m.
pub struct Asymptotics {
    /// The per-letter budget delta.
    pub delta: Rational,
    /// The certified bracket of alpha(delta).
    pub alpha: AlphaBracket,
    /// The optimum phi_delta per letter, enclosed.
    pub phi_delta: Vec<Interval>,
    /// One row per m.
    pub rows: Vec<Row>,
    /// The working precision.
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
    let letters = RewardAtoms::new(p.probs().to_vec(), q.to_vec(), Scale::Log);
    let alpha = alpha_of(&letters, delta, policy, prec)?;
    let optimum = Optimum::new(p, q, &letters, &alpha, prec);
    // Rows are independent: one per thread, largest m first (they cost the most).
    let mut ms: Vec<u32> = ms.collect();
    ms.sort_unstable_by(|a, b| b.cmp(a));
    let mut rows = ms
        .into_par_iter()
        .map(|m| {
            let row = optimum.row(p, q, delta, m, policy)?;
            progress(m);
            Ok(row)
        })
        .collect::<Result<Vec<Row>>>()?;
    rows.sort_by_key(|r| r.m);
    Ok(Asymptotics {
        delta: delta.clone(),
        alpha,
        phi_delta: optimum.phi_letters.phi,
        rows,
        prec,
    })
}

/// `alpha(delta)` bracketed, or why there is nothing to measure.
fn alpha_of(
    letters: &RewardAtoms,
    delta: &Rational,
    policy: PrecisionPolicy,
    prec: u32,
) -> Result<AlphaBracket> {
    match solve_alpha(letters, delta, policy, prec.max(64)) {
        AlphaSolution::Bracket(b) => Ok(b),
        AlphaSolution::Zero => Err(InputError::new(
            "delta: a zero budget gives phi = p and N = 1 for every m; nothing to measure",
        )),
        AlphaSolution::NoFiniteAlpha { sup, .. } => Err(InputError::new(format!(
            "delta: {delta} is at or beyond log(1/p(argmax q)) = {sup}: no finite alpha, phi_delta is p restricted to argmax q"
        ))),
        AlphaSolution::Undecided { reason, .. } => Err(InputError::new(format!(
            "delta: alpha(delta) undecided: {reason}"
        ))),
    }
}

/// What every row shares: the optimum per letter and the logarithms of its product form.
struct Optimum {
    prec: u32,
    work: u32,
    k: usize,
    alpha_work: Interval,
    ln_q: Vec<Interval>,
    zero: Interval,
    ln_z1: Interval,
    reward_phi: Interval,
    phi_letters: crate::tilt::optimum::TiltPoint,
}

impl Optimum {
    fn new(
        p: &Pmf,
        q: &[Rational],
        letters: &RewardAtoms,
        alpha: &AlphaBracket,
        prec: u32,
    ) -> Optimum {
        let alpha_interval = alpha.interval(prec);
        let phi_letters = letters.at(&alpha_interval, prec);
        let work = prec + 32;
        let ln_q: Vec<Interval> = q
            .iter()
            .map(|x| Interval::ln_of(x, work).expect("q > 0"))
            .collect();
        let zero = Interval::from_integer(&Integer::new(), work);
        let reward_phi = phi_letters
            .phi
            .iter()
            .zip(&ln_q)
            .fold(zero.clone(), |acc, (f, l)| acc.add(&f.mul(l)))
            .with_prec(prec);
        // phi_delta^m(sequence) = p^m(sequence) q^m(sequence)^alpha / Z_1^m (Lemma 4's product
        // form is the definition here: the measured KL is against the m-fold product of phi_delta),
        // so each class needs only its own mass and key: ln phi = ln(A/D) + alpha ln key - m ln Z_1.
        let alpha_work = alpha.interval(work);
        let ln_z1 = p
            .probs()
            .iter()
            .zip(&ln_q)
            .fold(zero.clone(), |acc, (p_y, l)| {
                acc.add(&Interval::from_rational(p_y, work).mul(&alpha_work.mul(l).exp()))
            })
            .ln()
            .expect("Z_1 >= p(top) q(top)^alpha > 0");
        Optimum {
            prec,
            work,
            k: p.len(),
            alpha_work,
            ln_q,
            zero,
            ln_z1,
            reward_phi,
            phi_letters,
        }
    }

    /// One row: best-of-N at `m` with N = round(exp(m delta)), measured against the optimum.
    fn row(
        &self,
        p: &Pmf,
        q: &[Rational],
        delta: &Rational,
        m: u32,
        policy: PrecisionPolicy,
    ) -> Result<Row> {
        let Optimum {
            prec,
            work,
            k,
            ref alpha_work,
            ref ln_q,
            ref zero,
            ref ln_z1,
            ref reward_phi,
            ref phi_letters,
        } = *self;
        let n = rounded_exp(&Rational::from(delta * m), policy)?;
        let source = Memoryless::new(p.clone(), m)?;
        let case = Case::new(source, Reward::Log(q.to_vec()), n, TieBreak::Uniform)?;
        let ranked = Ranked::compute(&case, Route::Type)?;
        let enclosed = EnclosedLaw::new(&ranked, n, work);
        let bits = n as u128
            * ranked.denominator.significant_bits() as u128
            * ranked.classes.len() as u128;
        // The lowest classes carry at most 2^-(work + 32) together: bounded as one block below.
        // Classes carrying at most 2^-(work + 32) together, at the bottom and at the top of the
        // ranking, are bounded as two blocks below instead of enclosed one by one.
        let block_bits = prec + 24;
        // Per class: pi and, where known without a logarithm of pi, ln(pi / p(class)).
        type Terms<'t> = Box<dyn Fn(usize) -> (Interval, Option<Interval>) + 't>;
        // Exact while affordable, and within the --max-bits budget on one integer.
        let exact_fits =
            bits <= EXACT_BITS && crate::law::budget::check_case(&case, Route::Type).is_ok();
        let (route, below, above, class_terms): (_, usize, usize, Terms) = if exact_fits {
            let law = ExactLaw::compute(&case, Route::Type)?;
            let d_pow_n = Interval::from_integer(law.denominator_pow_n(), work);
            let pi = move |k: usize| {
                // Divide enclosures, not rationals: no gcd of the huge exact ratio.
                let pi = Interval::from_integer(&law.class_delta()[k], work)
                    .div(&d_pow_n)
                    .expect("D^N > 0");
                (pi, None)
            };
            ("exact", 0, 0, Box::new(pi))
        } else {
            let below = enclosed.negligible(block_bits);
            let above = enclosed
                .negligible_top(n, block_bits)
                .min(enclosed.len() - below);
            let terms = |k: usize| {
                let t = enclosed.class_terms(k).expect("mass > 0");
                (t.pi, Some(t.ln_over_mass))
            };
            ("enclosure", below, above, Box::new(terms))
        };
        let m_interval = Interval::from_integer(&Integer::from(m), work);
        let ln_d = Interval::from_integer(&ranked.denominator, work)
            .ln()
            .expect("D >= 1");
        let m_ln_z1 = m_interval.mul(ln_z1);
        let ln_key_of = |c: usize| -> Interval {
            let Outcome::Type { counts, .. } = &ranked.outcomes[ranked.classes[c][0]] else {
                unreachable!("ranked by type")
            };
            counts
                .iter()
                .zip(ln_q)
                .fold(zero.clone(), |acc, (&n_y, l)| {
                    acc.add(&Interval::from_integer(&Integer::from(n_y), work).mul(l))
                })
        };
        let mut kl = zero.clone();
        let mut reward = zero.clone();
        let mut expected = vec![zero.clone(); k];
        let classes = ranked.classes.len();
        // A block with pi(block) <= eps: its KL part is at least eps ln eps (log-sum inequality
        // with phi(block) <= 1, and x ln x decreasing on [0, 1/e]) and at most eps times the
        // largest ln(pi/phi) in it; its reward part is pi times keys within the block's range;
        // its part of each type frequency is in [0, eps].
        let eps =
            Interval::from_rational(&Rational::from((1, Integer::from(1) << block_bits)), work);
        let upto_eps = zero.hull(&eps);
        let eps_ln_eps = eps.mul(
            &Interval::ln_of(&Rational::from(2), work)
                .expect("2 > 0")
                .mul(&Interval::from_integer(&Integer::from(block_bits), work))
                .neg(),
        );
        let ln_n = Interval::from_integer(&Integer::from(n), work)
            .ln()
            .expect("N >= 1");
        // Blocks as (lowest class, highest class, bound on ln(pi / phi) inside).
        let mut blocks: Vec<(usize, usize, Interval)> = Vec::new();
        if below > 0 {
            // ln pi <= 0 and ln phi >= ln(1/D) + alpha ln key_min - m ln Z_1.
            let ratio = ln_d.sub(&alpha_work.mul(&ln_key_of(0))).add(&m_ln_z1);
            blocks.push((0, below - 1, ratio));
        }
        if above > 0 {
            // pi <= N A / D and phi = (A / D) key^alpha / Z_1^m with key >= the block's lowest.
            let first = classes - above;
            let ratio = ln_n.sub(&alpha_work.mul(&ln_key_of(first))).add(&m_ln_z1);
            blocks.push((first, classes - 1, ratio));
        }
        // Light classes scattered between the blocks (N A / D tiny) form a third block.
        let mut scattered = false;
        for (c, members) in ranked
            .classes
            .iter()
            .enumerate()
            .take(classes - above)
            .skip(below)
        {
            let mass = &enclosed.class_mass[c];
            if mass.cmp0().is_eq() {
                continue;
            }
            if route == "enclosure" && enclosed.negligible_alone(c, classes, block_bits) {
                scattered = true;
                continue;
            }
            let (pi, ln_over_mass) = class_terms(c);
            let ln_key = ln_key_of(c);
            // ln phi(class) - ln p(class) = alpha ln key - m ln Z_1.
            let tilt_over_mass = alpha_work.mul(&ln_key).sub(&m_ln_z1);
            kl = kl.add(&match ln_over_mass {
                Some(ln_over_mass) => pi.mul(&ln_over_mass.sub(&tilt_over_mass)),
                None => {
                    let ln_mass = Interval::from_integer(mass, work).ln().expect("A > 0");
                    kl_term(&pi, &ln_mass.sub(&ln_d).add(&tilt_over_mass))
                }
            });
            reward = reward.add(&pi.mul(&ln_key));
            // E[t(y) | class] = sum_o w_o c_o(y) / (A m): one exact numerator per letter.
            let class_scale = Interval::from_integer(&Integer::from(mass * m), work);
            let pi_per_unit = pi.div(&class_scale).expect("A m > 0");
            for (y, slot) in expected.iter_mut().enumerate() {
                let weighted: Integer = members
                    .iter()
                    .map(|&o| {
                        let Outcome::Type { counts, .. } = &ranked.outcomes[o] else {
                            unreachable!("ranked by type")
                        };
                        Integer::from(&ranked.weights[o] * counts[y])
                    })
                    .sum();
                *slot = slot.add(&pi_per_unit.mul(&Interval::from_integer(&weighted, work)));
            }
        }
        if scattered {
            // pi <= N A / D and phi = (A / D) key^alpha / Z_1^m, keys at least the lowest.
            let ratio = ln_n.sub(&alpha_work.mul(&ln_key_of(0))).add(&m_ln_z1);
            blocks.push((0, classes - 1, ratio));
        }
        for (first, last, max_ln_ratio) in blocks {
            let keys = ln_key_of(first).hull(&ln_key_of(last));
            kl = kl.add(&eps_ln_eps.hull(&eps.mul(&max_ln_ratio.hull(zero))));
            reward = reward.add(&upto_eps.mul(&keys));
            for slot in expected.iter_mut() {
                *slot = slot.add(&upto_eps);
            }
        }
        let distance = expected
            .iter()
            .zip(&phi_letters.phi)
            .fold(zero.clone(), |acc, (e, f)| acc.add(&e.sub(f).abs()))
            .mul(&Interval::from_rational(&Rational::from((1, 2)), work));
        Ok(Row {
            m,
            n,
            route,
            kl_per_letter: kl.div(&m_interval).expect("m > 0").with_prec(prec),
            expected_type: expected.iter().map(|e| e.with_prec(prec)).collect(),
            type_distance: distance.with_prec(prec),
            reward_bon: reward.div(&m_interval).expect("m > 0").with_prec(prec),
            reward_phi: reward_phi.clone(),
        })
    }
}

/// `pi (ln pi - ln phi)` for an enclosed `pi >= 0`: where `pi` may be 0, the range of the
/// convex `x (ln x - ln phi)` over `[0, pi_hi]`: its minimum is `-phi/e` (at `x = phi/e`) or
/// its value at `pi_hi`, its maximum `0` or its value at `pi_hi`.
fn kl_term(pi: &Interval, ln_phi: &Interval) -> Interval {
    if pi.lo().cmp0() == Some(std::cmp::Ordering::Greater) {
        return pi.mul(&pi.ln().expect("pi > 0").sub(ln_phi));
    }
    let prec = pi.prec();
    let zero = Interval::from_integer(&Integer::new(), prec);
    if pi.hi().cmp0() != Some(std::cmp::Ordering::Greater) {
        return zero;
    }
    let top = Interval::from_ends(pi.hi().clone(), pi.hi().clone());
    let at_top = top.mul(&top.ln().expect("pi_hi > 0").sub(ln_phi));
    let one = Interval::from_integer(&Integer::from(1), prec);
    let dip = ln_phi.sub(&one).exp().neg();
    at_top.hull(&zero).hull(&dip)
}
