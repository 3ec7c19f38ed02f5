//! The exact best-of-N law and the routes that compute it.
//!
//! `pi_N(y) = p(y) / p(C(y)) * (F(y)^N - F-(y)^N)`, where `C(y)` is the reward class of `y`,
//! `F(y) = P(r <= r(y))` and `F-(y) = P(r < r(y))`. Identity-dependent tie-breaks refine the
//! reward order into a total order and apply the same formula.
//!
//! - [`exact`]: the hot path. Outcomes (types or sequences) carry integer numerators over one
//!   shared denominator `D = L^m`, so the law needs only integer powers `S_k^N`; rationals are
//!   built only when a value is read out.
//! - [`reference`](mod@reference): the plain rational formula, generic over [`crate::exact::ExactField`], run
//!   with `num-rational` as the independent second backend.
//! - [`brute`]: enumerates every N-tuple of draws; tiny cases only, for tests.

#[doc(hidden)]
pub mod brute;
pub mod budget;
pub mod enclosed;
pub mod exact;
pub mod functionals;
pub mod outcome;
pub mod reference;
pub mod summary;
pub mod table;

pub use exact::ExactLaw;
pub use outcome::{Outcome, Route};
pub use summary::{LawView, Summary};
pub use table::LawTable;
