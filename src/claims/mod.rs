//! The claim catalogue: one module per claim, each citing its source, stating its hypotheses,
//! and deciding a case exactly or through rigorous enclosures.
//!
//! Every claim is a statement about all cases meeting its hypotheses, so one case can refute
//! it. A verdict always carries its evidence: exact values, or enclosures with their precision.

mod context;
pub mod expr;
pub mod restated;
mod set;
pub mod support;

pub mod asym_bounds;
pub mod bon_exchangeable;
pub mod bon_memoryless;
pub mod klrl_bon_asymptotic;
pub mod klrl_closeness;
pub mod klrl_optimal_tilt;
pub mod renyi_cumulant;
pub mod tilt_composition;
pub mod tradeoff_continuous_optimum;

use rug::Rational;

pub use context::{Context, LadderStep, LadderWatch};
pub use set::ClaimSet;

use std::borrow::Cow;
use std::sync::Arc;

use crate::enclosure::Interval;
use crate::error::{InputError, Result};

/// The outcome of deciding one claim on one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The claim holds on the case (proved exactly or by separated enclosures).
    Holds,
    /// The claim fails on the case: a counterexample, with its evidence.
    Fails,
    /// Enclosures still overlapped at the precision cap.
    Undecided,
    /// The statement is undefined on the case, exactly (a log of an exact 0): in a search or
    /// grid that case is counted and listed with the undecided ones; `check` exits 2.
    Undefined {
        /// What is undefined, and where.
        reason: String,
    },
    /// Measured evidence (a trend along a sequence of cases), not a proof either way: the
    /// verdict of asymptotic statements, which no finite case can prove or refute.
    Measured,
    /// The case does not meet a hypothesis of the claim.
    NotApplicable {
        /// The hypothesis the case does not meet.
        hypothesis: &'static str,
        /// Why it does not.
        reason: String,
    },
}

/// The verdicts an `[expected_verdicts]` entry may name (`Verdict::name` of each variant).
pub const VERDICT_NAMES: &[&str] = &[
    "holds",
    "fails",
    "undecided",
    "undefined",
    "not-applicable",
    "measured",
];

impl Verdict {
    /// The verdict's name as reports and case files spell it.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Undecided => "undecided",
            Verdict::Undefined { .. } => "undefined",
            Verdict::Measured => "measured",
            Verdict::NotApplicable { .. } => "not-applicable",
        }
    }
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An exact rational.
    Exact(Rational),
    /// A rigorous enclosure with its precision.
    Enclosure(Interval),
    /// A sequence of letters.
    Sequence(Vec<u32>),
    /// A text (a reason, a name).
    Text(String),
}

/// Named values that let a reader re-check a verdict, plus the precision that decided it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// Named values, in the order they were recorded.
    pub items: Vec<(String, Value)>,
    /// Bits of the enclosures, when enclosures decided.
    pub prec: Option<u32>,
}

impl Evidence {
    /// Adds an exact value.
    pub fn exact(mut self, name: impl Into<String>, value: Rational) -> Evidence {
        self.items.push((name.into(), Value::Exact(value)));
        self
    }
    /// Adds an enclosure.
    pub fn enclosure(mut self, name: impl Into<String>, value: Interval) -> Evidence {
        self.items.push((name.into(), Value::Enclosure(value)));
        self
    }
    /// Adds a sequence.
    pub fn sequence(mut self, name: impl Into<String>, value: Vec<u32>) -> Evidence {
        self.items.push((name.into(), Value::Sequence(value)));
        self
    }
    /// Adds a text.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Evidence {
        self.items.push((name.into(), Value::Text(value.into())));
        self
    }
    /// Records the precision the evidence was decided at.
    pub fn at_prec(mut self, prec: u32) -> Evidence {
        self.prec = Some(prec);
        self
    }
}

/// How a claim is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Exact rational arithmetic only.
    Exact,
    /// Rigorous enclosures (MPFR, directed rounding, precision raised until decided); exact
    /// where the quantities are exact (e.g. N = 1).
    Enclosure,
    /// A rational inequality decided by rigorous enclosures first (fast on laws with huge
    /// numbers), and by exact rational arithmetic whenever the enclosures cannot separate.
    ExactByEnclosure,
    /// Enclosures of the quantities along a sequence of cases: evidence of a trend, never a
    /// proof (the verdict is always `measured`).
    Measured,
}

impl Method {
    /// How the claim is decided, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Method::Exact => "exact rational arithmetic",
            Method::Enclosure => "rigorous enclosures (exact where the values are exact)",
            Method::Measured => {
                "measured: rigorous enclosures along a sequence of cases, reported as a trend (never holds or fails)"
            }
            Method::ExactByEnclosure => {
                "a rational inequality: rigorous enclosures first, exact rational arithmetic when they do not separate"
            }
        }
    }
}

/// A hypothesis of a claim, checked on the case before deciding.
#[derive(Clone)]
pub struct Hypothesis {
    /// The hypothesis' name (`uniform-tie-break`).
    pub name: &'static str,
    /// What it requires, in words.
    pub statement: &'static str,
    /// `Err(reason)` when the case does not meet it.
    pub check: fn(&Context) -> std::result::Result<(), String>,
}

/// A claim: of the catalogue (declared as a `const`, borrowed text) or of the user (owned
/// text, in a [`ClaimSet`]).
#[derive(Clone)]
pub struct Claim {
    /// The claim's id (`bon-kl-le-log-n`).
    pub id: Cow<'static, str>,
    /// Its source: paper, section, equation.
    pub source: Cow<'static, str>,
    /// The statement, as the source states it.
    pub statement: Cow<'static, str>,
    /// The hypotheses under which it is stated.
    pub hypotheses: Cow<'static, [Hypothesis]>,
    /// How it is decided.
    pub method: Method,
    /// Whether the verdict depends on N (the tilt identities do not: `check` then needs no
    /// `--n`).
    pub uses_n: bool,
    /// How the claim is decided on a case assumed to meet the (non-dropped) hypotheses.
    pub decide: Decider,
    /// What is known about the claim: the one place the test suite and the scripts read it
    /// from (tests/suite/properties.rs, tests/suite/search.rs, scripts/known-false.sh).
    pub status: Status,
}

/// What is known about a claim, independently of any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Proved for discrete cases: it never fails on a case that meets its hypotheses.
    Theorem,
    /// A theorem that a search refutes once this hypothesis is dropped.
    TheoremNeeding(&'static str),
    /// A theorem under this hypothesis that a bundled case (which a search rarely draws)
    /// refutes once the hypothesis is dropped: `(hypothesis, case file)`.
    TheoremRefutedWithout(&'static str, &'static str),
    /// False as stated: a search refutes it from any seed within a few thousand cases.
    KnownFalse,
    /// False as stated, on cases a search rarely draws: this bundled case file refutes it.
    RefutedBy(&'static str),
    /// No proof is claimed (second-hand, conjectured, a limit that is measured, or a user's
    /// claim): the tool reports what it finds.
    Unsettled,
}

impl Status {
    /// One line for `bestofn claims` and docs/claims.md.
    pub fn describe(self) -> String {
        match self {
            Status::Theorem => "theorem (never fails within its hypotheses)".into(),
            Status::TheoremNeeding(h) => {
                format!("theorem (never fails within its hypotheses; refuted without `{h}`)")
            }
            Status::TheoremRefutedWithout(h, case) => format!(
                "theorem under `{h}` (never fails within its hypotheses; refuted without `{h}` by `{case}`)"
            ),
            Status::KnownFalse => "known false (a search refutes it)".into(),
            Status::RefutedBy(case) => format!("known false (refuted by `{case}`)"),
            Status::Unsettled => {
                "unsettled (no proof claimed; the tool reports what it finds)".into()
            }
        }
    }

    /// The statement a search must refute, with the hypothesis to drop: known-false claims
    /// as stated, theorems that need a hypothesis without it.
    pub fn refuted_without(self) -> Option<Option<&'static str>> {
        match self {
            Status::KnownFalse => Some(None),
            Status::TheoremNeeding(h) => Some(Some(h)),
            _ => None,
        }
    }

    /// Whether the claim never fails within its hypotheses.
    pub fn is_theorem(self) -> bool {
        matches!(
            self,
            Status::Theorem | Status::TheoremNeeding(_) | Status::TheoremRefutedWithout(..)
        )
    }
}

/// A catalogue claim's hypotheses (the unsizing a `const` needs).
pub const fn borrowed(hypotheses: &'static [Hypothesis]) -> Cow<'static, [Hypothesis]> {
    Cow::Borrowed(hypotheses)
}

/// How a claim is decided.
#[derive(Clone)]
pub enum Decider {
    /// The module's own procedure (the claims that are not one scalar statement).
    Module(fn(&Context) -> Result<(Verdict, Evidence)>),
    /// A statement in the claim language (docs/claim-language.md), as the catalogue declares
    /// it; a [`ClaimSet`] holds it parsed ([`Decider::Parsed`]).
    Statement(&'static str),
    /// A catalogue statement, parsed once by the [`ClaimSet`] that holds it.
    Parsed(Arc<expr::Expression>),
    /// A user claim (`--assert`, a claims file).
    User(Arc<expr::UserClaim>),
}

impl std::fmt::Debug for Claim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claim")
            .field("id", &self.id)
            .field("statement", &self.statement)
            .finish_non_exhaustive()
    }
}

impl Claim {
    /// The claim's statement in the claim language, if it has one (a user claim's with its
    /// helpers expanded).
    pub fn expression(&self) -> Option<&str> {
        match &self.decide {
            Decider::Module(_) => None,
            Decider::Statement(text) => Some(text),
            Decider::Parsed(e) => Some(&e.text),
            Decider::User(user) => Some(&user.expression.text),
        }
    }

    /// The claim's parsed statement, if it has one (parsed here for a catalogue `const`
    /// taken outside a [`ClaimSet`]).
    pub fn parsed(&self) -> Result<Option<Arc<expr::Expression>>> {
        Ok(match &self.decide {
            Decider::Module(_) => None,
            Decider::Statement(text) => Some(Arc::new(expr::Expression::new(text)?)),
            Decider::Parsed(e) => Some(e.clone()),
            Decider::User(user) => Some(user.expression.clone()),
        })
    }

    /// The user claim behind this claim (`--assert`, a claims file), if it is one.
    pub fn user(&self) -> Option<&expr::UserClaim> {
        match &self.decide {
            Decider::User(user) => Some(user),
            _ => None,
        }
    }
}

/// A decided claim.
#[derive(Debug, Clone)]
pub struct ClaimResult {
    /// The claim decided.
    pub claim: Arc<Claim>,
    /// The verdict.
    pub verdict: Verdict,
    /// The evidence the verdict rests on.
    pub evidence: Evidence,
    /// The hypothesis dropped with `--without-hypothesis`, if any.
    pub dropped: Option<&'static str>,
}

/// The catalogue, in the order `bestofn claims` lists it.
pub const CATALOGUE: &[&Claim] = &[
    &bon_memoryless::CLAIM,
    &bon_exchangeable::CLAIM,
    &restated::BON_KL_LE_LOG_N,
    &restated::BON_KL_FORMULA_EXACT,
    &restated::BON_KL_LE_FORMULA,
    &restated::BON_KL_GAP_BOUND,
    &restated::BON_KL_LE_LOG_INV_EPS,
    &restated::BON_KL_MONOTONE_IN_N,
    &restated::BON_KL_ESTIMATOR_BOUNDS,
    &restated::BON_KL_ESTIMATOR_CONJECTURE,
    &restated::BON_WINRATE_LE,
    &restated::BON_WINRATE_GAP_BOUND,
    &tradeoff_continuous_optimum::CLAIM,
    &restated::BON_CHI2_BOUND,
    &restated::BON_RENYI_BOUND,
    &tilt_composition::CLAIM,
    &tilt_composition::MISPRINT,
    &klrl_optimal_tilt::CLAIM,
    &klrl_closeness::CLAIM,
    &klrl_bon_asymptotic::CLAIM,
    &asym_bounds::LARGE_K,
    &asym_bounds::SMALL_K,
    &renyi_cumulant::CLAIM,
];

/// The catalogue's declaration of `id` (statements unparsed: for reading what a claim is, such
/// as its hypotheses; decide claims through a [`ClaimSet`]).
pub fn declared(id: &str) -> Result<&'static Claim> {
    CATALOGUE
        .iter()
        .copied()
        .find(|c| c.id == id)
        .ok_or_else(|| unknown_claim(id, CATALOGUE.iter().map(|c| &*c.id)))
}

/// "unknown id", with the nearest of `known` when one is close.
fn unknown_claim<'k>(id: &str, known: impl Iterator<Item = &'k str>) -> InputError {
    let nearest = known
        .map(|k| (edit_distance(id, k), k))
        .min()
        .filter(|(d, _)| *d <= id.len().max(3) / 2)
        .map(|(_, near)| format!("; did you mean '{near}'?"))
        .unwrap_or_default();
    InputError::unknown(format!(
        "claim: unknown id '{id}'{nearest} (`bestofn claims` lists all {})",
        CATALOGUE.len()
    ))
}

/// The source of a claim given as `--assert` (its statement is all there is of it).
pub const ASSERT_SOURCE: &str = "user claim (--assert)";

/// The catalogue claim `id` (its statement parsed), from a fresh [`ClaimSet`]: for a single
/// lookup; a command that decides many claims holds one set.
pub fn find_in_catalogue(id: &str) -> Result<Arc<Claim>> {
    ClaimSet::catalogue().find(id)
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

impl Claim {
    /// Whether the claim is stated under the hypothesis `name`.
    pub fn has_hypothesis(&self, name: &str) -> bool {
        self.hypotheses.iter().any(|h| h.name == name)
    }

    /// [`Claim::evaluate`] with `dropped` taken away only if the claim has it (a run that
    /// drops one hypothesis across several claims leaves the others whole).
    pub fn evaluate_dropping(
        self: &Arc<Self>,
        ctx: &Context,
        dropped: Option<&str>,
    ) -> Result<ClaimResult> {
        self.evaluate(ctx, dropped.filter(|name| self.has_hypothesis(name)))
    }

    /// Checks the hypotheses (except `dropped`, which the claim must have) and decides.
    pub fn evaluate(self: &Arc<Self>, ctx: &Context, dropped: Option<&str>) -> Result<ClaimResult> {
        let dropped =
            match dropped {
                None => None,
                Some(name) => Some(
                    self.hypotheses
                        .iter()
                        .find(|h| h.name == name)
                        .map(|h| h.name)
                        .ok_or_else(|| {
                            let names: Vec<&str> = self.hypotheses.iter().map(|h| h.name).collect();
                            InputError::unknown(format!(
                            "without-hypothesis: claim {} has no hypothesis '{name}' (it has: {})",
                            self.id,
                            if names.is_empty() { "none".into() } else { names.join(", ") }
                        ))
                        })?,
                ),
            };
        for hypothesis in self.hypotheses.iter() {
            if Some(hypothesis.name) == dropped {
                continue;
            }
            if let Err(reason) = (hypothesis.check)(ctx) {
                return Ok(ClaimResult {
                    claim: self.clone(),
                    verdict: Verdict::NotApplicable {
                        hypothesis: hypothesis.name,
                        reason,
                    },
                    evidence: Evidence::default(),
                    dropped,
                });
            }
        }
        let (verdict, evidence) = match &self.decide {
            Decider::Module(decide) => decide(ctx)?,
            Decider::Statement(text) => expr::decide(&expr::Expression::new(text)?, ctx)?,
            Decider::Parsed(e) => expr::decide(e, ctx)?,
            Decider::User(user) => user.decide(ctx)?,
        };
        Ok(ClaimResult {
            claim: self.clone(),
            verdict,
            evidence,
            dropped,
        })
    }
}

/// Exit status for a set of results: 1 if any fails, else 2 if a statement is undefined on
/// the case (bad input, as `log(0)` is), else 3 if any is undecided, else 0.
pub fn exit_status(results: &[ClaimResult]) -> u8 {
    results.iter().fold(0, |status, r| {
        merge_status(
            status,
            match r.verdict {
                Verdict::Fails => 1,
                Verdict::Undefined { .. } => 2,
                Verdict::Undecided => 3,
                _ => 0,
            },
        )
    })
}

/// Two exit statuses as one: a failure (1) anywhere outranks an undefined statement (2),
/// which outranks an undecided verdict (3), which outranks a run on which a claim applied to
/// no case (4, search and exhaust), which outranks success (0).
pub fn merge_status(a: u8, b: u8) -> u8 {
    match (a, b) {
        (1, _) | (_, 1) => 1,
        (2, _) | (_, 2) => 2,
        (3, _) | (_, 3) => 3,
        (4, _) | (_, 4) => 4,
        _ => 0,
    }
}

/// Refuses `--without-hypothesis NAME` when no selected claim has that hypothesis.
pub fn check_dropped(selected: &[Arc<Claim>], dropped: Option<&str>) -> Result<()> {
    if let Some(name) = dropped {
        if !selected.iter().any(|c| c.has_hypothesis(name)) {
            return Err(InputError::new(format!(
                "without-hypothesis: none of the selected claims has a hypothesis '{name}'"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_files_accept_every_verdict_name() {
        let every = [
            Verdict::Holds,
            Verdict::Fails,
            Verdict::Undecided,
            Verdict::Undefined {
                reason: String::new(),
            },
            Verdict::Measured,
            Verdict::NotApplicable {
                hypothesis: "h",
                reason: String::new(),
            },
        ];
        let names: Vec<&str> = every.iter().map(Verdict::name).collect();
        assert_eq!(names.len(), VERDICT_NAMES.len());
        for name in names {
            assert!(VERDICT_NAMES.contains(&name), "{name}");
        }
    }
}
