//! The TUI's state: everything a frame is drawn from. No terminal, no disk.

use std::ops::Range;
use std::path::PathBuf;

use ratatui::layout::Rect;

use gloss_core::annotation::{Annotation, AnnotationSet, History, LabelSet, RelationTypes};
use gloss_core::corpus::ArticleList;
pub use gloss_core::corpus::list::ListFilter;
use gloss_core::entity::Registry;
use gloss_core::store::Document;
use gloss_core::store::tag_index::TagGroups;
use gloss_core::suggest::Suggester;
use gloss_core::text::fold::Folded;

use gloss_core::text::{Layout, motion};

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Reader,
}

/// What keys mean right now: the one value the keymap's section is chosen by
/// ([`super::keymap::Keymap::sections`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// The help screen, scrolled down `scroll` lines.
    Help {
        scroll: usize,
    },
    /// Typing a list filter.
    Filter,
    /// Typing the words the tag index's rows must hold.
    IndexFilter,
    /// Typing a search in the article.
    Search,
    /// Typing the note of a tag.
    Note {
        tag: String,
    },
    /// Waiting for a label key to re-label a tag.
    Relabel {
        tag: String,
    },
    /// Typing a reviewer's comment on a tag.
    Comment {
        tag: String,
    },
    /// Typing the article's comment.
    ArticleComment,
    /// Waiting for a status key.
    SetStatus,
    /// Typing a corpus search.
    CorpusSearch,
    /// Waiting for y (or anything else: no) to a question.
    Confirm,
    /// Waiting for the key of a relation type (from the tag `head` to the tag `tail`).
    RelationType {
        head: String,
        tail: String,
    },
    /// The list of relations of the tag `of` (of the article when `None`).
    Relations {
        of: Option<String>,
        selected: usize,
    },
    /// Typing the entity of the tag `tag` (of `label`); `choice` is the completion tab took.
    LinkEntity {
        tag: String,
        label: String,
        choice: Option<usize>,
    },
    /// The entities pane (`M`) has the keyboard.
    Entities,
    /// Typing the new name of the entity `id`, from the entities pane.
    RenameEntity {
        id: String,
    },
    /// The annotation guide, scrolled to line `scroll`.
    Guide {
        scroll: usize,
    },
    /// Choosing the article's labels: a key per value.
    Categorize,
    /// The project's dashboard.
    Dashboard,
}

impl Mode {
    /// Does the mode read typed text (rather than commands)?
    pub fn is_prompt(&self) -> bool {
        matches!(
            self,
            Mode::Filter
                | Mode::IndexFilter
                | Mode::Search
                | Mode::Note { .. }
                | Mode::Comment { .. }
                | Mode::ArticleComment
                | Mode::CorpusSearch
                | Mode::LinkEntity { .. }
                | Mode::RenameEntity { .. }
        )
    }
}

/// A line of the results list (corpus search hits, the tag index, its occurrences).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultItem {
    /// The entry it points into, and the code points to select there.
    pub entry: usize,
    pub chars: std::ops::Range<usize>,
    /// What the list shows (sanitized).
    pub line: String,
    /// For tag-index rows: the occurrences it stands for.
    pub occurrences: Vec<(usize, std::ops::Range<usize>)>,
    /// For corpus-search hits: the label of the tag the hit is in already.
    pub tagged: Option<String>,
}

/// The results list shown in place of the article list.
#[derive(Debug, Clone, Default)]
pub struct Results {
    pub title: String,
    pub items: Vec<ResultItem>,
    pub selected: usize,
    pub offset: usize,
    /// Still streaming in.
    pub running: bool,
    /// It is the tag index (`o` orders it, `/` narrows it).
    pub of_index: bool,
    /// For a corpus search: every hit in order (`items` holds those shown), and whether only the
    /// hits no tag holds are shown (`f`).
    pub hits: Vec<ResultItem>,
    pub untagged_only: bool,
}

/// The order of the tag index's rows within a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndexOrder {
    /// Vietnamese alphabetical order (`text::collate`).
    #[default]
    Alphabetical,
    /// Most occurrences first.
    Count,
}

/// How loud a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Error,
}

/// A tag as drawn: its bytes in the text and its label's position in the label set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSpan {
    pub bytes: Range<usize>,
    pub label: Option<usize>,
    pub id: String,
    /// It has relations (drawn underlined).
    pub related: bool,
}

/// A suggestion as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionSpan {
    pub bytes: Range<usize>,
    pub label: String,
    pub label_index: Option<usize>,
    /// Where it comes from (shown when it is stepped to).
    pub source: gloss_core::suggest::Source,
}

/// An annotator's tag offered for the gold set, as drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateSpan {
    pub bytes: Range<usize>,
    pub label_index: Option<usize>,
    pub candidate: gloss_core::adjudication::Candidate,
}

/// The relation view's place (`T`, [`super::relation_view`]): which row is selected, and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelationView {
    pub selected: usize,
}

/// The entities pane's place (`M`, [`super::entities`]) and what it knows of the corpus.
#[derive(Debug, Clone, Default)]
pub struct EntityPane {
    pub selected: usize,
    pub offset: usize,
    /// The entity `m` marked, to merge into the next one `m` is pressed on.
    pub marked: Option<String>,
    /// Every tag of the corpus that names an entity; `None` while they are being counted.
    pub mentions: Option<Vec<gloss_core::store::corpus_edit::Mention>>,
}

/// Tag-all across the corpus: what to tag, counted, waiting for the user's yes, then applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingTagAll {
    pub label: String,
    pub text: String,
    /// The entity the new tags link to (the copied tag's).
    pub entity: Option<String>,
    /// Code-point ranges to tag, per entry.
    pub places: Vec<(usize, Vec<Range<usize>>)>,
    /// Once applied in the open article: the undo step the other articles' changes join.
    pub step: Option<u64>,
}

/// The article open in the reader: the core document and how it is shown.
#[derive(Debug)]
pub struct Reader {
    /// Position in the article list.
    pub entry: usize,
    /// The article and its annotations; every change goes through it.
    pub doc: Document,
    /// Suggestions not yet accepted or rejected, sorted by start; set by the app.
    pub suggestions: Vec<SuggestionSpan>,
    /// When adjudicating: every annotator's tags of this article, settled or not.
    pub candidates: Vec<CandidateSpan>,
    /// Bumped whenever the tags change, so that suggestions are computed again.
    pub generation: u64,
    /// The generation the suggestions were computed for.
    pub suggested_for: Option<u64>,
    /// Byte offset of the cursor (a grapheme start).
    pub cursor: usize,
    /// The other end of the selection, when selecting.
    pub anchor: Option<usize>,
    /// Column that up/down try to keep.
    pub want_col: Option<usize>,
    /// First row shown.
    pub scroll: usize,
    pub layout: Layout,
    /// Folded text for search, built on first search.
    pub folded: Option<Folded>,
    pub search: Option<Search>,
    /// Where a mouse drag started.
    pub drag_origin: Option<usize>,
}

/// A search in the open article.
#[derive(Debug, Clone)]
pub struct Search {
    pub query: String,
    pub hits: Vec<Range<usize>>,
    pub current: Option<usize>,
}

impl Reader {
    pub fn new(entry: usize, doc: Document, labels: &LabelSet, width: usize) -> Reader {
        let layout = Layout::new(doc.text(), width);
        let mut r = Reader {
            entry,
            doc,
            suggestions: Vec::new(),
            candidates: Vec::new(),
            generation: 0,
            suggested_for: None,
            cursor: 0,
            anchor: None,
            want_col: None,
            scroll: 0,
            layout,
            folded: None,
            search: None,
            drag_origin: None,
        };
        r.refresh_spans(labels);
        r
    }

    pub fn text(&self) -> &str {
        self.doc.text()
    }

    /// The tags and article fields.
    pub fn tags(&self) -> &AnnotationSet {
        self.doc.annotations()
    }

    /// Why the article cannot be tagged, if so.
    pub fn read_only(&self) -> Option<&str> {
        self.doc.read_only()
    }

    /// The tags changed: the suggestions are found again (the spans drawn are the tags', asked
    /// of the document for the rows on screen).
    pub fn refresh_spans(&mut self, _labels: &LabelSet) {
        self.generation += 1;
    }

    /// The tag of `t` as drawn, if it is (orphans and tags off the text are not).
    fn span_of(&self, t: &Annotation, labels: &LabelSet) -> Option<TagSpan> {
        if t.orphaned {
            return None;
        }
        Some(TagSpan {
            bytes: self.doc.bytes_of(&(t.start..t.end))?,
            label: labels.index_of(&t.label),
            id: t.id.clone(),
            related: self.doc.annotations().relations_of(&t.id).next().is_some(),
        })
    }

    /// The tags as drawn (sorted by start, then longer first) that touch or overlap bytes `b`:
    /// those of the rows on screen, found through the set's order (no walk of every tag).
    pub fn spans_touching(&self, b: Range<usize>, labels: &LabelSet) -> Vec<TagSpan> {
        let c = self.to_chars(&b);
        self.doc
            .tags()
            .touching(c.start, c.end)
            .filter_map(|t| self.span_of(t, labels))
            .filter(|s| s.bytes.start <= b.end && s.bytes.end >= b.start)
            .collect()
    }

    /// The first tag as drawn, in order, starting after byte `b` (`forward`), or the first of
    /// those starting where the last one starting before it starts.
    pub fn span_next_to(&self, b: usize, forward: bool, labels: &LabelSet) -> Option<TagSpan> {
        let c = self.doc.chars().byte_to_char(self.text(), b);
        let tags = self.doc.tags();
        if forward {
            return tags
                .starting_from(c + 1)
                .find_map(|t| self.span_of(t, labels));
        }
        let before = tags
            .starting_before(c)
            .rev()
            .find(|t| self.span_of(t, labels).is_some())?;
        tags.starting_from(before.start)
            .find_map(|t| self.span_of(t, labels))
    }

    /// (reviewed, total) tags and relations of the article, orphans left out.
    pub fn review_progress(&self) -> (usize, usize) {
        let tags = self.tags().tags().iter().filter(|t| !t.orphaned);
        let (mut reviewed, mut total) = (0, 0);
        for t in tags {
            total += 1;
            reviewed += usize::from(t.review.is_some());
        }
        for rel in self.tags().relations() {
            total += 1;
            reviewed += usize::from(rel.review.is_some());
        }
        (reviewed, total)
    }

    /// The candidates not yet settled in the gold set, in order.
    pub fn open_candidates(&self) -> Vec<&CandidateSpan> {
        let all: Vec<gloss_core::adjudication::Candidate> = self
            .candidates
            .iter()
            .map(|c| c.candidate.clone())
            .collect();
        let gold = self.doc.annotations();
        self.candidates
            .iter()
            .filter(|c| !gloss_core::adjudication::settled(gold, &all, &c.candidate))
            .collect()
    }

    /// The last position the cursor may take.
    pub fn max_cursor(&self) -> usize {
        let t = self.text();
        if t.is_empty() {
            0
        } else {
            motion::prev_grapheme(t, t.len())
        }
    }

    pub fn set_cursor(&mut self, b: usize) {
        let b = motion::floor_grapheme(self.text(), b.min(self.max_cursor()));
        self.cursor = b;
    }

    /// Put the cursor at `b`, ending any selection.
    pub fn jump_to(&mut self, b: usize) {
        self.set_cursor(b);
        self.want_col = None;
        self.anchor = None;
    }

    /// The selected bytes (both ends' graphemes included), or `None`.
    pub fn selection(&self) -> Option<Range<usize>> {
        let a = self.anchor?;
        let (lo, hi) = if a <= self.cursor {
            (a, self.cursor)
        } else {
            (self.cursor, a)
        };
        Some(lo..motion::next_grapheme(self.text(), hi))
    }

    /// Code-point offset of the cursor.
    pub fn cursor_char(&self) -> usize {
        self.doc.chars().byte_to_char(self.text(), self.cursor)
    }

    pub fn to_chars(&self, r: &Range<usize>) -> Range<usize> {
        self.doc.chars_of(r)
    }

    /// The byte of code point `c`, if in the text.
    pub fn byte_of_char(&self, c: usize) -> Option<usize> {
        self.doc.chars().char_to_byte(self.text(), c)
    }

    /// Rebuild the layout for a new width.
    pub fn relayout(&mut self, width: usize, spaced: bool) {
        if self.layout.width() != width.max(1) || self.layout.spaced() != spaced {
            self.layout = Layout::with_spacing(self.doc.text(), width, spaced);
            self.scroll = self.scroll.min(self.layout.len().saturating_sub(1));
        }
    }

    /// Select bytes `r`: the anchor at its start, the cursor on its last grapheme (so that motions
    /// extend it from its end).
    pub fn select(&mut self, r: Range<usize>) {
        let last = motion::prev_grapheme(self.text(), r.end).max(r.start);
        self.anchor = Some(r.start);
        self.set_cursor(last);
        self.want_col = None;
    }

    /// Scroll so that a jump's target, bytes `r`, shows whole (when it fits) and at least a few rows
    /// from either edge of a view `height` rows high.
    pub fn reveal(&mut self, r: Range<usize>, height: usize) {
        let height = height.max(1);
        let margin = SCROLL_MARGIN.min(height.saturating_sub(1) / 2);
        let first = self.layout.row_of(r.start);
        let last = self
            .layout
            .row_of(motion::prev_grapheme(self.text(), r.end).max(r.start));
        let rows = last - first + 1;
        if rows + 2 * margin <= height {
            if first < self.scroll + margin {
                self.scroll = first.saturating_sub(margin);
            } else if last + margin >= self.scroll + height {
                self.scroll = last + margin + 1 - height;
            }
        } else {
            // too tall to show whole: its start, a margin from the top
            self.scroll = first.saturating_sub(margin);
        }
        self.scroll = self.scroll.min(self.layout.len().saturating_sub(1));
        self.follow_cursor(height);
    }

    /// Scroll so that the cursor row is within `height` rows of view.
    pub fn follow_cursor(&mut self, height: usize) {
        let height = height.max(1);
        let row = self.layout.row_of(self.cursor);
        if row < self.scroll {
            self.scroll = row;
        } else if row >= self.scroll + height {
            self.scroll = row + 1 - height;
        }
    }
}

/// The article list: which entries the filter keeps, and which is selected.
#[derive(Debug, Clone, Default)]
pub struct ListState {
    pub filter: String,
    /// Entry positions shown, in order (shared with [`ListState::typed`]).
    pub shown: std::sync::Arc<Vec<usize>>,
    /// Position in `shown`.
    pub selected: usize,
    /// First shown row.
    pub offset: usize,
    /// The filter `shown` was computed for, and the list's generation then: a filter that only
    /// narrows it is applied to `shown` alone.
    pub applied: Option<(ListFilter, u64)>,
    /// Results of the filters typed on the way to this one (text, list generation, shown), so that
    /// erasing back to one of them costs nothing.
    pub typed: Vec<(String, u64, std::sync::Arc<Vec<usize>>)>,
}

/// Positions kept in [`ListState::typed`] at most (a few filters of a million-article list).
const TYPED_KEPT: usize = 4_000_000;

/// Where the panes are on screen; computed from the screen size alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panes {
    pub list: Rect,
    pub reader: Rect,
    /// The part of the reader that shows text.
    pub text: Rect,
    pub status: Rect,
    pub prompt: Rect,
}

/// Rows kept between a jump's target and the edge of the view.
pub const SCROLL_MARGIN: usize = 3;

/// The widest text in reading mode.
pub const READING_WIDTH: usize = 80;

/// Lines of the reader's header (metadata) above the text.
pub const HEADER_LINES: u16 = 3;

/// Below this width the list and the reader share the screen by turns: the pane with the keyboard
/// takes it all.
pub const NARROW: u16 = 60;

impl Panes {
    /// The panes of a screen: the list a third of the width, however wide the screen (three fifths
    /// while it shows search results or the tag index, whose lines are long, and has the
    /// keyboard), the reader the rest; on a narrow screen only the pane with the keyboard.
    pub fn for_screen(area: Rect, focus: Pane, wide_list: bool) -> Panes {
        let body_h = area.height.saturating_sub(2);
        let list_w = if area.width < NARROW {
            match focus {
                Pane::List => area.width,
                Pane::Reader => 0,
            }
        } else if wide_list {
            area.width * 3 / 5
        } else {
            (area.width / 3).max(20.min(area.width))
        };
        let list = Rect::new(area.x, area.y, list_w, body_h);
        let reader = Rect::new(area.x + list_w, area.y, area.width - list_w, body_h);
        let inner_x = reader.x + 1;
        let inner_w = reader.width.saturating_sub(2);
        let text_y = reader.y + 1 + HEADER_LINES;
        let text_h = reader.height.saturating_sub(2 + HEADER_LINES);
        Panes {
            list,
            reader,
            text: Rect::new(inner_x, text_y, inner_w, text_h),
            status: Rect::new(area.x, area.y + body_h, area.width, 1.min(area.height)),
            prompt: Rect::new(
                area.x,
                area.y + body_h + 1,
                area.width,
                area.height.saturating_sub(body_h + 1).min(1),
            ),
        }
    }

    /// Width the reader's layout wraps to: one column is kept for a hanging space or the cursor at
    /// the end of a row.
    pub fn wrap_width(&self) -> usize {
        (self.text.width as usize).saturating_sub(1).max(1)
    }
}

/// Everything the TUI shows.
#[derive(Debug)]
pub struct State {
    pub articles: ArticleList,
    pub labels: LabelSet,
    /// The relation types tags may be joined by.
    pub relation_types: RelationTypes,
    /// The corpus's entities (`entities.ron`).
    pub entities: Registry,
    /// Why the registry could not be read, if so (it is then never written).
    pub entities_error: Option<String>,
    pub annotator: String,
    pub list: ListState,
    pub focus: Pane,
    pub mode: Mode,
    /// Text typed into the current prompt, with its cursor.
    pub prompt: Prompt,
    pub reader: Option<Reader>,
    pub history: History,
    pub message: Option<(String, Severity)>,
    /// When a sidecar was last written (HH:MM:SS, UTC).
    pub last_save: Option<String>,
    /// When a save of the open article last failed (it is tried again a second later).
    pub save_failed: Option<std::time::Instant>,
    /// Review mode: accepting or rejecting moves on to the next tag.
    pub review_mode: bool,
    /// A relation started from this tag, waiting for the other tag.
    pub relating: Option<String>,
    /// A count typed before a motion or a label key (`4e`, `3p`), as vim's.
    pub count: Option<usize>,
    /// The tag index's order (`o`) and the text its rows are narrowed to (`/` while it is shown).
    pub index_order: IndexOrder,
    pub index_filter: String,
    /// What was typed into a prompt before tab completed it.
    pub typed: String,
    /// Reading mode: text capped at [`READING_WIDTH`] columns, centred, paragraphs spaced.
    pub reading: bool,
    /// Tag highlights shown.
    pub highlights: bool,
    /// Searches match exactly (not accent- and case-insensitively).
    pub exact: bool,
    /// Corpus search hits or the tag index, shown in place of the article list.
    pub results: Option<Results>,
    /// The relation view (`T`), shown in place of the article list.
    pub relation_view: Option<RelationView>,
    /// The entities pane (`M`): where it is, and the mentions counted.
    pub entity_pane: Option<EntityPane>,
    /// The metadata scan's progress (done, total), while it runs.
    pub scan: Option<(usize, usize)>,
    /// Suggestions shown.
    pub suggestions_on: bool,
    /// A corpus-wide tag-all waiting for confirmation.
    pub pending: Option<PendingTagAll>,
    pub panes: Panes,
    /// The whole screen.
    pub screen: Rect,
    pub quit: bool,
    /// Sidecars cannot be written where they go (told at open).
    pub read_only_corpus: bool,
    /// The mirror folder sidecars are kept in (`--annotations`), if not beside the articles.
    pub sidecars_in: Option<PathBuf>,
    /// In a team corpus: whose tags are loaded.
    pub tags_of: Option<String>,
    /// Adjudicating: the annotators whose tags are offered (the open sidecars are the gold set).
    pub adjudicating: Option<Vec<String>>,
    /// When adjudicating: (settled, all) disagreements per entry, as counted on a thread (the open
    /// article's are its reader's, live).
    pub disagreements: std::collections::HashMap<usize, (usize, usize)>,
    /// An entity merge's tags are being moved in the other sidecars: the registry is saved once
    /// they are (at quit too), never before, so no sidecar names an entity it no longer has.
    pub relinking: bool,
    /// Entries whose summary this session set (the scan must not overwrite them).
    pub touched: std::collections::HashSet<usize>,
    /// When the list filter was last applied again during the scan.
    pub last_refilter: Option<std::time::Instant>,
    /// Finds suggestions; its gazetteer is every text tagged in the corpus, its model learnt from
    /// the finished articles.
    pub suggester: std::sync::Arc<Suggester>,
    /// The gazetteer's texts, (label, text).
    pub gazetteer: std::collections::BTreeSet<(String, String)>,
    /// Texts tagged in the corpus, found by the scan, learnt when it ends.
    pub tagged: Vec<(String, String)>,
    /// Suggestions are being found on a thread: for which entry and tag generation.
    pub suggesting: Option<(usize, u64)>,
    /// The model is learning on a thread; and the finished articles changed meanwhile (learn
    /// again after).
    pub learning: bool,
    pub learn_again: bool,
    /// The tag index as it streams in.
    pub index: Option<TagGroups>,
    /// A corpus tag-all counting or applying on a thread: articles done of total.
    pub tag_all: Option<(usize, usize)>,
    /// Quitting: waiting for the writes under way.
    pub quitting: bool,
    /// What to tell the user after the terminal is restored, one line each: every article whose
    /// tags this session wrote to a recovery file instead of its sidecar, and tags lost at a
    /// forced quit. Any of them makes gloss exit non-zero.
    pub exit_notes: Vec<String>,
    /// The open article's tags could be neither saved nor written to a recovery file (why): it
    /// stays open, its save is tried again, and `q` refuses to quit once.
    pub lost: Option<String>,
    /// `q` was refused because of [`State::lost`]: the next `q` quits all the same.
    pub quit_refused: bool,
    /// Quitting although the open article's tags will be lost (a second `q`, or a signal).
    pub force_quit: bool,
    /// What became of an article let go whose tags could not be saved (said once the next one
    /// shows).
    pub kept: Option<String>,
    /// Article labels' categories (gloss.ron).
    pub categories: Vec<gloss_core::corpus::config::Category>,
    /// The annotation guide: the labels' sections, then the corpus's guide file.
    pub guide: std::sync::Arc<gloss_core::corpus::guide::Guide>,
    /// Active time: when the last key was.
    pub stopwatch: Stopwatch,
    /// The dashboard's parts, per entry, as counted on a thread and kept by saves; `None` until
    /// counted.
    pub project: Option<std::collections::HashMap<usize, gloss_core::project::ArticleFigures>>,
    /// The dashboard's figures are being counted on a thread.
    pub project_counting: bool,
    /// The dashboard's figures as last summed (while it is open nothing else changes them).
    pub project_stats: Option<gloss_core::project::ProjectStats>,
    /// Where the dashboard's parts are read from: the corpus's sidecars or its annotators' trees,
    /// and its assignment.
    pub team: Option<std::sync::Arc<gloss_core::project::Team>>,
}

impl State {
    /// The list is widened for results (hits, the index) while it has the keyboard; reading one of
    /// them, the reader has its usual width back.
    pub fn wide_list(&self) -> bool {
        self.results.is_some() && self.focus == Pane::List
    }

    /// The tag index is the list shown.
    pub fn index_shown(&self) -> bool {
        self.index.is_some() && self.results.as_ref().is_some_and(|r| r.of_index)
    }

    pub fn new(articles: ArticleList, labels: LabelSet, annotator: String, screen: Rect) -> State {
        let mut s = State {
            entities: Registry::empty(articles.root.join(gloss_core::entity::ENTITIES_FILE)),
            entities_error: None,
            relation_types: RelationTypes::default(),
            articles,
            labels,
            annotator,
            list: ListState::default(),
            focus: Pane::List,
            mode: Mode::Normal,
            prompt: Prompt::default(),
            reader: None,
            history: History::default(),
            message: None,
            last_save: None,
            save_failed: None,
            review_mode: false,
            relating: None,
            count: None,
            index_order: IndexOrder::default(),
            index_filter: String::new(),
            typed: String::new(),
            reading: false,
            highlights: true,
            exact: false,
            results: None,
            relation_view: None,
            entity_pane: None,
            scan: None,
            suggestions_on: true,
            pending: None,
            panes: Panes::for_screen(screen, Pane::List, false),
            screen,
            quit: false,
            read_only_corpus: false,
            sidecars_in: None,
            tags_of: None,
            adjudicating: None,
            disagreements: Default::default(),
            relinking: false,
            touched: Default::default(),
            last_refilter: None,
            suggester: std::sync::Arc::new(
                Suggester::new(&[]).expect("a suggester of no patterns is made"),
            ),
            gazetteer: Default::default(),
            tagged: Vec::new(),
            suggesting: None,
            learning: false,
            learn_again: false,
            index: None,
            tag_all: None,
            quitting: false,
            exit_notes: Vec::new(),
            lost: None,
            quit_refused: false,
            force_quit: false,
            kept: None,
            categories: Vec::new(),
            guide: Default::default(),
            stopwatch: Default::default(),
            project: None,
            project_counting: false,
            project_stats: None,
            team: None,
        };
        s.apply_filter();
        s
    }

    /// Is the metadata scan still running?
    pub fn scanning(&self) -> bool {
        self.scan.is_some()
    }

    pub fn info(&mut self, m: impl Into<String>) {
        self.message = Some((m.into(), Severity::Info));
    }

    pub fn error(&mut self, m: impl Into<String>) {
        self.message = Some((m.into(), Severity::Error));
    }

    /// Recompute which entries the list shows; keep the selected entry when it still shows.
    pub fn apply_filter(&mut self) {
        let keep = self.list.shown.get(self.list.selected).copied();
        let filter = ListFilter::parse(&self.list.filter);
        let generation = self.articles.generation();
        let text = &self.list.filter;
        // only the filters on the way to this one are worth keeping
        self.list
            .typed
            .retain(|(t, g, _)| *g == generation && text.starts_with(t.as_str()));
        let applied = self
            .list
            .applied
            .as_ref()
            .filter(|(_, g)| *g == generation)
            .map(|(f, _)| f);
        self.list.shown =
            if let Some((_, _, shown)) = self.list.typed.iter().find(|(t, _, _)| t == text) {
                shown.clone()
            } else if applied == Some(&filter) {
                // (a space typed: the same words)
                self.list.shown.clone()
            } else if let Some(old) = applied.filter(|old| filter.narrows(old)) {
                let old = old.clone();
                self.articles
                    .filter_among(&filter, &old, &self.list.shown)
                    .into()
            } else {
                self.articles.filter(&filter).into()
            };
        if !self.list.typed.iter().any(|(t, _, _)| t == text) {
            self.list
                .typed
                .push((text.clone(), generation, self.list.shown.clone()));
        }
        while self
            .list
            .typed
            .iter()
            .map(|(_, _, s)| s.len())
            .sum::<usize>()
            > TYPED_KEPT
        {
            self.list.typed.remove(0);
        }
        self.list.applied = Some((filter, generation));
        self.list.selected = keep
            .and_then(|k| self.list.shown.iter().position(|&i| i == k))
            .unwrap_or(0);
    }

    /// The entry selected in the list.
    pub fn selected_entry(&self) -> Option<usize> {
        self.list.shown.get(self.list.selected).copied()
    }

    /// Select entry `i` in the list if it is shown.
    pub fn select_entry(&mut self, i: usize) {
        if let Some(p) = self.list.shown.iter().position(|&e| e == i) {
            self.list.selected = p;
        }
    }

    /// Place the panes again for the screen, the focus and what the list shows, and wrap the open
    /// article to the reader's width (only when that changed).
    pub fn relayout(&mut self) {
        let panes = Panes::for_screen(self.screen, self.focus, self.wide_list());
        if panes == self.panes {
            return;
        }
        self.panes = panes;
        let w = self.wrap_width();
        let spaced = self.reading;
        let h = self.text_height();
        if let Some(r) = self.reader.as_mut() {
            r.relayout(w, spaced);
            r.follow_cursor(h);
        }
    }

    pub fn text_height(&self) -> usize {
        self.panes.text.height as usize
    }

    /// Width the reader wraps to now.
    pub fn wrap_width(&self) -> usize {
        let w = self.panes.wrap_width();
        if self.reading {
            w.min(READING_WIDTH)
        } else {
            w
        }
    }

    /// Column of the screen where text rows start (centred in reading mode).
    pub fn text_x(&self) -> u16 {
        let full = self.panes.text.width as usize;
        let used = self.wrap_width() + 1;
        self.panes.text.x + (full.saturating_sub(used) / 2) as u16
    }
}

/// The line typed into a prompt and the cursor in it (a line editor: moves by character and word,
/// deletes either way, to the start or the end).
#[derive(Debug, Clone, Default)]
pub struct Prompt(tui_input::Input);

impl Prompt {
    pub fn text(&self) -> &str {
        self.0.value()
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.0.cursor()
    }

    /// Start over with `text`, the cursor at its end.
    pub fn set(&mut self, text: String) {
        self.0 = tui_input::Input::new(text);
    }

    pub fn clear(&mut self) {
        self.0.reset();
    }

    /// The text, leaving the prompt empty.
    pub fn take(&mut self) -> String {
        self.0.value_and_reset()
    }

    /// A character typed at the cursor.
    pub fn push(&mut self, c: char) {
        self.edit(tui_input::InputRequest::InsertChar(c));
    }

    /// Backspace: the character before the cursor goes.
    pub fn pop(&mut self) {
        self.edit(tui_input::InputRequest::DeletePrevChar);
    }

    pub fn edit(&mut self, request: tui_input::InputRequest) {
        self.0.handle(request);
    }

    /// Carry out `key` if it types or edits the line; `false` for a key that does neither (enter,
    /// esc, tab, up and down, which each prompt gives its own meaning).
    pub fn apply(&mut self, key: &super::action::InputKey) -> bool {
        use super::action::InputKey as K;
        use tui_input::InputRequest as R;
        let request = match key {
            K::Char(c) => R::InsertChar(*c),
            K::Backspace => R::DeletePrevChar,
            K::Left => R::GoToPrevChar,
            K::Right => R::GoToNextChar,
            K::WordLeft => R::GoToPrevWord,
            K::WordRight => R::GoToNextWord,
            K::Home => R::GoToStart,
            K::End => R::GoToEnd,
            K::Delete => R::DeleteNextChar,
            K::DeleteWord => R::DeletePrevWord,
            K::DeleteToStart => R::DeleteFromStart,
            K::DeleteToEnd => R::DeleteTillEnd,
            K::Enter | K::Cancel | K::Tab | K::Up | K::Down => return false,
        };
        self.edit(request);
        true
    }
}

/// When the last key was, and the idle limit.
#[derive(Debug, Clone)]
pub struct Stopwatch {
    /// Seconds since 1970 of the last key.
    pub last: Option<u64>,
    /// Pauses longer than this (seconds) are not counted.
    pub idle_limit: u64,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch {
            last: None,
            idle_limit: gloss_core::settings::IDLE_LIMIT,
        }
    }
}
