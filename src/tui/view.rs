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
use gloss_core::text::display::GlyphKind;
use gloss_core::text::sanitize_inline;

/// Draw everything.
pub fn draw(frame: &mut Frame, state: &State, theme: &Theme, keymap: &Keymap) {
    let p = state.panes;
    if p.list.width > 0 {
        draw_list(frame, state, theme, p.list);
    }
    if p.reader.width > 0 {
        draw_reader(frame, state, theme, p.reader, p.text);
    }
    draw_status(frame, state, theme, p.status);
    draw_prompt(frame, state, theme, p.prompt);
    if let Mode::Relations { of, selected } = &state.mode {
        draw_relations(frame, state, theme, of.as_deref(), *selected);
    }
    if matches!(state.mode, Mode::Entities | Mode::RenameEntity { .. }) {
        super::entities::draw(frame, state, theme);
    }
    if let Mode::Help { scroll } = state.mode {
        draw_help(frame, state, keymap, frame.area(), scroll);
    }
    if let Mode::Guide { scroll } = state.mode {
        draw_guide(frame, state, frame.area(), scroll);
    }
    if state.mode == Mode::Dashboard {
        super::dashboard::draw(frame, state);
    }
}

/// The article labels' picker: each category, its values with their keys, the chosen ones
/// marked.
fn category_prompt(state: &State, theme: &Theme) -> Line<'static> {
    let chosen = state
        .reader
        .as_ref()
        .map(|r| r.tags().article.categories.clone())
        .unwrap_or_default();
    let mut spans = vec![Span::styled(
        "label the article (esc: done): ",
        Style::new().add_modifier(Modifier::BOLD),
    )];
    let mut last = usize::MAX;
    for (key, c, value) in super::categorizing::choices(state) {
        let cat = &state.categories[c];
        if c != last {
            last = c;
            let kind = if cat.multi { "" } else { " one of" };
            spans.push(Span::styled(
                format!(" {}{kind}:", sanitize_inline(&cat.name)),
                theme.dim,
            ));
        }
        let on = chosen
            .get(&cat.name)
            .is_some_and(|vs| vs.iter().any(|v| v == value));
        let text = format!(
            " {key}{}{}",
            if on { "✓" } else { " " },
            sanitize_inline(value)
        );
        spans.push(if on {
            Span::styled(
                text,
                Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            )
        } else {
            Span::raw(text)
        });
    }
    Line::from(spans)
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

/// A result line cut to `width` columns so that its hit (marked `[…]`) shows: when the hit would
/// fall past the first third, the start of the line gives way to `…`.
fn around_hit(line: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if line.width() <= width {
        return line.to_string();
    }
    let Some(at) = line.find('[') else {
        return line.to_string();
    };
    let before = line[..at].width();
    if before <= width / 3 {
        return line.to_string();
    }
    let mut skip = before - width / 3;
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if skip == 0 || i >= at {
            start = i;
            break;
        }
        skip = skip.saturating_sub(unicode_width::UnicodeWidthChar::width(c).unwrap_or(0));
        start = i + c.len_utf8();
    }
    format!("…{}", &line[start..])
}

fn draw_results(frame: &mut Frame, state: &State, theme: &Theme, area: Rect, res: &Results) {
    let title = format!(
        " {} ({}{}{}) · enter opens · esc closes ",
        res.title,
        res.items.len(),
        if res.untagged_only {
            format!(" not tagged, {} in all", res.hits.len())
        } else {
            String::new()
        },
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
            let line = Line::raw(around_hit(&item.line, inner.width as usize));
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
    if let Some(view) = state.relation_view {
        super::relation_view::draw(frame, state, theme, area, view);
        return;
    }
    if let Some(res) = &state.results {
        draw_results(frame, state, theme, area, res);
        return;
    }
    let total = state.articles.len();
    let shown = state.list.shown.len();
    let mut title = if let Some(queue) = super::queue::title(state) {
        queue
    } else if shown == total {
        format!(" Articles ({total}) ")
    } else {
        format!(" Articles ({shown}/{total}) ")
    };
    if state.adjudicating.is_some() {
        title.push_str("· ≠ left to settle ");
    }
    if let Some(who) = &state.tags_of {
        title.push_str(&format!("· {}'s tags ", sanitize_inline(who)));
    }
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
        let mut spans = Vec::new();
        let marker = if Some(i) == open { "▸" } else { " " };
        spans.push(Span::raw(marker));
        match state.articles.summary(i) {
            Some(s) => {
                spans.push(Span::styled(s.status.mark().to_string(), theme.dim));
                if w >= 30 {
                    spans.push(Span::styled(
                        format!("{:<7} ", s.date.as_deref().unwrap_or("")),
                        theme.dim,
                    ));
                }
                let total: usize = s.tag_counts.values().sum();
                if state.adjudicating.is_some() {
                    // adjudicating: what is left to settle, not the gold set's counts
                    let p = if Some(i) == open {
                        state
                            .reader
                            .as_ref()
                            .filter(|r| r.entry == i)
                            .map(super::adjudicating::progress_of)
                    } else {
                        state.disagreements.get(&i).copied()
                    };
                    let (text, st) = match p {
                        Some((settled, all)) if settled < all => {
                            (format!("≠{:<3}", all - settled), theme.warning)
                        }
                        Some((_, all)) if all > 0 => ("✓   ".to_string(), theme.dim),
                        Some(_) => ("=   ".to_string(), theme.dim),
                        None => ("    ".to_string(), theme.dim),
                    };
                    spans.push(Span::styled(text, st));
                } else if w < 30 {
                    // a narrow list keeps the title: one count
                    spans.push(Span::styled(format!("{total:>2} "), theme.dim));
                } else {
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
                }
                if s.problem.is_some() {
                    spans.push(Span::styled("! ", theme.warning));
                }
                // the article's labels, by value
                if !s.categories.is_empty() {
                    let values: Vec<&str> = s
                        .categories
                        .iter()
                        .map(|c| c.split_once('=').map_or(c.as_str(), |(_, v)| v))
                        .collect();
                    spans.push(Span::styled(
                        format!("#{} ", sanitize_inline(&values.join(","))),
                        theme.dim,
                    ));
                }
                // (the source, the outlet's name, repeats down the list: it is in the reader's
                // header, and the filter still finds it)
                spans.push(Span::raw(s.title.clone()));
            }
            None => spans.push(Span::raw(state.articles.name(i).into_owned())),
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
    let name = &state.articles.name(r.entry);
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

/// A header field as it fits on one row (the caption of a one-line article is the whole article).
fn shown(s: &str) -> String {
    gloss_core::text::display::sanitize_inline_cut(s, 1000)
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
            first.push(Span::raw(format!("{label}{}", shown(v))));
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
        shown(m.caption.as_deref().unwrap_or("")),
        Style::new().add_modifier(Modifier::ITALIC),
    );
    let third = match r.read_only() {
        Some(why) => Line::styled(format!("read-only: {}", shown(why)), theme.warning),
        None if r.text().is_empty() => Line::styled("(empty article)", theme.dim),
        None => match &r.tags().article.comment {
            Some(c) => Line::styled(
                format!("comment: {}", shown(c)),
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
    let drawn: Vec<TagSpan> = if state.highlights {
        r.spans_touching(visible.clone(), &state.labels)
    } else {
        Vec::new()
    };
    let relevant: Vec<&TagSpan> = drawn.iter().collect();
    let suggestions: Vec<&super::state::SuggestionSpan> = r
        .suggestions
        .iter()
        .filter(|s| s.bytes.start <= visible.end && s.bytes.end >= visible.start)
        .collect();
    let open_candidates = r.open_candidates();
    let candidates: Vec<&&super::state::CandidateSpan> = open_candidates
        .iter()
        .filter(|c| c.bytes.start <= visible.end && c.bytes.end >= visible.start)
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
                if inner.related {
                    style = style.add_modifier(Modifier::UNDERLINED);
                }
            } else if let Some(s) = suggestions.iter().find(|s| s.bytes.contains(&b)) {
                style = theme.suggestion(s.label_index);
            } else if let Some(c) = candidates.iter().find(|c| c.bytes.contains(&b)) {
                style = theme.suggestion(c.label_index);
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

/// A piece of the status bar: shown in full, in short, or not at all as the width shrinks, the
/// least important first (a higher `drop` goes first).
struct Piece {
    long: String,
    short: Option<String>,
    style: Style,
    drop: u8,
    /// A piece whose long form is `head`, a text, `tail`: the text is cut (with `…`) before any
    /// piece is shortened or left out, so that a long tag leaves room for the counts.
    elastic: Option<(String, String, String)>,
}

/// The fewest columns an elastic piece's text is cut to before other pieces give way.
const ELASTIC_MIN: usize = 12;

/// Pieces this important or more (a `drop` this low) stay whole until the elastic texts are cut;
/// the less important ones (the offset, the time of the last save, the flags) go first.
const ELASTIC_BEFORE: u8 = 5;

impl Piece {
    fn new(text: String, style: Style, drop: u8) -> Piece {
        Piece {
            long: text,
            short: None,
            style,
            drop,
            elastic: None,
        }
    }

    /// `head`, `text`, `tail`, the text cut to what the bar has room for.
    fn elastic(head: String, text: String, tail: String, style: Style, drop: u8) -> Piece {
        Piece {
            long: format!("{head}{text}{tail}"),
            elastic: Some((head, text, tail)),
            ..Piece::new(String::new(), style, drop)
        }
    }

    /// Cut the elastic text so the piece takes at most `cols` columns (never below
    /// [`ELASTIC_MIN`] columns of text).
    fn cut_to(&mut self, cols: usize) {
        use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
        let Some((head, text, tail)) = &self.elastic else {
            return;
        };
        if head.width() + text.width() + tail.width() <= cols {
            self.long = format!("{head}{text}{tail}");
            return;
        }
        let room = cols
            .saturating_sub(head.width() + tail.width() + 1)
            .max(ELASTIC_MIN);
        let mut kept = String::new();
        let mut used = 0;
        for c in text.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            used += w;
            kept.push(c);
        }
        self.long = format!("{head}{}…{tail}", kept.trim_end());
    }

    fn or_short(mut self, short: String) -> Piece {
        self.short = Some(short);
        self
    }
}

/// Fit pieces into `width` columns: shorten, then leave out, the least important first.
fn fit_pieces(mut pieces: Vec<Piece>, width: usize) -> Vec<Span<'static>> {
    use unicode_width::UnicodeWidthStr;
    // 0: long, 1: short, 2: hidden
    let mut form = vec![0u8; pieces.len()];
    fn text(p: &Piece, f: u8) -> Option<&str> {
        match f {
            0 => Some(&p.long),
            1 => p.short.as_deref(),
            _ => None,
        }
    }
    fn used(pieces: &[Piece], form: &[u8]) -> usize {
        pieces
            .iter()
            .zip(form)
            .filter_map(|(p, &f)| text(p, f))
            .map(|t| t.width())
            .sum()
    }
    loop {
        let total = used(&pieces, &form);
        if total <= width {
            break;
        }
        // the least important piece still shown: shorten it if it can be, else leave it out
        let next = (0..pieces.len())
            .filter(|&i| form[i] < 2 && pieces[i].drop > 0)
            .max_by_key(|&i| (pieces[i].drop, i));
        // before a piece that matters (the name, the position, the counts) gives way, the
        // elastic texts are cut (with …) to what the others leave
        if next.is_none_or(|i| pieces[i].drop <= ELASTIC_BEFORE) {
            let over = total - width;
            let mut cut = false;
            for (p, _) in pieces
                .iter_mut()
                .zip(&form)
                .filter(|(p, f)| p.elastic.is_some() && **f == 0)
            {
                let w = p.long.width();
                p.cut_to(w.saturating_sub(over));
                cut |= p.long.width() < w;
            }
            if cut {
                continue;
            }
        }
        let Some(i) = next else {
            break;
        };
        form[i] = if form[i] == 0 && pieces[i].short.is_some() {
            1
        } else {
            2
        };
    }
    // what the pieces left out freed goes back to the elastic texts
    let mut spare = width.saturating_sub(used(&pieces, &form));
    for (p, _) in pieces
        .iter_mut()
        .zip(&form)
        .filter(|(p, f)| p.elastic.is_some() && **f == 0)
    {
        let w = p.long.width();
        p.cut_to(w + spare);
        spare = spare.saturating_sub(p.long.width().saturating_sub(w));
    }
    pieces
        .iter()
        .zip(&form)
        .filter_map(|(p, &f)| text(p, f).map(|t| Span::styled(t.to_string(), p.style)))
        .collect()
}

/// The file line and column (1-based, in characters) of byte `b`.
fn line_col(text: &str, b: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..b.min(text.len())];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    (line, text[start..b].chars().count() + 1)
}

fn draw_status(frame: &mut Frame, state: &State, theme: &Theme, area: Rect) {
    let mode = match (&state.mode, state.focus) {
        (Mode::Help { .. }, _) => "HELP",
        (Mode::Filter | Mode::IndexFilter, _) => "FILTER",
        (Mode::Search, _) => "SEARCH",
        (Mode::CorpusSearch, _) => "CORPUS SEARCH",
        (Mode::Note { .. }, _) => "NOTE",
        (Mode::Comment { .. }, _) => "COMMENT",
        (Mode::ArticleComment, _) => "ARTICLE COMMENT",
        (Mode::SetStatus, _) => "STATUS",
        (Mode::Confirm, _) => "CONFIRM",
        (Mode::Relabel { .. }, _) => "RELABEL",
        (Mode::RelationType { .. }, _) => "RELATION TYPE",
        (Mode::Relations { .. }, _) => "RELATIONS",
        (Mode::LinkEntity { .. }, _) => "LINK",
        (Mode::Entities, _) => "ENTITIES",
        (Mode::RenameEntity { .. }, _) => "RENAME",
        (Mode::Guide { .. }, _) => "GUIDE",
        (Mode::Categorize, _) => "LABEL ARTICLE",
        (Mode::Dashboard, _) => "DASHBOARD",
        (Mode::Normal, _) if state.relating.is_some() => "RELATE",
        (Mode::Normal, _) if state.review_mode => "REVIEW",
        (Mode::Normal, _) if state.reader.as_ref().is_some_and(|r| r.anchor.is_some()) => "SELECT",
        (Mode::Normal, Pane::List) => "LIST",
        (Mode::Normal, Pane::Reader) => "READ",
    };
    let bold = Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED);
    let mut pieces = Vec::new();
    let mut mode_text = format!(" {mode} ");
    if state.review_mode
        && state.mode == Mode::Normal
        && let Some(r) = &state.reader
    {
        let (reviewed, total) = r.review_progress();
        mode_text = format!(" REVIEW {reviewed}/{total} ");
    }
    if state.adjudicating.is_some() && state.mode == Mode::Normal {
        mode_text = " ADJUDICATE ".into();
    }
    pieces.push(Piece::new(mode_text, bold, 0));
    if state.adjudicating.is_some()
        && let Some(r) = &state.reader
    {
        let described = super::adjudicating::describe(r);
        let all: Vec<_> = r.candidates.iter().map(|c| c.candidate.clone()).collect();
        let (done, total) = gloss_core::adjudication::progress(r.tags(), &all);
        pieces.push(
            Piece::new(format!(" {done} of {total} disagreements"), Style::new(), 1)
                .or_short(format!(" {done}/{total}")),
        );
        if let Some((_, what)) = described {
            pieces.push(Piece::new(format!("  {what}"), theme.warning, 1));
        }
    }
    for (on, flag) in [
        (state.reading, "reading"),
        (state.exact, "exact"),
        (!state.highlights, "no highlights"),
    ] {
        if on {
            pieces.push(Piece::new(format!(" [{flag}]"), theme.dim, 6));
        }
    }
    if let Some(r) = &state.reader {
        let name = &state.articles.name(r.entry);
        pieces.push(Piece::new(format!(" {name}"), Style::new(), 5));
        let (line, col) = line_col(r.text(), r.cursor);
        pieces.push(
            Piece::new(format!("  line {line} col {col}"), Style::new(), 4)
                .or_short(format!(" {line}:{col}")),
        );
        pieces.push(Piece::new(format!("  @{}", r.cursor_char()), theme.dim, 7));
        if let Some(sel) = r.selection() {
            let n = r.text()[sel.clone()].chars().count();
            pieces.push(
                Piece::elastic(
                    "  selected “".into(),
                    shown(&r.text()[sel]),
                    format!("” {n} chars"),
                    Style::new(),
                    2,
                )
                .or_short(format!(" sel {n}")),
            );
        }
        pieces.push(Piece::new(" ".into(), Style::new(), 0));
        let counts = r.tags().tags().live_counts();
        for (i, l) in state.labels.labels.iter().enumerate() {
            let n = counts.get(&l.name).copied().unwrap_or(0);
            let short: String = l.name.chars().take(1).collect();
            pieces.push(
                Piece::new(format!(" {} {n} ", l.name), theme.tag(Some(i), false), 3)
                    .or_short(format!("{short}{n}")),
            );
        }
        let rejected = r.tags().tags().rejected();
        if rejected > 0 {
            pieces.push(
                Piece::new(format!(" {rejected} rejected"), theme.dim, 2)
                    .or_short(format!(" {rejected}x")),
            );
        }
        let orphans = r.tags().tags().orphaned();
        if orphans > 0 {
            pieces.push(
                Piece::new(format!(" {orphans} orphaned"), theme.warning, 2)
                    .or_short(format!(" {orphans}o")),
            );
        }
        let under = r.tags().all_at(r.cursor_char());
        if let Some(inner) = under.last() {
            let names: Vec<&str> = under.iter().map(|t| t.label.as_str()).collect();
            pieces.push(
                Piece::elastic(
                    format!(" on {} “", names.join("⊃")),
                    shown(&inner.text),
                    "”".into(),
                    Style::new(),
                    1,
                )
                .or_short(format!(" on {}", names.join("⊃"))),
            );
            if let Some(other) = inner.conflict.as_ref().and_then(|o| r.tags().get(o)) {
                // who made which version, and when: the reviewer picks one with K
                // (month, day and time of RFC 3339: "2026-11-30T09:15:00Z" is "11-30 09:15")
                let when = |t: &str| t.get(5..16).unwrap_or(t).replace('T', " ");
                let (mine, theirs) = (
                    sanitize_inline(&inner.annotator),
                    sanitize_inline(&other.annotator),
                );
                pieces.push(
                    Piece::new(
                        format!(
                            "  CONFLICT: this by {mine} {}, other {} by {theirs} {}; K keeps this",
                            when(&inner.modified),
                            other.label,
                            when(&other.modified),
                        ),
                        theme.warning,
                        1,
                    )
                    .or_short(format!(" CONFLICT {mine}≠{theirs} (K keeps this)")),
                );
            }
            for p in tag_links(state, r, inner, theme) {
                pieces.push(p);
            }
            if let Some(note) = &inner.note {
                pieces.push(Piece::new(
                    format!("  note: {}", sanitize_inline(note)),
                    Style::new().add_modifier(Modifier::ITALIC),
                    3,
                ));
            }
            // reviewing: the label's rule beside the tag
            if state.review_mode
                && let Some(rule) = state
                    .labels
                    .get(&inner.label)
                    .and_then(|l| state.guide.rule_of(l))
            {
                pieces.push(Piece::new(
                    format!("  rule: {}", sanitize_inline(&rule)),
                    theme.dim,
                    2,
                ));
            }
        }
        let labels = gloss_core::annotation::categories_text(&r.tags().article.categories);
        if !labels.is_empty() {
            pieces.push(Piece::new(
                format!("  #{}", sanitize_inline(&labels)),
                theme.dim,
                4,
            ));
        }
    }
    if let Some(t) = &state.last_save {
        pieces.push(Piece::new(format!("  saved {t} UTC"), theme.dim, 8));
    }
    if let Some(head) = state
        .relating
        .as_ref()
        .and_then(|id| state.reader.as_ref()?.tags().get(id))
    {
        pieces.push(
            Piece::new(
                format!(
                    "  relation from “{}”: enter on the other tag",
                    sanitize_inline(&head.text)
                ),
                theme.warning,
                1,
            )
            .or_short(" relating".into()),
        );
    }
    let spans = fit_pieces(pieces, area.width as usize);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status), area);
}

/// The status bar's pieces for a tag's entity and relations: `= Tô Lâm`, `≈ Chỉ thị số 24-CT/TW`
/// (the normalised name of a directive not linked yet), `ISSUES → “Chỉ thị số 24”`, `ASSIGNS ←
/// “Trương Thị Mai”`.
fn tag_links(
    state: &State,
    r: &Reader,
    tag: &gloss_core::annotation::Annotation,
    theme: &Theme,
) -> Vec<Piece> {
    let mut out = Vec::new();
    match tag.entity.as_deref() {
        Some(id) => {
            let name = state
                .entities
                .get(id)
                .map(|e| sanitize_inline(&e.name))
                .unwrap_or_else(|| format!("{} (not in entities.ron)", sanitize_inline(id)));
            out.push(Piece::new(format!("  = {name}"), Style::new(), 2));
        }
        None => {
            // what L would link it to, when the registry has it
            if let gloss_core::entity::Proposal::Existing(id) = state
                .entities
                .propose(tag, r.tags().tags().starting_before(tag.start))
                && let Some(e) = state.entities.get(&id)
            {
                out.push(Piece::new(
                    format!("  L → {}?", sanitize_inline(&e.name)),
                    theme.dim,
                    3,
                ));
            } else if let Some(d) = gloss_core::entity::DirectiveId::parse(&tag.text)
                .filter(|_| tag.label == "DIRECTIVE")
            {
                out.push(Piece::new(format!("  ≈ {}", d.canonical()), theme.dim, 2));
            }
        }
    }
    let set = r.tags();
    let text = |id: &str| {
        set.get(id)
            .map(|t| sanitize_inline(&t.text))
            .unwrap_or_default()
    };
    for rel in set.relations_of(&tag.id) {
        let (arrow, other) = if rel.head == tag.id {
            ("→", &rel.tail)
        } else {
            ("←", &rel.head)
        };
        out.push(
            Piece::new(
                format!("  {} {arrow} {}", rel.label, text(other)),
                Style::new().add_modifier(Modifier::UNDERLINED),
                2,
            )
            .or_short(format!(" {}{arrow}", rel.label)),
        );
    }
    out
}

/// What is typed into the prompt, the character under its cursor marked (a cell after the end
/// when the cursor is there).
fn prompt_spans<'a>(state: &State, theme: &Theme) -> Vec<Span<'a>> {
    let text = state.prompt.text();
    let cut = text
        .char_indices()
        .nth(state.prompt.cursor())
        .map_or(text.len(), |(b, _)| b);
    let (before, rest) = text.split_at(cut);
    let mut chars = rest.chars();
    let under = chars.next();
    vec![
        Span::raw(sanitize_inline(before)),
        Span::styled(
            under.map_or(" ".to_string(), |c| sanitize_inline(&c.to_string())),
            theme.cursor,
        ),
        Span::raw(sanitize_inline(chars.as_str())),
    ]
}

/// The entity prompt: what is typed, then whether it names an entity or makes one, and what tab
/// would complete it to.
fn link_prompt<'a>(state: &State, label: &str, theme: &Theme) -> Line<'a> {
    let mut spans = vec![Span::styled(
        format!("entity of the {label} tag: "),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    spans.extend(prompt_spans(state, theme));
    let typed = gloss_core::entity::key(state.prompt.text());
    let named = state.entities.find(label, state.prompt.text());
    spans.push(Span::styled(
        match named {
            Some(e) => format!("  = {} [{}]", sanitize_inline(&e.name), e.id),
            None if typed.is_empty() => String::new(),
            None => "  (enter makes a new entity)".into(),
        },
        theme.dim,
    ));
    let others: Vec<String> = super::linking::completions(state, label)
        .iter()
        .filter(|e| named.is_none_or(|n| n.id != e.id))
        .take(5)
        .map(|e| sanitize_inline(&e.name))
        .collect();
    if !others.is_empty() {
        spans.push(Span::styled(
            format!("  tab: {}", others.join(" · ")),
            theme.dim,
        ));
    }
    Line::from(spans)
}

/// The relations list, over the reader's text.
fn draw_relations(
    frame: &mut Frame,
    state: &State,
    theme: &Theme,
    of: Option<&str>,
    selected: usize,
) {
    let area = state.panes.text;
    if area.width < 10 || area.height < 3 {
        return;
    }
    let items = super::relating::listed(state, of);
    let Some(r) = state.reader.as_ref() else {
        return;
    };
    let h = (items.len() as u16 + 2).min(area.height);
    let popup = Rect::new(area.x, area.y + area.height - h, area.width, h);
    frame.render_widget(Clear, popup);
    let title = match of.and_then(|id| r.tags().get(id)) {
        Some(t) => format!(" Relations of “{}” ", sanitize_inline(&t.text)),
        None => " Relations in this article ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focused_border)
        .title(title)
        .title_bottom(" enter jumps · x deletes · a accept · X reject · esc ");
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let rows = inner.height as usize;
    let first = selected.saturating_sub(rows.saturating_sub(1));
    let text = |id: &str| {
        r.tags()
            .get(id)
            .map(|t| format!("{} “{}”", t.label, sanitize_inline(&t.text)))
            .unwrap_or_else(|| "(gone)".into())
    };
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, rel)| {
            let mark = match rel.review.as_ref().map(|v| v.verdict) {
                Some(gloss_core::annotation::Verdict::Accepted) => "✓ ",
                Some(gloss_core::annotation::Verdict::Rejected) => "✗ ",
                None => "  ",
            };
            let line = Line::raw(format!(
                "{mark}{} —{}→ {}",
                text(&rel.head),
                rel.label,
                text(&rel.tail)
            ));
            if i == selected {
                line.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_prompt(frame: &mut Frame, state: &State, theme: &Theme, area: Rect) {
    if state.mode == Mode::Categorize {
        frame.render_widget(Paragraph::new(category_prompt(state, theme)), area);
        return;
    }
    if let Mode::LinkEntity { label, .. } = &state.mode {
        frame.render_widget(Paragraph::new(link_prompt(state, label, theme)), area);
        return;
    }
    let prefix = match &state.mode {
        Mode::Filter => Some(
            "filter (text, status:done, has:PERSON, no:TASK, by:name, cat:value, assigned:me): ",
        ),
        Mode::IndexFilter => Some("tag index, texts with: "),
        Mode::Search => Some("search: "),
        Mode::CorpusSearch => Some("search the corpus: "),
        Mode::Note { .. } => Some("note: "),
        Mode::Comment { .. } => Some("comment: "),
        Mode::ArticleComment => Some("article comment: "),
        Mode::RenameEntity { .. } => Some("new name of the entity: "),
        _ => None,
    };
    let line = match prefix {
        Some(p) => Line::from(
            std::iter::once(Span::styled(p, Style::new().add_modifier(Modifier::BOLD)))
                .chain(prompt_spans(state, theme))
                .collect::<Vec<_>>(),
        ),
        None => match &state.message {
            Some((m, Severity::Error)) => Line::styled(sanitize_inline(m), theme.warning),
            Some((m, Severity::Info)) => Line::raw(sanitize_inline(m)),
            None => Line::styled("? help · q quit", theme.dim),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Where a text overlay (help, guide) is drawn: centred, up to 110 columns, the screen's height
/// but a line above and below.
fn overlay_area(screen: Rect) -> Rect {
    let w = screen.width.saturating_sub(4).min(110);
    let h = screen.height.saturating_sub(2);
    Rect::new(
        screen.x + (screen.width - w) / 2,
        screen.y + (screen.height - h) / 2,
        w,
        h,
    )
}

/// The annotation guide over the screen, from line `scroll`.
fn draw_guide(frame: &mut Frame, state: &State, screen: Rect, scroll: usize) {
    use ratatui::widgets::Wrap;
    let area = overlay_area(screen);
    frame.render_widget(Clear, area);
    let g = &state.guide;
    let from = match &g.file {
        Some(p) => gloss_core::text::escape_path(p),
        None => "gloss.ron (no guide file)".to_string(),
    };
    let block = Block::default().borders(Borders::ALL).title(format!(
        " Guide: {from} · line {}/{} (n/N sections, j/k, any other key closes) ",
        scroll + 1,
        g.lines.len()
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let heading = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let lines: Vec<Line> = g.lines[scroll.min(g.lines.len())..]
        .iter()
        .take(inner.height as usize * 2)
        .map(|l| {
            if l.starts_with('#') {
                Line::styled(l.clone(), heading)
            } else {
                Line::raw(l.clone())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn draw_help(frame: &mut Frame, state: &State, keymap: &Keymap, screen: Rect, scroll: usize) {
    use ratatui::widgets::Wrap;
    let area = overlay_area(screen);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Keys (j/k scroll, any other key closes) ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let key_w: usize = if inner.width < 50 { 8 } else { 16 };
    let mut lines = Vec::new();
    // where the corpus is, and where its tags are saved
    lines.push(Line::from(vec![
        Span::styled("corpus: ", Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(gloss_core::text::escape_path(&state.articles.root)),
    ]));
    lines.push(Line::raw(match &state.sidecars_in {
        Some(dir) => format!(
            "tags saved in: {} (a .ron file per article)",
            gloss_core::text::escape_path(dir)
        ),
        None => "tags saved beside each article: its name with .ron for .txt".to_string(),
    }));
    lines.push(Line::raw(""));
    for (i, (section, bindings)) in keymap.help().into_iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            format!("{}:", section.heading()),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ));
        for (keys, what) in bindings {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{keys:>key_w$}  "),
                    Style::new().add_modifier(Modifier::BOLD),
                ),
                Span::raw(what),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw("Labels:"));
    for l in &state.labels.labels {
        lines.push(Line::raw(format!(
            "{:>key_w$}  {} — {}",
            l.key,
            l.name,
            sanitize_inline(&l.description)
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "Relations (A on a tag, enter on the other, then the key):",
    ));
    for t in &state.relation_types.types {
        let ends = |v: &[String]| {
            if v.is_empty() {
                "any".to_string()
            } else {
                v.join("|")
            }
        };
        lines.push(Line::raw(format!(
            "{:>key_w$}  {} — {} → {}{}",
            t.key,
            t.name,
            ends(&t.head),
            ends(&t.tail),
            if t.description.is_empty() {
                String::new()
            } else {
                format!(": {}", sanitize_inline(&t.description))
            }
        )));
    }
    lines.push(Line::raw(format!(
        "Entities: {} ({})",
        gloss_core::text::escape_path(state.entities.path()),
        match &state.entities_error {
            Some(e) => format!("unreadable: {}", sanitize_inline(e)),
            None => format!("{} entities", state.entities.entities().len()),
        }
    )));
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        "Mouse: click places the cursor, drag selects, the wheel scrolls.",
    ));
    let skip = scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(lines.split_off(skip)).wrap(Wrap { trim: false }),
        inner,
    );
}
