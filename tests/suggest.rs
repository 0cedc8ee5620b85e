//! Suggestions and tag-all: the TUI's accept/reject/step keys, tag-all in the article and across the corpus, `gloss
//! suggest`, and the keystrokes it takes to tag the seed article with suggestions on and off.

mod common;

use std::ops::Range;

use common::*;

/// (label, code points) of the gold tags of the seed article (`tests/gold/assets.jsonl`, the rules
/// of the project's gold guide).
fn gold(_text: &str) -> Vec<(String, Range<usize>)> {
    let gold = gloss_core::eval::load_jsonl(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/gold/assets.jsonl"
    )))
    .unwrap();
    gold.into_iter()
        .find(|a| a.file == SAMPLE)
        .expect("the seed article's gold line")
        .spans
        .into_iter()
        .map(|s| (s.label, s.start..s.end))
        .collect()
}

#[test]
fn suggestions_are_shown_accepted_rejected_and_remembered() {
    let mut h = Harness::sample();
    h.keys("<enter>g}");
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(!r.suggestions.is_empty());
    assert!(
        h.message().contains("suggested PERSON “Trương Thị Mai”"),
        "{}",
        h.message()
    );
    // underlined in the label's colour, not a tag
    let (x, y) = h.find_on_screen("date 2023-07 Bà Trương").unwrap();
    // the second cell of the name (the first has the cursor)
    let cell = &h.buffer()[(x + "date 2023-07 Bà T".chars().count() as u16, y)];
    assert!(cell.modifier.contains(ratatui::style::Modifier::UNDERLINED));
    assert_eq!(cell.fg, ratatui::style::Color::Cyan);
    assert!(
        !h.sidecar_path(SAMPLE).exists(),
        "suggestions are not tags and are not saved"
    );
    h.keys("y");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.tags.len(), 1);
    assert_eq!(sc.tags[0].text, "Trương Thị Mai");
    h.keys("}");
    assert!(
        h.message().contains("suggested PERSON “GIA HÂN” (pattern)"),
        "{}",
        h.message()
    );
    h.keys("x");
    let sc = h.sidecar(SAMPLE);
    assert_eq!(sc.rejected.len(), 1, "the rejection is remembered");
    assert_eq!(sc.rejected[0].text, "GIA HÂN");
    let rejected = sc.rejected[0].clone();
    // reopen: the rejected suggestion does not come back
    h.reopen();
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(
        !r.suggestions
            .iter()
            .any(|s| r.to_chars(&s.bytes) == (rejected.start..rejected.end))
    );
    // never exported
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["export", h.corpus.to_str().unwrap(), "-f", "jsonl"])
        .output()
        .unwrap();
    let first = String::from_utf8(out.stdout).unwrap();
    let first = first.lines().next().unwrap();
    assert_eq!(
        first.matches("\"label\":").count(),
        1,
        "only the accepted tag"
    );
    // accept all, one undo step
    h.keys("Y");
    let n = h.sidecar(SAMPLE).tags.len();
    assert!(n > 10, "{n}");
    assert!(h.app.state.reader.as_ref().unwrap().suggestions.is_empty());
    h.keys("u");
    assert_eq!(h.sidecar(SAMPLE).tags.len(), 1);
    // S hides suggestions
    h.keys("S");
    assert!(h.app.state.reader.as_ref().unwrap().suggestions.is_empty());
}

#[test]
fn the_gazetteer_suggests_what_was_tagged_elsewhere() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("a.txt"), "Hôm qua Lan Anh đến.\n").unwrap();
        std::fs::write(
            c.join("b.txt"),
            "Lan Anh và Lan Anhh; LAN ANH; La\u{300}n Anh.\n",
        )
        .unwrap();
        c
    });
    let suggested = |h: &Harness| -> Vec<String> {
        let r = h.app.state.reader.as_ref().unwrap();
        r.suggestions
            .iter()
            .filter(|s| s.label == "PERSON")
            .map(|s| r.text()[s.bytes.clone()].to_string())
            .collect()
    };
    h.keys("<enter>");
    h.keys("]");
    assert!(suggested(&h).is_empty(), "nothing tagged yet");
    h.keys("[/lan anh<enter>p]");
    // learnt in this session: whole words, the same text up to case (capitals kept), not the
    // accented "Làn"
    assert_eq!(suggested(&h), ["Lan Anh", "LAN ANH"]);
    // and in a new session, from the corpus's sidecars
    h.reopen();
    h.keys("<tab>/b.txt<enter><enter>");
    assert_eq!(suggested(&h), ["Lan Anh", "LAN ANH"]);
}

#[test]
fn tag_all_in_the_article_matches_forms_and_word_boundaries_as_one_step() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(
            c.join("a.txt"),
            "Ông Hòa nói. Hoà đi. Ho\u{300}a về. Hoàng và Hoa ở lại. Hòa!\n",
        )
        .unwrap();
        std::fs::write(c.join("b.txt"), "Hòa ở đây, Hoà nữa.\n").unwrap();
        c
    });
    h.keys("<enter>S/hoa<enter>p");
    assert_eq!(h.sidecar("a.txt").tags.len(), 1);
    h.keys("*");
    let texts: Vec<String> = h
        .sidecar("a.txt")
        .tags
        .iter()
        .map(|t| t.text.clone())
        .collect();
    assert_eq!(
        texts,
        ["Hòa", "Hoà", "Ho\u{300}a", "Hòa"],
        "not Hoàng, not Hoa"
    );
    h.keys("u");
    assert_eq!(h.sidecar("a.txt").tags.len(), 1, "one undo step");
    // across the corpus: counted, confirmed, one undo step
    h.keys("g/hoa<enter>&");
    assert!(
        h.message()
            .contains("tag 5 more “Hòa” as PERSON in 2 article(s)? y"),
        "{}",
        h.message()
    );
    h.keys("y");
    assert_eq!(h.sidecar("a.txt").tags.len(), 4);
    assert_eq!(h.sidecar("b.txt").tags.len(), 2);
    h.keys("u");
    assert_eq!(h.sidecar("a.txt").tags.len(), 1);
    assert!(
        h.sidecar("b.txt").tags.is_empty(),
        "undone in the other article too"
    );
    h.keys("<c-r>");
    assert_eq!(h.sidecar("b.txt").tags.len(), 2, "and redone");
    h.keys("&");
    assert!(h.message().contains("already"), "{}", h.message());
}

#[test]
fn gloss_suggest_stores_suggestions_for_the_tui() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["suggest", corpus.to_str().unwrap(), "--labels", "DIRECTIVE"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("DIRECTIVE"), "{report}");
    assert!(!report.contains("PERSON"));
    let sc = gloss_core::store::Sidecar::load(&corpus.join(SAMPLE).with_extension("ron"))
        .unwrap()
        .unwrap();
    let texts: Vec<&str> = sc.suggested.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts, ["thông báo kết luận số 29", "chỉ thị số 24"]);
    assert!(sc.tags.is_empty(), "suggestions are not tags");
}

/// Tag the gold set of the seed article by keys, returning how many keys it took.
fn tag_seed(suggestions: bool) -> usize {
    let mut h = Harness::sample();
    let mut keys = 0;
    let mut press = |h: &mut Harness, k: &str| {
        // count key events: `<...>` is one key
        let mut n = 0;
        let mut in_name = false;
        for c in k.chars() {
            match c {
                '<' if !in_name => in_name = true,
                '>' if in_name => {
                    in_name = false;
                    n += 1;
                }
                _ if in_name => {}
                _ => n += 1,
            }
        }
        keys += n;
        h.keys(k);
    };
    press(&mut h, "<enter>");
    let text = h.article_text(SAMPLE);
    let gold = gold(&text);
    if !suggestions {
        press(&mut h, "S");
    } else {
        // step through the suggestions: accept exact ones, reject the rest
        press(&mut h, "g");
        loop {
            let before = h.app.state.reader.as_ref().unwrap().cursor;
            press(&mut h, "}");
            let r = h.app.state.reader.as_ref().unwrap();
            if r.cursor == before && !r.suggestions.iter().any(|s| s.bytes.start == r.cursor) {
                break;
            }
            let Some(s) = r.suggestions.iter().find(|s| s.bytes.start == r.cursor) else {
                break;
            };
            let c = r.to_chars(&s.bytes);
            let good = gold.iter().any(|(l, g)| *l == s.label && *g == c);
            press(&mut h, if good { "y" } else { "x" });
        }
    }
    // tag what is still missing by search
    for (label, g) in &gold {
        let sc = if h.sidecar_path(SAMPLE).exists() {
            h.sidecar(SAMPLE).tags
        } else {
            vec![]
        };
        if sc
            .iter()
            .any(|t| t.label == *label && t.start == g.start && t.end == g.end)
        {
            continue;
        }
        let needle: String = text.chars().skip(g.start).take(g.len()).collect();
        let b = text.char_indices().nth(g.start).unwrap().0;
        let nth = text[..b].matches(needle.as_str()).count();
        let key = &h.app.state.labels.get(label).unwrap().key.to_string();
        press(
            &mut h,
            &format!("g/{needle}<enter>{}{key}", ";".repeat(nth)),
        );
    }
    let mut got: Vec<(String, Range<usize>)> = h
        .sidecar(SAMPLE)
        .tags
        .into_iter()
        .map(|t| (t.label, t.start..t.end))
        .collect();
    let mut want = gold.clone();
    got.sort_by_key(|(l, r)| (r.start, r.end, l.clone()));
    want.sort_by_key(|(l, r)| (r.start, r.end, l.clone()));
    assert_eq!(
        got, want,
        "the article ends up tagged exactly as the gold file"
    );
    keys
}

#[test]
fn keystrokes_to_tag_the_seed_article_with_and_without_suggestions() {
    let off = tag_seed(false);
    let on = tag_seed(true);
    println!("keystrokes to tag the seed article: {off} without suggestions, {on} with");
    assert!(
        on * 2 < off,
        "suggestions should at least halve the keys: {on} vs {off}"
    );
}

#[test]
fn the_model_learns_in_the_background_from_finished_articles() {
    use gloss_core::annotation::{Annotation, AnnotationSet, ArticleFields, Status};
    let names = [
        "Tô Lâm",
        "Lê Minh",
        "Vũ Đam",
        "Mai Hoa",
        "Phạm Sanh",
        "Trần Tư",
        "Đặng Thu",
        "Bùi Nam",
    ];
    let mut h = Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        // no patterns: what is suggested comes from the gazetteer or the model
        std::fs::write(c.join("gloss.ron"), "(patterns: Some([]))").unwrap();
        for (i, n) in names.iter().enumerate() {
            let text = format!("Hôm qua ông {n} đến thăm. Trời mưa số {i}.\n");
            let p = c.join(format!("t{i}.txt"));
            std::fs::write(&p, &text).unwrap();
            let s = text[..text.find(n).unwrap()].chars().count();
            let tag = Annotation::new("PERSON", s, s + n.chars().count(), n, "test");
            let set = AnnotationSet::new(vec![tag]).with_article(ArticleFields {
                status: if i % 2 == 0 {
                    Status::Done
                } else {
                    Status::Reviewed
                },
                ..ArticleFields::default()
            });
            gloss_core::store::Sidecar::new(&p, &text, &set)
                .save(&p.with_extension("ron"))
                .unwrap();
        }
        std::fs::write(c.join("a.txt"), "Sáng nay ông Đỗ Hùng đến thăm.\n").unwrap();
        c
    });
    h.keys("<enter>");
    h.app.finish_learning();
    assert!(h.app.has_model(), "learnt from the finished articles");
    h.keys("g}");
    let r = h.app.state.reader.as_ref().unwrap();
    let got: Vec<(&str, gloss_core::suggest::Source)> = r
        .suggestions
        .iter()
        .map(|s| (&r.text()[s.bytes.clone()], s.source))
        .collect();
    assert_eq!(got, [("Đỗ Hùng", gloss_core::suggest::Source::Model)]);
    assert!(
        h.message().contains("suggested PERSON “Đỗ Hùng” (model)"),
        "{}",
        h.message()
    );
    // cached beside the metadata cache, and used again by a new session
    let cache =
        gloss_core::training::cache::path(&h.dirs.cache, &h.corpus.canonicalize().unwrap(), None);
    assert!(cache.exists());
    // accepting the suggestion and marking the article done trains again, in the background
    let before = std::fs::read(&cache).unwrap();
    h.keys("ymd");
    assert_eq!(h.sidecar("a.txt").status, Status::Done);
    h.app.finish_learning();
    assert_ne!(
        std::fs::read(&cache).unwrap(),
        before,
        "a new model was cached"
    );
    h.reopen();
    h.app.finish_learning();
    assert!(h.app.has_model());
}

#[test]
fn a_long_article_gets_its_suggestions_from_a_thread() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        let text = "Hôm nay ông Tô Lâm đến thăm và nói chuyện lâu.\n".repeat(2000);
        assert!(text.len() > gloss::tui::suggestions::SUGGEST_INLINE_BYTES);
        std::fs::write(c.join("a.txt"), text).unwrap();
        c
    });
    h.keys("<enter>");
    assert!(h.app.suggesting(), "not found on the keystroke's time");
    while h.app.suggesting() {
        h.app.tick();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let n = h.app.state.reader.as_ref().unwrap().suggestions.len();
    assert_eq!(n, 2000, "one name a line");
    // accepting one asks again on a thread; the one tagged leaves the list at once
    h.keys("}y");
    assert_eq!(
        h.app.state.reader.as_ref().unwrap().suggestions.len(),
        n - 1
    );
    while h.app.suggesting() {
        h.app.tick();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert_eq!(
        h.app.state.reader.as_ref().unwrap().suggestions.len(),
        n - 1
    );
    // keys typed faster than the thread works start no second one; the last key's tags are
    // caught up with once it is done
    for _ in 0..10 {
        h.keys("}yu");
    }
    assert!(h.app.jobs() <= 1, "{} threads", h.app.jobs());
    h.keys("}y");
    while h.app.suggesting() {
        h.app.tick();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert_eq!(
        h.app.state.reader.as_ref().unwrap().suggestions.len(),
        n - 2
    );
}
