//! Nothing lost at the borders (issue 24, item 13): tags a save could not write are merged back
//! with `gloss recover`, never copied over another writer's; what a failed save said stays said;
//! tags that can be kept nowhere refuse the quit, and a forced quit says what was lost.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::Harness;
use gloss_core::annotation::Change;
use gloss_core::store::{Document, Sidecar, SidecarDirs};

const A: &str = "Ông Tô Lâm gặp bà Mai và ông Hưng.\n";
const B: &str = "Bà Trương Thị Mai chủ trì hội nghị.\n";

fn two_articles(tmp: &Path) -> PathBuf {
    let c = tmp.join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("a.txt"), A).unwrap();
    std::fs::write(c.join("b.txt"), B).unwrap();
    c
}

/// Tag `needle` in the article at `article` as PERSON and save it as another writer would.
fn tag_and_save(corpus: &Path, article: &str, needle: &str) {
    let p = corpus.join(article);
    let mut doc = Document::open(&SidecarDirs::new(corpus, None), &p).unwrap();
    let b = doc.text().find(needle).unwrap();
    let t = doc.new_tag("PERSON", b..b + needle.len(), "other").unwrap();
    doc.edit(vec![Change::Add(t)]);
    doc.save().unwrap();
}

fn texts(sc: &Sidecar) -> Vec<String> {
    let mut v: Vec<String> = sc.tags.iter().map(|t| t.text.clone()).collect();
    v.sort();
    v
}

/// The recovery files (not their bases) in the data folder.
fn recovery_files(data: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(data.join("recovery")) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    v
}

/// The message line as `update` left it (the screen shows its start).
fn said(h: &Harness) -> String {
    h.app.state.message.clone().map(|m| m.0).unwrap_or_default()
}

/// Sidecars go under a path that cannot be a folder (a regular file stands in the way): every
/// save fails, as on a full or read-only disk.
fn sidecars_blocked(tmp: &Path, o: &mut gloss::tui::Options) {
    let blocker = tmp.join("blocker");
    std::fs::write(&blocker, "").unwrap();
    o.annotations = Some(blocker.join("ann"));
}

/// The data folder cannot be made either: no recovery file can be written.
fn data_blocked(tmp: &Path, o: &mut gloss::tui::Options) {
    sidecars_blocked(tmp, o);
    o.dirs.data = tmp.join("blocker").join("data");
}

#[test]
fn gloss_recover_merges_the_recovery_file_and_keeps_the_other_writers_tags() {
    let mut h = Harness::with_corpus(two_articles);
    // the sidecar as this session reads it: Lâm and Mai
    tag_and_save(&h.corpus, "a.txt", "Lâm");
    tag_and_save(&h.corpus, "a.txt", "Mai");
    let sidecar = h.sidecar_path("a.txt");
    // another process holds the sidecar's lock: the saves fail
    let lock = std::fs::File::create(h.corpus.join("a.ron.lock")).unwrap();
    lock.lock().unwrap();
    // this session tags Tô and deletes Mai, then opens the next article: a recovery file
    h.keys("<enter>wp/mai<enter><esc>x");
    assert!(said(&h).contains("NOT SAVED"), "{}", said(&h));
    h.keys("]");
    let rec = recovery_files(&h.dirs.data);
    assert_eq!(rec.len(), 1, "{rec:?}");
    let note = said(&h);
    assert!(
        note.contains("gloss recover") && !note.contains("cp "),
        "the advice merges, never copies: {note}"
    );
    assert_eq!(
        texts(&Sidecar::load(&rec[0]).unwrap().unwrap()),
        ["Lâm", "Tô"]
    );
    lock.unlock().unwrap();
    drop(lock);
    // meanwhile another writer saves Hưng
    tag_and_save(&h.corpus, "a.txt", "Hưng");
    // cp would leave Lâm and Tô; the merge keeps Hưng, and Mai stays deleted (three-way)
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("recover")
        .arg(&rec[0])
        .arg(&sidecar)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("three-way") && stdout.contains("removed"),
        "{stdout}"
    );
    assert_eq!(
        texts(&Sidecar::load(&sidecar).unwrap().unwrap()),
        ["Hưng", "Lâm", "Tô"]
    );
    assert!(
        recovery_files(&h.dirs.data).is_empty(),
        "removed once merged"
    );
    // a sidecar that does not parse is never written over, and the recovery file stays
    let data = h.dirs.data.clone();
    std::fs::create_dir_all(data.join("recovery")).unwrap();
    let kept = data.join("recovery").join("a-kept.ron");
    std::fs::copy(&sidecar, &kept).unwrap();
    std::fs::write(&sidecar, "(format: 1, tags: [").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .arg("recover")
        .arg(&kept)
        .arg(&sidecar)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nothing merged"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&sidecar).unwrap(),
        "(format: 1, tags: ["
    );
    assert!(kept.exists());
}

#[test]
fn the_recovery_message_stays_and_no_article_nobody_edited_is_said_not_saved() {
    let mut h = Harness::with_options(two_articles, sidecars_blocked);
    h.keys("<enter>wp");
    assert!(h.message().contains("NOT SAVED"), "{}", h.message());
    // the next article: a's tags go to a recovery file, and the message names it
    h.keys("]");
    assert!(h.status().contains("b.txt"), "{}", h.status());
    assert!(
        h.message().contains("the unsaved tags of") && h.message().contains("were written to"),
        "{}",
        h.message()
    );
    // time passes: nothing is tried again for b, which nobody edited, and the message stays
    std::thread::sleep(Duration::from_millis(1100));
    for _ in 0..3 {
        h.tick();
    }
    h.draw();
    assert!(
        h.message().contains("the unsaved tags of") && !h.screen().contains("NOT SAVED"),
        "{}",
        h.message()
    );
    // quitting: what was not saved, and where it is, is what gloss says at exit
    h.keys("q");
    assert!(h.app.state.quit);
    let notes = h.app.exit_notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    let rec = recovery_files(&h.dirs.data);
    assert_eq!(rec.len(), 1);
    let name = rec[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        notes[0].contains("a.txt")
            && notes[0].contains(&name)
            && notes[0].contains("gloss recover"),
        "{notes:?}"
    );
}

#[test]
fn tags_that_can_be_kept_nowhere_refuse_the_quit_and_a_forced_quit_says_they_are_lost() {
    let mut h = Harness::with_options(two_articles, data_blocked);
    h.keys("<enter>wp");
    assert!(h.message().contains("NOT SAVED"), "{}", h.message());
    // opening another article would drop them: a stays open
    h.keys("]");
    assert!(h.status().contains("a.txt"), "{}", h.status());
    assert!(said(&h).contains("stays open"), "{}", said(&h));
    // q is refused, and says why and how to quit all the same
    h.keys("q");
    assert!(!h.app.state.quit, "q must not drop the tag");
    assert!(h.message().starts_with("NOT QUIT"), "{}", h.message());
    assert!(said(&h).contains("q again"), "{}", said(&h));
    // the save tried again each second does not hide it
    std::thread::sleep(Duration::from_millis(1100));
    h.tick();
    h.draw();
    assert!(h.message().starts_with("NOT QUIT"), "{}", h.message());
    assert_eq!(h.app.state.reader.as_ref().unwrap().tags().tags().len(), 1);
    // a second q quits, and what was lost is said
    h.keys("q");
    assert!(h.app.state.quit);
    let notes = h.app.exit_notes();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("LOST") && notes[0].contains("a.txt"),
        "{notes:?}"
    );
}

#[test]
fn a_save_that_comes_through_after_a_refused_quit_lets_gloss_quit() {
    let mut h = Harness::with_options(two_articles, data_blocked);
    h.keys("<enter>wp");
    h.keys("q");
    assert!(!h.app.state.quit);
    // room is made: the sidecar folder can be written now
    let blocker = h.corpus.parent().unwrap().join("blocker");
    std::fs::remove_file(&blocker).unwrap();
    std::fs::create_dir_all(&blocker).unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    h.tick();
    h.draw();
    assert!(!h.message().contains("NOT QUIT"), "{}", h.message());
    let sc = Sidecar::load(&blocker.join("ann").join("a.ron"))
        .unwrap()
        .expect("saved on the next try");
    assert_eq!(texts(&sc), ["Tô"]);
    h.keys("q");
    assert!(h.app.state.quit);
    assert!(h.app.exit_notes().is_empty(), "{:?}", h.app.exit_notes());
}
