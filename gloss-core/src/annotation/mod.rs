//! Annotations: labels, tags on spans of an article, the set of one article's tags, and edits as
//! reversible changes for undo and redo.

pub mod history;
pub mod label;
pub mod merge;
pub mod relation;
pub mod status;
pub mod tags;
pub mod time;

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

pub use history::{Change, History, HistoryEntry};
pub use label::{Label, LabelSet};
pub use relation::{Relation, RelationType, RelationTypes};
pub use status::{Review, Status, Verdict};
pub use tags::Tags;
pub use time::ActiveTime;

/// One tag: a label on the code points `start..end` of an article's text.
///
/// A new field is one edit here: the field, with `#[serde(default, skip_serializing_if = …)]` so
/// that older sidecars still read and it is written only when set. The sidecar writes and reads it
/// through these derives (and lays it out as it lays out every field), [`Annotation::new`] and
/// [`Default`] start it empty, the merge compares tags whole, and an import carries it from the
/// file to the tag (in [`crate::import::IncomingTag::carried`]). Then one edit in the file of each
/// format that carries it, where its writer and reader stand side by side (jsonl: a line in
/// `formats/jsonl.rs`'s `Span` and `Span::of`, and one in its `read_span`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// Stable and unique across processes and machines.
    pub id: String,
    pub label: String,
    /// Code-point offset of the first character (Python `text[start:end]`).
    pub start: usize,
    /// Code-point offset past the last character.
    pub end: usize,
    /// The text tagged, `text[start:end]` when it was tagged.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub annotator: String,
    /// RFC 3339, UTC.
    pub created: String,
    pub modified: String,
    /// Up to [`CONTEXT_CHARS`] characters before the span when last saved, to find it again if the
    /// article changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Up to [`CONTEXT_CHARS`] characters after the span when last saved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// A reviewer's verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// A reviewer's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The article changed and the quoted text was not found again: the offsets are the old ones.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphaned: bool,
    /// Changed in two places at once (two sessions, two branches): both versions were kept, and this
    /// is the id of the other one, until one of them is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
    /// In an adjudicated (gold) set: the annotators who had this tag.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The id of the entity (in the corpus's `entities.ron`) this tag mentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Fields written by a newer gloss, kept verbatim (name, raw RON value).
    #[serde(skip)]
    pub extra: Vec<(String, String)>,
}

/// Characters of context kept on each side of a tag.
pub const CONTEXT_CHARS: usize = 24;

/// The current time as stored in sidecars (RFC 3339, seconds, UTC).
pub fn timestamp() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// A fresh tag id: 12 hex digits from a per-process random hasher, the clock and a counter.
pub fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::hash::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    if let Ok(d) = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    format!("{:012x}", h.finish() & 0xffff_ffff_ffff)
}

impl Annotation {
    /// A new tag by `annotator`, stamped now.
    pub fn new(label: &str, start: usize, end: usize, text: &str, annotator: &str) -> Self {
        let now = timestamp();
        Annotation {
            id: new_id(),
            label: label.to_string(),
            start,
            end,
            text: text.to_string(),
            annotator: annotator.to_string(),
            created: now.clone(),
            modified: now,
            ..Annotation::default()
        }
    }

    pub fn is_rejected(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.verdict == Verdict::Rejected)
    }

    /// Does the tag count: found in the text (not orphaned) and not rejected by a reviewer? What
    /// exports, stats, the gazetteer, the model, `gloss eval` and `gloss agree` take.
    pub fn is_live(&self) -> bool {
        !self.orphaned && !self.is_rejected()
    }

    /// Equal but for the saved context (which is refreshed at every save).
    pub fn same_content(&self, other: &Annotation) -> bool {
        let strip = |a: &Annotation| Annotation {
            before: None,
            after: None,
            ..a.clone()
        };
        strip(self) == strip(other)
    }

    pub fn contains(&self, c: usize) -> bool {
        self.start <= c && c < self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}

/// Which tags to keep.
#[derive(Debug, Clone, Default)]
pub struct TagFilter {
    /// Only these labels (all when `None`).
    pub labels: Option<Vec<String>>,
    /// Keep tags a reviewer rejected.
    pub include_rejected: bool,
}

impl TagFilter {
    pub fn keeps(&self, tag: &Annotation) -> bool {
        self.labels
            .as_ref()
            .is_none_or(|ls| ls.contains(&tag.label))
            && (self.include_rejected || !tag.is_rejected())
    }
}

/// The annotations of one article: its tags, kept sorted by position (start, then longer first, then
/// id), the relations between them (sorted by id), and the article-level status and comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationSet {
    tags: Tags,
    relations: Vec<Relation>,
    pub article: ArticleFields,
    /// Active time per annotator and day: not an edit (never undone), merged by adding.
    pub time: ActiveTime,
}

/// What is said of the article as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleFields {
    pub status: Status,
    pub comment: Option<String>,
    /// Suggestions the user rejected: never suggested again.
    pub rejected: Vec<SpanRef>,
    /// Suggestions stored by `gloss suggest`, waiting to be accepted.
    pub suggested: Vec<SpanRef>,
    /// Article labels: per category of `gloss.ron` (`topic`), the values chosen (`["economy"]`),
    /// sorted; a category with none chosen is absent.
    pub categories: Categories,
}

/// Article labels: category name → the values chosen, sorted.
pub type Categories = std::collections::BTreeMap<String, Vec<String>>;

/// Article labels in one line, as CSV writes them: `flags=no-tasks;topic=economy,politics`.
pub fn categories_text(c: &Categories) -> String {
    c.iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", v.join(",")))
        .collect::<Vec<_>>()
        .join(";")
}

/// Article labels read back from [`categories_text`]'s line (values sorted, none twice).
pub fn parse_categories(s: &str) -> std::result::Result<Categories, String> {
    let mut out = Categories::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((name, values)) = part.split_once('=') else {
            return Err(format!("article labels {part:?}: not name=value"));
        };
        let vs = out.entry(name.trim().to_string()).or_default();
        vs.extend(
            values
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from),
        );
        vs.sort();
        vs.dedup();
    }
    out.retain(|_, v| !v.is_empty());
    Ok(out)
}

/// A labelled span that is not a tag (a suggestion, stored or rejected).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SpanRef {
    pub label: String,
    /// Code points, as for tags.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The change `f` makes to `before`, if any (for [`AnnotationSet::change_article`], and for the
/// document's batch, which changes fields not yet applied).
pub(crate) fn article_change(
    before: &ArticleFields,
    f: impl FnOnce(&mut ArticleFields),
) -> Option<Change> {
    let mut after = before.clone();
    f(&mut after);
    (after != *before).then(|| Change::Article {
        before: before.clone(),
        after,
    })
}

fn order(a: &Annotation) -> (usize, std::cmp::Reverse<usize>, &str) {
    (a.start, std::cmp::Reverse(a.end), a.id.as_str())
}

impl AnnotationSet {
    pub fn new(tags: Vec<Annotation>) -> Self {
        AnnotationSet {
            tags: Tags::new(tags),
            relations: Vec::new(),
            article: ArticleFields::default(),
            time: ActiveTime::default(),
        }
    }

    pub fn with_article(mut self, article: ArticleFields) -> Self {
        self.article = article;
        self
    }

    pub fn with_time(mut self, time: ActiveTime) -> Self {
        self.time = time;
        self
    }

    pub fn with_relations(mut self, mut relations: Vec<Relation>) -> Self {
        relations.sort_by(|a, b| a.id.cmp(&b.id));
        self.relations = relations;
        self
    }

    /// The relations, sorted by id.
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    pub fn relation(&self, id: &str) -> Option<&Relation> {
        self.relations
            .binary_search_by(|r| r.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.relations[i])
    }

    /// The relations joining the tag `id`, either way.
    pub fn relations_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Relation> + 'a {
        self.relations.iter().filter(move |r| r.touches(id))
    }

    /// Insert a relation (or replace the one with the same id).
    pub fn upsert_relation(&mut self, r: Relation) {
        match self.relations.binary_search_by(|x| x.id.cmp(&r.id)) {
            Ok(i) => self.relations[i] = r,
            Err(i) => self.relations.insert(i, r),
        }
    }

    pub fn remove_relation(&mut self, id: &str) -> Option<Relation> {
        let i = self
            .relations
            .binary_search_by(|r| r.id.as_str().cmp(id))
            .ok()?;
        Some(self.relations.remove(i))
    }

    pub fn tags(&self) -> &Tags {
        &self.tags
    }

    /// The tags that count ([`Annotation::is_live`]), in order.
    pub fn live_tags(&self) -> impl Iterator<Item = &Annotation> {
        self.tags.iter().filter(|t| t.is_live())
    }

    /// Replace the tags (sorted here), keeping the relations and article fields.
    pub fn set_tags(&mut self, tags: Vec<Annotation>) {
        self.tags = Tags::new(tags);
    }

    pub fn into_vec(self) -> Vec<Annotation> {
        self.tags.into_vec()
    }

    pub fn len(&self) -> usize {
        self.tags.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Annotation> {
        self.tags.by_id(id)
    }

    /// Insert (or replace the tag with the same id).
    pub fn upsert(&mut self, tag: Annotation) {
        while self.tags.remove(&tag.id).is_some() {}
        self.tags.insert(tag);
    }

    /// Apply `changes` in order: one at a time when they are few against the tags there (each
    /// costs a chunk), else in one pass and one sort.
    pub fn apply(&mut self, changes: &[Change]) {
        if changes.len() <= 8 || changes.len() * 32 < self.tags.len() {
            for c in changes {
                c.apply(self);
            }
            return;
        }
        let mut by_id: std::collections::HashMap<String, Annotation> =
            std::mem::take(&mut self.tags)
                .into_vec()
                .into_iter()
                .map(|t| (t.id.clone(), t))
                .collect();
        for c in changes {
            match c {
                Change::Add(t) => {
                    by_id.insert(t.id.clone(), t.clone());
                }
                Change::Remove(t) => {
                    by_id.remove(&t.id);
                }
                Change::Update { after, .. } => {
                    by_id.insert(after.id.clone(), (**after).clone());
                }
                Change::Article { after, .. } => self.article = after.clone(),
                Change::Relation { before, after } => {
                    if let Some(b) = before {
                        self.remove_relation(&b.id);
                    }
                    if let Some(a) = after {
                        self.upsert_relation(a.clone());
                    }
                }
            }
        }
        let mut tags: Vec<Annotation> = by_id.into_values().collect();
        tags.sort_by(|a, b| order(a).cmp(&order(b)));
        self.tags = Tags::new(tags);
    }

    pub fn remove(&mut self, id: &str) -> Option<Annotation> {
        self.tags.remove(id)
    }

    /// The innermost (shortest) tag containing code point `c`.
    pub fn innermost_at(&self, c: usize) -> Option<&Annotation> {
        self.tags
            .touching(c, c)
            .filter(|t| !t.orphaned && t.contains(c))
            .min_by_key(|t| t.len())
    }

    /// All tags containing code point `c`, outermost first.
    pub fn all_at(&self, c: usize) -> Vec<&Annotation> {
        let mut v: Vec<&Annotation> = self
            .tags
            .touching(c, c)
            .filter(|t| !t.orphaned && t.contains(c))
            .collect();
        v.sort_by_key(|t| std::cmp::Reverse(t.len()));
        v
    }

    /// Is there already a tag with this label and span?
    pub fn find_same(&self, label: &str, start: usize, end: usize) -> Option<&Annotation> {
        self.tags
            .of_span(start, end)
            .find(|t| !t.orphaned && t.label == label)
    }

    /// What its tags cover, to ask of many spans: which a tag overlaps, which suggestions are
    /// still open.
    pub fn coverage(&self) -> Coverage<'_> {
        Coverage::of(self)
    }

    /// The change `f` makes to the article's fields (status, comment, rejected and stored
    /// suggestions); `None` when it leaves them as they are. Not applied: pass it to
    /// [`crate::store::Document::edit`].
    pub fn change_article(&self, f: impl FnOnce(&mut ArticleFields)) -> Option<Change> {
        article_change(&self.article, f)
    }

    /// Tag counts per label name: the live tags (orphans and tags a reviewer rejected are
    /// counted apart, by whoever shows them).
    pub fn counts(&self) -> std::collections::BTreeMap<String, usize> {
        self.tags.live_counts().clone()
    }
}

/// The tags of a set by label (orphans left out), sorted, and its rejected suggestions: each
/// question of [`AnnotationSet::coverage`] in log time, so that a check of every suggestion of a
/// long article against every tag is no product of the two.
pub struct Coverage<'a> {
    /// label → (starts in order, the longest end among the tags up to each)
    by_label: std::collections::HashMap<&'a str, (Vec<usize>, Vec<usize>)>,
    rejected: std::collections::HashSet<(&'a str, usize, usize)>,
}

impl<'a> Coverage<'a> {
    fn of(set: &'a AnnotationSet) -> Coverage<'a> {
        let mut spans: std::collections::HashMap<&str, Vec<(usize, usize)>> =
            std::collections::HashMap::new();
        for t in set.tags.iter().filter(|t| !t.orphaned) {
            spans.entry(&t.label).or_default().push((t.start, t.end));
        }
        let by_label = spans
            .into_iter()
            .map(|(label, mut v)| {
                v.sort_unstable();
                let starts = v.iter().map(|s| s.0).collect();
                let reach = v
                    .iter()
                    .scan(0, |m, s| {
                        *m = (*m).max(s.1);
                        Some(*m)
                    })
                    .collect();
                (label, (starts, reach))
            })
            .collect();
        let rejected = set
            .article
            .rejected
            .iter()
            .map(|r| (r.label.as_str(), r.start, r.end))
            .collect();
        Coverage { by_label, rejected }
    }

    /// Does a tag of `label` (not orphaned) overlap code points `chars`?
    pub fn covers(&self, label: &str, chars: &std::ops::Range<usize>) -> bool {
        let Some((starts, reach)) = self.by_label.get(label) else {
            return false;
        };
        // the tags starting before `chars` ends; does the one reaching furthest pass its start?
        let n = starts.partition_point(|&s| s < chars.end);
        n > 0 && reach[n - 1] > chars.start
    }

    /// Is a suggestion of `label` on code points `chars` still open: no tag of that label overlaps
    /// it, and the user did not reject it?
    pub fn wants_suggestion(&self, label: &str, chars: &std::ops::Range<usize>) -> bool {
        !self.covers(label, chars) && !self.rejected.contains(&(label, chars.start, chars.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 1000);
    }

    #[test]
    fn set_keeps_order_and_finds_innermost() {
        let outer = Annotation::new("TASK", 0, 20, "x", "a");
        let inner = Annotation::new("PERSON", 5, 8, "y", "a");
        let later = Annotation::new("PERSON", 30, 32, "z", "a");
        let mut s = AnnotationSet::new(vec![later.clone(), inner.clone()]);
        s.upsert(outer.clone());
        let labels: Vec<&str> = s.tags().iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["TASK", "PERSON", "PERSON"]);
        assert_eq!(s.innermost_at(6).unwrap().id, inner.id);
        assert_eq!(s.innermost_at(2).unwrap().id, outer.id);
        assert!(s.innermost_at(25).is_none());
        assert_eq!(s.all_at(6).len(), 2);
        assert_eq!(s.remove(&inner.id).unwrap(), inner);
        assert_eq!(s.counts().get("PERSON"), Some(&1));
    }

    #[test]
    fn live_tags_leave_out_orphans_and_rejected_ones() {
        let kept = Annotation::new("PERSON", 0, 3, "abc", "a");
        let mut orphan = Annotation::new("PERSON", 4, 6, "de", "a");
        orphan.orphaned = true;
        let mut rejected = Annotation::new("TASK", 7, 9, "fg", "a");
        rejected.review = Some(Review {
            verdict: Verdict::Rejected,
            reviewer: "b".into(),
            time: timestamp(),
        });
        let s = AnnotationSet::new(vec![kept.clone(), orphan, rejected]);
        let live: Vec<&str> = s.live_tags().map(|t| t.id.as_str()).collect();
        assert_eq!(live, [kept.id.as_str()]);
        // an orphan covers nothing; a rejected tag still does
        let c = s.coverage();
        assert!(!c.covers("PERSON", &(4..6)));
        assert!(c.covers("TASK", &(8..10)));
    }

    #[test]
    fn coverage_answers_as_a_look_at_every_tag_does() {
        // nested, overlapping, touching and orphaned tags of two labels
        let mut tags = Vec::new();
        let mut x: usize = 7;
        for i in 0..200 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let start = (x >> 33) % 300;
            let len = 1 + (x >> 20) % if i % 10 == 0 { 120 } else { 8 };
            let label = if i % 3 == 0 { "TASK" } else { "PERSON" };
            let mut t = Annotation::new(label, start, start + len, "t", "a");
            t.orphaned = i % 17 == 0;
            tags.push(t);
        }
        let s = AnnotationSet::new(tags.clone());
        let c = s.coverage();
        for label in ["PERSON", "TASK", "DIRECTIVE"] {
            for start in 0..330 {
                for len in [0, 1, 2, 5, 40] {
                    let r = start..start + len;
                    let slow = tags.iter().any(|t| {
                        t.label == label && !t.orphaned && t.start < r.end && r.start < t.end
                    });
                    assert_eq!(c.covers(label, &r), slow, "{label} {r:?}");
                }
            }
        }
    }

    #[test]
    fn an_article_change_is_made_only_when_something_changes() {
        let s = AnnotationSet::default();
        assert!(s.change_article(|a| a.status = Status::New).is_none());
        let c = s.change_article(|a| a.status = Status::Done).unwrap();
        let Change::Article { before, after } = &c else {
            panic!("{c:?}");
        };
        assert_eq!((before.status, after.status), (Status::New, Status::Done));
    }
}
