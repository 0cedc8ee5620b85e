//! Where `-o` output goes, under one rule for every format: `-` (or no `-o`) is standard output; a
//! device or a FIFO (`/dev/null`, a pipe) is written to in place, as a shell's `>` does, never
//! replaced; a regular file there is refused unless `--force`, and is written beside it under a
//! hidden temp name and moved into place only when complete ([`gloss_core::files::Output`]); a
//! folder format's folder likewise. On any failure the temp is removed and the target left as it
//! was; every error names the target, never the temp. Temps left by an export that was killed are
//! removed by a later one once they are old enough to be no live writer's.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use gloss_core::files::{self, OutputKind, remove_stale_temps, temp_path_for};
use gloss_core::text::escape_path;

/// Output being written.
pub enum Output {
    Stdout,
    /// A regular file written atomically, or a device or a FIFO written in place.
    File {
        target: PathBuf,
        out: files::Output,
    },
    /// A temp folder renamed to `target` at the end (an old `target` is replaced only then).
    Folder {
        temp: PathBuf,
        target: PathBuf,
    },
}

impl Output {
    /// Get `target` ready for writing a file (`folder` false) or a folder; `None` or `-` is stdout.
    pub fn prepare(target: Option<&Path>, folder: bool, force: bool) -> anyhow::Result<Output> {
        let Some(target) = target.filter(|t| t.as_os_str() != "-") else {
            if folder {
                bail!("this format writes a folder: give it with -o DIR, not standard output");
            }
            return Ok(Output::Stdout);
        };
        let name = escape_path(target);
        let exists = fs::symlink_metadata(target).is_ok();
        let is_dir = fs::metadata(target).is_ok_and(|m| m.is_dir());
        if folder {
            if exists && !is_dir {
                bail!("{name}: exists and is not a folder (this format writes a folder)");
            }
        } else if is_dir {
            bail!("{name}: is a folder (this format writes a file)");
        }
        let kind = if folder {
            if exists {
                OutputKind::Existing
            } else {
                OutputKind::New
            }
        } else {
            files::output_kind(target)?
        };
        match kind {
            OutputKind::Stdout => return Ok(Output::Stdout),
            // written to as it is asked, as `>` would: nothing there is replaced
            OutputKind::Stream => {
                let out = files::Output::create(target)?;
                return Ok(Output::File {
                    target: target.to_path_buf(),
                    out,
                });
            }
            // (a link to nothing is there too: written through only with --force)
            OutputKind::Existing | OutputKind::New if exists && !force => {
                bail!("{name}: already exists (--force replaces it)")
            }
            OutputKind::Existing | OutputKind::New => {}
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !parent.is_dir() {
            bail!(
                "{name}: cannot be written: the folder {} does not exist",
                escape_path(parent)
            );
        }
        // what an export killed mid-write left (an atomic write removes its own at the end)
        remove_stale_temps(target, false);
        if folder {
            let temp = temp_path_for(target);
            fs::create_dir(&temp).with_context(|| format!("{name}: cannot be written"))?;
            Ok(Output::Folder {
                temp,
                target: target.to_path_buf(),
            })
        } else {
            Ok(Output::File {
                target: target.to_path_buf(),
                out: files::Output::create(target)?,
            })
        }
    }

    /// The name to give in messages about the output.
    pub fn name(&self) -> PathBuf {
        match self {
            Output::Stdout => PathBuf::from("<stdout>"),
            Output::File { target, .. } | Output::Folder { target, .. } => target.clone(),
        }
    }

    /// A handle of the output file to write through (the output keeps its own, to finish it).
    pub fn file_handle(&mut self) -> anyhow::Result<File> {
        match self {
            Output::File { out, .. } => Ok(out.file_handle()?),
            _ => bail!("{}: not a file", escape_path(&self.name())),
        }
    }

    /// Remove what was written.
    fn discard(self) {
        match self {
            // dropped before commit, an atomic file removes its temp
            Output::Stdout | Output::File { .. } => {}
            Output::Folder { temp, .. } => {
                let _ = fs::remove_dir_all(temp);
            }
        }
    }

    /// Move the output into place (replacing an old target); on failure nothing is left behind.
    fn commit(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout => Ok(()),
            Output::File { out, .. } => Ok(out.commit()?),
            Output::Folder { temp, target } => replace_folder(&temp, &target).map_err(|e| {
                let _ = fs::remove_dir_all(&temp);
                anyhow::anyhow!(
                    "{}: cannot move the output into place: {e}",
                    escape_path(&target)
                )
            }),
        }
    }

    /// Finish: commit if `result` is `Ok`, else discard and return the error.
    pub fn finish(self, result: anyhow::Result<()>) -> anyhow::Result<()> {
        match result {
            Ok(()) => self.commit(),
            Err(e) => {
                self.discard();
                Err(e)
            }
        }
    }
}

/// Put the folder `temp` at `target`, replacing an old folder there: the old one is moved aside
/// first and removed only once the new one is in place (or moved back if that fails).
fn replace_folder(temp: &Path, target: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(target).is_err() {
        return fs::rename(temp, target);
    }
    let old = temp_path_for(target);
    fs::rename(target, &old)?;
    if let Err(e) = fs::rename(temp, target) {
        let _ = fs::rename(&old, target);
        return Err(e);
    }
    let _ = fs::remove_dir_all(&old);
    Ok(())
}

/// Output going to a terminal: every character a terminal would take as a command (C0 controls
/// but line feeds, tabs and the CR of a CRLF, DEL, C1, bidirectional controls) is shown as its
/// control picture instead, so an article or a label can never drive the terminal. Text split
/// between two writes is held until it is whole.
pub struct TerminalSafe<W: std::io::Write> {
    inner: W,
    /// Bytes of a character (or a CR) not yet complete.
    held: Vec<u8>,
}

impl<W: std::io::Write> TerminalSafe<W> {
    pub fn new(inner: W) -> Self {
        TerminalSafe {
            inner,
            held: Vec::new(),
        }
    }

    fn emit(&mut self, s: &str, last: bool) -> std::io::Result<()> {
        use gloss_core::text::display::{control_picture, is_bidi_control, is_control};
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => out.push(c),
                // a CR at the end: whether a LF follows is for the next write to say
                '\r' if chars.peek().is_none() && !last => self.held.push(b'\r'),
                c if c == '\r' || is_control(c) => out.push(control_picture(c)),
                c if is_bidi_control(c) => out.push('\u{21C4}'),
                c => out.push(c),
            }
        }
        self.inner.write_all(out.as_bytes())
    }
}

impl<W: std::io::Write> std::io::Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.held);
        bytes.extend_from_slice(buf);
        let (text, rest) = match std::str::from_utf8(&bytes) {
            Ok(t) => (t, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (a, b) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(a).unwrap_or_default(), b)
            }
            // not UTF-8 (gloss writes none): shown as the replacement character
            Err(_) => {
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                self.emit(&lossy, false)?;
                return Ok(buf.len());
            }
        };
        let rest = rest.to_vec();
        let text = text.to_string();
        self.emit(&text, false)?;
        self.held.extend(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.held.is_empty() {
            let held = String::from_utf8_lossy(&std::mem::take(&mut self.held)).into_owned();
            self.emit(&held, true)?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_terminal_sees_controls_as_pictures_whatever_the_writes_cut() {
        let text = "a,\"Tô \u{1b}]2;pwned\u{7} Lâm\u{202e}\"\r\nb,c\r\n";
        for cut in 0..text.len() {
            let mut out = TerminalSafe::new(Vec::new());
            out.write_all(&text.as_bytes()[..cut]).unwrap();
            out.write_all(&text.as_bytes()[cut..]).unwrap();
            out.flush().unwrap();
            let shown = String::from_utf8(out.inner).unwrap();
            assert_eq!(
                shown, "a,\"Tô \u{241b}]2;pwned\u{2407} Lâm\u{21c4}\"\r\nb,c\r\n",
                "cut at {cut}"
            );
        }
        let mut out = TerminalSafe::new(Vec::new());
        out.write_all(b"lone\rcr").unwrap();
        out.flush().unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "lone\u{240d}cr");
    }
}
