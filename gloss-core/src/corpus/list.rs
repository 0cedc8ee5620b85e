//! The article list of a corpus: names, and a summary of each article once it has been read.
//!
//! Kept compact, so that a million articles fit in a few hundred megabytes: the paths are one
//! shared [`PathList`]; titles lie end to end in one buffer; dates, sources and what many articles
//! share (review status, tag counts, annotators) are stored once and referred to by number; and the
//! folded text the list filter looks through (name, title, source) lies end to end in list order,
//! so a filter is one pass of a substring search over one buffer.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::article::{Article, title_of};
use super::assigned::Assigned;
use super::paths::PathList;
use crate::annotation::Status;
use crate::text::display::{is_bidi_control, is_control};
use crate::text::fold::{fold_bytes_into, fold_str};
use crate::text::{escape_path, sanitize_inline};

/// What the list shows of an article.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub date: Option<String>,
    pub source: Option<String>,
    pub title: String,
    /// Tags per label name.
    pub tag_counts: BTreeMap<String, usize>,
    /// Why the article or its sidecar cannot be used, if so.
    pub problem: Option<String>,
    /// Review status (from the sidecar).
    pub status: crate::annotation::Status,
    /// Who tagged it (from the sidecar).
    pub annotators: std::collections::BTreeSet<String>,
    /// Its article labels, `category=value` (from the sidecar).
    pub categories: std::collections::BTreeSet<String>,
}

impl Summary {
    /// Take the tag counts, status and annotators from an article's annotations.
    pub fn take_annotations(&mut self, set: &crate::annotation::AnnotationSet) {
        self.tag_counts = set.counts();
        self.status = set.article.status;
        self.annotators = set.tags().annotators().map(String::from).collect();
        self.categories = set
            .article
            .categories
            .iter()
            .flat_map(|(c, vs)| vs.iter().map(move |v| format!("{c}={v}")))
            .collect();
    }

    /// Summarise a loaded article (tag counts are filled by whoever reads the sidecar).
    pub fn of(article: &Article) -> Summary {
        Summary {
            date: article.meta.date.clone(),
            source: article.meta.source.as_deref().map(sanitize_inline),
            title: sanitize_inline(&title_of(&article.text, &article.meta)),
            tag_counts: BTreeMap::new(),
            problem: article
                .lossy
                .then(|| "not valid UTF-8: shown with replacements, read-only".to_string()),
            ..Summary::default()
        }
    }
}

/// Values stored once each and referred to by number; 0 stands for none.
#[derive(Debug, Clone)]
struct Interner<T> {
    values: Vec<T>,
    ids: HashMap<T, u32>,
}

impl<T: Default> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            values: vec![T::default()],
            ids: HashMap::new(),
        }
    }
}

impl Interner<Box<str>> {
    /// The number of `v` (stored if new; no allocation if not).
    fn id_str(&mut self, v: &str) -> u32 {
        if let Some(&id) = self.ids.get(v) {
            return id;
        }
        self.id(v.into())
    }
}

impl<T: Eq + Hash + Clone> Interner<T> {
    fn id(&mut self, v: T) -> u32 {
        if let Some(&id) = self.ids.get(&v) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(v.clone());
        self.ids.insert(v, id);
        id
    }

    fn get(&self, id: u32) -> Option<&T> {
        (id != 0).then(|| &self.values[id as usize])
    }
}

/// What many articles share: the review status, the tags per label and who tagged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Profile {
    status: Status,
    tag_counts: BTreeMap<String, usize>,
    annotators: BTreeSet<String>,
    categories: BTreeSet<String>,
}

/// One article's place in the buffers, and its numbers.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// Where the title starts in `titles`.
    title: usize,
    /// Where the filter's folded text starts in `hay`.
    hay: usize,
    title_len: u32,
    hay_len: u32,
    /// The bytes the filter's text holds ([`mask_of`]).
    mask: u64,
    date: u32,
    source: u32,
    /// 0 until the article has been summarised.
    profile: u32,
}

/// All the articles of a corpus, sorted by path.
#[derive(Debug, Clone, Default)]
pub struct ArticleList {
    pub root: PathBuf,
    paths: Arc<PathList>,
    slots: Vec<Slot>,
    titles: Vec<u8>,
    /// Bytes of `titles` no slot points to any more.
    stale_titles: usize,
    /// Folded name, title and source of every article, each followed by `\n` (which no folded
    /// text holds, so no match spans two articles).
    hay: Vec<u8>,
    /// `hay` holds the articles in list order with nothing between them.
    hay_in_order: bool,
    dates: Interner<Box<str>>,
    sources: Interner<Box<str>>,
    profiles: Interner<Profile>,
    problems: HashMap<usize, Box<str>>,
    /// Reused for folding.
    scratch: Vec<u8>,
    /// Counts changes to the summaries.
    generation: u64,
    /// Who each article is assigned to, for `assigned:` terms (none: they keep nothing).
    assigned: Option<Arc<Assigned>>,
}

impl ArticleList {
    /// An index of `paths` below `root`, with no summaries yet.
    pub fn new(root: &Path, paths: Vec<PathBuf>) -> Self {
        Self::from_paths(PathList::from_paths(root, paths))
    }

    /// An index of the articles of `paths`, with no summaries yet.
    pub fn from_paths(paths: PathList) -> Self {
        let n = paths.len();
        let mut list = ArticleList {
            root: paths.root().to_path_buf(),
            slots: vec![Slot::default(); n],
            hay_in_order: true,
            ..ArticleList::default()
        };
        let mut folded = Vec::new();
        for i in 0..n {
            let name = display_name(paths.rel(i));
            fold_bytes_into(name.as_bytes(), &mut folded);
            let slot = &mut list.slots[i];
            slot.hay = list.hay.len();
            slot.hay_len = folded.len() as u32;
            slot.mask = mask_of(&folded);
            list.hay.extend_from_slice(&folded);
            list.hay.push(b'\n');
        }
        list.hay.shrink_to_fit();
        list.paths = Arc::new(paths);
        list
    }

    /// The paths, shared (for the scan and searches, which run beside the list).
    pub fn shared_paths(&self) -> Arc<PathList> {
        Arc::clone(&self.paths)
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The path of article `i`.
    pub fn path(&self, i: usize) -> PathBuf {
        self.paths.path(i)
    }

    /// The path of article `i` relative to the corpus root, escaped for display (`/` separated).
    pub fn name(&self, i: usize) -> Cow<'_, str> {
        display_name(self.paths.rel(i))
    }

    /// The articles' paths, in list order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.paths.to_vec()
    }

    /// The position of the article at `path`.
    pub fn position(&self, path: &Path) -> Option<usize> {
        self.paths.position(path)
    }

    /// The position of the article named `name` (as [`ArticleList::name`] gives it).
    pub fn position_of_name(&self, name: &str) -> Option<usize> {
        self.paths
            .position(Path::new(name))
            .filter(|&i| self.name(i) == name)
            .or_else(|| (0..self.len()).find(|&i| self.name(i) == name))
    }

    /// Has article `i` been summarised?
    pub fn has_summary(&self, i: usize) -> bool {
        self.slots.get(i).is_some_and(|s| s.profile != 0)
    }

    /// The title of article `i`, once summarised.
    pub fn title(&self, i: usize) -> Option<&str> {
        let s = self.slots.get(i).filter(|s| s.profile != 0)?;
        std::str::from_utf8(&self.titles[s.title..s.title + s.title_len as usize]).ok()
    }

    /// The summary of article `i`, once it has been read.
    pub fn summary(&self, i: usize) -> Option<Summary> {
        let slot = self.slots.get(i)?;
        let profile = self.profiles.get(slot.profile)?.clone();
        Some(Summary {
            date: self.dates.get(slot.date).map(|d| d.to_string()),
            source: self.sources.get(slot.source).map(|d| d.to_string()),
            title: self.title(i).unwrap_or_default().to_string(),
            tag_counts: profile.tag_counts,
            problem: self.problems.get(&i).map(|p| p.to_string()),
            status: profile.status,
            annotators: profile.annotators,
            categories: profile.categories,
        })
    }

    /// The review status of article `i`, once summarised.
    pub fn status(&self, i: usize) -> Option<Status> {
        let slot = self.slots.get(i)?;
        self.profiles.get(slot.profile).map(|p| p.status)
    }

    /// The paths of the first `max` reviewed and the first `max` done articles, in list order
    /// (what the learner may train on: reviewed ones first, `max` in all).
    pub fn finished_paths(&self, max: usize) -> Vec<PathBuf> {
        let (mut reviewed, mut done) = (0, 0);
        let mut out = Vec::new();
        for i in 0..self.len() {
            let n = match self.status(i) {
                Some(Status::Reviewed) => &mut reviewed,
                Some(Status::Done) => &mut done,
                _ => continue,
            };
            if *n < max {
                *n += 1;
                out.push(self.path(i));
            }
        }
        out
    }

    /// Changes to the summaries so far: a filter's result stands while this does not change.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Set the summary of article `i`.
    pub fn set_summary(&mut self, i: usize, s: Summary) {
        if i >= self.slots.len() {
            return;
        }
        self.generation += 1;
        let old = self.slots[i];
        if old.profile != 0 {
            self.stale_titles += old.title_len as usize;
        }
        let mut slot = Slot {
            title: self.titles.len(),
            title_len: s.title.len().min(u32::MAX as usize) as u32,
            date: s.date.as_deref().map_or(0, |d| self.dates.id_str(d)),
            source: s.source.as_deref().map_or(0, |d| self.sources.id_str(d)),
            profile: self.profiles.id(Profile {
                status: s.status,
                tag_counts: s.tag_counts,
                annotators: s.annotators,
                categories: s.categories,
            }),
            ..old
        };
        self.titles
            .extend_from_slice(&s.title.as_bytes()[..slot.title_len as usize]);
        match s.problem {
            Some(p) => self.problems.insert(i, p.into()),
            None => self.problems.remove(&i),
        };
        // the filter's text: appended, and put back in order before the next filter
        if old.hay + old.hay_len as usize + 1 == self.hay.len() {
            self.hay.truncate(old.hay);
        } else {
            self.hay_in_order = false;
        }
        slot.hay = self.hay.len();
        let name = display_name(self.paths.rel(i));
        let source = self.sources.get(slot.source).map(|s| s.as_bytes());
        let pieces = [Some(name.as_bytes()), Some(s.title.as_bytes()), source];
        for (k, piece) in pieces.into_iter().flatten().enumerate() {
            if k > 0 {
                self.hay.push(b' ');
            }
            fold_bytes_into(piece, &mut self.scratch);
            self.hay.extend_from_slice(&self.scratch);
        }
        slot.hay_len = (self.hay.len() - slot.hay) as u32;
        slot.mask = mask_of(&self.hay[slot.hay..]);
        self.hay.push(b'\n');
        self.slots[i] = slot;
        if self.stale_titles > 1 << 20 && self.stale_titles > self.titles.len() / 2 {
            self.compact_titles();
        }
    }

    /// Change the summary of article `i`, if it has one.
    pub fn edit_summary(&mut self, i: usize, change: impl FnOnce(&mut Summary)) {
        if let Some(mut s) = self.summary(i) {
            change(&mut s);
            self.set_summary(i, s);
        }
    }

    /// Change the summary of article `i`, made by `make` if it has none yet.
    pub fn edit_summary_or(
        &mut self,
        i: usize,
        make: impl FnOnce() -> Summary,
        change: impl FnOnce(&mut Summary),
    ) {
        let mut s = self.summary(i).unwrap_or_else(make);
        change(&mut s);
        self.set_summary(i, s);
    }

    /// Put the buffers back in order after summaries have changed (done before a filter, and
    /// when the scan ends, so that a keystroke in the filter never pays for it).
    pub fn settle(&mut self) {
        if !self.hay_in_order {
            let mut hay =
                Vec::with_capacity(self.slots.iter().map(|s| s.hay_len as usize + 1).sum());
            for s in &mut self.slots {
                let at = hay.len();
                hay.extend_from_slice(&self.hay[s.hay..s.hay + s.hay_len as usize]);
                hay.push(b'\n');
                s.hay = at;
            }
            self.hay = hay;
            self.hay_in_order = true;
        }
        if self.stale_titles > 0 {
            self.compact_titles();
        }
    }

    fn compact_titles(&mut self) {
        let mut titles = Vec::with_capacity(self.titles.len() - self.stale_titles);
        for s in self.slots.iter_mut().filter(|s| s.profile != 0) {
            let at = titles.len();
            titles.extend_from_slice(&self.titles[s.title..s.title + s.title_len as usize]);
            s.title = at;
        }
        self.titles = titles;
        self.stale_titles = 0;
    }

    /// Bytes the list holds on the heap, roughly (for the benchmarks).
    pub fn heap_bytes(&self) -> usize {
        self.paths.heap_bytes()
            + self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.titles.capacity()
            + self.hay.capacity()
    }

    /// Set who each article is assigned to (for the filter's `assigned:` terms).
    pub fn set_assigned(&mut self, assigned: Option<Assigned>) {
        self.assigned = assigned.map(Arc::new);
        self.generation += 1;
    }

    /// Who each article is assigned to, if an assignment was set.
    pub fn assigned(&self) -> Option<&Assigned> {
        self.assigned.as_deref()
    }

    /// Does the assignment give article `i` to everyone `filter`'s `assigned:` terms name?
    fn assigned_keeps(&self, filter: &ListFilter, i: usize) -> bool {
        filter.assigned.is_empty()
            || self
                .assigned
                .as_ref()
                .is_some_and(|a| a.keeps(&filter.assigned, i))
    }

    /// The positions of the articles `filter` keeps, in order.
    pub fn filter(&mut self, filter: &ListFilter) -> Vec<usize> {
        let threads = if self.len() >= 50_000 {
            std::thread::available_parallelism().map_or(1, |t| t.get().min(8))
        } else {
            1
        };
        let mut kept = self.filter_on(filter, threads);
        if !filter.assigned.is_empty() {
            kept.retain(|&i| self.assigned_keeps(filter, i));
        }
        kept
    }

    /// The positions among `candidates` (in order) that `filter` keeps, where `candidates` are
    /// what `old` kept and `filter` narrows `old` (the list unchanged since): only the words that
    /// changed are looked for, and only in the candidates' text.
    pub fn filter_among(
        &mut self,
        filter: &ListFilter,
        old: &ListFilter,
        candidates: &[usize],
    ) -> Vec<usize> {
        // past a sixteenth, one pass over the whole text is quicker than a search per article (a
        // million articles: a whole pass takes 8-12 ms on 2 cores, a search in each of 180,000
        // candidates 30 ms)
        if candidates.len() > self.len() / 16 {
            return self.filter(filter);
        }
        let threads = if candidates.len() >= 20_000 {
            std::thread::available_parallelism().map_or(1, |t| t.get().min(8))
        } else {
            1
        };
        let mut kept = self.filter_each(filter, old, candidates, threads);
        if !filter.assigned.is_empty() {
            kept.retain(|&i| self.assigned_keeps(filter, i));
        }
        kept
    }

    /// [`ArticleList::filter_among`], one candidate at a time, on `threads` threads.
    fn filter_each(
        &mut self,
        filter: &ListFilter,
        old: &ListFilter,
        candidates: &[usize],
        threads: usize,
    ) -> Vec<usize> {
        self.settle();
        // (the other terms are the old filter's: every candidate passes them)
        let changed: Vec<&String> = filter
            .text
            .iter()
            .enumerate()
            .filter(|&(k, t)| old.text.get(k) != Some(t))
            .map(|(_, t)| t)
            .collect();
        let finders: Vec<_> = changed
            .iter()
            .map(|t| memchr::memmem::Finder::new(t.as_bytes()))
            .collect();
        let mask = changed.iter().fold(0, |m, t| m | mask_of(t.as_bytes()));
        let this = &*self;
        let keeps = |i: usize| {
            let Some(s) = this.slots.get(i) else {
                return false;
            };
            let text = &this.hay[s.hay..s.hay + s.hay_len as usize];
            s.mask & mask == mask && finders.iter().all(|f| f.find(text).is_some())
        };
        let chunk = candidates.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = candidates
                .chunks(chunk)
                .map(|part| {
                    let keeps = &keeps;
                    scope.spawn(move || {
                        part.iter()
                            .copied()
                            .filter(|&i| keeps(i))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }

    /// [`ArticleList::filter`] on `threads` threads.
    fn filter_on(&mut self, filter: &ListFilter, threads: usize) -> Vec<usize> {
        self.settle();
        // status, tags and annotators are judged once per profile, not once per article
        let profile_ok: Vec<bool> = (0..self.profiles.values.len())
            .map(|id| filter.keeps_profile(self.profiles.get(id as u32)))
            .collect();
        let n = self.len();
        let chunk = n.div_ceil(threads).max(1);
        let this = &*self;
        let profile_ok = &profile_ok;
        // Each thread writes the positions it keeps into its own part of one buffer (zeroed
        // lazily by the system: only the pages written are touched), then the parts close up.
        // A million positions kept cost a few milliseconds of page faults, not the filter's time
        // again in copies.
        let mut out = vec![0usize; n];
        let counts: Vec<(usize, usize)> = std::thread::scope(|scope| {
            let handles: Vec<_> = out
                .chunks_mut(chunk)
                .enumerate()
                .map(|(k, part)| {
                    let lo = k * chunk;
                    let hi = lo + part.len();
                    scope.spawn(move || (lo, this.filter_range(filter, profile_ok, lo..hi, part)))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_default())
                .collect()
        });
        let mut kept = 0;
        for (lo, count) in counts {
            out.copy_within(lo..lo + count, kept);
            kept += count;
        }
        out.truncate(kept);
        out
    }

    /// [`ArticleList::filter`] over articles `range` (the buffers in order), the positions kept
    /// written into `out` (as long as the range); how many.
    fn filter_range(
        &self,
        filter: &ListFilter,
        profile_ok: &[bool],
        range: std::ops::Range<usize>,
        out: &mut [usize],
    ) -> usize {
        let slots = &self.slots[range.clone()];
        let meta_ok = |s: &Slot| profile_ok[s.profile as usize];
        let mut kept = 0;
        let mut keep = |i: usize| {
            out[kept] = i;
            kept += 1;
        };
        let mut terms: Vec<&str> = filter.text.iter().map(String::as_str).collect();
        let mask = terms.iter().fold(0, |m, t| m | mask_of(t.as_bytes()));
        if terms.iter().all(|t| mask_is_exact(t.as_bytes())) {
            // no words, or single letters or digits (the first keys typed): the masks say it all
            for (i, s) in range.zip(slots) {
                if s.mask & mask == mask && meta_ok(s) {
                    keep(i);
                }
            }
            return kept;
        }
        // the longest term (the rarest, likely) through the whole text; the others on its hits
        terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let first = memchr::memmem::Finder::new(terms[0].as_bytes());
        let others: Vec<_> = terms[1..]
            .iter()
            .map(|t| memchr::memmem::Finder::new(t.as_bytes()))
            .collect();
        let (Some(lo), Some(hi)) = (slots.first(), slots.last()) else {
            return 0;
        };
        let end = hi.hay + hi.hay_len as usize;
        let mut pos = lo.hay;
        let mut k = 0;
        while pos < end {
            let Some(off) = first.find(&self.hay[pos..end]) else {
                break;
            };
            let hit = pos + off;
            // the article whose text holds the hit
            while slots[k].hay + slots[k].hay_len as usize <= hit {
                k += 1;
            }
            let s = &slots[k];
            let text = &self.hay[s.hay..s.hay + s.hay_len as usize];
            if meta_ok(s) && s.mask & mask == mask && others.iter().all(|f| f.find(text).is_some())
            {
                keep(range.start + k);
            }
            pos = s.hay + s.hay_len as usize + 1;
            k += 1;
        }
        kept
    }
}

/// One bit per letter and digit a text holds (other bytes share the remaining bits): a text whose
/// mask lacks a bit of a term's mask does not hold the term.
fn mask_of(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |m, &b| {
        m | 1
            << match b {
                b'a'..=b'z' => b - b'a',
                b'0'..=b'9' => 26 + b - b'0',
                0x80.. => 63,
                _ => 36 + b % 27,
            }
    })
}

/// Does the mask of `term` alone tell whether a text holds it? (One letter or digit.)
fn mask_is_exact(term: &[u8]) -> bool {
    matches!(term, [b'a'..=b'z' | b'0'..=b'9'])
}

/// A relative path as the list shows it: invalid bytes as `\xNN`, controls as `\u{..}`.
fn display_name(rel: &Path) -> Cow<'_, str> {
    match std::str::from_utf8(rel.as_os_str().as_encoded_bytes()) {
        Ok(s)
            if !s
                .chars()
                .any(|c| is_control(c) || c == '\n' || c == '\t' || is_bidi_control(c)) =>
        {
            Cow::Borrowed(s)
        }
        _ => Cow::Owned(escape_path(rel)),
    }
}

/// A list filter: free text (accent-insensitive, in name, title and source) and terms
/// `status:done`, `has:PERSON`, `no:TASK`, `by:annotator`, `cat:economy` (an article label: a
/// value, a category, or `topic=economy`), `assigned:annotator` (`assigned:me`: the list's own
/// annotator, as the corpus's assignment says), all of which must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub text: Vec<String>,
    pub status: Vec<Status>,
    pub has: Vec<String>,
    pub lacks: Vec<String>,
    pub by: Vec<String>,
    /// Article labels, folded: `value`, `category` or `category=value`.
    pub categories: Vec<String>,
    /// Annotators the article must be assigned to (folded; `me` for the list's annotator).
    pub assigned: Vec<String>,
    /// Terms not understood (`status:bogus`), each with what would be: left out of the filter
    /// (which would otherwise match nothing without a word), and said.
    pub unknown: Vec<String>,
}

impl ListFilter {
    pub fn parse(s: &str) -> ListFilter {
        let mut f = ListFilter::default();
        for word in s.split_whitespace() {
            match word.split_once(':') {
                Some(("status", v)) => match Status::parse(v) {
                    Some(st) => f.status.push(st),
                    None => f.unknown.push(format!(
                        "status:{} is no status ({})",
                        crate::text::sanitize_inline(v),
                        Status::ALL
                            .iter()
                            .map(|s| format!("status:{}", s.name()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                },
                Some(("has", v)) => f.has.push(v.to_uppercase()),
                Some(("no", v)) => f.lacks.push(v.to_uppercase()),
                Some(("by", v)) => f.by.push(fold_str(v)),
                Some(("cat", v)) if !v.is_empty() => f.categories.push(fold_str(v)),
                Some(("assigned", v)) => f.assigned.push(fold_str(v)),
                _ => f.text.push(fold_str(word)),
            }
        }
        f.text.retain(|t| !t.is_empty());
        f
    }

    /// Does everything this filter keeps pass `old` too? (Every other term the same, and each of
    /// `old`'s words within the word typed in its place.)
    pub fn narrows(&self, old: &ListFilter) -> bool {
        self.status == old.status
            && self.has == old.has
            && self.lacks == old.lacks
            && self.by == old.by
            && self.categories == old.categories
            && self.assigned == old.assigned
            && self.text.len() >= old.text.len()
            && old
                .text
                .iter()
                .zip(&self.text)
                .all(|(o, n)| n.contains(o.as_str()))
    }

    /// Does an article with this profile (`None`: not read yet) pass the terms other than text?
    fn keeps_profile(&self, p: Option<&Profile>) -> bool {
        let count = |l: &str| p.and_then(|p| p.tag_counts.get(l)).copied().unwrap_or(0);
        if !self.status.is_empty()
            && !self
                .status
                .contains(&p.map(|p| p.status).unwrap_or_default())
        {
            return false;
        }
        if self.has.iter().any(|l| count(l) == 0) || self.lacks.iter().any(|l| count(l) > 0) {
            return false;
        }
        if !self.categories.is_empty() {
            let Some(p) = p else { return false };
            let labelled = |want: &str| {
                p.categories.iter().any(|c| {
                    let c = fold_str(c);
                    let (name, value) = c.split_once('=').unwrap_or((&c, ""));
                    c == want || name == want || value == want
                })
            };
            if !self.categories.iter().all(|w| labelled(w)) {
                return false;
            }
        }
        if !self.by.is_empty() {
            let Some(p) = p else { return false };
            return self
                .by
                .iter()
                .all(|b| p.annotators.iter().any(|a| fold_str(a).contains(b)));
        }
        true
    }

    /// Does the filter keep article `i` of `list`? (The plain way, one article at a time: what
    /// [`ArticleList::filter`] is tested against.)
    pub fn keeps(&self, list: &ArticleList, i: usize) -> bool {
        let summary = list.summary(i);
        let profile = summary.as_ref().map(|s| Profile {
            status: s.status,
            tag_counts: s.tag_counts.clone(),
            annotators: s.annotators.clone(),
            categories: s.categories.clone(),
        });
        if !self.keeps_profile(profile.as_ref()) || !list.assigned_keeps(self, i) {
            return false;
        }
        let mut hay = fold_str(&list.name(i));
        if let Some(s) = &summary {
            hay.push(' ');
            hay.push_str(&fold_str(&s.title));
            if let Some(src) = &s.source {
                hay.push(' ');
                hay.push_str(&fold_str(src));
            }
        }
        self.text.iter().all(|t| hay.contains(t.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(
        title: &str,
        source: Option<&str>,
        status: Status,
        tags: &[(&str, usize)],
    ) -> Summary {
        Summary {
            title: title.into(),
            source: source.map(str::to_string),
            status,
            tag_counts: tags.iter().map(|(l, n)| (l.to_string(), *n)).collect(),
            annotators: ["Lan".to_string()].into(),
            ..Summary::default()
        }
    }

    #[test]
    fn summaries_round_trip_and_filters_agree_with_the_plain_way() {
        let paths: Vec<PathBuf> = (0..300)
            .map(|i| PathBuf::from(format!("/c/{:02}/bài {i}.txt", i % 7)))
            .collect();
        let mut list = ArticleList::new(Path::new("/c"), paths);
        let titles = ["Đà Nẵng mưa lớn", "Hà Nội", "Tô Lâm phát biểu", "Giá vàng"];
        for i in (0..300).filter(|i| i % 3 != 0) {
            let st = Status::ALL[i % 5];
            let tags: &[(&str, usize)] = if i % 4 == 0 { &[("PERSON", 2)] } else { &[] };
            let s = summary(titles[i % 4], (i % 2 == 0).then_some("Tuổi Trẻ"), st, tags);
            list.set_summary(i, s.clone());
            assert_eq!(list.summary(i), Some(s));
        }
        // changed again (out of order), and one with a problem
        list.edit_summary(10, |s| s.title = "Mới: Đà Lạt".into());
        list.edit_summary(11, |s| s.problem = Some("hỏng".into()));
        assert_eq!(list.summary(10).unwrap().title, "Mới: Đà Lạt");
        assert_eq!(list.summary(11).unwrap().problem.as_deref(), Some("hỏng"));
        assert_eq!(list.summary(0), None);
        for q in [
            "",
            "d",
            "d 3",
            "7",
            "é",
            "da",
            "da nang",
            "DA LAT",
            "tuoi tre",
            "bai 1",
            "03/",
            "status:done",
            "has:person",
            "no:PERSON ha",
            "by:lan to",
            "status:new",
            "nang tuoi",
            "zzz",
        ] {
            let f = ListFilter::parse(q);
            let plain: Vec<usize> = (0..list.len()).filter(|&i| f.keeps(&list, i)).collect();
            assert_eq!(list.filter(&f), plain, "{q}");
            assert_eq!(list.filter_on(&f, 3), plain, "{q} on three threads");
            // typed on from a shorter filter: only its results are looked at again
            for cut in 0..q.len() {
                if !q.is_char_boundary(cut) {
                    continue;
                }
                let old = ListFilter::parse(&q[..cut]);
                if f.narrows(&old) {
                    let before = list.filter(&old);
                    let after = &q[..cut];
                    assert_eq!(
                        list.filter_among(&f, &old, &before),
                        plain,
                        "{q} after {after}"
                    );
                    for threads in [1, 3] {
                        let each = list.filter_each(&f, &old, &before, threads);
                        assert_eq!(each, plain, "{q} after {after}");
                    }
                }
            }
        }
        assert!(!list.filter(&ListFilter::parse("da nang")).is_empty());
    }
}
