//! Exports: one writer per format behind [`formats::RecordWriter`], fed one document at a time.

pub mod conll;
pub mod formats;
pub mod graph;
pub mod record;
pub mod stats;

use std::fmt;
use std::str::FromStr;

pub use record::{Record, TagFilter, document_id};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Doccano,
    /// doccano's relation-extraction layout.
    DoccanoRelations,
    Conll,
    Brat,
    Csv,
    /// Entities and relation triples across the corpus (export only).
    Graph,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Jsonl,
        Format::Doccano,
        Format::DoccanoRelations,
        Format::Conll,
        Format::Brat,
        Format::Csv,
        Format::Graph,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Doccano => "doccano",
            Format::DoccanoRelations => "doccano-relations",
            Format::Conll => "conll",
            Format::Brat => "brat",
            Format::Csv => "csv",
            Format::Graph => "graph",
        }
    }

    /// Either doccano layout (they take `--offsets`).
    pub fn is_doccano(self) -> bool {
        matches!(self, Format::Doccano | Format::DoccanoRelations)
    }

    /// Does it write a folder rather than a file?
    pub fn is_folder(self) -> bool {
        self == Format::Brat
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!("unknown format {s:?} (one of {})", names.join(", "))
            })
    }
}
