//! `brat`: brat's standoff, a folder of `.txt` and `.ann` files.

use super::{Carries, Format, Notes, Reads, Writes};

pub static FORMAT: Format = Format {
    name: "brat",
    writes: Writes::Folder(|dir, c| Box::new(crate::export::formats::Brat::new(dir, c.labels.clone(), c.relations.clone(), c.registry.clone()))),
    reads: Reads::Records(|path, _| crate::import::read::read_brat(path)),
    offsets: &[],
    carries: Carries {
        exact_spans: true,
        ids: true,
        notes: Notes::OnOneLine,
        entity_links: true,
        relations: true,
        ..Carries::NOTHING
    },
};
