//! The gloss binary: parse the command line, dispatch, map errors to exit codes
//! (0 ok, 1 failure or nothing found, 2 usage).

use std::process::ExitCode;

use clap::Parser;
use gloss::cli::Cli;
use gloss::settings::Dirs;
use gloss::tui;

fn main() -> ExitCode {
    gloss::error::install_panic_hook();
    let cli = Cli::parse();
    let dirs = Dirs::from_env();
    let result = match cli.command {
        Some(command) => gloss::cli::run(command),
        None => (|| {
            let root = match cli.dir {
                Some(d) => d,
                None => gloss::corpus::sample::install(&dirs.data)?,
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
                let line = gloss::text::sanitize_inline(line);
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

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
