//! `bestofn._native`: the library's [`bestofn::api::Checker`] for Python. Exact values cross
//! as strings `"a/b"` (the Python side makes them `Fraction`s), enclosures as their two ends
//! in lowest terms, so nothing is rounded on the way. Long computations release the GIL.

use std::sync::mpsc::RecvTimeoutError;
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
/// thread (the library has no cancellation points).
fn interruptible<T: Send + 'static>(
    py: Python<'_>,
    work: impl FnOnce() -> T + Send + 'static,
) -> PyResult<T> {
    let (tx, mut rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("bestofn".into())
        .stack_size(64 << 20)
        .spawn(move || {
            let _ = tx.send(work());
        })
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
    loop {
        // The receiver is Send but not Sync: it goes into the GIL-free section and back.
        let (answer, back) = py.detach(move || (rx.recv_timeout(Duration::from_millis(50)), rx));
        rx = back;
        match answer {
            Ok(value) => return Ok(value),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
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

    /// `(route, [(outcome, p, pi)], classes)`: an outcome is a tuple of letters (by sequence)
    /// or of counts per letter (by type); p and pi are exact strings; classes are the outcome
    /// indices of each reward class, lowest reward first; the total is summed here (GMP sums
    /// W1's 20,000-digit values in milliseconds, Python's Fractions in seconds).
    #[allow(clippy::type_complexity)]
    fn law<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(String, Bound<'py, PyList>, Vec<Vec<usize>>, String)> {
        let me = self.clone();
        let table = interruptible(py, move || me.checker()?.law())?.map_err(error)?;
        let rows = PyList::empty(py);
        for ((outcome, p), pi) in table.outcomes.iter().zip(&table.p).zip(&table.pi) {
            let key = match outcome {
                Outcome::Sequence(s) => PyTuple::new(py, s.iter().copied())?,
                Outcome::Type { counts, .. } => PyTuple::new(py, counts.iter().copied())?,
            };
            rows.append((key, hex(p), hex(pi)))?;
        }
        let total: rug::Rational = table.pi.iter().sum();
        Ok((
            table.route.name().to_string(),
            rows,
            table.classes,
            hex(&total),
        ))
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

    /// The law as `bestofn law` prints it.
    fn law_text(&self, py: Python<'_>) -> PyResult<String> {
        let me = self.clone();
        interruptible(py, move || {
            let checker = me.checker()?;
            let table = checker.law()?;
            Ok::<_, bestofn::InputError>(bestofn::report::text::law(checker.case(), &table, false))
        })?
        .map_err(error)
    }
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
    m.add_function(wrap_pyfunction!(catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(vocabulary, m)?)?;
    m.add("FAMILIES", bestofn::testimpl::FAMILIES)?;
    m.add("MAX_OUTCOMES", bestofn::testimpl::oracle::MAX_OUTCOMES)?;
    m.add("CaseError", m.py().get_type::<CaseError>())?;
    Ok(())
}
