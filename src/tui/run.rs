//! The loop on a real terminal: draw, read an event, update, carry out effects. Raw mode and panics are
//! ratatui's; mouse capture and SIGTERM/SIGHUP/SIGINT are ours.

use std::io::stdout;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use super::app::{App, Options};

/// Run gloss on a terminal until the user quits or a signal arrives.
pub fn run(options: Options) -> anyhow::Result<()> {
    let (w, h) = ratatui::crossterm::terminal::size().unwrap_or((100, 30));
    // Open the corpus before touching the terminal, so errors print plainly.
    let mut app = App::new(options, ratatui::layout::Rect::new(0, 0, w, h))?;

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
        let _ = execute!(stdout(), DisableMouseCapture);
        default_hook(info);
    }));
    let mut terminal = ratatui::try_init()?;
    execute!(stdout(), EnableMouseCapture)?;
    let result = (|| -> anyhow::Result<()> {
        loop {
            terminal.draw(|f| app.draw(f))?;
            if stop.load(Ordering::Relaxed) || app.state.quit {
                return Ok(());
            }
            if event::poll(Duration::from_millis(200))? {
                let ev = event::read()?;
                app.handle_event(&ev);
                // Handle everything already queued before drawing again.
                while !app.state.quit && event::poll(Duration::ZERO)? {
                    let ev = event::read()?;
                    app.handle_event(&ev);
                }
            }
        }
    })();
    app.save_place();
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}
