//! Update + render per keystroke in a 1 MB article, on a TestBackend (criterion).
//!
//! `cargo bench --bench keystroke`
//!
//! The reader's layout is built once per width; a keystroke costs a few row lookups, and a frame
//! lays out only the rows on screen.

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::annotation::{Annotation, LabelSet};
use gloss::corpus::{Article, ArticleList};
use gloss::tui::action::{Action, Motion};
use gloss::tui::keymap::Keymap;
use gloss::tui::state::{Pane, Reader, State};
use gloss::tui::theme::Theme;
use gloss::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// About 1 MB of the bundled sample text, paragraphs as in the corpus.
fn big_article() -> String {
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/corpus/000_7a10bffd121dacb3.txt"
    ))
    .unwrap();
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(&sample);
        text.push_str("\n\n");
    }
    text
}

fn state(text: &str) -> State {
    let labels = LabelSet::default();
    let index = ArticleList::new(std::path::Path::new("/c"), vec!["/c/a.txt".into()]);
    let mut s = State::new(
        index,
        labels.clone(),
        "bench".into(),
        Rect::new(0, 0, 120, 40),
    );
    // a tag every few hundred characters, as in a well-tagged article
    let tags: Vec<Annotation> = text
        .match_indices("Tô Lâm")
        .map(|(b, m)| {
            let c = text[..b].chars().count();
            Annotation::new("PERSON", c, c + m.chars().count(), m, "bench")
        })
        .collect();
    let article = Article::from_bytes("/c/a.txt".into(), text.as_bytes().to_vec());
    let w = s.wrap_width();
    let mut doc = gloss::store::Document::with_article(article, "/nonexistent/a.ron".into());
    doc.edit(
        tags.into_iter()
            .map(gloss::annotation::Change::Add)
            .collect(),
    );
    s.reader = Some(Reader::new(0, doc, &labels, w));
    s.focus = Pane::Reader;
    s
}

fn keystroke(c: &mut Criterion) {
    let text = big_article();
    let mut s = state(&text);
    let labels = LabelSet::default();
    let theme = Theme::new(&labels, &Default::default()).unwrap();
    let keymap = Keymap::new(&labels, &Default::default()).unwrap();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    // start in the middle of the article
    update(&mut s, Action::Move(Motion::Bottom));
    for _ in 0..2000 {
        update(&mut s, Action::Move(Motion::Up));
    }
    let mut down = true;
    let mut n = 0u32;
    c.bench_function("keystroke: move + render, 1 MB article", |b| {
        b.iter(|| {
            n += 1;
            if n.is_multiple_of(500) {
                down = !down;
            }
            let m = match n % 3 {
                0 => Motion::WordForward,
                1 if down => Motion::Down,
                1 => Motion::Up,
                _ => Motion::Right,
            };
            update(&mut s, Action::Move(m));
            term.draw(|f| gloss::tui::view::draw(f, &s, &theme, &keymap))
                .unwrap();
        })
    });
    c.bench_function("keystroke: page down + render, 1 MB article", |b| {
        b.iter(|| {
            n += 1;
            let m = if n % 200 < 100 {
                Motion::PageDown
            } else {
                Motion::PageUp
            };
            update(&mut s, Action::Move(m));
            term.draw(|f| gloss::tui::view::draw(f, &s, &theme, &keymap))
                .unwrap();
        })
    });
}

criterion_group!(benches, keystroke);
criterion_main!(benches);
