//! Annotations on disk: the RON sidecar beside each article ([`sidecar`]: what it holds, reading it
//! with the hash of its bytes, its layout), the open annotated article ([`Document`], the one way
//! anything reads or changes a sidecar, saved under the sidecar's lock), the one three-way merge of
//! two versions of a sidecar ([`merge`], which the git merge driver uses too), changes to articles
//! that are not open ([`corpus_edit`]: corpus tag-all, its undo), the tags a failed save kept in
//! the data folder and their merge back ([`recovery`]), re-anchoring tags when an article changed ([`reanchor`]), the
//! metadata scan ([`scan`]) and its binary cache ([`scan_cache`]), the corpus-wide tag index
//! ([`tag_index`]) and the session memory of where each corpus was left ([`session`]).

pub mod corpus_edit;
pub mod document;
pub mod merge;
pub mod raw;
pub mod reanchor;
pub mod recovery;
pub mod scan;
pub mod scan_cache;
pub mod session;
pub mod sidecar;
pub mod tag_index;
pub mod tagged_search;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use document::{Document, Edited, Opened, Refused, SaveDone, SaveFailed, SaveJob, Saved};
pub use sidecar::{FORMAT_VERSION, MAX_SIDECAR_BYTES, Sidecar};

use crate::error::{Error, Result};
use crate::text::CharIndex;

/// Where a corpus's sidecars live: beside the articles below `root`, or in a mirror tree under
/// `annotations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidecarDirs {
    pub root: PathBuf,
    pub annotations: Option<PathBuf>,
}

impl SidecarDirs {
    pub fn new(root: &Path, annotations: Option<&Path>) -> SidecarDirs {
        SidecarDirs {
            root: root.to_path_buf(),
            annotations: annotations.map(Path::to_path_buf),
        }
    }

    /// Can sidecars be written here? Asked of the folder itself (a probe file is made and removed),
    /// which also catches read-only mounts. `Err` says why not, for the user.
    pub fn check_writable(&self) -> std::result::Result<(), String> {
        let dir = self.annotations.as_deref().unwrap_or(&self.root);
        if self.annotations.is_some() && !dir.exists() {
            return std::fs::create_dir_all(dir)
                .map_err(|e| format!("{}: {e}", crate::text::escape_path(dir)));
        }
        let probe = dir.join(format!(".gloss-probe-{}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
        {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
                Ok(())
            }
            Err(e) => Err(format!("{}: {e}", crate::text::escape_path(dir))),
        }
    }

    /// The sidecar of `article`.
    pub fn sidecar_of(&self, article: &Path) -> PathBuf {
        sidecar_path(&self.root, article, self.annotations.as_deref())
    }
}

/// Hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    sha256_hex_bytes(text.as_bytes())
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The text of a sidecar file's bytes (`path` names it in the error).
fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            path,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

/// Where the sidecar of `article` lives: beside it, or in a mirror tree under `annotations`.
pub fn sidecar_path(root: &Path, article: &Path, annotations: Option<&Path>) -> PathBuf {
    match annotations {
        Some(dir) => {
            let rel = article.strip_prefix(root).unwrap_or(article);
            dir.join(rel).with_extension("ron")
        }
        None => article.with_extension("ron"),
    }
}

/// `text[start:end]` in code points, if in range.
pub fn quoted_at<'t>(
    text: &'t str,
    index: &CharIndex,
    start: usize,
    end: usize,
) -> Option<&'t str> {
    let a = index.char_to_byte(text, start)?;
    let b = index.char_to_byte(text, end)?;
    (a <= b).then(|| &text[a..b])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_paths() {
        let root = Path::new("/c");
        let a = Path::new("/c/sub/x.txt");
        assert_eq!(sidecar_path(root, a, None), Path::new("/c/sub/x.ron"));
        assert_eq!(
            sidecar_path(root, a, Some(Path::new("/ann"))),
            Path::new("/ann/sub/x.ron")
        );
        let dirs = SidecarDirs::new(root, Some(Path::new("/ann")));
        assert_eq!(dirs.sidecar_of(a), Path::new("/ann/sub/x.ron"));
    }
}
