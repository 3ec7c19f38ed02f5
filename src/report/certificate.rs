//! Certificates of exhaustive runs: one JSON file per run or shard, merged into one.
//!
//! A certificate names the grid in full (its flags and its case count, with a hash), the claim
//! (id, statement, source, hypotheses and a hash of that definition), the bestofn version, the
//! index range it covers, the verdict counts, every counterexample and undecided case in full
//! (each a `counterexample.json` object that `bestofn recheck` reads), and its timing. A
//! checksum over everything but the timing detects an edited or truncated file, and makes an
//! interrupted-then-resumed run comparable with an uninterrupted one: same checksum.
//!
//! A checksum anyone can recompute proves nothing against an edit, so every reader
//! ([`verify`]: merge, recheck, the resume from a checkpoint) also reads a certificate against
//! itself: the grid is rebuilt from its definition (hash, case count, description), the claim
//! from the catalogue or the user's claims, the range from the shard, the counts against the
//! range, the listed cases against the counts, and every listed case against the case its
//! index decodes to. What that cannot catch, a consistent forgery, [`spot_check`] samples.
//!
//! Schema `bestofn-certificate/2` ([`Certificate`], in this field order; /1 named its tag
//! `format`):
//! `{schema, bestofn_version, claim: {id, statement, source, hypotheses, definition_hash},
//!   grid: {k, m, n, den, values, alpha, beta, delta, without_hypothesis, cases, description},
//!   grid_hash, shard: {index, count} | null, merged_from?, ranges: [[start, end]], complete,
//!   next, counts: {holds, fails, undecided, not_applicable, measured}, first_not_applicable,
//!   counterexamples: [...], undecided: [...], spot_check?, timing: {seconds,
//!   cases_per_second}, checksum}`.

use std::fmt::Write;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

use crate::claims::{Claim, ClaimSet, Verdict};
use crate::enclosure::PrecisionPolicy;
use crate::error::{InputError, Result};
use crate::report::counterexample::{
    case_json, counterexample_json, parse_case_object, Provenance,
};
use crate::report::schema::Schema;
use crate::search::exhaust::{shard_range, ExhaustSettings, Grid, Progress};
use crate::search::gen::Rng;
use crate::search::{Found, Tally};
use crate::spec::CaseSpec;

/// The tag every certificate carries in its `schema` field.
pub fn tag() -> String {
    Schema::Certificate.id()
}

/// Whether a file's text is a certificate (of this or an older version) rather than a
/// counterexample report: recheck reads both.
pub fn looks_like_certificate(text: &str) -> bool {
    text.contains("\"bestofn-certificate/")
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The claim as a certificate names it, with a hash of its definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    /// The claim's id.
    pub id: String,
    /// Its statement as written.
    pub statement: String,
    /// Its source.
    pub source: String,
    /// The names of its hypotheses.
    pub hypotheses: Vec<String>,
    /// SHA-256 of id, statement, source, hypotheses and method.
    pub definition_hash: String,
}

impl ClaimRecord {
    /// The record of `claim`.
    pub fn of(claim: &Claim) -> ClaimRecord {
        let hypotheses: Vec<String> = claim.hypotheses.iter().map(|h| h.name.into()).collect();
        let definition = format!(
            "{}\n{}\n{}\n{}\n{}",
            claim.id,
            claim.statement,
            claim.source,
            hypotheses.join(","),
            claim.method.describe()
        );
        ClaimRecord {
            id: claim.id.to_string(),
            statement: claim.statement.to_string(),
            source: claim.source.to_string(),
            hypotheses,
            definition_hash: sha256_hex(&definition),
        }
    }
}

/// The grid's full definition: enough to build it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridRecord {
    /// Alphabet sizes, `LO..HI`.
    pub k: String,
    /// Sequence lengths, `LO..HI`.
    pub m: String,
    /// Numbers of draws, `LO..HI`.
    pub n: String,
    /// pmf entries are multiples of `1/den`.
    pub den: u32,
    /// Per-letter reward values for m >= 2.
    pub values: Vec<i64>,
    /// The tilt parameters every case carries.
    pub alpha: Option<String>,
    /// See `alpha`.
    pub beta: Option<String>,
    /// See `alpha`.
    pub delta: Option<String>,
    /// The hypothesis dropped, if any.
    pub without_hypothesis: Option<String>,
    /// The number of cases.
    pub cases: u64,
    /// The grid in words.
    pub description: String,
}

impl GridRecord {
    /// The record of `grid`, built from `settings`.
    pub fn of(settings: &ExhaustSettings, grid: &Grid) -> GridRecord {
        let range = |a: u64, b: u64| format!("{a}..{b}");
        GridRecord {
            k: range(u64::from(*settings.k.start()), u64::from(*settings.k.end())),
            m: range(u64::from(*settings.m.start()), u64::from(*settings.m.end())),
            n: range(*settings.n.start(), *settings.n.end()),
            den: settings.den,
            values: settings.values.clone(),
            alpha: settings.alpha.clone(),
            beta: settings.beta.clone(),
            delta: settings.delta.clone(),
            without_hypothesis: settings.dropped.clone(),
            cases: grid.count,
            description: grid.description.clone(),
        }
    }

    /// The hash a certificate records for this grid.
    pub fn hash(&self) -> String {
        sha256_hex(&serde_json::to_string(self).expect("a grid record serialises"))
    }
}

/// Which shard of how many (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardRecord {
    /// The shard, from 1.
    pub index: u64,
    /// The number of shards.
    pub count: u64,
}

/// The verdict counts of a certificate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Cases on which the claim holds.
    pub holds: u64,
    /// Cases on which it fails.
    pub fails: u64,
    /// Cases undecided at the cap or undefined.
    pub undecided: u64,
    /// Cases that miss a hypothesis.
    pub not_applicable: u64,
    /// Cases on which it was measured.
    pub measured: u64,
}

impl Counts {
    fn of(tally: &Tally) -> Counts {
        Counts {
            holds: tally.holds,
            fails: tally.fails,
            undecided: tally.undecided,
            not_applicable: tally.not_applicable,
            measured: tally.measured,
        }
    }

    /// Every case counted once: the size of what was decided.
    pub fn total(&self) -> Option<u64> {
        [
            self.fails,
            self.undecided,
            self.not_applicable,
            self.measured,
        ]
        .iter()
        .try_fold(self.holds, |sum, c| sum.checked_add(*c))
    }

    /// Cases on which the claim was decided or measured.
    pub fn applicable(&self) -> u64 {
        self.holds + self.fails + self.undecided + self.measured
    }

    fn add(&mut self, other: &Counts) {
        self.holds += other.holds;
        self.fails += other.fails;
        self.undecided += other.undecided;
        self.not_applicable += other.not_applicable;
        self.measured += other.measured;
    }
}

/// The hypothesis the first inapplicable case missed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstNotApplicable {
    /// The hypothesis's name.
    pub hypothesis: String,
    /// Why the case missed it.
    pub reason: String,
}

/// What a spot check re-decided (`merge --verify K`, `recheck --sample K`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotCheck {
    /// The seed the sampled indices were drawn with.
    pub seed: u64,
    /// Cases drawn per certificate (all of a smaller range).
    pub per_certificate: u64,
    /// The grid indices re-decided, in order (sampled cases and recorded ones).
    pub indices: Vec<u64>,
    /// Of them, the recorded counterexamples and undecided cases.
    pub recorded: u64,
}

/// Time spent (outside the checksum).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// Seconds of computation over every run.
    pub seconds: f64,
    /// Cases decided per second.
    pub cases_per_second: f64,
}

/// A certificate (or a checkpoint: `complete` false) of one run, shard or merge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// [`tag`]: `bestofn-certificate/2`.
    pub schema: String,
    /// The version of bestofn that wrote it.
    pub bestofn_version: String,
    /// The claim.
    pub claim: ClaimRecord,
    /// SHA-256 of the grid record.
    pub grid_hash: String,
    /// The grid.
    pub grid: GridRecord,
    /// The shard, for a shard's certificate.
    pub shard: Option<ShardRecord>,
    /// How many certificates a merged one was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<u64>,
    /// The index range covered, `[[start, end]]`.
    pub ranges: Vec<[u64; 2]>,
    /// Whether every case of the range was decided.
    pub complete: bool,
    /// The next index to decide.
    pub next: u64,
    /// The verdict counts.
    pub counts: Counts,
    /// Why the first inapplicable case was so.
    pub first_not_applicable: Option<FirstNotApplicable>,
    /// Every counterexample, a `counterexample.json` object each, in index order.
    pub counterexamples: Vec<Json>,
    /// Every undecided (or undefined) case, likewise.
    pub undecided: Vec<Json>,
    /// What a merge re-decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spot_check: Option<SpotCheck>,
    /// Time spent.
    pub timing: Timing,
    /// SHA-256 of all the rest but `timing`.
    pub checksum: String,
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

impl Certificate {
    /// A certificate (or checkpoint, when `progress.next < range.end`) of one run over `range`.
    pub fn new(
        settings: &ExhaustSettings,
        grid: &Grid,
        shard: Option<(u64, u64)>,
        range: &Range<u64>,
        progress: &Progress,
    ) -> Certificate {
        let grid_record = GridRecord::of(settings, grid);
        let done = progress.next - range.start;
        let seconds = progress.elapsed.as_secs_f64();
        let mut out = Certificate {
            schema: tag(),
            bestofn_version: env!("CARGO_PKG_VERSION").into(),
            claim: ClaimRecord::of(&settings.claim),
            grid_hash: grid_record.hash(),
            grid: grid_record,
            shard: shard.map(|(index, count)| ShardRecord { index, count }),
            merged_from: None,
            ranges: vec![[range.start, range.end]],
            complete: progress.next >= range.end,
            next: progress.next,
            counts: Counts::of(&progress.tally),
            first_not_applicable: progress.tally.first_not_applicable.as_ref().map(
                |(hypothesis, reason)| FirstNotApplicable {
                    hypothesis: hypothesis.clone(),
                    reason: reason.clone(),
                },
            ),
            counterexamples: progress
                .counterexamples
                .iter()
                .map(|f| found_json(f, grid))
                .collect(),
            undecided: progress
                .undecided
                .iter()
                .map(|f| found_json(f, grid))
                .collect(),
            spot_check: None,
            timing: Timing {
                seconds,
                cases_per_second: if seconds > 0.0 {
                    done as f64 / seconds
                } else {
                    0.0
                },
            },
            checksum: String::new(),
        };
        out.seal();
        out
    }

    /// The certificate as JSON.
    pub fn to_json(&self) -> Json {
        serde_json::to_value(self).expect("a certificate serialises")
    }

    /// Pretty JSON with a final newline, as files hold it.
    pub fn to_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a certificate serialises") + "\n"
    }

    /// Sets the checksum from the contents.
    pub fn seal(&mut self) {
        self.checksum = checksum(&self.to_json());
    }

    /// The one range a certificate covers.
    pub fn range(&self) -> Range<u64> {
        self.ranges.first().map_or(0..0, |[a, b]| *a..*b)
    }

    /// Exit status of the counts: 1 a counterexample, 3 undecided, 4 nothing applied, else 0.
    pub fn status(&self) -> u8 {
        if self.counts.fails > 0 {
            1
        } else if self.counts.holds + self.counts.undecided + self.counts.measured == 0 {
            crate::search::EXIT_NOTHING_CHECKED
        } else if self.counts.undecided > 0 {
            3
        } else {
            0
        }
    }
}

/// Reads a certificate and checks its format, checksum and fields; `origin` names the file.
/// This reads the file only: [`verify`] reads it against itself.
pub fn read(text: &str, origin: &str) -> Result<Certificate> {
    let value: Json = serde_json::from_str(text).map_err(|e| {
        InputError::new(format!(
            "{origin}: not a certificate (malformed or truncated JSON: {e})"
        ))
    })?;
    if let Some(old) = value.get("format").and_then(Json::as_str) {
        return Err(InputError::new(format!(
            "{origin}: a certificate of an older schema ({old}); this bestofn reads {}: run the exhaust again",
            tag()
        )));
    }
    if value.get("schema").and_then(Json::as_str) != Some(tag().as_str()) {
        return Err(InputError::new(format!(
            "{origin}: not a certificate (no \"schema\": \"{}\")",
            tag()
        )));
    }
    let recorded = value.get("checksum").and_then(Json::as_str).unwrap_or("");
    if recorded != checksum(&value) {
        return Err(InputError::new(format!(
            "{origin}: the checksum does not match the contents: the certificate was edited or corrupted"
        )));
    }
    serde_json::from_value(value)
        .map_err(|e| InputError::new(format!("{origin}: not a well-formed certificate: {e}")))
}

/// How to re-decide a certificate's cases: threads, precision ladder, size budget.
#[derive(Debug, Clone, Copy)]
pub struct Redecide {
    /// Worker threads of the rebuilt settings.
    pub jobs: usize,
    /// The precision ladder.
    pub policy: PrecisionPolicy,
    /// The size budget of each case.
    pub budget: crate::model::SizeBudget,
}

/// A certificate read against itself: the claim and grid it names, rebuilt.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The certificate.
    pub certificate: Certificate,
    /// The file it came from.
    pub origin: String,
    /// The settings its grid record rebuilds (the claim included).
    pub settings: ExhaustSettings,
    /// The grid.
    pub grid: Grid,
}

fn inconsistent(origin: &str, what: String) -> InputError {
    InputError::new(format!(
        "{origin}: the certificate contradicts itself: {what}"
    ))
}

/// The claim a certificate names, rebuilt: from `claims` (the catalogue and any claims file
/// given), or, for an `--assert` claim, from its statement; it must have the recorded definition.
pub fn claim_of(record: &ClaimRecord, claims: &ClaimSet, origin: &str) -> Result<Arc<Claim>> {
    let claim = match claims.find(&record.id) {
        Ok(claim) => claim,
        Err(_) if record.source == crate::claims::ASSERT_SOURCE => {
            let mut set = ClaimSet::catalogue();
            set.add_statement(&record.id, &record.statement)
                .map_err(|e| e.context(&format!("{origin}: claim.statement: ")))?
        }
        Err(_) => {
            return Err(InputError::new(format!(
                "{origin}: the claim '{}' is neither in the catalogue nor an --assert claim; give the claims file that declares it with --claims FILE",
                record.id
            )))
        }
    };
    let rebuilt = ClaimRecord::of(&claim);
    if &rebuilt != record {
        let field = [
            ("statement", rebuilt.statement != record.statement),
            ("source", rebuilt.source != record.source),
            ("hypotheses", rebuilt.hypotheses != record.hypotheses),
            (
                "definition_hash",
                rebuilt.definition_hash != record.definition_hash,
            ),
        ]
        .iter()
        .find(|(_, differs)| *differs)
        .map_or("definition_hash", |(name, _)| name);
        return Err(InputError::new(format!(
            "{origin}: claim.{field} is not that of the claim '{}' as defined here (another definition or an edit)",
            record.id
        )));
    }
    Ok(claim)
}

fn parse_bounds<T: std::str::FromStr + PartialOrd + Copy>(
    text: &str,
    field: &str,
    origin: &str,
) -> Result<std::ops::RangeInclusive<T>> {
    let bad = || InputError::new(format!("{origin}: grid.{field} = '{text}' is not LO..HI"));
    let (lo, hi) = text.split_once("..").ok_or_else(bad)?;
    let (lo, hi): (T, T) = (
        lo.parse().map_err(|_| bad())?,
        hi.parse().map_err(|_| bad())?,
    );
    if lo > hi {
        return Err(bad());
    }
    Ok(lo..=hi)
}

/// Reads a certificate against itself (see the module's doc): the claim and the grid rebuilt
/// from their records, then [`consistency`] over the range. The first contradiction found is
/// the error, naming its field.
pub fn verify(
    certificate: Certificate,
    origin: &str,
    claims: &ClaimSet,
    how: Redecide,
) -> Result<Verified> {
    let claim = claim_of(&certificate.claim, claims, origin)?;
    let record = &certificate.grid;
    if certificate.grid_hash != record.hash() {
        return Err(inconsistent(
            origin,
            "grid_hash is not the hash of its grid (the grid was edited)".into(),
        ));
    }
    if let Some(dropped) = &record.without_hypothesis {
        crate::claims::check_dropped(std::slice::from_ref(&claim), Some(dropped))
            .map_err(|e| e.context(&format!("{origin}: grid.without_hypothesis: ")))?;
    }
    let settings = ExhaustSettings {
        claim,
        dropped: record.without_hypothesis.clone(),
        k: parse_bounds(&record.k, "k", origin)?,
        m: parse_bounds(&record.m, "m", origin)?,
        n: parse_bounds(&record.n, "n", origin)?,
        den: record.den,
        values: record.values.clone(),
        alpha: record.alpha.clone(),
        beta: record.beta.clone(),
        delta: record.delta.clone(),
        jobs: how.jobs,
        policy: how.policy,
        budget: how.budget,
    };
    if *settings.k.start() < 2 || record.den < 2 || record.den > 1000 || record.values.is_empty() {
        return Err(inconsistent(
            origin,
            "its grid is not one exhaust can run (K >= 2, den in 2..1000, some values)".into(),
        ));
    }
    let grid = Grid::new(&settings).map_err(|e| e.context(&format!("{origin}: grid: ")))?;
    let rebuilt = GridRecord::of(&settings, &grid);
    if rebuilt.cases != record.cases {
        return Err(inconsistent(
            origin,
            format!(
                "grid.cases is {} but the grid it defines has {} cases",
                record.cases, rebuilt.cases
            ),
        ));
    }
    if rebuilt != *record {
        return Err(inconsistent(
            origin,
            "grid.description is not that of the grid it defines".into(),
        ));
    }
    let expected_range = match (certificate.shard, certificate.merged_from) {
        (Some(_), Some(_)) => {
            return Err(inconsistent(
                origin,
                "it is both a shard and a merge".into(),
            ))
        }
        (Some(ShardRecord { index, count }), None) => {
            if index == 0 || index > count {
                return Err(inconsistent(
                    origin,
                    format!("shard {index}/{count} is not a shard (1 <= index <= count)"),
                ));
            }
            shard_range(grid.count, index, count)
        }
        (None, _) => 0..grid.count,
    };
    if certificate.ranges != [[expected_range.start, expected_range.end]] {
        return Err(inconsistent(
            origin,
            format!(
                "ranges is {:?} but its {} covers [[{}, {}]]",
                certificate.ranges,
                certificate.shard.map_or("grid".to_string(), |s| format!(
                    "shard {}/{}",
                    s.index, s.count
                )),
                expected_range.start,
                expected_range.end
            ),
        ));
    }
    consistency(&certificate, &grid, &expected_range, origin)?;
    Ok(Verified {
        certificate,
        origin: origin.to_string(),
        settings,
        grid,
    })
}

fn index_of(entry: &Json) -> Option<u64> {
    entry.get("found_by")?.get("case_index")?.as_u64()
}

/// What a certificate or checkpoint over `range` of `grid` states about itself: its position
/// inside the range, `complete` from it, the counts summing to the cases done, `fails` and
/// `undecided` equal to the cases listed, and every listed case (in index order, once) of the
/// claim, the dropped hypothesis and the verdict of its list, at an index done, with the case
/// that index decodes to.
pub fn consistency(
    certificate: &Certificate,
    grid: &Grid,
    range: &Range<u64>,
    origin: &str,
) -> Result<()> {
    let next = certificate.next;
    if !(range.start..=range.end).contains(&next) {
        return Err(inconsistent(
            origin,
            format!(
                "next = {next} is outside its range {}..{}",
                range.start, range.end
            ),
        ));
    }
    if certificate.complete != (next == range.end) {
        return Err(inconsistent(
            origin,
            format!(
                "complete is {} but next = {next} of {}..{}",
                certificate.complete, range.start, range.end
            ),
        ));
    }
    let done = next - range.start;
    let counts = &certificate.counts;
    if counts.total() != Some(done) {
        return Err(inconsistent(
            origin,
            format!(
                "its counts (holds {} + fails {} + undecided {} + not_applicable {} + measured {}) are not the {done} cases done ({}..{next})",
                counts.holds, counts.fails, counts.undecided, counts.not_applicable, counts.measured, range.start
            ),
        ));
    }
    for (field, count, listed) in [
        ("fails", counts.fails, certificate.counterexamples.len()),
        ("undecided", counts.undecided, certificate.undecided.len()),
    ] {
        if count != listed as u64 {
            let list = if field == "fails" {
                "counterexamples"
            } else {
                "undecided"
            };
            return Err(inconsistent(
                origin,
                format!("counts.{field} is {count} but {listed} cases are listed in '{list}'"),
            ));
        }
    }
    if certificate.first_not_applicable.is_some() != (counts.not_applicable > 0) {
        return Err(inconsistent(
            origin,
            format!(
                "first_not_applicable is {} but counts.not_applicable is {}",
                if certificate.first_not_applicable.is_some() {
                    "given"
                } else {
                    "null"
                },
                counts.not_applicable
            ),
        ));
    }
    let description = json!(grid.description);
    let dropped = json!(certificate.grid.without_hypothesis);
    for (list, entries, verdicts) in [
        (
            "counterexamples",
            &certificate.counterexamples,
            &["fails"][..],
        ),
        (
            "undecided",
            &certificate.undecided,
            &["undecided", "undefined"][..],
        ),
    ] {
        let mut previous: Option<u64> = None;
        for (i, entry) in entries.iter().enumerate() {
            let at = |what: String| inconsistent(origin, format!("{list}[{i}]: {what}"));
            let index = index_of(entry).ok_or_else(|| at("has no found_by.case_index".into()))?;
            if !(range.start..next).contains(&index) {
                return Err(at(format!(
                    "grid case {index} is not among the cases done ({}..{next})",
                    range.start
                )));
            }
            if previous.is_some_and(|p| p >= index) {
                return Err(at(format!(
                    "grid case {index} is out of index order or listed twice"
                )));
            }
            previous = Some(index);
            if entry.get("claim").and_then(Json::as_str) != Some(&certificate.claim.id) {
                return Err(at(format!(
                    "is a case of the claim {}, not of {}",
                    entry.get("claim").unwrap_or(&Json::Null),
                    certificate.claim.id
                )));
            }
            for (key, expected) in [
                ("statement", &certificate.claim.statement),
                ("source", &certificate.claim.source),
            ] {
                if entry.get(key).and_then(Json::as_str) != Some(expected) {
                    return Err(at(format!("its '{key}' is not the certificate's claim's")));
                }
            }
            if entry.get("without_hypothesis").unwrap_or(&Json::Null) != &dropped {
                return Err(at("its without_hypothesis is not the grid's".into()));
            }
            let verdict = entry.get("verdict").and_then(Json::as_str).unwrap_or("");
            if !verdicts.contains(&verdict) {
                return Err(at(format!(
                    "its verdict '{verdict}' does not belong in '{list}'"
                )));
            }
            let decoded = case_json(&grid.case(index));
            if entry.get("case") != Some(&decoded) {
                return Err(at(format!(
                    "its case is not grid case {index}, which is {decoded}"
                )));
            }
            if entry.pointer("/original/case") != Some(&decoded) {
                return Err(at(format!(
                    "its original.case is not grid case {index}, which is {decoded}"
                )));
            }
            let found_by = &entry["found_by"];
            if found_by.get("command").and_then(Json::as_str) != Some("bestofn exhaust")
                || found_by.get("grid") != Some(&description)
            {
                return Err(at("its found_by does not name this grid's exhaust".into()));
            }
        }
    }
    Ok(())
}

/// The progress a checkpoint records, for `settings` over `range`, once it is read against
/// itself ([`consistency`]); the recorded counterexamples and undecided cases are re-decided
/// from their cases by `redecide` (deterministic, so the resumed run ends with the same
/// certificate) and must come out as recorded. Refuses a checkpoint of another grid, claim,
/// version or range.
pub fn resume(
    checkpoint: &Certificate,
    settings: &ExhaustSettings,
    grid: &Grid,
    range: &Range<u64>,
    origin: &str,
    redecide: &dyn Fn(u64, CaseSpec) -> Result<Found>,
) -> Result<Progress> {
    let expected = Certificate::new(settings, grid, None, range, &Progress::default());
    for (key, same) in [
        (
            "bestofn_version",
            checkpoint.bestofn_version == expected.bestofn_version,
        ),
        ("grid_hash", checkpoint.grid_hash == expected.grid_hash),
        ("grid", checkpoint.grid == expected.grid),
        ("claim", checkpoint.claim == expected.claim),
        ("ranges", checkpoint.ranges == expected.ranges),
    ] {
        if !same {
            return Err(InputError::new(format!(
                "{origin}: the checkpoint is of another run ('{key}' differs); remove it or give this run another --checkpoint"
            )));
        }
    }
    consistency(checkpoint, grid, range, origin)?;
    let counts = checkpoint.counts;
    let mut tally = Tally {
        holds: counts.holds,
        fails: counts.fails,
        undecided: counts.undecided,
        // A sub-count of the undecided, recounted from their list below.
        undefined: 0,
        not_applicable: counts.not_applicable,
        measured: counts.measured,
        first_not_applicable: checkpoint
            .first_not_applicable
            .as_ref()
            .map(|f| (f.hypothesis.clone(), f.reason.clone())),
    };
    let list = |entries: &[Json], name: &str| -> Result<Vec<Found>> {
        entries
            .iter()
            .map(|entry| {
                let index = index_of(entry).expect("consistency checked the index");
                let found = redecide(index, grid.case(index))?;
                let recorded = entry.get("verdict").and_then(Json::as_str).unwrap_or("");
                if found.result.verdict.name() != recorded {
                    return Err(inconsistent(
                        origin,
                        format!(
                            "grid case {index} is listed in '{name}' as {recorded}, but re-decided it {}",
                            found.result.verdict.name()
                        ),
                    ));
                }
                Ok(found)
            })
            .collect()
    };
    let undecided = list(&checkpoint.undecided, "undecided")?;
    tally.undefined = undecided
        .iter()
        .filter(|f| matches!(f.result.verdict, Verdict::Undefined { .. }))
        .count() as u64;
    Ok(Progress {
        next: checkpoint.next,
        tally,
        counterexamples: list(&checkpoint.counterexamples, "counterexamples")?,
        undecided,
        elapsed: std::time::Duration::from_secs_f64(
            Some(checkpoint.timing.seconds)
                .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e12)
                .unwrap_or(0.0),
        ),
    })
}

/// Merges certificates (each read against itself by [`verify`]) of one grid, claim and
/// version whose ranges cover the grid exactly once; names the files that differ, the gap or
/// the overlap otherwise.
pub fn merge(certificates: &[Verified]) -> Result<Certificate> {
    let first = certificates
        .first()
        .ok_or_else(|| InputError::new("merge: give at least one certificate"))?;
    for v in certificates {
        let (name, cert) = (&v.origin, &v.certificate);
        if !cert.complete {
            return Err(InputError::new(format!(
                "merge: {name} is incomplete (stopped at case {}); finish that shard first (rerun it with its --checkpoint)",
                cert.next
            )));
        }
        for (what, key, same) in [
            (
                "bestofn version",
                "bestofn_version",
                cert.bestofn_version == first.certificate.bestofn_version,
            ),
            (
                "grid",
                "grid_hash",
                cert.grid_hash == first.certificate.grid_hash,
            ),
            ("claim", "claim", cert.claim == first.certificate.claim),
        ] {
            if !same {
                let shown = |c: &Certificate| match key {
                    "bestofn_version" => c.bestofn_version.clone(),
                    "grid_hash" => c.grid_hash.clone(),
                    _ => format!("{} {}", c.claim.id, c.claim.definition_hash),
                };
                return Err(InputError::new(format!(
                    "merge: {name} and {} are of different {what}s ({key}: {} vs {})",
                    first.origin,
                    crate::error::elide(&shown(cert), 60, 57),
                    crate::error::elide(&shown(&first.certificate), 60, 57)
                )));
            }
        }
    }
    let cases = first.grid.count;
    let mut ordered: Vec<&Verified> = certificates.iter().collect();
    ordered.sort_by_key(|v| (v.certificate.range().start, v.certificate.range().end));
    let mut covered = 0u64;
    let mut previous = "";
    for v in &ordered {
        let Range { start: a, end: b } = v.certificate.range();
        if a > covered {
            return Err(InputError::new(format!(
                "merge: cases {covered}..{a} of the grid's {cases} are in no certificate (a missing shard)"
            )));
        }
        if a < covered {
            return Err(InputError::new(format!(
                "merge: {} (cases {a}..{b}) overlaps {previous} (up to case {covered}); each case must be counted once",
                v.origin
            )));
        }
        covered = b;
        previous = &v.origin;
    }
    if covered != cases {
        return Err(InputError::new(format!(
            "merge: cases {covered}..{cases} of the grid are in no certificate (a missing shard)"
        )));
    }
    let mut counts = Counts::default();
    let mut counterexamples = Vec::new();
    let mut undecided = Vec::new();
    let mut seconds = 0.0;
    let mut first_not_applicable = None;
    for v in &ordered {
        let cert = &v.certificate;
        counts.add(&cert.counts);
        counterexamples.extend(cert.counterexamples.iter().cloned());
        undecided.extend(cert.undecided.iter().cloned());
        seconds += cert.timing.seconds;
        if first_not_applicable.is_none() {
            first_not_applicable = cert.first_not_applicable.clone();
        }
    }
    let mut out = Certificate {
        schema: tag(),
        bestofn_version: first.certificate.bestofn_version.clone(),
        claim: first.certificate.claim.clone(),
        grid_hash: first.certificate.grid_hash.clone(),
        grid: first.certificate.grid.clone(),
        shard: None,
        merged_from: Some(certificates.len() as u64),
        ranges: vec![[0, cases]],
        complete: true,
        next: cases,
        counts,
        first_not_applicable,
        counterexamples,
        undecided,
        spot_check: None,
        timing: Timing {
            seconds,
            cases_per_second: if seconds > 0.0 {
                cases as f64 / seconds
            } else {
                0.0
            },
        },
        checksum: String::new(),
    };
    out.seal();
    // Each part was consistent over its range and the ranges partition the grid, so the
    // whole is; checked all the same, as every reader checks it.
    consistency(&out, &first.grid, &(0..cases), "merge")?;
    Ok(out)
}

/// Draws `k` distinct indices of `range` (all of a smaller range), seeded.
pub fn sample_indices(range: &Range<u64>, k: u64, seed: u64) -> Vec<u64> {
    let size = range.end - range.start;
    if k >= size {
        return range.clone().collect();
    }
    // Floyd's algorithm: k distinct draws in k steps, whatever the range's size.
    let mut rng = Rng::for_case(seed, range.start);
    let mut chosen = std::collections::BTreeSet::new();
    for j in size - k..size {
        let t = rng.range(0..=j);
        if !chosen.insert(t) {
            chosen.insert(j);
        }
    }
    chosen.into_iter().map(|i| range.start + i).collect()
}

/// Re-decides `k` cases drawn (seeded) from the cases a verified certificate covers, and every
/// case it lists: each must come out as the certificate says (a fail listed among its
/// counterexamples with the evidence recorded, an undecided case among its undecided, any other
/// verdict listed nowhere). Returns the indices re-decided and how many were listed. A
/// certificate that lied about a fraction `f` of its cases survives with probability at most
/// `(1 - f)^k`.
pub fn spot_check(verified: &Verified, k: u64, seed: u64) -> Result<(Vec<u64>, u64)> {
    let cert = &verified.certificate;
    let done = cert.range().start..cert.next;
    let listed: std::collections::BTreeMap<u64, (&str, &Json)> = cert
        .counterexamples
        .iter()
        .map(|e| ("counterexamples", e))
        .chain(cert.undecided.iter().map(|e| ("undecided", e)))
        .filter_map(|(list, e)| Some((index_of(e)?, (list, e))))
        .collect();
    let mut indices: std::collections::BTreeSet<u64> =
        sample_indices(&done, k, seed).into_iter().collect();
    indices.extend(listed.keys().copied());
    let indices: Vec<u64> = indices.into_iter().collect();
    let settings = &verified.settings;
    let pool = crate::search::exhaust::pool_of(settings)?;
    let results = crate::search::exhaust::decide_cases(settings, &verified.grid, &pool, &indices);
    let origin = &verified.origin;
    for (index, _, result) in results {
        let result =
            result.map_err(|e| e.context(&format!("{origin}: re-deciding grid case {index}: ")))?;
        let verdict = result.verdict.name();
        let belongs = match result.verdict {
            Verdict::Fails => Some("counterexamples"),
            Verdict::Undecided | Verdict::Undefined { .. } => Some("undecided"),
            _ => None,
        };
        let recorded = listed.get(&index);
        match (belongs, recorded) {
            (None, None) => {}
            (Some(list), Some((recorded_list, entry))) if list == *recorded_list => {
                let differences =
                    crate::report::counterexample::record_differences(entry, &result);
                if let Some(first) = differences.first() {
                    return Err(InputError::new(format!(
                        "{origin}: grid case {index} re-decided does not give what '{list}' records: {first}"
                    )));
                }
            }
            (_, Some((recorded_list, _))) => {
                return Err(InputError::new(format!(
                    "{origin}: grid case {index} is listed in '{recorded_list}', but re-decided it {verdict}: the certificate is false"
                )))
            }
            (Some(list), None) => {
                return Err(InputError::new(format!(
                    "{origin}: grid case {index} re-decided {verdict}, but '{list}' does not list it: the certificate's counts are false"
                )))
            }
        }
    }
    Ok((indices, listed.len() as u64))
}

/// The one-paragraph statement of a (merged or whole) certificate, in Markdown.
pub fn statement(cert: &Certificate) -> String {
    let claim = &cert.claim;
    let counts = &cert.counts;
    let cases = cert.grid.cases;
    let applicable = counts.applicable();
    let verdict = if applicable == 0 {
        "**Nothing was checked**: the claim applies to none of these cases".to_string()
    } else if counts.fails > 0 {
        let first = &cert.counterexamples[0];
        format!(
            "**The claim fails** on {} of them; the first counterexample is grid case {} (`bestofn check {}`)",
            counts.fails,
            first["found_by"]["case_index"],
            crate::report::counterexample::case_flags(&spec_of(&first["case"]))
        )
    } else if counts.undecided > 0 {
        format!(
            "No case refutes the claim, but {} are **undecided** at the precision cap, so it is certified on {} of them only",
            counts.undecided, counts.holds
        )
    } else {
        format!("**The claim holds on all {applicable} applicable cases** of this grid")
    };
    let spot = cert.spot_check.as_ref().map_or(String::new(), |s| {
        format!(
            " Spot check: {} cases re-decided ({} drawn per certificate with seed {}, and the {} listed), every one as certified.",
            s.indices.len(),
            s.per_certificate,
            s.seed,
            s.recorded
        )
    });
    format!(
        "bestofn {} checked `{}` ({}: \"{}\") on every one of the {cases} cases of the grid {} \
         (merged from {} certificate(s), {:.1} s of computation): {} hold, {} fail, {} undecided, \
         {} not applicable. {verdict}.{spot} Grid hash `{}`, claim definition hash `{}`, checksum `{}`.\n",
        cert.bestofn_version,
        claim.id,
        claim.source,
        claim.statement,
        cert.grid.description,
        cert.merged_from.unwrap_or(1),
        cert.timing.seconds,
        counts.holds,
        counts.fails,
        counts.undecided,
        counts.not_applicable,
        cert.grid_hash,
        claim.definition_hash,
        cert.checksum,
    )
}

/// A case-file spec from a certificate's case object (for the replay command).
fn spec_of(case: &Json) -> CaseSpec {
    parse_case_object(Some(case), "case", "certificate").unwrap_or_default()
}
