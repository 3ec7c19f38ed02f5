//! A set of claims owned by whoever decides them: the catalogue (its statements parsed once)
//! plus the user's claims (`--assert`, claims files, `Checker::check_statement`). No
//! process-wide registry: two sets in one process never see each other's claims, and a
//! claim lives as long as the last `Arc` to it.

use std::borrow::Cow;
use std::sync::Arc;

use super::expr::{self, Declaration, Define, Expression, UserClaim};
use super::{Claim, Decider, Hypothesis, Method, Status, CATALOGUE};
use crate::error::{InputError, Result};

/// The catalogue and the user's claims, in the order they were added.
#[derive(Clone, Debug)]
pub struct ClaimSet {
    claims: Vec<Arc<Claim>>,
}

impl Default for ClaimSet {
    fn default() -> ClaimSet {
        ClaimSet::catalogue()
    }
}

impl ClaimSet {
    /// The catalogue alone, its statements parsed (once, here).
    pub fn catalogue() -> ClaimSet {
        let claims = CATALOGUE
            .iter()
            .map(|c| {
                let mut claim = (*c).clone();
                if let Decider::Statement(text) = claim.decide {
                    let parsed =
                        Expression::new(text).expect("catalogue statements parse (tested)");
                    claim.decide = Decider::Parsed(Arc::new(parsed));
                }
                Arc::new(claim)
            })
            .collect();
        ClaimSet { claims }
    }

    /// Every claim: the catalogue's first, then the user's in the order they were added.
    pub fn all(&self) -> &[Arc<Claim>] {
        &self.claims
    }

    /// The catalogue's claims, in catalogue order.
    pub fn catalogue_claims(&self) -> impl Iterator<Item = &Arc<Claim>> {
        self.claims.iter().filter(|c| c.user().is_none())
    }

    /// The user's claims, in the order they were added.
    pub fn user_claims(&self) -> impl Iterator<Item = &Arc<Claim>> {
        self.claims.iter().filter(|c| c.user().is_some())
    }

    /// The claim named `id`, or an error naming the nearest id.
    pub fn find(&self, id: &str) -> Result<Arc<Claim>> {
        match self.claims.iter().find(|c| c.id == id) {
            Some(c) => Ok(c.clone()),
            None => Err(super::unknown_claim(id, self.claims.iter().map(|c| &*c.id))),
        }
    }

    /// Adds a claim of a claims file (or a case file's `[[claim]]` table) with the helpers in
    /// force.
    pub fn declare(&mut self, decl: &Declaration, defines: &[Define]) -> Result<Arc<Claim>> {
        let expression = Expression::with_defines(&decl.statement, defines)
            .map_err(|e| e.context(&format!("{}: ", decl.origin)))?;
        let mut hypotheses = Vec::new();
        for name in &decl.hypotheses {
            let h = expr::known_hypothesis(name).ok_or_else(|| {
                InputError::unknown(format!("{}: unknown hypothesis '{name}' (the catalogue's, e.g. uniform-tie-break, distinct-rewards, q-given, delta-given or true-reward-given)", decl.origin))
            })?;
            hypotheses.push(h);
        }
        self.add_user(
            &decl.id,
            &decl.statement,
            expression,
            hypotheses,
            decl.source.as_deref().unwrap_or("user claim"),
            &decl.origin,
        )
    }

    /// Adds a claim of the user's (`--assert`), refusing an id that is taken or shadows the
    /// catalogue.
    pub fn add_statement(&mut self, id: &str, text: &str) -> Result<Arc<Claim>> {
        let expression = Expression::new(text)?;
        self.add_user(
            id,
            text,
            expression,
            Vec::new(),
            super::ASSERT_SOURCE,
            "--assert",
        )
    }

    /// `--assert` text: `id: EXPR` or just `EXPR` (then named `assert-<index>`).
    pub fn add_assert(&mut self, text: &str, index: usize) -> Result<Arc<Claim>> {
        match expr::named_assert(text) {
            Some((id, e)) => self.add_statement(id, e),
            None => self.add_statement(&format!("assert-{index}"), text.trim()),
        }
    }

    fn add_user(
        &mut self,
        id: &str,
        text: &str,
        expression: Expression,
        mut hypotheses: Vec<Hypothesis>,
        source: &str,
        origin: &str,
    ) -> Result<Arc<Claim>> {
        if !expr::is_claim_id(id) {
            return Err(InputError::new(format!(
                "{origin}: '{id}' is not a claim id (letters, digits, '-', '_', '.')"
            )));
        }
        if CATALOGUE.iter().any(|c| c.id == id) {
            return Err(InputError::new(format!(
                "{origin}: the id '{id}' is a catalogue claim's; choose another"
            )));
        }
        if let Some(existing) = self.claims.iter().find(|c| c.id == id) {
            if existing.statement == text {
                return Ok(existing.clone());
            }
            let first = existing.user().map_or("", |u| u.origin.as_str());
            return Err(InputError::new(format!(
                "claim: the id '{id}' is given twice: in {first} ('{}') and in {origin} ('{text}')",
                existing.statement
            )));
        }
        // The language's own hypotheses, for what the expression reads.
        for (reads, own) in [
            (expression.needs_q, expr::Q_GIVEN),
            (expression.needs_delta, expr::DELTA_GIVEN),
            (expression.needs_true_reward, expr::TRUE_REWARD_GIVEN),
        ] {
            if reads && !hypotheses.iter().any(|h| h.name == own.name) {
                hypotheses.push(own);
            }
        }
        let claim = Arc::new(Claim {
            id: Cow::Owned(id.to_string()),
            source: Cow::Owned(source.to_string()),
            statement: Cow::Owned(text.to_string()),
            hypotheses: Cow::Owned(hypotheses),
            method: Method::Enclosure,
            uses_n: true,
            decide: Decider::User(Arc::new(UserClaim {
                expression: Arc::new(expression),
                origin: origin.to_string(),
            })),
            status: Status::Unsettled,
        });
        self.claims.push(claim.clone());
        Ok(claim)
    }
}
