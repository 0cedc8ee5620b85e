//! One article with its checked tags, as every exporter and `stats` sees it.

use std::path::{Path, PathBuf};

pub use crate::annotation::TagFilter;
use crate::annotation::{Annotation, Status};
use crate::corpus::Meta;
use crate::error::{Error, Result};
use crate::store::{Document, SidecarDirs};

/// An article ready to export.
#[derive(Debug, Clone)]
pub struct Record {
    /// Path relative to the corpus root, `/`-separated.
    pub id: String,
    pub path: PathBuf,
    pub text: String,
    pub meta: Meta,
    /// Tags whose offsets are known to match the text, sorted by position.
    pub tags: Vec<Annotation>,
    /// The article's review status.
    pub status: Status,
}

/// The document id of an article: its path relative to the root with `/` separators.
pub fn document_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

impl Record {
    /// Read an article and its sidecar through the core [`Document`]: tags are re-anchored if the
    /// article changed (those found again are exported at their new offsets and counted in a
    /// warning), orphans are left out, each with a warning, and nothing is ever exported at offsets
    /// whose text differs from the tag's quoted text. An unreadable article or sidecar is an error.
    pub fn load(
        dirs: &SidecarDirs,
        path: &Path,
        filter: &TagFilter,
        warnings: &mut Vec<String>,
    ) -> Result<Record> {
        let doc = Document::open_checked(dirs, path)?;
        if doc.article().lossy {
            return Err(Error::invalid(
                path,
                "not valid UTF-8: offsets cannot be trusted, so it is not exported",
            ));
        }
        Ok(Record::of(&dirs.root, doc, filter, warnings))
    }

    /// The record of an open document.
    pub fn of(
        root: &Path,
        doc: Document,
        filter: &TagFilter,
        warnings: &mut Vec<String>,
    ) -> Record {
        let tags = doc.exportable(filter, warnings);
        let status = doc.status();
        let article = doc.article().clone();
        Record {
            id: document_id(root, &article.path),
            path: article.path,
            meta: article.meta,
            text: article.text,
            tags,
            status,
        }
    }
}
