//! `doccano-relations`: doccano's relation-extraction layout, for a doccano project of type
//! "Relation extraction": `entities` numbered from 1 in each record, in position order, and
//! `relations` joining them by `from_id` and `to_id`; offsets as for [`super::doccano`]
//! (`--offsets`). It is read back by doccano's reader, which reads either layout
//! ([`super::doccano::read`]).

use serde::Serialize;

use super::doccano::tag_ends;
use super::{Carries, Format, Reads, RecordWriter, Stream, Writes};
use crate::error::Result;
use crate::export::Record;
use crate::json::ArticleMeta;
use crate::text::offsets::Offsets;

pub static FORMAT: Format = Format {
    name: "doccano-relations",
    writes: Writes::Stream(|stream, c| {
        let offsets = c.offsets;
        Box::new(Writer { stream, offsets })
    }),
    reads: Reads::Records(super::doccano::read),
    offsets: &[Offsets::Utf16, Offsets::Codepoint],
    carries: Carries {
        exact_spans: true,
        relations: true,
        ..Carries::NOTHING
    },
};

#[derive(Serialize)]
struct Entity<'a> {
    id: usize,
    label: &'a str,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize)]
struct Relation<'a> {
    id: usize,
    from_id: usize,
    to_id: usize,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    text: &'a str,
    entities: Vec<Entity<'a>>,
    relations: Vec<Relation<'a>>,
    meta: ArticleMeta<'a>,
}

/// Writes one record a line, its offsets in `offsets`' units.
pub struct Writer {
    pub stream: Stream,
    pub offsets: Offsets,
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, _warn: &mut dyn FnMut(String)) -> Result<()> {
        let points = tag_ends(self.offsets, doc);
        let j = Doc {
            id: &doc.id,
            text: &doc.text,
            entities: doc
                .tags
                .iter()
                .zip(points.chunks(2))
                .enumerate()
                .map(|(i, (t, p))| Entity {
                    id: i + 1,
                    label: &t.label,
                    start_offset: p[0],
                    end_offset: p[1],
                })
                .collect(),
            relations: doc
                .relation_ends()
                .into_iter()
                .enumerate()
                .map(|(k, (r, h, t))| Relation {
                    id: k + 1,
                    from_id: h + 1,
                    to_id: t + 1,
                    kind: &r.label,
                })
                .collect(),
            meta: ArticleMeta::of(&doc.meta),
        };
        self.stream.write_json_line(&j)
    }

    fn finish(&mut self) -> Result<()> {
        self.stream.flush()
    }
}
