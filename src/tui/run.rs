//! The loop on a real terminal: draw, read an event, update, carry out effects. Raw mode and panics are
//! ratatui's; mouse capture and SIGTERM/SIGHUP/SIGINT are ours.

use std::io::stdout;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use super::app::{App, Options};
use gloss_core::text::escape_path;

/// Run gloss on a terminal until the user quits or a signal arrives.
pub fn run(options: Options) -> anyhow::Result<()> {
    run_adjudicating(options, Vec::new())
}

/// `gloss adjudicate`: settle the tags of the annotators whose sidecar folders are `from` into the
/// `into` tree (the gold set).
#[derive(Debug, Clone)]
pub struct Adjudication {
    pub root: std::path::PathBuf,
    pub from: Vec<std::path::PathBuf>,
    pub into: std::path::PathBuf,
    pub annotator: Option<String>,
    pub dirs: gloss_core::settings::Dirs,
}

/// Run the adjudication TUI (see [`Adjudication`]).
pub fn adjudicate(a: Adjudication) -> anyhow::Result<()> {
    if a.from.len() < 2 {
        anyhow::bail!("adjudication compares two annotators or more: give --from twice");
    }
    let mut sources = Vec::new();
    for f in &a.from {
        if !f.is_dir() {
            anyhow::bail!("{}: is not a folder", escape_path(f));
        }
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| escape_path(f));
        sources.push((name, f.canonicalize()?));
    }
    run_adjudicating(
        Options {
            root: a.root,
            annotations: Some(a.into),
            annotator: a.annotator,
            dirs: a.dirs,
        },
        sources,
    )
}

/// [`run`], adjudicating the tags of the annotators in `sources` (name, sidecar folder) into the
/// sidecars `options` names (the gold set); none: plain gloss.
pub fn run_adjudicating(
    options: Options,
    sources: Vec<(String, std::path::PathBuf)>,
) -> anyhow::Result<()> {
    let (w, h) = ratatui::crossterm::terminal::size().unwrap_or((100, 30));
    // Open the corpus before touching the terminal, so errors print plainly.
    let mut app = App::new(options, ratatui::layout::Rect::new(0, 0, w, h))?;
    if !sources.is_empty() {
        app.adjudicate(sources);
    }

    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if gloss_core::error::panicking_quietly() {
            return; // caught where it happened: the screen stays as it is
        }
        let _ = execute!(stdout(), DisableMouseCapture);
        default_hook(info);
    }));
    let mut terminal = ratatui::try_init()?;
    // ratatui's hook restores the terminal on a panic: not on one caught where it happened
    let restoring_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !gloss_core::error::panicking_quietly() {
            restoring_hook(info);
        }
    }));
    execute!(stdout(), EnableMouseCapture)?;
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| -> anyhow::Result<()> {
        loop {
            terminal.draw(|f| app.draw(f))?;
            // after the first frame: the metadata scan starts here
            app.tick();
            if stop.load(Ordering::Relaxed) || app.state.quit {
                return Ok(());
            }
            if event::poll(Duration::from_millis(200))? {
                let ev = event::read()?;
                app.handle_event(&ev);
                // Handle what is already queued before drawing again (bounded, and never past
                // a signal: a closed terminal can report input forever).
                let mut queued = 0;
                while queued < 256
                    && !app.state.quit
                    && !app.quit_pending()
                    && !stop.load(Ordering::Relaxed)
                    && event::poll(Duration::ZERO)?
                {
                    queued += 1;
                    let ev = event::read()?;
                    app.handle_event(&ev);
                }
            }
        }
    }));
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    match outcome {
        Ok(result) => {
            // a signal ended gloss: leave as q does
            app.shut_down();
            print_exit_notes(&app);
            result?;
            if !app.exit_notes().is_empty() {
                anyhow::bail!("not every tag of this session is in its sidecar: see above");
            }
            Ok(())
        }
        Err(_) => {
            // The panic message is already printed (the hook runs before unwinding).
            print_exit_notes(&app);
            match app.write_recovery() {
                Some(Ok(r)) => anyhow::bail!(
                    "gloss crashed. The tags of the open article were written to {}\n\
                     To merge them back into its sidecar: {}",
                    escape_path(&r.recovery),
                    r.recover_command()
                ),
                Some(Err(e)) => {
                    anyhow::bail!("gloss crashed, and writing a recovery file failed: {e}")
                }
                None => anyhow::bail!("gloss crashed; no article was open, nothing to recover"),
            }
        }
    }
}

/// Say on stderr what was not saved this session and where it is.
fn print_exit_notes(app: &App) {
    for note in app.exit_notes() {
        eprintln!("gloss: {}", gloss_core::text::sanitize_inline(note));
    }
}
