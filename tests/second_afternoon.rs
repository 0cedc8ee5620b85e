//! An annotator's and a reviewer's second afternoon (issue "what a day on real news still trips
//! over"): each friction driven by keys, at 80×24 and 140×40 where layout matters.

mod common;

use common::{Harness, SAMPLE};

fn sample_at(w: u16, h: u16) -> Harness {
    let mut h0 = Harness::sample();
    h0.resize(w, h);
    h0.keys("<enter>");
    h0
}

/// On a long tag, the bar keeps the counts and the position, and cuts the tag's text with `…`;
/// a selection shows its text, not only its length.
#[test]
fn a_long_tag_or_selection_leaves_the_counts_and_shows_its_text_cut() {
    for (w, hh) in [(80, 24), (140, 40)] {
        let mut h = sample_at(w, hh);
        h.keys("/viec nay nham tao<enter><esc>bbbb");
        h.keys("v");
        h.keys(&"e".repeat(14));
        let (bar, _) = h.bottom();
        assert!(bar.contains("selected “Việc này"), "{w}: {bar}");
        assert!(bar.contains("chars"), "{w}: {bar}");
        h.keys("t");
        let (bar, _) = h.bottom();
        let sc = h.sidecar(SAMPLE);
        assert_eq!(sc.tags.len(), 1, "{w}");
        assert!(
            sc.tags[0].text.chars().count() > 60,
            "{:?}",
            sc.tags[0].text
        );
        // the cursor is on the tag: its label and the start of its text, cut
        assert!(bar.contains("on TASK “Việc này"), "{w}: {bar}");
        assert!(bar.contains("…”"), "{w}: {bar}");
        // and the counts stay (long or short form)
        assert!(
            bar.contains("TASK 1") || bar.contains("T1"),
            "{w}: the counts gave way to the tag's text: {bar}"
        );
        assert!(
            bar.contains("line") || bar.contains(':'),
            "{w}: the position gave way: {bar}"
        );
    }
}

fn corpus_of(files: &'static [(&'static str, &'static str)]) -> Harness {
    Harness::with_corpus(move |tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        for (name, text) in files {
            std::fs::write(c.join(name), text).unwrap();
        }
        c
    })
}

/// The undo of a corpus tag-all that added nothing to the open article names what it undid.
#[test]
fn undoing_a_corpus_tag_all_says_what_it_undid() {
    let mut h = corpus_of(&[
        ("a.txt", "Ông Hòa nói.\n"),
        ("b.txt", "Hòa ở đây, Hoà nữa.\n"),
        ("c.txt", "Bà Hòa.\n"),
    ]);
    h.keys("<enter>/hoa<enter>p");
    assert_eq!(h.sidecar("a.txt").tags.len(), 1);
    h.keys("&y");
    assert_eq!(h.sidecar("b.txt").tags.len(), 2);
    h.keys("u");
    let (_, message) = h.bottom();
    assert!(h.sidecar("b.txt").tags.is_empty());
    assert!(
        message.contains("undone: tagged PERSON “Hòa” and 2 more in 2 articles"),
        "{message}"
    );
    assert!(!message.contains("nothing"), "{message}");
}

/// `]` in a filtered list goes on to the next article the filter shows, from an open article the
/// filter hides too; at the end it says it is the end of the filter's articles.
#[test]
fn next_article_follows_the_filter() {
    let mut h = corpus_of(&[
        ("a.txt", "Bài một.\n"),
        ("b.txt", "Bài hai.\n"),
        ("c.txt", "Lại Côn Đảo.\n"),
        ("d.txt", "Bài bốn.\n"),
    ]);
    h.keys("jj<enter>");
    let open = |h: &Harness| {
        h.app.state.reader.as_ref().map(|r| {
            r.doc
                .path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
    };
    assert_eq!(open(&h).as_deref(), Some("c.txt"));
    // the list filtered to a, b, d: the open c is not among them; its next is d
    h.keys("<tab>/bai<enter>");
    h.keys("<tab>]");
    assert_eq!(open(&h).as_deref(), Some("d.txt"), "{}", h.bottom().1);
    h.keys("]");
    assert_eq!(open(&h).as_deref(), Some("d.txt"));
    let (_, message) = h.bottom();
    assert!(
        message.contains("last of the 3 articles the filter shows (of 4)"),
        "{message}"
    );
}

/// A filter term that names no status says which ones there are, and filters nothing out.
#[test]
fn a_status_that_is_none_names_the_valid_ones() {
    let mut h = corpus_of(&[("a.txt", "Bài một.\n"), ("b.txt", "Bài hai.\n")]);
    h.keys("/status:bogus<enter>");
    let (_, message) = h.bottom();
    assert!(
        message.contains("status:bogus is no status (status:new, status:in-progress, status:done"),
        "{message}"
    );
    assert_eq!(
        h.app.state.list.shown.len(),
        2,
        "the term is left out, not matched"
    );
    h.keys("<esc>/status:new<enter>");
    assert_eq!(h.app.state.list.shown.len(), 2);
    assert!(!h.bottom().1.contains("no status"), "{}", h.bottom().1);
}

/// A tag inside (or around) a tag of the same label is made, and said.
#[test]
fn the_same_label_nesting_is_said() {
    let mut h = corpus_of(&[("a.txt", "Ông Travis Kalanick nói.\n")]);
    h.keys("<enter>/travis<enter><esc>bveep");
    let (_, message) = h.bottom();
    assert!(
        message.contains("tagged PERSON “Travis Kalanick”"),
        "{message}"
    );
    assert!(!message.contains("nests"), "{message}");
    h.keys("/kalanick<enter>p");
    let (_, message) = h.bottom();
    assert!(
        message.contains(
            "tagged PERSON “Kalanick”, inside PERSON “Travis Kalanick”: the same label nests"
        ),
        "{message}"
    );
    assert_eq!(h.sidecar("a.txt").tags.len(), 2);
}

/// Tags a reviewer rejected are counted apart, in the bar and in the list.
#[test]
fn rejected_tags_are_counted_apart() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p/le minh hung<enter>p");
    assert!(h.status().contains("PERSON 2"), "{}", h.status());
    h.keys("RaX<esc>");
    let bar = h.status();
    assert!(bar.contains("PERSON 1"), "{bar}");
    assert!(bar.contains("1 rejected"), "{bar}");
    assert!(h.screen().contains("p1 d0 t0"), "{}", h.screen());
}

/// `N` from inside a tag goes to the tag before it, not to the start of the one it is in.
#[test]
fn previous_tag_from_inside_a_tag_is_the_one_before() {
    let mut h = corpus_of(&[("a.txt", "Ông Tô Lâm gặp bà Trương Thị Mai hôm qua.\n")]);
    h.keys("<enter>/to lam<enter><esc>bbveep/truong thi mai<enter><esc>bbbveeep");
    assert_eq!(h.sidecar("a.txt").tags.len(), 2);
    // the cursor inside "Trương Thị Mai", on "Thị"
    h.keys("/thi mai<enter><esc>b");
    assert!(
        h.status().contains("on PERSON “Trương Thị Mai”"),
        "{}",
        h.status()
    );
    h.keys("N");
    assert!(h.status().contains("on PERSON “Tô Lâm”"), "{}", h.status());
}

/// `*` on a linked tag links the copies tagged already; `&` leaves the status of the articles
/// nobody opened as it was.
#[test]
fn tag_all_links_copies_tagged_already_and_leaves_unopened_articles_new() {
    let mut h = corpus_of(&[
        ("a.txt", "Ông Tô Lâm nói. Tô Lâm đi. Tô Lâm về.\n"),
        ("b.txt", "Tô Lâm ở đây.\n"),
    ]);
    h.keys("<enter>/to lam<enter>p/to lam<enter>p");
    assert_eq!(h.sidecar("a.txt").tags.len(), 2);
    h.keys("g/to lam<enter><esc>L<enter>");
    let linked = |h: &Harness| -> Vec<Option<String>> {
        h.sidecar("a.txt")
            .tags
            .iter()
            .map(|t| t.entity.clone())
            .collect()
    };
    assert_eq!(
        linked(&h).iter().filter(|e| e.is_some()).count(),
        1,
        "{}",
        h.bottom().1
    );
    h.keys("*");
    let (_, message) = h.bottom();
    assert!(
        message
            .contains("tagged 1 more “Tô Lâm” as PERSON; linked 1 tagged already to person-to-lam"),
        "{message}"
    );
    assert_eq!(linked(&h), vec![Some("person-to-lam".to_string()); 3]);
    h.keys("&y");
    let b = h.sidecar("b.txt");
    assert_eq!(b.tags.len(), 1);
    assert_eq!(b.tags[0].entity.as_deref(), Some("person-to-lam"));
    assert_eq!(
        b.status,
        gloss_core::annotation::Status::New,
        "nobody opened b"
    );
}

/// Two annotators on one machine each come back to their own place in a corpus.
#[test]
fn each_annotator_comes_back_to_their_own_place() {
    let mut h = corpus_of(&[
        ("a.txt", "Bài một.\n"),
        ("b.txt", "Bài hai.\n"),
        ("c.txt", "Bài ba.\n"),
    ]);
    h.keys("j<enter>q");
    let as_who = |who: &str| {
        let mut o = common::options_for(&h.corpus, &h.dirs);
        o.annotator = Some(who.into());
        gloss::tui::App::new(o, ratatui::layout::Rect::new(0, 0, 120, 36)).unwrap()
    };
    let open = |app: &gloss::tui::App| {
        app.state.reader.as_ref().map(|r| {
            r.doc
                .path()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
    };
    // another annotator opens c and quits
    let mut other = as_who("other");
    assert_eq!(open(&other), None, "the tester's place is not theirs");
    for k in ['j', 'j'] {
        other.handle_event(&key(k));
    }
    other.handle_event(&ratatui::crossterm::event::Event::Key(
        ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Enter),
    ));
    other.handle_event(&key('q'));
    other.finish_background();
    assert_eq!(open(&as_who("tester")).as_deref(), Some("b.txt"));
    assert_eq!(open(&as_who("other")).as_deref(), Some("c.txt"));
}

fn key(c: char) -> ratatui::crossterm::event::Event {
    ratatui::crossterm::event::Event::Key(ratatui::crossterm::event::KeyEvent::from(
        ratatui::crossterm::event::KeyCode::Char(c),
    ))
}

/// The note prompt is a line editor: the cursor moves, and typing and erasing happen where it is.
#[test]
fn a_note_is_edited_where_the_cursor_is() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>p");
    h.keys("ctrưởng<home>Bộ <end> Bộ X<bs>");
    assert!(
        h.bottom().1.contains("note: Bộ trưởng Bộ"),
        "{}",
        h.bottom().1
    );
    // three left, onto the last "B"; erase it, then the word before the cursor
    h.keys("<left><left><left><del><c-w>");
    let (_, prompt) = h.bottom();
    assert!(prompt.contains("note: Bộ ộ"), "{prompt}");
    h.keys("trưởng B<c-e>Công an<enter>");
    let sc = h.sidecar(SAMPLE);
    let t = sc.tags.iter().find(|t| t.text == "Tô Lâm").unwrap();
    assert_eq!(t.note.as_deref(), Some("Bộ trưởng Bộ Công an"));
}

/// A number key past the labels there are says so (and help does not list it).
#[test]
fn a_number_past_the_labels_says_there_is_no_such_label() {
    let mut h = Harness::sample();
    h.keys("<enter>/to lam<enter>4");
    let (_, message) = h.bottom();
    assert!(
        message.contains("enter says there is no label 4"),
        "{message}"
    );
    h.keys("<enter>");
    let (_, message) = h.bottom();
    assert!(message.contains("there is no label 4"), "{message}");
    assert!(!h.sidecar_path(SAMPLE).exists() || h.sidecar(SAMPLE).tags.is_empty());
    h.keys("<esc>?");
    assert!(!h.screen().contains("label 4"), "{}", h.screen());
}

/// `)` in a selection ends it with the sentence (its final period left out, as a TASK), so `t` tags the sentence whole
/// and nothing of the next; `$` at a soft wrap stops on the row's last character, not the space.
#[test]
fn a_selection_ends_with_its_sentence_and_line_end_stops_before_the_wrap_space() {
    let mut h = sample_at(80, 24);
    h.keys("/viec nay nham tao<enter><esc>bbbbv)t");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags.len(), 1);
    let t = &sc.tags[0].text;
    assert!(t.starts_with("Việc này nhằm tạo"), "{t}");
    // its final period left out, as a TASK is tagged
    assert!(t.ends_with("thành ủy"), "{t}");
    // a long paragraph wraps at 80 columns: $ on its first row
    h.keys("/ba mai neu ro<enter><esc>0$");
    let r = h.app.state.reader.as_ref().unwrap();
    let text = r.doc.text();
    let under = text[r.cursor..].chars().next().unwrap();
    assert!(!under.is_whitespace(), "$ is on {under:?}");
    let after = text[r.cursor..].chars().nth(1).unwrap();
    assert!(
        after.is_whitespace(),
        "$ is on the row's last word's end: {under:?}{after:?}"
    );
}

/// The README's first session, followed literally (its motions-only variant of step 3 too), tags
/// what it says; and the screenshot at its head is what gloss draws after it (100 × 16).
#[test]
fn the_readme_s_first_session_does_what_it_says_and_its_screenshot_is_drawn_so() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let shot: Vec<&str> = readme
        .split("```\n")
        .nth(1)
        .expect("a screenshot at the head")
        .lines()
        .collect();
    let texts = |h: &Harness| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = h
            .sidecar(SAMPLE)
            .tags
            .iter()
            .map(|t| (t.label.clone(), t.text.clone()))
            .collect();
        v.sort();
        v
    };
    let heading = "Tạo sự thống nhất, thông suốt, nâng cao nhận thức, trách nhiệm";
    let want = vec![
        ("DIRECTIVE".to_string(), "chỉ thị số 24".to_string()),
        ("PERSON".to_string(), "Tô Lâm".to_string()),
        ("TASK".to_string(), heading.to_string()),
    ];
    for step3 in ["/chi thi so<enter>ed", "/chi thi so<enter><esc>bbbveeeed"] {
        let mut h = Harness::sample();
        h.resize(100, 16);
        h.keys("<enter>/to lam<enter>p");
        h.keys(step3);
        h.keys("/tao su thong nhat<enter><esc>st");
        assert_eq!(texts(&h), want, "{step3}");
        if step3.contains("ed") && !step3.contains("<esc>") {
            let drawn: Vec<String> = h
                .screen()
                .lines()
                .map(|l| l.trim_end().to_string())
                .collect();
            let shown: Vec<String> = shot.iter().map(|l| l.trim_end().to_string()).collect();
            assert_eq!(
                shown,
                drawn,
                "the README's screenshot; gloss draws:\n{}",
                drawn.join("\n")
            );
        }
    }
}

/// `+` on a tag before a closing quote takes the quote (then, past the comma, the next word), so a
/// quoted name is tagged whole; `s` leaves out the final period and closing quotes, as the gold
/// guide tags a TASK and the suggestions find one.
#[test]
fn a_quoted_name_is_taken_whole_and_a_sentence_selection_ends_before_its_period() {
    let mut h = corpus_of(&[(
        "a.txt",
        "Thực hiện nghị quyết “Về phát triển TP. HCM”, rồi báo cáo.\nCác sở phải “làm ngay việc này”.\n",
    )]);
    h.keys("<enter>/nghi quyet<enter>eeeeed");
    let tags = |h: &Harness| -> Vec<String> {
        h.sidecar("a.txt")
            .tags
            .iter()
            .map(|t| t.text.clone())
            .collect()
    };
    assert_eq!(tags(&h), ["nghị quyết “Về phát triển TP. HCM"]);
    h.keys("+");
    assert_eq!(tags(&h), ["nghị quyết “Về phát triển TP. HCM”"]);
    let (_, message) = h.bottom();
    assert!(
        message.contains("DIRECTIVE is now “nghị quyết"),
        "{message}"
    );
    h.keys("+");
    assert_eq!(tags(&h), ["nghị quyết “Về phát triển TP. HCM”, rồi"]);
    // `-` steps back over the words (and the marks between them) as it always did…
    h.keys("-");
    assert_eq!(tags(&h), ["nghị quyết “Về phát triển TP. HCM"]);
    // …and over a closing mark the tag ends with, undoing a `+`
    h.keys("+-");
    assert_eq!(tags(&h), ["nghị quyết “Về phát triển TP. HCM"]);
    // the second line's sentence, its closing quote and period left out
    h.keys("j0wst");
    let all = tags(&h);
    assert!(
        all.contains(&"Các sở phải “làm ngay việc này".to_string()),
        "{all:?}"
    );
}

/// Counts as vim's: `4e` `3w` `2>` repeat the step, `3p` tags three words, `2 enter` tags with
/// label 2 (the labels' numbers), `0` after a digit is a digit; help says so in one line.
#[test]
fn counts_repeat_motions_tag_words_and_keep_the_label_numbers() {
    let mut h = corpus_of(&[(
        "a.txt",
        "Hôm nay ông Nguyễn Văn An và bà Lê Thị Bình họp về nghị quyết số 12 của tỉnh.\n",
    )]);
    let tags = |h: &Harness| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = h
            .sidecar("a.txt")
            .tags
            .iter()
            .map(|t| (t.label.clone(), t.text.clone()))
            .collect();
        v.sort();
        v
    };
    // 3w from the line's start lands on "Nguyễn"; 3p tags three words
    h.keys("<enter>g3w3p");
    assert_eq!(tags(&h), [("PERSON".into(), "Nguyễn Văn An".into())]);
    // 2 enter: label 2 (DIRECTIVE) on the word under the cursor; then v 4e takes four word ends
    h.keys("/nghi quyet<enter><esc>bbv4ed");
    assert!(
        tags(&h).contains(&("DIRECTIVE".into(), "nghị quyết số 12".into())),
        "{:?}",
        tags(&h)
    );
    h.keys("/le thi<enter><esc>bb2<enter>");
    assert!(
        tags(&h).contains(&("DIRECTIVE".into(), "Lê".into())),
        "{:?}",
        tags(&h)
    );
    // 2+ grows the tag by two words; a count of 10 moves ten words
    h.keys("2+");
    assert!(
        tags(&h).contains(&("DIRECTIVE".into(), "Lê Thị Bình".into())),
        "{:?}",
        tags(&h)
    );
    h.keys("g10w");
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(
        r.doc.text()[r.cursor..].starts_with("Bình"),
        "{:?}",
        &r.doc.text()[r.cursor..]
    );
    // esc drops a count; the next motion moves once
    h.keys("3<esc>w");
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(r.doc.text()[r.cursor..].starts_with("họp"));
    // help lists the digits as one line
    h.keys("?");
    let screen = h.screen();
    assert!(screen.contains("3p tags three words"), "{screen}");
}

/// The tag index sorts in Vietnamese alphabetical order (Đặng before Hồ before Huỳnh; code points
/// put Huỳnh first and Đặng last), `o` orders it by count, and `/` narrows it by typing (accents
/// aside), `esc` widening it again.
#[test]
fn the_tag_index_sorts_as_vietnamese_by_count_on_a_key_and_narrows_as_one_types() {
    let mut h = corpus_of(&[
        ("a.txt", "Ông Huỳnh Minh gặp Hồ Chí Minh và Đặng Văn.\n"),
        ("b.txt", "Hồ Chí Minh, Đặng Văn.\n"),
        ("c.txt", "Hồ Chí Minh.\n"),
    ]);
    h.keys("<enter>/huynh minh<enter>p/ho chi minh<enter>p&y/dang van<enter>p&y");
    assert_eq!(h.sidecar("b.txt").tags.len(), 2);
    h.keys("I");
    h.app.finish_background();
    h.draw();
    let rows = |h: &Harness| -> Vec<String> {
        h.app
            .state
            .results
            .as_ref()
            .unwrap()
            .items
            .iter()
            .map(|i| i.line.clone())
            .collect()
    };
    let names = |h: &Harness| -> Vec<&'static str> {
        rows(h)
            .iter()
            .map(|l| {
                ["Đặng Văn", "Hồ Chí Minh", "Huỳnh Minh"]
                    .into_iter()
                    .find(|n| l.contains(n))
                    .unwrap()
            })
            .collect()
    };
    assert_eq!(names(&h), ["Đặng Văn", "Hồ Chí Minh", "Huỳnh Minh"]);
    assert!(h.screen().contains("Tag index (A–Z)"), "{}", h.screen());
    h.keys("o");
    assert_eq!(names(&h), ["Hồ Chí Minh", "Đặng Văn", "Huỳnh Minh"]);
    assert!(h.screen().contains("by count"), "{}", h.screen());
    h.keys("/minh");
    assert_eq!(names(&h), ["Hồ Chí Minh", "Huỳnh Minh"]);
    h.keys("<c-u>HUYNH<enter>");
    assert_eq!(names(&h), ["Huỳnh Minh"]);
    // enter on the row lists its occurrences; the filter is the index's only
    h.keys("<enter>");
    assert!(
        h.screen().contains("Occurrences of PERSON"),
        "{}",
        h.screen()
    );
    h.keys("<esc>I");
    h.app.finish_background();
    assert_eq!(names(&h).len(), 3, "a new index starts unfiltered");
    h.keys("/dang<esc>");
    assert_eq!(names(&h).len(), 3, "esc widens it again");
}

/// `F` hits say whether a tag holds them already (`✓PERSON`), and `f` shows only those not tagged
/// yet, then all again.
#[test]
fn corpus_hits_say_they_are_tagged_and_f_keeps_the_untagged_ones() {
    let mut h = corpus_of(&[
        ("a.txt", "Ông Hòa nói, ông Hòa đi.\n"),
        ("b.txt", "Bà Hòa ở đây.\n"),
    ]);
    h.keys("<enter>/hoa<enter>p");
    h.keys("Fhoa<enter>");
    h.app.finish_background();
    h.draw();
    let lines: Vec<String> = h
        .app
        .state
        .results
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|i| i.line.clone())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let marked: Vec<bool> = lines.iter().map(|l| l.starts_with("✓PERSON")).collect();
    assert_eq!(marked, [true, false, false], "{lines:?}");
    assert!(h.screen().contains("✓PERSON"), "{}", h.screen());
    h.keys("f");
    let res = h.app.state.results.as_ref().unwrap();
    assert_eq!(res.items.len(), 2);
    assert!(res.items.iter().all(|i| i.tagged.is_none()));
    assert!(
        h.screen().contains("not tagged, 3 in all"),
        "{}",
        h.screen()
    );
    // enter on the first untagged hit opens it: the second Hòa of a.txt
    h.keys("<enter>p");
    assert_eq!(h.sidecar("a.txt").tags.len(), 2);
    h.keys("Fhoa<enter>");
    h.app.finish_background();
    let res = h.app.state.results.as_ref().unwrap();
    assert_eq!(res.items.iter().filter(|i| i.tagged.is_some()).count(), 2);
    h.keys("ff");
    assert_eq!(
        h.app.state.results.as_ref().unwrap().items.len(),
        3,
        "f again shows all"
    );
}

/// Widths follow the screen: the list is a third of it at 200 columns too, and reading an
/// occurrence from the tag index gives the reader its width back (the list is widened only while
/// it has the keyboard), so `z` centres the text in a reader of the usual width.
#[test]
fn widths_follow_the_screen_and_the_reader_gets_its_width_back_from_the_index() {
    for (w, hh) in [(200u16, 50u16), (140, 40)] {
        let mut h = sample_at(w, hh);
        let list = h.app.state.panes.list.width;
        assert_eq!(list, w / 3, "{w}: the list is a third of the screen");
        h.keys("/to lam<enter>p");
        h.keys("I");
        h.app.finish_background();
        h.draw();
        assert_eq!(
            h.app.state.panes.list.width,
            w * 3 / 5,
            "{w}: the index is wide"
        );
        h.keys("<enter>");
        h.app.finish_background();
        h.keys("<enter>");
        h.app.finish_background();
        h.draw();
        assert_eq!(
            h.app.state.panes.list.width,
            w / 3,
            "{w}: reading an occurrence, the reader has its width back"
        );
        h.keys("<esc>z");
        h.draw();
        assert_eq!(h.app.state.panes.reader.width, w - w / 3, "{w}");
        // back in the list of occurrences, it is wide again
        h.keys("<tab>");
        h.draw();
        assert!(h.app.state.results.is_some());
        assert_eq!(h.app.state.panes.list.width, w * 3 / 5, "{w}");
    }
}

/// A tag changed in two places says who made which version (and when), and `K` keeps the one
/// under the cursor, deleting the other, in one step `u` undoes.
#[test]
fn a_conflict_says_who_made_which_version_and_k_keeps_one() {
    let text = "Ông Lê Minh Hưng phát biểu.\n";
    let mut h = Harness::with_corpus(move |tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("a.txt"), text).unwrap();
        let mut mine =
            gloss_core::annotation::Annotation::new("PERSON", 4, 16, "Lê Minh Hưng", "lan");
        mine.id = "aaaaaaaaaaaa".into();
        mine.modified = "2026-11-30T09:15:00Z".into();
        mine.conflict = Some("bbbbbbbbbbbb".into());
        let mut theirs =
            gloss_core::annotation::Annotation::new("DIRECTIVE", 4, 16, "Lê Minh Hưng", "minh");
        theirs.id = "bbbbbbbbbbbb".into();
        theirs.modified = "2026-12-01T14:02:00Z".into();
        theirs.conflict = Some("aaaaaaaaaaaa".into());
        let set = gloss_core::annotation::AnnotationSet::new(vec![mine, theirs]);
        let sc = gloss_core::store::Sidecar::new(std::path::Path::new("a.txt"), text, &set);
        std::fs::write(c.join("a.ron"), sc.to_ron()).unwrap();
        c
    });
    h.resize(140, 40);
    h.keys("<enter>/hung<enter><esc>");
    let (status, _) = h.bottom();
    assert!(status.contains("CONFLICT"), "{status}");
    // the two versions of one span: the innermost is the one under the cursor
    assert!(status.contains("this by minh 12-01 14:02"), "{status}");
    assert!(
        status.contains("other PERSON by lan 11-30 09:15"),
        "{status}"
    );
    assert!(status.contains("K keeps this"), "{status}");
    let kept = h.sidecar("a.txt").tags;
    assert_eq!(kept.len(), 2);
    h.keys("K");
    let tags = h.sidecar("a.txt").tags;
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert!(tags[0].conflict.is_none());
    assert_eq!(
        (tags[0].label.as_str(), tags[0].annotator.as_str()),
        ("DIRECTIVE", "minh")
    );
    assert!(kept.iter().any(|t| t.id == tags[0].id));
    let (_, message) = h.bottom();
    assert!(message.contains("the other version"), "{message}");
    assert!(!h.bottom().0.contains("CONFLICT"), "{}", h.bottom().0);
    h.keys("u");
    assert_eq!(
        h.sidecar("a.txt").tags.len(),
        2,
        "u brings the other version back"
    );
}

/// A small corpus whose first article has a person who issued a directive and set a task.
fn related_at(w: u16, hh: u16) -> Harness {
    let mut h = corpus_of(&[(
        "a.txt",
        "Ông Tô Lâm ký Chỉ thị số 24/CT-TW về công tác phòng chống tội phạm.\n\nBà Mai nói.\n\nÔng Tô Lâm giao nhiệm vụ rà soát hồ sơ tồn đọng.\n",
    )]);
    h.resize(w, hh);
    h.keys("<enter>/to lam<enter>p/chi thi so 24<enter>eed/ra soat ho so<enter>eeet");
    // relations: Tô Lâm ISSUES the directive, ASSIGNS the task
    h.keys("g/to lam<enter><esc>A/chi thi<enter><enter>");
    h.keys("g/to lam<enter><esc>A/ra soat<enter><enter>");
    assert_eq!(h.sidecar("a.txt").relations.len(), 2, "{}", h.bottom().1);
    h
}

/// `T` shows the article's relations as a tree, head then `├TYPE→ tail`, each tail whole (its
/// text wraps rather than being cut) at 80 and 140 columns; the view follows the reader's cursor
/// (the rows of the tag under it marked `▸`); enter jumps to the row's tag.
#[test]
fn the_relation_view_draws_heads_and_tails_follows_the_cursor_and_jumps() {
    for (w, hh) in [(80, 24), (140, 40)] {
        let mut h = related_at(w, hh);
        h.keys("g/chi thi<enter><esc>T");
        let screen = h.screen();
        assert!(screen.contains("Relations (2)"), "{w}: {screen}");
        assert!(screen.contains("├ISSUES→ Chỉ thị"), "{w}: {screen}");
        assert!(screen.contains("└ASSIGNS→ rà soát"), "{w}: {screen}");
        // the directive's text, whole, over as many rows as it needs
        let pane: String = screen
            .lines()
            .map(|l| {
                l.chars()
                    .take(h.app.state.panes.list.width as usize)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n");
        let flat: String = pane
            .split(['│', '\n', ' '])
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains("24/CT-TW"), "{w}: {pane}");
        assert!(!pane.contains('…'), "{w}: nothing cut: {pane}");
        // the cursor was on the directive: its row is marked and selected
        let marked = |pane: &str, what: &str| {
            pane.lines()
                .find(|l| l.contains(what))
                .is_some_and(|l| l.contains('▸'))
        };
        assert!(marked(&pane, "ISSUES"), "{w}: {pane}");
        assert!(!marked(&pane, "ASSIGNS"), "{w}: {pane}");
        assert!(!marked(&pane, "Tô Lâm"), "{w}: {pane}");
        // enter jumps to the tail of the selected relation: down to ASSIGNS, enter
        h.keys("j<enter>");
        let (bar, message) = h.bottom();
        assert!(bar.contains("on TASK “rà soát"), "{w}: {bar}");
        assert!(message.contains("—ASSIGNS→ TASK"), "{w}: {message}");
        // the reader has the keyboard; the view stays and follows: on the head, all its rows
        h.keys("g/to lam<enter><esc>");
        let pane: String = h
            .screen()
            .lines()
            .map(|l| {
                l.chars()
                    .take(h.app.state.panes.list.width as usize)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n");
        for what in ["Tô Lâm", "ISSUES", "ASSIGNS"] {
            assert!(marked(&pane, what), "{w}: head and both relations: {pane}");
        }
        // the head's row jumps to the head
        h.keys("<tab>G<enter>");
        assert!(h.bottom().0.contains("on TASK"), "{w}: {}", h.bottom().0);
        h.keys("<tab>gk<enter>");
        assert!(
            h.bottom().0.contains("on PERSON “Tô Lâm”"),
            "{w}: {}",
            h.bottom().0
        );
        // T closes it: the article list is back
        h.keys("T");
        assert!(h.screen().contains("Articles (1)"), "{w}");
    }
}

/// Articles whose tags name entities of `entities.ron`: Tô Lâm twice (a, b), the same man as
/// "Ông Lâm" once (b, another entity), and an entity no tag names.
fn with_entities() -> Harness {
    use gloss_core::annotation::{Annotation, AnnotationSet};
    use gloss_core::store::Sidecar;
    Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        let write = |name: &str, text: &str, tags: &[(&str, &str)]| {
            let p = c.join(name);
            std::fs::write(&p, text).unwrap();
            let tags: Vec<Annotation> = tags
                .iter()
                .map(|(needle, entity)| {
                    let b = text.find(needle).unwrap();
                    let start = text[..b].chars().count();
                    let mut t = Annotation::new(
                        "PERSON",
                        start,
                        start + needle.chars().count(),
                        needle,
                        "tester",
                    );
                    t.entity = Some(entity.to_string());
                    t
                })
                .collect();
            Sidecar::new(&p, text, &AnnotationSet::new(tags))
                .save(&p.with_extension("ron"))
                .unwrap();
        };
        write(
            "a.txt",
            "Bộ trưởng Tô Lâm phát biểu.\n",
            &[("Tô Lâm", "person-to-lam")],
        );
        write(
            "b.txt",
            "Tô Lâm đến. Ông Lâm nói.\n",
            &[("Tô Lâm", "person-to-lam"), ("Ông Lâm", "person-lam")],
        );
        std::fs::write(
            c.join("entities.ron"),
            r#"(format: 1, entities: [
                (id: "person-to-lam", label: "PERSON", name: "Tô Lâm", aliases: ["Bộ trưởng Tô Lâm"], wikidata: Some("Q1")),
                (id: "person-lam", label: "PERSON", name: "Ông Lâm"),
                (id: "person-x", label: "PERSON", name: "Nguyễn Văn X"),
            ])"#,
        )
        .unwrap();
        c
    })
}

/// Keys, then what the background finds meanwhile (the mentions, counted on a thread: a moment
/// for a user).
fn keys(h: &mut Harness, k: &str) {
    h.keys(k);
    h.app.finish_background();
    h.draw();
}

fn registry(h: &Harness) -> gloss_core::entity::Registry {
    gloss_core::entity::Registry::load(&h.corpus).unwrap()
}

fn entity_of(h: &Harness, article: &str, text: &str) -> Option<String> {
    h.sidecar(article)
        .tags
        .iter()
        .find(|t| t.text == text)
        .and_then(|t| t.entity.clone())
}

/// `M` lists the registry with each entity's mentions and articles across the corpus; `x`
/// deletes an unused one and refuses a used one, saying how many mentions; `m` then `m` merges
/// one into another (the tags naming it follow, in every sidecar; u undoes, ctrl-r redoes); `r`
/// renames; enter lists the mentions and opens one in its article.
#[test]
fn the_entities_pane_renames_merges_deletes_and_jumps_to_mentions() {
    for (w, hh) in [(80, 24), (140, 40)] {
        let mut h = with_entities();
        h.resize(w, hh);
        keys(&mut h, "<enter>M");
        let screen = h.screen();
        assert!(screen.contains("Entities (3)"), "{w}: {screen}");
        let row = |s: &str, name: &str| {
            s.lines()
                .find(|l| l.contains(name))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        // name, label, mentions, articles, aliases
        assert!(
            row(&screen, "Tô Lâm").contains("Tô Lâm PERSON 2 2 Bộ trưởng Tô Lâm"),
            "{w}: {screen}"
        );
        assert!(
            row(&screen, "Ông Lâm").contains("Ông Lâm PERSON 1 1"),
            "{w}: {screen}"
        );
        assert!(
            row(&screen, "Nguyễn Văn X").contains("PERSON 0 0"),
            "{w}: {screen}"
        );
        // rows by name: Nguyễn Văn X, Ông Lâm, Tô Lâm. A used one is refused, and said.
        keys(&mut h, "jx");
        assert!(
            h.bottom()
                .1
                .contains("not deleted: 1 mention(s) in 1 article(s) name “Ông Lâm”"),
            "{w}: {}",
            h.bottom().1
        );
        assert!(registry(&h).get("person-lam").is_some());
        // an unused one goes; u brings it back
        keys(&mut h, "kx");
        assert!(registry(&h).get("person-x").is_none(), "{w}");
        assert!(h.screen().contains("Entities (2)"), "{w}");
        keys(&mut h, "u");
        assert!(
            registry(&h).get("person-x").is_some(),
            "{w}: {}",
            h.bottom().1
        );
        // merge Ông Lâm into Tô Lâm: b's tag follows, the name becomes an alias
        keys(&mut h, "gjmjm");
        assert!(
            h.bottom()
                .1
                .contains("merged: 1 mention(s) now name “Tô Lâm”"),
            "{w}: {}",
            h.bottom().1
        );
        assert_eq!(
            entity_of(&h, "b.txt", "Ông Lâm").as_deref(),
            Some("person-to-lam")
        );
        let reg = registry(&h);
        assert!(reg.get("person-lam").is_none(), "{w}");
        let lam = reg.get("person-to-lam").unwrap();
        assert!(lam.aliases.contains(&"Ông Lâm".to_string()), "{lam:?}");
        assert!(
            std::fs::read_to_string(h.corpus.join("entities.ron"))
                .unwrap()
                .contains("wikidata: Some(\"Q1\")"),
            "{w}: the field of a newer gloss is kept"
        );
        assert!(
            row(&h.screen(), "Tô Lâm").contains("PERSON 3 2"),
            "{w}: {}",
            h.screen()
        );
        // undone: as it was, in the sidecar and the registry; redone
        keys(&mut h, "u");
        assert_eq!(
            entity_of(&h, "b.txt", "Ông Lâm").as_deref(),
            Some("person-lam"),
            "{w}: {}",
            h.bottom().1
        );
        assert!(registry(&h).get("person-lam").is_some(), "{w}");
        assert!(
            !registry(&h)
                .get("person-to-lam")
                .unwrap()
                .aliases
                .contains(&"Ông Lâm".to_string())
        );
        keys(&mut h, "<c-r>");
        assert_eq!(
            entity_of(&h, "b.txt", "Ông Lâm").as_deref(),
            Some("person-to-lam"),
            "{w}"
        );
        assert!(registry(&h).get("person-lam").is_none(), "{w}");
        // rename
        keys(&mut h, "Gr<c-u>Đại tướng Tô Lâm<enter>");
        assert_eq!(
            registry(&h).get("person-to-lam").unwrap().name,
            "Đại tướng Tô Lâm",
            "{w}: {}",
            h.bottom().1
        );
        assert!(h.screen().contains("Đại tướng Tô Lâm"), "{w}");
        // the mentions, across articles: enter on the third opens b there
        keys(&mut h, "<enter>");
        let screen = h.screen();
        assert!(
            screen.contains("Mentions of Đại tướng Tô Lâm"),
            "{w}: {screen}"
        );
        keys(&mut h, "G<enter>");
        let open = h
            .app
            .state
            .reader
            .as_ref()
            .unwrap()
            .doc
            .path()
            .to_path_buf();
        assert!(open.ends_with("b.txt"), "{w}: {open:?}");
        assert!(
            h.bottom().0.contains("on PERSON “Ông Lâm”"),
            "{w}: {}",
            h.bottom().0
        );
    }
}

/// The same directive written two ways (`Chỉ thị số 24/CT-TW`, `Chỉ thị 24-CT/TW`) is one row
/// in the tag index, in `gloss stats` and in `gloss stats --by entity`, whose table keeps a long
/// id whole and apart from the label.
#[test]
fn a_directive_written_two_ways_is_one_row_in_the_index_and_the_stats() {
    let mut h = corpus_of(&[
        ("a.txt", "Ông Tô Lâm ký Chỉ thị số 24/CT-TW hôm qua.\n"),
        ("b.txt", "Thực hiện Chỉ thị 24-CT/TW của Ban Bí thư.\n"),
    ]);
    h.keys("<enter>/chi thi so 24<enter>eed]/chi thi 24<enter>eed");
    let texts =
        |a: &str| -> Vec<String> { h.sidecar(a).tags.iter().map(|t| t.text.clone()).collect() };
    assert_eq!(texts("a.txt"), ["Chỉ thị số 24/CT-TW"]);
    assert_eq!(texts("b.txt"), ["Chỉ thị 24-CT/TW"]);
    h.keys("I");
    h.app.finish_background();
    h.draw();
    let screen = h.screen();
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.starts_with("│DIRECTIVE "))
        .collect();
    assert_eq!(rows.len(), 1, "{screen}");
    assert!(
        rows[0].contains("Chỉ thị số 24-CT/TW  ×2 in 2 article(s) · written 2 ways"),
        "{screen}"
    );
    // the command line
    std::fs::write(
        h.corpus.join("entities.ron"),
        r#"(format: 1, entities: [(id: "person-nguyen-thi-thanh-huong-bo-truong", label: "PERSON", name: "Nguyễn Thị Thanh Hương")])"#,
    )
    .unwrap();
    let gloss = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(args)
            .arg(&h.corpus)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&gloss(&["stats", "--json"])).unwrap();
    assert_eq!(
        v["top_directives"],
        serde_json::json!([{"name": "Chỉ thị số 24-CT/TW", "mentions": 2, "articles": 2}])
    );
    let table = gloss(&["stats"]);
    assert!(table.contains("most frequent directives"), "{table}");
    let v: serde_json::Value =
        serde_json::from_str(&gloss(&["stats", "--by", "entity", "--json"])).unwrap();
    let directives: Vec<&serde_json::Value> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["label"] == "DIRECTIVE")
        .collect();
    assert_eq!(directives.len(), 1, "{v}");
    assert_eq!(directives[0]["mentions"], 2);
    assert_eq!(directives[0]["articles"], 2);
    let table = gloss(&["stats", "--by", "entity"]);
    let long = table
        .lines()
        .find(|l| l.starts_with("person-nguyen"))
        .unwrap_or_default();
    assert!(
        long.starts_with("person-nguyen-thi-thanh-huong-bo-truong  PERSON  "),
        "{table}"
    );
    assert!(!table.contains('…'), "{table}");
}
