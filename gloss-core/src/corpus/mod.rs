//! A corpus: a folder of `.txt` articles. Finding them, parsing one, and the article list; its
//! settings (`gloss.ron`) and the suggestion patterns they hold, as data.

pub mod article;
pub mod assigned;
pub mod config;
pub mod guide;
pub mod list;
pub mod paths;
pub mod patterns;
pub mod prefilter;

pub mod search;

use std::fs;
use std::path::{Path, PathBuf};

pub use article::{Article, Meta};
pub use config::CorpusConfig;
pub use list::{ArticleList, Summary};
pub use paths::PathList;

use crate::entity::ENTITIES_FILE;
use crate::error::{Error, Result};
use assigned::ASSIGNMENT_FILE;
use config::CORPUS_CONFIG;

/// What [`discover`] found: the articles, and what it could not look into.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Every `*.txt` regular file (or link to one) below the root, sorted by path.
    pub articles: PathList,
    /// Sub-folders that could not be read, and `*.txt` entries that are not regular files (FIFOs,
    /// devices, sockets: never opened, so never waited on).
    pub problems: Vec<Error>,
}

/// What a folder holds that discovery cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Folder,
    Article,
    Sidecar,
}

/// One folder being walked: its path relative to the root (with a trailing `/`, or empty for the
/// root), its sub-folders and articles sorted by name, and the next one to take.
struct Walk {
    prefix: Vec<u8>,
    names: Vec<u8>,
    /// (name start, name end, kind, for an article: a sidecar beside it)
    items: Vec<(usize, usize, Kind, bool)>,
    next: usize,
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
///
/// The walk is depth first with each folder's names sorted, which yields paths in path order
/// without sorting them all (the names of one folder are short to compare).
pub fn discover(root: &Path) -> Result<Discovered> {
    let mut found = Discovered {
        articles: PathList::new(root),
        problems: Vec::new(),
    };
    walk(root, &mut found.problems, |rel, kind, seen| {
        if kind == Kind::Article {
            found.articles.push_walked(rel, seen);
        }
    })?;
    found.articles.shrink();
    Ok(found)
}

/// Every sidecar (`*.ron`) below `root`, sorted by path, by the walk [`discover`] makes (hidden
/// folders and files skipped, unreadable sub-folders reported beside them): the files of an
/// `--annotations` mirror tree, which holds no articles. (In a corpus, sidecars are found from
/// their articles, and the corpus's own files, `gloss.ron` and `entities.ron`, are none.)
pub fn discover_sidecars(root: &Path) -> Result<(PathList, Vec<Error>)> {
    let (mut sidecars, mut problems) = (PathList::new(root), Vec::new());
    walk(root, &mut problems, |rel, kind, _| {
        if kind == Kind::Sidecar {
            sidecars.push(rel);
        }
    })?;
    sidecars.shrink();
    Ok((sidecars, problems))
}

/// The walk below `root`: each article and sidecar (relative path, kind, for an article whether
/// a sidecar stands beside it) handed to `found` in path order; what cannot be read goes to
/// `problems`.
fn walk(
    root: &Path,
    problems: &mut Vec<Error>,
    mut found: impl FnMut(&[u8], Kind, bool),
) -> Result<()> {
    let meta = fs::metadata(root).map_err(|e| Error::io(root, e))?;
    if !meta.is_dir() {
        return Err(Error::invalid(root, "is not a folder"));
    }
    let first = read_folder(root, Vec::new(), problems)?;
    let mut stack = vec![first];
    let mut rel = Vec::new();
    while let Some(top) = stack.last_mut() {
        let Some(&(start, end, kind, seen)) = top.items.get(top.next) else {
            stack.pop();
            continue;
        };
        top.next += 1;
        rel.clear();
        rel.extend_from_slice(&top.prefix);
        rel.extend_from_slice(&top.names[start..end]);
        match kind {
            Kind::Article | Kind::Sidecar => found(&rel, kind, seen),
            Kind::Folder => {
                let path = root.join(os_path(&rel));
                let mut prefix = rel.clone();
                prefix.push(b'/');
                match read_folder(&path, prefix, problems) {
                    Ok(w) => stack.push(w),
                    // An unreadable sub-folder must not hide the rest of the corpus, nor go unsaid.
                    Err(e) => problems.push(e),
                }
            }
        }
    }
    Ok(())
}

/// `bytes` (from `as_encoded_bytes` of names read from the OS) as a path.
fn os_path(bytes: &[u8]) -> &Path {
    // SAFETY: made of names the OS gave (`as_encoded_bytes`) joined by `/`, in this process.
    Path::new(unsafe { std::ffi::OsStr::from_encoded_bytes_unchecked(bytes) })
}

/// The sub-folders and articles of the folder at `dir`, sorted by name.
fn read_folder(dir: &Path, prefix: Vec<u8>, problems: &mut Vec<Error>) -> Result<Walk> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut names = Vec::new();
    let mut items = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Error::io(dir, e));
                continue;
            }
        };
        let name = entry.file_name();
        let name = name.as_encoded_bytes();
        if name.starts_with(b".") {
            continue;
        }
        let Ok(ft) = entry.file_type() else { continue };
        let kind = if ft.is_dir() {
            Kind::Folder
        } else if name.ends_with(b".ron") {
            Kind::Sidecar
        } else if !name.ends_with(b".txt") {
            continue;
        } else if ft.is_file() {
            Kind::Article
        } else if ft.is_symlink() {
            // links to files are followed, links to folders are not (they may loop)
            let path = entry.path();
            match fs::metadata(&path) {
                Ok(m) if m.is_file() => Kind::Article,
                Ok(m) if m.is_dir() => continue,
                Ok(m) => {
                    problems.push(not_regular(&path, &m));
                    continue;
                }
                Err(e) => {
                    problems.push(Error::io(&path, e));
                    continue;
                }
            }
        } else {
            if let Ok(m) = entry.metadata() {
                problems.push(not_regular(&entry.path(), &m));
            }
            continue;
        };
        if prefix.is_empty()
            && let Some(own) = reserved_sidecar(name, kind)
        {
            if kind == Kind::Article {
                problems.push(Error::invalid(
                    &entry.path(),
                    format!(
                        "is not opened: its sidecar would be {own}, the name of the corpus's own {}; rename the article to annotate it",
                        match own {
                            ENTITIES_FILE => "entity registry",
                            ASSIGNMENT_FILE => "assignment",
                            _ => "settings",
                        }
                    ),
                ));
            }
            continue;
        }
        let start = names.len();
        names.extend_from_slice(name);
        items.push((start, names.len(), kind, false));
    }
    items.sort_unstable_by(|a, b| names[a.0..a.1].cmp(&names[b.0..b.1]));
    // which articles have `NAME.ron` beside them (the scan then looks up only those)
    let mut key = Vec::new();
    for k in 0..items.len() {
        let (start, end, kind, _) = items[k];
        if kind == Kind::Article {
            key.clear();
            key.extend_from_slice(&names[start..end - 4]);
            key.extend_from_slice(b".ron");
            items[k].3 = items
                .binary_search_by(|it| names[it.0..it.1].cmp(&key))
                .is_ok_and(|j| items[j].2 == Kind::Sidecar);
        }
    }
    Ok(Walk {
        prefix,
        names,
        items,
        next: 0,
    })
}

/// At the root, the files gloss keeps for the corpus (`entities.ron`, `gloss.ron`,
/// `assignment.ron`) are no sidecars, and an article whose sidecar would take one of those names
/// (`entities.txt`, `gloss.txt`, `assignment.txt`) is no article: the corpus's own file named by `name` of `kind`, if it is one.
fn reserved_sidecar(name: &[u8], kind: Kind) -> Option<&'static str> {
    let stem = match kind {
        Kind::Article => name.strip_suffix(b".txt")?,
        Kind::Sidecar => name.strip_suffix(b".ron")?,
        Kind::Folder => return None,
    };
    [ENTITIES_FILE, CORPUS_CONFIG, ASSIGNMENT_FILE]
        .into_iter()
        .find(|own| own.as_bytes().strip_suffix(b".ron") == Some(stem))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::paths::path_order;
    use std::path::PathBuf;

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

    #[test]
    fn an_article_whose_sidecar_would_be_the_corpus_s_own_file_is_named_not_listed() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("sub")).unwrap();
        for p in [
            "entities.txt",
            "gloss.txt",
            "assignment.txt",
            "a.txt",
            "entities.ron",
            "gloss.ron",
            "assignment.ron",
            "a.ron",
            "sub/entities.txt",
            "sub/entities.ron",
        ] {
            std::fs::write(d.path().join(p), "x").unwrap();
        }
        let found = discover(d.path()).unwrap();
        let rel = |l: &PathList| -> Vec<String> {
            (0..l.len())
                .map(|i| l.rel(i).to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(rel(&found.articles), ["a.txt", "sub/entities.txt"]);
        let mut problems: Vec<String> = found.problems.iter().map(|e| e.to_string()).collect();
        problems.sort();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].contains("assignment.txt") && problems[0].contains("own assignment"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains("entities.txt") && problems[1].contains("entity registry"),
            "{problems:?}"
        );
        assert!(
            problems[2].contains("gloss.txt") && problems[2].contains("settings"),
            "{problems:?}"
        );
        // the root's own files are no sidecars of a mirror tree either
        let (sidecars, _) = discover_sidecars(d.path()).unwrap();
        assert_eq!(rel(&sidecars), ["a.ron", "sub/entities.ron"]);
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
        let mut problems: Vec<String> = found.problems.iter().map(|e| e.to_string()).collect();
        problems.sort();
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
