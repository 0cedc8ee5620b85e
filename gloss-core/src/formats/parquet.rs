//! `parquet`: Apache Parquet, what the Hugging Face Hub, pandas, polars, pyarrow, DuckDB and Spark
//! read at scale with a schema. A folder laid out as the Hub expects: the rows in shards
//! `data/train-00000-of-00003.parquet` (`--shard-rows` rows each) and a dataset card `README.md`
//! beside them whose YAML front matter names the files (`configs`) and the features
//! (`dataset_info`), so `load_dataset(folder)` takes the folder as it is.
//!
//! One row per article (`--rows articles`, the default), its columns those of jsonl, field for
//! field and in jsonl's order (README's schema table), each of one type whatever the data and never
//! null: strings (`""` when absent), 64-bit integers, structs and lists of structs. Or one row per
//! span (`--rows spans`): the article's id and status, the span's index among the article's spans,
//! the span's own fields, and the relations it is the head of (`child` an index as `index` is).
//! Offsets are code points by default; `--offsets utf16` or `grapheme` count those units instead
//! (the card and each file's metadata say which). Snappy-compressed (pure Rust, read everywhere).
//!
//! Each shard is written under a temp name inside the export's temp folder and given its name
//! only when the export is complete and the number of shards is known; the folder is moved into
//! place after that, so a failed export leaves nothing.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, Int64Array, ListArray, RecordBatch, StructArray};
use arrow_buffer::OffsetBuffer;
use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnChunk, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;

use super::jsonl::{Meta, unix_seconds, verdict_name};
use super::{Carries, Format, Notes, Reads, RecordWriter, WriteContext, Writes};
use crate::annotation::{Annotation, Review};
use crate::error::{Error, Result};
use crate::export::Record;
use crate::import::read::{MAX_IMPORT_BYTES, json_record};
use crate::import::{Incoming, Units};
use crate::text::offsets::Offsets;

pub static FORMAT: Format = Format {
    name: "parquet",
    writes: Writes::Folder(|dir, c| Box::new(Writer::new(dir, c))),
    reads: Reads::Records(read),
    offsets: &[Offsets::Codepoint, Offsets::Utf16],
    // (every field of jsonl, read back as jsonl's are)
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

/// What a row of a table is (`--rows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rows {
    /// One row per article, with its spans and relations as lists.
    #[default]
    Articles,
    /// One row per span, with its article's id.
    Spans,
}

impl Rows {
    pub fn name(self) -> &'static str {
        match self {
            Rows::Articles => "articles",
            Rows::Spans => "spans",
        }
    }

    /// Rows in a shard when `--shard-rows` does not say: about 100–300 MB of articles (the Hub
    /// suggests files under 500 MB), as many bytes of spans.
    pub fn default_shard_rows(self) -> usize {
        match self {
            Rows::Articles => 100_000,
            Rows::Spans => 1_000_000,
        }
    }
}

impl std::str::FromStr for Rows {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "articles" | "article" => Ok(Rows::Articles),
            "spans" | "span" => Ok(Rows::Spans),
            _ => Err(format!("unknown rows {s:?} (articles or spans)")),
        }
    }
}

/// The name the Hub gives shard `k` of `n` of the train split.
pub fn shard_name(k: usize, n: usize) -> String {
    format!("train-{k:05}-of-{n:05}.parquet")
}

// ---------------------------------------------------------------------------------------------
// The schema: one function a struct, each field as jsonl writes it.

fn string(name: &str) -> Field {
    Field::new(name, DataType::Utf8, false)
}

fn int(name: &str) -> Field {
    Field::new(name, DataType::Int64, false)
}

fn strukt(name: &str, fields: Fields) -> Field {
    Field::new(name, DataType::Struct(fields), false)
}

fn list_of(name: &str, fields: Fields) -> Field {
    Field::new(
        name,
        DataType::List(Arc::new(Field::new_list_field(
            DataType::Struct(fields),
            false,
        ))),
        false,
    )
}

fn review_fields() -> Fields {
    Fields::from(vec![string("verdict"), string("reviewer"), int("time")])
}

fn span_ref_fields() -> Fields {
    Fields::from(vec![int("start"), int("end"), string("label")])
}

/// A span's fields, as jsonl's `spans[]`.
fn span_fields() -> Vec<Field> {
    vec![
        string("id"),
        int("start"),
        int("end"),
        string("label"),
        string("text"),
        string("note"),
        string("annotator"),
        strukt("review", review_fields()),
        string("comment"),
        string("entity"),
    ]
}

/// A relation's fields, as jsonl's `relations[]`; in a span's row (`heads` false) without the
/// head, which is the row's span.
fn relation_fields(heads: bool) -> Fields {
    let mut f = Vec::new();
    if heads {
        f.push(int("head"));
    }
    f.push(int("child"));
    if heads {
        f.push(strukt("head_span", span_ref_fields()));
    }
    f.extend([
        strukt("child_span", span_ref_fields()),
        string("label"),
        string("id"),
        string("annotator"),
        strukt("review", review_fields()),
    ]);
    Fields::from(f)
}

fn meta_fields() -> Fields {
    Fields::from(vec![
        int("year"),
        int("month"),
        int("day"),
        string("caption"),
        string("author"),
        string("source"),
    ])
}

fn category_fields() -> Fields {
    Fields::from(vec![string("name"), string("value")])
}

fn time_fields() -> Fields {
    Fields::from(vec![string("annotator"), string("day"), int("seconds")])
}

/// The schema of a row.
pub fn schema(rows: Rows) -> Schema {
    match rows {
        Rows::Articles => Schema::new(vec![
            string("id"),
            string("text"),
            strukt("meta", meta_fields()),
            string("status"),
            string("comment"),
            list_of("categories", category_fields()),
            list_of("time", time_fields()),
            list_of("spans", Fields::from(span_fields())),
            list_of("relations", relation_fields(true)),
        ]),
        Rows::Spans => {
            let mut f = vec![string("article"), string("status"), int("index")];
            f.extend(span_fields());
            f.push(list_of("relations", relation_fields(false)));
            Schema::new(f)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Columns being filled, a batch of rows at a time.

fn strings() -> StringBuilder {
    StringBuilder::new()
}

fn ints(v: &mut Vec<i64>) -> ArrayRef {
    Arc::new(Int64Array::from(std::mem::take(v)))
}

fn done(b: &mut StringBuilder) -> ArrayRef {
    Arc::new(b.finish())
}

fn struct_of(fields: Fields, columns: Vec<ArrayRef>) -> ArrayRef {
    Arc::new(StructArray::new(fields, columns, None))
}

fn i64_of(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

struct ReviewCols {
    verdict: StringBuilder,
    reviewer: StringBuilder,
    time: Vec<i64>,
}

impl ReviewCols {
    fn new() -> Self {
        ReviewCols {
            verdict: strings(),
            reviewer: strings(),
            time: Vec::new(),
        }
    }

    /// A review as jsonl writes it: `verdict` `""` and `time` 0 when there is none.
    fn push(&mut self, r: &Option<Review>, warn: &mut dyn FnMut(String)) {
        match r {
            None => {
                self.verdict.append_value("");
                self.reviewer.append_value("");
                self.time.push(0);
            }
            Some(r) => {
                self.verdict.append_value(verdict_name(r.verdict));
                self.reviewer.append_value(&r.reviewer);
                self.time.push(unix_seconds(&r.time).unwrap_or_else(|| {
                    warn(format!(
                        "review time {:?} is not RFC 3339: written as 0",
                        r.time
                    ));
                    0
                }));
            }
        }
    }

    fn finish(&mut self) -> ArrayRef {
        struct_of(
            review_fields(),
            vec![
                done(&mut self.verdict),
                done(&mut self.reviewer),
                ints(&mut self.time),
            ],
        )
    }
}

struct SpanRefCols {
    start: Vec<i64>,
    end: Vec<i64>,
    label: StringBuilder,
}

impl SpanRefCols {
    fn new() -> Self {
        SpanRefCols {
            start: Vec::new(),
            end: Vec::new(),
            label: strings(),
        }
    }

    fn push(&mut self, t: &Annotation, (start, end): (usize, usize)) {
        self.start.push(i64_of(start));
        self.end.push(i64_of(end));
        self.label.append_value(&t.label);
    }

    fn finish(&mut self) -> ArrayRef {
        struct_of(
            span_ref_fields(),
            vec![
                ints(&mut self.start),
                ints(&mut self.end),
                done(&mut self.label),
            ],
        )
    }
}

struct SpanCols {
    id: StringBuilder,
    start: Vec<i64>,
    end: Vec<i64>,
    label: StringBuilder,
    text: StringBuilder,
    note: StringBuilder,
    annotator: StringBuilder,
    review: ReviewCols,
    comment: StringBuilder,
    entity: StringBuilder,
}

impl SpanCols {
    fn new() -> Self {
        SpanCols {
            id: strings(),
            start: Vec::new(),
            end: Vec::new(),
            label: strings(),
            text: strings(),
            note: strings(),
            annotator: strings(),
            review: ReviewCols::new(),
            comment: strings(),
            entity: strings(),
        }
    }

    fn push(&mut self, t: &Annotation, (start, end): (usize, usize), warn: &mut dyn FnMut(String)) {
        self.id.append_value(&t.id);
        self.start.push(i64_of(start));
        self.end.push(i64_of(end));
        self.label.append_value(&t.label);
        self.text.append_value(&t.text);
        self.note.append_value(t.note.as_deref().unwrap_or_default());
        self.annotator.append_value(&t.annotator);
        self.review.push(&t.review, warn);
        self.comment
            .append_value(t.comment.as_deref().unwrap_or_default());
        self.entity
            .append_value(t.entity.as_deref().unwrap_or_default());
    }

    /// The columns of [`span_fields`], in order.
    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            done(&mut self.id),
            ints(&mut self.start),
            ints(&mut self.end),
            done(&mut self.label),
            done(&mut self.text),
            done(&mut self.note),
            done(&mut self.annotator),
            self.review.finish(),
            done(&mut self.comment),
            done(&mut self.entity),
        ]
    }
}

struct RelationCols {
    /// With the head's columns (an article's relations), or without (a span's).
    heads: bool,
    head: Vec<i64>,
    child: Vec<i64>,
    head_span: SpanRefCols,
    child_span: SpanRefCols,
    label: StringBuilder,
    id: StringBuilder,
    annotator: StringBuilder,
    review: ReviewCols,
}

impl RelationCols {
    fn new(heads: bool) -> Self {
        RelationCols {
            heads,
            head: Vec::new(),
            child: Vec::new(),
            head_span: SpanRefCols::new(),
            child_span: SpanRefCols::new(),
            label: strings(),
            id: strings(),
            annotator: strings(),
            review: ReviewCols::new(),
        }
    }

    /// Relation `r` from the record's span `h` to its span `c`; `ends` are every span's offsets.
    fn push(
        &mut self,
        doc: &Record,
        (r, h, c): (&crate::annotation::Relation, usize, usize),
        ends: &[usize],
        warn: &mut dyn FnMut(String),
    ) {
        let at = |k: usize| (ends[2 * k], ends[2 * k + 1]);
        if self.heads {
            self.head.push(i64_of(h));
            self.head_span.push(&doc.tags[h], at(h));
        }
        self.child.push(i64_of(c));
        self.child_span.push(&doc.tags[c], at(c));
        self.label.append_value(&r.label);
        self.id.append_value(&r.id);
        self.annotator.append_value(&r.annotator);
        self.review.push(&r.review, warn);
    }

    /// The struct array of [`relation_fields`].
    fn finish(&mut self) -> ArrayRef {
        let mut c = Vec::new();
        if self.heads {
            c.push(ints(&mut self.head));
        }
        c.push(ints(&mut self.child));
        if self.heads {
            c.push(self.head_span.finish());
        }
        c.extend([
            self.child_span.finish(),
            done(&mut self.label),
            done(&mut self.id),
            done(&mut self.annotator),
            self.review.finish(),
        ]);
        struct_of(relation_fields(self.heads), c)
    }
}

/// The offsets of a list column: where each row's items start, and the end.
struct ListOffsets(Vec<i32>);

impl ListOffsets {
    fn new() -> Self {
        ListOffsets(vec![0])
    }

    fn push(&mut self, items: usize) -> Result<()> {
        let last = *self.0.last().unwrap_or(&0);
        let next = i32::try_from(items)
            .ok()
            .and_then(|n| last.checked_add(n))
            .ok_or_else(|| Error::invalid(Path::new("parquet"), "too many spans in one batch"))?;
        self.0.push(next);
        Ok(())
    }

    fn list(&mut self, fields: Fields, items: ArrayRef) -> ArrayRef {
        let offsets = OffsetBuffer::new(std::mem::replace(&mut self.0, vec![0]).into());
        Arc::new(ListArray::new(
            Arc::new(Field::new_list_field(DataType::Struct(fields), false)),
            offsets,
            items,
            None,
        ))
    }
}

/// The rows of a batch, column by column (one a writer: its size does not matter).
#[allow(clippy::large_enum_variant)]
enum Table {
    Articles {
        id: StringBuilder,
        text: StringBuilder,
        year: Vec<i64>,
        month: Vec<i64>,
        day: Vec<i64>,
        caption: StringBuilder,
        author: StringBuilder,
        source: StringBuilder,
        status: StringBuilder,
        comment: StringBuilder,
        category_name: StringBuilder,
        category_value: StringBuilder,
        category_lists: ListOffsets,
        time_annotator: StringBuilder,
        time_day: StringBuilder,
        time_seconds: Vec<i64>,
        time_lists: ListOffsets,
        spans: SpanCols,
        span_lists: ListOffsets,
        relations: RelationCols,
        relation_lists: ListOffsets,
    },
    Spans {
        article: StringBuilder,
        status: StringBuilder,
        index: Vec<i64>,
        span: SpanCols,
        relations: RelationCols,
        relation_lists: ListOffsets,
    },
}

impl Table {
    fn new(rows: Rows) -> Table {
        match rows {
            Rows::Articles => Table::Articles {
                id: strings(),
                text: strings(),
                year: Vec::new(),
                month: Vec::new(),
                day: Vec::new(),
                caption: strings(),
                author: strings(),
                source: strings(),
                status: strings(),
                comment: strings(),
                category_name: strings(),
                category_value: strings(),
                category_lists: ListOffsets::new(),
                time_annotator: strings(),
                time_day: strings(),
                time_seconds: Vec::new(),
                time_lists: ListOffsets::new(),
                spans: SpanCols::new(),
                span_lists: ListOffsets::new(),
                relations: RelationCols::new(true),
                relation_lists: ListOffsets::new(),
            },
            Rows::Spans => Table::Spans {
                article: strings(),
                status: strings(),
                index: Vec::new(),
                span: SpanCols::new(),
                relations: RelationCols::new(false),
                relation_lists: ListOffsets::new(),
            },
        }
    }

    /// Add `doc`'s row (or rows); `ends` are its spans' offsets in the export's units, `[start0,
    /// end0, start1, …]`. Returns the rows added.
    fn push(&mut self, doc: &Record, ends: &[usize], warn: &mut dyn FnMut(String)) -> Result<usize> {
        let at = |k: usize| (ends[2 * k], ends[2 * k + 1]);
        let rels = doc.relation_ends();
        match self {
            Table::Articles {
                id,
                text,
                year,
                month,
                day,
                caption,
                author,
                source,
                status,
                comment,
                category_name,
                category_value,
                category_lists,
                time_annotator,
                time_day,
                time_seconds,
                time_lists,
                spans,
                span_lists,
                relations,
                relation_lists,
            } => {
                let m = Meta::of(&doc.meta);
                id.append_value(&doc.id);
                text.append_value(&doc.text);
                year.push(i64::from(m.year));
                month.push(i64::from(m.month));
                day.push(i64::from(m.day));
                caption.append_value(m.caption);
                author.append_value(m.author);
                source.append_value(m.source);
                status.append_value(doc.status.name());
                comment.append_value(doc.comment.as_deref().unwrap_or_default());
                let mut labels = 0;
                for (name, values) in &doc.categories {
                    for v in values {
                        category_name.append_value(name);
                        category_value.append_value(v);
                        labels += 1;
                    }
                }
                category_lists.push(labels)?;
                let mut days = 0;
                for (who, d, secs) in doc.time.entries() {
                    time_annotator.append_value(who);
                    time_day.append_value(d);
                    time_seconds.push(i64::try_from(secs).unwrap_or(i64::MAX));
                    days += 1;
                }
                time_lists.push(days)?;
                for (k, t) in doc.tags.iter().enumerate() {
                    spans.push(t, at(k), warn);
                }
                span_lists.push(doc.tags.len())?;
                for &r in &rels {
                    relations.push(doc, r, ends, warn);
                }
                relation_lists.push(rels.len())?;
                Ok(1)
            }
            Table::Spans {
                article,
                status,
                index,
                span,
                relations,
                relation_lists,
            } => {
                for (k, t) in doc.tags.iter().enumerate() {
                    article.append_value(&doc.id);
                    status.append_value(doc.status.name());
                    index.push(i64_of(k));
                    span.push(t, at(k), warn);
                    let mine: Vec<_> = rels.iter().filter(|&&(_, h, _)| h == k).collect();
                    for &&r in &mine {
                        relations.push(doc, r, ends, warn);
                    }
                    relation_lists.push(mine.len())?;
                }
                Ok(doc.tags.len())
            }
        }
    }

    /// The batch's columns, in [`schema`]'s order; the table is empty again.
    fn finish(&mut self) -> Vec<ArrayRef> {
        match self {
            Table::Articles {
                id,
                text,
                year,
                month,
                day,
                caption,
                author,
                source,
                status,
                comment,
                category_name,
                category_value,
                category_lists,
                time_annotator,
                time_day,
                time_seconds,
                time_lists,
                spans,
                span_lists,
                relations,
                relation_lists,
            } => {
                let categories = struct_of(
                    category_fields(),
                    vec![done(category_name), done(category_value)],
                );
                let time = struct_of(
                    time_fields(),
                    vec![done(time_annotator), done(time_day), ints(time_seconds)],
                );
                let meta = struct_of(
                    meta_fields(),
                    vec![
                        ints(year),
                        ints(month),
                        ints(day),
                        done(caption),
                        done(author),
                        done(source),
                    ],
                );
                let span_items = struct_of(Fields::from(span_fields()), spans.finish());
                let relation_items = relations.finish();
                vec![
                    done(id),
                    done(text),
                    meta,
                    done(status),
                    done(comment),
                    category_lists.list(category_fields(), categories),
                    time_lists.list(time_fields(), time),
                    span_lists.list(Fields::from(span_fields()), span_items),
                    relation_lists.list(relation_fields(true), relation_items),
                ]
            }
            Table::Spans {
                article,
                status,
                index,
                span,
                relations,
                relation_lists,
            } => {
                let mut c = vec![done(article), done(status), ints(index)];
                c.extend(span.finish());
                let items = relations.finish();
                c.push(relation_lists.list(relation_fields(false), items));
                c
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The writer: the export's thread gathers the rows into Arrow arrays, a row group at a time;
// encoder threads turn row groups into Parquet column chunks (the column encoders and Snappy,
// most of the work), several at once; one thread writes the chunks into the shards in order. The
// files hold the same rows, in the same row groups, whatever thread encoded them.

/// A batch of rows is made at this many rows, or this many bytes (estimated, [`row_bytes`]).
const BATCH_ROWS: usize = 4096;
const BATCH_BYTES: usize = 16 << 20;
/// A row group is closed at this many bytes of rows (estimated), or this many rows.
const ROW_GROUP_BYTES: usize = 32 << 20;
const ROW_GROUP_ROWS: usize = 1 << 20;

/// What a row group of `doc`'s rows holds, in bytes, about: its strings and their offsets and its
/// integers (the article's text once a row of articles, its id in each row of spans).
fn row_bytes(rows: Rows, doc: &Record) -> usize {
    let span = |t: &Annotation| {
        t.id.len()
            + t.label.len()
            + t.text.len()
            + t.annotator.len()
            + t.note.as_deref().map_or(0, str::len)
            + t.comment.as_deref().map_or(0, str::len)
            + t.entity.as_deref().map_or(0, str::len)
            + t.review.as_ref().map_or(0, |r| r.reviewer.len())
            + 96
    };
    let spans: usize = doc.tags.iter().map(span).sum();
    let relations = doc.relations.len() * 160;
    match rows {
        Rows::Articles => doc.id.len() + doc.text.len() + 128 + spans + relations,
        Rows::Spans => (doc.id.len() + 32) * doc.tags.len() + spans + relations,
    }
}

/// A row group to encode: its rows, the shard it belongs to and its place there.
struct Job {
    seq: usize,
    shard: usize,
    group: usize,
    batches: Vec<RecordBatch>,
}

/// A row group encoded: its column chunks, in the schema's order.
struct Encoded {
    seq: usize,
    shard: usize,
    chunks: std::result::Result<Vec<ArrowColumnChunk>, parquet::errors::ParquetError>,
}

/// Encode a row group's rows into one chunk a column (as `ArrowWriter` does, on this thread).
fn encode(
    factory: &ArrowRowGroupWriterFactory,
    schema: &Schema,
    job: &Job,
) -> std::result::Result<Vec<ArrowColumnChunk>, parquet::errors::ParquetError> {
    let mut writers = factory.create_column_writers(job.group)?;
    for batch in &job.batches {
        let mut leaves = writers.iter_mut();
        for (field, column) in schema.fields().iter().zip(batch.columns()) {
            for leaf in compute_leaves(field, column)? {
                leaves
                    .next()
                    .ok_or_else(|| {
                        parquet::errors::ParquetError::General("more leaves than columns".into())
                    })?
                    .write(&leaf)?;
            }
        }
    }
    writers.into_iter().map(|w| w.close()).collect()
}

/// The encoder threads and the thread that writes the shards.
struct Pipeline {
    /// `None` once the last row group is sent.
    jobs: Option<SyncSender<Job>>,
    encoders: Vec<JoinHandle<()>>,
    /// Gives the shards written, by their temp names.
    assembler: Option<JoinHandle<Result<Vec<PathBuf>>>>,
}

/// How the shards are written: where, with what schema and properties.
#[derive(Clone)]
struct ShardSpec {
    data: PathBuf,
    schema: SchemaRef,
    properties: WriterProperties,
}

impl ShardSpec {
    /// Shard `k`'s file, under its temp name, the Parquet header and Arrow schema written.
    fn open(&self, k: usize) -> Result<(SerializedFileWriter<File>, PathBuf)> {
        std::fs::create_dir_all(&self.data).map_err(|e| Error::io(&self.data, e))?;
        let path = self.data.join(format!("shard-{k:05}.parquet.part"));
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        // (through `ArrowWriter`, so the file carries the Arrow schema as ArrowWriter writes it)
        let (writer, _) =
            ArrowWriter::try_new(file, self.schema.clone(), Some(self.properties.clone()))
                .and_then(ArrowWriter::into_serialized_writer)
                .map_err(|e| parquet_error(&path, e))?;
        Ok((writer, path))
    }

    fn close(writer: SerializedFileWriter<File>, path: &Path) -> Result<()> {
        let file = writer.into_inner().map_err(|e| parquet_error(path, e))?;
        file.sync_all().map_err(|e| Error::io(path, e))
    }

    /// Write the encoded row groups into the shards, in `seq` order, until the sender is gone.
    fn assemble(&self, done: Receiver<Encoded>) -> Result<Vec<PathBuf>> {
        let mut shards = Vec::new();
        let mut open: Option<(usize, SerializedFileWriter<File>, PathBuf)> = None;
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for e in done {
            waiting.insert(e.seq, e);
            while let Some(e) = waiting.remove(&next) {
                next += 1;
                if open.as_ref().is_some_and(|(k, _, _)| *k != e.shard)
                    && let Some((_, w, path)) = open.take()
                {
                    Self::close(w, &path)?;
                    shards.push(path);
                }
                if open.is_none() {
                    let (w, path) = self.open(e.shard)?;
                    open = Some((e.shard, w, path));
                }
                let (_, w, path) = open.as_mut().expect("opened above");
                let chunks = e.chunks.map_err(|e| parquet_error(path, e))?;
                let mut group = w.next_row_group().map_err(|e| parquet_error(path, e))?;
                for chunk in chunks {
                    chunk
                        .append_to_row_group(&mut group)
                        .map_err(|e| parquet_error(path, e))?;
                }
                group.close().map_err(|e| parquet_error(path, e))?;
            }
        }
        if open.is_none() && shards.is_empty() {
            // no rows: one empty shard still carries the schema
            let (w, path) = self.open(0)?;
            open = Some((0, w, path));
        }
        if let Some((_, w, path)) = open {
            Self::close(w, &path)?;
            shards.push(path);
        }
        Ok(shards)
    }
}

impl Pipeline {
    fn start(spec: ShardSpec) -> Result<Pipeline> {
        // the column writers' factory (any file's: they share the schema and the properties)
        let (_, factory) = ArrowWriter::try_new(
            Vec::new(),
            spec.schema.clone(),
            Some(spec.properties.clone()),
        )
        .and_then(ArrowWriter::into_serialized_writer)
        .map_err(|e| parquet_error(&spec.data, e))?;
        let factory = Arc::new(factory);
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
        // (a row group waits for an encoder, one at most: memory stays flat)
        let (jobs, queue) = sync_channel::<Job>(1);
        let queue = Arc::new(Mutex::new(queue));
        let (encoded, done) = sync_channel::<Encoded>(threads);
        let mut encoders = Vec::new();
        for _ in 0..threads {
            let (queue, encoded, factory, schema) = (
                queue.clone(),
                encoded.clone(),
                factory.clone(),
                spec.schema.clone(),
            );
            encoders.push(std::thread::spawn(move || {
                loop {
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    let chunks = encode(&factory, &schema, &job);
                    let e = Encoded {
                        seq: job.seq,
                        shard: job.shard,
                        chunks,
                    };
                    drop(job);
                    if encoded.send(e).is_err() {
                        return;
                    }
                }
            }));
        }
        drop(encoded);
        let assembler = std::thread::spawn(move || spec.assemble(done));
        Ok(Pipeline {
            jobs: Some(jobs),
            encoders,
            assembler: Some(assembler),
        })
    }

    /// Hand a row group to the encoders; `Err` when the shards' writer stopped (its error).
    fn send(&mut self, job: Job) -> Result<()> {
        let sent = self.jobs.as_ref().is_some_and(|j| j.send(job).is_ok());
        if sent { Ok(()) } else { self.finish().map(|_| ()) }
    }

    /// Wait for every row group to be written; the shards, by their temp names.
    fn finish(&mut self) -> Result<Vec<PathBuf>> {
        self.jobs = None;
        for e in self.encoders.drain(..) {
            let _ = e.join();
        }
        match self.assembler.take() {
            Some(a) => match a.join() {
                Ok(r) => r,
                Err(p) => std::panic::resume_unwind(p),
            },
            None => Err(Error::invalid(
                Path::new("parquet"),
                "the shards' writer stopped",
            )),
        }
    }
}

impl Drop for Pipeline {
    /// (an export that failed: its threads end before its folder is removed)
    fn drop(&mut self) {
        if self.assembler.is_some() {
            let _ = self.finish();
        }
    }
}

/// Gathers the rows, hands them to the pipeline a row group at a time and, at the end, writes
/// the dataset card.
pub struct Writer {
    dir: PathBuf,
    rows: Rows,
    shard_rows: usize,
    offsets: Offsets,
    labels: Vec<String>,
    schema: SchemaRef,
    table: Table,
    /// Rows and bytes in `table`.
    pending: (usize, usize),
    /// The row group being gathered: its batches, rows and bytes.
    group: (Vec<RecordBatch>, usize, usize),
    /// Row groups sent; the shard being filled and its rows (sent or gathered).
    sent: usize,
    shard: (usize, usize),
    /// Row groups sent to the current shard.
    groups_in_shard: usize,
    pipeline: Option<Pipeline>,
    /// Rows written in all, articles written, shards at the end.
    total: usize,
    articles: usize,
}

impl Writer {
    pub fn new(dir: PathBuf, c: &WriteContext) -> Writer {
        Writer {
            dir,
            rows: c.rows,
            shard_rows: c
                .shard_rows
                .unwrap_or_else(|| c.rows.default_shard_rows())
                .max(1),
            offsets: c.offsets,
            labels: c.labels.clone(),
            schema: Arc::new(schema(c.rows)),
            table: Table::new(c.rows),
            pending: (0, 0),
            group: (Vec::new(), 0, 0),
            sent: 0,
            shard: (0, 0),
            groups_in_shard: 0,
            pipeline: None,
            total: 0,
            articles: 0,
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn properties(&self) -> WriterProperties {
        let text_column = match self.rows {
            Rows::Articles => "text",
            Rows::Spans => "article",
        };
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            // an article's text is its own: a dictionary of them is wasted work
            .set_column_dictionary_enabled(ColumnPath::from(text_column), self.rows == Rows::Spans)
            // nor are its minimum and maximum of use to a reader
            .set_column_statistics_enabled(ColumnPath::from(text_column), EnabledStatistics::None)
            .set_key_value_metadata(Some(vec![
                KeyValue::new("gloss.rows".into(), self.rows.name().to_string()),
                KeyValue::new("gloss.offsets".into(), self.offsets.name().to_string()),
            ]))
            .build()
    }

    fn pipeline(&mut self) -> Result<&mut Pipeline> {
        if self.pipeline.is_none() {
            self.pipeline = Some(Pipeline::start(ShardSpec {
                data: self.data(),
                schema: self.schema.clone(),
                properties: self.properties(),
            })?);
        }
        Ok(self.pipeline.as_mut().expect("started above"))
    }

    /// Send the row group gathered (if any) to the encoders.
    fn send_group(&mut self) -> Result<()> {
        if self.group.1 == 0 {
            return Ok(());
        }
        let (batches, _, _) = std::mem::take(&mut self.group);
        let job = Job {
            seq: self.sent,
            shard: self.shard.0,
            group: self.groups_in_shard,
            batches,
        };
        self.sent += 1;
        self.groups_in_shard += 1;
        self.pipeline()?.send(job)
    }

    /// Add the rows gathered to the row group, closing it at a shard's end or at its size.
    fn flush_batch(&mut self) -> Result<()> {
        if self.pending.0 == 0 {
            return Ok(());
        }
        let batch = RecordBatch::try_new(self.schema.clone(), self.table.finish())
            .map_err(|e| Error::invalid(&self.data(), format!("a batch of rows: {e}")))?;
        let (rows, bytes) = std::mem::take(&mut self.pending);
        let mut at = 0;
        while at < batch.num_rows() {
            let take = (self.shard_rows - self.shard.1).min(batch.num_rows() - at);
            self.group.0.push(batch.slice(at, take));
            self.group.1 += take;
            // (a batch split between shards: its bytes counted in each part by its rows)
            self.group.2 += bytes * take / rows;
            self.shard.1 += take;
            at += take;
            if self.shard.1 == self.shard_rows {
                self.send_group()?;
                self.shard = (self.shard.0 + 1, 0);
                self.groups_in_shard = 0;
            } else if self.group.2 >= ROW_GROUP_BYTES || self.group.1 >= ROW_GROUP_ROWS {
                self.send_group()?;
            }
        }
        Ok(())
    }
    /// The dataset card: the Hub's YAML front matter (the files, the features), then what the
    /// columns mean and how to load them.
    fn card(&self, shards: usize) -> String {
        let mut yaml = String::new();
        yaml.push_str("---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: data/train-*\n");
        yaml.push_str("dataset_info:\n  features:\n");
        features_yaml(self.schema.fields(), 2, &mut yaml);
        yaml.push_str("---\n");
        let units = match self.offsets {
            Offsets::Codepoint => "Unicode code points (Python's `text[start:end]`)",
            Offsets::Utf16 => "UTF-16 code units (JavaScript's `text.slice(start, end)`)",
            Offsets::Grapheme => "extended grapheme clusters",
        };
        let rows = match self.rows {
            Rows::Articles => format!(
                "one row per article ({} articles): its `id` (path below the corpus), `text`, `meta`, `status`, `comment`, its article labels (`categories`) and active time (`time`), its `spans` and the `relations` between them (`head` and `child` index `spans`)",
                self.articles
            ),
            Rows::Spans => format!(
                "one row per span ({} spans of {} articles): the `article` id, its `status`, the span's `index` among the article's spans, the span's fields, and the `relations` it is the head of (`child` is an `index` of the same article)",
                self.total, self.articles
            ),
        };
        let labels: Vec<String> = self
            .labels
            .iter()
            .map(|l| format!("`{}`", crate::text::sanitize_inline(l).replace('`', "'")))
            .collect();
        format!(
            "{yaml}\n# gloss export\n\nAnnotated news articles exported by gloss as Parquet: {rows}. \
             {shards} file(s) under `data/`. Every field has one type and is never null (`\"\"` or 0 \
             when absent; no review is a `review` whose `verdict` is `\"\"`). Span offsets count \
             {units}, end exclusive; a span's `text` is the article text between them.\n\n\
             Labels: {}.\n\n\
             ```python\n\
             datasets.load_dataset(\"parquet\", data_dir=FOLDER)  # or load_dataset(FOLDER)\n\
             pandas.read_parquet(FOLDER + \"/data\")\n\
             polars.read_parquet(FOLDER + \"/data/*.parquet\")\n\
             duckdb.sql(\"SELECT * FROM 'FOLDER/data/*.parquet'\")\n\
             ```\n",
            if labels.is_empty() {
                "none".to_string()
            } else {
                labels.join(", ")
            }
        )
    }
}

/// `fields` as the Hub's `dataset_info.features` YAML, indented `indent` spaces.
fn features_yaml(fields: &Fields, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for f in fields {
        out.push_str(&format!("{pad}- name: {}\n", f.name()));
        match f.data_type() {
            DataType::Utf8 => out.push_str(&format!("{pad}  dtype: string\n")),
            DataType::Int64 => out.push_str(&format!("{pad}  dtype: int64\n")),
            DataType::Struct(inner) => {
                out.push_str(&format!("{pad}  struct:\n"));
                features_yaml(inner, indent + 2, out);
            }
            DataType::List(item) => match item.data_type() {
                DataType::Struct(inner) => {
                    out.push_str(&format!("{pad}  list:\n"));
                    features_yaml(inner, indent + 2, out);
                }
                other => unreachable!("a list of {other}: gloss writes lists of structs only"),
            },
            other => unreachable!("a column of {other}: gloss writes strings and int64 only"),
        }
    }
}

fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> Error {
    match e {
        parquet::errors::ParquetError::External(e) => match e.downcast::<std::io::Error>() {
            Ok(io) => Error::io(path, *io),
            Err(e) => Error::invalid(path, e.to_string()),
        },
        e => Error::invalid(path, e.to_string()),
    }
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let mut warn = |m: String| warn(format!("{}: {m}", doc.id));
        let (ends, inside) = super::doccano::tag_ends(self.offsets, doc);
        if inside > 0 {
            warn(format!(
                "{inside} span end(s) fall inside a grapheme cluster (a letter and its combining marks, an emoji sequence): written at the cluster's edge, so the span covers the whole cluster"
            ));
        }
        // (a batch's strings are counted in 32 bits: 2 GiB a column)
        let text_bytes = doc.text.len() + doc.tags.iter().map(|t| t.text.len()).sum::<usize>();
        if text_bytes > i32::MAX as usize / 2 {
            return Err(Error::invalid(
                &doc.path,
                "its text and its spans' texts are over 1 GiB: too large for a Parquet batch",
            ));
        }
        let bytes = row_bytes(self.rows, doc);
        if self.pending.1 + bytes > BATCH_BYTES {
            self.flush_batch()?;
        }
        let rows = self.table.push(doc, &ends, &mut warn)?;
        self.articles += 1;
        self.total += rows;
        self.pending.0 += rows;
        self.pending.1 += bytes;
        if self.pending.0 >= BATCH_ROWS || self.pending.1 >= BATCH_BYTES {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.flush_batch()?;
        self.send_group()?;
        let shards = self.pipeline()?.finish()?;
        self.pipeline = None;
        let n = shards.len();
        for (k, temp) in shards.iter().enumerate() {
            let to = temp.with_file_name(shard_name(k, n));
            std::fs::rename(temp, &to).map_err(|e| Error::io(&to, e))?;
        }
        let card = self.dir.join("README.md");
        let mut f = BufWriter::new(File::create(&card).map_err(|e| Error::io(&card, e))?);
        f.write_all(self.card(n).as_bytes())
            .and_then(|()| f.flush())
            .map_err(|e| Error::io(&card, e))?;
        f.into_inner()
            .map_err(|e| Error::io(&card, e.into_error()))?
            .sync_all()
            .map_err(|e| Error::io(&card, e))
    }
}

// ---------------------------------------------------------------------------------------------
// The reader: a row of articles is read as jsonl's record of the same article (the same fields,
// the same checks), its offsets in the units the file's `gloss.offsets` says.

/// Read an export: the folder (its `data/*.parquet`, or the `*.parquet` in it), or one file.
pub fn read(path: &Path, offsets: Offsets) -> Result<Vec<Incoming>> {
    let files = if path.is_dir() {
        let data = path.join("data");
        let dir = if data.is_dir() { data } else { path.to_path_buf() };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Error::io(&dir, e))?
            .map(|e| e.map(|e| e.path()).map_err(|e| Error::io(&dir, e)))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "parquet") && p.is_file())
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Error::invalid(path, "no .parquet files in it (nor in its data/)"));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for f in &files {
        // (a damaged file must not bring gloss down, should the Parquet reader panic on it)
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_file(f, offsets, &mut out)
        }));
        match read {
            Ok(r) => r?,
            Err(_) => return Err(Error::invalid(f, "not a Parquet file gloss can read")),
        }
    }
    Ok(out)
}

fn read_file(path: &Path, offsets: Offsets, out: &mut Vec<Incoming>) -> Result<()> {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(Error::invalid(
            path,
            format!("over {} GiB: too large to import", MAX_IMPORT_BYTES >> 30),
        ));
    }
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| parquet_error(path, e))?;
    let said = |key: &str| {
        builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .and_then(|kv| kv.iter().find(|k| k.key == key))
            .and_then(|k| k.value.clone())
    };
    if said("gloss.rows").as_deref() == Some(Rows::Spans.name()) {
        return Err(Error::invalid(
            path,
            "one row per span (--rows spans) has no article text: import an export of one row per article",
        ));
    }
    let stated = match said("gloss.offsets").as_deref() {
        Some("codepoint") => Some(Units::Chars),
        Some("utf16") => Some(Units::Utf16),
        Some("grapheme") => Some(Units::Graphemes),
        _ => None,
    };
    let name = crate::text::escape_path(path);
    let mut row = 0;
    for batch in builder.build().map_err(|e| parquet_error(path, e))? {
        let batch = batch.map_err(|e| Error::invalid(path, e.to_string()))?;
        let columns = batch.schema().fields().clone();
        for r in 0..batch.num_rows() {
            row += 1;
            let v = object(&columns, batch.columns(), r);
            let origin = format!("{name}: row {row}");
            let mut rec = json_record(&v, origin, offsets.into(), super::jsonl::tags_and_relations)
                .map_err(|m| Error::invalid(path, format!("row {row}: {m}")))?;
            if let Some(u) = stated {
                rec.units = u;
                rec.units_stated = true;
            }
            exact_in_clusters(&mut rec);
            out.push(rec);
        }
    }
    Ok(())
}

/// A record in grapheme clusters put in code points: a span whose end the export moved out to its
/// cluster's edge ([`RecordWriter::write`] says so) is the span its `text` quotes inside the
/// clusters, so it comes back as it was. A span it cannot place is left for the import's check.
fn exact_in_clusters(rec: &mut Incoming) {
    let crate::import::Content::Text(text) = &rec.content else {
        return;
    };
    if rec.units != Units::Graphemes {
        return;
    }
    let points: Vec<usize> = rec.tags.iter().flat_map(|t| [t.start, t.end]).collect();
    let chars_at = crate::text::offsets::graphemes_to_chars(text, &points);
    let chars: Vec<char> = text.chars().collect();
    let mut placed = Vec::with_capacity(rec.tags.len());
    for (i, t) in rec.tags.iter().enumerate() {
        let (Some(a), Some(b)) = (chars_at[2 * i], chars_at[2 * i + 1]) else {
            return;
        };
        let at = match &t.text {
            Some(q) if a <= b && b <= chars.len() => {
                let q: Vec<char> = q.chars().collect();
                if chars[a..b] == q[..] || q.is_empty() || q.len() > b - a {
                    (a, b)
                } else {
                    match (a..=b - q.len()).find(|&k| chars[k..k + q.len()] == q[..]) {
                        Some(k) => (k, k + q.len()),
                        None => (a, b),
                    }
                }
            }
            _ => (a, b),
        };
        placed.push(at);
    }
    for (t, (a, b)) in rec.tags.iter_mut().zip(placed) {
        t.start = a;
        t.end = b;
    }
    rec.units = Units::Chars;
}

/// Row `row` of `columns` as a JSON object (a null as `null`, a type gloss does not write too).
fn object(fields: &Fields, columns: &[ArrayRef], row: usize) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .iter()
            .zip(columns)
            .map(|(f, c)| (f.name().clone(), value(c.as_ref(), row)))
            .collect(),
    )
}

fn value(col: &dyn arrow_array::Array, row: usize) -> serde_json::Value {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Int32Type, Int64Type, UInt32Type, UInt64Type};
    use serde_json::Value;
    if row >= col.len() || col.is_null(row) {
        return Value::Null;
    }
    let items = |l: ArrayRef| (0..l.len()).map(|i| value(l.as_ref(), i)).collect();
    match col.data_type() {
        DataType::Utf8 => col.as_string::<i32>().value(row).into(),
        DataType::LargeUtf8 => col.as_string::<i64>().value(row).into(),
        DataType::Utf8View => col.as_string_view().value(row).into(),
        DataType::Int64 => col.as_primitive::<Int64Type>().value(row).into(),
        DataType::Int32 => col.as_primitive::<Int32Type>().value(row).into(),
        DataType::UInt64 => col.as_primitive::<UInt64Type>().value(row).into(),
        DataType::UInt32 => col.as_primitive::<UInt32Type>().value(row).into(),
        DataType::Boolean => col.as_boolean().value(row).into(),
        DataType::Struct(fields) => object(fields, col.as_struct().columns(), row),
        DataType::List(_) => Value::Array(items(col.as_list::<i32>().value(row))),
        DataType::LargeList(_) => Value::Array(items(col.as_list::<i64>().value(row))),
        _ => Value::Null,
    }
}
