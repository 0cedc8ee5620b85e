//! Import: tags made in other tools (or exported by gloss) read back, to be merged into sidecars
//! through the core [`crate::store::Document`].
//!
//! Each format's reader (in [`crate::formats`], with what readers share in [`read`]) gives
//! [`Incoming`] records: what the file says about one article (its id or file name, its text or
//! tokens when the format carries them) and its tags in the format's own units. [`catalog`] finds
//! the article a record is about; [`Incoming::resolve`] ([`resolve`]) checks a record against it
//! (the same text, or tokens that align with it), puts every tag in code points, checked against
//! the text, and makes the tags they become; [`merge`] merges the record's tags and relations into
//! the article's sidecar through the document.

pub mod catalog;
pub mod merge;
pub mod read;
pub mod resolve;

pub use resolve::{Resolved, align_tokens, token_key};

use crate::annotation::{Annotation, Review, Status};
use crate::text::offsets::Offsets;

/// What a record says the article is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The whole text (jsonl, doccano, brat's `.txt`).
    Text(String),
    /// The tokens, in order (CoNLL).
    Tokens(Vec<String>),
    /// Nothing: only each tag's quoted text can be checked (csv).
    Unknown,
}

/// The units of a record's offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Units {
    /// Unicode code points (Python's `text[start:end]`).
    Chars,
    /// UTF-16 code units (JavaScript, doccano's web interface).
    Utf16,
    /// Not said (no `--offsets`): UTF-16 code units, as doccano's web interface counts, unless the
    /// two readings differ (a character above U+FFFF before a span) and code points put every span
    /// end on a word's edge where UTF-16 units do not (see [`Incoming::reading`]).
    Utf16OrChars,
    /// Token indices, end exclusive (CoNLL).
    Tokens,
    /// Extended grapheme clusters (a doccano project in grapheme mode).
    Graphemes,
}

impl From<Offsets> for Units {
    fn from(o: Offsets) -> Self {
        match o {
            Offsets::Utf16 => Units::Utf16,
            Offsets::Codepoint => Units::Chars,
            Offsets::Grapheme => Units::Graphemes,
        }
    }
}

/// A tag as a file gives it: what is checked and resolved against the article (label, offsets,
/// quoted text) and what may be missing (id, annotator), and the rest of the tag it becomes as the
/// file carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingTag {
    /// The tag's id, when the file keeps gloss ids (jsonl, csv, brat's notes).
    pub id: Option<String>,
    /// As the file spells it (matched to the corpus's labels in any case).
    pub label: String,
    /// In the record's [`Units`].
    pub start: usize,
    pub end: usize,
    /// The quoted text, when the file has it: checked against the article.
    pub text: Option<String>,
    /// Who made it, when the file says.
    pub annotator: Option<String>,
    /// Every other field of the tag as the file carries it (the note, the review, the entity it
    /// mentions, …), the rest left empty: the tag it becomes is these fields with the ones above
    /// resolved ([`Resolved::to_annotation`]). Its own id, label, offsets, text, annotator and
    /// times are not read.
    pub carried: Annotation,
}

impl IncomingTag {
    /// A tag of `label` at `start..end` (in the record's units), with nothing else said.
    pub fn new(label: impl Into<String>, start: usize, end: usize) -> Self {
        IncomingTag {
            id: None,
            label: label.into(),
            start,
            end,
            text: None,
            annotator: None,
            carried: Annotation::default(),
        }
    }
}

/// A relation as a file gives it: its ends are indexes into the record's tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingRelation {
    /// The relation's id, when the file keeps gloss ids (jsonl, brat's notes).
    pub id: Option<String>,
    pub label: String,
    pub head: usize,
    pub tail: usize,
    pub annotator: Option<String>,
    pub review: Option<Review>,
}

/// One record of an import file: one article's tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// Where it is, for messages: `file:line` or a file name.
    pub origin: String,
    /// The article's id (its path below the corpus, `/`-separated) or file name, if given.
    pub id: Option<String>,
    pub content: Content,
    pub units: Units,
    /// The record itself says what its offsets count (gloss's doccano export writes
    /// `meta.offsets`): no reading is guessed.
    pub units_stated: bool,
    pub tags: Vec<IncomingTag>,
    /// Relations between its tags (jsonl, doccano's relation layout, brat).
    pub relations: Vec<IncomingRelation>,
    /// The article's status, if the file carries it (jsonl).
    pub status: Option<Status>,
    /// The comment on the article, if the file carries it (jsonl).
    pub comment: Option<String>,
    /// Article labels the file gives (jsonl, csv); empty when none.
    pub categories: crate::annotation::Categories,
    /// Active time the file gives (jsonl).
    pub time: crate::annotation::ActiveTime,
    /// What was read but cannot be imported (said, not fatal).
    pub warnings: Vec<String>,
}

/// Is `id` usable as a tag id (kept from the file)? Short, no white space, nothing invisible.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}
