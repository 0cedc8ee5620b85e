//! The exports the field's tools take as they are: `prodigy` (Prodigy's task format, and spaCy's
//! DocBin made from it as the README shows), `graphml` and `node-link` (networkx, Gephi), and
//! `vlsp2018` (inline ENAMEX tags, read back). A corpus of three articles: one in NFC after an
//! emoji (UTF-16 offsets differ from code points) with nested tags, a tag that ends inside a
//! syllable, a tag crossing another, a blank line inside a tag, relations and entity links; one in
//! NFD; one in a sub-folder with `&amp;`, `<` and `>` in its text, sent back for work. Checked
//! field by field here, and by the real tools in `tests/check_exports.py` where Python has them.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::corpus::tag;
use gloss_core::annotation::{Annotation, AnnotationSet, Relation, Review, Status, Verdict};
use gloss_core::store::Sidecar;
use serde_json::Value;

const A: &str = "😀 Bộ trưởng Tô Lâm ký Chỉ thị số 24/CT-TW ngày 1/1.\nÔng Lâm giao Bộ Công an rà soát\n\nhồ sơ.";
const B: &str = "Nguye\u{302}\u{303}n Va\u{306}n Ho\u{300}a tho\u{302}ng ba\u{301}o: ✅ đe\u{302}\u{301}n Ha\u{300} No\u{323}\u{302}i.";
const D: &str = "Công ty AT&amp;T <ENAMEX> & <b> đến Hà Nội.";

const ENTITIES: &str = r#"(
    format: 1,
    entities: [
        (id: "directive-ct-24", label: "DIRECTIVE", name: "Chỉ thị số 24/CT-TW"),
        (id: "person-to-lam", label: "PERSON", name: "Tô Lâm", aliases: ["Bộ trưởng Tô Lâm", "Anh Tô"]),
    ],
)
"#;

/// The labels, so that an import takes them.
const GLOSS_RON: &str = r#"(labels: Some([
    (name: "PERSON", key: 'p', color: "cyan"),
    (name: "DIRECTIVE", key: 'd', color: "yellow"),
    (name: "TASK", key: 't', color: "magenta"),
    (name: "ORGANIZATION", key: 'o', color: "green"),
    (name: "LOCATION", key: 'l', color: "blue"),
    (name: "MISC", key: 'm', color: "red"),
]))"#;

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

fn save(c: &Path, name: &str, text: &str, tags: Vec<Annotation>, rels: Vec<Relation>, st: Status) {
    let article = c.join(name);
    std::fs::create_dir_all(article.parent().unwrap()).unwrap();
    std::fs::write(&article, text).unwrap();
    let mut set = AnnotationSet::new(tags).with_relations(rels);
    set.article.status = st;
    Sidecar::new(&article, text, &set)
        .save(&article.with_extension("ron"))
        .unwrap();
}

/// The corpus: a.txt, b.txt and c/d.txt with their sidecars, and entities.ron.
fn corpus(tmp: &Path) -> PathBuf {
    let c = tmp.join("corpus");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("entities.ron"), ENTITIES).unwrap();
    std::fs::write(c.join("gloss.ron"), GLOSS_RON).unwrap();
    let mut rejected = tag(A, "x1", "PERSON", "Ông Lâm", 0, None);
    rejected.review = Some(Review {
        verdict: Verdict::Rejected,
        reviewer: "rev".into(),
        time: "2026-11-27T10:00:00Z".into(),
    });
    save(
        &c,
        "a.txt",
        A,
        vec![
            linked(
                tag(A, "p0", "PERSON", "Bộ trưởng Tô Lâm", 0, None),
                "person-to-lam",
            ),
            linked(tag(A, "p1", "PERSON", "Tô Lâm", 0, None), "person-to-lam"),
            linked(
                tag(A, "d1", "DIRECTIVE", "Chỉ thị số 24/CT-TW", 0, None),
                "directive-ct-24",
            ),
            // ends inside the syllable "TW"
            tag(A, "m1", "MISC", "CT-T", 0, None),
            tag(A, "g1", "TASK", "giao Bộ", 0, None),
            // crosses g1 ("giao Bộ")
            tag(A, "o1", "ORGANIZATION", "Bộ Công an", 0, None),
            tag(A, "t1", "TASK", "rà soát\n\nhồ sơ", 0, None),
            rejected,
        ],
        vec![
            rel("r1", "ISSUES", "p1", "d1"),
            rel("r2", "ASSIGNS", "p0", "t1"),
            rel("r3", "ASSIGNEE", "t1", "o1"),
            rel("r4", "ASSIGNS", "x1", "t1"),
        ],
        Status::Done,
    );
    save(
        &c,
        "b.txt",
        B,
        vec![
            tag(
                B,
                "q1",
                "PERSON",
                "Nguye\u{302}\u{303}n Va\u{306}n Ho\u{300}a",
                0,
                None,
            ),
            tag(B, "q2", "LOCATION", "Ha\u{300} No\u{323}\u{302}i", 0, None),
        ],
        Vec::new(),
        Status::Reviewed,
    );
    save(
        &c,
        "c/d.txt",
        D,
        vec![
            tag(D, "s1", "ORGANIZATION", "Công ty AT&amp;T", 0, None),
            tag(D, "s2", "ORGANIZATION", "AT&amp;T", 0, None),
            tag(D, "s3", "MISC", "<ENAMEX>", 0, None),
            tag(D, "s4", "LOCATION", "Hà Nội", 0, None),
        ],
        vec![rel("u1", "LOCATED", "s1", "s4")],
        Status::NeedsWork,
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

/// Export `c` in `format` to standard output: (stdout, stderr).
fn export(c: &Path, format: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["export", s(c), "-f", format];
    args.extend_from_slice(extra);
    ok(gloss(&args))
}

/// Python's `text[start:end]`.
fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn by_id(tasks: &[Value]) -> BTreeMap<String, &Value> {
    tasks
        .iter()
        .map(|t| (t["meta"]["id"].as_str().unwrap().to_string(), t))
        .collect()
}

#[test]
fn prodigy_tasks_have_tokens_that_give_the_text_back_and_spans_on_them() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (out, err) = export(&c, "prodigy", &[]);
    let tasks = lines(&out);
    assert_eq!(tasks.len(), 3);
    assert!(out.lines().all(|l| l.starts_with("{\"text\":")), "{out}");
    let texts = [("a.txt", A), ("b.txt", B), ("c/d.txt", D)];
    for (t, (id, text)) in tasks.iter().zip(texts) {
        assert_eq!(t["meta"]["id"], id);
        assert_eq!(t["text"], text);
        // Prodigy's keys, no hashes (db-in computes them)
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["answer", "meta", "relations", "spans", "text", "tokens"]
        );
        let toks = t["tokens"].as_array().unwrap();
        let mut rebuilt = String::new();
        for (i, k) in toks.iter().enumerate() {
            assert_eq!(k["id"], i);
            let (start, end) = (k["start"].as_u64().unwrap(), k["end"].as_u64().unwrap());
            assert_eq!(py_slice(text, start as usize, end as usize), k["text"]);
            rebuilt.push_str(k["text"].as_str().unwrap());
            if k["ws"].as_bool().unwrap() {
                rebuilt.push(' ');
            }
        }
        assert_eq!(rebuilt, text, "{id}: the tokens give the text back");
        for sp in t["spans"].as_array().unwrap() {
            let (ts, te) = (
                sp["token_start"].as_u64().unwrap() as usize,
                sp["token_end"].as_u64().unwrap() as usize,
            );
            assert_eq!(toks[ts]["start"], sp["start"], "{sp}");
            assert_eq!(toks[te]["end"], sp["end"], "{sp}");
            let (a, b) = (sp["start"].as_u64().unwrap(), sp["end"].as_u64().unwrap());
            assert_eq!(py_slice(text, a as usize, b as usize), sp["text"]);
        }
        for r in t["relations"].as_array().unwrap() {
            assert_eq!(r["head"], r["head_span"]["token_end"]);
            assert_eq!(r["child"], r["child_span"]["token_end"]);
            for end in ["head_span", "child_span"] {
                assert!(
                    t["spans"].as_array().unwrap().iter().any(|sp| {
                        ["start", "end", "token_start", "token_end", "label"]
                            .iter()
                            .all(|k| sp[k] == r[end][k])
                    }),
                    "{r}"
                );
            }
        }
    }
    let t = by_id(&tasks);
    // the emoji before everything: code points, not UTF-16 units
    let a = t["a.txt"];
    let p1 = a["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|sp| sp["text"] == "Tô Lâm")
        .unwrap();
    assert_eq!(p1["start"], 12);
    // the blank line inside t1 is a token of its own; the line break before it ends "soát"
    let toks: Vec<&str> = a["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["text"].as_str().unwrap())
        .collect();
    assert!(
        toks.windows(3).any(|w| w == ["soát", "\n\n", "hồ"]),
        "{toks:?}"
    );
    // m1 ends inside "TW": the token is split and the export says so, naming the tag
    assert!(
        toks.windows(4).any(|w| w == ["CT", "-", "T", "W"]),
        "{toks:?}"
    );
    assert!(
        err.contains("a.txt: tag m1 (MISC “CT-T” at ")
            && err.contains("ends inside the token “TW”: the token is split there (“T” and “W”)"),
        "{err}"
    );
    // relations index tokens: ISSUES from "Tô Lâm" (its last token "Lâm") to the directive
    let issues = a["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"] == "ISSUES")
        .unwrap();
    assert_eq!(toks[issues["head"].as_u64().unwrap() as usize], "Lâm");
    assert_eq!(toks[issues["child"].as_u64().unwrap() as usize], "W");
    assert_eq!(a["relations"].as_array().unwrap().len(), 3);
    // NFD: offsets count the combining marks
    let b = t["b.txt"];
    let q2 = &b["spans"][1];
    assert_eq!(q2["text"], "Ha\u{300} No\u{323}\u{302}i");
    assert_eq!(q2["end"].as_u64().unwrap() as usize, B.chars().count() - 1);
    // the answer follows the article's status; meta is strings
    assert_eq!(a["answer"], "accept");
    assert_eq!(b["answer"], "accept");
    assert_eq!(t["c/d.txt"]["answer"], "reject");
    assert_eq!(t["c/d.txt"]["meta"]["status"], "needs-work");
}

#[test]
fn prodigy_leaves_out_a_rejected_tag_and_its_relations_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (out, _) = export(&c, "prodigy", &[]);
    let (with, err) = export(&c, "prodigy", &["--include-rejected"]);
    // the same tasks: a rejected tag has no place in an accepted task
    assert_eq!(out, with);
    assert!(
        err.contains("a.txt: tag x1 (PERSON “Ông Lâm” at ")
            && err.contains("was rejected by a reviewer: left out"),
        "{err}"
    );
    assert!(
        err.contains("a.txt: relation r4 (ASSIGNS) joins a tag left out: left out"),
        "{err}"
    );
}

#[test]
fn graphml_and_node_link_hold_the_graph_with_aliases_joined() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let (graph, _) = export(&c, "graph", &[]);
    let graph = lines(&graph);
    let nodes: Vec<&Value> = graph.iter().filter(|v| v["type"] == "node").collect();
    let edges: Vec<&Value> = graph.iter().filter(|v| v["type"] == "edge").collect();
    assert_eq!(edges.len(), 4);
    let (nl, _) = export(&c, "node-link", &[]);
    assert_eq!(nl.lines().count(), 1);
    let nl: Value = serde_json::from_str(&nl).unwrap();
    assert_eq!(nl["directed"], true);
    assert_eq!(nl["multigraph"], true);
    let nl_nodes = nl["nodes"].as_array().unwrap();
    let nl_edges = nl["edges"].as_array().unwrap();
    assert_eq!(nl_nodes.len(), nodes.len());
    assert_eq!(nl_edges.len(), edges.len());
    for (n, g) in nl_nodes.iter().zip(&nodes) {
        assert_eq!(n["id"], g["id"]);
        assert_eq!(n["label"], g["name"]);
        assert_eq!(n["type"], g["label"]);
        let joined: Vec<&str> = g["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert_eq!(n["aliases"], joined.join("; "));
        assert!(n["registered"].is_boolean());
    }
    let to_lam = nl_nodes
        .iter()
        .find(|n| n["id"] == "person-to-lam")
        .unwrap();
    assert_eq!(to_lam["aliases"], "Bộ trưởng Tô Lâm; Anh Tô");
    assert_eq!(to_lam["mentions"], 2);
    assert_eq!(to_lam["registered"], true);
    for (k, (e, g)) in nl_edges.iter().zip(&edges).enumerate() {
        assert_eq!(e["source"], g["head"]);
        assert_eq!(e["target"], g["tail"]);
        assert_eq!(e["label"], g["relation"]);
        assert_eq!(e["key"], format!("e{k}"));
    }
    let (xml, _) = export(&c, "graphml", &[]);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml "));
    assert_eq!(xml.matches("<node id=").count(), nodes.len());
    assert_eq!(xml.matches("<edge id=").count(), edges.len());
    assert!(xml.contains("<graph id=\"gloss\" edgedefault=\"directed\">"));
    // the text escaped as XML needs: "AT&amp;T" is the article's text, its & escaped once more
    assert!(xml.contains(">Công ty AT&amp;amp;T<"), "{xml}");
    assert!(xml.contains(">&lt;ENAMEX&gt;<"), "{xml}");
    assert!(xml.contains(">Bộ trưởng Tô Lâm; Anh Tô<"), "{xml}");
    // a tag over a line break is a node whose name keeps it
    assert!(xml.contains(">rà soát\n\nhồ sơ<"), "{xml}");
    // deterministic
    assert_eq!(export(&c, "graphml", &[]).0, xml);
}

fn muc(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn vlsp2018_nests_tags_inline_escapes_the_text_and_reads_back_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let first = tmp.path().join("first");
    let (_, err) = ok(gloss(&["export", s(&c), "-f", "vlsp2018", "-o", s(&first)]));
    let a = muc(&first, "a.muc");
    assert!(
        a.starts_with(
            "😀 <ENAMEX TYPE=\"PERSON\">Bộ trưởng <ENAMEX TYPE=\"PERSON\">Tô Lâm</ENAMEX></ENAMEX> ký \
             <ENAMEX TYPE=\"DIRECTIVE\">Chỉ thị số 24/<ENAMEX TYPE=\"MISC\">CT-T</ENAMEX>W</ENAMEX> ngày 1/1.\n\
             Ông Lâm <ENAMEX TYPE=\"TASK\">giao Bộ</ENAMEX> Công an <ENAMEX TYPE=\"TASK\">rà soát\n\nhồ sơ</ENAMEX>."
        ),
        "{a}"
    );
    // o1 ("Bộ Công an") crosses g1 ("giao Bộ"): left out and named
    assert!(
        err.contains("a.txt: tag o1 (ORGANIZATION “Bộ Công an” at ")
            && err.contains("crosses tag g1 (TASK “giao Bộ” at "),
        "{err}"
    );
    assert_eq!(
        muc(&first, "b.muc"),
        "<ENAMEX TYPE=\"PERSON\">Nguye\u{302}\u{303}n Va\u{306}n Ho\u{300}a</ENAMEX> tho\u{302}ng ba\u{301}o: ✅ \
         đe\u{302}\u{301}n <ENAMEX TYPE=\"LOCATION\">Ha\u{300} No\u{323}\u{302}i</ENAMEX>."
    );
    assert_eq!(
        muc(&first, "c/d.muc"),
        "<ENAMEX TYPE=\"ORGANIZATION\">Công ty <ENAMEX TYPE=\"ORGANIZATION\">AT&amp;amp;T</ENAMEX></ENAMEX> \
         <ENAMEX TYPE=\"MISC\">&lt;ENAMEX&gt;</ENAMEX> &amp; &lt;b&gt; đến <ENAMEX TYPE=\"LOCATION\">Hà Nội</ENAMEX>."
    );
    // into an untagged copy, and out again: the same bytes, the same tags at the same offsets
    let copy = tmp.path().join("copy");
    for name in ["a.txt", "b.txt", "c/d.txt", "gloss.ron"] {
        std::fs::create_dir_all(copy.join(name).parent().unwrap()).unwrap();
        std::fs::copy(c.join(name), copy.join(name)).unwrap();
    }
    let (said, _) = ok(gloss(&["import", s(&copy), "-f", "vlsp2018", s(&first)]));
    assert!(said.contains("tag(s) added"), "{said}");
    let second = tmp.path().join("second");
    ok(gloss(&[
        "export",
        s(&copy),
        "-f",
        "vlsp2018",
        "-o",
        s(&second),
    ]));
    for name in ["a.muc", "b.muc", "c/d.muc"] {
        assert_eq!(muc(&first, name), muc(&second, name), "{name}");
    }
    let spans = |dir: &Path, name: &str| -> Vec<(String, usize, usize, String)> {
        let mut v: Vec<_> = Sidecar::load(&dir.join(name).with_extension("ron"))
            .unwrap()
            .unwrap()
            .tags
            .into_iter()
            .filter(|t| !t.is_rejected() && t.id != "o1")
            .map(|t| (t.label, t.start, t.end, t.text))
            .collect();
        v.sort();
        v
    };
    for name in ["a.txt", "b.txt", "c/d.txt"] {
        assert_eq!(spans(&c, name), spans(&copy, name), "{name}");
    }
    // one file read alone, by the name of its article
    let one = tmp.path().join("one");
    std::fs::create_dir_all(&one).unwrap();
    std::fs::copy(c.join("b.txt"), one.join("b.txt")).unwrap();
    std::fs::copy(c.join("gloss.ron"), one.join("gloss.ron")).unwrap();
    let (said, _) = ok(gloss(&[
        "import",
        s(&one),
        "-f",
        "vlsp2018",
        s(&first.join("b.muc")),
    ]));
    assert!(said.contains("2 tag(s) added"), "{said}");
}

#[test]
fn the_readme_shows_the_spacy_conversion_the_check_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let script = std::fs::read_to_string(root.join("tests/check_exports.py")).unwrap();
    let body: Vec<&str> = script
        .lines()
        .skip_while(|l| !l.starts_with("def prodigy_to_docbin("))
        .skip(1)
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("\"\"\"") && !l.ends_with("\"\"\""))
        .filter(|l| !l.starts_with("checks that the README"))
        .collect();
    assert!(body.len() > 10, "{body:?}");
    for line in body {
        assert!(
            readme.lines().any(|r| r.trim() == line),
            "README does not show: {line}"
        );
    }
}

#[test]
fn python_loads_every_tool_format_with_the_real_tools() {
    if !common::python3_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = |name: &str| tmp.path().join(name);
    for (format, name) in [
        ("jsonl", "x.jsonl"),
        ("prodigy", "x.prodigy.jsonl"),
        ("graphml", "x.graphml"),
        ("node-link", "x.node-link.json"),
        ("graph", "x.graph.jsonl"),
        ("vlsp2018", "vlsp"),
    ] {
        ok(gloss(&["export", s(&c), "-f", format, "-o", s(&out(name))]));
    }
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let script = "import sys; sys.path.insert(0, sys.argv[1]); import check_exports as c; \
                  c.check_tools(*sys.argv[2:])";
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(&tests)
        .args(
            [
                "x.jsonl",
                "x.prodigy.jsonl",
                "x.graphml",
                "x.node-link.json",
                "x.graph.jsonl",
                "vlsp",
            ]
            .map(out),
        )
        .output()
        .unwrap();
    let (said, _) = ok(o);
    // 7 + 2 + 4 spans exported (the rejected one is not); prodigy keeps all 13 and 4 relations
    // (r4 joins the rejected tag); vlsp2018 all but the one crossing another
    assert!(
        said.contains("prodigy: 3 tasks, 13 spans, 4 relations; jsonl: 13 spans"),
        "{said}"
    );
    assert!(said.contains("vlsp2018: 3 files, 12 tags"), "{said}");
    assert!(
        said.contains("spacy: DocBin of 3 docs, 13 spans in doc.spans['sc'], ")
            || said.contains("skipped (not installed): spacy"),
        "{said}"
    );
    assert!(
        said.contains("networkx: ") && said.contains(" edges from graphml and node-link")
            || said.contains("skipped (not installed): ") && said.contains("networkx"),
        "{said}"
    );
}
