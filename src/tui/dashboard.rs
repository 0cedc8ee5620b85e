//! The project's dashboard (`D`): how far the corpus is (a gauge), articles by status and tags
//! per label (bar charts), each annotator's articles, tags, active time and pace, tags made per
//! day (a sparkline) and the article labels. Its figures are [`ProjectStats`], the sums
//! `gloss stats --by … --json` prints, of each article's part: counted from the sidecars on a
//! thread when it opens, and kept live by every save.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, Block, Borders, Clear, Gauge, Paragraph, Sparkline};

use gloss_core::project::{ArticleFigures, ProjectStats, duration_text};
use gloss_core::text::{sanitize_inline, sanitize_inline_padded};

use super::effect::Effect;
use super::state::{Mode, State};

/// `D`: the dashboard; its figures are counted the first time.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    state.mode = Mode::Dashboard;
    if state.project.is_none() && !state.project_counting {
        state.project_counting = true;
        return vec![Effect::CountProject];
    }
    refresh(state);
    vec![]
}

/// Parts counted on the thread (`done`: the last batch; `fresh`: read after a save, so newer
/// than the part kept).
pub(super) fn counted(
    state: &mut State,
    parts: Vec<(usize, ArticleFigures)>,
    done: bool,
    fresh: bool,
) {
    let project = state.project.get_or_insert_with(Default::default);
    for (entry, f) in parts {
        if fresh {
            project.insert(entry, f);
        } else {
            // a part a save set meanwhile is newer than the one read
            project.entry(entry).or_insert(f);
        }
    }
    if done {
        state.project_counting = false;
    }
    refresh(state);
}

/// A save wrote `set` for `entry`: its part follows, if the figures are kept. In a team's corpus
/// the part is every annotator's, so it is counted again from the trees (the effect returned).
pub(super) fn saved(
    state: &mut State,
    entry: usize,
    set: &gloss_core::annotation::AnnotationSet,
) -> Option<Effect> {
    state.project.as_ref()?;
    if state.team.as_ref().is_some_and(|t| t.has_trees()) {
        return Some(Effect::CountProjectArticle { entry });
    }
    let part = own_part(state, entry, set);
    if let Some(p) = state.project.as_mut() {
        p.insert(entry, part);
    }
    refresh(state);
    None
}

/// `entry`'s part from its one sidecar's `set`, with who it is assigned to.
fn own_part(
    state: &State,
    entry: usize,
    set: &gloss_core::annotation::AnnotationSet,
) -> ArticleFigures {
    let assigned = match &state.team {
        Some(t) if entry < state.articles.len() => t.assigned_to(&state.articles.path(entry)),
        _ => Vec::new(),
    };
    ArticleFigures {
        assigned,
        ..ArticleFigures::of_set(set)
    }
}

/// Sum the figures again while the dashboard shows them (and forget them otherwise: they are
/// summed when it opens).
fn refresh(state: &mut State) {
    state.project_stats = (state.mode == Mode::Dashboard).then(|| figures(state));
}

/// The figures now: the parts counted, with the open article's as it is in memory (where its one
/// sidecar is the article's part; in a team's corpus, the part is as saved).
pub fn figures(state: &State) -> ProjectStats {
    let Some(parts) = &state.project else {
        return ProjectStats::of(state.articles.len(), []);
    };
    let trees = state.team.as_ref().is_some_and(|t| t.has_trees());
    let open = state
        .reader
        .as_ref()
        .filter(|_| !trees)
        .map(|r| (r.entry, own_part(state, r.entry, r.doc.annotations())));
    let mut all: Vec<&ArticleFigures> = parts
        .iter()
        .filter(|(e, _)| open.as_ref().is_none_or(|(o, _)| o != *e))
        .map(|(_, f)| f)
        .collect();
    if let Some((_, f)) = &open {
        all.push(f);
    }
    ProjectStats::of(state.articles.len(), all)
}

/// Draw the dashboard over the screen.
pub fn draw(frame: &mut Frame, state: &State) {
    let screen = frame.area();
    let area = Rect::new(
        screen.x,
        screen.y,
        screen.width,
        screen.height.saturating_sub(1),
    );
    frame.render_widget(Clear, area);
    let counting = if state.project_counting {
        " counting…"
    } else {
        ""
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" Dashboard{counting} (any key closes) "));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let s = state
        .project_stats
        .clone()
        .unwrap_or_else(|| figures(state));
    let annotators = s.by_annotator.len().max(s.queues.len()).min(6) as u16;
    let agreement = s.agreement.as_ref().map_or(0, |g| 1 + g.pairs.len().min(3)) as u16;
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(6),
            Constraint::Length(1 + annotators.max(1)),
            Constraint::Length(agreement),
            Constraint::Length(3),
            Constraint::Min(0),
        ])
        .split(inner);
    // how far: done or reviewed of all
    let ratio = if s.articles == 0 {
        0.0
    } else {
        s.finished as f64 / s.articles as f64
    };
    frame.render_widget(
        Gauge::default().ratio(ratio.clamp(0.0, 1.0)).label(format!(
            "{} of {} articles done or reviewed ({:.0}%) · {} tags · {} active",
            s.finished,
            s.articles,
            ratio * 100.0,
            s.tags,
            duration_text(s.seconds)
        )),
        rows[0],
    );
    let halves = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(rows[1]);
    let status_bars: Vec<Bar> = s
        .by_status
        .iter()
        .map(|(name, &n)| Bar::with_label(name.clone(), n as u64).text_value(n.to_string()))
        .collect();
    frame.render_widget(
        BarChart::horizontal(status_bars)
            .bar_gap(0)
            .block(Block::default().title("Articles by status")),
        halves[0],
    );
    let label_bars: Vec<Bar> = s
        .by_label
        .iter()
        .map(|(name, l)| {
            Bar::with_label(sanitize_inline(name), l.tags as u64)
                .text_value(format!("{} in {}", l.tags, l.articles))
        })
        .collect();
    frame.render_widget(
        BarChart::horizontal(label_bars)
            .bar_gap(0)
            .block(Block::default().title("Tags per label (in articles)")),
        halves[1],
    );
    // the annotators, with their queues where there is an assignment
    let queues = !s.queues.is_empty();
    let mut lines = vec![Line::styled(
        format!(
            "{} {:>8} {:>5} {:>6} {:>8} {:>7}{}",
            sanitize_inline_padded("annotator", 16),
            "articles",
            "done",
            "tags",
            "time",
            "tags/h",
            if queues { "   queue" } else { "" }
        ),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    let mut names: Vec<&String> = s.by_annotator.keys().chain(s.queues.keys()).collect();
    names.sort();
    names.dedup();
    for name in names.into_iter().take(6) {
        let a = s.by_annotator.get(name).cloned().unwrap_or_default();
        let done = a.by_status.get("done").copied().unwrap_or(0)
            + a.by_status.get("reviewed").copied().unwrap_or(0);
        let queue = match s.queues.get(name) {
            Some(q) => format!(" {:>7}", format!("{}/{}", q.finished, q.assigned)),
            None if queues => format!(" {:>7}", "-"),
            None => String::new(),
        };
        lines.push(Line::raw(format!(
            "{} {:>8} {:>5} {:>6} {:>8} {:>7}{queue}",
            sanitize_inline_padded(name, 16),
            a.articles,
            done,
            a.tags,
            duration_text(a.seconds),
            a.tags_per_hour
        )));
    }
    frame.render_widget(Paragraph::new(lines), rows[2]);
    // agreement on the shared articles
    if let Some(g) = &s.agreement {
        let mut lines = vec![Line::styled(
            format!(
                "Agreement on {} shared article(s): α {:.3}",
                g.articles, g.alpha
            ),
            Style::new().add_modifier(Modifier::BOLD),
        )];
        for p in g.pairs.iter().take(3) {
            lines.push(Line::raw(format!(
                "  {} / {}: κ {:.3} ({} articles)",
                sanitize_inline(&p.first),
                sanitize_inline(&p.second),
                p.kappa,
                p.articles
            )));
        }
        frame.render_widget(Paragraph::new(lines), rows[3]);
    }
    // tags made per day
    let days: Vec<u64> = s.by_day.values().map(|d| d.tags as u64).collect();
    let span = match (s.by_day.keys().next(), s.by_day.keys().last()) {
        (Some(a), Some(b)) => format!("Tags per day, {a} to {b}"),
        _ => "Tags per day: none yet".to_string(),
    };
    let keep = (rows[4].width as usize).min(days.len());
    frame.render_widget(
        Sparkline::default()
            .data(&days[days.len() - keep..])
            .block(Block::default().title(span)),
        rows[4],
    );
    // article labels
    let mut lines = Vec::new();
    for (cat, values) in &s.by_category {
        let vs: Vec<String> = values
            .iter()
            .map(|(v, n)| format!("{} {n}", sanitize_inline(v)))
            .collect();
        lines.push(Line::raw(format!(
            "{}: {}",
            sanitize_inline(cat),
            vs.join(", ")
        )));
    }
    frame.render_widget(Paragraph::new(lines), rows[5]);
}
