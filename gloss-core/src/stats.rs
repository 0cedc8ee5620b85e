//! Corpus statistics (`gloss stats`), over the records an export would write: articles, tagged
//! articles, tags per label, the most frequent people; and per entity, from the graph format's
//! corpus graph ([`crate::formats::graph`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::entity::{Mentioned, Registry, mentioned};
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
    /// The most mentioned directives, each one row however it is written (by its entity, else
    /// its normalised identifier).
    pub top_directives: Vec<PersonCount>,
    /// Articles that could not be read (with --keep-going).
    pub skipped: usize,
}

/// The label of the tags `gloss stats` lists as directives.
pub const DIRECTIVE_LABEL: &str = "DIRECTIVE";

/// Mentions grouped by what they mention: their entity, the same directive however written, else
/// [`crate::text::text_key`] (Unicode form, case, tone placement).
#[derive(Debug, Default)]
struct Mentions {
    /// key → (surface form → count, mentions, articles)
    groups: HashMap<Group, (HashMap<String, usize>, usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Group {
    Of(Mentioned),
    Text(String),
}

impl Mentions {
    fn add(
        &mut self,
        t: &crate::annotation::Annotation,
        registry: Option<&Registry>,
        seen: &mut HashSet<Group>,
    ) {
        let key = match mentioned(&t.label, &t.text, t.entity.as_deref(), registry) {
            Some(m) => Group::Of(m),
            None => Group::Text(crate::text::text_key(&t.text)),
        };
        let entry = self.groups.entry(key.clone()).or_default();
        let surface: String = t.text.nfc().collect();
        *entry.0.entry(surface).or_insert(0) += 1;
        entry.1 += 1;
        if seen.insert(key) {
            entry.2 += 1;
        }
    }

    /// The `top` most mentioned (ties by name), each named by its entity, its directive's
    /// canonical name, else its most frequent form.
    fn top(self, top: usize, registry: Option<&Registry>) -> Vec<PersonCount> {
        let mut out: Vec<PersonCount> = self
            .groups
            .into_iter()
            .map(|(group, (forms, mentions, articles))| {
                let frequent = || {
                    forms
                        .iter()
                        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                        .map(|(n, _)| n.clone())
                        .unwrap_or_default()
                };
                let name = match &group {
                    Group::Of(Mentioned::Entity(id)) => registry
                        .and_then(|r| r.get(id))
                        .map(|e| e.name.clone())
                        .unwrap_or_else(frequent),
                    Group::Of(Mentioned::Directive(d)) => d.clone(),
                    Group::Text(_) => frequent(),
                };
                PersonCount {
                    name,
                    mentions,
                    articles,
                }
            })
            .collect();
        out.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
        out.truncate(top);
        out
    }
}

/// Stats built one record at a time.
#[derive(Debug, Default)]
pub struct StatsBuilder {
    stats: Stats,
    people: Mentions,
    directives: Mentions,
    /// Label whose tags count as people.
    pub person_label: String,
    /// The corpus's entities: their names, and the entity of a directive not linked yet.
    registry: Option<Registry>,
}

impl StatsBuilder {
    pub fn new(person_label: &str) -> Self {
        StatsBuilder {
            person_label: person_label.to_string(),
            ..Default::default()
        }
    }

    /// Name entities and find the entity of a directive not linked yet in `registry`.
    pub fn with_registry(mut self, registry: Registry) -> Self {
        self.registry = Some(registry);
        self
    }

    pub fn add(&mut self, doc: &Record) {
        self.stats.articles += 1;
        if !doc.tags.is_empty() {
            self.stats.tagged_articles += 1;
        }
        let (mut people_here, mut directives_here) = (HashSet::new(), HashSet::new());
        for t in &doc.tags {
            self.stats.tags += 1;
            *self
                .stats
                .tags_per_label
                .entry(t.label.clone())
                .or_insert(0) += 1;
            let registry = self.registry.as_ref();
            if t.label == self.person_label {
                self.people.add(t, registry, &mut people_here);
            } else if t.label == DIRECTIVE_LABEL {
                self.directives.add(t, registry, &mut directives_here);
            }
        }
    }

    pub fn skip(&mut self) {
        self.stats.skipped += 1;
    }

    /// The stats with the `top` most frequent people and directives (ties by name).
    pub fn finish(mut self, top: usize) -> Stats {
        let registry = self.registry.as_ref();
        self.stats.top_people = self.people.top(top, registry);
        self.stats.top_directives = self.directives.top(top, registry);
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
