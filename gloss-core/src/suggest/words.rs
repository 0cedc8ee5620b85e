//! Words of an (NFC) text for the patterns: syllables with their bytes, same-text keys and case
//! shape, word lists matched by key (so "Uỷ" and "Ủy", "Hoà" and "Hòa" are one word), and whether
//! a span of text stands between word boundaries.

use std::collections::HashMap;
use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

use crate::text::text_key;

/// A word: a run of letters and digits (a Vietnamese syllable, a number, an acronym).
#[derive(Debug, Clone)]
pub struct Word {
    pub bytes: Range<usize>,
    /// [`text_key`] of the word.
    pub key: String,
    /// Starts with a capital letter.
    pub cap: bool,
    /// Every letter a capital, and at least two of them.
    pub upper: bool,
    /// Has a digit.
    pub digit: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

impl Word {
    /// The word at `bytes` of `text`.
    pub fn at(text: &str, bytes: Range<usize>) -> Word {
        let w = &text[bytes.clone()];
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        Word {
            key: text_key(w),
            cap: w.chars().next().is_some_and(char::is_uppercase),
            upper: letters >= 2 && w.chars().all(|c| !c.is_lowercase()),
            digit: w.chars().any(|c| c.is_ascii_digit()),
            bytes,
        }
    }
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut push = |s: usize, e: usize| out.push(Word::at(text, s..e));
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            push(s, i);
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

/// Is the text at `r` a whole word run (no letter or digit just before or after)?
pub fn at_word_boundaries(text: &str, r: &Range<usize>) -> bool {
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric)
        && !after.is_some_and(|c| c.is_alphanumeric() || is_combining_mark(c))
}

/// Does `word` start with a capital letter?
pub fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Are words `a` and `b` (`a` before `b`) separated by white space only, with no line break?
pub fn spaced(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.bytes.end..b.bytes.start];
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}' || c == '\t')
}

/// Could the word be a Vietnamese syllable (an initial consonant, vowels, a final)? Acronyms such as
/// "UBND", "TP", "GTVT", "HN" cannot.
pub fn is_syllable(key: &str) -> bool {
    let base: String = crate::text::fold::fold_str(key);
    let b = base.as_bytes();
    let mut i = 0;
    const INITIALS: [&str; 27] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h",
        "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x",
    ];
    if let Some(init) = INITIALS.iter().find(|p| base.starts_with(**p)) {
        i = init.len();
    }
    let v0 = i;
    while i < b.len() && b"aeiouy".contains(&b[i]) {
        i += 1;
    }
    if i == v0 && !(v0 > 0 && base[..v0].ends_with("gi")) {
        return false;
    }
    if i - v0 > 3 {
        return false;
    }
    let rest = &base[i..];
    matches!(rest, "" | "c" | "ch" | "m" | "n" | "ng" | "nh" | "p" | "t")
}

/// A list of words or phrases, matched word by word by key.
#[derive(Debug, Clone, Default)]
pub struct WordList {
    /// By the key of the first word: the entries' keys, longest first.
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl WordList {
    pub fn new<S: AsRef<str>>(entries: &[S]) -> WordList {
        let mut by_first: HashMap<String, Vec<Vec<String>>> = HashMap::new();
        for e in entries {
            let keys: Vec<String> = words(e.as_ref()).into_iter().map(|w| w.key).collect();
            if let Some(first) = keys.first() {
                by_first.entry(first.clone()).or_default().push(keys);
            }
        }
        for v in by_first.values_mut() {
            v.sort_by_key(|k| std::cmp::Reverse(k.len()));
            v.dedup();
        }
        WordList { by_first }
    }

    pub fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }

    /// The longest entry starting at word `i`, as the index past its last word (words joined by
    /// white space only).
    pub fn match_at(&self, text: &str, words: &[Word], i: usize) -> Option<usize> {
        let entries = self.by_first.get(&words.get(i)?.key)?;
        entries
            .iter()
            .find(|e| {
                i + e.len() <= words.len()
                    && e.iter().zip(&words[i..]).all(|(k, w)| *k == w.key)
                    && (i + 1..i + e.len()).all(|j| spaced(text, &words[j - 1], &words[j]))
            })
            .map(|e| i + e.len())
    }

    /// The longest entry ending at word `end - 1` (exclusive end `end`), as the index of its first
    /// word.
    pub fn match_ending(&self, text: &str, words: &[Word], end: usize) -> Option<usize> {
        // entries are short: try each start a few words back, the longest first
        (end.saturating_sub(6)..end).find(|&s| self.match_at(text, words, s) == Some(end))
    }

    /// Does word `i` alone make an entry?
    pub fn has_word(&self, w: &Word) -> bool {
        self.by_first
            .get(&w.key)
            .is_some_and(|v| v.iter().any(|k| k.len() == 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_and_acronyms() {
        for s in [
            "nguyễn",
            "thành",
            "chung",
            "vũ",
            "phi",
            "long",
            "huệ",
            "khuê",
            "gia",
            "gì",
            "uỷ",
            "ủy",
            "ở",
            "a",
            "hoà",
            "quyết",
            "nghiêng",
            "trưởng",
            "yến",
        ] {
            assert!(is_syllable(&text_key(s)), "{s}");
        }
        for s in [
            "UBND", "TP", "HN", "GTVT", "KH", "ĐT", "CNN", "TAND", "HCM", "BCA",
        ] {
            assert!(!is_syllable(&text_key(s)), "{s}");
        }
    }

    #[test]
    fn lists_match_by_key_whole_words() {
        let l = WordList::new(&["Ủy ban", "Bộ", "Thành phố"]);
        let t = "Uỷ ban nhân dân thành phố Hà Nội, Bộ, Bột";
        let w = words(t);
        assert_eq!(l.match_at(t, &w, 0), Some(2));
        assert_eq!(l.match_at(t, &w, 4), Some(6));
        assert_eq!(l.match_ending(t, &w, 6), Some(4));
        let bo = w.iter().position(|x| x.key == text_key("Bộ")).unwrap();
        assert_eq!(l.match_at(t, &w, bo), Some(bo + 1));
        assert_eq!(l.match_at(t, &w, bo + 1), None, "Bột");
    }
}
