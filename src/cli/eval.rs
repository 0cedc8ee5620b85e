//! `gloss eval`: how far one annotation set agrees with another (suggestions against gold, one
//! annotator against another): precision, recall and F1 per label, exact and overlapping, the
//! labels that disagree on the same span, and the articles that agree least.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;

use super::corpus::{report_skipped, warn};
use gloss_core::corpus::CorpusConfig;
use gloss_core::error::Unreadable;
use gloss_core::eval::{self, ArticleSpans, Report, SidecarSpans, Sources};
use gloss_core::text::{escape_path, sanitize_inline};

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The reference set: a gold JSONL file (`{"file", "spans": [...]}` a line) or a folder of
    /// sidecars (a corpus, or an `--annotations` mirror).
    pub gold: PathBuf,
    /// The set to score, in either form; without it, `--suggest` makes one.
    pub pred: Option<PathBuf>,
    /// Score gloss's own suggestions on the gold articles, read from this corpus folder (its
    /// `gloss.ron` patterns, else the built-ins). The gazetteer of an article is what the other
    /// gold articles tag.
    #[arg(long, value_name = "CORPUS", conflicts_with = "pred")]
    pub suggest: Option<PathBuf>,
    /// With --suggest: which sources, comma-separated (patterns, gazetteer, model).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "patterns,gazetteer",
        requires = "suggest"
    )]
    pub sources: Vec<String>,
    /// With the model: articles are split into this many folds; each fold is tagged by a model
    /// trained on the others.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// With the model: train on at most this many articles of the other folds (a learning curve).
    #[arg(long, value_name = "N")]
    pub train_size: Option<usize>,
    /// With the model: L-BFGS iterations at most.
    #[arg(long, default_value_t = gloss_core::suggest::model::TrainOptions::default().max_iterations)]
    pub iterations: usize,
    /// With the model: L2 regularisation.
    #[arg(long, default_value_t = gloss_core::suggest::model::TrainOptions::default().c2)]
    pub c2: f64,
    /// Read the sidecars' stored suggestions (`gloss suggest`) instead of their tags, for PRED.
    #[arg(long)]
    pub suggested: bool,
    /// How many of the worst articles to list.
    #[arg(long, default_value_t = 5)]
    pub worst: usize,
    /// List every span the sets disagree on (exactly), article by article.
    #[arg(long)]
    pub errors: bool,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
    /// Skip (and list) sidecars and folders that cannot be read, instead of stopping.
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    gold: String,
    predicted: String,
    labels: Vec<JsonLabel>,
    all: JsonScores,
    confusion: Vec<JsonConfusion<'a>>,
    worst: Vec<JsonArticle<'a>>,
    missing: &'a [String],
    extra: &'a [String],
}

#[derive(Serialize)]
struct JsonLabel {
    label: String,
    #[serde(flatten)]
    scores: JsonScores,
}

#[derive(Serialize)]
struct Prf {
    /// `null` (all three) when there was nothing to compare.
    precision: Option<f64>,
    recall: Option<f64>,
    f1: Option<f64>,
    tp: usize,
    fp: usize,
    #[serde(rename = "fn")]
    fn_: usize,
}

#[derive(Serialize)]
struct JsonScores {
    gold: usize,
    predicted: usize,
    exact: Prf,
    overlap: Prf,
}

#[derive(Serialize)]
struct JsonConfusion<'a> {
    gold: &'a str,
    predicted: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct JsonArticle<'a> {
    file: &'a str,
    #[serde(flatten)]
    scores: JsonScores,
}

/// P, R and F1 in three columns of five, or `–` in each when there was nothing to compare.
pub fn figures(c: &eval::Counts) -> String {
    match c.reported() {
        Some([p, r, f]) => format!("{p:>5.3} {r:>5.3} {f:>5.3}"),
        None => format!("{:>5} {:>5} {:>5}", "–", "–", "–"),
    }
}

fn prf(c: &eval::Counts) -> Prf {
    let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
    let figures = c.reported().map(|f| f.map(r3));
    Prf {
        precision: figures.map(|f| f[0]),
        recall: figures.map(|f| f[1]),
        f1: figures.map(|f| f[2]),
        tp: c.tp,
        fp: c.fp,
        fn_: c.fn_,
    }
}

fn scores(s: &eval::Scores) -> JsonScores {
    JsonScores {
        gold: s.gold,
        predicted: s.predicted,
        exact: prf(&s.exact),
        overlap: prf(&s.overlap),
    }
}

/// The set at `path`, what cannot be read stopping it or (`--keep-going`) left in `unreadable`.
fn load(
    path: &Path,
    which: SidecarSpans,
    name: &str,
    unreadable: &mut Unreadable,
) -> anyhow::Result<Vec<ArticleSpans>> {
    eval::load(path, which, unreadable).with_context(|| {
        let hint = if path.is_dir() {
            " (--keep-going skips what cannot be read)"
        } else {
            ""
        };
        format!("{name} set {}{hint}", escape_path(path))
    })
}

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let mut unreadable = Unreadable::new(args.keep_going);
    let gold = load(&args.gold, SidecarSpans::Tags, "gold", &mut unreadable)?;
    let (pred, what) = match (&args.pred, &args.suggest) {
        (Some(p), _) => {
            let which = if args.suggested {
                SidecarSpans::Suggested
            } else {
                SidecarSpans::Tags
            };
            let pred = load(p, which, "predicted", &mut unreadable)?;
            (pred, escape_path(p))
        }
        (None, Some(corpus)) => predict(&args, &gold, corpus)?,
        (None, None) => bail!("give the set to score (PRED), or --suggest CORPUS"),
    };
    report_skipped(&unreadable);
    let report = eval::compare(&gold, &pred);
    let config = CorpusConfig::default();
    let first: Vec<String> = config
        .labels
        .labels
        .iter()
        .map(|l| l.name.clone())
        .collect();
    let order = report.label_order(&first);
    let gold_name = escape_path(&args.gold);
    if args.json {
        print_json(&report, &order, gold_name, what, args.worst)
    } else {
        if args.errors {
            print_errors(&gold, &pred);
        }
        print_text(&report, &order, &gold_name, &what, args.worst);
        Ok(())
    }
}

fn predict(
    args: &EvalArgs,
    gold: &[ArticleSpans],
    corpus: &std::path::Path,
) -> anyhow::Result<(Vec<ArticleSpans>, String)> {
    let mut sources = Sources::default();
    for s in &args.sources {
        match s.as_str() {
            "patterns" => sources.patterns = true,
            "gazetteer" => sources.gazetteer = true,
            "model" => sources.model = true,
            other => bail!("unknown source {other:?} (patterns, gazetteer, model)"),
        }
    }
    let patterns = CorpusConfig::load(corpus)?.patterns;
    let (texts, mismatches) = eval::read_texts(corpus, gold)?;
    if mismatches > 0 {
        warn(&format!(
            "{mismatches} gold span(s) do not quote the text at their offsets in {}",
            escape_path(corpus)
        ));
    }
    let folds = eval::Folds {
        k: args.folds,
        train_size: args.train_size,
        options: gloss_core::suggest::model::TrainOptions {
            max_iterations: args.iterations,
            c2: args.c2,
            labels: None,
        },
    };
    let started = std::time::Instant::now();
    let pred =
        eval::suggest_on(&texts, &patterns, sources, &folds).map_err(|e| anyhow::anyhow!(e))?;
    let mut what = format!("suggestions ({})", args.sources.join(", "));
    if sources.model {
        let k = folds.k.clamp(2, texts.len().max(2));
        what.push_str(&format!(
            "; model: {k}-fold over articles, trained on {} per fold, {:.1} s in all",
            match folds.train_size {
                Some(n) => format!("at most {n} articles"),
                None => "the other folds".to_string(),
            },
            started.elapsed().as_secs_f64()
        ));
    }
    Ok((pred, what))
}

fn print_json(
    r: &Report,
    order: &[String],
    gold: String,
    predicted: String,
    worst: usize,
) -> anyhow::Result<()> {
    let j = report_json(r, order, gold, predicted, worst);
    println!("{}", gloss_core::json::to_string_pretty(&j)?);
    Ok(())
}

/// The report as JSON (for `--json`, here and in `gloss agree`).
pub(super) fn report_json(
    r: &Report,
    order: &[String],
    gold: String,
    predicted: String,
    worst: usize,
) -> serde_json::Value {
    let j = JsonReport {
        gold,
        predicted,
        labels: order
            .iter()
            .map(|l| JsonLabel {
                label: l.clone(),
                scores: scores(&r.labels[l]),
            })
            .collect(),
        all: scores(&r.all),
        confusion: r
            .confusion
            .iter()
            .map(|((g, p), n)| JsonConfusion {
                gold: g,
                predicted: p,
                count: *n,
            })
            .collect(),
        worst: r
            .per_article
            .iter()
            .take(worst)
            .map(|a| JsonArticle {
                file: &a.file,
                scores: scores(&a.scores),
            })
            .collect(),
        missing: &r.missing,
        extra: &r.extra,
    };
    serde_json::to_value(&j).expect("a report serializes")
}

pub(super) fn print_text(r: &Report, order: &[String], gold: &str, predicted: &str, worst: usize) {
    println!(
        "gold: {} ({} articles, {} spans)   predicted: {} ({} spans)",
        sanitize_inline(gold),
        r.articles,
        r.all.gold,
        sanitize_inline(predicted),
        r.all.predicted
    );
    println!();
    println!(
        "{:<12} {:>6} {:>6}   {:>5} {:>5} {:>5}   {:>5} {:>5} {:>5}",
        "label", "gold", "pred", "P", "R", "F1", "P", "R", "F1"
    );
    println!(
        "{:<12} {:>6} {:>6}   {:^17}   {:^17}",
        "", "", "", "exact", "overlap"
    );
    let line = |name: &str, s: &eval::Scores| {
        println!(
            "{:<12} {:>6} {:>6}   {}   {}",
            sanitize_inline(name),
            s.gold,
            s.predicted,
            figures(&s.exact),
            figures(&s.overlap)
        );
    };
    for l in order {
        line(l, &r.labels[l]);
    }
    line("all", &r.all);
    let off: Vec<_> = r.confusion.iter().filter(|((g, p), _)| g != p).collect();
    if !off.is_empty() {
        println!();
        println!("disagreements on the same span (gold → predicted; – none there):");
        for ((g, p), n) in off {
            let name = |s: &str| {
                if s.is_empty() {
                    "–".to_string()
                } else {
                    sanitize_inline(s)
                }
            };
            println!("  {:<12} → {:<12} {n:>6}", name(g), name(p));
        }
    }
    if worst > 0 && !r.per_article.is_empty() {
        println!();
        println!("worst articles (exact, all labels):");
        for a in r.per_article.iter().take(worst) {
            let e = &a.scores.exact;
            println!(
                "  {:<40} F1 {}  ({} right, {} wrong, {} missed)",
                sanitize_inline(&a.file),
                e.reported().map_or("–".into(), |f| format!("{:.3}", f[2])),
                e.tp,
                e.fp,
                e.fn_
            );
        }
    }
    if !r.missing.is_empty() {
        println!();
        println!(
            "{} gold article(s) have no predicted entry (counted as nothing found), e.g. {}",
            r.missing.len(),
            sanitize_inline(&r.missing[0])
        );
    }
    if !r.extra.is_empty() {
        println!(
            "{} predicted article(s) are not in the gold set (left out)",
            r.extra.len()
        );
    }
}

fn print_errors(gold: &[ArticleSpans], pred: &[ArticleSpans]) {
    let by_key: std::collections::BTreeMap<String, &ArticleSpans> =
        pred.iter().map(|a| (a.key(), a)).collect();
    for g in gold {
        let p: &[eval::Span] = by_key.get(&g.key()).map_or(&[], |p| &p.spans);
        let (missed, wrong) = eval::differences(&g.spans, p);
        if missed.is_empty() && wrong.is_empty() {
            continue;
        }
        println!("{}", sanitize_inline(&g.file));
        let mut all: Vec<(&eval::Span, &str)> = missed
            .into_iter()
            .map(|s| (s, "missed"))
            .chain(wrong.into_iter().map(|s| (s, "wrong")))
            .collect();
        all.sort_by_key(|(s, _)| (s.start, s.end));
        for (s, what) in all {
            println!(
                "  {what:<6} {:<10} {:>6}..{:<6} {}",
                sanitize_inline(&s.label),
                s.start,
                s.end,
                sanitize_inline(&s.text)
            );
        }
    }
    println!();
}
