//! The flag groups shared by several commands, each declared once: the case, the tilt
//! parameters, the output format and the precision ladder. Each group is resolved once into
//! the library's validated settings ([`CaseSpec`], [`PrecisionPolicy`]); a command's own
//! flags live beside its `run` function.

use std::path::PathBuf;

use bestofn::enclosure::PrecisionPolicy;
use bestofn::spec::CaseSpec;
use bestofn::InputError;
use clap::Args;

/// The case, as flags. Each overrides the same key of a case file.
#[derive(Args, Clone, Default)]
pub struct CaseFlags {
    /// Reference pmf over letters 0..K-1, exact: 1/5,3/10,1/2 or 0.2,0.3,0.5 (must sum to 1)
    #[arg(long, value_name = "P1,..,PK", allow_hyphen_values = true)]
    pub p: Option<String>,
    /// Reward: additive:V1,..,VK (summed), log:W1,..,WK (sum of log w, w > 0; ties decided by
    /// comparing products exactly) or scores:FILE (one 'y1,..,ym: score' line per sequence)
    #[arg(long, value_name = "KIND:VALUES", allow_hyphen_values = true)]
    pub reward: Option<String>,
    /// A second, true reward beside the proxy --reward that selects (same grammar): read by
    /// rt, Ft, Ct, bon_true and winrate_true of the claim language (reward hacking, transfer
    /// bounds)
    #[arg(long, value_name = "KIND:VALUES", allow_hyphen_values = true)]
    pub true_reward: Option<String>,
    /// Sequence length m (default 1)
    #[arg(long, value_name = "M")]
    pub m: Option<u32>,
    /// Number of draws N >= 1
    #[arg(long, value_parser = crate::cmd::flags::whole_u64, value_name = "N")]
    pub n: Option<u64>,
    /// Tie-breaking among draws with the maximal reward [default: uniform]
    #[arg(long, value_name = "RULE", value_parser = ["uniform", "lex-min", "lex-max"])]
    pub tie_break: Option<String>,
    /// Compute by type (fast; additive/log reward with uniform ties) or by sequence (K^m
    /// outcomes; any reward and tie-break) [default: type when valid]
    #[arg(long, value_name = "ROUTE", value_parser = ["type", "sequence"])]
    pub by: Option<String>,
    /// Alignment distribution q of 003 (positive, sums to 1), for the tilts; without --reward
    /// the reward is log q
    #[arg(long, value_name = "Q1,..,QK")]
    pub q: Option<String>,
}

impl CaseFlags {
    /// The flags as a spec (relative paths against the working directory).
    pub fn spec(&self) -> CaseSpec {
        CaseSpec {
            p: self.p.clone(),
            reward: self.reward.clone(),
            true_reward: self.true_reward.clone(),
            m: self.m,
            n: self.n,
            tie_break: self.tie_break.clone(),
            by: self.by.clone(),
            q: self.q.clone(),
            base_dir: PathBuf::from("."),
            ..Default::default()
        }
    }

    /// The flags with the tilt parameters laid over them.
    pub fn spec_with(&self, tilt: &TiltArgs) -> CaseSpec {
        let mut spec = self.spec();
        spec.alpha = tilt.alpha.clone();
        spec.beta = tilt.beta.clone();
        spec.delta = tilt.delta.clone();
        spec
    }
}

/// The tilt parameters of 003, read by the tilt and KL-regularised claims. Each overrides
/// the same key of a case file.
#[derive(Args, Clone, Default)]
pub struct TiltArgs {
    /// Tilt exponent alpha (exact: 1/2, 0.3, 2), for T(q, p, alpha) and the tilt claims
    #[arg(long, value_name = "A", allow_hyphen_values = true)]
    pub alpha: Option<String>,
    /// Second tilt exponent beta (Lemma 9: T(q, T(q, p, alpha), beta) = T(q, p, alpha + beta);
    /// also rho for renyi-cumulant)
    #[arg(long, value_name = "B", allow_hyphen_values = true)]
    pub beta: Option<String>,
    /// Per-letter KL budget delta (exact, >= 0) of the KL-constrained optimum phi_Delta,
    /// Delta = m delta (klrl-optimal-tilt, klrl-closeness)
    #[arg(long, value_name = "D")]
    pub delta: Option<String>,
}

/// The output format.
#[derive(Args, Clone, Copy, Default)]
pub struct OutputArgs {
    /// Print JSON instead of text: one document (an array of them for several case files),
    /// its shape named by its "schema" field and given in docs/schema/
    #[arg(long)]
    pub json: bool,
}

/// The size of the figures a command draws (the file's extension chooses SVG, PDF or PNG).
#[derive(Args, Clone, Copy, Default)]
pub struct FigureSizeArgs {
    /// Figure width in px (96 per inch; 240..8000) [default: 760]
    #[arg(long, value_name = "PX")]
    pub width: Option<f64>,
    /// Figure height in px (240..8000) [default: as the panels need]
    #[arg(long, value_name = "PX")]
    pub height: Option<f64>,
}

impl FigureSizeArgs {
    /// The validated size.
    pub fn size(&self) -> Result<bestofn::report::svg::FigureSize, InputError> {
        bestofn::report::svg::FigureSize::new(self.width, self.height)
    }
}

/// The precision ladder's flags, shared by every command that decides claims.
#[derive(Args, Debug, Clone)]
pub struct PrecisionArgs {
    /// Starting precision of enclosures, in bits (doubled until a comparison decides)
    #[arg(long, default_value_t = 64, value_name = "BITS")]
    pub prec_start: u32,
    /// Precision cap, in bits (--prec-start..=1048576): past it a comparison is reported
    /// undecided, with its enclosures
    #[arg(long, default_value_t = 4096, value_name = "BITS")]
    pub prec_cap: u32,
}

impl PrecisionArgs {
    /// The validated ladder (one rule for every command: [`PrecisionPolicy::new`]).
    pub fn policy(&self) -> Result<PrecisionPolicy, InputError> {
        PrecisionPolicy::new(self.prec_start, self.prec_cap)
    }
}

/// One JSON object for one case, an array for several.
pub fn print_json(mut values: Vec<serde_json::Value>) {
    let value = if values.len() == 1 {
        values.remove(0)
    } else {
        values.into()
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&value).expect("JSON values serialise")
    );
}

/// Which claims to decide: catalogue ids, expressions of the claim language, a claims file.
#[derive(Args, Clone, Default)]
pub struct ClaimArgs {
    /// A catalogue claim (repeatable; `bestofn claims` lists them), or a claim of the claims
    /// file
    #[arg(long = "claim", value_name = "ID")]
    pub ids: Vec<String>,
    /// A claim of your own in the claim language (repeatable), e.g. 'kl(bon, p) <= log(N)' or
    /// 'my-id: forall_y(bon(y) >= p(y)^N)'; see docs/claim-language.md
    #[arg(long = "assert", value_name = "EXPR", allow_hyphen_values = true)]
    pub asserts: Vec<String>,
    /// A claims file: [[claim]] tables (id, statement, source, notes, hypotheses) and [define]
    /// helper functions; all its claims are taken unless --claim names some
    #[arg(long = "claims", value_name = "FILE.toml")]
    pub claims_file: Option<PathBuf>,
    /// Drop this hypothesis of the selected claims that have it, to show that it is needed
    /// (e.g. uniform-tie-break on a lex case)
    #[arg(long, value_name = "NAME")]
    pub without_hypothesis: Option<String>,
}

impl ClaimArgs {
    /// The selected claims, in order (empty when the flags name none; the caller checks
    /// `--without-hypothesis` against its final selection).
    pub fn select(
        &self,
        set: &mut bestofn::claims::ClaimSet,
    ) -> Result<Vec<std::sync::Arc<bestofn::claims::Claim>>, InputError> {
        bestofn::casefile::check::select_claims(
            set,
            &self.ids,
            &self.asserts,
            self.claims_file.as_ref(),
        )
    }
}

/// A flag's whole number: a negative or malformed value is refused with the allowed range
/// (clap's own parser says only "invalid digit found in string").
fn whole(text: &str, max: u64) -> Result<u64, String> {
    let range = || format!("must be a whole number in 0..={max}");
    let trimmed = text.trim();
    if trimmed.starts_with('-') {
        return Err(format!("{} (it is negative)", range()));
    }
    match trimmed.parse::<u64>() {
        Ok(v) if v <= max => Ok(v),
        Ok(_) => Err(format!("{} (it is larger)", range())),
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => {
            Err(format!("{} (it is larger)", range()))
        }
        Err(_) => Err(range()),
    }
}

/// [`whole`] for a `u64` flag.
pub fn whole_u64(text: &str) -> Result<u64, String> {
    whole(text, u64::MAX)
}

/// [`whole`] for a `usize` flag.
pub fn whole_usize(text: &str) -> Result<usize, String> {
    whole(text, usize::MAX as u64).map(|v| v as usize)
}

/// `--coq FILE.v`, shared by the commands that reach a verdict on one case.
#[derive(Args, Debug, Clone, Default)]
pub struct CoqArgs {
    /// Write the verdict on its (shrunk) case as a Coq proof script: best-of-N defined from
    /// first principles, the claim generated from its statement, the verdict proved by
    /// computation and coq-interval; check it with `coqc FILE.v` (docs/coq.md)
    #[arg(long, value_name = "FILE.v")]
    pub coq: Option<std::path::PathBuf>,
}

impl CoqArgs {
    /// Refuses a request that cannot be met (a file name coqc rejects, a claim with no Coq
    /// form) before any work is done.
    pub fn check(
        &self,
        claims: &[std::sync::Arc<bestofn::claims::Claim>],
    ) -> Result<(), InputError> {
        match &self.coq {
            Some(path) => claims
                .iter()
                .try_for_each(|c| bestofn::report::coq::check_request(path, c)),
            None => Ok(()),
        }
    }

    /// Writes the proof script of `result` on `spec`, if asked, and says so on stderr.
    pub fn write(
        &self,
        spec: &bestofn::spec::CaseSpec,
        result: &bestofn::claims::ClaimResult,
    ) -> Result<(), InputError> {
        let Some(path) = &self.coq else {
            return Ok(());
        };
        let script = bestofn::report::coq::proof_script(spec, result)?;
        super::write_atomically("--coq", path, &script)?;
        eprintln!(
            "wrote {} (a Coq proof that {} {} on this case; check it with coqc)",
            path.display(),
            result.claim.id,
            result.verdict.name()
        );
        Ok(())
    }
}
