//! bestofn: the theory of best-of-N alignment, checked with exact arithmetic.
//!
//! Layers, lowest first (data flows upward only; see `docs/ARCHITECTURE.md`):
//! [`exact`] numbers, [`model`] pmfs/sources/rewards/cases, [`law`] the best-of-N law,
//! [`casefile`] reading case files, [`report`] rendering results. The binary is a thin shell.

pub mod bench;
pub mod casefile;
pub mod error;
pub mod exact;
pub mod law;
pub mod model;
pub mod report;

pub use error::InputError;
