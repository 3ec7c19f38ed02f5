//! Standard workloads for `bestofn bench` and `cargo bench`, timed in-process.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::casefile::CaseSpec;
use crate::error::Result;
use crate::law::{ExactLaw, Summary};

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
