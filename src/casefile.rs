//! Case specifications: raw settings from flags or a TOML case file, resolved into a [`Case`].
//!
//! A case file uses the same names as the flags (`p`, `reward`, `m`, `n`, `tie_break`, `by`)
//! plus `name`, `source`, `notes` and an optional `[expected]` table of exact values that
//! `bestofn law` checks. The format is documented in `docs/case-format.md`.

use std::path::{Path, PathBuf};

use rug::Rational;
use toml::Value;

use crate::claims::expected::{self, ExpectedVerdict};
use crate::claims::expr::{Declaration, Define};
use crate::compare::FAILURE_KINDS;
use crate::error::{InputError, Result};
use crate::exact::parse_rational;
use crate::float::Arith;
use crate::law::{LawTable, Route};
use crate::model::{Case, Memoryless, Pmf, Reward, TieBreak};
use crate::tilt::TiltParams;

/// The verdicts an `[expected_verdicts]` entry may name (`Verdict::name` of each variant).
pub const VERDICT_NAMES: &[&str] = &["holds", "fails", "undecided", "not-applicable", "measured"];

/// Settings as given, before validation. Flags override a case file's values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseSpec {
    pub name: Option<String>,
    pub source: Option<String>,
    pub p: Option<String>,
    pub reward: Option<String>,
    pub m: Option<u32>,
    pub n: Option<u64>,
    pub tie_break: Option<String>,
    pub by: Option<String>,
    /// The alignment distribution q of 003 (tilt claims); the reward defaults to `log q`.
    pub q: Option<String>,
    /// Tilt exponents for the tilt claims.
    pub alpha: Option<String>,
    pub beta: Option<String>,
    /// Per-letter KL budget delta of the KL-constrained optimum (Delta = m delta).
    pub delta: Option<String>,
    /// Directory that relative paths (scores files) are resolved against.
    pub base_dir: PathBuf,
    pub expected: Expected,
    /// Verdicts that `bestofn check` must reproduce (claim ids validated against the
    /// catalogue when the file is read).
    pub expected_verdicts: Vec<ExpectedVerdict>,
    /// `(arithmetic, failure kinds)` that `bestofn compare` must detect, no more and no fewer.
    pub expected_compare: Vec<(Arith, Vec<String>)>,
    /// `[[claim]]` tables: claims in the claim language that `check` decides on this case.
    pub claims: Vec<Declaration>,
    /// `[define]`: helper functions of those claims.
    pub defines: Vec<Define>,
}

/// Exact values a case file promises; `bestofn law` fails (exit 1) if any differs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expected {
    /// `(sequence, pi)`.
    pub pi: Vec<(Vec<u32>, Rational)>,
    /// `(counts, pi of the whole type)`.
    pub pi_type: Vec<(Vec<u32>, Rational)>,
    /// `(position from 1, letter, P(y_position = letter))`.
    pub marginal: Vec<(usize, u32, Rational)>,
}

const TOP_KEYS: &[&str] = &[
    "name",
    "source",
    "notes",
    "p",
    "reward",
    "m",
    "n",
    "tie_break",
    "by",
    "q",
    "alpha",
    "beta",
    "delta",
    "expected",
    "expected_verdicts",
    "expected_compare",
    "claim",
    "define",
];

impl CaseSpec {
    /// Reads a TOML case file.
    pub fn from_file(path: &Path) -> Result<CaseSpec> {
        let text = crate::io::read_text(path, "case file")?;
        let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::from_toml(&text, &path.display().to_string(), base_dir)
    }

    /// Parses case-file text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &str, base_dir: PathBuf) -> Result<CaseSpec> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let message = e.message().to_string();
            let at = e
                .span()
                .map(|span| format!(" (line {})", text[..span.start].lines().count().max(1)))
                .unwrap_or_default();
            InputError::new(format!("{origin}: malformed TOML{at}: {message}"))
        })?;
        let err = |key: &str, what: &str| InputError::new(format!("{origin}: '{key}' {what}"));
        for key in table.keys() {
            if !TOP_KEYS.contains(&key.as_str()) {
                return Err(err(
                    key,
                    &format!("is not a case-file key (known: {})", TOP_KEYS.join(", ")),
                ));
            }
        }
        let string = |key: &str| -> Result<Option<String>> {
            match table.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(err(key, "must be a string")),
            }
        };
        let list = |key: &str| -> Result<Option<String>> {
            match table.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(Value::Array(items)) => Ok(Some(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            exact_text(v)
                                .map_err(|what| err(key, &format!("entry {}: {what}", i + 1)))
                        })
                        .collect::<Result<Vec<_>>>()?
                        .join(","),
                )),
                Some(_) => Err(err(
                    key,
                    "must be a string like \"1/5,3/10,1/2\" or an array of strings",
                )),
            }
        };
        let number_text = |key: &str| -> Result<Option<String>> {
            table
                .get(key)
                .map(|v| exact_text(v).map_err(|what| err(key, &what)))
                .transpose()
        };
        let p = list("p")?;
        let integer = |key: &str| -> Result<Option<u64>> {
            match table.get(key) {
                None => Ok(None),
                Some(Value::Integer(i)) if *i >= 0 => Ok(Some(*i as u64)),
                Some(_) => Err(err(key, "must be a non-negative integer")),
            }
        };
        let m = integer("m")?
            .map(|m| u32::try_from(m).map_err(|_| err("m", "is too large")))
            .transpose()?;
        let expected = match table.get("expected") {
            None => Expected::default(),
            Some(Value::Table(t)) => parse_expected(t, origin)?,
            Some(_) => return Err(err("expected", "must be a table")),
        };
        let expected_verdicts = match table.get("expected_verdicts") {
            None => Vec::new(),
            Some(Value::Table(t)) => parse_expected_verdicts(t, origin)?,
            Some(_) => {
                return Err(err(
                    "expected_verdicts",
                    "must be a table of claim = \"verdict\"",
                ))
            }
        };
        let expected_compare = match table.get("expected_compare") {
            None => Vec::new(),
            Some(Value::Table(t)) => t
                .iter()
                .map(|(arith, kinds)| {
                    let key = format!("expected_compare.\"{arith}\"");
                    let arith = Arith::parse(arith).map_err(|e| err(&key, &e.to_string()))?;
                    let bad = || {
                        err(
                            &key,
                            &format!(
                                "must be a list of failure kinds among {}",
                                FAILURE_KINDS
                                    .iter()
                                    .map(|v| format!("\"{v}\""))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    };
                    let Value::Array(items) = kinds else {
                        return Err(bad());
                    };
                    let kinds = items
                        .iter()
                        .map(|v| match v {
                            Value::String(s) if FAILURE_KINDS.contains(&s.as_str()) => {
                                Ok(s.clone())
                            }
                            _ => Err(bad()),
                        })
                        .collect::<Result<Vec<_>>>()?;
                    Ok((arith, kinds))
                })
                .collect::<Result<_>>()?,
            Some(_) => {
                return Err(err(
                    "expected_compare",
                    "must be a table of \"arith\" = [\"failure kind\", ...]",
                ))
            }
        };
        let (claims, defines) = claim_tables(&table, origin)?;
        Ok(CaseSpec {
            claims,
            defines,
            expected_compare,
            expected_verdicts,
            name: string("name")?,
            source: string("source")?,
            p,
            reward: string("reward")?,
            m,
            n: integer("n")?,
            tie_break: string("tie_break")?,
            by: string("by")?,
            q: list("q")?,
            alpha: number_text("alpha")?,
            beta: number_text("beta")?,
            delta: number_text("delta")?,
            base_dir,
            expected,
        })
    }

    /// Overrides this spec's values with any that `flags` sets.
    pub fn overridden_by(mut self, flags: CaseSpec) -> CaseSpec {
        macro_rules! take {
            ($($field:ident),*) => { $( if flags.$field.is_some() { self.$field = flags.$field; } )* };
        }
        take!(name, source, p, reward, m, n, tie_break, by, q, alpha, beta, delta);
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
        )?;
        let route = match &self.by {
            Some(by) => Route::parse(by)?,
            None => Route::default_for(&case),
        };
        route.check(&case)?;
        Ok((case, route))
    }
}

impl CaseSpec {
    /// The spec as case-file text (the keys `bestofn check` reads; expected values omitted).
    pub fn to_toml(&self) -> String {
        let mut table = toml::Table::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(v) = value {
                table.insert(key.to_string(), v);
            }
        };
        let text = |v: &Option<String>| v.clone().map(Value::String);
        put("name", text(&self.name));
        put("source", text(&self.source));
        put("p", text(&self.p));
        put("reward", text(&self.reward));
        put("q", text(&self.q));
        put("m", self.m.map(|m| Value::Integer(m.into())));
        put("n", self.n.map(|n| Value::Integer(n as i64)));
        put("tie_break", text(&self.tie_break));
        put("alpha", text(&self.alpha));
        put("beta", text(&self.beta));
        put("delta", text(&self.delta));
        toml::to_string(&table).expect("strings and integers serialise")
    }
}

impl CaseSpec {
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

/// A TOML value that spells an exact number: a string, or an integer. Floats are refused
/// because TOML parses them to binary doubles, so `0.1` would no longer be exactly 1/10.
fn exact_text(value: &Value) -> std::result::Result<String, String> {
    match value {
        Value::String(s) => parse_rational(s)
            .map(|_| s.clone())
            .map_err(|e| e.to_string()),
        Value::Integer(i) => Ok(i.to_string()),
        Value::Float(f) => Err(format!(
            "{f} is a TOML float, which is binary and inexact; quote it: \"{f}\""
        )),
        other => Err(format!("{other} is not a number")),
    }
}

/// Reads a claims file: `[define]` helper functions and `[[claim]]` tables (id, statement,
/// source, notes, hypotheses), nothing else.
pub fn read_claims_file(path: &Path) -> Result<(Vec<Declaration>, Vec<Define>)> {
    let origin = path.display().to_string();
    let text = crate::io::read_text(path, "claims file")?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        InputError::new(format!("{origin}: malformed TOML: {}", e.message()))
    })?;
    for key in table.keys() {
        if key != "claim" && key != "define" {
            return Err(InputError::new(format!(
                "{origin}: '{key}' is not a claims-file key (known: claim, define)"
            )));
        }
    }
    let (claims, defines) = claim_tables(&table, &origin)?;
    if claims.is_empty() {
        return Err(InputError::new(format!("{origin}: no [[claim]] tables")));
    }
    Ok((claims, defines))
}

/// The `[[claim]]` and `[define]` tables of a claims or case file.
fn claim_tables(table: &toml::Table, origin: &str) -> Result<(Vec<Declaration>, Vec<Define>)> {
    let err = |what: String| InputError::new(format!("{origin}: {what}"));
    let mut defines = Vec::new();
    match table.get("define") {
        None => {}
        Some(Value::Table(t)) => {
            for (name, v) in t {
                let Value::String(text) = v else {
                    return Err(err(format!(
                        "define.{name} must be a string \"params -> body\""
                    )));
                };
                defines.push(Define::new(name, text).map_err(|e| err(e.0))?);
            }
        }
        Some(_) => {
            return Err(err(
                "'define' must be a table of name = \"params -> body\"".into()
            ))
        }
    }
    let mut claims: Vec<Declaration> = Vec::new();
    match table.get("claim") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("{origin}, claim {}", i + 1);
                let Value::Table(t) = item else {
                    return Err(err(format!("claim {} must be a table ([[claim]])", i + 1)));
                };
                for key in t.keys() {
                    if !["id", "statement", "source", "notes", "hypotheses"].contains(&key.as_str())
                    {
                        return Err(InputError::new(format!(
                            "{at}: '{key}' is not a claim key (known: id, statement, source, notes, hypotheses)"
                        )));
                    }
                }
                let text = |key: &str| -> Result<Option<String>> {
                    match t.get(key) {
                        None => Ok(None),
                        Some(Value::String(s)) => Ok(Some(s.clone())),
                        Some(_) => Err(InputError::new(format!("{at}: '{key}' must be a string"))),
                    }
                };
                let id =
                    text("id")?.ok_or_else(|| InputError::new(format!("{at}: missing 'id'")))?;
                let statement = text("statement")?
                    .ok_or_else(|| InputError::new(format!("{at}: missing 'statement'")))?;
                let hypotheses = match t.get("hypotheses") {
                    None => Vec::new(),
                    Some(Value::Array(h)) => h
                        .iter()
                        .map(|x| {
                            x.as_str().map(str::to_string).ok_or_else(|| {
                                InputError::new(format!("{at}: 'hypotheses' must list names"))
                            })
                        })
                        .collect::<Result<_>>()?,
                    Some(_) => {
                        return Err(InputError::new(format!(
                            "{at}: 'hypotheses' must be an array of names"
                        )))
                    }
                };
                if let Some(first) = claims.iter().find(|c| c.id == id) {
                    return Err(InputError::new(format!(
                        "{at}: the id '{id}' is declared twice (first in {})",
                        first.origin
                    )));
                }
                claims.push(Declaration {
                    id,
                    statement,
                    source: text("source")?,
                    notes: text("notes")?,
                    hypotheses,
                    origin: at,
                });
            }
        }
        Some(_) => return Err(err("'claim' must be an array of tables ([[claim]])".into())),
    }
    Ok((claims, defines))
}

/// `claim = "verdict"` entries, and `[expected_verdicts.without.HYPOTHESIS]` tables of them.
fn parse_expected_verdicts(table: &toml::Table, origin: &str) -> Result<Vec<ExpectedVerdict>> {
    let verdict = |at: &str, value: &Value| -> Result<String> {
        match value {
            Value::String(v) if VERDICT_NAMES.contains(&v.as_str()) => Ok(v.clone()),
            _ => Err(InputError::new(format!(
                "{origin}: '{at}' must be one of {}",
                VERDICT_NAMES
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    };
    let mut out = Vec::new();
    for (claim, value) in table {
        if claim == "without" {
            let Value::Table(by_hypothesis) = value else {
                return Err(InputError::new(format!(
                    "{origin}: 'expected_verdicts.without' must be a table \
                     [expected_verdicts.without.HYPOTHESIS] of claim = \"verdict\""
                )));
            };
            for (hypothesis, entries) in by_hypothesis {
                let Value::Table(entries) = entries else {
                    return Err(InputError::new(format!(
                        "{origin}: 'expected_verdicts.without.{hypothesis}' must be a table of \
                         claim = \"verdict\""
                    )));
                };
                for (claim, value) in entries {
                    out.push(ExpectedVerdict {
                        claim: claim.clone(),
                        without: Some(hypothesis.clone()),
                        verdict: verdict(
                            &format!("expected_verdicts.without.{hypothesis}.{claim}"),
                            value,
                        )?,
                    });
                }
            }
            continue;
        }
        out.push(ExpectedVerdict {
            claim: claim.clone(),
            without: None,
            verdict: verdict(&format!("expected_verdicts.{claim}"), value)?,
        });
    }
    expected::validate(&out, origin)?;
    Ok(out)
}

fn parse_expected(table: &toml::Table, origin: &str) -> Result<Expected> {
    let err = |what: String| InputError::new(format!("{origin}: expected.{what}"));
    let number = |v: Option<&Value>, at: &str| -> Result<Rational> {
        let v = v.ok_or_else(|| err(format!("{at}: missing 'value'")))?;
        let text = exact_text(v).map_err(|e| err(format!("{at}: {e}")))?;
        Ok(parse_rational(&text).expect("exact_text validated it"))
    };
    let letters = |v: Option<&Value>, at: &str, key: &str| -> Result<Vec<u32>> {
        match v {
            Some(Value::Array(items)) => items
                .iter()
                .map(|x| match x {
                    Value::Integer(i) if *i >= 0 && *i <= u32::MAX as i64 => Ok(*i as u32),
                    _ => Err(err(format!(
                        "{at}: '{key}' must list non-negative integers"
                    ))),
                })
                .collect(),
            _ => Err(err(format!("{at}: missing '{key}' (an array of integers)"))),
        }
    };
    let entries = |key: &str| -> Result<Vec<toml::Table>> {
        match table.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Table(t) => Ok(t.clone()),
                    _ => Err(err(format!("{key}[{}] must be a table", i + 1))),
                })
                .collect(),
            Some(_) => Err(err(format!(
                "{key} must be an array of tables ([[expected.{key}]])"
            ))),
        }
    };
    for key in table.keys() {
        if !["pi", "pi_table", "pi_type", "marginal"].contains(&key.as_str()) {
            return Err(err(format!(
                "{key} is not known (pi, pi_table, pi_type, marginal)"
            )));
        }
    }
    let mut expected = Expected::default();
    for (i, entry) in entries("pi")?.iter().enumerate() {
        let at = format!("pi[{}]", i + 1);
        expected.pi.push((
            letters(entry.get("sequence"), &at, "sequence")?,
            number(entry.get("value"), &at)?,
        ));
    }
    for (i, entry) in entries("pi_type")?.iter().enumerate() {
        let at = format!("pi_type[{}]", i + 1);
        expected.pi_type.push((
            letters(entry.get("counts"), &at, "counts")?,
            number(entry.get("value"), &at)?,
        ));
    }
    for (i, entry) in entries("marginal")?.iter().enumerate() {
        let at = format!("marginal[{}]", i + 1);
        let position = match entry.get("position") {
            Some(Value::Integer(p)) if *p >= 1 => *p as usize,
            _ => return Err(err(format!("{at}: 'position' must be an integer >= 1"))),
        };
        let letter = match entry.get("letter") {
            Some(Value::Integer(l)) if *l >= 0 && *l <= u32::MAX as i64 => *l as u32,
            _ => {
                return Err(err(format!(
                    "{at}: 'letter' must be a non-negative integer"
                )))
            }
        };
        expected
            .marginal
            .push((position, letter, number(entry.get("value"), &at)?));
    }
    // pi_table: rows y_2, columns y_1, as 003 prints its Table 1 (m = 2 only).
    if let Some(rows) = table.get("pi_table") {
        let Value::Array(rows) = rows else {
            return Err(err("pi_table must be an array of rows".into()));
        };
        for (y2, row) in rows.iter().enumerate() {
            let Value::Array(cells) = row else {
                return Err(err(format!("pi_table row {} must be an array", y2 + 1)));
            };
            for (y1, cell) in cells.iter().enumerate() {
                let at = format!("pi_table[{}][{}]", y2 + 1, y1 + 1);
                expected
                    .pi
                    .push((vec![y1 as u32, y2 as u32], number(Some(cell), &at)?));
            }
        }
    }
    Ok(expected)
}

/// One expected value that the computed law does not reproduce.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub what: String,
    pub expected: Rational,
    /// `None` when the outcome is not in the law at all (wrong length or letters).
    pub computed: Option<Rational>,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.computed {
            Some(c) => write!(f, "{}: expected {}, computed {c}", self.what, self.expected),
            None => write!(
                f,
                "{}: expected {}, but the case has no such outcome",
                self.what, self.expected
            ),
        }
    }
}

impl Expected {
    pub fn is_empty(&self) -> bool {
        self.pi.is_empty() && self.pi_type.is_empty() && self.marginal.is_empty()
    }

    pub fn count(&self) -> usize {
        self.pi.len() + self.pi_type.len() + self.marginal.len()
    }

    /// Compares every expected value with the law; returns the ones that differ.
    pub fn mismatches(&self, table: &LawTable) -> Vec<Mismatch> {
        let label = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        let mut out = Vec::new();
        let mut check = |what: String, expected: &Rational, computed: Option<Rational>| {
            if computed.as_ref() != Some(expected) {
                out.push(Mismatch {
                    what,
                    expected: expected.clone(),
                    computed,
                });
            }
        };
        for (sequence, value) in &self.pi {
            check(
                format!("pi({})", label(sequence)),
                value,
                table.pi_of_sequence(sequence),
            );
        }
        for (counts, value) in &self.pi_type {
            check(
                format!("pi(type [{}])", label(counts)),
                value,
                table.pi_of_type(counts),
            );
        }
        for (position, letter, value) in &self.marginal {
            let computed = (*position <= table.m as usize && (*letter as usize) < table.k)
                .then(|| table.marginal(*position, *letter));
            check(format!("P(y_{position} = {letter})"), value, computed);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_case_with_expected_values() {
        let text = r#"
            name = "t"
            p = ["1/2", "0.5"]
            reward = "additive:0,1"
            m = 2
            n = 3
            [expected]
            pi_table = [["1/8", "3/16"], ["3/16", "1/2"]]
            [[expected.marginal]]
            position = 1
            letter = 1
            value = "11/16"
        "#;
        let spec = CaseSpec::from_toml(text, "t.toml", PathBuf::new()).unwrap();
        assert_eq!(spec.p.as_deref(), Some("1/2,0.5"));
        assert_eq!(spec.expected.pi.len(), 4);
        assert_eq!(spec.expected.pi[1], (vec![1, 0], Rational::from((3, 16))));
        let (case, route) = spec.resolve().unwrap();
        assert_eq!(route, Route::Type);
        assert_eq!(case.n, 3);
    }

    #[test]
    fn refuses_floats_unknown_keys_and_bad_toml() {
        let e = CaseSpec::from_toml("p = [0.5, 0.5]", "c.toml", PathBuf::new())
            .unwrap_err()
            .0;
        assert!(e.contains("TOML float") && e.contains("c.toml"), "{e}");
        let e = CaseSpec::from_toml("pp = \"1\"", "c.toml", PathBuf::new())
            .unwrap_err()
            .0;
        assert!(e.contains("'pp' is not a case-file key"), "{e}");
        let e = CaseSpec::from_toml("p = [\"1\"\nm = 2", "c.toml", PathBuf::new())
            .unwrap_err()
            .0;
        assert!(e.contains("malformed TOML"), "{e}");
    }

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
