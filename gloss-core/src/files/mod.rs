//! Files on disk, below every other layer: reading a file whole with a size limit and its stamp (size,
//! modification time) in as few system calls as the job takes, never waiting on what is not a
//! regular file; the lock beside a file that its writers take; writing one atomically.

pub mod atomic;
pub mod folder;
pub mod output;

pub use atomic::{
    AtomicFile, remove_stale_temps, temp_path_for, write_atomic, write_atomic_locked,
};
pub use folder::Folder;
pub use output::{Output, OutputKind, output_kind};

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::error::{Error, Result};

/// Size and modification time (ns since the epoch) of a file.
pub type Stamp = (u64, u128);

/// A file read whole.
#[derive(Debug)]
pub struct FileContents {
    pub bytes: Vec<u8>,
    pub stamp: Stamp,
}

/// Open `path` to read without ever blocking (a FIFO opened for reading waits for a writer; the
/// flag makes that open return at once) (the caller checks what it is).
fn open_regular(path: &Path) -> std::io::Result<Option<File>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let f = match options.open(path) {
        Ok(f) => f,
        // (a path through a regular file cannot exist either)
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    Ok(Some(f))
}

/// What a file that is not a regular file is, for messages.
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let ft = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Read `path` whole; `Ok(None)` if there is no such file; an error if it is not a regular file (a
/// FIFO, a device, a socket: never read, so never waited on) or larger than `limit` bytes, which is
/// checked before reading and enforced while reading (`what` names the kind of file in messages).
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Option<FileContents>> {
    let Some(f) = open_regular(path).map_err(|e| Error::io(path, e))? else {
        return Ok(None);
    };
    read_open(path, f, limit, what).map(Some)
}

/// [`read_limited`] of a text file (UTF-8; an error naming the file and where it is not):
/// `Ok(None)` if there is no such file. What every settings and memory file gloss reads goes
/// through.
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<Option<String>> {
    let Some(c) = read_limited(path, limit, what)? else {
        return Ok(None);
    };
    String::from_utf8(c.bytes).map(Some).map_err(|e| {
        Error::invalid(
            path,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

/// Open (creating it if needed) the lock file at `path` without ever blocking: a FIFO there with no
/// reader is refused at once (one with a reader, and a device or a socket, after the open: what
/// it is is asked of the file opened, so a link cannot swap it in between). Nothing is written to
/// it; it is only locked.
pub fn open_lock_file(path: &Path) -> Result<File> {
    let f = open_to_write(
        path,
        true,
        "is a named pipe (FIFO), not a regular file: not used as a lock",
    )?;
    let meta = f.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::invalid(
            path,
            format!(
                "is {}, not a regular file: not used as a lock",
                kind_of(&meta)
            ),
        ));
    }
    Ok(f)
}

/// The lock file of a file: `<name>.lock` beside it (a lock on the file itself would be lost when
/// the file is renamed over).
pub fn lock_path(sidecar: &Path) -> PathBuf {
    let mut name = sidecar.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    sidecar.with_file_name(name)
}

/// An exclusive lock on a file's lock file (writers of a sidecar or the registry take it while
/// they save), released when dropped.
pub struct Lock(File);

impl Lock {
    /// Take the lock, waiting at most `wait` for another writer to let it go (never forever: a
    /// stuck writer must not freeze the screen or deafen gloss to signals).
    pub fn acquire(sidecar: &Path, wait: std::time::Duration) -> Result<Lock> {
        let p = lock_path(sidecar);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let f = open_lock_file(&p)?;
        let deadline = std::time::Instant::now() + wait;
        loop {
            match f.try_lock() {
                Ok(()) => return Ok(Lock(f)),
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

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Open `path` to write (`create`: making it if it is not there) without ever blocking: a FIFO
/// nobody reads is refused at once with `no_reader` as the error.
pub(crate) fn open_to_write(path: &Path, create: bool, no_reader: &str) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(create).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    match options.open(path) {
        Ok(f) => Ok(f),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => Err(Error::invalid(path, no_reader)),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// The rest of [`read_limited`], for a file opened without blocking: check that it is a regular
/// file within the limit, read it whole (`path` names it in errors).
pub(crate) fn read_open(path: &Path, f: File, limit: u64, what: &str) -> Result<FileContents> {
    let meta = f.metadata().map_err(|e| Error::io(path, e))?;
    check_readable(path, &meta, limit, what)?;
    let len = meta.len();
    let mut bytes = Vec::with_capacity(len as usize + 1);
    read_rest(path, f, limit, &mut bytes)?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(FileContents {
        bytes,
        stamp: (len, modified),
    })
}

/// Refuse a file that is not a regular file (a FIFO, a device, a socket, a folder: never read, so
/// never waited on) or that is larger than `limit` bytes.
fn check_readable(path: &Path, meta: &std::fs::Metadata, limit: u64, what: &str) -> Result<()> {
    if !meta.is_file() {
        return Err(Error::invalid(
            path,
            format!("is {}, not a regular file: not read", kind_of(meta)),
        ));
    }
    if meta.len() > limit {
        return Err(Error::invalid(
            path,
            format!(
                "{} bytes is larger than {what} may be ({limit} bytes)",
                meta.len()
            ),
        ));
    }
    Ok(())
}

/// Read the rest of `f` onto `buf`, never more than one byte past `limit` in all: a file that grows
/// while read is caught without reading it all.
fn read_rest(path: &Path, f: File, limit: u64, buf: &mut Vec<u8>) -> Result<()> {
    f.take((limit + 1).saturating_sub(buf.len() as u64))
        .read_to_end(buf)
        .map_err(|e| Error::io(path, e))?;
    if buf.len() as u64 > limit {
        return Err(Error::invalid(
            path,
            format!("grew past {limit} bytes while read"),
        ));
    }
    Ok(())
}

/// Bytes read before [`read_open_into`] asks what a file is: an article is far smaller, a device
/// that never ends is caught after this much.
const READ_UNCHECKED: u64 = 1 << 20;

/// [`read_limited`] into `buf` (cleared first): `false` if there is no such file.
pub fn read_into(path: &Path, limit: u64, what: &str, buf: &mut Vec<u8>) -> Result<bool> {
    let Some(f) = open_regular(path).map_err(|e| Error::io(path, e))? else {
        return Ok(false);
    };
    read_open_into(path, f, limit, what, buf).map(|()| true)
}

/// [`read_open`] into `buf` (cleared first), without the stamp, and without asking the system what
/// the file is unless reading it says something is odd (an error, nothing at all, or more than
/// [`READ_UNCHECKED`] bytes): the same checks and messages, one system call fewer for the common
/// file. What a search reads a million of.
pub(crate) fn read_open_into(
    path: &Path,
    mut f: File,
    limit: u64,
    what: &str,
    buf: &mut Vec<u8>,
) -> Result<()> {
    buf.clear();
    let first = READ_UNCHECKED.min(limit + 1);
    let read = (&mut f).take(first).read_to_end(buf);
    let n = buf.len() as u64;
    if read.is_ok() && n > 0 && n < first {
        return Ok(());
    }
    let meta = f.metadata().map_err(|e| Error::io(path, e))?;
    check_readable(path, &meta, limit, what)?;
    read.map_err(|e| Error::io(path, e))?;
    if n == first {
        // a large file: the rest
        buf.reserve(meta.len().saturating_sub(n) as usize + 1);
    }
    read_rest(path, f, limit, buf)
}

/// The stamp of `path`, or `None` if there is no such file.
pub fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((m.len(), t))
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
        let e = Lock::acquire(&sidecar, std::time::Duration::from_secs(5))
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
        let e = Lock::acquire(&sidecar, std::time::Duration::from_secs(5))
            .err()
            .expect("refused")
            .to_string();
        assert!(e.contains("a device"), "{e}");
    }
}
