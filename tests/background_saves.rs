//! Saves run on the writer thread, one at a time (issue 28): a key never waits for one; what is
//! edited while one is under way is saved after it, against what it wrote; quitting waits for it
//! and says so. The save is held under way by holding the sidecar's lock (a save waits a second
//! for it), as another session would.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Harness;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn corpus(tmp: &Path) -> PathBuf {
    let c = tmp.join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("a.txt"), "Ông Tô Lâm nói.\n").unwrap();
    c
}

/// Press keys as a terminal would: nothing waits for the saves they start.
fn press(h: &mut Harness, keys: &str) {
    for c in keys.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        h.app
            .handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn held_lock(h: &Harness) -> std::fs::File {
    let lock = std::fs::File::create(h.corpus.join("a.ron.lock")).unwrap();
    lock.lock().unwrap();
    lock
}

fn saved_texts(h: &mut Harness) -> Vec<String> {
    let mut t: Vec<String> = h
        .sidecar("a.txt")
        .tags
        .into_iter()
        .map(|t| t.text)
        .collect();
    t.sort();
    t
}

#[test]
fn an_edit_made_while_a_save_is_under_way_is_saved_after_it() {
    let mut h = Harness::with_corpus(corpus);
    press(&mut h, "\n");
    let lock = held_lock(&h);
    let t0 = Instant::now();
    press(&mut h, "wp"); // Tô: its save waits for the lock
    press(&mut h, "wp"); // Lâm, while it waits
    assert!(
        t0.elapsed() < Duration::from_millis(500),
        "the keys waited for the save: {:?}",
        t0.elapsed()
    );
    assert!(h.app.saving(), "the save is under way");
    assert!(!h.sidecar_path("a.txt").exists());
    std::thread::sleep(Duration::from_millis(300));
    drop(lock); // within the second the save waits
    h.app.finish_writes();
    assert_eq!(saved_texts(&mut h), ["Lâm", "Tô"]);
    let r = h.app.state.reader.as_ref().unwrap();
    assert!(!r.doc.is_unsaved(), "nothing left to save");
    assert!(!h.message().contains("NOT SAVED"), "{}", h.message());
}

#[test]
fn a_tag_deleted_while_its_save_is_under_way_stays_deleted() {
    let mut h = Harness::with_corpus(corpus);
    press(&mut h, "\n");
    let lock = held_lock(&h);
    press(&mut h, "wp"); // Tô, saved under way with it
    press(&mut h, "x"); // deleted while it waits
    assert!(h.app.saving());
    assert_eq!(h.app.state.reader.as_ref().unwrap().tags().tags().len(), 0);
    std::thread::sleep(Duration::from_millis(300));
    drop(lock);
    h.app.finish_writes();
    assert!(saved_texts(&mut h).is_empty(), "the deleted tag came back");
    assert!(!h.app.state.reader.as_ref().unwrap().doc.is_unsaved());
    // and a new session finds it deleted too
    h.reopen();
    press(&mut h, "\n");
    h.app.finish_writes();
    assert_eq!(h.app.state.reader.as_ref().unwrap().tags().tags().len(), 0);
}

#[test]
fn quitting_waits_for_the_save_under_way_says_so_and_everything_is_on_disk() {
    let mut h = Harness::with_corpus(corpus);
    press(&mut h, "\n");
    let lock = held_lock(&h);
    press(&mut h, "wp");
    press(&mut h, "wp"); // saved after the first
    press(&mut h, "q");
    assert!(!h.app.state.quit, "gloss ended before its save");
    assert!(h.app.quit_pending());
    h.draw();
    assert!(
        h.screen()
            .contains("saving 1 tag… (gloss ends once it is on disk)"),
        "{}",
        h.screen()
    );
    // what comes after q is not taken
    press(&mut h, "wp");
    std::thread::sleep(Duration::from_millis(300));
    drop(lock);
    h.app.tick();
    assert!(h.app.state.quit, "{}", h.message());
    assert!(h.app.exit_notes().is_empty(), "{:?}", h.app.exit_notes());
    assert_eq!(saved_texts(&mut h), ["Lâm", "Tô"]);
}

#[test]
fn a_save_that_fails_under_way_while_quitting_keeps_the_tags_in_a_recovery_file() {
    let mut h = Harness::with_corpus(corpus);
    press(&mut h, "\n");
    let _lock = held_lock(&h); // held past the second a save waits: it fails
    press(&mut h, "wp");
    press(&mut h, "q");
    assert!(h.app.quit_pending());
    h.app.finish_writes();
    assert!(h.app.state.quit, "{}", h.message());
    let notes = h.app.exit_notes().join("\n");
    assert!(
        notes.contains("recovery") && notes.contains("gloss recover"),
        "{notes}"
    );
    assert!(!h.sidecar_path("a.txt").exists());
}
