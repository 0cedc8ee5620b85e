//! A project's view (issue "who annotates what, how far along it is, how long it takes, and the
//! guide at hand"): active time from key events on a fake clock, article labels, the guide pane
//! and the dashboard, driven by keys against TestBackend and checked against the sidecars saved
//! and `gloss stats --json`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Harness;
use gloss_core::annotation::{ActiveTime, Annotation, AnnotationSet, ArticleFields, Status};
use gloss_core::store::Sidecar;

const GLOSS_RON: &str = r#"(
    categories: [
        (name: "topic", values: ["economy", "politics"]),
        (name: "flags", values: ["no-tasks", "foreign"], multi: true),
    ],
)"#;

const GUIDE: &str = "# Our guide\n\nRead it all first.\n\n## Người (PERSON)\nTag the name, never the title before it.\n\n## Văn bản (DIRECTIVE)\nThe directive's whole name with its number.\n\n## Nhiệm vụ (TASK)\nThe clause that sets the task.\n";

/// A corpus of `files`, with `gloss.ron` and the guide, and `config.ron` giving `idle_limit`.
fn corpus(files: &'static [(&'static str, &'static str)], idle_limit: u64) -> Harness {
    Harness::with_corpus(move |tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        for (name, text) in files {
            std::fs::write(c.join(name), text).unwrap();
        }
        std::fs::write(c.join("gloss.ron"), GLOSS_RON).unwrap();
        std::fs::write(c.join("GUIDE.md"), GUIDE).unwrap();
        std::fs::create_dir_all(tmp.join("config")).unwrap();
        std::fs::write(
            tmp.join("config/config.ron"),
            format!("(idle_limit: {idle_limit})"),
        )
        .unwrap();
        c
    })
}

const TWO: &[(&str, &str)] = &[
    ("a.txt", "Ông Tô Lâm nói về kinh tế hôm nay.\n"),
    ("b.txt", "Bà Mai ở Hà Nội.\n"),
];

/// Time between keys counts for the open article; a pause over the idle limit counts nothing; an
/// article only glanced at gets no sidecar for its seconds; the time is saved and read back.
#[test]
fn active_time_counts_the_keys_and_leaves_out_idle_pauses() {
    let mut h = corpus(TWO, 60);
    h.keys("<enter>");
    h.later(10);
    h.keys("w"); // 10 s on a.txt, held until something is saved
    h.keys("wp"); // a tag: the sidecar is written, with the 10 s
    let sc = h.sidecar("a.txt");
    assert_eq!(sc.tags.len(), 1);
    assert_eq!(sc.time.seconds_of("tester"), 10, "{:?}", sc.time);
    h.later(50);
    h.keys("w"); // 50 s: within the limit
    h.later(61);
    h.keys("w"); // over the limit of 60: idle, not counted
    h.later(5);
    h.keys("w");
    // b.txt, glanced at for 30 s: no sidecar is written for that
    h.keys("]");
    h.later(30);
    h.keys("j");
    h.keys("[");
    h.later(2);
    h.keys("q");
    assert!(h.app.state.quit);
    let sc = h.sidecar("a.txt");
    assert_eq!(sc.time.seconds_of("tester"), 10 + 50 + 5 + 2);
    assert_eq!(
        sc.time.entries().collect::<Vec<_>>(),
        [("tester", "2025-12-03", 67)]
    );
    assert!(!h.sidecar_path("b.txt").exists());
    // undo never takes time back
    h.reopen();
    h.keys("<enter>");
    h.later(20);
    h.keys("wwwpu");
    h.keys("q");
    let sc = h.sidecar("a.txt");
    assert_eq!(sc.tags.len(), 1, "the undo removed the new tag");
    assert_eq!(sc.time.seconds_of("tester"), 87);
}

/// `#` labels the article: a single choice replaces, several stay, each is undoable; the bar and
/// the list show them, `cat:` filters by them, and they are saved, exported and counted.
#[test]
fn article_labels_are_chosen_by_key_shown_filtered_saved_and_exported() {
    let mut h = corpus(TWO, 300);
    h.keys("<enter>#");
    let (_, prompt) = h.bottom();
    assert!(prompt.contains("topic one of:"), "{prompt}");
    assert!(
        prompt.contains("1 economy") && prompt.contains("4 foreign"),
        "{prompt}"
    );
    h.keys("1");
    assert_eq!(h.sidecar("a.txt").categories["topic"], ["economy"]);
    // a single choice closes the picker; another replaces it
    h.keys("#2");
    assert_eq!(h.sidecar("a.txt").categories["topic"], ["politics"]);
    h.keys("#34");
    let (_, prompt) = h.bottom();
    assert!(
        prompt.contains("3✓no-tasks") && prompt.contains("4✓foreign"),
        "{prompt}"
    );
    h.keys("<esc>");
    assert_eq!(
        h.sidecar("a.txt").categories["flags"],
        ["foreign", "no-tasks"]
    );
    h.keys("u");
    assert_eq!(h.sidecar("a.txt").categories["flags"], ["no-tasks"]);
    let (bar, _) = h.bottom();
    assert!(bar.contains("#flags=no-tasks;topic=politics"), "{bar}");
    assert!(
        h.screen().contains("#no-tasks,politics"),
        "the list shows the labels:\n{}",
        h.screen()
    );
    // the list filter by label
    h.keys("<tab>/cat:politics<enter>");
    assert!(h.screen().contains("Articles (1/2)"), "{}", h.screen());
    h.keys("/cat:topic=economy<enter>");
    assert!(h.screen().contains("Articles (0/2)"), "{}", h.screen());
    h.keys("q");
    // exported in jsonl and counted by stats
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["export", "--format", "jsonl", "-o", "-"])
        .arg(&h.corpus)
        .output()
        .unwrap();
    let jsonl = String::from_utf8(out.stdout).unwrap();
    let a: serde_json::Value = serde_json::from_str(
        jsonl
            .lines()
            .find(|l| l.contains("\"a.txt\""))
            .expect("a.txt exported"),
    )
    .unwrap();
    assert_eq!(
        a["categories"],
        serde_json::json!([
            {"name": "flags", "value": "no-tasks"},
            {"name": "topic", "value": "politics"}
        ])
    );
    let b: serde_json::Value =
        serde_json::from_str(jsonl.lines().find(|l| l.contains("\"b.txt\"")).unwrap()).unwrap();
    assert_eq!(b["categories"], serde_json::json!([]), "one type, empty");
    let stats = stats_json(&h.corpus, "category");
    assert_eq!(stats["by_category"]["topic"]["politics"], 1);
    assert_eq!(stats["by_category"]["flags"]["no-tasks"], 1);
}

/// A corpus whose gloss.ron gives a value twice is refused, naming the file.
#[test]
fn a_category_given_twice_is_refused_naming_gloss_ron() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("a.txt"), "x\n").unwrap();
    std::fs::write(
        d.path().join("gloss.ron"),
        r#"(categories: [(name: "topic", values: ["a", "a"])])"#,
    )
    .unwrap();
    let e = gloss_core::corpus::CorpusConfig::load(d.path()).unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("gloss.ron") && m.contains("a is given twice"),
        "{m}"
    );
}

/// `H` opens the guide at the section of the tag under the cursor; `n`/`N` go from section to
/// section; `?` then `H` opens it too; reviewing, the bar gives the label's rule.
#[test]
fn the_guide_opens_at_the_label_under_the_cursor() {
    let mut h = corpus(TWO, 300);
    h.keys("<enter>wpH");
    let screen = h.screen();
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[1].contains("Guide: "), "{screen}");
    assert!(
        lines[2].contains("## Người (PERSON)"),
        "opened at the PERSON section:\n{screen}"
    );
    h.keys("n");
    let screen = h.screen();
    assert!(
        screen
            .lines()
            .nth(2)
            .unwrap()
            .contains("## Văn bản (DIRECTIVE)"),
        "{screen}"
    );
    h.keys("NN");
    assert!(
        h.screen().lines().nth(2).unwrap().contains("# Our guide"),
        "{}",
        h.screen()
    );
    h.keys("<esc>");
    assert!(!h.screen().contains("Guide: "));
    // from the help screen
    h.keys("?H");
    assert!(h.screen().contains("## Người (PERSON)"), "{}", h.screen());
    h.keys("<esc>");
    // reviewing: the rule beside the tag
    h.keys("R");
    let (bar, _) = h.bottom();
    assert!(bar.contains("rule: A person named"), "{bar}");
}

/// The labels' examples of gloss.ron make the guide's first sections.
#[test]
fn label_examples_of_gloss_ron_are_in_the_guide() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("a.txt"), "Ông Tô Lâm.\n").unwrap();
        std::fs::write(
            c.join("gloss.ron"),
            r#"(labels: Some([(name: "PERSON", key: 'p', color: "cyan", description: "A person's name", examples: ["Tô Lâm"], counter_examples: ["Tổng Bí thư"])]))"#,
        )
        .unwrap();
        c
    });
    h.keys("H");
    let s = h.screen();
    assert!(s.contains("## PERSON (key p)"), "{s}");
    assert!(s.contains("+ Tô Lâm") && s.contains("- Tổng Bí thư"), "{s}");
    assert!(s.contains("gloss.ron (no guide file)"), "{s}");
}

fn tag(label: &str, start: usize, end: usize, text: &str, who: &str, day: &str) -> Annotation {
    let mut t = Annotation::new(label, start, end, text, who);
    t.created = format!("{day}T09:00:00Z");
    t.modified = t.created.clone();
    t
}

/// Write the sidecar of `path` with these tags, status and time.
fn write_sidecar(path: &Path, tags: Vec<Annotation>, status: Status, time: &[(&str, &str, u64)]) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut t = ActiveTime::default();
    for (who, day, s) in time {
        t.add(who, day, *s);
    }
    let set = AnnotationSet::new(tags)
        .with_article(ArticleFields {
            status,
            ..ArticleFields::default()
        })
        .with_time(t);
    Sidecar::new(path, &text, &set)
        .save(&path.with_extension("ron"))
        .unwrap();
}

/// What `gloss ARGS` prints as JSON (it must succeed).
fn gloss_json<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stats_json(corpus: &Path, by: &str) -> serde_json::Value {
    gloss_json(&[
        "stats".as_ref(),
        "--json".as_ref(),
        "--by".as_ref(),
        by.as_ref(),
        corpus.as_os_str(),
    ])
}

fn known_corpus(tmp: &Path) -> PathBuf {
    let c = tmp.join("c");
    std::fs::create_dir_all(&c).unwrap();
    for (n, t) in [
        ("a.txt", "Ông Tô Lâm gặp bà Mai.\n"),
        ("b.txt", "Thực hiện nhiệm vụ ngay.\n"),
        ("c.txt", "Không có gì.\n"),
        ("d.txt", "Cũng không.\n"),
    ] {
        std::fs::write(c.join(n), t).unwrap();
    }
    write_sidecar(
        &c.join("a.txt"),
        vec![
            tag("PERSON", 4, 10, "Tô Lâm", "lan", "2025-12-01"),
            tag("PERSON", 18, 21, "Mai", "lan", "2025-12-01"),
        ],
        Status::Done,
        &[("lan", "2025-12-01", 1800)],
    );
    write_sidecar(
        &c.join("b.txt"),
        vec![tag(
            "TASK",
            0,
            23,
            "Thực hiện nhiệm vụ ngay",
            "minh",
            "2025-12-02",
        )],
        Status::InProgress,
        &[("minh", "2025-12-02", 600), ("lan", "2025-12-02", 120)],
    );
    c
}

/// The dashboard draws the figures `gloss stats --json` prints, at 80×24 and 140×40.
#[test]
fn the_dashboard_draws_the_figures_stats_prints() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = known_corpus(tmp.path());
    let s = stats_json(&corpus, "annotator");
    // the known counts, once, so the comparison below is of real figures
    assert_eq!(s["articles"], 4);
    assert_eq!(s["finished"], 1);
    assert_eq!(s["tags"], 3);
    assert_eq!(s["by_annotator"]["lan"]["articles"], 2);
    assert_eq!(s["by_annotator"]["lan"]["seconds"], 1920);
    assert_eq!(s["by_annotator"]["minh"]["tags"], 1);
    assert_eq!(s["by_status"]["new"], 2);
    assert_eq!(s["by_day"]["2025-12-02"]["seconds"], 720);
    for (w, hh) in [(80u16, 24u16), (140, 40)] {
        let c = corpus.clone();
        let mut h = Harness::with_corpus(move |_| c);
        h.resize(w, hh);
        h.keys("D");
        h.app.finish_background();
        h.draw();
        let screen = h.screen();
        let finished = s["finished"].as_u64().unwrap();
        let articles = s["articles"].as_u64().unwrap();
        assert!(
            screen.contains(&format!(
                "{finished} of {articles} articles done or reviewed (25%) · {} tags · 42m 00s active",
                s["tags"]
            )),
            "{w}×{hh}:\n{screen}"
        );
        for (name, a) in s["by_annotator"].as_object().unwrap() {
            let done = a["by_status"]["done"].as_u64().unwrap_or(0)
                + a["by_status"]["reviewed"].as_u64().unwrap_or(0);
            let row = format!(
                "{name:<16} {:>8} {:>5} {:>6} {:>8} {:>7}",
                a["articles"].as_u64().unwrap(),
                done,
                a["tags"].as_u64().unwrap(),
                gloss_core::project::duration_text(a["seconds"].as_u64().unwrap()),
                a["tags_per_hour"].as_f64().unwrap()
            );
            assert!(screen.contains(&row), "{w}×{hh}: no row {row:?}:\n{screen}");
        }
        for (label, l) in s["by_label"].as_object().unwrap() {
            let bar = format!("{} in {}", l["tags"], l["articles"]);
            assert!(
                screen.contains(label) && screen.contains(&bar),
                "{w}×{hh}: {label} {bar}:\n{screen}"
            );
        }
        assert!(
            screen.contains("Tags per day, 2025-12-01 to 2025-12-02"),
            "{screen}"
        );
        let golden = format!(
            "{}/tests/golden/dashboard.{w}x{hh}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        if std::env::var_os("GLOSS_BLESS").is_some() {
            std::fs::write(&golden, &screen).unwrap();
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        assert_eq!(
            screen, want,
            "{w}×{hh}: run with GLOSS_BLESS=1 to update after a deliberate change"
        );
        // any key closes it; a save since it was counted is in it at once
        h.keys("x");
        assert!(!h.screen().contains("Dashboard"));
    }
}

/// A tag saved while the dashboard's figures are kept is counted at once.
#[test]
fn the_dashboard_follows_the_saves() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = known_corpus(tmp.path());
    let mut h = Harness::with_corpus(move |_| corpus);
    h.keys("D");
    h.app.finish_background();
    h.keys("x");
    h.draw();
    // c.txt: tag a word, mark it done
    h.keys("jj<enter>pmd");
    h.keys("D");
    let screen = h.screen();
    assert!(
        screen.contains("2 of 4 articles done or reviewed (50%) · 4 tags"),
        "{screen}"
    );
    assert!(screen.contains("tester"), "{screen}");
}

/// `gloss agree` says how far annotators agree on each category of article labels (κ and α over
/// the articles, and how many are the same), from a hand-computed case.
#[test]
fn agree_compares_the_article_labels_over_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("gloss.ron"), GLOSS_RON).unwrap();
    // topic per article: lan e e p p, minh e p p p: 3 of 4 the same
    let lan = ["economy", "economy", "politics", "politics"];
    let minh = ["economy", "politics", "politics", "politics"];
    for (who, topics) in [("lan", lan), ("minh", minh)] {
        let dirs = gloss_core::store::SidecarDirs::new(&c, Some(&tmp.path().join(who)));
        for (i, topic) in topics.iter().enumerate() {
            let p = c.join(format!("a{i}.txt"));
            std::fs::write(&p, "Ông Tô Lâm.\n").unwrap();
            let mut article = ArticleFields::default();
            article
                .categories
                .insert("topic".into(), vec![topic.to_string()]);
            let set = AnnotationSet::new(vec![tag("PERSON", 4, 10, "Tô Lâm", who, "2025-12-01")])
                .with_article(article);
            let sc = dirs.sidecar_of(&p);
            std::fs::create_dir_all(sc.parent().unwrap()).unwrap();
            Sidecar::new(&p, "Ông Tô Lâm.\n", &set).save(&sc).unwrap();
        }
    }
    let j = gloss_json(&[
        "agree".as_ref(),
        c.as_os_str(),
        "--annotations".as_ref(),
        tmp.path().join("lan").as_os_str(),
        "--annotations".as_ref(),
        tmp.path().join("minh").as_os_str(),
        "--json".as_ref(),
    ]);
    let topic = &j["categories"]["topic"];
    assert_eq!(topic["articles"], 4);
    assert_eq!(topic["agreed"], 3);
    // p_o = 3/4; lan e 2/4 p 2/4, minh e 1/4 p 3/4: p_e = 1/2·1/4 + 1/2·3/4 = 1/2; κ = 0.5
    assert_eq!(topic["kappa"], 0.5);
    // flags: nobody chose any: all the same
    assert_eq!(j["categories"]["flags"]["agreed"], 4);
}

/// A team's corpus: each annotator's tree, and an assignment giving a.txt and b.txt to both and
/// c.txt to `an` alone. In a.txt `an` tagged two people and `binh` one; b.txt only `an` has done;
/// c.txt `an` has begun.
fn team_corpus(tmp: &Path) -> PathBuf {
    use gloss_core::store::SidecarDirs;
    let c = tmp.join("c");
    std::fs::create_dir_all(&c).unwrap();
    for (n, t) in [
        ("a.txt", "Ông Tô Lâm gặp bà Mai.\n"),
        ("b.txt", "Thực hiện nhiệm vụ ngay.\n"),
        ("c.txt", "Không có gì.\n"),
    ] {
        std::fs::write(c.join(n), t).unwrap();
    }
    std::fs::write(c.join("gloss.ron"), r#"(annotator_trees: Some("trees"))"#).unwrap();
    std::fs::write(
        c.join("assignment.ron"),
        r#"(annotators: ["an", "binh"], per_article: Some(1), seed: 0, articles: {"a.txt": ["an", "binh"], "b.txt": ["an", "binh"], "c.txt": ["an"]})"#,
    )
    .unwrap();
    let put = |who: &str, article: &str, tags: Vec<Annotation>, status: Status| {
        let path = c.join(article);
        let text = std::fs::read_to_string(&path).unwrap();
        let dirs = SidecarDirs::new(&c, Some(&c.join("trees").join(who)));
        let set = AnnotationSet::new(tags).with_article(ArticleFields {
            status,
            ..ArticleFields::default()
        });
        let sidecar = dirs.sidecar_of(&path);
        std::fs::create_dir_all(sidecar.parent().unwrap()).unwrap();
        Sidecar::new(&path, &text, &set).save(&sidecar).unwrap();
    };
    put(
        "an",
        "a.txt",
        vec![
            tag("PERSON", 4, 10, "Tô Lâm", "an", "2025-12-01"),
            tag("PERSON", 18, 21, "Mai", "an", "2025-12-01"),
        ],
        Status::Done,
    );
    put(
        "binh",
        "a.txt",
        vec![tag("PERSON", 4, 10, "Tô Lâm", "binh", "2025-12-01")],
        Status::Done,
    );
    put(
        "an",
        "b.txt",
        vec![tag(
            "TASK",
            0,
            23,
            "Thực hiện nhiệm vụ ngay",
            "an",
            "2025-12-02",
        )],
        Status::Done,
    );
    put("an", "c.txt", vec![], Status::InProgress);
    c
}

/// Does the dashboard's `screen` show `name`'s row ending in their queue `queue`?
fn queue_row(screen: &str, name: &str, queue: &str) -> bool {
    screen.lines().any(|l| {
        l.contains(&format!("│{name:<16} ")) && l.trim_end_matches('│').trim_end().ends_with(queue)
    })
}

/// In a team's corpus `gloss stats` reads every annotator's tree: each one's queue from the
/// assignment, an article finished when all it is assigned to finished it, and the agreement on
/// the shared articles both tagged, the same κ and α as `gloss agree`; the dashboard draws them,
/// and follows a save (which counts the article again from every tree).
#[test]
fn a_team_s_dashboard_shows_queues_and_agreement_on_the_overlap() {
    let tmp = tempfile::tempdir().unwrap();
    let c = team_corpus(tmp.path());
    let s = stats_json(&c, "annotator");
    assert_eq!(s["queues"]["an"]["assigned"], 3, "{s:#}");
    assert_eq!(s["queues"]["an"]["finished"], 2);
    assert_eq!(s["queues"]["binh"]["assigned"], 2);
    assert_eq!(s["queues"]["binh"]["finished"], 1);
    // a.txt done by both; b.txt not begun by binh (new); c.txt in progress
    assert_eq!(s["finished"], 1);
    assert_eq!(s["by_status"]["done"], 1);
    assert_eq!(s["by_status"]["new"], 1);
    assert_eq!(s["by_status"]["in-progress"], 1);
    assert_eq!(s["by_annotator"]["an"]["articles"], 3);
    assert_eq!(s["by_annotator"]["an"]["by_status"]["in-progress"], 1);
    assert_eq!(s["by_annotator"]["binh"]["tags"], 1);
    // agreement: a.txt only (binh has no b.txt yet). Tokens Ông Tô Lâm gặp bà Mai . labelled
    // O B I O O B O and O B I O O O O: observed 6/7, expected (4·5 + 2·1 + 1·1)/49, κ = 19/26
    let g = &s["agreement"];
    assert_eq!(g["articles"], 1, "{s:#}");
    let pair = &g["pairs"][0];
    assert_eq!(
        (pair["first"].as_str(), pair["second"].as_str()),
        (Some("an"), Some("binh"))
    );
    assert_eq!(pair["kappa"].as_f64().unwrap(), 0.731);
    assert_eq!(pair["tokens"], 7);
    let agree = gloss_json(&[
        "agree".as_ref(),
        c.as_os_str(),
        "--annotations".as_ref(),
        c.join("trees/an").as_os_str(),
        "--annotations".as_ref(),
        c.join("trees/binh").as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(agree["articles"], 1);
    assert_eq!(agree["kappa"], pair["kappa"]);
    assert_eq!(agree["alpha"], g["alpha"]);
    let alpha = g["alpha"].as_f64().unwrap();
    // without --annotations, agree takes every annotator's tree
    let by_trees = gloss_json(&["agree".as_ref(), c.as_os_str(), "--json".as_ref()]);
    assert_eq!(by_trees["annotators"], serde_json::json!(["an", "binh"]));
    assert_eq!(by_trees, agree);
    // the text table says the same
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["stats", "--by", "annotator"])
        .arg(&c)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("Krippendorff's alpha {alpha:.3}"))
            && text.contains("an / binh: Cohen's kappa 0.731 over 1 article(s), 7 tokens"),
        "{text}"
    );

    // binh's dashboard, then binh finishes b.txt with no tags
    let cc = c.clone();
    let mut h = Harness::with_options(move |_| cc, |_, o| o.annotator = Some("binh".into()));
    h.keys("D");
    h.app.finish_background();
    h.draw();
    let screen = h.screen();
    assert!(
        screen.contains("1 of 3 articles done or reviewed (33%)"),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("Agreement on 1 shared article(s): α {alpha:.3}"))
            && screen.contains("an / binh: κ 0.731 (1 articles)"),
        "{screen}"
    );
    assert!(
        queue_row(&screen, "an", "2/3") && queue_row(&screen, "binh", "1/2"),
        "{screen}"
    );
    h.keys("x");
    // binh's queue: a.txt, b.txt
    h.keys("j<enter>md");
    assert_eq!(h.app.state.reader.as_ref().map(|r| r.entry), Some(1));
    h.app.finish_background();
    h.keys("<esc>D");
    h.app.finish_background();
    h.draw();
    let screen = h.screen();
    assert!(
        screen.contains("2 of 3 articles done or reviewed (67%)"),
        "{screen}"
    );
    assert!(
        screen.contains("Agreement on 2 shared article(s)"),
        "{screen}"
    );
    assert!(queue_row(&screen, "binh", "2/2"), "{screen}");
}
