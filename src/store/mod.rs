//! The RON sidecar beside each article: versioned schema, load, atomic save; and the session memory
//! of where each corpus was left.

pub mod atomic;
pub mod session;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use atomic::write_atomic;

use crate::annotation::{Annotation, AnnotationSet};
use crate::error::{Error, Result};
use crate::text::CharIndex;

/// The sidecar format this gloss writes; it reads this and older ones.
pub const FORMAT_VERSION: u32 = 1;

/// Largest sidecar gloss reads, in bytes.
pub const MAX_SIDECAR_BYTES: u64 = 64 * 1024 * 1024;

/// What a sidecar file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecar {
    /// Schema version.
    pub format: u32,
    /// File name of the article it annotates.
    pub article: String,
    /// SHA-256 (hex) of the article's text when last saved.
    pub sha256: String,
    /// Tags sorted by position.
    #[serde(default)]
    pub tags: Vec<Annotation>,
}

#[derive(Deserialize)]
struct VersionOnly {
    format: u32,
}

/// Hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the sidecar of `article` lives: beside it, or in a mirror tree under `annotations`.
pub fn sidecar_path(root: &Path, article: &Path, annotations: Option<&Path>) -> PathBuf {
    match annotations {
        Some(dir) => {
            let rel = article.strip_prefix(root).unwrap_or(article);
            dir.join(rel).with_extension("ron")
        }
        None => article.with_extension("ron"),
    }
}

impl Sidecar {
    /// A sidecar for `article_path` with the text's hash and these tags.
    pub fn new(article_path: &Path, text: &str, tags: &AnnotationSet) -> Sidecar {
        Sidecar {
            format: FORMAT_VERSION,
            article: article_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: sha256_hex(text),
            tags: tags.tags().to_vec(),
        }
    }

    /// Parse sidecar text; `path` names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Sidecar> {
        let options = ron::Options::default().with_recursion_limit(64);
        match options.from_str::<Sidecar>(text) {
            Ok(s) if s.format > FORMAT_VERSION => Err(newer(path, s.format)),
            Ok(s) => {
                s.check(path)?;
                Ok(s)
            }
            Err(e) => match options.from_str::<VersionOnly>(text) {
                Ok(v) if v.format > FORMAT_VERSION => Err(newer(path, v.format)),
                _ => Err(Error::ron(path, e)),
            },
        }
    }

    fn check(&self, path: &Path) -> Result<()> {
        for t in &self.tags {
            if t.start >= t.end {
                return Err(Error::invalid(
                    path,
                    format!(
                        "tag {} has an empty or reversed span {}..{}",
                        t.id, t.start, t.end
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The pretty, stable text written to disk: one tag per block.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .indentor("    ")
            .struct_names(false)
            .separate_tuple_members(false);
        let mut s = ron::ser::to_string_pretty(self, config).expect("a sidecar always serializes");
        s.push('\n');
        s
    }

    /// Load the sidecar at `path`; `Ok(None)` when there is none.
    pub fn load(path: &Path) -> Result<Option<Sidecar>> {
        let len = match fs::metadata(path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        if len > MAX_SIDECAR_BYTES {
            return Err(Error::invalid(
                path,
                format!("{len} bytes is larger than a sidecar may be ({MAX_SIDECAR_BYTES})"),
            ));
        }
        let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::invalid(
                path,
                format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            )
        })?;
        Sidecar::parse(path, &text).map(Some)
    }

    /// Write atomically to `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        write_atomic(path, self.to_ron().as_bytes())
    }

    /// Tags whose quoted text is not what `text` holds at their offsets.
    pub fn mismatched<'a>(&'a self, text: &str, index: &CharIndex) -> Vec<&'a Annotation> {
        self.tags
            .iter()
            .filter(|t| quoted_at(text, index, t.start, t.end) != Some(t.text.as_str()))
            .collect()
    }
}

/// `text[start:end]` in code points, if in range.
pub fn quoted_at<'t>(
    text: &'t str,
    index: &CharIndex,
    start: usize,
    end: usize,
) -> Option<&'t str> {
    let a = index.char_to_byte(text, start)?;
    let b = index.char_to_byte(text, end)?;
    (a <= b).then(|| &text[a..b])
}

fn newer(path: &Path, format: u32) -> Error {
    Error::invalid(
        path,
        format!(
            "written by a newer gloss (format {format}; this gloss knows up to {FORMAT_VERSION}): opened read-only"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(start: usize, end: usize, text: &str) -> Annotation {
        let mut t = Annotation::new("PERSON", start, end, text, "tester");
        t.id = format!("id{start}");
        t.created = "2026-01-01T00:00:00Z".into();
        t.modified = t.created.clone();
        t
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let text = "Tô Lâm \"quoted\" \u{1b}";
        let set = AnnotationSet::new(vec![tag(0, 6, "Tô Lâm"), tag(7, 15, "\"quoted\"")]);
        let s = Sidecar::new(&dir.path().join("a.txt"), text, &set);
        let p = dir.path().join("a.ron");
        s.save(&p).unwrap();
        let back = Sidecar::load(&p).unwrap().unwrap();
        assert_eq!(back, s);
        assert!(back.mismatched(text, &CharIndex::new(text)).is_empty());
        assert!(
            Sidecar::load(&dir.path().join("none.ron"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.ron");
        fs::write(&p, "(\n format: 1,\n article: 3,\n)").unwrap();
        let e = Sidecar::load(&p).unwrap_err().to_string();
        assert!(e.contains("bad.ron:3:"), "{e}");
        fs::write(
            &p,
            "(format: 99, article: \"a.txt\", sha256: \"\", tags: [], extra: 1)",
        )
        .unwrap();
        let e = Sidecar::load(&p).unwrap_err().to_string();
        assert!(e.contains("newer gloss"), "{e}");
        fs::write(&p, "[".repeat(10_000)).unwrap();
        assert!(Sidecar::load(&p).is_err());
    }

    #[test]
    fn mirror_paths() {
        let root = Path::new("/c");
        let a = Path::new("/c/sub/x.txt");
        assert_eq!(sidecar_path(root, a, None), Path::new("/c/sub/x.ron"));
        assert_eq!(
            sidecar_path(root, a, Some(Path::new("/ann"))),
            Path::new("/ann/sub/x.ron")
        );
    }
}
