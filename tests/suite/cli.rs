//! The command line: bundled cases, JSON shape, expected-value mismatches, and bad input
//! (exit 2, one line naming the problem, never a panic).

use std::process::Output;

use serde_json::Value;

use crate::common::{bestofn, Failures, Run};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_bundled_case_reproduces_its_expected_values_with_both_backends() {
    let cases: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(cases.len() >= 5, "bundled cases: {cases:?}");
    for backend in ["rug", "num", "both"] {
        let mut args = vec!["law", "--backend", backend];
        args.extend(cases.iter().map(String::as_str));
        let out = bestofn(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{backend}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        assert_eq!(
            stdout(&out).matches("all match").count(),
            cases.len(),
            "{backend}"
        );
    }
}

#[test]
fn example2_text_output_is_the_papers_table() {
    let out = bestofn(&[
        "law",
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "2",
        "--n",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("y_2="))
        .map(|l| l.split_whitespace().skip(1).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["49/625", "21/250", "43/250"],
            vec!["21/250", "81/10000", "9/125"],
            vec!["43/250", "9/125", "103/400"],
        ]
    );
    assert!(text.contains("0: 209/625"), "{text}");
}

#[test]
fn json_by_sequence_and_by_type() {
    let base = [
        "law",
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "2",
        "--n",
        "2",
        "--json",
    ];
    let out = bestofn(&[&base[..], &["--by", "sequence"]].concat());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["by"], "sequence");
    let law = v["law"].as_array().unwrap();
    assert_eq!(law.len(), 9);
    assert_eq!(law[0]["sequence"], serde_json::json!([0, 0]));
    assert_eq!(law[0]["p"], "1/25");
    assert_eq!(law[0]["pi"], "49/625");
    assert_eq!(v["marginals"][1][0], "209/625");
    assert_eq!(v["total"], "1");

    let out = bestofn(&[&base[..], &["--by", "type"]].concat());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let law = v["law"].as_array().unwrap();
    assert_eq!(law.len(), 6);
    // Type [1,0,1] = {(0,2), (2,0)}: p = 2 * 1/5 * 1/2, pi = 2 * 43/250.
    let row = law
        .iter()
        .find(|r| r["counts"] == serde_json::json!([1, 0, 1]))
        .unwrap();
    assert_eq!(row["sequences"], "2");
    assert_eq!(row["p"], "1/5");
    assert_eq!(row["pi"], "43/125");
}

#[test]
fn summary_reports_sizes_total_and_top_type() {
    let out = bestofn(&[
        "law",
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "30",
        "--n",
        "1000",
        "--summary",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["outcomes"], 496);
    assert_eq!(v["classes"], 496);
    assert_eq!(v["total_is_one"], true);
    assert_eq!(v["top"]["counts"], serde_json::json!([30, 0, 0]));
    // 1 - (1 - 5^-30)^1000 = 1000 * 5^-30 - ... = 1.0737418239999999994...e-18
    assert!(
        v["top_pi_decimal"]
            .as_str()
            .unwrap()
            .starts_with("1.073741823999999999"),
        "{v}"
    );
}

#[test]
fn a_wrong_expected_value_fails_with_exit_1_naming_the_entry() {
    let scratch = crate::common::Scratch::new("cli");
    let dir = scratch.dir().to_path_buf();
    let path = dir.join("wrong.toml");
    std::fs::write(
        &path,
        "p = \"1/5,3/10,1/2\"\nreward = \"log:6,1,2\"\nm = 2\nn = 2\n\
         [expected]\npi_table = [[\"49/625\", \"21/250\", \"43/250\"], [\"21/250\", \"81/1000\", \"9/125\"]]\n",
    )
    .unwrap();
    let out = bestofn(&["law", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("1 of 6 DIFFER"), "{text}");
    assert!(
        text.contains("pi(1,1): expected 81/1000, computed 81/10000"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_input_exits_2_with_one_line_and_no_panic() {
    let scratch = crate::common::Scratch::new("bad");
    let tmp = scratch.dir().join("bad.toml");
    std::fs::write(&tmp, "p = \"1/2,1/2\"\nreward = \"log:1,2\nn = 2\n").unwrap();
    let tmp = tmp.to_str().unwrap().to_string();
    let ok = ["--p", "1/5,3/10,1/2", "--reward", "log:6,1,2"];
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--p", "1/5,3/10,1/3", "--reward", "log:6,1,2", "--n", "2"],
            "sum to 5/6, not 1",
        ),
        (
            vec!["--p", "-1/5,7/10,1/2", "--reward", "log:6,1,2", "--n", "2"],
            "entry 1 is negative",
        ),
        (
            vec!["--p", "1/5,x,1/2", "--reward", "log:6,1,2", "--n", "2"],
            "entry 2",
        ),
        (
            vec!["--p", "1/5,3/10,1/2", "--reward", "log:6,1,2", "--n", "0"],
            "N must be at least 1",
        ),
        (
            vec!["--p", "1/5,3/10,1/2", "--reward", "log:6,0,2", "--n", "2"],
            "weights must be > 0",
        ),
        (
            vec!["--p", "1/5,3/10,1/2", "--reward", "log:6,1", "--n", "2"],
            "K = 3",
        ),
        (
            [&ok[..], &["--n", "2", "--m", "30", "--by", "sequence"]].concat(),
            "use --by type",
        ),
        (
            [&ok[..], &["--n", "2", "--tie-break", "random"]].concat(),
            "invalid value 'random'",
        ),
        (
            [
                &ok[..],
                &["--n", "2", "--tie-break", "lex-min", "--by", "type"],
            ]
            .concat(),
            "use --by sequence",
        ),
        ([&ok[..], &["--n", "99999999999"]].concat(), "--max-bits"),
        (
            [&ok[..], &["--m", "3", "--n", "4000000000"]].concat(),
            "--max-bits",
        ),
        (
            vec![
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--m",
                "5000000",
            ],
            "limit",
        ),
        (
            vec![
                "--p",
                "1/2,1/2",
                "--reward",
                "scores:missing.txt",
                "--n",
                "2",
                "--m",
                "2",
            ],
            "cannot read",
        ),
        (
            vec!["--p", "1/2,1/2", "--reward", "additive:0,1"],
            "missing n",
        ),
        (vec![tmp.as_str()], "malformed TOML"),
        (vec!["no-such-case.toml"], "cannot read case file"),
    ];
    let mut failures = Failures::default();
    for (args, needle) in cases {
        let run = Run::new(&[&["law"][..], &args].concat())
            .status(2)
            .stderr_has(needle);
        // clap's own errors (an invalid value) come with a usage line.
        let run = match needle.starts_with("invalid value") {
            true => run,
            false => run.one_line_error(),
        };
        failures.note(run.check());
    }
    failures.assert_none();
    std::fs::remove_file(&tmp).ok();
}

/// The suite's `Run` helper reports every way a run falls short, with the command line.
#[test]
fn the_run_helper_names_every_shortfall() {
    let message = Run::new(&[
        "law",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "0",
    ])
    .status(0)
    .stderr_has("no such text")
    .stdout_has("nor this")
    .check()
    .unwrap_err();
    for part in [
        "bestofn law --p 1/2,1/2",
        "exit 2, wanted one of [0]",
        "stderr lacks 'no such text'",
        "stdout lacks 'nor this'",
        "N must be at least 1",
    ] {
        assert!(message.contains(part), "{part}: {message}");
    }
    // A run past its limit is killed and named.
    let slow = Run::new(&[
        "search",
        "--claim",
        "bon-kl-le-log-n",
        "--time",
        "30",
        "--jobs",
        "1",
    ])
    .within(std::time::Duration::from_secs(1))
    .check()
    .unwrap_err();
    assert!(slow.contains("no exit within 1s"), "{slow}");
    let mut failures = Failures::default();
    failures.note(Run::new(&["claims"]).status(0).check());
    failures.assert_none();
}

/// `cases/derive/brute_force.py`, the independent derivation of expected values: `--help`
/// teaches, bad arguments get a usage error, and on Example 2 it prints the table bestofn does.
#[test]
fn the_python_brute_force_explains_itself_and_agrees_on_example_2() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/cases/derive/brute_force.py");
    let run = |args: &[&str]| {
        std::process::Command::new("python3")
            .arg(script)
            .args(args)
            .output()
            .expect("python3 runs")
    };
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout)
        .contains("Usage: brute_force.py P REWARD M N TIE_BREAK"));
    let bad = run(&["1/2,1/2", "additive:0,1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("expected 5 arguments"));
    let table = run(&["1/5,3/10,1/2", "log:6,1,2", "2", "2", "uniform"]);
    let text = String::from_utf8_lossy(&table.stdout);
    for line in [
        "0,0: 49/625",
        "0,1: 21/250",
        "1,1: 81/10000",
        "2,2: 103/400",
    ] {
        assert!(text.lines().any(|l| l.trim() == line), "{line} in:\n{text}");
    }
}

/// `law` over several files ends with one line counting those that match, differ (named) and
/// state no expected values.
#[test]
fn law_over_many_files_ends_with_a_summary() {
    let s = crate::common::Scratch::new("law-summary");
    let wrong = s.file(
        "wrong.toml",
        "p = \"1/2,1/2\"\nreward = \"additive:0,1\"\nn = 10\n\n[[expected.pi]]\nsequence = [0]\nvalue = \"1/1000\"\n",
    );
    let bare = s.file(
        "bare.toml",
        "p = \"1/2,1/2\"\nreward = \"additive:0,1\"\nn = 2\n",
    );
    let ran = crate::common::Run::new(&["law", "cases/example2.toml", &wrong, &bare])
        .status(1)
        .run();
    let last = ran.stdout.lines().last().unwrap();
    assert_eq!(
        last,
        format!("3 case files: 1 match their expected values, 1 differ ({wrong}), 1 state none")
    );
}

/// A case has one JSON shape in every command's output (p a list of exact strings, the reward
/// an object with its kind), and a counterexample report in the older flat shape still reads.
#[test]
fn a_case_has_one_json_shape_everywhere() {
    let flags = [
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,0",
        "--m",
        "1",
        "--n",
        "2",
    ];
    let expected = serde_json::json!({
        "p": ["1/2", "1/2"],
        "reward": {"kind": "additive", "values": ["0", "0"]},
        "m": 1, "n": 2, "tie_break": "uniform",
    });
    let json_of = |args: &[&str]| -> serde_json::Value {
        let out = crate::common::bestofn(args);
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let law = json_of(&[&["law"][..], &flags, &["--json"]].concat());
    let check = json_of(
        &[
            &["check", "--claim", "bon-kl-formula-exact"][..],
            &flags,
            &["--json"],
        ]
        .concat(),
    );
    let search = json_of(&[
        "search",
        "--claim",
        "bon-kl-formula-exact",
        "--seed",
        "1",
        "--json",
    ]);
    assert_eq!(law["case"], expected);
    assert_eq!(check["case"], expected);
    let mut found = search["counterexamples"][0]["case"].clone();
    found.as_object_mut().unwrap().remove("tie_break");
    let mut want = expected.clone();
    want.as_object_mut().unwrap().remove("tie_break");
    assert_eq!(found, want);
    // The older flat shape: recheck still reads it.
    let s = crate::common::Scratch::new("case-shape");
    let dir = s.path("out");
    crate::common::bestofn(&[
        "search",
        "--claim",
        "bon-kl-formula-exact",
        "--seed",
        "1",
        "--report",
        &dir,
    ]);
    let path = format!("{dir}/counterexample.json");
    let mut report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(report["case"]["p"], serde_json::json!(["1/2", "1/2"]));
    report["case"]["p"] = serde_json::json!("1/2,1/2");
    report["case"]["reward"] = serde_json::json!("additive:0,0");
    std::fs::write(&path, report.to_string()).unwrap();
    let out = crate::common::bestofn(&["recheck", &path]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_large_law_is_summarised_in_text_and_full_with_a_flag() {
    // m = 10 over two letters by sequence: 1024 outcomes. Text shows the first 24 rows and
    // says how many it left out; --full prints all; JSON always has every value.
    let args = [
        "law",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--m",
        "10",
        "--n",
        "3",
        "--by",
        "sequence",
    ];
    let text = stdout(&bestofn(&args));
    let rows = |t: &str| t.lines().filter(|l| l.starts_with('(')).count();
    assert_eq!(rows(&text), 24, "{text}");
    assert!(
        text.contains("... 1000 more outcomes (--full prints every row; --json gives every value)"),
        "{text}"
    );
    // The first row is the all-zero sequence: (1/2)^10 under p, and pi = P(all three draws
    // are it) = (1/1024)^3, as no other sequence has a lower reward.
    assert!(
        text.contains("(0,0,0,0,0,0,0,0,0,0)  p = 1/1024  pi = 1/1073741824"),
        "{text}"
    );
    let full = stdout(&bestofn(&[&args[..], &["--full"]].concat()));
    assert_eq!(rows(&full), 1024);
    assert!(!full.contains("more outcomes"));
    let json: Value =
        serde_json::from_str(&stdout(&bestofn(&[&args[..], &["--json"]].concat()))).unwrap();
    assert_eq!(json["law"].as_array().unwrap().len(), 1024);
}
