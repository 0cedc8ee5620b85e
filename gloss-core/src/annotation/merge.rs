//! Three-way merge of an article's tags, for two sessions saving the same sidecar: changes that do not
//! conflict (tags added, removed or changed on one side only, by id) are combined; a real conflict
//! keeps both sides' versions and is reported. No side's tag is ever dropped silently.

use std::collections::{BTreeMap, BTreeSet};

use super::{ActiveTime, Annotation, AnnotationSet, ArticleFields, Relation, new_id};

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
    let m = three_way(
        &base.tags().to_vec(),
        &ours.tags().to_vec(),
        &theirs.tags().to_vec(),
    );
    let mut out = MergedSets {
        theirs_applied: m.theirs_applied,
        conflicts: m.conflicts,
        ..MergedSets::default()
    };
    let article = merge_article(&base.article, &ours.article, &theirs.article, &mut out);
    let time = ActiveTime::merge(&base.time, &ours.time, &theirs.time);
    let mut tags = m.tags;
    let our_ids: BTreeSet<&str> = ours.tags().iter().map(|t| t.id.as_str()).collect();
    tags.sort_by_key(|t| !our_ids.contains(t.id.as_str()));
    let mut seen: BTreeMap<(String, usize, usize), String> = BTreeMap::new();
    // a tag merged away for ours on the same span: its relations go to ours
    let mut same_as: BTreeMap<String, String> = BTreeMap::new();
    let before = tags.len();
    // (an orphan's offsets are stale: it stands for no span, and is never merged away)
    let mut gone: Vec<Annotation> = Vec::new();
    let mut kept_tags: Vec<Annotation> = Vec::with_capacity(tags.len());
    for t in tags {
        if t.orphaned {
            kept_tags.push(t);
            continue;
        }
        match seen.entry((t.label.clone(), t.start, t.end)) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(t.id.clone());
                kept_tags.push(t);
            }
            std::collections::btree_map::Entry::Occupied(o) => {
                same_as.insert(t.id.clone(), o.get().clone());
                gone.push(t);
            }
        }
    }
    let mut tags = kept_tags;
    // what a tag merged away carried (a note, an entity link, a review, a comment) goes to the one
    // kept, never lost; where both say something different, the two are kept as a conflict
    let mut restored = Vec::new();
    for x in gone {
        let kept_id = same_as[&x.id].clone();
        let Some(kept) = tags.iter_mut().find(|k| k.id == kept_id) else {
            continue;
        };
        if join_fields(kept, &x).is_err() {
            let mut other = x;
            other.conflict = Some(kept.id.clone());
            kept.conflict = Some(other.id.clone());
            out.conflicts.push(format!(
                "{} was tagged on both sides with different notes, links or reviews: both kept",
                describe(kept)
            ));
            same_as.remove(&other.id);
            restored.push(other);
        }
    }
    tags.extend(restored);
    out.same_tags = before - tags.len();
    let relations = merge_relations(
        base.relations(),
        ours.relations(),
        theirs.relations(),
        &tags,
        &same_as,
        &mut out,
    );
    out.set = AnnotationSet::new(tags)
        .with_article(article)
        .with_time(time)
        .with_relations(relations);
    out
}

/// The article's fields merged: the status, comment and suggestion lists as one (taken from theirs
/// when only they changed them; ours kept, and said, when both did), and the article labels per
/// category the same way, so two annotators labelling different categories both keep theirs.
fn merge_article(
    b: &ArticleFields,
    o: &ArticleFields,
    t: &ArticleFields,
    out: &mut MergedSets,
) -> ArticleFields {
    let rest = |a: &ArticleFields| ArticleFields {
        categories: Default::default(),
        ..a.clone()
    };
    let (rb, ro, rt) = (rest(b), rest(o), rest(t));
    let mut article = if rt != rb && rt != ro {
        if ro == rb {
            out.theirs_applied += 1;
            rt
        } else {
            out.conflicts.push(format!(
                "the article's status or comment was changed on both sides: this side's ({}) is kept",
                o.status.name()
            ));
            ro
        }
    } else {
        ro
    };
    let mut categories = o.categories.clone();
    let names: std::collections::BTreeSet<&String> =
        b.categories.keys().chain(t.categories.keys()).collect();
    for name in names {
        let (vb, vo, vt) = (
            b.categories.get(name),
            o.categories.get(name),
            t.categories.get(name),
        );
        if vt == vb || vt == vo {
            continue;
        }
        if vo == vb {
            out.theirs_applied += 1;
            match vt {
                Some(v) => categories.insert(name.clone(), v.clone()),
                None => categories.remove(name),
            };
        } else {
            out.conflicts.push(format!(
                "the article's {name} was changed on both sides: this side's ({}) is kept",
                vo.map_or("none".to_string(), |v| v.join(", "))
            ));
        }
    }
    article.categories = categories;
    article
}

/// The relations merged three-way by id like tags (when both sides changed one differently, ours is
/// kept and that is said), pointed at the tags kept for those merged away, one per link, and none
/// left joining a tag that is gone (said too).
fn merge_relations(
    base: &[Relation],
    ours: &[Relation],
    theirs: &[Relation],
    tags: &[Annotation],
    same_as: &BTreeMap<String, String>,
    out: &mut MergedSets,
) -> Vec<Relation> {
    let index = |rs: &[Relation]| -> BTreeMap<String, Relation> {
        rs.iter().map(|r| (r.id.clone(), r.clone())).collect()
    };
    let (b, o, t) = (index(base), index(ours), index(theirs));
    let ids: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    let mut merged = Vec::new();
    for id in ids {
        let (bb, oo, tt) = (b.get(id), o.get(id), t.get(id));
        let kept = if oo == tt || tt == bb {
            oo
        } else if oo == bb {
            out.theirs_applied += 1;
            tt
        } else {
            let r = oo.or(tt);
            if let Some(r) = r {
                out.conflicts.push(format!(
                    "relation {} ({}) was changed in both sessions: {} kept",
                    r.label,
                    r.id,
                    if oo.is_some() {
                        "this side's"
                    } else {
                        "the other side's"
                    }
                ));
            }
            r
        };
        if let Some(r) = kept {
            merged.push(r.clone());
        }
    }
    let ids: BTreeSet<&str> = tags.iter().map(|t| t.id.as_str()).collect();
    let mut links = BTreeSet::new();
    let mut result = Vec::new();
    for mut r in merged {
        for end in [&mut r.head, &mut r.tail] {
            if let Some(to) = same_as.get(end.as_str()) {
                *end = to.clone();
            }
        }
        if !ids.contains(r.head.as_str()) || !ids.contains(r.tail.as_str()) {
            out.conflicts.push(format!(
                "relation {} ({}) joined a tag deleted in the other session: dropped",
                r.label, r.id
            ));
            continue;
        }
        if links.insert((r.label.clone(), r.head.clone(), r.tail.clone())) {
            result.push(r);
        }
    }
    result
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

/// A side's tags by id, and the tags whose id an earlier tag of the same side already has (a
/// sidecar edited by hand or by another tool may hold two tags of one id): those are matched by
/// content, never by id, so that neither is lost.
fn by_id(tags: &[Annotation]) -> (BTreeMap<&str, &Annotation>, Vec<&Annotation>) {
    let mut map = BTreeMap::new();
    let mut again = Vec::new();
    for t in tags {
        if map.contains_key(t.id.as_str()) {
            again.push(t);
        } else {
            map.insert(t.id.as_str(), t);
        }
    }
    (map, again)
}

/// The tags of a repeated id (see [`by_id`]) merged three-way by content: kept when both sides have
/// it or one side added it; removed when one side removed it and the other left it as it was.
fn merge_repeated(
    base: &[&Annotation],
    ours: &[&Annotation],
    theirs: &[&Annotation],
    m: &mut Merged,
) {
    let has = |v: &[&Annotation], x: &Annotation| v.iter().any(|y| y.same_content(x));
    let mut theirs_left: Vec<&Annotation> = theirs.to_vec();
    for x in ours {
        if let Some(k) = theirs_left.iter().position(|y| y.same_content(x)) {
            theirs_left.remove(k);
            m.tags.push((*x).clone());
        } else if !has(base, x) {
            m.tags.push((*x).clone());
        }
    }
    for y in theirs_left {
        if !has(base, y) {
            m.theirs_applied += 1;
            m.tags.push(y.clone());
        }
    }
}

/// Give `kept` what `other` (the same label on the same span) says that it does not; `Err` when the
/// two say different things in one field.
fn join_fields(kept: &mut Annotation, other: &Annotation) -> Result<(), ()> {
    fn join<T: Clone + PartialEq>(a: &mut Option<T>, b: &Option<T>) -> Result<(), ()> {
        match (a.as_ref(), b) {
            (_, None) => Ok(()),
            (None, Some(y)) => {
                *a = Some(y.clone());
                Ok(())
            }
            (Some(x), Some(y)) if x == y => Ok(()),
            _ => Err(()),
        }
    }
    let mut trial = kept.clone();
    join(&mut trial.note, &other.note)?;
    join(&mut trial.entity, &other.entity)?;
    join(&mut trial.review, &other.review)?;
    join(&mut trial.comment, &other.comment)?;
    for s in &other.sources {
        if !trial.sources.contains(s) {
            trial.sources.push(s.clone());
        }
    }
    *kept = trial;
    Ok(())
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
    let ((b, b_again), (o, o_again), (t, t_again)) = (by_id(base), by_id(ours), by_id(theirs));
    let ids: BTreeSet<&str> = b.keys().chain(o.keys()).chain(t.keys()).copied().collect();
    let mut m = Merged::default();
    merge_repeated(&b_again, &o_again, &t_again, &mut m);
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

    #[test]
    fn relations_merge_by_id_follow_merged_tags_and_never_dangle() {
        let mut p = t("p", "PERSON");
        p.start = 0;
        let mut d = t("d", "DIRECTIVE");
        d.start = 1;
        let mut task = t("k", "TASK");
        task.start = 2;
        let base = AnnotationSet::new(vec![p.clone(), d.clone(), task.clone()]);
        // ours: ISSUES p → d; theirs: deletes the task, tags p again under another id (same span)
        // and links their copy to d with ASSIGNS-like relation
        let mut r1 = Relation::new("ISSUES", "p", "d", "me");
        r1.id = "r1".into();
        let ours = base.clone().with_relations(vec![r1.clone()]);
        let mut p2 = p.clone();
        p2.id = "p2".into();
        let mut r2 = Relation::new("ISSUES", "p2", "d", "you");
        r2.id = "r2".into();
        let mut r3 = Relation::new("IMPLEMENTS", "k", "d", "you");
        r3.id = "r3".into();
        let base = base.with_relations(vec![r3.clone()]);
        let ours = ours.with_relations(vec![r1.clone(), r3.clone()]);
        let theirs = AnnotationSet::new(vec![p.clone(), p2, d.clone()]).with_relations(vec![r2]);
        let m = merge_sets(&base, &ours, &theirs);
        // the task is gone on their side and unchanged on ours: gone, and its relation with it
        assert!(m.set.get("k").is_none());
        // their copy of p was merged into ours, and their ISSUES, the same link as ours, kept once
        let links: Vec<(&str, &str, &str)> = m
            .set
            .relations()
            .iter()
            .map(|r| (r.label.as_str(), r.head.as_str(), r.tail.as_str()))
            .collect();
        assert_eq!(links, [("ISSUES", "p", "d")]);
    }

    #[test]
    fn article_labels_merge_per_category_and_time_adds_up() {
        let with = |cats: &[(&str, &[&str])], secs: u64| {
            let mut a = ArticleFields::default();
            for (c, v) in cats {
                a.categories
                    .insert(c.to_string(), v.iter().map(|s| s.to_string()).collect());
            }
            let mut time = ActiveTime::default();
            time.add("minh", "2026-12-03", secs);
            AnnotationSet::new(vec![]).with_article(a).with_time(time)
        };
        let base = with(&[("topic", &["economy"])], 60);
        // ours sets the flags, theirs changes the topic: both kept, no conflict
        let ours = with(&[("topic", &["economy"]), ("flags", &["no-tasks"])], 90);
        let theirs = with(&[("topic", &["politics"])], 100);
        let m = merge_sets(&base, &ours, &theirs);
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(m.set.article.categories["topic"], ["politics"]);
        assert_eq!(m.set.article.categories["flags"], ["no-tasks"]);
        assert_eq!(m.set.time.seconds_of("minh"), 130);
        // both change the topic differently: ours is kept, and said
        let ours = with(&[("topic", &["society"])], 60);
        let m = merge_sets(&base, &ours, &theirs);
        assert_eq!(m.set.article.categories["topic"], ["society"]);
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        assert!(m.conflicts[0].contains("topic"), "{:?}", m.conflicts);
        // theirs clears a category ours left: cleared
        let theirs = with(&[], 60);
        let m = merge_sets(&base, &base, &theirs);
        assert!(m.set.article.categories.is_empty());
    }

    fn at(id: &str, start: usize, end: usize, text: &str) -> Annotation {
        let mut a = t(id, "PERSON");
        (a.start, a.end, a.text) = (start, end, text.into());
        a
    }

    #[test]
    fn two_tags_of_one_id_both_survive_a_merge() {
        let a = at("a1", 0, 6, "Tô Lâm");
        let a2 = at("a1", 10, 14, "Mai");
        let b = at("b1", 20, 24, "Hưng");
        let m = three_way(
            std::slice::from_ref(&a),
            &[a.clone(), a2.clone()],
            &[a.clone(), b.clone()],
        );
        let mut texts: Vec<&str> = m.tags.iter().map(|t| t.text.as_str()).collect();
        texts.sort();
        assert_eq!(texts, ["Hưng", "Mai", "Tô Lâm"]);
        // the repeated one removed on one side, left on the other: removed
        let m = three_way(
            &[a.clone(), a2.clone()],
            std::slice::from_ref(&a),
            &[a.clone(), a2.clone()],
        );
        assert_eq!(m.tags.len(), 1);
        // on both sides, unchanged: once
        let m = three_way(
            std::slice::from_ref(&a),
            &[a.clone(), a2.clone()],
            &[a.clone(), a2.clone()],
        );
        assert_eq!(m.tags.len(), 2);
    }

    #[test]
    fn the_same_span_tagged_on_both_sides_keeps_what_each_said() {
        let set = |tags: Vec<Annotation>| AnnotationSet::new(tags);
        let ours = at("o1", 0, 6, "Tô Lâm");
        let mut theirs = at("t1", 0, 6, "Tô Lâm");
        theirs.note = Some("Bộ trưởng".into());
        theirs.entity = Some("person-to-lam".into());
        let m = merge_sets(
            &set(vec![]),
            &set(vec![ours.clone()]),
            &set(vec![theirs.clone()]),
        );
        assert_eq!(m.set.tags().len(), 1);
        let kept = &m.set.tags()[0];
        assert_eq!(kept.id, "o1");
        assert_eq!(kept.note.as_deref(), Some("Bộ trưởng"));
        assert_eq!(kept.entity.as_deref(), Some("person-to-lam"));
        assert!(m.conflicts.is_empty());
        // different notes on each side: both kept, as a conflict
        let mut ours2 = ours.clone();
        ours2.note = Some("Chủ tịch".into());
        let m = merge_sets(&set(vec![]), &set(vec![ours2]), &set(vec![theirs]));
        assert_eq!(m.set.tags().len(), 2);
        assert!(m.set.tags().iter().all(|t| t.conflict.is_some()));
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    }

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
