//! The document's long work, against a reference measured in the same run: re-anchoring a short tag
//! with many occurrences (the attack's quadratic case) against folding the same text once, and
//! saving a sidecar of 143,000 tags against writing the same bytes with `std::fs::write`.
//!
//! `cargo bench --bench document`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gloss_core::annotation::{Annotation, Change};
use gloss_core::store::reanchor::reanchor;
use gloss_core::store::{Document, SidecarDirs, quoted_at};
use gloss_core::text::CharIndex;
use gloss_core::text::fold::Folded;

fn tag(text: &str, idx: &CharIndex, b: usize, needle: &str) -> Annotation {
    let s = idx.byte_to_char(text, b);
    let mut t = Annotation::new("PERSON", s, s + needle.chars().count(), needle, "x");
    t.before = quoted_at(text, idx, s.saturating_sub(24), s).map(String::from);
    t.after = quoted_at(text, idx, t.end, (t.end + 24).min(idx.len_chars())).map(String::from);
    t
}

fn reanchoring(c: &mut Criterion) {
    let mut g = c.benchmark_group("reanchor");
    g.sample_size(10);
    for n in [20_000usize, 80_000, 300_000] {
        let old: String = (0..n).map(|i| format!("ab {i} ")).collect();
        let idx = CharIndex::new(&old);
        let at: Vec<usize> = old.match_indices("ab").map(|(b, _)| b).collect();
        let tags: Vec<Annotation> = (0..10)
            .map(|k| tag(&old, &idx, at[k * n / 10], "ab"))
            .collect();
        let new = format!("x {old}");
        let new_idx = CharIndex::new(&new);
        g.bench_function(format!("fold once ({n}, reference)"), |b| {
            b.iter(|| black_box(Folded::new(&new)))
        });
        g.bench_function(format!("10 tags of \"ab\" among {n}"), |b| {
            b.iter(|| {
                let mut t = tags.clone();
                black_box(reanchor(&new, &new_idx, &mut t))
            })
        });
    }
    g.finish();
}

fn saving(c: &mut Criterion) {
    let unit = "Nguyễn Văn An. ";
    let n = 143_000;
    let text = unit.repeat(n);
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("a.txt");
    std::fs::write(&p, &text).unwrap();
    let dirs = SidecarDirs::new(tmp.path(), None);
    let mut doc = Document::open(&dirs, &p).unwrap();
    let adds = (0..n)
        .map(|k| {
            let s = k * unit.chars().count();
            Change::Add(Annotation::new("PERSON", s, s + 12, "Nguyễn Văn An", "x"))
        })
        .collect();
    doc.edit(adds);
    doc.save().unwrap();
    let bytes = std::fs::read(dirs.sidecar_of(&p)).unwrap();
    let mut g = c.benchmark_group("save");
    g.sample_size(10);
    g.bench_function("std::fs::write of the sidecar's bytes (reference)", |b| {
        b.iter(|| std::fs::write(tmp.path().join("copy.ron"), &bytes).unwrap())
    });
    let mut k = 0;
    g.bench_function("one tag more in a sidecar of 143,000", |b| {
        b.iter(|| {
            k = (k + 1) % n;
            let s = k * unit.chars().count();
            let t = doc.new_tag("TASK", 0..1, "x").map(|mut t| {
                t.start = s;
                t.end = s + 6;
                t
            });
            doc.edit(t.into_iter().map(Change::Add).collect());
            doc.save().unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, reanchoring, saving);
criterion_main!(benches);
