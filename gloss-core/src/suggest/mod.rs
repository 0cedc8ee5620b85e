//! Suggestions: spans gloss proposes to tag, from patterns (data in `gloss.ron`, with
//! [`crate::corpus::patterns::builtin_patterns`] as defaults: Vietnamese personal names, numbered and named directives,
//! clauses led by task words), from a gazetteer of every text already tagged in the corpus, and from
//! a model learnt from the corpus's tags ([`model`]). Suggestions are never exported until
//! accepted.

mod clause;
pub mod lexicon;
pub mod model;
mod named;
pub mod person;
pub mod words;

use std::ops::Range;

use aho_corasick::AhoCorasick;
use regex::Regex;
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::corpus::patterns::{Pattern, compile_regex};
use crate::text::fold::{Folded, fold_str};
use crate::text::{motion, same_text, text_key};

pub use lexicon::Lexicon;
pub use person::PersonLists;

/// The largest text suggestions are looked for in (a news article is a few KB).
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

#[derive(Clone)]
enum Compiled {
    Regex {
        label: String,
        re: Regex,
        group: usize,
    },
    AfterTitle {
        label: String,
        titles: AhoCorasick,
        skip: Vec<String>,
    },
    Person {
        label: String,
        person: Box<person::Person>,
    },
    Named {
        label: String,
        named: named::Named,
    },
    Clause {
        label: String,
        clause: Box<clause::Clause>,
    },
}

/// Finds suggestions in articles.
#[derive(Clone)]
pub struct Suggester {
    patterns: Vec<Compiled>,
    /// (label, text) already tagged somewhere.
    gazetteer: Vec<(String, String)>,
    gazetteer_ac: Option<AhoCorasick>,
    /// Phrases a capitalised word may start without being a name (the Person patterns'
    /// `not_names`): a one-word gazetteer entry is not suggested as their first word.
    compounds: words::WordList,
    /// The model learnt from the corpus's tags, and the word lists its features use.
    model: Option<std::sync::Arc<model::Model>>,
    lexicon: std::sync::Arc<Lexicon>,
}

/// Is the text at `r` a whole word run (no letter or digit just before or after)?
fn at_word_boundaries(text: &str, r: &Range<usize>) -> bool {
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric)
        && !after.is_some_and(|c| {
            c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
        })
}

/// Is `s` one word starting with a capital ("Mai", "Thể")?
fn is_one_capitalised_word(s: &str) -> bool {
    is_capitalised(s) && s.chars().all(|c| !c.is_whitespace())
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

impl Suggester {
    /// Compile `patterns`; errors name the pattern.
    pub fn new(patterns: &[Pattern]) -> Result<Suggester, String> {
        let mut compiled = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            compiled.push(match p {
                Pattern::Regex {
                    label,
                    regex,
                    group,
                } => Compiled::Regex {
                    label: label.clone(),
                    re: compile_regex(i + 1, regex)?,
                    group: *group,
                },
                Pattern::AfterTitle {
                    label,
                    titles,
                    skip,
                } => Compiled::AfterTitle {
                    label: label.clone(),
                    titles: AhoCorasick::builder()
                        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                        .build(titles.iter().map(|t| t.nfc().collect::<String>()))
                        .map_err(|e| format!("pattern {}: {e}", i + 1))?,
                    skip: skip.iter().map(|t| text_key(t)).collect(),
                },
                Pattern::Person { label, .. } => Compiled::Person {
                    label: label.clone(),
                    person: Box::new(person::Person::new(&PersonLists::of(p))),
                },
                Pattern::Named {
                    label,
                    heads,
                    stops,
                    max_words,
                } => Compiled::Named {
                    label: label.clone(),
                    named: named::Named::new(heads, stops, *max_words),
                },
                Pattern::Clause { label, .. } => Compiled::Clause {
                    label: label.clone(),
                    clause: Box::new(clause::Clause::new(&clause::ClauseLists::of(p))),
                },
            });
        }
        Ok(Suggester {
            patterns: compiled,
            gazetteer: Vec::new(),
            gazetteer_ac: None,
            model: None,
            lexicon: std::sync::Arc::new(Lexicon::from_patterns(patterns)),
            compounds: words::WordList::new(
                &patterns
                    .iter()
                    .flat_map(|p| match p {
                        Pattern::Person { not_names, .. } => not_names.clone(),
                        _ => Vec::new(),
                    })
                    .collect::<Vec<_>>(),
            ),
        })
    }

    /// Use `model` (learnt from the corpus's tags) too, or no model.
    pub fn set_model(&mut self, model: Option<std::sync::Arc<model::Model>>) {
        self.model = model;
    }

    /// Take the word lists the model's features use from `patterns` (by default, the suggester's
    /// own patterns).
    pub fn set_lexicon_from(&mut self, patterns: &[Pattern]) {
        self.lexicon = std::sync::Arc::new(Lexicon::from_patterns(patterns));
    }

    /// Is a model in use?
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Add texts already tagged (label, text) to the gazetteer.
    pub fn set_gazetteer(&mut self, entries: impl IntoIterator<Item = (String, String)>) {
        let mut g: Vec<(String, String)> = entries
            .into_iter()
            .filter(|(_, t)| fold_str(t).chars().filter(|c| c.is_alphanumeric()).count() >= 2)
            .collect();
        g.sort();
        g.dedup_by(|a, b| a.0 == b.0 && text_key(&a.1) == text_key(&b.1));
        self.gazetteer_ac = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(g.iter().map(|(_, t)| fold_str(t)))
            .ok();
        self.gazetteer = g;
    }

    /// Does the one-word match `r` stand alone as a name: not at a sentence's start, no capitalised
    /// word right before or after it, not the first word of a compound ("Thể thao")?
    fn stands_alone(
        &self,
        text: &str,
        words: &mut Option<Vec<words::Word>>,
        r: &Range<usize>,
    ) -> bool {
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

    /// Suggestions in `text` (byte ranges, sorted, no two with the same label overlapping). Texts
    /// over [`MAX_SUGGEST_BYTES`] get none.
    pub fn suggest(&self, text: &str) -> Vec<Suggestion> {
        if text.len() > MAX_SUGGEST_BYTES {
            return Vec::new();
        }
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
        let mut text_words_nfc: Option<Vec<words::Word>> = None;
        for p in &self.patterns {
            for (label, r) in match_pattern(p, &nfc, &mut text_words_nfc) {
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
        if let Some(ac) = &self.gazetteer_ac {
            let mut text_words: Option<Vec<words::Word>> = None;
            let folded = Folded::new(text);
            for m in ac.find_iter(folded.text.as_str()) {
                let (label, want) = &self.gazetteer[m.pattern().as_usize()];
                let r = folded.to_original(text, m.start()..m.end());
                if at_word_boundaries(text, &r)
                    && same_text(want, &text[r.clone()])
                    && (!is_one_capitalised_word(want)
                        || self.stands_alone(text, &mut text_words, &r))
                {
                    out.push(Suggestion {
                        label: label.clone(),
                        bytes: r,
                        source: Source::Gazetteer,
                    });
                }
            }
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

fn match_pattern(
    p: &Compiled,
    text: &str,
    w: &mut Option<Vec<words::Word>>,
) -> Vec<(String, Range<usize>)> {
    match p {
        Compiled::Regex { label, re, group } => re
            .captures_iter(text)
            .filter_map(|c| c.get(*group))
            .map(|m| (label.clone(), m.range()))
            .collect(),
        Compiled::AfterTitle {
            label,
            titles,
            skip,
        } => {
            let mut out = Vec::new();
            for m in titles.find_iter(text) {
                let r = m.range();
                if !at_word_boundaries(text, &r) {
                    continue;
                }
                if let Some(name) = name_after(text, r.end, skip) {
                    out.push((label.clone(), name));
                }
            }
            out
        }
        Compiled::Person { label, person } => person
            .find_in(text, w.get_or_insert_with(|| words::words(text)))
            .into_iter()
            .map(|r| (label.clone(), r))
            .collect(),
        Compiled::Named { label, named } => named
            .find_in(text, w.get_or_insert_with(|| words::words(text)))
            .into_iter()
            .map(|r| (label.clone(), r))
            .collect(),
        Compiled::Clause { label, clause } => clause
            .find_in(text, w.get_or_insert_with(|| words::words(text)))
            .into_iter()
            .map(|r| (label.clone(), r))
            .collect(),
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

/// Every occurrence of `needle` in `text` as a whole word run, alike but for Unicode form and tone
/// placement (case counts): what tag-all tags.
pub fn occurrences(text: &str, needle: &str) -> Vec<Range<usize>> {
    Folded::new(text)
        .find_all(text, needle)
        .into_iter()
        .filter(|r| at_word_boundaries(text, r) && same_text(needle, &text[r.clone()]))
        .collect()
}

/// The occurrences of `needle` (as [`occurrences`] finds them) that `set` does not yet tag with
/// `label`, as code-point ranges: what tag-all adds. `index` is `text`'s.
pub fn untagged_occurrences(
    text: &str,
    index: &crate::text::CharIndex,
    set: &crate::annotation::AnnotationSet,
    label: &str,
    needle: &str,
) -> Vec<Range<usize>> {
    occurrences(text, needle)
        .into_iter()
        .map(|b| index.byte_to_char(text, b.start)..index.byte_to_char(text, b.end))
        .filter(|c| set.find_same(label, c.start, c.end).is_none())
        .collect()
}

/// NFC of `text` and, for each byte of it, the byte of `text` it came from (plus one entry for the
/// end).
pub fn nfc_with_map(text: &str) -> (String, Vec<usize>) {
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
    fn occurrences_for_tag_all() {
        let t = "Hòa gặp Hoà, Ho\u{300}a và Hoàng; HÒA; Hoa; hòa bình.";
        let got: Vec<&str> = occurrences(t, "Hòa").into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, ["Hòa", "Hoà", "Ho\u{300}a", "HÒA"]);
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
