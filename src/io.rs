//! Reading the user's files: with a size limit, so that `scores:/dev/zero` or a mistyped path
//! to a huge file is refused in a second instead of filling memory.

use std::io::Read;
use std::path::Path;

use crate::error::{InputError, Result};

/// Largest input file read (64 MiB: far above any case, scores or report file bestofn writes).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The text of `path`; `what` names the file's role in errors ("case file", "scores file").
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    let file = std::fs::File::open(path)
        .map_err(|e| InputError::io(format!("{}: cannot read {what}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::io(format!("{}: cannot read {what}: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::too_large(format!(
            "{}: the {what} is larger than the limit of {} MiB",
            path.display(),
            MAX_INPUT_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        InputError::malformed(format!(
            "{}: the {what} is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}
