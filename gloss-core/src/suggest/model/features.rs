//! The model's features: the tokens of a text with their same-text keys and case shapes, what the
//! lexicon says of each word, and every feature of a token (written into one buffer, so that
//! tagging allocates nothing per feature).

use std::collections::HashSet;
use std::ops::Range;

use crfs::Attribute;

use crate::suggest::lexicon::Lexicon;
use crate::suggest::words::{Word, is_syllable, spaced};
use crate::text::tokens::tokenize;

/// A token of the model: a word, or a punctuation mark, with its key and shape.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) bytes: Range<usize>,
    /// Index in the words, for words.
    pub(super) word: Option<usize>,
    pub(super) key: String,
    pub(super) shape: &'static str,
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

/// The tokens of `text` ([`crate::text::tokens`]) with their keys and shapes, and its words (the
/// tokens that are syllables or numbers).
pub(super) fn tokens(text: &str) -> (Vec<Token>, Vec<Word>) {
    let mut words = Vec::new();
    let tokens = tokenize(text)
        .into_iter()
        .map(|t| {
            if t.is_word(text) {
                let w = Word::at(text, t.bytes.clone());
                let token = Token {
                    bytes: t.bytes,
                    word: Some(words.len()),
                    key: w.key.clone(),
                    shape: shape(&w, text),
                };
                words.push(w);
                token
            } else {
                Token {
                    key: text[t.bytes.clone()].to_string(),
                    bytes: t.bytes,
                    word: None,
                    shape: "p",
                }
            }
        })
        .collect();
    (tokens, words)
}

/// The features of every token.
pub(super) fn features(text: &str, t: &[Token], w: &[Word], lex: &Lexicon) -> Vec<Vec<Attribute>> {
    let flags = WordFlags::new(text, w, lex);
    token_features(text, t, w, lex, &flags, 0..t.len())
}

/// What the word lists say of each word of a text.
pub(super) struct WordFlags<'w> {
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
    pub(super) fn new(text: &str, w: &'w [Word], lex: &Lexicon) -> WordFlags<'w> {
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
pub(super) fn each_feature(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::text_key;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn the_models_tokens_are_the_texts_tokens_with_keys_and_shapes() {
        let nfc = "Ông TÔ Lâm (UBND) nói: “số 24/CT-TW”\u{200B}.";
        let nfd: String = nfc.nfd().collect();
        for text in [nfc, nfd.as_str()] {
            let (t, w) = tokens(text);
            let shared: Vec<Range<usize>> = tokenize(text).into_iter().map(|x| x.bytes).collect();
            assert_eq!(
                t.iter().map(|x| x.bytes.clone()).collect::<Vec<_>>(),
                shared
            );
            let seen: Vec<(&str, &str)> = t.iter().map(|x| (x.key.as_str(), x.shape)).collect();
            let want: Vec<(String, &str)> = [
                ("Ông", "Xx"),
                ("TÔ", "XX"),
                ("Lâm", "Xx"),
                ("(", "p"),
                ("UBND", "XXa"),
                (")", "p"),
                ("nói", "x"),
                (":", "p"),
                ("“", "p"),
                ("số", "x"),
                ("24", "d"),
                ("/", "p"),
                ("CT", "XXa"),
                ("-", "p"),
                ("TW", "XXa"),
                ("”", "p"),
                (".", "p"),
            ]
            .into_iter()
            .map(|(s, shape)| {
                let key = if shape == "p" {
                    s.to_string()
                } else {
                    text_key(s)
                };
                (key, shape)
            })
            .collect();
            let want: Vec<(&str, &str)> = want.iter().map(|(k, s)| (k.as_str(), *s)).collect();
            assert_eq!(seen, want, "{text:?}");
            // the words are the tokens that are words, in order
            let words_of: Vec<&str> = t
                .iter()
                .filter_map(|x| x.word.map(|i| &text[w[i].bytes.clone()]))
                .collect();
            assert_eq!(words_of.len(), w.len());
            assert!(
                t.iter()
                    .all(|x| x.word.is_none_or(|i| w[i].bytes == x.bytes))
            );
        }
    }
}
