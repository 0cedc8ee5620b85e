//! What `update` asks the loop to do: the work that touches the disk or runs in the background.

use super::action::Action;
use super::state::PendingTagAll;
use gloss_core::annotation::Change;

/// Work for the loop: things `update` may not do itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read entry `entry` and show it in the reader, with the cursor at code point `cursor` if given,
    /// then run `then`.
    Open {
        entry: usize,
        cursor: Option<usize>,
        then: Option<Action>,
    },
    /// Write the open article's sidecar.
    Save,
    /// Write the corpus's entity registry.
    SaveEntities,
    /// Search every article of the corpus, streaming hits into the results list.
    CorpusSearch { query: String, exact: bool },
    /// Read every sidecar and list each distinct tagged text per label.
    BuildTagIndex,
    /// Count the untagged occurrences of `text` across the corpus (then ask to tag them).
    CountTagAll {
        label: String,
        text: String,
        entity: Option<String>,
    },
    /// Tag what the pending tag-all counted.
    ApplyTagAll(PendingTagAll),
    /// Apply changes to the sidecars of articles that are not open (undo/redo of a corpus step).
    ApplyElsewhere(Vec<(std::path::PathBuf, Vec<Change>)>),
    /// Show each result of the results list in the line of its article around it.
    ShowContext,
    /// Leave gloss.
    Quit,
}
