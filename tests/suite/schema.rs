//! Every command's JSON against its JSON Schema under docs/schema/: each document names its
//! schema in its `"schema"` field, the file of that name validates it, and every schema of the
//! table is met by some command here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use bestofn::report::schema::Schema;
use serde_json::Value as Json;

use crate::common::{bestofn, Scratch};

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema")
}

fn read_json(path: &Path) -> Json {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A validator of one schema file, its relative `$ref`s resolved next to it.
fn validator(schema: Schema) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(schema.file());
    jsonschema::options()
        .with_base_uri(format!("file://{}", path.display()))
        .build(&read_json(&path))
        .unwrap_or_else(|e| panic!("{}: not a valid schema: {e}", path.display()))
}

/// Validates a document (or each of an array of them) against the schema it names; returns
/// the schemas met.
fn validate(label: &str, value: &Json) -> Vec<Schema> {
    let documents: Vec<&Json> = match value {
        Json::Array(items) => items.iter().collect(),
        one => vec![one],
    };
    assert!(!documents.is_empty(), "{label}: no document");
    let mut met = Vec::new();
    for document in documents {
        let schema = Schema::of(document).unwrap_or_else(|| {
            panic!(
                "{label}: no current \"schema\" field: {:?}",
                document.get("schema")
            )
        });
        let errors: Vec<String> = validator(schema)
            .iter_errors(document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{label}: does not validate against {}:\n{}",
            schema.file(),
            errors.join("\n")
        );
        met.push(schema);
    }
    // The array form must validate as a whole too (the top-level oneOf).
    if value.is_array() {
        let first = Schema::of(&value[0]).expect("named");
        assert!(
            validator(first).is_valid(value),
            "{label}: the array does not validate against {}",
            first.file()
        );
    }
    met
}

fn run_json(args: &[&str]) -> Json {
    let out = bestofn(args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "bestofn {}: not JSON ({e}); status {:?}, stderr {}",
            args.join(" "),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn every_schema_file_is_a_valid_schema_and_the_table_lists_them() {
    let mut on_disk: BTreeSet<String> = std::fs::read_dir(schema_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(on_disk.remove("common.schema.json"));
    let listed: BTreeSet<String> = Schema::ALL
        .iter()
        .map(|s| format!("{}.schema.json", s.name()))
        .collect();
    assert_eq!(on_disk, listed, "docs/schema/ and Schema::ALL differ");
    for schema in Schema::ALL {
        validator(schema);
        let file = read_json(&Path::new(env!("CARGO_MANIFEST_DIR")).join(schema.file()));
        assert!(
            file.to_string().contains(&format!("\"{}\"", schema.id())),
            "{} does not pin \"schema\" to {}",
            schema.file(),
            schema.id()
        );
    }
    let cli =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md")).unwrap();
    assert!(
        cli.contains(&Schema::table()),
        "docs/cli.md must show the table of schemas as `Schema::table()` prints it:\n{}",
        Schema::table()
    );
}

#[test]
fn a_document_that_breaks_its_schema_is_rejected() {
    // The validation is not vacuous: a case with p as one comma string (the old shape), an
    // enclosure as one "[lo, hi]" string, a summary as prose, each fail.
    let mut law = run_json(&["law", "cases/example2.toml", "--json"]);
    law["case"]["p"] = Json::String("1/5,3/10,1/2".into());
    assert!(!validator(Schema::Law).is_valid(&law));
    let mut check = run_json(&["check", "cases/example2.toml", "--json"]);
    check["summary"] = Json::String("23 claims: 11 hold".into());
    assert!(!validator(Schema::Check).is_valid(&check));
    let mut check = run_json(&["check", "cases/example2.toml", "--json"]);
    check["results"][2]["evidence"]["log(N)"] = Json::String("[0.69, 0.70]".into());
    check["results"][2]["evidence"]["extra"] = serde_json::json!({"lo": "1"});
    assert!(!validator(Schema::Check).is_valid(&check));
}

#[test]
fn every_command_json_validates_against_its_schema() {
    let s = Scratch::new("schema");
    let dir = |name: &str| s.path(name);
    let (search_dir, exhaust_dir, impl_dir) = (dir("search"), dir("exhaust"), dir("impl"));
    let (cert, shard1, shard2, merged) = (
        dir("cert.json"),
        dir("s1.json"),
        dir("s2.json"),
        dir("merged.json"),
    );
    let runs: Vec<Vec<&str>> = vec![
        vec!["law", "cases/example2.toml", "--json"],
        vec![
            "law",
            "cases/example2.toml",
            "cases/lex-min-not-exchangeable.toml",
            "--json",
        ],
        vec!["law", "cases/example2.toml", "--summary", "--json"],
        vec![
            "law",
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--m",
            "3",
            "--n",
            "2",
            "--by",
            "sequence",
            "--json",
        ],
        vec!["check", "cases/example2.toml", "--json"],
        vec![
            "check",
            "cases/example2.toml",
            "cases/lex-min-not-exchangeable.toml",
            "--json",
        ],
        vec![
            "check",
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--n",
            "2",
            "--assert",
            "kl(bon, p) <= log(N)",
            "--json",
        ],
        vec!["claims", "--json"],
        vec![
            "search",
            "--claim",
            "bon-memoryless",
            "--seed",
            "1",
            "--json",
            "--report",
            &search_dir,
        ],
        vec![
            "exhaust",
            "--claim",
            "bon-kl-formula-exact",
            "--json",
            "--report",
            &exhaust_dir,
        ],
        vec!["exhaust", "--claim", "bon-kl-le-log-n", "--json"],
        vec![
            "exhaust",
            "--claim",
            "bon-kl-le-log-n",
            "--json",
            "--certificate",
            &cert,
        ],
        vec![
            "exhaust",
            "--claim",
            "bon-kl-le-log-n",
            "--shard",
            "1/2",
            "--certificate",
            &shard1,
            "--json",
        ],
        vec![
            "exhaust",
            "--claim",
            "bon-kl-le-log-n",
            "--shard",
            "2/2",
            "--certificate",
            &shard2,
            "--json",
        ],
        vec![
            "asymptotics",
            "--p",
            "1/2,1/2",
            "--q",
            "3/4,1/4",
            "--delta",
            "1/10",
            "--m",
            "1..4",
            "--json",
        ],
        vec![
            "tradeoff", "--p", "1/2,1/2", "--q", "3/4,1/4", "--n-max", "6", "--json",
        ],
        vec!["compare", "cases/float-invented-tie.toml", "--json"],
        vec![
            "compare",
            "cases/float-invented-tie.toml",
            "cases/float-underflow-large-n.toml",
            "--json",
        ],
        vec![
            "test-impl",
            "--kind",
            "law",
            "--trials",
            "30",
            "--json",
            "--report",
            &impl_dir,
            "--",
            "python3",
            "examples/impls/law_float32.py",
        ],
        vec![
            "test-impl",
            "--kind",
            "scalar",
            "--scalar",
            "kl",
            "--trials",
            "10",
            "--json",
            "--",
            "python3",
            "examples/impls/scalar_kl_formula.py",
        ],
    ];
    let mut met = BTreeSet::new();
    for args in &runs {
        let label = format!("bestofn {}", args.join(" "));
        for schema in validate(&label, &run_json(args)) {
            met.insert(schema.name());
        }
    }
    // The files the runs wrote.
    let merge = bestofn(&["merge", &shard1, &shard2, "-o", &merged]);
    assert!(
        merge.status.success(),
        "{}",
        String::from_utf8_lossy(&merge.stderr)
    );
    for file in [
        format!("{search_dir}/counterexample.json"),
        format!("{exhaust_dir}/counterexample.json"),
        cert.clone(),
        merged.clone(),
        format!("{impl_dir}/test-impl.json"),
    ] {
        for schema in validate(&file, &read_json(Path::new(&file))) {
            met.insert(schema.name());
        }
    }
    let all: BTreeSet<&str> = Schema::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(met, all, "some schema is met by no command of this test");
}
