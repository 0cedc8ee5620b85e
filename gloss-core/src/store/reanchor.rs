//! Re-anchoring: when an article's text changed after tagging, find each tag again by its quoted
//! text, up to Unicode form, case and tone placement (an article converted to NFD keeps its tags):
//! the occurrence whose surrounding text best matches the saved context, then the one nearest the
//! old offset. A tag whose text is gone is kept as orphaned, never dropped.
//!
//! The text is folded once; each distinct tag text is searched once; a tag's candidates are scored
//! outward from its old offset and the search stops at a perfect context, so re-anchoring costs about
//! one pass over the text however often a short tag's text occurs.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::annotation::Annotation;
use crate::text::fold::{Folded, fold_str};
use crate::text::{CharIndex, same_text};

use super::quoted_at;

/// What re-anchoring did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reanchored {
    /// Tags found at new offsets.
    pub moved: usize,
    /// Tags whose text was not found.
    pub orphaned: usize,
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// An occurrence of a tag's text: where it is in the folded text, in the original, and its first
/// code point.
#[derive(Debug, Clone)]
struct Candidate {
    folded: Range<usize>,
    bytes: Range<usize>,
    start: usize,
}

/// Re-anchor `tags` in `text`; tags still matching their offsets are left alone.
pub fn reanchor(text: &str, index: &CharIndex, tags: &mut [Annotation]) -> Reanchored {
    let mut r = Reanchored::default();
    let mut folded: Option<Folded> = None;
    let mut candidates: HashMap<String, Vec<Candidate>> = HashMap::new();
    // Spans already held, by label: two tags of one text never land on the same occurrence.
    let mut held: HashSet<(String, usize, usize)> = HashSet::new();
    let mut stay = vec![false; tags.len()];
    for (i, t) in tags.iter_mut().enumerate() {
        if quoted_at(text, index, t.start, t.end) == Some(t.text.as_str()) {
            t.orphaned = false;
            stay[i] = true;
            held.insert((t.label.clone(), t.start, t.end));
        }
    }
    for (i, t) in tags.iter_mut().enumerate() {
        if stay[i] {
            continue;
        }
        let key = fold_str(&t.text);
        if key.trim().is_empty() {
            if !t.orphaned {
                t.orphaned = true;
            }
            r.orphaned += 1;
            continue;
        }
        let f = folded.get_or_insert_with(|| Folded::new(text));
        let found = candidates.entry(key.clone()).or_insert_with(|| {
            f.text
                .match_indices(key.as_str())
                .map(|(i, m)| {
                    let bytes = f.to_original(text, i..i + m.len());
                    Candidate {
                        folded: i..i + m.len(),
                        start: index.byte_to_char(text, bytes.start),
                        bytes,
                    }
                })
                .collect()
        });
        let free = |c: &Candidate| {
            !held.contains(&(
                t.label.clone(),
                c.start,
                index.byte_to_char(text, c.bytes.end),
            ))
        };
        match best(f, text, t, found, free) {
            Some(c) => {
                t.start = c.start;
                t.end = index.byte_to_char(text, c.bytes.end);
                held.insert((t.label.clone(), t.start, t.end));
                t.text = text[c.bytes.clone()].to_string();
                t.orphaned = false;
                r.moved += 1;
            }
            None => {
                t.orphaned = true;
                r.orphaned += 1;
            }
        }
    }
    r
}

/// The candidate for `t` among the `free` ones: the best context, then the nearest to the old
/// offset; `None` if no free candidate is the same text.
fn best<'c>(
    f: &Folded,
    text: &str,
    t: &Annotation,
    found: &'c [Candidate],
    free: impl Fn(&Candidate) -> bool,
) -> Option<&'c Candidate> {
    let before = fold_str(t.before.as_deref().unwrap_or(""));
    let after = fold_str(t.after.as_deref().unwrap_or(""));
    let perfect = before.chars().count() + after.chars().count();
    let score = |c: &Candidate| {
        common_suffix(&before, &f.text[..c.folded.start])
            + common_prefix(&after, &f.text[c.folded.end..])
    };
    // outward from the old offset: the nearest first, on both sides in turn
    let mid = found.partition_point(|c| c.start < t.start);
    let (mut lo, mut hi) = (mid, mid);
    let mut chosen: Option<(usize, usize, &Candidate)> = None; // (score, distance, candidate)
    while lo > 0 || hi < found.len() {
        let take_hi = match (lo.checked_sub(1), found.get(hi)) {
            (Some(l), Some(h)) => h.start.abs_diff(t.start) <= found[l].start.abs_diff(t.start),
            (None, Some(_)) => true,
            _ => false,
        };
        let c = if take_hi {
            hi += 1;
            &found[hi - 1]
        } else {
            lo -= 1;
            &found[lo]
        };
        if !same_text(&t.text, &text[c.bytes.clone()]) || !free(c) {
            continue;
        }
        let s = score(c);
        let d = c.start.abs_diff(t.start);
        if chosen.is_none_or(|(bs, bd, _)| s > bs || (s == bs && d < bd)) {
            chosen = Some((s, d, c));
        }
        if s >= perfect {
            break; // nothing farther can beat it
        }
    }
    chosen.map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn tag(text: &str, needle: &str, nth: usize) -> Annotation {
        let b = text.match_indices(needle).nth(nth).unwrap().0;
        let s = text[..b].chars().count();
        let mut t = Annotation::new("PERSON", s, s + needle.chars().count(), needle, "x");
        let idx = CharIndex::new(text);
        t.before = quoted_at(text, &idx, s.saturating_sub(24), s).map(String::from);
        t.after = quoted_at(text, &idx, t.end, (t.end + 24).min(idx.len_chars())).map(String::from);
        t
    }

    #[test]
    fn context_picks_the_right_occurrence_and_missing_text_is_orphaned() {
        let old = "Ông Tô Lâm nói. Bà Mai hỏi Tô Lâm về chỉ thị.";
        let mut tags = vec![tag(old, "Tô Lâm", 1), tag(old, "Bà Mai", 0)];
        // Text inserted at the start, and "Bà Mai" removed.
        let new = "Mới: Tô Lâm đến. Ông Tô Lâm nói. Hỏi Tô Lâm về chỉ thị.";
        let idx = CharIndex::new(new);
        let r = reanchor(new, &idx, &mut tags);
        assert_eq!(
            r,
            Reanchored {
                moved: 1,
                orphaned: 1
            }
        );
        assert_eq!(
            quoted_at(new, &idx, tags[0].start, tags[0].end),
            Some("Tô Lâm")
        );
        // the occurrence followed by " về chỉ thị", not the nearer ones
        let want = new.rfind("Tô Lâm").unwrap();
        assert_eq!(tags[0].start, new[..want].chars().count());
        assert!(tags[1].orphaned);
        // the orphan comes back when its text does
        let back = format!("{new} Bà Mai hỏi.");
        let r = reanchor(&back, &CharIndex::new(&back), &mut tags);
        assert_eq!(r.moved, 1);
        assert!(!tags[1].orphaned);
    }

    #[test]
    fn an_article_converted_to_nfd_or_retoned_keeps_its_tags() {
        let old = "Ông Nguyễn Văn Hòa và bà Thủy nói về chỉ thị.";
        let mut tags = vec![
            tag(old, "Nguyễn Văn Hòa", 0),
            tag(old, "Thủy", 0),
            tag(old, "chỉ thị", 0),
        ];
        let nfd: String = old.nfd().collect();
        let idx = CharIndex::new(&nfd);
        let r = reanchor(&nfd, &idx, &mut tags);
        assert_eq!(r.orphaned, 0);
        for t in &tags {
            assert_eq!(quoted_at(&nfd, &idx, t.start, t.end), Some(t.text.as_str()));
        }
        assert_eq!(tags[0].text.nfc().collect::<String>(), "Nguyễn Văn Hòa");
        // tone placement: "Hòa" written "Hoà"
        let retoned = old.replace("Hòa", "Hoà");
        let mut tags = vec![tag(old, "Nguyễn Văn Hòa", 0)];
        let idx = CharIndex::new(&retoned);
        assert_eq!(reanchor(&retoned, &idx, &mut tags).moved, 1);
        assert_eq!(tags[0].text, "Nguyễn Văn Hoà");
        // but another word is not the same text
        let other = old.replace("Hòa", "Hoa");
        let mut tags = vec![tag(old, "Nguyễn Văn Hòa", 0)];
        assert_eq!(
            reanchor(&other, &CharIndex::new(&other), &mut tags).orphaned,
            1
        );
    }

    #[test]
    fn two_tags_of_one_text_never_land_on_the_same_occurrence() {
        let old = "Tô , Lâm ,";
        let mut tags = vec![tag(old, ",", 0), tag(old, ",", 1)];
        let new = "Tô , Lâm nhiệm ,";
        let idx = CharIndex::new(new);
        reanchor(new, &idx, &mut tags);
        assert_ne!((tags[0].start, tags[0].end), (tags[1].start, tags[1].end));
        for t in &tags {
            assert_eq!(quoted_at(new, &idx, t.start, t.end), Some(","));
        }
    }

    #[test]
    fn many_occurrences_of_a_short_text_each_find_their_own() {
        // 300,000 occurrences of "ab" and ten tags of it (the attack's case; the time it takes is
        // measured by `cargo bench --bench reanchor`)
        let old: String = (0..300_000).map(|i| format!("ab {i} ")).collect();
        let mut tags: Vec<Annotation> = (0..10).map(|k| tag(&old, "ab", k * 20_000)).collect();
        let starts: Vec<usize> = tags.iter().map(|t| t.start).collect();
        let new = format!("x {old}");
        let idx = CharIndex::new(&new);
        let r = reanchor(&new, &idx, &mut tags);
        assert_eq!(r.moved, 10);
        for (t, s) in tags.iter().zip(starts) {
            assert_eq!(t.start, s + 2);
        }
    }
}
