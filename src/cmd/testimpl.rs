//! `bestofn test-impl`: flags resolved into `testimpl::Settings`, the run, and its report
//! (text, JSON, Markdown, replay).

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value as Json;

use bestofn::report::counterexample::case_flags;
use bestofn::report::schema::Schema;
use bestofn::testimpl::{self, render, Kind, Settings};
use bestofn::InputError;

#[derive(Args)]
pub struct TestImplArgs {
    /// What the program computes: law (a probability per outcome), scalar (one number, named by
    /// --scalar), select (the index of the kept draw among N candidates; tested exactly by
    /// enumerating the draws), sample (S selected outcomes for a seed; tested by a G-test)
    #[arg(long, value_parser = ["law", "scalar", "select", "sample"], default_value = "law")]
    kind: String,
    /// The scalar asked for with --kind scalar: kl, winrate, winrate-strict, expected-reward,
    /// or any numeric expression of the claim language ('chi2(bon, p)', 'E_y(bon, r(y)^2)')
    #[arg(long, value_name = "NAME")]
    scalar: Option<String>,
    /// Alphabet sizes K of the generated cases
    #[arg(long, default_value = "2..4", value_name = "RANGE")]
    k: String,
    /// Sequence lengths m
    #[arg(long, default_value = "1..2", value_name = "RANGE")]
    m: String,
    /// Numbers of draws N [default: 1..8; select: 1..4]
    #[arg(long, value_name = "RANGE")]
    n: Option<String>,
    /// Seed of the cases (and of the samplers' seeds): the same seed, the same cases
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, default_value_t = 1)]
    seed: u64,
    /// Cases to test [default: 200; sample and --randomised select: 20]; with --time, at most
    /// this many
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, value_name = "T")]
    trials: Option<u64>,
    /// Test for this many seconds instead (at most --trials cases)
    #[arg(long, value_name = "SECONDS")]
    time: Option<f64>,
    /// Demand exact equality: answers must be exact strings "a/b" equal to the exact law
    #[arg(long)]
    exact: bool,
    /// Judge against the exact rewards even where they collide in f64 (by default a program
    /// that matches the law of the f64 rewards it was given passes such a case, with a note)
    #[arg(long)]
    exact_rewards: bool,
    /// Relative tolerance per value
    #[arg(long, default_value = "1e-9", value_name = "R")]
    rel_tol: f64,
    /// Absolute tolerance per value, accepted when the relative one fails
    #[arg(long, default_value = "1e-12", value_name = "A")]
    abs_tol: f64,
    /// Seconds to wait for each answer before reporting the program as hung
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    timeout: f64,
    /// Samples per case for --kind sample, tuples per case for a --randomised selector
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, default_value_t = 20_000, value_name = "S")]
    samples: u64,
    /// The selector is randomised (it reads each request's seed): test the law of its choices
    /// statistically on --samples tuples of draws per case, instead of exactly
    #[arg(long)]
    randomised: bool,
    /// False-alarm rate of the statistical test over the whole run (Bonferroni over cases)
    #[arg(long, default_value = "1e-6", value_name = "RATE")]
    false_alarm: f64,
    /// Write test-impl.json (replayable) and test-impl.md into this directory
    #[arg(long, value_name = "DIR")]
    report: Option<PathBuf>,
    #[command(flatten)]
    output: super::flags::OutputArgs,
    /// Re-run the minimal case of a test-impl.json report (its kind, tolerances and case)
    #[arg(long, value_name = "REPORT.json")]
    replay: Option<PathBuf>,
    /// The program under test and its arguments, after --
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<String>,
}

use super::search::parse_range as range;

fn settings(args: &TestImplArgs, command: Vec<String>) -> Result<Settings, InputError> {
    let kind = match (args.kind.as_str(), &args.scalar) {
        ("scalar", Some(name)) => Kind::Scalar(name.clone()),
        ("scalar", None) => return Err(InputError::new("scalar: --kind scalar needs --scalar NAME (kl, winrate, winrate-strict, expected-reward)")),
        (_, Some(_)) => return Err(InputError::new("scalar: --scalar goes with --kind scalar")),
        ("select", None) => Kind::Select,
        ("sample", None) => Kind::Sample,
        _ => Kind::Law,
    };
    if let Kind::Scalar(name) = &kind {
        // A named quantity, or a numeric expression of the claim language: checked now.
        if !["kl", "winrate", "winrate-strict", "expected-reward"].contains(&name.as_str()) {
            bestofn::claims::expr::check_number(name).map_err(|e| {
                InputError::new(format!(
                    "scalar: '{name}' is neither kl, winrate, winrate-strict, expected-reward nor a numeric expression: {}",
                    e.message().trim_start_matches("expression: ")
                ))
            })?;
        }
    }
    if args.randomised && kind != Kind::Select {
        return Err(InputError::new(
            "randomised: --randomised goes with --kind select",
        ));
    }
    if args.exact && args.randomised {
        return Err(InputError::new("exact: --exact cannot go with --randomised: a randomised selector is tested statistically"));
    }
    if args.exact && kind == Kind::Sample {
        return Err(InputError::new("exact: --exact cannot go with --kind sample: samples are tested statistically, not for equality"));
    }
    for (flag, v) in [("rel-tol", args.rel_tol), ("abs-tol", args.abs_tol)] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(InputError::new(format!(
                "{flag}: must be a finite number >= 0, got {v}"
            )));
        }
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 86_400.0) {
        return Err(InputError::new(
            "timeout: must be a number of seconds in (0, 86400]",
        ));
    }
    if !(args.false_alarm > 0.0 && args.false_alarm < 1.0) {
        return Err(InputError::new("false-alarm: must lie in (0, 1)"));
    }
    if !(100..=10_000_000).contains(&args.samples) {
        return Err(InputError::new("samples: must lie in 100..=10000000"));
    }
    let k = range::<u32>("k", &args.k)?;
    let m = range::<u32>("m", &args.m)?;
    let default_n = if kind == Kind::Select { "1..4" } else { "1..8" };
    let n = range::<u64>("n", args.n.as_deref().unwrap_or(default_n))?;
    if *k.start() < 1
        || *k.end() > 12
        || *m.start() < 1
        || *m.end() > 6
        || *n.start() < 1
        || *n.end() > 1000
    {
        return Err(InputError::new("k, m, n: test-impl cases lie in K 1..=12, m 1..=6, N 1..=1000 (each request lists every outcome)"));
    }
    let trials = args
        .trials
        // Statistical kinds draw thousands of samples per case; the exact ones are cheap (a
        // select case is one batched request).
        .unwrap_or(if kind == Kind::Sample || args.randomised {
            20
        } else {
            200
        });
    if trials == 0 {
        return Err(InputError::new("trials: need at least 1"));
    }
    let time = match args.time {
        None => None,
        Some(t) if t > 0.0 && t.is_finite() => Some(Duration::from_secs_f64(t)),
        Some(_) => {
            return Err(InputError::new(
                "time: must be a positive number of seconds",
            ))
        }
    };
    Ok(Settings {
        kind,
        k,
        m,
        n,
        seed: args.seed,
        trials: if time.is_some() {
            args.trials.unwrap_or(u64::MAX)
        } else {
            trials
        },
        time,
        exact: args.exact,
        rel_tol: args.rel_tol,
        abs_tol: args.abs_tol,
        timeout: Duration::from_secs_f64(args.timeout),
        samples: args.samples,
        randomised: args.randomised,
        alpha: args.false_alarm,
        command,
        exact_rewards: args.exact_rewards,
    })
}

pub fn run_test_impl(args: TestImplArgs) -> Result<u8, InputError> {
    if args.command.is_empty() {
        return Err(InputError::new("test-impl: give the program to test after --, e.g. bestofn test-impl --kind law -- python3 my_bon.py"));
    }
    if let Some(path) = &args.replay {
        return replay(&args, path);
    }
    if let Some(dir) = &args.report {
        super::prepare_report_dir("--report", dir)?;
    }
    let settings = settings(&args, args.command.clone())?;
    let bar = ProgressBar::new(if settings.time.is_some() {
        0
    } else {
        settings.trials
    });
    bar.set_style(
        ProgressStyle::with_template("[{elapsed_precise}] {pos} cases {msg} {wide_bar}")
            .expect("valid template"),
    );
    let outcome = testimpl::run(&settings, &|done, failed| {
        bar.set_position(done);
        bar.set_message(format!("{failed} failed"));
    })?;
    bar.finish_and_clear();
    let replay_line = args.report.as_ref().map(|dir| {
        format!(
            "bestofn test-impl --replay {} -- {}",
            dir.join("test-impl.json").display(),
            settings.command.join(" ")
        )
    });
    let json = render::report_json(&settings, &outcome);
    if args.output.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("serialises")
        );
    } else {
        print!(
            "{}",
            render::text(&settings, &outcome, replay_line.as_deref())
        );
    }
    if let Some(dir) = &args.report {
        std::fs::create_dir_all(dir).map_err(|e| {
            InputError::new(format!("--report: cannot create {}: {e}", dir.display()))
        })?;
        super::write_output(
            "--report",
            &dir.join("test-impl.json"),
            &(serde_json::to_string_pretty(&json).expect("serialises") + "\n"),
        )?;
        super::write_output(
            "--report",
            &dir.join("test-impl.md"),
            &render::markdown(&settings, &outcome, replay_line.as_deref()),
        )?;
    }
    Ok(u8::from(outcome.failures > 0))
}

fn replay(args: &TestImplArgs, path: &std::path::Path) -> Result<u8, InputError> {
    let origin = path.display().to_string();
    let text = bestofn::io::read_text(path, "test-impl report")?;
    let report: Json = serde_json::from_str(&text)
        .map_err(|e| InputError::new(format!("{origin}: not JSON: {e}")))?;
    // A replay needs only the minimal case, whose shape both versions share.
    let tag = Schema::TestImpl.id();
    let current = report.get("schema").and_then(Json::as_str) == Some(tag.as_str());
    let older = report.get("format").and_then(Json::as_str) == Some("bestofn-test-impl/1");
    if !current && !older {
        return Err(InputError::new(format!(
            "{origin}: not a test-impl report (no \"schema\": \"{tag}\")"
        )));
    }
    let case = report
        .get("minimal")
        .and_then(|m| m.get("case"))
        .filter(|c| c.is_object())
        .ok_or_else(|| {
            InputError::new(format!(
                "{origin}: the report has no failing case to replay (the run passed)"
            ))
        })?;
    let kind_text = report["kind"].as_str().unwrap_or("law");
    let (kind, scalar) = match kind_text.split_once(':') {
        Some((_, name)) => ("scalar".to_string(), Some(name.to_string())),
        None => (kind_text.to_string(), None),
    };
    let replay_args = TestImplArgs {
        kind,
        scalar,
        exact: report["exact"].as_bool().unwrap_or(false),
        exact_rewards: report["exact_rewards"].as_bool().unwrap_or(false),
        rel_tol: report["rel_tol"].as_f64().unwrap_or(1e-9),
        abs_tol: report["abs_tol"].as_f64().unwrap_or(1e-12),
        samples: report["samples"].as_u64().unwrap_or(20_000),
        randomised: report["randomised"].as_bool().unwrap_or(false),
        false_alarm: report["false_alarm"].as_f64().unwrap_or(1e-6),
        trials: Some(report["trials"].as_u64().unwrap_or(1).max(1)),
        seed: report["seed"].as_u64().unwrap_or(1),
        k: args.k.clone(),
        m: args.m.clone(),
        n: None,
        time: None,
        timeout: args.timeout,
        report: None,
        output: Default::default(),
        replay: None,
        command: args.command.clone(),
    };
    let settings = settings(&replay_args, args.command.clone())?;
    let spec = bestofn::report::counterexample::parse_case_object(Some(case), "case", &origin)?;
    match testimpl::replay(&settings, &spec)? {
        None => {
            println!(
                "replay of {origin}: `{}` now PASSES on bestofn law {}",
                settings.command.join(" "),
                case_flags(&spec)
            );
            Ok(0)
        }
        Some(f) => {
            println!(
                "replay of {origin}: `{}` still FAILS on bestofn law {}",
                settings.command.join(" "),
                case_flags(&spec)
            );
            for d in f.details.iter().take(8) {
                println!("  {d}");
            }
            Ok(1)
        }
    }
}
