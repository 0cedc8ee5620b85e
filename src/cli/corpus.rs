//! What every subcommand starts with: the corpus folder (one message when it is not one), where its
//! sidecars live, its articles, and what could not be read; what a batch skipped; and the one way
//! a subcommand says something on stderr (one line, terminal-safe).

use std::path::{Path, PathBuf};

use anyhow::bail;

use gloss_core::corpus::{PathList, discover};
use gloss_core::error::Unreadable;
use gloss_core::store::SidecarDirs;
use gloss_core::text::sanitize_inline;

/// A corpus opened by a subcommand.
pub struct Corpus {
    /// The folder, canonical.
    pub root: PathBuf,
    pub dirs: SidecarDirs,
    /// Every article, sorted by path.
    pub articles: PathList,
    /// Sub-folders and files that could not be read.
    pub problems: Vec<gloss_core::Error>,
}

impl Corpus {
    /// Open the corpus at `dir`, sidecars beside the articles or under `annotations`.
    pub fn open(dir: &Path, annotations: Option<&Path>) -> anyhow::Result<Corpus> {
        let root = gloss_core::corpus::open_root(dir)?;
        let found = discover(&root)?;
        Ok(Corpus {
            dirs: SidecarDirs::new(&root, annotations),
            root,
            articles: found.articles,
            problems: found.problems,
        })
    }

    /// Say what could not be read; with problems and without `keep_going`, fail.
    pub fn report_problems(&self, keep_going: bool) -> anyhow::Result<()> {
        for p in &self.problems {
            warn(&p.to_string());
        }
        if !self.problems.is_empty() && !keep_going {
            bail!(
                "{} file(s) or folder(s) of the corpus could not be read (--keep-going goes on without them)",
                self.problems.len()
            );
        }
        Ok(())
    }
}

/// Say what a batch skipped with `--keep-going`: each file and why, then how many.
pub fn report_skipped(unreadable: &Unreadable) {
    let skipped = &unreadable.skipped;
    for e in skipped {
        warn(&format!("skipped: {e}"));
    }
    if !skipped.is_empty() {
        warn(&format!(
            "{} file(s) or folder(s) could not be read and were skipped",
            skipped.len()
        ));
    }
}

/// Say `message` on stderr as `gloss: …`, on one line, with nothing in it that a terminal would
/// take as a control sequence.
pub fn warn(message: &str) {
    eprintln!("gloss: {}", sanitize_inline(message));
}
