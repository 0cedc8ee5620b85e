//! Corpus statistics: articles, tagged articles, tags per label, the most frequent people.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::record::Record;

/// A person and how often they are tagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonCount {
    /// The most frequent way the name is written.
    pub name: String,
    pub mentions: usize,
    pub articles: usize,
}

/// What `gloss stats` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub articles: usize,
    pub tagged_articles: usize,
    pub tags: usize,
    pub tags_per_label: BTreeMap<String, usize>,
    pub top_people: Vec<PersonCount>,
    /// Articles that could not be read (with --keep-going).
    pub skipped: usize,
}

/// Mentions grouped by [`crate::text::text_key`] (Unicode form, case, tone placement).
#[derive(Debug, Default)]
pub struct StatsBuilder {
    stats: Stats,
    /// key → (surface form → count, mentions, articles)
    people: HashMap<String, (HashMap<String, usize>, usize, usize)>,
    /// Label whose tags count as people.
    pub person_label: String,
}

impl StatsBuilder {
    pub fn new(person_label: &str) -> Self {
        StatsBuilder {
            person_label: person_label.to_string(),
            ..Default::default()
        }
    }

    pub fn add(&mut self, doc: &Record) {
        self.stats.articles += 1;
        if !doc.tags.is_empty() {
            self.stats.tagged_articles += 1;
        }
        let mut seen_here = std::collections::HashSet::new();
        for t in &doc.tags {
            self.stats.tags += 1;
            *self
                .stats
                .tags_per_label
                .entry(t.label.clone())
                .or_insert(0) += 1;
            if t.label == self.person_label {
                let key = crate::text::text_key(&t.text);
                let entry = self.people.entry(key.clone()).or_default();
                let surface: String = t.text.nfc().collect();
                *entry.0.entry(surface).or_insert(0) += 1;
                entry.1 += 1;
                if seen_here.insert(key) {
                    entry.2 += 1;
                }
            }
        }
    }

    pub fn skip(&mut self) {
        self.stats.skipped += 1;
    }

    /// The stats with the `top` most frequent people (ties by name).
    pub fn finish(mut self, top: usize) -> Stats {
        let mut people: Vec<PersonCount> = self
            .people
            .into_values()
            .map(|(forms, mentions, articles)| {
                let name = forms
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(n, _)| n)
                    .unwrap_or_default();
                PersonCount {
                    name,
                    mentions,
                    articles,
                }
            })
            .collect();
        people.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
        people.truncate(top);
        self.stats.top_people = people;
        self.stats
    }
}
