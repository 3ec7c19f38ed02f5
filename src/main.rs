//! The `bestofn` command: a thin shell over the library. Flags are parsed raw by clap, resolved
//! into a validated case by `bestofn::casefile`, computed by `bestofn::law`, rendered by
//! `bestofn::report`.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
bestofn search --claim bon-kl-gap-bound --without-hypothesis distinct-rewards --time 60 --seed 7 --report out/\n  \
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
    #[arg(long, value_parser = cmd::flags::whole_u64, global = true, value_name = "BITS")]
    max_bits: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Compute the exact best-of-N law of a case (and check a case file's expected values)
    Law(cmd::law::LawArgs),
    /// Decide claims from the papers on a case, each verdict with its evidence
    Check(cmd::check::CheckArgs),
    /// List the claim catalogue: id, source, statement, hypotheses, how it is decided
    Claims(cmd::check::ClaimsArgs),
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
    /// Decide the literature's statements (examples/claims/, one file per paper) and write docs/literature.md
    Literature(cmd::literature::LiteratureArgs),
    /// Time the exact engine on the standard workloads (W1: m=30, N=1000; W2: m=60, N=10^4)
    Bench(cmd::law::BenchArgs),
}

fn main() -> ExitCode {
    // Die quietly on a closed pipe (`bestofn claims | head`) instead of panicking in println!.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    install_panic_hook();
    let cli = parse_cli();
    // The global flag, resolved once: every command hands it to the cases it builds.
    let budget = match cli.max_bits.map(bestofn::model::SizeBudget::new) {
        None => bestofn::model::SizeBudget::default(),
        Some(Ok(budget)) => budget,
        Some(Err(e)) => {
            eprintln!("bestofn: error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let result = match cli.command {
        Command::Law(args) => cmd::law::run_law(args, budget),
        Command::Check(args) => cmd::check::run_check(args, budget),
        Command::Claims(args) => cmd::check::run_claims(args),
        Command::Search(args) => cmd::search::run_search(args, budget),
        Command::Exhaust(args) => cmd::search::run_exhaust(args, budget),
        Command::Recheck(args) => cmd::search::run_recheck(args, budget),
        Command::Merge(args) => cmd::scale::run_merge(args, budget),
        Command::TestImpl(args) => cmd::testimpl::run_test_impl(args),
        Command::Asymptotics(args) => cmd::figures::run_asymptotics(args, budget),
        Command::Tradeoff(args) => cmd::figures::run_tradeoff(args, budget),
        Command::Figure(args) => cmd::figures::run_figure(args, budget),
        Command::Compare(args) => cmd::compare::run_compare(args, budget),
        Command::Literature(args) => cmd::literature::run_literature(args, budget),
        Command::Bench(args) => cmd::law::run_bench(args),
    };
    // Output still buffered must reach its file: a full disk is the user's error, not a bug.
    let result = result.and_then(|code| {
        std::io::Write::flush(&mut std::io::stdout())
            .map(|()| code)
            .map_err(|e| bestofn::InputError::new(format!("cannot write the output: {e}")))
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("bestofn: error: {}", elide_long_words(&e.to_string()));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// The command line, parsed once. Every flag that takes a value accepts one that starts with
/// `-` (`--delta -1` reaches the check that states the allowed range, instead of clap's
/// "unexpected argument"); clap's own errors have long values elided.
fn parse_cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    fn negatives_allowed(command: clap::Command) -> clap::Command {
        let names: Vec<String> = command
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let mut command = command.mut_args(|arg| {
            if arg.get_action().takes_values() {
                arg.allow_negative_numbers(true)
            } else {
                arg
            }
        });
        for name in names {
            command = command.mut_subcommand(name, negatives_allowed);
        }
        command
    }
    let matches = negatives_allowed(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    match matches {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        // A value clap refused: one line, as every other bad input.
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::InvalidValue | clap::error::ErrorKind::ValueValidation
            ) =>
        {
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or_default();
            eprintln!(
                "bestofn: {} (see --help)",
                elide_long_words(first.trim_end_matches('.'))
            );
            std::process::exit(i32::from(EXIT_BAD_INPUT));
        }
        Err(e) => {
            let text = e.render().to_string();
            for line in text.lines() {
                eprintln!("{}", elide_long_words(line));
            }
            std::process::exit(i32::from(EXIT_BAD_INPUT));
        }
    }
}

/// An error must stay one readable line: any word over 80 characters (a 2 MB entry, a sum
/// of such entries) is cut to its first 40 and its length; quotes and punctuation around it
/// stay, so `'1000...0'` reads as the value the user typed.
fn elide_long_words(message: &str) -> String {
    message
        .split(' ')
        .map(|word| {
            let core = word.trim_matches(|c: char| "'\"`(),.:;".contains(c));
            if core.is_empty() {
                return word.to_string();
            }
            let start = word.find(core).unwrap_or(0);
            let (before, after) = (&word[..start], &word[start + core.len()..]);
            format!("{before}{}{after}", bestofn::error::elide(core, 80, 40))
        })
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
        // println! panics when standard output cannot be written (a full disk, an I/O error):
        // the user's environment, not a bug. (A closed pipe ends the process by SIGPIPE.)
        if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
            eprintln!("bestofn: error: cannot write the output: {why}");
            std::process::exit(i32::from(EXIT_BAD_INPUT));
        }
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
