//! Three-way merge of an article's tags, for two sessions saving the same sidecar: changes that do not
//! conflict (tags added, removed or changed on one side only, by id) are combined; a real conflict
//! keeps both sides' versions and is reported. No side's tag is ever dropped silently.

use std::collections::{BTreeMap, BTreeSet};

use super::{Annotation, AnnotationSet, ArticleFields, new_id};

/// Two sets of one article's annotations merged against their common base: the tags by
/// [`three_way`], the article's status and comment taken from whichever side changed them (ours when
/// both did, said as a conflict), and the same label on the same span tagged on both sides kept once
/// (ours).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergedSets {
    pub set: AnnotationSet,
    /// Changes taken from theirs.
    pub theirs_applied: usize,
    /// One line per conflict (both versions kept).
    pub conflicts: Vec<String>,
    /// Tags both sides made (same label, same span): kept once.
    pub same_tags: usize,
}

/// Merge `ours` and `theirs`, both descended from `base`.
pub fn merge_sets(
    base: &AnnotationSet,
    ours: &AnnotationSet,
    theirs: &AnnotationSet,
) -> MergedSets {
    let m = three_way(base.tags(), ours.tags(), theirs.tags());
    let mut out = MergedSets {
        theirs_applied: m.theirs_applied,
        conflicts: m.conflicts,
        ..MergedSets::default()
    };
    let (b, o, t): (&ArticleFields, &ArticleFields, &ArticleFields) =
        (&base.article, &ours.article, &theirs.article);
    let mut article = o.clone();
    if t != b && t != o {
        if o == b {
            article = t.clone();
            out.theirs_applied += 1;
        } else {
            out.conflicts.push(format!(
                "the article's status or comment was changed on both sides: this side's ({}) is kept",
                o.status.name()
            ));
        }
    }
    let mut tags = m.tags;
    let our_ids: BTreeSet<&str> = ours.tags().iter().map(|t| t.id.as_str()).collect();
    tags.sort_by_key(|t| !our_ids.contains(t.id.as_str()));
    let mut seen = BTreeSet::new();
    let before = tags.len();
    // (an orphan's offsets are stale: it stands for no span, and is never merged away)
    tags.retain(|t| t.orphaned || seen.insert((t.label.clone(), t.start, t.end)));
    out.same_tags = before - tags.len();
    out.set = AnnotationSet::new(tags).with_article(article);
    out
}

/// The merged tags and what could not be merged cleanly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    pub tags: Vec<Annotation>,
    /// One line per conflict, for the user.
    pub conflicts: Vec<String>,
    /// How many changes came from the other side.
    pub theirs_applied: usize,
}

fn by_id(tags: &[Annotation]) -> BTreeMap<&str, &Annotation> {
    tags.iter().map(|t| (t.id.as_str(), t)).collect()
}

fn describe(t: &Annotation) -> String {
    format!(
        "{} “{}” ({})",
        t.label,
        crate::text::sanitize_inline(&t.text),
        t.id
    )
}

/// Merge `ours` and `theirs`, both descended from `base`.
pub fn three_way(base: &[Annotation], ours: &[Annotation], theirs: &[Annotation]) -> Merged {
    let (b, o, t) = (by_id(base), by_id(ours), by_id(theirs));
    let ids: BTreeSet<&str> = b.keys().chain(o.keys()).chain(t.keys()).copied().collect();
    let mut m = Merged::default();
    let same = |x: Option<&&Annotation>, y: Option<&&Annotation>| match (x, y) {
        (Some(x), Some(y)) => x.same_content(y),
        (None, None) => true,
        _ => false,
    };
    for id in ids {
        let (bb, oo, tt) = (b.get(id), o.get(id), t.get(id));
        if same(oo, tt) {
            // both sides agree (or both removed it)
            if let Some(x) = oo {
                m.tags.push((*x).clone());
            }
            continue;
        }
        if same(oo, bb) {
            // only they changed it
            m.theirs_applied += 1;
            if let Some(x) = tt {
                m.tags.push((*x).clone());
            }
            continue;
        }
        if same(tt, bb) {
            // only we changed it
            if let Some(x) = oo {
                m.tags.push((*x).clone());
            }
            continue;
        }
        // Both changed it, differently: keep both versions.
        match (oo, tt) {
            (Some(x), Some(y)) => {
                let mut ours = (*x).clone();
                let mut copy = (*y).clone();
                copy.id = new_id();
                ours.conflict = Some(copy.id.clone());
                copy.conflict = Some(ours.id.clone());
                m.conflicts.push(format!(
                    "{} was changed in both sessions: the other version is kept as {}",
                    describe(x),
                    copy.id
                ));
                m.tags.push(ours);
                m.tags.push(copy);
            }
            (Some(x), None) => {
                m.conflicts.push(format!(
                    "{} was deleted in the other session but changed here: kept",
                    describe(x)
                ));
                m.tags.push((*x).clone());
            }
            (None, Some(y)) => {
                m.conflicts.push(format!(
                    "{} was deleted here but changed in the other session: kept",
                    describe(y)
                ));
                m.tags.push((*y).clone());
            }
            (None, None) => {}
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: &str, label: &str) -> Annotation {
        let mut a = Annotation::new(label, 0, 3, "abc", "x");
        a.id = id.into();
        a.created = "c".into();
        a.modified = "m".into();
        a
    }

    #[test]
    fn adds_and_removes_from_both_sides_combine() {
        let base = vec![t("1", "PERSON"), t("2", "PERSON")];
        let ours = vec![t("1", "PERSON"), t("3", "TASK")]; // removed 2, added 3
        let theirs = vec![t("2", "PERSON"), t("4", "TASK")]; // removed 1, added 4
        let m = three_way(&base, &ours, &theirs);
        let ids: Vec<&str> = m.tags.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["3", "4"]);
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn edits_on_one_side_win_and_conflicts_keep_both() {
        let base = vec![t("1", "PERSON"), t("2", "PERSON"), t("3", "PERSON")];
        let ours = vec![t("1", "TASK"), t("2", "TASK"), t("3", "DIRECTIVE")];
        let theirs = vec![t("1", "PERSON"), t("2", "DIRECTIVE")]; // 2 changed, 3 deleted
        let m = three_way(&base, &ours, &theirs);
        assert_eq!(m.tags.len(), 4);
        assert_eq!(m.tags[0].label, "TASK"); // only we changed 1
        assert!(m.tags.iter().any(|x| x.id == "2" && x.label == "TASK"));
        assert!(
            m.tags
                .iter()
                .any(|x| x.id != "2" && x.label == "DIRECTIVE" && x.id != "3")
        );
        assert!(m.tags.iter().any(|x| x.id == "3"));
        assert_eq!(m.conflicts.len(), 2);
    }
}
