//! The architecture invariants of docs/ARCHITECTURE.md that are about the code's shape, read
//! from the sources: the layer order of `use crate::` edges (the order itself is read from
//! ARCHITECTURE.md, so the document and the test cannot drift apart), claim modules sharing
//! only through `claims::support`, floats only where the document allows them, and serde only
//! in the layers that speak JSON/TOML.
//!
//! Test modules (`#[cfg(test)] mod tests` at the end of a file) are not checked: a module's
//! own tests may build their inputs with any layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Every library source file (not the binary: main.rs and cmd/ sit above everything).
fn library_sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&Path::new(ROOT).join("src"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(ROOT)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&path).unwrap())
        })
        .filter(|(rel, _)| rel != "src/main.rs" && !rel.starts_with("src/cmd/"))
        .collect()
}

/// The code of a file without comments, string literals' contents kept, and without its
/// trailing test module.
fn code_of(text: &str) -> String {
    let body = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    body.lines()
        .map(|line| match line.trim_start().starts_with("//") {
            true => "",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a source file belongs to (`src/law/exact.rs` -> `law`).
fn module_of(rel: &str) -> String {
    let rest = rel.trim_start_matches("src/");
    let first = rest.split('/').next().unwrap();
    first.trim_end_matches(".rs").to_string()
}

/// The second-level module of a path under `src/claims/` (`src/claims/expr/eval.rs` -> `expr`).
fn claims_module_of(rel: &str) -> Option<String> {
    let rest = rel.strip_prefix("src/claims/")?;
    Some(
        rest.split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string(),
    )
}

/// The paths a piece of code names after `crate::`, as `a::b` pairs (`crate::{a::b, c}`
/// gives `a::b` and `c`).
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(found) = code[at..].find("crate::") {
        let start = at + found;
        at = start + "crate::".len();
        // Not part of a longer identifier (`bestofn_crate::`).
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        if code[at..].starts_with('{') {
            // A group: split its top level at commas.
            let mut depth = 0;
            let mut item = String::new();
            for c in code[at..].chars() {
                match c {
                    '{' => {
                        depth += 1;
                        if depth > 1 {
                            item.push(c);
                        }
                    }
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            out.push(path_head(&item));
                            break;
                        }
                        item.push(c);
                    }
                    ',' if depth == 1 => {
                        out.push(path_head(&item));
                        item.clear();
                    }
                    _ => item.push(c),
                }
            }
        } else {
            out.push(path_head(&code[at..]));
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// `claims::support::{x, y}` -> `claims::support`; `law` -> `law`.
fn path_head(text: &str) -> String {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let text = text.trim();
    let first = ident(text);
    match text[first.len()..].strip_prefix("::") {
        Some(rest) if !rest.starts_with('{') => format!("{first}::{}", ident(rest)),
        _ => first,
    }
}

/// The layer order documented in ARCHITECTURE.md: the line starting `Layers, lowest first:`
/// lists modules separated by `<`, modules of one rank separated by `,`.
fn documented_layers() -> BTreeMap<String, usize> {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/ARCHITECTURE.md")).unwrap();
    let line = doc
        .lines()
        .find(|l| l.starts_with("Layers, lowest first:"))
        .expect("ARCHITECTURE.md states the layer order on a line 'Layers, lowest first: ...'");
    let mut ranks = BTreeMap::new();
    for (rank, group) in line["Layers, lowest first:".len()..].split('<').enumerate() {
        for module in group.split(',') {
            let module = module.trim().trim_end_matches('.').trim_matches('`');
            if !module.is_empty() {
                ranks.insert(module.to_string(), rank);
            }
        }
    }
    ranks
}

/// Every `use crate::` edge that runs against the layer order, as `file: a -> b`.
fn upward_edges(sources: &[(String, String)], ranks: &BTreeMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (rel, text) in sources {
        let from = module_of(rel);
        let Some(&from_rank) = ranks.get(&from) else {
            if from != "lib" {
                out.push(format!(
                    "{rel}: module '{from}' is not in ARCHITECTURE.md's layer order"
                ));
            }
            continue;
        };
        for path in crate_paths(&code_of(text)) {
            let to = path.split("::").next().unwrap().to_string();
            if to == from {
                continue;
            }
            match ranks.get(&to) {
                Some(&to_rank) if to_rank <= from_rank => {}
                Some(_) => out.push(format!("{rel}: {from} -> {to} (crate::{path}) runs upward")),
                None => {}
            }
        }
    }
    out
}

#[test]
fn no_import_runs_against_the_documented_layer_order() {
    let ranks = documented_layers();
    assert!(ranks.len() >= 10, "layers read: {ranks:?}");
    let violations = upward_edges(&library_sources(), &ranks);
    assert!(
        violations.is_empty(),
        "imports against docs/ARCHITECTURE.md's layer order:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_layer_check_catches_an_upward_import() {
    let ranks = documented_layers();
    let planted = vec![
        (
            "src/law/planted.rs".to_string(),
            "use crate::model::Case;\nuse crate::report::text;\n".to_string(),
        ),
        (
            "src/model/planted.rs".to_string(),
            "fn f() { let _ = crate::{exact::parse_rational, search::gen::Bounds}; }\n".to_string(),
        ),
        (
            "src/exact/planted.rs".to_string(),
            "// use crate::report::text;  (a comment is no import)\n".to_string(),
        ),
    ];
    let found = upward_edges(&planted, &ranks);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("law -> report"), "{found:?}");
    assert!(found[1].contains("model -> search"), "{found:?}");
}

/// The claim modules (one per claim or family), which share only through `support`,
/// `context`, the claim language and `mod.rs`'s types.
const CLAIMS_SHARED: &[&str] = &["mod", "support", "context", "expr", "restated"];

fn claim_module_edges(sources: &[(String, String)]) -> Vec<String> {
    let claim_modules: Vec<String> = sources
        .iter()
        .filter_map(|(rel, _)| claims_module_of(rel))
        .filter(|m| !CLAIMS_SHARED.contains(&m.as_str()))
        .collect();
    let mut out = Vec::new();
    for (rel, text) in sources {
        let Some(from) = claims_module_of(rel) else {
            continue;
        };
        let code = code_of(text);
        for to in &claim_modules {
            if *to == from || from == "mod" {
                continue;
            }
            let named = crate_paths(&code)
                .iter()
                .any(|p| *p == format!("claims::{to}"))
                || code.contains(&format!("super::{to}::"))
                || code.contains(&format!("use super::{to}"));
            if named {
                out.push(format!("{rel}: claims::{from} uses claims::{to}"));
            }
        }
    }
    out
}

#[test]
fn claim_modules_share_only_through_support() {
    let found = claim_module_edges(&library_sources());
    assert!(
        found.is_empty(),
        "claim modules must share through claims::support:\n{}",
        found.join("\n")
    );
    let planted = vec![
        (
            "src/claims/asym_bounds.rs".to_string(),
            "use super::klrl_optimal_tilt::GOAL_BITS;\n".to_string(),
        ),
        (
            "src/claims/klrl_optimal_tilt.rs".to_string(),
            "use crate::claims::support::GOAL_BITS;\n".to_string(),
        ),
    ];
    assert_eq!(claim_module_edges(&planted).len(), 1);
}

/// Where floats may be computed (ARCHITECTURE.md): the float pipelines, the report layer's
/// pixels, test-impl's answers of float code and its G-test, and one exponent estimate.
fn float_allowed(rel: &str, line: &str) -> bool {
    rel.starts_with("src/float/")
        || rel.starts_with("src/report/")
        || rel.starts_with("src/testimpl/")
        || rel == "src/enclosure/fast.rs"
        || (rel == "src/exact/decimal.rs"
            && (line.contains("as f64") || line.contains("f64::consts")))
}

#[test]
fn floats_only_where_the_architecture_allows_them() {
    let mut found = Vec::new();
    for (rel, text) in library_sources() {
        for (i, line) in code_of(&text).lines().enumerate() {
            let float = ["f64", "f32"].iter().any(|t| {
                line.match_indices(t).any(|(at, _)| {
                    let before = line[..at].chars().next_back();
                    let after = line[at + 3..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric())
                        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
                })
            });
            if float && !float_allowed(&rel, line) {
                found.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "floats outside float/report/testimpl:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_format_layers_know_serde_and_toml() {
    let allowed = |rel: &str| {
        rel.starts_with("src/report/")
            || rel.starts_with("src/casefile/")
            || rel.starts_with("src/testimpl/")
    };
    let mut found = Vec::new();
    for (rel, text) in library_sources() {
        let code = code_of(&text);
        if ["serde", "toml::"].iter().any(|t| code.contains(t)) && !allowed(&rel) {
            found.push(rel);
        }
    }
    assert!(found.is_empty(), "serde or TOML in {found:?}");
}

/// The binary's files (main.rs and cmd/).
fn binary_sources() -> Vec<(String, String)> {
    let mut out = vec![(
        "src/main.rs".to_string(),
        std::fs::read_to_string(Path::new(ROOT).join("src/main.rs")).unwrap(),
    )];
    let mut cmd: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("src/cmd"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cmd.sort();
    for path in cmd {
        let rel = format!("src/cmd/{}", path.file_name().unwrap().to_string_lossy());
        out.push((rel, std::fs::read_to_string(&path).unwrap()));
    }
    out
}

#[test]
fn the_library_never_prints_and_the_binary_builds_no_reports() {
    let mut found = Vec::new();
    for (rel, text) in library_sources() {
        let code = code_of(&text);
        for mac in ["println!", "print!(", "eprintln!", "eprint!(", "dbg!("] {
            if code.contains(mac) {
                found.push(format!("{rel}: the library prints ({mac})"));
            }
        }
    }
    // Reports (JSON values, their edits) are built in `report`; the binary prints them.
    for (rel, text) in binary_sources() {
        let code = code_of(&text);
        if code.contains("json!(") {
            found.push(format!("{rel}: the binary builds JSON (json!)"));
        }
        if code.lines().any(|l| l.contains("\"] = ")) {
            found.push(format!(
                "{rel}: the binary edits JSON (value[\"key\"] = ...)"
            ));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
