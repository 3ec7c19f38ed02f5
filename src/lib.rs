#![warn(missing_docs)]
//! bestofn: the theory of best-of-N alignment, checked with exact arithmetic.
//!
//! Start with [`api`]: `Case::builder()...build()?` gives a [`Checker`], whose `law()` is the
//! exact best-of-N law and whose `check(id)` / `check_statement(expr)` decide claims with
//! their evidence. Errors are [`InputError`]s with an [`ErrorKind`].
//!
//! Layers, lowest first (imports run upward only; the order is in `docs/ARCHITECTURE.md` and
//! a test keeps it): [`error`]; [`exact`] numbers, [`io`]; [`enclosure`] rigorous intervals;
//! [`model`] pmfs, sources, rewards, cases; [`law`] the best-of-N law and its functionals;
//! [`tilt`] tilts and the KL-constrained optimum; [`float`] the float pipelines under judgement;
//! [`spec`] a case as given; [`claims`] the catalogue and the claim language; [`compare`]
//! float against exact; [`casefile`] case files and their expectations; [`search`]
//! counterexample search and exhaustive grids; [`report`] text, JSON, Markdown, SVG;
//! [`testimpl`] testing a program's own best-of-N code; [`api`] the entry point. The binary is
//! a thin shell over them.
//!
//! The same example through the layers (Example 2 of Yang et al., arXiv 2404.01730):
//!
//! ```
//! use bestofn::spec::CaseSpec;
//! use bestofn::law::{ExactLaw, LawTable};
//! use rug::Rational;
//!
//! let spec = CaseSpec {
//!     p: Some("1/5,3/10,1/2".into()),
//!     reward: Some("log:6,1,2".into()),
//!     m: Some(2),
//!     n: Some(2),
//!     ..Default::default()
//! };
//! let (case, route) = spec.resolve()?;
//! let law = LawTable::from_exact(&ExactLaw::compute(&case, route)?, case.k(), case.m());
//! assert_eq!(law.pi_of_sequence(&[0, 0]), Some(Rational::from((49, 625))));
//! assert_eq!(law.marginal(1, 0), Rational::from((209, 625)));
//! // Best-of-N of a memoryless source is not memoryless: 49/625 != (209/625)^2.
//! assert_ne!(law.pi_of_sequence(&[0, 0]).unwrap(), law.marginal(1, 0) * law.marginal(2, 0));
//! # Ok::<(), bestofn::InputError>(())
//! ```

pub mod api;
#[doc(hidden)]
pub mod bench;
pub mod casefile;
pub mod claims;
pub mod compare;
pub mod enclosure;
pub mod error;
pub mod exact;
pub mod float;
pub mod io;
pub mod law;
pub mod model;
pub mod report;
pub mod search;
pub mod spec;
pub mod testimpl;
pub mod tilt;

pub use api::{CaseBuilder, Checker};
pub use error::{ErrorKind, InputError};
