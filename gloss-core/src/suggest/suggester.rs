//! The suggester: the compiled patterns, the gazetteer and the model together. It runs the
//! patterns on NFC text (mapped back for NFD articles), the gazetteer on the text as it is, the
//! model where neither suggests anything of the same label, and keeps one suggestion per label and
//! place.

use std::ops::Range;
use std::sync::Arc;

use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::gazetteer::Gazetteer;
use super::lexicon::Lexicon;
use super::matcher::Matcher;
use super::model::Model;
use super::words::{Word, WordList};
use crate::corpus::patterns::Pattern;
use crate::text::motion;

/// The largest piece of text suggestions are looked for in at once (a news article is a few KB): a
/// longer text is looked at piece by piece, cut at paragraph or sentence ends.
pub const MAX_SUGGEST_BYTES: usize = 4 * 1024 * 1024;

/// Where a suggestion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Pattern,
    Gazetteer,
    /// The model learnt from the corpus's tags.
    Model,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Pattern => "pattern",
            Source::Gazetteer => "gazetteer",
            Source::Model => "model",
        }
    }
}

/// A suggested tag: a label on bytes of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub label: String,
    pub bytes: Range<usize>,
    pub source: Source,
}

/// Where a piece of `text` from `start`, at most `max` bytes long, ends: after the last line break
/// in it, else after the last sentence end (a full stop, `!`, `?` and a space), else after the last
/// space, else at a character boundary (a text with no spaces at all).
fn piece_end(text: &str, start: usize, max: usize) -> usize {
    if text.len() - start <= max {
        return text.len();
    }
    let mut limit = start + max;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text.as_bytes()[start..limit];
    // not too early: a piece of less than half the window would make many small pieces
    let at_least = max / 2;
    let found = memchr::memrchr(b'\n', window)
        .filter(|&i| i >= at_least)
        .or_else(|| {
            window
                .windows(2)
                .rposition(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ')
                .map(|i| i + 1)
                .filter(|&i| i >= at_least)
        })
        .or_else(|| memchr::memrchr(b' ', window).filter(|&i| i >= at_least));
    match found {
        Some(i) => start + i + 1,
        None => limit,
    }
}

/// Finds suggestions in articles.
#[derive(Clone)]
pub struct Suggester {
    matchers: Vec<Matcher>,
    gazetteer: Gazetteer,
    /// The model learnt from the corpus's tags, and the word lists its features use.
    model: Option<Arc<Model>>,
    lexicon: Arc<Lexicon>,
}

impl std::fmt::Debug for Suggester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suggester")
            .field("model", &self.model.is_some())
            .finish_non_exhaustive()
    }
}

impl Suggester {
    /// Compile `patterns`; errors name the pattern.
    pub fn new(patterns: &[Pattern]) -> Result<Suggester, String> {
        let matchers = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| Matcher::new(i + 1, p))
            .collect::<Result<Vec<_>, _>>()?;
        let compounds: Vec<String> = patterns
            .iter()
            .flat_map(|p| match p {
                Pattern::Person { not_names, .. } => not_names.clone(),
                _ => Vec::new(),
            })
            .collect();
        Ok(Suggester {
            matchers,
            gazetteer: Gazetteer::new(WordList::new(&compounds)),
            model: None,
            lexicon: Arc::new(Lexicon::from_patterns(patterns)),
        })
    }

    /// Use `model` (learnt from the corpus's tags) too, or no model.
    pub fn set_model(&mut self, model: Option<Arc<Model>>) {
        self.model = model;
    }

    /// Take the word lists the model's features use from `patterns` (by default, the suggester's
    /// own patterns).
    pub fn set_lexicon_from(&mut self, patterns: &[Pattern]) {
        self.lexicon = Arc::new(Lexicon::from_patterns(patterns));
    }

    /// Is a model in use?
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// The gazetteer's texts already tagged (label, text), in place of those before.
    pub fn set_gazetteer(&mut self, entries: impl IntoIterator<Item = (String, String)>) {
        self.gazetteer.set(entries);
    }

    /// Suggestions in `text` (byte ranges, sorted, no two with the same label overlapping). A text
    /// over [`MAX_SUGGEST_BYTES`] is looked at in pieces cut where a paragraph or a sentence ends.
    pub fn suggest(&self, text: &str) -> Vec<Suggestion> {
        if text.len() <= MAX_SUGGEST_BYTES {
            return self.suggest_in(text);
        }
        let mut out = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = piece_end(text, start, MAX_SUGGEST_BYTES);
            out.extend(self.suggest_in(&text[start..end]).into_iter().map(|mut s| {
                s.bytes = s.bytes.start + start..s.bytes.end + start;
                s
            }));
            start = end;
        }
        out
    }

    fn suggest_in(&self, text: &str) -> Vec<Suggestion> {
        let mut out = Vec::new();
        // Patterns run on NFC text; NFD articles are mapped back.
        let (nfc, map) = if is_nfc(text) {
            (std::borrow::Cow::Borrowed(text), None)
        } else {
            let (s, m) = nfc_with_map(text);
            (std::borrow::Cow::Owned(s), Some(m))
        };
        let back = |r: Range<usize>| match &map {
            None => r,
            Some(m) => {
                let end = if r.end >= m.len() {
                    text.len()
                } else {
                    m[r.end]
                };
                m[r.start]..end
            }
        };
        let mut text_words_nfc: Option<Vec<Word>> = None;
        for m in &self.matchers {
            for (label, r) in m.find(&nfc, &mut text_words_nfc) {
                let r = back(r);
                let r = motion::floor_grapheme(text, r.start)..motion::ceil_grapheme(text, r.end);
                if let Some(r) = motion::trim_range(text, r) {
                    out.push(Suggestion {
                        label,
                        bytes: r,
                        source: Source::Pattern,
                    });
                }
            }
        }
        for (label, r) in self.gazetteer.find(text) {
            out.push(Suggestion {
                label,
                bytes: r,
                source: Source::Gazetteer,
            });
        }
        // the model's, where the patterns and the gazetteer suggest nothing of the same label
        if let Some(model) = &self.model {
            // what the patterns and the gazetteer found, per label, by start
            let mut found: std::collections::HashMap<&str, Vec<Range<usize>>> =
                std::collections::HashMap::new();
            for s in &out {
                found.entry(&s.label).or_default().push(s.bytes.clone());
            }
            for v in found.values_mut() {
                v.sort_by_key(|r| r.start);
                // the furthest end so far, so that a binary search answers overlap
                let mut far = 0;
                for r in v.iter_mut() {
                    far = far.max(r.end);
                    r.end = far;
                }
            }
            let overlaps = |label: &str, r: &Range<usize>| {
                found.get(label).is_some_and(|v| {
                    // the last one starting before r's end reaches furthest
                    let k = v.partition_point(|x| x.start < r.end);
                    k > 0 && v[k - 1].end > r.start
                })
            };
            let mut extra = Vec::new();
            for (label, r) in model.tag(text, &self.lexicon) {
                if !overlaps(&label, &r) {
                    extra.push(Suggestion {
                        label,
                        bytes: r,
                        source: Source::Model,
                    });
                }
            }
            out.extend(extra);
        }
        out.sort_by(|a, b| {
            (
                a.bytes.start,
                std::cmp::Reverse(a.bytes.end),
                &a.label,
                a.source as u8,
            )
                .cmp(&(
                    b.bytes.start,
                    std::cmp::Reverse(b.bytes.end),
                    &b.label,
                    b.source as u8,
                ))
        });
        // one suggestion per label and place: drop those inside an earlier one of the same label
        // (sorted by start: one is inside an earlier one of its label when it starts before the
        // furthest end of that label so far)
        let mut kept: Vec<Suggestion> = Vec::new();
        let mut far: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for s in out {
            let end = far.entry(s.label.clone()).or_insert(0);
            if s.bytes.start < *end {
                continue;
            }
            *end = s.bytes.end;
            kept.push(s);
        }
        kept
    }
}

/// NFC of `text` and, for each byte of it, the byte of `text` it came from (plus one entry for the
/// end).
fn nfc_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    // normalise grapheme by grapheme: composition never crosses a grapheme boundary
    for (b, g) in unicode_segmentation::UnicodeSegmentation::grapheme_indices(text, true) {
        for c in g.nfc() {
            out.push(c);
            map.extend(std::iter::repeat_n(b, c.len_utf8()));
        }
    }
    map.push(text.len());
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::patterns::builtin_patterns;

    fn texts(s: &Suggester, text: &str) -> Vec<(String, String)> {
        s.suggest(text)
            .into_iter()
            .map(|x| (x.label, text[x.bytes].to_string()))
            .collect()
    }

    #[test]
    fn a_text_longer_than_a_piece_gets_suggestions_all_along_it() {
        let s = Suggester::new(&builtin_patterns()).unwrap();
        let sentence =
            "Bộ trưởng Bộ Công an Tô Lâm đề nghị các tỉnh thực hiện chỉ thị số 24/CT-TW. ";
        let one = texts(&s, sentence);
        assert!(!one.is_empty());
        // one line (no paragraph break) of more than two pieces
        let copies = 2 * MAX_SUGGEST_BYTES / sentence.len() + 100;
        let text = sentence.repeat(copies);
        let all = s.suggest(&text);
        assert_eq!(all.len(), one.len() * copies, "every copy, to the last");
        let last = text.len() - sentence.len();
        let tail: Vec<(String, String)> = all
            .iter()
            .filter(|x| x.bytes.start >= last)
            .map(|x| (x.label.clone(), text[x.bytes.clone()].to_string()))
            .collect();
        assert_eq!(tail, one);
        // no spaces at all: cut at a character boundary, never inside one
        let dense = "ấ".repeat(MAX_SUGGEST_BYTES / 3 + 7);
        assert!(piece_end(&dense, 0, MAX_SUGGEST_BYTES) <= MAX_SUGGEST_BYTES);
        assert!(dense.is_char_boundary(piece_end(&dense, 0, MAX_SUGGEST_BYTES)));
    }

    #[test]
    fn builtin_patterns_find_people_directives_and_tasks() {
        let s = Suggester::new(&builtin_patterns()).unwrap();
        let t = "Cùng chủ trì có Bộ trưởng Bộ Công an Tô Lâm, Chánh Văn phòng Trung ương Đảng Lê Minh Hưng. Bà Mai đề nghị các tỉnh thực hiện chỉ thị số 24/CT-TW của Bộ Chính trị.";
        let got = texts(&s, t);
        assert!(got.contains(&("PERSON".into(), "Tô Lâm".into())), "{got:?}");
        assert!(
            got.contains(&("PERSON".into(), "Lê Minh Hưng".into())),
            "{got:?}"
        );
        assert!(got.contains(&("PERSON".into(), "Mai".into())), "{got:?}");
        assert!(
            got.contains(&("DIRECTIVE".into(), "chỉ thị số 24/CT-TW".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(
                "TASK".into(),
                "các tỉnh thực hiện chỉ thị số 24/CT-TW của Bộ Chính trị".into()
            )),
            "{got:?}"
        );
    }

    fn of(label: &str, got: &[(String, String)]) -> Vec<String> {
        got.iter()
            .filter(|(l, _)| l == label)
            .map(|(_, t)| t.clone())
            .collect()
    }

    #[test]
    fn builtin_directives_with_or_without_so_and_their_suffixes_laws_and_codes() {
        let s = Suggester::new(&builtin_patterns()).unwrap();
        let t = "Theo Nghị quyết số 39-NQ/TW và chỉ thị số 36 - CT/TW, Nghị quyết 148/2016/NQ-HĐND, \
                 Quyết định 123/QĐ-TTg, Luật Nhà ở 2014 và Bộ luật Tố tụng hình sự, BLHS 1999. \
                 Các chỉ thị, nghị quyết của trung ương; quyết định 2 năm; luật sư Luật sư nói.";
        assert_eq!(
            of("DIRECTIVE", &texts(&s, t)),
            [
                "Nghị quyết số 39-NQ/TW",
                "chỉ thị số 36 - CT/TW",
                "Nghị quyết 148/2016/NQ-HĐND",
                "Quyết định 123/QĐ-TTg",
                "Luật Nhà ở 2014",
                "Bộ luật Tố tụng hình sự",
                "BLHS 1999"
            ]
        );
    }

    #[test]
    fn builtin_names_hold_on_the_failures_seen_in_real_news() {
        let s = Suggester::new(&builtin_patterns()).unwrap();
        let t = "Bộ trưởng Bộ Nông nghiệp và Phát triển Nông thôn Nguyễn Xuân Cường, Bộ trưởng Bộ Y \
                 tế, Bộ trưởng Bộ Giáo dục, Giám đốc Sở Tư pháp và Bộ trưởng Bộ KH - ĐT Nguyễn Chí \
                 Dũng đến quận Hai Bà Trưng, tỉnh Bà Rịa - Vũng Tàu. Thủ tướng Nhật Bản Shinzo Abe \
                 gặp Bộ trưởng GTVT Nguyễn Văn Thể và Chủ tịch HN. Theo ông Nguyễn Hữu Độ, bà Mai \
                 và Phó thủ tướng Vũ Đức Đam, đồng chí Tô Lâm đã đến. Trần Văn Ba nói Ba sẽ về.";
        assert_eq!(
            of("PERSON", &texts(&s, t)),
            [
                "Nguyễn Xuân Cường",
                "Nguyễn Chí Dũng",
                "Shinzo Abe",
                "Nguyễn Văn Thể",
                "Nguyễn Hữu Độ",
                "Mai",
                "Vũ Đức Đam",
                "Tô Lâm",
                "Trần Văn Ba",
                "Ba"
            ]
        );
    }

    #[test]
    fn builtin_tasks_hold_on_the_failures_seen_in_real_news() {
        let s = Suggester::new(&builtin_patterns()).unwrap();
        let t = "Thành phố Cần Thơ họp giao ban về giao thông và giao tiếp. Sở nêu trách nhiệm vụ \
                 việc. Người bán không phải là chủ xe. Phải chăng quy định quá chặt? Ông nói: “Chúng \
                 tôi yêu cầu họ rút đơn” rồi về. UBND giao Sở Tư pháp kiểm tra.";
        assert_eq!(
            of("TASK", &texts(&s, t)),
            ["họ rút đơn", "Sở Tư pháp kiểm tra"]
        );
    }

    #[test]
    fn skip_lists_match_uy_and_uy_as_one_word() {
        let s = Suggester::new(&[Pattern::AfterTitle {
            label: "PERSON".into(),
            titles: vec!["Chủ tịch".into()],
            skip: vec!["Ủy".into(), "ban".into(), "nhân".into(), "dân".into()],
        }])
        .unwrap();
        let t = "Chủ tịch Uỷ ban nhân dân Tô Lâm đến.";
        assert_eq!(of("PERSON", &texts(&s, t)), ["Tô Lâm"]);
    }

    #[test]
    fn nfd_text_gets_the_same_suggestions() {
        let s = Suggester::new(&builtin_patterns()).unwrap();
        let nfc = "Bộ trưởng Tô Lâm quán triệt chỉ thị số 24.";
        let nfd: String = nfc.nfd().collect();
        let a = texts(&s, nfc);
        let b: Vec<(String, String)> = texts(&s, &nfd)
            .into_iter()
            .map(|(l, t)| (l, t.nfc().collect()))
            .collect();
        assert_eq!(a, b);
        assert!(!a.is_empty());
    }

    #[test]
    fn gazetteer_respects_word_boundaries_and_forms() {
        let mut s = Suggester::new(&[]).unwrap();
        s.set_gazetteer([
            ("PERSON".to_string(), "Hòa".to_string()),
            ("PERSON".to_string(), "Tô Lâm".to_string()),
        ]);
        let t = "Tôi gặp Hoà và Hòa, Ho\u{300}a; Hoàng; Hoa; To Lam; TÔ LÂM; Tô Lâm.";
        let got: Vec<String> = texts(&s, t).into_iter().map(|(_, x)| x).collect();
        assert_eq!(got, ["Hoà", "Hòa", "Ho\u{300}a", "TÔ LÂM", "Tô Lâm"]);
    }

    #[test]
    fn a_one_word_name_from_the_gazetteer_must_stand_alone() {
        // a name pattern that finds nothing, but knows the compound
        let mut s = Suggester::new(&[Pattern::Person {
            label: "PERSON".into(),
            surnames: vec![],
            titles: vec![],
            organisations: vec![],
            places: vec![],
            not_names: vec!["Thể thao".into()],
            common: vec![],
            given_names: false,
            bylines: false,
        }])
        .unwrap();
        s.set_gazetteer([("PERSON".to_string(), "Thể".to_string())]);
        let t = "Bộ Văn hoá Thể thao và Du lịch mời ông Thể. Thể nói với Nguyễn Văn Thể rằng anh Thể đến.";
        let got: Vec<&str> = s
            .suggest(t)
            .into_iter()
            .filter(|x| x.source == Source::Gazetteer)
            .map(|x| &t[x.bytes])
            .collect();
        // not in "Thể thao", at a sentence's start, nor inside a longer name
        assert_eq!(got, ["Thể", "Thể"]);
    }
}
