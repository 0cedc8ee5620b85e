//! A corpus: a folder of `.txt` articles. Finding them, parsing one, and the article list.

pub mod article;
pub mod index;
pub mod sample;
pub mod search;

use std::fs;
use std::path::{Path, PathBuf};

pub use article::{Article, Meta};
pub use index::{CorpusIndex, Entry, Summary};

use crate::error::{Error, Result};

/// Every `*.txt` file below `root` (recursively, hidden folders skipped), sorted by path.
pub fn discover(root: &Path) -> Result<Vec<PathBuf>> {
    let meta = fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !meta.is_dir() {
        return Err(Error::invalid(root, "is not a folder"));
    }
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if dir != root => {
                // An unreadable sub-folder must not hide the rest of the corpus.
                let _ = e;
                continue;
            }
            Err(e) => return Err(Error::io(&dir, e)),
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                out.push(path);
            } else if ft.is_symlink() && path.is_dir() {
                // do not follow links to folders: they may loop
            }
        }
    }
    out.sort();
    Ok(out)
}
