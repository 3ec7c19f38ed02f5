//! `bestofn compare`: flags resolved into a case and a list of float arithmetics; the
//! comparison is computed by `bestofn::compare` and rendered by `bestofn::report::compare`.

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use bestofn::compare::{ArithComparison, ExactSide};
use bestofn::float::Arith;
use bestofn::report::{self, compare as render};
use bestofn::InputError;

use super::flags::{print_json, CaseFlags, OutputArgs, TiltArgs};
use super::EXIT_MISMATCH;
use bestofn::casefile::{self, check::compare_failures};

#[derive(Args)]
pub struct CompareArgs {
    /// TOML case files; flags override their values. A case file's [expected_compare] lists the
    /// failure kinds each arithmetic must show (exit 1 if the detected ones differ)
    #[arg(value_name = "CASE.toml")]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    case: CaseFlags,
    #[command(flatten)]
    tilt: TiltArgs,
    /// Float arithmetics to run: f64 (IEEE binary64, libm) and mpfr:P (MPFR, P bits, round to
    /// nearest, no underflow in practice)
    #[arg(
        long,
        default_value = "f64,mpfr:53,mpfr:113,mpfr:256",
        value_name = "LIST"
    )]
    float: String,
    #[command(flatten)]
    output: OutputArgs,
    /// Also write a Markdown report that leads with a one-paragraph verdict
    #[arg(long, value_name = "FILE.md")]
    report: Option<PathBuf>,
    /// Draw the largest relative error against precision, one panel per quantity (one case
    /// only; FILE.svg, .pdf or .png)
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    figure: super::flags::FigureSizeArgs,
    /// MPFR precisions swept for --plot, besides the --float ones
    #[arg(
        long,
        default_value = "16,24,32,48,53,64,80,96,113,128,160,192,256",
        value_name = "BITS"
    )]
    plot_precisions: String,
    #[command(flatten)]
    precision: super::PrecisionArgs,
}

pub fn run_compare(
    args: CompareArgs,
    budget: bestofn::model::SizeBudget,
) -> Result<u8, InputError> {
    let arithmetics = Arith::parse_list(&args.float)?;
    let policy = args.precision.policy()?;
    if let Some(path) = &args.plot {
        super::check_figure_path("--plot", path)?;
    }
    if let Some(path) = &args.report {
        super::check_output_path("--report", path)?;
    }
    let size = args.figure.size()?;
    let sweep: Vec<Arith> = match &args.plot {
        None => Vec::new(),
        Some(_) => Arith::parse_list(
            &args
                .plot_precisions
                .split(',')
                .map(|p| format!("mpfr:{}", p.trim()))
                .collect::<Vec<_>>()
                .join(","),
        )
        .map_err(|_| {
            InputError::new(format!(
                "--plot-precisions: '{}' must be a comma list of MPFR precisions in bits, each in 2..={}",
                args.plot_precisions,
                bestofn::float::arith::MAX_MPFR_PREC
            ))
        })?,
    };
    let mut flags = args.case.spec_with(&args.tilt);
    flags.budget = Some(budget);
    let files = casefile::read_all(&args.cases, &flags)?;
    if args.plot.is_some() && files.len() != 1 {
        return Err(InputError::new(format!(
            "plot: --plot draws one case; {} were given",
            files.len()
        )));
    }
    let mut exit = 0;
    let mut json_out = Vec::new();
    let mut markdown = String::new();
    for (i, file) in files.iter().enumerate() {
        let spec = &file.spec;
        let (case, _) = spec.resolve()?;
        let tilt = spec.tilt()?;
        let outcomes = case.source.sequence_count().unwrap_or(u64::MAX);
        let swept = if args.plot.is_some() { &sweep[..] } else { &[] };
        let estimate =
            bestofn::compare::estimated_seconds(outcomes, &[&arithmetics[..], swept].concat());
        let bar = if estimate >= 5 {
            eprintln!(
                "bestofn: compare: {outcomes} sequences in {} arithmetics, an estimated {} on 2 cores",
                arithmetics.len() + swept.len(),
                bestofn::report::text::duration_words(estimate as f64)
            );
            let bar = ProgressBar::new((arithmetics.len() + 1) as u64);
            bar.set_style(
                ProgressStyle::with_template("[{elapsed_precise}] {msg} {wide_bar} {pos}/{len}")
                    .expect("valid template"),
            );
            bar
        } else {
            ProgressBar::hidden()
        };
        bar.set_message("exact side");
        let exact = ExactSide::compute(&case, &tilt, policy)?;
        bar.inc(1);
        let comparisons = arithmetics
            .iter()
            .map(|&a| {
                bar.set_message(a.name());
                let compared = exact.compare(a);
                bar.inc(1);
                compared
            })
            .collect::<Result<Vec<_>, _>>()?;
        bar.finish_and_clear();
        // Expected failure kinds, per arithmetic (computed if not selected).
        let differing = compare_failures(file, &exact, &comparisons)?;
        let name = spec
            .name
            .clone()
            .unwrap_or_else(|| report::case_line(&case));
        if args.output.json {
            let expected = (!file.expected_compare.is_empty())
                .then_some((file.expected_compare.len(), differing.as_slice()));
            json_out.push(render::json_named(&name, &exact, &comparisons, expected));
        } else {
            if i > 0 {
                println!();
            }
            print!("{}", render::text(&exact, &comparisons));
            if !file.expected_compare.is_empty() {
                if differing.is_empty() {
                    println!(
                        "expected failures: {} arithmetics checked, all as expected",
                        file.expected_compare.len()
                    );
                } else {
                    for d in &differing {
                        println!("EXPECTED FAILURES DIFFER: {d}");
                    }
                }
            }
        }
        if !differing.is_empty() {
            exit = EXIT_MISMATCH;
        }
        if args.report.is_some() {
            markdown.push_str(&render::markdown(&name, &exact, &comparisons));
        }
        if let Some(path) = &args.plot {
            let mut all: Vec<ArithComparison> = comparisons.clone();
            for a in &sweep {
                if !arithmetics.contains(a) {
                    all.push(exact.compare(*a)?);
                }
            }
            let caption =
                bestofn::report::case_record::CaseRecord::of(&exact.case, &exact.tilt).caption();
            let figure = render::plot(&name, &caption, &all, size);
            super::write_figure("--plot", path, &figure.render()?)?;
        }
    }
    if args.output.json {
        print_json(json_out);
    }
    if let Some(path) = &args.report {
        super::write_output("--report", path, &markdown)?;
    }
    Ok(exit)
}
