//! The open annotated article: its text, its tags and article fields, what the sidecar held that this
//! gloss does not know, the base it was read from (for the merge) and whether and why it is
//! read-only. It is the one way anything reads or changes a sidecar, so the rules live here once:
//!
//! - opening re-anchors tags whose text moved (the article was edited) and reports how many moved
//!   and how many are orphaned; a sidecar with two tags of one id gets new ids for the copies;
//! - edits go through [`Document::edit`]: spans are trimmed and put on grapheme boundaries, a second
//!   tag of the same label over the same span is dropped, and the first tag moves a new article to
//!   in progress; tag-all ([`Document::tag_all`]) skips occurrences inside a tag of the same label;
//! - saving locks, merges with whatever another session saved meanwhile (three-way, by tag id:
//!   [`super::merge`], the merge git's driver uses too),
//!   checks every tag against the text once more and writes atomically. A sidecar is never stamped
//!   with an article hash unless its tags were anchored against that text.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::merge::{Version, merge};
use super::reanchor::{Reanchored, reanchor};
use super::sidecar::{parse_bytes, read_raw, read_snapshot};
use super::{Sidecar, SidecarDirs, quoted_at, sha256_hex};
use crate::annotation::merge::merge_sets;
use crate::annotation::{
    Annotation, AnnotationSet, Change, Relation, RelationTypes, SpanRef, Status, TagFilter,
    article_change, new_id,
};
use crate::corpus::Article;
use crate::corpus::config::Anchoring;
use crate::error::{Error, Result};
use crate::files::Lock;
use crate::suggest::{Source, Suggester, Suggestion, occurrences};
use crate::text::{CharIndex, escape_path, motion, sanitize_inline};

/// How long a save waits for another writer's lock before it gives up (and the caller retries).
pub const LOCK_WAIT: Duration = Duration::from_millis(1000);

/// What opening found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Opened {
    /// Tags found again at new offsets, and tags whose text is gone (the article changed).
    pub reanchored: Reanchored,
    /// Tags and relations that shared an id with an earlier one and were given new ones (a
    /// relation that was a copy of the earlier one is kept once).
    pub new_ids: usize,
}

/// What a save did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// Changes taken from another session that saved meanwhile.
    pub merged: usize,
    /// Conflicts, one line each (both versions were kept).
    pub conflicts: Vec<String>,
    /// Tags the other session made too (same label, same span): kept once.
    pub same_tags: usize,
}

/// Why a change asked of [`Document::edit`] made nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The document is read-only (why).
    ReadOnly(String),
    /// Nothing is left of the span once trimmed (white space, or out of the text).
    NothingToTag,
    /// A tag of this label is on this span already (its text).
    AlreadyTagged { label: String, text: String },
    /// A tag of this id is there already.
    SameId(String),
    /// The tag (by id) is not there.
    NoSuchTag(String),
    /// A relation whose ends are not both there, or that joins a tag to itself.
    Dangling,
    /// The same link (type, head, tail) is there already.
    AlreadyRelated,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::ReadOnly(why) => write!(f, "read-only: {why}"),
            Refused::NothingToTag => f.write_str("nothing to tag there"),
            Refused::AlreadyTagged { label, .. } => write!(f, "already tagged as {label}"),
            Refused::SameId(id) => write!(f, "a tag with the id {id} is there already"),
            Refused::NoSuchTag(id) => write!(f, "no tag {id} in this article"),
            Refused::Dangling => f.write_str("the relation's tags are not both there"),
            Refused::AlreadyRelated => f.write_str("the same relation is there already"),
        }
    }
}

/// What [`Document::edit`] did: the changes made (what to record for undo: fewer than asked when
/// some were refused, more when the first tag also moved the status), and why each refused change
/// made nothing. It derefs to the changes made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edited {
    pub changes: Vec<Change>,
    pub refused: Vec<Refused>,
}

impl Edited {
    /// The changes made.
    pub fn into_changes(self) -> Vec<Change> {
        self.changes
    }

    /// Why the first refused change made nothing, if one was.
    pub fn why_not(&self) -> Option<&Refused> {
        self.refused.first()
    }
}

impl std::ops::Deref for Edited {
    type Target = Vec<Change>;
    fn deref(&self) -> &Vec<Change> {
        &self.changes
    }
}

impl IntoIterator for Edited {
    type Item = Change;
    type IntoIter = std::vec::IntoIter<Change>;
    fn into_iter(self) -> Self::IntoIter {
        self.changes.into_iter()
    }
}

impl<'a> IntoIterator for &'a Edited {
    type Item = &'a Change;
    type IntoIter = std::slice::Iter<'a, Change>;
    fn into_iter(self) -> Self::IntoIter {
        self.changes.iter()
    }
}

impl From<Edited> for Vec<Change> {
    fn from(e: Edited) -> Vec<Change> {
        e.changes
    }
}

/// An article with its annotations, as read from disk and changed since.
#[derive(Debug)]
pub struct Document {
    /// Shared with the saves taken of it (the text never changes while it is open).
    article: Arc<Article>,
    chars: Arc<CharIndex>,
    sidecar_path: PathBuf,
    annotations: AnnotationSet,
    /// The annotations as last read from or written to the sidecar: the base of a merge (shared
    /// with the saves taken, which need it only when another writer saved meanwhile).
    base: Arc<AnnotationSet>,
    /// SHA-256 of the article's text, stamped on the sidecar (the text never changes while open).
    article_hash: String,
    /// Hash of the sidecar's bytes as last read or written (`None`: no file).
    disk_hash: Option<String>,
    /// Top-level sidecar fields from a newer gloss, written back as they were.
    extra: Vec<(String, String)>,
    /// Why the article cannot be tagged, if so.
    read_only: Option<String>,
    /// The sidecar could not be read (it is then never written).
    sidecar_error: Option<Error>,
    opened: Opened,
    /// What spans snap to (exact characters unless the corpus asks for tokens).
    anchoring: Anchoring,
    /// Changed since read or saved (edits, re-anchoring, a stale article hash).
    unsaved: bool,
    /// Bumped by every change, so that a save taken before one can tell (see [`SaveJob`]).
    edits: u64,
}

impl Document {
    /// Read the article at `path` and its sidecar. An unreadable article is an error; an unreadable
    /// sidecar makes the document read-only (see [`Document::sidecar_error`]).
    pub fn open(dirs: &SidecarDirs, path: &Path) -> Result<Document> {
        Ok(Document::with_article(
            Article::read(path)?,
            dirs.sidecar_of(path),
        ))
    }

    /// Like [`Document::open`], but an unreadable sidecar is an error too (exports, stats).
    pub fn open_checked(dirs: &SidecarDirs, path: &Path) -> Result<Document> {
        let mut doc = Document::open(dirs, path)?;
        match doc.sidecar_error.take() {
            Some(e) => Err(e),
            None => Ok(doc),
        }
    }

    /// The document of an article already read, with the sidecar at `sidecar_path`.
    pub fn with_article(article: Article, sidecar_path: PathBuf) -> Document {
        let chars = Arc::new(CharIndex::new(&article.text));
        let article_hash = sha256_hex(&article.text);
        let mut doc = Document {
            article: Arc::new(article),
            chars,
            article_hash,
            sidecar_path,
            annotations: AnnotationSet::default(),
            base: Arc::default(),
            disk_hash: None,
            extra: Vec::new(),
            read_only: None,
            sidecar_error: None,
            opened: Opened::default(),
            anchoring: Anchoring::Characters,
            unsaved: false,
            edits: 0,
        };
        if doc.article.lossy {
            doc.read_only =
                Some("the file is not valid UTF-8 (invalid bytes shown as �)".to_string());
            return doc;
        }
        match read_snapshot(&doc.sidecar_path) {
            Ok(snap) => {
                doc.disk_hash = snap.hash;
                if let Some(sc) = snap.sidecar {
                    doc.take_sidecar(sc);
                }
            }
            Err(e) => {
                doc.read_only = Some(format!("{e} (the sidecar is left untouched)"));
                doc.sidecar_error = Some(e);
            }
        }
        doc
    }

    /// Take the annotations of a sidecar just read: repair duplicate ids, re-anchor.
    fn take_sidecar(&mut self, sc: Sidecar) {
        let mut base = sc.annotation_set();
        let (fields, time) = (sc.article_fields(), sc.time.clone());
        self.extra = sc.extra.clone();
        let stale = sc.sha256 != self.article_hash;
        let mut tags = sc.tags;
        let mut seen = std::collections::HashSet::new();
        for t in tags.iter_mut() {
            if !seen.insert(t.id.clone()) {
                t.id = new_id();
                self.opened.new_ids += 1;
            }
        }
        // relations too: a copy of one (same id, same link) is one relation, and another
        // relation under a taken id gets its own, so none is exported or counted twice
        let mut relations: Vec<Relation> = Vec::with_capacity(sc.relations.len());
        let mut rel_ids: std::collections::HashMap<String, usize> = Default::default();
        for mut r in sc.relations {
            if let Some(&k) = rel_ids.get(&r.id) {
                self.opened.new_ids += 1;
                if relations[k].same_link(&r) {
                    continue;
                }
                r.id = new_id();
            }
            rel_ids.insert(r.id.clone(), relations.len());
            relations.push(r);
        }
        if self.opened.new_ids > 0 {
            // the base must not hold the duplicates either: the merge is by id
            base.set_tags(tags.clone());
            base = base.with_relations(relations.clone());
        }
        self.opened.reanchored = reanchor(&self.article.text, &self.chars, &mut tags);
        self.annotations = AnnotationSet::new(tags)
            .with_article(fields)
            .with_time(time)
            .with_relations(relations);
        self.unsaved = stale
            || self.opened.new_ids > 0
            || self.opened.reanchored.moved > 0
            || self.annotations != base;
        self.base = Arc::new(base);
    }

    /// Snap new spans as `anchoring` says (the TUI passes the corpus's setting; imports and the
    /// batch paths keep exact characters).
    pub fn with_anchoring(mut self, anchoring: Anchoring) -> Document {
        self.anchoring = anchoring;
        self
    }

    pub fn anchoring(&self) -> Anchoring {
        self.anchoring
    }

    // --- reading ---

    pub fn article(&self) -> &Article {
        &self.article
    }

    pub fn path(&self) -> &Path {
        &self.article.path
    }

    pub fn text(&self) -> &str {
        &self.article.text
    }

    /// The text's code-point index.
    pub fn chars(&self) -> &CharIndex {
        &self.chars
    }

    pub fn sidecar_path(&self) -> &Path {
        &self.sidecar_path
    }

    /// The tags and article fields as they are now.
    pub fn annotations(&self) -> &AnnotationSet {
        &self.annotations
    }

    pub fn tags(&self) -> &crate::annotation::Tags {
        self.annotations.tags()
    }

    pub fn status(&self) -> Status {
        self.annotations.article.status
    }

    /// Why the article cannot be tagged, if so.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// Why the sidecar could not be read, if so.
    pub fn sidecar_error(&self) -> Option<&Error> {
        self.sidecar_error.as_ref()
    }

    /// What opening found (re-anchored tags, repaired ids).
    pub fn opened(&self) -> Opened {
        self.opened
    }

    /// Has it changed since it was read or saved?
    pub fn is_unsaved(&self) -> bool {
        self.unsaved
    }

    /// Count `seconds` of `annotator`'s active time on `day` (UTC, `YYYY-MM-DD`). It is no edit
    /// (undo leaves it), and it is saved with the next save. A glance at an article with no
    /// sidecar and nothing else to save writes none: its time is kept only once the article has
    /// a sidecar or something else to save. A read-only document keeps none.
    pub fn add_time(&mut self, annotator: &str, day: &str, seconds: u64) {
        if seconds == 0 || self.read_only.is_some() {
            return;
        }
        self.annotations.time.add(annotator, day, seconds);
        self.edits += 1;
        if self.disk_hash.is_some() || !self.annotations.tags().is_empty() {
            self.unsaved = true;
        }
    }

    /// [`Document::add_time`], to be saved whatever else there is (an import's time).
    pub fn add_time_to_save(&mut self, annotator: &str, day: &str, seconds: u64) {
        if seconds == 0 || self.read_only.is_some() {
            return;
        }
        self.add_time(annotator, day, seconds);
        self.unsaved = true;
    }

    /// Tags changed in two places at once whose other version is still there.
    pub fn conflicted(&self) -> impl Iterator<Item = &Annotation> {
        let set = &self.annotations;
        set.tags().iter().filter(move |t| {
            t.conflict
                .as_deref()
                .is_some_and(|other| set.get(other).is_some())
        })
    }

    /// The bytes of code points `c`, if in range.
    pub fn bytes_of(&self, c: &Range<usize>) -> Option<Range<usize>> {
        let a = self.chars.char_to_byte(&self.article.text, c.start)?;
        let b = self.chars.char_to_byte(&self.article.text, c.end)?;
        (a <= b).then_some(a..b)
    }

    /// The code points of bytes `b`.
    pub fn chars_of(&self, b: &Range<usize>) -> Range<usize> {
        let t = &self.article.text;
        self.chars.byte_to_char(t, b.start)..self.chars.byte_to_char(t, b.end)
    }

    /// What opening found, for the user; `None` when there is nothing to say.
    pub fn open_note(&self) -> Option<String> {
        let r = self.opened.reanchored;
        let mut parts = Vec::new();
        if r.moved + r.orphaned > 0 {
            parts.push(format!(
                "the article changed since it was tagged: {} tag(s) found again, {} orphaned (O jumps to them)",
                r.moved, r.orphaned
            ));
        }
        if self.opened.new_ids > 0 {
            parts.push(format!(
                "{} tag(s) or relation(s) shared an id with another and were given new ids (or, copies, kept once)",
                self.opened.new_ids
            ));
        }
        let conflicts = self.conflicted().count();
        if conflicts > 0 {
            parts.push(format!(
                "{} tag(s) were changed in two places at once and both versions kept: delete the one you do not want",
                conflicts / 2 + conflicts % 2
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    // --- editing ---

    /// A new tag of `label` on bytes `bytes`, put on the rules' span (trimmed, on grapheme
    /// boundaries); `None` when nothing is left of the span.
    pub fn new_tag(&self, label: &str, bytes: Range<usize>, annotator: &str) -> Option<Annotation> {
        let span = self.normalise(bytes)?;
        let chars = self.chars_of(&span);
        Some(Annotation::new(
            label,
            chars.start,
            chars.end,
            &self.article.text[span],
            annotator,
        ))
    }

    /// The rules' span for bytes `b`: grown to grapheme boundaries (to whole syllables when the
    /// anchoring is by tokens), trimmed of white space.
    pub fn normalise(&self, b: Range<usize>) -> Option<Range<usize>> {
        let text = &self.article.text;
        let b = b.start.min(text.len())..b.end.min(text.len());
        let mut span = motion::floor_grapheme(text, b.start)..motion::ceil_grapheme(text, b.end);
        if self.anchoring == Anchoring::Tokens {
            span = motion::snap_to_words(text, span);
        }
        motion::trim_range(text, span)
    }

    /// Put a tag on the rules' span: its offsets and quoted text from the text itself.
    fn normalise_tag(&self, t: &Annotation) -> Option<Annotation> {
        let bytes = self.bytes_of(&(t.start..t.end))?;
        let span = self.normalise(bytes)?;
        let chars = self.chars_of(&span);
        let mut t = t.clone();
        t.start = chars.start;
        t.end = chars.end;
        t.text = self.article.text[span].to_string();
        t.orphaned = false;
        Some(t)
    }

    /// Tag bytes `bytes` of the text as `label`: the span put on the rules' span once (trimmed, on
    /// grapheme boundaries, to whole syllables when anchoring by tokens), then added under the
    /// rules of [`Document::edit`]. What the reader's label keys do.
    pub fn tag(&mut self, label: &str, bytes: Range<usize>, annotator: &str) -> Edited {
        if let Some(why) = &self.read_only {
            return Edited {
                changes: Vec::new(),
                refused: vec![Refused::ReadOnly(why.clone())],
            };
        }
        match self.new_tag(label, bytes, annotator) {
            Some(t) => self.edit_as(vec![Change::Add(t)], true, true),
            None => Edited {
                changes: Vec::new(),
                refused: vec![Refused::NothingToTag],
            },
        }
    }

    /// Apply `changes` under the rules; says what it did ([`Edited`]): the changes made (what to
    /// record for undo), which may be fewer (a tag already there, a span of white space: each
    /// refused with why) or more (the status moving to in progress on the first tag). A read-only
    /// document changes nothing.
    pub fn edit(&mut self, changes: Vec<Change>) -> Edited {
        self.edit_as(changes, false, true)
    }

    /// [`Document::edit`] made from elsewhere (a corpus tag-all from another article): the
    /// article's status stays as it is, since nobody worked on this article.
    pub fn edit_from_elsewhere(&mut self, changes: Vec<Change>) -> Edited {
        self.edit_as(changes, false, false)
    }

    /// [`Document::edit`]; `normalised`: the tags added are on the rules' span already;
    /// `worked_on`: a first tag moves a new article's status to in progress.
    fn edit_as(&mut self, changes: Vec<Change>, normalised: bool, worked_on: bool) -> Edited {
        if let Some(why) = &self.read_only {
            return Edited {
                changes: Vec::new(),
                refused: vec![Refused::ReadOnly(why.clone()); changes.len().max(1)],
            };
        }
        let mut refused = Vec::new();
        // What is there, by id and by (label, span): the set's index (the tags as they were) and
        // what this batch changed on top, so that a batch (tag-all, accept-all, an import) costs
        // about a look per change, and one tag costs no copy of them all nor a walk of them.
        let set = &self.annotations;
        let mut changed: HashMap<String, Option<Annotation>> = HashMap::new();
        let mut span_delta: HashMap<(String, usize, usize), isize> = HashMap::new();
        let current =
            |changed: &HashMap<String, Option<Annotation>>, id: &str| match changed.get(id) {
                Some(now) => now.clone(),
                None => set.get(id).cloned(),
            };
        let taken = |delta: &HashMap<(String, usize, usize), isize>, t: &Annotation| {
            let base = set
                .tags()
                .of_span(t.start, t.end)
                .filter(|o| !o.orphaned && o.label == t.label)
                .count() as isize;
            base + delta
                .get(&(t.label.clone(), t.start, t.end))
                .copied()
                .unwrap_or(0)
                > 0
        };
        let span = |t: &Annotation| (t.label.clone(), t.start, t.end);
        let mut article = self.annotations.article.clone();
        let mut done: Vec<Change> = Vec::new();
        // relations changed by this batch, on top of the set's
        let mut rel_changed: HashMap<String, Option<Relation>> = HashMap::new();
        let relations = self.annotations.relations();
        let rel_now = |rel_changed: &HashMap<String, Option<Relation>>| -> Vec<Relation> {
            let mut v: Vec<Relation> = relations
                .iter()
                .filter(|r| !rel_changed.contains_key(&r.id))
                .cloned()
                .collect();
            v.extend(rel_changed.values().flatten().cloned());
            v
        };
        for c in changes {
            if let Change::Relation { before, after } = c {
                let now =
                    before
                        .as_ref()
                        .or(after.as_ref())
                        .and_then(|r| match rel_changed.get(&r.id) {
                            Some(x) => x.clone(),
                            None => self.annotations.relation(&r.id).cloned(),
                        });
                let after = match after {
                    None => None,
                    Some(a) => {
                        let joins = current(&changed, &a.head).is_some()
                            && current(&changed, &a.tail).is_some()
                            && a.head != a.tail;
                        let doubled = rel_now(&rel_changed)
                            .iter()
                            .any(|r| r.id != a.id && r.same_link(&a));
                        if !joins {
                            refused.push(Refused::Dangling);
                            continue;
                        }
                        if doubled {
                            refused.push(Refused::AlreadyRelated);
                            continue;
                        }
                        Some(a)
                    }
                };
                if now.is_none() && after.is_none() {
                    refused.push(Refused::Dangling);
                    continue;
                }
                let id = after.as_ref().or(now.as_ref()).map(|r| r.id.clone());
                if let Some(id) = id {
                    rel_changed.insert(id, after.clone());
                }
                done.push(Change::Relation { before: now, after });
                continue;
            }
            let c = match c {
                Change::Add(t) => {
                    let t = if normalised {
                        Some(t)
                    } else {
                        self.normalise_tag(&t)
                    };
                    let Some(t) = t else {
                        refused.push(Refused::NothingToTag);
                        continue;
                    };
                    if taken(&span_delta, &t) {
                        refused.push(Refused::AlreadyTagged {
                            label: t.label,
                            text: t.text,
                        });
                        continue;
                    }
                    if current(&changed, &t.id).is_some() {
                        refused.push(Refused::SameId(t.id));
                        continue;
                    }
                    Change::Add(t)
                }
                Change::Update { before, after } => {
                    let Some(after) = self.normalise_tag(&after) else {
                        refused.push(Refused::NothingToTag);
                        continue;
                    };
                    let Some(now) = current(&changed, &before.id) else {
                        refused.push(Refused::NoSuchTag(before.id.clone()));
                        continue;
                    };
                    if span(&after) != span(&now) && taken(&span_delta, &after) {
                        refused.push(Refused::AlreadyTagged {
                            label: after.label,
                            text: after.text,
                        });
                        continue;
                    }
                    Change::update(now, after)
                }
                Change::Remove(t) => match current(&changed, &t.id) {
                    Some(now) => Change::Remove(now),
                    None => {
                        refused.push(Refused::NoSuchTag(t.id.clone()));
                        continue;
                    }
                },
                Change::Article { after, .. } => Change::Article {
                    before: std::mem::replace(&mut article, after.clone()),
                    after,
                },
                Change::Relation { .. } => continue,
            };
            match &c {
                Change::Add(t) => {
                    *span_delta.entry(span(t)).or_default() += 1;
                    changed.insert(t.id.clone(), Some(t.clone()));
                }
                Change::Remove(t) => {
                    if !t.orphaned {
                        *span_delta.entry(span(t)).or_default() -= 1;
                    }
                    changed.insert(t.id.clone(), None);
                }
                Change::Update { before, after } => {
                    if !before.orphaned {
                        *span_delta.entry(span(before)).or_default() -= 1;
                    }
                    *span_delta.entry(span(after)).or_default() += 1;
                    changed.insert(after.id.clone(), Some((**after).clone()));
                }
                Change::Article { .. } | Change::Relation { .. } => {}
            }
            // a tag deleted takes its relations with it, in the same step
            let gone = match &c {
                Change::Remove(t) => Some(t.id.clone()),
                _ => None,
            };
            done.push(c);
            if let Some(gone) = gone {
                for r in rel_now(&rel_changed) {
                    if r.touches(&gone) {
                        rel_changed.insert(r.id.clone(), None);
                        done.push(Change::remove_relation(r));
                    }
                }
            }
        }
        if worked_on
            && article.status == Status::New
            && done.iter().any(|c| matches!(c, Change::Add(_)))
            && let Some(c) = article_change(&article, |a| a.status = Status::InProgress)
        {
            done.push(c);
        }
        self.annotations.apply(&done);
        if !done.is_empty() {
            self.unsaved = true;
            self.edits += 1;
        }
        Edited {
            changes: done,
            refused,
        }
    }

    /// Make the document read-only, saying why (what its tags are compared with could not all be
    /// read, say): it is then never edited nor saved.
    pub fn make_read_only(&mut self, why: impl Into<String>) {
        self.read_only.get_or_insert_with(|| why.into());
    }

    /// A relation of type `label` from the tag `head` to the tag `tail`, checked against `types`
    /// (both tags there, the type allowing their labels, not the same link twice). Not applied:
    /// pass it to [`Document::edit`] as [`Change::add_relation`].
    pub fn relate(
        &self,
        label: &str,
        head: &str,
        tail: &str,
        types: &RelationTypes,
        annotator: &str,
    ) -> std::result::Result<Relation, String> {
        let tag = |id: &str| {
            self.annotations
                .get(id)
                .ok_or_else(|| format!("no tag {id} in this article"))
        };
        let (h, t) = (tag(head)?, tag(tail)?);
        types.check(label, h, t)?;
        let r = Relation::new(label, head, tail, annotator);
        if self.annotations.relations().iter().any(|x| x.same_link(&r)) {
            return Err(format!(
                "{label} from “{}” to “{}” is already there",
                sanitize_inline(&h.text),
                sanitize_inline(&t.text)
            ));
        }
        Ok(r)
    }

    /// The change that links the tag `id` to the entity `entity` (or unlinks it, with `None`).
    pub fn link(&self, id: &str, entity: Option<&str>) -> Option<Change> {
        let before = self.annotations.get(id)?;
        if before.entity.as_deref() == entity {
            return None;
        }
        let mut after = before.clone();
        after.entity = entity.map(String::from);
        after.modified = crate::annotation::timestamp();
        Some(Change::update(before.clone(), after))
    }

    /// Apply changes exactly as recorded (undo and redo replay what [`Document::edit`] returned).
    pub fn replay(&mut self, changes: &[Change]) {
        if self.read_only.is_some() || changes.is_empty() {
            return;
        }
        self.annotations.apply(changes);
        self.unsaved = true;
        self.edits += 1;
    }

    /// Tags for every occurrence of `needle` (the same text up to form, case and tone placement, as
    /// whole words) not yet inside a tag of `label`, linked to `entity` when given (the entity of
    /// the tag they copy): what tag-all adds; and, with `entity`, the link of each copy already
    /// tagged as `label` on the same span and linked to nothing. Not applied: pass them to
    /// [`Document::edit`].
    pub fn tag_all(
        &self,
        label: &str,
        needle: &str,
        entity: Option<&str>,
        annotator: &str,
    ) -> Vec<Change> {
        let text = &self.article.text;
        let coverage = self.annotations.coverage();
        let mut out = Vec::new();
        for b in occurrences(text, needle) {
            let chars = self.chars_of(&b);
            if !coverage.covers(label, &chars) {
                if let Some(mut t) = self.new_tag(label, b, annotator) {
                    t.entity = entity.map(String::from);
                    out.push(Change::Add(t));
                }
                continue;
            }
            // a copy tagged already, with no entity: linked to the copied tag's
            if let Some(e) = entity
                && let Some(there) = self.annotations.find_same(label, chars.start, chars.end)
                && there.entity.is_none()
            {
                let mut after = there.clone();
                after.entity = Some(e.to_string());
                out.push(Change::Update {
                    before: Box::new(there.clone()),
                    after: Box::new(after),
                });
            }
        }
        out
    }

    /// The suggestions to show: `suggester`'s, and those stored by `gloss suggest` that still match
    /// the text, less what is tagged or was rejected; sorted, one per label and span.
    pub fn suggestions(
        &self,
        suggester: &Suggester,
        labels: &crate::annotation::LabelSet,
    ) -> Vec<Suggestion> {
        if self.read_only.is_some() {
            return Vec::new();
        }
        self.suggestions_from(suggester.suggest(&self.article.text), labels)
    }

    /// [`Document::suggestions`] from what a suggester found in this text (on another thread):
    /// joined by the stored ones, less what is tagged or was rejected.
    pub fn suggestions_from(
        &self,
        mut found: Vec<Suggestion>,
        labels: &crate::annotation::LabelSet,
    ) -> Vec<Suggestion> {
        if self.read_only.is_some() {
            return Vec::new();
        }
        let text = &self.article.text;
        for s in &self.annotations.article.suggested {
            if let Some(b) = self.bytes_of(&(s.start..s.end))
                && text[b.clone()] == s.text
            {
                found.push(Suggestion {
                    label: s.label.clone(),
                    bytes: b,
                    source: Source::Pattern,
                });
            }
        }
        self.open_suggestions(found, labels)
    }

    /// The one rule of which suggestions count, for the reader and `gloss suggest` alike: of
    /// `found` (suggestions in this text), those of a label of `labels` that no tag of their label
    /// overlaps and that were not rejected; sorted, one per label and span.
    pub fn open_suggestions(
        &self,
        mut found: Vec<Suggestion>,
        labels: &crate::annotation::LabelSet,
    ) -> Vec<Suggestion> {
        let coverage = self.annotations.coverage();
        found.retain(|s| {
            labels.get(&s.label).is_some()
                && coverage.wants_suggestion(&s.label, &self.chars_of(&s.bytes))
        });
        found.sort_by(|a, b| {
            (a.bytes.start, std::cmp::Reverse(a.bytes.end), &a.label).cmp(&(
                b.bytes.start,
                std::cmp::Reverse(b.bytes.end),
                &b.label,
            ))
        });
        found.dedup_by(|a, b| a.bytes == b.bytes && a.label == b.label);
        found
    }

    /// The change that stores `suggestions` (bytes of this text) in the sidecar's `suggested`
    /// list, in place of what was stored (`gloss suggest`); `None` when they are what is stored.
    pub fn store_suggestions(&self, suggestions: &[Suggestion]) -> Option<Change> {
        let text = &self.article.text;
        let spans: Vec<SpanRef> = suggestions
            .iter()
            .map(|s| {
                let chars = self.chars_of(&s.bytes);
                SpanRef {
                    label: s.label.clone(),
                    start: chars.start,
                    end: chars.end,
                    text: text[s.bytes.clone()].to_string(),
                }
            })
            .collect();
        self.annotations.change_article(|a| a.suggested = spans)
    }

    /// The change that drops from the sidecar's `suggested` list what is no longer open there (a
    /// tag of its label now overlaps it, or it was rejected): stored suggestions are the open
    /// ones, as `gloss suggest` stores them. `None` when all are still open.
    pub fn settle_suggested(&self) -> Option<Change> {
        let coverage = self.annotations.coverage();
        let open: Vec<SpanRef> = self
            .annotations
            .article
            .suggested
            .iter()
            .filter(|s| coverage.wants_suggestion(&s.label, &(s.start..s.end)))
            .cloned()
            .collect();
        self.annotations.change_article(|a| a.suggested = open)
    }

    // --- saving ---

    /// The sidecar this document would write now.
    pub fn to_sidecar(&self) -> Sidecar {
        let mut sc = Sidecar::anchored(
            &self.article.path,
            &self.article.text,
            &self.chars,
            &self.article_hash,
            &self.annotations,
        );
        sc.extra = self.extra.clone();
        sc
    }

    /// The sidecar as this document last read or wrote it (the base of the next merge), for a
    /// recovery file to be merged back three-way ([`super::recovery`]).
    pub fn base_sidecar(&self) -> Sidecar {
        let mut sc = Sidecar::anchored(
            &self.article.path,
            &self.article.text,
            &self.chars,
            &self.article_hash,
            &self.base,
        );
        sc.extra = self.extra.clone();
        sc
    }

    /// Save under the sidecar's lock: if another session saved meanwhile, merge its changes (by tag
    /// id; on a conflict both versions are kept and reported); check every tag against the text once
    /// more (re-anchoring any that came from the other session and do not match); write atomically.
    /// A sidecar that changed on disk and no longer parses is not overwritten: the save fails.
    pub fn save(&mut self) -> Result<Saved> {
        self.save_within(LOCK_WAIT)
    }

    /// [`Document::save`], waiting at most `wait` for another writer's lock.
    pub fn save_within(&mut self, wait: Duration) -> Result<Saved> {
        let done = self.save_job()?.run_within(wait).map_err(|f| f.error)?;
        Ok(self.finish_save(done))
    }

    /// The save of the document as it is now, to run here or on another thread
    /// ([`SaveJob::run`]); its result goes back through [`Document::finish_save`]. A read-only
    /// document is never saved.
    pub fn save_job(&self) -> Result<SaveJob> {
        if let Some(why) = &self.read_only {
            return Err(Error::invalid(
                &self.sidecar_path,
                format!("not saved: {why}"),
            ));
        }
        Ok(SaveJob {
            article: Arc::clone(&self.article),
            chars: Arc::clone(&self.chars),
            article_hash: self.article_hash.clone(),
            sidecar_path: self.sidecar_path.clone(),
            annotations: self.annotations.clone(),
            base: Arc::clone(&self.base),
            disk_hash: self.disk_hash.clone(),
            extra: self.extra.clone(),
            edits: self.edits,
        })
    }

    /// Take in what a save of this document wrote: the written tags become the base of the next
    /// merge; changes made since the save was taken are kept on top of what it wrote (and still
    /// to save).
    pub fn finish_save(&mut self, done: SaveDone) -> Saved {
        self.disk_hash = Some(done.disk_hash);
        self.extra = done.extra;
        match (self.edits == done.edits, done.taken) {
            // what was written is what is here
            (true, None) => self.unsaved = false,
            // the save changed it (another session's changes merged in)
            (true, Some(_)) => {
                self.annotations = done.written.clone();
                self.unsaved = false;
            }
            // edited while it saved: those edits are still to save
            (false, None) => self.unsaved = true,
            (false, Some(taken)) => {
                let m = merge_sets(&taken, &self.annotations, &done.written);
                self.annotations = m.set;
                self.unsaved = true;
            }
        }
        self.base = Arc::new(done.written);
        done.saved
    }

    /// Save if there is anything to save; `Ok(None)` when there was not (or it is read-only).
    pub fn save_if_changed(&mut self) -> Result<Option<Saved>> {
        if !self.unsaved || self.read_only.is_some() {
            return Ok(None);
        }
        self.save().map(Some)
    }

    // --- exporting ---

    /// The tags to export: those `filter` keeps whose quoted text is what the text holds at their
    /// offsets (after re-anchoring). Orphans and anything else are left out, each with a warning;
    /// tags found again after the article changed are counted in one.
    pub fn exportable(&self, filter: &TagFilter, warnings: &mut Vec<String>) -> Vec<Annotation> {
        let name = escape_path(&self.sidecar_path);
        let moved = self.opened.reanchored.moved;
        if moved > 0 {
            warnings.push(format!(
                "{}: {moved} tag(s) found again after the article changed",
                escape_path(&self.article.path)
            ));
        }
        let text = &self.article.text;
        let mut out = Vec::new();
        for t in self.annotations.tags() {
            if !filter.keeps(t) {
                continue;
            }
            let why = if t.orphaned {
                "is orphaned (its text is not in the changed article)"
            } else if quoted_at(text, &self.chars, t.start, t.end) != Some(t.text.as_str()) {
                "does not match the article text"
            } else {
                out.push(t.clone());
                continue;
            };
            warnings.push(format!(
                "{name}: tag {} ({} “{}” at {}..{}) {why}: left out",
                t.id,
                t.label,
                sanitize_inline(&t.text),
                t.start,
                t.end
            ));
        }
        out
    }
}

/// A save of a [`Document`] as it was when [`Document::save_job`] took it: everything the write
/// needs, owned (the text and the base shared), so that it may run on another thread while the user
/// goes on.
#[derive(Debug)]
pub struct SaveJob {
    article: Arc<Article>,
    chars: Arc<CharIndex>,
    article_hash: String,
    sidecar_path: PathBuf,
    annotations: AnnotationSet,
    base: Arc<AnnotationSet>,
    disk_hash: Option<String>,
    extra: Vec<(String, String)>,
    edits: u64,
}

/// What a [`SaveJob`] wrote, for [`Document::finish_save`].
#[derive(Debug)]
pub struct SaveDone {
    /// The annotations written.
    written: AnnotationSet,
    /// When the save changed them (another session's changes merged in, a settled conflict): the
    /// annotations the job was taken with.
    taken: Option<AnnotationSet>,
    disk_hash: String,
    extra: Vec<(String, String)>,
    edits: u64,
    saved: Saved,
}

/// A save that failed: why, and the save itself (to keep its tags elsewhere).
#[derive(Debug)]
pub struct SaveFailed {
    pub error: Error,
    pub job: SaveJob,
}

impl SaveDone {
    /// What the save did (merged, conflicts).
    pub fn saved(&self) -> &Saved {
        &self.saved
    }

    /// The annotations it wrote.
    pub fn written(&self) -> &AnnotationSet {
        &self.written
    }
}

impl SaveJob {
    /// The sidecar it writes.
    pub fn sidecar_path(&self) -> &Path {
        &self.sidecar_path
    }

    /// The article it saves the tags of.
    pub fn article_path(&self) -> &Path {
        &self.article.path
    }

    /// The annotations it saves.
    pub fn annotations(&self) -> &AnnotationSet {
        &self.annotations
    }

    /// The sidecar it would write, as it stands.
    pub fn to_sidecar(&self) -> Sidecar {
        self.sidecar_of(&self.annotations)
    }

    /// The sidecar as the document was last read or written (see [`Document::base_sidecar`]).
    pub fn base_sidecar(&self) -> Sidecar {
        self.sidecar_of(&self.base)
    }

    fn sidecar_of(&self, set: &AnnotationSet) -> Sidecar {
        let mut sc = Sidecar::anchored(
            &self.article.path,
            &self.article.text,
            &self.chars,
            &self.article_hash,
            set,
        );
        sc.extra = self.extra.clone();
        sc
    }

    /// Write, waiting at most [`LOCK_WAIT`] for another writer's lock.
    pub fn run(self) -> std::result::Result<SaveDone, Box<SaveFailed>> {
        self.run_within(LOCK_WAIT)
    }

    /// Write under the sidecar's lock, waiting at most `wait` for it (see [`Document::save`]). On
    /// failure the job comes back with the error.
    pub fn run_within(mut self, wait: Duration) -> std::result::Result<SaveDone, Box<SaveFailed>> {
        match self.write(wait) {
            Ok((taken, written, disk_hash, saved)) => Ok(SaveDone {
                written,
                taken,
                disk_hash,
                extra: self.extra,
                edits: self.edits,
                saved,
            }),
            Err(error) => Err(Box::new(SaveFailed { error, job: self })),
        }
    }

    /// Lock, merge with what another writer saved meanwhile (only then: its tags are checked
    /// against the text), settle conflicts whose other version is gone, write. Returns the
    /// annotations taken (when the save changed them), those written, the hash of the bytes
    /// written and what the merge did.
    #[allow(clippy::type_complexity)]
    fn write(
        &mut self,
        wait: Duration,
    ) -> Result<(Option<AnnotationSet>, AnnotationSet, String, Saved)> {
        let _lock = Lock::acquire(&self.sidecar_path, wait)?;
        let now = read_raw(&self.sidecar_path)?;
        let mut saved = Saved::default();
        let mut set = None;
        if now.as_ref().map(|(_, h)| h) != self.disk_hash.as_ref()
            && let Some((bytes, _)) = now
        {
            let theirs = parse_bytes(&self.sidecar_path, bytes)?;
            // this gloss never changes the fields it does not know: ours are the base's
            let theirs_set = theirs.annotation_set();
            let m = merge(
                Version {
                    set: &self.base,
                    extra: &self.extra,
                },
                Version {
                    set: &self.annotations,
                    extra: &self.extra,
                },
                Version {
                    set: &theirs_set,
                    extra: &theirs.extra,
                },
            );
            saved.merged = m.sets.theirs_applied;
            saved.conflicts = m.sets.conflicts;
            saved.same_tags = m.sets.same_tags;
            self.extra = m.extra;
            let mut merged = m.sets.set;
            // the other session's tags may have been anchored against another text
            let mut tags = merged.tags().to_vec();
            reanchor(&self.article.text, &self.chars, &mut tags);
            merged.set_tags(tags);
            set = Some(merged);
        }
        // a conflict is settled when one of its two versions is gone
        let unsettled = |s: &AnnotationSet| {
            let tags = s.tags();
            tags.iter().any(|t| {
                t.conflict
                    .as_ref()
                    .is_some_and(|o| !tags.iter().any(|x| x.id == *o))
            })
        };
        if unsettled(set.as_ref().unwrap_or(&self.annotations)) {
            let mut s = set.take().unwrap_or_else(|| self.annotations.clone());
            let ids: std::collections::HashSet<String> =
                s.tags().iter().map(|t| t.id.clone()).collect();
            let mut tags = s.tags().to_vec();
            for t in &mut tags {
                if t.conflict.as_ref().is_some_and(|o| !ids.contains(o)) {
                    t.conflict = None;
                }
            }
            s.set_tags(tags);
            set = Some(s);
        }
        let text = self
            .sidecar_of(set.as_ref().unwrap_or(&self.annotations))
            .into_ron(&self.sidecar_path)?;
        crate::files::write_atomic_locked(&self.sidecar_path, text.as_bytes())?;
        let hash = super::sha256_hex_bytes(text.as_bytes());
        Ok(match set {
            Some(written) => (
                Some(std::mem::take(&mut self.annotations)),
                written,
                hash,
                saved,
            ),
            None => (None, std::mem::take(&mut self.annotations), hash, saved),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{LabelSet, SpanRef};
    use std::fs;

    fn corpus(text: &str) -> (tempfile::TempDir, SidecarDirs, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.txt");
        fs::write(&p, text).unwrap();
        let dirs = SidecarDirs::new(d.path(), None);
        (d, dirs, p)
    }

    fn add(doc: &mut Document, label: &str, needle: &str) -> Vec<Change> {
        let b = doc.text().find(needle).unwrap();
        let t = doc.new_tag(label, b..b + needle.len(), "me").unwrap();
        doc.edit(vec![Change::Add(t)]).into_changes()
    }

    #[test]
    fn first_tag_moves_a_new_article_to_in_progress_in_the_same_step() {
        let (_d, dirs, p) = corpus("Ông Tô Lâm nói.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        assert_eq!(doc.status(), Status::New);
        let done = add(&mut doc, "PERSON", "Tô Lâm");
        assert_eq!(done.len(), 2);
        assert_eq!(doc.status(), Status::InProgress);
        // undoing the step puts the status back
        let inverse: Vec<Change> = done.iter().rev().map(Change::inverse).collect();
        doc.replay(&inverse);
        assert_eq!(doc.status(), Status::New);
        assert!(doc.tags().is_empty());
        // tag-all is a path like any other
        let all = doc.tag_all("PERSON", "Tô Lâm", None, "me");
        let done = doc.edit(all);
        assert!(done.iter().any(|c| matches!(c, Change::Article { .. })));
        assert_eq!(doc.status(), Status::InProgress);
    }

    #[test]
    fn spans_are_trimmed_snapped_and_never_doubled() {
        let nfd = "Ba\u{300} Mai đến.";
        let (_d, dirs, p) = corpus(nfd);
        let mut doc = Document::open(&dirs, &p).unwrap();
        // a span that starts inside "à" (between a and the combining grave) and ends in a space
        let t = doc.new_tag("PERSON", 2..9, "me").unwrap();
        assert_eq!(t.text, "a\u{300} Mai");
        assert_eq!((t.start, t.end), (1, 7));
        assert_eq!(doc.edit(vec![Change::Add(t.clone())]).len(), 2);
        let mut again = t.clone();
        again.id = new_id();
        assert!(
            doc.edit(vec![Change::Add(again)]).is_empty(),
            "same label, same span"
        );
        let mut other = t.clone();
        other.id = new_id();
        other.label = "TASK".into();
        assert_eq!(
            doc.edit(vec![Change::Add(other)]).len(),
            1,
            "another label may"
        );
        assert!(
            doc.new_tag("PERSON", 3..4, "me").is_none()
                || doc.new_tag("PERSON", 4..5, "me").is_none()
        );
        assert!(doc.new_tag("PERSON", 5..5, "me").is_none());
    }

    #[test]
    fn an_edit_says_why_it_did_nothing() {
        let (_d, dirs, p) = corpus("Ông Tô Lâm nói.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        let b = doc.text().find("Tô Lâm").unwrap();
        let bytes = b..b + "Tô Lâm".len();
        // tagging bytes: one normalisation, and the status moves in the same step
        let first = doc.tag("PERSON", bytes.clone(), "me");
        assert_eq!(first.len(), 2);
        assert!(first.refused.is_empty());
        let again = doc.tag("PERSON", bytes.clone(), "me");
        assert!(again.is_empty());
        assert_eq!(
            again.why_not(),
            Some(&Refused::AlreadyTagged {
                label: "PERSON".into(),
                text: "Tô Lâm".into()
            })
        );
        assert_eq!(
            again.why_not().unwrap().to_string(),
            "already tagged as PERSON"
        );
        // white space only
        let space = doc.text().find(' ').unwrap();
        assert_eq!(
            doc.tag("TASK", space..space + 1, "me").why_not(),
            Some(&Refused::NothingToTag)
        );
        // a tag that is not there
        let ghost = Annotation::new("PERSON", 0, 3, "Ông", "me");
        assert_eq!(
            doc.edit(vec![Change::Remove(ghost.clone())]).why_not(),
            Some(&Refused::NoSuchTag(ghost.id.clone()))
        );
        // read-only: every change refused, with why
        doc.make_read_only("a test");
        let ro = doc.tag("TASK", bytes, "me");
        assert!(ro.is_empty());
        assert_eq!(ro.why_not(), Some(&Refused::ReadOnly("a test".into())));
    }

    #[test]
    fn a_save_taken_before_an_edit_keeps_the_edit_to_save_next() {
        let (_d, dirs, p) = corpus("Tô Lâm và Trương Thị Mai.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Tô Lâm");
        let job = doc.save_job().unwrap();
        // edited while the save runs (on another thread, say)
        add(&mut doc, "PERSON", "Trương Thị Mai");
        let done = job.run().unwrap();
        assert_eq!(done.written().len(), 1);
        doc.finish_save(done);
        assert!(doc.is_unsaved(), "the second tag is still to save");
        assert_eq!(doc.tags().len(), 2);
        doc.save().unwrap();
        let on_disk = Sidecar::load(doc.sidecar_path()).unwrap().unwrap();
        assert_eq!(on_disk.tags.len(), 2);
        assert!(!doc.is_unsaved());
    }

    #[test]
    fn token_anchoring_grows_a_span_to_whole_syllables() {
        let (_d, dirs, p) = corpus("date 2024-01 Ông Tô Lâm nói.");
        let doc = Document::open(&dirs, &p)
            .unwrap()
            .with_anchoring(Anchoring::Tokens);
        let text = doc.text().to_string();
        // "date 2024-0": ends on the first letter of "01"
        let b = text.find("01").unwrap() + 1;
        assert_eq!(
            doc.new_tag("DIRECTIVE", 0..b, "me").unwrap().text,
            "date 2024-01"
        );
        // starts inside "Ông", ends inside "Lâm"
        let s = text.find("Ông").unwrap() + "Ô".len();
        let e = text.find("Lâm").unwrap() + 1;
        assert_eq!(
            doc.new_tag("PERSON", s..e, "me").unwrap().text,
            "Ông Tô Lâm"
        );
        // punctuation stays as selected
        let dot = text.find('.').unwrap();
        assert_eq!(doc.new_tag("TASK", dot..dot + 1, "me").unwrap().text, ".");
        // exact characters keep the cut
        let exact = Document::open(&dirs, &p).unwrap();
        assert_eq!(exact.new_tag("PERSON", s..e, "me").unwrap().text, "ng Tô L");
    }

    #[test]
    fn tag_all_skips_occurrences_inside_a_tag_of_the_same_label() {
        let (_d, dirs, p) = corpus("Nguyễn Đức Chung gặp Chung. Ông Chung nói.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Nguyễn Đức Chung");
        let b = doc.text().find("gặp Chung").unwrap() + "gặp ".len();
        let chung = doc.new_tag("PERSON", b..b + "Chung".len(), "me").unwrap();
        doc.edit(vec![Change::Add(chung)]);
        let more = doc.tag_all("PERSON", "Chung", None, "me");
        let texts: Vec<usize> = more
            .iter()
            .filter_map(|c| c.tag().map(|t| t.start))
            .collect();
        assert_eq!(texts.len(), 1, "only the one after Ông: {more:?}");
        assert_eq!(
            texts[0],
            doc.text()[..doc.text().rfind("Chung").unwrap()]
                .chars()
                .count()
        );
    }

    #[test]
    fn an_edited_article_is_reanchored_on_open_and_saved_with_the_new_hash() {
        let (_d, dirs, p) = corpus("Ông Tô Lâm nói.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Tô Lâm");
        doc.save().unwrap();
        fs::write(&p, "Tin mới: Ông Tô Lâm nói.").unwrap();
        let mut doc = Document::open(&dirs, &p).unwrap();
        assert_eq!(doc.opened().reanchored.moved, 1);
        assert!(doc.is_unsaved());
        let t = &doc.tags()[0];
        assert_eq!((t.start, t.end), (13, 19));
        let mut w = Vec::new();
        assert_eq!(doc.exportable(&TagFilter::default(), &mut w).len(), 1);
        assert!(w[0].contains("1 tag(s) found again"), "{w:?}");
        doc.save_if_changed().unwrap().unwrap();
        let sc = Sidecar::load(doc.sidecar_path()).unwrap().unwrap();
        assert_eq!(sc.sha256, sha256_hex("Tin mới: Ông Tô Lâm nói."));
        assert_eq!((sc.tags[0].start, sc.tags[0].end), (13, 19));
        // reopened: nothing moved, nothing to save
        let doc = Document::open(&dirs, &p).unwrap();
        assert_eq!(doc.opened(), Opened::default());
        assert!(!doc.is_unsaved());
    }

    #[test]
    fn duplicate_ids_are_repaired_on_open_and_never_merged_away() {
        let (_d, dirs, p) = corpus("Tô Lâm và Trương Thị Mai.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Tô Lâm");
        doc.save().unwrap();
        // copy the tag block by hand: another label and span, the same id
        let sc_path = doc.sidecar_path().to_path_buf();
        let mut sc = Sidecar::load(&sc_path).unwrap().unwrap();
        let mut copy = sc.tags[0].clone();
        copy.label = "TASK".into();
        copy.start = 10;
        copy.end = 24;
        copy.text = "Trương Thị Mai".into();
        sc.tags.push(copy);
        sc.save(&sc_path).unwrap();
        let mut doc = Document::open(&dirs, &p).unwrap();
        assert_eq!(doc.opened().new_ids, 1);
        assert!(doc.open_note().unwrap().contains("new ids"));
        add(&mut doc, "PERSON", "Mai");
        doc.save().unwrap();
        let labels: Vec<String> = Sidecar::load(&sc_path)
            .unwrap()
            .unwrap()
            .tags
            .into_iter()
            .map(|t| t.label)
            .collect();
        assert_eq!(labels, ["PERSON", "TASK", "PERSON"]);
    }

    #[test]
    fn duplicate_relation_ids_are_repaired_on_open_so_none_counts_twice() {
        let (_d, dirs, p) = corpus("Tô Lâm ký Chỉ thị 24 và Trương Thị Mai.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Tô Lâm");
        add(&mut doc, "DIRECTIVE", "Chỉ thị 24");
        add(&mut doc, "PERSON", "Trương Thị Mai");
        doc.save().unwrap();
        let sc_path = doc.sidecar_path().to_path_buf();
        let mut sc = Sidecar::load(&sc_path).unwrap().unwrap();
        let id = |text: &str| sc.tags.iter().find(|t| t.text == text).unwrap().id.clone();
        let (lam, ct, mai) = (id("Tô Lâm"), id("Chỉ thị 24"), id("Trương Thị Mai"));
        let r = Relation::new("ISSUES", &lam, &ct, "me");
        // the same relation twice, and another relation under its id
        let copy = r.clone();
        let other = Relation {
            head: mai.clone(),
            ..r.clone()
        };
        sc.relations = vec![r.clone(), copy, other];
        sc.save(&sc_path).unwrap();
        let doc = Document::open(&dirs, &p).unwrap();
        let rels = doc.annotations().relations();
        assert_eq!(rels.len(), 2, "{rels:?}");
        let ids: std::collections::HashSet<&str> = rels.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), 2, "every relation has its own id");
        assert!(rels.iter().any(|x| x.id == r.id && x.same_link(&r)));
        assert!(rels.iter().any(|x| x.head == mai && x.tail == ct));
        assert_eq!(doc.opened().new_ids, 2);
    }

    #[test]
    fn two_documents_merge_instead_of_overwriting() {
        let (_d, dirs, p) = corpus("Tô Lâm và Trương Thị Mai");
        let mut one = Document::open(&dirs, &p).unwrap();
        let mut two = Document::open(&dirs, &p).unwrap();
        add(&mut one, "PERSON", "Tô Lâm");
        one.save().unwrap();
        add(&mut two, "PERSON", "Trương Thị Mai");
        let saved = two.save().unwrap();
        assert_eq!(saved.merged, 1);
        let on_disk = Sidecar::load(&dirs.sidecar_of(&p)).unwrap().unwrap();
        let texts: Vec<&str> = on_disk.tags.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Tô Lâm", "Trương Thị Mai"]);
        assert_eq!(on_disk.status, Status::InProgress);
    }

    #[test]
    fn a_field_another_session_changed_is_not_put_back_by_our_save() {
        let (_d, dirs, p) = corpus("Tô Lâm và Trương Thị Mai");
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Tô Lâm");
        doc.save().unwrap();
        // a newer gloss wrote two fields this one does not know; we open that
        let path = dirs.sidecar_of(&p);
        let text = fs::read_to_string(&path).unwrap();
        let end = text.rfind(')').unwrap();
        let newer = format!("{}    future: 1,\n    kept: \"k\",\n)\n", &text[..end]);
        fs::write(&path, newer).unwrap();
        let mut ours = Document::open(&dirs, &p).unwrap();
        // the other session changes one, removes the other, and adds a tag
        let mut theirs = Document::open(&dirs, &p).unwrap();
        add(&mut theirs, "PERSON", "Trương Thị Mai");
        theirs.save().unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let text = text.replace("    future: 1,\n", "    future: 2,\n");
        let text = text.replace("    kept: \"k\",\n", "");
        fs::write(&path, text).unwrap();
        add(&mut ours, "TASK", "và");
        let saved = ours.save().unwrap();
        assert!(saved.conflicts.is_empty(), "{:?}", saved.conflicts);
        let sc = Sidecar::parse(&path, &fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(sc.extra, [("future".to_string(), "2".to_string())]);
        assert_eq!(sc.tags.len(), 3);
    }

    #[test]
    fn two_sessions_tagging_the_same_span_keep_one_tag() {
        let (_d, dirs, p) = corpus("Ông Tô Lâm nói.");
        let mut one = Document::open(&dirs, &p).unwrap();
        let mut two = Document::open(&dirs, &p).unwrap();
        add(&mut one, "PERSON", "Tô Lâm");
        add(&mut two, "PERSON", "Tô Lâm");
        add(&mut two, "TASK", "Tô Lâm");
        one.save().unwrap();
        let saved = two.save().unwrap();
        assert_eq!(saved.same_tags, 1);
        let labels: Vec<String> = two.tags().iter().map(|t| t.label.clone()).collect();
        assert_eq!(labels.len(), 2, "{labels:?}");
        // and the first session, saving again, agrees
        add(&mut one, "PERSON", "nói");
        one.save().unwrap();
        let on_disk = Sidecar::load(&dirs.sidecar_of(&p)).unwrap().unwrap();
        let persons = on_disk
            .tags
            .iter()
            .filter(|t| t.text == "Tô Lâm" && t.label == "PERSON")
            .count();
        assert_eq!(persons, 1);
        assert_eq!(on_disk.tags.len(), 3);
    }

    #[test]
    fn a_broken_sidecar_is_read_only_and_never_overwritten() {
        let (_d, dirs, p) = corpus("x y");
        fs::write(dirs.sidecar_of(&p), "(broken").unwrap();
        let mut doc = Document::open(&dirs, &p).unwrap();
        assert!(doc.read_only().is_some());
        assert!(doc.sidecar_error().is_some());
        assert!(add_any(&mut doc).is_empty());
        assert!(doc.save().is_err());
        assert!(Document::open_checked(&dirs, &p).is_err());
        assert_eq!(fs::read_to_string(dirs.sidecar_of(&p)).unwrap(), "(broken");
    }

    fn add_any(doc: &mut Document) -> Vec<Change> {
        let t = Annotation::new("PERSON", 0, 1, "x", "me");
        doc.edit(vec![Change::Add(t)]).into_changes()
    }

    #[test]
    fn stored_suggestions_join_and_tagged_or_rejected_ones_leave() {
        let (_d, dirs, p) = corpus("Bà Mai gặp ông Ba.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        let suggester = Suggester::new(&[]).unwrap();
        let labels = LabelSet::default();
        let suggested = vec![
            SpanRef {
                label: "PERSON".into(),
                start: 3,
                end: 6,
                text: "Mai".into(),
            },
            SpanRef {
                label: "PERSON".into(),
                start: 15,
                end: 17,
                text: "Ba".into(),
            },
            SpanRef {
                label: "PERSON".into(),
                start: 0,
                end: 2,
                text: "no".into(),
            },
        ];
        let stored = doc
            .annotations()
            .change_article(|a| a.suggested = suggested)
            .unwrap();
        doc.edit(vec![stored]);
        let got: Vec<String> = doc
            .suggestions(&suggester, &labels)
            .into_iter()
            .map(|s| doc.text()[s.bytes].to_string())
            .collect();
        assert_eq!(got, ["Mai", "Ba"]);
        add(&mut doc, "PERSON", "Mai");
        assert_eq!(doc.suggestions(&suggester, &labels).len(), 1);
    }

    #[test]
    fn gloss_suggest_stores_what_the_reader_would_show() {
        let (_d, dirs, p) = corpus("Bà Mai gặp ông Ba và bà Lan.");
        let mut doc = Document::open(&dirs, &p).unwrap();
        let labels = LabelSet::default();
        add(&mut doc, "PERSON", "Ba");
        let text = doc.text().to_string();
        let at = |needle: &str, label: &str| {
            let b = text.find(needle).unwrap();
            Suggestion {
                label: label.into(),
                bytes: b..b + needle.len(),
                source: Source::Gazetteer,
            }
        };
        let lan = at("Lan", "PERSON");
        let reject = doc
            .annotations()
            .change_article(|a| {
                a.rejected.push(SpanRef {
                    label: "PERSON".into(),
                    start: 24,
                    end: 27,
                    text: "Lan".into(),
                })
            })
            .unwrap();
        doc.edit(vec![reject]);
        let found = vec![
            at("Mai", "PERSON"),
            at("Ba", "PERSON"),
            lan,
            at("Mai", "NOT-A-LABEL"),
            at("Mai", "PERSON"),
        ];
        // tagged, rejected, of no label of the corpus, twice: only one Mai is left
        let open = doc.open_suggestions(found, &labels);
        assert_eq!(open.len(), 1, "{open:?}");
        let store = doc.store_suggestions(&open).unwrap();
        doc.edit(vec![store]);
        let stored = &doc.annotations().article.suggested;
        assert_eq!(
            (stored[0].start, stored[0].end, stored[0].text.as_str()),
            (3, 6, "Mai")
        );
        assert!(doc.store_suggestions(&open).is_none(), "already stored");
    }

    fn tag_id(doc: &Document, text: &str) -> String {
        doc.tags()
            .iter()
            .find(|t| t.text == text)
            .unwrap()
            .id
            .clone()
    }

    #[test]
    fn relations_are_checked_deleted_with_their_tag_undoably_and_survive_a_changed_article() {
        let text = "Bà Trương Thị Mai ký Chỉ thị số 24 và giao nhiệm vụ kiểm tra.";
        let (_d, dirs, p) = corpus(text);
        let types = RelationTypes::default();
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Trương Thị Mai");
        add(&mut doc, "DIRECTIVE", "Chỉ thị số 24");
        add(&mut doc, "TASK", "nhiệm vụ kiểm tra");
        let (mai, ct, task) = (
            tag_id(&doc, "Trương Thị Mai"),
            tag_id(&doc, "Chỉ thị số 24"),
            tag_id(&doc, "nhiệm vụ kiểm tra"),
        );
        // the type's ends are checked
        let e = doc.relate("ISSUES", &ct, &mai, &types, "me").unwrap_err();
        assert!(e.contains("from PERSON to DIRECTIVE"), "{e}");
        let issues = doc.relate("ISSUES", &mai, &ct, &types, "me").unwrap();
        assert_eq!(
            doc.edit(vec![Change::add_relation(issues.clone())]).len(),
            1
        );
        // the same link twice is refused, by relate and by edit
        assert!(doc.relate("ISSUES", &mai, &ct, &types, "me").is_err());
        let mut again = issues.clone();
        again.id = new_id();
        assert!(doc.edit(vec![Change::add_relation(again)]).is_empty());
        let assigns = doc.relate("ASSIGNS", &mai, &task, &types, "me").unwrap();
        doc.edit(vec![Change::add_relation(assigns)]);
        assert_eq!(doc.annotations().relations_of(&mai).count(), 2);
        // a relation to a tag that is not there is never added
        let mut dangling = issues.clone();
        dangling.id = new_id();
        dangling.tail = "nope".into();
        assert!(doc.edit(vec![Change::add_relation(dangling)]).is_empty());
        // deleting Mai's tag deletes her two relations in the same step; undoing brings all back
        let mai_tag = doc.annotations().get(&mai).unwrap().clone();
        let done = doc.edit(vec![Change::Remove(mai_tag)]);
        assert_eq!(done.len(), 3, "{done:?}");
        assert!(doc.annotations().relations().is_empty());
        let inverse: Vec<Change> = done.iter().rev().map(Change::inverse).collect();
        doc.replay(&inverse);
        assert_eq!(doc.annotations().relations().len(), 2);
        // linking a tag to an entity is a change of the tag
        let link = doc.link(&mai, Some("person-truong-thi-mai")).unwrap();
        doc.edit(vec![link]);
        assert!(doc.link(&mai, Some("person-truong-thi-mai")).is_none());
        doc.save().unwrap();
        // the article changes: the tags move, relations and links go with them
        fs::write(&p, format!("Hà Nội. {text}")).unwrap();
        let doc = Document::open(&dirs, &p).unwrap();
        assert_eq!(doc.opened().reanchored.moved, 3);
        let rels = doc.annotations().relations();
        assert_eq!(rels.len(), 2);
        let by = |id: &str| doc.annotations().get(id).unwrap().text.clone();
        let mut links: Vec<(String, String, String)> = rels
            .iter()
            .map(|r| (r.label.clone(), by(&r.head), by(&r.tail)))
            .collect();
        links.sort();
        assert_eq!(
            links,
            [
                (
                    "ASSIGNS".to_string(),
                    "Trương Thị Mai".to_string(),
                    "nhiệm vụ kiểm tra".to_string()
                ),
                (
                    "ISSUES".to_string(),
                    "Trương Thị Mai".to_string(),
                    "Chỉ thị số 24".to_string()
                )
            ]
        );
        assert_eq!(
            doc.annotations().get(&mai).unwrap().entity.as_deref(),
            Some("person-truong-thi-mai")
        );
    }

    #[test]
    fn relations_of_two_sessions_merge_at_save() {
        let text = "Ông Tô Lâm ký Chỉ thị số 24, giao nhiệm vụ kiểm tra.";
        let (_d, dirs, p) = corpus(text);
        let types = RelationTypes::default();
        let mut doc = Document::open(&dirs, &p).unwrap();
        add(&mut doc, "PERSON", "Tô Lâm");
        add(&mut doc, "DIRECTIVE", "Chỉ thị số 24");
        add(&mut doc, "TASK", "nhiệm vụ kiểm tra");
        doc.save().unwrap();
        let (lam, ct, task) = (
            tag_id(&doc, "Tô Lâm"),
            tag_id(&doc, "Chỉ thị số 24"),
            tag_id(&doc, "nhiệm vụ kiểm tra"),
        );
        let mut other = Document::open(&dirs, &p).unwrap();
        let r = doc.relate("ISSUES", &lam, &ct, &types, "a").unwrap();
        doc.edit(vec![Change::add_relation(r)]);
        let r = other.relate("ASSIGNS", &lam, &task, &types, "b").unwrap();
        other.edit(vec![Change::add_relation(r)]);
        doc.save().unwrap();
        other.save().unwrap();
        let back = Document::open(&dirs, &p).unwrap();
        let mut labels: Vec<&str> = back
            .annotations()
            .relations()
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        labels.sort();
        assert_eq!(labels, ["ASSIGNS", "ISSUES"]);
    }
}
