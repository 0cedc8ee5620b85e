//! Vietnamese personal names: capitalised syllables led by a surname ("Nguyễn Xuân Phúc"), after a
//! title or honorific ("ông Sanh", "Phó thủ tướng Vũ Đức Đam", "Ảnh: GIA HÂN"), on a byline line of
//! their own, and later mentions of a name found ("Linh" after "Nguyễn Ngọc Phương Linh"); never
//! inside a place ("quận Hai Bà Trưng", "đường Lê Văn Khương") or an organisation ("Bộ Y tế").

use std::collections::HashSet;
use std::ops::Range;

use super::lexicon::{NameWords, PersonLists};
use super::words::{Word, WordList, is_syllable, spaced, words};

/// The compiled name pattern.
#[derive(Clone)]
pub struct Person {
    names: NameWords,
    given_names: bool,
    bylines: bool,
}

/// A run of capitalised words joined by white space (none of them `common`): word indices.
fn runs(text: &str, w: &[Word], common: &WordList) -> Vec<Range<usize>> {
    let ok = |x: &Word| x.cap && !x.digit && !common.has_word(x);
    let mut out = Vec::new();
    let mut i = 0;
    while i < w.len() {
        if !ok(&w[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i + 1 < w.len() && ok(&w[i + 1]) && spaced(text, &w[i], &w[i + 1]) {
            i += 1;
        }
        out.push(s..i + 1);
        i += 1;
    }
    out
}

impl Person {
    pub fn new(l: &PersonLists) -> Person {
        Person {
            names: NameWords::new(l),
            given_names: l.given_names,
            bylines: l.bylines,
        }
    }

    /// An acronym (all capitals, not a syllable: "UBND", "HN", "GTVT").
    fn acronym(w: &Word) -> bool {
        w.upper && !is_syllable(&w.key)
    }

    /// Is there a title right before word `i` (a colon between allowed)?
    fn title_before(&self, text: &str, w: &[Word], i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let gap = text[w[i - 1].bytes.end..w[i].bytes.start].trim_matches([' ', '\u{a0}']);
        if !(gap.is_empty() || gap == ":") {
            return false;
        }
        self.names.titles.match_ending(text, w, i).is_some()
    }

    /// Is the run starting at word `i` introduced as a place (or by a place abbreviation with its
    /// full stop: "TP. Hà Nội")?
    fn place_before(&self, text: &str, w: &[Word], i: usize) -> bool {
        if i == 0 {
            return false;
        }
        let gap = text[w[i - 1].bytes.end..w[i].bytes.start].trim_matches([' ', '\u{a0}']);
        if !(gap.is_empty() || gap == ".") {
            return false;
        }
        // a place word ending a phrase that is no place ("Phát triển Nông thôn") does not count
        self.names.places.match_ending(text, w, i).is_some()
            && self.names.not_names.match_ending(text, w, i).is_none()
    }

    /// Names in `text` (NFC), as byte ranges.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        self.find_in(text, &words(text))
    }

    /// [`Self::find`] with the text's words already found.
    pub fn find_in(&self, text: &str, w: &[Word]) -> Vec<Range<usize>> {
        let mut names: Vec<Range<usize>> = Vec::new(); // word ranges
        let mut single: Vec<Range<usize>> = Vec::new(); // one-word runs left undecided
        for run in runs(text, w, &self.names.common) {
            let mut i = run.start;
            let mut titled = self.title_before(text, w, i);
            let mut blocked = !titled && self.place_before(text, w, i);
            let mut peeled_acronym = false;
            // a title before a country-like name alone: the name ("bà Nga")
            if titled
                && self.names.not_names.match_at(text, w, i) == Some(run.end)
                && run.len() == 1
            {
                names.push(run.clone());
                continue;
            }
            // peel what leads the run: titles, acronyms, phrases that are not names; stop at a
            // place or an organisation
            while i < run.end && !blocked {
                if let Some(e) = self.names.not_names.match_at(text, w, i) {
                    if e > run.end {
                        blocked = true;
                        break;
                    }
                    i = e;
                    continue;
                }
                if let Some(e) = self.names.places.match_at(text, w, i) {
                    let _ = e;
                    blocked = true;
                    break;
                }
                if let Some(e) = self.names.titles.match_at(text, w, i) {
                    // a title inside the run ("Bộ trưởng" is cut off by "trưởng", "Ông" is not)
                    titled = true;
                    i = e.min(run.end);
                    continue;
                }
                if Self::acronym(&w[i]) {
                    peeled_acronym = true;
                    i += 1;
                    continue;
                }
                if self.names.organisations.match_at(text, w, i).is_some() {
                    // an organisation's name: a person only from a surname on
                    match (i + 1..run.end).find(|&j| self.names.surnames.has_word(&w[j])) {
                        Some(j) if run.end - j >= 2 => {
                            i = j;
                            titled = false;
                        }
                        _ => blocked = true,
                    }
                    break;
                }
                break;
            }
            if blocked || i >= run.end {
                continue;
            }
            let n = run.end - i;
            let surname = self.names.surnames.has_word(&w[i]);
            // initials ("bà S.", "ông T.") are not names
            if w[i..run.end].iter().any(|x| {
                text[x.bytes.clone()]
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .count()
                    < 2
                    || Self::acronym(x)
            }) {
                continue;
            }
            // an organisation's acronym, then one word: "PVP Land"
            if peeled_acronym && n == 1 && !surname {
                continue;
            }
            if (surname && (2..=5).contains(&n)) || (titled && n <= 4) {
                names.push(i..run.end);
            } else if titled && surname {
                names.push(i..i + 4);
            } else if let Some(j) = (i + 1..run.end).find(|&j| {
                self.names.surnames.has_word(&w[j])
                    && (2..=4).contains(&(run.end - j))
                    && self.names.not_names.match_at(text, w, j).is_none()
            }) {
                // a name after an organisation's capitalised words ("Đảng Lê Minh Hưng")
                names.push(j..run.end);
            } else if n == 1 {
                single.push(i..run.end);
            } else if self.bylines
                && (2..=4).contains(&n)
                && (self.alone_on_line(text, w, &run) || self.upper_at_line_end(text, w, &run))
            {
                names.push(i..run.end);
            }
        }
        if self.given_names {
            let mut known: HashSet<&str> = HashSet::new();
            for r in &names {
                known.insert(&w[r.end - 1].key);
            }
            for r in single {
                let word = &w[r.start];
                if known.contains(word.key.as_str()) && !word.upper {
                    names.push(r);
                }
            }
        }
        names.sort_by_key(|r| r.start);
        names
            .into_iter()
            .map(|r| w[r.start].bytes.start..w[r.end - 1].bytes.end)
            .collect()
    }

    /// Is the run in capitals, syllables only, at the end of its line ("… không đổi ý. THANH VÂN")?
    fn upper_at_line_end(&self, text: &str, w: &[Word], run: &Range<usize>) -> bool {
        let last = &w[run.end - 1];
        let rest_end = w.get(run.end).map_or(text.len(), |n| n.bytes.start);
        let rest = &text[last.bytes.end..rest_end];
        let to_line_end = rest.split('\n').next().unwrap_or("");
        w[run.clone()]
            .iter()
            .all(|x| x.upper && is_syllable(&x.key))
            && to_line_end.chars().all(char::is_whitespace)
            && (rest.contains('\n') || rest_end == text.len())
    }

    /// Is the run the only thing on its line but for separators and a note in brackets ("Hiền Anh -
    /// Nguyễn Hân", "Nhã Phương (Tổng hợp)")? Lines over a few hundred bytes are not bylines.
    fn alone_on_line(&self, text: &str, w: &[Word], run: &Range<usize>) -> bool {
        const MAX_LINE: usize = 300;
        let (a, b) = (w[run.start].bytes.start, w[run.end - 1].bytes.end);
        let bytes = text.as_bytes();
        let lo = a.saturating_sub(MAX_LINE);
        let start = match memchr::memrchr(b'\n', &bytes[lo..a]) {
            Some(k) => lo + k + 1,
            None if lo == 0 => 0,
            None => return false,
        };
        let hi = (b + MAX_LINE).min(text.len());
        let end = match memchr::memchr(b'\n', &bytes[b..hi]) {
            Some(k) => b + k,
            None if hi == text.len() => text.len(),
            None => return false,
        };
        // not the first line (a headline)
        if start == 0 {
            return false;
        }
        let s = &text[start..end];
        let s = match s.find('(') {
            Some(k) => &s[..k],
            None => s,
        };
        let mut n = 0;
        for piece in s
            .split([' ', '-', '–', ',', '/', '\u{a0}', '\r'])
            .filter(|x| !x.is_empty())
        {
            n += 1;
            if n > 8 || !piece.chars().next().is_some_and(char::is_uppercase) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> PersonLists {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        PersonLists {
            surnames: s(&["Nguyễn", "Trần", "Lê", "Vũ", "Tô", "Hồ", "Mai", "Bùi"]),
            titles: s(&[
                "ông",
                "bà",
                "Bộ trưởng",
                "Phó thủ tướng",
                "đồng chí",
                "Chủ tịch",
                "Ảnh",
                "Thủ tướng",
            ]),
            organisations: s(&["Bộ", "Sở", "Ủy ban", "UBND", "Ban"]),
            places: s(&["quận", "phường", "tỉnh", "đường", "Thành phố", "TP"]),
            not_names: s(&[
                "Hà Nội",
                "Nhật Bản",
                "Bà Rịa",
                "Vũng Tàu",
                "Hồ Chí Minh",
                "Thể thao",
                "Nga",
            ]),
            common: s(&["Tháng", "Theo", "Về"]),
            given_names: true,
            bylines: true,
        }
    }

    fn names(text: &str) -> Vec<&str> {
        Person::new(&lists())
            .find(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn titles_before_organisations_give_the_name_not_the_organisation() {
        assert_eq!(
            names("Bộ trưởng Bộ Nông nghiệp và Phát triển Nông thôn Nguyễn Xuân Cường phát biểu."),
            ["Nguyễn Xuân Cường"]
        );
        assert_eq!(names("Bộ trưởng Bộ Y tế đến."), Vec::<&str>::new());
        assert_eq!(names("Giám đốc Sở Tư pháp nói."), Vec::<&str>::new());
        assert_eq!(
            names("Bộ trưởng Bộ KH - ĐT Nguyễn Chí Dũng cho biết."),
            ["Nguyễn Chí Dũng"]
        );
        assert_eq!(
            names("Bộ trưởng GTVT Nguyễn Văn Thể nói."),
            ["Nguyễn Văn Thể"]
        );
        assert_eq!(names("Chủ tịch HN đến."), Vec::<&str>::new());
        assert_eq!(names("Thủ tướng Nhật Bản Shinzo Abe đến."), ["Shinzo Abe"]);
    }

    #[test]
    fn places_are_not_names() {
        assert_eq!(names("Ở quận Hai Bà Trưng có nhiều."), Vec::<&str>::new());
        assert_eq!(names("Tỉnh Bà Rịa - Vũng Tàu mở."), Vec::<&str>::new());
        assert_eq!(names("nhà ở đường Lê Văn Khương rộng."), Vec::<&str>::new());
        assert_eq!(
            names("ông Lê Văn Khương ở Thành phố Hồ Chí Minh và TP. Hồ Chí Minh."),
            ["Lê Văn Khương"]
        );
    }

    #[test]
    fn lowercase_titles_surnames_and_later_mentions() {
        assert_eq!(
            names("Theo ông Nguyễn Hữu Độ, bà Mai và Phó thủ tướng Vũ Đức Đam, đồng chí Tô Lâm."),
            ["Nguyễn Hữu Độ", "Mai", "Vũ Đức Đam", "Tô Lâm"]
        );
        assert_eq!(
            names("Bị cáo Nguyễn Ngọc Phương Linh khai. Sau đó Linh bỏ đi. Bùi Văn Hai nói"),
            ["Nguyễn Ngọc Phương Linh", "Linh", "Bùi Văn Hai"]
        );
    }

    #[test]
    fn initials_acronyms_and_compounds_are_not_names() {
        assert_eq!(
            names("bà S. và ông T. cùng bà Nga, Giám đốc PVP Land và Văn hoá Thể thao."),
            ["Nga"]
        );
    }

    #[test]
    fn bylines() {
        assert_eq!(
            names(
                "Tin chính.\nNói - Ảnh: GIA HÂN\nHiền Anh - Nguyễn Hân\nAn Dương (Tổng hợp)\nÝ. THANH VÂN\nẢnh: Hoàng Yến Tháng 6 Theo CNN"
            ),
            [
                "GIA HÂN",
                "Hiền Anh",
                "Nguyễn Hân",
                "An Dương",
                "THANH VÂN",
                "Hoàng Yến"
            ]
        );
    }
}
