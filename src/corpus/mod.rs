//! A corpus: a folder of `.txt` articles. Finding them, parsing one, and the article list.

pub mod article;
pub mod config;
pub mod list;
pub mod sample;
pub mod search;

use std::fs;
use std::path::{Path, PathBuf};

pub use article::{Article, Meta};
pub use config::CorpusConfig;
pub use list::{ArticleList, Entry, Summary};

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
            // An unreadable sub-folder must not hide the rest of the corpus.
            Err(_) if dir != root => continue,
            Err(e) => return Err(Error::io(&dir, e)),
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                stack.push(path);
            } else if name.as_encoded_bytes().ends_with(b".txt") {
                out.push(path);
            }
            // links to folders are not followed: they may loop
        }
    }
    // Sorted as `Path`s compare (by component), but on bytes: `Path::cmp` parses components on
    // every comparison, which dominates opening a corpus of 100,000 articles.
    out.sort_unstable_by(|a, b| {
        path_order(
            a.as_os_str().as_encoded_bytes(),
            b.as_os_str().as_encoded_bytes(),
        )
    });
    Ok(out)
}

/// Byte order with the separator first, which is the order of paths by component.
fn path_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let key = |c: u8| if c == b'/' { 0 } else { c as u16 + 1 };
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match (a.get(same), b.get(same)) {
        (Some(&x), Some(&y)) => key(x).cmp(&key(y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_matches_path_order() {
        let mut paths: Vec<PathBuf> = [
            "a-b/x.txt",
            "a/b.txt",
            "a/b/c.txt",
            "a.txt",
            "b.txt",
            "a/a.txt",
            "Z.txt",
            "đ.txt",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let mut by_path = paths.clone();
        by_path.sort();
        paths.sort_unstable_by(|a, b| {
            path_order(
                a.as_os_str().as_encoded_bytes(),
                b.as_os_str().as_encoded_bytes(),
            )
        });
        assert_eq!(paths, by_path);
    }

    #[test]
    fn discovers_txt_files_recursively_skipping_hidden() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("sub/deeper")).unwrap();
        std::fs::create_dir_all(d.path().join(".hidden")).unwrap();
        for p in [
            "b.txt",
            "a.txt",
            "sub/c.txt",
            "sub/deeper/d.txt",
            ".hidden/e.txt",
            "x.ron",
            "y.md",
        ] {
            std::fs::write(d.path().join(p), "x").unwrap();
        }
        let found: Vec<String> = discover(d.path())
            .unwrap()
            .iter()
            .map(|p| {
                p.strip_prefix(d.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(found, ["a.txt", "b.txt", "sub/c.txt", "sub/deeper/d.txt"]);
        assert!(discover(&d.path().join("a.txt")).is_err());
    }
}
