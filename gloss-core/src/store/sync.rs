//! Sidecars that another gloss may be writing too: writers take a lock on `<stem>.ron.lock` (a lock
//! on the sidecar itself would be lost when the file is renamed over), and read the file with the
//! hash of its bytes, so that a save can tell whether it changed since it was read.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::Sidecar;
use crate::error::{Error, Result};

/// A sidecar as read, with the hash of its bytes.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub sidecar: Option<Sidecar>,
    /// SHA-256 of the file's bytes; `None` when there was no file.
    pub hash: Option<String>,
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
    /// Take the lock, waiting at most `wait` for another writer to let it go (never forever: a
    /// stuck writer must not freeze the screen or deafen gloss to signals).
    pub fn acquire(sidecar: &Path, wait: std::time::Duration) -> Result<SidecarLock> {
        let p = lock_path(sidecar);
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let f = crate::files::open_lock_file(&p)?;
        let deadline = std::time::Instant::now() + wait;
        loop {
            match f.try_lock() {
                Ok(()) => return Ok(SidecarLock(f)),
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::invalid(
                        &p,
                        format!(
                            "locked by another process for over {:.1} s: not saved yet",
                            wait.as_secs_f64()
                        ),
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&p, e)),
            }
        }
    }
}

impl Drop for SidecarLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Read the sidecar at `path` with the hash of its bytes (fields from a newer gloss kept).
pub fn read(path: &Path) -> Result<Snapshot> {
    let Some((bytes, hash)) = read_raw(path)? else {
        return Ok(Snapshot::default());
    };
    Ok(Snapshot {
        sidecar: Some(parse(path, bytes)?),
        hash: Some(hash),
    })
}

/// The bytes of the sidecar at `path` and their hash, unparsed (a save that finds the file as it
/// left it need not parse it); `None` when there is no file.
pub fn read_raw(path: &Path) -> Result<Option<(Vec<u8>, String)>> {
    let Some(contents) = crate::files::read_limited(path, super::MAX_SIDECAR_BYTES, "a sidecar")?
    else {
        return Ok(None);
    };
    let hash = super::sha256_hex_bytes(&contents.bytes);
    Ok(Some((contents.bytes, hash)))
}

/// Parse sidecar bytes read from `path`.
pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Sidecar> {
    let text = super::decode(path, bytes)?;
    Sidecar::parse(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_at_the_lock_is_refused_at_once_never_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let sidecar = dir.path().join("a.ron");
        let lock = lock_path(&sidecar);
        let c = std::ffi::CString::new(lock.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let t = std::time::Instant::now();
        let e = SidecarLock::acquire(&sidecar, std::time::Duration::from_secs(5))
            .err()
            .expect("refused")
            .to_string();
        assert!(e.contains("named pipe") && e.contains("a.ron.lock"), "{e}");
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "not waited on"
        );
        // a link to a device there: refused, the device untouched
        std::fs::remove_file(&lock).unwrap();
        std::os::unix::fs::symlink("/dev/null", &lock).unwrap();
        let e = SidecarLock::acquire(&sidecar, std::time::Duration::from_secs(5))
            .err()
            .expect("refused")
            .to_string();
        assert!(e.contains("a device"), "{e}");
    }
}
