//! Bad and extreme input, tried as a new user would (issue 12): every attack gets a correct
//! answer or exit 2 with one sentence naming what and where, in seconds, never a panic, an
//! abort or a silent pass. Every attack runs; the failures are collected and reported together.

use crate::common;

use std::path::Path;
use std::time::Duration;

use rug::Rational;

/// What an attack must produce.
struct Expect {
    /// Allowed exit statuses.
    status: &'static [i32],
    /// Must appear in stderr (status 2) or stdout (otherwise).
    needle: &'static str,
}

const BAD: &[i32] = &[2];

use crate::common::{Run, Scratch};

/// Checks one attack; returns a description of what went wrong, if anything: an exit within
/// 60 s with an allowed status, no panic or GMP abort, the needle in stderr (bad input, then
/// one sentence) or stdout.
fn attack(args: &[String], expect: &Expect) -> Option<String> {
    let run = Run::new(args)
        .statuses(expect.status)
        .within(Duration::from_secs(60));
    let run = match expect.status == BAD {
        true => run.stderr_has(expect.needle).one_line_error(),
        false => run.stdout_has(expect.needle),
    };
    run.check().err()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn uniform_case_file(scratch: &Scratch, k: usize) -> String {
    let p = vec![format!("1/{k}"); k].join(",");
    let reward = (0..k)
        .map(|i| (i % 7).to_string())
        .collect::<Vec<_>>()
        .join(",");
    scratch.file(
        &format!("k{k}.toml"),
        &format!("p = \"{p}\"\nreward = \"additive:{reward}\"\nn = 3\n"),
    )
}

/// The table of attacks. Each is (arguments, expectation).
fn attacks(scratch: &Scratch) -> Vec<(Vec<String>, Expect)> {
    let mut out: Vec<(Vec<String>, Expect)> = Vec::new();
    let mut add = |args: Vec<String>, status: &'static [i32], needle: &'static str| {
        out.push((args, Expect { status, needle }))
    };
    let ex2 = ["--p", "1/5,3/10,1/2", "--reward", "log:6,1,2"];
    // Panics and aborts of the issue, now refused before any large allocation.
    add(
        strings(&[
            "law",
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--n",
            "4294967295",
            "--summary",
        ]),
        BAD,
        "--max-bits",
    );
    add(
        strings(&[
            "law",
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--n",
            "1073741824",
            "--summary",
        ]),
        BAD,
        "--max-bits",
    );
    for alpha in ["1e20", "1e9"] {
        add(
            strings(&[
                "check",
                "--p",
                "1/5,3/10,1/2",
                "--q",
                "2/3,1/9,2/9",
                "--n",
                "2",
                "--alpha",
                alpha,
                "--beta",
                "1/3",
                "--claim",
                "tilt-composition",
            ]),
            BAD,
            "bits",
        );
    }
    add(
        strings(&[
            "compare", "--p", "1/2,1/2", "--q", "1/3,2/3", "--n", "2", "--alpha", "1e10",
        ]),
        &[0, 1],
        "NaN",
    );
    add(
        strings(&[
            "figure",
            "simplex",
            "--p",
            "1/2,1/2,0",
            "--q",
            "2/3,1/9,2/9",
            "--delta",
            "0.11",
            "--m",
            "5",
            "-o",
            &scratch.path("f.svg"),
        ]),
        BAD,
        "edge of the simplex",
    );
    add(
        strings(&[
            "search",
            "--claim",
            "bon-winrate-le",
            "--n",
            "1..4294967295",
            "--trials",
            "200",
        ]),
        BAD,
        "--max-bits",
    );
    add(
        strings(&[
            "exhaust",
            "--claim",
            "bon-winrate-le",
            "--k",
            "2",
            "--den",
            "2",
            "--n",
            "4294967295",
        ]),
        BAD,
        "--max-bits",
    );
    add(
        strings(&["search", "--claim", "bon-winrate-le", "--jobs", "100000"]),
        BAD,
        "jobs",
    );
    add(
        strings(&["search", "--claim", "bon-winrate-le", "--jobs", "0"]),
        BAD,
        "jobs",
    );
    add(
        strings(&[
            "law",
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--n",
            "2",
            "--max-bits",
            "3",
        ]),
        BAD,
        "max-bits",
    );
    // Large alphabets at m = 1: by sequence (chosen by cost), or refused by type.
    for k in [8192, 65536] {
        add(
            strings(&["law", &uniform_case_file(scratch, k), "--summary"]),
            &[0],
            "entries)",
        );
    }
    add(
        strings(&[
            "law",
            &uniform_case_file(scratch, 65536),
            "--summary",
            "--by",
            "type",
        ]),
        BAD,
        "use --by sequence",
    );
    // Silent passes.
    let unknown = scratch.file(
        "unknown-claim.toml",
        "p = \"1/2,1/2\"\nreward = \"additive:0,1\"\nn = 2\n[expected_verdicts]\nbon-kl-le-lgo-n = \"holds\"\n",
    );
    add(
        strings(&["check", &unknown]),
        BAD,
        "did you mean 'bon-kl-le-log-n'",
    );
    add(
        strings(&["check", "cases/example2.toml", "--claim", "bon-memoryless"]),
        &[0],
        "not checked",
    );
    add(
        strings(&["exhaust", "--claim", "tilt-composition"]),
        &[4],
        "NOTHING CHECKED",
    );
    add(
        strings(&[
            "exhaust",
            "--claim",
            "klrl-optimal-tilt",
            "--k",
            "2",
            "--den",
            "3",
            "--n",
            "1..2",
        ]),
        &[4],
        "needs --delta",
    );
    // Long runs refused with an estimate.
    add(
        [
            &["law"][..],
            &ex2,
            &["--m", "30", "--n", "10000", "--summary", "--backend", "num"],
        ]
        .concat()
        .iter()
        .map(|s| s.to_string())
        .collect(),
        BAD,
        "estimated",
    );
    add(
        strings(&[
            "tradeoff",
            "--p",
            "1/5,3/10,1/2",
            "--q",
            "2/3,1/9,2/9",
            "--n-max",
            "100000",
        ]),
        BAD,
        "N_max^2",
    );
    // Documented examples that used to fail.
    add(
        strings(&[
            "check",
            "--p",
            "1/5,3/10,1/2",
            "--q",
            "2/3,1/9,2/9",
            "--alpha",
            "1/2",
            "--beta",
            "1/3",
            "--claim",
            "tilt-composition-misprint",
        ]),
        &[1],
        "tilt-composition-misprint  fails",
    );
    add(
        strings(&[
            "check",
            "cases/lex-min-not-exchangeable.toml",
            "--claim",
            "bon-exchangeable",
            "--without-hypothesis",
            "uniform-tie-break",
        ]),
        &[0],
        "1 checked, all match",
    );
    add(
        strings(&["check", "cases/example2.toml"]),
        &[0],
        "16 checked, all match",
    );
    // Errors that name the right flag.
    add(
        [&["check"][..], &ex2[..2], &["--q", "1/2,1/2", "--n", "2"]]
            .concat()
            .iter()
            .map(|s| s.to_string())
            .collect(),
        BAD,
        "q: 2 entries given but p has K = 3",
    );
    add(
        strings(&[
            "compare",
            "cases/float-ln-tie.toml",
            "--plot",
            &scratch.path("e.svg"),
            "--plot-precisions",
            "1",
        ]),
        BAD,
        "--plot-precisions",
    );
    let huge_entry = format!(
        "p = \"1/2,{}\"\nreward = \"additive:0,1\"\nn = 2\n",
        "7".repeat(2_000_000)
    );
    add(
        strings(&["law", &scratch.file("huge.toml", &huge_entry)]),
        BAD,
        "truncated; a fraction of",
    );
    // Output paths in missing directories are refused everywhere, before the work.
    for args in [
        vec![
            "compare",
            "cases/float-ln-tie.toml",
            "--report",
            "/nonexistent-bestofn/r.md",
        ],
        vec![
            "compare",
            "cases/float-ln-tie.toml",
            "--plot",
            "/nonexistent-bestofn/e.svg",
        ],
        vec![
            "figure",
            "simplex",
            "cases/figure1-optimum.toml",
            "-o",
            "/nonexistent-bestofn/f.svg",
        ],
        vec![
            "search",
            "--claim",
            "bon-winrate-le",
            "--report",
            "/nonexistent-bestofn/out",
        ],
        vec![
            "check",
            "cases/example2.toml",
            "--report",
            "/nonexistent-bestofn/r.md",
        ],
        vec![
            "tradeoff",
            "--p",
            "1/5,3/10,1/2",
            "--q",
            "2/3,1/9,2/9",
            "--n-max",
            "4",
            "--plot",
            "/nonexistent-bestofn/t.svg",
        ],
    ] {
        add(strings(&args), BAD, "does not exist");
    }
    // The default search space reaches the gap bound's counterexample (p uniform on 21 letters)
    // once the bound's hypothesis of distinct rewards is dropped.
    add(
        strings(&[
            "search",
            "--claim",
            "bon-kl-gap-bound",
            "--without-hypothesis",
            "distinct-rewards",
            "--seed",
            "1",
        ]),
        &[1],
        "COUNTEREXAMPLE",
    );
    // Malformed numbers, rewards and case files.
    for (args, needle) in [
        (
            vec![
                "law",
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--m",
                "0",
            ],
            "m: must be at least 1",
        ),
        (
            vec![
                "law",
                "--p",
                "1/0,1",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
            ],
            "zero denominator",
        ),
        (
            vec![
                "law",
                "--p",
                "1e999999,1",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
            ],
            "not an exact number",
        ),
        (
            vec!["law", "--p", "", "--reward", "additive:0,1", "--n", "2"],
            "p",
        ),
        (
            vec![
                "law",
                "--p",
                "1/2,1/2",
                "--reward",
                "frobnicate:0,1",
                "--n",
                "2",
            ],
            "reward",
        ),
        (
            vec!["law", "--p", "1/2,1/2", "--reward", "log:-1,2", "--n", "2"],
            "reward",
        ),
        (
            vec![
                "check",
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--claim",
                "no-such-claim",
            ],
            "unknown id",
        ),
        (
            vec![
                "check",
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--prec-cap",
                "1",
            ],
            "prec",
        ),
        (
            vec!["search", "--claim", "bon-winrate-le", "--k", "9..2"],
            "empty",
        ),
        (
            vec!["search", "--claim", "bon-winrate-le", "--time", "0"],
            "time",
        ),
        (
            vec!["exhaust", "--claim", "bon-winrate-le", "--den", "100000"],
            "den",
        ),
        (
            vec!["recheck", "/nonexistent-bestofn/c.json"],
            "cannot read",
        ),
    ] {
        add(strings(&args), BAD, needle);
    }
    out
}

#[test]
fn every_attack_gets_a_clear_answer() {
    let scratch = Scratch::new("table");
    let table = attacks(&scratch);
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(args, expect)| attack(args, expect))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} attacks mishandled:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
    assert!(
        !Path::new("/nonexistent-bestofn").exists(),
        "a command created a directory"
    );
}

/// Decimal ends of enclosures are rounded outward: ln 19 to 40 digits lies inside the printed
/// interval (it used to print a lower end above ln 19).
#[test]
fn printed_enclosure_ends_contain_values_known_to_many_digits() {
    let r = Run::new(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "19",
        "--claim",
        "bon-kl-le-log-n",
        "--json",
    ])
    .within(Duration::from_secs(60))
    .run();
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let log_n = &json["results"][0]["evidence"]["log(N)"];
    let ln19 = bestofn::exact::parse_rational("2.944438979166440460009027431887853537237").unwrap();
    let tail = Rational::from((1, 10u64.pow(18))) * Rational::from((1, 10u64.pow(18)));
    let lo = bestofn::exact::parse_rational(log_n["lo"].as_str().unwrap()).unwrap();
    let hi = bestofn::exact::parse_rational(log_n["hi"].as_str().unwrap()).unwrap();
    // ln 19 is within 10^-36 of the 40-digit value: the whole neighbourhood must be inside.
    assert!(
        lo <= Rational::from(&ln19 - &tail),
        "lower end {lo} above ln 19"
    );
    assert!(
        hi >= Rational::from(&ln19 + &tail),
        "upper end {hi} below ln 19"
    );
    // And the text rendering (12 digits), likewise.
    let text = Run::new(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "19",
        "--claim",
        "bon-kl-le-log-n",
    ])
    .within(Duration::from_secs(60))
    .run();
    assert!(
        text.stdout
            .contains("log(N) = [2.94443897916, 2.94443897917]"),
        "{}",
        text.stdout
    );
}

/// A zero-probability letter with a reward of its own: the support of p has one reward
/// class, so both claims are decided exactly (they used to be undecided at 4096 bits).
#[test]
fn zero_probability_reward_classes_do_not_block_exact_decisions() {
    let r = Run::new(&[
        "check",
        "--p",
        "0,1/2,1/2",
        "--reward",
        "additive:1/5,0,0",
        "--n",
        "4",
    ])
    .within(Duration::from_secs(60))
    .run();
    for claim in ["tradeoff-continuous-optimum", "asym-small-k-bound"] {
        let line = r.stdout.lines().find(|l| l.starts_with(claim)).unwrap();
        assert!(line.contains("holds"), "{line}");
    }
    assert!(!r.stdout.contains("-0"), "{}", r.stdout);
    // bon-kl-formula-exact fails (KL = 0 is not log 4 - 3/4): exit 1.
    assert_eq!(r.status, Some(1), "{}", r.stdout);
}

/// recheck compares the recorded text with the re-derivation: an edited evidence value, an
/// edited verdict, an edited statement and an edited bracket are each reported.
#[test]
fn recheck_rejects_tampered_reports() {
    let scratch = Scratch::new("recheck");
    let dir = scratch.path("out");
    let found = Run::new(&[
        "search",
        "--claim",
        "asym-small-k-bound",
        "--seed",
        "1",
        "--trials",
        "2000",
        "--report",
        &dir,
    ])
    .within(Duration::from_secs(120))
    .run();
    assert_eq!(found.status, Some(1), "{}", found.stdout);
    let original = std::fs::read_to_string(format!("{dir}/counterexample.json")).unwrap();
    let clean = Run::new(&["recheck", &format!("{dir}/counterexample.json")])
        .within(Duration::from_secs(60))
        .run();
    assert_eq!(clean.status, Some(0), "{}", clean.stdout);
    assert!(clean.stdout.contains("CONFIRMED"), "{}", clean.stdout);
    let value: serde_json::Value = serde_json::from_str(&original).unwrap();
    let evidence = &value["result"]["evidence"];
    let kl = evidence["KL(pi_N || phi_Delta)"]["lo"]
        .as_str()
        .unwrap()
        .to_string();
    let alpha_lo = evidence["alpha(Delta) lower end"]
        .as_str()
        .unwrap()
        .to_string();
    let edits: Vec<(String, String, &str)> = vec![
        (
            format!("\"lo\": \"{kl}\""),
            "\"lo\": \"0.1\"".into(),
            "KL(pi_N || phi_Delta)",
        ),
        (
            "\"verdict\": \"fails\"".into(),
            "\"verdict\": \"holds\"".into(),
            "verdict",
        ),
        (
            "K < 10, N <= 1000".into(),
            "K < 10, N <= 100000".into(),
            "'statement'",
        ),
        (format!("\"{alpha_lo}\""), "\"1/2\"".into(), "bracket"),
    ];
    for (from, to, needle) in edits {
        assert!(original.contains(&from), "{from} not in the report");
        let edited = scratch.file("edited.json", &original.replacen(&from, &to, 1));
        let r = Run::new(&["recheck", &edited])
            .within(Duration::from_secs(60))
            .run();
        assert_eq!(r.status, Some(1), "{from} -> {to}: {}", r.stdout);
        assert!(
            r.stdout.contains("REJECTED") && r.stdout.contains(needle),
            "{from} -> {to}: {}",
            r.stdout
        );
    }
    // A case edited to an enormous N is refused by the shared size check.
    let mut huge: serde_json::Value = serde_json::from_str(&original).unwrap();
    huge["case"]["n"] = serde_json::json!(4294967295u64);
    let huge = huge.to_string();
    let r = Run::new(&["recheck", &scratch.file("huge.json", &huge)])
        .within(Duration::from_secs(60))
        .run();
    assert_eq!(r.status, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("--max-bits"), "{}", r.stderr);
}

/// Every flag of every command says what it does in --help.
#[test]
fn every_flag_has_a_description() {
    let mut missing = Vec::new();
    for command in crate::common::commands() {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("--help");
        let r = Run::new(&args).within(Duration::from_secs(30)).run();
        let lines: Vec<&str> = r.stdout.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            if !(trimmed.starts_with("--")
                || trimmed.starts_with("-h")
                || trimmed.starts_with("-o"))
            {
                continue;
            }
            // `--flag <V>  description` on one line, or the description on the next line.
            let words: Vec<&str> = trimmed
                .split("  ")
                .filter(|w| !w.trim().is_empty())
                .collect();
            let next_is_text = lines
                .get(i + 1)
                .is_some_and(|n| n.starts_with("          ") && !n.trim().is_empty());
            if words.len() < 2 && !next_is_text {
                missing.push(format!("{command}: {trimmed}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "flags without a description:\n{}",
        missing.join("\n")
    );
}

/// Large alphabets print sparse types and elided headers.
#[test]
fn large_alphabets_print_sparse_types_and_elided_headers() {
    let r = Run::new(&["law", "cases/asym-large-k.toml"])
        .within(Duration::from_secs(120))
        .run();
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    let header = r.stdout.lines().next().unwrap();
    assert!(
        header.len() < 300 && header.contains("(1001 entries)"),
        "{header}"
    );
    assert!(r.stdout.contains("{0: 1}"), "types are not sparse");
    let _ = common::q("1");
}

/// One precision rule for every command that decides claims (issue 15: `--prec-cap` was
/// validated four ways): `2 <= --prec-start <= --prec-cap <= 2^20`, refused with one line,
/// exit 2, before any work.
#[test]
fn one_precision_rule_for_every_command() {
    let commands: [&[&str]; 5] = [
        &["check", "cases/example2.toml"],
        &["search", "--claim", "bon-winrate-le", "--trials", "10"],
        &[
            "exhaust",
            "--claim",
            "bon-winrate-le",
            "--k",
            "2",
            "--n",
            "1..2",
        ],
        &["recheck", "no-such-report.json"],
        &["compare", "cases/example2.toml"],
    ];
    let bad: [&[&str]; 4] = [
        &["--prec-cap", "1"],
        &["--prec-cap", "2000000"],
        &["--prec-start", "128", "--prec-cap", "64"],
        &["--prec-start", "1"],
    ];
    let mut failures = Vec::new();
    for command in commands {
        for flags in bad {
            let out = common::bestofn(&[command, flags].concat());
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(2)
                || stderr.lines().count() != 1
                || !stderr.contains("need 2 <= --prec-start <= --prec-cap <= 1048576")
            {
                failures.push(format!(
                    "{command:?} {flags:?}: {:?} {stderr}",
                    out.status.code()
                ));
            }
        }
        // The bounds themselves are accepted (recheck then fails on its missing file).
        let out = common::bestofn(&[command, &["--prec-start", "2", "--prec-cap", "2"]].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("prec:") {
            failures.push(format!("{command:?} refused 2..2: {stderr}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Library users get a kind with each error, besides the sentence.
#[test]
fn errors_carry_a_kind() {
    use bestofn::casefile::CaseFile;
    use bestofn::ErrorKind;
    let kind_of = |e: bestofn::InputError| e.kind();
    assert_eq!(
        kind_of(bestofn::model::Pmf::parse("1/5,3/10,1/3").unwrap_err()),
        ErrorKind::Invalid
    );
    assert_eq!(
        kind_of(
            bestofn::claims::find_in_catalogue("bon-kl-le-log-m")
                .err()
                .unwrap()
        ),
        ErrorKind::Unknown
    );
    let parse = |text: &str| CaseFile::parse(text, "c.toml", std::path::PathBuf::new());
    assert_eq!(
        kind_of(parse("p = [\"1\"\nm = 2").unwrap_err()),
        ErrorKind::Malformed
    );
    assert_eq!(
        kind_of(parse("pp = \"1\"").unwrap_err()),
        ErrorKind::Unknown
    );
    assert_eq!(
        kind_of(CaseFile::read(std::path::Path::new("no-such.toml")).unwrap_err()),
        ErrorKind::Io
    );
    assert_eq!(
        kind_of(
            bestofn::law::budget::check_number("n", 4_294_967_295, 1, 2, Default::default())
                .unwrap_err()
        ),
        ErrorKind::TooLarge
    );
    assert_eq!(
        kind_of(bestofn::claims::expr::Expression::new("kl(bon, p) <= ").unwrap_err()),
        ErrorKind::Malformed
    );
    let checker = bestofn::model::Case::builder()
        .p("1/2,1/2")
        .reward("additive:0,1")
        .n(2)
        .build()
        .unwrap();
    assert_eq!(
        kind_of(
            checker
                .check_without("bon-kl-le-log-n", "no-such")
                .unwrap_err()
        ),
        ErrorKind::Unknown
    );
    assert_eq!(ErrorKind::TooLarge.name(), "too-large");
}

/// Messages that were right but unclear (issue 26): a negative value of every numeric flag
/// reaches a check that states the allowed range (not clap's "unexpected argument '-1'"), on
/// one line naming the flag.
#[test]
fn a_negative_value_of_every_numeric_flag_gets_its_allowed_range() {
    let case = "--p 1/2,1/2 --reward additive:0,1";
    let runs = [
        (format!("law {case} --n -1"), "--n"),
        (format!("law {case} --m -1"), "--m"),
        (format!("law {case} --max-bits -1"), "--max-bits"),
        (
            "check cases/example2.toml --prec-start -1".into(),
            "--prec-start",
        ),
        (
            "check cases/example2.toml --prec-cap -1".into(),
            "--prec-cap",
        ),
        (
            "search --claim bon-winrate-le --trials -1".into(),
            "--trials",
        ),
        ("search --claim bon-winrate-le --time -1".into(), "time"),
        ("search --claim bon-winrate-le --seed -1".into(), "--seed"),
        ("search --claim bon-winrate-le --jobs -1".into(), "--jobs"),
        ("search --claim bon-winrate-le --k -1".into(), "k"),
        ("exhaust --claim bon-winrate-le --den -1".into(), "--den"),
        ("exhaust --claim bon-winrate-le --jobs -1".into(), "--jobs"),
        ("merge x.json --verify -1".into(), "--verify"),
        ("recheck x.json --sample -1".into(), "--sample"),
        (
            "test-impl --kind law --timeout -1 -- true".into(),
            "timeout",
        ),
        ("test-impl --kind law --seed -1 -- true".into(), "--seed"),
        (
            "test-impl --kind law --trials -1 -- true".into(),
            "--trials",
        ),
        ("test-impl --kind law --time -1 -- true".into(), "time"),
        (
            "test-impl --kind sample --samples -1 -- true".into(),
            "--samples",
        ),
        (
            "test-impl --kind law --rel-tol -1 -- true".into(),
            "rel-tol",
        ),
        (
            "test-impl --kind law --abs-tol -1 -- true".into(),
            "abs-tol",
        ),
        (
            "test-impl --kind sample --false-alarm -1 -- true".into(),
            "false-alarm",
        ),
        ("bench --repeat -1".into(), "--repeat"),
        ("bench --asymptotics-runs -1".into(), "--asymptotics-runs"),
        (
            "tradeoff --p 1/2,1/2 --q 1/3,2/3 --n-max -1".into(),
            "--n-max",
        ),
        ("tradeoff --p 1/2,1/2 --q 1/3,2/3 --m -1".into(), "--m"),
        (
            "tradeoff --p 1/2,1/2 --q 1/3,2/3 --prec -1".into(),
            "--prec",
        ),
        (
            "asymptotics --p 1/2,1/2 --q 1/3,2/3 --delta -1".into(),
            "delta",
        ),
        ("literature --jobs -1".into(), "--jobs"),
        (format!("compare {case} --n -2"), "--n"),
    ];
    let mut failures = common::Failures::default();
    for (line, flag) in &runs {
        let args: Vec<&str> = line.split(' ').collect();
        let ran = Run::new(&args)
            .status(2)
            .stderr_has(flag)
            .one_line_error()
            .check();
        failures.note(ran.and_then(|ran| {
            let range_words = ["0..=", "not in", ">= 0", "must", "range"];
            if range_words.iter().any(|w| ran.stderr.contains(w))
                && !ran.stderr.contains("unexpected argument")
            {
                Ok(())
            } else {
                Err(format!("{line}: no allowed range in: {}", ran.stderr))
            }
        }));
    }
    failures.assert_none();
}

/// A pmf off by 10^-30 says by how much, exactly; a 1,000-digit value is elided in the
/// error; a flat sum of 201 terms is not called "nested"; a median of 0 runs is refused.
#[test]
fn unclear_messages_of_the_sweep_are_clear() {
    let near_one = format!("1/2,0.5{}1", "0".repeat(28));
    Run::new(&["law", "--p", &near_one, "--reward", "additive:0,1"])
        .status(2)
        .stderr_has("p: entries sum to 1 + 1/10^30, not 1")
        .one_line_error()
        .run();
    Run::new(&["law", "--p", "1/2,1/3", "--reward", "additive:0,1"])
        .status(2)
        .stderr_has("entries sum to 5/6, not 1")
        .run();
    let long = format!("1{}", "0".repeat(999));
    let ran = Run::new(&[
        "law",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        &long,
    ])
    .status(2)
    .stderr_has("(1000 characters)")
    .stderr_has("--n")
    .one_line_error()
    .run();
    assert!(ran.stderr.len() < 300, "{}", ran.stderr);
    let flat = format!("{} > 0", vec!["1"; 201].join(" + "));
    let ran = Run::new(&["check", "cases/example2.toml", "--assert", &flat])
        .status(2)
        .stderr_has("more than 200 operators in a row")
        .run();
    assert!(!ran.stderr.contains("nested more than"), "{}", ran.stderr);
    Run::new(&["bench", "--repeat", "0"])
        .status(2)
        .stderr_has("--repeat: must be at least 1")
        .one_line_error()
        .within(Duration::from_secs(5))
        .run();
}

/// `compare --n 1000000` once answered "expression: integer exponent too large" about a
/// catalogue statement the user never wrote: a power too large to be exact is now enclosed.
#[test]
fn huge_integer_powers_are_enclosed_not_refused() {
    let ran = Run::new(&[
        "compare",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "1000000",
    ])
    .statuses(&[0, 1])
    .within(Duration::from_secs(60))
    .run();
    assert!(!ran.stderr.contains("expression"), "{}", ran.stderr);
    for (statement, verdict) in [
        ("(1/2)^100000 > 0", "holds"),
        ("(-2)^100001 < 0", "holds"),
        ("(-2)^100000 > 0", "holds"),
        ("(2/3)^100000 < (2/3)^99999", "holds"),
        ("(1/2)^(10^30) >= 0", "holds"),
        // Once refused as "integer exponent too large"; 2^(10^8) is an MPFR number.
        ("2^100000000 > 1", "holds"),
        ("(1/2)^100000 > 1", "fails"),
    ] {
        let got = common::assert_verdict(&["cases/example2.toml"], statement);
        assert!(got.starts_with(verdict), "{statement}: {got}");
    }
}

/// Long work says so before it starts (issue 26): tradeoff in m (not only in N) and compare
/// on a large alphabet print their estimate first (here the size budget then stops them at
/// once, so the test does not do the work).
#[test]
fn long_work_gives_its_estimate_before_starting() {
    Run::new(&[
        "tradeoff",
        "--p",
        "1/5,3/10,1/2",
        "--q",
        "2/3,1/9,2/9",
        "--m",
        "1000",
        "--max-bits",
        "1000",
    ])
    .status(2)
    .stderr_has("1024 exact laws of up to 501501 reward classes (m = 1000), an estimated")
    .within(Duration::from_secs(30))
    .run();
    let k = 4096;
    let p = vec![format!("1/{k}"); k].join(",");
    let reward = format!(
        "additive:{}",
        (0..k)
            .map(|i| (i % 7).to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let s = Scratch::new("estimate");
    let file = s.file(
        "big.toml",
        &format!("p = \"{p}\"\nreward = \"{reward}\"\nn = 3\n"),
    );
    let plot = s.path("plot.svg");
    Run::new(&[
        "compare",
        &file,
        "--plot",
        &plot,
        "--n",
        "10",
        "--max-bits",
        "64",
    ])
    .status(2)
    .stderr_has("bestofn: compare: 4096 sequences in 17 arithmetics, an estimated")
    .within(Duration::from_secs(30))
    .run();
    // The estimates grow as the measurements did: quadratically in N_max, linearly in the
    // classes and in the outcomes.
    use bestofn::tilt::tradeoff::estimated_seconds;
    let t = estimated_seconds(2000, 3);
    assert!((15..25).contains(&t), "{t}");
    // (Whole seconds, rounded down.)
    assert!((4 * t..4 * t + 4).contains(&estimated_seconds(4000, 3)));
    assert!((400 * t..400 * t + 400).contains(&estimated_seconds(4000, 300)));
    let c = bestofn::compare::estimated_seconds(
        16384,
        &bestofn::float::Arith::parse_list("f64,mpfr:53,mpfr:113,mpfr:256").unwrap(),
    );
    assert!((5..15).contains(&c), "{c}");
}
