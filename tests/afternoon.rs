//! An annotator's afternoon (issue "selections snap to words, jumps show their target, review tells
//! where it stands"): each friction found on real articles, driven by keys at the sizes it showed.

mod common;

use common::{Harness, SAMPLE, char_find};

fn sample_at(w: u16, h: u16) -> Harness {
    let mut h0 = Harness::sample();
    h0.resize(w, h);
    h0
}

#[test]
fn a_search_hit_extended_with_motions_keeps_its_start() {
    for (w, hh) in [(140, 40), (80, 24)] {
        let mut h = sample_at(w, hh);
        h.keys("<enter>/chi thi so<enter>ed");
        let sc = h.sidecar(SAMPLE);
        assert_eq!(sc.tags[0].text, "chỉ thị số 24", "{w}x{hh}");
        h.keys("u");
        // six words on from a hit: the tag starts where the hit did
        h.keys("/chi thi, nghi<enter>eeeeeed");
        let t = &h.sidecar(SAMPLE).tags[0];
        assert_eq!(
            t.text, "chỉ thị, nghị quyết, kết luận của trung ương",
            "{w}x{hh}"
        );
    }
}

#[test]
fn selections_snap_to_whole_syllables_unless_the_corpus_keeps_characters() {
    let mut h = Harness::sample();
    // `v w w d` ends on the first letter of a word: the tag takes the whole word
    h.keys("<enter>vwwd");
    let t = h.sidecar(SAMPLE).tags[0].clone();
    assert_eq!(t.text, "date 2023-07");
    // `<`/`>` and `+`/`-` still move by words
    h.keys("-");
    assert_eq!(h.sidecar(SAMPLE).tags[0].text, "date 2023");
    // a corpus that wants characters gets them
    let mut h = Harness::with_corpus(|tmp| {
        let c = common::sample_corpus(tmp);
        std::fs::write(c.join("gloss.ron"), "(anchoring: Characters)").unwrap();
        c
    });
    h.keys("<enter>vwwd");
    assert_eq!(h.sidecar(SAMPLE).tags[0].text, "date 2023-0");
}

#[test]
fn jumps_show_their_whole_target_away_from_the_edge() {
    for (w, hh) in [(140, 40), (80, 24)] {
        let mut h = sample_at(w, hh);
        h.keys("<enter>/nhiem vu trong tam tu nay<enter>");
        let r = h.app.state.reader.as_ref().unwrap();
        let sel = r.selection().unwrap();
        let height = h.app.state.text_height();
        let first = r.layout.row_of(sel.start);
        let last = r.layout.row_of(sel.end - 1);
        assert!(
            first >= r.scroll + 3.min(height / 2),
            "{w}x{hh}: hit too near the top"
        );
        assert!(
            last + 3.min(height / 2) < r.scroll + height,
            "{w}x{hh}: hit too near the bottom"
        );
        // the next tag, the next hit: likewise
        h.keys("<esc>p");
        h.keys("gn");
        let r = h.app.state.reader.as_ref().unwrap();
        let row = r.layout.row_of(r.cursor);
        assert!(row + 1 < r.scroll + height, "{w}x{hh}");
    }
}

#[test]
fn esc_in_the_list_clears_the_filter_and_slash_starts_a_new_one() {
    let mut h = Harness::sample();
    h.keys("/binhvq_00<enter>");
    assert!(h.screen().contains("Articles (6/7)"), "{}", h.screen());
    h.keys("<esc>");
    assert!(h.screen().contains("Articles (7)"), "{}", h.screen());
    h.keys("/khó<enter>");
    assert!(h.screen().contains("Articles (1/7)"), "{}", h.screen());
    h.keys("/đà<enter>");
    assert!(
        h.screen().contains("/đà "),
        "not appended to the old filter"
    );
}

#[test]
fn review_mode_tells_where_it_stands_and_ends_clearly() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p/le minh hung<enter>p/chi thi so 24<enter>d");
    h.keys("R");
    let (status, _) = h.bottom();
    assert!(status.contains("REVIEW 0/3"), "{status}");
    assert!(status.contains("on PERSON “Tô Lâm”"), "{status}");
    h.keys("a");
    let (status, _) = h.bottom();
    assert!(status.contains("REVIEW 1/3"), "{status}");
    h.keys("aa");
    let (status, message) = h.bottom();
    assert!(status.contains("REVIEW 3/3"), "{status}");
    assert!(message.contains("all 3 tags reviewed"), "{message}");
    // on the last tag, `a` again does not pretend to move on
    h.keys("a");
    assert!(h.bottom().1.contains("all 3 tags reviewed"));
    h.keys("<esc>");
    let (status, message) = h.bottom();
    assert!(!status.contains("REVIEW"), "{status}");
    assert!(message.contains("review mode off"), "{message}");
}

#[test]
fn narrow_windows_keep_what_matters() {
    let mut h = sample_at(80, 24);
    h.keys("<enter>/to lam<enter>p");
    let (status, _) = h.bottom();
    for want in ["TASK", "on PERSON", "line"] {
        assert!(status.contains(want), "80 columns keep {want}: {status}");
    }
    // corpus search at 80 columns shows the hit, not only file:line
    h.keys("Fda nang<enter>");
    h.app.finish_background();
    h.draw();
    assert!(h.screen().contains("[Đà Nẵng]"), "{}", h.screen());
    h.keys("<esc>");
    // 40x12: the list shows titles, the status bar the label counts
    h.resize(40, 12);
    let s = h.screen();
    assert!(s.contains("Chây ì"), "titles at 40 columns: {s}");
    h.keys("<tab>");
    let (status, _) = h.bottom();
    assert!(
        status.contains("P1") || status.contains("PERSON 1"),
        "{status}"
    );
    // 20 columns: the reader is what shows while reading
    h.resize(20, 10);
    let s = h.screen();
    assert!(s.contains("READ"), "{s}");
    assert!(!s.contains("Articles"), "one pane at a time: {s}");
    h.keys("<tab>");
    assert!(h.screen().contains("Articles"));
    // and nothing breaks at 10x3
    h.resize(10, 3);
    h.keys("jk<tab>wp");
}

#[test]
fn the_status_bar_says_line_and_column_note_selection_and_what_was_undone() {
    let mut h = sample_at(140, 40);
    h.keys("<enter>/to lam<enter>");
    let text = h.article_text(SAMPLE);
    let at = text.find("Tô Lâm").unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let (status, _) = h.bottom();
    assert!(status.contains(&format!("line {line} col")), "{status}");
    assert!(status.contains("selected “Tô Lâm” 6 chars"), "{status}");
    h.keys("pcBộ trưởng<enter>");
    let (status, _) = h.bottom();
    assert!(status.contains("note: Bộ trưởng"), "{status}");
    h.keys("u");
    assert!(
        h.bottom().1.contains("undone: changed PERSON “Tô Lâm”"),
        "{}",
        h.bottom().1
    );
    // messages do not go stale
    h.keys("l");
    assert!(!h.bottom().1.contains("undone"), "{}", h.bottom().1);
}

#[test]
fn a_cross_article_undo_lands_on_the_tag() {
    let mut h = Harness::sample();
    h.keys("<enter>/le minh hung<enter>p]");
    h.keys("u");
    let r = h.app.state.reader.as_ref().unwrap();
    assert_eq!(h.app.state.articles.name(r.entry), SAMPLE);
    let text = h.article_text(SAMPLE);
    assert_eq!(r.cursor_char(), char_find(&text, "Lê Minh Hưng"));
    assert!(
        h.bottom()
            .1
            .contains("undone: tagged PERSON “Lê Minh Hưng”")
    );
}

#[test]
fn help_lists_the_labels_there_are_and_where_the_corpus_and_tags_are() {
    let mut h = sample_at(140, 40);
    h.keys("?");
    let s = h.screen();
    assert!(
        !s.contains("ApplyLabelNumber") && !s.contains(" 4  "),
        "{s}"
    );
    assert!(s.contains("corpus: "), "{s}");
    assert!(s.contains("tags saved beside each article"), "{s}");
    // no help line is cut at 140 columns: every line ends inside the box
    for line in s.lines().filter(|l| l.contains('│')) {
        assert!(!line.contains("in the cor│"), "{line}");
    }
    // the list gives titles the room
    h.keys("q");
}

#[test]
fn occurrences_in_the_tag_index_show_their_text() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p;p");
    h.keys("I");
    h.app.finish_background();
    h.keys("<enter>");
    h.app.finish_background();
    h.draw();
    let s = h.screen();
    assert!(s.contains("Occurrences of PERSON"), "{s}");
    assert!(s.contains("[Tô Lâm]"), "the text around each: {s}");
    assert!(!s.contains("@96.."), "{s}");
}

#[test]
fn the_reader_opens_on_the_first_word() {
    let mut h = Harness::sample();
    h.keys("<enter>p");
    assert_eq!(h.sidecar(SAMPLE).tags[0].text, "date");
}
