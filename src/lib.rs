//! gloss: a terminal reader and annotator for news corpora, Vietnamese first.
//!
//! This crate holds the two shells over the core ([`gloss_core`]): [`cli`], the subcommands, and
//! [`tui`], the terminal reader. They never import each other (a test keeps that); `main.rs`
//! dispatches to one or the other. [`sample`] is the sample corpus bundled in the binary.

pub mod cli;
pub mod sample;
pub mod tui;
