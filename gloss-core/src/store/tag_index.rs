//! The corpus-wide tag index: every tag of every annotated article, read through the core
//! [`Document`] on a background thread (so tags of edited articles are re-anchored like anywhere
//! else), and grouped by the same-text key.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use super::{Document, SidecarDirs};
use crate::text::text_key;

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

/// The tags of the annotated ones of `articles`, read on a thread. Dropping the receiver stops it.
pub fn spawn(dirs: SidecarDirs, articles: Vec<PathBuf>) -> Receiver<IndexEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for (entry, a) in articles.iter().enumerate() {
            if !dirs.sidecar_of(a).exists() {
                continue;
            }
            let Ok(doc) = Document::open(&dirs, a) else {
                continue;
            };
            let tags: Vec<IndexedTag> = doc
                .annotations()
                .live_tags()
                .map(|t| IndexedTag {
                    label: t.label.clone(),
                    text: t.text.clone(),
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

/// One tagged text and where it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagGroup {
    /// The text as first seen.
    pub text: String,
    /// (entry, code points) of each occurrence.
    pub occurrences: Vec<(usize, Range<usize>)>,
}

impl TagGroup {
    /// How many articles it occurs in.
    pub fn articles(&self) -> usize {
        self.occurrences
            .iter()
            .map(|(e, _)| *e)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// Tagged texts grouped by label (in the order given by `label_order`) and same-text key.
#[derive(Debug, Clone, Default)]
pub struct TagGroups {
    groups: BTreeMap<(usize, String), (String, TagGroup)>,
}

impl TagGroups {
    /// Take in the tags of entry `entry`; `label_order` places a label (unknown ones last).
    pub fn add(
        &mut self,
        entry: usize,
        tags: Vec<IndexedTag>,
        label_order: impl Fn(&str) -> Option<usize>,
    ) {
        for t in tags {
            let li = label_order(&t.label).unwrap_or(usize::MAX);
            let key = text_key(&t.text);
            self.groups
                .entry((li, key))
                .or_insert_with(|| {
                    (
                        t.label.clone(),
                        TagGroup {
                            text: t.text.clone(),
                            occurrences: Vec::new(),
                        },
                    )
                })
                .1
                .occurrences
                .push((entry, t.chars));
        }
    }

    /// (label, group) in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &TagGroup)> {
        self.groups.values().map(|(l, g)| (l.as_str(), g))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_the_same_text_across_forms_and_case() {
        let mut g = TagGroups::default();
        let t = |label: &str, text: &str, a: usize| IndexedTag {
            label: label.into(),
            text: text.into(),
            chars: a..a + 3,
        };
        let order = |l: &str| ["PERSON", "TASK"].iter().position(|x| *x == l);
        g.add(0, vec![t("TASK", "x", 0), t("PERSON", "Hòa", 5)], order);
        g.add(1, vec![t("PERSON", "Hoà", 1), t("PERSON", "HÒA", 9)], order);
        let got: Vec<(&str, &str, usize, usize)> = g
            .iter()
            .map(|(l, g)| (l, g.text.as_str(), g.occurrences.len(), g.articles()))
            .collect();
        assert_eq!(got, [("PERSON", "Hòa", 3, 2), ("TASK", "x", 1, 1)]);
    }
}
