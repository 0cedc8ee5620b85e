//! Round trips as a property: random tags (notes, annotators, reviews, a status) on random texts
//! with NFD, emoji, tabs, CRLF, line separators, NEL and marks on spaces; exported in every format,
//! imported into an untagged copy, exported again. Every export comes back byte for byte, and the
//! tags come back with everything the format carries: relations between them (jsonl, brat,
//! doccano-relations) and entity links (jsonl, brat).
//!
//! `PROPTEST_CASES=2000 cargo test --release --test round_trip` runs it at a larger scale.

use std::path::{Path, PathBuf};

use gloss::cli::export::ExportArgs;
use gloss::cli::import::ImportArgs;
use gloss_core::annotation::{
    Annotation, ArticleFields, Change, Relation, RelationTypes, Review, Status, Verdict,
};
use gloss_core::export::Format;
use gloss_core::store::{Document, Sidecar, SidecarDirs};
use gloss_core::text::offsets::Offsets;
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Tô Lâm".to_string()),
        Just("Ho\u{300}a".to_string()),
        Just("Nguye\u{302}\u{303}n".to_string()),
        Just("Hoà".to_string()),
        Just(" ".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{2029}".to_string()),
        Just("\u{85}".to_string()),
        Just(" \u{301}".to_string()),
        Just("\u{FEFF}".to_string()),
        Just(". ".to_string()),
        Just(", ".to_string()),
        Just("😀".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("中文".to_string()),
        Just("\u{200B}".to_string()),
        "[a-zA-Zàáảãạăâđêôơư]{1,8}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 1..30).prop_map(|v| v.concat())
}

/// A tag to try: label, byte range as fractions of the text, note, annotator, review.
#[derive(Debug, Clone)]
struct Wish {
    label: usize,
    a: f64,
    b: f64,
    note: Option<&'static str>,
    annotator: &'static str,
    review: Option<Verdict>,
    entity: Option<&'static str>,
}

/// A relation to try: two tags by index (modulo how many there are) and a type among those allowed.
type RelWish = (usize, usize, usize);

fn wish() -> impl Strategy<Value = Wish> {
    (
        0usize..3,
        0.0f64..1.0,
        0.0f64..1.0,
        prop::option::of(prop::sample::select(vec![
            "ghi chú",
            "hai\ndòng",
            "tab\there",
            "sep\u{2028}arator",
            "\"quoted\", comma",
        ])),
        prop::sample::select(vec!["ann", "người gán"]),
        prop::option::of(prop::sample::select(vec![
            Verdict::Accepted,
            Verdict::Rejected,
        ])),
        prop::option::of(prop::sample::select(vec![
            "person-to-lam",
            "directive-ct-24",
        ])),
    )
        .prop_map(|(label, a, b, note, annotator, review, entity)| Wish {
            label,
            a,
            b,
            note,
            annotator,
            review,
            entity,
        })
}

const LABELS: [&str; 3] = ["PERSON", "DIRECTIVE", "TASK"];

/// Tag the article at `path` as wished, relate the tags as wished, through the document's rules,
/// and save.
fn tag(dirs: &SidecarDirs, path: &Path, wishes: &[Wish], rels: &[RelWish], status: Status) {
    let mut doc = Document::open(dirs, path).unwrap();
    let len = doc.text().len();
    let mut changes = Vec::new();
    for w in wishes {
        let at = |f: f64| {
            let mut b = ((len as f64) * f) as usize;
            while !doc.text().is_char_boundary(b) {
                b -= 1;
            }
            b
        };
        let (a, b) = (at(w.a.min(w.b)), at(w.a.max(w.b)));
        let Some(mut t) = doc.new_tag(LABELS[w.label], a..b, w.annotator) else {
            continue;
        };
        t.note = w.note.map(String::from);
        t.review = w.review.map(|verdict| Review {
            verdict,
            reviewer: "rev".into(),
            time: "2026-11-27T10:00:00Z".into(),
        });
        t.entity = w.entity.map(String::from);
        changes.push(Change::Add(t));
    }
    doc.edit(changes);
    let types = RelationTypes::default();
    let tags = doc.tags().to_vec();
    for &(h, t, k) in rels {
        if tags.is_empty() {
            break;
        }
        let (mut h, mut t) = (&tags[h % tags.len()], &tags[t % tags.len()]);
        if types.allowed(&h.label, &t.label).is_empty() {
            std::mem::swap(&mut h, &mut t);
        }
        let allowed = types.allowed(&h.label, &t.label);
        if allowed.is_empty() {
            continue;
        }
        let name = allowed[k % allowed.len()].name.clone();
        if let Ok(r) = doc.relate(&name, &h.id, &t.id, &types, "ann") {
            doc.edit(vec![Change::add_relation(r)]);
        }
    }
    let before = doc.annotations().article.clone();
    let after = ArticleFields {
        status,
        ..before.clone()
    };
    doc.edit(vec![Change::Article { before, after }]);
    doc.save().unwrap();
}

fn export(dir: &Path, format: Format, out: &Path, offsets: Option<Offsets>) {
    gloss::cli::export::run(ExportArgs {
        dir: dir.to_path_buf(),
        format,
        output: Some(out.to_path_buf()),
        labels: None,
        keep_going: false,
        include_rejected: true,
        status: None,
        annotations: None,
        force: false,
        offsets,
    })
    .unwrap();
}

fn import(dir: &Path, format: Format, file: &Path, offsets: Option<Offsets>) {
    gloss::cli::import::run(ImportArgs {
        dir: dir.to_path_buf(),
        format,
        files: vec![file.to_path_buf()],
        annotator: Some("importer".into()),
        annotations: None,
        keep_going: false,
        offsets,
    })
    .unwrap();
}

fn bytes_of(p: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if p.is_dir() {
        let mut v = Vec::new();
        for e in std::fs::read_dir(p).unwrap().flatten() {
            for (n, b) in bytes_of(&e.path()) {
                v.push((Path::new(&e.file_name()).join(n), b));
            }
        }
        v.sort();
        v
    } else {
        vec![(PathBuf::new(), std::fs::read(p).unwrap())]
    }
}

fn tags(path: &Path) -> Vec<Annotation> {
    Sidecar::load(&path.with_extension("ron"))
        .unwrap()
        .map(|s| s.tags)
        .unwrap_or_default()
}

fn relations(path: &Path) -> (Vec<Annotation>, Vec<Relation>) {
    Sidecar::load(&path.with_extension("ron"))
        .unwrap()
        .map(|s| (s.tags, s.relations))
        .unwrap_or_default()
}

/// What a format carries of an article's relations, sorted.
fn carried_relations(format: &str, path: &Path) -> Vec<String> {
    let (tags, rels) = relations(path);
    let span = |id: &str| {
        let t = tags.iter().find(|t| t.id == id).unwrap();
        format!("{} {}..{}", t.label, t.start, t.end)
    };
    let mut v: Vec<String> = rels
        .iter()
        .filter_map(|r| match format {
            "jsonl" => Some(format!(
                "{} {} {} {} {} {:?}",
                r.id, r.label, r.head, r.tail, r.annotator, r.review
            )),
            "brat" => Some(format!("{} {} {} {}", r.id, r.label, r.head, r.tail)),
            "doccano-relations" => Some(format!("{} {} {}", r.label, span(&r.head), span(&r.tail))),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

fn status_of(path: &Path) -> Option<Status> {
    Sidecar::load(&path.with_extension("ron"))
        .unwrap()
        .map(|s| s.status)
}

/// What a format carries of a tag.
fn carried(format: &str, t: &Annotation) -> String {
    let one_line = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if gloss_core::export::formats::is_line_break(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    };
    match format {
        "jsonl" => format!(
            "{} {} {}..{} {:?} {:?} {} {:?} {:?}",
            t.id, t.label, t.start, t.end, t.text, t.note, t.annotator, t.review, t.entity
        ),
        "csv" => format!(
            "{} {} {}..{} {:?} {:?} {}",
            t.id, t.label, t.start, t.end, t.text, t.note, t.annotator
        ),
        "brat" => format!(
            "{} {} {}..{} {:?} {:?}",
            t.id,
            t.label,
            t.start,
            t.end,
            t.note.as_deref().map(one_line),
            t.entity
        ),
        _ => format!("{} {}..{}", t.label, t.start, t.end),
    }
}

fn sorted(format: &str, ts: &[Annotation]) -> Vec<String> {
    let mut v: Vec<String> = ts.iter().map(|t| carried(format, t)).collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_gives_the_same_tags_and_bytes(
        texts in prop::collection::vec(text(), 1..3),
        wishes in prop::collection::vec(prop::collection::vec(wish(), 0..6), 2),
        rels in prop::collection::vec(
            prop::collection::vec((0usize..6, 0usize..6, 0usize..4), 0..8),
            2,
        ),
        status in prop::sample::select(Status::ALL.to_vec()),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let c = tmp.path().join("c");
        std::fs::create_dir(&c).unwrap();
        // the registry: brat's N lines carry the canonical name of the entity linked
        let mut registry = gloss_core::entity::Registry::load(&c).unwrap();
        assert_eq!(registry.create("PERSON", "Tô Lâm"), "person-to-lam");
        registry.save().unwrap();
        let dirs = SidecarDirs::new(&c, None);
        let mut articles = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let p = c.join(format!("a{i}.txt"));
            std::fs::write(&p, t).unwrap();
            tag(&dirs, &p, &wishes[i], &rels[i], status);
            articles.push(p);
        }
        for (name, format, offsets) in [
            ("jsonl", Format::Jsonl, None),
            ("doccano", Format::Doccano, None),
            ("doccano-points", Format::Doccano, Some(Offsets::Codepoint)),
            ("doccano-relations", Format::DoccanoRelations, None),
            (
                "doccano-relations-points",
                Format::DoccanoRelations,
                Some(Offsets::Codepoint),
            ),
            ("csv", Format::Csv, None),
            ("brat", Format::Brat, None),
            ("conll", Format::Conll, None),
        ] {
            let case = tmp.path().join(name);
            std::fs::create_dir(&case).unwrap();
            let first = case.join("first");
            export(&c, format, &first, offsets);
            let copy = case.join("copy");
            std::fs::create_dir(&copy).unwrap();
            for p in &articles {
                std::fs::copy(p, copy.join(p.file_name().unwrap())).unwrap();
            }
            std::fs::copy(c.join("entities.ron"), copy.join("entities.ron")).unwrap();
            import(&copy, format, &first, offsets);
            let second = case.join("second");
            export(&copy, format, &second, offsets);
            prop_assert_eq!(bytes_of(&first), bytes_of(&second), "{} bytes", name);
            if format == Format::Conll {
                continue; // CoNLL keeps one tag per token, on token boundaries
            }
            let kind = name.split('-').next().unwrap();
            let rel_kind = name.trim_end_matches("-points");
            for p in &articles {
                let copied = copy.join(p.file_name().unwrap());
                prop_assert_eq!(sorted(kind, &tags(p)), sorted(kind, &tags(&copied)), "{} tags", name);
                prop_assert_eq!(
                    carried_relations(rel_kind, p),
                    carried_relations(rel_kind, &copied),
                    "{} relations",
                    name
                );
                if format == Format::Jsonl && !tags(p).is_empty() {
                    prop_assert_eq!(status_of(p), status_of(&copied));
                }
            }
        }
    }
}
