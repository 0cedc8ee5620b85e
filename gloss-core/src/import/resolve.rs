//! An import's records checked against their articles: a record's text (or its tokens, aligned
//! with the article's characters) must be the article's, and each tag's offsets, put in code
//! points, must quote what the article holds there; a tag resolved so becomes the tag it is
//! imported as.

use std::ops::Range;

use super::{Content, Incoming, IncomingTag, Units};
use crate::annotation::{Annotation, timestamp};
use crate::text::sanitize_inline;
use crate::text::tokens::is_gap;

/// A tag resolved against its article: code points, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    pub start: usize,
    pub end: usize,
    pub tag: &'a IncomingTag,
}

impl Resolved<'_> {
    /// The tag this becomes: `label` (the corpus's name for the file's label) on these code points,
    /// quoting `text` (the article's), with the file's id or else `fresh_id`, by the file's
    /// annotator or else `annotator`, stamped now; every other field as the file carries it.
    pub fn to_annotation(
        &self,
        label: &str,
        text: &str,
        annotator: &str,
        fresh_id: String,
    ) -> Annotation {
        let t = self.tag;
        let now = timestamp();
        Annotation {
            id: t.id.clone().unwrap_or(fresh_id),
            label: label.to_string(),
            start: self.start,
            end: self.end,
            text: text.to_string(),
            annotator: t.annotator.clone().unwrap_or_else(|| annotator.to_string()),
            created: now.clone(),
            modified: now,
            ..t.carried.clone()
        }
    }
}

/// The text with everything that lies between tokens taken out: what a CoNLL document's tokens,
/// put end to end, must equal (the same key is taken of both).
pub fn token_key(s: &str) -> String {
    s.chars().filter(|&c| !is_gap(c)).collect()
}

/// Where `a` and `b` first differ, in characters.
fn first_difference(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// A few characters of `text` from character `at`, for messages.
fn excerpt(text: &str, at: usize) -> String {
    let s: String = text.chars().skip(at).take(20).collect();
    sanitize_inline(&s)
}

/// The byte ranges of `tokens` in `text`, in order: each token stands where the previous one ended,
/// after nothing but gap characters (white space, controls, invisible characters).
pub fn align_tokens(text: &str, tokens: &[String]) -> Result<Vec<Range<usize>>, String> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut at = 0;
    for (i, tok) in tokens.iter().enumerate() {
        let rest = &text[at..];
        let skip = rest
            .char_indices()
            .find(|&(_, c)| !is_gap(c))
            .map_or(rest.len(), |(b, _)| b);
        // the token starts after the gap, or inside it if it starts with gap characters itself
        let tok = tok.as_str();
        let found = if tok.starts_with(is_gap) {
            rest[..skip]
                .char_indices()
                .map(|(b, _)| at + b)
                .find(|&s| text[s..].starts_with(tok))
        } else {
            Some(at + skip).filter(|&s| !tok.is_empty() && text[s..].starts_with(tok))
        };
        let Some(start) = found else {
            let c = text[..at + skip].chars().count();
            return Err(format!(
                "token {} “{}” is not what the article holds at character {c} (“{}”)",
                i + 1,
                sanitize_inline(tok),
                excerpt(text, c)
            ));
        };
        out.push(start..start + tok.len());
        at = start + tok.len();
    }
    Ok(out)
}

impl Incoming {
    /// Check this record against its article's `text` and put its tags in code points. `Err` says
    /// what does not match (the caller names the file and the article).
    pub fn resolve(&self, text: &str) -> Result<Vec<Resolved<'_>>, String> {
        let units = self.chosen_units(text)?;
        self.resolve_as(text, units)
    }

    /// The units this record's offsets are read in: its own, or for [`Units::Utf16OrChars`] the
    /// reading that fits the text (see there).
    pub fn chosen_units(&self, text: &str) -> Result<Units, String> {
        self.reading(text).map(|(units, _)| units)
    }

    /// [`Incoming::chosen_units`], and what to say about it: for [`Units::Utf16OrChars`], code
    /// points are taken only when they put every span end on a word's edge and UTF-16 units do not
    /// (said); when the readings differ and neither is so plainly right, UTF-16 units, the
    /// default, with a word that it could not be told.
    pub fn reading(&self, text: &str) -> Result<(Units, Option<String>), String> {
        if self.units != Units::Utf16OrChars {
            return Ok((self.units, None));
        }
        let as_utf16 = self.resolve_as(text, Units::Utf16);
        let as_chars = self.resolve_as(text, Units::Chars);
        let spans = |r: &Vec<Resolved>| r.iter().map(|r| (r.start, r.end)).collect::<Vec<_>>();
        match (&as_utf16, &as_chars) {
            (Ok(a), Ok(b)) if spans(a) == spans(b) => Ok((Units::Utf16, None)),
            (Ok(a), Ok(b)) => {
                let (fit16, fit32, all) = (words_fitted(text, a), words_fitted(text, b), 2 * a.len());
                if fit32 == all && fit16 < all {
                    Ok((
                        Units::Chars,
                        Some("its offsets are read as code points (read as UTF-16 units, as doccano's web interface counts, spans would cut words); --offsets says which".into()),
                    ))
                } else if fit16 == all && fit32 < all {
                    // the text tells: UTF-16 units, as doccano counts
                    Ok((Units::Utf16, None))
                } else {
                    Ok((
                        Units::Utf16,
                        Some(format!(
                            "its offsets give other spans read as UTF-16 units than as code points, and the text does not tell which ({fit16} and {fit32} of {all} span ends on a word's edge): read as UTF-16 units; --offsets codepoint reads code points"
                        )),
                    ))
                }
            }
            (Ok(_), Err(_)) => Ok((Units::Utf16, None)),
            (Err(_), Ok(_)) => Ok((
                Units::Chars,
                Some("its offsets are read as code points (as UTF-16 units they fall inside a character); --offsets says which".into()),
            )),
            (Err(e), Err(_)) => Err(e.clone()),
        }
    }

    fn resolve_as(&self, text: &str, units: Units) -> Result<Vec<Resolved<'_>>, String> {
        let n_chars = text.chars().count();
        let token_chars: Vec<Range<usize>> = match &self.content {
            Content::Text(t) if t != text => {
                let at = first_difference(t, text);
                return Err(format!(
                    "its text differs from the article's at character {at} (“{}” in the file, “{}” in the article)",
                    excerpt(t, at),
                    excerpt(text, at)
                ));
            }
            Content::Tokens(tokens) => {
                let bytes = align_tokens(text, tokens)?;
                let index = crate::text::CharIndex::new(text);
                bytes
                    .iter()
                    .map(|r| index.byte_to_char(text, r.start)..index.byte_to_char(text, r.end))
                    .collect()
            }
            _ => Vec::new(),
        };
        let points = || -> Vec<usize> { self.tags.iter().flat_map(|t| [t.start, t.end]).collect() };
        let utf16: Vec<Option<usize>> = match units {
            Units::Utf16 => crate::text::offsets::utf16_to_chars(text, &points()),
            Units::Graphemes => crate::text::offsets::graphemes_to_chars(text, &points()),
            _ => Vec::new(),
        };
        let index = crate::text::CharIndex::new(text);
        let mut out = Vec::with_capacity(self.tags.len());
        for (i, t) in self.tags.iter().enumerate() {
            let name = || match &t.id {
                Some(id) => format!("tag {id} ({} at {}..{})", t.label, t.start, t.end),
                None => format!("tag {} ({} at {}..{})", i + 1, t.label, t.start, t.end),
            };
            let (start, end) = match units {
                Units::Chars | Units::Utf16OrChars => (t.start, t.end),
                Units::Utf16 => match (utf16[2 * i], utf16[2 * i + 1]) {
                    (Some(a), Some(b)) => (a, b),
                    _ => {
                        return Err(format!(
                            "{}: an offset is past the text or between the two halves of a character above U+FFFF (the offsets are UTF-16 units; --offsets codepoint reads code points)",
                            name()
                        ));
                    }
                },
                Units::Graphemes => match (utf16[2 * i], utf16[2 * i + 1]) {
                    (Some(a), Some(b)) => (a, b),
                    _ => {
                        return Err(format!(
                            "{}: an offset is past the text (the offsets are grapheme clusters)",
                            name()
                        ));
                    }
                },
                Units::Tokens => {
                    match (
                        token_chars.get(t.start),
                        token_chars.get(t.end.wrapping_sub(1)),
                    ) {
                        (Some(a), Some(b)) if t.start < t.end => (a.start, b.end),
                        _ => return Err(format!("{}: no such tokens", name())),
                    }
                }
            };
            if start >= end || end > n_chars {
                return Err(format!(
                    "{}: the span is empty or past the end of the text ({n_chars} characters)",
                    name()
                ));
            }
            if let Some(q) = &t.text {
                let found = crate::store::quoted_at(text, &index, start, end).unwrap_or("");
                if found != q {
                    return Err(format!(
                        "{}: its text “{}” is not what the article holds there (“{}”)",
                        name(),
                        sanitize_inline(q),
                        sanitize_inline(found)
                    ));
                }
            }
            out.push(Resolved { start, end, tag: t });
        }
        Ok(out)
    }
}

/// How many ends of `spans` fall at the edge of a word and of a character as shown (not before a
/// combining mark, not inside a run of letters or digits).
fn words_fitted(text: &str, spans: &[Resolved]) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_alphanumeric();
    let mark = |c: char| unicode_normalization::char::is_combining_mark(c);
    // a boundary at `i`: between chars[i-1] and chars[i]
    let edge = |i: usize| {
        let (before, after) = (i.checked_sub(1).map(|k| chars[k]), chars.get(i).copied());
        let inside_a_word = before.is_some_and(word) && after.is_some_and(word);
        let before_a_mark = after.is_some_and(mark);
        !(inside_a_word || before_a_mark)
    };
    spans
        .iter()
        .map(|r| usize::from(edge(r.start)) + usize::from(edge(r.end)))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Review;

    fn tag(label: &str, start: usize, end: usize, text: Option<&str>) -> IncomingTag {
        IncomingTag {
            text: text.map(String::from),
            ..IncomingTag::new(label, start, end)
        }
    }

    fn record(content: Content, units: Units, tags: Vec<IncomingTag>) -> Incoming {
        Incoming {
            origin: "f:1".into(),
            id: None,
            content,
            units,
            units_stated: false,
            tags,
            relations: Vec::new(),
            status: None,
            comment: None,
            categories: Default::default(),
            time: Default::default(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_resolved_tag_becomes_a_tag_with_what_the_file_carries() {
        let review = Review {
            verdict: crate::annotation::Verdict::Accepted,
            reviewer: "rev".into(),
            time: "2026-11-27T10:00:00Z".into(),
        };
        let given = IncomingTag {
            id: Some("a1".into()),
            annotator: Some("alice".into()),
            carried: Annotation {
                note: Some("ghi chú".into()),
                review: Some(review.clone()),
                entity: Some("person-to-lam".into()),
                // not read: the resolved ones are
                id: "x".into(),
                start: 99,
                ..Annotation::default()
            },
            ..tag("person", 3, 9, Some("Tô Lâm"))
        };
        let r = Resolved {
            start: 2,
            end: 8,
            tag: &given,
        };
        let a = r.to_annotation("PERSON", "Tô Lâm", "importer", "fresh".into());
        assert_eq!(
            (
                a.id.as_str(),
                a.label.as_str(),
                a.start,
                a.end,
                a.text.as_str()
            ),
            ("a1", "PERSON", 2, 8, "Tô Lâm")
        );
        assert_eq!(a.annotator, "alice");
        assert_eq!(a.note.as_deref(), Some("ghi chú"));
        assert_eq!(a.review, Some(review));
        assert_eq!(a.entity.as_deref(), Some("person-to-lam"));
        assert!(!a.created.is_empty() && a.created == a.modified);
        // what the file does not say: a fresh id, the importing annotator, nothing else set
        let bare = tag("PERSON", 3, 9, None);
        let r = Resolved {
            start: 2,
            end: 8,
            tag: &bare,
        };
        let b = r.to_annotation("PERSON", "Tô Lâm", "importer", "fresh".into());
        assert_eq!((b.id.as_str(), b.annotator.as_str()), ("fresh", "importer"));
        let plain = Annotation::new("PERSON", 2, 8, "Tô Lâm", "importer");
        assert!(b.same_content(&Annotation {
            id: b.id.clone(),
            created: b.created.clone(),
            modified: b.modified.clone(),
            ..plain
        }));
    }

    #[test]
    fn tokens_align_across_gaps_and_marks_on_spaces() {
        let text = "Ông \u{200B}Tô\tLâm \u{301}x.";
        let toks: Vec<String> = ["Ông", "Tô", "Lâm", "\u{301}", "x", "."]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let r = align_tokens(text, &toks).unwrap();
        let got: Vec<&str> = r.iter().map(|b| &text[b.clone()]).collect();
        assert_eq!(got, ["Ông", "Tô", "Lâm", "\u{301}", "x", "."]);
        let wrong: Vec<String> = vec!["Ông".into(), "Lâm".into()];
        let e = align_tokens(text, &wrong).unwrap_err();
        assert!(
            e.contains("token 2 “Lâm”") && e.contains("character 5"),
            "{e}"
        );
        assert_eq!(token_key(text), toks.concat());
    }

    #[test]
    fn resolve_checks_text_units_and_quotes() {
        let text = "😀 Tô Lâm";
        let r = record(
            Content::Text(text.into()),
            Units::Utf16,
            vec![tag("PERSON", 3, 9, Some("Tô Lâm"))],
        );
        let got = r.resolve(text).unwrap();
        assert_eq!((got[0].start, got[0].end), (2, 8));
        let e = r.resolve("😀 Tô Lâm!").unwrap_err();
        assert!(e.contains("differs") && e.contains("character 8"), "{e}");
        let half = record(
            Content::Unknown,
            Units::Utf16,
            vec![tag("PERSON", 1, 4, None)],
        );
        assert!(half.resolve(text).unwrap_err().contains("two halves"));
        let quote = record(
            Content::Unknown,
            Units::Chars,
            vec![tag("PERSON", 2, 8, Some("Tô Lam"))],
        );
        assert!(quote.resolve(text).unwrap_err().contains("“Tô Lam”"));
        let toks = record(
            Content::Tokens(vec!["😀".into(), "Tô".into(), "Lâm".into()]),
            Units::Tokens,
            vec![tag("PERSON", 1, 3, None)],
        );
        let got = toks.resolve(text).unwrap();
        assert_eq!((got[0].start, got[0].end), (2, 8));
    }
}
