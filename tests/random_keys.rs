//! Random keys, resizes and clicks against random articles with tags, through the real app (keymap,
//! `update`, effects, saves): nothing panics, and after every event the open article's tags sit on
//! their text and the sidecar on disk parses and matches the article. This is how random keys found
//! the `>`/`-` panic; CI runs a modest number of cases, and at scale:
//!
//! ```sh
//! GLOSS_RANDOM_KEY_CASES=2000 cargo test --release --test random_keys
//! ```

mod common;

use common::Harness;
use gloss_core::store::{Sidecar, quoted_at};
use gloss_core::text::CharIndex;
use proptest::prelude::*;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

const WORDS: &[&str] = &[
    "Ông",
    "Tô",
    "Lâm",
    "Hòa",
    "Hoà",
    "Ho\u{300}a",
    "chỉ",
    "thị",
    "số",
    "24/CT-TW",
    "nhiệm",
    "vụ",
    "đề",
    "nghị",
    "Bộ",
    "trưởng",
    "😀",
    "中文",
    "e\u{301}",
    ".",
    ",",
    "!",
    "\n",
    "\n\n",
    "\t",
    "\u{1b}[2J",
    "\u{202e}",
    "  ",
];

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 0..60).prop_map(|w| w.join(" "))
}

/// Keys of the default keymap, typed text, and the named keys.
const KEYS: &str = "hjklwbe()0$gGvspdt123456789xnNOurc/;,RaX<>+=-C@mzZEFI}{yYS*&?[]qi ôđAVLUAV";

#[derive(Debug, Clone)]
enum Input {
    Key(KeyCode, KeyModifiers),
    Resize(u16, u16),
    Click(u16, u16),
    Drag(u16, u16),
}

fn input() -> impl Strategy<Value = Input> {
    let keys: Vec<char> = KEYS.chars().collect();
    prop_oneof![
        20 => prop::sample::select(keys).prop_map(|c| {
            let m = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
            Input::Key(KeyCode::Char(c), m)
        }),
        4 => prop::sample::select(vec![
            KeyCode::Enter, KeyCode::Esc, KeyCode::Tab, KeyCode::Backspace, KeyCode::Down,
            KeyCode::Up, KeyCode::PageDown, KeyCode::PageUp, KeyCode::Home, KeyCode::End,
        ]).prop_map(|k| Input::Key(k, KeyModifiers::NONE)),
        1 => Just(Input::Key(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        1 => (1u16..160, 1u16..50).prop_map(|(w, h)| Input::Resize(w, h)),
        2 => (0u16..160, 0u16..50).prop_map(|(x, y)| Input::Click(x, y)),
        1 => (0u16..160, 0u16..50).prop_map(|(x, y)| Input::Drag(x, y)),
    ]
}

fn check(h: &Harness) -> Result<(), TestCaseError> {
    let Some(r) = h.app.state.reader.as_ref() else {
        return Ok(());
    };
    let text = r.text();
    prop_assert!(text.is_char_boundary(r.cursor) && r.cursor <= text.len());
    let index = CharIndex::new(text);
    for t in r.tags().tags() {
        if !t.orphaned {
            prop_assert_eq!(
                quoted_at(text, &index, t.start, t.end),
                Some(t.text.as_str())
            );
            prop_assert!(t.start < t.end);
        }
    }
    // relations never dangle: both ends are tags of the article, in memory and on disk
    for rel in r.tags().relations() {
        prop_assert!(r.tags().get(&rel.head).is_some() && r.tags().get(&rel.tail).is_some());
        prop_assert!(rel.head != rel.tail);
    }
    let sidecar = r.doc.sidecar_path();
    // (a FIFO or device there is not read, by gloss nor here)
    if sidecar.is_file() {
        let sc = Sidecar::load(sidecar).unwrap().unwrap();
        for rel in &sc.relations {
            prop_assert!(sc.tags.iter().any(|t| t.id == rel.head));
            prop_assert!(sc.tags.iter().any(|t| t.id == rel.tail));
        }
        for t in sc.tags.iter().filter(|t| !t.orphaned) {
            prop_assert_eq!(
                quoted_at(text, &index, t.start, t.end),
                Some(t.text.as_str())
            );
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("GLOSS_RANDOM_KEY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn random_keys_never_panic_and_tags_stay_on_their_text(
        a in article(),
        b in article(),
        inputs in prop::collection::vec(input(), 1..160),
    ) {
        let mut h = Harness::with_corpus(|tmp| {
            let c = tmp.join("c");
            std::fs::create_dir_all(&c).unwrap();
            std::fs::write(c.join("a.txt"), &a).unwrap();
            std::fs::write(c.join("b.txt"), &b).unwrap();
            c
        });
        h.keys("<enter>");
        for i in inputs {
            if h.app.state.quit {
                break;
            }
            let ev = match i {
                Input::Key(code, m) => Event::Key(KeyEvent::new(code, m)),
                Input::Resize(w, hh) => {
                    h.term.backend_mut().resize(w, hh);
                    Event::Resize(w, hh)
                }
                Input::Click(x, y) => Event::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column: x, row: y, modifiers: KeyModifiers::NONE }),
                Input::Drag(x, y) => Event::Mouse(MouseEvent { kind: MouseEventKind::Drag(MouseButton::Left), column: x, row: y, modifiers: KeyModifiers::NONE }),
            };
            h.app.handle_event(&ev);
            h.app.tick();
            h.draw();
            check(&h)?;
        }
        h.app.finish_background();
    }
}

/// A corpus that fights back: a FIFO named like an article, FIFOs at a sidecar's and at a lock's
/// path, a folder that links to itself and one that links to its parent, and an article of one
/// line of a few megabytes.
fn hostile_corpus(tmp: &std::path::Path, a: &str) -> std::path::PathBuf {
    use std::os::unix::fs::symlink;
    let c = tmp.join("c");
    std::fs::create_dir_all(c.join("sub")).unwrap();
    std::fs::write(c.join("a.txt"), a).unwrap();
    let fifo = |p: &std::path::Path| {
        let ok = std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .unwrap();
        assert!(ok.success());
    };
    fifo(&c.join("x.txt"));
    std::fs::write(c.join("f.txt"), "Ông Tô Lâm gặp bà Hòa.\n").unwrap();
    fifo(&c.join("f.ron"));
    std::fs::write(c.join("g.txt"), "Chỉ thị số 24/CT-TW về nhiệm vụ.\n").unwrap();
    fifo(&c.join("g.ron.lock"));
    symlink("loop", c.join("loop")).unwrap();
    symlink("..", c.join("sub").join("up")).unwrap();
    std::fs::write(c.join("sub").join("s.txt"), "Bộ trưởng Lê Minh.\n").unwrap();
    let line = "Ông Tô Lâm nói về chỉ thị số 24/CT-TW, ".repeat(3 << 20 >> 6);
    std::fs::write(c.join("long.txt"), line).unwrap();
    c
}

/// A watchdog: the process ends, naming what hung, if `beat` stops changing for `secs` before
/// the watchdog is dropped.
struct Watchdog(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

fn watchdog(beat: std::sync::Arc<std::sync::atomic::AtomicU64>, secs: u64) -> Watchdog {
    use std::sync::atomic::Ordering;
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let dog = Watchdog(done.clone());
    std::thread::spawn(move || {
        let (mut last, mut since) = (beat.load(Ordering::SeqCst), std::time::Instant::now());
        while !done.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(100));
            let now = beat.load(Ordering::SeqCst);
            if now != last {
                (last, since) = (now, std::time::Instant::now());
            } else if since.elapsed().as_secs() >= secs {
                eprintln!("a key (event {now}) was not handled within {secs} s: gloss hung");
                std::process::exit(101);
            }
        }
    });
    dog
}

fn hostile_cases() -> u32 {
    std::env::var("GLOSS_RANDOM_KEY_CASES")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .map_or(12, |n| (n / 16).max(1))
}

fn kind(p: &std::path::Path) -> Option<std::fs::FileType> {
    std::fs::symlink_metadata(p).ok().map(|m| m.file_type())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: hostile_cases(), failure_persistence: None, ..ProptestConfig::default() })]
    /// FIFOs, link loops and a line of megabytes: no panic, every key handled promptly, the
    /// FIFOs left as they are, and what is saved is what the open article's model holds.
    #[test]
    fn random_keys_on_a_hostile_corpus_never_hang_nor_panic(
        a in article(),
        start in 0usize..5,
        inputs in prop::collection::vec(input(), 1..80),
    ) {
        use std::os::unix::fs::FileTypeExt;
        use std::sync::atomic::{AtomicU64, Ordering};
        let beat = std::sync::Arc::new(AtomicU64::new(0));
        let dog = watchdog(beat.clone(), 60);
        let mut h = Harness::with_corpus(|tmp| hostile_corpus(tmp, &a));
        beat.fetch_add(1, Ordering::SeqCst);
        // the list: a, f (its sidecar a FIFO), g (its lock a FIFO), long, sub/s; one is opened
        prop_assert_eq!(h.app.state.articles.len(), 5);
        h.keys(&format!("{}<enter>", "j".repeat(start)));
        let opened = h.app.state.reader.as_ref().map(|r| r.doc.path().to_path_buf());
        let want = h.corpus.join(h.app.state.articles.name(start).as_ref());
        prop_assert_eq!(opened, Some(want));
        for i in inputs {
            beat.fetch_add(1, Ordering::SeqCst);
            if h.app.state.quit {
                break;
            }
            let ev = match i {
                Input::Key(code, m) => Event::Key(KeyEvent::new(code, m)),
                Input::Resize(w, hh) => {
                    h.term.backend_mut().resize(w, hh);
                    Event::Resize(w, hh)
                }
                Input::Click(x, y) => Event::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column: x, row: y, modifiers: KeyModifiers::NONE }),
                Input::Drag(x, y) => Event::Mouse(MouseEvent { kind: MouseEventKind::Drag(MouseButton::Left), column: x, row: y, modifiers: KeyModifiers::NONE }),
            };
            h.app.handle_event(&ev);
            h.app.tick();
            h.draw();
            check(&h)?;
        }
        // every key was handled in time; the background work (suggestions over the line of
        // megabytes) is waited for without the watchdog: it is no key's wait
        drop(dog);
        h.app.finish_background();
        for fifo in ["x.txt", "f.ron", "g.ron.lock"] {
            let k = kind(&h.corpus.join(fifo));
            prop_assert!(k.is_some_and(|k| k.is_fifo()), "{} is no longer a FIFO: {:?}", fifo, k);
        }
        prop_assert!(kind(&h.corpus.join("loop")).is_some_and(|k| k.is_symlink()));
        // what is saved is what the open article's model holds
        if let Some(r) = h.app.state.reader.as_ref()
            && !r.doc.is_unsaved()
            && r.doc.read_only().is_none()
            && r.doc.sidecar_error().is_none()
        {
            let spans = |tags: &mut dyn Iterator<Item = &gloss_core::annotation::Annotation>| {
                let mut v: Vec<(String, String, usize, usize)> =
                    tags.map(|t| (t.id.clone(), t.label.clone(), t.start, t.end)).collect();
                v.sort();
                v
            };
            let model = spans(&mut r.tags().tags().iter());
            let saved = match Sidecar::load(r.doc.sidecar_path()) {
                Ok(Some(sc)) => spans(&mut sc.tags.iter()),
                Ok(None) => Vec::new(),
                Err(e) => return Err(TestCaseError::fail(format!("the saved sidecar does not read: {e}"))),
            };
            prop_assert_eq!(saved, model);
        }
    }
}
