//! gloss: a terminal reader and annotator for news corpora, Vietnamese first.
//!
//! Layers (dependencies point down):
//! - [`cli`] and [`tui`]: the command line and the terminal shell; they never import each other;
//! - the core, which knows nothing of terminals:
//!   - [`export`]: dataset formats and stats, fed records read through the document;
//!   - [`store`]: sidecars on disk and [`store::Document`], the open annotated article, the one way
//!     anything reads or changes a sidecar; the metadata scan, the tag index, session memory;
//!   - [`suggest`]: patterns and the gazetteer;
//!   - [`annotation`]: labels, tags, tag sets, changes and undo history, the three-way merge;
//!   - [`corpus`]: finding and parsing articles, the compact path list and article list (a million
//!     articles in a few hundred megabytes), corpus search, the corpus settings;
//!   - [`text`]: offsets, folding, the same-text key, motions, layout, display sanitizing;
//!   - [`files`]: bounded reads (by path, or by name in a folder held open) and atomic writes
//!     (whole, or streamed); [`settings`]: the user's folders and config;
//!     [`error`]: the one error type, naming the file.

pub mod adjudication;
pub mod agreement;
pub mod annotation;
pub mod cli;
pub mod corpus;
pub mod error;
pub mod export;
pub mod files;
pub mod settings;
pub mod store;
pub mod suggest;
pub mod text;
pub mod tui;

pub use error::{Error, Result};
