//! `graph`: the corpus as one graph of entities and relations (export only).

use super::{Carries, Format, Reads, Writes};

pub static FORMAT: Format = Format {
    name: "graph",
    writes: Writes::Stream(|s, c| Box::new(crate::export::graph::GraphWriter::new(s.out, s.name, &c.registry, c.chosen.as_deref()))),
    reads: Reads::ExportOnly("it holds no article text to match"),
    offsets: &[],
    carries: Carries::NOTHING,
};
