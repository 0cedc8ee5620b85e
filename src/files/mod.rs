//! Files on disk, below every other layer: reading a file whole with a size limit and its stamp (size,
//! modification time) in as few system calls as the job takes, and writing one atomically.

pub mod atomic;

pub use atomic::{temp_path_for, write_atomic};

use std::fs::File;
use std::io::Read;
use std::path::Path;
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

/// Read `path` whole; `Ok(None)` if there is no such file; an error if it is larger than `limit`
/// bytes (`what` names the kind of file in the message).
pub fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Option<FileContents>> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let meta = f.metadata().map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::invalid(path, "is a folder, not a file"));
    }
    let len = meta.len();
    if len > limit {
        return Err(Error::invalid(
            path,
            format!("{len} bytes is larger than {what} may be ({limit} bytes)"),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    // (no `take`: it hides the size from `read_to_end`, which then reads in small probes)
    f.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::invalid(
            path,
            format!("grew past {limit} bytes while read"),
        ));
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Ok(Some(FileContents {
        bytes,
        stamp: (len, modified),
    }))
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
