//! `jsonl`: one JSON object a line per article, with its text, metadata, review status, every span
//! and the relations between them; the format that carries everything an export holds. A
//! relation's `head` and `child` are indexes into the record's `spans` (Prodigy's index tokens:
//! the `prodigy` format writes those).
//!
//! Every key is always there and always of one JSON type, whatever the data (README's schema
//! table): a missing string is `""`, a missing review `{"verdict": "", "reviewer": "", "time": 0}`,
//! never `null`. Readers that infer a schema from the first block of a file (Hugging Face
//! `datasets`, polars, pyarrow) type a field that is `null` there as null and then refuse the
//! object or string that comes later. Times and dates are numbers, not strings: pyarrow types a
//! string that looks like a timestamp as one, and then refuses `""` or a month (`2023-07`).
//! The reader takes this form and the older one (`null`s, times as RFC 3339 strings).
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
        categories: true,
        time: true,
    },
};

/// A reviewer's verdict as jsonl writes it: always an object, `verdict` `""` when there is none.
#[derive(Serialize)]
struct JsonReview<'a> {
    verdict: &'static str,
    reviewer: &'a str,
    /// Seconds since 1970 (UTC); 0 when there is no review.
    time: i64,
}

fn json_review<'a>(r: &'a Option<Review>, warn: &mut dyn FnMut(String)) -> JsonReview<'a> {
    match r {
        None => JsonReview {
            verdict: "",
            reviewer: "",
            time: 0,
        },
        Some(r) => JsonReview {
            verdict: verdict_name(r.verdict),
            reviewer: &r.reviewer,
            time: unix_seconds(&r.time).unwrap_or_else(|| {
                warn(format!(
                    "review time {:?} is not RFC 3339: written as 0",
                    r.time
                ));
                0
            }),
        },
    }
}

/// An RFC 3339 time as seconds since 1970 (negative before).
pub(crate) fn unix_seconds(time: &str) -> Option<i64> {
    let t = humantime::parse_rfc3339_weak(time).ok()?;
    Some(match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).ok()?,
        Err(e) => -i64::try_from(e.duration().as_secs()).ok()?,
    })
}

/// The name of a verdict in jsonl (`accepted`, `rejected`).
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Accepted => "accepted",
        Verdict::Rejected => "rejected",
    }
}

/// The `review` of a span or relation: `{verdict, reviewer, time}`, none when its verdict is `""`
/// (or, as older exports wrote it, when it is `null`).
fn read_review(v: &Value) -> std::result::Result<Option<Review>, String> {
    match v.get("review") {
        None | Some(Value::Null) => Ok(None),
        Some(r) if r.get("verdict").and_then(Value::as_str) == Some("") => Ok(None),
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

/// A span: one tag. Every key is always there (`""` when empty).
#[derive(Serialize)]
struct Span<'a> {
    id: &'a str,
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    note: &'a str,
    annotator: &'a str,
    review: JsonReview<'a>,
    /// The reviewer's comment (`C` in the reader).
    comment: &'a str,
    /// The id of the entity (in `entities.ron`) the span mentions.
    entity: &'a str,
}

impl<'a> Span<'a> {
    fn of(t: &'a Annotation, warn: &mut dyn FnMut(String)) -> Self {
        Span {
            id: &t.id,
            start: t.start,
            end: t.end,
            label: &t.label,
            text: &t.text,
            note: t.note.as_deref().unwrap_or_default(),
            annotator: &t.annotator,
            review: json_review(&t.review, warn),
            comment: t.comment.as_deref().unwrap_or_default(),
            entity: t.entity.as_deref().unwrap_or_default(),
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
            comment: string(s, "comment")?.filter(|c| !c.is_empty()),
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

/// A relation: `head` and `child` are indexes into `spans` (not tokens, as Prodigy's are).
#[derive(Serialize)]
struct JsonRelation<'a> {
    head: usize,
    child: usize,
    head_span: SpanRef<'a>,
    child_span: SpanRef<'a>,
    label: &'a str,
    id: &'a str,
    annotator: &'a str,
    review: JsonReview<'a>,
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

/// An article's metadata: every key, `""` (or 0) when absent; the date as numbers.
#[derive(Serialize)]
pub(crate) struct Meta<'a> {
    /// The date's year, month and day, 0 where it does not say (`date 2023-07`: day 0).
    pub(crate) year: u32,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) caption: &'a str,
    pub(crate) author: &'a str,
    pub(crate) source: &'a str,
}

impl<'a> Meta<'a> {
    pub(crate) fn of(meta: &'a crate::corpus::Meta) -> Self {
        let mut parts = meta
            .date
            .as_deref()
            .unwrap_or_default()
            .split('-')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        Meta {
            year: parts.next().unwrap_or(0),
            month: parts.next().unwrap_or(0),
            day: parts.next().unwrap_or(0),
            caption: meta.caption.as_deref().unwrap_or_default(),
            author: meta.author.as_deref().unwrap_or_default(),
            source: meta.source.as_deref().unwrap_or_default(),
        }
    }
}

/// One record: an article.
#[derive(Serialize)]
struct Doc<'a> {
    id: &'a str,
    text: &'a str,
    meta: Meta<'a>,
    status: &'static str,
    /// The comment on the whole article (`@` in the reader).
    comment: &'a str,
    /// Article labels, one item per value chosen.
    categories: Vec<JsonCategory<'a>>,
    /// Active time, one item per annotator and day.
    time: Vec<JsonTime<'a>>,
    spans: Vec<Span<'a>>,
    relations: Vec<JsonRelation<'a>>,
}

/// One article label: a category and a value of it.
#[derive(Serialize)]
struct JsonCategory<'a> {
    name: &'a str,
    value: &'a str,
}

/// One annotator's active seconds on one day (UTC).
#[derive(Serialize)]
struct JsonTime<'a> {
    annotator: &'a str,
    day: &'a str,
    seconds: u64,
}

/// The article labels of a record as jsonl (and Parquet) lists them.
fn json_categories(c: &crate::annotation::Categories) -> Vec<JsonCategory<'_>> {
    c.iter()
        .flat_map(|(name, values)| {
            values.iter().map(move |value| JsonCategory { name, value })
        })
        .collect()
}


/// Writes one record a line.
pub struct Writer {
    pub stream: Stream,
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let mut warn = |m: String| warn(format!("{}: {m}", doc.id));
        let j = Doc {
            id: &doc.id,
            text: &doc.text,
            meta: Meta::of(&doc.meta),
            status: doc.status.name(),
            comment: doc.comment.as_deref().unwrap_or_default(),
            categories: json_categories(&doc.categories),
            time: doc
                .time
                .entries()
                .map(|(annotator, day, seconds)| JsonTime {
                    annotator,
                    day,
                    seconds,
                })
                .collect(),
            spans: doc.tags.iter().map(|t| Span::of(t, &mut warn)).collect(),
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
                    review: json_review(&r.review, &mut warn),
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

pub(crate) fn tags_and_relations(v: &Value) -> TagsAndRelations {
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
