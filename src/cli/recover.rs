//! `gloss recover RECOVERY SIDECAR`: merge the tags a failed save kept in a recovery file back into
//! the article's sidecar, through the core's one sidecar merge ([`gloss_core::store::recovery`]):
//! what another writer saved meanwhile is kept, never overwritten. The recovery file is removed
//! once merged, unless `--keep`.

use std::path::PathBuf;

use clap::Args;

use super::corpus::warn;
use gloss_core::store::recovery;
use gloss_core::text::escape_path;

/// `gloss recover RECOVERY SIDECAR [--keep]`.
#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The recovery file gloss named (in the `recovery` folder of its data folder).
    pub recovery: PathBuf,
    /// The article's sidecar to merge it into (written if there is none yet).
    pub sidecar: PathBuf,
    /// Keep the recovery file once merged (by default it and its base are removed).
    #[arg(long)]
    pub keep: bool,
}

pub fn run(args: RecoverArgs) -> anyhow::Result<()> {
    let done = recovery::recover(&args.recovery, &args.sidecar)
        .map_err(|e| anyhow::anyhow!("{e}: nothing merged"))?;
    for c in &done.conflicts {
        warn(&format!("{}: {c}", escape_path(&args.sidecar)));
    }
    let how = if done.new_sidecar {
        "written as it was (there was no sidecar)".to_string()
    } else {
        format!(
            "merged {} ({} change(s) of another writer kept, {} tag(s) made on both sides kept once, {} conflict(s) with both versions kept)",
            if done.three_way {
                "three-way, against the tags the session started from"
            } else {
                "two-way (no base beside it: every tag of either side kept)"
            },
            done.theirs_kept,
            done.same_tags,
            done.conflicts.len()
        )
    };
    println!(
        "{} → {}: {how}; the sidecar holds {} tag(s)",
        escape_path(&args.recovery),
        escape_path(&args.sidecar),
        done.tags
    );
    if args.keep {
        println!("kept {}", escape_path(&args.recovery));
    } else {
        recovery::remove(&args.recovery)?;
        println!("removed {}", escape_path(&args.recovery));
    }
    Ok(())
}
