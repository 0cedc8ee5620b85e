//! The recommender that learns: a linear-chain CRF over tokens (syllables and punctuation), one per
//! label (B/I/O tags, so labels may nest), trained with L-BFGS (the `crfs` crate) on the tags of
//! the corpus's finished articles. Features: the token's same-text key and case shape, its
//! neighbours' (two each side), bigrams, and membership in the name pattern's word lists (surname,
//! after a title, organisation, after a place word, not a name) and the clause pattern's (after a
//! lead, modal), and whether the token ends a surname-led name elsewhere in the article.
//!
//! Labels whose tags are long clauses (TASK) are left to the patterns: a syllable tagger learns
//! names and identifiers, not where a clause ends.

use std::collections::HashSet;
use std::io;
use std::ops::Range;
use std::path::PathBuf;

use crfs::Attribute;

use crate::suggest::lexicon::Lexicon;
use crate::suggest::words::{Word, is_syllable, spaced, words};

/// Bump when features or the model file change: cached models of another version are ignored.
pub const MODEL_VERSION: u32 = 1;

/// Articles longer than this are not learnt from (their features would not fit in memory).
pub const MAX_LEARN_BYTES: usize = 256 * 1024;

/// Tokens tagged at once.
const CHUNK: usize = 4096;

/// Labels whose tags average more tokens than this are not learnt (clauses).
pub const MAX_MEAN_TOKENS: f64 = 12.0;

/// A token: a word, or one punctuation character.
#[derive(Debug, Clone)]
struct Token {
    bytes: Range<usize>,
    /// Index in the words, for words.
    word: Option<usize>,
    key: String,
    shape: &'static str,
}

fn shape(w: &Word, text: &str) -> &'static str {
    let s = &text[w.bytes.clone()];
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    if w.digit {
        if letters > 0 { "dx" } else { "d" }
    } else if w.upper {
        if is_syllable(&w.key) { "XX" } else { "XXa" }
    } else if w.cap {
        if letters == 1 { "X" } else { "Xx" }
    } else {
        "x"
    }
}

/// The tokens of `text` and its words.
fn tokens(text: &str) -> (Vec<Token>, Vec<Word>) {
    let w = words(text);
    let mut out = Vec::with_capacity(w.len() * 2);
    let mut at = 0;
    for (i, x) in w.iter().enumerate() {
        for (j, c) in text[at..x.bytes.start].char_indices() {
            if !c.is_whitespace() && !unicode_normalization::char::is_combining_mark(c) {
                let b = at + j;
                out.push(Token {
                    bytes: b..b + c.len_utf8(),
                    word: None,
                    key: c.to_string(),
                    shape: "p",
                });
            }
        }
        out.push(Token {
            bytes: x.bytes.clone(),
            word: Some(i),
            key: x.key.clone(),
            shape: shape(x, text),
        });
        at = x.bytes.end;
    }
    for (j, c) in text[at..].char_indices() {
        if !c.is_whitespace() && !unicode_normalization::char::is_combining_mark(c) {
            let b = at + j;
            out.push(Token {
                bytes: b..b + c.len_utf8(),
                word: None,
                key: c.to_string(),
                shape: "p",
            });
        }
    }
    (out, w)
}

/// The features of every token.
fn features(text: &str, t: &[Token], w: &[Word], lex: &Lexicon) -> Vec<Vec<Attribute>> {
    let flags = WordFlags::new(text, w, lex);
    token_features(text, t, w, lex, &flags, 0..t.len())
}

/// What the word lists say of each word of a text.
struct WordFlags<'w> {
    after_title: Vec<bool>,
    in_title: Vec<bool>,
    after_place: Vec<bool>,
    in_place: Vec<bool>,
    org: Vec<bool>,
    not_name: Vec<bool>,
    after_lead: Vec<bool>,
    in_lead: Vec<bool>,
    modal: Vec<bool>,
    /// Last syllables of surname-led capitalised runs: the article's given names.
    given: HashSet<&'w str>,
}

impl<'w> WordFlags<'w> {
    fn new(text: &str, w: &'w [Word], lex: &Lexicon) -> WordFlags<'w> {
        // word-level list hits
        let n = w.len();
        let mut after_title = vec![false; n];
        let mut in_title = vec![false; n];
        let mut after_place = vec![false; n];
        let mut in_place = vec![false; n];
        let mut org = vec![false; n];
        let mut not_name = vec![false; n];
        let mut after_lead = vec![false; n];
        let mut in_lead = vec![false; n];
        let mut modal = vec![false; n];
        for i in 0..n {
            if let Some(e) = lex.names.titles.match_at(text, w, i) {
                in_title[i..e].iter_mut().for_each(|x| *x = true);
                if e < n {
                    after_title[e] = true;
                }
            }
            if let Some(e) = lex.names.places.match_at(text, w, i) {
                in_place[i..e].iter_mut().for_each(|x| *x = true);
                if e < n {
                    after_place[e] = true;
                }
            }
            if let Some(e) = lex.names.organisations.match_at(text, w, i) {
                org[i..e].iter_mut().for_each(|x| *x = true);
            }
            if let Some(e) = lex.names.not_names.match_at(text, w, i) {
                not_name[i..e].iter_mut().for_each(|x| *x = true);
            }
            if let Some(e) = lex.triggers.leads.match_at(text, w, i) {
                in_lead[i..e].iter_mut().for_each(|x| *x = true);
                if e < n {
                    after_lead[e] = true;
                }
            }
            if let Some(e) = lex.triggers.modals.match_at(text, w, i) {
                modal[i..e].iter_mut().for_each(|x| *x = true);
            }
        }
        // last syllables of surname-led capitalised runs: given names of the article
        let mut given: HashSet<&str> = HashSet::new();
        let mut i = 0;
        while i < n {
            if w[i].cap && lex.names.surnames.has_word(&w[i]) {
                let mut e = i + 1;
                while e < n && w[e].cap && spaced(text, &w[e - 1], &w[e]) {
                    e += 1;
                }
                if e - i >= 2 {
                    given.insert(&w[e - 1].key);
                }
                i = e;
            } else {
                i += 1;
            }
        }
        WordFlags {
            after_title,
            in_title,
            after_place,
            in_place,
            org,
            not_name,
            after_lead,
            in_lead,
            modal,
            given,
        }
    }
}

/// The features of the tokens `range` of `t`.
fn token_features(
    text: &str,
    t: &[Token],
    w: &[Word],
    lex: &Lexicon,
    flags: &WordFlags,
    range: Range<usize>,
) -> Vec<Vec<Attribute>> {
    let mut out: Vec<Vec<Attribute>> = vec![Vec::with_capacity(24); range.len()];
    let start = range.start;
    each_feature(text, t, w, lex, flags, range, |i, name| {
        out[i - start].push(Attribute::new(name, 1.0));
    });
    out
}

/// Call `emit(token index, feature)` for every feature of the tokens `range` of `t` (written into
/// one buffer, so that tagging allocates nothing per feature).
fn each_feature(
    text: &str,
    t: &[Token],
    w: &[Word],
    lex: &Lexicon,
    flags: &WordFlags,
    range: Range<usize>,
    mut emit: impl FnMut(usize, &str),
) {
    use std::fmt::Write;
    let WordFlags {
        after_title,
        in_title,
        after_place,
        in_place,
        org,
        not_name,
        after_lead,
        in_lead,
        modal,
        given,
    } = flags;
    let key = |k: isize| -> &str {
        usize::try_from(k)
            .ok()
            .and_then(|k| t.get(k))
            .map_or("_", |x| x.key.as_str())
    };
    let shp = |k: isize| -> &str {
        usize::try_from(k)
            .ok()
            .and_then(|k| t.get(k))
            .map_or("_", |x| x.shape)
    };
    let mut buf = String::with_capacity(64);
    for (ti, tok) in t.iter().enumerate().take(range.end).skip(range.start) {
        let k = ti as isize;
        let mut add = |args: std::fmt::Arguments| {
            buf.clear();
            let _ = buf.write_fmt(args);
            emit(ti, &buf);
        };
        add(format_args!("b"));
        add(format_args!("w={}", tok.key));
        add(format_args!("s={}", tok.shape));
        for d in [-2isize, -1, 1, 2] {
            add(format_args!("w{d}={}", key(k + d)));
            add(format_args!("s{d}={}", shp(k + d)));
        }
        add(format_args!("w-1|w={}|{}", key(k - 1), tok.key));
        add(format_args!("w|w1={}|{}", tok.key, key(k + 1)));
        add(format_args!(
            "s-1|s|s1={}|{}|{}",
            shp(k - 1),
            tok.shape,
            shp(k + 1)
        ));
        // the first token of a line
        let line_start = text[..tok.bytes.start]
            .trim_end_matches([' ', '\t', '\u{a0}'])
            .ends_with('\n')
            || text[..tok.bytes.start].trim().is_empty();
        if line_start {
            add(format_args!("bol"));
        }
        if let Some(wi) = tok.word {
            let x = &w[wi];
            for (on, name) in [
                (lex.names.surnames.has_word(x) && x.cap, "sur"),
                (after_title[wi], "title-"),
                (in_title[wi], "title"),
                (after_place[wi], "place-"),
                (in_place[wi], "place"),
                (org[wi], "org"),
                (not_name[wi], "notname"),
                (lex.names.common.has_word(x) && x.cap, "common"),
                (after_lead[wi], "lead-"),
                (in_lead[wi], "lead"),
                (modal[wi], "modal"),
                (x.cap && given.contains(x.key.as_str()), "given"),
            ] {
                if on {
                    emit(ti, name);
                }
            }
        }
    }
}

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

/// A trained model: one CRF per label.
pub struct Model {
    /// (label, CRFsuite model bytes)
    crfs: Vec<(String, Vec<u8>)>,
    /// The same weights, laid out for tagging fast.
    decoder: Decoder,
}

/// The weights of the CRFs as tables: each attribute's state weights for every label's tags, and
/// each label's transition weights; Viterbi decodes with them.
#[derive(Default)]
struct Decoder {
    /// Per label: its tag names and the transition weights (`from * n + to`).
    labels: Vec<(Vec<String>, Vec<f64>)>,
    /// Attribute → (label index, tag index, weight).
    state: std::collections::HashMap<String, Vec<(u16, u8, f64)>, FnvBuild>,
}

/// FNV-1a: a fast hash for the short feature names looked up while tagging.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

impl Decoder {
    /// The tables of CRFsuite models, read through the model's own dump.
    fn new(crfs: &[(String, Vec<u8>)]) -> io::Result<Decoder> {
        let mut d = Decoder::default();
        for (li, (_, bytes)) in crfs.iter().enumerate() {
            let model = crfs::Model::new(bytes)?;
            let tags: Vec<String> = (0..model.num_labels())
                .filter_map(|i| model.to_label(i).map(String::from))
                .collect();
            let n = tags.len();
            let mut trans = vec![0.0; n * n];
            let mut dump = Vec::new();
            model.dump(&mut dump)?;
            let dump = String::from_utf8_lossy(&dump);
            let mut section = "";
            let tag_of = |t: &str| tags.iter().position(|x| x == t);
            for line in dump.lines() {
                if line.ends_with("= {") {
                    section = line.trim_end_matches(" = {");
                    continue;
                }
                let line = line.trim();
                // "(type) source --> target: weight"
                let Some(rest) = line.strip_prefix('(').and_then(|r| r.split_once(") ")) else {
                    continue;
                };
                let Some((left, weight)) = rest.1.rsplit_once(": ") else {
                    continue;
                };
                let Some((source, target)) = left.rsplit_once(" --> ") else {
                    continue;
                };
                let (Ok(weight), Some(to)) = (weight.parse::<f64>(), tag_of(target)) else {
                    continue;
                };
                match section {
                    "TRANSITIONS" => {
                        if let Some(from) = tag_of(source) {
                            trans[from * n + to] = weight;
                        }
                    }
                    "STATE_FEATURES" => d
                        .state
                        .entry(source.to_string())
                        .or_default()
                        .push((li as u16, to as u8, weight)),
                    _ => {}
                }
            }
            d.labels.push((tags, trans));
        }
        Ok(d)
    }

    /// Empty state scores for `t` tokens, per label.
    fn scores(&self, t: usize) -> Vec<Vec<f64>> {
        self.labels
            .iter()
            .map(|(tags, _)| vec![0.0; t * tags.len()])
            .collect()
    }

    /// Add the weights of attribute `name` (value 1) at token `i`.
    fn add(&self, scores: &mut [Vec<f64>], i: usize, name: &str) {
        if let Some(ws) = self.state.get(name) {
            for &(l, tag, w) in ws {
                let n = self.labels[l as usize].0.len();
                scores[l as usize][i * n + tag as usize] += w;
            }
        }
    }

    /// The best tag sequence of each label for tokens with attributes `f`, as tag names.
    #[cfg(test)]
    fn decode<'a>(&'a self, f: &[Vec<Attribute>]) -> Vec<Vec<&'a str>> {
        let mut scores = self.scores(f.len());
        for (i, attrs) in f.iter().enumerate() {
            for a in attrs {
                self.add(&mut scores, i, &a.name);
            }
        }
        self.viterbi(&scores)
    }

    /// The best tag sequence of each label for these state scores.
    fn viterbi<'a>(&'a self, scores: &[Vec<f64>]) -> Vec<Vec<&'a str>> {
        self.labels
            .iter()
            .zip(scores)
            .map(|((tags, trans), state)| {
                let n = tags.len();
                if n == 0 || state.is_empty() {
                    return Vec::new();
                }
                let t = state.len() / n;
                let mut best = state[..n].to_vec();
                let mut back = vec![0usize; t * n];
                for i in 1..t {
                    let mut next = vec![f64::NEG_INFINITY; n];
                    for to in 0..n {
                        for (from, b) in best.iter().enumerate() {
                            let v = b + trans[from * n + to];
                            if v > next[to] {
                                next[to] = v;
                                back[i * n + to] = from;
                            }
                        }
                        next[to] += state[i * n + to];
                    }
                    best = next;
                }
                let mut k = (0..n)
                    .max_by(|a, b| best[*a].total_cmp(&best[*b]))
                    .unwrap_or(0);
                let mut path = vec![0usize; t];
                for i in (0..t).rev() {
                    path[i] = k;
                    k = back[i * n + k];
                }
                path.into_iter().map(|k| tags[k].as_str()).collect()
            })
            .collect()
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
    /// The labels learnt.
    pub fn labels(&self) -> Vec<&str> {
        self.crfs.iter().map(|(l, _)| l.as_str()).collect()
    }

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
