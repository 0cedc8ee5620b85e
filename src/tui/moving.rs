//! Moving: the cursor in the reader, the selection in the list and the results, scrolling, the
//! mouse, and keeping the cursor in view.

use super::action::Motion;
use super::effect::Effect;
use super::finding::open;
use super::state::{Pane, Panes, Reader, State};
use gloss_core::text::motion;

/// `]` `[`: open the next (previous) article the list shows.
pub(super) fn next_article(state: &mut State, forward: bool) -> Vec<Effect> {
    let shown = &state.list.shown;
    let next = match state.reader.as_ref().map(|r| r.entry) {
        // the open article's neighbour in the list; one the filter hides is placed where it
        // would stand (the list keeps corpus order)
        Some(entry) => match shown.iter().position(|&e| e == entry) {
            Some(p) if forward => (p + 1 < shown.len()).then_some(p + 1),
            Some(p) => p.checked_sub(1),
            None if forward => shown.iter().position(|&e| e > entry),
            None => shown.iter().rposition(|&e| e < entry),
        },
        None if forward => {
            (state.list.selected + 1 < shown.len()).then_some(state.list.selected + 1)
        }
        None => state.list.selected.checked_sub(1),
    };
    match next {
        Some(p) => {
            state.list.selected = p;
            vec![open(state.list.shown[p])]
        }
        None => {
            let end = if forward { "last" } else { "first" };
            let n = state.list.shown.len();
            if n < state.articles.len() {
                state.info(format!(
                    "this is the {end} of the {n} articles the filter shows (of {})",
                    state.articles.len()
                ));
            } else {
                state.info(format!("this is the {end} article"));
            }
            vec![]
        }
    }
}

/// The terminal is `width` × `height` now.
pub(super) fn resize(state: &mut State, width: u16, height: u16) {
    state.screen = ratatui::layout::Rect::new(0, 0, width, height);
    state.panes = Panes::for_screen(state.screen, state.focus, state.wide_list());
    let w = state.wrap_width();
    let spaced = state.reading;
    if let Some(r) = state.reader.as_mut() {
        r.relayout(w, spaced);
    }
    follow(state);
    clamp_list(state);
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

/// Move to the next (or previous) tag; `false` when there is none that way.
pub(super) fn next_tag(state: &mut State, forward: bool) -> bool {
    let Some(r) = state.reader.as_ref() else {
        return false;
    };
    // back from inside a tag is to the tag before it, not to its own start
    let from = if forward {
        r.cursor
    } else {
        let c = r.cursor_char();
        r.tags()
            .tags()
            .touching(c, c)
            .filter(|t| !t.orphaned)
            .filter_map(|t| r.doc.bytes_of(&(t.start..t.end)))
            .filter(|s| s.start < r.cursor && r.cursor < s.end)
            .map(|s| s.start)
            .min()
            .unwrap_or(r.cursor)
    };
    let target = r
        .span_next_to(from, forward, &state.labels)
        .map(|s| s.bytes);
    match target {
        Some(t) => {
            jump(state, t);
            true
        }
        None => {
            state.info("no more tags that way");
            false
        }
    }
}

/// Jump to bytes `target` of the open article: the cursor at its start, the whole of it in view, a
/// few rows from the edges.
pub(super) fn jump(state: &mut State, target: std::ops::Range<usize>) {
    let h = state.text_height();
    if let Some(r) = state.reader.as_mut() {
        r.jump_to(target.start);
        r.reveal(target, h);
    }
}

/// The reader, when it has the keyboard.
pub(super) fn reader_mut(state: &mut State) -> Option<&mut Reader> {
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

pub(super) fn clamp_list(state: &mut State) {
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

/// Where the selection `s` of a list of `n` rows (`n > 0`), `page` of them shown, goes on `m`.
pub(super) fn step_in_list(s: usize, n: usize, page: usize, m: Motion) -> usize {
    match m {
        Motion::Up | Motion::Left => s.saturating_sub(1),
        Motion::Down | Motion::Right => (s + 1).min(n - 1),
        Motion::PageUp => s.saturating_sub(page),
        Motion::PageDown => (s + page).min(n - 1),
        Motion::Top => 0,
        Motion::Bottom => n - 1,
        _ => s,
    }
}

pub(super) fn move_list(state: &mut State, m: Motion) {
    let n = state.list.shown.len();
    if n == 0 {
        return;
    }
    let page = (state.panes.list.height as usize).saturating_sub(3).max(1);
    let s = state.list.selected;
    state.list.selected = step_in_list(s, n, page, m);
    clamp_list(state);
}

pub(super) fn move_results(state: &mut State, m: Motion) {
    let h = (state.panes.list.height as usize).saturating_sub(2).max(1);
    let Some(res) = state.results.as_mut() else {
        return;
    };
    let n = res.items.len();
    if n == 0 {
        return;
    }
    let s = res.selected;
    res.selected = step_in_list(s, n, h, m);
    if res.selected < res.offset {
        res.offset = res.selected;
    } else if res.selected >= res.offset + h {
        res.offset = res.selected + 1 - h;
    }
}

pub(super) fn move_reader(state: &mut State, m: Motion) {
    let page = state.text_height().saturating_sub(1).max(1);
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let text = r.doc.text();
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
        // in a selection, to the sentence's end (its period in): what a tag of it takes
        Motion::SentenceForward if r.anchor.is_some() => motion::sentence_body_end(text, cur),
        Motion::SentenceForward => motion::next_sentence_start(text, cur),
        Motion::SentenceBackward => motion::prev_sentence_start(text, cur),
        Motion::LineStart => r.layout.rows()[r.layout.row_of(cur)].start,
        Motion::LineEnd => {
            let row = r.layout.rows()[r.layout.row_of(cur)];
            // the last character shown on the row, not the space a soft wrap leaves at its end
            let shown = text[row.start..row.end].trim_end_matches([' ', '\t', '\n', '\u{a0}']);
            if shown.is_empty() {
                row.start
            } else {
                motion::prev_grapheme(text, row.start + shown.len())
            }
        }
        Motion::Top => 0,
        Motion::Bottom => text.len(),
    };
    r.set_cursor(new);
    r.want_col = keep_col;
    follow(state);
}

pub(super) fn click(state: &mut State, column: u16, row: u16, drag: bool) {
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
    let b = r.layout.byte_at(r.doc.text(), text_row, col);
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

pub(super) fn scroll(state: &mut State, column: u16, row: u16, delta: i32) {
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
    let text = r.doc.text();
    if row < r.scroll {
        let b = r.layout.rows()[r.scroll].start;
        r.set_cursor(b);
    } else if row >= r.scroll + h {
        let b = r.layout.rows()[r.scroll + h - 1].start;
        r.cursor = motion::floor_grapheme(text, b);
    }
}
