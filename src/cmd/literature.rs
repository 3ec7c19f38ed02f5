//! `bestofn literature`: the literature page (docs/literature.md) from the papers' claims files.

use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use bestofn::report::literature::{self, LiteratureSettings};
use bestofn::InputError;

#[derive(Args)]
pub struct LiteratureArgs {
    /// The papers' claims files (every .toml of the directory)
    #[arg(long, value_name = "DIR", default_value = "examples/claims")]
    claims_dir: PathBuf,
    /// The bundled case files each statement is decided on
    #[arg(long, value_name = "DIR", default_value = "cases")]
    cases_dir: PathBuf,
    /// Write the page to FILE (default: print it)
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "check"
    )]
    output: Option<PathBuf>,
    /// Compare the page with FILE instead: exit 0 when it is current, 1 when it differs
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
    /// Worker threads (the page does not depend on it)
    #[arg(long, value_parser = crate::cmd::flags::whole_usize)]
    jobs: Option<usize>,
}

pub fn run_literature(
    args: LiteratureArgs,
    budget: bestofn::model::SizeBudget,
) -> Result<u8, InputError> {
    if let Some(path) = &args.output {
        super::check_output_path("--output", path)?;
    }
    let mut settings = LiteratureSettings::standard(args.claims_dir, args.cases_dir);
    settings.budget = budget;
    if let Some(jobs) = args.jobs {
        if jobs == 0 {
            return Err(InputError::new("jobs: need at least 1"));
        }
        settings.jobs = jobs;
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
            .expect("valid template"),
    );
    let papers = literature::literature(&settings, &|paper, claim| {
        bar.set_message(format!("{paper}: {claim}"));
        bar.tick();
    })?;
    bar.finish_and_clear();
    let page = literature::render_markdown(&papers, &settings);
    if let Some(path) = &args.check {
        let committed = bestofn::io::read_text(path, "literature page")?;
        if committed == page {
            println!("{} is current", path.display());
            return Ok(0);
        }
        println!(
            "{} differs from what the claims files give now; regenerate it with bestofn literature -o {}",
            path.display(),
            path.display()
        );
        return Ok(1);
    }
    match &args.output {
        Some(path) => super::write_output("--output", path, &page)?,
        None => print!("{page}"),
    }
    Ok(0)
}
