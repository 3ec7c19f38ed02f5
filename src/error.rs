//! Errors for bad input. Every one is a sentence naming what was wrong and where; the CLI
//! prints it on one line and exits with status 2.

/// Input that the tool refuses: malformed, inconsistent, or too large to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl InputError {
    pub fn new(message: impl Into<String>) -> Self {
        InputError(message.into())
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

impl From<String> for InputError {
    fn from(message: String) -> Self {
        InputError(message)
    }
}

pub type Result<T> = std::result::Result<T, InputError>;

/// A long piece of text for a message: unchanged up to `max` characters, else its first
/// `keep` and its length (`1/2,99999... (2000004 characters)`), so no input makes a huge line.
pub fn elide(text: &str, max: usize, keep: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        text.to_string()
    } else {
        format!(
            "{}... ({count} characters)",
            text.chars().take(keep).collect::<String>()
        )
    }
}
