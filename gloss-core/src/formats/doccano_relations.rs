//! `doccano-relations`: doccano's relation-extraction layout, entities numbered in each record and
//! relations joining them.

use super::{Carries, Format, Reads, Writes};
use crate::text::offsets::Offsets;

pub static FORMAT: Format = Format {
    name: "doccano-relations",
    writes: Writes::Stream(|s, c| Box::new(crate::export::formats::DoccanoRelations { out: s.out, name: s.name, offsets: c.offsets })),
    reads: Reads::Records(crate::import::read::read_doccano),
    offsets: &[Offsets::Utf16, Offsets::Codepoint],
    carries: Carries {
        exact_spans: true,
        relations: true,
        ..Carries::NOTHING
    },
};
