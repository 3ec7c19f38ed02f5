//! Certificates read against themselves (issue 26): each attack of the adversarial sweep, with
//! the checksum recomputed as anyone can, is refused by merge, recheck or the resume with one
//! sentence naming the field; a consistent forgery passes the self-checks and is caught by a
//! spot check; writes never replace what is not a regular file and follow symlinks.

use std::process::{Command, Stdio};

use serde_json::{json, Value as Json};

use crate::common::{Run, Scratch};
use crate::scale::{read, FAILING};

/// A grid on which the claim holds everywhere (a theorem).
const HOLDING: &[&str] = &[
    "--claim",
    "bon-winrate-le",
    "--k",
    "2..3",
    "--den",
    "6",
    "--n",
    "1..3",
];

/// Writes `cert` to `name` with its checksum recomputed, as a forger would.
fn forge(s: &Scratch, name: &str, mut cert: Json) -> String {
    cert["checksum"] = json!(bestofn::report::certificate::checksum(&cert));
    s.file(name, &serde_json::to_string_pretty(&cert).unwrap())
}

/// The certificates of a grid in `shards` shards; their paths.
fn shards(s: &Scratch, grid: &[&str], stem: &str, count: u32) -> Vec<String> {
    (1..=count)
        .map(|i| {
            let path = s.path(&format!("{stem}{i}.json"));
            let shard = format!("{i}/{count}");
            let args = [
                &["exhaust"][..],
                grid,
                &["--shard", &shard, "--certificate", &path],
            ]
            .concat();
            Run::new(&args).statuses(&[0, 1]).run();
            path
        })
        .collect()
}

fn sha256_of_grid(grid: &Json) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(grid.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn merge_reads_each_certificate_against_itself() {
    let s = Scratch::new("self-check");
    let fail = shards(&s, FAILING, "f", 2);
    let hold = shards(&s, HOLDING, "h", 2);
    let f1 = read(&fail[0]);
    assert!(f1["counts"]["fails"].as_u64().unwrap() > 0, "{f1}");

    // The grid edited (one more N), the checksum recomputed: the grid hash no longer fits.
    let mut edited_grid = f1.clone();
    edited_grid["grid"]["n"] = json!("1..4");
    let edited_grid = forge(&s, "edited-grid.json", edited_grid);
    // The grid's case count halved, with its hash recomputed too: the grid it defines has
    // twice as many cases.
    let mut halved = f1.clone();
    let cases = halved["grid"]["cases"].as_u64().unwrap();
    halved["grid"]["cases"] = json!(cases / 2);
    halved["grid_hash"] = json!(sha256_of_grid(&halved["grid"]));
    let halved = forge(&s, "halved.json", halved);
    // holds raised by 1000.
    let h1 = read(&hold[0]);
    let mut raised = h1.clone();
    raised["counts"]["holds"] = json!(h1["counts"]["holds"].as_u64().unwrap() + 1000);
    let raised = forge(&s, "raised.json", raised);
    // fails set to 0 while the counterexamples stay listed.
    let listed = f1["counterexamples"].as_array().unwrap().len();
    let mut zero_fails = f1.clone();
    zero_fails["counts"]["holds"] =
        json!(f1["counts"]["holds"].as_u64().unwrap() + f1["counts"]["fails"].as_u64().unwrap());
    zero_fails["counts"]["fails"] = json!(0);
    let zero_fails = forge(&s, "zero-fails.json", zero_fails);
    // A counterexample whose case is not the one its index decodes to.
    let mut moved = f1.clone();
    moved["counterexamples"][0]["case"]["n"] = json!(99);
    let moved = forge(&s, "moved.json", moved);
    // A counterexample of another claim slipped into a certificate of this one.
    let mut foreign = f1.clone();
    foreign["counterexamples"][0]["claim"] = json!("bon-kl-le-log-n");
    let foreign = forge(&s, "foreign.json", foreign);
    // A range that is not the shard's.
    let mut wide = f1.clone();
    wide["ranges"] = json!([[0, cases]]);
    let wide = forge(&s, "wide.json", wide);

    let attacks: Vec<(&str, String, String)> = vec![
        (
            "grid edited",
            "grid_hash is not the hash of its grid".into(),
            edited_grid,
        ),
        (
            "grid.cases halved",
            format!(
                "grid.cases is {} but the grid it defines has {cases} cases",
                cases / 2
            ),
            halved,
        ),
        ("holds + 1000", "are not the".into(), raised),
        (
            "fails = 0",
            format!("counts.fails is 0 but {listed} cases are listed in 'counterexamples'"),
            zero_fails,
        ),
        ("case moved", "its case is not grid case".into(), moved),
        (
            "foreign claim",
            "is a case of the claim \"bon-kl-le-log-n\"".into(),
            foreign,
        ),
        ("range widened", "ranges is".into(), wide),
    ];
    for (what, needle, forged) in attacks {
        let other = if forged.contains("raised") {
            &hold[1]
        } else {
            &fail[1]
        };
        let ran = Run::new(&["merge", &forged, other])
            .status(2)
            .stderr_has(&needle)
            .one_line_error()
            .check();
        assert!(ran.is_ok(), "{what}: {}", ran.err().unwrap());
        // recheck reads a certificate the same way.
        let ran = Run::new(&["recheck", &forged])
            .status(2)
            .stderr_has(&needle)
            .check();
        assert!(ran.is_ok(), "recheck, {what}: {}", ran.err().unwrap());
    }
    // The honest shards still merge.
    Run::new(&["merge", &fail[0], &fail[1]])
        .status(1)
        .stdout_has("**The claim fails**")
        .run();
}

#[test]
fn a_consistent_forgery_is_caught_by_a_spot_check() {
    let s = Scratch::new("forgery");
    let fail = shards(&s, FAILING, "f", 2);
    let honest = read(&fail[0]);
    let fails = honest["counts"]["fails"].as_u64().unwrap();
    let done = honest["next"].as_u64().unwrap() - honest["ranges"][0][0].as_u64().unwrap();
    assert!(fails * 2 > done, "most cases fail: {fails} of {done}");
    // Every count right, every list consistent, resealed: a "holds" certificate of a false claim.
    let mut lie = honest.clone();
    lie["counts"]["holds"] = json!(honest["counts"]["holds"].as_u64().unwrap() + fails);
    lie["counts"]["fails"] = json!(0);
    lie["counterexamples"] = json!([]);
    let lie = forge(&s, "lie.json", lie);
    let mut other = read(&fail[1]);
    let other_fails = other["counts"]["fails"].as_u64().unwrap();
    other["counts"]["holds"] = json!(other["counts"]["holds"].as_u64().unwrap() + other_fails);
    other["counts"]["fails"] = json!(0);
    other["counterexamples"] = json!([]);
    let other = forge(&s, "lie2.json", other);
    // Nothing short of re-deciding cases can tell: merge believes it.
    Run::new(&["merge", &lie, &other])
        .status(0)
        .stdout_has("**The claim holds on all")
        .run();
    // Re-deciding 8 cases per shard, with most of them false, finds the lie.
    Run::new(&["merge", &lie, &other, "--verify", "8"])
        .status(2)
        .stderr_has("re-decided fails, but 'counterexamples' does not list it")
        .one_line_error()
        .run();
    Run::new(&["recheck", &lie, "--sample", "8"])
        .status(2)
        .stderr_has("re-decided fails, but 'counterexamples' does not list it")
        .run();
    // An honest pair passes the spot check, and the merged certificate records it.
    let merged = s.path("merged.json");
    Run::new(&[
        "merge", &fail[0], &fail[1], "--verify", "5", "--seed", "7", "-o", &merged,
    ])
    .status(1)
    .stdout_has("Spot check:")
    .run();
    let cert = read(&merged);
    let spot = &cert["spot_check"];
    assert_eq!(spot["seed"], json!(7));
    assert_eq!(spot["per_certificate"], json!(5));
    let total_fails = cert["counts"]["fails"].as_u64().unwrap();
    assert_eq!(spot["recorded"], json!(total_fails));
    let indices = spot["indices"].as_array().unwrap();
    assert!(indices.len() as u64 >= total_fails && indices.len() as u64 <= total_fails + 10);
    // The merged certificate reads back (its checksum covers the spot check).
    Run::new(&["recheck", &merged, "--sample", "3"])
        .status(0)
        .stdout_has("SPOT CHECK:")
        .run();
}

#[test]
fn sampled_indices_are_distinct_seeded_and_inside_the_range() {
    use bestofn::report::certificate::sample_indices;
    for (range, k) in [(0..10u64, 3u64), (5..105, 50), (1000..1003, 10), (7..7, 2)] {
        let a = sample_indices(&range, k, 11);
        assert_eq!(a, sample_indices(&range, k, 11), "seeded");
        assert_eq!(a.len() as u64, k.min(range.end - range.start));
        assert!(a.windows(2).all(|w| w[0] < w[1]), "distinct, sorted: {a:?}");
        assert!(a.iter().all(|i| range.contains(i)), "{a:?} in {range:?}");
    }
    // Every index of the range can be drawn.
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..200 {
        seen.extend(sample_indices(&(0..20), 2, seed));
    }
    assert_eq!(seen.len(), 20);
}

#[test]
fn a_checkpoint_must_count_what_its_position_says() {
    let s = Scratch::new("checkpoint");
    let ckpt = s.path("ckpt.json");
    let args = [&["exhaust"][..], HOLDING, &["--checkpoint", &ckpt]].concat();
    Run::new(&args).status(0).run();
    // A checkpoint that says 5 cases were done, at a later position.
    let mut partial = read(&ckpt);
    let cases = partial["grid"]["cases"].as_u64().unwrap();
    partial["complete"] = json!(false);
    partial["next"] = json!(cases / 2);
    partial["counts"]["holds"] = json!(5);
    forge(&s, "ckpt.json", partial);
    Run::new(&args)
        .status(2)
        .stderr_has(&format!("are not the {} cases done", cases / 2))
        .one_line_error()
        .run();
    // A checkpoint of a failing grid whose first counterexample is moved to the undecided
    // list, every count adjusted: consistent, but re-deciding that case says otherwise.
    let ckpt = s.path("fail-ckpt.json");
    let args = [&["exhaust"][..], FAILING, &["--checkpoint", &ckpt]].concat();
    Run::new(&args).status(1).run();
    let mut moved = read(&ckpt);
    let first = moved["counterexamples"][0].clone();
    let index = first["found_by"]["case_index"].as_u64().unwrap();
    let mut entry = first.clone();
    entry["verdict"] = json!("undecided");
    moved["counterexamples"].as_array_mut().unwrap().remove(0);
    let undecided = moved["undecided"].as_array_mut().unwrap();
    undecided.push(entry);
    undecided.sort_by_key(|e| e["found_by"]["case_index"].as_u64());
    let counts = &mut moved["counts"];
    counts["fails"] = json!(counts["fails"].as_u64().unwrap() - 1);
    counts["undecided"] = json!(counts["undecided"].as_u64().unwrap() + 1);
    forge(&s, "fail-ckpt.json", moved);
    Run::new(&args)
        .status(2)
        .stderr_has(&format!(
            "grid case {index} is listed in 'undecided' as undecided, but re-decided it fails"
        ))
        .one_line_error()
        .run();
}

#[test]
fn recheck_of_a_report_rederives_its_original_and_says_when_nothing_is_recorded() {
    let s = Scratch::new("recheck-original");
    let dir = s.path("out");
    let args = [
        "search",
        "--assert",
        "forall_y(bon(y) == N * p(y) * F(y)^(N-1))",
        "--seed",
        "1",
        "--trials",
        "200",
        "--report",
        &dir,
    ];
    Run::new(&args).status(1).run();
    let report = format!("{dir}/counterexample.json");
    Run::new(&["recheck", &report])
        .status(0)
        .stdout_has("CONFIRMED")
        .run();
    // The original's evidence edited: reported, naming the field.
    let mut edited = read(&report);
    let evidence = edited["original"]["result"]["evidence"]
        .as_object_mut()
        .unwrap();
    let (name, _) = evidence
        .iter()
        .next()
        .map(|(k, v)| (k.clone(), v.clone()))
        .unwrap();
    evidence.insert(name.clone(), json!("12345/7"));
    let edited = s.file(
        "edited.json",
        &serde_json::to_string_pretty(&edited).unwrap(),
    );
    let ran = Run::new(&["recheck", &edited])
        .status(1)
        .stdout_has(&format!("original.evidence '{name}'"))
        .run();
    assert!(!ran.stdout.contains("CONFIRMED"), "{}", ran.stdout);
    // The original case swapped for one on which the claim holds.
    let mut swapped = read(&report);
    swapped["original"]["case"] = json!({"p": "1/2,1/2", "reward": "additive:0,1", "n": 1});
    let swapped = s.file(
        "swapped.json",
        &serde_json::to_string_pretty(&swapped).unwrap(),
    );
    Run::new(&["recheck", &swapped])
        .status(1)
        .stdout_has("'original.result.verdict' is fails but the case gives holds")
        .run();
    // A certificate that records no case: nothing re-checked, exit 4.
    let cert = s.path("holds.json");
    let args = [&["exhaust"][..], HOLDING, &["--certificate", &cert]].concat();
    Run::new(&args).status(0).run();
    Run::new(&["recheck", &cert])
        .status(4)
        .stdout_has("NOTHING RE-CHECKED")
        .run();
    Run::new(&["recheck", &cert, "--sample", "4"])
        .status(0)
        .stdout_has("SPOT CHECK: 4 cases re-decided")
        .run();
}

#[test]
fn atomic_writes_refuse_what_is_not_a_regular_file_and_follow_symlinks() {
    let s = Scratch::new("writes");
    // A FIFO is refused, and stays a FIFO.
    let fifo = s.path("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let args = [&["exhaust"][..], HOLDING, &["--certificate", &fifo]].concat();
    Run::new(&args)
        .status(2)
        .stderr_has("exists and is not a regular file")
        .one_line_error()
        .run();
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // A symlink is followed: the file it points to gets the certificate, the link stays.
    let target = s.file("target.json", "old\n");
    let link = s.path("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let args = [&["exhaust"][..], HOLDING, &["--certificate", &link]].concat();
    Run::new(&args).status(0).run();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&target)["schema"], json!("bestofn-certificate/2"));
    // merge -o follows the same rule.
    let merged_target = s.file("merged-target.json", "old\n");
    let merged_link = s.path("merged-link.json");
    std::os::unix::fs::symlink(&merged_target, &merged_link).unwrap();
    Run::new(&["merge", &target, "-o", &merged_link])
        .status(0)
        .run();
    assert!(std::fs::symlink_metadata(&merged_link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&merged_target)["merged_from"], json!(1));
    // A plain output writes into a device it is given.
    Run::new(&["merge", &target, "--markdown", "/dev/stdout"])
        .status(0)
        .stdout_has("bestofn")
        .run();
    // A dangling symlink is refused rather than replaced.
    let dangling = s.path("dangling.json");
    std::os::unix::fs::symlink(s.path("nowhere.json"), &dangling).unwrap();
    Run::new(&["merge", &target, "-o", &dangling])
        .status(2)
        .stderr_has("is a symlink to nothing")
        .run();
}

#[test]
fn a_full_disk_is_one_line_and_exit_2_and_a_closed_pipe_is_quiet() {
    let s = Scratch::new("full");
    let cert = s.path("c.json");
    let exhaust = [&["exhaust"][..], HOLDING, &["--certificate", &cert]].concat();
    for args in [
        vec!["law", "cases/example2.toml"],
        vec!["claims"],
        vec!["check", "cases/example2.toml", "--json"],
        exhaust.clone(),
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_bestofn"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
    // `bestofn claims | head -1`: the reader leaves, bestofn ends without a word.
    let mut child = Command::new(env!("CARGO_BIN_EXE_bestofn"))
        .args(["claims"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
