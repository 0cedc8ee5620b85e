//! Relations and entity links through every export: a corpus of two articles with an entity registry,
//! relations (one rejected, one whose tail tag no longer matches the text), a tag over a line break
//! and an emoji before everything (UTF-16 offsets differ from code points). Checked field by field:
//! doccano's relation layout, jsonl's spans and relations, brat's R and N lines (by a Rust parser of
//! every line, and by the `bratly` Python package where it is installed), the graph export
//! (deterministic and independent of article order), `gloss stats --by entity` and relation
//! agreement in `gloss agree`.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::corpus::tag;
use gloss_core::annotation::{Annotation, AnnotationSet, Relation, Review, Verdict};
use gloss_core::store::{Sidecar, SidecarDirs};
use serde_json::Value;

const RA: &str =
    "😀 Bộ trưởng Tô Lâm ký Chỉ thị số 24 ngày 1/1.\nÔng Lâm giao Bộ Công an rà soát\nhồ sơ.";
const RB: &str = "Tô Lâm chủ trì. Chỉ thị 24-CT/TW được quán triệt, Bộ Công an thực hiện.";

const ENTITIES: &str = r#"(
    format: 1,
    entities: [
        (id: "directive-ct-24", label: "DIRECTIVE", name: "Chỉ thị số 24/CT-TW"),
        (id: "person-nguyen-van-a", label: "PERSON", name: "Nguyễn Văn A"),
        (id: "person-to-lam", label: "PERSON", name: "Tô Lâm", aliases: ["Bộ trưởng Tô Lâm"]),
    ],
)
"#;

fn linked(mut t: Annotation, entity: &str) -> Annotation {
    t.entity = Some(entity.into());
    t
}

fn rel(id: &str, label: &str, head: &str, tail: &str) -> Relation {
    let mut r = Relation::new(label, head, tail, "tester");
    r.id = id.into();
    r.created = "2026-11-27T09:00:00Z".into();
    r
}

fn save(sidecar: &Path, article: &Path, text: &str, tags: Vec<Annotation>, rels: Vec<Relation>) {
    std::fs::create_dir_all(sidecar.parent().unwrap()).unwrap();
    Sidecar::new(
        article,
        text,
        &AnnotationSet::new(tags).with_relations(rels),
    )
    .save(sidecar)
    .unwrap();
}

/// The article a.txt's tags: p1 Tô Lâm, d1 Chỉ thị số 24, p2 Ông Lâm, p3 Bộ Công an, t1 over a
/// line break.
fn a_tags() -> Vec<Annotation> {
    vec![
        linked(tag(RA, "p1", "PERSON", "Tô Lâm", 0, None), "person-to-lam"),
        linked(
            tag(RA, "d1", "DIRECTIVE", "Chỉ thị số 24", 0, None),
            "directive-ct-24",
        ),
        linked(tag(RA, "p2", "PERSON", "Ông Lâm", 0, None), "person-to-lam"),
        tag(RA, "p3", "PERSON", "Bộ Công an", 0, None),
        tag(RA, "t1", "TASK", "rà soát\nhồ sơ", 0, None),
    ]
}

/// The corpus: a.txt and b.txt with their sidecars, and entities.ron.
fn corpus(tmp: &Path) -> PathBuf {
    let c = tmp.join("corpus");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("entities.ron"), ENTITIES).unwrap();
    let a = c.join("a.txt");
    std::fs::write(&a, RA).unwrap();
    let mut r4 = rel("r4", "IMPLEMENTS", "t1", "d1");
    r4.review = Some(Review {
        verdict: Verdict::Rejected,
        reviewer: "rev".into(),
        time: "2026-11-27T10:00:00Z".into(),
    });
    save(
        &c.join("a.ron"),
        &a,
        RA,
        a_tags(),
        vec![
            rel("r1", "ISSUES", "p1", "d1"),
            rel("r2", "ASSIGNS", "p2", "t1"),
            rel("r3", "ASSIGNEE", "t1", "p3"),
            r4,
        ],
    );
    let b = c.join("b.txt");
    std::fs::write(&b, RB).unwrap();
    // q3's quoted text is not what the article holds: it is left out, and so is s2 with it
    let mut q3 = tag(RB, "q3", "TASK", "được quán triệt", 0, None);
    q3.text = "được triển khai".into();
    save(
        &c.join("b.ron"),
        &b,
        RB,
        vec![
            linked(tag(RB, "q1", "PERSON", "Tô Lâm", 0, None), "person-to-lam"),
            linked(
                tag(RB, "q2", "DIRECTIVE", "Chỉ thị 24-CT/TW", 0, None),
                "directive-ct-24",
            ),
            q3,
            tag(RB, "q4", "PERSON", "Bộ Công an", 0, None),
        ],
        vec![
            rel("s1", "ISSUES", "q1", "q2"),
            rel("s2", "ASSIGNS", "q1", "q3"),
        ],
    );
    c
}

fn gloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .output()
        .expect("gloss runs")
}

fn ok(o: Output) -> (String, String) {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `gloss export DIR -f FORMAT EXTRA…` to standard output: (stdout, stderr).
fn export(dir: &Path, format: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["export", s(dir), "-f", format];
    args.extend_from_slice(extra);
    ok(gloss(&args))
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Code-point offsets of a tag of a.txt.
fn span_of(id: &str) -> (usize, usize) {
    let t = a_tags().into_iter().find(|t| t.id == id).unwrap();
    (t.start, t.end)
}

#[test]
fn relations_left_out_are_named_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (_, err) = export(&c, "jsonl", &[]);
    assert!(
        err.contains(
            "relation ASSIGNS from PERSON “Tô Lâm” to TASK “được triển khai” left out: its tail is not exported"
        ),
        "{err}"
    );
    // a rejected relation is left out silently, as a rejected tag is
    assert!(!err.contains("r4"), "{err}");
    // --labels: the relations to a label not exported are named
    let (out, err) = export(&c, "jsonl", &["--labels", "PERSON,DIRECTIVE"]);
    assert!(
        err.contains(
            "relation ASSIGNS from PERSON “Ông Lâm” to TASK “rà soát hồ sơ” left out: its tail's label is not among the labels exported"
        ),
        "{err}"
    );
    let docs = lines(&out);
    assert_eq!(docs[0]["relations"].as_array().unwrap().len(), 1);
    // --include-rejected keeps the rejected relation
    let (out, _) = export(&c, "jsonl", &["--include-rejected"]);
    let docs = lines(&out);
    let labels: Vec<&str> = docs[0]["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["ISSUES", "ASSIGNS", "ASSIGNEE", "IMPLEMENTS"]);
    assert_eq!(docs[0]["relations"][3]["review"]["verdict"], "rejected");
}

#[test]
fn doccano_relation_layout_field_by_field() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    for (offsets, shift) in [("codepoint", 0), ("utf16", 1)] {
        let (out, _) = export(&c, "doccano-relations", &["--offsets", offsets]);
        let docs = lines(&out);
        assert_eq!(docs.len(), 2);
        let a = &docs[0];
        let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["entities", "id", "meta", "relations", "text"]);
        // in the order doccano documents them
        assert!(
            out.starts_with(r#"{"id":"a.txt","text":"#)
                && out.contains(r#"","entities":[{"id":1,"label":"PERSON","start_offset":"#),
            "{out}"
        );
        assert_eq!(a["id"], "a.txt");
        assert_eq!(a["text"], RA);
        // entities in position order, numbered from 1; the emoji is two UTF-16 units
        let want = [
            ("PERSON", "p1"),
            ("DIRECTIVE", "d1"),
            ("PERSON", "p2"),
            ("PERSON", "p3"),
            ("TASK", "t1"),
        ];
        let ents = a["entities"].as_array().unwrap();
        assert_eq!(ents.len(), want.len());
        for (i, (e, (label, id))) in ents.iter().zip(want).enumerate() {
            let (start, end) = span_of(id);
            let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["end_offset", "id", "label", "start_offset"]);
            assert_eq!(e["id"], i + 1);
            assert_eq!(e["label"], label);
            assert_eq!(e["start_offset"], start + shift, "{offsets} {id}");
            assert_eq!(e["end_offset"], end + shift, "{offsets} {id}");
        }
        // relations by id, rejected r4 left out: ISSUES p1→d1, ASSIGNS p2→t1, ASSIGNEE t1→p3
        let rels = a["relations"].as_array().unwrap();
        let got: Vec<(u64, u64, u64, &str)> = rels
            .iter()
            .map(|r| {
                let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
                assert_eq!(keys, ["from_id", "id", "to_id", "type"]);
                (
                    r["id"].as_u64().unwrap(),
                    r["from_id"].as_u64().unwrap(),
                    r["to_id"].as_u64().unwrap(),
                    r["type"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (1, 1, 2, "ISSUES"),
                (2, 3, 5, "ASSIGNS"),
                (3, 5, 4, "ASSIGNEE")
            ]
        );
        // b.txt: q3 left out (its text does not match), so s2 too
        let b = &docs[1];
        assert_eq!(b["entities"].as_array().unwrap().len(), 3);
        assert_eq!(b["relations"].as_array().unwrap().len(), 1);
        assert_eq!(b["relations"][0]["type"], "ISSUES");
    }
    // the sequence-labelling layout is unchanged: no entities or relations keys
    let (out, _) = export(&c, "doccano", &[]);
    let a = &lines(&out)[0];
    let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["id", "label", "meta", "text"]);
}

#[test]
fn jsonl_spans_carry_entities_and_relations_index_spans() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (out, _) = export(&c, "jsonl", &[]);
    let a = &lines(&out)[0];
    let spans = a["spans"].as_array().unwrap();
    let entities: Vec<Value> = spans.iter().map(|s| s["entity"].clone()).collect();
    assert_eq!(
        entities,
        [
            Value::from("person-to-lam"),
            Value::from("directive-ct-24"),
            Value::from("person-to-lam"),
            Value::from(""),
            Value::from("")
        ]
    );
    let rels = a["relations"].as_array().unwrap();
    assert_eq!(rels.len(), 3);
    let r = &rels[1];
    assert_eq!(r["label"], "ASSIGNS");
    assert_eq!(r["id"], "r2");
    assert_eq!(r["annotator"], "tester");
    assert_eq!(
        r["review"],
        serde_json::json!({"verdict": "", "reviewer": "", "time": 0})
    );
    assert_eq!(spans[r["head"].as_u64().unwrap() as usize]["id"], "p2");
    assert_eq!(spans[r["child"].as_u64().unwrap() as usize]["id"], "t1");
    let (hs, he) = span_of("p2");
    assert_eq!(
        r["head_span"],
        serde_json::json!({"start": hs, "end": he, "label": "PERSON"})
    );
    let (cs, ce) = span_of("t1");
    assert_eq!(
        r["child_span"],
        serde_json::json!({"start": cs, "end": ce, "label": "TASK"})
    );
}

/// One parsed line of a brat `.ann` file.
#[derive(Debug, PartialEq)]
enum AnnLine {
    T {
        id: usize,
        label: String,
        frags: Vec<(usize, usize)>,
        text: String,
    },
    Note {
        target: String,
        text: String,
    },
    R {
        id: usize,
        label: String,
        arg1: usize,
        arg2: usize,
    },
    N {
        id: usize,
        target: usize,
        db: String,
        reference: String,
        name: String,
    },
}

/// A T line's label and fragments.
type TLine<'a> = (&'a str, &'a [(usize, usize)]);

fn number(s: &str, prefix: char) -> usize {
    let n = s
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{s}: not {prefix}N"));
    assert!(
        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
        "{s}"
    );
    n.parse().unwrap()
}

/// brat's standoff syntax, line by line: every line must be one of T, #, R or N, well formed.
fn parse_ann(ann: &str) -> Vec<AnnLine> {
    assert!(ann.is_empty() || ann.ends_with('\n'));
    ann.lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let id = fields[0];
            match id.chars().next() {
                Some('T') => {
                    assert!(fields.len() >= 3, "{line}");
                    let (label, spans) = fields[1].split_once(' ').unwrap();
                    let frags = spans
                        .split(';')
                        .map(|f| {
                            let (a, b) = f.split_once(' ').unwrap();
                            (a.parse().unwrap(), b.parse().unwrap())
                        })
                        .collect();
                    AnnLine::T {
                        id: number(id, 'T'),
                        label: label.into(),
                        frags,
                        text: fields[2..].join("\t"),
                    }
                }
                Some('#') => {
                    assert_eq!(fields.len(), 3, "{line}");
                    let (kind, target) = fields[1].split_once(' ').unwrap();
                    assert_eq!(kind, "AnnotatorNotes");
                    AnnLine::Note {
                        target: target.into(),
                        text: fields[2].into(),
                    }
                }
                Some('R') => {
                    assert_eq!(fields.len(), 2, "{line}");
                    let parts: Vec<&str> = fields[1].split(' ').collect();
                    assert_eq!(parts.len(), 3, "{line}");
                    AnnLine::R {
                        id: number(id, 'R'),
                        label: parts[0].into(),
                        arg1: number(parts[1].strip_prefix("Arg1:").unwrap(), 'T'),
                        arg2: number(parts[2].strip_prefix("Arg2:").unwrap(), 'T'),
                    }
                }
                Some('N') => {
                    assert_eq!(fields.len(), 3, "{line}");
                    let parts: Vec<&str> = fields[1].split(' ').collect();
                    assert_eq!(parts.len(), 3, "{line}");
                    assert_eq!(parts[0], "Reference");
                    let (db, reference) = parts[2].split_once(':').unwrap();
                    AnnLine::N {
                        id: number(id, 'N'),
                        target: number(parts[1], 'T'),
                        db: db.into(),
                        reference: reference.into(),
                        name: fields[2].into(),
                    }
                }
                _ => panic!("not a brat annotation line: {line:?}"),
            }
        })
        .collect()
}

fn brat(c: &Path, tmp: &Path) -> PathBuf {
    let out = tmp.join("brat");
    ok(gloss(&["export", s(c), "-f", "brat", "-o", s(&out)]));
    out
}

#[test]
fn brat_r_and_n_lines_parse_and_point_at_their_tags() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = brat(&c, tmp.path());
    let ann = std::fs::read_to_string(out.join("a.ann")).unwrap();
    let parsed = parse_ann(&ann);
    // T numbers by tag, in order; the task over a line break is one T of two fragments
    let ts: HashMap<usize, TLine> = parsed
        .iter()
        .filter_map(|l| match l {
            AnnLine::T {
                id, label, frags, ..
            } => Some((*id, (label.as_str(), frags.as_slice()))),
            _ => None,
        })
        .collect();
    assert_eq!(ts.len(), 5);
    let (ts_, te) = span_of("t1");
    assert_eq!(ts[&5], ("TASK", &[(ts_, ts_ + 7), (ts_ + 8, te)][..]));
    let rs: Vec<&AnnLine> = parsed
        .iter()
        .filter(|l| matches!(l, AnnLine::R { .. }))
        .collect();
    let r = |id, label: &str, arg1, arg2| AnnLine::R {
        id,
        label: label.into(),
        arg1,
        arg2,
    };
    assert_eq!(
        rs,
        [
            &r(1, "ISSUES", 1, 2),
            &r(2, "ASSIGNS", 3, 5),
            &r(3, "ASSIGNEE", 5, 4)
        ]
    );
    let ns: Vec<&AnnLine> = parsed
        .iter()
        .filter(|l| matches!(l, AnnLine::N { .. }))
        .collect();
    let n = |id, target, reference: &str, name: &str| AnnLine::N {
        id,
        target,
        db: "gloss".into(),
        reference: reference.into(),
        name: name.into(),
    };
    assert_eq!(
        ns,
        [
            &n(1, 1, "person-to-lam", "Tô Lâm"),
            &n(2, 2, "directive-ct-24", "Chỉ thị số 24/CT-TW"),
            &n(3, 3, "person-to-lam", "Tô Lâm"),
        ]
    );
    // each relation's gloss id in a note on it; note ids unique
    let notes: Vec<(&str, &str)> = parsed
        .iter()
        .filter_map(|l| match l {
            AnnLine::Note { target, text } => Some((target.as_str(), text.as_str())),
            _ => None,
        })
        .collect();
    assert!(notes.contains(&("R2", "gloss:r2")), "{notes:?}");
    let note_ids: Vec<&str> = ann
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    let mut unique = note_ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), note_ids.len(), "{note_ids:?}");
    // what brat needs to accept them
    let conf = std::fs::read_to_string(out.join("annotation.conf")).unwrap();
    assert!(
        conf.contains(
            "[relations]\nISSUES Arg1:PERSON, Arg2:DIRECTIVE\nASSIGNS Arg1:PERSON, Arg2:TASK\n"
        ),
        "{conf}"
    );
    // the overlaps gloss allows (any labels nest, share a span or cross), as brat's special
    // relation type declares them, after the relation types
    assert!(
        conf.contains(
            "\n<OVERLAP> Arg1:PERSON|DIRECTIVE|TASK, Arg2:PERSON|DIRECTIVE|TASK, <OVL-TYPE>:<ANY>\n\n[events]"
        ),
        "{conf}"
    );
    let tools = std::fs::read_to_string(out.join("tools.conf")).unwrap();
    assert!(tools.contains("[normalization]\ngloss\t"), "{tools}");
    // b.ann: no R line for s2, whose tail was left out
    let b = parse_ann(&std::fs::read_to_string(out.join("b.ann")).unwrap());
    assert_eq!(
        b.iter().filter(|l| matches!(l, AnnLine::R { .. })).count(),
        1
    );
}

#[test]
fn brat_relations_parse_with_bratly_where_it_is_installed() {
    let probe = Command::new("python3")
        .args(["-c", "import bratly.io"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3 with bratly and bratly-io-fs (pip) is not here");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = brat(&c, tmp.path());
    // bratly's N pattern takes `\w+:\w+` only, where brat takes any identifier: our entity ids have
    // hyphens, so N lines are left to the Rust check above and everything else goes to bratly.
    let script = r#"
import json, sys
from bratly import EntityAnnotation, RelationAnnotation, NoteAnnotation
from bratly.io import parse_ann_file
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    ann = "".join(l for l in f if not l.startswith("N"))
col = parse_ann_file(ann, path, no_duplicates=False, sorting=False, renumerotize=False)
out = {"T": [], "R": [], "notes": 0}
for a in col.annotations:
    if isinstance(a, EntityAnnotation):
        out["T"].append([a.id, a.label, [[f.start, f.end] for f in a.fragments]])
    elif isinstance(a, RelationAnnotation):
        out["R"].append([a.id, a.label, a.argument1[0], a.argument1[1].id, a.argument2[0], a.argument2[1].id])
    elif isinstance(a, NoteAnnotation):
        out["notes"] += 1
print(json.dumps(out))
"#;
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(out.join("a.ann"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8(o.stdout).unwrap();
    let last = said.lines().last().unwrap();
    // bratly prints a line for each one it could not parse: there must be none
    assert_eq!(said.lines().count(), 1, "{said}");
    let v: Value = serde_json::from_str(last).unwrap();
    assert_eq!(v["T"].as_array().unwrap().len(), 5);
    let (ts, te) = span_of("t1");
    assert_eq!(
        v["T"][4],
        serde_json::json!(["T5", "TASK", [[ts, ts + 7], [ts + 8, te]]])
    );
    assert_eq!(
        v["R"],
        serde_json::json!([
            ["R1", "ISSUES", "Arg1", "T1", "Arg2", "T2"],
            ["R2", "ASSIGNS", "Arg1", "T3", "Arg2", "T5"],
            ["R3", "ASSIGNEE", "Arg1", "T5", "Arg2", "T4"],
        ])
    );
    assert_eq!(v["notes"], 8);
}

#[test]
fn graph_nodes_and_edges_deterministic_and_independent_of_article_order() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (first, _) = export(&c, "graph", &[]);
    let (second, _) = export(&c, "graph", &[]);
    assert_eq!(first, second);
    let out = tmp.path().join("g.jsonl");
    ok(gloss(&["export", s(&c), "-f", "graph", "-o", s(&out)]));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
    let got = lines(&first);
    let node = |id: &str,
                label: &str,
                name: &str,
                aliases: &[&str],
                mentions: usize,
                articles: usize| {
        serde_json::json!({"type": "node", "id": id, "label": label, "name": name, "aliases": aliases, "mentions": mentions, "articles": articles})
    };
    let edge = |head: &str, relation: &str, tail: &str, article: &str, ht: &str, tt: &str| serde_json::json!({"type": "edge", "head": head, "relation": relation, "tail": tail, "article": article, "head_tag": ht, "tail_tag": tt});
    assert_eq!(
        got,
        [
            node("PERSON:bo cong an", "PERSON", "Bộ Công an", &[], 2, 2),
            node("TASK:ra soat ho so", "TASK", "rà soát\nhồ sơ", &[], 1, 1),
            node(
                "directive-ct-24",
                "DIRECTIVE",
                "Chỉ thị số 24/CT-TW",
                &[],
                2,
                2
            ),
            node("person-nguyen-van-a", "PERSON", "Nguyễn Văn A", &[], 0, 0),
            node(
                "person-to-lam",
                "PERSON",
                "Tô Lâm",
                &["Bộ trưởng Tô Lâm"],
                3,
                2
            ),
            edge(
                "person-to-lam",
                "ISSUES",
                "directive-ct-24",
                "a.txt",
                "p1",
                "d1"
            ),
            edge(
                "person-to-lam",
                "ASSIGNS",
                "TASK:ra soat ho so",
                "a.txt",
                "p2",
                "t1"
            ),
            edge(
                "TASK:ra soat ho so",
                "ASSIGNEE",
                "PERSON:bo cong an",
                "a.txt",
                "t1",
                "p3"
            ),
            edge(
                "person-to-lam",
                "ISSUES",
                "directive-ct-24",
                "b.txt",
                "q1",
                "q2"
            ),
        ]
    );
    // --labels: the registry's entities of other labels are left out too
    let (limited, _) = export(&c, "graph", &["--labels", "PERSON,TASK"]);
    let limited = lines(&limited);
    let ids: Vec<&str> = limited
        .iter()
        .filter(|v| v["type"] == "node")
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "PERSON:bo cong an",
            "TASK:ra soat ho so",
            "person-nguyen-van-a",
            "person-to-lam"
        ]
    );
    let relations: Vec<&str> = limited
        .iter()
        .filter(|v| v["type"] == "edge")
        .map(|v| v["relation"].as_str().unwrap())
        .collect();
    assert_eq!(relations, ["ASSIGNS", "ASSIGNEE"]);
    // the same records in the other order make the same graph
    let dirs = SidecarDirs::new(&c, None);
    let registry = gloss_core::entity::Registry::load(&c).unwrap();
    let graph = |order: &[&str]| {
        let mut b = gloss_core::formats::graph::GraphBuilder::new(&registry);
        for name in order {
            let mut w = Vec::new();
            let rec = gloss_core::export::Record::load(
                &dirs,
                &c.join(name),
                &gloss_core::export::TagFilter::default(),
                &mut w,
            )
            .unwrap();
            b.add(&rec);
        }
        b.finish()
    };
    assert_eq!(graph(&["a.txt", "b.txt"]), graph(&["b.txt", "a.txt"]));
}

#[test]
fn stats_by_entity_counts_mentions_articles_and_relations() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (out, _) = ok(gloss(&["stats", s(&c), "--by", "entity", "--json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["articles"], 2);
    assert_eq!(v["total_entities"], 5);
    assert_eq!(v["relations"], 4);
    let ents = v["entities"].as_array().unwrap();
    let ids: Vec<&str> = ents.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "person-to-lam",
            "PERSON:bo cong an",
            "directive-ct-24",
            "TASK:ra soat ho so",
            "person-nguyen-van-a"
        ]
    );
    let lam = &ents[0];
    assert_eq!(lam["registered"], true);
    assert_eq!(lam["label"], "PERSON");
    assert_eq!(lam["name"], "Tô Lâm");
    assert_eq!(lam["mentions"], 3);
    assert_eq!(lam["articles"], 2);
    assert_eq!(lam["directives_issued"], 2);
    assert_eq!(lam["tasks_assigned"], 1);
    assert_eq!(lam["pointed_at_by"], serde_json::json!([]));
    let ct = &ents[2];
    assert_eq!(ct["mentions"], 2);
    assert_eq!(ct["directives_issued"], 0);
    assert_eq!(
        ct["pointed_at_by"],
        serde_json::json!([{"relation": "ISSUES", "from": "person-to-lam", "name": "Tô Lâm", "count": 2}])
    );
    assert_eq!(ents[1]["registered"], false);
    assert_eq!(
        ents[3]["pointed_at_by"],
        serde_json::json!([{"relation": "ASSIGNS", "from": "person-to-lam", "name": "Tô Lâm", "count": 1}])
    );
    // the table
    let (table, _) = ok(gloss(&["stats", s(&c), "--by", "entity", "--top", "2"]));
    assert!(
        table.starts_with("2 articles, 5 entities, 4 relations\n"),
        "{table}"
    );
    let lam_line = table
        .lines()
        .find(|l| l.starts_with("person-to-lam"))
        .unwrap();
    let figures: Vec<&str> = lam_line.split_whitespace().rev().take(4).collect();
    assert_eq!(figures, ["1", "2", "2", "3"], "{lam_line}");
    assert!(table.contains("… and 3 more"), "{table}");
    let (table, _) = ok(gloss(&["stats", s(&c), "--by", "entity"]));
    assert!(
        table.contains("    ← ISSUES Tô Lâm (person-to-lam) ×2"),
        "{table}"
    );
}

#[test]
fn export_import_export_keeps_relations_and_links() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    // every format the registry reads back with relations, with each --offsets it takes
    let cases = gloss_core::formats::readable()
        .filter(|f| f.carries.relations)
        .flat_map(|f| f.offsets_choices().map(move |o| (f, o)))
        .collect::<Vec<_>>();
    assert!(!cases.is_empty());
    for (carrier, offsets) in cases {
        let (format, carries) = (carrier.name, carrier.carries);
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
        let mut args = vec!["export", s(&c), "-f", format, "-o", s(&first)];
        args.extend_from_slice(extra);
        ok(gloss(&args));
        let copy = case.join("copy");
        std::fs::create_dir_all(&copy).unwrap();
        for f in ["a.txt", "b.txt", "entities.ron"] {
            std::fs::copy(c.join(f), copy.join(f)).unwrap();
        }
        let mut args = vec!["import", s(&copy), "-f", format, s(&first)];
        args.extend_from_slice(extra);
        let (said, _) = ok(gloss(&args));
        assert!(said.contains("4 relation(s) added"), "{format}: {said}");
        let second = case.join("second");
        let mut args = vec!["export", s(&copy), "-f", format, "-o", s(&second)];
        args.extend_from_slice(extra);
        ok(gloss(&args));
        // (a folder's files, those of its sub-folders too: parquet's data/)
        fn read(p: &Path) -> Vec<(String, Vec<u8>)> {
            if p.is_dir() {
                let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(p)
                    .unwrap()
                    .flatten()
                    .flat_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        read(&e.path())
                            .into_iter()
                            .map(move |(n, b)| (format!("{name}/{n}"), b))
                    })
                    .collect();
                v.sort();
                v
            } else {
                vec![(String::new(), std::fs::read(p).unwrap())]
            }
        }
        assert_eq!(read(&first), read(&second), "{format} {extra:?}");
        let sc = Sidecar::load(&copy.join("a.ron")).unwrap().unwrap();
        assert_eq!(sc.relations.len(), 3, "{format}");
        // ids and entity links come back where the format carries them (jsonl, brat)
        if carries.ids {
            let ids: Vec<&str> = sc.relations.iter().map(|r| r.id.as_str()).collect();
            assert_eq!(ids, ["r1", "r2", "r3"], "{format}");
        }
        if carries.entity_links {
            let p1 = sc.tags.iter().find(|t| t.id == "p1").unwrap();
            assert_eq!(p1.entity.as_deref(), Some("person-to-lam"), "{format}");
        }
    }
}

/// Write one annotator's mirror sidecar of a.txt.
fn annotator(root: &Path, name: &str, tags: Vec<Annotation>, rels: Vec<Relation>) -> PathBuf {
    let tree = root.join("annotations").join(name);
    let dirs = SidecarDirs::new(root, Some(&tree));
    let a = root.join("a.txt");
    save(&dirs.sidecar_of(&a), &a, RA, tags, rels);
    tree
}

#[test]
fn agree_counts_relation_agreement_per_type_and_overall() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("c");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("a.txt"), RA).unwrap();
    let lan = annotator(
        &root,
        "lan",
        a_tags(),
        vec![
            rel("r1", "ISSUES", "p1", "d1"),
            rel("r2", "ASSIGNS", "p2", "t1"),
            rel("r3", "ASSIGNEE", "t1", "p3"),
        ],
    );
    // the other annotator's tags are the same spans under other ids
    let renamed: Vec<Annotation> = a_tags()
        .into_iter()
        .map(|mut t| {
            t.id = format!("x{}", t.id);
            t
        })
        .collect();
    let minh = annotator(
        &root,
        "minh",
        renamed,
        vec![
            rel("m1", "ISSUES", "xp1", "xd1"),     // matches r1
            rel("m2", "ASSIGNS", "xp2", "xt1"),    // matches r2
            rel("m3", "ASSIGNEE", "xt1", "xp2"),   // another tail than r3: no match
            rel("m4", "IMPLEMENTS", "xt1", "xd1"), // lan has none
        ],
    );
    let (out, _) = ok(gloss(&[
        "agree",
        s(&root),
        "--annotations",
        s(&lan),
        "--annotations",
        s(&minh),
        "--json",
    ]));
    let v: Value = serde_json::from_str(&out).unwrap();
    let rel = &v["pairs"][0]["relations"];
    let c = |tp: u64, fp: u64, fn_: u64, p: f64, r: f64, f1: f64| serde_json::json!({"tp": tp, "fp": fp, "fn": fn_, "precision": p, "recall": r, "f1": f1});
    assert_eq!(rel["per_type"]["ISSUES"], c(1, 0, 0, 1.0, 1.0, 1.0));
    assert_eq!(rel["per_type"]["ASSIGNS"], c(1, 0, 0, 1.0, 1.0, 1.0));
    assert_eq!(rel["per_type"]["ASSIGNEE"], c(0, 1, 1, 0.0, 0.0, 0.0));
    assert_eq!(rel["per_type"]["IMPLEMENTS"], c(0, 1, 0, 0.0, 0.0, 0.0));
    // over all: 2 of minh's 4 match, 2 of lan's 3 are found: P 0.5, R 2/3, F1 4/7
    assert_eq!(rel["all"], c(2, 2, 1, 0.5, 0.667, 0.571));
    let (text, _) = ok(gloss(&[
        "agree",
        s(&root),
        "--annotations",
        s(&lan),
        "--annotations",
        s(&minh),
    ]));
    assert!(
        text.contains("relations (type and both spans equal):"),
        "{text}"
    );
    let all = text
        .lines()
        .skip_while(|l| !l.starts_with("relations ("))
        .find(|l| l.trim_start().starts_with("all "))
        .unwrap();
    let figures: Vec<&str> = all.split_whitespace().collect();
    assert_eq!(
        figures,
        ["all", "2", "2", "1", "0.500", "0.667", "0.571"],
        "{text}"
    );
}

#[test]
fn python_reads_the_relations_as_check_exports_does() {
    if !common::python3_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let jsonl = tmp.path().join("x.jsonl");
    ok(gloss(&["export", s(&c), "-f", "jsonl", "-o", s(&jsonl)]));
    let out = brat(&c, tmp.path());
    let (pq, pq_spans) = (tmp.path().join("pq"), tmp.path().join("pq-spans"));
    ok(gloss(&["export", s(&c), "-f", "parquet", "-o", s(&pq)]));
    ok(gloss(&[
        "export",
        s(&c),
        "-f",
        "parquet",
        "-o",
        s(&pq_spans),
        "--rows",
        "spans",
    ]));
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let script = "import sys; sys.path.insert(0, sys.argv[1]); import check_exports as c; \
                  records, n = c.check_jsonl(sys.argv[2]); \
                  p, tools, _ = c.check_parquet(sys.argv[4], sys.argv[5], records); \
                  print(n, c.check_brat(sys.argv[3]), p, len(tools) > 0)";
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(&tests)
        .arg(&jsonl)
        .arg(&out)
        .arg(&pq)
        .arg(&pq_spans)
        .output()
        .unwrap();
    let (said, _) = ok(o);
    // 5 + 3 spans; 5 + 3 T lines (R and N lines checked on the way); the parquet rows (with their
    // relations and links) equal to jsonl's by every Parquet reader installed
    let said = said.lines().last().unwrap_or_default();
    assert!(said == "8 8 8 True" || said == "8 8 8 False", "{said}");
}

/// The summary is said on stderr whether or not it is a terminal; a format with no place for
/// relations says how many were left out, once, not one line each.
#[test]
fn the_summary_is_always_said_and_a_format_without_relations_says_so_once() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (_, err) = export(&c, "jsonl", &[]);
    assert!(err.contains("exported 2 articles"), "{err}");
    assert!(err.contains(" relations"), "{err}");
    let (_, err) = export(&c, "csv", &[]);
    assert!(
        err.contains("no relations (csv has no place for them: the "),
        "{err}"
    );
    assert_eq!(err.matches("has no place").count(), 1, "{err}");
}
