//! What a claim sees: the case, the precision policy, and the laws it needs, computed once.

use std::sync::OnceLock;

use crate::enclosure::PrecisionPolicy;
use crate::error::Result;
use crate::law::{ExactLaw, LawTable, Route};
use crate::model::Case;
use crate::spec::CaseSpec;
use crate::tilt::TiltParams;

/// A case with everything claims need, the laws computed at most once and shared.
pub struct Context {
    /// The case the claims are decided on.
    pub case: Case,
    /// The precision ladder of enclosures.
    pub policy: PrecisionPolicy,
    /// The tilt parameters (q, alpha, beta, delta) the tilt claims read.
    pub tilt: TiltParams,
    law: OnceLock<std::result::Result<ExactLaw, crate::InputError>>,
    law_next: OnceLock<std::result::Result<ExactLaw, crate::InputError>>,
    by_sequence: OnceLock<std::result::Result<LawTable, crate::InputError>>,
    /// The outcomes the claim language evaluates over, shared by every statement on this case.
    pub(crate) expression_outcomes:
        std::cell::OnceCell<std::rc::Rc<crate::claims::expr::eval::Outcomes>>,
}

impl Context {
    /// A context for `case`; its laws are computed on first use.
    pub fn new(case: Case, policy: PrecisionPolicy) -> Context {
        Context {
            case,
            policy,
            tilt: TiltParams::default(),
            law: OnceLock::new(),
            law_next: OnceLock::new(),
            by_sequence: OnceLock::new(),
            expression_outcomes: std::cell::OnceCell::new(),
        }
    }

    /// A context for a spec as given: its case resolved and validated, its tilt parameters.
    pub fn from_spec(spec: &CaseSpec, policy: PrecisionPolicy) -> Result<Context> {
        let (case, _) = spec.resolve()?;
        Ok(Context::new(case, policy).with_tilt(spec.tilt()?))
    }

    /// The same context with tilt parameters (`q`, `alpha`, `beta`).
    pub fn with_tilt(mut self, tilt: TiltParams) -> Context {
        self.tilt = tilt;
        self
    }

    /// `q` for the tilt claims: the given one, else the weights of a `log` reward.
    pub fn q(&self) -> Option<Vec<rug::Rational>> {
        self.tilt.q_for(&self.case.reward)
    }

    /// The law of the case, by the default route.
    pub fn law(&self) -> Result<&ExactLaw> {
        self.law
            .get_or_init(|| ExactLaw::compute(&self.case, Route::default_for(&self.case)))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The law of the same case with N + 1 draws.
    pub fn law_next(&self) -> Result<&ExactLaw> {
        self.law_next
            .get_or_init(|| {
                let mut next = self.case.clone();
                next.n += 1;
                ExactLaw::compute(&next, Route::default_for(&next))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The law per sequence (K^m outcomes, within the sequence limit).
    pub fn by_sequence(&self) -> Result<&LawTable> {
        self.by_sequence
            .get_or_init(|| {
                let law = ExactLaw::compute(&self.case, Route::Sequence)?;
                Ok(LawTable::from_exact(&law, self.case.k(), self.case.m()))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The number of draws N.
    pub fn n(&self) -> u64 {
        self.case.n
    }
}
