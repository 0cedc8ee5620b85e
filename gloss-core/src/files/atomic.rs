//! Atomic file writes: a temp file in the same folder, fsync, rename over, fsync of the folder.
//! A reader (or a crash) sees the old file or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Temp files are named `.<file name>.tmp-<pid>-<n>`: hidden, so a corpus scan skips them.
pub fn temp_path_for(path: &Path) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// A temp file older than this is a dead writer's: no save takes so long. (Age, not a process id:
/// a writer on another machine sharing the folder has a process id that means nothing here.)
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Remove temp files of `path` left by writers that died mid-save (`kill -9`, power loss): those
/// older than [`STALE_AFTER`], or, when the caller holds the file's lock (`locked`: no other writer
/// can be mid-save), all but this process's own.
pub fn remove_stale_temps(path: &Path, locked: bool) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let ours = format!("{prefix}{}-", std::process::id());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name();
        let n = n.to_string_lossy();
        if !n.starts_with(&prefix) || n.starts_with(&ours) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if locked || old {
            // (a folder format's output is written as a temp folder)
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = fs::remove_dir_all(e.path());
            } else {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// Where writing `path` must land: a symbolic link is written through to its target (and stays a
/// link), however many links lead there.
fn through_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::read_link(&p) {
            Ok(target) => {
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Err(_) => return p,
        }
    }
    p
}

/// Refuse to replace `target` (where `path` leads) unless it is a regular file or nothing.
fn check_replaceable(path: &Path, target: &Path) -> Result<()> {
    match fs::symlink_metadata(target) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.file_type().is_symlink() => Err(Error::invalid(
            path,
            "leads through too many symbolic links (a loop?): not written",
        )),
        Ok(m) => Err(Error::invalid(
            path,
            format!(
                "is {}, not a regular file: not replaced",
                super::kind_of(&m)
            ),
        )),
        Err(_) => Ok(()),
    }
}

/// Write `bytes` to `path` atomically, creating its folder if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write(path, bytes, false)
}

/// [`write_atomic`] by a writer that holds `path`'s lock, so that any other temp file of it is a
/// dead writer's.
pub fn write_atomic_locked(path: &Path, bytes: &[u8]) -> Result<()> {
    write(path, bytes, true)
}

fn write(path: &Path, bytes: &[u8], locked: bool) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.file().write_all(bytes).map_err(|e| Error::io(path, e))?;
    f.commit(locked)
}

/// A file being written in full before it replaces `path` (or appears there): written to a temp
/// file beside it, synced, then renamed over it; dropped before [`AtomicFile::commit`], the temp
/// file is removed and `path` is left as it was. For writers that stream a large file rather than
/// hold it whole.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    target: PathBuf,
    dir: PathBuf,
    tmp: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    /// Start writing `path` (its folder created if needed). Only a regular file is ever replaced
    /// (through the links that lead to it): a device, a FIFO, a socket or a folder there is
    /// refused, naming it, and left as it is.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let target = through_links(path);
        check_replaceable(path, &target)?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let tmp = temp_path_for(&target);
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            target,
            dir,
            tmp,
            file: Some(file),
        })
    }

    /// The path being written (as given, before links).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The temp file, to write (and seek) in.
    pub fn file(&mut self) -> &mut File {
        self.file
            .as_mut()
            .expect("an AtomicFile's file is there until commit")
    }

    /// Sync the file and put it in place (`locked`: the caller holds `path`'s lock, so any other
    /// temp file of it is a dead writer's).
    pub fn commit(mut self, locked: bool) -> Result<()> {
        let result = (|| {
            if let Some(f) = self.file.take() {
                f.sync_all()?;
            }
            fs::rename(&self.tmp, &self.target)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&self.tmp);
            return Err(Error::io(&self.path, e));
        }
        // Make the rename itself durable. Not every platform can open a folder; that is no error.
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        remove_stale_temps(&self.target, locked);
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_litter() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn stale_temps_are_judged_by_age_or_lock_not_by_process_id() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ron");
        // a fresh temp of a writer on another machine (its pid means nothing here): kept
        let fresh = dir.path().join(".a.ron.tmp-999999999-0");
        fs::write(&fresh, "half").unwrap();
        let old = dir.path().join(".a.ron.tmp-1-0");
        fs::write(&old, "half").unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        let other = dir.path().join(".b.ron.tmp-999999999-0");
        fs::write(&other, "half").unwrap();
        write_atomic(&p, b"x").unwrap();
        assert!(fresh.exists(), "a live writer elsewhere is left alone");
        assert!(!old.exists(), "an hour-old temp is a dead writer's");
        // under the lock, no other writer can be mid-save
        write_atomic_locked(&p, b"y").unwrap();
        assert!(!fresh.exists());
        assert!(other.exists(), "only the temps of this file are touched");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/a.ron");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("a.ron");
        std::os::unix::fs::symlink("real/a.ron", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"new");
    }

    #[test]
    fn a_streamed_file_appears_whole_or_not_at_all() {
        use std::io::{Seek, SeekFrom};
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("cache.bin");
        write_atomic(&p, b"old").unwrap();
        let mut f = AtomicFile::create(&p).unwrap();
        f.file().write_all(b"....body").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"old", "not there before the commit");
        drop(f);
        assert_eq!(fs::read(&p).unwrap(), b"old", "dropped: the old file stays");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temp left");
        let mut f = AtomicFile::create(&p).unwrap();
        f.file().write_all(b"....body").unwrap();
        f.file().seek(SeekFrom::Start(0)).unwrap();
        f.file().write_all(b"head").unwrap();
        f.commit(false).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"headbody");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn what_is_not_a_regular_file_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        // a FIFO, reached directly and through a link
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let link = dir.path().join("cache.bin");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        for p in [&fifo, &link] {
            let e = write_atomic(p, b"x").unwrap_err().to_string();
            assert!(
                e.contains("named pipe") && e.contains("not replaced"),
                "{e}"
            );
        }
        assert!(
            std::os::unix::fs::FileTypeExt::is_fifo(&fs::metadata(&fifo).unwrap().file_type()),
            "still a FIFO"
        );
        // a loop of links
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        let e = write_atomic(&a, b"x").unwrap_err().to_string();
        assert!(e.contains("symbolic links"), "{e}");
        // a device made here (as root; elsewhere the test says so)
        let dev = dir.path().join("zero");
        let c = std::ffi::CString::new(dev.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: as above; makedev of /dev/zero's numbers.
        let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o600, libc::makedev(1, 5)) };
        if made != 0 {
            eprintln!("not root: no device node made, that case was skipped");
            return;
        }
        let via = dir.path().join("scan.cache");
        std::os::unix::fs::symlink(&dev, &via).unwrap();
        for p in [&dev, &via] {
            let e = write_atomic(p, b"x").unwrap_err().to_string();
            assert!(e.contains("a device") && e.contains("not replaced"), "{e}");
        }
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(
            &fs::metadata(&dev).unwrap().file_type()
        ));
    }

    #[test]
    fn error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("is-a-dir");
        fs::create_dir(&p).unwrap();
        fs::write(p.join("x"), "x").unwrap();
        let e = write_atomic(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("is-a-dir"), "{e}");
    }
}
