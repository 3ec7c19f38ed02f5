//! The restated catalogue claims (claims::restated, decided by the claim language) give the
//! verdict of the hand-written modules they replace, on generated cases (small and
//! structured, uniform and lexicographic tie-breaks, hypotheses kept and dropped) and on
//! every bundled case.

use bestofn::claims::{self, restated, Claim, Context, Verdict};
use bestofn::enclosure::PrecisionPolicy;
use bestofn::search::gen::{self, Bounds, Needs};

fn module(id: &str) -> &'static Claim {
    claims::CATALOGUE
        .iter()
        .copied()
        .find(|c| c.id == id)
        .unwrap()
}

fn same(a: &Verdict, b: &Verdict) -> bool {
    a.name() == b.name()
}

/// Compares every restated claim with its module on `ctx`; returns how many decisions both
/// refused with an error (they must then agree on refusing).
fn compare_on(ctx: &Context, label: &str, failures: &mut Vec<String>) -> usize {
    let mut errors = 0;
    for statement in restated::ALL {
        let old = module(statement.id);
        for dropped in std::iter::once(None).chain(old.hypotheses.iter().map(|h| Some(h.name))) {
            let a = old.evaluate(ctx, dropped).map(|r| r.verdict);
            let b = statement.evaluate(ctx, dropped).map(|r| r.verdict);
            let agree = match (&a, &b) {
                (Ok(x), Ok(y)) => same(x, y),
                (Err(_), Err(_)) => {
                    errors += 1;
                    true
                }
                _ => false,
            };
            if !agree {
                failures.push(format!(
                    "{label}: {} without {dropped:?}: module {a:?}, statement {b:?}",
                    statement.id
                ));
            }
        }
    }
    errors
}

#[test]
fn restated_claims_agree_with_their_modules_on_generated_cases() {
    let mut failures = Vec::new();
    let mut errors = 0;
    let mut fails_seen = std::collections::BTreeMap::<&str, usize>::new();
    let bounds = [
        Bounds {
            k: 2..=4,
            m: 1..=2,
            n: 1..=16,
        },
        Bounds {
            k: 2..=32,
            m: 1..=1,
            n: 1..=8,
        },
        Bounds {
            k: 2..=3,
            m: 1..=3,
            n: 1..=40,
        },
    ];
    for (b, bounds) in bounds.iter().enumerate() {
        for index in 0..300 {
            let needs = Needs {
                lex: index % 3 == 0,
                ..Default::default()
            };
            let spec = gen::case(11 + b as u64, index, bounds, needs);
            let Ok((case, _)) = spec.resolve() else {
                continue;
            };
            let ctx = Context::new(case, PrecisionPolicy::default());
            errors += compare_on(&ctx, &format!("bounds {b}, case {index}"), &mut failures);
            for c in restated::ALL {
                if c.evaluate(&ctx, None).map(|r| r.verdict) == Ok(Verdict::Fails) {
                    *fails_seen.entry(c.id).or_default() += 1;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(errors, 0, "both refused to decide");
    // The generated cases do refute the false claims, so agreement is not vacuous.
    for id in [
        "bon-kl-formula-exact",
        "bon-kl-gap-bound",
        "bon-winrate-gap-bound",
    ] {
        assert!(
            fails_seen.get(id).copied().unwrap_or(0) > 0,
            "{id} never failed: {fails_seen:?}"
        );
    }
}

#[test]
fn restated_claims_agree_with_their_modules_on_every_bundled_case() {
    let mut failures = Vec::new();
    let mut compared = 0;
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let spec = bestofn::casefile::CaseSpec::from_file(&path).unwrap();
        let Ok((case, _)) = spec.resolve() else {
            continue;
        };
        let Ok(tilt) = spec.tilt() else { continue };
        if bestofn::law::budget::check_case(&case, bestofn::law::Route::default_for(&case)).is_err()
        {
            continue;
        }
        let ctx = Context::new(case, PrecisionPolicy::default()).with_tilt(tilt);
        let errors = compare_on(&ctx, &path.display().to_string(), &mut failures);
        println!("{}: {errors} refused by both", path.display());
        compared += 1;
    }
    assert!(compared >= 16, "only {compared} bundled cases compared");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
