//! Suggestions: spans gloss proposes to tag, never exported until accepted. They come from the
//! patterns of `gloss.ron` ([`crate::corpus::patterns`], the built-ins by default: Vietnamese
//! personal names, numbered and named directives, clauses led by task words), compiled here into
//! matchers; from a gazetteer of every text already tagged in the corpus; and from a model learnt
//! from the corpus's tags ([`model`]). All are pure functions of text, word lists and a training
//! set: what reads the corpus to train the model is above the store (`training`).
//!
//! - `suggester`: the sources together, one suggestion per label and place;
//! - `matcher`: a pattern compiled, of one of the kinds `after_title`, [`person`], `named`,
//!   `clause` (or a regular expression);
//! - `gazetteer`: texts already tagged, found again;
//! - [`lexicon`]: the word lists the name and clause patterns and the model's features share;
//! - [`words`]: the words of a text and word lists matched by key;
//! - [`model`]: the CRF per label, its features, training and tagging;
//! - `occurrences`: what tag-all tags.

mod after_title;
mod clause;
mod gazetteer;
pub mod lexicon;
mod matcher;
pub mod model;
mod named;
mod occurrences;
pub mod person;
mod suggester;
pub mod words;

pub use lexicon::Lexicon;
pub use lexicon::PersonLists;
pub use occurrences::occurrences;
pub use suggester::{MAX_SUGGEST_BYTES, Source, Suggester, Suggestion};
