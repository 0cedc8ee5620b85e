//! What every format's reader (in [`crate::formats`]) shares in reading an import file into
//! [`Incoming`] records: the file read whole (bounded) as UTF-8, parse errors naming the file and
//! line, a JSON value's strings and offsets, and a file of JSON Lines records. Every error names
//! the file (and the line, where there are lines).

use std::path::Path;

use serde_json::Value;

use super::{Content, Incoming, IncomingRelation, IncomingTag, Units};
use crate::annotation::Status;
use crate::error::{Error, Result};
use crate::text::escape_path;

/// Largest import file read, in bytes.
pub const MAX_IMPORT_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Read `path` whole as UTF-8 (a BOM at the start of a JSON or CSV file is skipped by the readers).
pub fn read_text(path: &Path) -> Result<String> {
    let contents = crate::files::read_limited(path, MAX_IMPORT_BYTES, "an import file")?
        .ok_or_else(|| Error::invalid(path, "no such file"))?;
    String::from_utf8(contents.bytes).map_err(|e| {
        Error::invalid(
            path,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

/// The tags and relations of one record, or what is wrong with them.
pub type TagsAndRelations = std::result::Result<(Vec<IncomingTag>, Vec<IncomingRelation>), String>;

/// A parse error at `line` of `path`.
pub fn parse_err(path: &Path, line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        line,
        column: 1,
        message: message.into(),
    }
}

/// The string at `key` of a JSON object: `None` when the key is absent or `null`; a field of another
/// type is an error naming it (never read as missing, so never replaced by a default).
pub fn string(v: &Value, key: &str) -> std::result::Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("`{key}` is {}, not a string", json_kind(other))),
    }
}

/// A time at `key`, in the forms real tools write: an RFC 3339 string as gloss writes it, or a
/// number of seconds or of milliseconds since 1970 (pandas and Hugging Face `datasets` write
/// milliseconds), kept as RFC 3339. Anything else is an error naming the field.
pub fn time(v: &Value, key: &str) -> std::result::Result<Option<String>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => match humantime::parse_rfc3339_weak(s) {
            Ok(_) => Ok(Some(s.clone())),
            Err(e) => Err(format!("`{key}` {s:?} is not a time (RFC 3339): {e}")),
        },
        Some(Value::Number(n)) => {
            let Some(x) = n.as_f64().filter(|x| x.is_finite() && *x >= 0.0) else {
                return Err(format!("`{key}` {n} is not a time"));
            };
            // seconds until the year 5138; beyond that a number is milliseconds
            let secs = if x >= 1e11 { x / 1000.0 } else { x };
            let t = std::time::UNIX_EPOCH
                .checked_add(std::time::Duration::from_secs_f64(secs))
                .ok_or_else(|| format!("`{key}` {n} is not a time"))?;
            Ok(Some(humantime::format_rfc3339_seconds(t).to_string()))
        }
        Some(other) => Err(format!("`{key}` is {}, not a time", json_kind(other))),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON number as an offset or an index, if it is a whole one.
pub fn offset(v: Option<&Value>) -> Option<usize> {
    v.and_then(Value::as_u64).map(|n| n as usize)
}

/// A record's id: a string, or a number as doccano numbers its examples (kept for messages; it
/// names no file, so such a record is matched by its text).
fn record_id(v: &Value) -> Option<String> {
    match v.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

/// One record as a JSON object (a line of jsonl, a row of Parquet): its `text`, its tags and
/// relations as `tags_and_relations` reads them (offsets in `units`, unless the record's
/// `meta.offsets` says), its `status` and `comment`; `Err` says what is wrong with it.
pub fn json_record(
    v: &Value,
    origin: String,
    units: Units,
    tags_and_relations: impl Fn(&Value) -> TagsAndRelations,
) -> std::result::Result<Incoming, String> {
    let Some(doc_text) = string(v, "text")? else {
        return Err("a record without \"text\"".into());
    };
    let (tags, relations) = tags_and_relations(v)?;
    let status = match string(v, "status")? {
        Some(s) => Some(Status::parse(&s).ok_or_else(|| format!("unknown status {s:?}"))?),
        None => None,
    };
    // what the record says its offsets count, when it says (gloss's doccano export does)
    let stated = match v.pointer("/meta/offsets").and_then(Value::as_str) {
        Some("utf16") => Some(Units::Utf16),
        Some("codepoint") => Some(Units::Chars),
        Some("grapheme") => Some(Units::Graphemes),
        _ => None,
    };
    Ok(Incoming {
        origin,
        id: record_id(v),
        content: Content::Text(doc_text),
        units: stated.unwrap_or(units),
        units_stated: stated.is_some(),
        tags,
        relations,
        status,
        comment: string(v, "comment")?.filter(|c| !c.is_empty()),
        categories: read_categories(v)?,
        time: read_time(v)?,
        warnings: Vec::new(),
    })
}

/// Read a JSON Lines file of records, one article each with its `text` (and, if it says, its
/// `status`): `tags_and_relations` reads a record's tags, whose offsets count `units`, and the
/// relations between them.
pub fn read_json_lines(
    path: &Path,
    units: Units,
    tags_and_relations: impl Fn(&Value) -> TagsAndRelations,
) -> Result<Vec<Incoming>> {
    let text = read_text(path)?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let name = escape_path(path);
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| parse_err(path, n, format!("not JSON: {e}")))?;
        let origin = format!("{name}:{n}");
        out.push(
            json_record(&v, origin, units, &tags_and_relations)
                .map_err(|m| parse_err(path, n, m))?,
        );
    }
    Ok(out)
}

/// A record's `time` read back.
pub fn read_time(v: &Value) -> std::result::Result<crate::annotation::ActiveTime, String> {
    let mut out = crate::annotation::ActiveTime::default();
    let Some(list) = v.get("time") else {
        return Ok(out);
    };
    let list = list.as_array().ok_or("\"time\" is not a list")?;
    for (k, item) in list.iter().enumerate() {
        let text = |f: &str| {
            item.get(f)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("time {}: no {f}", k + 1))
        };
        let seconds = item
            .get("seconds")
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("time {}: seconds is not a whole number", k + 1))?;
        out.add(text("annotator")?, text("day")?, seconds);
    }
    Ok(out)
}

/// A record's `categories` read back.
pub fn read_categories(v: &Value) -> std::result::Result<crate::annotation::Categories, String> {
    let mut out = crate::annotation::Categories::new();
    let Some(list) = v.get("categories") else {
        return Ok(out);
    };
    let list = list.as_array().ok_or("\"categories\" is not a list")?;
    for (k, item) in list.iter().enumerate() {
        let field = |f: &str| {
            item.get(f)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("category {}: no {f}", k + 1))
        };
        let values = out.entry(field("name")?.to_string()).or_default();
        values.push(field("value")?.to_string());
        values.sort();
        values.dedup();
    }
    Ok(out)
}
