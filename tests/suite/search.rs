//! Search, shrinking, reports, recheck and the exhaustive grid, through the library and the CLI.
//! The known-false statements must be refuted from a fixed seed quickly (the CLI runs are
//! timed by `scripts/known-false.sh`; here they must succeed within a trial budget).

use bestofn::claims::{self, Verdict};
use bestofn::enclosure::PrecisionPolicy;
use bestofn::search::exhaust::{exhaust, ExhaustSettings};
use bestofn::search::{search, Bounds, Limit, SearchSettings};

use crate::common::bestofn;

fn settings(ids: &[&str], dropped: Option<&str>, seed: u64, jobs: usize) -> SearchSettings {
    SearchSettings {
        claims: ids
            .iter()
            .map(|id| claims::find_in_catalogue(id).unwrap())
            .collect(),
        dropped: dropped.map(str::to_string),
        bounds: Bounds::default(),
        limit: Limit::Trials(20_000),
        seed,
        jobs,
        all: false,
        policy: PrecisionPolicy::default(),
        budget: Default::default(),
        first: 0,
    }
}

#[test]
fn known_false_statements_are_refuted_from_a_fixed_seed() {
    // Which statements are false is the catalogue's to say (`Claim::status`).
    let known_false: Vec<(&str, Option<&str>)> = claims::CATALOGUE
        .iter()
        .filter_map(|c| Some((c.id.as_ref(), c.status.refuted_without()?)))
        .collect();
    assert!(known_false.len() >= 4, "{known_false:?}");
    for (id, dropped) in known_false {
        let out = search(&settings(&[id], dropped, 1, 2), &|_, _| {}).unwrap();
        assert_eq!(
            out.found.len(),
            1,
            "{id}: no counterexample in {} cases",
            out.cases
        );
        let found = &out.found[0];
        assert_eq!(found.result.verdict, Verdict::Fails);
        // Shrunk, it still fails, and it is small.
        let claim = claims::find_in_catalogue(id).unwrap();
        let shrunk = bestofn::search::shrink::shrink(
            &found.spec,
            &claim,
            dropped,
            PrecisionPolicy::default(),
        );
        let again =
            bestofn::search::decide_spec(&shrunk.spec, &claim, dropped, PrecisionPolicy::default())
                .unwrap();
        assert_eq!(again.verdict, Verdict::Fails, "{id}");
        let (case, _) = shrunk.spec.resolve().unwrap();
        assert!(
            case.k() == 2 && case.n <= 2,
            "{id}: shrunk to {:?}",
            shrunk.spec
        );
    }
}

#[test]
fn the_first_counterexample_does_not_depend_on_the_number_of_threads() {
    let id = ["bon-exchangeable"];
    let dropped = Some("uniform-tie-break");
    let one = search(&settings(&id, dropped, 5, 1), &|_, _| {}).unwrap();
    let two = search(&settings(&id, dropped, 5, 2), &|_, _| {}).unwrap();
    assert_eq!(one.found.len(), 1);
    assert_eq!(one.found[0].index, two.found[0].index);
    assert_eq!(one.found[0].spec, two.found[0].spec);
    assert_eq!(one.cases, two.cases);
}

#[test]
fn theorems_survive_a_search() {
    let ids = [
        "bon-kl-le-log-n",
        "bon-kl-le-formula",
        "bon-winrate-le",
        "bon-chi2-bound",
    ];
    for id in ids {
        assert!(
            claims::find_in_catalogue(id).unwrap().status.is_theorem(),
            "{id}"
        );
    }
    let mut s = settings(&ids, None, 11, 2);
    s.limit = Limit::Trials(3000);
    let out = search(&s, &|_, _| {}).unwrap();
    assert!(
        out.found.is_empty(),
        "{:?}",
        out.found.first().map(|f| &f.spec)
    );
    for (claim, tally) in &out.tallies {
        assert_eq!(tally.holds, 3000, "{claim}: {tally:?}");
    }
}

#[test]
fn exhaust_certifies_a_theorem_and_finds_the_first_counterexample() {
    let grid = |id: &str| ExhaustSettings {
        claim: claims::find_in_catalogue(id).unwrap(),
        dropped: None,
        k: 2..=3,
        m: 1..=1,
        n: 1..=4,
        den: 6,
        values: vec![0, 1, 2],
        alpha: None,
        beta: None,
        delta: None,
        jobs: 2,
        policy: PrecisionPolicy::default(),
        budget: Default::default(),
    };
    // K = 2: 5 pmfs x 3 weak orders; K = 3: 10 pmfs x 13 weak orders; N = 1..4.
    let out = exhaust(&grid("bon-winrate-le"), &|_, _| {}).unwrap();
    assert_eq!(out.cases, (5 * 3 + 10 * 13) * 4);
    assert_eq!(out.tally.holds, out.cases);
    assert!(out.counterexample.is_none());
    // The literature's KL formula fails at the first case with N = 2 (the grid runs N fastest).
    let out = exhaust(&grid("bon-kl-formula-exact"), &|_, _| {}).unwrap();
    let found = out.counterexample.unwrap();
    assert_eq!(found.index, 1);
    assert_eq!(found.spec.n, Some(2));
}

#[test]
fn cli_report_recheck_round_trip() {
    let scratch = crate::common::Scratch::new("search");
    let dir = scratch.dir().join("report");
    let d = dir.to_str().unwrap();
    let out = bestofn(&[
        "search",
        "--claim",
        "bon-memoryless",
        "--seed",
        "1",
        "--report",
        d,
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("counterexample.json")).unwrap())
            .unwrap();
    assert_eq!(json["claim"], "bon-memoryless");
    assert_eq!(json["verdict"], "fails");
    assert_eq!(json["found_by"]["seed"], 1);
    for key in ["p", "reward", "m", "n", "tie_break"] {
        assert!(
            json["case"].get(key).is_some(),
            "case lacks {key}: {}",
            json["case"]
        );
    }
    let md = std::fs::read_to_string(dir.join("counterexample.md")).unwrap();
    assert!(md.contains("# Counterexample to `bon-memoryless`") && md.contains("Example 2"));
    let out = bestofn(&["recheck", dir.join("counterexample.json").to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("agrees exactly") && text.contains("CONFIRMED"),
        "{text}"
    );
    // A doctored verdict is rejected.
    let doctored = std::fs::read_to_string(dir.join("counterexample.json"))
        .unwrap()
        .replacen("\"verdict\": \"fails\"", "\"verdict\": \"holds\"", 1);
    std::fs::write(dir.join("doctored.json"), doctored).unwrap();
    let out = bestofn(&["recheck", dir.join("doctored.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("REJECTED"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_search_json_and_bad_input() {
    let out = bestofn(&[
        "search",
        "--claim",
        "bon-kl-le-log-n",
        "--trials",
        "500",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["cases"], 500);
    assert_eq!(json["tallies"][0]["holds"], 500);
    for args in [
        vec!["search", "--claim", "no-such-claim"],
        vec!["search", "--claim", "bon-kl-le-log-n", "--k", "5..2"],
        vec!["search", "--claim", "bon-kl-le-log-n", "--k", "1..3"],
        vec!["search", "--claim", "bon-kl-le-log-n", "--trials", "0"],
        vec!["search", "--claim", "bon-kl-le-log-n", "--jobs", "0"],
        vec![
            "search",
            "--claim",
            "bon-kl-le-log-n",
            "--without-hypothesis",
            "nope",
        ],
        vec!["exhaust", "--claim", "bon-winrate-le", "--den", "1"],
        vec![
            "exhaust",
            "--claim",
            "bon-winrate-le",
            "--k",
            "2..9",
            "--den",
            "60",
            "--n",
            "1..100",
        ],
        vec!["recheck", "/nonexistent/counterexample.json"],
    ] {
        let out = bestofn(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// `search --report` writes counterexample.toml, a case file whose [expected_verdicts] state
/// the verdict found: `check` replays it (exit 0 while the claim fails there), the suite's
/// replay of `cases/` accepts it, and a user claim travels with its statement. Editing the
/// case until the claim holds makes the replay fail (exit 1).
#[test]
fn counterexamples_replay_as_case_files() {
    let dir = tempfile::tempdir().unwrap();
    for (args, claim) in [
        (
            vec!["--claim", "bon-kl-formula-exact"],
            "bon-kl-formula-exact",
        ),
        (
            vec!["--assert", "mine: kl(bon, p) <= log(N) - (N - 1)/N - 1/100"],
            "mine",
        ),
    ] {
        let report = dir.path().join(claim);
        let mut search = vec![
            "search",
            "--seed",
            "1",
            "--report",
            report.to_str().unwrap(),
        ];
        search.extend(args);
        assert_eq!(bestofn(&search).status.code(), Some(1));
        let path = report.join("counterexample.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(&format!("[expected_verdicts]\n{claim} = \"fails\"")),
            "{text}"
        );
        let out = bestofn(&["check", path.to_str().unwrap(), "--claim", claim]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        assert!(
            stdout.contains("expected verdicts: 1 checked, all match"),
            "{stdout}"
        );
        let file = bestofn::casefile::CaseFile::read(&path).unwrap();
        let replay = bestofn::casefile::check::replay_expected_verdicts(
            &file,
            bestofn::enclosure::PrecisionPolicy::default(),
        )
        .unwrap();
        assert_eq!((replay.checked, replay.differing.len()), (1, 0));
    }
    // With N = 1 best-of-N is the reference: the formula claim holds, the replay fails.
    let path = dir.path().join("bon-kl-formula-exact/counterexample.toml");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\nn = 2\n", "\nn = 1\n");
    std::fs::write(&path, edited).unwrap();
    let out = bestofn(&[
        "check",
        path.to_str().unwrap(),
        "--claim",
        "bon-kl-formula-exact",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("expected verdicts DIFFER"), "{stdout}");
}

/// The README's replay: `bestofn check out/counterexample.toml`, with no flag, decides the
/// claim without the hypothesis the file states it without, and exits 0 while it still fails.
#[test]
fn a_counterexample_toml_replays_with_the_plain_command() {
    let s = crate::common::Scratch::new("plain-replay");
    let dir = s.path("out");
    crate::common::Run::new(&[
        "search",
        "--claim",
        "bon-exchangeable",
        "--without-hypothesis",
        "uniform-tie-break",
        "--seed",
        "1",
        "--report",
        &dir,
    ])
    .status(1)
    .run();
    let toml = format!("{dir}/counterexample.toml");
    let ran = crate::common::Run::new(&["check", &toml])
        .status(0)
        .stdout_has("expected verdicts: 1 checked, all match")
        .run();
    assert!(
        ran.stdout.contains("[without uniform-tie-break]"),
        "{}",
        ran.stdout
    );
    assert!(!ran.stdout.contains("not checked"), "{}", ran.stdout);
}

/// `api::search` and `api::exhaust` (what the Python package calls) run the same search as
/// the settings they stand for, stop when told, and refuse bad requests with a sentence.
#[test]
fn api_search_and_exhaust_are_the_library_search() {
    use bestofn::api;
    use std::sync::atomic::AtomicBool;
    let running = AtomicBool::new(false);
    let mut request = api::SearchRequest::new("bon-kl-formula-exact");
    request.bounds = Bounds::default();
    request.limit = Limit::Trials(20_000);
    request.jobs = Some(2);
    let found = api::search(&request, &|_, _| {}, &running).unwrap();
    let direct = search(&settings(&["bon-kl-formula-exact"], None, 1, 2), &|_, _| {}).unwrap();
    let reported = found.counterexample.expect("the formula is refuted");
    assert_eq!(reported.found.index, direct.found[0].index);
    assert_eq!(found.outcome.cases, direct.cases);
    assert_eq!(reported.minimal_result.verdict, Verdict::Fails);
    let replay = bestofn::report::counterexample::replay_command(
        &reported.minimal,
        &reported.minimal_result,
    );
    assert!(replay.ends_with("--claim bon-kl-formula-exact"), "{replay}");

    // A statement of the claim language replays as --assert with its name.
    let mut request = api::SearchRequest::new("kl(bon, p) < log(N) - (N-1)/N");
    request.limit = Limit::Trials(4_000);
    request.jobs = Some(1);
    let found = api::search(&request, &|_, _| {}, &running).unwrap();
    let reported = found.counterexample.expect("fails at N = 1");
    let replay = bestofn::report::counterexample::replay_command(
        &reported.minimal,
        &reported.minimal_result,
    );
    assert!(
        replay.ends_with("--assert 'assert-1: kl(bon, p) < log(N) - (N-1)/N'"),
        "{replay}"
    );

    // A stop already set ends the run after its first batch.
    let stopped = AtomicBool::new(true);
    let mut request = api::SearchRequest::new("bon-winrate-le");
    request.jobs = Some(1);
    let found = api::search(&request, &|_, _| {}, &stopped).unwrap();
    assert_eq!(found.outcome.cases, 512);

    let mut grid = api::ExhaustRequest::new("bon-winrate-le");
    grid.bounds.n = 1..=4;
    grid.den = 6;
    grid.jobs = Some(2);
    let out = api::exhaust(&grid, &|_, _| {}, &running).unwrap();
    assert_eq!(out.cases, (5 * 3 + 10 * 13) * 4);
    assert_eq!(out.tally.holds, out.cases);

    let message = |e: bestofn::InputError| e.message().to_string();
    let e = api::search(
        &api::SearchRequest::new("bon-kl-formla-exact"),
        &|_, _| {},
        &running,
    )
    .unwrap_err();
    assert!(message(e).contains("bon-kl-formula-exact"));
    grid.den = 1;
    let e = api::exhaust(&grid, &|_, _| {}, &running).unwrap_err();
    assert_eq!(message(e), "den: must lie in 2..1000");
    let e = Bounds::checked(2..=4, 1..=1, 0..=3).unwrap_err();
    assert_eq!(message(e), "n: N must lie in 1..4294967295");
    let (lo, hi) = (5, 4);
    let e = Bounds::checked(lo..=hi, 1..=1, 1..=3).unwrap_err();
    assert_eq!(message(e), "k: 5..4 is empty (low end above high end)");
}
