//! Comparing two annotation sets of the same articles: precision, recall and F1 per label, exact
//! (same label, same boundaries) and overlapping (same label, intersection over union ≥ 0.5), a
//! confusion table of labels disagreeing on the same span, and the articles that agree least.
//! Used by `gloss eval` (suggestions against gold, one annotator against another); the sets come
//! from a gold JSONL file (`{"file", "spans": [{"start", "end", "label", "text"}]}` a line) or from a
//! folder of sidecars.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::annotation::AnnotationSet;
use crate::error::{Error, Result, Unreadable};
use crate::store::{Document, Sidecar, SidecarDirs};

/// A tagged span: a label on code points `start..end` of an article's text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub label: String,
    /// The text tagged (for reports; not compared).
    #[serde(default)]
    pub text: String,
}

impl Span {
    pub fn chars(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<&crate::annotation::Annotation> for Span {
    /// A tag's label and code points.
    fn from(t: &crate::annotation::Annotation) -> Span {
        Span {
            start: t.start,
            end: t.end,
            label: t.label.clone(),
            text: t.text.clone(),
        }
    }
}

impl From<&crate::annotation::SpanRef> for Span {
    /// A stored suggestion's label and code points.
    fn from(s: &crate::annotation::SpanRef) -> Span {
        Span {
            start: s.start,
            end: s.end,
            label: s.label.clone(),
            text: s.text.clone(),
        }
    }
}

/// The spans of one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSpans {
    /// The article's path relative to its corpus, as given (`binhvq/binhvq_005.txt`).
    pub file: String,
    pub spans: Vec<Span>,
}

impl ArticleSpans {
    /// What articles are matched by: the relative path without its extension, `/`-separated.
    pub fn key(&self) -> String {
        article_key(&self.file)
    }
}

/// The key of a relative path: without its extension, `/`-separated.
pub fn article_key(file: &str) -> String {
    let file = file.replace('\\', "/");
    match file.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') && !stem.is_empty() && !stem.ends_with('/') => {
            stem.to_string()
        }
        _ => file,
    }
}

/// Which spans a sidecar gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SidecarSpans {
    /// Its tags (neither rejected nor orphaned).
    #[default]
    Tags,
    /// The suggestions `gloss suggest` stored in it.
    Suggested,
}

/// An annotation set: a gold JSONL file, or a folder of sidecars ([`load_folder`]). Articles in
/// the order read. What cannot be read stops the load with an error naming the file, or, as
/// `unreadable` says, is skipped and listed there.
pub fn load(
    path: &Path,
    which: SidecarSpans,
    unreadable: &mut Unreadable,
) -> Result<Vec<ArticleSpans>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        load_folder(path, which, unreadable)
    } else {
        load_jsonl(path)
    }
}

/// One article a line: `{"file": "a/b.txt", "spans": [{"start", "end", "label", "text"}…]}`; a
/// record that names its article `id` instead, as gloss's own jsonl export does, is read alike.
pub fn load_jsonl(path: &Path) -> Result<Vec<ArticleSpans>> {
    let bytes = crate::files::read_limited(path, 1 << 30, "a JSONL file")?
        .ok_or_else(|| Error::io(path, std::io::Error::from(std::io::ErrorKind::NotFound)))?
        .bytes;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            path,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let invalid = |e: serde_json::Error| Error::invalid(path, format!("line {}: {e}", i + 1));
        let mut v: serde_json::Value = serde_json::from_str(line).map_err(invalid)?;
        if let Some(o) = v.as_object_mut()
            && !o.contains_key("file")
            && let Some(id) = o.get("id").cloned()
        {
            o.insert("file".into(), id);
        }
        let mut a: ArticleSpans = serde_json::from_value(v).map_err(invalid)?;
        if let Some(s) = a.spans.iter().find(|s| s.start > s.end) {
            return Err(Error::invalid(
                path,
                format!("line {}: span {}..{} is reversed", i + 1, s.start, s.end),
            ));
        }
        a.spans.sort();
        out.push(a);
    }
    Ok(out)
}

/// The sidecars of a folder. A corpus (a folder the corpus walk finds articles in): the sidecar
/// of each article that has one beside it, read through the [`Document`] (re-anchored if the
/// article changed); nothing else is taken for a sidecar (not `gloss.ron`, not `entities.ron`,
/// not an annotator's tree). A folder without articles is an `--annotations` mirror tree: each of
/// its sidecars as it is (there is no text to anchor them to).
pub fn load_folder(
    dir: &Path,
    which: SidecarSpans,
    unreadable: &mut Unreadable,
) -> Result<Vec<ArticleSpans>> {
    let found = crate::corpus::discover(dir)?;
    if found.articles.is_empty() {
        return load_mirror(dir, which, unreadable);
    }
    for e in found.problems {
        unreadable.check::<()>(Err(e))?;
    }
    let dirs = SidecarDirs::new(dir, None);
    let articles = &found.articles;
    let mut out = Vec::new();
    for i in 0..articles.len() {
        if articles.sidecar_seen(i) == Some(false) {
            continue;
        }
        let path = articles.path(i);
        let Some(doc) = unreadable.check(Document::open_checked(&dirs, &path))? else {
            continue;
        };
        out.push(spans_of_set(relative(dir, &path), doc.annotations(), which));
    }
    Ok(out)
}

/// The sidecars of an `--annotations` mirror tree, as they are; each stands for the article at its
/// path with the article's extension (the inverse of [`crate::store::sidecar_path`]).
fn load_mirror(
    dir: &Path,
    which: SidecarSpans,
    unreadable: &mut Unreadable,
) -> Result<Vec<ArticleSpans>> {
    let (sidecars, problems) = crate::corpus::discover_sidecars(dir)?;
    for e in problems {
        unreadable.check::<()>(Err(e))?;
    }
    let mut out = Vec::new();
    for path in sidecars.iter() {
        if let Some(Some(sc)) = unreadable.check(Sidecar::load(&path))? {
            let article = relative(dir, &path.with_extension("txt"));
            out.push(spans_of_set(article, &sc.annotation_set(), which));
        }
    }
    Ok(out)
}

/// The spans `which` says of one article's annotations, sorted.
fn spans_of_set(file: String, set: &AnnotationSet, which: SidecarSpans) -> ArticleSpans {
    let mut spans: Vec<Span> = match which {
        SidecarSpans::Tags => set.live_tags().map(Span::from).collect(),
        SidecarSpans::Suggested => set.article.suggested.iter().map(Span::from).collect(),
    };
    spans.sort();
    ArticleSpans { file, spans }
}

/// `path` relative to `root`, `/`-separated (lossy UTF-8).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Nothing to find and nothing found: no figure says anything then (not even F1 1).
    pub fn is_empty(&self) -> bool {
        self.tp + self.fp + self.fn_ == 0
    }
    /// Precision, recall and F1 as a report gives them: `None` when [`Counts::is_empty`].
    pub fn reported(&self) -> Option<[f64; 3]> {
        (!self.is_empty()).then(|| [self.precision(), self.recall(), self.f1()])
    }
    /// F1; 1 when there was nothing to find and nothing was found (so such an article sorts as
    /// agreed; a report says "nothing to compare", see [`Counts::reported`]).
    pub fn f1(&self) -> f64 {
        if self.tp + self.fp + self.fn_ == 0 {
            return 1.0;
        }
        2.0 * self.tp as f64 / (2 * self.tp + self.fp + self.fn_) as f64
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// `a / b`, 0 when `b` is 0 (precision with no prediction, recall with no gold).
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Intersection over union of two code-point ranges.
pub fn iou(a: &Range<usize>, b: &Range<usize>) -> f64 {
    let inter = a.end.min(b.end).saturating_sub(a.start.max(b.start));
    let union = a.end.max(b.end) - a.start.min(b.start);
    if union == 0 {
        return f64::from(u8::from(a == b));
    }
    inter as f64 / union as f64
}

/// The least intersection over union for an overlap match.
pub const MIN_IOU: f64 = 0.5;

/// Scores of one label (or of all labels together).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    pub gold: usize,
    pub predicted: usize,
    pub exact: Counts,
    pub overlap: Counts,
}

impl Scores {
    fn add(&mut self, o: &Scores) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.exact.add(o.exact);
        self.overlap.add(o.overlap);
    }
}

/// How one article fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleReport {
    pub file: String,
    /// All labels together.
    pub scores: Scores,
}

/// The comparison of a predicted set against a gold set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Articles compared (every gold article).
    pub articles: usize,
    /// Per label, in the order of [`Report::label_order`].
    pub labels: BTreeMap<String, Scores>,
    /// All labels together (micro-averaged).
    pub all: Scores,
    /// Spans with the same boundaries in both sets: (gold label, predicted label) → count, with
    /// `""` for no span of the other set there. The diagonal is agreement.
    pub confusion: BTreeMap<(String, String), usize>,
    /// Per article, worst first (exact F1 of all labels, then more errors first).
    pub per_article: Vec<ArticleReport>,
    /// Gold articles the predicted set has no entry for (counted as nothing predicted).
    pub missing: Vec<String>,
    /// Predicted articles that are not in the gold set (left out).
    pub extra: Vec<String>,
}

impl Report {
    /// Labels in a stable order: `first` (the corpus's labels) where present, then the rest by name.
    pub fn label_order(&self, first: &[String]) -> Vec<String> {
        let mut out: Vec<String> = first
            .iter()
            .filter(|l| self.labels.contains_key(*l))
            .cloned()
            .collect();
        out.extend(self.labels.keys().filter(|l| !first.contains(l)).cloned());
        out
    }
}

/// Count exact and overlap matches of `pred` against `gold` (one article, one label).
fn score_label(gold: &[Range<usize>], pred: &[Range<usize>]) -> Scores {
    let mut s = Scores {
        gold: gold.len(),
        predicted: pred.len(),
        ..Scores::default()
    };
    // exact: boundaries equal, each gold span matched once
    let mut used = vec![false; gold.len()];
    for p in pred {
        if let Some(i) = (0..gold.len()).find(|&i| !used[i] && gold[i] == *p) {
            used[i] = true;
            s.exact.tp += 1;
        }
    }
    s.exact.fp = pred.len() - s.exact.tp;
    s.exact.fn_ = gold.len() - s.exact.tp;
    // overlap: one-to-one, best pairs first
    let mut pairs = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        for (j, p) in pred.iter().enumerate() {
            let v = iou(g, p);
            if v >= MIN_IOU {
                pairs.push((v, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let (mut gu, mut pu) = (vec![false; gold.len()], vec![false; pred.len()]);
    for (_, i, j) in pairs {
        if !gu[i] && !pu[j] {
            gu[i] = true;
            pu[j] = true;
            s.overlap.tp += 1;
        }
    }
    s.overlap.fp = pred.len() - s.overlap.tp;
    s.overlap.fn_ = gold.len() - s.overlap.tp;
    s
}

/// The gold and the predicted labels on one span.
type LabelsAt<'a> = (Vec<&'a str>, Vec<&'a str>);

/// Compare `pred` against `gold`, article by article (matched by [`article_key`]).
pub fn compare(gold: &[ArticleSpans], pred: &[ArticleSpans]) -> Report {
    let by_key: BTreeMap<String, &ArticleSpans> = pred.iter().map(|a| (a.key(), a)).collect();
    let gold_keys: std::collections::BTreeSet<String> = gold.iter().map(|a| a.key()).collect();
    let mut r = Report {
        articles: gold.len(),
        extra: pred
            .iter()
            .filter(|a| !gold_keys.contains(&a.key()))
            .map(|a| a.file.clone())
            .collect(),
        ..Report::default()
    };
    let empty = Vec::new();
    for g in gold {
        let p = match by_key.get(&g.key()) {
            Some(p) => &p.spans,
            None => {
                r.missing.push(g.file.clone());
                &empty
            }
        };
        let mut labels: Vec<&String> = g.spans.iter().chain(p).map(|s| &s.label).collect();
        labels.sort();
        labels.dedup();
        let mut article = Scores::default();
        for l in labels {
            let of = |v: &[Span]| -> Vec<Range<usize>> {
                v.iter()
                    .filter(|s| &s.label == l)
                    .map(Span::chars)
                    .collect()
            };
            let s = score_label(&of(&g.spans), &of(p));
            article.add(&s);
            r.labels.entry(l.clone()).or_default().add(&s);
        }
        r.all.add(&article);
        r.per_article.push(ArticleReport {
            file: g.file.clone(),
            scores: article,
        });
        // confusion: labels on the same span
        let mut at: BTreeMap<(usize, usize), LabelsAt> = BTreeMap::new();
        for s in &g.spans {
            at.entry((s.start, s.end)).or_default().0.push(&s.label);
        }
        for s in p {
            at.entry((s.start, s.end)).or_default().1.push(&s.label);
        }
        for (_, (mut gl, mut pl)) in at {
            gl.sort();
            pl.sort();
            let mut bump = |a: &str, b: &str| {
                *r.confusion.entry((a.into(), b.into())).or_insert(0) += 1;
            };
            let both: Vec<&str> = gl.iter().filter(|l| pl.contains(l)).copied().collect();
            for l in &both {
                bump(l, l);
            }
            let gr: Vec<&str> = gl.iter().filter(|l| !both.contains(l)).copied().collect();
            let pr: Vec<&str> = pl.iter().filter(|l| !both.contains(l)).copied().collect();
            for i in 0..gr.len().max(pr.len()) {
                bump(
                    gr.get(i).copied().unwrap_or(""),
                    pr.get(i).copied().unwrap_or(""),
                );
            }
        }
    }
    r.per_article.sort_by(|a, b| {
        let ea = a.scores.exact.fp + a.scores.exact.fn_;
        let eb = b.scores.exact.fp + b.scores.exact.fn_;
        a.scores
            .exact
            .f1()
            .total_cmp(&b.scores.exact.f1())
            .then(eb.cmp(&ea))
            .then(a.file.cmp(&b.file))
    });
    r
}

/// What two sets of one article disagree on, exactly: (gold spans not predicted, predicted spans
/// not in gold), each in text order.
pub fn differences<'a>(gold: &'a [Span], pred: &'a [Span]) -> (Vec<&'a Span>, Vec<&'a Span>) {
    let same = |a: &Span, b: &Span| a.start == b.start && a.end == b.end && a.label == b.label;
    let missed = gold
        .iter()
        .filter(|g| !pred.iter().any(|p| same(g, p)))
        .collect();
    let wrong = pred
        .iter()
        .filter(|p| !gold.iter().any(|g| same(g, p)))
        .collect();
    (missed, wrong)
}

/// Where predictions come from when `gloss eval` makes them itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sources {
    pub patterns: bool,
    pub gazetteer: bool,
    pub model: bool,
}

/// A gold article with its text.
#[derive(Debug, Clone)]
pub struct GoldText {
    pub gold: ArticleSpans,
    pub text: String,
}

/// Read the text of each gold article from `corpus` (`corpus/file`); `mismatches` counts gold
/// spans whose quoted text is not the text at their offsets, or whose offsets are past the text
/// (told, not fatal). A span that quotes no text (`[start, end, label]`, as doccano and many gold
/// sets write it) takes the text at its offsets: the gazetteer and the model learn from it.
pub fn read_texts(corpus: &Path, gold: &[ArticleSpans]) -> Result<(Vec<GoldText>, usize)> {
    let mut out = Vec::new();
    let mut mismatches = 0;
    for g in gold {
        let mut path = corpus.join(&g.file);
        if !path.is_file() && Path::new(&g.file).extension().is_none() {
            path = corpus.join(format!("{}.txt", g.file));
        }
        let article = crate::corpus::Article::read(&path)?;
        let index = crate::text::CharIndex::new(&article.text);
        let mut g = g.clone();
        for s in &mut g.spans {
            let quoted = crate::store::quoted_at(&article.text, &index, s.start, s.end);
            match quoted {
                Some(q) if s.text.is_empty() => s.text = q.to_string(),
                Some(q) if q == s.text => {}
                _ => mismatches += 1,
            }
        }
        out.push(GoldText {
            gold: g,
            text: article.text,
        });
    }
    Ok((out, mismatches))
}

/// Spans of `suggestions` (bytes of `text`) as code points.
pub fn spans_of(text: &str, suggestions: &[crate::suggest::Suggestion]) -> Vec<Span> {
    let index = crate::text::CharIndex::new(text);
    let mut v: Vec<Span> = suggestions
        .iter()
        .map(|s| Span {
            start: index.byte_to_char(text, s.bytes.start),
            end: index.byte_to_char(text, s.bytes.end),
            label: s.label.clone(),
            text: text[s.bytes.clone()].to_string(),
        })
        .collect();
    v.sort();
    v.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.label == b.label);
    v
}

/// How the model is trained when `gloss eval` scores it.
#[derive(Debug, Clone)]
pub struct Folds {
    /// Articles are split into this many folds (article `i` in fold `i % k`, in gold order);
    /// each fold is tagged by a model trained on the others.
    pub k: usize,
    /// Train on at most this many articles of the other folds (a learning curve).
    pub train_size: Option<usize>,
    pub options: crate::suggest::model::TrainOptions,
}

impl Default for Folds {
    fn default() -> Self {
        Folds {
            k: 5,
            train_size: None,
            options: crate::suggest::model::TrainOptions::default(),
        }
    }
}

/// The gold tags of an article as training data.
pub fn training_article(a: &GoldText) -> crate::suggest::model::TrainingArticle {
    let index = crate::text::CharIndex::new(&a.text);
    crate::suggest::model::TrainingArticle {
        text: a.text.clone(),
        tags: a
            .gold
            .spans
            .iter()
            .filter_map(|s| {
                let b = index.char_to_byte(&a.text, s.start)?;
                let e = index.char_to_byte(&a.text, s.end)?;
                Some((s.label.clone(), b..e))
            })
            .collect(),
    }
}

/// The suggester's spans on each gold article, as a user would get them: patterns, a gazetteer of
/// every text the *other* gold articles tag (an article never sees its own tags), and a model
/// trained on the other folds' articles (k-fold over articles), as `sources` says.
pub fn suggest_on(
    articles: &[GoldText],
    patterns: &[crate::corpus::patterns::Pattern],
    sources: Sources,
    folds: &Folds,
) -> std::result::Result<Vec<ArticleSpans>, String> {
    let none: &[crate::corpus::patterns::Pattern] = &[];
    let mut suggester =
        crate::suggest::Suggester::new(if sources.patterns { patterns } else { none })?;
    suggester.set_lexicon_from(patterns);
    let lexicon = crate::suggest::Lexicon::from_patterns(patterns);
    let k = folds.k.clamp(2, articles.len().max(2));
    let mut models: Vec<Option<std::sync::Arc<crate::suggest::model::Model>>> = vec![None; k];
    if sources.model {
        for (f, slot) in models.iter_mut().enumerate() {
            let mut train: Vec<crate::suggest::model::TrainingArticle> = articles
                .iter()
                .enumerate()
                .filter(|(i, _)| i % k != f)
                .map(|(_, a)| training_article(a))
                .collect();
            if let Some(n) = folds.train_size {
                train.truncate(n);
            }
            *slot = crate::suggest::model::Model::train(&train, &lexicon, &folds.options)
                .map_err(|e| format!("training: {e}"))?
                .map(std::sync::Arc::new);
        }
    }
    let mut out = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        if sources.gazetteer {
            suggester.set_gazetteer(
                articles
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .flat_map(|(_, o)| o.gold.spans.iter())
                    .map(|s| (s.label.clone(), s.text.clone())),
            );
        }
        suggester.set_model(models[i % k].clone());
        out.push(ArticleSpans {
            file: a.gold.file.clone(),
            spans: spans_of(&a.text, &suggester.suggest(&a.text)),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(file: &str, spans: &[(&str, usize, usize)]) -> ArticleSpans {
        ArticleSpans {
            file: file.into(),
            spans: spans
                .iter()
                .map(|(l, s, e)| Span {
                    start: *s,
                    end: *e,
                    label: l.to_string(),
                    text: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn keys_drop_the_extension_only() {
        assert_eq!(article_key("binhvq/binhvq_005.txt"), "binhvq/binhvq_005");
        assert_eq!(article_key("a.b/c"), "a.b/c");
        assert_eq!(article_key("x.ron"), "x");
        assert_eq!(article_key("sub\\x.txt"), "sub/x");
    }

    #[test]
    fn iou_of_ranges() {
        assert_eq!(iou(&(0..10), &(5..15)), 5.0 / 15.0);
        assert_eq!(iou(&(0..10), &(0..5)), 0.5);
        assert_eq!(iou(&(0..4), &(4..8)), 0.0);
    }

    #[test]
    fn hand_computed_scores() {
        // gold: P 0..5, P 10..15, T 20..40; predicted: P 0..5 (exact), P 11..15 (overlap 0.8),
        // T 20..30 (overlap 0.5), T 50..60 (wrong), D 10..15 (the gold P span, another label)
        let gold = [art("a.txt", &[("P", 0, 5), ("P", 10, 15), ("T", 20, 40)])];
        let pred = [art(
            "a.ron",
            &[
                ("P", 0, 5),
                ("P", 11, 15),
                ("T", 20, 30),
                ("T", 50, 60),
                ("D", 10, 15),
            ],
        )];
        let r = compare(&gold, &pred);
        let p = &r.labels["P"];
        assert_eq!((p.exact.tp, p.exact.fp, p.exact.fn_), (1, 1, 1));
        assert_eq!((p.overlap.tp, p.overlap.fp, p.overlap.fn_), (2, 0, 0));
        let t = &r.labels["T"];
        assert_eq!((t.exact.tp, t.exact.fp, t.exact.fn_), (0, 2, 1));
        assert_eq!((t.overlap.tp, t.overlap.fp, t.overlap.fn_), (1, 1, 0));
        let d = &r.labels["D"];
        assert_eq!((d.gold, d.predicted, d.exact.fp), (0, 1, 1));
        assert_eq!((r.all.exact.tp, r.all.exact.fp, r.all.exact.fn_), (1, 4, 2));
        // P 1/5, R 1/3, F1 2PR/(P+R) = 1/4
        assert!((r.all.exact.precision() - 0.2).abs() < 1e-12);
        assert!((r.all.exact.recall() - 1.0 / 3.0).abs() < 1e-12);
        assert!((r.all.exact.f1() - 0.25).abs() < 1e-12);
        assert!((p.overlap.f1() - 1.0).abs() < 1e-12);
        assert_eq!(r.confusion[&("P".into(), "P".into())], 1);
        assert_eq!(r.confusion[&("P".into(), "D".into())], 1);
        assert_eq!(r.confusion[&("T".into(), "".into())], 1);
        assert_eq!(r.confusion[&("".into(), "P".into())], 1);
        assert_eq!(r.confusion[&("".into(), "T".into())], 2);
        assert!(r.missing.is_empty() && r.extra.is_empty());
    }

    #[test]
    fn missing_articles_count_as_nothing_found_and_extra_ones_are_left_out() {
        let gold = [art("a.txt", &[("P", 0, 5)]), art("b.txt", &[("P", 1, 2)])];
        let pred = [art("a.txt", &[("P", 0, 5)]), art("c.txt", &[("P", 0, 5)])];
        let r = compare(&gold, &pred);
        assert_eq!(r.missing, ["b.txt"]);
        assert_eq!(r.extra, ["c.txt"]);
        assert_eq!((r.all.exact.tp, r.all.exact.fp, r.all.exact.fn_), (1, 0, 1));
        assert_eq!(r.per_article[0].file, "b.txt", "worst first");
    }
}
