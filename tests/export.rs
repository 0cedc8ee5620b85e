//! `gloss export` and `gloss stats` on a temp corpus with NFD text, emoji, CJK, overlapping tags, a
//! multi-line tag, notes that need quoting and an article with no tags: golden files per format, and
//! round trips that check every span against the text with Python's `text[start:end]` semantics.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::corpus::{A, corpus, tag, write_article};
use gloss_core::formats::{self, Format};
use gloss_core::store::Sidecar;
use unicode_normalization::UnicodeNormalization;

fn gloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .output()
        .expect("gloss runs")
}

/// `gloss export DIR --format FORMAT -o OUT EXTRA...`
fn export_into(dir: &Path, format: &str, out: &Path, extra: &[&str]) -> Output {
    let (dir, out) = (dir.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["export", dir, "--format", format, "-o", out];
    args.extend_from_slice(extra);
    gloss(&args)
}

fn export(dir: &Path, format: &str) -> String {
    let out = gloss(&["export", dir.to_str().unwrap(), "--format", format]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("GLOSS_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        actual, expected,
        "{name} differs from its golden file (GLOSS_BLESS=1 updates it)"
    );
}

fn py_slice(text: &str, start: usize, end: usize) -> String {
    common::char_slice(text, start, end)
}

#[test]
fn jsonl_matches_golden_and_every_span_slices_its_text() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = export(&c, "jsonl");
    golden("export.jsonl", &out);
    let docs: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 4, "the untagged article is exported too");
    assert_eq!(out.lines().count(), 4);
    assert_eq!(docs[0]["meta"]["year"], 2024);
    assert_eq!(docs[0]["meta"]["month"], 1);
    assert_eq!(docs[0]["meta"]["day"], 0, "date 2024-01 says no day");
    assert_eq!(docs[0]["meta"]["source"], "Báo Tuổi trẻ");
    let mut n = 0;
    for d in &docs {
        let text = d["text"].as_str().unwrap();
        for s in d["spans"].as_array().unwrap() {
            let (st, en) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(py_slice(text, st, en), s["text"].as_str().unwrap());
            n += 1;
        }
    }
    assert_eq!(n, 11);
    let noted = docs[0]["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "a2")
        .unwrap();
    assert_eq!(noted["note"], "Bộ trưởng, \"Bộ Công an\"\nghi chú");
    // every span has every key, so that readers inferring a schema see one type per key
    for d in &docs {
        for sp in d["spans"].as_array().unwrap() {
            let mut keys: Vec<&str> = sp.as_object().unwrap().keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                [
                    "annotator",
                    "comment",
                    "end",
                    "entity",
                    "id",
                    "label",
                    "note",
                    "review",
                    "start",
                    "text"
                ]
            );
        }
    }
    // one JSON type per key whatever the data: no null anywhere, an empty review is an object
    assert!(!out.contains("null"), "{out}");
    assert!(out.contains(
        r#""text":"Tô Lâm","note":"","annotator":"tester","review":{"verdict":"","reviewer":"","time":0},"comment":"","entity":""}"#
    ));
    assert_eq!(docs[0]["spans"][0]["note"], "");
    assert_eq!(docs[0]["spans"][0]["review"]["verdict"], "");
    assert_eq!(docs[0]["spans"][0]["annotator"], "tester");
    assert_eq!(docs[3]["status"], "done");
    assert_eq!(docs[0]["status"], "new");
    let reviewed = &docs[3]["spans"][1];
    assert_eq!(reviewed["id"], "h1");
    assert_eq!(reviewed["review"]["verdict"], "accepted");
    assert_eq!(reviewed["review"]["reviewer"], "rev");
    assert!(reviewed["review"]["time"].as_i64().unwrap() > 1_500_000_000);
    assert_eq!(reviewed["comment"], "đúng người");
    assert_eq!(docs[3]["comment"], "đã soát\nhai dòng");
    assert_eq!(docs[0]["comment"], "");
    // every path has one type across the records, reviewed or not, tagged or not
    let mut types = Vec::new();
    for d in &docs {
        walk_types(d, String::new(), &mut types);
    }
    let paths: std::collections::BTreeSet<&str> = types.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths.len(), types.len(), "{types:?}");
    assert!(paths.contains(".spans[].review.time"), "{types:?}");
    // line and paragraph separators and NEL are escaped: one record, one line, for any line reader
    assert!(!out.contains(['\u{2028}', '\u{2029}', '\u{85}']));
    assert!(out.contains("\\u2028"));
}

/// Every scalar's path (arrays' elements as `[]`) and JSON type in `v`, empty arrays left out.
fn walk_types(v: &serde_json::Value, at: String, out: &mut Vec<(String, &'static str)>) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                walk_types(x, format!("{at}.{k}"), out);
            }
        }
        Value::Array(xs) => {
            for x in xs {
                walk_types(x, format!("{at}[]"), out);
            }
        }
        Value::Null => out.push((at, "null")),
        Value::Bool(_) => out.push((at, "bool")),
        Value::Number(_) => out.push((at, "number")),
        Value::String(_) => out.push((at, "string")),
    }
    out.sort();
    out.dedup();
}

/// `--offsets grapheme`: each label counts extended grapheme clusters, as a doccano project in
/// grapheme mode does, so slicing the text's clusters gives the tag's text (NFD letters with their
/// marks, emoji); the record says so, and `gloss import` reads it back without being told.
#[test]
fn doccano_in_graphemes_slices_clusters_and_reads_back() {
    use unicode_segmentation::UnicodeSegmentation;
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    for format in ["doccano", "doccano-relations"] {
        let out = gloss(&[
            "export",
            c.to_str().unwrap(),
            "-f",
            format,
            "--offsets",
            "grapheme",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = String::from_utf8(out.stdout).unwrap();
        let jsonl = export(&c, "jsonl");
        let mut n = 0;
        let mut differs = 0;
        for (d, j) in out.lines().zip(jsonl.lines()) {
            let d: serde_json::Value = serde_json::from_str(d).unwrap();
            let j: serde_json::Value = serde_json::from_str(j).unwrap();
            assert_eq!(d["meta"]["offsets"], "grapheme");
            let text = d["text"].as_str().unwrap();
            let clusters: Vec<&str> = text.graphemes(true).collect();
            let spans = j["spans"].as_array().unwrap();
            let ends: Vec<(u64, u64)> = if format == "doccano" {
                d["label"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| (l[0].as_u64().unwrap(), l[1].as_u64().unwrap()))
                    .collect()
            } else {
                d["entities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        (
                            e["start_offset"].as_u64().unwrap(),
                            e["end_offset"].as_u64().unwrap(),
                        )
                    })
                    .collect()
            };
            assert_eq!(ends.len(), spans.len());
            for ((s, e), span) in ends.iter().zip(spans) {
                let got: String = clusters[*s as usize..*e as usize].concat();
                assert_eq!(got, span["text"].as_str().unwrap(), "{format} {}", d["id"]);
                if *s != span["start"].as_u64().unwrap() {
                    differs += 1;
                }
                n += 1;
            }
        }
        assert_eq!(n, 11);
        assert!(
            differs > 0,
            "the NFD and emoji articles count fewer clusters than code points"
        );
        // read back as graphemes, from what the record says
        let file = tmp.path().join(format!("{format}.jsonl"));
        std::fs::write(&file, &out).unwrap();
        let said = gloss(&[
            "import",
            c.to_str().unwrap(),
            "-f",
            format,
            file.to_str().unwrap(),
        ]);
        let text = String::from_utf8_lossy(&said.stdout);
        assert!(
            said.status.success(),
            "{}",
            String::from_utf8_lossy(&said.stderr)
        );
        assert!(text.contains(" 0 tag(s) added, 11 already there"), "{text}");
    }
}

/// A doccano export says, once, how many articles have overlapping spans: a doccano project drops
/// them unless "Allow overlapping" is set.
#[test]
fn doccano_says_when_overlapping_spans_need_allow_overlapping() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    for format in ["doccano", "doccano-relations"] {
        let out = gloss(&["export", c.to_str().unwrap(), "-f", format]);
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        // a.txt: the TASK holds the second "Tô Lâm"
        assert_eq!(
            err.matches("Allow overlapping").count(),
            1,
            "{format}: {err}"
        );
        assert!(
            err.contains("1 of 4 articles have overlapping spans (2 spans overlap another)"),
            "{format}: {err}"
        );
    }
    // none where nothing overlaps
    let out = gloss(&[
        "export",
        c.to_str().unwrap(),
        "-f",
        "doccano",
        "--labels",
        "DIRECTIVE,TASK",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("overlapping"), "{err}");
}

#[test]
fn doccano_matches_golden_and_offsets_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = export(&c, "doccano");
    golden("export.doccano.jsonl", &out);
    let points = gloss(&[
        "export",
        c.to_str().unwrap(),
        "--format",
        "doccano",
        "--offsets",
        "codepoint",
    ]);
    assert!(points.status.success());
    let points = String::from_utf8(points.stdout).unwrap();
    let jsonl = export(&c, "jsonl");
    let mut moved = 0;
    for ((d, p), j) in out.lines().zip(points.lines()).zip(jsonl.lines()) {
        let d: serde_json::Value = serde_json::from_str(d).unwrap();
        let p: serde_json::Value = serde_json::from_str(p).unwrap();
        let j: serde_json::Value = serde_json::from_str(j).unwrap();
        assert_eq!(d["text"], j["text"]);
        let text = j["text"].as_str().unwrap();
        // UTF-16 units before code point c: what JavaScript's `text.slice` counts
        let units = |c: u64| -> u64 {
            text.chars()
                .take(c as usize)
                .map(|ch| ch.len_utf16() as u64)
                .sum()
        };
        let labels = d["label"].as_array().unwrap();
        let by_point = p["label"].as_array().unwrap();
        let spans = j["spans"].as_array().unwrap();
        assert_eq!(labels.len(), spans.len());
        for ((l, lp), s) in labels.iter().zip(by_point).zip(spans) {
            let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            assert_eq!(
                (l[0].as_u64(), l[1].as_u64()),
                (Some(units(a)), Some(units(b)))
            );
            assert_eq!((lp[0].as_u64(), lp[1].as_u64()), (Some(a), Some(b)));
            assert_eq!(l[2], s["label"]);
            moved += usize::from(units(a) != a);
        }
    }
    assert!(moved >= 4, "tags after an emoji move in UTF-16: {moved}");
    // the flag is doccano's alone
    let wrong = gloss(&[
        "export",
        c.to_str().unwrap(),
        "-f",
        "jsonl",
        "--offsets",
        "utf16",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
}

#[test]
fn conll_is_valid_iob2_with_the_outermost_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = gloss(&["export", c.to_str().unwrap(), "--format", "conll"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    golden("export.conll", &text);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // the second "Tô Lâm" lies inside the TASK sentence: the longest wins, the PERSON is reported
    // with both tags' ids and offsets
    assert!(
        stderr.contains("a.txt: tag a2 (PERSON “Tô Lâm” at 42..48) overlaps tag a3 (TASK at 38..95), which is longer: left out"),
        "{stderr}"
    );
    // spaCy's `conll_ner` converter splits documents on this exact line, and nothing else
    assert_eq!(text.matches("-DOCSTART-").count(), 4);
    let docs: Vec<&str> = text
        .trim()
        .split("-DOCSTART- -X- O O")
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    assert_eq!(docs.len(), 4);
    let mut prev = "O".to_string();
    for line in text.lines() {
        if line.is_empty() {
            prev = "O".into();
            continue;
        }
        // four columns, whatever splits on white space (Python's split() also splits on U+001C-1F)
        let fields: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
            .collect();
        assert_eq!(fields.len(), 4, "{line:?}");
        let (tok, tag) = (fields[0], fields[3]);
        assert!(!tok.is_empty(), "token {tok:?}");
        if tok == "-DOCSTART-" {
            assert_eq!(line, "-DOCSTART- -X- O O");
            continue;
        }
        assert_eq!((fields[1], fields[2]), ("-X-", "_"));
        if let Some(l) = tag.strip_prefix("I-") {
            assert!(prev.ends_with(l) && prev != "O", "I-{l} after {prev}");
        }
        prev = tag.to_string();
    }
    // the tagged tokens of the NFD person spell the name
    let person: Vec<&str> = text
        .lines()
        .filter(|l| l.ends_with("-PERSON"))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    let joined: String = person.join(" ").nfc().collect();
    assert!(joined.contains("Nguyễn Văn Hòa"), "{joined}");
    // the two-line TASK keeps its tokens in one sentence
    let nfc: String = text.nfc().collect();
    assert!(
        nfc.contains("nguội -X- _ I-TASK\n. -X- _ I-TASK\nÔng -X- _ I-TASK\n"),
        "{text}"
    );
}

#[test]
fn brat_folder_has_text_ann_and_conf() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out_dir = tmp.path().join("brat");
    let out = export_into(&c, "brat", &out_dir, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut listing = String::new();
    let mut names: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for n in names {
        let body = std::fs::read_to_string(out_dir.join(&n)).unwrap();
        listing.push_str(&format!("==> {} <==\n{body}\n", n.to_string_lossy()));
    }
    golden("export.brat.txt", &listing);
    // every T line is one line as brat reads it, and its text is the .txt's slice
    let mut entities = 0;
    for name in ["a", "b_nfd", "d_hostile"] {
        let txt = std::fs::read_to_string(out_dir.join(format!("{name}.txt"))).unwrap();
        let ann = std::fs::read_to_string(out_dir.join(format!("{name}.ann"))).unwrap();
        let (ts, notes) = brat_check(&txt, &ann);
        entities += ts.len();
        // one AnnotatorNotes line per tag, keeping its gloss id
        assert_eq!(notes.len(), ts.len());
        assert!(notes.iter().all(|(_, n)| n.starts_with("gloss:")));
    }
    assert_eq!(entities, 11);
    let a = std::fs::read_to_string(out_dir.join("a.ann")).unwrap();
    assert!(
        a.contains("#3\tAnnotatorNotes T3\tgloss:a2 Bộ trưởng, \"Bộ Công an\" ghi chú"),
        "{a}"
    );
    let d = std::fs::read_to_string(out_dir.join("d_hostile.ann")).unwrap();
    assert!(
        d.contains("PERSON 4 16\tLê\tMinh Hưng\n"),
        "a tab stays a tab: {d}"
    );
    assert!(
        d.contains("TASK 25 33;34 38;39 47\tphải làm ngay hôm nay.\n"),
        "split at U+2028 and NEL: {d}"
    );
    assert!(d.contains("gloss:h2 một hai  ba\n"), "{d}");
    assert!(
        std::fs::read_to_string(out_dir.join("annotation.conf"))
            .unwrap()
            .starts_with("[entities]\nPERSON\nDIRECTIVE\nTASK\n")
    );
    // an existing folder is never written into, unless --force replaces it
    let again = export_into(&c, "brat", &out_dir, &[]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already exists (--force replaces it)")
    );
    std::fs::write(out_dir.join("stray.txt"), "x").unwrap();
    let forced = export_into(&c, "brat", &out_dir, &["--force"]);
    assert!(forced.status.success());
    assert!(!out_dir.join("stray.txt").exists(), "replaced, not merged");
    assert_no_temps(tmp.path());
}

/// Python's `str.splitlines()`: how brat (and most Python line readers) see lines.
fn py_splitlines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if matches!(
            c,
            '\n' | '\r'
                | '\u{b}'
                | '\u{c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        ) {
            out.push(&s[start..i]);
            let mut next = i + c.len_utf8();
            if c == '\r' && it.peek().is_some_and(|&(_, d)| d == '\n') {
                it.next();
                next += 1;
            }
            start = next;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// brat's reading of an `.ann` file against its `.txt`: lines as `str.splitlines()` gives them,
/// `ID<tab>TYPE START END[;START END…]<tab>TEXT` where TEXT is the fragments' slices of the text
/// joined by one space, fragments neither overlapping nor touching. Returns the text-bound
/// annotations (id, label, fragments) and the notes (target, note).
type BratEntity = (String, String, Vec<(usize, usize)>);
fn brat_check(txt: &str, ann: &str) -> (Vec<BratEntity>, Vec<(String, String)>) {
    let (mut ts, mut notes) = (Vec::new(), Vec::new());
    for line in py_splitlines(ann) {
        let (id, rest) = line.split_once('\t').expect("an id and a tab");
        if id.starts_with('T') {
            let (data, text) = rest.split_once('\t').expect("a tab before the text");
            let (label, spans) = data.split_once(' ').unwrap();
            let mut frags: Vec<(usize, usize)> = Vec::new();
            for f in spans.split(';') {
                let (a, b) = f.split_once(' ').unwrap();
                let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
                assert!(a <= b && b <= txt.chars().count(), "{line:?}");
                for &(oa, ob) in &frags {
                    assert!(!(b >= oa && a < ob), "brat: spans overlap in {line:?}");
                }
                frags.push((a, b));
            }
            let reftext: Vec<String> = frags.iter().map(|&(a, b)| py_slice(txt, a, b)).collect();
            assert_eq!(
                reftext.join(" "),
                text,
                "brat: text does not match in {line:?}"
            );
            ts.push((id.to_string(), label.to_string(), frags));
        } else if id.starts_with('#') {
            let (data, note) = rest.split_once('\t').unwrap();
            let (kind, target) = data.split_once(' ').unwrap();
            assert_eq!(kind, "AnnotatorNotes");
            assert!(ts.iter().any(|(t, _, _)| t == target), "{line:?}");
            notes.push((target.to_string(), note.to_string()));
        } else {
            panic!("unexpected line {line:?}");
        }
    }
    (ts, notes)
}

fn assert_no_temps(dir: &Path) {
    let litter: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .map(|e| e.file_name())
        .collect();
    assert!(litter.is_empty(), "{litter:?}");
}

/// A small RFC 4180 reader, to check what the CSV says.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_rows_quote_and_carry_context() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = export(&c, "csv");
    golden("export.csv", &out);
    let rows = parse_csv(&out);
    assert_eq!(
        rows[0],
        [
            "article",
            "id",
            "label",
            "start",
            "end",
            "text",
            "left_context",
            "right_context",
            "annotator",
            "note",
            "categories"
        ]
    );
    assert_eq!(rows.len(), 1 + 11);
    let note_row = rows.iter().find(|r| r[9].starts_with("Bộ trưởng")).unwrap();
    assert_eq!(note_row[9], "Bộ trưởng, \"Bộ Công an\"\nghi chú");
    assert_eq!(note_row[1], "a2", "the tag id");
    for r in &rows[1..] {
        let text = std::fs::read_to_string(c.join(&r[0])).unwrap();
        let (s, e): (usize, usize) = (r[3].parse().unwrap(), r[4].parse().unwrap());
        assert_eq!(py_slice(&text, s, e), r[5]);
        assert_eq!(py_slice(&text, s.saturating_sub(40), s), r[6]);
    }
}

#[test]
fn labels_filter_output_file_and_determinism() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let o = tmp.path().join("out.jsonl");
    let run = || {
        // label names as the TUI's has:person reads them: case does not matter
        let out = export_into(&c, "jsonl", &o, &["--labels", "task,Directive", "--force"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(&o).unwrap()
    };
    let first = run();
    assert_eq!(first, run(), "same corpus, same bytes");
    let s = String::from_utf8(first).unwrap();
    assert!(!s.contains("\"PERSON\""));
    assert_eq!(s.matches("\"label\":\"TASK\"").count(), 3);
    assert_no_temps(tmp.path());
    let bad = gloss(&[
        "export",
        c.to_str().unwrap(),
        "-f",
        "jsonl",
        "--labels",
        "NOPE",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown label \"NOPE\""));
}

#[test]
fn one_output_rule_for_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let existing = out_dir.join("x.out");
    std::fs::write(&existing, "keep me").unwrap();
    let a_folder = out_dir.join("folder");
    std::fs::create_dir(&a_folder).unwrap();
    let missing = out_dir.join("nodir/x.out");
    let (folders, files): (Vec<&Format>, Vec<&Format>) =
        formats::ALL.iter().partition(|f| f.writes_folder());
    assert!(!files.is_empty() && !folders.is_empty());
    for format in files.iter().map(|f| f.name) {
        // an existing file is refused, and named
        let o = export_into(&c, format, &existing, &[]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("x.out: already exists (--force replaces it)"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me");
        // a folder is never replaced by a file, --force or not
        for extra in [&[][..], &["--force"][..]] {
            let o = export_into(&c, format, &a_folder, extra);
            assert_eq!(o.status.code(), Some(1), "{format}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("folder: is a folder"), "{err}");
        }
        // a missing folder: the error names the target, never a temp file
        let o = export_into(&c, format, &missing, &[]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("nodir/x.out") && !err.contains(".tmp-"),
            "{err}"
        );
        // --force replaces the file
        let o = export_into(&c, format, &existing, &["--force"]);
        assert!(o.status.success(), "{format}");
        assert_ne!(std::fs::read_to_string(&existing).unwrap(), "keep me");
        std::fs::write(&existing, "keep me").unwrap();
        assert_no_temps(&out_dir);
    }
    // brat (a format writing a folder): a file where the folder should go is refused, --force or not
    for format in folders.iter().map(|f| f.name) {
        let o = export_into(&c, format, &existing, &["--force"]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("x.out: exists and is not a folder"));
        assert_no_temps(&out_dir);
    }
    // a failing export leaves no temp either
    std::fs::write(c.join("c_untagged.ron"), "(format: 1, tags: [").unwrap();
    for format in formats::ALL.iter().map(|f| f.name) {
        let o = export_into(&c, format, &out_dir.join("new"), &[]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert!(!out_dir.join("new").exists());
        assert_no_temps(&out_dir);
    }
}

#[test]
fn every_subcommand_says_not_a_folder_alike_and_search_without_a_hit_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let file = c.join("a.txt");
    let f = file.to_str().unwrap();
    for args in [
        vec!["export", f, "-f", "jsonl"],
        vec!["suggest", f],
        vec!["stats", f],
        vec!["search", f, "x"],
        vec!["import", f, "-f", "jsonl", f],
        vec![f],
    ] {
        let o = gloss(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(
            err.trim(),
            format!("gloss: {f}: is not a folder"),
            "{args:?}"
        );
    }
    let c = c.to_str().unwrap();
    let hit = gloss(&["search", c, "Tô Lâm"]);
    assert_eq!(hit.status.code(), Some(0));
    let none = gloss(&["search", c, "không có đâu"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(none.stdout.is_empty() && none.stderr.is_empty());
    let counted = gloss(&["search", c, "không có đâu", "--count"]);
    assert_eq!(counted.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&counted.stdout), "0\n");
    let usage = gloss(&["search"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn broken_sidecar_fails_the_export_unless_keep_going() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    std::fs::write(c.join("c_untagged.ron"), "(format: 1, tags: [").unwrap();
    let o = tmp.path().join("out.jsonl");
    let out = export_into(&c, "jsonl", &o, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("c_untagged.ron:1:"), "{err}");
    assert!(!o.exists(), "nothing written to -o");
    assert_no_temps(tmp.path());
    assert!(
        std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().contains(".tmp-"))
    );
    let out = export_into(&c, "jsonl", &o, &["--keep-going"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipped:"));
    assert_eq!(std::fs::read_to_string(&o).unwrap().lines().count(), 3);
}

/// Every span of a jsonl export, checked against its record's text with Python's `text[start:end]`.
fn assert_spans_match(jsonl: &str) -> usize {
    let mut n = 0;
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
        for sp in v["spans"].as_array().unwrap() {
            let (a, b) = (
                sp["start"].as_u64().unwrap() as usize,
                sp["end"].as_u64().unwrap() as usize,
            );
            let slice: String = text[a..b].iter().collect();
            assert_eq!(slice, sp["text"].as_str().unwrap(), "{line}");
            n += 1;
        }
    }
    n
}

#[test]
fn changed_article_exports_tags_found_again_at_their_new_offsets() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    // Insert text before everything: every offset shifts; the tags are found again by their text
    // and context, exported at the new offsets and counted on stderr.
    let shifted = format!("MỚI {A}");
    std::fs::write(c.join("a.txt"), &shifted).unwrap();
    let out = gloss(&["export", c.to_str().unwrap(), "-f", "jsonl"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.txt: 6 tag(s) found again after the article changed"),
        "{err}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(assert_spans_match(&stdout), 11);
    let first: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["spans"][0]["start"], 4 + 18);
    // A tag whose text is gone is left out and named.
    std::fs::write(c.join("a.txt"), shifted.replace("中文字", "chữ")).unwrap();
    let out = gloss(&["export", c.to_str().unwrap(), "-f", "jsonl"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tag a6 (DIRECTIVE “中文字”"), "{err}");
    assert!(err.contains("is orphaned"), "{err}");
    assert_eq!(
        assert_spans_match(&String::from_utf8(out.stdout).unwrap()),
        10
    );
}

#[test]
fn suggest_and_tag_all_after_an_edit_never_export_wrong_offsets() {
    // The issue's repro: tag, edit the article, run `gloss suggest`, export. `suggest` used to stamp
    // the new hash over the old offsets, and export then wrote `mới: Ô` as “Tô Lâm”.
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    let text = "Ông Tô Lâm nói.";
    write_article(
        &c,
        "a.txt",
        text,
        vec![tag(text, "t1", "PERSON", "Tô Lâm", 0, None)],
    );
    std::fs::write(c.join("a.txt"), format!("Tin mới: {text}")).unwrap();
    let out = gloss(&["suggest", c.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sc = Sidecar::load(&c.join("a.ron")).unwrap().unwrap();
    assert_eq!(
        (sc.tags[0].start, sc.tags[0].end),
        (13, 19),
        "re-anchored before saving"
    );
    for format in formats::ALL.iter().map(|f| f.name) {
        let o = tmp.path().join(format!("out.{format}"));
        let out = export_into(&c, format, &o, &[]);
        assert!(out.status.success(), "{format}");
    }
    let jsonl = std::fs::read_to_string(tmp.path().join("out.jsonl")).unwrap();
    assert_eq!(assert_spans_match(&jsonl), 1);
    assert!(
        jsonl.contains(r#""start":13,"end":19,"label":"PERSON","text":"Tô Lâm""#),
        "{jsonl}"
    );
    let ann = std::fs::read_to_string(tmp.path().join("out.brat/a.ann")).unwrap();
    assert!(
        ann.contains("PERSON 13 19\tTô Lâm") || ann.contains("PERSON 13 19	Tô Lâm"),
        "{ann}"
    );
}

#[test]
fn stats_table_and_json_group_people_across_forms() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let out = gloss(&["stats", c.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["articles"], 4);
    assert_eq!(s["tagged_articles"], 3);
    assert_eq!(s["tags_per_label"]["PERSON"], 7);
    let people = s["top_people"].as_array().unwrap();
    let mentions = |name: &str| {
        people
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["mentions"].as_u64().unwrap())
    };
    assert_eq!(mentions("Tô Lâm"), Some(2));
    // "Hòa" and "Hoà" differ only in where the tone mark sits: one person, as the gazetteer,
    // tag-all and search see it; the NFD "Nguyễn Văn Hòa" is another.
    assert_eq!(mentions("Hoà").or(mentions("Hòa")), Some(2));
    assert!(mentions("Hòa").is_none() || mentions("Hoà").is_none());
    assert_eq!(mentions("Nguyễn Văn Hòa"), Some(1));
    let table = gloss(&["stats", c.to_str().unwrap()]);
    let t = String::from_utf8(table.stdout).unwrap();
    assert!(t.contains("articles                 4"), "{t}");
    assert!(t.contains("Tô Lâm"));
}

#[test]
fn python_reads_every_export_as_the_real_tools_do() {
    // Python is what spaCy, doccano's back end and brat run on: check with the real thing where it
    // is installed (only its standard library is needed).
    if !common::python3_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let jsonl = tmp.path().join("x.jsonl");
    let doccano = tmp.path().join("x.doccano.jsonl");
    let brat = tmp.path().join("brat");
    let conll = tmp.path().join("x.conll");
    for (f, o) in [
        ("jsonl", &jsonl),
        ("doccano", &doccano),
        ("brat", &brat),
        ("conll", &conll),
    ] {
        assert!(export_into(&c, f, o, &[]).status.success());
    }
    let parquet = tmp.path().join("parquet");
    let parquet_spans = tmp.path().join("parquet-spans");
    assert!(export_into(&c, "parquet", &parquet, &[]).status.success());
    let rows = ["--rows", "spans", "--shard-rows", "4"];
    assert!(
        export_into(&c, "parquet", &parquet_spans, &rows)
            .status
            .success()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check_exports.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&jsonl)
        .arg(&doccano)
        .arg(&brat)
        .arg(&conll)
        .arg(&parquet)
        .arg(&parquet_spans)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "checked 11 jsonl spans, 11 doccano labels, 11 brat entities, 4 conll documents"
        ),
        "{said}"
    );
    // the Parquet folders are loaded by the tools that are installed, and the others are named
    assert!(
        said.contains("checked 11 parquet spans (rows of articles and of spans) with "),
        "{said}"
    );
    let checked = said.lines().find(|l| l.contains("parquet spans")).unwrap();
    let skipped = said.lines().find(|l| l.ends_with(" on parquet"));
    for tool in ["pyarrow", "datasets", "pandas", "polars", "duckdb"] {
        assert!(
            checked.contains(tool) || skipped.is_some_and(|l| l.contains(tool)),
            "{tool}: {said}"
        );
    }
    // the readers that infer a schema load a large file of these records, or are said to be missing
    assert!(
        said.contains("a jsonl over 10 MiB, reviews first and last, loaded by")
            || said.contains("skipped (not installed)"),
        "{said}"
    );
}

#[test]
fn many_articles_export_in_corpus_order_and_a_broken_one_stops_or_is_skipped() {
    // more articles than the readers may run ahead of the writer, in nested folders: the records
    // come out in the corpus's path order whatever thread read them
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    let mut want = Vec::new();
    for (d, folder) in ["b", "a/z", "a", ""].iter().enumerate() {
        let dir = c.join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..250 {
            let name = format!("{:03}.txt", (i * 7 + d) % 1000);
            std::fs::write(
                dir.join(&name),
                format!("Bài {folder} {i}\n\nnội dung {i}\n"),
            )
            .unwrap();
            let id = if folder.is_empty() {
                name
            } else {
                format!("{folder}/{name}")
            };
            want.push(id);
        }
    }
    // ordered as paths are (by component)
    want.sort_by(|a, b| {
        let split = |s: &String| s.split('/').map(str::to_string).collect::<Vec<_>>();
        split(a).cmp(&split(b))
    });
    let ids = |jsonl: &str| -> Vec<String> {
        jsonl
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["id"].as_str().unwrap().to_string()
            })
            .collect()
    };
    assert_eq!(ids(&export(&c, "jsonl")), want);
    // a broken sidecar in the middle: the export stops, writing nothing to -o; with --keep-going
    // every other article comes out, still in order
    let broken = &want[600];
    std::fs::write(c.join(broken).with_extension("ron"), "(format: 1, tags: [").unwrap();
    let o = tmp.path().join("out.jsonl");
    let out = export_into(&c, "jsonl", &o, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!o.exists(), "nothing written to -o");
    let out = export_into(&c, "jsonl", &o, &["--keep-going"]);
    assert!(out.status.success());
    let mut rest = want.clone();
    rest.remove(600);
    assert_eq!(ids(&std::fs::read_to_string(&o).unwrap()), rest);
}

/// `-o -`, a device and a FIFO are written to in place, never replaced by a file; temps left by a
/// killed export are removed by a later one once old.
#[cfg(unix)]
#[test]
fn a_device_or_a_fifo_is_written_to_and_stdout_is_a_dash() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let jsonl = export(&c, "jsonl");
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    // `-` is standard output, never a file named `-`
    let o = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["export", c.to_str().unwrap(), "-f", "jsonl", "-o", "-"])
        .current_dir(&out_dir)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout), jsonl);
    assert!(!out_dir.join("-").exists());
    // a device (one made here when the test may, else the machine's own /dev/null), reached
    // directly and through a link, with and without --force: written to, still a device
    let made = out_dir.join("null");
    let name = std::ffi::CString::new(made.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a NUL-terminated path that outlives the call; makes the device /dev/null is (1, 3).
    let device =
        if unsafe { libc::mknod(name.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) } == 0 {
            made
        } else {
            std::path::PathBuf::from("/dev/null")
        };
    let link = out_dir.join("link");
    std::os::unix::fs::symlink(&device, &link).unwrap();
    for target in [&device, &link] {
        for extra in [&[][..], &["--force"][..]] {
            let o = export_into(&c, "csv", target, extra);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let meta = std::fs::metadata(&device).unwrap();
            assert!(meta.file_type().is_char_device(), "{target:?} {extra:?}");
        }
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // a FIFO with a reader gets the same bytes as standard output; one nobody reads is refused
    let fifo = out_dir.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let o = export_into(&c, "jsonl", &fifo, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(reader.join().unwrap(), jsonl);
    let o = export_into(&c, "jsonl", &fifo, &["--force"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("fifo") && err.contains("nobody reads"),
        "{err}"
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // a folder format to standard output is refused, naming what to do
    let o = gloss(&["export", c.to_str().unwrap(), "-f", "brat", "-o", "-"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("-o DIR"));
    // temps of exports killed an hour ago (a file, and a brat folder) go; a fresh one stays
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let old_file = out_dir.join(".x.jsonl.tmp-1-0");
    std::fs::write(&old_file, "half").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&old_file)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let old_folder = out_dir.join(".b.tmp-1-0");
    std::fs::create_dir(&old_folder).unwrap();
    std::fs::write(old_folder.join("a.ann"), "T1").unwrap();
    std::fs::File::open(&old_folder)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let fresh = out_dir.join(".x.jsonl.tmp-999999999-0");
    std::fs::write(&fresh, "live").unwrap();
    assert!(
        export_into(&c, "jsonl", &out_dir.join("x.jsonl"), &[])
            .status
            .success()
    );
    assert!(
        export_into(&c, "brat", &out_dir.join("b"), &[])
            .status
            .success()
    );
    assert!(!old_file.exists() && !old_folder.exists());
    assert!(fresh.exists(), "a temp a live export may be writing stays");
}

/// Every file below `p` (or `p` itself), as text, in path order.
fn all_text(p: &Path) -> String {
    if p.is_dir() {
        let mut names: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        names.sort();
        names.iter().map(|n| all_text(n)).collect()
    } else if p.extension().is_some_and(|e| e == "parquet") {
        parquet_strings(p)
    } else {
        std::fs::read_to_string(p).unwrap()
    }
}

/// Every string of a Parquet file (each column's values, nested ones too), a line each, as its
/// Arrow reader gives them.
fn parquet_strings(p: &Path) -> String {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    fn walk(a: &dyn Array, out: &mut String) {
        match a.data_type() {
            arrow_schema::DataType::Utf8 => {
                for v in a.as_string::<i32>().iter().flatten() {
                    out.push_str(v);
                    out.push('\n');
                }
            }
            arrow_schema::DataType::Struct(_) => {
                for c in a.as_struct().columns() {
                    walk(c, out);
                }
            }
            arrow_schema::DataType::List(_) => walk(a.as_list::<i32>().values(), out),
            _ => {}
        }
    }
    let file = std::fs::File::open(p).unwrap();
    let reader =
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let mut out = String::new();
    for batch in reader.build().unwrap() {
        for c in batch.unwrap().columns() {
            walk(c, &mut out);
        }
    }
    assert!(!out.is_empty(), "{}: no strings", p.display());
    out
}

/// `--normalize nfc` on every format: everything written is NFC (the NFD article's text, tags'
/// texts, CoNLL's tokens, brat's `.txt`, csv's contexts), and the offsets are the NFC text's: code
/// points in jsonl, UTF-16 units in doccano. Without it the NFD article stays NFD.
#[test]
fn normalize_nfc_writes_every_format_in_nfc_with_offsets_into_the_nfc_text() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    for f in formats::ALL {
        let plain = tmp.path().join(format!("{}.plain", f.name));
        let nfc = tmp.path().join(format!("{}.nfc", f.name));
        assert!(export_into(&c, f.name, &plain, &[]).status.success());
        // the form's name in any case, as clap's other values
        let o = export_into(&c, f.name, &nfc, &["--normalize", "NFC"]);
        assert!(
            o.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let (plain, nfc) = (all_text(&plain), all_text(&nfc));
        assert!(
            unicode_normalization::is_nfc(&nfc),
            "{f}: not NFC: {:?}",
            nfc.chars()
                .find(|&c| unicode_normalization::char::is_combining_mark(c))
        );
        // the graph formats write node names in NFC whatever the form (one node per name)
        if !["graph", "graphml", "node-link"].contains(&f.name) {
            assert!(
                !unicode_normalization::is_nfc(&plain),
                "{f}: the NFD article"
            );
        }
    }
    // offsets: code points of the NFC text in jsonl, UTF-16 units of it in doccano
    let out = gloss(&[
        "export",
        c.to_str().unwrap(),
        "-f",
        "jsonl",
        "--normalize",
        "nfc",
    ]);
    let jsonl = String::from_utf8(out.stdout).unwrap();
    let out = gloss(&[
        "export",
        c.to_str().unwrap(),
        "-f",
        "doccano",
        "--normalize",
        "nfc",
    ]);
    let doccano = String::from_utf8(out.stdout).unwrap();
    let mut n = 0;
    for (j, d) in jsonl.lines().zip(doccano.lines()) {
        let j: serde_json::Value = serde_json::from_str(j).unwrap();
        let d: serde_json::Value = serde_json::from_str(d).unwrap();
        let text = j["text"].as_str().unwrap();
        assert_eq!(d["text"], j["text"]);
        let units: Vec<u16> = text.encode_utf16().collect();
        for (s, l) in j["spans"]
            .as_array()
            .unwrap()
            .iter()
            .zip(d["label"].as_array().unwrap())
        {
            let want = s["text"].as_str().unwrap();
            let (st, en) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            assert_eq!(py_slice(text, st as usize, en as usize), want);
            let (us, ue) = (
                l[0].as_u64().unwrap() as usize,
                l[1].as_u64().unwrap() as usize,
            );
            assert_eq!(String::from_utf16(&units[us..ue]).unwrap(), want);
            n += 1;
        }
    }
    assert_eq!(n, 11);
    let b = jsonl.lines().nth(1).unwrap();
    let b: serde_json::Value = serde_json::from_str(b).unwrap();
    assert_eq!(b["id"], "b_nfd.txt");
    assert_eq!(b["spans"][1]["text"], "Nguyễn Văn Hòa");
    assert_eq!(b["spans"][1]["start"], 27);
}
