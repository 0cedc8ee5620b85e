//! `prodigy`: one Prodigy task a line per article, as Prodigy's `db-in` takes it and its
//! `rel.manual`/`ner.manual` recipes write it (Prodigy's "Annotation interfaces" task format):
//! `text`; `tokens`, each `{text, start, end, id, ws}`; `spans`, each `{text, start, end,
//! token_start, token_end, label}` (`token_end` the span's last token, inclusive); `relations`,
//! each `{head, child, head_span, child_span, label}` where `head` and `child` are **token**
//! indexes (the last token of each end's span, as `rel.manual` saves them) and `head_span` and
//! `child_span` are `{start, end, token_start, token_end, label}`; `answer`; `meta`. Offsets are
//! code points (Python's `text[start:end]`). Export only: jsonl is the format gloss reads back.
//!
//! Tokens are gloss's ([`crate::text::tokens`]: syllables and punctuation marks) and the white
//! space between them as spaCy's tokenizer keeps it: a single space after a token is its `ws`;
//! any other white space (a line break, two spaces, a zero-width space) is a token of its own,
//! with `ws` false. So the tokens' texts, each followed by a space where `ws` is true, are the
//! article's text exactly (spaCy's `Doc(words=…, spaces=…)` gives it back).
//!
//! Spans fall on token boundaries: where a tag starts or ends inside a token (a tag of part of a
//! syllable), that token is split there and the export says so on stderr, naming the tag; the
//! tag keeps its exact offsets. A tag rejected by a reviewer (exported only with
//! `--include-rejected`) is left out and named: a Prodigy task's spans are all taken as right
//! when its `answer` is `accept`. `answer` is `reject` for an article whose status is
//! `needs-work`, else `accept`. No `_input_hash` or `_task_hash`: `db-in` computes them as
//! Prodigy does for its own streams (a hash of gloss's would not match Prodigy's for the same
//! text).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::{Carries, Format, Reads, RecordWriter, Stream, Writes};
use crate::annotation::{Annotation, Status};
use crate::error::Result;
use crate::export::Record;
use crate::text::offsets::CharIndex;
use crate::text::sanitize_inline;
use crate::text::tokens::tokenize;

pub static FORMAT: Format = Format {
    name: "prodigy",
    writes: Writes::Stream(|stream, _| Box::new(Writer { stream })),
    reads: Reads::ExportOnly("gloss reads its own jsonl back, which carries everything"),
    offsets: &[],
    carries: Carries::NOTHING,
};

/// A token: its text and code-point offsets, its index, and whether a space follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub id: usize,
    pub ws: bool,
}

/// A span as Prodigy's manual interfaces save it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub token_start: usize,
    /// The span's last token (inclusive).
    pub token_end: usize,
    pub label: String,
}

/// A span as a relation cites it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpanRef {
    pub start: usize,
    pub end: usize,
    pub token_start: usize,
    pub token_end: usize,
    pub label: String,
}

impl SpanRef {
    fn of(s: &Span) -> Self {
        SpanRef {
            start: s.start,
            end: s.end,
            token_start: s.token_start,
            token_end: s.token_end,
            label: s.label.clone(),
        }
    }
}

/// A relation: `head` and `child` are the last tokens of its ends' spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    pub head: usize,
    pub child: usize,
    pub head_span: SpanRef,
    pub child_span: SpanRef,
    pub label: String,
}

/// What Prodigy shows beside the task: every key always there, as a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub id: String,
    pub status: String,
    pub date: String,
    pub source: String,
    pub author: String,
}

/// One Prodigy task: an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub text: String,
    pub tokens: Vec<Token>,
    pub spans: Vec<Span>,
    pub relations: Vec<Relation>,
    pub answer: &'static str,
    pub meta: Meta,
}

/// How a tag is named in messages.
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

/// The pieces of `text` (byte ranges, in order, covering it whole), each a token's part or white
/// space (`true`), cut at every byte of `cuts` and at gloss's token boundaries.
fn pieces(text: &str, cuts: &BTreeSet<usize>) -> Vec<(std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    let push = |r: std::ops::Range<usize>, gap: bool, out: &mut Vec<_>| {
        if r.is_empty() {
            return;
        }
        let mut s = r.start;
        for &c in cuts.range(r.start + 1..r.end) {
            out.push((s..c, gap));
            s = c;
        }
        if s < r.end {
            out.push((s..r.end, gap));
        }
    };
    for t in tokenize(text) {
        push(at..t.bytes.start, true, &mut out);
        push(t.bytes.clone(), false, &mut out);
        at = t.bytes.end;
    }
    push(at..text.len(), true, &mut out);
    out
}

/// The Prodigy task of a document, and what had to be said (tokens split, tags left out).
pub fn task(doc: &Record) -> (Task, Vec<String>) {
    let text = &doc.text;
    let index = CharIndex::new(text);
    let mut said = Vec::new();
    // the tags kept, with their byte ranges
    let mut kept: Vec<(usize, &Annotation, std::ops::Range<usize>)> = Vec::new();
    for (i, t) in doc.tags.iter().enumerate() {
        if t.is_rejected() {
            said.push(format!(
                "{} was rejected by a reviewer: left out (every span of an accepted Prodigy task is taken as right)",
                describe(t)
            ));
            continue;
        }
        let (Some(s), Some(e)) = (
            index.char_to_byte(text, t.start),
            index.char_to_byte(text, t.end),
        ) else {
            continue;
        };
        if s >= e {
            said.push(format!("{} is empty: left out", describe(t)));
            continue;
        }
        kept.push((i, t, s..e));
    }
    let starts: BTreeSet<usize> = kept.iter().map(|(_, _, r)| r.start).collect();
    let ends: BTreeSet<usize> = kept.iter().map(|(_, _, r)| r.end).collect();
    let cuts: BTreeSet<usize> = starts.union(&ends).copied().collect();
    let cut = pieces(text, &cuts);
    // a tag edge inside one of gloss's tokens: the token is split there
    let whole = pieces(text, &BTreeSet::new());
    for (_, t, r) in &kept {
        for (edge, which) in [(r.start, "starts"), (r.end, "ends")] {
            if let Some((w, _)) = whole
                .iter()
                .find(|(w, gap)| !gap && w.start < edge && edge < w.end)
            {
                said.push(format!(
                    "{} {which} inside the token “{}”: the token is split there (“{}” and “{}”), so that the span falls on token boundaries",
                    describe(t),
                    sanitize_inline(&text[w.clone()]),
                    sanitize_inline(&text[w.start..edge]),
                    sanitize_inline(&text[edge..w.end]),
                ));
            }
        }
    }
    let mut tokens: Vec<Token> = Vec::with_capacity(cut.len());
    let mut token_bytes: Vec<std::ops::Range<usize>> = Vec::with_capacity(cut.len());
    for (r, gap) in cut {
        let mut r = r;
        if gap && text[r.clone()].starts_with(' ') && !starts.contains(&r.start) {
            // a space after a token is its `ws`, unless a span starts at the space or ends after it
            let alone = r.len() == 1;
            if let Some(prev) = tokens.last_mut()
                && !prev.ws
                && !(alone && ends.contains(&r.end))
            {
                prev.ws = true;
                r.start += 1;
            }
        }
        if r.is_empty() {
            continue;
        }
        tokens.push(Token {
            text: text[r.clone()].to_string(),
            start: index.byte_to_char(text, r.start),
            end: index.byte_to_char(text, r.end),
            id: tokens.len(),
            ws: false,
        });
        token_bytes.push(r);
    }
    let by_start: HashMap<usize, usize> = token_bytes
        .iter()
        .enumerate()
        .map(|(i, r)| (r.start, i))
        .collect();
    let by_end: HashMap<usize, usize> = token_bytes
        .iter()
        .enumerate()
        .map(|(i, r)| (r.end, i))
        .collect();
    let mut span_of: HashMap<usize, usize> = HashMap::new();
    let mut spans = Vec::with_capacity(kept.len());
    for (i, t, r) in &kept {
        let (Some(&first), Some(&last)) = (by_start.get(&r.start), by_end.get(&r.end)) else {
            // cannot happen: every edge is a cut, and no space is folded at an edge
            said.push(format!("{} falls on no token boundary: left out", describe(t)));
            continue;
        };
        span_of.insert(*i, spans.len());
        spans.push(Span {
            text: text[r.clone()].to_string(),
            start: t.start,
            end: t.end,
            token_start: first,
            token_end: last,
            label: t.label.clone(),
        });
    }
    let mut relations = Vec::new();
    for (r, h, c) in doc.relation_ends() {
        let (Some(&h), Some(&c)) = (span_of.get(&h), span_of.get(&c)) else {
            said.push(format!(
                "relation {} ({}) joins a tag left out: left out",
                r.id,
                sanitize_inline(&r.label)
            ));
            continue;
        };
        relations.push(Relation {
            head: spans[h].token_end,
            child: spans[c].token_end,
            head_span: SpanRef::of(&spans[h]),
            child_span: SpanRef::of(&spans[c]),
            label: r.label.clone(),
        });
    }
    let task = Task {
        text: text.clone(),
        tokens,
        spans,
        relations,
        answer: if doc.status == Status::NeedsWork {
            "reject"
        } else {
            "accept"
        },
        meta: Meta {
            id: doc.id.clone(),
            status: doc.status.name().to_string(),
            date: doc.meta.date.clone().unwrap_or_default(),
            source: doc.meta.source.clone().unwrap_or_default(),
            author: doc.meta.author.clone().unwrap_or_default(),
        },
    };
    (task, said)
}

/// Writes one task a line.
pub struct Writer {
    pub stream: Stream,
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let (task, said) = task(doc);
        for s in said {
            warn(format!("{}: {s}", doc.id));
        }
        self.stream.write_json_line(&task)
    }

    fn finish(&mut self) -> Result<()> {
        self.stream.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Meta as ArticleMeta;

    fn record(text: &str, tags: &[(&str, &str, usize, usize)]) -> Record {
        let chars: Vec<char> = text.chars().collect();
        Record {
            id: "a.txt".into(),
            path: "a.txt".into(),
            text: text.into(),
            meta: ArticleMeta::default(),
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

    /// The tokens' texts, each followed by a space where `ws` is set.
    fn rebuilt(t: &Task) -> String {
        t.tokens
            .iter()
            .map(|k| format!("{}{}", k.text, if k.ws { " " } else { "" }))
            .collect()
    }

    #[test]
    fn tokens_rebuild_the_text_and_white_space_other_than_one_space_is_a_token() {
        let text = "Ông Tô Lâm,  ký\n\nChỉ thị\u{200B}24.";
        let (t, said) = task(&record(text, &[]));
        assert!(said.is_empty());
        assert_eq!(rebuilt(&t), text);
        let toks: Vec<(&str, bool)> = t.tokens.iter().map(|k| (k.text.as_str(), k.ws)).collect();
        assert_eq!(
            toks,
            [
                ("Ông", true),
                ("Tô", true),
                ("Lâm", false),
                (",", true),
                (" ", false),
                ("ký", false),
                ("\n\n", false),
                ("Chỉ", true),
                ("thị", false),
                ("\u{200B}", false),
                ("24", false),
                (".", false)
            ]
        );
        for k in &t.tokens {
            let c: String = text.chars().skip(k.start).take(k.end - k.start).collect();
            assert_eq!(c, k.text);
        }
    }

    #[test]
    fn a_tag_inside_a_token_splits_it_and_is_said() {
        // "Lâ" of "Lâm" (NFD: a combining circumflex), and a tag ending with its trailing space
        let text = "Tô La\u{302}m ký";
        let (t, said) = task(&record(text, &[("x", "PERSON", 3, 6), ("y", "PERSON", 0, 3)]));
        assert_eq!(rebuilt(&t), text);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains("tag x") && said[0].contains("ends inside the token “La\u{302}m”"));
        let texts: Vec<&str> = t.tokens.iter().map(|k| k.text.as_str()).collect();
        assert_eq!(texts, ["Tô", " ", "La\u{302}", "m", "ký"]);
        let spans: Vec<(usize, usize, &str)> = t
            .spans
            .iter()
            .map(|s| (s.token_start, s.token_end, s.text.as_str()))
            .collect();
        assert_eq!(spans, [(2, 2, "La\u{302}"), (0, 1, "Tô ")]);
    }

    proptest::proptest! {
        /// On any text (NFD, emoji, line breaks, runs of spaces, zero-width and control
        /// characters) with tags anywhere: the tokens give the text back, slice it at their code
        /// points, and every tag is a span at its exact offsets on token boundaries.
        #[test]
        fn tokens_give_any_text_back_and_every_tag_falls_on_them(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "Tô", "La\u{302}m", " ", "  ", "\n", "\r\n", "\n\n", "\t", ".", ",", "😀", "👩‍👩‍👧",
                "\u{200B}", " \u{301}", "24/CT-TW", "\u{1}", "&<>",
            ]), 1..20),
            cuts in proptest::collection::vec((0usize..200, 0usize..200), 0..6),
        ) {
            let text: String = pieces.concat();
            let n = text.chars().count();
            let tags: Vec<(String, usize, usize)> = cuts
                .iter()
                .enumerate()
                .map(|(i, &(a, b))| (format!("t{i}"), a.min(b) % (n + 1), a.max(b) % (n + 1)))
                .filter(|(_, a, b)| a < b)
                .collect();
            let spec: Vec<(&str, &str, usize, usize)> =
                tags.iter().map(|(id, a, b)| (id.as_str(), "X", *a, *b)).collect();
            let (t, _) = task(&record(&text, &spec));
            proptest::prop_assert_eq!(rebuilt(&t), text.clone());
            let chars: Vec<char> = text.chars().collect();
            for (i, k) in t.tokens.iter().enumerate() {
                proptest::prop_assert_eq!(k.id, i);
                proptest::prop_assert!(!k.text.is_empty());
                proptest::prop_assert_eq!(chars[k.start..k.end].iter().collect::<String>(), k.text.clone());
            }
            proptest::prop_assert_eq!(t.spans.len(), spec.len());
            for (sp, (_, _, a, b)) in t.spans.iter().zip(&spec) {
                proptest::prop_assert_eq!((sp.start, sp.end), (*a, *b));
                proptest::prop_assert_eq!(t.tokens[sp.token_start].start, *a);
                proptest::prop_assert_eq!(t.tokens[sp.token_end].end, *b);
            }
        }
    }
}
