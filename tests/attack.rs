//! What an attack on gloss found (issue "No panic, no hang, no silent loss"), each as a test:
//! hostile corpora and sidecars are generated here; anything that could hang runs under a watchdog,
//! so a regression fails instead of stalling CI.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::Harness;
use gloss_core::store::Sidecar;

fn corpus_of(files: Vec<(&'static str, String)>) -> impl FnOnce(&Path) -> PathBuf {
    move |tmp| {
        let c = tmp.join("c");
        std::fs::create_dir_all(&c).unwrap();
        for (name, text) in files {
            std::fs::write(c.join(name), text).unwrap();
        }
        c
    }
}

/// Run gloss with `args`, killed after `secs` (a hang fails the test).
fn gloss_within(secs: u64, args: &[&str], data: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .env("GLOSS_DATA_DIR", data)
        .env("GLOSS_CACHE_DIR", data.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("gloss {args:?} did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Run `f` on a thread; fail if it takes longer than `secs`.
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("did not finish within {secs} s"))
}

fn mkfifo(p: &Path) {
    assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
}

#[test]
fn moving_the_ends_of_a_one_word_tag_never_panics() {
    let mut h = Harness::with_corpus(corpus_of(vec![("a.txt", "Ông Tô Lâm nói.\n".into())]));
    // `p` on a one-word tag, then `>`: the start cannot move past the end
    h.keys("<enter>p>");
    assert!(h.message().contains("cannot shrink"), "{}", h.message());
    assert_eq!(h.sidecar("a.txt").tags[0].text, "Ông");
    // `l v l p` then `-`
    h.keys("xw lvlp-");
    let tags = h.sidecar("a.txt").tags;
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert!(!h.message().is_empty());
}

#[test]
fn a_sidecar_with_raw_identifiers_opens_and_keeps_them() {
    let text = "Ông Tô Lâm nói.\n";
    let sidecar = format!(
        "(format: 1, article: \"a.txt\", sha256: \"{}\", status: New, tags: [], zz: r#abc, ww: \"x\\\"#\")",
        gloss_core::store::sha256_hex(text)
    );
    let mut h = Harness::with_corpus(|tmp| {
        let c = corpus_of(vec![("a.txt", text.into())])(tmp);
        std::fs::write(c.join("a.ron"), &sidecar).unwrap();
        c
    });
    h.keys("<enter>wp");
    let saved = std::fs::read_to_string(h.sidecar_path("a.txt")).unwrap();
    assert!(saved.contains("    zz: r#abc,\n"), "{saved}");
    assert!(saved.contains("    ww: \"x\\\"#\",\n"), "{saved}");
    assert_eq!(h.sidecar("a.txt").tags[0].text, "Tô");
    // the remembered place reopens, and the batch paths read it too
    h.reopen();
    assert!(h.app.state.reader.is_some());
    let tmp = tempfile::tempdir().unwrap();
    let out = gloss_within(60, &["suggest", h.corpus.to_str().unwrap()], tmp.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn two_tags_of_one_id_both_survive_editing_either() {
    let text = "Tô Lâm và Trương Thị Mai.\n";
    let tag = |label: &str, s: usize, e: usize, t: &str| {
        format!(
            "(id: \"same\", label: \"{label}\", start: {s}, end: {e}, text: \"{t}\", annotator: \"x\", created: \"c\", modified: \"m\")"
        )
    };
    let sidecar = format!(
        "(format: 1, article: \"a.txt\", sha256: \"{}\", tags: [{}, {}])",
        gloss_core::store::sha256_hex(text),
        tag("PERSON", 0, 6, "Tô Lâm"),
        tag("TASK", 10, 24, "Trương Thị Mai")
    );
    let mut h = Harness::with_corpus(|tmp| {
        let c = corpus_of(vec![("a.txt", text.into())])(tmp);
        std::fs::write(c.join("a.ron"), &sidecar).unwrap();
        c
    });
    h.keys("<enter>");
    assert!(h.message().contains("new ids"), "{}", h.message());
    // re-label the first, accept it, grow it: the other stays
    h.keys("rd");
    h.keys("a");
    let tags = h.sidecar("a.txt").tags;
    assert_eq!(tags.len(), 2, "{tags:?}");
    assert_ne!(tags[0].id, tags[1].id);
    assert!(
        tags.iter()
            .any(|t| t.label == "DIRECTIVE" && t.text == "Tô Lâm")
    );
    assert!(
        tags.iter()
            .any(|t| t.label == "TASK" && t.text == "Trương Thị Mai")
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_skipped_with_a_message_by_every_path() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    std::fs::write(c.join("a.txt"), "Ông Tô Lâm nói.\n").unwrap();
    mkfifo(&c.join("x.txt"));
    std::os::unix::fs::symlink("/dev/zero", c.join("zero.txt")).unwrap();
    let cs = c.to_str().unwrap();
    let data = tmp.path().join("data");
    for args in [
        vec!["stats", cs],
        vec!["export", cs, "-f", "jsonl"],
        vec!["search", cs, "lam"],
    ] {
        let out = gloss_within(60, &args, &data);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("x.txt") && err.contains("FIFO"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("zero.txt") && err.contains("device"),
            "{args:?}: {err}"
        );
    }
    // export and stats fail unless --keep-going; search and suggest go on
    assert_eq!(
        gloss_within(60, &["export", cs, "-f", "jsonl"], &data)
            .status
            .code(),
        Some(1)
    );
    let out = gloss_within(60, &["export", cs, "-f", "jsonl", "--keep-going"], &data);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    assert!(gloss_within(60, &["suggest", cs], &data).status.success());
    // the TUI lists neither, says so at open, and never blocks
    let c2 = c.clone();
    let message = within(60, move || {
        let dirs = common::dirs_in(&c2.join("..").join("tui"));
        let app = common::open_app(&c2, &dirs);
        let n = app.state.articles.len();
        let names: Vec<String> = (0..n)
            .map(|i| app.state.articles.name(i).into_owned())
            .collect();
        (names, app.state.message.clone())
    });
    assert_eq!(message.0, ["a.txt"]);
    assert!(message.1.unwrap().0.contains("could not be read"));
}

#[test]
fn a_held_lock_delays_the_save_without_freezing_and_the_save_follows() {
    let mut h = Harness::with_corpus(corpus_of(vec![("a.txt", "Ông Tô Lâm nói.\n".into())]));
    let lock_path = h.corpus.join("a.ron.lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let t0 = std::time::Instant::now();
    h.keys("<enter>wp");
    assert!(t0.elapsed() < Duration::from_secs(10), "the key came back");
    assert!(
        h.message().contains("NOT SAVED") && h.message().contains("locked"),
        "{}",
        h.message()
    );
    assert!(!h.sidecar_path("a.txt").exists());
    lock.unlock().unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    h.tick();
    assert_eq!(
        h.sidecar("a.txt").tags[0].text,
        "Tô",
        "saved on the next try"
    );
}

#[test]
fn control_bytes_in_file_names_and_labels_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    let names = [
        "12_csi\u{1b}[2J\u{1b}[31m.txt",
        "nl\nforged:1:lam.txt",
        "rlo\u{202e}txt.txt",
    ];
    for n in names {
        std::fs::write(c.join(n), "Ông Tô Lâm nói.\n").unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bad = std::ffi::OsStr::from_bytes(b"bad\xff.txt");
        std::fs::write(c.join(bad), "Lâm\n").unwrap();
    }
    let data = tmp.path().join("data");
    let out = gloss_within(60, &["search", c.to_str().unwrap(), "lam"], &data);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{202e}'),
        "{stdout:?}"
    );
    assert_eq!(
        stdout.lines().count(),
        names.len() + 1,
        "one line a hit: {stdout:?}"
    );
    assert!(stdout.contains("nl\\u{a}forged"), "{stdout}");
    assert!(stdout.contains("bad\\xff.txt"), "{stdout}");
    // labels of tags in sidecars: the table shows placeholders, --json escapes
    let text = "Tô Lâm";
    let mut t =
        gloss_core::annotation::Annotation::new("P\u{1b}]0;T\u{7}\u{9b}\u{202e}", 0, 6, text, "x");
    t.id = "t".into();
    std::fs::write(c.join("lab.txt"), text).unwrap();
    Sidecar::new(
        &c.join("lab.txt"),
        text,
        &gloss_core::annotation::AnnotationSet::new(vec![t]),
    )
    .save(&c.join("lab.ron"))
    .unwrap();
    for json in [false, true] {
        let mut args = vec!["stats", c.to_str().unwrap()];
        if json {
            args.push("--json");
        }
        let out = gloss_within(60, &args, &data);
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(
            !s.chars().any(|ch| gloss_core::text::display::is_control(ch)
                || gloss_core::text::display::is_bidi_control(ch)),
            "{s:?}"
        );
        if json {
            let v: serde_json::Value = serde_json::from_str(&s).unwrap();
            assert!(
                v["tags_per_label"]["P\u{1b}]0;T\u{7}\u{9b}\u{202e}"].is_number(),
                "data stays data"
            );
        }
    }
    // a label named with a bidi control is refused in gloss.ron
    std::fs::write(
        c.join("gloss.ron"),
        "(labels: Some([(name: \"PER\u{202e}SON\", key: 'p', color: \"cyan\")]))",
    )
    .unwrap();
    let out = gloss_within(60, &["suggest", c.to_str().unwrap()], &data);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gloss.ron") && !err.contains('\u{202e}'),
        "{err}"
    );
}

#[test]
fn a_sidecar_too_large_to_read_back_is_never_written() {
    // 150,000 tags whose sidecar with context would pass the 64 MB gloss reads back: written
    // without context; the article then opens with every tag.
    let unit = "Nguyễn Văn An. ";
    let n = 150_000;
    let text = unit.repeat(n);
    let tags: Vec<gloss_core::annotation::Annotation> = (0..n)
        .map(|k| {
            let s = k * unit.chars().count();
            let mut t = gloss_core::annotation::Annotation::new(
                "PERSON",
                s,
                s + 12,
                "Nguyễn Văn An",
                "annotator-with-a-long-name",
            );
            t.id = format!("{k:012}");
            t.note = Some("ghi chú cho mỗi thẻ".into());
            t
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("a.txt");
    std::fs::write(&p, &text).unwrap();
    let dirs = gloss_core::store::SidecarDirs::new(tmp.path(), None);
    let mut doc = gloss_core::store::Document::open(&dirs, &p).unwrap();
    let with_context = Sidecar::new(
        &p,
        &text,
        &gloss_core::annotation::AnnotationSet::new(tags.clone()),
    )
    .to_ron()
    .len();
    assert!(
        with_context as u64 > gloss_core::store::MAX_SIDECAR_BYTES,
        "{with_context}"
    );
    doc.edit(
        tags.into_iter()
            .map(gloss_core::annotation::Change::Add)
            .collect(),
    );
    doc.save().unwrap();
    let size = std::fs::metadata(dirs.sidecar_of(&p)).unwrap().len();
    assert!(size <= gloss_core::store::MAX_SIDECAR_BYTES, "{size}");
    let back = gloss_core::store::Document::open(&dirs, &p).unwrap();
    assert!(back.read_only().is_none());
    assert_eq!(back.tags().len(), n);
}

#[test]
fn tags_that_cannot_be_saved_are_kept_in_a_recovery_file_at_quit() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus_of(vec![("a.txt", "Ông Tô Lâm nói.\n".into())])(tmp.path());
    // sidecars go under a path that cannot be a folder: a regular file stands in the way
    let blocker = tmp.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    let dirs = common::dirs_in(tmp.path());
    let mut app = gloss::tui::App::new(
        gloss::tui::Options {
            root: c.clone(),
            annotations: Some(blocker.join("ann")),
            annotator: Some("me".into()),
            dirs: dirs.clone(),
        },
        ratatui::layout::Rect::new(0, 0, 120, 36),
    )
    .unwrap();
    app.finish_scan();
    let said = app.state.message.clone().unwrap().0;
    assert!(
        said.contains("tags cannot be saved") && said.contains("--annotations"),
        "{said}"
    );
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    for c in ['\n', 'w', 'p', 'q'] {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
    assert!(app.state.quit);
    let note = app
        .exit_notes()
        .first()
        .cloned()
        .expect("quitting says where the tags went");
    assert!(note.contains("recovery"), "{note}");
    // (beside it, the base its tags were edited from: `<name>.base`)
    let rec: Vec<_> = std::fs::read_dir(dirs.data.join("recovery"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
        .collect();
    assert_eq!(rec.len(), 1);
    let sc = Sidecar::load(&rec[0].path()).unwrap().unwrap();
    assert_eq!(sc.tags[0].text, "Tô");
}

#[test]
fn suggestions_on_a_long_line_of_triggers_and_names_do_not_hang() {
    // one 2 MB line: every pattern fires thousands of times, with no line break to bound a search
    let unit = "ông Nguyễn Văn Tư và Hoài An - Bà Rịa Thể thao THANH VÂN Linh nói “yêu cầu X phải \
                đi” rồi Luật Đất đai 2013 Nghị quyết số 39-NQ/TW, Bỏ quy định Y phải làm, ";
    let text = unit.repeat(2_000_000 / unit.len());
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus_of(vec![("a.txt", text)])(tmp.path());
    let out = gloss_within(120, &["suggest", c.to_str().unwrap()], tmp.path());
    assert!(out.status.success());
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("PERSON") && report.contains("TASK"),
        "{report}"
    );
}

#[test]
fn names_gloss_defines_are_plain_and_what_a_model_learnt_prints_safely() {
    let tmp = tempfile::tempdir().unwrap();
    let c = tmp.path().join("c");
    std::fs::create_dir_all(&c).unwrap();
    let data = tmp.path().join("data");
    let hostile = "P\u{1b}]0;T\u{7}\u{202e}";
    // a relation type with an escape, in gloss.ron: refused, the file named, nothing raw printed
    std::fs::write(
        c.join("gloss.ron"),
        format!("(relations: Some([(name: {hostile:?}, key: 'i', head: [], tail: [])]))"),
    )
    .unwrap();
    std::fs::write(c.join("a.txt"), "Ông Tô Lâm nói.").unwrap();
    let out = gloss_within(60, &["suggest", c.to_str().unwrap()], &data);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gloss.ron") && err.contains("relation type"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
    std::fs::remove_file(c.join("gloss.ron")).unwrap();
    // an entity id with a bidi control, in entities.ron: refused, named
    std::fs::write(
        c.join("entities.ron"),
        format!("(format: 1, entities: [(id: {hostile:?}, label: \"PERSON\", name: \"Tô Lâm\")])"),
    )
    .unwrap();
    let reg = gloss_core::entity::Registry::load(&c)
        .unwrap_err()
        .to_string();
    assert!(
        reg.contains("entities.ron") && reg.contains("plain name"),
        "{reg}"
    );
    std::fs::remove_file(c.join("entities.ron")).unwrap();
    // a tag's label with an escape in a finished article's sidecar: the model learns it as data,
    // and what gloss suggest --model says of it reaches the terminal as placeholders
    let text = "Hôm qua ông Tô Lâm đến. Ông Tô Lâm nói.";
    let mut tags = Vec::new();
    for (i, (b, _)) in text.match_indices("Tô Lâm").enumerate() {
        let s = text[..b].chars().count();
        let mut t = gloss_core::annotation::Annotation::new(hostile, s, s + 6, "Tô Lâm", "x");
        t.id = format!("t{i}");
        tags.push(t);
    }
    std::fs::write(c.join("a.txt"), text).unwrap();
    let mut sc = Sidecar::new(
        &c.join("a.txt"),
        text,
        &gloss_core::annotation::AnnotationSet::new(tags),
    );
    sc.status = gloss_core::annotation::Status::Done;
    sc.save(&c.join("a.ron")).unwrap();
    let out = gloss_within(120, &["suggest", c.to_str().unwrap(), "--model"], &data);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("model for"), "{err}");
    assert!(
        !err.chars()
            .any(|ch| gloss_core::text::display::is_control(ch)
                || gloss_core::text::display::is_bidi_control(ch)),
        "{err:?}"
    );
}
