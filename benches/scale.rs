//! Scale benchmarks for gloss, reported as ratios to reference tools measured in the same run.
//!
//! ```sh
//! cargo bench --bench scale -- gen DIR N        # write a corpus of N articles (30% with sidecars)
//! cargo bench --bench scale -- export [N]       # gloss export jsonl vs cat, on N articles (10000)
//! ```
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
            Sidecar::new(&path, &text, &AnnotationSet::new(tags))
                .save(&path.with_extension("ron"))
                .unwrap();
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
        _ => {
            eprintln!("usage: cargo bench --bench scale -- (gen DIR N | export [N])");
        }
    }
}
