//! `gloss stats`: articles, tags per label and the most frequent people.

use std::path::PathBuf;

use clap::Args;

use super::corpus::{Corpus, warn};
use super::progress::Progress;
use crate::export::stats::{Stats, StatsBuilder};
use crate::export::{Record, TagFilter};
use crate::text::sanitize_inline;

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    /// How many people to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Skip unreadable articles or sidecars instead of failing.
    #[arg(long)]
    pub keep_going: bool,
    /// Read sidecars from this mirror folder.
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
}

pub fn run(args: StatsArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    corpus.report_problems(args.keep_going)?;
    let (dirs, paths) = (&corpus.dirs, &corpus.articles);
    let mut b = StatsBuilder::new("PERSON");
    let mut progress = Progress::new("reading", paths.len());
    for p in paths.iter() {
        let p = &p;
        let mut warnings = Vec::new();
        match Record::load(dirs, p, &TagFilter::default(), &mut warnings) {
            Ok(d) => b.add(&d),
            Err(e) if args.keep_going => {
                progress.clear();
                warn(&format!("skipped: {e}"));
                b.skip();
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
    let stats = b.finish(args.top);
    let text = if args.json {
        crate::export::json::to_string_pretty(&stats)? + "\n"
    } else {
        table(&stats)
    };
    use std::io::Write;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
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
    if !s.top_people.is_empty() {
        let _ = writeln!(out, "\nmost frequent people      mentions  articles");
        for p in &s.top_people {
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
