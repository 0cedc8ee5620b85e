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

/// Folding of the byte sequences Vietnamese text is made of, by one table: ASCII bytes (keys
/// 0-127), two-byte sequences with leads 0xC2-0xDF (Latin-1, Latin Extended, combining marks) and
/// three-byte ones in U+1E00-U+1EFF (`ạ`, `ế`, `ữ`...). Each entry is the ASCII byte the sequence
/// folds to, [`BYTE_DROP`] or [`BYTE_OTHER`].
fn byte_table() -> &'static [u8; BYTE_KEYS] {
    static T: std::sync::OnceLock<[u8; BYTE_KEYS]> = std::sync::OnceLock::new();
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
        let mut t = [BYTE_OTHER; BYTE_KEYS];
        for (k, v) in t.iter_mut().enumerate() {
            *v = match k {
                0..0x80 => (k as u8).to_ascii_lowercase(),
                TWO..THREE => fold_one(0x80 + (k - TWO) as u32),
                _ => fold_one(0x1E00 + (k - THREE) as u32),
            };
        }
        t
    })
}

/// Where the two-byte and the three-byte sequences start in [`byte_table`].
const TWO: usize = 0x80;
const THREE: usize = TWO + 30 * 64;
const BYTE_KEYS: usize = THREE + 4 * 64;

/// The table folding of the character at `bytes[i]` (which must exist): the ASCII byte it folds
/// to or [`BYTE_DROP`], and its length in bytes; `None` for any other character (or an invalid
/// sequence). The fast path of mapping folded offsets back.
#[inline(always)]
fn quick_fold(table: &[u8; BYTE_KEYS], bytes: &[u8], i: usize) -> Option<(u8, usize)> {
    let b = bytes[i];
    if b < 0x80 {
        return Some((table[b as usize], 1));
    }
    let (key, len) = multibyte_key(bytes, i)?;
    let v = table[key];
    (v != BYTE_OTHER).then_some((v, len))
}

/// The key in [`byte_table`] of the sequence of two or three bytes at `bytes[i]`, and its length;
/// `None` for any other (the last two bytes of a text take the rare path).
#[inline(always)]
fn multibyte_key(bytes: &[u8], i: usize) -> Option<(usize, usize)> {
    if i + 2 >= bytes.len() {
        return None;
    }
    let (b, b1, b2) = (bytes[i], bytes[i + 1], bytes[i + 2]);
    if b.wrapping_sub(0xC2) < 30 && b1 & 0xC0 == 0x80 {
        Some((TWO + (b - 0xC2) as usize * 64 + (b1 & 0x3F) as usize, 2))
    } else if b == 0xE1 && b1.wrapping_sub(0xB8) < 4 && b2 & 0xC0 == 0x80 {
        Some((THREE + (b1 - 0xB8) as usize * 64 + (b2 & 0x3F) as usize, 3))
    } else {
        None
    }
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

/// Fold `original` into `out` (cleared first), without the map back, character by character: the
/// plain folding that [`fold_bytes_into`] (what search uses) is tested against. Gives the same text
/// as [`Folded::new`].
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
    fold_bytes(bytes, out, |_, _| {});
}

/// Original bytes between two marks of a [`MarkedFold`].
const MARK_EVERY: usize = 512;

/// Bytes folded as [`fold_bytes_into`] folds them, with marks of where folding stood every few
/// hundred bytes: enough to map a few hits back without walking the whole text again.
#[derive(Debug, Clone, Default)]
pub struct MarkedFold {
    pub text: Vec<u8>,
    /// (original byte, folded bytes written before it), at character boundaries, ascending.
    marks: Vec<(usize, usize)>,
}

impl MarkedFold {
    /// Fold `bytes` into this value's buffers (reused from text to text).
    pub fn refill(&mut self, bytes: &[u8]) {
        self.marks.clear();
        let marks = &mut self.marks;
        fold_bytes(bytes, &mut self.text, |i, j| marks.push((i, j)));
    }

    /// [`map_back`] for ranges of this folding of `original` (the bytes folded, valid UTF-8).
    pub fn map_back(&self, original: &str, folded: &[Range<usize>]) -> Vec<Range<usize>> {
        map_back_from(original, folded, &self.marks)
    }
}

/// The loop behind [`fold_bytes_into`] and [`MarkedFold`]: `mark(i, j)` is told, about every
/// [`MARK_EVERY`] bytes, that the character at byte `i` starts at folded byte `j`.
#[inline(always)]
fn fold_bytes(bytes: &[u8], out: &mut Vec<u8>, mut mark: impl FnMut(usize, usize)) {
    let table = byte_table();
    // The table paths never write more bytes than they read (and the ASCII path writes 8 bytes at
    // a time): write into a buffer as long as the input and 8, grown only on the rare path (a
    // character that folds to something longer).
    out.clear();
    out.resize(bytes.len() + 8, 0);
    let (mut i, mut j) = (0, 0);
    let stretch = chosen_stretch();
    while i < bytes.len() {
        if i > 0 {
            mark(i, j);
        }
        (i, j) = stretch(table, bytes, i, (i + MARK_EVERY).min(bytes.len()), out, j);
    }
    out.truncate(j);
}

/// A way to fold a stretch: [`fold_stretch`] or its 64-byte twin.
type Stretch = fn(&[u8; BYTE_KEYS], &[u8], usize, usize, &mut Vec<u8>, usize) -> (usize, usize);

/// The way [`fold_bytes`] folds, chosen once: 64 bytes at a time on x86-64 with AVX-512 VBMI2,
/// unless the environment says `GLOSS_FOLD=scalar` (to measure or test the other way).
fn chosen_stretch() -> Stretch {
    static CHOSEN: std::sync::OnceLock<Stretch> = std::sync::OnceLock::new();
    *CHOSEN.get_or_init(|| {
        if std::env::var_os("GLOSS_FOLD").is_some_and(|v| v == "scalar") {
            return fold_stretch;
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vbmi")
            && std::arch::is_x86_feature_detected!("avx512vbmi2")
        {
            return |table, bytes, i, end, out, j| {
                // SAFETY: the processor has the instructions (just checked)
                unsafe { wide::fold_stretch(table, bytes, i, end, out, j) }
            };
        }
        fold_stretch
    })
}

/// [`fold_stretch`] 64 bytes at a time, for the text Vietnamese news is made of: ASCII, the
/// two-byte letters U+00C0-U+01BF, the three-byte ones U+1E80-U+1EFF (each folded through the same
/// [`byte_table`]), the combining marks U+0300-U+036F of text in NFD (dropped), and the characters
/// kept as they are (U+0080-U+00BF, the punctuation U+2002-U+203F). A block holding anything else
/// (a letter that folds to a letter that is not ASCII, another script, an emoji, an invalid
/// sequence) goes through [`fold_stretch`] instead.
#[cfg(target_arch = "x86_64")]
mod wide {
    use std::arch::x86_64::*;

    use super::{BYTE_KEYS, THREE, TWO};

    /// Fold from byte `i` on, writing at `out[j..]`, until at least `end`, as [`fold_stretch`]
    /// does (the same output, the same stopping points).
    ///
    /// # Safety
    /// The processor must have AVX-512 F, BW, VBMI and VBMI2.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512vbmi2")]
    pub(super) unsafe fn fold_stretch(
        table: &[u8; BYTE_KEYS],
        bytes: &[u8],
        mut i: usize,
        end: usize,
        out: &mut Vec<u8>,
        mut j: usize,
    ) -> (usize, usize) {
        let load = |at: usize| {
            debug_assert!(at + 64 <= bytes.len());
            // SAFETY: 64 bytes from `at` are inside `bytes` (the callers check)
            unsafe { _mm512_loadu_si512(bytes.as_ptr().add(at).cast()) }
        };
        let from_table = |at: usize| {
            // SAFETY: the table holds the 64 bytes from each of these keys
            unsafe { _mm512_loadu_si512(table.as_ptr().add(at).cast()) }
        };
        // the table's rows for leads 0xC3-0xC6 and for 0xE1 0xBA-0xBB
        let two = [0, 1, 2, 3].map(|k| from_table(TWO + 64 * (1 + k)));
        let three = [0, 1].map(|k| from_table(THREE + 64 * (2 + k)));
        let byte = |b: u8| _mm512_set1_epi8(b as i8);
        while i < end && i + 66 <= bytes.len() {
            if out.len() < j + 64 {
                out.resize(j + 64, 0);
            }
            let (v0, v1, v2) = (load(i), load(i + 1), load(i + 2));
            let ascii = !_mm512_movepi8_mask(v0);
            let cont = _mm512_cmpeq_epi8_mask(_mm512_and_si512(v0, byte(0xC0)), byte(0x80));
            // two-byte characters: kept as they are (lead 0xC2) or folded (0xC3-0xC6)
            let kept2 = _mm512_cmpeq_epi8_mask(v0, byte(0xC2));
            let folded2 = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v0, byte(0xC3)), byte(4));
            // three-byte characters: folded (U+1E80-U+1EFF) or kept (U+2002-U+203F)
            let folded3 = _mm512_cmpeq_epi8_mask(v0, byte(0xE1))
                & _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v1, byte(0xBA)), byte(2));
            let kept3 = _mm512_cmpeq_epi8_mask(v0, byte(0xE2))
                & _mm512_cmpeq_epi8_mask(v1, byte(0x80))
                & _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v2, byte(0x82)), byte(0x3E));
            // combining marks U+0300-U+036F: folded to nothing
            let dropped2 = _mm512_cmpeq_epi8_mask(v0, byte(0xCC))
                | (_mm512_cmpeq_epi8_mask(v0, byte(0xCD)) & _mm512_cmplt_epu8_mask(v1, byte(0xB0)));
            let (lead2, lead3) = (kept2 | folded2 | dropped2, kept3 | folded3);
            // a character starting in the last bytes that runs past the block waits for the next
            let cut: u32 = if (lead2 | lead3) >> 63 != 0 {
                63
            } else if (lead3 >> 62) & 1 != 0 {
                62
            } else {
                64
            };
            let inside = u64::MAX >> (64 - cut);
            // the table's folding: two-byte keys (lead - 0xC3) << 6 | low bits of the next
            // byte, in four rows of 64; three-byte keys (second - 0xBA) << 6 | low bits of the
            // third, in two
            let low6 = byte(0x3F);
            let key2 = _mm512_or_si512(
                _mm512_and_si512(
                    _mm512_slli_epi16::<6>(_mm512_sub_epi8(v0, byte(0xC3))),
                    byte(0xC0),
                ),
                _mm512_and_si512(v1, low6),
            );
            let value2 = _mm512_mask_blend_epi8(
                _mm512_movepi8_mask(key2),
                _mm512_permutex2var_epi8(two[0], key2, two[1]),
                _mm512_permutex2var_epi8(two[2], key2, two[3]),
            );
            let key3 = _mm512_or_si512(
                _mm512_and_si512(
                    _mm512_slli_epi16::<6>(_mm512_sub_epi8(v1, byte(0xBA))),
                    byte(0x40),
                ),
                _mm512_and_si512(v2, low6),
            );
            let value3 = _mm512_permutex2var_epi8(three[0], key3, three[1]);
            // the table says "not one ASCII letter" (or nothing) for these: the slow way
            let odd =
                (folded2 & _mm512_movepi8_mask(value2)) | (folded3 & _mm512_movepi8_mask(value3));
            let expected_cont = (lead2 << 1) | (lead3 << 1) | (lead3 << 2);
            let known = ascii | lead2 | lead3 | cont;
            // every byte known, every continuation where a lead says (a character cut off at the
            // end has its lead here and the rest after: not checked, and not taken)
            if known != u64::MAX || cont != expected_cont || odd & inside != 0 {
                (i, j) = super::fold_stretch(table, bytes, i, (i + 64).min(end), out, j);
                continue;
            }
            let upper = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v0, byte(b'A')), byte(26));
            let mut folded = _mm512_mask_add_epi8(v0, upper, v0, byte(0x20));
            folded = _mm512_mask_blend_epi8(folded2, folded, value2);
            folded = _mm512_mask_blend_epi8(folded3, folded, value3);
            let keep =
                (ascii | kept2 | folded2 | lead3 | (kept2 << 1) | (kept3 << 1) | (kept3 << 2))
                    & inside;
            // SAFETY: `out` has 64 bytes from `j` (made sure above)
            unsafe {
                _mm512_storeu_si512(
                    out.as_mut_ptr().add(j).cast(),
                    _mm512_maskz_compress_epi8(keep, folded),
                );
            }
            j += keep.count_ones() as usize;
            i += cut as usize;
        }
        if i < end {
            (i, j) = super::fold_stretch(table, bytes, i, end, out, j);
        }
        (i, j)
    }
}

/// Lowercase the ASCII letters among 8 bytes (other bytes come out as garbage).
#[inline(always)]
fn ascii_lowercase_8(x: u64) -> u64 {
    const LANES: u64 = 0x0101_0101_0101_0101;
    let low7 = x & (0x7F * LANES);
    // per byte, the top bit says "at least 'A'" and "above 'Z'"; no carries cross bytes
    let from_a = low7 + (0x80 - b'A' as u64) * LANES;
    let past_z = low7 + (0x80 - b'Z' as u64 - 1) * LANES;
    let upper = from_a & !past_z & (0x80 * LANES);
    x | (upper >> 2)
}

/// Fold from byte `i` on, writing at `out[j..]`, until at least `end` (stopping at a character
/// boundary); where the input and the output then stand. Runs of ASCII go 8 bytes at a time
/// (Vietnamese has a run of 2 to 5 between its accented letters), without a branch on their length.
/// (Not inlined: one copy of the hot loop, laid out alike for every caller.)
#[inline(never)]
fn fold_stretch(
    table: &[u8; BYTE_KEYS],
    bytes: &[u8],
    mut i: usize,
    end: usize,
    out: &mut Vec<u8>,
    mut j: usize,
) -> (usize, usize) {
    while i < end {
        if i + 8 <= bytes.len() {
            let x = u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or_default());
            let ascii = (x & 0x8080_8080_8080_8080).trailing_zeros() as usize / 8;
            out[j..j + 8].copy_from_slice(&ascii_lowercase_8(x).to_le_bytes());
            i += ascii;
            j += ascii;
            if ascii == 8 {
                continue;
            }
        } else if bytes[i] < 0x80 {
            out[j] = table[bytes[i] as usize];
            i += 1;
            j += 1;
            continue;
        }
        if let Some((key, len)) = multibyte_key(bytes, i) {
            let v = table[key];
            if v != BYTE_OTHER {
                out[j] = v;
                j += usize::from(v != BYTE_DROP);
                i += len;
                continue;
            }
        }
        let (len, written) = fold_other_char(&bytes[i..], out, j);
        i += len;
        j = written;
    }
    (i, j)
}

/// The rare path of [`fold_bytes_into`]: decode one character from the start of `rest` and write
/// its folding at `out[j..]`, growing `out` as needed; the bytes taken and the new end of `out`.
#[inline(never)]
fn fold_other_char(rest: &[u8], out: &mut Vec<u8>, mut j: usize) -> (usize, usize) {
    let (c, len) = decode_lenient(rest);
    let room = j + 48 + rest.len() + 8;
    if out.len() < room {
        out.resize(room, 0);
    }
    let mut buf = [0u8; 4];
    fold_char(c, &mut |d| {
        let s = d.encode_utf8(&mut buf).as_bytes();
        out[j..j + s.len()].copy_from_slice(s);
        j += s.len();
    });
    (len, j)
}

/// Map ranges of `fold_into(original)` (sorted, as `match_indices` gives them) back to byte ranges
/// of `original`, widened to grapheme boundaries: what [`Folded::to_original`] does, without the
/// per-byte map, walking the text once up to the last range.
pub fn map_back(original: &str, folded: &[Range<usize>]) -> Vec<Range<usize>> {
    map_back_from(original, folded, &[])
}

/// [`map_back`], skipping ahead by `marks` (see [`MarkedFold`]) instead of walking every
/// character before a range.
fn map_back_from(
    original: &str,
    folded: &[Range<usize>],
    marks: &[(usize, usize)],
) -> Vec<Range<usize>> {
    let bytes = original.as_bytes();
    let table = byte_table();
    // the bytes taken and the folded bytes written by the character at `b`
    let step = |b: usize| -> (usize, usize) {
        if let Some((v, len)) = quick_fold(table, bytes, b) {
            return (len, usize::from(v != BYTE_DROP));
        }
        let c = original[b..].chars().next().unwrap_or('\u{FFFD}');
        let mut n = 0;
        fold_char(c, &mut |d| n += d.len_utf8());
        (c.len_utf8(), n)
    };
    let mut out = Vec::with_capacity(folded.len());
    let mut b = 0; // the next character of the original
    let mut f = 0; // folded bytes written before it
    for r in folded {
        // jump to the last mark at or before the range, if it is ahead
        let k = marks.partition_point(|&(_, j)| j <= r.start);
        if let Some(&(mb, mf)) = k.checked_sub(1).map(|k| &marks[k])
            && mb > b
        {
            (b, f) = (mb, mf);
        }
        // the char whose output holds folded byte r.start
        let mut start = original.len();
        while b < bytes.len() {
            let (len, n) = step(b);
            if f + n > r.start {
                start = b;
                break;
            }
            f += n;
            b += len;
        }
        // the char whose output holds folded byte r.end - 1
        let mut end = original.len();
        while b < bytes.len() {
            let (len, n) = step(b);
            if f + n >= r.end && n > 0 {
                end = b + len;
                break;
            }
            f += n;
            b += len;
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

    /// Byte ranges of the folded query `q` in the folded text.
    fn folded_hits(f: &Folded, q: &str) -> Vec<Range<usize>> {
        let fq = fold_str(q);
        f.text
            .match_indices(fq.as_str())
            .map(|(i, m)| i..i + m.len())
            .collect()
    }

    #[test]
    fn map_back_agrees_with_the_offset_map() {
        let text = "Ông To\u{302} La\u{302}m và Hòa, HOÀ, Ho\u{300}a; Đảng đảng 😀 to lam";
        let f = Folded::new(text);
        for q in ["to lam", "hoa", "dang", "o", "a", "ng", "😀 to"] {
            let folded = folded_hits(&f, q);
            assert_eq!(map_back(text, &folded), f.find_all(text, q), "{q}");
        }
    }

    #[test]
    fn marked_map_back_agrees_over_long_texts() {
        // hits far apart and close together, across many marks, in NFC, NFD and capitals
        let mut text = String::new();
        for k in 0..300 {
            text.push_str(["Tô Lâm ", "To\u{302} La\u{302}m ", "TÔ LÂM; ", "nhiệm vụ "][k % 4]);
            text.push_str(&"Đảng và Nhà nước 😀 ".repeat(k % 7));
        }
        let mut marked = MarkedFold::default();
        marked.refill(text.as_bytes());
        let f = Folded::new(&text);
        assert_eq!(marked.text, f.text.as_bytes());
        assert!(marked.marks.len() > 20);
        for q in ["to lam", "dang", "😀 to", "nhiem vu to", "a"] {
            let folded = folded_hits(&f, q);
            assert_eq!(marked.map_back(&text, &folded), f.find_all(&text, q), "{q}");
            // and from any single range on
            for r in folded.iter().step_by(37) {
                let one = std::slice::from_ref(r);
                assert_eq!(
                    marked.map_back(&text, one),
                    vec![f.to_original(&text, r.clone())]
                );
            }
        }
    }

    /// Folding bytes the plain way: decode leniently, fold each character.
    fn fold_bytes_reference(bytes: &[u8]) -> Vec<u8> {
        let (mut out, mut i) = (String::new(), 0);
        while i < bytes.len() {
            let (c, len) = match bytes[i] {
                b @ 0..0x80 => (b as char, 1),
                _ => decode_lenient(&bytes[i..]),
            };
            fold_char(c, &mut |d| out.push(d));
            i += len;
        }
        out.into_bytes()
    }

    #[test]
    fn fast_byte_folding_agrees_with_the_plain_way_on_any_bytes() {
        // long texts of Vietnamese, capitals, NFD, emoji and broken sequences, cut anywhere
        let pieces: [&[u8]; 12] = [
            "Nhiệm vụ ".as_bytes(),
            "ĐẢNG CỘNG SẢN ".as_bytes(),
            "To\u{302} La\u{302}m ".as_bytes(),
            "😀 中文 ".as_bytes(),
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{ ",
            b"\xe1\xba",
            b"\xc3",
            b"\xff\x80\xbf",
            b"\xe0\x80\x80",
            b"\xf0\x9f\x98",
            "İ ǅ ẞ Ω ".as_bytes(),
            b"\n\r\t",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut marked = MarkedFold::default();
        let mut out = Vec::new();
        for round in 0..300 {
            let mut bytes = Vec::new();
            for _ in 0..round * 3 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                bytes.extend_from_slice(pieces[(seed % 12) as usize]);
            }
            let cut = (seed as usize) % (bytes.len() + 1);
            for text in [&bytes[..], &bytes[cut..], &bytes[..cut]] {
                let want = fold_bytes_reference(text);
                fold_bytes_into(text, &mut out);
                assert_eq!(out, want, "round {round}");
                marked.refill(text);
                assert_eq!(marked.text, want, "round {round}");
            }
        }
    }

    #[test]
    fn wide_folding_agrees_with_the_plain_way_on_news_text() {
        // every character of the ranges the wide path takes (and of the ones next to them), in
        // long stretches of news text, with now and then what it does not take, at every offset
        let mut ranges = String::new();
        for u in (0x80..0x380).chain(0x1E00..0x1F00).chain(0x2000..0x2050) {
            if let Some(c) = char::from_u32(u) {
                ranges.push(c);
                ranges.push_str(" ab ");
            }
        }
        let news = "Ngày 15/3, Tổng Bí thư Tô Lâm chủ trì “hội nghị” – ĐẢNG ỦY «Hà Nội»\u{a0}… \
                    nhiệm vụ: Ừ, Ỵ, Ỹ; Ơ Ư ơ ư ă Ă đ Đ ĩ Ũ ÀÁÂÃ ñ ß ÿ. ";
        let odd: [&[u8]; 9] = [
            "æ".as_bytes(),
            "o\u{302}\u{301}".as_bytes(),
            "😀".as_bytes(),
            "\u{2001}".as_bytes(),
            "\u{212A}".as_bytes(),
            b"\xff",
            b"\xe1\xba",
            b"\xc3",
            "中".as_bytes(),
        ];
        let mut out = Vec::new();
        let mut marked = MarkedFold::default();
        for shift in 0..80 {
            for (k, piece) in odd.iter().enumerate() {
                let mut bytes = b"x".repeat(shift);
                for n in 0..12 {
                    bytes.extend_from_slice(news.as_bytes());
                    if (n + k) % 4 == 0 {
                        bytes.extend_from_slice(piece);
                    }
                }
                bytes.extend_from_slice(ranges.as_bytes());
                let want = fold_bytes_reference(&bytes);
                fold_bytes_into(&bytes, &mut out);
                assert_eq!(out, want, "shift {shift}, piece {k}");
                marked.refill(&bytes);
                assert_eq!(marked.text, want, "shift {shift}, piece {k}");
            }
        }
    }

    #[test]
    fn lowercases_eight_ascii_bytes_at_once() {
        for b in 0..0x80u8 {
            for lane in 0..8 {
                // the other lanes hold bytes of every kind, ASCII or not
                let mut word: [u8; 8] = [b'Z', 0xC3, b'@', b'[', 0xFF, b'a', 0x80, b'A'];
                word[lane] = b;
                let got = ascii_lowercase_8(u64::from_le_bytes(word)).to_le_bytes();
                for (k, (&g, &w)) in got.iter().zip(&word).enumerate() {
                    if w < 0x80 {
                        assert_eq!(g, w.to_ascii_lowercase(), "byte {w:#x} in lane {k}");
                    }
                }
            }
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
