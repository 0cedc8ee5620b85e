//! Where each corpus was left: the article and cursor, so reopening returns there.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::files::write_atomic;

/// A place in a corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Article path relative to the corpus root.
    pub article: String,
    /// Cursor, as a code-point offset.
    pub cursor: usize,
}

/// Places by annotator and corpus (absolute root path): two annotators on one machine each come
/// back to their own place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sessions {
    /// Places by corpus, of a gloss that kept one per corpus (read, as a last resort; no longer
    /// written to).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub corpora: BTreeMap<String, Place>,
    /// annotator → corpus → place.
    #[serde(default)]
    pub annotators: BTreeMap<String, BTreeMap<String, Place>>,
}

/// Largest session memory gloss reads, in bytes.
pub const MAX_SESSIONS_BYTES: u64 = 16 * 1024 * 1024;

/// File name in the data folder.
pub const SESSIONS_FILE: &str = "sessions.ron";

impl Sessions {
    /// Load from `path`; a missing file is an empty memory.
    pub fn load(path: &Path) -> Result<Sessions> {
        match crate::files::read_text(path, MAX_SESSIONS_BYTES, "the session memory")? {
            Some(t) => ron::from_str(&t).map_err(|e| Error::ron(path, e)),
            None => Ok(Sessions::default()),
        }
    }

    /// Where `annotator` left the corpus `corpus` (else where it was left when places were kept
    /// per corpus).
    pub fn place(&self, corpus: &str, annotator: &str) -> Option<&Place> {
        self.annotators
            .get(annotator)
            .and_then(|m| m.get(corpus))
            .or_else(|| self.corpora.get(corpus))
    }

    /// Remember that `annotator` left `corpus` at `place`; `false` when that was remembered.
    pub fn set_place(&mut self, corpus: &str, annotator: &str, place: Place) -> bool {
        let places = self.annotators.entry(annotator.to_string()).or_default();
        if places.get(corpus) == Some(&place) {
            return false;
        }
        places.insert(corpus.to_string(), place);
        true
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new())
            .expect("sessions always serialize");
        write_atomic(path, text.as_bytes())
    }
}
