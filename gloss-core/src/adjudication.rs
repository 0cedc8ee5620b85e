//! Adjudication: several annotators' tags of one article, compared, for a reviewer to settle into
//! one gold set. Each distinct tag (label and span) is a candidate: *agreed* when every annotator
//! has it, *only* one annotator's when nobody else has anything there, and in *conflict* when
//! annotators tagged overlapping spans differently (another label or other boundaries). Overlapping
//! disagreeing candidates form a group, settled when one of them is accepted into the gold set or
//! all of them are rejected.

use std::collections::BTreeMap;

use crate::annotation::{AnnotationSet, SpanRef};

/// How the annotators stand on a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Agreed,
    Only,
    Conflict,
}

impl Standing {
    /// One character, so that it reads without colour.
    pub fn mark(self) -> char {
        match self {
            Standing::Agreed => '=',
            Standing::Only => '+',
            Standing::Conflict => '≠',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Standing::Agreed => "agreed",
            Standing::Only => "only",
            Standing::Conflict => "conflict",
        }
    }
}

/// A tag some annotators made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub label: String,
    /// Code points, as for tags.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The annotators who made it.
    pub sources: Vec<String>,
    pub standing: Standing,
    /// Candidates of one group overlap and disagree; an agreed candidate is a group of its own.
    pub group: usize,
}

impl Candidate {
    fn span(&self) -> SpanRef {
        SpanRef {
            label: self.label.clone(),
            start: self.start,
            end: self.end,
            text: self.text.clone(),
        }
    }

    /// Is it in the gold set?
    pub fn accepted(&self, gold: &AnnotationSet) -> bool {
        gold.find_same(&self.label, self.start, self.end).is_some()
    }

    /// Did the reviewer reject it?
    pub fn rejected(&self, gold: &AnnotationSet) -> bool {
        gold.article.rejected.contains(&self.span())
    }
}

/// The candidates of one article from the annotators' sets (`(name, set)`), sorted by position.
pub fn candidates(sources: &[(String, &AnnotationSet)]) -> Vec<Candidate> {
    let mut by_span: BTreeMap<(usize, usize, String), (String, Vec<String>)> = BTreeMap::new();
    for (name, set) in sources {
        for t in set.live_tags() {
            let e = by_span
                .entry((t.start, t.end, t.label.clone()))
                .or_insert_with(|| (t.text.clone(), Vec::new()));
            if !e.1.contains(name) {
                e.1.push(name.clone());
            }
        }
    }
    let mut out: Vec<Candidate> = by_span
        .into_iter()
        .map(|((start, end, label), (text, who))| Candidate {
            standing: if who.len() == sources.len() {
                Standing::Agreed
            } else {
                Standing::Only
            },
            label,
            start,
            end,
            text,
            sources: who,
            group: 0,
        })
        .collect();
    // groups: disagreeing candidates that overlap, found by union-find
    let mut parent: Vec<usize> = (0..out.len()).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for i in 0..out.len() {
        if out[i].standing == Standing::Agreed {
            continue;
        }
        for j in i + 1..out.len() {
            if out[j].start >= out[i].end {
                break; // sorted by start
            }
            if out[j].standing != Standing::Agreed && out[i].sources != out[j].sources {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let roots: Vec<usize> = (0..out.len()).map(|i| find(&mut parent, i)).collect();
    let mut size: BTreeMap<usize, usize> = BTreeMap::new();
    for &r in &roots {
        *size.entry(r).or_default() += 1;
    }
    // a candidate of some annotators over a span everyone tagged otherwise is in conflict with it:
    // the same span with another label, spans that cross, or other boundaries of the same label
    // (a tag nested in another of another label, or holding one, is no disagreement)
    let against_agreed: Vec<bool> = out
        .iter()
        .map(|c| {
            c.standing == Standing::Only
                && out.iter().any(|a| {
                    a.standing == Standing::Agreed
                        && a.start < c.end
                        && c.start < a.end
                        && disagree(a, c)
                })
        })
        .collect();
    for (i, c) in out.iter_mut().enumerate() {
        c.group = roots[i];
        if c.standing == Standing::Only && (size[&roots[i]] > 1 || against_agreed[i]) {
            c.standing = Standing::Conflict;
        }
    }
    out
}

/// (settled, all) disagreements of one article: the annotators' sets (`(name, set)`) against the
/// gold set, as [`progress`] counts them.
pub fn disagreements(sources: &[(String, &AnnotationSet)], gold: &AnnotationSet) -> (usize, usize) {
    progress(gold, &candidates(sources))
}

/// Do two overlapping candidates disagree: another label on the same span or on crossing spans,
/// or the same label with other boundaries?
fn disagree(a: &Candidate, b: &Candidate) -> bool {
    let same_span = a.start == b.start && a.end == b.end;
    let nested = (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
    if a.label == b.label {
        !same_span
    } else {
        same_span || !nested
    }
}

/// Is the group of `c` settled in `gold`: one of its candidates accepted, or all of them rejected?
pub fn settled(gold: &AnnotationSet, all: &[Candidate], c: &Candidate) -> bool {
    let group: Vec<&Candidate> = all.iter().filter(|o| o.group == c.group).collect();
    group.iter().any(|o| o.accepted(gold)) || group.iter().all(|o| o.rejected(gold))
}

/// (settled, all) groups that are disagreements (not agreed).
pub fn progress(gold: &AnnotationSet, all: &[Candidate]) -> (usize, usize) {
    let mut groups: BTreeMap<usize, &Candidate> = BTreeMap::new();
    for c in all.iter().filter(|c| c.standing != Standing::Agreed) {
        groups.entry(c.group).or_insert(c);
    }
    let done = groups.values().filter(|c| settled(gold, all, c)).count();
    (done, groups.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Annotation;

    fn set(tags: &[(&str, usize, usize)]) -> AnnotationSet {
        AnnotationSet::new(
            tags.iter()
                .map(|(l, s, e)| Annotation::new(l, *s, *e, "x", "a"))
                .collect(),
        )
    }

    #[test]
    fn agreed_only_and_conflicts_are_told_apart() {
        let a = set(&[
            ("PERSON", 0, 6),
            ("TASK", 10, 20),
            ("PERSON", 30, 33),
            ("PERSON", 40, 45),
        ]);
        let b = set(&[("PERSON", 0, 6), ("DIRECTIVE", 10, 20), ("PERSON", 30, 36)]);
        let c = candidates(&[("lan".into(), &a), ("minh".into(), &b)]);
        let st: Vec<(usize, usize, &str, Standing)> = c
            .iter()
            .map(|c| (c.start, c.end, c.label.as_str(), c.standing))
            .collect();
        assert_eq!(
            st,
            [
                (0, 6, "PERSON", Standing::Agreed),
                (10, 20, "DIRECTIVE", Standing::Conflict),
                (10, 20, "TASK", Standing::Conflict),
                (30, 33, "PERSON", Standing::Conflict),
                (30, 36, "PERSON", Standing::Conflict),
                (40, 45, "PERSON", Standing::Only),
            ]
        );
        assert_eq!(c[1].group, c[2].group);
        assert_eq!(c[3].group, c[4].group);
        // against what everyone tagged: another label on its span, or other boundaries, is a
        // conflict; a tag nested in it (or holding it) of another label is no disagreement
        let a2 = set(&[("PERSON", 0, 6), ("DIRECTIVE", 0, 6), ("TASK", 0, 20)]);
        let b2 = set(&[("PERSON", 0, 6), ("PERSON", 50, 60), ("PERSON", 62, 70)]);
        let a2b = set(&[("PERSON", 0, 6), ("PERSON", 50, 58), ("TASK", 64, 75)]);
        let c2 = candidates(&[("lan".into(), &a2), ("minh".into(), &b2)]);
        let st2: Vec<(&str, Standing)> =
            c2.iter().map(|c| (c.label.as_str(), c.standing)).collect();
        assert_eq!(
            st2,
            [
                ("DIRECTIVE", Standing::Conflict),
                ("PERSON", Standing::Agreed),
                ("TASK", Standing::Only),
                ("PERSON", Standing::Only),
                ("PERSON", Standing::Only),
            ]
        );
        let c3 = candidates(&[("lan".into(), &b2), ("minh".into(), &a2b)]);
        let st3: Vec<(usize, &str, Standing)> = c3
            .iter()
            .map(|c| (c.start, c.label.as_str(), c.standing))
            .collect();
        assert_eq!(
            st3,
            [
                (0, "PERSON", Standing::Agreed),
                (50, "PERSON", Standing::Conflict),
                (50, "PERSON", Standing::Conflict),
                (62, "PERSON", Standing::Conflict),
                (64, "TASK", Standing::Conflict),
            ]
        );
        assert_ne!(c[1].group, c[3].group);
        assert_eq!(c[0].sources, ["lan", "minh"]);
        // progress: 3 disagreements; accepting one version settles its group
        let mut gold = AnnotationSet::default();
        assert_eq!(progress(&gold, &c), (0, 3));
        gold.upsert(Annotation::new("TASK", 10, 20, "x", "r"));
        assert_eq!(progress(&gold, &c), (1, 3));
        assert!(settled(&gold, &c, &c[1]));
        // rejecting the lone one settles it too
        gold.article.rejected.push(c[5].span());
        assert_eq!(progress(&gold, &c), (2, 3));
    }
}
