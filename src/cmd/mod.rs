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

/// Writes an output file named by `flag`, with the error naming the flag and the path. It
/// writes into what exists: through symlinks, and into a device or FIFO (`-o /dev/stdout`),
/// which only [`write_atomically`] must refuse.
pub fn write_output(flag: &str, path: &Path, contents: &str) -> Result<(), InputError> {
    let target = output_target(flag, path, false)?;
    std::fs::write(target, contents)
        .map_err(|e| InputError::new(format!("{flag}: cannot write {}: {e}", path.display())))
}

/// Checks a figure's output path before any work: as [`check_output_path`], and its extension
/// names a format (`.svg`, `.pdf`, `.png`).
pub fn check_figure_path(flag: &str, path: &Path) -> Result<(), InputError> {
    check_output_path(flag, path)?;
    bestofn::report::graphics::ImageFormat::of_path(path, flag).map(|_| ())
}

/// Writes a figure in the format its extension names (SVG as is, PDF, PNG at 2x).
pub fn write_figure(flag: &str, path: &Path, svg: &str) -> Result<(), InputError> {
    use bestofn::report::graphics::{encode, ImageFormat};
    let bytes = encode(svg, ImageFormat::of_path(path, flag)?)?;
    let target = output_target(flag, path, false)?;
    std::fs::write(target, bytes)
        .map_err(|e| InputError::new(format!("{flag}: cannot write {}: {e}", path.display())))
}

/// Writes `text` to `path` atomically (a temporary file in the same directory, then a rename),
/// so a kill never leaves half a file. The rule for existing targets: a symlink is followed
/// (the file it points to is replaced, the link stays), as every output does, and a target
/// that is not a regular file (a device, a FIFO, a socket) is refused: a rename would
/// replace it.
pub fn write_atomically(flag: &str, path: &Path, text: &str) -> Result<(), InputError> {
    let target = output_target(flag, path, true)?;
    let cannot = |e: std::io::Error| {
        InputError::new(format!("{flag}: cannot write {}: {e}", path.display()))
    };
    let tmp = {
        let mut name = target.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".tmp{}", std::process::id()));
        target.with_file_name(name)
    };
    let written = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, &target));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(cannot)
}

/// Where an output named by `flag` goes: `path` itself, or the file its symlinks lead to;
/// refused if it is a symlink to nothing, or (for an atomic write, which renames over it)
/// exists and is not a regular file.
fn output_target(flag: &str, path: &Path, atomic: bool) -> Result<std::path::PathBuf, InputError> {
    check_output_path(flag, path)?;
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !atomic => Ok(path.to_path_buf()),
        Ok(meta) if !meta.is_file() => Err(InputError::new(format!(
            "{flag}: {} exists and is not a regular file (a device, FIFO or socket); give a file name",
            path.display()
        ))),
        Ok(_) => std::fs::canonicalize(path).map_err(|e| {
            InputError::new(format!("{flag}: cannot write {}: {e}", path.display()))
        }),
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(InputError::new(format!(
            "{flag}: {} is a symlink to nothing; remove it or give another name",
            path.display()
        ))),
        Err(_) => Ok(path.to_path_buf()),
    }
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
