//! An article read for the reader (the outcome of [`Effect::Open`]): shown with the cursor where it
//! was asked for, its list row brought up to date, what opening found said, and saved at once when
//! opening found tags again after the article changed (so every path sees them).

use gloss_core::corpus::Summary;
use gloss_core::store::Document;

use super::effect::Effect;
use super::state::{CandidateSpan, Pane, Reader, Severity, State};

/// The article of entry `entry` was read into `doc` (with the annotators' `candidates` when
/// adjudicating; `problems`: annotators' sidecars that could not be read).
pub(super) fn opened(
    state: &mut State,
    entry: usize,
    mut doc: Document,
    candidates: Vec<CandidateSpan>,
    problems: Vec<String>,
    cursor: Option<usize>,
) -> Vec<Effect> {
    if !problems.is_empty() {
        // a gold set is never settled on part of the annotators' tags
        doc.make_read_only(format!(
            "an annotator's tags could not be read: {}",
            problems.join("; ")
        ));
    }
    let note = doc.open_note();
    let width = state.wrap_width();
    let mut reader = Reader::new(entry, doc, &state.labels, width);
    reader.candidates = candidates;
    reader.relayout(width, state.reading);
    match cursor.and_then(|c| reader.byte_of_char(c)) {
        Some(b) => reader.set_cursor(b),
        // the first thing to read (and tag), not the white space before it
        None => {
            let first = reader.text().len() - reader.text().trim_start().len();
            reader.set_cursor(first);
        }
    }
    reader.follow_cursor(state.text_height());
    state.message = None;
    state.touched.insert(entry);
    state.articles.edit_summary_or(
        entry,
        || Summary::of(reader.doc.article()),
        |s| s.take_annotations(reader.tags()),
    );
    let unsaved = reader.doc.is_unsaved();
    state.reader = Some(reader);
    state.focus = Pane::Reader;
    state.select_entry(entry);
    let mut effects = Vec::new();
    if unsaved {
        effects.push(Effect::Save { recover: false });
    }
    match (state.reader.as_ref().and_then(|r| r.read_only()), note) {
        (Some(why), _) => {
            let why = why.to_string();
            state.error(format!("read-only: {why}"));
        }
        (None, Some(note))
            if !state
                .message
                .as_ref()
                .is_some_and(|m| m.1 == Severity::Error) =>
        {
            state.info(note)
        }
        _ => {}
    }
    // what became of the article let go, if its tags had to be kept elsewhere
    if let Some(kept) = state.kept.take() {
        state.error(kept);
    }
    effects.push(Effect::SavePlace);
    effects
}

/// The article of entry `entry` could not be read.
pub(super) fn open_failed(state: &mut State, entry: usize, error: String) -> Vec<Effect> {
    state.error(error.clone());
    state
        .articles
        .edit_summary(entry, |s| s.problem = Some(error));
    vec![]
}
