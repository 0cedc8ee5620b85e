//! Editing the open article: tagging, re-labelling, notes, deleting, undo and redo. Every change
//! goes through the core document, which holds the rules; this records the steps for undo.

use std::path::PathBuf;

use super::action::Action;
use super::effect::Effect;
use super::moving::follow;
use super::state::{Pane, State};
use gloss_core::annotation::{Annotation, AnnotationSet, Change, HistoryEntry};
use gloss_core::entity::EntityChange;
use gloss_core::store::Edited;
use gloss_core::text::{motion, sanitize_inline};

/// The tag under the cursor (innermost), with a message when there is none or the article is
/// read-only.
pub(super) fn tag_under_cursor(state: &mut State) -> Option<Annotation> {
    let r = state.reader.as_ref()?;
    if state.focus != Pane::Reader {
        return None;
    }
    if let Some(why) = r.read_only() {
        let why = why.to_string();
        state.error(format!("read-only: {why}"));
        return None;
    }
    let found = r.tags().innermost_at(r.cursor_char()).cloned();
    if found.is_none() {
        state.info("no tag under the cursor");
    }
    found
}

/// Is the open article read-only? Says why when it is.
pub(super) fn read_only(state: &mut State) -> bool {
    match state
        .reader
        .as_ref()
        .and_then(|r| r.read_only().map(String::from))
    {
        Some(why) => {
            state.error(format!("read-only: {why}"));
            true
        }
        None => false,
    }
}

pub(super) fn apply_label(state: &mut State, name: &str) -> Vec<Effect> {
    if state.labels.get(name).is_none() {
        state.error(format!("unknown label {name}"));
        return vec![];
    }
    if state.reader.is_none() || state.focus != Pane::Reader {
        state.info("open an article to tag (enter)");
        return vec![];
    }
    if read_only(state) {
        return vec![];
    }
    let Some(r) = state.reader.as_mut() else {
        return vec![];
    };
    let range = r
        .selection()
        .or_else(|| motion::word_at(r.text(), r.cursor));
    let Some(bytes) = range else {
        state.info("nothing to tag: select text (v) or put the cursor on a word");
        return vec![];
    };
    let edited = r.doc.tag(name, bytes, &state.annotator);
    let msg = match (edited.first(), edited.why_not()) {
        (Some(Change::Add(t)), _) => {
            let mut m = format!("tagged {name} “{}”", sanitize_inline(&t.text));
            // a tag of the same label around or inside it: nested, said (it may be a slip)
            let same = r.tags().tags().touching(t.start, t.end).find(|o| {
                o.id != t.id
                    && o.label == t.label
                    && !o.orphaned
                    && ((o.start <= t.start && t.end <= o.end)
                        || (t.start <= o.start && o.end <= t.end))
            });
            if let Some(o) = same {
                let place = if o.end - o.start > t.end - t.start {
                    "inside"
                } else {
                    "around"
                };
                m.push_str(&format!(
                    ", {place} {name} “{}”: the same label nests",
                    sanitize_inline(&o.text)
                ));
            }
            m
        }
        (_, Some(gloss_core::store::Refused::NothingToTag)) | (_, None) => {
            "nothing to tag: select text (v) or put the cursor on a word".to_string()
        }
        (_, Some(why)) => why.to_string(),
    };
    let effects = record(state, edited);
    if !effects.is_empty()
        && let Some(r) = state.reader.as_mut()
    {
        r.anchor = None;
    }
    state.info(msg);
    effects
}

/// `x`: delete the tag under the cursor (its relations go with it, in the same step).
pub(super) fn delete_tag(state: &mut State) -> Vec<Effect> {
    let Some(tag) = tag_under_cursor(state) else {
        return vec![];
    };
    state.info(format!(
        "deleted {} “{}”",
        tag.label,
        sanitize_inline(&tag.text)
    ));
    edit(state, vec![Change::Remove(tag)])
}

/// Keep the version of the tag under the cursor that is in conflict (changed in two places at
/// once) and delete the other: one step, undone as one.
pub(super) fn keep_version(state: &mut State) -> Vec<Effect> {
    // the tag the status bar names (the last of those at the cursor)
    let tag = state.reader.as_ref().and_then(|r| {
        let under = r.tags().all_at(r.cursor_char());
        under.last().map(|t| (*t).clone())
    });
    let Some(tag) = tag else {
        state.info("K keeps one version of a tag in conflict: there is no tag here");
        return vec![];
    };
    let other = tag
        .conflict
        .as_ref()
        .and_then(|o| state.reader.as_ref()?.tags().get(o).cloned());
    let Some(other) = other else {
        state
            .info("this tag is in no conflict: K keeps one version of a tag changed in two places");
        return vec![];
    };
    let mut kept = tag.clone();
    kept.conflict = None;
    state.info(format!(
        "kept {} “{}” by {}; the other version ({} “{}” by {}) is deleted (u undoes)",
        kept.label,
        sanitize_inline(&kept.text),
        sanitize_inline(&kept.annotator),
        other.label,
        sanitize_inline(&other.text),
        sanitize_inline(&other.annotator),
    ));
    edit(
        state,
        vec![Change::Remove(other), Change::update(tag, kept)],
    )
}

pub(super) fn relabel(state: &mut State, id: &str, name: &str) -> Vec<Effect> {
    if state.labels.get(name).is_none() {
        state.error(format!("unknown label {name}"));
        return vec![];
    }
    change_tag(
        state,
        id,
        |t| t.label = name.to_string(),
        |t| format!("re-labelled “{}” as {name}", sanitize_inline(&t.text)),
    )
}

pub(super) fn set_note(state: &mut State, id: &str, note: &str) -> Vec<Effect> {
    let note = (!note.trim().is_empty()).then(|| note.trim().to_string());
    change_tag(state, id, |t| t.note = note, |_| "note saved".into())
}

/// Change the tag `id` of the open article with `change`, stamped now; `done` says what happened.
/// Nothing happens when the change leaves the tag as it was.
pub(super) fn change_tag(
    state: &mut State,
    id: &str,
    change: impl FnOnce(&mut Annotation),
    done: impl FnOnce(&Annotation) -> String,
) -> Vec<Effect> {
    let Some(before) = open_tag(state, id) else {
        return vec![];
    };
    let mut after = before.clone();
    change(&mut after);
    if after == before {
        return vec![];
    }
    after.modified = gloss_core::annotation::timestamp();
    let msg = done(&after);
    let effects = edit(state, vec![Change::update(before, after)]);
    if !effects.is_empty() {
        state.info(msg);
    }
    effects
}

/// The tag `id` of the open article.
pub(super) fn open_tag(state: &State, id: &str) -> Option<Annotation> {
    state.reader.as_ref()?.tags().get(id).cloned()
}

/// Make `changes` to the open article through its document, record them for undo and ask for a
/// save; nothing when the document made none.
pub(super) fn edit(state: &mut State, changes: Vec<Change>) -> Vec<Effect> {
    edit_with_entities(state, changes, Vec::new())
}

/// [`edit`], the step also doing `entities` to the registry (done already): undone with it.
pub(super) fn edit_with_entities(
    state: &mut State,
    changes: Vec<Change>,
    entities: Vec<EntityChange>,
) -> Vec<Effect> {
    let Some(r) = state.reader.as_mut() else {
        return vec![];
    };
    let edited = r.doc.edit(changes);
    record_with_entities(state, edited, entities)
}

/// What the open article's document did: recorded as one undo step, saved.
pub(super) fn record(state: &mut State, edited: Edited) -> Vec<Effect> {
    record_with_entities(state, edited, Vec::new())
}

fn record_with_entities(
    state: &mut State,
    edited: Edited,
    entities: Vec<EntityChange>,
) -> Vec<Effect> {
    let Some(r) = state.reader.as_mut() else {
        return vec![];
    };
    if edited.is_empty() {
        return vec![];
    }
    r.refresh_spans(&state.labels);
    let path = r.doc.path().to_path_buf();
    state
        .history
        .record(HistoryEntry::new(path, edited.into_changes()).with_entities(entities));
    vec![Effect::Save { recover: false }]
}

/// Articles that are not open were changed (a corpus step undone or redone): their list rows
/// follow; failures are said.
pub(super) fn applied_elsewhere(
    state: &mut State,
    changed: Vec<(PathBuf, AnnotationSet)>,
    failed: Vec<String>,
) {
    for (path, set) in changed {
        if let Some(i) = state.articles.position(&path) {
            state.touched.insert(i);
            state.articles.edit_summary(i, |s| s.take_annotations(&set));
        }
    }
    if !failed.is_empty() {
        state.error(format!("NOT SAVED: {}", failed.join("; ")));
    }
}

pub(super) fn undo_redo(state: &mut State, undo: bool) -> Vec<Effect> {
    if let Some((done, total)) = state.tag_all {
        state.info(format!(
            "wait: the corpus is being tagged ({done} of {total} articles)"
        ));
        return vec![];
    }
    let next = if undo {
        state.history.next_undo()
    } else {
        state.history.next_redo()
    };
    let Some(next) = next else {
        state.info(if undo {
            "nothing to undo"
        } else {
            "nothing to redo"
        });
        return vec![];
    };
    if next.registry_only() {
        return undo_redo_registry(state, undo);
    }
    let open_path = state.reader.as_ref().map(|r| r.doc.path().to_path_buf());
    if open_path.as_ref() != Some(&next.article) {
        // The step belongs to another article: open it, then undo there.
        return match state.articles.position(&next.article) {
            Some(entry) => vec![Effect::Open {
                entry,
                cursor: None,
                then: Some(if undo { Action::Undo } else { Action::Redo }),
            }],
            None => {
                state.error("the article of that step is no longer in the corpus");
                vec![]
            }
        };
    }
    if let Some(why) = state
        .reader
        .as_ref()
        .and_then(|r| r.read_only().map(String::from))
    {
        state.error(format!("read-only: {why}"));
        return vec![];
    }
    let step = if undo {
        state.history.undo()
    } else {
        state.history.redo()
    };
    let Some(step) = step else { return vec![] };
    // what the step did, said from the step as it was done
    let what = if undo {
        describe(&step.inverse())
    } else {
        describe(&step)
    };
    let elsewhere = step.elsewhere.clone();
    let Some(r) = state.reader.as_mut() else {
        return vec![];
    };
    r.doc.replay(&step.changes);
    r.refresh_spans(&state.labels);
    // the registry as the step left it: an entity it made goes with its undo, unless a tag of
    // the open article still names it (the save keeps one any other sidecar names)
    let entities_changed = !step.entities.is_empty();
    for c in &step.entities {
        let named_here = || {
            r.tags()
                .tags()
                .iter()
                .any(|t| t.entity.as_deref() == Some(c.id()))
        };
        if c.after.is_none() && named_here() {
            continue;
        }
        state.entities.apply(c);
    }
    // where the step happened: its tag, or the head of its relation
    let target = step
        .changes
        .iter()
        .find_map(Change::tag)
        .cloned()
        .or_else(|| {
            let rel = step.changes.iter().find_map(Change::relation)?;
            r.tags().get(&rel.head).cloned()
        })
        .and_then(|t| r.doc.bytes_of(&(t.start..t.end)));
    state.focus = Pane::Reader;
    if let Some(t) = target {
        super::moving::jump(state, t);
    }
    state.info(format!(
        "{}: {what}",
        if undo { "undone" } else { "redone" }
    ));
    follow(state);
    let mut effects = vec![Effect::Save { recover: false }];
    if entities_changed {
        effects.push(Effect::SaveEntities);
    }
    if !elsewhere.is_empty() {
        effects.push(Effect::ApplyElsewhere(elsewhere));
    }
    effects
}

/// Undo or redo a step no open article took part in: what it did to the registry (a rename, a
/// delete, a merge's entities), and to the other articles' tags (a merge's).
fn undo_redo_registry(state: &mut State, undo: bool) -> Vec<Effect> {
    let step = if undo {
        state.history.undo()
    } else {
        state.history.redo()
    };
    let Some(step) = step else { return vec![] };
    for c in &step.entities {
        state.entities.apply(c);
    }
    let done = if undo { step.inverse() } else { step.clone() };
    let what = describe_entities(&done.entities);
    state.info(format!(
        "{}: {what}",
        if undo { "undone" } else { "redone" }
    ));
    if step.elsewhere.is_empty() {
        vec![Effect::SaveEntities]
    } else {
        // the registry is saved once the sidecars name what it keeps
        vec![Effect::ApplyElsewhere(step.elsewhere)]
    }
}

/// What a step did to the registry, in a few words.
fn describe_entities(changes: &[EntityChange]) -> String {
    let name = |e: &gloss_core::entity::Entity| format!("“{}”", sanitize_inline(&e.name));
    match changes {
        [
            EntityChange {
                before: Some(b),
                after: Some(a),
            },
        ] if b.name != a.name => {
            format!("renamed {} {}", name(b), name(a))
        }
        [
            EntityChange {
                before: Some(b),
                after: None,
            },
        ] => format!("deleted entity {}", name(b)),
        [
            EntityChange {
                before: None,
                after: Some(a),
            },
        ] => format!("entity {}", name(a)),
        [
            ..,
            EntityChange {
                before: Some(gone),
                after: None,
            },
        ] => {
            format!("merged {}", name(gone))
        }
        [
            ..,
            EntityChange {
                before: None,
                after: Some(back),
            },
        ] => {
            format!("unmerged {}", name(back))
        }
        _ => "a change of the entities".into(),
    }
}

/// What a step did, in a few words: its first change, and how many more.
pub(super) fn describe(step: &HistoryEntry) -> String {
    // the first tag changed (here, else in another article: a corpus tag-all), else any change
    let elsewhere = step.elsewhere.iter().flat_map(|(_, cs)| cs);
    let first = step
        .changes
        .iter()
        .find(|c| c.tag().is_some())
        .or_else(|| elsewhere.clone().find(|c| c.tag().is_some()))
        .or(step.changes.first());
    let mut s = match first {
        Some(Change::Add(t)) => format!("tagged {} “{}”", t.label, sanitize_inline(&t.text)),
        Some(Change::Remove(t)) => format!("deleted {} “{}”", t.label, sanitize_inline(&t.text)),
        Some(Change::Update { before, after }) => {
            if before.entity != after.entity {
                match &after.entity {
                    Some(e) => format!(
                        "linked “{}” to {}",
                        sanitize_inline(&after.text),
                        sanitize_inline(e)
                    ),
                    None => format!("unlinked “{}”", sanitize_inline(&after.text)),
                }
            } else if before.label != after.label {
                format!(
                    "re-labelled “{}” as {}",
                    sanitize_inline(&after.text),
                    after.label
                )
            } else {
                format!("changed {} “{}”", after.label, sanitize_inline(&after.text))
            }
        }
        Some(Change::Article { after, .. }) => format!("article status {}", after.status.name()),
        Some(Change::Relation { before, after }) => match (before, after) {
            (None, Some(r)) => format!("related {}", r.label),
            (Some(r), None) => format!("deleted relation {}", r.label),
            (_, Some(r)) => format!("changed relation {}", r.label),
            (None, None) => "nothing".into(),
        },
        None => "nothing".into(),
    };
    let tags = |cs: &[Change]| cs.iter().filter(|c| c.tag().is_some()).count();
    let more = (tags(&step.changes) + step.elsewhere.iter().map(|(_, cs)| tags(cs)).sum::<usize>())
        .saturating_sub(1);
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    let articles = step.elsewhere.len() + usize::from(!step.changes.is_empty());
    if !step.elsewhere.is_empty() {
        s.push_str(&format!(" in {articles} articles"));
    }
    s
}

pub(super) fn next_orphan(state: &mut State) {
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let orphans: Vec<_> = r
        .tags()
        .tags()
        .iter()
        .filter(|t| t.orphaned)
        .cloned()
        .collect();
    if orphans.is_empty() {
        state.info("no orphaned tags in this article");
        return;
    }
    let here = r.cursor_char();
    let t = orphans
        .iter()
        .find(|t| t.start > here)
        .unwrap_or(&orphans[0])
        .clone();
    let b = r
        .byte_of_char(t.start.min(r.doc.chars().len_chars()))
        .unwrap_or(0);
    r.set_cursor(b);
    r.anchor = None;
    state.focus = Pane::Reader;
    follow(state);
    state.info(format!(
        "orphaned {} “{}” (was at {}..{}): its text is not in the article any more; kept in the sidecar",
        t.label,
        sanitize_inline(&t.text),
        t.start,
        t.end
    ));
}
