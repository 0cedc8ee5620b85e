//! The RON sidecar file: what it holds, how it is made from a document's annotations (with each
//! tag's context), how it is read (with the hash of its bytes, so that a save can tell whether it
//! changed) and parsed, and how it is laid out on disk.
//!
//! The fields have one source of truth, the structs' serde derives: the writer writes each field's
//! value as serde gives it and lays them out (one field a line, one tag a block); the fields this gloss knows are
//! read from the same derives ([`field_names`]), so a field added to [`Annotation`] or [`Sidecar`] is
//! one edit. Fields written by a newer gloss are kept verbatim and written back last.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::raw;
use super::{decode, quoted_at, sha256_hex};
use crate::annotation::{
    ActiveTime, Annotation, AnnotationSet, ArticleFields, CONTEXT_CHARS, Categories, Relation,
    SpanRef, Status,
};
use crate::error::{Error, Result};
use crate::text::CharIndex;

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
    /// Article labels: per category of `gloss.ron`, the values chosen.
    #[serde(default, skip_serializing_if = "Categories::is_empty")]
    pub categories: Categories,
    /// Active time per annotator and day, in seconds.
    #[serde(default, skip_serializing_if = "ActiveTime::is_empty")]
    pub time: ActiveTime,
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
    /// structs' order, optional ones only when set, unknown ones (from a newer gloss) last. Each
    /// field's value is what serde writes for it (the derives are the fields' one source); the
    /// layout is made as it goes, never parsed back.
    pub fn to_ron(&self) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(256 + self.tags.len() * 384);
        s.push_str("(\n");
        for (name, value) in fields_of(self, LISTS) {
            let items: Vec<Vec<(&'static str, Option<String>)>> = match name {
                "tags" => self.tags.iter().map(|t| fields_of(t, &[])).collect(),
                "relations" => self.relations.iter().map(|r| fields_of(r, &[])).collect(),
                "rejected" => self.rejected.iter().map(|r| fields_of(r, &[])).collect(),
                "suggested" => self.suggested.iter().map(|r| fields_of(r, &[])).collect(),
                _ => {
                    let _ = writeln!(s, "    {name}: {},", value.unwrap_or_default());
                    continue;
                }
            };
            if items.is_empty() {
                let _ = writeln!(s, "    {name}: [],");
                continue;
            }
            let _ = writeln!(s, "    {name}: [");
            for (k, fields) in items.iter().enumerate() {
                let extra = match name {
                    "tags" => &self.tags[k].extra[..],
                    _ => &[],
                };
                let fields = fields
                    .iter()
                    .map(|(n, v)| (*n, v.as_deref().unwrap_or_default()));
                if fields.len() > BLOCK_FIELDS || !extra.is_empty() {
                    s.push_str("        (\n");
                    let extra = extra.iter().map(|(n, v)| (n.as_str(), v.as_str()));
                    for (n, v) in fields.chain(extra) {
                        let _ = writeln!(s, "            {n}: {v},");
                    }
                    s.push_str("        ),\n");
                } else {
                    s.push_str("        (");
                    for (i, (n, v)) in fields.enumerate() {
                        if i > 0 {
                            s.push_str(", ");
                        }
                        let _ = write!(s, "{n}: {v}");
                    }
                    s.push_str("),\n");
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

/// The sidecar's fields that are lists of structs, laid out an item a line (or a block).
const LISTS: &[&str] = &["tags", "relations", "rejected", "suggested"];

/// The fields serde writes of the struct `value`, in order (those skipped when empty left out),
/// each with its value as RON writes it, compact; the fields named in `unwritten` without one.
pub(crate) fn fields_of<T: Serialize>(
    value: &T,
    unwritten: &[&str],
) -> Vec<(&'static str, Option<String>)> {
    value
        .serialize(FieldNames { unwritten })
        .expect("gloss's structs always serialize")
}

/// A serializer that takes a struct apart into its fields (see [`fields_of`]).
struct FieldNames<'a> {
    unwritten: &'a [&'a str],
}

/// The fields collected so far.
struct Fields<'a> {
    unwritten: &'a [&'a str],
    out: Vec<(&'static str, Option<String>)>,
}

#[derive(Debug)]
struct NotAStruct(String);

impl std::fmt::Display for NotAStruct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotAStruct {}

impl serde::ser::Error for NotAStruct {
    fn custom<M: std::fmt::Display>(m: M) -> Self {
        NotAStruct(m.to_string())
    }
}

impl<'a> serde::ser::SerializeStruct for Fields<'a> {
    type Ok = Vec<(&'static str, Option<String>)>;
    type Error = NotAStruct;

    fn serialize_field<V: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &V,
    ) -> Result<(), NotAStruct> {
        let written = if self.unwritten.contains(&key) {
            None
        } else {
            let config = ron::ser::PrettyConfig::new()
                .compact_structs(true)
                .compact_maps(true)
                .compact_arrays(true)
                .escape_strings(true);
            Some(ron::ser::to_string_pretty(value, config).map_err(|e| NotAStruct(e.to_string()))?)
        };
        self.out.push((key, written));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, NotAStruct> {
        Ok(self.out)
    }
}

/// Every serializer method but `serialize_struct`: what [`FieldNames`] is not given.
macro_rules! not_a_struct {
    ($($m:ident($($t:ty),*)),* $(,)?) => {
        $(fn $m(self, $(_: $t),*) -> Result<Self::Ok, NotAStruct> {
            Err(NotAStruct("not a struct".into()))
        })*
    };
}

impl<'a> serde::Serializer for FieldNames<'a> {
    type Ok = Vec<(&'static str, Option<String>)>;
    type Error = NotAStruct;
    type SerializeSeq = serde::ser::Impossible<Self::Ok, NotAStruct>;
    type SerializeTuple = serde::ser::Impossible<Self::Ok, NotAStruct>;
    type SerializeTupleStruct = serde::ser::Impossible<Self::Ok, NotAStruct>;
    type SerializeTupleVariant = serde::ser::Impossible<Self::Ok, NotAStruct>;
    type SerializeMap = serde::ser::Impossible<Self::Ok, NotAStruct>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = serde::ser::Impossible<Self::Ok, NotAStruct>;

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Fields<'a>, NotAStruct> {
        Ok(Fields {
            unwritten: self.unwritten,
            out: Vec::with_capacity(len),
        })
    }

    not_a_struct!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<V: ?Sized + Serialize>(self, _: &V) -> Result<Self::Ok, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_newtype_struct<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &V,
    ) -> Result<Self::Ok, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<Self::Ok, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotAStruct> {
        Err(NotAStruct("not a struct".into()))
    }
}

impl Sidecar {
    /// A sidecar for `article_path` with the text's hash and these tags: the caller vouches that the
    /// tags are anchored against `text` (the [`super::Document`] does; tests build their own).
    ///
    /// Each tag's context (`before`, `after`) is refreshed from `text`.
    pub fn new(article_path: &Path, text: &str, set: &AnnotationSet) -> Sidecar {
        Sidecar::anchored(
            article_path,
            text,
            &CharIndex::new(text),
            &sha256_hex(text),
            set,
        )
    }

    /// [`Sidecar::new`] with the text's code-point index and hash at hand (the document's).
    pub fn anchored(
        article_path: &Path,
        text: &str,
        index: &CharIndex,
        hash: &str,
        set: &AnnotationSet,
    ) -> Sidecar {
        let name = article_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut sc = Sidecar::of_set(name, hash.to_string(), set.clone());
        for t in sc.tags.iter_mut().filter(|t| !t.orphaned) {
            let ctx = |a: usize, b: usize| quoted_at(text, index, a, b).map(String::from);
            t.before = ctx(t.start.saturating_sub(CONTEXT_CHARS), t.start);
            t.after = ctx(t.end, (t.end + CONTEXT_CHARS).min(index.len_chars()));
        }
        sc
    }

    /// A sidecar of this format holding `set` as it is, for the article named `article` whose
    /// text hashes to `sha256`; no unknown fields.
    pub(super) fn of_set(article: String, sha256: String, set: AnnotationSet) -> Sidecar {
        let relations = set.relations().to_vec();
        let fields = set.article.clone();
        Sidecar {
            format: FORMAT_VERSION,
            article,
            sha256,
            status: fields.status,
            comment: fields.comment,
            categories: fields.categories,
            time: set.time.clone(),
            rejected: fields.rejected,
            suggested: fields.suggested,
            tags: set.into_vec(),
            relations,
            extra: Vec::new(),
        }
    }

    /// The text to write at `path`, never larger than a sidecar may be when read back: past the
    /// limit the tags' context (which only helps re-anchoring) is left out, and if that is not
    /// enough it is refused, with the sizes.
    pub fn into_ron(mut self, path: &Path) -> Result<String> {
        let text = self.to_ron();
        if text.len() as u64 <= MAX_SIDECAR_BYTES {
            return Ok(text);
        }
        for t in &mut self.tags {
            t.before = None;
            t.after = None;
        }
        let lean = self.to_ron();
        if lean.len() as u64 <= MAX_SIDECAR_BYTES {
            return Ok(lean);
        }
        Err(Error::invalid(
            path,
            format!(
                "not saved: {} tags make a sidecar of {} bytes, over the {MAX_SIDECAR_BYTES} bytes gloss reads back",
                self.tags.len(),
                lean.len()
            ),
        ))
    }

    /// Load the sidecar at `path` to look at it (tests, tools); `Ok(None)` when there is none.
    /// Everything that uses a sidecar with its article goes through [`super::Document`].
    pub fn load(path: &Path) -> Result<Option<Sidecar>> {
        let Some(contents) = crate::files::read_limited(path, MAX_SIDECAR_BYTES, "a sidecar")?
        else {
            return Ok(None);
        };
        let text = decode(path, contents.bytes)?;
        Ok(Some(Sidecar::parse_for_reading(path, &text)?))
    }

    /// The annotations of the article: tags, status and comment.
    pub fn annotation_set(&self) -> AnnotationSet {
        AnnotationSet::new(self.tags.clone())
            .with_article(self.article_fields())
            .with_time(self.time.clone())
            .with_relations(self.relations.clone())
    }

    /// What the sidecar says of the article as a whole.
    pub fn article_fields(&self) -> ArticleFields {
        ArticleFields {
            status: self.status,
            comment: self.comment.clone(),
            rejected: self.rejected.clone(),
            suggested: self.suggested.clone(),
            categories: self.categories.clone(),
        }
    }

    /// Write atomically to `path` (tests and tools; gloss saves through [`super::Document::save`]).
    pub fn save(&self, path: &Path) -> Result<()> {
        crate::files::write_atomic(path, self.to_ron().as_bytes())
    }
}

/// A sidecar as read, with the hash of its bytes.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub sidecar: Option<Sidecar>,
    /// SHA-256 of the file's bytes; `None` when there was no file.
    pub hash: Option<String>,
}

/// Read the sidecar at `path` with the hash of its bytes (fields from a newer gloss kept).
pub fn read_snapshot(path: &Path) -> Result<Snapshot> {
    let Some((bytes, hash)) = read_raw(path)? else {
        return Ok(Snapshot::default());
    };
    Ok(Snapshot {
        sidecar: Some(parse_bytes(path, bytes)?),
        hash: Some(hash),
    })
}

/// The bytes of the sidecar at `path` and their hash, unparsed (a save that finds the file as it
/// left it need not parse it); `None` when there is no file.
pub fn read_raw(path: &Path) -> Result<Option<(Vec<u8>, String)>> {
    let Some(contents) = crate::files::read_limited(path, MAX_SIDECAR_BYTES, "a sidecar")? else {
        return Ok(None);
    };
    let hash = super::sha256_hex_bytes(&contents.bytes);
    Ok(Some((contents.bytes, hash)))
}

/// Parse sidecar bytes read from `path`.
pub fn parse_bytes(path: &Path, bytes: Vec<u8>) -> Result<Sidecar> {
    let text = super::decode(path, bytes)?;
    Sidecar::parse(path, &text)
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
            categories: Categories::new(),
            time: ActiveTime::default(),
            tags,
            relations: Vec::new(),
            rejected: Vec::new(),
            suggested: Vec::new(),
            extra: Vec::new(),
        }
    }

    #[test]
    fn article_labels_and_active_time_are_written_one_line_each_and_read_back() {
        let mut sc = sidecar(vec![tag(0, 3, "abc")]);
        sc.categories
            .insert("topic".into(), vec!["economy".into(), "politics".into()]);
        sc.time.add("minh", "2026-12-03", 95);
        sc.time.add("lan", "2026-12-02", 7);
        let text = sc.to_ron();
        assert!(
            text.contains("    categories: {\"topic\": [\"economy\", \"politics\"]},\n"),
            "{text}"
        );
        assert!(
            text.contains(
                "    time: {\"lan\": {\"2026-12-02\": 7}, \"minh\": {\"2026-12-03\": 95}},\n"
            ),
            "{text}"
        );
        let back = Sidecar::parse(Path::new("a.txt.ron"), &text).unwrap();
        assert_eq!(back, sc);
        let set = back.annotation_set();
        assert_eq!(set.time.seconds_of("minh"), 95);
        assert_eq!(set.article.categories["topic"], ["economy", "politics"]);
        // neither is written when empty
        let plain = sidecar(vec![]).to_ron();
        assert!(
            !plain.contains("categories") && !plain.contains("time:"),
            "{plain}"
        );
    }

    /// How the layout was made before it was written directly: the whole sidecar serialized, then
    /// taken apart again and laid out. The layout written now must be the same to the byte.
    fn layout_by_reparsing(sc: &Sidecar) -> String {
        use std::fmt::Write;
        let config = ron::ser::PrettyConfig::new()
            .compact_structs(true)
            .compact_arrays(true)
            .escape_strings(true);
        let compact = ron::ser::to_string_pretty(sc, config).unwrap();
        let fields = raw::struct_fields(&compact).unwrap();
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
                    "tags" => sc.tags.get(i).map_or(&[][..], |t| &t.extra[..]),
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
        for (n, v) in &sc.extra {
            let _ = writeln!(s, "    {n}: {v},");
        }
        s.push_str(")\n");
        s
    }

    proptest::proptest! {
        #[test]
        fn the_layout_is_written_as_it_was_laid_out_before(
            texts in proptest::collection::vec("[a-zA-Zàđ\"\\\n\u{1b}\u{2028} ]{1,12}", 0..6),
            notes in proptest::collection::vec(proptest::option::of("[a-z\"\\ ]{0,8}"), 6),
            reviewed in proptest::collection::vec(proptest::bool::ANY, 6),
            extra in proptest::bool::ANY,
            comment in proptest::option::of("[a-z\" ]{0,10}"),
        ) {
            let mut tags: Vec<Annotation> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut a = tag(i * 20, i * 20 + 5, t);
                    a.note = notes[i].clone();
                    if reviewed[i] {
                        a.review = Some(crate::annotation::Review {
                            verdict: crate::annotation::Verdict::Rejected,
                            reviewer: "rë".into(),
                            time: "t".into(),
                        });
                        a.entity = Some("person-x".into());
                        a.sources = vec!["a".into(), "b".into()];
                    }
                    a
                })
                .collect();
            if extra && let Some(t) = tags.first_mut() {
                t.extra = vec![("weight".into(), "Some(3)".into())];
            }
            let mut sc = sidecar(tags.clone());
            sc.comment = comment;
            if tags.len() > 1 {
                sc.relations = vec![crate::annotation::Relation::new(
                    "ISSUES",
                    &tags[0].id,
                    &tags[1].id,
                    "me",
                )];
                sc.rejected = vec![SpanRef {
                    label: "PERSON".into(),
                    start: 1,
                    end: 2,
                    text: "\"x".into(),
                }];
            }
            if extra {
                sc.extra = vec![("future".into(), "(a: 1)".into())];
            }
            proptest::prop_assert_eq!(sc.to_ron(), layout_by_reparsing(&sc));
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
                "categories",
                "time",
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
