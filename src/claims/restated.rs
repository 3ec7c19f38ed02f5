//! The catalogue claims that are one scalar statement, restated in the claim language
//! (docs/claim-language.md). Each is decided by [`crate::claims::expr::decide`] exactly like a
//! user's `--assert`: exact where no logarithm is involved, rigorous enclosures otherwise,
//! sums over outcomes by type with multiplicities whenever the law goes by type.
//!
//! Sources, claim by claim:
//! - `bon-kl-le-log-n`: Yang et al., "Asymptotics of Language Model Alignment"
//!   (arXiv 2404.01730), Section 4, Lemma 6 (a corollary of Beirami et al., arXiv 2401.01879).
//! - `bon-kl-formula-exact`: the formula as used in the alignment literature, disproved by
//!   Beirami et al., "Theoretical guarantees on the best-of-n alignment policy"
//!   (arXiv 2401.01879), abstract.
//! - `bon-kl-le-formula`: Beirami et al. (arXiv 2401.01879), Theorem 3.1 in v3.
//! - `bon-kl-gap-bound`: Beirami et al., Theorem 3.4 in v3, second-hand (from a summary; it may
//!   be mis-transcribed, which is what this check can reveal).
//! - `bon-kl-le-log-inv-eps`: Beirami et al., the bound by the top reward class's mass
//!   `eps_inf` (true: `pi_N / p <= 1/eps_inf` pointwise under uniform tie-breaking).
//! - `bon-kl-monotone-in-n`: Beirami et al., KL of best-of-N is non-decreasing in N.
//! - `bon-kl-estimator-bounds`, `bon-kl-estimator-conjecture`: Beirami et al., Eq. 25 in v3
//!   and the conjecture after it, second-hand: the estimator `d_N(eps)` with `eps` the
//!   reference probability of the returned sample.
//! - `bon-winrate-le`: Beirami et al., Theorem 5.3 in v3 (ties count half).
//! - `bon-winrate-gap-bound`: Beirami et al., Theorem 5.4 in v3, second-hand.
//! - `bon-chi2-bound`: the f-divergence bound `int_0^1 f(N u^(N-1)) du` for best-of-N with
//!   `f(t) = (t-1)^2` (Mroueh 2024; BoNBoN, Gui et al. 2024).
//! - `bon-renyi-bound`: the same bound for the Renyi divergence of orders 2 and 3 (Mroueh
//!   2024; Gui et al. 2024).

use std::borrow::Cow;

use crate::claims::expr::DISTINCT_REWARDS;
use crate::claims::support::UNIFORM_TIE_BREAK;
use crate::claims::{Claim, Decider, Method, Status};

/// The estimator `d_N(eps)` of Eq. 25 at `eps = p(y)`, as printed; `d_N(1) = 0` (the
/// printed form has `0 * log 0` there).
macro_rules! estimator_at_p {
    () => {
        "if(p(y) == 1, 0, (1 - p(y))^N * (log(N) + (N - 1)*log(1 - p(y)) - (N - 1)/N) + (1 - (1 - p(y))^N)*log((1 - (1 - p(y))^N)/p(y)))"
    };
}

/// `E_{y ~ pi_N}[d_N(p(y))]`, the estimator's expectation (compare measures it in floats).
pub const EXPECTED_ESTIMATOR: &str = concat!("E_y(bon, ", estimator_at_p!(), ")");

/// The literature's formula for `KL(pi_N || p)`.
macro_rules! kl_formula {
    () => {
        "log(N) - (N - 1)/N"
    };
}

const fn restated(
    id: &'static str,
    source: &'static str,
    statement: &'static str,
    hypotheses: &'static [crate::claims::Hypothesis],
    method: Method,
    status: Status,
) -> Claim {
    Claim {
        id: Cow::Borrowed(id),
        source: Cow::Borrowed(source),
        statement: Cow::Borrowed(statement),
        hypotheses: Cow::Borrowed(hypotheses),
        method,
        uses_n: true,
        decide: Decider::Statement(statement),
        status,
    }
}

/// `kl(bon, p) <= log(N)` (Yang et al., Lemma 6).
pub const BON_KL_LE_LOG_N: Claim = restated(
    "bon-kl-le-log-n",
    "arXiv 2404.01730 (Yang et al.), Lemma 6",
    "kl(bon, p) <= log(N)",
    &[],
    Method::Enclosure,
    Status::Theorem,
);

/// `KL = log N - (N - 1)/N` exactly: the literature's formula, disproved by Beirami et al.
pub const BON_KL_FORMULA_EXACT: Claim = restated(
    "bon-kl-formula-exact",
    "arXiv 2401.01879 (Beirami et al.), abstract: the literature's formula, disproved there",
    concat!("kl(bon, p) == ", kl_formula!()),
    &[],
    Method::Enclosure,
    Status::KnownFalse,
);

/// `KL <= log N - (N - 1)/N` (Beirami et al., Theorem 3.1).
pub const BON_KL_LE_FORMULA: Claim = restated(
    "bon-kl-le-formula",
    "arXiv 2401.01879 (Beirami et al.), Theorem 3.1 (v3)",
    concat!("kl(bon, p) <= ", kl_formula!()),
    &[],
    Method::Enclosure,
    Status::Theorem,
);

/// The gap bound of Beirami et al., Theorem 3.4 (second-hand): proved there under
/// Assumption 2.1 (no ties), refuted with tied rewards.
pub const BON_KL_GAP_BOUND: Claim = restated(
    "bon-kl-gap-bound",
    "arXiv 2401.01879 (Beirami et al.), Theorem 3.4 (v3), second-hand; Assumption 2.1",
    concat!(kl_formula!(), " - kl(bon, p) <= 2*N*(N - 1)*sum_y(p(y)^2)"),
    &[DISTINCT_REWARDS],
    Method::Enclosure,
    Status::TheoremRefutedWithout("distinct-rewards", "cases/tied-rewards-gap-bounds.toml"),
);

/// `kl(bon, p) <= log(1/eps_inf)`, the bound by the top reward class.
pub const BON_KL_LE_LOG_INV_EPS: Claim = restated(
    "bon-kl-le-log-inv-eps",
    "arXiv 2401.01879 (Beirami et al.), bound by the top reward class",
    "kl(bon, p) <= log(1/eps_inf)",
    &[UNIFORM_TIE_BREAK],
    Method::Enclosure,
    Status::Theorem,
);

/// `KL(pi_N || p) <= KL(pi_{N+1} || p)`: monotone in N.
pub const BON_KL_MONOTONE_IN_N: Claim = restated(
    "bon-kl-monotone-in-n",
    "arXiv 2401.01879 (Beirami et al.), monotonicity in N",
    "kl(bon, p) <= kl(bon(N + 1), p)",
    &[],
    Method::Enclosure,
    Status::Theorem,
);

/// The bounds on the estimator of Beirami et al., Eq. 25 (second-hand).
pub const BON_KL_ESTIMATOR_BOUNDS: Claim = restated(
    "bon-kl-estimator-bounds",
    "arXiv 2401.01879 (Beirami et al.), Eq. 25 (v3), second-hand",
    concat!(
        "forall_y(bon(y) > 0 implies (0 <= ",
        estimator_at_p!(),
        " and ",
        estimator_at_p!(),
        " <= ",
        kl_formula!(),
        "))"
    ),
    &[],
    Method::Enclosure,
    Status::Unsettled,
);

/// The estimator's conjectured bound (Beirami et al., Eq. 25 and its conjecture).
pub const BON_KL_ESTIMATOR_CONJECTURE: Claim = restated(
    "bon-kl-estimator-conjecture",
    "arXiv 2401.01879 (Beirami et al.), Eq. 25 (v3) and its conjecture, second-hand",
    concat!("E_y(bon, ", estimator_at_p!(), ") >= kl(bon, p)"),
    &[],
    Method::Enclosure,
    Status::Unsettled,
);

/// `winrate(bon, p) <= N/(N + 1)` (Beirami et al., Theorem 5.3). It holds under every
/// tie-break (a win rate reads only the law of the reward class, which a tie-break does not
/// change): the paper's uniform tie-break is more than it needs, so none is required here.
pub const BON_WINRATE_LE: Claim = restated(
    "bon-winrate-le",
    "arXiv 2401.01879 (Beirami et al.), Theorem 5.3 (v3)",
    "winrate(bon, p) <= N/(N + 1)",
    &[],
    Method::Exact,
    Status::Theorem,
);

/// The win-rate gap bound (Beirami et al., Theorem 5.4, second-hand): proved under
/// Assumption 2.1 (no ties), refuted with ties. A win rate reads only the law of the reward
/// class, which no tie-break changes, so no tie-break hypothesis is needed.
pub const BON_WINRATE_GAP_BOUND: Claim = restated(
    "bon-winrate-gap-bound",
    "arXiv 2401.01879 (Beirami et al.), Theorem 5.4 (v3), second-hand; Assumption 2.1",
    "N/(N + 1) - winrate(bon, p) <= (N - 1)/2*sum_y(p(y)^2)",
    &[DISTINCT_REWARDS],
    Method::Exact,
    Status::TheoremRefutedWithout("distinct-rewards", "cases/tied-rewards-gap-bounds.toml"),
);

/// `chi2(bon, p) <= (N - 1)^2/(2N - 1)`.
pub const BON_CHI2_BOUND: Claim = restated(
    "bon-chi2-bound",
    "Mroueh 2024; Gui et al. 2024 (BoNBoN): f-divergence bound, f(t) = (t-1)^2",
    "chi2(bon, p) <= (N - 1)^2/(2*N - 1)",
    &[],
    Method::ExactByEnclosure,
    Status::Theorem,
);

/// The Renyi bounds of orders 2 and 3.
pub const BON_RENYI_BOUND: Claim = restated(
    "bon-renyi-bound",
    "Mroueh 2024; Gui et al. 2024 (BoNBoN): Renyi bound of best-of-N",
    "renyi(2, bon, p) <= log(N^2/(2*(N - 1) + 1)) and renyi(3, bon, p) <= log(N^3/(3*(N - 1) + 1))/2",
    &[],
    Method::Enclosure,
    Status::Theorem,
);

/// All restated claims, in catalogue order.
pub const ALL: &[&Claim] = &[
    &BON_KL_LE_LOG_N,
    &BON_KL_FORMULA_EXACT,
    &BON_KL_LE_FORMULA,
    &BON_KL_GAP_BOUND,
    &BON_KL_LE_LOG_INV_EPS,
    &BON_KL_MONOTONE_IN_N,
    &BON_KL_ESTIMATOR_BOUNDS,
    &BON_KL_ESTIMATOR_CONJECTURE,
    &BON_WINRATE_LE,
    &BON_WINRATE_GAP_BOUND,
    &BON_CHI2_BOUND,
    &BON_RENYI_BOUND,
];
