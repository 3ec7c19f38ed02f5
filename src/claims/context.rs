//! What a claim sees: the case, the precision policy, and the laws it needs, computed once.

use std::sync::OnceLock;

use crate::enclosure::PrecisionPolicy;
use crate::error::Result;
use crate::law::{ExactLaw, LawTable, Route};
use crate::model::Case;
use crate::spec::CaseSpec;
use crate::tilt::TiltParams;

/// One step of a long precision ladder, for whoever watches it (the CLI prints it): the
/// statement is still undecided at `done_bits` after `elapsed`, and is about to try
/// `next_bits`, estimated to take `next`, and `to_cap` more up to the cap.
#[derive(Debug, Clone)]
pub struct LadderStep {
    /// The statement (its text).
    pub statement: String,
    /// The precision just tried, in bits.
    pub done_bits: u32,
    /// The precision about to be tried.
    pub next_bits: u32,
    /// The cap.
    pub cap_bits: u32,
    /// Time spent on the ladder so far.
    pub elapsed: std::time::Duration,
    /// Estimated time of the next rung (about 3.2 times the last: products and logarithms
    /// cost about n^1.6 at n bits).
    pub next: std::time::Duration,
    /// Estimated time of every rung left up to the cap.
    pub to_cap: std::time::Duration,
}

/// A watcher of long precision ladders: told of every rung once the ladder has run for
/// `after` and the rest of it is estimated to take at least `at_least`.
#[derive(Clone)]
pub struct LadderWatch {
    /// How long a ladder runs before it is worth telling about.
    pub after: std::time::Duration,
    /// The shortest estimate (to the cap) worth telling.
    pub at_least: std::time::Duration,
    /// What to do with a step (the CLI prints it).
    pub tell: std::sync::Arc<dyn Fn(&LadderStep) + Send + Sync>,
}

/// A case with everything claims need, the laws computed at most once and shared.
pub struct Context {
    /// The case the claims are decided on.
    pub case: Case,
    /// The precision ladder of enclosures.
    pub policy: PrecisionPolicy,
    /// The tilt parameters (q, alpha, beta, delta) the tilt claims read.
    pub tilt: TiltParams,
    /// How the laws go: by type (the default where ties are uniform) or by sequence (lex
    /// tie-breaks, and statements that read positions: [`Context::by_sequences`]).
    route: Route,
    law: OnceLock<std::result::Result<ExactLaw, crate::InputError>>,
    law_next: OnceLock<std::result::Result<ExactLaw, crate::InputError>>,
    by_sequence: OnceLock<std::result::Result<LawTable, crate::InputError>>,
    /// Told of every rung of a ladder expected to take more than a second or two.
    pub watch: Option<LadderWatch>,
    /// Whether a statement that holds carries its evidence (searches and grids, which only
    /// count such cases, turn it off: the sides of a case that holds are never shown).
    pub evidence_of_holds: bool,
    /// The outcomes the claim language evaluates over, shared by every statement on this case.
    pub(crate) expression_outcomes:
        std::cell::OnceCell<std::rc::Rc<crate::claims::expr::eval::Outcomes>>,
    /// The same case with its laws per sequence, for statements that read positions.
    sequences: std::cell::OnceCell<Box<Context>>,
}

impl Context {
    /// A context for `case`; its laws are computed on first use.
    pub fn new(case: Case, policy: PrecisionPolicy) -> Context {
        Context {
            route: Route::default_for(&case),
            case,
            policy,
            tilt: TiltParams::default(),
            law: OnceLock::new(),
            law_next: OnceLock::new(),
            by_sequence: OnceLock::new(),
            watch: None,
            evidence_of_holds: true,
            expression_outcomes: std::cell::OnceCell::new(),
            sequences: std::cell::OnceCell::new(),
        }
    }

    /// The same case (tilt parameters, watcher, evidence setting) with its laws per
    /// sequence: what a statement reading positions (`y[i]`, `swap`, `marginal`) is
    /// evaluated over. Itself when its laws already go by sequence.
    pub fn by_sequences(&self) -> &Context {
        if self.route == Route::Sequence {
            return self;
        }
        self.sequences.get_or_init(|| {
            let mut ctx = Context::new(self.case.clone(), self.policy)
                .with_tilt(self.tilt.clone())
                .with_watch(self.watch.clone());
            ctx.route = Route::Sequence;
            ctx.evidence_of_holds = self.evidence_of_holds;
            Box::new(ctx)
        })
    }

    /// How this context's laws go (by type or by sequence).
    pub fn route(&self) -> Route {
        self.route
    }

    /// The same context with a watcher of long precision ladders.
    pub fn with_watch(mut self, watch: Option<LadderWatch>) -> Context {
        self.watch = watch;
        self
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
            .get_or_init(|| ExactLaw::compute(&self.case, self.route))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The law of the same case with N + 1 draws.
    pub fn law_next(&self) -> Result<&ExactLaw> {
        self.law_next
            .get_or_init(|| {
                let mut next = self.case.clone();
                next.n += 1;
                ExactLaw::compute(&next, self.route)
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
