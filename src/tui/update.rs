//! `update(&mut State, msg)`: the one writer of the state. A message is what the user means (an
//! [`Action`], from the keymap) or what came back of work asked for (an [`Outcome`], from the
//! runner); `update` changes the state and returns the [`Effect`]s the loop carries out. It touches
//! neither terminal nor disk. It dispatches to one module per concern (moving, editing, finding,
//! prompts, review, relating, linking, suggestions, adjudicating; opening, saving and background
//! for outcomes), which never import it.

use gloss_core::annotation::Verdict;
use gloss_core::text::motion;

use super::action::{Action, Motion};
use super::editing::{self, apply_label, delete_tag, relabel, tag_under_cursor};
use super::effect::{Effect, Outcome};
use super::finding::{self, open, open_result};
use super::moving::{self, follow};
use super::review::{self, Adjust};
use super::state::{IndexOrder, Mode, Pane, State};
use super::{
    adjudicating, background, categorizing, dashboard, entities, guide, linking, opening, prompts,
    relating, relation_view, saving, suggestions, timing,
};

/// What `update` takes: an action of the user's, or the outcome of an effect.
#[derive(Debug)]
pub enum Msg {
    Action(Action),
    Outcome(Box<Outcome>),
}

impl From<Action> for Msg {
    fn from(a: Action) -> Msg {
        Msg::Action(a)
    }
}

impl From<Outcome> for Msg {
    fn from(o: Outcome) -> Msg {
        Msg::Outcome(Box::new(o))
    }
}

/// Take one message; then place the panes for what it changed (focus, results, screen) and find
/// the open article's suggestions again if its tags changed.
pub fn update(state: &mut State, msg: impl Into<Msg>) -> Vec<Effect> {
    let mut effects = match msg.into() {
        Msg::Action(a) => act(state, a),
        Msg::Outcome(o) => take(state, *o),
    };
    relation_view::follow(state);
    state.relayout();
    effects.extend(suggestions::refresh(state));
    effects
}

/// An outcome, to the concern it belongs to.
fn take(state: &mut State, outcome: Outcome) -> Vec<Effect> {
    match outcome {
        Outcome::Opened {
            entry,
            doc,
            candidates,
            problems,
            cursor,
            then,
        } => {
            let mut effects = opening::opened(state, entry, *doc, candidates, problems, cursor);
            if let Some(a) = then {
                effects.extend(act(state, a));
            }
            effects
        }
        Outcome::OpenFailed { entry, error } => opening::open_failed(state, entry, error),
        Outcome::Saved {
            entry,
            article,
            result,
            recovery,
            background,
            texts,
        } => {
            let ok = result.is_ok();
            let mut effects = saving::saved(state, entry, &article, result, recovery, texts);
            if background {
                // first: nothing may take a save of the document before this one is in it
                effects.insert(0, Effect::SaveApplied { ok });
            }
            effects
        }
        Outcome::Again(effect) => vec![*effect],
        Outcome::EntitiesSaved(r) => saving::entities_saved(state, r),
        Outcome::Said { error, message } => {
            if error {
                state.error(message);
            } else {
                state.info(message);
            }
            vec![]
        }
        Outcome::Scan(ev) => background::scanned(state, ev),
        Outcome::Search(ev) => background::searched(state, ev),
        Outcome::Index(ev) => background::indexed(state, ev),
        Outcome::Context(lines) => background::context(state, lines),
        Outcome::Suggested {
            entry,
            generation,
            found,
        } => {
            suggestions::found(state, entry, generation, found);
            vec![]
        }
        Outcome::Learnt(r) => background::learnt(state, r),
        Outcome::TagAllProgress { done, total } => {
            suggestions::tag_all_progress(state, done, total);
            vec![]
        }
        Outcome::TagAllCounted(p) => {
            suggestions::confirm_tag_all(state, p);
            vec![]
        }
        Outcome::TagAllApplied {
            pending,
            changed,
            failed,
        } => suggestions::tag_all_applied(state, pending, changed, failed),
        Outcome::AppliedElsewhere { changed, failed } => {
            editing::applied_elsewhere(state, changed, failed);
            // the registry an undo or redo changed, once the sidecars name what it keeps
            if state.entities.is_unsaved() && state.entities_error.is_none() {
                vec![Effect::SaveEntities]
            } else {
                vec![]
            }
        }
        Outcome::Mentions(found) => {
            entities::counted(state, found);
            vec![]
        }
        Outcome::Relinked {
            step,
            changed,
            failed,
        } => entities::relinked(state, step, changed, failed),
        Outcome::Exited => saving::exited(state),
        Outcome::ProjectCounted { parts, done, fresh } => {
            dashboard::counted(state, parts, done, fresh);
            vec![]
        }
        Outcome::Disagreements(counts) => {
            for (entry, settled, all) in counts {
                state.disagreements.insert(entry, (settled, all));
            }
            vec![]
        }
    }
}

/// An action, as the mode says: the keymap gave the action for the mode's keys, and here the mode
/// says what it acts on.
fn act(state: &mut State, action: Action) -> Vec<Effect> {
    // what happens whatever the mode
    match action {
        Action::KeyPressed { at } => {
            timing::key_at(state, at);
            // what the last key said is not news after the next one
            if state.mode == Mode::Normal
                && matches!(state.message, Some((_, super::state::Severity::Info)))
            {
                state.message = None;
            }
            return vec![];
        }
        Action::Tick => return saving::retry(state),
        Action::Resize { width, height } => {
            moving::resize(state, width, height);
            return vec![];
        }
        Action::Scroll { column, row, delta } => {
            moving::scroll(state, column, row, delta);
            return vec![];
        }
        _ => {}
    }
    match state.mode.clone() {
        Mode::Normal => super::counting::act(state, action, normal),
        Mode::Help { scroll } => {
            match action {
                Action::Move(Motion::Down) => state.mode = Mode::Help { scroll: scroll + 1 },
                Action::Move(Motion::Up) => {
                    state.mode = Mode::Help {
                        scroll: scroll.saturating_sub(1),
                    }
                }
                Action::Quit => return quit(state),
                Action::ShowGuide => guide::open(state),
                _ => state.mode = Mode::Normal,
            }
            vec![]
        }
        Mode::Guide { scroll } => {
            if action == Action::Quit {
                return quit(state);
            }
            guide::action(state, scroll, action);
            vec![]
        }
        Mode::Categorize => categorizing::action(state, action),
        Mode::Dashboard => {
            state.mode = Mode::Normal;
            if action == Action::Quit {
                return quit(state);
            }
            vec![]
        }
        Mode::Relabel { tag } => {
            state.mode = Mode::Normal;
            let name = match action {
                Action::ApplyLabel(n) => Some(n),
                Action::ApplyLabelNumber(n) | Action::Count(n) => state
                    .labels
                    .labels
                    .get(n.wrapping_sub(1))
                    .map(|l| l.name.clone()),
                _ => None,
            };
            match name {
                Some(name) => relabel(state, &tag, &name),
                None => {
                    state.info("re-label cancelled");
                    vec![]
                }
            }
        }
        Mode::SetStatus => {
            state.mode = Mode::Normal;
            match action {
                Action::SetStatusTo(s) => review::set_status(state, s),
                _ => {
                    state.info("status unchanged");
                    vec![]
                }
            }
        }
        Mode::Confirm => {
            state.mode = Mode::Normal;
            let pending = state.pending.take();
            match (action, pending) {
                (Action::Confirm, Some(p)) => suggestions::apply_tag_all(state, p),
                _ => {
                    state.info("nothing tagged");
                    vec![]
                }
            }
        }
        Mode::RelationType { head, tail } => relating::type_chosen(state, &head, &tail, action),
        Mode::Relations { of, selected } => relating::list_action(state, of, selected, action),
        Mode::Entities => entities::action(state, action),
        // the modes that read typed text
        m => match action {
            _ if !m.is_prompt() => unreachable!("every other mode is matched above: {m:?}"),
            Action::Input(key) => prompts::input(state, key),
            // the mouse still works while typing
            Action::Click { .. } | Action::Drag { .. } | Action::SelectChars { .. } => {
                normal(state, action)
            }
            _ => vec![],
        },
    }
}

/// An action in the list or the reader.
fn normal(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => quit(state),
        Action::ToggleHelp => {
            state.mode = Mode::Help { scroll: 0 };
            vec![]
        }
        Action::ShowGuide => {
            guide::open(state);
            vec![]
        }
        Action::ShowDashboard => dashboard::open(state),
        Action::LabelArticle => categorizing::open(state),
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
        Action::OpenSelected if state.focus == Pane::List && state.relation_view.is_some() => {
            relation_view::jump_to_row(state)
        }
        Action::OpenSelected if state.focus == Pane::List && state.results.is_some() => {
            open_result(state)
        }
        Action::OpenSelected => match (state.focus, state.selected_entry()) {
            (Pane::List, Some(entry)) => vec![open(entry)],
            _ => vec![],
        },
        Action::NextInQueue => super::queue::next_unfinished(state),
        Action::NextArticle | Action::PrevArticle => {
            moving::next_article(state, action == Action::NextArticle)
        }
        Action::Move(m) if state.focus == Pane::List && state.relation_view.is_some() => {
            relation_view::move_in(state, m);
            vec![]
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
                && let Some(s) = motion::sentence_body_at(r.text(), r.cursor)
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
        // a count is taken by `counting` before a normal action; one that reaches here is a digit
        // in a pane that counts nothing
        Action::Count(_) => vec![],
        Action::DeleteTag => {
            // no tag under the cursor, but a suggestion: reject it
            let no_tag = state
                .reader
                .as_ref()
                .is_some_and(|r| r.tags().innermost_at(r.cursor_char()).is_none());
            if no_tag && let Some(effects) = suggestions::reject(state) {
                return effects;
            }
            delete_tag(state)
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
                state.prompt.set(tag.comment.clone().unwrap_or_default());
                state.mode = Mode::Comment { tag: tag.id };
            }
            vec![]
        }
        Action::EditArticleComment => {
            match state.reader.as_ref() {
                Some(r) if r.read_only().is_none() => {
                    state
                        .prompt
                        .set(r.tags().article.comment.clone().unwrap_or_default());
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
        Action::OrderIndex => {
            if state.index_shown() {
                state.index_order = match state.index_order {
                    IndexOrder::Alphabetical => IndexOrder::Count,
                    IndexOrder::Count => IndexOrder::Alphabetical,
                };
                super::background::show_index(state);
            } else {
                state.info("o orders the tag index (I): A–Z or by count");
            }
            vec![]
        }
        Action::KeepVersion => super::editing::keep_version(state),
        Action::UntaggedOnly => {
            match state.results.as_mut() {
                Some(res) if !res.of_index && !res.hits.is_empty() => {
                    res.untagged_only = !res.untagged_only;
                    let only = res.untagged_only;
                    res.items = res
                        .hits
                        .iter()
                        .filter(|i| !(only && i.tagged.is_some()))
                        .cloned()
                        .collect();
                    res.selected = res.selected.min(res.items.len().saturating_sub(1));
                    res.offset = 0;
                    let tagged = res.hits.len() - res.items.len();
                    let msg = if only {
                        format!(
                            "only the hits not tagged yet ({tagged} tagged left out; f shows all)"
                        )
                    } else {
                        "every hit, ✓ marks those tagged already".to_string()
                    };
                    state.info(msg);
                }
                _ => state.info("f shows only the corpus search's hits not tagged yet (F)"),
            }
            vec![]
        }
        Action::FindInCorpus => {
            state.prompt.clear();
            state.mode = Mode::CorpusSearch;
            vec![]
        }
        Action::TagIndex => {
            state.relation_view = None;
            state.results = Some(super::state::Results {
                title: "Tag index".into(),
                running: true,
                of_index: true,
                ..Default::default()
            });
            state.index_filter.clear();
            state.index = Some(Default::default());
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
        Action::ToggleRelationView => relation_view::toggle(state),
        Action::ShowEntities => entities::open(state),
        Action::NextCandidate | Action::PrevCandidate => {
            adjudicating::step(state, action == Action::NextCandidate);
            vec![]
        }
        Action::TakeCandidate => adjudicating::accept(state),
        Action::TakeAgreed => adjudicating::accept_agreed(state),
        Action::RejectCandidate => {
            // on a gold tag, x deletes it, as anywhere
            let on_tag = state
                .reader
                .as_ref()
                .is_some_and(|r| r.tags().innermost_at(r.cursor_char()).is_some());
            if on_tag {
                delete_tag(state)
            } else {
                adjudicating::reject(state)
            }
        }
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
                state.prompt.set(tag.note.clone().unwrap_or_default());
                state.mode = Mode::Note { tag: tag.id };
            }
            vec![]
        }
        Action::Find => {
            match state.focus {
                // typed text narrows the tag index while it is shown
                Pane::List if state.index_shown() => {
                    state.prompt.clear();
                    state.mode = Mode::IndexFilter;
                }
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
        Action::Cancel => {
            cancel(state);
            vec![]
        }
        Action::Click { column, row } => {
            moving::click(state, column, row, false);
            vec![]
        }
        Action::Drag { column, row } => {
            moving::click(state, column, row, true);
            vec![]
        }
        // the keys of other modes mean nothing here
        Action::CloseHelp
        | Action::NextHeading
        | Action::PrevHeading
        | Action::Confirm
        | Action::SetStatusTo(_)
        | Action::RelateAs(_)
        | Action::RelateNumber(_)
        | Action::FollowRelation
        | Action::DeleteRelation
        | Action::EntityMentions
        | Action::RenameEntity
        | Action::MergeEntity
        | Action::DeleteEntity
        | Action::TypeChar
        | Action::Input(_)
        | Action::KeyPressed { .. }
        | Action::Tick
        | Action::Scroll { .. }
        | Action::Resize { .. } => vec![],
    }
}

/// `esc`: give up what is under way, the innermost first: a selection made while relating, then
/// the relation; the results shown in the list; the list's filter; review mode; else the
/// selection, then the search, and the message.
fn cancel(state: &mut State) {
    if state.relating.is_some() {
        match state.reader.as_mut().filter(|r| r.anchor.is_some()) {
            Some(r) => r.anchor = None,
            None => {
                state.relating = None;
                state.info("no relation made");
            }
        }
    } else if state.focus == Pane::List && state.relation_view.is_some() {
        state.relation_view = None;
        if state.reader.is_some() {
            state.focus = Pane::Reader;
        }
    } else if state.focus == Pane::List && state.results.is_some() {
        state.results = None;
    } else if state.focus == Pane::List && !state.list.filter.is_empty() {
        state.list.filter.clear();
        state.apply_filter();
        moving::clamp_list(state);
        state.info("filter cleared");
    } else if state.review_mode {
        state.review_mode = false;
        state.info("review mode off");
    } else {
        state.mode = Mode::Normal;
        if let Some(r) = state.reader.as_mut() {
            if r.anchor.is_some() {
                r.anchor = None;
            } else {
                r.search = None;
            }
        }
        state.message = None;
    }
}

/// `q`: save what is open and remember the place, then leave once the writes under way are done.
/// After a `q` refused because the open article's tags can be kept nowhere, the next quits all
/// the same.
fn quit(state: &mut State) -> Vec<Effect> {
    state.quitting = true;
    if state.quit_refused && state.lost.is_some() {
        state.force_quit = true;
    }
    let mut effects = Vec::new();
    // (a merge still moving tags saves the registry when it is done, before gloss ends)
    if state.entities.is_unsaved() && state.entities_error.is_none() && !state.relinking {
        effects.push(Effect::SaveEntities);
    }
    if state
        .reader
        .as_ref()
        .is_some_and(|r| r.doc.is_unsaved() && r.read_only().is_none())
    {
        effects.push(Effect::Save { recover: true });
    }
    effects.push(Effect::SavePlace);
    effects.push(Effect::Exit);
    effects
}

#[cfg(test)]
mod tests {
    //! `update` on plain values: no terminal, no disk.
    use super::*;
    use crate::tui::state::Reader;
    use gloss_core::annotation::{Annotation, Change, HistoryEntry, LabelSet};
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
        assert_eq!(effects, vec![Effect::Save { recover: false }]);
        let r = s.reader.as_ref().unwrap();
        let t = &r.tags().tags()[0];
        assert_eq!((t.start, t.end, t.text.as_str()), (4, 10, "Tô Lâm"));
        assert!(r.anchor.is_none());
        // undo is local: no effect but a save
        assert_eq!(
            update(&mut s, Action::Undo),
            vec![Effect::Save { recover: false }]
        );
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

    #[test]
    fn the_mode_is_one_value_and_says_what_a_key_acts_on() {
        let mut s = state_with("Ông Tô Lâm phát biểu.");
        update(&mut s, Action::Move(Motion::WordForward));
        update(&mut s, Action::ApplyLabel("PERSON".into()));
        // r then a label: the tag under the cursor is re-labelled
        update(&mut s, Action::Relabel);
        assert!(matches!(s.mode, Mode::Relabel { .. }));
        update(&mut s, Action::ApplyLabel("TASK".into()));
        assert_eq!(s.mode, Mode::Normal);
        assert_eq!(s.reader.as_ref().unwrap().tags().tags()[0].label, "TASK");
        // the help takes every key: scrolling, then anything closes it
        update(&mut s, Action::ToggleHelp);
        update(&mut s, Action::Move(Motion::Down));
        assert_eq!(s.mode, Mode::Help { scroll: 1 });
        update(&mut s, Action::ApplyLabel("PERSON".into()));
        assert_eq!(s.mode, Mode::Normal);
        assert_eq!(
            s.reader.as_ref().unwrap().tags().tags()[0].label,
            "TASK",
            "a key that closes the help does nothing else"
        );
        // a status key, after m
        update(&mut s, Action::SetStatus);
        update(
            &mut s,
            Action::SetStatusTo(gloss_core::annotation::Status::Done),
        );
        assert_eq!(
            s.reader.as_ref().unwrap().doc.status(),
            gloss_core::annotation::Status::Done
        );
    }

    #[test]
    fn quitting_saves_what_is_unsaved_then_waits_for_the_writes() {
        let mut s = state_with("Ông Tô Lâm phát biểu.");
        update(&mut s, Action::Move(Motion::WordForward));
        update(&mut s, Action::ApplyLabel("PERSON".into()));
        let effects = update(&mut s, Action::Quit);
        assert_eq!(
            effects,
            vec![
                Effect::Save { recover: true },
                Effect::SavePlace,
                Effect::Exit
            ]
        );
        assert!(!s.quit, "not before the writes are done");
        update(&mut s, Outcome::Exited);
        assert!(s.quit);
    }
}
