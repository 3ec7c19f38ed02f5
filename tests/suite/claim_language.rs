//! The claim language (issue 13, first part): each vocabulary item against an independently
//! computed value (closed forms of the two-letter case), parse and type errors, three-valued
//! logic, a false claim searched, shrunk and re-checked, a true claim certified on a grid,
//! and a claim undecidable at the precision cap.

use crate::common::{assert_verdict as verdict, bestofn};

/// Two letters, p uniform, rewards 0 < 1: pi_N(1) = 1 - 2^-N, pi_N(0) = 2^-N.
#[test]
fn vocabulary_matches_two_letter_closed_forms() {
    let mut failures = Vec::new();
    for n in 1..=5u32 {
        let n_text = n.to_string();
        let flags = [
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--n",
            n_text.as_str(),
        ];
        for (expr, want) in [
            ("sum_y(p(y)) == 1", "holds"),
            ("sum_y(bon(y)) == 1", "holds"),
            ("forall_y(bon(N+1)(y) >= 0)", "holds"),
            ("winrate(bon, p) == 3/4 - 2^(-N)/2", "holds"),
            ("winrate_strict(bon, p) == (1 - 2^(-N))/2", "holds"),
            ("chi2(bon, p) == 2*((1 - 2^(-N))^2 + 2^(-2*N)) - 1", "holds"),
            ("tv(bon, p) == 1/2 - 2^(-N)", "holds"),
            ("E_y(bon, r(y)) == 1 - 2^(-N)", "holds"),
            ("max_y(r(y)) - min_y(r(y)) == 1", "holds"),
            ("forall_y(F(y) - F_below(y) == p(y))", "holds"),
            ("eps_inf == 1/2 and K == 2 and m == 1", "holds"),
            ("abs(kl(bon, p) - ((1 - 2^(-N))*log(2*(1 - 2^(-N))) + 2^(-N)*log(2^(1-N)))) < 1/10^15", "holds"),
            ("abs(entropy(p) - log(2)) < 1/10^15", "holds"),
            ("abs(cross_entropy(bon, p) - log(2)) < 1/10^15", "holds"),
            ("abs(renyi(2, bon, p) - log(chi2(bon, p) + 1)) < 1/10^15", "holds"),
            ("abs(sqrt(2)^2 - 2) < 1/10^15 and sqrt(9/4) == 3/2", "holds"),
            ("exp(0) == 1 and log(1) == 0 and min(1, 2) == 1 and max(1, 2) == 2", "holds"),
        ] {
            let got = verdict(&flags, expr);
            if got != want {
                failures.push(format!("N = {n}: {expr}: {got}"));
            }
        }
    }
    // Ties: F - F_below is the class mass, not p(y).
    let tied = ["--p", "1/2,1/2", "--reward", "additive:0,0", "--n", "2"];
    if verdict(&tied, "forall_y(F(y) - F_below(y) == p(y))") != "fails" {
        failures.push("ties: F - F_below".into());
    }
    // q and tilt: a log reward's weights are q; tilt(1) is exact, tilt(1/2) enclosed.
    let log = ["--p", "1/5,3/10,1/2", "--reward", "log:6,1,2", "--n", "2"];
    for (expr, want) in [
        ("sum_y(q(y)) == 1", "holds"),
        ("sum_y(tilt(1)(y)) == 1", "holds"),
        ("tilt(1)(y) == p(y)*q(y)/sum_y(p(y)*q(y))", "error"),
        ("forall_y(tilt(1)(y) == p(y)*q(y)/E_z(p, q(z)))", "holds"),
        ("abs(sum_y(tilt(1/2)(y)) - 1) < 1/10^12", "holds"),
        ("kl(q, p) >= 0", "holds"),
    ] {
        let got = verdict(&log, expr);
        if !got.starts_with(want) {
            failures.push(format!("log case: {expr}: {got}"));
        }
    }
    // phi: the KL-constrained optimum of the Figure 1 setting spends m delta exactly.
    let fig = [
        "--p",
        "1/5,3/10,1/2",
        "--q",
        "2/3,1/9,2/9",
        "--m",
        "2",
        "--n",
        "3",
        "--delta",
        "11/100",
    ];
    for (expr, want) in [
        ("abs(kl(phi, p) - m * 11/100) < 1/10^15", "holds"),
        ("abs(sum_y(phi(y)) - 1) < 1/10^15", "holds"),
        ("kl(bon, phi) >= 0", "holds"),
        ("E_y(phi, r(y)) >= E_y(p, r(y))", "holds"),
    ] {
        let got = verdict(&fig, expr);
        if got != want {
            failures.push(format!("phi: {expr}: {got}"));
        }
    }
    if verdict(
        &[
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--n",
            "2",
            "--delta",
            "0",
        ],
        "forall_y(phi(y) == p(y))",
    ) != "holds"
    {
        failures.push("phi at delta = 0 is p".into());
    }
    let out = bestofn(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "2",
        "--assert",
        "kl(phi, p) >= 0",
    ]);
    if !String::from_utf8_lossy(&out.stdout).contains("hypothesis delta-given not met") {
        failures.push("delta-given".into());
    }
    // q is needed: not applicable without it, naming the hypothesis.
    let out = bestofn(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "2",
        "--assert",
        "kl(q, p) >= 0",
    ]);
    if !String::from_utf8_lossy(&out.stdout).contains("hypothesis q-given not met") {
        failures.push("q-given".into());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn three_valued_logic_and_the_precision_cap() {
    let flags = ["--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "2"];
    for (expr, want) in [
        ("exp(1) == exp(1)", "undecided"),
        ("not (exp(1) == exp(1))", "undecided"),
        ("(exp(1) == exp(1)) or 1 < 2", "holds"),
        ("(exp(1) == exp(1)) and 1 > 2", "fails"),
        ("1 > 2 implies exp(1) == exp(1)", "holds"),
        ("(exp(1) == exp(1)) implies 1 < 2", "holds"),
        (
            "exp(1) != 3 and exp(1) < 2.7183 and exp(1) > 2.7182",
            "holds",
        ),
        ("exp(1) == 2.718281828459045", "fails"),
    ] {
        assert_eq!(verdict(&flags, expr), want, "{expr}");
    }
    // Undecided reports both enclosures at the cap.
    let out = bestofn(
        &[
            &["check"][..],
            &flags,
            &["--assert", "exp(1) == exp(1)", "--prec-cap", "256"],
        ]
        .concat(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("256 bits") && text.contains("exp(1) = [2.718281828"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn parse_and_type_errors_are_one_clear_message_with_a_caret() {
    let flags = ["--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "2"];
    for (expr, needle) in [
        ("kl(bon, p) <= ", "found the end"),
        ("kl(bonn, p) <= 1", "did you mean 'bon'"),
        ("kl(p) <= 1", "expected 2 argument(s), got 1"),
        ("p <= 1", "must be a number, not a distribution"),
        ("kl(bon, p)", "must be a statement"),
        ("y <= 1", "outside a binder"),
        ("1 < 2 < 3", "chain relations with 'and'"),
        ("p # q", "'#' is not part of the language"),
        ("sum_y(p) == 1", "must be a number, not a distribution"),
        ("forall_y(p(y)) ", "must be a statement"),
        ("phi < 1", "must be a number, not a distribution"),
    ] {
        let out = bestofn(&[&["check"][..], &flags, &["--assert", expr]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{expr}: {err}");
        assert!(
            err.contains(needle) && err.contains('^') && !err.contains("panicked"),
            "{expr}: {err}"
        );
    }
    // Undefined exactly on the case: the verdict `undefined` with the reason, exit 2.
    for (expr, needle) in [
        ("1/0 <= 1", "division by an exact zero: 1 / 0"),
        (
            "log(1 - 1) < 2",
            "log of a non-positive exact value (0): log(1 - 1)",
        ),
    ] {
        let out = bestofn(&[&["check"][..], &flags, &["--assert", expr]].concat());
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{expr}: {text}");
        assert!(
            text.contains("assert-1  undefined") && text.contains(needle),
            "{expr}: {text}"
        );
    }
    // Nesting that would overflow the stack is refused; a long flat chain is called one.
    for (deep, needle) in [
        (
            "(".repeat(5000) + "1" + &")".repeat(5000) + " < 2",
            "nested more than 200 deep",
        ),
        ("-".repeat(50_000) + "1 < 2", "nested more than 200 deep"),
        (
            "1".to_string() + &"+1".repeat(20_000) + " < 2",
            "more than 200 operators in a row",
        ),
    ] {
        let out = bestofn(&[&["check"][..], &flags, &["--assert", &deep]].concat());
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle));
    }
    // An id that shadows a catalogue claim, or one given twice.
    let out = bestofn(
        &[
            &["check"][..],
            &flags,
            &["--assert", "bon-kl-le-log-n: 1 < 2"],
        ]
        .concat(),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("catalogue claim"));
    let out = bestofn(
        &[
            &["check"][..],
            &flags,
            &["--assert", "a: 1 < 2", "--assert", "a: 2 < 3"],
        ]
        .concat(),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("given twice"));
}

#[test]
fn a_false_claim_is_found_shrunk_reported_and_rechecked_and_a_true_one_certified() {
    let scratch = crate::common::Scratch::new("claim-language");
    let dir = scratch.dir().to_path_buf();
    // The per-outcome lower bound of related work, with ties: false.
    let out = bestofn(&[
        "search",
        "--assert",
        "lb: forall_y(bon(y) >= N * p(y) * F_below(y)^(N-1) + p(y)^N)",
        "--seed",
        "1",
        "--report",
        dir.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("--assert 'lb: forall_y("),
        "the replay command carries the expression: {text}"
    );
    let report = std::fs::read_to_string(dir.join("counterexample.json")).unwrap();
    assert!(report.contains("\"expression\""));
    let again = bestofn(&["recheck", dir.join("counterexample.json").to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("CONFIRMED"));
    std::fs::remove_dir_all(&dir).ok();
    // A true claim on a grid: the win-rate bound.
    let out = bestofn(&[
        "exhaust",
        "--assert",
        "winrate(bon, p) <= N/(N+1)",
        "--k",
        "2..3",
        "--den",
        "6",
        "--n",
        "1..4",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("holds on all 580 applicable cases"));
}

/// The catalogue claims restated in `examples/claims/beirami.toml` give the same verdicts as
/// their modules on every generated case (the tallies of one search, case for case).
#[test]
fn restated_catalogue_claims_agree_with_their_modules() {
    let pairs = [
        ("kl-le-formula", "bon-kl-le-formula"),
        ("kl-gap-bound", "bon-kl-gap-bound"),
        ("estimator-conjecture", "bon-kl-estimator-conjecture"),
        ("winrate-le", "bon-winrate-le"),
        ("winrate-gap", "bon-winrate-gap-bound"),
    ];
    let mut args = vec![
        "search",
        "--claims",
        "examples/claims/beirami.toml",
        "--trials",
        "1500",
        "--all",
        "--seed",
        "4",
        "--json",
        "--k",
        "2..24",
        // The gap bounds assume distinct rewards; their counterexamples have ties.
        "--without-hypothesis",
        "distinct-rewards",
    ];
    for (expression, module) in &pairs {
        args.extend(["--claim", expression, "--claim", module]);
    }
    let out = bestofn(&args);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let tally = |id: &str| {
        let t = v["tallies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["claim"] == id)
            .unwrap()
            .clone();
        (
            t["holds"].clone(),
            t["fails"].clone(),
            t["undecided"].clone(),
            t["not_applicable"].clone(),
        )
    };
    for (expression, module) in pairs {
        assert_eq!(tally(expression), tally(module), "{expression} vs {module}");
    }
    // And case by case: the same counterexample indices.
    let found = |id: &str| -> Vec<u64> {
        v["found"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["claim"] == id)
            .map(|f| f["case_index"].as_u64().unwrap())
            .collect()
    };
    for (expression, module) in pairs {
        assert_eq!(found(expression), found(module), "{expression} vs {module}");
    }
    assert!(!found("kl-gap-bound").is_empty() && !found("winrate-gap").is_empty());
}

#[test]
fn claims_files_define_helpers_and_refuse_clashes() {
    let scratch = crate::common::Scratch::new("claims-files");
    let dir = scratch.dir().to_path_buf();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let flags = [
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "2",
        "--n",
        "3",
    ];
    let distinct = write("distinct.toml", "[[claim]]\nid = \"d\"\nstatement = \"winrate(bon, p) <= N/(N+1)\"\nhypotheses = [\"distinct-rewards\"]\n");
    let out = bestofn(&[&["check"][..], &flags, &["--claims", &distinct]].concat());
    assert!(String::from_utf8_lossy(&out.stdout).contains("hypothesis distinct-rewards not met"));
    for (text, needle) in [
        ("[[claim]]\nid = \"a\"\nstatement = \"1 < 2\"\n[[claim]]\nid = \"a\"\nstatement = \"2 < 3\"\n", "declared twice (first in"),
        ("[[claim]]\nid = \"bon-kl-le-log-n\"\nstatement = \"1 < 2\"\n", "catalogue claim"),
        ("[[claim]]\nid = \"a\"\nstatement = \"1 < 2\"\nhypotheses = [\"no-such\"]\n", "unknown hypothesis 'no-such'"),
        ("[define]\nf = \"x -> f(x)\"\n[[claim]]\nid = \"a\"\nstatement = \"f(1) < 2\"\n", "a helper cannot use itself"),
        ("[define]\nf = \"x, y2 -> x + y2\"\n[[claim]]\nid = \"a\"\nstatement = \"f(1) < 2\"\n", "called with 1"),
        ("[define]\nlog = \"x -> x\"\n[[claim]]\nid = \"a\"\nstatement = \"1 < 2\"\n", "a name of the language"),
        ("[[claim]]\nid = \"a\"\n", "missing 'statement'"),
        ("[[claim]]\nid = \"a\"\nstatement = \"1 < \"\n", "claim 1"),
        ("x = 1\n", "not a claims-file key"),
    ] {
        let path = write("bad.toml", text);
        let out = bestofn(&[&["check"][..], &flags, &["--claims", &path]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(needle), "{text}: {err}");
    }
    // A case file's own [[claim]] tables, with a nullary helper.
    let case = write("case.toml", "p = \"1/5,3/10,1/2\"\nreward = \"log:6,1,2\"\nm = 2\nn = 2\n[define]\ngap = \"-> log(N) - (N-1)/N - kl(bon, p)\"\n[[claim]]\nid = \"gap-nonnegative\"\nstatement = \"gap >= 0\"\n");
    let out = bestofn(&["check", &case, "--claim", "bon-kl-le-log-n"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("gap-nonnegative  holds"));
    // bestofn claims lists them beside the catalogue.
    let out = bestofn(&["claims", "--claims", "examples/claims/beirami.toml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("estimator-conjecture (user claim") && text.contains("expanded:"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// By type (symmetric reward, uniform tie-break) sums carry the types' multiplicities: the
/// values equal the same sums taken sequence by sequence over the law by sequence.
#[test]
fn sums_by_type_equal_sums_over_sequences() {
    use bestofn::claims::{expr, Context};
    use bestofn::enclosure::PrecisionPolicy;
    use bestofn::law::{ExactLaw, LawTable, Route};
    use rug::Rational;

    let spec = bestofn::spec::CaseSpec {
        p: Some("1/5,3/10,1/2".into()),
        reward: Some("additive:0,1,3".into()),
        m: Some(3),
        n: Some(4),
        base_dir: ".".into(),
        ..Default::default()
    };
    let (case, _) = spec.resolve().unwrap();
    assert_eq!(Route::default_for(&case), Route::Type);
    let ctx = Context::new(case.clone(), PrecisionPolicy::default());
    let by_sequence = ExactLaw::compute(&case, Route::Sequence).unwrap();
    let table = LawTable::from_exact(&by_sequence, 3, 3);
    let reward = |o: usize| match &table.outcomes[o] {
        bestofn::law::Outcome::Sequence(s) => {
            Rational::from(s.iter().map(|&l| [0, 1, 3][l as usize]).sum::<u32>())
        }
        _ => unreachable!(),
    };
    let count = table.p.len();
    let chi2: Rational = (0..count)
        .map(|o| Rational::from(&table.pi[o] * &table.pi[o]) / &table.p[o])
        .sum::<Rational>()
        - 1u32;
    let mean: Rational = (0..count).map(|o| &table.pi[o] * reward(o)).sum();
    let squares: Rational = table.p.iter().map(|x| Rational::from(x * x)).sum();
    for (text, want) in [
        ("chi2(bon, p)", chi2),
        ("E_y(bon, r(y))", mean),
        ("sum_y(p(y)^2)", squares),
        ("sum_y(bon(y))", Rational::from(1)),
    ] {
        let got = expr::number(text, &ctx, 64).unwrap();
        assert_eq!(got.exact_value(), Some(want), "{text}");
    }
    // A witness by type is one sequence of that type.
    let out = bestofn(&[
        "check",
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "additive:0,1,3",
        "--m",
        "3",
        "--n",
        "4",
        "--assert",
        "forall_y(bon(y) <= p(y))",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("witness y (a sequence of its type) = (1,2,2)")
            && text.contains("p(y) = 3/40"),
        "{text}"
    );
}

/// `kl`, `chi2` and `renyi` of a law against p go by the engine's classes; written out as sums
/// over outcomes they go outcome by outcome. Both routes agree on a law with 5,300-bit
/// probabilities (lazy values), by type and by sequence (a lex tie-break splits a reward
/// class); and subexpressions remembered by shape keep each outcome's own value under nested
/// binders.
#[test]
fn engine_forms_agree_with_sums_over_outcomes() {
    let mut failures = Vec::new();
    for tie in ["uniform", "lex-min", "lex-max"] {
        let flags = [
            "--p",
            "1/5,3/10,1/2",
            "--reward",
            "additive:0,1,1",
            "--m",
            "4",
            "--n",
            "400",
            "--tie-break",
            tie,
        ];
        for expr in [
            "abs(kl(bon, p) - sum_y(bon(y)*log(bon(y)/p(y)))) < 1/10^30",
            "abs(kl(bon(3), p) - sum_y(bon(3)(y)*log(bon(3)(y)/p(y)))) < 1/10^30",
            "chi2(bon, p) == sum_y(bon(y)^2/p(y)) - 1",
            "abs(renyi(3, bon, p) - log(sum_y(bon(y)^3*p(y)^(-2)))/2) < 1/10^30",
            "sum_y(p(y)*max_z(p(z))) == max_y(p(y)) and forall_y(p(y) + p(y) == 2*p(y))",
            "sum_y(p(y)*sum_z(bon(z)*p(z))) == sum_y(bon(y)*p(y))",
            "forall_y(bon(y) - p(y) + max_z(p(z)) == max_z(p(z)) + bon(y) - p(y))",
        ] {
            let got = verdict(&flags, expr);
            if got != "holds" {
                failures.push(format!("{tie}: {expr}: {got}"));
            }
        }
        // The same sums can fail: the fast and the slow route are not the same code.
        let got = verdict(&flags, "chi2(bon, p) == sum_y(bon(y)^2/p(y))");
        if got != "fails" {
            failures.push(format!("{tie}: chi2 off by one: {got}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
