//! Edits as reversible changes, and the undo/redo history of a session (across articles).

use std::path::PathBuf;

use super::{Annotation, AnnotationSet, ArticleFields, Relation};
use crate::entity::EntityChange;

/// One change to an article's tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Add(Annotation),
    Remove(Annotation),
    Update {
        before: Box<Annotation>,
        after: Box<Annotation>,
    },
    /// The article's status or comment.
    Article {
        before: ArticleFields,
        after: ArticleFields,
    },
    /// A relation added (`before` none), removed (`after` none) or changed.
    Relation {
        before: Option<Relation>,
        after: Option<Relation>,
    },
}

impl Change {
    /// A change of `before` into `after` (same id).
    pub fn update(before: Annotation, after: Annotation) -> Change {
        Change::Update {
            before: Box::new(before),
            after: Box::new(after),
        }
    }

    pub fn apply(&self, set: &mut AnnotationSet) {
        match self {
            Change::Add(t) => set.upsert(t.clone()),
            Change::Remove(t) => {
                set.remove(&t.id);
            }
            Change::Update { after, .. } => set.upsert((**after).clone()),
            Change::Article { after, .. } => set.article = after.clone(),
            Change::Relation { before, after } => {
                if let Some(b) = before {
                    set.remove_relation(&b.id);
                }
                if let Some(a) = after {
                    set.upsert_relation(a.clone());
                }
            }
        }
    }

    /// A relation added.
    pub fn add_relation(r: Relation) -> Change {
        Change::Relation {
            before: None,
            after: Some(r),
        }
    }

    /// A relation removed.
    pub fn remove_relation(r: Relation) -> Change {
        Change::Relation {
            before: Some(r),
            after: None,
        }
    }

    /// The relation this change leaves behind (or removes), if it is about a relation.
    pub fn relation(&self) -> Option<&Relation> {
        match self {
            Change::Relation { before, after } => after.as_ref().or(before.as_ref()),
            _ => None,
        }
    }

    pub fn inverse(&self) -> Change {
        match self {
            Change::Add(t) => Change::Remove(t.clone()),
            Change::Remove(t) => Change::Add(t.clone()),
            Change::Update { before, after } => Change::Update {
                before: after.clone(),
                after: before.clone(),
            },
            Change::Article { before, after } => Change::Article {
                before: after.clone(),
                after: before.clone(),
            },
            Change::Relation { before, after } => Change::Relation {
                before: after.clone(),
                after: before.clone(),
            },
        }
    }

    /// The tag this change leaves behind (or removes), if it is about a tag.
    pub fn tag(&self) -> Option<&Annotation> {
        match self {
            Change::Add(t) | Change::Remove(t) => Some(t),
            Change::Update { after, .. } => Some(after),
            Change::Article { .. } | Change::Relation { .. } => None,
        }
    }
}

/// One undoable step: changes to one article, undone together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub article: PathBuf,
    pub changes: Vec<Change>,
    /// Changes made in the same step to other articles (tag-all across the corpus).
    pub elsewhere: Vec<(PathBuf, Vec<Change>)>,
    /// What the step did to the corpus's entity registry (an entity made, an alias learnt), undone
    /// and redone with it.
    pub entities: Vec<EntityChange>,
}

impl HistoryEntry {
    /// A step on one article.
    pub fn new(article: PathBuf, changes: Vec<Change>) -> HistoryEntry {
        HistoryEntry {
            article,
            changes,
            elsewhere: Vec::new(),
            entities: Vec::new(),
        }
    }

    /// The step, with what it did to the entity registry.
    pub fn with_entities(mut self, entities: Vec<EntityChange>) -> HistoryEntry {
        self.entities = entities;
        self
    }

    /// Did the step change nothing: no tag, no other article, no entity?
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.elsewhere.is_empty() && self.entities.is_empty()
    }

    /// A step on the entity registry that no open article took part in (a rename, a delete; a
    /// merge with no article open): its `article` is empty.
    pub fn registry_only(&self) -> bool {
        self.article.as_os_str().is_empty() && self.changes.is_empty()
    }

    pub fn inverse(&self) -> HistoryEntry {
        let inv = |cs: &[Change]| cs.iter().rev().map(Change::inverse).collect::<Vec<_>>();
        HistoryEntry {
            article: self.article.clone(),
            changes: inv(&self.changes),
            elsewhere: self
                .elsewhere
                .iter()
                .map(|(p, cs)| (p.clone(), inv(cs)))
                .collect(),
            entities: self
                .entities
                .iter()
                .rev()
                .map(EntityChange::inverse)
                .collect(),
        }
    }
}

/// Undo and redo stacks for a whole session.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Each step with the number [`History::record`] gave it.
    undo: Vec<(u64, HistoryEntry)>,
    redo: Vec<(u64, HistoryEntry)>,
    recorded: u64,
}

impl History {
    /// Record a step just done; it clears the redo stack. Returns the step's number (for
    /// [`History::amend`]); an empty step is not recorded (one that changed only the entity
    /// registry is not empty).
    pub fn record(&mut self, entry: HistoryEntry) -> Option<u64> {
        if entry.is_empty() {
            return None;
        }
        self.recorded += 1;
        self.undo.push((self.recorded, entry));
        self.redo.clear();
        Some(self.recorded)
    }

    /// Record a step that other articles' changes will join later (see [`History::amend`]), even
    /// when it changed nothing in its own article.
    pub fn record_open(&mut self, entry: HistoryEntry) -> u64 {
        self.recorded += 1;
        self.undo.push((self.recorded, entry));
        self.redo.clear();
        self.recorded
    }

    /// Change the step numbered `id`, undone or not (a corpus step whose other articles were
    /// changed after it was recorded); `false` when it is gone.
    pub fn amend(&mut self, id: u64, f: impl FnOnce(&mut HistoryEntry)) -> bool {
        match self
            .undo
            .iter_mut()
            .chain(self.redo.iter_mut())
            .find(|(n, _)| *n == id)
        {
            Some((_, e)) => {
                f(e);
                true
            }
            None => false,
        }
    }

    /// Forget steps that changed nothing (a corpus step that found nothing to add).
    pub fn drop_empty(&mut self) {
        let empty = |(_, e): &(u64, HistoryEntry)| e.is_empty();
        self.undo.retain(|x| !empty(x));
        self.redo.retain(|x| !empty(x));
    }

    /// The article the next undo touches.
    pub fn next_undo(&self) -> Option<&HistoryEntry> {
        self.undo.last().map(|(_, e)| e)
    }

    pub fn next_redo(&self) -> Option<&HistoryEntry> {
        self.redo.last().map(|(_, e)| e)
    }

    /// Take the step to undo; the caller applies the returned inverse.
    pub fn undo(&mut self) -> Option<HistoryEntry> {
        let (n, e) = self.undo.pop()?;
        let inv = e.inverse();
        self.redo.push((n, e));
        Some(inv)
    }

    /// Take the step to redo; the caller applies it.
    pub fn redo(&mut self) -> Option<HistoryEntry> {
        let (n, e) = self.redo.pop()?;
        self.undo.push((n, e.clone()));
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_redo_round_trip() {
        let mut set = AnnotationSet::default();
        let mut h = History::default();
        let t = Annotation::new("PERSON", 0, 3, "abc", "me");
        let step = HistoryEntry::new("a.txt".into(), vec![Change::Add(t.clone())]);
        for c in &step.changes {
            c.apply(&mut set);
        }
        h.record(step);
        let mut t2 = t.clone();
        t2.label = "TASK".into();
        let step2 = HistoryEntry::new("a.txt".into(), vec![Change::update(t.clone(), t2.clone())]);
        step2.changes[0].apply(&mut set);
        h.record(step2);
        assert_eq!(set.get(&t.id).unwrap().label, "TASK");
        for c in h.undo().unwrap().changes {
            c.apply(&mut set);
        }
        assert_eq!(set.get(&t.id).unwrap().label, "PERSON");
        for c in h.undo().unwrap().changes {
            c.apply(&mut set);
        }
        assert!(set.is_empty());
        assert!(h.undo().is_none());
        for c in h.redo().unwrap().changes {
            c.apply(&mut set);
        }
        assert_eq!(set.len(), 1);
    }
}
