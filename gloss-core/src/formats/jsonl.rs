//! `jsonl` (spaCy/Prodigy style): one JSON object a line per article, with its text, metadata,
//! review status, every span and the relations between them; the format that carries everything an
//! export holds. Every span carries every key, `null` when empty, so that readers which infer a
//! schema (Hugging Face `datasets`, pandas) see one type per key; relations are Prodigy's, `head`
//! and `child` being indexes into the record's `spans`.
//!
//! The writer and the reader of a span stand side by side: a tag field this format carries is a
//! line in `Span` and `Span::of` (written) and one in `read_span` (read back).

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::{Carries, Format, Notes, Reads, RecordWriter, Stream, Writes};
use crate::annotation::{Annotation, Review, Verdict, timestamp};
use crate::error::Result;
use crate::export::Record;
use crate::import::read::{TagsAndRelations, offset, read_json_lines, string, time};
use crate::import::{Incoming, IncomingRelation, IncomingTag, Units, valid_id};
use crate::json::ArticleMeta;

pub static FORMAT: Format = Format {
    name: "jsonl",
    writes: Writes::Stream(|stream, _| Box::new(Writer { stream })),
    reads: Reads::Records(|path, _| read(path)),
    offsets: &[],
    carries: Carries {
        exact_spans: true,
        ids: true,
        notes: Notes::Kept,
        annotators: true,
        reviews: true,
        status: true,
        entity_links: true,
        relations: true,
    },
};

/// A reviewer's verdict as jsonl writes it.
#[derive(Serialize)]
struct JsonReview<'a> {
    verdict: &'static str,
    reviewer: &'a str,
    time: &'a str,
}

fn json_review(r: &Option<Review>) -> Option<JsonReview<'_>> {
    r.as_ref().map(|r| JsonReview {
        verdict: verdict_name(r.verdict),
        reviewer: &r.reviewer,
        time: &r.time,
    })
}

/// The name of a verdict in jsonl (`accepted`, `rejected`).
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Accepted => "accepted",
        Verdict::Rejected => "rejected",
    }
}

/// The `review` of a span or relation: `null` or `{verdict, reviewer, time}`.
fn read_review(v: &Value) -> std::result::Result<Option<Review>, String> {
    match v.get("review") {
        None | Some(Value::Null) => Ok(None),
        Some(r) => {
            let verdict = match string(r, "verdict")?.as_deref().map(str::to_lowercase) {
                Some(v) if v == verdict_name(Verdict::Accepted) => Verdict::Accepted,
                Some(v) if v == verdict_name(Verdict::Rejected) => Verdict::Rejected,
                _ => return Err("a review with no verdict (accepted or rejected)".into()),
            };
            Ok(Some(Review {
                verdict,
                reviewer: string(r, "reviewer")?.unwrap_or_default(),
                // a review with no time at all is stamped as it is taken in
                time: time(r, "time")?.unwrap_or_else(timestamp),
            }))
        }
    }
}

/// A span: one tag. Every key is always there (`null` when empty).
#[derive(Serialize)]
struct Span<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    note: Option<&'a str>,
    annotator: &'a str,
    review: Option<JsonReview<'a>>,
    /// The id of the entity (in `entities.ron`) the span mentions.
    entity: Option<&'a str>,
}

impl<'a> Span<'a> {
    fn of(t: &'a Annotation) -> Self {
        Span {
            id: &t.id,
            start: t.start,
            end: t.end,
            label: &t.label,
            text: &t.text,
            note: t.note.as_deref(),
            annotator: &t.annotator,
            review: json_review(&t.review),
            entity: t.entity.as_deref(),
        }
    }
}

/// A span read back: what [`Span`] writes.
fn read_span(s: &Value) -> std::result::Result<IncomingTag, String> {
    let (Some(start), Some(end)) = (offset(s.get("start")), offset(s.get("end"))) else {
        return Err("no start and end".into());
    };
    let label = string(s, "label")?.ok_or("no label")?;
    Ok(IncomingTag {
        id: string(s, "id")?.filter(|id| valid_id(id)),
        text: string(s, "text")?,
        annotator: string(s, "annotator")?.filter(|a| !a.is_empty()),
        carried: Annotation {
            note: string(s, "note")?.filter(|n| !n.is_empty()),
            review: read_review(s)?,
            entity: string(s, "entity")?.filter(|e| valid_id(e)),
            ..Annotation::default()
        },
        ..IncomingTag::new(label, start, end)
    })
}

/// A span as a relation cites it.
#[derive(Serialize)]
struct SpanRef<'a> {
    start: usize,
    end: usize,
    label: &'a str,
}

impl<'a> SpanRef<'a> {
    fn of(t: &'a Annotation) -> Self {
        SpanRef {
            start: t.start,
            end: t.end,
            label: &t.label,
        }
    }
}

/// A relation, Prodigy style: `head` and `child` are indexes into `spans`.
#[derive(Serialize)]
struct JsonRelation<'a> {
    head: usize,
    child: usize,
    head_span: SpanRef<'a>,
    child_span: SpanRef<'a>,
    label: &'a str,
    id: &'a str,
    annotator: &'a str,
    review: Option<JsonReview<'a>>,
}

/// A relation read back: what [`JsonRelation`] writes, between two of the record's `spans`.
fn read_relation(r: &Value, spans: usize) -> std::result::Result<IncomingRelation, String> {
    let (Some(head), Some(tail)) = (offset(r.get("head")), offset(r.get("child"))) else {
        return Err("no head and child (indexes into spans)".into());
    };
    if head >= spans || tail >= spans {
        return Err(format!("head or child past the {spans} spans"));
    }
    Ok(IncomingRelation {
        id: string(r, "id")?.filter(|id| valid_id(id)),
        label: string(r, "label")?.ok_or("no label")?,
        head,
        tail,
        annotator: string(r, "annotator")?.filter(|a| !a.is_empty()),
        review: read_review(r)?,
    })
}

/// One record: an article.
#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    text: &'a str,
    meta: ArticleMeta<'a>,
    status: &'static str,
    spans: Vec<Span<'a>>,
    relations: Vec<JsonRelation<'a>>,
}

/// Writes one record a line.
pub struct Writer {
    pub stream: Stream,
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, _warn: &mut dyn FnMut(String)) -> Result<()> {
        let j = Doc {
            id: &doc.id,
            text: &doc.text,
            meta: ArticleMeta::of(&doc.meta),
            status: doc.status.name(),
            spans: doc.tags.iter().map(Span::of).collect(),
            relations: doc
                .relation_ends()
                .into_iter()
                .map(|(r, h, c)| JsonRelation {
                    head: h,
                    child: c,
                    head_span: SpanRef::of(&doc.tags[h]),
                    child_span: SpanRef::of(&doc.tags[c]),
                    label: &r.label,
                    id: &r.id,
                    annotator: &r.annotator,
                    review: json_review(&r.review),
                })
                .collect(),
        };
        self.stream.write_json_line(&j)
    }

    fn finish(&mut self) -> Result<()> {
        self.stream.flush()
    }
}

/// Read a jsonl file: each record's `spans` and `relations` (either may be missing), its status.
pub fn read(path: &Path) -> Result<Vec<Incoming>> {
    read_json_lines(path, Units::Chars, tags_and_relations)
}

fn tags_and_relations(v: &Value) -> TagsAndRelations {
    let tags = match v.get("spans") {
        None => Vec::new(),
        Some(spans) => spans
            .as_array()
            .ok_or("\"spans\" is not a list")?
            .iter()
            .enumerate()
            .map(|(k, s)| read_span(s).map_err(|m| format!("span {}: {m}", k + 1)))
            .collect::<std::result::Result<_, _>>()?,
    };
    let relations = match v.get("relations") {
        None => Vec::new(),
        Some(rels) => rels
            .as_array()
            .ok_or("\"relations\" is not a list")?
            .iter()
            .enumerate()
            .map(|(k, r)| {
                read_relation(r, tags.len()).map_err(|m| format!("relation {}: {m}", k + 1))
            })
            .collect::<std::result::Result<_, _>>()?,
    };
    Ok((tags, relations))
}
