//! `conll`: CoNLL-2003 style IOB2 output, in the four columns of CoNLL-2003 (`TOKEN -X- _ TAG`: the
//! token, no part of speech, no chunk, the IOB2 tag), a blank line between sentences and the line
//! `-DOCSTART- -X- O O` before each article: the document delimiter spaCy's `conll_ner` converter
//! splits on, with as many columns as every other line. Read back ([`parse`]) from two or more
//! columns (token first, tag last) in IOB2, IOB1 or BIOES; documents carry no name and are matched
//! to their articles by their tokens.
//!
//! Tokens are those of [`crate::text::tokens`]: Vietnamese syllables (runs of letters and digits)
//! and single punctuation marks; white space, control and invisible characters are not tokens, and
//! no token holds white space (a combining mark after a space is a token of its own), so every
//! column reader splits each line into the same four fields. A token belongs to a tag when it
//! overlaps it.
//!
//! Overlaps: the **longest tag wins** (the outermost). Tags are taken longest first, in characters
//! (then the earlier start, then the id); a tag sharing a token with a tag already taken is left
//! out, and reported with both tags' ids and offsets. Sentences that a kept tag spans are written as
//! one sentence, so no tag is cut by a sentence break.

use std::ops::Range;
use std::path::Path;

use super::{Carries, Format, Reads, RecordWriter, Stream, Writes};
use crate::annotation::Annotation;
use crate::error::Result;
use crate::export::Record;
use crate::import::read::{parse_err, read_text};
use crate::import::{Content, Incoming, IncomingTag, Units};
use crate::text::escape_path;
use crate::text::tokens::{is_split_space, tokenize};
use crate::text::sanitize_inline;

/// The line before each document.
pub const DOCSTART: &str = "-DOCSTART- -X- O O";

/// The columns between a token and its tag: no part of speech, no chunk.
pub const FILLER: &str = " -X- _ ";

/// The byte offsets of the code-point offsets `chars` (sorted or not), in one pass over the text up
/// to the last of them; `None` past the end.
fn bytes_of_chars(text: &str, chars: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..chars.len()).collect();
    order.sort_unstable_by_key(|&i| chars[i]);
    let mut out = vec![None; chars.len()];
    let mut it = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .enumerate();
    let mut cur = it.next();
    for i in order {
        while let Some((c, _)) = cur
            && c < chars[i]
        {
            cur = it.next();
        }
        out[i] = cur.filter(|&(c, _)| c == chars[i]).map(|(_, b)| b);
    }
    out
}

/// How a tag is named in messages: id, label, text and offsets.
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

/// Why `kept` won over `dropped`, which it overlaps (kept came first in the order: longer, then
/// earlier, then smaller id).
fn why_kept(kept: &Annotation, dropped: &Annotation) -> &'static str {
    if kept.len() > dropped.len() {
        "which is longer"
    } else if kept.start < dropped.start {
        "which is as long and starts earlier"
    } else {
        "which is as long, at the same place, and first by id"
    }
}

/// The CoNLL text of a document, appended to `out`, and what the overlap rule left out.
pub fn write_document(doc: &Record, out: &mut String) -> Vec<String> {
    let text = &doc.text;
    let tokens = tokenize(text);
    let points: Vec<usize> = doc.tags.iter().flat_map(|t| [t.start, t.end]).collect();
    let bytes = bytes_of_chars(text, &points);
    let mut tags: Vec<(Range<usize>, &Annotation)> = doc
        .tags
        .iter()
        .zip(bytes.chunks(2))
        .filter_map(|(t, b)| Some((b[0]?..b[1]?, t)))
        .collect();
    // longest first (in characters), then earliest start, then id
    tags.sort_by(|(_, a), (_, b)| {
        b.len()
            .cmp(&a.len())
            .then(a.start.cmp(&b.start))
            .then(a.id.cmp(&b.id))
    });
    // for each token: the kept tag it is in, and whether it is the tag's first token
    let mut assigned: Vec<Option<(&Annotation, bool)>> = vec![None; tokens.len()];
    let mut joined = vec![false; tokens.last().map_or(0, |t| t.sentence + 1)];
    let mut dropped = Vec::new();
    for (r, t) in tags {
        let first = tokens.partition_point(|k| k.bytes.end <= r.start);
        let last = tokens.partition_point(|k| k.bytes.start < r.end);
        if first >= last {
            dropped.push(format!("{} covers no token: left out", describe(t)));
            continue;
        }
        if let Some((kept, _)) = assigned[first..last].iter().flatten().next() {
            dropped.push(format!(
                "{} overlaps tag {} ({} at {}..{}), {}: left out (a token takes one tag, the longest)",
                describe(t),
                kept.id,
                kept.label,
                kept.start,
                kept.end,
                why_kept(kept, t)
            ));
            continue;
        }
        for (i, slot) in assigned[first..last].iter_mut().enumerate() {
            *slot = Some((t, i == 0));
        }
        joined[tokens[first].sentence..tokens[last - 1].sentence].fill(true);
    }
    out.reserve(text.len() * 2 + tokens.len() * 12);
    out.push_str(DOCSTART);
    out.push_str("\n\n");
    for (i, tok) in tokens.iter().enumerate() {
        out.push_str(&text[tok.bytes.clone()]);
        out.push_str(FILLER);
        match assigned[i] {
            Some((t, first)) => {
                out.push_str(if first { "B-" } else { "I-" });
                out.push_str(&t.label);
            }
            None => out.push('O'),
        }
        out.push('\n');
        let sentence_ends = tokens
            .get(i + 1)
            .is_none_or(|n| n.sentence != tok.sentence && !joined[tok.sentence]);
        if sentence_ends {
            out.push('\n');
        }
    }
    dropped
}

/// The CoNLL text of a document, and what the overlap rule left out.
pub fn document(doc: &Record) -> (String, Vec<String>) {
    let mut out = String::new();
    let dropped = write_document(doc, &mut out);
    (out, dropped)
}

pub static FORMAT: Format = Format {
    name: "conll",
    writes: Writes::Stream(|stream, _| Box::new(Writer { stream })),
    reads: Reads::Records(|path, _| read(path)),
    offsets: &[],
    carries: Carries::NOTHING,
};

/// Writes each document as it comes, saying what the overlap rule left out.
pub struct Writer {
    pub stream: Stream,
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let (text, dropped) = document(doc);
        for d in dropped {
            warn(format!("{}: {d}", doc.id));
        }
        self.stream.write_all(text.as_bytes())
    }

    fn finish(&mut self) -> Result<()> {
        self.stream.flush()
    }
}

/// Read a CoNLL file (see [`parse`]).
pub fn read(path: &Path) -> Result<Vec<Incoming>> {
    parse(path, &read_text(path)?)
}

/// CoNLL: documents after `-DOCSTART-` lines (or one document without them), a token and its tag
/// per line (first and last columns, split on white space), blank lines between sentences. Tags in
/// IOB2, IOB1 or BIOES/BILOU.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Incoming>> {
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
                units_stated: false,
                tags,
                relations: Vec::new(),
                status: None,
                comment: None,
                categories: Default::default(),
                time: Default::default(),
                warnings: Vec::new(),
            });
        }
    };
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for (i, line) in text.split('\n').enumerate() {
        let n = i + 1;
        let fields: Vec<&str> = line
            .split(is_split_space)
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
    use crate::corpus::Meta;

    fn doc(text: &str, tags: &[(&str, &str)]) -> Record {
        let tags = tags
            .iter()
            .map(|(label, needle)| {
                let b = text.find(needle).unwrap();
                let s = text[..b].chars().count();
                let mut t = Annotation::new(label, s, s + needle.chars().count(), needle, "t");
                t.id = format!("{label}{s}");
                t
            })
            .collect();
        Record {
            id: "a.txt".into(),
            path: "a.txt".into(),
            text: text.into(),
            meta: Meta::default(),
            tags,
            relations: Vec::new(),
            status: crate::annotation::Status::New,
            comment: None,
            ..Default::default()
        }
    }

    #[test]
    fn iob2_with_outermost_rule_and_joined_sentences() {
        let text = "Ông Tô Lâm yêu cầu. Làm ngay.\nHết.";
        let d = doc(
            text,
            &[
                ("PERSON", "Tô Lâm"),
                ("TASK", "Tô Lâm yêu cầu. Làm ngay."),
                ("PERSON", "Lâm"),
            ],
        );
        let (out, dropped) = document(&d);
        let expected = "-DOCSTART- -X- O O\n\nÔng O\nTô B-TASK\nLâm I-TASK\nyêu I-TASK\ncầu I-TASK\n. I-TASK\nLàm I-TASK\nngay I-TASK\n. I-TASK\n\nHết O\n. O\n\n";
        let expected: String = expected
            .lines()
            .map(|l| match l.rsplit_once(' ') {
                Some((tok, tag)) if !l.starts_with("-DOCSTART-") => format!("{tok}{FILLER}{tag}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        assert_eq!(out, expected);
        assert_eq!(dropped.len(), 2);
        assert!(
            dropped.iter().all(|d| d.contains("which is longer")),
            "{dropped:?}"
        );
    }

    #[test]
    fn code_points_to_bytes_in_one_pass() {
        let text = "a😀b é";
        assert_eq!(
            bytes_of_chars(text, &[5, 0, 2, 1, 6, 3]),
            [Some(text.len()), Some(0), Some(5), Some(1), None, Some(6)]
        );
        assert_eq!(bytes_of_chars(text, &[7]), [None]);
    }

    #[test]
    fn ties_are_not_called_longer_and_messages_name_ids_and_offsets() {
        let text = "Ông Tô Lâm nói.";
        let same_span = doc(text, &[("PERSON", "Tô Lâm"), ("TASK", "Tô Lâm")]);
        let (_, dropped) = document(&same_span);
        assert_eq!(
            dropped,
            [
                "tag TASK4 (TASK “Tô Lâm” at 4..10) overlaps tag PERSON4 (PERSON at 4..10), which is as long, at the same place, and first by id: left out (a token takes one tag, the longest)"
            ]
        );
        let d = doc(
            text,
            &[
                ("DIRECTIVE", "Ông Tô"),
                ("PERSON", "Tô Lâm"),
                ("TASK", "Lâm nói."),
            ],
        );
        let (_, dropped) = document(&d);
        assert_eq!(dropped.len(), 1, "{dropped:?}");
        assert!(
            dropped[0].contains("tag PERSON4 (PERSON “Tô Lâm” at 4..10) overlaps tag DIRECTIVE0 (DIRECTIVE at 0..6), which is as long and starts earlier"),
            "{dropped:?}"
        );
        let d = doc(text, &[("PERSON", "Lâm"), ("TASK", "Tô Lâm nói")]);
        let (_, dropped) = document(&d);
        assert!(dropped[0].contains("which is longer"), "{dropped:?}");
    }

    #[test]
    fn conll_tags_in_iob2_iob1_and_bioes() {
        let f = "-DOCSTART- -X- O O\n\nÔng O\nTô B-PER\nLâm I-PER\n\nnói I-PER\n. O\n-DOCSTART- -X- O O\na I-X\nb I-X\nc B-X\nd S-Y\ne B-Z\nf E-Z\n";
        let recs = parse(Path::new("f.conll"), f).unwrap();
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
        let e = parse(Path::new("f.conll"), "a B-\n").unwrap_err();
        assert!(e.to_string().starts_with("f.conll:1:"), "{e}");
    }
}
