//! `bestofn test-impl` against the bundled example programs (issue 14): the correct ones pass,
//! each faulty one fails with its diagnosis and a small shrunk case, `--replay` reproduces it,
//! the select fault is caught exactly and the sample fault statistically; programs that crash,
//! hang or print garbage are reported; no response can make the parser panic.

use std::path::PathBuf;

use crate::common::bestofn;

use proptest::prelude::*;
use serde_json::Value as Json;

fn example(name: &str) -> String {
    format!("examples/impls/{name}.py")
}

/// Runs test-impl with `--json` and returns the report.
fn test_impl(kind: &[&str], program: &str) -> (Option<i32>, Json, String) {
    let out = bestofn(
        &[
            &["test-impl"][..],
            kind,
            &["--json", "--", "python3", &example(program)],
        ]
        .concat(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Json::Null);
    (out.status.code(), report, stderr)
}

fn diagnosis_names(report: &Json) -> Vec<String> {
    report["diagnosis"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

/// Letters and draws of the minimal case.
fn minimal_size(report: &Json) -> (usize, u64, u64) {
    let case = &report["minimal"]["case"];
    let k = case["p"]
        .as_array()
        .expect("p is a list of exact strings")
        .len();
    (k, case["m"].as_u64().unwrap(), case["n"].as_u64().unwrap())
}

#[test]
fn correct_programs_pass() {
    for (kind, program) in [
        (vec!["--kind", "law"], "correct_law"),
        (vec!["--kind", "law", "--exact"], "correct_law"),
        (vec!["--kind", "scalar", "--scalar", "kl"], "scalar_correct"),
        (
            vec!["--kind", "scalar", "--scalar", "winrate"],
            "scalar_correct",
        ),
        (vec!["--kind", "select", "--trials", "8"], "select_correct"),
        (vec!["--kind", "select", "--trials", "40"], "select_texts"),
        (
            vec![
                "--kind",
                "select",
                "--randomised",
                "--trials",
                "6",
                "--samples",
                "3000",
            ],
            "select_random_correct",
        ),
        (
            vec!["--kind", "sample", "--trials", "8", "--samples", "5000"],
            "sample_correct",
        ),
    ] {
        let (status, report, stderr) = test_impl(&kind, program);
        assert_eq!(status, Some(0), "{kind:?} {program}: {stderr} {report}");
        assert_eq!(report["verdict"], "pass");
        assert_eq!(report["failed"], 0);
        assert!(report["tested"].as_u64().unwrap() >= 6);
    }
}

#[test]
fn each_faulty_law_program_fails_with_its_diagnosis_and_a_two_letter_case() {
    let mut failures = Vec::new();
    for (program, diagnosis) in [
        ("law_index_tiebreak", "lex-max tie-break law on f64 rewards"),
        ("law_no_ties", "F^N - F_below^N per outcome on f64 rewards"),
        (
            "law_below_plus_p",
            "(F_below + p)^N - F_below^N on f64 rewards",
        ),
        ("law_continuous", "continuous N F^(N-1) p on f64 rewards"),
        ("law_sorted_p", "law of the order of p"),
        ("law_float32", "law of rewards rounded to float32"),
        // numpy (scripts/setup.sh installs it); the law returned as a numpy array.
        (
            "law_unstable_sort",
            "ties broken in a fixed order that is not the outcome order",
        ),
    ] {
        let (status, report, stderr) = test_impl(&["--kind", "law"], program);
        let names = diagnosis_names(&report);
        let size = if report["minimal"].is_object() {
            Some(minimal_size(&report))
        } else {
            None
        };
        let ok = status == Some(1)
            && names.iter().any(|n| n == diagnosis)
            && size.is_some_and(|(k, m, n)| k <= 2 && m == 1 && n <= 2);
        if !ok {
            failures.push(format!(
                "{program}: exit {status:?}, diagnosis {names:?}, minimal {size:?}: {stderr}"
            ));
        }
    }
    let (status, report, _) =
        test_impl(&["--kind", "scalar", "--scalar", "kl"], "scalar_kl_formula");
    let meaning = report["diagnosis"][0]["meaning"].as_str().unwrap_or("");
    if status != Some(1)
        || !diagnosis_names(&report).contains(&"log N - (N-1)/N".to_string())
        || !meaning.contains("exact only for continuous (atomless) rewards")
    {
        failures.push(format!(
            "scalar_kl_formula: exit {status:?}, {}",
            report["diagnosis"]
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_index_tiebreak_selector_is_caught_exactly_and_a_sampler_statistically() {
    let (status, report, stderr) = test_impl(
        &["--kind", "select", "--trials", "8"],
        "select_index_tiebreak",
    );
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        diagnosis_names(&report).contains(&"lex-min tie-break law".to_string()),
        "{}",
        report["diagnosis"]
    );
    // Exact: the law of the selector's choices is an exact rational on the minimal case.
    let got = &report["minimal"]["got"];
    assert_eq!(got, &serde_json::json!(["3/4", "1/4"]), "{report}");
    assert_eq!(minimal_size(&report), (2, 1, 2));
    let (status, report, stderr) = test_impl(
        &["--kind", "sample", "--trials", "8"],
        "sample_index_tiebreak",
    );
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        diagnosis_names(&report).contains(&"lex-min tie-break law".to_string()),
        "{}",
        report["diagnosis"]
    );
    assert!(
        report["statistics"]
            .as_str()
            .unwrap()
            .contains("false-alarm rate 0.000001"),
        "{}",
        report["statistics"]
    );
}

#[test]
fn replay_reproduces_the_minimal_case() {
    let scratch = crate::common::Scratch::new("test-impl");
    let dir = scratch.dir().join("report");
    let out = bestofn(&[
        "test-impl",
        "--kind",
        "law",
        "--report",
        dir.to_str().unwrap(),
        "--",
        "python3",
        &example("law_index_tiebreak"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("replay: bestofn test-impl --replay"),
        "{text}"
    );
    let report = dir.join("test-impl.json");
    assert!(dir.join("test-impl.md").exists());
    let again = bestofn(&[
        "test-impl",
        "--replay",
        report.to_str().unwrap(),
        "--",
        "python3",
        &example("law_index_tiebreak"),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stdout).contains("still FAILS"));
    // The fixed program passes the same case.
    let fixed = bestofn(&[
        "test-impl",
        "--replay",
        report.to_str().unwrap(),
        "--",
        "python3",
        &example("correct_law"),
    ]);
    assert_eq!(fixed.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&fixed.stdout).contains("now PASSES"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn broken_programs_and_contradicting_flags_get_a_clear_error() {
    let scratch_dir = crate::common::Scratch::new("test-impl-bad");
    let scratch = scratch_dir.dir().to_path_buf();
    let write = |name: &str, text: &str| -> String {
        let p: PathBuf = scratch.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let garbage = write(
        "garbage.py",
        "import sys\nfor line in sys.stdin:\n    print('hello')\n    sys.stdout.flush()\n",
    );
    let exits = write("exits.py", "import sys\nsys.exit(3)\n");
    let crashes = write(
        "crashes.py",
        "import sys\nsys.stdin.readline()\nraise SystemExit('boom')\n",
    );
    let hangs = write(
        "hangs.py",
        "import sys, time\nsys.stdin.readline()\ntime.sleep(60)\n",
    );
    let nan = write("nan.py", "import sys, json\nfor line in sys.stdin:\n    r = json.loads(line)\n    print(json.dumps({'id': r['id'], 'law': [float('nan')] * len(r['case']['outcomes'])}))\n    sys.stdout.flush()\n");
    let negative = write("negative.py", "import sys, json\nfor line in sys.stdin:\n    r = json.loads(line)\n    k = len(r['case']['outcomes'])\n    print(json.dumps({'id': r['id'], 'law': [-1.0] + [2.0 / (k - 1)] * (k - 1)}))\n    sys.stdout.flush()\n");
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["--", "/nonexistent-bestofn/prog"], 2, "cannot start"),
        (vec!["--", "python3", &garbage], 2, "not JSON"),
        (vec!["--", "python3", &exits], 2, "exited"),
        (vec!["--", "/bin/true"], 2, "stopped reading requests"),
        (
            vec!["--k", "12", "--m", "6", "--", "python3", "x.py"],
            2,
            "2985984 outcomes",
        ),
        (vec!["--", "python3", &crashes], 2, "boom"),
        (
            vec!["--timeout", "1", "--", "python3", &hangs],
            2,
            "did not answer within 1.0 s",
        ),
        (vec!["--", "python3", &nan], 2, "NaN"),
        (vec!["--", "python3", &negative], 2, "negative probability"),
        (
            vec!["--kind", "sample", "--exact", "--", "python3", "x.py"],
            2,
            "--exact cannot go with --kind sample",
        ),
        (
            vec!["--kind", "scalar", "--", "python3", "x.py"],
            2,
            "needs --scalar",
        ),
        (
            vec![
                "--kind", "scalar", "--scalar", "entropy", "--", "python3", "x.py",
            ],
            2,
            "nor a numeric expression",
        ),
        (vec!["--kind", "law"], 2, "give the program to test"),
        (
            vec!["--rel-tol", "nan", "--", "python3", "x.py"],
            2,
            "rel-tol",
        ),
    ];
    let mut failures = Vec::new();
    for (args, status, needle) in &cases {
        let out = bestofn(&[&["test-impl"][..], args].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(*status)
            || !err.contains(needle)
            || err.contains("panicked")
            || (err.trim_end().lines().count() != 1 && !err.contains("^"))
        {
            failures.push(format!("{args:?}: exit {:?}: {err}", out.status.code()));
        }
    }
    // A program that prints a sum other than 1 fails the case (not an error).
    std::fs::remove_dir_all(&scratch).ok();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn correct_float_code_passes_on_the_rewards_it_could_see_and_fails_with_exact_rewards() {
    // Rewards 2^-60 apart are one reward in f64: code comparing the f64 rewards it is given
    // cannot tell them apart, so it passes those cases (with a note) unless --exact-rewards.
    for (kind, program) in [("law", "law_f64"), ("select", "select_f64")] {
        let args = ["--kind", kind, "--trials", "500"];
        let (status, report, stderr) = test_impl(&args, program);
        assert_eq!(status, Some(0), "{program}: {stderr} {report}");
        assert_eq!(report["passed"], 500, "{report}");
        assert!(report["passed_on_f64"].as_u64().unwrap() > 0, "{report}");
        let note = report["f64_note"].as_str().unwrap();
        assert!(note.contains("equal as f64"), "{note}");
        let strict = [&args[..], &["--exact-rewards"]].concat();
        let (status, report, _) = test_impl(&strict, program);
        assert_eq!(status, Some(1), "{program} --exact-rewards: {report}");
        assert_eq!(report["passed_on_f64"], 0);
        assert_eq!(
            diagnosis_names(&report),
            ["law of the rewards compared in f64"],
            "{program}"
        );
        assert_eq!(minimal_size(&report), (2, 1, 2));
    }
}

#[test]
fn a_float32_selector_fails_at_the_defaults_named() {
    let (status, report, stderr) = test_impl(&["--kind", "select"], "select_float32");
    assert_eq!(status, Some(1), "{stderr} {report}");
    assert_eq!(report["tested"], 200);
    assert_eq!(
        diagnosis_names(&report),
        ["law of rewards rounded to float32"]
    );
    // The minimal case: two letters 2^-30 apart, which f64 tells apart and float32 does not.
    let values = &report["minimal"]["case"]["reward"]["values"];
    assert_eq!(values[1], "1073741825/1073741824", "{report}");
}

#[test]
fn selectors_get_batched_requests_or_one_per_tuple_and_children_are_bounded() {
    let scratch_dir = crate::common::Scratch::new("test-impl-bounds");
    let write = |name: &str, text: &str| scratch_dir.file(name, text);
    // A hand-written selector that knows only the one-tuple request: it still works.
    let unbatched = write(
        "unbatched.py",
        "import sys, json\nfor line in sys.stdin:\n    r = json.loads(line)\n    if r['kind'] != 'select':\n        print(json.dumps({'id': r['id'], 'error': 'unknown kind ' + r['kind']}))\n    else:\n        k = r['case']['outcome_reward_key']\n        d = r['draws']\n        best = max(range(len(d)), key=lambda i: (__import__('fractions').Fraction(k[d[i]]), -i))\n        print(json.dumps({'id': r['id'], 'index': best}))\n    sys.stdout.flush()\n",
    );
    let out = bestofn(&[
        "test-impl",
        "--kind",
        "select",
        "--trials",
        "10",
        "--",
        "python3",
        &unbatched,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A line without end is cut at the limit, not read until memory runs out.
    let endless = write(
        "endless.py",
        "import sys\nsys.stdin.readline()\nchunk = 'x' * (1 << 20)\nwhile True:\n    sys.stdout.write(chunk)\n",
    );
    let out = bestofn(&["test-impl", "--", "python3", &endless]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("longer than 64 MiB"), "{err}");
    // A grandchild the program forked ends with the run.
    let pid_file = scratch_dir.path("grandchild.pid");
    let forks = write(
        "forks.py",
        &format!("import os, sys, time, subprocess\np = subprocess.Popen(['sleep', '300'])\nopen({pid_file:?}, 'w').write(str(p.pid))\nsys.stdin.readline()\ntime.sleep(60)\n"),
    );
    let out = bestofn(&["test-impl", "--timeout", "1", "--", "python3", &forks]);
    assert_eq!(out.status.code(), Some(2));
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let state = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    // Gone, or a zombie waiting for its (killed) parent's reaper: not running.
    assert!(
        state.is_empty() || state.split_whitespace().nth(2) == Some("Z"),
        "the grandchild {pid} still runs: {state}"
    );
    // A crash shows the end of the traceback, where the error is named.
    let deep = write(
        "deep.py",
        "import sys\nsys.stdin.readline()\ndef f(n):\n    return 1 / 0 if n == 0 else f(n - 1)\nf(40)\n",
    );
    let out = bestofn(&["test-impl", "--", "python3", &deep]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ZeroDivisionError: division by zero"), "{err}");
    // --time with --trials: at most that many cases.
    let out = bestofn(&[
        "test-impl",
        "--time",
        "30",
        "--trials",
        "5",
        "--json",
        "--",
        "python3",
        &example("correct_law"),
    ]);
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["tested"],
        5,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// No response line can make the protocol parser or the law reader panic.
    #[test]
    fn any_response_line_is_handled(line in ".{0,120}", id in 0u64..5) {
        let _ = bestofn::testimpl::protocol::parse_response(&line, id);
        if let Ok(value) = serde_json::from_str::<Json>(&line) {
            let _ = bestofn::testimpl::law_of(&value, "law", 3);
        }
    }

    /// Nor can any JSON response shaped like an answer.
    #[test]
    fn any_answer_shaped_response_is_handled(
        values in proptest::collection::vec(prop_oneof![
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            "[-0-9/.e]{0,12}".prop_map(|s| serde_json::json!(s)),
            Just(serde_json::json!(null)),
            Just(serde_json::json!([1, 2])),
        ], 0..5),
        id in 0u64..3,
    ) {
        let line = serde_json::json!({"id": id, "law": values, "value": values.first(), "index": values.len()}).to_string();
        if let Ok(v) = bestofn::testimpl::protocol::parse_response(&line, id) {
            let _ = bestofn::testimpl::law_of(&v, "law", 3);
            let _ = v.get("value").map(bestofn::testimpl::protocol::number);
        }
    }
}
