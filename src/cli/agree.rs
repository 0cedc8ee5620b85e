//! `gloss agree`: how far annotators agree. Span by span (precision, recall and F1 of each
//! annotator against the first, exact and overlapping, and the labels they disagree on, as `gloss
//! eval` reports them), and token by token (Cohen's κ for two annotators, Krippendorff's α for two or
//! more, over the CoNLL export's tokens labelled IOB), with the articles they agree on least; and
//! relation by relation (a relation matches when its type and both ends' spans, label and offsets,
//! are equal): precision, recall and F1 per relation type and over all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;

use super::corpus::{Corpus, report_skipped};
use gloss_core::agreement::{
    RelationAgreement, RelationKey, cohen_kappa, krippendorff_alpha, relation_agreement,
    relation_keys, token_labels, tokens,
};
use gloss_core::annotation::{Annotation, Status};
use gloss_core::assignment::Assignment;
use gloss_core::corpus::CorpusConfig;
use gloss_core::corpus::assigned::ASSIGNMENT_FILE;
use gloss_core::error::Unreadable;
use gloss_core::eval::{self, ArticleSpans, Span};
use gloss_core::export::document_id;
use gloss_core::store::{Document, SidecarDirs};
use gloss_core::text::{escape_path, sanitize_inline};

#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// An annotator's sidecar folder (a mirror tree); two or more. The first is the reference the
    /// others are scored against. Without it, in a corpus with `annotator_trees`, every
    /// annotator's tree there, in name order.
    #[arg(long = "annotations", value_name = "DIR", num_args = 1)]
    pub annotations: Vec<PathBuf>,
    /// Only articles every annotator has given one of these statuses (e.g. done); without it, the
    /// articles every annotator has touched.
    #[arg(long, value_delimiter = ',', value_parser = parse_status)]
    pub status: Option<Vec<Status>>,
    /// Compare every article all annotators tagged, not only those the corpus's assignment
    /// (assignment.ron) shares among them, which are the default when there is one.
    #[arg(long)]
    pub all_articles: bool,
    /// How many of the least agreed articles to list.
    #[arg(long, default_value_t = 5)]
    pub worst: usize,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    /// Skip (and list) articles, sidecars and folders that cannot be read, instead of stopping.
    #[arg(long)]
    pub keep_going: bool,
}

/// The articles an assignment shares among the annotators compared.
struct Scope {
    ids: BTreeSet<String>,
    /// What they are, for messages.
    what: String,
}

/// With an assignment (and without `--all-articles`): the articles it gives to every annotator
/// named (the trees' folder names, which are the annotators' names in a corpus with annotator
/// trees), or, when it does not name them all, those it gives to two annotators or more.
fn assignment_scope(root: &Path, names: &[String], all: bool) -> anyhow::Result<Option<Scope>> {
    if all {
        return Ok(None);
    }
    let Some(a) = Assignment::load(root)? else {
        return Ok(None);
    };
    let named: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| a.annotators.iter().any(|x| x == n))
        .collect();
    Ok(Some(if named.len() == names.len() {
        Scope {
            ids: a.shared_by(&named).into_iter().map(String::from).collect(),
            what: format!("article(s) {ASSIGNMENT_FILE} gives to all of them"),
        }
    } else {
        Scope {
            ids: a.overlapped().map(|(id, _)| id.clone()).collect(),
            what: format!(
                "article(s) {ASSIGNMENT_FILE} gives to two annotators or more (it does not name every annotator compared)"
            ),
        }
    }))
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| format!("unknown status {s:?}"))
}

/// One article as every annotator tagged it.
struct Compared {
    file: String,
    text: String,
    /// Per annotator, in the order given.
    tags: Vec<Vec<Annotation>>,
    /// Per annotator: the relations among those tags.
    relations: Vec<Vec<RelationKey>>,
    /// Per annotator: the article's labels.
    categories: Vec<gloss_core::annotation::Categories>,
}

#[derive(Serialize)]
struct JsonArticle {
    file: String,
    kappa: Option<f64>,
    alpha: f64,
}

pub fn run(mut args: AgreeArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, None)?;
    if args.annotations.is_empty() {
        // a team's corpus: every annotator's tree
        let team = gloss_core::project::Team::with_assignment(&corpus.dirs, None)?;
        args.annotations = team
            .trees()
            .filter_map(|(_, d)| d.annotations.clone())
            .collect();
        if team.has_trees() && args.annotations.len() < 2 {
            bail!(
                "agreement needs two annotators or more: the corpus's annotator trees hold {}",
                args.annotations.len()
            );
        }
    }
    if args.annotations.len() < 2 {
        bail!("agreement needs two annotators or more: give --annotations twice");
    }
    corpus.report_problems(args.keep_going)?;
    let names: Vec<String> = args
        .annotations
        .iter()
        .map(|p| {
            p.file_name()
                .map_or_else(|| escape_path(p), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let trees: Vec<SidecarDirs> = args
        .annotations
        .iter()
        .map(|p| SidecarDirs::new(&corpus.root, Some(p)))
        .collect();
    if let Some(p) = args.annotations.iter().find(|p| !p.is_dir()) {
        bail!("{}: is not a folder", escape_path(p));
    }
    let scope = assignment_scope(&corpus.root, &names, args.all_articles)?;
    // the articles every annotator touched (and, with --status, finished)
    let mut unreadable = Unreadable::new(args.keep_going);
    let mut compared = Vec::new();
    'articles: for path in corpus.articles.iter() {
        let path = &path;
        if let Some(scope) = &scope
            && !scope.ids.contains(&document_id(&corpus.root, path))
        {
            continue;
        }
        let mut tags: Vec<Vec<Annotation>> = Vec::new();
        let mut relations = Vec::new();
        let mut categories = Vec::new();
        let mut text = String::new();
        for dirs in &trees {
            if !dirs.sidecar_of(path).exists() {
                continue 'articles;
            }
            let opened = unreadable
                .check(Document::open_checked(dirs, path))
                .context("agreement stopped (--keep-going skips what cannot be read)")?;
            let Some(doc) = opened else {
                continue 'articles;
            };
            if args
                .status
                .as_ref()
                .is_some_and(|s| !s.contains(&doc.status()))
            {
                continue 'articles;
            }
            let kept: Vec<Annotation> = doc.annotations().live_tags().cloned().collect();
            relations.push(relation_keys(&kept, doc.annotations().relations()));
            categories.push(doc.annotations().article.categories.clone());
            tags.push(kept);
            text = doc.text().to_string();
        }
        compared.push(Compared {
            file: document_id(&corpus.root, path),
            text,
            tags,
            relations,
            categories,
        });
    }
    report_skipped(&unreadable);
    if compared.is_empty() {
        bail!(
            "no article {}was tagged by every annotator{}",
            if let Some(s) = &scope {
                format!(
                    "of the {} {} (--all-articles looks at every article) ",
                    s.ids.len(),
                    s.what
                )
            } else {
                String::new()
            },
            if args.status.is_some() {
                " with that status"
            } else {
                ""
            }
        );
    }
    let spans = |i: usize| -> Vec<ArticleSpans> {
        compared
            .iter()
            .map(|c| ArticleSpans {
                file: c.file.clone(),
                spans: c.tags[i].iter().map(Span::from).collect(),
            })
            .collect()
    };
    let reference = spans(0);
    let reports: Vec<(String, eval::Report)> = (1..names.len())
        .map(|i| (names[i].clone(), eval::compare(&reference, &spans(i))))
        .collect();
    let rels = |i: usize| -> Vec<Vec<RelationKey>> {
        compared.iter().map(|c| c.relations[i].clone()).collect()
    };
    let rel_reports: Vec<RelationAgreement> = (1..names.len())
        .map(|i| relation_agreement(&rels(0), &rels(i)))
        .collect();
    // tokens: one IOB label per token per annotator
    let mut all_labels: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    let mut per_article = Vec::new();
    for c in &compared {
        let toks = tokens(&c.text);
        let labels: Vec<Vec<String>> = c
            .tags
            .iter()
            .map(|t| token_labels(&c.text, &toks, t))
            .collect();
        let units: Vec<Vec<Option<String>>> = (0..toks.len())
            .map(|k| labels.iter().map(|l| Some(l[k].clone())).collect())
            .collect();
        per_article.push(JsonArticle {
            file: c.file.clone(),
            kappa: (names.len() == 2).then(|| round(cohen_kappa(&labels[0], &labels[1]))),
            alpha: round(krippendorff_alpha(&units)),
        });
        for (i, l) in labels.into_iter().enumerate() {
            all_labels[i].extend(l);
        }
    }
    let kappa = (names.len() == 2).then(|| round(cohen_kappa(&all_labels[0], &all_labels[1])));
    let units: Vec<Vec<Option<String>>> = (0..all_labels[0].len())
        .map(|k| all_labels.iter().map(|l| Some(l[k].clone())).collect())
        .collect();
    let alpha = round(krippendorff_alpha(&units));
    per_article.sort_by(|a, b| {
        a.kappa
            .unwrap_or(a.alpha)
            .total_cmp(&b.kappa.unwrap_or(b.alpha))
            .then(a.file.cmp(&b.file))
    });
    let config = CorpusConfig::load(&corpus.root)?;
    let labels: Vec<String> = config.labels.names().map(String::from).collect();
    let by_category = category_agreement(&config.categories, &compared, names.len());
    if args.json {
        let j = serde_json::json!({
            "annotators": names,
            "scope": scope.as_ref().map_or("all", |_| "assignment"),
            "articles": compared.len(),
            "tokens": all_labels[0].len(),
            "kappa": kappa,
            "alpha": alpha,
            "pairs": reports.iter().zip(&rel_reports).map(|((n, r), rel)| serde_json::json!({
                "reference": names[0],
                "annotator": n,
                "spans": super::eval::report_json(r, &r.label_order(&labels), names[0].clone(), n.clone(), args.worst),
                "relations": relations_json(rel),
            })).collect::<Vec<_>>(),
            "least_agreed": per_article.iter().take(args.worst).collect::<Vec<_>>(),
            "categories": by_category.iter().map(|c| (c.name.clone(), serde_json::json!({
                "articles": c.articles,
                "agreed": c.agreed,
                "kappa": c.kappa,
                "alpha": c.alpha,
            }))).collect::<serde_json::Map<_, _>>(),
        });
        println!("{}", gloss_core::json::to_string_pretty(&j)?);
        return Ok(());
    }
    println!(
        "{} annotators ({}), {} article(s) they all tagged{}, {} tokens",
        names.len(),
        names
            .iter()
            .map(|n| sanitize_inline(n))
            .collect::<Vec<_>>()
            .join(", "),
        compared.len(),
        if args.status.is_some() {
            " with that status"
        } else {
            ""
        },
        all_labels[0].len()
    );
    match &scope {
        Some(s) => println!(
            "compared: the {} {} ({} of them; --all-articles compares every article)",
            s.ids.len(),
            s.what,
            compared.len()
        ),
        None => println!("compared: every article they all tagged"),
    }
    if let Some(k) = kappa {
        println!("Cohen's kappa (tokens, IOB)        {k:.3}");
    }
    println!("Krippendorff's alpha (nominal)     {alpha:.3}");
    for c in &by_category {
        let k = c.kappa.map_or(String::new(), |k| format!("kappa {k:.3}  "));
        println!(
            "article labels, {:<16} {k}alpha {:.3}  ({} of {} articles the same)",
            sanitize_inline(&c.name),
            c.alpha,
            c.agreed,
            c.articles
        );
    }
    for ((n, r), rel) in reports.iter().zip(&rel_reports) {
        println!();
        println!(
            "{} against {}:",
            sanitize_inline(n),
            sanitize_inline(&names[0])
        );
        super::eval::print_text(r, &r.label_order(&labels), &names[0], n, 0);
        print_relations(rel);
    }
    if args.worst > 0 {
        println!();
        println!("least agreed articles:");
        for a in per_article.iter().take(args.worst) {
            match a.kappa {
                Some(k) => println!(
                    "  {:<40} kappa {k:.3}  alpha {:.3}",
                    sanitize_inline(&a.file),
                    a.alpha
                ),
                None => println!("  {:<40} alpha {:.3}", sanitize_inline(&a.file), a.alpha),
            }
        }
    }
    Ok(())
}

/// How far the annotators agree on one category of article labels.
struct CategoryAgreement {
    name: String,
    /// Articles compared (those every annotator saw), and those all labelled the same.
    articles: usize,
    agreed: usize,
    /// Cohen's κ over the articles (two annotators), Krippendorff's α (nominal, any number); an
    /// article's value is its values joined (none is a value too: "not labelled").
    kappa: Option<f64>,
    alpha: f64,
}

/// Agreement on each category of article labels, over the compared articles.
fn category_agreement(
    categories: &[gloss_core::corpus::config::Category],
    compared: &[Compared],
    annotators: usize,
) -> Vec<CategoryAgreement> {
    categories
        .iter()
        .map(|cat| {
            let value = |c: &gloss_core::annotation::Categories| {
                c.get(&cat.name).map_or(String::new(), |v| v.join(","))
            };
            let per: Vec<Vec<String>> = (0..annotators)
                .map(|i| compared.iter().map(|c| value(&c.categories[i])).collect())
                .collect();
            let units: Vec<Vec<Option<String>>> = (0..compared.len())
                .map(|k| per.iter().map(|p| Some(p[k].clone())).collect())
                .collect();
            CategoryAgreement {
                name: cat.name.clone(),
                articles: compared.len(),
                agreed: units
                    .iter()
                    .filter(|u| u.iter().all(|v| *v == u[0]))
                    .count(),
                kappa: (annotators == 2).then(|| round(cohen_kappa(&per[0], &per[1]))),
                alpha: round(krippendorff_alpha(&units)),
            }
        })
        .collect()
}

/// One line of relation figures.
fn relation_line(name: &str, c: &eval::Counts) -> String {
    format!(
        "  {:<14}{:>6}{:>6}{:>6}   {}",
        sanitize_inline(name),
        c.tp,
        c.fp,
        c.fn_,
        super::eval::figures(c)
    )
}

fn print_relations(r: &RelationAgreement) {
    println!();
    println!("relations (type and both spans equal):");
    println!(
        "  {:<14}{:>6}{:>6}{:>6}       P     R    F1",
        "type", "tp", "fp", "fn"
    );
    for (t, c) in &r.per_type {
        println!("{}", relation_line(t, c));
    }
    println!("{}", relation_line("all", &r.all));
}

fn counts_json(c: &eval::Counts) -> serde_json::Value {
    serde_json::json!({
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn_,
        "precision": c.reported().map(|f| round(f[0])),
        "recall": c.reported().map(|f| round(f[1])),
        "f1": c.reported().map(|f| round(f[2])),
    })
}

fn relations_json(r: &RelationAgreement) -> serde_json::Value {
    let per_type: serde_json::Map<String, serde_json::Value> = r
        .per_type
        .iter()
        .map(|(t, c)| (t.clone(), counts_json(c)))
        .collect();
    serde_json::json!({ "per_type": per_type, "all": counts_json(&r.all) })
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
