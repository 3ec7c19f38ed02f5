//! Float against exact: runs the float pipelines of [`crate::float`] on a case and judges them
//! against the exact law and certified enclosures.
//!
//! Every error is an exact difference: a finite float is a dyadic rational, so against a
//! rational exact value (`pi`, the win rate, an additive reward) the error is a rational, and
//! against a value with logarithms (KL, `ln w` rewards, tilts) it is an enclosure of
//! `|float - exact|` whose precision is raised until its relative width is below 2^-20 (or
//! the cap is reached). Floats are never subtracted from floats here.
//!
//! Qualitative failures are named: lost ties (tied exactly, not in floats), invented ties
//! (tied in floats, not exactly), non-finite values (0, infinities or NaN where the exact value
//! is a positive finite number, or infinities/NaN where it is finite), and wrong verdicts (a
//! claim that the float comparisons decide differently from the certified verdict).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub mod statements;

use rug::{Float, Rational};

use crate::claims::support::{kl, kl_formula, top_reward_mass};
use crate::claims::{self, ClaimResult, Context, Evidence, Verdict};
use crate::enclosure::{Interval, PrecisionPolicy};
use crate::error::{InputError, Result};
use crate::float::pipeline::TiltInputs;
use crate::float::{self, Arith, FloatOut, FloatRun, FloatValue};
use crate::law::exact::Ranked;
use crate::law::functionals::win_rate;
use crate::law::{ExactLaw, Outcome, Route};
use crate::model::{Case, Reward};
use crate::tilt::TiltParams;

/// Most sequences `compare` enumerates (each arithmetic walks all of them).
pub const MAX_COMPARE_SEQUENCES: u64 = 1 << 16;

/// Relative width below which an error enclosure is considered known.
const ERROR_RELATIVE_WIDTH_BITS: u32 = 20;

/// An exact value to compare a float with: a rational, or a real known by enclosures.
enum ExactValue<'a> {
    Rational(Rational),
    Enclosed(Box<dyn Fn(u32) -> Interval + 'a>),
}

impl ExactValue<'_> {
    fn enclose(&self, prec: u32) -> Interval {
        match self {
            ExactValue::Rational(r) => Interval::from_rational(r, prec),
            ExactValue::Enclosed(f) => f(prec),
        }
    }

    fn is_positive(&self) -> bool {
        match self {
            ExactValue::Rational(r) => r.cmp0().is_gt(),
            ExactValue::Enclosed(f) => {
                let lo = f(128).lo().clone();
                lo.is_sign_positive() && !lo.is_zero()
            }
        }
    }

    /// The exact value for a report: `a/b`, or an enclosure with 20 digits.
    fn describe(&self) -> String {
        match self {
            ExactValue::Rational(r) => r.to_string(),
            ExactValue::Enclosed(f) => f(128).display(20),
        }
    }
}

/// A size of error: exact, or enclosed.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    /// Known exactly.
    Exact(Rational),
    /// Known by a rigorous enclosure.
    Enclosed(Interval),
}

impl Amount {
    /// An upper bound, rounded up (for ranking errors; exact comparison of MPFR floats).
    pub fn upper(&self) -> Float {
        match self {
            Amount::Exact(r) => Interval::from_rational(r, 64).hi().clone(),
            Amount::Enclosed(i) => i.hi().clone(),
        }
    }

    /// An enclosure at 64 bits.
    pub fn enclosure(&self) -> Interval {
        match self {
            Amount::Exact(r) => Interval::from_rational(r, 64),
            Amount::Enclosed(i) => i.clone(),
        }
    }

    /// Whether the error is certainly zero.
    pub fn is_zero(&self) -> bool {
        match self {
            Amount::Exact(r) => r.cmp0().is_eq(),
            Amount::Enclosed(i) => i.hi().is_zero(),
        }
    }
}

/// The error of one entry.
#[derive(Debug, Clone)]
pub struct EntryError {
    /// The entry (an outcome, a letter, a quantity's name).
    pub entry: String,
    /// `|float - exact|`.
    pub abs: Amount,
    /// `None` when the exact value is 0 (or its enclosure contains 0).
    pub rel: Option<Amount>,
}

/// Errors of one quantity over its entries.
#[derive(Debug, Clone)]
pub struct QuantityErrors {
    /// The quantity's name (`pi`, `kl`, `winrate`, ...).
    pub name: &'static str,
    /// How many entries it has.
    pub entries: usize,
    /// Entries with a finite float value (the others are in `nonfinite`).
    pub finite_entries: usize,
    /// The entry with the largest absolute error.
    pub max_abs: Option<EntryError>,
    /// The entry with the largest relative error.
    pub max_rel: Option<EntryError>,
}

/// Two outcomes whose tie the float run got wrong.
#[derive(Debug, Clone)]
pub struct TieFailure {
    /// The two outcomes.
    pub outcomes: [Vec<u32>; 2],
    /// Exact rewards (`ln(10) in [..]` or a rational); equal for a lost tie.
    pub exact_rewards: [String; 2],
    /// Float rewards as printed; equal for an invented tie.
    pub float_rewards: [String; 2],
    /// Outcomes in the exact class (lost) or float class (invented).
    pub members: usize,
    /// Float classes the exact class splits into (lost), exact classes merged (invented).
    pub parts: usize,
}

/// A float value that is 0, infinite or NaN where the exact value is not.
#[derive(Debug, Clone)]
pub struct Nonfinite {
    /// The quantity.
    pub quantity: &'static str,
    /// The entry.
    pub entry: String,
    /// The float value as printed.
    pub float: String,
    /// The exact value (or its enclosure).
    pub exact: String,
}

/// A claim as the float run decides it, beside the certified verdict.
#[derive(Debug, Clone)]
pub struct VerdictComparison {
    /// The claim's id.
    pub claim: &'static str,
    /// The verdict certified by the exact side.
    pub certified: Verdict,
    /// The certified verdict's evidence (exact values or enclosures, with the precision).
    pub certified_evidence: Evidence,
    /// Whether the float run finds the claim holding.
    pub float_holds: bool,
    /// The float values compared, and how.
    pub float_detail: String,
}

impl VerdictComparison {
    /// The float run decides a decided claim the other way.
    pub fn is_wrong(&self) -> bool {
        matches!(
            (&self.certified, self.float_holds),
            (Verdict::Holds, false) | (Verdict::Fails, true)
        )
    }
}

/// Everything `compare` reports about one float arithmetic.
#[derive(Debug, Clone)]
pub struct ArithComparison {
    /// The arithmetic (`f64`, `mpfr:P`).
    pub arith: Arith,
    /// Errors per quantity.
    pub quantities: Vec<QuantityErrors>,
    /// Exact ties the floats split.
    pub lost_ties: Vec<TieFailure>,
    /// Float ties that are not exact ties.
    pub invented_ties: Vec<TieFailure>,
    /// 0, infinity or NaN where the exact value is positive and finite.
    pub nonfinite: Vec<Nonfinite>,
    /// Each claim decided in floats beside its certified verdict.
    pub verdicts: Vec<VerdictComparison>,
    /// Largest `|pi_float - pi|` over the outcomes of exact classes the floats split.
    pub lost_tie_pi_change: Option<EntryError>,
    /// Largest `|pi_float - pi|` over the outcomes of float classes that merge exact ones.
    pub invented_tie_pi_change: Option<EntryError>,
}

impl ArithComparison {
    /// The claims the float run decides the other way.
    pub fn wrong_verdicts(&self) -> impl Iterator<Item = &VerdictComparison> {
        self.verdicts.iter().filter(|v| v.is_wrong())
    }

    /// Lost or invented ties, non-finite values or wrong verdicts.
    pub fn is_qualitatively_wrong(&self) -> bool {
        !self.lost_ties.is_empty()
            || !self.invented_ties.is_empty()
            || !self.nonfinite.is_empty()
            || self.wrong_verdicts().next().is_some()
    }

    /// The failure kinds present, by the names case files use.
    pub fn failure_kinds(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        if !self.lost_ties.is_empty() {
            kinds.push("lost-ties");
        }
        if !self.invented_ties.is_empty() {
            kinds.push("invented-ties");
        }
        if !self.nonfinite.is_empty() {
            kinds.push("nonfinite");
        }
        if self.wrong_verdicts().next().is_some() {
            kinds.push("wrong-verdicts");
        }
        kinds
    }

    /// The errors of the quantity named `name`.
    pub fn quantity(&self, name: &str) -> Option<&QuantityErrors> {
        self.quantities.iter().find(|q| q.name == name)
    }
}

/// The failure kinds a case file may expect (`[expected_compare]`).
pub const FAILURE_KINDS: &[&str] = &["lost-ties", "invented-ties", "nonfinite", "wrong-verdicts"];

/// The exact side of a comparison: the law by sequence, the certified verdicts, and what the
/// float runs are judged against. Computed once, compared with any number of arithmetics.
pub struct ExactSide {
    /// The case.
    pub case: Case,
    /// Its tilt parameters.
    pub tilt: TiltParams,
    tilt_inputs: Option<TiltInputs>,
    /// Every sequence, in the order the float pipeline sees them.
    pub sequences: Vec<Vec<u32>>,
    law: ExactLaw,
    /// Exact reward level of each sequence (equal levels tie exactly).
    level: Vec<usize>,
    /// Exact reward key of each sequence (the sum, `prod w`, or the score).
    key: Vec<Rational>,
    /// The catalogue verdicts certified on the case.
    pub certified: Vec<ClaimResult>,
    /// The precision ladder used.
    pub policy: PrecisionPolicy,
}

/// The claims decided in floats too: every catalogue statement the float evaluation can
/// compute (claims::restated), and the two the pipeline decides itself.
pub fn float_decided_claims() -> Vec<&'static claims::Claim> {
    let pipeline = ["bon-exchangeable", "tilt-composition"];
    claims::CATALOGUE
        .iter()
        .copied()
        .filter(|c| pipeline.contains(&c.id) || c.expression().is_some_and(float_evaluable))
        .collect()
}

/// Whether the float evaluation computes `text` (no `phi`, no `bon(n)` with another n).
fn float_evaluable(text: &str) -> bool {
    !text.contains("phi") && !text.contains("bon(")
}

/// The named float quantities compare measures, as expressions of the claim language.
const FLOAT_QUANTITIES: &[(&str, &str, &str)] = &[
    ("kl", "KL(pi_N || p)", "kl(bon, p)"),
    ("kl_formula", "log N - (N-1)/N", "log(N) - (N - 1)/N"),
    ("win_rate", "W", "winrate(bon, p)"),
    ("log_inv_eps", "log(1/eps_inf)", "log(1/eps_inf)"),
    (
        "estimator",
        "E_pi d_N(p(y))",
        claims::restated::EXPECTED_ESTIMATOR,
    ),
];

/// What a float run gives through the expression trees: the quantities and the verdicts of
/// the catalogue's statements, in the run's arithmetic.
struct FloatStatements {
    quantities: Vec<FloatOut>,
    verdicts: Vec<float::pipeline::FloatVerdict>,
}

impl ExactSide {
    /// Computes the exact law by sequence and the certified verdicts of the claims the float
    /// pipeline decides.
    pub fn compute(case: &Case, tilt: &TiltParams, policy: PrecisionPolicy) -> Result<ExactSide> {
        let count = case.source.checked_sequence_count()?;
        if count > MAX_COMPARE_SEQUENCES {
            return Err(InputError::new(format!(
                "compare: K^m = {count} sequences; compare walks every sequence in every \
                 arithmetic and takes at most {MAX_COMPARE_SEQUENCES}"
            )));
        }
        let tilt_inputs = tilt_inputs(case, tilt)?;
        let ranked = Ranked::compute(case, Route::Sequence)?;
        let key = ranked.keys.clone();
        let law = ExactLaw::from_ranked(ranked, Route::Sequence, case.n)?;
        let sequences: Vec<Vec<u32>> = law
            .outcomes()
            .iter()
            .map(|o| match o {
                Outcome::Sequence(s) => s.clone(),
                Outcome::Type { .. } => unreachable!("the sequence route has sequence outcomes"),
            })
            .collect();
        let level = (0..law.len())
            .map(|o| law.reward_level()[law.class_of()[o]])
            .collect();
        let ctx = Context::new(case.clone(), policy).with_tilt(tilt.clone());
        let mut certified = Vec::new();
        for claim in float_decided_claims() {
            let applies = match claim.id {
                "bon-exchangeable" => case.m() >= 2,
                "tilt-composition" => tilt_inputs.as_ref().is_some_and(|t| t.beta.is_some()),
                _ => true,
            };
            if applies {
                certified.push(claim.evaluate(&ctx, None)?);
            }
        }
        Ok(ExactSide {
            case: case.clone(),
            tilt: tilt.clone(),
            tilt_inputs,
            sequences,
            law,
            level,
            key,
            certified,
            policy,
        })
    }

    /// Runs the float pipeline of `arith` and judges it.
    pub fn compare(&self, arith: Arith) -> Result<ArithComparison> {
        let run = float::run(
            arith,
            &self.case,
            &self.sequences,
            self.tilt_inputs.as_ref(),
        )?;
        let statements = match arith {
            Arith::F64 => self.statements(&float::arith::F64Ops, &run),
            Arith::Mpfr(prec) => self.statements(&float::arith::MpfrOps { prec }, &run),
        };
        Ok(self.judge(&run, &statements))
    }

    /// The catalogue's statements and the named quantities, evaluated in `ops` over the run.
    fn statements<O: float::arith::FloatOps>(&self, ops: &O, run: &FloatRun) -> FloatStatements {
        let values = |outs: &[FloatOut]| -> Vec<O::V> {
            outs.iter().map(|o| statements::value_of(ops, o)).collect()
        };
        let (p, pi, reward) = (values(&run.p), values(&run.pi), values(&run.reward));
        let q = self.tilt.q_for(&self.case.reward).map(|q| {
            let total: Rational = q.iter().sum();
            q.iter()
                .map(|x| ops.of(&Rational::from(x / &total)))
                .collect()
        });
        let input = statements::FloatInputs {
            n: self.case.n,
            m: self.case.m(),
            k: self.case.k(),
            p: &p,
            pi: &pi,
            reward: &reward,
            q,
            sequences: &self.sequences,
        };
        let mut eval = statements::Eval::new(ops, &input);
        let quantities = FLOAT_QUANTITIES
            .iter()
            .map(|(_, _, text)| {
                let root = claims::expr::check_number(text).expect("a valid quantity");
                let v = eval
                    .number(&root)
                    .unwrap_or_else(|| ops.div(&ops.zero(), &ops.zero()));
                ops.out(&v)
            })
            .collect();
        let mut verdicts = run.verdicts.clone();
        for c in &self.certified {
            let Some(statement) = claims::find(c.claim)
                .ok()
                .and_then(|c| c.parsed().ok().flatten())
            else {
                continue;
            };
            if let Some((holds, detail)) = eval.decide(statement.root()) {
                verdicts.push(float::pipeline::FloatVerdict {
                    claim: c.claim,
                    holds,
                    detail,
                });
            }
        }
        FloatStatements {
            quantities,
            verdicts,
        }
    }

    fn label(&self, o: usize) -> String {
        Outcome::Sequence(self.sequences[o].clone()).label()
    }

    /// The exact reward of outcome `o`, for reports.
    fn reward_value(&self, o: usize) -> ExactValue<'static> {
        match &self.case.reward {
            Reward::Log(_) => {
                let key = self.key[o].clone();
                ExactValue::Enclosed(Box::new(move |prec| {
                    Interval::ln_of(&key, prec).expect("log weights are positive")
                }))
            }
            _ => ExactValue::Rational(self.key[o].clone()),
        }
    }

    fn describe_reward(&self, o: usize) -> String {
        match &self.case.reward {
            Reward::Log(_) => format!(
                "ln({}) in {}",
                self.key[o],
                self.reward_value(o).enclose(128).display(20)
            ),
            _ => self.key[o].to_string(),
        }
    }

    fn judge(&self, run: &FloatRun, statements: &FloatStatements) -> ArithComparison {
        let prec = run.arith.precision();
        let cap = self.policy.cap;
        let mut nonfinite = Vec::new();
        let mut quantities = Vec::new();
        let mut measure = |name: &'static str,
                           positive: bool,
                           entries: Vec<(String, &FloatOut, ExactValue)>|
         -> Vec<Option<EntryError>> {
            let total = entries.len();
            let mut errors = Vec::with_capacity(total);
            for (entry, out, exact) in &entries {
                let broken = match &out.value {
                    FloatValue::Finite(_) => out.value.is_zero() && positive && exact.is_positive(),
                    _ => true,
                };
                if broken {
                    nonfinite.push(Nonfinite {
                        quantity: name,
                        entry: entry.clone(),
                        float: out.text.clone(),
                        exact: exact.describe(),
                    });
                }
                errors.push(
                    out.value
                        .finite()
                        .map(|v| entry_error(entry.clone(), v, exact, prec, cap)),
                );
            }
            let finite: Vec<&EntryError> = errors.iter().flatten().collect();
            let largest = |pick: fn(&EntryError) -> Option<&Amount>| {
                finite
                    .iter()
                    .filter(|e| pick(e).is_some())
                    .max_by(|a, b| {
                        pick(a)
                            .map(Amount::upper)
                            .partial_cmp(&pick(b).map(Amount::upper))
                            .expect("error bounds are not NaN")
                    })
                    .map(|e| (*e).clone())
            };
            quantities.push(QuantityErrors {
                name,
                entries: total,
                finite_entries: finite.len(),
                max_abs: largest(|e| Some(&e.abs)),
                max_rel: largest(|e| e.rel.as_ref()),
            });
            errors
        };

        let count = self.sequences.len();
        measure(
            "reward",
            false,
            (0..count)
                .map(|o| (self.label(o), &run.reward[o], self.reward_value(o)))
                .collect(),
        );
        let pi_errors = measure(
            "pi",
            true,
            (0..count)
                .map(|o| {
                    (
                        self.label(o),
                        &run.pi[o],
                        ExactValue::Rational(self.law.pi(o)),
                    )
                })
                .collect(),
        );
        let law = &self.law;
        let n = self.case.n;
        let eps_inf = top_reward_mass(law);
        // One exact context for the quantities decided by the claim language: its law and
        // outcomes are computed once, whatever precisions the error enclosures ask for.
        let ctx = Context::new(self.case.clone(), self.policy);
        for (i, (name, label, text)) in FLOAT_QUANTITIES.iter().enumerate() {
            let exact = match *name {
                "kl" => ExactValue::Enclosed(Box::new(|p| kl(law, p))),
                "kl_formula" => ExactValue::Enclosed(Box::new(move |p| kl_formula(n, p))),
                "win_rate" => ExactValue::Rational(win_rate(law).ties_half),
                "log_inv_eps" => {
                    let inverse = Rational::from(eps_inf.recip_ref());
                    ExactValue::Enclosed(Box::new(move |p| {
                        Interval::ln_of(&inverse, p).expect("eps > 0")
                    }))
                }
                _ => {
                    // The same expression, decided exactly.
                    let (ctx, text) = (&ctx, *text);
                    ExactValue::Enclosed(Box::new(move |p| {
                        claims::expr::number(text, ctx, p)
                            .map(|v| v.enc(p))
                            .expect("the exact side evaluates what the float side does")
                    }))
                }
            };
            measure(
                name,
                true,
                vec![(label.to_string(), &statements.quantities[i], exact)],
            );
        }
        if let (Some(t), Some(tilt_run)) = (&self.tilt_inputs, &run.tilt) {
            let p = self.case.source.pmf.probs();
            let mut tilts: Vec<(&'static str, &Vec<FloatOut>, Vec<Rational>)> =
                vec![("tilt", &tilt_run.alpha, vec![t.alpha.clone()])];
            if let (Some(beta), Some(composed), Some(summed)) =
                (&t.beta, &tilt_run.composed, &tilt_run.summed)
            {
                tilts.push((
                    "tilt_composed",
                    composed,
                    vec![t.alpha.clone(), beta.clone()],
                ));
                tilts.push(("tilt_summed", summed, vec![Rational::from(&t.alpha + beta)]));
            }
            for (name, outs, exponents) in tilts {
                // One enclosure of the whole distribution per precision, shared by its letters
                // (each letter's error asks for the same precisions).
                let by_prec: Rc<RefCell<HashMap<u32, Vec<Interval>>>> = Rc::default();
                let entries = (0..outs.len())
                    .map(|y| {
                        let (q, exponents, by_prec) = (&t.q, exponents.clone(), by_prec.clone());
                        let value = ExactValue::Enclosed(Box::new(move |prec| {
                            by_prec.borrow_mut().entry(prec).or_insert_with(|| {
                                let start = p.iter().map(|x| Interval::from_rational(x, prec));
                                exponents.iter().fold(start.collect(), |dist, a| {
                                    tilt_enclosure(&dist, q, a, prec)
                                })
                            })[y]
                                .clone()
                        }));
                        (format!("letter {y}"), &outs[y], value)
                    })
                    .collect();
                measure(name, true, entries);
            }
        }

        let (lost_ties, split_members) = self.lost_ties(run);
        let (invented_ties, merged_members) = self.invented_ties(run);
        let pi_change = |members: &[usize]| {
            members
                .iter()
                .filter_map(|&o| pi_errors[o].clone())
                .max_by(|a, b| a.abs.upper().partial_cmp(&b.abs.upper()).expect("not NaN"))
        };
        let lost_tie_pi_change = pi_change(&split_members);
        let invented_tie_pi_change = pi_change(&merged_members);
        let verdicts = self
            .certified
            .iter()
            .filter_map(|c| {
                let f = statements.verdicts.iter().find(|v| v.claim == c.claim)?;
                Some(VerdictComparison {
                    claim: c.claim,
                    certified: c.verdict.clone(),
                    certified_evidence: c.evidence.clone(),
                    float_holds: f.holds,
                    float_detail: f.detail.clone(),
                })
            })
            .collect();
        ArithComparison {
            arith: run.arith,
            quantities,
            lost_ties,
            invented_ties,
            nonfinite,
            verdicts,
            lost_tie_pi_change,
            invented_tie_pi_change,
        }
    }

    /// Exact reward classes that the float rewards split; also every outcome of such classes.
    fn lost_ties(&self, run: &FloatRun) -> (Vec<TieFailure>, Vec<usize>) {
        let mut by_level: Vec<Vec<usize>> = Vec::new();
        for (o, &l) in self.level.iter().enumerate() {
            if by_level.len() <= l {
                by_level.resize(l + 1, Vec::new());
            }
            by_level[l].push(o);
        }
        let mut failures = Vec::new();
        let mut split_members = Vec::new();
        for members in by_level.iter().filter(|m| m.len() > 1) {
            let mut values: Vec<&FloatValue> =
                members.iter().map(|&o| &run.reward[o].value).collect();
            values.sort_by(|a, b| a.total_cmp(b));
            values.dedup_by(|a, b| a.float_eq(b));
            if values.len() < 2 {
                continue;
            }
            let a = members[0];
            let b = *members
                .iter()
                .find(|&&o| !run.reward[o].value.float_eq(&run.reward[a].value))
                .expect("two float values");
            failures.push(TieFailure {
                outcomes: [self.sequences[a].clone(), self.sequences[b].clone()],
                exact_rewards: [self.describe_reward(a), self.describe_reward(b)],
                float_rewards: [run.reward[a].text.clone(), run.reward[b].text.clone()],
                members: members.len(),
                parts: values.len(),
            });
            split_members.extend(members);
        }
        (failures, split_members)
    }

    /// Float reward classes that merge different exact rewards; also every outcome of them.
    fn invented_ties(&self, run: &FloatRun) -> (Vec<TieFailure>, Vec<usize>) {
        let mut order: Vec<usize> = (0..self.sequences.len()).collect();
        order.sort_by(|&a, &b| run.reward[a].value.total_cmp(&run.reward[b].value));
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for o in order {
            match groups.last_mut() {
                Some(g) if run.reward[g[0]].value.float_eq(&run.reward[o].value) => g.push(o),
                _ => groups.push(vec![o]),
            }
        }
        let mut failures = Vec::new();
        let mut merged_members = Vec::new();
        for mut members in groups.into_iter().filter(|g| g.len() > 1) {
            members.sort_unstable();
            let mut levels: HashMap<usize, usize> = HashMap::new();
            for &o in &members {
                levels.entry(self.level[o]).or_insert(o);
            }
            if levels.len() < 2 {
                continue;
            }
            let a = members[0];
            let b = *members
                .iter()
                .find(|&&o| self.level[o] != self.level[a])
                .expect("two levels");
            failures.push(TieFailure {
                outcomes: [self.sequences[a].clone(), self.sequences[b].clone()],
                exact_rewards: [self.describe_reward(a), self.describe_reward(b)],
                float_rewards: [run.reward[a].text.clone(), run.reward[b].text.clone()],
                members: members.len(),
                parts: levels.len(),
            });
            merged_members.extend(members);
        }
        (failures, merged_members)
    }
}

/// `T(q, dist, a)`: `dist_y q_y^a / sum_z dist_z q_z^a`, enclosed. Every power is taken
/// relative to the letter whose `q^a` is largest among those `dist` weighs (`q_y^a / q_top^a =
/// exp(a (ln q_y - ln q_top)) <= 1`), so a huge `|a|` underflows the others to tiny positive
/// numbers instead of leaving a normaliser that encloses 0.
fn tilt_enclosure(dist: &[Interval], q: &[Rational], a: &Rational, prec: u32) -> Vec<Interval> {
    let weighed: Vec<usize> = (0..q.len()).filter(|&y| !dist[y].hi().is_zero()).collect();
    let pool = if weighed.is_empty() {
        (0..q.len()).collect()
    } else {
        weighed
    };
    // The largest q^a: the largest q for a >= 0, the smallest for a < 0 (exact comparisons).
    let top = pool
        .iter()
        .copied()
        .max_by(|&y, &z| {
            let order = q[y].cmp(&q[z]);
            if a.cmp0().is_lt() {
                order.reverse()
            } else {
                order
            }
        })
        .expect("q is not empty");
    let a_enclosed = Interval::from_rational(a, prec);
    let weights: Vec<Interval> = dist
        .iter()
        .zip(q)
        .map(|(d, qy)| {
            let ratio = Rational::from(qy / &q[top]);
            d.mul(
                &a_enclosed
                    .mul(&Interval::ln_of(&ratio, prec).expect("q > 0"))
                    .exp(),
            )
        })
        .collect();
    let z = weights
        .iter()
        .skip(1)
        .fold(weights[0].clone(), |acc, w| acc.add(w));
    weights
        .iter()
        .map(|w| {
            w.div(&z).unwrap_or_else(|| {
                // Only when dist weighs nothing with certainty: all we know is [0, 1].
                Interval::between(&Rational::new(), &Rational::from(1), prec)
            })
        })
        .collect()
}

/// `|v - x|` and `|v - x| / |x|`: exact for a rational `x`, else enclosed at a precision raised
/// until the error is known to 2^-20 relative (or the cap).
fn entry_error(entry: String, v: &Rational, x: &ExactValue, prec: u32, cap: u32) -> EntryError {
    match x {
        ExactValue::Rational(x) => {
            let abs = Rational::from(v - x).abs();
            let rel = (x.cmp0().is_ne()).then(|| Amount::Exact(Rational::from(&abs / x).abs()));
            EntryError {
                entry,
                abs: Amount::Exact(abs),
                rel,
            }
        }
        ExactValue::Enclosed(f) => {
            let mut work = (2 * prec + 64).max(128).min(cap.max(128));
            loop {
                let exact = f(work);
                let abs = Interval::from_rational(v, work).sub(&exact).abs();
                let tolerance = Float::with_val(work, abs.lo() >> ERROR_RELATIVE_WIDTH_BITS);
                let known = !abs.lo().is_zero() && abs.width() <= tolerance;
                if known || work >= cap {
                    let magnitude = exact.abs();
                    let rel = (!magnitude.contains_zero())
                        .then(|| abs.div(&magnitude).expect("nonzero"))
                        .map(Amount::Enclosed);
                    return EntryError {
                        entry,
                        abs: Amount::Enclosed(abs),
                        rel,
                    };
                }
                work = (work * 2).min(cap);
            }
        }
    }
}

/// The tilt the float pipeline computes: needs `alpha`, and `q` (given, or the weights of a
/// `log` reward).
fn tilt_inputs(case: &Case, tilt: &TiltParams) -> Result<Option<TiltInputs>> {
    match (tilt.q_for(&case.reward), &tilt.alpha) {
        (Some(q), Some(alpha)) => {
            if q.len() != case.k() {
                return Err(InputError::new(format!(
                    "q: has {} entries but p has K = {}",
                    q.len(),
                    case.k()
                )));
            }
            Ok(Some(TiltInputs {
                q,
                alpha: alpha.clone(),
                beta: tilt.beta.clone(),
            }))
        }
        (None, Some(_)) => Err(InputError::new(
            "alpha: the tilt needs q (--q, or a log reward whose weights are q)",
        )),
        (_, None) => {
            if tilt.beta.is_some() {
                return Err(InputError::new("beta: the tilt needs --alpha as well"));
            }
            Ok(None)
        }
    }
}
