//! An article's tags in order (start, then longer first, then id), kept in shared chunks: a copy
//! (the save's snapshot, the base of the next merge, undo's view of a set) shares every chunk and
//! costs a few hundred pointers, and an edit copies the one chunk it changes. Beside the tags, an
//! index by id and the counts the status bar and the list show (live tags per label, rejected,
//! orphaned, per annotator), each kept as the tags change, so that a key on an article of 143,000
//! tags costs what it changes, not a walk of them all.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::Annotation;

/// Elements per chunk (a chunk splits at twice this).
const CHUNK: usize = 256;

/// A sorted sequence in shared chunks (none empty). `T` is found by a comparison.
#[derive(Debug, Clone)]
struct Chunked<T> {
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> Chunked<T> {
    /// From a sorted vector.
    fn from_sorted(v: Vec<T>) -> Self {
        let len = v.len();
        let mut chunks = Vec::with_capacity(len / CHUNK + 1);
        let mut it = v.into_iter().peekable();
        while it.peek().is_some() {
            chunks.push(Arc::new(it.by_ref().take(CHUNK).collect()));
        }
        Chunked { chunks, len }
    }

    /// The first place where `below(x)` is false (everything before it is below), as (chunk,
    /// index in it); (chunks, 0) past the end.
    fn lower_bound(&self, below: impl Fn(&T) -> bool) -> (usize, usize) {
        let c = self
            .chunks
            .partition_point(|ch| ch.last().is_some_and(&below));
        if c == self.chunks.len() {
            return (c, 0);
        }
        (c, self.chunks[c].partition_point(below))
    }

    fn at(&self, (c, i): (usize, usize)) -> Option<&T> {
        self.chunks.get(c)?.get(i)
    }

    /// The next place after `(c, i)`.
    fn next(&self, (c, i): (usize, usize)) -> (usize, usize) {
        if i + 1 < self.chunks[c].len() {
            (c, i + 1)
        } else {
            (c + 1, 0)
        }
    }

    /// Insert `x` at the first place where `below` is false.
    fn insert(&mut self, x: T, below: impl Fn(&T) -> bool) -> usize {
        self.len += 1;
        if self.chunks.is_empty() {
            self.chunks.push(Arc::new(vec![x]));
            return 0;
        }
        let (mut c, mut i) = self.lower_bound(below);
        if c == self.chunks.len() {
            c -= 1;
            i = self.chunks[c].len();
        }
        let ch = Arc::make_mut(&mut self.chunks[c]);
        ch.insert(i, x);
        if ch.len() > 2 * CHUNK {
            let tail = ch.split_off(CHUNK);
            self.chunks.insert(c + 1, Arc::new(tail));
        }
        c
    }

    fn remove(&mut self, (c, i): (usize, usize)) -> T {
        self.len -= 1;
        let ch = Arc::make_mut(&mut self.chunks[c]);
        let x = ch.remove(i);
        if ch.is_empty() {
            self.chunks.remove(c);
        }
        x
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

fn order(a: &Annotation) -> (usize, Reverse<usize>, &str) {
    (a.start, Reverse(a.end), a.id.as_str())
}

/// An entry of the index by id: (id, start, end), sorted by id, then as the tags are.
type IdEntry = (String, usize, usize);

fn id_order(e: &IdEntry) -> (&str, usize, Reverse<usize>) {
    (e.0.as_str(), e.1, Reverse(e.2))
}

/// What is counted of the tags, kept as they change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Counts {
    /// Live tags ([`Annotation::is_live`]) per label; no label of none.
    live: BTreeMap<String, usize>,
    /// Tags a reviewer rejected, orphans aside.
    rejected: usize,
    orphaned: usize,
    /// Tags per annotator; no annotator of none.
    annotators: BTreeMap<String, usize>,
}

impl Counts {
    fn add(&mut self, t: &Annotation, by: isize) {
        fn bump(m: &mut BTreeMap<String, usize>, k: &str, by: isize) {
            match m.get_mut(k) {
                Some(n) => {
                    *n = n.checked_add_signed(by).unwrap_or(0);
                    if *n == 0 {
                        m.remove(k);
                    }
                }
                None if by > 0 => {
                    m.insert(k.to_string(), by as usize);
                }
                None => {}
            }
        }
        let step = |n: &mut usize| *n = n.checked_add_signed(by).unwrap_or(0);
        if t.is_live() {
            bump(&mut self.live, &t.label, by);
        } else if t.orphaned {
            step(&mut self.orphaned);
        } else {
            step(&mut self.rejected);
        }
        bump(&mut self.annotators, &t.annotator, by);
    }
}

/// The tags of an article, in order; see the module's comment.
#[derive(Clone, Default)]
pub struct Tags {
    tags: Chunked<Annotation>,
    /// The largest end among each chunk's tags (a chunk with none reaching a place is skipped).
    reach: Vec<usize>,
    ids: Chunked<IdEntry>,
    counts: Counts,
}

impl std::fmt::Debug for Tags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Tags {
    fn eq(&self, other: &Tags) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Tags {}

impl Tags {
    /// The tags of `v`, sorted here (a stable sort: tags of one place and id keep their order).
    pub fn new(mut v: Vec<Annotation>) -> Tags {
        v.sort_by(|a, b| order(a).cmp(&order(b)));
        let mut ids: Vec<IdEntry> = v.iter().map(|t| (t.id.clone(), t.start, t.end)).collect();
        ids.sort_by(|a, b| id_order(a).cmp(&id_order(b)));
        let mut counts = Counts::default();
        for t in &v {
            counts.add(t, 1);
        }
        let tags = Chunked::from_sorted(v);
        let reach = tags.chunks.iter().map(|c| reach_of(c)).collect();
        Tags {
            tags,
            reach,
            ids: Chunked::from_sorted(ids),
            counts,
        }
    }

    pub fn len(&self) -> usize {
        self.tags.len
    }

    pub fn is_empty(&self) -> bool {
        self.tags.len == 0
    }

    /// The tags in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            inner: Box::new(self.tags.iter()),
            left: self.len(),
        }
    }

    pub fn first(&self) -> Option<&Annotation> {
        self.tags.chunks.first()?.first()
    }

    pub fn last(&self) -> Option<&Annotation> {
        self.tags.chunks.last()?.last()
    }

    /// The `i`-th tag in order.
    pub fn get(&self, mut i: usize) -> Option<&Annotation> {
        for c in &self.tags.chunks {
            if i < c.len() {
                return c.get(i);
            }
            i -= c.len();
        }
        None
    }

    pub fn to_vec(&self) -> Vec<Annotation> {
        self.iter().cloned().collect()
    }

    pub fn into_vec(self) -> Vec<Annotation> {
        self.to_vec()
    }

    /// The first tag (in order) of id `id`: its place.
    fn place_of(&self, id: &str) -> Option<(usize, usize)> {
        let at = self.ids.lower_bound(|e| e.0.as_str() < id);
        let (_, start, end) = self.ids.at(at).filter(|e| e.0 == id)?;
        let key = (*start, Reverse(*end), id);
        let p = self.tags.lower_bound(|t| order(t) < key);
        self.tags.at(p).filter(|t| t.id == id).map(|_| p)
    }

    /// The first tag (in order) of id `id`.
    pub fn by_id(&self, id: &str) -> Option<&Annotation> {
        self.place_of(id).and_then(|p| self.tags.at(p))
    }

    /// Insert a tag before those of its place and id (as a sorted vector's insert at the first
    /// place not below it).
    pub fn insert(&mut self, t: Annotation) {
        self.counts.add(&t, 1);
        let e: IdEntry = (t.id.clone(), t.start, t.end);
        self.ids.insert(e.clone(), |x| id_order(x) < id_order(&e));
        let c = self
            .tags
            .insert(t, |x| order(x) < (e.1, Reverse(e.2), e.0.as_str()));
        self.fix_reach(c);
    }

    /// Remove the first tag (in order) of id `id`.
    pub fn remove(&mut self, id: &str) -> Option<Annotation> {
        let p = self.place_of(id)?;
        let chunks = self.tags.chunks.len();
        let t = self.tags.remove(p);
        if self.tags.chunks.len() < chunks {
            self.reach.remove(p.0);
        } else {
            self.fix_reach(p.0);
        }
        let e = (t.id.clone(), t.start, t.end);
        let at = self.ids.lower_bound(|x| id_order(x) < id_order(&e));
        if self.ids.at(at).is_some_and(|x| *x == e) {
            self.ids.remove(at);
        }
        self.counts.add(&t, -1);
        Some(t)
    }

    /// The reach of chunk `c` again (after it changed, or split).
    fn fix_reach(&mut self, c: usize) {
        if self.reach.is_empty() && !self.tags.chunks.is_empty() {
            // the first chunk
            self.reach.push(0);
        } else if self.reach.len() != self.tags.chunks.len() {
            // a split: the chunk and the one after it
            self.reach.insert(c + 1, 0);
            self.fix_reach(c + 1);
        }
        if let Some(ch) = self.tags.chunks.get(c) {
            self.reach[c] = reach_of(ch);
        }
    }

    /// The tags, in order, that start at or before code point `to` and end at or after `from`:
    /// all that touch or overlap `from..to`; a look at the chunks, and at the tags of those that
    /// reach that far.
    pub fn touching(
        &self,
        from: usize,
        to: usize,
    ) -> impl DoubleEndedIterator<Item = &Annotation> + '_ {
        let last = self
            .tags
            .chunks
            .partition_point(|c| c.first().is_some_and(|t| t.start <= to));
        self.tags.chunks[..last]
            .iter()
            .zip(&self.reach)
            .filter(move |(_, r)| **r >= from)
            .flat_map(move |(c, _)| c.iter())
            .filter(move |t| t.start <= to && t.end >= from)
    }

    /// The tags, in order, that start before code point `c`.
    pub fn starting_before(&self, c: usize) -> impl DoubleEndedIterator<Item = &Annotation> + '_ {
        let last = self
            .tags
            .chunks
            .partition_point(|ch| ch.first().is_some_and(|t| t.start < c));
        self.tags.chunks[..last]
            .iter()
            .flat_map(|ch| ch.iter())
            .filter(move |t| t.start < c)
    }

    /// The tags, in order, that start at or after code point `c`.
    pub fn starting_from(&self, c: usize) -> impl DoubleEndedIterator<Item = &Annotation> + '_ {
        let first = self
            .tags
            .chunks
            .partition_point(|ch| ch.last().is_some_and(|t| t.start < c));
        self.tags.chunks[first..]
            .iter()
            .flat_map(|ch| ch.iter())
            .filter(move |t| t.start >= c)
    }

    /// The tags of span `start..end`, in order (one place in the order: a look at them alone).
    pub fn of_span(&self, start: usize, end: usize) -> impl Iterator<Item = &Annotation> + '_ {
        let mut at = self
            .tags
            .lower_bound(|t| (t.start, Reverse(t.end)) < (start, Reverse(end)));
        std::iter::from_fn(move || {
            let t = self.tags.at(at)?;
            if t.start != start || t.end != end {
                return None;
            }
            at = self.tags.next(at);
            Some(t)
        })
    }

    /// Live tags per label ([`Annotation::is_live`]).
    pub fn live_counts(&self) -> &BTreeMap<String, usize> {
        &self.counts.live
    }

    /// Tags a reviewer rejected, orphans aside.
    pub fn rejected(&self) -> usize {
        self.counts.rejected
    }

    /// Orphaned tags.
    pub fn orphaned(&self) -> usize {
        self.counts.orphaned
    }

    /// Who made the tags, each once.
    pub fn annotators(&self) -> impl Iterator<Item = &str> {
        self.counts.annotators.keys().map(String::as_str)
    }

    /// Is every structure beside the tags what the tags make it? (for the tests)
    pub fn check(&self) -> bool {
        let again = Tags::new(self.to_vec());
        self.tags.iter().eq(again.tags.iter())
            && self.ids.iter().eq(again.ids.iter())
            && self.counts == again.counts
            && self.reach
                == self
                    .tags
                    .chunks
                    .iter()
                    .map(|c| reach_of(c))
                    .collect::<Vec<_>>()
            && self.tags.chunks.iter().all(|c| !c.is_empty())
            && self.ids.chunks.iter().all(|c| !c.is_empty())
            && self.tags.len == self.tags.iter().count()
    }
}

fn reach_of(c: &[Annotation]) -> usize {
    c.iter().map(|t| t.end).max().unwrap_or(0)
}

/// The tags in order.
pub struct Iter<'a> {
    inner: Box<dyn DoubleEndedIterator<Item = &'a Annotation> + 'a>,
    left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Annotation;
    fn next(&mut self) -> Option<&'a Annotation> {
        let t = self.inner.next()?;
        self.left -= 1;
        Some(t)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let t = self.inner.next_back()?;
        self.left -= 1;
        Some(t)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Tags {
    type Item = &'a Annotation;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl std::ops::Index<usize> for Tags {
    type Output = Annotation;
    fn index(&self, i: usize) -> &Annotation {
        self.get(i).expect("a tag index in range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{AnnotationSet, Change, Review, Verdict, timestamp};
    use proptest::prelude::*;

    /// The set as it was kept before: one sorted vector, every question a walk of it.
    #[derive(Default)]
    struct Plain(Vec<Annotation>);

    impl Plain {
        fn upsert(&mut self, t: Annotation) {
            self.0.retain(|x| x.id != t.id);
            let pos = self.0.partition_point(|x| order(x) < order(&t));
            self.0.insert(pos, t);
        }
        fn remove(&mut self, id: &str) {
            if let Some(p) = self.0.iter().position(|t| t.id == id) {
                self.0.remove(p);
            }
        }
    }

    fn tag(n: usize, start: usize, len: usize, label: u8, state: u8, who: u8) -> Annotation {
        let label = ["PERSON", "TASK", "DIRECTIVE"][label as usize % 3];
        let mut t = Annotation::new(label, start, start + len, "t", ["a", "b"][who as usize % 2]);
        t.id = format!("{n:04}");
        match state % 4 {
            1 => t.orphaned = true,
            2 => {
                t.review = Some(Review {
                    verdict: Verdict::Rejected,
                    reviewer: "r".into(),
                    time: timestamp(),
                })
            }
            _ => {}
        }
        t
    }

    fn same(set: &AnnotationSet, plain: &Plain) -> std::result::Result<(), TestCaseError> {
        let tags = set.tags();
        prop_assert!(tags.check(), "an index differs from the tags");
        prop_assert_eq!(tags.to_vec(), plain.0.clone());
        prop_assert_eq!(tags.len(), plain.0.len());
        for (i, t) in plain.0.iter().enumerate() {
            prop_assert_eq!(&tags[i], t);
            prop_assert_eq!(set.get(&t.id), plain.0.iter().find(|x| x.id == t.id));
        }
        let mut live = BTreeMap::new();
        for t in plain.0.iter().filter(|t| t.is_live()) {
            *live.entry(t.label.clone()).or_insert(0) += 1;
        }
        prop_assert_eq!(set.counts(), live);
        prop_assert_eq!(
            tags.rejected(),
            plain
                .0
                .iter()
                .filter(|t| !t.orphaned && !t.is_live())
                .count()
        );
        prop_assert_eq!(
            tags.orphaned(),
            plain.0.iter().filter(|t| t.orphaned).count()
        );
        for c in (0..70).step_by(3) {
            let slow = plain
                .0
                .iter()
                .take_while(|t| t.start <= c)
                .filter(|t| !t.orphaned && t.contains(c))
                .min_by_key(|t| t.len());
            prop_assert_eq!(set.innermost_at(c), slow);
            let touching: Vec<&Annotation> = tags.touching(c, c + 4).collect();
            let slow: Vec<&Annotation> = plain
                .0
                .iter()
                .filter(|t| t.start <= c + 4 && t.end >= c)
                .collect();
            prop_assert_eq!(touching, slow);
            let before: Vec<&Annotation> = tags.starting_before(c).rev().collect();
            let slow: Vec<&Annotation> = plain.0.iter().filter(|t| t.start < c).rev().collect();
            prop_assert_eq!(before, slow);
            let from: Vec<&Annotation> = tags.starting_from(c).collect();
            let slow: Vec<&Annotation> = plain.0.iter().filter(|t| t.start >= c).collect();
            prop_assert_eq!(from, slow);
            for len in [1, 2, 5] {
                for label in ["PERSON", "TASK"] {
                    let slow = plain.0.iter().find(|t| {
                        !t.orphaned && t.label == label && t.start == c && t.end == c + len
                    });
                    prop_assert_eq!(set.find_same(label, c, c + len), slow);
                }
            }
        }
        Ok(())
    }

    proptest! {
        /// After random adds, changes, removals, undos and redos (of single changes and of
        /// batches), on a set and on copies of it taken along the way, the chunks, the index by
        /// id, the chunks' reach and the counts are what the tags make them, and every question
        /// answers as a walk of a plain sorted vector does.
        #[test]
        fn the_indexed_set_is_the_plain_one(
            ops in proptest::collection::vec(
                (0u8..6, 0usize..600, 0usize..60, 1usize..8, any::<u8>(), any::<u8>()),
                1..400,
            )
        ) {
            let mut set = AnnotationSet::default();
            let mut plain = Plain::default();
            let mut done: Vec<Vec<Change>> = Vec::new();
            let mut undone: Vec<Vec<Change>> = Vec::new();
            let mut copies: Vec<(AnnotationSet, Vec<Annotation>)> = Vec::new();
            for (i, (op, n, start, len, label, state)) in ops.into_iter().enumerate() {
                let changes: Vec<Change> = match op {
                    // add (or replace) one tag, or a batch of them
                    0 | 1 => {
                        let k = if op == 1 { 9 } else { 1 };
                        (0..k)
                            .map(|j| {
                                let t = tag(n + j, (start + 7 * j) % 60, len, label, state, label / 3);
                                match set.get(&t.id).cloned() {
                                    Some(before) => Change::update(before, t),
                                    None => Change::Add(t),
                                }
                            })
                            .collect()
                    }
                    2 => match set.get(&format!("{n:04}")).cloned() {
                        Some(t) => vec![Change::Remove(t)],
                        None => vec![],
                    },
                    3 => match done.pop() {
                        Some(step) => {
                            let inv: Vec<Change> = step.iter().rev().map(Change::inverse).collect();
                            undone.push(step);
                            set.apply(&inv);
                            for c in &inv {
                                match c {
                                    Change::Add(t) => plain.upsert(t.clone()),
                                    Change::Remove(t) => plain.remove(&t.id),
                                    Change::Update { after, .. } => plain.upsert((**after).clone()),
                                    _ => {}
                                }
                            }
                            vec![]
                        }
                        None => vec![],
                    },
                    4 => undone.pop().unwrap_or_default(),
                    _ => {
                        copies.push((set.clone(), plain.0.clone()));
                        vec![]
                    }
                };
                if !changes.is_empty() {
                    set.apply(&changes);
                    for c in &changes {
                        match c {
                            Change::Add(t) => plain.upsert(t.clone()),
                            Change::Remove(t) => plain.remove(&t.id),
                            Change::Update { after, .. } => plain.upsert((**after).clone()),
                            _ => {}
                        }
                    }
                    if op != 4 {
                        undone.clear();
                    }
                    done.push(changes);
                }
                if i % 16 == 0 {
                    same(&set, &plain)?;
                }
            }
            same(&set, &plain)?;
            // a copy taken before later edits is the set as it was then
            for (copy, was) in copies {
                prop_assert_eq!(copy.tags().to_vec(), was.clone());
                same(&copy, &Plain(was))?;
            }
        }
    }
}
