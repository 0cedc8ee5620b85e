//! The one merge of two versions of a sidecar descended from a common base: the annotations (tags
//! by id, the article's fields, relations: [`merge_sets`]) and the fields this gloss does not know
//! (three-way by name). [`super::Document::save`] merges what another session saved meanwhile
//! through [`merge`]; the git merge driver merges two branches' files through [`merge_files`] (read,
//! merged and written atomically), so a team's branches and two sessions on one folder follow the
//! same rules, and the result is always a whole, valid sidecar.

use std::path::Path;

use super::Sidecar;
use super::sidecar::{parse_bytes, read_raw};
use crate::annotation::AnnotationSet;
use crate::annotation::merge::{MergedSets, merge_sets};
use crate::error::{Error, Result};

/// One version of a sidecar's contents, as the merge sees it.
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    pub set: &'a AnnotationSet,
    /// Fields from a newer gloss (name, raw RON value).
    pub extra: &'a [(String, String)],
}

/// Two versions merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// The annotations, with what was taken from theirs (unknown fields included) and every
    /// conflict.
    pub sets: MergedSets,
    /// The fields this gloss does not know, merged: ours in their order, then theirs' new ones.
    pub extra: Vec<(String, String)>,
}

/// Merge `ours` and `theirs`, both descended from `base`.
pub fn merge(base: Version, ours: Version, theirs: Version) -> Merged {
    let mut sets = merge_sets(base.set, ours.set, theirs.set);
    let extra = merge_extra(base.extra, ours.extra, theirs.extra, &mut sets);
    Merged { sets, extra }
}

/// Unknown fields three-way by name, as tags by id, counted and said into `out`.
fn merge_extra(
    base: &[(String, String)],
    ours: &[(String, String)],
    theirs: &[(String, String)],
    out: &mut MergedSets,
) -> Vec<(String, String)> {
    let m = merge_fields(base, ours, theirs);
    out.theirs_applied += m.theirs_applied;
    out.conflicts.extend(m.conflicts);
    m.fields
}

/// Fields this gloss does not know (name, raw RON value), merged three-way by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergedFields {
    /// Ours in their order, then theirs' new ones.
    pub fields: Vec<(String, String)>,
    /// How many were taken from theirs (changed, added or removed there only).
    pub theirs_applied: usize,
    /// The fields changed differently on both sides (ours kept), said.
    pub conflicts: Vec<String>,
}

/// Unknown fields three-way by name, as tags by id: a field changed (or removed) on one side only
/// takes that side's value; changed differently on both, ours is kept and that is said; removed on
/// one side and changed on the other, the changed one is kept. What the sidecar merge and the
/// entity registry's merge both use.
pub fn merge_fields(
    base: &[(String, String)],
    ours: &[(String, String)],
    theirs: &[(String, String)],
) -> MergedFields {
    let value = |v: &'_ [(String, String)], name: &str| -> Option<String> {
        v.iter().find(|(n, _)| n == name).map(|(_, x)| x.clone())
    };
    let mut names: Vec<&str> = Vec::new();
    for (n, _) in ours.iter().chain(theirs).chain(base) {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    let mut out = MergedFields::default();
    for name in names {
        let (b, o, t) = (value(base, name), value(ours, name), value(theirs, name));
        let kept = if o == t || t == b {
            o
        } else if o == b {
            out.theirs_applied += 1;
            t
        } else {
            out.conflicts.push(format!(
                "the field {} (from a newer gloss) was changed on both sides: {} kept",
                crate::text::sanitize_inline(name),
                if o.is_some() {
                    "this side's"
                } else {
                    "the other side's"
                }
            ));
            o.or(t)
        };
        if let Some(v) = kept {
            out.fields.push((name.to_string(), v));
        }
    }
    out
}

/// Two versions of a sidecar file merged against their common ancestor (`None`: the file is new
/// on both sides), with the conflicts (both versions were kept). The article's name is ours; its
/// hash is the one both sides saw, or, when they saw different texts, none (the tags are anchored
/// against no text in particular, and gloss re-anchors them at the next open).
pub fn merge_sidecars(
    base: Option<&Sidecar>,
    ours: &Sidecar,
    theirs: &Sidecar,
) -> (Sidecar, Vec<String>) {
    let (sc, m) = merge_sidecars_counted(base, ours, theirs);
    (sc, m.conflicts)
}

/// [`merge_sidecars`], with what the merge did (the set it made is in the sidecar: `set` is left
/// empty).
pub fn merge_sidecars_counted(
    base: Option<&Sidecar>,
    ours: &Sidecar,
    theirs: &Sidecar,
) -> (Sidecar, MergedSets) {
    let base_set = base.map(Sidecar::annotation_set).unwrap_or_default();
    let (ours_set, theirs_set) = (ours.annotation_set(), theirs.annotation_set());
    let m = merge(
        Version {
            set: &base_set,
            extra: base.map_or(&[], |b| &b.extra),
        },
        Version {
            set: &ours_set,
            extra: &ours.extra,
        },
        Version {
            set: &theirs_set,
            extra: &theirs.extra,
        },
    );
    let sha256 = if ours.sha256 == theirs.sha256 {
        ours.sha256.clone()
    } else {
        String::new()
    };
    let mut sets = m.sets;
    let mut sc = Sidecar::of_set(ours.article.clone(), sha256, std::mem::take(&mut sets.set));
    sc.extra = m.extra;
    (sc, sets)
}

/// The git merge driver's work (`%O %A %B`): the versions at `base` (missing or empty: the file is
/// new on both sides), `ours` and `theirs` read as every sidecar is (bounded), merged by
/// [`merge_sidecars`], and the result written atomically over `ours`. `name` is the sidecar's
/// path in the repository, for messages (the files git hands over are temporary). A version that
/// cannot be read or does not parse is an error naming it, and nothing is written. Returns the
/// conflicts (both versions were kept).
pub fn merge_files(base: &Path, ours: &Path, theirs: &Path, name: &str) -> Result<Vec<String>> {
    let base = read_version(base, &format!("{name} (ancestor)"))?;
    let side = |path: &Path, which: &str| {
        let named = format!("{name} ({which})");
        read_version(path, &named)?.ok_or_else(|| Error::invalid(Path::new(&named), "is empty"))
    };
    let (o, t) = (side(ours, "ours")?, side(theirs, "theirs")?);
    let (merged, conflicts) = merge_sidecars(base.as_ref(), &o, &t);
    let text = merged.into_ron(Path::new(name))?;
    crate::files::write_atomic(ours, text.as_bytes())?;
    Ok(conflicts)
}

/// One version of a sidecar, `None` when the file is missing or holds only white space; errors
/// name it as `name`.
pub(super) fn read_version(path: &Path, name: &str) -> Result<Option<Sidecar>> {
    let Some((bytes, _)) = read_raw(path)? else {
        return Ok(None);
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    parse_bytes(Path::new(name), bytes).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Annotation, Status};

    fn field(n: &str, v: &str) -> (String, String) {
        (n.to_string(), v.to_string())
    }

    fn sidecar(sha: &str, tags: Vec<Annotation>, extra: Vec<(String, String)>) -> Sidecar {
        let mut sc = Sidecar::of_set("a.txt".into(), sha.into(), AnnotationSet::new(tags));
        sc.extra = extra;
        sc
    }

    #[test]
    fn unknown_fields_merge_three_way_by_name() {
        let base = [field("a", "1"), field("b", "1"), field("c", "1")];
        // ours changes a, theirs changes b and removes c, and adds d; both add e differently
        let ours = [
            field("a", "2"),
            field("b", "1"),
            field("c", "1"),
            field("e", "o"),
        ];
        let theirs = [
            field("a", "1"),
            field("b", "3"),
            field("d", "4"),
            field("e", "t"),
        ];
        let set = AnnotationSet::default();
        let v = |extra| Version { set: &set, extra };
        let m = merge(v(&base), v(&ours), v(&theirs));
        assert_eq!(
            m.extra,
            [
                field("a", "2"),
                field("b", "3"),
                field("e", "o"),
                field("d", "4")
            ]
        );
        assert_eq!(m.sets.theirs_applied, 3, "b, c and d");
        assert_eq!(m.sets.conflicts.len(), 1, "{:?}", m.sets.conflicts);
        assert!(m.sets.conflicts[0].contains("field e"));
    }

    #[test]
    fn two_files_merge_into_one_sidecar_of_ours_with_the_hash_both_saw() {
        let mut lam = Annotation::new("PERSON", 0, 6, "Tô Lâm", "a");
        lam.id = "lam".into();
        let mut mai = Annotation::new("PERSON", 10, 13, "Mai", "b");
        mai.id = "mai".into();
        let base = sidecar("h", vec![], vec![field("future", "1")]);
        let ours = sidecar("h", vec![lam], vec![field("future", "1")]);
        let mut theirs = sidecar("h", vec![mai], vec![field("future", "2")]);
        theirs.status = Status::Done;
        let (sc, conflicts) = merge_sidecars(Some(&base), &ours, &theirs);
        let ids: Vec<&str> = sc.tags.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["lam", "mai"]);
        assert_eq!(sc.status, Status::Done);
        assert_eq!(sc.extra, [field("future", "2")]);
        assert_eq!((sc.article.as_str(), sc.sha256.as_str()), ("a.txt", "h"));
        assert!(conflicts.is_empty());
        // the sides saw different texts: anchored against none in particular
        theirs.sha256 = "other".into();
        let (sc, _) = merge_sidecars(None, &ours, &theirs);
        assert_eq!(sc.sha256, "");
        assert_eq!(sc.tags.len(), 2, "new on both sides: both tags");
    }

    #[test]
    fn files_merge_over_ours_and_a_side_that_does_not_parse_leaves_it_as_it_was() {
        let d = tempfile::tempdir().unwrap();
        let (base, ours, theirs) = (d.path().join("O"), d.path().join("A"), d.path().join("B"));
        let mut mai = Annotation::new("PERSON", 10, 13, "Mai", "b");
        mai.id = "mai".into();
        // new on both sides: git hands over an empty ancestor
        std::fs::write(&base, "").unwrap();
        std::fs::write(&ours, sidecar("h", vec![], vec![]).to_ron()).unwrap();
        std::fs::write(&theirs, sidecar("h", vec![mai], vec![]).to_ron()).unwrap();
        assert!(
            merge_files(&base, &ours, &theirs, "a.ron")
                .unwrap()
                .is_empty()
        );
        let merged = Sidecar::load(&ours).unwrap().unwrap();
        assert_eq!(merged.tags[0].id, "mai");
        let before = std::fs::read_to_string(&ours).unwrap();
        std::fs::write(&theirs, "(format: 1, tags: [").unwrap();
        let e = merge_files(&base, &ours, &theirs, "a.ron").unwrap_err();
        assert!(e.to_string().starts_with("a.ron (theirs):"), "{e}");
        assert_eq!(std::fs::read_to_string(&ours).unwrap(), before);
        std::fs::write(&theirs, "").unwrap();
        let e = merge_files(&base, &ours, &theirs, "a.ron").unwrap_err();
        assert!(e.to_string().contains("(theirs): is empty"), "{e}");
    }
}
