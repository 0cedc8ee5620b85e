//! Folding throughput, the inner loop of corpus search (criterion), against `memchr::memmem` and
//! UTF-8 validation of the same bytes as references.
//!
//! `cargo bench --bench fold`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gloss_core::corpus::search::Searcher;
use gloss_core::text::fold::{fold_bytes_into, map_back};

/// About 4 MB of the bundled sample articles.
fn sample() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/corpus");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    let mut text = String::new();
    while text.len() < 4_000_000 {
        for p in &names {
            text.push_str(&std::fs::read_to_string(p).unwrap());
        }
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = sample();
    let bytes = text.as_bytes();
    let mut g = c.benchmark_group("fold");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("memmem (reference)", |b| {
        b.iter(|| memchr::memmem::find_iter(bytes, "nhiệm vụ").count())
    });
    g.bench_function("utf8 validation (reference)", |b| {
        b.iter(|| std::str::from_utf8(bytes).is_ok())
    });
    let mut out = Vec::new();
    g.bench_function("fold_bytes_into", |b| {
        b.iter(|| {
            fold_bytes_into(bytes, &mut out);
            out.len()
        })
    });
    fold_bytes_into(bytes, &mut out);
    let hits: Vec<_> = memchr::memmem::find_iter(&out, "nhiem vu")
        .map(|i| i..i + 8)
        .collect();
    g.bench_function("map_back", |b| b.iter(|| map_back(&text, &hits).len()));
    let mut searcher = Searcher::new("nhiệm vụ", false);
    g.bench_function("hits_in_bytes", |b| {
        b.iter(|| searcher.hits_in_bytes(bytes).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
