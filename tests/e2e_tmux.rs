//! End to end: the real gloss binary in a pseudo-terminal (tmux), keys in, screen and sidecar checked.
//! Needs tmux (`.ci/run` installs it).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn new() -> Tmux {
        let ok = Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            ok,
            "this test needs tmux on the PATH (apt-get install -y tmux)"
        );
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // one server per test: tests run in parallel and each kills its server at the end
        Tmux {
            socket: format!("gloss-e2e-{}-{n}", std::process::id()),
        }
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn start(&self, session: &str, command: &str) {
        let out = self.run(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "35",
            command,
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn keys(&self, session: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", session];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    fn screen(&self, session: &str) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", session]).stdout)
            .into_owned()
    }

    fn alive(&self, session: &str) -> bool {
        self.run(&["has-session", "-t", session]).status.success()
    }

    /// Wait until `f` holds, or fail showing the screen.
    fn wait(&self, session: &str, what: &str, f: impl Fn(&Tmux) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if f(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {what}; screen:\n{}",
            self.screen(session)
        );
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// The command that runs gloss on `corpus` as annotator e2e, its folders under `tmp`.
fn gloss_on(tmp: &Path, corpus: &Path) -> String {
    format!(
        "env GLOSS_DATA_DIR={} GLOSS_CONFIG_DIR={} {} --annotator e2e {}",
        quote(&tmp.join("data")),
        quote(&tmp.join("config")),
        quote(Path::new(env!("CARGO_BIN_EXE_gloss"))),
        quote(corpus)
    )
}

/// Wait for the article list of the sample corpus, then open its first article.
fn open_sample(tmux: &Tmux, session: &str) {
    tmux.wait(session, "the article list", |t| {
        t.screen(session).contains("Articles (7)")
    });
    tmux.keys(session, &["Enter"]);
    tmux.wait(session, "the reader", |t| {
        t.screen(session).contains("Tác giả: THÀNH CHUNG")
    });
}

fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn tag_a_person_in_a_real_terminal_quit_and_come_back() {
    let tmux = Tmux::new();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = common::sample_corpus(tmp.path());
    let command = gloss_on(tmp.path(), &corpus);
    tmux.start("a", &command);
    open_sample(&tmux, "a");
    tmux.keys("a", &["/", "to lam", "Enter"]);
    tmux.wait("a", "the search hit", |t| {
        t.screen("a").contains("hit 1 of 2")
    });
    tmux.keys("a", &["p"]);
    let sidecar = corpus.join("000_7a10bffd121dacb3.ron");
    tmux.wait("a", "the sidecar", |_| sidecar.exists());
    tmux.wait("a", "the status", |t| t.screen("a").contains("PERSON 1"));

    let saved = gloss_core::store::Sidecar::load(&sidecar).unwrap().unwrap();
    let text = std::fs::read_to_string(corpus.join(common::SAMPLE)).unwrap();
    assert_eq!(saved.tags.len(), 1);
    let t = &saved.tags[0];
    assert_eq!(
        (t.label.as_str(), t.text.as_str(), t.annotator.as_str()),
        ("PERSON", "Tô Lâm", "e2e")
    );
    assert_eq!(common::char_slice(&text, t.start, t.end), "Tô Lâm");

    tmux.keys("a", &["q"]);
    tmux.wait("a", "gloss to quit", |t| !t.alive("a"));

    // Reopen: back at the same article, cursor on the tag.
    tmux.start("b", &command);
    tmux.wait("b", "the same article again", |t| {
        let s = t.screen("b");
        s.contains("Tác giả: THÀNH CHUNG") && s.contains("on PERSON")
    });
    tmux.keys("b", &["q"]);
    tmux.wait("b", "gloss to quit", |t| !t.alive("b"));
}

#[test]
fn relate_and_link_in_a_real_terminal() {
    let tmux = Tmux::new();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = common::sample_corpus(tmp.path());
    let command = gloss_on(tmp.path(), &corpus);
    tmux.start("r", &command);
    open_sample(&tmux, "r");
    tmux.keys("r", &["/", "to lam", "Enter"]);
    tmux.wait("r", "the search hit", |t| {
        t.screen("r").contains("hit 1 of 2")
    });
    tmux.keys("r", &["p"]);
    tmux.wait("r", "the person", |t| t.screen("r").contains("PERSON 1"));
    tmux.keys("r", &["/", "chi thi so 24", "Enter"]);
    tmux.wait("r", "the directive hit", |t| {
        t.screen("r").contains("hit 1 of 1")
    });
    tmux.keys("r", &["d"]);
    tmux.wait("r", "the directive", |t| {
        t.screen("r").contains("DIRECTIVE 1")
    });
    // from Tô Lâm to the directive
    tmux.keys("r", &["g", "/", "to lam", "Enter", "A"]);
    tmux.wait("r", "the relation started", |t| {
        t.screen("r").contains("RELATE")
    });
    tmux.keys("r", &["/", "chi thi so 24", "Enter"]);
    tmux.wait("r", "the other tag", |t| {
        t.screen("r").contains("hit 1 of 1")
    });
    tmux.keys("r", &["Enter"]);
    let sidecar = corpus.join("000_7a10bffd121dacb3.ron");
    let relations = || {
        gloss_core::store::Sidecar::load(&sidecar)
            .ok()
            .flatten()
            .map_or(0, |s| s.relations.len())
    };
    tmux.wait("r", "the relation saved", |_| relations() == 1);
    // Tô Lâm linked to a new entity
    tmux.keys("r", &["g", "/", "to lam", "Enter", "L"]);
    tmux.wait("r", "the link prompt", |t| {
        t.screen("r").contains("entity of the PERSON tag: Tô Lâm")
    });
    tmux.keys("r", &["Enter"]);
    let registry = corpus.join("entities.ron");
    tmux.wait("r", "the registry", |_| registry.exists());
    // the relation view: the tree, then enter jumps to the directive; T closes it
    tmux.keys("r", &["T"]);
    tmux.wait("r", "the relation view", |t| {
        let s = t.screen("r");
        s.contains("Relations (1)") && s.contains("└ISSUES→ chỉ thị số 24")
    });
    tmux.keys("r", &["j", "Enter"]);
    tmux.wait("r", "the jump to the directive", |t| {
        t.screen("r").contains("on DIRECTIVE “chỉ thị số 24”")
    });
    tmux.keys("r", &["T"]);
    tmux.wait("r", "the article list again", |t| {
        t.screen("r").contains("Articles (7)")
    });
    // the entities pane: the entity with its mention; renamed; its mentions listed
    tmux.keys("r", &["M"]);
    tmux.wait("r", "the entities pane", |t| {
        let s = t.screen("r");
        s.contains("Entities (1)")
            && s.lines().any(|l| {
                l.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains("Tô Lâm PERSON 1 1")
            })
    });
    tmux.keys("r", &["r", "C-u", "Đại tướng Tô Lâm", "Enter"]);
    tmux.wait("r", "the rename saved", |_| {
        gloss_core::entity::Registry::load(&corpus)
            .ok()
            .and_then(|r| r.get("person-to-lam").map(|e| e.name.clone()))
            .as_deref()
            == Some("Đại tướng Tô Lâm")
    });
    tmux.keys("r", &["Enter"]);
    tmux.wait("r", "the mentions", |t| {
        t.screen("r").contains("Mentions of Đại tướng Tô Lâm")
    });
    tmux.keys("r", &["Escape"]);
    // (q at once after esc would read as alt-q)
    tmux.wait("r", "the article list again", |t| {
        t.screen("r").contains("Articles (7)")
    });
    tmux.keys("r", &["q"]);
    tmux.wait("r", "gloss to quit", |t| !t.alive("r"));
    let saved = gloss_core::store::Sidecar::load(&sidecar).unwrap().unwrap();
    let by_id = |id: &str| saved.tags.iter().find(|t| t.id == id).unwrap();
    let r = &saved.relations[0];
    assert_eq!(
        (
            r.label.as_str(),
            by_id(&r.head).text.as_str(),
            by_id(&r.tail).text.as_str()
        ),
        ("ISSUES", "Tô Lâm", "chỉ thị số 24")
    );
    assert_eq!(by_id(&r.head).entity.as_deref(), Some("person-to-lam"));
    let reg = gloss_core::entity::Registry::load(&corpus).unwrap();
    assert_eq!(reg.get("person-to-lam").unwrap().name, "Đại tướng Tô Lâm");
}

fn pane_pid(tmux: &Tmux, session: &str) -> u32 {
    let out = tmux.run(&["display-message", "-p", "-t", session, "#{pane_pid}"]);
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("pane pid")
}

fn child_of(pid: u32) -> Option<u32> {
    let out = Command::new("pgrep")
        .arg("-P")
        .arg(pid.to_string())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn sigterm_and_sighup_save_the_place_and_restore_the_terminal() {
    let tmux = Tmux::new();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = common::sample_corpus(tmp.path());
    let data = tmp.path().join("data");
    let gloss = format!(
        "env GLOSS_DATA_DIR={} GLOSS_CONFIG_DIR={} {} {}",
        quote(&data),
        quote(&tmp.path().join("config")),
        quote(Path::new(env!("CARGO_BIN_EXE_gloss"))),
        quote(&corpus)
    );
    // SIGTERM: gloss exits 0 and leaves the alternate screen.
    tmux.start("t", &format!("{gloss}; echo EXITED $?; sleep 30"));
    tmux.wait("t", "the list", |t| t.screen("t").contains("Articles (7)"));
    tmux.keys("t", &["Enter"]);
    tmux.keys("t", &["/", "le minh hung", "Enter"]);
    tmux.wait("t", "the hit", |t| t.screen("t").contains("hit 1 of 1"));
    tmux.keys("t", &["p"]);
    tmux.wait("t", "the tag", |t| t.screen("t").contains("PERSON 1"));
    let gloss_pid = child_of(pane_pid(&tmux, "t")).expect("gloss runs under the shell");
    assert!(
        Command::new("kill")
            .arg("-TERM")
            .arg(gloss_pid.to_string())
            .status()
            .unwrap()
            .success()
    );
    tmux.wait("t", "gloss to exit", |t| t.screen("t").contains("EXITED 0"));
    let screen = tmux.screen("t");
    assert!(
        !screen.contains("Articles (7)"),
        "the TUI is gone from the screen:\n{screen}"
    );
    let sessions = std::fs::read_to_string(data.join("sessions.ron")).unwrap();
    assert!(sessions.contains("000_7a10bffd121dacb3.txt"));
    let sc = gloss_core::store::Sidecar::load(&corpus.join("000_7a10bffd121dacb3.ron"))
        .unwrap()
        .unwrap();
    assert_eq!(sc.tags[0].text, "Lê Minh Hưng");

    // SIGHUP (the terminal closes): the place is saved.
    tmux.start("h", &gloss);
    tmux.wait("h", "the reader", |t| t.screen("h").contains("on PERSON"));
    tmux.keys("h", &["]"]);
    // (the status bar, not the list, which shows file names until the scan has read titles)
    tmux.wait("h", "the next article", |t| {
        t.screen("h").contains("READ  binhvq_001.txt")
    });
    let pid = pane_pid(&tmux, "h");
    tmux.run(&["kill-session", "-t", "h"]);
    let start = Instant::now();
    while alive(pid) && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(pid), "gloss exits on SIGHUP");
    let sessions = std::fs::read_to_string(data.join("sessions.ron")).unwrap();
    assert!(sessions.contains("binhvq_001.txt"), "{sessions}");
}

/// The README's "A first session", key for key, on the bundled sample as `gloss` with no folder
/// installs it.
#[test]
fn the_readmes_first_session_as_written() {
    let tmux = Tmux::new();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let command = format!(
        "env GLOSS_DATA_DIR={} GLOSS_CONFIG_DIR={} GLOSS_CACHE_DIR={} {} --annotator e2e",
        quote(&data),
        quote(&tmp.path().join("config")),
        quote(&tmp.path().join("cache")),
        quote(Path::new(env!("CARGO_BIN_EXE_gloss"))),
    );
    // 1.
    tmux.start("r", &command);
    tmux.wait("r", "the article list", |t| {
        t.screen("r").contains("Articles (7)")
    });
    tmux.keys("r", &["Enter"]);
    tmux.wait("r", "the reader", |t| {
        t.screen("r").contains("Tác giả: THÀNH CHUNG")
    });
    // 2.
    tmux.keys("r", &["/", "to lam", "Enter"]);
    tmux.wait("r", "the hit", |t| t.screen("r").contains("hit 1 of 2"));
    tmux.keys("r", &["p"]);
    tmux.wait("r", "the tag", |t| t.screen("r").contains("PERSON 1"));
    // 3. search, then a motion from the hit
    tmux.keys("r", &["/", "chi thi so", "Enter"]);
    tmux.wait("r", "the hit", |t| t.screen("r").contains("hit 1 of 1"));
    tmux.keys("r", &["e"]);
    tmux.keys("r", &["d"]);
    tmux.wait("r", "the directive", |t| {
        t.screen("r").contains("DIRECTIVE 1")
    });
    // 4.
    tmux.keys("r", &["/", "tao su thong nhat", "Enter"]);
    tmux.wait("r", "the hit", |t| t.screen("r").contains("hit 1 of"));
    tmux.keys("r", &["Escape"]);
    // (a key sent right after ESC would read as alt-key: wait for ESC to be taken)
    tmux.wait("r", "the selection to go", |t| {
        t.screen("r").contains(" READ ")
    });
    tmux.keys("r", &["s"]);
    tmux.keys("r", &["t"]);
    tmux.wait("r", "the task", |t| t.screen("r").contains("TASK 1"));
    // 5.
    tmux.keys("r", &["?"]);
    tmux.wait("r", "the help", |t| {
        let s = t.screen("r");
        s.contains("corpus: ") && s.contains("sample-corpus") && s.contains("tags saved beside")
    });
    tmux.keys("r", &["Escape"]);
    tmux.wait("r", "the help to close", |t| {
        !t.screen("r").contains("Keys (j/k")
    });
    tmux.keys("r", &["q"]);
    tmux.wait("r", "gloss to quit", |t| !t.alive("r"));
    let corpus = data.join("sample-corpus");
    let sc = gloss_core::store::Sidecar::load(&corpus.join("000_7a10bffd121dacb3.ron"))
        .unwrap()
        .unwrap();
    let text = std::fs::read_to_string(corpus.join(common::SAMPLE)).unwrap();
    let tagged: Vec<(&str, String)> = sc
        .tags
        .iter()
        .map(|t| (t.label.as_str(), common::char_slice(&text, t.start, t.end)))
        .collect();
    assert_eq!(tagged.len(), 3, "{tagged:?}");
    assert!(
        tagged.contains(&("PERSON", "Tô Lâm".to_string())),
        "{tagged:?}"
    );
    assert!(
        tagged.contains(&("DIRECTIVE", "chỉ thị số 24".to_string())),
        "{tagged:?}"
    );
    assert!(
        tagged
            .iter()
            .any(|(l, t)| *l == "TASK" && t.starts_with("Tạo sự thống nhất")),
        "{tagged:?}"
    );
    // back at the same article and cursor
    tmux.start("s", &command);
    tmux.wait("s", "the same article again", |t| {
        let s = t.screen("s");
        s.contains("Tác giả: THÀNH CHUNG") && s.contains("on TASK")
    });
    tmux.keys("s", &["q"]);
    tmux.wait("s", "gloss to quit", |t| !t.alive("s"));
}

#[test]
fn an_export_to_a_terminal_cannot_drive_it() {
    let tmux = Tmux::new();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    std::fs::create_dir_all(&corpus).unwrap();
    // an article whose text sets the terminal's title (OSC 2) and clears the screen
    let text = "Ông Tô Lâm \u{1b}]2;pwned\u{7}\u{1b}[2J nói.";
    std::fs::write(corpus.join("a.txt"), text).unwrap();
    let b = text.find("Tô Lâm").unwrap();
    let s = text[..b].chars().count();
    let mut t = gloss_core::annotation::Annotation::new("PERSON", s, s + 6, "Tô Lâm", "x");
    t.id = "t1".into();
    gloss_core::store::Sidecar::new(
        &corpus.join("a.txt"),
        text,
        &gloss_core::annotation::AnnotationSet::new(vec![t]),
    )
    .save(&corpus.join("a.ron"))
    .unwrap();
    for (session, format) in [("csv", "csv"), ("conll", "conll")] {
        let command = format!(
            "{} export {} --format {format}; echo DONE; sleep 30",
            quote(Path::new(env!("CARGO_BIN_EXE_gloss"))),
            quote(&corpus)
        );
        tmux.start(session, &command);
        tmux.wait(session, "the export", |t| {
            t.screen(session).contains("DONE")
        });
        let title = tmux.run(&["display-message", "-p", "-t", session, "#{pane_title}"]);
        let title = String::from_utf8_lossy(&title.stdout);
        assert!(
            !title.contains("pwned"),
            "{format}: the title became {title:?}"
        );
        let screen = tmux.screen(session);
        assert!(!screen.contains('\u{1b}'), "{format}: {screen}");
        if format == "csv" {
            // csv carries the whole text: the sequence is there to read, as text
            assert!(
                screen.contains("]2;pwned"),
                "{format}: shown as text: {screen}"
            );
            assert!(screen.contains("␛"), "{format}: {screen}");
        } else {
            // CoNLL shows tokens: the name is still there, tagged
            assert!(screen.contains("Lâm"), "{format}: {screen}");
        }
    }
}

/// Tags a save could not write, in a real terminal: kept in a recovery file, gloss exits 1 and
/// says on stderr where they are and how to merge them back; with the data folder blocked too,
/// the first `q` is refused and the second exits 1 saying they are lost.
#[test]
fn unsaved_tags_at_exit_are_said_on_stderr_and_exit_non_zero() {
    let tmux = Tmux::new();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("c");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "Ông Tô Lâm nói.\n").unwrap();
    // a regular file where folders should be: nothing can be written under it
    let blocker = tmp.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let gloss = |data: &Path| {
        format!(
            "env GLOSS_DATA_DIR={} GLOSS_CONFIG_DIR={} {} --annotator e2e --annotations {} {}; echo EXITED $?; sleep 30",
            quote(data),
            quote(&tmp.path().join("config")),
            quote(Path::new(env!("CARGO_BIN_EXE_gloss"))),
            quote(&blocker.join("ann")),
            quote(&corpus)
        )
    };
    // the data folder can be written: a recovery file
    tmux.start("r", &gloss(&tmp.path().join("data")));
    tmux.wait("r", "the list", |t| t.screen("r").contains("Articles (1)"));
    tmux.keys("r", &["Enter"]);
    tmux.wait("r", "the reader", |t| t.screen("r").contains("READ  a.txt"));
    tmux.keys("r", &["w", "p"]);
    tmux.wait("r", "the failed save", |t| {
        t.screen("r").contains("NOT SAVED")
    });
    tmux.keys("r", &["q"]);
    tmux.wait("r", "gloss to exit", |t| t.screen("r").contains("EXITED"));
    let screen = tmux.screen("r").replace('\n', "");
    assert!(screen.contains("EXITED 1"), "{screen}");
    assert!(
        screen.contains("were written to") && screen.contains("gloss recover"),
        "{screen}"
    );
    // the data folder cannot be written either: q is refused, the second q loses them
    tmux.start("l", &gloss(&blocker.join("data")));
    tmux.wait("l", "the list", |t| t.screen("l").contains("Articles (1)"));
    tmux.keys("l", &["Enter"]);
    tmux.wait("l", "the reader", |t| t.screen("l").contains("READ  a.txt"));
    tmux.keys("l", &["w", "p"]);
    tmux.wait("l", "the failed save", |t| {
        t.screen("l").contains("NOT SAVED")
    });
    tmux.keys("l", &["q"]);
    tmux.wait("l", "the refusal", |t| t.screen("l").contains("NOT QUIT"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!tmux.screen("l").contains("EXITED"), "{}", tmux.screen("l"));
    tmux.keys("l", &["q"]);
    tmux.wait("l", "gloss to exit", |t| t.screen("l").contains("EXITED"));
    let screen = tmux.screen("l").replace('\n', "");
    assert!(screen.contains("EXITED 1"), "{screen}");
    assert!(screen.contains("gloss: LOST: the tags of"), "{screen}");
}
