//! `--coq`: verdicts as Coq proof scripts, checked by coqc from the definition of best-of-N.
//! Where coqc (with coq-interval) is missing the checks say so in their output and return;
//! with BESTOFN_REQUIRE_COQ set (as .ci/run does) they fail instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{bestofn, Scratch};

/// The axioms a proof may rest on: those of Coq's real numbers.
const ALLOWED_AXIOMS: &[&str] = &[
    "ClassicalDedekindReals.sig_not_dec",
    "ClassicalDedekindReals.sig_forall_dec",
    "FunctionalExtensionality.functional_extensionality_dep",
    "Classical_Prop.classic",
];

/// Whether coqc with coq-interval runs here.
fn coq_available() -> bool {
    let s = Scratch::new("coq-probe");
    let probe = s.file("probe.v", "From Interval Require Import Tactic.\n");
    let ok = Command::new("coqc")
        .arg(&probe)
        .current_dir(s.dir())
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("BESTOFN_REQUIRE_COQ").is_none(),
            "BESTOFN_REQUIRE_COQ is set, but coqc with coq-interval does not run here"
        );
        println!("COQ TEST NOT RUN: coqc with coq-interval is not installed (scripts/setup.sh installs it)");
    }
    ok
}

/// Runs coqc on a file: Ok(its output) when it checks, Err(its errors) when not.
fn coqc(path: &Path) -> Result<String, String> {
    let out = Command::new("coqc")
        .arg(path.file_name().unwrap())
        .current_dir(path.parent().unwrap())
        .output()
        .expect("coqc runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if out.status.success() {
        Ok(text)
    } else {
        Err(format!("{text}{}", String::from_utf8_lossy(&out.stderr)))
    }
}

/// The file checks, and its `Print Assumptions` lists no axiom beyond the reals' (an
/// `Admitted` or an `Axiom` would be listed).
fn assert_checks(path: &Path) {
    let out = coqc(path).unwrap_or_else(|e| panic!("coqc {} failed:\n{e}", path.display()));
    let axioms: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains(" : ") || l.starts_with("Closed"))
        .filter_map(|l| l.split(" : ").next())
        .filter(|name| !name.starts_with("Closed"))
        .collect();
    for a in &axioms {
        assert!(
            ALLOWED_AXIOMS.contains(a),
            "{}: rests on {a}:\n{out}",
            path.display()
        );
    }
    assert!(
        out.contains("Axioms:") || out.contains("Closed under the global context"),
        "{}: no Print Assumptions output:\n{out}",
        path.display()
    );
}

/// The same file with `from` replaced by `to` (which must occur) fails to check.
fn assert_edit_breaks(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no '{from}'", path.display());
    let edited = path.with_file_name(format!(
        "edited_{}",
        path.file_name().unwrap().to_str().unwrap()
    ));
    std::fs::write(&edited, text.replacen(from, to, 1)).unwrap();
    assert!(
        coqc(&edited).is_err(),
        "{} still checks with '{from}' edited to '{to}'",
        path.display()
    );
}

/// Runs bestofn with `--coq DIR/NAME.v`; the file's path (it must have been written).
fn prove(s: &Scratch, name: &str, args: &[&str]) -> PathBuf {
    let path = s.dir().join(format!("{name}.v"));
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--coq", path.to_str().unwrap()]);
    let out = bestofn(&all);
    assert!(
        path.exists(),
        "bestofn {all:?} wrote no proof: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

#[test]
fn the_refutation_of_eq_9_is_checked_by_coqc_and_edits_break_it() {
    if !coq_available() {
        return;
    }
    let s = Scratch::new("coq-eq9");
    let cex = prove(
        &s,
        "cex",
        &[
            "search",
            "--assert",
            "forall_y(bon(y) == N * p(y) * F(y)^(N-1))",
            "--seed",
            "1",
        ],
    );
    let text = std::fs::read_to_string(&cex).unwrap();
    // The law comes from the prelude's definition, never from bestofn's numbers.
    assert!(text.contains("Definition select_of") && text.contains("tuples outs n"));
    assert!(!text.contains("Admitted") && !text.contains("Axiom "));
    assert_checks(&cex);
    // One probability changed: p is no longer a pmf.
    assert_edit_breaks(&cex, "[(1 # 2); (1 # 2)]", "[(1 # 3); (1 # 2)]");
    // N = 1: Eq. (9) holds (bon = p = N p F^0), so the refutation must fail.
    assert_edit_breaks(&cex, "Definition N := 2%nat.", "Definition N := 1%nat.");
}

/// Every catalogue claim a search refutes (known false, or a theorem once a hypothesis is
/// dropped) gets a file from its shrunk counterexample that coqc checks, unless bestofn refuses
/// it with its reason; the claims refuted only by a bundled case are the next test's.
#[test]
fn every_shrunk_refutation_of_the_catalogue_is_checked_by_coqc() {
    use bestofn::claims::{Status, CATALOGUE};
    if !coq_available() {
        return;
    }
    let s = Scratch::new("coq-catalogue");
    let mut files = Vec::new();
    let mut refused = Vec::new();
    for claim in CATALOGUE {
        let dropped = match claim.status {
            Status::KnownFalse => None,
            Status::TheoremNeeding(h) => Some(h),
            _ => continue,
        };
        let name = claim.id.replace('-', "_");
        let path = s.dir().join(format!("{name}.v"));
        let mut args = vec![
            "search", "--claim", &claim.id, "--seed", "1", "--trials", "20000",
        ];
        if let Some(h) = dropped {
            args.extend(["--without-hypothesis", h]);
        }
        args.extend(["--coq", path.to_str().unwrap()]);
        let out = bestofn(&args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if path.exists() {
            files.push((claim.id.to_string(), path));
        } else {
            assert!(
                stderr.contains("has no Coq form"),
                "{}: no file and no stated reason: {stderr}",
                claim.id
            );
            refused.push(claim.id.to_string());
        }
    }
    println!(
        "checked {:?}; refused with a reason: {refused:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    // The four of the issue: bon-memoryless, bon-kl-formula-exact, tilt-composition-misprint,
    // and the lex tie-break exchangeability failure.
    for id in [
        "bon-memoryless",
        "bon-kl-formula-exact",
        "tilt-composition-misprint",
        "bon-exchangeable",
    ] {
        assert!(files.iter().any(|f| f.0 == id), "{id} has no checked file");
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((_, f)) = files.get(i) else { break };
                assert_checks(f);
            });
        }
    });
    let file = |id: &str| &files.iter().find(|f| f.0 == id).unwrap().1;
    // The logarithmic one is no vacuous proof either: at N = 1, KL = 0 = log 1 - 0.
    assert_edit_breaks(
        file("bon-kl-formula-exact"),
        "Definition N := 2%nat.",
        "Definition N := 1%nat.",
    );
    // The exchangeability refutation needs its lex tie-break: with uniform ties Lemma 5 holds.
    let lex = file("bon-exchangeable");
    let text = std::fs::read_to_string(lex).unwrap();
    let rule = ["LexMin", "LexMax"]
        .into_iter()
        .find(|r| text.contains(&format!("Definition tb := {r}.")))
        .expect("a lex tie-break");
    assert_edit_breaks(
        lex,
        &format!("Definition tb := {rule}."),
        "Definition tb := Uniform.",
    );
}

/// Every `fails` verdict a bundled case file expects (with its hypothesis dropped where the
/// file says so) becomes a file coqc checks, unless bestofn refuses it with its reason.
#[test]
fn every_bundled_counterexample_with_a_coq_form_is_checked_by_coqc() {
    if !coq_available() {
        return;
    }
    let s = Scratch::new("coq-bundled");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut jobs = Vec::new();
    let mut refused = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let table: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        let Some(expected) = table.get("expected_verdicts").and_then(|v| v.as_table()) else {
            continue;
        };
        let mut fails: Vec<(String, Option<String>)> = Vec::new();
        for (claim, verdict) in expected {
            if verdict.as_str() == Some("fails") {
                fails.push((claim.clone(), None));
            }
        }
        if let Some(without) = expected.get("without").and_then(|v| v.as_table()) {
            for (hypothesis, entries) in without {
                for (claim, verdict) in entries.as_table().unwrap() {
                    if verdict.as_str() == Some("fails") {
                        fails.push((claim.clone(), Some(hypothesis.clone())));
                    }
                }
            }
        }
        for (claim, hypothesis) in fails {
            let stem = path.file_stem().unwrap().to_str().unwrap();
            let name = format!("{}_{}", stem, claim).replace('-', "_");
            let file = s.dir().join(format!("{name}.v"));
            let mut args = vec!["check", path.to_str().unwrap(), "--claim", &claim];
            if let Some(h) = &hypothesis {
                args.extend(["--without-hypothesis", h]);
            }
            args.extend(["--coq", file.to_str().unwrap()]);
            let out = bestofn(&args);
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            if file.exists() {
                jobs.push(file);
            } else {
                assert!(
                    stderr.contains("has no Coq form")
                        || stderr.contains("too large")
                        || stderr.contains("integer exponents"),
                    "{stem} {claim}: no file and no stated reason: {stderr}"
                );
                refused.push(format!("{stem} {claim}"));
            }
        }
    }
    println!(
        "checked {} files; refused with a reason: {refused:?}",
        jobs.len()
    );
    assert!(
        jobs.len() >= 6,
        "only {} bundled refutations have a Coq file",
        jobs.len()
    );
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(f) = jobs.get(i) else { break };
                assert_checks(f);
            });
        }
    });
}

#[test]
fn holds_verdicts_are_proved_too() {
    if !coq_available() {
        return;
    }
    let s = Scratch::new("coq-holds");
    let exact = prove(
        &s,
        "winrate",
        &[
            "check",
            "--p",
            "1/3,2/3",
            "--reward",
            "additive:0,1",
            "--m",
            "1",
            "--n",
            "3",
            "--claim",
            "bon-winrate-le",
        ],
    );
    let with_logs = prove(
        &s,
        "kl_le_log_n",
        &[
            "check",
            "--p",
            "1/3,2/3",
            "--reward",
            "additive:0,1",
            "--m",
            "1",
            "--n",
            "3",
            "--claim",
            "bon-kl-le-log-n",
        ],
    );
    assert!(std::fs::read_to_string(&exact)
        .unwrap()
        .contains("holds_by_computation"));
    assert_checks(&exact);
    assert_checks(&with_logs);
    // Claim N = 1 for the win rate: 1/2 <= 1/2 still holds, but a larger p(1) after the edit
    // breaks the pmf; the proof is of this case only.
    assert_edit_breaks(&exact, "[(1 # 3); (2 # 3)]", "[(1 # 3); (3 # 3)]");
}

#[test]
fn coq_requests_that_cannot_be_met_are_refused_before_any_work() {
    let s = Scratch::new("coq-refusals");
    let v = s.path("big.v");
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "check",
                "--p",
                "1/4,1/4,1/4,1/4",
                "--reward",
                "additive:0,1,2,3",
                "--m",
                "2",
                "--n",
                "8",
                "--claim",
                "bon-winrate-le",
                "--coq",
                &v,
            ],
            "tuples of draws, above the limit of 16384",
        ),
        (
            &["search", "--claim", "asym-small-k-bound", "--coq", &v],
            "asym-small-k-bound is decided by its own procedure, which has no Coq form",
        ),
        (
            &["search", "--claim", "bon-memoryless", "--coq", "a-b.v"],
            "coqc needs a file name that is a Coq identifier",
        ),
        (
            &["search", "--claim", "bon-memoryless", "--coq", "a.txt"],
            "does not end in .v",
        ),
        (
            &[
                "search",
                "--claim",
                "bon-memoryless",
                "--claim",
                "bon-kl-formula-exact",
                "--coq",
                &v,
            ],
            "proves one claim's counterexample; 2 claims are selected",
        ),
        (
            &[
                "check",
                "cases/figure1-tilts.toml",
                "--claim",
                "tilt-composition-misprint",
                "--coq",
                &v,
            ],
            "the proof computes tilts exactly only for integer exponents",
        ),
    ];
    for (args, message) in cases {
        let out = bestofn(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(message),
            "{args:?}: '{stderr}' lacks '{message}'"
        );
        assert!(!Path::new(&v).exists());
    }
}

/// The statements the Coq files state for module claims decide as the modules do.
#[test]
fn restatements_of_module_claims_decide_as_the_modules_do() {
    use bestofn::claims::{ClaimSet, Context};
    use bestofn::enclosure::PrecisionPolicy;
    let cases: &[&[&str]] = &[
        &[
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:1,0",
            "--m",
            "2",
            "--n",
            "2",
        ],
        &[
            "--p",
            "1/3,1/3,1/3",
            "--reward",
            "additive:0,1,1",
            "--m",
            "2",
            "--n",
            "2",
            "--tie-break",
            "lex-min",
        ],
        &[
            "--p",
            "1/5,4/5",
            "--reward",
            "additive:0,0",
            "--m",
            "3",
            "--n",
            "2",
        ],
        &[
            "--p", "1/2,1/2", "--q", "1/3,2/3", "--alpha", "2", "--beta", "3", "--m", "1", "--n",
            "1",
        ],
        &[
            "--p", "1/4,3/4", "--q", "1/2,1/2", "--alpha", "0", "--beta", "1", "--m", "2", "--n",
            "1",
        ],
    ];
    let set = ClaimSet::catalogue();
    let mut compared = 0;
    for flags in cases {
        for id in bestofn::report::coq::MODULES_WITH_COQ_FORM {
            let claim = set.find(id).unwrap();
            let spec = spec_of(flags);
            let Ok(ctx) = Context::from_spec(&spec, PrecisionPolicy::default()) else {
                continue;
            };
            let Ok(text) = bestofn::report::coq::statement_text(&claim, &ctx) else {
                continue;
            };
            let module = run_verdict(
                &[
                    &[
                        "check",
                        "--claim",
                        id,
                        "--without-hypothesis",
                        "uniform-tie-break",
                    ][..],
                    flags,
                ]
                .concat(),
            );
            let module = if module.is_empty() {
                run_verdict(&[&["check", "--claim", id][..], flags].concat())
            } else {
                module
            };
            if module == "not-applicable" || module.is_empty() {
                continue;
            }
            let restated = run_verdict(&[&["check", "--assert", &text][..], flags].concat());
            assert_eq!(
                module, restated,
                "{id} on {flags:?}: the module says {module}, `{text}` says {restated}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 8, "only {compared} comparisons");
}

fn spec_of(flags: &[&str]) -> bestofn::spec::CaseSpec {
    let mut spec = bestofn::spec::CaseSpec::default();
    let mut it = flags.iter();
    while let (Some(flag), Some(value)) = (it.next(), it.next()) {
        let v = Some(value.to_string());
        match *flag {
            "--p" => spec.p = v,
            "--reward" => spec.reward = v,
            "--m" => spec.m = value.parse().ok(),
            "--n" => spec.n = value.parse().ok(),
            "--tie-break" => spec.tie_break = v,
            "--q" => spec.q = v,
            "--alpha" => spec.alpha = v,
            "--beta" => spec.beta = v,
            other => panic!("{other}"),
        }
    }
    spec
}

/// The first verdict `check --json` reports ("" when the run fails).
fn run_verdict(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.push("--json");
    let out = bestofn(&all);
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .ok()
        .and_then(|v| v["results"][0]["verdict"].as_str().map(str::to_string))
        .unwrap_or_default()
}

#[test]
fn exhaust_and_recheck_write_proofs_too() {
    if !coq_available() {
        return;
    }
    let s = Scratch::new("coq-exhaust");
    let grid = prove(
        &s,
        "grid",
        &[
            "exhaust",
            "--claim",
            "bon-kl-formula-exact",
            "--k",
            "2",
            "--den",
            "4",
            "--n",
            "1..2",
        ],
    );
    let dir = s.path("out");
    let out = bestofn(&[
        "search",
        "--claim",
        "bon-memoryless",
        "--seed",
        "3",
        "--report",
        &dir,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = format!("{dir}/counterexample.json");
    let rechecked = prove(&s, "rechecked", &["recheck", &report]);
    assert_checks(&grid);
    assert_checks(&rechecked);
}
