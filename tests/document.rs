//! The one annotated document: every path (the TUI, tag-all in the article and the corpus,
//! `gloss suggest`, `gloss export`, `gloss stats`) opens, re-anchors, edits and saves an article the
//! same way. Each of the issue's repros, and a property test over random articles, tags and edits.

mod common;

use common::Harness;
use gloss_core::annotation::{Annotation, AnnotationSet, Change, Status, TagFilter};
use gloss_core::store::{Document, Sidecar, SidecarDirs};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn gloss_cmd(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .env(
            "GLOSS_DATA_DIR",
            std::env::temp_dir().join("gloss-test-data"),
        )
        .output()
        .unwrap()
}

fn corpus_of(files: &[(&str, &str)]) -> impl FnOnce(&std::path::Path) -> std::path::PathBuf {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    move |tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        for (name, text) in files {
            std::fs::write(c.join(name), text).unwrap();
        }
        c
    }
}

#[test]
fn corpus_tag_all_moves_the_open_article_to_in_progress_and_leaves_the_others_as_they_were() {
    let mut h = Harness::with_corpus(corpus_of(&[
        ("a.txt", "Ông Tô Lâm nói.\n"),
        ("b.txt", "Tô Lâm đến. Rồi Tô Lâm đi.\n"),
        ("c.txt", "Không ai.\n"),
    ]));
    h.keys("<enter>/to lam<enter>p&");
    assert!(
        h.message().contains("in 1 article(s)? y"),
        "{}",
        h.message()
    );
    h.keys("y");
    assert_eq!(h.sidecar("a.txt").status, Status::InProgress);
    let b = h.sidecar("b.txt");
    assert_eq!(b.tags.len(), 2);
    // nobody worked on b: the list's marks must not say it is in progress
    assert_eq!(b.status, Status::New, "b was never opened");
    assert!(!h.sidecar_path("c.txt").exists());
    // undo takes the other article's tags away, its status as it was
    h.keys("u");
    let b = h.sidecar("b.txt");
    assert!(b.tags.is_empty());
    assert_eq!(b.status, Status::New);
}

#[test]
fn tag_all_in_the_article_does_not_nest_a_name_inside_a_longer_tag() {
    let mut h = Harness::with_corpus(corpus_of(&[(
        "a.txt",
        "Ông Nguyễn Đức Chung nói. Chung cười. Ông Chung về.\n",
    )]));
    h.keys("<enter>/nguyen duc chung<enter>p");
    h.keys("/chung cuoi<enter><esc>bbp");
    let texts = |h: &Harness| -> Vec<String> {
        h.sidecar("a.txt")
            .tags
            .iter()
            .map(|t| t.text.clone())
            .collect()
    };
    assert_eq!(texts(&h), ["Nguyễn Đức Chung", "Chung"]);
    h.keys("*");
    let tags = h.sidecar("a.txt").tags;
    assert_eq!(tags.len(), 3, "only the Chung after the last Ông: {tags:?}");
    let inner = tags
        .iter()
        .filter(|t| t.text == "Chung")
        .any(|t| t.start > 3 && t.end <= 20);
    assert!(!inner, "no PERSON “Chung” inside PERSON “Nguyễn Đức Chung”");
}

#[test]
fn opening_an_edited_article_saves_the_tags_it_found_again() {
    let mut h = Harness::with_corpus(corpus_of(&[(
        "a.txt",
        "Ông Tô Lâm nói với Lê Minh Hưng.\n",
    )]));
    h.keys("<enter>/to lam<enter>p/le minh<enter><esc>veep");
    assert_eq!(h.sidecar("a.txt").tags.len(), 2);
    std::fs::write(
        h.corpus.join("a.txt"),
        "Tin mới: Ông Tô Lâm nói với Lê Minh Hưng.\n",
    )
    .unwrap();
    h.reopen();
    assert!(
        h.message().contains("2 tag(s) found again"),
        "{}",
        h.message()
    );
    // opening wrote them: export sees both at their new offsets with no warning
    let out = gloss_cmd(&["export", h.corpus.to_str().unwrap(), "-f", "jsonl"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines().all(|l| l.starts_with("exported ")),
        "only the summary, no warning: {err}"
    );
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.contains(r#""start":13,"end":19"#), "{line}");
    assert_eq!(line.matches(r#""label":"PERSON""#).count(), 2);
}

#[test]
fn stats_count_hoa_and_hoa_as_one_person() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path();
    let text = "Ông Hòa gặp ông Hoà.";
    std::fs::write(c.join("a.txt"), text).unwrap();
    let mut doc = Document::open(&SidecarDirs::new(c, None), &c.join("a.txt")).unwrap();
    let all = doc.tag_all("PERSON", "Hòa", None, "me");
    assert_eq!(doc.edit(all).len(), 3, "two tags and the status");
    doc.save().unwrap();
    let out = gloss_cmd(&["stats", c.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let people = v["top_people"].as_array().unwrap();
    assert_eq!(people.len(), 1, "{people:?}");
    assert_eq!(people[0]["mentions"], 2);
}

/// An edit of an article's text.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Nfd,
    Nfc,
}

fn apply(text: &str, e: &Edit) -> String {
    let chars: Vec<char> = text.chars().collect();
    match e {
        Edit::Insert(at, s) => {
            let at = at % (chars.len() + 1);
            chars[..at]
                .iter()
                .chain(s.chars().collect::<Vec<_>>().iter())
                .chain(&chars[at..])
                .collect()
        }
        Edit::Delete(at, n) => {
            let at = at % (chars.len() + 1);
            let end = (at + n).min(chars.len());
            chars[..at].iter().chain(&chars[end..]).collect()
        }
        Edit::Nfd => text.nfd().collect(),
        Edit::Nfc => text.nfc().collect(),
    }
}

const WORDS: &[&str] = &[
    "Tô",
    "Lâm",
    "Hòa",
    "Hoà",
    "chỉ",
    "thị",
    "số",
    "24",
    "nhiệm",
    "vụ",
    "😀",
    "中文",
    "ông",
    "bà",
    "Ho\u{300}a",
    ".",
    ",",
    "\n",
    "\t",
];

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 3..40).prop_map(|w| w.join(" "))
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), prop::sample::select(WORDS))
            .prop_map(|(a, w)| Edit::Insert(a, format!("{w} "))),
        (any::<usize>(), 1usize..8).prop_map(|(a, n)| Edit::Delete(a, n)),
        Just(Edit::Nfd),
        Just(Edit::Nfc),
    ]
}

/// Check an export: every tag is at offsets whose text is its quote, or was reported orphaned.
fn check_export(
    dirs: &SidecarDirs,
    path: &std::path::Path,
    tagged: usize,
) -> Result<(), TestCaseError> {
    let mut warnings = Vec::new();
    let rec =
        gloss_core::export::Record::load(dirs, path, &TagFilter::default(), &mut warnings).unwrap();
    let chars: Vec<char> = rec.text.chars().collect();
    for t in &rec.tags {
        let slice: String = chars[t.start..t.end].iter().collect();
        prop_assert_eq!(&slice, &t.text);
    }
    let orphans = warnings
        .iter()
        .filter(|w| w.contains("is orphaned"))
        .count();
    prop_assert!(
        warnings.iter().all(|w| !w.contains("does not match")),
        "{:?}",
        warnings
    );
    prop_assert_eq!(rec.tags.len() + orphans, tagged, "{:?}", warnings);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn every_path_exports_a_tag_at_its_text_or_reports_it_orphaned(
        text in article(),
        picks in prop::collection::vec((0usize..40, 1usize..4), 1..6),
        edits in prop::collection::vec(edit(), 1..4),
        path_kind in 0usize..4,
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let dirs = SidecarDirs::new(tmp.path(), None);
        let path = tmp.path().join("a.txt");
        std::fs::write(&path, &text).unwrap();
        // tag some runs of words
        let words: Vec<(usize, &str)> = text.match_indices(|c: char| !c.is_whitespace()).collect();
        let mut doc = Document::open(&dirs, &path).unwrap();
        let mut adds = Vec::new();
        for (i, n) in &picks {
            let i = i % words.len();
            let j = (i + n).min(words.len()) - 1;
            let (a, b) = (words[i].0, words[j].0 + words[j].1.len());
            if let Some(t) = doc.new_tag(["PERSON", "TASK"][i % 2], a..b, "me") {
                adds.push(Change::Add(t));
            }
        }
        doc.edit(adds);
        let tagged = doc.tags().len();
        doc.save().unwrap();
        // edit the article behind gloss's back
        let mut edited = text.clone();
        for e in &edits {
            edited = apply(&edited, e);
        }
        std::fs::write(&path, &edited).unwrap();
        check_export(&dirs, &path, tagged)?;
        // then take one of the paths that write the sidecar, and export again
        let mut doc = Document::open(&dirs, &path).unwrap();
        let mut tagged = tagged;
        match path_kind {
            0 => { doc.save().unwrap(); }
            1 => {
                // gloss suggest: store suggestions
                let s = gloss_core::suggest::Suggester::new(&gloss_core::corpus::patterns::builtin_patterns()).unwrap();
                let found: Vec<gloss_core::annotation::SpanRef> = s.suggest(doc.text()).into_iter().map(|x| {
                    let c = doc.chars_of(&x.bytes);
                    gloss_core::annotation::SpanRef { label: x.label, start: c.start, end: c.end, text: doc.text()[x.bytes].to_string() }
                }).collect();
                let before = doc.annotations().article.clone();
                let mut after = before.clone();
                after.suggested = found;
                doc.edit(vec![Change::Article { before, after }]);
                doc.save().unwrap();
            }
            2 => {
                // tag-all of the first word
                let w = words[0].1;
                let all = doc.tag_all("PERSON", w, None, "me");
                tagged += doc.edit(all).iter().filter(|c| matches!(c, Change::Add(_))).count();
                doc.save().unwrap();
            }
            _ => {
                // a second session saved meanwhile
                let mut other = Document::open(&dirs, &path).unwrap();
                let t = Annotation::new("TASK", 0, 1, "x", "other");
                tagged += other.edit(vec![Change::Add(t)]).iter().filter(|c| matches!(c, Change::Add(_))).count();
                other.save().unwrap();
                doc.save().unwrap();
            }
        }
        let sc = Sidecar::load(&dirs.sidecar_of(&path)).unwrap().unwrap();
        prop_assert_eq!(&sc.sha256, &gloss_core::store::sha256_hex(&edited));
        check_export(&dirs, &path, tagged)?;
        let _ = AnnotationSet::default();
    }
}
