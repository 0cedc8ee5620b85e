//! `gloss import`: round trips through every format (export, import into an untagged copy, export
//! again: the same bytes), files written by hand in each tool's own layout (doccano with UTF-16
//! offsets and numeric ids, brat with discontinuous spans, notes and a relation, CoNLL from another
//! tool, a minimal csv), and what must never happen: a record whose text differs imported, half an
//! import written, a tag doubled.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::corpus::corpus;
use gloss_core::annotation::{Annotation, Status, Verdict};
use gloss_core::store::Sidecar;

fn gloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .env("GLOSS_ANNOTATOR", "importer")
        .env("XDG_CONFIG_HOME", "/nonexistent-gloss-config")
        .output()
        .expect("gloss runs")
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A copy of the articles of `from` (every `.txt`, no sidecar) at `to`.
fn untagged_copy(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            untagged_copy(&p, &to.join(e.file_name()));
        } else if p.extension().is_some_and(|x| x == "txt") {
            std::fs::create_dir_all(to).unwrap();
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn export(dir: &Path, format: &str, out: &Path, extra: &[&str]) {
    let mut args = vec!["export", s(dir), "-f", format, "-o", s(out)];
    args.extend_from_slice(extra);
    ok(gloss(&args));
}

fn read_all(p: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    if p.is_dir() {
        let mut v: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for e in std::fs::read_dir(p).unwrap().flatten() {
            v.extend(
                read_all(&e.path())
                    .into_iter()
                    .map(|(n, b)| (Path::new(&e.file_name()).join(n), b)),
            );
        }
        v.sort();
        v
    } else {
        vec![(PathBuf::new(), std::fs::read(p).unwrap())]
    }
}

fn tags_of(article: &Path) -> Vec<Annotation> {
    Sidecar::load(&article.with_extension("ron"))
        .unwrap()
        .map(|s| s.tags)
        .unwrap_or_default()
}

#[test]
fn every_format_round_trips_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    // every format the registry reads back, with each --offsets it takes
    let cases: Vec<_> = gloss_core::formats::readable()
        .flat_map(|f| f.offsets_choices().map(move |o| (f.name, o)))
        .collect();
    assert!(!cases.is_empty());
    for (format, offsets) in cases {
        let extra: Vec<&str> = offsets
            .iter()
            .flat_map(|o| ["--offsets", o.name()])
            .collect();
        let extra = &extra[..];
        let case = tmp.path().join(format!(
            "{format}{}",
            offsets.map_or(String::new(), |o| format!("-{}", o.name()))
        ));
        std::fs::create_dir_all(&case).unwrap();
        let first = case.join("first");
        export(&c, format, &first, extra);
        let copy = case.join("copy");
        untagged_copy(&c, &copy);
        let mut args = vec!["import", s(&copy), "-f", format, s(&first)];
        args.extend_from_slice(extra);
        let said = ok(gloss(&args));
        assert!(said.contains("tag(s) added"), "{said}");
        let second = case.join("second");
        export(&copy, format, &second, extra);
        assert_eq!(
            read_all(&first),
            read_all(&second),
            "{format} {extra:?}: export, import, export gives other bytes"
        );
        // importing again adds nothing and writes nothing
        let again = ok(gloss(&args));
        assert!(
            again.contains(" 0 tag(s) added") && again.contains("0 sidecar(s) written"),
            "{format}: {again}"
        );
    }
    // jsonl carries everything: ids, notes, annotators, reviews and the article's status
    let copy = tmp.path().join("jsonl/copy");
    let original = tags_of(&c.join("d_hostile.txt"));
    let imported = tags_of(&copy.join("d_hostile.txt"));
    let key = |t: &Annotation| {
        (
            t.id.clone(),
            t.label.clone(),
            t.start,
            t.end,
            t.text.clone(),
            t.note.clone(),
            t.annotator.clone(),
            t.review.as_ref().map(|r| format!("{r:?}")),
        )
    };
    let mut a: Vec<_> = original.iter().map(key).collect();
    let mut b: Vec<_> = imported.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let sc = Sidecar::load(&copy.join("d_hostile.ron")).unwrap().unwrap();
    assert_eq!(sc.status, Status::Done);
    // the comment on the article and the reviewer's comment on a tag come back too
    assert_eq!(sc.comment.as_deref(), Some("đã soát\nhai dòng"));
    let h1 = imported.iter().find(|t| t.id == "h1").unwrap();
    assert_eq!(h1.comment.as_deref(), Some("đúng người"));
    assert_eq!(
        imported
            .iter()
            .find(|t| t.id == "h1")
            .unwrap()
            .review
            .as_ref()
            .unwrap()
            .verdict,
        Verdict::Accepted
    );
    // doccano and CoNLL name no annotator: --annotator or the login name does
    let doccano = tags_of(&tmp.path().join("doccano/copy/a.txt"));
    assert!(doccano.iter().all(|t| t.annotator == "importer"));
}

fn fixture(tmp: &Path) -> (PathBuf, PathBuf) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let c = tmp.join("corpus");
    untagged_copy(&src.join("corpus"), &c);
    (src, c)
}

fn texts(tags: &[Annotation]) -> Vec<(String, String)> {
    tags.iter()
        .map(|t| (t.label.clone(), t.text.clone()))
        .collect()
}

#[test]
fn a_doccano_export_with_utf16_offsets_and_numeric_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, c) = fixture(tmp.path());
    let file = src.join("doccano.jsonl");
    let said = ok(gloss(&[
        "import",
        s(&c),
        "-f",
        "doccano",
        "--annotator",
        "ann",
        s(&file),
    ]));
    assert!(
        said.contains("2 of 2 record(s) matched; 4 tag(s) added"),
        "{said}"
    );
    // matched by text (doccano numbers its examples), UTF-16 offsets after the emoji, label
    // names in any case
    let a = tags_of(&c.join("a.txt"));
    assert_eq!(
        texts(&a),
        [
            ("PERSON".to_string(), "Trương Thị Mai".to_string()),
            ("PERSON".to_string(), "Tô Lâm".to_string()),
            ("DIRECTIVE".to_string(), "nghị quyết 😀 mới".to_string()),
        ]
    );
    assert!(a.iter().all(|t| t.annotator == "ann"));
    let b = tags_of(&c.join("b.txt"));
    assert_eq!(
        texts(&b),
        [("PERSON".to_string(), "Nguyễn Văn Hòa".to_string())]
    );
    let sc = Sidecar::load(&c.join("a.ron")).unwrap().unwrap();
    assert_eq!(sc.status, Status::InProgress, "the first tag's rule");
    // the same tags counted in code points, read with --offsets codepoint
    let c2 = tmp.path().join("c2");
    untagged_copy(&c, &c2);
    ok(gloss(&[
        "import",
        s(&c2),
        "-f",
        "doccano",
        "--offsets",
        "codepoint",
        "--annotator",
        "ann",
        s(&src.join("doccano.codepoints.jsonl")),
    ]));
    let key = |ts: Vec<Annotation>| -> Vec<(String, usize, usize)> {
        ts.into_iter().map(|t| (t.label, t.start, t.end)).collect()
    };
    assert_eq!(key(tags_of(&c2.join("a.txt"))), key(a));
    // --offsets is doccano's alone
    let o = gloss(&[
        "import",
        s(&c2),
        "-f",
        "jsonl",
        "--offsets",
        "utf16",
        s(&file),
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_brat_folder_with_discontinuous_spans_notes_and_a_relation() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, c) = fixture(tmp.path());
    let o = gloss(&["import", s(&c), "-f", "brat", s(&src.join("brat"))]);
    let said = ok(o.clone());
    let err = String::from_utf8_lossy(&o.stderr);
    // T4 joins two words across others: gloss tags are one span, so it is said and left out
    assert!(
        err.contains("a.ann:4: T4 is discontinuous over more than white space"),
        "{err}"
    );
    assert!(said.contains("3 tag(s) added"), "{said}");
    // R1 is of a type gloss.ron does not define: said and left out, its tags imported
    assert!(
        err.contains("relation 1 (Meets from “Trương Thị Mai” to “Tô Lâm”) not imported: no relation type Meets"),
        "{err}"
    );
    assert!(said.contains("0 relation(s) added"), "{said}");
    let a = tags_of(&c.join("a.txt"));
    assert_eq!(
        texts(&a),
        [
            ("PERSON".to_string(), "Trương Thị Mai".to_string()),
            ("PERSON".to_string(), "Tô Lâm".to_string()),
            // fragments over a line break: one tag over it
            ("DIRECTIVE".to_string(), "chỉ thị số 24\nvà".to_string()),
        ]
    );
    // the gloss id and the note from AnnotatorNotes; a plain note is a note
    assert_eq!(a[0].id, "0a1b2c3d4e5f");
    assert_eq!(a[0].note.as_deref(), Some("Ủy viên Bộ Chính trị"));
    assert_eq!(a[1].note.as_deref(), Some("Tổng Bí thư"));
    assert_eq!(a[2].note, None);
}

#[test]
fn conll_from_another_tool_and_a_minimal_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, c) = fixture(tmp.path());
    // two tab-separated columns, IOB1, no -DOCSTART-: matched to b.txt by its tokens
    let said = ok(gloss(&[
        "import",
        s(&c),
        "-f",
        "conll",
        s(&src.join("other.conll")),
    ]));
    assert!(said.contains("2 tag(s) added"), "{said}");
    assert_eq!(
        texts(&tags_of(&c.join("b.txt"))),
        [
            ("PERSON".to_string(), "Nguyễn Văn Hòa".to_string()),
            ("TASK".to_string(), "phải nộp phạt ngay".to_string()),
        ]
    );
    let said = ok(gloss(&[
        "import",
        s(&c),
        "-f",
        "csv",
        s(&src.join("tags.csv")),
    ]));
    assert!(said.contains("1 tag(s) added"), "{said}");
    let b = tags_of(&c.join("b.txt"));
    let task = b.iter().find(|t| t.text == "nộp phạt ngay").unwrap();
    assert_eq!(task.note.as_deref(), Some("nộp, \"ngay\"\nhai dòng"));
}

#[test]
fn a_record_whose_text_differs_is_an_error_naming_both_and_keep_going_skips_it() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let file = tmp.path().join("x.jsonl");
    export(&c, "jsonl", &file, &[]);
    let copy = tmp.path().join("copy");
    untagged_copy(&c, &copy);
    // the copy's a.txt was edited since the export
    let a = std::fs::read_to_string(copy.join("a.txt")).unwrap();
    std::fs::write(copy.join("a.txt"), a.replace("yêu cầu", "đề nghị")).unwrap();
    let o = gloss(&["import", s(&copy), "-f", "jsonl", s(&file)]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("x.jsonl:1: record “a.txt” and the article")
            && err.contains("a.txt: its text differs from the article's at character 49"),
        "{err}"
    );
    assert!(err.contains("nothing imported: 1 problem(s)"), "{err}");
    let ron: Vec<_> = std::fs::read_dir(&copy)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
        .collect();
    assert!(ron.is_empty(), "nothing written: {ron:?}");
    let said = ok(gloss(&[
        "import",
        s(&copy),
        "-f",
        "jsonl",
        "--keep-going",
        s(&file),
    ]));
    assert!(said.contains("3 of 4 record(s) matched"), "{said}");
    assert!(!copy.join("a.ron").exists());
    assert_eq!(tags_of(&copy.join("b_nfd.txt")).len(), 2);
    // an unknown label, a missing file: named
    std::fs::write(
        tmp.path().join("bad.jsonl"),
        "{\"id\":\"c_untagged.txt\",\"text\":\"Không có thẻ nào 😀.\\n\",\"spans\":[{\"start\":0,\"end\":5,\"label\":\"ORG\"}]}\n",
    )
    .unwrap();
    let o = gloss(&[
        "import",
        s(&copy),
        "-f",
        "jsonl",
        s(&tmp.path().join("bad.jsonl")),
        s(&tmp.path().join("missing.jsonl")),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the label “ORG” is not one of this corpus's"),
        "{err}"
    );
    assert!(err.contains("missing.jsonl: no such file"), "{err}");
}

#[test]
fn tags_already_there_are_not_doubled() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let file = tmp.path().join("x.doccano");
    export(&c, "doccano", &file, &[]);
    let before: usize = ["a.txt", "b_nfd.txt", "d_hostile.txt"]
        .iter()
        .map(|a| tags_of(&c.join(a)).len())
        .sum();
    // into the corpus it came from: every tag is there already (other ids, same label and span)
    let said = ok(gloss(&["import", s(&c), "-f", "doccano", s(&file)]));
    assert!(said.contains(" 0 tag(s) added, 11 already there"), "{said}");
    let after: usize = ["a.txt", "b_nfd.txt", "d_hostile.txt"]
        .iter()
        .map(|a| tags_of(&c.join(a)).len())
        .sum();
    assert_eq!(before, after);
}

/// A jsonl record with its review time in the forms tools write it (what `datasets` writes back is
/// epoch milliseconds): each kept as that time, never replaced by the time of the import; a field
/// of the wrong type is an error naming the file, the line and the field.
#[test]
fn review_times_in_every_form_tools_write_are_kept_and_a_wrong_type_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, c) = fixture(tmp.path());
    let text = std::fs::read_to_string(c.join("a.txt")).unwrap();
    let span = |start: usize, end: usize, review: &str| {
        let t: String = text.chars().skip(start).take(end - start).collect();
        format!(
            r#"{{"start":{start},"end":{end},"label":"PERSON","text":{},"review":{review}}}"#,
            serde_json::to_string(&t).unwrap()
        )
    };
    let record = |spans: &[String]| {
        format!(
            "{{\"id\":\"a.txt\",\"text\":{},\"spans\":[{}]}}\n",
            serde_json::to_string(&text).unwrap(),
            spans.join(",")
        )
    };
    let file = tmp.path().join("back.jsonl");
    std::fs::write(
        &file,
        record(&[
            span(
                3,
                17,
                r#"{"verdict":"accepted","reviewer":"rev","time":1767323045000}"#,
            ),
            span(
                28,
                34,
                r#"{"verdict":"rejected","reviewer":"rev","time":1767323045}"#,
            ),
            span(
                0,
                2,
                r#"{"verdict":"accepted","reviewer":"rev","time":"2026-01-02T03:04:05Z"}"#,
            ),
        ]),
    )
    .unwrap();
    ok(gloss(&["import", s(&c), "-f", "jsonl", s(&file)]));
    let mut times: Vec<(String, String)> = tags_of(&c.join("a.txt"))
        .into_iter()
        .map(|t| (t.text, t.review.unwrap().time))
        .collect();
    times.sort();
    assert_eq!(
        times,
        [
            ("Bà".to_string(), "2026-01-02T03:04:05Z".to_string()),
            (
                "Trương Thị Mai".to_string(),
                "2026-01-02T03:04:05Z".to_string()
            ),
            ("Tô Lâm".to_string(), "2026-01-02T03:04:05Z".to_string()),
        ]
    );
    // the wrong type: an error naming the file, the line and the field; nothing written
    let (_, c2) = fixture(&tmp.path().join("2"));
    let bad = tmp.path().join("bad.jsonl");
    let mut lines = record(&[span(3, 17, "null")]);
    lines.push_str(&record(&[span(
        28,
        34,
        r#"{"verdict":"accepted","reviewer":7}"#,
    )]));
    std::fs::write(&bad, lines).unwrap();
    let o = gloss(&["import", s(&c2), "-f", "jsonl", s(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.jsonl") && err.contains(":2") && err.contains("`reviewer` is a number"),
        "{err}"
    );
    assert!(!c2.join("a.ron").exists());
}

/// jsonl as older gloss wrote it (`null` for no note, no review, no entity) and as it writes it now
/// (`""` and a review whose verdict is `""`) give the same tags: no review, no note, no entity.
#[test]
fn jsonl_with_nulls_and_jsonl_with_empty_fields_import_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture(tmp.path()).1.join("a.txt")).unwrap();
    let t: String = text.chars().skip(3).take(14).collect();
    let record = |fields: &str| {
        format!(
            "{{\"id\":\"a.txt\",\"text\":{},\"meta\":{{\"date\":null}},\"spans\":[{{\"id\":\"x1\",\"start\":3,\"end\":17,\"label\":\"PERSON\",\"text\":{},{fields}}}],\"relations\":[]}}\n",
            serde_json::to_string(&text).unwrap(),
            serde_json::to_string(&t).unwrap(),
        )
    };
    let forms = [
        r#""note":null,"annotator":"lan","review":null,"entity":null"#,
        r#""note":"","annotator":"lan","review":{"verdict":"","reviewer":"","time":0},"entity":"""#,
    ];
    for (k, fields) in forms.iter().enumerate() {
        let (_, c) = fixture(&tmp.path().join(k.to_string()));
        let file = tmp.path().join(format!("{k}.jsonl"));
        std::fs::write(&file, record(fields)).unwrap();
        ok(gloss(&["import", s(&c), "-f", "jsonl", s(&file)]));
        let tags = tags_of(&c.join("a.txt"));
        assert_eq!(tags.len(), 1, "{fields}");
        let tag = &tags[0];
        assert_eq!((tag.id.as_str(), tag.text.as_str()), ("x1", t.as_str()));
        assert_eq!(tag.annotator, "lan");
        assert!(
            tag.review.is_none() && tag.note.is_none() && tag.entity.is_none(),
            "{tag:?}"
        );
    }
}

/// A doccano file counted in code points, imported without `--offsets`: the records carry their
/// text, so the reading that puts the spans on whole words is taken, and said; when the text does
/// not tell, UTF-16 units (the default), and that is said too.
#[test]
fn doccano_offsets_not_given_are_read_as_the_text_shows_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, c) = fixture(tmp.path());
    ok(gloss(&[
        "import",
        s(&c),
        "-f",
        "doccano",
        s(&src.join("doccano.jsonl")),
    ]));
    let (_, c2) = fixture(&tmp.path().join("2"));
    let o = gloss(&[
        "import",
        s(&c2),
        "-f",
        "doccano",
        s(&src.join("doccano.codepoints.jsonl")),
    ]);
    let said = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{said}");
    assert!(said.contains("read as code points"), "{said}");
    for a in ["a.txt", "b.txt"] {
        assert_eq!(
            texts(&tags_of(&c2.join(a))),
            texts(&tags_of(&c.join(a))),
            "{a}"
        );
    }
    // a UTF-16 file is still read as UTF-16, without a word
    let (_, c4) = fixture(&tmp.path().join("3"));
    let o = gloss(&[
        "import",
        s(&c4),
        "-f",
        "doccano",
        s(&src.join("doccano.jsonl")),
    ]);
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("code points"));
    assert_eq!(
        texts(&tags_of(&c4.join("a.txt"))),
        texts(&tags_of(&c.join("a.txt")))
    );
    // "😀 a b": [2, 3] is “a” in code points and the space before it in UTF-16 units
    let (_, c3) = fixture(&tmp.path().join("4"));
    std::fs::write(c3.join("e.txt"), "😀 a b").unwrap();
    let tie = tmp.path().join("tie.jsonl");
    std::fs::write(&tie, "{\"text\":\"😀 a b\",\"label\":[[2,3,\"PERSON\"]]}\n").unwrap();
    let o = gloss(&["import", s(&c3), "-f", "doccano", s(&tie)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("tie.jsonl:1")
            && err.contains("does not tell")
            && err.contains("--offsets codepoint"),
        "{err}"
    );
    // (read as UTF-16 units, the default, as said)
    let (_, c3) = fixture(&tmp.path().join("5"));
    std::fs::write(c3.join("e.txt"), "😀 a b").unwrap();
    let o = gloss(&[
        "import",
        s(&c3),
        "-f",
        "doccano",
        "--offsets",
        "codepoint",
        s(&tie),
    ]);
    assert!(o.status.success());
    assert_eq!(
        texts(&tags_of(&c3.join("e.txt"))),
        [("PERSON".to_string(), "a".to_string())]
    );
}

/// The issue's own case: an export in code points, imported without `--offsets`, gives back the
/// same tags (the export says what its offsets count).
#[test]
fn a_codepoint_doccano_export_imports_back_without_being_told() {
    let tmp = tempfile::tempdir().unwrap();
    let (src, c) = fixture(tmp.path());
    ok(gloss(&[
        "import",
        s(&c),
        "-f",
        "doccano",
        s(&src.join("doccano.jsonl")),
    ]));
    let out = tmp.path().join("cp.jsonl");
    export(&c, "doccano", &out, &["--offsets", "codepoint"]);
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("\"offsets\":\"codepoint\"")
    );
    let (_, c2) = fixture(&tmp.path().join("2"));
    let said = ok(gloss(&["import", s(&c2), "-f", "doccano", s(&out)]));
    assert!(said.contains("4 tag(s) added"), "{said}");
    for a in ["a.txt", "b.txt"] {
        assert_eq!(
            texts(&tags_of(&c2.join(a))),
            texts(&tags_of(&c.join(a))),
            "{a}"
        );
    }
}

/// An entity the registry does not define is imported with its link and said; a stored
/// suggestion the file tags is settled (no longer kept as a suggestion); an article whose sidecar
/// would be the registry (`entities.txt` at the root) is named and never written to, and every
/// export afterwards still works.
#[test]
fn unknown_entities_are_said_suggestions_tagged_are_settled_and_reserved_names_are_kept_clear() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, c) = fixture(tmp.path());
    let text = std::fs::read_to_string(c.join("a.txt")).unwrap();
    std::fs::write(c.join("entities.txt"), &text).unwrap();
    std::fs::write(
        c.join("entities.ron"),
        r#"(format: 1, entities: [(id: "person-to-lam", label: "PERSON", name: "Tô Lâm")])"#,
    )
    .unwrap();
    // `gloss suggest` stores the open suggestions of a
    ok(gloss(&["suggest", s(&c)]));
    let stored = |p: &Path| Sidecar::load(p).unwrap().unwrap().suggested;
    let before = stored(&c.join("a.ron"));
    let lam = before
        .iter()
        .find(|s| s.text == "Tô Lâm")
        .expect("Tô Lâm suggested")
        .clone();
    let span = |t: &str, start: usize, end: usize, entity: &str| {
        format!(
            r#"{{"start":{start},"end":{end},"label":"PERSON","text":{},"entity":"{entity}"}}"#,
            serde_json::to_string(t).unwrap()
        )
    };
    let mai: String = text.chars().skip(3).take(14).collect();
    assert_eq!(mai, "Trương Thị Mai");
    let file = tmp.path().join("in.jsonl");
    std::fs::write(
        &file,
        format!(
            "{{\"id\":\"a.txt\",\"text\":{},\"spans\":[{},{}]}}\n",
            serde_json::to_string(&text).unwrap(),
            span("Tô Lâm", lam.start, lam.end, "person-to-lam"),
            span(&mai, 3, 17, "person-truong-thi-mai"),
        ),
    )
    .unwrap();
    let o = gloss(&["import", s(&c), "-f", "jsonl", s(&file)]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    // the unknown entity, once, with its count; the known one not at all
    assert!(
        err.contains("1 tag(s) link to the entity “person-truong-thi-mai”")
            && err.contains("entities.ron does not define"),
        "{err}"
    );
    assert!(!err.contains("person-to-lam"), "{err}");
    // the reserved name: named, not listed, its "sidecar" (the registry) untouched
    assert!(
        err.contains("entities.txt") && err.contains("entity registry"),
        "{err}"
    );
    let tags = tags_of(&c.join("a.txt"));
    let linked: Vec<(&str, Option<&str>)> = tags
        .iter()
        .map(|t| (t.text.as_str(), t.entity.as_deref()))
        .collect();
    assert!(linked.contains(&("Trương Thị Mai", Some("person-truong-thi-mai"))));
    assert!(linked.contains(&("Tô Lâm", Some("person-to-lam"))));
    let after = stored(&c.join("a.ron"));
    assert!(
        !after
            .iter()
            .any(|s| s.label == lam.label && s.start == lam.start),
        "the suggestion now tagged is settled: {after:?}"
    );
    assert_eq!(
        after.len(),
        before
            .iter()
            .filter(|s| !(s.label == "PERSON" && s.start < 17 && s.end > 3))
            .count()
            - 1,
        "only what the file tagged left the stored suggestions"
    );
    let registry = std::fs::read_to_string(c.join("entities.ron")).unwrap();
    assert!(registry.contains("person-to-lam") && !registry.contains("tags"));
    // an export says the article it cannot take, and goes on without it when told
    let out = tmp.path().join("out.jsonl");
    let o = gloss(&["export", s(&c), "-f", "jsonl", "-o", s(&out)]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("entities.txt"));
    for format in ["jsonl", "brat", "csv"] {
        let out = tmp.path().join(format!("out-{format}"));
        ok(gloss(&[
            "export",
            s(&c),
            "-f",
            format,
            "-o",
            s(&out),
            "--keep-going",
        ]));
    }
    let jsonl = std::fs::read_to_string(tmp.path().join("out-jsonl")).unwrap();
    assert!(jsonl.contains("person-truong-thi-mai") && !jsonl.contains("\"entities"));
}

/// Two articles whose names differ only in bytes that are not UTF-8 keep ids of their own: a csv
/// round trip gives each its own tags, and the brat export holds both.
#[cfg(unix)]
#[test]
fn names_differing_only_in_bytes_that_are_not_utf8_never_share_an_export() {
    use gloss_core::annotation::Change;
    use gloss_core::store::{Document, SidecarDirs};
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    let text = "Ông Tô Lâm gặp bà Trương Thị Mai.\n";
    let names: [&[u8]; 2] = [b"n\xff.txt", b"n\xfe.txt"];
    let dirs = SidecarDirs::new(&c, None);
    for (name, (who, start)) in names.iter().zip([("Tô Lâm", 4), ("Trương Thị Mai", 18)]) {
        let p = c.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(&p, text).unwrap();
        let mut doc = Document::open(&dirs, &p).unwrap();
        let end = start + who.chars().count();
        doc.edit(vec![Change::Add(Annotation::new(
            "PERSON", start, end, who, "a",
        ))]);
        doc.save_if_changed().unwrap();
    }
    let tags = |dir: &Path, name: &[u8]| -> Vec<String> {
        tags_of(&dir.join(std::ffi::OsStr::from_bytes(name)))
            .into_iter()
            .map(|t| t.text)
            .collect()
    };
    let out = tmp.path().join("out.csv");
    export(&c, "csv", &out, &[]);
    let copy = tmp.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    for name in names {
        let n = std::ffi::OsStr::from_bytes(name);
        std::fs::copy(c.join(n), copy.join(n)).unwrap();
    }
    ok(gloss(&["import", s(&copy), "-f", "csv", s(&out)]));
    assert_eq!(tags(&copy, names[0]), ["Tô Lâm"]);
    assert_eq!(tags(&copy, names[1]), ["Trương Thị Mai"]);
    let brat = tmp.path().join("brat");
    export(&c, "brat", &brat, &[]);
    let mut anns: Vec<String> = std::fs::read_dir(&brat)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    anns.sort();
    assert_eq!(anns, ["n%FE.ann", "n%FF.ann"]);
}
