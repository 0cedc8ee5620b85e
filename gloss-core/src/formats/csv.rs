//! `csv`: one row per tag (RFC 4180: fields quoted when they need it, CRLF line ends), under a
//! header row: the article, the tag's id, label, offsets (code points) and text, 40 characters of
//! context on each side, its annotator and note, and the article's labels
//! (`topic=economy;flags=no-tasks`; an article with labels and no tags has one row of them). Read back from any CSV whose header names at least
//! `article`, `label`, `start` and `end`.

use std::path::Path;

use super::{Carries, Format, Notes, Reads, RecordWriter, Stream, Writes};
use crate::annotation::Annotation;
use crate::error::Result;
use crate::export::Record;
use crate::import::read::{parse_err, read_text};
use crate::import::{Content, Incoming, IncomingTag, Units, valid_id};
use crate::text::escape_path;

pub static FORMAT: Format = Format {
    name: "csv",
    writes: Writes::Stream(|stream, _| {
        Box::new(Writer {
            stream,
            header_written: false,
        })
    }),
    reads: Reads::Records(|path, _| read(path)),
    offsets: &[],
    carries: Carries {
        exact_spans: true,
        ids: true,
        notes: Notes::Kept,
        annotators: true,
        categories: true,
        ..Carries::NOTHING
    },
};

/// One line of an RFC 4180 CSV file: fields quoted when they need it, CRLF at the end.
fn row_line(fields: &[&str]) -> String {
    let mut line = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if f.contains([',', '"', '\r', '\n']) {
            line.push('"');
            line.push_str(&f.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(f);
        }
    }
    line.push_str("\r\n");
    line
}

/// Characters of context on each side in CSV rows.
pub const CONTEXT: usize = 40;

/// Writes the header, then one row per tag.
pub struct Writer {
    pub stream: Stream,
    pub header_written: bool,
}

/// The CSV columns.
pub const HEADER: [&str; 11] = [
    "article",
    "id",
    "label",
    "start",
    "end",
    "text",
    "left_context",
    "right_context",
    "annotator",
    "note",
    "categories",
];

impl Writer {
    fn header(&mut self) -> Result<()> {
        if !self.header_written {
            self.header_written = true;
            let h = row_line(&HEADER);
            self.stream.write_all(h.as_bytes())?;
        }
        Ok(())
    }
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, _warn: &mut dyn FnMut(String)) -> Result<()> {
        self.header()?;
        let index = crate::text::CharIndex::new(&doc.text);
        let categories = crate::annotation::categories_text(&doc.categories);
        // an article with labels and no tags: one row for its labels
        if doc.tags.is_empty() && !categories.is_empty() {
            let line = row_line(&[&doc.id, "", "", "", "", "", "", "", "", "", &categories]);
            self.stream.write_all(line.as_bytes())?;
        }
        for t in &doc.tags {
            let b = |c: usize| index.char_to_byte(&doc.text, c).unwrap_or(doc.text.len());
            let left = &doc.text[b(t.start.saturating_sub(CONTEXT))..b(t.start)];
            let right = &doc.text[b(t.end)..b(t.end + CONTEXT)];
            let (s, e) = (t.start.to_string(), t.end.to_string());
            let line = row_line(&[
                &doc.id,
                &t.id,
                &t.label,
                &s,
                &e,
                &t.text,
                left,
                right,
                &t.annotator,
                t.note.as_deref().unwrap_or(""),
                &categories,
            ]);
            self.stream.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.header()?;
        self.stream.flush()
    }
}

/// Read a CSV file (see [`parse`]).
pub fn read(path: &Path) -> Result<Vec<Incoming>> {
    parse(path, &read_text(path)?)
}

/// RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF).
fn split_rows(text: &str) -> std::result::Result<Vec<(usize, Vec<String>)>, usize> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut was_quoted) = (false, false);
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                row.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                was_quoted = false;
                rows.push((row_line, std::mem::take(&mut row)));
                row_line = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(row_line);
    }
    if !field.is_empty() || !row.is_empty() || was_quoted {
        row.push(field);
        rows.push((row_line, row));
    }
    Ok(rows)
}

/// CSV with a header naming at least `article`, `label`, `start` and `end` (code points); `id`,
/// `text`, `annotator` and `note` are taken when there. One record per article, in order.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Incoming>> {
    let name = escape_path(path);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let rows =
        split_rows(text).map_err(|line| parse_err(path, line, "a quoted field is never closed"))?;
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Ok(Vec::new());
    };
    let col = |n: &str| header.iter().position(|h| h.trim() == n);
    let (Some(c_article), Some(c_label), Some(c_start), Some(c_end)) =
        (col("article"), col("label"), col("start"), col("end"))
    else {
        return Err(parse_err(
            path,
            1,
            "the header must name the columns article, label, start and end",
        ));
    };
    let (c_id, c_text, c_annotator, c_note, c_categories) = (
        col("id"),
        col("text"),
        col("annotator"),
        col("note"),
        col("categories"),
    );
    let mut out: Vec<Incoming> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (line, row) in rows {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        let get = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .filter(|s| !s.is_empty())
                .cloned()
        };
        let categories = match get(c_categories) {
            Some(c) => {
                crate::annotation::parse_categories(&c).map_err(|m| parse_err(path, line, m))?
            }
            None => Default::default(),
        };
        let Some(article) = get(Some(c_article)) else {
            return Err(parse_err(path, line, "a row without article"));
        };
        let k = *index.entry(article.clone()).or_insert_with(|| {
            out.push(Incoming {
                origin: format!("{name}:{line}"),
                id: Some(article.clone()),
                content: Content::Unknown,
                units: Units::Chars,
                units_stated: false,
                tags: Vec::new(),
                relations: Vec::new(),
                status: None,
                comment: None,
                categories: Default::default(),
                time: Default::default(),
                warnings: Vec::new(),
            });
            out.len() - 1
        });
        out[k].categories.extend(categories);
        let Some(label) = get(Some(c_label)) else {
            if out[k].categories.is_empty() {
                return Err(parse_err(path, line, "a row without label"));
            }
            // a row of the article's labels only
            continue;
        };
        let num = |c: usize| row.get(c).and_then(|s| s.trim().parse::<usize>().ok());
        let (Some(start), Some(end)) = (num(c_start), num(c_end)) else {
            return Err(parse_err(path, line, "start and end must be numbers"));
        };
        out[k].tags.push(IncomingTag {
            id: get(c_id).filter(|id| valid_id(id)),
            text: c_text.and_then(|c| row.get(c).cloned()),
            annotator: get(c_annotator),
            carried: Annotation {
                note: get(c_note),
                ..Annotation::default()
            },
            ..IncomingTag::new(label, start, end)
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(
            row_line(&["a", "b,c", "d\"e", "f\ng"]),
            "a,\"b,c\",\"d\"\"e\",\"f\ng\"\r\n"
        );
    }

    #[test]
    fn csv_rows_with_quotes_and_line_breaks() {
        let rows = split_rows("a,b\r\n\"x,\"\"y\"\"\nz\",2\r\n").unwrap();
        assert_eq!(rows[1].1, ["x,\"y\"\nz", "2"]);
        assert_eq!(rows[1].0, 2);
        assert!(split_rows("a,\"b\n").is_err());
    }
}
