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

/// What a structured case must carry besides p, the reward, m and N (the claims' needs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Carry {
    /// An alignment distribution q (the reward is then `log q`) and exponents alpha, beta.
    pub tilt: bool,
    /// An alignment distribution q and a per-letter KL budget delta.
    pub budget: bool,
    /// Lexicographic tie-breaks as well as uniform ones.
    pub lex: bool,
}

fn join<T: ToString>(items: &[T]) -> String {
    items.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

/// `weights / their sum`: a pmf with positive entries, as a composition of the total.
fn pmf_text(weights: &[u32]) -> String {
    let total: u32 = weights.iter().sum();
    join(
        &weights
            .iter()
            .map(|w| format!("{w}/{total}"))
            .collect::<Vec<_>>(),
    )
}

/// Cases drawn by their structure, so that proptest shrinks the case itself (fewer letters,
/// smaller weights, rewards towards ties, shorter m, smaller N, uniform ties, simpler
/// exponents): K in 2..=4; p a composition with parts in 1..=6; an additive reward in 0..=3
/// or a `log` reward with weights in {1, 2, 4, 8} (ties across types such as
/// `log 4 = 2 log 2`); m in 1..=2; N in 1..=16; the tie-break uniform, or lexicographic when
/// `carry.lex`; q, alpha, beta, delta when `carry` asks for them (the reward is then `log q`).
pub fn structured_cases(carry: Carry) -> impl Strategy<Value = CaseSpec> {
    let tie_breaks: Vec<&'static str> = if carry.lex {
        vec!["uniform", "lex-min", "lex-max"]
    } else {
        vec!["uniform"]
    };
    (2usize..=4)
        .prop_flat_map(move |k| {
            (
                proptest::collection::vec(1u32..=6, k),
                prop_oneof![
                    proptest::collection::vec(0u32..=3, k)
                        .prop_map(|v| format!("additive:{}", join(&v))),
                    proptest::collection::vec(0u32..=3, k).prop_map(|v| format!(
                        "log:{}",
                        join(&v.iter().map(|e| 1u32 << e).collect::<Vec<_>>())
                    )),
                ],
                proptest::collection::vec(1u32..=6, k),
                1u32..=2,
                1u64..=16,
                proptest::sample::select(tie_breaks.clone()),
                (1i32..=4, 1i32..=4, 1u32..=50),
            )
        })
        .prop_map(
            move |(weights, reward, q, m, n, tie_break, (alpha, beta, delta))| {
                let mut spec = CaseSpec {
                    p: Some(pmf_text(&weights)),
                    reward: Some(reward),
                    m: Some(m),
                    n: Some(n),
                    tie_break: Some(tie_break.to_string()),
                    ..Default::default()
                };
                if carry.tilt || carry.budget {
                    // The papers' setting: the reward is log q.
                    spec.q = Some(pmf_text(&q));
                    spec.reward = None;
                }
                if carry.tilt {
                    spec.alpha = Some(format!("{alpha}/2"));
                    spec.beta = Some(format!("{beta}/3"));
                }
                if carry.budget {
                    spec.delta = Some(format!("{delta}/100"));
                }
                spec
            },
        )
}
