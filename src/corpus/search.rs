//! Corpus search: every hit of a query in every article, accent-, case- and form-insensitive by
//! default (or exact), with the line and the hit in context. Runs on a background thread and streams
//! its results, so a large corpus shows hits as they are found.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::text::fold::{Folded, fold_str};
use crate::text::{CharIndex, sanitize_inline};

/// One hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Code points of the hit in the article text.
    pub chars: Range<usize>,
    /// 1-based line number.
    pub line: usize,
    /// The hit with some of its line around it, safe to display.
    pub context: String,
}

/// What the search thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchEvent {
    /// Hits in the article at position `entry` of the list given (sent for every article, with
    /// no hits too, so that a reader can keep the list's order).
    Hits { entry: usize, hits: Vec<Hit> },
    /// The search is over; `searched` articles were read.
    Done { searched: usize },
}

/// Characters of context on each side of a hit.
const CONTEXT: usize = 30;

/// Byte ranges of `query` in `text`.
pub fn find(text: &str, query: &str, exact: bool) -> Vec<Range<usize>> {
    if query.is_empty() {
        return Vec::new();
    }
    if exact {
        return text
            .match_indices(query)
            .map(|(b, m)| b..b + m.len())
            .collect();
    }
    let q = fold_str(query);
    if q.is_empty() {
        return Vec::new();
    }
    // A cheap look first: most articles have no hit, and need no offset map.
    if !fold_str(text).contains(&q) {
        return Vec::new();
    }
    Folded::new(text).find_all(text, query)
}

/// The hits of `query` in `text`, with lines and context.
pub fn hits(text: &str, query: &str, exact: bool) -> Vec<Hit> {
    let ranges = find(text, query, exact);
    if ranges.is_empty() {
        return Vec::new();
    }
    let index = CharIndex::new(text);
    let mut line = 1;
    let mut counted = 0;
    ranges
        .into_iter()
        .map(|r| {
            line += text[counted..r.start].matches('\n').count();
            counted = r.start;
            let line_start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[r.end..].find('\n').map_or(text.len(), |i| r.end + i);
            let before: String = {
                let s = &text[line_start..r.start];
                let n = s.chars().count();
                s.chars().skip(n.saturating_sub(CONTEXT)).collect()
            };
            let after: String = text[r.end..line_end].chars().take(CONTEXT).collect();
            Hit {
                chars: index.byte_to_char(text, r.start)..index.byte_to_char(text, r.end),
                line,
                context: sanitize_inline(&format!("{before}[{}]{after}", &text[r.clone()])),
            }
        })
        .collect()
}

/// Search `paths` on background threads (one per core). Dropping the receiver stops them.
pub fn spawn(paths: Vec<PathBuf>, query: String, exact: bool) -> Receiver<SearchEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || run(&paths, &query, exact, &tx));
    rx
}

fn run(paths: &[PathBuf], query: &str, exact: bool, tx: &Sender<SearchEvent>) {
    let next = AtomicUsize::new(0);
    let searched = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, searched) = (&next, &searched);
            scope.spawn(move || {
                loop {
                    let entry = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = paths.get(entry) else { return };
                    let found = match std::fs::read(p) {
                        Ok(bytes) => {
                            searched.fetch_add(1, Ordering::Relaxed);
                            hits(&String::from_utf8_lossy(&bytes), query, exact)
                        }
                        Err(_) => Vec::new(),
                    };
                    if tx.send(SearchEvent::Hits { entry, hits: found }).is_err() {
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

    #[test]
    fn streams_from_a_thread() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.txt");
        let b = d.path().join("b.txt");
        std::fs::write(&a, "không có").unwrap();
        std::fs::write(&b, "Đảng và đảng").unwrap();
        let rx = spawn(vec![a, b], "dang".into(), false);
        let events: Vec<SearchEvent> = rx.iter().collect();
        assert_eq!(events.len(), 3);
        let with_hits: Vec<(usize, usize)> = events
            .iter()
            .filter_map(|e| match e {
                SearchEvent::Hits { entry, hits } if !hits.is_empty() => Some((*entry, hits.len())),
                _ => None,
            })
            .collect();
        assert_eq!(with_hits, [(1, 2)]);
        assert_eq!(events[2], SearchEvent::Done { searched: 2 });
    }
}
