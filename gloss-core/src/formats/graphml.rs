//! `graphml`: the corpus's graph (the `graph` format's nodes and edges, [`super::graph`]) as
//! GraphML, which networkx (`read_graphml`), Gephi, yEd and Cytoscape read as it is. A directed
//! multigraph: one node per entity, one edge per relation (edge ids `e0`, `e1`, … are networkx's
//! edge keys). Every attribute is a scalar, declared with its type: a node's `label` is its name
//! (what Gephi and yEd show), `type` gloss's label (`PERSON`), `aliases` the other names joined by
//! `; ` (GraphML has no lists), `mentions` and `articles` counts, `registered` whether it is in
//! `entities.ron`; an edge's `label` is the relation's type, `article` the article's id,
//! `head_tag` and `tail_tag` the tags' ids. Export only.
//!
//! XML escaping: `&`, `<`, `>` and `"` as entities, a carriage return as `&#13;` (an XML reader
//! turns a raw one into a line feed); a character XML 1.0 cannot hold (controls but tab and line
//! breaks, U+FFFE, U+FFFF) is written U+FFFD, and the export says so.

use super::graph::{Graph, GraphWriter};
use super::{Carries, Format, Reads, Stream, Writes};
use crate::error::Result;

pub static FORMAT: Format = Format {
    name: "graphml",
    writes: Writes::Stream(|stream, c| {
        Box::new(GraphWriter::new(stream, &c.registry, c.chosen.as_deref(), emit))
    }),
    reads: Reads::ExportOnly("it holds no article text to match"),
    offsets: &[],
    carries: Carries::NOTHING,
};

/// The separator of a node's `aliases`, in the graph formats that have no lists.
pub const ALIAS_SEPARATOR: &str = "; ";

/// Can XML 1.0 hold `c` (as itself or as a character reference)?
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// `s` escaped for XML text or an attribute value; `replaced` counts the characters XML cannot
/// hold, written U+FFFD.
pub fn xml_escape(s: &str, replaced: &mut usize) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => {
                *replaced += 1;
                out.push('\u{FFFD}');
            }
        }
    }
    out
}

/// The GraphML document of a graph, and how many characters had to be replaced.
pub fn document(g: &Graph) -> (String, usize) {
    let mut n = 0;
    let mut out = String::new();
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ",
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    ));
    for (id, on, name, ty) in [
        ("n_label", "node", "label", "string"),
        ("n_type", "node", "type", "string"),
        ("n_aliases", "node", "aliases", "string"),
        ("n_mentions", "node", "mentions", "int"),
        ("n_articles", "node", "articles", "int"),
        ("n_registered", "node", "registered", "boolean"),
        ("e_label", "edge", "label", "string"),
        ("e_article", "edge", "article", "string"),
        ("e_head_tag", "edge", "head_tag", "string"),
        ("e_tail_tag", "edge", "tail_tag", "string"),
    ] {
        out.push_str(&format!(
            "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>\n"
        ));
    }
    out.push_str("  <graph id=\"gloss\" edgedefault=\"directed\">\n");
    let data = |out: &mut String, key: &str, value: &str, n: &mut usize| {
        out.push_str(&format!(
            "      <data key=\"{key}\">{}</data>\n",
            xml_escape(value, n)
        ));
    };
    for node in &g.nodes {
        out.push_str(&format!("    <node id=\"{}\">\n", xml_escape(&node.id, &mut n)));
        data(&mut out, "n_label", &node.name, &mut n);
        data(&mut out, "n_type", &node.label, &mut n);
        data(
            &mut out,
            "n_aliases",
            &node.aliases.join(ALIAS_SEPARATOR),
            &mut n,
        );
        data(&mut out, "n_mentions", &node.mentions.to_string(), &mut n);
        data(&mut out, "n_articles", &node.articles.to_string(), &mut n);
        data(&mut out, "n_registered", &node.registered.to_string(), &mut n);
        out.push_str("    </node>\n");
    }
    for (k, e) in g.edges.iter().enumerate() {
        out.push_str(&format!(
            "    <edge id=\"e{k}\" source=\"{}\" target=\"{}\">\n",
            xml_escape(&e.head, &mut n),
            xml_escape(&e.tail, &mut n)
        ));
        data(&mut out, "e_label", &e.relation, &mut n);
        data(&mut out, "e_article", &e.article, &mut n);
        data(&mut out, "e_head_tag", &e.head_tag, &mut n);
        data(&mut out, "e_tail_tag", &e.tail_tag, &mut n);
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    (out, n)
}

/// `--format graphml`: the document, and how many characters XML could not hold.
fn emit(g: &Graph, stream: &mut Stream) -> Result<Vec<String>> {
    let (xml, replaced) = document(g);
    stream.write_all(xml.as_bytes())?;
    Ok(match replaced {
        0 => Vec::new(),
        n => vec![format!(
            "{n} characters XML cannot hold (control characters) written as U+FFFD"
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_xml_needs_and_replaces_what_it_cannot_hold() {
        let mut n = 0;
        assert_eq!(
            xml_escape("a<b>&\"c\"\r\n\t\u{1}\u{FFFF}Lâm", &mut n),
            "a&lt;b&gt;&amp;&quot;c&quot;&#13;\n\t\u{FFFD}\u{FFFD}Lâm"
        );
        assert_eq!(n, 2);
    }
}
