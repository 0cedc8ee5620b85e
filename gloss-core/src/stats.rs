//! Corpus statistics (`gloss stats`), over the records an export would write: articles, tagged
//! articles, tags per label, the most frequent people; and per entity, from the graph format's
//! corpus graph ([`crate::formats::graph`]).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::export::Record;

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

/// What points at an entity: relations of one type from one other entity, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incoming {
    pub relation: String,
    /// The node id of the head.
    pub from: String,
    /// Its name.
    pub name: String,
    pub count: usize,
}

/// One entity in `gloss stats --by entity`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityCount {
    /// The entity's id in `entities.ron`, or `LABEL:folded text` for tags linked to none.
    pub id: String,
    /// In `entities.ron` (rather than tags grouped by their text).
    pub registered: bool,
    pub label: String,
    pub name: String,
    pub mentions: usize,
    pub articles: usize,
    /// ISSUES relations with a mention of it as head.
    pub directives_issued: usize,
    /// ASSIGNS relations with a mention of it as head.
    pub tasks_assigned: usize,
    /// Relations with a mention of it as tail, by type and head (most first).
    pub pointed_at_by: Vec<Incoming>,
}

/// What `gloss stats --by entity` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EntityStats {
    pub articles: usize,
    /// Entities listed (the `top` most mentioned), and how many there are in all.
    pub entities: Vec<EntityCount>,
    pub total_entities: usize,
    pub relations: usize,
    /// Articles that could not be read (with --keep-going).
    pub skipped: usize,
}

/// Figures per entity from the corpus graph: the `top` most mentioned (ties by id).
pub fn entity_stats(
    graph: &crate::formats::graph::Graph,
    articles: usize,
    skipped: usize,
    top: usize,
) -> EntityStats {
    let names: HashMap<&str, &str> = graph
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.as_str()))
        .collect();
    let mut issued: HashMap<&str, usize> = HashMap::new();
    let mut assigned: HashMap<&str, usize> = HashMap::new();
    let mut incoming: HashMap<&str, BTreeMap<(&str, &str), usize>> = HashMap::new();
    for e in &graph.edges {
        match e.relation.as_str() {
            "ISSUES" => *issued.entry(&e.head).or_default() += 1,
            "ASSIGNS" => *assigned.entry(&e.head).or_default() += 1,
            _ => {}
        }
        *incoming
            .entry(&e.tail)
            .or_default()
            .entry((&e.relation, &e.head))
            .or_default() += 1;
    }
    let mut entities: Vec<EntityCount> = graph
        .nodes
        .iter()
        .map(|n| {
            let mut pointed_at_by: Vec<Incoming> = incoming
                .get(n.id.as_str())
                .map(|m| {
                    m.iter()
                        .map(|(&(relation, from), &count)| Incoming {
                            relation: relation.to_string(),
                            from: from.to_string(),
                            name: names.get(from).copied().unwrap_or(from).to_string(),
                            count,
                        })
                        .collect()
                })
                .unwrap_or_default();
            pointed_at_by.sort_by(|a, b| {
                b.count
                    .cmp(&a.count)
                    .then(a.relation.cmp(&b.relation))
                    .then(a.from.cmp(&b.from))
            });
            EntityCount {
                id: n.id.clone(),
                registered: n.registered,
                label: n.label.clone(),
                name: n.name.clone(),
                mentions: n.mentions,
                articles: n.articles,
                directives_issued: issued.get(n.id.as_str()).copied().unwrap_or(0),
                tasks_assigned: assigned.get(n.id.as_str()).copied().unwrap_or(0),
                pointed_at_by,
            }
        })
        .collect();
    entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
    let total_entities = entities.len();
    entities.truncate(top);
    EntityStats {
        articles,
        entities,
        total_entities,
        relations: graph.edges.len(),
        skipped,
    }
}
