//! Git as the way a team shares its work: `gloss merge-driver`, a merge driver for sidecars over the
//! core's one sidecar merge ([`gloss_core::store::merge`], the one two gloss sessions use: both
//! versions of a tag changed on both sides are kept and marked, the result is always valid RON,
//! never conflict markers), and `gloss git-setup`, which installs it in a repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use clap::Args;

use super::corpus::warn;
use gloss_core::store::merge::merge_files;
use gloss_core::text::escape_path;

/// `gloss merge-driver %O %A %B %P`.
#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (%O; empty when the file is new on both sides).
    pub base: PathBuf,
    /// Our version (%A): the merged sidecar is written here.
    pub ours: PathBuf,
    /// Their version (%B).
    pub theirs: PathBuf,
    /// The sidecar's path in the repository (%P), for messages.
    pub path: Option<String>,
}

/// `gloss git-setup [DIR]`.
#[derive(Debug, Args)]
pub struct GitSetupArgs {
    /// A folder inside the repository (default: the current one).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Merge the three versions through the core's sidecar merge, which writes the result over ours
/// atomically; an error (a side that does not parse) leaves ours as it was, and git reports a
/// conflict.
pub fn merge_driver(args: MergeDriverArgs) -> anyhow::Result<()> {
    let name = args.path.as_deref().unwrap_or("sidecar");
    let conflicts = merge_files(&args.base, &args.ours, &args.theirs, name)
        .map_err(|e| anyhow::anyhow!("{e}: not merged (git reports a conflict)"))?;
    for c in &conflicts {
        warn(&format!("{name}: {c}"));
    }
    Ok(())
}

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The lines `git-setup` writes: sidecars merge with the `gloss` driver.
pub const GITATTRIBUTES_LINE: &str = "*.ron merge=gloss";

pub fn git_setup(args: GitSetupArgs) -> anyhow::Result<()> {
    let top = PathBuf::from(git(&args.dir, &["rev-parse", "--show-toplevel"])?);
    let attributes = top.join(".gitattributes");
    let current = std::fs::read_to_string(&attributes).unwrap_or_default();
    if !current.lines().any(|l| l.trim() == GITATTRIBUTES_LINE) {
        let mut text = current;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(GITATTRIBUTES_LINE);
        text.push('\n');
        gloss_core::files::write_atomic(&attributes, text.as_bytes())?;
    }
    let exe = std::env::current_exe().context("cannot find the gloss binary")?;
    let driver = format!(
        "'{}' merge-driver %O %A %B %P",
        exe.display().to_string().replace('\'', "'\\''")
    );
    git(
        &top,
        &[
            "config",
            "merge.gloss.name",
            "gloss sidecar merge (by tag id)",
        ],
    )?;
    git(&top, &["config", "merge.gloss.driver", &driver])?;
    println!(
        "{}: sidecars (*.ron) now merge by tag id; commit .gitattributes so the team shares the rule (each clone runs gloss git-setup once)",
        escape_path(&top)
    );
    Ok(())
}
