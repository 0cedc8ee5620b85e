//! Hostile files: every reader gloss has is fed random bytes and mutations (bit flips, cuts,
//! bytes inserted or deleted, slices repeated) of valid files it wrote itself: sidecars (and the
//! recovery files, which are sidecars), `entities.ron`, a corpus's `gloss.ron`, the user's
//! `config.ron`, the session memory, the scan cache, the model cache and each import format.
//! Each read ends in an error that names the file, or in a correct read; never in a panic, and
//! never in a write (the folder is the same after, but for a cache a read rebuilds, which must then
//! be valid). `tests/hostile/` keeps the cases found, each with its outcome.
//!
//! CI runs the default number of cases (`PROPTEST_CASES` sets it); at scale:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test --release --test hostile
//! ```

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use gloss::tui::{App, Options};
use gloss_core::annotation::{Annotation, AnnotationSet, LabelSet, Relation, RelationTypes};
use gloss_core::corpus::CorpusConfig;
use gloss_core::corpus::article::Article;
use gloss_core::corpus::patterns::builtin_patterns;
use gloss_core::entity::Registry;
use gloss_core::formats::{self, Format, Reads};
use gloss_core::import::catalog::Catalog;
use gloss_core::import::merge::plan_record;
use gloss_core::settings::{Dirs, UserConfig};
use gloss_core::store::scan::{self, ScanEvent, ScanSource};
use gloss_core::store::scan_cache::{self, CacheFile};
use gloss_core::store::session::{Place, Sessions};
use gloss_core::store::{Document, Sidecar, SidecarDirs, quoted_at, sidecar};
use gloss_core::suggest::Lexicon;
use gloss_core::suggest::model::{Model, TrainOptions, TrainingArticle};
use gloss_core::training;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use ratatui::layout::Rect;

// ---------------------------------------------------------------------------------------------
// The valid files the mutations start from, made once by gloss itself.

const ARTICLE_A: &str =
    "Bà Trương Thị Mai 😀 gặp ông Tô Lâm.\nHọ bàn về chỉ thị số 24/CT-TW và nhiệm vụ mới.\n";
const ARTICLE_B: &str = "Ông Nguyễn Văn Hòa nói: phải nộp phạt ngay.\n";

/// The model cache's fingerprint in these tests.
const FINGERPRINT: &str = "fingerprint";

struct Seeds {
    _tmp: tempfile::TempDir,
    /// The corpus the seeds were made on (articles, sidecars, `entities.ron`, `gloss.ron`).
    corpus: PathBuf,
    sidecar: Vec<u8>,
    entities: Vec<u8>,
    gloss_ron: Vec<u8>,
    config_ron: Vec<u8>,
    sessions: Vec<u8>,
    model_cache: Vec<u8>,
    /// Per readable format: its files as export wrote them (name, bytes); one for a file format,
    /// the folder's for brat.
    imports: BTreeMap<&'static str, Vec<(String, Vec<u8>)>>,
}

fn char_span(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).expect("needle in text");
    let start = text[..b].chars().count();
    (start, start + needle.chars().count())
}

fn tag(text: &str, label: &str, needle: &str) -> Annotation {
    let (s, e) = char_span(text, needle);
    Annotation::new(label, s, e, needle, "an")
}

/// The files of `corpus` written the way gloss writes them.
fn write_corpus(corpus: &Path) {
    std::fs::create_dir_all(corpus).unwrap();
    let a = corpus.join("a.txt");
    std::fs::write(&a, ARTICLE_A).unwrap();
    std::fs::write(corpus.join("b.txt"), ARTICLE_B).unwrap();
    let mut registry = Registry::empty(corpus.join("entities.ron"));
    let id = registry.create("PERSON", "Tô Lâm");
    registry.save().unwrap();
    let mut p = tag(ARTICLE_A, "PERSON", "Trương Thị Mai");
    p.note = Some("bà \"Mai\"".into());
    let mut q = tag(ARTICLE_A, "PERSON", "Tô Lâm");
    q.entity = Some(id);
    let d = tag(ARTICLE_A, "DIRECTIVE", "chỉ thị số 24/CT-TW");
    let rel = Relation::new("ISSUES", &q.id, &d.id, "an");
    let set = AnnotationSet::new(vec![p, q, d]).with_relations(vec![rel]);
    Sidecar::new(&a, ARTICLE_A, &set)
        .save(&a.with_extension("ron"))
        .unwrap();
    let b = corpus.join("b.txt");
    let set = AnnotationSet::new(vec![tag(ARTICLE_B, "PERSON", "Nguyễn Văn Hòa")]);
    Sidecar::new(&b, ARTICLE_B, &set)
        .save(&b.with_extension("ron"))
        .unwrap();
    let gloss_ron = format!(
        "(\n    labels: Some({}),\n    relations: Some({}),\n    patterns: Some({}),\n    anchoring: Tokens,\n)\n",
        pretty(&LabelSet::default().labels),
        pretty(&RelationTypes::default().types),
        pretty(&builtin_patterns()),
    );
    std::fs::write(corpus.join("gloss.ron"), gloss_ron).unwrap();
    CorpusConfig::load(corpus).expect("the seed gloss.ron is valid");
}

/// RON of a value, pretty.
fn pretty<T: serde::Serialize>(v: &T) -> String {
    ron::ser::to_string_pretty(v, ron::ser::PrettyConfig::new()).unwrap()
}

fn gloss_bin(args: &[&str], tmp: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .env("GLOSS_DATA_DIR", tmp.join("data"))
        .env("GLOSS_CACHE_DIR", tmp.join("cache"))
        .env("GLOSS_CONFIG_DIR", tmp.join("config"))
        .output()
        .unwrap()
}

fn scan_all(source: &ScanSource) -> Vec<Option<gloss_core::corpus::Summary>> {
    let mut out = vec![None; source.articles.len()];
    for ev in scan::spawn(source.clone()) {
        if let ScanEvent::Summaries(b) = ev {
            for (i, s) in b {
                out[i] = Some(s);
            }
        }
    }
    out
}

fn source(corpus: &Path, cache: Option<PathBuf>) -> ScanSource {
    ScanSource {
        root: corpus.to_path_buf(),
        annotations: None,
        articles: Arc::new(gloss_core::corpus::discover(corpus).unwrap().articles),
        cache,
    }
}

fn model() -> Model {
    let articles: Vec<TrainingArticle> = ["Tô Lâm", "Lê Minh", "Vũ Đam", "Trần Phú"]
        .iter()
        .map(|n| {
            let text = format!("Hôm qua ông {n} đến thăm. Ông {n} nói.");
            let b = text.find(n).unwrap();
            TrainingArticle {
                tags: vec![("PERSON".into(), b..b + n.len())],
                text,
            }
        })
        .collect();
    let lex = Lexicon::from_patterns(&builtin_patterns());
    Model::train(&articles, &lex, &TrainOptions::default())
        .unwrap()
        .expect("a model is learnt")
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        quiet_panics();
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tmp.path().join("corpus");
        write_corpus(&corpus);
        let read = |p: &Path| std::fs::read(p).unwrap();
        let model_file = tmp.path().join("model.crf");
        training::cache::save(&model_file, FINGERPRINT, &model()).unwrap();
        let mut sessions = Sessions::default();
        let place = Place {
            article: "a.txt".into(),
            cursor: 12,
        };
        let key = corpus.to_string_lossy().into_owned();
        // a place as an older gloss kept it (per corpus), and one kept per annotator
        sessions.corpora.insert(key.clone(), place.clone());
        sessions.set_place(&key, "an", place);
        let sessions = ron::ser::to_string_pretty(&sessions, Default::default()).unwrap();
        let config_ron = "(\n    annotator: Some(\"an\"),\n    keys: {\"ctrl-s\": \"Quit\", \"J\": \"Move(Down)\"},\n    colors: {\"cursor\": \"red\", \"label.PERSON\": \"#ff8800\"},\n)\n";
        let mut imports = BTreeMap::new();
        for f in formats::readable() {
            let out = tmp.path().join(format!("export-{}", f.name));
            let o = gloss_bin(
                &[
                    "export",
                    corpus.to_str().unwrap(),
                    "--format",
                    f.name,
                    "-o",
                    out.to_str().unwrap(),
                ],
                tmp.path(),
            );
            assert!(o.status.success(), "{f}: {o:?}");
            let files = if out.is_dir() {
                // (each file by its path below the folder: parquet's are in data/)
                let mut v: Vec<(String, Vec<u8>)> = Vec::new();
                let mut stack = vec![out.clone()];
                while let Some(dir) = stack.pop() {
                    for e in std::fs::read_dir(&dir).unwrap() {
                        let p = e.unwrap().path();
                        if p.is_dir() {
                            stack.push(p);
                        } else {
                            let name = p.strip_prefix(&out).unwrap().to_str().unwrap();
                            v.push((name.to_string(), read(&p)));
                        }
                    }
                }
                v.sort();
                v
            } else {
                vec![("in".to_string(), read(&out))]
            };
            imports.insert(f.name, files);
        }
        Seeds {
            sidecar: read(&corpus.join("a.ron")),
            entities: read(&corpus.join("entities.ron")),
            gloss_ron: read(&corpus.join("gloss.ron")),
            config_ron: config_ron.as_bytes().to_vec(),
            sessions: sessions.into_bytes(),
            model_cache: read(&model_file),
            imports,
            corpus,
            _tmp: tmp,
        }
    })
}

/// Panics caught inside gloss (a library handed damaged bytes) say nothing; others are printed.
fn quiet_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !gloss_core::error::panicking_quietly() {
                default(info);
            }
        }));
    });
}

// ---------------------------------------------------------------------------------------------
// Mutations.

/// Fragments of the syntaxes read (RON, JSON, CSV, CoNLL, brat), large numbers, controls.
const FRAGMENTS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "\\",
    "'",
    "\n",
    "\r\n",
    "\t",
    ";",
    " ",
    "0",
    "-1",
    "1e308",
    "NaN",
    "99999999999999999999",
    "18446744073709551615",
    "4294967295",
    "Some(",
    "None",
    "true",
    "null",
    "r#\"",
    "\"#",
    "b\"",
    "/*",
    "*/",
    "//",
    "T1\t",
    "R1\t",
    "#1\t",
    "PERSON",
    "B-PERSON",
    "I-",
    "O",
    "\u{1b}[2J",
    "\u{202e}",
    "😀",
    "\u{feff}",
    "\0",
    "\u{0301}",
    ";5 8",
    " 0 10",
    "Arg1:T1",
    "\"start\":",
    "\"end\":",
    "\"label\":",
    "\"text\":",
    "format: 2",
    "format: 1",
    "tags: [",
    "entities: [",
    ",,",
    "\"\"",
    "\\u0000",
    "\\ud800",
];

#[derive(Debug, Clone)]
enum Op {
    Flip(usize, u8),
    Set(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
    Splice(usize, usize),
    Delete(usize, usize),
    Repeat(usize, usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let at = any::<usize>();
    prop_oneof![
        4 => (at, 0u8..8).prop_map(|(a, b)| Op::Flip(a, b)),
        2 => (at, any::<u8>()).prop_map(|(a, b)| Op::Set(a, b)),
        1 => at.prop_map(Op::Cut),
        2 => (at, prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(a, b)| Op::Insert(a, b)),
        3 => (at, 0..FRAGMENTS.len()).prop_map(|(a, k)| Op::Splice(a, k)),
        2 => (at, 1usize..64).prop_map(|(a, n)| Op::Delete(a, n)),
        1 => (at, 1usize..256, 1usize..4).prop_map(|(a, n, k)| Op::Repeat(a, n, k)),
    ]
}

fn apply(bytes: &mut Vec<u8>, op: &Op) {
    let at = |a: usize, len: usize| a % (len + 1);
    match op {
        Op::Flip(a, bit) if !bytes.is_empty() => {
            let k = a % bytes.len();
            bytes[k] ^= 1 << bit;
        }
        Op::Set(a, b) if !bytes.is_empty() => {
            let k = a % bytes.len();
            bytes[k] = *b;
        }
        Op::Cut(a) => bytes.truncate(at(*a, bytes.len())),
        Op::Insert(a, b) => {
            let k = at(*a, bytes.len());
            bytes.splice(k..k, b.iter().copied());
        }
        Op::Splice(a, f) => {
            let k = at(*a, bytes.len());
            bytes.splice(k..k, FRAGMENTS[*f].bytes());
        }
        Op::Delete(a, n) => {
            let k = at(*a, bytes.len());
            let e = (k + n).min(bytes.len());
            bytes.drain(k..e);
        }
        Op::Repeat(a, n, times) => {
            let k = at(*a, bytes.len());
            let e = (k + n).min(bytes.len());
            let slice = bytes[k..e].to_vec();
            for _ in 0..*times {
                bytes.splice(e..e, slice.iter().copied());
            }
        }
        _ => {}
    }
}

/// How a hostile file is made from a valid one.
#[derive(Debug, Clone)]
enum Hostile {
    Random(Vec<u8>),
    Mutated(Vec<Op>),
}

fn hostile() -> impl Strategy<Value = Hostile> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..600).prop_map(Hostile::Random),
        5 => prop::collection::vec(op(), 1..6).prop_map(Hostile::Mutated),
    ]
}

impl Hostile {
    fn of(&self, seed: &[u8]) -> Vec<u8> {
        match self {
            Hostile::Random(b) => b.clone(),
            Hostile::Mutated(ops) => {
                let mut b = seed.to_vec();
                for o in ops {
                    apply(&mut b, o);
                }
                b
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What every read must keep to.

/// What a folder holds: each path below it with its kind and bytes (links not followed).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (String, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            let ft = meta.file_type();
            let (kind, bytes) = if ft.is_dir() {
                stack.push(p.clone());
                ("dir", Vec::new())
            } else if ft.is_file() {
                ("file", std::fs::read(&p).unwrap_or_default())
            } else if ft.is_symlink() {
                ("link", Vec::new())
            } else {
                ("other", Vec::new())
            };
            out.insert(p, (kind.to_string(), bytes));
        }
    }
    out
}

/// Run `read` (which may take a while for a model, never long) and fail on a panic.
fn no_panic<T>(what: &str, read: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    catch_unwind(AssertUnwindSafe(read)).map_err(|p| {
        let msg = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        TestCaseError::fail(format!("{what} panicked: {msg}"))
    })
}

/// An error must name the file (by its name, as its path ends).
fn names(e: &dyn std::fmt::Display, file: &Path) -> Result<(), TestCaseError> {
    let name = file.file_name().unwrap().to_string_lossy();
    let msg = e.to_string();
    prop_assert!(
        msg.contains(name.as_ref()),
        "the error does not name {name}: {msg}"
    );
    Ok(())
}

/// Nothing in `dir` changed.
fn unchanged(
    dir: &Path,
    before: &BTreeMap<PathBuf, (String, Vec<u8>)>,
) -> Result<(), TestCaseError> {
    let after = snapshot(dir);
    if &after != before {
        let changed: Vec<_> = after
            .keys()
            .chain(before.keys())
            .filter(|k| after.get(*k) != before.get(*k))
            .collect();
        return Err(TestCaseError::fail(format!("a read wrote to {changed:?}")));
    }
    Ok(())
}

/// A fresh folder holding a copy of the seed corpus, with `name` replaced by `bytes`.
fn corpus_with(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for e in std::fs::read_dir(&seeds().corpus).unwrap().flatten() {
        std::fs::copy(e.path(), corpus.join(e.file_name())).unwrap();
    }
    std::fs::write(corpus.join(name), bytes).unwrap();
    (tmp, corpus)
}

// ---------------------------------------------------------------------------------------------
// The readers, one function each (the properties below and the regression corpus call them).

/// A sidecar's text: every way gloss reads one (to look at it, to write it back, as the
/// document opens it with its article). A read that succeeds gives tags on their text (or
/// orphaned) and a sidecar that writes out and reads back the same.
fn read_sidecar(bytes: &[u8]) -> Result<Option<String>, TestCaseError> {
    let (tmp, corpus) = corpus_with("a.ron", bytes);
    let path = corpus.join("a.ron");
    let before = snapshot(tmp.path());
    let loaded = no_panic("Sidecar::load", || Sidecar::load(&path))?;
    let snap = no_panic("read_snapshot", || sidecar::read_snapshot(&path))?;
    let doc = no_panic("Document::with_article", || {
        Document::with_article(Article::read(&corpus.join("a.txt")).unwrap(), path.clone())
    })?;
    unchanged(tmp.path(), &before)?;
    prop_assert_eq!(loaded.is_ok(), snap.is_ok());
    let error = match (&snap, doc.sidecar_error()) {
        (Err(e), Some(d)) => {
            names(e, &path)?;
            names(d, &path)?;
            Some(e.to_string())
        }
        (Ok(s), None) => {
            let sc = s.sidecar.as_ref().expect("there is a file");
            // what is read writes out and reads back the same
            let text = sc.to_ron();
            let again = Sidecar::parse(&path, &text)
                .map_err(|e| TestCaseError::fail(format!("written back, refused: {e}")))?;
            prop_assert_eq!(again.to_ron(), text);
            None
        }
        (Ok(_), Some(d)) => {
            // the document may refuse what it cannot use with this article; said, naming it
            names(d, &path)?;
            Some(d.to_string())
        }
        (Err(e), None) => {
            return Err(TestCaseError::fail(format!(
                "read_snapshot refused ({e}) what the document took"
            )));
        }
    };
    let text = doc.text();
    for t in doc.tags().iter().filter(|t| !t.orphaned) {
        prop_assert!(t.start < t.end);
        prop_assert_eq!(
            quoted_at(text, doc.chars(), t.start, t.end),
            Some(t.text.as_str()),
            "tag {:?} is not on its text",
            t.id
        );
    }
    Ok(error)
}

/// `entities.ron`: what is read saves (elsewhere) and reads back the same.
fn read_entities(bytes: &[u8]) -> Result<Option<String>, TestCaseError> {
    let (tmp, corpus) = corpus_with("entities.ron", bytes);
    let path = corpus.join("entities.ron");
    let before = snapshot(tmp.path());
    let r = no_panic("Registry::load", || Registry::load(&corpus))?;
    unchanged(tmp.path(), &before)?;
    match r {
        Err(e) => {
            names(&e, &path)?;
            Ok(Some(e.to_string()))
        }
        Ok(r) => {
            let other = tempfile::tempdir().unwrap();
            let mut copy = Registry::empty(other.path().join("entities.ron"));
            for e in r.entities() {
                let id = copy.create(&e.label, &e.name);
                prop_assert!(copy.get(&id).is_some());
            }
            no_panic("Registry::save", || copy.save())?
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
            let back = Registry::load(other.path())
                .map_err(|e| TestCaseError::fail(format!("saved, refused: {e}")))?;
            prop_assert_eq!(back.entities().len(), r.entities().len());
            Ok(None)
        }
    }
}

/// The data folders of an app run, in `tmp`.
fn dirs_in(tmp: &Path) -> Dirs {
    Dirs {
        config: tmp.join("config"),
        data: tmp.join("data"),
        cache: tmp.join("cache"),
    }
}

/// Open the TUI on `corpus` with `dirs`, as `gloss` does; its metadata scan run to the end.
fn open_app(corpus: &Path, dirs: &Dirs) -> anyhow::Result<App> {
    let mut app = App::new(
        Options {
            root: corpus.to_path_buf(),
            annotations: None,
            annotator: None,
            dirs: dirs.clone(),
        },
        Rect::new(0, 0, 100, 30),
    )?;
    // a clock that stands still: the keys count no active time (a second passing between two
    // keys would be saved, and this checks what hostile files make gloss write)
    app.set_clock(|| 1_764_756_000);
    app.finish_scan();
    Ok(app)
}

/// Nothing in `dir` changed but the caches (which opening the TUI writes, and may rebuild).
fn unchanged_but_caches(
    dir: &Path,
    before: &BTreeMap<PathBuf, (String, Vec<u8>)>,
) -> Result<(), TestCaseError> {
    let caches = dir.join("cache");
    let strip = |mut s: BTreeMap<PathBuf, (String, Vec<u8>)>| {
        s.retain(|p, _| !p.starts_with(&caches));
        s
    };
    let (before, after) = (strip(before.clone()), strip(snapshot(dir)));
    let changed: Vec<String> = after
        .keys()
        .chain(before.keys())
        .filter(|k| after.get(*k) != before.get(*k))
        .map(|k| {
            let text = |s: Option<&(String, Vec<u8>)>| {
                s.map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            };
            format!(
                "{k:?}: {:?} became {:?}",
                text(before.get(k)),
                text(after.get(k))
            )
        })
        .collect();
    prop_assert!(changed.is_empty(), "opening wrote: {changed:#?}");
    Ok(())
}

/// A corpus's `gloss.ron`: read by the core, and by the TUI as it opens (which compiles its
/// patterns and builds its keymap).
fn read_gloss_ron(bytes: &[u8]) -> Result<Option<String>, TestCaseError> {
    let (tmp, corpus) = corpus_with("gloss.ron", bytes);
    let path = corpus.join("gloss.ron");
    let before = snapshot(tmp.path());
    let r = no_panic("CorpusConfig::load", || CorpusConfig::load(&corpus))?;
    unchanged(tmp.path(), &before)?;
    let dirs = dirs_in(tmp.path());
    let app = no_panic("App::new", || open_app(&corpus, &dirs))?;
    unchanged_but_caches(tmp.path(), &before)?;
    match (r, app) {
        (Err(e), Err(a)) => {
            names(&e, &path)?;
            names(&a, &path)?;
            Ok(Some(e.to_string()))
        }
        (Ok(c), app) => {
            let app = match app {
                Ok(app) => app,
                // patterns that check but do not compile, or labels whose keys clash: said
                Err(a) => {
                    names(&a, &path)?;
                    return Ok(Some(a.to_string()));
                }
            };
            prop_assert_eq!(
                app.state.labels.names().collect::<Vec<_>>(),
                c.labels.names().collect::<Vec<_>>()
            );
            Ok(None)
        }
        (Err(e), Ok(_)) => Err(TestCaseError::fail(format!(
            "the TUI opened on a gloss.ron the core refuses: {e}"
        ))),
    }
}

/// The user's `config.ron`: read by the core, and by the TUI as it opens (keys and colours).
fn read_config_ron(bytes: &[u8]) -> Result<Option<String>, TestCaseError> {
    let (tmp, corpus) = corpus_with("x.ron.unused", b"");
    std::fs::remove_file(corpus.join("x.ron.unused")).unwrap();
    let dirs = dirs_in(tmp.path());
    std::fs::create_dir_all(&dirs.config).unwrap();
    let path = dirs.config_file();
    std::fs::write(&path, bytes).unwrap();
    let before = snapshot(tmp.path());
    let r = no_panic("UserConfig::load", || UserConfig::load(&path))?;
    unchanged(tmp.path(), &before)?;
    let app = no_panic("App::new", || open_app(&corpus, &dirs))?;
    unchanged_but_caches(tmp.path(), &before)?;
    match (r, app) {
        (Err(e), Err(a)) => {
            names(&e, &path)?;
            names(&a, &path)?;
            Ok(Some(e.to_string()))
        }
        (Ok(c), Ok(app)) => {
            if let Some(a) = c.annotator.as_deref() {
                prop_assert_eq!(app.state.annotator.as_str(), a);
            }
            Ok(None)
        }
        (Ok(_), Err(a)) => {
            // keys or colours the keymap or theme refuse: said, naming the file
            names(&a, &path)?;
            Ok(Some(a.to_string()))
        }
        (Err(e), Ok(_)) => Err(TestCaseError::fail(format!(
            "the TUI opened on a config.ron the core refuses: {e}"
        ))),
    }
}

/// The session memory: read by the core, and by the TUI, which opens the article remembered at
/// its cursor (clamped to the text).
fn read_sessions(bytes: &[u8]) -> Result<Option<String>, TestCaseError> {
    let (tmp, corpus) = corpus_with("x.ron.unused", b"");
    std::fs::remove_file(corpus.join("x.ron.unused")).unwrap();
    let dirs = dirs_in(tmp.path());
    std::fs::create_dir_all(&dirs.data).unwrap();
    // the memory names this corpus as the seed names its own
    let seed_root = seeds().corpus.to_string_lossy().into_owned();
    let root = std::fs::canonicalize(&corpus).unwrap();
    let root = root.to_string_lossy();
    let bytes = replace(bytes, seed_root.as_bytes(), root.as_bytes());
    let bytes = replace(&bytes, b"ROOT", root.as_bytes());
    let path = dirs.data.join(gloss_core::store::session::SESSIONS_FILE);
    std::fs::write(&path, &bytes).unwrap();
    let before = snapshot(tmp.path());
    let r = no_panic("Sessions::load", || Sessions::load(&path))?;
    unchanged(tmp.path(), &before)?;
    match &r {
        Err(e) => names(e, &path)?,
        Ok(s) => {
            let text = ron::ser::to_string_pretty(s, Default::default()).unwrap();
            prop_assert_eq!(&ron::from_str::<Sessions>(&text).unwrap(), s);
        }
    }
    let app = no_panic("App::new", || open_app(&corpus, &dirs))?;
    let mut app = app.map_err(|e| TestCaseError::fail(format!("no app: {e}")))?;
    let annotator = app.state.annotator.clone();
    let found = gloss_core::corpus::discover(&corpus).unwrap();
    if let Some(r) = app.state.reader.as_ref() {
        prop_assert!(r.cursor <= r.text().len() && r.text().is_char_boundary(r.cursor));
        // only an article of the corpus is opened, whatever the memory names
        prop_assert!(found.articles.position(r.doc.path()).is_some());
    }
    // open an article (when none was) and quit: the place is remembered
    no_panic("keys", || {
        use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
        for code in [KeyCode::Enter, KeyCode::Char('q'), KeyCode::Char('q')] {
            if !app.state.quit {
                app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
            }
        }
        app.finish_background();
    })?;
    let memory = snapshot(tmp.path()).remove(&path);
    let mut rest = before.clone();
    let was = rest.remove(&path);
    unchanged_but_caches(tmp.path(), &{
        let mut now = rest.clone();
        if let Some(m) = &memory {
            now.insert(path.clone(), m.clone());
        }
        now
    })?;
    prop_assert!(memory.is_some(), "the session memory is gone");
    if memory != was {
        // rewritten: only from a memory that read, keeping every other corpus's place, and
        // remembering an article of this corpus within its text
        let old = r.as_ref().map_err(|e| {
            TestCaseError::fail(format!("a memory that does not read was replaced: {e}"))
        })?;
        let new = Sessions::load(&path).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(
            &new.corpora,
            &old.corpora,
            "the places kept per corpus are read only"
        );
        for (who, places) in &old.annotators {
            for (k, p) in places {
                if k.as_str() != root {
                    prop_assert_eq!(new.annotators.get(who).and_then(|m| m.get(k)), Some(p));
                }
            }
        }
        let place = new
            .annotators
            .get(&annotator)
            .and_then(|m| m.get(root.as_ref()))
            .expect("this corpus's place, for this annotator");
        let article = corpus.join(&place.article);
        prop_assert!(found.articles.position(&article).is_some());
        let text = std::fs::read_to_string(&article).unwrap();
        prop_assert!(place.cursor <= text.chars().count());
    }
    Ok(r.err().map(|e| e.to_string()))
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k..].starts_with(from) {
            out.extend_from_slice(to);
            k += from.len();
        } else {
            out.push(bytes[k]);
            k += 1;
        }
    }
    out
}

/// Give the scan cache `bytes` a header that checks (a forger's cache) for `root`.
fn forge_scan_cache(bytes: &[u8], root: &Path) -> Vec<u8> {
    // the body is what follows the header (whose length depends on the root only)
    let head = scan_cache::header(root, 0, 0, 0).len();
    let body = bytes.get(head..).unwrap_or_default();
    let mut c = scan_cache::Checksum::default();
    c.update(body);
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("c.bin");
    // the number of records: the one the reader counts, found by trying
    let mut out = Vec::new();
    for count in 0..=16 {
        out = scan_cache::header(root, count, body.len() as u64, c.finish());
        out.extend_from_slice(body);
        std::fs::write(&p, &out).unwrap();
        if CacheFile::load(&p, root).is_some() {
            break;
        }
    }
    out
}

/// The scan cache: a scan with it gives the summaries a scan without it gives (a damaged cache is
/// not used), or, for a forged one whose checksum holds, the list of the corpus's articles and
/// nothing else; what the scan writes in its place is a valid cache, and nothing else is written.
fn read_scan_cache(h: &Hostile, forged: bool) -> Result<(), TestCaseError> {
    let (tmp, corpus) = corpus_with("x.ron.unused", b"");
    std::fs::remove_file(corpus.join("x.ron.unused")).unwrap();
    let cache = tmp.path().join("cache").join("scan.bin");
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    let src = source(&corpus, Some(cache.clone()));
    // the cache of this very corpus (its stamps match), then damaged
    let truth = scan_all(&src);
    let valid = std::fs::read(&cache).unwrap();
    let bytes = h.of(&valid);
    let bytes = if forged {
        forge_scan_cache(&bytes, &corpus)
    } else {
        bytes
    };
    std::fs::write(&cache, &bytes).unwrap();
    let before = snapshot(&corpus);
    let got = no_panic("the scan", || scan_all(&src))?;
    unchanged(&corpus, &before)?;
    prop_assert_eq!(got.len(), truth.len());
    prop_assert!(got.iter().all(Option::is_some));
    if !forged {
        prop_assert_eq!(&got, &truth, "a damaged cache was used");
    }
    // the cache now there is the old one (untouched) or one the scan wrote, which must be valid
    let now = std::fs::read(&cache).unwrap_or_default();
    if now != bytes {
        let valid = no_panic("CacheFile::load", || CacheFile::load(&cache, &corpus))?;
        prop_assert!(valid.is_some(), "the scan wrote a cache it cannot read");
        // and says what the scan said (a forged record still matching its files is kept)
        let again = scan_all(&src);
        prop_assert_eq!(&again, &got, "the rebuilt cache is wrong");
    }
    Ok(())
}

/// The model cache: a damaged one is no model; a forged one (its checksum made to match) is a
/// model that tags any text without a panic, or no model.
fn read_model_cache(bytes: &[u8], forged: bool) -> Result<bool, TestCaseError> {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("model.crf");
    let bytes = if forged {
        let mut lines = bytes.splitn(3, |b| *b == b'\n');
        let body = lines.nth(2).unwrap_or_default();
        let mut b = format!(
            "{FINGERPRINT}\n{}\n",
            gloss_core::store::sha256_hex_bytes(body)
        )
        .into_bytes();
        b.extend_from_slice(body);
        b
    } else {
        bytes.to_vec()
    };
    std::fs::write(&path, &bytes).unwrap();
    let before = snapshot(tmp.path());
    let m = no_panic("training::cache::load", || {
        training::cache::load(&path, FINGERPRINT)
    })?;
    unchanged(tmp.path(), &before)?;
    let Some(m) = m else {
        return Ok(false);
    };
    if !forged {
        prop_assert_eq!(&bytes, &seeds().model_cache, "a damaged model was taken");
    }
    let lex = Lexicon::from_patterns(&builtin_patterns());
    let tags = no_panic("Model::tag", || m.tag(ARTICLE_A, &lex))?;
    for (_, r) in tags {
        prop_assert!(r.start < r.end && ARTICLE_A.get(r.clone()).is_some());
    }
    Ok(true)
}

/// An import file (a folder of them for brat): read, each record matched to its article,
/// checked and merged into the article's document in memory, as `gloss import` does before it
/// writes: the tags it gives sit on their text; nothing is written.
fn read_import(
    format: &Format,
    files: &[(String, Vec<u8>)],
) -> Result<Option<String>, TestCaseError> {
    let (tmp, corpus) = corpus_with("x.ron.unused", b"");
    std::fs::remove_file(corpus.join("x.ron.unused")).unwrap();
    let input = tmp.path().join(format!("import-{}", format.name));
    let path = if format.writes_folder() {
        std::fs::create_dir_all(&input).unwrap();
        for (name, b) in files {
            let p = input.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b).unwrap();
        }
        input.clone()
    } else {
        std::fs::write(&input, &files[0].1).unwrap();
        input.clone()
    };
    let before = snapshot(tmp.path());
    let config = CorpusConfig::load(&corpus).unwrap();
    let mut problems = Vec::new();
    for offsets in format.offsets_choices() {
        let offsets = format.offsets_given(offsets).unwrap();
        let read = no_panic(format.name, || format.read(&path, offsets))?;
        let records = match read {
            Ok(r) => r,
            Err(e) => {
                names(&e, &input)?;
                problems.push(e.to_string());
                continue;
            }
        };
        let found = gloss_core::corpus::discover(&corpus).unwrap();
        let mut catalog = Catalog::new(&corpus, &found.articles);
        let dirs = SidecarDirs::new(&corpus, None);
        for rec in &records {
            let planned = no_panic("plan_record", || {
                plan_record(rec, &mut catalog, &config.labels, &config.relations, "an")
            })?;
            let planned = match planned {
                Ok(p) => p,
                Err(e) => {
                    names(&e, &input)?;
                    problems.push(e);
                    continue;
                }
            };
            let article = found.articles.path(planned.article);
            let mut doc =
                Document::open(&dirs, &article).map_err(|e| TestCaseError::fail(format!("{e}")))?;
            no_panic("Plan::apply", || planned.plan.apply(&mut doc))?;
            let text = doc.text();
            for t in doc.tags().iter().filter(|t| !t.orphaned) {
                prop_assert!(t.start < t.end);
                prop_assert_eq!(
                    quoted_at(text, doc.chars(), t.start, t.end),
                    Some(t.text.as_str())
                );
            }
            let again = Sidecar::parse(doc.sidecar_path(), &doc.to_sidecar().to_ron());
            prop_assert!(
                again.is_ok(),
                "the merged sidecar does not read back: {:?}",
                again.err()
            );
        }
    }
    unchanged(tmp.path(), &before)?;
    Ok(problems.pop())
}

/// A recovery file given to `gloss recover` (with its base beside it, or without): an error names
/// it and leaves the sidecar as it was; a merge writes a sidecar that reads back, of tags of the
/// two sides only, and without a base (two-way) keeps every tag the sidecar had.
fn read_recovery(bytes: &[u8], with_base: bool) -> Result<Option<String>, TestCaseError> {
    use gloss_core::store::recovery;
    let (tmp, corpus) = corpus_with("a.ron", &seeds().sidecar);
    let sidecar = corpus.join("a.ron");
    let rec = tmp.path().join("a-20260101T000000Z.ron");
    std::fs::write(&rec, bytes).unwrap();
    if with_base {
        std::fs::write(recovery::base_of(&rec), &seeds().sidecar).unwrap();
    }
    let before = std::fs::read(&sidecar).unwrap();
    let span = |t: &Annotation| (t.label.clone(), t.start, t.end);
    let theirs: Vec<_> = Sidecar::load(&sidecar)
        .unwrap()
        .unwrap()
        .tags
        .iter()
        .map(span)
        .collect();
    let done = no_panic("recovery::recover", || recovery::recover(&rec, &sidecar))?;
    match done {
        Err(e) => {
            prop_assert_eq!(
                std::fs::read(&sidecar).unwrap(),
                before,
                "refused, yet written"
            );
            let msg = e.to_string();
            prop_assert!(
                msg.contains("a-20260101T000000Z"),
                "the error does not name the recovery file: {}",
                msg
            );
            Ok(Some(msg))
        }
        Ok(_) => {
            let now = Sidecar::load(&sidecar)
                .map_err(|e| TestCaseError::fail(format!("recover wrote what gloss refuses: {e}")))?
                .expect("the sidecar is there");
            let ours: Vec<_> = Sidecar::load(&rec)
                .map_err(|e| TestCaseError::fail(format!("merged a file gloss refuses: {e}")))?
                .map(|sc| sc.tags.iter().map(span).collect())
                .unwrap_or_default();
            for t in &now.tags {
                prop_assert!(
                    ours.contains(&span(t)) || theirs.contains(&span(t)),
                    "a tag of neither side: {:?}",
                    span(t)
                );
            }
            if !with_base {
                let kept: Vec<_> = now.tags.iter().map(span).collect();
                for t in &theirs {
                    prop_assert!(kept.contains(t), "two-way lost the sidecar's tag {:?}", t);
                }
            }
            Ok(None)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn hostile_sidecars(h in hostile()) {
        read_sidecar(&h.of(&seeds().sidecar))?;
    }

    #[test]
    fn hostile_registries(h in hostile()) {
        read_entities(&h.of(&seeds().entities))?;
    }

    #[test]
    fn hostile_corpus_configs(h in hostile()) {
        read_gloss_ron(&h.of(&seeds().gloss_ron))?;
    }

    #[test]
    fn hostile_user_configs(h in hostile()) {
        read_config_ron(&h.of(&seeds().config_ron))?;
    }

    #[test]
    fn hostile_session_memories(h in hostile()) {
        read_sessions(&h.of(&seeds().sessions))?;
    }

    #[test]
    fn hostile_recovery_files(h in hostile(), with_base in any::<bool>()) {
        read_recovery(&h.of(&seeds().sidecar), with_base)?;
    }

    #[test]
    fn hostile_scan_caches(h in hostile(), forged in any::<bool>()) {
        read_scan_cache(&h, forged)?;
    }

    #[test]
    fn hostile_model_caches(h in hostile(), forged in any::<bool>()) {
        read_model_cache(&h.of(&seeds().model_cache), forged)?;
    }

    #[test]
    fn hostile_imports(
        h in hostile(),
        which in 0..formats::ALL.len(),
        file in any::<usize>(),
    ) {
        let format = formats::ALL[which];
        let Some(seed) = seeds().imports.get(format.name) else {
            // an export-only format: reading it is refused, naming the file
            prop_assert!(matches!(format.reads, Reads::ExportOnly(_)));
            let d = tempfile::tempdir().unwrap();
            let p = d.path().join("graph.json");
            std::fs::write(&p, h.of(b"{}")).unwrap();
            let e = format.read(&p, Default::default()).unwrap_err();
            names(&e, &p)?;
            return Ok(());
        };
        // one file of the format's mutated, the others (brat's) as written
        let mut files = seed.clone();
        let k = file % files.len();
        files[k].1 = h.of(&files[k].1);
        read_import(format, &files)?;
    }
}

// ---------------------------------------------------------------------------------------------
// The seeds themselves read correctly (so that the properties start from valid files).

#[test]
fn the_valid_files_read_as_written() {
    let s = seeds();
    assert_eq!(read_sidecar(&s.sidecar).unwrap(), None);
    assert_eq!(read_entities(&s.entities).unwrap(), None);
    assert_eq!(read_gloss_ron(&s.gloss_ron).unwrap(), None);
    assert_eq!(read_config_ron(&s.config_ron).unwrap(), None);
    assert_eq!(read_sessions(&s.sessions).unwrap(), None);
    assert_eq!(read_recovery(&s.sidecar, true).unwrap(), None);
    assert_eq!(read_recovery(&s.sidecar, false).unwrap(), None);
    read_scan_cache(&Hostile::Mutated(Vec::new()), false).unwrap();
    assert!(read_model_cache(&s.model_cache, false).unwrap());
    assert!(read_model_cache(&s.model_cache, true).unwrap());
    for f in formats::readable() {
        assert_eq!(read_import(f, &s.imports[f.name]).unwrap(), None, "{f}");
    }
}

// ---------------------------------------------------------------------------------------------
// The regression corpus: cases found (by attacks on gloss and by the properties above), each
// with its outcome.

fn case(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/hostile")
            .join(name),
    )
    .unwrap()
}

/// The error a reader gave (which names the file), or a failure if it read the file.
#[track_caller]
fn refused(r: Result<Option<String>, TestCaseError>) -> String {
    match r {
        Ok(Some(e)) => e,
        Ok(None) => panic!("read, where an error was expected"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn damaged_sidecars_found_are_refused_naming_the_file() {
    let e = refused(read_sidecar(&case("sidecar-empty-span.ron")));
    assert!(
        e.contains("a.ron: tag t1 has an empty or reversed span 5..5"),
        "{e}"
    );
    let e = refused(read_sidecar(&case("sidecar-newer-format.ron")));
    assert!(e.contains("written by a newer gloss (format 7"), "{e}");
}

#[test]
fn a_corpus_config_may_not_send_sidecars_outside_the_corpus() {
    let e = refused(read_gloss_ron(&case("gloss-trees-outside.ron")));
    assert!(
        e.contains("gloss.ron: annotator_trees \"../outside\" is not a folder inside the corpus"),
        "{e}"
    );
}

#[test]
fn a_sidecar_in_the_registry_s_place_is_refused_naming_it() {
    let e = refused(read_entities(&case("entities-is-a-sidecar.ron")));
    assert!(
        e.contains("entities.ron:") && e.contains("`entities`"),
        "{e}"
    );
}

#[test]
fn a_session_memory_never_opens_outside_the_corpus_nor_past_the_text() {
    // read, and used within bounds (read_sessions checks the cursor and the article opened)
    assert_eq!(
        read_sessions(&case("sessions-cursor-past-the-end.ron")).unwrap(),
        None
    );
    assert_eq!(
        read_sessions(&case("sessions-article-outside.ron")).unwrap(),
        None
    );
}

#[test]
fn control_bytes_in_a_user_config_are_refused_not_drawn() {
    let e = refused(read_config_ron(&case("config-control-keys.ron")));
    assert!(
        e.contains("config.ron: config colors: \"cursor\": unknown colour"),
        "{e}"
    );
    assert!(
        !e.contains('\u{1b}'),
        "the error quotes the escape raw: {e:?}"
    );
}

#[test]
fn damaged_import_files_found_are_refused_naming_the_file() {
    let brat = formats::find("brat").unwrap();
    let files = [
        ("a.ann".to_string(), case("brat-overlapping-fragments.ann")),
        ("a.txt".to_string(), case("brat-overlapping-fragments.txt")),
    ];
    let e = refused(read_import(brat, &files));
    assert!(
        e.contains("a.ann:1:1: T1: its fragments 0 10 and 5 8 overlap"),
        "{e}"
    );
    for (format, file, says) in [
        (
            "doccano",
            "doccano-reversed-and-huge.jsonl",
            "import-doccano",
        ),
        (
            "csv",
            "csv-overflow-and-open-quote.csv",
            "import-csv:3:1: a quoted field is never closed",
        ),
        (
            "conll",
            "conll-odd-tags.conll",
            "import-conll:2:1: a token without a tag column",
        ),
    ] {
        let f = formats::find(format).unwrap();
        let e = refused(read_import(f, &[("in".into(), case(file))]));
        assert!(e.contains(says), "{format}: {e}");
    }
}

/// RON and JSON nested far deeper than any file gloss writes: an error (the parsers' recursion
/// limits), never a stack overflow.
#[test]
fn deeply_nested_files_are_refused_without_overflowing_the_stack() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    for bytes in [
        deep("(tags:[", "])", 50_000),
        deep("[", "]", 100_000),
        deep("Some(", ")", 100_000),
    ] {
        refused(read_sidecar(bytes.as_bytes()));
        refused(read_entities(bytes.as_bytes()));
        refused(read_gloss_ron(bytes.as_bytes()));
        refused(read_config_ron(bytes.as_bytes()));
        refused(read_sessions(bytes.as_bytes()));
    }
    let json = format!(
        "{{\"id\": 1, \"text\": \"x\", \"label\": {}}}\n",
        deep("[", "]", 100_000)
    );
    for f in ["jsonl", "doccano", "doccano-relations"] {
        let f = formats::find(f).unwrap();
        refused(read_import(f, &[("in".into(), json.clone().into_bytes())]));
    }
}

/// Found here: a session memory that does not read was replaced, at the first article opened,
/// by one holding only this corpus's place (every other corpus's was lost).
#[test]
fn a_damaged_session_memory_is_said_and_kept() {
    let e = refused(read_sessions(&case("sessions-damaged.ron")));
    assert!(e.contains("sessions.ron:6:11: Expected string"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// A forged scan cache (its checksum valid) says what the files are, for the list; it never
// decides what is read or written.

#[test]
fn a_forged_scan_cache_is_metadata_only_and_never_decides_what_is_read_or_written() {
    use gloss_core::annotation::Status;
    use gloss_core::corpus::Summary;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let (tmp, corpus) = corpus_with("x.ron.unused", b"");
    std::fs::remove_file(corpus.join("x.ron.unused")).unwrap();
    let corpus = std::fs::canonicalize(&corpus).unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("x.txt"), "Ông Lê Văn Ngoài nói.").unwrap();
    let dirs = dirs_in(tmp.path());
    let stamp = |p: &Path| gloss_core::files::stamp(p).unwrap();
    let forged = |title: &str| Summary {
        title: title.into(),
        status: Status::ALL[Status::ALL.len() - 1],
        tag_counts: [("PERSON".to_string(), 99)].into(),
        ..Summary::default()
    };
    let record = |article, sidecar, title: &str| scan_cache::Record {
        article,
        sidecar,
        summary: forged(title),
        tagged: vec![("PERSON".into(), "Kẻ Giả".into())],
    };
    let mut body = Vec::new();
    let a = corpus.join("a.txt");
    // a.txt: its stamps as they are, so that the record is taken
    let rec = record(stamp(&a), Some(stamp(&a.with_extension("ron"))), "FORGED");
    scan_cache::encode(&mut body, b"a.txt", &rec).unwrap();
    // b.txt: a size that is not the file's
    let rec = record((1 << 40, 0), None, "FORGED TOO");
    scan_cache::encode(&mut body, b"b.txt", &rec).unwrap();
    // paths outside the corpus, and a sidecar's
    for rel in [
        &b"../outside/x.txt"[..],
        b"/etc/passwd",
        b"a.ron",
        b"sub/../../outside/x.txt",
    ] {
        let rec = record(stamp(&outside.join("x.txt")), None, "OUTSIDE");
        scan_cache::encode(&mut body, rel, &rec).unwrap();
    }
    let mut sum = scan_cache::Checksum::default();
    sum.update(&body);
    let mut file = scan_cache::header(&corpus, 6, body.len() as u64, sum.finish());
    file.extend_from_slice(&body);
    let cache = scan::cache_path(&dirs.cache, &corpus, None);
    std::fs::create_dir_all(&dirs.cache).unwrap();
    std::fs::write(&cache, &file).unwrap();
    assert!(
        CacheFile::load(&cache, &corpus).is_some(),
        "the forgery checks"
    );
    let before = snapshot(tmp.path());

    let mut app = open_app(&corpus, &dirs).unwrap();
    // (the next cache is written after the list is complete: checked below, so waited for)
    app.finish_scan_and_cache();
    // the list is the corpus's two articles; the forged record of a.txt is taken as its metadata,
    // b.txt's (whose size is not the file's) is not
    assert_eq!(app.state.articles.len(), 2);
    assert_eq!(app.state.articles.title(0), Some("FORGED"));
    assert_eq!(
        app.state.articles.title(1),
        Some("Ông Nguyễn Văn Hòa nói: phải nộp phạt ngay.")
    );
    // opened, a.txt is its file and its sidecar, whatever the cache said of them
    let key = |app: &mut App, c: char| {
        app.handle_event(&Event::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
        app.finish_writes();
    };
    app.handle_event(&Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    let r = app.state.reader.as_ref().expect("an article is open");
    assert_eq!(r.doc.path(), a.as_path());
    assert_eq!(r.text(), ARTICLE_A);
    assert_eq!(r.tags().tags().len(), 3);
    key(&mut app, 'p');
    key(&mut app, 'q');
    key(&mut app, 'q');
    app.finish_background();
    let saved = Sidecar::load(&a.with_extension("ron")).unwrap().unwrap();
    assert_eq!(saved.tags.len(), 4, "the real tags and the new one");
    // written: a.txt's sidecar (and its lock), the caches and the session memory; nothing outside the corpus
    let after = snapshot(tmp.path());
    let changed: Vec<&PathBuf> = after
        .keys()
        .chain(before.keys())
        .filter(|k| after.get(*k) != before.get(*k))
        .collect();
    for p in changed {
        assert!(
            p == &a.with_extension("ron")
                || p == &gloss_core::files::lock_path(&a.with_extension("ron"))
                || p.starts_with(&dirs.cache)
                || p.starts_with(&dirs.data),
            "{p:?} was written"
        );
    }
    // and the cache written since holds only the corpus's articles
    if let Some(c) = CacheFile::load(&cache, &corpus) {
        let rels: Vec<&[u8]> = (0..c.len()).map(|k| c.rel(k)).collect();
        assert_eq!(rels, [&b"a.txt"[..], b"b.txt"]);
    }
}
