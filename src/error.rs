//! Errors for bad input. Every one is a sentence naming what was wrong and where; the CLI
//! prints it on one line and exits with status 2.

/// What kind of bad input an [`InputError`] is; the message says exactly what and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A value outside its domain: probabilities that are negative or do not sum to 1,
    /// `N = 0`, a weight of 0, contradicting flags.
    Invalid,
    /// Text that does not parse: a case file's TOML, a number, an expression of the claim
    /// language, a counterexample report's JSON.
    Malformed,
    /// A name that is not known: a claim id, a hypothesis, a case-file key, an arithmetic.
    Unknown,
    /// A size past a limit: outcomes, bits of the law, letters, threads, file sizes.
    TooLarge,
    /// A file or program that cannot be read, written or run.
    Io,
}

impl ErrorKind {
    /// The kind's name, as the JSON of scripts spells it.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "invalid",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Unknown => "unknown",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Io => "io",
        }
    }
}

/// Input that the tool refuses: malformed, inconsistent, unknown or too large to compute.
/// A kind for programs, a one-line sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    kind: ErrorKind,
    message: String,
}

impl InputError {
    /// An error of kind [`ErrorKind::Invalid`] (the common case).
    pub fn new(message: impl Into<String>) -> Self {
        Self::of(ErrorKind::Invalid, message)
    }

    /// An error of the given kind.
    pub fn of(kind: ErrorKind, message: impl Into<String>) -> Self {
        InputError {
            kind,
            message: message.into(),
        }
    }

    /// [`ErrorKind::Malformed`]: text that does not parse.
    pub fn malformed(message: impl Into<String>) -> Self {
        Self::of(ErrorKind::Malformed, message)
    }

    /// [`ErrorKind::Unknown`]: a name that is not known.
    pub fn unknown(message: impl Into<String>) -> Self {
        Self::of(ErrorKind::Unknown, message)
    }

    /// [`ErrorKind::TooLarge`]: a size past a limit.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::of(ErrorKind::TooLarge, message)
    }

    /// [`ErrorKind::Io`]: a file or program that cannot be used.
    pub fn io(message: impl Into<String>) -> Self {
        Self::of(ErrorKind::Io, message)
    }

    /// The kind of bad input.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The sentence naming what was wrong and where.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error with its message prefixed (`"case.toml: "` + message), kind kept.
    pub fn context(self, prefix: &str) -> Self {
        InputError {
            kind: self.kind,
            message: format!("{prefix}{}", self.message),
        }
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

impl From<String> for InputError {
    fn from(message: String) -> Self {
        InputError::new(message)
    }
}

/// The crate's result: a value or bad input.
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
