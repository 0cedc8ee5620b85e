//! The metadata scan: read every article (and its sidecar) for the list's date, source, title, status
//! and tag counts, on background threads, streaming summaries as they come. A cache in the cache
//! folder, keyed by path, size and modification time of the article and of its sidecar, lets a
//! reopened corpus skip unchanged files. A cache that is stale, corrupt or from another version is
//! ignored and rebuilt, never trusted blindly.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

use serde::{Deserialize, Serialize};

#[cfg(test)]
use super::Sidecar;
use super::{Document, SidecarDirs};
use crate::corpus::Summary;
use crate::files::write_atomic;

/// What the scan reports.
#[derive(Debug, Clone)]
pub enum ScanEvent {
    /// Summaries for entries (positions in the list given).
    Summaries(Vec<(usize, Summary)>),
    /// The scan is over.
    Done {
        /// Summaries taken from the cache.
        cached: usize,
        /// Articles read.
        read: usize,
    },
}

/// Size and modification time of a file (`None`: no file).
type Stamp = Option<crate::files::Stamp>;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    article: Stamp,
    sidecar: Stamp,
    summary: Summary,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    /// By path relative to the corpus root (lossy UTF-8).
    entries: HashMap<String, CacheEntry>,
}

const CACHE_VERSION: u32 = 1;

/// The cache file for a corpus, in `cache_dir`.
pub fn cache_path(cache_dir: &Path, root: &Path, annotations: Option<&Path>) -> PathBuf {
    let key = format!(
        "{}\u{0}{}",
        root.to_string_lossy(),
        annotations.map(|a| a.to_string_lossy()).unwrap_or_default()
    );
    let hash = super::sha256_hex(&key);
    cache_dir.join(format!("scan-{}.json", &hash[..16]))
}

fn load_cache(path: &Path) -> CacheFile {
    let Ok(bytes) = fs::read(path) else {
        return CacheFile::default();
    };
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(c) if c.version == CACHE_VERSION => c,
        _ => CacheFile::default(),
    }
}

/// What the list shows of one article (its metadata and its annotations' counts, status and
/// annotators, read through the core [`Document`]), with the stamps of the article and of its
/// sidecar, taken before they are read (a file that changes meanwhile is read again next time).
pub fn summarize(dirs: &SidecarDirs, path: &Path) -> (Summary, Stamp, Stamp) {
    let a_stamp = crate::files::stamp(path);
    let sc_stamp = crate::files::stamp(&dirs.sidecar_of(path));
    match Document::open(dirs, path) {
        Ok(doc) => {
            let mut s = Summary::of(doc.article());
            s.take_annotations(doc.annotations());
            if let Some(e) = doc.sidecar_error() {
                s.problem = Some(e.to_string());
            }
            (s, a_stamp, sc_stamp)
        }
        Err(e) => (
            Summary {
                title: format!("(unreadable: {e})"),
                problem: Some(e.to_string()),
                ..Summary::default()
            },
            None,
            None,
        ),
    }
}

/// Where a scan reads from.
#[derive(Debug, Clone)]
pub struct ScanSource {
    pub root: PathBuf,
    pub annotations: Option<PathBuf>,
    pub articles: Vec<PathBuf>,
    /// The cache file to use and update, if any.
    pub cache: Option<PathBuf>,
}

/// What one scan thread did: summaries from the cache, articles read, and its cache entries.
type ThreadResult = (usize, usize, Vec<(String, CacheEntry)>);

/// Summaries sent at once.
const BATCH: usize = 512;

/// Scan on background threads. Dropping the receiver stops the scan.
pub fn spawn(source: ScanSource) -> Receiver<ScanEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || run(source, tx));
    rx
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

fn run(source: ScanSource, tx: Sender<ScanEvent>) {
    let cache = source.cache.as_deref().map(load_cache).unwrap_or_default();
    let threads = std::env::var("GLOSS_SCAN_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(2, |n| n.get())
                .clamp(1, 8)
        });
    let n = source.articles.len();
    let dirs = SidecarDirs::new(&source.root, source.annotations.as_deref());
    let chunk = n.div_ceil(threads).max(1);
    let results: Vec<ThreadResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let tx = tx.clone();
                let source = &source;
                let cache = &cache;
                let dirs = &dirs;
                scope.spawn(move || {
                    let mut batch = Vec::with_capacity(BATCH);
                    let mut fresh = Vec::new();
                    let (mut cached, mut read) = (0, 0);
                    let lo = (t * chunk).min(n);
                    let hi = ((t + 1) * chunk).min(n);
                    for i in lo..hi {
                        let p = &source.articles[i];
                        let key = rel(&source.root, p);
                        let hit = cache.entries.get(&key).and_then(|e| {
                            let a = crate::files::stamp(p);
                            let sc = crate::files::stamp(&dirs.sidecar_of(p));
                            (a.is_some() && e.article == a && e.sidecar == sc)
                                .then(|| (e.summary.clone(), a, sc))
                        });
                        let (summary, a, sc) = match hit {
                            Some(h) => {
                                cached += 1;
                                h
                            }
                            None => {
                                read += 1;
                                summarize(dirs, p)
                            }
                        };
                        fresh.push((
                            key,
                            CacheEntry {
                                article: a,
                                sidecar: sc,
                                summary: summary.clone(),
                            },
                        ));
                        batch.push((i, summary));
                        if batch.len() == BATCH
                            && tx
                                .send(ScanEvent::Summaries(std::mem::take(&mut batch)))
                                .is_err()
                        {
                            return (cached, read, Vec::new());
                        }
                    }
                    if !batch.is_empty() {
                        let _ = tx.send(ScanEvent::Summaries(batch));
                    }
                    (cached, read, fresh)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let (mut cached, mut read) = (0, 0);
    let mut file = CacheFile {
        version: CACHE_VERSION,
        entries: HashMap::with_capacity(n),
    };
    for (c, r, entries) in results {
        cached += c;
        read += r;
        file.entries.extend(entries);
    }
    // Tell the reader first: the cache is written after, while gloss is already usable.
    let _ = tx.send(ScanEvent::Done { cached, read });
    if let Some(path) = &source.cache
        && read > 0
        && file.entries.len() == n
        && let Ok(bytes) = serde_json::to_vec(&file)
    {
        let _ = write_atomic(path, &bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(source: &ScanSource) -> (Vec<Option<Summary>>, usize, usize) {
        let mut out = vec![None; source.articles.len()];
        let mut done = (0, 0);
        for ev in spawn(source.clone()) {
            match ev {
                ScanEvent::Summaries(b) => {
                    for (i, s) in b {
                        out[i] = Some(s);
                    }
                }
                ScanEvent::Done { cached, read } => done = (cached, read),
            }
        }
        (out, done.0, done.1)
    }

    #[test]
    fn cache_skips_unchanged_files_and_notices_changes() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("c");
        fs::create_dir_all(&root).unwrap();
        let mut articles = Vec::new();
        for i in 0..20 {
            let p = root.join(format!("a{i:02}.txt"));
            fs::write(&p, format!("date 2024-0{} Ảnh {i}\n\nThân bài.", 1 + i % 9)).unwrap();
            articles.push(p);
        }
        let cache = d.path().join("cache.json");
        let source = ScanSource {
            root: root.clone(),
            annotations: None,
            articles: articles.clone(),
            cache: Some(cache.clone()),
        };
        let (s, cached, read) = scan(&source);
        assert_eq!((cached, read), (0, 20));
        assert!(s.iter().all(Option::is_some));
        assert_eq!(s[3].as_ref().unwrap().title, "Ảnh 3");
        let (_, cached, read) = scan(&source);
        assert_eq!((cached, read), (20, 0), "second open reads nothing");
        // change one article (size changes) and add a sidecar to another
        fs::write(&articles[5], "date 2024-01 Mới\n\nKhác hẳn.").unwrap();
        let text = fs::read_to_string(&articles[7]).unwrap();
        let tag = crate::annotation::Annotation::new("PERSON", 0, 4, "date", "x");
        Sidecar::new(
            &articles[7],
            &text,
            &crate::annotation::AnnotationSet::new(vec![tag]),
        )
        .save(&articles[7].with_extension("ron"))
        .unwrap();
        let (s, cached, read) = scan(&source);
        assert_eq!((cached, read), (18, 2));
        assert_eq!(s[5].as_ref().unwrap().title, "Mới");
        assert_eq!(s[7].as_ref().unwrap().tag_counts.get("PERSON"), Some(&1));
        // a corrupt cache is ignored
        fs::write(&cache, b"{not json").unwrap();
        let (s, cached, read) = scan(&source);
        assert_eq!((cached, read), (0, 20));
        assert_eq!(s[5].as_ref().unwrap().title, "Mới");
    }
}
