//! Prompts: typed text (filter, search, note, comments) and one-key answers (status, yes/no).

use super::action::InputKey;
use super::editing::set_note;
use super::effect::Effect;
use super::finding::search;
use super::moving::clamp_list;
use super::state::{Mode, Pane, State};
use super::{linking, relating, review};
use gloss_core::text::sanitize_inline;

pub(super) fn input(state: &mut State, key: InputKey) -> Vec<Effect> {
    let mode = state.mode.clone();
    match mode.clone() {
        Mode::RelationType { head, tail } => return relating::type_key(state, &head, &tail, key),
        Mode::Relations { of, selected } => return relating::list_key(state, of, selected, key),
        Mode::LinkEntity { tag, label, choice } => {
            return linking::input(state, tag, label, choice, key);
        }
        _ => {}
    }
    if mode == Mode::Confirm {
        state.mode = Mode::Normal;
        let pending = state.pending.take();
        return match (key, pending) {
            (InputKey::Char('y'), Some(p)) => vec![Effect::ApplyTagAll(p)],
            _ => {
                state.info("nothing tagged");
                vec![]
            }
        };
    }
    if mode == Mode::SetStatus {
        state.mode = Mode::Normal;
        return match key {
            InputKey::Char(c) => match review::status_key(c) {
                Some(s) => review::set_status(state, s),
                None => {
                    state.info("status unchanged");
                    vec![]
                }
            },
            _ => {
                state.info("status unchanged");
                vec![]
            }
        };
    }
    match key {
        InputKey::Char(c) => state.prompt.push(c),
        InputKey::Backspace => {
            state.prompt.pop();
        }
        InputKey::Tab | InputKey::Up | InputKey::Down => {}
        InputKey::Cancel => {
            state.mode = Mode::Normal;
            if mode == Mode::Filter {
                state.list.filter.clear();
                state.apply_filter();
                clamp_list(state);
            }
            state.prompt.clear();
            return vec![];
        }
        InputKey::Enter => {
            state.mode = Mode::Normal;
            let text = std::mem::take(&mut state.prompt);
            return match mode {
                Mode::Filter => {
                    state.list.filter = text;
                    state.apply_filter();
                    clamp_list(state);
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
    if mode == Mode::Filter {
        // The list narrows as you type.
        state.list.filter = state.prompt.clone();
        state.apply_filter();
        clamp_list(state);
    }
    vec![]
}
