//! Corpus search: every hit of a query in every article, accent-, case- and form-insensitive by
//! default (or exact), with the line and the hit in context. Runs on a background thread and streams
//! its results, so a large corpus shows hits as they are found.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::corpus::PathList;
use crate::corpus::article::MAX_ARTICLE_BYTES;
use crate::corpus::prefilter::{Prefilter, next_odd};
use crate::files::Folder;
use crate::text::fold::{Folded, MarkedFold, fold_bytes_into, fold_str};
use crate::text::sanitize_inline_owned;

/// One hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Code points of the hit in the article text.
    pub chars: Range<usize>,
    /// 1-based line number.
    pub line: usize,
    /// The hit with some of its line around it, safe to display.
    pub context: String,
    /// The label of a tag the hit is in already, where that was looked up
    /// ([`crate::store::tagged_search`]); `None` where it is not tagged or was not looked up.
    pub tagged: Option<String>,
}

/// What the search thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchEvent {
    /// The articles at positions `entries` of the list given were searched; these of them had hits
    /// (in order). Every position is covered by exactly one event, so a reader can keep the list's
    /// order.
    Hits {
        entries: Range<usize>,
        hits: Vec<(usize, Vec<Hit>)>,
        /// Articles of `entries` that could not be read, why (one line each, naming the file).
        problems: Vec<String>,
    },
    /// The search is over; `searched` articles were read.
    Done { searched: usize },
}

/// Characters of context on each side of a hit.
const CONTEXT: usize = 30;

/// A query, folded once, and buffers reused from article to article.
pub struct Searcher {
    query: String,
    folded_query: String,
    exact: bool,
    /// Finds the folded query in folded text.
    finder: memchr::memmem::Finder<'static>,
    /// The file folded, to see whether there is a hit at all, with marks to map its hits back.
    quick: MarkedFold,
    folded: Folded,
    /// Raw bytes to look for before folding, when the query has a literal worth it.
    prefilter: Option<Prefilter>,
    /// A window or a line folded, to confirm a candidate.
    scratch: Vec<u8>,
}

impl Searcher {
    pub fn new(query: &str, exact: bool) -> Searcher {
        let folded_query = fold_str(query);
        let prefilter = if exact || std::env::var_os("GLOSS_PREFILTER").is_some_and(|v| v == "off")
        {
            None
        } else {
            Prefilter::new(&folded_query)
        };
        Searcher {
            prefilter,
            scratch: Vec::new(),
            query: query.to_string(),
            finder: memchr::memmem::Finder::new(folded_query.as_bytes()).into_owned(),
            folded_query,
            exact,
            quick: MarkedFold::default(),
            folded: Folded::default(),
        }
    }

    /// Could `bytes` (a file, not yet decoded) hold a hit? A quick look without validating UTF-8 or
    /// mapping offsets; `false` is certain.
    pub fn may_match(&mut self, bytes: &[u8]) -> bool {
        if self.exact {
            return !self.query.is_empty()
                && memchr::memmem::find(bytes, self.query.as_bytes()).is_some();
        }
        if self.folded_query.is_empty() {
            return false;
        }
        if self.prefilter.is_some() {
            return !self.lines_with_hits(bytes).is_empty();
        }
        self.quick.refill(bytes);
        self.finder.find(&self.quick.text).is_some()
    }

    /// The lines (without their newline) of `bytes` that hold a hit, found by the prefilter
    /// (which must be there): only the bytes around its candidates are folded.
    fn lines_with_hits(&mut self, bytes: &[u8]) -> Vec<Range<usize>> {
        let Some(pre) = &self.prefilter else {
            return Vec::new();
        };
        let line_of = |at: usize| {
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            start..end
        };
        let mut lines = Vec::new();
        // the next raw form and odd character at or after `from`
        let mut form = pre.find_form(bytes, 0);
        let mut odd = next_odd(bytes, 0);
        loop {
            let (at, window) = match (form, odd) {
                (Some((id, f)), w) if w.is_none_or(|w| f < w) => {
                    (f, Some(pre.window(bytes, id, f)))
                }
                (_, Some(w)) => (w, None),
                _ => break,
            };
            // a window folded (on a line without odd characters, it holds every occurrence
            // through this raw form) or else the whole line
            let mut line = None;
            let look = match window {
                Some(w) => w,
                None => line.insert(line_of(at)).clone(),
            };
            fold_bytes_into(&bytes[look], &mut self.scratch);
            let hit = self.finder.find(&self.scratch).is_some();
            let from = match (hit, line) {
                (false, None) => at + 1,
                (true, None) => {
                    let l = line_of(at);
                    let end = l.end;
                    lines.push(l);
                    end + 1
                }
                (hit, Some(l)) => {
                    let end = l.end;
                    if hit {
                        lines.push(l);
                    }
                    end + 1
                }
            };
            if from >= bytes.len() {
                break;
            }
            if form.is_some_and(|(_, f)| f < from) {
                form = pre.find_form(bytes, from);
            }
            if odd.is_some_and(|o| o < from) {
                odd = next_odd(bytes, from);
            }
        }
        lines
    }

    /// Byte ranges of the query in `lines` of `text` (as [`Searcher::lines_with_hits`] gives them).
    fn ranges_in_lines(&mut self, text: &str, lines: &[Range<usize>]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for line in lines {
            let original = &text[line.clone()];
            self.quick.refill(original.as_bytes());
            let folded: Vec<Range<usize>> = self
                .finder
                .find_iter(&self.quick.text)
                .map(|i| i..i + self.folded_query.len())
                .collect();
            let ranges = self.quick.map_back(original, &non_overlapping(folded));
            out.extend(
                ranges
                    .into_iter()
                    .map(|r| r.start + line.start..r.end + line.start),
            );
        }
        out
    }

    /// The hits of the query in the file contents `bytes` (decoded leniently).
    pub fn hits_in_bytes(&mut self, bytes: &[u8]) -> Vec<Hit> {
        if self.prefilter.is_some() && !self.folded_query.is_empty() {
            let lines = self.lines_with_hits(bytes);
            if lines.is_empty() {
                return Vec::new();
            }
            return match simdutf8::basic::from_utf8(bytes) {
                Ok(text) => {
                    let ranges = self.ranges_in_lines(text, &lines);
                    hits_at(text, ranges)
                }
                Err(_) => {
                    let text = String::from_utf8_lossy(bytes);
                    let ranges = self.find_after_quick_look(&text);
                    hits_at(&text, ranges)
                }
            };
        }
        if !self.may_match(bytes) {
            return Vec::new();
        }
        match simdutf8::basic::from_utf8(bytes) {
            // the quick look folded exactly this text: map its hits back, no second fold
            Ok(text) if !self.exact => {
                let folded: Vec<Range<usize>> = self
                    .finder
                    .find_iter(&self.quick.text)
                    .map(|i| i..i + self.folded_query.len())
                    .collect();
                let ranges = self.quick.map_back(text, &non_overlapping(folded));
                hits_at(text, ranges)
            }
            Ok(text) => {
                let ranges = self.find_after_quick_look(text);
                hits_at(text, ranges)
            }
            Err(_) => {
                let text = String::from_utf8_lossy(bytes);
                let ranges = self.find_after_quick_look(&text);
                hits_at(&text, ranges)
            }
        }
    }

    /// Byte ranges of the query in `text`.
    pub fn find(&mut self, text: &str) -> Vec<Range<usize>> {
        if self.prefilter.is_some() && !self.folded_query.is_empty() {
            let lines = self.lines_with_hits(text.as_bytes());
            return self.ranges_in_lines(text, &lines);
        }
        if !self.exact && !self.folded_query.is_empty() {
            self.quick.refill(text.as_bytes());
            if self.finder.find(&self.quick.text).is_none() {
                return Vec::new();
            }
        }
        self.find_after_quick_look(text)
    }

    fn find_after_quick_look(&mut self, text: &str) -> Vec<Range<usize>> {
        if self.exact {
            if self.query.is_empty() {
                return Vec::new();
            }
            return text
                .match_indices(self.query.as_str())
                .map(|(b, m)| b..b + m.len())
                .collect();
        }
        if self.folded_query.is_empty() {
            return Vec::new();
        }
        self.folded.refill(text);
        self.folded.find_folded(text, &self.folded_query)
    }

    /// The hits of the query in `text`, with lines and context.
    pub fn hits(&mut self, text: &str) -> Vec<Hit> {
        let ranges = self.find(text);
        hits_at(text, ranges)
    }
}

/// Hits at byte `ranges` of `text` (sorted), with their lines and context.
pub fn hits_at(text: &str, ranges: Vec<Range<usize>>) -> Vec<Hit> {
    {
        let mut line = 1;
        let mut chars = 0;
        let mut counted = 0;
        // the current line's bounds, found once per line (not once per hit: an article may be
        // one line of many megabytes with thousands of hits)
        let mut line_start = 0;
        let mut line_end: Option<usize> = None;
        ranges
            .into_iter()
            .map(|r| {
                // lines and code points counted forward from the previous hit
                let between = &text.as_bytes()[counted..r.start];
                let newlines = memchr::memchr_iter(b'\n', between).count();
                if newlines > 0 {
                    line += newlines;
                    line_start = counted + memchr::memrchr(b'\n', between).map_or(0, |i| i + 1);
                }
                chars += text[counted..r.start].chars().count();
                counted = r.start;
                let line_end = match line_end {
                    Some(end) if end >= r.end => end,
                    _ => {
                        let end = memchr::memchr(b'\n', &text.as_bytes()[r.end..])
                            .map_or(text.len(), |i| r.end + i);
                        line_end = Some(end);
                        end
                    }
                };
                // up to CONTEXT characters of the line on each side
                let before = text[line_start..r.start]
                    .char_indices()
                    .rev()
                    .nth(CONTEXT - 1)
                    .map_or(line_start, |(i, _)| line_start + i);
                let after = text[r.end..line_end]
                    .char_indices()
                    .nth(CONTEXT)
                    .map_or(line_end, |(i, _)| r.end + i);
                let mut context = String::with_capacity(after - before + 2);
                context.push_str(&text[before..r.start]);
                context.push('[');
                context.push_str(&text[r.clone()]);
                context.push(']');
                context.push_str(&text[r.end..after]);
                let len = text[r.clone()].chars().count();
                Hit {
                    chars: chars..chars + len,
                    line,
                    context: sanitize_inline_owned(context),
                    tagged: None,
                }
            })
            .collect()
    }
}

/// Drop matches that overlap the one before (memmem finds overlapping ones; `match_indices`, which
/// the rest of gloss uses, does not).
fn non_overlapping(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut last_end = 0;
    v.retain(|r| {
        let keep = r.start >= last_end;
        if keep {
            last_end = r.end;
        }
        keep
    });
    v
}

/// The hits of `query` in `text`, with lines and context.
pub fn hits(text: &str, query: &str, exact: bool) -> Vec<Hit> {
    Searcher::new(query, exact).hits(text)
}

/// Search the articles of `paths` on background threads (one per core, four at least). Dropping
/// the receiver stops them.
pub fn spawn(paths: Arc<PathList>, query: String, exact: bool) -> Receiver<SearchEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || run(&paths, &query, exact, &tx));
    rx
}

/// Articles a thread takes at once.
const CHUNK: usize = 64;

fn run(paths: &PathList, query: &str, exact: bool, tx: &Sender<SearchEvent>) {
    let next = AtomicUsize::new(0);
    let searched = AtomicUsize::new(0);
    // At least four readers: a corpus larger than the page cache keeps (a million articles is
    // several gigabytes of 4 KB pages) waits on the disk, which more reads in flight keep busy.
    let threads = std::env::var("GLOSS_SEARCH_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(4, 8)
        });
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, searched) = (&next, &searched);
            scope.spawn(move || {
                let mut searcher = Searcher::new(query, exact);
                // the folder of the articles being read, held open: each is opened by its name
                let mut open: Option<(PathBuf, Option<Folder>)> = None;
                // the article read, one buffer for all
                let mut buf = Vec::new();
                loop {
                    let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if start >= paths.len() {
                        return;
                    }
                    let entries = start..(start + CHUNK).min(paths.len());
                    let mut hits = Vec::new();
                    let mut problems = Vec::new();
                    for entry in entries.clone() {
                        let (dir, name) = paths.folder_and_name(entry);
                        if open.as_ref().is_none_or(|(d, _)| d != dir) {
                            let folder = Folder::open(&paths.root().join(dir)).ok();
                            open = Some((dir.to_path_buf(), folder));
                        }
                        let read = match open.as_ref().and_then(|(_, f)| f.as_ref()) {
                            Some(f) => f.read_into(name, MAX_ARTICLE_BYTES, "an article", &mut buf),
                            None => crate::files::read_into(
                                &paths.path(entry),
                                MAX_ARTICLE_BYTES,
                                "an article",
                                &mut buf,
                            ),
                        };
                        match read {
                            Ok(true) => {
                                searched.fetch_add(1, Ordering::Relaxed);
                                let found = searcher.hits_in_bytes(&buf);
                                if !found.is_empty() {
                                    hits.push((entry, found));
                                }
                            }
                            Ok(false) => {}
                            Err(e) => problems.push(e.to_string()),
                        }
                    }
                    let ev = SearchEvent::Hits {
                        entries,
                        hits,
                        problems,
                    };
                    if tx.send(ev).is_err() {
                        // the reader is gone: stop everyone
                        next.store(usize::MAX / 2, Ordering::Relaxed);
                        return;
                    }
                }
            });
        }
    });
    let _ = tx.send(SearchEvent::Done {
        searched: searched.into_inner(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_have_lines_context_and_char_offsets() {
        let text = "Dòng một.\nÔng Tô Lâm nói.\nHoà và Hòa và Ho\u{300}a.";
        let h = hits(text, "to lam", false);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].line, 2);
        assert_eq!(h[0].context, "Ông [Tô Lâm] nói.");
        let s: String = text
            .chars()
            .skip(h[0].chars.start)
            .take(h[0].chars.len())
            .collect();
        assert_eq!(s, "Tô Lâm");
        let h = hits(text, "hoa", false);
        assert_eq!(h.len(), 3, "Hoà, Hòa and NFD Hòa");
        assert!(h.iter().all(|x| x.line == 3));
        assert_eq!(hits(text, "hoa", true).len(), 0, "exact matching");
        assert_eq!(hits(text, "Hòa", true).len(), 1);
    }

    proptest::proptest! {
        /// Lines and context found once per line are those found afresh for every hit.
        #[test]
        fn lines_and_context_are_those_of_each_hit_alone(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["tô lâm", "Tô Lâm", " ", "\n", "và", "nói.", "😀", "ấ"]),
                0..60,
            )
        ) {
            let text: String = parts.concat();
            let ranges: Vec<_> = text.match_indices("Tô Lâm").map(|(b, m)| b..b + m.len()).collect();
            let found = hits_at(&text, ranges.clone());
            for (h, r) in found.iter().zip(&ranges) {
                let line = text[..r.start].matches('\n').count() + 1;
                let start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
                let end = text[r.end..].find('\n').map_or(text.len(), |i| r.end + i);
                let before: String = text[start..r.start].chars().rev().take(CONTEXT).collect::<Vec<_>>().into_iter().rev().collect();
                let after: String = text[r.end..end].chars().take(CONTEXT).collect();
                proptest::prop_assert_eq!(h.line, line);
                proptest::prop_assert_eq!(&h.context, &sanitize_inline_owned(format!("{before}[{}]{after}", &text[r.clone()])));
                proptest::prop_assert_eq!(h.chars.start, text[..r.start].chars().count());
            }
            proptest::prop_assert_eq!(found.len(), ranges.len());
        }
    }

    #[test]
    fn streams_from_a_thread() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.txt");
        let b = d.path().join("b.txt");
        std::fs::write(&a, "không có").unwrap();
        std::fs::write(&b, "Đảng và đảng").unwrap();
        let rx = spawn(
            Arc::new(PathList::from_paths(d.path(), vec![a, b])),
            "dang".into(),
            false,
        );
        let events: Vec<SearchEvent> = rx.iter().collect();
        assert_eq!(events.len(), 2);
        match &events[0] {
            SearchEvent::Hits { entries, hits, .. } => {
                assert_eq!(*entries, 0..2);
                assert_eq!(hits.len(), 1);
                assert_eq!(hits[0].0, 1);
                assert_eq!(hits[0].1.len(), 2);
            }
            e => panic!("{e:?}"),
        }
        assert_eq!(events[1], SearchEvent::Done { searched: 2 });
    }
}
