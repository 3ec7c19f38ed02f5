//! The literature page (`docs/literature.md`, written by `bestofn literature`): every paper's
//! claims file of `examples/claims/` decided three ways (on the bundled cases, by a seeded
//! search, on a small exhaustive grid), each refutation shrunk and given with the command
//! that replays it, and the statements the language cannot state listed with the reason.
//!
//! The page is a pure function of the claims files, the bundled cases and
//! [`LiteratureSettings`]: searches are seeded and counted in trials (never in seconds), so
//! the suite can check that the committed page is current.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::casefile::{self, CaseFile, ClaimsDocument, NotExpressible};
use crate::claims::{expr, Claim, ClaimResult, ClaimSet, Context, Verdict};
use crate::enclosure::PrecisionPolicy;
use crate::error::{InputError, Result};
use crate::search::exhaust::{self, ExhaustSettings};
use crate::search::gen::Bounds;
use crate::search::{self, Limit, SearchSettings, Tally};

use super::claims::evidence_line;
use super::counterexample::case_flags;

/// What the page is computed from besides the files.
#[derive(Debug, Clone)]
pub struct LiteratureSettings {
    /// The papers' claims files (every `*.toml`, in name order).
    pub claims_dir: PathBuf,
    /// The bundled case files (every `*.toml`, in name order).
    pub cases_dir: PathBuf,
    /// Cases per search.
    pub trials: u64,
    /// The seed of every search.
    pub seed: u64,
    /// What the searched cases range over.
    pub bounds: Bounds,
    /// Alphabet sizes of the grid (m = 1).
    pub grid_k: std::ops::RangeInclusive<u32>,
    /// Numbers of draws of the grid.
    pub grid_n: std::ops::RangeInclusive<u64>,
    /// pmf entries of the grid are the positive multiples of `1/grid_den`.
    pub grid_den: u32,
    /// The per-letter budget of the grid's cases, for statements that read phi.
    pub grid_delta: String,
    /// Worker threads (the results do not depend on it).
    pub jobs: usize,
    /// The precision ladder.
    pub policy: PrecisionPolicy,
    /// The size budget of every case.
    pub budget: crate::model::SizeBudget,
}

impl LiteratureSettings {
    /// The settings the committed page is made with.
    pub fn standard(claims_dir: PathBuf, cases_dir: PathBuf) -> LiteratureSettings {
        LiteratureSettings {
            claims_dir,
            cases_dir,
            trials: 400,
            seed: 1,
            bounds: Bounds {
                k: 2..=4,
                m: 1..=2,
                n: 1..=6,
            },
            grid_k: 2..=3,
            grid_n: 1..=4,
            grid_den: 4,
            grid_delta: "1/10".into(),
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            policy: PrecisionPolicy::default(),
            budget: crate::model::SizeBudget::default(),
        }
    }

    /// The search and grid, spelled as the page states them.
    fn describe(&self) -> (String, String) {
        let b = &self.bounds;
        (
            format!(
                "{} cases of seed {}, K {}..{}, m {}..{}, N {}..{}",
                self.trials,
                self.seed,
                b.k.start(),
                b.k.end(),
                b.m.start(),
                b.m.end(),
                b.n.start(),
                b.n.end()
            ),
            format!(
                "every case with m = 1, K {}..{}, N {}..{}, p in multiples of 1/{}, every weak order of the letters (delta = {} where phi is read)",
                self.grid_k.start(),
                self.grid_k.end(),
                self.grid_n.start(),
                self.grid_n.end(),
                self.grid_den,
                self.grid_delta
            ),
        )
    }
}

/// One paper: its file, title, statements decided and statements not expressible.
#[derive(Debug, Clone)]
pub struct PaperReport {
    /// The claims file, as given.
    pub file: PathBuf,
    /// The paper.
    pub title: String,
    /// Its statements, in the file's order.
    pub statements: Vec<StatementReport>,
    /// What the language cannot state.
    pub not_expressible: Vec<NotExpressible>,
}

/// One statement decided three ways.
#[derive(Debug, Clone)]
pub struct StatementReport {
    /// The claim.
    pub claim: Arc<Claim>,
    /// Its items in the literature list.
    pub items: Vec<u32>,
    /// The hypotheses as the paper states them.
    pub hypotheses: Vec<&'static str>,
    /// Free notes of the file.
    pub notes: Option<String>,
    /// Known false (by the paper or later work).
    pub known_false: bool,
    /// A hypothesis of the paper no discrete case meets (a continuous reward).
    pub assumes: Option<String>,
    /// Its verdicts on the bundled cases.
    pub bundled: Tally,
    /// The bundled cases it fails on (file names).
    pub bundled_failures: Vec<String>,
    /// The bundled cases that could not be decided (too large for a law it reads), and why.
    pub bundled_refused: Vec<(String, String)>,
    /// The standard search.
    pub search: RunReport,
    /// The standard grid.
    pub grid: RunReport,
    /// When neither run refuted it within its hypotheses: the bundled cases and a search
    /// without each hypothesis, the first that refutes it.
    pub without: Option<Without>,
}

impl StatementReport {
    /// Whether a run refuted it within the paper's own hypotheses.
    pub fn fails_within_hypotheses(&self) -> bool {
        self.bundled.fails > 0 || self.search.refutation.is_some() || self.grid.refutation.is_some()
    }
}

/// A hypothesis shown needed: the bundled cases that fail without it, and the search.
#[derive(Debug, Clone)]
pub struct Without {
    /// The hypothesis dropped.
    pub hypothesis: &'static str,
    /// Bundled cases refuting the statement without it.
    pub bundled_failures: Vec<String>,
    /// The search without it.
    pub search: RunReport,
}

/// A search or grid: its counts and its first refutation, shrunk.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// Cases decided.
    pub cases: u64,
    /// Their verdicts.
    pub tally: Tally,
    /// The minimal counterexample.
    pub refutation: Option<Refutation>,
    /// The first case left undecided (or undefined), to look at.
    pub first_undecided: Option<Refutation>,
}

/// A minimal counterexample with what replays it.
#[derive(Debug, Clone)]
pub struct Refutation {
    /// The command that decides it again.
    pub replay: String,
    /// Its evidence on one line.
    pub evidence: String,
}

/// Decides every paper's statements; `progress(paper, statement)` is called before each.
pub fn literature(
    settings: &LiteratureSettings,
    progress: &dyn Fn(&str, &str),
) -> Result<Vec<PaperReport>> {
    let cases = toml_files(&settings.cases_dir, "cases directory")?
        .into_iter()
        .map(|path| {
            let file = CaseFile::read(&path)?;
            Ok((path, file))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut papers = Vec::new();
    for path in toml_files(&settings.claims_dir, "claims directory")? {
        let doc = casefile::read_claims_document(&path)?;
        papers.push(paper(settings, &path, doc, &cases, progress)?);
    }
    Ok(papers)
}

fn toml_files(dir: &Path, what: &str) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| InputError::new(format!("{what} {}: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(InputError::new(format!(
            "{what} {} holds no .toml file",
            dir.display()
        )));
    }
    Ok(files)
}

fn paper(
    settings: &LiteratureSettings,
    path: &Path,
    doc: ClaimsDocument,
    cases: &[(PathBuf, CaseFile)],
    progress: &dyn Fn(&str, &str),
) -> Result<PaperReport> {
    let title = doc
        .title
        .clone()
        .unwrap_or_else(|| path.display().to_string());
    let mut set = ClaimSet::catalogue();
    let mut statements = Vec::new();
    for (decl, lit) in doc.claims.iter().zip(&doc.literature) {
        let claim = set.declare(decl, &doc.defines)?;
        progress(&title, &claim.id);
        let replay_claim = format!("--claims {} --claim {}", path.display(), claim.id);
        let Bundled {
            tally: bundled,
            failures: bundled_failures,
            refused: bundled_refused,
        } = on_bundled_cases(&claim, cases, None, settings.policy)?;
        let search = search_run(settings, &claim, None, &replay_claim)?;
        let grid = grid_run(settings, &claim, &replay_claim)?;
        let hypotheses = expr::declared_hypotheses(&claim);
        let mut without = None;
        if search.refutation.is_none() && grid.refutation.is_none() && bundled.fails == 0 {
            for &h in &hypotheses {
                let bundled_failures =
                    on_bundled_cases(&claim, cases, Some(h), settings.policy)?.failures;
                let run = search_run(settings, &claim, Some(h), &replay_claim)?;
                if run.refutation.is_some() || !bundled_failures.is_empty() {
                    without = Some(Without {
                        hypothesis: h,
                        bundled_failures,
                        search: run,
                    });
                    break;
                }
            }
        }
        statements.push(StatementReport {
            claim,
            items: lit.items.clone(),
            hypotheses,
            notes: decl.notes.clone(),
            known_false: lit.known_false,
            assumes: lit.assumes.clone(),
            bundled,
            bundled_failures,
            bundled_refused,
            search,
            grid,
            without,
        });
    }
    Ok(PaperReport {
        file: path.to_path_buf(),
        title,
        statements,
        not_expressible: doc.not_expressible,
    })
}

/// A statement's verdicts on the bundled cases.
struct Bundled {
    tally: Tally,
    /// The cases it fails on.
    failures: Vec<String>,
    /// The cases refused (too large for a law it reads), with the reason.
    refused: Vec<(String, String)>,
}

fn on_bundled_cases(
    claim: &Arc<Claim>,
    cases: &[(PathBuf, CaseFile)],
    dropped: Option<&str>,
    policy: PrecisionPolicy,
) -> Result<Bundled> {
    let mut tally = Tally::default();
    let (mut failures, mut refused) = (Vec::new(), Vec::new());
    for (path, file) in cases {
        let mut spec = file.spec.clone();
        if spec.n.is_none() {
            if claim.uses_n {
                continue;
            }
            spec.n = Some(1);
        }
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        // A case too large for a law the statement reads (softbon's compositions) is
        // refused, with the reason, not counted.
        let result = Context::from_spec(&spec, policy)
            .and_then(|ctx| claim.evaluate_dropping(&ctx, dropped));
        match result {
            Ok(result) => {
                tally.add(&result.verdict);
                if result.verdict == Verdict::Fails {
                    failures.push(name);
                }
            }
            Err(e) => refused.push((name, e.message().to_string())),
        }
    }
    Ok(Bundled {
        tally,
        failures,
        refused,
    })
}

fn search_run(
    settings: &LiteratureSettings,
    claim: &Arc<Claim>,
    dropped: Option<&'static str>,
    replay_claim: &str,
) -> Result<RunReport> {
    let run = SearchSettings {
        claims: vec![claim.clone()],
        dropped: dropped.map(str::to_string),
        bounds: settings.bounds.clone(),
        limit: Limit::Trials(settings.trials),
        seed: settings.seed,
        jobs: settings.jobs,
        all: false,
        policy: settings.policy,
        budget: settings.budget,
        first: 0,
    };
    let outcome = search::search(&run, &|_, _| {})?;
    let tally = outcome.tallies[0].1.clone();
    let refutation = search::report_first_per_claim(&outcome, settings.policy, true)?
        .into_iter()
        .next()
        .map(|r| refutation(&r.minimal, &r.minimal_result, replay_claim));
    let first_undecided = outcome
        .undecided
        .first()
        .map(|f| self::refutation(&f.spec, &f.result, replay_claim));
    Ok(RunReport {
        cases: outcome.cases,
        tally,
        refutation,
        first_undecided,
    })
}

fn grid_run(
    settings: &LiteratureSettings,
    claim: &Arc<Claim>,
    replay_claim: &str,
) -> Result<RunReport> {
    let grid = ExhaustSettings {
        claim: claim.clone(),
        dropped: None,
        k: settings.grid_k.clone(),
        m: 1..=1,
        n: settings.grid_n.clone(),
        den: settings.grid_den,
        values: vec![0, 1, 2, 3],
        alpha: None,
        beta: None,
        // Only statements that read phi, Delta or alpha get a budget (a replay command
        // carries no flag its statement ignores).
        delta: search::needs_of(std::slice::from_ref(claim), None)
            .budget
            .then(|| settings.grid_delta.clone()),
        jobs: settings.jobs,
        policy: settings.policy,
        budget: settings.budget,
    };
    let outcome = exhaust::exhaust(&grid, &|_, _| {})?;
    let refutation = match &outcome.counterexample {
        None => None,
        Some(found) => {
            let minimal =
                crate::search::shrink::shrink(&found.spec, claim, None, settings.policy).spec;
            let result = search::decide_spec(&minimal, claim, None, settings.policy)?;
            Some(refutation(&minimal, &result, replay_claim))
        }
    };
    Ok(RunReport {
        cases: outcome.cases,
        tally: outcome.tally,
        refutation,
        first_undecided: None,
    })
}

fn refutation(
    spec: &crate::spec::CaseSpec,
    result: &ClaimResult,
    replay_claim: &str,
) -> Refutation {
    Refutation {
        replay: format!(
            "bestofn check {} {replay_claim}{}",
            case_flags(spec),
            result
                .dropped
                .map(|h| format!(" --without-hypothesis {h}"))
                .unwrap_or_default()
        ),
        evidence: evidence_line(result),
    }
}

/// The page: a summary table, then per paper its statements and what it cannot state.
pub fn render_markdown(papers: &[PaperReport], settings: &LiteratureSettings) -> String {
    let (search, grid) = settings.describe();
    let mut out = String::new();
    out.push_str(
        "# The literature, decided\n\n\
         <!-- Generated by `bestofn literature` from examples/claims/*.toml and cases/*.toml; \
         do not edit (the suite checks it is current). -->\n\n",
    );
    out.push_str(
        "Statements about best-of-N and its relatives, as the literature states them, each \
         written in the claim language in `examples/claims/` (one file per paper, with its \
         source, its hypotheses as the paper states them and notes) and decided three ways. \
         The item numbers are those of the list of 69 published statements the files were \
         written from (a reviewer's reading of 13 papers, most of it second-hand); every \
         statement carries its own arXiv id and theorem, so nothing outside the repository is \
         needed to read or rerun it.\n\n",
    );
    writeln!(
        out,
        "- **bundled**: on every case of `cases/` that it applies to;"
    )
    .unwrap();
    writeln!(out, "- **search**: {search};").unwrap();
    writeln!(out, "- **grid**: {grid}.\n").unwrap();
    out.push_str(
        "A refutation is shrunk to a minimal case and given with the command that decides it \
         again. **Finding** marks a statement refuted *within* the hypotheses the paper states. \
         A paper that assumes a continuous reward (which no finite case meets) has its \
         statement decided under distinct-rewards, the closest discrete hypothesis, and a \
         failure reported as outside its hypotheses (\"fails on discrete cases\"): it shows \
         what continuity buys. \"Fails, as is known\" marks a statement the paper itself or \
         later work shows false. A statement that holds is searched again without each of \
         its hypotheses, to show which one it needs. \"Holds\" here means on these cases: a certificate of a grid, not a proof.\n\n",
    );
    // The summary table.
    out.push_str("| paper | statement | items | verdict |\n|---|---|---|---|\n");
    for p in papers {
        for s in &p.statements {
            writeln!(
                out,
                "| {} | `{}` | {} | {} |",
                short_title(&p.title),
                s.claim.id,
                items(&s.items),
                summary(s)
            )
            .unwrap();
        }
        for n in &p.not_expressible {
            writeln!(
                out,
                "| {} | {} | {} | not expressible |",
                short_title(&p.title),
                escape(&n.statement),
                n.item
            )
            .unwrap();
        }
    }
    let stated: usize = papers.iter().map(|p| p.statements.len()).sum();
    let not: usize = papers.iter().map(|p| p.not_expressible.len()).sum();
    writeln!(
        out,
        "\n{stated} statements decided, {not} not expressible, over {} papers.\n",
        papers.len()
    )
    .unwrap();
    for p in papers {
        writeln!(out, "## {}\n", p.title).unwrap();
        writeln!(out, "File: `{}`.\n", p.file.display()).unwrap();
        for s in &p.statements {
            statement_section(&mut out, s);
        }
        if !p.not_expressible.is_empty() {
            out.push_str("Not expressible:\n\n");
            for n in &p.not_expressible {
                writeln!(
                    out,
                    "- item {} ({}): {}. *Why:* {}.",
                    n.item, n.source, n.statement, n.reason
                )
                .unwrap();
            }
            out.push('\n');
        }
    }
    out
}

fn statement_section(out: &mut String, s: &StatementReport) {
    let user = s.claim.user().expect("a claims file's claim");
    writeln!(out, "### `{}` (items {})\n", s.claim.id, items(&s.items)).unwrap();
    writeln!(out, "    {}\n", user.expression.text).unwrap();
    writeln!(out, "- source: {}", s.claim.source).unwrap();
    if !s.hypotheses.is_empty() {
        writeln!(out, "- hypotheses: {}", s.hypotheses.join(", ")).unwrap();
    }
    if let Some(notes) = &s.notes {
        writeln!(out, "- notes: {notes}").unwrap();
    }
    writeln!(out, "- verdict: {}", summary(s)).unwrap();
    let mut bundled = tally_line(&s.bundled, None);
    if !s.bundled_failures.is_empty() {
        write!(bundled, "; fails on {}", s.bundled_failures.join(", ")).unwrap();
    }
    if !s.bundled_refused.is_empty() {
        let names: Vec<&str> = s.bundled_refused.iter().map(|(n, _)| n.as_str()).collect();
        write!(
            bundled,
            "; {} refused ({}: {})",
            names.join(", "),
            names[0],
            escape(&s.bundled_refused[0].1)
        )
        .unwrap();
    }
    writeln!(out, "- bundled: {bundled}").unwrap();
    run_lines(out, "search", &s.search);
    run_lines(out, "grid", &s.grid);
    if let Some(w) = &s.without {
        if !w.bundled_failures.is_empty() {
            writeln!(
                out,
                "- bundled without {}: fails on {}",
                w.hypothesis,
                w.bundled_failures.join(", ")
            )
            .unwrap();
        }
        run_lines(out, &format!("search without {}", w.hypothesis), &w.search);
    }
    out.push('\n');
}

fn run_lines(out: &mut String, name: &str, run: &RunReport) {
    writeln!(out, "- {name}: {}", tally_line(&run.tally, Some(run.cases))).unwrap();
    if let Some(r) = &run.refutation {
        writeln!(out, "  - minimal counterexample: `{}`", r.replay).unwrap();
        writeln!(out, "  - evidence: {}", escape(&r.evidence)).unwrap();
    }
    if let Some(u) = &run.first_undecided {
        writeln!(
            out,
            "  - first undecided: `{}` ({})",
            u.replay,
            escape(&u.evidence)
        )
        .unwrap();
    }
}

fn tally_line(t: &Tally, cases: Option<u64>) -> String {
    let mut parts = vec![format!("{} hold", t.holds), format!("{} fail", t.fails)];
    if t.undecided > 0 {
        parts.push(format!("{} undecided", t.undecided));
    }
    if t.not_applicable > 0 {
        parts.push(format!("{} not applicable", t.not_applicable));
    }
    match cases {
        Some(c) => format!("{c} cases: {}", parts.join(", ")),
        None => parts.join(", "),
    }
}

/// The verdict in a few words.
fn summary(s: &StatementReport) -> String {
    if s.fails_within_hypotheses() {
        return match (&s.assumes, s.known_false) {
            (_, true) => "fails, as is known".into(),
            (Some(assumes), false) => {
                format!("fails on discrete cases (the paper assumes {assumes})")
            }
            (None, false) => "**Finding**: fails within the paper's hypotheses".into(),
        };
    }
    let applicable =
        s.bundled.applicable() + s.search.tally.applicable() + s.grid.tally.applicable();
    let undecided = s.bundled.undecided + s.search.tally.undecided + s.grid.tally.undecided;
    let decided = s.bundled.holds + s.search.tally.holds + s.grid.tally.holds;
    let mut text = if applicable == 0 {
        "applies to no case".to_string()
    } else if decided == 0 {
        "undecided on every case".to_string()
    } else if undecided > 0 {
        format!("holds on {decided} cases, {undecided} undecided")
    } else {
        format!("holds on all {decided} cases")
    };
    if s.known_false {
        text.push_str(" (known false: not refuted on these cases)");
    }
    if let Some(w) = &s.without {
        write!(text, "; fails without {}", w.hypothesis).unwrap();
    }
    text
}

fn items(items: &[u32]) -> String {
    items
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The paper's authors and year (the title up to its first comma).
fn short_title(title: &str) -> &str {
    title.split(',').next().unwrap_or(title)
}

/// Text safe in a Markdown table cell.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}
