//! Git as the way a team shares its work, with the real `git` binary: two clones tag the same
//! article and merge through `gloss merge-driver` (installed by `gloss git-setup`).

use std::path::Path;
use std::process::{Command, Output};

use gloss_core::annotation::Change;
use gloss_core::store::{Document, Sidecar, SidecarDirs};

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

fn ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn gloss(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const TEXT: &str = "Ông Tô Lâm gặp bà Trương Thị Mai và ông Lê Minh Hưng.\n";

/// Tag `needle` as `label` in the clone at `dir` (through the core document, as the TUI would).
fn tag(dir: &Path, label: &str, needle: &str) {
    let dirs = SidecarDirs::new(dir, None);
    let mut doc = Document::open(&dirs, &dir.join("a.txt")).unwrap();
    let b = doc.text().find(needle).unwrap();
    let t = doc.new_tag(label, b..b + needle.len(), "t").unwrap();
    doc.edit(vec![Change::Add(t)]);
    doc.save().unwrap();
}

fn relabel(dir: &Path, text: &str, label: &str) {
    let dirs = SidecarDirs::new(dir, None);
    let mut doc = Document::open(&dirs, &dir.join("a.txt")).unwrap();
    let before = doc.tags().iter().find(|t| t.text == text).unwrap().clone();
    let mut after = before.clone();
    after.label = label.into();
    doc.edit(vec![Change::update(before, after)]);
    doc.save().unwrap();
}

fn commit(dir: &Path, msg: &str) {
    ok(dir, &["add", "-A"]);
    ok(dir, &["commit", "-q", "-m", msg]);
}

fn have_git() -> bool {
    Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn two_clones_merge_their_tags_by_id_and_a_corrupt_sidecar_stops_the_merge() {
    assert!(have_git(), "this test needs git");
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    ok(&origin, &["init", "-q", "-b", "main"]);
    std::fs::write(origin.join("a.txt"), TEXT).unwrap();
    gloss(&origin, &["git-setup"]);
    let attributes = std::fs::read_to_string(origin.join(".gitattributes")).unwrap();
    assert!(attributes.contains("*.ron merge=gloss"));
    commit(&origin, "corpus");
    ok(&origin, &["config", "receive.denyCurrentBranch", "ignore"]);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for clone in [&a, &b] {
        ok(
            tmp.path(),
            &[
                "clone",
                "-q",
                origin.to_str().unwrap(),
                clone.to_str().unwrap(),
            ],
        );
        gloss(clone, &["git-setup"]);
    }

    // Different words on each side: merged with no conflict, both tags kept.
    tag(&a, "PERSON", "Tô Lâm");
    commit(&a, "a tags Tô Lâm");
    ok(&a, &["push", "-q", "origin", "main"]);
    tag(&b, "PERSON", "Trương Thị Mai");
    commit(&b, "b tags Trương Thị Mai");
    ok(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    let sc = Sidecar::load(&b.join("a.ron")).unwrap().unwrap();
    let texts: Vec<&str> = sc.tags.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["Tô Lâm", "Trương Thị Mai"]);
    assert!(sc.tags.iter().all(|t| t.conflict.is_none()));
    ok(&b, &["push", "-q", "origin", "main"]);
    ok(&a, &["pull", "-q", "--no-rebase", "origin", "main"]);

    // The same tag re-labelled differently on each side: both versions kept, marked, valid RON.
    relabel(&a, "Tô Lâm", "TASK");
    commit(&a, "a: TASK");
    ok(&a, &["push", "-q", "origin", "main"]);
    relabel(&b, "Tô Lâm", "DIRECTIVE");
    commit(&b, "b: DIRECTIVE");
    let out = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let raw = std::fs::read_to_string(b.join("a.ron")).unwrap();
    assert!(
        !raw.contains("<<<<<<<") && !raw.contains(">>>>>>>"),
        "{raw}"
    );
    let sc = Sidecar::load(&b.join("a.ron")).unwrap().unwrap();
    let lam: Vec<&gloss_core::annotation::Annotation> =
        sc.tags.iter().filter(|t| t.text == "Tô Lâm").collect();
    let labels: std::collections::BTreeSet<&str> = lam.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["DIRECTIVE", "TASK"].into_iter().collect());
    assert!(lam.iter().all(|t| t.conflict.is_some()), "{lam:?}");
    // gloss shows it
    let doc = Document::open(&SidecarDirs::new(&b, None), &b.join("a.txt")).unwrap();
    let note = doc.open_note().unwrap();
    assert!(note.contains("changed in two places"), "{note}");
    ok(&b, &["push", "-q", "origin", "main"]);
    ok(&a, &["pull", "-q", "--no-rebase", "origin", "main"]);

    // A sidecar that does not parse on one side: the driver fails, git reports a conflict.
    std::fs::write(a.join("a.ron"), "(format: 1, tags: [ broken").unwrap();
    commit(&a, "a breaks the sidecar");
    ok(&a, &["push", "-q", "origin", "main"]);
    tag(&b, "PERSON", "Lê Minh Hưng");
    commit(&b, "b tags Lê Minh Hưng");
    let out = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(!out.status.success(), "the merge stops");
    let status = String::from_utf8_lossy(&git(&b, &["status", "--porcelain"]).stdout).into_owned();
    assert!(status.contains("UU a.ron"), "{status}");
}

/// Run `gloss merge-driver O A B a.ron` on three files written in `dir`.
fn drive(dir: &Path, base: &str, ours: &str, theirs: &str) -> Output {
    drive_as(dir, "a.ron", base, ours, theirs)
}

/// Run `gloss merge-driver O A B PATH` on three files written in `dir`.
fn drive_as(dir: &Path, path: &str, base: &str, ours: &str, theirs: &str) -> Output {
    for (name, text) in [("O", base), ("A", ours), ("B", theirs)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(dir)
        .args(["merge-driver", "O", "A", "B", path])
        .output()
        .unwrap()
}

#[test]
fn the_driver_merges_fields_of_a_newer_gloss_three_way_and_never_writes_over_a_broken_side() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.txt"), TEXT).unwrap();
    tag(tmp.path(), "PERSON", "Tô Lâm");
    let base = std::fs::read_to_string(tmp.path().join("a.ron")).unwrap();
    let end = base.rfind(')').unwrap();
    let newer = |fields: &str| format!("{}{fields})\n", &base[..end]);
    let base = newer("    future: 1,\n    gone: 0,\n");
    // ours keeps the fields as they were; theirs changes one and removes the other
    let ours = base.replace("status: InProgress", "status: Done");
    let theirs = newer("    future: 2,\n");
    let out = drive(tmp.path(), &base, &ours, &theirs);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = std::fs::read_to_string(tmp.path().join("A")).unwrap();
    let sc = Sidecar::parse(Path::new("A"), &merged).unwrap();
    assert_eq!(sc.extra, [("future".to_string(), "2".to_string())]);
    assert_eq!(sc.status, gloss_core::annotation::Status::Done);
    assert_eq!(sc.tags.len(), 1);
    // a side that does not parse: an error naming it, and ours left as it was
    let out = drive(tmp.path(), &base, &ours, "(format: 1, tags: [ broken");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.ron (theirs)") && err.contains("git reports a conflict"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(tmp.path().join("A")).unwrap(), ours);
}

/// `git-setup` gives each kind of file gloss keeps its merge, with the real git: the entity registry
/// by entity id (both sides' new entities kept, aliases joined), `gloss.ron` line by line (markers
/// where both changed one line, and git says so), and lock files never show as untracked.
#[test]
fn the_registry_and_the_config_merge_as_what_they_are_and_locks_are_ignored() {
    use gloss_core::entity::Registry;
    assert!(have_git(), "this test needs git");
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    ok(&origin, &["init", "-q", "-b", "main"]);
    std::fs::write(origin.join("a.txt"), TEXT).unwrap();
    let config = "(\n    // the team's labels\n    labels: None,\n    // what a tag can say of another\n    // (types, and the labels at each end)\n    relations: None,\n)\n";
    std::fs::write(origin.join("gloss.ron"), config).unwrap();
    let mut r = Registry::load(&origin).unwrap();
    let lam = r.create("PERSON", "Tô Lâm");
    r.save().unwrap();
    gloss(&origin, &["git-setup"]);
    let ignore = std::fs::read_to_string(origin.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*.ron.lock"), "{ignore}");
    commit(&origin, "corpus");
    let committed = String::from_utf8_lossy(&git(&origin, &["ls-files"]).stdout).into_owned();
    assert!(!committed.contains(".lock"), "{committed}");
    ok(&origin, &["config", "receive.denyCurrentBranch", "ignore"]);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for clone in [&a, &b] {
        let (o, c) = (origin.to_str().unwrap(), clone.to_str().unwrap());
        ok(tmp.path(), &["clone", "-q", o, c]);
        gloss(clone, &["git-setup"]);
    }
    // each side makes an entity, and b gives Tô Lâm an alias
    let mut ra = Registry::load(&a).unwrap();
    let mai = ra.create("PERSON", "Trương Thị Mai");
    ra.save().unwrap();
    commit(&a, "a: Mai");
    ok(&a, &["push", "-q", "origin", "main"]);
    let mut rb = Registry::load(&b).unwrap();
    let hung = rb.create("PERSON", "Lê Minh Hưng");
    rb.add_alias(&lam, "Bộ trưởng Tô Lâm");
    rb.save().unwrap();
    commit(&b, "b: Hưng, an alias");
    let out = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = Registry::load(&b).unwrap();
    let ids: Vec<&str> = merged.entities().iter().map(|e| e.id.as_str()).collect();
    for id in [&lam, &mai, &hung] {
        assert!(ids.contains(&id.as_str()), "{id} in {ids:?}");
    }
    assert!(
        merged
            .get(&lam)
            .unwrap()
            .aliases
            .contains(&"Bộ trưởng Tô Lâm".to_string())
    );
    ok(&b, &["push", "-q", "origin", "main"]);
    ok(&a, &["pull", "-q", "--no-rebase", "origin", "main"]);
    // the config: other lines merge cleanly, comments kept
    let edit = |dir: &Path, from: &str, to: &str| {
        let p = dir.join("gloss.ron");
        let text = std::fs::read_to_string(&p).unwrap().replace(from, to);
        std::fs::write(p, text).unwrap();
    };
    edit(
        &a,
        "labels: None",
        "labels: Some([(name: \"ORG\", key: 'o', color: \"green\")])",
    );
    commit(&a, "a: ORG");
    ok(&a, &["push", "-q", "origin", "main"]);
    edit(&b, "relations: None", "relations: Some([])");
    commit(&b, "b: no relations");
    ok(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    let text = std::fs::read_to_string(b.join("gloss.ron")).unwrap();
    assert!(
        text.contains("ORG") && text.contains("relations: Some([])"),
        "{text}"
    );
    assert!(text.contains("// the team's labels"), "{text}");
    ok(&b, &["push", "-q", "origin", "main"]);
    ok(&a, &["pull", "-q", "--no-rebase", "origin", "main"]);
    // both change one line: git stops with markers, ours and theirs both there
    edit(
        &a,
        "relations: Some([])",
        "relations: Some([(name: \"A\")])",
    );
    commit(&a, "a: A");
    ok(&a, &["push", "-q", "origin", "main"]);
    edit(
        &b,
        "relations: Some([])",
        "relations: Some([(name: \"B\")])",
    );
    commit(&b, "b: B");
    let out = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(!out.status.success());
    let text = std::fs::read_to_string(b.join("gloss.ron")).unwrap();
    assert!(
        text.contains("<<<<<<<") && text.contains("\"A\"") && text.contains("\"B\""),
        "{text}"
    );
    // and a lock file left by a writer never shows
    std::fs::write(b.join("a.ron.lock"), "").unwrap();
    let status = String::from_utf8_lossy(&git(&b, &["status", "--porcelain"]).stdout).into_owned();
    assert!(!status.contains(".lock"), "{status}");
}

/// The registry a newer gloss wrote, through the real git: a top-level field it changed on their
/// side only comes through the merge, with its entity's own field; changed on both sides, ours is
/// kept and git reports a conflict.
#[test]
fn the_registry_keeps_the_fields_of_a_newer_gloss_through_a_merge() {
    assert!(have_git(), "this test needs git");
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    ok(&origin, &["init", "-q", "-b", "main"]);
    std::fs::write(origin.join("a.txt"), TEXT).unwrap();
    let newer = "(\n    format: 1,\n    entities: [\n        (id: \"person-to-lam\", label: \"PERSON\", name: \"Tô Lâm\", wikidata: Some(\"Q1\")),\n    ],\n    sources: [\"vnexpress\"],\n)\n";
    std::fs::write(origin.join("entities.ron"), newer).unwrap();
    gloss(&origin, &["git-setup"]);
    commit(&origin, "corpus");
    ok(&origin, &["config", "receive.denyCurrentBranch", "ignore"]);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for clone in [&a, &b] {
        let (o, c) = (origin.to_str().unwrap(), clone.to_str().unwrap());
        ok(tmp.path(), &["clone", "-q", o, c]);
        gloss(clone, &["git-setup"]);
    }
    // a (a newer gloss) changes the top-level field; b (this gloss) makes an entity
    let edit = |dir: &Path, from: &str, to: &str| {
        let p = dir.join("entities.ron");
        let text = std::fs::read_to_string(&p).unwrap().replace(from, to);
        std::fs::write(p, text).unwrap();
    };
    edit(&a, "[\"vnexpress\"]", "[\"vnexpress\", \"tuoitre\"]");
    commit(&a, "a: a source");
    ok(&a, &["push", "-q", "origin", "main"]);
    let mut rb = gloss_core::entity::Registry::load(&b).unwrap();
    rb.create("PERSON", "Trương Thị Mai");
    rb.save().unwrap();
    commit(&b, "b: Mai");
    let out = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(b.join("entities.ron")).unwrap();
    assert!(
        text.contains("sources: [\"vnexpress\", \"tuoitre\"]"),
        "{text}"
    );
    assert!(text.contains("wikidata: Some(\"Q1\")"), "{text}");
    assert!(text.contains("person-truong-thi-mai"), "{text}");
    ok(&b, &["push", "-q", "origin", "main"]);
    ok(&a, &["pull", "-q", "--no-rebase", "origin", "main"]);
    // both change it, differently: ours kept in a valid registry, and git stops
    edit(&a, "\"tuoitre\"]", "\"from-a\"]");
    commit(&a, "a: from-a");
    ok(&a, &["push", "-q", "origin", "main"]);
    edit(&b, "\"tuoitre\"]", "\"from-b\"]");
    commit(&b, "b: from-b");
    let out = git(&b, &["pull", "-q", "--no-rebase", "origin", "main"]);
    assert!(!out.status.success(), "the merge stops");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("field sources"), "{err}");
    let status = String::from_utf8_lossy(&git(&b, &["status", "--porcelain"]).stdout).into_owned();
    assert!(status.contains("UU entities.ron"), "{status}");
    let text = std::fs::read_to_string(b.join("entities.ron")).unwrap();
    assert!(
        text.contains("\"from-b\"") && !text.contains("<<<<<<<"),
        "{text}"
    );
    let merged = gloss_core::entity::Registry::load(&b).unwrap();
    assert_eq!(merged.entities().len(), 2);
}

/// The driver never writes a file gloss would refuse to read: a `gloss.ron` that the merge would
/// make larger than gloss reads stays as ours was, and git reports a conflict.
#[test]
fn the_driver_never_writes_a_config_larger_than_gloss_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let base = "(\n    labels: None,\n)\n";
    let pad = |c: char| format!("// {}\n", c.to_string().repeat(99)).repeat(45_000);
    // each side adds 4.5 MB of comments, at either end: each fits the 8 MB, the merge would not
    let ours = format!("{}{base}", pad('a'));
    let theirs = format!("{base}{}", pad('b'));
    let out = drive_as(tmp.path(), "gloss.ron", base, &ours, &theirs);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gloss.ron") && err.contains("bytes gloss reads back"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(tmp.path().join("A")).unwrap(), ours);
    // within the limit: merged, both sides' lines kept
    let theirs = format!("{base}// theirs\n");
    let out = drive_as(tmp.path(), "gloss.ron", base, &ours, &theirs);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = std::fs::read_to_string(tmp.path().join("A")).unwrap();
    assert!(merged.starts_with("// a") && merged.ends_with("// theirs\n"));
}
