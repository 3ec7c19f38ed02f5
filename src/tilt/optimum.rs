//! The KL-constrained optimum of 003 (Lemmas 1 and 4): `phi_Delta = T(q, p, alpha(Delta))`, the
//! tilt of `p` by `e^(alpha r)` (`q^alpha` for `r = log q`) whose KL to `p` is the budget.
//!
//! `f(alpha) = KL(T(alpha) || p)` is 0 at 0, has derivative `alpha Var_T(r)`, which is positive
//! for `alpha > 0` as soon as `r` takes two values on the support of `p` (checked exactly), and
//! tends to `log 1/p(top reward class)` as `alpha` grows. So a root exists exactly when the
//! budget is below that supremum, and it is unique. [`solve_alpha`] brackets it between two
//! rationals whose KL values are certified below and above the budget by enclosures.
//!
//! The reward enters only through exact differences to the top reward, `g = r - r_max <= 0`
//! (an exact rational for additive and score rewards, `ln(w / w_max)` for log rewards), so
//! `e^(alpha g)` never overflows.

use rug::{Integer, Rational};

use crate::enclosure::{decide, Decision, Interval, PrecisionPolicy};
use crate::law::{ExactLaw, Outcome};
use crate::model::{Case, Reward};

pub use super::bracket::{bracket_increasing, RootBracket};

/// How an exact reward key maps to the reward itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The key is the reward (additive sums, scores).
    Linear,
    /// The key is `w` and the reward is `ln w` (log rewards: `w` is a product of weights).
    Log,
}

/// Groups of outcomes that share a reward: their reference mass and exact reward key.
#[derive(Debug, Clone)]
pub struct RewardAtoms {
    /// The reference mass of each atom.
    pub mass: Vec<Rational>,
    /// Its exact reward key.
    pub key: Vec<Rational>,
    /// How keys map to rewards (the key itself, or its logarithm).
    pub scale: Scale,
    /// The largest key among atoms of positive mass.
    top: Rational,
}

/// Everything about one tilt `T(alpha)` at an (interval) exponent.
#[derive(Debug, Clone)]
pub struct TiltPoint {
    /// `T(alpha)` of each atom.
    pub phi: Vec<Interval>,
    /// `ln sum_j p_j e^(alpha g_j)`.
    pub log_z: Interval,
    /// `E_T[g] = E_T[r] - r_max`.
    pub mean_gap: Interval,
    /// `KL(T(alpha) || p)`.
    pub kl: Interval,
    /// `d/dalpha KL(T(alpha) || p) = alpha Var_T(r)`.
    pub slope: Interval,
}

impl RewardAtoms {
    /// Atoms with these masses and keys.
    pub fn new(mass: Vec<Rational>, key: Vec<Rational>, scale: Scale) -> RewardAtoms {
        let top = mass
            .iter()
            .zip(&key)
            .filter(|(m, _)| m.cmp0().is_gt())
            .map(|(_, k)| k)
            .max()
            .cloned()
            .expect("a pmf has an atom of positive mass");
        RewardAtoms {
            mass,
            key,
            scale,
            top,
        }
    }

    /// One atom per letter, for rewards that are sums over letters (additive or log);
    /// `None` for a scores reward, which has no per-letter form.
    pub fn per_letter(case: &Case) -> Option<RewardAtoms> {
        let mass = case.source.pmf.probs().to_vec();
        match &case.reward {
            Reward::Additive(values) => Some(RewardAtoms::new(mass, values.clone(), Scale::Linear)),
            Reward::Log(weights) => Some(RewardAtoms::new(mass, weights.clone(), Scale::Log)),
            Reward::Scores(_) => None,
        }
    }

    /// One atom per class of the law of `case` (mass `A_k / D`), whatever the reward.
    pub fn of_classes(law: &ExactLaw, case: &Case) -> RewardAtoms {
        let mass = law
            .class_mass()
            .iter()
            .map(|a| Rational::from((a, law.denominator())))
            .collect();
        let key = law
            .classes()
            .iter()
            .map(|members| match &law.outcomes()[members[0]] {
                Outcome::Type { counts, .. } => case
                    .reward
                    .key_of_counts(counts)
                    .expect("the type route has a symmetric reward"),
                Outcome::Sequence(sequence) => case.reward.key_of_sequence(sequence),
            })
            .collect();
        let scale = match case.reward {
            Reward::Log(_) => Scale::Log,
            _ => Scale::Linear,
        };
        RewardAtoms::new(mass, key, scale)
    }

    /// The number of atoms.
    pub fn len(&self) -> usize {
        self.mass.len()
    }

    /// Whether there is no atom.
    pub fn is_empty(&self) -> bool {
        self.mass.is_empty()
    }

    /// `p(top reward class)`, exactly.
    pub fn top_mass(&self) -> Rational {
        self.mass
            .iter()
            .zip(&self.key)
            .filter(|(_, k)| **k == self.top)
            .map(|(m, _)| m)
            .sum()
    }

    /// Whether the reward takes at least two values on the support of `p` (exact): then
    /// `f' = alpha Var_T(r) > 0` for every `alpha > 0`.
    pub fn reward_varies(&self) -> bool {
        self.top_mass() != 1
    }

    /// `g_j = r_j - r_max <= 0`, enclosed (exactly 0 for the top atoms).
    pub fn gap(&self, j: usize, prec: u32) -> Interval {
        match self.scale {
            Scale::Linear => {
                Interval::from_rational(&Rational::from(&self.key[j] - &self.top), prec)
            }
            Scale::Log => {
                Interval::ln_of(&Rational::from(&self.key[j] / &self.top), prec).expect("w > 0")
            }
        }
    }

    /// `r_max` as a real number, enclosed.
    /// The top key among atoms of positive mass.
    pub fn top_key(&self) -> &Rational {
        &self.top
    }

    /// The largest reward among atoms of positive mass, enclosed.
    pub fn top_reward(&self, prec: u32) -> Interval {
        match self.scale {
            Scale::Linear => Interval::from_rational(&self.top, prec),
            Scale::Log => Interval::ln_of(&self.top, prec).expect("w > 0"),
        }
    }

    /// `sup_alpha KL(T(alpha) || p) = ln(1 / p(top reward class))`.
    pub fn kl_sup(&self, prec: u32) -> Interval {
        Interval::ln_of(&self.top_mass(), prec)
            .expect("the top class has positive mass")
            .neg()
    }

    /// The tilt at `alpha` (a point or a short interval of exponents), at `prec` bits.
    pub fn at(&self, alpha: &Interval, prec: u32) -> TiltPoint {
        // Extra working bits: KL = alpha E[g] - ln Z cancels for small alpha.
        let work = prec + 32;
        let alpha = alpha.with_prec(work);
        let zero = Interval::from_integer(&Integer::new(), work);
        let gaps: Vec<Interval> = (0..self.len()).map(|j| self.gap(j, work)).collect();
        let weighted: Vec<Interval> = self
            .mass
            .iter()
            .zip(&gaps)
            .map(|(m, g)| Interval::from_rational(m, work).mul(&alpha.mul(g).exp()))
            .collect();
        let z = weighted.iter().fold(zero.clone(), |acc, w| acc.add(w));
        let phi: Vec<Interval> = weighted
            .iter()
            .map(|w| w.div(&z).expect("Z >= p(top) > 0"))
            .collect();
        let mean_gap = phi
            .iter()
            .zip(&gaps)
            .fold(zero.clone(), |acc, (f, g)| acc.add(&f.mul(g)));
        let log_z = z.ln().expect("Z > 0");
        // KL = sum phi_j (alpha g_j - ln Z): no cancellation of two large terms at big alpha.
        let kl = phi.iter().zip(&gaps).fold(zero.clone(), |acc, (f, g)| {
            acc.add(&f.mul(&alpha.mul(g).sub(&log_z)))
        });
        let variance = phi.iter().zip(&gaps).fold(zero, |acc, (f, g)| {
            acc.add(&f.mul(&g.sub(&mean_gap).square()))
        });
        TiltPoint {
            phi: phi.iter().map(|f| f.with_prec(prec)).collect(),
            log_z: log_z.with_prec(prec),
            mean_gap: mean_gap.with_prec(prec),
            kl: kl.with_prec(prec),
            slope: alpha.mul(&variance).with_prec(prec),
        }
    }
}

/// A certified bracket `lo <= alpha(Delta) <= hi` (rationals) with the KL at both ends.
#[derive(Debug, Clone)]
pub struct AlphaBracket {
    /// The lower end, certified below alpha(Delta).
    pub lo: Rational,
    /// The upper end, certified above.
    pub hi: Rational,
    /// `KL(T(lo) || p)`, certified below the budget (exactly 0 when `lo = 0`).
    pub kl_lo: Interval,
    /// `KL(T(hi) || p)`, certified above the budget.
    pub kl_hi: Interval,
    /// The highest precision any end needed.
    pub prec: u32,
}

impl AlphaBracket {
    /// The bracket as an interval of exponents.
    pub fn interval(&self, prec: u32) -> Interval {
        Interval::between(&self.lo, &self.hi, prec)
    }
}

/// `alpha(Delta)`, or why there is none.
#[derive(Debug, Clone)]
pub enum AlphaSolution {
    /// `Delta = 0`: `alpha = 0` and `phi_Delta = p` (the only pmf within KL 0 of `p`).
    Zero,
    /// A certified bracket.
    Bracket(AlphaBracket),
    /// `Delta >= ln(1/p(top))`: no finite alpha reaches the budget; the optimum is `p`
    /// restricted to the top reward class.
    NoFiniteAlpha {
        /// The reference mass of the top reward class.
        top_mass: Rational,
        /// `ln(1/p(top))`, the supremum of reachable KL, enclosed.
        sup: Interval,
        /// The precision that decided.
        prec: u32,
    },
    /// Enclosures could not decide feasibility or an end of the bracket before the cap.
    Undecided {
        /// What could not be decided.
        reason: String,
        /// The cap reached.
        prec: u32,
    },
}

impl AlphaSolution {
    /// The exponent as an interval (`[0, 0]` for a zero budget).
    pub fn alpha(&self, prec: u32) -> Option<Interval> {
        match self {
            AlphaSolution::Zero => Some(Interval::from_integer(&Integer::new(), prec)),
            AlphaSolution::Bracket(b) => Some(b.interval(prec)),
            _ => None,
        }
    }
}

/// A KL budget: an exact rational, or a real number known through enclosures (such as
/// `KL(pi_N || p)`, the budget of 003's concluding experiments).
#[derive(Clone, Copy)]
pub enum Budget<'a> {
    /// A budget known exactly.
    Exact(&'a Rational),
    /// A budget known by its enclosure at any precision.
    Enclosed(&'a (dyn Fn(u32) -> Interval + Sync)),
}

impl Budget<'_> {
    /// The budget enclosed at `prec` bits.
    pub fn at(&self, prec: u32) -> Interval {
        match self {
            Budget::Exact(value) => Interval::from_rational(value, prec),
            Budget::Enclosed(f) => f(prec),
        }
    }

    /// Exactly zero (only an exact budget can be known to be).
    fn is_zero(&self) -> bool {
        matches!(self, Budget::Exact(value) if value.cmp0().is_eq())
    }
}

impl std::fmt::Display for Budget<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Budget::Exact(value) => write!(f, "{value}"),
            Budget::Enclosed(g) => write!(f, "{}", g(64)),
        }
    }
}

/// Whether `budget < ln(1/p(top))`, decided by enclosures.
pub fn budget_below_sup(
    atoms: &RewardAtoms,
    budget: &Rational,
    policy: PrecisionPolicy,
) -> (Decision, Interval, u32) {
    budget_below_sup_of(atoms, Budget::Exact(budget), policy)
}

fn budget_below_sup_of(
    atoms: &RewardAtoms,
    budget: Budget,
    policy: PrecisionPolicy,
) -> (Decision, Interval, u32) {
    let out = decide(policy, |prec| (budget.at(prec), atoms.kl_sup(prec)));
    (out.decision, out.right, out.prec)
}

/// Brackets `alpha(budget)` for the tilt of `atoms` to within a relative width of
/// `2^-goal_bits` (or until the enclosures stop separating at the cap).
pub fn solve_alpha(
    atoms: &RewardAtoms,
    budget: &Rational,
    policy: PrecisionPolicy,
    goal_bits: u32,
) -> AlphaSolution {
    solve_alpha_for(atoms, Budget::Exact(budget), policy, goal_bits)
}

/// [`solve_alpha`] for a budget that may be known only through enclosures. Such a budget is
/// never taken to be 0: a caller who knows it is exactly 0 should say so.
pub fn solve_alpha_for(
    atoms: &RewardAtoms,
    budget: Budget,
    policy: PrecisionPolicy,
    goal_bits: u32,
) -> AlphaSolution {
    if budget.is_zero() {
        return AlphaSolution::Zero;
    }
    let (feasible, sup, prec) = budget_below_sup_of(atoms, budget, policy);
    match feasible {
        Decision::Less => {}
        Decision::Greater | Decision::Equal => {
            return AlphaSolution::NoFiniteAlpha {
                top_mass: atoms.top_mass(),
                sup,
                prec,
            }
        }
        Decision::Undecided => {
            return AlphaSolution::Undecided {
                reason: format!("Delta = {budget} against ln(1/p(top)) = {sup}"),
                prec,
            }
        }
    }
    // KL(T(0) || p) = 0 < Delta: the bracket starts at alpha = 0.
    let zero = Interval::from_integer(&Integer::new(), policy.start);
    match bracket_increasing(
        |alpha, prec| atoms.at(&Interval::from_rational(alpha, prec), prec).kl,
        |prec| budget.at(prec),
        (Rational::new(), zero),
        policy,
        goal_bits,
    ) {
        Ok(b) => AlphaSolution::Bracket(AlphaBracket {
            lo: b.lo,
            hi: b.hi,
            kl_lo: b.f_lo,
            kl_hi: b.f_hi,
            prec: b.prec,
        }),
        Err((reason, prec)) => AlphaSolution::Undecided {
            reason: format!("KL(T(alpha) || p) against Delta = {budget}: {reason}"),
            prec,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    fn letters(p: &[(i32, i32)], key: &[(i32, i32)], scale: Scale) -> RewardAtoms {
        RewardAtoms::new(
            p.iter().map(|&x| Rational::from(x)).collect(),
            key.iter().map(|&x| Rational::from(x)).collect(),
            scale,
        )
    }

    #[test]
    fn two_letter_closed_form() {
        // p = (1/2, 1/2), r = (0, 1): T(alpha) = (1, e^alpha)/(1 + e^alpha), so with
        // t = T(alpha)(1), KL = ln 2 - h(t) and alpha = ln(t / (1 - t)). For t = 3/4:
        // alpha = ln 3 and KL = ln 2 + (3/4) ln(3/4) + (1/4) ln(1/4) = (3/4) ln 3 - ln 2.
        let atoms = letters(&[(1, 2), (1, 2)], &[(0, 1), (1, 1)], Scale::Linear);
        let prec = 200;
        let kl_at_ln3 = {
            let ln3 = Interval::ln_of(&Rational::from(3), prec).unwrap();
            atoms.at(&ln3, prec).kl
        };
        let three_quarters_ln3 = Interval::ln_of(&Rational::from(3), prec + 20)
            .unwrap()
            .mul(&Interval::from_rational(&Rational::from((3, 4)), prec + 20))
            .sub(&Interval::ln_of(&Rational::from(2), prec + 20).unwrap());
        assert!(kl_at_ln3.width() < 1e-50, "{kl_at_ln3}");
        // Both enclose the same number.
        assert!(kl_at_ln3.certified_cmp(&three_quarters_ln3).is_none());
        // Solving for the budget at a rational close to it brackets alpha near ln 3.
        let budget = Rational::from((1342, 10000)); // (3/4) ln 3 - ln 2 = 0.13081...
        let AlphaSolution::Bracket(b) =
            solve_alpha(&atoms, &budget, PrecisionPolicy::default(), 50)
        else {
            panic!("feasible budget");
        };
        assert!(b.lo < b.hi);
        assert!(Rational::from(&b.hi - &b.lo) < Rational::from((1, 1u64 << 40)));
        // KL is increasing, so alpha(0.1342) > ln 3 = 1.0986...
        assert!(b.lo > Rational::from((10986, 10000)));
        assert!(
            b.kl_lo.certified_cmp(&Interval::from_rational(&budget, 64)) == Some(Ordering::Less)
        );
        assert!(
            b.kl_hi.certified_cmp(&Interval::from_rational(&budget, 64)) == Some(Ordering::Greater)
        );
    }

    #[test]
    fn budget_at_or_beyond_the_supremum_has_no_alpha() {
        // The top letter has p = 1/4: sup KL = ln 4 = 1.386...
        let atoms = letters(&[(3, 4), (1, 4)], &[(1, 1), (2, 1)], Scale::Log);
        match solve_alpha(
            &atoms,
            &Rational::from((14, 10)),
            PrecisionPolicy::default(),
            40,
        ) {
            AlphaSolution::NoFiniteAlpha { top_mass, .. } => {
                assert_eq!(top_mass, Rational::from((1, 4)))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            solve_alpha(
                &atoms,
                &Rational::from((13, 10)),
                PrecisionPolicy::default(),
                40
            ),
            AlphaSolution::Bracket(_)
        ));
    }

    #[test]
    fn constant_reward_has_no_alpha_for_a_positive_budget() {
        let atoms = letters(&[(1, 3), (2, 3)], &[(5, 1), (5, 1)], Scale::Linear);
        assert!(!atoms.reward_varies());
        assert!(matches!(
            solve_alpha(
                &atoms,
                &Rational::from((1, 100)),
                PrecisionPolicy::default(),
                40
            ),
            AlphaSolution::NoFiniteAlpha { .. }
        ));
        assert!(matches!(
            solve_alpha(&atoms, &Rational::new(), PrecisionPolicy::default(), 40),
            AlphaSolution::Zero
        ));
    }

    #[test]
    fn tied_maxima_share_the_top_mass() {
        // q = (2/5, 2/5, 1/5): the top class is letters 0 and 1, p(top) = 1/2 + 1/4.
        let atoms = letters(
            &[(1, 2), (1, 4), (1, 4)],
            &[(2, 5), (2, 5), (1, 5)],
            Scale::Log,
        );
        assert_eq!(atoms.top_mass(), Rational::from((3, 4)));
    }
}
