//! The `bestofn` command: a thin shell over the library. Flags are parsed raw by clap, resolved
//! into a validated case by `bestofn::casefile`, computed by `bestofn::law`, rendered by
//! `bestofn::report`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use num_rational::BigRational;
use rug::Rational;

use bestofn::casefile::CaseSpec;
use bestofn::law::{reference, ExactLaw, LawTable, Summary};
use bestofn::report::{json, text};
use bestofn::InputError;

const EXIT_MISMATCH: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "bestofn",
    version,
    about = "Checks the theory of best-of-N alignment with exact arithmetic",
    long_about = "Checks the theory of best-of-N alignment with exact arithmetic.\n\n\
Best-of-N draws N outputs from a reference model p and keeps the one with the highest reward. \
bestofn computes its law exactly (big rationals, exact reward ties) on small discrete cases: \
a pmf p on letters 0..K-1, sequences of length m drawn memorylessly, a reward, and a \
tie-breaking rule.\n\n\
Exit status: 0 success, 1 a case file's expected values differ, 2 bad input.",
    after_help = "Examples:\n  \
bestofn law cases/example2.toml\n  \
bestofn law --p 1/5,3/10,1/2 --reward log:6,1,2 --m 2 --n 2\n  \
bestofn law --p 1/2,1/2 --reward additive:0,1 --m 3 --n 4 --tie-break lex-min --json\n  \
bestofn law --p 1/5,3/10,1/2 --reward log:6,1,2 --m 30 --n 1000 --summary"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the exact best-of-N law of a case (and check a case file's expected values)
    Law(LawArgs),
    /// Time the exact engine on the standard workloads (W1: m=30, N=1000; W2: m=60, N=10^4)
    Bench(BenchArgs),
}

/// The case, as flags. Each overrides the same key of a case file.
#[derive(Args, Clone, Default)]
struct CaseFlags {
    /// Reference pmf over letters 0..K-1, exact: 1/5,3/10,1/2 or 0.2,0.3,0.5 (must sum to 1)
    #[arg(long, value_name = "P1,..,PK", allow_hyphen_values = true)]
    p: Option<String>,
    /// Reward: additive:V1,..,VK (summed), log:W1,..,WK (sum of log w, w > 0; ties decided by
    /// comparing products exactly) or scores:FILE (one 'y1,..,ym: score' line per sequence)
    #[arg(long, value_name = "KIND:VALUES", allow_hyphen_values = true)]
    reward: Option<String>,
    /// Sequence length m (default 1)
    #[arg(long, value_name = "M")]
    m: Option<u32>,
    /// Number of draws N >= 1
    #[arg(long, value_name = "N")]
    n: Option<u64>,
    /// Tie-breaking among draws with the maximal reward [default: uniform]
    #[arg(long, value_name = "RULE", value_parser = ["uniform", "lex-min", "lex-max"])]
    tie_break: Option<String>,
    /// Compute by type (fast; additive/log reward with uniform ties) or by sequence (K^m
    /// outcomes; any reward and tie-break) [default: type when valid]
    #[arg(long, value_name = "ROUTE", value_parser = ["type", "sequence"])]
    by: Option<String>,
}

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
struct LawArgs {
    /// TOML case files (see docs/case-format.md); flags override their values
    #[arg(value_name = "CASE.toml")]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    case: CaseFlags,
    /// Arithmetic backend
    #[arg(long, value_enum, default_value = "rug")]
    backend: Backend,
    /// Print JSON (exact values as "a/b" strings) instead of text
    #[arg(long)]
    json: bool,
    /// Print sizes, the exact total and the top outcome instead of every value
    #[arg(long)]
    summary: bool,
}

#[derive(Args)]
struct BenchArgs {
    /// Runs per workload (the median is reported)
    #[arg(long, default_value_t = 5)]
    repeat: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Law(args) => run_law(args),
        Command::Bench(args) => run_bench(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("bestofn: error: {e}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

impl CaseFlags {
    fn spec(&self) -> CaseSpec {
        CaseSpec {
            p: self.p.clone(),
            reward: self.reward.clone(),
            m: self.m,
            n: self.n,
            tie_break: self.tie_break.clone(),
            by: self.by.clone(),
            base_dir: PathBuf::from("."),
            ..Default::default()
        }
    }
}

fn run_law(args: LawArgs) -> Result<u8, InputError> {
    let specs: Vec<CaseSpec> = if args.cases.is_empty() {
        vec![args.case.spec()]
    } else {
        args.cases
            .iter()
            .map(|path| Ok(CaseSpec::from_file(path)?.overridden_by(args.case.spec())))
            .collect::<Result<_, InputError>>()?
    };
    let mut exit = 0;
    let mut json_out = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let (case, route) = spec.resolve()?;
        if !args.json && specs.len() > 1 {
            if i > 0 {
                println!();
            }
            println!("== {} ==", args.cases[i].display());
        }
        if args.summary {
            let summary = match args.backend {
                Backend::Rug => Summary::of(&ExactLaw::compute(&case, route)?),
                _ => Summary::of(&reference::compute::<BigRational>(&case, route)?),
            };
            if args.json {
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
            Backend::Num => reference::compute::<BigRational>(&case, route)?,
            Backend::Both => {
                let fast =
                    LawTable::from_exact(&ExactLaw::compute(&case, route)?, case.k(), case.m());
                let slow = reference::compute::<BigRational>(&case, route)?;
                let disagree = disagreements(&fast, &slow);
                if !disagree.is_empty() {
                    eprintln!(
                        "bestofn: rug and num backends DISAGREE on {} outcomes:",
                        disagree.len()
                    );
                    for line in disagree.iter().take(10) {
                        eprintln!("  {line}");
                    }
                    exit = EXIT_MISMATCH;
                } else if !args.json {
                    println!(
                        "backends rug and num agree exactly on all {} outcomes",
                        fast.pi.len()
                    );
                }
                fast
            }
        };
        let mismatches = spec.expected.mismatches(&table);
        if !mismatches.is_empty() {
            exit = EXIT_MISMATCH;
        }
        let checked =
            (!spec.expected.is_empty()).then_some((spec.expected.count(), mismatches.as_slice()));
        if args.json {
            json_out.push(json::law(&case, &table, checked));
        } else {
            print!("{}", text::law(&case, &table));
            if let Some((count, mismatches)) = checked {
                print!("{}", text::expected_check(count, mismatches));
            }
        }
    }
    if args.json {
        let value = if json_out.len() == 1 {
            json_out.remove(0)
        } else {
            json_out.into()
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON values serialise")
        );
    }
    Ok(exit)
}

fn disagreements(a: &LawTable, b: &LawTable) -> Vec<String> {
    let same_outcomes = a.outcomes == b.outcomes;
    if !same_outcomes {
        return vec!["the backends list different outcomes".into()];
    }
    let differ = |x: &Rational, y: &Rational| x != y;
    a.outcomes
        .iter()
        .enumerate()
        .filter(|&(o, _)| differ(&a.pi[o], &b.pi[o]) || differ(&a.p[o], &b.p[o]))
        .map(|(o, outcome)| {
            format!(
                "{}: rug pi = {}, num pi = {}",
                outcome.label(),
                a.pi[o],
                b.pi[o]
            )
        })
        .collect()
}

fn run_bench(args: BenchArgs) -> Result<u8, InputError> {
    println!(
        "exact law by type, --summary work, median of {} runs (in-process)",
        args.repeat
    );
    for workload in bestofn::bench::WORKLOADS {
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
    Ok(0)
}
