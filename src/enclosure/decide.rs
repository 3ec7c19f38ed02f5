//! Deciding a comparison of two real quantities from enclosures: evaluate at a precision,
//! and if the enclosures overlap, double the precision and evaluate again, up to a cap. At the
//! cap the answer is `Undecided`, with the last enclosures as evidence. Never a guess.

use std::cmp::Ordering;

use crate::enclosure::Interval;

/// Start and cap of the precision ladder, in bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrecisionPolicy {
    /// The first precision, in bits.
    pub start: u32,
    /// The last precision: past it a comparison is undecided.
    pub cap: u32,
}

impl PrecisionPolicy {
    /// The largest cap accepted (a 2^20-bit enclosure end is 128 KiB; past that one
    /// comparison would take minutes).
    pub const MAX_BITS: u32 = 1 << 20;

    /// The ladder `start, 2 start, ...` up to `cap`, checked by the one rule every command
    /// applies: `2 <= start <= cap <= 2^20`.
    pub fn new(start: u32, cap: u32) -> crate::error::Result<PrecisionPolicy> {
        if start < 2 || cap < start || cap > Self::MAX_BITS {
            return Err(crate::error::InputError::new(format!(
                "prec: need 2 <= --prec-start <= --prec-cap <= {} (got --prec-start {start}, --prec-cap {cap})",
                Self::MAX_BITS
            )));
        }
        Ok(PrecisionPolicy { start, cap })
    }
}

impl Default for PrecisionPolicy {
    fn default() -> Self {
        PrecisionPolicy {
            start: 64,
            cap: 4096,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// How two enclosed quantities compare.
pub enum Decision {
    /// Every value of the left enclosure is below every value of the right one.
    Less,
    /// Both enclosures are the same single point: the quantities are exactly equal.
    Equal,
    /// Every value of the left enclosure is above every value of the right one.
    Greater,
    /// The enclosures still overlapped at the cap.
    Undecided,
}

/// A decision with its evidence: the enclosures at the precision that decided (or the cap).
#[derive(Debug, Clone)]
pub struct DecisionOutcome {
    /// The decision.
    pub decision: Decision,
    /// The left quantity's enclosure at the deciding precision.
    pub left: Interval,
    /// The right quantity's enclosure.
    pub right: Interval,
    /// The precision that decided (or the cap).
    pub prec: u32,
}

/// Compares `evaluate(prec).0` with `evaluate(prec).1`, raising precision until the
/// enclosures separate or the cap is reached.
pub fn decide(
    policy: PrecisionPolicy,
    mut evaluate: impl FnMut(u32) -> (Interval, Interval),
) -> DecisionOutcome {
    let mut prec = policy.start.max(2);
    loop {
        let (left, right) = evaluate(prec);
        let decision = match left.certified_cmp(&right) {
            Some(Ordering::Less) => Decision::Less,
            Some(Ordering::Greater) => Decision::Greater,
            Some(Ordering::Equal) => Decision::Equal,
            None => Decision::Undecided,
        };
        if decision != Decision::Undecided || prec >= policy.cap {
            return DecisionOutcome {
                decision,
                left,
                right,
                prec,
            };
        }
        prec = prec.saturating_mul(2).min(policy.cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rug::Rational;

    #[test]
    fn raises_precision_until_separated() {
        // ln(1 + 2^-100) > 0 needs more than 64 bits to separate from 0 after the conversion.
        let tiny = Rational::from(1) + Rational::from((1, rug::Integer::from(1) << 100));
        let out = decide(PrecisionPolicy::default(), |prec| {
            (
                Interval::ln_of(&tiny, prec).unwrap(),
                Interval::from_rational(&Rational::new(), prec),
            )
        });
        assert_eq!(out.decision, Decision::Greater);
        assert!(out.prec > 64, "decided at {}", out.prec);
    }

    #[test]
    fn equal_quantities_stay_undecided_at_the_cap() {
        // ln 4 against 2 ln 2: equal, so no precision separates them.
        let policy = PrecisionPolicy {
            start: 64,
            cap: 512,
        };
        let out = decide(policy, |prec| {
            let ln2 = Interval::ln_of(&Rational::from(2), prec).unwrap();
            (
                Interval::ln_of(&Rational::from(4), prec).unwrap(),
                ln2.add(&ln2),
            )
        });
        assert_eq!(out.decision, Decision::Undecided);
        assert_eq!(out.prec, 512);
    }
}
