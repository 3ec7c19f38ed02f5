//! The test suite, one binary (one link of GMP/MPFR instead of one per file): each module is
//! one area of the tool, `common` holds the shared helpers (the `Run` builder for the CLI,
//! small random cases).

mod common;

mod architecture;
mod asymptotics;
mod attacks;
mod certificates;
mod claim_language;
mod claims;
mod cli;
mod closed_forms;
mod compare;
mod coq;
mod docs_examples;
mod figure_render;
mod figures;
mod functionals;
mod fuzz_parsers;
mod literature;
mod optimum;
mod properties;
mod python_package;
mod routes_agree;
mod scale;
mod schema;
mod search;
mod selection_rules;
mod test_impl;
mod tilt;
mod tradeoff;
mod typed_core;
