//! The word lists that say what a word may be, compiled: the name pattern's ([`NameWords`]:
//! surnames, titles, organisations, places, phrases that are not names, common words) and the
//! clause pattern's triggers ([`ClauseTriggers`]: leads and modals). The patterns match with them
//! and the model's features look words up in them ([`Lexicon`]), so both read one set of lists.

use super::clause::ClauseLists;
use super::person::PersonLists;
use super::words::WordList;
use crate::corpus::patterns::Pattern;

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
