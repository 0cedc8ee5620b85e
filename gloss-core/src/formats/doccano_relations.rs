//! `doccano-relations`: doccano's relation-extraction layout, for a doccano project of type
//! "Relation extraction": `entities` numbered from 1 in each record, in position order, and
//! `relations` joining them by `from_id` and `to_id`; offsets as for [`super::doccano`]
//! (`--offsets`). Doccano's record writer writes it in this layout, and doccano's reader, which
//! reads either layout ([`super::doccano::read`]), reads it back.

use serde::Serialize;

use super::doccano::{Writer, write_record};
use super::{Carries, Format, Reads, Stream, Writes};
use crate::error::Result;
use crate::export::Record;
use crate::text::offsets::Offsets;

pub static FORMAT: Format = Format {
    name: "doccano-relations",
    writes: Writes::Stream(|stream, c| Box::new(Writer::new(stream, c.offsets, write_entities))),
    reads: Reads::Records(super::doccano::read),
    offsets: &[Offsets::Utf16, Offsets::Codepoint, Offsets::Grapheme],
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

/// This layout: `"entities"`, numbered from 1, and `"relations"` joining them.
fn write_entities(
    stream: &mut Stream,
    doc: &Record,
    ends: &[usize],
    offsets: crate::text::offsets::Offsets,
) -> Result<()> {
    #[derive(Serialize)]
    struct Layout<'a> {
        entities: Vec<Entity<'a>>,
        relations: Vec<Relation<'a>>,
    }
    let entities = doc
        .tags
        .iter()
        .zip(ends.chunks(2))
        .enumerate()
        .map(|(i, (t, p))| Entity {
            id: i + 1,
            label: &t.label,
            start_offset: p[0],
            end_offset: p[1],
        })
        .collect();
    let relations = doc
        .relation_ends()
        .into_iter()
        .enumerate()
        .map(|(k, (r, h, t))| Relation {
            id: k + 1,
            from_id: h + 1,
            to_id: t + 1,
            kind: &r.label,
        })
        .collect();
    write_record(
        stream,
        doc,
        Layout {
            entities,
            relations,
        },
        offsets,
    )
}
