//! The commands: each parses its flags (shared groups in [`flags`]), calls the library and
//! prints what it returns. No computation of their own.

pub mod check;
pub mod compare;
pub mod figures;
pub mod flags;
pub mod law;
pub mod literature;
pub mod scale;
pub mod search;
pub mod testimpl;

use std::path::Path;

use bestofn::InputError;

pub use flags::PrecisionArgs;

/// Exit status when a case file's expectations differ from what was computed.
pub const EXIT_MISMATCH: u8 = 1;

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
