//! `gloss stats`: articles, tags per label and the most frequent people; with `--by entity`, figures
//! per entity (mentions, articles, directives issued, tasks assigned, what points at it).

use std::path::PathBuf;

use clap::Args;

use super::corpus::{Corpus, warn};
use super::progress::Progress;
use gloss_core::export::{Record, TagFilter};
use gloss_core::formats::graph::GraphBuilder;
use gloss_core::project::{ProjectStats, duration_text};
use gloss_core::stats::{EntityCount, EntityStats, Stats, StatsBuilder, entity_stats};
use gloss_core::text::{sanitize_inline, sanitize_inline_padded};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    /// How many people (or, with --by entity, entities) to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// `label` (the default: tags per label, the most frequent people), `entity` (per entity of
    /// entities.ron, and per label and text for tags linked to none: mentions, articles,
    /// directives issued, tasks assigned, and what points at it), or the project's figures, which
    /// the TUI's dashboard (D) draws: `annotator` (articles, statuses, tags, active time, tags per
    /// hour), `day` (tags made and active time), `status` (articles) or `category` (article
    /// labels); with --json these print all the project's figures.
    #[arg(long, value_enum, default_value_t = By::Label)]
    pub by: By,
    /// Skip unreadable articles or sidecars instead of failing.
    #[arg(long)]
    pub keep_going: bool,
    /// Read sidecars from this mirror folder.
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
}

/// What `gloss stats` groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Label,
    Entity,
    Annotator,
    Day,
    Status,
    Category,
}

pub fn run(args: StatsArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    corpus.report_problems(args.keep_going)?;
    if args.by == By::Entity {
        return by_entity(&args, &corpus);
    }
    if matches!(args.by, By::Annotator | By::Day | By::Status | By::Category) {
        return project(&args, &corpus);
    }
    let mut b = StatsBuilder::new("PERSON");
    // (entities name their rows; an unreadable registry is said, and the rows go by text)
    match gloss_core::entity::Registry::load(&corpus.root) {
        Ok(r) => b = b.with_registry(r),
        Err(e) => warn(&format!("{e}: rows are not grouped by entity")),
    }
    for_each_record(&args, &corpus, |d| match d {
        Some(d) => b.add(&d),
        None => b.skip(),
    })?;
    let stats = b.finish(args.top);
    let text = if args.json {
        gloss_core::json::to_string_pretty(&stats)? + "\n"
    } else {
        table(&stats)
    };
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// The project's figures, from each article's sidecar (as the dashboard counts them).
fn project(args: &StatsArgs, corpus: &Corpus) -> anyhow::Result<()> {
    let team = gloss_core::project::Team::open(&corpus.dirs)?;
    let mut parts = Vec::new();
    let mut progress = Progress::new("reading", corpus.articles.len());
    for p in corpus.articles.iter() {
        match team.figures_of(&p) {
            Ok(Some(f)) => parts.push(f),
            Ok(None) => {}
            Err(e) if args.keep_going => {
                progress.clear();
                warn(&format!("skipped: {e}"));
            }
            Err(e) => return Err(e.into()),
        }
        progress.tick();
    }
    progress.clear();
    let s = ProjectStats::of(corpus.articles.len(), &parts);
    let text = if args.json {
        gloss_core::json::to_string_pretty(&s)? + "\n"
    } else {
        project_table(&s, args.by)
    };
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// The project's figures as a table, grouped as asked.
pub fn project_table(s: &ProjectStats, by: By) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let pct = |n: usize| n * 100 / s.articles.max(1);
    let _ = writeln!(
        out,
        "{} articles, {} done or reviewed ({}%), {} tags, {} active",
        s.articles,
        s.finished,
        pct(s.finished),
        s.tags,
        duration_text(s.seconds)
    );
    match by {
        By::Annotator => {
            let queues = !s.queues.is_empty();
            let _ = writeln!(
                out,
                "\n{} articles  done  tags      time  tags/h{}",
                sanitize_inline_padded("annotator", 20),
                if queues { "  queue done" } else { "" }
            );
            let mut names: Vec<&String> = s.by_annotator.keys().chain(s.queues.keys()).collect();
            names.sort();
            names.dedup();
            for name in names {
                let a = s.by_annotator.get(name).cloned().unwrap_or_default();
                let done = a.by_status.get("done").copied().unwrap_or(0)
                    + a.by_status.get("reviewed").copied().unwrap_or(0);
                let queue = match s.queues.get(name) {
                    Some(q) => format!("  {:>5}/{}", q.finished, q.assigned),
                    None if queues => "      -".to_string(),
                    None => String::new(),
                };
                let _ = writeln!(
                    out,
                    "{} {:>8} {:>5} {:>5} {:>9} {:>7}{queue}",
                    sanitize_inline_padded(name, 20),
                    a.articles,
                    done,
                    a.tags,
                    duration_text(a.seconds),
                    a.tags_per_hour
                );
            }
            if let Some(g) = &s.agreement {
                let _ = writeln!(
                    out,
                    "\nagreement on {} shared article(s), tokens IOB: Krippendorff's alpha {:.3}",
                    g.articles, g.alpha
                );
                for p in &g.pairs {
                    let _ = writeln!(
                        out,
                        "  {} / {}: Cohen's kappa {:.3} over {} article(s), {} tokens",
                        sanitize_inline(&p.first),
                        sanitize_inline(&p.second),
                        p.kappa,
                        p.articles,
                        p.tokens
                    );
                }
            }
        }
        By::Day => {
            let _ = writeln!(out, "\nday          tags       time");
            for (day, d) in &s.by_day {
                let _ = writeln!(
                    out,
                    "{} {:>6} {:>10}",
                    sanitize_inline_padded(day, 10),
                    d.tags,
                    duration_text(d.seconds)
                );
            }
        }
        By::Status => {
            let _ = writeln!(out, "\nstatus       articles");
            for (st, n) in &s.by_status {
                let _ = writeln!(out, "{st:<12} {n:>8}  {:>3}%", pct(*n));
            }
        }
        _ => {
            let _ = writeln!(out, "\ncategory     value            articles");
            for (cat, values) in &s.by_category {
                for (v, n) in values {
                    let _ = writeln!(
                        out,
                        "{} {} {n:>8}",
                        sanitize_inline_padded(cat, 12),
                        sanitize_inline_padded(v, 16)
                    );
                }
            }
        }
    }
    out
}

fn by_entity(args: &StatsArgs, corpus: &Corpus) -> anyhow::Result<()> {
    let registry = gloss_core::entity::Registry::load(&corpus.root)?;
    let mut g = GraphBuilder::new(&registry);
    let (mut articles, mut skipped) = (0, 0);
    for_each_record(args, corpus, |d| match d {
        Some(d) => {
            g.add(&d);
            articles += 1;
        }
        None => skipped += 1,
    })?;
    let stats = entity_stats(&g.finish(), articles, skipped, args.top);
    let text = if args.json {
        gloss_core::json::to_string_pretty(&stats)? + "\n"
    } else {
        entity_table(&stats)
    };
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}

/// Read every article of the corpus with its checked tags and hand it to `add`, saying what had
/// to be left out; an unreadable one stops the stats, or with `--keep-going` is said and handed
/// over as `None` (skipped).
fn for_each_record(
    args: &StatsArgs,
    corpus: &Corpus,
    mut add: impl FnMut(Option<Record>),
) -> anyhow::Result<()> {
    let mut progress = Progress::new("reading", corpus.articles.len());
    for p in corpus.articles.iter() {
        let mut warnings = Vec::new();
        match Record::load(&corpus.dirs, &p, &TagFilter::default(), &mut warnings) {
            Ok(d) => add(Some(d)),
            Err(e) if args.keep_going => {
                progress.clear();
                warn(&format!("skipped: {e}"));
                add(None);
            }
            Err(e) => return Err(e.into()),
        }
        for w in warnings {
            progress.clear();
            warn(&w);
        }
        progress.tick();
    }
    progress.clear();
    Ok(())
}

/// The entity figures as a readable table.
pub fn entity_table(s: &EntityStats) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} articles, {} entities, {} relations",
        s.articles, s.total_entities, s.relations
    );
    if s.skipped > 0 {
        let _ = writeln!(out, "skipped {} articles", s.skipped);
    }
    if s.entities.is_empty() {
        return out;
    }
    // the id and the label whole (an id cut is no id), the name cut past 32 columns; two spaces
    // between columns
    use unicode_width::UnicodeWidthStr;
    let col = |f: &dyn Fn(&EntityCount) -> String, head: &str| {
        s.entities
            .iter()
            .map(|e| sanitize_inline(&f(e)).width())
            .chain([head.width()])
            .max()
            .unwrap_or(0)
    };
    let id_w = col(&|e| e.id.clone(), "entity");
    let label_w = col(&|e| e.label.clone(), "label");
    let figures = "mentions  articles  issues  assigns";
    let name_w = col(&|e| e.name.clone(), "name").min(32);
    let _ = writeln!(
        out,
        "\n{}  {}  {}  {figures}",
        sanitize_inline_padded("entity", id_w),
        sanitize_inline_padded("label", label_w),
        sanitize_inline_padded("name", name_w)
    );
    for e in &s.entities {
        let _ = writeln!(
            out,
            "{}  {}  {}  {:>8}  {:>8}  {:>6}  {:>7}",
            sanitize_inline_padded(&e.id, id_w),
            sanitize_inline_padded(&e.label, label_w),
            sanitize_inline_padded(&e.name, name_w),
            e.mentions,
            e.articles,
            e.directives_issued,
            e.tasks_assigned
        );
        for i in &e.pointed_at_by {
            let _ = writeln!(
                out,
                "    ← {} {} ({}) ×{}",
                sanitize_inline(&i.relation),
                sanitize_inline(&i.name),
                sanitize_inline(&i.from),
                i.count
            );
        }
    }
    if s.total_entities > s.entities.len() {
        let _ = writeln!(
            out,
            "… and {} more (--top N lists more)",
            s.total_entities - s.entities.len()
        );
    }
    out
}

/// The stats as a readable table.
pub fn table(s: &Stats) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "articles          {:>8}", s.articles);
    let _ = writeln!(out, "tagged articles   {:>8}", s.tagged_articles);
    let _ = writeln!(out, "tags              {:>8}", s.tags);
    for (l, n) in &s.tags_per_label {
        let _ = writeln!(out, "  {:<16}{:>8}", sanitize_inline(l), n);
    }
    if s.skipped > 0 {
        let _ = writeln!(out, "skipped           {:>8}", s.skipped);
    }
    for (heading, rows) in [
        ("most frequent people    ", &s.top_people),
        ("most frequent directives", &s.top_directives),
    ] {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading}  mentions  articles");
        for p in rows {
            let name = sanitize_inline(&p.name);
            let pad = 24usize.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
            let _ = writeln!(
                out,
                "  {name}{}{:>8}  {:>8}",
                " ".repeat(pad),
                p.mentions,
                p.articles
            );
        }
    }
    out
}
