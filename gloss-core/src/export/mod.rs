//! Exports: one writer per format behind [`crate::formats::RecordWriter`], fed one document at a time.

pub mod record;
pub mod stats;

pub use record::{Record, TagFilter, document_id};
