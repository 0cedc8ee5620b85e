//! Suggestion patterns as data: what `gloss.ron` lists under `patterns`, and the built-in ones
//! ([`builtin_patterns`]) used when it lists none. The `suggest` module compiles them into matchers;
//! the definitions live here, with the corpus settings that hold them, so that reading `gloss.ron`
//! needs nothing of `suggest` and `suggest` (above the corpus) is the only one of the two to depend
//! on the other. Whether a corpus's patterns compile is checked here too ([`check`]), when its
//! settings are read.

use regex::Regex;
use serde::{Deserialize, Serialize};

/// A pattern, as written in `gloss.ron` under `patterns`. Word lists are matched whole, by the
/// same-text key (case, Unicode form and tone placement do not matter: "Uỷ" is "Ủy").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pattern {
    /// A regular expression (Rust `regex` syntax, matched on NFC text); `group` picks the capture
    /// group that is the span (0: the whole match).
    Regex {
        label: String,
        regex: String,
        #[serde(default)]
        group: usize,
    },
    /// A name after a title: capitalised syllables (2 to 4, or 1 after a short title like "Bà")
    /// after one of `titles`, skipping an organisation made of words in `skip` and capitalised
    /// words, e.g. "Bộ trưởng Bộ Công an Tô Lâm" gives "Tô Lâm". (The older, simpler form of
    /// [`Pattern::Person`].)
    AfterTitle {
        label: String,
        titles: Vec<String>,
        #[serde(default)]
        skip: Vec<String>,
    },
    /// Vietnamese personal names: surname-led runs of capitalised syllables, names after titles and
    /// honorifics (any case), bylines and later mentions, never inside places or organisations; see
    /// `suggest::PersonLists`.
    Person {
        label: String,
        #[serde(default)]
        surnames: Vec<String>,
        #[serde(default)]
        titles: Vec<String>,
        #[serde(default)]
        organisations: Vec<String>,
        #[serde(default)]
        places: Vec<String>,
        #[serde(default)]
        not_names: Vec<String>,
        #[serde(default)]
        common: Vec<String>,
        #[serde(default)]
        given_names: bool,
        #[serde(default)]
        bylines: bool,
    },
    /// An instrument known by name: a capitalised head word (`heads`) and up to `max_words` words
    /// up to one of `stops`, punctuation or a number, then a year ("Luật Nhà ở 2014").
    Named {
        label: String,
        heads: Vec<String>,
        #[serde(default)]
        stops: Vec<String>,
        #[serde(default = "default_max_words")]
        max_words: usize,
    },
    /// A clause, to the end of its sentence (final punctuation and closing quotes left out) or to
    /// one of `ends` ("nhưng", "thì"): after one of `leads` ("yêu cầu [các sở triển khai]"), or from
    /// the clause's start through one of `modals` ("[bí thư phải chỉ đạo]"). A lead or modal inside
    /// one of `exceptions` ("giao thông", "phải chăng"), right after one of `not_after` ("không"),
    /// after one of `cancelled_by` in its sentence ("bỏ quy định"), or in a question, does not
    /// count.
    Clause {
        label: String,
        leads: Vec<String>,
        #[serde(default)]
        modals: Vec<String>,
        #[serde(default)]
        exceptions: Vec<String>,
        #[serde(default)]
        not_after: Vec<String>,
        #[serde(default)]
        cancelled_by: Vec<String>,
        #[serde(default)]
        ends: Vec<String>,
    },
}

fn default_max_words() -> usize {
    6
}

/// The built-in patterns (`builtin_patterns.ron` beside this file, in the binary).
pub fn builtin_patterns() -> Vec<Pattern> {
    ron::from_str(include_str!("builtin_patterns.ron")).expect("the built-in patterns parse")
}

/// The regular expression of a [`Pattern::Regex`], compiled; the error names the pattern by its
/// place in the list (`number`, from 1).
pub fn compile_regex(number: usize, regex: &str) -> Result<Regex, String> {
    Regex::new(regex).map_err(|e| format!("pattern {number}: {e}"))
}

/// Are `patterns` fit to be compiled: does every regular expression parse? The error names the
/// first pattern that is not. (Word lists have no syntax to get wrong.)
pub fn check(patterns: &[Pattern]) -> Result<(), String> {
    for (i, p) in patterns.iter().enumerate() {
        if let Pattern::Regex { regex, .. } = p {
            compile_regex(i + 1, regex)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_ins_parse_and_a_bad_regular_expression_is_named() {
        let builtin = builtin_patterns();
        assert!(builtin.iter().any(|p| matches!(p, Pattern::Person { .. })));
        assert_eq!(check(&builtin), Ok(()));
        let bad = [
            builtin[0].clone(),
            Pattern::Regex {
                label: "X".into(),
                regex: "(unclosed".into(),
                group: 0,
            },
        ];
        let err = check(&bad).unwrap_err();
        assert!(err.starts_with("pattern 2: "), "{err}");
    }
}
