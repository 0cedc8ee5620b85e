//! `vlsp2018`: the layout of the VLSP 2018 named-entity data, the raw text of each article with
//! every tag inline as `<ENAMEX TYPE="LABEL">…</ENAMEX>`, nested tags inside the tags that contain
//! them. A folder of one `<id>.muc` per article (the article's path below the corpus, `.txt`
//! made `.muc`, sub-folders kept). Read back from such a folder, or from one file.
//!
//! Escaping: the text is written with `&` as `&amp;`, `<` as `&lt;` and `>` as `&gt;`, so that
//! no text is ever read as a tag; a label's `"` is `&quot;`. Nothing else is changed (line
//! breaks, tabs and every other character are as the article has them). The reader takes exactly
//! those four entities and, as in the VLSP files themselves, any other `&` or `<` as text.
//!
//! Nesting: inline tags nest and cannot cross. Tags are written outermost first (by start, then
//! the longer, then the label); a tag that crosses one already written (starts inside it and ends
//! after it) is left out, and the export names both. Tags sharing a span nest one in the other.
//! Ids, notes, annotators, reviews, entity links and relations have no place in the format.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Carries, Format, Reads, RecordWriter, Writes};
use crate::annotation::Annotation;
use crate::error::{Error, Result};
use crate::export::{Record, document_id};
use crate::import::read::{parse_err, read_text};
use crate::import::{Content, Incoming, IncomingTag, Units};
use crate::text::offsets::CharIndex;
use crate::text::{escape_path, sanitize_inline};

pub static FORMAT: Format = Format {
    name: "vlsp2018",
    writes: Writes::Folder(|dir, _| Box::new(Writer { dir })),
    reads: Reads::Records(|path, _| read(path)),
    offsets: &[],
    carries: Carries::NOTHING,
};

/// The file extension of an article's file.
pub const EXTENSION: &str = "muc";

const OPEN: &str = "<ENAMEX TYPE=\"";
const CLOSE: &str = "</ENAMEX>";

fn escape_into(out: &mut String, s: &str, quote: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quote => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn describe(t: &Annotation) -> String {
    format!(
        "tag {} ({} “{}” at {}..{})",
        t.id,
        t.label,
        sanitize_inline(&t.text),
        t.start,
        t.end
    )
}

/// The tags that can be written inline, in the order they open, and what was left out.
fn nested(doc: &Record) -> (Vec<&Annotation>, Vec<String>) {
    let mut order: Vec<&Annotation> = doc.tags.iter().collect();
    order.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.end.cmp(&a.end))
            .then(a.label.cmp(&b.label))
            .then(a.id.cmp(&b.id))
    });
    let mut kept = Vec::with_capacity(order.len());
    let mut open: Vec<&Annotation> = Vec::new();
    let mut dropped = Vec::new();
    for t in order {
        while open.last().is_some_and(|o| o.end <= t.start) {
            open.pop();
        }
        if let Some(o) = open.last()
            && t.end > o.end
        {
            dropped.push(format!(
                "{} crosses {} (inline tags nest and cannot cross): left out",
                describe(t),
                describe(o)
            ));
            continue;
        }
        open.push(t);
        kept.push(t);
    }
    (kept, dropped)
}

/// The file of a document: its text with its tags inline, and what was left out.
pub fn document(doc: &Record) -> (String, Vec<String>) {
    let text = &doc.text;
    let index = CharIndex::new(text);
    let (tags, dropped) = nested(doc);
    let byte = |c: usize| index.char_to_byte(text, c).unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + tags.len() * 32);
    let mut at = 0; // bytes of the text written
    let mut open: Vec<usize> = Vec::new(); // the open tags' ends, in bytes
    let close_to = |out: &mut String, at: &mut usize, open: &mut Vec<usize>, upto: usize| {
        while let Some(&e) = open.last() {
            if e > upto {
                break;
            }
            escape_into(out, &text[*at..e], false);
            *at = e;
            out.push_str(CLOSE);
            open.pop();
        }
    };
    for t in tags {
        let (s, e) = (byte(t.start), byte(t.end));
        // close the tags that end where this one starts or before (an empty tag there too)
        close_to(&mut out, &mut at, &mut open, s);
        escape_into(&mut out, &text[at..s], false);
        at = s;
        out.push_str(OPEN);
        escape_into(&mut out, &t.label, true);
        out.push_str("\">");
        open.push(e);
    }
    close_to(&mut out, &mut at, &mut open, usize::MAX);
    escape_into(&mut out, &text[at..], false);
    (out, dropped)
}

/// Writes one `.muc` file per article.
pub struct Writer {
    pub dir: PathBuf,
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let (body, dropped) = document(doc);
        for d in dropped {
            warn(format!("{}: {d}", doc.id));
        }
        let path = self.dir.join(&doc.id).with_extension(EXTENSION);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, body.as_bytes()).map_err(|e| Error::io(&path, e))
    }
}

/// The text and tags of one file: tags in code points of the text (entities decoded, tags
/// taken out); an unbalanced `</ENAMEX>` or a tag never closed is an error naming the line.
pub fn parse(path: &Path, body: &str) -> Result<(String, Vec<IncomingTag>)> {
    let mut text = String::with_capacity(body.len());
    let mut chars = 0usize; // code points of `text`
    let mut line = 1usize;
    let mut open: Vec<(String, usize, usize)> = Vec::new(); // label, start, line
    let mut tags = Vec::new();
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(after) = rest.strip_prefix(OPEN) {
                let Some(q) = after.find("\">") else {
                    return Err(parse_err(path, line, "an <ENAMEX TYPE=\" without its closing \">"));
                };
                let label = decode(&after[..q]);
                if label.is_empty() || label.contains(['\n', '\r']) {
                    return Err(parse_err(path, line, "an ENAMEX tag with no TYPE on its line"));
                }
                open.push((label, chars, line));
                rest = &after[q + 2..];
                continue;
            }
            if let Some(after) = rest.strip_prefix(CLOSE) {
                let Some((label, start, _)) = open.pop() else {
                    return Err(parse_err(path, line, "a </ENAMEX> that closes no tag"));
                };
                let mut t = IncomingTag::new(label, start, chars);
                t.text = Some(text.chars().skip(start).collect());
                tags.push((start, tags.len(), t));
                rest = after;
                continue;
            }
        }
        if c == '&' {
            let entity = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"')]
                .into_iter()
                .find(|(e, _)| rest.starts_with(e));
            if let Some((e, ch)) = entity {
                text.push(ch);
                chars += 1;
                rest = &rest[e.len()..];
                continue;
            }
        }
        if c == '\n' {
            line += 1;
        }
        text.push(c);
        chars += 1;
        rest = &rest[c.len_utf8()..];
    }
    if let Some((label, _, at)) = open.pop() {
        return Err(parse_err(
            path,
            at,
            format!("<ENAMEX TYPE=\"{}\"> is never closed", sanitize_inline(&label)),
        ));
    }
    // in the order they open (outer first), as they were written
    tags.sort_by_key(|&(start, k, _)| (start, std::cmp::Reverse(k)));
    Ok((text, tags.into_iter().map(|(_, _, t)| t).collect()))
}

/// `&amp;`, `&lt;`, `&gt;` and `&quot;` decoded; any other `&` kept.
fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Read a folder of `.muc` files (sub-folders walked, links to folders not followed), or one file.
pub fn read(path: &Path) -> Result<Vec<Incoming>> {
    let (root, mut files) = if path.is_dir() {
        let mut files = Vec::new();
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
                let e = e.map_err(|e| Error::io(&dir, e))?;
                let p = e.path();
                let ft = e.file_type().map_err(|e| Error::io(&p, e))?;
                if ft.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == EXTENSION)
                    && !(ft.is_symlink() && p.is_dir())
                {
                    files.push(p);
                }
            }
        }
        (path.to_path_buf(), files)
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (root, vec![path.to_path_buf()])
    };
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let (text, tags) = parse(&f, &read_text(&f)?)?;
            Ok(Incoming {
                origin: escape_path(&f),
                id: Some(document_id(&root, &f.with_extension("txt"))),
                content: Content::Text(text),
                units: Units::Chars,
                units_stated: false,
                tags,
                relations: Vec::new(),
                status: None,
                comment: None,
                categories: Default::default(),
                time: Default::default(),
                warnings: Vec::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Status;

    fn record(text: &str, tags: &[(&str, &str, usize, usize)]) -> Record {
        let chars: Vec<char> = text.chars().collect();
        Record {
            id: "a.txt".into(),
            path: "a.txt".into(),
            text: text.into(),
            meta: Default::default(),
            tags: tags
                .iter()
                .map(|&(id, label, s, e)| Annotation {
                    id: id.into(),
                    label: label.into(),
                    start: s,
                    end: e,
                    text: chars[s..e].iter().collect(),
                    ..Annotation::default()
                })
                .collect(),
            relations: Vec::new(),
            status: Status::Done,
            comment: None,
            ..Default::default()
        }
    }

    fn back(body: &str) -> (String, Vec<(String, usize, usize)>) {
        let (text, tags) = parse(Path::new("a.muc"), body).unwrap();
        (
            text,
            tags.into_iter().map(|t| (t.label, t.start, t.end)).collect(),
        )
    }

    #[test]
    fn nested_tags_inline_and_back() {
        let text = "😀 UBND TP. Hà Nội <số 1> & Tô Lâm";
        let doc = record(
            text,
            &[
                ("o", "ORGANIZATION", 2, 17),
                ("l", "LOCATION", 7, 17),
                ("p", "PERSON", 27, 33),
                ("q", "PER\"X", 27, 33),
            ],
        );
        let (body, dropped) = document(&doc);
        assert!(dropped.is_empty());
        assert_eq!(
            body,
            "😀 <ENAMEX TYPE=\"ORGANIZATION\">UBND <ENAMEX TYPE=\"LOCATION\">TP. Hà Nội</ENAMEX></ENAMEX> &lt;số 1&gt; &amp; <ENAMEX TYPE=\"PER&quot;X\"><ENAMEX TYPE=\"PERSON\">Tô Lâm</ENAMEX></ENAMEX>"
        );
        let (t, tags) = back(&body);
        assert_eq!(t, text);
        let mut want: Vec<(String, usize, usize)> = doc
            .tags
            .iter()
            .map(|t| (t.label.clone(), t.start, t.end))
            .collect();
        let mut got = tags.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn crossing_tags_are_left_out_and_empty_ones_kept() {
        let doc = record(
            "abcdef",
            &[("x", "A", 0, 3), ("y", "B", 2, 5), ("z", "C", 3, 3), ("w", "D", 3, 6)],
        );
        let (body, dropped) = document(&doc);
        assert_eq!(dropped.len(), 1, "{dropped:?}");
        assert!(dropped[0].starts_with("tag y") && dropped[0].contains("crosses tag x"));
        assert_eq!(
            body,
            "<ENAMEX TYPE=\"A\">abc</ENAMEX><ENAMEX TYPE=\"D\"><ENAMEX TYPE=\"C\"></ENAMEX>def</ENAMEX>"
        );
        let (_, tags) = back(&body);
        assert_eq!(
            tags,
            [
                ("A".to_string(), 0, 3),
                ("D".to_string(), 3, 6),
                ("C".to_string(), 3, 3)
            ]
        );
    }

    #[test]
    fn stray_ampersands_and_angles_are_text_and_bad_nesting_is_an_error() {
        let (t, tags) = back("AT&T <3 <ENAMEX TYPE=\"ORG\">FPT</ENAMEX>");
        assert_eq!(t, "AT&T <3 FPT");
        assert_eq!(tags, [("ORG".to_string(), 8, 11)]);
        let e = parse(Path::new("a.muc"), "x\n</ENAMEX>").unwrap_err().to_string();
        assert!(e.contains("a.muc:2") && e.contains("closes no tag"), "{e}");
        let e = parse(Path::new("a.muc"), "<ENAMEX TYPE=\"A\">x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("never closed"), "{e}");
    }
}
