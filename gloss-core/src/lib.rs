//! gloss's core: news articles, their annotations and sidecars, suggestions, exports and measures.
//! It knows nothing of terminals or command lines (it does not depend on a crate that does); the
//! `gloss` binary's two shells, the command line and the TUI, are built on it.
//!
//! Layers (dependencies point down):
//!   - [`project`]: the project's figures (per annotator, label, day, status, article label; active
//!     time), summed from each article's sidecar: `gloss stats --by annotator…` and the dashboard;
//!   - [`stats`]: `gloss stats`' figures over exported records, per label and person, and per
//!     entity over the graph format's corpus graph;
//!   - [`formats`]: the dataset formats, one file each with its writer and its reader side by
//!     side, behind one registry ([`formats::ALL`]) that the command line's export and import go
//!     through;
//!   - [`export`]: the record an article is exported as, read through the document;
//!   - [`import`]: the records a format's reader gives, what readers share, the checks of a
//!     record against its article, its matching to an article and the merge into its sidecar
//!     through the document (the merge rules of an import);
//!   - [`eval`]: comparing two annotation sets (P/R/F1 per label, exact and overlap, confusion);
//!   - [`agreement`]: agreement over tokens (Cohen's κ, Krippendorff's α);
//!   - [`adjudication`]: several annotators' tags of an article as candidates for a gold set;
//!   - [`assignment`]: who annotates which article, and the share set aside for agreement
//!     (`assignment.ron`, merged three ways);
//!   - [`training`]: the corpus's model, trained on its finished articles read through the store,
//!     or taken from the model cache;
//!   - [`entity`]: the registry of people and directives (saved under the store's lock);
//!   - [`store`]: sidecars on disk and [`store::Document`], the open annotated article, the one way
//!     anything reads or changes a sidecar; the metadata scan, the tag index, session memory;
//!   - [`suggest`]: suggestions from the patterns (compiled from [`corpus::patterns`]), the
//!     gazetteer and the model ([`suggest::model`], a CRF per label learnt from a training set),
//!     all pure functions of text and word lists; tag-all's occurrences;
//!   - [`corpus`]: finding and parsing articles, the compact path list and article list (a million
//!     articles in a few hundred megabytes), corpus search, the corpus settings and the suggestion
//!     patterns they hold, as data;
//!   - [`annotation`]: labels, tags, tag sets, changes and undo history, the three-way merge;
//!   - [`text`]: offsets, folding, the same-text key, motions, layout, display sanitizing, the
//!     tokens (syllables and punctuation marks);
//!   - [`files`]: bounded reads (by path, or by name in a folder held open) and atomic writes
//!     (whole, or streamed); [`json`]: JSON as gloss writes it (exports and `--json` reports),
//!     escaped for line readers and terminals; [`settings`]: the user's folders and config;
//!     [`error`]: the one error type, naming the file.

pub mod adjudication;
pub mod agreement;
pub mod annotation;
pub mod assignment;
pub mod corpus;
pub mod entity;
pub mod error;
pub mod eval;
pub mod export;
pub mod files;
pub mod formats;
pub mod import;
pub mod json;
pub mod project;
pub mod settings;
pub mod stats;
pub mod store;
pub mod suggest;
pub mod text;
pub mod training;

pub use error::{Error, Result};
