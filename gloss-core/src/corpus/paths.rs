//! The articles of a corpus as one compact list: every path relative to the root, end to end in
//! one buffer (a million paths cost their bytes and eight more each, not a `PathBuf` apiece),
//! sorted as paths compare, shared by the list, the scan and the search.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Paths below a root, sorted by component.
#[derive(Debug, Clone, Default)]
pub struct PathList {
    root: PathBuf,
    /// The relative paths' bytes (as the OS encodes them), end to end.
    bytes: Vec<u8>,
    /// Where each path ends in `bytes`.
    ends: Vec<usize>,
    /// Bit `i`: the walk that found article `i` saw `NAME.ron` beside it (kept only when the
    /// list was made by a walk: `seen_known`).
    seen: Vec<u64>,
    seen_known: bool,
}

impl PathList {
    /// An empty list below `root`.
    pub fn new(root: &Path) -> PathList {
        PathList {
            root: root.to_path_buf(),
            ..PathList::default()
        }
    }

    /// The list of `paths` (each below `root`; one that is not is kept whole), sorted.
    pub fn from_paths(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> PathList {
        let mut rel: Vec<Vec<u8>> = paths
            .into_iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap_or(&p)
                    .as_os_str()
                    .as_encoded_bytes()
                    .to_vec()
            })
            .collect();
        rel.sort_unstable_by(|a, b| path_order(a, b));
        let mut list = PathList::new(root);
        for r in &rel {
            list.push(r);
        }
        list
    }

    /// Add a relative path (the caller keeps the order).
    pub(crate) fn push(&mut self, rel: &[u8]) {
        self.bytes.extend_from_slice(rel);
        self.ends.push(self.bytes.len());
    }

    /// Add a relative path found by a walk, which saw a sidecar beside it or not.
    pub(crate) fn push_walked(&mut self, rel: &[u8], sidecar_seen: bool) {
        let i = self.len();
        if i == 0 {
            self.seen_known = true;
        }
        self.push(rel);
        if i.is_multiple_of(64) {
            self.seen.push(0);
        }
        if sidecar_seen {
            self.seen[i / 64] |= 1 << (i % 64);
        }
    }

    /// Did the walk that found article `i` see `NAME.ron` beside it? `None` if the list was not
    /// made by a walk. (A sidecar made since is not seen: it is as if the walk had been earlier.)
    pub fn sidecar_seen(&self, i: usize) -> Option<bool> {
        self.seen_known.then(|| {
            self.seen
                .get(i / 64)
                .is_some_and(|w| w >> (i % 64) & 1 == 1)
        })
    }

    /// The folder of article `i` relative to the root (empty at the root) and its file name.
    pub fn folder_and_name(&self, i: usize) -> (&Path, &OsStr) {
        let rel = self.rel_bytes(i);
        let cut = rel.iter().rposition(|&b| b == b'/');
        let (dir, name) = match cut {
            Some(c) => (&rel[..c], &rel[c + 1..]),
            None => (&rel[..0], rel),
        };
        // SAFETY: as in `rel`; cut at an ASCII `/`, which splits encoded bytes at a boundary.
        unsafe {
            (
                Path::new(OsStr::from_encoded_bytes_unchecked(dir)),
                OsStr::from_encoded_bytes_unchecked(name),
            )
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The bytes of path `i` relative to the root.
    pub fn rel_bytes(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// Path `i` relative to the root.
    pub fn rel(&self, i: usize) -> &Path {
        // SAFETY: the bytes were taken from `as_encoded_bytes` of an `OsStr` (whole paths, or
        // names read from the OS joined by `/`), on this platform and in this process.
        Path::new(unsafe { OsStr::from_encoded_bytes_unchecked(self.rel_bytes(i)) })
    }

    /// Path `i`, whole.
    pub fn path(&self, i: usize) -> PathBuf {
        self.root.join(self.rel(i))
    }

    /// Every path, whole, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PathBuf> + '_ {
        (0..self.len()).map(|i| self.path(i))
    }

    /// Every path, whole, in order.
    pub fn to_vec(&self) -> Vec<PathBuf> {
        self.iter().collect()
    }

    /// The position of `path` (whole, or relative to the root).
    pub fn position(&self, path: &Path) -> Option<usize> {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let key = rel.as_os_str().as_encoded_bytes();
        let i = self.partition_point(|r| path_order(r, key).is_lt());
        (i < self.len() && self.rel_bytes(i) == key).then_some(i)
    }

    fn partition_point(&self, before: impl Fn(&[u8]) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(self.rel_bytes(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Bytes held (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }

    /// Give back unused capacity.
    pub(crate) fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.seen.shrink_to_fit();
    }
}

/// Byte order with the separator first, which is the order of paths by component.
pub fn path_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let key = |c: u8| if c == b'/' { 0 } else { c as u16 + 1 };
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match (a.get(same), b.get(same)) {
        (Some(&x), Some(&y)) => key(x).cmp(&key(y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paths_sorted_and_finds_them() {
        let root = Path::new("/c");
        let list = PathList::from_paths(
            root,
            [
                "/c/b.txt",
                "/c/a/b.txt",
                "/c/a-b.txt",
                "/c/a.txt",
                "/c/a/a.txt",
            ]
            .map(PathBuf::from),
        );
        let rel: Vec<&Path> = (0..list.len()).map(|i| list.rel(i)).collect();
        assert_eq!(
            rel,
            ["a/a.txt", "a/b.txt", "a-b.txt", "a.txt", "b.txt"].map(Path::new)
        );
        assert_eq!(list.path(1), Path::new("/c/a/b.txt"));
        for i in 0..list.len() {
            assert_eq!(list.position(&list.path(i)), Some(i));
            assert_eq!(list.position(list.rel(i)), Some(i));
        }
        assert_eq!(list.position(Path::new("/c/a/c.txt")), None);
        assert_eq!(list.position(Path::new("/c/zz.txt")), None);
        assert_eq!(
            list.folder_and_name(1),
            (Path::new("a"), OsStr::new("b.txt"))
        );
        assert_eq!(
            list.folder_and_name(4),
            (Path::new(""), OsStr::new("b.txt"))
        );
        assert_eq!(list.sidecar_seen(0), None);
    }
}
