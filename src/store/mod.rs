//! The RON sidecar beside each article: versioned schema, load, atomic save; and the session memory
//! of where each corpus was left.

pub mod raw;
pub mod reanchor;
pub mod scan;
pub mod session;
pub mod sync;
pub mod tag_index;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::files::write_atomic;

use crate::annotation::{Annotation, AnnotationSet, ArticleFields, CONTEXT_CHARS, SpanRef, Status};
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
    /// Review status of the article.
    #[serde(default)]
    pub status: Status,
    /// A comment on the whole article.
    #[serde(default)]
    pub comment: Option<String>,
    /// Suggestions the user rejected.
    #[serde(default)]
    pub rejected: Vec<SpanRef>,
    /// Suggestions stored by `gloss suggest`, waiting to be accepted.
    #[serde(default)]
    pub suggested: Vec<SpanRef>,
    /// Tags sorted by position.
    #[serde(default)]
    pub tags: Vec<Annotation>,
    /// Fields written by a newer gloss, kept verbatim (name, raw RON value).
    #[serde(skip)]
    pub extra: Vec<(String, String)>,
}

/// Fields this gloss knows, at the top level and in a tag.
const SIDECAR_FIELDS: &[&str] = &[
    "format",
    "article",
    "sha256",
    "status",
    "comment",
    "tags",
    "rejected",
    "suggested",
];
const TAG_FIELDS: &[&str] = &[
    "id",
    "label",
    "start",
    "end",
    "text",
    "note",
    "annotator",
    "created",
    "modified",
    "before",
    "after",
    "review",
    "comment",
    "orphaned",
];

/// A string as a RON literal.
fn lit(s: &str) -> String {
    ron::to_string(s).expect("a string always serializes")
}

/// The unknown fields of a struct's raw text.
fn unknown_fields(raw: &str, known: &[&str]) -> Vec<(String, String)> {
    raw::struct_fields(raw)
        .unwrap_or_default()
        .into_iter()
        .filter(|(n, _)| !known.contains(&n.as_str()))
        .collect()
}

#[derive(Deserialize)]
struct VersionOnly {
    format: u32,
}

/// Hex SHA-256 of a text.
pub fn sha256_hex(text: &str) -> String {
    sha256_hex_bytes(text.as_bytes())
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The text of a sidecar file's bytes (`path` names it in the error).
fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            path,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
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
    ///
    /// Each tag's context (`before`, `after`) is refreshed from `text`.
    pub fn new(article_path: &Path, text: &str, tags: &AnnotationSet) -> Sidecar {
        let index = CharIndex::new(text);
        let article = tags.article.clone();
        let tags = tags
            .tags()
            .iter()
            .map(|t| {
                let mut t = t.clone();
                if !t.orphaned {
                    let ctx = |a: usize, b: usize| quoted_at(text, &index, a, b).map(String::from);
                    t.before = ctx(t.start.saturating_sub(CONTEXT_CHARS), t.start);
                    t.after = ctx(t.end, (t.end + CONTEXT_CHARS).min(index.len_chars()));
                }
                t
            })
            .collect();
        Sidecar {
            format: FORMAT_VERSION,
            article: article_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: sha256_hex(text),
            status: article.status,
            comment: article.comment,
            rejected: article.rejected,
            suggested: article.suggested,
            tags,
            extra: Vec::new(),
        }
    }

    /// Parse sidecar text; `path` names the file in errors. Fields from a newer gloss are kept, to be
    /// written back.
    pub fn parse(path: &Path, text: &str) -> Result<Sidecar> {
        let mut s = Self::parse_for_reading(path, text)?;
        s.keep_unknown_fields(text);
        Ok(s)
    }

    /// [`Sidecar::parse`] for readers that never write the sidecar back (exports, scans): fields
    /// from a newer gloss are not collected.
    pub fn parse_for_reading(path: &Path, text: &str) -> Result<Sidecar> {
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

    /// Remember the fields of `text` this gloss does not know, to write them back.
    fn keep_unknown_fields(&mut self, text: &str) {
        let Some(fields) = raw::struct_fields(text) else {
            return;
        };
        self.extra = fields
            .iter()
            .filter(|(n, _)| !SIDECAR_FIELDS.contains(&n.as_str()))
            .cloned()
            .collect();
        let items = fields
            .iter()
            .find(|(n, _)| n == "tags")
            .and_then(|(_, v)| raw::list_items(v))
            .unwrap_or_default();
        if items.len() == self.tags.len() {
            for (tag, item) in self.tags.iter_mut().zip(items) {
                tag.extra = unknown_fields(&item, TAG_FIELDS);
            }
        }
    }

    /// The pretty, stable text written to disk: one field per line, one tag per block, fields in a
    /// fixed order, optional ones only when set, unknown ones (from a newer gloss) last.
    pub fn to_ron(&self) -> String {
        use std::fmt::Write;
        let mut s = String::from("(\n");
        let _ = writeln!(s, "    format: {},", self.format);
        let _ = writeln!(s, "    article: {},", lit(&self.article));
        let _ = writeln!(s, "    sha256: {},", lit(&self.sha256));
        let _ = writeln!(s, "    status: {:?},", self.status);
        if let Some(c) = &self.comment {
            let _ = writeln!(s, "    comment: Some({}),", lit(c));
        }
        if self.tags.is_empty() {
            s.push_str("    tags: [],\n");
        } else {
            s.push_str("    tags: [\n");
            for t in &self.tags {
                s.push_str("        (\n");
                let mut field = |name: &str, value: String| {
                    let _ = writeln!(s, "            {name}: {value},");
                };
                field("id", lit(&t.id));
                field("label", lit(&t.label));
                field("start", t.start.to_string());
                field("end", t.end.to_string());
                field("text", lit(&t.text));
                if let Some(n) = &t.note {
                    field("note", format!("Some({})", lit(n)));
                }
                field("annotator", lit(&t.annotator));
                field("created", lit(&t.created));
                field("modified", lit(&t.modified));
                if let Some(b) = &t.before {
                    field("before", format!("Some({})", lit(b)));
                }
                if let Some(a) = &t.after {
                    field("after", format!("Some({})", lit(a)));
                }
                if let Some(r) = &t.review {
                    field(
                        "review",
                        format!(
                            "Some((verdict: {:?}, reviewer: {}, time: {}))",
                            r.verdict,
                            lit(&r.reviewer),
                            lit(&r.time)
                        ),
                    );
                }
                if let Some(c) = &t.comment {
                    field("comment", format!("Some({})", lit(c)));
                }
                if t.orphaned {
                    field("orphaned", "true".into());
                }
                for (n, v) in &t.extra {
                    field(n, v.clone());
                }
                s.push_str("        ),\n");
            }
            s.push_str("    ],\n");
        }
        for (name, list) in [("rejected", &self.rejected), ("suggested", &self.suggested)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(s, "    {name}: [");
            for r in list {
                let _ = writeln!(
                    s,
                    "        (label: {}, start: {}, end: {}, text: {}),",
                    lit(&r.label),
                    r.start,
                    r.end,
                    lit(&r.text)
                );
            }
            s.push_str("    ],\n");
        }
        for (n, v) in &self.extra {
            let _ = writeln!(s, "    {n}: {v},");
        }
        s.push_str(")\n");
        s
    }

    /// Load the sidecar at `path` to read it (see [`Sidecar::parse_for_reading`]); `Ok(None)` when
    /// there is none. Writers use [`sync::read`].
    pub fn load(path: &Path) -> Result<Option<Sidecar>> {
        Ok(Self::load_stamped(path)?.map(|(s, _)| s))
    }

    /// Load the sidecar at `path` with its file's stamp; `Ok(None)` when there is none.
    pub fn load_stamped(path: &Path) -> Result<Option<(Sidecar, crate::files::Stamp)>> {
        let Some(contents) = crate::files::read_limited(path, MAX_SIDECAR_BYTES, "a sidecar")?
        else {
            return Ok(None);
        };
        let text = decode(path, contents.bytes)?;
        Ok(Some((
            Sidecar::parse_for_reading(path, &text)?,
            contents.stamp,
        )))
    }

    /// The annotations of the article: tags, status and comment.
    pub fn annotation_set(&self) -> AnnotationSet {
        AnnotationSet::new(self.tags.clone()).with_article(ArticleFields {
            status: self.status,
            comment: self.comment.clone(),
            rejected: self.rejected.clone(),
            suggested: self.suggested.clone(),
        })
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
    use std::fs;

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
