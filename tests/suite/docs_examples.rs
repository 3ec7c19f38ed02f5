//! Every `bestofn` command shown in README.md and docs/*.md runs, and prints what the docs show.
//!
//! Commands are the lines of code blocks that start with `bestofn ` or `$ bestofn ` (synopses
//! with `[...]` or placeholders such as `CASE.toml` and `ID` are skipped). Each file's commands run
//! in order, through `sh` (so globs such as `cases/float-*.toml` expand), in a scratch directory
//! where `cases/`, `examples/` and `python/` are the repository's, so files they write (reports, plots) land there and later
//! commands (`recheck out/counterexample.json`) find them. A command must exit 0, 1, 3 or 4
//! (a verdict, never bad input or a crash), or 2 when the docs show its `bestofn: error` line.
//! After a `$ bestofn` line, the lines the README shows
//! up to the next command or the end of the block must appear in the output in order; a shown
//! line ending in `...` matches any line it begins, a line `...` alone matches anything.
//!
//! Two rewrites keep the suite short, and are the only ones: `--time T` searches run for 2 s,
//! and `bestofn bench` runs one repetition without the asymptotics workload.

use std::path::{Path, PathBuf};
use std::process::Command;

struct Example {
    file: String,
    line: usize,
    command: String,
    shown: Vec<String>,
}

fn is_synopsis(command: &str) -> bool {
    command.contains('[')
        || command.contains("CASE.toml")
        || command.contains(" ID")
        || command.contains("FILE")
        || command.contains("KIND:VALUES")
        || command.contains("...")
}

/// The commands of one Markdown file, with the output lines shown after `$ ` commands.
fn examples(path: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(path).unwrap();
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    let mut out: Vec<Example> = Vec::new();
    let mut in_fence = false;
    // Fences tagged sh/yaml hold recipes for other machines (Slurm, Kubernetes); they are
    // exercised where they can be (tests/suite/scale.rs), not line by line here.
    let mut in_recipe = false;
    let mut collecting = false;
    for (i, raw) in text.lines().enumerate() {
        if let Some(tag) = raw.trim_start().strip_prefix("```") {
            in_fence = !in_fence;
            in_recipe = in_fence && !tag.trim().is_empty();
            collecting = false;
            continue;
        }
        if in_recipe {
            continue;
        }
        let indented = raw.starts_with("    ");
        if !in_fence && !indented {
            collecting = false;
            continue;
        }
        let line = raw.trim();
        let (dollar, rest) = match line.strip_prefix("$ ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        if let Some(args) = rest.strip_prefix("bestofn ") {
            // Drop a trailing comment (two spaces then #).
            let args = args.split("  #").next().unwrap().trim();
            collecting = dollar;
            if is_synopsis(args) {
                collecting = false;
                continue;
            }
            out.push(Example {
                file: file.clone(),
                line: i + 1,
                command: format!("bestofn {args}"),
                shown: Vec::new(),
            });
            continue;
        }
        if collecting && !line.is_empty() {
            if let Some(last) = out.last_mut() {
                last.shown.push(line.to_string());
            }
        }
    }
    out
}

fn rewrite(command: &str) -> String {
    let words: Vec<&str> = command.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "--time" && i + 1 < words.len() {
            out.push("--time 2".to_string());
            i += 2;
            continue;
        }
        out.push(words[i].to_string());
        i += 1;
    }
    let mut command = out.join(" ");
    if command == "bestofn bench" {
        command.push_str(" --repeat 1 --asymptotics-runs 0");
    }
    command
}

/// Runs of spaces collapse to one: the docs may align columns differently.
fn normalise(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a printed line matches a shown one, where each `...` stands for any text.
fn matches(printed: &str, shown: &str) -> bool {
    let (printed, shown) = (normalise(printed), normalise(shown));
    let parts: Vec<&str> = shown.split("...").map(str::trim).collect();
    if parts.len() == 1 {
        return printed == shown;
    }
    let mut rest = printed.as_str();
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        match rest.find(part) {
            Some(0) => {}
            Some(_) if i == 0 => return false,
            Some(_) => {}
            None => return false,
        }
        let at = rest.find(part).unwrap();
        rest = &rest[at + part.len()..];
        if i == parts.len() - 1 && !rest.is_empty() {
            return false;
        }
    }
    true
}

/// Whether the shown lines are what was printed: consecutive shown lines are consecutive
/// printed lines, and only a `...` line stands for lines left out (at the start, between, or
/// at the end), so an output cut without saying so is caught.
fn shows(output: &str, shown: &[String]) -> Result<(), String> {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut segments: Vec<Vec<&String>> = vec![Vec::new()];
    for want in shown {
        if want.trim() == "..." {
            segments.push(Vec::new());
        } else {
            segments.last_mut().unwrap().push(want);
        }
    }
    let open_start = shown.first().is_some_and(|l| l.trim() == "...");
    let open_end = shown.last().is_some_and(|l| l.trim() == "...");
    let segments: Vec<Vec<&String>> = segments.into_iter().filter(|s| !s.is_empty()).collect();
    let fits = |at: usize, segment: &[&String]| {
        at + segment.len() <= lines.len()
            && segment
                .iter()
                .enumerate()
                .all(|(i, want)| matches(lines[at + i], want))
    };
    let mut at = 0;
    for (n, segment) in segments.iter().enumerate() {
        let anchored = n == 0 && !open_start;
        let found = if anchored {
            fits(0, segment).then_some(0)
        } else {
            (at..=lines.len()).find(|&i| fits(i, segment))
        };
        match found {
            Some(i) => at = i + segment.len(),
            None if anchored => {
                return Err(format!(
                    "the output does not begin with the lines shown (begin the block with '...' if it is cut): {}",
                    segment[0]
                ))
            }
            None => {
                return Err(format!(
                    "shown lines not printed together, in order (mark a cut with a '...' line): {}",
                    segment.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(" / ")
                ))
            }
        }
    }
    if !open_end && !segments.is_empty() && at != lines.len() {
        return Err(format!(
            "the output goes on after the lines shown ({} more; end the block with '...' if it is cut): {}",
            lines.len() - at,
            lines[at]
        ));
    }
    Ok(())
}

#[test]
fn every_documented_command_runs_and_prints_what_the_docs_show() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_bestofn"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in &files {
        let scratch_dir = crate::common::Scratch::new(&format!(
            "docs-{}",
            file.file_stem().unwrap().to_string_lossy()
        ));
        let scratch = scratch_dir.dir().to_path_buf();
        for dir in ["cases", "examples", "python"] {
            let link = scratch.join(dir);
            if !link.exists() {
                std::os::unix::fs::symlink(root.join(dir), &link).unwrap();
            }
        }
        for example in examples(file) {
            let command = rewrite(&example.command);
            let out = Command::new("sh")
                .arg("-c")
                .arg(&command)
                .current_dir(&scratch)
                .env("PATH", &path)
                .output()
                .unwrap();
            ran += 1;
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let where_ = format!("{}:{}: `{command}`", example.file, example.line);
            // A documented refusal shows its error line: then exit 2 is what the docs promise.
            let shows_error = example
                .shown
                .iter()
                .any(|l| l.starts_with("bestofn: error"));
            match (out.status.code(), shows_error) {
                (Some(0 | 1 | 3 | 4), false) | (Some(2), true) => {}
                (other, _) => failures.push(format!("{where_}: exit {other:?}: {stderr}")),
            }
            // What the block shows: the error line of a refusal, else standard output (progress
            // and notes on stderr are not part of it).
            let printed = if shows_error || stdout.trim().is_empty() {
                stderr.to_string()
            } else {
                stdout.to_string()
            };
            if let Err(e) = shows(&printed, &example.shown) {
                failures.push(format!("{where_}: {e}\n--- printed:\n{stdout}"));
            }
        }
        std::fs::remove_dir_all(&scratch).ok();
    }
    // The examples of `bestofn --help`, likewise.
    let help = Command::new(env!("CARGO_BIN_EXE_bestofn"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).to_string();
    let scratch_dir = crate::common::Scratch::new("docs-help");
    let scratch = scratch_dir.dir().to_path_buf();
    if !scratch.join("cases").exists() {
        std::os::unix::fs::symlink(root.join("cases"), scratch.join("cases")).unwrap();
    }
    for line in help
        .lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .skip(1)
    {
        let Some(command) = line
            .trim()
            .strip_prefix("bestofn ")
            .map(|a| rewrite(&format!("bestofn {a}")))
        else {
            continue;
        };
        let out = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(&scratch)
            .env("PATH", &path)
            .output()
            .unwrap();
        ran += 1;
        if !matches!(out.status.code(), Some(0 | 1 | 3 | 4)) {
            failures.push(format!(
                "--help: `{command}`: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    std::fs::remove_dir_all(&scratch).ok();
    assert!(ran >= 30, "only {ran} documented commands found");
    assert!(
        failures.is_empty(),
        "{} of {ran} documented commands differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The flags `bestofn COMMAND --help` lists (long names, without --help/--version).
fn help_flags(command: &str) -> Vec<String> {
    let mut args: Vec<&str> = command.split(' ').collect();
    args.push("--help");
    let out = Command::new(env!("CARGO_BIN_EXE_bestofn"))
        .args(&args)
        .output()
        .unwrap();
    assert!(out.status.success(), "bestofn {command} --help");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut flags: Vec<String> = text
        .lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line
                .strip_prefix("-o, ")
                .or_else(|| line.strip_prefix("-h, "))
                .or_else(|| line.strip_prefix("-V, "))
                .unwrap_or(line);
            let name: String = line
                .strip_prefix("--")?
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            Some(format!("--{name}"))
        })
        .filter(|f| f != "--help" && f != "--version" && f != "--max-bits")
        .collect();
    flags.dedup();
    flags
}

/// Every `--flag` a piece of Markdown names.
fn flags_named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("--") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
            continue;
        }
        let name: String = text[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let name = name.trim_end_matches('-');
        if !name.is_empty() {
            out.push(format!("--{name}"));
        }
    }
    // `-o FILE` is how the guide writes --output.
    if text.contains(" -o ") {
        out.push("--output".into());
    }
    out
}

/// A section's text without its references to other commands' flags: a backticked span that
/// starts with another command (`` `search --all ...` ``, `` `bestofn bench --repeat 3` ``).
fn without_cross_references(body: &str, command: &str) -> String {
    let commands = crate::common::commands();
    let own = command.split(' ').next().unwrap();
    let mut out = String::new();
    for (i, part) in body.split('`').enumerate() {
        let span = part.trim_start_matches("bestofn ");
        let other = i % 2 == 1
            && commands.iter().any(|c| {
                let c = c.split(' ').next().unwrap();
                c != own && span.starts_with(&format!("{c} "))
            });
        if !other {
            out.push_str(part);
        }
        out.push('`');
    }
    out
}

/// docs/cli.md against the flag table: every flag a command's `--help` lists is documented in
/// that command's section, and every flag a section names is a flag of that command (or the
/// global --max-bits), so the guide and the binary cannot drift apart.
#[test]
fn the_cli_guide_documents_every_flag_and_no_other() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md")).unwrap();
    let mut problems = Vec::new();
    let mut sections = 0;
    let parts: Vec<&str> = guide.split("\n## `bestofn ").skip(1).collect();
    for part in parts {
        let (title, body) = part.split_once('\n').unwrap();
        let command = title.trim_end_matches('`');
        sections += 1;
        let known = help_flags(command);
        let named = flags_named(&without_cross_references(body, command));
        for flag in &known {
            if !named.contains(flag) {
                problems.push(format!(
                    "{command}: {flag} is in --help but not in docs/cli.md"
                ));
            }
        }
        for flag in &named {
            if !known.contains(flag) && flag != "--max-bits" {
                problems.push(format!(
                    "{command}: docs/cli.md names {flag}, which `bestofn {command} --help` does not list"
                ));
            }
        }
    }
    // Every command of `bestofn --help` has its section.
    for name in crate::common::commands() {
        if !guide.contains(&format!("\n## `bestofn {name}`")) {
            problems.push(format!(
                "{name}: no section '## `bestofn {name}`' in docs/cli.md"
            ));
        }
    }
    assert!(sections >= 13, "{sections} command sections found");
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// docs/case-format.md's table of bundled cases names every case file of `cases/`.
#[test]
fn the_case_format_guide_lists_every_bundled_case() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/case-format.md")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root.join("cases")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".toml") && !guide.contains(&format!("| `{name}` |")) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "not in docs/case-format.md: {missing:?}"
    );
}
