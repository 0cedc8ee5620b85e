//! Suggestions per article and training the model, timed (not criterion: training runs seconds).
//!
//! - suggestions: patterns and gazetteer, then with a model too, on each gold article kept in
//!   `tests/gold/` (13 real news articles, 3–11 KB): each article's median time over 50 runs, and
//!   the median and the largest of those;
//! - training: the model on 104 articles (those 13, 8 times over), on this machine's cores, as the
//!   TUI does in the background.
//!
//! `cargo bench --bench learn`

use std::path::Path;
use std::time::{Duration, Instant};

use gloss_core::corpus::patterns::builtin_patterns;
use gloss_core::eval::{self, GoldText};
use gloss_core::suggest::model::{Model, TrainOptions, TrainingArticle};
use gloss_core::suggest::{Lexicon, Suggester};

fn gold() -> Vec<GoldText> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for (jsonl, corpus) in [
        ("tests/gold/assets.jsonl", "assets/corpus"),
        ("tests/gold/corpus.jsonl", "tests/gold/corpus"),
    ] {
        let g = eval::load_jsonl(&root.join(jsonl)).unwrap();
        all.extend(eval::read_texts(&root.join(corpus), &g).unwrap().0);
    }
    all
}

/// The median time of each article (50 runs), then the median and the largest of those.
fn per_article(s: &Suggester, texts: &[GoldText]) -> (Duration, Duration) {
    let mut medians = Vec::new();
    for a in texts {
        let mut times = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            std::hint::black_box(s.suggest(&a.text));
            times.push(t.elapsed());
        }
        times.sort();
        medians.push(times[times.len() / 2]);
    }
    medians.sort();
    (medians[medians.len() / 2], *medians.last().unwrap())
}

fn main() {
    let texts = gold();
    let patterns = builtin_patterns();
    let lex = Lexicon::from_patterns(&patterns);
    let sizes: Vec<usize> = texts.iter().map(|a| a.text.len()).collect();
    println!(
        "{} articles of {}–{} bytes",
        texts.len(),
        sizes.iter().min().unwrap(),
        sizes.iter().max().unwrap()
    );
    let mut s = Suggester::new(&patterns).unwrap();
    s.set_gazetteer(
        texts
            .iter()
            .flat_map(|a| a.gold.spans.iter())
            .map(|x| (x.label.clone(), x.text.clone())),
    );
    let (median, worst) = per_article(&s, &texts);
    println!(
        "suggestions, patterns and gazetteer: median article {median:.2?}, slowest article {worst:.2?}"
    );

    let set: Vec<TrainingArticle> = (0..8)
        .flat_map(|_| texts.iter().map(eval::training_article))
        .collect();
    let t = Instant::now();
    let iters: usize = std::env::var("ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(TrainOptions::default().max_iterations);
    let model = Model::train(
        &set,
        &lex,
        &TrainOptions {
            max_iterations: iters,
            ..TrainOptions::default()
        },
    )
    .unwrap()
    .unwrap();
    println!(
        "training on {} articles ({}): {:.2?}",
        set.len(),
        model.labels().join(", "),
        t.elapsed()
    );
    let model = std::sync::Arc::new(model);
    let mut alone = Suggester::new(&[]).unwrap();
    alone.set_lexicon_from(&patterns);
    alone.set_model(Some(model.clone()));
    let (median, worst) = per_article(&alone, &texts);
    println!(
        "suggestions, the model alone: median article {median:.2?}, slowest article {worst:.2?}"
    );
    s.set_model(Some(model));
    let (median, worst) = per_article(&s, &texts);
    println!(
        "suggestions, patterns, gazetteer and model: median article {median:.2?}, slowest article {worst:.2?}"
    );
}
