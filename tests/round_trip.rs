//! Round trips as a property: random tags (notes, annotators, reviews, a status) on random texts
//! with NFD, emoji, tabs, CRLF, line separators, NEL and marks on spaces; exported in every format
//! the registry can read back (with each `--offsets` it takes), imported into an untagged copy,
//! exported again. Every export comes back byte for byte, and the tags come back with everything
//! the registry says the format carries (`formats::Carries`): ids, notes, annotators, reviews,
//! entity links, relations between them, the article's status.
//!
//! `PROPTEST_CASES=2000 cargo test --release --test round_trip` runs it at a larger scale.

use std::path::{Path, PathBuf};

use gloss::cli::export::ExportArgs;
use gloss::cli::import::ImportArgs;
use gloss_core::annotation::{
    Annotation, ArticleFields, Change, Relation, RelationTypes, Review, Status, Verdict,
};
use gloss_core::formats::{self, Carries, Format, Notes};
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
fn tag(
    dirs: &SidecarDirs,
    path: &Path,
    wishes: &[Wish],
    rels: &[RelWish],
    status: Status,
    extra: u8,
) {
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
    let mut after = ArticleFields {
        status,
        ..before.clone()
    };
    // article labels and active time, on some articles
    if extra & 1 != 0 {
        after
            .categories
            .insert("topic".into(), vec!["economy".into(), "politics".into()]);
        after
            .categories
            .insert("flags".into(), vec!["no-tasks".into()]);
    }
    doc.edit(vec![Change::Article { before, after }]);
    if extra & 2 != 0 {
        doc.add_time("ann", "2026-12-03", 125);
        doc.add_time("rev", "2026-12-02", 9);
    }
    doc.save().unwrap();
}

fn export(dir: &Path, format: &'static Format, out: &Path, offsets: Option<Offsets>) {
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
        normalize: None,
        rows: None,
        shard_rows: None,
        quiet: false,
    })
    .unwrap();
}

fn import(dir: &Path, format: &'static Format, file: &Path, offsets: Option<Offsets>) {
    gloss::cli::import::run(ImportArgs {
        dir: dir.to_path_buf(),
        format,
        files: vec![file.to_path_buf()],
        annotator: Some("importer".into()),
        annotations: None,
        keep_going: false,
        offsets,
        quiet: false,
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

/// What a format carries of an article's relations, sorted: each relation's type and ends (by tag
/// id where ids are carried, else by span), and its id, annotator and review where those are.
fn carried_relations(carries: &Carries, path: &Path) -> Vec<String> {
    if !carries.relations {
        return Vec::new();
    }
    let (tags, rels) = relations(path);
    let span = |id: &str| {
        let t = tags.iter().find(|t| t.id == id).unwrap();
        format!("{} {}..{}", t.label, t.start, t.end)
    };
    let mut v: Vec<String> = rels
        .iter()
        .map(|r| {
            let mut s = match carries.ids {
                true => format!("{} {} {} {}", r.id, r.label, r.head, r.tail),
                false => format!("{} {} {}", r.label, span(&r.head), span(&r.tail)),
            };
            if carries.annotators {
                s += &format!(" {}", r.annotator);
            }
            if carries.reviews {
                s += &format!(" {:?}", r.review);
            }
            s
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

/// What a format carries of a tag: its label, span and text, and whatever else the registry says.
fn carried(carries: &Carries, t: &Annotation) -> String {
    let one_line = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if gloss_core::formats::brat::is_line_break(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect()
    };
    let mut s = format!("{} {}..{} {:?}", t.label, t.start, t.end, t.text);
    if carries.ids {
        s += &format!(" id {}", t.id);
    }
    match carries.notes {
        Notes::Lost => {}
        Notes::Kept => s += &format!(" note {:?}", t.note),
        Notes::OnOneLine => s += &format!(" note {:?}", t.note.as_deref().map(one_line)),
    }
    if carries.annotators {
        s += &format!(" by {}", t.annotator);
    }
    if carries.reviews {
        s += &format!(" review {:?}", t.review);
    }
    if carries.entity_links {
        s += &format!(" entity {:?}", t.entity);
    }
    s
}

fn sorted(carries: &Carries, ts: &[Annotation]) -> Vec<String> {
    let mut v: Vec<String> = ts.iter().map(|t| carried(carries, t)).collect();
    v.sort();
    v
}

/// Every format that can be read back, with each `--offsets` it takes: (case name, format,
/// offsets given), the default units first as no `--offsets` at all.
fn cases() -> Vec<(String, &'static Format, Option<Offsets>)> {
    let mut out = Vec::new();
    for f in formats::readable() {
        for o in f.offsets_choices() {
            let name = match o {
                None => f.name.to_string(),
                Some(o) => format!("{}-{}", f.name, o.name()),
            };
            out.push((name, f, o));
        }
    }
    out
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
        extra in prop::collection::vec(0u8..4, 2),
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
            tag(&dirs, &p, &wishes[i], &rels[i], status, extra[i]);
            articles.push(p);
        }
        for (name, format, offsets) in cases() {
            let case = tmp.path().join(&name);
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
            let carries = &format.carries;
            if !carries.exact_spans {
                continue; // CoNLL keeps one tag per token, on token boundaries
            }
            for p in &articles {
                let copied = copy.join(p.file_name().unwrap());
                prop_assert_eq!(sorted(carries, &tags(p)), sorted(carries, &tags(&copied)), "{} tags", name);
                prop_assert_eq!(
                    carried_relations(carries, p),
                    carried_relations(carries, &copied),
                    "{} relations",
                    name
                );
                if carries.status && !tags(p).is_empty() {
                    prop_assert_eq!(status_of(p), status_of(&copied));
                }
                let sidecar = |p: &Path| Sidecar::load(&p.with_extension("ron")).unwrap().unwrap_or_else(|| Sidecar::new(p, "", &Default::default()));
                if carries.categories {
                    prop_assert_eq!(sidecar(p).categories, sidecar(&copied).categories, "{} article labels", name);
                }
                if carries.time {
                    prop_assert_eq!(sidecar(p).time, sidecar(&copied).time, "{} active time", name);
                }
            }
        }
    }
}
