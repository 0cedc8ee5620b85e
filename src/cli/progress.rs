//! A progress line on stderr, only when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    what: &'static str,
    total: usize,
    done: usize,
    enabled: bool,
    last: Option<Instant>,
    shown: bool,
}

impl Progress {
    pub fn new(what: &'static str, total: usize) -> Progress {
        Progress {
            what,
            total,
            done: 0,
            enabled: std::io::stderr().is_terminal(),
            last: None,
            shown: false,
        }
    }

    pub fn tick(&mut self) {
        self.done += 1;
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .is_some_and(|l| now - l < Duration::from_millis(100))
            && self.done < self.total
        {
            return;
        }
        self.last = Some(now);
        let width = 30;
        let filled = (self.done * width).checked_div(self.total).unwrap_or(width);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} [{}{}] {}/{}",
            self.what,
            "#".repeat(filled),
            " ".repeat(width - filled),
            self.done,
            self.total
        );
        let _ = err.flush();
        self.shown = true;
    }

    /// No progress line at all (`--quiet`).
    pub fn quiet(mut self, quiet: bool) -> Progress {
        self.enabled &= !quiet;
        self
    }

    /// Erase the line (before other messages, and at the end).
    pub fn clear(&mut self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            self.shown = false;
        }
    }
}
