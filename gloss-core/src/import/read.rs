//! Reading import files into [`Incoming`] records, one reader per format. Every error names the file
//! (and the line, where there are lines).

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

/// The string at `key` of a JSON object, if it is one.
pub fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(String::from)
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
        let Some(doc_text) = string(&v, "text") else {
            return Err(parse_err(path, n, "a record without \"text\""));
        };
        let (tags, relations) = tags_and_relations(&v).map_err(|m| parse_err(path, n, m))?;
        let status = match v.get("status") {
            Some(Value::String(s)) => Some(
                Status::parse(s)
                    .ok_or_else(|| parse_err(path, n, format!("unknown status {s:?}")))?,
            ),
            _ => None,
        };
        out.push(Incoming {
            origin: format!("{name}:{n}"),
            id: record_id(&v),
            content: Content::Text(doc_text),
            units,
            tags,
            relations,
            status,
            warnings: Vec::new(),
        });
    }
    Ok(out)
}

/// CoNLL: documents after `-DOCSTART-` lines (or one document without them), a token and its tag
/// per line (first and last columns, split on white space), blank lines between sentences. Tags in
/// IOB2, IOB1 or BIOES/BILOU.
pub fn read_conll(path: &Path, text: &str) -> Result<Vec<Incoming>> {
    let name = escape_path(path);
    let mut out: Vec<Incoming> = Vec::new();
    let mut current: Option<(usize, Vec<String>, Vec<IncomingTag>)> = None;
    // the tag being read: label and first token
    let mut open: Option<(String, usize)> = None;
    let close = |doc: &mut Option<(usize, Vec<String>, Vec<IncomingTag>)>,
                 open: &mut Option<(String, usize)>| {
        if let (Some((_, toks, tags)), Some((label, first))) = (doc.as_mut(), open.take()) {
            tags.push(IncomingTag::new(label, first, toks.len()));
        }
    };
    let flush = |doc: Option<(usize, Vec<String>, Vec<IncomingTag>)>, out: &mut Vec<Incoming>| {
        if let Some((line, toks, tags)) = doc
            && !toks.is_empty()
        {
            out.push(Incoming {
                origin: format!("{name}:{line}"),
                id: None,
                content: Content::Tokens(toks),
                units: Units::Tokens,
                tags,
                relations: Vec::new(),
                status: None,
                warnings: Vec::new(),
            });
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let fields: Vec<&str> = line
            .split(crate::export::conll::is_split_space)
            .filter(|f| !f.is_empty())
            .collect();
        if fields.first() == Some(&"-DOCSTART-") {
            close(&mut current, &mut open);
            flush(current.take(), &mut out);
            current = Some((n, Vec::new(), Vec::new()));
            continue;
        }
        if fields.is_empty() {
            continue; // a sentence break: tags may go on across it (gloss joins such sentences)
        }
        if fields.len() < 2 {
            return Err(parse_err(path, n, "a token without a tag column"));
        }
        let (token, tag) = (fields[0], fields[fields.len() - 1]);
        let doc = current.get_or_insert_with(|| (n, Vec::new(), Vec::new()));
        let at = doc.1.len();
        let (prefix, label) = match tag.split_once('-') {
            _ if tag == "O" => ("O", ""),
            Some((p, l)) if !l.is_empty() => (p, l),
            _ => {
                return Err(parse_err(
                    path,
                    n,
                    format!("the tag {tag:?} is not O or X-LABEL"),
                ));
            }
        };
        let continues = open.as_ref().is_some_and(|(l, _)| l == label);
        match prefix {
            "O" => close(&mut current, &mut open),
            "B" | "S" | "U" => {
                close(&mut current, &mut open);
                open = Some((label.to_string(), at));
            }
            "I" | "E" | "L" if continues => {}
            "I" | "E" | "L" => {
                // IOB1, or an I- after another label: a new tag starts here
                close(&mut current, &mut open);
                open = Some((label.to_string(), at));
            }
            _ => {
                return Err(parse_err(
                    path,
                    n,
                    format!("the tag {tag:?} is not O or X-LABEL"),
                ));
            }
        }
        current
            .as_mut()
            .expect("a document")
            .1
            .push(token.to_string());
        if matches!(prefix, "S" | "U" | "E" | "L") {
            close(&mut current, &mut open);
        }
    }
    close(&mut current, &mut open);
    flush(current.take(), &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_tags_in_iob2_iob1_and_bioes() {
        let f = "-DOCSTART- -X- O O\n\nÔng O\nTô B-PER\nLâm I-PER\n\nnói I-PER\n. O\n-DOCSTART- -X- O O\na I-X\nb I-X\nc B-X\nd S-Y\ne B-Z\nf E-Z\n";
        let recs = read_conll(Path::new("f.conll"), f).unwrap();
        assert_eq!(recs.len(), 2);
        let spans = |r: &Incoming| -> Vec<(String, usize, usize)> {
            r.tags
                .iter()
                .map(|t| (t.label.clone(), t.start, t.end))
                .collect()
        };
        assert_eq!(spans(&recs[0]), [("PER".to_string(), 1, 4)]);
        assert_eq!(
            spans(&recs[1]),
            [
                ("X".to_string(), 0, 2),
                ("X".to_string(), 2, 3),
                ("Y".to_string(), 3, 4),
                ("Z".to_string(), 4, 6)
            ]
        );
        assert_eq!(recs[0].origin, "f.conll:1");
        let e = read_conll(Path::new("f.conll"), "a B-\n").unwrap_err();
        assert!(e.to_string().starts_with("f.conll:1:"), "{e}");
    }
}
