//! Git as the way a team shares its work: `gloss merge-driver`, a merge driver for sidecars that
//! merges two versions by tag id with the same three-way merge as two gloss sessions (both versions
//! of a tag changed on both sides are kept and marked, the result is always valid RON, never conflict
//! markers), and `gloss git-setup`, which installs it in a repository.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use clap::Args;

use super::corpus::warn;
use gloss_core::annotation::AnnotationSet;
use gloss_core::annotation::merge::merge_sets;
use gloss_core::store::{FORMAT_VERSION, Sidecar};
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

/// Read one version of the sidecar; `None` for an empty or missing ancestor.
fn version(path: &Path, name: &str, may_be_empty: bool) -> anyhow::Result<Option<Sidecar>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if may_be_empty && e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(e).with_context(|| format!("{name}: cannot read {}", escape_path(path)));
        }
    };
    if may_be_empty && bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{name} is not valid UTF-8: not merged"))?;
    Sidecar::parse(Path::new(name), &text)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("{e}: not merged (git reports a conflict)"))
}

pub fn merge_driver(args: MergeDriverArgs) -> anyhow::Result<()> {
    let name = args.path.as_deref().unwrap_or("sidecar");
    let base = version(&args.base, &format!("{name} (ancestor)"), true)?;
    let Some(ours) = version(&args.ours, &format!("{name} (ours)"), false)? else {
        bail!("{name} (ours) is empty");
    };
    let Some(theirs) = version(&args.theirs, &format!("{name} (theirs)"), false)? else {
        bail!("{name} (theirs) is empty");
    };
    let base_set = base
        .as_ref()
        .map(Sidecar::annotation_set)
        .unwrap_or_else(AnnotationSet::default);
    let m = merge_sets(&base_set, &ours.annotation_set(), &theirs.annotation_set());
    let mut extra = ours.extra.clone();
    for (n, v) in &theirs.extra {
        if !extra.iter().any(|(k, _)| k == n) {
            extra.push((n.clone(), v.clone()));
        }
    }
    let article = m.set.article.clone();
    let merged = Sidecar {
        format: FORMAT_VERSION,
        article: ours.article.clone(),
        // The tags are anchored against the article both sides saw, or, when the two sides saw
        // different texts, against none in particular: gloss re-anchors them at the next open.
        sha256: if ours.sha256 == theirs.sha256 {
            ours.sha256.clone()
        } else {
            String::new()
        },
        status: article.status,
        comment: article.comment,
        relations: m.set.relations().to_vec(),
        tags: m.set.into_vec(),
        rejected: article.rejected,
        suggested: article.suggested,
        extra,
    };
    gloss_core::files::write_atomic(&args.ours, merged.to_ron().as_bytes())?;
    for c in &m.conflicts {
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
