//! Re-anchoring: when an article's text changed after tagging, find each tag again by its quoted
//! text: the occurrence whose surrounding text best matches the saved context, then the one nearest
//! the old offset. A tag whose text is gone is kept as orphaned, never dropped.

use crate::annotation::Annotation;
use crate::text::CharIndex;

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

/// Re-anchor `tags` in `text`; tags still matching their offsets are left alone.
pub fn reanchor(text: &str, index: &CharIndex, tags: &mut [Annotation]) -> Reanchored {
    let mut r = Reanchored::default();
    for t in tags.iter_mut() {
        if quoted_at(text, index, t.start, t.end) == Some(t.text.as_str()) {
            t.orphaned = false;
            continue;
        }
        if t.text.is_empty() {
            t.orphaned = true;
            r.orphaned += 1;
            continue;
        }
        let before = t.before.as_deref().unwrap_or("");
        let after = t.after.as_deref().unwrap_or("");
        let best = text
            .match_indices(t.text.as_str())
            .map(|(b, m)| {
                let start = index.byte_to_char(text, b);
                let score = common_suffix(before, &text[..b]).min(before.chars().count())
                    + common_prefix(after, &text[b + m.len()..]);
                (score, std::cmp::Reverse(start.abs_diff(t.start)), start)
            })
            .max();
        match best {
            Some((_, _, start)) => {
                t.start = start;
                t.end = start + t.text.chars().count();
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
