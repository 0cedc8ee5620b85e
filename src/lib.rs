//! gloss: a terminal reader and annotator for news corpora, Vietnamese first.
//!
//! Layers (dependencies point down):
//! - [`cli`] and [`tui`]: the command line and the terminal shell; they never import each other;
//! - [`export`], [`store`], [`annotation`], [`corpus`], [`text`], [`settings`]: the core, which knows
//!   nothing of terminals.

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
