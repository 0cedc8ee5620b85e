//! `gloss suggest`: batch pre-annotation. Suggestions (patterns and the corpus's gazetteer) are
//! stored in the sidecars, to be accepted in the TUI; nothing becomes a tag here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;

use super::progress::Progress;
use crate::annotation::SpanRef;
use crate::corpus::CorpusConfig;
use crate::corpus::{Article, discover};
use crate::store::{Sidecar, sidecar_path, sync};
use crate::suggest::Suggester;
use crate::text::{CharIndex, escape_path, sanitize_inline};

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// Only these labels, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
    /// Keep sidecars in this mirror folder (as `gloss --annotations`).
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
}

pub fn run(args: SuggestArgs) -> anyhow::Result<()> {
    let root = args
        .dir
        .canonicalize()
        .with_context(|| format!("{}: cannot open the corpus folder", escape_path(&args.dir)))?;
    let CorpusConfig { labels, patterns } = CorpusConfig::load(&root)?;
    if let Some(ls) = &args.labels {
        for l in ls {
            if labels.get(l).is_none() {
                bail!("unknown label {l:?}");
            }
        }
    }
    let keep = |l: &str| {
        labels.get(l).is_some()
            && args
                .labels
                .as_ref()
                .is_none_or(|ls| ls.iter().any(|x| x == l))
    };
    let mut suggester = Suggester::new(&patterns).map_err(|e| anyhow::anyhow!(e))?;
    let paths = discover(&root)?;
    let annotations = args.annotations.as_deref();
    // First pass: the gazetteer, every text tagged in the corpus.
    let mut gazetteer = Vec::new();
    for p in &paths {
        if let Ok(Some(sc)) = Sidecar::load(&sidecar_path(&root, p, annotations)) {
            gazetteer.extend(
                sc.tags
                    .into_iter()
                    .filter(|t| !t.orphaned && !t.is_rejected())
                    .map(|t| (t.label, t.text)),
            );
        }
    }
    suggester.set_gazetteer(gazetteer);
    // Second pass: suggestions into each sidecar.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut articles, mut problems) = (0, 0);
    let mut progress = Progress::new("suggesting", paths.len());
    for p in &paths {
        progress.tick();
        let Ok(article) = Article::read(p) else {
            problems += 1;
            continue;
        };
        if article.lossy {
            continue;
        }
        let index = CharIndex::new(&article.text);
        let suggested: Vec<SpanRef> = suggester
            .suggest(&article.text)
            .into_iter()
            .filter(|s| keep(&s.label))
            .map(|s| SpanRef {
                label: s.label,
                start: index.byte_to_char(&article.text, s.bytes.start),
                end: index.byte_to_char(&article.text, s.bytes.end),
                text: article.text[s.bytes].to_string(),
            })
            .collect();
        let mut found = Vec::new();
        let result = sync::update(
            &sidecar_path(&root, p, annotations),
            p,
            &article.text,
            |set| {
                found = suggested
                    .into_iter()
                    .filter(|s| set.wants_suggestion(&s.label, &(s.start..s.end)))
                    .collect();
                let changed = set.article.suggested != found;
                set.article.suggested = found.clone();
                changed
            },
        );
        if let Err(e) = result {
            progress.clear();
            eprintln!(
                "gloss: skipped (its sidecar is left untouched): {}",
                sanitize_inline(&e.to_string())
            );
            problems += 1;
            continue;
        }
        for s in &found {
            *counts.entry(s.label.clone()).or_insert(0) += 1;
        }
        articles += usize::from(!found.is_empty());
    }
    progress.clear();
    let total: usize = counts.values().sum();
    println!(
        "{total} suggestions in {articles} of {} articles",
        paths.len()
    );
    for (l, n) in &counts {
        println!("  {l:<16}{n:>8}");
    }
    if problems > 0 {
        println!("{problems} article(s) skipped (see above)");
    }
    Ok(())
}
