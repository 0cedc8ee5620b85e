//! A pattern compiled into what finds its spans in a text: a regular expression, or one of the
//! word-list matchers (names after a title, personal names, instruments known by name, clauses).

use std::ops::Range;

use regex::Regex;

use super::after_title::AfterTitle;
use super::clause::Clause;
use super::lexicon::{ClauseLists, PersonLists};
use super::named::Named;
use super::person::Person;
use super::words::{Word, words};
use crate::corpus::patterns::{Pattern, compile_regex};

/// A compiled pattern and the label of its spans.
#[derive(Clone)]
pub struct Matcher {
    label: String,
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Regex { re: Regex, group: usize },
    AfterTitle(AfterTitle),
    Person(Box<Person>),
    Named(Named),
    Clause(Box<Clause>),
}

impl Matcher {
    /// Compile `p`, the pattern at place `number` of its list (from 1); errors name it so.
    pub fn new(number: usize, p: &Pattern) -> Result<Matcher, String> {
        let (label, kind) = match p {
            Pattern::Regex {
                label,
                regex,
                group,
            } => (
                label,
                Kind::Regex {
                    re: compile_regex(number, regex)?,
                    group: *group,
                },
            ),
            Pattern::AfterTitle {
                label,
                titles,
                skip,
            } => (
                label,
                Kind::AfterTitle(
                    AfterTitle::new(titles, skip).map_err(|e| format!("pattern {number}: {e}"))?,
                ),
            ),
            Pattern::Person { label, .. } => (
                label,
                Kind::Person(Box::new(Person::new(&PersonLists::of(p)))),
            ),
            Pattern::Named {
                label,
                heads,
                stops,
                max_words,
            } => (label, Kind::Named(Named::new(heads, stops, *max_words))),
            Pattern::Clause { label, .. } => (
                label,
                Kind::Clause(Box::new(Clause::new(&ClauseLists::of(p)))),
            ),
        };
        Ok(Matcher {
            label: label.clone(),
            kind,
        })
    }

    /// The pattern's spans in `text` (NFC): (label, bytes). `w` keeps the text's words, found by
    /// the first matcher that needs them.
    pub fn find(&self, text: &str, w: &mut Option<Vec<Word>>) -> Vec<(String, Range<usize>)> {
        let spans: Vec<Range<usize>> = match &self.kind {
            Kind::Regex { re, group } => re
                .captures_iter(text)
                .filter_map(|c| c.get(*group))
                .map(|m| m.range())
                .collect(),
            Kind::AfterTitle(after_title) => after_title.find(text),
            Kind::Person(person) => person.find_in(text, w.get_or_insert_with(|| words(text))),
            Kind::Named(named) => named.find_in(text, w.get_or_insert_with(|| words(text))),
            Kind::Clause(clause) => clause.find_in(text, w.get_or_insert_with(|| words(text))),
        };
        spans.into_iter().map(|r| (self.label.clone(), r)).collect()
    }
}
