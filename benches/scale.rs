//! Scale benchmarks for gloss, reported as ratios to reference tools measured in the same run.
//!
//! ```sh
//! cargo bench --bench scale -- gen DIR N        # write a corpus of N articles (30% with sidecars)
//! cargo bench --bench scale -- open [N|DIR]     # first frame, reopen, cold scan, memory (100000)
//! cargo bench --bench scale -- filter [N|DIR]   # list filter, a key at a time (100000)
//! cargo bench --bench scale -- search [N|DIR]   # gloss search vs rg -i -F (100000)
//! cargo bench --bench scale -- export [N|DIR]   # gloss export vs cat, peak memory, size (10000)
//! ```
//!
//! A folder argument measures that corpus (generate a large one once with `gen`: a million
//! articles take a few minutes and 2.4 GB); a number generates one in a temporary folder. `RUNS`
//! (default 5) sets the runs of each command, which take turns with their reference so that a
//! machine whose speed drifts slows both alike; each figure is the median of the runs, with their
//! range, and each ratio the median of the runs' ratios. `FORMATS` (default all) narrows `export`.
//!
//! The references: `find DIR -name '*.txt' | wc -l` (the first frame), `find … -printf '%s %T@'`
//! (a reopen with the cache, which stats every article), `cat` of every article and of every file
//! (a scan without a cache reads both articles and sidecars), `rg -i -F -n -g '*.txt'` (search,
//! on the articles as gloss searches them, not their sidecars; install
//! ripgrep first: `apt-get install ripgrep`). The first frame and the reopen are timed from the
//! start of a child process, as a user would see them.
//!
//! The generated corpus does not repeat itself: word chains learnt from the bundled sample
//! articles recombine their sentences at every word, with people's names, places and numbers
//! varied (names and places drawn Zipf-like, as news mentions them), in the corpus layout (a date
//! line with the lead photo's caption, paragraphs, author and source lines); 30% of the articles
//! have sidecars tagging the people and places they name.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gloss_core::annotation::{Annotation, AnnotationSet};
use gloss_core::store::Sidecar;

/// A small deterministic generator (xorshift64*), so every run builds the same corpus.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // (splitmix64 of the seed: nearby seeds give unrelated streams, never zero)
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// An index below `n`, small ones far likelier (Zipf-like, as names and places are in news).
    fn zipf(&mut self, n: usize) -> usize {
        // 1/x over [1, n+1): exp of a uniform log
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let x = ((n as f64 + 1.0).ln() * u).exp() - 1.0;
        (x as usize).min(n - 1)
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len())]
    }
}

/// Lines of the bundled sample articles (their text, not their metadata lines).
fn sample_lines() -> Vec<String> {
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
        // (the NFD copy would double its article's words)
        .filter(|p| !p.to_string_lossy().ends_with("_nfd.txt"))
    {
        let text = std::fs::read_to_string(p).unwrap();
        for line in text.lines() {
            let line = line.trim();
            if line.len() > 20
                && !line.starts_with("Tác giả")
                && !line.starts_with("Nguồn tin")
                && !line.starts_with("date ")
            {
                out.push(line.to_string());
            }
        }
    }
    out
}

/// Word chains learnt from the sample text: which word may follow which, so that sentences are
/// recombined from real ones at every word, never repeated whole.
struct Chains {
    words: Vec<String>,
    /// Words that start a sentence.
    starts: Vec<u32>,
    /// Followers of each word (with repeats: frequent pairs are likelier).
    next: Vec<Vec<u32>>,
}

impl Chains {
    fn learn(lines: &[String]) -> Chains {
        let mut ids = std::collections::HashMap::new();
        let mut words = Vec::new();
        let mut id = |w: &str, words: &mut Vec<String>| -> u32 {
            *ids.entry(w.to_string()).or_insert_with(|| {
                words.push(w.to_string());
                words.len() as u32 - 1
            })
        };
        let mut starts = Vec::new();
        let mut pairs = Vec::new();
        for line in lines {
            let mut prev: Option<u32> = None;
            for w in line.split_whitespace() {
                let k = id(w, &mut words);
                match prev {
                    Some(p) => pairs.push((p, k)),
                    None => starts.push(k),
                }
                // a sentence ends here: the next word may start one
                prev = if ends_sentence(w) { None } else { Some(k) };
            }
        }
        let mut next = vec![Vec::new(); words.len()];
        for (a, b) in pairs {
            next[a as usize].push(b);
        }
        Chains {
            words,
            starts,
            next,
        }
    }

    /// One sentence of 8 to 45 words.
    fn sentence(&self, rng: &mut Rng, out: &mut String) {
        let mut w = self.starts[rng.below(self.starts.len())];
        for n in 0.. {
            let word = &self.words[w as usize];
            if n > 0 {
                out.push(' ');
            }
            push_varied(word, rng, out);
            let followers = &self.next[w as usize];
            if (ends_sentence(word) && n >= 7) || followers.is_empty() || n >= 44 {
                if !ends_sentence(word) {
                    out.push('.');
                }
                return;
            }
            w = followers[rng.below(followers.len())];
        }
    }
}

fn ends_sentence(w: &str) -> bool {
    w.ends_with('.') || w.ends_with('?') || w.ends_with('!')
}

/// A word, its digits varied (so numbers, dates and plates do not repeat).
fn push_varied(word: &str, rng: &mut Rng, out: &mut String) {
    if !word.bytes().any(|b| b.is_ascii_digit()) {
        out.push_str(word);
        return;
    }
    let mut first = true;
    for c in word.chars() {
        if c.is_ascii_digit() {
            // (no leading zero in a number)
            let d = if first {
                1 + rng.below(9)
            } else {
                rng.below(10)
            };
            out.push(char::from(b'0' + d as u8));
            first = false;
        } else {
            out.push(c);
            first = true;
        }
    }
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Mai", "Lương",
];
const MIDDLES: &[&str] = &[
    "Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Quốc", "Ngọc", "Xuân", "Thu", "Công", "Hoài",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hòa", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
    "Phong", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Khoa", "Hạnh", "Nhung",
    "Phúc", "Thắng", "Tâm", "Vy", "Đạt", "Huy",
];
/// Places, most talked-about first (chosen Zipf-like).
const PLACES: &[&str] = &[
    "Hà Nội",
    "TP.HCM",
    "Đà Nẵng",
    "Hải Phòng",
    "Cần Thơ",
    "Quảng Ninh",
    "Nghệ An",
    "Thanh Hóa",
    "Bình Dương",
    "Đồng Nai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Thừa Thiên - Huế",
    "Bắc Ninh",
    "Long An",
    "Quảng Nam",
    "Kiên Giang",
    "An Giang",
    "Đắk Lắk",
    "Bà Rịa - Vũng Tàu",
    "Hưng Yên",
    "Thái Nguyên",
    "Nam Định",
    "Thái Bình",
    "Ninh Bình",
    "Hà Tĩnh",
    "Quảng Bình",
    "Quảng Trị",
    "Quảng Ngãi",
    "Bình Định",
    "Phú Yên",
    "Ninh Thuận",
    "Bình Thuận",
    "Gia Lai",
    "Kon Tum",
    "Đắk Nông",
    "Bình Phước",
    "Tây Ninh",
    "Tiền Giang",
    "Bến Tre",
    "Trà Vinh",
    "Vĩnh Long",
    "Đồng Tháp",
    "Hậu Giang",
    "Sóc Trăng",
    "Bạc Liêu",
    "Cà Mau",
    "Lào Cai",
    "Yên Bái",
    "Điện Biên",
    "Lai Châu",
    "Sơn La",
    "Hòa Bình",
    "Hà Giang",
    "Cao Bằng",
    "Bắc Kạn",
    "Lạng Sơn",
    "Tuyên Quang",
    "Phú Thọ",
    "Vĩnh Phúc",
    "Bắc Giang",
    "Hải Dương",
    "Hà Nam",
    "Gò Vấp",
    "Thủ Đức",
    "Cầu Giấy",
    "Hoàn Kiếm",
    "Sơn Trà",
    "Ninh Kiều",
    "Côn Đảo",
];
const ROLES: &[&str] = &[
    "Bộ trưởng",
    "Thứ trưởng",
    "Chủ tịch UBND",
    "Giám đốc Sở",
    "Phó giáo sư",
    "Tiến sĩ",
    "Đại tá",
    "Trung tá",
    "luật sư",
    "bác sĩ",
    "ông",
    "bà",
    "anh",
    "chị",
];
/// Outlets, most read first (chosen Zipf-like).
const SOURCES: &[&str] = &[
    "VnExpress",
    "Báo Tuổi trẻ",
    "Thanh Niên",
    "Dân Trí",
    "Báo Nhân Dân",
    "VietNamNet",
    "Zing News",
    "Lao Động",
    "Người Lao Động",
    "Tiền Phong",
    "Sài Gòn Giải Phóng",
    "Pháp Luật TP.HCM",
    "Công an Nhân dân",
    "Quân đội Nhân dân",
    "VTV News",
    "Thể thao & Văn hóa",
    "Đời sống & Pháp luật",
    "Kinh tế & Đô thị",
    "Báo Đầu tư",
    "Báo Giao thông",
    "Báo Chính phủ",
    "TTXVN",
    "Vietnam+",
    "Báo Hà Nội Mới",
    "Báo Đà Nẵng",
    "Báo Cần Thơ",
    "Báo Quảng Ninh",
    "Báo Nghệ An",
];

/// A person's name (Zipf-like: a few in the news every day, most rarely).
fn person(rng: &mut Rng) -> String {
    let k = rng.zipf(SURNAMES.len() * MIDDLES.len() * GIVEN.len());
    let (s, m, g) = (
        k % SURNAMES.len(),
        (k / SURNAMES.len()) % MIDDLES.len(),
        k / (SURNAMES.len() * MIDDLES.len()),
    );
    format!("{} {} {}", SURNAMES[s], MIDDLES[m], GIVEN[g % GIVEN.len()])
}

/// One article in the layout of the bundled ones: a date line with the lead photo's caption,
/// paragraphs, the author and the source; with the people and places it names.
fn article(chains: &Chains, rng: &mut Rng) -> (String, Vec<String>, Vec<String>) {
    let people: Vec<String> = (0..1 + rng.below(3)).map(|_| person(rng)).collect();
    let places: Vec<&str> = (0..1 + rng.below(3))
        .map(|_| PLACES[rng.zipf(PLACES.len())])
        .collect();
    let mut text = String::with_capacity(4096);
    let _ = write!(
        text,
        " date 20{:02}-{:02} {} {} {} tại {} - Ảnh: {}\n\n",
        10 + rng.below(16),
        1 + rng.below(12),
        rng.pick(ROLES),
        people[0],
        rng.pick(&[
            "phát biểu",
            "trao đổi",
            "kiểm tra",
            "làm việc",
            "thăm hỏi người dân"
        ]),
        places[0],
        person(rng).to_uppercase(),
    );
    for _ in 0..(3 + rng.below(8)) {
        for s in 0..(1 + rng.below(4)) {
            if s > 0 {
                text.push(' ');
            }
            match rng.below(10) {
                0 => {
                    let _ = write!(text, "Tại {}, ", places[rng.below(places.len())]);
                }
                1 => {
                    let p = &people[rng.below(people.len())];
                    let _ = write!(text, "{} {p} cho biết: ", rng.pick(ROLES));
                }
                2 => {
                    let _ = write!(text, "Theo {}, ", people[rng.below(people.len())]);
                }
                3 => {
                    let _ = write!(text, "Ngày {}/{}, ", 1 + rng.below(28), 1 + rng.below(12));
                }
                _ => {}
            }
            chains.sentence(rng, &mut text);
        }
        text.push_str("\n\n");
    }
    let _ = write!(
        text,
        "Tác giả: {}\n\nNguồn tin: {}",
        person(rng).to_uppercase(),
        SOURCES[rng.zipf(SOURCES.len())]
    );
    (
        text,
        people,
        places.into_iter().map(str::to_string).collect(),
    )
}

/// Articles per folder of a generated corpus.
const PER_FOLDER: usize = 1000;

/// Write `n` articles into `dir` (in folders of 1000, on every core), with sidecars for 30% of
/// them; the bytes of text written. The same `n` always gives the same corpus.
pub fn generate(dir: &Path, n: usize) -> usize {
    let chains = Chains::learn(&sample_lines());
    let folders = n.div_ceil(PER_FOLDER);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let f = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if f >= folders {
                        return;
                    }
                    let b = generate_folder(dir, f, n, &chains);
                    bytes.fetch_add(b, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    bytes.into_inner()
}

fn generate_folder(dir: &Path, f: usize, n: usize, chains: &Chains) -> usize {
    let sub = dir.join(format!("{f:04}"));
    std::fs::create_dir_all(&sub).unwrap();
    let mut rng = Rng::new(f as u64);
    let mut bytes = 0;
    for i in f * PER_FOLDER..((f + 1) * PER_FOLDER).min(n) {
        let (text, people, places) = article(chains, &mut rng);
        let path = sub.join(format!("article_{i:07}.txt"));
        std::fs::write(&path, &text).unwrap();
        bytes += text.len();
        if rng.below(10) < 3 {
            let mut tags = Vec::new();
            let mut taken = Vec::new();
            for (label, names) in [("PERSON", &people), ("LOCATION", &places)] {
                for name in names {
                    for (b, m) in text.match_indices(name.as_str()).take(3) {
                        if taken
                            .iter()
                            .any(|r: &std::ops::Range<usize>| r.start < b + m.len() && b < r.end)
                        {
                            continue;
                        }
                        taken.push(b..b + m.len());
                        let start = text[..b].chars().count();
                        tags.push(Annotation::new(
                            label,
                            start,
                            start + m.chars().count(),
                            m,
                            ["bench", "lan", "minh"][rng.below(3)],
                        ));
                    }
                }
            }
            // plain writes: a benchmark corpus needs no fsync per file
            let sc = Sidecar::new(&path, &text, &AnnotationSet::new(tags));
            std::fs::write(path.with_extension("ron"), sc.to_ron()).unwrap();
        }
    }
    bytes
}

/// Wall-clock time of a shell command (output discarded).
fn time_sh(cmd: &str) -> Duration {
    let t = Instant::now();
    let st = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success(), "{cmd} failed");
    t.elapsed()
}

/// Wall-clock time and peak resident memory (KB) of a command run directly (no shell), its output
/// discarded.
fn time_with_rss(program: &Path, args: &[&str]) -> (Duration, u64) {
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let took = t.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{program:?} {args:?} failed: {}",
        err.chars()
            .rev()
            .take(2000)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>()
    );
    let kb = err
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .next_back()
        .unwrap_or(0);
    (took, kb)
}

fn gloss_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gloss"))
}

/// The corpus to measure: the folder `arg` names, or else `arg` (or `default`) articles generated
/// into a temporary folder (removed at the end). With the number of articles.
fn corpus_arg(arg: Option<&String>, default: usize) -> (Option<tempfile::TempDir>, PathBuf, usize) {
    if let Some(a) = arg
        && Path::new(a).is_dir()
    {
        let dir = Path::new(a).canonicalize().unwrap();
        let n = gloss_core::corpus::discover(&dir).unwrap().articles.len();
        eprintln!("corpus {}: {n} articles", dir.display());
        return (None, dir, n);
    }
    let n = arg.and_then(|s| s.parse().ok()).unwrap_or(default);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let t = Instant::now();
    let bytes = generate(&dir, n);
    eprintln!(
        "generated {n} articles ({:.1} MB of text) in {:.1}s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    (Some(tmp), dir, n)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(v: &[Duration]) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[v.len() / 2]
}

/// Median of `v`, and its spread (lowest to highest), in ms.
fn spread(v: &[Duration]) -> String {
    let lo = v.iter().min().unwrap();
    let hi = v.iter().max().unwrap();
    format!(
        "{:>9.1} ms (range {:.1}-{:.1})",
        ms(median(v)),
        ms(*lo),
        ms(*hi)
    )
}

/// Each run's ratio of `a` to `b` (measured in the same round), and their median.
fn ratios(a: &[Duration], b: &[Duration]) -> String {
    let mut r: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.as_secs_f64() / y.as_secs_f64())
        .collect();
    r.sort_by(f64::total_cmp);
    format!(
        "median ratio {:.2}x (runs {})",
        r[r.len() / 2],
        r.iter()
            .map(|x| format!("{x:.2}"))
            .collect::<Vec<_>>()
            .join(" ")
    )
}

fn bench_export(arg: Option<&String>, runs: usize) {
    let (_tmp, dir, n) = corpus_arg(arg, 10_000);
    let d = dir.display();
    let bin = gloss_bin();
    let cat = format!("find {d} -type f -print0 | xargs -0 cat");
    time_sh(&cat); // warm the page cache
    let out = std::env::temp_dir().join(format!("gloss-bench-export-{}", std::process::id()));
    let formats =
        std::env::var("FORMATS").unwrap_or_else(|_| "jsonl,doccano,conll,csv,parquet".into());
    // (a folder format's output, e.g. parquet's shards and card, is measured by its size too)
    let remove = |out: &Path| {
        let _ = std::fs::remove_file(out);
        let _ = std::fs::remove_dir_all(out);
    };
    for format in formats.split(',') {
        let (mut g, mut c, mut rss) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            // (export refuses to replace a file without --force)
            remove(&out);
            let (t, kb) = time_with_rss(
                &bin,
                &[
                    "export",
                    dir.to_str().unwrap(),
                    "--format",
                    format,
                    "-o",
                    out.to_str().unwrap(),
                ],
            );
            g.push(t);
            rss.push(kb);
            c.push(time_sh(&cat));
        }
        let size = du(&out);
        remove(&out);
        println!(
            "export {format:8} {n} articles: gloss {}   cat {}   {}   peak RSS {:.1} MB   output {:.1} MB",
            spread(&g),
            spread(&c),
            ratios(&g, &c),
            *rss.iter().max().unwrap() as f64 / 1024.0,
            size as f64 / 1e6
        );
    }
}

/// The bytes of a file, or of every file below a folder.
fn du(p: &Path) -> u64 {
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => std::fs::read_dir(p)
            .map(|d| d.flatten().map(|e| du(&e.path())).sum())
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
}

/// The app of `dir`, its user folders under `cache`.
fn open_app(dir: &Path, cache: &Path) -> gloss::tui::App {
    let dirs = gloss_core::settings::Dirs {
        config: cache.join("config"),
        data: cache.join("data"),
        cache: cache.join("cache"),
    };
    gloss::tui::App::new(
        gloss::tui::Options {
            root: dir.to_path_buf(),
            annotations: None,
            annotator: Some("bench".into()),
            dirs,
        },
        ratatui::layout::Rect::new(0, 0, 120, 40),
    )
    .unwrap()
}

/// In a child process (so that its memory is gloss's alone), opening `dir`: prints `frame` when
/// the first frame is drawn and `scan` when the list is complete (the parent times their arrival
/// from the process's start), then resident and peak memory (KB), then waits for the cache.
fn open_child(dir: &Path, cache: &Path) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let mut app = open_app(dir, cache);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    writeln!(out, "frame").unwrap();
    out.flush().unwrap();
    app.finish_scan();
    term.draw(|f| app.draw(f)).unwrap();
    writeln!(out, "scan").unwrap();
    out.flush().unwrap();
    let rss = rss_kb("VmRSS:");
    app.finish_scan_and_cache();
    writeln!(
        out,
        "{rss} {} {} {}",
        rss_kb("VmRSS:"),
        rss_kb("VmHWM:"),
        app.state.articles.heap_bytes() / 1024
    )
    .unwrap();
}

struct Opened {
    frame: Duration,
    scan: Duration,
    /// Resident memory (KB) with the list up and the scan done; after the cache was written; peak;
    /// the list's own buffers.
    rss: u64,
    rss_after_cache: u64,
    peak: u64,
    list: u64,
}

fn run_open_child(dir: &Path, cache: &Path) -> Opened {
    use std::io::BufRead;
    let exe = std::env::current_exe().unwrap();
    let t = Instant::now();
    let mut child = Command::new(exe)
        .args(["open-child", dir.to_str().unwrap(), cache.to_str().unwrap()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || lines.next().unwrap().unwrap();
    assert_eq!(next(), "frame");
    let frame = t.elapsed();
    assert_eq!(next(), "scan");
    let scan = t.elapsed();
    let v: Vec<u64> = next()
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(child.wait().unwrap().success());
    Opened {
        frame,
        scan,
        rss: v[0],
        rss_after_cache: v[1],
        peak: v[2],
        list: v[3],
    }
}

fn bench_open(arg: Option<&String>, runs: usize) {
    let (_tmp, dir, n) = corpus_arg(arg, 100_000);
    let d = dir.display();
    let cache = std::env::temp_dir().join(format!("gloss-bench-open-{}", std::process::id()));
    let find = format!("find {d} -name '*.txt' | wc -l");
    let find_stat = format!("find {d} -name '*.txt' -printf '%s %T@\\n' | wc -l");
    let cat_articles = format!("find {d} -name '*.txt' -print0 | xargs -0 cat");
    let cat_all = format!("find {d} -type f -print0 | xargs -0 cat");
    time_sh(&cat_all); // the page cache warm, as for a corpus in use
    let (mut t_find, mut t_stat, mut t_cat, mut t_cat_all) = (vec![], vec![], vec![], vec![]);
    let (mut cold, mut warm) = (vec![], vec![]);
    // in turns, so that a machine whose speed drifts slows each alike
    for round in 0..runs {
        t_find.push(time_sh(&find));
        let _ = std::fs::remove_dir_all(&cache);
        cold.push(run_open_child(&dir, &cache));
        t_cat.push(time_sh(&cat_articles));
        t_cat_all.push(time_sh(&cat_all));
        t_stat.push(time_sh(&find_stat));
        warm.push(run_open_child(&dir, &cache));
        eprintln!("round {} of {runs} done", round + 1);
    }
    let _ = std::fs::remove_dir_all(&cache);
    let f = |v: &[Opened], k: fn(&Opened) -> Duration| v.iter().map(k).collect::<Vec<_>>();
    let mb = |kb: u64| kb as f64 / 1024.0;
    println!("open, {n} articles, {runs} runs each, in turns (medians):");
    let warm_frame = f(&warm, |o| o.frame);
    let cold_frame = f(&cold, |o| o.frame);
    println!("  find|wc -l                 {}", spread(&t_find));
    println!(
        "  first frame (warm cache)   {}   {} vs find|wc -l",
        spread(&warm_frame),
        ratios(&warm_frame, &t_find)
    );
    println!(
        "  first frame (no cache)     {}   {} vs find|wc -l",
        spread(&cold_frame),
        ratios(&cold_frame, &t_find)
    );
    let warm_scan = f(&warm, |o| o.scan);
    println!("  find -printf '%s %T@'|wc  {}", spread(&t_stat));
    println!(
        "  reopen, scan complete      {}   {} vs find -printf",
        spread(&warm_scan),
        ratios(&warm_scan, &t_stat)
    );
    let cold_scan = f(&cold, |o| o.scan);
    println!("  cat of every article       {}", spread(&t_cat));
    println!("  cat of every file          {}", spread(&t_cat_all));
    println!(
        "  cold scan (no cache)       {}   {} vs cat of every article, {} vs cat of every file",
        spread(&cold_scan),
        ratios(&cold_scan, &t_cat),
        ratios(&cold_scan, &t_cat_all)
    );
    for (what, v) in [("no cache", &cold), ("warm cache", &warm)] {
        println!(
            "  resident memory ({what}): list up, scan done {:.1} MB (max of runs); after the cache is written {:.1} MB; peak {:.1} MB; the list's buffers {:.1} MB",
            mb(v.iter().map(|o| o.rss).max().unwrap()),
            mb(v.iter().map(|o| o.rss_after_cache).max().unwrap()),
            mb(v.iter().map(|o| o.peak).max().unwrap()),
            mb(v.iter().map(|o| o.list).max().unwrap()),
        );
    }
    println!("  {}", io_pressure());
}

/// In a child process: open `dir` (its cache warm), finish the scan, then type filters into the
/// list a key at a time, timing each key's update and frame.
fn filter_child(dir: &Path, cache: &Path) {
    use gloss::tui::action::{Action, InputKey};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut app = open_app(dir, cache);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.finish_scan_and_cache();
    term.draw(|f| app.draw(f)).unwrap();
    let mut key = |app: &mut gloss::tui::App, a: Action| {
        let t = Instant::now();
        app.dispatch(a);
        term.draw(|f| app.draw(f)).unwrap();
        t.elapsed()
    };
    // a place in a tenth of the articles, a common name, a word in none, an annotator
    for query in ["hai phong", "nguyen van", "gloss zzz", "by:lan ha"] {
        key(&mut app, Action::Find);
        let mut typed = Vec::new();
        for c in query.chars() {
            typed.push(key(&mut app, Action::Input(InputKey::Char(c))));
        }
        let shown = app.state.list.shown.len();
        // (KEYS=1: each key's time)
        if std::env::var("KEYS").is_ok() {
            let each: Vec<String> = typed.iter().map(|d| format!("{:.1}", ms(*d))).collect();
            println!("  {query}: {} ms", each.join(" "));
        }
        let mut erased = Vec::new();
        for _ in query.chars() {
            erased.push(key(&mut app, Action::Input(InputKey::Backspace)));
        }
        key(&mut app, Action::Input(InputKey::Cancel));
        println!(
            "  filter {query:16} ({shown:>7} shown): typing median {:>6.2} ms, slowest {:>6.2} ms; erasing median {:>6.2} ms, slowest {:>6.2} ms",
            ms(median(&typed)),
            ms(*typed.iter().max().unwrap()),
            ms(median(&erased)),
            ms(*erased.iter().max().unwrap()),
        );
    }
    // the worst a key can cost: a filter applied to the whole list (no narrowing of the last
    // result, none remembered), as after an edit in the middle of the filter
    for query in [
        "h",
        "ha",
        "phong",
        "hai phong",
        "nguyen van",
        "by:lan ha",
        "zzz",
    ] {
        let f = gloss::tui::state::ListFilter::parse(query);
        let times: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(app.state.articles.filter(&f));
                t.elapsed()
            })
            .collect();
        println!(
            "  whole list, {query:12}: median {:>6.2} ms, slowest {:>6.2} ms",
            ms(median(&times)),
            ms(*times.iter().max().unwrap())
        );
    }
}

fn bench_filter(arg: Option<&String>) {
    let (_tmp, dir, n) = corpus_arg(arg, 100_000);
    let cache = std::env::temp_dir().join(format!("gloss-bench-filter-{}", std::process::id()));
    println!("list filter, {n} articles, a key at a time (update and frame, 120x40):");
    let exe = std::env::current_exe().unwrap();
    // once to write the cache, once measured
    for _ in 0..2 {
        let out = Command::new(&exe)
            .args([
                "filter-child",
                dir.to_str().unwrap(),
                cache.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
    let _ = std::fs::remove_dir_all(&cache);
}

/// The output of a shell command.
fn capture(cmd: &str) -> String {
    let out = Command::new("sh").arg("-c").arg(cmd).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How long tasks waited for I/O over the last minute (`/proc/pressure/io`): a corpus larger
/// than the page cache keeps, or one the system evicts, is measured partly on the disk.
fn io_pressure() -> String {
    std::fs::read_to_string("/proc/pressure/io")
        .ok()
        .and_then(|s| {
            let some = s.lines().next()?;
            let avg60 = some.split_whitespace().find(|w| w.starts_with("avg60="))?;
            Some(format!(
                "I/O pressure over the last minute: {}%",
                &avg60[6..]
            ))
        })
        .unwrap_or_default()
}

fn bench_search(arg: Option<&String>, runs: usize) {
    let (_tmp, dir, n) = corpus_arg(arg, 100_000);
    let d = dir.display();
    let bin = gloss_bin();
    let b = bin.display();
    time_sh(&format!("find {d} -type f -print0 | xargs -0 cat"));
    // a place in many articles, a common name, a rare place, and a word in none
    let words =
        std::env::var("WORDS").unwrap_or_else(|_| "Hải Phòng,Nguyễn Văn,Côn Đảo,gloss zzz".into());
    for word in words.split(',') {
        // the articles alone, as gloss searches them (not the sidecars beside them); rg and gloss
        // exit 1 when nothing matches (`; true`)
        let rg = format!("rg -i -F -n -g '*.txt' '{word}' {d}; true");
        let gloss = format!("{b} search {d} '{word}'; true");
        // the first run of each, kept: the same lines? (gloss prints path:line:context per hit,
        // rg path:line:text per line; gloss also folds tone marks, so it may find more)
        let rg_out = capture(&rg);
        let gloss_out = capture(&gloss);
        let lines_rg = rg_out.lines().count();
        let files = rg_out
            .lines()
            .filter_map(|l| l.split(':').next())
            .collect::<std::collections::HashSet<_>>()
            .len();
        let lines_gloss = gloss_out
            .lines()
            .filter_map(|l| {
                let mut p = l.splitn(3, ':');
                Some((p.next()?, p.next()?))
            })
            .collect::<std::collections::HashSet<_>>()
            .len();
        let (mut tr, mut tg) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            tr.push(time_sh(&rg));
            tg.push(time_sh(&gloss));
        }
        println!(
            "search {word:10} ({files} of {n} articles; lines: rg {lines_rg}, gloss {lines_gloss}): gloss {}  rg -i -F {}  {}",
            spread(&tg),
            spread(&tr),
            ratios(&tg, &tr)
        );
    }
    println!("  {}", io_pressure());
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    match args.first().map(String::as_str) {
        Some("gen") => {
            let dir = PathBuf::from(args.get(1).expect("gen DIR N"));
            let n = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
            let t = Instant::now();
            let bytes = generate(&dir, n);
            println!(
                "wrote {n} articles, {:.1} MB of text, into {} in {:.1}s",
                bytes as f64 / 1e6,
                dir.display(),
                t.elapsed().as_secs_f64()
            );
        }
        Some("export") => bench_export(args.get(1), runs),
        Some("open") => bench_open(args.get(1), runs),
        Some("open-child") => open_child(Path::new(&args[1]), Path::new(&args[2])),
        Some("filter") => bench_filter(args.get(1)),
        Some("filter-child") => filter_child(Path::new(&args[1]), Path::new(&args[2])),
        Some("search") => bench_search(args.get(1), runs),
        _ => {
            eprintln!(
                "usage: cargo bench --bench scale -- (gen DIR N | export [N|DIR] | open [N|DIR] | filter [N|DIR] | search [N|DIR])"
            );
        }
    }
}
