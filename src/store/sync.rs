//! Saving a sidecar that another gloss may be writing too: writers take a lock on `<stem>.ron.lock`
//! (a lock on the sidecar itself would be lost when the file is renamed over), and before writing,
//! a sidecar that changed on disk since it was read (by content hash) is merged, not overwritten.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use super::Sidecar;
use crate::annotation::AnnotationSet;
use crate::annotation::merge::three_way;
use crate::error::{Error, Result};

/// A sidecar as read, with the hash of its bytes.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub sidecar: Option<Sidecar>,
    /// SHA-256 of the file's bytes; `None` when there was no file.
    pub hash: Option<String>,
}

/// What a save did.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The annotations now on disk (ours, merged with the other session's when it saved meanwhile).
    pub set: AnnotationSet,
    /// Hash of the bytes written.
    pub hash: String,
    /// Changes taken from the other session.
    pub merged: usize,
    /// Conflicts, one line each (both versions were kept).
    pub conflicts: Vec<String>,
}

/// The lock file of a sidecar: `<stem>.ron.lock`.
pub fn lock_path(sidecar: &Path) -> PathBuf {
    let mut name = sidecar.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    sidecar.with_file_name(name)
}

/// An exclusive lock on a sidecar's lock file, released when dropped.
pub struct SidecarLock(File);

impl SidecarLock {
    pub fn acquire(sidecar: &Path) -> Result<SidecarLock> {
        let p = lock_path(sidecar);
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&p)
            .map_err(|e| Error::io(&p, e))?;
        f.lock().map_err(|e| Error::io(&p, e))?;
        Ok(SidecarLock(f))
    }
}

impl Drop for SidecarLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Read the sidecar at `path` with the hash of its bytes.
pub fn read(path: &Path) -> Result<Snapshot> {
    let Some(contents) = crate::files::read_limited(path, super::MAX_SIDECAR_BYTES, "a sidecar")?
    else {
        return Ok(Snapshot::default());
    };
    let hash = super::sha256_hex_bytes(&contents.bytes);
    let text = super::decode(path, contents.bytes)?;
    Ok(Snapshot {
        sidecar: Some(Sidecar::parse(path, &text)?),
        hash: Some(hash),
    })
}

/// Save `ours` to `path` under the lock. `base` is what was read (the annotations and the file's
/// hash); if the file changed since, the other session's changes are merged in. A file that changed
/// and no longer parses is not overwritten: the save fails.
pub fn save(
    path: &Path,
    base: &AnnotationSet,
    base_hash: Option<&str>,
    mut ours: Sidecar,
) -> Result<Saved> {
    let _lock = SidecarLock::acquire(path)?;
    let now = read(path)?;
    let mut merged = 0;
    let mut conflicts = Vec::new();
    if now.hash.as_deref() != base_hash
        && let Some(theirs) = now.sidecar
    {
        let m = three_way(base.tags(), &ours.tags, &theirs.tags);
        merged = m.theirs_applied;
        conflicts = m.conflicts;
        ours.tags = AnnotationSet::new(m.tags).into_vec();
        let base_article = (
            base.article.status,
            base.article.comment.clone(),
            base.article.rejected.clone(),
            base.article.suggested.clone(),
        );
        let our_article = (
            ours.status,
            ours.comment.clone(),
            ours.rejected.clone(),
            ours.suggested.clone(),
        );
        let their_article = (
            theirs.status,
            theirs.comment.clone(),
            theirs.rejected,
            theirs.suggested,
        );
        if their_article != base_article && their_article != our_article {
            if our_article == base_article {
                (ours.status, ours.comment, ours.rejected, ours.suggested) = their_article;
                merged += 1;
            } else {
                conflicts.push(format!(
                    "the article's status or comment was changed in both sessions: this session's ({}) is kept",
                    ours.status.name()
                ));
            }
        }
        for (n, v) in theirs.extra {
            if !ours.extra.iter().any(|(k, _)| *k == n) {
                ours.extra.push((n, v));
            }
        }
    }
    let text = ours.to_ron();
    crate::files::write_atomic(path, text.as_bytes())?;
    Ok(Saved {
        set: ours.annotation_set(),
        hash: super::sha256_hex_bytes(text.as_bytes()),
        merged,
        conflicts,
    })
}

/// Change the annotations of an article that is not open: read its sidecar, let `change` edit them
/// (it returns `false` when there is nothing to write), save (merging with any writer that saved
/// meanwhile). Fields from a newer gloss are kept. `Ok(None)`: nothing written.
pub fn update(
    sidecar: &Path,
    article: &Path,
    text: &str,
    change: impl FnOnce(&mut AnnotationSet) -> bool,
) -> Result<Option<Saved>> {
    let snap = read(sidecar)?;
    let base = snap
        .sidecar
        .as_ref()
        .map(|s| s.annotation_set())
        .unwrap_or_default();
    let mut set = base.clone();
    if !change(&mut set) {
        return Ok(None);
    }
    let mut ours = Sidecar::new(article, text, &set);
    if let Some(old) = snap.sidecar {
        ours.extra = old.extra;
    }
    save(sidecar, &base, snap.hash.as_deref(), ours).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Annotation;

    #[test]
    fn two_sessions_merge_instead_of_overwriting() {
        let dir = tempfile::tempdir().unwrap();
        let article = dir.path().join("a.txt");
        let text = "Tô Lâm và Trương Thị Mai";
        let p = dir.path().join("a.ron");
        // both sessions start from an empty sidecar
        let a = Annotation::new("PERSON", 0, 6, "Tô Lâm", "one");
        let b = Annotation::new("PERSON", 10, 24, "Trương Thị Mai", "two");
        let s1 = save(
            &p,
            &AnnotationSet::default(),
            None,
            Sidecar::new(&article, text, &AnnotationSet::new(vec![a.clone()])),
        )
        .unwrap();
        assert_eq!(s1.merged, 0);
        // the second session never saw the first one's save
        let s2 = save(
            &p,
            &AnnotationSet::default(),
            None,
            Sidecar::new(&article, text, &AnnotationSet::new(vec![b.clone()])),
        )
        .unwrap();
        assert_eq!(s2.merged, 1);
        let on_disk = read(&p).unwrap().sidecar.unwrap();
        let ids: Vec<&str> = on_disk.tags.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, [a.id.as_str(), b.id.as_str()]);
        assert!(lock_path(&p).exists());
    }

    #[test]
    fn a_broken_file_on_disk_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        std::fs::write(&p, "(broken").unwrap();
        let s = Sidecar::new(&dir.path().join("a.txt"), "x", &AnnotationSet::default());
        assert!(save(&p, &AnnotationSet::default(), None, s).is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "(broken");
    }
}
