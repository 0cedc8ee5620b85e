//! The article list of a corpus: paths, and a summary of each article once it has been read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::article::{Article, title_of};
use crate::text::{escape_path, sanitize_inline};

/// What the list shows of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub date: Option<String>,
    pub source: Option<String>,
    pub title: String,
    /// Tags per label name.
    pub tag_counts: BTreeMap<String, usize>,
    /// Why the article or its sidecar cannot be used, if so.
    pub problem: Option<String>,
    /// Review status (from the sidecar).
    pub status: crate::annotation::Status,
    /// Who tagged it (from the sidecar).
    pub annotators: std::collections::BTreeSet<String>,
}

impl Summary {
    /// Take the tag counts, status and annotators from an article's annotations.
    pub fn take_annotations(&mut self, set: &crate::annotation::AnnotationSet) {
        self.tag_counts = set.counts();
        self.status = set.article.status;
        self.annotators = set.tags().iter().map(|t| t.annotator.clone()).collect();
    }

    /// Summarise a loaded article (tag counts are filled by whoever reads the sidecar).
    pub fn of(article: &Article) -> Summary {
        Summary {
            date: article.meta.date.clone(),
            source: article.meta.source.as_deref().map(sanitize_inline),
            title: sanitize_inline(&title_of(&article.text, &article.meta)),
            tag_counts: BTreeMap::new(),
            problem: article
                .lossy
                .then(|| "not valid UTF-8: shown with replacements, read-only".to_string()),
            ..Summary::default()
        }
    }
}

/// One article of the corpus.
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    /// The path relative to the corpus root, escaped for display (`/` separated).
    pub name: String,
    /// Filled once the article has been read.
    pub summary: Option<Summary>,
}

/// All the articles of a corpus, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct ArticleList {
    pub root: PathBuf,
    pub entries: Vec<Entry>,
}

impl ArticleList {
    /// An index of `paths` below `root`, with no summaries yet.
    pub fn new(root: &Path, paths: Vec<PathBuf>) -> Self {
        let root_bytes = root.as_os_str().as_encoded_bytes();
        let entries = paths
            .into_iter()
            .map(|path| {
                // (on bytes: `Path::strip_prefix` compares component by component)
                let bytes = path.as_os_str().as_encoded_bytes();
                let name = match bytes.strip_prefix(root_bytes) {
                    Some([b'/', rest @ ..]) => match std::str::from_utf8(rest) {
                        Ok(s)
                            if !s.chars().any(|c| {
                                c.is_control() || crate::text::display::is_bidi_control(c)
                            }) =>
                        {
                            s.to_string()
                        }
                        _ => escape_path(path.strip_prefix(root).unwrap_or(&path)),
                    },
                    _ => escape_path(path.strip_prefix(root).unwrap_or(&path)),
                };
                Entry {
                    name,
                    path,
                    summary: None,
                }
            })
            .collect();
        ArticleList {
            root: root.to_path_buf(),
            entries,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The articles' paths, in list order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.entries.iter().map(|e| e.path.clone()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position of the article at `path`.
    pub fn position(&self, path: &Path) -> Option<usize> {
        self.entries.iter().position(|e| e.path == path)
    }
}
