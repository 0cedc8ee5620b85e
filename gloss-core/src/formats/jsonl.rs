//! `jsonl` (spaCy/Prodigy style): one record per article with every span, its relations and the
//! article's status.

use super::{Carries, Format, Notes, Reads, Writes};

pub static FORMAT: Format = Format {
    name: "jsonl",
    writes: Writes::Stream(|s, _| Box::new(crate::export::formats::Jsonl { out: s.out, name: s.name })),
    reads: Reads::Records(|path, _| crate::import::read::read_jsonl(path)),
    offsets: &[],
    carries: Carries {
        exact_spans: true,
        ids: true,
        notes: Notes::Kept,
        annotators: true,
        reviews: true,
        status: true,
        entity_links: true,
        relations: true,
    },
};
