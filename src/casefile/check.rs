//! What the commands do with one case file besides computing: decide the selected claims
//! (and the file's own `[[claim]]`s) and compare the file's expectations with what was
//! computed. The binary only prints what these return.

use std::path::PathBuf;
use std::sync::Arc;

use super::CaseFile;
use crate::claims::{self, Claim, ClaimResult, ClaimSet, Context};
use crate::compare::{ArithComparison, ExactSide};
use crate::enclosure::PrecisionPolicy;
use crate::error::Result;

use super::verdicts::{self, ExpectationCheck};

/// The claims a command decides, from its flags: the named ids, then the claims of a claims
/// file (when no id is named; the file's claims are registered either way, so `--claim` can
/// name them), then the asserted expressions. Empty when none is given.
pub fn select_claims(
    set: &mut ClaimSet,
    ids: &[String],
    asserts: &[String],
    claims_file: Option<&PathBuf>,
) -> Result<Vec<Arc<Claim>>> {
    let mut from_file = Vec::new();
    if let Some(path) = claims_file {
        let (decls, defines) = super::read_claims_file(path)?;
        for d in &decls {
            from_file.push(set.declare(d, &defines)?);
        }
    }
    let mut selected: Vec<Arc<Claim>> = ids.iter().map(|id| set.find(id)).collect::<Result<_>>()?;
    if ids.is_empty() {
        selected.extend(from_file);
    }
    for (i, text) in asserts.iter().enumerate() {
        selected.push(set.add_assert(text, i + 1)?);
    }
    Ok(selected)
}

/// One case file's claims decided: the context they were decided in, the results, and the
/// comparison with the file's `[expected_verdicts]` (if it states any).
pub struct ClaimsChecked {
    /// The case (and tilt parameters) the claims were decided on.
    pub ctx: Context,
    /// One result per claim, in the order selected, the file's own claims last.
    pub results: Vec<ClaimResult>,
    /// The expected verdicts compared, when the file states some.
    pub expectations: Option<ExpectationCheck>,
}

impl ClaimsChecked {
    /// Exit status: when the file states verdicts, whether they match (an expected refutation
    /// is a success); otherwise the verdicts' own status ([`claims::exit_status`]).
    pub fn status(&self) -> u8 {
        match &self.expectations {
            Some(e) if e.checked > 0 => u8::from(!e.all_match()),
            _ => claims::exit_status(&self.results),
        }
    }
}

/// Decides `selected` (and the file's own claims) on the file's case, with `dropped` taken
/// away from the claims that have it (without it, a claim the file states only without a
/// hypothesis is decided without that one).
pub fn check_claims(
    file: &CaseFile,
    set: &ClaimSet,
    selected: &[Arc<Claim>],
    dropped: Option<&str>,
    policy: PrecisionPolicy,
    watch: Option<claims::LadderWatch>,
) -> Result<ClaimsChecked> {
    let ctx = context_for(file, selected.iter().map(|c| &**c), policy)?.with_watch(watch);
    let mut here = selected.to_vec();
    // The file's own claims live in a copy of the set: another file may use the same ids.
    let mut own = set.clone();
    for claim in file.register_claims(&mut own)? {
        if !here.iter().any(|c| c.id == claim.id) {
            here.push(claim);
        }
    }
    // Without --without-hypothesis, a claim the file states only without a hypothesis
    // (`[expected_verdicts.without.H]`, as a counterexample.toml does) is decided that way,
    // so that `bestofn check counterexample.toml` replays what the file says.
    let stated_without = |claim: &Claim| -> Option<&str> {
        let entries: Vec<_> = file
            .expected_verdicts
            .iter()
            .filter(|e| e.claim == claim.id)
            .collect();
        match entries.as_slice() {
            [only] => only.without.as_deref(),
            _ => None,
        }
    };
    let results = here
        .iter()
        .map(|claim| claim.evaluate_dropping(&ctx, dropped.or_else(|| stated_without(claim))))
        .collect::<Result<Vec<_>>>()?;
    // An entry stated without a hypothesis the run kept: decided that way as well (not
    // printed, only compared), so a file's every expectation is checked by a plain `check`.
    let mut compared = results.clone();
    if dropped.is_none() {
        for e in &file.expected_verdicts {
            let Some(h) = e.without.as_deref() else {
                continue;
            };
            let decided = compared
                .iter()
                .any(|r| r.claim.id == e.claim && r.dropped == Some(h));
            if let (false, Some(claim)) = (decided, here.iter().find(|c| c.id == e.claim)) {
                if claim.has_hypothesis(h) {
                    compared.push(claim.evaluate(&ctx, Some(h))?);
                }
            }
        }
    }
    let expectations = (!file.expected_verdicts.is_empty())
        .then(|| verdicts::compare(&file.expected_verdicts, &compared));
    Ok(ClaimsChecked {
        ctx,
        results,
        expectations,
    })
}

/// The context `claims` are decided in on the file's case. The tilt identities do not depend
/// on N: when none of `claims` reads it, a file may leave `n` out (it is then 1).
fn context_for<'c>(
    file: &CaseFile,
    claims: impl IntoIterator<Item = &'c Claim>,
    policy: PrecisionPolicy,
) -> Result<Context> {
    let mut spec = file.spec.clone();
    if spec.n.is_none() && claims.into_iter().all(|c| !c.uses_n) {
        spec.n = Some(1);
    }
    Context::from_spec(&spec, policy)
}

/// The file's `[expected_compare]` against what the float runs detected: one line per
/// arithmetic whose failure kinds differ (an arithmetic not among `comparisons` is compared
/// here). Empty when all are as expected.
pub fn compare_failures(
    file: &CaseFile,
    exact: &ExactSide,
    comparisons: &[ArithComparison],
) -> Result<Vec<String>> {
    let mut differing = Vec::new();
    for (arith, expected) in &file.expected_compare {
        let extra;
        let got = match comparisons.iter().find(|c| c.arith == *arith) {
            Some(c) => c,
            None => {
                extra = exact.compare(*arith)?;
                &extra
            }
        };
        let kinds = got.failure_kinds();
        if kinds
            .iter()
            .copied()
            .ne(expected.iter().map(String::as_str))
        {
            differing.push(format!(
                "{}: expected failures [{}], detected [{}]",
                arith.name(),
                expected.join(", "),
                kinds.join(", ")
            ));
        }
    }
    Ok(differing)
}

/// Every `[expected_verdicts]` entry of a file decided as it is stated: plain entries with
/// every hypothesis in force, `[expected_verdicts.without.H]` entries with `H` dropped, the
/// file's own `[[claim]]`s registered first. This is how the test suite replays the case
/// files of `cases/` (a `counterexample.toml` that `search` wrote, copied there, included):
/// [`check_claims`] on the claims the entries name, which decides each entry as stated.
pub fn replay_expected_verdicts(
    file: &CaseFile,
    policy: PrecisionPolicy,
) -> Result<ExpectationCheck> {
    let set = ClaimSet::catalogue();
    let mut own = set.clone();
    file.register_claims(&mut own)?;
    let mut named: Vec<Arc<Claim>> = Vec::new();
    for e in &file.expected_verdicts {
        if !named.iter().any(|c| c.id == e.claim) {
            named.push(own.find(&e.claim)?);
        }
    }
    let checked = check_claims(file, &set, &named, None, policy, None)?;
    Ok(checked.expectations.unwrap_or_default())
}
