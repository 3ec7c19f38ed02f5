//! `bestofn check` and `bestofn claims`.

use std::path::PathBuf;

use bestofn::casefile::{self, check::check_claims};
use bestofn::claims;
use bestofn::report;
use bestofn::InputError;
use clap::Args;

use super::flags::{
    print_json, CaseFlags, ClaimArgs, CoqArgs, OutputArgs, PrecisionArgs, TiltArgs,
};

#[derive(Args)]
pub struct CheckArgs {
    /// TOML case files; flags override their values. A case file's [expected_verdicts] are
    /// compared too
    #[arg(value_name = "CASE.toml")]
    cases: Vec<PathBuf>,
    #[command(flatten)]
    case: CaseFlags,
    #[command(flatten)]
    tilt: TiltArgs,
    /// Without --claim, --assert or --claims: the whole catalogue
    #[command(flatten)]
    claims: ClaimArgs,
    #[command(flatten)]
    precision: PrecisionArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// Also write a Markdown report with every digit of the evidence
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    #[command(flatten)]
    coq: CoqArgs,
}

#[derive(Args)]
pub struct ClaimsArgs {
    /// Print the catalogue as Markdown (the text of docs/claims.md)
    #[arg(long)]
    markdown: bool,
    /// Also list the claims of this claims file, after the catalogue
    #[arg(long = "claims", value_name = "FILE.toml")]
    claims_file: Option<PathBuf>,
    /// Print the claim language's vocabulary (every builtin: arguments, meaning, exact or
    /// enclosed) as a Markdown table, the one in docs/claim-language.md
    #[arg(long, conflicts_with_all = ["markdown", "claims_file"])]
    vocabulary: bool,
    /// Print the claims as JSON (schema bestofn-claims/1: id, origin, source, statement,
    /// expression, hypotheses, decided_by, status), the catalogue first
    #[arg(long, conflicts_with_all = ["markdown", "vocabulary"])]
    json: bool,
}

pub fn run_check(args: CheckArgs, budget: bestofn::model::SizeBudget) -> Result<u8, InputError> {
    let policy = args.precision.policy()?;
    if let Some(path) = &args.report {
        super::check_output_path("--report", path)?;
    }
    let mut flags = args.case.spec_with(&args.tilt);
    flags.budget = Some(budget);
    let files = casefile::read_all(&args.cases, &flags)?;
    // A case file's own [[claim]]s are decided on it; added first, --claim can name them.
    let mut set = claims::ClaimSet::catalogue();
    for file in &files {
        file.register_claims(&mut set)?;
    }
    let mut selected = args.claims.select(&mut set)?;
    if selected.is_empty() {
        selected = set.catalogue_claims().cloned().collect();
    }
    claims::check_dropped(&selected, args.claims.without_hypothesis.as_deref())?;
    if args.coq.coq.is_some() && (files.len() != 1 || selected.len() != 1) {
        return Err(InputError::new(format!(
            "--coq: proves one claim on one case; this run decides {} claim(s) on {} case(s) (name one with --claim ID or --assert)",
            selected.len(),
            files.len()
        )));
    }
    args.coq.check(&selected)?;
    let mut exit = 0;
    let mut json_out = Vec::new();
    let mut markdown = String::new();
    for (i, file) in files.iter().enumerate() {
        let checked = check_claims(
            file,
            &set,
            &selected,
            args.claims.without_hypothesis.as_deref(),
            policy,
            // A long precision ladder says where it is and what is left, on stderr.
            Some(claims::LadderWatch {
                after: std::time::Duration::from_secs(1),
                at_least: std::time::Duration::from_secs(10),
                tell: std::sync::Arc::new(|step: &claims::LadderStep| {
                    eprintln!("{}", report::claims::ladder_line(step))
                }),
            }),
        )?;
        exit = claims::merge_status(exit, checked.status());
        let (case, tilt) = (&checked.ctx.case, &checked.ctx.tilt);
        if args.output.json {
            json_out.push(report::claims::json_checked(&checked));
        } else {
            if files.len() > 1 {
                println!(
                    "{}== {} ==",
                    if i > 0 { "\n" } else { "" },
                    args.cases[i].display()
                );
            }
            print!("{}", report::claims::text(case, tilt, &checked.results));
            if let Some(e) = &checked.expectations {
                println!("{}", e.line());
            }
        }
        markdown.push_str(&report::claims::markdown(case, tilt, &checked.results));
        if let Some(result) = checked
            .results
            .iter()
            .find(|r| r.claim.id == selected[0].id)
        {
            args.coq.write(&file.spec, result)?;
        }
    }
    if args.output.json {
        print_json(json_out);
    }
    if let Some(path) = &args.report {
        super::write_output("--report", path, &markdown)?;
    }
    Ok(exit)
}

pub fn run_claims(args: ClaimsArgs) -> Result<u8, InputError> {
    if args.vocabulary {
        print!("{}", claims::expr::builtins::vocabulary_markdown());
        return Ok(0);
    }
    let mut set = claims::ClaimSet::catalogue();
    if let Some(path) = &args.claims_file {
        let (decls, defines) = casefile::read_claims_file(path)?;
        for d in &decls {
            set.declare(d, &defines)?;
        }
    }
    if args.json {
        let listing = report::claims::catalogue_json(&set);
        println!(
            "{}",
            serde_json::to_string_pretty(&listing).expect("a listing serialises")
        );
    } else if args.markdown {
        print!("{}", report::claims::catalogue_markdown());
    } else {
        print!("{}", report::claims::catalogue_text(&set));
    }
    Ok(0)
}
