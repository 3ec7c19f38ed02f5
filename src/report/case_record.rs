//! The one JSON shape of a case, in every command's output and every file bestofn writes:
//! `p` as a list of exact strings, the reward as an object with its kind, m and n as integers,
//! the tilt parameters as exact strings. Readers (recheck, certificates) accept it, and the
//! older flat shape of case-file keys (`"p": "1/2,1/2"`, `"reward": "additive:0,1"`) too.

use serde::{Deserialize, Serialize};

use crate::model::{Case, Reward};
use crate::spec::CaseSpec;
use crate::tilt::TiltParams;

/// A case as JSON (docs/schema/common.schema.json, `case`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRecord {
    /// The per-letter reference pmf, exact.
    pub p: Vec<String>,
    /// The reward (absent: the default of the case, `log q` or constant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward: Option<RewardRecord>,
    /// The true reward beside the proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub true_reward: Option<RewardRecord>,
    /// The sequence length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub m: Option<u32>,
    /// The number of draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    /// `uniform`, `lex-min` or `lex-max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tie_break: Option<String>,
    /// The alignment distribution q, exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<Vec<String>>,
    /// Tilt exponents and the KL budget, exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<String>,
    /// See `alpha`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<String>,
    /// See `alpha`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<String>,
}

/// A reward as JSON: `{"kind": "additive", "values": [...]}`, `{"kind": "log", "weights":
/// [...]}` or `{"kind": "scores", "file": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum RewardRecord {
    /// Per-letter values summed over positions.
    Additive {
        /// Exact values.
        values: Vec<String>,
    },
    /// Per-letter weights; the reward is the sum of their logarithms.
    Log {
        /// Exact positive weights.
        weights: Vec<String>,
    },
    /// A score per sequence, from a file.
    Scores {
        /// The scores file.
        file: String,
    },
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(|s| s.trim().to_string()).collect()
}

impl RewardRecord {
    /// From a reward as written on the command line (`additive:0,1`); None when the text has
    /// no known kind (the reader reports it).
    pub fn from_spec(text: &str) -> Option<RewardRecord> {
        let (kind, rest) = text.split_once(':')?;
        Some(match kind.trim() {
            "additive" => RewardRecord::Additive { values: list(rest) },
            "log" => RewardRecord::Log {
                weights: list(rest),
            },
            "scores" => RewardRecord::Scores {
                file: rest.trim().to_string(),
            },
            _ => return None,
        })
    }

    /// From a validated reward.
    pub fn of(reward: &Reward) -> RewardRecord {
        RewardRecord::from_spec(&reward.spec()).expect("a reward's own spec has a kind")
    }

    /// As written on the command line.
    pub fn spec(&self) -> String {
        match self {
            RewardRecord::Additive { values } => format!("additive:{}", values.join(",")),
            RewardRecord::Log { weights } => format!("log:{}", weights.join(",")),
            RewardRecord::Scores { file } => format!("scores:{file}"),
        }
    }
}

impl CaseRecord {
    /// From a case as given (a spec's strings, split into lists).
    pub fn from_spec(spec: &CaseSpec) -> CaseRecord {
        let reward = |text: &Option<String>| {
            text.as_deref().map(|t| {
                RewardRecord::from_spec(t).unwrap_or(RewardRecord::Scores {
                    file: t.to_string(),
                })
            })
        };
        CaseRecord {
            p: spec.p.as_deref().map(list).unwrap_or_default(),
            reward: reward(&spec.reward),
            true_reward: reward(&spec.true_reward),
            m: spec.m,
            n: spec.n,
            tie_break: spec.tie_break.clone(),
            q: spec.q.as_deref().map(list),
            alpha: spec.alpha.clone(),
            beta: spec.beta.clone(),
            delta: spec.delta.clone(),
        }
    }

    /// The case in words for a figure's caption: `p = (1/5, 3/10, 1/2), reward log (6, 1, 2),
    /// m = 2, N = 2, ties uniform, q = (...), δ = 11/100`; what is absent is left out.
    pub fn caption(&self) -> String {
        let tuple = |v: &[String]| format!("({})", v.join(", "));
        let reward = |r: &RewardRecord| match r {
            RewardRecord::Additive { values } => format!("additive {}", tuple(values)),
            RewardRecord::Log { weights } => format!("log {}", tuple(weights)),
            RewardRecord::Scores { file } => format!("scores from {file}"),
        };
        let mut parts = vec![format!("p = {}", tuple(&self.p))];
        match (&self.reward, &self.q) {
            (Some(r), _) => parts.push(format!("reward {}", reward(r))),
            (None, Some(_)) => parts.push("reward log q".into()),
            (None, None) => {}
        }
        if let Some(r) = &self.true_reward {
            parts.push(format!("true reward {}", reward(r)));
        }
        if let Some(m) = self.m {
            parts.push(format!("m = {m}"));
        }
        if let Some(n) = self.n {
            parts.push(format!("N = {n}"));
        }
        if let Some(t) = &self.tie_break {
            parts.push(format!("ties {t}"));
        }
        if let Some(q) = &self.q {
            parts.push(format!("q = {}", tuple(q)));
        }
        for (name, v) in [("α", &self.alpha), ("β", &self.beta), ("δ", &self.delta)] {
            if let Some(v) = v {
                parts.push(format!("{name} = {v}"));
            }
        }
        parts.join(", ")
    }

    /// From a validated case and its tilt parameters.
    pub fn of(case: &Case, tilt: &TiltParams) -> CaseRecord {
        let strings = |v: &[rug::Rational]| v.iter().map(|x| x.to_string()).collect();
        CaseRecord {
            p: strings(case.source.pmf.probs()),
            reward: Some(RewardRecord::of(&case.reward)),
            true_reward: case.true_reward.as_ref().map(RewardRecord::of),
            m: Some(case.m()),
            n: Some(case.n),
            tie_break: Some(case.tie_break.name().to_string()),
            q: tilt.q.as_deref().map(strings),
            alpha: tilt.alpha.as_ref().map(|x| x.to_string()),
            beta: tilt.beta.as_ref().map(|x| x.to_string()),
            delta: tilt.delta.as_ref().map(|x| x.to_string()),
        }
    }

    /// As JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a case record serialises")
    }

    /// Back to a spec (strings as the flags take them).
    pub fn to_spec(&self) -> CaseSpec {
        CaseSpec {
            p: Some(self.p.join(",")),
            reward: self.reward.as_ref().map(RewardRecord::spec),
            true_reward: self.true_reward.as_ref().map(RewardRecord::spec),
            m: self.m,
            n: self.n,
            tie_break: self.tie_break.clone(),
            q: self.q.as_ref().map(|q| q.join(",")),
            alpha: self.alpha.clone(),
            beta: self.beta.clone(),
            delta: self.delta.clone(),
            ..CaseSpec::default()
        }
    }
}
