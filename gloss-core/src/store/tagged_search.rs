//! The corpus search, each hit told whether a tag holds it already (a tag over the hit's text,
//! orphaned and rejected ones aside): the search runs as [`crate::corpus::search::spawn`], and a
//! thread reads the tags of the articles with hits through the core [`Document`] (so tags of
//! edited articles are re-anchored as anywhere else) before passing each batch on.

use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use super::{Document, SidecarDirs};
use crate::annotation::Annotation;
use crate::corpus::paths::PathList;
use crate::corpus::search::{self, Hit, SearchEvent};

/// Search `paths` for `query`, hits marked with the label of the tag they are in. Dropping the
/// receiver stops it.
pub fn spawn(
    dirs: SidecarDirs,
    paths: Arc<PathList>,
    query: String,
    exact: bool,
) -> Receiver<SearchEvent> {
    let found = search::spawn(Arc::clone(&paths), query, exact);
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for mut ev in found {
            if let SearchEvent::Hits { hits, .. } = &mut ev {
                for (entry, hits) in hits.iter_mut() {
                    mark(&dirs, &paths.path(*entry), hits);
                }
            }
            if tx.send(ev).is_err() {
                return;
            }
        }
    });
    rx
}

/// Mark `hits` of the article at `path` with the label of the tag each is in.
pub fn mark(dirs: &SidecarDirs, path: &std::path::Path, hits: &mut [Hit]) {
    if !dirs.sidecar_of(path).exists() {
        return;
    }
    let Ok(doc) = Document::open(dirs, path) else {
        return;
    };
    let tags: Vec<&Annotation> = doc.annotations().live_tags().collect();
    for h in hits {
        h.tagged = holding(&tags, &h.chars).map(|t| t.label.clone());
    }
}

/// The innermost tag holding all of `chars`.
fn holding<'a>(tags: &[&'a Annotation], chars: &Range<usize>) -> Option<&'a Annotation> {
    tags.iter()
        .filter(|t| t.start <= chars.start && chars.end <= t.end)
        .min_by_key(|t| t.end - t.start)
        .copied()
}
