//! Subcommands that have grown beyond a few lines, kept out of main.rs.

pub mod compare;
pub mod figures;
pub mod search;
