//! A reader that goes away (`gloss … | head -c 10`) ends a subcommand quietly, as grep and rg end:
//! no panic, no message, nothing half written.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::sample_corpus;

/// Run gloss with `args`, read `take` bytes of its output, close the pipe, and wait: its stderr and
/// whether it ended well (with success, or by SIGPIPE as grep does).
fn read_then_close(args: &[&str], take: usize) -> (String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; take];
    out.read_exact(&mut buf).unwrap();
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    #[cfg(unix)]
    let by_sigpipe = {
        use std::os::unix::process::ExitStatusExt;
        status.signal() == Some(libc::SIGPIPE)
    };
    #[cfg(not(unix))]
    let by_sigpipe = false;
    (err, status.success() || by_sigpipe)
}

#[test]
fn a_closed_pipe_ends_agree_eval_export_and_search_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = sample_corpus(tmp.path());
    // enough output that the reader is gone before it is all written: many articles, many lines
    for i in 0..400 {
        std::fs::copy(
            corpus.join("binhvq_001.txt"),
            corpus.join(format!("copy_{i:03}.txt")),
        )
        .unwrap();
    }
    let c = corpus.to_str().unwrap();
    let gold = tmp.path().join("gold.jsonl");
    let mut lines = String::new();
    for i in 0..400 {
        lines.push_str(&format!(
            "{{\"file\": \"copy_{i:03}.txt\", \"spans\": [{{\"start\": 0, \"end\": 4, \"label\": \"PERSON\", \"text\": \"date\"}}]}}\n"
        ));
    }
    std::fs::write(&gold, lines).unwrap();
    let g = gold.to_str().unwrap();
    for args in [
        vec!["export", c, "--format", "jsonl"],
        vec!["export", c, "--format", "conll"],
        vec!["search", c, "a"],
        vec!["eval", g, c, "--json", "--errors"],
        vec!["eval", g, c, "--errors"],
        vec!["stats", c, "--json"],
    ] {
        let (err, quiet) = read_then_close(&args, 10);
        assert!(quiet, "{args:?} ended badly: {err}");
        assert!(
            !err.contains("internal error") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}
