//! `compare`: the float pipelines against the exact law. Each bundled failure-mode case is
//! detected with the named outcomes and values; errors are the exact differences (checked
//! against floats computed here by hand); the ln(a) + ln(b) pairs are found by search and
//! agree with plain f64 arithmetic pair by pair.

use crate::common::{bestofn, case, q};
use bestofn::casefile::CaseFile;
use bestofn::compare::{Amount, ArithComparison, ExactSide};
use bestofn::enclosure::PrecisionPolicy;
use bestofn::float::Arith;
use bestofn::report::svg::read_series;
use bestofn::tilt::TiltParams;
use rug::ops::Pow;
use rug::Rational;

fn bundled(name: &str) -> ExactSide {
    let path = format!("{}/cases/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let spec = CaseFile::read(std::path::Path::new(&path))
        .expect("case file")
        .spec;
    let (case, _) = spec.resolve().expect("valid case");
    ExactSide::compute(
        &case,
        &spec.tilt().expect("tilt"),
        PrecisionPolicy::default(),
    )
    .expect("exact side")
}

fn wrong_claims(c: &ArithComparison) -> Vec<&str> {
    c.wrong_verdicts().map(|v| v.claim.as_ref()).collect()
}

#[test]
fn ln_tie_lost_by_f64_is_named_with_both_float_rewards() {
    let exact = bundled("float-ln-tie");
    let f64_run = exact.compare(Arith::F64).unwrap();
    assert_eq!(f64_run.failure_kinds(), ["lost-ties"]);
    // ln 2 + ln 5 against ln 10 + ln 1: letters 0 (w=2), 4 (w=5), 5 (w=10), 3 (w=1).
    let ln10 = f64_run
        .lost_ties
        .iter()
        .find(|t| t.exact_rewards[0].starts_with("ln(10)"))
        .expect("the ln 10 tie is lost");
    let mut floats = ln10.float_rewards.to_vec();
    floats.sort();
    assert_eq!(floats, ["2.3025850929940455", "2.302585092994046"]);
    assert_eq!((ln10.members, ln10.parts), (4, 2));
    // ln 2 + ln 3 == ln 6 in f64: that tie is kept.
    assert!(f64_run
        .lost_ties
        .iter()
        .all(|t| !t.exact_rewards[0].starts_with("ln(6)")));
    // The split moves probability between tied outcomes.
    let change = f64_run.lost_tie_pi_change.as_ref().unwrap();
    assert!(change.abs.upper() > 1e-3);
    assert!(exact
        .compare(Arith::Mpfr(113))
        .unwrap()
        .failure_kinds()
        .is_empty());
}

#[test]
fn ln_pairs_found_by_search_agree_with_plain_f64_pair_by_pair() {
    let (mut kept, mut lost) = (Vec::new(), Vec::new());
    for a in 2u64..12 {
        for b in a..12 {
            if a * b == a || a * b == b {
                continue;
            }
            // Letters: w = a, b, ab, 1; (0,1) and (2,3) tie exactly.
            let reward = format!("log:{a},{b},{},1", a * b);
            let c = case("1/4,1/4,1/4,1/4", &reward, 2, 2, "uniform");
            let exact =
                ExactSide::compute(&c, &TiltParams::default(), PrecisionPolicy::default()).unwrap();
            let run = exact.compare(Arith::F64).unwrap();
            let detected = run.lost_ties.iter().any(|t| {
                t.exact_rewards[0].starts_with(&format!("ln({})", a * b)) && t.members == 4
            });
            let by_hand = (a as f64).ln() + (b as f64).ln() != ((a * b) as f64).ln();
            assert_eq!(detected, by_hand, "a = {a}, b = {b}");
            if by_hand {
                lost.push((a, b));
            } else {
                kept.push((a, b));
            }
        }
    }
    // Both behaviours occur: f64 agrees for some pairs and not for others.
    assert!(kept.contains(&(2, 3)), "{kept:?}");
    assert!(lost.contains(&(2, 5)), "{lost:?}");
}

#[test]
fn sum_order_loses_permutation_ties_and_refutes_exchangeability_in_floats() {
    let exact = bundled("float-sum-order");
    let f64_run = exact.compare(Arith::F64).unwrap();
    assert_eq!(f64_run.failure_kinds(), ["lost-ties", "wrong-verdicts"]);
    let tie = &f64_run.lost_ties[0];
    assert_eq!(tie.exact_rewards, ["3/5", "3/5"]);
    let mut floats = tie.float_rewards.to_vec();
    floats.sort();
    assert_eq!(floats, ["0.6", "0.6000000000000001"]);
    assert_eq!(wrong_claims(&f64_run), ["bon-exchangeable"]);
    let v = f64_run
        .verdicts
        .iter()
        .find(|v| v.claim == "bon-exchangeable")
        .unwrap();
    assert_eq!(v.certified.name(), "holds");
    assert!(!v.float_holds);
}

#[test]
fn large_n_underflow_zeroes_pi_and_flips_the_log_inv_eps_verdict() {
    let exact = bundled("float-underflow-large-n");
    let f64_run = exact.compare(Arith::F64).unwrap();
    assert_eq!(f64_run.failure_kinds(), ["nonfinite", "wrong-verdicts"]);
    let zero = &f64_run.nonfinite[0];
    assert_eq!(
        (zero.quantity, zero.entry.as_str(), zero.float.as_str()),
        ("pi", "(0)", "0.0")
    );
    // pi(0) = F(0)^N = (3/10)^1000 exactly; its relative error is exactly 1.
    let expected = Rational::from((
        rug::Integer::from(3).pow(1000u32),
        rug::Integer::from(10).pow(1000u32),
    ));
    assert_eq!(zero.kind, bestofn::compare::Degenerate::Zero);
    // Text shows a 1000-digit value by its leading digits and size; JSON gives it in full.
    let shown = zero.exact.to_string();
    assert!(
        shown.starts_with("1.32207081948e-523 (truncated; a fraction of"),
        "{shown}"
    );
    assert_eq!(
        bestofn::report::compare::exact_value_json(&zero.exact),
        serde_json::json!(expected.to_string())
    );
    assert_eq!(
        zero.exact,
        bestofn::compare::ExactDescription::Rational(expected)
    );
    let pi = f64_run.quantity("pi").unwrap();
    assert_eq!(
        pi.max_rel.as_ref().unwrap().rel,
        Some(Amount::Exact(Rational::from(1)))
    );
    assert_eq!(wrong_claims(&f64_run), ["bon-kl-le-log-inv-eps"]);
    // MPFR at 53 bits does not underflow but makes the same wrong call; 256 bits is right.
    let m53 = exact.compare(Arith::Mpfr(53)).unwrap();
    assert_eq!(m53.failure_kinds(), ["wrong-verdicts"]);
    assert!(exact
        .compare(Arith::Mpfr(256))
        .unwrap()
        .failure_kinds()
        .is_empty());
}

#[test]
fn large_alpha_tilt_underflows_to_zero_and_nan() {
    let exact = bundled("float-tilt-large-alpha");
    let f64_run = exact.compare(Arith::F64).unwrap();
    assert_eq!(f64_run.failure_kinds(), ["nonfinite", "wrong-verdicts"]);
    let named: Vec<(&str, &str, &str)> = f64_run
        .nonfinite
        .iter()
        .map(|n| (n.quantity, n.entry.as_str(), n.float.as_str()))
        .collect();
    assert!(named.contains(&("tilt", "letter 1", "0.0")), "{named:?}");
    assert!(named.contains(&("tilt", "letter 2", "0.0")), "{named:?}");
    assert!(
        named.contains(&("tilt_summed", "letter 0", "NaN")),
        "{named:?}"
    );
    assert_eq!(wrong_claims(&f64_run), ["tilt-composition"]);
    assert!(exact
        .compare(Arith::Mpfr(53))
        .unwrap()
        .failure_kinds()
        .is_empty());
}

#[test]
fn invented_tie_shares_a_win_that_is_not_shared() {
    let exact = bundled("float-invented-tie");
    let f64_run = exact.compare(Arith::F64).unwrap();
    assert_eq!(f64_run.failure_kinds(), ["invented-ties", "nonfinite"]);
    let tie = &f64_run.invented_ties[0];
    assert_eq!(tie.outcomes, [vec![0], vec![1]]);
    assert_eq!(tie.float_rewards, ["1.0", "1.0"]);
    assert_eq!(
        tie.exact_rewards,
        ["1", "100000000000000000001/100000000000000000000"]
    );
    // Exactly pi = (1/4, 3/4); floats give (1/2, 1/2): the change is exactly 1/4.
    let change = f64_run.invented_tie_pi_change.as_ref().unwrap();
    assert_eq!(change.abs, Amount::Exact(Rational::from((1, 4))));
}

#[test]
fn errors_are_exact_differences_with_the_hand_computed_float_law() {
    // p = (1/5, 3/10, 1/2), distinct additive rewards 0 < 1 < 2, N = 3: by hand in f64,
    // pi(y) = F(y)^3 - F-(y)^3 with F accumulated left to right.
    let c = case("1/5,3/10,1/2", "additive:0,1,2", 1, 3, "uniform");
    let exact = ExactSide::compute(&c, &TiltParams::default(), PrecisionPolicy::default()).unwrap();
    let run = exact.compare(Arith::F64).unwrap();
    let (p0, p1, p2) = (0.2f64, 0.3f64, 0.5f64);
    let f = [p0, p0 + p1, p0 + p1 + p2];
    let below = [0.0, f[0], f[1]];
    let pis: Vec<f64> = (0..3)
        .map(|y| [p0, p1, p2][y] / [p0, p1, p2][y] * (f[y].powf(3.0) - below[y].powf(3.0)))
        .collect();
    let exact_pi = [q("1/125"), q("1/8") - q("1/125"), q("1") - q("1/8")];
    let worst = (0..3)
        .map(|y| (Rational::from_f64(pis[y]).unwrap() - &exact_pi[y]).abs())
        .max()
        .unwrap();
    let max_abs = run.quantity("pi").unwrap().max_abs.as_ref().unwrap();
    assert_eq!(max_abs.abs, Amount::Exact(worst));
    // The KL error is an enclosure of |KL_f64 - KL| that is tight (2^-20 relative).
    let kl_error = run.quantity("kl").unwrap().max_abs.as_ref().unwrap();
    let Amount::Enclosed(interval) = &kl_error.abs else {
        panic!("KL has logarithms: enclosed");
    };
    assert!(interval.lo().is_sign_positive());
    assert!(interval.width() <= interval.lo().clone() / 1_000_000u32);
}

#[test]
fn example2_in_f64_is_qualitatively_right_and_mpfr_256_is_far_closer() {
    let c = case("1/5,3/10,1/2", "log:6,1,2", 2, 2, "uniform");
    let exact = ExactSide::compute(&c, &TiltParams::default(), PrecisionPolicy::default()).unwrap();
    let f64_run = exact.compare(Arith::F64).unwrap();
    assert!(
        !f64_run.is_qualitatively_wrong(),
        "{:?}",
        f64_run.failure_kinds()
    );
    let m256 = exact.compare(Arith::Mpfr(256)).unwrap();
    for quantity in ["pi", "kl", "win_rate", "estimator"] {
        let rel = |c: &ArithComparison| {
            c.quantity(quantity)
                .unwrap()
                .max_rel
                .as_ref()
                .unwrap()
                .rel
                .as_ref()
                .unwrap()
                .upper()
        };
        assert!(rel(&f64_run) < 1e-14, "{quantity}");
        assert!(rel(&m256) < rel(&f64_run) * 1e-60, "{quantity}");
    }
}

#[test]
fn every_case_file_with_expected_failures_reproduces_them() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/cases");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| {
            p.ends_with(".toml")
                && std::fs::read_to_string(p)
                    .unwrap()
                    .contains("[expected_compare]")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    let mut args = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    let out = bestofn(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.matches("all as expected").count(), files.len());
}

#[test]
fn json_report_and_plot_carry_the_same_numbers() {
    let scratch = crate::common::Scratch::new("compare");
    let dir = scratch.dir().to_path_buf();
    let (md, svg) = (dir.join("out.md"), dir.join("errors.svg"));
    let case_file = concat!(env!("CARGO_MANIFEST_DIR"), "/cases/float-sum-order.toml");
    let out = bestofn(&[
        "compare",
        case_file,
        "--json",
        "--report",
        md.to_str().unwrap(),
        "--plot",
        svg.to_str().unwrap(),
        "--plot-precisions",
        "24,53,113",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let runs = json["arithmetics"].as_array().unwrap();
    assert_eq!(runs.len(), 4);
    for run in runs {
        for key in [
            "arith",
            "lost_ties",
            "invented_ties",
            "nonfinite",
            "wrong_verdicts",
            "max_errors",
        ] {
            assert!(run.get(key).is_some(), "{key} missing");
        }
    }
    let f64_json = &runs[0];
    assert_eq!(f64_json["arith"], "f64");
    assert_eq!(f64_json["lost_ties"][0]["exact_rewards"][0], "3/5");
    let wrong = &f64_json["wrong_verdicts"][0];
    assert_eq!(wrong["claim"], "bon-exchangeable");
    // The certified side carries its evidence: two sequences and their exact pi.
    assert_eq!(wrong["certified"], "holds");
    assert!(
        !wrong["certified_evidence"].as_object().unwrap().is_empty(),
        "{wrong}"
    );

    let report = std::fs::read_to_string(&md).unwrap();
    let first_paragraph = report.lines().nth(2).unwrap();
    assert!(
        first_paragraph
            .starts_with("f64 gets this case qualitatively wrong: 1 lost tie changes pi by up to"),
        "{first_paragraph}"
    );

    // The f64 marker for pi sits at 53 bits and at log10 of the reported relative error.
    let picture = std::fs::read_to_string(&svg).unwrap();
    let f64_pi = read_series(&picture, "f64: pi").expect("f64 series");
    let rel: f64 = f64_json["max_errors"]["pi"]["max_rel"]["rel"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(f64_pi.len(), 1);
    // Pixels are written to 1/1000 px: a hundredth of a bit is far below that.
    assert!((f64_pi[0].0 - 53.0).abs() < 1e-2);
    assert!(
        (f64_pi[0].1 - rel.log10()).abs() < 1e-2,
        "{f64_pi:?} vs {rel}"
    );
    // The MPFR line has the swept precisions plus the --float ones.
    let mpfr_reward = read_series(&picture, "mpfr: reward").expect("mpfr series");
    let xs: Vec<i64> = mpfr_reward.iter().map(|p| p.0.round() as i64).collect();
    assert_eq!(xs, [24, 53, 113, 256]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_compare_input_exits_2_with_a_sentence() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--float",
                "f32",
            ],
            "'f32' is not an arithmetic",
        ),
        (
            vec![
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--float",
                "mpfr:1",
            ],
            "precision out of range",
        ),
        (
            vec![
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--m",
                "17",
                "--n",
                "2",
            ],
            "at most 65536",
        ),
        (
            vec![
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--alpha",
                "2",
            ],
            "the tilt needs q",
        ),
        (
            vec![
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--n",
                "2",
                "--q",
                "1/2,1/2",
                "--beta",
                "1",
            ],
            "needs --alpha",
        ),
    ];
    for (args, needle) in cases {
        let mut full = vec!["compare"];
        full.extend(args);
        let out = bestofn(&full);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{full:?}: {err}");
        assert!(err.contains(needle), "{full:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A case file naming an unknown failure kind is refused where it is.
    let scratch = crate::common::Scratch::new("compare-bad");
    let tmp = scratch.dir().join("bad.toml");
    std::fs::write(
        &tmp,
        "p = \"1/2,1/2\"\nreward = \"additive:0,1\"\nn = 2\n[expected_compare]\nf64 = [\"typo\"]\n",
    )
    .unwrap();
    let out = bestofn(&["compare", tmp.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("expected_compare.\"f64\"") && err.contains("lost-ties"),
        "{err}"
    );
    std::fs::remove_file(&tmp).ok();
}

#[test]
fn mpfr_expectations_of_the_case_files_match_direct_mpfr_arithmetic() {
    // The ties of float-ln-tie and float-sum-order, computed here with MPFR directly (round to
    // nearest, left to right), decide which precisions must report lost ties.
    use rug::Float;
    let ln = |p: u32, w: u32| Float::with_val(p, Float::with_val(p, w).ln_ref());
    let tenth = |p: u32, k: u32| Float::with_val(p, &Rational::from((k, 10)));
    let add = |p: u32, a: &Float, b: &Float| Float::with_val(p, a + b);
    for prec in [53u32, 113, 256] {
        let ln_tie_lost = add(prec, &ln(prec, 2), &ln(prec, 5)) != ln(prec, 10)
            || add(prec, &ln(prec, 3), &ln(prec, 10)) != add(prec, &ln(prec, 6), &ln(prec, 5))
            || add(prec, &ln(prec, 2), &ln(prec, 3)) != ln(prec, 6);
        let ln_case = bundled("float-ln-tie").compare(Arith::Mpfr(prec)).unwrap();
        assert_eq!(
            !ln_case.lost_ties.is_empty(),
            ln_tie_lost,
            "ln tie at {prec} bits"
        );

        // Every sequence of three letters with rewards 1/10, 2/10, 3/10 summed left to right;
        // a tie is lost when two sequences with the same exact sum get different floats.
        let mut by_sum: std::collections::HashMap<u32, Vec<Float>> = Default::default();
        for a in 1..=3u32 {
            for b in 1..=3u32 {
                for c in 1..=3u32 {
                    let first = add(prec, &tenth(prec, a), &tenth(prec, b));
                    let sum = add(prec, &first, &tenth(prec, c));
                    by_sum.entry(a + b + c).or_default().push(sum);
                }
            }
        }
        let split = by_sum.values().any(|v| v.iter().any(|x| *x != v[0]));
        let sum_case = bundled("float-sum-order")
            .compare(Arith::Mpfr(prec))
            .unwrap();
        assert_eq!(
            !sum_case.lost_ties.is_empty(),
            split,
            "sum order at {prec} bits"
        );
    }
}

/// `compare --report`: every row of every Markdown table has its header's number of cells
/// (a `|` inside a cell, as in `KL(pi_N || p)`, is escaped).
#[test]
fn markdown_report_tables_keep_their_columns() {
    let s = crate::common::Scratch::new("md-cells");
    let report = s.path("floats.md");
    crate::common::Run::new(&[
        "compare",
        "cases/float-sum-order.toml",
        "cases/float-ln-tie.toml",
        "--report",
        &report,
    ])
    .statuses(&[0, 1])
    .run();
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("KL(pi_N \\|\\| p)"), "{text}");
    let cells = |line: &str| {
        let mut count = 0;
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                count += 1;
            }
            escaped = c == '\\';
        }
        count
    };
    let mut tables = 0;
    let mut header: Option<usize> = None;
    for line in text.lines() {
        if line.starts_with('|') {
            match header {
                None => {
                    header = Some(cells(line));
                    tables += 1;
                }
                Some(n) => assert_eq!(cells(line), n, "row against header: {line}"),
            }
        } else {
            header = None;
        }
    }
    assert!(tables >= 4, "{tables} tables");
}
