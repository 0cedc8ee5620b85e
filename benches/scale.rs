//! Scale benchmarks for gloss, reported as ratios to reference tools measured in the same run.
//!
//! ```sh
//! cargo bench --bench scale -- gen DIR N        # write a corpus of N articles (30% with sidecars)
//! cargo bench --bench scale -- export [N]       # gloss export jsonl vs cat, on N articles (10000)
//! cargo bench --bench scale -- open [N]         # first frame, metadata scan, memory (100000)
//! cargo bench --bench scale -- search [N]       # gloss search vs rg -i -F (100000)
//! ```
//!
//! `open` and `search` compare with `find`, `cat` and `rg` (ripgrep) on the same files in the same
//! run; install ripgrep first (`apt-get install ripgrep`).
//!
//! The generated corpus is built from the bundled sample articles: the same layout (date and caption
//! line, paragraphs, author and source lines), sentences drawn at random, tags on real spans.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gloss::annotation::{Annotation, AnnotationSet};
use gloss::store::Sidecar;

/// A small deterministic generator (xorshift64*), so every run builds the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Sentences of the bundled sample articles.
fn sample_sentences() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for p in names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let text = std::fs::read_to_string(p).unwrap();
        for line in text.lines().skip(1) {
            let line = line.trim();
            if line.len() > 20 && !line.starts_with("Tác giả") && !line.starts_with("Nguồn tin")
            {
                out.push(line.to_string());
            }
        }
    }
    out
}

const PEOPLE: &[&str] = &[
    "Tô Lâm",
    "Trương Thị Mai",
    "Lê Minh Hưng",
    "Nguyễn Văn Hòa",
    "Phạm Minh Chính",
];
const SOURCES: &[&str] = &[
    "Báo Tuổi trẻ",
    "Thanh Niên",
    "VnExpress",
    "Báo Nhân Dân",
    "Dân Trí",
];

/// Write `n` articles into `dir` (in folders of 1000), with sidecars for 30% of them.
pub fn generate(dir: &Path, n: usize) -> usize {
    let sentences = sample_sentences();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bytes = 0;
    for i in 0..n {
        let sub = dir.join(format!("{:03}", i / 1000));
        std::fs::create_dir_all(&sub).unwrap();
        let mut text = String::new();
        let person = PEOPLE[rng.below(PEOPLE.len())];
        let _ = writeln!(
            text,
            " date 20{:02}-{:02} {person} phát biểu tại hội nghị - Ảnh: TTXVN\n",
            15 + rng.below(10),
            1 + rng.below(12)
        );
        for _ in 0..(6 + rng.below(14)) {
            let s = &sentences[rng.below(sentences.len())];
            if rng.below(4) == 0 {
                let _ = write!(text, "Bộ trưởng {person} cho biết: ");
            }
            text.push_str(s);
            text.push_str("\n\n");
        }
        let _ = write!(
            text,
            "Tác giả: PV {}\n\nNguồn tin: {}",
            i % 97,
            SOURCES[rng.below(SOURCES.len())]
        );
        let path = sub.join(format!("article_{i:06}.txt"));
        std::fs::write(&path, &text).unwrap();
        bytes += text.len();
        if rng.below(10) < 3 {
            let mut tags = Vec::new();
            for (k, (b, m)) in text.match_indices(person).enumerate().take(5) {
                let start = text[..b].chars().count();
                tags.push(Annotation::new(
                    "PERSON",
                    start,
                    start + m.chars().count(),
                    m,
                    "bench",
                ));
                if k == 0
                    && let Some(e) = text[b..].find('\n')
                {
                    let end = start + text[b..b + e].chars().count();
                    tags.push(Annotation::new(
                        "TASK",
                        start,
                        end,
                        &text[b..b + e],
                        "bench",
                    ));
                }
            }
            // plain writes: a benchmark corpus needs no fsync per file
            let sc = Sidecar::new(&path, &text, &AnnotationSet::new(tags));
            std::fs::write(path.with_extension("ron"), sc.to_ron()).unwrap();
        }
    }
    bytes
}

/// Best of `runs` wall-clock times of a shell command (output discarded).
fn time_sh(cmd: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            let st = Command::new("sh")
                .arg("-c")
                .arg(cmd)
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(st.success(), "{cmd} failed");
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn gloss_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gloss"))
}

fn corpus_for(n: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let t = Instant::now();
    let bytes = generate(&dir, n);
    eprintln!(
        "generated {n} articles ({:.1} MB of text) in {:.1}s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    (tmp, dir)
}

fn bench_export(n: usize) {
    let (_tmp, dir) = corpus_for(n);
    let d = dir.display();
    // warm the page cache once
    time_sh(&format!("find {d} -type f -print0 | xargs -0 cat"), 1);
    let cat = time_sh(&format!("find {d} -type f -print0 | xargs -0 cat"), 5);
    let bin = gloss_bin();
    let b = bin.display();
    for format in ["jsonl", "doccano", "conll", "csv"] {
        let g = time_sh(&format!("{b} export {d} --format {format}"), 5);
        println!(
            "export {format:8} {n} articles: {:>8.1} ms   cat {:>7.1} ms   ratio {:.2}x",
            g.as_secs_f64() * 1e3,
            cat.as_secs_f64() * 1e3,
            g.as_secs_f64() / cat.as_secs_f64()
        );
    }
}

fn secs(d: Duration) -> String {
    format!("{:>8.1} ms", d.as_secs_f64() * 1e3)
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64())
}

/// Measured in a child process, so that its memory is gloss's alone.
fn open_child(dir: &Path, cache: &Path) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;
    let dirs = gloss::settings::Dirs {
        config: cache.join("config"),
        data: cache.join("data"),
        cache: cache.join("cache"),
    };
    let t = Instant::now();
    let mut app = gloss::tui::App::new(
        gloss::tui::Options {
            root: dir.to_path_buf(),
            annotations: None,
            annotator: Some("bench".into()),
            dirs,
        },
        Rect::new(0, 0, 120, 40),
    )
    .unwrap();
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let first_frame = t.elapsed();
    app.finish_scan();
    let scan = t.elapsed();
    term.draw(|f| app.draw(f)).unwrap();
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    println!("{} {} {}", first_frame.as_nanos(), scan.as_nanos(), rss);
}

fn run_open_child(dir: &Path, cache: &Path) -> (Duration, Duration, u64) {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe)
        .args(["open-child", dir.to_str().unwrap(), cache.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    let v: Vec<u128> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    (
        Duration::from_nanos(v[0] as u64),
        Duration::from_nanos(v[1] as u64),
        v[2] as u64,
    )
}

fn bench_open(n: usize) {
    let (tmp, dir) = corpus_for(n);
    let d = dir.display();
    let find = time_sh(&format!("find {d} -name '*.txt' | wc -l"), 5);
    time_sh(&format!("find {d} -type f -print0 | xargs -0 cat"), 1);
    let cat = time_sh(&format!("find {d} -type f -print0 | xargs -0 cat"), 5);
    let cache = tmp.path().join("gloss-dirs");
    // best of three cold-cache (no metadata cache) runs, then warm runs with the cache
    let mut cold = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(&cache);
        cold.push(run_open_child(&dir, &cache));
    }
    let warm: Vec<_> = (0..3).map(|_| run_open_child(&dir, &cache)).collect();
    let best = |v: &[(Duration, Duration, u64)], k: usize| {
        v.iter()
            .map(|x| if k == 0 { x.0 } else { x.1 })
            .min()
            .unwrap()
    };
    let rss = cold.iter().map(|x| x.2).max().unwrap();
    println!("{n} articles:");
    println!(
        "  first frame        {}   find|wc -l {}   ratio {}",
        secs(best(&cold, 0)),
        secs(find),
        ratio(best(&cold, 0), find)
    );
    println!(
        "  full scan (cold)   {}   cat        {}   ratio {}",
        secs(best(&cold, 1)),
        secs(cat),
        ratio(best(&cold, 1), cat)
    );
    println!(
        "  full scan (cache)  {}   cat        {}   ratio {}",
        secs(best(&warm, 1)),
        secs(cat),
        ratio(best(&warm, 1), cat)
    );
    println!(
        "  resident memory after the scan: {:.1} MB",
        rss as f64 / 1024.0
    );
}

/// The best of `runs` timings of each command, the commands taking turns, so that a machine whose
/// speed drifts during the run slows them alike.
fn time_sh_in_turns(cmds: &[&str], runs: usize) -> Vec<Duration> {
    for cmd in cmds {
        time_sh(cmd, 1); // warm up
    }
    let mut best = vec![Duration::MAX; cmds.len()];
    for _ in 0..runs {
        for (b, cmd) in best.iter_mut().zip(cmds) {
            *b = (*b).min(time_sh(cmd, 1));
        }
    }
    best
}

fn bench_search(n: usize) {
    let (_tmp, dir) = corpus_for(n);
    let d = dir.display();
    let bin = gloss_bin();
    let b = bin.display();
    // a word in no article (the pure scan), and words in many (every hit mapped back and shown)
    for word in ["Hải Phòng", "nhiệm vụ", "Gò Vấp"] {
        // (rg exits 1 when nothing matches: `; true`)
        let rg = format!("rg -i -F '{word}' {d}; true");
        let gloss = format!("{b} search {d} '{word}'");
        let t = time_sh_in_turns(&[&rg, &gloss], 9);
        println!(
            "search {word:10} {n} articles: gloss {}  rg -i -F {}  ratio {}",
            secs(t[1]),
            secs(t[0]),
            ratio(t[1], t[0])
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("gen") => {
            let dir = PathBuf::from(args.get(1).expect("gen DIR N"));
            let n = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
            let bytes = generate(&dir, n);
            println!(
                "wrote {n} articles, {:.1} MB of text, into {}",
                bytes as f64 / 1e6,
                dir.display()
            );
        }
        Some("export") => bench_export(args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000)),
        Some("open") => bench_open(args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000)),
        Some("open-child") => open_child(Path::new(&args[1]), Path::new(&args[2])),
        Some("search") => bench_search(args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000)),
        _ => {
            eprintln!(
                "usage: cargo bench --bench scale -- (gen DIR N | export [N] | open [N] | search [N])"
            );
        }
    }
}
