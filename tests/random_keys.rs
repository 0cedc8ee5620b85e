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
    if sidecar.exists() {
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
