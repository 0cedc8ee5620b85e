//! CoNLL-2003 style IOB2 output: `TOKEN TAG` per line, a blank line between sentences, `-DOCSTART- O`
//! before each article.
//!
//! Tokens are Vietnamese syllables (runs of letters and digits) and single punctuation marks; white
//! space, control and invisible characters are not tokens. A token belongs to a tag when it overlaps
//! it.
//!
//! Overlaps: the **outermost tag wins**. Tags are taken longest first (then the earlier start, then
//! the id); a tag sharing a token with a tag already taken is dropped, and reported. Sentences that a
//! kept tag spans are written as one sentence, so no tag is cut by a sentence break.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::record::Record;
use crate::text::display::{is_bidi_control, is_control};
use crate::text::{CharIndex, motion, sanitize_inline};

/// A token: its bytes in the text and the sentence it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub bytes: Range<usize>,
    pub sentence: usize,
}

fn is_token_grapheme(g: &str) -> bool {
    !g.chars().all(|c| {
        c.is_whitespace()
            || is_control(c)
            || is_bidi_control(c)
            || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
    })
}

/// Split a text into tokens, sentence by sentence.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut sentence = 0;
    let mut line_start = 0;
    while line_start <= text.len() {
        let line = motion::line_at(text, line_start);
        for s in motion::sentences_in_line(text, line.clone()) {
            let mut word: Option<usize> = None;
            for (off, g) in text[s.clone()].grapheme_indices(true) {
                let b = s.start + off;
                if motion::is_word(g) {
                    word.get_or_insert(b);
                    continue;
                }
                if let Some(w) = word.take() {
                    out.push(Token {
                        bytes: w..b,
                        sentence,
                    });
                }
                if is_token_grapheme(g) {
                    out.push(Token {
                        bytes: b..b + g.len(),
                        sentence,
                    });
                }
            }
            if let Some(w) = word.take() {
                out.push(Token {
                    bytes: w..s.end,
                    sentence,
                });
            }
            sentence += 1;
        }
        match text[line.end..].find('\n') {
            Some(i) => line_start = line.end + i + 1,
            None => break,
        }
    }
    out
}

/// The CoNLL text of a document, and what the overlap rule dropped.
pub fn document(doc: &Record) -> (String, Vec<String>) {
    let text = &doc.text;
    let tokens = tokenize(text);
    let index = CharIndex::new(text);
    let mut tags: Vec<(Range<usize>, &crate::annotation::Annotation)> = doc
        .tags
        .iter()
        .filter_map(|t| {
            let a = index.char_to_byte(text, t.start)?;
            let b = index.char_to_byte(text, t.end)?;
            Some((a..b, t))
        })
        .collect();
    // longest first, then earliest start, then id
    tags.sort_by(|(ra, a), (rb, b)| {
        rb.len()
            .cmp(&ra.len())
            .then(ra.start.cmp(&rb.start))
            .then(a.id.cmp(&b.id))
    });
    let mut assigned: Vec<Option<(String, bool)>> = vec![None; tokens.len()];
    let mut joined = vec![false; tokens.last().map_or(0, |t| t.sentence + 1)];
    let mut dropped = Vec::new();
    for (r, t) in tags {
        let first = tokens.partition_point(|k| k.bytes.end <= r.start);
        let last = tokens.partition_point(|k| k.bytes.start < r.end);
        if first >= last {
            dropped.push(format!(
                "{} “{}” covers no token: dropped",
                t.label,
                sanitize_inline(&t.text)
            ));
            continue;
        }
        if assigned[first..last].iter().any(Option::is_some) {
            dropped.push(format!(
                "{} “{}” overlaps a longer tag (outermost wins): dropped",
                t.label,
                sanitize_inline(&t.text)
            ));
            continue;
        }
        for (i, slot) in assigned[first..last].iter_mut().enumerate() {
            *slot = Some((t.label.clone(), i == 0));
        }
        joined[tokens[first].sentence..tokens[last - 1].sentence].fill(true);
    }
    let mut out = String::from("-DOCSTART- O\n\n");
    for (i, tok) in tokens.iter().enumerate() {
        out.push_str(&text[tok.bytes.clone()]);
        match &assigned[i] {
            Some((label, true)) => out.push_str(&format!(" B-{label}\n")),
            Some((label, false)) => out.push_str(&format!(" I-{label}\n")),
            None => out.push_str(" O\n"),
        }
        let sentence_ends = tokens
            .get(i + 1)
            .is_none_or(|n| n.sentence != tok.sentence && !joined[tok.sentence]);
        if sentence_ends {
            out.push('\n');
        }
    }
    (out, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Annotation;
    use crate::corpus::Meta;

    fn doc(text: &str, tags: &[(&str, &str)]) -> Record {
        let tags = tags
            .iter()
            .map(|(label, needle)| {
                let b = text.find(needle).unwrap();
                let s = text[..b].chars().count();
                Annotation::new(label, s, s + needle.chars().count(), needle, "t")
            })
            .collect();
        Record {
            id: "a.txt".into(),
            path: "a.txt".into(),
            text: text.into(),
            meta: Meta::default(),
            tags,
            status: crate::annotation::Status::New,
        }
    }

    #[test]
    fn syllables_and_punctuation() {
        let text = "Ông Tô Lâm, chỉ thị số 24/CT-TW.\nDòng hai.";
        let toks: Vec<&str> = tokenize(text)
            .iter()
            .map(|t| &text[t.bytes.clone()])
            .collect();
        assert_eq!(
            toks,
            vec![
                "Ông", "Tô", "Lâm", ",", "chỉ", "thị", "số", "24", "/", "CT", "-", "TW", ".",
                "Dòng", "hai", "."
            ]
        );
    }

    #[test]
    fn iob2_with_outermost_rule_and_joined_sentences() {
        let text = "Ông Tô Lâm yêu cầu. Làm ngay.\nHết.";
        let d = doc(
            text,
            &[
                ("PERSON", "Tô Lâm"),
                ("TASK", "Tô Lâm yêu cầu. Làm ngay."),
                ("PERSON", "Lâm"),
            ],
        );
        let (out, dropped) = document(&d);
        assert_eq!(
            out,
            "-DOCSTART- O\n\nÔng O\nTô B-TASK\nLâm I-TASK\nyêu I-TASK\ncầu I-TASK\n. I-TASK\nLàm I-TASK\nngay I-TASK\n. I-TASK\n\nHết O\n. O\n\n"
        );
        assert_eq!(dropped.len(), 2);
    }
}
