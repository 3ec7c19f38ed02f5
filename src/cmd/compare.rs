//! `bestofn compare`: flags resolved into a case and a list of float arithmetics; the
//! comparison is computed by `bestofn::compare` and rendered by `bestofn::report::compare`.

use std::path::PathBuf;

use clap::Args;

use bestofn::compare::{ArithComparison, ExactSide};
use bestofn::float::Arith;
use bestofn::report::{self, compare as render};
use bestofn::InputError;

use crate::{case_specs, CaseFlags, EXIT_MISMATCH};

#[derive(Args)]
pub struct CompareArgs {
    /// TOML case files; flags override their values. A case file's [expected_compare] lists the
    /// failure kinds each arithmetic must show (exit 1 if the detected ones differ)
    #[arg(value_name = "CASE.toml")]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    case: CaseFlags,
    /// Alignment distribution q for the tilts (positive, sums to 1); without --reward the
    /// reward is log q
    #[arg(long, value_name = "Q1,..,QK")]
    q: Option<String>,
    /// Tilt exponent alpha: compare T(q, p, alpha) letter by letter
    #[arg(long, value_name = "A", allow_hyphen_values = true)]
    alpha: Option<String>,
    /// Second exponent beta: also compare both sides of Lemma 9, T(q, T(q,p,alpha), beta) and
    /// T(q, p, alpha+beta)
    #[arg(long, value_name = "B", allow_hyphen_values = true)]
    beta: Option<String>,
    /// Float arithmetics to run: f64 (IEEE binary64, libm) and mpfr:P (MPFR, P bits, round to
    /// nearest, no underflow in practice)
    #[arg(
        long,
        default_value = "f64,mpfr:53,mpfr:113,mpfr:256",
        value_name = "LIST"
    )]
    float: String,
    /// Print JSON: {"case", "certified", "verdict", "arithmetics": [{"arith", "lost_ties",
    /// "invented_ties", "nonfinite", "wrong_verdicts", "max_errors", ...}]}
    #[arg(long)]
    json: bool,
    /// Also write a Markdown report that leads with a one-paragraph verdict
    #[arg(long, value_name = "FILE.md")]
    report: Option<PathBuf>,
    /// Write an SVG of maximum relative error against precision (one case only)
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
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

pub fn run_compare(args: CompareArgs) -> Result<u8, InputError> {
    let arithmetics = Arith::parse_list(&args.float)?;
    let policy = args.precision.policy()?;
    for (flag, path) in [("--plot", &args.plot), ("--report", &args.report)] {
        if let Some(path) = path {
            super::check_output_path(flag, path)?;
        }
    }
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
    let mut flags = args.case.spec();
    flags.q = args.q.clone();
    flags.alpha = args.alpha.clone();
    flags.beta = args.beta.clone();
    let specs = case_specs(&args.cases, &flags)?;
    if args.plot.is_some() && specs.len() != 1 {
        return Err(InputError::new(format!(
            "plot: --plot draws one case; {} were given",
            specs.len()
        )));
    }
    let mut exit = 0;
    let mut json_out = Vec::new();
    let mut markdown = String::new();
    for (i, spec) in specs.iter().enumerate() {
        let (case, _) = spec.resolve()?;
        let tilt = spec.tilt()?;
        let exact = ExactSide::compute(&case, &tilt, policy)?;
        let comparisons = arithmetics
            .iter()
            .map(|&a| exact.compare(a))
            .collect::<Result<Vec<_>, _>>()?;
        // Expected failure kinds, per arithmetic (computed if not selected).
        let mut differing = Vec::new();
        for (arith, expected) in &spec.expected_compare {
            let extra;
            let got = match comparisons.iter().find(|c| c.arith == *arith) {
                Some(c) => c,
                None => {
                    extra = exact.compare(*arith)?;
                    &extra
                }
            };
            let kinds = got.failure_kinds();
            if kinds
                .iter()
                .copied()
                .ne(expected.iter().map(String::as_str))
            {
                differing.push(format!(
                    "{}: expected failures [{}], detected [{}]",
                    arith.name(),
                    expected.join(", "),
                    kinds.join(", ")
                ));
            }
        }
        let name = spec
            .name
            .clone()
            .unwrap_or_else(|| report::case_line(&case));
        if args.json {
            let mut value = render::json(&exact, &comparisons);
            value["name"] = serde_json::json!(name);
            if !spec.expected_compare.is_empty() {
                value["expected_compare"] = serde_json::json!({
                    "checked": spec.expected_compare.len(),
                    "differing": differing,
                });
            }
            json_out.push(value);
        } else {
            if i > 0 {
                println!();
            }
            print!("{}", render::text(&exact, &comparisons));
            if !spec.expected_compare.is_empty() {
                if differing.is_empty() {
                    println!(
                        "expected failures: {} arithmetics checked, all as expected",
                        spec.expected_compare.len()
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
            super::write_output("--plot", path, &render::plot(&name, &all).render())?;
        }
    }
    if args.json {
        crate::print_json(json_out);
    }
    if let Some(path) = &args.report {
        super::write_output("--report", path, &markdown)?;
    }
    Ok(exit)
}
