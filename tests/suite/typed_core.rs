//! The typed core of the claim language (issue 22): one printer whose output parses back to
//! the tree it printed, helpers expanded on trees, the same verdict from every route a
//! statement can take (`--assert`, a claims file, a case file, search, exhaust), bounded
//! expansion, and the vocabulary table of the docs generated from the builtin table.

use std::time::Instant;

use bestofn::claims::expr::builtins::vocabulary_markdown;
use bestofn::claims::expr::parse::{parse, Node, NodeKind, BINARY_OPS};
use bestofn::claims::expr::{render, Define, Expression};
use proptest::prelude::*;
use rug::Rational;

use crate::common::{assert_verdict, bestofn, Scratch};

fn node(kind: NodeKind) -> Node {
    Node::new(0, kind)
}

/// Syntax trees of every shape the grammar has: numbers (terminating decimals), names,
/// calls (of names and of calls), unary minus, `not`, every binary operator.
fn trees() -> impl Strategy<Value = Node> {
    let number = (0u32..2000, 0u32..4)
        .prop_map(|(n, places)| node(NodeKind::Number(Rational::from((n, 10u32.pow(places))))));
    let name = prop::sample::select(vec!["N", "a", "b", "y", "kl", "bon", "p"])
        .prop_map(|n| node(NodeKind::Name(n.to_string())));
    let leaf = prop_oneof![number, name];
    // Every operator of the syntax (the parser's own list).
    let ops = BINARY_OPS.to_vec();
    leaf.prop_recursive(6, 48, 3, move |inner| {
        let callee = prop_oneof![
            prop::sample::select(vec!["log", "bon", "f"])
                .prop_map(|n| node(NodeKind::Name(n.to_string()))),
            (inner.clone(), prop::collection::vec(inner.clone(), 0..2)).prop_map(|(c, args)| {
                node(NodeKind::Apply(
                    Box::new(node(NodeKind::Apply(
                        Box::new(node(NodeKind::Name("bon".into()))),
                        vec![c],
                    ))),
                    args,
                ))
            }),
        ];
        prop_oneof![
            inner.clone().prop_map(|a| node(NodeKind::Neg(Box::new(a)))),
            inner.clone().prop_map(|a| node(NodeKind::Not(Box::new(a)))),
            (
                prop::sample::select(ops.clone()),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(op, a, b)| node(NodeKind::Binary(
                    op,
                    Box::new(a),
                    Box::new(b)
                ))),
            (callee, prop::collection::vec(inner, 0..3))
                .prop_map(|(c, args)| node(NodeKind::Apply(Box::new(c), args))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The one printer inserts exactly the parentheses the grammar needs: what it prints
    /// parses back to the very tree (for every operator, unary minus, right-associative `^`
    /// and `implies`, the connectives and calls).
    #[test]
    fn parse_of_render_is_the_tree(tree in trees()) {
        let text = render(&tree);
        let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {}", e.message())))?;
        prop_assert_eq!(&back, &tree, "{}", text);
        // And printing is stable.
        prop_assert_eq!(render(&back), text);
    }
}

/// The statements of issue 22 that came back `fails` from a claims file: each must hold on
/// every route. Helpers are used so that the claims-file route expands them.
const TRUE_STATEMENTS: &[(&str, &str)] = &[
    ("neg-sum", "-(N - 1) == 1 - N"),
    ("pow", "(2^3)^2 == 64"),
    ("neg-square", "(-N)^2 == N^2"),
    ("neg-exponent", "2^-(N - 1) == 1 / 2^(N - 1)"),
    ("by-half", "N / 0.5 == 2 * N"),
    ("root-two", "2^0.5 > 1.41 and 2^0.5 < 1.42"),
    ("not-and", "not (N == 0 and one == 1)"),
    ("neg-sum-helper", "minus(N - 1) == 1 - N"),
    ("pow-helper", "square(2^3) == 64"),
    ("neg-in-helper", "square(-N) == N^2"),
];

const DEFINES: &str = "[define]\none = \"-> 1\"\nminus = \"x -> -x\"\nsquare = \"x -> x^2\"\n";

fn claims_toml() -> String {
    let mut text = DEFINES.to_string();
    for (id, statement) in TRUE_STATEMENTS {
        text.push_str(&format!(
            "[[claim]]\nid = \"{id}\"\nstatement = \"{statement}\"\nsource = \"issue 22\"\n"
        ));
    }
    text
}

/// The same statement with the helpers written out by hand.
fn by_hand(statement: &str) -> String {
    statement
        .replace("minus(N - 1)", "-(N - 1)")
        .replace("square(2^3)", "(2^3)^2")
        .replace("square(-N)", "(-N)^2")
        .replace("one", "1")
}

#[test]
fn every_route_gives_the_same_verdict() {
    let scratch = Scratch::new("typed-core-routes");
    let claims = scratch.dir().join("claims.toml");
    std::fs::write(&claims, claims_toml()).unwrap();
    let claims = claims.to_str().unwrap();
    let case = scratch.dir().join("case.toml");
    std::fs::write(
        &case,
        format!(
            "p = \"1/2,1/2\"\nreward = \"additive:0,1\"\nn = 3\n{}",
            claims_toml()
        ),
    )
    .unwrap();
    let flags = ["--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "3"];
    let mut failures = Vec::new();

    // A claims file: every claim holds, exit 0.
    let out = bestofn(&[&["check"][..], &flags, &["--claims", claims]].concat());
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if out.status.code() != Some(0) {
        failures.push(format!(
            "check --claims: exit {:?}\n{text}",
            out.status.code()
        ));
    }
    // A case file carrying the same tables.
    let out = bestofn(&[
        "check",
        case.to_str().unwrap(),
        "--claim",
        "bon-kl-le-log-n",
    ]);
    let case_text = String::from_utf8_lossy(&out.stdout).to_string();
    for (id, statement) in TRUE_STATEMENTS {
        for (route, printed) in [("claims file", &text), ("case file", &case_text)] {
            let holds = printed
                .lines()
                .any(|l| l.split_whitespace().take(2).eq([*id, "holds"]));
            if !holds {
                failures.push(format!(
                    "{route}: {id} ({statement}) does not hold:\n{printed}"
                ));
            }
        }
        // --assert, with the helpers written out.
        let hand = by_hand(statement);
        let out = bestofn(&[&["check"][..], &flags, &["--assert", &hand]].concat());
        let printed = String::from_utf8_lossy(&out.stdout);
        if !printed.contains("assert-1  holds") {
            failures.push(format!("--assert '{hand}': {printed}"));
        }
        // exhaust over a small grid, each claim of the file by id.
        let out = bestofn(&[
            "exhaust", "--claims", claims, "--claim", id, "--k", "2..2", "--den", "4", "--n",
            "1..3",
        ]);
        if out.status.code() != Some(0) {
            failures.push(format!(
                "exhaust --claim {id}: exit {:?}: {}{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    // search over the whole file: no counterexample.
    let out = bestofn(&[
        "search", "--claims", claims, "--trials", "60", "--seed", "7",
    ]);
    let printed = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) || printed.contains("COUNTEREXAMPLE") {
        failures.push(format!(
            "search --claims: exit {:?}: {printed}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
}

#[test]
fn evidence_labels_come_from_the_one_printer() {
    let flags = ["--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "2"];
    for (statement, label) in [
        ("-(1 + sqrt(2)) < 0", "-(1 + sqrt(2)) = ["),
        ("2^0.5 > 1", "2^0.5 = ["),
        ("(N - 1)^2 + (2^3)^2 > 0", "(N - 1)^2 + (2^3)^2 = 65"),
    ] {
        let out = bestofn(&[&["check"][..], &flags, &["--assert", statement]].concat());
        let printed = String::from_utf8_lossy(&out.stdout);
        assert!(printed.contains(label), "{statement}: {printed}");
    }
}

#[test]
fn the_expanded_statement_is_rendered_and_stands_alone() {
    let defines = vec![
        Define::new("minus", "x -> -x").unwrap(),
        Define::new("cube", "x -> x^3").unwrap(),
    ];
    let e = Expression::with_defines("minus(N - 1) + cube(2^2) > cube(-2)", &defines).unwrap();
    assert_eq!(e.text, "-(N - 1) + (2^2)^3 > (-2)^3");
    assert_eq!(e.written(), "minus(N - 1) + cube(2^2) > cube(-2)");
    // The expansion parses back to the tree that is decided.
    let again = Expression::new(&e.text).unwrap();
    assert_eq!(again.root().render(), e.root().render());
}

#[test]
fn helpers_are_checked_and_their_expansion_is_bounded() {
    let refused = |name: &str, text: &str, needle: &str| {
        let e = Define::new(name, text).unwrap_err();
        assert!(
            e.message().contains(needle),
            "{name} = {text}: {}",
            e.message()
        );
    };
    refused("f", "x, x -> x + 1", "given twice");
    refused("g", "y -> y + 1", "cannot be a parameter name");
    refused("bon", "x -> x", "a name of the language");
    // A doubling chain of 30 helpers: refused at once, not expanded.
    let mut defines = vec![Define::new("d0", "x -> x + x").unwrap()];
    for i in 1..30 {
        defines.push(
            Define::new(
                &format!("d{i}"),
                &format!("x -> d{}(x) + d{}(x)", i - 1, i - 1),
            )
            .unwrap(),
        );
    }
    let start = Instant::now();
    let e = Expression::with_defines("d29(N) > 0", &defines).unwrap_err();
    assert!(
        start.elapsed().as_secs_f64() < 2.0,
        "took {:?}",
        start.elapsed()
    );
    assert!(e.message().contains("nodes"), "{}", e.message());
    // A helper may use only earlier ones.
    let later = vec![
        Define::new("a", "x -> b(x)").unwrap(),
        Define::new("b", "x -> x").unwrap(),
    ];
    let e = Expression::with_defines("a(1) > 0", &later).unwrap_err();
    assert!(e.message().contains("defined after it"), "{}", e.message());
    // An argument reading y may not be captured by a binder inside the helper.
    let capture = vec![Define::new("total", "x -> sum_y(x * p(y))").unwrap()];
    let e = Expression::with_defines("forall_y(total(bon(y)) >= 0)", &capture).unwrap_err();
    assert!(e.message().contains("capture"), "{}", e.message());
    // An error inside a helper's body points into that body.
    let bad = vec![Define::new("h", "x -> x + kl(p)").unwrap()];
    let e = Expression::with_defines("h(1) > 0", &bad).unwrap_err();
    assert!(
        e.message().contains("in helper 'h'") && e.message().contains("x + kl(p)"),
        "{}",
        e.message()
    );
}

/// docs/claim-language.md's vocabulary table is the builtin table's rendering.
#[test]
fn the_vocabulary_table_of_the_docs_is_generated_from_the_builtin_table() {
    let doc = std::fs::read_to_string("docs/claim-language.md").unwrap();
    let begin = "<!-- vocabulary: begin (generated from src/claims/expr/builtins.rs) -->\n";
    let end = "<!-- vocabulary: end -->";
    let start = doc.find(begin).expect("the begin marker") + begin.len();
    let stop = doc[start..].find(end).expect("the end marker") + start;
    assert_eq!(
        &doc[start..stop],
        vocabulary_markdown(),
        "regenerate the table between the markers from vocabulary_markdown()"
    );
}

/// Decided where they used to stop: tilts by non-integer exponents keep the exact zeros of
/// p (so kl against p is finite), an exact 0 to a positive power is 0, equal branches of
/// `if` need no condition.
#[test]
fn zero_letters_and_degenerate_forms_are_decided() {
    let flags = ["--p", "1/2,1/2,0", "--reward", "log:1,2,4", "--n", "2"];
    for statement in [
        "kl(tilt(1/2), p) > 0",
        "forall_y(tilt(1/2)(y) >= 0)",
        "sum_y(tilt(1/3)(y)) > 0.999 and sum_y(tilt(1/3)(y)) < 1.001",
        "forall_y(p(y)^(1/2) <= 1)",
        "if(exp(1) == exp(1), 2, 2) == 2",
    ] {
        assert_eq!(assert_verdict(&flags, statement), "holds", "{statement}");
    }
}

/// No process-wide registry: each Checker owns its claims, so two checkers may give the same
/// id to different statements, and neither sees the other's.
#[test]
fn two_checkers_do_not_share_claims() {
    let build = || {
        bestofn::model::Case::builder()
            .p("1/2,1/2")
            .reward("additive:0,1")
            .n(2)
            .build()
            .unwrap()
    };
    let (a, b) = (build(), build());
    let holds = a.check_statement("mine: N == 2").unwrap();
    assert_eq!(holds.verdict.name(), "holds");
    let fails = b.check_statement("mine: N == 3").unwrap();
    assert_eq!(fails.verdict.name(), "fails");
    assert_eq!(a.check("mine").unwrap().verdict.name(), "holds");
    assert_eq!(b.check("mine").unwrap().verdict.name(), "fails");
    assert!(
        build().check("mine").is_err(),
        "a fresh checker knows no user claim"
    );
    // Ids may carry a dot, as papers number their results.
    assert_eq!(
        a.check_statement("thm3.1: N >= 1").unwrap().verdict.name(),
        "holds"
    );
}

/// Domain checks climb the precision ladder before giving up: an enclosure that touches a
/// domain's edge at 64 bits is narrowed; at the cap the verdict is `undecided` with the
/// reason; only what is undefined exactly (log of an exact 0) is bad input.
#[test]
fn domain_checks_climb_the_ladder() {
    let flags = [
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "2",
        "--prec-cap",
        "1024",
    ];
    let run = |statement: &str| {
        let out = bestofn(&[&["check"][..], &flags, &["--assert", statement]].concat());
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, out, _) = run("log(exp(1) - 2.718281828459045235) < 0");
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("assert-1  holds") && out.contains("128 bits"),
        "{out}"
    );
    let (code, out, _) = run("1/(exp(1) - exp(1)) > 0");
    assert_eq!(code, Some(3), "{out}");
    assert!(
        out.contains("undecided")
            && out.contains("enclosure contains 0")
            && out.contains("enclosure at the domain's edge = [-")
            && out.contains("1024 bits"),
        "{out}"
    );
    // Undefined exactly: the verdict says so, with the reason, and check exits 2.
    let (code, out, _) = run("log(N - 2) < 1");
    assert_eq!(code, Some(2), "{out}");
    assert!(
        out.contains("assert-1  undefined")
            && out.contains("log of a non-positive exact value (0): log(N - 2)"),
        "{out}"
    );
    // An even power of an enclosure around 0 is non-negative.
    let (code, out, _) = run("(exp(1) - exp(1))^2 >= 0");
    assert_eq!(code, Some(0), "{out}");
}

/// Identities between sums of logarithms of rationals are decided exactly (coprime base and
/// Baker's theorem), in both directions; `<=` between equal sides holds instead of staying
/// undecided; orders between different values still go by enclosures.
#[test]
fn identities_in_logarithms_are_decided_exactly() {
    let mut failures = Vec::new();
    for (p, reward, tie) in [
        ("1/5,3/10,1/2", "log:6,1,2", "uniform"),
        ("1/2,1/4,1/4", "additive:0,1,1", "uniform"),
        ("1/3,2/3", "additive:0,0", "lex-min"),
    ] {
        let flags = [
            "--p",
            p,
            "--reward",
            reward,
            "--m",
            "2",
            "--n",
            "3",
            "--tie-break",
            tie,
        ];
        for (statement, want) in [
            ("log(3) - log(3) == 0", "holds"),
            ("2*log(2) - log(4) == 0", "holds"),
            ("log(6) == log(2) + log(3)", "holds"),
            ("log(N) - (N-1)/N == log(3) - 2/3", "holds"),
            ("log(2) == 0.5", "fails"),
            ("log(2) != log(3) - log(3/2)", "fails"),
            ("kl(bon, p) == sum_y(bon(y) * log(bon(y) / p(y)))", "holds"),
            ("kl(bon, p) <= kl(bon, p)", "holds"),
            ("kl(bon, p) == log(N) - (N-1)/N", "fails"),
            ("entropy(p) == -sum_y(p(y) * log(p(y)))", "holds"),
            (
                "cross_entropy(bon, p) - entropy(bon) == kl(bon, p)",
                "holds",
            ),
            ("E_y(bon, r(y)) == sum_y(bon(y) * r(y))", "holds"),
        ] {
            let out = bestofn(&[&["check"][..], &flags, &["--assert", statement]].concat());
            let printed = String::from_utf8_lossy(&out.stdout);
            if !printed.contains(&format!("assert-1  {want}")) {
                failures.push(format!(
                    "{p} {reward} {tie}: {statement}: want {want}: {printed}"
                ));
            }
            // An identity between irrational sides says it was decided exactly.
            let line = printed
                .lines()
                .find(|l| l.starts_with("assert-1"))
                .unwrap_or("");
            let enclosed = line.split("; ").take(2).any(|side| side.contains(" = ["));
            if want == "holds"
                && statement.contains("==")
                && enclosed
                && !printed.contains("0 exactly")
            {
                failures.push(format!("{statement}: no exact evidence: {printed}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `sum_y(p(y)^k)` is computed as `(sum_i p_i^k)^m` (p is memoryless): the rewrite agrees
/// with the sum over outcomes written another way, by sequence and by type, and with the
/// hand value on Example 2 (sum of squares 0.38^2 = 361/2500 at m = 2).
#[test]
fn sums_of_powers_of_p_factor_over_letters() {
    for (tie, m) in [
        ("uniform", "1"),
        ("uniform", "3"),
        ("lex-min", "2"),
        ("lex-max", "3"),
    ] {
        let flags = [
            "--p",
            "1/5,3/10,1/2",
            "--reward",
            "log:6,1,2",
            "--m",
            m,
            "--n",
            "2",
            "--tie-break",
            tie,
        ];
        for statement in [
            "sum_y(p(y)^2) == sum_y(p(y) * p(y))",
            "sum_y(p(y)^3) == sum_y(p(y) * p(y) * p(y))",
            "sum_y(p(y)^1) == 1",
        ] {
            assert_eq!(
                assert_verdict(&flags, statement),
                "holds",
                "{tie} m={m}: {statement}"
            );
        }
    }
    let example2 = [
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "2",
        "--n",
        "2",
    ];
    assert_eq!(
        assert_verdict(&example2, "sum_y(p(y)^2) == 361/2500"),
        "holds"
    );
}

/// A statement undefined on some cases of a search or grid (log of an exact 0 there) gives
/// those cases the verdict `undefined`, counted with the undecided; the run goes on.
#[test]
fn undefined_cases_do_not_abort_a_search_or_a_grid() {
    let out = bestofn(&[
        "search",
        "--assert",
        "log(N - 1) >= 0",
        "--trials",
        "200",
        "--seed",
        "2",
    ]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(
        printed.contains("of them undefined") && printed.contains("  undefined: assert-1 on"),
        "{printed}"
    );
    let out = bestofn(&[
        "exhaust",
        "--assert",
        "log(N - 1) >= 0",
        "--k",
        "2..2",
        "--den",
        "4",
        "--n",
        "1..3",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(3));
    // N = 1 (9 cases) is undefined, N = 2, 3 hold.
    assert_eq!(
        (
            v["counts"]["holds"].as_u64(),
            v["counts"]["undecided"].as_u64(),
            v["counts"]["undefined"].as_u64()
        ),
        (Some(18), Some(9), Some(9))
    );
    assert_eq!(v["certified"], false);
    // Every exact undefinedness goes the same way, not only logarithms and divisions.
    for statement in ["kl(bon(N - 1), p) >= 0", "sqrt(N - 2) >= 0"] {
        let out = bestofn(&[
            "search", "--assert", statement, "--trials", "200", "--seed", "2",
        ]);
        let printed = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{statement}: {printed}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            printed.contains("of them undefined"),
            "{statement}: {printed}"
        );
    }
}

/// A counterexample to a claims-file claim (helpers expanded) is written, replayed and
/// re-checked from its report alone: recheck confirms it.
#[test]
fn counterexamples_of_claims_file_claims_are_confirmed_by_recheck() {
    let scratch = Scratch::new("typed-core-recheck");
    let claims = scratch.dir().join("claims.toml");
    std::fs::write(
        &claims,
        "[define]\nminus = \"x -> -x\"\n[[claim]]\nid = \"thm3.1\"\nstatement = \"minus(N - 1) == N - 1\"\nsource = \"a paper, Theorem 3.1\"\n",
    )
    .unwrap();
    let report = scratch.dir().join("out");
    let out = bestofn(&[
        "search",
        "--claims",
        claims.to_str().unwrap(),
        "--trials",
        "50",
        "--seed",
        "3",
        "--report",
        report.to_str().unwrap(),
    ]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{printed}");
    // The replay command carries the expanded statement, exactly parenthesised.
    assert!(
        printed.contains("--assert 'thm3.1: -(N - 1) == N - 1'"),
        "{printed}"
    );
    let json = report.join("counterexample.json");
    let out = bestofn(&["recheck", json.to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(printed.contains("CONFIRMED"), "{printed}");
    // Edited to claim something else, the record is rejected.
    let text = std::fs::read_to_string(&json).unwrap();
    std::fs::write(
        &json,
        text.replace("-(N - 1) == N - 1", "-(N - 1) == N - 2"),
    )
    .unwrap();
    let out = bestofn(&["recheck", json.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
}

/// A statement reading `phi` (hypothesis delta-given) or `q` (q-given) is searched over
/// generated budgets and alignment distributions, not reported as "NOTHING CHECKED".
#[test]
fn search_draws_budgets_and_q_for_statements_that_read_them() {
    for statement in ["kl(phi, p) >= 0", "sum_y(q(y)) == 1", "kl(tilt(2), p) >= 0"] {
        let out = bestofn(&[
            "search", "--assert", statement, "--trials", "100", "--seed", "4",
        ]);
        let printed = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{statement}: {printed}");
        assert!(
            printed.contains("assert-1: 100 hold"),
            "{statement}: {printed}"
        );
    }
}

/// `exhaust --claims FILE` without `--claim` runs every claim of the file over the grid.
#[test]
fn exhaust_runs_every_claim_of_a_claims_file() {
    let scratch = Scratch::new("typed-core-exhaust-all");
    let claims = scratch.dir().join("claims.toml");
    std::fs::write(&claims, claims_toml()).unwrap();
    let out = bestofn(&[
        "exhaust",
        "--claims",
        claims.to_str().unwrap(),
        "--k",
        "2..2",
        "--den",
        "4",
        "--n",
        "1..3",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = v.as_array().unwrap();
    assert_eq!(runs.len(), TRUE_STATEMENTS.len());
    for (run, (id, _)) in runs.iter().zip(TRUE_STATEMENTS) {
        assert_eq!(run["claim"], *id);
        assert_eq!(
            (run["counts"]["holds"].as_u64(), run["certified"].as_bool()),
            (Some(27), Some(true)),
            "{run}"
        );
    }
    // A certificate covers one claim.
    let out = bestofn(&[
        "exhaust",
        "--claims",
        claims.to_str().unwrap(),
        "--k",
        "2..2",
        "--den",
        "4",
        "--n",
        "1..3",
        "--certificate",
        scratch.dir().join("c.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a certificate covers one claim"));
}

/// The size budget is a setting of the case, not of the process: one process may hold a
/// case under a tight budget (refused) and the same case under the default (computed).
#[test]
fn the_size_budget_belongs_to_the_case() {
    use bestofn::law::{ExactLaw, Route};
    use bestofn::model::SizeBudget;
    let mut spec = bestofn::spec::CaseSpec {
        p: Some("1/3,2/3".into()),
        reward: Some("additive:0,1".into()),
        n: Some(40),
        ..Default::default()
    };
    let (roomy, _) = spec.resolve().unwrap();
    spec.budget = Some(SizeBudget::new(64).unwrap());
    let (tight, _) = spec.resolve().unwrap();
    let refused = ExactLaw::compute(&tight, Route::Type).unwrap_err();
    assert!(
        refused.message().contains("--max-bits 64"),
        "{}",
        refused.message()
    );
    assert!(ExactLaw::compute(&roomy, Route::Type).is_ok());
    // Derived cases (another N) keep their budget.
    let other = bestofn::model::Case { n: 41, ..tight };
    assert!(ExactLaw::compute(&other, Route::Type).is_err());
}

/// A long precision ladder tells its watcher (the CLI prints it on stderr) where it is and
/// what is left: every rung after the first, with the estimate to the cap.
#[test]
fn a_long_ladder_says_where_it_is() {
    use std::sync::{Arc, Mutex};
    let steps = Arc::new(Mutex::new(Vec::new()));
    let seen = steps.clone();
    let spec = bestofn::spec::CaseSpec {
        p: Some("1/2,1/2".into()),
        reward: Some("additive:0,1".into()),
        n: Some(2),
        ..Default::default()
    };
    let policy = bestofn::enclosure::PrecisionPolicy {
        start: 64,
        cap: 1024,
    };
    let ctx = bestofn::claims::Context::from_spec(&spec, policy)
        .unwrap()
        .with_watch(Some(bestofn::claims::LadderWatch {
            after: std::time::Duration::ZERO,
            at_least: std::time::Duration::ZERO,
            tell: Arc::new(move |s: &bestofn::claims::LadderStep| {
                seen.lock()
                    .unwrap()
                    .push((s.done_bits, s.next_bits, s.cap_bits))
            }),
        }));
    let e = bestofn::claims::expr::Expression::new("exp(1) == exp(1)").unwrap();
    let (verdict, _) = bestofn::claims::expr::decide(&e, &ctx).unwrap();
    assert_eq!(verdict.name(), "undecided");
    assert_eq!(
        *steps.lock().unwrap(),
        [
            (64, 128, 1024),
            (128, 256, 1024),
            (256, 512, 1024),
            (512, 1024, 1024)
        ]
    );
    let line = bestofn::report::claims::ladder_line(&bestofn::claims::LadderStep {
        statement: "exp(1) == exp(1)".into(),
        done_bits: 4096,
        next_bits: 8192,
        cap_bits: 1048576,
        elapsed: std::time::Duration::from_secs(3),
        next: std::time::Duration::from_secs(10),
        to_cap: std::time::Duration::from_secs(7200),
    });
    assert_eq!(line, "bestofn: 'exp(1) == exp(1)' undecided at 4096 bits after 3.0 s; trying 8192 bits (about 10.0 s; up to about 2.0 h more to the cap of 1048576 bits, --prec-cap)");
}

/// Exponents that overflow give an enclosure or a clear error, never a panic.
#[test]
fn overflowing_powers_never_panic() {
    let flags = ["--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "2"];
    for statement in [
        "(2^65536)^65536 > 1",
        "(0.5^65536)^65536 < 1",
        "2^(2^40) > 1",
        "(2^65536)^65536 == (2^65536)^65536",
    ] {
        let out = bestofn(&[&["check"][..], &flags, &["--assert", statement]].concat());
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(
            matches!(out.status.code(), Some(0 | 2 | 3)),
            "{statement}: {stdout}{stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("internal error"),
            "{statement}: {stderr}"
        );
    }
}
