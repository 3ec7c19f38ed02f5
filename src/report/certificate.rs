//! Certificates of exhaustive runs: one JSON file per run or shard, merged into one.
//!
//! A certificate names the grid in full (its flags and its case count, with a hash), the claim
//! (id, statement, source, hypotheses and a hash of that definition), the bestofn version, the
//! index ranges it covers, the verdict counts, every counterexample and undecided case in full
//! (each a `counterexample.json` object that `bestofn recheck` reads), and its timing. A
//! checksum over everything but the timing detects an edited or truncated file, and makes an
//! interrupted-then-resumed run comparable with an uninterrupted one: same checksum.
//!
//! Format `bestofn-certificate/1`:
//! `{format, bestofn_version, claim: {id, statement, source, hypotheses, definition_hash},
//!   grid: {k, m, n, den, values, alpha, beta, delta, without_hypothesis, cases, description},
//!   grid_hash, shard: {index, count} | null, ranges: [[start, end], ...], complete, next,
//!   counts: {holds, fails, undecided, not_applicable, measured}, first_not_applicable,
//!   counterexamples: [...], undecided: [...], timing: {seconds, cases_per_second}, checksum}`.

use std::fmt::Write;
use std::ops::Range;

use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

use crate::claims::Claim;
use crate::error::{InputError, Result};
use crate::report::counterexample::{counterexample_json, Provenance};
use crate::search::exhaust::{ExhaustSettings, Grid, Progress};
use crate::search::{Found, Tally};
use crate::spec::CaseSpec;

/// The format tag every certificate carries.
pub const FORMAT: &str = "bestofn-certificate/1";

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The claim as the certificate names it, with a hash of its definition.
pub fn claim_json(claim: &Claim) -> Json {
    let hypotheses: Vec<&str> = claim.hypotheses.iter().map(|h| h.name).collect();
    let definition = format!(
        "{}\n{}\n{}\n{}\n{}",
        claim.id,
        claim.statement,
        claim.source,
        hypotheses.join(","),
        claim.method.describe()
    );
    json!({
        "id": claim.id,
        "statement": claim.statement,
        "source": claim.source,
        "hypotheses": hypotheses,
        "definition_hash": sha256_hex(&definition),
    })
}

/// The grid's full definition: enough to run it again.
pub fn grid_json(settings: &ExhaustSettings, grid: &Grid) -> Json {
    let range = |r: &std::ops::RangeInclusive<u32>| format!("{}..{}", r.start(), r.end());
    json!({
        "k": range(&settings.k),
        "m": range(&settings.m),
        "n": format!("{}..{}", settings.n.start(), settings.n.end()),
        "den": settings.den,
        "values": settings.values,
        "alpha": settings.alpha,
        "beta": settings.beta,
        "delta": settings.delta,
        "without_hypothesis": settings.dropped,
        "cases": grid.count,
        "description": grid.description,
    })
}

fn found_json(found: &Found, grid: &Grid) -> Json {
    let provenance = Provenance {
        command: "bestofn exhaust",
        seed: None,
        index: found.index,
        grid: Some(&grid.description),
    };
    let pair = (&found.spec, &found.result);
    counterexample_json(&provenance, pair, pair)
}

/// The checksum of a certificate: SHA-256 of its JSON without `timing` and `checksum`.
pub fn checksum(certificate: &Json) -> String {
    let mut body = certificate.clone();
    if let Some(map) = body.as_object_mut() {
        map.remove("timing");
        map.remove("checksum");
    }
    sha256_hex(&body.to_string())
}

fn counts_json(tally: &Tally) -> Json {
    json!({
        "holds": tally.holds,
        "fails": tally.fails,
        "undecided": tally.undecided,
        "not_applicable": tally.not_applicable,
        "measured": tally.measured,
    })
}

/// A certificate (or checkpoint, when `progress.next < range.end`) of one run over `range`.
pub fn certificate(
    settings: &ExhaustSettings,
    grid: &Grid,
    shard: Option<(u64, u64)>,
    range: &Range<u64>,
    progress: &Progress,
) -> Json {
    let grid_def = grid_json(settings, grid);
    let done = progress.next - range.start;
    let seconds = progress.elapsed.as_secs_f64();
    let mut out = json!({
        "format": FORMAT,
        "bestofn_version": env!("CARGO_PKG_VERSION"),
        "claim": claim_json(&settings.claim),
        "grid_hash": sha256_hex(&grid_def.to_string()),
        "grid": grid_def,
        "shard": shard.map(|(index, count)| json!({"index": index, "count": count})),
        "ranges": [[range.start, range.end]],
        "complete": progress.next >= range.end,
        "next": progress.next,
        "counts": counts_json(&progress.tally),
        "first_not_applicable": progress.tally.first_not_applicable.as_ref().map(|(h, r)| json!({"hypothesis": h, "reason": r})),
        "counterexamples": progress.counterexamples.iter().map(|f| found_json(f, grid)).collect::<Vec<_>>(),
        "undecided": progress.undecided.iter().map(|f| found_json(f, grid)).collect::<Vec<_>>(),
        "timing": {
            "seconds": seconds,
            "cases_per_second": if seconds > 0.0 { done as f64 / seconds } else { 0.0 },
        },
    });
    out["checksum"] = json!(checksum(&out));
    out
}

/// Reads a certificate and checks its format and checksum; `origin` names the file.
pub fn read(text: &str, origin: &str) -> Result<Json> {
    let value: Json = serde_json::from_str(text).map_err(|e| {
        InputError::new(format!(
            "{origin}: not a certificate (malformed or truncated JSON: {e})"
        ))
    })?;
    if value.get("format").and_then(Json::as_str) != Some(FORMAT) {
        return Err(InputError::new(format!(
            "{origin}: not a certificate (no \"format\": \"{FORMAT}\")"
        )));
    }
    let recorded = value.get("checksum").and_then(Json::as_str).unwrap_or("");
    if recorded != checksum(&value) {
        return Err(InputError::new(format!(
            "{origin}: the checksum does not match the contents: the certificate was edited or corrupted"
        )));
    }
    Ok(value)
}

/// The progress a checkpoint records, for `settings` over `range`; the recorded
/// counterexamples and undecided cases are re-decided from their cases by `redecide`
/// (deterministic, so the resumed run ends with the same certificate). Refuses a checkpoint
/// of another grid, claim, version or range.
pub fn resume(
    checkpoint: &Json,
    settings: &ExhaustSettings,
    grid: &Grid,
    range: &Range<u64>,
    origin: &str,
    redecide: &dyn Fn(u64, CaseSpec) -> Result<Found>,
) -> Result<Progress> {
    let expected = certificate(settings, grid, None, range, &Progress::default());
    for key in ["bestofn_version", "grid_hash", "claim", "ranges"] {
        if checkpoint.get(key) != expected.get(key) {
            return Err(InputError::new(format!(
                "{origin}: the checkpoint is of another run ('{key}' differs); remove it or give this run another --checkpoint"
            )));
        }
    }
    let number = |v: &Json, key: &str| -> Result<u64> {
        v.get(key)
            .and_then(Json::as_u64)
            .ok_or_else(|| InputError::new(format!("{origin}: checkpoint lacks '{key}'")))
    };
    let counts = checkpoint
        .get("counts")
        .ok_or_else(|| InputError::new(format!("{origin}: checkpoint lacks 'counts'")))?;
    let mut tally = Tally {
        holds: number(counts, "holds")?,
        fails: number(counts, "fails")?,
        undecided: number(counts, "undecided")?,
        // A sub-count of the undecided, recounted from their list below.
        undefined: 0,
        not_applicable: number(counts, "not_applicable")?,
        measured: number(counts, "measured")?,
        first_not_applicable: None,
    };
    if let Some(first) = checkpoint
        .get("first_not_applicable")
        .filter(|v| !v.is_null())
    {
        let text = |key: &str| {
            first
                .get(key)
                .and_then(Json::as_str)
                .unwrap_or("")
                .to_string()
        };
        tally.first_not_applicable = Some((text("hypothesis"), text("reason")));
    }
    let next = number(checkpoint, "next")?;
    if !(range.start..=range.end).contains(&next) {
        return Err(InputError::new(format!(
            "{origin}: checkpoint index {next} is outside the range {}..{}",
            range.start, range.end
        )));
    }
    let list = |key: &str| -> Result<Vec<Found>> {
        let items = checkpoint
            .get(key)
            .and_then(Json::as_array)
            .ok_or_else(|| InputError::new(format!("{origin}: checkpoint lacks '{key}'")))?;
        items
            .iter()
            .map(|item| {
                let index = item
                    .get("found_by")
                    .and_then(|f| f.get("case_index"))
                    .and_then(Json::as_u64)
                    .ok_or_else(|| {
                        InputError::new(format!("{origin}: a checkpoint entry lacks its index"))
                    })?;
                if index >= grid.count {
                    return Err(InputError::new(format!(
                        "{origin}: checkpoint entry index {index} is outside the grid"
                    )));
                }
                redecide(index, grid.case(index))
            })
            .collect()
    };
    let undecided = list("undecided")?;
    tally.undefined = undecided
        .iter()
        .filter(|f| matches!(f.result.verdict, crate::claims::Verdict::Undefined { .. }))
        .count() as u64;
    Ok(Progress {
        next,
        tally,
        counterexamples: list("counterexamples")?,
        undecided,
        elapsed: std::time::Duration::from_secs_f64(
            checkpoint
                .get("timing")
                .and_then(|t| t.get("seconds"))
                .and_then(Json::as_f64)
                .filter(|s| s.is_finite() && *s >= 0.0)
                .unwrap_or(0.0),
        ),
    })
}

/// Merges shard certificates of one grid, claim and version whose ranges cover the grid
/// exactly once; names the files that differ, the gap or the overlap otherwise.
pub fn merge(certificates: &[(String, Json)]) -> Result<Json> {
    let (first_name, first) = certificates
        .first()
        .ok_or_else(|| InputError::new("merge: give at least one certificate"))?;
    for (name, cert) in certificates {
        if cert.get("complete") != Some(&json!(true)) {
            return Err(InputError::new(format!(
                "merge: {name} is incomplete (stopped at case {}); finish that shard first (rerun it with its --checkpoint)",
                cert.get("next").cloned().unwrap_or(Json::Null)
            )));
        }
        for (key, what) in [
            ("bestofn_version", "bestofn version"),
            ("grid_hash", "grid"),
            ("claim", "claim"),
        ] {
            if cert.get(key) != first.get(key) {
                return Err(InputError::new(format!(
                    "merge: {name} and {first_name} are of different {what}s ({key}: {} vs {})",
                    short(cert.get(key)),
                    short(first.get(key))
                )));
            }
        }
    }
    let cases = first["grid"]["cases"]
        .as_u64()
        .ok_or_else(|| InputError::new(format!("merge: {first_name} lacks grid.cases")))?;
    let mut ranges: Vec<(u64, u64, &str)> = Vec::new();
    for (name, cert) in certificates {
        for r in cert["ranges"].as_array().into_iter().flatten() {
            let (Some(a), Some(b)) = (r[0].as_u64(), r[1].as_u64()) else {
                return Err(InputError::new(format!(
                    "merge: {name} has a malformed range"
                )));
            };
            ranges.push((a, b, name));
        }
    }
    ranges.sort();
    let mut covered = 0u64;
    let mut previous = "";
    for &(a, b, name) in &ranges {
        if a > covered {
            return Err(InputError::new(format!(
                "merge: cases {covered}..{a} of the grid's {cases} are in no certificate (a missing shard)"
            )));
        }
        if a < covered {
            return Err(InputError::new(format!(
                "merge: {name} (cases {a}..{b}) overlaps {previous} (up to case {covered}); each case must be counted once"
            )));
        }
        covered = b;
        previous = name;
    }
    if covered != cases {
        return Err(InputError::new(format!(
            "merge: cases {covered}..{cases} of the grid are in no certificate (a missing shard)"
        )));
    }
    let mut counts = [0u64; 5];
    let keys = ["holds", "fails", "undecided", "not_applicable", "measured"];
    let mut counterexamples = Vec::new();
    let mut undecided = Vec::new();
    let mut seconds = 0.0;
    let mut first_not_applicable = Json::Null;
    for (_, cert) in certificates {
        for (slot, key) in counts.iter_mut().zip(keys) {
            *slot += cert["counts"][key].as_u64().unwrap_or(0);
        }
        counterexamples.extend(
            cert["counterexamples"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
        undecided.extend(cert["undecided"].as_array().cloned().unwrap_or_default());
        seconds += cert["timing"]["seconds"].as_f64().unwrap_or(0.0);
        if first_not_applicable.is_null() {
            first_not_applicable = cert["first_not_applicable"].clone();
        }
    }
    let index_of = |v: &Json| v["found_by"]["case_index"].as_u64().unwrap_or(u64::MAX);
    counterexamples.sort_by_key(index_of);
    undecided.sort_by_key(index_of);
    let mut out = json!({
        "format": FORMAT,
        "bestofn_version": first["bestofn_version"],
        "claim": first["claim"],
        "grid_hash": first["grid_hash"],
        "grid": first["grid"],
        "shard": null,
        "merged_from": certificates.len(),
        "ranges": [[0, cases]],
        "complete": true,
        "next": cases,
        "counts": keys.iter().zip(counts).map(|(k, c)| (k.to_string(), json!(c))).collect::<serde_json::Map<_, _>>(),
        "first_not_applicable": first_not_applicable,
        "counterexamples": counterexamples,
        "undecided": undecided,
        "timing": {
            "seconds": seconds,
            "cases_per_second": if seconds > 0.0 { cases as f64 / seconds } else { 0.0 },
        },
    });
    out["checksum"] = json!(checksum(&out));
    Ok(out)
}

fn short(v: Option<&Json>) -> String {
    let text = v.map(Json::to_string).unwrap_or_else(|| "missing".into());
    if text.len() > 60 {
        format!(
            "{}...",
            &text[..text.char_indices().nth(57).map_or(text.len(), |(i, _)| i)]
        )
    } else {
        text
    }
}

/// The one-paragraph statement of a (merged or whole) certificate, in Markdown.
pub fn statement(cert: &Json) -> String {
    let claim = &cert["claim"];
    let counts = &cert["counts"];
    let n = |key: &str| counts[key].as_u64().unwrap_or(0);
    let cases = cert["grid"]["cases"].as_u64().unwrap_or(0);
    let applicable = n("holds") + n("fails") + n("undecided") + n("measured");
    let verdict = if applicable == 0 {
        "**Nothing was checked**: the claim applies to none of these cases".to_string()
    } else if n("fails") > 0 {
        let first = &cert["counterexamples"][0];
        format!(
            "**The claim fails** on {} of them; the first counterexample is grid case {} (`bestofn check {}`)",
            n("fails"),
            first["found_by"]["case_index"],
            crate::report::counterexample::case_flags(&spec_of(&first["case"]))
        )
    } else if n("undecided") > 0 {
        format!(
            "No case refutes the claim, but {} are **undecided** at the precision cap, so it is certified on {} of them only",
            n("undecided"),
            n("holds")
        )
    } else {
        format!("**The claim holds on all {applicable} applicable cases** of this grid")
    };
    format!(
        "bestofn {} checked `{}` ({}: \"{}\") on every one of the {cases} cases of the grid {} \
         (merged from {} certificate(s), {:.1} s of computation): {} hold, {} fail, {} undecided, \
         {} not applicable. {verdict}. Grid hash `{}`, claim definition hash `{}`, checksum `{}`.\n",
        cert["bestofn_version"].as_str().unwrap_or("?"),
        claim["id"].as_str().unwrap_or("?"),
        claim["source"].as_str().unwrap_or("?"),
        claim["statement"].as_str().unwrap_or("?"),
        cert["grid"]["description"].as_str().unwrap_or("?"),
        cert.get("merged_from").and_then(Json::as_u64).unwrap_or(1),
        cert["timing"]["seconds"].as_f64().unwrap_or(0.0),
        n("holds"),
        n("fails"),
        n("undecided"),
        n("not_applicable"),
        cert["grid_hash"].as_str().unwrap_or("?"),
        claim["definition_hash"].as_str().unwrap_or("?"),
        cert["checksum"].as_str().unwrap_or("?"),
    )
}

/// A case-file spec from a certificate's case object (for the replay command).
fn spec_of(case: &Json) -> CaseSpec {
    let text = |key: &str| case.get(key).and_then(Json::as_str).map(str::to_string);
    CaseSpec {
        p: text("p"),
        reward: text("reward"),
        q: text("q"),
        tie_break: text("tie_break"),
        alpha: text("alpha"),
        beta: text("beta"),
        delta: text("delta"),
        m: case.get("m").and_then(Json::as_u64).map(|m| m as u32),
        n: case.get("n").and_then(Json::as_u64),
        ..Default::default()
    }
}
