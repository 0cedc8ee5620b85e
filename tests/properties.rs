//! Property tests of the core: layout round trips, offsets, folding, motions, article parsing and
//! sidecar round trips, on text mixing NFC, NFD, emoji, CJK, controls and bidi marks.
//!
//! `PROPTEST_CASES=10000 cargo test --release --test properties` runs them at a larger scale.

use gloss_core::annotation::{Annotation, AnnotationSet};
use gloss_core::corpus::article::{parse_meta, title_of};
use gloss_core::store::Sidecar;
use gloss_core::text::display::{is_bidi_control, is_control};
use gloss_core::text::fold::Folded;
use gloss_core::text::{CharIndex, Layout, motion};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// Pieces real and hostile text is made of.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Tô Lâm".to_string()),
        Just("Ho\u{300}a".to_string()),
        Just("Hoà".to_string()),
        Just("Đảng".to_string()),
        Just("chỉ thị số 24/CT-TW".to_string()),
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("\t".to_string()),
        Just(". ".to_string()),
        Just("😀".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("🇻🇳".to_string()),
        Just("中文字".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}]0;x\u{7}".to_string()),
        Just("\u{9b}".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{202E}".to_string()),
        Just("\u{2067}".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("\u{301}".to_string()),
        // a prepended concatenation mark joins the digit after it into one grapheme
        Just("\u{600}12".to_string()),
        "[a-zA-Zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{1,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn layout_maps_every_grapheme_to_a_cell_and_back(t in text(), width in 1usize..40) {
        let l = Layout::new(&t, width);
        prop_assert!(!l.is_empty());
        // rows are in order and do not overlap
        for w in l.rows().windows(2) {
            prop_assert!(w[0].start <= w[0].end && w[0].end <= w[1].start);
        }
        for (b, _) in t.grapheme_indices(true) {
            let (r, c) = l.position_of(&t, b);
            prop_assert_eq!(l.byte_at(&t, r, c), b);
        }
        for r in 0..l.len() {
            let cells = l.cells(&t, r);
            let mut end_col = 0;
            for (i, cell) in cells.iter().enumerate() {
                prop_assert!(!cell.glyph.text.chars().any(|c| is_control(c) || is_bidi_control(c) || c == '\n' || c == '\t'),
                    "no control character reaches a cell: {:?}", cell.glyph.text);
                // a row is no wider than the width, except a lone wide grapheme or a hanging space
                let right = cell.col + cell.glyph.width;
                let hanging = i + 1 == cells.len() && cell.glyph.text.trim().is_empty();
                prop_assert!(right <= width || i == 0 || hanging || cell.glyph.kind == gloss_core::text::display::GlyphKind::Tab,
                    "row {} overflows: {} > {}", r, right, width);
                end_col = right;
            }
            let _ = end_col;
        }
    }

    #[test]
    fn char_offsets_round_trip(t in text()) {
        let idx = CharIndex::new(&t);
        for (c, (b, _)) in t.char_indices().enumerate() {
            prop_assert_eq!(idx.char_to_byte(&t, c), Some(b));
            prop_assert_eq!(idx.byte_to_char(&t, b), c);
        }
    }

    #[test]
    fn floor_and_ceil_grapheme_agree_with_segmentation(t in text()) {
        let starts: Vec<usize> = t.grapheme_indices(true).map(|(i, _)| i).chain([t.len()]).collect();
        for b in 0..=t.len() {
            let floor = *starts.iter().rev().find(|&&s| s <= b).unwrap();
            let ceil = *starts.iter().find(|&&s| s >= b).unwrap();
            prop_assert_eq!(motion::floor_grapheme(&t, b), floor, "floor at {}", b);
            prop_assert_eq!(motion::ceil_grapheme(&t, b), ceil, "ceil at {}", b);
        }
    }

    #[test]
    fn motions_land_on_grapheme_boundaries(t in text(), at in 0usize..400) {
        let starts: Vec<usize> = t.grapheme_indices(true).map(|(i, _)| i).chain([t.len()]).collect();
        let b = starts[at % starts.len()];
        for m in [
            motion::next_word_start(&t, b),
            motion::prev_word_start(&t, b),
            motion::next_word_end(&t, b),
            motion::next_sentence_start(&t, b),
            motion::prev_sentence_start(&t, b),
            motion::next_grapheme(&t, b),
            motion::prev_grapheme(&t, b),
        ] {
            prop_assert!(starts.contains(&m), "{} is not a grapheme boundary", m);
        }
        prop_assert!(motion::next_word_start(&t, b) >= b);
        prop_assert!(motion::prev_word_start(&t, b) <= b);
        if let Some(w) = motion::word_at(&t, b) {
            prop_assert!(w.start <= b && b < w.end);
            prop_assert!(starts.contains(&w.start) && starts.contains(&w.end));
        }
    }

    #[test]
    fn folded_hits_map_back_to_whole_graphemes(t in text(), a in 0usize..400, len in 1usize..6) {
        let starts: Vec<usize> = t.grapheme_indices(true).map(|(i, _)| i).chain([t.len()]).collect();
        let s = starts[a % starts.len()];
        let e = starts[((a % starts.len()) + len).min(starts.len() - 1)];
        let needle = &t[s..e];
        let f = Folded::new(&t);
        let hits = f.find_all(&t, needle);
        if !gloss_core::text::fold::fold_str(needle).is_empty() {
            prop_assert!(hits.iter().any(|h| h.start <= s && e <= h.end || gloss_core::text::fold::fold_str(&t[h.clone()]) == gloss_core::text::fold::fold_str(needle)),
                "the needle itself is found");
        }
        for h in hits {
            prop_assert!(starts.contains(&h.start) && starts.contains(&h.end));
        }
    }

    #[test]
    fn article_parsing_never_panics(t in text()) {
        let m = parse_meta(&t);
        let title = title_of(&t, &m);
        prop_assert!(title.chars().count() <= 121);
        let prefixed = format!(" date 2024-05 {t}\n\nTác giả: A\n\nNguồn tin: B");
        let m = parse_meta(&prefixed);
        prop_assert_eq!(m.date.as_deref(), Some("2024-05"));
        prop_assert_eq!(m.source.as_deref(), Some("B"));
    }

    #[test]
    fn sidecar_round_trips_any_text(t in text(), note in text()) {
        prop_assume!(!t.is_empty());
        let n = t.chars().count();
        let mut tag = Annotation::new("PERSON", 0, n, &t, "ann\u{1b}otator");
        tag.note = Some(note);
        let s = Sidecar::new(std::path::Path::new("a.txt"), &t, &AnnotationSet::new(vec![tag]));
        let ron = s.to_ron();
        prop_assert!(!ron.contains('\u{1b}'), "control characters are escaped in sidecars");
        let back = Sidecar::parse(std::path::Path::new("a.ron"), &ron).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn no_control_character_reaches_a_rendered_cell(t in text(), moves in 0usize..30) {
        use gloss::tui::action::{Action, Motion};
        use gloss::tui::state::{Pane, Reader, State};
        use ratatui::layout::Rect;
        let labels = gloss_core::annotation::LabelSet::default();
        let index = gloss_core::corpus::ArticleList::new(std::path::Path::new("/c"), vec!["/c/a.txt".into()]);
        let mut state = State::new(index, labels.clone(), "p".into(), Rect::new(0, 0, 60, 16));
        let article = gloss_core::corpus::Article::from_bytes("/c/a.txt".into(), t.into_bytes());
        let w = state.panes.wrap_width();
        state.reader = Some(Reader::new(0, gloss_core::store::Document::with_article(article, "/nonexistent/a.ron".into()), &labels, w));
        state.focus = Pane::Reader;
        for i in 0..moves {
            let m = [Motion::WordForward, Motion::Down, Motion::Right, Motion::SentenceForward][i % 4];
            gloss::tui::update::update(&mut state, Action::Move(m));
        }
        let theme = gloss::tui::theme::Theme::new(&labels, &Default::default()).unwrap();
        let keymap = gloss::tui::keymap::Keymap::new(&labels, &Default::default(), &Default::default()).unwrap();
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(60, 16)).unwrap();
        term.draw(|f| gloss::tui::view::draw(f, &state, &theme, &keymap)).unwrap();
        let buf = term.backend().buffer();
        for cell in buf.content() {
            prop_assert!(!cell.symbol().chars().any(|c| is_control(c) || is_bidi_control(c) || c == '\n' || c == '\t'),
                "control character in a cell: {:?}", cell.symbol());
        }
    }

    #[test]
    fn sidecar_loader_rejects_garbage_cleanly(junk in "\\PC{0,200}") {
        let _ = Sidecar::parse(std::path::Path::new("x.ron"), &junk);
    }
}

proptest! {
    #[test]
    fn the_quick_fold_paths_agree(t in text(), junk in prop::collection::vec(any::<u8>(), 0..40)) {
        use gloss_core::text::fold::{fold_bytes_into, fold_into, fold_str};
        let (mut a, mut b) = (Vec::new(), Vec::new());
        fold_into(&t, &mut a);
        fold_bytes_into(t.as_bytes(), &mut b);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(String::from_utf8(a).unwrap(), fold_str(&t));
        // arbitrary bytes never panic and fold to valid UTF-8
        fold_bytes_into(&junk, &mut b);
        prop_assert!(String::from_utf8(b).is_ok());
    }

    #[test]
    fn corpus_search_finds_what_article_search_finds(t in text(), a in 0usize..400, len in 1usize..6) {
        use gloss_core::corpus::search::Searcher;
        let starts: Vec<usize> = t.grapheme_indices(true).map(|(i, _)| i).chain([t.len()]).collect();
        let s = starts[a % starts.len()];
        let e = starts[((a % starts.len()) + len).min(starts.len() - 1)];
        let needle = &t[s..e];
        let mut searcher = Searcher::new(needle, false);
        let from_bytes: Vec<std::ops::Range<usize>> = searcher.hits_in_bytes(t.as_bytes()).into_iter().map(|h| h.chars).collect();
        let from_text: Vec<std::ops::Range<usize>> = searcher.hits(&t).into_iter().map(|h| h.chars).collect();
        prop_assert_eq!(from_bytes, from_text);
    }
}

/// The plain way to search a file: decode it leniently, fold it whole with the map back
/// ([`Folded`]), find the folded query, take lines and context from the decoded text.
fn reference_hits(bytes: &[u8], query: &str) -> Vec<gloss_core::corpus::search::Hit> {
    let text = String::from_utf8_lossy(bytes);
    let ranges = Folded::new(&text).find_all(&text, query);
    gloss_core::corpus::search::hits_at(&text, ranges)
}

proptest! {
    #[test]
    fn corpus_search_finds_what_decode_and_fold_finds(
        t in text(),
        junk in prop::collection::vec(any::<u8>(), 0..6),
        at in 0usize..400,
        a in 0usize..400,
        len in 1usize..6,
        form in 0usize..3,
    ) {
        use gloss_core::corpus::search::Searcher;
        use gloss_core::text::fold::fold_str;
        let starts: Vec<usize> = t.grapheme_indices(true).map(|(i, _)| i).chain([t.len()]).collect();
        let s = starts[a % starts.len()];
        let e = starts[((a % starts.len()) + len).min(starts.len() - 1)];
        // the query as typed: as in the text, folded ("to lam"), or in capitals
        let query = match form {
            0 => t[s..e].to_string(),
            1 => fold_str(&t[s..e]),
            _ => t[s..e].to_uppercase(),
        };
        // the file: the text, with raw bytes (maybe invalid UTF-8) at a character boundary
        let cut = starts[at % starts.len()];
        let mut bytes = t.as_bytes()[..cut].to_vec();
        bytes.extend_from_slice(&junk);
        bytes.extend_from_slice(&t.as_bytes()[cut..]);
        let mut searcher = Searcher::new(&query, false);
        prop_assert_eq!(searcher.hits_in_bytes(&bytes), reference_hits(&bytes, &query));
        prop_assert_eq!(searcher.hits_in_bytes(t.as_bytes()), reference_hits(t.as_bytes(), &query));
    }
}

/// Pieces of text around the literals the corpus search looks for before folding (`m v`, `n d`,
/// `ng`): their raw forms in every case, NFC and NFD, and what must send a line to be folded whole
/// (letters that fold to a consonant but are not Vietnamese, combining marks after a consonant, a
/// Kelvin sign, an emoji, invalid and overlong bytes).
fn literal_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "nhiệm vụ",
            "NHIỆM VỤ",
            "Nhie\u{323}\u{302}m Vu\u{323}",
            "nhiệm\u{301} vụ",
            "m v",
            "M V",
            "m\u{301} v",
            "Côn Đảo",
            "CÔN ĐẢO",
            "côn dảo",
            "Co\u{302}n D\u{301}a\u{309}o",
            "n Đ",
            "n đ",
            "Nguyễn Văn",
            "nguyễn văn",
            "ng",
            "ñ",
            "Ñ",
            "n\u{303}",
            "ǹ",
            "ṅ",
            "ẖ",
            "\u{212A}",
            "ð",
            "Ð",
            "ß",
            "ss zz",
            "SS ZŹ",
            "😀",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\r",
            "a",
            "ạ",
            "“",
            "™",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::sample::select(vec![
            b"\xff".to_vec(),
            b"\xe0\x81\xae".to_vec(),
            b"\xe1\xba".to_vec(),
            b"\xc3".to_vec(),
            b"\xc4".to_vec(),
            b"\xbb".to_vec(),
        ]),
        "[a-zA-Zđăâêôơưạệụ ]{1,6}".prop_map(String::into_bytes),
    ]
}

proptest! {
    // (more cases than the default: a piece that trips the look is one of many)
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.max(2048), ..ProptestConfig::default() })]

    /// The corpus search with a literal to look for first finds exactly what decoding and folding
    /// every file finds, on text made to trip it.
    #[test]
    fn search_that_looks_before_folding_finds_what_decode_and_fold_finds(
        pieces in prop::collection::vec(literal_piece(), 0..60),
        query in prop::sample::select(vec![
            "nhiệm vụ", "m v", "M V", "Côn Đảo", "con dao", "n d", "Nguyễn Văn", "ng", "nn",
            "n n", "ss zz", "gloss zzz", "vụ nhiệm", "a m v", "đ", "n đ", "ñ", "k",
        ]),
    ) {
        use gloss_core::corpus::search::Searcher;
        let bytes = pieces.concat();
        let mut searcher = Searcher::new(query, false);
        prop_assert_eq!(searcher.hits_in_bytes(&bytes), reference_hits(&bytes, query));
        if let Ok(text) = std::str::from_utf8(&bytes) {
            prop_assert_eq!(searcher.hits(text), reference_hits(&bytes, query));
        }
    }
}
