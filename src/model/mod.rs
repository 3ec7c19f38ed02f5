//! The model: pmfs, memoryless sources and their types, rewards, tie-breaking, and the case
//! that bundles them.

pub mod case;
pub mod pmf;
pub mod reward;
pub mod source;
pub mod tiebreak;

pub use case::{Case, SizeBudget};
pub use pmf::Pmf;
pub use reward::Reward;
pub use source::Memoryless;
pub use tiebreak::TieBreak;
