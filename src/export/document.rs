//! One article with its checked tags, as every exporter and `stats` sees it.

use std::path::{Path, PathBuf};

use crate::annotation::{Annotation, Status};
use crate::corpus::{Article, Meta};
use crate::error::{Error, Result};
use crate::store::{Sidecar, quoted_at, sha256_hex, sidecar_path};
use crate::text::{CharIndex, escape_path, sanitize_inline};

/// An article ready to export.
#[derive(Debug, Clone)]
pub struct Document {
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

/// Which tags to keep.
#[derive(Debug, Clone, Default)]
pub struct TagFilter {
    /// Only these labels (all when `None`).
    pub labels: Option<Vec<String>>,
    /// Keep tags a reviewer rejected.
    pub include_rejected: bool,
}

impl TagFilter {
    pub fn keeps(&self, tag: &Annotation) -> bool {
        self.labels
            .as_ref()
            .is_none_or(|ls| ls.contains(&tag.label))
            && (self.include_rejected || !tag.is_rejected())
    }
}

/// The document id of an article: its path relative to the root with `/` separators.
pub fn document_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

impl Document {
    /// Read an article and its sidecar. Tags that no longer match the text (the article changed
    /// after tagging) are left out, each with a warning; an unreadable file is an error.
    pub fn load(
        root: &Path,
        path: &Path,
        annotations: Option<&Path>,
        filter: &TagFilter,
        warnings: &mut Vec<String>,
    ) -> Result<Document> {
        let article = Article::read(path)?;
        if article.lossy {
            return Err(Error::invalid(
                path,
                "not valid UTF-8: offsets cannot be trusted, so it is not exported",
            ));
        }
        let sc_path = sidecar_path(root, path, annotations);
        let sidecar = Sidecar::load(&sc_path)?;
        let mut tags = Vec::new();
        let mut status = Status::New;
        if let Some(sc) = sidecar {
            status = sc.status;
            let changed = sc.sha256 != sha256_hex(&article.text);
            let index = CharIndex::new(&article.text);
            for t in sc.tags {
                if !filter.keeps(&t) {
                    continue;
                }
                if t.orphaned {
                    warnings.push(format!(
                        "{}: tag {} ({} “{}”) is orphaned (its text was not found in the changed article): left out",
                        escape_path(&sc_path),
                        t.id,
                        t.label,
                        sanitize_inline(&t.text)
                    ));
                    continue;
                }
                if changed && quoted_at(&article.text, &index, t.start, t.end) != Some(&t.text) {
                    warnings.push(format!(
                        "{}: tag {} ({} “{}” at {}..{}) no longer matches the article text: left out",
                        escape_path(&sc_path),
                        t.id,
                        t.label,
                        sanitize_inline(&t.text),
                        t.start,
                        t.end
                    ));
                    continue;
                }
                if !changed && quoted_at(&article.text, &index, t.start, t.end).is_none() {
                    warnings.push(format!(
                        "{}: tag {} is out of the text's range: left out",
                        escape_path(&sc_path),
                        t.id
                    ));
                    continue;
                }
                tags.push(t);
            }
        }
        Ok(Document {
            id: document_id(root, path),
            path: path.to_path_buf(),
            meta: article.meta,
            text: article.text,
            tags,
            status,
        })
    }
}
