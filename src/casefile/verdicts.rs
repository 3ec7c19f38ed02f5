//! A case file's `[expected_verdicts]` against the verdicts `check` reached.
//!
//! Plain entries (`claim = "verdict"`) state the verdict with every hypothesis in force;
//! `[expected_verdicts.without.HYPOTHESIS]` entries state it with that hypothesis dropped
//! (`check --without-hypothesis HYPOTHESIS`). An entry whose claim was not evaluated the way
//! it describes is reported as not checked, never as matching.

use crate::claims::expr::Declaration;
use crate::claims::ClaimResult;
use crate::error::Result;

/// One expected verdict: the claim, the hypothesis dropped (if any) and the verdict name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedVerdict {
    /// The claim id.
    pub claim: String,
    /// The hypothesis dropped for this entry (`[expected_verdicts.without.H]`).
    pub without: Option<String>,
    /// The verdict's name (`holds`, `fails`, ...).
    pub verdict: String,
}

/// What comparing a case file's expectations with the results found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpectationCheck {
    /// Entries compared (matching or not).
    pub checked: usize,
    /// `claim: expected X, got Y` for each entry that differs.
    pub differing: Vec<String>,
    /// `claim (reason)` for each entry that was not compared.
    pub not_checked: Vec<String>,
}

impl ExpectationCheck {
    /// Whether every compared entry matched.
    pub fn all_match(&self) -> bool {
        self.differing.is_empty()
    }

    /// The one-line text summary `check` prints.
    pub fn line(&self) -> String {
        let mut out = if self.differing.is_empty() {
            format!("expected verdicts: {} checked, all match", self.checked)
        } else {
            format!(
                "expected verdicts DIFFER ({} of {} checked): {}",
                self.differing.len(),
                self.checked,
                self.differing.join("; ")
            )
        };
        if !self.not_checked.is_empty() {
            out.push_str(&format!(
                "; {} not checked: {}",
                self.not_checked.len(),
                self.not_checked.join(", ")
            ));
        }
        out
    }
}

/// Refuses entries that name neither a catalogue claim nor one the file declares in its
/// `[[claim]]` tables (`origin` names the case file), and `without` entries naming a
/// hypothesis the claim does not have.
pub fn validate(
    expected: &[ExpectedVerdict],
    origin: &str,
    declared: &[Declaration],
) -> Result<()> {
    for e in expected {
        let hypotheses: Vec<String> = match declared.iter().find(|d| d.id == e.claim) {
            Some(d) => d.hypotheses.clone(),
            None => crate::claims::declared(&e.claim)
                .map_err(|err| {
                    crate::InputError::new(format!(
                        "{origin}: expected_verdicts.{}: {}",
                        e.claim,
                        err.message().trim_start_matches("claim: ")
                    ))
                })?
                .hypotheses
                .iter()
                .map(|h| h.name.to_string())
                .collect(),
        };
        if let Some(h) = &e.without {
            if !hypotheses.iter().any(|x| x == h) {
                return Err(crate::InputError::new(format!(
                    "{origin}: expected_verdicts.without.{h}.{}: the claim has no hypothesis '{h}'",
                    e.claim
                )));
            }
        }
    }
    Ok(())
}

/// Compares the expectations with the results of the claims that were evaluated.
pub fn compare(expected: &[ExpectedVerdict], results: &[ClaimResult]) -> ExpectationCheck {
    let mut check = ExpectationCheck::default();
    for e in expected {
        let same = |r: &&ClaimResult| r.claim.id == e.claim;
        let result = results
            .iter()
            .find(|r| same(r) && r.dropped == e.without.as_deref())
            .or_else(|| results.iter().find(same));
        let Some(result) = result else {
            check
                .not_checked
                .push(format!("{} (not selected)", e.claim));
            continue;
        };
        if result.dropped != e.without.as_deref() {
            let how = match &e.without {
                Some(h) => format!("stated without {h}"),
                None => "stated with every hypothesis".to_string(),
            };
            check.not_checked.push(format!("{} ({how})", e.claim));
            continue;
        }
        check.checked += 1;
        if result.verdict.name() != e.verdict {
            check.differing.push(format!(
                "{}{}: expected {}, got {}",
                e.claim,
                e.without
                    .as_deref()
                    .map(|h| format!(" (without {h})"))
                    .unwrap_or_default(),
                e.verdict,
                result.verdict.name()
            ));
        }
    }
    check
}
