//! The runner carries out the effects `update` asks for: it reads and writes files and runs the
//! background work, with the state to read from but never to write (it gets `&State`); what it
//! finds or does comes back as [`Outcome`]s, at once or, from its threads, when polled.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use gloss_core::corpus::config::Anchoring;
use gloss_core::corpus::patterns::Pattern;
use gloss_core::corpus::search::{self, SearchEvent};
use gloss_core::project::Team;
use gloss_core::settings::Dirs;
use gloss_core::store::corpus_edit::{self, TagAll};
use gloss_core::store::scan::{self, ScanEvent, ScanSource};
use gloss_core::store::session::{Place, SESSIONS_FILE, Sessions};
use gloss_core::store::tag_index::{self, IndexEvent};
use gloss_core::store::tagged_search;
use gloss_core::store::{Document, SaveJob, SidecarDirs};

use super::background::result_line;
use super::effect::{Effect, Outcome, Recovery};
use super::state::{CandidateSpan, PendingTagAll, State};

/// Give the memory the scan's threads freed back to the system (glibc keeps freed small blocks in
/// its arenas, which would count as resident for as long as gloss runs).
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Where gloss works: the corpus, where its sidecars are, gloss's own folders.
#[derive(Debug, Clone)]
pub struct Folders {
    /// The corpus folder.
    pub root: PathBuf,
    /// The mirror folder for sidecars, if not beside the articles.
    pub annotations: Option<PathBuf>,
    pub dirs: Dirs,
}

/// A thread's outcomes, and whether it writes (gloss waits for those before it ends).
struct Job {
    rx: Receiver<Outcome>,
    writes: bool,
}

/// The save of the open article under way on the writer thread. One at a time: a save taken
/// before this one's outcome is in the document would merge against a stale base (and could bring
/// back a deleted tag, or drop one).
struct SaveInFlight {
    /// Its outcome, until it came (then it is in `update`'s hands until [`Effect::SaveApplied`]).
    rx: Option<Receiver<Outcome>>,
    /// Its outcome, come while something waited a moment for it (not yet passed on).
    ended: Option<Outcome>,
    /// A save asked for meanwhile, to take once this one is applied (whether it keeps the tags
    /// in a recovery file when it fails: the strongest asked).
    again: Option<bool>,
    /// How many tags it writes (said while quitting waits for it).
    tags: usize,
}

/// Carries out effects; holds what they need that the state does not (folders, the corpus's
/// patterns, the annotators' trees when adjudicating) and the channels of its threads.
pub struct Runner {
    folders: Folders,
    dirs: SidecarDirs,
    /// What tags made here snap to (from gloss.ron).
    anchoring: Anchoring,
    /// The corpus's patterns (the model's features use their word lists).
    patterns: Vec<Pattern>,
    /// Adjudicating: the annotators (name, where their sidecars are) whose tags are offered.
    sources: Vec<(String, SidecarDirs)>,
    /// The metadata scan, before it starts and while it runs.
    pending_scan: Option<ScanSource>,
    scan: Option<Receiver<ScanEvent>>,
    search: Option<Receiver<SearchEvent>>,
    index: Option<Receiver<IndexEvent>>,
    jobs: Vec<Job>,
    saving: Option<SaveInFlight>,
}

impl Runner {
    pub fn new(
        folders: Folders,
        dirs: SidecarDirs,
        anchoring: Anchoring,
        patterns: Vec<Pattern>,
        scan: ScanSource,
    ) -> Runner {
        Runner {
            folders,
            dirs,
            anchoring,
            patterns,
            sources: Vec::new(),
            pending_scan: Some(scan),
            scan: None,
            search: None,
            index: None,
            jobs: Vec::new(),
            saving: None,
        }
    }

    /// Adjudicate: the annotators whose trees' tags are offered.
    pub fn set_sources(&mut self, sources: Vec<(String, PathBuf)>) {
        self.sources = sources
            .into_iter()
            .map(|(n, p)| (n, SidecarDirs::new(&self.folders.root, Some(&p))))
            .collect();
    }

    /// Is the metadata scan's thread still running (or not started)?
    pub fn scanning(&self) -> bool {
        self.pending_scan.is_some() || self.scan.is_some()
    }

    /// Is background work other than the metadata scan running?
    pub fn busy(&self) -> bool {
        self.search.is_some()
            || self.index.is_some()
            || !self.jobs.is_empty()
            || self.saving.is_some()
    }

    /// How many threads are at work (the scan, search and index aside).
    pub fn jobs(&self) -> usize {
        self.jobs.len()
    }

    /// Is a thread writing sidecars (or a save's outcome not yet taken in)?
    pub fn writing(&self) -> bool {
        self.saving.is_some() || self.jobs.iter().any(|j| j.writes)
    }

    /// How many tags the save under way writes, if one is.
    pub fn saving_tags(&self) -> Option<usize> {
        self.saving.as_ref().map(|s| s.tags)
    }

    /// Carry out `effect`, reading the state as it is; what comes back at once.
    pub fn run(&mut self, state: &State, effect: Effect) -> Vec<Outcome> {
        // What saves synchronously, lets the document go, or writes sidecars elsewhere waits for
        // the save under way and for its outcome to be in the document: that outcome comes first,
        // then this effect again.
        if self.saving.is_some()
            && matches!(
                effect,
                Effect::Open { .. }
                    | Effect::Exit
                    | Effect::ApplyTagAll(_)
                    | Effect::ApplyElsewhere(_)
                    | Effect::Relink { .. }
                    | Effect::FindMentions
                    // (the registry keeps what the sidecars on disk name)
                    | Effect::SaveEntities
            )
        {
            let mut out = self.wait_for_save();
            out.push(Outcome::Again(Box::new(effect)));
            return out;
        }
        match effect {
            Effect::Open {
                entry,
                cursor,
                then,
            } => {
                let mut out = Vec::new();
                if state
                    .reader
                    .as_ref()
                    .is_some_and(|r| r.doc.is_unsaved() && r.read_only().is_none())
                {
                    out.extend(self.save(state, true));
                    // tags that could be neither saved nor kept elsewhere: the article stays open
                    // (its tags in memory), and the save is tried again
                    if out.iter().any(|o| {
                        matches!(
                            o,
                            Outcome::Saved {
                                recovery: Some(Err(_)),
                                ..
                            }
                        )
                    }) {
                        return out;
                    }
                }
                out.push(self.open(state, entry, cursor, then));
                out
            }
            Effect::Save { recover } => match self.saving.as_mut() {
                // one at a time: this one follows once that one is in the document
                Some(s) => {
                    s.again = Some(s.again.unwrap_or(false) || recover);
                    vec![]
                }
                None => self.save_in_background(state, recover),
            },
            Effect::SaveApplied { ok } => {
                let Some(done) = self.saving.take() else {
                    return vec![];
                };
                let unsaved = state
                    .reader
                    .as_ref()
                    .is_some_and(|r| r.doc.is_unsaved() && r.read_only().is_none());
                match done.again {
                    // (a failed save is tried again on the tick, unless asked to keep the tags)
                    Some(recover) if ok || recover => self.save_in_background(state, recover),
                    None if ok && unsaved => self.save_in_background(state, false),
                    _ => vec![],
                }
            }
            Effect::SaveEntities => {
                let mut registry = state.entities.clone();
                vec![Outcome::EntitiesSaved(
                    registry
                        .save()
                        .map(|()| registry)
                        .map_err(|e| e.to_string()),
                )]
            }
            Effect::SavePlace => self.save_place(state).into_iter().collect(),
            Effect::CorpusSearch { query, exact } => {
                let paths = state.articles.shared_paths();
                self.search = Some(tagged_search::spawn(self.dirs.clone(), paths, query, exact));
                vec![]
            }
            Effect::BuildTagIndex => {
                let paths = state.articles.paths();
                self.index = Some(tag_index::spawn(self.dirs.clone(), paths));
                vec![]
            }
            Effect::ShowContext => vec![Outcome::Context(context_lines(state))],
            Effect::CountProject => {
                let team = self.team(state);
                let paths = state.articles.paths();
                self.spawn(false, move |tx| count_project(&team, &paths, &tx));
                vec![]
            }
            Effect::CountProjectArticle { entry } => {
                if entry < state.articles.len() {
                    let team = self.team(state);
                    let path = state.articles.path(entry);
                    self.spawn(false, move |tx| {
                        if let Ok(f) = team.figures_of(&path) {
                            let _ = tx.send(Outcome::ProjectCounted {
                                parts: f.map(|f| (entry, f)).into_iter().collect(),
                                done: false,
                                fresh: true,
                            });
                        }
                    });
                }
                vec![]
            }
            Effect::CountDisagreements => {
                let (sources, dirs) = (self.sources.clone(), self.dirs.clone());
                let paths = state.articles.paths();
                self.spawn(false, move |tx| {
                    count_disagreements(&sources, &dirs, &paths, &tx)
                });
                vec![]
            }
            Effect::Suggest { entry, generation } => {
                if let Some(r) = state.reader.as_ref() {
                    let suggester = std::sync::Arc::clone(&state.suggester);
                    let text = r.text().to_string();
                    self.spawn(false, move |tx| {
                        // whatever happens, say it is done: the next suggestions wait for it
                        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            suggester.suggest(&text)
                        }))
                        .unwrap_or_default();
                        let _ = tx.send(Outcome::Suggested {
                            entry,
                            generation,
                            found,
                        });
                    });
                }
                vec![]
            }
            Effect::Learn => {
                let dirs = self.dirs.clone();
                let articles = state
                    .articles
                    .finished_paths(gloss_core::training::MAX_TRAINING_ARTICLES);
                let patterns = self.patterns.clone();
                let cache = gloss_core::training::cache::path(
                    &self.folders.dirs.cache,
                    &self.folders.root,
                    self.folders.annotations.as_deref(),
                );
                self.spawn(false, move |tx| {
                    let result = gloss_core::training::load_or_train(
                        &dirs,
                        &articles,
                        &patterns,
                        Some(&cache),
                    )
                    .map_err(|e| e.to_string());
                    let _ = tx.send(Outcome::Learnt(result));
                });
                vec![]
            }
            Effect::CountTagAll(pending) => {
                let open = state.reader.as_ref().map(|r| r.entry);
                let articles: Vec<(usize, PathBuf)> = (0..state.articles.len())
                    .filter(|i| Some(*i) != open)
                    .map(|i| (i, state.articles.path(i)))
                    .collect();
                let spec = spec_of(&pending, &state.annotator);
                let dirs = self.dirs.clone();
                self.spawn(false, move |tx| {
                    let mut pending = pending;
                    let counted = spec.count(&dirs, &articles, |done, total| {
                        // a few hundred progress reports at most
                        if done % (total / 200).max(1) == 0 {
                            return tx.send(Outcome::TagAllProgress { done, total }).is_ok();
                        }
                        true
                    });
                    pending.places.extend(counted);
                    pending.places.sort_by_key(|(e, _)| *e);
                    let _ = tx.send(Outcome::TagAllCounted(pending));
                });
                vec![]
            }
            Effect::ApplyTagAll(pending) => {
                let open = state.reader.as_ref().map(|r| r.entry);
                let paths: Vec<PathBuf> = pending
                    .places
                    .iter()
                    .filter(|(e, _)| Some(*e) != open)
                    .map(|(e, _)| state.articles.path(*e))
                    .collect();
                let spec = spec_of(&pending, &state.annotator);
                let dirs = self.dirs.clone();
                self.spawn(true, move |tx| {
                    let applied = spec.apply(&dirs, &paths, |done, total| {
                        if done % (total / 200).max(1) == 0 {
                            let _ = tx.send(Outcome::TagAllProgress { done, total });
                        }
                    });
                    let _ = tx.send(Outcome::TagAllApplied {
                        pending,
                        changed: applied.changed,
                        failed: applied.failed,
                    });
                });
                vec![]
            }
            Effect::ApplyElsewhere(steps) => {
                let dirs = self.dirs.clone();
                self.spawn(true, move |tx| {
                    let done = corpus_edit::replay(&dirs, &steps);
                    let _ = tx.send(Outcome::AppliedElsewhere {
                        changed: done.changed.into_iter().map(|(p, _, s)| (p, s)).collect(),
                        failed: done.failed,
                    });
                });
                vec![]
            }
            Effect::FindMentions => {
                // what the writes under way change is counted
                let out = self.finish_writes();
                let articles: Vec<(usize, PathBuf)> = (0..state.articles.len())
                    .map(|i| (i, state.articles.path(i)))
                    .collect();
                let dirs = self.dirs.clone();
                self.spawn(false, move |tx| {
                    let _ = tx.send(Outcome::Mentions(corpus_edit::mentions(&dirs, &articles)));
                });
                out
            }
            Effect::Relink { from, into, step } => {
                let open = state.reader.as_ref().map(|r| r.entry);
                let paths: Vec<PathBuf> = (0..state.articles.len())
                    .filter(|i| Some(*i) != open)
                    .map(|i| state.articles.path(i))
                    .collect();
                let dirs = self.dirs.clone();
                self.spawn(true, move |tx| {
                    let done = corpus_edit::relink(&dirs, &paths, &from, &into);
                    let _ = tx.send(Outcome::Relinked {
                        step,
                        changed: done.changed,
                        failed: done.failed,
                    });
                });
                vec![]
            }
            Effect::Exit => {
                let mut out = self.finish_writes();
                out.push(Outcome::Exited);
                out
            }
        }
    }

    /// Run `work` on a thread that sends its outcomes back.
    fn spawn(&mut self, writes: bool, work: impl FnOnce(Sender<Outcome>) + Send + 'static) {
        let (tx, rx) = channel();
        std::thread::spawn(move || work(tx));
        self.jobs.push(Job { rx, writes });
    }

    /// Where the project's figures are read from: the state's team, or the open folder's sidecars.
    fn team(&self, state: &State) -> std::sync::Arc<Team> {
        state
            .team
            .clone()
            .unwrap_or_else(|| std::sync::Arc::new(Team::single(self.dirs.clone(), None)))
    }

    /// Wait for the save under way to end: its outcome (none when it came already: it is on its
    /// way through `update`).
    fn wait_for_save(&mut self) -> Vec<Outcome> {
        let Some(s) = self.saving.as_mut() else {
            return vec![];
        };
        let mut out: Vec<Outcome> = s.ended.take().into_iter().collect();
        if let Some(rx) = s.rx.take() {
            out.extend(rx.iter());
        }
        out
    }

    /// Does the save under way (if any) end within `wait`? (Its outcome is then passed on by
    /// the next poll, or by what waits for it.)
    pub fn save_ends_within(&mut self, wait: std::time::Duration) -> bool {
        let Some(s) = self.saving.as_mut() else {
            return true;
        };
        let Some(rx) = &s.rx else {
            return true;
        };
        match rx.recv_timeout(wait) {
            Ok(o) => {
                s.ended = Some(o);
                s.rx = None;
                true
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => false,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                s.rx = None;
                true
            }
        }
    }

    /// What the threads sent since the last time. Starts the metadata scan the first time (after
    /// the first frame).
    pub fn poll(&mut self) -> Vec<Outcome> {
        if let Some(source) = self.pending_scan.take() {
            self.scan = Some(scan::spawn(source));
        }
        let mut out = Vec::new();
        // the save first: what the rest brings may take the next save
        if let Some(s) = self.saving.as_mut() {
            out.extend(s.ended.take());
            if let Some(rx) = &s.rx {
                let (events, gone) = drain(rx);
                out.extend(events);
                if gone {
                    s.rx = None;
                }
            }
        }
        if let Some(rx) = &self.scan {
            let (events, gone) = drain(rx);
            let saved = events.iter().any(|e| matches!(e, ScanEvent::Saved));
            if !events.is_empty() {
                out.push(Outcome::Scan(events));
            }
            if saved || gone {
                // the cache is written: the scan's thread is finished
                self.scan = None;
                give_back_freed_memory();
            }
        }
        if let Some(rx) = &self.search {
            let (events, gone) = drain(rx);
            if !events.is_empty() {
                out.push(Outcome::Search(events));
            }
            if gone {
                self.search = None;
            }
        }
        if let Some(rx) = &self.index {
            let (events, gone) = drain(rx);
            if !events.is_empty() {
                out.push(Outcome::Index(events));
            }
            if gone {
                self.index = None;
            }
        }
        self.jobs.retain(|j| {
            let (events, gone) = drain(&j.rx);
            out.extend(events);
            !gone
        });
        out
    }

    /// Wait for the threads that write sidecars; what they sent.
    pub fn finish_writes(&mut self) -> Vec<Outcome> {
        let mut out = Vec::new();
        let (writers, others): (Vec<Job>, Vec<Job>) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|j| j.writes);
        self.jobs = others;
        for j in writers {
            out.extend(j.rx.iter());
        }
        out
    }

    /// Read entry `entry` (and the annotators' candidates for it, when adjudicating).
    fn open(
        &self,
        state: &State,
        entry: usize,
        cursor: Option<usize>,
        then: Option<super::action::Action>,
    ) -> Outcome {
        if entry >= state.articles.len() {
            return Outcome::OpenFailed {
                entry,
                error: format!("no article {entry} in the list"),
            };
        }
        let path = state.articles.path(entry);
        let doc = match Document::open(&self.dirs, &path) {
            // (a gold set takes the annotators' spans exactly)
            Ok(d) if !self.sources.is_empty() => d,
            Ok(d) => d.with_anchoring(self.anchoring),
            Err(err) => {
                return Outcome::OpenFailed {
                    entry,
                    error: err.to_string(),
                };
            }
        };
        let (candidates, problems) = self.candidates_for(state, &doc);
        Outcome::Opened {
            entry,
            doc: Box::new(doc),
            candidates,
            problems,
            cursor,
            then,
        }
    }

    /// The annotators' candidates for `doc`'s article, placed in its text; and the annotators'
    /// sidecars that could not be read (one line each, naming the file).
    fn candidates_for(&self, state: &State, doc: &Document) -> (Vec<CandidateSpan>, Vec<String>) {
        let mut problems = Vec::new();
        let mut sets = Vec::new();
        for (name, dirs) in &self.sources {
            match Document::open_checked(dirs, doc.path()) {
                Ok(d) => sets.push((name.clone(), d.annotations().clone())),
                Err(e) => problems.push(format!("{name}: {e}")),
            }
        }
        let refs: Vec<(String, &gloss_core::annotation::AnnotationSet)> =
            sets.iter().map(|(n, s)| (n.clone(), s)).collect();
        let candidates = gloss_core::adjudication::candidates(&refs)
            .into_iter()
            .filter_map(|c| {
                Some(CandidateSpan {
                    bytes: doc.bytes_of(&(c.start..c.end))?,
                    label_index: state.labels.index_of(&c.label),
                    candidate: c,
                })
            })
            .collect();
        (candidates, problems)
    }

    /// Save the open article here (it is let go); when that fails and `recover`, write its tags
    /// to a recovery file.
    fn save(&self, state: &State, recover: bool) -> Vec<Outcome> {
        match self.save_job(state) {
            Some(Ok((entry, job))) => {
                vec![run_save(&self.folders.dirs, entry, job, recover, false)]
            }
            Some(Err(out)) => vec![out],
            None => vec![],
        }
    }

    /// Save the open article on the writer thread (see [`Runner::save`]); its outcome comes
    /// through [`Runner::poll`].
    fn save_in_background(&mut self, state: &State, recover: bool) -> Vec<Outcome> {
        match self.save_job(state) {
            Some(Ok((entry, job))) => {
                let tags = state
                    .reader
                    .as_ref()
                    .map_or(0, |r| r.doc.annotations().len());
                let dirs = self.folders.dirs.clone();
                let article = job.article_path().to_path_buf();
                let (tx, rx) = channel();
                std::thread::spawn(move || {
                    // whatever happens, say it ended: nothing saves this document until it has
                    let saved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        run_save(&dirs, entry, job, recover, true)
                    }))
                    .unwrap_or_else(|_| Outcome::Saved {
                        entry,
                        article,
                        result: Err("the save stopped on an internal error".into()),
                        recovery: recover.then(|| Err("its tags could not be kept".into())),
                        background: true,
                        texts: Vec::new(),
                    });
                    let _ = tx.send(saved);
                });
                self.saving = Some(SaveInFlight {
                    rx: Some(rx),
                    ended: None,
                    again: None,
                    tags,
                });
                vec![]
            }
            Some(Err(out)) => vec![out],
            None => vec![],
        }
    }

    /// The save of the open article (and its entry), or why none could be taken; none when there
    /// is nothing to save (no article open, or read-only).
    fn save_job(&self, state: &State) -> Option<Result<(usize, SaveJob), Outcome>> {
        let r = state.reader.as_ref()?;
        if r.read_only().is_some() {
            return None;
        }
        Some(
            r.doc
                .save_job()
                .map(|job| (r.entry, job))
                .map_err(|e| Outcome::Saved {
                    entry: r.entry,
                    article: r.doc.path().to_path_buf(),
                    result: Err(e.to_string()),
                    recovery: None,
                    background: false,
                    texts: Vec::new(),
                }),
        )
    }

    fn sessions_path(&self) -> PathBuf {
        self.folders.dirs.data.join(SESSIONS_FILE)
    }

    /// Remember the open article and cursor for this corpus; something to say when that fails.
    fn save_place(&self, state: &State) -> Option<Outcome> {
        let r = state.reader.as_ref()?;
        let key = self.folders.root.to_string_lossy().into_owned();
        let place = Place {
            article: state.articles.name(r.entry).into_owned(),
            cursor: r.cursor_char(),
        };
        let path = self.sessions_path();
        // a memory that does not read is left as it is (it holds other corpora's places), and said
        let mut sessions = match Sessions::load(&path) {
            Ok(s) => s,
            Err(e) => {
                return Some(Outcome::Said {
                    error: true,
                    message: format!("could not remember the place: {e}"),
                });
            }
        };
        if !sessions.set_place(&key, &state.annotator, place) {
            return None;
        }
        match sessions.save(&path) {
            Ok(()) => None,
            Err(e) => Some(Outcome::Said {
                error: true,
                message: format!("could not remember the place: {e}"),
            }),
        }
    }

    /// Where `annotator` left this corpus (the article's name and the cursor), if remembered.
    pub fn remembered_place(&self, annotator: &str) -> Option<Place> {
        let key = self.folders.root.to_string_lossy().into_owned();
        Sessions::load(&self.sessions_path())
            .ok()?
            .place(&key, annotator)
            .cloned()
    }

    /// The folders gloss keeps its files in.
    pub fn dirs(&self) -> &Dirs {
        &self.folders.dirs
    }
}

/// Run the save `job` of entry `entry`; when it fails and `recover`, write its tags to a recovery
/// file in `dirs`' data folder.
fn run_save(dirs: &Dirs, entry: usize, job: SaveJob, recover: bool, background: bool) -> Outcome {
    let article = job.article_path().to_path_buf();
    let mut texts = Vec::new();
    let (result, recovery) = match job.run() {
        Ok(done) => {
            let distinct: std::collections::BTreeSet<(&str, &str)> = done
                .written()
                .live_tags()
                .map(|t| (t.label.as_str(), t.text.as_str()))
                .collect();
            texts = distinct
                .into_iter()
                .map(|(l, t)| (l.to_string(), t.to_string()))
                .collect();
            (Ok(Box::new(done)), None)
        }
        Err(failed) => {
            let recovery = recover.then(|| {
                write_recovery(
                    dirs,
                    &article,
                    failed.job.sidecar_path(),
                    &failed.job.to_sidecar(),
                    &failed.job.base_sidecar(),
                )
                .map_err(|e| e.to_string())
            });
            (Err(failed.error.to_string()), recovery)
        }
    };
    Outcome::Saved {
        entry,
        article,
        result,
        recovery,
        background,
        texts,
    }
}

/// A pending tag-all as the core's operation.
fn spec_of(p: &PendingTagAll, annotator: &str) -> TagAll {
    TagAll {
        label: p.label.clone(),
        text: p.text.clone(),
        entity: p.entity.clone(),
        annotator: annotator.to_string(),
    }
}

/// Everything waiting on `rx`, and whether its sender is gone.
fn drain<T>(rx: &Receiver<T>) -> (Vec<T>, bool) {
    let mut out = Vec::new();
    loop {
        match rx.try_recv() {
            Ok(x) => out.push(x),
            Err(TryRecvError::Empty) => return (out, false),
            Err(TryRecvError::Disconnected) => return (out, true),
        }
    }
}

/// Each item of the results list shown in its article's line, around the text it points at.
fn context_lines(state: &State) -> Vec<(usize, String)> {
    let Some(res) = state.results.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut cache: Option<(usize, String)> = None;
    for (i, item) in res.items.iter().enumerate() {
        if cache.as_ref().is_none_or(|(e, _)| *e != item.entry) {
            let text = gloss_core::corpus::Article::read(&state.articles.path(item.entry))
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
        let one: Range<usize> = a..b;
        if let Some(h) = search::hits_at(text, vec![one]).pop() {
            out.push((i, result_line(&h, &state.articles.name(item.entry))));
        }
    }
    out
}

/// Write the tags of the article at `article` (its sidecar at `sidecar_path`) to a recovery file in
/// the data folder, with the base they were edited from (so that `gloss recover` merges them back
/// three-way).
pub fn write_recovery(
    dirs: &Dirs,
    article: &std::path::Path,
    sidecar_path: &std::path::Path,
    sidecar: &gloss_core::store::Sidecar,
    base: &gloss_core::store::Sidecar,
) -> gloss_core::Result<Recovery> {
    gloss_core::store::recovery::write(&dirs.data, article, sidecar, base).map(|recovery| {
        Recovery {
            recovery,
            sidecar: sidecar_path.to_path_buf(),
        }
    })
}

/// Each article's part of the project's figures, from its sidecar, sent in batches (articles
/// without one, or whose sidecar cannot be read, are left out: they count as new).
fn count_project(team: &Team, paths: &[PathBuf], tx: &Sender<Outcome>) {
    let mut batch = Vec::new();
    for (entry, path) in paths.iter().enumerate() {
        if let Ok(Some(f)) = team.figures_of(path) {
            batch.push((entry, f));
        }
        if batch.len() >= 256
            && tx
                .send(Outcome::ProjectCounted {
                    parts: std::mem::take(&mut batch),
                    done: false,
                    fresh: false,
                })
                .is_err()
        {
            return;
        }
    }
    let _ = tx.send(Outcome::ProjectCounted {
        parts: batch,
        done: true,
        fresh: false,
    });
}

/// Each article's (settled, all) disagreements between the annotators of `sources` against the
/// gold set in `dirs`, sent in batches; articles no annotator tagged, or whose sidecars cannot be
/// read, are left out (opening them says why).
fn count_disagreements(
    sources: &[(String, SidecarDirs)],
    dirs: &SidecarDirs,
    paths: &[PathBuf],
    tx: &Sender<Outcome>,
) {
    let mut batch = Vec::new();
    for (entry, path) in paths.iter().enumerate() {
        if !sources.iter().any(|(_, d)| d.sidecar_of(path).exists()) {
            continue;
        }
        let mut sets = Vec::new();
        for (name, d) in sources {
            match Document::open_checked(d, path) {
                Ok(doc) => sets.push((name.clone(), doc.annotations().clone())),
                Err(_) => break,
            }
        }
        if sets.len() < sources.len() {
            continue;
        }
        let Ok(gold) = Document::open(dirs, path) else {
            continue;
        };
        let refs: Vec<(String, &gloss_core::annotation::AnnotationSet)> =
            sets.iter().map(|(n, s)| (n.clone(), s)).collect();
        let (settled, all) = gloss_core::adjudication::disagreements(&refs, gold.annotations());
        batch.push((entry, settled, all));
        if batch.len() >= 64
            && tx
                .send(Outcome::Disagreements(std::mem::take(&mut batch)))
                .is_err()
        {
            return;
        }
    }
    let _ = tx.send(Outcome::Disagreements(batch));
}
