//! Git as the way a team shares its work: `gloss merge-driver`, a merge driver for sidecars over the
//! core's one sidecar merge ([`gloss_core::store::merge`], the one two gloss sessions use: both
//! versions of a tag changed on both sides are kept and marked, the result is always valid RON,
//! never conflict markers), and `gloss git-setup`, which installs it in a repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use clap::Args;

use super::corpus::warn;
use gloss_core::assignment::merge_assignment_files;
use gloss_core::corpus::assigned::ASSIGNMENT_FILE;
use gloss_core::corpus::config::{CORPUS_CONFIG, MAX_CONFIG_BYTES};
use gloss_core::entity::{ENTITIES_FILE, merge_registry_files};
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
    let not_merged =
        |e: gloss_core::error::Error| anyhow::anyhow!("{e}: not merged (git reports a conflict)");
    let conflicts = match kind_of(name) {
        Kind::Sidecar => merge_files(&args.base, &args.ours, &args.theirs, name),
        Kind::Registry => {
            let m = merge_registry_files(&args.base, &args.ours, &args.theirs, name)
                .map_err(not_merged)?;
            for c in m.said.iter().chain(&m.unresolved) {
                warn(&format!("{name}: {c}"));
            }
            if !m.unresolved.is_empty() {
                bail!(
                    "{name}: merged, keeping this side's value where both sides changed a field of a newer gloss; git reports a conflict: check the file, then git add it"
                );
            }
            return Ok(());
        }
        Kind::Config => return merge_as_text(&args, name),
        Kind::Assignment => {
            let said = merge_assignment_files(&args.base, &args.ours, &args.theirs, name)
                .map_err(not_merged)?;
            for s in &said {
                warn(&format!("{name}: {s}"));
            }
            return Ok(());
        }
    }
    .map_err(not_merged)?;
    for c in &conflicts {
        warn(&format!("{name}: {c}"));
    }
    Ok(())
}

/// What a `.ron` file in the repository is, by its path (`%P`): the entity registry and the corpus
/// config are named so at a corpus's root, where no article of that name has them as its sidecar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sidecar,
    Registry,
    Config,
    Assignment,
}

fn kind_of(path: &str) -> Kind {
    let p = Path::new(path);
    let no_article = || !p.with_extension("txt").exists();
    match p.file_name().and_then(|n| n.to_str()) {
        Some(ENTITIES_FILE) if no_article() => Kind::Registry,
        Some(CORPUS_CONFIG) if no_article() => Kind::Config,
        Some(ASSIGNMENT_FILE) if no_article() => Kind::Assignment,
        _ => Kind::Sidecar,
    }
}

/// The corpus config is written by hand (comments, order): git's own line merge, with conflict
/// markers where both sides changed the same lines, and a conflict git reports. Written over ours
/// atomically, and only when gloss reads it back (at most [`MAX_CONFIG_BYTES`]); else ours is left
/// as it was and git reports a conflict.
fn merge_as_text(args: &MergeDriverArgs, name: &str) -> anyhow::Result<()> {
    let out = Command::new("git")
        .args([
            "merge-file",
            "-p",
            "-L",
            "ours",
            "-L",
            "ancestor",
            "-L",
            "theirs",
        ])
        .arg(&args.ours)
        .arg(&args.base)
        .arg(&args.theirs)
        .output()
        .context("cannot run git merge-file")?;
    // the number of conflicts (at most 127), or an error
    let conflicts = match out.status.code() {
        Some(n @ 0..=127) => n,
        _ => bail!(
            "{name}: git merge-file failed: {}: not merged (git reports a conflict)",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    };
    if out.stdout.len() as u64 > MAX_CONFIG_BYTES {
        bail!(
            "{name}: merged, it would be {} bytes, over the {MAX_CONFIG_BYTES} bytes gloss reads back: not merged (git reports a conflict)",
            out.stdout.len()
        );
    }
    gloss_core::files::write_atomic(&args.ours, &out.stdout)?;
    if conflicts > 0 {
        bail!("{name}: both sides changed the same lines: conflict markers left in it to resolve");
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

/// The line `git-setup` writes to `.gitattributes`: gloss's files merge with the `gloss` driver,
/// which tells a sidecar, the entity registry and the corpus config apart.
pub const GITATTRIBUTES_LINE: &str = "*.ron merge=gloss";

/// The lines `git-setup` writes to `.gitignore`: lock files and the temp files of an atomic write.
pub const GITIGNORE_LINES: [&str; 2] = ["*.ron.lock", ".*.tmp-*"];

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
    // the lock beside every file gloss writes, and the temp files of a write cut short
    let ignore = top.join(".gitignore");
    let current = std::fs::read_to_string(&ignore).unwrap_or_default();
    let missing: Vec<&str> = GITIGNORE_LINES
        .iter()
        .copied()
        .filter(|line| !current.lines().any(|l| l.trim() == *line))
        .collect();
    if !missing.is_empty() {
        let mut text = current;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for line in missing {
            text.push_str(line);
            text.push('\n');
        }
        gloss_core::files::write_atomic(&ignore, text.as_bytes())?;
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
            "gloss merge (sidecars by tag id, the entity registry by entity id, assignment.ron by article, gloss.ron by line)",
        ],
    )?;
    git(&top, &["config", "merge.gloss.driver", &driver])?;
    println!(
        "{}: sidecars now merge by tag id, entities.ron by entity id, assignment.ron by article, gloss.ron line by line (markers where both changed a line); lock and temp files are ignored; commit .gitattributes and .gitignore so the team shares the rules (each clone runs gloss git-setup once)",
        escape_path(&top)
    );
    Ok(())
}
