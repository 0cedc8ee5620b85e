//! The app: the state, the keymap and theme it is drawn and driven with, and the runner that
//! carries out effects. A terminal event becomes an action through the keymap (in the sections the
//! state's mode names); [`App::dispatch`] passes it to `update`, carries out the effects it returns,
//! and passes what they did back to `update`, until nothing is left to do. The loop in `run` and
//! the tests drive the same `App`.

use std::collections::VecDeque;
use std::path::PathBuf;

use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::Rect;

use super::action::Action;
use super::effect::{Effect, Recovery};
use super::keymap::Keymap;
use super::runner::{Folders, Runner};
use super::state::State;
use super::theme::Theme;
use super::update::{Msg, update};
use super::view;
use gloss_core::corpus::{self, ArticleList};
use gloss_core::settings::{Dirs, UserConfig, login_name};
use gloss_core::store::SidecarDirs;
use gloss_core::store::scan::{self, ScanSource};
use gloss_core::suggest::Suggester;
use gloss_core::text::escape_path;

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

/// State, keymap and theme, and the runner that carries out effects.
pub struct App {
    pub state: State,
    pub keymap: Keymap,
    pub theme: Theme,
    runner: Runner,
    /// A quit that waits for the save under way: taken on the next tick, after the frame that
    /// says so.
    quit_pending: Option<Action>,
    /// The time now, in seconds since 1970 (tests give a clock of their own).
    clock: Box<dyn Fn() -> u64>,
}

impl App {
    /// Open the corpus at `options.root` for a screen of `screen` cells.
    pub fn new(mut options: Options, screen: Rect) -> anyhow::Result<App> {
        options.root = corpus::open_root(&options.root)?;
        let root = options.root.clone();
        let found = corpus::discover(&root)?;
        let problems = found.problems;
        let index = ArticleList::from_paths(found.articles);
        let corpus::CorpusConfig {
            labels,
            relations,
            patterns,
            anchoring,
            annotator_trees,
            categories,
            guide,
        } = corpus::CorpusConfig::load(&root)?;
        let suggester = Suggester::new(&patterns).map_err(|e| anyhow::anyhow!(e))?;
        let config = UserConfig::load(&options.dirs.config_file())?;
        let keymap = Keymap::new(&labels, &relations, &config.keys)
            .map_err(|e| anyhow::anyhow!("{}: {e}", escape_path(&options.dirs.config_file())))?;
        let theme = Theme::new(&labels, &config.colors)
            .map_err(|e| anyhow::anyhow!("{}: {e}", escape_path(&options.dirs.config_file())))?;
        let annotator = options
            .annotator
            .clone()
            .or(config.annotator)
            .unwrap_or_else(login_name);
        // where the project's figures come from: every annotator's tree, or the one folder
        // (an unreadable assignment is said by the queue, and counted as none)
        let team = gloss_core::project::Team::with_assignment(
            &SidecarDirs::new(&root, options.annotations.as_deref()),
            gloss_core::assignment::Assignment::load(&root)
                .ok()
                .flatten(),
        );
        // A team corpus keeps each annotator's sidecars in a tree of their own.
        if options.annotations.is_none()
            && let Some(trees) = &annotator_trees
        {
            options.annotations = Some(corpus::config::annotator_tree_checked(
                &root, trees, &annotator,
            )?);
        }
        let dirs = SidecarDirs::new(&root, options.annotations.as_deref());
        // The list shows names at once; metadata fills in from a background scan, started after
        // the first frame.
        let scan = ScanSource {
            root: root.clone(),
            annotations: options.annotations.clone(),
            articles: index.shared_paths(),
            cache: Some(scan::cache_path(
                &options.dirs.cache,
                &root,
                options.annotations.as_deref(),
            )),
        };
        let mut state = State::new(index, labels, annotator, screen);
        state.relation_types = relations;
        state.categories = categories;
        state.stopwatch.idle_limit = config.idle_limit;
        match gloss_core::corpus::guide::Guide::load(&root, &state.labels, &guide) {
            Ok(g) => state.guide = std::sync::Arc::new(g),
            Err(e) => {
                state.guide =
                    std::sync::Arc::new(gloss_core::corpus::guide::Guide::new(&state.labels, None));
                state.error(format!("{e}: the guide shows the labels of gloss.ron only"));
            }
        }
        state.suggester = std::sync::Arc::new(suggester);
        // an unreadable registry: said, and never overwritten (linking is then refused)
        match gloss_core::entity::Registry::load(&root) {
            Ok(r) => state.entities = r.with_sidecars_in(options.annotations.as_deref()),
            Err(e) => {
                state.entities_error = Some(e.to_string());
                state.error(format!("{e}: entity links are off until it is fixed"));
            }
        }
        super::queue::start(&mut state, gloss_core::assignment::Assignment::load(&root));
        state.sidecars_in = options.annotations.clone();
        state.tags_of = annotator_trees.is_some().then(|| state.annotator.clone());
        match team {
            Ok(t) => state.team = Some(std::sync::Arc::new(t)),
            Err(e) => state.error(format!(
                "{e}: the dashboard counts this annotator's sidecars only"
            )),
        }
        state.scan = Some((0, state.articles.len()));
        let unknown = state.annotator == gloss_core::settings::UNKNOWN_ANNOTATOR;
        let writable = dirs.check_writable();
        let folders = Folders {
            root,
            annotations: options.annotations,
            dirs: options.dirs,
        };
        let runner = Runner::new(folders, dirs, anchoring, patterns, scan);
        let mut app = App {
            state,
            keymap,
            theme,
            runner,
            quit_pending: None,
            clock: Box::new(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            }),
        };
        // back where this corpus was left
        if let Some(place) = app.runner.remembered_place(&app.state.annotator)
            && let Some(i) = app.state.articles.position_of_name(&place.article)
        {
            app.carry_out(vec![Effect::Open {
                entry: i,
                cursor: Some(place.cursor),
                then: None,
            }]);
        }
        app.feed(Msg::Action(Action::Tick));
        if unknown {
            app.state.error(
                "tags will record the annotator as “unknown”: give a name with --annotator NAME or annotator in config.ron",
            );
        }
        if let Err(why) = writable {
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

    /// Turn a terminal event into an action and carry it out. A quit while a save is under way
    /// says so and is carried out on the next tick (the frame between shows it); what comes
    /// after it is not taken.
    pub fn handle_event(&mut self, event: &Event) {
        if self.quit_pending.is_some() {
            return;
        }
        let action = match event {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                let at = (self.clock)();
                self.feed(Msg::Action(Action::KeyPressed { at }));
                self.keymap.action_for(&self.state, k)
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
            // (a save that ends in a moment is waited for as the quit waits for any)
            if a == Action::Quit
                && !self
                    .runner
                    .save_ends_within(std::time::Duration::from_millis(100))
                && let Some(tags) = self.runner.saving_tags()
            {
                let what = if tags == 1 {
                    "saving 1 tag… (gloss ends once it is on disk)".to_string()
                } else {
                    format!(
                        "saving {} tags… (gloss ends once they are on disk)",
                        grouped(tags)
                    )
                };
                self.state.info(what);
                self.quit_pending = Some(a);
                return;
            }
            self.feed(Msg::Action(a));
        }
    }

    /// Tell the time with `clock` (seconds since 1970) from now on: what the active time is
    /// measured with.
    pub fn set_clock(&mut self, clock: impl Fn() -> u64 + 'static) {
        self.clock = Box::new(clock);
    }

    /// Is a quit waiting for the save under way?
    pub fn quit_pending(&self) -> bool {
        self.quit_pending.is_some()
    }

    /// Carry out an action and its effects, and wait for the save they started to be done and
    /// taken in (for tests and scripts: what a user sees a moment later; keys do not wait).
    pub fn dispatch(&mut self, action: Action) {
        self.feed(Msg::Action(action));
        self.wait_until(|a| !a.saving());
    }

    /// Pass `first` to `update`, carry out the effects it returns, and pass what they did back to
    /// `update`, in order, until nothing is left.
    fn feed(&mut self, first: Msg) {
        let mut queue = VecDeque::from([first]);
        while let Some(msg) = queue.pop_front() {
            let effects = update(&mut self.state, msg);
            for effect in effects {
                let outcomes = self.runner.run(&self.state, effect);
                queue.extend(outcomes.into_iter().map(Msg::from));
            }
        }
    }

    /// Carry out effects (not asked for by an action: the start's).
    fn carry_out(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            let outcomes = self.runner.run(&self.state, effect);
            for o in outcomes {
                self.feed(Msg::from(o));
            }
        }
    }

    /// Take in what background work has found (and let time pass); `true` if anything came.
    pub fn tick(&mut self) -> bool {
        if let Some(a) = self.quit_pending.take() {
            self.feed(Msg::Action(a));
            return true;
        }
        let outcomes = self.runner.poll();
        let changed = !outcomes.is_empty();
        for o in outcomes {
            self.feed(Msg::from(o));
        }
        self.feed(Msg::Action(Action::Tick));
        changed
    }

    /// Wait until `done` says so, taking in what background work finds meanwhile.
    fn wait_until(&mut self, done: impl Fn(&App) -> bool) {
        while !done(self) {
            if !self.tick() {
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
        }
    }

    /// Is the metadata scan still running?
    pub fn scanning(&self) -> bool {
        self.state.scanning()
    }

    /// Wait for the metadata scan to finish (for tests and benchmarks).
    pub fn finish_scan(&mut self) {
        self.wait_until(|a| !a.state.scanning());
    }

    /// Wait for the metadata scan to finish and to write its cache (written after the list is
    /// complete, while gloss is already in use).
    pub fn finish_scan_and_cache(&mut self) {
        self.wait_until(|a| !a.state.scanning() && !a.runner.scanning());
    }

    /// Wait until the model has learnt from what the scan found (for tests and benchmarks).
    pub fn finish_learning(&mut self) {
        self.wait_until(|a| !a.state.learning && !a.state.scanning());
    }

    /// Wait until the background work is done (for tests and scripts).
    pub fn finish_background(&mut self) {
        self.wait_until(|a| !a.runner.busy());
    }

    /// Wait until the writes under way in the background are done (a save, a corpus tag-all, the
    /// undo of one) and taken in: what a user sees a moment after the key.
    pub fn finish_writes(&mut self) {
        self.wait_until(|a| {
            !a.runner.writing() && a.state.tag_all.is_none() && a.quit_pending.is_none()
        });
    }

    /// Is a save of the open article under way (or its outcome not yet taken in)?
    pub fn saving(&self) -> bool {
        self.runner.saving_tags().is_some()
    }

    /// How many of the runner's threads are at work (suggestions, learning, a corpus tag-all…).
    pub fn jobs(&self) -> usize {
        self.runner.jobs()
    }

    /// Are suggestions being found on a thread?
    pub fn suggesting(&self) -> bool {
        self.state.suggesting.is_some()
    }

    /// Is the model learning?
    pub fn learning(&self) -> bool {
        self.state.learning
    }

    /// Is a model in use?
    pub fn has_model(&self) -> bool {
        self.state.suggester.has_model()
    }

    /// Adjudicate: offer the tags of the annotators whose sidecars are in `sources` (name, folder)
    /// for the open sidecars, which become the gold set.
    pub fn adjudicate(&mut self, sources: Vec<(String, PathBuf)>) {
        self.state.adjudicating = Some(sources.iter().map(|(n, _)| n.clone()).collect());
        self.state.suggestions_on = false;
        self.runner.set_sources(sources);
        self.carry_out(vec![Effect::CountDisagreements]);
        if let Some(r) = self.state.reader.as_ref() {
            let (entry, cursor) = (r.entry, r.cursor_char());
            self.carry_out(vec![Effect::Open {
                entry,
                cursor: Some(cursor),
                then: None,
            }]);
        }
    }

    /// Leave as `q` does (a signal ended gloss): save what is open, keep what cannot be saved,
    /// remember the place.
    pub fn shut_down(&mut self) {
        self.quit_pending = None;
        if !self.state.quit {
            self.dispatch(Action::Quit);
        }
        // a quit refused (tags that can be kept nowhere): a signal cannot wait, they are lost
        if !self.state.quit {
            self.dispatch(Action::Quit);
        }
    }

    /// What to print when gloss has ended, one line each: tags left in recovery files (with the
    /// command that merges each back) and tags lost. Not empty: gloss exits non-zero.
    pub fn exit_notes(&self) -> &[String] {
        &self.state.exit_notes
    }

    /// Write the open article's tags to a recovery file in the data folder (after a crash).
    /// `None` when no article is open.
    pub fn write_recovery(&self) -> Option<gloss_core::Result<Recovery>> {
        let r = self.state.reader.as_ref()?;
        Some(super::runner::write_recovery(
            self.runner.dirs(),
            r.doc.path(),
            r.doc.sidecar_path(),
            &r.doc.to_sidecar(),
            &r.doc.base_sidecar(),
        ))
    }
}

/// `n` with its thousands grouped: 143,000.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
