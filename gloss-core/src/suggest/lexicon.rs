//! The word lists that say what a word may be: the name and clause patterns' lists as written
//! ([`PersonLists`], [`ClauseLists`]), and compiled: the name pattern's ([`NameWords`]: surnames,
//! titles, organisations, places, phrases that are not names, common words) and the clause
//! pattern's triggers ([`ClauseTriggers`]: leads and modals). The patterns match with them and the
//! model's features look words up in them ([`Lexicon`]), so both read one set of lists.

use serde::{Deserialize, Serialize};

use super::words::WordList;
use crate::corpus::patterns::Pattern;

/// The word lists of the name pattern, as written in `gloss.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PersonLists {
    /// Surnames: a run of 2 to 5 capitalised syllables led by one is a name.
    pub surnames: Vec<String>,
    /// Titles, honorifics and roles (any case): a run of 1 to 4 capitalised syllables right after
    /// one (a colon between allowed) is a name.
    pub titles: Vec<String>,
    /// Words that start an organisation ("Bộ", "Sở", "Ủy ban", "UBND"): the capitalised words after
    /// one are its name, not a person's (a surname-led run after it still is).
    pub organisations: Vec<String>,
    /// Words before a place ("quận", "phường", "tỉnh", "đường", "Thành phố"): the capitalised run
    /// after one is a place, not a name.
    pub places: Vec<String>,
    /// Capitalised phrases that are never names (provinces, countries, "Hồ Chí Minh"), taken off
    /// the front of a run ("Nhật Bản Shinzo Abe" gives "Shinzo Abe").
    pub not_names: Vec<String>,
    /// Capitalised words that are never part of a name (sentence openers: "Tháng", "Theo", "Về"):
    /// a run of capitalised words ends before one.
    pub common: Vec<String>,
    /// Tag later mentions of the last syllable of a name found, and of single names found, where
    /// they stand alone as capitalised words.
    pub given_names: bool,
    /// Tag a line made only of 2 to 4 capitalised syllables (a byline: "Hoài An", "PHƯƠNG LOAN").
    pub bylines: bool,
}

impl PersonLists {
    /// The lists of `p`: a name pattern's, or none (all empty) for a pattern of another kind.
    pub fn of(p: &Pattern) -> PersonLists {
        match p {
            Pattern::Person {
                label: _,
                surnames,
                titles,
                organisations,
                places,
                not_names,
                common,
                given_names,
                bylines,
            } => PersonLists {
                surnames: surnames.clone(),
                titles: titles.clone(),
                organisations: organisations.clone(),
                places: places.clone(),
                not_names: not_names.clone(),
                common: common.clone(),
                given_names: *given_names,
                bylines: *bylines,
            },
            _ => PersonLists::default(),
        }
    }
}

/// The word lists of a clause pattern, as written in `gloss.ron`.
#[derive(Debug, Clone, Default)]
pub struct ClauseLists {
    /// Lead verbs: the span starts right after one.
    pub leads: Vec<String>,
    /// Modals: the span starts at the clause's start.
    pub modals: Vec<String>,
    /// Phrases a lead or modal may be part of without being one ("giao thông", "phải chăng").
    pub exceptions: Vec<String>,
    /// Words right before a lead or modal (a comma between allowed) that undo it ("không").
    pub not_after: Vec<String>,
    /// Phrases earlier in the sentence that undo every lead or modal after them ("bỏ quy định").
    pub cancelled_by: Vec<String>,
    /// Words that end a clause before its sentence does ("nhưng", "thì").
    pub ends: Vec<String>,
}

impl ClauseLists {
    /// The lists of `p`: a clause pattern's, or none (all empty) for a pattern of another kind.
    pub fn of(p: &Pattern) -> ClauseLists {
        match p {
            Pattern::Clause {
                label: _,
                leads,
                modals,
                exceptions,
                not_after,
                cancelled_by,
                ends,
            } => ClauseLists {
                leads: leads.clone(),
                modals: modals.clone(),
                exceptions: exceptions.clone(),
                not_after: not_after.clone(),
                cancelled_by: cancelled_by.clone(),
                ends: ends.clone(),
            },
            _ => ClauseLists::default(),
        }
    }
}

/// The name pattern's word lists (see [`PersonLists`] for what each holds).
#[derive(Debug, Clone, Default)]
pub struct NameWords {
    pub surnames: WordList,
    pub titles: WordList,
    pub organisations: WordList,
    pub places: WordList,
    pub not_names: WordList,
    pub common: WordList,
}

impl NameWords {
    pub fn new(l: &PersonLists) -> NameWords {
        NameWords {
            surnames: WordList::new(&l.surnames),
            titles: WordList::new(&l.titles),
            organisations: WordList::new(&l.organisations),
            places: WordList::new(&l.places),
            not_names: WordList::new(&l.not_names),
            common: WordList::new(&l.common),
        }
    }
}

/// The words that start a clause pattern's span (see [`ClauseLists`]).
#[derive(Debug, Clone, Default)]
pub struct ClauseTriggers {
    /// Lead verbs: the span starts right after one.
    pub leads: WordList,
    /// Modals: the span starts at the clause's start.
    pub modals: WordList,
}

impl ClauseTriggers {
    pub fn new(l: &ClauseLists) -> ClauseTriggers {
        ClauseTriggers {
            leads: WordList::new(&l.leads),
            modals: WordList::new(&l.modals),
        }
    }
}

/// The word lists the model's features look up: the first name pattern's (with surnames) and the
/// first clause pattern's (with leads).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub names: NameWords,
    pub triggers: ClauseTriggers,
}

impl Lexicon {
    /// The lists of `patterns`.
    pub fn from_patterns(patterns: &[Pattern]) -> Lexicon {
        let mut l = Lexicon::default();
        for p in patterns {
            match p {
                Pattern::Person { .. } if l.names.surnames.is_empty() => {
                    l.names = NameWords::new(&PersonLists::of(p));
                }
                Pattern::Clause { .. } if l.triggers.leads.is_empty() => {
                    l.triggers = ClauseTriggers::new(&ClauseLists::of(p));
                }
                _ => {}
            }
        }
        l
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::patterns::builtin_patterns;
    use crate::suggest::words::words;

    #[test]
    fn the_lexicon_holds_the_first_name_lists_with_surnames_and_the_first_leads() {
        let person = |surnames: &[&str], titles: &[&str]| Pattern::Person {
            label: "PERSON".into(),
            surnames: surnames.iter().map(|s| s.to_string()).collect(),
            titles: titles.iter().map(|s| s.to_string()).collect(),
            organisations: vec![],
            places: vec![],
            not_names: vec![],
            common: vec![],
            given_names: false,
            bylines: false,
        };
        let clause = |leads: &[&str]| Pattern::Clause {
            label: "TASK".into(),
            leads: leads.iter().map(|s| s.to_string()).collect(),
            modals: vec!["phải".into()],
            exceptions: vec![],
            not_after: vec![],
            cancelled_by: vec![],
            ends: vec![],
        };
        let l = Lexicon::from_patterns(&[
            person(&[], &["bà"]),
            clause(&[]),
            person(&["Nguyễn"], &["ông"]),
            person(&["Trần"], &["anh"]),
            clause(&["yêu cầu"]),
            clause(&["đề nghị"]),
        ]);
        let text = "ông Nguyễn Trần bà anh yêu cầu đề nghị phải";
        let w = words(text);
        let hits = |list: &WordList| -> Vec<&str> {
            (0..w.len())
                .filter(|&i| list.match_at(text, &w, i).is_some())
                .map(|i| &text[w[i].bytes.clone()])
                .collect()
        };
        assert_eq!(hits(&l.names.surnames), ["Nguyễn"]);
        assert_eq!(hits(&l.names.titles), ["ông"]);
        assert_eq!(hits(&l.triggers.leads), ["yêu"]);
        assert_eq!(hits(&l.triggers.modals), ["phải"]);
        // the built-ins give both
        let b = Lexicon::from_patterns(&builtin_patterns());
        assert!(!b.names.surnames.is_empty() && !b.triggers.leads.is_empty());
    }
}
