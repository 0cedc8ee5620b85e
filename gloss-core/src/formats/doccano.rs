//! `doccano`: doccano's sequence-labelling layout, `{"id", "text", "label": [[start, end,
//! "LABEL"], …], "meta"}` a line, for a doccano project of type "Sequence labeling". Offsets count
//! UTF-16 code units by default, because doccano's annotation interface is JavaScript and counts
//! string positions in UTF-16 units (with code points, every span after a character above U+FFFF
//! shows one unit early per such character); `--offsets codepoint` writes code points instead, and
//! `--offsets grapheme` extended grapheme clusters, for a doccano project in grapheme mode. The
//! writer says, once at the end, how many articles have overlapping spans, which a doccano project
//! keeps only with "Allow overlapping" set.
//!
//! Reading a doccano file reads either of doccano's layouts, this one and the relation-extraction
//! layout that [`super::doccano_relations`] writes (both formats read with [`read`]): a record is
//! in one or the other by its keys, so a file is read whatever project it came from.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::{Carries, Format, Reads, RecordWriter, Stream, Writes};
use crate::error::Result;
use crate::export::Record;
use crate::import::read::{TagsAndRelations, offset, read_json_lines, string};
use crate::import::{Incoming, IncomingRelation, IncomingTag};
use crate::json::ArticleMeta;
use crate::text::offsets::Offsets;

pub static FORMAT: Format = Format {
    name: "doccano",
    writes: Writes::Stream(|stream, c| Box::new(Writer::new(stream, c.offsets, write_labels))),
    reads: Reads::Records(read),
    offsets: &[Offsets::Utf16, Offsets::Codepoint, Offsets::Grapheme],
    carries: Carries {
        exact_spans: true,
        ..Carries::NOTHING
    },
};

/// Each tag's start and end in `offsets`' units, in order (`[start0, end0, start1, …]`), and how
/// many ends fell inside a grapheme cluster (counted outwards; in graphemes only).
pub fn tag_ends(offsets: Offsets, doc: &Record) -> (Vec<usize>, usize) {
    let points: Vec<usize> = doc.tags.iter().flat_map(|t| [t.start, t.end]).collect();
    offsets.from_chars(&doc.text, points)
}

/// How many of `doc`'s tags overlap another.
fn overlapping(doc: &Record) -> usize {
    let mut spans: Vec<(usize, usize)> = doc.tags.iter().map(|t| (t.start, t.end)).collect();
    spans.sort_unstable();
    let mut reach = 0;
    let mut n = 0;
    for (i, &(start, end)) in spans.iter().enumerate() {
        // one before reaches past its start, or the next (starting no earlier) starts before its end
        let before = i > 0 && reach > start;
        let after = spans.get(i + 1).is_some_and(|&(next, _)| next < end);
        if before || after {
            n += 1;
        }
        reach = reach.max(end);
    }
    n
}

/// Writes one doccano record a line, in a layout (this one, or doccano-relations'), each tag's
/// offsets in `offsets`' units.
pub struct Writer {
    pub stream: Stream,
    pub offsets: Offsets,
    /// Articles written, those with overlapping spans, and the spans that overlap another.
    articles: usize,
    overlapping_articles: usize,
    overlapping_spans: usize,
    /// Writes a record in the layout, given its tags' ends ([`tag_ends`]), with [`write_record`].
    pub layout: fn(&mut Stream, &Record, &[usize], Offsets) -> Result<()>,
}

impl Writer {
    pub fn new(
        stream: Stream,
        offsets: Offsets,
        layout: fn(&mut Stream, &Record, &[usize], Offsets) -> Result<()>,
    ) -> Self {
        Writer {
            stream,
            offsets,
            layout,
            articles: 0,
            overlapping_articles: 0,
            overlapping_spans: 0,
        }
    }
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let (ends, inside) = tag_ends(self.offsets, doc);
        if inside > 0 {
            warn(format!(
                "{}: {inside} span end(s) fall inside a grapheme cluster (a letter and its combining marks, an emoji sequence): written at the cluster's edge, so the span covers the whole cluster",
                doc.id
            ));
        }
        self.articles += 1;
        let n = overlapping(doc);
        if n > 0 {
            self.overlapping_articles += 1;
            self.overlapping_spans += n;
        }
        (self.layout)(&mut self.stream, doc, &ends, self.offsets)
    }

    fn finish(&mut self) -> Result<()> {
        self.stream.flush()
    }

    fn summary(&self) -> Vec<String> {
        if self.overlapping_articles == 0 {
            return Vec::new();
        }
        vec![format!(
            "{} of {} articles have overlapping spans ({} spans overlap another): a doccano project keeps them only with \"Allow overlapping\" set (project settings); without it doccano drops them",
            self.overlapping_articles, self.articles, self.overlapping_spans
        )]
    }
}

/// Write `doc` as one doccano record: its id and text, then `layout` (its tags, and relations, as
/// the layout lays them out), then its metadata.
/// The metadata says what the offsets count (`"offsets": "utf16"` or `"codepoint"`), so that
/// `gloss import` reads them back as written without being told.
pub fn write_record(
    stream: &mut Stream,
    doc: &Record,
    layout: impl Serialize,
    offsets: Offsets,
) -> Result<()> {
    #[derive(Serialize)]
    struct Meta<'a> {
        #[serde(flatten)]
        article: ArticleMeta<'a>,
        offsets: &'static str,
    }
    #[derive(Serialize)]
    struct Doc<'a, L> {
        id: &'a str,
        text: &'a str,
        #[serde(flatten)]
        layout: L,
        meta: Meta<'a>,
    }
    stream.write_json_line(&Doc {
        id: &doc.id,
        text: &doc.text,
        layout,
        meta: Meta {
            article: ArticleMeta::of(&doc.meta),
            offsets: offsets.name(),
        },
    })
}

/// This layout: `"label": [[start, end, "LABEL"], …]`.
fn write_labels(stream: &mut Stream, doc: &Record, ends: &[usize], offsets: Offsets) -> Result<()> {
    #[derive(Serialize)]
    struct Labels<'a> {
        label: Vec<(usize, usize, &'a str)>,
    }
    let label = doc
        .tags
        .iter()
        .zip(ends.chunks(2))
        .map(|(t, p)| (p[0], p[1], t.label.as_str()))
        .collect();
    write_record(stream, doc, Labels { label }, offsets)
}

/// Read a doccano file, either layout, whose offsets count `offsets`.
pub fn read(path: &Path, offsets: Offsets) -> Result<Vec<Incoming>> {
    read_json_lines(path, offsets.into(), tags_and_relations)
}

/// The labels of a doccano record: `"label": [[start, end, "LABEL"], …]` (sequence labelling), or
/// `"entities"` with `"relations"` (doccano's relation projects).
fn tags_and_relations(v: &Value) -> TagsAndRelations {
    if let Some(labels) = v.get("label").and_then(Value::as_array) {
        Ok((read_labels(labels)?, Vec::new()))
    } else if let Some(entities) = v.get("entities").and_then(Value::as_array) {
        read_entities(entities, v.get("relations").and_then(Value::as_array))
    } else {
        Ok((Vec::new(), Vec::new()))
    }
}

/// This layout's `label` list.
fn read_labels(labels: &[Value]) -> std::result::Result<Vec<IncomingTag>, String> {
    let mut out = Vec::new();
    for (k, l) in labels.iter().enumerate() {
        match l.as_array().map(Vec::as_slice) {
            Some([s, e, label]) => match (offset(Some(s)), offset(Some(e)), label.as_str()) {
                (Some(s), Some(e), Some(label)) => out.push(IncomingTag::new(label, s, e)),
                _ => return Err(format!("label {}: not [start, end, \"LABEL\"]", k + 1)),
            },
            _ => return Err(format!("label {}: not [start, end, \"LABEL\"]", k + 1)),
        }
    }
    Ok(out)
}

/// The relation-extraction layout's `entities`, `[{"id", "start_offset", "end_offset", "label"},
/// …]`, and `relations`, `[{"from_id", "to_id", "type"}, …]` joining them by id.
fn read_entities(entities: &[Value], relations: Option<&Vec<Value>>) -> TagsAndRelations {
    let mut out = Vec::new();
    let mut rels = Vec::new();
    let mut by_id: std::collections::HashMap<i64, usize> = Default::default();
    for (k, e) in entities.iter().enumerate() {
        if let Some(id) = e.get("id").and_then(Value::as_i64) {
            by_id.insert(id, k);
        }
        match (
            offset(e.get("start_offset")),
            offset(e.get("end_offset")),
            string(e, "label")?,
        ) {
            (Some(s), Some(en), Some(label)) => out.push(IncomingTag::new(label, s, en)),
            _ => {
                return Err(format!(
                    "entity {}: no start_offset, end_offset and label",
                    k + 1
                ));
            }
        }
    }
    for (k, r) in relations.into_iter().flatten().enumerate() {
        let end = |key: &str| {
            r.get(key)
                .and_then(Value::as_i64)
                .and_then(|id| by_id.get(&id).copied())
        };
        match (end("from_id"), end("to_id"), string(r, "type")?) {
            (Some(head), Some(tail), Some(label)) => rels.push(IncomingRelation {
                id: None,
                label,
                head,
                tail,
                annotator: None,
                review: None,
            }),
            _ => {
                return Err(format!(
                    "relation {}: no from_id and to_id naming entities of the record, or no type",
                    k + 1
                ));
            }
        }
    }
    Ok((out, rels))
}
