//! A case as given: raw settings from flags or a case file, before validation, and their
//! resolution into a validated [`Case`] and the [`Route`] to compute its law by.
//!
//! This is the one place where text becomes a case; the case-file reader
//! ([`crate::casefile`]) fills a [`CaseSpec`] from TOML, the binary from flags, the search
//! generators from numbers. A spec knows no file format.

use std::path::PathBuf;

use rug::Rational;

use crate::error::{InputError, Result};
use crate::exact::parse_rational;
use crate::law::Route;
use crate::model::{Case, Memoryless, Pmf, Reward, TieBreak};
use crate::tilt::TiltParams;

/// Settings as given, before validation. Flags override a case file's values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseSpec {
    /// A short name for the case (shown in reports).
    pub name: Option<String>,
    /// Where the case comes from (a paper, a derivation).
    pub source: Option<String>,
    /// The reference pmf, as written (`1/5,3/10,1/2`).
    pub p: Option<String>,
    /// The reward, as written (`log:6,1,2`, `additive:0,1`, `scores:FILE`).
    pub reward: Option<String>,
    /// The true reward beside the proxy `reward` (same grammar), if any.
    pub true_reward: Option<String>,
    /// The sequence length m (default 1).
    pub m: Option<u32>,
    /// The number of draws N.
    pub n: Option<u64>,
    /// The tie-breaking rule (`uniform`, `lex-min`, `lex-max`; default uniform).
    pub tie_break: Option<String>,
    /// The route (`type` or `sequence`; default: type when valid).
    pub by: Option<String>,
    /// The alignment distribution q of 003 (tilt claims); the reward defaults to `log q`.
    pub q: Option<String>,
    /// First tilt exponent alpha, for the tilt claims.
    pub alpha: Option<String>,
    /// Second tilt exponent beta (also rho for renyi-cumulant).
    pub beta: Option<String>,
    /// Per-letter KL budget delta of the KL-constrained optimum (Delta = m delta).
    pub delta: Option<String>,
    /// Directory that relative paths (scores files) are resolved against.
    pub base_dir: PathBuf,
    /// The size budget of the case's law (`--max-bits`; a run setting, not a case-file key).
    pub budget: Option<crate::model::SizeBudget>,
}

impl CaseSpec {
    /// Overrides this spec's values with any that `flags` sets.
    pub fn overridden_by(mut self, flags: CaseSpec) -> CaseSpec {
        macro_rules! take {
            ($($field:ident),*) => { $( if flags.$field.is_some() { self.$field = flags.$field; } )* };
        }
        take!(
            name,
            source,
            p,
            reward,
            true_reward,
            m,
            n,
            tie_break,
            by,
            q,
            alpha,
            beta,
            delta,
            budget
        );
        self
    }

    /// Validates everything and builds the case and the route to compute it by.
    pub fn resolve(&self) -> Result<(Case, Route)> {
        let missing =
            |what: &str| InputError::new(format!("missing {what}: give --{what} or a case file"));
        let pmf = Pmf::parse(self.p.as_deref().ok_or_else(|| missing("p"))?)?;
        if let Some(q) = self.tilt()?.q {
            if q.len() != pmf.len() {
                return Err(InputError::new(format!(
                    "q: {} entries given but p has K = {} letters",
                    q.len(),
                    pmf.len()
                )));
            }
        }
        let reward = match (&self.reward, &self.q) {
            (Some(reward), _) => Reward::parse(reward, &self.base_dir)?,
            // No reward but an alignment distribution: the papers' r = log q.
            (None, Some(_)) => Reward::Log(self.tilt()?.q.expect("q is given")),
            (None, None) => return Err(missing("reward")),
        };
        let source = Memoryless::new(pmf, self.m.unwrap_or(1))?;
        let tie_break = TieBreak::parse(self.tie_break.as_deref().unwrap_or("uniform"))?;
        let case = Case::new(
            source,
            reward,
            self.n.ok_or_else(|| missing("n"))?,
            tie_break,
        )?
        .with_budget(self.budget.unwrap_or_default());
        let case = match &self.true_reward {
            Some(text) => {
                case.with_true_reward(Reward::parse(text, &self.base_dir).map_err(|e| {
                    InputError::new(format!(
                        "true-reward: {}",
                        e.message().trim_start_matches("reward: ")
                    ))
                })?)?
            }
            None => case,
        };
        let route = match &self.by {
            Some(by) => Route::parse(by)?,
            None => Route::default_for(&case),
        };
        route.check(&case)?;
        Ok((case, route))
    }

    /// Validates `q` (a pmf with positive entries) and the exponents.
    pub fn tilt(&self) -> Result<TiltParams> {
        let q = match &self.q {
            None => None,
            Some(text) => {
                let q = Pmf::parse_named("q", text)?;
                if let Some(i) = q.probs().iter().position(|x| x.cmp0().is_eq()) {
                    return Err(InputError::new(format!(
                        "q: entry {} is 0; q must be positive",
                        i + 1
                    )));
                }
                Some(q.probs().to_vec())
            }
        };
        let exponent = |what: &str, text: &Option<String>| -> Result<Option<Rational>> {
            text.as_deref()
                .map(|t| parse_rational(t).map_err(|e| InputError::new(format!("{what}: {e}"))))
                .transpose()
        };
        Ok(TiltParams {
            q,
            alpha: exponent("alpha", &self.alpha)?,
            beta: exponent("beta", &self.beta)?,
            delta: match exponent("delta", &self.delta)? {
                Some(d) if d.cmp0().is_lt() => {
                    return Err(InputError::new(format!(
                        "delta: the KL budget must be >= 0, got {d}"
                    )))
                }
                other => other,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_file_values() {
        let file = CaseSpec {
            n: Some(2),
            m: Some(2),
            ..Default::default()
        };
        let flags = CaseSpec {
            n: Some(5),
            ..Default::default()
        };
        let merged = file.overridden_by(flags);
        assert_eq!((merged.n, merged.m), (Some(5), Some(2)));
    }
}
