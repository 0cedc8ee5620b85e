//! `conll`: CoNLL-2003's four columns in IOB2.

use super::{Carries, Format, Reads, Writes};

pub static FORMAT: Format = Format {
    name: "conll",
    writes: Writes::Stream(|s, _| Box::new(crate::export::formats::Conll { out: s.out, name: s.name })),
    reads: Reads::Records(|path, _| crate::import::read::read_conll(path, &crate::import::read::read_text(path)?)),
    offsets: &[],
    carries: Carries::NOTHING,
};
