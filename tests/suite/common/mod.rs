//! Helpers shared by the integration tests: building cases and a tiny seeded generator.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use bestofn::model::{Case, Memoryless, Pmf, Reward, TieBreak};
use rug::Rational;

pub fn case(p: &str, reward: &str, m: u32, n: u64, tie_break: &str) -> Case {
    let pmf = Pmf::parse(p).expect("valid pmf");
    let reward =
        Reward::parse(reward, Path::new(env!("CARGO_MANIFEST_DIR"))).expect("valid reward");
    Case::new(
        Memoryless::new(pmf, m).expect("m >= 1"),
        reward,
        n,
        TieBreak::parse(tie_break).expect("valid tie-break"),
    )
    .expect("valid case")
}

pub fn q(text: &str) -> Rational {
    bestofn::exact::parse_rational(text).expect("valid rational")
}

/// xorshift64*: deterministic, dependency-free, good enough to vary small test cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A random pmf over `k` letters with small integer weights (some possibly zero).
pub fn random_pmf(rng: &mut Rng, k: usize) -> String {
    loop {
        let weights: Vec<u64> = (0..k).map(|_| rng.below(5)).collect();
        let total: u64 = weights.iter().sum();
        if total > 0 {
            return weights
                .iter()
                .map(|w| format!("{w}/{total}"))
                .collect::<Vec<_>>()
                .join(",");
        }
    }
}

/// A random additive or log reward over `k` letters, with values chosen to create ties.
pub fn random_symmetric_reward(rng: &mut Rng, k: usize) -> String {
    if rng.below(2) == 0 {
        let values: Vec<&str> = (0..k)
            .map(|_| rng.pick(&["-1", "0", "1/2", "1", "2"]))
            .collect();
        format!("additive:{}", values.join(","))
    } else {
        let values: Vec<&str> = (0..k)
            .map(|_| rng.pick(&["1", "2", "4", "1/2", "3", "8"]))
            .collect();
        format!("log:{}", values.join(","))
    }
}

/// A small random case: K in 2..=3, m in 1..=2, N in 1..=3, a random pmf and symmetric reward
/// (small enough for the brute force). Returns the flags that describe it, for messages.
pub fn random_small_case(rng: &mut Rng, tie_break: &str) -> (Case, String) {
    let k = 2 + rng.below(2) as usize;
    let m = 1 + rng.below(2) as u32;
    let n = 1 + rng.below(3);
    let p = random_pmf(rng, k);
    let reward = random_symmetric_reward(rng, k);
    let flags = format!("--p {p} --reward {reward} --m {m} --n {n} --tie-break {tie_break}");
    (case(&p, &reward, m, n, tie_break), flags)
}

/// Runs the `bestofn` binary in the crate's folder (so `cases/...` paths resolve).
/// The verdict `check` gives `--assert expr` on the case of `flags` (`holds`, `fails`, ...),
/// or `error: ...` with its stderr.
pub fn assert_verdict(flags: &[&str], expr: &str) -> String {
    let out = bestofn(&[&["check"][..], flags, &["--assert", expr]].concat());
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find(|l| l.starts_with("assert-1"))
        .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
        .unwrap_or_else(|| format!("error: {}", String::from_utf8_lossy(&out.stderr)))
}

pub fn bestofn(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bestofn"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// A scratch directory of one test, removed when dropped (a fresh `tempfile` directory, so
/// tests running side by side in the one suite binary never share one).
pub struct Scratch(tempfile::TempDir);

impl Scratch {
    /// A new directory; `name` only labels it (`bestofn-NAME-...`).
    pub fn new(name: &str) -> Scratch {
        Scratch(
            tempfile::Builder::new()
                .prefix(&format!("bestofn-{name}-"))
                .tempdir()
                .expect("a temporary directory"),
        )
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        self.0.path()
    }

    /// Writes `text` to `name` in the directory; its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    /// The path of `name` in the directory (not created).
    pub fn path(&self, name: &str) -> String {
        self.0.path().join(name).to_str().unwrap().to_string()
    }
}

/// One run of the `bestofn` binary with what it must do, built by chaining, as `just`'s tests
/// do: `Run::new(&["law", "--p", ...]).status(2).stderr_has("N must be").one_line_error()`,
/// then `.check()` (every expectation, all failures in one message, for table-driven tests
/// that collect them) or `.run()` (panics if it falls short). Every run must end within its
/// time limit (killed past it; 300 s unless `.within(...)`), and never panic or let GMP
/// abort. Runs in the crate's folder (so `cases/...` resolves) unless `.in_dir(...)` is given.
pub struct Run {
    args: Vec<String>,
    dir: std::path::PathBuf,
    statuses: Option<Vec<i32>>,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    one_line_error: bool,
    limit: Duration,
}

/// What a run did: its exit status (`None` when killed at the time limit) and output.
#[derive(Debug)]
pub struct Ran {
    /// The exit status.
    pub status: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Wall time.
    pub elapsed: Duration,
}

impl Run {
    /// `bestofn ARGS...`.
    pub fn new<S: AsRef<str>>(args: &[S]) -> Run {
        Run {
            args: args.iter().map(|a| a.as_ref().to_string()).collect(),
            dir: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
            statuses: None,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            one_line_error: false,
            limit: Duration::from_secs(300),
        }
    }

    /// Run in `dir` instead of the crate's folder.
    pub fn in_dir(mut self, dir: &Path) -> Run {
        self.dir = dir.to_path_buf();
        self
    }

    /// The exit status it must end with.
    pub fn status(self, code: i32) -> Run {
        self.statuses(&[code])
    }

    /// The exit statuses it may end with.
    pub fn statuses(mut self, codes: &[i32]) -> Run {
        self.statuses = Some(codes.to_vec());
        self
    }

    /// A piece of text its standard output must contain.
    pub fn stdout_has(mut self, text: &str) -> Run {
        self.stdout_has.push(text.to_string());
        self
    }

    /// A piece of text its standard error must contain.
    pub fn stderr_has(mut self, text: &str) -> Run {
        self.stderr_has.push(text.to_string());
        self
    }

    /// Its error must be one sentence: one line, at most 1000 bytes.
    pub fn one_line_error(mut self) -> Run {
        self.one_line_error = true;
        self
    }

    /// It must end within `limit` (it is killed past it).
    pub fn within(mut self, limit: Duration) -> Run {
        self.limit = limit;
        self
    }

    /// Runs the binary, killed past the limit.
    fn execute(&self) -> Ran {
        let start = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_bestofn"))
            .args(&self.args)
            .current_dir(&self.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        let out = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
        let err = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
        let status = loop {
            if let Some(s) = child.try_wait().expect("the child can be waited for") {
                break s.code();
            }
            if start.elapsed() > self.limit {
                child.kill().ok();
                child.wait().ok();
                break None;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        Ran {
            status,
            stdout: out.join().expect("stdout is read"),
            stderr: err.join().expect("stderr is read"),
            elapsed: start.elapsed(),
        }
    }

    /// Runs it; what it did, or every way it fell short, in one message naming the command.
    pub fn check(self) -> Result<Ran, String> {
        let ran = self.execute();
        let mut wrong = Vec::new();
        match (ran.status, &self.statuses) {
            (None, _) => wrong.push(format!(
                "no exit within {:?} ({:?})",
                self.limit, ran.elapsed
            )),
            (Some(code), Some(codes)) if !codes.contains(&code) => {
                wrong.push(format!("exit {code}, wanted one of {codes:?}"))
            }
            _ => {}
        }
        for text in &self.stdout_has {
            if !ran.stdout.contains(text) {
                wrong.push(format!("stdout lacks '{text}'"));
            }
        }
        for text in &self.stderr_has {
            if !ran.stderr.contains(text) {
                wrong.push(format!("stderr lacks '{text}'"));
            }
        }
        if ran.stderr.contains("panicked") || ran.stderr.contains("internal error") {
            wrong.push("it panicked".into());
        }
        if ran.stderr.contains("GNU MP") || ran.stderr.contains("Cannot allocate") {
            wrong.push("GMP abort".into());
        }
        let lines = ran.stderr.trim_end().lines().count();
        if self.one_line_error && (lines != 1 || ran.stderr.len() > 1000) {
            wrong.push(format!(
                "the error is {lines} lines, {} bytes, not one sentence",
                ran.stderr.len()
            ));
        }
        if wrong.is_empty() {
            return Ok(ran);
        }
        // Arguments of megabytes (the attacks) are shown by their start.
        let shown: Vec<String> = self
            .args
            .iter()
            .map(|a| match a.len() > 60 {
                true => format!("{}...", &a[..40]),
                false => a.clone(),
            })
            .collect();
        let start = |text: &str| text.trim_end().chars().take(300).collect::<String>();
        Err(format!(
            "bestofn {}: {}\n  stdout: {}\n  stderr: {}",
            shown.join(" "),
            wrong.join("; "),
            start(&ran.stdout),
            start(&ran.stderr)
        ))
    }

    /// Runs it and panics with [`Run::check`]'s message if it fell short.
    pub fn run(self) -> Ran {
        self.check().unwrap_or_else(|message| panic!("{message}"))
    }
}

/// Collects the failures of a table-driven test, so one run reports every failing row.
#[derive(Default)]
pub struct Failures(Vec<String>);

impl Failures {
    /// Records a row's failure, if it failed.
    pub fn note<T>(&mut self, result: Result<T, String>) {
        if let Err(message) = result {
            self.0.push(message);
        }
    }

    /// Panics listing every failure, if there was one.
    pub fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "{} failing rows:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// The commands `bestofn --help` lists (without `help`), `figure` as `figure simplex`: the
/// one list the suite's per-command checks iterate, so a new command is covered at once.
pub fn commands() -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_bestofn"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8 help");
    let listed = text
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .expect("--help lists the commands");
    listed
        .lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(|name| match name {
            "figure" => "figure simplex".to_string(),
            other => other.to_string(),
        })
        .collect()
}
