//! Prompts: typed text (filter, search, note, comments, an entity's name), key by key.

use super::action::InputKey;
use super::background::show_index;
use super::editing::set_note;
use super::effect::Effect;
use super::finding::search;
use super::linking;
use super::moving::clamp_list;
use super::review;
use super::state::{Mode, Pane, State};
use gloss_core::text::sanitize_inline;

/// A key typed into the prompt of the mode.
pub(super) fn input(state: &mut State, key: InputKey) -> Vec<Effect> {
    let mode = state.mode.clone();
    if let Mode::LinkEntity { tag, label, choice } = mode {
        return linking::input(state, tag, label, choice, key);
    }
    if let Mode::RenameEntity { id } = mode {
        return super::entities::rename_input(state, id, key);
    }
    match key {
        k if state.prompt.apply(&k) => {}
        InputKey::Char(_) | InputKey::Backspace => {}
        InputKey::Left
        | InputKey::Right
        | InputKey::WordLeft
        | InputKey::WordRight
        | InputKey::Home
        | InputKey::End
        | InputKey::Delete
        | InputKey::DeleteWord
        | InputKey::DeleteToStart
        | InputKey::DeleteToEnd => {}
        InputKey::Tab | InputKey::Up | InputKey::Down => {}
        InputKey::Cancel => {
            state.mode = Mode::Normal;
            if mode == Mode::Filter {
                state.list.filter.clear();
                state.apply_filter();
                clamp_list(state);
            }
            if mode == Mode::IndexFilter {
                state.index_filter.clear();
                show_index(state);
            }
            state.prompt.clear();
            return vec![];
        }
        InputKey::Enter => {
            state.mode = Mode::Normal;
            let text = state.prompt.take();
            return match mode {
                Mode::Filter => {
                    let unknown = gloss_core::corpus::list::ListFilter::parse(&text).unknown;
                    if !unknown.is_empty() {
                        state.error(format!("{}: left out of the filter", unknown.join("; ")));
                    }
                    state.list.filter = text;
                    state.apply_filter();
                    clamp_list(state);
                    vec![]
                }
                Mode::IndexFilter => {
                    state.index_filter = text;
                    show_index(state);
                    vec![]
                }
                Mode::Search => {
                    search(state, &text);
                    vec![]
                }
                Mode::Note { tag } => set_note(state, &tag, &text),
                Mode::Comment { tag } => review::set_comment(state, &tag, &text),
                Mode::ArticleComment => review::set_article_comment(state, &text),
                Mode::CorpusSearch if !text.trim().is_empty() => {
                    state.relation_view = None;
                    state.results = Some(super::state::Results {
                        title: format!("Search “{}”", sanitize_inline(&text)),
                        running: true,
                        ..Default::default()
                    });
                    state.focus = Pane::List;
                    vec![Effect::CorpusSearch {
                        query: text,
                        exact: state.exact,
                    }]
                }
                _ => vec![],
            };
        }
    }
    if mode == Mode::IndexFilter {
        state.index_filter = state.prompt.text().to_string();
        show_index(state);
    }
    if mode == Mode::Filter {
        // The list narrows as you type.
        state.list.filter = state.prompt.text().to_string();
        state.apply_filter();
        clamp_list(state);
    }
    vec![]
}
