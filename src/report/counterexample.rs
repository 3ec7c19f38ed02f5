//! Search, exhaust and recheck results: a one-screen text summary, JSON for scripts, and the
//! counterexample files a reviewer can re-check (`counterexample.json` uses case-file keys, so
//! its `case` can be pasted into a case file or fed to `bestofn recheck`).

use std::fmt::Write;

use serde_json::{json, Value as Json};

use crate::casefile::{CaseFile, ExpectedVerdict};
use crate::claims::expr::Declaration;
use crate::claims::ClaimResult;
use crate::error::{InputError, Result};
use crate::report::certificate::GridRecord;
use crate::report::claims::{result_json, result_markdown};
use crate::report::schema::Schema;
use crate::search::exhaust::ExhaustOutcome;
use crate::search::recheck::Recheck;
use crate::search::{SearchOutcome, Tally};
use crate::spec::CaseSpec;

/// A spec as JSON: the one shape of [`CaseRecord`](crate::report::case_record::CaseRecord).
pub fn case_json(spec: &CaseSpec) -> Json {
    crate::report::case_record::CaseRecord::from_spec(spec).to_json()
}

/// The flags that reproduce a spec on the command line.
pub fn case_flags(spec: &CaseSpec) -> String {
    let mut out = String::new();
    for (flag, value) in [
        ("p", &spec.p),
        ("reward", &spec.reward),
        ("true-reward", &spec.true_reward),
        ("q", &spec.q),
        ("tie-break", &spec.tie_break),
        ("alpha", &spec.alpha),
        ("beta", &spec.beta),
        ("delta", &spec.delta),
    ] {
        if let Some(v) = value {
            write!(out, " --{flag} {v}").unwrap();
        }
    }
    for (flag, value) in [("m", spec.m.map(u64::from)), ("n", spec.n)] {
        if let Some(v) = value {
            write!(out, " --{flag} {v}").unwrap();
        }
    }
    out.trim_start().to_string()
}

/// What a counterexample file records about how it was found.
pub struct Provenance<'a> {
    /// The command that found it (`bestofn search`).
    pub command: &'a str,
    /// The seed of a search.
    pub seed: Option<u64>,
    /// The case index in the search or the grid.
    pub index: u64,
    /// The grid of an exhaustive run, spelled out.
    pub grid: Option<&'a str>,
}

/// `--claim ID` for a catalogue claim, `--assert 'ID: EXPR'` for a user claim, so the printed
/// command replays in a fresh process.
pub fn claim_flag(claim: &crate::claims::Claim) -> String {
    match claim.user() {
        Some(user) => format!("--assert '{}: {}'", claim.id, user.expression.text),
        None => format!("--claim {}", claim.id),
    }
}

/// The command that decides `result`'s claim again on `spec`, in a fresh process:
/// `bestofn check --p ... --claim ID [--without-hypothesis H]`.
pub fn replay_command(spec: &CaseSpec, result: &ClaimResult) -> String {
    format!(
        "bestofn check {} {}{}",
        case_flags(spec),
        claim_flag(&result.claim),
        result
            .dropped
            .map(|h| format!(" --without-hypothesis {h}"))
            .unwrap_or_default()
    )
}

/// `counterexample.json`: the minimal case, its verdict with evidence, and the original.
pub fn counterexample_json(
    provenance: &Provenance,
    original: (&CaseSpec, &ClaimResult),
    minimal: (&CaseSpec, &ClaimResult),
) -> Json {
    let claim = &minimal.1.claim;
    let mut out = Schema::Counterexample.stamp(json!({
        "claim": claim.id,
        "source": claim.source,
        "statement": claim.statement,
        "without_hypothesis": minimal.1.dropped,
        "verdict": minimal.1.verdict.name(),
        "case": case_json(minimal.0),
        "result": result_json(minimal.1),
        "found_by": {
            "command": provenance.command,
            "seed": provenance.seed,
            "case_index": provenance.index,
            "grid": provenance.grid,
        },
        "original": {
            "case": case_json(original.0),
            "result": result_json(original.1),
        },
    }));
    if let Some(text) = claim.expression() {
        // The statement in the claim language (helpers expanded): a user claim is re-derived
        // from it, so recheck needs nothing but this file.
        out["expression"] = json!(text);
    }
    out
}

/// `counterexample.toml`: the minimal case as a case file whose `[expected_verdicts]` state the
/// verdict found, so that `bestofn check counterexample.toml` replays it (exit 0 while the
/// claim still fails there), and a copy in `cases/` makes it a test of the suite. A claim of
/// the claim language travels as a `[[claim]]` table with its expanded statement.
pub fn counterexample_toml(provenance: &Provenance, minimal: (&CaseSpec, &ClaimResult)) -> String {
    let (spec, result) = minimal;
    let claim = &result.claim;
    let found = match (provenance.seed, provenance.grid) {
        (Some(seed), _) => format!(
            "{} --seed {seed}, case {}",
            provenance.command, provenance.index
        ),
        (None, Some(grid)) => format!(
            "{} over {grid}, case {}",
            provenance.command, provenance.index
        ),
        (None, None) => format!("{}, case {}", provenance.command, provenance.index),
    };
    let mut spec = spec.clone();
    spec.name
        .get_or_insert_with(|| format!("counterexample to {}", claim.id));
    spec.source.get_or_insert_with(|| {
        format!("found by {found}; re-check with bestofn recheck counterexample.json")
    });
    // The verdict is stated under `[expected_verdicts.without.H]` when a hypothesis was
    // dropped, and check decides such a claim without H: the plain command replays it.
    let mut out =
        "# Replay: bestofn check counterexample.toml (exit 0 while the claim still fails\n\
         # here); copied into cases/, the test suite replays it.\n"
            .to_string();
    let claims = claim
        .user()
        .map(|user| Declaration {
            id: claim.id.to_string(),
            statement: user.expression.text.clone(),
            source: Some(claim.source.to_string()),
            notes: None,
            hypotheses: crate::claims::expr::declared_hypotheses(claim)
                .into_iter()
                .map(str::to_string)
                .collect(),
            origin: String::new(),
        })
        .into_iter()
        .collect();
    let file = CaseFile {
        spec,
        expected_verdicts: vec![ExpectedVerdict {
            claim: claim.id.to_string(),
            without: result.dropped.map(str::to_string),
            verdict: result.verdict.name().into(),
        }],
        claims,
        ..Default::default()
    };
    out.push_str(&crate::casefile::write_case_file(&file));
    out
}

/// `counterexample.md`: a readable account of the same.
pub fn counterexample_markdown(
    provenance: &Provenance,
    original: (&CaseSpec, &ClaimResult),
    minimal: (&CaseSpec, &ClaimResult),
) -> String {
    let claim = &minimal.1.claim;
    let mut out = String::new();
    writeln!(out, "# Counterexample to `{}`\n", claim.id).unwrap();
    writeln!(out, "> {}\n", claim.statement).unwrap();
    writeln!(out, "Source: {}.\n", claim.source).unwrap();
    if let Some(h) = minimal.1.dropped {
        writeln!(
            out,
            "Evaluated **without** its hypothesis `{h}`: this shows the hypothesis is needed.\n"
        )
        .unwrap();
    }
    writeln!(out, "## The case (shrunk)\n").unwrap();
    writeln!(
        out,
        "```toml\n{}```\n",
        crate::casefile::write_case(minimal.0)
    )
    .unwrap();
    writeln!(
        out,
        "Re-check: `{}` or `bestofn recheck counterexample.json`.\n",
        replay_command(minimal.0, minimal.1)
    )
    .unwrap();
    writeln!(out, "## Why it fails: **{}**\n", minimal.1.verdict.name()).unwrap();
    out.push_str(&result_markdown(claim, minimal.1));
    writeln!(
        out,
        "\nExact values are rationals in lowest terms; enclosures `[lo, hi]` are MPFR intervals \
         with outward (directed) rounding at the stated precision, so the true value lies inside; a \
         comparison is certified when the enclosures are disjoint.\n"
    )
    .unwrap();
    writeln!(out, "## How it was found\n").unwrap();
    match (provenance.seed, provenance.grid) {
        (Some(seed), _) => writeln!(
            out,
            "`{}` with seed {seed}: generated case number {}.",
            provenance.command, provenance.index
        ),
        (None, Some(grid)) => writeln!(
            out,
            "`{}`, case number {} of the grid: {grid}.",
            provenance.command, provenance.index
        ),
        _ => writeln!(out, "`{}`.", provenance.command),
    }
    .unwrap();
    writeln!(out, "\nThe original case, before shrinking:\n").unwrap();
    writeln!(
        out,
        "```toml\n{}```\n",
        crate::casefile::write_case(original.0)
    )
    .unwrap();
    out.push_str(&result_markdown(claim, original.1));
    out
}

/// Reads a `counterexample.json`: the case, the claim, the dropped hypothesis, the verdict.
/// A counterexample.json as read back: the case, the claim, the dropped hypothesis, the
/// recorded verdict, and the whole document (to compare the recorded evidence with).
pub type RecordedCounterexample = (CaseSpec, String, Option<String>, String, Json);

/// Reads a counterexample.json back: the case, the claim, the dropped hypothesis, the verdict and the record.
pub fn parse_counterexample(text: &str, origin: &str) -> Result<RecordedCounterexample> {
    let value: Json = serde_json::from_str(text)
        .map_err(|e| InputError::malformed(format!("{origin}: not JSON: {e}")))?;
    let field = |key: &str| {
        value
            .get(key)
            .and_then(Json::as_str)
            .map(str::to_string)
            .ok_or_else(|| InputError::new(format!("{origin}: missing string field '{key}'")))
    };
    let claim = field("claim")?;
    let verdict = field("verdict")?;
    let dropped = value
        .get("without_hypothesis")
        .and_then(Json::as_str)
        .map(str::to_string);
    let spec = parse_case_object(value.get("case"), "case", origin)?;
    Ok((spec, claim, dropped, verdict, value))
}

/// A case object of a report (`case`, `original.case`: case-file keys) as a spec; `key` names
/// it in errors.
pub fn parse_case_object(case: Option<&Json>, field: &str, origin: &str) -> Result<CaseSpec> {
    let object = case
        .and_then(Json::as_object)
        .ok_or_else(|| InputError::new(format!("{origin}: missing object '{field}'")))?;
    // The one shape (p a list, the reward an object) of every output since schema /1.
    let flat = object.get("p").is_some_and(Json::is_string)
        || object.get("reward").is_some_and(Json::is_string);
    if !flat {
        let record: crate::report::case_record::CaseRecord =
            serde_json::from_value(case.cloned().unwrap_or_default())
                .map_err(|e| InputError::new(format!("{origin}: {field}: {e}")))?;
        let mut spec = record.to_spec();
        spec.base_dir = std::path::PathBuf::from(".");
        return Ok(spec);
    }
    let case = object;
    // The older flat shape uses case-file keys: write it as case-file TOML and read it as one.
    let mut table = toml::Table::new();
    for (key, v) in case {
        let item = match v {
            Json::String(s) => toml::Value::String(s.clone()),
            Json::Number(n) if n.is_u64() => toml::Value::Integer(n.as_u64().unwrap() as i64),
            other => {
                return Err(InputError::new(format!(
                "{origin}: {field}.{key} = {other} is neither a string nor a non-negative integer"
            )))
            }
        };
        table.insert(key.clone(), item);
    }
    let spec = crate::casefile::CaseFile::parse(
        &toml::to_string(&table).expect("strings and integers"),
        &format!("{origin} ({field})"),
        std::path::PathBuf::from("."),
    )?
    .spec;
    Ok(spec)
}

/// Where a counterexample.json's recorded text differs from what re-deciding its case gives:
/// the claim's statement and source, the verdict (top level and in the result), and every
/// evidence item (exact values must be equal; enclosures, recomputed at another precision,
/// must overlap the recorded ones). An empty list means the record is what the case gives.
pub fn record_differences(recorded: &Json, recomputed: &ClaimResult) -> Vec<String> {
    let mut out = Vec::new();
    let text = |v: &Json, key: &str| v.get(key).and_then(Json::as_str).map(str::to_string);
    let claim = &recomputed.claim;
    if claim.user().is_some() {
        // A user claim is re-derived from its recorded expression (its statement as written
        // may use helpers the report does not carry, its source is the user's words).
        if text(recorded, "expression").as_deref() != claim.expression() {
            out.push(format!(
                "'expression' is not the statement re-derived for {}",
                claim.id
            ));
        }
    } else {
        for (key, expected) in [("statement", &claim.statement), ("source", &claim.source)] {
            if text(recorded, key).as_deref() != Some(expected.as_ref()) {
                out.push(format!(
                    "'{key}' is not the catalogue's text for {}",
                    claim.id
                ));
            }
        }
    }
    out.extend(result_differences("", recorded, recomputed));
    out
}

/// Where a recorded verdict and result (the top level of a counterexample.json, or its
/// `original` section) differ from re-deciding its case; field names carry `prefix`.
pub fn result_differences(prefix: &str, recorded: &Json, recomputed: &ClaimResult) -> Vec<String> {
    let mut out = Vec::new();
    let text = |v: &Json, key: &str| v.get(key).and_then(Json::as_str).map(str::to_string);
    let fresh = result_json(recomputed);
    let Some(result) = recorded.get("result") else {
        out.push(format!("no recorded '{prefix}result' to compare with"));
        return out;
    };
    let mut verdicts = vec![(format!("{prefix}result.verdict"), text(result, "verdict"))];
    if prefix.is_empty() {
        verdicts.insert(0, ("verdict".to_string(), text(recorded, "verdict")));
    }
    for (what, got) in verdicts {
        if got.as_deref() != Some(recomputed.verdict.name()) {
            out.push(format!(
                "'{what}' is {} but the case gives {}",
                got.unwrap_or_else(|| "missing".into()),
                recomputed.verdict.name()
            ));
        }
    }
    let empty = serde_json::Map::new();
    let recorded_items = result
        .get("evidence")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let fresh_items = fresh["evidence"].as_object().cloned().unwrap_or_default();
    // Bracket ends (`X lower end`, `X upper end`) come from a bisection whose stopping point
    // may move with the precision: a pair is consistent when the two brackets overlap.
    let bracket_of = |items: &serde_json::Map<String, Json>, name: &str| {
        let prefix = name
            .strip_suffix(" lower end")
            .or_else(|| name.strip_suffix(" upper end"))?;
        let end = |which: &str| {
            items
                .get(&format!("{prefix} {which} end"))
                .and_then(Json::as_str)
                .and_then(|t| crate::exact::parse_rational(t).ok())
        };
        Some((end("lower")?, end("upper")?))
    };
    for (name, value) in &fresh_items {
        if let (Some((a_lo, a_hi)), Some((b_lo, b_hi))) = (
            bracket_of(recorded_items, name),
            bracket_of(&fresh_items, name),
        ) {
            if !(a_lo <= b_hi && b_lo <= a_hi && a_lo <= a_hi) {
                out.push(format!(
                    "{prefix}evidence '{name}': the recorded bracket [{a_lo}, {a_hi}] does not meet the recomputed [{b_lo}, {b_hi}]"
                ));
            }
            continue;
        }
        match recorded_items.get(name) {
            None => out.push(format!(
                "{prefix}evidence '{name}' is missing from the record"
            )),
            Some(old) if !same_value(old, value) => out.push(format!(
                "{prefix}evidence '{name}': recorded {}, recomputed {}",
                shorten(&old.to_string()),
                shorten(&value.to_string())
            )),
            Some(_) => {}
        }
    }
    for name in recorded_items.keys() {
        if !fresh_items.contains_key(name) {
            out.push(format!(
                "{prefix}evidence '{name}' is recorded but the case gives no such item"
            ));
        }
    }
    out
}

/// Exact values equal; enclosures `{lo, hi, prec}` consistent: overlapping (both contain the
/// true value) and no wider than the recorded precision explains, so a widened end is caught.
/// The allowance is generous: 4 times the fresh width scaled to the recorded precision, plus
/// 2^(8 - prec) relative.
fn same_value(recorded: &Json, fresh: &Json) -> bool {
    use rug::Rational;
    let ends = |v: &Json| -> Option<(Rational, Rational, u32)> {
        let lo = crate::exact::parse_rational(v.get("lo")?.as_str()?).ok()?;
        let hi = crate::exact::parse_rational(v.get("hi")?.as_str()?).ok()?;
        let prec = v.get("prec")?.as_u64()?.min(1 << 20) as u32;
        Some((lo, hi, prec))
    };
    match (ends(recorded), ends(fresh)) {
        (Some((a_lo, a_hi, a_prec)), Some((b_lo, b_hi, b_prec))) => {
            if !(a_lo <= b_hi && b_lo <= a_hi && a_lo <= a_hi) {
                return false;
            }
            let scale = Rational::from(rug::Integer::from(1) << b_prec.saturating_sub(a_prec));
            let magnitude = [&b_lo, &b_hi]
                .iter()
                .map(|x| Rational::from(x.abs_ref()))
                .max()
                .unwrap_or_default()
                .max(Rational::from(1));
            let relative = Rational::from((1, rug::Integer::from(1) << a_prec.saturating_sub(8)));
            let allowance = Rational::from(&b_hi - &b_lo) * 4 * scale + magnitude * relative;
            Rational::from(&a_hi - &a_lo) <= allowance
        }
        (None, None) => recorded == fresh,
        _ => false,
    }
}

fn shorten(text: &str) -> String {
    crate::error::elide(text, 80, 60)
}

/// The search in a few lines.
pub fn search_text(outcome: &SearchOutcome, seed: u64) -> String {
    let mut out = String::new();
    let rate = outcome.cases as f64 / outcome.elapsed.as_secs_f64().max(1e-9);
    writeln!(
        out,
        "searched {} cases in {:.2} s ({:.0} cases/s), seed {seed}",
        outcome.cases,
        outcome.elapsed.as_secs_f64(),
        rate
    )
    .unwrap();
    for (claim, t) in &outcome.tallies {
        writeln!(
            out,
            "  {claim}: {} hold, {} fail, {} undecided{}, {} not applicable{}",
            t.holds,
            t.fails,
            t.undecided,
            undefined_part(t),
            t.not_applicable,
            if t.measured > 0 {
                format!(", {} measured (evidence, not proof)", t.measured)
            } else {
                String::new()
            }
        )
        .unwrap();
    }
    for (claim, t) in &outcome.tallies {
        if t.applicable() == 0 {
            writeln!(out, "  {claim}: {}", nothing_applied(t)).unwrap();
        }
    }
    for u in outcome.undecided.iter().take(3) {
        writeln!(
            out,
            "  {}: {} on {}",
            u.result.verdict.name(),
            u.result.claim.id,
            case_flags(&u.spec)
        )
        .unwrap();
    }
    out
}

/// `search --json`: seed, cases, time, tallies, counterexamples, undecided cases.
pub fn search_json(outcome: &SearchOutcome, seed: u64, counterexamples: Vec<Json>) -> Json {
    Schema::Search.stamp(json!({
        "seed": seed,
        "cases": outcome.cases,
        "seconds": outcome.elapsed.as_secs_f64(),
        "tallies": outcome.tallies.iter().map(|(c, t)| {
            let mut tally = json!({"claim": c});
            tally.as_object_mut().expect("an object").extend(tally_fields(t));
            tally
        }).collect::<Vec<_>>(),
        "counterexamples": counterexamples,
        // Every counterexample found (with --all, all of them; unshrunk, in index order).
        "found": outcome.found.iter().map(|f| json!({
            "claim": f.result.claim.id, "case_index": f.index, "case": case_json(&f.spec), "result": result_json(&f.result),
        })).collect::<Vec<_>>(),
        "undecided": outcome.undecided.iter().map(|u| json!({
            "claim": u.result.claim.id, "case": case_json(&u.spec), "result": result_json(&u.result),
        })).collect::<Vec<_>>(),
    }))
}

/// Why a run certified nothing: the claim applied to none of its cases.
pub fn nothing_applied(t: &Tally) -> String {
    match &t.first_not_applicable {
        Some((hypothesis, reason)) => format!(
            "NOTHING CHECKED: the claim applied to none of the {} cases (hypothesis {hypothesis}: {reason})",
            t.not_applicable
        ),
        None => "NOTHING CHECKED: no case was decided".to_string(),
    }
}

/// ` (N undefined)` when some undecided cases are undefined ones.
fn undefined_part(t: &crate::search::Tally) -> String {
    match t.undefined {
        0 => String::new(),
        n => format!(" ({n} of them undefined)"),
    }
}

/// An exhaustive run's outcome for people.
pub fn exhaust_text(outcome: &ExhaustOutcome, claim: &str) -> String {
    let mut out = String::new();
    let t = &outcome.tally;
    match &outcome.counterexample {
        None if t.applicable() == 0 => writeln!(out, "{claim}: {}", nothing_applied(t)),
        None => writeln!(
            out,
            "{claim}: holds on all {} applicable cases of the grid ({} cases: {} hold, {} undecided{}, {} not applicable) in {:.2} s",
            t.holds,
            outcome.cases,
            t.holds,
            t.undecided,
            undefined_part(t),
            t.not_applicable,
            outcome.elapsed.as_secs_f64()
        ),
        Some(found) => writeln!(
            out,
            "{claim}: FAILS on grid case {} (after {} cases in {:.2} s)",
            found.index,
            outcome.cases,
            outcome.elapsed.as_secs_f64()
        ),
    }
    .unwrap();
    if t.undecided > 0 && outcome.counterexample.is_none() {
        writeln!(
            out,
            "  not certified everywhere: {} cases undecided",
            t.undecided
        )
        .unwrap();
    }
    writeln!(out, "grid: {}", outcome.grid).unwrap();
    out
}

/// `exhaust --json`: the grid (the record a certificate would carry), the counts per verdict,
/// the first counterexample.
pub fn exhaust_json(
    outcome: &ExhaustOutcome,
    claim: &str,
    grid: &GridRecord,
    counterexample: Option<Json>,
) -> Json {
    Schema::Exhaust.stamp(json!({
        "claim": claim,
        "grid": grid,
        "cases": outcome.cases,
        "counts": tally_fields(&outcome.tally),
        "seconds": outcome.elapsed.as_secs_f64(),
        "certified": outcome.certified(),
        "counterexample": counterexample,
    }))
}

/// A tally's counts per verdict.
fn tally_fields(t: &Tally) -> serde_json::Map<String, Json> {
    let counts = [
        ("holds", t.holds),
        ("fails", t.fails),
        ("undecided", t.undecided),
        ("undefined", t.undefined),
        ("not_applicable", t.not_applicable),
        ("measured", t.measured),
    ];
    counts
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect()
}

/// A recheck's account: CONFIRMED or REJECTED, with every difference.
pub fn recheck_text(recheck: &Recheck, differences: &[String]) -> String {
    let mut out = String::new();
    if recheck.law_disagreements.is_empty() {
        writeln!(
            out,
            "law: the num-rational backend agrees exactly with the GMP engine on all {} outcomes",
            recheck.outcomes
        )
        .unwrap();
    } else {
        writeln!(
            out,
            "law: the backends DISAGREE on {} outcomes:",
            recheck.law_disagreements.len()
        )
        .unwrap();
        for line in recheck.law_disagreements.iter().take(10) {
            writeln!(out, "  {line}").unwrap();
        }
    }
    writeln!(
        out,
        "claim {}: re-decided {} (recorded: {})",
        recheck.result.claim.id,
        recheck.result.verdict.name(),
        recheck.recorded_verdict
    )
    .unwrap();
    if differences.is_empty() {
        writeln!(
            out,
            "record: statement, source, verdict and every evidence item match the re-derivation"
        )
        .unwrap();
    } else {
        writeln!(
            out,
            "record: {} differences from the re-derivation (edited or corrupted):",
            differences.len()
        )
        .unwrap();
        for d in differences {
            writeln!(out, "  {d}").unwrap();
        }
    }
    writeln!(
        out,
        "{}",
        if recheck.confirmed && differences.is_empty() {
            "CONFIRMED"
        } else {
            "REJECTED"
        }
    )
    .unwrap();
    out
}
