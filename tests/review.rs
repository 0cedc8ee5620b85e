//! Reviewers in the terminal: status, review mode, accept/reject, boundaries, comments, reading mode;
//! finding: exact toggle, corpus search, tag index and list filters. Driven by keys against a
//! TestBackend, checking the screen and the sidecars.

mod common;

use common::*;
use ratatui::style::Color;

fn gloss(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .output()
        .unwrap()
}

fn review_of(h: &Harness, text: &str) -> Option<gloss_core::annotation::Verdict> {
    h.sidecar(SAMPLE)
        .tags
        .iter()
        .find(|t| t.text == text)
        .and_then(|t| t.review.as_ref().map(|r| r.verdict))
}

#[test]
fn status_moves_to_in_progress_at_the_first_tag_and_is_set_with_keys() {
    let mut h = Harness::sample();
    h.keys("<enter>");
    assert!(h.screen().contains("[new]"));
    h.keys("/to lam<enter>p");
    assert_eq!(
        h.sidecar(SAMPLE).status,
        gloss_core::annotation::Status::InProgress
    );
    assert!(h.screen().contains("[in-progress]"));
    h.keys("md");
    assert_eq!(
        h.sidecar(SAMPLE).status,
        gloss_core::annotation::Status::Done
    );
    assert!(h.screen().contains("✓"), "the list marks done articles");
    h.keys("mw");
    assert_eq!(
        h.sidecar(SAMPLE).status,
        gloss_core::annotation::Status::NeedsWork
    );
    h.keys("u");
    assert_eq!(
        h.sidecar(SAMPLE).status,
        gloss_core::annotation::Status::Done,
        "status changes undo"
    );
    h.keys("mq");
    assert!(h.message().contains("status unchanged"));
}

#[test]
fn review_mode_accepts_rejects_relabels_and_exports_accordingly() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p/le minh hung<enter>p/chi thi so 24<enter>d");
    h.keys("R");
    assert!(h.status().contains("REVIEW"), "{}", h.status());
    assert!(
        h.status().contains("on PERSON"),
        "review starts at the first tag"
    );
    h.keys("a"); // accept Tô Lâm, move on to Lê Minh Hưng
    assert!(h.status().contains("on PERSON"));
    h.keys("X"); // reject Lê Minh Hưng, move on to the directive
    h.keys("rt"); // re-label the directive as a task
    h.keys("a");
    use gloss_core::annotation::Verdict::*;
    assert_eq!(review_of(&h, "Tô Lâm"), Some(Accepted));
    assert_eq!(review_of(&h, "Lê Minh Hưng"), Some(Rejected));
    assert_eq!(review_of(&h, "chỉ thị số 24"), Some(Accepted));
    let sc = h.sidecar(SAMPLE);
    let t = sc.tags.iter().find(|t| t.text == "chỉ thị số 24").unwrap();
    assert_eq!(t.label, "TASK");
    let r = t.review.as_ref().unwrap();
    assert_eq!(r.reviewer, "tester");
    assert!(r.time.starts_with("20"));
    assert_eq!(sc.tags.len(), 3, "rejected tags stay in the sidecar");
    h.keys("mr");

    let dir = h.corpus.to_str().unwrap().to_string();
    let out = String::from_utf8(gloss(&["export", &dir, "-f", "jsonl"]).stdout).unwrap();
    assert!(
        !out.contains("Lê Minh Hưng\"}") && !out.contains("\"text\":\"Lê Minh Hưng\""),
        "rejected left out"
    );
    assert!(out.contains("\"text\":\"Tô Lâm\""));
    let all =
        String::from_utf8(gloss(&["export", &dir, "-f", "jsonl", "--include-rejected"]).stdout)
            .unwrap();
    assert!(all.contains("\"text\":\"Lê Minh Hưng\""));
    let reviewed =
        String::from_utf8(gloss(&["export", &dir, "-f", "jsonl", "--status", "reviewed"]).stdout)
            .unwrap();
    assert_eq!(reviewed.lines().count(), 1, "only the reviewed article");
    let bad = gloss(&["export", &dir, "-f", "jsonl", "--status", "finished"]);
    assert_eq!(bad.status.code(), Some(2), "a bad status is a usage error");
}

#[test]
fn boundaries_grow_and_shrink_by_word() {
    let mut h = Harness::sample();
    // the search leaves the cursor on the hit's last letter: "Lâm" of the first "Tô Lâm"
    h.keys("<enter>/to lam<enter><esc>p");
    let text_of = |h: &Harness| h.sidecar(SAMPLE).tags[0].text.clone();
    assert_eq!(text_of(&h), "Lâm");
    h.keys("<lt>");
    assert_eq!(text_of(&h), "Tô Lâm");
    h.keys("+");
    assert_eq!(text_of(&h), "Tô Lâm, Chánh");
    h.keys("-");
    assert_eq!(text_of(&h), "Tô Lâm");
    h.keys(">");
    assert_eq!(text_of(&h), "Lâm");
    let text = h.article_text(SAMPLE);
    let t = &h.sidecar(SAMPLE).tags[0];
    assert_eq!(char_slice(&text, t.start, t.end), "Lâm");
    h.keys("uu");
    assert_eq!(text_of(&h), "Tô Lâm, Chánh");
}

#[test]
fn comments_on_tags_and_on_the_article() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>pCđúng người<enter>");
    assert_eq!(
        h.sidecar(SAMPLE).tags[0].comment.as_deref(),
        Some("đúng người")
    );
    h.keys("@cần xem lại đoạn cuối<enter>");
    assert_eq!(
        h.sidecar(SAMPLE).comment.as_deref(),
        Some("cần xem lại đoạn cuối")
    );
    assert!(h.screen().contains("comment: cần xem lại đoạn cuối"));
    h.reopen();
    assert!(
        h.screen().contains("comment: cần xem lại đoạn cuối"),
        "shown in the reader header"
    );
}

#[test]
fn reading_mode_centres_spaces_paragraphs_and_highlights_toggle() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p");
    let (x, y) = h.find_on_screen("Tô Lâm").unwrap();
    assert_eq!(h.buffer()[(x, y)].bg, Color::Cyan);
    h.keys("Z");
    let (x, y) = h.find_on_screen("Tô Lâm").unwrap();
    assert_ne!(h.buffer()[(x, y)].bg, Color::Cyan, "highlights off");
    h.keys("Z");
    // a wide terminal: text capped at 80 columns and centred
    h.app.dispatch(gloss::tui::action::Action::Resize {
        width: 240,
        height: 40,
    });
    h.term.backend_mut().resize(240, 40);
    h.keys("z");
    assert!(
        h.screen().contains("[reading]"),
        "{}",
        h.screen()
            .lines()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let state = &h.app.state;
    let text_x = state.text_x();
    assert!(text_x > state.panes.text.x + 20, "centred");
    assert_eq!(state.reader.as_ref().unwrap().layout.width(), 80);
    // one-sentence-per-line articles get a blank row between lines
    h.keys("]");
    let screen = h.screen();
    let lines: Vec<&str> = screen.lines().collect();
    let text_at = |l: &str| l.chars().skip(text_x as usize).collect::<String>();
    let i = lines
        .iter()
        .position(|l| text_at(l).starts_with("Chây ì nộp phạt nguội."))
        .unwrap();
    let next: String = lines[i + 1]
        .chars()
        .skip(text_x as usize)
        .take(60)
        .collect();
    assert!(
        next.trim().is_empty(),
        "a gap row after the first line: {:?}",
        lines[i + 1]
    );
    assert!(text_at(lines[i + 2]).starts_with("Hàng chục ngàn"));
    // the cursor skips the gap rows
    h.keys("gj");
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(
        r.text()[r.cursor..].starts_with("Hàng"),
        "down lands on the next line"
    );
}

#[test]
fn exact_matching_is_a_toggle() {
    let mut h = Harness::sample();
    h.keys("<enter>E/to lam<enter>");
    assert!(h.message().contains("no match"), "{}", h.message());
    h.keys("/Tô Lâm<enter>");
    assert!(h.message().contains("hit 1 of 2"), "{}", h.message());
    h.keys("E/TÔ LÂM<enter>");
    assert!(
        h.message().contains("hit 1 of 2"),
        "accent- and case-insensitive again"
    );
}

#[test]
fn corpus_search_streams_hits_and_jumps_to_them_for_tagging() {
    let mut h = Harness::sample();
    h.keys("Fda nang<enter>");
    h.app.finish_background();
    h.draw();
    let s = h.screen();
    assert!(s.contains("Search “da nang”"), "{s}");
    // the hit in its line first, then where it is
    assert!(s.contains("[Đà Nẵng] nghiên cứu"), "{s}");
    assert!(s.contains("· binhvq_003.txt:1"), "{s}");
    assert!(s.contains("binhvq_003_nfd.txt:1"), "NFD text found too");
    // the NFD article's hit: open it and tag it
    let res = h.app.state.results.as_ref().unwrap();
    let nfd = res
        .items
        .iter()
        .position(|i| i.line.ends_with("· binhvq_003_nfd.txt:1"))
        .unwrap();
    for _ in 0..nfd {
        h.keys("j");
    }
    h.keys("<enter>p");
    let name = "binhvq_003_nfd.txt";
    let text = h.article_text(name);
    let t = &h.sidecar(name).tags[0];
    use unicode_normalization::UnicodeNormalization;
    assert_eq!(t.text.nfc().collect::<String>(), "Đà Nẵng");
    assert_eq!(char_slice(&text, t.start, t.end), t.text);
    // esc closes the results
    h.keys("<tab><esc>");
    assert!(h.screen().contains("Articles (7)"));
}

#[test]
fn tag_index_lists_texts_per_label_and_jumps_to_occurrences() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p;p/chi thi so 24<enter>d");
    h.keys("]/chay i<enter>p");
    h.keys("I");
    h.app.finish_background();
    h.draw();
    let s = h.screen();
    assert!(s.contains("PERSON     Tô Lâm  ×2 in 1 article(s)"), "{s}");
    assert!(s.contains("DIRECTIVE  chỉ thị số 24  ×1"), "{s}");
    let res = h.app.state.results.as_ref().unwrap();
    let row = res
        .items
        .iter()
        .position(|i| i.line.contains("Tô Lâm"))
        .unwrap();
    for _ in 0..row {
        h.keys("j");
    }
    h.keys("<enter>");
    assert!(
        h.screen().contains("Occurrences of PERSON"),
        "{}",
        h.screen()
    );
    h.keys("j<enter>");
    let r = h.app.state.reader.as_ref().unwrap();
    assert_eq!(h.app.state.articles.name(r.entry), SAMPLE);
    let sel = r.selection().unwrap();
    assert_eq!(&r.text()[sel], "Tô Lâm");
    assert!(h.status().contains("on PERSON"));
}

#[test]
fn list_filters_combine_status_labels_annotator_and_text() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p"); // sample: PERSON, in progress
    h.keys("]/da nang<enter>t"); // binhvq_001: TASK
    h.keys("md");
    let filter = |h: &mut Harness, f: &str| h.keys(&format!("/<esc>/{f}<enter>"));
    h.keys("<tab>");
    filter(&mut h, "has:PERSON");
    assert!(h.screen().contains("Articles (1/7)"), "{}", h.screen());
    filter(&mut h, "no:PERSON");
    assert!(h.screen().contains("Articles (6/7)"));
    filter(&mut h, "status:done");
    assert!(h.screen().contains("Articles (1/7)"));
    filter(&mut h, "status:new");
    assert!(h.screen().contains("Articles (5/7)"));
    filter(&mut h, "by:tester has:TASK");
    assert!(h.screen().contains("Articles (1/7)"));
    filter(&mut h, "by:nobody");
    assert!(h.screen().contains("Articles (0/7)"));
    filter(&mut h, "status:new da nang");
    assert!(h.screen().contains("Articles (2/7)"), "{}", h.screen());
}
