//! Suggestions: spans gloss proposes to tag, from patterns (Vietnamese titles before names, numbered
//! directives, clauses led by task words; data in `gloss.ron`, with built-ins as defaults) and from a
//! gazetteer of every text already tagged in the corpus. Suggestions are never exported until
//! accepted.

use std::ops::Range;

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::{Deserialize, Serialize};
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::text::fold::{Folded, fold_str};
use crate::text::{motion, same_text, text_key};

/// A pattern, as written in `gloss.ron` under `patterns`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pattern {
    /// A regular expression (Rust `regex` syntax, matched on NFC text); `group` picks the capture
    /// group that is the span (0: the whole match).
    Regex {
        label: String,
        regex: String,
        #[serde(default)]
        group: usize,
    },
    /// A name after a title: capitalised syllables (2 to 4, or 1 after a short title like "Bà")
    /// after one of `titles`, skipping an organisation made of words in `skip` and capitalised
    /// words, e.g. "Bộ trưởng Bộ Công an Tô Lâm" gives "Tô Lâm".
    AfterTitle {
        label: String,
        titles: Vec<String>,
        #[serde(default)]
        skip: Vec<String>,
    },
    /// A clause led by one of `leads`, up to the end of its sentence.
    Clause { label: String, leads: Vec<String> },
}

/// The built-in patterns.
pub fn builtin_patterns() -> Vec<Pattern> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        Pattern::AfterTitle {
            label: "PERSON".into(),
            titles: s(&[
                "Ông", "Bà", "Đồng chí", "Bộ trưởng", "Thứ trưởng", "Thủ tướng", "Phó Thủ tướng",
                "Chủ tịch", "Phó Chủ tịch", "Bí thư", "Tổng Bí thư", "Chánh Văn phòng",
                "Thường trực Ban Bí thư", "Giám đốc", "Phó Giám đốc", "Trưởng ban", "Chủ nhiệm",
                "Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Anh", "Chị",
            ]),
            skip: s(&[
                "Bộ", "Ban", "Văn", "phòng", "Sở", "Ủy", "ban", "Hội", "Trung", "ương", "Tỉnh",
                "Thành", "ủy", "Công", "an", "Cục", "Viện", "Đảng", "Nhà", "nước", "Quốc", "hội",
                "Chính", "phủ", "Tòa", "án", "Báo", "Đài", "Tổng", "cục", "Chấp", "hành", "UBND",
                "TP", "TP.HCM", "Hà", "Nội", "Mặt", "trận", "Tổ", "quốc", "Việt", "Nam", "Bí", "thư",
                "Thường", "trực", "Kiểm", "toán", "Ngoại", "giao", "Quốc", "phòng", "Tài", "chính",
            ]),
        },
        Pattern::Regex {
            label: "DIRECTIVE".into(),
            regex: r"(?i)\b(?:thông báo kết luận|chỉ thị|nghị quyết|kết luận|quyết định|công điện|nghị định|thông tư)\s+số\s+\d+(?:/[\p{L}\p{N}-]+)*".into(),
            group: 0,
        },
        Pattern::Clause {
            label: "TASK".into(),
            leads: s(&["nhiệm vụ", "đề nghị", "yêu cầu", "giao", "phải", "cần"]),
        },
    ]
}

/// The largest text suggestions are looked for in (a news article is a few KB).
pub const MAX_SUGGEST_BYTES: usize = 4 * 1024 * 1024;

/// Where a suggestion comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Pattern,
    Gazetteer,
}

/// A suggested tag: a label on bytes of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub label: String,
    pub bytes: Range<usize>,
    pub source: Source,
}

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
    Clause {
        label: String,
        leads: AhoCorasick,
    },
}

/// Finds suggestions in articles.
pub struct Suggester {
    patterns: Vec<Compiled>,
    /// (label, text) already tagged somewhere.
    gazetteer: Vec<(String, String)>,
    gazetteer_ac: Option<AhoCorasick>,
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
                    re: Regex::new(regex).map_err(|e| format!("pattern {}: {e}", i + 1))?,
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
                    skip: skip.iter().map(|t| t.nfc().collect()).collect(),
                },
                Pattern::Clause { label, leads } => Compiled::Clause {
                    label: label.clone(),
                    leads: AhoCorasick::builder()
                        .ascii_case_insensitive(true)
                        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                        .build(leads.iter().map(|t| t.nfc().collect::<String>()))
                        .map_err(|e| format!("pattern {}: {e}", i + 1))?,
                },
            });
        }
        Ok(Suggester {
            patterns: compiled,
            gazetteer: Vec::new(),
            gazetteer_ac: None,
        })
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
        for p in &self.patterns {
            for (label, r) in match_pattern(p, &nfc) {
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
            let folded = Folded::new(text);
            for m in ac.find_iter(folded.text.as_str()) {
                let (label, want) = &self.gazetteer[m.pattern().as_usize()];
                let r = folded.to_original(text, m.start()..m.end());
                if at_word_boundaries(text, &r) && same_text(want, &text[r.clone()]) {
                    out.push(Suggestion {
                        label: label.clone(),
                        bytes: r,
                        source: Source::Gazetteer,
                    });
                }
            }
        }
        out.sort_by(|a, b| {
            (a.bytes.start, std::cmp::Reverse(a.bytes.end), &a.label).cmp(&(
                b.bytes.start,
                std::cmp::Reverse(b.bytes.end),
                &b.label,
            ))
        });
        // one suggestion per label and place: drop those inside an earlier one of the same label
        let mut kept: Vec<Suggestion> = Vec::new();
        for s in out {
            if kept.iter().any(|k| {
                k.label == s.label && k.bytes.start <= s.bytes.start && s.bytes.start < k.bytes.end
            }) {
                continue;
            }
            kept.push(s);
        }
        kept
    }
}

fn match_pattern(p: &Compiled, text: &str) -> Vec<(String, Range<usize>)> {
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
        Compiled::Clause { label, leads } => {
            let mut out = Vec::new();
            let mut covered = 0;
            // the sentences of the line of the last match, found once per line
            let mut line_sentences: (Range<usize>, Vec<Range<usize>>) = (0..0, Vec::new());
            for m in leads.find_iter(text) {
                let r = m.range();
                if r.start < covered || !at_word_boundaries(text, &r) {
                    continue;
                }
                if !(line_sentences.0.start <= r.start && r.start <= line_sentences.0.end)
                    || line_sentences.1.is_empty()
                {
                    let line = motion::line_at(text, r.start);
                    line_sentences = (line.clone(), motion::sentences_in_line(text, line));
                }
                let Some(sentence) = line_sentences.1.iter().find(|s| r.start < s.end).cloned()
                else {
                    continue;
                };
                let mut end = sentence.end;
                // leave out the full stop
                while end > r.end && text[..end].ends_with(['.', '!', '?', ';', '…']) {
                    end = motion::prev_grapheme(text, end);
                }
                if end > r.end {
                    out.push((label.clone(), r.start..end));
                    covered = end;
                }
            }
            out
        }
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
        is_capitalised(s) && !skip.iter().any(|k| k == s)
    })?;
    // everything before it must be organisation words (or capitalised words of one)
    if !words[..first].iter().all(|w| {
        let s = &text[w.clone()];
        skip.iter().any(|k| k == s) || is_capitalised(s)
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
                "đề nghị các tỉnh thực hiện chỉ thị số 24/CT-TW của Bộ Chính trị".into()
            )),
            "{got:?}"
        );
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
        let t = "Hoà và Hòa, Ho\u{300}a; Hoàng; Hoa; To Lam; TÔ LÂM; Tô Lâm.";
        let got: Vec<String> = texts(&s, t).into_iter().map(|(_, x)| x).collect();
        assert_eq!(got, ["Hoà", "Hòa", "Ho\u{300}a", "TÔ LÂM", "Tô Lâm"]);
    }
}
