//! Several annotators on one corpus: each annotator's sidecars in a tree of their own.

mod common;

use std::path::{Path, PathBuf};

use common::{Harness, SAMPLE};
use gloss_core::annotation::Change;
use gloss_core::store::{Document, SidecarDirs};

#[test]
fn each_annotator_tags_into_a_tree_of_their_own() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = common::sample_corpus(tmp);
        std::fs::write(
            c.join("gloss.ron"),
            r#"(annotator_trees: Some("annotations"))"#,
        )
        .unwrap();
        c
    });
    assert!(h.screen().contains("tester's tags"), "{}", h.screen());
    h.keys("<enter>/to lam<enter>p");
    let mine = h
        .corpus
        .join("annotations/tester")
        .join(SAMPLE)
        .with_extension("ron");
    let sc = gloss_core::store::Sidecar::load(&mine).unwrap().unwrap();
    assert_eq!(sc.tags[0].text, "Tô Lâm");
    assert!(
        !h.sidecar_path(SAMPLE).exists(),
        "nothing beside the article"
    );
    // another annotator sees none of it, and writes their own
    let dirs = common::dirs_in(&h.corpus.join("..").join("lan"));
    let mut lan = gloss::tui::App::new(
        gloss::tui::Options {
            root: h.corpus.clone(),
            annotations: None,
            annotator: Some("lan".into()),
            dirs,
        },
        ratatui::layout::Rect::new(0, 0, 120, 36),
    )
    .unwrap();
    lan.finish_scan();
    use gloss::tui::action::Action;
    lan.dispatch(Action::OpenSelected);
    assert!(lan.state.reader.as_ref().unwrap().tags().is_empty());
    lan.dispatch(Action::ApplyLabel("PERSON".into()));
    let theirs = h
        .corpus
        .join("annotations/lan")
        .join(SAMPLE)
        .with_extension("ron");
    assert_eq!(
        gloss_core::store::Sidecar::load(&theirs)
            .unwrap()
            .unwrap()
            .tags
            .len(),
        1
    );
    assert_eq!(
        gloss_core::store::Sidecar::load(&mine)
            .unwrap()
            .unwrap()
            .tags
            .len(),
        1
    );
}

/// Tag `tags` (label, text) in `article` of the corpus `c` into the annotator tree `tree`, through
/// the core document.
fn tag_in_tree(c: &Path, tree: &Path, article: &str, tags: &[(&str, &str)]) {
    let dirs = SidecarDirs::new(c, Some(tree));
    let mut doc = Document::open(&dirs, &c.join(article)).unwrap();
    let adds = tags
        .iter()
        .map(|(label, needle)| {
            let b = doc.text().find(needle).unwrap();
            Change::Add(doc.new_tag(label, b..b + needle.len(), "x").unwrap())
        })
        .collect();
    doc.edit(adds);
    doc.save().unwrap();
}

/// Two annotators' trees for the sample article: agreed, only one, a label conflict and a boundary
/// conflict.
fn two_annotators(c: &Path) -> (PathBuf, PathBuf) {
    let tag = |tree: &Path, tags: &[(&str, &str)]| tag_in_tree(c, tree, SAMPLE, tags);
    let (lan, minh) = (c.join("ann/lan"), c.join("ann/minh"));
    tag(
        &lan,
        &[
            ("PERSON", "Tô Lâm"),
            ("DIRECTIVE", "chỉ thị số 24"),
            ("PERSON", "Lê Minh Hưng"),
            ("PERSON", "GIA HÂN"),
        ],
    );
    tag(
        &minh,
        &[
            ("PERSON", "Tô Lâm"),
            ("TASK", "chỉ thị số 24"),
            ("PERSON", "Minh Hưng"),
        ],
    );
    (lan, minh)
}

#[test]
fn adjudication_by_keys_settles_two_annotators_into_gold() {
    let mut h = Harness::sample();
    let (lan, minh) = two_annotators(&h.corpus);
    let gold = h.corpus.join("ann/gold");
    h.app = {
        let mut app = gloss::tui::App::new(
            gloss::tui::Options {
                root: h.corpus.clone(),
                annotations: Some(gold.clone()),
                annotator: Some("reviewer".into()),
                dirs: h.dirs.clone(),
            },
            ratatui::layout::Rect::new(0, 0, common::WIDTH, common::HEIGHT),
        )
        .unwrap();
        app.finish_scan();
        app.adjudicate(vec![("lan".into(), lan), ("minh".into(), minh)]);
        app
    };
    h.app.finish_background();
    h.draw();
    // the list says what is left to settle per article, not the (empty) gold set's counts
    let screen = h.screen();
    assert!(screen.contains("≠ left to settle"), "{screen}");
    let rows: Vec<&str> = screen.lines().filter(|l| l.contains('≠')).collect();
    assert!(
        rows.iter().any(|l| l.contains("≠3")),
        "the sample's three disagreements: {screen}"
    );
    assert!(!screen.contains("p0 d0"), "no gold counts: {screen}");
    h.keys("<enter>");
    assert!(
        h.status().contains("0 of 3 disagreements"),
        "{}",
        h.status()
    );
    // every agreed tag at once
    h.keys("Y");
    let g = |_: &Harness| {
        gloss_core::store::Sidecar::load(&gold.join(SAMPLE).with_extension("ron"))
            .unwrap()
            .map(|s| s.tags)
            .unwrap_or_default()
    };
    let tags = g(&h);
    assert_eq!(tags.len(), 1);
    assert_eq!(
        (tags[0].text.as_str(), tags[0].sources.clone()),
        ("Tô Lâm", vec!["lan".to_string(), "minh".to_string()])
    );
    // step to the first disagreement, in text order: the caption's "GIA HÂN", only lan's
    h.keys("}");
    // the bar names the candidate's label and text, not only who had it
    assert!(
        h.message().contains("[+] PERSON “GIA HÂN” only lan"),
        "{}",
        h.message()
    );
    h.keys("y");
    assert!(
        h.status().contains("1 of 3 disagreements"),
        "{}",
        h.status()
    );
    // next: the boundary conflict (Lê Minh Hưng vs Minh Hưng); reject both versions
    h.keys("}");
    assert!(
        h.message().contains("[≠]") && h.message().contains("Minh Hưng"),
        "{}",
        h.message()
    );
    h.keys("x}x");
    assert!(h.status().contains("2 of 3"), "{}", h.status());
    // the label conflict on "chỉ thị số 24": take lan's version (DIRECTIVE, the first of the two)
    h.keys("}");
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(r.text()[r.cursor..].starts_with("chỉ thị số 24"));
    assert!(h.message().contains("vs minh TASK"), "{}", h.message());
    h.keys("y}");
    assert!(h.status().contains("3 of 3"), "{}", h.status());
    h.draw();
    assert!(
        h.screen()
            .lines()
            .any(|l| l.contains("▸") && l.contains('✓')),
        "the open article is settled: {}",
        h.screen()
    );
    assert!(
        h.message()
            .contains("every disagreement of this article is settled"),
        "{}",
        h.message()
    );
    let tags = g(&h);
    let d = tags.iter().find(|t| t.text == "chỉ thị số 24").unwrap();
    assert_eq!(
        (d.label.as_str(), d.sources.clone()),
        ("DIRECTIVE", vec!["lan".to_string()])
    );
    // undo works as elsewhere
    h.keys("u");
    assert!(h.status().contains("2 of 3"), "{}", h.status());
    let texts: Vec<String> = g(&h).into_iter().map(|t| t.text).collect();
    assert_eq!(texts, ["GIA HÂN", "Tô Lâm"]);
}

/// `gloss agree` on the corpus `c` with the annotator trees `trees`, and `extra` arguments.
fn agree(c: &Path, trees: &[PathBuf], extra: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gloss"));
    cmd.arg("agree").arg(c);
    for t in trees {
        cmd.arg("--annotations").arg(t);
    }
    cmd.args(extra).output().unwrap()
}

#[test]
fn agree_reports_spans_kappa_and_alpha_as_computed_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("a.txt"), "Ông Tô Lâm gặp bà Mai.").unwrap();
    std::fs::write(c.join("b.txt"), "Không ai.").unwrap();
    let tag = |tree: &str, tags: &[(&str, &str)]| tag_in_tree(&c, &c.join(tree), "a.txt", tags);
    tag("lan", &[("PERSON", "Tô Lâm"), ("PERSON", "Mai")]);
    tag("minh", &[("PERSON", "Tô Lâm"), ("TASK", "Mai")]);
    let trees = [c.join("lan"), c.join("minh")];
    let out = agree(&c, &trees, &["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // only the article both touched
    assert_eq!(v["articles"], 1);
    assert_eq!(v["tokens"], 7);
    // tokens: Ông Tô Lâm gặp bà Mai . — lan O B-P I-P O O B-P O, minh O B-P I-P O O B-T O.
    // po = 6/7; pe = (4·4 + 2·1 + 1·1)/49 = 19/49; κ = (42/49 − 19/49)/(30/49) = 23/30.
    assert_eq!(v["kappa"], (23.0f64 / 30.0 * 1000.0).round() / 1000.0);
    // α: n = 14 values (O 8, B-P 3, I-P 2, B-T 1), one disagreeing unit: 1 − 2/((196 − 78)/13).
    assert_eq!(
        v["alpha"],
        ((1.0 - 26.0f64 / 118.0) * 1000.0).round() / 1000.0
    );
    // spans: minh against lan, one PERSON right, one PERSON became TASK
    let spans = &v["pairs"][0]["spans"];
    assert_eq!(spans["all"]["exact"]["tp"], 1);
    assert_eq!(spans["all"]["exact"]["f1"], 0.5);
    let confusion = spans["confusion"].as_array().unwrap();
    assert!(
        confusion
            .iter()
            .any(|c| c["gold"] == "PERSON" && c["predicted"] == "TASK" && c["count"] == 1),
        "{confusion:?}"
    );
    // the text report says the same
    let out = agree(&c, &trees, &[]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Cohen's kappa (tokens, IOB)        0.767"),
        "{text}"
    );
    assert!(text.contains("least agreed articles"), "{text}");
}

#[test]
fn agree_on_a_corpus_with_its_root_files_names_a_broken_sidecar_or_skips_it() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("a.txt"), "Ông Tô Lâm gặp bà Mai.").unwrap();
    std::fs::write(c.join("b.txt"), "Bà Mai về.").unwrap();
    std::fs::write(c.join("gloss.ron"), r#"(annotator_trees: Some("ann"))"#).unwrap();
    std::fs::write(
        c.join("entities.ron"),
        r#"(format: 1, entities: [(id: "person-to-lam", label: "PERSON", name: "Tô Lâm")])"#,
    )
    .unwrap();
    for tree in ["lan", "minh"] {
        let tree = c.join("ann").join(tree);
        tag_in_tree(&c, &tree, "a.txt", &[("PERSON", "Tô Lâm")]);
        tag_in_tree(&c, &tree, "b.txt", &[("PERSON", "Mai")]);
    }
    let trees = [c.join("ann/lan"), c.join("ann/minh")];
    let agree = |extra: &[&str]| {
        let out = agree(&c, &trees, &[&["--json"], extra].concat());
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = agree(&[]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["articles"], 2);
    assert_eq!(v["kappa"], 1.0);
    // minh's sidecar of b does not parse: named, and nothing is reported
    let broken = c.join("ann/minh/b.ron");
    std::fs::write(&broken, "(format: 1, tags: [ broken").unwrap();
    let (ok, out, err) = agree(&[]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(
        err.contains("b.ron:") && err.contains("--keep-going"),
        "{err}"
    );
    // with --keep-going it is skipped and listed; the other article is compared
    let (ok, out, err) = agree(&["--keep-going"]);
    assert!(ok, "{err}");
    assert!(err.contains("skipped: ") && err.contains("b.ron:"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["articles"], 1);
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "(format: 1, tags: [ broken"
    );
}

#[test]
fn agree_with_nothing_to_compare_says_so_never_f1_one() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("a.txt"), "Ông Tô Lâm gặp bà Mai.").unwrap();
    // both touched the article, neither made a relation; one made no tag either
    tag_in_tree(&c, &c.join("lan"), "a.txt", &[]);
    tag_in_tree(&c, &c.join("minh"), "a.txt", &[]);
    let trees = [c.join("lan"), c.join("minh")];
    let out = agree(&c, &trees, &["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pair = &v["pairs"][0];
    for figures in [&pair["relations"]["all"], &pair["spans"]["all"]["exact"]] {
        for k in ["precision", "recall", "f1"] {
            assert!(figures[k].is_null(), "{k}: {figures}");
        }
    }
    let text = String::from_utf8(agree(&c, &trees, &[]).stdout).unwrap();
    // (κ and α are of tokens: all `O` on both sides is agreement, and says so)
    let figures: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("all"))
        .collect();
    assert_eq!(figures.len(), 2, "spans and relations: {text}");
    for l in figures {
        assert!(!l.contains("1.000") && !l.contains("0.000"), "{l}");
        assert!(l.contains('–'), "{l}");
    }
    // with a tag each, the spans have figures again and relations still none
    tag_in_tree(&c, &c.join("lan"), "a.txt", &[("PERSON", "Tô Lâm")]);
    tag_in_tree(&c, &c.join("minh"), "a.txt", &[("PERSON", "Tô Lâm")]);
    let v: serde_json::Value =
        serde_json::from_slice(&agree(&c, &trees, &["--json"]).stdout).unwrap();
    assert_eq!(v["pairs"][0]["spans"]["all"]["exact"]["f1"], 1.0);
    assert!(v["pairs"][0]["relations"]["all"]["f1"].is_null());
}
