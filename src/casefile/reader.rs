//! The TOML reader and writer of case files and claims files (the format: docs/case-format.md).

use std::path::{Path, PathBuf};

use rug::Rational;
use toml::Value;

use super::values::Expected;
use super::verdicts::{self, ExpectedVerdict};
use super::CaseFile;
use crate::claims::expr::{Declaration, Define};
use crate::claims::VERDICT_NAMES;
use crate::compare::FAILURE_KINDS;
use crate::error::{InputError, Result};
use crate::exact::parse_rational;
use crate::float::Arith;
use crate::spec::CaseSpec;

const TOP_KEYS: &[&str] = &[
    "name",
    "source",
    "notes",
    "p",
    "reward",
    "true_reward",
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

/// Reads a TOML case file.
pub fn read_case_file(path: &Path) -> Result<CaseFile> {
    let text = crate::io::read_text(path, "case file")?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse_case_file(&text, &path.display().to_string(), base_dir)
}

/// Parses case-file text; `origin` names it in errors, `base_dir` resolves relative paths.
pub fn parse_case_file(text: &str, origin: &str, base_dir: PathBuf) -> Result<CaseFile> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let message = e.message().to_string();
        let at = e
            .span()
            .map(|span| format!(" (line {})", text[..span.start].lines().count().max(1)))
            .unwrap_or_default();
        InputError::malformed(format!("{origin}: malformed TOML{at}: {message}"))
    })?;
    let err = |key: &str, what: &str| InputError::new(format!("{origin}: '{key}' {what}"));
    for key in table.keys() {
        if !TOP_KEYS.contains(&key.as_str()) {
            return Err(InputError::unknown(format!(
                "{origin}: '{key}' is not a case-file key (known: {})",
                TOP_KEYS.join(", ")
            )));
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
                        exact_text(v).map_err(|what| err(key, &format!("entry {}: {what}", i + 1)))
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
    let (claims, defines) = claim_tables(&table, origin, &[])?;
    let expected_verdicts = match table.get("expected_verdicts") {
        None => Vec::new(),
        Some(Value::Table(t)) => parse_expected_verdicts(t, origin, &claims)?,
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
                        Value::String(s) if FAILURE_KINDS.contains(&s.as_str()) => Ok(s.clone()),
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
    let spec = CaseSpec {
        name: string("name")?,
        source: string("source")?,
        p,
        reward: string("reward")?,
        true_reward: string("true_reward")?,
        m,
        n: integer("n")?,
        tie_break: string("tie_break")?,
        by: string("by")?,
        q: list("q")?,
        alpha: number_text("alpha")?,
        beta: number_text("beta")?,
        delta: number_text("delta")?,
        base_dir,
        // A run setting (the --max-bits flag), never a case file's.
        budget: None,
    };
    Ok(CaseFile {
        spec,
        expected,
        expected_verdicts,
        expected_compare,
        claims,
        defines,
    })
}

/// A spec as case-file text (the keys `bestofn check` reads; expected values omitted).
pub fn write_case(spec: &CaseSpec) -> String {
    let mut table = toml::Table::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            table.insert(key.to_string(), v);
        }
    };
    let text = |v: &Option<String>| v.clone().map(Value::String);
    put("name", text(&spec.name));
    put("source", text(&spec.source));
    put("p", text(&spec.p));
    put("reward", text(&spec.reward));
    put("true_reward", text(&spec.true_reward));
    put("q", text(&spec.q));
    put("m", spec.m.map(|m| Value::Integer(m.into())));
    put("n", spec.n.map(|n| Value::Integer(n as i64)));
    put("tie_break", text(&spec.tie_break));
    put("alpha", text(&spec.alpha));
    put("beta", text(&spec.beta));
    put("delta", text(&spec.delta));
    toml::to_string(&table).expect("strings and integers serialise")
}

/// A case file as text: the spec's keys, then its `[expected_verdicts]` (plain entries, and
/// `[expected_verdicts.without.H]` tables) and its `[[claim]]` tables, so that
/// [`CaseFile::parse`] reads back the same verdicts and claims. (`[expected]` values and
/// `[expected_compare]` are not written: nothing writes them yet.)
pub fn write_case_file(file: &CaseFile) -> String {
    let mut out = write_case(&file.spec);
    let mut table = toml::Table::new();
    let mut plain = toml::Table::new();
    let mut without = toml::Table::new();
    for e in &file.expected_verdicts {
        let verdict = Value::String(e.verdict.clone());
        match &e.without {
            None => {
                plain.insert(e.claim.clone(), verdict);
            }
            Some(h) => {
                let entry = without
                    .entry(h.clone())
                    .or_insert_with(|| Value::Table(toml::Table::new()));
                if let Value::Table(t) = entry {
                    t.insert(e.claim.clone(), verdict);
                }
            }
        }
    }
    if !without.is_empty() {
        plain.insert("without".into(), Value::Table(without));
    }
    if !plain.is_empty() {
        table.insert("expected_verdicts".into(), Value::Table(plain));
    }
    let declared: Vec<Value> = file
        .claims
        .iter()
        .map(|d| {
            let mut t = toml::Table::new();
            t.insert("id".into(), Value::String(d.id.clone()));
            t.insert("statement".into(), Value::String(d.statement.clone()));
            for (key, value) in [("source", &d.source), ("notes", &d.notes)] {
                if let Some(v) = value {
                    t.insert(key.into(), Value::String(v.clone()));
                }
            }
            let hypotheses = d.hypotheses.iter().cloned().map(Value::String).collect();
            t.insert("hypotheses".into(), Value::Array(hypotheses));
            Value::Table(t)
        })
        .collect();
    if !declared.is_empty() {
        table.insert("claim".into(), Value::Array(declared));
    }
    if !table.is_empty() {
        out.push('\n');
        out.push_str(&toml::to_string(&table).expect("strings and tables serialise"));
    }
    out
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

/// Reads a claims file: its `[[claim]]` tables and `[define]` helpers.
pub fn read_claims_file(path: &Path) -> Result<(Vec<Declaration>, Vec<Define>)> {
    let doc = read_claims_document(path)?;
    Ok((doc.claims, doc.defines))
}

/// What a claims file holds (the format: docs/case-format.md, "Claims files"): the claims
/// and helpers, and for a paper's file (`examples/claims/`) its title, which items of the
/// literature list each claim states, what the paper says of it, and the statements the
/// language cannot state, with the reason.
#[derive(Debug, Clone, Default)]
pub struct ClaimsDocument {
    /// `title`: the paper, for the literature page.
    pub title: Option<String>,
    /// The `[[claim]]` tables.
    pub claims: Vec<Declaration>,
    /// `[define]` helpers.
    pub defines: Vec<Define>,
    /// Per claim (same order as `claims`): its literature items and expectation.
    pub literature: Vec<LiteratureClaim>,
    /// `[[not_expressible]]` tables.
    pub not_expressible: Vec<NotExpressible>,
}

/// What a claim of a paper's file adds to the claim: where it sits in the literature list
/// and whether the paper asserts it or refutes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiteratureClaim {
    /// `items = [1, 65]`: the numbers of the statements of the literature list it states.
    pub items: Vec<u32>,
    /// `expected = "fails"`: the statement is known false (the paper itself or later work
    /// shows it: a formula corrected, a misprint); a refutation then confirms what is known.
    pub known_false: bool,
    /// `assumes = "a continuous reward"`: a hypothesis of the paper that no finite discrete
    /// case meets; a failure on the discrete cases is then outside the paper's hypotheses.
    pub assumes: Option<String>,
}

/// A statement of the literature the claim language cannot state, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotExpressible {
    /// Its number in the literature list.
    pub item: u32,
    /// Where it comes from.
    pub source: String,
    /// The statement, as the paper gives it.
    pub statement: String,
    /// What the language lacks.
    pub reason: String,
}

const CLAIMS_FILE_KEYS: &[&str] = &["title", "claim", "define", "not_expressible"];

/// Reads a claims file with everything it may hold ([`ClaimsDocument`]).
pub fn read_claims_document(path: &Path) -> Result<ClaimsDocument> {
    let origin = path.display().to_string();
    let text = crate::io::read_text(path, "claims file")?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        InputError::malformed(format!("{origin}: malformed TOML: {}", e.message()))
    })?;
    for key in table.keys() {
        if !CLAIMS_FILE_KEYS.contains(&key.as_str()) {
            return Err(InputError::new(format!(
                "{origin}: '{key}' is not a claims-file key (known: {})",
                CLAIMS_FILE_KEYS.join(", ")
            )));
        }
    }
    let title = match table.get("title") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return Err(InputError::new(format!(
                "{origin}: 'title' must be a string"
            )))
        }
    };
    let (claims, defines) = claim_tables(&table, &origin, LITERATURE_CLAIM_KEYS)?;
    if claims.is_empty() {
        return Err(InputError::new(format!("{origin}: no [[claim]] tables")));
    }
    let mut literature = Vec::new();
    if let Some(Value::Array(items)) = table.get("claim") {
        for (i, item) in items.iter().enumerate() {
            let at = format!("{origin}, claim {}", i + 1);
            let t = item.as_table().expect("claim_tables checked the tables");
            literature.push(LiteratureClaim {
                items: match t.get("items") {
                    None => Vec::new(),
                    Some(v) => item_numbers(v)
                        .ok_or_else(|| InputError::new(format!("{at}: 'items' must be an array of positive integers")))?,
                },
                assumes: match t.get("assumes") {
                    None => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err(InputError::new(format!("{at}: 'assumes' must be a string"))),
                },
                known_false: match t.get("expected") {
                    None => false,
                    Some(Value::String(s)) if s == "holds" => false,
                    Some(Value::String(s)) if s == "fails" => true,
                    Some(_) => {
                        return Err(InputError::new(format!(
                            "{at}: 'expected' must be \"holds\" (the paper asserts it) or \"fails\" (it is known false)"
                        )))
                    }
                },
            });
        }
    }
    let mut not_expressible = Vec::new();
    match table.get("not_expressible") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("{origin}, not_expressible {}", i + 1);
                let Value::Table(t) = item else {
                    return Err(InputError::new(format!(
                        "{at} must be a table ([[not_expressible]])"
                    )));
                };
                for key in t.keys() {
                    if !["item", "source", "statement", "reason"].contains(&key.as_str()) {
                        return Err(InputError::new(format!(
                            "{at}: '{key}' is not a not_expressible key (known: item, source, statement, reason)"
                        )));
                    }
                }
                let text = |key: &str| -> Result<String> {
                    match t.get(key) {
                        Some(Value::String(s)) => Ok(s.clone()),
                        Some(_) => Err(InputError::new(format!("{at}: '{key}' must be a string"))),
                        None => Err(InputError::new(format!("{at}: missing '{key}'"))),
                    }
                };
                let item = match t.get("item") {
                    Some(Value::Integer(n)) if *n >= 1 && *n <= i64::from(u32::MAX) => *n as u32,
                    _ => {
                        return Err(InputError::new(format!(
                            "{at}: 'item' must be a positive integer"
                        )))
                    }
                };
                not_expressible.push(NotExpressible {
                    item,
                    source: text("source")?,
                    statement: text("statement")?,
                    reason: text("reason")?,
                });
            }
        }
        Some(_) => {
            return Err(InputError::new(format!(
                "{origin}: 'not_expressible' must be an array of tables ([[not_expressible]])"
            )))
        }
    }
    Ok(ClaimsDocument {
        title,
        claims,
        defines,
        literature,
        not_expressible,
    })
}

/// `[1, 65]` as item numbers; `None` unless every entry is a positive integer.
fn item_numbers(v: &Value) -> Option<Vec<u32>> {
    v.as_array()?
        .iter()
        .map(|x| match x {
            Value::Integer(n) if *n >= 1 && *n <= i64::from(u32::MAX) => Some(*n as u32),
            _ => None,
        })
        .collect()
}

/// The keys of a `[[claim]]` table everywhere.
const CLAIM_KEYS: &[&str] = &["id", "statement", "source", "notes", "hypotheses"];
/// The keys a claims file's `[[claim]]` adds for the literature.
const LITERATURE_CLAIM_KEYS: &[&str] = &["items", "expected", "assumes"];

/// The `[[claim]]` and `[define]` tables of a claims or case file.
fn claim_tables(
    table: &toml::Table,
    origin: &str,
    extra_keys: &[&str],
) -> Result<(Vec<Declaration>, Vec<Define>)> {
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
                defines.push(Define::new(name, text).map_err(|e| err(e.message().to_string()))?);
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
                    if !CLAIM_KEYS.contains(&key.as_str()) && !extra_keys.contains(&key.as_str()) {
                        return Err(InputError::new(format!(
                            "{at}: '{key}' is not a claim key (known: {})",
                            CLAIM_KEYS
                                .iter()
                                .chain(extra_keys)
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
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
fn parse_expected_verdicts(
    table: &toml::Table,
    origin: &str,
    declared: &[Declaration],
) -> Result<Vec<ExpectedVerdict>> {
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
    verdicts::validate(&out, origin, declared)?;
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
