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
    /// For every byte of `text`, the byte offset in the original of the character it came from
    /// (articles are below 4 GiB).
    origin: Vec<u32>,
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

/// Byte-table value: the sequence folds to nothing.
const BYTE_DROP: u8 = 0xFE;
/// Byte-table value: not one ASCII byte; decode and fold the character.
const BYTE_OTHER: u8 = 0xFF;

/// Folding of two-byte UTF-8 sequences (lead 0xC2-0xDF) and of three-byte ones in U+1E00-U+1EFF,
/// indexed by their bytes.
struct ByteTables {
    two: Vec<u8>,
    three: Vec<u8>,
}

fn byte_tables() -> &'static ByteTables {
    static T: std::sync::OnceLock<ByteTables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let fold_one = |u: u32| {
            let Some(c) = char::from_u32(u) else {
                return BYTE_OTHER;
            };
            let mut s = String::new();
            fold_char_slow(c, &mut |d| s.push(d));
            match s.as_bytes() {
                [] => BYTE_DROP,
                [b] if *b < 0x80 => *b,
                _ => BYTE_OTHER,
            }
        };
        ByteTables {
            two: (0..30 * 64).map(|k| fold_one(0x80 + k as u32)).collect(),
            three: (0..4 * 64).map(|k| fold_one(0x1E00 + k as u32)).collect(),
        }
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

/// A piece of text met by [`walk`], with its byte offset in the original.
enum Piece<'a> {
    /// A run of ASCII bytes (to be lowercased).
    Ascii(&'a [u8], usize),
    /// Any other character.
    Char(char, usize),
}

/// Walk `original` in folding order: ASCII runs whole, other characters one by one. The one loop
/// behind [`fold_into`] and [`Folded::refill`].
#[inline]
fn walk<'a>(original: &'a str, mut each: impl FnMut(Piece<'a>)) {
    let bytes = original.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run = bytes[i..]
            .iter()
            .position(|&b| b >= 0x80)
            .unwrap_or(bytes.len() - i);
        if run > 0 {
            each(Piece::Ascii(&bytes[i..i + run], i));
            i += run;
            continue;
        }
        let c = original[i..].chars().next().unwrap_or('\u{FFFD}');
        each(Piece::Char(c, i));
        i += c.len_utf8();
    }
}

/// Fold `original` into `out` (cleared first), without the map back: the fast path for deciding
/// whether a text matches at all. Gives the same text as [`Folded::new`].
pub fn fold_into(original: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(original.len());
    let mut buf = [0u8; 4];
    walk(original, |piece| match piece {
        Piece::Ascii(run, _) => out.extend(run.iter().map(u8::to_ascii_lowercase)),
        Piece::Char(c, _) => fold_char(c, &mut |d| {
            out.extend_from_slice(d.encode_utf8(&mut buf).as_bytes())
        }),
    });
}

/// Decode one character from the start of `b` (which is not empty): the character, or U+FFFD for
/// an invalid sequence, and the bytes it took.
fn decode_lenient(b: &[u8]) -> (char, usize) {
    let (len, mut c) = match b[0] {
        0xC2..=0xDF => (2, (b[0] & 0x1F) as u32),
        0xE0..=0xEF => (3, (b[0] & 0x0F) as u32),
        0xF0..=0xF4 => (4, (b[0] & 0x07) as u32),
        _ => return ('\u{FFFD}', 1),
    };
    if b.len() < len {
        return ('\u{FFFD}', 1);
    }
    for &x in &b[1..len] {
        if x & 0xC0 != 0x80 {
            return ('\u{FFFD}', 1);
        }
        c = (c << 6) | (x & 0x3F) as u32;
    }
    (char::from_u32(c).unwrap_or('\u{FFFD}'), len)
}

/// [`fold_into`] straight from bytes that are not known to be UTF-8 (invalid sequences fold as
/// U+FFFD): the quick look of a corpus search, which need not validate every file.
pub fn fold_bytes_into(bytes: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.reserve(bytes.len());
    let table = table();
    let short = byte_tables();
    let mut buf = [0u8; 4];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            out.push(b.to_ascii_lowercase());
            i += 1;
            continue;
        }
        // Vietnamese letters: two-byte (Latin-1, Latin Extended, combining marks) and three-byte
        // (U+1E00-U+1EFF) sequences that fold to one ASCII letter or to nothing, by table.
        let cont = |k: usize| bytes.get(i + k).is_some_and(|&x| x & 0xC0 == 0x80);
        let quick = match b {
            0xC2..=0xDF if cont(1) => Some((
                short.two[(b - 0xC2) as usize * 64 + (bytes[i + 1] & 0x3F) as usize],
                2,
            )),
            0xE1 if (0xB8..=0xBB).contains(&bytes.get(i + 1).copied().unwrap_or(0)) && cont(2) => {
                let k = (bytes[i + 1] - 0xB8) as usize * 64 + (bytes[i + 2] & 0x3F) as usize;
                Some((short.three[k], 3))
            }
            _ => None,
        };
        match quick {
            Some((v, n)) if v < 0x80 => {
                out.push(v);
                i += n;
                continue;
            }
            Some((BYTE_DROP, n)) => {
                i += n;
                continue;
            }
            _ => {}
        }
        let (c, len) = decode_lenient(&bytes[i..]);
        i += len;
        // the common case inline: a table hit folding to one character
        if let Some(&v) = table.get(c as usize) {
            match v {
                DROP => continue,
                v if v < 0x80 => {
                    out.push(v as u8);
                    continue;
                }
                v if v != SLOW => {
                    if let Some(d) = char::from_u32(v) {
                        out.extend_from_slice(d.encode_utf8(&mut buf).as_bytes());
                        continue;
                    }
                }
                _ => {}
            }
        }
        fold_char_slow(c, &mut |d| {
            out.extend_from_slice(d.encode_utf8(&mut buf).as_bytes())
        });
    }
}

/// Map ranges of `fold_into(original)` (sorted, as `match_indices` gives them) back to byte ranges
/// of `original`, widened to grapheme boundaries: what [`Folded::to_original`] does, without the
/// per-byte map, walking the text once up to the last range.
pub fn map_back(original: &str, folded: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(folded.len());
    let mut chars = original.char_indices().peekable();
    let mut f = 0; // folded bytes produced before the next char
    let mut buf = [0u8; 4];
    let table = table();
    let folded_len = |c: char, buf: &mut [u8; 4]| {
        if c.is_ascii() {
            return 1;
        }
        match table.get(c as usize) {
            Some(&DROP) => 0,
            Some(&v) if v != SLOW => char::from_u32(v).map_or(0, char::len_utf8),
            _ => {
                let mut n = 0;
                fold_char(c, &mut |d| n += d.encode_utf8(buf).len());
                n
            }
        }
    };
    for r in folded {
        // the char whose output holds folded byte r.start
        let mut start = original.len();
        while let Some(&(b, c)) = chars.peek() {
            let n = folded_len(c, &mut buf);
            if f + n > r.start {
                start = b;
                break;
            }
            f += n;
            chars.next();
        }
        // the char whose output holds folded byte r.end - 1
        let mut end = original.len();
        while let Some(&(b, c)) = chars.peek() {
            let n = folded_len(c, &mut buf);
            if f + n >= r.end && n > 0 {
                end = b + c.len_utf8();
                break;
            }
            f += n;
            chars.next();
        }
        out.push(floor_grapheme(original, start)..ceil_grapheme(original, end));
    }
    out
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
        let mut f = Folded::default();
        f.refill(original);
        f
    }

    /// Fold `original` into this value's buffers (reused: no allocation once they are large enough).
    pub fn refill(&mut self, original: &str) {
        self.text.clear();
        self.origin.clear();
        self.original_len = original.len();
        // Built as bytes: folding turns valid UTF-8 into valid UTF-8.
        let mut text = std::mem::take(&mut self.text).into_bytes();
        let origin = &mut self.origin;
        let mut buf = [0u8; 4];
        walk(original, |piece| match piece {
            Piece::Ascii(run, at) => {
                text.extend(run.iter().map(u8::to_ascii_lowercase));
                origin.extend(at as u32..(at + run.len()) as u32);
            }
            Piece::Char(c, at) => fold_char(c, &mut |d| {
                let s = d.encode_utf8(&mut buf);
                text.extend_from_slice(s.as_bytes());
                origin.extend(std::iter::repeat_n(at as u32, s.len()));
            }),
        });
        self.text = String::from_utf8(text).unwrap_or_default();
    }

    /// Map a byte range of the folded text back to the original, widened to grapheme boundaries.
    pub fn to_original(&self, original: &str, r: Range<usize>) -> Range<usize> {
        let start = self
            .origin
            .get(r.start)
            .map(|&b| b as usize)
            .unwrap_or(self.original_len);
        let end = if r.end == 0 {
            0
        } else {
            match self.origin.get(r.end - 1) {
                Some(&b) => {
                    let b = b as usize;
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
        self.find_folded(original, &fold_str(query))
    }

    /// Every occurrence of an already folded query, as original byte ranges.
    pub fn find_folded(&self, original: &str, folded_query: &str) -> Vec<Range<usize>> {
        if folded_query.is_empty() {
            return Vec::new();
        }
        self.text
            .match_indices(folded_query)
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
    fn byte_folding_agrees_with_string_folding() {
        let s = "Ông To\u{302} La\u{302}m, Hoà, Đảng 😀 中文 ABC";
        let (mut a, mut b) = (Vec::new(), Vec::new());
        fold_into(s, &mut a);
        fold_bytes_into(s.as_bytes(), &mut b);
        assert_eq!(a, b);
        assert_eq!(String::from_utf8(a).unwrap(), fold_str(s));
        fold_bytes_into(b"ab\xffc\xe1\xba", &mut b);
        assert_eq!(String::from_utf8(b).unwrap(), "ab\u{FFFD}c\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn map_back_agrees_with_the_offset_map() {
        let text = "Ông To\u{302} La\u{302}m và Hòa, HOÀ, Ho\u{300}a; Đảng đảng 😀 to lam";
        let f = Folded::new(text);
        for q in ["to lam", "hoa", "dang", "o", "a", "ng", "😀 to"] {
            let fq = fold_str(q);
            let folded: Vec<Range<usize>> = f
                .text
                .match_indices(fq.as_str())
                .map(|(i, m)| i..i + m.len())
                .collect();
            assert_eq!(map_back(text, &folded), f.find_all(text, q), "{q}");
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
