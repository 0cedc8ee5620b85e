//! `update(&mut State, Action)`: every change of state, and the effects (open, save, quit) the loop
//! carries out. Touches neither terminal nor disk. It dispatches to one module per concern
//! (moving, editing, finding, prompts, review, suggestions), which never import it.

use gloss_core::annotation::{Change, Verdict};
use gloss_core::text::{motion, sanitize_inline};

use super::action::{Action, Motion};
use super::editing::{self, apply_label, label_of, relabel, tag_under_cursor};
pub use super::effect::Effect;
use super::finding::{self, open, open_result};
use super::moving::{self, follow};
use super::review::{self, Adjust};
use super::state::{Mode, Pane, State};
use super::{linking, prompts, relating, suggestions};

/// Apply one action, then place the panes for what it changed (focus, results, screen).
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let effects = dispatch(state, action);
    state.relayout();
    effects
}

fn dispatch(state: &mut State, action: Action) -> Vec<Effect> {
    if state.show_help {
        return match action {
            Action::Move(Motion::Down) => {
                state.help_scroll += 1;
                vec![]
            }
            Action::Move(Motion::Up) => {
                state.help_scroll = state.help_scroll.saturating_sub(1);
                vec![]
            }
            Action::Quit => vec![Effect::Quit],
            Action::Resize { .. } | Action::Scroll { .. } => {
                general(state, action);
                vec![]
            }
            _ => {
                state.show_help = false;
                vec![]
            }
        };
    }
    if let Action::Input(key) = action {
        return prompts::input(state, key);
    }
    if let Mode::Relabel { tag } = state.mode.clone() {
        state.mode = Mode::Normal;
        if let Some(name) = label_of(state, &action) {
            return relabel(state, &tag, &name);
        }
        state.info("re-label cancelled");
        return vec![];
    }
    general(state, action)
}

fn general(state: &mut State, action: Action) -> Vec<Effect> {
    if state.adjudicating.is_some()
        && state.focus == Pane::Reader
        && let Some(effects) = adjudicate(state, &action)
    {
        return effects;
    }
    match action {
        Action::Quit => vec![Effect::Quit],
        Action::ToggleHelp => {
            state.show_help = true;
            state.help_scroll = 0;
            vec![]
        }
        Action::SwitchPane => {
            state.focus = match state.focus {
                Pane::List if state.reader.is_some() => Pane::Reader,
                _ => Pane::List,
            };
            vec![]
        }
        Action::OpenSelected if state.focus == Pane::Reader && state.relating.is_some() => {
            let head = state.relating.clone().unwrap_or_default();
            relating::pick_tail(state, &head)
        }
        Action::OpenSelected if state.focus == Pane::List && state.results.is_some() => {
            open_result(state)
        }
        Action::OpenSelected => match (state.focus, state.selected_entry()) {
            (Pane::List, Some(entry)) => vec![open(entry)],
            _ => vec![],
        },
        Action::NextArticle | Action::PrevArticle => {
            let forward = action == Action::NextArticle;
            let current = state
                .reader
                .as_ref()
                .and_then(|r| state.list.shown.iter().position(|&e| e == r.entry))
                .unwrap_or(state.list.selected);
            let next = if forward {
                (current + 1 < state.list.shown.len()).then_some(current + 1)
            } else {
                current.checked_sub(1)
            };
            match next {
                Some(p) => {
                    state.list.selected = p;
                    vec![open(state.list.shown[p])]
                }
                None => {
                    state.info(if forward {
                        "this is the last article"
                    } else {
                        "this is the first article"
                    });
                    vec![]
                }
            }
        }
        Action::Move(m) if state.focus == Pane::List && state.results.is_some() => {
            moving::move_results(state, m);
            vec![]
        }
        Action::Move(m) => {
            match state.focus {
                Pane::List => moving::move_list(state, m),
                Pane::Reader => moving::move_reader(state, m),
            }
            vec![]
        }
        Action::ToggleSelection => {
            if let Some(r) = moving::reader_mut(state) {
                r.anchor = match r.anchor {
                    Some(_) => None,
                    None => Some(r.cursor),
                };
            }
            vec![]
        }
        Action::SelectSentence => {
            if let Some(r) = moving::reader_mut(state)
                && let Some(s) = motion::sentence_at(r.text(), r.cursor)
            {
                r.anchor = Some(s.start);
                r.set_cursor(motion::prev_grapheme(r.text(), s.end));
            }
            follow(state);
            vec![]
        }
        Action::ApplyLabelNumber(n) => match state.labels.labels.get(n.wrapping_sub(1)) {
            Some(l) => {
                let name = l.name.clone();
                apply_label(state, &name)
            }
            None => {
                state.error(format!("there is no label {n}"));
                vec![]
            }
        },
        Action::ApplyLabel(name) => apply_label(state, &name),
        Action::DeleteTag => {
            // no tag under the cursor, but a suggestion: reject it
            let no_tag = state
                .reader
                .as_ref()
                .is_some_and(|r| r.tags().innermost_at(r.cursor_char()).is_none());
            if no_tag && let Some(effects) = suggestions::reject(state) {
                return effects;
            }
            let Some(tag) = tag_under_cursor(state) else {
                return vec![];
            };
            state.info(format!(
                "deleted {} “{}”",
                tag.label,
                sanitize_inline(&tag.text)
            ));
            editing::edit(state, vec![Change::Remove(tag)])
        }
        Action::NextTag | Action::PrevTag => {
            if state.focus == Pane::Reader {
                moving::next_tag(state, action == Action::NextTag);
            }
            vec![]
        }
        Action::ToggleReview => {
            review::toggle_review(state);
            vec![]
        }
        Action::Accept => review::verdict(state, Verdict::Accepted),
        Action::Reject => review::verdict(state, Verdict::Rejected),
        Action::GrowStart => review::adjust(state, Adjust::GrowStart),
        Action::ShrinkStart => review::adjust(state, Adjust::ShrinkStart),
        Action::GrowEnd => review::adjust(state, Adjust::GrowEnd),
        Action::ShrinkEnd => review::adjust(state, Adjust::ShrinkEnd),
        Action::EditComment => {
            if let Some(tag) = tag_under_cursor(state) {
                state.prompt = tag.comment.clone().unwrap_or_default();
                state.mode = Mode::Comment { tag: tag.id };
            }
            vec![]
        }
        Action::EditArticleComment => {
            match state.reader.as_ref() {
                Some(r) if r.read_only().is_none() => {
                    state.prompt = r.tags().article.comment.clone().unwrap_or_default();
                    state.mode = Mode::ArticleComment;
                }
                Some(_) => state.error("read-only"),
                None => state.info("open an article first"),
            }
            vec![]
        }
        Action::SetStatus => {
            if state.reader.is_some() {
                state.mode = Mode::SetStatus;
                state.info("status: n new · i in progress · d done · r reviewed · w needs work");
            } else {
                state.info("open an article first");
            }
            vec![]
        }
        Action::ToggleReading => {
            state.reading = !state.reading;
            let w = state.wrap_width();
            let spaced = state.reading;
            if let Some(r) = state.reader.as_mut() {
                r.relayout(w, spaced);
            }
            follow(state);
            vec![]
        }
        Action::ToggleHighlights => {
            state.highlights = !state.highlights;
            state.info(if state.highlights {
                "highlights on"
            } else {
                "highlights off"
            });
            vec![]
        }
        Action::ToggleExact => {
            state.exact = !state.exact;
            state.info(if state.exact {
                "exact matching"
            } else {
                "matching ignores accents, case and Unicode form"
            });
            vec![]
        }
        Action::FindInCorpus => {
            state.prompt.clear();
            state.mode = Mode::CorpusSearch;
            vec![]
        }
        Action::TagIndex => {
            state.results = Some(super::state::Results {
                title: "Tag index".into(),
                running: true,
                ..Default::default()
            });
            state.focus = Pane::List;
            vec![Effect::BuildTagIndex]
        }
        Action::NextSuggestion | Action::PrevSuggestion => {
            suggestions::step(state, action == Action::NextSuggestion);
            vec![]
        }
        Action::AcceptSuggestion => suggestions::accept(state),
        Action::AcceptAllSuggestions => suggestions::accept_all(state),
        Action::ToggleSuggestions => {
            state.suggestions_on = !state.suggestions_on;
            if let Some(r) = state.reader.as_mut() {
                r.suggested_for = None;
            }
            state.info(if state.suggestions_on {
                "suggestions on"
            } else {
                "suggestions off"
            });
            vec![]
        }
        Action::TagAllInArticle => suggestions::tag_all_in_article(state),
        Action::TagAllInCorpus => suggestions::tag_all_in_corpus(state),
        Action::StartRelation => relating::start(state),
        Action::ListRelations => relating::list(state),
        Action::LinkEntity => linking::start(state),
        Action::UnlinkEntity => linking::unlink(state),
        Action::SelectChars { start, end } => {
            let h = state.text_height();
            if let Some(r) = state.reader.as_mut()
                && let Some(b) = r.doc.bytes_of(&(start..end))
                && b.start < b.end
            {
                r.select(b.clone());
                r.reveal(b, h);
            }
            vec![]
        }
        Action::NextOrphan => {
            editing::next_orphan(state);
            vec![]
        }
        Action::Undo | Action::Redo => editing::undo_redo(state, action == Action::Undo),
        Action::Relabel => {
            if let Some(tag) = tag_under_cursor(state) {
                let keys: Vec<String> = state
                    .labels
                    .labels
                    .iter()
                    .map(|l| format!("{} {}", l.key, l.name))
                    .collect();
                state.info(format!("re-label as: {}", keys.join(", ")));
                state.mode = Mode::Relabel { tag: tag.id };
            }
            vec![]
        }
        Action::EditNote => {
            if let Some(tag) = tag_under_cursor(state) {
                state.prompt = tag.note.clone().unwrap_or_default();
                state.mode = Mode::Note { tag: tag.id };
            }
            vec![]
        }
        Action::Find => {
            match state.focus {
                Pane::List => {
                    // a new filter each time (esc clears the one shown)
                    state.prompt.clear();
                    state.mode = Mode::Filter;
                }
                Pane::Reader if state.reader.is_some() => {
                    state.prompt.clear();
                    state.mode = Mode::Search;
                }
                Pane::Reader => {}
            }
            vec![]
        }
        Action::NextHit | Action::PrevHit => {
            finding::step_hit(state, action == Action::NextHit);
            vec![]
        }
        Action::Cancel if state.relating.is_some() => {
            // a selection (a search hit) goes first: the relation waits for its other tag
            match state.reader.as_mut().filter(|r| r.anchor.is_some()) {
                Some(r) => r.anchor = None,
                None => {
                    state.relating = None;
                    state.info("no relation made");
                }
            }
            vec![]
        }
        Action::Cancel if state.focus == Pane::List && state.results.is_some() => {
            state.results = None;
            vec![]
        }
        Action::Cancel if state.focus == Pane::List && !state.list.filter.is_empty() => {
            state.list.filter.clear();
            state.apply_filter();
            moving::clamp_list(state);
            state.info("filter cleared");
            vec![]
        }
        Action::Cancel if state.review_mode => {
            state.review_mode = false;
            state.info("review mode off");
            vec![]
        }
        Action::Cancel => {
            state.mode = Mode::Normal;
            if let Some(r) = state.reader.as_mut() {
                if r.anchor.is_some() {
                    r.anchor = None;
                } else {
                    r.search = None;
                }
            }
            state.message = None;
            vec![]
        }
        Action::Input(_) => vec![],
        Action::Click { column, row } => {
            moving::click(state, column, row, false);
            vec![]
        }
        Action::Drag { column, row } => {
            moving::click(state, column, row, true);
            vec![]
        }
        Action::Scroll { column, row, delta } => {
            moving::scroll(state, column, row, delta);
            vec![]
        }
        Action::Resize { width, height } => {
            state.screen = ratatui::layout::Rect::new(0, 0, width, height);
            state.panes =
                super::state::Panes::for_screen(state.screen, state.focus, state.results.is_some());
            let w = state.wrap_width();
            let spaced = state.reading;
            if let Some(r) = state.reader.as_mut() {
                r.relayout(w, spaced);
            }
            follow(state);
            moving::clamp_list(state);
            vec![]
        }
    }
}

/// In adjudication, the suggestion keys work on the annotators' candidates.
fn adjudicate(state: &mut State, action: &Action) -> Option<Vec<Effect>> {
    use super::adjudicating as adj;
    Some(match action {
        Action::NextSuggestion => {
            adj::step(state, true);
            vec![]
        }
        Action::PrevSuggestion => {
            adj::step(state, false);
            vec![]
        }
        Action::AcceptSuggestion => adj::accept(state),
        Action::AcceptAllSuggestions => adj::accept_agreed(state),
        Action::DeleteTag
            if state
                .reader
                .as_ref()
                .is_some_and(|r| r.tags().innermost_at(r.cursor_char()).is_none()) =>
        {
            adj::reject(state)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    //! `update` on plain values: no terminal, no disk.
    use super::*;
    use crate::tui::state::Reader;
    use gloss_core::annotation::{Annotation, HistoryEntry, LabelSet};
    use gloss_core::corpus::{Article, ArticleList};
    use gloss_core::store::Document;
    use ratatui::layout::Rect;
    use std::path::PathBuf;

    fn state_with(text: &str) -> State {
        let index = ArticleList::new(
            std::path::Path::new("/c"),
            vec![PathBuf::from("/c/a.txt"), PathBuf::from("/c/b.txt")],
        );
        let mut s = State::new(
            index,
            LabelSet::default(),
            "me".into(),
            Rect::new(0, 0, 80, 20),
        );
        let article = Article::from_bytes(PathBuf::from("/c/a.txt"), text.as_bytes().to_vec());
        let w = s.panes.wrap_width();
        let doc = Document::with_article(article, PathBuf::from("/nonexistent/a.ron"));
        s.reader = Some(Reader::new(0, doc, &s.labels, w));
        s.focus = Pane::Reader;
        s
    }

    #[test]
    fn select_words_and_tag_returns_a_save() {
        let mut s = state_with("Ông Tô Lâm phát biểu.");
        update(&mut s, Action::Move(Motion::WordForward));
        update(&mut s, Action::ToggleSelection);
        update(&mut s, Action::Move(Motion::WordEnd));
        update(&mut s, Action::Move(Motion::WordEnd));
        let effects = update(&mut s, Action::ApplyLabel("PERSON".into()));
        assert_eq!(effects, vec![Effect::Save]);
        let r = s.reader.as_ref().unwrap();
        let t = &r.tags().tags()[0];
        assert_eq!((t.start, t.end, t.text.as_str()), (4, 10, "Tô Lâm"));
        assert!(r.anchor.is_none());
        // undo is local: no effect but a save
        assert_eq!(update(&mut s, Action::Undo), vec![Effect::Save]);
        assert!(s.reader.as_ref().unwrap().tags().is_empty());
    }

    #[test]
    fn tagging_a_space_does_nothing() {
        let mut s = state_with("a  b");
        update(&mut s, Action::Move(Motion::Right));
        assert_eq!(update(&mut s, Action::ApplyLabel("TASK".into())), vec![]);
        assert!(s.message.as_ref().unwrap().0.contains("nothing to tag"));
    }

    #[test]
    fn down_keeps_the_column_across_short_rows() {
        let mut s = state_with("abcdefgh\nab\nabcdefgh");
        for _ in 0..5 {
            update(&mut s, Action::Move(Motion::Right));
        }
        update(&mut s, Action::Move(Motion::Down));
        assert_eq!(s.reader.as_ref().unwrap().cursor, 11); // end of "ab"
        update(&mut s, Action::Move(Motion::Down));
        assert_eq!(s.reader.as_ref().unwrap().cursor, 17); // column 5 again
    }

    #[test]
    fn other_articles_undo_asks_to_open_it() {
        let mut s = state_with("Tô Lâm");
        let t = Annotation::new("PERSON", 0, 2, "Tô", "me");
        s.history.record(HistoryEntry::new(
            PathBuf::from("/c/b.txt"),
            vec![Change::Add(t)],
        ));
        let effects = update(&mut s, Action::Undo);
        assert_eq!(
            effects,
            vec![Effect::Open {
                entry: 1,
                cursor: None,
                then: Some(Action::Undo)
            }]
        );
    }
}
