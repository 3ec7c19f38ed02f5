//! Standard workloads for `bestofn bench` and `cargo bench`, timed in-process.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::law::{ExactLaw, Summary};
use crate::spec::CaseSpec;

/// A named `law --summary` run.
pub struct Workload {
    pub name: &'static str,
    pub p: &'static str,
    pub reward: &'static str,
    pub m: u32,
    pub n: u64,
}

/// W1 is the engine issue's target (whole process under 60 ms); W2 is its larger sibling.
pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "W1 m=30 N=1000",
        p: "1/5,3/10,1/2",
        reward: "log:6,1,2",
        m: 30,
        n: 1000,
    },
    Workload {
        name: "W2 m=60 N=10^4",
        p: "1/5,3/10,1/2",
        reward: "log:6,1,2",
        m: 60,
        n: 10_000,
    },
];

/// Timing of one workload over several runs.
pub struct Timing {
    pub name: &'static str,
    pub runs: Vec<Duration>,
    pub summary: Summary,
}

impl Timing {
    pub fn median(&self) -> Duration {
        let mut sorted = self.runs.clone();
        sorted.sort();
        sorted[sorted.len() / 2]
    }
}

/// Runs the law-by-type summary of `workload` `repeat` times.
pub fn run(workload: &Workload, repeat: usize) -> Result<Timing> {
    let spec = CaseSpec {
        p: Some(workload.p.into()),
        reward: Some(workload.reward.into()),
        m: Some(workload.m),
        n: Some(workload.n),
        by: Some("type".into()),
        base_dir: Path::new(".").into(),
        ..Default::default()
    };
    let mut runs = Vec::new();
    let mut summary = None;
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let (case, route) = spec.resolve()?;
        let law = ExactLaw::compute(&case, route)?;
        summary = Some(Summary::of(&law));
        runs.push(start.elapsed());
    }
    Ok(Timing {
        name: workload.name,
        runs,
        summary: summary.expect("at least one run"),
    })
}

/// Issue 6's target workload: `asymptotics` on 003's Figure 1 case (p = (1/5, 3/10, 1/2),
/// q = (2/3, 1/9, 2/9), delta = 0.11), m = 1..=max_m, 64-bit enclosures; wall time of one run
/// and the rows' routes.
pub fn asymptotics_figure1(max_m: u32) -> Result<(Duration, usize, usize)> {
    use crate::enclosure::PrecisionPolicy;
    use crate::exact::parse_rational;
    use crate::model::Pmf;
    let p = Pmf::parse("1/5,3/10,1/2")?;
    let exact = |s: &str| parse_rational(s).expect("a valid literal");
    let q: Vec<rug::Rational> = ["2/3", "1/9", "2/9"].iter().map(|s| exact(s)).collect();
    let delta = exact("0.11");
    let start = Instant::now();
    let measured = crate::tilt::asymptotics::asymptotics(
        &p,
        &q,
        &delta,
        1..=max_m,
        PrecisionPolicy::default(),
        64,
        &|_| {},
    )?;
    let elapsed = start.elapsed();
    let exact = measured.rows.iter().filter(|r| r.route == "exact").count();
    Ok((elapsed, exact, measured.rows.len() - exact))
}

/// The catalogue's statements (claims::restated) on W1, each decided `repeat` times on one
/// context whose laws (N and N + 1) are already computed: `(id, median, verdict)`.
pub fn statements_w1(repeat: usize) -> Result<Vec<(&'static str, Duration, &'static str)>> {
    let w1 = &WORKLOADS[0];
    let spec = CaseSpec {
        p: Some(w1.p.into()),
        reward: Some(w1.reward.into()),
        m: Some(w1.m),
        n: Some(w1.n),
        base_dir: Path::new(".").into(),
        ..Default::default()
    };
    let (case, _) = spec.resolve()?;
    let ctx = crate::claims::Context::new(case, crate::enclosure::PrecisionPolicy::default());
    ctx.law()?;
    ctx.law_next()?;
    let mut out = Vec::new();
    let set = crate::claims::ClaimSet::catalogue();
    for declared in crate::claims::restated::ALL {
        let claim = set.find(&declared.id)?;
        let mut runs = Vec::new();
        let mut verdict = "";
        for _ in 0..repeat.max(1) {
            let start = Instant::now();
            verdict = claim.evaluate(&ctx, None)?.verdict.name();
            runs.push(start.elapsed());
        }
        runs.sort();
        out.push((declared.id.as_ref(), runs[runs.len() / 2], verdict));
    }
    Ok(out)
}
