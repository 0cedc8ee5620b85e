//! What a save did, taken into the state: the document takes what was written (the base of the
//! next merge), the list row and the gazetteer follow, the model learns again when a finished
//! article changed, merges and conflicts are said; a failed save is said, tried again a second
//! later, or, for an article let go, named with the recovery file that kept its tags.

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
) -> Vec<Effect> {
    let is_open = state
        .reader
        .as_ref()
        .is_some_and(|r| r.entry == entry && r.doc.path() == article);
    let done = match result {
        Ok(done) => done,
        Err(e) => {
            let name = escape_path(article);
            let note = match recovery {
                Some(Ok(rec)) => Some(format!(
                    "the unsaved tags of {name} were written to {} (to restore them: cp {} {})",
                    escape_path(&rec.recovery),
                    escape_path(&rec.recovery),
                    escape_path(&rec.sidecar)
                )),
                Some(Err(why)) => Some(format!(
                    "the tags of {name} could not be saved nor kept: {why}"
                )),
                None => None,
            };
            match note {
                Some(note) => {
                    if state.quitting {
                        state.exit_note = Some(note.clone());
                    }
                    state.error(note.clone());
                    state.kept = Some(note);
                }
                None => {
                    if is_open {
                        state.save_failed = Some(Instant::now());
                    }
                    state.error(format!("NOT SAVED (tried again every second): {e}"));
                }
            }
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
    learn_texts(
        state,
        written
            .live_tags()
            .map(|t| (t.label.clone(), t.text.clone())),
    );
    let mut effects = Vec::new();
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

/// Time passed: a save that failed a second ago is tried again.
pub(super) fn retry(state: &mut State) -> Vec<Effect> {
    match state.save_failed {
        Some(t) if t.elapsed() >= RETRY_AFTER => {
            state.save_failed = None;
            vec![Effect::Save { recover: false }]
        }
        _ => vec![],
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

/// The writes under way are done: gloss ends.
pub(super) fn exited(state: &mut State) -> Vec<Effect> {
    state.quit = true;
    vec![]
}
