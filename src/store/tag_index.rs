//! The corpus-wide tag index: every tag of every sidecar, read on a background thread.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use super::{Sidecar, sidecar_path};

/// A tag as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedTag {
    pub label: String,
    pub text: String,
    pub chars: Range<usize>,
}

/// What the index thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexEvent {
    /// The tags of the article at position `entry` (orphaned and rejected ones left out).
    Tags {
        entry: usize,
        tags: Vec<IndexedTag>,
    },
    Done,
}

/// Read the sidecars of `articles` (below `root`, or mirrored under `annotations`) on a thread.
pub fn spawn(
    root: PathBuf,
    annotations: Option<PathBuf>,
    articles: Vec<PathBuf>,
) -> Receiver<IndexEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for (entry, a) in articles.iter().enumerate() {
            let p = sidecar_path(&root, a, annotations.as_deref());
            let Ok(Some(sc)) = Sidecar::load(&p) else {
                continue;
            };
            let tags: Vec<IndexedTag> = sc
                .tags
                .into_iter()
                .filter(|t| !t.orphaned && !t.is_rejected())
                .map(|t| IndexedTag {
                    label: t.label,
                    text: t.text,
                    chars: t.start..t.end,
                })
                .collect();
            if !tags.is_empty() && tx.send(IndexEvent::Tags { entry, tags }).is_err() {
                return;
            }
        }
        let _ = tx.send(IndexEvent::Done);
    });
    rx
}
