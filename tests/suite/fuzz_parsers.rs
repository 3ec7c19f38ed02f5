//! The parsers of everything a user types or edits (numbers, pmfs, rewards, tie-breaks,
//! arithmetics, case files, counterexample.json) never panic: on arbitrary strings (proptest),
//! on strings shaped like their input (digits, slashes, commas, exponents, TOML and JSON
//! fragments), and on a committed corpus (`tests/corpus/`) that holds every input issue 12
//! listed. A parsed case must also resolve (or refuse) without panicking.

use std::path::{Path, PathBuf};

use bestofn::casefile::CaseFile;
use bestofn::exact::parse_rational;
use bestofn::float::Arith;
use bestofn::model::{Pmf, Reward, TieBreak};
use bestofn::report::counterexample::parse_counterexample;
use proptest::prelude::*;

/// Feeds one input to every parser; a panic fails the test (proptest and the corpus loop both
/// report the input).
fn parse_everything(text: &str) {
    let _ = parse_rational(text);
    let _ = Pmf::parse(text);
    let _ = Reward::parse(text, Path::new(env!("CARGO_MANIFEST_DIR")));
    let _ = TieBreak::parse(text);
    let _ = Arith::parse_list(text);
    let _ = bestofn::claims::expr::Expression::new(text);
    if let Ok(file) = CaseFile::parse(text, "fuzz.toml", PathBuf::from(".")) {
        let _ = file.spec.resolve();
        let _ = file.spec.tilt();
    }
    if let Ok((spec, _, _, _, _)) = parse_counterexample(text, "fuzz.json") {
        let _ = spec.resolve();
    }
}

#[test]
fn the_corpus_parses_or_is_refused_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| parse_everything(&text));
        assert!(outcome.is_ok(), "{} panicked", path.display());
        count += 1;
    }
    assert!(count >= 40, "only {count} corpus inputs");
}

/// Error messages stay short whatever the input size (a 2 MB entry used to be echoed whole).
#[test]
fn errors_about_huge_entries_are_short() {
    let huge = format!("1/2,{}", "9".repeat(2_000_000));
    let e = Pmf::parse(&huge).unwrap_err().message().to_string();
    assert!(e.len() < 300, "{} bytes", e.len());
    let e = parse_rational(&"x".repeat(100_000))
        .unwrap_err()
        .to_string();
    assert!(e.len() < 300, "{} bytes", e.len());
}

fn number_like() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r"[-+]?[0-9]{0,12}([./][0-9]{0,12})?([eE][-+]?[0-9]{0,10})?")
        .unwrap()
}

fn list_like() -> impl Strategy<Value = String> {
    proptest::collection::vec(number_like(), 0..6).prop_map(|v| v.join(","))
}

fn toml_like() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("p"),
        Just("reward"),
        Just("q"),
        Just("m"),
        Just("n"),
        Just("alpha"),
        Just("beta"),
        Just("delta"),
        Just("tie_break"),
        Just("by"),
        Just("expected_verdicts"),
    ];
    let value = prop_oneof![
        list_like().prop_map(|l| format!("\"{l}\"")),
        list_like().prop_map(|l| format!("\"additive:{l}\"")),
        list_like().prop_map(|l| format!("\"log:{l}\"")),
        (0u64..u64::MAX).prop_map(|n| n.to_string()),
        Just("[\"1/2\", 0.5]".to_string()),
        Just("{ bon-kl-le-log-n = \"holds\" }".to_string()),
        Just("\"lex-min\"".to_string()),
    ];
    proptest::collection::vec((key, value), 0..8).prop_map(|kv| {
        kv.into_iter()
            .map(|(k, v)| format!("{k} = {v}\n"))
            .collect::<String>()
    })
}

fn json_like() -> impl Strategy<Value = String> {
    (
        list_like(),
        list_like(),
        0u64..u64::MAX,
        0u64..70,
        prop_oneof![Just("fails"), Just("holds"), Just("x")],
    )
        .prop_map(|(p, r, n, m, verdict)| {
            format!(
                r#"{{"claim":"bon-kl-le-log-n","verdict":"{verdict}","case":{{"p":"{p}","reward":"additive:{r}","m":{m},"n":{n}}},"result":{{"verdict":"{verdict}","evidence":{{}}}}}}"#
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,200}") {
        parse_everything(&text);
    }

    #[test]
    fn number_shaped_strings_never_panic(text in list_like()) {
        parse_everything(&text);
    }

    /// Claim-language-shaped text: names, operators, parentheses in any order.
    #[test]
    fn expression_shaped_text_never_panics(
        parts in proptest::collection::vec(prop_oneof![
            Just("kl"), Just("bon"), Just("p"), Just("q"), Just("y"), Just("N"), Just("("), Just(")"),
            Just(","), Just("<="), Just("=="), Just("+"), Just("-"), Just("^"), Just("/"), Just("and"),
            Just("not"), Just("forall_y"), Just("sum_y"), Just("log"), Just("1"), Just("0"), Just("tilt"),
        ], 0..30)
    ) {
        parse_everything(&parts.join(" "));
    }

    #[test]
    fn case_file_shaped_text_never_panics(text in toml_like()) {
        parse_everything(&text);
    }

    #[test]
    fn counterexample_shaped_json_never_panics(text in json_like()) {
        parse_everything(&text);
    }
}
