//! The metadata scan's cache file: what the list shows of every article, with the stamps (size,
//! modification time) of the article and of its sidecar when they were read, and the texts tagged
//! in it (for the gazetteer).
//!
//! Binary, versioned and checked: a header (magic, version, the corpus root, the number of records,
//! the length and a checksum of the body), then one record per article in list order. A file that
//! is missing, cut short, of another version or another root, or whose checksum does not match is
//! not used at all (the scan reads every article again and writes a new one); a record is trusted
//! only while both stamps still match the files.
//!
//! Records are found by their path relative to the root; each is self-contained, so a record still
//! valid is copied into the next cache as it is.

use std::path::Path;

use crate::annotation::Status;
use crate::corpus::Summary;
use crate::corpus::paths::path_order;
use crate::files::Stamp;

const MAGIC: &[u8; 8] = b"GLOSSCAN";
/// Bumped whenever the layout of a record or the meaning of a field changes.
pub const VERSION: u32 = 4;

/// One article as the cache remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub article: Stamp,
    pub sidecar: Option<Stamp>,
    pub summary: Summary,
    /// (label, text) of the tags in it, each once.
    pub tagged: Vec<(String, String)>,
}

/// A checksum of the body (not cryptographic: it catches a file cut short or damaged), taken as
/// the body is written.
#[derive(Debug, Clone)]
pub struct Checksum {
    lanes: [u64; 4],
    buf: [u8; 32],
    buffered: usize,
    len: u64,
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Default for Checksum {
    fn default() -> Self {
        Checksum {
            lanes: [0x243F_6A88_85A3_08D3, 1, 2, 3],
            buf: [0; 32],
            buffered: 0,
            len: 0,
        }
    }
}

impl Checksum {
    fn block(&mut self, c: &[u8]) {
        // four lanes, so that the multiplications overlap
        for (l, w) in self.lanes.iter_mut().zip(c.chunks_exact(8)) {
            let x = u64::from_le_bytes(w.try_into().unwrap_or_default());
            *l = (*l ^ x).wrapping_mul(K).rotate_left(31);
        }
    }

    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len() as u64;
        if self.buffered > 0 {
            let take = (32 - self.buffered).min(bytes.len());
            self.buf[self.buffered..self.buffered + take].copy_from_slice(&bytes[..take]);
            self.buffered += take;
            bytes = &bytes[take..];
            if self.buffered < 32 {
                return;
            }
            let b = self.buf;
            self.block(&b);
            self.buffered = 0;
        }
        let mut chunks = bytes.chunks_exact(32);
        for c in &mut chunks {
            self.block(c);
        }
        let rest = chunks.remainder();
        self.buf[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len();
    }

    pub fn finish(&self) -> u64 {
        let mut lanes = self.lanes;
        for (k, &b) in self.buf[..self.buffered].iter().enumerate() {
            lanes[k % 4] = (lanes[k % 4] ^ b as u64).wrapping_mul(K).rotate_left(31);
        }
        lanes.iter().fold(self.len, |acc, &l| {
            (acc ^ l).wrapping_mul(K).rotate_left(27)
        })
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut c = Checksum::default();
    c.update(bytes);
    c.finish()
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_u32(out, b.len() as u32);
    out.extend_from_slice(b);
}

fn put_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push(1);
            put_bytes(out, s.as_bytes());
        }
        None => out.push(0),
    }
}

/// A stamp as two u64 (modification times past the year 2554 are not cached).
fn put_stamp(out: &mut Vec<u8>, s: Stamp) {
    put_u64(out, s.0);
    put_u64(out, s.1 as u64);
}

/// Encode one record after `out` (`None`: it cannot be cached).
pub fn encode(out: &mut Vec<u8>, rel: &[u8], r: &Record) -> Option<()> {
    let stamps_fit = r.article.1 <= u64::MAX as u128
        && r.sidecar.is_none_or(|s| s.1 <= u64::MAX as u128)
        && rel.len() < u32::MAX as usize;
    if !stamps_fit {
        return None;
    }
    let s = &r.summary;
    put_bytes(out, rel);
    put_stamp(out, r.article);
    match r.sidecar {
        Some(st) => {
            out.push(1);
            put_stamp(out, st);
        }
        None => out.push(0),
    }
    out.push(Status::ALL.iter().position(|&x| x == s.status).unwrap_or(0) as u8);
    put_opt(out, s.date.as_deref());
    put_opt(out, s.source.as_deref());
    put_opt(out, s.problem.as_deref());
    put_bytes(out, s.title.as_bytes());
    put_u32(out, s.tag_counts.len() as u32);
    for (label, n) in &s.tag_counts {
        put_bytes(out, label.as_bytes());
        put_u64(out, *n as u64);
    }
    put_u32(out, s.annotators.len() as u32);
    for a in &s.annotators {
        put_bytes(out, a.as_bytes());
    }
    put_u32(out, s.categories.len() as u32);
    for c in &s.categories {
        put_bytes(out, c.as_bytes());
    }
    put_u32(out, r.tagged.len() as u32);
    for (label, text) in &r.tagged {
        put_bytes(out, label.as_bytes());
        put_bytes(out, text.as_bytes());
    }
    Some(())
}

/// The header of a cache file for `root` with `count` records in a body of `len` bytes whose
/// checksum is `sum` (its length depends on the root only: a writer may write it last).
pub fn header(root: &Path, count: usize, len: u64, sum: u64) -> Vec<u8> {
    let root = root.as_os_str().as_encoded_bytes();
    let mut out = Vec::with_capacity(root.len() + 40);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, VERSION);
    put_bytes(&mut out, root);
    put_u64(&mut out, count as u64);
    put_u64(&mut out, len);
    put_u64(&mut out, sum);
    out
}

/// A cache file written as the scan goes: records in list order, the header last.
pub struct CacheWriter {
    path: std::path::PathBuf,
    file: crate::files::AtomicFile,
    out: std::io::BufWriter<std::fs::File>,
    root: std::path::PathBuf,
    sum: Checksum,
    count: usize,
}

impl CacheWriter {
    /// Start the cache at `path` for the corpus at `root`.
    pub fn create(path: &Path, root: &Path) -> crate::Result<CacheWriter> {
        use std::io::Write;
        let mut file = crate::files::AtomicFile::create(path)?;
        let f = file
            .file()
            .try_clone()
            .map_err(|e| crate::Error::io(path, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, f);
        out.write_all(&header(root, 0, 0, 0))
            .map_err(|e| crate::Error::io(path, e))?;
        Ok(CacheWriter {
            path: path.to_path_buf(),
            file,
            out,
            root: root.to_path_buf(),
            sum: Checksum::default(),
            count: 0,
        })
    }

    /// Add `n` records, as [`encode`] wrote them.
    pub fn records(&mut self, bytes: &[u8], n: usize) -> std::io::Result<()> {
        use std::io::Write;
        self.sum.update(bytes);
        self.count += n;
        self.out.write_all(bytes)
    }

    /// Write the header and put the file in place.
    pub fn finish(mut self) -> crate::Result<()> {
        use std::io::{Seek, SeekFrom, Write};
        let path = self.path.clone();
        let io = |e| crate::Error::io(&path, e);
        self.out.flush().map_err(io)?;
        let head = header(&self.root, self.count, self.sum.len, self.sum.finish());
        let f = self.out.get_mut();
        f.seek(SeekFrom::Start(0)).map_err(io)?;
        f.write_all(&head).map_err(io)?;
        drop(self.out);
        self.file.commit(false)
    }
}

/// Reads fields from a slice, `None` past its end.
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
    fn opt(&mut self) -> Option<Option<&'a str>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.str()?)),
            _ => None,
        }
    }
    fn stamp(&mut self) -> Option<Stamp> {
        Some((self.u64()?, self.u64()? as u128))
    }
}

/// Largest scan cache gloss reads, in bytes (ten million articles fit).
pub const MAX_CACHE_BYTES: u64 = 8 << 30;

/// A cache file read and checked.
pub struct CacheFile {
    bytes: Vec<u8>,
    /// Where each record starts in `bytes`, and where it ends.
    records: Vec<(usize, usize)>,
}

impl CacheFile {
    /// The cache at `path` for the corpus at `root`; `None` if there is none, or it is of another
    /// version or corpus, cut short or damaged.
    pub fn load(path: &Path, root: &Path) -> Option<CacheFile> {
        let bytes = crate::files::read_limited(path, MAX_CACHE_BYTES, "the scan cache")
            .ok()??
            .bytes;
        let mut r = Reader { b: &bytes, at: 0 };
        if r.take(8)? != MAGIC || r.u32()? != VERSION {
            return None;
        }
        if r.bytes()? != root.as_os_str().as_encoded_bytes() {
            return None;
        }
        let count = r.u64()? as usize;
        let len = r.u64()? as usize;
        let sum = r.u64()?;
        let start = r.at;
        if bytes.len() - start != len || checksum(&bytes[start..]) != sum {
            return None;
        }
        // index the records, checking that each is whole
        let mut records = Vec::with_capacity(count.min(len / 32));
        while r.at < bytes.len() {
            let at = r.at;
            skip_record(&mut r)?;
            records.push((at, r.at));
        }
        if records.len() != count {
            return None;
        }
        Some(CacheFile { bytes, records })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The relative path of record `k`.
    pub fn rel(&self, k: usize) -> &[u8] {
        let mut r = Reader {
            b: &self.bytes,
            at: self.records[k].0,
        };
        r.bytes().unwrap_or_default()
    }

    /// The record for relative path `rel`, looked for at `hint` first (records are in list
    /// order, so the next article's is usually the next record).
    pub fn find(&self, rel: &[u8], hint: usize) -> Option<usize> {
        if hint < self.len() && self.rel(hint) == rel {
            return Some(hint);
        }
        let k = self.records.partition_point(|&(at, _)| {
            let mut r = Reader { b: &self.bytes, at };
            path_order(r.bytes().unwrap_or_default(), rel).is_lt()
        });
        (k < self.len() && self.rel(k) == rel).then_some(k)
    }

    /// The stamps of record `k`: article, sidecar.
    pub fn stamps(&self, k: usize) -> Option<(Stamp, Option<Stamp>)> {
        let mut r = Reader {
            b: &self.bytes,
            at: self.records[k].0,
        };
        r.bytes()?;
        let a = r.stamp()?;
        let s = match r.u8()? {
            0 => None,
            _ => Some(r.stamp()?),
        };
        Some((a, s))
    }

    /// Record `k` decoded; `tagged` is told each (label, text) instead of collecting them.
    pub fn summary(&self, k: usize, tagged: &mut impl FnMut(&str, &str)) -> Option<Summary> {
        let mut r = Reader {
            b: &self.bytes,
            at: self.records[k].0,
        };
        decode(&mut r, tagged).map(|(_, _, s)| s)
    }

    /// The bytes of record `k`, as [`encode`] wrote them.
    pub fn raw(&self, k: usize) -> &[u8] {
        self.raw_range(k..k + 1)
    }

    /// The bytes of records `ks` (which lie end to end).
    pub fn raw_range(&self, ks: std::ops::Range<usize>) -> &[u8] {
        if ks.is_empty() {
            return &[];
        }
        &self.bytes[self.records[ks.start].0..self.records[ks.end - 1].1]
    }
}

/// Read one record: (article stamp, sidecar stamp, summary), telling `tagged` its tagged texts.
fn decode(
    r: &mut Reader,
    tagged: &mut impl FnMut(&str, &str),
) -> Option<(Stamp, Option<Stamp>, Summary)> {
    r.bytes()?;
    let article = r.stamp()?;
    let sidecar = match r.u8()? {
        0 => None,
        _ => Some(r.stamp()?),
    };
    let status = *Status::ALL.get(r.u8()? as usize)?;
    let date = r.opt()?.map(str::to_string);
    let source = r.opt()?.map(str::to_string);
    let problem = r.opt()?.map(str::to_string);
    let title = r.str()?.to_string();
    let mut tag_counts = std::collections::BTreeMap::new();
    for _ in 0..r.u32()? {
        let label = r.str()?.to_string();
        tag_counts.insert(label, r.u64()? as usize);
    }
    let mut annotators = std::collections::BTreeSet::new();
    for _ in 0..r.u32()? {
        annotators.insert(r.str()?.to_string());
    }
    let mut categories = std::collections::BTreeSet::new();
    for _ in 0..r.u32()? {
        categories.insert(r.str()?.to_string());
    }
    for _ in 0..r.u32()? {
        let label = r.str()?;
        tagged(label, r.str()?);
    }
    Some((
        article,
        sidecar,
        Summary {
            date,
            source,
            title,
            tag_counts,
            problem,
            status,
            annotators,
            categories,
        },
    ))
}

/// Step over one record (checking only that it is whole: it is decoded, and checked, when used).
fn skip_record(r: &mut Reader) -> Option<()> {
    r.bytes()?;
    r.take(16)?;
    if r.u8()? != 0 {
        r.take(16)?;
    }
    r.u8()?;
    for _ in 0..3 {
        if r.u8()? != 0 {
            r.bytes()?;
        }
    }
    r.bytes()?;
    for _ in 0..r.u32()? {
        r.bytes()?;
        r.take(8)?;
    }
    for _ in 0..2 {
        for _ in 0..r.u32()? {
            r.bytes()?;
        }
    }
    for _ in 0..r.u32()? {
        r.bytes()?;
        r.bytes()?;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: usize) -> Record {
        Record {
            article: (100 + i as u64, 1_700_000_000_123_456_789),
            sidecar: i
                .is_multiple_of(2)
                .then_some((7, 1_700_000_000_000_000_001)),
            summary: Summary {
                date: Some("2024-05".into()),
                source: i.is_multiple_of(3).then(|| "Tuổi Trẻ".into()),
                title: format!("Bài {i}: Đà Nẵng"),
                tag_counts: [("PERSON".to_string(), i)].into(),
                problem: (i == 4).then(|| "hỏng".into()),
                status: Status::ALL[i % 5],
                annotators: ["lan".to_string()].into(),
                categories: i
                    .is_multiple_of(2)
                    .then(|| "topic=economy".to_string())
                    .into_iter()
                    .collect(),
            },
            tagged: vec![("PERSON".into(), format!("Tô Lâm {i}"))],
        }
    }

    /// A whole cache file: the header for `root`, then `body` (records as [`encode`] writes them).
    fn file_bytes(root: &Path, count: usize, body: &[u8]) -> Vec<u8> {
        let mut out = header(root, count, body.len() as u64, checksum(body));
        out.extend_from_slice(body);
        out
    }

    fn write(path: &Path, root: &Path, n: usize) {
        let mut body = Vec::new();
        for i in 0..n {
            encode(&mut body, format!("a/{i:03}.txt").as_bytes(), &record(i)).unwrap();
        }
        std::fs::write(path, file_bytes(root, n, &body)).unwrap();
    }

    #[test]
    fn records_round_trip_and_are_found_by_path() {
        let d = tempfile::tempdir().unwrap();
        let (path, root) = (d.path().join("c.bin"), Path::new("/corpus"));
        write(&path, root, 50);
        let c = CacheFile::load(&path, root).unwrap();
        assert_eq!(c.len(), 50);
        for i in 0..50 {
            let rel = format!("a/{i:03}.txt");
            let k = c.find(rel.as_bytes(), 0).unwrap();
            assert_eq!(k, i);
            let want = record(i);
            assert_eq!(c.stamps(k), Some((want.article, want.sidecar)));
            let mut tagged = Vec::new();
            let s = c
                .summary(k, &mut |l, t| tagged.push((l.to_string(), t.to_string())))
                .unwrap();
            assert_eq!(s, want.summary);
            assert_eq!(tagged, want.tagged);
            let mut again = Vec::new();
            encode(&mut again, rel.as_bytes(), &want).unwrap();
            assert_eq!(c.raw(k), &again[..]);
        }
        assert_eq!(c.find(b"a/999.txt", 3), None);
    }

    #[test]
    fn the_checksum_is_the_same_in_pieces() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        let whole = checksum(&bytes);
        for cut in [0, 1, 5, 31, 32, 33, 64, 999, 1000] {
            for step in [1, 3, 32, 100] {
                let mut c = Checksum::default();
                c.update(&bytes[..cut]);
                for piece in bytes[cut..].chunks(step) {
                    c.update(piece);
                }
                assert_eq!(c.finish(), whole, "{cut} {step}");
            }
        }
        assert_ne!(checksum(&bytes[..999]), whole);
        assert_ne!(checksum(b""), checksum(b"\0"));
    }

    #[test]
    fn a_streamed_cache_reads_back() {
        let d = tempfile::tempdir().unwrap();
        let (path, root) = (d.path().join("c.bin"), Path::new("/corpus"));
        let mut w = CacheWriter::create(&path, root).unwrap();
        for i in 0..30 {
            let mut one = Vec::new();
            encode(&mut one, format!("a/{i:03}.txt").as_bytes(), &record(i)).unwrap();
            w.records(&one, 1).unwrap();
        }
        assert!(
            CacheFile::load(&path, root).is_none(),
            "not there until finished"
        );
        w.finish().unwrap();
        let c = CacheFile::load(&path, root).unwrap();
        assert_eq!(c.len(), 30);
        assert_eq!(c.summary(29, &mut |_, _| {}), Some(record(29).summary));
    }

    #[test]
    fn a_damaged_short_foreign_or_other_version_cache_is_not_used() {
        let d = tempfile::tempdir().unwrap();
        let (path, root) = (d.path().join("c.bin"), Path::new("/corpus"));
        write(&path, root, 20);
        let good = std::fs::read(&path).unwrap();
        assert!(CacheFile::load(&path, root).is_some());
        assert!(
            CacheFile::load(&path, Path::new("/other")).is_none(),
            "another corpus"
        );
        // one bit flipped anywhere in the body
        for at in [good.len() - 1, good.len() / 2, good.len() - 300] {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            std::fs::write(&path, &bad).unwrap();
            assert!(CacheFile::load(&path, root).is_none(), "flipped at {at}");
        }
        // cut short, or with bytes after it
        std::fs::write(&path, &good[..good.len() - 5]).unwrap();
        assert!(CacheFile::load(&path, root).is_none());
        let mut long = good.clone();
        long.push(0);
        std::fs::write(&path, &long).unwrap();
        assert!(CacheFile::load(&path, root).is_none());
        // another version
        let mut other = good.clone();
        other[8..12].copy_from_slice(&(VERSION + 1).to_le_bytes());
        std::fs::write(&path, &other).unwrap();
        assert!(CacheFile::load(&path, root).is_none());
        // not a cache at all (the JSON cache of an older gloss)
        std::fs::write(&path, b"{\"version\":1,\"entries\":{}}").unwrap();
        assert!(CacheFile::load(&path, root).is_none());
        std::fs::write(&path, b"").unwrap();
        assert!(CacheFile::load(&path, root).is_none());
    }
}
