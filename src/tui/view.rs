//! Views: draw a frame from the state. Article text reaches the screen only through the layout's
//! sanitized glyphs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::keymap::Keymap;
use super::state::{Mode, Pane, Reader, Results, Severity, State, TagSpan};
use super::theme::Theme;
use crate::text::display::GlyphKind;
use crate::text::sanitize_inline;

/// Draw everything.
pub fn draw(frame: &mut Frame, state: &State, theme: &Theme, keymap: &Keymap) {
    let p = state.panes;
    draw_list(frame, state, theme, p.list);
    draw_reader(frame, state, theme, p.reader, p.text);
    draw_status(frame, state, theme, p.status);
    draw_prompt(frame, state, theme, p.prompt);
    if state.show_help {
        draw_help(frame, state, keymap, frame.area());
    }
}

/// Draw a pane's border and title; the area inside it.
fn pane_block(
    frame: &mut Frame,
    state: &State,
    theme: &Theme,
    pane: Pane,
    area: Rect,
    title: impl Into<Line<'static>>,
) -> Rect {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border_style(state, theme, pane))
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

fn border_style(state: &State, theme: &Theme, pane: Pane) -> Style {
    if state.focus == pane {
        theme.focused_border
    } else {
        theme.border
    }
}

/// Truncate to `width` columns (by characters; good enough for labels and metadata).
fn fit(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        out.push(c);
    }
    out
}

fn draw_results(frame: &mut Frame, state: &State, theme: &Theme, area: Rect, res: &Results) {
    let title = format!(
        " {} ({}{}) · enter opens · esc closes ",
        res.title,
        res.items.len(),
        if res.running { ", searching…" } else { "" }
    );
    let inner = pane_block(frame, state, theme, Pane::List, area, title);
    let mut lines: Vec<Line> = res
        .items
        .iter()
        .enumerate()
        .skip(res.offset)
        .take(inner.height as usize)
        .map(|(i, item)| {
            let line = Line::raw(item.line.clone());
            if i == res.selected {
                line.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                line
            }
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            if res.running {
                "searching…"
            } else {
                "nothing found"
            },
            theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_list(frame: &mut Frame, state: &State, theme: &Theme, area: Rect) {
    if let Some(res) = &state.results {
        draw_results(frame, state, theme, area, res);
        return;
    }
    let total = state.articles.len();
    let shown = state.list.shown.len();
    let mut title = if shown == total {
        format!(" Articles ({total}) ")
    } else {
        format!(" Articles ({shown}/{total}) ")
    };
    if !state.list.filter.is_empty() {
        title.push_str(&format!("/{} ", sanitize_inline(&state.list.filter)));
    }
    if let Some((done, total)) = state.scan {
        title.push_str(&format!("· reading {}% ", done * 100 / total.max(1)));
    }
    let inner = pane_block(frame, state, theme, Pane::List, area, title);
    let h = inner.height as usize;
    let w = inner.width as usize;
    let open = state.reader.as_ref().map(|r| r.entry);
    let mut lines = Vec::with_capacity(h);
    for (pos, &i) in state
        .list
        .shown
        .iter()
        .enumerate()
        .skip(state.list.offset)
        .take(h)
    {
        let e = &state.articles.entries[i];
        let mut spans = Vec::new();
        let marker = if Some(i) == open { "▸" } else { " " };
        spans.push(Span::raw(marker));
        match &e.summary {
            Some(s) => {
                spans.push(Span::styled(s.status.mark().to_string(), theme.dim));
                spans.push(Span::styled(
                    format!("{:<7} ", s.date.as_deref().unwrap_or("")),
                    theme.dim,
                ));
                for (li, l) in state.labels.labels.iter().enumerate() {
                    let n = s.tag_counts.get(&l.name).copied().unwrap_or(0);
                    let st = if n > 0 {
                        theme.tag(Some(li), false)
                    } else {
                        theme.dim
                    };
                    spans.push(Span::styled(format!("{}{n}", l.key), st));
                    spans.push(Span::raw(" "));
                }
                if s.problem.is_some() {
                    spans.push(Span::styled("! ", theme.warning));
                }
                let src = s
                    .source
                    .as_deref()
                    .map(|x| format!("{} · ", fit(x, 14)))
                    .unwrap_or_default();
                spans.push(Span::styled(src, theme.dim));
                spans.push(Span::raw(s.title.clone()));
            }
            None => spans.push(Span::raw(e.name.clone())),
        }
        let mut line = Line::from(spans);
        if pos == state.list.selected {
            let st = if state.focus == Pane::List {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            line = line.style(st);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            if total == 0 {
                "no .txt articles in this folder"
            } else {
                "no article matches the filter"
            },
            theme.dim,
        ));
    }
    let _ = w;
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_reader(frame: &mut Frame, state: &State, theme: &Theme, area: Rect, text_area: Rect) {
    let Some(r) = &state.reader else {
        let inner = pane_block(frame, state, theme, Pane::Reader, area, " Reader ");
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw("Select an article and press enter."),
                Line::raw("? shows the keys."),
            ]),
            inner,
        );
        return;
    };
    let name = &state.articles.entries[r.entry].name;
    let title = if r.read_only().is_some() {
        format!(" {name} [read-only] ")
    } else {
        format!(" {name} ")
    };
    let inner = pane_block(frame, state, theme, Pane::Reader, area, title);
    let header = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.min(super::state::HEADER_LINES),
    );
    frame.render_widget(Paragraph::new(header_lines(r, theme)), header);
    let x = state.text_x();
    let text_area = Rect::new(
        x,
        text_area.y,
        text_area.width.saturating_sub(x - text_area.x),
        text_area.height,
    );
    frame.render_widget(
        Paragraph::new(text_lines(state, r, theme, text_area)),
        text_area,
    );
}

fn header_lines<'a>(r: &Reader, theme: &Theme) -> Vec<Line<'a>> {
    let m = &r.doc.article().meta;
    let mut first = Vec::new();
    for (label, v) in [
        ("", m.date.as_deref()),
        ("", m.source.as_deref()),
        ("Tác giả: ", m.author.as_deref()),
    ] {
        if let Some(v) = v {
            if !first.is_empty() {
                first.push(Span::styled(" · ", theme.dim));
            }
            first.push(Span::raw(format!("{label}{}", sanitize_inline(v))));
        }
    }
    if first.is_empty() {
        first.push(Span::styled("(no date, source or author lines)", theme.dim));
    }
    first.push(Span::styled(
        format!("  [{}]", r.tags().article.status.name()),
        theme.dim,
    ));
    let second = Line::styled(
        sanitize_inline(m.caption.as_deref().unwrap_or("")),
        Style::new().add_modifier(Modifier::ITALIC),
    );
    let third = match r.read_only() {
        Some(why) => Line::styled(
            format!("read-only: {}", sanitize_inline(why)),
            theme.warning,
        ),
        None if r.text().is_empty() => Line::styled("(empty article)", theme.dim),
        None => match &r.tags().article.comment {
            Some(c) => Line::styled(
                format!("comment: {}", sanitize_inline(c)),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            None => Line::styled("─".repeat(200), theme.dim),
        },
    };
    vec![Line::from(first), second, third]
}

fn text_lines<'a>(state: &State, r: &'a Reader, theme: &Theme, area: Rect) -> Vec<Line<'a>> {
    let text = r.text();
    let h = area.height as usize;
    let rows = r.scroll..(r.scroll + h).min(r.layout.len());
    let visible = r.layout.bytes_of_rows(rows.clone());
    let relevant: Vec<&TagSpan> = r
        .spans
        .iter()
        .filter(|_| state.highlights)
        .filter(|s| s.bytes.start <= visible.end && s.bytes.end >= visible.start)
        .collect();
    let suggestions: Vec<&super::state::SuggestionSpan> = r
        .suggestions
        .iter()
        .filter(|s| s.bytes.start <= visible.end && s.bytes.end >= visible.start)
        .collect();
    let selection = r.selection();
    let hits: Vec<&std::ops::Range<usize>> = r
        .search
        .iter()
        .flat_map(|s| &s.hits)
        .filter(|h| h.start <= visible.end && h.end >= visible.start)
        .collect();
    let show_cursor = state.focus == Pane::Reader;
    let mut lines = Vec::with_capacity(h);
    for row in rows {
        let mut spans: Vec<Span<'a>> = Vec::new();
        let mut run = String::new();
        let mut run_style = Style::new();
        let cells = r.layout.cells(text, row);
        let row_bounds = r.layout.rows()[row];
        for cell in &cells {
            let b = cell.byte;
            let mut covering = relevant.iter().filter(|s| s.bytes.contains(&b));
            let mut style = Style::new();
            if let Some(first) = covering.next() {
                let mut inner = *first;
                let mut count = 1;
                for s in covering {
                    count += 1;
                    if s.bytes.len() < inner.bytes.len() {
                        inner = s;
                    }
                }
                style = theme.tag(inner.label, count > 1);
            } else if let Some(s) = suggestions.iter().find(|s| s.bytes.contains(&b)) {
                style = theme.suggestion(s.label_index);
            }
            if selection.as_ref().is_some_and(|s| s.contains(&b)) {
                style = style.patch(theme.selection);
            }
            if hits.iter().any(|h| h.contains(&b)) {
                style = style.patch(theme.hit);
            }
            match cell.glyph.kind {
                GlyphKind::Control | GlyphKind::Bidi => style = style.patch(theme.placeholder),
                GlyphKind::Invisible => style = style.patch(theme.dim),
                _ => {}
            }
            if show_cursor && b == r.cursor {
                style = style.patch(theme.cursor);
            }
            if style != run_style && !run.is_empty() {
                spans.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            run.push_str(&cell.glyph.text);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style));
        }
        let cursor_at_end = r.cursor >= row_bounds.end
            && (r.layout.row_of(r.cursor) == row)
            && cells.last().is_none_or(|c| c.byte < r.cursor);
        if show_cursor && cursor_at_end {
            spans.push(Span::styled(" ", theme.cursor));
        }
        lines.push(Line::from(spans));
    }
    lines
}

fn draw_status(frame: &mut Frame, state: &State, theme: &Theme, area: Rect) {
    let mode = match (&state.mode, state.focus) {
        (Mode::Filter, _) => "FILTER",
        (Mode::Search, _) => "SEARCH",
        (Mode::CorpusSearch, _) => "CORPUS SEARCH",
        (Mode::Note { .. }, _) => "NOTE",
        (Mode::Comment { .. }, _) => "COMMENT",
        (Mode::ArticleComment, _) => "ARTICLE COMMENT",
        (Mode::SetStatus, _) => "STATUS",
        (Mode::Confirm, _) => "CONFIRM",
        (Mode::Relabel { .. }, _) => "RELABEL",
        (Mode::Normal, _) if state.review_mode => "REVIEW",
        (Mode::Normal, _) if state.reader.as_ref().is_some_and(|r| r.anchor.is_some()) => "SELECT",
        (Mode::Normal, Pane::List) => "LIST",
        (Mode::Normal, Pane::Reader) => "READ",
    };
    let mut spans = vec![Span::styled(
        format!(" {mode} "),
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
    )];
    for (on, flag) in [
        (state.reading, "reading"),
        (state.exact, "exact"),
        (!state.highlights, "no highlights"),
    ] {
        if on {
            spans.push(Span::styled(format!(" [{flag}]"), theme.dim));
        }
    }
    if let Some(r) = &state.reader {
        let (row, col) = r.layout.position_of(r.text(), r.cursor);
        spans.push(Span::raw(format!(
            " {}  row {} col {}  @{} ",
            state.articles.entries[r.entry].name,
            row + 1,
            col + 1,
            r.cursor_char()
        )));
        let counts = r.tags().counts();
        for (i, l) in state.labels.labels.iter().enumerate() {
            let n = counts.get(&l.name).copied().unwrap_or(0);
            spans.push(Span::styled(
                format!(" {} {n} ", l.name),
                theme.tag(Some(i), false),
            ));
            spans.push(Span::raw(" "));
        }
        let orphans = r.tags().tags().iter().filter(|t| t.orphaned).count();
        if orphans > 0 {
            spans.push(Span::styled(format!("{orphans} orphaned "), theme.warning));
        }
        let under = r.tags().all_at(r.cursor_char());
        if !under.is_empty() {
            let names: Vec<&str> = under.iter().map(|t| t.label.as_str()).collect();
            spans.push(Span::raw(format!("on {} ", names.join("⊃"))));
        }
    }
    if let Some(t) = &state.last_save {
        spans.push(Span::styled(format!(" saved {t} UTC"), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status), area);
}

fn draw_prompt(frame: &mut Frame, state: &State, theme: &Theme, area: Rect) {
    let prefix = match &state.mode {
        Mode::Filter => Some("filter (text, status:done, has:PERSON, no:TASK, by:name): "),
        Mode::Search => Some("search: "),
        Mode::CorpusSearch => Some("search the corpus: "),
        Mode::Note { .. } => Some("note: "),
        Mode::Comment { .. } => Some("comment: "),
        Mode::ArticleComment => Some("article comment: "),
        _ => None,
    };
    let line = match prefix {
        Some(p) => Line::from(vec![
            Span::styled(p, Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(sanitize_inline(&state.prompt)),
            Span::styled(" ", theme.cursor),
        ]),
        None => match &state.message {
            Some((m, Severity::Error)) => Line::styled(sanitize_inline(m), theme.warning),
            Some((m, Severity::Info)) => Line::raw(sanitize_inline(m)),
            None => Line::styled("? help · q quit", theme.dim),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn draw_help(frame: &mut Frame, state: &State, keymap: &Keymap, screen: Rect) {
    let w = screen.width.saturating_sub(8).min(80);
    let h = screen.height.saturating_sub(4);
    let area = Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Keys (j/k scroll, any other key closes) ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    for (keys, what) in keymap.help() {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{keys:>16}  "),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(what),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw("Labels:"));
    for l in &state.labels.labels {
        lines.push(Line::raw(format!(
            "{:>16}  {} — {}",
            l.key,
            l.name,
            sanitize_inline(&l.description)
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "Mouse: click places the cursor, drag selects, the wheel scrolls.",
    ));
    let skip = state.help_scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(Paragraph::new(lines.split_off(skip)), inner);
}
