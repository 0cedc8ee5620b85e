//! Update + render per keystroke in a 1 MB article, on a TestBackend (criterion).
//!
//! `cargo bench --bench keystroke` (`-- "one 20 MB line"` for the long-line case alone)
//!
//! The reader's layout is built once per width; a keystroke costs a few row lookups, and a frame
//! lays out only the rows on screen.

use criterion::{Criterion, criterion_group, criterion_main};
use gloss::tui::action::{Action, Motion};
use gloss::tui::keymap::Keymap;
use gloss::tui::state::{Pane, Reader, State};
use gloss::tui::theme::Theme;
use gloss::tui::update::update;
use gloss_core::annotation::{Annotation, LabelSet};
use gloss_core::corpus::{Article, ArticleList};
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
    let mut doc = gloss_core::store::Document::with_article(article, "/nonexistent/a.ron".into());
    doc.edit(
        tags.into_iter()
            .map(gloss_core::annotation::Change::Add)
            .collect(),
    );
    s.reader = Some(Reader::new(0, doc, &labels, w));
    s.focus = Pane::Reader;
    s
}

/// The reader on `text`, its cursor 2,000 rows above the end, with what a frame is drawn with.
fn reading(text: &str) -> (State, Theme, Keymap, Terminal<TestBackend>) {
    let mut s = state(text);
    let labels = LabelSet::default();
    let theme = Theme::new(&labels, &Default::default()).unwrap();
    let keymap = Keymap::new(&labels, &Default::default(), &Default::default()).unwrap();
    let term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    update(&mut s, Action::Move(Motion::Bottom));
    for _ in 0..2000 {
        update(&mut s, Action::Move(Motion::Up));
    }
    (s, theme, keymap, term)
}

fn keystroke(c: &mut Criterion) {
    let text = big_article();
    // in the middle of the article
    let (mut s, theme, keymap, mut term) = reading(&text);
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

/// The same sample joined into one line of about 20 MB (no line breaks at all), as a scraped
/// page can be: a key must cost what it costs in an article of many lines.
fn one_long_line() -> String {
    let text = big_article().replace('\n', " ");
    let mut line = String::with_capacity(20_000_000);
    while line.len() < 20_000_000 {
        line.push_str(&text);
    }
    line
}

fn long_line(c: &mut Criterion) {
    let text = one_long_line();
    let (mut s, theme, keymap, mut term) = reading(&text);
    let mut n = 0u32;
    c.bench_function("keystroke: move + render, one 20 MB line", |b| {
        b.iter(|| {
            n += 1;
            let m = match n % 4 {
                0 => Motion::WordForward,
                1 => Motion::Down,
                2 => Motion::Up,
                _ => Motion::Right,
            };
            update(&mut s, Action::Move(m));
            term.draw(|f| gloss::tui::view::draw(f, &s, &theme, &keymap))
                .unwrap();
        })
    });
}

criterion_group!(benches, keystroke, long_line);

/// A corpus of one article in a temp folder, with `tags` PERSON tags saved in its sidecar
/// (every n-th word), and gloss open on it with the cursor on an untagged word.
fn saving_app(text: &str, tags: usize) -> (tempfile::TempDir, gloss::tui::App) {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let path = corpus.join("a.txt");
    std::fs::write(&path, text).unwrap();
    if tags > 0 {
        let dirs = gloss_core::store::SidecarDirs::new(&corpus, None);
        let mut doc = gloss_core::store::Document::open(&dirs, &path).unwrap();
        let words: Vec<(usize, &str)> = text
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
            .filter(|(_, w)| w.chars().all(char::is_alphabetic))
            .collect();
        let step = words.len().checked_div(tags).unwrap_or(1).max(1);
        let new: Vec<gloss_core::annotation::Change> = words
            .iter()
            .step_by(step)
            .skip(1)
            .take(tags)
            .filter_map(|&(b, w)| doc.new_tag("PERSON", b..b + w.len(), "bench"))
            .map(gloss_core::annotation::Change::Add)
            .collect();
        doc.edit(new);
        doc.save().unwrap();
        assert!(doc.tags().len() >= tags * 9 / 10, "{}", doc.tags().len());
    }
    let dirs = gloss_core::settings::Dirs {
        config: tmp.path().join("config"),
        data: tmp.path().join("data"),
        cache: tmp.path().join("cache"),
    };
    let mut app = gloss::tui::App::new(
        gloss::tui::Options {
            root: corpus,
            annotations: None,
            annotator: Some("bench".into()),
            dirs,
        },
        Rect::new(0, 0, 120, 40),
    )
    .unwrap();
    app.finish_scan();
    let key = |app: &mut gloss::tui::App, code: KeyCode| {
        app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    };
    key(&mut app, KeyCode::Enter); // open the article
    // suggestions off: their thread would share the cores with what is measured
    key(&mut app, KeyCode::Char('S'));
    // the first word (never tagged: the tags skip it)
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Char('w'));
    (tmp, app)
}

/// `p` on a word then `u`: two keystrokes, each an edit and a save of the sidecar.
fn saving(c: &mut Criterion) {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let text = big_article();
    for (name, tags) in [
        ("1 MB article, no tags", 0),
        ("1 MB article, 10,000 tags", 10_000),
    ] {
        let (_tmp, mut app) = saving_app(&text, tags);
        let before = app.state.reader.as_ref().unwrap().doc.tags().len();
        let mut g = c.benchmark_group("save per keystroke");
        g.sample_size(20);
        g.bench_function(format!("p + u on a word, {name}"), |b| {
            b.iter(|| {
                for k in ['p', 'u'] {
                    app.handle_event(&Event::Key(KeyEvent::new(
                        KeyCode::Char(k),
                        KeyModifiers::NONE,
                    )));
                }
            })
        });
        g.finish();
        app.finish_writes();
        let r = app.state.reader.as_ref().unwrap();
        assert_eq!(
            r.doc.tags().len(),
            before,
            "p and u leave the tags as they were"
        );
        assert!(!r.doc.is_unsaved(), "every keystroke saved");
    }
}

/// About `words` alphabetic words of the sample text (for a sidecar of that many tags).
fn article_of_words(words: usize) -> String {
    let mut text = big_article();
    let base = text.clone();
    while text
        .split_whitespace()
        .filter(|w| w.chars().all(char::is_alphabetic))
        .count()
        < words
    {
        text.push_str(&base);
    }
    text
}

/// A key on a word of an article whose sidecar holds 143,000 tags (issue 28): `p` then `u`, each
/// an edit and a save, and a frame after each. "the key waits for the save" is how gloss was
/// (the key, then the save and its outcome taken in, before the next frame); "what the UI thread
/// does" is how it is: the key, the frame, and the tick that takes a save's outcome in (the save
/// itself runs on the writer thread, untimed). `cargo bench --bench keystroke -- 143,000`
fn saving_large(c: &mut Criterion) {
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use std::time::{Duration, Instant};
    const TAGS: usize = 143_000;
    let text = article_of_words(TAGS + 1000);
    let (_tmp, mut app) = saving_app(&text, TAGS);
    app.finish_writes();
    let tags = app.state.reader.as_ref().unwrap().doc.tags().len();
    eprintln!("{tags} tags in the sidecar");
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut g = c.benchmark_group("a key while a 143,000-tag sidecar saves");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    let press = |app: &mut gloss::tui::App, k: char| {
        app.handle_event(&Event::Key(KeyEvent::new(
            KeyCode::Char(k),
            KeyModifiers::NONE,
        )))
    };
    g.bench_function("p + u, the key waits for the save (as before)", |b| {
        b.iter_custom(|iters| {
            let t = Instant::now();
            for _ in 0..iters {
                for k in ['p', 'u'] {
                    press(&mut app, k);
                    app.finish_writes();
                    term.draw(|f| app.draw(f)).unwrap();
                }
            }
            t.elapsed()
        })
    });
    let mut worst = Duration::ZERO;
    let (mut worst_key, mut worst_tick) = (Duration::ZERO, Duration::ZERO);
    g.bench_function("p + u, what the UI thread does (now)", |b| {
        b.iter_custom(|iters| {
            let mut busy = Duration::ZERO;
            for _ in 0..iters {
                for k in ['p', 'u'] {
                    let t = Instant::now();
                    press(&mut app, k);
                    term.draw(|f| app.draw(f)).unwrap();
                    let d = t.elapsed();
                    worst = worst.max(d);
                    worst_key = worst_key.max(d);
                    busy += d;
                    // the save on its thread (untimed); the ticks that take its outcome in
                    while app.saving() {
                        let t = Instant::now();
                        let came = app.tick();
                        let d = t.elapsed();
                        if came {
                            term.draw(|f| app.draw(f)).unwrap();
                            let d = t.elapsed();
                            worst = worst.max(d);
                            worst_tick = worst_tick.max(d);
                            busy += d;
                        } else {
                            std::thread::sleep(Duration::from_millis(1));
                            let _ = d;
                        }
                    }
                }
            }
            busy
        })
    });
    g.finish();
    eprintln!(
        "longest the UI thread was busy at once (a key and its frame, or a tick taking a save in): {worst:?} (a key and its frame: {worst_key:?}; a tick: {worst_tick:?})"
    );
    let r = app.state.reader.as_ref().unwrap();
    assert_eq!(
        r.doc.tags().len(),
        tags,
        "p and u leave the tags as they were"
    );
    assert!(!r.doc.is_unsaved(), "every keystroke saved");
}

criterion_group!(saves, saving);
criterion_group!(large_saves, saving_large);
criterion_main!(benches, saves, large_saves);
