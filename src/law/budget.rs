//! One size check for every exact law, run before any large allocation.
//!
//! The exact law needs the integer powers `S_k^N` (one per reward class) and `D^N`, where
//! `D = L^m` is the shared denominator; each has up to `N * m * bits(L)` bits. Every command
//! that computes a law (law, check, search, exhaust, recheck, tradeoff, compare, bench) goes
//! through [`check_case`] (or `check_number` for a whole search space) first, so a case that
//! would take gigabytes or hours is refused with the estimate instead of aborting in GMP.
//!
//! The budget on one number is a setting of the case ([`SizeBudget`], the `--max-bits` flag),
//! so that a user who knows the machine can raise it; the total is bounded by
//! [`MAX_TOTAL_BITS`].

use crate::error::{InputError, Result};
use crate::law::outcome::Route;
use crate::model::{Case, SizeBudget};

/// Default largest exact integer of a law, in bits (2^27 bits = 16 MiB; about 10 s of work).
pub const DEFAULT_MAX_BITS: u64 = SizeBudget::DEFAULT_MAX_BITS;

/// All powers of one law together, in bits (1 GiB).
pub const MAX_TOTAL_BITS: u128 = 1 << 33;

/// The size of the largest integer of a law with `n` draws over a denominator of
/// `denominator_bits` bits per letter and sequences of length `m`: `N * m * bits(L)`.
pub fn number_bits(n: u64, m: u32, denominator_bits: u64) -> u128 {
    n as u128 * m as u128 * denominator_bits.max(1) as u128
}

/// Refuses a law whose largest integer would exceed the budget; `what` names the case or the
/// search space in the message.
pub fn check_number(
    what: &str,
    n: u64,
    m: u32,
    denominator_bits: u64,
    budget: SizeBudget,
) -> Result<()> {
    let max_bits = budget.max_bits();
    let bits = number_bits(n, m, denominator_bits);
    if bits > max_bits as u128 {
        return Err(InputError::too_large(format!(
            "{what}: the exact law needs integers of about {} (N = {n} x m = {m} x {denominator_bits} \
             bits of the pmf's common denominator), more than the budget of {} (--max-bits {}); \
             reduce N, m or the denominators, or raise --max-bits (work grows faster than the size)",
            human_bits(bits),
            human_bits(max_bits as u128),
            max_bits
        )));
    }
    Ok(())
}

/// Refuses a case whose law would exceed the budget, before anything is enumerated.
pub fn check_case(case: &Case, route: Route) -> Result<()> {
    route.check(case)?;
    let denominator_bits = case.source.pmf.common_denominator_bits();
    check_number("n", case.n, case.m(), denominator_bits, case.budget)?;
    match route {
        Route::Type => case.source.checked_type_count()?,
        Route::Sequence => case.source.checked_sequence_count()?,
    };
    Ok(())
}

/// Work of the num-rational backend: one rational power (with its gcds) of up to
/// `number_bits` bits per outcome. At W1 (496 types, 120,000-bit powers: 6e7 units) it takes
/// about 110 s on this project's 2-core machine, so a unit is about 1.9 microseconds.
pub fn num_work(case: &Case, route: Route) -> u128 {
    let outcomes = route.outcome_count(case).map_or(u128::MAX, u128::from);
    outcomes.saturating_mul(number_bits(
        case.n,
        case.m(),
        case.source.pmf.common_denominator_bits(),
    ))
}

/// Estimated seconds of [`num_work`] units: 1.9 microseconds each, measured at W1 (a rough
/// guide, not a promise; integer arithmetic, as everywhere in this layer).
pub fn num_seconds(work: u128) -> u128 {
    work.saturating_mul(19) / 10_000_000
}

/// Refuses a num-backend run past twice the `--max-bits` budget in work units (the default
/// allows about 8 minutes); returns the work.
pub fn check_num_work(case: &Case, route: Route) -> Result<u128> {
    let work = num_work(case, route);
    let limit = 2 * case.budget.max_bits() as u128;
    if work > limit {
        return Err(InputError::too_large(format!(
            "backend num: this case is about {work} units of rational work (outcomes x bits of \
             N-th powers), an estimated {} s; the limit is {limit} units (twice --max-bits); \
             use --backend rug, or raise --max-bits to go on",
            num_seconds(work)
        )));
    }
    Ok(work)
}

/// Refuses `classes` powers of `number_bits` bits each when together they would not fit.
pub fn check_total(classes: usize, n: u64, m: u32, denominator_bits: u64) -> Result<()> {
    let bits = classes as u128 * number_bits(n, m, denominator_bits);
    if bits > MAX_TOTAL_BITS {
        return Err(InputError::too_large(format!(
            "the exact law needs about {} in all ({classes} reward classes, each a power of {}); \
             the limit is {}: reduce N, m or the pmf's denominators",
            human_bits(bits),
            human_bits(number_bits(n, m, denominator_bits)),
            human_bits(MAX_TOTAL_BITS)
        )));
    }
    Ok(())
}

/// `123 Mbit (15 MiB)` style sizes.
pub fn human_bits(bits: u128) -> String {
    let bytes = bits / 8;
    let size = if bytes >= 1 << 30 {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    };
    format!("{bits} bits ({size})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_beyond_the_budget_and_names_the_flag() {
        let budget = SizeBudget::default();
        assert!(check_number("n", 1000, 30, 4, budget).is_ok());
        let e = check_number("n", 4_294_967_295, 1, 2, budget)
            .unwrap_err()
            .message()
            .to_string();
        assert!(
            e.contains("--max-bits") && e.contains("N = 4294967295"),
            "{e}"
        );
        assert!(SizeBudget::new(1).is_err());
        assert!(SizeBudget::new(1 << 40).is_err());
        // A budget is the case's: a smaller one refuses what the default allows.
        assert!(check_number("n", 1000, 30, 4, SizeBudget::new(64).unwrap()).is_err());
        assert!(check_total(1891, 10_000, 60, 4).is_ok());
        assert!(check_total(1 << 20, 1 << 20, 1, 64).is_err());
    }
}
