//! `gloss suggest`: batch pre-annotation. Suggestions (patterns, the corpus's gazetteer and, with
//! `--model`, the model learnt from its finished articles) are stored in the sidecars, to be
//! accepted in the TUI; nothing becomes a tag here. Which suggestions count is the document's rule
//! (the reader's): not over a tag of their label, not rejected.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;

use super::corpus::{Corpus, warn};
use super::progress::Progress;
use gloss_core::corpus::CorpusConfig;
use gloss_core::store::Document;
use gloss_core::store::tag_index::{self, IndexEvent};
use gloss_core::suggest::Suggester;

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// Only these labels, comma-separated (case does not matter).
    #[arg(long, value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
    /// Keep sidecars in this mirror folder (as `gloss --annotations`).
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
    /// Also suggest what the model learnt from the corpus's reviewed and done articles suggests
    /// (trained now, or taken from the cache when those articles are unchanged).
    #[arg(long)]
    pub model: bool,
    /// Print no progress bar and no summary (warnings and errors are still said on stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: SuggestArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    corpus.report_problems(true)?;
    let CorpusConfig {
        labels, patterns, ..
    } = CorpusConfig::load(&corpus.root)?;
    let chosen = match &args.labels {
        Some(ls) => Some(labels.resolve(ls).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let chosen = |l: &str| chosen.as_ref().is_none_or(|ls| ls.iter().any(|x| x == l));
    let mut suggester = Suggester::new(&patterns).map_err(|e| anyhow::anyhow!(e))?;
    let (dirs, paths) = (&corpus.dirs, &corpus.articles);
    // First pass: the gazetteer, every text tagged in the corpus.
    let mut gazetteer = Vec::new();
    for ev in tag_index::spawn(dirs.clone(), paths.to_vec()) {
        if let IndexEvent::Tags { tags, .. } = ev {
            gazetteer.extend(tags.into_iter().map(|t| (t.label, t.text)));
        }
    }
    suggester.set_gazetteer(gazetteer);
    if args.model {
        let cache = gloss_core::training::cache::path(
            &gloss_core::settings::Dirs::from_env().cache,
            &corpus.root,
            args.annotations.as_deref(),
        );
        let started = std::time::Instant::now();
        match gloss_core::training::load_or_train(dirs, &paths.to_vec(), &patterns, Some(&cache))? {
            Some(m) if args.quiet => suggester.set_model(Some(std::sync::Arc::new(m))),
            Some(m) => {
                eprintln!(
                    "gloss: model for {} ready in {:.1} s",
                    gloss_core::text::sanitize_inline(&m.labels().join(", ")),
                    started.elapsed().as_secs_f64()
                );
                suggester.set_model(Some(std::sync::Arc::new(m)));
            }
            None => warn(
                "no model: no article is marked done or reviewed with tags to learn from (m d in the reader)",
            ),
        }
    }
    // Second pass: suggestions into each sidecar, through the core document (which re-anchors an
    // edited article's tags before anything is written).
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_source: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut articles, mut problems) = (0, 0);
    let mut progress = Progress::new("suggesting", paths.len()).quiet(args.quiet);
    for p in paths.iter() {
        let p = &p;
        progress.tick();
        let mut skip = |e: &dyn std::fmt::Display| {
            progress.clear();
            warn(&format!("skipped (its sidecar is left untouched): {e}"));
            problems += 1;
        };
        let mut doc = match Document::open_checked(dirs, p) {
            Ok(d) => d,
            Err(e) => {
                skip(&e);
                continue;
            }
        };
        if doc.read_only().is_some() {
            continue;
        }
        let mut found = suggester.suggest(doc.text());
        found.retain(|s| chosen(&s.label));
        let found = doc.open_suggestions(found, &labels);
        if let Some(c) = doc.store_suggestions(&found) {
            doc.edit(vec![c]);
        }
        // a batch can wait longer for a lock than a keystroke can
        if doc.is_unsaved()
            && let Err(e) = doc.save_within(std::time::Duration::from_secs(10))
        {
            skip(&e);
            continue;
        }
        for s in &found {
            *counts.entry(s.label.clone()).or_insert(0) += 1;
            *by_source.entry(s.source.name()).or_insert(0) += 1;
        }
        articles += usize::from(!found.is_empty());
    }
    progress.clear();
    if args.quiet {
        return Ok(());
    }
    let total: usize = counts.values().sum();
    println!(
        "{total} suggestions in {articles} of {} articles",
        paths.len()
    );
    for (l, n) in &counts {
        println!("  {:<16}{n:>8}", gloss_core::text::sanitize_inline(l));
    }
    if !by_source.is_empty() {
        let parts: Vec<String> = by_source.iter().map(|(s, n)| format!("{s} {n}")).collect();
        println!("  from: {}", parts.join(", "));
    }
    if problems > 0 {
        println!("{problems} article(s) skipped (see above)");
    }
    Ok(())
}
