//! Where `-o` output goes, under one rule for every format: an existing target is refused unless
//! `--force`; the output is written beside it under a hidden temp name and moved into place only when
//! complete; on any failure the temp is removed and the target left as it was; every error names
//! the target, never the temp.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use gloss_core::files::temp_path_for;
use gloss_core::text::escape_path;

/// Output being written.
pub enum Output {
    Stdout,
    /// A temp file renamed over `target` at the end.
    File {
        temp: PathBuf,
        target: PathBuf,
        file: Option<File>,
    },
    /// A temp folder renamed to `target` at the end (an old `target` is replaced only then).
    Folder {
        temp: PathBuf,
        target: PathBuf,
    },
}

impl Output {
    /// Get `target` ready for writing a file (`folder` false) or a folder; `None` is stdout.
    pub fn prepare(target: Option<&Path>, folder: bool, force: bool) -> anyhow::Result<Output> {
        let Some(target) = target else {
            return Ok(Output::Stdout);
        };
        let name = escape_path(target);
        if let Ok(meta) = fs::symlink_metadata(target) {
            let is_dir = fs::metadata(target).is_ok_and(|m| m.is_dir()) || meta.is_dir();
            if folder && !is_dir {
                bail!("{name}: exists and is not a folder (this format writes a folder)");
            }
            if !folder && is_dir {
                bail!("{name}: is a folder (this format writes a file)");
            }
            if !force {
                bail!("{name}: already exists (--force replaces it)");
            }
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
        let temp = temp_path_for(target);
        if folder {
            fs::create_dir(&temp).with_context(|| format!("{name}: cannot be written"))?;
            Ok(Output::Folder {
                temp,
                target: target.to_path_buf(),
            })
        } else {
            let file =
                File::create_new(&temp).with_context(|| format!("{name}: cannot be written"))?;
            Ok(Output::File {
                temp,
                target: target.to_path_buf(),
                file: Some(file),
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

    /// Remove what was written.
    pub fn discard(&self) {
        match self {
            Output::Stdout => {}
            Output::File { temp, .. } => {
                let _ = fs::remove_file(temp);
            }
            Output::Folder { temp, .. } => {
                let _ = fs::remove_dir_all(temp);
            }
        }
    }

    /// Move the output into place (replacing an old target); on failure nothing is left behind.
    pub fn commit(self) -> anyhow::Result<()> {
        let result = match &self {
            Output::Stdout => Ok(()),
            Output::File { temp, target, .. } => fs::rename(temp, target),
            Output::Folder { temp, target } => replace_folder(temp, target),
        };
        result.map_err(|e| {
            self.discard();
            let target = self.name();
            anyhow::anyhow!(
                "{}: cannot move the output into place: {e}",
                escape_path(&target)
            )
        })
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
