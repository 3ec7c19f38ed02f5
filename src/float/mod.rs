//! Float pipelines: best-of-N computed the way a float-based implementation computes it, so
//! that [`crate::compare`] can judge the result against the exact layer.
//!
//! Everything here rounds to nearest on purpose: rewards are `ln w` per letter summed in
//! sequence order, ties are float equality, the law is the textbook formula evaluated in
//! floats, and claims are decided by float comparisons. Nothing is converted from the exact
//! code at the end. The results leave as exact dyadic rationals (every finite float is one) or
//! as named non-finite values, so the errors measured downstream are exact differences.
//!
//! Architecture invariant: this is the only module below `report` that computes in floats, and
//! it never feeds anything back into the exact or enclosure layers.

pub mod arith;
pub mod pipeline;

pub use arith::{Arith, FloatOut, FloatValue};
pub use pipeline::{run, FloatRun, FloatVerdict, TiltRun};
