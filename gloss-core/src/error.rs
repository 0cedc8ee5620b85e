//! The one error type of gloss's core: every error names the file it is about; and the one policy
//! of a batch for what it cannot read ([`Unreadable`]).

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

/// What a batch over a corpus does with an article, sidecar or folder it cannot read: stop with
/// the error (which names the file), or, keeping going (`--keep-going`), skip it and list it.
#[derive(Debug, Default)]
pub struct Unreadable {
    keep_going: bool,
    /// What was skipped, in the order met.
    pub skipped: Vec<Error>,
}

impl Unreadable {
    /// Stop at the first error, or (`keep_going`) skip and list.
    pub fn new(keep_going: bool) -> Unreadable {
        Unreadable {
            keep_going,
            skipped: Vec::new(),
        }
    }

    /// `r`'s value; on an error, the error, or when keeping going `None` with the error listed.
    pub fn check<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(e) if self.keep_going => {
                self.skipped.push(e);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// What a panic says, made safe for a terminal: the payload (which may quote article or sidecar
/// bytes, as a string-slicing panic does) on one line with control characters shown as
/// placeholders, cut to a few hundred characters, and where it happened.
pub fn panic_report(
    payload: &dyn std::any::Any,
    location: Option<&std::panic::Location>,
) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let mut message = crate::text::sanitize_inline(message);
    if let Some((cut, _)) = message.char_indices().nth(300) {
        message.truncate(cut);
        message.push('…');
    }
    match location {
        Some(l) => format!(
            "gloss: internal error at {}:{}: {message}",
            crate::text::sanitize_inline(l.file()),
            l.line()
        ),
        None => format!("gloss: internal error: {message}"),
    }
}

thread_local! {
    /// Inside [`catch_quietly`] on this thread: a panic is caught and said nothing of.
    static QUIET: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Run `f`, which may panic on data gloss does not trust (a library handed a damaged file):
/// `None` if it did, and the panic is not printed (the hooks ask [`panicking_quietly`]), so that
/// nothing is drawn over a terminal's screen.
pub fn catch_quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    QUIET.with(|q| q.set(q.get() + 1));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(q.get() - 1));
    r.ok()
}

/// Is this thread's panic one [`catch_quietly`] catches? Panic hooks then say nothing.
pub fn panicking_quietly() -> bool {
    QUIET.with(|q| q.get() > 0)
}

/// Print panics through [`panic_report`] instead of the default hook, which quotes them raw (but
/// not those [`catch_quietly`] catches).
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if !panicking_quietly() {
            eprintln!("{}", panic_report(info.payload(), info.location()));
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quiet_catch_gives_none_and_the_thread_is_loud_again_after() {
        assert_eq!(catch_quietly(|| 2 + 2), Some(4));
        let v: Vec<u8> = Vec::new();
        assert_eq!(catch_quietly(|| v[3]), None);
        assert!(!panicking_quietly());
    }

    #[test]
    fn panic_reports_never_carry_control_sequences() {
        let hostile = format!(
            "byte index 5 is not a char boundary; it is inside 'ô' of `Ông \u{1b}]0;T\u{7}\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}[2J{}`",
            "x".repeat(1000)
        );
        let r = panic_report(&hostile, None);
        assert!(!r.chars().any(|c| c.is_control()), "{r:?}");
        assert!(r.contains("not a char boundary"));
        assert!(r.chars().count() < 400);
        let r = panic_report(&"plain", Some(std::panic::Location::caller()));
        assert!(
            r.starts_with("gloss: internal error at gloss-core/src/error.rs:"),
            "{r}"
        );
        assert!(r.ends_with(": plain"));
    }
}
