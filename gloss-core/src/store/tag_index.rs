//! The corpus-wide tag index: every tag of every annotated article, read through the core
//! [`Document`] on a background thread (so tags of edited articles are re-anchored like anywhere
//! else), and grouped by what they mention: the entity a tag is linked to, the same directive
//! however it is written, else the same-text key.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use super::{Document, SidecarDirs};
use crate::entity::{Mentioned, Registry, mentioned};
use crate::text::text_key;

/// A tag as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedTag {
    pub label: String,
    pub text: String,
    pub chars: Range<usize>,
    /// The entity it is linked to.
    pub entity: Option<String>,
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
                    entity: t.entity.clone(),
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
    /// What its tags mention, when not only their text says it (an entity, a directive).
    pub mentioned: Option<Mentioned>,
    /// The same-text keys of the ways it is written.
    pub forms: BTreeSet<String>,
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

/// Tagged texts grouped by label (in the order given by `label_order`) and what they mention.
#[derive(Debug, Clone, Default)]
pub struct TagGroups {
    groups: BTreeMap<(usize, GroupKey), (String, TagGroup)>,
}

/// What a group is keyed by, after its label: what its tags mention, else their text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum GroupKey {
    Mentioned(Mentioned),
    Text(String),
}

impl TagGroups {
    /// Take in the tags of entry `entry`; `label_order` places a label (unknown ones last). Tags
    /// are grouped by their entity and by the directive they name, without a registry.
    pub fn add(
        &mut self,
        entry: usize,
        tags: Vec<IndexedTag>,
        label_order: impl Fn(&str) -> Option<usize>,
    ) {
        self.add_with(entry, tags, label_order, None)
    }

    /// [`TagGroups::add`], a directive not linked yet grouped with the registry's entity of the
    /// same directive.
    pub fn add_with(
        &mut self,
        entry: usize,
        tags: Vec<IndexedTag>,
        label_order: impl Fn(&str) -> Option<usize>,
        registry: Option<&Registry>,
    ) {
        for t in tags {
            let li = label_order(&t.label).unwrap_or(usize::MAX);
            let text = text_key(&t.text);
            let of = mentioned(&t.label, &t.text, t.entity.as_deref(), registry);
            let key = match &of {
                Some(m) => GroupKey::Mentioned(m.clone()),
                None => GroupKey::Text(text.clone()),
            };
            let group = &mut self
                .groups
                .entry((li, key))
                .or_insert_with(|| {
                    (
                        t.label.clone(),
                        TagGroup {
                            text: t.text.clone(),
                            occurrences: Vec::new(),
                            mentioned: of,
                            forms: BTreeSet::new(),
                        },
                    )
                })
                .1;
            group.occurrences.push((entry, t.chars));
            group.forms.insert(text);
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
            entity: None,
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

    #[test]
    fn groups_a_directive_however_written_and_an_entity_by_its_id() {
        let mut g = TagGroups::default();
        let t = |label: &str, text: &str, entity: Option<&str>| IndexedTag {
            label: label.into(),
            text: text.into(),
            chars: 0..3,
            entity: entity.map(String::from),
        };
        let order = |l: &str| ["PERSON", "DIRECTIVE"].iter().position(|x| *x == l);
        g.add(
            0,
            vec![
                t("DIRECTIVE", "Chỉ thị số 24/CT-TW", None),
                t("PERSON", "Tô Lâm", Some("person-to-lam")),
            ],
            order,
        );
        g.add(
            1,
            vec![
                t("DIRECTIVE", "Chỉ thị 24-CT/TW", None),
                t("PERSON", "Bộ trưởng Tô Lâm", Some("person-to-lam")),
                t("DIRECTIVE", "Chỉ thị 25-CT/TW", None),
            ],
            order,
        );
        let got: Vec<(&str, usize, usize)> = g
            .iter()
            .map(|(_, g)| (g.text.as_str(), g.occurrences.len(), g.forms.len()))
            .collect();
        assert_eq!(
            got,
            [
                ("Tô Lâm", 2, 2),
                ("Chỉ thị số 24/CT-TW", 2, 2),
                ("Chỉ thị 25-CT/TW", 1, 1)
            ]
        );
    }
}
