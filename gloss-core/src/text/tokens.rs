//! The tokens of a text: Vietnamese syllables (runs of letters and digits) and single punctuation
//! marks, each with the sentence it is in. White space, control and invisible characters are not
//! tokens, and no token holds white space (a combining mark after a space is a token of its own).
//! The one tokenizer of gloss: the CoNLL export writes these tokens, agreement labels them, the
//! model tags them.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::display::{is_bidi_control, is_control};
use super::motion;

/// A token: its bytes in the text and the sentence it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub bytes: Range<usize>,
    pub sentence: usize,
}

impl Token {
    /// Is the token (of `text`) a word, a syllable or a number (it starts with a letter or a digit,
    /// as [`motion::is_word`] says)? Else it is a punctuation mark or another symbol.
    pub fn is_word(&self, text: &str) -> bool {
        motion::is_word(&text[self.bytes.clone()])
    }
}

/// White space as Python's `str.split()` sees it (which is what column readers split lines with).
pub fn is_split_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1C}'..='\u{1F}')
}

/// A character that is never a token by itself: white space, controls, bidi controls and
/// zero-width characters. Text made only of these lies between tokens.
pub fn is_gap(c: char) -> bool {
    is_split_space(c)
        || is_control(c)
        || is_bidi_control(c)
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Is `c` a character next to which there is always a grapheme boundary, in a run of such
/// characters (UAX #29)? True for ASCII but CR, Latin-1, Latin Extended, the precomposed Vietnamese
/// letters and the dashes, quotes and ellipsis of General Punctuation: none of them combines with
/// its neighbour, so text made of them needs no segmentation.
fn stands_alone(c: char) -> bool {
    (c < '\u{300}' && c != '\r')
        || ('\u{1E00}'..='\u{1EFF}').contains(&c)
        || ('\u{2010}'..='\u{2027}').contains(&c)
        || ('\u{2030}'..='\u{205E}').contains(&c)
}

/// `c.is_alphanumeric()`, answered without the Unicode tables for the letters of Vietnamese text.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if ('\u{C0}'..='\u{24F}').contains(&c) {
        c != '\u{D7}' && c != '\u{F7}'
    } else if ('\u{1E00}'..='\u{1EFF}').contains(&c) {
        true
    } else {
        c.is_alphanumeric()
    }
}

/// Push the token `bytes` of `text`, split around any white space inside it (a grapheme such as a
/// space with a combining mark on it).
fn push_token(out: &mut Vec<Token>, text: &str, bytes: Range<usize>, sentence: usize) {
    let s = &text[bytes.clone()];
    if !s.contains(is_split_space) {
        out.push(Token { bytes, sentence });
        return;
    }
    let mut run: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let b = bytes.start + i;
        if is_split_space(c) {
            if let Some(r) = run.take() {
                out.push(Token {
                    bytes: r..b,
                    sentence,
                });
            }
        } else {
            run.get_or_insert(b);
        }
    }
    if let Some(r) = run {
        out.push(Token {
            bytes: r..bytes.end,
            sentence,
        });
    }
}

/// The tokens of sentence `s`, one character at a time; `false` (and nothing pushed) if the
/// sentence holds a character that may combine with a neighbour (see [`stands_alone`]).
fn tokens_by_char(text: &str, s: Range<usize>, sentence: usize, out: &mut Vec<Token>) -> bool {
    let before = out.len();
    let mut word: Option<usize> = None;
    for (off, c) in text[s.clone()].char_indices() {
        if !stands_alone(c) {
            out.truncate(before);
            return false;
        }
        let b = s.start + off;
        if is_alphanumeric(c) {
            word.get_or_insert(b);
            continue;
        }
        if let Some(w) = word.take() {
            out.push(Token {
                bytes: w..b,
                sentence,
            });
        }
        if !is_gap(c) {
            out.push(Token {
                bytes: b..b + c.len_utf8(),
                sentence,
            });
        }
    }
    if let Some(w) = word {
        out.push(Token {
            bytes: w..s.end,
            sentence,
        });
    }
    true
}

/// The tokens of sentence `s`, by grapheme.
fn tokens_by_grapheme(text: &str, s: Range<usize>, sentence: usize, out: &mut Vec<Token>) {
    let mut word: Option<usize> = None;
    for (off, g) in text[s.clone()].grapheme_indices(true) {
        let b = s.start + off;
        if motion::is_word(g) {
            word.get_or_insert(b);
            continue;
        }
        if let Some(w) = word.take() {
            push_token(out, text, w..b, sentence);
        }
        if !g.chars().all(is_gap) {
            push_token(out, text, b..b + g.len(), sentence);
        }
    }
    if let Some(w) = word {
        push_token(out, text, w..s.end, sentence);
    }
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '»' | '”' | '’')
}

/// The tokens of the line `line`, one character at a time, with its sentences found in the same
/// pass (as [`motion::sentences_in_line`] finds them: a sentence ends after `.`, `!`, `?` or `…`,
/// with any closing quotes, before white space or the line's end). `false`, and nothing pushed,
/// if the line holds a character that may combine with a neighbour (see [`stands_alone`]).
fn line_by_char(
    text: &str,
    line: Range<usize>,
    sentence: &mut usize,
    out: &mut Vec<Token>,
) -> bool {
    let before = out.len();
    let first_sentence = *sentence;
    let mut word: Option<usize> = None;
    // after a terminator (and closers): the sentence ends if white space comes next
    let mut ending = false;
    let mut any = false;
    for (off, c) in text[line.clone()].char_indices() {
        if !stands_alone(c) {
            out.truncate(before);
            *sentence = first_sentence;
            return false;
        }
        let b = line.start + off;
        if ending && !is_terminator(c) && !is_closer(c) {
            ending = false;
            if c.is_whitespace() {
                if let Some(w) = word.take() {
                    out.push(Token {
                        bytes: w..b,
                        sentence: *sentence,
                    });
                }
                *sentence += 1;
                any = false;
            }
        }
        if is_alphanumeric(c) {
            word.get_or_insert(b);
            any = true;
            continue;
        }
        if let Some(w) = word.take() {
            out.push(Token {
                bytes: w..b,
                sentence: *sentence,
            });
        }
        if !is_gap(c) {
            out.push(Token {
                bytes: b..b + c.len_utf8(),
                sentence: *sentence,
            });
            any = true;
        }
        // (not at the full stop of an abbreviation or an initial: "TP. Hà Nội", "ông T. về")
        if is_terminator(c)
            && !(c == '.'
                && off + 1 < line.len()
                && motion::is_abbreviation_stop(&text[line.clone()], off))
        {
            ending = true;
        }
    }
    if let Some(w) = word {
        out.push(Token {
            bytes: w..line.end,
            sentence: *sentence,
        });
        any = true;
    }
    if any {
        *sentence += 1;
    }
    true
}

/// Split a text into tokens, sentence by sentence.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut sentence = 0;
    let mut line_start = 0;
    loop {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
            .map_or(text.len(), |i| line_start + i);
        let mut end = line_end;
        if end > line_start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        if end > line_start && !line_by_char(text, line_start..end, &mut sentence, &mut out) {
            for s in motion::sentences_in_line(text, line_start..end) {
                if !tokens_by_char(text, s.clone(), sentence, &mut out) {
                    tokens_by_grapheme(text, s, sentence, &mut out);
                }
                sentence += 1;
            }
        }
        if line_end >= text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn words_are_the_tokens_that_start_with_a_letter_or_a_digit() {
        let text = "Ông Tô, 24/CT-TW “Hoa\u{300}”.";
        let words: Vec<(&str, bool)> = tokenize(text)
            .iter()
            .map(|t| (&text[t.bytes.clone()], t.is_word(text)))
            .collect();
        assert_eq!(
            words,
            [
                ("Ông", true),
                ("Tô", true),
                (",", false),
                ("24", true),
                ("/", false),
                ("CT", true),
                ("-", false),
                ("TW", true),
                ("“", false),
                ("Hoa\u{300}", true),
                ("”", false),
                (".", false)
            ]
        );
    }

    #[test]
    fn no_token_holds_white_space() {
        // a combining mark after a space, after a tab, and a no-break space inside a grapheme
        let text = "a \u{301}b\t\u{300} c\u{600} d \u{a0}\u{301}";
        for t in tokenize(text) {
            let tok = &text[t.bytes.clone()];
            assert!(!tok.is_empty() && !tok.contains(is_split_space), "{tok:?}");
        }
        // the same tokens by grapheme as by character where both apply
        let latin = "Ông Tô Lâm, chỉ thị 24/CT-TW; ngày 1.2.2024: “xong”.";
        let mut by_char = Vec::new();
        let mut by_grapheme = Vec::new();
        assert!(tokens_by_char(latin, 0..latin.len(), 0, &mut by_char));
        tokens_by_grapheme(latin, 0..latin.len(), 0, &mut by_grapheme);
        assert_eq!(by_char, by_grapheme);
        let mut none = Vec::new();
        assert!(!tokens_by_char("a \u{301}b", 0..5, 0, &mut none) && none.is_empty());
        for c in ('\u{0}'..='\u{2100}').chain(['😀', '中', '\u{10FFFF}']) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn the_one_pass_line_agrees_with_sentences_and_graphemes() {
        for line in [
            "Một câu. Câu hai có TP.HCM và 4.1.2017! Ba",
            "“Xong.” Rồi (thật?) nữa… hết",
            "  a.b. c.  ",
            "...",
            "x.\ty",
            "Ông Tô Lâm, chỉ thị 24/CT-TW; ngày 1.2.2024: “xong”.",
            "Chủ tịch UBND TP. Hà Nội yêu cầu. Ông T. ra về, GS. Lê nói.",
        ] {
            let mut fast = Vec::new();
            let mut n = 0;
            assert!(line_by_char(line, 0..line.len(), &mut n, &mut fast));
            let mut slow = Vec::new();
            for (k, s) in motion::sentences_in_line(line, 0..line.len())
                .into_iter()
                .enumerate()
            {
                tokens_by_grapheme(line, s, k, &mut slow);
            }
            let norm = |v: &[Token]| -> Vec<(Range<usize>, usize)> {
                // sentence ids may differ by a constant: compare them as breaks
                v.iter()
                    .map(|t| (t.bytes.clone(), t.sentence - v[0].sentence))
                    .collect()
            };
            assert_eq!(norm(&fast), norm(&slow), "{line:?}");
        }
    }
}
