//! Instruments known by name: a capitalised head ("Luật", "Bộ luật") and the words of the name up
//! to a stop word, punctuation or a year ("Luật Nhà ở 2014", "Luật Đất đai năm 2013", "Bộ luật Tố
//! tụng hình sự").

use std::ops::Range;

use super::words::{Word, WordList, spaced};

/// The compiled pattern.
#[derive(Clone)]
pub struct Named {
    heads: WordList,
    stops: WordList,
    max_words: usize,
}

impl Named {
    pub fn new(heads: &[String], stops: &[String], max_words: usize) -> Named {
        Named {
            heads: WordList::new(heads),
            stops: WordList::new(stops),
            max_words: max_words.max(1),
        }
    }

    #[cfg(test)]
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        self.find_in(text, &super::words::words(text))
    }

    /// [`Self::find`] with the text's words already found.
    pub fn find_in(&self, text: &str, w: &[Word]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < w.len() {
            let Some(h) = self.heads.match_at(text, w, i).filter(|_| w[i].cap) else {
                i += 1;
                continue;
            };
            let mut e = h;
            let mut n = 0;
            while e < w.len()
                && n < self.max_words
                && spaced(text, &w[e - 1], &w[e])
                && !w[e].digit
                && self.stops.match_at(text, w, e).is_none()
            {
                e += 1;
                n += 1;
            }
            if n == 0 {
                i = h;
                continue;
            }
            // a year, "năm" before it allowed
            let year = |k: usize| {
                w.get(k).is_some_and(|x| {
                    x.digit && x.key.len() == 4 && x.key.chars().all(|c| c.is_ascii_digit())
                }) && spaced(text, &w[k - 1], &w[k])
            };
            if year(e) {
                e += 1;
            } else if w.get(e).is_some_and(|x| x.key == "năm")
                && spaced(text, &w[e - 1], &w[e])
                && year(e + 1)
            {
                e += 2;
            }
            out.push(w[i].bytes.start..w[e - 1].bytes.end);
            i = e;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laws_and_codes_by_name() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let n = Named::new(
            &s(&["Luật", "Bộ luật"]),
            &s(&["sư", "của", "về", "quy", "thì", "đã", "và", "năm", "này"]),
            6,
        );
        let t = "Theo Luật Nhà ở 2014, Luật Đất đai năm 2013 và Bộ luật Tố tụng hình sự thì luật sư \
                 Luật sư A nói theo luật này.";
        let got: Vec<&str> = n.find(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            got,
            [
                "Luật Nhà ở 2014",
                "Luật Đất đai năm 2013",
                "Bộ luật Tố tụng hình sự"
            ]
        );
    }
}
