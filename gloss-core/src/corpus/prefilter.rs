//! Look before folding: the raw bytes every occurrence of a folded query must contain, found with
//! a packed SIMD searcher (Teddy, on SSSE3/AVX2/NEON), so that a corpus search folds only a few
//! bytes around each candidate instead of every byte of every file.
//!
//! The literal is a run of ASCII bytes of the folded query (`m v` of `nhiem vu`) whose raw forms
//! are few: its case variants and the Vietnamese letters that fold to its bytes (`đ` and `Đ` for
//! `d`). On a line made of ASCII, Vietnamese letters and characters that fold to something other
//! than ASCII (punctuation, other letters), every occurrence of the query holds one of those forms
//! as it stands. Any other character (`ñ`, a combining mark as text in NFD has, an emoji, another
//! script) is "odd": a byte scan ([`next_odd`]) finds them, and a line that holds one is folded
//! whole. A line without is folded only in a window around each raw form of the literal, sized so
//! that it holds any occurrence through it.

use std::ops::Range;

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, Input, MatchKind};

use crate::text::fold::fold_char;

/// The Vietnamese letters with marks, and `đ` (their capitals too): raw forms of the literal's
/// letters.
const VIETNAMESE: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";

/// Raw forms a literal has at most, so that their searcher stays a packed one.
const MAX_FORMS: usize = 32;

/// The folding of `c`, as a string.
fn folded(c: char) -> String {
    let mut s = String::new();
    fold_char(c, &mut |d| s.push(d));
    s
}

/// For each ASCII byte (as folded), the Vietnamese letters that fold to it.
fn vietnamese_forms() -> &'static [Vec<char>] {
    static FORMS: std::sync::OnceLock<Vec<Vec<char>>> = std::sync::OnceLock::new();
    FORMS.get_or_init(|| {
        let mut f = vec![Vec::new(); 128];
        for c in VIETNAMESE
            .chars()
            .flat_map(|c| std::iter::once(c).chain(c.to_uppercase()))
        {
            if let [b] = folded(c).as_bytes()
                && b.is_ascii()
            {
                f[*b as usize].push(c);
            }
        }
        f
    })
}

/// The raw forms of the folded ASCII byte `b`: itself, its capital, the Vietnamese letters that
/// fold to it.
fn raw_forms(b: u8) -> Vec<String> {
    let mut v = vec![(b as char).to_string()];
    if b.is_ascii_lowercase() {
        v.push((b.to_ascii_uppercase() as char).to_string());
    }
    v.extend(vietnamese_forms()[b as usize].iter().map(|c| c.to_string()));
    v
}

/// A literal chosen from a folded query, and the searcher for its raw forms.
pub struct Prefilter {
    forms: Finder,
    /// The raw length of each raw form.
    form_lens: Vec<usize>,
    /// Folded bytes of the query before the literal, and after it.
    before: usize,
    after: usize,
}

/// A packed searcher where the processor has one, else an automaton.
enum Finder {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Finder {
    fn new(patterns: &[Vec<u8>]) -> Option<Finder> {
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(patterns)
            .build();
        if let Some(p) = packed {
            return Some(Finder::Packed(p));
        }
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(patterns)
            .ok()
            .map(Finder::Automaton)
    }

    /// The first pattern found starting at or after `from`: its id and start.
    fn find(&self, hay: &[u8], from: usize) -> Option<(usize, usize)> {
        match self {
            Finder::Packed(p) => p
                .find_in(hay, aho_corasick::Span::from(from..hay.len()))
                .map(|m| (m.pattern().as_usize(), m.start())),
            Finder::Automaton(a) => a
                .find(Input::new(hay).span(from..hay.len()))
                .map(|m| (m.pattern().as_usize(), m.start())),
        }
    }
}

impl Prefilter {
    /// The prefilter for `folded_query`, or `None` when no literal is worth it (a query of
    /// vowels, or one holding a newline, a carriage return or U+FFFD, which the line-by-line
    /// look would not treat as the whole file's fold does).
    pub fn new(folded_query: &str) -> Option<Prefilter> {
        if folded_query
            .chars()
            .any(|c| matches!(c, '\n' | '\r' | '\u{FFFD}'))
        {
            return None;
        }
        let q = folded_query.as_bytes();
        // the best run: longest, words apart counting more (`m v` is rarer than `nh`), then the
        // fewest raw forms
        let mut best: Option<((usize, usize), Range<usize>)> = None;
        for i in 0..q.len() {
            for j in i + 2..=q.len() {
                let r = &q[i..j];
                if !r.is_ascii() {
                    break;
                }
                let forms: usize = r.iter().map(|&b| raw_forms(b).len()).product();
                if forms > MAX_FORMS {
                    break;
                }
                if r.iter().filter(|&&b| b != b' ').count() < 2 {
                    continue;
                }
                let spaces = (1..r.len().saturating_sub(1))
                    .filter(|&k| r[k] == b' ' && r[k - 1] != b' ' && r[k + 1] != b' ')
                    .count();
                let key = (r.len() + 2 * spaces, MAX_FORMS - forms);
                if best.as_ref().is_none_or(|(k, _)| key > *k) {
                    best = Some((key, i..j));
                }
            }
        }
        let (_, range) = best?;
        let mut patterns: Vec<Vec<u8>> = vec![Vec::new()];
        for &b in &q[range.clone()] {
            let forms = raw_forms(b);
            patterns = patterns
                .iter()
                .flat_map(|p| {
                    forms.iter().map(move |f| {
                        let mut p = p.clone();
                        p.extend_from_slice(f.as_bytes());
                        p
                    })
                })
                .collect();
        }
        Some(Prefilter {
            forms: Finder::new(&patterns)?,
            form_lens: patterns.iter().map(Vec::len).collect(),
            before: range.start,
            after: q.len() - range.end,
        })
    }

    /// The first raw form of the literal at or after byte `from`: which one and where it starts.
    pub fn find_form(&self, bytes: &[u8], from: usize) -> Option<(usize, usize)> {
        self.forms.find(bytes, from)
    }

    /// For raw form `id` found at `at`: the bytes around it that hold any occurrence of the query
    /// through it, on a line without odd characters (there each folded byte comes from a
    /// character of at most three bytes, four-byte ones being odd, and none from nothing, those
    /// being odd too).
    pub fn window(&self, bytes: &[u8], id: usize, at: usize) -> Range<usize> {
        let len = self.form_lens[id];
        let start = window_start(bytes, at.saturating_sub(3 * self.before));
        let end = (at + len + 3 * self.after).min(bytes.len());
        start..end
    }
}

/// `at`, or the start of the character it is inside of (as lenient decoding cuts bytes into
/// characters: a byte that is not a continuation byte always starts one, and so does one that
/// three continuation bytes precede).
fn window_start(bytes: &[u8], at: usize) -> usize {
    let mut s = at;
    for _ in 0..3 {
        if s == 0 || s >= bytes.len() || bytes[s] & 0xC0 != 0x80 {
            return s;
        }
        s -= 1;
    }
    if bytes[s] & 0xC0 != 0x80 { s } else { at }
}

/// Is the character starting with byte `b` (followed by `n1` and `n2`, 0 past the end) odd: not
/// ASCII, not a Vietnamese letter, and folding to nothing or to ASCII? Told by its first bytes,
/// erring on the odd side: all of U+0080-U+00BF and U+0180-U+01BF (0xC2, 0xC6) are fine; in
/// U+00C0-U+017F (0xC3-0xC5) the Vietnamese letters and the letters of Latin-1 that keep no ASCII
/// (`Æ`, `×`, `Ø`, `ß` aside); in U+1E00-U+1FFF (0xE1) the Vietnamese letters U+1EA0-U+1EFF;
/// in U+2000-U+2FFF (0xE2) U+2000-U+20BF; nothing else of two bytes or more. (A continuation byte
/// or 0xC0-0xC1 is part of a character or an invalid byte, U+FFFD, which is fine.)
#[inline(always)]
fn odd(b: u8, n1: u8, n2: u8) -> u8 {
    let lead = (b >= 0xC7) as u8 & (b != 0xE1) as u8 & (b != 0xE2) as u8;
    // Latin-1 letters, capital or small alike (0x20 apart): Ä-Ç, Ë, Î-Ñ, Ö-Ø, Û-Ü, ß-ÿ
    let x = n1 & 0xDF;
    let c3 = (b == 0xC3) as u8
        & ((x.wrapping_sub(0x84) < 4) as u8
            | (x == 0x8B) as u8
            | (x.wrapping_sub(0x8E) < 4) as u8
            | (x.wrapping_sub(0x96) < 3) as u8
            | (x.wrapping_sub(0x9B) < 2) as u8
            | (x == 0x9F) as u8);
    // Ă ă, Đ đ, Ĩ ĩ; Ũ ũ
    let y = n1 & 0xFE;
    let c4 = (b == 0xC4) as u8 & (y != 0x82) as u8 & (y != 0x90) as u8 & (y != 0xA8) as u8;
    let c5 = (b == 0xC5) as u8 & (y != 0xA8) as u8;
    let e1 = (b == 0xE1) as u8 & ((y != 0xBA) as u8 | ((n1 == 0xBA) as u8 & (n2 < 0xA0) as u8));
    let e2 = (b == 0xE2) as u8 & (n1.wrapping_sub(0x80) > 2) as u8;
    lead | c3 | c4 | c5 | e1 | e2
}

/// The first odd character (see [`odd`]) at or after `from`.
pub fn next_odd(bytes: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (just checked)
        return unsafe { next_odd_avx2(bytes, from) };
    }
    next_odd_in_blocks(bytes, from)
}

/// [`next_odd`] compiled for AVX2: the same loop, 32 bytes to a vector instead of 16.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn next_odd_avx2(bytes: &[u8], from: usize) -> Option<usize> {
    next_odd_in_blocks(bytes, from)
}

#[inline(always)]
fn next_odd_in_blocks(bytes: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut i = from;
    // blocks looked at without a branch per byte (vectorized), then the byte found
    while i + BLOCK + 2 <= bytes.len() {
        let a: &[u8; BLOCK] = bytes[i..i + BLOCK].try_into().unwrap_or(&[0; BLOCK]);
        let n1: &[u8; BLOCK] = bytes[i + 1..i + BLOCK + 1]
            .try_into()
            .unwrap_or(&[0; BLOCK]);
        let n2: &[u8; BLOCK] = bytes[i + 2..i + BLOCK + 2]
            .try_into()
            .unwrap_or(&[0; BLOCK]);
        let mut any = 0u8;
        for k in 0..BLOCK {
            any |= odd(a[k], n1[k], n2[k]);
        }
        if any != 0 {
            break;
        }
        i += BLOCK;
    }
    let at = |k: usize| bytes.get(k).copied().unwrap_or(0);
    (i..bytes.len()).find(|&k| odd(bytes[k], at(k + 1), at(k + 2)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_vietnamese(c: char) -> bool {
        c.to_lowercase().all(|l| VIETNAMESE.contains(l))
    }

    #[test]
    fn what_the_byte_scan_leaves_alone_cannot_hide_an_occurrence() {
        // every character the scan passes is ASCII, a Vietnamese letter (folding to one ASCII
        // letter, and a raw form of it), or folds to something without ASCII; and the Vietnamese
        // letters pass
        let mut passed = 0;
        for u in 0x80..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let mut buf = [0u8; 4];
            let s = c.encode_utf8(&mut buf).as_bytes();
            let at = |k: usize| s.get(k).copied().unwrap_or(0);
            let f = folded(c);
            let ok = odd(s[0], at(1), at(2)) == 0;
            assert_eq!(next_odd(s, 0).is_none(), ok, "U+{u:04X}");
            if is_vietnamese(c) {
                assert!(ok, "U+{u:04X}");
                assert!(f.len() == 1 && f.is_ascii(), "U+{u:04X}");
                assert!(raw_forms(f.as_bytes()[0]).contains(&c.to_string()));
            } else if ok {
                passed += 1;
                assert!(
                    !f.is_empty() && !f.bytes().any(|b| b.is_ascii()),
                    "U+{u:04X} {c}"
                );
            }
        }
        assert!(passed > 100, "punctuation and symbols pass");
        // and in the middle of a text, after characters of every length
        for text in ["abc đ ñ", "Tô Lâm\u{301}x", "x “y” ™", "ẞ ẖ ạ", "😀"] {
            let b = text.as_bytes();
            let at = |k: usize| b.get(k).copied().unwrap_or(0);
            let want = text
                .char_indices()
                .find(|&(i, c)| c as u32 >= 0x80 && odd(at(i), at(i + 1), at(i + 2)) != 0);
            assert_eq!(next_odd(b, 0), want.map(|(i, _)| i), "{text}");
        }
        let long = format!("{}ñ", "Nguyễn Văn ".repeat(20));
        assert_eq!(next_odd(long.as_bytes(), 3), long.find('ñ'));
    }

    #[test]
    fn literals_are_runs_with_few_raw_forms() {
        let lit = |q: &str| {
            let p = Prefilter::new(q)?;
            Some((p.before, q.len() - p.after))
        };
        assert_eq!(lit("nhiem vu"), Some((4, 7)), "m v");
        assert_eq!(lit("nguyen van"), Some((5, 8)), "n v");
        assert_eq!(lit("con dao"), Some((2, 5)), "n d");
        assert_eq!(lit("o"), None);
        assert_eq!(lit("hoa"), None);
        assert_eq!(lit("to\nlam"), None);
        // đ is a raw form of d, ñ not one of n
        assert!(raw_forms(b'd').contains(&"Đ".to_string()));
        assert_eq!(raw_forms(b'n'), ["n", "N"]);
    }

    #[test]
    fn finds_raw_forms_with_windows_around_them() {
        let p = Prefilter::new("con dao").unwrap();
        let text = "Côn Đảo, CÔN ĐẢO; con ñ dao, côn dảo";
        let b = text.as_bytes();
        let mut forms = Vec::new();
        let mut from = 0;
        while let Some((id, at)) = p.find_form(b, from) {
            forms.push((at, p.window(b, id, at)));
            from = at + 1;
        }
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(
            forms.iter().map(|f| f.0).collect::<Vec<_>>(),
            [at("n Đ"), at("N Đ"), at("n d")]
        );
        // the windows hold the whole of each occurrence
        assert!(forms[0].1.start == 0 && forms[0].1.end >= "Côn Đảo".len());
        assert!(forms[2].1.start <= at("côn") && forms[2].1.end >= text.len());
        assert_eq!(next_odd(b, 0), Some(at("ñ")));
    }
}
