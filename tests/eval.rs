//! `gloss eval` against hand-computed figures; the suggestions measured on the gold articles kept in
//! `tests/gold/` as a whole (floors well below the figures, so that the test says when they fall);
//! NFC and NFD twins scored alike; the learner trains and does well on held-out articles.

use std::path::{Path, PathBuf};

use gloss_core::annotation::{Annotation, AnnotationSet};
use gloss_core::eval::{self, ArticleSpans, Folds, GoldText, Sources};
use gloss_core::store::Sidecar;
use gloss_core::suggest::Lexicon;
use gloss_core::suggest::model::{Model, TrainOptions, TrainingArticle};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Code points of the `n`-th occurrence of `needle` in `text`.
fn at(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let b = text.match_indices(needle).nth(n).expect("needle").0;
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn gloss(args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const A: &str = "Ông Tô Lâm gặp bà Mai. Bộ yêu cầu các sở làm ngay việc này.";
const B: &str = "Theo Nghị quyết số 39-NQ/TW, ông Ba về.";

/// Gold in JSONL; predictions in sidecars beside the articles.
fn small_sets(dir: &Path) -> (PathBuf, PathBuf) {
    let corpus = dir.join("pred");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), A).unwrap();
    std::fs::write(corpus.join("b.txt"), B).unwrap();
    let span = |label: &str, text: &str, needle: &str, n: usize| {
        let (s, e) = at(text, needle, n);
        serde_json::json!({"start": s, "end": e, "label": label, "text": needle})
    };
    let gold = dir.join("gold.jsonl");
    let lines = [
        serde_json::json!({"file": "a.txt", "spans": [
            span("PERSON", A, "Tô Lâm", 0),
            span("PERSON", A, "Mai", 0),
            span("TASK", A, "các sở làm ngay việc này", 0),
        ]}),
        serde_json::json!({"file": "b.txt", "spans": [
            span("DIRECTIVE", B, "Nghị quyết số 39-NQ/TW", 0),
            span("PERSON", B, "Ba", 0),
        ]}),
    ];
    std::fs::write(
        &gold,
        lines
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    // predicted: a: "Tô Lâm" exact; "bà Mai" (IoU 3/6 = 0.5: an overlap match only); TASK "các sở"
    // (IoU 6/24 < 0.5); "Tô Lâm" also as DIRECTIVE (a disagreement on the same span).
    // b: DIRECTIVE "Nghị quyết số 39" (IoU 16/22 ≥ 0.5), "Ba" as TASK (another label).
    let tag = |text: &str, label: &str, needle: &str| {
        let (s, e) = at(text, needle, 0);
        Annotation::new(label, s, e, needle, "test")
    };
    let write = |name: &str, text: &str, tags: Vec<Annotation>| {
        let path = corpus.join(name);
        Sidecar::new(&path, text, &AnnotationSet::new(tags))
            .save(&path.with_extension("ron"))
            .unwrap();
    };
    write(
        "a.txt",
        A,
        vec![
            tag(A, "PERSON", "Tô Lâm"),
            tag(A, "DIRECTIVE", "Tô Lâm"),
            tag(A, "PERSON", "bà Mai"),
            tag(A, "TASK", "các sở"),
        ],
    );
    write(
        "b.txt",
        B,
        vec![
            tag(B, "DIRECTIVE", "Nghị quyết số 39"),
            tag(B, "TASK", "Ba"),
        ],
    );
    (gold, corpus)
}

#[test]
fn eval_prints_hand_computed_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let (gold, pred) = small_sets(tmp.path());
    let (ok, out, err) = gloss(&["eval", gold.to_str().unwrap(), pred.to_str().unwrap()]);
    assert!(ok, "{err}");
    // PERSON: gold 3, predicted 2; exact 1 right (P 1/2, R 1/3, F1 0.4); overlap 2 (P 1, R 2/3,
    // F1 0.8). DIRECTIVE: gold 1, predicted 2; exact 0; overlap 1 (P 0.5, R 1, F1 2/3).
    // TASK: gold 1, predicted 2; nothing matches.
    let line = |label: &str| row(&out, label);
    assert_eq!(
        line("PERSON"),
        "3 2 0.500 0.333 0.400 1.000 0.667 0.800",
        "{out}"
    );
    assert_eq!(
        line("DIRECTIVE"),
        "1 2 0.000 0.000 0.000 0.500 1.000 0.667",
        "{out}"
    );
    assert_eq!(
        line("TASK"),
        "1 2 0.000 0.000 0.000 0.000 0.000 0.000",
        "{out}"
    );
    // all: exact 1 of 6 predicted, 1 of 5 gold (F1 2/11); overlap 3 (P 0.5, R 0.6, F1 6/11)
    assert_eq!(
        line("all"),
        "5 6 0.167 0.200 0.182 0.500 0.600 0.545",
        "{out}"
    );
    // on "Tô Lâm" PERSON agrees and DIRECTIVE has no gold partner; on "Ba" PERSON became TASK
    assert!(out.contains("–            → DIRECTIVE"), "{out}");
    assert!(out.contains("PERSON       → TASK"), "{out}");
    // the worst article first: b (no exact match) before a
    let worst = out.split("worst articles").nth(1).unwrap();
    assert!(worst.find("b.txt").unwrap() < worst.find("a.txt").unwrap());

    let (ok, out, err) = gloss(&[
        "eval",
        gold.to_str().unwrap(),
        pred.to_str().unwrap(),
        "--json",
    ]);
    assert!(ok, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let person = &j["labels"][0];
    assert_eq!(person["label"], "PERSON");
    assert_eq!(person["exact"]["tp"], 1);
    assert_eq!(person["exact"]["fp"], 1);
    assert_eq!(person["exact"]["fn"], 2);
    assert_eq!(person["overlap"]["f1"], 0.8);
    assert_eq!(j["all"]["exact"]["f1"], 0.182);
    let confusion = j["confusion"].as_array().unwrap();
    assert!(
        confusion
            .iter()
            .any(|c| c["gold"] == "PERSON" && c["predicted"] == "TASK" && c["count"] == 1)
    );
    assert_eq!(j["worst"][0]["file"], "b.txt");

    // a set scored against itself agrees fully; the sidecar folder works as gold too
    let (ok, out, _) = gloss(&["eval", pred.to_str().unwrap(), pred.to_str().unwrap()]);
    assert!(ok);
    assert_eq!(
        row(&out, "all"),
        "6 6 1.000 1.000 1.000 1.000 1.000 1.000",
        "{out}"
    );
}

/// The figures of a label's row in `gloss eval`'s table.
fn row(out: &str, label: &str) -> String {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(label))
        .unwrap_or_else(|| panic!("{label} in {out}"))
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn eval_reads_stored_suggestions_and_reports_missing_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let (gold, pred) = small_sets(tmp.path());
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("a.txt"), A).unwrap();
    std::fs::write(fresh.join("b.txt"), B).unwrap();
    let (ok, _, err) = gloss(&["suggest", fresh.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = gloss(&[
        "eval",
        gold.to_str().unwrap(),
        fresh.to_str().unwrap(),
        "--suggested",
    ]);
    assert!(ok, "{err}");
    // the built-in patterns find every gold span of these two sentences, and nothing else
    assert_eq!(
        row(&out, "all"),
        "5 5 1.000 1.000 1.000 1.000 1.000 1.000",
        "{out}"
    );
    // and `--suggest` on the corpus gives the same
    let (ok, out2, err) = gloss(&[
        "eval",
        gold.to_str().unwrap(),
        "--suggest",
        fresh.to_str().unwrap(),
        "--sources",
        "patterns",
    ]);
    assert!(ok, "{err}");
    assert_eq!(row(&out2, "all"), row(&out, "all"));
    // an article the predicted set lacks counts as nothing found
    std::fs::remove_file(pred.join("b.ron")).unwrap();
    let (_, out, _) = gloss(&["eval", gold.to_str().unwrap(), pred.to_str().unwrap()]);
    assert!(
        out.contains("1 gold article(s) have no predicted entry"),
        "{out}"
    );
    let (ok, _, err) = gloss(&["eval", gold.to_str().unwrap()]);
    assert!(!ok && err.contains("--suggest"), "{err}");
}

/// The gold articles kept in the repository, with their texts.
fn test_gold() -> Vec<GoldText> {
    let mut all = Vec::new();
    for (jsonl, corpus) in [
        ("tests/gold/assets.jsonl", "assets/corpus"),
        ("tests/gold/corpus.jsonl", "tests/gold/corpus"),
    ] {
        let gold = eval::load_jsonl(&repo(jsonl)).unwrap();
        let (texts, mismatches) = eval::read_texts(&repo(corpus), &gold).unwrap();
        assert_eq!(mismatches, 0, "{jsonl} quotes its texts");
        all.extend(texts);
    }
    all
}

fn report(texts: &[GoldText], pred: &[ArticleSpans]) -> eval::Report {
    let gold: Vec<ArticleSpans> = texts.iter().map(|t| t.gold.clone()).collect();
    eval::compare(&gold, pred)
}

fn show(r: &eval::Report) -> String {
    r.labels
        .iter()
        .map(|(l, s)| {
            format!(
                "{l}: exact F1 {:.3}, overlap F1 {:.3}\n",
                s.exact.f1(),
                s.overlap.f1()
            )
        })
        .collect()
}

#[test]
fn patterns_and_gazetteer_on_the_gold_articles_as_a_whole() {
    let texts = test_gold();
    let sources = Sources {
        patterns: true,
        gazetteer: true,
        model: false,
    };
    let pred = eval::suggest_on(
        &texts,
        &gloss_core::corpus::patterns::builtin_patterns(),
        sources,
        &Folds::default(),
    )
    .unwrap();
    let r = report(&texts, &pred);
    println!("{}", show(&r));
    assert!(r.labels["PERSON"].exact.f1() >= 0.8, "{}", show(&r));
    assert!(r.labels["DIRECTIVE"].exact.f1() >= 0.75, "{}", show(&r));
    assert!(r.labels["TASK"].overlap.f1() >= 0.5, "{}", show(&r));
}

#[test]
fn nfc_and_nfd_twins_are_scored_alike() {
    let gold = eval::load_jsonl(&repo("tests/gold/assets_nfd_twin.jsonl")).unwrap();
    let (texts, mismatches) = eval::read_texts(&repo("assets/corpus"), &gold).unwrap();
    assert_eq!(mismatches, 0);
    let sources = Sources {
        patterns: true,
        gazetteer: false,
        model: false,
    };
    let pred = eval::suggest_on(
        &texts,
        &gloss_core::corpus::patterns::builtin_patterns(),
        sources,
        &Folds::default(),
    )
    .unwrap();
    assert_eq!(pred[0].spans.len(), pred[1].spans.len());
    let one = |i: usize| {
        eval::compare(
            std::slice::from_ref(&texts[i].gold),
            std::slice::from_ref(&pred[i]),
        )
        .all
    };
    assert_eq!(one(0), one(1));
    assert!(one(0).exact.tp > 0);
}

#[test]
fn the_learner_trains_and_tags_held_out_articles() {
    let texts = test_gold();
    let lex = Lexicon::from_patterns(&gloss_core::corpus::patterns::builtin_patterns());
    // held out: every third article
    let held: Vec<&GoldText> = texts.iter().step_by(3).collect();
    let train: Vec<&GoldText> = texts
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, a)| a)
        .collect();
    let score = |n: usize| -> f64 {
        let set: Vec<TrainingArticle> = train
            .iter()
            .take(n)
            .map(|a| eval::training_article(a))
            .collect();
        let opts = TrainOptions {
            labels: Some(vec!["PERSON".into()]),
            ..TrainOptions::default()
        };
        let Some(model) = Model::train(&set, &lex, &opts).unwrap() else {
            return 0.0;
        };
        let gold: Vec<GoldText> = held.iter().map(|a| (*a).clone()).collect();
        let pred: Vec<ArticleSpans> = gold
            .iter()
            .map(|a| {
                let sug: Vec<gloss_core::suggest::Suggestion> = model
                    .tag(&a.text, &lex)
                    .into_iter()
                    .map(|(label, bytes)| gloss_core::suggest::Suggestion {
                        label,
                        bytes,
                        source: gloss_core::suggest::Source::Model,
                    })
                    .collect();
                ArticleSpans {
                    file: a.gold.file.clone(),
                    spans: eval::spans_of(&a.text, &sug),
                }
            })
            .collect();
        report(&gold, &pred).labels["PERSON"].exact.f1()
    };
    let few = score(1);
    let all = score(train.len());
    println!(
        "PERSON exact F1 on held-out articles: {few:.3} after 1 article, {all:.3} after {}",
        train.len()
    );
    assert!(all >= 0.6, "{all}");
    assert!(all >= few, "{few} then {all}");
}

#[test]
fn gloss_suggest_with_the_model_learns_from_finished_articles() {
    use gloss_core::annotation::{ArticleFields, Status};
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("gloss.ron"), "(patterns: Some([]))").unwrap();
    let names = [
        "Tô Lâm",
        "Lê Minh",
        "Vũ Đam",
        "Mai Hoa",
        "Phạm Sanh",
        "Trần Tư",
        "Đặng Thu",
        "Bùi Nam",
    ];
    for (i, n) in names.iter().enumerate() {
        let text = format!("Hôm qua ông {n} đến thăm. Trời mưa số {i}.\n");
        let p = c.join(format!("t{i}.txt"));
        std::fs::write(&p, &text).unwrap();
        let (s, e) = at(&text, n, 0);
        let set = AnnotationSet::new(vec![Annotation::new("PERSON", s, e, n, "test")])
            .with_article(ArticleFields {
                status: Status::Done,
                ..ArticleFields::default()
            });
        Sidecar::new(&p, &text, &set)
            .save(&p.with_extension("ron"))
            .unwrap();
    }
    std::fs::write(c.join("a.txt"), "Sáng nay ông Đỗ Hùng đến thăm.\n").unwrap();
    let run = |model: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"));
        cmd.args(["suggest", c.to_str().unwrap()])
            .env("GLOSS_CACHE_DIR", tmp.path().join("cache"));
        if model {
            cmd.arg("--model");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        let sc = Sidecar::load(&c.join("a.ron")).unwrap();
        (
            String::from_utf8(out.stdout).unwrap(),
            sc.map(|s| s.suggested).unwrap_or_default(),
        )
    };
    let (_, without) = run(false);
    assert!(without.is_empty(), "no pattern, nothing tagged like it");
    let (out, with) = run(true);
    assert_eq!(with.len(), 1, "{out}");
    assert_eq!(with[0].text, "Đỗ Hùng");
    assert!(out.contains("from: model 1"), "{out}");
    // the model was cached for the next run
    assert!(std::fs::read_dir(tmp.path().join("cache")).unwrap().count() > 0);
}

/// A corpus with the files a corpus keeps at its root beside its articles (`gloss.ron`, the entity
/// registry), an article tagged in it and one whose sidecar does not parse.
fn corpus_with_root_files(dir: &Path) -> PathBuf {
    let (_, corpus) = small_sets(dir);
    std::fs::write(
        corpus.join("gloss.ron"),
        r#"(labels: Some([(name: "PERSON", key: 'p', color: "cyan")]))"#,
    )
    .unwrap();
    std::fs::write(
        corpus.join("entities.ron"),
        r#"(format: 1, entities: [(id: "person-to-lam", label: "PERSON", name: "Tô Lâm")])"#,
    )
    .unwrap();
    corpus
}

#[test]
fn eval_reads_a_corpus_through_its_articles_and_a_broken_sidecar_is_named_or_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let gold = small_sets(tmp.path()).0;
    let corpus = corpus_with_root_files(&tmp.path().join("c"));
    let (gold, corpus) = (gold.to_str().unwrap(), corpus.to_str().unwrap());
    // gloss.ron and entities.ron are no sidecars: the corpus is scored as the plain folder was
    let (ok, out, err) = gloss(&["eval", gold, corpus]);
    assert!(ok, "{err}");
    assert_eq!(
        row(&out, "all"),
        "5 6 0.167 0.200 0.182 0.500 0.600 0.545",
        "{out}"
    );
    let (ok, out, err) = gloss(&["eval", corpus, corpus]);
    assert!(ok, "{err}");
    assert!(out.contains("(2 articles, 6 spans)"), "{out}");
    // a sidecar that does not parse stops it, named
    let broken = Path::new(corpus).join("b.ron");
    std::fs::write(&broken, "(format: 1, tags: [ broken").unwrap();
    let (ok, _, err) = gloss(&["eval", gold, corpus]);
    assert!(!ok);
    assert!(
        err.contains("b.ron:") && err.contains("--keep-going"),
        "{err}"
    );
    // with --keep-going it is skipped and listed, and b counts as nothing found
    let (ok, out, err) = gloss(&["eval", gold, corpus, "--keep-going"]);
    assert!(ok, "{err}");
    assert!(err.contains("skipped: ") && err.contains("b.ron:"), "{err}");
    assert!(
        err.contains("1 file(s) or folder(s) could not be read"),
        "{err}"
    );
    assert!(
        out.contains("1 gold article(s) have no predicted entry"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "(format: 1, tags: [ broken"
    );
}

#[test]
fn eval_reads_an_annotations_mirror_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let (gold, corpus) = small_sets(tmp.path());
    // the sidecars alone, in a tree of their own
    let mirror = tmp.path().join("mirror/sub");
    std::fs::create_dir_all(&mirror).unwrap();
    for name in ["a.ron", "b.ron"] {
        std::fs::copy(corpus.join(name), tmp.path().join("mirror").join(name)).unwrap();
    }
    let (ok, out, err) = gloss(&[
        "eval",
        gold.to_str().unwrap(),
        tmp.path().join("mirror").to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        row(&out, "all"),
        "5 6 0.167 0.200 0.182 0.500 0.600 0.545",
        "{out}"
    );
    std::fs::write(mirror.join("c.ron"), "(").unwrap();
    let (ok, _, err) = gloss(&[
        "eval",
        gold.to_str().unwrap(),
        tmp.path().join("mirror").to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("c.ron"), "{err}");
}

/// A gold set whose spans are `[start, end, label]` arrays (no text quoted) teaches the gazetteer
/// as the same set written as objects does: each span takes the text at its offsets.
#[test]
fn a_gold_set_of_span_arrays_feeds_the_gazetteer_as_its_objects_do() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    std::fs::create_dir_all(&corpus).unwrap();
    let texts = [
        "Sáng nay Hoàng Văn Khải đến thăm.",
        "Chiều qua Hoàng Văn Khải phát biểu.",
    ];
    let mut objects = String::new();
    let mut arrays = String::new();
    for (i, t) in texts.iter().enumerate() {
        std::fs::write(corpus.join(format!("{i}.txt")), t).unwrap();
        let (s, e) = at(t, "Hoàng Văn Khải", 0);
        objects += &serde_json::json!({"file": format!("{i}.txt"), "spans": [
            {"start": s, "end": e, "label": "PERSON", "text": "Hoàng Văn Khải"}]})
        .to_string();
        arrays += &serde_json::json!({"file": format!("{i}.txt"), "spans": [[s, e, "PERSON"]]})
            .to_string();
        objects.push('\n');
        arrays.push('\n');
    }
    let score = |gold: &str| {
        let path = tmp.path().join("gold.jsonl");
        std::fs::write(&path, gold).unwrap();
        let (ok, out, err) = gloss(&[
            "eval",
            path.to_str().unwrap(),
            "--suggest",
            corpus.to_str().unwrap(),
            "--sources",
            "gazetteer",
        ]);
        assert!(ok, "{err}");
        row(&out, "PERSON")
    };
    let from_objects = score(&objects);
    // each article finds the name the other tags: both found, exactly
    assert!(
        from_objects.starts_with("2 2 1.000 1.000 1.000"),
        "{from_objects}"
    );
    assert_eq!(score(&arrays), from_objects);
}
