//! Training the model on a given set of articles: which labels are learnt (not clauses), each
//! article's tokens tagged B/I/O for each, and one CRF per label trained with L-BFGS, two labels at
//! a time on threads.

use std::io;
use std::ops::Range;
use std::path::PathBuf;

use super::Model;
use super::decoder::Decoder;
use super::features::{Token, features, tokens};
use crate::suggest::lexicon::Lexicon;

/// Articles longer than this are not learnt from (their features would not fit in memory).
pub const MAX_LEARN_BYTES: usize = 256 * 1024;

/// Labels whose tags average more tokens than this are not learnt (clauses).
pub const MAX_MEAN_TOKENS: f64 = 12.0;

/// An article to learn from: its text and its tags (label, bytes of the text).
#[derive(Debug, Clone)]
pub struct TrainingArticle {
    pub text: String,
    pub tags: Vec<(String, Range<usize>)>,
}

/// How to train.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// L-BFGS iterations at most.
    pub max_iterations: usize,
    /// L2 regularisation.
    pub c2: f64,
    /// Only these labels (all learnable ones when `None`).
    pub labels: Option<Vec<String>>,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            max_iterations: 30,
            c2: 0.1,
            labels: None,
        }
    }
}

/// The B/I/O tag of each token for `label`'s tags.
fn bio(t: &[Token], tags: &[(String, Range<usize>)], label: &str) -> Vec<&'static str> {
    let mut out = vec!["O"; t.len()];
    let mut spans: Vec<&Range<usize>> = tags
        .iter()
        .filter(|(l, _)| l == label)
        .map(|(_, r)| r)
        .collect();
    spans.sort_by_key(|r| r.start);
    let mut k = 0;
    for r in spans {
        while k < t.len() && t[k].bytes.start < r.start {
            k += 1;
        }
        let mut first = true;
        let mut j = k;
        while j < t.len() && t[j].bytes.end <= r.end {
            if out[j] == "O" {
                out[j] = if first { "B" } else { "I" };
            }
            first = false;
            j += 1;
        }
    }
    out
}

/// A unique temporary file name for a model being written.
fn temp_model_path() -> PathBuf {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "gloss-crf-{}-{n}-{}.tmp",
        std::process::id(),
        crate::annotation::new_id()
    ))
}

impl Model {
    /// Train on `articles`; `None` when there is nothing to learn (no tags, or only clauses).
    /// Labels are trained on threads, two at a time.
    pub fn train(
        articles: &[TrainingArticle],
        lex: &Lexicon,
        options: &TrainOptions,
    ) -> io::Result<Option<Model>> {
        // tokens and features once
        // articles too long to learn from in memory are left out
        let articles: Vec<&TrainingArticle> = articles
            .iter()
            .filter(|a| a.text.len() <= MAX_LEARN_BYTES)
            .collect();
        // which labels: mean length in tokens at most MAX_MEAN_TOKENS
        let mut stats: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
        for a in &articles {
            let (t, _) = tokens(&a.text);
            for (l, r) in &a.tags {
                let n = t
                    .iter()
                    .filter(|x| r.start <= x.bytes.start && x.bytes.end <= r.end)
                    .count();
                let e = stats.entry(l.as_str()).or_default();
                e.0 += 1;
                e.1 += n;
            }
        }
        let labels: Vec<&str> = stats
            .iter()
            .filter(|(_, (c, n))| *c > 0 && (*n as f64 / *c as f64) <= MAX_MEAN_TOKENS)
            .map(|(l, _)| *l)
            .filter(|l| {
                options
                    .labels
                    .as_ref()
                    .is_none_or(|ls| ls.iter().any(|x| x == l))
            })
            .collect();
        if labels.is_empty() {
            return Ok(None);
        }
        let train_one = |label: &str| -> io::Result<(String, Vec<u8>)> {
            let mut trainer = crfs::Trainer::lbfgs();
            trainer.params_mut().set_c2(options.c2)?;
            trainer
                .params_mut()
                .set_max_iterations(options.max_iterations.max(1))?;
            // features article by article (the trainer keeps them as ids)
            for a in &articles {
                let (t, w) = tokens(&a.text);
                if t.is_empty() {
                    continue;
                }
                let f = features(&a.text, &t, &w, lex);
                trainer.append(&f, &bio(&t, &a.tags, label))?;
            }
            let path = temp_model_path();
            let result = trainer.train(&path).and_then(|()| std::fs::read(&path));
            let _ = std::fs::remove_file(&path);
            Ok((label.to_string(), result?))
        };
        let mut crfs = Vec::new();
        for pair in labels.chunks(2) {
            let results: Vec<io::Result<(String, Vec<u8>)>> = std::thread::scope(|s| {
                let handles: Vec<_> = pair.iter().map(|l| s.spawn(move || train_one(l))).collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err(io::Error::other("training panicked")))
                    })
                    .collect()
            });
            for r in results {
                crfs.push(r?);
            }
        }
        Ok(Some(Model {
            decoder: Decoder::new(&crfs)?,
            crfs,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_bio_tags() {
        let text = "Ông Tô Lâm, Bộ trưởng.";
        let (t, _) = tokens(text);
        let keys: Vec<&str> = t.iter().map(|x| &text[x.bytes.clone()]).collect();
        assert_eq!(keys, ["Ông", "Tô", "Lâm", ",", "Bộ", "trưởng", "."]);
        let b = text.find("Tô").unwrap();
        let tags = vec![("PERSON".to_string(), b..b + "Tô Lâm".len())];
        assert_eq!(
            bio(&t, &tags, "PERSON"),
            ["O", "B", "I", "O", "O", "O", "O"]
        );
    }
}
