//! Conversions between byte offsets (what the code uses inside), Unicode code-point offsets (what
//! sidecars and exports store: Python's `text[start:end]`) and UTF-16 code units (what JavaScript
//! tools such as doccano count) and extended grapheme clusters (what a doccano project in grapheme
//! mode counts: a letter with its combining marks, a flag, an emoji sequence, each one);
//! [`Offsets`], the units a format lets the user choose (`--offsets`).

/// How many code points lie between two checkpoints.
const STRIDE: usize = 128;

/// A sparse index of a text's code points: converting an offset costs at most `STRIDE` steps,
/// and the index costs one `usize` per `STRIDE` code points.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// `checkpoints[k]` is the byte offset of code point `k * STRIDE`.
    checkpoints: Vec<usize>,
    len_chars: usize,
    len_bytes: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        // Code points are counted a block of bytes at a time (every byte but a continuation byte
        // starts one), and a block is walked byte by byte only where a checkpoint falls in it.
        let is_start = |b: u8| (b as i8) >= -0x40;
        let mut n: usize = 0;
        for (k, block) in bytes.chunks(64).enumerate() {
            let starts = block.iter().filter(|&&b| is_start(b)).count();
            if n.next_multiple_of(STRIDE) < n + starts {
                for (j, &b) in block.iter().enumerate() {
                    if is_start(b) {
                        if n.is_multiple_of(STRIDE) {
                            checkpoints.push(k * 64 + j);
                        }
                        n += 1;
                    }
                }
            } else {
                n += starts;
            }
        }
        CharIndex {
            checkpoints,
            len_chars: n,
            len_bytes: text.len(),
        }
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// The byte offset of code point `c`, or `None` past the end (`c == len_chars` maps to the text's
    /// length).
    pub fn char_to_byte(&self, text: &str, c: usize) -> Option<usize> {
        if c > self.len_chars {
            return None;
        }
        if c == self.len_chars {
            return Some(self.len_bytes);
        }
        let base = self.checkpoints[c / STRIDE];
        let skip = c % STRIDE;
        text[base..].char_indices().nth(skip).map(|(b, _)| base + b)
    }

    /// The code-point offset of byte `b`; a byte inside a code point counts as that code point.
    pub fn byte_to_char(&self, text: &str, b: usize) -> usize {
        let b = b.min(self.len_bytes);
        let k = self
            .checkpoints
            .partition_point(|&cp| cp <= b)
            .saturating_sub(1);
        let Some(&base) = self.checkpoints.get(k) else {
            return 0;
        };
        let mut end = b;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        k * STRIDE + text[base..end].chars().count()
    }
}

/// Code-point offsets to UTF-16 code units (what JavaScript tools such as doccano count): one
/// pass over the text's astral characters, which take two units each. `offsets` need not be sorted;
/// an offset past the end is counted as if the text went on in BMP characters.
pub fn chars_to_utf16(text: &str, offsets: &[usize]) -> Vec<usize> {
    // code-point positions of the characters above U+FFFF, in order
    let astral: Vec<usize> = text
        .chars()
        .enumerate()
        .filter(|(_, c)| c.len_utf16() == 2)
        .map(|(i, _)| i)
        .collect();
    offsets
        .iter()
        .map(|&c| c + astral.partition_point(|&a| a < c))
        .collect()
}

/// UTF-16 code-unit offsets to code points; `None` for an offset inside a surrogate pair or past
/// the end of the text.
pub fn utf16_to_chars(text: &str, offsets: &[usize]) -> Vec<Option<usize>> {
    // (UTF-16 offset, code-point offset) of the character after each astral character
    let mut after = Vec::new();
    let (mut units, mut chars) = (0usize, 0usize);
    for c in text.chars() {
        units += c.len_utf16();
        chars += 1;
        if c.len_utf16() == 2 {
            after.push((units, chars));
        }
    }
    offsets
        .iter()
        .map(|&u| {
            if u > units {
                return None;
            }
            let k = after.partition_point(|&(a, _)| a <= u);
            let (base_u, base_c) = if k == 0 { (0, 0) } else { after[k - 1] };
            // between the two halves of the next astral character?
            if after.get(k).is_some_and(|&(a, _)| u + 1 == a) {
                return None;
            }
            Some(base_c + (u - base_u))
        })
        .collect()
}

/// The code-point offsets at which the extended grapheme clusters of `text` start, and its length
/// in code points at the end: `[0, …, len]`.
fn grapheme_starts(text: &str) -> Vec<usize> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut out = Vec::with_capacity(text.len() / 2 + 2);
    let mut n = 0;
    out.push(0);
    for g in text.graphemes(true) {
        n += g.chars().count();
        out.push(n);
    }
    out
}

/// Code-point offsets `[start0, end0, start1, …]` to grapheme offsets: a start inside a cluster
/// counts from the cluster's start, an end inside one from its end, so the span covers every
/// character it had. The second value says how many offsets fell inside a cluster.
pub fn chars_to_graphemes(text: &str, offsets: &[usize]) -> (Vec<usize>, usize) {
    let starts = grapheme_starts(text);
    let mut inside = 0;
    let out = offsets
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let k = starts.partition_point(|&b| b < c);
            if starts.get(k) == Some(&c) {
                k
            } else {
                inside += 1;
                // an end rounds up to the cluster's end, a start down to its start
                if i % 2 == 1 { k } else { k - 1 }
            }
        })
        .collect();
    (out, inside)
}

/// Grapheme offsets to code points; `None` past the end of the text.
pub fn graphemes_to_chars(text: &str, offsets: &[usize]) -> Vec<Option<usize>> {
    let starts = grapheme_starts(text);
    offsets.iter().map(|&g| starts.get(g).copied()).collect()
}

/// The units a file's offsets count, where its format lets the user choose (`--offsets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Offsets {
    /// UTF-16 code units, as doccano's web interface counts (JavaScript strings).
    #[default]
    Utf16,
    /// Unicode code points, as Python counts.
    Codepoint,
    /// Extended grapheme clusters (Unicode's user-perceived characters), as a doccano project in
    /// grapheme mode counts.
    Grapheme,
}

impl Offsets {
    pub fn name(self) -> &'static str {
        match self {
            Offsets::Utf16 => "utf16",
            Offsets::Codepoint => "codepoint",
            Offsets::Grapheme => "grapheme",
        }
    }

    /// The code-point offsets `points` of `text` (`[start0, end0, start1, …]`) in these units,
    /// and how many of them fell inside a grapheme cluster (counted outwards, see
    /// [`chars_to_graphemes`]; only in graphemes).
    pub fn from_chars(self, text: &str, points: Vec<usize>) -> (Vec<usize>, usize) {
        match self {
            Offsets::Utf16 => (chars_to_utf16(text, &points), 0),
            Offsets::Codepoint => (points, 0),
            Offsets::Grapheme => chars_to_graphemes(text, &points),
        }
    }
}

impl std::str::FromStr for Offsets {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf16" => Ok(Offsets::Utf16),
            "codepoint" | "codepoints" | "char" | "chars" => Ok(Offsets::Codepoint),
            "grapheme" | "graphemes" => Ok(Offsets::Grapheme),
            _ => Err(format!(
                "unknown offsets {s:?} (utf16, codepoint or grapheme)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_on_mixed_text() {
        let text = "Tô Lâm 😀 中文 e\u{301}\n".repeat(50);
        let idx = CharIndex::new(&text);
        assert_eq!(idx.len_chars(), text.chars().count());
        for (c, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_to_byte(&text, c), Some(b));
            assert_eq!(idx.byte_to_char(&text, b), c);
        }
        assert_eq!(idx.char_to_byte(&text, idx.len_chars()), Some(text.len()));
        assert_eq!(idx.char_to_byte(&text, idx.len_chars() + 1), None);
    }

    #[test]
    fn checkpoints_agree_with_counting_code_points_one_by_one() {
        let pieces = ["a", "ệ", "😀", "中", "e\u{301}", "\n", "abcdefgh"];
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for len in [0, 1, 63, 64, 65, 127, 128, 129, 300, 1000, 5000] {
            let mut text = String::new();
            while text.chars().count() < len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let plain: Vec<usize> = text
                .char_indices()
                .enumerate()
                .filter(|(n, _)| n % STRIDE == 0)
                .map(|(_, (b, _))| b)
                .collect();
            let idx = CharIndex::new(&text);
            assert_eq!(idx.checkpoints, plain, "{len}");
            assert_eq!(idx.len_chars(), text.chars().count());
        }
    }

    #[test]
    fn utf16_round_trips_and_refuses_half_pairs() {
        let text = "a😀b🇻🇳c e\u{301}";
        let n = text.chars().count();
        let all: Vec<usize> = (0..=n).collect();
        let units = chars_to_utf16(text, &all);
        assert_eq!(units[..4], [0, 1, 3, 4]);
        assert_eq!(*units.last().unwrap(), text.encode_utf16().count());
        let back = utf16_to_chars(text, &units);
        assert_eq!(back, all.iter().map(|&c| Some(c)).collect::<Vec<_>>());
        // the unit between the two halves of 😀, and past the end
        assert_eq!(utf16_to_chars(text, &[2, 100]), vec![None, None]);
    }

    #[test]
    fn graphemes_count_a_letter_with_its_marks_a_flag_and_an_emoji_sequence_as_one() {
        // NFD "Hòa", a flag, a family emoji (ZWJ sequence), CRLF, and a plain letter
        let text = "Ho\u{300}a 🇻🇳 👨\u{200d}👩\u{200d}👧\r\nx";
        let n = text.chars().count();
        let starts = grapheme_starts(text);
        assert_eq!(starts, [0, 1, 3, 4, 5, 7, 8, 13, 15, 16]);
        assert_eq!(*starts.last().unwrap(), n);
        // every cluster boundary round trips
        let all: Vec<usize> = starts.clone();
        let (g, inside) = chars_to_graphemes(text, &all);
        assert_eq!(inside, 0);
        assert_eq!(g, (0..starts.len()).collect::<Vec<_>>());
        let back = graphemes_to_chars(text, &g);
        assert_eq!(back, all.iter().map(|&c| Some(c)).collect::<Vec<_>>());
        // a span ending between "o" and its grave accent grows to the whole "ò"; one starting
        // inside the flag starts at the flag
        let (g, inside) = chars_to_graphemes(text, &[0, 2, 6, 7]);
        assert_eq!((g, inside), (vec![0, 2, 4, 5], 2));
        assert_eq!(graphemes_to_chars(text, &[9, 10]), vec![Some(16), None]);
    }

    #[test]
    fn empty_text() {
        let idx = CharIndex::new("");
        assert_eq!(idx.char_to_byte("", 0), Some(0));
        assert_eq!(idx.byte_to_char("", 0), 0);
    }
}
