//! Subcommands that have grown beyond a few lines, kept out of main.rs.

pub mod compare;
pub mod figures;
pub mod scale;
pub mod search;
pub mod testimpl;

use std::path::Path;

use bestofn::enclosure::PrecisionPolicy;
use bestofn::InputError;
use clap::Args;

/// The precision ladder's flags, shared by every command that decides claims.
#[derive(Args, Debug, Clone)]
pub struct PrecisionArgs {
    /// Starting precision of enclosures, in bits (doubled until a comparison decides)
    #[arg(long, default_value_t = 64, value_name = "BITS")]
    pub prec_start: u32,
    /// Precision cap, in bits (--prec-start..=1048576): past it a comparison is reported
    /// undecided, with its enclosures
    #[arg(long, default_value_t = 4096, value_name = "BITS")]
    pub prec_cap: u32,
}

impl PrecisionArgs {
    /// The validated ladder (one rule for every command: [`PrecisionPolicy::new`]).
    pub fn policy(&self) -> Result<PrecisionPolicy, InputError> {
        PrecisionPolicy::new(self.prec_start, self.prec_cap)
    }
}

/// Refuses an output path whose directory does not exist, before any work is done: no
/// command creates directories on the user's behalf (a typo would scatter files), except the
/// final component of a `--report DIR` (see [`prepare_report_dir`]).
pub fn check_output_path(flag: &str, path: &Path) -> Result<(), InputError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(InputError::new(format!(
                "{flag}: cannot write {}: the directory {} does not exist",
                path.display(),
                parent.display()
            )));
        }
    }
    if path.is_dir() {
        return Err(InputError::new(format!(
            "{flag}: {} is a directory; give a file name",
            path.display()
        )));
    }
    Ok(())
}

/// Writes an output file named by `flag`, with the error naming the flag and the path.
pub fn write_output(flag: &str, path: &Path, contents: &str) -> Result<(), InputError> {
    check_output_path(flag, path)?;
    std::fs::write(path, contents)
        .map_err(|e| InputError::new(format!("{flag}: cannot write {}: {e}", path.display())))
}

/// A `--report DIR`: its parent must exist; DIR itself is created if missing.
pub fn prepare_report_dir(flag: &str, dir: &Path) -> Result<(), InputError> {
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(InputError::new(format!(
                "{flag}: cannot create {}: the directory {} does not exist",
                dir.display(),
                parent.display()
            )));
        }
    }
    if dir.exists() && !dir.is_dir() {
        return Err(InputError::new(format!(
            "{flag}: {} exists and is not a directory",
            dir.display()
        )));
    }
    Ok(())
}
