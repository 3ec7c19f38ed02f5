//! The claim catalogue: verdicts on the bundled cases, a holding and a failing case for each
//! claim that can fail, closed forms, exit statuses, and docs/claims.md kept in step.

use crate::common;

use bestofn::casefile::check::replay_expected_verdicts;
use bestofn::casefile::CaseFile;
use bestofn::claims::{self, Context, Value, Verdict, CATALOGUE};
use bestofn::enclosure::PrecisionPolicy;
use rug::{Integer, Rational};

use crate::common::{bestofn, case};

fn verdict(c: bestofn::model::Case, id: &str, dropped: Option<&str>) -> claims::ClaimResult {
    let ctx = Context::new(c, PrecisionPolicy::default());
    claims::find_in_catalogue(id)
        .unwrap()
        .evaluate(&ctx, dropped)
        .unwrap()
}

fn exact(result: &claims::ClaimResult, name: &str) -> Rational {
    match result.evidence.items.iter().find(|(n, _)| n == name) {
        Some((_, Value::Exact(q))) => q.clone(),
        other => panic!("{}: no exact evidence '{name}': {other:?}", result.claim.id),
    }
}

#[test]
fn docs_claims_md_is_generated_from_the_catalogue() {
    let on_disk =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/claims.md")).unwrap();
    assert_eq!(
        on_disk,
        bestofn::report::claims::catalogue_markdown(),
        "docs/claims.md is stale: run `bestofn claims --markdown > docs/claims.md`"
    );
}

#[test]
fn bundled_cases_reproduce_their_expected_verdicts() {
    // Every case file of cases/ with [expected_verdicts] (a counterexample.toml that search
    // wrote and someone copied there included) is replayed entry by entry.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/cases");
    let mut checked = 0;
    let mut differing = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let file = CaseFile::read(&path).unwrap();
        let check = replay_expected_verdicts(&file, PrecisionPolicy::default()).unwrap();
        checked += check.checked;
        differing.extend(
            check
                .differing
                .iter()
                .map(|d| format!("{}: {d}", path.display())),
        );
    }
    assert!(differing.is_empty(), "{}", differing.join("\n"));
    assert!(checked >= 30, "only {checked} expected verdicts checked");
}

#[test]
fn binary_uniform_closed_forms_for_n_1_to_10() {
    for n in 1..=10u64 {
        let c = || case("1/2,1/2", "additive:0,1", 1, n, "uniform");
        let w = verdict(c(), "bon-winrate-le", None);
        assert_eq!(w.verdict, Verdict::Holds);
        let expected =
            Rational::from((3, 4)) - Rational::from((1, Integer::from(1) << (n as u32 + 1)));
        assert_eq!(exact(&w, "winrate(bon, p)"), expected, "N = {n}");
        let formula = verdict(c(), "bon-kl-formula-exact", None);
        let want = if n == 1 {
            Verdict::Holds
        } else {
            Verdict::Fails
        };
        assert_eq!(formula.verdict, want, "N = {n}");
        for id in [
            "bon-kl-le-log-n",
            "bon-kl-le-formula",
            "bon-kl-monotone-in-n",
            "bon-chi2-bound",
        ] {
            assert_eq!(
                verdict(c(), id, None).verdict,
                Verdict::Holds,
                "{id}, N = {n}"
            );
        }
    }
}

#[test]
fn claims_that_can_fail_do_fail_on_their_counterexamples() {
    let ex2 = || case("1/5,3/10,1/2", "log:6,1,2", 2, 2, "uniform");
    let ex2_m1 = || case("1/5,3/10,1/2", "log:6,1,2", 1, 2, "uniform");
    let lex = || case("1/3,1/3,1/3", "additive:0,1,1", 2, 2, "lex-min");
    let tied = || case("1/4,1/4,1/4,1/4", "additive:0,0,0,0", 1, 2, "uniform");
    let flat32 = || {
        let p = vec!["1/32"; 32].join(",");
        let r = format!("additive:{}", vec!["0"; 32].join(","));
        case(&p, &r, 1, 2, "uniform")
    };
    // (claim, holding case, failing case, hypothesis dropped for the failing case)
    type Make = fn() -> bestofn::model::Case;
    let table: Vec<(&str, Make, Make, Option<&str>)> = vec![
        (
            "bon-memoryless",
            || case("1/5,3/10,1/2", "log:6,1,2", 1, 2, "uniform"),
            ex2,
            None,
        ),
        ("bon-exchangeable", ex2, lex, Some("uniform-tie-break")),
        (
            "bon-kl-formula-exact",
            || case("1/5,3/10,1/2", "log:6,1,2", 2, 1, "uniform"),
            ex2,
            None,
        ),
        // The gap bounds assume distinct rewards (m = 1 here); they fail with ties.
        ("bon-kl-gap-bound", ex2_m1, flat32, Some("distinct-rewards")),
        (
            "bon-winrate-gap-bound",
            ex2_m1,
            tied,
            Some("distinct-rewards"),
        ),
        (
            "bon-kl-le-log-inv-eps",
            ex2,
            || case("1/2,1/2", "additive:0,0", 1, 8, "lex-min"),
            Some("uniform-tie-break"),
        ),
    ];
    for (id, holds, fails, dropped) in table {
        assert_eq!(
            verdict(holds(), id, None).verdict,
            Verdict::Holds,
            "{id} on its holding case"
        );
        let result = verdict(fails(), id, dropped);
        assert_eq!(
            result.verdict,
            Verdict::Fails,
            "{id} on its failing case: {:?}",
            result.evidence
        );
        assert!(
            !result.evidence.items.is_empty(),
            "{id}: a failure carries evidence"
        );
    }
    // The exchangeability counterexample is the one of the lex case file.
    let result = verdict(lex(), "bon-exchangeable", Some("uniform-tie-break"));
    assert_eq!(exact(&result, "pi(sequence)"), Rational::from((1, 9)));
    assert_eq!(exact(&result, "pi(swapped)"), Rational::from((5, 81)));
    // Scores that are not symmetric break exchangeability under uniform ties too.
    let scores = case(
        "1/3,2/3",
        "scores:cases/asymmetric-scores.txt",
        2,
        3,
        "uniform",
    );
    assert_eq!(
        verdict(scores, "bon-exchangeable", Some("symmetric-reward")).verdict,
        Verdict::Fails
    );
    // With its hypothesis, the lex case is not applicable and says which hypothesis.
    match verdict(lex(), "bon-exchangeable", None).verdict {
        Verdict::NotApplicable { hypothesis, .. } => assert_eq!(hypothesis, "uniform-tie-break"),
        other => panic!("expected not-applicable, got {other:?}"),
    }
}

#[test]
fn theorems_hold_on_a_case_with_many_ties_across_types() {
    for claim in CATALOGUE {
        let c = case("1/4,1/4,1/2", "log:1,2,4", 3, 3, "uniform");
        let result = verdict(c, &claim.id, None);
        match claim.id.as_ref() {
            "bon-memoryless" | "bon-kl-formula-exact" => assert_eq!(result.verdict, Verdict::Fails),
            // No --alpha/--beta on this case: the tilt claims say which hypothesis is missing.
            "klrl-optimal-tilt" | "klrl-closeness" | "klrl-bon-asymptotic" => assert!(matches!(
                result.verdict,
                Verdict::NotApplicable {
                    hypothesis: "budget-given",
                    ..
                }
            )),
            // Concluding remarks of 003: one letter only.
            "asym-large-k-bound" | "asym-small-k-bound" => assert!(matches!(
                result.verdict,
                Verdict::NotApplicable {
                    hypothesis: "single-letter",
                    ..
                }
            )),
            // The gap bounds assume no ties (Assumption 2.1); they still hold here without it.
            "bon-kl-gap-bound" | "bon-winrate-gap-bound" => {
                assert!(matches!(
                    result.verdict,
                    Verdict::NotApplicable {
                        hypothesis: "distinct-rewards",
                        ..
                    }
                ));
                let c = case("1/4,1/4,1/2", "log:1,2,4", 3, 3, "uniform");
                assert_eq!(
                    verdict(c, &claim.id, Some("distinct-rewards")).verdict,
                    Verdict::Holds
                );
            }
            "tilt-composition" | "tilt-composition-misprint" | "renyi-cumulant" => {
                assert!(matches!(
                    result.verdict,
                    Verdict::NotApplicable {
                        hypothesis: "tilt-parameters",
                        ..
                    }
                ))
            }
            _ => assert_eq!(
                result.verdict,
                Verdict::Holds,
                "{}: {:?}",
                claim.id,
                result.evidence
            ),
        }
    }
}

#[test]
fn check_exit_statuses_json_and_report() {
    // The case file states its verdicts (two of them refutations): the status says they match.
    assert_eq!(
        bestofn(&["check", "cases/example2.toml"]).status.code(),
        Some(0)
    );
    // Without expectations, a failing claim is exit 1.
    assert_eq!(
        bestofn(&[
            "check",
            "--p",
            "1/5,3/10,1/2",
            "--reward",
            "log:6,1,2",
            "--m",
            "2",
            "--n",
            "2",
            "--claim",
            "bon-memoryless"
        ])
        .status
        .code(),
        Some(1)
    );
    let all_hold = bestofn(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "3",
        "--claim",
        "bon-kl-le-formula",
    ]);
    assert_eq!(all_hold.status.code(), Some(0));
    // At 2 bits nothing separates log 2 - 1/2 from KL: undecided, exit 3, enclosures shown.
    let undecided = bestofn(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "2",
        // (bon-kl-formula-exact's `==` is decided exactly now, by the normal form of its
        // logarithms: a bound that needs ~12 bits stays undecided at 2.)
        "--assert",
        "kl(bon, p) <= 0.131",
        "--prec-start",
        "2",
        "--prec-cap",
        "2",
        "--json",
    ]);
    assert_eq!(undecided.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&undecided.stdout).unwrap();
    assert_eq!(v["results"][0]["verdict"], "undecided");
    assert_eq!(v["results"][0]["prec"], 2);
    assert!(v["results"][0]["evidence"]["kl(bon, p)"]["lo"].is_string());
    for bad in [
        vec!["check", "cases/example2.toml", "--claim", "no-such-claim"],
        vec![
            "check",
            "cases/example2.toml",
            "--claim",
            "bon-kl-le-log-n",
            "--without-hypothesis",
            "uniform-tie-break",
        ],
    ] {
        let out = bestofn(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).lines().count(),
            1,
            "{bad:?}"
        );
    }
    let scratch = crate::common::Scratch::new("report");
    let report = scratch.dir().join("report.md");
    let out = bestofn(&[
        "check",
        "cases/example2.toml",
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let md = std::fs::read_to_string(&report).unwrap();
    for claim in CATALOGUE {
        assert!(
            md.contains(&format!("`{}`", claim.id)),
            "report lacks {}",
            claim.id
        );
    }
    assert!(
        md.contains("43681/390625"),
        "report carries the exact counterexample"
    );
    std::fs::remove_file(report).ok();
}

/// The catalogue's status is checked, not only stated: a claim said to be refuted by a bundled
/// case fails on it (through the CLI, as a user would run it); the known-false claims and the
/// theorems are searched in tests/suite/properties.rs and tests/suite/search.rs from the same field.
#[test]
fn every_refuting_case_of_the_catalogue_refutes_its_claim() {
    let mut refuted = 0;
    for claim in claims::CATALOGUE {
        let (case, dropped) = match claim.status {
            claims::Status::RefutedBy(case) => (case, None),
            claims::Status::TheoremRefutedWithout(h, case) => (case, Some(h)),
            _ => continue,
        };
        {
            refuted += 1;
            let mut args = vec!["check", case, "--claim", &claim.id];
            if let Some(h) = dropped {
                // Inside the hypothesis the case does not apply; without it, it refutes.
                let inside = common::bestofn(&args);
                let inside = String::from_utf8_lossy(&inside.stdout);
                assert!(
                    inside.lines().any(|l| l.starts_with(claim.id.as_ref())
                        && l.split_whitespace().nth(1) == Some("not-applicable")),
                    "{} on {case} with {h}: {inside}",
                    claim.id
                );
                args.extend(["--without-hypothesis", h]);
            }
            let out = common::bestofn(&args);
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                stdout.lines().any(|l| l.starts_with(claim.id.as_ref())
                    && l.split_whitespace().nth(1) == Some("fails")),
                "{} on {case}: {stdout}{}",
                claim.id,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    assert!(refuted >= 3);
    // Every claim has a status, and the theorems are the majority of a sound catalogue.
    let theorems = claims::CATALOGUE
        .iter()
        .filter(|c| c.status.is_theorem())
        .count();
    assert!(theorems >= 10, "{theorems}");
}

/// `claims --json`: the catalogue in order with its statuses, then a claims file's claims.
#[test]
fn claims_json_lists_the_catalogue_and_the_users_claims() {
    let ran =
        crate::common::Run::new(&["claims", "--json", "--claims", "examples/claims/yang.toml"])
            .status(0)
            .run();
    let listing: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(listing["schema"], "bestofn-claims/1");
    let claims = listing["claims"].as_array().unwrap();
    let ids: Vec<&str> = claims.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let catalogue: Vec<&str> = bestofn::claims::CATALOGUE.iter().map(|c| &*c.id).collect();
    assert_eq!(&ids[..catalogue.len()], &catalogue[..]);
    let by_id = |id: &str| claims.iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(by_id("bon-memoryless")["status"], "known-false");
    assert_eq!(by_id("bon-kl-le-log-n")["status"], "theorem");
    let exchangeable = by_id("bon-exchangeable");
    assert!(exchangeable["hypotheses"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["name"] == "uniform-tie-break"));
    let users: Vec<_> = claims.iter().filter(|c| c["origin"] == "user").collect();
    assert!(!users.is_empty());
    assert!(users
        .iter()
        .all(|c| c["expression"].is_string() && c["declared_in"].is_string()));
}
