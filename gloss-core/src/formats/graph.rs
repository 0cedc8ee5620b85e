//! `graph`: the corpus as one graph, one node per entity and one edge per relation, across every
//! article (`gloss export --format graph`, and `gloss stats --by entity` over the same aggregate).
//! Export only: it holds no article text to match a record to.
//!
//! A node is an entity of `entities.ron` (its id), or, for tags linked to no entity, the label and the
//! folded text (`PERSON:to lam`), so that every tag has a node and the graph stays whole. Nodes are
//! aggregated as the articles stream by (forms, mention and article counts); edges are small and
//! collected in memory, then sorted. The output is deterministic: nodes by id, then edges by article,
//! tags and type, whatever order the articles were read in.

use std::collections::HashMap;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::{Carries, Format, Reads, RecordWriter, Stream, Writes};
use crate::annotation::Annotation;
use crate::entity::{Mentioned, Registry, key, mentioned};
use crate::error::Result;
use crate::export::Record;

pub static FORMAT: Format = Format {
    name: "graph",
    writes: Writes::Stream(|stream, c| {
        Box::new(GraphWriter::new(
            stream,
            &c.registry,
            c.chosen.as_deref(),
            json_lines,
        ))
    }),
    reads: Reads::ExportOnly("it holds no article text to match"),
    offsets: &[],
    carries: Carries::NOTHING,
};

/// One node: an entity, with how often and where it is mentioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id: String,
    pub label: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub mentions: usize,
    pub articles: usize,
    /// In `entities.ron` (not written: a node's id says it, `LABEL:text` being no entity's).
    #[serde(skip)]
    pub registered: bool,
}

/// One edge: a relation between two tags of an article, as node ids, citing the article and tags.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub head: String,
    pub relation: String,
    pub tail: String,
    pub article: String,
    pub head_tag: String,
    pub tail_tag: String,
}

impl Edge {
    fn order(&self) -> (&str, &str, &str, &str, &str, &str) {
        (
            &self.article,
            &self.head_tag,
            &self.relation,
            &self.tail_tag,
            &self.head,
            &self.tail,
        )
    }
}

/// The node id of a tag: its entity; else, for a directive, the registry's entity of the same
/// directive, or `DIRECTIVE:` and its canonical name folded (however it is written); else
/// `LABEL:folded text`.
pub fn node_id(tag: &Annotation, registry: Option<&Registry>) -> String {
    match mentioned(&tag.label, &tag.text, tag.entity.as_deref(), registry) {
        Some(Mentioned::Entity(e)) => e,
        Some(Mentioned::Directive(d)) => format!("{}:{}", tag.label, key(&d)),
        None => format!("{}:{}", tag.label, key(&tag.text)),
    }
}

#[derive(Debug, Default)]
struct NodeAgg {
    /// From the registry, when it is there.
    registered: Option<(String, String, Vec<String>)>,
    labels: HashMap<String, usize>,
    forms: HashMap<String, usize>,
    mentions: usize,
    articles: usize,
    last_article: Option<String>,
}

/// The most frequent key, ties by the smallest.
fn most_frequent(m: &HashMap<String, usize>) -> Option<&String> {
    m.iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| k)
}

/// The graph, built one record at a time.
#[derive(Debug)]
pub struct GraphBuilder {
    /// The registry's entities, for directives not linked yet.
    registry: Registry,
    nodes: HashMap<String, NodeAgg>,
    edges: Vec<Edge>,
}

/// The finished graph: nodes sorted by id, edges by article, tags and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl GraphBuilder {
    /// A graph with a node for every entity of `registry` (mentioned or not).
    pub fn new(registry: &Registry) -> Self {
        Self::of_labels(registry, None)
    }

    /// A graph with a node for every entity of `registry` whose label is one of `labels` (all
    /// when `None`: an export limited by `--labels` leaves the others out).
    pub fn of_labels(registry: &Registry, labels: Option<&[String]>) -> Self {
        let mut nodes = HashMap::new();
        for e in registry
            .entities()
            .iter()
            .filter(|e| labels.is_none_or(|ls| ls.contains(&e.label)))
        {
            nodes.insert(
                e.id.clone(),
                NodeAgg {
                    registered: Some((e.label.clone(), e.name.clone(), e.aliases.clone())),
                    ..Default::default()
                },
            );
        }
        GraphBuilder {
            registry: registry.clone(),
            nodes,
            edges: Vec::new(),
        }
    }

    pub fn add(&mut self, doc: &Record) {
        let mut ids: HashMap<&str, String> = HashMap::new();
        for t in &doc.tags {
            let id = node_id(t, Some(&self.registry));
            let n = self.nodes.entry(id.clone()).or_default();
            n.mentions += 1;
            if n.last_article.as_deref() != Some(doc.id.as_str()) {
                n.last_article = Some(doc.id.clone());
                n.articles += 1;
            }
            *n.labels.entry(t.label.clone()).or_default() += 1;
            *n.forms.entry(t.text.nfc().collect()).or_default() += 1;
            ids.insert(t.id.as_str(), id);
        }
        for r in &doc.relations {
            let (Some(h), Some(t)) = (ids.get(r.head.as_str()), ids.get(r.tail.as_str())) else {
                continue;
            };
            self.edges.push(Edge {
                kind: "edge",
                head: h.clone(),
                relation: r.label.clone(),
                tail: t.clone(),
                article: doc.id.clone(),
                head_tag: r.head.clone(),
                tail_tag: r.tail.clone(),
            });
        }
    }

    pub fn finish(self) -> Graph {
        let mut nodes: Vec<Node> = self
            .nodes
            .into_iter()
            .map(|(id, n)| {
                let registered = n.registered.is_some();
                let (label, name, aliases) = match n.registered {
                    Some(r) => r,
                    None => {
                        let name = most_frequent(&n.forms).cloned().unwrap_or_default();
                        let mut aliases: Vec<String> =
                            n.forms.keys().filter(|f| **f != name).cloned().collect();
                        aliases.sort();
                        let label = most_frequent(&n.labels).cloned().unwrap_or_default();
                        (label, name, aliases)
                    }
                };
                Node {
                    kind: "node",
                    id,
                    label,
                    name,
                    aliases,
                    mentions: n.mentions,
                    articles: n.articles,
                    registered,
                }
            })
            .collect();
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        let mut edges = self.edges;
        edges.sort_by(|a, b| a.order().cmp(&b.order()));
        Graph { nodes, edges }
    }
}

/// How a graph format writes the corpus's graph, once it has been read: what it then has to say
/// (on stderr), if anything.
pub type Emit = fn(&Graph, &mut Stream) -> Result<Vec<String>>;

/// The writer of every graph format (`graph`, `graphml`, `node-link`): the articles' entities and
/// relations gathered as they stream by, the graph written whole at the end by the format's
/// [`Emit`].
pub struct GraphWriter {
    stream: Stream,
    builder: Option<GraphBuilder>,
    emit: Emit,
    said: Vec<String>,
}

impl GraphWriter {
    /// Entities of `registry` become nodes when their label is one of `labels` (all when `None`).
    pub fn new(stream: Stream, registry: &Registry, labels: Option<&[String]>, emit: Emit) -> Self {
        GraphWriter {
            stream,
            builder: Some(GraphBuilder::of_labels(registry, labels)),
            emit,
            said: Vec::new(),
        }
    }
}

impl RecordWriter for GraphWriter {
    fn write(&mut self, doc: &Record, _warn: &mut dyn FnMut(String)) -> Result<()> {
        if let Some(b) = &mut self.builder {
            b.add(doc);
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        let Some(b) = self.builder.take() else {
            return Ok(());
        };
        self.said = (self.emit)(&b.finish(), &mut self.stream)?;
        self.stream.flush()
    }

    fn summary(&self) -> Vec<String> {
        self.said.clone()
    }
}

/// `--format graph`: JSON Lines, the nodes then the edges.
fn json_lines(g: &Graph, stream: &mut Stream) -> Result<Vec<String>> {
    for n in &g.nodes {
        stream.write_json_line(n)?;
    }
    for e in &g.edges {
        stream.write_json_line(e)?;
    }
    Ok(Vec::new())
}
