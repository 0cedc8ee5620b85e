//! The training set of a corpus: the tags of its articles marked reviewed, then done, read through
//! the store, and a fingerprint of them that tells whether a cached model is still the one.

use std::path::PathBuf;

use crate::annotation::Status;
use crate::corpus::patterns::Pattern;
use crate::store::{Document, SidecarDirs, sha256_hex};
use crate::suggest::model::{MODEL_VERSION, TrainingArticle};

/// The most articles a model is trained on (reviewed ones first).
pub const MAX_TRAINING_ARTICLES: usize = 200;

/// What a corpus's model is trained on.
#[derive(Debug, Clone)]
pub struct TrainingSet {
    /// The articles, reviewed ones first.
    pub articles: Vec<TrainingArticle>,
    /// A hash of the model's version, the patterns (which give the features), and each article's
    /// path, text and tags.
    pub fingerprint: String,
}

impl TrainingSet {
    /// The tags (neither rejected nor orphaned) of the articles of `articles` marked reviewed, then
    /// done, in that order, at most `max` of them. Articles without a sidecar, with one that cannot
    /// be read, or read-only are left out.
    pub fn of_corpus(
        dirs: &SidecarDirs,
        articles: &[PathBuf],
        patterns: &[Pattern],
        max: usize,
    ) -> TrainingSet {
        let mut reviewed = Vec::new();
        let mut done = Vec::new();
        for p in articles {
            if !dirs.sidecar_of(p).exists() {
                continue;
            }
            let Ok(doc) = Document::open(dirs, p) else {
                continue;
            };
            if doc.sidecar_error().is_some() || doc.read_only().is_some() {
                continue;
            }
            let into = match doc.status() {
                Status::Reviewed => &mut reviewed,
                Status::Done => &mut done,
                _ => continue,
            };
            let tags = doc
                .annotations()
                .live_tags()
                .filter_map(|t| {
                    doc.bytes_of(&(t.start..t.end))
                        .map(|b| (t.label.clone(), b))
                })
                .collect();
            into.push((
                p.clone(),
                TrainingArticle {
                    text: doc.text().to_string(),
                    tags,
                },
            ));
        }
        reviewed.extend(done);
        reviewed.truncate(max);
        let mut fp = format!(
            "{MODEL_VERSION}\n{}\n",
            ron::to_string(patterns).unwrap_or_default()
        );
        for (p, a) in &reviewed {
            fp.push_str(&format!(
                "{}\n{}\n",
                p.to_string_lossy(),
                sha256_hex(&a.text)
            ));
            for (l, r) in &a.tags {
                fp.push_str(&format!("{l} {} {}\n", r.start, r.end));
            }
        }
        TrainingSet {
            articles: reviewed.into_iter().map(|(_, a)| a).collect(),
            fingerprint: sha256_hex(&fp),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::annotation::{Annotation, AnnotationSet, ArticleFields, Review, Verdict};
    use crate::corpus::patterns::builtin_patterns;
    use crate::store::Sidecar;

    /// An article `name` in `dir` with `text`, tagged PERSON on each of `names` and marked `status`
    /// (no sidecar when `None`).
    fn article(
        dir: &Path,
        name: &str,
        text: &str,
        names: &[&str],
        status: Option<Status>,
    ) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        if let Some(status) = status {
            let tags = names
                .iter()
                .map(|n| {
                    let s = text[..text.find(n).unwrap()].chars().count();
                    Annotation::new("PERSON", s, s + n.chars().count(), n, "test")
                })
                .collect();
            let set = AnnotationSet::new(tags).with_article(ArticleFields {
                status,
                ..ArticleFields::default()
            });
            Sidecar::new(&p, text, &set)
                .save(&p.with_extension("ron"))
                .unwrap();
        }
        p
    }

    #[test]
    fn reviewed_articles_come_first_then_done_ones_with_their_standing_tags() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let paths = vec![
            article(
                d,
                "a.txt",
                "Ông Tô Lâm đến.",
                &["Tô Lâm"],
                Some(Status::Done),
            ),
            article(
                d,
                "b.txt",
                "Bà Lê Minh và ông Vũ Đam.",
                &["Lê Minh", "Vũ Đam"],
                Some(Status::Reviewed),
            ),
            article(
                d,
                "c.txt",
                "Ông Mai Hoa nói.",
                &["Mai Hoa"],
                Some(Status::InProgress),
            ),
            article(d, "d.txt", "Ông Trần Tư nói.", &[], None),
        ];
        // a reviewer rejected "Vũ Đam" in b
        let b = &paths[1];
        let mut sc = Sidecar::load(&b.with_extension("ron")).unwrap().unwrap();
        sc.tags[1].review = Some(Review {
            verdict: Verdict::Rejected,
            reviewer: "r".into(),
            time: "2024-01-01T00:00:00Z".into(),
        });
        sc.save(&b.with_extension("ron")).unwrap();
        let dirs = SidecarDirs::new(d, None);
        let patterns = builtin_patterns();
        let set = TrainingSet::of_corpus(&dirs, &paths, &patterns, 10);
        let got: Vec<(&str, Vec<&str>)> = set
            .articles
            .iter()
            .map(|a| {
                let tags = a.tags.iter().map(|(_, r)| &a.text[r.clone()]).collect();
                (a.text.as_str(), tags)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Bà Lê Minh và ông Vũ Đam.", vec!["Lê Minh"]),
                ("Ông Tô Lâm đến.", vec!["Tô Lâm"])
            ]
        );
        // at most `max`, reviewed first
        let one = TrainingSet::of_corpus(&dirs, &paths, &patterns, 1);
        assert_eq!(one.articles.len(), 1);
        assert_eq!(one.articles[0].text, set.articles[0].text);
        // the fingerprint is the set's (and the patterns')
        assert_eq!(
            TrainingSet::of_corpus(&dirs, &paths, &patterns, 10).fingerprint,
            set.fingerprint
        );
        assert_ne!(one.fingerprint, set.fingerprint);
        assert_ne!(
            TrainingSet::of_corpus(&dirs, &paths, &patterns[..1], 10).fingerprint,
            set.fingerprint
        );
    }
}
