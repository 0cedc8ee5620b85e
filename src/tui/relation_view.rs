//! The relation view (`T`): the open article's relations at a glance, in the list pane's place, as
//! a tree in the order of the text: each head tag (its line and text, in its label's colour), and
//! under it each relation as `├TYPE→ tail`. It follows the reader's cursor (the rows of the tag
//! under it are marked, the first selected); in the view, up and down move, enter jumps to the
//! row's tag (a head row: the head, a relation row: its tail), `T` or esc closes it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::action::Motion;
use super::effect::Effect;
use super::moving::jump;
use super::state::{Pane, RelationView, State};
use super::theme::Theme;
use gloss_core::text::sanitize_inline;

/// A row of the tree: a head tag, or one of its relations (`relation`: its id) to `tag`, the tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The tag the row jumps to.
    pub tag: String,
    pub relation: Option<String>,
    /// The head of the row's relation (the row's own tag on a head row).
    pub head: String,
    /// The relation's type (empty on a head row).
    pub label: String,
    /// The last relation of its head.
    pub last: bool,
}

/// The rows of the open article's relations: heads in the order of the text, each followed by
/// its relations in the order of their tails.
pub fn rows(state: &State) -> Vec<Row> {
    let Some(r) = state.reader.as_ref() else {
        return Vec::new();
    };
    let set = r.tags();
    let pos = |id: &str| set.get(id).map_or(usize::MAX, |t| (t.start, t.end).0);
    let mut rels: Vec<&gloss_core::annotation::Relation> = set.relations().iter().collect();
    rels.sort_by_key(|x| (pos(&x.head), x.head.clone(), pos(&x.tail), x.label.clone()));
    let mut out: Vec<Row> = Vec::with_capacity(rels.len() * 2);
    for (i, rel) in rels.iter().enumerate() {
        if i == 0 || rels[i - 1].head != rel.head {
            out.push(Row {
                tag: rel.head.clone(),
                relation: None,
                head: rel.head.clone(),
                label: String::new(),
                last: false,
            });
        }
        out.push(Row {
            tag: rel.tail.clone(),
            relation: Some(rel.id.clone()),
            head: rel.head.clone(),
            label: rel.label.clone(),
            last: rels.get(i + 1).is_none_or(|n| n.head != rel.head),
        });
    }
    out
}

/// The tag under the reader's cursor (innermost).
fn cursor_tag(state: &State) -> Option<String> {
    let r = state.reader.as_ref()?;
    r.tags().innermost_at(r.cursor_char()).map(|t| t.id.clone())
}

/// Does the row belong to the tag `id`: its head row, or a relation it is an end of?
fn touches(row: &Row, id: &str) -> bool {
    row.head == id || row.tag == id
}

/// `T`: show the relation view (the list pane has the keyboard, the row of the tag under the
/// cursor selected), or close it.
pub(super) fn toggle(state: &mut State) -> Vec<Effect> {
    if state.relation_view.take().is_some() {
        if state.reader.is_some() {
            state.focus = Pane::Reader;
        }
        return vec![];
    }
    let Some(r) = state.reader.as_ref() else {
        state.info("open an article first");
        return vec![];
    };
    if r.tags().relations().is_empty() {
        state.info("no relations in this article (A on a tag starts one)");
        return vec![];
    }
    state.results = None;
    state.relation_view = Some(RelationView::default());
    select_cursor_tag(state);
    state.focus = Pane::List;
    state.info("relations: j/k move · enter jumps to the tag · tab to the text (the view follows) · T closes");
    vec![]
}

/// Select the first row of the tag under the cursor, if it has one.
fn select_cursor_tag(state: &mut State) {
    let Some(id) = cursor_tag(state) else {
        return;
    };
    let rows = rows(state);
    // its head row first, else the first relation that ends at it
    let at = rows
        .iter()
        .position(|r| r.relation.is_none() && r.head == id)
        .or_else(|| rows.iter().position(|r| r.tag == id));
    if let (Some(at), Some(v)) = (at, state.relation_view.as_mut()) {
        v.selected = at;
    }
}

/// Rows a page moves: the pane's lines (a row takes one or more).
fn view_height(state: &State) -> usize {
    (state.panes.list.height as usize).saturating_sub(2).max(1)
}

/// After each message: while the reader has the keyboard, the view follows its cursor; the
/// relations changing (an undo, a delete) keep the selection in the tree.
pub(super) fn follow(state: &mut State) {
    if state.relation_view.is_none() {
        return;
    }
    let n = rows(state).len();
    if n == 0 || state.reader.is_none() {
        state.relation_view = None;
        return;
    }
    if state.focus == Pane::Reader {
        select_cursor_tag(state);
    }
    if let Some(v) = state.relation_view.as_mut() {
        v.selected = v.selected.min(n - 1);
    }
}

/// A motion in the view.
pub(super) fn move_in(state: &mut State, m: Motion) {
    let n = rows(state).len();
    let h = view_height(state);
    let Some(v) = state.relation_view.as_mut() else {
        return;
    };
    if n == 0 {
        return;
    }
    let s = v.selected;
    v.selected = super::moving::step_in_list(s, n, h, m);
}

/// Enter in the view: jump to the selected row's tag (the reader takes the keyboard; the view
/// stays, following it).
pub(super) fn jump_to_row(state: &mut State) -> Vec<Effect> {
    let rows = rows(state);
    let Some(row) = state
        .relation_view
        .and_then(|v| rows.get(v.selected).cloned())
    else {
        return vec![];
    };
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let set = r.tags();
    let text = |id: &str| {
        set.get(id)
            .map(|t| format!("{} “{}”", t.label, sanitize_inline(&t.text)))
            .unwrap_or_else(|| "(gone)".into())
    };
    let said = match &row.relation {
        Some(_) => format!(
            "{} —{}→ {}",
            text(&row.head),
            sanitize_inline(&row.label),
            text(&row.tag)
        ),
        None => text(&row.tag),
    };
    let bytes = set
        .get(&row.tag)
        .and_then(|t| r.doc.bytes_of(&(t.start..t.end)));
    if let Some(b) = bytes {
        state.focus = Pane::Reader;
        jump(state, b);
    }
    state.info(said);
    // the selection stays on the row jumped from (a tail's first row may be elsewhere)
    if let Some(v) = state.relation_view.as_mut() {
        v.selected = rows.iter().position(|r| *r == row).unwrap_or(v.selected);
    }
    vec![]
}

/// `s` in lines of at most `first` columns, then `rest` (by words; a word too long is cut).
fn wrap(s: &str, first: usize, rest: usize) -> Vec<String> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    let mut lines = vec![String::new()];
    for word in s.split(' ') {
        let room = if lines.len() == 1 { first } else { rest }.max(1);
        let last = lines.last_mut().expect("a line");
        let need = last.width() + usize::from(!last.is_empty()) + word.width();
        if need <= room {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
            continue;
        }
        let mut line = String::new();
        for c in word.chars() {
            let room = rest.max(1);
            if line.width() + c.width().unwrap_or(0) > room {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
        if lines.last().is_some_and(|l| l.is_empty()) {
            *lines.last_mut().expect("a line") = line;
        } else {
            lines.push(line);
        }
    }
    lines
}

/// Draw the view in `area` (the list pane's place): each row on as many lines as its text needs,
/// scrolled so that the selected row shows.
pub(super) fn draw(
    frame: &mut Frame,
    state: &State,
    theme: &Theme,
    area: Rect,
    view: RelationView,
) {
    let rows = rows(state);
    let focused = state.focus == Pane::List;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            theme.focused_border
        } else {
            theme.border
        })
        .title(format!(
            " Relations ({}) · enter jumps · T closes ",
            rows.iter().filter(|r| r.relation.is_some()).count()
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = state.reader.as_ref() else {
        return;
    };
    let set = r.tags();
    let under = cursor_tag(state);
    let w = inner.width as usize;
    let line_of = |start: usize| -> usize {
        let b = r.byte_of_char(start).unwrap_or(0);
        r.text()[..b].matches('\n').count() + 1
    };
    // (row, line) for every line of every row
    let mut lines: Vec<(usize, Line)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let tag = set.get(&row.tag);
        let label_style = theme.tag(tag.and_then(|t| state.labels.index_of(&t.label)), false);
        let text = tag
            .map(|t| sanitize_inline(&t.text))
            .unwrap_or_else(|| "(gone)".into());
        // the rows of the tag under the cursor are marked
        let mine = under.as_deref().is_some_and(|id| touches(row, id));
        let mark = if mine { "▸" } else { " " };
        let (head, more) = match &row.relation {
            None => (
                format!("{mark}{:>3} ", tag.map_or(0, |t| line_of(t.start))),
                "     ".to_string(),
            ),
            Some(_) => (
                format!(
                    "{mark} {}{}→ ",
                    if row.last { "└" } else { "├" },
                    sanitize_inline(&row.label)
                ),
                format!("{mark} {}    ", if row.last { " " } else { "│" }),
            ),
        };
        let head_w = unicode_width::UnicodeWidthStr::width(head.as_str());
        let more_w = unicode_width::UnicodeWidthStr::width(more.as_str());
        let style = |line: Line<'static>| {
            let mut line = line;
            if mine {
                line = line.style(Style::new().add_modifier(Modifier::BOLD));
            }
            if i == view.selected {
                line = line.patch_style(if focused {
                    Style::new().add_modifier(Modifier::REVERSED)
                } else {
                    Style::new().add_modifier(Modifier::UNDERLINED)
                });
            }
            line
        };
        let dim = if row.relation.is_none() {
            theme.dim
        } else {
            Style::new()
        };
        for (n, piece) in wrap(&text, w.saturating_sub(head_w), w.saturating_sub(more_w))
            .into_iter()
            .enumerate()
        {
            let lead = if n == 0 { head.clone() } else { more.clone() };
            lines.push((
                i,
                style(Line::from(vec![
                    Span::styled(lead, dim),
                    Span::styled(piece, label_style),
                ])),
            ));
        }
    }
    let h = inner.height as usize;
    let last = lines
        .iter()
        .rposition(|(i, _)| *i == view.selected)
        .unwrap_or(0);
    let first = lines
        .iter()
        .position(|(i, _)| *i == view.selected)
        .unwrap_or(0);
    // the selected row whole, as near the top as the start of the list allows
    let skip = if last < h { 0 } else { first.min(last + 1 - h) };
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(skip)
        .take(h)
        .map(|(_, l)| l)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
