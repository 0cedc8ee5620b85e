//! Reading import files into [`Incoming`] records, one reader per format. Every error names the file
//! (and the line, where there are lines).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Content, Incoming, IncomingRelation, IncomingTag, Units, valid_id};
use crate::annotation::Status;
use crate::error::{Error, Result};
use crate::export::document_id;
use crate::export::formats::BRAT_ID_PREFIX;
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

/// brat standoff: a folder of `.ann` files beside their `.txt` (or one `.ann` file). Each `.ann` is
/// a record named by its `.txt`'s path below the folder. Text-bound annotations (`T`) become tags;
/// discontinuous ones whose fragments lie apart only by white space (as gloss writes a tag over a
/// line break) become one span; `AnnotatorNotes` give the gloss id (`gloss:ID`) and the note.
pub fn read_brat(path: &Path) -> Result<Vec<Incoming>> {
    let (root, mut anns) = if path.is_dir() {
        let mut anns = Vec::new();
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
                let e = e.map_err(|e| Error::io(&dir, e))?;
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "ann") {
                    anns.push(p);
                }
            }
        }
        (path.to_path_buf(), anns)
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (root, vec![path.to_path_buf()])
    };
    anns.sort();
    anns.into_iter()
        .map(|ann| read_brat_file(&root, &ann))
        .collect()
}

fn read_brat_file(root: &Path, ann: &Path) -> Result<Incoming> {
    let txt: PathBuf = ann.with_extension("txt");
    let text = read_text(&txt)?;
    let body = read_text(ann)?;
    let name = escape_path(ann);
    let chars: Vec<char> = text.chars().collect();
    let mut tags: Vec<(String, IncomingTag)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    // R lines: (R id, type, Arg1's T id, Arg2's T id, line); N lines: (T id, gloss entity id)
    let mut rels: Vec<(String, String, String, String, usize)> = Vec::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut warnings = Vec::new();
    // lines as brat reads them (Python's splitlines)
    let mut n = 0;
    for line in body.split(crate::export::formats::is_line_break) {
        n += 1;
        if line.is_empty() {
            continue;
        }
        let bad = |m: &str| parse_err(ann, n, m.to_string());
        let Some((id, rest)) = line.split_once('\t') else {
            return Err(bad("not ID<tab>…"));
        };
        if id.starts_with('T') {
            let (data, quoted) = rest.split_once('\t').unwrap_or((rest, ""));
            let Some((label, spans)) = data.split_once(' ') else {
                return Err(bad("not ID<tab>TYPE START END<tab>TEXT"));
            };
            let mut frags = Vec::new();
            for f in spans.split(';') {
                let mut it = f.split(' ').filter(|s| !s.is_empty());
                match (
                    it.next().and_then(|s| s.parse::<usize>().ok()),
                    it.next().and_then(|s| s.parse::<usize>().ok()),
                ) {
                    (Some(a), Some(b)) if a <= b && b <= chars.len() => frags.push((a, b)),
                    _ => return Err(bad("offsets that are not START END within the text")),
                }
            }
            frags.sort_unstable();
            let pieces: Vec<String> = frags
                .iter()
                .map(|&(a, b)| chars[a..b].iter().collect())
                .collect();
            if !quoted.is_empty() && pieces.join(" ") != quoted {
                return Err(bad(&format!(
                    "{id}: its text “{}” is not the .txt's “{}”",
                    crate::text::sanitize_inline(quoted),
                    crate::text::sanitize_inline(&pieces.join(" "))
                )));
            }
            let (start, end) = (frags[0].0, frags[frags.len() - 1].1);
            let gaps_are_space = frags
                .windows(2)
                .all(|w| chars[w[0].1..w[1].0].iter().all(|c| c.is_whitespace()));
            if !gaps_are_space {
                warnings.push(format!(
                    "{name}:{n}: {id} is discontinuous over more than white space: not imported (gloss tags are one span)"
                ));
                continue;
            }
            tags.push((
                id.to_string(),
                IncomingTag {
                    text: Some(chars[start..end].iter().collect()),
                    ..IncomingTag::new(label, start, end)
                },
            ));
        } else if id.starts_with('R') {
            let data = rest.split('\t').next().unwrap_or(rest);
            let mut parts = data.split(' ').filter(|p| !p.is_empty());
            let (Some(label), Some(a), Some(b)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(bad("not ID<tab>TYPE Arg1:T1 Arg2:T2"));
            };
            let arg = |s: &str| {
                s.split_once(':')
                    .map(|(r, t)| (r.to_string(), t.to_string()))
            };
            let (Some((ra, ta)), Some((rb, tb))) = (arg(a), arg(b)) else {
                return Err(bad("not ID<tab>TYPE Arg1:T1 Arg2:T2"));
            };
            // Arg1 is the head, whichever order the arguments come in
            let (head, tail) = if ra == "Arg2" && rb == "Arg1" {
                (tb, ta)
            } else {
                (ta, tb)
            };
            rels.push((id.to_string(), label.to_string(), head, tail, n));
        } else if id.starts_with('N') {
            let data = rest.split('\t').next().unwrap_or(rest);
            let parts: Vec<&str> = data.split(' ').filter(|p| !p.is_empty()).collect();
            match parts.as_slice() {
                [_, target, reference] => match reference.strip_prefix(BRAT_ID_PREFIX) {
                    Some(e) if valid_id(e) => links.push((target.to_string(), e.to_string())),
                    _ => warnings.push(format!(
                        "{name}:{n}: {id} normalises to {reference}, not to a gloss entity ({BRAT_ID_PREFIX}ID): not imported"
                    )),
                },
                _ => return Err(bad("not ID<tab>TYPE T1 DB:ID")),
            }
        } else if id.starts_with('#') {
            let (data, note) = rest.split_once('\t').unwrap_or((rest, ""));
            if let Some(("AnnotatorNotes", target)) = data.split_once(' ') {
                notes.push((target.trim().to_string(), note.to_string()));
            }
        }
        // events, attributes and the rest have no gloss counterpart: left alone
    }
    for (target, e) in links {
        if let Some((_, t)) = tags.iter_mut().find(|(id, _)| *id == target) {
            t.carried.entity = Some(e);
        }
    }
    let index = |tid: &str| tags.iter().position(|(id, _)| id == tid);
    let mut relations = Vec::new();
    let mut rel_ids: Vec<String> = Vec::new();
    for (rid, label, head, tail, line) in rels {
        match (index(&head), index(&tail)) {
            (Some(h), Some(t)) => {
                rel_ids.push(rid);
                relations.push(IncomingRelation {
                    id: None,
                    label,
                    head: h,
                    tail: t,
                    annotator: None,
                    review: None,
                });
            }
            _ => warnings.push(format!(
                "{name}:{line}: {rid} joins an annotation that is not imported: not imported"
            )),
        }
    }
    for (target, note) in &notes {
        if let Some(k) = rel_ids.iter().position(|r| r == target)
            && let Some(id) = note.strip_prefix(BRAT_ID_PREFIX)
        {
            let id = id.split(' ').next().unwrap_or(id);
            relations[k].id = Some(id.to_string()).filter(|i| valid_id(i));
        }
    }
    for (target, note) in notes {
        let Some((_, t)) = tags.iter_mut().find(|(id, _)| *id == target) else {
            continue;
        };
        let (id, rest) = match note.strip_prefix(BRAT_ID_PREFIX) {
            Some(r) => {
                let (id, rest) = r.split_once(' ').unwrap_or((r, ""));
                (
                    Some(id.to_string()).filter(|i| valid_id(i)),
                    rest.to_string(),
                )
            }
            None => (None, note),
        };
        if id.is_some() {
            t.id = id;
        }
        if !rest.is_empty() {
            t.carried.note = Some(match t.carried.note.take() {
                Some(n) => format!("{n} {rest}"),
                None => rest,
            });
        }
    }
    let rel = document_id(root, &txt);
    Ok(Incoming {
        origin: name,
        id: Some(rel),
        content: Content::Text(text),
        units: Units::Chars,
        tags: tags.into_iter().map(|(_, t)| t).collect(),
        relations,
        status: None,
        warnings,
    })
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
