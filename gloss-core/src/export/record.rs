//! One article with its checked tags, as every exporter and `stats` sees it.

use std::path::{Path, PathBuf};

pub use crate::annotation::TagFilter;
use crate::annotation::{Annotation, Relation, Status};
use crate::corpus::Meta;
use crate::error::{Error, Result};
use crate::store::{Document, SidecarDirs};

/// An article ready to export.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Path relative to the corpus root, `/`-separated.
    pub id: String,
    pub path: PathBuf,
    pub text: String,
    pub meta: Meta,
    /// Tags whose offsets are known to match the text, sorted by position.
    pub tags: Vec<Annotation>,
    /// Relations whose head and tail are both among `tags`, sorted by id.
    pub relations: Vec<Relation>,
    /// The article's review status.
    pub status: Status,
    /// The comment on the whole article (`@` in the reader).
    pub comment: Option<String>,
    /// Article labels: per category, the values chosen.
    pub categories: crate::annotation::Categories,
    /// Active time per annotator and day.
    pub time: crate::annotation::ActiveTime,
}

/// The document id of an article: its path relative to the root with `/` separators, each name
/// as [`id_name`] writes it (one id per article, whatever bytes its name has).
pub fn document_id(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| id_name(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file name as text, one to one: a name of valid UTF-8 as it is, but for a `%` before two hex
/// digits, written `%25`; a byte that is not UTF-8, `%XX` (so `a\xff.txt` is `a%FF.txt`, and a
/// name that was `a%FF.txt` is `a%25FF.txt`). Two names never share an id, where the lossy form
/// would give both `a\u{fffd}.txt`.
pub fn id_name(name: &std::ffi::OsStr) -> String {
    let bytes = name.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let mut rest = valid;
        while let Some(i) = rest.find('%') {
            out.push_str(&rest[..i]);
            let after = &rest.as_bytes()[i + 1..];
            let escapes =
                after.len() >= 2 && after[0].is_ascii_hexdigit() && after[1].is_ascii_hexdigit();
            out.push_str(if escapes { "%25" } else { "%" });
            rest = &rest[i + 1..];
        }
        out.push_str(rest);
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Record {
    /// Read an article and its sidecar through the core [`Document`]: tags are re-anchored if the
    /// article changed (those found again are exported at their new offsets and counted in a
    /// warning), orphans are left out, each with a warning, and nothing is ever exported at offsets
    /// whose text differs from the tag's quoted text. An unreadable article or sidecar is an error.
    pub fn load(
        dirs: &SidecarDirs,
        path: &Path,
        filter: &TagFilter,
        warnings: &mut Vec<String>,
    ) -> Result<Record> {
        let doc = Document::open_checked(dirs, path)?;
        if doc.article().lossy {
            return Err(Error::invalid(
                path,
                "not valid UTF-8: offsets cannot be trusted, so it is not exported",
            ));
        }
        Ok(Record::of(&dirs.root, doc, filter, warnings))
    }

    /// The record of an open document.
    pub fn of(
        root: &Path,
        doc: Document,
        filter: &TagFilter,
        warnings: &mut Vec<String>,
    ) -> Record {
        let tags = doc.exportable(filter, warnings);
        let relations = exportable_relations(&doc, &tags, filter, warnings);
        let status = doc.status();
        let comment = doc.annotations().article.comment.clone();
        let categories = doc.annotations().article.categories.clone();
        let time = doc.annotations().time.clone();
        let article = doc.article().clone();
        Record {
            id: document_id(root, &article.path),
            path: article.path,
            meta: article.meta,
            text: article.text,
            tags,
            relations,
            status,
            comment,
            categories,
            time,
        }
    }
}

impl Record {
    /// Each exported relation with the indexes of its head and tail in [`Record::tags`].
    pub fn relation_ends(&self) -> Vec<(&Relation, usize, usize)> {
        let index: std::collections::HashMap<&str, usize> = self
            .tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        self.relations
            .iter()
            .filter_map(|r| {
                Some((
                    r,
                    *index.get(r.head.as_str())?,
                    *index.get(r.tail.as_str())?,
                ))
            })
            .collect()
    }
}

/// The relations to export with `tags` (the exported tags): those whose head and tail were both
/// exported, less rejected ones unless the filter keeps rejected tags. A rejected relation is left
/// out silently, as a rejected tag is; any other relation left out is named with the reason.
fn exportable_relations(
    doc: &Document,
    tags: &[Annotation],
    filter: &TagFilter,
    warnings: &mut Vec<String>,
) -> Vec<Relation> {
    let exported: std::collections::HashSet<&str> = tags.iter().map(|t| t.id.as_str()).collect();
    let name = crate::text::escape_path(doc.sidecar_path());
    let mut out = Vec::new();
    for r in doc.annotations().relations() {
        if r.is_rejected() && !filter.include_rejected {
            continue;
        }
        // a tag as a reader knows it: its label and text (its id only when it is not there)
        let tag_name = |id: &str| match doc.annotations().get(id) {
            Some(t) => format!(
                "{} “{}”",
                crate::text::sanitize_inline(&t.label),
                crate::text::sanitize_inline(&t.text)
            ),
            None => format!("tag {}", crate::text::sanitize_inline(id)),
        };
        let end = |id: &str, which: &str| -> Option<String> {
            if exported.contains(id) {
                return None;
            }
            Some(match doc.annotations().get(id) {
                None => format!("its {which} ({}) is not in the sidecar", tag_name(id)),
                Some(t) if !filter.keeps(t) && t.is_rejected() && !filter.include_rejected => {
                    format!("its {which} was rejected")
                }
                Some(t) if !filter.keeps(t) => {
                    format!("its {which}'s label is not among the labels exported")
                }
                Some(_) => format!("its {which} is not exported (see above)"),
            })
        };
        match end(&r.head, "head").or_else(|| end(&r.tail, "tail")) {
            None => out.push(r.clone()),
            Some(why) => warnings.push(format!(
                "{name}: relation {} from {} to {} left out: {why}",
                crate::text::sanitize_inline(&r.label),
                tag_name(&r.head),
                tag_name(&r.tail)
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn names_that_differ_in_bytes_that_are_not_utf8_get_ids_of_their_own() {
        use std::os::unix::ffi::OsStrExt;
        let id = |b: &[u8]| id_name(std::ffi::OsStr::from_bytes(b));
        assert_eq!(id("Tô Lâm.txt".as_bytes()), "Tô Lâm.txt");
        assert_eq!(id(b"a\xff.txt"), "a%FF.txt");
        assert_eq!(id(b"a\xfe.txt"), "a%FE.txt");
        assert_eq!(id(b"a%FF.txt"), "a%25FF.txt");
        assert_eq!(id(b"100%.txt"), "100%.txt");
        assert_eq!(id(b"x%zz\xc3.txt"), "x%zz%C3.txt");
        let names: [&[u8]; 6] = [
            b"a\xff.txt",
            b"a\xfe.txt",
            b"a%FF.txt",
            b"a%25FF.txt",
            b"a%.txt",
            b"a\xef\xbf\xbd.txt",
        ];
        let ids: std::collections::HashSet<String> = names.iter().map(|n| id(n)).collect();
        assert_eq!(ids.len(), names.len(), "{ids:?}");
    }
}
