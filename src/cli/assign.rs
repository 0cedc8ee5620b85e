//! `gloss assign`: give the corpus's articles out to annotators, a share of them to two for
//! agreement (or every article to K), in the corpus's `assignment.ron` over the core's
//! [`gloss_core::assignment`]. Run again, it keeps every past assignment and gives out only the
//! articles that are new.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::corpus::{Corpus, warn};
use gloss_core::assignment::{Assignment, Share, check_name};
use gloss_core::corpus::config::annotator_tree;
use gloss_core::corpus::list::ListFilter;
use gloss_core::corpus::{ArticleList, CorpusConfig};
use gloss_core::export::document_id;
use gloss_core::store::{SidecarDirs, scan};
use gloss_core::text::{escape_path, sanitize_inline};

#[derive(Debug, Args)]
#[command(after_help = "\
The assignment is assignment.ron at the corpus root, one article per line (git merges it with \
gloss's merge driver, see gloss git-setup). Run again after articles are added: they are given \
out, and every past assignment stays. The same corpus, seed and options give the same file.

In the TUI an annotator named in it sees their queue (the list filter assigned:me); \
gloss agree compares the shared articles.

Examples:
  gloss assign news --annotators lan,minh,thu --overlap 0.1 --seed 7
  gloss assign news --annotators lan,minh --per-article 2 --only status:new
  gloss assign news                  (after new articles: same annotators, share and seed)")]
pub struct AssignArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// Who gets the new articles, comma separated (default: everyone the assignment names).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub annotators: Option<Vec<String>>,
    /// The share of the articles (0 to 1) given to two annotators, set aside for agreement; the
    /// rest go to one each. Default: the assignment's, else 0.
    #[arg(long, value_name = "SHARE", conflicts_with = "per_article")]
    pub overlap: Option<f64>,
    /// Give every article to K annotators.
    #[arg(long, value_name = "K")]
    pub per_article: Option<usize>,
    /// The seed that orders the articles and breaks ties (default: the assignment's, else 0).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Give out only the articles this list filter keeps (the TUI's: words, status:new,
    /// has:PERSON, no:TASK, by:NAME); with annotator trees, an article passes when it passes in
    /// any annotator's tree.
    #[arg(long, value_name = "FILTER")]
    pub only: Option<String>,
    /// Sidecars in a mirror tree under this folder (what --only reads).
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
    /// Say what would be assigned; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    /// Go on when files or folders of the corpus cannot be read.
    #[arg(long)]
    pub keep_going: bool,
}

pub fn run(args: AssignArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    corpus.report_problems(args.keep_going)?;
    let root = &corpus.root;
    let file = Assignment::path(root);
    let lock = if args.dry_run {
        None
    } else {
        Some(Assignment::lock(root)?)
    };
    let existing = Assignment::load(root).map_err(|e| {
        anyhow::anyhow!(
            "{e}: left as it is (gloss assign never writes over an assignment it cannot read: fix it, or move it away to start again)"
        )
    })?;
    let among: Vec<String> = match (&args.annotators, &existing) {
        (Some(names), _) => names.iter().map(|n| n.trim().to_string()).collect(),
        (None, Some(a)) => a.annotators.clone(),
        (None, None) => bail!(
            "{}: no assignment yet: say who gets the articles with --annotators a,b,c",
            escape_path(&file)
        ),
    };
    let mut seen = BTreeSet::new();
    for n in &among {
        check_name(n).map_err(|m| anyhow::anyhow!("--annotators: {m}"))?;
        if !seen.insert(n) {
            bail!("--annotators: {} is named twice", sanitize_inline(n));
        }
    }
    let share = match (args.overlap, args.per_article) {
        (Some(f), _) => Share::Overlap(f),
        (None, Some(k)) => Share::PerArticle(k),
        (None, None) => existing.as_ref().map_or(Share::Overlap(0.0), |a| a.share),
    };
    share
        .check(among.len())
        .map_err(|m| anyhow::anyhow!("{m}"))?;
    let seed = args.seed.or(existing.as_ref().map(|a| a.seed)).unwrap_or(0);
    let mut assignment = match &existing {
        Some(a) => Assignment {
            share,
            seed,
            ..a.clone()
        },
        None => Assignment::new(among.clone(), share, seed).map_err(|m| anyhow::anyhow!("{m}"))?,
    };
    let ids: Vec<String> = corpus
        .articles
        .iter()
        .map(|p| document_id(root, &p))
        .collect();
    let present: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    let eligible: Vec<String> = match &args.only {
        None => ids.clone(),
        Some(only) => {
            let filter = ListFilter::parse(only);
            if let Some(u) = filter.unknown.first() {
                bail!("--only: {u}");
            }
            let kept = filtered(&corpus, &filter, &assignment, &among)?;
            kept.into_iter().map(|i| ids[i].clone()).collect()
        }
    };
    let new = assignment
        .assign(&eligible, &|id| present.contains(id), &among)
        .map_err(|m| anyhow::anyhow!("{m}"))?;
    let changed = existing.as_ref() != Some(&assignment);
    if let Some(lock) = &lock
        && changed
    {
        assignment.save(root, lock)?;
    }
    let counts = assignment.counts(&|id| present.contains(id));
    let in_corpus = assignment
        .articles
        .keys()
        .filter(|id| present.contains(id.as_str()))
        .count();
    let shared = assignment
        .overlapped()
        .filter(|(id, _)| present.contains(id.as_str()))
        .count();
    let gone = assignment.articles.len() - in_corpus;
    let unassigned = ids.len() - in_corpus;
    if args.json {
        let j = serde_json::json!({
            "file": escape_path(&file),
            "written": changed && !args.dry_run,
            "new": new.len(),
            "articles": in_corpus,
            "shared": shared,
            "unassigned": unassigned,
            "gone": gone,
            "seed": seed,
            "annotators": counts.iter().map(|c| serde_json::json!({
                "annotator": c.annotator,
                "articles": c.articles,
                "shared": c.overlap,
            })).collect::<Vec<_>>(),
        });
        println!("{}", gloss_core::json::to_string_pretty(&j)?);
        return Ok(());
    }
    let verb = if args.dry_run {
        "would be assigned (nothing written: --dry-run)"
    } else if changed {
        "assigned"
    } else {
        "assigned (nothing new: file unchanged)"
    };
    println!(
        "{}: {} new article(s) {verb}; {in_corpus} of the corpus's {} assigned, {shared} shared by two annotators or more (seed {seed})",
        escape_path(&file),
        new.len(),
        ids.len(),
    );
    let width = counts
        .iter()
        .map(|c| c.annotator.chars().count())
        .max()
        .unwrap_or(0);
    for c in &counts {
        println!(
            "  {:<width$}  {:>6} article(s)  {:>5} shared",
            sanitize_inline(&c.annotator),
            c.articles,
            c.overlap,
        );
    }
    if unassigned > 0 {
        println!(
            "{unassigned} article(s) not assigned{}",
            if args.only.is_some() {
                " (left out by --only)"
            } else {
                ""
            }
        );
    }
    if gone > 0 {
        warn(&format!(
            "{gone} assigned article(s) are no longer in the corpus: kept in the assignment, not counted"
        ));
    }
    Ok(())
}

/// The positions of the articles `filter` keeps, their sidecars read where the corpus keeps them:
/// beside the articles or under `--annotations`; with annotator trees (and no `--annotations`),
/// in each annotator's tree, an article kept if any tree keeps it.
fn filtered(
    corpus: &Corpus,
    filter: &ListFilter,
    assignment: &Assignment,
    among: &[String],
) -> anyhow::Result<BTreeSet<usize>> {
    let config = CorpusConfig::load(&corpus.root)?;
    let trees: Vec<SidecarDirs> = match (&config.annotator_trees, &corpus.dirs.annotations) {
        (Some(trees), None) => {
            let mut names: Vec<&String> = assignment.annotators.iter().chain(among).collect();
            names.sort();
            names.dedup();
            names
                .into_iter()
                .map(|n| {
                    let tree = annotator_tree(&corpus.root, trees, n);
                    SidecarDirs::new(&corpus.root, Some(&tree))
                })
                .collect()
        }
        _ => vec![corpus.dirs.clone()],
    };
    let mut kept = BTreeSet::new();
    for dirs in &trees {
        let mut list = ArticleList::from_paths(corpus.articles.clone());
        for i in 0..list.len() {
            let s = scan::summarize(dirs, &list.path(i)).summary;
            if let Some(p) = &s.problem {
                warn(&format!("{}: {p}", escape_path(&list.path(i))));
            }
            list.set_summary(i, s);
        }
        let assigned = assignment.assigned_in(&list, None);
        list.set_assigned(Some(assigned));
        kept.extend(list.filter(filter));
    }
    Ok(kept)
}
