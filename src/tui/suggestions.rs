//! Suggestions and tag-all on the state: stepping, accepting, rejecting, tagging every occurrence.

use gloss_core::annotation::{Annotation, Change, SpanRef};
use gloss_core::text::sanitize_inline;

use super::editing::{edit, read_only, tag_under_cursor};
use super::effect::Effect;
use super::moving::{jump, next_start};
use super::state::{Mode, PendingTagAll, Reader, State};

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
    state.info(format!(
        "tagged {} more “{}” as {}",
        changes.len(),
        sanitize_inline(&tag.text),
        tag.label
    ));
    edit(state, changes)
}

/// Ask the app to count the tag under the cursor's text across the corpus.
pub fn tag_all_in_corpus(state: &mut State) -> Vec<Effect> {
    let Some(tag) = tag_under_cursor(state) else {
        return vec![];
    };
    vec![Effect::CountTagAll {
        label: tag.label,
        text: tag.text,
        entity: tag.entity,
    }]
}

/// The app counted: ask for confirmation.
pub fn confirm_tag_all(state: &mut State, pending: PendingTagAll) {
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
