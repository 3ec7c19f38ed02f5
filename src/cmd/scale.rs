//! Certified exhaustive runs at scale: `exhaust --shard I/N --certificate F --checkpoint F`,
//! and `bestofn merge`. Flags are resolved here; the partition, the run and the certificate
//! are the library's (`search::exhaust`, `report::certificate`).

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::ProgressBar;

use bestofn::report::certificate::{self, Certificate};
use bestofn::search::exhaust::{exhaust_range, shard_range, ExhaustSettings, Grid, Plan};
use bestofn::search::{decide_spec, Found};
use bestofn::InputError;

pub struct CertifiedArgs<'a> {
    pub shard: Option<&'a str>,
    pub certificate: Option<&'a Path>,
    pub checkpoint: Option<&'a Path>,
    pub checkpoint_every: Duration,
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
            if last_write.get().elapsed() >= args.checkpoint_every {
                let cert = Certificate::new(settings, &grid, shard, &range, progress);
                if let Err(e) = super::write_atomically("--checkpoint", path, &cert.to_pretty()) {
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
        stop: None,
    };
    let progress = exhaust_range(settings, &grid, plan, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    if let Some(e) = write_error.into_inner() {
        return Err(e);
    }
    let cert = Certificate::new(settings, &grid, shard, &range, &progress);
    if let Some(path) = args.checkpoint {
        super::write_atomically("--checkpoint", path, &cert.to_pretty())?;
    }
    if let Some(path) = args.certificate {
        super::write_atomically("--certificate", path, &cert.to_pretty())?;
    }
    if args.json {
        print!("{}", cert.to_pretty());
    } else {
        let counts = cert.counts;
        let seconds = progress.elapsed.as_secs_f64();
        println!(
            "{}: {} cases {}..{} of {}: {} hold, {} fail, {} undecided, {} not applicable in {:.2} s ({:.0} cases/s)",
            settings.claim.id,
            shard.map_or("whole grid,".to_string(), |(i, n)| format!("shard {i}/{n},")),
            range.start,
            range.end,
            grid.count,
            counts.holds,
            counts.fails,
            counts.undecided,
            counts.not_applicable,
            seconds,
            (range.end - range.start) as f64 / seconds.max(1e-9)
        );
        println!("grid: {}", grid.description);
        if let Some(first) = progress.counterexamples.first() {
            println!(
                "COUNTEREXAMPLE (grid case {}): bestofn check {} {}",
                first.index,
                bestofn::report::counterexample::case_flags(&first.spec),
                bestofn::report::counterexample::claim_flag(&settings.claim)
            );
        }
        if cert.status() == super::search::EXIT_NOTHING_CHECKED {
            println!(
                "{}",
                bestofn::report::counterexample::nothing_applied(&progress.tally)
            );
        }
        if let Some(path) = args.certificate {
            println!(
                "certificate: {} (checksum {})",
                path.display(),
                cert.checksum
            );
        }
    }
    Ok(cert.status())
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
    /// Re-decide K cases drawn from each certificate's range, and every case it lists, before
    /// believing it: a shard that lied about a fraction f of its cases is caught with
    /// probability at least 1 - (1 - f)^K. The merged certificate records what was re-decided
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, value_name = "K")]
    verify: Option<u64>,
    /// Seed of the cases --verify draws
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, default_value_t = 1, requires = "verify")]
    seed: u64,
    /// The claims file that declares the certificates' claim, when it is not in the catalogue
    #[arg(long = "claims", value_name = "FILE.toml")]
    claims_file: Option<PathBuf>,
    /// Worker threads of --verify [default: all cores]
    #[arg(long, value_parser = crate::cmd::flags::whole_usize, value_name = "J")]
    jobs: Option<usize>,
    #[command(flatten)]
    precision: super::flags::PrecisionArgs,
}

/// The catalogue plus the claims of `--claims FILE`, to rebuild a certificate's claim from.
pub fn claim_set(claims_file: Option<&Path>) -> Result<bestofn::claims::ClaimSet, InputError> {
    let mut set = bestofn::claims::ClaimSet::catalogue();
    if let Some(path) = claims_file {
        let (decls, defines) = bestofn::casefile::read_claims_file(path)?;
        for d in &decls {
            set.declare(d, &defines)?;
        }
    }
    Ok(set)
}

/// Reads and verifies the certificate in `path` (see `certificate::verify`).
pub fn read_verified(
    path: &Path,
    set: &bestofn::claims::ClaimSet,
    how: certificate::Redecide,
) -> Result<certificate::Verified, InputError> {
    let origin = path.display().to_string();
    let text = bestofn::io::read_text(path, "certificate")?;
    certificate::verify(certificate::read(&text, &origin)?, &origin, set, how)
}

/// `bestofn merge`: reads each certificate against itself, checks that they are of one grid,
/// claim and version and cover the grid exactly once, spot-checks them if asked, then writes
/// the combined certificate and its statement.
pub fn run_merge(args: MergeArgs, budget: bestofn::model::SizeBudget) -> Result<u8, InputError> {
    for (flag, path) in [("-o", &args.output), ("--markdown", &args.markdown)] {
        if let Some(path) = path {
            super::check_output_path(flag, path)?;
        }
    }
    let set = claim_set(args.claims_file.as_deref())?;
    let how = certificate::Redecide {
        jobs: super::search::jobs(args.jobs)?,
        policy: args.precision.policy()?,
        budget,
    };
    let mut certs = Vec::new();
    for path in &args.certificates {
        certs.push(read_verified(path, &set, how)?);
    }
    let mut merged = certificate::merge(&certs)?;
    if let Some(k) = args.verify {
        let mut indices = Vec::new();
        let mut recorded = 0;
        for cert in &certs {
            let (some, listed) = certificate::spot_check(cert, k, args.seed)?;
            indices.extend(some);
            recorded += listed;
        }
        indices.sort_unstable();
        merged.spot_check = Some(certificate::SpotCheck {
            seed: args.seed,
            per_certificate: k,
            indices,
            recorded,
        });
        merged.seal();
    }
    let statement = certificate::statement(&merged);
    if let Some(path) = &args.output {
        super::write_atomically("-o", path, &merged.to_pretty())?;
    }
    if let Some(path) = &args.markdown {
        super::write_output("--markdown", path, &statement)?;
    }
    print!("{statement}");
    Ok(merged.status())
}
