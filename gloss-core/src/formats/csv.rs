//! `csv`: one row per tag (RFC 4180).

use super::{Carries, Format, Notes, Reads, Writes};

pub static FORMAT: Format = Format {
    name: "csv",
    writes: Writes::Stream(|s, _| Box::new(crate::export::formats::Csv { out: s.out, name: s.name, header_written: false })),
    reads: Reads::Records(|path, _| crate::import::read::read_csv(path, &crate::import::read::read_text(path)?)),
    offsets: &[],
    carries: Carries {
        exact_spans: true,
        ids: true,
        notes: Notes::Kept,
        annotators: true,
        ..Carries::NOTHING
    },
};
