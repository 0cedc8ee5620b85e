//! The older, simpler name pattern ([`crate::corpus::patterns::Pattern::AfterTitle`]): capitalised
//! syllables after a title, skipping an organisation's words ("Bộ trưởng Bộ Công an Tô Lâm" gives
//! "Tô Lâm").

use std::ops::Range;

use aho_corasick::{AhoCorasick, BuildError, MatchKind};
use unicode_normalization::UnicodeNormalization;

use super::words::{at_word_boundaries, is_capitalised};
use crate::text::text_key;

/// The compiled pattern.
#[derive(Clone)]
pub struct AfterTitle {
    titles: AhoCorasick,
    /// Keys of the organisation words skipped before a name.
    skip: Vec<String>,
}

impl AfterTitle {
    pub fn new(titles: &[String], skip: &[String]) -> Result<AfterTitle, BuildError> {
        Ok(AfterTitle {
            titles: AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(titles.iter().map(|t| t.nfc().collect::<String>()))?,
            skip: skip.iter().map(|t| text_key(t)).collect(),
        })
    }

    /// Names in `text` (NFC), as byte ranges.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for m in self.titles.find_iter(text) {
            let r = m.range();
            if !at_word_boundaries(text, &r) {
                continue;
            }
            if let Some(name) = name_after(text, r.end, &self.skip) {
                out.push(name);
            }
        }
        out
    }
}

/// The name after a title ending at byte `at`: skip organisation words, then take 1 to 4
/// capitalised syllables (the last capitalised run before a lowercase word or punctuation).
fn name_after(text: &str, at: usize, skip: &[String]) -> Option<Range<usize>> {
    // words up to the next punctuation, at most 10
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut i = at;
    while words.len() < 10 {
        let rest = &text[i..];
        let lead = rest.len() - rest.trim_start_matches([' ', '\u{A0}']).len();
        if lead == 0 && !words.is_empty() {
            break;
        }
        let start = i + lead;
        let end = text[start..]
            .find(|c: char| {
                !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c))
            })
            .map_or(text.len(), |k| start + k);
        if end == start {
            break;
        }
        words.push(start..end);
        i = end;
    }
    // the first run of capitalised words that are not organisation words, then continuing while
    // capitalised
    let first = words.iter().position(|w| {
        let s = &text[w.clone()];
        is_capitalised(s) && !skip.contains(&text_key(s))
    })?;
    // everything before it must be organisation words (or capitalised words of one)
    if !words[..first].iter().all(|w| {
        let s = &text[w.clone()];
        skip.contains(&text_key(s)) || is_capitalised(s)
    }) {
        return None;
    }
    let mut last = first;
    while last + 1 < words.len()
        && last - first < 3
        && is_capitalised(&text[words[last + 1].clone()])
    {
        last += 1;
    }
    Some(words[first].start..words[last].end)
}
