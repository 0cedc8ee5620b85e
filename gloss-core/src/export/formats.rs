//! One writer per format, behind the [`crate::formats::RecordWriter`] trait. Each writes a document at a time, so
//! memory stays flat however large the corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::conll;
use super::record::Record;
use crate::error::{Error, Result};
use crate::formats::RecordWriter;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// CoNLL-2003 style IOB2.
pub struct Conll<W: Write> {
    pub out: W,
    pub name: PathBuf,
}

impl<W: Write> RecordWriter for Conll<W> {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let (text, dropped) = conll::document(doc);
        for d in dropped {
            warn(format!("{}: {d}", doc.id));
        }
        self.out
            .write_all(text.as_bytes())
            .map_err(io_err(&self.name))
    }

    fn finish(&mut self) -> Result<()> {
        self.out.flush().map_err(io_err(&self.name))
    }
}
