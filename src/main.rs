//! The gloss binary: parse the command line, dispatch, map errors to exit codes
//! (0 ok, 1 failure or nothing found, 2 usage).

use std::process::ExitCode;

use clap::Parser;
use gloss::cli::{Cli, Command};
use gloss::tui;
use gloss_core::settings::Dirs;

fn main() -> ExitCode {
    gloss_core::error::install_panic_hook();
    let cli = Cli::parse();
    let dirs = Dirs::from_env();
    let result = match cli.command {
        // the one subcommand that opens the TUI, through the TUI's entry point
        Some(Command::Adjudicate(a)) => tui::adjudicate(tui::Adjudication {
            root: a.dir,
            from: a.from,
            into: a.into,
            annotator: a.annotator,
            dirs,
        }),
        Some(command) => {
            end_quietly_on_a_closed_pipe();
            gloss::cli::run(command)
        }
        None => (|| {
            let root = match cli.dir {
                Some(d) => d,
                None => gloss::sample::install(&dirs.data)?,
            };
            tui::run(tui::Options {
                root,
                annotations: cli.annotations,
                annotator: cli.annotator,
                dirs,
            })
        })(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`gloss export … | head`) is the reader's choice, not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<gloss::cli::NothingFound>().is_some() => ExitCode::FAILURE,
        Err(e) => {
            for (i, line) in format!("{e:#}").lines().enumerate() {
                let line = gloss_core::text::sanitize_inline(line);
                if i == 0 {
                    eprintln!("gloss: {line}");
                } else {
                    eprintln!("{line}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// A subcommand whose reader goes away (`gloss export | head`) ends there, quietly, as grep does:
/// the default action of SIGPIPE, which Rust sets aside (then a `println!` into a closed pipe
/// panics). Writes to files are atomic, so none is left half written; the TUI keeps Rust's way.
fn end_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
