//! Cursor motions over text by grapheme, word (a Vietnamese syllable: a run of letters and digits
//! between spaces or punctuation) and sentence. Every function takes and returns byte offsets that
//! lie on grapheme boundaries, so NFC and NFD text move alike.

use std::ops::Range;

use unicode_segmentation::GraphemeCursor;

/// The start of the grapheme after the one at `b` (or the text's end).
pub fn next_grapheme(text: &str, b: usize) -> usize {
    let mut c = GraphemeCursor::new(b.min(text.len()), text.len(), true);
    c.next_boundary(text, 0)
        .ok()
        .flatten()
        .unwrap_or(text.len())
}

/// The start of the grapheme before `b` (or 0).
pub fn prev_grapheme(text: &str, b: usize) -> usize {
    let mut c = GraphemeCursor::new(b.min(text.len()), text.len(), true);
    c.prev_boundary(text, 0).ok().flatten().unwrap_or(0)
}

/// The grapheme boundary at or before `b`.
pub fn floor_grapheme(text: &str, b: usize) -> usize {
    let mut b = b.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    if surely_a_boundary(text, b) {
        return b;
    }
    let mut c = GraphemeCursor::new(b, text.len(), true);
    if c.is_boundary(text, 0).unwrap_or(true) {
        b
    } else {
        prev_grapheme(text, b)
    }
}

/// Is the character boundary `b` a grapheme boundary, decided without the full segmentation rules?
/// `false` means "ask them". Before an ASCII character there is always a boundary (UAX #29), except
/// inside CR LF and after a prepended concatenation mark (all of which lie above U+05FF, outside
/// the Latin letters of Vietnamese text).
fn surely_a_boundary(text: &str, b: usize) -> bool {
    let (Some(&next), Some(prev)) = (text.as_bytes().get(b), text[..b].chars().next_back()) else {
        return true; // the text's ends
    };
    next < 0x80
        && !(prev == '\r' && next == b'\n')
        && (prev < '\u{600}' || ('\u{1E00}'..='\u{1EFF}').contains(&prev))
}

/// The grapheme boundary at or after `b`.
pub fn ceil_grapheme(text: &str, b: usize) -> usize {
    let f = floor_grapheme(text, b);
    if f == b.min(text.len()) {
        f
    } else {
        next_grapheme(text, f)
    }
}

/// Is the grapheme a word character (its base is a letter or a digit)?
pub fn is_word(g: &str) -> bool {
    g.chars().next().is_some_and(char::is_alphanumeric)
}

fn grapheme_at(text: &str, b: usize) -> &str {
    let e = next_grapheme(text, b);
    &text[b..e]
}

/// The start of the next word after `b`.
pub fn next_word_start(text: &str, b: usize) -> usize {
    let mut i = b;
    while i < text.len() && is_word(grapheme_at(text, i)) {
        i = next_grapheme(text, i);
    }
    while i < text.len() && !is_word(grapheme_at(text, i)) {
        i = next_grapheme(text, i);
    }
    i
}

/// The start of the word before `b` (or of the word `b` is inside).
pub fn prev_word_start(text: &str, b: usize) -> usize {
    let mut i = b;
    while i > 0 {
        let p = prev_grapheme(text, i);
        if is_word(grapheme_at(text, p)) {
            break;
        }
        i = p;
    }
    while i > 0 {
        let p = prev_grapheme(text, i);
        if !is_word(grapheme_at(text, p)) {
            break;
        }
        i = p;
    }
    i
}

/// The last grapheme of the next word end after `b` (Vim's `e`).
pub fn next_word_end(text: &str, b: usize) -> usize {
    let mut i = next_grapheme(text, b);
    while i < text.len() && !is_word(grapheme_at(text, i)) {
        i = next_grapheme(text, i);
    }
    if i >= text.len() {
        return b;
    }
    loop {
        let n = next_grapheme(text, i);
        if n >= text.len() || !is_word(grapheme_at(text, n)) {
            return i;
        }
        i = n;
    }
}

/// The word containing byte `b`, if `b` is on a word.
pub fn word_at(text: &str, b: usize) -> Option<Range<usize>> {
    if b >= text.len() || !is_word(grapheme_at(text, b)) {
        return None;
    }
    let mut s = b;
    while s > 0 {
        let p = prev_grapheme(text, s);
        if !is_word(grapheme_at(text, p)) {
            break;
        }
        s = p;
    }
    let mut e = b;
    while e < text.len() && is_word(grapheme_at(text, e)) {
        e = next_grapheme(text, e);
    }
    Some(s..e)
}

/// Grow `r` to whole words at either end that cuts one (a word is a syllable: the tokens of the
/// CoNLL export); punctuation and white space are left as they are.
pub fn snap_to_words(text: &str, r: Range<usize>) -> Range<usize> {
    let mut r = r.start.min(text.len())..r.end.min(text.len());
    if r.start >= r.end {
        return r;
    }
    if r.start > 0
        && is_word(grapheme_at(text, r.start))
        && is_word(grapheme_at(text, prev_grapheme(text, r.start)))
        && let Some(w) = word_at(text, r.start)
    {
        r.start = w.start;
    }
    let last = prev_grapheme(text, r.end);
    if r.end < text.len()
        && is_word(grapheme_at(text, last))
        && is_word(grapheme_at(text, r.end))
        && let Some(w) = word_at(text, last)
    {
        r.end = w.end;
    }
    r
}

/// Byte range of the line (paragraph) containing `b`, without its line break.
pub fn line_at(text: &str, b: usize) -> Range<usize> {
    let b = b.min(text.len());
    let start = text[..b].rfind('\n').map_or(0, |i| i + 1);
    let mut end = text[b..].find('\n').map_or(text.len(), |i| b + i);
    if end > start && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    start..end
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

/// Abbreviations written with a full stop that does not end a sentence ("TP. Hà Nội", "PGS. TS.
/// Lê Văn A", "Q. 1"); a single capital letter and a full stop is an initial ("ông T. ra khỏi nhà").
pub const ABBREVIATIONS: &[&str] = &[
    "TP", "Tp", "tp", "Q", "P", "TX", "TT", "H", "TS", "ThS", "Ths", "PGS", "GS", "BS", "KS", "LS",
    "NSƯT", "NSND", "NXB", "Th", "St", "Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "Nxb", "tr", "Tr",
    "ng",
];

/// Does the `.` at byte `i` of `s` close an abbreviation or an initial rather than a sentence?
/// (Anything that splits sentences itself, such as a one-pass tokenizer, should ask this too.)
pub fn is_abbreviation_stop(s: &str, i: usize) -> bool {
    let before = &s[..i];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(i, |(j, _)| j);
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // the word must stand alone (not the end of "x.TP")
    if before[..word_start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric())
    {
        return false;
    }
    let mut chars = word.chars();
    let single_capital = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
    single_capital || ABBREVIATIONS.contains(&word)
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '»' | '”' | '’')
}

/// The sentences of the line `line`, as byte ranges from their first to past their last non-space
/// character. A sentence ends at `.`, `!`, `?` or `…` (with closing quotes) followed by a space, or at
/// the end of the line; not at the full stop of an abbreviation ([`ABBREVIATIONS`]) or an initial.
pub fn sentences_in_line(text: &str, line: Range<usize>) -> Vec<Range<usize>> {
    let s = &text[line.clone()];
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_non_space = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        last_non_space = i + c.len_utf8();
        if is_terminator(c) && !(c == '.' && chars.peek().is_some() && is_abbreviation_stop(s, i)) {
            // swallow further terminators and closers
            while let Some(&(j, d)) = chars.peek() {
                if is_terminator(d) || is_closer(d) {
                    last_non_space = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let at_space = chars.peek().is_none_or(|&(_, d)| d.is_whitespace());
            if at_space && let Some(st) = start.take() {
                out.push(line.start + st..line.start + last_non_space);
            }
        }
    }
    if let Some(st) = start {
        out.push(line.start + st..line.start + last_non_space);
    }
    // A combining mark after a space belongs to the space's grapheme: keep to grapheme boundaries.
    for r in &mut out {
        *r = floor_grapheme(text, r.start)..ceil_grapheme(text, r.end);
    }
    out
}

/// The sentence containing `b`, or the nearest one on its line.
pub fn sentence_at(text: &str, b: usize) -> Option<Range<usize>> {
    let line = line_at(text, b);
    let sentences = sentences_in_line(text, line);
    sentences
        .iter()
        .find(|s| b < s.end)
        .or(sentences.last())
        .cloned()
}

/// The start of the next sentence after `b` (a new line starts a sentence).
pub fn next_sentence_start(text: &str, b: usize) -> usize {
    let mut line = line_at(text, b);
    loop {
        if let Some(s) = sentences_in_line(text, line.clone())
            .into_iter()
            .find(|s| s.start > b)
        {
            return s.start;
        }
        let next = text[line.end..].find('\n').map(|i| line.end + i + 1);
        match next {
            Some(n) if n <= text.len() => line = line_at(text, n),
            _ => return b,
        }
        if line.start >= text.len() {
            return b;
        }
    }
}

/// The start of the sentence before `b` (or of the sentence `b` is inside).
pub fn prev_sentence_start(text: &str, b: usize) -> usize {
    let mut line = line_at(text, b);
    loop {
        if let Some(s) = sentences_in_line(text, line.clone())
            .into_iter()
            .rev()
            .find(|s| s.start < b)
        {
            return s.start;
        }
        if line.start == 0 {
            return 0;
        }
        line = line_at(text, line.start - 1);
    }
}

/// A mark that ends a sentence or a clause, or closes a quotation: what a span of the gold guide
/// never ends with (`.`, `!`, `?`, `…`, `;`, `,`, `:`, straight and closing quotes).
pub fn is_final_mark(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | ';' | ',' | ':' | '"' | '\'' | '”' | '»' | '’'
    )
}

/// The sentence containing `b` (as [`sentence_at`]) without its final punctuation and closing
/// quotes, as the gold guide tags a TASK and the suggestions find one; the whole sentence when
/// nothing else would be left.
pub fn sentence_body_at(text: &str, b: usize) -> Option<Range<usize>> {
    let s = sentence_at(text, b)?;
    let s = trim_range(text, s)?;
    let mut end = s.end;
    while end > s.start {
        let p = prev_grapheme(text, end);
        let c = text[p..end].chars().next().unwrap_or(' ');
        if c.is_whitespace() || is_final_mark(c) {
            end = p;
        } else {
            break;
        }
    }
    Some(if end > s.start { s.start..end } else { s })
}

/// The last grapheme of the body ([`sentence_body_at`]) of the sentence `b` is in, or, when `b`
/// is there already, of the next sentence's: where a selection that ends with a sentence ends, its
/// final period and closing quotes left out as a TASK leaves them.
pub fn sentence_body_end(text: &str, b: usize) -> usize {
    let last_of = |s: Range<usize>| floor_grapheme(text, s.end.saturating_sub(1));
    let here = sentence_at(text, b)
        .filter(|s| s.start <= b)
        .and_then(|_| sentence_body_at(text, b))
        .map(last_of);
    match here {
        Some(e) if e > b => e,
        _ => {
            let next = next_sentence_start(text, b);
            if next == b {
                return b;
            }
            sentence_body_at(text, next).map(last_of).unwrap_or(b)
        }
    }
}

/// A closing quote or bracket: what a tag may end with when it takes a quoted or bracketed name
/// whole (`nghị quyết “Về …”`).
pub fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '»' | '’' | ')' | ']' | '}')
}

/// Where a tag ending at `e` ends when it grows by one step: over a closing quote or bracket right
/// after it (so a quoted name can be taken whole), else to the end of the next word.
pub fn grow_end(text: &str, e: usize) -> usize {
    if e < text.len() {
        let n = next_grapheme(text, e);
        let c = text[e..n].chars().next().unwrap_or(' ');
        if is_closing(c) {
            return n;
        }
    }
    let last = prev_grapheme(text, e);
    let end_word = next_word_end(text, last);
    next_grapheme(text, end_word).max(e)
}

/// Where a tag `s..e` ends when it shrinks by one step, the inverse of [`grow_end`]: before its
/// closing quote or bracket, else at the end of the word before its last one (never before `s`).
pub fn shrink_end(text: &str, s: usize, e: usize) -> usize {
    let p = prev_grapheme(text, e);
    let c = text[p..e].chars().next().unwrap_or(' ');
    if p > s && is_closing(c) {
        return p;
    }
    let mut ne = prev_word_start(text, e);
    while ne > s && !is_word(&text[prev_grapheme(text, ne)..ne]) {
        ne = prev_grapheme(text, ne);
    }
    ne
}

/// Shrink `r` so that it neither starts nor ends with white space; `None` if nothing is left, or if
/// `r` is reversed, out of the text or not on character boundaries.
pub fn trim_range(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = text.get(r.clone())?;
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let (a, b) = (r.start + lead, r.end - trail);
    (a < b).then_some(a..b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_body_leaves_out_its_final_period_and_closing_quotes() {
        let t = "Ông nói: “Phải làm ngay việc này.” Rồi đi.\nDòng sau";
        let b = sentence_body_at(t, t.find("làm").unwrap()).unwrap();
        assert_eq!(&t[b], "Ông nói: “Phải làm ngay việc này");
        let b = sentence_body_at(t, t.find("Dòng").unwrap()).unwrap();
        assert_eq!(&t[b], "Dòng sau");
        // nothing but marks: the whole sentence
        let t = "…";
        assert_eq!(sentence_body_at(t, 0), Some(0..t.len()));
    }

    #[test]
    fn a_selection_s_sentence_end_leaves_the_period_out_then_goes_on() {
        let t = "Việc này quan trọng.  Phải “làm ngay”.\nDòng sau.";
        let at = |s: &str| t.find(s).unwrap();
        let e = sentence_body_end(t, at("này"));
        assert_eq!(&t[..next_grapheme(t, e)], "Việc này quan trọng");
        let e = sentence_body_end(t, e);
        assert_eq!(&t[at("Phải")..next_grapheme(t, e)], "Phải “làm ngay");
        let e = sentence_body_end(t, e);
        assert_eq!(&t[at("Dòng")..next_grapheme(t, e)], "Dòng sau");
    }

    #[test]
    fn growing_an_end_takes_a_closing_quote_before_the_next_word() {
        let t = "nghị quyết “Về TP. HCM”, rồi tiếp";
        let e = t.find("”").unwrap();
        let e = grow_end(t, e);
        assert_eq!(&t[..e], "nghị quyết “Về TP. HCM”");
        // a comma is no closing mark: the next word
        let e = grow_end(t, e);
        assert_eq!(&t[..e], "nghị quyết “Về TP. HCM”, rồi");
        // nor a period in a name
        let t2 = "TP. HCM";
        assert_eq!(&t2[..grow_end(t2, 2)], "TP. HCM");
        // back over the last word and the marks before it
        assert_eq!(&t[..shrink_end(t, 0, e)], "nghị quyết “Về TP. HCM");
        let e = t.find("”").unwrap() + "”".len();
        assert_eq!(&t[..shrink_end(t, 0, e)], "nghị quyết “Về TP. HCM");
        assert_eq!(&t[..shrink_end(t, 0, e - "”".len())], "nghị quyết “Về TP");
        let t = "Luật (sửa đổi) năm";
        let e = grow_end(t, t.find(")").unwrap());
        assert_eq!(&t[..e], "Luật (sửa đổi)");
    }

    #[test]
    fn words_nfc_and_nfd_alike() {
        for text in ["Tô Lâm, Chánh", "To\u{302} La\u{302}m, Cha\u{301}nh"] {
            let w2 = next_word_start(text, 0);
            assert_eq!(&text[w2..w2 + 1], "L");
            let w3 = next_word_start(text, w2);
            assert_eq!(&text[w3..w3 + 1], "C");
            assert_eq!(prev_word_start(text, w3), w2);
            let e = next_word_end(text, 0);
            assert_eq!(next_grapheme(text, e), text.find(' ').unwrap());
            let r = word_at(text, w2 + 1).unwrap();
            assert!(text[r].starts_with('L'));
        }
    }

    #[test]
    fn sentences() {
        let text = "Một câu. Câu hai có TP.HCM và 4.1.2017! Ba\nDòng mới.";
        let line = line_at(text, 0);
        let s: Vec<&str> = sentences_in_line(text, line)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(s, vec!["Một câu.", "Câu hai có TP.HCM và 4.1.2017!", "Ba"]);
        let b = next_sentence_start(text, 0);
        assert!(text[b..].starts_with("Câu hai"));
        let b2 = next_sentence_start(text, b);
        assert!(text[b2..].starts_with("Ba"));
        let b3 = next_sentence_start(text, b2);
        assert!(text[b3..].starts_with("Dòng"));
        assert_eq!(prev_sentence_start(text, b3), b2);
        assert_eq!(prev_sentence_start(text, b + 3), b);
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let text = "Chủ tịch UBND TP. Hà Nội yêu cầu các sở vào cuộc. PGS. TS. Lê Văn A và ông T. ra về. Q. 1 ở đây. Hết.";
        let s: Vec<&str> = sentences_in_line(text, line_at(text, 0))
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            s,
            vec![
                "Chủ tịch UBND TP. Hà Nội yêu cầu các sở vào cuộc.",
                "PGS. TS. Lê Văn A và ông T. ra về.",
                "Q. 1 ở đây.",
                "Hết."
            ]
        );
        // `s` on "yêu cầu" selects from "Chủ tịch"
        let b = text.find("yêu").unwrap();
        assert_eq!(sentence_at(text, b).unwrap().start, 0);
        // a word merely ending like an abbreviation does end one
        let t = "Đi về nhà GTP. Mai đi.";
        assert_eq!(sentences_in_line(t, line_at(t, 0)).len(), 2);
    }

    #[test]
    fn grapheme_snapping() {
        let text = "Ho\u{300}a";
        assert_eq!(floor_grapheme(text, 3), 1);
        assert_eq!(ceil_grapheme(text, 3), 4);
        assert_eq!(ceil_grapheme(text, 4), 4);
    }
}
