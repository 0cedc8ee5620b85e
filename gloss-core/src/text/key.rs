//! One key for "the same text": equal for texts that differ only in Unicode form (NFC/NFD), in
//! letter case, in where a syllable's tone mark sits ("Hòa"/"Hoà") and in the white space between
//! words. Stats group people by it, the tag index groups tagged texts by it, and the gazetteer and
//! tag-all match occurrences by it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Tone marks of Vietnamese, whose placement varies ("hòa" / "hoà").
fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// The key of `s`: each syllable's letters lowercased without tone marks (NFC), then its tone
/// marks in a fixed order; runs of white space as one space, none at the ends.
pub fn text_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut base = String::new();
    let mut tones: Vec<char> = Vec::new();
    let mut space = false;
    let flush = |out: &mut String, base: &mut String, tones: &mut Vec<char>| {
        out.extend(base.nfc());
        tones.sort_unstable();
        out.extend(tones.iter());
        base.clear();
        tones.clear();
    };
    for c in s.nfd() {
        if is_tone_mark(c) {
            tones.push(c);
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            base.extend(c.to_lowercase());
        } else {
            flush(&mut out, &mut base, &mut tones);
            if c.is_whitespace() {
                space = true;
            } else {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut base, &mut tones);
    out
}

/// Does `s` start with a capital letter?
pub fn is_capitalised(s: &str) -> bool {
    s.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_uppercase)
}

/// Is `occurrence` the same text as `tagged`, as tag-all and the gazetteer match: the same key, and
/// capitalised where the tagged text is (a name "Hòa" is not the word "hòa").
pub fn same_text(tagged: &str, occurrence: &str) -> bool {
    (!is_capitalised(tagged) || is_capitalised(occurrence))
        && text_key(tagged) == text_key(occurrence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_equates_form_case_tone_placement_and_spacing_only() {
        let k = text_key("Hòa");
        for same in ["Hoà", "Ho\u{300}a", "HÒA", "hoà", "H\u{f2}a"] {
            assert_eq!(text_key(same), k, "{same}");
        }
        for other in ["Hoa", "Hóa", "Hòa.", "Hòan"] {
            assert_ne!(text_key(other), k, "{other}");
        }
        assert_eq!(text_key(" Tô  Lâm\n"), text_key("tô lâm"));
        assert_ne!(text_key("Tô Lâm"), text_key("TôLâm"));
        assert_eq!(text_key("Thủy"), text_key("Thuỷ"));
        assert_eq!(text_key("Đà Nẵng"), text_key("đà nẵng"));
        assert_ne!(text_key("Đà"), text_key("Da"));
    }

    #[test]
    fn same_text_keeps_names_apart_from_words() {
        assert!(same_text("Hòa", "HOÀ"));
        assert!(same_text("Hòa", "Hoà"));
        assert!(!same_text("Hòa", "hòa"));
        assert!(same_text("nhiệm vụ", "Nhiệm vụ"));
    }
}
