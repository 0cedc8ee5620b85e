//! The RON sidecar file: what it holds, how it is parsed and how it is laid out on disk.
//!
//! The fields have one source of truth, the structs' serde derives: the writer serializes with them
//! and lays the result out (one field a line, one tag a block); the fields this gloss knows are
//! read from the same derives ([`field_names`]), so a field added to [`Annotation`] or [`Sidecar`] is
//! one edit. Fields written by a newer gloss are kept verbatim and written back last.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::raw;
use crate::annotation::{Annotation, Relation, SpanRef, Status};
use crate::error::{Error, Result};

/// The sidecar format this gloss writes; it reads this and older ones.
pub const FORMAT_VERSION: u32 = 1;

/// Largest sidecar gloss reads, in bytes.
pub const MAX_SIDECAR_BYTES: u64 = 64 * 1024 * 1024;

/// What a sidecar file holds, in the order it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecar {
    /// Schema version.
    pub format: u32,
    /// File name of the article it annotates.
    pub article: String,
    /// SHA-256 (hex) of the article's text the tags were last anchored against.
    pub sha256: String,
    /// Review status of the article.
    #[serde(default)]
    pub status: Status,
    /// A comment on the whole article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Tags sorted by position.
    #[serde(default)]
    pub tags: Vec<Annotation>,
    /// Relations between the tags, by tag id, sorted by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    /// Suggestions the user rejected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<SpanRef>,
    /// Suggestions stored by `gloss suggest`, waiting to be accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggested: Vec<SpanRef>,
    /// Fields written by a newer gloss, kept verbatim (name, raw RON value).
    #[serde(skip)]
    pub extra: Vec<(String, String)>,
}

/// The names of the fields of `T` as its derived `Deserialize` knows them (serde hands them to
/// `deserialize_struct`; this deserializer only catches them).
pub fn field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};
    struct Catch(Option<&'static [&'static str]>);
    impl<'de> de::Deserializer<'de> for &mut Catch {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = Some(fields);
            Err(de::Error::custom("caught"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut c = Catch(None);
    let _ = T::deserialize(&mut c);
    c.0.unwrap_or_default()
}

#[derive(Deserialize)]
struct VersionOnly {
    format: u32,
}

/// Lists whose items have more fields than this are written one field a line.
const BLOCK_FIELDS: usize = 4;

impl Sidecar {
    /// Parse sidecar text; `path` names the file in errors. Fields from a newer gloss are kept, to be
    /// written back.
    pub fn parse(path: &Path, text: &str) -> Result<Sidecar> {
        let mut s = Self::parse_for_reading(path, text)?;
        s.keep_unknown_fields(text);
        Ok(s)
    }

    /// [`Sidecar::parse`] for readers that never write the sidecar back: fields from a newer gloss
    /// are not collected.
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
        let known = field_names::<Sidecar>();
        self.extra = fields
            .iter()
            .filter(|(n, _)| !known.contains(&n.as_str()))
            .cloned()
            .collect();
        let items = fields
            .iter()
            .find(|(n, _)| n == "tags")
            .and_then(|(_, v)| raw::list_items(v))
            .unwrap_or_default();
        if items.len() == self.tags.len() {
            let known = field_names::<Annotation>();
            for (tag, item) in self.tags.iter_mut().zip(items) {
                tag.extra = raw::struct_fields(&item)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(n, _)| !known.contains(&n.as_str()))
                    .collect();
            }
        }
    }

    /// The pretty, stable text written to disk: one field a line, one tag a block, fields in the
    /// structs' order, optional ones only when set, unknown ones (from a newer gloss) last.
    pub fn to_ron(&self) -> String {
        use std::fmt::Write;
        let config = ron::ser::PrettyConfig::new()
            .compact_structs(true)
            .compact_arrays(true)
            .escape_strings(true);
        let compact =
            ron::ser::to_string_pretty(self, config).expect("a sidecar always serializes");
        let fields = raw::struct_fields(&compact).expect("the serializer writes a struct");
        let mut s = String::from("(\n");
        for (name, value) in &fields {
            let Some(items) = raw::list_items(value) else {
                let _ = writeln!(s, "    {name}: {value},");
                continue;
            };
            if items.is_empty() {
                let _ = writeln!(s, "    {name}: [],");
                continue;
            }
            let _ = writeln!(s, "    {name}: [");
            for (i, item) in items.iter().enumerate() {
                let extra = match name.as_str() {
                    "tags" => self.tags.get(i).map_or(&[][..], |t| &t.extra[..]),
                    _ => &[],
                };
                match raw::struct_fields(item) {
                    Some(f) if f.len() > BLOCK_FIELDS || !extra.is_empty() => {
                        s.push_str("        (\n");
                        for (n, v) in f.iter().chain(extra) {
                            let _ = writeln!(s, "            {n}: {v},");
                        }
                        s.push_str("        ),\n");
                    }
                    _ => {
                        let _ = writeln!(s, "        {item},");
                    }
                }
            }
            s.push_str("    ],\n");
        }
        for (n, v) in &self.extra {
            let _ = writeln!(s, "    {n}: {v},");
        }
        s.push_str(")\n");
        s
    }
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

    fn sidecar(tags: Vec<Annotation>) -> Sidecar {
        Sidecar {
            format: FORMAT_VERSION,
            article: "a.txt".into(),
            sha256: "00".into(),
            status: Status::InProgress,
            comment: None,
            tags,
            relations: Vec::new(),
            rejected: Vec::new(),
            suggested: Vec::new(),
            extra: Vec::new(),
        }
    }

    #[test]
    fn known_fields_come_from_the_derives() {
        let tag_fields = field_names::<Annotation>();
        assert!(tag_fields.contains(&"id") && tag_fields.contains(&"orphaned"));
        assert!(!tag_fields.contains(&"extra"));
        assert_eq!(
            field_names::<Sidecar>(),
            [
                "format",
                "article",
                "sha256",
                "status",
                "comment",
                "tags",
                "relations",
                "rejected",
                "suggested"
            ]
        );
    }

    #[test]
    fn round_trip_keeps_unknown_fields_once() {
        let mut t = tag(0, 6, "Tô \"Lâm\"\n");
        t.note = Some("ghi chú".into());
        let s = sidecar(vec![t, tag(7, 9, "x")]);
        let text = s.to_ron();
        assert!(
            text.contains("            note: Some(\"ghi chú\"),\n"),
            "{text}"
        );
        assert_eq!(Sidecar::parse(Path::new("a.ron"), &text).unwrap(), s);
        // A newer gloss added fields at both levels: they survive, each written once.
        let newer = text
            .replacen("    tags: [", "    future: Some([1, 2]),\n    tags: [", 1)
            .replacen(
                "            id: \"id7\",",
                "            id: \"id7\",\n            weight: r#\"a\"b\"#,",
                1,
            );
        let back = Sidecar::parse(Path::new("a.ron"), &newer).unwrap();
        assert_eq!(
            back.extra,
            [("future".to_string(), "Some([1, 2])".to_string())]
        );
        assert_eq!(
            back.tags[1].extra,
            [("weight".to_string(), "r#\"a\"b\"#".to_string())]
        );
        let again = back.to_ron();
        assert_eq!(again.matches("weight:").count(), 1, "{again}");
        assert_eq!(again.matches("future:").count(), 1, "{again}");
        assert_eq!(Sidecar::parse(Path::new("a.ron"), &again).unwrap(), back);
    }

    #[test]
    fn errors_name_file_and_line() {
        let p = Path::new("bad.ron");
        let e = Sidecar::parse(p, "(\n format: 1,\n article: 3,\n)")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bad.ron:3:"), "{e}");
        let e = Sidecar::parse(
            p,
            "(format: 99, article: \"a.txt\", sha256: \"\", tags: [], extra: 1)",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("newer gloss"), "{e}");
        assert!(Sidecar::parse(p, &"[".repeat(10_000)).is_err());
    }
}
