//! `gloss export --format parquet`, read back with the parquet crate's own Arrow reader: every
//! row equals the jsonl record of the same article field for field (one row per article), or the
//! span it stands for (`--rows spans`); every span's text is the article text at its offsets (code
//! points, UTF-16 units under `--offsets utf16`, of the NFC text under `--normalize nfc`); shards
//! are named and filled as the Hugging Face Hub expects, beside a dataset card whose features are
//! the files' schema; the options are refused where they do not apply.

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Fields};
use common::char_slice;
use common::corpus::{corpus, tag};
use gloss_core::annotation::{AnnotationSet, Relation, Review, Verdict};
use gloss_core::store::Sidecar;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::{Map, Value, json};
use unicode_normalization::UnicodeNormalization;

const E: &str = "😀 Bộ trưởng Tô Lâm ký Chỉ thị số 24.\nÔng Lâm giao Bộ Công an rà soát.";

const ENTITIES: &str = r#"(
    format: 1,
    entities: [
        (id: "directive-ct-24", label: "DIRECTIVE", name: "Chỉ thị số 24/CT-TW"),
        (id: "person-to-lam", label: "PERSON", name: "Tô Lâm"),
    ],
)
"#;

/// The export test corpus (NFD, emoji, CJK, overlaps, reviews, comments, an untagged article) and
/// one more article with entity links and relations, one of them reviewed.
fn tagged_corpus(tmp: &Path) -> PathBuf {
    let c = corpus(tmp);
    std::fs::write(c.join("entities.ron"), ENTITIES).unwrap();
    let mut p1 = tag(E, "p1", "PERSON", "Tô Lâm", 0, None);
    p1.entity = Some("person-to-lam".into());
    let mut d1 = tag(E, "d1", "DIRECTIVE", "Chỉ thị số 24", 0, None);
    d1.entity = Some("directive-ct-24".into());
    let tags = vec![
        p1,
        d1,
        tag(E, "p2", "PERSON", "Ông Lâm", 0, None),
        tag(E, "t1", "TASK", "rà soát", 0, None),
    ];
    let rel = |id: &str, label: &str, head: &str, tail: &str| {
        let mut r = Relation::new(label, head, tail, "tester");
        r.id = id.into();
        r.created = "2026-11-27T09:00:00Z".into();
        r
    };
    let mut r2 = rel("r2", "ASSIGNS", "p2", "t1");
    r2.review = Some(Review {
        verdict: Verdict::Accepted,
        reviewer: "rev".into(),
        time: "2026-11-27T10:00:00Z".into(),
    });
    let a = c.join("e_relations.txt");
    std::fs::write(&a, E).unwrap();
    Sidecar::new(
        &a,
        E,
        &AnnotationSet::new(tags).with_relations(vec![
            rel("r1", "ISSUES", "p1", "d1"),
            r2,
            rel("r3", "ISSUES", "p1", "t1"),
        ]),
    )
    .save(&c.join("e_relations.ron"))
    .unwrap();
    c
}

fn gloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .output()
        .expect("gloss runs")
}

fn ok(o: Output) -> (Vec<u8>, String) {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.stdout, String::from_utf8(o.stderr).unwrap())
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `gloss export DIR -f parquet -o OUT EXTRA…`, which must succeed; its stderr.
fn export_parquet(c: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["export", s(c), "-f", "parquet", "-o", s(out)];
    args.extend_from_slice(extra);
    ok(gloss(&args)).1
}

/// The jsonl export's records, in order.
fn jsonl(c: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["export", s(c), "-f", "jsonl"];
    args.extend_from_slice(extra);
    let out = String::from_utf8(ok(gloss(&args)).0).unwrap();
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The files of `data/`, sorted by name.
fn shards(out: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(out.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Every batch of one Parquet file, with its key-value metadata.
fn read_file(path: &Path) -> (Vec<RecordBatch>, Vec<(String, String)>) {
    let b = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let kv = b
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let batches = b.build().unwrap().map(|r| r.unwrap()).collect();
    (batches, kv)
}

/// A value of an Arrow column as JSON: strings, 64-bit integers, structs and lists of structs (the
/// only types gloss writes: anything else fails the test).
fn json_of(col: &dyn Array, row: usize) -> Value {
    assert!(!col.is_null(row), "a null in a {} column", col.data_type());
    match col.data_type() {
        DataType::Utf8 => Value::String(col.as_string::<i32>().value(row).to_string()),
        DataType::Int64 => json!(col.as_primitive::<Int64Type>().value(row)),
        DataType::Struct(fields) => object(fields, col.as_struct().columns(), row),
        DataType::List(_) => {
            let items = col.as_list::<i32>().value(row);
            Value::Array((0..items.len()).map(|i| json_of(&items, i)).collect())
        }
        other => panic!("a column of {other}: gloss writes strings, int64, structs and lists"),
    }
}

fn object(fields: &Fields, columns: &[std::sync::Arc<dyn Array>], row: usize) -> Value {
    let mut m = Map::new();
    for (f, c) in fields.iter().zip(columns) {
        m.insert(f.name().clone(), json_of(c, row));
    }
    Value::Object(m)
}

/// Every row of every shard of `out`, in order, as JSON objects.
fn rows(out: &Path) -> Vec<Value> {
    let mut v = Vec::new();
    for path in shards(out) {
        for b in read_file(&path).0 {
            let fields = b.schema().fields().clone();
            for r in 0..b.num_rows() {
                v.push(object(&fields, b.columns(), r));
            }
        }
    }
    v
}

/// The top-level column names of the dataset card's `dataset_info.features`, in order.
fn card_columns(card: &str) -> Vec<String> {
    let front = card
        .strip_prefix("---\n")
        .and_then(|r| r.split_once("\n---\n"))
        .expect("YAML front matter")
        .0;
    front
        .lines()
        .skip_while(|l| *l != "  features:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.strip_prefix("  - name: "))
        .map(String::from)
        .collect()
}

#[test]
fn every_article_row_is_its_jsonl_record_and_every_span_slices_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tagged_corpus(tmp.path());
    let out = tmp.path().join("pq");
    let err = export_parquet(&c, &out, &[]);
    let want = jsonl(&c, &[]);
    assert!(
        err.contains(&format!(
            "exported {} articles, 15 tags, 3 relations",
            want.len()
        )),
        "{err}"
    );
    let got = rows(&out);
    assert_eq!(got.len(), want.len());
    let mut spans = 0;
    let mut relations = 0;
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "the row of {} differs from its jsonl record", w["id"]);
        let text = g["text"].as_str().unwrap();
        for sp in g["spans"].as_array().unwrap() {
            let (a, b) = (sp["start"].as_u64().unwrap(), sp["end"].as_u64().unwrap());
            assert_eq!(char_slice(text, a as usize, b as usize), sp["text"], "{sp}");
            spans += 1;
        }
        for r in g["relations"].as_array().unwrap() {
            let head = &g["spans"][r["head"].as_u64().unwrap() as usize];
            assert_eq!(r["head_span"]["start"], head["start"]);
            assert_eq!(r["head_span"]["label"], head["label"]);
            relations += 1;
        }
    }
    assert_eq!((spans, relations), (15, 3));
    // what the test corpus holds reaches the file: links, a reviewed relation, comments
    let e = got.iter().find(|r| r["id"] == "e_relations.txt").unwrap();
    assert_eq!(e["spans"][0]["entity"], "person-to-lam");
    assert_eq!(e["relations"][1]["review"]["verdict"], "accepted");
    assert_eq!(e["relations"][1]["review"]["time"], 1_795_773_600);
    let d = got.iter().find(|r| r["id"] == "d_hostile.txt").unwrap();
    assert_eq!(d["comment"], "đã soát\nhai dòng");
    assert_eq!(d["status"], "done");
    let h1 = d["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "h1")
        .unwrap();
    assert_eq!(h1["comment"], "đúng người");
    // one file, named as the Hub names a split's only shard; its metadata says what it holds
    let files = shards(&out);
    assert_eq!(files, [out.join("data/train-00000-of-00001.parquet")]);
    let (_, kv) = read_file(&files[0]);
    assert!(
        kv.contains(&("gloss.rows".into(), "articles".into())),
        "{kv:?}"
    );
    assert!(
        kv.contains(&("gloss.offsets".into(), "codepoint".into())),
        "{kv:?}"
    );
    // nothing else in the folder but the card
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["README.md", "data"]);
}

#[test]
fn the_dataset_card_names_the_shards_and_lists_the_files_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tagged_corpus(tmp.path());
    for rows_of in ["articles", "spans"] {
        let out = tmp.path().join(format!("pq-{rows_of}"));
        export_parquet(&c, &out, &["--rows", rows_of]);
        let card = std::fs::read_to_string(out.join("README.md")).unwrap();
        assert!(
            card.starts_with("---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n"),
            "{card}"
        );
        let (batches, _) = read_file(&shards(&out)[0]);
        let schema = batches[0].schema();
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(card_columns(&card), names, "{card}");
        // every nested field is typed in the card as in the file
        for f in schema.fields() {
            if let DataType::List(item) = f.data_type() {
                let DataType::Struct(inner) = item.data_type() else {
                    panic!("{f:?}")
                };
                for g in inner {
                    assert!(card.contains(&format!("- name: {}\n", g.name())), "{g:?}");
                }
            }
        }
        assert!(!card.contains("dtype: null"), "{card}");
        assert!(
            card.contains(&format!("one row per {}", &rows_of[..rows_of.len() - 1])),
            "{card}"
        );
        assert!(card.contains("`PERSON`"), "{card}");
    }
}

#[test]
fn rows_spans_gives_one_row_per_span_with_the_relations_it_heads() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tagged_corpus(tmp.path());
    let out = tmp.path().join("pq");
    let err = export_parquet(&c, &out, &["--rows", "SPANS"]);
    assert!(
        err.contains("exported 5 articles, 15 tags, 3 relations"),
        "{err}"
    );
    let got = rows(&out);
    let want = jsonl(&c, &[]);
    let mut expected = Vec::new();
    for d in &want {
        for (k, sp) in d["spans"].as_array().unwrap().iter().enumerate() {
            let mut row = Map::new();
            row.insert("article".into(), d["id"].clone());
            row.insert("status".into(), d["status"].clone());
            row.insert("index".into(), json!(k));
            for (key, v) in sp.as_object().unwrap() {
                row.insert(key.clone(), v.clone());
            }
            let heads: Vec<Value> = d["relations"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["head"] == json!(k))
                .map(|r| {
                    let mut r = r.as_object().unwrap().clone();
                    r.remove("head");
                    r.remove("head_span");
                    Value::Object(r)
                })
                .collect();
            row.insert("relations".into(), Value::Array(heads));
            expected.push(Value::Object(row));
        }
    }
    assert_eq!(got.len(), 15);
    assert_eq!(got, expected);
    // each row's span is the article's text at its offsets
    for r in &got {
        let d = want.iter().find(|d| d["id"] == r["article"]).unwrap();
        let text = d["text"].as_str().unwrap();
        let (a, b) = (r["start"].as_u64().unwrap(), r["end"].as_u64().unwrap());
        assert_eq!(char_slice(text, a as usize, b as usize), r["text"]);
    }
    let (_, kv) = read_file(&shards(&out)[0]);
    assert!(
        kv.contains(&("gloss.rows".into(), "spans".into())),
        "{kv:?}"
    );
}

#[test]
fn shard_rows_splits_the_rows_into_files_named_as_the_hub_expects() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tagged_corpus(tmp.path());
    let all = jsonl(&c, &[]);
    assert_eq!(all.len(), 5);
    for (n, sizes) in [(2, vec![2, 2, 1]), (5, vec![5]), (1, vec![1; 5])] {
        let out = tmp.path().join(format!("pq-{n}"));
        export_parquet(&c, &out, &["--shard-rows", &n.to_string()]);
        let files = shards(&out);
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        let want: Vec<String> = (0..sizes.len())
            .map(|k| format!("train-{k:05}-of-{:05}.parquet", sizes.len()))
            .collect();
        assert_eq!(names, want);
        let counts: Vec<usize> = files
            .iter()
            .map(|f| read_file(f).0.iter().map(|b| b.num_rows()).sum())
            .collect();
        assert_eq!(counts, sizes);
        // the shards in order are the corpus in order
        assert_eq!(rows(&out), all, "--shard-rows {n}");
    }
    // span rows are cut at the same count, across articles
    let out = tmp.path().join("pq-spans");
    export_parquet(&c, &out, &["--rows", "spans", "--shard-rows", "4"]);
    let counts: Vec<usize> = shards(&out)
        .iter()
        .map(|f| read_file(f).0.iter().map(|b| b.num_rows()).sum())
        .collect();
    assert_eq!(counts, [4, 4, 4, 3]);
    // a zero is refused before anything is written
    let o = gloss(&[
        "export",
        s(&c),
        "-f",
        "parquet",
        "-o",
        s(&tmp.path().join("z")),
        "--shard-rows",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("z").exists());
}

#[test]
fn many_rows_fill_many_batches_and_shards_in_corpus_order() {
    // more span rows than a batch holds, and articles whose text overflows a batch's bytes, cut
    // into shards that do not fall on a batch's edge
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir(&c).unwrap();
    let (articles, per) = (40, 120);
    for i in 0..articles {
        let text = format!("Bài {i}. ") + &"Ông Tô Lâm 😀 phát biểu. ".repeat(per);
        let tags = (0..per)
            .map(|k| {
                let mut t = tag(&text, &format!("p{k}"), "PERSON", "Tô Lâm", k, None);
                t.id = format!("p{k}");
                t
            })
            .collect();
        common::corpus::write_article(&c, &format!("{i:03}.txt"), &text, tags);
    }
    let big = "Không có thẻ nào. ".repeat(500_000);
    for name in ["zz1.txt", "zz2.txt"] {
        std::fs::write(c.join(name), &big).unwrap();
    }
    let out = tmp.path().join("spans");
    export_parquet(&c, &out, &["--rows", "spans", "--shard-rows", "1000", "-q"]);
    let files = shards(&out);
    assert_eq!(files.len(), 5);
    assert!(files[4].ends_with("data/train-00004-of-00005.parquet"));
    let got = rows(&out);
    assert_eq!(got.len(), articles * per);
    for (n, r) in got.iter().enumerate() {
        assert_eq!(r["article"], format!("{:03}.txt", n / per));
        assert_eq!(r["index"], n % per);
        assert_eq!(r["text"], "Tô Lâm");
    }
    let out = tmp.path().join("articles");
    export_parquet(&c, &out, &["--shard-rows", "7", "-q"]);
    assert_eq!(shards(&out).len(), 6);
    let got = rows(&out);
    assert_eq!(got.len(), articles + 2);
    for (i, r) in got.iter().enumerate() {
        let text = r["text"].as_str().unwrap();
        for sp in r["spans"].as_array().unwrap() {
            let (a, b) = (sp["start"].as_u64().unwrap(), sp["end"].as_u64().unwrap());
            assert_eq!(char_slice(text, a as usize, b as usize), "Tô Lâm");
        }
        if i >= articles {
            assert_eq!(text, big);
        }
    }
}

#[test]
fn offsets_utf16_and_normalize_nfc_count_in_the_text_written() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tagged_corpus(tmp.path());
    let out = tmp.path().join("pq");
    export_parquet(&c, &out, &["--offsets", "utf16", "--normalize", "nfc"]);
    let got = rows(&out);
    let mut n = 0;
    let mut astral = false;
    for r in &got {
        let text = r["text"].as_str().unwrap();
        assert!(unicode_normalization::is_nfc(text), "{}", r["id"]);
        let units: Vec<u16> = text.encode_utf16().collect();
        astral |= units.len() != text.chars().count();
        for sp in r["spans"].as_array().unwrap() {
            let (a, b) = (sp["start"].as_u64().unwrap(), sp["end"].as_u64().unwrap());
            let got = String::from_utf16(&units[a as usize..b as usize]).unwrap();
            assert_eq!(got, sp["text"], "{sp}");
            assert!(unicode_normalization::is_nfc(&got));
            n += 1;
        }
    }
    assert!(
        astral,
        "an emoji makes UTF-16 units differ from code points"
    );
    assert_eq!(n, 15);
    // the NFD article's name comes out composed, at NFC offsets
    let b = got.iter().find(|r| r["id"] == "b_nfd.txt").unwrap();
    let name: String = "Nguyễn Văn Hòa".nfc().collect();
    let sp = b["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"] == name.as_str());
    assert!(sp.is_some(), "{b}");
    let (_, kv) = read_file(&shards(&out)[0]);
    assert!(
        kv.contains(&("gloss.offsets".into(), "utf16".into())),
        "{kv:?}"
    );
    let card = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(card.contains("UTF-16 code units"), "{card}");
    // grapheme clusters are not offered: a tag whose end falls inside a cluster could not be
    // read back where it was
    let out = tmp.path().join("pq-g");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["export", "-f", "parquet", "--offsets", "grapheme", "-o"])
        .arg(&out)
        .arg(&c)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(!out.exists());
}

#[test]
fn nothing_to_write_still_gives_a_file_with_the_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tagged_corpus(tmp.path());
    let out = tmp.path().join("pq");
    export_parquet(&c, &out, &["--status", "reviewed"]);
    let files = shards(&out);
    assert_eq!(files, [out.join("data/train-00000-of-00001.parquet")]);
    let b = ParquetRecordBatchReaderBuilder::try_new(File::open(&files[0]).unwrap()).unwrap();
    assert_eq!(b.metadata().file_metadata().num_rows(), 0);
    assert_eq!(b.schema().fields().len(), 9);
}

#[test]
fn the_options_are_refused_where_they_do_not_apply() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tagged_corpus(tmp.path());
    // a folder format: no standard output
    let o = gloss(&["export", s(&c), "-f", "parquet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("parquet writes a folder: give it with -o DIR")
    );
    // --rows and --shard-rows belong to parquet
    for extra in [["--rows", "spans"], ["--shard-rows", "10"]] {
        let mut args = vec!["export", s(&c), "-f", "jsonl"];
        args.extend(extra);
        let o = gloss(&args);
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("--rows and --shard-rows apply to --format parquet only"),
            "{err}"
        );
    }
    let o = gloss(&[
        "export",
        s(&c),
        "-f",
        "parquet",
        "-o",
        s(&tmp.path().join("x")),
        "--rows",
        "tokens",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("unknown rows \"tokens\" (articles or spans)")
    );
    // an existing folder is kept unless --force, and replaced whole with it
    let out = tmp.path().join("pq");
    std::fs::create_dir_all(out.join("data")).unwrap();
    std::fs::write(out.join("data/old.parquet"), "old").unwrap();
    let o = gloss(&["export", s(&c), "-f", "parquet", "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(out.join("data/old.parquet")).unwrap(),
        "old"
    );
    export_parquet(&c, &out, &["--force"]);
    assert_eq!(
        shards(&out),
        [out.join("data/train-00000-of-00001.parquet")]
    );
    // a broken sidecar stops the export, naming it, and nothing is left
    std::fs::write(c.join("c_untagged.ron"), "(format: 1, tags: [").unwrap();
    let fresh = tmp.path().join("fresh");
    let o = gloss(&["export", s(&c), "-f", "parquet", "-o", s(&fresh)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("c_untagged.ron"));
    assert!(!fresh.exists());
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// `gloss import COPY -f parquet FROM`, which must succeed: what it says (stdout and stderr).
fn import(copy: &Path, from: &Path) -> String {
    let (out, err) = ok(gloss(&["import", s(copy), "-f", "parquet", s(from)]));
    String::from_utf8(out).unwrap() + &err
}

/// [`tagged_corpus`] with every relation of a type the default relation types allow (its `r3`,
/// ISSUES from a person to a task, is refused by an import): `r3` ASSIGNS.
fn importable_corpus(tmp: &Path) -> PathBuf {
    let c = tagged_corpus(tmp);
    let ron = c.join("e_relations.ron");
    let mut sc = Sidecar::load(&ron).unwrap().unwrap();
    let r3 = sc.relations.iter_mut().find(|r| r.id == "r3").unwrap();
    r3.label = "ASSIGNS".into();
    sc.save(&ron).unwrap();
    c
}

/// The articles of `from` (and sub-folders) copied into `to` with no sidecars, and its entities.
fn untagged_copy(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            untagged_copy(&p, &to.join(e.file_name()));
        } else if p.extension().is_some_and(|x| x == "txt") || p.ends_with("entities.ron") {
            std::fs::create_dir_all(to).unwrap();
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Every file below `dir`, by its path there, with its bytes.
fn files_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(
                files_of(&p)
                    .into_iter()
                    .map(|(n, b)| (Path::new(&e.file_name()).join(n), b)),
            );
        } else {
            v.push((PathBuf::from(e.file_name()), std::fs::read(&p).unwrap()));
        }
    }
    v.sort();
    v
}

#[test]
fn export_import_export_gives_the_same_rows_and_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let c = importable_corpus(tmp.path());
    for (name, extra) in [
        ("codepoint", &[][..]),
        (
            "utf16-shards",
            &["--offsets", "utf16", "--shard-rows", "2"][..],
        ),
    ] {
        let first = tmp.path().join(format!("{name}-first"));
        export_parquet(&c, &first, extra);
        let copy = tmp.path().join(format!("{name}-copy"));
        untagged_copy(&c, &copy);
        // the folder as exported (its offsets read from the files' metadata: no --offsets)
        let said = import(&copy, &first);
        assert!(said.contains("15 tag(s) added"), "{name}: {said}");
        assert!(said.contains("3 relation(s) added"), "{name}: {said}");
        let second = tmp.path().join(format!("{name}-second"));
        export_parquet(&copy, &second, extra);
        let (a, b) = (rows(&first), rows(&second));
        assert_eq!(a.len(), jsonl(&c, &[]).len(), "{name}");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "{name}: the row of {} changed", x["id"]);
        }
        assert_eq!(a.len(), b.len(), "{name}");
        assert_eq!(files_of(&first), files_of(&second), "{name}: other bytes");
        // and the copy's jsonl is the original's: ids, notes, reviews, comments, status, links
        assert_eq!(jsonl(&copy, &[]), jsonl(&c, &[]), "{name}");
        // importing again adds nothing
        let again = import(&copy, &first);
        assert!(again.contains(" 0 tag(s) added"), "{name}: {again}");
    }
}

#[test]
fn one_shard_file_imports_and_what_cannot_be_read_is_refused_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let c = importable_corpus(tmp.path());
    let out = tmp.path().join("pq");
    export_parquet(&c, &out, &["--shard-rows", "3"]);
    let files = shards(&out);
    assert!(files.len() >= 2, "{files:?}");
    // one shard on its own: its articles' tags, and no others
    let copy = tmp.path().join("copy");
    untagged_copy(&c, &copy);
    let said = import(&copy, &files[0]);
    let first_rows: Vec<Value> = read_file(&files[0])
        .0
        .iter()
        .flat_map(|b| {
            let fields = b.schema().fields().clone();
            (0..b.num_rows())
                .map(|r| object(&fields, b.columns(), r))
                .collect::<Vec<_>>()
        })
        .collect();
    let tags: usize = first_rows
        .iter()
        .map(|r| r["spans"].as_array().unwrap().len())
        .sum();
    assert!(said.contains(&format!("{tags} tag(s) added")), "{said}");
    // rows of spans carry no article text
    let spans = tmp.path().join("spans");
    export_parquet(&c, &spans, &["--rows", "spans"]);
    let o = gloss(&["import", s(&copy), "-f", "parquet", s(&spans)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("--rows spans") && err.contains("train-00000-of-00001.parquet"),
        "{err}"
    );
    // a damaged file, a file that is not Parquet, a folder without any
    let bad = tmp.path().join("bad.parquet");
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let half = bytes.len() / 2;
    bytes.truncate(half);
    std::fs::write(&bad, &bytes).unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for (p, what) in [
        (&bad, "bad.parquet"),
        (&c.join("a.txt"), "a.txt"),
        (&empty, "empty"),
    ] {
        let o = gloss(&["import", s(&copy), "-f", "parquet", s(p)]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{what}");
        assert!(err.contains(what), "{what}: {err}");
    }
}
