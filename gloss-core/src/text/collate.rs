//! Vietnamese alphabetical order, as a dictionary sorts: the letters a ă â b c d đ e ê g h i k l m
//! n o ô ơ p q r s t u ư v x y (the vowels' marks make letters of their own), case aside, and the
//! tones (none, huyền, hỏi, ngã, sắc, nặng) deciding only between words of the same letters.
//! Code-point order puts “Hồ” after “Huỳnh” and “Đặng” after “Zô”; this does not.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;

/// The letters in order; a letter with a vowel mark (breve, circumflex, horn) or the stroke of `đ`
/// is written here precomposed, as NFC writes it.
const ALPHABET: &[char] = &[
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];

/// The tone marks in order (after no tone at all): huyền, hỏi, ngã, sắc, nặng.
const TONES: &[char] = &['\u{300}', '\u{309}', '\u{303}', '\u{301}', '\u{323}'];

/// A key whose order is Vietnamese alphabetical order of `s`: letters first, then tones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    letters: Vec<u32>,
    tones: Vec<u8>,
}

/// The sort key of `s` (compare keys, or use [`compare`]).
pub fn sort_key(s: &str) -> SortKey {
    let mut letters = Vec::with_capacity(s.len());
    let mut tones = Vec::new();
    // NFD separates the tone from the letter; the vowel marks are put back by NFC per letter
    let mut base = String::new();
    let mut tone = 0u8;
    let mut flush = |base: &mut String, tone: &mut u8, letters: &mut Vec<u32>| {
        for c in base.nfc().flat_map(char::to_lowercase) {
            letters.push(match ALPHABET.iter().position(|a| *a == c) {
                // letters after white space and punctuation, which sort first as in a dictionary
                Some(i) => 0x10_0000 + i as u32,
                None if c.is_alphabetic() => 0x20_0000 + c as u32,
                None => c as u32,
            });
        }
        if !base.is_empty() {
            tones.push(*tone);
        }
        base.clear();
        *tone = 0;
    };
    for c in s.nfd() {
        if let Some(t) = TONES.iter().position(|t| *t == c) {
            tone = t as u8 + 1;
        } else if unicode_normalization::char::is_combining_mark(c) {
            base.push(c);
        } else {
            flush(&mut base, &mut tone, &mut letters);
            base.push(c);
        }
    }
    flush(&mut base, &mut tone, &mut letters);
    SortKey { letters, tones }
}

/// `a` against `b` in Vietnamese alphabetical order.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_as_a_vietnamese_dictionary_does() {
        let mut names = vec![
            "Huỳnh Minh",
            "Hồ Chí Minh",
            "Đặng Văn",
            "Dương",
            "Zô",
            "Ân",
            "An",
            "Ăn",
            "ông",
            "Ơn",
            "Hà",
            "Hả",
            "Há",
            "Ha",
            "Hạ",
            "Hã",
        ];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            [
                "An",
                "Ăn",
                "Ân",
                "Dương",
                "Đặng Văn",
                "Ha",
                "Hà",
                "Hả",
                "Hã",
                "Há",
                "Hạ",
                "Hồ Chí Minh",
                "Huỳnh Minh",
                "ông",
                "Ơn",
                "Zô"
            ]
        );
    }

    #[test]
    fn nfc_and_nfd_and_case_sort_alike() {
        let nfd: String = "Hồ Chí Minh".nfd().collect();
        assert_eq!(sort_key(&nfd), sort_key("hồ chí minh"));
    }
}
