//! The gazetteer: every text already tagged in the corpus (per label), found again in other texts as
//! a whole word, alike but for Unicode form and tone placement ("Hòa" = "Hoà" = NFD "Hòa", not
//! "Hoa", "Hoàng" or "HÒA"); a one-word name only where it stands alone.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::words::{self, Word, WordList, at_word_boundaries, is_capitalised};
use crate::text::fold::{Folded, fold_str};
use crate::text::{same_text, text_key};

/// The longest tagged text the gazetteer keeps, in bytes (the longest span of the gold set is 480
/// characters, a TASK).
pub const MAX_ENTRY_BYTES: usize = 4096;

/// Above this many bytes of texts, the automaton is an NFA rather than a DFA.
const DFA_MAX_BYTES: usize = 64 << 10;

/// Texts already tagged, and where they stand in a text.
#[derive(Clone, Default)]
pub struct Gazetteer {
    /// (label, text) already tagged somewhere.
    entries: Vec<(String, String)>,
    automaton: Option<AhoCorasick>,
    /// Phrases a capitalised word may start without being a name (the name patterns'
    /// `not_names`): a one-word entry is not suggested as their first word.
    compounds: WordList,
}

/// Is `s` one word starting with a capital ("Mai", "Thể")?
fn is_one_capitalised_word(s: &str) -> bool {
    is_capitalised(s) && s.chars().all(|c| !c.is_whitespace())
}

impl Gazetteer {
    /// A gazetteer of no texts yet, whose one-word names are not taken at the start of one of
    /// `compounds`.
    pub fn new(compounds: WordList) -> Gazetteer {
        Gazetteer {
            compounds,
            ..Gazetteer::default()
        }
    }

    /// Hold `entries` (label, text) in place of those before; texts of fewer than two letters or
    /// digits are left out, and so are texts over [`MAX_ENTRY_BYTES`] (no name, directive or task
    /// is found again whole at that length, and one such tag, a paragraph tagged by mistake, would
    /// make the automaton as large as the paragraph times the alphabet).
    pub fn set(&mut self, entries: impl IntoIterator<Item = (String, String)>) {
        let mut g: Vec<(String, String)> = entries
            .into_iter()
            .filter(|(_, t)| {
                t.len() <= MAX_ENTRY_BYTES
                    && fold_str(t).chars().filter(|c| c.is_alphanumeric()).count() >= 2
            })
            .collect();
        g.sort();
        g.dedup_by(|a, b| a.0 == b.0 && text_key(&a.1) == text_key(&b.1));
        let folded: Vec<String> = g.iter().map(|(_, t)| fold_str(t)).collect();
        let bytes: usize = folded.iter().map(String::len).sum();
        // a DFA is fastest to search but costs states × alphabet to build: only for small sets
        let kind = (bytes > DFA_MAX_BYTES).then_some(AhoCorasickKind::ContiguousNFA);
        self.automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(kind)
            .build(&folded)
            .ok();
        self.entries = g;
    }

    /// The texts found in `text`: (label, bytes), in order.
    pub fn find(&self, text: &str) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        let Some(ac) = &self.automaton else {
            return out;
        };
        let mut text_words: Option<Vec<Word>> = None;
        let folded = Folded::new(text);
        for m in ac.find_iter(folded.text.as_str()) {
            let (label, want) = &self.entries[m.pattern().as_usize()];
            let r = folded.to_original(text, m.start()..m.end());
            if at_word_boundaries(text, &r)
                && same_text(want, &text[r.clone()])
                && (!is_one_capitalised_word(want) || self.stands_alone(text, &mut text_words, &r))
            {
                out.push((label.clone(), r));
            }
        }
        out
    }

    /// Does the one-word match `r` stand alone as a name: not at a sentence's start, no capitalised
    /// word right before or after it, not the first word of a compound ("Thể thao")?
    fn stands_alone(&self, text: &str, words: &mut Option<Vec<Word>>, r: &Range<usize>) -> bool {
        let w = words.get_or_insert_with(|| words::words(text));
        let Ok(i) = w.binary_search_by_key(&r.start, |x| x.bytes.start) else {
            return true;
        };
        let before = text[..r.start].trim_end_matches([' ', '\u{a0}', '"', '“', '(', '\'']);
        if before.is_empty() || before.ends_with(['.', '!', '?', '…', '\n', ':', '-']) {
            return false;
        }
        if i > 0 && w[i - 1].cap && words::spaced(text, &w[i - 1], &w[i]) {
            return false;
        }
        if i + 1 < w.len() && w[i + 1].cap && words::spaced(text, &w[i], &w[i + 1]) {
            return false;
        }
        self.compounds
            .match_at(text, w, i)
            .is_none_or(|e| e <= i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(g: &Gazetteer, text: &str) -> Vec<(String, String)> {
        g.find(text)
            .into_iter()
            .map(|(l, r)| (l, text[r].to_string()))
            .collect()
    }

    #[test]
    fn a_paragraph_tagged_whole_is_no_entry_and_the_names_beside_it_are_found() {
        let para = "Ông Tô Lâm nói về chỉ thị số 24/CT-TW, ".repeat(200);
        let mut g = Gazetteer::default();
        g.set([
            ("TASK".to_string(), para.clone()),
            ("PERSON".to_string(), "Tô Lâm".to_string()),
        ]);
        let text = format!("{para}và bà Hoà.");
        let hits = found(&g, &text);
        assert_eq!(hits.len(), 200, "every Tô Lâm, never the paragraph");
        assert!(hits.iter().all(|(l, t)| l == "PERSON" && t == "Tô Lâm"));
    }

    #[test]
    fn a_large_set_is_searched_as_a_small_one() {
        // over the DFA's limit: thousands of names, each still found where it stands alone
        let names: Vec<(String, String)> = (0..6000)
            .map(|i| ("PERSON".to_string(), format!("Nguyễn Văn Số{i}")))
            .collect();
        let bytes: usize = names.iter().map(|(_, t)| t.len()).sum();
        assert!(bytes > DFA_MAX_BYTES);
        let mut g = Gazetteer::default();
        g.set(names);
        let hits = found(
            &g,
            "Hôm qua ông Nguyễn Văn Số4321 và ông Nguyễn Văn Số17 đến.",
        );
        assert_eq!(
            hits,
            [
                ("PERSON".to_string(), "Nguyễn Văn Số4321".to_string()),
                ("PERSON".to_string(), "Nguyễn Văn Số17".to_string()),
            ]
        );
    }
}
