//! What a save did, taken into the state: the document takes what was written (the base of the
//! next merge), the list row and the gazetteer follow, the model learns again when a finished
//! article changed, merges and conflicts are said; a failed save is said, tried again a second
//! later, or, for an article let go, named with the recovery file that kept its tags (and the
//! `gloss recover` command that merges them back); tags that could be kept nowhere keep their
//! article open and refuse the first `q`.

use std::path::Path;
use std::time::{Duration, Instant};

use gloss_core::annotation::Status;
use gloss_core::entity::Registry;
use gloss_core::store::SaveDone;
use gloss_core::text::escape_path;

use super::background::{learn_texts, start_learning};
use super::effect::{Effect, Recovery};
use super::state::State;

/// How long a failed save waits before it is tried again.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

/// A save of entry `entry` (the article at `article`) ended.
pub(super) fn saved(
    state: &mut State,
    entry: usize,
    article: &Path,
    result: Result<Box<SaveDone>, String>,
    recovery: Option<Result<Recovery, String>>,
    texts: Vec<(String, String)>,
) -> Vec<Effect> {
    let is_open = state
        .reader
        .as_ref()
        .is_some_and(|r| r.entry == entry && r.doc.path() == article);
    let done = match result {
        Ok(done) => done,
        Err(e) => {
            failed(state, is_open, article, e, recovery);
            return vec![];
        }
    };
    let finished = |s: Status| matches!(s, Status::Done | Status::Reviewed);
    let status_before = state.articles.status(entry);
    let relearn = finished(done.written().article.status) || status_before.is_some_and(finished);
    let saved = done.saved().clone();
    let written = done.written().clone();
    if is_open {
        state.save_failed = None;
        if state.lost.take().is_some() {
            state.info(format!(
                "saved after all: the tags of {} are in its sidecar",
                escape_path(article)
            ));
        }
        state.quit_refused = false;
        if let Some(r) = state.reader.as_mut() {
            r.doc.finish_save(*done);
            r.refresh_spans(&state.labels);
        }
    }
    let now = gloss_core::annotation::timestamp();
    state.last_save = Some(now.get(11..19).unwrap_or(&now).to_string());
    state
        .articles
        .edit_summary(entry, |s| s.take_annotations(&written));
    let recount = super::dashboard::saved(state, entry, &written);
    // (the live tags' texts, each once: found where the save ran)
    learn_texts(state, texts);
    let mut effects: Vec<Effect> = recount.into_iter().collect();
    if relearn {
        effects.extend(start_learning(state));
    }
    if !saved.conflicts.is_empty() {
        state.error(format!(
            "another session changed the same tags; both versions kept: {}",
            saved.conflicts.join("; ")
        ));
    } else if saved.merged + saved.same_tags > 0 {
        state.info(format!(
            "merged {} change(s) saved by another session ({} tag(s) it made too, kept once)",
            saved.merged, saved.same_tags
        ));
    }
    effects
}

/// A save of the article at `article` failed with `e`; `recovery`: the recovery file written, or
/// why none could be, when the article was being let go (another opened, or quitting).
fn failed(
    state: &mut State,
    is_open: bool,
    article: &Path,
    e: String,
    recovery: Option<Result<Recovery, String>>,
) {
    let name = escape_path(article);
    match recovery {
        Some(Ok(rec)) => {
            // the article is let go: nothing of it is left to try again
            state.save_failed = None;
            let note = format!(
                "the unsaved tags of {name} were written to {} (to merge them back into its sidecar: {})",
                escape_path(&rec.recovery),
                rec.recover_command()
            );
            state.exit_notes.push(note.clone());
            state.error(note.clone());
            state.kept = Some(note);
        }
        Some(Err(why)) => {
            let note = format!("the tags of {name} could not be saved nor kept: {e}; {why}");
            if !state.quitting {
                // something else was refused since: the next q is refused again
                state.quit_refused = false;
            }
            if is_open {
                // the runner kept it open rather than lose its tags: try again
                state.save_failed = Some(Instant::now());
                state.error(format!(
                    "{note}. It stays open (saving is tried again every second)"
                ));
                state.lost = Some(note);
            } else {
                state.error(note.clone());
                state.exit_notes.push(format!("LOST: {note}"));
            }
        }
        None => {
            if is_open {
                state.save_failed = Some(Instant::now());
            }
            // what was said of tags that cannot be kept (and of a refused quit) stays said
            if state.lost.is_none() {
                state.error(format!("NOT SAVED (tried again every second): {e}"));
            }
        }
    }
}

/// Time passed: a save of the open article that failed a second ago is tried again (and only
/// while the open article has changes to save: a save failed of an article let go is not tried
/// on the next one).
pub(super) fn retry(state: &mut State) -> Vec<Effect> {
    let Some(t) = state.save_failed else {
        return vec![];
    };
    let unsaved = state
        .reader
        .as_ref()
        .is_some_and(|r| r.doc.is_unsaved() && r.read_only().is_none());
    if !unsaved {
        state.save_failed = None;
        return vec![];
    }
    if t.elapsed() >= RETRY_AFTER {
        state.save_failed = None;
        vec![Effect::Save { recover: false }]
    } else {
        vec![]
    }
}

/// The registry was written (and merged with another writer's), or not.
pub(super) fn entities_saved(state: &mut State, result: Result<Registry, String>) -> Vec<Effect> {
    match result {
        Ok(r) => state.entities = r,
        Err(e) => state.error(format!("NOT SAVED: {e}")),
    }
    vec![]
}

/// The writes under way are done: gloss ends, unless the open article's tags could be neither
/// saved nor kept (then `q` is refused once; quitting all the same loses them, and says so).
pub(super) fn exited(state: &mut State) -> Vec<Effect> {
    state.quitting = false;
    if let Some(lost) = state.lost.clone() {
        if !state.force_quit {
            state.quit_refused = true;
            state.error(format!(
                "NOT QUIT: {lost}. Make room (saving is tried again every second), or press q again to quit and lose them"
            ));
            return vec![];
        }
        state.exit_notes.push(format!("LOST: {lost}"));
    }
    if state.entities.is_unsaved() && state.entities_error.is_none() {
        state.exit_notes.push(format!(
            "the entity registry {} could not be saved: the entities made in this session are lost",
            escape_path(state.entities.path())
        ));
    }
    state.quit = true;
    vec![]
}
