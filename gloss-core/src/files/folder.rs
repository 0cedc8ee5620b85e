//! A folder held open, so that the files in it are looked up by name from it: a corpus of a
//! million articles in a thousand folders is then not walked from `/` a million times, which is
//! what a `stat` or an `open` of a whole path costs.

use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::{FileContents, Stamp};
use crate::error::Result;

/// An open folder.
#[derive(Debug)]
pub struct Folder {
    path: PathBuf,
    #[cfg(unix)]
    dir: File,
}

impl Folder {
    /// Open the folder at `path`.
    pub fn open(path: &Path) -> std::io::Result<Folder> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let dir = std::fs::OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_DIRECTORY | libc::O_CLOEXEC)
                .open(path)?;
            Ok(Folder {
                path: path.to_path_buf(),
                dir,
            })
        }
        #[cfg(not(unix))]
        {
            if !std::fs::metadata(path)?.is_dir() {
                return Err(std::io::Error::other("not a folder"));
            }
            Ok(Folder {
                path: path.to_path_buf(),
            })
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stamp of the file `name` in this folder (links followed), as [`super::stamp`] gives it;
    /// `None` if there is no such file.
    pub fn stamp(&self, name: &OsStr) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            use std::os::unix::io::AsRawFd;
            let c = std::ffi::CString::new(name.as_bytes()).ok()?;
            // SAFETY: `stat` is plain old data, filled by the call; `c` is NUL-terminated and
            // outlives the call; the descriptor is open for as long as `self`.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            let r = unsafe { libc::fstatat(self.dir.as_raw_fd(), c.as_ptr(), &mut st, 0) };
            if r != 0 || st.st_mtime < 0 {
                return None;
            }
            Some((
                st.st_size as u64,
                st.st_mtime as u128 * 1_000_000_000 + st.st_mtime_nsec as u128,
            ))
        }
        #[cfg(not(unix))]
        {
            super::stamp(&self.path.join(name))
        }
    }

    /// [`super::read_limited`] of the file `name` in this folder: the same checks (never a FIFO or
    /// a device, never past `limit`), errors naming the whole path.
    pub fn read_limited(
        &self,
        name: &OsStr,
        limit: u64,
        what: &str,
    ) -> Result<Option<FileContents>> {
        #[cfg(unix)]
        {
            let Some(f) = self.open_file(name)? else {
                return Ok(None);
            };
            super::read_open(&self.path.join(name), f, limit, what).map(Some)
        }
        #[cfg(not(unix))]
        {
            super::read_limited(&self.path.join(name), limit, what)
        }
    }

    /// [`super::read_into`] of the file `name` in this folder: its bytes into `buf`, without its
    /// stamp, with the checks of [`Folder::read_limited`]; `false` if there is no such file.
    pub fn read_into(
        &self,
        name: &OsStr,
        limit: u64,
        what: &str,
        buf: &mut Vec<u8>,
    ) -> Result<bool> {
        #[cfg(unix)]
        {
            let Some(f) = self.open_file(name)? else {
                return Ok(false);
            };
            super::read_open_into(&self.path.join(name), f, limit, what, buf).map(|()| true)
        }
        #[cfg(not(unix))]
        {
            super::read_into(&self.path.join(name), limit, what, buf)
        }
    }

    /// Open the file `name` in this folder to read, without blocking; `None` if there is none.
    #[cfg(unix)]
    fn open_file(&self, name: &OsStr) -> Result<Option<File>> {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::io::{AsRawFd, FromRawFd};
        let Ok(c) = std::ffi::CString::new(name.as_bytes()) else {
            return Ok(None);
        };
        // SAFETY: `c` is NUL-terminated and outlives the call; a descriptor returned is ours
        // alone, owned by the `File` made from it.
        let fd = unsafe {
            libc::openat(
                self.dir.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDONLY | libc::O_NONBLOCK | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            let e = std::io::Error::last_os_error();
            return match e.kind() {
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => Ok(None),
                _ => Err(crate::Error::io(&self.path.join(name), e)),
            };
        }
        Ok(Some(unsafe { File::from_raw_fd(fd) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_reads_like_the_whole_path() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), "xin chào").unwrap();
        let f = Folder::open(d.path()).unwrap();
        let a = OsStr::new("a.txt");
        assert_eq!(f.stamp(a), super::super::stamp(&d.path().join("a.txt")));
        assert_eq!(f.stamp(OsStr::new("b.txt")), None);
        let c = f.read_limited(a, 100, "an article").unwrap().unwrap();
        assert_eq!(c.bytes, "xin chào".as_bytes());
        assert_eq!(Some(c.stamp), f.stamp(a));
        assert!(
            f.read_limited(OsStr::new("b.txt"), 100, "x")
                .unwrap()
                .is_none()
        );
        let e = f.read_limited(a, 3, "an article").unwrap_err().to_string();
        assert!(e.contains("a.txt") && e.contains("larger"), "{e}");
        // into a buffer, without the stamp: the same bytes and the same refusals
        let mut buf = b"left over".to_vec();
        assert!(f.read_into(a, 100, "an article", &mut buf).unwrap());
        assert_eq!(buf, "xin chào".as_bytes());
        assert!(
            !f.read_into(OsStr::new("b.txt"), 100, "x", &mut buf)
                .unwrap()
        );
        let e = f
            .read_into(a, 3, "an article", &mut buf)
            .unwrap_err()
            .to_string();
        assert!(e.contains("a.txt") && e.contains("larger"), "{e}");
        std::fs::write(d.path().join("empty.txt"), "").unwrap();
        assert!(
            f.read_into(OsStr::new("empty.txt"), 100, "x", &mut buf)
                .unwrap()
        );
        assert!(buf.is_empty());
        // past the first megabyte, read on to the end
        let big = "ă".repeat(700_000);
        std::fs::write(d.path().join("big.txt"), &big).unwrap();
        assert!(
            f.read_into(OsStr::new("big.txt"), 1 << 22, "x", &mut buf)
                .unwrap()
        );
        assert_eq!(buf, big.as_bytes());
        let e = f
            .read_into(OsStr::new("big.txt"), 1 << 20, "an article", &mut buf)
            .unwrap_err();
        assert!(e.to_string().contains("larger"), "{e}");
        #[cfg(unix)]
        {
            let fifo = d.path().join("p.txt");
            assert!(
                std::process::Command::new("mkfifo")
                    .arg(&fifo)
                    .status()
                    .unwrap()
                    .success()
            );
            let e = f
                .read_limited(OsStr::new("p.txt"), 100, "an article")
                .unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
            let e = f
                .read_into(OsStr::new("p.txt"), 100, "an article", &mut buf)
                .unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
            std::fs::create_dir(d.path().join("sub.txt")).unwrap();
            let e = f
                .read_into(OsStr::new("sub.txt"), 100, "an article", &mut buf)
                .unwrap_err();
            assert!(e.to_string().contains("a folder"), "{e}");
        }
    }
}
