//! The command line's conventions, as ripgrep, git and cargo keep them: `gloss help` takes `-h`,
//! value names in any case, `-q/--quiet`, shell completions and a man page, and `gloss eval` taking
//! gloss's own jsonl export as gold.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::corpus::corpus;

fn gloss(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .env("GLOSS_ANNOTATOR", "importer")
        .env("XDG_CONFIG_HOME", "/nonexistent-gloss-config")
        .output()
        .expect("gloss runs")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn help_takes_h_and_names_a_subcommand() {
    for args in [&["help", "-h"][..], &["help", "--help"], &["help"], &["-h"]] {
        let o = gloss(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage: gloss"),
            "{args:?}"
        );
    }
    let export = stdout(&gloss(&["help", "export"]));
    assert!(export.contains("Usage: gloss export"), "{export}");
    assert!(
        !export.contains('\u{1b}'),
        "no styling into a pipe: {export}"
    );
    // an unknown subcommand is a usage error, as clap's own
    let o = gloss(&["help", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope"));
}

#[test]
fn format_names_take_any_case() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let lower = stdout(&gloss(&["export", s(&c), "-f", "jsonl"]));
    let upper = stdout(&gloss(&["export", s(&c), "--format", "JSONL"]));
    assert_eq!(lower, upper);
    let o = gloss(&["export", s(&c), "-f", "Doccano", "--offsets", "CodePoint"]);
    assert!(stdout(&o).contains("\"offsets\":\"codepoint\""));
    let file = tmp.path().join("x.jsonl");
    std::fs::write(&file, &lower).unwrap();
    let said = stdout(&gloss(&["import", s(&c), "-f", "JSONL", s(&file)]));
    assert!(said.contains(" 0 tag(s) added, 11 already there"), "{said}");
}

#[test]
fn quiet_says_nothing_but_what_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let file = tmp.path().join("x.jsonl");
    assert!(
        gloss(&["export", s(&c), "-f", "jsonl", "-q", "-o", s(&file)])
            .status
            .success()
    );
    // into a copy without sidecars: the tags come, nothing is printed
    let copy = tmp.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    for e in std::fs::read_dir(&c).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "txt") {
            std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
        }
    }
    let o = gloss(&["import", s(&copy), "-f", "jsonl", "--quiet", s(&file)]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
    assert_eq!(String::from_utf8_lossy(&o.stderr), "");
    assert!(copy.join("a.ron").exists());
    let again = stdout(&gloss(&["import", s(&copy), "-f", "jsonl", s(&file)]));
    assert!(
        again.contains(" 0 tag(s) added, 11 already there"),
        "{again}"
    );
    let o = gloss(&["suggest", s(&copy), "-q"]);
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
    // warnings are still said: doccano's overlaps
    let o = gloss(&["export", s(&c), "-f", "doccano", "-q"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("Allow overlapping"));
}

#[test]
fn completions_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell", "BASH"] {
        let script = stdout(&gloss(&["completions", shell]));
        assert!(script.contains("gloss"), "{shell}");
        assert!(
            script.contains("export") && script.contains("format"),
            "{shell}"
        );
    }
    // the bash script is bash
    if Command::new("bash").arg("--version").output().is_ok() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("gloss.bash");
        std::fs::write(&f, stdout(&gloss(&["completions", "bash"]))).unwrap();
        let o = Command::new("bash").arg("-n").arg(&f).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = gloss(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    let man = stdout(&gloss(&["man"]));
    assert!(man.contains(".TH gloss 1"), "{man}");
    assert!(
        man.contains("export") && man.contains("completions"),
        "{man}"
    );
}

/// The figures of a label's row in `gloss eval`'s table.
fn row(out: &str, label: &str) -> String {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(label))
        .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[test]
fn eval_takes_glosss_own_jsonl_as_gold() {
    let tmp = tempfile::tempdir().unwrap();
    let c = corpus(tmp.path());
    let file = tmp.path().join("gold.jsonl");
    assert!(
        gloss(&["export", s(&c), "-f", "jsonl", "-o", s(&file)])
            .status
            .success()
    );
    // the export names its articles `id`: read as `file`, so the corpus scores fully against it
    let out = stdout(&gloss(&["eval", s(&file), s(&c)]));
    assert_eq!(
        row(&out, "all"),
        "11 11 1.000 1.000 1.000 1.000 1.000 1.000",
        "{out}"
    );
}
