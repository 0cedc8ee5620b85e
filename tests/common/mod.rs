//! A harness that drives gloss as a user would: key strings in, rendered screen and saved sidecars
//! out, on a copy of the bundled sample corpus in a temp folder.
#![allow(dead_code)]

pub mod corpus;

use std::path::{Path, PathBuf};

use gloss::tui::{App, Options};
use gloss_core::settings::Dirs;
use gloss_core::store::Sidecar;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

pub const WIDTH: u16 = 120;
pub const HEIGHT: u16 = 36;
pub const SAMPLE: &str = "000_7a10bffd121dacb3.txt";

pub struct Harness {
    pub app: App,
    /// The app's clock (seconds since 1970): it stands still unless a test moves it
    /// ([`Harness::later`]), so no active time is counted by chance.
    pub clock: std::sync::Arc<std::sync::atomic::AtomicU64>,
    pub term: Terminal<TestBackend>,
    pub corpus: PathBuf,
    pub dirs: Dirs,
    _tmp: tempfile::TempDir,
}

/// Copy the bundled sample corpus into a fresh temp folder.
pub fn sample_corpus(tmp: &Path) -> PathBuf {
    let corpus = tmp.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    for e in std::fs::read_dir(assets).unwrap().flatten() {
        std::fs::copy(e.path(), corpus.join(e.file_name())).unwrap();
    }
    corpus
}

pub fn dirs_in(tmp: &Path) -> Dirs {
    Dirs {
        config: tmp.join("config"),
        data: tmp.join("data"),
        cache: tmp.join("cache"),
    }
}

impl Harness {
    /// gloss on a copy of the sample corpus.
    pub fn sample() -> Harness {
        Self::with_corpus(sample_corpus)
    }

    /// gloss on a corpus that `make` writes into the temp folder.
    pub fn with_corpus(make: impl FnOnce(&Path) -> PathBuf) -> Harness {
        Self::with_options(make, |_, _| {})
    }

    /// [`Harness::with_corpus`], started with the options `adjust` changes (given the temp
    /// folder): another sidecar folder, data folder…
    pub fn with_options(
        make: impl FnOnce(&Path) -> PathBuf,
        adjust: impl FnOnce(&Path, &mut Options),
    ) -> Harness {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = make(tmp.path());
        let mut options = options_for(&corpus, &dirs_in(tmp.path()));
        adjust(tmp.path(), &mut options);
        let dirs = options.dirs.clone();
        let mut app = App::new(options, Rect::new(0, 0, WIDTH, HEIGHT)).unwrap();
        app.finish_scan();
        let clock = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(CLOCK_START));
        set_clock(&mut app, &clock);
        let term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        let mut h = Harness {
            app,
            clock,
            term,
            corpus,
            dirs,
            _tmp: tmp,
        };
        h.draw();
        h
    }

    /// Quit and start gloss again on the same corpus and folders.
    pub fn reopen(&mut self) {
        self.keys("q");
        assert!(self.app.state.quit);
        self.app = open_app(&self.corpus, &self.dirs);
        set_clock(&mut self.app, &self.clock);
        self.draw();
    }

    /// Let `seconds` pass on the app's clock.
    pub fn later(&mut self, seconds: u64) {
        self.clock
            .fetch_add(seconds, std::sync::atomic::Ordering::SeqCst);
    }

    /// Resize the terminal (and tell gloss, as a terminal would).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.term.backend_mut().resize(width, height);
        self.app.handle_event(&Event::Resize(width, height));
        self.draw();
    }

    /// The bottom two lines: the status bar and the message line, whatever the size.
    pub fn bottom(&self) -> (String, String) {
        let s = self.screen();
        let lines: Vec<&str> = s.lines().collect();
        let n = lines.len();
        (lines[n - 2].to_string(), lines[n - 1].to_string())
    }

    pub fn draw(&mut self) {
        let app = &self.app;
        self.term.draw(|f| app.draw(f)).unwrap();
    }

    /// Type keys: plain characters, or `<enter>`, `<esc>`, `<tab>`, `<bs>`, `<c-r>`, `<down>`…
    pub fn keys(&mut self, keys: &str) {
        let mut rest = keys;
        while let Some(c) = rest.chars().next() {
            let (code, mods, len) = if c == '<' && rest.len() > 1 && rest[1..].contains('>') {
                let end = rest.find('>').unwrap();
                let name = &rest[1..end];
                let (code, mods) = match name {
                    "enter" => (KeyCode::Enter, KeyModifiers::NONE),
                    "esc" => (KeyCode::Esc, KeyModifiers::NONE),
                    "tab" => (KeyCode::Tab, KeyModifiers::NONE),
                    "bs" => (KeyCode::Backspace, KeyModifiers::NONE),
                    "down" => (KeyCode::Down, KeyModifiers::NONE),
                    "up" => (KeyCode::Up, KeyModifiers::NONE),
                    "gt" => (KeyCode::Char('>'), KeyModifiers::NONE),
                    "pagedown" => (KeyCode::PageDown, KeyModifiers::NONE),
                    "lt" => (KeyCode::Char('<'), KeyModifiers::NONE),
                    "left" => (KeyCode::Left, KeyModifiers::NONE),
                    "right" => (KeyCode::Right, KeyModifiers::NONE),
                    "home" => (KeyCode::Home, KeyModifiers::NONE),
                    "end" => (KeyCode::End, KeyModifiers::NONE),
                    "del" => (KeyCode::Delete, KeyModifiers::NONE),
                    n if n.starts_with("c-") => (
                        KeyCode::Char(n.chars().nth(2).unwrap()),
                        KeyModifiers::CONTROL,
                    ),
                    other => panic!("unknown key <{other}>"),
                };
                (code, mods, end + 1)
            } else {
                let mods = if c.is_uppercase() {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                (KeyCode::Char(c), mods, c.len_utf8())
            };
            self.app
                .handle_event(&Event::Key(KeyEvent::new(code, mods)));
            // what a user sees a moment after the key: a corpus tag-all counted or applied on
            // its thread
            self.app.finish_writes();
            self.draw();
            rest = &rest[len..];
        }
    }

    pub fn mouse(&mut self, kind: MouseEventKind, column: u16, row: u16) {
        self.app.handle_event(&Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }));
        self.draw();
    }

    pub fn click(&mut self, column: u16, row: u16) {
        self.mouse(MouseEventKind::Down(MouseButton::Left), column, row);
    }

    pub fn buffer(&self) -> &Buffer {
        self.term.backend().buffer()
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        buffer_text(self.buffer())
    }

    /// Position of the first cell row/col where `needle` starts on screen.
    pub fn find_on_screen(&self, needle: &str) -> Option<(u16, u16)> {
        let buf = self.buffer();
        for y in 0..buf.area.height {
            let mut line = String::new();
            let mut cols = Vec::new();
            for x in 0..buf.area.width {
                let sym = buf[(x, y)].symbol();
                for _ in sym.chars() {
                    cols.push(x);
                }
                line.push_str(sym);
            }
            if let Some(i) = line.find(needle) {
                let ci = line[..i].chars().count();
                return Some((cols[ci], y));
            }
        }
        None
    }

    /// Let time pass (a tick), and wait for the writes it started (a save tried again): what a
    /// user sees a moment later.
    pub fn tick(&mut self) {
        self.app.tick();
        self.app.finish_writes();
    }

    pub fn sidecar_path(&self, article: &str) -> PathBuf {
        self.corpus.join(article).with_extension("ron")
    }

    /// The saved sidecar of `article` (panics if there is none).
    pub fn sidecar(&self, article: &str) -> Sidecar {
        Sidecar::load(&self.sidecar_path(article))
            .unwrap()
            .expect("a sidecar was written")
    }

    pub fn article_text(&self, article: &str) -> String {
        std::fs::read_to_string(self.corpus.join(article)).unwrap()
    }

    pub fn status(&self) -> String {
        self.screen()
            .lines()
            .nth(HEIGHT as usize - 2)
            .unwrap()
            .to_string()
    }

    pub fn message(&self) -> String {
        self.screen()
            .lines()
            .nth(HEIGHT as usize - 1)
            .unwrap()
            .to_string()
    }
}

/// gloss on `corpus`, after its metadata scan finished (see `open_app_scanning`).
/// When the harness's clock starts: 2025-12-03 10:00 UTC.
pub const CLOCK_START: u64 = 1_764_756_000;

/// Give `app` the harness's clock.
pub fn set_clock(app: &mut App, clock: &std::sync::Arc<std::sync::atomic::AtomicU64>) {
    let clock = std::sync::Arc::clone(clock);
    app.set_clock(move || clock.load(std::sync::atomic::Ordering::SeqCst));
}

pub fn open_app(corpus: &Path, dirs: &Dirs) -> App {
    let mut app = open_app_scanning(corpus, dirs);
    app.finish_scan();
    app
}

/// gloss on `corpus` as it first shows: the metadata scan just started.
pub fn open_app_scanning(corpus: &Path, dirs: &Dirs) -> App {
    App::new(options_for(corpus, dirs), Rect::new(0, 0, WIDTH, HEIGHT)).unwrap()
}

/// How the tests start gloss on `corpus`: sidecars beside the articles, annotator "tester".
pub fn options_for(corpus: &Path, dirs: &Dirs) -> Options {
    Options {
        root: corpus.to_path_buf(),
        annotations: None,
        annotator: Some("tester".into()),
        dirs: dirs.clone(),
    }
}

pub fn buffer_text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Python's `text.find(needle)` in code points.
pub fn char_find(text: &str, needle: &str) -> usize {
    let b = text.find(needle).expect("needle in text");
    text[..b].chars().count()
}

/// Python's `text[start:end]`.
pub fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Whether `python3` runs here; a check that needs it says it was skipped when not.
pub fn python3_available() -> bool {
    let ok = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("python3 is not installed: skipped");
    }
    ok
}
