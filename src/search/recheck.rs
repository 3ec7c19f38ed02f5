//! Re-deriving a reported verdict from the case alone: the law is recomputed by the other
//! arithmetic backend (num-rational, the plain formula, sharing no arithmetic with the GMP
//! engine) and compared with the engine's exactly, outcome by outcome; the claim is then decided
//! again from scratch with enclosures started at another precision (so they round differently).

use num_rational::BigRational;

use crate::claims::{Claim, ClaimResult, Context};
use crate::enclosure::PrecisionPolicy;
use crate::error::Result;
use crate::law::{reference, ExactLaw, LawTable, Route};
use crate::spec::CaseSpec;

/// Precision the re-decision starts at (the search starts at 64 by default).
pub const RECHECK_START: u32 = 96;

#[derive(Debug, Clone)]
/// A counterexample re-derived with the other backend and fresh enclosures.
pub struct Recheck {
    /// The outcomes of the law compared.
    pub outcomes: usize,
    /// Where the two backends' laws differ (empty when they agree exactly).
    pub law_disagreements: Vec<String>,
    /// The claim decided again from the case alone.
    pub result: ClaimResult,
    /// The verdict the report recorded.
    pub recorded_verdict: String,
    /// The backends agree and the re-decided verdict is the recorded one.
    pub confirmed: bool,
}

/// Re-derives a reported case's verdict: the num-rational law compared exactly with the GMP one, the claim decided afresh.
pub fn recheck(
    spec: &CaseSpec,
    claim: &std::sync::Arc<Claim>,
    dropped: Option<&str>,
    recorded_verdict: &str,
    precision: PrecisionPolicy,
) -> Result<Recheck> {
    let (case, route) = spec.resolve()?;
    let route = if route == Route::Type && case.reward.is_symmetric() {
        route
    } else {
        Route::Sequence
    };
    let engine = LawTable::from_exact(&ExactLaw::compute(&case, route)?, case.k(), case.m());
    let other = reference::compute::<BigRational>(&case, route)?;
    let law_disagreements = engine.disagreements(&other);
    // Fresh enclosures: the ladder starts at RECHECK_START at least, not where search did.
    let policy = PrecisionPolicy {
        start: precision.start.max(RECHECK_START).min(precision.cap),
        cap: precision.cap,
    };
    let ctx = Context::new(case, policy).with_tilt(spec.tilt()?);
    let result = claim.evaluate(&ctx, dropped)?;
    let confirmed = law_disagreements.is_empty() && result.verdict.name() == recorded_verdict;
    Ok(Recheck {
        outcomes: engine.pi.len(),
        law_disagreements,
        result,
        recorded_verdict: recorded_verdict.to_string(),
        confirmed,
    })
}
