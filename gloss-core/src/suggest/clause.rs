//! Clauses led by a word (TASK: what someone is required or asked to do): after a lead verb
//! ("yêu cầu [các sở khẩn trương triển khai]"), or from the clause's start through a modal ("[bí thư
//! cấp ủy phải kịp thời chỉ đạo]"), to the end of the sentence less its final punctuation and
//! closing quotes. Leads are whole words; a lead inside an exception ("giao thông", "trách
//! nhiệm") or after a negation ("không phải") is not one.

use std::ops::Range;

use super::lexicon::{ClauseLists, ClauseTriggers};
use super::words::{Word, WordList, spaced};
use crate::text::motion;

/// The compiled clause pattern.
#[derive(Clone)]
pub struct Clause {
    triggers: ClauseTriggers,
    exceptions: WordList,
    not_after: WordList,
    cancelled_by: WordList,
    ends: WordList,
    /// Words after which a modal's clause starts ("thì").
    openers: WordList,
    connectives: WordList,
}

/// What a clause may start with and still lose ("Đồng thời", "và").
const CONNECTIVES: &[&str] = &["đồng thời", "và", "nhưng", "thì", "để", "mà", "là"];

fn is_open_quote(c: char) -> bool {
    matches!(c, '“' | '«' | '‘')
}

fn is_close_quote(c: char) -> bool {
    matches!(c, '”' | '»' | '’')
}

/// What is found once in a text for every trigger: exception phrases (word ranges), sentences,
/// and the words that start a cancelling phrase.
struct Found {
    exceptions: Vec<Range<usize>>,
    sentences: Sentences,
    cancels: Vec<usize>,
}

/// Every sentence of a text, in order, found once (line by line).
struct Sentences(Vec<Range<usize>>);

impl Sentences {
    fn new(text: &str) -> Sentences {
        let mut out = Vec::new();
        let mut start = 0;
        loop {
            let line = motion::line_at(text, start);
            out.extend(motion::sentences_in_line(text, line.clone()));
            match text[line.end..].find('\n') {
                Some(k) => start = line.end + k + 1,
                None => break,
            }
        }
        Sentences(out)
    }

    /// The sentence at byte `b` (the first one ending after it).
    fn at(&self, b: usize) -> Option<&Range<usize>> {
        self.0.get(self.0.partition_point(|s| s.end <= b))
    }
}

/// Are words `a` and `b` separated by white space and at most a comma?
fn near(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.bytes.end..b.bytes.start];
    gap.trim_matches([' ', '\u{a0}']).is_empty() || gap.trim_matches([' ', '\u{a0}']) == ","
}

impl Clause {
    pub fn new(l: &ClauseLists) -> Clause {
        Clause {
            triggers: ClauseTriggers::new(l),
            exceptions: WordList::new(&l.exceptions),
            not_after: WordList::new(&l.not_after),
            cancelled_by: WordList::new(&l.cancelled_by),
            ends: WordList::new(&l.ends),
            openers: WordList::new(&["thì", "rằng", "là"]),
            connectives: WordList::new(CONNECTIVES),
        }
    }

    /// The exception phrases in the text, as word ranges.
    fn exceptions_in(&self, text: &str, w: &[Word]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        if self.exceptions.is_empty() {
            return out;
        }
        for i in 0..w.len() {
            if let Some(e) = self.exceptions.match_at(text, w, i) {
                out.push(i..e);
            }
        }
        out
    }

    /// Is the trigger at words `i..end` undone: inside an exception that it does not contain,
    /// after a negation, or in a sentence that cancels it or asks a question?
    fn undone(&self, text: &str, w: &[Word], i: usize, end: usize, found: &Found) -> bool {
        let Found {
            exceptions,
            sentences,
            cancels,
        } = found;
        // the exceptions around the trigger (sorted by start, a few words long)
        let from = exceptions.partition_point(|x| x.start + 8 < i);
        if exceptions[from..]
            .iter()
            .take_while(|x| x.start < end)
            .any(|x| x.start < end && i < x.end && !(i <= x.start && x.end <= end))
        {
            return true;
        }
        // a capitalised lead before a capitalised word is a name ("Cần Thơ")
        if w[i].cap
            && w.get(end)
                .is_some_and(|n| n.cap && spaced(text, &w[end - 1], n))
        {
            return true;
        }
        if (i.saturating_sub(3)..i).any(|s| {
            self.not_after.match_at(text, w, s) == Some(i)
                || (self.not_after.match_at(text, w, s).is_some_and(|e| e >= i)
                    && (s + 1..=i).all(|j| near(text, &w[j - 1], &w[j])))
        }) || (i > 0
            && near(text, &w[i - 1], &w[i])
            && self.not_after.match_ending(text, w, i).is_some())
        {
            return true;
        }
        let at = w[i].bytes.start;
        if let Some(s) = sentences.at(at) {
            if text[s.clone()]
                .trim_end_matches(['"', '”', ')', ' '])
                .ends_with('?')
            {
                return true;
            }
            // a cancelling phrase earlier in the sentence
            let first = w.partition_point(|x| x.bytes.start < s.start);
            let k = cancels.partition_point(|c| *c < first);
            if cancels.get(k).is_some_and(|c| *c < i) {
                return true;
            }
        }
        false
    }

    /// Clauses in `text` (NFC), as byte ranges.
    #[cfg(test)]
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        self.find_in(text, &super::words::words(text))
    }

    /// [`Self::find`] with the text's words already found.
    pub fn find_in(&self, text: &str, w: &[Word]) -> Vec<Range<usize>> {
        let found = Found {
            exceptions: self.exceptions_in(text, w),
            sentences: Sentences::new(text),
            cancels: if self.cancelled_by.is_empty() {
                Vec::new()
            } else {
                (0..w.len())
                    .filter(|&k| self.cancelled_by.match_at(text, w, k).is_some())
                    .collect()
            },
        };
        let sentences = &found.sentences;
        // (start of the span, index of the trigger's first word, is it a lead)
        let mut starts: Vec<(usize, usize, bool)> = Vec::new();
        let mut i = 0;
        while i < w.len() {
            let (lead, end) = match self.triggers.leads.match_at(text, w, i) {
                Some(e) => (true, e),
                None => match self.triggers.modals.match_at(text, w, i) {
                    Some(e) => (false, e),
                    None => {
                        i += 1;
                        continue;
                    }
                },
            };
            if self.undone(text, w, i, end, &found) {
                i = end;
                continue;
            }
            let start = if lead {
                // right after the lead (and a colon); a lead followed by other punctuation is a
                // noun ("những kiến nghị, đề xuất")
                let mut s = w[end - 1].bytes.end;
                let rest = &text[s..];
                let trimmed = rest.trim_start_matches([' ', ':', '\u{a0}']);
                if !trimmed
                    .starts_with(|c: char| c.is_alphanumeric() || is_open_quote(c) || c == '"')
                {
                    i = end;
                    continue;
                }
                s += rest.len() - trimmed.len();
                s
            } else {
                self.clause_start(text, w, i, sentences)
            };
            starts.push((start, i, lead));
            i = end;
        }
        let mut out: Vec<Range<usize>> = Vec::new();
        for (k, &(start, trigger, lead)) in starts.iter().enumerate() {
            // a modal inside the clause before it (no boundary between) stays in that clause
            if !lead && out.last().is_some_and(|r| start < r.end) {
                continue;
            }
            let at = w[trigger].bytes.start;
            let Some(sentence) = sentences.at(at).cloned() else {
                continue;
            };
            let mut end = sentence.end;
            // up to the next clause of its own in the sentence: a second lead, or a modal with its
            // own subject after a boundary
            for &(next, nt, nl) in &starts[k + 1..] {
                let nat = w[nt].bytes.start;
                if nat >= end {
                    break;
                }
                if nl && nat > start {
                    end = nat;
                    break;
                }
                if !nl && next > start {
                    end = next;
                    break;
                }
            }
            // at a word that ends a clause ("nhưng", "thì")
            if !self.ends.is_empty() {
                let first = w.partition_point(|x| x.bytes.start < start);
                if let Some(k) = (first..w.len())
                    .take_while(|&k| w[k].bytes.start < end)
                    .find(|&k| k > first && self.ends.match_at(text, w, k).is_some())
                {
                    end = w[k].bytes.start;
                }
            }
            // a lead inside a quotation ends with it
            // (looking back a few hundred characters at most)
            let mut from = sentence.start.max(at.saturating_sub(2000));
            while !text.is_char_boundary(from) {
                from += 1;
            }
            let before = &text[from..at];
            let open = before.chars().filter(|c| is_open_quote(*c)).count();
            let close = before.chars().filter(|c| is_close_quote(*c)).count();
            let straight = before.chars().filter(|c| *c == '"').count();
            if (open > close || straight % 2 == 1)
                && let Some(q) = text[start..end]
                    .find(|c: char| is_close_quote(c) || c == '"')
                    .map(|q| start + q)
            {
                end = q;
            }
            let end = trim_end(text, start, end);
            if end > start {
                out.push(start..end);
            }
        }
        out
    }

    /// Where the clause of a modal at word `i` starts: after the last clause boundary before it
    /// (sentence start, comma, semicolon, colon, "thì"), connectives left out; at most 20 words back.
    fn clause_start(&self, text: &str, w: &[Word], i: usize, sentences: &Sentences) -> usize {
        let sentence_start = sentences
            .at(w[i].bytes.start)
            .map_or(w[i].bytes.start, |s| s.start);
        let mut s = i;
        while s > 0 && i - s < 20 {
            let prev = &w[s - 1];
            if prev.bytes.end <= sentence_start {
                break;
            }
            let gap = &text[prev.bytes.end..w[s].bytes.start];
            if gap.contains([',', ';', ':', '(', ')', '"', '“', '”', '-', '–']) && gap.trim() != "-"
            {
                break;
            }
            if self.openers.match_ending(text, w, s).is_some()
                || self.triggers.leads.match_ending(text, w, s).is_some()
            {
                break;
            }
            s -= 1;
        }
        if i - s >= 20 {
            s = i;
        }
        // leave out leading connectives
        let mut k = s;
        while k < i {
            match self.connectives.match_at(text, w, k) {
                Some(e) if e <= i => k = e,
                _ => break,
            }
        }
        w[k].bytes.start.max(sentence_start)
    }
}

/// `end` moved back over white space, final punctuation, closing quotes and a trailing
/// connective, not before `start`.
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let before = end;
        while end > start {
            let p = motion::prev_grapheme(text, end);
            let g = &text[p..end];
            let c = g.chars().next().unwrap_or(' ');
            if c.is_whitespace()
                || matches!(
                    c,
                    '.' | '!' | '?' | ';' | ',' | ':' | '…' | '"' | '\'' | '-' | '–'
                )
                || is_close_quote(c)
                || is_open_quote(c)
            {
                end = p;
            } else {
                break;
            }
        }
        // a connective left dangling ("… và")
        let tail = &text[start..end];
        for c in CONNECTIVES {
            if let Some(stem) = tail.strip_suffix(c)
                && stem.ends_with([' ', ','])
            {
                end = start + stem.len();
                break;
            }
        }
        if end == before {
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause() -> Clause {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Clause::new(&ClauseLists {
            leads: s(&[
                "yêu cầu",
                "đề nghị",
                "kiến nghị",
                "giao cho",
                "giao",
                "buộc",
                "nhiệm vụ",
            ]),
            modals: s(&["phải", "cần phải", "bắt buộc phải"]),
            exceptions: s(&[
                "giao thông",
                "giao ban",
                "giao tiếp",
                "giao dịch",
                "trách nhiệm",
                "phải chăng",
                "phải chịu",
                "yêu cầu của",
                "bắt buộc",
                "cáo buộc",
            ]),
            not_after: s(&["không", "chưa", "lãnh đạo"]),
            cancelled_by: s(&["bỏ quy định"]),
            ends: s(&["nhưng", "thì"]),
        })
    }

    fn found(text: &str) -> Vec<&str> {
        clause().find(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn leads_are_whole_words_and_the_span_follows_them() {
        assert_eq!(
            found("Bà Mai đề nghị các tỉnh thực hiện chỉ thị số 24."),
            ["các tỉnh thực hiện chỉ thị số 24"]
        );
        assert_eq!(
            found("Thành phố Cần Thơ mở rộng đường."),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("Họp giao ban về giao thông và giao tiếp với dân."),
            Vec::<&str>::new()
        );
        assert_eq!(found("Sở có trách nhiệm vụ việc này."), Vec::<&str>::new());
    }

    #[test]
    fn negations_and_questions_are_not_tasks() {
        assert_eq!(found("Người bán không phải là chủ xe."), Vec::<&str>::new());
        assert_eq!(found("Phải chăng quy định quá chặt?"), Vec::<&str>::new());
        assert_eq!(found("Họ không cần thông báo cho ai."), Vec::<&str>::new());
    }

    #[test]
    fn cancelled_questions_nouns_and_contrasts() {
        assert_eq!(
            found("Bỏ quy định bán xe phải thông báo với công an."),
            Vec::<&str>::new()
        );
        assert_eq!(found("Tôi có phải sang tên không?"), Vec::<&str>::new());
        assert_eq!(
            found("Đối với những kiến nghị, đề xuất của các tỉnh, Ban ghi nhận."),
            Vec::<&str>::new()
        );
        assert_eq!(
            found("Trong lãnh đạo, chỉ đạo, giao cho các tỉnh làm ngay."),
            ["các tỉnh làm ngay"]
        );
        assert_eq!(
            found("Bà nhiều lần yêu cầu ông T. ra khỏi nhà nhưng ông không chịu."),
            ["ông T. ra khỏi nhà"]
        );
        assert_eq!(
            found("Tòa tuyên buộc vợ chồng ông Kính phải trả nợ, tỷ lệ bắt buộc phải đạt 80%."),
            [
                "vợ chồng ông Kính phải trả nợ",
                "tỷ lệ bắt buộc phải đạt 80%"
            ]
        );
        assert_eq!(found("Linh bị cáo buộc lừa đảo."), Vec::<&str>::new());
    }

    #[test]
    fn modals_start_at_the_clause_and_quotes_close_it() {
        assert_eq!(
            found("Khi có vấn đề, bí thư cấp ủy phải kịp thời chỉ đạo xử lý."),
            ["bí thư cấp ủy phải kịp thời chỉ đạo xử lý"]
        );
        assert_eq!(
            found("Ông nói: “Chúng tôi yêu cầu họ rút đơn” rồi đi."),
            ["họ rút đơn"]
        );
        assert_eq!(
            found("Bà đề nghị định giá lại chiếc xe và đề nghị điều tra làm rõ."),
            ["định giá lại chiếc xe", "điều tra làm rõ"]
        );
        assert_eq!(
            found("Chủ tịch UBND TP. Hà Nội yêu cầu các sở vào cuộc."),
            ["các sở vào cuộc"]
        );
    }
}
