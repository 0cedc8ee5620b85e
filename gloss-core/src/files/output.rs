//! Where a command writes what it makes (`-o PATH`): a regular file (or a new one) is written
//! atomically, so it appears whole or not at all; `-` is standard output; a device or a FIFO is
//! written as a stream, in place (never replaced by a file); anything else (a socket, a folder) is
//! refused, naming it.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::AtomicFile;
use crate::error::{Error, Result};

/// An output being written.
#[derive(Debug)]
pub enum Output {
    /// Standard output (`-`).
    Stdout(io::Stdout),
    /// A device or a FIFO, written in place.
    Stream { path: PathBuf, file: File },
    /// A regular file, written beside and moved into place when complete.
    File(AtomicFile),
}

/// What an output path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    Stdout,
    /// A device or a FIFO (through links).
    Stream,
    /// A regular file there already.
    Existing,
    /// Nothing there yet.
    New,
}

/// What `path` names, as an output; an error for what can be neither replaced nor streamed into.
pub fn output_kind(path: &Path) -> Result<OutputKind> {
    if path.as_os_str() == "-" {
        return Ok(OutputKind::Stdout);
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(OutputKind::Existing),
        Ok(m) if is_stream(&m) => Ok(OutputKind::Stream),
        Ok(m) => Err(Error::invalid(
            path,
            format!(
                "is {}: neither a file to write nor a device or FIFO to write to",
                super::kind_of(&m)
            ),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => match std::fs::symlink_metadata(path) {
            // a link to nothing: written as a new file where it leads
            Ok(_) | Err(_) => Ok(OutputKind::New),
        },
        Err(e) => Err(Error::io(path, e)),
    }
}

fn is_stream(m: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        t.is_char_device() || t.is_block_device() || t.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        false
    }
}

impl Output {
    /// Start writing to `path` (see the module's doc).
    pub fn create(path: &Path) -> Result<Output> {
        match output_kind(path)? {
            OutputKind::Stdout => Ok(Output::Stdout(io::stdout())),
            OutputKind::Stream => Ok(Output::Stream {
                path: path.to_path_buf(),
                file: open_stream(path)?,
            }),
            OutputKind::Existing | OutputKind::New => AtomicFile::create(path).map(Output::File),
        }
    }

    /// Is it written as it goes (standard output, a device, a FIFO)?
    pub fn is_stream(&self) -> bool {
        !matches!(self, Output::File(_))
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Output::Stdout(s) => s,
            Output::Stream { file, .. } => file,
            Output::File(f) => f.file(),
        }
    }

    /// A second handle of the file or device being written, for a writer that owns what it writes
    /// to (writes through it land where this output's do; [`Output::commit`] still finishes it).
    pub fn file_handle(&mut self) -> Result<File> {
        match self {
            Output::Stdout(_) => Err(Error::invalid(Path::new("-"), "is standard output")),
            Output::Stream { path, file } => file.try_clone().map_err(|e| Error::io(path, e)),
            Output::File(f) => {
                let path = f.path().to_path_buf();
                f.file().try_clone().map_err(|e| Error::io(&path, e))
            }
        }
    }

    /// Finish: flush a stream, put a file in place.
    pub fn commit(self) -> Result<()> {
        match self {
            Output::Stdout(mut s) => s.flush().map_err(|e| Error::io(Path::new("-"), e)),
            Output::Stream { path, mut file } => file.flush().map_err(|e| Error::io(&path, e)),
            Output::File(f) => f.commit(false),
        }
    }
}

/// Open a device or a FIFO to write to, in place: a FIFO nobody reads is refused at once rather
/// than waited on.
fn open_stream(path: &Path) -> Result<File> {
    let f = super::open_to_write(
        path,
        false,
        "is a named pipe (FIFO) that nobody reads: not written",
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: fcntl on a descriptor open for as long as `f`; only the status flags change.
        unsafe {
            let fd = f.as_raw_fd();
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_written_whole_and_dev_null_is_written_to_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        let mut o = Output::create(&p).unwrap();
        assert!(!o.is_stream());
        o.writer().write_all(b"{}\n").unwrap();
        assert!(!p.exists(), "not before it is complete");
        o.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"{}\n");
        assert_eq!(output_kind(Path::new("-")).unwrap(), OutputKind::Stdout);
        #[cfg(unix)]
        {
            let null = Path::new("/dev/null");
            assert_eq!(output_kind(null).unwrap(), OutputKind::Stream);
            let mut o = Output::create(null).unwrap();
            o.writer().write_all(b"x").unwrap();
            o.commit().unwrap();
            use std::os::unix::fs::FileTypeExt;
            assert!(
                std::fs::metadata(null)
                    .unwrap()
                    .file_type()
                    .is_char_device()
            );
        }
        // a folder is neither
        let e = output_kind(dir.path()).unwrap_err().to_string();
        assert!(e.contains("a folder"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_nobody_reads_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path that outlives the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = Output::create(&fifo).unwrap_err().to_string();
        assert!(e.contains("nobody reads"), "{e}");
    }
}
