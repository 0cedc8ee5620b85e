//! Suggestions and tag-all on the state: finding the open article's suggestions again when its
//! tags change, stepping, accepting, rejecting; tagging every occurrence in the article, or in the
//! corpus (counted and applied on a thread, one undo step).

use std::path::PathBuf;

use gloss_core::annotation::{Annotation, AnnotationSet, Change, HistoryEntry, SpanRef};
use gloss_core::store::corpus_edit::TagAll;
use gloss_core::suggest::Suggestion;
use gloss_core::text::sanitize_inline;

use super::editing::{edit, read_only, tag_under_cursor};
use super::effect::Effect;
use super::moving::{jump, next_start};
use super::state::{Mode, PendingTagAll, Reader, State, SuggestionSpan};

/// Articles up to this size get their suggestions at once; longer ones on a thread.
pub const SUGGEST_INLINE_BYTES: usize = 64 * 1024;

/// Show `found` (the suggester's suggestions in the reader's text) less what is tagged or rejected.
fn show(r: &mut Reader, found: Vec<Suggestion>, labels: &gloss_core::annotation::LabelSet) {
    r.suggestions = r
        .doc
        .suggestions_from(found, labels)
        .into_iter()
        .map(|s| SuggestionSpan {
            label_index: labels.index_of(&s.label),
            label: s.label,
            bytes: s.bytes,
            source: s.source,
        })
        .collect();
}

/// Find the open article's suggestions again if its tags (or the gazetteer, or the model) changed:
/// at once in an article of up to [`SUGGEST_INLINE_BYTES`], on a thread in a longer one (so that no
/// keystroke waits for them; the ones shown meanwhile lose what was just tagged). One thread at a
/// time: keys typed while it works are caught up with when it is done.
pub(super) fn refresh(state: &mut State) -> Vec<Effect> {
    let on = state.suggestions_on;
    let labels = &state.labels;
    let Some(r) = state.reader.as_mut() else {
        return vec![];
    };
    if r.suggested_for == Some(r.generation) {
        return vec![];
    }
    if !on {
        r.suggested_for = Some(r.generation);
        r.suggestions.clear();
        return vec![];
    }
    if r.text().len() <= SUGGEST_INLINE_BYTES {
        r.suggested_for = Some(r.generation);
        let found = state.suggester.suggest(r.text());
        show(r, found, labels);
        return vec![];
    }
    let coverage = r.doc.annotations().coverage();
    let chars = |b: &std::ops::Range<usize>| r.doc.chars_of(b);
    r.suggestions
        .retain(|s| coverage.wants_suggestion(&s.label, &chars(&s.bytes)));
    if state.suggesting.is_some() {
        // one at a time: this generation's turn comes when that one is done
        return vec![];
    }
    r.suggested_for = Some(r.generation);
    state.suggesting = Some((r.entry, r.generation));
    vec![Effect::Suggest {
        entry: r.entry,
        generation: r.generation,
    }]
}

/// Suggestions found on a thread for entry `entry` at tag generation `generation`: shown if the
/// article is still open (less what was tagged or rejected since; a later generation's are found
/// next).
pub(super) fn found(state: &mut State, entry: usize, generation: u64, found: Vec<Suggestion>) {
    if state.suggesting != Some((entry, generation)) {
        return;
    }
    state.suggesting = None;
    let labels = &state.labels;
    if let Some(r) = state.reader.as_mut()
        && r.entry == entry
    {
        show(r, found, labels);
    }
}

/// Move to the next (or previous) suggestion.
pub fn step(state: &mut State, forward: bool) {
    let Some(r) = state.reader.as_ref() else {
        return;
    };
    let found = next_start(
        r.suggestions.iter().map(|s| s.bytes.start),
        r.cursor,
        forward,
    )
    .and_then(|b| r.suggestions.iter().find(|s| s.bytes.start == b).cloned());
    match found {
        Some(s) => {
            let text = sanitize_inline(&r.text()[s.bytes.clone()]);
            jump(state, s.bytes.clone());
            state.info(format!(
                "suggested {} “{text}” ({}): y accepts, x rejects",
                s.label,
                s.source.name()
            ));
        }
        None => state.info(if state.suggestions_on {
            "no more suggestions that way"
        } else {
            "suggestions are hidden (S shows them)"
        }),
    }
}

/// The suggestion under the cursor, if any.
fn under_cursor(r: &Reader) -> Option<super::state::SuggestionSpan> {
    r.suggestions
        .iter()
        .filter(|s| s.bytes.contains(&r.cursor))
        .min_by_key(|s| s.bytes.len())
        .cloned()
}

/// The tag accepting a suggestion makes: linked to the entity one of whose names it is (or, for a
/// directive, the same directive), if the registry has one.
fn tag_for(
    r: &Reader,
    entities: &gloss_core::entity::Registry,
    label: &str,
    bytes: std::ops::Range<usize>,
    annotator: &str,
) -> Change {
    let chars = r.to_chars(&bytes);
    let text = &r.text()[bytes];
    let mut tag = Annotation::new(label, chars.start, chars.end, text, annotator);
    tag.entity = entities.find(label, text).map(|e| e.id.clone());
    Change::Add(tag)
}

/// Accept the suggestion under the cursor.
pub fn accept(state: &mut State) -> Vec<Effect> {
    if read_only(state) {
        return vec![];
    }
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let Some(s) = under_cursor(r) else {
        state.info("no suggestion under the cursor");
        return vec![];
    };
    let tag = tag_for(
        r,
        &state.entities,
        &s.label,
        s.bytes.clone(),
        &state.annotator,
    );
    let linked = tag
        .tag()
        .and_then(|t| state.entities.get(t.entity.as_deref()?))
        .map(|e| format!(" → {}", sanitize_inline(&e.name)))
        .unwrap_or_default();
    state.info(format!(
        "accepted {} “{}”{linked}",
        s.label,
        sanitize_inline(&r.text()[s.bytes])
    ));
    edit(state, vec![tag])
}

/// Accept every suggestion in the article, as one undoable step.
pub fn accept_all(state: &mut State) -> Vec<Effect> {
    if read_only(state) {
        return vec![];
    }
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let changes: Vec<Change> = r
        .suggestions
        .iter()
        .map(|s| {
            tag_for(
                r,
                &state.entities,
                &s.label,
                s.bytes.clone(),
                &state.annotator,
            )
        })
        .collect();
    if changes.is_empty() {
        state.info("no suggestions to accept");
        return vec![];
    }
    state.info(format!("accepted {} suggestion(s)", changes.len()));
    edit(state, changes)
}

/// Reject the suggestion under the cursor: remembered in the sidecar, never suggested again.
/// `false` when there is none.
pub fn reject(state: &mut State) -> Option<Vec<Effect>> {
    let r = state.reader.as_ref()?;
    let s = under_cursor(r)?;
    if read_only(state) {
        return Some(vec![]);
    }
    let r = state.reader.as_ref()?;
    let chars = r.to_chars(&s.bytes);
    let change = r.tags().change_article(|a| {
        a.rejected.push(SpanRef {
            label: s.label.clone(),
            start: chars.start,
            end: chars.end,
            text: r.text()[s.bytes.clone()].to_string(),
        })
    });
    state.info(format!(
        "rejected the suggestion {} “{}”",
        s.label,
        sanitize_inline(&r.text()[s.bytes])
    ));
    Some(edit(state, change.into_iter().collect()))
}

/// Tag every other occurrence of the tag under the cursor's text, in this article.
pub fn tag_all_in_article(state: &mut State) -> Vec<Effect> {
    let Some(tag) = tag_under_cursor(state) else {
        return vec![];
    };
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let changes = r.doc.tag_all(
        &tag.label,
        &tag.text,
        tag.entity.as_deref(),
        &state.annotator,
    );
    if changes.is_empty() {
        state.info(format!(
            "every “{}” here is tagged already",
            sanitize_inline(&tag.text)
        ));
        return vec![];
    }
    let added = changes
        .iter()
        .filter(|c| matches!(c, Change::Add(_)))
        .count();
    let linked = changes.len() - added;
    let mut said = format!(
        "tagged {added} more “{}” as {}",
        sanitize_inline(&tag.text),
        tag.label
    );
    if linked > 0 {
        said.push_str(&format!(
            "; linked {linked} tagged already to {}",
            sanitize_inline(tag.entity.as_deref().unwrap_or_default())
        ));
    }
    state.info(said);
    edit(state, changes)
}

/// `&`: count the tag under the cursor's text across the corpus (the open article here, the others
/// on a thread), then ask.
pub fn tag_all_in_corpus(state: &mut State) -> Vec<Effect> {
    if let Some((done, total)) = state.tag_all {
        state.info(format!(
            "wait: the corpus is being tagged ({done} of {total} articles)"
        ));
        return vec![];
    }
    let Some(tag) = tag_under_cursor(state) else {
        return vec![];
    };
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let spec = TagAll {
        label: tag.label.clone(),
        text: tag.text.clone(),
        entity: tag.entity.clone(),
        annotator: state.annotator.clone(),
    };
    let here = spec.places_in(&r.doc);
    let places = if here.is_empty() {
        Vec::new()
    } else {
        vec![(r.entry, here)]
    };
    state.tag_all = Some((0, state.articles.len()));
    state.info(format!(
        "counting “{}” in the corpus…",
        sanitize_inline(&tag.text)
    ));
    vec![Effect::CountTagAll(PendingTagAll {
        label: tag.label,
        text: tag.text,
        entity: tag.entity,
        places,
        step: None,
    })]
}

/// A corpus tag-all went through `done` of `total` articles.
pub fn tag_all_progress(state: &mut State, done: usize, total: usize) {
    state.tag_all = Some((done, total));
    if state.pending.is_none() {
        state.info(format!("tag-all: {done} of {total} articles"));
    }
}

/// The count is in: ask for confirmation.
pub fn confirm_tag_all(state: &mut State, pending: PendingTagAll) {
    state.tag_all = None;
    let total: usize = pending.places.iter().map(|(_, v)| v.len()).sum();
    let articles = pending.places.len();
    if total == 0 {
        state.info(format!(
            "every “{}” in the corpus is tagged {} already",
            sanitize_inline(&pending.text),
            pending.label
        ));
        return;
    }
    state.info(format!(
        "tag {total} more “{}” as {} in {articles} article(s)? y: yes, any other key: no",
        sanitize_inline(&pending.text),
        pending.label
    ));
    state.pending = Some(pending);
    state.mode = Mode::Confirm;
}

/// Yes: tag the open article at once (under the document's rules, whatever changed since
/// counting) and the others on a thread; all of it is one undo step.
pub fn apply_tag_all(state: &mut State, mut pending: PendingTagAll) -> Vec<Effect> {
    let open = state.reader.as_ref().map(|r| r.entry);
    let mut effects = Vec::new();
    let Some(r) = state.reader.as_mut() else {
        return effects;
    };
    let local = if open.is_some_and(|o| pending.places.iter().any(|(e, _)| *e == o)) {
        let spec = TagAll {
            label: pending.label.clone(),
            text: pending.text.clone(),
            entity: pending.entity.clone(),
            annotator: state.annotator.clone(),
        };
        let all = spec.changes_in(&r.doc);
        r.doc.edit(all).into_changes()
    } else {
        Vec::new()
    };
    r.refresh_spans(&state.labels);
    if !local.is_empty() {
        effects.push(Effect::Save { recover: false });
    }
    let path = r.doc.path().to_path_buf();
    let others = pending
        .places
        .iter()
        .filter(|(e, _)| Some(*e) != open)
        .count();
    pending.step = Some(state.history.record_open(HistoryEntry::new(path, local)));
    if others == 0 {
        return effects
            .into_iter()
            .chain(tag_all_applied(state, pending, Vec::new(), Vec::new()))
            .collect();
    }
    state.tag_all = Some((0, others));
    state.info(format!("tagging {others} other article(s)…"));
    effects.push(Effect::ApplyTagAll(pending));
    effects
}

/// The other articles are tagged: their changes join the undo step, their list rows follow.
pub fn tag_all_applied(
    state: &mut State,
    pending: PendingTagAll,
    changed: Vec<(PathBuf, Vec<Change>, AnnotationSet)>,
    failed: Vec<String>,
) -> Vec<Effect> {
    state.tag_all = None;
    let adds = |cs: &[Change]| cs.iter().filter(|c| matches!(c, Change::Add(_))).count();
    let mut added = 0;
    let mut elsewhere = Vec::new();
    for (path, changes, set) in changed {
        added += adds(&changes);
        if let Some(i) = state.articles.position(&path) {
            state.touched.insert(i);
            state.articles.edit_summary(i, |s| s.take_annotations(&set));
        }
        elsewhere.push((path, changes));
    }
    if let Some(step) = pending.step {
        state.history.amend(step, |e| {
            added += adds(&e.changes);
            e.elsewhere = elsewhere;
        });
    }
    state.history.drop_empty();
    if failed.is_empty() {
        state.info(format!(
            "tagged {added} “{}” as {}",
            sanitize_inline(&pending.text),
            pending.label
        ));
    } else {
        state.error(format!(
            "some articles were not tagged: {}",
            failed.join("; ")
        ));
    }
    vec![]
}
