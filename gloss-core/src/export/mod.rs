//! What is exported: an article as a [`Record`] (its text, metadata and status, the tags and
//! relations that can be trusted at their offsets), which a format's writer
//! ([`crate::formats::RecordWriter`]) is fed one at a time, and [`crate::stats`] counts.

pub mod normalize;
pub mod record;

pub use record::{Record, TagFilter, document_id};
