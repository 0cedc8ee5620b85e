//! The one error type of gloss's core: every error names the file it is about.

use std::io;
use std::path::{Path, PathBuf};

use crate::text::escape_path;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", escape_path(path))]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: {message}", escape_path(path))]
    Invalid { path: PathBuf, message: String },
    #[error("{}:{line}:{column}: {message}", escape_path(path))]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Error {
    pub fn io(path: &Path, source: io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn invalid(path: &Path, message: impl Into<String>) -> Self {
        Error::Invalid {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    /// A RON parse error in `path`, with its line and column.
    pub fn ron(path: &Path, e: ron::error::SpannedError) -> Self {
        Error::Parse {
            path: path.to_path_buf(),
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
