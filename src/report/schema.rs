//! The one table of JSON documents bestofn writes: each carries a `"schema"` field naming its
//! shape and version, and each shape is a JSON Schema file under `docs/schema/` (the tests
//! validate every command's output against its file).
//!
//! A version changes when a field is renamed or removed or changes meaning; adding a field
//! does not change it.

use serde_json::{Map, Value as Json};

/// A JSON document bestofn writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// `law --json`.
    Law,
    /// `law --summary --json`.
    LawSummary,
    /// `check --json`.
    Check,
    /// `claims --json`.
    Claims,
    /// `search --json`.
    Search,
    /// `exhaust --json` without a certificate.
    Exhaust,
    /// `counterexample.json` of `search --report` and `exhaust --report`.
    Counterexample,
    /// `exhaust --certificate`, `merge` (and `exhaust --json` when it writes a certificate).
    Certificate,
    /// `test-impl --json` and `test-impl.json` of `test-impl --report`.
    TestImpl,
    /// `asymptotics --json`.
    Asymptotics,
    /// `tradeoff --json`.
    Tradeoff,
    /// `compare --json`.
    Compare,
}

impl Schema {
    /// Every document, in the order docs list them.
    pub const ALL: [Schema; 12] = [
        Schema::Law,
        Schema::LawSummary,
        Schema::Check,
        Schema::Claims,
        Schema::Search,
        Schema::Exhaust,
        Schema::Counterexample,
        Schema::Certificate,
        Schema::TestImpl,
        Schema::Asymptotics,
        Schema::Tradeoff,
        Schema::Compare,
    ];

    /// The name without its version: the `"schema"` value is `bestofn-{name}/{version}` and
    /// the file is `docs/schema/{name}.schema.json`.
    pub fn name(self) -> &'static str {
        match self {
            Schema::Law => "law",
            Schema::LawSummary => "law-summary",
            Schema::Check => "check",
            Schema::Claims => "claims",
            Schema::Search => "search",
            Schema::Exhaust => "exhaust",
            Schema::Counterexample => "counterexample",
            Schema::Certificate => "certificate",
            Schema::TestImpl => "test-impl",
            Schema::Asymptotics => "asymptotics",
            Schema::Tradeoff => "tradeoff",
            Schema::Compare => "compare",
        }
    }

    /// The current version of the shape.
    pub fn version(self) -> u32 {
        match self {
            // /1 carried its tag as `"format"`; /2 as `"schema"` like every other document.
            Schema::Certificate | Schema::TestImpl => 2,
            _ => 1,
        }
    }

    /// The `"schema"` value, e.g. `bestofn-law/1`.
    pub fn id(self) -> String {
        format!("bestofn-{}/{}", self.name(), self.version())
    }

    /// The schema file, relative to the repository root.
    pub fn file(self) -> String {
        format!("docs/schema/{}.schema.json", self.name())
    }

    /// What writes the document, for docs.
    pub fn written_by(self) -> &'static str {
        match self {
            Schema::Law => "`law --json`",
            Schema::LawSummary => "`law --summary --json`",
            Schema::Check => "`check --json`",
            Schema::Claims => "`claims --json`",
            Schema::Search => "`search --json`",
            Schema::Exhaust => "`exhaust --json` (without `--certificate`)",
            Schema::Counterexample => "`counterexample.json` of `search`/`exhaust --report`",
            Schema::Certificate => {
                "`exhaust --certificate`, `exhaust --shard`, `merge` (and their `--json`)"
            }
            Schema::TestImpl => "`test-impl --json`, `test-impl.json` of `--report`",
            Schema::Asymptotics => "`asymptotics --json`",
            Schema::Tradeoff => "`tradeoff --json`",
            Schema::Compare => "`compare --json`",
        }
    }

    /// `value` (an object) with `"schema"` as its first field.
    pub fn stamp(self, value: Json) -> Json {
        let Json::Object(fields) = value else {
            panic!("only objects carry a schema field")
        };
        let mut out = Map::with_capacity(fields.len() + 1);
        out.insert("schema".into(), Json::String(self.id()));
        out.extend(fields.into_iter().filter(|(k, _)| k != "schema"));
        Json::Object(out)
    }

    /// The schema a document names, if it is one of ours at its current version.
    pub fn of(value: &Json) -> Option<Schema> {
        let tag = value.get("schema")?.as_str()?;
        Schema::ALL.into_iter().find(|s| s.id() == tag)
    }

    /// The Markdown table of every document (docs/cli.md shows it; a test keeps it current).
    pub fn table() -> String {
        let mut out = String::from("| `schema` | written by | file |\n|---|---|---|\n");
        for s in Schema::ALL {
            out.push_str(&format!(
                "| `{}` | {} | [`{name}.schema.json`](schema/{name}.schema.json) |\n",
                s.id(),
                s.written_by(),
                name = s.name()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamping_puts_the_schema_first_and_replaces_an_old_one() {
        let value = serde_json::json!({"a": 1, "schema": "old"});
        let stamped = Schema::Law.stamp(value);
        let keys: Vec<&String> = stamped.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["schema", "a"]);
        assert_eq!(stamped["schema"], "bestofn-law/1");
        assert_eq!(Schema::of(&stamped), Some(Schema::Law));
        assert_eq!(
            Schema::of(&serde_json::json!({"schema": "bestofn-law/0"})),
            None
        );
    }

    #[test]
    fn names_are_distinct() {
        let mut names: Vec<&str> = Schema::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Schema::ALL.len());
    }
}
