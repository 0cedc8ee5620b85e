//! The app: state plus the effects `update` asks for (reading articles, writing sidecars, session
//! memory). The loop in `run` and the tests drive the same `App`.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use anyhow::Context;
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::Keymap;
use super::state::{Pane, PendingTagAll, Reader, ResultItem, State, SuggestionSpan};
use super::theme::Theme;
use super::update::{Effect, update};
use super::view;
use crate::annotation::{Annotation, AnnotationSet, ArticleFields, Change};
use crate::corpus::search::{self, SearchEvent};
use crate::corpus::{self, Article, ArticleList, Summary};
use crate::settings::{Dirs, UserConfig, login_name};
use crate::store::reanchor::reanchor;
use crate::store::scan::{self, ScanEvent, ScanSource};
use crate::store::session::{Place, SESSIONS_FILE, Sessions};
use crate::store::tag_index::{self, IndexEvent};
use crate::store::{Sidecar, sha256_hex, sidecar_path, sync};
use crate::suggest::Suggester;
use crate::text::escape_path;
use crate::text::sanitize_inline;

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

/// Occurrences of one tagged text: the text as first seen, and (entry, code points) of each.
type IndexGroup = (String, Vec<(usize, Range<usize>)>);

/// A background job streaming into the results list.
enum Worker {
    Search(Receiver<SearchEvent>),
    Index {
        rx: Receiver<IndexEvent>,
        /// (label position, grouping key) → (shown text, occurrences)
        groups: BTreeMap<(usize, String), IndexGroup>,
    },
}

/// State, keymap and theme, and the effects that touch the disk.
pub struct App {
    pub state: State,
    pub keymap: Keymap,
    pub theme: Theme,
    options: Options,
    worker: Option<Worker>,
    /// The metadata scan, while it runs.
    scan: Option<Receiver<ScanEvent>>,
    /// The metadata scan, before it starts.
    pending_scan: Option<ScanSource>,
    /// Entries whose summary this session set (the scan must not overwrite them).
    touched: HashSet<usize>,
    /// When the list filter was last applied again during the scan.
    last_refilter: Option<std::time::Instant>,
    /// Finds suggestions; its gazetteer is every text tagged in the corpus.
    suggester: Suggester,
    gazetteer: std::collections::BTreeSet<(String, String)>,
    /// The corpus's tags, read in the background for the gazetteer.
    gazetteer_rx: Option<Receiver<IndexEvent>>,
}

impl App {
    /// Open the corpus at `options.root` for a screen of `screen` cells.
    pub fn new(mut options: Options, screen: Rect) -> anyhow::Result<App> {
        options.root = options.root.canonicalize().with_context(|| {
            format!(
                "{}: cannot open the corpus folder",
                escape_path(&options.root)
            )
        })?;
        let root = options.root.clone();
        let paths = corpus::discover(&root)?;
        let crate::corpus::CorpusConfig { labels, patterns } =
            crate::corpus::CorpusConfig::load(&root)?;
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
        // The list shows names at once; metadata fills in from a background scan, started after
        // the first frame.
        let scan = Some(ScanSource {
            root: root.clone(),
            annotations: options.annotations.clone(),
            articles: paths.clone(),
            cache: Some(scan::cache_path(
                &options.dirs.cache,
                &root,
                options.annotations.as_deref(),
            )),
        });
        let index = ArticleList::new(&root, paths);
        let mut state = State::new(index, labels, annotator, screen);
        state.scan = Some((0, state.articles.len()));
        let mut app = App {
            state,
            keymap,
            theme,
            options,
            worker: None,
            suggester,
            gazetteer: std::collections::BTreeSet::new(),
            gazetteer_rx: None,
            scan: None,
            pending_scan: scan,
            touched: HashSet::new(),
            last_refilter: None,
        };
        app.restore_place();
        app.refresh_suggestions();
        Ok(app)
    }

    /// Draw a frame.
    pub fn draw(&self, frame: &mut Frame) {
        view::draw(frame, &self.state, &self.theme, &self.keymap);
    }

    /// Turn a terminal event into an action and carry it out.
    pub fn handle_event(&mut self, event: &Event) {
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
        self.refresh_suggestions();
    }

    /// Compute the open article's suggestions again if its tags (or the gazetteer) changed.
    fn refresh_suggestions(&mut self) {
        let on = self.state.suggestions_on;
        let Some(r) = self.state.reader.as_mut() else {
            return;
        };
        if r.suggested_for == Some(r.generation) {
            return;
        }
        r.suggested_for = Some(r.generation);
        r.suggestions.clear();
        if !on || r.read_only.is_some() {
            return;
        }
        let text = &r.article.text;
        let mut found = self.suggester.suggest(text);
        // stored suggestions (gloss suggest) that still match the text
        for s in &r.tags.article.suggested {
            if let (Some(a), Some(b)) = (
                r.chars.char_to_byte(text, s.start),
                r.chars.char_to_byte(text, s.end),
            ) && text[a..b] == s.text
            {
                found.push(crate::suggest::Suggestion {
                    label: s.label.clone(),
                    bytes: a..b,
                    source: crate::suggest::Source::Pattern,
                });
            }
        }
        let labels = &self.state.labels;
        let mut spans: Vec<SuggestionSpan> = found
            .into_iter()
            .filter(|s| labels.get(&s.label).is_some())
            .filter(|s| r.tags.wants_suggestion(&s.label, &r.to_chars(&s.bytes)))
            .map(|s| SuggestionSpan {
                label_index: labels.index_of(&s.label),
                label: s.label,
                bytes: s.bytes,
            })
            .collect();
        spans.sort_by_key(|s| (s.bytes.start, std::cmp::Reverse(s.bytes.end)));
        spans.dedup_by(|a, b| a.bytes == b.bytes && a.label == b.label);
        r.suggestions = spans;
    }

    /// Add tagged texts to the gazetteer; `true` if it grew.
    fn learn(&mut self, tags: impl IntoIterator<Item = (String, String)>) -> bool {
        let before = self.gazetteer.len();
        self.gazetteer.extend(tags);
        if self.gazetteer.len() == before {
            return false;
        }
        self.suggester.set_gazetteer(self.gazetteer.iter().cloned());
        if let Some(r) = self.state.reader.as_mut() {
            r.suggested_for = None;
        }
        true
    }

    /// Count what a corpus-wide tag-all would add, per article.
    fn count_tag_all(&self, label: &str, text: &str) -> PendingTagAll {
        let mut places = Vec::new();
        for (i, e) in self.state.articles.entries.iter().enumerate() {
            let (article_text, tags) = match &self.state.reader {
                Some(r) if r.entry == i => (r.article.text.clone(), r.tags.clone()),
                _ => {
                    let Ok(a) = Article::read(&e.path) else {
                        continue;
                    };
                    if a.lossy {
                        continue;
                    }
                    let tags = match sync::read(&self.sidecar_of(&e.path)) {
                        Ok(s) => s.sidecar.map(|s| s.annotation_set()).unwrap_or_default(),
                        Err(_) => continue, // a broken sidecar is never written
                    };
                    (a.text, tags)
                }
            };
            let index = crate::text::CharIndex::new(&article_text);
            let ranges =
                crate::suggest::untagged_occurrences(&article_text, &index, &tags, label, text);
            if !ranges.is_empty() {
                places.push((i, ranges));
            }
        }
        PendingTagAll {
            label: label.to_string(),
            text: text.to_string(),
            places,
        }
    }

    /// Tag what a confirmed tag-all counted: the open article in memory, the others on disk; one
    /// undoable step.
    fn apply_tag_all(&mut self, pending: PendingTagAll) {
        let open = self.state.reader.as_ref().map(|r| r.entry);
        let annotator = self.state.annotator.clone();
        let mut local = Vec::new();
        let mut elsewhere = Vec::new();
        let mut failed = Vec::new();
        let mut added = 0;
        for (entry, ranges) in pending.places {
            let path = self.state.articles.entries[entry].path.clone();
            let Ok(article) = Article::read(&path) else {
                continue;
            };
            let index = crate::text::CharIndex::new(&article.text);
            let changes: Vec<Change> = ranges
                .iter()
                .filter_map(|c| {
                    let q = crate::store::quoted_at(&article.text, &index, c.start, c.end)?;
                    Some(Change::Add(Annotation::new(
                        &pending.label,
                        c.start,
                        c.end,
                        q,
                        &annotator,
                    )))
                })
                .collect();
            added += changes.len();
            if Some(entry) == open {
                local = changes;
            } else {
                match self.apply_to_sidecar(&path, &changes) {
                    Ok(()) => elsewhere.push((path, changes)),
                    Err(e) => failed.push(e.to_string()),
                }
            }
        }
        if let Some(r) = self.state.reader.as_mut() {
            for c in &local {
                c.apply(&mut r.tags);
            }
            r.refresh_spans(&self.state.labels);
            let mut step = crate::annotation::HistoryEntry::new(r.article.path.clone(), local);
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

    /// Apply changes to the sidecar of an article that is not open (under its lock, merging).
    fn apply_to_sidecar(&mut self, article: &Path, changes: &[Change]) -> crate::Result<()> {
        let text = Article::read(article)?.text;
        let Some(saved) = sync::update(&self.sidecar_of(article), article, &text, |set| {
            for c in changes {
                c.apply(set);
            }
            !changes.is_empty()
        })?
        else {
            return Ok(());
        };
        if let Some(i) = self.state.articles.position(article) {
            self.touched.insert(i);
            if let Some(s) = self.state.articles.entries[i].summary.as_mut() {
                s.take_annotations(&saved.set);
            }
        }
        Ok(())
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::CountTagAll { label, text } => {
                    let pending = self.count_tag_all(&label, &text);
                    crate::tui::suggestions::confirm_tag_all(&mut self.state, pending);
                }
                Effect::ApplyTagAll(p) => self.apply_tag_all(p),
                Effect::ApplyElsewhere(steps) => {
                    for (path, changes) in steps {
                        if let Err(e) = self.apply_to_sidecar(&path, &changes) {
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
                    let paths = self.state.articles.paths();
                    self.worker = Some(Worker::Search(search::spawn(paths, query, exact)));
                }
                Effect::BuildTagIndex => {
                    let paths = self.state.articles.paths();
                    self.worker = Some(Worker::Index {
                        rx: tag_index::spawn(
                            self.options.root.clone(),
                            self.options.annotations.clone(),
                            paths,
                        ),
                        groups: BTreeMap::new(),
                    });
                }
                Effect::Quit => {
                    self.save_place();
                    self.state.quit = true;
                }
            }
        }
    }

    /// Take in what the metadata scan has found; `true` if anything changed.
    fn tick_scan(&mut self) -> bool {
        if let Some(source) = self.pending_scan.take() {
            // the gazetteer (every text tagged in the corpus) is read alongside
            self.gazetteer_rx = Some(tag_index::spawn(
                source.root.clone(),
                source.annotations.clone(),
                source.articles.clone(),
            ));
            self.scan = Some(scan::spawn(source));
        }
        self.tick_gazetteer();
        let Some(rx) = self.scan.as_ref() else {
            return false;
        };
        let mut changed = false;
        let mut done = false;
        for ev in rx.try_iter() {
            changed = true;
            match ev {
                ScanEvent::Summaries(batch) => {
                    let n = batch.len();
                    for (i, s) in batch {
                        if !self.touched.contains(&i)
                            && let Some(e) = self.state.articles.entries.get_mut(i)
                        {
                            e.summary = Some(s);
                        }
                    }
                    if let Some((d, _)) = self.state.scan.as_mut() {
                        *d += n;
                    }
                }
                ScanEvent::Done { .. } => done = true,
            }
        }
        if done {
            self.scan = None;
            self.state.scan = None;
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

    /// Take in the corpus's tagged texts for the gazetteer, when they have all been read.
    fn tick_gazetteer(&mut self) {
        let Some(rx) = self.gazetteer_rx.as_ref() else {
            return;
        };
        let mut found = Vec::new();
        let mut done = false;
        for ev in rx.try_iter() {
            match ev {
                IndexEvent::Tags { tags, .. } => {
                    found.extend(tags.into_iter().map(|t| (t.label, t.text)));
                }
                IndexEvent::Done => done = true,
            }
        }
        if done {
            self.gazetteer_rx = None;
        }
        if !found.is_empty() {
            self.learn(found);
            self.refresh_suggestions();
        }
    }

    /// Is the metadata scan still running?
    pub fn scanning(&self) -> bool {
        self.scan.is_some() || self.pending_scan.is_some() || self.gazetteer_rx.is_some()
    }

    /// Wait for the metadata scan to finish (for tests and benchmarks).
    pub fn finish_scan(&mut self) {
        while self.scanning() {
            if !self.tick_scan() {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }
    }

    /// Take in what background work has found; `true` if anything changed.
    pub fn tick(&mut self) -> bool {
        let scanned = self.tick_scan();
        self.refresh_suggestions();
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
                                let name = &self.state.articles.entries[entry].name;
                                if let Some(res) = self.state.results.as_mut() {
                                    res.items.extend(found.into_iter().map(|h| ResultItem {
                                        entry,
                                        line: format!("{name}:{}  {}", h.line, h.context),
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
                            for t in tags {
                                let li = self.state.labels.index_of(&t.label).unwrap_or(usize::MAX);
                                let key = crate::export::stats::person_key(&t.text);
                                groups
                                    .entry((li, key))
                                    .or_insert_with(|| (t.text.clone(), Vec::new()))
                                    .1
                                    .push((entry, t.chars));
                            }
                        }
                        IndexEvent::Done => done = true,
                    }
                }
                if changed && let Some(res) = self.state.results.as_mut() {
                    res.items = groups
                        .iter()
                        .map(|((li, _), (text, occ))| {
                            let label = self
                                .state
                                .labels
                                .labels
                                .get(*li)
                                .map_or("?", |l| l.name.as_str());
                            let articles: std::collections::BTreeSet<usize> =
                                occ.iter().map(|(e, _)| *e).collect();
                            ResultItem {
                                entry: occ[0].0,
                                chars: occ[0].1.clone(),
                                line: format!(
                                    "{label:<10} {}  ×{} in {} article(s)",
                                    sanitize_inline(text),
                                    occ.len(),
                                    articles.len()
                                ),
                                occurrences: occ.clone(),
                            }
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

    fn sidecar_of(&self, article: &Path) -> PathBuf {
        sidecar_path(
            &self.options.root,
            article,
            self.options.annotations.as_deref(),
        )
    }

    /// Read entry `entry` into the reader; `false` if it could not be read.
    fn open(&mut self, entry: usize, cursor: Option<usize>) -> bool {
        let Some(e) = self.state.articles.entries.get(entry) else {
            return false;
        };
        let path = e.path.clone();
        let article = match Article::read(&path) {
            Ok(a) => a,
            Err(err) => {
                self.state.error(err.to_string());
                if let Some(s) = self.state.articles.entries[entry].summary.as_mut() {
                    s.problem = Some(err.to_string());
                }
                return false;
            }
        };
        let sidecar = self.sidecar_of(&path);
        let loaded = load_tags(&article, &sidecar);
        let width = self.state.wrap_width();
        let mut reader = Reader::new(
            entry,
            article,
            loaded.tags,
            sidecar,
            loaded.read_only,
            &self.state.labels,
            width,
        );
        reader.disk_hash = loaded.snapshot_hash;
        reader.sidecar_extra = loaded.extra;
        reader.relayout(width, self.state.reading);
        if let Some(b) = cursor.and_then(|c| reader.chars.char_to_byte(reader.text(), c)) {
            reader.set_cursor(b);
        }
        reader.follow_cursor(self.state.text_height());
        if let Some(why) = &reader.read_only {
            self.state.error(format!("read-only: {why}"));
        } else if let Some(note) = loaded.note {
            self.state.info(note);
        } else {
            self.state.message = None;
        }
        self.touched.insert(entry);
        let summary = self.state.articles.entries[entry]
            .summary
            .get_or_insert_with(|| Summary::of(&reader.article));
        summary.take_annotations(&reader.tags);
        self.state.reader = Some(reader);
        self.state.focus = Pane::Reader;
        self.state.select_entry(entry);
        self.save_place();
        true
    }

    /// Write the open article's sidecar.
    fn save(&mut self) {
        let Some(r) = self.state.reader.as_mut() else {
            return;
        };
        if r.read_only.is_some() {
            return;
        }
        let mut sidecar = Sidecar::new(&r.article.path, &r.article.text, &r.tags);
        sidecar.extra = r.sidecar_extra.clone();
        match sync::save(&r.sidecar_path, &r.base, r.disk_hash.as_deref(), sidecar) {
            Ok(saved) => {
                let now = crate::annotation::timestamp();
                self.state.last_save = Some(now.get(11..19).unwrap_or(&now).to_string());
                r.tags = saved.set.clone();
                r.base = saved.set;
                r.disk_hash = Some(saved.hash);
                r.refresh_spans(&self.state.labels);
                if let Some(s) = self.state.articles.entries[r.entry].summary.as_mut() {
                    s.take_annotations(&r.tags);
                }
                let learned: Vec<(String, String)> = r
                    .tags
                    .tags()
                    .iter()
                    .filter(|t| !t.orphaned && !t.is_rejected())
                    .map(|t| (t.label.clone(), t.text.clone()))
                    .collect();
                self.learn(learned);
                if !saved.conflicts.is_empty() {
                    self.state.error(format!(
                        "another session changed the same tags; both versions kept: {}",
                        saved.conflicts.join("; ")
                    ));
                } else if saved.merged > 0 {
                    self.state.info(format!(
                        "merged {} change(s) saved by another session",
                        saved.merged
                    ));
                }
            }
            Err(e) => self.state.error(format!("NOT SAVED: {e}")),
        }
    }

    /// Write the open article's tags to a recovery file in the data folder (after a crash).
    /// `None` when no article is open.
    pub fn write_recovery(&self) -> Option<crate::Result<Recovery>> {
        let r = self.state.reader.as_ref()?;
        let stem = r
            .article
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stamp = crate::annotation::timestamp().replace(':', "");
        let recovery = self
            .options
            .dirs
            .data
            .join("recovery")
            .join(format!("{stem}-{stamp}.ron"));
        let mut sidecar = Sidecar::new(&r.article.path, &r.article.text, &r.tags);
        sidecar.extra = r.sidecar_extra.clone();
        Some(
            crate::files::write_atomic(&recovery, sidecar.to_ron().as_bytes()).map(|()| Recovery {
                recovery,
                sidecar: r.sidecar_path.clone(),
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
            article: self.state.articles.entries[r.entry].name.clone(),
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
        if let Some(i) = self
            .state
            .articles
            .entries
            .iter()
            .position(|e| e.name == place.article)
        {
            self.open(i, Some(place.cursor));
        }
    }
}

/// An article's tags as read from its sidecar.
struct LoadedTags {
    tags: AnnotationSet,
    snapshot_hash: Option<String>,
    /// Why the article must stay read-only, if so.
    read_only: Option<String>,
    /// What to tell the user (re-anchored tags).
    note: Option<String>,
    /// Top-level fields from a newer gloss.
    extra: Vec<(String, String)>,
}

/// Read an article's tags, re-anchoring them if the article changed since they were saved.
fn load_tags(article: &Article, sidecar: &Path) -> LoadedTags {
    let mut out = LoadedTags {
        tags: AnnotationSet::default(),
        snapshot_hash: None,
        read_only: None,
        note: None,
        extra: Vec::new(),
    };
    if article.lossy {
        out.read_only = Some("the file is not valid UTF-8 (invalid bytes shown as �)".into());
        return out;
    }
    match sync::read(sidecar) {
        Ok(snap) => {
            out.snapshot_hash = snap.hash;
            if let Some(sc) = snap.sidecar {
                out.extra = sc.extra;
                let mut tags = sc.tags;
                if sc.sha256 != sha256_hex(&article.text) || tags.iter().any(|t| t.orphaned) {
                    let index = crate::text::CharIndex::new(&article.text);
                    let r = reanchor(&article.text, &index, &mut tags);
                    if r.moved + r.orphaned > 0 {
                        out.note = Some(format!(
                            "the article changed since it was tagged: {} tag(s) found again, {} orphaned (O jumps to them)",
                            r.moved, r.orphaned
                        ));
                    }
                }
                out.tags = AnnotationSet::new(tags).with_article(ArticleFields {
                    status: sc.status,
                    comment: sc.comment,
                    rejected: sc.rejected,
                    suggested: sc.suggested,
                });
            }
        }
        Err(e) => out.read_only = Some(format!("{e} (the sidecar is left untouched)")),
    }
    out
}
