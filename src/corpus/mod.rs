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

/// What [`discover`] found: the articles, and what it could not look into.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Every `*.txt` regular file (or link to one) below the root, sorted by path.
    pub articles: Vec<PathBuf>,
    /// Sub-folders that could not be read, and `*.txt` entries that are not regular files (FIFOs,
    /// devices, sockets: never opened, so never waited on).
    pub problems: Vec<Error>,
}

/// The canonical path of the corpus folder `dir`, or the one message every entry point gives when
/// it is not one: "DIR: is not a folder" (or why it cannot be opened), naming `dir` as given.
pub fn open_root(dir: &Path) -> Result<PathBuf> {
    match dir.canonicalize() {
        Ok(r) if r.is_dir() => Ok(r),
        Ok(_) => Err(Error::invalid(dir, "is not a folder")),
        Err(e) => Err(Error::invalid(
            dir,
            format!("cannot open the corpus folder: {e}"),
        )),
    }
}

/// Every `*.txt` file below `root` (recursively, hidden folders skipped), sorted by path; an
/// unreadable sub-folder or a `*.txt` that is not a regular file is a problem reported beside them.
pub fn discover(root: &Path) -> Result<Discovered> {
    let meta = fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !meta.is_dir() {
        return Err(Error::invalid(root, "is not a folder"));
    }
    let mut found = Discovered::default();
    let out = &mut found.articles;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            // An unreadable sub-folder must not hide the rest of the corpus, nor go unsaid.
            Err(e) if dir != root => {
                found.problems.push(Error::io(&dir, e));
                continue;
            }
            Err(e) => return Err(Error::io(&dir, e)),
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    found.problems.push(Error::io(&dir, e));
                    continue;
                }
            };
            let name = entry.file_name();
            if name.as_encoded_bytes().starts_with(b".") {
                continue;
            }
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                stack.push(path);
            } else if name.as_encoded_bytes().ends_with(b".txt") {
                if ft.is_file() {
                    out.push(path);
                } else if ft.is_symlink() {
                    // links to files are followed, links to folders are not (they may loop)
                    match fs::metadata(&path) {
                        Ok(m) if m.is_file() => out.push(path),
                        Ok(m) if m.is_dir() => {}
                        Ok(m) => found.problems.push(not_regular(&path, &m)),
                        Err(e) => found.problems.push(Error::io(&path, e)),
                    }
                } else if let Ok(m) = entry.metadata() {
                    found.problems.push(not_regular(&path, &m));
                }
            }
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
    Ok(found)
}

fn not_regular(path: &Path, m: &fs::Metadata) -> Error {
    Error::invalid(
        path,
        format!(
            "is {}, not a regular file: skipped",
            crate::files::kind_of(m)
        ),
    )
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
            .articles
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

    #[cfg(unix)]
    #[test]
    fn fifos_devices_and_unreadable_folders_are_reported_not_read() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), "x").unwrap();
        let fifo = d.path().join("pipe.txt");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        std::os::unix::fs::symlink("/dev/zero", d.path().join("zero.txt")).unwrap();
        std::os::unix::fs::symlink(d.path().join("a.txt"), d.path().join("link.txt")).unwrap();
        let found = discover(d.path()).unwrap();
        let names: Vec<_> = found
            .articles
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.txt", "link.txt"]);
        let problems: Vec<String> = found.problems.iter().map(|e| e.to_string()).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("pipe.txt") && p.contains("FIFO"))
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("zero.txt") && p.contains("device"))
        );
        // reading one directly never blocks either
        let e = crate::files::read_limited(&fifo, 100, "an article").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }
}
