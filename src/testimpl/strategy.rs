//! proptest strategies over cases, for property tests of one's own best-of-N code: the case is
//! drawn by structure (K, p as a composition, per-letter rewards with ties, m, N), so proptest
//! shrinks the case itself.
//!
//! ```
//! use bestofn::testimpl::{assert_law_close, strategy};
//! use proptest::prelude::*;
//!
//! // "My" best-of-N law: the exact one, here; yours would be under test.
//! fn my_law(case: &bestofn::model::Case) -> Vec<f64> {
//!     let law = bestofn::law::ExactLaw::compute(case, bestofn::law::Route::Sequence).unwrap();
//!     (0..law.len()).map(|o| law.pi(o).to_f64()).collect()
//! }
//!
//! proptest!(ProptestConfig::with_cases(16), |(spec in strategy::cases())| {
//!     let (case, _) = spec.resolve().unwrap();
//!     prop_assert!(assert_law_close(&case, &my_law(&case), 1e-12, 1e-15).is_ok());
//! });
//! ```

use proptest::prelude::*;

use crate::spec::CaseSpec;

/// Cases with K in 2..=4, m in 1..=2, N in 1..=6, p with positive entries in small multiples,
/// additive rewards in 0..=3 (so ties are frequent), uniform tie-breaking.
pub fn cases() -> impl Strategy<Value = CaseSpec> {
    (2usize..=4)
        .prop_flat_map(|k| {
            (
                proptest::collection::vec(1u32..=6, k),
                proptest::collection::vec(0u32..=3, k),
                1u32..=2,
                1u64..=6,
            )
        })
        .prop_map(|(weights, rewards, m, n)| {
            let total: u32 = weights.iter().sum();
            CaseSpec {
                p: Some(
                    weights
                        .iter()
                        .map(|w| format!("{w}/{total}"))
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                reward: Some(format!(
                    "additive:{}",
                    rewards
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(",")
                )),
                m: Some(m),
                n: Some(n),
                tie_break: Some("uniform".into()),
                ..Default::default()
            }
        })
}
