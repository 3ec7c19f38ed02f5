//! `bestofn asymptotics` (and the other measured views of 003): flags resolved into library
//! calls, results rendered by `bestofn::report`.

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use bestofn::enclosure::PrecisionPolicy;
use bestofn::model::Pmf;
use bestofn::report;
use bestofn::spec::CaseSpec;
use bestofn::tilt::asymptotics::asymptotics;
use bestofn::InputError;
use rug::Rational;

#[derive(Args)]
pub struct AsymptoticsArgs {
    /// A case file giving p, q and delta (flags override it)
    #[arg(value_name = "CASE.toml")]
    case: Option<PathBuf>,
    /// Reference pmf p
    #[arg(long, value_name = "P1,..,PK")]
    p: Option<String>,
    /// Alignment distribution q (reward log q)
    #[arg(long, value_name = "Q1,..,QK")]
    q: Option<String>,
    /// Per-letter KL budget delta = Delta/m (exact, e.g. 0.11)
    #[arg(long, value_name = "D")]
    delta: Option<String>,
    /// Sequence lengths, LO..HI
    #[arg(long, default_value = "1..200", value_name = "RANGE")]
    m: String,
    /// Bits of the enclosures
    #[arg(long, default_value_t = 64)]
    prec: u32,
    #[command(flatten)]
    output: super::flags::OutputArgs,
    /// Draw (1/m) KL and the type distance against m (FILE.svg, .pdf or .png)
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    #[command(flatten)]
    figure: super::flags::FigureSizeArgs,
}

pub(crate) fn parse_m_range(text: &str) -> Result<std::ops::RangeInclusive<u32>, InputError> {
    let bad = || {
        InputError::new(format!(
            "m: '{text}' is not a range like 1..200 or a number"
        ))
    };
    let (lo, hi) = match text.split_once("..") {
        Some((a, b)) => (
            a.trim().parse().map_err(|_| bad())?,
            b.trim()
                .trim_start_matches('=')
                .parse()
                .map_err(|_| bad())?,
        ),
        None => {
            let v: u32 = text.trim().parse().map_err(|_| bad())?;
            (v, v)
        }
    };
    if lo < 1 || lo > hi || hi > 1000 {
        return Err(InputError::new(format!(
            "m: '{text}' must satisfy 1 <= LO <= HI <= 1000"
        )));
    }
    Ok(lo..=hi)
}

/// Which key of a case spec a flag overrides.
type SpecKey = fn(&mut CaseSpec) -> &mut Option<String>;

/// The case file's spec (or an empty one) with the given flags laid over its keys.
fn spec_with_flags(
    case: &Option<PathBuf>,
    overrides: Vec<(SpecKey, &Option<String>)>,
    budget: bestofn::model::SizeBudget,
) -> Result<CaseSpec, InputError> {
    let mut spec = match case {
        Some(path) => bestofn::casefile::CaseFile::read(path)?.spec,
        None => CaseSpec::default(),
    };
    spec.budget = Some(budget);
    for (slot, value) in overrides {
        if value.is_some() {
            *slot(&mut spec) = value.clone();
        }
    }
    Ok(spec)
}

/// The reference p, the alignment q (as long as p) and the per-letter budget delta of 003's
/// setting, each required.
fn p_q_delta(spec: &CaseSpec) -> Result<(Pmf, Vec<Rational>, Rational), InputError> {
    let missing =
        |what: &str| InputError::new(format!("missing --{what} (or {what} in the case file)"));
    let p = Pmf::parse(spec.p.as_deref().ok_or_else(|| missing("p"))?)?;
    let tilt = spec.tilt()?;
    let q = tilt.q.ok_or_else(|| missing("q"))?;
    if q.len() != p.len() {
        return Err(InputError::new(format!(
            "q: {} entries, but p has {}",
            q.len(),
            p.len()
        )));
    }
    let delta = tilt.delta.ok_or_else(|| missing("delta"))?;
    Ok((p, q, delta))
}

pub fn run_asymptotics(
    args: AsymptoticsArgs,
    budget: bestofn::model::SizeBudget,
) -> Result<u8, InputError> {
    if let Some(path) = &args.plot {
        super::check_figure_path("--plot", path)?;
    }
    let size = args.figure.size()?;
    let spec = spec_with_flags(
        &args.case,
        vec![
            (|s| &mut s.p, &args.p),
            (|s| &mut s.q, &args.q),
            (|s| &mut s.delta, &args.delta),
        ],
        budget,
    )?;
    let (p, q, delta) = p_q_delta(&spec)?;
    let ms = parse_m_range(&args.m)?;
    if !(64..=4096).contains(&args.prec) {
        return Err(InputError::new("prec: must lie in 64..4096"));
    }
    let bar = ProgressBar::new(*ms.end() as u64 - *ms.start() as u64 + 1);
    bar.set_style(
        ProgressStyle::with_template("[{elapsed_precise}] m = {msg} {wide_bar} {pos}/{len}")
            .expect("valid"),
    );
    let result = asymptotics(
        &p,
        &q,
        &delta,
        ms.clone(),
        PrecisionPolicy::default(),
        args.prec,
        &|m| {
            bar.set_message(m.to_string());
            bar.inc(1);
        },
    )?;
    bar.finish_and_clear();
    if args.output.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report::asymptotics::json(
                &result,
                report::counterexample::case_json(&spec)
            ))
            .unwrap()
        );
    } else {
        print!("{}", report::asymptotics::text(&result));
    }
    if let Some(path) = &args.plot {
        let caption = report::case_record::CaseRecord::from_spec(&spec).caption();
        let svg = report::asymptotics::plot(&result, &caption, size)?;
        super::write_figure("--plot", path, &svg)?;
    }
    Ok(0)
}

#[derive(Args)]
pub struct TradeoffArgs {
    /// A case file (p, reward or q, m, tie-break); flags override it; its N is ignored
    #[arg(value_name = "CASE.toml")]
    case: Option<PathBuf>,
    /// Reference pmf p
    #[arg(long, value_name = "P1,..,PK")]
    p: Option<String>,
    /// Reward (additive:.., log:.., scores:FILE); without it, log q
    #[arg(long, value_name = "KIND:VALUES", allow_hyphen_values = true)]
    reward: Option<String>,
    /// Alignment distribution q (the reward is then log q unless --reward is given)
    #[arg(long, value_name = "Q1,..,QK")]
    q: Option<String>,
    /// Sequence length m
    #[arg(long, value_name = "M")]
    m: Option<u32>,
    /// Tie-breaking among maximal draws
    #[arg(long, value_name = "RULE", value_parser = ["uniform", "lex-min", "lex-max"])]
    tie_break: Option<String>,
    /// Best-of-N for N = 1..N_MAX (one exact law each)
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, default_value_t = 1024, value_name = "N_MAX")]
    n_max: u64,
    /// Bits of the enclosures
    #[arg(long, default_value_t = 64)]
    prec: u32,
    #[command(flatten)]
    output: super::flags::OutputArgs,
    /// Draw expected reward against KL, best-of-N and the optimal tilt (FILE.svg, .pdf or .png)
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    /// Draw win rate against KL: best-of-N, the tilt, the continuous optimum W* (FILE.svg,
    /// .pdf or .png)
    #[arg(long, value_name = "FILE.svg")]
    plot_winrate: Option<PathBuf>,
    #[command(flatten)]
    figure: super::flags::FigureSizeArgs,
}

pub fn run_tradeoff(
    args: TradeoffArgs,
    budget: bestofn::model::SizeBudget,
) -> Result<u8, InputError> {
    for (flag, path) in [
        ("--plot", &args.plot),
        ("--plot-winrate", &args.plot_winrate),
    ] {
        if let Some(path) = path {
            super::check_figure_path(flag, path)?;
        }
    }
    let size = args.figure.size()?;
    let mut spec = spec_with_flags(
        &args.case,
        vec![
            (|s| &mut s.p, &args.p),
            (|s| &mut s.reward, &args.reward),
            (|s| &mut s.q, &args.q),
            (|s| &mut s.tie_break, &args.tie_break),
        ],
        budget,
    )?;
    if args.m.is_some() {
        spec.m = args.m;
    }
    // The case's own N is irrelevant; the sweep sets it.
    spec.n = Some(args.n_max.max(1));
    if !(64..=4096).contains(&args.prec) {
        return Err(InputError::new("prec: must lie in 64..4096"));
    }
    let (case, route) = spec.resolve()?;
    let classes = bestofn::tilt::tradeoff::class_bound(&case, route);
    let estimate = bestofn::tilt::tradeoff::estimated_seconds(args.n_max, classes);
    if estimate >= 10 && args.n_max <= bestofn::tilt::tradeoff::MAX_N {
        eprintln!(
            "bestofn: tradeoff: {} exact laws of up to {classes} reward classes (m = {}), an estimated {} at most on 2 cores",
            args.n_max,
            case.m(),
            report::text::duration_words(estimate as f64)
        );
    }
    let bar = ProgressBar::new(args.n_max);
    bar.set_style(
        ProgressStyle::with_template("[{elapsed_precise}] N {wide_bar} {pos}/{len}")
            .expect("valid"),
    );
    let result = bestofn::tilt::tradeoff::tradeoff(
        &case,
        route,
        args.n_max,
        PrecisionPolicy::default(),
        args.prec,
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let mut shown = spec.clone();
    shown.n = None;
    if args.output.json {
        let case_json = report::counterexample::case_json(&shown);
        println!(
            "{}",
            serde_json::to_string_pretty(&report::tradeoff::json(&result, case_json)).unwrap()
        );
    } else {
        let line = report::counterexample::case_flags(&shown);
        print!("{}", report::tradeoff::text(&result, &line));
    }
    let caption = format!(
        "{}; N from 1 to {}; exact laws, enclosures at {} bits",
        report::case_record::CaseRecord::from_spec(&shown).caption(),
        args.n_max,
        args.prec
    );
    if let Some(path) = &args.plot {
        let svg = report::tradeoff::plot_reward(&result, &caption, size)?;
        super::write_figure("--plot", path, &svg)?;
    }
    if let Some(path) = &args.plot_winrate {
        let svg = report::tradeoff::plot_win_rate(&result, &caption, size)?;
        super::write_figure("--plot-winrate", path, &svg)?;
    }
    Ok(0)
}

#[derive(Args)]
pub struct FigureArgs {
    #[command(subcommand)]
    kind: FigureKind,
}

#[derive(clap::Subcommand)]
enum FigureKind {
    /// 003's Figure 1 on the ternary simplex (K = 3): KL contour, aligned family, constant-
    /// reward line, p, q, phi_delta and the best-of-N expected type for N = round(exp(m delta))
    Simplex(SimplexArgs),
}

#[derive(Args)]
struct SimplexArgs {
    /// A case file giving p, q, delta and m (flags override it)
    #[arg(value_name = "CASE.toml")]
    case: Option<PathBuf>,
    /// Reference pmf p (three letters)
    #[arg(long, value_name = "P1,P2,P3")]
    p: Option<String>,
    /// Alignment distribution q (reward log q)
    #[arg(long, value_name = "Q1,Q2,Q3")]
    q: Option<String>,
    /// Per-letter KL budget delta (the contour's level)
    #[arg(long, value_name = "D")]
    delta: Option<String>,
    /// Sequence length m of the best-of-N point (N = round(exp(m delta)))
    #[arg(long, value_name = "M")]
    m: Option<u32>,
    /// Where to write the figure (FILE.svg, .pdf or .png)
    #[arg(short = 'o', long, value_name = "FILE.svg")]
    output: PathBuf,
    #[command(flatten)]
    figure: super::flags::FigureSizeArgs,
}

pub fn run_figure(args: FigureArgs, budget: bestofn::model::SizeBudget) -> Result<u8, InputError> {
    let FigureKind::Simplex(args) = args.kind;
    super::check_figure_path("-o", &args.output)?;
    let size = args.figure.size()?;
    let spec = spec_with_flags(
        &args.case,
        vec![
            (|s| &mut s.p, &args.p),
            (|s| &mut s.q, &args.q),
            (|s| &mut s.delta, &args.delta),
        ],
        budget,
    )?;
    let (p, q, delta) = p_q_delta(&spec)?;
    let m = args.m.or(spec.m).unwrap_or(1);
    if !(1..=1000).contains(&m) {
        return Err(InputError::new("m: must lie in 1..=1000"));
    }
    let figure = bestofn::tilt::simplex::simplex_figure(&p, &q, &delta, m)?;
    super::write_figure(
        "-o",
        &args.output,
        &report::simplex::render_sized(&figure, size),
    )?;
    println!(
        "wrote {}: {}",
        args.output.display(),
        report::simplex::points_line(&figure)
    );
    Ok(0)
}
