//! `bestofn._native`: the library's [`bestofn::api::Checker`] for Python. Exact values cross
//! as strings `"a/b"` (the Python side makes them `Fraction`s), enclosures as their two ends
//! in lowest terms, so nothing is rounded on the way. Long computations release the GIL.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use bestofn::api::Checker;
use bestofn::claims::{ClaimResult, Value};
use bestofn::law::Outcome;
use bestofn::model::Case;

create_exception!(
    bestofn,
    CaseError,
    PyValueError,
    "Bad input: the same sentence the command line prints (what was wrong and where)."
);

fn error(e: bestofn::InputError) -> PyErr {
    CaseError::new_err(e.message().to_string())
}

/// One case's settings, validated. The library's `Checker` caches per thread (it is not
/// `Send`), so each call builds one inside the GIL-free section: building is cheap beside
/// the law it computes.
#[pyclass(frozen)]
struct NativeCase {
    settings: Settings,
}

#[derive(Clone)]
struct Settings {
    p: String,
    reward: Option<String>,
    m: u32,
    n: u64,
    tie_break: String,
    by: String,
    q: Option<String>,
    alpha: Option<String>,
    beta: Option<String>,
    delta: Option<String>,
}

impl Settings {
    fn checker(&self) -> Result<Checker, bestofn::InputError> {
        build(
            &self.p,
            self.reward.as_deref(),
            self.m,
            self.n,
            &self.tie_break,
            &self.by,
            self.q.as_deref(),
            self.alpha.as_deref(),
            self.beta.as_deref(),
            self.delta.as_deref(),
        )
    }
}

/// Settings as exact text: the same spellings as the flags and case files.
#[allow(clippy::too_many_arguments)]
fn build(
    p: &str,
    reward: Option<&str>,
    m: u32,
    n: u64,
    tie_break: &str,
    by: &str,
    q: Option<&str>,
    alpha: Option<&str>,
    beta: Option<&str>,
    delta: Option<&str>,
) -> Result<Checker, bestofn::InputError> {
    let mut b = Case::builder().p(p).m(m).n(n).tie_break(tie_break).by(by);
    if let Some(r) = reward {
        b = b.reward(r);
    }
    for (value, set) in [
        (q, bestofn::api::CaseBuilder::q as fn(_, &str) -> _),
        (alpha, bestofn::api::CaseBuilder::alpha),
        (beta, bestofn::api::CaseBuilder::beta),
        (delta, bestofn::api::CaseBuilder::delta),
    ] {
        if let Some(v) = value {
            b = set(b, v);
        }
    }
    b.build()
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
        let value = |v: &Value| -> Vec<String> {
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
        };
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

#[pymethods]
impl NativeCase {
    #[new]
    #[pyo3(signature = (p, reward, m, n, tie_break, by, q=None, alpha=None, beta=None, delta=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        p: &str,
        reward: Option<&str>,
        m: u32,
        n: u64,
        tie_break: &str,
        by: &str,
        q: Option<&str>,
        alpha: Option<&str>,
        beta: Option<&str>,
        delta: Option<&str>,
    ) -> PyResult<NativeCase> {
        let settings = Settings {
            p: p.into(),
            reward: reward.map(Into::into),
            m,
            n,
            tie_break: tie_break.into(),
            by: by.into(),
            q: q.map(Into::into),
            alpha: alpha.map(Into::into),
            beta: beta.map(Into::into),
            delta: delta.map(Into::into),
        };
        let s = settings.clone();
        py.detach(move || s.checker().map(drop)).map_err(error)?;
        Ok(NativeCase { settings })
    }

    /// `(route, [(outcome, p, pi)])`: an outcome is a tuple of letters (by sequence) or of
    /// counts per letter (by type); p and pi are exact strings.
    fn law<'py>(&self, py: Python<'py>) -> PyResult<(String, Bound<'py, PyList>)> {
        let s = self.settings.clone();
        let table = py.detach(move || s.checker()?.law()).map_err(error)?;
        let rows = PyList::empty(py);
        for ((outcome, p), pi) in table.outcomes.iter().zip(&table.p).zip(&table.pi) {
            let key = match outcome {
                Outcome::Sequence(s) => PyTuple::new(py, s.iter().copied())?,
                Outcome::Type { counts, .. } => PyTuple::new(py, counts.iter().copied())?,
            };
            rows.append((key, hex(p), hex(pi)))?;
        }
        Ok((table.route.name().to_string(), rows))
    }

    /// One claim (a catalogue id, or a statement of the claim language) decided.
    fn check<'py>(&self, py: Python<'py>, claim: &str) -> PyResult<Bound<'py, PyDict>> {
        let is_id = bestofn::claims::CATALOGUE.iter().any(|c| c.id == claim);
        let (s, claim) = (self.settings.clone(), claim.to_string());
        let result = py
            .detach(move || {
                let checker = s.checker()?;
                let r = if is_id {
                    checker.check(&claim)
                } else {
                    checker.check_statement(&claim)
                }?;
                Ok::<_, bestofn::InputError>(Shown::of(&r))
            })
            .map_err(error)?;
        result.to_py(py)
    }

    /// Every catalogue claim decided, in catalogue order.
    fn check_catalogue<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let s = self.settings.clone();
        let results = py
            .detach(move || {
                let all = s.checker()?.check_all()?;
                Ok::<_, bestofn::InputError>(all.iter().map(Shown::of).collect::<Vec<_>>())
            })
            .map_err(error)?;
        let out = PyList::empty(py);
        for r in &results {
            out.append(r.to_py(py)?)?;
        }
        Ok(out)
    }

    /// The case as the command line writes it (`--p ... --reward ... --m ... --n ...`).
    fn flags(&self) -> PyResult<String> {
        let checker = self.settings.checker().map_err(error)?;
        Ok(bestofn::report::case_line_full(checker.case()))
    }
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
    m.add("CaseError", m.py().get_type::<CaseError>())?;
    Ok(())
}
