//! What a comparison finds about one float arithmetic: errors per quantity, lost and invented
//! ties, non-finite values and wrong verdicts.

use rug::{Float, Rational};

use crate::claims::{Evidence, Verdict};
use crate::enclosure::Interval;
use crate::float::Arith;

/// A size of error: exact, or enclosed.
#[derive(Debug, Clone, PartialEq)]
pub enum Amount {
    /// Known exactly.
    Exact(Rational),
    /// Known by a rigorous enclosure.
    Enclosed(Interval),
}

impl Amount {
    /// An upper bound, rounded up (for ranking errors; exact comparison of MPFR floats).
    pub fn upper(&self) -> Float {
        match self {
            Amount::Exact(r) => Interval::from_rational(r, 64).hi().clone(),
            Amount::Enclosed(i) => i.hi().clone(),
        }
    }

    /// An enclosure at 64 bits.
    pub fn enclosure(&self) -> Interval {
        match self {
            Amount::Exact(r) => Interval::from_rational(r, 64),
            Amount::Enclosed(i) => i.clone(),
        }
    }

    /// Whether the error is certainly zero.
    pub fn is_zero(&self) -> bool {
        match self {
            Amount::Exact(r) => r.cmp0().is_eq(),
            Amount::Enclosed(i) => i.hi().is_zero(),
        }
    }
}

/// The error of one entry.
#[derive(Debug, Clone)]
pub struct EntryError {
    /// The entry (an outcome, a letter, a quantity's name).
    pub entry: String,
    /// `|float - exact|`.
    pub abs: Amount,
    /// `None` when the exact value is 0 (or its enclosure contains 0).
    pub rel: Option<Amount>,
}

/// Errors of one quantity over its entries.
#[derive(Debug, Clone)]
pub struct QuantityErrors {
    /// The quantity's name (`pi`, `kl`, `winrate`, ...).
    pub name: &'static str,
    /// How many entries it has.
    pub entries: usize,
    /// Entries with a finite float value (the others are in `nonfinite`).
    pub finite_entries: usize,
    /// The entry with the largest absolute error.
    pub max_abs: Option<EntryError>,
    /// The entry with the largest relative error.
    pub max_rel: Option<EntryError>,
}

/// Two outcomes whose tie the float run got wrong.
#[derive(Debug, Clone)]
pub struct TieFailure {
    /// The two outcomes.
    pub outcomes: [Vec<u32>; 2],
    /// Exact rewards (`ln(10) in [..]` or a rational); equal for a lost tie.
    pub exact_rewards: [String; 2],
    /// Float rewards as printed; equal for an invented tie.
    pub float_rewards: [String; 2],
    /// Outcomes in the exact class (lost) or float class (invented).
    pub members: usize,
    /// Float classes the exact class splits into (lost), exact classes merged (invented).
    pub parts: usize,
}

/// A float value that is 0, infinite or NaN where the exact value is not.
#[derive(Debug, Clone)]
pub struct Nonfinite {
    /// The quantity.
    pub quantity: &'static str,
    /// The entry.
    pub entry: String,
    /// The float value as printed.
    pub float: String,
    /// What is wrong with it.
    pub kind: Degenerate,
    /// The exact value (or its enclosure).
    pub exact: ExactDescription,
}

/// How a float value degenerated where the exact value did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degenerate {
    /// 0 where the exact value is positive: an underflow.
    Zero,
    /// Plus or minus infinity.
    Infinite,
    /// Not a number.
    NaN,
}

impl Degenerate {
    /// The kind as reports name it.
    pub fn name(self) -> &'static str {
        match self {
            Degenerate::Zero => "zero",
            Degenerate::Infinite => "infinite",
            Degenerate::NaN => "nan",
        }
    }

    /// The kind for a sentence: "0 (underflow)", "infinite", "NaN".
    pub fn words(self) -> &'static str {
        match self {
            Degenerate::Zero => "0 (an underflow)",
            Degenerate::Infinite => "infinite",
            Degenerate::NaN => "NaN",
        }
    }
}

/// An exact value for a report: a rational, or an enclosure's decimal ends (rounded outward),
/// or (for expected counts of a sampler) a rounded decimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExactDescription {
    /// Exact: JSON gives it in full, text by its leading digits when huge.
    Rational(rug::Rational),
    /// A decimal rounded for people, not exact.
    Decimal(String),
    /// An enclosure of a logarithm's value.
    Enclosure {
        /// The lower end, rounded down.
        lo: String,
        /// The upper end, rounded up.
        hi: String,
    },
}

impl std::fmt::Display for ExactDescription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExactDescription::Rational(r) => f.write_str(&crate::exact::decimal::brief(r)),
            ExactDescription::Decimal(d) => f.write_str(d),
            ExactDescription::Enclosure { lo, hi } => write!(f, "[{lo}, {hi}]"),
        }
    }
}

/// A claim as the float run decides it, beside the certified verdict.
#[derive(Debug, Clone)]
pub struct VerdictComparison {
    /// The claim's id.
    pub claim: std::borrow::Cow<'static, str>,
    /// The verdict certified by the exact side.
    pub certified: Verdict,
    /// The certified verdict's evidence (exact values or enclosures, with the precision).
    pub certified_evidence: Evidence,
    /// Whether the float run finds the claim holding.
    pub float_holds: bool,
    /// The float values compared, and how.
    pub float_detail: String,
}

impl VerdictComparison {
    /// The float run decides a decided claim the other way.
    pub fn is_wrong(&self) -> bool {
        matches!(
            (&self.certified, self.float_holds),
            (Verdict::Holds, false) | (Verdict::Fails, true)
        )
    }
}

/// Everything `compare` reports about one float arithmetic.
#[derive(Debug, Clone)]
pub struct ArithComparison {
    /// The arithmetic (`f64`, `mpfr:P`).
    pub arith: Arith,
    /// Errors per quantity.
    pub quantities: Vec<QuantityErrors>,
    /// Exact ties the floats split.
    pub lost_ties: Vec<TieFailure>,
    /// Float ties that are not exact ties.
    pub invented_ties: Vec<TieFailure>,
    /// 0, infinity or NaN where the exact value is positive and finite.
    pub nonfinite: Vec<Nonfinite>,
    /// Each claim decided in floats beside its certified verdict.
    pub verdicts: Vec<VerdictComparison>,
    /// Largest `|pi_float - pi|` over the outcomes of exact classes the floats split.
    pub lost_tie_pi_change: Option<EntryError>,
    /// Largest `|pi_float - pi|` over the outcomes of float classes that merge exact ones.
    pub invented_tie_pi_change: Option<EntryError>,
}

impl ArithComparison {
    /// The claims the float run decides the other way.
    pub fn wrong_verdicts(&self) -> impl Iterator<Item = &VerdictComparison> {
        self.verdicts.iter().filter(|v| v.is_wrong())
    }

    /// Lost or invented ties, non-finite values or wrong verdicts.
    pub fn is_qualitatively_wrong(&self) -> bool {
        !self.lost_ties.is_empty()
            || !self.invented_ties.is_empty()
            || !self.nonfinite.is_empty()
            || self.wrong_verdicts().next().is_some()
    }

    /// The failure kinds present, by the names case files use.
    pub fn failure_kinds(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        if !self.lost_ties.is_empty() {
            kinds.push("lost-ties");
        }
        if !self.invented_ties.is_empty() {
            kinds.push("invented-ties");
        }
        if !self.nonfinite.is_empty() {
            kinds.push("nonfinite");
        }
        if self.wrong_verdicts().next().is_some() {
            kinds.push("wrong-verdicts");
        }
        kinds
    }

    /// The errors of the quantity named `name`.
    pub fn quantity(&self, name: &str) -> Option<&QuantityErrors> {
        self.quantities.iter().find(|q| q.name == name)
    }
}

/// The failure kinds a case file may expect (`[expected_compare]`).
pub const FAILURE_KINDS: &[&str] = &["lost-ties", "invented-ties", "nonfinite", "wrong-verdicts"];
