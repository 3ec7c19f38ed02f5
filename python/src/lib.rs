//! `bestofn._native`: the library's [`bestofn::api::Checker`] for Python. Exact values cross
//! as strings `"a/b"` (the Python side makes them `Fraction`s), enclosures as their two ends
//! in lowest terms, so nothing is rounded on the way. Long computations release the GIL.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use bestofn::api::Checker;
use bestofn::claims::{ClaimResult, Value};
use bestofn::law::Outcome;
use bestofn::model::Case;
use bestofn::spec::CaseSpec;
use bestofn::testimpl::{Assessment, Tolerance};

create_exception!(
    bestofn,
    CaseError,
    PyValueError,
    "Bad input: the same sentence the command line prints (what was wrong and where)."
);

fn error(e: bestofn::InputError) -> PyErr {
    CaseError::new_err(e.message().to_string())
}

/// One case, validated: its description, from which each call builds the library's
/// `Checker` inside the GIL-free section (a `Checker` caches per thread and is not `Send`;
/// building is cheap beside the law it computes).
#[pyclass(frozen)]
#[derive(Clone)]
struct NativeCase {
    spec: CaseSpec,
}

impl NativeCase {
    fn checker(&self) -> Result<Checker, bestofn::InputError> {
        Case::builder().spec(self.spec.clone()).build()
    }

    /// Validates `spec`; without a route, by sequence while the sequences are few (outcomes
    /// are then tuples of letters), else by type.
    fn validated(py: Python<'_>, mut spec: CaseSpec) -> PyResult<NativeCase> {
        if spec.by.is_none() {
            let k = spec.p.as_deref().map_or(1, |p| p.split(',').count() as u64);
            let few = k
                .checked_pow(spec.m.unwrap_or(1))
                .is_some_and(|count| count <= 1 << 16);
            if few {
                spec.by = Some("sequence".into());
            }
        }
        let s = spec.clone();
        interruptible(py, move || Case::builder().spec(s).build().map(drop))?.map_err(error)?;
        Ok(NativeCase { spec })
    }
}

/// Runs `work` on its own thread without the GIL, checking for Ctrl-C every 50 ms: an
/// interrupt raises KeyboardInterrupt at once and the abandoned computation ends on its own
/// thread (a law has no cancellation points; a search or grid stops at its next batch).
fn interruptible<T: Send + 'static>(
    py: Python<'_>,
    work: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    controlled(py, None, move |_| work())
}

/// One look at a long run: `(done, total if known, counterexamples)`.
type Tick = (u64, Option<u64>, usize);

/// What a long run is given besides its work: a flag that asks it to stop, and where to
/// send its progress.
struct Control {
    stop: Arc<AtomicBool>,
    ticks: std::sync::mpsc::Sender<Tick>,
}

impl Control {
    fn tick(&self, tick: Tick) {
        // The receiver is gone only once the caller has stopped listening.
        let _ = self.ticks.send(tick);
    }
}

/// [`interruptible`] with a [`Control`]: `progress(done, total, counterexamples)` is called
/// with the latest tick on the calling thread (holding the GIL); an interrupt, or an exception
/// raised by `progress`, sets the stop flag and is raised.
fn controlled<T: Send + 'static>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    work: impl FnOnce(&Control) -> T + Send + 'static,
) -> PyResult<T> {
    let (tx, mut rx) = std::sync::mpsc::channel();
    let (ticks, tick_rx) = std::sync::mpsc::channel::<Tick>();
    let stop = Arc::new(AtomicBool::new(false));
    let control = Control {
        stop: stop.clone(),
        ticks,
    };
    std::thread::Builder::new()
        .name("bestofn".into())
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(work(&control));
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
    let stopping = |e: PyErr| {
        stop.store(true, Ordering::Relaxed);
        e
    };
    loop {
        // The receiver is Send but not Sync: it goes into the GIL-free section and back.
        let (answer, back) = py.detach(move || (rx.recv_timeout(Duration::from_millis(50)), rx));
        rx = back;
        if let (Some(callback), Some(last)) = (progress, tick_rx.try_iter().last()) {
            callback.call1(last).map_err(stopping)?;
        }
        match answer {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => py.check_signals().map_err(stopping)?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err(
                    "bestofn's computation stopped without an answer (a bug: please report it)",
                ))
            }
        }
    }
}

/// A rational as `"numerator/denominator"` in hexadecimal: Python's `int(x, 16)` reads any
/// size (decimal strings past 4300 digits are refused by default), and W1's values have
/// 20,000 digits.
fn hex(q: &rug::Rational) -> String {
    format!(
        "{}/{}",
        q.numer().to_string_radix(16),
        q.denom().to_string_radix(16)
    )
}

/// A value as `(kind, ...)`: `("exact", q)`, `("enclosure", lo, hi)`, `("sequence", "0,1")`,
/// `("text", sentence)`.
fn value(v: &Value) -> Vec<String> {
    match v {
        Value::Exact(q) => vec!["exact".into(), hex(q)],
        Value::Enclosure(i) => {
            let end = |f: &rug::Float| {
                f.to_rational()
                    .map(|r| hex(&r))
                    .unwrap_or_else(|| "nan".into())
            };
            vec!["enclosure".into(), end(i.lo()), end(i.hi())]
        }
        Value::Sequence(s) => {
            let items: Vec<String> = s.iter().map(u32::to_string).collect();
            vec!["sequence".into(), items.join(",")]
        }
        Value::Text(t) => vec!["text".into(), t.clone()],
    }
}

/// A verdict as plain data (the library's result holds what cannot leave its thread).
struct Shown {
    claim: String,
    statement: String,
    source: String,
    verdict: String,
    evidence: Vec<(String, Vec<String>)>,
    prec: Option<u32>,
    line: String,
}

impl Shown {
    fn of(r: &ClaimResult) -> Shown {
        Shown {
            claim: r.claim.id.to_string(),
            statement: r.claim.statement.to_string(),
            source: r.claim.source.to_string(),
            verdict: r.verdict.name().to_string(),
            evidence: r
                .evidence
                .items
                .iter()
                .map(|(k, v)| (k.clone(), value(v)))
                .collect(),
            prec: r.evidence.prec,
            line: bestofn::report::claims::evidence_line(r),
        }
    }

    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        out.set_item("claim", &self.claim)?;
        out.set_item("statement", &self.statement)?;
        out.set_item("source", &self.source)?;
        out.set_item("verdict", &self.verdict)?;
        let evidence = PyList::empty(py);
        for (name, value) in &self.evidence {
            evidence.append((name, PyTuple::new(py, value)?))?;
        }
        out.set_item("evidence", evidence)?;
        out.set_item("prec", self.prec)?;
        out.set_item("line", &self.line)?;
        Ok(out)
    }
}

/// An assessment as plain data: `{passed, f64_note, message, details, worst, diagnosis}`.
fn assessment_dict<'py>(
    py: Python<'py>,
    what: &str,
    a: &Assessment,
) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("passed", a.failure.is_none())?;
    out.set_item("f64_note", &a.f64_note)?;
    out.set_item("message", bestofn::testimpl::render::assessment(what, a))?;
    out.set_item(
        "details",
        a.failure
            .as_ref()
            .map(|f| f.details.clone())
            .unwrap_or_default(),
    )?;
    out.set_item("worst", a.failure.as_ref().and_then(|f| f.worst))?;
    let diagnosis: Vec<(&str, &str)> = a.diagnosis.iter().map(|d| (d.name, d.meaning)).collect();
    out.set_item("diagnosis", diagnosis)?;
    Ok(out)
}

/// Exact text (`"1/3"`, `"0.25"`, `"-2"`) as a rational, the value named in the error.
fn rational(text: &str, what: &str) -> PyResult<rug::Rational> {
    bestofn::exact::parse_rational(text)
        .map_err(|e| CaseError::new_err(format!("{what}: '{text}' is not an exact number ({e})")))
}

#[pymethods]
impl NativeCase {
    #[new]
    #[pyo3(signature = (p, reward, m, n, tie_break, by=None, q=None, alpha=None, beta=None, delta=None, true_reward=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        p: &str,
        reward: Option<&str>,
        m: u32,
        n: u64,
        tie_break: &str,
        by: Option<&str>,
        q: Option<&str>,
        alpha: Option<&str>,
        beta: Option<&str>,
        delta: Option<&str>,
        true_reward: Option<&str>,
    ) -> PyResult<NativeCase> {
        let own = |v: Option<&str>| v.map(str::to_string);
        let spec = CaseSpec {
            p: Some(p.into()),
            reward: own(reward),
            true_reward: own(true_reward),
            m: Some(m),
            n: Some(n),
            tie_break: Some(tie_break.into()),
            by: own(by),
            q: own(q),
            alpha: own(alpha),
            beta: own(beta),
            delta: own(delta),
            ..Default::default()
        };
        NativeCase::validated(py, spec)
    }

    /// The case of a TOML case file (its `[case]` settings; expectations and claims are
    /// `bestofn check`'s).
    #[staticmethod]
    fn from_file(py: Python<'_>, path: std::path::PathBuf) -> PyResult<NativeCase> {
        let file = bestofn::casefile::CaseFile::read(&path).map_err(error)?;
        NativeCase::validated(py, file.spec)
    }

    /// The case test-impl generates for `seed` in family `family` with K, m, N fixed
    /// (`bestofn.hypothesis.cases`).
    #[staticmethod]
    fn generated(
        py: Python<'_>,
        seed: u64,
        family: u64,
        k: u32,
        m: u32,
        n: u64,
    ) -> PyResult<NativeCase> {
        NativeCase::validated(py, bestofn::testimpl::generated_case(seed, family, k, m, n))
    }

    /// `{"p", "reward", "true_reward", "m", "n", "tie_break", "by", "q", "alpha", "beta",
    /// "delta"}` as exact text (None where not set).
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = &self.spec;
        let out = PyDict::new(py);
        out.set_item("p", &s.p)?;
        out.set_item("reward", &s.reward)?;
        out.set_item("true_reward", &s.true_reward)?;
        out.set_item("m", s.m.unwrap_or(1))?;
        out.set_item("n", s.n)?;
        out.set_item("tie_break", s.tie_break.as_deref().unwrap_or("uniform"))?;
        out.set_item("by", &s.by)?;
        out.set_item("q", &s.q)?;
        out.set_item("alpha", &s.alpha)?;
        out.set_item("beta", &s.beta)?;
        out.set_item("delta", &s.delta)?;
        Ok(out)
    }

    /// The exact law, kept on the Rust side: rows on demand, the total and the text from the
    /// same table (no second computation of the law).
    fn law(&self, py: Python<'_>) -> PyResult<NativeLaw> {
        let me = self.clone();
        let table = interruptible(py, move || me.checker()?.law())?.map_err(error)?;
        Ok(NativeLaw {
            case: self.clone(),
            table: Arc::new(table),
        })
    }

    /// Seconds the library itself takes to compute this case's law table (`Checker::law`,
    /// no conversion for Python): the yardstick of `python/benches/python_law.py`.
    fn library_law_seconds(&self, py: Python<'_>) -> PyResult<f64> {
        let me = self.clone();
        interruptible(py, move || {
            let checker = me.checker()?;
            let start = std::time::Instant::now();
            let table = checker.law()?;
            let seconds = start.elapsed().as_secs_f64();
            drop(table);
            Ok::<_, bestofn::InputError>(seconds)
        })?
        .map_err(error)
    }

    /// What code under test is given, per outcome in lexicographic order: `{"outcomes",
    /// "p" (per letter), "p_f64", "outcome_p", "outcome_p_f64", "reward_key",
    /// "reward" (exact, or an enclosure of log of the key for log rewards), "reward_f64"}`.
    fn outcomes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let me = self.clone();
        let oracle = interruptible(py, move || {
            let case = me.checker()?.case().clone();
            bestofn::testimpl::oracle::Oracle::new(case)
        })?
        .map_err(error)?;
        let hexes = |v: &[rug::Rational]| v.iter().map(hex).collect::<Vec<_>>();
        let nearest = |v: &[rug::Rational]| {
            v.iter()
                .map(bestofn::testimpl::oracle::nearest_f64)
                .collect::<Vec<_>>()
        };
        let letters = oracle.case.source.pmf.probs();
        let log = matches!(oracle.case.reward, bestofn::model::Reward::Log(_));
        let rewards: Vec<Vec<String>> = oracle
            .keys
            .iter()
            .map(
                |k| match bestofn::enclosure::Interval::ln_of(k, 256).filter(|_| log) {
                    Some(i) => value(&Value::Enclosure(i)),
                    None => value(&Value::Exact(k.clone())),
                },
            )
            .collect();
        let out = PyDict::new(py);
        out.set_item("outcomes", &oracle.sequences)?;
        out.set_item("p", hexes(letters))?;
        out.set_item("p_f64", nearest(letters))?;
        out.set_item("outcome_p", hexes(&oracle.p))?;
        out.set_item("outcome_p_f64", nearest(&oracle.p))?;
        out.set_item("reward_key", hexes(&oracle.keys))?;
        out.set_item("reward", rewards)?;
        out.set_item("reward_f64", &oracle.reward_f64)?;
        out.set_item("law", hexes(&oracle.law))?;
        Ok(out)
    }

    /// The case as the line protocol sends it to a program (`bestofn_protocol.Case`'s data),
    /// as JSON text.
    fn protocol_case(&self, py: Python<'_>) -> PyResult<String> {
        let me = self.clone();
        let oracle = interruptible(py, move || {
            bestofn::testimpl::oracle::Oracle::new(me.checker()?.case().clone())
        })?
        .map_err(error)?;
        Ok(bestofn::testimpl::protocol::case_json(&oracle).to_string())
    }

    /// A numeric expression of the claim language on this case, as `value()`'s tuple.
    fn value(&self, py: Python<'_>, expression: &str, prec: u32) -> PyResult<Vec<String>> {
        let me = self.clone();
        let expression = expression.to_string();
        let v =
            interruptible(py, move || me.checker()?.value(&expression, prec))?.map_err(error)?;
        Ok(value(&v))
    }

    /// A law (exact text per sequence, lexicographic order) judged as test-impl judges one.
    #[pyo3(signature = (values, rel_tol, abs_tol, exact, exact_rewards))]
    fn assess_law<'py>(
        &self,
        py: Python<'py>,
        values: Vec<String>,
        rel_tol: f64,
        abs_tol: f64,
        exact: bool,
        exact_rewards: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let law = values
            .iter()
            .enumerate()
            .map(|(i, v)| rational(v, &format!("law value {i}")))
            .collect::<PyResult<Vec<_>>>()?;
        let tolerance = Tolerance {
            rel_tol,
            abs_tol,
            exact,
            exact_rewards,
        };
        let me = self.clone();
        let a = interruptible(py, move || me.checker()?.assess_law(&law, &tolerance))?
            .map_err(error)?;
        assessment_dict(py, "the law", &a)
    }

    /// A scalar (exact text) judged as test-impl judges a `scalar` answer.
    #[pyo3(signature = (name, value, rel_tol, abs_tol, exact, exact_rewards))]
    #[allow(clippy::too_many_arguments)]
    fn assess_scalar<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        value: &str,
        rel_tol: f64,
        abs_tol: f64,
        exact: bool,
        exact_rewards: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let v = rational(value, name)?;
        let tolerance = Tolerance {
            rel_tol,
            abs_tol,
            exact,
            exact_rewards,
        };
        let me = self.clone();
        let scalar = name.to_string();
        let a = interruptible(py, move || {
            me.checker()?.assess_scalar(&scalar, &v, &tolerance)
        })?
        .map_err(error)?;
        assessment_dict(py, name, &a)
    }

    /// One claim (a catalogue id, or a statement of the claim language) decided.
    fn check<'py>(&self, py: Python<'py>, claim: &str) -> PyResult<Bound<'py, PyDict>> {
        let is_id = bestofn::claims::CATALOGUE.iter().any(|c| c.id == claim);
        let me = self.clone();
        let claim = claim.to_string();
        let result = interruptible(py, move || {
            let checker = me.checker()?;
            let r = if is_id {
                checker.check(&claim)
            } else {
                checker.check_statement(&claim)
            }?;
            Ok::<_, bestofn::InputError>(Shown::of(&r))
        })?
        .map_err(error)?;
        result.to_py(py)
    }

    /// Every catalogue claim decided, in catalogue order.
    fn check_catalogue<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let me = self.clone();
        let results = interruptible(py, move || {
            let all = me.checker()?.check_all()?;
            Ok::<_, bestofn::InputError>(all.iter().map(Shown::of).collect::<Vec<_>>())
        })?
        .map_err(error)?;
        let out = PyList::empty(py);
        for r in &results {
            out.append(r.to_py(py)?)?;
        }
        Ok(out)
    }

    /// The case as the command line writes it (`--p ... --reward ... --m ... --n ...`).
    fn flags(&self) -> PyResult<String> {
        let checker = self.checker().map_err(error)?;
        Ok(bestofn::report::case_line_full(checker.case()))
    }
}

/// A law table computed by [`NativeCase::law`].
#[pyclass(frozen)]
struct NativeLaw {
    case: NativeCase,
    table: Arc<bestofn::law::LawTable>,
}

#[pymethods]
impl NativeLaw {
    /// `"sequence"` or `"type"`.
    #[getter]
    fn route(&self) -> &'static str {
        self.table.route.name()
    }

    /// `(outcome, p, pi)` per outcome, in the table's order; the outcome is a tuple of letters
    /// (by sequence) or of counts per letter (by type), the values `"a/b"` in lowest terms
    /// (hexadecimal: linear-time both ways for the N-digit numbers of a law).
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let t = &self.table;
        let rows = PyList::empty(py);
        for ((outcome, p), pi) in t.outcomes.iter().zip(&t.p).zip(&t.pi) {
            let key = match outcome {
                Outcome::Sequence(s) => PyTuple::new(py, s.iter().copied())?,
                Outcome::Type { counts, .. } => PyTuple::new(py, counts.iter().copied())?,
            };
            rows.append((key, hex(p), hex(pi)))?;
        }
        Ok(rows)
    }

    /// Outcome indices per reward class, lowest reward first.
    #[getter]
    fn classes(&self) -> Vec<Vec<usize>> {
        self.table.classes.clone()
    }

    /// The exact sum of pi over the outcomes, `"a/b"`.
    fn total(&self, py: Python<'_>) -> PyResult<String> {
        let table = Arc::clone(&self.table);
        interruptible(py, move || hex(&table.total()))
    }

    /// The law as `bestofn law` prints it.
    fn text(&self, py: Python<'_>) -> PyResult<String> {
        let (case, table) = (self.case.clone(), Arc::clone(&self.table));
        interruptible(py, move || {
            let checker = case.checker()?;
            Ok::<_, bestofn::InputError>(bestofn::report::text::law(checker.case(), &table, false))
        })?
        .map_err(error)
    }
}

/// Verdict counts as `{holds, fails, undecided, undefined, not_applicable, measured,
/// not_applicable_because}`.
fn tally_dict<'py>(py: Python<'py>, t: &bestofn::search::Tally) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("holds", t.holds)?;
    out.set_item("fails", t.fails)?;
    out.set_item("undecided", t.undecided)?;
    out.set_item("undefined", t.undefined)?;
    out.set_item("not_applicable", t.not_applicable)?;
    out.set_item("measured", t.measured)?;
    out.set_item(
        "not_applicable_because",
        t.first_not_applicable
            .as_ref()
            .map(|(h, why)| format!("{h}: {why}")),
    )?;
    Ok(out)
}

/// A counterexample as plain data, made on the worker thread: the minimal case and the one
/// found, both verdicts, the replay command and the report files' texts.
struct ShownCounterexample {
    index: u64,
    minimal: CaseSpec,
    original: CaseSpec,
    verdict: Shown,
    original_verdict: Shown,
    replay: String,
    json: String,
    markdown: String,
    toml: String,
}

impl ShownCounterexample {
    fn of(
        provenance: &bestofn::report::counterexample::Provenance,
        original: (&CaseSpec, &ClaimResult),
        minimal: (&CaseSpec, &ClaimResult),
    ) -> ShownCounterexample {
        use bestofn::report::counterexample as report;
        let json = report::counterexample_json(provenance, original, minimal);
        ShownCounterexample {
            index: provenance.index,
            minimal: minimal.0.clone(),
            original: original.0.clone(),
            verdict: Shown::of(minimal.1),
            original_verdict: Shown::of(original.1),
            replay: report::replay_command(minimal.0, minimal.1),
            json: serde_json::to_string_pretty(&json).expect("JSON serialises") + "\n",
            markdown: report::counterexample_markdown(provenance, original, minimal),
            toml: report::counterexample_toml(provenance, minimal),
        }
    }

    fn into_py_dict<'py>(self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        out.set_item("index", self.index)?;
        out.set_item("case", NativeCase::validated(py, self.minimal)?)?;
        out.set_item("original", NativeCase::validated(py, self.original)?)?;
        out.set_item("verdict", self.verdict.to_py(py)?)?;
        out.set_item("original_verdict", self.original_verdict.to_py(py)?)?;
        out.set_item("replay", self.replay)?;
        out.set_item("json", self.json)?;
        out.set_item("markdown", self.markdown)?;
        out.set_item("toml", self.toml)?;
        Ok(out)
    }
}

type Span<T> = Option<(T, T)>;

/// `defaults` with the ranges given (inclusive `(lo, hi)`) in their place, checked.
fn bounds(
    defaults: &bestofn::search::Bounds,
    k: Span<u32>,
    m: Span<u32>,
    n: Span<u64>,
) -> Result<bestofn::search::Bounds, bestofn::InputError> {
    let k = k.map_or(defaults.k.clone(), |(lo, hi)| lo..=hi);
    let m = m.map_or(defaults.m.clone(), |(lo, hi)| lo..=hi);
    let n = n.map_or(defaults.n.clone(), |(lo, hi)| lo..=hi);
    bestofn::search::Bounds::checked(k, m, n)
}

/// A counterexample search (`bestofn search` for one claim): `{claim, cases, seconds,
/// tally, counterexample, text}`, the counterexample shrunk unless `shrink` is false.
#[pyfunction]
#[pyo3(signature = (claim, k, m, n, trials, time, seed, jobs, shrink, without_hypothesis, progress))]
#[allow(clippy::too_many_arguments)]
fn search<'py>(
    py: Python<'py>,
    claim: String,
    k: Span<u32>,
    m: Span<u32>,
    n: Span<u64>,
    trials: Option<u64>,
    time: Option<f64>,
    seed: u64,
    jobs: Option<usize>,
    shrink: bool,
    without_hypothesis: Option<String>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    use bestofn::search::Limit;
    let limit = match (trials, time) {
        (Some(_), Some(_)) => {
            return Err(CaseError::new_err("time: give trials or time, not both"))
        }
        (_, Some(t)) if !(t > 0.0 && t.is_finite()) => {
            return Err(CaseError::new_err(
                "time: must be a positive number of seconds",
            ))
        }
        (_, Some(t)) => Limit::Time(Duration::from_secs_f64(t)),
        (Some(t), None) => Limit::Trials(t),
        (None, None) => Limit::Trials(bestofn::search::DEFAULT_TRIALS),
    };
    let mut request = bestofn::api::SearchRequest::new(&claim);
    request.bounds = bounds(&request.bounds, k, m, n).map_err(error)?;
    request.limit = limit;
    request.seed = seed;
    request.jobs = jobs;
    request.shrink = shrink;
    request.without_hypothesis = without_hypothesis;
    let total = match limit {
        Limit::Trials(t) => Some(t),
        Limit::Time(_) => None,
    };
    let shown = controlled(py, progress.as_ref(), move |control| {
        let found = bestofn::api::search(
            &request,
            &|cases, found| control.tick((cases, total, found)),
            &control.stop,
        )?;
        let counterexample = found.counterexample.as_ref().map(|r| {
            let provenance = bestofn::report::counterexample::Provenance {
                command: "bestofn search",
                seed: Some(request.seed),
                index: r.found.index,
                grid: None,
            };
            ShownCounterexample::of(
                &provenance,
                (&r.found.spec, &r.found.result),
                (&r.minimal, &r.minimal_result),
            )
        });
        let o = &found.outcome;
        Ok::<_, bestofn::InputError>(RunShown {
            claim: o.tallies[0].0.to_string(),
            cases: o.cases,
            seconds: o.elapsed.as_secs_f64(),
            tally: o.tallies[0].1.clone(),
            counterexample,
            text: bestofn::report::counterexample::search_text(o, request.seed),
        })
    })?
    .map_err(error)?;
    shown.into_py_dict(py)
}

/// What search and exhaust both return: `{claim, cases, seconds, tally, counterexample, text}`.
struct RunShown {
    claim: String,
    cases: u64,
    seconds: f64,
    tally: bestofn::search::Tally,
    counterexample: Option<ShownCounterexample>,
    text: String,
}

impl RunShown {
    fn into_py_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let out = PyDict::new(py);
        out.set_item("claim", self.claim)?;
        out.set_item("cases", self.cases)?;
        out.set_item("seconds", self.seconds)?;
        out.set_item("tally", tally_dict(py, &self.tally)?)?;
        out.set_item(
            "counterexample",
            self.counterexample
                .map(|c| c.into_py_dict(py))
                .transpose()?,
        )?;
        out.set_item("text", self.text)?;
        Ok(out)
    }
}

/// One claim on every case of a grid (`bestofn exhaust`): `{claim, grid, cases, seconds,
/// tally, counterexample, text}`; the counterexample is the first in grid order.
#[pyfunction]
#[pyo3(signature = (claim, k, m, n, den, values, alpha, beta, delta, jobs, without_hypothesis, progress))]
#[allow(clippy::too_many_arguments)]
fn exhaust<'py>(
    py: Python<'py>,
    claim: String,
    k: Span<u32>,
    m: Span<u32>,
    n: Span<u64>,
    den: Option<u32>,
    values: Option<Vec<i64>>,
    alpha: Option<String>,
    beta: Option<String>,
    delta: Option<String>,
    jobs: Option<usize>,
    without_hypothesis: Option<String>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut request = bestofn::api::ExhaustRequest::new(&claim);
    request.bounds = bounds(&request.bounds, k, m, n).map_err(error)?;
    request.den = den.unwrap_or(request.den);
    request.values = values.unwrap_or(request.values);
    request.alpha = alpha;
    request.beta = beta;
    request.delta = delta;
    request.jobs = jobs;
    request.without_hypothesis = without_hypothesis;
    let shown = controlled(py, progress.as_ref(), move |control| {
        let outcome = bestofn::api::exhaust(
            &request,
            &|done, total| control.tick((done, Some(total), 0)),
            &control.stop,
        )?;
        let claim = bestofn::api::claim(&request.claim)?.id.to_string();
        let counterexample = outcome.counterexample.as_ref().map(|f| {
            let provenance = bestofn::report::counterexample::Provenance {
                command: "bestofn exhaust",
                seed: None,
                index: f.index,
                grid: Some(&outcome.grid),
            };
            let found = (&f.spec, &f.result);
            ShownCounterexample::of(&provenance, found, found)
        });
        let text = bestofn::report::counterexample::exhaust_text(&outcome, &claim);
        let certified = outcome.certified();
        let run = RunShown {
            claim,
            cases: outcome.cases,
            seconds: outcome.elapsed.as_secs_f64(),
            tally: outcome.tally,
            counterexample,
            text,
        };
        Ok::<_, bestofn::InputError>((run, certified, outcome.grid))
    })?
    .map_err(error)?;
    let (run, certified, grid) = shown;
    let out = run.into_py_dict(py)?;
    out.set_item("certified", certified)?;
    out.set_item("grid", grid)?;
    Ok(out)
}

/// The builtins of the claim language: `[(name, parameter names, result type, meaning)]`.
#[pyfunction]
fn vocabulary() -> Vec<(String, Vec<String>, String, String)> {
    bestofn::claims::expr::builtins::TABLE
        .iter()
        .map(|row| {
            (
                row.name.to_string(),
                row.param_names.iter().map(|s| s.to_string()).collect(),
                format!("{:?}", row.result),
                row.doc.to_string(),
            )
        })
        .collect()
}

/// The claim catalogue: `[(id, source, statement)]`.
#[pyfunction]
fn catalogue() -> Vec<(String, String, String)> {
    bestofn::claims::CATALOGUE
        .iter()
        .map(|c| {
            (
                c.id.to_string(),
                c.source.to_string(),
                c.statement.to_string(),
            )
        })
        .collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeCase>()?;
    m.add_class::<NativeLaw>()?;
    m.add_function(wrap_pyfunction!(catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(vocabulary, m)?)?;
    m.add_function(wrap_pyfunction!(search, m)?)?;
    m.add_function(wrap_pyfunction!(exhaust, m)?)?;
    m.add("FAMILIES", bestofn::testimpl::FAMILIES)?;
    m.add("MAX_OUTCOMES", bestofn::testimpl::oracle::MAX_OUTCOMES)?;
    m.add("CaseError", m.py().get_type::<CaseError>())?;
    Ok(())
}
