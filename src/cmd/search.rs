//! `bestofn search`, `bestofn exhaust`, `bestofn recheck`: flags parsed raw by clap, resolved into
//! library settings here, run by `bestofn::search`, rendered by `bestofn::report::counterexample`.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use bestofn::claims;
use bestofn::enclosure::PrecisionPolicy;
use bestofn::report::certificate::GridRecord;
use bestofn::report::claims::evidence_line;
use bestofn::report::counterexample::{self as report, Provenance};
use bestofn::search::exhaust::{exhaust, ExhaustSettings, Grid};
use bestofn::search::recheck::recheck;
use bestofn::search::{search, Bounds, Limit, SearchSettings};
use bestofn::InputError;

use super::flags::{ClaimArgs, CoqArgs, OutputArgs, PrecisionArgs, TiltArgs};

#[derive(Args)]
pub struct SearchArgs {
    /// The claims to search counterexamples for (at least one)
    #[command(flatten)]
    claims: ClaimArgs,
    /// Alphabet sizes K, as LO..HI or one number (most cases use K <= 4; one in eight is p
    /// uniform on up to HI letters with a constant or two-level reward)
    #[arg(long, default_value = "2..32", value_name = "RANGE")]
    k: String,
    /// Sequence lengths m
    #[arg(long, default_value = "1..2", value_name = "RANGE")]
    m: String,
    /// Numbers of draws N
    #[arg(long, default_value = "1..16", value_name = "RANGE")]
    n: String,
    /// Cases to try [default: 100000 unless --time is given]
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, value_name = "T", conflicts_with = "time")]
    trials: Option<u64>,
    /// Search for this many seconds instead of a number of trials
    #[arg(long, value_name = "SECONDS")]
    time: Option<f64>,
    /// Seed: the same seed gives the same cases (and the same first counterexample) whatever --jobs
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, default_value_t = 1)]
    seed: u64,
    /// Worker threads [default: all cores]
    #[arg(long, value_parser = crate::cmd::flags::whole_usize, value_name = "J")]
    jobs: Option<usize>,
    /// Keep searching after the first counterexample
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    output: OutputArgs,
    /// Write counterexample.json and counterexample.md (the shrunk case, its evidence, the
    /// original, the seed) into this directory
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    /// Do not shrink counterexamples
    #[arg(long)]
    no_shrink: bool,
    #[command(flatten)]
    coq: CoqArgs,
    /// Run shard I of N of the trial range (needs --trials T and --all): the case indices
    /// floor((I-1)T/N)..floor(IT/N), the same cases as in an unsharded run with this seed
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    #[command(flatten)]
    precision: PrecisionArgs,
}

#[derive(Args)]
pub struct ExhaustArgs {
    /// The claim to check on every case of the grid
    #[arg(
        long = "claim",
        value_name = "ID",
        required_unless_present_any = ["assert", "claims_file"],
        conflicts_with = "assert"
    )]
    claim: Option<String>,
    /// A claims file; with --claim ID one of its claims, else every claim of the file in turn
    #[arg(long = "claims", value_name = "FILE.toml", conflicts_with = "assert")]
    claims_file: Option<PathBuf>,
    /// Or a claim of your own in the claim language (see docs/claim-language.md)
    #[arg(long = "assert", value_name = "EXPR", allow_hyphen_values = true)]
    assert: Option<String>,
    /// Alphabet sizes K
    #[arg(long, default_value = "2..3", value_name = "RANGE")]
    k: String,
    /// Sequence lengths m
    #[arg(long, default_value = "1", value_name = "RANGE")]
    m: String,
    /// Numbers of draws N
    #[arg(long, default_value = "1..8", value_name = "RANGE")]
    n: String,
    /// pmf entries are the positive multiples of 1/DEN
    #[arg(long, default_value_t = 12)]
    den: u32,
    /// Per-letter additive reward values tried when m >= 2
    #[arg(
        long,
        default_value = "0,1,2,3",
        value_name = "V1,..",
        allow_hyphen_values = true
    )]
    values: String,
    /// The same tilt parameters on every case of the grid
    #[command(flatten)]
    tilt: TiltArgs,
    /// Drop this hypothesis of the claim (to show it is needed)
    #[arg(long, value_name = "NAME")]
    without_hypothesis: Option<String>,
    /// Worker threads [default: all cores; at most 1024]
    #[arg(long, value_parser = crate::cmd::flags::whole_usize, value_name = "J")]
    jobs: Option<usize>,
    #[command(flatten)]
    output: OutputArgs,
    /// Write counterexample.json and counterexample.md here when the grid has one
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    #[command(flatten)]
    coq: CoqArgs,
    #[command(flatten)]
    precision: PrecisionArgs,
    /// Run shard I of N (1 <= I <= N): the grid cases floor((I-1)C/N)..floor(IC/N), the same
    /// on any machine and with any --jobs; merge the shards' certificates with `bestofn merge`
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Write a certificate of this run or shard (grid, claim, version, range, counts, every
    /// counterexample and undecided case in full); every case of the range is decided
    #[arg(long, value_name = "FILE.json")]
    certificate: Option<PathBuf>,
    /// Keep progress in FILE.json (written atomically every few seconds): the same command
    /// rerun after a kill continues where it stopped and ends with the same certificate
    #[arg(long, value_name = "FILE.json")]
    checkpoint: Option<PathBuf>,
    /// Seconds between checkpoint writes (0: after every chunk of 4096 cases)
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, value_name = "SECS", default_value_t = 2)]
    checkpoint_every: u64,
}

#[derive(Args)]
pub struct RecheckArgs {
    /// A counterexample.json written by `search --report` or `exhaust --report`, or a
    /// certificate written by `exhaust --certificate` or `merge -o`
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// For a certificate: also re-decide K cases drawn from its range (seeded), each of which
    /// must come out as the certificate counts it
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, value_name = "K")]
    sample: Option<u64>,
    /// Seed of the cases --sample draws
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, default_value_t = 1, requires = "sample")]
    seed: u64,
    /// The claims file that declares the report's claim, when it is not in the catalogue
    #[arg(long = "claims", value_name = "FILE.toml")]
    claims_file: Option<PathBuf>,
    /// Worker threads of --sample [default: all cores]
    #[arg(long, value_parser = crate::cmd::flags::whole_usize, value_name = "J")]
    jobs: Option<usize>,
    #[command(flatten)]
    precision: PrecisionArgs,
    #[command(flatten)]
    coq: CoqArgs,
}

/// `LO..HI` (inclusive) or a single value.
pub fn parse_range<T: FromStr + PartialOrd + Copy>(
    flag: &str,
    text: &str,
) -> Result<RangeInclusive<T>, InputError> {
    let bad = || {
        InputError::new(format!(
            "{flag}: '{text}' is not a range like 2..6 or a number"
        ))
    };
    let (lo, hi) = match text.split_once("..") {
        Some((lo, hi)) => (
            lo.trim().parse().map_err(|_| bad())?,
            hi.trim()
                .trim_start_matches('=')
                .parse()
                .map_err(|_| bad())?,
        ),
        None => {
            let v = text.trim().parse().map_err(|_| bad())?;
            (v, v)
        }
    };
    if lo > hi {
        return Err(InputError::new(format!(
            "{flag}: '{text}' is empty (low end above high end)"
        )));
    }
    Ok(lo..=hi)
}

fn bounds(k: &str, m: &str, n: &str) -> Result<Bounds, InputError> {
    Bounds::checked(
        parse_range("k", k)?,
        parse_range("m", m)?,
        parse_range("n", n)?,
    )
}

pub fn jobs(jobs: Option<usize>) -> Result<usize, InputError> {
    bestofn::search::worker_threads(jobs)
}

/// The three files of one counterexample: `{stem}.json` (for recheck), `{stem}.md` (for
/// people) and `{stem}.toml` (a case file that replays it: `bestofn check {stem}.toml`).
struct ReportFiles {
    json: serde_json::Value,
    markdown: String,
    toml: String,
}

fn write_report(dir: &Path, stem: &str, files: &ReportFiles) -> Result<(), InputError> {
    super::prepare_report_dir("--report", dir)?;
    std::fs::create_dir_all(dir)
        .map_err(|e| InputError::new(format!("--report: cannot create {}: {e}", dir.display())))?;
    let write = |name: String, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text)
            .map_err(|e| InputError::new(format!("report: cannot write {}: {e}", path.display())))
    };
    write(
        format!("{stem}.json"),
        &(serde_json::to_string_pretty(&files.json).expect("JSON serialises") + "\n"),
    )?;
    write(format!("{stem}.md"), &files.markdown)?;
    write(format!("{stem}.toml"), &files.toml)
}

/// `52840 cases/s`: a rate as a person writes it (indicatif's own has four decimals).
fn rate_key(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = write!(w, "{:.0} cases/s", state.per_sec());
}

pub fn run_search(args: SearchArgs, budget: bestofn::model::SizeBudget) -> Result<u8, InputError> {
    if let Some(dir) = &args.report {
        super::prepare_report_dir("--report", dir)?;
    }
    let mut set = claims::ClaimSet::catalogue();
    let selected = args.claims.select(&mut set)?;
    if selected.is_empty() {
        return Err(InputError::new(
            "claim: give --claim ID, --assert EXPR or --claims FILE (what to search)",
        ));
    }
    let dropped = args.claims.without_hypothesis.clone();
    claims::check_dropped(&selected, dropped.as_deref())?;
    if args.coq.coq.is_some() && selected.len() != 1 {
        return Err(InputError::new(format!(
            "--coq: proves one claim's counterexample; {} claims are selected (name one with --claim or --assert)",
            selected.len()
        )));
    }
    args.coq.check(&selected)?;
    let limit = match (args.trials, args.time) {
        (_, Some(t)) if !(t > 0.0 && t.is_finite()) => {
            return Err(InputError::new(
                "time: must be a positive number of seconds",
            ))
        }
        (_, Some(t)) => Limit::Time(Duration::from_secs_f64(t)),
        (Some(0), _) => return Err(InputError::new("trials: need at least 1")),
        (Some(t), _) => Limit::Trials(t),
        (None, None) => Limit::Trials(100_000),
    };
    let (first, limit) = match (&args.shard, limit) {
        (None, limit) => (0, limit),
        (Some(text), Limit::Trials(t)) if args.trials.is_some() && args.all => {
            let (i, n) = super::scale::parse_shard(text)?;
            let range = bestofn::search::exhaust::shard_range(t, i, n);
            (range.start, Limit::Trials(range.end))
        }
        (Some(_), _) => {
            return Err(InputError::new(
                "shard: a search shard needs --trials T (the range to split) and --all (every \
                 counterexample of the range, not just the first)",
            ))
        }
    };
    let settings = SearchSettings {
        budget,
        claims: selected,
        dropped,
        bounds: {
            let b = bounds(&args.k, &args.m, &args.n)?;
            b.check_size(bestofn::search::gen::MAX_DENOMINATOR_BITS, budget)?;
            b
        },
        limit,
        seed: args.seed,
        jobs: jobs(args.jobs)?,
        all: args.all,
        policy: args.precision.policy()?,
        first,
    };
    let bar = match limit {
        Limit::Trials(t) => ProgressBar::new(t - first),
        Limit::Time(_) => ProgressBar::new_spinner(),
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {pos} cases ({rate}) {msg} {wide_bar}",
        )
        .expect("valid template")
        .with_key("rate", rate_key),
    );
    let outcome = search(&settings, &|cases, found| {
        bar.set_position(cases - first);
        bar.set_message(format!("{found} counterexamples"));
    })?;
    bar.finish_and_clear();
    // The first counterexample of each claim, shrunk and re-decided.
    let shown =
        bestofn::search::report_first_per_claim(&outcome, settings.policy, !args.no_shrink)?;
    let provenance = |f: &bestofn::search::Found| Provenance {
        command: "bestofn search",
        seed: Some(args.seed),
        index: f.index,
        grid: None,
    };
    let files: Vec<(String, ReportFiles)> = shown
        .iter()
        .map(|r| {
            let (f, minimal, result) = (&r.found, &r.minimal, &r.minimal_result);
            let p = provenance(f);
            (
                f.result.claim.id.to_string(),
                ReportFiles {
                    json: report::counterexample_json(&p, (&f.spec, &f.result), (minimal, result)),
                    markdown: report::counterexample_markdown(
                        &p,
                        (&f.spec, &f.result),
                        (minimal, result),
                    ),
                    toml: report::counterexample_toml(&p, (minimal, result)),
                },
            )
        })
        .collect();
    if args.output.json {
        let list = files.iter().map(|(_, f)| f.json.clone()).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&report::search_json(&outcome, args.seed, list)).unwrap()
        );
    } else {
        print!("{}", report::search_text(&outcome, args.seed));
        if shown.is_empty() {
            println!("no counterexample found");
        }
        for r in &shown {
            let (f, minimal, result) = (&r.found, &r.minimal, &r.minimal_result);
            println!(
                "COUNTEREXAMPLE to {} (case {}): {}",
                result.claim.id,
                f.index,
                report::replay_command(minimal, result)
            );
            println!("  {}", evidence_line(result));
        }
    }
    match shown.first() {
        Some(r) => args.coq.write(&r.minimal, &r.minimal_result)?,
        None if args.coq.coq.is_some() => {
            eprintln!("--coq: no counterexample was found, so no proof script was written")
        }
        None => {}
    }
    if let Some(dir) = &args.report {
        for (i, (claim, report_files)) in files.iter().enumerate() {
            if i == 0 {
                write_report(dir, "counterexample", report_files)?;
            }
            if files.len() > 1 {
                write_report(dir, &format!("counterexample-{claim}"), report_files)?;
            }
        }
    }
    Ok(if !outcome.found.is_empty() {
        1
    } else if outcome.tallies.iter().any(|(_, t)| t.applicable() == 0) {
        EXIT_NOTHING_CHECKED
    } else {
        0
    })
}

pub use bestofn::search::EXIT_NOTHING_CHECKED;

pub fn run_exhaust(
    args: ExhaustArgs,
    budget: bestofn::model::SizeBudget,
) -> Result<u8, InputError> {
    if let Some(dir) = &args.report {
        super::prepare_report_dir("--report", dir)?;
    }
    let mut set = claims::ClaimSet::catalogue();
    let mut from_file = Vec::new();
    if let Some(path) = &args.claims_file {
        let (decls, defines) = bestofn::casefile::read_claims_file(path)?;
        for d in &decls {
            from_file.push(set.declare(d, &defines)?);
        }
    }
    // A claims file without --claim: every claim of the file, one grid run each.
    let selected = match (&args.claim, &args.assert) {
        (Some(id), _) => vec![set.find(id)?],
        (None, None) if !from_file.is_empty() => from_file,
        (None, Some(text)) => vec![set.add_assert(text, 1)?],
        (None, None) => {
            return Err(InputError::new(
                "claim: give --claim ID, --assert EXPR or --claims FILE",
            ))
        }
    };
    let certified = args.shard.is_some() || args.certificate.is_some() || args.checkpoint.is_some();
    if selected.len() > 1 && certified {
        return Err(InputError::new(format!(
            "claim: a certificate covers one claim, and {} declares {}; name one with --claim ID",
            args.claims_file
                .as_deref()
                .map_or(String::new(), |p| p.display().to_string()),
            selected.len()
        )));
    }
    let several = selected.len() > 1;
    if several && args.coq.coq.is_some() {
        return Err(InputError::new(format!(
            "--coq: proves one claim's counterexample; the claims file declares {} (name one with --claim ID)",
            selected.len()
        )));
    }
    args.coq.check(&selected)?;
    if certified && args.coq.coq.is_some() {
        return Err(InputError::new(
            "--coq: a certified run writes its counterexamples into the certificate; run `bestofn recheck CERTIFICATE --coq FILE.v` on it",
        ));
    }
    let mut status = 0;
    let mut outputs = Vec::new();
    for claim in &selected {
        let (one, json) = exhaust_one(&args, claim, several, budget)?;
        status = claims::merge_status(status, one);
        outputs.extend(json);
    }
    if args.output.json && several {
        println!("{}", serde_json::to_string_pretty(&outputs).unwrap());
    }
    Ok(status)
}

/// One claim over the grid: prints its outcome (returns its JSON instead when `several`
/// claims share one JSON array) and writes its report.
fn exhaust_one(
    args: &ExhaustArgs,
    claim: &std::sync::Arc<claims::Claim>,
    several: bool,
    budget: bestofn::model::SizeBudget,
) -> Result<(u8, Option<serde_json::Value>), InputError> {
    claims::check_dropped(
        std::slice::from_ref(claim),
        args.without_hypothesis.as_deref(),
    )?;
    let b = bounds(&args.k, &args.m, &args.n)?;
    bestofn::search::exhaust::check_den(args.den)?;
    b.check_size(u64::from(u32::BITS - args.den.leading_zeros()), budget)?;
    let values: Vec<i64> = args
        .values
        .split(',')
        .map(|v| {
            v.trim()
                .parse()
                .map_err(|_| InputError::new(format!("values: '{v}' is not an integer")))
        })
        .collect::<Result<_, _>>()?;
    let settings = ExhaustSettings {
        claim: claim.clone(),
        dropped: args.without_hypothesis.clone(),
        k: b.k,
        m: b.m,
        n: b.n,
        den: args.den,
        values,
        alpha: args.tilt.alpha.clone(),
        beta: args.tilt.beta.clone(),
        delta: args.tilt.delta.clone(),
        jobs: jobs(args.jobs)?,
        policy: args.precision.policy()?,
        budget,
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("[{elapsed_precise}] {pos}/{len} cases ({rate}) {wide_bar}")
            .expect("valid template")
            .with_key("rate", rate_key),
    );
    if args.shard.is_some() || args.certificate.is_some() || args.checkpoint.is_some() {
        return Ok((
            super::scale::run_certified(
                &settings,
                super::scale::CertifiedArgs {
                    shard: args.shard.as_deref(),
                    certificate: args.certificate.as_deref(),
                    checkpoint: args.checkpoint.as_deref(),
                    checkpoint_every: std::time::Duration::from_secs(args.checkpoint_every),
                    json: args.output.json,
                },
                &bar,
            )?,
            None,
        ));
    }
    let outcome = exhaust(&settings, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    let files = outcome.counterexample.as_ref().map(|f| {
        let p = Provenance {
            command: "bestofn exhaust",
            seed: None,
            index: f.index,
            grid: Some(&outcome.grid),
        };
        (
            report::counterexample_json(&p, (&f.spec, &f.result), (&f.spec, &f.result)),
            report::counterexample_markdown(&p, (&f.spec, &f.result), (&f.spec, &f.result)),
            report::counterexample_toml(&p, (&f.spec, &f.result)),
        )
    });
    let mut json_out = None;
    if args.output.json {
        let grid = GridRecord::of(&settings, &Grid::new(&settings)?);
        let json = report::exhaust_json(
            &outcome,
            &claim.id,
            &grid,
            files.as_ref().map(|(j, _, _)| j.clone()),
        );
        if several {
            json_out = Some(json);
        } else {
            println!("{}", serde_json::to_string_pretty(&json).unwrap());
        }
    } else {
        print!("{}", report::exhaust_text(&outcome, &claim.id));
        if let Some(f) = &outcome.counterexample {
            println!(
                "COUNTEREXAMPLE: {}",
                report::replay_command(&f.spec, &f.result)
            );
            println!("  {}", evidence_line(&f.result));
        }
    }
    match &outcome.counterexample {
        Some(f) => args.coq.write(&f.spec, &f.result)?,
        None if args.coq.coq.is_some() => {
            eprintln!("--coq: the grid has no counterexample, so no proof script was written")
        }
        None => {}
    }
    if let (Some(dir), Some((json, markdown, toml))) = (&args.report, files) {
        let files = ReportFiles {
            json,
            markdown,
            toml,
        };
        // Several claims share the directory: one set of files per claim.
        let stem = if several {
            format!("counterexample-{}", claim.id)
        } else {
            "counterexample".to_string()
        };
        write_report(dir, &stem, &files)?;
    }
    let status = if outcome.counterexample.is_some() {
        1
    } else if outcome.tally.applicable() == 0 {
        EXIT_NOTHING_CHECKED
    } else if outcome.tally.undecided > 0 {
        3
    } else {
        0
    };
    Ok((status, json_out))
}

pub fn run_recheck(
    args: RecheckArgs,
    budget: bestofn::model::SizeBudget,
) -> Result<u8, InputError> {
    let policy = args.precision.policy()?;
    let text = bestofn::io::read_text(&args.file, "counterexample report")?;
    let origin = args.file.display().to_string();
    let set = super::scale::claim_set(args.claims_file.as_deref())?;
    // A certificate: read it against itself, re-check every counterexample and undecided
    // case it records, and re-decide a sample of its range when asked.
    if bestofn::report::certificate::looks_like_certificate(&text) {
        use bestofn::report::certificate;
        if args.coq.coq.is_some() {
            return Err(InputError::new(format!(
                "--coq: {origin} is a certificate, which may record many cases; recheck one counterexample report (search or exhaust --report) with --coq"
            )));
        }
        let how = certificate::Redecide {
            jobs: jobs(args.jobs)?,
            policy,
            budget,
        };
        let verified = certificate::verify(certificate::read(&text, &origin)?, &origin, &set, how)?;
        let cert = &verified.certificate;
        let entries: Vec<&serde_json::Value> =
            cert.counterexamples.iter().chain(&cert.undecided).collect();
        println!(
            "{origin}: certificate of {} over cases {}..{} of {} (read against itself: consistent); re-checking its {} recorded cases",
            cert.claim.id,
            cert.range().start,
            cert.next,
            cert.grid.cases,
            entries.len()
        );
        if entries.is_empty() && args.sample.is_none() {
            println!(
                "NOTHING RE-CHECKED: the certificate records no counterexample and no undecided case; --sample K re-decides K cases of its range"
            );
            return Ok(EXIT_NOTHING_CHECKED);
        }
        let mut all = true;
        for (i, entry) in entries.iter().enumerate() {
            let at = format!("{origin} entry {}", i + 1);
            println!("== grid case {} ==", entry["found_by"]["case_index"]);
            all &= recheck_one(
                &entry.to_string(),
                &at,
                &set,
                policy,
                budget,
                &CoqArgs::default(),
            )?;
        }
        if let Some(k) = args.sample {
            let (indices, listed) = certificate::spot_check(&verified, k, args.seed)?;
            println!(
                "SPOT CHECK: {} cases re-decided ({} drawn with seed {} from {}..{}, and the {listed} listed), every one as certified",
                indices.len(),
                indices.len() as u64 - listed.min(indices.len() as u64),
                args.seed,
                cert.range().start,
                cert.next
            );
        }
        return Ok(u8::from(!all));
    }
    if args.sample.is_some() {
        return Err(InputError::new(format!(
            "--sample: {origin} is a counterexample report, not a certificate; --sample re-decides cases of a certificate's range"
        )));
    }
    Ok(u8::from(!recheck_one(
        &text, &origin, &set, policy, budget, &args.coq,
    )?))
}

/// Re-checks one counterexample.json text; prints the account; whether it was confirmed.
/// The minimal case and the original are both re-decided: a record is confirmed only when
/// both give what it says, and the original fails as the minimal case does.
fn recheck_one(
    text: &str,
    origin: &str,
    set: &claims::ClaimSet,
    policy: PrecisionPolicy,
    budget: bestofn::model::SizeBudget,
    coq: &CoqArgs,
) -> Result<bool, InputError> {
    let (mut spec, claim_id, dropped, verdict, recorded) =
        report::parse_counterexample(text, origin)?;
    spec.budget = Some(budget);
    // A user claim travels as its expression: re-derive it from the report alone.
    let mut set = set.clone();
    if set.find(&claim_id).is_err() {
        if let Some(expression) = recorded
            .get("expression")
            .and_then(serde_json::Value::as_str)
        {
            set.add_statement(&claim_id, expression)?;
        }
    }
    let claim = set.find(&claim_id)?;
    claims::check_dropped(std::slice::from_ref(&claim), dropped.as_deref())?;
    coq.check(std::slice::from_ref(&claim))?;
    let result = recheck(&spec, &claim, dropped.as_deref(), &verdict, policy)?;
    let mut differences = report::record_differences(&recorded, &result.result);
    if let Some(original) = recorded.get("original") {
        let mut original_spec =
            report::parse_case_object(original.get("case"), "original.case", origin)?;
        original_spec.budget = Some(budget);
        let again = recheck(&original_spec, &claim, dropped.as_deref(), &verdict, policy)?;
        differences.extend(
            again
                .law_disagreements
                .iter()
                .map(|d| format!("original case: the two backends' laws differ: {d}")),
        );
        differences.extend(report::result_differences(
            "original.",
            original,
            &again.result,
        ));
        if again.result.verdict.name() != result.result.verdict.name() {
            differences.push(format!(
                "'original.case' gives {}, not {} as the minimal case does",
                again.result.verdict.name(),
                result.result.verdict.name()
            ));
        }
    } else {
        differences.push("no recorded 'original' section".to_string());
    }
    print!("{}", report::recheck_text(&result, &differences));
    println!("  {}", evidence_line(&result.result));
    let confirmed = result.confirmed && differences.is_empty();
    if confirmed {
        coq.write(&spec, &result.result)?;
    } else if coq.coq.is_some() {
        eprintln!("--coq: the report is not confirmed, so no proof script was written");
    }
    Ok(confirmed)
}
