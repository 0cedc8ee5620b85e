//! The TUI driven by keys and mouse against a TestBackend: what the screen shows and what the
//! sidecar holds.

mod common;

use common::*;
use ratatui::crossterm::event::{MouseButton, MouseEventKind};
use ratatui::style::Color;

/// Open the sample article (the first in the list).
fn open_sample() -> Harness {
    let mut h = Harness::sample();
    h.keys("<enter>");
    assert!(
        h.screen().contains(SAMPLE),
        "the reader shows the article name"
    );
    h
}

#[test]
fn list_shows_metadata_and_counts() {
    let h = Harness::sample();
    let s = h.screen();
    assert!(s.contains("Articles (7)"));
    assert!(s.contains("2023-07"), "date in the list");
    // the source (the outlet) is not repeated down the list: the title has the room
    assert!(!s.contains("Báo Tuổi trẻ ·"), "{s}");
    assert!(s.contains("Chây ì nộp phạt"), "first sentence as title");
    assert!(s.contains("p0 d0 t0"), "tag counts");
}

#[test]
fn tag_person_undo_redo() {
    let mut h = open_sample();
    let text = h.article_text(SAMPLE);
    h.keys("/to lam<enter>");
    assert!(h.message().contains("hit 1 of 2"), "{}", h.message());
    h.keys("p");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags.len(), 1);
    let t = &sc.tags[0];
    assert_eq!(t.label, "PERSON");
    assert_eq!(t.text, "Tô Lâm");
    assert_eq!(t.start, char_find(&text, "Tô Lâm"));
    assert_eq!(char_slice(&text, t.start, t.end), "Tô Lâm");
    assert_eq!(t.annotator, "tester");
    assert!(h.status().contains("PERSON 1"), "{}", h.status());
    // The tag is highlighted in PERSON's colour.
    let (x, y) = h.find_on_screen("Tô Lâm").expect("tag on screen");
    assert_eq!(h.buffer()[(x + 1, y)].bg, Color::Cyan);
    assert!(h.screen().contains("p1 d0 t0"), "list count follows");

    h.keys("u");
    assert!(h.sidecar(SAMPLE).tags.is_empty(), "undo is saved");
    assert!(h.status().contains("PERSON 0"), "{}", h.status());
    h.keys("<c-r>");
    let again = h.sidecar(SAMPLE);
    assert_eq!(again.tags.len(), 1);
    assert_eq!(again.tags[0].id, t.id, "redo restores the same tag");
}

#[test]
fn tag_directive_by_selection_motions() {
    let mut h = open_sample();
    let text = h.article_text(SAMPLE);
    // Place the cursor with a search (it ends on the hit's last letter), drop the search selection,
    // go back to "chỉ", then select four words.
    h.keys("/chi thi so 24<enter><esc>bbbb");
    h.keys("veeee");
    assert!(h.status().contains("SELECT"));
    h.keys("d");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags.len(), 1);
    assert_eq!(sc.tags[0].label, "DIRECTIVE");
    assert_eq!(sc.tags[0].text, "chỉ thị số 24");
    assert_eq!(sc.tags[0].start, char_find(&text, "chỉ thị số 24"));
    assert!(!h.status().contains("SELECT"), "tagging ends the selection");
}

#[test]
fn tag_a_whole_task_sentence_with_a_nested_person() {
    let mut h = open_sample();
    let text = h.article_text(SAMPLE);
    let sentence = "Các bí thư tỉnh ủy, thành ủy tập trung cao độ để hoàn thành tốt nhất mục tiêu, chỉ tiêu đã đề ra.";
    h.keys("/cac bi thu tinh uy, thanh uy tap trung cao<enter><esc>");
    h.keys("st");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags.len(), 1);
    assert_eq!(sc.tags[0].label, "TASK");
    assert_eq!(sc.tags[0].text, sentence);
    assert_eq!(sc.tags[0].start, char_find(&text, sentence));

    // A person inside a task: both kept, nested shown.
    let task = "Bà cũng đề nghị các bí thư tỉnh ủy";
    h.keys("/ba cung de nghi<enter><esc>");
    h.keys("st");
    h.keys("(1<enter>"); // back to the sentence start; the word under the cursor, "Bà", as label 1 (PERSON)
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags.len(), 3);
    let person = sc.tags.iter().find(|t| t.label == "PERSON").unwrap();
    assert_eq!(person.text, "Bà");
    let outer = sc
        .tags
        .iter()
        .find(|t| t.label == "TASK" && t.text.starts_with(task))
        .unwrap();
    assert!(outer.start <= person.start && person.end <= outer.end);
    assert!(h.status().contains("on TASK⊃PERSON"), "{}", h.status());
}

#[test]
fn delete_relabel_and_note() {
    let mut h = open_sample();
    h.keys("/le minh hung<enter>p");
    assert_eq!(h.sidecar(SAMPLE).tags[0].text, "Lê Minh Hưng");
    h.keys("<esc>rt");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags[0].label, "TASK", "re-labelled");
    h.keys("rp");
    h.keys("cChánh Văn phòng<enter>");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags[0].label, "PERSON");
    assert_eq!(sc.tags[0].note.as_deref(), Some("Chánh Văn phòng"));
    h.keys("x");
    assert!(h.sidecar(SAMPLE).tags.is_empty(), "deleted");
    // undo the delete, the note, and both re-labels
    h.keys("uuuu");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags.len(), 1);
    assert_eq!(sc.tags[0].label, "PERSON");
    assert_eq!(sc.tags[0].note, None);
}

#[test]
fn next_and_previous_tag() {
    let mut h = open_sample();
    h.keys("/to lam<enter>p/chi thi so 24<enter>d");
    h.keys("gn");
    assert!(h.status().contains("on PERSON"), "{}", h.status());
    h.keys("n");
    assert!(h.status().contains("on DIRECTIVE"), "{}", h.status());
    h.keys("N");
    assert!(h.status().contains("on PERSON"), "{}", h.status());
}

#[test]
fn undo_across_articles() {
    let mut h = open_sample();
    h.keys("/to lam<enter>p");
    h.keys("]");
    assert!(h.screen().contains("binhvq_001.txt"));
    h.keys("u");
    assert!(h.sidecar(SAMPLE).tags.is_empty());
    assert!(
        h.status().contains(SAMPLE),
        "undo went back to the article: {}",
        h.status()
    );
}

#[test]
fn opening_writes_nothing_and_reopening_returns_to_the_place() {
    let mut h = open_sample();
    assert!(
        !h.sidecar_path(SAMPLE).exists(),
        "opening writes no sidecar"
    );
    h.keys("]]");
    h.keys("/khoi nha<enter><esc>");
    let cursor = h.app.state.reader.as_ref().unwrap().cursor_char();
    assert!(cursor > 0);
    h.reopen();
    let r = h
        .app
        .state
        .reader
        .as_ref()
        .expect("an article is open again");
    assert_eq!(h.app.state.articles.name(r.entry), "binhvq_002.txt");
    assert_eq!(r.cursor_char(), cursor);
    assert!(!h.sidecar_path("binhvq_002.txt").exists());
}

#[test]
fn list_filter_narrows_as_you_type_accent_insensitively() {
    let mut h = Harness::sample();
    h.keys("/da nang");
    assert!(h.screen().contains("Articles (2/7)"), "{}", h.screen());
    h.keys("<enter>");
    assert!(h.screen().contains("Articles (2/7)"));
    h.keys("<enter>");
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(
        h.app
            .state
            .articles
            .summary(r.entry)
            .unwrap()
            .title
            .starts_with("Đà Nẵng")
    );
    h.keys("<tab>/<esc>");
    assert!(h.screen().contains("Articles (7)"));
}

#[test]
fn mouse_click_and_drag_select_and_tag() {
    let mut h = open_sample();
    let (x, y) = h.find_on_screen("Lê Minh Hưng").expect("name on screen");
    h.click(x, y);
    h.mouse(MouseEventKind::Drag(MouseButton::Left), x + 11, y);
    h.keys("p");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags[0].text, "Lê Minh Hưng");
    // wheel scrolls, the cursor stays on screen
    h.mouse(MouseEventKind::ScrollDown, x, y);
    h.mouse(MouseEventKind::ScrollDown, x, y);
    let r = h.app.state.reader.as_ref().unwrap();
    assert_eq!(r.scroll, 6);
    assert!(r.layout.row_of(r.cursor) >= r.scroll);
}

#[test]
fn scrolling_follows_the_cursor() {
    let mut h = open_sample();
    h.keys("G");
    assert!(h.screen().contains("Nguồn tin: Báo Tuổi trẻ"));
    assert!(!h.screen().contains("Cùng chủ trì có Bộ trưởng"));
    h.keys("g");
    assert!(h.screen().contains("Cùng chủ trì có Bộ trưởng"));
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut h = Harness::sample();
    h.keys("?");
    assert!(h.screen().contains("quit"));
    let mut seen = (false, false);
    for _ in 0..80 {
        let s = h.screen();
        seen.0 |= s.contains("ctrl-r  redo");
        seen.1 |= s.contains("tag selection or word as PERSON");
        h.keys("j");
    }
    assert!(seen.0 && seen.1, "the help lists redo and the label keys");
    h.keys("<esc>");
    assert!(!h.screen().contains("Keys (j/k scroll"));
}

#[test]
fn nfd_article_tags_whole_graphemes() {
    let mut h = Harness::sample();
    h.keys("/binhvq_003_nfd");
    h.keys("<enter><enter>");
    let name = "binhvq_003_nfd.txt";
    let text = h.article_text(name);
    h.keys("/da nang<enter>p");
    let sc = h.sidecar(name);
    let t = &sc.tags[0];
    assert_eq!(char_slice(&text, t.start, t.end), t.text);
    use unicode_normalization::UnicodeNormalization;
    assert_eq!(t.text.nfc().collect::<String>(), "Đà Nẵng");
    assert!(
        t.text.chars().count() > "Đà Nẵng".chars().count(),
        "offsets count NFD code points"
    );
}

#[test]
fn broken_sidecar_opens_read_only_and_is_never_overwritten() {
    let mut h = Harness::sample();
    let bad = "(format: 1, article: \"x\", sha256: \"\", tags: [ (id: 3";
    std::fs::write(h.sidecar_path(SAMPLE), bad).unwrap();
    h.keys("<enter>");
    assert!(h.screen().contains("[read-only]"));
    assert!(
        h.screen().contains("000_7a10bffd121dacb3.ron:1:"),
        "error names the file"
    );
    h.keys("/to lam<enter>p");
    assert!(h.message().contains("read-only"));
    assert_eq!(
        std::fs::read_to_string(h.sidecar_path(SAMPLE)).unwrap(),
        bad
    );
}

#[test]
fn hostile_invalid_empty_and_huge_files_stay_usable() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(
            c.join("a_escape.txt"),
            "Tô Lâm \u{1b}[2J\u{1b}]0;pwned\u{7} \u{202E}abc\u{9b}x\n",
        )
        .unwrap();
        std::fs::write(c.join("b_invalid.txt"), b"ab\xff\xfecd\n").unwrap();
        std::fs::write(c.join("c_empty.txt"), "").unwrap();
        std::fs::write(c.join("d_huge.txt"), "chỉ thị ".repeat(400_000)).unwrap();
        c
    });
    assert!(h.screen().contains("Articles (4)"));
    h.keys("<enter>");
    let s = h.screen();
    assert!(
        !s.contains('\u{1b}')
            && !s.contains('\u{7}')
            && !s.contains('\u{9b}')
            && !s.contains('\u{202E}')
    );
    assert!(s.contains("␛[2J"), "ESC shown as a placeholder: {s}");
    h.keys("p");
    assert_eq!(h.sidecar("a_escape.txt").tags[0].text, "Tô");
    h.keys("]");
    assert!(h.screen().contains("[read-only]"));
    assert!(h.screen().contains("ab��cd"));
    h.keys("]");
    assert!(h.screen().contains("(empty article)"));
    h.keys("p");
    assert!(!h.sidecar_path("c_empty.txt").exists());
    h.keys("]G");
    assert!(h.screen().contains("d_huge.txt"));
    h.keys("bd");
    let t = &h.sidecar("d_huge.txt").tags[0];
    assert_eq!(t.text, "thị");
    assert_eq!(t.start, "chỉ thị ".chars().count() * 399_999 + 4);
}

#[test]
fn corpus_labels_and_user_keys_apply() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = sample_corpus(tmp);
        std::fs::write(
            c.join("gloss.ron"),
            r#"(labels: Some([(name: "ORG", key: 'o', color: "green", description: "An organisation")]))"#,
        )
        .unwrap();
        std::fs::create_dir_all(tmp.join("config")).unwrap();
        std::fs::write(
            tmp.join("config/config.ron"),
            r#"(keys: {"J": "Move(WordForward)"}, colors: {"label.ORG": "red"})"#,
        )
        .unwrap();
        c
    });
    h.keys("<enter>/bo cong an<enter>o");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags[0].label, "ORG");
    assert_eq!(sc.tags[0].text, "Bộ Công an");
    let (x, y) = h.find_on_screen("Bộ Công an").unwrap();
    assert_eq!(h.buffer()[(x, y)].bg, Color::Red);
    assert!(h.screen().contains("o1"));
}

#[test]
fn annotations_mirror_tree_keeps_the_corpus_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    let sub = corpus.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::rename(corpus.join(SAMPLE), sub.join(SAMPLE)).unwrap();
    let mirror = tmp.path().join("mirror");
    let mut app = gloss::tui::App::new(
        gloss::tui::Options {
            root: corpus.clone(),
            annotations: Some(mirror.clone()),
            annotator: Some("m".into()),
            dirs: dirs_in(tmp.path()),
        },
        ratatui::layout::Rect::new(0, 0, WIDTH, HEIGHT),
    )
    .unwrap();
    let entry = app
        .state
        .articles
        .position_of_name(&format!("sub/{SAMPLE}"))
        .unwrap();
    app.state.list.selected = app
        .state
        .list
        .shown
        .iter()
        .position(|&e| e == entry)
        .unwrap();
    // (the reader opens on the first word, not on the article's leading space)
    for a in [
        gloss::tui::action::Action::OpenSelected,
        gloss::tui::action::Action::ApplyLabel("PERSON".into()),
    ] {
        app.dispatch(a);
    }
    let saved = mirror.join("sub").join(SAMPLE).with_extension("ron");
    let sc = gloss_core::store::Sidecar::load(&saved).unwrap().unwrap();
    assert_eq!(sc.tags.len(), 1);
    assert_eq!(sc.tags[0].text, "date");
    assert!(!sub.join(SAMPLE).with_extension("ron").exists());
}

#[test]
fn first_frame_shows_names_before_any_article_is_read_and_fills_in() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    let dirs = dirs_in(tmp.path());
    let mut app = open_app_scanning(&corpus, &dirs);
    let mut term =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(WIDTH, HEIGHT)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let first = buffer_text(term.backend().buffer());
    assert!(
        first.contains("Articles (7)") && first.contains("reading 0%"),
        "{first}"
    );
    assert!(first.contains("binhvq_001.txt"), "names before metadata");
    assert!(!first.contains("Báo Tuổi trẻ"), "no article read yet");
    // usable meanwhile: filter by name and open
    use gloss::tui::action::{Action, InputKey};
    app.dispatch(Action::Find);
    for c in "nfd".chars() {
        app.dispatch(Action::Input(InputKey::Char(c)));
    }
    app.dispatch(Action::Input(InputKey::Enter));
    app.dispatch(Action::OpenSelected);
    assert_eq!(
        app.state
            .articles
            .name(app.state.reader.as_ref().unwrap().entry),
        "binhvq_003_nfd.txt"
    );
    app.finish_scan();
    term.draw(|f| app.draw(f)).unwrap();
    let after = buffer_text(term.backend().buffer());
    assert!(!after.contains("reading"), "{after}");
    assert!((0..app.state.articles.len()).all(|i| app.state.articles.has_summary(i)));
    assert_eq!(
        app.state.articles.summary(0).unwrap().source.as_deref(),
        Some("Báo Tuổi trẻ")
    );
    // the scan leaves a cache for the next opening (written just after it reports done)
    let start = std::time::Instant::now();
    let count = || {
        std::fs::read_dir(&dirs.cache).map_or(0, |d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".bin"))
                .count()
        })
    };
    while count() == 0 && start.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(count(), 1);
}

#[test]
fn every_mode_reads_its_keys_from_the_keymap_and_the_help_lists_them_all() {
    // an override of the relations list's keys, and one of the reader's
    let mut h = Harness::with_corpus(|tmp| {
        let c = sample_corpus(tmp);
        std::fs::create_dir_all(tmp.join("config")).unwrap();
        std::fs::write(
            tmp.join("config/config.ron"),
            r#"(keys: {"relations:J": "Move(Down)", "relations:x": "", "status:D": "SetStatusTo(Done)"})"#,
        )
        .unwrap();
        c
    });
    // the help has a part per mode, each generated from the keymap with the overrides
    h.keys("?");
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        for line in h.screen().lines() {
            for heading in [
                "The relations list (after V):",
                "Article status (after m):",
                "Adjudicating (gloss adjudicate), in the reader:",
                "Typing (filter, search, note, comment, entity):",
                "Re-labelling (after r):",
            ] {
                if line.contains(heading) {
                    seen.insert(heading);
                }
            }
            if line.contains("j down J") && line.contains("down a line") {
                seen.insert("the relations list's own J");
            }
            if line.contains("D  status done") {
                seen.insert("the status's own D");
            }
        }
        h.keys("j");
    }
    assert_eq!(seen.len(), 7, "{seen:?}");
    h.keys("<esc>");
    // the override works in its mode: D sets the status to done after m
    h.keys("<enter>mD");
    assert_eq!(
        h.sidecar(SAMPLE).status,
        gloss_core::annotation::Status::Done
    );
    // and any other key there leaves the status as it was
    h.keys("mz");
    assert!(h.message().contains("status unchanged"), "{}", h.message());
    assert_eq!(
        h.sidecar(SAMPLE).status,
        gloss_core::annotation::Status::Done
    );
}

#[test]
fn corpus_tag_all_counts_and_tags_on_a_thread_and_is_one_undo_step() {
    use gloss::tui::action::Action;
    let mut h = Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("a.txt"), "Ông Tô Lâm nói.\n").unwrap();
        for i in 0..30 {
            let text = if i % 3 == 0 {
                "Tô Lâm đến.\n"
            } else {
                "Không ai.\n"
            };
            std::fs::write(c.join(format!("b{i:02}.txt")), text).unwrap();
        }
        c
    });
    h.keys("<enter>/to lam<enter>p");
    // & returns at once: the count runs on a thread, with its progress in the state
    h.app.dispatch(Action::TagAllInCorpus);
    assert!(h.app.state.tag_all.is_some(), "counting in the background");
    assert!(h.app.state.message.as_ref().unwrap().0.contains("counting"));
    h.app.finish_writes();
    h.draw();
    assert!(
        h.message()
            .contains("tag 10 more “Tô Lâm” as PERSON in 10 article(s)? y"),
        "{}",
        h.message()
    );
    // yes: the others are tagged on a thread too
    h.app.dispatch(Action::Confirm);
    assert!(h.app.state.tag_all.is_some(), "tagging in the background");
    // undo waits for it, and says so
    h.app.dispatch(Action::Undo);
    assert!(h.app.state.message.as_ref().unwrap().0.contains("wait"));
    h.app.finish_writes();
    h.draw();
    assert!(
        h.message().contains("tagged 10 “Tô Lâm” as PERSON"),
        "{}",
        h.message()
    );
    for i in (0..30).step_by(3) {
        let sc = h.sidecar(&format!("b{i:02}.txt"));
        assert_eq!(sc.tags.len(), 1);
        assert_eq!(sc.tags[0].text, "Tô Lâm");
    }
    // one undo step takes them all away again
    h.keys("u");
    for i in (0..30).step_by(3) {
        assert!(h.sidecar(&format!("b{i:02}.txt")).tags.is_empty());
    }
    assert_eq!(
        h.sidecar("a.txt").tags.len(),
        1,
        "the first tag was its own step"
    );
}
