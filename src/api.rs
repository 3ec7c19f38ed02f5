//! The small, stable entry point: build a case, read its exact law, decide claims on it.
//!
//! ```
//! use bestofn::model::Case;
//! use rug::Rational;
//!
//! // Example 2 of Yang et al. (arXiv 2404.01730): p = (1/5, 3/10, 1/2), r = log w, m = 2, N = 2.
//! let checker = Case::builder()
//!     .p("1/5,3/10,1/2")
//!     .reward("log:6,1,2")
//!     .m(2)
//!     .n(2)
//!     .build()?;
//! let law = checker.law()?;
//! assert_eq!(law.pi_of_sequence(&[0, 0]), Some(Rational::from((49, 625))));
//! // Best-of-N of a memoryless source is not memoryless:
//! assert_eq!(checker.check("bon-memoryless")?.verdict.name(), "fails");
//! // A claim of your own, in the claim language:
//! assert_eq!(checker.check_statement("kl(bon, p) <= log(N)")?.verdict.name(), "holds");
//! # Ok::<(), bestofn::InputError>(())
//! ```
//!
//! Bad input is an [`InputError`](crate::InputError) with a [`crate::ErrorKind`] and a sentence:
//!
//! ```
//! use bestofn::{model::Case, ErrorKind};
//!
//! let err = Case::builder().p("1/2,1/3").reward("additive:0,1").n(2).build().unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::Invalid);
//! assert!(err.message().contains("sum to 5/6, not 1"));
//! ```

use std::sync::atomic::AtomicBool;

use crate::claims::{self, ClaimResult, Context};
use crate::enclosure::PrecisionPolicy;
use crate::error::Result;
use crate::law::{ExactLaw, LawTable, Route};
use crate::model::{Case, SizeBudget};
use crate::search;
use crate::spec::CaseSpec;
use crate::testimpl;

/// Builds a case from the same settings as the flags and case files (exact text for numbers).
#[derive(Debug, Clone, Default)]
pub struct CaseBuilder {
    spec: CaseSpec,
    policy: Option<PrecisionPolicy>,
}

impl Case {
    /// A builder: `Case::builder().p("1/2,1/2").reward("additive:0,1").n(3).build()`.
    pub fn builder() -> CaseBuilder {
        CaseBuilder::default()
    }
}

impl CaseBuilder {
    /// Starts from a whole case description (a case file's, a generator's); later calls
    /// override its fields.
    pub fn spec(mut self, spec: CaseSpec) -> Self {
        self.spec = spec;
        self
    }

    /// The true reward beside the proxy reward (`bon_true`, `winrate_true`), same grammar.
    pub fn true_reward(mut self, reward: &str) -> Self {
        self.spec.true_reward = Some(reward.into());
        self
    }

    /// The reference pmf, exact: `"1/5,3/10,1/2"` or `"0.2,0.3,0.5"`.
    pub fn p(mut self, p: &str) -> Self {
        self.spec.p = Some(p.into());
        self
    }

    /// The reward: `"additive:V1,..,VK"`, `"log:W1,..,WK"` or `"scores:FILE"`.
    pub fn reward(mut self, reward: &str) -> Self {
        self.spec.reward = Some(reward.into());
        self
    }

    /// The sequence length m (default 1).
    pub fn m(mut self, m: u32) -> Self {
        self.spec.m = Some(m);
        self
    }

    /// The number of draws N >= 1.
    pub fn n(mut self, n: u64) -> Self {
        self.spec.n = Some(n);
        self
    }

    /// The tie-break: `"uniform"` (default), `"lex-min"` or `"lex-max"`.
    pub fn tie_break(mut self, rule: &str) -> Self {
        self.spec.tie_break = Some(rule.into());
        self
    }

    /// The route: `"type"` or `"sequence"` (default: type when valid).
    pub fn by(mut self, route: &str) -> Self {
        self.spec.by = Some(route.into());
        self
    }

    /// The alignment distribution q of 003 (without a reward, the reward is `log q`).
    pub fn q(mut self, q: &str) -> Self {
        self.spec.q = Some(q.into());
        self
    }

    /// The tilt exponent alpha.
    pub fn alpha(mut self, alpha: &str) -> Self {
        self.spec.alpha = Some(alpha.into());
        self
    }

    /// The second tilt exponent beta.
    pub fn beta(mut self, beta: &str) -> Self {
        self.spec.beta = Some(beta.into());
        self
    }

    /// The per-letter KL budget delta.
    pub fn delta(mut self, delta: &str) -> Self {
        self.spec.delta = Some(delta.into());
        self
    }

    /// The precision ladder of enclosures (default 64 bits doubled up to 4096).
    pub fn precision(mut self, policy: PrecisionPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Validates everything; the case, ready to compute and check.
    pub fn build(self) -> Result<Checker> {
        let (case, route) = self.spec.resolve()?;
        let tilt = self.spec.tilt()?;
        let ctx = Context::new(case, self.policy.unwrap_or_default()).with_tilt(tilt);
        Ok(Checker {
            ctx,
            route,
            claims: std::sync::Mutex::new(None),
        })
    }
}

/// A validated case: its exact law, and claims decided on it (laws computed once, shared).
pub struct Checker {
    ctx: Context,
    route: Route,
    /// The catalogue and this checker's own statements: no other checker sees them. Made on
    /// the first claim (parsing the catalogue costs more than a small case's law).
    claims: std::sync::Mutex<Option<claims::ClaimSet>>,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("case", &crate::report::case_line(&self.ctx.case))
            .field("route", &self.route)
            .finish()
    }
}

impl Checker {
    /// The case.
    pub fn case(&self) -> &Case {
        &self.ctx.case
    }

    /// The exact best-of-N law, read out in full (pi of every outcome, marginals, total).
    pub fn law(&self) -> Result<LawTable> {
        let law = ExactLaw::compute(&self.ctx.case, self.route)?;
        Ok(LawTable::from_exact(
            &law,
            self.ctx.case.k(),
            self.ctx.case.m(),
        ))
    }

    /// Decides the catalogue claim (or registered user claim) `id`, with every hypothesis in
    /// force: the verdict and its evidence.
    pub fn check(&self, id: &str) -> Result<ClaimResult> {
        self.find(id)?.evaluate(&self.ctx, None)
    }

    fn find(&self, id: &str) -> Result<std::sync::Arc<claims::Claim>> {
        self.with_claims(|set| set.find(id))
    }

    /// `f` on the claim set, made on first use.
    fn with_claims<T>(&self, f: impl FnOnce(&mut claims::ClaimSet) -> T) -> T {
        let mut guard = self.claims.lock().expect("no panic holds the lock");
        f(guard.get_or_insert_with(claims::ClaimSet::catalogue))
    }

    /// Decides `id` with `hypothesis` dropped, to show that it is needed.
    /// An error of kind `Unknown` when the claim has no such hypothesis.
    pub fn check_without(&self, id: &str, hypothesis: &str) -> Result<ClaimResult> {
        self.find(id)?.evaluate(&self.ctx, Some(hypothesis))
    }

    /// Decides a statement of the claim language (`"kl(bon, p) <= log(N)"`, or
    /// `"my-id: ..."`), exactly where it can be and by enclosures otherwise.
    pub fn check_statement(&self, statement: &str) -> Result<ClaimResult> {
        let claim = self.with_claims(|set| match claims::expr::named_assert(statement) {
            Some((id, expression)) => set.add_statement(id, expression),
            None => {
                // An unnamed statement is named by its text, so two never share an id.
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                statement.trim().hash(&mut hasher);
                set.add_statement(
                    &format!("statement-{:016x}", hasher.finish()),
                    statement.trim(),
                )
            }
        })?;
        claim.evaluate(&self.ctx, None)
    }

    /// The value of a numeric expression of the claim language on this case (`"kl(bon, p)"`,
    /// `"winrate(bon, p)"`): exact where it can be, else a rigorous enclosure at `prec` bits.
    pub fn value(&self, expression: &str, prec: u32) -> Result<claims::Value> {
        let value = claims::expr::number(expression, &self.ctx, prec)?;
        Ok(match value.exact_value() {
            Some(x) => claims::Value::Exact(x),
            None => claims::Value::Enclosure(value.enc(prec)),
        })
    }

    /// A law computed by the caller's own code (one value per sequence, in lexicographic
    /// order), judged against this case's exact law as `test-impl --kind law` judges a
    /// program's answer: the failure, the f64 rule and the mistakes it matches.
    pub fn assess_law(
        &self,
        law: &[rug::Rational],
        tolerance: &testimpl::Tolerance,
    ) -> Result<testimpl::Assessment> {
        testimpl::assess_law(&self.ctx.case, law, tolerance)
    }

    /// A scalar computed by the caller's own code (`kl`, `winrate`, ..., or an expression),
    /// judged as `test-impl --kind scalar` judges a program's answer.
    pub fn assess_scalar(
        &self,
        name: &str,
        value: &rug::Rational,
        tolerance: &testimpl::Tolerance,
    ) -> Result<testimpl::Assessment> {
        testimpl::assess_scalar(&self.ctx.case, name, value, tolerance)
    }

    /// Every catalogue claim, in catalogue order.
    pub fn check_all(&self) -> Result<Vec<ClaimResult>> {
        let set = self.with_claims(|set| set.clone());
        set.catalogue_claims()
            .map(|c| c.evaluate(&self.ctx, None))
            .collect()
    }
}

/// The claim named by `text`: a catalogue id, or a statement of the claim language (named by
/// its `"ID: "` prefix, else `assert-1` as with `--assert`). Text with no comparison in it is
/// taken for an id, so a mistyped id gets "unknown claim" and its nearest ids, not a parse
/// error.
pub fn claim(text: &str) -> Result<std::sync::Arc<claims::Claim>> {
    let mut set = claims::ClaimSet::catalogue();
    let text = text.trim();
    let statement_like = text.contains(['<', '>', '=', '(', ' ']);
    if claims::CATALOGUE.iter().any(|c| c.id == text) || !statement_like {
        set.find(text)
    } else {
        set.add_assert(text, 1)
    }
}

/// A counterexample search over the library's generated cases, as `bestofn search` runs one
/// claim: case `i` is a pure function of `(seed, i)`, the first counterexample is shrunk.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// A catalogue id or a statement (see [`claim`]).
    pub claim: String,
    /// A hypothesis of the claim to drop, to show it is needed.
    pub without_hypothesis: Option<String>,
    /// The space of cases (K, m, N).
    pub bounds: search::Bounds,
    /// When to stop.
    pub limit: search::Limit,
    /// The seed.
    pub seed: u64,
    /// Worker threads (all cores when `None`).
    pub jobs: Option<usize>,
    /// Shrink the counterexample found.
    pub shrink: bool,
    /// The precision ladder.
    pub policy: PrecisionPolicy,
    /// The size budget of every case's law.
    pub budget: SizeBudget,
}

impl SearchRequest {
    /// A search for `claim` with `bestofn search`'s defaults: K in 2..32, m in 1..2, N in 1..16,
    /// 100,000 cases, seed 1, all cores, shrinking on.
    pub fn new(claim: &str) -> SearchRequest {
        SearchRequest {
            claim: claim.to_string(),
            without_hypothesis: None,
            bounds: search::default_search_bounds(),
            limit: search::Limit::Trials(search::DEFAULT_TRIALS),
            seed: 1,
            jobs: None,
            shrink: true,
            policy: PrecisionPolicy::default(),
            budget: SizeBudget::default(),
        }
    }
}

/// What a search found: the counts, and its first counterexample shrunk and decided again.
#[derive(Debug, Clone)]
pub struct SearchFindings {
    /// Cases decided, time, verdict counts, the counterexample as found.
    pub outcome: search::SearchOutcome,
    /// The first counterexample: as found, the minimal case, the claim decided on it.
    pub counterexample: Option<search::Reported>,
}

/// Runs `request`; `progress(cases, counterexamples)` after every batch; ends early, with
/// what was decided so far, once `stop` is set (from another thread).
pub fn search(
    request: &SearchRequest,
    progress: &dyn Fn(u64, usize),
    stop: &AtomicBool,
) -> Result<SearchFindings> {
    let claim = claim(&request.claim)?;
    let claims = vec![claim];
    claims::check_dropped(&claims, request.without_hypothesis.as_deref())?;
    request
        .bounds
        .check_size(search::gen::MAX_DENOMINATOR_BITS, request.budget)?;
    if let search::Limit::Trials(0) = request.limit {
        return Err(crate::InputError::new("trials: need at least 1"));
    }
    let settings = search::SearchSettings {
        claims,
        dropped: request.without_hypothesis.clone(),
        bounds: request.bounds.clone(),
        limit: request.limit,
        seed: request.seed,
        jobs: search::worker_threads(request.jobs)?,
        all: false,
        policy: request.policy,
        budget: request.budget,
        first: 0,
    };
    let outcome = search::search_until(&settings, progress, stop)?;
    let counterexample = search::report_first_per_claim(&outcome, request.policy, request.shrink)?
        .into_iter()
        .next();
    Ok(SearchFindings {
        outcome,
        counterexample,
    })
}

/// One claim on every case of a finite grid, as `bestofn exhaust` runs it: a certified
/// "holds on all C cases" or the first counterexample in grid order.
#[derive(Debug, Clone)]
pub struct ExhaustRequest {
    /// A catalogue id or a statement (see [`claim`]).
    pub claim: String,
    /// A hypothesis of the claim to drop.
    pub without_hypothesis: Option<String>,
    /// K, m, N of the grid.
    pub bounds: search::Bounds,
    /// pmf entries are the positive multiples of `1/den`.
    pub den: u32,
    /// Per-letter reward values tried when m >= 2.
    pub values: Vec<i64>,
    /// alpha, beta, delta for claims that read them (exact text).
    pub alpha: Option<String>,
    /// See `alpha`.
    pub beta: Option<String>,
    /// See `alpha`.
    pub delta: Option<String>,
    /// Worker threads (all cores when `None`).
    pub jobs: Option<usize>,
    /// The precision ladder.
    pub policy: PrecisionPolicy,
    /// The size budget of every case's law.
    pub budget: SizeBudget,
}

impl ExhaustRequest {
    /// The grid of `bestofn exhaust`'s defaults: K in 2..3, m = 1, N in 1..8, twelfths.
    pub fn new(claim: &str) -> ExhaustRequest {
        ExhaustRequest {
            claim: claim.to_string(),
            without_hypothesis: None,
            bounds: search::Bounds {
                k: 2..=3,
                m: 1..=1,
                n: 1..=8,
            },
            den: search::exhaust::DEFAULT_DEN,
            values: search::exhaust::DEFAULT_VALUES.to_vec(),
            alpha: None,
            beta: None,
            delta: None,
            jobs: None,
            policy: PrecisionPolicy::default(),
            budget: SizeBudget::default(),
        }
    }
}

/// Runs `request`'s grid; `progress(done, total)` after every chunk; ends early once `stop`
/// is set.
pub fn exhaust(
    request: &ExhaustRequest,
    progress: &dyn Fn(u64, u64),
    stop: &AtomicBool,
) -> Result<search::exhaust::ExhaustOutcome> {
    let claim = claim(&request.claim)?;
    claims::check_dropped(
        std::slice::from_ref(&claim),
        request.without_hypothesis.as_deref(),
    )?;
    search::exhaust::check_den(request.den)?;
    request.bounds.check_size(
        u64::from(u32::BITS - request.den.leading_zeros()),
        request.budget,
    )?;
    if request.values.is_empty() {
        return Err(crate::InputError::new("values: give at least one value"));
    }
    let settings = search::exhaust::ExhaustSettings {
        claim,
        dropped: request.without_hypothesis.clone(),
        k: request.bounds.k.clone(),
        m: request.bounds.m.clone(),
        n: request.bounds.n.clone(),
        den: request.den,
        values: request.values.clone(),
        alpha: request.alpha.clone(),
        beta: request.beta.clone(),
        delta: request.delta.clone(),
        jobs: search::worker_threads(request.jobs)?,
        policy: request.policy,
        budget: request.budget,
    };
    search::exhaust::exhaust_until(&settings, progress, stop)
}
