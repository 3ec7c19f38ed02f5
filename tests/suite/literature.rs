//! The literature (issue 23): the papers' claims files of `examples/claims/` cover every item
//! of the literature list, the page docs/literature.md is what `bestofn literature` makes of
//! them now, what is known false is refuted, and every refutation on the page replays.

use std::collections::BTreeSet;
use std::path::PathBuf;

use bestofn::casefile::read_claims_document;
use bestofn::report::literature::{literature, render_markdown, LiteratureSettings};

use crate::common::{bestofn, Scratch};

/// The number of statements in the literature list the files encode (docs/literature.md
/// says where the list comes from).
const LITERATURE_ITEMS: u32 = 69;

fn claims_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("examples/claims")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_item_of_the_literature_list_is_stated_or_said_not_expressible() {
    let (mut stated, mut not) = (BTreeSet::new(), BTreeSet::new());
    for path in claims_files() {
        let doc = read_claims_document(&path).unwrap();
        assert!(doc.title.is_some(), "{}: no title", path.display());
        assert_eq!(doc.claims.len(), doc.literature.len());
        for (claim, lit) in doc.claims.iter().zip(&doc.literature) {
            assert!(
                !lit.items.is_empty(),
                "{}: {} names no item",
                path.display(),
                claim.id
            );
            assert!(
                claim.source.as_deref().is_some_and(|s| s.contains("arXiv")),
                "{}: {} cites no arXiv source",
                path.display(),
                claim.id
            );
            stated.extend(lit.items.iter().copied());
        }
        for n in &doc.not_expressible {
            assert!(!n.reason.is_empty() && !n.statement.is_empty());
            not.insert(n.item);
        }
    }
    let covered: BTreeSet<u32> = stated.union(&not).copied().collect();
    let missing: Vec<u32> = (1..=LITERATURE_ITEMS)
        .filter(|i| !covered.contains(i))
        .collect();
    assert!(
        missing.is_empty(),
        "items neither stated nor listed: {missing:?}"
    );
    assert!(covered.iter().all(|&i| i <= LITERATURE_ITEMS));
    // Most of the list is stated: the language's vocabulary reaches it.
    assert!(stated.len() >= 50, "only {} items stated", stated.len());
}

#[test]
fn the_literature_page_is_current_and_what_is_known_false_is_refuted() {
    let settings = LiteratureSettings::standard("examples/claims".into(), "cases".into());
    let papers = literature(&settings, &|_, _| {}).unwrap();
    let page = render_markdown(&papers, &settings);
    let committed = std::fs::read_to_string("docs/literature.md").unwrap();
    assert!(
        committed == page,
        "docs/literature.md is stale: regenerate it with `cargo run --release -- literature -o docs/literature.md`"
    );
    let mut refuted = 0;
    for paper in &papers {
        for s in &paper.statements {
            if s.known_false {
                assert!(
                    s.fails_within_hypotheses(),
                    "{}: known false but not refuted",
                    s.claim.id
                );
            }
            refuted += usize::from(s.fails_within_hypotheses());
        }
    }
    assert!(refuted >= 10, "only {refuted} statements refuted");
    // The gap bounds need distinct rewards: the page shows the ties that break them.
    let beirami = papers
        .iter()
        .find(|p| p.file.ends_with("beirami.toml"))
        .unwrap();
    let gap = beirami
        .statements
        .iter()
        .find(|s| s.claim.id == "kl-gap-bound")
        .unwrap();
    assert!(!gap.fails_within_hypotheses());
    let without = gap
        .without
        .as_ref()
        .expect("a refutation without its hypothesis");
    assert_eq!(without.hypothesis, "distinct-rewards");
    assert!(
        without
            .bundled_failures
            .iter()
            .any(|c| c == "tied-rewards-gap-bounds.toml"),
        "{:?}",
        without.bundled_failures
    );
}

#[test]
fn every_refutation_on_the_literature_page_replays() {
    let page = std::fs::read_to_string("docs/literature.md").unwrap();
    let replays: Vec<&str> = page
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- minimal counterexample: `"))
        .map(|l| l.trim_end_matches('`'))
        .collect();
    assert!(replays.len() >= 10, "{} replays", replays.len());
    for command in replays {
        let words = shell_words(command);
        assert_eq!(words[0], "bestofn");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let out = bestofn(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{command}: {stdout}");
        let id = args[args.iter().position(|a| *a == "--claim").unwrap() + 1];
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(id) && l.contains(" fails ")),
            "{command}: {stdout}"
        );
    }
}

/// Splits a replay command (its only quoting is none: flags and plain values).
fn shell_words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
}

#[test]
fn a_claims_file_with_a_bad_literature_key_is_refused_with_where() {
    let dir = Scratch::new("literature");
    let claim = "[[claim]]\nid = \"a\"\nstatement = \"N >= 1\"\n";
    for (text, says) in [
        (format!("{claim}items = [0]\n"), "claim 1: 'items' must be an array of positive integers"),
        (format!("{claim}expected = \"maybe\"\n"), "claim 1: 'expected' must be \"holds\""),
        (format!("{claim}assumes = 3\n"), "claim 1: 'assumes' must be a string"),
        (format!("title = 1\n{claim}"), "'title' must be a string"),
        (
            format!("{claim}[[not_expressible]]\nitem = 2\nsource = \"s\"\nstatement = \"t\"\n"),
            "not_expressible 1: missing 'reason'",
        ),
        (
            format!("{claim}[[not_expressible]]\nitem = 2\nsource = \"s\"\nstatement = \"t\"\nreason = \"r\"\nwhy = \"w\"\n"),
            "not_expressible 1: 'why' is not a not_expressible key",
        ),
        (format!("{claim}colour = \"red\"\n"), "claim 1: 'colour' is not a claim key"),
        (format!("papers = 1\n{claim}"), "'papers' is not a claims-file key"),
    ] {
        let path = dir.file("c.toml", &text);
        let out = bestofn(&["check", "--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "2", "--claims", &path]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(stderr.contains(says), "{text}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // A case file's [[claim]] does not take the literature keys.
    let path = dir.file(
        "case.toml",
        &format!("p = \"1/2,1/2\"\nreward = \"additive:0,1\"\nn = 2\n{claim}items = [1]\n"),
    );
    let out = bestofn(&["check", &path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'items' is not a claim key"));
}

#[test]
fn the_literature_command_writes_a_page_and_checks_one() {
    let dir = Scratch::new("literature-cli");
    std::fs::create_dir(dir.dir().join("claims")).unwrap();
    std::fs::create_dir(dir.dir().join("cases")).unwrap();
    dir.file(
        "claims/paper.toml",
        "title = \"A paper, 2026\"\n\
         [[claim]]\nid = \"tv-bound\"\nitems = [1]\nstatement = \"tv(bon, p) <= 1 - 1/N\"\nsource = \"arXiv 0000.00000\"\n\
         [[claim]]\nid = \"winrate-half\"\nitems = [2]\nstatement = \"winrate(bon, p) == 1/2\"\nsource = \"arXiv 0000.00000\"\n\
         [[not_expressible]]\nitem = 3\nsource = \"Thm 9\"\nstatement = \"a limit\"\nreason = \"asymptotic\"\n",
    );
    dir.file(
        "cases/one.toml",
        "p = \"1/2,1/2\"\nreward = \"additive:0,1\"\nm = 1\nn = 2\n",
    );
    let claims = dir.path("claims");
    let cases = dir.path("cases");
    let page = dir.path("page.md");
    let args = ["literature", "--claims-dir", &claims, "--cases-dir", &cases];
    let out = bestofn(&[&args[..], &["-o", &page]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(
        text.contains("| A paper | `tv-bound` | 1 | holds on all "),
        "{text}"
    );
    assert!(
        text.contains(
            "| A paper | `winrate-half` | 2 | **Finding**: fails within the paper's hypotheses |"
        ),
        "{text}"
    );
    assert!(
        text.contains("| A paper | a limit | 3 | not expressible |"),
        "{text}"
    );
    assert!(
        text.contains("- bundled: 0 hold, 1 fail; fails on one.toml"),
        "{text}"
    );
    let out = bestofn(&[&args[..], &["--check", &page]].concat());
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("is current"));
    std::fs::write(&page, text.replace("Finding", "finding")).unwrap();
    let out = bestofn(&[&args[..], &["--check", &page]].concat());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("differs"));
    // An empty directory is refused with where.
    let empty = dir.path("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = bestofn(&["literature", "--claims-dir", &empty, "--cases-dir", &cases]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no .toml file"));
}
