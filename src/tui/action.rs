//! What the user means: every key, click and scroll becomes an [`Action`] through the keymap.
//! (What comes back from the work `update` asks for is an [`super::effect::Outcome`]; both reach
//! the state through `update`.)

use serde::Deserialize;

use gloss_core::annotation::Status;

/// A cursor motion; in the article list the vertical ones move the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Motion {
    Up,
    Down,
    Left,
    Right,
    WordForward,
    WordBackward,
    WordEnd,
    SentenceForward,
    SentenceBackward,
    LineStart,
    LineEnd,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

/// A key typed into a prompt (filter, search, note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum InputKey {
    Char(char),
    Backspace,
    Enter,
    Cancel,
    /// Tab, and the arrows up and down: completions and lists in prompts.
    Tab,
    Up,
    Down,
    /// The line editor's moves and deletions.
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Delete,
    DeleteWord,
    DeleteToStart,
    DeleteToEnd,
}

/// Everything the user can ask of gloss.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub enum Action {
    Quit,
    ToggleHelp,
    CloseHelp,
    /// The annotation guide, at the section of the label under the cursor.
    ShowGuide,
    /// The guide's next and previous heading.
    NextHeading,
    PrevHeading,
    /// The project's dashboard: progress, annotators, labels, days, time.
    ShowDashboard,
    /// Choose the article's labels (categories of gloss.ron).
    LabelArticle,
    SwitchPane,
    OpenSelected,
    NextArticle,
    PrevArticle,
    Move(Motion),
    ToggleSelection,
    SelectSentence,
    /// Tag the selection (or the word under the cursor) with the label of this name (re-labelling:
    /// the new label).
    ApplyLabel(String),
    /// Tag with the n-th label (1-based).
    ApplyLabelNumber(usize),
    /// A digit of a count (vim's): the motion or step after it repeats, a label key after it tags
    /// that many words, `enter` after it tags with label N.
    Count(usize),
    DeleteTag,
    NextTag,
    PrevTag,
    /// Jump to the next orphaned tag (its text was not found after the article changed).
    NextOrphan,
    /// Open the next article of my queue (the assignment's) not done yet.
    NextInQueue,
    Undo,
    Redo,
    /// Re-label the tag under the cursor: then its new label.
    Relabel,
    EditNote,
    /// `/`: filter the list, or search the article.
    Find,
    NextHit,
    PrevHit,
    /// Give up what is under way: the innermost first (see `update::cancel`).
    Cancel,
    /// Yes to the question asked (tag-all across the corpus).
    Confirm,
    /// Review mode: step through the tags, accepting or rejecting each.
    ToggleReview,
    /// Accept the tag under the cursor (in the relations list: the relation selected).
    Accept,
    /// Reject the tag under the cursor (in the relations list: the relation selected).
    Reject,
    /// Move the start of the tag under the cursor one word left (grow) or right (shrink).
    GrowStart,
    ShrinkStart,
    /// Move the end of the tag under the cursor one word right (grow) or left (shrink).
    GrowEnd,
    ShrinkEnd,
    /// A reviewer's comment on the tag under the cursor.
    EditComment,
    /// A comment on the whole article.
    EditArticleComment,
    /// Set the article's status: then the status.
    SetStatus,
    SetStatusTo(Status),
    /// Reading mode: text capped at 80 columns, centred, paragraphs spaced.
    ToggleReading,
    ToggleHighlights,
    /// Accent- and case-insensitive matching, or exact.
    ToggleExact,
    /// Search the whole corpus.
    FindInCorpus,
    /// Every distinct tagged text per label, with counts.
    TagIndex,
    /// Order the tag index A–Z or by count.
    OrderIndex,
    /// Of a tag in conflict (changed in two places), keep the version under the cursor.
    KeepVersion,
    /// Show only the corpus-search hits no tag holds, or all of them again.
    UntaggedOnly,
    NextSuggestion,
    PrevSuggestion,
    /// Accept the suggestion under the cursor (it becomes a tag).
    AcceptSuggestion,
    /// Accept every suggestion in the article.
    AcceptAllSuggestions,
    ToggleSuggestions,
    /// Give every other occurrence of the tag under the cursor's text the same label, in the
    /// article.
    TagAllInArticle,
    /// The same across the corpus, after saying how many it will add.
    TagAllInCorpus,
    /// Start a relation on the tag under the cursor (then enter on the other tag).
    StartRelation,
    /// The relation's type, by name or by number, when more than one fits.
    RelateAs(String),
    RelateNumber(usize),
    /// List the relations of the tag under the cursor (or of the article).
    ListRelations,
    /// In the relations list: go along the relation selected, to its other tag.
    FollowRelation,
    /// In the relations list: delete the relation selected.
    DeleteRelation,
    /// Link the tag under the cursor to an entity (a prompt that completes names).
    LinkEntity,
    /// Unlink the tag under the cursor from its entity.
    UnlinkEntity,
    /// Show or close the relation view: the article's relations as a tree beside the text.
    ToggleRelationView,
    /// Open (or close) the entities pane.
    ShowEntities,
    /// In the entities pane: list the mentions of the entity selected, across the corpus.
    EntityMentions,
    /// In the entities pane: rename the entity selected.
    RenameEntity,
    /// In the entities pane: mark the entity selected; on another, merge the marked one into it.
    MergeEntity,
    /// In the entities pane: delete the entity selected (refused while a tag names it).
    DeleteEntity,
    /// Adjudicating: the next (previous) disagreement not settled yet.
    NextCandidate,
    PrevCandidate,
    /// Adjudicating: take the annotator's tag under the cursor into the gold set.
    TakeCandidate,
    /// Adjudicating: take every tag all annotators agree on.
    TakeAgreed,
    /// Adjudicating: reject the annotator's tag under the cursor (or delete the gold tag there).
    RejectCandidate,
    /// In a prompt's keymap, any character: it is typed (the keymap turns it into `Input(Char)`).
    TypeChar,
    /// A key typed into a prompt.
    Input(InputKey),
    /// A key was pressed (before its action): what the last key said is not news any more.
    #[serde(skip)]
    KeyPressed {
        /// When (seconds since 1970), for the active time.
        at: u64,
    },
    /// Time passes (the loop's poll): retries that wait for a moment.
    #[serde(skip)]
    Tick,
    /// Select code points `start..end` of the open article (after jumping to a hit).
    #[serde(skip)]
    SelectChars {
        start: usize,
        end: usize,
    },
    /// A click at a screen cell.
    #[serde(skip)]
    Click {
        column: u16,
        row: u16,
    },
    /// A drag with the button held, to a screen cell.
    #[serde(skip)]
    Drag {
        column: u16,
        row: u16,
    },
    /// The wheel: rows to scroll (negative: up).
    #[serde(skip)]
    Scroll {
        column: u16,
        row: u16,
        delta: i32,
    },
    #[serde(skip)]
    Resize {
        width: u16,
        height: u16,
    },
}

impl Action {
    /// One line for the help screen.
    pub fn describe(&self) -> String {
        use Motion::*;
        match self {
            Action::Quit => "quit".into(),
            Action::ToggleHelp => "show or hide this help".into(),
            Action::CloseHelp => "close".into(),
            Action::ShowGuide => "the annotation guide, at the label under the cursor".into(),
            Action::NextHeading => "next section".into(),
            Action::PrevHeading => "previous section".into(),
            Action::ShowDashboard => "the project's dashboard (progress, annotators, time)".into(),
            Action::LabelArticle => "label the article (its categories)".into(),
            Action::SwitchPane => "switch between list and reader".into(),
            Action::OpenSelected => "open the selected article".into(),
            Action::NextArticle => "next article".into(),
            Action::PrevArticle => "previous article".into(),
            Action::Move(m) => match m {
                Up => "up a line",
                Down => "down a line",
                Left => "left a character",
                Right => "right a character",
                WordForward => "next word",
                WordBackward => "previous word",
                WordEnd => "end of word",
                SentenceForward => "next sentence (in a selection: to the sentence's end)",
                SentenceBackward => "previous sentence",
                LineStart => "start of row",
                LineEnd => "end of row",
                PageUp => "page up",
                PageDown => "page down",
                Top => "start of text / first article",
                Bottom => "end of text / last article",
            }
            .into(),
            Action::ToggleSelection => "start or end a selection".into(),
            Action::SelectSentence => "select the sentence under the cursor, its final period and closing quotes left out".into(),
            Action::ApplyLabel(l) => format!("tag selection or word as {l}"),
            Action::ApplyLabelNumber(n) => format!("tag selection or word with label {n}"),
            Action::Count(_) => "a count: 4e 3w 2> repeat the step; 3p tags three words as PERSON; \
                                 2 enter tags with label 2"
                .into(),
            Action::DeleteTag => "delete the tag under the cursor".into(),
            Action::NextTag => "next tag".into(),
            Action::PrevTag => "previous tag".into(),
            Action::NextOrphan => {
                "next orphaned tag (text not found after the article changed)".into()
            }
            Action::NextInQueue => {
                "next article of my queue (assignment.ron) not done yet".into()
            }
            Action::Undo => "undo".into(),
            Action::Redo => "redo".into(),
            Action::Relabel => "re-label the tag under the cursor (then a label key)".into(),
            Action::EditNote => "edit the note of the tag under the cursor".into(),
            Action::Find => "list: filter · reader: search (accent-insensitive)".into(),
            Action::NextHit => "next search hit".into(),
            Action::PrevHit => "previous search hit".into(),
            Action::Cancel => "cancel: clear selection, search or prompt".into(),
            Action::Confirm => "yes".into(),
            Action::ToggleReview => "review mode: step through tags, accept or reject each".into(),
            Action::Accept => "accept the tag under the cursor".into(),
            Action::Reject => "reject the tag under the cursor (kept, left out of exports)".into(),
            Action::GrowStart => "tag under the cursor: start one word earlier".into(),
            Action::ShrinkStart => "tag under the cursor: start one word later".into(),
            Action::GrowEnd => "tag under the cursor: end one word later, or over a closing quote or bracket".into(),
            Action::ShrinkEnd => "tag under the cursor: end one word earlier".into(),
            Action::EditComment => "reviewer's comment on the tag under the cursor".into(),
            Action::EditArticleComment => "comment on the whole article".into(),
            Action::SetStatus => {
                "article status, then n new · i in progress · d done · r reviewed · w needs work"
                    .into()
            }
            Action::SetStatusTo(s) => format!("status {}", s.name()),
            Action::ToggleReading => "reading mode: 80 columns, centred, paragraphs spaced".into(),
            Action::ToggleHighlights => "show or hide tag highlights".into(),
            Action::ToggleExact => "search: accent-insensitive or exact".into(),
            Action::FindInCorpus => "search the whole corpus (enter jumps to a hit)".into(),
            Action::TagIndex => {
                "index of tagged texts per label (enter lists occurrences, / narrows it)".into()
            }
            Action::OrderIndex => "tag index: A–Z (Vietnamese order) or by count".into(),
            Action::KeepVersion => {
                "a tag in CONFLICT (changed in two places): keep this version, delete the other"
                    .into()
            }
            Action::UntaggedOnly => "corpus search: only the hits not tagged yet, or all".into(),
            Action::NextSuggestion => "next suggestion".into(),
            Action::PrevSuggestion => "previous suggestion".into(),
            Action::AcceptSuggestion => "accept the suggestion under the cursor".into(),
            Action::AcceptAllSuggestions => "accept every suggestion in the article".into(),
            Action::ToggleSuggestions => "show or hide suggestions".into(),
            Action::TagAllInArticle => {
                "tag every occurrence of the tag under the cursor, here".into()
            }
            Action::TagAllInCorpus => {
                "tag every occurrence of the tag under the cursor, in the corpus (asks first)"
                    .into()
            }
            Action::StartRelation => {
                "relation from the tag under the cursor: move to the other tag, enter, then its type"
                    .into()
            }
            Action::RelateAs(t) => format!("relation of type {t}"),
            Action::RelateNumber(n) => format!("relation of the type numbered {n}"),
            Action::ListRelations => {
                "relations of the tag (or article): enter jumps along, x deletes, a/X review".into()
            }
            Action::FollowRelation => "go along the relation to its other tag".into(),
            Action::DeleteRelation => "delete the relation".into(),
            Action::LinkEntity => {
                "link the tag to an entity (tab completes; a new name makes one)".into()
            }
            Action::UnlinkEntity => "unlink the tag from its entity".into(),
            Action::ToggleRelationView => {
                "relation view: the article's relations as a tree (follows the cursor; enter jumps)"
                    .into()
            }
            Action::ShowEntities => {
                "entities: the registry, with mentions (rename, merge, delete, jump)".into()
            }
            Action::EntityMentions => "list its mentions across the corpus".into(),
            Action::RenameEntity => "rename it".into(),
            Action::MergeEntity => "merge: m on one, then m on the one it is the same as".into(),
            Action::DeleteEntity => "delete it (only when no tag names it)".into(),
            Action::NextCandidate => "next disagreement not settled".into(),
            Action::PrevCandidate => "previous disagreement not settled".into(),
            Action::TakeCandidate => "take the annotator's tag under the cursor".into(),
            Action::TakeAgreed => "take every tag all annotators agree on".into(),
            Action::RejectCandidate => {
                "reject the annotator's tag under the cursor (or delete the gold tag)".into()
            }
            Action::TypeChar => "typed".into(),
            Action::Input(k) => match k {
                InputKey::Enter => "done",
                InputKey::Cancel => "give up",
                InputKey::Backspace => "erase a character",
                InputKey::Tab => "complete (again: the next completion)",
                InputKey::Up => "previous completion",
                InputKey::Down => "next completion",
                InputKey::Char(_) => "typed",
                InputKey::Left => "cursor left",
                InputKey::Right => "cursor right",
                InputKey::WordLeft => "a word left",
                InputKey::WordRight => "a word right",
                InputKey::Home => "to the start",
                InputKey::End => "to the end",
                InputKey::Delete => "erase the character under the cursor",
                InputKey::DeleteWord => "erase the word before the cursor",
                InputKey::DeleteToStart => "erase to the start",
                InputKey::DeleteToEnd => "erase to the end",
            }
            .into(),
            Action::KeyPressed { .. }
            | Action::Tick
            | Action::SelectChars { .. }
            | Action::Click { .. }
            | Action::Drag { .. }
            | Action::Scroll { .. }
            | Action::Resize { .. } => String::new(),
        }
    }
}
