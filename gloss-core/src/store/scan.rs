//! The metadata scan: read every article (and its sidecar) for the list's date, source, title, status
//! and tag counts, and the texts tagged in it for the gazetteer, on background threads, streaming
//! summaries as they come.
//!
//! A cache in the cache folder ([`super::scan_cache`]: binary, versioned, checked)
//! remembers each summary with the stamps (size, modification time) of the article and of its
//! sidecar, so that reopening a corpus costs a `stat` of each file: folders are held open and files
//! looked up by name in them, and a sidecar the walk did not see beside its article is not looked
//! for. A cache that is stale, corrupt or from another version is ignored and rebuilt, never
//! trusted blindly.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

#[cfg(test)]
use super::Sidecar;
use super::scan_cache::{self, CacheFile, Record};
use super::{Document, SidecarDirs};
use crate::corpus::article::{Article, MAX_ARTICLE_BYTES};
use crate::corpus::{PathList, Summary};
use crate::files::Folder;

/// What the scan reports.
#[derive(Debug, Clone)]
pub enum ScanEvent {
    /// Summaries for entries (positions in the list given).
    Summaries(Vec<(usize, Summary)>),
    /// Texts tagged in the corpus, (label, text), for the gazetteer (each once per thread).
    Tagged(Vec<(String, String)>),
    /// The scan is over.
    Done {
        /// Summaries taken from the cache.
        cached: usize,
        /// Articles read.
        read: usize,
    },
    /// The cache has been written (or needed no writing): the scan's thread is finished.
    Saved,
}

/// Size and modification time of a file (`None`: no file).
type Stamp = Option<crate::files::Stamp>;

/// The cache file for a corpus, in `cache_dir`.
pub fn cache_path(cache_dir: &Path, root: &Path, annotations: Option<&Path>) -> PathBuf {
    let key = format!(
        "{}\u{0}{}",
        root.to_string_lossy(),
        annotations.map(|a| a.to_string_lossy()).unwrap_or_default()
    );
    let hash = super::sha256_hex(&key);
    cache_dir.join(format!("scan-{}.bin", &hash[..16]))
}

/// One article read for the list.
#[derive(Debug, Clone)]
pub struct Summarized {
    pub summary: Summary,
    /// The stamps of the article and of its sidecar, taken before they were read (a file that
    /// changes meanwhile is read again next time); `None` for an article that could not be read.
    pub article: Stamp,
    pub sidecar: Stamp,
    /// (label, text) of its tags (not orphaned, not rejected), each once.
    pub tagged: Vec<(String, String)>,
}

/// What the list shows of one article (its metadata and its annotations' counts, status and
/// annotators, read through the core [`Document`]), with the stamps of the article and of its
/// sidecar and its tagged texts.
pub fn summarize(dirs: &SidecarDirs, path: &Path) -> Summarized {
    let a = crate::files::stamp(path);
    let sc = crate::files::stamp(&dirs.sidecar_of(path));
    summarized(dirs, path, Article::read(path), a, sc)
}

/// [`summarize`] of an article read (or not) by the caller, with stamps it took before.
fn summarized(
    dirs: &SidecarDirs,
    path: &Path,
    article: crate::Result<Article>,
    a: Stamp,
    sc: Stamp,
) -> Summarized {
    match article.map(|art| Document::with_article(art, dirs.sidecar_of(path))) {
        Ok(doc) => {
            let mut s = Summary::of(doc.article());
            s.take_annotations(doc.annotations());
            if let Some(e) = doc.sidecar_error() {
                s.problem = Some(e.to_string());
            }
            let mut tagged: Vec<(String, String)> = doc
                .annotations()
                .live_tags()
                .map(|t| (t.label.clone(), t.text.clone()))
                .collect();
            tagged.sort_unstable();
            tagged.dedup();
            Summarized {
                summary: s,
                article: a,
                sidecar: sc,
                tagged,
            }
        }
        Err(e) => Summarized {
            summary: Summary {
                title: format!("(unreadable: {e})"),
                problem: Some(e.to_string()),
                ..Summary::default()
            },
            article: None,
            sidecar: None,
            tagged: Vec::new(),
        },
    }
}

/// Where a scan reads from.
#[derive(Debug, Clone)]
pub struct ScanSource {
    pub root: PathBuf,
    pub annotations: Option<PathBuf>,
    pub articles: Arc<PathList>,
    /// The cache file to use and update, if any.
    pub cache: Option<PathBuf>,
}

/// Summaries sent at once.
const BATCH: usize = 512;
/// Articles a thread takes at once (consecutive, so they share their folders).
const CHUNK: usize = 256;

/// Scan on background threads. Dropping the receiver stops the scan.
pub fn spawn(source: ScanSource) -> Receiver<ScanEvent> {
    let (tx, rx) = channel();
    std::thread::spawn(move || run(source, tx));
    rx
}

/// Where each record of the next cache comes from.
#[derive(Debug, Clone)]
enum Next {
    /// Record `k` of the old cache, unchanged.
    Old(usize),
    /// Bytes of the chunk's new records.
    New(std::ops::Range<usize>),
    /// Not cacheable (unreadable).
    None,
}

/// What one chunk of articles gave for the next cache.
struct ChunkOut {
    next: Vec<Next>,
    bytes: Vec<u8>,
}

/// The folder a thread holds open, and the one it is for.
struct OpenFolder {
    rel: PathBuf,
    folder: Option<Folder>,
}

struct Worker<'a> {
    source: &'a ScanSource,
    dirs: &'a SidecarDirs,
    cache: Option<&'a CacheFile>,
    open: OpenFolder,
    hint: usize,
    tagged: HashSet<String>,
    cached: usize,
    read: usize,
}

impl Worker<'_> {
    /// The stamps of article `i` and of its sidecar, the folder it is in kept open.
    fn stamps(&mut self, i: usize) -> (Stamp, Stamp) {
        let list = &*self.source.articles;
        let (dir, name) = list.folder_and_name(i);
        if self.open.rel != dir || (self.open.folder.is_none() && i == 0) {
            self.open = OpenFolder {
                rel: dir.to_path_buf(),
                folder: Folder::open(&self.source.root.join(dir)).ok(),
            };
        }
        let Some(folder) = &self.open.folder else {
            return (None, None);
        };
        let a = folder.stamp(name);
        let sc = match (&self.source.annotations, list.sidecar_seen(i)) {
            (None, Some(false)) => None,
            (None, _) => {
                let mut sidecar = OsString::from(Path::new(name).with_extension("ron"));
                sidecar.shrink_to_fit();
                folder.stamp(&sidecar)
            }
            (Some(_), _) => crate::files::stamp(&self.dirs.sidecar_of(&list.path(i))),
        };
        (a, sc)
    }

    /// The summary of article `i`, from the cache if its stamps still match, else read; and where
    /// its record in the next cache comes from.
    fn one(&mut self, i: usize, out: &mut ChunkOut) -> Summary {
        let list = &*self.source.articles;
        let (a, sc) = self.stamps(i);
        let rel = list.rel_bytes(i);
        if let (Some(cache), Some(a)) = (self.cache, a)
            && let Some(k) = cache.find(rel, self.hint)
        {
            self.hint = k + 1;
            if cache.stamps(k) == Some((a, sc)) {
                let tagged = &mut self.tagged;
                let mut key = String::new();
                let summary = cache.summary(k, &mut |label, text| {
                    key.clear();
                    key.push_str(label);
                    key.push('\0');
                    key.push_str(text);
                    if !tagged.contains(key.as_str()) {
                        tagged.insert(key.clone());
                    }
                });
                if let Some(summary) = summary {
                    self.cached += 1;
                    out.next.push(Next::Old(k));
                    return summary;
                }
            }
        }
        self.read += 1;
        let path = list.path(i);
        let article = match &self.open.folder {
            Some(f) => {
                let (_, name) = list.folder_and_name(i);
                f.read_limited(name, MAX_ARTICLE_BYTES, "an article")
                    .and_then(|c| {
                        c.ok_or_else(|| {
                            crate::Error::io(&path, std::io::ErrorKind::NotFound.into())
                        })
                    })
                    .map(|c| Article::from_bytes(path.clone(), c.bytes))
            }
            None => Article::read(&path),
        };
        let s = summarized(self.dirs, &path, article, a, sc);
        for (label, text) in &s.tagged {
            self.tagged.insert(format!("{label}\0{text}"));
        }
        let start = out.bytes.len();
        let cacheable = s.article.and_then(|article| {
            let record = Record {
                article,
                sidecar: s.sidecar,
                summary: s.summary.clone(),
                tagged: s.tagged,
            };
            scan_cache::encode(&mut out.bytes, rel, &record)
        });
        out.next.push(match cacheable {
            Some(()) => Next::New(start..out.bytes.len()),
            None => {
                out.bytes.truncate(start);
                Next::None
            }
        });
        s.summary
    }
}

fn run(source: ScanSource, tx: Sender<ScanEvent>) {
    let cache = source
        .cache
        .as_deref()
        .and_then(|p| CacheFile::load(p, &source.root));
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
    let chunks = n.div_ceil(CHUNK);
    let next_chunk = AtomicUsize::new(0);
    let (chunk_tx, chunk_rx) = channel::<(usize, ChunkOut)>();
    let mut writer = NextCache::new(&source, cache.as_ref());
    let results: Vec<(usize, usize, bool)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (tx, chunk_tx) = (tx.clone(), chunk_tx.clone());
                let (source, dirs, cache, next_chunk) = (&source, &dirs, &cache, &next_chunk);
                scope.spawn(move || {
                    let mut w = Worker {
                        source,
                        dirs,
                        cache: cache.as_ref(),
                        open: OpenFolder {
                            rel: PathBuf::new(),
                            folder: None,
                        },
                        hint: 0,
                        tagged: HashSet::new(),
                        cached: 0,
                        read: 0,
                    };
                    let mut batch = Vec::with_capacity(BATCH);
                    let mut stopped = false;
                    'chunks: loop {
                        let c = next_chunk.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks {
                            break;
                        }
                        let mut out = ChunkOut {
                            next: Vec::with_capacity(CHUNK),
                            bytes: Vec::new(),
                        };
                        for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                            let s = w.one(i, &mut out);
                            batch.push((i, s));
                            if batch.len() == BATCH
                                && tx
                                    .send(ScanEvent::Summaries(std::mem::take(&mut batch)))
                                    .is_err()
                            {
                                // the reader is gone: stop everyone
                                next_chunk.store(usize::MAX / 2, Ordering::Relaxed);
                                stopped = true;
                                break 'chunks;
                            }
                        }
                        let _ = chunk_tx.send((c, out));
                    }
                    if !batch.is_empty() {
                        let _ = tx.send(ScanEvent::Summaries(batch));
                    }
                    let tagged: Vec<(String, String)> = w
                        .tagged
                        .into_iter()
                        .filter_map(|k| {
                            k.split_once('\0')
                                .map(|(l, t)| (l.to_string(), t.to_string()))
                        })
                        .collect();
                    if !tagged.is_empty() {
                        let _ = tx.send(ScanEvent::Tagged(tagged));
                    }
                    (w.cached, w.read, stopped)
                })
            })
            .collect();
        drop(chunk_tx);
        // the next cache is written here as chunks come, in list order
        for (c, out) in chunk_rx {
            writer.chunk(c, out);
        }
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let (mut cached, mut read, mut stopped) = (0, 0, false);
    for (c, r, s) in results {
        cached += c;
        read += r;
        stopped |= s;
    }
    // Tell the reader first: what is left of the cache is written after, while gloss is in use.
    let _ = tx.send(ScanEvent::Done { cached, read });
    let unchanged = read == 0 && cache.as_ref().is_some_and(|c| c.len() == n);
    if !stopped && writer.next == chunks && !unchanged {
        writer.finish();
    } else {
        // (a file started is removed)
        drop(writer);
    }
    drop(cache);
    let _ = tx.send(ScanEvent::Saved);
}

/// The next cache file, written in list order as the scan's chunks come (a few wait for those
/// before them). Nothing is written while every record is the old cache's, in order: a corpus
/// reopened unchanged writes no cache at all.
struct NextCache<'a> {
    path: Option<&'a Path>,
    root: &'a Path,
    old: Option<&'a CacheFile>,
    file: Option<CacheWriter>,
    /// The next chunk to write, and chunks that came before their turn.
    next: usize,
    waiting: std::collections::BTreeMap<usize, ChunkOut>,
    /// Records of the old cache passed before writing started (ranges of them, in order).
    passed: Vec<std::ops::Range<usize>>,
    /// Writing failed: no cache this time.
    failed: bool,
}

use super::scan_cache::CacheWriter;

impl<'a> NextCache<'a> {
    fn new(source: &'a ScanSource, old: Option<&'a CacheFile>) -> Self {
        NextCache {
            path: source.cache.as_deref(),
            root: &source.root,
            old,
            file: None,
            next: 0,
            waiting: Default::default(),
            passed: Vec::new(),
            failed: source.cache.is_none(),
        }
    }

    fn chunk(&mut self, c: usize, out: ChunkOut) {
        self.waiting.insert(c, out);
        while let Some(out) = self.waiting.remove(&self.next) {
            self.next += 1;
            self.write(out);
        }
    }

    /// Start the file (with the old records passed so far).
    fn start(&mut self) {
        if self.file.is_some() || self.failed {
            return;
        }
        let (Some(path), old) = (self.path, self.old) else {
            return;
        };
        let Ok(mut w) = CacheWriter::create(path, self.root) else {
            self.failed = true;
            return;
        };
        for r in std::mem::take(&mut self.passed) {
            let bytes = old.map_or(&[][..], |o| o.raw_range(r.clone()));
            if w.records(bytes, r.len()).is_err() {
                self.failed = true;
                return;
            }
        }
        self.file = Some(w);
    }

    fn write(&mut self, out: ChunkOut) {
        if self.failed {
            return;
        }
        let all_old = out.next.iter().all(|n| matches!(n, Next::Old(_)));
        if self.file.is_none() && all_old {
            for n in &out.next {
                if let Next::Old(k) = *n {
                    match self.passed.last_mut() {
                        Some(r) if r.end == k => r.end = k + 1,
                        _ => self.passed.push(k..k + 1),
                    }
                }
            }
            return;
        }
        self.start();
        let (Some(w), old) = (self.file.as_mut(), self.old) else {
            return;
        };
        let mut ok = true;
        for n in &out.next {
            ok &= match n {
                Next::Old(k) => w.records(old.map_or(&[][..], |o| o.raw(*k)), 1),
                Next::New(r) => w.records(&out.bytes[r.clone()], 1),
                Next::None => Ok(()),
            }
            .is_ok();
        }
        self.failed |= !ok;
    }

    /// Write what is left and put the file in place.
    fn finish(mut self) {
        self.start();
        if let (Some(w), false) = (self.file.take(), self.failed) {
            let _ = w.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Summaries, taken from the cache, read, tagged texts.
    type Scanned = (Vec<Option<Summary>>, usize, usize, Vec<(String, String)>);

    fn scan(source: &ScanSource) -> Scanned {
        let mut out = vec![None; source.articles.len()];
        let mut done = (0, 0);
        let mut tagged = Vec::new();
        for ev in spawn(source.clone()) {
            match ev {
                ScanEvent::Summaries(b) => {
                    for (i, s) in b {
                        out[i] = Some(s);
                    }
                }
                ScanEvent::Tagged(t) => tagged.extend(t),
                ScanEvent::Done { cached, read } => done = (cached, read),
                ScanEvent::Saved => {}
            }
        }
        tagged.sort();
        tagged.dedup();
        (out, done.0, done.1, tagged)
    }

    fn source(root: &Path, cache: &Path) -> ScanSource {
        ScanSource {
            root: root.to_path_buf(),
            annotations: None,
            articles: Arc::new(crate::corpus::discover(root).unwrap().articles),
            cache: Some(cache.to_path_buf()),
        }
    }

    #[test]
    fn cache_skips_unchanged_files_and_notices_changes() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("c");
        fs::create_dir_all(root.join("sub")).unwrap();
        let mut articles = Vec::new();
        for i in 0..20 {
            let p = root
                .join(if i % 3 == 0 { "sub" } else { "" })
                .join(format!("a{i:02}.txt"));
            fs::write(&p, format!("date 2024-0{} Ảnh {i}\n\nThân bài.", 1 + i % 9)).unwrap();
            articles.push(p);
        }
        let cache = d.path().join("cache.bin");
        let src = source(&root, &cache);
        let at = |p: &Path| src.articles.position(p).unwrap();
        let (s, cached, read, _) = scan(&src);
        assert_eq!((cached, read), (0, 20));
        assert!(s.iter().all(Option::is_some));
        assert_eq!(s[at(&articles[3])].as_ref().unwrap().title, "Ảnh 3");
        let (s2, cached, read, _) = scan(&src);
        assert_eq!((cached, read), (20, 0), "second open reads nothing");
        assert_eq!(s2, s);
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
        // (a new walk sees the new sidecar)
        let src = source(&root, &cache);
        let (s, cached, read, tagged) = scan(&src);
        assert_eq!((cached, read), (18, 2));
        assert_eq!(s[at(&articles[5])].as_ref().unwrap().title, "Mới");
        assert_eq!(
            s[at(&articles[7])]
                .as_ref()
                .unwrap()
                .tag_counts
                .get("PERSON"),
            Some(&1)
        );
        assert_eq!(tagged, [("PERSON".to_string(), "date".to_string())]);
        // the tagged texts come from the cache too
        let (_, cached, read, tagged) = scan(&src);
        assert_eq!((cached, read), (20, 0));
        assert_eq!(tagged, [("PERSON".to_string(), "date".to_string())]);
        // the sidecar changes: read again
        fs::write(articles[7].with_extension("ron"), "(broken").unwrap();
        let (s, cached, read, _) = scan(&src);
        assert_eq!((cached, read), (19, 1));
        assert!(s[at(&articles[7])].as_ref().unwrap().problem.is_some());
        // an article removed, one added: the others still come from the cache
        fs::remove_file(&articles[0]).unwrap();
        fs::write(root.join("new.txt"), "date 2025-01 Thêm\n\nx").unwrap();
        let src = source(&root, &cache);
        let (s, cached, read, _) = scan(&src);
        assert_eq!((cached, read), (19, 1));
        assert_eq!(s.len(), 20);
        let (_, cached, read, _) = scan(&src);
        assert_eq!((cached, read), (20, 0));
    }

    #[test]
    fn a_corrupt_stale_or_foreign_cache_is_rebuilt() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("c");
        fs::create_dir_all(&root).unwrap();
        for i in 0..10 {
            fs::write(
                root.join(format!("a{i}.txt")),
                format!("date 2024-01 T{i}\n\nx"),
            )
            .unwrap();
        }
        let cache = d.path().join("cache.bin");
        let src = source(&root, &cache);
        let (want, _, read, _) = scan(&src);
        assert_eq!(read, 10);
        let good = fs::read(&cache).unwrap();
        let damaged: Vec<Vec<u8>> = vec![
            b"{not json".to_vec(),
            good[..good.len() / 2].to_vec(),
            {
                let mut b = good.clone();
                let k = b.len() - 3;
                b[k] ^= 1;
                b
            },
            {
                let mut b = good.clone();
                b[8] = b[8].wrapping_add(1); // the version
                b
            },
        ];
        for bad in damaged {
            fs::write(&cache, &bad).unwrap();
            let (s, cached, read, _) = scan(&src);
            assert_eq!((cached, read), (0, 10), "ignored");
            assert_eq!(s, want);
            // and rebuilt
            let (_, cached, read, _) = scan(&src);
            assert_eq!((cached, read), (10, 0), "rebuilt");
        }
        // the cache of another corpus with the same files is not used
        let other = d.path().join("other");
        fs::create_dir_all(&other).unwrap();
        for i in 0..10 {
            fs::copy(
                root.join(format!("a{i}.txt")),
                other.join(format!("a{i}.txt")),
            )
            .unwrap();
        }
        let (_, cached, read, _) = scan(&source(&other, &cache));
        assert_eq!((cached, read), (0, 10));
    }
}
