//! Changes to articles that are not open, each through its [`Document`] (so under the same rules as
//! an edit in the reader, saved under the lock and merged with another writer's save): tag-all
//! across a corpus, counted and then applied, with progress; and the replay of such a step's
//! changes, for undo and redo.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Document, SidecarDirs};
use crate::annotation::{AnnotationSet, Change};
use crate::error::{Error, Result};

/// Tag every occurrence of a text as a label (what `*` does in one article) across articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagAll {
    pub label: String,
    pub text: String,
    /// The entity the new tags link to (the copied tag's).
    pub entity: Option<String>,
    pub annotator: String,
}

/// What changing several articles did: per article the changes made and its annotations after,
/// and the articles that could not be changed, one line each naming the file.
#[derive(Debug, Default)]
pub struct Changed {
    pub changed: Vec<(PathBuf, Vec<Change>, AnnotationSet)>,
    pub failed: Vec<String>,
}

impl TagAll {
    /// The changes tag-all makes in `doc` (not applied).
    pub fn changes_in(&self, doc: &Document) -> Vec<Change> {
        doc.tag_all(
            &self.label,
            &self.text,
            self.entity.as_deref(),
            &self.annotator,
        )
    }

    /// The code points tag-all would tag in `doc`.
    pub fn places_in(&self, doc: &Document) -> Vec<Range<usize>> {
        self.changes_in(doc)
            .iter()
            .filter_map(|c| c.tag().map(|t| t.start..t.end))
            .collect()
    }

    /// Count across `articles` (an entry and its path), each read through its document; an article
    /// that cannot be tagged (read-only, its sidecar broken) is left out, as it would be by
    /// [`TagAll::apply`]. `progress(done, total)` after each article; `false` from it stops.
    pub fn count(
        &self,
        dirs: &SidecarDirs,
        articles: &[(usize, PathBuf)],
        mut progress: impl FnMut(usize, usize) -> bool,
    ) -> Vec<(usize, Vec<Range<usize>>)> {
        let mut out = Vec::new();
        for (i, (entry, path)) in articles.iter().enumerate() {
            if let Ok(doc) = Document::open(dirs, path)
                && doc.read_only().is_none()
            {
                let places = self.places_in(&doc);
                if !places.is_empty() {
                    out.push((*entry, places));
                }
            }
            if !progress(i + 1, articles.len()) {
                break;
            }
        }
        out
    }

    /// Tag the occurrences in `articles`, each through its document on disk (found again under the
    /// rules, whatever changed since counting). `progress(done, total)` after each article.
    pub fn apply(
        &self,
        dirs: &SidecarDirs,
        articles: &[PathBuf],
        mut progress: impl FnMut(usize, usize),
    ) -> Changed {
        let mut out = Changed::default();
        for (i, path) in articles.iter().enumerate() {
            match change_on_disk(dirs, path, |doc| {
                let all = self.changes_in(doc);
                doc.edit_from_elsewhere(all).into_changes()
            }) {
                Ok((changes, set)) if !changes.is_empty() => {
                    out.changed.push((path.clone(), changes, set))
                }
                Ok(_) => {}
                Err(e) => out.failed.push(e.to_string()),
            }
            progress(i + 1, articles.len());
        }
        out
    }
}

/// A tag that names an entity, as the corpus's sidecars hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The article's position in the list.
    pub entry: usize,
    pub entity: String,
    /// Its code points in the article.
    pub chars: Range<usize>,
    pub label: String,
    pub text: String,
}

/// The tags of `articles` (an entry and its path) that name an entity, each read through its
/// document (orphaned and rejected ones too: they name it all the same). A sidecar that does not
/// say `entity` is not opened.
pub fn mentions(dirs: &SidecarDirs, articles: &[(usize, PathBuf)]) -> Vec<Mention> {
    let mut out = Vec::new();
    let finder = memchr::memmem::Finder::new(b"entity");
    for (entry, path) in articles {
        let names =
            std::fs::read(dirs.sidecar_of(path)).is_ok_and(|bytes| finder.find(&bytes).is_some());
        if !names {
            continue;
        }
        let Ok(doc) = Document::open(dirs, path) else {
            continue;
        };
        out.extend(doc.tags().iter().filter_map(|t| {
            Some(Mention {
                entry: *entry,
                entity: t.entity.clone()?,
                chars: t.start..t.end,
                label: t.label.clone(),
                text: t.text.clone(),
            })
        }));
    }
    out
}

/// The changes that move every tag of `doc` naming the entity `from` to the entity `into`.
pub fn relink_changes(doc: &Document, from: &str, into: &str) -> Vec<Change> {
    doc.tags()
        .iter()
        .filter(|t| t.entity.as_deref() == Some(from))
        .map(|t| {
            let mut after = t.clone();
            after.entity = Some(into.to_string());
            Change::update(t.clone(), after)
        })
        .collect()
}

/// Move the tags naming the entity `from` to `into` in `articles` (a merge of two entities), each
/// through its document on disk, saved under the lock; the article's status stays as it is.
pub fn relink(dirs: &SidecarDirs, articles: &[PathBuf], from: &str, into: &str) -> Changed {
    let mut out = Changed::default();
    let quoted = format!("\"{}\"", from.escape_debug());
    let finder = memchr::memmem::Finder::new(quoted.as_bytes());
    for path in articles {
        let names = std::fs::read(dirs.sidecar_of(path)).is_ok_and(|b| finder.find(&b).is_some());
        if !names {
            continue;
        }
        match change_on_disk(dirs, path, |doc| {
            let all = relink_changes(doc, from, into);
            doc.edit_from_elsewhere(all).into_changes()
        }) {
            Ok((changes, set)) if !changes.is_empty() => {
                out.changed.push((path.clone(), changes, set))
            }
            Ok(_) => {}
            Err(e) => out.failed.push(e.to_string()),
        }
    }
    out
}

/// Change the article at `path` through its document: open it (a sidecar that cannot be read is an
/// error, never overwritten), `change` it, save if anything changed. Returns the changes made and
/// the annotations after.
pub fn change_on_disk(
    dirs: &SidecarDirs,
    path: &Path,
    change: impl FnOnce(&mut Document) -> Vec<Change>,
) -> Result<(Vec<Change>, AnnotationSet)> {
    let mut doc = Document::open(dirs, path)?;
    if let Some(e) = doc.sidecar_error() {
        return Err(Error::invalid(doc.sidecar_path(), e.to_string()));
    }
    let changes = change(&mut doc);
    doc.save_if_changed()?;
    Ok((changes, doc.annotations().clone()))
}

/// Apply recorded changes exactly as recorded to articles that are not open (the undo or redo of a
/// step that changed them).
pub fn replay(dirs: &SidecarDirs, steps: &[(PathBuf, Vec<Change>)]) -> Changed {
    let mut out = Changed::default();
    for (path, changes) in steps {
        match change_on_disk(dirs, path, |doc| {
            doc.replay(changes);
            changes.clone()
        }) {
            Ok((changes, set)) => out.changed.push((path.clone(), changes, set)),
            Err(e) => out.failed.push(e.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn tag_all_counts_and_applies_through_each_document_and_replays_back() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.txt");
        let b = d.path().join("b.txt");
        let c = d.path().join("c.txt");
        fs::write(&a, "Ông Tô Lâm nói. Tô Lâm đi.").unwrap();
        fs::write(&b, "Không có ai.").unwrap();
        fs::write(&c, "Tô Lâm.").unwrap();
        // c's sidecar is broken: never counted, never written
        fs::write(d.path().join("c.ron"), "(broken").unwrap();
        let dirs = SidecarDirs::new(d.path(), None);
        let spec = TagAll {
            label: "PERSON".into(),
            text: "Tô Lâm".into(),
            entity: Some("person-to-lam".into()),
            annotator: "me".into(),
        };
        let articles = vec![(0, a.clone()), (1, b.clone()), (2, c.clone())];
        let mut seen = Vec::new();
        let counted = spec.count(&dirs, &articles, |done, total| {
            seen.push((done, total));
            true
        });
        assert_eq!(counted, vec![(0, vec![4..10, 16..22])]);
        assert_eq!(seen, [(1, 3), (2, 3), (3, 3)]);
        let applied = spec.apply(&dirs, &[a.clone(), c.clone()], |_, _| {});
        assert_eq!(applied.changed.len(), 1);
        assert_eq!(applied.failed.len(), 1, "{:?}", applied.failed);
        assert!(applied.failed[0].contains("c.ron"), "{:?}", applied.failed);
        assert_eq!(
            fs::read_to_string(d.path().join("c.ron")).unwrap(),
            "(broken"
        );
        let doc = Document::open(&dirs, &a).unwrap();
        let linked: Vec<Option<&str>> = doc.tags().iter().map(|t| t.entity.as_deref()).collect();
        assert_eq!(linked, [Some("person-to-lam"), Some("person-to-lam")]);
        // the inverse of the step takes them away again
        let (path, changes, _) = &applied.changed[0];
        let inverse: Vec<Change> = changes.iter().rev().map(Change::inverse).collect();
        let back = replay(&dirs, &[(path.clone(), inverse)]);
        assert!(back.failed.is_empty());
        assert!(Document::open(&dirs, &a).unwrap().tags().is_empty());
    }

    #[test]
    fn mentions_are_found_and_relinked_in_every_sidecar_and_back() {
        let d = tempfile::tempdir().unwrap();
        let (a, b) = (d.path().join("a.txt"), d.path().join("b.txt"));
        fs::write(&a, "Ông Tô Lâm nói.").unwrap();
        fs::write(&b, "Bộ trưởng Tô Lâm đi.").unwrap();
        let dirs = SidecarDirs::new(d.path(), None);
        for (p, who) in [(&a, "person-lam"), (&b, "person-to-lam")] {
            let mut doc = Document::open(&dirs, p).unwrap();
            let all = doc.tag_all("PERSON", "Tô Lâm", Some(who), "me");
            doc.edit(all);
            doc.save().unwrap();
        }
        let articles = vec![(0, a.clone()), (1, b.clone())];
        let found = mentions(&dirs, &articles);
        let who: Vec<&str> = found.iter().map(|m| m.entity.as_str()).collect();
        assert_eq!(who, ["person-lam", "person-to-lam"]);
        assert_eq!(found[1].entry, 1);
        let done = relink(
            &dirs,
            &[a.clone(), b.clone()],
            "person-lam",
            "person-to-lam",
        );
        assert_eq!(done.changed.len(), 1, "only a names it");
        let found = mentions(&dirs, &articles);
        assert!(
            found.iter().all(|m| m.entity == "person-to-lam"),
            "{found:?}"
        );
        let (path, changes, _) = &done.changed[0];
        let inverse: Vec<Change> = changes.iter().rev().map(Change::inverse).collect();
        replay(&dirs, &[(path.clone(), inverse)]);
        assert_eq!(mentions(&dirs, &articles)[0].entity, "person-lam");
    }
}
