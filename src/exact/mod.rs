//! Exact numbers: parsing, the two rational backends, exact decimal rendering.
//!
//! Architecture invariant: nothing in this layer (or the model and law layers above it) computes
//! with floats. The only float here is an exponent *estimate* in `decimal`, corrected exactly.

pub mod decimal;
pub mod field;
pub mod parse;
pub mod radical;

pub use field::ExactField;
pub use parse::{parse_rational, parse_rational_list};
