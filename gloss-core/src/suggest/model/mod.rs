//! The model that learns from the corpus's tags: a linear-chain CRF over tokens (the syllables and
//! punctuation marks of [`crate::text::tokens`]), one per label (B/I/O tags, so labels may nest),
//! trained with L-BFGS (the `crfs` crate) on a given training set ([`train`]) and tagging text with
//! its weights laid out as tables (`decoder`). Features (`features`): the token's same-text key
//! and case shape, its neighbours' (two each side), bigrams, and membership in the name pattern's
//! word lists (surname, after a title, organisation, after a place word, not a name) and the clause
//! pattern's (after a lead, modal), and whether the token ends a surname-led name elsewhere in the
//! article.
//!
//! Labels whose tags are long clauses (TASK) are left to the patterns: a syllable tagger learns
//! names and identifiers, not where a clause ends. What a corpus trains it on, and its cache, are
//! the caller's (the `training` module, above the store).

mod decoder;
mod features;
pub mod train;

use std::ops::Range;

use super::lexicon::Lexicon;
use decoder::Decoder;
use features::{Token, WordFlags, each_feature, tokens};

pub use train::{MAX_LEARN_BYTES, MAX_MEAN_TOKENS, TrainOptions, TrainingArticle};

/// Bump when features or the model file change: cached models of another version are ignored.
pub const MODEL_VERSION: u32 = 2;

/// Tokens tagged at once.
const CHUNK: usize = 4096;

/// A trained model: one CRF per label.
pub struct Model {
    /// (label, CRFsuite model bytes)
    crfs: Vec<(String, Vec<u8>)>,
    /// The same weights, laid out for tagging fast.
    decoder: Decoder,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("labels", &self.labels())
            .finish_non_exhaustive()
    }
}

impl Model {
    /// The labels learnt.
    pub fn labels(&self) -> Vec<&str> {
        self.crfs.iter().map(|(l, _)| l.as_str()).collect()
    }

    /// Tagged spans of `text`: (label, bytes), never starting or ending with punctuation.
    pub fn tag(&self, text: &str, lex: &Lexicon) -> Vec<(String, Range<usize>)> {
        let (t, w) = tokens(text);
        if t.is_empty() {
            return Vec::new();
        }
        let flags = WordFlags::new(text, &w, lex);
        let mut out = Vec::new();
        // in chunks of at most CHUNK tokens, cut after a line break or a full stop where one is
        // near (features of a long text would not fit in memory at once)
        let mut from = 0;
        while from < t.len() {
            let mut to = (from + CHUNK).min(t.len());
            if to < t.len()
                && let Some(k) = (from + CHUNK / 2..to).rev().find(|&k| {
                    t[k].key == "." || text[t[k].bytes.end..t[k + 1].bytes.start].contains('\n')
                })
            {
                to = k + 1;
            }
            let mut scores = self.decoder.scores(to - from);
            each_feature(text, &t, &w, lex, &flags, from..to, |i, name| {
                self.decoder.add(&mut scores, i - from, name);
            });
            self.tag_chunk(&t[from..to], &self.decoder.viterbi(&scores), &mut out);
            from = to;
        }
        out
    }

    /// The spans of one chunk of tokens from its tags per label, pushed to `out`.
    fn tag_chunk(&self, t: &[Token], tagged: &[Vec<&str>], out: &mut Vec<(String, Range<usize>)>) {
        for ((label, _), tags) in self.crfs.iter().zip(tagged) {
            let mut k = 0;
            while k < tags.len() {
                if tags[k] == "O" {
                    k += 1;
                    continue;
                }
                let s = k;
                k += 1;
                while k < tags.len() && tags[k] == "I" {
                    k += 1;
                }
                // no punctuation at the ends
                let (mut a, mut b) = (s, k);
                while a < b && t[a].word.is_none() {
                    a += 1;
                }
                while b > a && t[b - 1].word.is_none() {
                    b -= 1;
                }
                if a < b {
                    out.push((label.clone(), t[a].bytes.start..t[b - 1].bytes.end));
                }
            }
        }
    }

    /// The model as bytes (for the cache).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"GLSM");
        out.extend_from_slice(&MODEL_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.crfs.len() as u32).to_le_bytes());
        for (l, b) in &self.crfs {
            out.extend_from_slice(&(l.len() as u32).to_le_bytes());
            out.extend_from_slice(l.as_bytes());
            out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            out.extend_from_slice(b);
        }
        out
    }

    /// A model from [`Model::to_bytes`]; `None` if the bytes are not one (of this version).
    pub fn from_bytes(bytes: &[u8]) -> Option<Model> {
        // the CRF library may panic on bytes it did not write: damaged bytes are no model
        crate::error::catch_quietly(|| Model::parse(bytes)).flatten()
    }

    fn parse(bytes: &[u8]) -> Option<Model> {
        let mut at: usize = 0;
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = bytes.get(at..at.checked_add(n)?)?;
            at += n;
            Some(s)
        };
        if take(4)? != b"GLSM" {
            return None;
        }
        let u32_of = |s: &[u8]| u32::from_le_bytes(s.try_into().unwrap_or([0; 4]));
        if u32_of(take(4)?) != MODEL_VERSION {
            return None;
        }
        let n = u32_of(take(4)?) as usize;
        let mut crfs = Vec::new();
        for _ in 0..n.min(1024) {
            let ln = u32_of(take(4)?) as usize;
            let label = String::from_utf8(take(ln)?.to_vec()).ok()?;
            let bn = u64::from_le_bytes(take(8)?.try_into().ok()?) as usize;
            let b = take(bn)?.to_vec();
            crfs::Model::new(&b).ok()?;
            crfs.push((label, b));
        }
        Some(Model {
            decoder: Decoder::new(&crfs).ok()?,
            crfs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use features::features;

    #[test]
    fn a_model_learns_a_toy_pattern_and_round_trips() {
        let lex = Lexicon::from_patterns(&crate::corpus::patterns::builtin_patterns());
        let names = [
            "Tô Lâm",
            "Lê Minh",
            "Vũ Đam",
            "Mai Hoa",
            "Phạm Sanh",
            "Trần Tư",
        ];
        let mut arts = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let text = format!("Hôm qua ông {n} đến thăm. Trời mưa số {i}.");
            let b = text.find(n).unwrap();
            arts.push(TrainingArticle {
                tags: vec![("PERSON".into(), b..b + n.len())],
                text,
            });
        }
        let m = Model::train(&arts, &lex, &TrainOptions::default())
            .unwrap()
            .unwrap();
        let text = "Sáng nay ông Đỗ Hùng đến thăm.";
        let got: Vec<&str> = m
            .tag(text, &lex)
            .into_iter()
            .map(|(_, r)| &text[r])
            .collect();
        assert_eq!(got, ["Đỗ Hùng"]);
        // the tables decode as crfs's own tagger does
        let (t, w) = tokens(text);
        let f = features(text, &t, &w, &lex);
        let model = crfs::Model::new(&m.crfs[0].1).unwrap();
        let tagger = model.tagger().unwrap();
        let theirs = tagger.tag(&f).unwrap();
        assert_eq!(m.decoder.decode(&f)[0], theirs);
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.labels(), ["PERSON"]);
        assert_eq!(back.tag(text, &lex), m.tag(text, &lex));
        assert!(Model::from_bytes(b"nope").is_none());
        // a text of many chunks, on one line and on many
        for sep in [" ", "\n"] {
            let long = format!("Sáng nay ông Đỗ Hùng đến thăm.{sep}").repeat(2000);
            let found = m.tag(&long, &lex);
            assert_eq!(found.len(), 2000, "{sep:?}");
            assert!(found.iter().all(|(_, r)| &long[r.clone()] == "Đỗ Hùng"));
        }
    }
}
