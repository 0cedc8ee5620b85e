//! Entity links in the reader: `L` opens a prompt for the entity of the tag under the cursor,
//! filled with what the registry proposes (the entity named as the tag, the same directive, the
//! full name a given name stands for); typing completes accent-insensitively, tab takes the next
//! completion, enter links to the entity of that name or makes a new one. `U` unlinks.

use gloss_core::entity::{Entity, EntityChange, Proposal};
use gloss_core::text::sanitize_inline;

use super::action::InputKey;
use super::editing::{edit, edit_with_entities, open_tag, tag_under_cursor};
use super::effect::Effect;
use super::state::{Mode, State};

/// `L`: open the link prompt for the tag under the cursor.
pub(super) fn start(state: &mut State) -> Vec<Effect> {
    if let Some(why) = &state.entities_error {
        state.error(format!("entity links are off: {why}"));
        return vec![];
    }
    let Some(tag) = tag_under_cursor(state) else {
        return vec![];
    };
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let proposal = match tag.entity.as_deref().and_then(|id| state.entities.get(id)) {
        Some(e) => Proposal::Existing(e.id.clone()),
        None => state
            .entities
            .propose(&tag, r.tags().tags().starting_before(tag.start)),
    };
    let name = match &proposal {
        Proposal::Existing(id) => state
            .entities
            .get(id)
            .map(|e| e.name.clone())
            .unwrap_or_default(),
        Proposal::New { name, .. } => name.clone(),
    };
    state.prompt.set(name);
    state.mode = Mode::LinkEntity {
        tag: tag.id,
        label: tag.label,
        choice: None,
    };
    vec![]
}

/// The completions of what is typed, for a tag of `label`.
pub(super) fn completions<'a>(state: &'a State, label: &str) -> Vec<&'a Entity> {
    state.entities.complete(state.prompt.text(), Some(label))
}

/// A key typed into the link prompt.
pub(super) fn input(
    state: &mut State,
    tag: String,
    label: String,
    choice: Option<usize>,
    key: InputKey,
) -> Vec<Effect> {
    match key {
        k if state.prompt.apply(&k) => {
            // what is typed changed (or the cursor moved): completions start again from it
            state.mode = Mode::LinkEntity {
                tag,
                label,
                choice: None,
            };
            vec![]
        }
        InputKey::Tab | InputKey::Down | InputKey::Up => {
            // cycle through the completions of what was typed before the first tab
            let typed = match choice {
                Some(_) => state.typed.clone(),
                None => {
                    state.typed = state.prompt.text().to_string();
                    state.prompt.text().to_string()
                }
            };
            let names: Vec<String> = state
                .entities
                .complete(&typed, Some(&label))
                .iter()
                .map(|e| e.name.clone())
                .collect();
            if names.is_empty() {
                state.info("no entity goes by that name: enter makes a new one");
                return vec![];
            }
            let next = match (choice, key) {
                (None, InputKey::Up) => names.len() - 1,
                (None, _) => 0,
                (Some(i), InputKey::Up) => (i + names.len() - 1) % names.len(),
                (Some(i), _) => (i + 1) % names.len(),
            };
            state.prompt.set(names[next].clone());
            state.mode = Mode::LinkEntity {
                tag,
                label,
                choice: Some(next),
            };
            vec![]
        }
        InputKey::Cancel => {
            state.mode = Mode::Normal;
            state.prompt.clear();
            state.info("not linked");
            vec![]
        }
        InputKey::Enter => {
            state.mode = Mode::Normal;
            let name = state.prompt.take();
            if name.trim().is_empty() {
                state.info("not linked");
                return vec![];
            }
            link(state, &tag, &label, &name)
        }
        // (every other key edits the line, above)
        _ => vec![],
    }
}

/// Link the tag `id` to the entity of `label` named `name`, made if there is none.
fn link(state: &mut State, id: &str, label: &str, name: &str) -> Vec<Effect> {
    let Some(tag) = open_tag(state, id) else {
        return vec![];
    };
    let existing = state.entities.find(label, name).cloned();
    let (entity, made) = match &existing {
        Some(e) => (e.id.clone(), false),
        None => (state.entities.create(label, name), true),
    };
    state.entities.learn_mention(&entity, &tag.text);
    let Some(change) = state
        .reader
        .as_ref()
        .and_then(|r| r.doc.link(id, Some(&entity)))
    else {
        state.info("already linked to that entity");
        return save_registry(state);
    };
    // what the link did to the registry is part of its step: undone, an entity it made goes
    let registry = EntityChange::between(existing, state.entities.get(&entity).cloned());
    let mut effects = edit_with_entities(state, vec![change], registry.into_iter().collect());
    let shown = state
        .entities
        .get(&entity)
        .map(|e| sanitize_inline(&e.name))
        .unwrap_or_default();
    state.info(format!(
        "“{}” → {shown}{}",
        sanitize_inline(&tag.text),
        if made { " (new entity)" } else { "" }
    ));
    effects.extend(save_registry(state));
    effects
}

fn save_registry(state: &State) -> Vec<Effect> {
    if state.entities.is_unsaved() {
        vec![Effect::SaveEntities]
    } else {
        vec![]
    }
}

/// `U`: unlink the tag under the cursor from its entity.
pub(super) fn unlink(state: &mut State) -> Vec<Effect> {
    let Some(tag) = tag_under_cursor(state) else {
        return vec![];
    };
    let Some(change) = state
        .reader
        .as_ref()
        .and_then(|r| r.doc.link(&tag.id, None))
    else {
        state.info("the tag is not linked to an entity");
        return vec![];
    };
    let effects = edit(state, vec![change]);
    state.info(format!("unlinked “{}”", sanitize_inline(&tag.text)));
    effects
}
