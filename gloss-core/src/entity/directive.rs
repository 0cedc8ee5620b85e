//! Directive identifiers, normalised: `Chỉ thị số 24`, `chỉ thị 24-CT/TW` and `Chỉ thị số 24/CT-TW`
//! are one directive. The rule, as shown to users:
//!
//! - the kind comes from the words (`chỉ thị` CT, `nghị quyết` NQ, `kết luận` KL, `quyết định` QĐ,
//!   `nghị định` NĐ, `thông tư` TT, `thông tư liên tịch` TTLT, `công điện` CĐ, `chỉ đạo`… see
//!   [`KINDS`]) or, when the words are missing, from the code in the number (`24-CT/TW`);
//! - the number is the first run of digits, `số` is optional;
//! - a year (`/2017`) and the issuing body (`TW`, `CP`, `BCA`, `UBND`…) are read when written;
//! - two identifiers are the same directive when kind and number are equal and year and body are
//!   equal wherever both are written (`Thông tư 64/2017` is `Thông tư số 64/2017/TT-BCA`);
//! - the canonical name: `Chỉ thị số 24-CT/TW` for the Party's (`/TW`), else
//!   `Nghị định số 03/2017/NĐ-CP`; without a body, `Chỉ thị số 24`.

use crate::text::fold::fold_str;

/// The kinds of directive: folded words, code, name. Longer words first (they are tried in order).
pub const KINDS: &[(&str, &str, &str)] = &[
    ("thong bao ket luan", "KL", "Kết luận"),
    ("thong tu lien tich", "TTLT", "Thông tư liên tịch"),
    ("nghi quyet", "NQ", "Nghị quyết"),
    ("chi thi", "CT", "Chỉ thị"),
    ("ket luan", "KL", "Kết luận"),
    ("quyet dinh", "QĐ", "Quyết định"),
    ("nghi dinh", "NĐ", "Nghị định"),
    ("thong tu", "TT", "Thông tư"),
    ("cong dien", "CĐ", "Công điện"),
    ("quy dinh", "QĐi", "Quy định"),
    ("thong bao", "TB", "Thông báo"),
    ("luat", "L", "Luật"),
];

/// A directive identifier, read from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveId {
    /// The kind's code (`CT`, `NQ`…).
    pub kind: &'static str,
    pub number: String,
    pub year: Option<String>,
    /// The issuing body (`TW`, `CP`…), folded and upper case.
    pub body: Option<String>,
}

fn kind_by_code(code: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let folded = fold_str(code).to_uppercase();
    KINDS
        .iter()
        .find(|(_, c, _)| fold_str(c).to_uppercase() == folded)
}

impl DirectiveId {
    /// Read an identifier from a directive's text (`chỉ thị 24-CT/TW`, `Nghị định số 03/2017/NĐ-CP`,
    /// `số 24-CT/TW`); `None` when it names no kind or has no number.
    pub fn parse(text: &str) -> Option<DirectiveId> {
        let folded = fold_str(text);
        let joined = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        let first_digit = joined.find(|c: char| c.is_ascii_digit())?;
        let before = &joined[..first_digit];
        // the kind: the last kind's words before the number ("quy định tại Nghị định số 3": NĐ);
        // on a tie the longer words, listed first
        let mut kind: Option<(usize, &'static str, usize)> = None;
        for (w, code, _) in KINDS {
            if let Some(pos) = rfind_words(before, w)
                && kind.is_none_or(|(p, _, _)| pos > p)
            {
                kind = Some((pos, code, pos + w.len()));
            }
        }
        let (mut kind, between) = match kind {
            Some((_, code, end)) => (Some(code), &before[end..]),
            None => (None, before),
        };
        // between the kind and the number: nothing, "số", or a kind's code ("NQ 57")
        let mut between: Vec<&str> = between.split_whitespace().collect();
        if between.first() == Some(&"so") {
            between.remove(0);
        }
        match between.as_slice() {
            [] => {}
            // a few words naming the kind more closely, then "số": "Quyết định thi hành án số 113"
            [.., "so"] if kind.is_some() && between.len() <= 8 => {}
            [code] if kind.is_none() && kind_by_code(code).is_some() => {
                kind = kind_by_code(code).map(|k| k.1);
            }
            _ => return None,
        }
        let tail = &joined[first_digit..];
        let end = tail
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(tail.len());
        let number = tail[..end].trim_start_matches('0');
        let number = if number.is_empty() { "0" } else { number }.to_string();
        // the code: what follows the number up to white space ("-ct/tw", "/2017/nd-cp")
        let code_text: String = tail[end..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | ')' | '.' | ':'))
            .collect();
        let mut year = None;
        let mut body: Vec<String> = Vec::new();
        for part in code_text.split(['/', '-', '.']).filter(|p| !p.is_empty()) {
            if part.len() == 4
                && part.chars().all(|c| c.is_ascii_digit())
                && (part.starts_with("19") || part.starts_with("20"))
            {
                year = Some(part.to_string());
            } else if !part.chars().all(|c| c.is_alphanumeric()) {
                continue;
            } else if let Some(k) = kind_by_code(part) {
                // the kind's letters ("CT/TW", "NĐ-CP", "QĐ-UBND"), or another kind's where the
                // words said which ("Thông báo kết luận số 390/TB-…")
                kind = kind.or(Some(k.1));
            } else if kind.is_some_and(|k| {
                let k = fold_str(k).to_uppercase();
                part.to_uppercase().starts_with(&k) && part.len() > k.len()
            }) {
                // a kind's letters with more after them ("QĐXD", "QĐHC"): still the kind's
            } else {
                body.push(part.to_uppercase());
            }
        }
        let body = (!body.is_empty()).then(|| body.join("-"));
        Some(DirectiveId {
            kind: kind?,
            number,
            year,
            body,
        })
    }

    /// Are these the same directive: kind and number equal, year and body equal where both are
    /// written?
    pub fn same_as(&self, other: &DirectiveId) -> bool {
        let agree = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        self.kind == other.kind
            && self.number == other.number
            && agree(&self.year, &other.year)
            && agree(&self.body, &other.body)
    }

    /// The kind's name (`Chỉ thị`).
    pub fn kind_name(&self) -> &'static str {
        KINDS
            .iter()
            .find(|(_, c, _)| *c == self.kind)
            .map(|k| k.2)
            .unwrap_or("")
    }

    /// The canonical name: `Chỉ thị số 24-CT/TW`, `Nghị định số 03/2017/NĐ-CP`, `Chỉ thị số 24`.
    pub fn canonical(&self) -> String {
        let mut s = format!("{} số {}", self.kind_name(), self.number);
        if let Some(y) = &self.year {
            s.push('/');
            s.push_str(y);
        }
        let code = self.kind;
        match self.body.as_deref() {
            Some("TW") => s.push_str(&format!("-{code}/TW")),
            Some(b) => s.push_str(&format!("/{code}-{b}")),
            None => {}
        }
        s
    }

    /// A key for ids: `ct-24-tw`, `nd-3-2017-cp`.
    pub fn slug(&self) -> String {
        let mut parts = vec![fold_str(self.kind), self.number.clone()];
        parts.extend(self.year.clone());
        parts.extend(self.body.as_deref().map(fold_str));
        parts.join("-").to_lowercase()
    }
}

/// Where `words` last starts in `hay` as whole words.
fn rfind_words(hay: &str, words: &str) -> Option<usize> {
    hay.match_indices(words)
        .filter(|(at, _)| {
            let after = &hay[at + words.len()..];
            (*at == 0 || hay[..*at].ends_with(' ')) && (after.is_empty() || after.starts_with(' '))
        })
        .map(|(at, _)| at)
        .last()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_spellings_normalise_to_one_directive() {
        // (spellings, canonical name) — spellings from the news corpus and the issue
        let table: &[(&[&str], &str)] = &[
            (
                &[
                    "Chỉ thị số 24",
                    "chỉ thị 24-CT/TW",
                    "Chỉ thị số 24/CT-TW",
                    "CHỈ THỊ SỐ 24-CT/TW",
                    "Chi thi so 24-CT/TW",
                    "chỉ thị số 24 - CT/TW",
                ],
                "Chỉ thị số 24-CT/TW",
            ),
            (
                &[
                    "Thông tư 64/2017",
                    "Thông tư 64/2017/TT-BCA",
                    "Thông tư số 64/2017/TT-BCA",
                    "thông tư 64/2017",
                    "Thông tư 64",
                ],
                "Thông tư số 64/2017/TT-BCA",
            ),
            (
                &[
                    "Nghị định số 03/2017/NĐ-CP",
                    "Nghị định 03/2017/ND-CP",
                    "nghị định số 3/2017/NĐ-CP",
                ],
                "Nghị định số 3/2017/NĐ-CP",
            ),
            (
                &["Quyết định số 940/QĐ-UBND", "quyết định 940/QĐ-UBND"],
                "Quyết định số 940/QĐ-UBND",
            ),
            (
                &["Nghị quyết số 57-NQ/TW", "Nghị quyết 57/NQ-TW", "NQ 57"],
                "Nghị quyết số 57-NQ/TW",
            ),
            (
                &[
                    "thông báo kết luận số 29",
                    "kết luận số 29",
                    "Kết luận 29-KL/TW",
                ],
                "Kết luận số 29-KL/TW",
            ),
        ];
        for (spellings, canonical) in table {
            let ids: Vec<DirectiveId> = spellings
                .iter()
                .map(|s| DirectiveId::parse(s).unwrap_or_else(|| panic!("{s} not read")))
                .collect();
            for (s, id) in spellings.iter().zip(&ids) {
                for other in &ids {
                    assert!(id.same_as(other), "{s}: {id:?} vs {other:?}");
                }
            }
            // the fullest spelling gives the canonical name
            let fullest = ids
                .iter()
                .max_by_key(|i| i.year.is_some() as u8 + i.body.is_some() as u8)
                .unwrap();
            assert_eq!(&fullest.canonical(), canonical);
        }
    }

    #[test]
    fn different_directives_stay_apart() {
        let p = |s: &str| DirectiveId::parse(s).unwrap();
        assert!(!p("Chỉ thị số 24").same_as(&p("Chỉ thị số 25")));
        assert!(!p("Chỉ thị số 24").same_as(&p("Nghị quyết số 24")));
        assert!(!p("Thông tư 64/2017/TT-BCA").same_as(&p("Thông tư 64/2015/TT-BCA")));
        assert!(!p("Quyết định số 940/QĐ-UBND").same_as(&p("Quyết định số 940/QĐ-TTg")));
        assert_eq!(DirectiveId::parse("nhiệm vụ trọng tâm"), None);
        let qd = p("Quyết định thi hành án số 113/QĐ-THA");
        assert_eq!(qd.canonical(), "Quyết định số 113/QĐ-THA");
        assert_eq!(DirectiveId::parse("Luật Đất đai năm 2013"), None);
        // the issuing body: every part of the code that is not a kind's
        assert_eq!(
            p("Quyết định số 39/QĐXD-CTUBH").canonical(),
            "Quyết định số 39/QĐ-CTUBH"
        );
        assert_eq!(
            p("Thông tư liên tịch 01/2017/TTLT-VKSNDTC-TANDTC-BCA-BTP").canonical(),
            "Thông tư liên tịch số 1/2017/TTLT-VKSNDTC-TANDTC-BCA-BTP"
        );
        assert!(
            p("Thông tư liên tịch 01/2017")
                .same_as(&p("Thông tư liên tịch 01/2017/TTLT-VKSNDTC-TANDTC-BCA-BTP"))
        );
        assert_eq!(DirectiveId::parse("Chỉ thị của Thủ tướng"), None);
    }
}
