//! Article labels: `#` shows the categories of gloss.ron with a key per value (1–9, then a–z);
//! a key chooses that value for the open article, or drops it if chosen (a single-choice
//! category's value replaces the one there); `esc` leaves. Each choice is one undoable edit,
//! saved as any edit is.

use super::action::{Action, InputKey};
use super::editing::{edit, read_only};
use super::effect::Effect;
use super::state::{Mode, State};

/// The keys of the values, in order across the categories.
pub const KEYS: &str = "123456789abcdefghijklmnopqrstuvwxyz";

/// (key, category index, value) for every value, as the picker lists them.
pub fn choices(state: &State) -> Vec<(char, usize, &str)> {
    state
        .categories
        .iter()
        .enumerate()
        .flat_map(|(c, cat)| cat.values.iter().map(move |v| (c, v.as_str())))
        .zip(KEYS.chars())
        .map(|((c, v), k)| (k, c, v))
        .collect()
}

/// `#`: the picker, for an open article of a corpus with categories.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    if state.categories.is_empty() {
        state.info("no article labels: define categories in the corpus's gloss.ron");
        return vec![];
    }
    if state.reader.is_none() {
        state.info("open an article first");
        return vec![];
    }
    if read_only(state) {
        return vec![];
    }
    state.mode = Mode::Categorize;
    vec![]
}

/// A key in the picker.
pub(super) fn action(state: &mut State, action: Action) -> Vec<Effect> {
    let Action::Input(InputKey::Char(k)) = action else {
        state.mode = Mode::Normal;
        return vec![];
    };
    let Some((c, value)) = choices(state)
        .into_iter()
        .find(|(key, _, _)| *key == k)
        .map(|(_, c, v)| (c, v.to_string()))
    else {
        state.info(format!("no value has the key {k}"));
        return vec![];
    };
    let category = state.categories[c].clone();
    let Some(r) = state.reader.as_ref() else {
        state.mode = Mode::Normal;
        return vec![];
    };
    let mut chosen = false;
    let Some(change) = r.tags().change_article(|a| {
        category.toggle(&mut a.categories, &value);
        chosen = a
            .categories
            .get(&category.name)
            .is_some_and(|vs| vs.contains(&value));
    }) else {
        return vec![];
    };
    // a single choice is made: the picker closes; several stay open for more
    if !category.multi {
        state.mode = Mode::Normal;
    }
    state.info(if chosen {
        format!("{}: {value}", category.name)
    } else {
        format!("{}: {value} dropped", category.name)
    });
    edit(state, vec![change])
}
