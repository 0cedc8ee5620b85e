//! `update(&mut State, Action)`: every change of state, and the effects (open, save, quit) the loop
//! carries out. Touches neither terminal nor disk.

use crate::annotation::{Annotation, ArticleFields, Change, HistoryEntry, Status, Verdict};
use crate::text::fold::Folded;
use crate::text::{motion, sanitize_inline};

use super::action::{Action, InputKey, Motion};
use super::review::{self, Adjust};
use super::state::{Mode, Pane, PendingTagAll, Reader, Search, State};
use super::suggestions;

/// Work for the loop: things `update` may not do itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read entry `entry` and show it in the reader, with the cursor at code point `cursor` if given,
    /// then run `then`.
    Open {
        entry: usize,
        cursor: Option<usize>,
        then: Option<Action>,
    },
    /// Write the open article's sidecar.
    Save,
    /// Search every article of the corpus, streaming hits into the results list.
    CorpusSearch { query: String, exact: bool },
    /// Read every sidecar and list each distinct tagged text per label.
    BuildTagIndex,
    /// Count the untagged occurrences of `text` across the corpus (then ask to tag them).
    CountTagAll { label: String, text: String },
    /// Tag what the pending tag-all counted.
    ApplyTagAll(PendingTagAll),
    /// Apply changes to the sidecars of articles that are not open (undo/redo of a corpus step).
    ApplyElsewhere(Vec<(std::path::PathBuf, Vec<Change>)>),
    /// Leave gloss.
    Quit,
}

/// Apply one action.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
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
        return input(state, key);
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
            move_results(state, m);
            vec![]
        }
        Action::Move(m) => {
            match state.focus {
                Pane::List => move_list(state, m),
                Pane::Reader => move_reader(state, m),
            }
            vec![]
        }
        Action::ToggleSelection => {
            if let Some(r) = reader_mut(state) {
                r.anchor = match r.anchor {
                    Some(_) => None,
                    None => Some(r.cursor),
                };
            }
            vec![]
        }
        Action::SelectSentence => {
            if let Some(r) = reader_mut(state)
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
                .is_some_and(|r| r.tags.innermost_at(r.cursor_char()).is_none());
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
            edit(state, vec![Change::Remove(tag)])
        }
        Action::NextTag | Action::PrevTag => {
            if state.focus == Pane::Reader {
                next_tag(state, action == Action::NextTag);
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
                Some(r) if r.read_only.is_none() => {
                    state.prompt = r.tags.article.comment.clone().unwrap_or_default();
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
        Action::SelectChars { start, end } => {
            if let Some(r) = state.reader.as_mut() {
                let text = r.article.text.as_str();
                if let (Some(a), Some(b)) = (
                    r.chars.char_to_byte(text, start),
                    r.chars.char_to_byte(text, end),
                ) && a < b
                {
                    r.anchor = Some(motion::prev_grapheme(text, b));
                    r.set_cursor(a);
                }
            }
            follow(state);
            vec![]
        }
        Action::NextOrphan => {
            next_orphan(state);
            vec![]
        }
        Action::Undo | Action::Redo => undo_redo(state, action == Action::Undo),
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
                    state.prompt = state.list.filter.clone();
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
            step_hit(state, action == Action::NextHit);
            vec![]
        }
        Action::Cancel if state.focus == Pane::List && state.results.is_some() => {
            state.results = None;
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
            click(state, column, row, false);
            vec![]
        }
        Action::Drag { column, row } => {
            click(state, column, row, true);
            vec![]
        }
        Action::Scroll { column, row, delta } => {
            scroll(state, column, row, delta);
            vec![]
        }
        Action::Resize { width, height } => {
            state.panes =
                super::state::Panes::for_screen(ratatui::layout::Rect::new(0, 0, width, height));
            let w = state.wrap_width();
            let spaced = state.reading;
            if let Some(r) = state.reader.as_mut() {
                r.relayout(w, spaced);
            }
            follow(state);
            clamp_list(state);
            vec![]
        }
    }
}

fn move_results(state: &mut State, m: Motion) {
    let h = (state.panes.list.height as usize).saturating_sub(2).max(1);
    let Some(res) = state.results.as_mut() else {
        return;
    };
    let n = res.items.len();
    if n == 0 {
        return;
    }
    let s = res.selected;
    res.selected = match m {
        Motion::Up | Motion::Left => s.saturating_sub(1),
        Motion::Down | Motion::Right => (s + 1).min(n - 1),
        Motion::PageUp => s.saturating_sub(h),
        Motion::PageDown => (s + h).min(n - 1),
        Motion::Top => 0,
        Motion::Bottom => n - 1,
        _ => s,
    };
    if res.selected < res.offset {
        res.offset = res.selected;
    } else if res.selected >= res.offset + h {
        res.offset = res.selected + 1 - h;
    }
}

/// Enter on a result: a hit opens its article with the hit selected; a tag-index row lists its
/// occurrences.
fn open_result(state: &mut State) -> Vec<Effect> {
    let Some(res) = state.results.as_mut() else {
        return vec![];
    };
    let Some(item) = res.items.get(res.selected).cloned() else {
        return vec![];
    };
    if !item.occurrences.is_empty() {
        let items = item
            .occurrences
            .iter()
            .map(|(entry, chars)| super::state::ResultItem {
                entry: *entry,
                chars: chars.clone(),
                line: format!(
                    "{}  @{}..{}",
                    state.articles.entries[*entry].name, chars.start, chars.end
                ),
                occurrences: Vec::new(),
            })
            .collect();
        state.results = Some(super::state::Results {
            title: format!(
                "Occurrences of {}",
                item.line.split("  ×").next().unwrap_or("")
            ),
            items,
            ..Default::default()
        });
        return vec![];
    }
    vec![Effect::Open {
        entry: item.entry,
        cursor: Some(item.chars.start),
        then: Some(Action::SelectChars {
            start: item.chars.start,
            end: item.chars.end,
        }),
    }]
}

fn open(entry: usize) -> Effect {
    Effect::Open {
        entry,
        cursor: None,
        then: None,
    }
}

fn label_of(state: &State, action: &Action) -> Option<String> {
    match action {
        Action::ApplyLabel(n) => Some(n.clone()),
        Action::ApplyLabelNumber(n) => state
            .labels
            .labels
            .get(n.wrapping_sub(1))
            .map(|l| l.name.clone()),
        _ => None,
    }
}

/// The first of `starts` (sorted) after `cursor`, or the last before it.
pub(super) fn next_start(
    starts: impl DoubleEndedIterator<Item = usize>,
    cursor: usize,
    forward: bool,
) -> Option<usize> {
    let mut starts = starts;
    if forward {
        starts.find(|&b| b > cursor)
    } else {
        starts.rev().find(|&b| b < cursor)
    }
}

/// Move to the next (or previous) tag.
pub(super) fn next_tag(state: &mut State, forward: bool) {
    if let Some(r) = state.reader.as_mut() {
        match next_start(r.spans.iter().map(|s| s.bytes.start), r.cursor, forward) {
            Some(b) => r.jump_to(b),
            None => state.info("no more tags that way"),
        }
    }
    follow(state);
}

/// The reader, when it has the keyboard.
fn reader_mut(state: &mut State) -> Option<&mut Reader> {
    if state.focus == Pane::Reader {
        state.reader.as_mut()
    } else {
        None
    }
}

pub(super) fn follow(state: &mut State) {
    let h = state.text_height();
    if let Some(r) = state.reader.as_mut() {
        r.follow_cursor(h);
    }
}

fn clamp_list(state: &mut State) {
    let n = state.list.shown.len();
    if n == 0 {
        state.list.selected = 0;
        return;
    }
    state.list.selected = state.list.selected.min(n - 1);
    let h = (state.panes.list.height as usize).saturating_sub(2).max(1);
    if state.list.selected < state.list.offset {
        state.list.offset = state.list.selected;
    } else if state.list.selected >= state.list.offset + h {
        state.list.offset = state.list.selected + 1 - h;
    }
}

fn move_list(state: &mut State, m: Motion) {
    let n = state.list.shown.len();
    if n == 0 {
        return;
    }
    let page = (state.panes.list.height as usize).saturating_sub(3).max(1);
    let s = state.list.selected;
    state.list.selected = match m {
        Motion::Up | Motion::Left => s.saturating_sub(1),
        Motion::Down | Motion::Right => (s + 1).min(n - 1),
        Motion::PageUp => s.saturating_sub(page),
        Motion::PageDown => (s + page).min(n - 1),
        Motion::Top => 0,
        Motion::Bottom => n - 1,
        _ => s,
    };
    clamp_list(state);
}

fn move_reader(state: &mut State, m: Motion) {
    let page = state.text_height().saturating_sub(1).max(1);
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let text = r.article.text.as_str();
    let cur = r.cursor;
    let vertical = |r: &Reader, rows: isize| -> (usize, usize) {
        let (row, col) = r.layout.position_of(text, cur);
        let want = r.want_col.unwrap_or(col);
        let last = r.layout.len().saturating_sub(1) as isize;
        let target = (row as isize + rows).clamp(0, last) as usize;
        let target = r.layout.skip_gaps(target, rows.signum());
        (r.layout.byte_at(text, target, want), want)
    };
    let mut keep_col = None;
    let new = match m {
        Motion::Left => motion::prev_grapheme(text, cur),
        Motion::Right => motion::next_grapheme(text, cur),
        Motion::Up | Motion::Down | Motion::PageUp | Motion::PageDown => {
            let rows = match m {
                Motion::Up => -1,
                Motion::Down => 1,
                Motion::PageUp => -(page as isize),
                _ => page as isize,
            };
            let (b, want) = vertical(r, rows);
            keep_col = Some(want);
            if matches!(m, Motion::PageUp | Motion::PageDown) {
                let last = r.layout.len().saturating_sub(1);
                r.scroll = (r.scroll as isize + rows).clamp(0, last as isize) as usize;
            }
            b
        }
        Motion::WordForward => motion::next_word_start(text, cur),
        Motion::WordBackward => motion::prev_word_start(text, cur),
        Motion::WordEnd => motion::next_word_end(text, cur),
        Motion::SentenceForward => motion::next_sentence_start(text, cur),
        Motion::SentenceBackward => motion::prev_sentence_start(text, cur),
        Motion::LineStart => r.layout.rows()[r.layout.row_of(cur)].start,
        Motion::LineEnd => {
            let row = r.layout.rows()[r.layout.row_of(cur)];
            if row.end > row.start {
                motion::prev_grapheme(text, row.end)
            } else {
                row.start
            }
        }
        Motion::Top => 0,
        Motion::Bottom => text.len(),
    };
    r.set_cursor(new);
    r.want_col = keep_col;
    follow(state);
}

/// The tag under the cursor (innermost), with a message when there is none or the article is
/// read-only.
pub(super) fn tag_under_cursor(state: &mut State) -> Option<Annotation> {
    let r = state.reader.as_ref()?;
    if state.focus != Pane::Reader {
        return None;
    }
    if let Some(why) = &r.read_only {
        let why = why.clone();
        state.error(format!("read-only: {why}"));
        return None;
    }
    let found = r.tags.innermost_at(r.cursor_char()).cloned();
    if found.is_none() {
        state.info("no tag under the cursor");
    }
    found
}

fn apply_label(state: &mut State, name: &str) -> Vec<Effect> {
    if state.labels.get(name).is_none() {
        state.error(format!("unknown label {name}"));
        return vec![];
    }
    let Some(r) = state
        .reader
        .as_ref()
        .filter(|_| state.focus == Pane::Reader)
    else {
        state.info("open an article to tag (enter)");
        return vec![];
    };
    if let Some(why) = &r.read_only {
        let why = why.clone();
        state.error(format!("read-only: {why}"));
        return vec![];
    }
    let text = r.text();
    let range = r
        .selection()
        .or_else(|| motion::word_at(text, r.cursor))
        .and_then(|s| motion::trim_range(text, s));
    let Some(range) = range else {
        state.info("nothing to tag: select text (v) or put the cursor on a word");
        return vec![];
    };
    let chars = r.to_chars(&range);
    if r.tags.find_same(name, chars.start, chars.end).is_some() {
        state.info(format!("already tagged as {name}"));
        return vec![];
    }
    let quoted = &text[range.clone()];
    let tag = Annotation::new(name, chars.start, chars.end, quoted, &state.annotator);
    let msg = format!("tagged {name} “{}”", sanitize_inline(quoted));
    let effects = edit(state, vec![Change::Add(tag)]);
    if let Some(r) = state.reader.as_mut() {
        r.anchor = None;
    }
    state.info(msg);
    effects
}

fn relabel(state: &mut State, id: &str, name: &str) -> Vec<Effect> {
    if state.labels.get(name).is_none() {
        state.error(format!("unknown label {name}"));
        return vec![];
    }
    let Some(before) = state.reader.as_ref().and_then(|r| r.tags.get(id)).cloned() else {
        return vec![];
    };
    let mut after = before.clone();
    after.label = name.to_string();
    after.modified = crate::annotation::timestamp();
    state.info(format!(
        "re-labelled “{}” as {name}",
        sanitize_inline(&before.text)
    ));
    edit(state, vec![Change::update(before, after)])
}

/// Apply changes to the open article, record them for undo, and save.
pub(super) fn edit(state: &mut State, mut changes: Vec<Change>) -> Vec<Effect> {
    let Some(r) = state.reader.as_mut() else {
        return vec![];
    };
    // The first tag moves a new article to "in progress", in the same undo step.
    if r.tags.article.status == Status::New && changes.iter().any(|c| matches!(c, Change::Add(_))) {
        let before = r.tags.article.clone();
        let after = ArticleFields {
            status: Status::InProgress,
            ..before.clone()
        };
        changes.push(Change::Article { before, after });
    }
    for c in &changes {
        c.apply(&mut r.tags);
    }
    r.refresh_spans(&state.labels);
    state
        .history
        .record(HistoryEntry::new(r.article.path.clone(), changes));
    vec![Effect::Save]
}

fn undo_redo(state: &mut State, undo: bool) -> Vec<Effect> {
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
    let open_path = state.reader.as_ref().map(|r| r.article.path.clone());
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
    if let Some(why) = state.reader.as_ref().and_then(|r| r.read_only.clone()) {
        state.error(format!("read-only: {why}"));
        return vec![];
    }
    let step = if undo {
        state.history.undo()
    } else {
        state.history.redo()
    };
    let Some(step) = step else { return vec![] };
    let elsewhere = step.elsewhere.clone();
    let Some(r) = state.reader.as_mut() else {
        return vec![];
    };
    for c in &step.changes {
        c.apply(&mut r.tags);
    }
    r.refresh_spans(&state.labels);
    if let Some(t) = step.changes.first().and_then(Change::tag)
        && let Some(b) = r.chars.char_to_byte(&r.article.text, t.start)
    {
        r.set_cursor(b);
    }
    state.focus = Pane::Reader;
    state.info(if undo { "undone" } else { "redone" });
    follow(state);
    let mut effects = vec![Effect::Save];
    if !elsewhere.is_empty() {
        effects.push(Effect::ApplyElsewhere(elsewhere));
    }
    effects
}

fn next_orphan(state: &mut State) {
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let orphans: Vec<_> = r
        .tags
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
        .chars
        .char_to_byte(&r.article.text, t.start.min(r.chars.len_chars()))
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

fn input(state: &mut State, key: InputKey) -> Vec<Effect> {
    let mode = state.mode.clone();
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

fn set_note(state: &mut State, id: &str, note: &str) -> Vec<Effect> {
    let Some(before) = state.reader.as_ref().and_then(|r| r.tags.get(id)).cloned() else {
        return vec![];
    };
    let mut after = before.clone();
    after.note = (!note.trim().is_empty()).then(|| note.trim().to_string());
    if after.note == before.note {
        return vec![];
    }
    after.modified = crate::annotation::timestamp();
    state.info("note saved");
    edit(state, vec![Change::update(before, after)])
}

fn search(state: &mut State, query: &str) {
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let hits = if state.exact {
        if query.is_empty() {
            Vec::new()
        } else {
            r.article
                .text
                .match_indices(query)
                .map(|(b, m)| b..b + m.len())
                .collect()
        }
    } else {
        let folded = r.folded.get_or_insert_with(|| Folded::new(&r.article.text));
        folded.find_all(&r.article.text, query)
    };
    let n = hits.len();
    r.search = Some(Search {
        query: query.to_string(),
        hits,
        current: None,
    });
    if n == 0 {
        state.info(format!("no match for “{}”", sanitize_inline(query)));
        return;
    }
    step_hit(state, true);
}

fn step_hit(state: &mut State, forward: bool) {
    let h = state.text_height();
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let Some(search) = r.search.as_mut() else {
        state.info("no search: press / in the reader");
        return;
    };
    if search.hits.is_empty() {
        return;
    }
    let n = search.hits.len();
    let i = if forward {
        search
            .hits
            .iter()
            .position(|h| h.start > r.cursor || (search.current.is_none() && h.start == r.cursor))
            .unwrap_or(0)
    } else {
        search
            .hits
            .iter()
            .rposition(|h| h.start < r.cursor)
            .unwrap_or(n - 1)
    };
    search.current = Some(i);
    let hit = search.hits[i].clone();
    // Select the hit, cursor at its start, so that a label key tags it and stepping moves on.
    r.anchor = Some(motion::prev_grapheme(&r.article.text, hit.end));
    r.set_cursor(hit.start);
    r.want_col = None;
    r.follow_cursor(h);
    state.info(format!("hit {} of {n}", i + 1));
}

fn click(state: &mut State, column: u16, row: u16, drag: bool) {
    let p = state.panes;
    let text_x = state.text_x();
    let inside = |r: ratatui::layout::Rect| {
        column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
    };
    if !drag && inside(p.list) {
        state.focus = Pane::List;
        let line = row.saturating_sub(p.list.y + 1) as usize;
        if row > p.list.y && (line + state.list.offset) < state.list.shown.len() {
            state.list.selected = line + state.list.offset;
        }
        return;
    }
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    if !inside(p.text) && !drag {
        return;
    }
    let text_row = (row.max(p.text.y) - p.text.y) as usize + r.scroll;
    let text_row = text_row.min(r.layout.len().saturating_sub(1));
    let col = column.saturating_sub(text_x) as usize;
    let b = r.layout.byte_at(&r.article.text, text_row, col);
    r.set_cursor(b);
    r.want_col = None;
    if drag {
        let origin = *r.drag_origin.get_or_insert(r.cursor);
        r.anchor = (origin != r.cursor).then_some(origin);
    } else {
        r.drag_origin = Some(r.cursor);
        r.anchor = None;
    }
    state.focus = Pane::Reader;
    follow(state);
}

fn scroll(state: &mut State, column: u16, row: u16, delta: i32) {
    let p = state.panes;
    let over_list = column < p.list.x + p.list.width && row < p.list.y + p.list.height;
    if over_list {
        let n = state.list.shown.len();
        let s = state.list.selected as i64 + delta as i64;
        state.list.selected = s.clamp(0, n.saturating_sub(1) as i64) as usize;
        clamp_list(state);
        return;
    }
    let h = state.text_height().max(1);
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let last = r.layout.len().saturating_sub(h);
    r.scroll = (r.scroll as i64 + delta as i64).clamp(0, last as i64) as usize;
    // The cursor stays on screen: it follows the scroll.
    let row = r.layout.row_of(r.cursor);
    let text = r.article.text.as_str();
    if row < r.scroll {
        let b = r.layout.rows()[r.scroll].start;
        r.set_cursor(b);
    } else if row >= r.scroll + h {
        let b = r.layout.rows()[r.scroll + h - 1].start;
        r.cursor = motion::floor_grapheme(text, b);
    }
}

#[cfg(test)]
mod tests {
    //! `update` on plain values: no terminal, no disk.
    use super::*;
    use crate::annotation::{AnnotationSet, LabelSet};
    use crate::corpus::{Article, ArticleList};
    use ratatui::layout::Rect;
    use std::path::PathBuf;

    fn state_with(text: &str) -> State {
        let index = ArticleList::new(std::path::Path::new("/c"), vec![PathBuf::from("/c/a.txt")]);
        let mut s = State::new(
            index,
            LabelSet::default(),
            "me".into(),
            Rect::new(0, 0, 80, 20),
        );
        let article = Article::from_bytes(PathBuf::from("/c/a.txt"), text.as_bytes().to_vec());
        let w = s.panes.wrap_width();
        s.reader = Some(Reader::new(
            0,
            article,
            AnnotationSet::default(),
            PathBuf::from("/c/a.ron"),
            None,
            &s.labels,
            w,
        ));
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
        let t = &r.tags.tags()[0];
        assert_eq!((t.start, t.end, t.text.as_str()), (4, 10, "Tô Lâm"));
        assert!(r.anchor.is_none());
        // undo is local: no effect but a save
        assert_eq!(update(&mut s, Action::Undo), vec![Effect::Save]);
        assert!(s.reader.as_ref().unwrap().tags.is_empty());
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
        update(&mut s, Action::ApplyLabel("PERSON".into()));
        s.reader.as_mut().unwrap().article.path = PathBuf::from("/c/other.txt");
        let effects = update(&mut s, Action::Undo);
        assert_eq!(
            effects,
            vec![Effect::Open {
                entry: 0,
                cursor: None,
                then: Some(Action::Undo)
            }]
        );
    }
}
