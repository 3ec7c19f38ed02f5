//! The property-based suite (proptest) over the same generators as `bestofn search`: every
//! claim that is a theorem holds on generated cases within its hypotheses, and every
//! known-false statement is refuted by a search from any seed within a small budget.
//! `cargo test --release --test suite properties:: -- --ignored` runs the long version.

use std::sync::Arc;

use proptest::prelude::*;

use bestofn::claims::{self, Verdict};
use bestofn::enclosure::PrecisionPolicy;
use bestofn::search::gen::{self, Bounds, Needs};
use bestofn::search::{decide_spec, needs_of, search, Limit, SearchSettings};
use bestofn::testimpl::strategy::{structured_cases, Carry};

/// Theorems (true under their hypotheses): never `fails`, never `undecided` on small cases.
/// The catalogue says which claims they are (`Claim::status`), so no list is kept here.
fn theorems() -> Vec<Arc<claims::Claim>> {
    claims::ClaimSet::catalogue()
        .all()
        .iter()
        .filter(|c| c.status.is_theorem())
        .cloned()
        .collect()
}

/// Known-false statements, with the hypothesis to drop where the statement is a theorem with
/// it (from the catalogue).
fn known_false() -> Vec<(Arc<claims::Claim>, Option<&'static str>)> {
    claims::ClaimSet::catalogue()
        .all()
        .iter()
        .filter_map(|c| Some((c.clone(), c.status.refuted_without()?)))
        .collect()
}

/// Every theorem on one structured case (drawn with what the theorem needs): holds or does
/// not apply, never fails or stays undecided.
fn theorem_holds_on(
    claim: &Arc<claims::Claim>,
    spec: &bestofn::spec::CaseSpec,
    applicable: &std::cell::Cell<usize>,
) -> Result<(), TestCaseError> {
    let result = decide_spec(spec, claim, None, PrecisionPolicy::default()).unwrap();
    if !matches!(result.verdict, Verdict::NotApplicable { .. }) {
        applicable.set(applicable.get() + 1);
    }
    prop_assert!(
        matches!(
            result.verdict,
            Verdict::Holds | Verdict::NotApplicable { .. }
        ),
        "{} is {} on {}: {:?}",
        claim.id,
        result.verdict.name(),
        bestofn::casefile::write_case(spec),
        result.evidence
    );
    Ok(())
}

fn carry_of(claim: &Arc<claims::Claim>) -> Carry {
    let needs = needs_of(std::slice::from_ref(claim), None);
    Carry {
        tilt: needs.tilt,
        budget: needs.budget,
        lex: false,
    }
}

fn theorems_hold(seed: u64, index: u64, bounds: &Bounds) -> Result<(), TestCaseError> {
    for claim in theorems() {
        let id = claim.id.clone();
        let needs = needs_of(std::slice::from_ref(&claim), None);
        let spec = gen::case(seed, index, bounds, needs);
        let result = decide_spec(&spec, &claim, None, PrecisionPolicy::default()).unwrap();
        prop_assert!(
            matches!(
                result.verdict,
                Verdict::Holds | Verdict::NotApplicable { .. }
            ),
            "{id} is {} on {}: {:?}",
            result.verdict.name(),
            bestofn::casefile::write_case(&spec),
            result.evidence
        );
    }
    Ok(())
}

fn known_false_refuted(seed: u64, trials: u64) -> Result<(), TestCaseError> {
    for (claim, dropped) in known_false() {
        let id = claim.id.clone();
        let settings = SearchSettings {
            claims: vec![claim],
            dropped: dropped.map(str::to_string),
            bounds: Bounds::default(),
            limit: Limit::Trials(trials),
            seed,
            jobs: 1,
            all: false,
            policy: PrecisionPolicy::default(),
            budget: Default::default(),
            first: 0,
        };
        let out = search(&settings, &|_, _| {}).unwrap();
        prop_assert_eq!(
            out.found.len(),
            1,
            "{} survived {} cases from seed {}",
            id,
            trials,
            seed
        );
    }
    Ok(())
}

/// Theorems on cases proptest draws by structure: a failure shrinks to a small case (fewer
/// letters, smaller N, ...), and a saved regression is a case, not a generator's seed.
#[test]
fn theorems_hold_on_structured_cases() {
    let applicable = std::cell::Cell::new(0);
    for claim in theorems() {
        // A runner per claim: a runner counts its cases over all its runs.
        proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(24))
            .run(&structured_cases(carry_of(&claim)), |spec| {
                theorem_holds_on(&claim, &spec, &applicable)
            })
            .unwrap_or_else(|e| panic!("{}: {e}", claim.id));
    }
    // Worth something only if the theorems apply on most drawn cases.
    let drawn = 24 * theorems().len();
    assert!(
        applicable.get() * 2 >= drawn,
        "only {} of {drawn} drawn cases were applicable",
        applicable.get()
    );
}

/// Shrinking shrinks the case: a property that fails once N > 3 shrinks to the smallest
/// failing case, N = 4 on two letters with the simplest weights.
#[test]
fn structured_cases_shrink_to_the_smallest_failing_case() {
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(200)
    });
    let failure = runner
        .run(&structured_cases(Carry::default()), |spec| {
            prop_assert!(spec.n.unwrap() <= 3);
            Ok(())
        })
        .unwrap_err();
    let proptest::test_runner::TestError::Fail(_, minimal) = failure else {
        panic!("expected a failing case, got {failure:?}");
    };
    assert_eq!(minimal.n, Some(4));
    assert_eq!(minimal.p.as_deref(), Some("1/2,1/2"));
    assert_eq!(minimal.m, Some(1));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The search generators' cases too (the structured families of `bestofn search`).
    #[test]
    fn theorems_hold_on_generated_cases(seed in any::<u64>(), index in 0u64..1 << 40) {
        theorems_hold(seed, index, &Bounds { k: 2..=4, m: 1..=2, n: 1..=16 })?;
    }

    #[test]
    fn known_false_statements_are_refuted_from_any_seed(seed in any::<u64>()) {
        known_false_refuted(seed, 2000)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    #[ignore = "long run: cargo test --release --test suite properties:: -- --ignored"]
    fn theorems_hold_on_larger_cases(seed in any::<u64>(), index in 0u64..1 << 40) {
        theorems_hold(seed, index, &Bounds { k: 2..=6, m: 1..=3, n: 1..=200 })?;
    }
}

#[test]
fn generated_tilt_cases_reach_the_tilt_claims() {
    // The suite is only worth something if the tilt claims are applicable on generated cases.
    let claim = claims::find_in_catalogue("klrl-closeness").unwrap();
    let needs: Needs = needs_of(std::slice::from_ref(&claim), None);
    let applicable = (0..200)
        .filter(|&i| {
            let spec = gen::case(3, i, &Bounds::default(), needs);
            let r = decide_spec(&spec, &claim, None, PrecisionPolicy::default()).unwrap();
            !matches!(r.verdict, Verdict::NotApplicable { .. })
        })
        .count();
    assert!(applicable >= 40, "only {applicable} of 200 applicable");
}
