//! `gloss assign` (issue 30): who annotates which article, on generated corpora. Deterministic for
//! a seed, stable when articles are added, each article given the annotators asked, counts
//! balanced, the overlap share kept; refused input said, naming the file; merged by git; followed
//! by the TUI's queue and by `gloss agree`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Harness;
use gloss_core::assignment::{Assignment, Share};

fn gloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .output()
        .unwrap()
}

fn gloss_ok(args: &[&str]) -> String {
    let out = gloss(args);
    assert!(
        out.status.success(),
        "gloss {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn gloss_err(args: &[&str]) -> String {
    let out = gloss(args);
    assert!(!out.status.success(), "gloss {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Articles `from..to` (spread over a few folders) in the corpus `c`.
fn add_articles(c: &Path, from: usize, to: usize) {
    for i in from..to {
        let p = c.join(format!("f{}/bài {i:03}.txt", i % 4));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("Bài {i}. Ông Hòa nói.\n")).unwrap();
    }
}

fn corpus(tmp: &Path, n: usize) -> PathBuf {
    let c = tmp.join("c");
    add_articles(&c, 0, n);
    c
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn load(c: &Path) -> Assignment {
    Assignment::load(c).unwrap().expect("an assignment")
}

/// Articles per annotator.
fn loads(a: &Assignment) -> BTreeMap<String, usize> {
    let mut m: BTreeMap<String, usize> = a.annotators.iter().map(|n| (n.clone(), 0)).collect();
    for who in a.articles.values() {
        for n in who {
            *m.get_mut(n).unwrap() += 1;
        }
    }
    m
}

fn spread(a: &Assignment) -> usize {
    let l = loads(a);
    l.values().max().unwrap() - l.values().min().unwrap()
}

#[test]
fn the_same_seed_gives_the_same_file_and_another_seed_another() {
    let tmp = tempfile::tempdir().unwrap();
    let (c1, c2, c3) = (
        tmp.path().join("1"),
        tmp.path().join("2"),
        tmp.path().join("3"),
    );
    for c in [&c1, &c2, &c3] {
        add_articles(c, 0, 60);
    }
    let args = ["--annotators", "lan,minh,thu", "--overlap", "0.2"];
    for (c, seed) in [(&c1, "7"), (&c2, "7"), (&c3, "8")] {
        let mut a = vec!["assign", s(c)];
        a.extend(args);
        a.extend(["--seed", seed]);
        gloss_ok(&a);
    }
    let read = |c: &Path| std::fs::read_to_string(c.join("assignment.ron")).unwrap();
    assert_eq!(read(&c1), read(&c2));
    assert_ne!(read(&c1), read(&c3));
    // (and the difference is who gets what, not the articles or the share)
    let (a1, a3) = (load(&c1), load(&c3));
    assert_eq!(
        a1.articles.keys().collect::<Vec<_>>(),
        a3.articles.keys().collect::<Vec<_>>()
    );
    assert_eq!(a1.overlapped().count(), 12);
    assert_eq!(a3.overlapped().count(), 12);
    // run again with nothing new: the file is left byte for byte
    let before = read(&c1);
    let out = gloss_ok(&["assign", s(&c1)]);
    assert!(out.contains("0 new article(s)"), "{out}");
    assert_eq!(read(&c1), before);
}

#[test]
fn articles_added_later_are_given_out_and_past_assignments_stay() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path(), 30);
    gloss_ok(&[
        "assign",
        s(&c),
        "--annotators",
        "lan,minh,thu",
        "--overlap",
        "0.1",
        "--seed",
        "3",
    ]);
    let first = load(&c);
    assert_eq!(first.articles.len(), 30);
    add_articles(&c, 30, 47);
    // without options: the assignment's annotators, share and seed
    let out = gloss_ok(&["assign", s(&c)]);
    assert!(out.contains("17 new article(s) assigned"), "{out}");
    let second = load(&c);
    assert_eq!(second.articles.len(), 47);
    for (id, who) in &first.articles {
        assert_eq!(&second.articles[id], who, "{id} kept its annotators");
    }
    assert!(spread(&second) <= 1, "{:?}", loads(&second));
    // the share holds over the whole corpus: round(0.1 × 47) = 5
    assert_eq!(second.overlapped().count(), 5);
    // the text of the first run is all still there, line for line
    let old = first.to_text();
    let new = std::fs::read_to_string(c.join("assignment.ron")).unwrap();
    for line in old.lines().filter(|l| l.contains(".txt")) {
        assert!(new.lines().any(|l| l == line), "{line} lost");
    }
    // a new annotator joins: new articles go to them first, the old ones stay
    add_articles(&c, 47, 59);
    gloss_ok(&["assign", s(&c), "--annotators", "lan,minh,thu,vy"]);
    let third = load(&c);
    for (id, who) in &second.articles {
        assert_eq!(&third.articles[id], who);
    }
    let l = loads(&third);
    assert!(l["vy"] >= 11, "{l:?}");
}

#[test]
fn per_article_gives_every_article_k_annotators_balanced() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path(), 37);
    let out = gloss_ok(&[
        "assign",
        s(&c),
        "--annotators",
        "a,b,c,d",
        "--per-article",
        "2",
    ]);
    let a = load(&c);
    assert_eq!(a.share, Share::PerArticle(2));
    assert_eq!(a.articles.len(), 37);
    for (id, who) in &a.articles {
        assert_eq!(who.len(), 2, "{id}: {who:?}");
        assert_ne!(who[0], who[1]);
    }
    // 74 places among 4: 18 or 19 each
    assert!(spread(&a) <= 1, "{:?}", loads(&a));
    assert!(out.contains("37 shared"), "{out}");
    // on many sizes and seeds, through the core
    for n in [1, 2, 5, 13, 40, 101] {
        for (names, k) in [("a,b,c", 1), ("a,b,c", 3), ("a,b,c,d,e", 2), ("a,b", 2)] {
            for seed in 0..4 {
                let names: Vec<String> = names.split(',').map(String::from).collect();
                let mut a = Assignment::new(names.clone(), Share::PerArticle(k), seed).unwrap();
                let ids: Vec<String> = (0..n).map(|i| format!("x/{i}.txt")).collect();
                a.assign(&ids, &|_| true, &names).unwrap();
                assert!(a.articles.values().all(|w| w.len() == k));
                assert!(spread(&a) <= 1, "{n} {k} {seed}: {:?}", loads(&a));
            }
        }
    }
}

#[test]
fn the_overlap_share_is_the_share_asked_and_counts_stay_balanced() {
    for n in [0, 1, 9, 10, 57, 200] {
        for f in [0.0, 0.1, 0.25, 1.0] {
            for seed in [0, 1, 99] {
                let names: Vec<String> = ["lan", "minh", "thu"].map(String::from).to_vec();
                let mut a = Assignment::new(names.clone(), Share::Overlap(f), seed).unwrap();
                // given out in two batches, as a growing corpus is
                let ids: Vec<String> = (0..n).map(|i| format!("x/{i:03}.txt")).collect();
                let half = n / 2;
                a.assign(&ids[..half], &|_| true, &names).unwrap();
                a.assign(&ids, &|_| true, &names).unwrap();
                assert_eq!(a.articles.len(), n);
                let shared = a.overlapped().count();
                let want = (f * n as f64).round() as usize;
                assert_eq!(shared, want, "{n} {f} {seed}");
                assert!(a.articles.values().all(|w| w.len() == 1 || w.len() == 2));
                assert!(spread(&a) <= 1, "{n} {f} {seed}: {:?}", loads(&a));
            }
        }
    }
    // in one batch the share is exact
    let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let mut a = Assignment::new(names.clone(), Share::Overlap(0.1), 5).unwrap();
    let ids: Vec<String> = (0..100).map(|i| format!("{i}.txt")).collect();
    a.assign(&ids, &|_| true, &names).unwrap();
    assert_eq!(a.overlapped().count(), 10);
    assert_eq!(a.articles.values().filter(|w| w.len() == 1).count(), 90);
    // 110 places among 3: 36 or 37 each
    assert!(
        loads(&a).values().all(|&l| l == 36 || l == 37),
        "{:?}",
        loads(&a)
    );
}

#[test]
fn refused_input_is_said_naming_the_file_and_nothing_is_written_over() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path(), 5);
    let file = c.join("assignment.ron");
    let e = gloss_err(&["assign", s(&c)]);
    assert!(
        e.contains("assignment.ron") && e.contains("--annotators"),
        "{e}"
    );
    let e = gloss_err(&["assign", s(&c), "--annotators", "a,b", "--per-article", "3"]);
    assert!(e.contains("3 annotators per article, but only 2"), "{e}");
    let e = gloss_err(&["assign", s(&c), "--annotators", "a", "--overlap", "0.5"]);
    assert!(e.contains("an overlap needs two annotators"), "{e}");
    let e = gloss_err(&["assign", s(&c), "--annotators", "a,b", "--overlap", "1.5"]);
    assert!(e.contains("not a share between 0 and 1"), "{e}");
    let e = gloss_err(&[
        "assign",
        s(&c),
        "--annotators",
        "a,b",
        "--overlap",
        "0.5",
        "--per-article",
        "2",
    ]);
    assert!(e.contains("cannot be used with"), "{e}");
    let e = gloss_err(&["assign", s(&c), "--annotators", "a,a"]);
    assert!(e.contains("named twice"), "{e}");
    let e = gloss_err(&["assign", s(&c), "--annotators", "a,lan anh"]);
    assert!(e.contains("one word"), "{e}");
    let e = gloss_err(&[
        "assign",
        s(&c),
        "--annotators",
        "a",
        "--only",
        "status:finito",
    ]);
    assert!(e.contains("--only: status:finito is no status"), "{e}");
    assert!(!file.exists(), "nothing written on refused input");
    // a file that does not parse, or is forged, is named and left as it is
    for bad in [
        "(annotators: [\"a\"], seed: 0, articles: {\n<<<<<<< ours\n",
        "(annotators: [\"a\"], seed: 0, articles: {\"f0/bài 000.txt\": [\"zed\"]})",
        "(annotators: [\"a\"], seed: 0, articles: {\"../../etc/passwd.txt\": [\"a\"]})",
    ] {
        std::fs::write(&file, bad).unwrap();
        for args in [
            &["assign", s(&c)][..],
            &["assign", s(&c), "--annotators", "a,b"],
        ] {
            let e = gloss_err(args);
            assert!(e.contains(s(&file)), "{e}");
            assert!(e.contains("left as it is"), "{e}");
            assert_eq!(std::fs::read_to_string(&file).unwrap(), bad);
        }
    }
    // an article whose sidecar would be the assignment is not one
    std::fs::remove_file(&file).unwrap();
    std::fs::write(c.join("assignment.txt"), "x").unwrap();
    let e = String::from_utf8_lossy(
        &gloss(&["assign", s(&c), "--annotators", "a", "--keep-going"]).stderr,
    )
    .into_owned();
    assert!(
        e.contains("assignment.txt") && e.contains("own assignment"),
        "{e}"
    );
    assert_eq!(load(&c).articles.len(), 5);
}

#[test]
fn only_gives_out_the_articles_the_filter_keeps() {
    use common::corpus::{tag, write_article};
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    for i in 0..6 {
        let text = format!("Ông Tô Lâm nói lần {i}.");
        let tags = if i % 2 == 0 {
            vec![tag(&text, "t1", "PERSON", "Tô Lâm", 0, None)]
        } else {
            vec![]
        };
        write_article(&c, &format!("{i}.txt"), &text, tags);
    }
    let out = gloss_ok(&[
        "assign",
        s(&c),
        "--annotators",
        "lan,minh",
        "--only",
        "has:PERSON",
    ]);
    assert!(
        out.contains("3 article(s) not assigned (left out by --only)"),
        "{out}"
    );
    let a = load(&c);
    assert_eq!(
        a.articles.keys().collect::<Vec<_>>(),
        ["0.txt", "2.txt", "4.txt"]
    );
    // then the rest, by another term
    gloss_ok(&["assign", s(&c), "--only", "no:PERSON"]);
    let b = load(&c);
    assert_eq!(b.articles.len(), 6);
    for (id, who) in &a.articles {
        assert_eq!(&b.articles[id], who);
    }
    assert!(spread(&b) <= 1);
}

#[test]
fn with_annotator_trees_only_reads_each_annotator_s_tree() {
    use gloss_core::annotation::Change;
    use gloss_core::store::{Document, SidecarDirs};
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path(), 8);
    std::fs::write(c.join("gloss.ron"), r#"(annotator_trees: Some("ann"))"#).unwrap();
    gloss_ok(&["assign", s(&c), "--annotators", "lan,minh", "--only", "f1"]);
    let a = load(&c);
    assert_eq!(a.articles.len(), 2, "{:?}", a.articles);
    // minh tags one article of f2 in their tree: by:minh finds it there
    let dirs = SidecarDirs::new(&c, Some(&c.join("ann/minh")));
    let path = c.join("f2/bài 002.txt");
    let mut doc = Document::open(&dirs, &path).unwrap();
    let b = doc.text().find("Hòa").unwrap();
    let t = doc.new_tag("PERSON", b..b + "Hòa".len(), "minh").unwrap();
    doc.edit(vec![Change::Add(t)]);
    doc.save().unwrap();
    gloss_ok(&["assign", s(&c), "--only", "by:minh"]);
    let b = load(&c);
    assert_eq!(b.articles.len(), 3);
    assert!(b.articles.contains_key("f2/bài 002.txt"));
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .expect("git runs")
}

fn git_ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Two clones each add articles next to each other in name order and assign them; git merges
/// the two assignments through gloss's driver, article by article, without a conflict.
#[test]
fn two_branches_that_assign_different_new_articles_merge_in_git() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    add_articles(&origin, 0, 10);
    git_ok(&origin, &["init", "-q", "-b", "main"]);
    let setup = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(&origin)
        .arg("git-setup")
        .output()
        .unwrap();
    assert!(setup.status.success());
    gloss_ok(&[
        "assign",
        s(&origin),
        "--annotators",
        "lan,minh",
        "--overlap",
        "0.2",
    ]);
    git_ok(&origin, &["add", "-A"]);
    git_ok(&origin, &["commit", "-q", "-m", "corpus"]);
    git_ok(&origin, &["config", "receive.denyCurrentBranch", "ignore"]);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for clone in [&a, &b] {
        git_ok(tmp.path(), &["clone", "-q", s(&origin), s(clone)]);
        let setup = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .current_dir(clone)
            .arg("git-setup")
            .output()
            .unwrap();
        assert!(setup.status.success());
    }
    // interleaved names: a's and b's new lines land side by side in the file
    let mut sides = Vec::new();
    for (clone, from) in [(&a, 10), (&b, 14)] {
        add_articles(clone, from, from + 4);
        gloss_ok(&["assign", s(clone)]);
        git_ok(clone, &["add", "-A"]);
        git_ok(clone, &["commit", "-q", "-m", "more"]);
        sides.push(load(clone));
    }
    git_ok(&a, &["push", "-q", "origin", "main"]);
    let out = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = load(&b);
    assert_eq!(merged.articles.len(), 18);
    for side in &sides {
        assert_eq!(side.articles.len(), 14);
        for (id, who) in &side.articles {
            assert_eq!(&merged.articles[id], who, "{id}");
        }
    }
    let text = std::fs::read_to_string(b.join("assignment.ron")).unwrap();
    assert!(!text.contains("<<<<<<<"), "{text}");
    // a side that does not parse: the driver refuses, ours stays, git reports a conflict
    let (base, ours, theirs) = (
        tmp.path().join("O"),
        tmp.path().join("A"),
        tmp.path().join("B"),
    );
    std::fs::write(&base, "").unwrap();
    std::fs::write(&ours, &text).unwrap();
    std::fs::write(&theirs, "(annotators: [").unwrap();
    let out = gloss(&[
        "merge-driver",
        s(&base),
        s(&ours),
        s(&theirs),
        "assignment.ron",
    ]);
    assert!(!out.status.success());
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("assignment.ron (theirs)") && e.contains("git reports a conflict"),
        "{e}"
    );
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), text);
}

/// `gloss agree` compares the articles the assignment shares among the annotators, and says so;
/// `--all-articles` compares every article both tagged.
#[test]
fn agree_compares_the_shared_articles_by_default() {
    use gloss_core::annotation::Change;
    use gloss_core::store::{Document, SidecarDirs};
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path(), 6);
    std::fs::write(c.join("gloss.ron"), r#"(annotator_trees: Some("ann"))"#).unwrap();
    gloss_ok(&[
        "assign",
        s(&c),
        "--annotators",
        "lan,minh",
        "--overlap",
        "0.34",
    ]);
    let a = load(&c);
    let shared: Vec<String> = a.overlapped().map(|(id, _)| id.clone()).collect();
    assert_eq!(shared.len(), 2);
    // both tag every article (one way on the shared ones, another elsewhere)
    for name in ["lan", "minh"] {
        let dirs = SidecarDirs::new(&c, Some(&c.join("ann").join(name)));
        for id in a.articles.keys() {
            let mut doc = Document::open(&dirs, &c.join(id)).unwrap();
            let label = if shared.contains(id) || name == "lan" {
                "PERSON"
            } else {
                "TASK"
            };
            let b = doc.text().find("Hòa").unwrap();
            let t = doc.new_tag(label, b..b + "Hòa".len(), name).unwrap();
            doc.edit(vec![Change::Add(t)]);
            doc.save().unwrap();
        }
    }
    let (lan, minh) = (c.join("ann/lan"), c.join("ann/minh"));
    let run = |extra: &[&str]| {
        let mut args = vec![
            "agree",
            s(&c),
            "--annotations",
            s(&lan),
            "--annotations",
            s(&minh),
        ];
        args.extend(extra);
        gloss_ok(&args)
    };
    let text = run(&[]);
    assert!(text.contains("2 article(s) they all tagged"), "{text}");
    assert!(
        text.contains("assignment.ron gives to all of them"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&run(&["--json"])).unwrap();
    assert_eq!(v["articles"], 2);
    assert_eq!(v["scope"], "assignment");
    assert_eq!(v["kappa"], 1.0, "the shared articles agree");
    let v: serde_json::Value = serde_json::from_str(&run(&["--json", "--all-articles"])).unwrap();
    assert_eq!(v["articles"], 6);
    assert_eq!(v["scope"], "all");
    assert!(v["kappa"].as_f64().unwrap() < 1.0);
}

/// A corpus of six articles, `tester` (the harness's annotator) given three of them.
fn queue_corpus(tmp: &Path) -> PathBuf {
    let c = tmp.join("c");
    std::fs::create_dir_all(&c).unwrap();
    for i in 1..=6 {
        std::fs::write(
            c.join(format!("a{i}.txt")),
            format!("Bài số {i}. Ông Hòa nói.\n"),
        )
        .unwrap();
    }
    std::fs::write(
        c.join("assignment.ron"),
        r#"(
    annotators: ["lan", "tester"],
    overlap: Some(0.0),
    seed: 0,
    articles: {
        "a1.txt": ["lan"],
        "a2.txt": ["tester"],
        "a3.txt": ["lan"],
        "a4.txt": ["lan", "tester"],
        "a5.txt": ["tester"],
        "a6.txt": ["lan"],
    },
)
"#,
    )
    .unwrap();
    c
}

fn list_names(h: &Harness) -> Vec<String> {
    let screen = h.screen();
    // the list shows titles: "Bài số N."
    (1..=6)
        .filter(|i| screen.contains(&format!("Bài số {i}.")))
        .map(|i| format!("a{i}.txt"))
        .collect()
}

#[test]
fn the_tui_opens_on_my_queue_and_w_opens_the_next_article_not_done() {
    let mut h = Harness::with_corpus(queue_corpus);
    let screen = h.screen();
    assert!(screen.contains("My queue 3/6 · 0/3 done"), "{screen}");
    assert_eq!(h.app.state.list.filter, "assigned:me");
    assert_eq!(list_names(&h), ["a2.txt", "a4.txt", "a5.txt"]);
    // the next not done: a2, then (a2 done) a4, then a5, then round to a4 when a5 is done too
    h.keys("W");
    assert_eq!(h.app.state.reader.as_ref().unwrap().entry, 1, "a2 open");
    h.keys("md");
    h.keys("W");
    assert_eq!(h.app.state.reader.as_ref().unwrap().entry, 3, "a4 open");
    assert!(h.screen().contains("1/3 done"), "{}", h.screen());
    h.keys("W");
    assert_eq!(h.app.state.reader.as_ref().unwrap().entry, 4, "a5 open");
    h.keys("md");
    h.keys("W");
    assert_eq!(h.app.state.reader.as_ref().unwrap().entry, 3, "round to a4");
    h.keys("md");
    h.keys("W");
    assert!(
        h.message().contains("your queue is done"),
        "{}",
        h.message()
    );
    assert!(h.screen().contains("3/3 done"), "{}", h.screen());
    // clearing the filter shows every article; typing the term brings the queue back
    h.keys("<tab>/<esc>");
    let screen = h.screen();
    assert!(screen.contains("Articles (6)"), "{screen}");
    assert_eq!(list_names(&h).len(), 6);
    h.keys("/assigned:lan<enter>");
    assert_eq!(list_names(&h), ["a1.txt", "a3.txt", "a4.txt", "a6.txt"]);
    h.keys("/assigned:me assigned:lan<enter>");
    assert_eq!(list_names(&h), ["a4.txt"]);
    assert!(h.screen().contains("My queue 1/6"), "{}", h.screen());
}

#[test]
fn an_annotator_the_assignment_does_not_name_sees_every_article() {
    let mut h = Harness::with_options(queue_corpus, |_, o| o.annotator = Some("vy".into()));
    let screen = h.screen();
    assert!(screen.contains("Articles (6)"), "{screen}");
    assert!(!screen.contains("My queue"), "{screen}");
    h.keys("W");
    assert!(h.message().contains("no queue"), "{}", h.message());
    assert!(h.app.state.reader.is_none());
}

#[test]
fn an_assignment_that_does_not_parse_is_said_and_the_list_shows_all() {
    let h = Harness::with_corpus(|tmp| {
        let c = queue_corpus(tmp);
        std::fs::write(
            c.join("assignment.ron"),
            "(annotators: [\"tester\"], seed: 0, articles: {\"a1.txt\": [\"x\"]})",
        )
        .unwrap();
        c
    });
    let screen = h.screen();
    assert!(screen.contains("Articles (6)"), "{screen}");
    assert!(
        screen.contains("assignment.ron") && screen.contains("no queue"),
        "{screen}"
    );
}
