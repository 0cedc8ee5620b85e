//! Accent-, case- and form-insensitive folding for Vietnamese search and matching: "Tô Lâm" and
//! "to lam", "Hòa" and "Hoà", "Đảng" and "dang", NFC and NFD all fold alike. The folded text keeps a
//! map back to byte offsets of the original, so a hit can be tagged where it stands.

use std::ops::Range;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use super::motion::{ceil_grapheme, floor_grapheme};

/// A folded copy of a text with the way back to the original.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// For every byte of `text`, the byte offset in the original of the character it came from.
    origin: Vec<usize>,
    /// Original length, for mapping the end.
    original_len: usize,
}

/// Characters below this fold through a table built once.
const TABLE_LIMIT: u32 = 0x2000;
/// Table value: the character folds to nothing (a combining mark).
const DROP: u32 = 0x11_0000;
/// Table value: the character folds to several characters; take the slow path.
const SLOW: u32 = 0x11_0001;

fn table() -> &'static [u32] {
    static TABLE: std::sync::OnceLock<Vec<u32>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_LIMIT)
            .map(|u| {
                let Some(c) = char::from_u32(u) else {
                    return SLOW;
                };
                let mut folded = Vec::new();
                fold_char_slow(c, &mut |d| folded.push(d));
                match folded.as_slice() {
                    [] => DROP,
                    [one] => *one as u32,
                    _ => SLOW,
                }
            })
            .collect()
    })
}

/// Fold one character into `out` (lowercase, no diacritics, đ as d).
pub fn fold_char(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    if (c as u32) < TABLE_LIMIT {
        match table()[c as usize] {
            DROP => return,
            SLOW => {}
            v => {
                out(char::from_u32(v).unwrap_or(c));
                return;
            }
        }
    }
    fold_char_slow(c, out);
}

fn fold_char_slow(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
        return;
    }
    decompose_canonical(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        let d = match d {
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            other => other,
        };
        for l in d.to_lowercase() {
            out(l);
        }
    });
}

/// Fold a string without keeping the map (for queries and keys).
pub fn fold_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut |d| out.push(d));
    }
    out
}

impl Folded {
    pub fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (b, c) in original.char_indices() {
            fold_char(c, &mut |d| {
                text.push(d);
                origin.extend(std::iter::repeat_n(b, d.len_utf8()));
            });
        }
        Folded {
            text,
            origin,
            original_len: original.len(),
        }
    }

    /// Map a byte range of the folded text back to the original, widened to grapheme boundaries.
    pub fn to_original(&self, original: &str, r: Range<usize>) -> Range<usize> {
        let start = self
            .origin
            .get(r.start)
            .copied()
            .unwrap_or(self.original_len);
        let end = if r.end == 0 {
            0
        } else {
            match self.origin.get(r.end - 1) {
                Some(&b) => {
                    let c = original[b..].chars().next().map_or(0, char::len_utf8);
                    b + c
                }
                None => self.original_len,
            }
        };
        floor_grapheme(original, start)..ceil_grapheme(original, end)
    }

    /// Every occurrence of `query` (folded) in the text, as original byte ranges.
    pub fn find_all(&self, original: &str, query: &str) -> Vec<Range<usize>> {
        let q = fold_str(query);
        if q.is_empty() {
            return Vec::new();
        }
        self.text
            .match_indices(&q)
            .map(|(i, m)| self.to_original(original, i..i + m.len()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_agrees_with_the_slow_path() {
        for u in 0..0x3000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let (mut fast, mut slow) = (String::new(), String::new());
            fold_char(c, &mut |d| fast.push(d));
            fold_char_slow(c, &mut |d| slow.push(d));
            assert_eq!(fast, slow, "U+{u:04X}");
        }
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold_str("Tô Lâm"), "to lam");
        assert_eq!(fold_str("Hòa"), fold_str("Hoà"));
        assert_eq!(fold_str("Ho\u{300}a"), "hoa");
        assert_eq!(fold_str("Đảng"), "dang");
        assert_eq!(fold_str("đ"), "d");
    }

    #[test]
    fn maps_hits_back_in_nfd() {
        let text = "Ông To\u{302} La\u{302}m và Hòa";
        let f = Folded::new(text);
        let hits = f.find_all(text, "to lam");
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].clone()], "To\u{302} La\u{302}m");
        let hits = f.find_all(text, "HOA");
        assert_eq!(&text[hits[0].clone()], "Hòa");
        // a hit ending mid-grapheme widens to the grapheme
        let hits = f.find_all(text, "to");
        assert_eq!(&text[hits[0].clone()], "To\u{302}");
    }
}
