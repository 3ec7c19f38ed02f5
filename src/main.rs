//! The `bestofn` command: a thin shell over the library. Flags are parsed raw by clap, resolved
//! into a validated case by `bestofn::casefile`, computed by `bestofn::law`, rendered by
//! `bestofn::report`.

mod cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use num_rational::BigRational;

use bestofn::casefile::CaseSpec;
use bestofn::claims::{self, Claim, Context};
use bestofn::law::{reference, ExactLaw, LawTable, Summary};
use bestofn::report::{self, json, text};
use bestofn::InputError;

const EXIT_MISMATCH: u8 = 1;
const EXIT_BAD_INPUT: u8 = 2;
const EXIT_INTERNAL: i32 = 70;

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
Exit status: 0 success (check: all applicable claims hold, or a case file's expected verdicts \
all match), 1 a case file's expected values differ (check without expectations: some claim \
fails; search, exhaust: a counterexample), 2 bad input (one line naming what and where), \
3 none fails but some are undecided, 4 (search, exhaust) the claim applied to no case, \
70 an internal error (a bug in bestofn).\n\n\
Sizes: every law is checked against one budget before any work (--max-bits, default 2^27 bits \
per exact integer, about 10 s); larger cases are refused with the estimate.",
    after_help = "Examples:\n  \
bestofn law cases/example2.toml\n  \
bestofn law --p 1/5,3/10,1/2 --reward log:6,1,2 --m 2 --n 2\n  \
bestofn law --p 1/2,1/2 --reward additive:0,1 --m 3 --n 4 --tie-break lex-min --json\n  \
bestofn law --p 1/5,3/10,1/2 --reward log:6,1,2 --m 30 --n 1000 --summary\n  \
bestofn check cases/example2.toml\n  \
bestofn check cases/lex-min-not-exchangeable.toml --claim bon-exchangeable --without-hypothesis uniform-tie-break\n  \
bestofn claims\n  \
bestofn search --claim bon-kl-gap-bound --time 60 --seed 7 --report out/\n  \
bestofn exhaust --claim bon-winrate-le --k 2..3 --den 12 --n 1..8\n  \
bestofn recheck out/counterexample.json\n  \
bestofn exhaust --claim bon-winrate-le --k 2..3 --den 12 --n 1..8 --shard 1/2 --certificate s1.json\n  \
bestofn exhaust --claim bon-winrate-le --k 2..3 --den 12 --n 1..8 --shard 2/2 --certificate s2.json\n  \
bestofn merge s1.json s2.json -o grid.json --markdown grid.md\n  \
bestofn compare cases/float-sum-order.toml --report out.md --plot errors.svg"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Largest exact integer a law may need, in bits (N x m x bits of the pmf's common
    /// denominator); larger cases are refused with the estimate before any work [default:
    /// 134217728, about 16 MiB and 10 s]
    #[arg(long, global = true, value_name = "BITS")]
    max_bits: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the exact best-of-N law of a case (and check a case file's expected values)
    Law(LawArgs),
    /// Decide claims from the papers on a case, each verdict with its evidence
    Check(CheckArgs),
    /// List the claim catalogue: id, source, statement, hypotheses, how it is decided
    Claims(ClaimsArgs),
    /// Search generated cases for a counterexample to claims, shrink it, write a re-checkable report
    Search(cmd::search::SearchArgs),
    /// Check a claim on every case of a finite grid: certified "holds on all C cases" or the first counterexample
    Exhaust(cmd::search::ExhaustArgs),
    /// Re-derive a counterexample.json's verdict from its case alone, with the other arithmetic backend
    Recheck(cmd::search::RecheckArgs),
    /// Test your own best-of-N code (a program speaking JSON lines) against the exact law; shrink the first failure and name the mistake
    TestImpl(cmd::testimpl::TestImplArgs),
    /// Merge the certificates of exhaust shards into one (checks grid, claim, version and exact coverage)
    Merge(cmd::scale::MergeArgs),
    /// Theorem 2 of 003 measured: best-of-N with N = round(exp(m delta)) against phi_delta, m = 1..200
    Asymptotics(cmd::figures::AsymptoticsArgs),
    /// Trade-off curves: best-of-N (N = 1..N_max, exact laws) against the optimal tilt at the same KL: reward, win rate, W*
    Tradeoff(cmd::figures::TradeoffArgs),
    /// Figures of the papers, drawn from certified values (simplex: 003's Figure 1)
    Figure(cmd::figures::FigureArgs),
    /// Float against exact: run the pipeline a float implementation would (f64, MPFR) and report its errors, lost/invented ties, 0/inf/NaN and wrong verdicts
    Compare(cmd::compare::CompareArgs),
    /// Time the exact engine on the standard workloads (W1: m=30, N=1000; W2: m=60, N=10^4)
    Bench(BenchArgs),
}

#[derive(Args)]
struct CheckArgs {
    /// TOML case files; flags override their values. A case file's [expected_verdicts] are
    /// compared too
    #[arg(value_name = "CASE.toml")]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    case: CaseFlags,
    /// Alignment distribution q of 003 for the tilt claims (positive, sums to 1); without
    /// --reward the reward is log q
    #[arg(long, value_name = "Q1,..,QK")]
    q: Option<String>,
    /// Tilt exponent alpha (exact: 1/2, 0.3, 2) for the tilt claims
    #[arg(long, value_name = "A", allow_hyphen_values = true)]
    alpha: Option<String>,
    /// Second tilt exponent beta (also rho for renyi-cumulant)
    #[arg(long, value_name = "B", allow_hyphen_values = true)]
    beta: Option<String>,
    /// Per-letter KL budget delta (exact, >= 0) of the KL-constrained optimum phi_Delta,
    /// Delta = m delta (klrl-optimal-tilt, klrl-closeness)
    #[arg(long, value_name = "D")]
    delta: Option<String>,
    /// Claims to decide (repeatable; default: the whole catalogue, see `bestofn claims`)
    #[arg(long = "claim", value_name = "ID")]
    claims: Vec<String>,
    /// A claim of your own in the claim language (repeatable), e.g. 'kl(bon, p) <= log(N)' or
    /// 'my-id: forall_y(bon(y) >= p(y)^N)'; see docs/claim-language.md
    #[arg(long = "assert", value_name = "EXPR", allow_hyphen_values = true)]
    asserts: Vec<String>,
    /// A claims file: [[claim]] tables (id, statement, source, notes, hypotheses) and [define]
    /// helper functions; all its claims are decided
    #[arg(long = "claims", value_name = "FILE.toml")]
    claims_file: Option<PathBuf>,
    /// Evaluate with this hypothesis dropped, to show that it is needed (e.g.
    /// uniform-tie-break on a lex case); applies to the selected claims that have it
    #[arg(long, value_name = "NAME")]
    without_hypothesis: Option<String>,
    #[command(flatten)]
    precision: cmd::PrecisionArgs,
    /// Print JSON: {"results": [{"claim", "verdict", "evidence", ...}], ...}
    #[arg(long)]
    json: bool,
    /// Also write a Markdown report with every digit of the evidence
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

#[derive(Args)]
struct ClaimsArgs {
    /// Print the catalogue as Markdown (the text of docs/claims.md)
    #[arg(long)]
    markdown: bool,
    /// Also list the claims of this claims file, after the catalogue
    #[arg(long = "claims", value_name = "FILE.toml")]
    claims_file: Option<PathBuf>,
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
    /// Runs of the asymptotics workload (Figure 1 of 003, m = 1..200, several seconds each;
    /// 0 skips it)
    #[arg(long, default_value_t = 1)]
    asymptotics_runs: usize,
}

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`bestofn claims | head`) instead of panicking in println!.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    install_panic_hook();
    let cli = Cli::parse();
    if let Some(bits) = cli.max_bits {
        if let Err(e) = bestofn::law::budget::set_max_bits(bits) {
            eprintln!("bestofn: error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    }
    let result = match cli.command {
        Command::Law(args) => run_law(args),
        Command::Check(args) => run_check(args),
        Command::Claims(args) => run_claims(args),
        Command::Search(args) => cmd::search::run_search(args),
        Command::Exhaust(args) => cmd::search::run_exhaust(args),
        Command::Recheck(args) => cmd::search::run_recheck(args),
        Command::Merge(args) => cmd::scale::run_merge(args),
        Command::TestImpl(args) => cmd::testimpl::run_test_impl(args),
        Command::Asymptotics(args) => cmd::figures::run_asymptotics(args),
        Command::Tradeoff(args) => cmd::figures::run_tradeoff(args),
        Command::Figure(args) => cmd::figures::run_figure(args),
        Command::Compare(args) => cmd::compare::run_compare(args),
        Command::Bench(args) => run_bench(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("bestofn: error: {}", elide_long_words(&e.to_string()));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// An error must stay one readable line: any word over 80 characters (a 2 MB entry, a sum
/// of such entries) is cut to its first 40 and its length.
fn elide_long_words(message: &str) -> String {
    message
        .split(' ')
        .map(|word| bestofn::error::elide(word, 80, 40))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A panic is a bug in bestofn, never the user's fault: say so on one line and exit with
/// EX_SOFTWARE (70), distinct from bad input (2).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "bestofn: internal error: {message}{at}; this is a bug in bestofn, please report it with the command line"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            eprintln!("{}", std::backtrace::Backtrace::force_capture());
        }
        std::process::exit(EXIT_INTERNAL);
    }));
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

/// The case specs from files (each overridden by the flags), or from the flags alone.
fn case_specs(files: &[PathBuf], flags: &CaseSpec) -> Result<Vec<CaseSpec>, InputError> {
    if files.is_empty() {
        return Ok(vec![flags.clone()]);
    }
    files
        .iter()
        .map(|path| Ok(CaseSpec::from_file(path)?.overridden_by(flags.clone())))
        .collect()
}

fn run_law(args: LawArgs) -> Result<u8, InputError> {
    let specs = case_specs(&args.cases, &args.case.spec())?;
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
                Backend::Num => Summary::of(&num_law(&case, route)?),
                Backend::Both => {
                    let (fast, agree) = both_backends(&case, route, args.json)?;
                    if !agree {
                        exit = EXIT_MISMATCH;
                    }
                    Summary::of(&fast)
                }
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
            Backend::Num => num_law(&case, route)?,
            Backend::Both => {
                let (fast, agree) = both_backends(&case, route, args.json)?;
                if !agree {
                    exit = EXIT_MISMATCH;
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
        print_json(json_out);
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

fn run_bench(args: BenchArgs) -> Result<u8, InputError> {
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

fn run_check(args: CheckArgs) -> Result<u8, InputError> {
    let policy = args.precision.policy()?;
    if let Some(path) = &args.report {
        cmd::check_output_path("--report", path)?;
    }
    let asserted: Vec<&Claim> = args
        .asserts
        .iter()
        .enumerate()
        .map(|(i, text)| claims::expr::register_assert(text, i + 1))
        .collect::<Result<_, _>>()?;
    // A claims file's claims are decided unless --claim names which to decide.
    let mut from_file = Vec::new();
    if let Some(path) = &args.claims_file {
        let (decls, defines) = bestofn::casefile::read_claims_file(path)?;
        for d in &decls {
            from_file.push(claims::expr::register_declaration(d, &defines)?);
        }
    }
    let mut asserted = asserted;
    if args.claims.is_empty() {
        asserted.splice(0..0, from_file);
    }
    let mut selected: Vec<&Claim> = if args.claims.is_empty() && asserted.is_empty() {
        claims::CATALOGUE.to_vec()
    } else {
        args.claims
            .iter()
            .map(|id| claims::find(id))
            .collect::<Result<_, _>>()?
    };
    selected.extend(asserted);
    if let Some(name) = &args.without_hypothesis {
        if !selected
            .iter()
            .any(|c| c.hypotheses.iter().any(|h| h.name == name))
        {
            return Err(InputError::new(format!(
                "without-hypothesis: none of the selected claims has a hypothesis '{name}'"
            )));
        }
    }
    let mut flags = args.case.spec();
    flags.q = args.q.clone();
    flags.alpha = args.alpha.clone();
    flags.beta = args.beta.clone();
    flags.delta = args.delta.clone();
    let mut specs = case_specs(&args.cases, &flags)?;
    // The tilt identities do not depend on N: asking for one would only get in the way.
    if selected.iter().all(|c| !c.uses_n) {
        for spec in specs.iter_mut().filter(|s| s.n.is_none()) {
            spec.n = Some(1);
        }
    }
    let mut exit = 0;
    let mut json_out = Vec::new();
    let mut markdown = String::new();
    for (i, spec) in specs.iter().enumerate() {
        let (case, _) = spec.resolve()?;
        let ctx = Context::new(case, policy).with_tilt(spec.tilt()?);
        let mut results = Vec::new();
        // The case file's own [[claim]] tables are decided on it too.
        let mut here = selected.clone();
        for d in &spec.claims {
            here.push(claims::expr::register_declaration(d, &spec.defines)?);
        }
        for claim in &here {
            let dropped = args
                .without_hypothesis
                .as_deref()
                .filter(|name| claim.hypotheses.iter().any(|h| h.name == *name));
            results.push(claim.evaluate(&ctx, dropped)?);
        }
        // When the case file states verdicts, the status answers "do they match" (an expected
        // refutation is a success); otherwise it is the verdicts' own status.
        let expectations = (!spec.expected_verdicts.is_empty())
            .then(|| claims::expected::compare(&spec.expected_verdicts, &results));
        let status = match &expectations {
            Some(e) if e.checked > 0 => u8::from(!e.all_match()),
            _ => claims::exit_status(&results),
        };
        // A failure anywhere outranks an undecided verdict anywhere.
        exit = match (exit, status) {
            (1, _) | (_, 1) => 1,
            (3, _) | (_, 3) => 3,
            _ => 0,
        };
        if args.json {
            let mut value = report::claims::json(&ctx.case, &ctx.tilt, &results);
            if let Some(e) = &expectations {
                value["expected_verdicts"] = serde_json::json!({
                    "checked": e.checked,
                    "differing": e.differing,
                    "not_checked": e.not_checked,
                });
            }
            json_out.push(value);
        } else {
            if specs.len() > 1 {
                println!(
                    "{}== {} ==",
                    if i > 0 { "\n" } else { "" },
                    args.cases[i].display()
                );
            }
            print!("{}", report::claims::text(&ctx.case, &ctx.tilt, &results));
            if let Some(e) = &expectations {
                println!("{}", e.line());
            }
        }
        markdown.push_str(&report::claims::markdown(&ctx.case, &ctx.tilt, &results));
    }
    if args.json {
        print_json(json_out);
    }
    if let Some(path) = &args.report {
        cmd::write_output("--report", path, &markdown)?;
    }
    Ok(exit)
}

fn run_claims(args: ClaimsArgs) -> Result<u8, InputError> {
    if let Some(path) = &args.claims_file {
        let (decls, defines) = bestofn::casefile::read_claims_file(path)?;
        for d in &decls {
            claims::expr::register_declaration(d, &defines)?;
        }
    }
    if args.markdown {
        print!("{}", report::claims::catalogue_markdown());
        return Ok(0);
    }
    for claim in claims::CATALOGUE {
        println!("{}", claim.id);
        println!("  source:     {}", claim.source);
        println!("  statement:  {}", claim.statement);
        for h in claim.hypotheses {
            println!("  hypothesis: {} ({})", h.name, h.statement);
        }
        println!("  decided by: {}", claim.method.describe());
        println!("  status:     {}", claim.status.describe());
    }
    for claim in claims::expr::user_claims() {
        let user = claim.user().expect("user claims have an origin");
        println!("{} (user claim, {})", claim.id, user.origin);
        println!("  source:     {}", claim.source);
        println!("  statement:  {}", claim.statement);
        if user.expression.text != claim.statement {
            println!("  expanded:   {}", user.expression.text);
        }
        for h in claim.hypotheses {
            println!("  hypothesis: {} ({})", h.name, h.statement);
        }
        println!("  decided by: the claim language (exact where possible, enclosures otherwise)");
    }
    Ok(0)
}

/// One JSON object for one case, an array for several.
fn print_json(mut values: Vec<serde_json::Value>) {
    let value = if values.len() == 1 {
        values.remove(0)
    } else {
        values.into()
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&value).expect("JSON values serialise")
    );
}
