//! What `update` asks the loop to do (an [`Effect`]: the work that touches the disk or runs in the
//! background), and what comes back of it (an [`Outcome`], which reaches the state through
//! `update` like any action). `update` never does the work; [`super::runner`] never writes the
//! state.

use std::ops::Range;
use std::path::PathBuf;

use gloss_core::annotation::{AnnotationSet, Change};
use gloss_core::corpus::search::SearchEvent;
use gloss_core::entity::Registry;
use gloss_core::store::scan::ScanEvent;
use gloss_core::store::tag_index::IndexEvent;
use gloss_core::store::{Document, SaveDone};
use gloss_core::suggest::Suggestion;

use super::action::Action;
use super::state::{CandidateSpan, PendingTagAll};

/// Work for the loop: things `update` may not do itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read entry `entry` and show it in the reader, with the cursor at code point `cursor` if given,
    /// then run `then`. The open article is saved first if it has unsaved changes.
    Open {
        entry: usize,
        cursor: Option<usize>,
        then: Option<Action>,
    },
    /// Write the open article's sidecar; if that fails and `recover`, write its tags to a recovery
    /// file (the article is being let go).
    Save { recover: bool },
    /// Write the corpus's entity registry.
    SaveEntities,
    /// Remember the open article and cursor for this corpus.
    SavePlace,
    /// Search every article of the corpus, streaming hits into the results list.
    CorpusSearch { query: String, exact: bool },
    /// Read every sidecar and list each distinct tagged text per label.
    BuildTagIndex,
    /// Show each result of the results list in the line of its article around it.
    ShowContext,
    /// Find the suggestions of the open article on a thread (a long article).
    Suggest { entry: usize, generation: u64 },
    /// Train the model on the corpus's finished articles (or take it from the cache), on a thread.
    Learn,
    /// Count the untagged occurrences of a tag's text across the corpus, the open article left out
    /// (it is counted in memory), on a thread.
    CountTagAll(PendingTagAll),
    /// Tag what the pending tag-all counted in the articles that are not open, on a thread.
    ApplyTagAll(PendingTagAll),
    /// Apply changes to the sidecars of articles that are not open (undo/redo of a corpus step).
    ApplyElsewhere(Vec<(PathBuf, Vec<Change>)>),
    /// Find every tag of the corpus that names an entity (after the writes under way), on a
    /// thread.
    FindMentions,
    /// Move the tags naming the entity `from` to `into` in the articles that are not open (a
    /// merge), on a thread; their changes join the undo step `step`.
    Relink {
        from: String,
        into: String,
        step: u64,
    },
    /// Finish the writes under way, then let gloss end.
    Exit,
    /// Count each article's disagreements between the annotators (adjudicating), on a thread.
    CountDisagreements,
    /// Count each article's part of the project's figures (the dashboard), on a thread.
    CountProject,
    /// Count again one article's part (in a team's corpus, after a save: the others' trees are
    /// read again with it), on a thread.
    CountProjectArticle { entry: usize },
    /// The outcome of the save that ran in the background (`ok`: it wrote) is in the document:
    /// the next save of it may be taken (the one asked for meanwhile, or of edits made meanwhile).
    SaveApplied { ok: bool },
}

/// What an effect found or did, for `update`.
#[derive(Debug)]
pub enum Outcome {
    /// (entry, settled, all) disagreements of articles the annotators tagged (adjudicating).
    Disagreements(Vec<(usize, usize, usize)>),
    /// (entry, figures) of articles with a sidecar (the dashboard); `done`: the last batch.
    ProjectCounted {
        parts: Vec<(usize, gloss_core::project::ArticleFigures)>,
        done: bool,
        /// Read after a save: newer than the part kept.
        fresh: bool,
    },
    /// An article was read, with the annotators' candidates when adjudicating.
    Opened {
        entry: usize,
        doc: Box<Document>,
        candidates: Vec<CandidateSpan>,
        /// Annotators' sidecars that could not be read (naming them): the article opens read-only.
        problems: Vec<String>,
        cursor: Option<usize>,
        then: Option<Action>,
    },
    /// An article could not be read.
    OpenFailed { entry: usize, error: String },
    /// A save of the article at `article` (entry `entry`) ended.
    Saved {
        entry: usize,
        article: PathBuf,
        result: Result<Box<SaveDone>, String>,
        /// When the save failed and the tags were to be kept: the recovery file written, or why
        /// none could be.
        recovery: Option<Result<Recovery, String>>,
        /// It ran on the writer thread: once taken in, [`Effect::SaveApplied`] lets the next one go.
        background: bool,
        /// The live tags written as (label, text), each once (found where the save ran, for the
        /// gazetteer: the UI thread takes in what is new of them, not every tag).
        texts: Vec<(String, String)>,
    },
    /// Carry out this effect again: it waited for the save under way, whose outcome comes first.
    Again(Box<Effect>),
    /// The registry was written (the saved registry, merged with another writer's), or why not.
    EntitiesSaved(Result<Registry, String>),
    /// Something to tell the user.
    Said { error: bool, message: String },
    /// What the metadata scan found since the last time.
    Scan(Vec<ScanEvent>),
    /// What the corpus search found since the last time.
    Search(Vec<SearchEvent>),
    /// What the tag index found since the last time.
    Index(Vec<IndexEvent>),
    /// The line of each results item (by position) around its text.
    Context(Vec<(usize, String)>),
    /// The suggestions found on a thread for entry `entry` at tag generation `generation`.
    Suggested {
        entry: usize,
        generation: u64,
        found: Vec<Suggestion>,
    },
    /// The model learnt (none: nothing finished to learn from), or why it could not.
    Learnt(Result<Option<gloss_core::suggest::model::Model>, String>),
    /// A corpus tag-all's count or application went through `done` of `total` articles.
    TagAllProgress { done: usize, total: usize },
    /// The count of a corpus tag-all (the open article's places included).
    TagAllCounted(PendingTagAll),
    /// A corpus tag-all was applied to the articles that are not open.
    TagAllApplied {
        pending: PendingTagAll,
        /// Per article: the changes made and its annotations now.
        changed: Vec<(PathBuf, Vec<Change>, AnnotationSet)>,
        failed: Vec<String>,
    },
    /// Changes were applied to articles that are not open: their annotations now, and failures.
    AppliedElsewhere {
        changed: Vec<(PathBuf, AnnotationSet)>,
        failed: Vec<String>,
    },
    /// The tags of the corpus that name an entity.
    Mentions(Vec<gloss_core::store::corpus_edit::Mention>),
    /// The articles that are not open followed a merge (step `step`): per article the changes
    /// and its annotations now, and failures.
    Relinked {
        step: u64,
        changed: Vec<(PathBuf, Vec<Change>, AnnotationSet)>,
        failed: Vec<String>,
    },
    /// The writes under way are finished: gloss may end.
    Exited,
}

/// Where a failed save left the tags of an article, and where they belong.
#[derive(Debug, Clone)]
pub struct Recovery {
    pub recovery: PathBuf,
    pub sidecar: PathBuf,
}

impl Recovery {
    /// The command that merges the recovery file back into the sidecar (never a copy over it:
    /// another writer may have saved since).
    pub fn recover_command(&self) -> String {
        format!(
            "gloss recover {} {}",
            gloss_core::text::escape_path(&self.recovery),
            gloss_core::text::escape_path(&self.sidecar)
        )
    }
}

/// Code points to tag, per entry.
pub type Places = Vec<(usize, Vec<Range<usize>>)>;
