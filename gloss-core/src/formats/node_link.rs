//! `node-link`: the corpus's graph (the `graph` format's nodes and edges, [`super::graph`]) as
//! one JSON object in the node-link layout networkx's `node_link_graph` reads as it is (networkx
//! 3.4 and later, whose default key for the edges is `edges`) and D3 draws: `{"directed": true,
//! "multigraph": true, "graph": {…}, "nodes": [{"id", …}], "edges": [{"source", "target", "key",
//! …}]}`. The name is networkx's (`node_link_data`/`node_link_graph`). Nodes and edges have the
//! attributes of the `graphml` format, of one JSON type each: `aliases` joined by `; ` as there
//! (a string, as Gephi's and networkx's GraphML and GEXF writers need), `registered` a boolean,
//! the counts numbers. Export only.

use serde::Serialize;

use super::graph::{Graph, GraphWriter};
use super::graphml::ALIAS_SEPARATOR;
use super::{Carries, Format, Reads, Stream, Writes};
use crate::error::Result;

pub static FORMAT: Format = Format {
    name: "node-link",
    writes: Writes::Stream(|stream, c| {
        Box::new(GraphWriter::new(stream, &c.registry, c.chosen.as_deref(), emit))
    }),
    reads: Reads::ExportOnly("it holds no article text to match"),
    offsets: &[],
    carries: Carries::NOTHING,
};

#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    aliases: String,
    mentions: usize,
    articles: usize,
    registered: bool,
}

#[derive(Serialize)]
struct Edge<'a> {
    source: &'a str,
    target: &'a str,
    key: String,
    label: &'a str,
    article: &'a str,
    head_tag: &'a str,
    tail_tag: &'a str,
}

#[derive(Serialize)]
struct GraphAttrs {
    name: &'static str,
}

#[derive(Serialize)]
struct NodeLink<'a> {
    directed: bool,
    multigraph: bool,
    graph: GraphAttrs,
    nodes: Vec<Node<'a>>,
    edges: Vec<Edge<'a>>,
}

fn node_link(g: &Graph) -> NodeLink<'_> {
    NodeLink {
        directed: true,
        multigraph: true,
        graph: GraphAttrs { name: "gloss" },
        nodes: g
            .nodes
            .iter()
            .map(|n| Node {
                id: &n.id,
                label: &n.name,
                kind: &n.label,
                aliases: n.aliases.join(ALIAS_SEPARATOR),
                mentions: n.mentions,
                articles: n.articles,
                registered: n.registered,
            })
            .collect(),
        edges: g
            .edges
            .iter()
            .enumerate()
            .map(|(k, e)| Edge {
                source: &e.head,
                target: &e.tail,
                key: format!("e{k}"),
                label: &e.relation,
                article: &e.article,
                head_tag: &e.head_tag,
                tail_tag: &e.tail_tag,
            })
            .collect(),
    }
}

/// `--format node-link`: one JSON object, on one line.
fn emit(g: &Graph, stream: &mut Stream) -> Result<Vec<String>> {
    stream.write_json_line(&node_link(g))?;
    Ok(Vec::new())
}
