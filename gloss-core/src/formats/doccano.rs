//! `doccano`: doccano's sequence-labelling layout, offsets in UTF-16 units unless `--offsets`.

use super::{Carries, Format, Reads, Writes};
use crate::text::offsets::Offsets;

pub static FORMAT: Format = Format {
    name: "doccano",
    writes: Writes::Stream(|s, c| Box::new(crate::export::formats::Doccano { out: s.out, name: s.name, offsets: c.offsets })),
    reads: Reads::Records(crate::import::read::read_doccano),
    offsets: &[Offsets::Utf16, Offsets::Codepoint],
    carries: Carries {
        exact_spans: true,
        ..Carries::NOTHING
    },
};
