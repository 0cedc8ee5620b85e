//! What the entity rules do on gold articles (not a timing): how many DIRECTIVE spans carry an
//! identifier the normalisation reads, how many distinct spellings it folds into how many directives
//! (each group printed, to check by eye), and how many PERSON mentions of one word get the full name
//! mentioned earlier in their article proposed.
//!
//! `cargo bench --bench entities -- [GOLD.jsonl CORPUS_DIR]` (default: the gold articles kept in
//! `tests/gold/`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gloss_core::annotation::Annotation;
use gloss_core::entity::{DirectiveId, Proposal, Registry};
use gloss_core::eval;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sets: Vec<(PathBuf, PathBuf)> = match args.as_slice() {
        [gold, corpus] => vec![(gold.into(), corpus.into())],
        _ => vec![
            (
                root.join("tests/gold/assets.jsonl"),
                root.join("assets/corpus"),
            ),
            (
                root.join("tests/gold/corpus.jsonl"),
                root.join("tests/gold/corpus"),
            ),
        ],
    };
    let registry = Registry::empty(PathBuf::from("entities.ron"));
    let (mut directives, mut read) = (0, 0);
    let mut spellings = BTreeSet::new();
    let mut groups: Vec<(DirectiveId, BTreeSet<String>)> = Vec::new();
    let mut unread = BTreeSet::new();
    let (mut multi, mut single, mut full) = (0, 0, 0);
    for (gold, corpus) in sets {
        let spans = eval::load_jsonl(&gold).expect("gold");
        let (texts, _) = eval::read_texts(&corpus, &spans).expect("corpus");
        for a in texts {
            let chars: Vec<char> = a.text.chars().collect();
            let tags: Vec<Annotation> = a
                .gold
                .spans
                .iter()
                .filter(|s| s.end <= chars.len())
                .map(|s| {
                    let text: String = chars[s.start..s.end].iter().collect();
                    Annotation::new(&s.label, s.start, s.end, &text, "gold")
                })
                .collect();
            for t in &tags {
                match t.label.as_str() {
                    "DIRECTIVE" => {
                        directives += 1;
                        let Some(d) = DirectiveId::parse(&t.text) else {
                            unread.insert(t.text.clone());
                            continue;
                        };
                        read += 1;
                        spellings.insert(t.text.to_lowercase());
                        match groups.iter_mut().find(|(g, _)| g.same_as(&d)) {
                            Some((_, s)) => {
                                s.insert(t.text.clone());
                            }
                            None => groups.push((d, BTreeSet::from([t.text.clone()]))),
                        }
                    }
                    "PERSON" if t.text.split_whitespace().count() == 1 => {
                        single += 1;
                        if let Proposal::New { name, .. } = registry.propose(t, &tags)
                            && name.split_whitespace().count() > 1
                        {
                            full += 1;
                        }
                    }
                    "PERSON" => multi += 1,
                    _ => {}
                }
            }
        }
    }
    for (d, s) in &groups {
        println!("{:<40} <= {s:?}", d.canonical());
    }
    println!("not identifiers (names of laws, abbreviations): {unread:?}");
    println!(
        "DIRECTIVE spans: {directives}, an identifier read in {read}; {} distinct spellings -> {} directives",
        spellings.len(),
        groups.len()
    );
    println!(
        "PERSON spans: {multi} of several words, {single} of one word, of which {full} get an earlier full name proposed"
    );
}
