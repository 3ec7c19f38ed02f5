//! `bestofn law` and `bestofn bench`.

use std::path::PathBuf;

use bestofn::casefile;
use bestofn::law::{reference, ExactLaw, LawTable, Summary};
use bestofn::report::{json, text};
use bestofn::InputError;
use clap::{Args, ValueEnum};
use num_rational::BigRational;

use super::flags::{print_json, CaseFlags, OutputArgs};
use super::EXIT_MISMATCH;

#[derive(Clone, Copy, ValueEnum)]
enum Backend {
    /// GMP via rug, integer numerators over a shared denominator (fast)
    Rug,
    /// num-rational: the plain rational formula in an unrelated big-number library
    Num,
    /// Both, and fail (exit 1) unless they agree exactly
    Both,
}

#[derive(Args)]
pub struct LawArgs {
    /// TOML case files (see docs/case-format.md); flags override their values
    #[arg(value_name = "CASE.toml")]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    case: CaseFlags,
    /// Arithmetic backend
    #[arg(long, value_enum, default_value = "rug")]
    backend: Backend,
    #[command(flatten)]
    output: OutputArgs,
    /// Print sizes, the exact total and the top outcome instead of every value
    #[arg(long)]
    summary: bool,
    /// Print every row of a law of more than 64 outcomes (text shows its first 24 and a count)
    #[arg(long)]
    full: bool,
}

#[derive(Args)]
pub struct BenchArgs {
    /// Runs per workload (the median is reported)
    #[arg(long, value_parser = crate::cmd::flags::whole_usize, default_value_t = 5)]
    repeat: usize,
    /// Runs of the asymptotics workload (Figure 1 of 003, m = 1..200, several seconds each;
    /// 0 skips it)
    #[arg(long, value_parser = crate::cmd::flags::whole_usize, default_value_t = 1)]
    asymptotics_runs: usize,
}

pub fn run_law(args: LawArgs, budget: bestofn::model::SizeBudget) -> Result<u8, InputError> {
    let mut flags = args.case.spec();
    flags.budget = Some(budget);
    let files = casefile::read_all(&args.cases, &flags)?;
    let mut exit = 0;
    let mut json_out = Vec::new();
    // For the closing line of a multi-file run: files whose expected values all match, and
    // those that state none.
    let (mut matching, mut without, mut differing) = (0usize, 0usize, Vec::new());
    for (i, file) in files.iter().enumerate() {
        let (case, route) = file.spec.resolve()?;
        if !args.output.json && files.len() > 1 {
            if i > 0 {
                println!();
            }
            println!("== {} ==", args.cases[i].display());
        }
        if args.summary {
            let summary = match args.backend {
                Backend::Rug => Summary::of(&ExactLaw::compute(&case, route)?),
                Backend::Num => Summary::of(&num_law(&case, route)?),
                Backend::Both => {
                    let (fast, agree) = both_backends(&case, route, args.output.json)?;
                    if !agree {
                        exit = EXIT_MISMATCH;
                    }
                    Summary::of(&fast)
                }
            };
            if args.output.json {
                json_out.push(json::summary(&case, &summary));
            } else {
                print!("{}", text::summary(&case, &summary));
            }
            continue;
        }
        let table = match args.backend {
            Backend::Rug => {
                LawTable::from_exact(&ExactLaw::compute(&case, route)?, case.k(), case.m())
            }
            Backend::Num => num_law(&case, route)?,
            Backend::Both => {
                let (fast, agree) = both_backends(&case, route, args.output.json)?;
                if !agree {
                    exit = EXIT_MISMATCH;
                }
                fast
            }
        };
        let mismatches = file.expected.mismatches(&table);
        if !mismatches.is_empty() {
            exit = EXIT_MISMATCH;
            differing.push(args.cases[i].display().to_string());
        } else if file.expected.is_empty() {
            without += 1;
        } else {
            matching += 1;
        }
        let checked =
            (!file.expected.is_empty()).then_some((file.expected.count(), mismatches.as_slice()));
        if args.output.json {
            json_out.push(json::law(&case, &table, checked));
        } else {
            print!("{}", text::law(&case, &table, args.full));
            if let Some((count, mismatches)) = checked {
                print!("{}", text::expected_check(count, mismatches));
            }
        }
    }
    if args.output.json {
        print_json(json_out);
    } else if files.len() > 1 && !args.summary {
        println!(
            "\n{} case files: {matching} match their expected values, {} differ{}, {without} state none",
            files.len(),
            differing.len(),
            if differing.is_empty() {
                String::new()
            } else {
                format!(" ({})", differing.join(", "))
            }
        );
    }
    Ok(exit)
}

/// Both backends, compared outcome by outcome; says whether they agree (and prints which
/// outcomes differ, or that they agree unless the output is JSON).
fn both_backends(
    case: &bestofn::model::Case,
    route: bestofn::law::Route,
    json: bool,
) -> Result<(LawTable, bool), InputError> {
    let fast = LawTable::from_exact(&ExactLaw::compute(case, route)?, case.k(), case.m());
    let slow = num_law(case, route)?;
    let disagree = fast.disagreements(&slow);
    if !disagree.is_empty() {
        eprintln!(
            "bestofn: rug and num backends DISAGREE on {} outcomes:",
            disagree.len()
        );
        for line in disagree.iter().take(10) {
            eprintln!("  {line}");
        }
    } else if !json {
        println!(
            "backends rug and num agree exactly on all {} outcomes",
            fast.pi.len()
        );
    }
    Ok((fast, disagree.is_empty()))
}

/// The law by the num-rational backend: refused past the work budget, with an estimate on
/// stderr and a progress bar (on a terminal) when it will take more than a few seconds.
fn num_law(
    case: &bestofn::model::Case,
    route: bestofn::law::Route,
) -> Result<LawTable, InputError> {
    let work = bestofn::law::budget::check_num_work(case, route)?;
    let seconds = bestofn::law::budget::num_seconds(work) as f64;
    if seconds < 3.0 {
        return reference::compute::<BigRational>(case, route);
    }
    eprintln!(
        "bestofn: backend num: about {work} units of rational work, an estimated {} (the rug backend needs well under a second)",
        bestofn::report::text::duration_words(seconds)
    );
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "[{elapsed_precise}] num backend: {pos}/{len} reward classes, ETA {eta} {wide_bar}",
        )
        .expect("valid template"),
    );
    let law = reference::compute_with_progress::<BigRational>(case, route, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    law
}

pub fn run_bench(args: BenchArgs) -> Result<u8, InputError> {
    if args.repeat == 0 {
        return Err(InputError::new(
            "--repeat: must be at least 1 (a median of 0 runs is no measurement)",
        ));
    }
    println!(
        "exact law by type, --summary work, median of {} runs (in-process)",
        args.repeat
    );
    for workload in bestofn::bench::WORKLOADS {
        eprintln!("bench: {} ({} runs)...", workload.name, args.repeat);
        let timing = bestofn::bench::run(workload, args.repeat)?;
        println!(
            "{:18} {:>10.2} ms   ({} types, {} classes, total exactly 1: {})",
            timing.name,
            timing.median().as_secs_f64() * 1e3,
            timing.summary.outcome_count,
            timing.summary.class_count,
            timing.summary.total_is_one
        );
    }
    println!(
        "catalogue statements on W1 (laws for N and N + 1 computed first), median of {} runs",
        args.repeat
    );
    for (id, median, verdict) in bestofn::bench::statements_w1(args.repeat)? {
        println!(
            "  {id:30} {:>9.2} ms   {verdict}",
            median.as_secs_f64() * 1e3
        );
    }
    if args.asymptotics_runs > 0 {
        let mut runs = Vec::new();
        let mut routes = (0, 0);
        for run in 0..args.asymptotics_runs {
            eprintln!(
                "bench: asymptotics Figure 1, m = 1..200, run {} of {} (~7 s each)...",
                run + 1,
                args.asymptotics_runs
            );
            let (elapsed, exact, enclosed) = bestofn::bench::asymptotics_figure1(200)?;
            runs.push(elapsed);
            routes = (exact, enclosed);
        }
        runs.sort();
        println!(
            "asymptotics Figure 1, m = 1..200: median {:.2} s of {} runs ({} rows exact, {} by enclosure; target < 10 s)",
            runs[runs.len() / 2].as_secs_f64(),
            runs.len(),
            routes.0,
            routes.1
        );
    }
    Ok(0)
}
