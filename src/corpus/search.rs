//! Corpus search: every hit of a query in every article, accent-, case- and form-insensitive by
//! default (or exact), with the line and the hit in context. Runs on a background thread and streams
//! its results, so a large corpus shows hits as they are found.

use std::ops::Range;
use std::path::PathBuf;
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
    /// Hits in the article at position `entry` of the list given.
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

/// Search `paths` on a background thread. Dropping the receiver stops it.
pub fn spawn(paths: Vec<PathBuf>, query: String, exact: bool) -> Receiver<SearchEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || run(paths, &query, exact, &tx));
    rx
}

fn run(paths: Vec<PathBuf>, query: &str, exact: bool, tx: &Sender<SearchEvent>) {
    let mut searched = 0;
    for (entry, p) in paths.iter().enumerate() {
        let Ok(bytes) = std::fs::read(p) else {
            continue;
        };
        searched += 1;
        let text = String::from_utf8_lossy(&bytes);
        let found = hits(&text, query, exact);
        if !found.is_empty() && tx.send(SearchEvent::Hits { entry, hits: found }).is_err() {
            return;
        }
    }
    let _ = tx.send(SearchEvent::Done { searched });
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
        assert_eq!(events.len(), 2);
        match &events[0] {
            SearchEvent::Hits { entry, hits } => {
                assert_eq!(*entry, 1);
                assert_eq!(hits.len(), 2);
            }
            e => panic!("{e:?}"),
        }
        assert_eq!(events[1], SearchEvent::Done { searched: 2 });
    }
}
