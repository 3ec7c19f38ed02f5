//! Certified exhaustive runs at scale: `exhaust --shard I/N --certificate F --checkpoint F`,
//! and `bestofn merge`. Flags are resolved here; the partition, the run and the certificate
//! are the library's (`search::exhaust`, `report::certificate`).

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::ProgressBar;
use serde_json::Value as Json;

use bestofn::report::certificate;
use bestofn::search::exhaust::{exhaust_range, shard_range, ExhaustSettings, Grid, Plan};
use bestofn::search::{decide_spec, Found};
use bestofn::InputError;

/// Seconds between checkpoint writes.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(2);

pub struct CertifiedArgs<'a> {
    pub shard: Option<&'a str>,
    pub certificate: Option<&'a Path>,
    pub checkpoint: Option<&'a Path>,
    pub json: bool,
}

/// `I/N` with `1 <= I <= N`.
pub fn parse_shard(text: &str) -> Result<(u64, u64), InputError> {
    let bad = |why: &str| {
        InputError::new(format!(
            "shard: '{text}' {why}; write I/N with 1 <= I <= N, e.g. 2/8"
        ))
    };
    let (i, n) = text.split_once('/').ok_or_else(|| bad("is not I/N"))?;
    let i: u64 = i.trim().parse().map_err(|_| bad("has no shard number I"))?;
    let n: u64 = n.trim().parse().map_err(|_| bad("has no shard count N"))?;
    if n == 0 {
        return Err(bad("has N = 0"));
    }
    if i == 0 {
        return Err(bad("has I = 0 (shards count from 1)"));
    }
    if i > n {
        return Err(bad("has I > N"));
    }
    Ok((i, n))
}

/// Writes `text` to `path` atomically (a temporary file in the same directory, then a rename),
/// so a kill never leaves half a checkpoint.
fn write_atomically(flag: &str, path: &Path, text: &str) -> Result<(), InputError> {
    let tmp: PathBuf = {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".tmp");
        path.with_file_name(name)
    };
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| InputError::new(format!("{flag}: cannot write {}: {e}", path.display())))
}

fn pretty(value: &Json) -> String {
    serde_json::to_string_pretty(value).expect("JSON values serialise") + "\n"
}

/// Exit status of a certificate's counts: 1 a counterexample, 3 undecided, 4 nothing applied.
fn status_of(cert: &Json) -> u8 {
    let n = |key: &str| cert["counts"][key].as_u64().unwrap_or(0);
    if n("fails") > 0 {
        1
    } else if n("holds") + n("undecided") + n("measured") == 0 {
        super::search::EXIT_NOTHING_CHECKED
    } else if n("undecided") > 0 {
        3
    } else {
        0
    }
}

pub fn run_certified(
    settings: &ExhaustSettings,
    args: CertifiedArgs,
    bar: &ProgressBar,
) -> Result<u8, InputError> {
    let shard = args.shard.map(parse_shard).transpose()?;
    for (flag, path) in [
        ("--certificate", args.certificate),
        ("--checkpoint", args.checkpoint),
    ] {
        if let Some(path) = path {
            super::check_output_path(flag, path)?;
        }
    }
    let grid = Grid::new(settings)?;
    let range = shard.map_or(0..grid.count, |(i, n)| shard_range(grid.count, i, n));
    let redecide = |index: u64, spec: bestofn::spec::CaseSpec| -> Result<Found, InputError> {
        let result = decide_spec(
            &spec,
            &settings.claim,
            settings.dropped.as_deref(),
            settings.policy,
        )?;
        Ok(Found {
            index,
            spec,
            result,
        })
    };
    let resume = match args.checkpoint.filter(|p| p.exists()) {
        None => None,
        Some(path) => {
            let origin = path.display().to_string();
            let text = bestofn::io::read_text(path, "checkpoint")?;
            let value = certificate::read(&text, &origin)?;
            let progress =
                certificate::resume(&value, settings, &grid, &range, &origin, &redecide)?;
            eprintln!(
                "bestofn: exhaust: resuming from {origin} at case {} of {}..{}",
                progress.next, range.start, range.end
            );
            Some(progress)
        }
    };
    let last_write = Cell::new(Instant::now());
    let write_error = std::cell::RefCell::new(None);
    let checkpoint = |progress: &bestofn::search::exhaust::Progress| {
        if let Some(path) = args.checkpoint {
            if last_write.get().elapsed() >= CHECKPOINT_EVERY {
                let cert = certificate::certificate(settings, &grid, shard, &range, progress);
                if let Err(e) = write_atomically("--checkpoint", path, &pretty(&cert)) {
                    write_error.borrow_mut().get_or_insert(e);
                }
                last_write.set(Instant::now());
            }
        }
    };
    let plan = Plan {
        range: range.clone(),
        all: true,
        resume,
        checkpoint: &checkpoint,
    };
    let progress = exhaust_range(settings, &grid, plan, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    if let Some(e) = write_error.into_inner() {
        return Err(e);
    }
    let cert = certificate::certificate(settings, &grid, shard, &range, &progress);
    if let Some(path) = args.checkpoint {
        write_atomically("--checkpoint", path, &pretty(&cert))?;
    }
    if let Some(path) = args.certificate {
        write_atomically("--certificate", path, &pretty(&cert))?;
    }
    if args.json {
        print!("{}", pretty(&cert));
    } else {
        let n = |key: &str| cert["counts"][key].as_u64().unwrap_or(0);
        let seconds = progress.elapsed.as_secs_f64();
        println!(
            "{}: {} cases {}..{} of {}: {} hold, {} fail, {} undecided, {} not applicable in {:.2} s ({:.0} cases/s)",
            settings.claim.id,
            shard.map_or("whole grid,".to_string(), |(i, n)| format!("shard {i}/{n},")),
            range.start,
            range.end,
            grid.count,
            n("holds"),
            n("fails"),
            n("undecided"),
            n("not_applicable"),
            seconds,
            (range.end - range.start) as f64 / seconds.max(1e-9)
        );
        println!("grid: {}", grid.description);
        if let Some(first) = progress.counterexamples.first() {
            println!(
                "COUNTEREXAMPLE (grid case {}): bestofn check {} {}",
                first.index,
                bestofn::report::counterexample::case_flags(&first.spec),
                super::search::claim_flag(&settings.claim)
            );
        }
        if status_of(&cert) == super::search::EXIT_NOTHING_CHECKED {
            println!(
                "{}",
                bestofn::report::counterexample::nothing_applied(&progress.tally)
            );
        }
        if let Some(path) = args.certificate {
            println!(
                "certificate: {} (checksum {})",
                path.display(),
                cert["checksum"].as_str().unwrap_or("")
            );
        }
    }
    Ok(status_of(&cert))
}

#[derive(Args)]
pub struct MergeArgs {
    /// Certificates written by `exhaust --certificate` (one per shard), in any order
    #[arg(value_name = "CERT.json", required = true)]
    certificates: Vec<PathBuf>,
    /// Write the combined certificate here
    #[arg(short = 'o', long = "output", value_name = "FILE.json")]
    output: Option<PathBuf>,
    /// Write the one-paragraph Markdown statement here (it is printed either way)
    #[arg(long, value_name = "FILE.md")]
    markdown: Option<PathBuf>,
}

/// `bestofn merge`: checks that the shards are of one grid, claim and version and cover the
/// grid exactly once, then writes the combined certificate and its statement.
pub fn run_merge(args: MergeArgs) -> Result<u8, InputError> {
    for (flag, path) in [("-o", &args.output), ("--markdown", &args.markdown)] {
        if let Some(path) = path {
            super::check_output_path(flag, path)?;
        }
    }
    let mut certs = Vec::new();
    for path in &args.certificates {
        let origin = path.display().to_string();
        let text = bestofn::io::read_text(path, "certificate")?;
        certs.push((origin.clone(), certificate::read(&text, &origin)?));
    }
    let merged = certificate::merge(&certs)?;
    let statement = certificate::statement(&merged);
    if let Some(path) = &args.output {
        super::write_output("-o", path, &pretty(&merged))?;
    }
    if let Some(path) = &args.markdown {
        super::write_output("--markdown", path, &statement)?;
    }
    print!("{statement}");
    Ok(status_of(&merged))
}
