//! The dataset formats gloss exports and imports, behind one registry, [`ALL`]: each format is one
//! file of this folder holding its writer and its reader side by side, and describes itself as a
//! [`Format`] (its name, whether it writes a folder, how it is read back if it is, the `--offsets`
//! it takes, what it carries). The command line's `gloss export` and `gloss import` (`--format`,
//! its help, what takes `--offsets`, what writes a folder) and the tests that mean "every format"
//! go through the registry, so a new format is one new file, defining its `FORMAT`, and its name
//! in the list at the end of this file.
//!
//! What several formats share lives in modules named for it: the record an article is exported as
//! ([`crate::export::Record`]), JSON as gloss writes it ([`crate::json`]), offset units
//! ([`crate::text::offsets`]), and an import's records, their reading and their checks against
//! the articles ([`crate::import`]).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::annotation::RelationTypes;
use crate::entity::Registry;
use crate::error::{Error, Result};
use crate::export::Record;
use crate::import::Incoming;
use crate::text::offsets::Offsets;

/// Writes documents in one format, one at a time, so memory stays flat however large the corpus.
pub trait RecordWriter {
    /// Write one document; `warn` hears what had to be left out.
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()>;
    /// Finish the output (footer, config files).
    fn finish(&mut self) -> Result<()> {
        Ok(())
    }
    /// What to say once the export is complete (on stderr), of the whole output.
    fn summary(&self) -> Vec<String> {
        Vec::new()
    }
}

/// The stream a format that writes one file writes to (the file, or standard output), every
/// error naming it.
pub struct Stream {
    pub out: Box<dyn Write>,
    /// The output's name, for messages.
    pub name: PathBuf,
}

impl Stream {
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .map_err(|e| Error::io(&self.name, e))
    }

    /// Write `value` as one line of JSON ([`crate::json`]).
    pub fn write_json_line<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        crate::json::write_line(&mut self.out, &self.name, value)
    }

    /// Flush what was written: at the end, when the output is complete.
    pub fn flush(&mut self) -> Result<()> {
        self.out.flush().map_err(|e| Error::io(&self.name, e))
    }
}

/// What a format's writer is told besides the records: the corpus's labels, relation types and
/// entities, and the export's options.
#[derive(Debug, Clone)]
pub struct WriteContext {
    /// The labels exported, in the corpus's order (all of them, or those `--labels` chose).
    pub labels: Vec<String>,
    /// The labels `--labels` chose, when it was given.
    pub chosen: Option<Vec<String>>,
    /// The corpus's relation types (`gloss.ron`).
    pub relations: RelationTypes,
    /// The corpus's entities (`entities.ron`).
    pub registry: Registry,
    /// The units of offsets, for a format that takes `--offsets`.
    pub offsets: Offsets,
    /// What a row is, for parquet (`--rows`).
    pub rows: parquet::Rows,
    /// Rows in a file, for parquet (`--shard-rows`); `None`: its default.
    pub shard_rows: Option<usize>,
}

/// How a format's writer is made, and what it writes into.
#[derive(Clone, Copy)]
pub enum Writes {
    /// One stream: a file, or standard output.
    Stream(fn(Stream, &WriteContext) -> Box<dyn RecordWriter>),
    /// A folder (made empty beforehand, moved into place when the export is complete).
    Folder(fn(PathBuf, &WriteContext) -> Box<dyn RecordWriter>),
}

/// How a format is read back, if it is.
#[derive(Clone, Copy)]
pub enum Reads {
    /// Read a file (the folder, for a format that writes one) into records; `Offsets` are the
    /// file's units, for a format that takes `--offsets`.
    Records(fn(&Path, Offsets) -> Result<Vec<Incoming>>),
    /// Export only, and why.
    ExportOnly(&'static str),
}

/// What becomes of a tag's note through a format and back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notes {
    Lost,
    Kept,
    /// Kept, with line breaks as spaces.
    OnOneLine,
}

/// What an import from a format gets back of what was exported (README's round-trip table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carries {
    /// Every tag at its exact span (else only what the format's own rule keeps: CoNLL's one tag a
    /// token, on token boundaries).
    pub exact_spans: bool,
    /// Tag and relation ids (else new ones are made).
    pub ids: bool,
    pub notes: Notes,
    /// Who made each tag and relation.
    pub annotators: bool,
    /// Reviewers' verdicts on tags and relations.
    pub reviews: bool,
    /// The article's review status.
    pub status: bool,
    /// Which entity each tag mentions.
    pub entity_links: bool,
    /// Relations between the tags.
    pub relations: bool,
    /// The article's labels (categories).
    pub categories: bool,
    /// Active time per annotator and day.
    pub time: bool,
}

impl Carries {
    /// Nothing: the base of a format's [`Carries`].
    pub const NOTHING: Carries = Carries {
        exact_spans: false,
        ids: false,
        notes: Notes::Lost,
        annotators: false,
        reviews: false,
        status: false,
        entity_links: false,
        relations: false,
        categories: false,
        time: false,
    };
}

/// A dataset format, as the registry knows it.
pub struct Format {
    /// What `--format` calls it.
    pub name: &'static str,
    pub writes: Writes,
    pub reads: Reads,
    /// The units `--offsets` may choose, the default first; none when the format takes no
    /// `--offsets` (its offsets are code points, or tokens).
    pub offsets: &'static [Offsets],
    /// What a round trip through it keeps.
    pub carries: Carries,
}

impl Format {
    /// Does it write a folder rather than a file?
    pub fn writes_folder(&self) -> bool {
        matches!(self.writes, Writes::Folder(_))
    }

    /// Can it be imported?
    pub fn is_readable(&self) -> bool {
        matches!(self.reads, Reads::Records(_))
    }

    /// The units to count offsets in: `given` (`--offsets`) if the format takes it, else its
    /// default; `Err` says which formats take `--offsets` when it does not.
    pub fn offsets_given(&self, given: Option<Offsets>) -> std::result::Result<Offsets, String> {
        match given {
            None => Ok(self.offsets.first().copied().unwrap_or_default()),
            Some(o) if self.offsets.contains(&o) => Ok(o),
            Some(_) if self.offsets.is_empty() => Err(format!(
                "--offsets applies to --format {} only",
                listed(taking_offsets(), "and")
            )),
            Some(o) => Err(format!(
                "--format {} does not take --offsets {} (it takes {})",
                self.name,
                o.name(),
                self.offsets
                    .iter()
                    .map(|o| o.name())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )),
        }
    }

    /// Every way it counts offsets, once: no `--offsets` (its default units), then each other
    /// units `--offsets` may choose.
    pub fn offsets_choices(&self) -> impl Iterator<Item = Option<Offsets>> + use<> {
        let others = self.offsets.iter().skip(1).map(|&o| Some(o));
        std::iter::once(None).chain(others)
    }

    /// Read the import file (the folder, for a format that writes one) `path`.
    pub fn read(&self, path: &Path, offsets: Offsets) -> Result<Vec<Incoming>> {
        match self.reads {
            Reads::Records(read) => read(path, offsets),
            Reads::ExportOnly(_) => Err(Error::invalid(
                path,
                format!("the {} format is for export only", self.name),
            )),
        }
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Format({})", self.name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// The format `--format` names, in any case (`JSONL`); `Err` lists them all.
pub fn find(name: &str) -> std::result::Result<&'static Format, String> {
    ALL.iter()
        .copied()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let names: Vec<&str> = ALL.iter().map(|f| f.name).collect();
            format!("unknown format {name:?} (one of {})", names.join(", "))
        })
}

/// The formats that can be imported, in the registry's order.
pub fn readable() -> impl Iterator<Item = &'static Format> {
    ALL.iter().copied().filter(|f| f.is_readable())
}

/// The formats that take `--offsets`, in the registry's order.
pub fn taking_offsets() -> impl Iterator<Item = &'static Format> {
    ALL.iter().copied().filter(|f| !f.offsets.is_empty())
}

/// The names of `formats` as a sentence lists them: `a, b and c` (`conjunction` "and" or "or").
pub fn listed<'a>(formats: impl IntoIterator<Item = &'a Format>, conjunction: &str) -> String {
    let names: Vec<&str> = formats.into_iter().map(|f| f.name).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// Each format's module, and the registry of their [`Format`]s in the order help lists them.
macro_rules! registry {
    ($($format:ident),* $(,)?) => {
        $(pub mod $format;)*

        /// Every format, in the order help lists them.
        pub static ALL: &[&Format] = &[$(&$format::FORMAT),*];
    };
}

registry! {
    jsonl,
    doccano,
    doccano_relations,
    conll,
    brat,
    csv,
    graph,
    prodigy,
    graphml,
    node_link,
    vlsp2018,
    parquet,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for f in ALL {
            assert!(std::ptr::eq(find(f.name).unwrap(), *f), "{f}");
            assert_eq!(ALL.iter().filter(|g| g.name == f.name).count(), 1, "{f}");
        }
        assert!(std::ptr::eq(find("JSONL").unwrap(), find("jsonl").unwrap()));
        assert_eq!(find("Doccano-Relations").unwrap().name, "doccano-relations");
        let e = find("xml").unwrap_err();
        assert!(e.contains("\"xml\"") && e.contains("jsonl, doccano"), "{e}");
    }

    #[test]
    fn offsets_are_taken_where_the_format_takes_them() {
        let doccano = find("doccano").unwrap();
        assert_eq!(doccano.offsets_given(None), Ok(Offsets::Utf16));
        assert_eq!(
            doccano.offsets_given(Some(Offsets::Codepoint)),
            Ok(Offsets::Codepoint)
        );
        assert_eq!(
            doccano.offsets_choices().collect::<Vec<_>>(),
            [None, Some(Offsets::Codepoint), Some(Offsets::Grapheme)]
        );
        let jsonl = find("jsonl").unwrap();
        assert_eq!(jsonl.offsets_choices().collect::<Vec<_>>(), [None]);
        let e = jsonl.offsets_given(Some(Offsets::Codepoint)).unwrap_err();
        assert_eq!(
            e,
            "--offsets applies to --format doccano, doccano-relations and parquet only"
        );
    }

    #[test]
    fn a_sentence_lists_the_names() {
        let fs: Vec<&Format> = ["jsonl", "csv", "brat"]
            .iter()
            .map(|n| find(n).unwrap())
            .collect();
        assert_eq!(listed(fs.iter().copied(), "or"), "jsonl, csv or brat");
        assert_eq!(listed(fs[..1].iter().copied(), "or"), "jsonl");
        assert_eq!(listed(fs[..0].iter().copied(), "or"), "");
    }
}
