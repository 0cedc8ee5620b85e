//! Recovery files: the tags a save could not write, kept in the data folder, and their way back.
//!
//! A recovery file (`recovery/<stem>-<time>.ron`) is a whole sidecar, as the session would have
//! written it; beside it, `<stem>-<time>.base` is the sidecar as that session last read or wrote it,
//! the base its edits were made from. [`recover`] merges the recovery file into the article's
//! sidecar as it is now, with the one sidecar merge ([`super::merge`]): three-way against the base
//! when it is there (what the session deleted stays deleted), two-way otherwise (every tag of
//! either side is kept). Either way the tags another writer saved meanwhile are never lost, which
//! copying the recovery file over the sidecar would do.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Sidecar;
use super::merge::{merge_sidecars_counted, read_version};
use crate::error::{Error, Result};
use crate::files::{Lock, write_atomic, write_atomic_locked};
use crate::text::escape_path;

/// The folder of the data folder that recovery files are written in.
pub const RECOVERY_DIR: &str = "recovery";

/// The extension of a recovery file's base.
pub const BASE_EXTENSION: &str = "base";

/// How long [`recover`] waits for a session saving the sidecar to let its lock go.
pub const RECOVER_LOCK_WAIT: Duration = Duration::from_secs(10);

/// The base kept beside the recovery file at `recovery`.
pub fn base_of(recovery: &Path) -> PathBuf {
    recovery.with_extension(BASE_EXTENSION)
}

/// Keep `ours` (the tags of the article at `article` that could not be saved) and `base` (its
/// sidecar as the session last read or wrote it) in the data folder `data`; the recovery file's
/// path. Never replaces an earlier recovery file.
pub fn write(data: &Path, article: &Path, ours: &Sidecar, base: &Sidecar) -> Result<PathBuf> {
    let stem = article
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = crate::annotation::timestamp().replace(':', "");
    let dir = data.join(RECOVERY_DIR);
    let mut recovery = dir.join(format!("{stem}-{stamp}.ron"));
    let mut n = 1;
    while recovery.exists() || base_of(&recovery).exists() {
        n += 1;
        recovery = dir.join(format!("{stem}-{stamp}-{n}.ron"));
    }
    let base_path = base_of(&recovery);
    write_atomic(&base_path, base.to_ron().as_bytes())?;
    if let Err(e) = write_atomic(&recovery, ours.to_ron().as_bytes()) {
        let _ = std::fs::remove_file(&base_path);
        return Err(e);
    }
    Ok(recovery)
}

/// What [`recover`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// The tags the sidecar holds now.
    pub tags: usize,
    /// The recovery file's base was found: the merge was three-way (else two-way).
    pub three_way: bool,
    /// Changes the sidecar had that the recovery file did not (another writer's), kept.
    pub theirs_kept: usize,
    /// Tags both made (same label, same span), kept once.
    pub same_tags: usize,
    /// One line per conflict (both versions kept).
    pub conflicts: Vec<String>,
    /// The sidecar was not there: the recovery file's tags were written as they are.
    pub new_sidecar: bool,
}

/// Merge the recovery file at `recovery` into the sidecar at `sidecar`, under the sidecar's lock,
/// written atomically. Nothing is written when either file cannot be read or does not parse, or
/// when they are of different articles. The recovery file is left where it is (see
/// [`remove`]).
pub fn recover(recovery: &Path, sidecar: &Path) -> Result<Recovered> {
    if recovery.extension().is_some_and(|e| e == BASE_EXTENSION) {
        return Err(Error::invalid(
            recovery,
            "is the base kept beside a recovery file: give the .ron file beside it",
        ));
    }
    let ours = read_version(recovery, &escape_path(recovery))?
        .ok_or_else(|| Error::invalid(recovery, "is empty"))?;
    let base_path = base_of(recovery);
    let base = if base_path.exists() {
        read_version(&base_path, &escape_path(&base_path))?
    } else {
        None
    };
    let _lock = Lock::acquire(sidecar, RECOVER_LOCK_WAIT)?;
    let theirs = read_version(sidecar, &escape_path(sidecar))?;
    let mut done = Recovered {
        three_way: base.is_some(),
        ..Recovered::default()
    };
    let merged = match theirs {
        None => {
            done.new_sidecar = true;
            ours
        }
        Some(theirs) => {
            if !theirs.article.is_empty()
                && !ours.article.is_empty()
                && theirs.article != ours.article
            {
                return Err(Error::invalid(
                    recovery,
                    format!(
                        "holds the tags of {}, and {} is the sidecar of {}: not merged",
                        crate::text::sanitize_inline(&ours.article),
                        escape_path(sidecar),
                        crate::text::sanitize_inline(&theirs.article)
                    ),
                ));
            }
            let (merged, m) = merge_sidecars_counted(base.as_ref(), &ours, &theirs);
            done.theirs_kept = m.theirs_applied;
            done.same_tags = m.same_tags;
            done.conflicts = m.conflicts;
            merged
        }
    };
    done.tags = merged.tags.len();
    let text = merged.into_ron(sidecar)?;
    write_atomic_locked(sidecar, text.as_bytes())?;
    Ok(done)
}

/// Remove the recovery file at `recovery` and its base (once merged back).
pub fn remove(recovery: &Path) -> Result<()> {
    std::fs::remove_file(recovery).map_err(|e| Error::io(recovery, e))?;
    let base = base_of(recovery);
    match std::fs::remove_file(&base) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&base, e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Annotation, AnnotationSet};

    fn tag(id: &str, start: usize, end: usize, text: &str) -> Annotation {
        let mut t = Annotation::new("PERSON", start, end, text, "me");
        t.id = id.into();
        t
    }

    fn sidecar(tags: Vec<Annotation>) -> Sidecar {
        Sidecar::of_set("a.txt".into(), "h".into(), AnnotationSet::new(tags))
    }

    fn ids(sc: &Sidecar) -> Vec<&str> {
        let mut v: Vec<&str> = sc.tags.iter().map(|t| t.id.as_str()).collect();
        v.sort();
        v
    }

    #[test]
    fn three_way_keeps_the_other_writers_tags_and_this_sessions_deletions() {
        let d = tempfile::tempdir().unwrap();
        let sidecar_path = d.path().join("a.ron");
        let (x, y) = (tag("x", 0, 2, "Tô"), tag("y", 4, 7, "Lâm"));
        // the session read x and y, deleted y and added s; the save failed
        let base = sidecar(vec![x.clone(), y.clone()]);
        let ours = sidecar(vec![x.clone(), tag("s", 10, 13, "Mai")]);
        let rec = write(&d.path().join("data"), Path::new("a.txt"), &ours, &base).unwrap();
        assert!(base_of(&rec).exists());
        // meanwhile another writer added o
        sidecar(vec![x, y, tag("o", 20, 23, "Hưng")])
            .save(&sidecar_path)
            .unwrap();
        let done = recover(&rec, &sidecar_path).unwrap();
        assert!(done.three_way);
        let now = Sidecar::load(&sidecar_path).unwrap().unwrap();
        assert_eq!(ids(&now), ["o", "s", "x"]);
        assert_eq!(done.tags, 3);
        // without its base: two-way, nothing of either side lost (y comes back)
        let rec = write(&d.path().join("data"), Path::new("a.txt"), &ours, &base).unwrap();
        std::fs::remove_file(base_of(&rec)).unwrap();
        sidecar(vec![tag("y", 4, 7, "Lâm"), tag("o", 20, 23, "Hưng")])
            .save(&sidecar_path)
            .unwrap();
        let done = recover(&rec, &sidecar_path).unwrap();
        assert!(!done.three_way);
        let now = Sidecar::load(&sidecar_path).unwrap().unwrap();
        assert_eq!(ids(&now), ["o", "s", "x", "y"]);
        remove(&rec).unwrap();
        assert!(!rec.exists());
    }

    #[test]
    fn recovery_files_never_replace_each_other_and_other_articles_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let data = d.path().join("data");
        let sc = sidecar(vec![tag("x", 0, 2, "Tô")]);
        let a = write(&data, Path::new("a.txt"), &sc, &sc).unwrap();
        let b = write(&data, Path::new("a.txt"), &sc, &sc).unwrap();
        assert_ne!(a, b);
        let other = d.path().join("b.ron");
        let mut theirs = sidecar(vec![]);
        theirs.article = "b.txt".into();
        theirs.save(&other).unwrap();
        let before = std::fs::read_to_string(&other).unwrap();
        let e = recover(&a, &other).unwrap_err().to_string();
        assert!(e.contains("not merged"), "{e}");
        assert_eq!(std::fs::read_to_string(&other).unwrap(), before);
        let e = recover(&base_of(&a), &other).unwrap_err().to_string();
        assert!(e.contains("give the .ron file"), "{e}");
    }
}
