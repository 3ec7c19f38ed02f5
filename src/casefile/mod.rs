//! Case files: a [`CaseSpec`] plus what the file promises about it.
//!
//! A case file uses the same names as the flags (`p`, `reward`, `m`, `n`, `tie_break`, `by`,
//! `q`, `alpha`, `beta`, `delta`) plus `name`, `source`, `notes`, and optionally the
//! expectations that the commands check: `[expected]` exact values (`bestofn law`),
//! `[expected_verdicts]` (`bestofn check`), `[expected_compare]` (`bestofn compare`), and
//! `[[claim]]`/`[define]` claims in the claim language. The format is documented in
//! `docs/case-format.md`.
//!
//! Layering: this module sits above `compare` (it names the failure kinds a file may expect)
//! and below `search` and `report`; the spec it carries is [`crate::spec`], which knows no
//! file format.

pub mod check;
mod reader;
pub mod values;
pub mod verdicts;

use std::path::{Path, PathBuf};

pub use reader::{
    read_claims_document, read_claims_file, write_case, write_case_file, ClaimsDocument,
    LiteratureClaim, NotExpressible,
};
pub use values::{Expected, Mismatch};
pub use verdicts::{ExpectationCheck, ExpectedVerdict};

use crate::claims::expr::{Declaration, Define};
use crate::error::Result;
use crate::float::Arith;
use crate::spec::CaseSpec;

/// A case file read: the case and its expectations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFile {
    /// The case's settings (flags override them through [`CaseFile::overridden_by`]).
    pub spec: CaseSpec,
    /// `[expected]`: exact values `bestofn law` must reproduce.
    pub expected: Expected,
    /// `[expected_verdicts]`: verdicts `bestofn check` must reproduce (claim ids validated
    /// against the catalogue when the file is read).
    pub expected_verdicts: Vec<ExpectedVerdict>,
    /// `[expected_compare]`: `(arithmetic, failure kinds)` that `bestofn compare` must detect,
    /// no more and no fewer.
    pub expected_compare: Vec<(Arith, Vec<String>)>,
    /// `[[claim]]` tables: claims in the claim language that `check` decides on this case.
    pub claims: Vec<Declaration>,
    /// `[define]`: helper functions of those claims.
    pub defines: Vec<Define>,
}

impl CaseFile {
    /// Reads a TOML case file.
    pub fn read(path: &Path) -> Result<CaseFile> {
        reader::read_case_file(path)
    }

    /// Parses case-file text; `origin` names it in errors, `base_dir` resolves relative paths
    /// (scores files).
    pub fn parse(text: &str, origin: &str, base_dir: PathBuf) -> Result<CaseFile> {
        reader::parse_case_file(text, origin, base_dir)
    }

    /// A case given by flags alone: no expectations.
    pub fn from_spec(spec: CaseSpec) -> CaseFile {
        CaseFile {
            spec,
            ..Default::default()
        }
    }

    /// Adds the file's `[[claim]]`s (with its `[define]` helpers) to `set`, in order.
    pub fn register_claims(
        &self,
        set: &mut crate::claims::ClaimSet,
    ) -> Result<Vec<std::sync::Arc<crate::claims::Claim>>> {
        self.claims
            .iter()
            .map(|d| set.declare(d, &self.defines))
            .collect()
    }

    /// The file with its settings overridden by any that `flags` sets.
    pub fn overridden_by(mut self, flags: CaseSpec) -> CaseFile {
        self.spec = self.spec.overridden_by(flags);
        self
    }
}

/// The case files named on a command line, each overridden by the flags; the flags alone when
/// no file is named.
pub fn read_all(files: &[PathBuf], flags: &CaseSpec) -> Result<Vec<CaseFile>> {
    if files.is_empty() {
        return Ok(vec![CaseFile::from_spec(flags.clone())]);
    }
    files
        .iter()
        .map(|path| Ok(CaseFile::read(path)?.overridden_by(flags.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::Route;
    use rug::Rational;

    #[test]
    fn parses_a_case_with_expected_values() {
        let text = r#"
            name = "t"
            p = ["1/2", "0.5"]
            reward = "additive:0,1"
            m = 2
            n = 3
            [expected]
            pi_table = [["1/8", "3/16"], ["3/16", "1/2"]]
            [[expected.marginal]]
            position = 1
            letter = 1
            value = "11/16"
        "#;
        let file = CaseFile::parse(text, "t.toml", PathBuf::new()).unwrap();
        assert_eq!(file.spec.p.as_deref(), Some("1/2,0.5"));
        assert_eq!(file.expected.pi.len(), 4);
        assert_eq!(file.expected.pi[1], (vec![1, 0], Rational::from((3, 16))));
        let (case, route) = file.spec.resolve().unwrap();
        assert_eq!(route, Route::Type);
        assert_eq!(case.n, 3);
    }

    #[test]
    fn refuses_floats_unknown_keys_and_bad_toml() {
        let parse = |text: &str| CaseFile::parse(text, "c.toml", PathBuf::new());
        let e = parse("p = [0.5, 0.5]").unwrap_err().message().to_string();
        assert!(e.contains("TOML float") && e.contains("c.toml"), "{e}");
        let e = parse("pp = \"1\"").unwrap_err().message().to_string();
        assert!(e.contains("'pp' is not a case-file key"), "{e}");
        let e = parse("p = [\"1\"\nm = 2")
            .unwrap_err()
            .message()
            .to_string();
        assert!(e.contains("malformed TOML"), "{e}");
    }

    #[test]
    fn a_written_case_file_reads_back_its_verdicts_and_claims() {
        let file = CaseFile {
            spec: CaseSpec {
                p: Some("1/2,1/2".into()),
                reward: Some("additive:0,1".into()),
                n: Some(2),
                tie_break: Some("lex-min".into()),
                ..Default::default()
            },
            expected_verdicts: vec![
                ExpectedVerdict {
                    claim: "bon-kl-le-log-n".into(),
                    without: None,
                    verdict: "holds".into(),
                },
                ExpectedVerdict {
                    claim: "bon-exchangeable".into(),
                    without: Some("uniform-tie-break".into()),
                    verdict: "fails".into(),
                },
                ExpectedVerdict {
                    claim: "mine".into(),
                    without: None,
                    verdict: "fails".into(),
                },
            ],
            claims: vec![Declaration {
                id: "mine".into(),
                statement: "kl(bon, p) <= 0".into(),
                source: Some("a test".into()),
                notes: None,
                hypotheses: vec!["uniform-tie-break".into()],
                origin: String::new(),
            }],
            ..Default::default()
        };
        let back = CaseFile::parse(&write_case_file(&file), "w.toml", PathBuf::new()).unwrap();
        assert_eq!(back.spec, file.spec);
        let mut verdicts = back.expected_verdicts.clone();
        let mut wanted = file.expected_verdicts.clone();
        let key = |e: &ExpectedVerdict| (e.claim.clone(), e.without.clone());
        verdicts.sort_by_key(key);
        wanted.sort_by_key(key);
        assert_eq!(verdicts, wanted);
        assert_eq!(back.claims.len(), 1);
        let (got, want) = (&back.claims[0], &file.claims[0]);
        assert_eq!(
            (
                &got.id,
                &got.statement,
                &got.source,
                &got.notes,
                &got.hypotheses
            ),
            (
                &want.id,
                &want.statement,
                &want.source,
                &want.notes,
                &want.hypotheses
            )
        );
    }

    #[test]
    fn a_written_spec_reads_back() {
        let spec = CaseSpec {
            p: Some("1/5,3/10,1/2".into()),
            reward: Some("log:6,1,2".into()),
            m: Some(2),
            n: Some(2),
            tie_break: Some("lex-min".into()),
            ..Default::default()
        };
        let back = CaseFile::parse(&write_case(&spec), "w.toml", PathBuf::new()).unwrap();
        assert_eq!(back.spec, spec);
    }
}
