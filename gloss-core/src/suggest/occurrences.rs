//! What tag-all tags: every occurrence of a text in an article as a whole word run, alike but for
//! Unicode form and tone placement.

use std::ops::Range;

use super::words::at_word_boundaries;
use crate::text::fold::Folded;
use crate::text::same_text;

/// Every occurrence of `needle` in `text` as a whole word run, alike but for Unicode form and tone
/// placement (case counts): what tag-all tags.
pub fn occurrences(text: &str, needle: &str) -> Vec<Range<usize>> {
    Folded::new(text)
        .find_all(text, needle)
        .into_iter()
        .filter(|r| at_word_boundaries(text, r) && same_text(needle, &text[r.clone()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_for_tag_all() {
        let t = "Hòa gặp Hoà, Ho\u{300}a và Hoàng; HÒA; Hoa; hòa bình.";
        let got: Vec<&str> = occurrences(t, "Hòa").into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, ["Hòa", "Hoà", "Ho\u{300}a", "HÒA"]);
    }
}
