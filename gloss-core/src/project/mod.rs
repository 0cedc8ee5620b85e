//! The project's figures: how far a corpus's annotation is, who did what, how long it took. One
//! article's part ([`ArticleFigures`], from its tags, status, labels and active time, and, in a
//! team's corpus, each annotator's status, who it is assigned to and how far its annotators agree
//! on it) is summed into the corpus's ([`ProjectStats`]); `gloss stats --by
//! annotator|day|status|label|category` prints them and the TUI's dashboard draws the same sums,
//! kept live as saves change an article's part. Where the parts are read from (one folder of
//! sidecars, or each annotator's tree) is the [`Team`]'s.

mod team;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::agreement::{AgreementTally, PairAgreement};
use crate::annotation::{ActiveTime, Annotation, AnnotationSet, Categories, Status};

pub use team::Team;

/// What one article adds to the figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleFigures {
    /// The article's status; in a team's corpus, the least advanced of its annotators'.
    pub status: Status,
    /// In a team's corpus (annotator trees), each annotator's own status for it; empty where one
    /// folder holds the article's one sidecar (its status is then everyone's).
    pub own_status: BTreeMap<String, Status>,
    /// Who the corpus's assignment gives it to.
    pub assigned: Vec<String>,
    /// How its annotators' tags agree, where two or more tagged it (and the assignment, if
    /// there is one, shares it among them).
    pub agreement: Option<AgreementTally>,
    /// Tags (rejected ones left out) per annotator and label.
    pub tags: BTreeMap<(String, String), usize>,
    /// Tags made per day (`YYYY-MM-DD`, from when each was created).
    pub tags_by_day: BTreeMap<String, usize>,
    pub categories: Categories,
    pub time: ActiveTime,
}

impl ArticleFigures {
    pub fn new<'a>(
        tags: impl IntoIterator<Item = &'a Annotation>,
        status: Status,
        categories: &Categories,
        time: &ActiveTime,
    ) -> ArticleFigures {
        let mut f = ArticleFigures {
            status,
            categories: categories.clone(),
            time: time.clone(),
            ..ArticleFigures::default()
        };
        for t in tags.into_iter().filter(|t| !t.is_rejected() && !t.orphaned) {
            *f.tags
                .entry((t.annotator.clone(), t.label.clone()))
                .or_default() += 1;
            if let Some(day) = t.created.get(..10) {
                *f.tags_by_day.entry(day.to_string()).or_default() += 1;
            }
        }
        f
    }

    /// The figures of an article's annotations.
    pub fn of_set(set: &AnnotationSet) -> ArticleFigures {
        ArticleFigures::new(
            set.tags(),
            set.article.status,
            &set.article.categories,
            &set.time,
        )
    }

    /// Who worked on it: who tagged it, or spent time on it (or, in a team's corpus, has a
    /// sidecar of it).
    pub fn annotators(&self) -> BTreeSet<&str> {
        self.tags
            .keys()
            .map(|(a, _)| a.as_str())
            .chain(self.time.entries().map(|(a, _, _)| a))
            .chain(self.own_status.keys().map(String::as_str))
            .collect()
    }

    /// `who`'s status for it: their own in a team's corpus, else the article's.
    pub fn status_of(&self, who: &str) -> Status {
        self.own_status.get(who).copied().unwrap_or(self.status)
    }
}

/// Is `s` finished: done or reviewed?
fn finished(s: Status) -> bool {
    matches!(s, Status::Done | Status::Reviewed)
}

/// One annotator's queue, from the assignment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueFigures {
    /// Articles assigned to them.
    pub assigned: usize,
    /// Of those, the ones they finished (done or reviewed).
    pub finished: usize,
}

/// How far the annotators agree on the articles two or more of them tagged (those the assignment
/// shares, where there is one), token by token as `gloss agree` counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TeamAgreement {
    /// Articles compared.
    pub articles: usize,
    /// Krippendorff's α (nominal) over their tokens, everyone's labels.
    pub alpha: f64,
    /// Cohen's κ of each pair over the articles both tagged.
    pub pairs: Vec<PairAgreement>,
}

/// One annotator's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnnotatorFigures {
    /// Articles they tagged or spent time on.
    pub articles: usize,
    /// Those articles by status.
    pub by_status: BTreeMap<String, usize>,
    pub tags: usize,
    pub tags_per_label: BTreeMap<String, usize>,
    /// Active seconds.
    pub seconds: u64,
    /// Tags per hour of active time (0 without time).
    pub tags_per_hour: f64,
}

/// One label's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LabelFigures {
    pub tags: usize,
    /// Articles with at least one.
    pub articles: usize,
}

/// One day's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DayFigures {
    /// Tags made that day.
    pub tags: usize,
    /// Active seconds that day, everyone's.
    pub seconds: u64,
}

/// The corpus's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProjectStats {
    pub articles: usize,
    /// Articles per status, every status listed.
    pub by_status: BTreeMap<String, usize>,
    /// Articles done or reviewed.
    pub finished: usize,
    pub tags: usize,
    pub by_annotator: BTreeMap<String, AnnotatorFigures>,
    pub by_label: BTreeMap<String, LabelFigures>,
    pub by_day: BTreeMap<String, DayFigures>,
    /// Articles per category and value.
    pub by_category: BTreeMap<String, BTreeMap<String, usize>>,
    /// Everyone's active seconds.
    pub seconds: u64,
    /// Each annotator's queue, where the corpus has an assignment.
    pub queues: BTreeMap<String, QueueFigures>,
    /// Agreement on the articles annotators share, where two or more tagged one.
    pub agreement: Option<TeamAgreement>,
}

impl ProjectStats {
    /// The sum of the articles' parts; `articles` counts the corpus's articles (those without a
    /// part are new, untagged).
    pub fn of<'a>(articles: usize, parts: impl IntoIterator<Item = &'a ArticleFigures>) -> Self {
        let mut s = ProjectStats {
            articles,
            by_status: Status::ALL
                .iter()
                .map(|st| (st.name().to_string(), 0))
                .collect(),
            ..ProjectStats::default()
        };
        let mut counted = 0;
        let mut agreement: Option<AgreementTally> = None;
        for f in parts {
            counted += 1;
            s.add(f);
            if let Some(a) = f.agreement.as_ref().filter(|a| a.articles > 0) {
                agreement.get_or_insert_with(Default::default).add(a);
            }
        }
        s.agreement = agreement.map(|a| TeamAgreement {
            articles: a.articles,
            alpha: round(a.alpha()),
            pairs: a
                .pairs()
                .into_iter()
                .map(|p| PairAgreement {
                    kappa: round(p.kappa),
                    ..p
                })
                .collect(),
        });
        *s.by_status
            .entry(Status::New.name().to_string())
            .or_default() += articles.saturating_sub(counted);
        s.finished = s.by_status.get(Status::Done.name()).copied().unwrap_or(0)
            + s.by_status
                .get(Status::Reviewed.name())
                .copied()
                .unwrap_or(0);
        for a in s.by_annotator.values_mut() {
            if a.seconds > 0 {
                a.tags_per_hour =
                    ((a.tags as f64) * 3600.0 / (a.seconds as f64) * 10.0).round() / 10.0;
            }
        }
        s
    }

    fn add(&mut self, f: &ArticleFigures) {
        *self
            .by_status
            .entry(f.status.name().to_string())
            .or_default() += 1;
        for who in f.annotators() {
            let a = self.by_annotator.entry(who.to_string()).or_default();
            a.articles += 1;
            *a.by_status
                .entry(f.status_of(who).name().to_string())
                .or_default() += 1;
        }
        for who in &f.assigned {
            let q = self.queues.entry(who.clone()).or_default();
            q.assigned += 1;
            q.finished += usize::from(finished(f.status_of(who)));
        }
        let mut labels = BTreeSet::new();
        for ((who, label), &n) in &f.tags {
            self.tags += n;
            let a = self.by_annotator.entry(who.clone()).or_default();
            a.tags += n;
            *a.tags_per_label.entry(label.clone()).or_default() += n;
            let l = self.by_label.entry(label.clone()).or_default();
            l.tags += n;
            if labels.insert(label) {
                l.articles += 1;
            }
        }
        for (day, &n) in &f.tags_by_day {
            self.by_day.entry(day.clone()).or_default().tags += n;
        }
        for (who, day, secs) in f.time.entries() {
            self.seconds = self.seconds.saturating_add(secs);
            let a = self.by_annotator.entry(who.to_string()).or_default();
            a.seconds = a.seconds.saturating_add(secs);
            let d = self.by_day.entry(day.to_string()).or_default();
            d.seconds = d.seconds.saturating_add(secs);
        }
        for (cat, values) in &f.categories {
            for v in values {
                *self
                    .by_category
                    .entry(cat.clone())
                    .or_default()
                    .entry(v.clone())
                    .or_default() += 1;
            }
        }
    }
}

/// Three decimals, as `gloss agree` prints them.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Seconds as `1h 05m`, `4m 10s`, `12s`.
pub fn duration_text(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(who: &str, label: &str, day: &str) -> Annotation {
        let mut t = Annotation::new(label, 0, 1, "a", who);
        t.created = format!("{day}T10:00:00Z");
        t
    }

    #[test]
    fn the_parts_add_up_per_annotator_label_day_status_and_category() {
        let mut time = ActiveTime::default();
        time.add("lan", "2026-12-01", 1800);
        time.add("minh", "2026-12-02", 60);
        let mut cats = Categories::new();
        cats.insert("topic".into(), vec!["economy".into()]);
        let a = ArticleFigures::new(
            &[
                tag("lan", "PERSON", "2026-12-01"),
                tag("lan", "PERSON", "2026-12-01"),
                tag("minh", "TASK", "2026-12-02"),
            ],
            Status::Done,
            &cats,
            &time,
        );
        let b = ArticleFigures::new(
            &[tag("lan", "TASK", "2026-12-02")],
            Status::InProgress,
            &Categories::new(),
            &ActiveTime::default(),
        );
        let s = ProjectStats::of(5, [&a, &b]);
        assert_eq!(s.articles, 5);
        assert_eq!(s.by_status["new"], 3);
        assert_eq!(s.by_status["done"], 1);
        assert_eq!(s.by_status["in-progress"], 1);
        assert_eq!(s.finished, 1);
        assert_eq!(s.tags, 4);
        let lan = &s.by_annotator["lan"];
        assert_eq!((lan.articles, lan.tags, lan.seconds), (2, 3, 1800));
        assert_eq!(lan.tags_per_hour, 6.0);
        assert_eq!(lan.by_status["done"], 1);
        assert_eq!(s.by_annotator["minh"].articles, 1);
        assert_eq!(
            s.by_label["TASK"],
            LabelFigures {
                tags: 2,
                articles: 2
            }
        );
        assert_eq!(
            s.by_label["PERSON"],
            LabelFigures {
                tags: 2,
                articles: 1
            }
        );
        assert_eq!(
            s.by_day["2026-12-01"],
            DayFigures {
                tags: 2,
                seconds: 1800
            }
        );
        assert_eq!(
            s.by_day["2026-12-02"],
            DayFigures {
                tags: 2,
                seconds: 60
            }
        );
        assert_eq!(s.by_category["topic"]["economy"], 1);
        assert_eq!(s.seconds, 1860);
        assert_eq!(duration_text(3900), "1h 05m");
        assert_eq!(duration_text(250), "4m 10s");
    }
}
