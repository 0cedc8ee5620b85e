//! The entities pane (`M`): the corpus's registry, one row per entity (name, label, mentions and
//! articles across the corpus, aliases), over the list and the reader. `r` renames, `m` on one then
//! `m` on another merges the first into the second (its names become aliases, the tags naming it
//! in every sidecar follow), `x` deletes one no tag names (a used one is refused, saying how many
//! mentions), enter lists its mentions across the corpus (enter on one opens it there). Every change
//! of the registry goes through the core's [`gloss_core::entity::Registry`], and `u` undoes it.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use gloss_core::annotation::{AnnotationSet, Change, HistoryEntry};
use gloss_core::entity::{Entity, EntityChange, key};
use gloss_core::store::corpus_edit::{Mention, relink_changes};
use gloss_core::text::{sanitize_inline, sanitize_inline_padded};

use super::action::{Action, InputKey};
use super::effect::Effect;
use super::state::{EntityPane, Mode, Pane, ResultItem, Results, State};
use super::theme::Theme;

/// The entities in the pane's order: by label, then by name (accent-insensitively).
pub fn listed(state: &State) -> Vec<&Entity> {
    let mut v: Vec<&Entity> = state.entities.entities().iter().collect();
    v.sort_by_cached_key(|e| (e.label.clone(), key(&e.name), e.id.clone()));
    v
}

/// (mentions, articles) of the entity `id`, once counted.
pub fn counts(pane: &EntityPane, id: &str) -> Option<(usize, usize)> {
    let m = pane.mentions.as_ref()?;
    let mine = m.iter().filter(|m| m.entity == id);
    let articles: BTreeSet<usize> = mine.clone().map(|m| m.entry).collect();
    Some((mine.count(), articles.len()))
}

/// `M`: open the pane and count the mentions across the corpus.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    if let Some(why) = &state.entities_error {
        state.error(format!("entities are off: {why}"));
        return vec![];
    }
    if state.entities.entities().is_empty() {
        state.info("no entities yet: L on a tag links it to one");
        return vec![];
    }
    let keep = state.entity_pane.take().unwrap_or_default();
    state.entity_pane = Some(EntityPane {
        mentions: None,
        marked: None,
        ..keep
    });
    state.mode = Mode::Entities;
    clamp(state);
    state.info("entities: enter lists the mentions · r renames · m merges · x deletes · esc");
    vec![Effect::FindMentions]
}

/// The mentions are counted: the open article's as it is in memory.
pub(super) fn counted(state: &mut State, mut found: Vec<Mention>) {
    let Some(pane) = state.entity_pane.as_mut() else {
        return;
    };
    if let Some(r) = state.reader.as_ref() {
        found.retain(|m| m.entry != r.entry);
        found.extend(r.tags().tags().iter().filter_map(|t| {
            Some(Mention {
                entry: r.entry,
                entity: t.entity.clone()?,
                chars: t.start..t.end,
                label: t.label.clone(),
                text: t.text.clone(),
            })
        }));
    }
    found.sort_by_key(|m| (m.entry, m.chars.start));
    pane.mentions = Some(found);
}

fn rows_height(state: &State) -> usize {
    (body(state).height as usize).saturating_sub(3).max(1)
}

fn clamp(state: &mut State) {
    let n = state.entities.entities().len();
    let h = rows_height(state);
    if let Some(p) = state.entity_pane.as_mut() {
        p.selected = p.selected.min(n.saturating_sub(1));
        if p.selected < p.offset {
            p.offset = p.selected;
        } else if p.selected >= p.offset + h {
            p.offset = p.selected + 1 - h;
        }
    }
}

fn selected(state: &State) -> Option<Entity> {
    let p = state.entity_pane.as_ref()?;
    listed(state).get(p.selected).map(|e| (*e).clone())
}

/// Select the entity `id` in the pane.
fn select(state: &mut State, id: &str) {
    let at = listed(state).iter().position(|e| e.id == id);
    if let (Some(at), Some(p)) = (at, state.entity_pane.as_mut()) {
        p.selected = at;
    }
    clamp(state);
}

/// A key in the pane.
pub(super) fn action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Move(m) => {
            let n = state.entities.entities().len();
            let h = rows_height(state);
            if let Some(p) = state.entity_pane.as_mut()
                && n > 0
            {
                p.selected = super::moving::step_in_list(p.selected, n, h, m);
            }
            clamp(state);
            vec![]
        }
        Action::EntityMentions => mentions(state),
        Action::RenameEntity => {
            if let Some(e) = selected(state) {
                state.prompt.set(e.name.clone());
                state.mode = Mode::RenameEntity { id: e.id };
            }
            vec![]
        }
        Action::MergeEntity => merge(state),
        Action::DeleteEntity => delete(state),
        Action::Undo | Action::Redo => {
            // the registry's steps are undone here; another article's step wants the reader
            let next = if action == Action::Undo {
                state.history.next_undo()
            } else {
                state.history.next_redo()
            };
            let here = state.reader.as_ref().map(|r| r.doc.path());
            if next.is_some_and(|s| s.registry_only() || Some(s.article.as_path()) == here) {
                let mut effects = super::editing::undo_redo(state, action == Action::Undo);
                state.focus = Pane::List;
                state.mode = Mode::Entities;
                clamp(state);
                effects.push(Effect::FindMentions);
                return effects;
            }
            state.info("esc, then u: that step is another article's");
            vec![]
        }
        Action::Cancel | Action::ShowEntities | Action::Quit => {
            if state
                .entity_pane
                .as_mut()
                .and_then(|p| p.marked.take())
                .is_some()
            {
                state.info("not merged");
                return vec![];
            }
            state.mode = Mode::Normal;
            state.message = None;
            vec![]
        }
        _ => vec![],
    }
}

/// Enter: the entity's mentions across the corpus, in the results list (enter on one opens its
/// article there).
fn mentions(state: &mut State) -> Vec<Effect> {
    let Some(e) = selected(state) else {
        return vec![];
    };
    let Some(all) = state.entity_pane.as_ref().and_then(|p| p.mentions.clone()) else {
        state.info("still counting the mentions…");
        return vec![];
    };
    let items: Vec<ResultItem> = all
        .iter()
        .filter(|m| m.entity == e.id)
        .map(|m| ResultItem {
            entry: m.entry,
            chars: m.chars.clone(),
            line: format!(
                "{}  {} “{}”",
                state.articles.name(m.entry),
                m.label,
                sanitize_inline(&m.text)
            ),
            occurrences: Vec::new(),
            tagged: None,
        })
        .collect();
    if items.is_empty() {
        state.info(format!(
            "no tag names “{}” (x deletes it)",
            sanitize_inline(&e.name)
        ));
        return vec![];
    }
    state.relation_view = None;
    state.results = Some(Results {
        title: format!("Mentions of {}", sanitize_inline(&e.name)),
        items,
        ..Default::default()
    });
    state.mode = Mode::Normal;
    state.focus = Pane::List;
    state.info("enter opens the mention in its article · esc closes");
    vec![Effect::ShowContext]
}

/// A key typed into the rename prompt.
pub(super) fn rename_input(state: &mut State, id: String, key: InputKey) -> Vec<Effect> {
    match key {
        k if state.prompt.apply(&k) => vec![],
        InputKey::Cancel => {
            state.prompt.clear();
            state.mode = Mode::Entities;
            state.info("not renamed");
            vec![]
        }
        InputKey::Enter => {
            let name = state.prompt.take();
            state.mode = Mode::Entities;
            let before = state
                .entities
                .get(&id)
                .map(|e| e.name.clone())
                .unwrap_or_default();
            match state.entities.rename(&id, &name) {
                Ok(change) => {
                    let after = change
                        .after
                        .as_ref()
                        .map_or(String::new(), |e| e.name.clone());
                    record_registry(state, vec![change]);
                    select(state, &id);
                    state.info(format!(
                        "renamed “{}” “{}” (u undoes)",
                        sanitize_inline(&before),
                        sanitize_inline(&after)
                    ));
                    vec![Effect::SaveEntities]
                }
                Err(why) => {
                    state.error(format!("not renamed: {}", sanitize_inline(&why)));
                    vec![]
                }
            }
        }
        _ => vec![],
    }
}

/// A step that changed the registry alone: recorded for undo.
fn record_registry(state: &mut State, changes: Vec<EntityChange>) {
    state
        .history
        .record(HistoryEntry::new(Default::default(), Vec::new()).with_entities(changes));
}

/// `x`: delete the entity selected, if no tag names it.
fn delete(state: &mut State) -> Vec<Effect> {
    let Some(e) = selected(state) else {
        return vec![];
    };
    let Some((n, articles)) = state.entity_pane.as_ref().and_then(|p| counts(p, &e.id)) else {
        state.info("still counting the mentions…");
        return vec![];
    };
    if n > 0 {
        state.error(format!(
            "not deleted: {n} mention(s) in {articles} article(s) name “{}” (enter lists them; m merges it into another entity)",
            sanitize_inline(&e.name)
        ));
        return vec![];
    }
    let Some(change) = state.entities.remove(&e.id) else {
        return vec![];
    };
    record_registry(state, vec![change]);
    clamp(state);
    state.info(format!(
        "deleted {} “{}” (u undoes)",
        e.label,
        sanitize_inline(&e.name)
    ));
    if state.entities.entities().is_empty() {
        state.mode = Mode::Normal;
    }
    vec![Effect::SaveEntities]
}

/// `m`: mark the entity selected; on another one, merge the marked one into it.
fn merge(state: &mut State) -> Vec<Effect> {
    let Some(into) = selected(state) else {
        return vec![];
    };
    let marked = state.entity_pane.as_ref().and_then(|p| p.marked.clone());
    let Some(from) = marked.and_then(|id| state.entities.get(&id).cloned()) else {
        if let Some(p) = state.entity_pane.as_mut() {
            p.marked = Some(into.id.clone());
        }
        state.info(format!(
            "merge “{}” into…: move to the entity it is the same as and press m (esc: no)",
            sanitize_inline(&into.name)
        ));
        return vec![];
    };
    if from.id == into.id {
        state.info("that is the entity marked: move to the one it is the same as");
        return vec![];
    }
    if from.label != into.label {
        state.error(format!(
            "not merged: a {} cannot be a {}",
            from.label, into.label
        ));
        return vec![];
    }
    if state.tag_all.is_some() {
        state.info("wait: the corpus is being changed");
        return vec![];
    }
    let changes = match state.entities.merge(&from.id, &into.id) {
        Ok(c) => c,
        Err(why) => {
            state.error(format!("not merged: {}", sanitize_inline(&why)));
            return vec![];
        }
    };
    if let Some(p) = state.entity_pane.as_mut() {
        p.marked = None;
        // the tags follow: the counts at once, the sidecars on a thread
        for m in p.mentions.iter_mut().flatten() {
            if m.entity == from.id {
                m.entity = into.id.clone();
            }
        }
    }
    // the open article's tags through its document, the others' on a thread
    let mut effects = Vec::new();
    let (path, local) = match state.reader.as_mut() {
        Some(r) => {
            let all = relink_changes(&r.doc, &from.id, &into.id);
            let done = r.doc.edit(all).into_changes();
            r.refresh_spans(&state.labels);
            if !done.is_empty() {
                effects.push(Effect::Save { recover: false });
            }
            let path = if done.is_empty() {
                Default::default()
            } else {
                r.doc.path().to_path_buf()
            };
            (path, done)
        }
        None => (Default::default(), Vec::new()),
    };
    let step = state
        .history
        .record_open(HistoryEntry::new(path, local).with_entities(changes));
    select(state, &into.id);
    state.tag_all = Some((0, state.articles.len()));
    state.info(format!(
        "merging “{}” into “{}” across the corpus…",
        sanitize_inline(&from.name),
        sanitize_inline(&into.name)
    ));
    state.relinking = true;
    effects.push(Effect::Relink {
        from: from.id,
        into: into.id,
        step,
    });
    effects
}

/// The other articles' tags followed the merge: their changes join its undo step, then the
/// registry is saved (the entity merged away stays while a sidecar names it).
pub(super) fn relinked(
    state: &mut State,
    step: u64,
    changed: Vec<(std::path::PathBuf, Vec<Change>, AnnotationSet)>,
    failed: Vec<String>,
) -> Vec<Effect> {
    state.tag_all = None;
    state.relinking = false;
    let mut moved = 0;
    let mut elsewhere = Vec::new();
    for (path, changes, set) in changed {
        moved += changes.len();
        if let Some(i) = state.articles.position(&path) {
            state.touched.insert(i);
            state.articles.edit_summary(i, |s| s.take_annotations(&set));
        }
        elsewhere.push((path, changes));
    }
    let articles = elsewhere.len();
    let mut entities = Vec::new();
    state.history.amend(step, |e| {
        moved += e.changes.len();
        e.elsewhere = elsewhere;
        entities = e.entities.clone();
    });
    let into = entities
        .iter()
        .find_map(|c| c.after.as_ref())
        .map(|e| sanitize_inline(&e.name))
        .unwrap_or_default();
    if failed.is_empty() {
        state.info(format!(
            "merged: {moved} mention(s) now name “{into}” ({articles} other article(s) changed; u undoes)"
        ));
    } else {
        state.error(format!(
            "merged, but some sidecars could not be changed: {}",
            failed.join("; ")
        ));
    }
    vec![Effect::SaveEntities]
}

/// Where the pane is drawn: the list and the reader.
fn body(state: &State) -> Rect {
    let s = state.screen;
    Rect::new(s.x, s.y, s.width, s.height.saturating_sub(2))
}

/// Draw the pane over the list and the reader.
pub(super) fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let Some(pane) = state.entity_pane.as_ref() else {
        return;
    };
    let area = body(state);
    if area.width < 20 || area.height < 4 {
        return;
    }
    frame.render_widget(Clear, area);
    let all = listed(state);
    let title = format!(
        " Entities ({}){} · enter mentions · r rename · m merge · x delete · esc ",
        all.len(),
        if pane.mentions.is_none() {
            ", counting…"
        } else {
            ""
        }
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    use unicode_width::UnicodeWidthStr;
    let label_w = all
        .iter()
        .map(|e| e.label.width())
        .chain(["label".len()])
        .max()
        .unwrap_or(5);
    // the name takes what it needs up to two fifths of the width; the aliases the rest
    let name_w = all
        .iter()
        .map(|e| sanitize_inline(&e.name).width())
        .chain([4])
        .max()
        .unwrap_or(4)
        .min(w * 2 / 5)
        .max(8);
    let mut lines = vec![Line::styled(
        format!(
            "  {}  {}  mentions  articles  aliases",
            sanitize_inline_padded("name", name_w),
            sanitize_inline_padded("label", label_w)
        ),
        theme.dim,
    )];
    for (i, e) in all
        .iter()
        .enumerate()
        .skip(pane.offset)
        .take(inner.height.saturating_sub(1) as usize)
    {
        let (n, a) = match counts(pane, &e.id) {
            Some((n, a)) => (n.to_string(), a.to_string()),
            None => ("…".into(), "…".into()),
        };
        let mark = if pane.marked.as_deref() == Some(e.id.as_str()) {
            "m "
        } else {
            "  "
        };
        let aliases: Vec<String> = e.aliases.iter().map(|a| sanitize_inline(a)).collect();
        let mut line = Line::from(vec![
            Span::styled(mark, theme.warning),
            Span::styled(
                sanitize_inline_padded(&e.name, name_w),
                theme.tag(state.labels.index_of(&e.label), false),
            ),
            Span::raw(format!(
                "  {}  {n:>8}  {a:>8}  ",
                sanitize_inline_padded(&e.label, label_w)
            )),
            Span::styled(aliases.join(" · "), theme.dim),
        ]);
        if i == pane.selected {
            line = line.style(Style::new().add_modifier(Modifier::REVERSED));
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
