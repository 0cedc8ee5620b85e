//! The app: state plus the effects `update` asks for (reading articles, writing sidecars, session
//! memory). The loop in `run` and the tests drive the same `App`.

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::Keymap;
use super::state::{Pane, PendingTagAll, Reader, ResultItem, Severity, State, SuggestionSpan};
use super::theme::Theme;
use super::update::{Effect, update};
use super::view;
use gloss_core::annotation::{Change, HistoryEntry};
use gloss_core::corpus::search::{self, SearchEvent};
use gloss_core::corpus::{self, ArticleList, Summary};
use gloss_core::settings::{Dirs, UserConfig, login_name};
use gloss_core::store::scan::{self, ScanEvent, ScanSource};
use gloss_core::store::session::{Place, SESSIONS_FILE, Sessions};
use gloss_core::store::tag_index::{self, IndexEvent, TagGroups};
use gloss_core::store::{Document, SidecarDirs};
use gloss_core::suggest::Suggester;
use gloss_core::text::{escape_path, sanitize_inline};

/// A result as the list shows it: the hit in its line first (what matters, and what a narrow pane
/// keeps), then where it is.
fn result_line(h: &search::Hit, name: &str) -> String {
    format!("{}  · {name}:{}", h.context, h.line)
}

/// Give the memory the scan's threads freed back to the system (glibc keeps freed small blocks in
/// its arenas, which would count as resident for as long as gloss runs).
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How gloss was started.
#[derive(Debug, Clone)]
pub struct Options {
    /// The corpus folder.
    pub root: PathBuf,
    /// A mirror folder for sidecars, for corpora the user cannot write to.
    pub annotations: Option<PathBuf>,
    /// Overrides the configured annotator name.
    pub annotator: Option<String>,
    pub dirs: Dirs,
}

/// Where a crash left the open article's tags, and where they belong.
#[derive(Debug, Clone)]
pub struct Recovery {
    pub recovery: PathBuf,
    pub sidecar: PathBuf,
}

/// Articles up to this size get their suggestions at once; longer ones on a thread.
pub const SUGGEST_INLINE_BYTES: usize = 64 * 1024;

/// Show `found` (a suggester's suggestions in the reader's text) less what is tagged or rejected.
fn show_suggestions(
    r: &mut Reader,
    found: Vec<gloss_core::suggest::Suggestion>,
    labels: &gloss_core::annotation::LabelSet,
) {
    r.suggestions = r
        .doc
        .suggestions_from(found, labels)
        .into_iter()
        .map(|s| SuggestionSpan {
            label_index: labels.index_of(&s.label),
            label: s.label,
            bytes: s.bytes,
            source: s.source,
        })
        .collect();
}

/// What the learning thread hands back: the model (none when nothing is finished yet), or why
/// it could not train.
type LearnResult = Result<Option<gloss_core::suggest::model::Model>, String>;

/// A background job streaming into the results list.
enum Worker {
    Search(Receiver<SearchEvent>),
    Index {
        rx: Receiver<IndexEvent>,
        groups: TagGroups,
    },
}

/// State, keymap and theme, and the effects that touch the disk.
pub struct App {
    pub state: State,
    pub keymap: Keymap,
    pub theme: Theme,
    options: Options,
    /// Where the corpus's sidecars live.
    dirs: SidecarDirs,
    /// What tags made here snap to (from gloss.ron).
    anchoring: gloss_core::corpus::config::Anchoring,
    worker: Option<Worker>,
    /// The metadata scan, while it runs.
    scan: Option<Receiver<ScanEvent>>,
    /// The metadata scan, before it starts.
    pending_scan: Option<ScanSource>,
    /// Entries whose summary this session set (the scan must not overwrite them).
    touched: HashSet<usize>,
    /// When the list filter was last applied again during the scan.
    last_refilter: Option<std::time::Instant>,
    /// Finds suggestions; its gazetteer is every text tagged in the corpus. Shared with the thread
    /// that finds them in a long article.
    suggester: std::sync::Arc<Suggester>,
    /// Suggestions being found on a thread: for which entry and generation.
    suggesting: Option<(usize, u64, Receiver<Vec<gloss_core::suggest::Suggestion>>)>,
    gazetteer: std::collections::BTreeSet<(String, String)>,
    /// Texts tagged in the corpus, found by the scan, learnt when it ends.
    tagged: Vec<(String, String)>,
    /// The corpus's patterns (the model's features use their word lists).
    patterns: Vec<gloss_core::corpus::patterns::Pattern>,
    /// The model being trained (or read from the cache) on a background thread.
    learning: Option<Receiver<LearnResult>>,
    /// The finished articles changed while the model was training: train again after.
    learn_again: bool,
    /// When a save of the open article last failed (it is tried again a second later).
    save_failed: Option<std::time::Instant>,
    /// What to tell the user after the terminal is restored (unsaved tags written elsewhere).
    pub exit_note: Option<String>,
    /// Adjudicating: the annotators (name, where their sidecars are) whose tags are offered.
    sources: Vec<(String, SidecarDirs)>,
}

impl App {
    /// Open the corpus at `options.root` for a screen of `screen` cells.
    pub fn new(mut options: Options, screen: Rect) -> anyhow::Result<App> {
        options.root = corpus::open_root(&options.root)?;
        let root = options.root.clone();
        let found = corpus::discover(&root)?;
        let problems = found.problems;
        let index = ArticleList::from_paths(found.articles);
        let gloss_core::corpus::CorpusConfig {
            labels,
            relations,
            patterns,
            anchoring,
            annotator_trees,
        } = gloss_core::corpus::CorpusConfig::load(&root)?;
        let suggester = Suggester::new(&patterns).map_err(|e| anyhow::anyhow!(e))?;
        let config = UserConfig::load(&options.dirs.config_file())?;
        let keymap = Keymap::new(&labels, &config.keys)
            .map_err(|e| anyhow::anyhow!("{}: {e}", escape_path(&options.dirs.config_file())))?;
        let theme = Theme::new(&labels, &config.colors)
            .map_err(|e| anyhow::anyhow!("{}: {e}", escape_path(&options.dirs.config_file())))?;
        let annotator = options
            .annotator
            .clone()
            .or(config.annotator)
            .unwrap_or_else(login_name);
        // A team corpus keeps each annotator's sidecars in a tree of their own.
        if options.annotations.is_none()
            && let Some(trees) = &annotator_trees
        {
            options.annotations = Some(gloss_core::corpus::config::annotator_tree(
                &root, trees, &annotator,
            ));
        }
        let dirs = SidecarDirs::new(&root, options.annotations.as_deref());
        // The list shows names at once; metadata fills in from a background scan, started after
        // the first frame.
        let scan = Some(ScanSource {
            root: root.clone(),
            annotations: options.annotations.clone(),
            articles: index.shared_paths(),
            cache: Some(scan::cache_path(
                &options.dirs.cache,
                &root,
                options.annotations.as_deref(),
            )),
        });
        let mut state = State::new(index, labels, annotator, screen);
        state.relation_types = relations;
        // an unreadable registry: said, and never overwritten (linking is then refused)
        match gloss_core::entity::Registry::load(&root) {
            Ok(r) => state.entities = r,
            Err(e) => {
                state.entities_error = Some(e.to_string());
                state.error(format!("{e}: entity links are off until it is fixed"));
            }
        }
        state.sidecars_in = options.annotations.clone();
        state.tags_of = annotator_trees.is_some().then(|| state.annotator.clone());
        state.scan = Some((0, state.articles.len()));
        let mut app = App {
            state,
            keymap,
            theme,
            options,
            dirs,
            anchoring,
            worker: None,
            suggester: std::sync::Arc::new(suggester),
            suggesting: None,
            gazetteer: std::collections::BTreeSet::new(),
            tagged: Vec::new(),
            patterns,
            learning: None,
            learn_again: false,
            scan: None,
            pending_scan: scan,
            touched: HashSet::new(),
            last_refilter: None,
            save_failed: None,
            exit_note: None,
            sources: Vec::new(),
        };
        app.restore_place();
        app.state.relayout();
        app.refresh_suggestions();
        if app.state.annotator == gloss_core::settings::UNKNOWN_ANNOTATOR {
            app.state.error(
                "tags will record the annotator as “unknown”: give a name with --annotator NAME or annotator in config.ron",
            );
        }
        if let Err(why) = app.dirs.check_writable() {
            app.state.error(format!(
                "tags cannot be saved in this corpus ({why}): start gloss with --annotations DIR to keep them in a folder you can write"
            ));
            app.state.read_only_corpus = true;
        } else if let Some(first) = problems.first() {
            app.state.error(format!(
                "{} file(s) or folder(s) could not be read, e.g. {first}",
                problems.len()
            ));
        }
        Ok(app)
    }

    /// Draw a frame.
    pub fn draw(&self, frame: &mut Frame) {
        view::draw(frame, &self.state, &self.theme, &self.keymap);
    }

    /// Turn a terminal event into an action and carry it out.
    pub fn handle_event(&mut self, event: &Event) {
        if matches!(event, Event::Key(k) if k.kind != KeyEventKind::Release)
            && self.state.mode == super::state::Mode::Normal
            && matches!(self.state.message, Some((_, Severity::Info)))
        {
            // what the last key said is not news after the next one
            self.state.message = None;
        }
        let action = match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                if self.state.mode.is_prompt() {
                    Keymap::input(k).map(Action::Input)
                } else {
                    self.keymap.action(k)
                }
            }
            Event::Mouse(m) => match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                    column: m.column,
                    row: m.row,
                }),
                MouseEventKind::Drag(MouseButton::Left) => Some(Action::Drag {
                    column: m.column,
                    row: m.row,
                }),
                MouseEventKind::ScrollUp => Some(Action::Scroll {
                    column: m.column,
                    row: m.row,
                    delta: -3,
                }),
                MouseEventKind::ScrollDown => Some(Action::Scroll {
                    column: m.column,
                    row: m.row,
                    delta: 3,
                }),
                _ => None,
            },
            Event::Resize(w, h) => Some(Action::Resize {
                width: *w,
                height: *h,
            }),
            _ => None,
        };
        if let Some(a) = action {
            self.dispatch(a);
        }
    }

    /// Carry out an action and its effects.
    pub fn dispatch(&mut self, action: Action) {
        let effects = update(&mut self.state, action);
        self.run_effects(effects);
        self.state.relayout();
        self.refresh_suggestions();
    }

    /// Compute the open article's suggestions again if its tags (or the gazetteer, or the model)
    /// changed: at once in an article of up to [`SUGGEST_INLINE_BYTES`], on a thread in a longer
    /// one (so that no keystroke waits for them; the ones shown meanwhile lose what was just
    /// tagged).
    fn refresh_suggestions(&mut self) {
        let on = self.state.suggestions_on;
        let labels = &self.state.labels;
        let Some(r) = self.state.reader.as_mut() else {
            return;
        };
        if r.suggested_for == Some(r.generation) {
            return;
        }
        r.suggested_for = Some(r.generation);
        self.suggesting = None;
        if !on {
            r.suggestions.clear();
            return;
        }
        if r.text().len() <= SUGGEST_INLINE_BYTES {
            let found = self.suggester.suggest(r.text());
            show_suggestions(r, found, labels);
            return;
        }
        let annotations = r.doc.annotations();
        let chars = |b: &Range<usize>| r.doc.chars_of(b);
        r.suggestions
            .retain(|s| annotations.wants_suggestion(&s.label, &chars(&s.bytes)));
        let (tx, rx) = std::sync::mpsc::channel();
        let suggester = std::sync::Arc::clone(&self.suggester);
        let text = r.text().to_string();
        std::thread::spawn(move || {
            let _ = tx.send(suggester.suggest(&text));
        });
        self.suggesting = Some((r.entry, r.generation, rx));
    }

    /// Take in the suggestions found on a thread; `true` if they were shown.
    fn tick_suggestions(&mut self) -> bool {
        let Some((entry, generation, rx)) = self.suggesting.as_ref() else {
            return false;
        };
        let found = match rx.try_recv() {
            Ok(found) => found,
            Err(std::sync::mpsc::TryRecvError::Empty) => return false,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.suggesting = None;
                return false;
            }
        };
        let (entry, generation) = (*entry, *generation);
        self.suggesting = None;
        let labels = &self.state.labels;
        match self.state.reader.as_mut() {
            Some(r) if r.entry == entry && r.generation == generation => {
                show_suggestions(r, found, labels);
                true
            }
            _ => false,
        }
    }

    /// Are suggestions being found on a thread?
    pub fn suggesting(&self) -> bool {
        self.suggesting.is_some()
    }

    /// Add tagged texts to the gazetteer; `true` if it grew.
    fn learn(&mut self, tags: impl IntoIterator<Item = (String, String)>) -> bool {
        let before = self.gazetteer.len();
        self.gazetteer.extend(tags);
        if self.gazetteer.len() == before {
            return false;
        }
        std::sync::Arc::make_mut(&mut self.suggester).set_gazetteer(self.gazetteer.iter().cloned());
        if let Some(r) = self.state.reader.as_mut() {
            r.suggested_for = None;
        }
        true
    }

    /// Count what a corpus-wide tag-all would add, per article: the open article as it is in the
    /// reader, the others through their documents on disk (a broken sidecar is never written, so
    /// its article is left out).
    fn count_tag_all(&self, label: &str, text: &str, entity: Option<String>) -> PendingTagAll {
        let annotator = &self.state.annotator;
        let mut places = Vec::new();
        for i in 0..self.state.articles.len() {
            let count = |doc: &Document| -> Vec<Range<usize>> {
                doc.tag_all(label, text, None, annotator)
                    .iter()
                    .filter_map(|c| c.tag().map(|t| t.start..t.end))
                    .collect()
            };
            let ranges = match &self.state.reader {
                Some(r) if r.entry == i => count(&r.doc),
                _ => match Document::open(&self.dirs, &self.state.articles.path(i)) {
                    Ok(doc) if doc.read_only().is_none() => count(&doc),
                    _ => continue,
                },
            };
            if !ranges.is_empty() {
                places.push((i, ranges));
            }
        }
        PendingTagAll {
            label: label.to_string(),
            text: text.to_string(),
            entity,
            places,
        }
    }

    /// Tag what a confirmed tag-all counted (found again through each document, under its rules):
    /// the open article in memory, the others on disk; one undoable step.
    fn apply_tag_all(&mut self, pending: PendingTagAll) {
        let open = self.state.reader.as_ref().map(|r| r.entry);
        let annotator = self.state.annotator.clone();
        let mut elsewhere = Vec::new();
        let mut failed = Vec::new();
        let mut added = 0;
        let count = |cs: &[Change]| cs.iter().filter(|c| matches!(c, Change::Add(_))).count();
        for (entry, _) in &pending.places {
            if Some(*entry) == open {
                continue;
            }
            let path = self.state.articles.path(*entry);
            let result = self.change_on_disk(&path, |doc| {
                let all = doc.tag_all(
                    &pending.label,
                    &pending.text,
                    pending.entity.as_deref(),
                    &annotator,
                );
                doc.edit(all)
            });
            match result {
                Ok(changes) if !changes.is_empty() => {
                    added += count(&changes);
                    elsewhere.push((path, changes));
                }
                Ok(_) => {}
                Err(e) => failed.push(e.to_string()),
            }
        }
        if let Some(r) = self.state.reader.as_mut() {
            let local = if open.is_some_and(|o| pending.places.iter().any(|(e, _)| *e == o)) {
                let all = r.doc.tag_all(
                    &pending.label,
                    &pending.text,
                    pending.entity.as_deref(),
                    &annotator,
                );
                r.doc.edit(all)
            } else {
                Vec::new()
            };
            added += count(&local);
            r.refresh_spans(&self.state.labels);
            let mut step = HistoryEntry::new(r.doc.path().to_path_buf(), local);
            step.elsewhere = elsewhere;
            self.state.history.record(step);
        }
        self.save();
        if failed.is_empty() {
            self.state.info(format!(
                "tagged {added} “{}” as {}",
                sanitize_inline(&pending.text),
                pending.label
            ));
        } else {
            self.state.error(format!(
                "some articles were not tagged: {}",
                failed.join("; ")
            ));
        }
    }

    /// Change an article that is not open through its document: open, `change`, save (merging with
    /// any writer that saved meanwhile); the list's summary follows. Returns the changes made.
    fn change_on_disk(
        &mut self,
        article: &Path,
        change: impl FnOnce(&mut Document) -> Vec<Change>,
    ) -> gloss_core::Result<Vec<Change>> {
        let mut doc = Document::open(&self.dirs, article)?;
        if let Some(e) = doc.sidecar_error() {
            return Err(gloss_core::Error::invalid(
                doc.sidecar_path(),
                e.to_string(),
            ));
        }
        let changes = change(&mut doc);
        doc.save_if_changed()?;
        if let Some(i) = self.state.articles.position(article) {
            self.touched.insert(i);
            self.state
                .articles
                .edit_summary(i, |s| s.take_annotations(doc.annotations()));
        }
        Ok(changes)
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::CountTagAll {
                    label,
                    text,
                    entity,
                } => {
                    let pending = self.count_tag_all(&label, &text, entity);
                    crate::tui::suggestions::confirm_tag_all(&mut self.state, pending);
                }
                Effect::ApplyTagAll(p) => self.apply_tag_all(p),
                Effect::ApplyElsewhere(steps) => {
                    for (path, changes) in steps {
                        if let Err(e) = self.change_on_disk(&path, |doc| {
                            doc.replay(&changes);
                            changes.clone()
                        }) {
                            self.state.error(format!("NOT SAVED: {e}"));
                        }
                    }
                }
                Effect::Open {
                    entry,
                    cursor,
                    then,
                } => {
                    if self.open(entry, cursor)
                        && let Some(a) = then
                    {
                        self.dispatch(a);
                    }
                }
                Effect::Save => self.save(),
                Effect::CorpusSearch { query, exact } => {
                    let paths = self.state.articles.shared_paths();
                    self.worker = Some(Worker::Search(search::spawn(paths, query, exact)));
                }
                Effect::BuildTagIndex => {
                    let paths = self.state.articles.paths();
                    self.worker = Some(Worker::Index {
                        rx: tag_index::spawn(self.dirs.clone(), paths),
                        groups: TagGroups::default(),
                    });
                }
                Effect::ShowContext => self.show_context(),
                Effect::SaveEntities => self.save_entities(),
                Effect::Quit => {
                    self.save_entities();
                    if let Some(note) = self.keep_unsaved() {
                        self.exit_note = Some(note);
                    }
                    self.save_place();
                    self.state.quit = true;
                }
            }
        }
    }

    /// Show each item of the results list in its article's line, around the text it points at.
    fn show_context(&mut self) {
        let Some(res) = self.state.results.as_mut() else {
            return;
        };
        let mut cache: Option<(usize, String)> = None;
        for item in &mut res.items {
            if cache.as_ref().is_none_or(|(e, _)| *e != item.entry) {
                let text = corpus::Article::read(&self.state.articles.path(item.entry))
                    .map(|a| a.text)
                    .unwrap_or_default();
                cache = Some((item.entry, text));
            }
            let Some((_, text)) = &cache else { continue };
            let index = gloss_core::text::CharIndex::new(text);
            let (Some(a), Some(b)) = (
                index.char_to_byte(text, item.chars.start),
                index.char_to_byte(text, item.chars.end),
            ) else {
                continue;
            };
            #[allow(clippy::single_range_in_vec_init)] // one hit: a list of one range
            if let Some(h) = search::hits_at(text, vec![a..b]).pop() {
                item.line = result_line(&h, &self.state.articles.name(item.entry));
            }
        }
    }

    /// Take in what the metadata scan has found; `true` if anything changed.
    fn tick_scan(&mut self) -> bool {
        if let Some(source) = self.pending_scan.take() {
            self.scan = Some(scan::spawn(source));
        }
        self.tick_learning();
        let Some(rx) = self.scan.as_ref() else {
            return false;
        };
        let mut changed = false;
        let mut done = false;
        let mut saved = false;
        for ev in rx.try_iter() {
            match ev {
                ScanEvent::Summaries(batch) => {
                    changed = true;
                    let n = batch.len();
                    for (i, s) in batch {
                        if !self.touched.contains(&i) {
                            self.state.articles.set_summary(i, s);
                        }
                    }
                    if let Some((d, _)) = self.state.scan.as_mut() {
                        *d += n;
                    }
                }
                ScanEvent::Tagged(t) => self.tagged.extend(t),
                ScanEvent::Done { .. } => {
                    changed = true;
                    done = true;
                }
                ScanEvent::Saved => saved = true,
            }
        }
        if done {
            self.state.scan = None;
            // the list's buffers in order now, so that the first keystroke in the filter is quick
            self.state.articles.settle();
            // the gazetteer (every text tagged in the corpus) came with the scan
            let tagged = std::mem::take(&mut self.tagged);
            if self.learn(tagged) {
                self.refresh_suggestions();
            }
            // the model learns from the articles the scan found reviewed or done
            self.start_learning();
        }
        if saved {
            self.scan = None;
            give_back_freed_memory();
        }
        // An active filter may depend on metadata: apply it again as summaries arrive, but at most
        // twice a second (it walks the whole list), and once more at the end.
        let due = self
            .last_refilter
            .is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(500));
        if changed && !self.state.list.filter.is_empty() && (done || due) {
            self.state.apply_filter();
            self.last_refilter = Some(std::time::Instant::now());
        }
        changed
    }

    /// Train the model on the corpus's reviewed and done articles (or take it from the cache) on a
    /// background thread; if a training is under way, train again when it is over. The articles
    /// are those the metadata scan found reviewed or done (the thread opens only those, not every
    /// sidecar of the corpus): while the scan runs, learning waits for its end.
    fn start_learning(&mut self) {
        if self.learning.is_some() {
            self.learn_again = true;
            return;
        }
        if self.scanning() {
            return;
        }
        self.learn_again = false;
        let (tx, rx) = std::sync::mpsc::channel();
        let dirs = self.dirs.clone();
        let articles = self
            .state
            .articles
            .finished_paths(gloss_core::training::MAX_TRAINING_ARTICLES);
        let patterns = self.patterns.clone();
        let cache = gloss_core::training::cache::path(
            &self.options.dirs.cache,
            &self.options.root,
            self.options.annotations.as_deref(),
        );
        std::thread::spawn(move || {
            let result =
                gloss_core::training::load_or_train(&dirs, &articles, &patterns, Some(&cache))
                    .map_err(|e| e.to_string());
            let _ = tx.send(result);
        });
        self.learning = Some(rx);
    }

    /// Take in the model when the learning thread is done.
    fn tick_learning(&mut self) {
        let Some(rx) = self.learning.as_ref() else {
            return;
        };
        let result = match rx.try_recv() {
            Ok(r) => r,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("the learning thread stopped".into())
            }
        };
        self.learning = None;
        match result {
            Ok(model) => {
                std::sync::Arc::make_mut(&mut self.suggester)
                    .set_model(model.map(std::sync::Arc::new));
                if let Some(r) = self.state.reader.as_mut() {
                    r.suggested_for = None;
                }
                self.refresh_suggestions();
            }
            Err(e) => self.state.error(format!("the model could not learn: {e}")),
        }
        if self.learn_again {
            self.start_learning();
        }
    }

    /// Is the model learning?
    pub fn learning(&self) -> bool {
        self.learning.is_some()
    }

    /// Is a model in use?
    pub fn has_model(&self) -> bool {
        self.suggester.has_model()
    }

    /// Wait for the model to be learnt (for tests and benchmarks).
    pub fn finish_learning(&mut self) {
        while self.learning.is_some() || self.scanning() {
            if !self.tick_scan() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }

    /// Is the metadata scan still running?
    pub fn scanning(&self) -> bool {
        self.pending_scan.is_some() || self.state.scan.is_some()
    }

    /// Wait for the metadata scan to finish (for tests and benchmarks).
    pub fn finish_scan(&mut self) {
        while self.scanning() {
            if !self.tick_scan() {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }
    }

    /// Wait for the metadata scan to finish and to write its cache (written after the list is
    /// complete, while gloss is already in use).
    pub fn finish_scan_and_cache(&mut self) {
        self.finish_scan();
        while self.scan.is_some() {
            self.tick_scan();
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    /// Take in what background work has found; `true` if anything changed.
    pub fn tick(&mut self) -> bool {
        if self
            .save_failed
            .is_some_and(|t| t.elapsed() >= std::time::Duration::from_secs(1))
        {
            self.save_failed = None;
            self.save();
        }
        let scanned = self.tick_scan();
        self.refresh_suggestions();
        let scanned = self.tick_suggestions() || scanned;
        let Some(worker) = self.worker.as_mut() else {
            return scanned;
        };
        let mut changed = scanned;
        let mut done = false;
        match worker {
            Worker::Search(rx) => {
                for ev in rx.try_iter() {
                    changed = true;
                    match ev {
                        SearchEvent::Hits { hits, .. } => {
                            for (entry, found) in hits {
                                let name = self.state.articles.name(entry).into_owned();
                                if let Some(res) = self.state.results.as_mut() {
                                    res.items.extend(found.into_iter().map(|h| ResultItem {
                                        entry,
                                        line: result_line(&h, &name),
                                        chars: h.chars,
                                        occurrences: Vec::new(),
                                    }));
                                }
                            }
                        }
                        SearchEvent::Done { .. } => done = true,
                    }
                }
            }
            Worker::Index { rx, groups } => {
                for ev in rx.try_iter() {
                    changed = true;
                    match ev {
                        IndexEvent::Tags { entry, tags } => {
                            let labels = &self.state.labels;
                            groups.add(entry, tags, |l| labels.index_of(l));
                        }
                        IndexEvent::Done => done = true,
                    }
                }
                if changed && let Some(res) = self.state.results.as_mut() {
                    res.items = groups
                        .iter()
                        .map(|(label, g)| ResultItem {
                            entry: g.occurrences[0].0,
                            chars: g.occurrences[0].1.clone(),
                            line: format!(
                                "{label:<10} {}  ×{} in {} article(s)",
                                sanitize_inline(&g.text),
                                g.occurrences.len(),
                                g.articles()
                            ),
                            occurrences: g.occurrences.clone(),
                        })
                        .collect();
                }
            }
        }
        if done {
            self.worker = None;
            if let Some(res) = self.state.results.as_mut() {
                res.running = false;
            }
        }
        changed
    }

    /// Wait until the background work is done (for tests and scripts).
    pub fn finish_background(&mut self) {
        while self.worker.is_some() {
            if !self.tick() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
    }

    /// Read entry `entry` into the reader; `false` if it could not be read. Tags found again after
    /// the article changed (or given new ids) are saved at once, so every path sees them.
    fn open(&mut self, entry: usize, cursor: Option<usize>) -> bool {
        if entry >= self.state.articles.len() {
            return false;
        }
        let path = self.state.articles.path(entry);
        let kept = self.keep_unsaved();
        let doc = match Document::open(&self.dirs, &path) {
            // (a gold set takes the annotators' spans exactly)
            Ok(d) if !self.sources.is_empty() => d,
            Ok(d) => d.with_anchoring(self.anchoring),
            Err(err) => {
                self.state.error(err.to_string());
                self.state
                    .articles
                    .edit_summary(entry, |s| s.problem = Some(err.to_string()));
                return false;
            }
        };
        let note = doc.open_note();
        let width = self.state.wrap_width();
        let candidates = self.candidates_for(&doc);
        let mut reader = Reader::new(entry, doc, &self.state.labels, width);
        reader.candidates = candidates;
        reader.relayout(width, self.state.reading);
        match cursor.and_then(|c| reader.byte_of_char(c)) {
            Some(b) => reader.set_cursor(b),
            // the first thing to read (and tag), not the white space before it
            None => {
                let first = reader.text().len() - reader.text().trim_start().len();
                reader.set_cursor(first);
            }
        }
        reader.follow_cursor(self.state.text_height());
        self.state.message = None;
        self.touched.insert(entry);
        self.state.articles.edit_summary_or(
            entry,
            || Summary::of(reader.doc.article()),
            |s| s.take_annotations(reader.tags()),
        );
        let unsaved = reader.doc.is_unsaved();
        self.state.reader = Some(reader);
        self.state.focus = Pane::Reader;
        self.state.select_entry(entry);
        if unsaved {
            self.save();
        }
        match (self.state.reader.as_ref().and_then(|r| r.read_only()), note) {
            (Some(why), _) => {
                let why = why.to_string();
                self.state.error(format!("read-only: {why}"));
            }
            (None, Some(note))
                if !self
                    .state
                    .message
                    .as_ref()
                    .is_some_and(|m| m.1 == Severity::Error) =>
            {
                self.state.info(note)
            }
            _ => {}
        }
        if let Some(kept) = kept {
            self.state.error(kept);
        }
        self.save_place();
        true
    }

    /// Adjudicate: offer the tags of the annotators whose sidecars are in `sources` (name, folder) for
    /// the open sidecars, which become the gold set.
    pub fn adjudicate(&mut self, sources: Vec<(String, PathBuf)>) {
        self.state.adjudicating = Some(sources.iter().map(|(n, _)| n.clone()).collect());
        self.sources = sources
            .into_iter()
            .map(|(n, p)| (n, SidecarDirs::new(&self.options.root, Some(&p))))
            .collect();
        self.state.suggestions_on = false;
        if let Some(entry) = self.state.reader.as_ref().map(|r| r.entry) {
            let cursor = self.state.reader.as_ref().map(|r| r.cursor_char());
            self.open(entry, cursor);
        }
    }

    /// The annotators' candidates for the article at `path`, placed in `doc`'s text.
    fn candidates_for(&self, doc: &Document) -> Vec<super::state::CandidateSpan> {
        let sets: Vec<(String, gloss_core::annotation::AnnotationSet)> = self
            .sources
            .iter()
            .filter_map(|(name, dirs)| {
                let d = Document::open(dirs, doc.path()).ok()?;
                Some((name.clone(), d.annotations().clone()))
            })
            .collect();
        let refs: Vec<(String, &gloss_core::annotation::AnnotationSet)> =
            sets.iter().map(|(n, s)| (n.clone(), s)).collect();
        gloss_core::adjudication::candidates(&refs)
            .into_iter()
            .filter_map(|c| {
                Some(super::state::CandidateSpan {
                    bytes: doc.bytes_of(&(c.start..c.end))?,
                    label_index: self.state.labels.index_of(&c.label),
                    candidate: c,
                })
            })
            .collect()
    }

    /// Before the open article is let go (another opens, gloss quits): if it has changes that could
    /// not be saved, try once more, and if that fails write them to a recovery file. Returns what to
    /// tell the user, if anything.
    pub fn keep_unsaved(&mut self) -> Option<String> {
        let r = self.state.reader.as_mut()?;
        if !r.doc.is_unsaved() || r.read_only().is_some() {
            return None;
        }
        if r.doc.save().is_ok() {
            return None;
        }
        let name = escape_path(r.doc.path());
        Some(match self.write_recovery()? {
            Ok(rec) => format!(
                "the unsaved tags of {name} were written to {} (to restore them: cp {} {})",
                escape_path(&rec.recovery),
                escape_path(&rec.recovery),
                escape_path(&rec.sidecar)
            ),
            Err(e) => format!("the tags of {name} could not be saved nor kept: {e}"),
        })
    }

    /// Write the open article's sidecar (merging with another session's save).
    /// Write the entity registry if it changed (never one that could not be read).
    fn save_entities(&mut self) {
        if !self.state.entities.is_unsaved() || self.state.entities_error.is_some() {
            return;
        }
        if let Err(e) = self.state.entities.save() {
            self.state.error(format!("NOT SAVED: {e}"));
        }
    }

    fn save(&mut self) {
        let Some(r) = self.state.reader.as_mut() else {
            return;
        };
        if r.read_only().is_some() {
            return;
        }
        let status_before = self.state.articles.status(r.entry);
        match r.doc.save() {
            Ok(saved) => {
                self.save_failed = None;
                let status = r.doc.status();
                let finished = |s: gloss_core::annotation::Status| {
                    matches!(
                        s,
                        gloss_core::annotation::Status::Done
                            | gloss_core::annotation::Status::Reviewed
                    )
                };
                let relearn = finished(status) || status_before.is_some_and(finished);
                let now = gloss_core::annotation::timestamp();
                self.state.last_save = Some(now.get(11..19).unwrap_or(&now).to_string());
                r.refresh_spans(&self.state.labels);
                self.state
                    .articles
                    .edit_summary(r.entry, |s| s.take_annotations(r.doc.annotations()));
                let learned: Vec<(String, String)> = r
                    .doc
                    .tags()
                    .iter()
                    .filter(|t| !t.orphaned && !t.is_rejected())
                    .map(|t| (t.label.clone(), t.text.clone()))
                    .collect();
                self.learn(learned);
                if relearn {
                    self.start_learning();
                }
                if !saved.conflicts.is_empty() {
                    self.state.error(format!(
                        "another session changed the same tags; both versions kept: {}",
                        saved.conflicts.join("; ")
                    ));
                } else if saved.merged + saved.same_tags > 0 {
                    self.state.info(format!(
                        "merged {} change(s) saved by another session ({} tag(s) it made too, kept once)",
                        saved.merged, saved.same_tags
                    ));
                }
            }
            Err(e) => {
                self.save_failed = Some(std::time::Instant::now());
                self.state
                    .error(format!("NOT SAVED (tried again every second): {e}"));
            }
        }
    }

    /// Write the open article's tags to a recovery file in the data folder (after a crash).
    /// `None` when no article is open.
    pub fn write_recovery(&self) -> Option<gloss_core::Result<Recovery>> {
        let r = self.state.reader.as_ref()?;
        let stem = r
            .doc
            .path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stamp = gloss_core::annotation::timestamp().replace(':', "");
        let recovery = self
            .options
            .dirs
            .data
            .join("recovery")
            .join(format!("{stem}-{stamp}.ron"));
        let sidecar = r.doc.to_sidecar();
        Some(
            gloss_core::files::write_atomic(&recovery, sidecar.to_ron().as_bytes()).map(|()| {
                Recovery {
                    recovery,
                    sidecar: r.doc.sidecar_path().to_path_buf(),
                }
            }),
        )
    }

    fn sessions_path(&self) -> PathBuf {
        self.options.dirs.data.join(SESSIONS_FILE)
    }

    /// Remember the open article and cursor for this corpus.
    pub fn save_place(&mut self) {
        let Some(r) = &self.state.reader else { return };
        let key = self.options.root.to_string_lossy().into_owned();
        let place = Place {
            article: self.state.articles.name(r.entry).into_owned(),
            cursor: r.cursor_char(),
        };
        let path = self.sessions_path();
        let mut sessions = Sessions::load(&path).unwrap_or_default();
        if sessions.corpora.get(&key) == Some(&place) {
            return;
        }
        sessions.corpora.insert(key, place);
        if let Err(e) = sessions.save(&path) {
            self.state
                .error(format!("could not remember the place: {e}"));
        }
    }

    fn restore_place(&mut self) {
        let key = self.options.root.to_string_lossy().into_owned();
        let Ok(sessions) = Sessions::load(&self.sessions_path()) else {
            return;
        };
        let Some(place) = sessions.corpora.get(&key) else {
            return;
        };
        if let Some(i) = self.state.articles.position_of_name(&place.article) {
            self.open(i, Some(place.cursor));
        }
    }
}
