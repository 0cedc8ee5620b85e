//! A corpus's assignment: who annotates which article, and which articles several annotators
//! share (set aside for agreement). Kept in [`ASSIGNMENT_FILE`] at the corpus root, RON with one
//! article per line sorted by name, so that two branches which assign different new articles
//! merge (`gloss merge-driver` merges it three ways, [`merge_assignment_files`]).
//!
//! Assigning is deterministic for a seed and stable: articles already assigned keep their
//! annotators; only new ones are given out, each to the annotators with the fewest articles so
//! far (ties broken by the seed), so counts differ by at most one where they can.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::corpus::assigned::{ASSIGNMENT_FILE, Assigned};
use crate::corpus::list::ArticleList;
use crate::error::{Error, Result};
use crate::export::record::document_id;

/// The largest assignment file read (a million articles take some 60 MB).
pub const MAX_ASSIGNMENT_BYTES: u64 = 512 << 20;

/// How many annotators each new article gets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Share {
    /// A share (0 to 1) of the articles gets two annotators, the rest one each.
    Overlap(f64),
    /// Every article gets this many.
    PerArticle(usize),
}

impl Share {
    /// Can `n` annotators be given articles so?
    pub fn check(&self, n: usize) -> std::result::Result<(), String> {
        match *self {
            Share::Overlap(f) if !(0.0..=1.0).contains(&f) => Err(format!(
                "the overlap {f} is not a share between 0 and 1 (0.1: a tenth of the articles get two annotators)"
            )),
            Share::Overlap(f) if f > 0.0 && n < 2 => Err(format!(
                "an overlap needs two annotators or more ({n} given)"
            )),
            Share::PerArticle(0) => Err("--per-article 0 gives articles to nobody".into()),
            Share::PerArticle(k) if k > n => Err(format!(
                "{k} annotators per article, but only {n} annotator(s) to give them to"
            )),
            _ => Ok(()),
        }
    }
}

/// Who annotates which article.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Everyone the assignment names, in the order first given.
    pub annotators: Vec<String>,
    /// How the articles were last given out.
    pub share: Share,
    pub seed: u64,
    /// Article (its id, as exports name it: the path below the root, `/` separated) → its
    /// annotators, sorted.
    pub articles: BTreeMap<String, Vec<String>>,
}

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileForm {
    annotators: Vec<String>,
    #[serde(default)]
    overlap: Option<f64>,
    #[serde(default)]
    per_article: Option<usize>,
    seed: u64,
    articles: BTreeMap<String, Vec<String>>,
}

/// Is `name` usable as an annotator's name in an assignment? (One word: the list filter's
/// `assigned:NAME` takes one.)
pub fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("an empty annotator name".into());
    }
    if name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == '/' || c == '\\')
    {
        return Err(format!(
            "the annotator name {:?} holds a space, a comma, a slash or a control character (names are one word)",
            crate::text::sanitize_inline(name)
        ));
    }
    Ok(())
}

/// Is `id` an article's id (a relative `/`-separated path to a `.txt`, down only)?
fn check_id(id: &str) -> std::result::Result<(), String> {
    let ok = id.ends_with(".txt")
        && !id.chars().any(char::is_control)
        && id
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{:?} is no article of the corpus (a relative path to a .txt, without ..)",
            crate::text::sanitize_inline(id)
        ))
    }
}

/// A stable 64-bit hash of bytes (FNV-1a), mixed (splitmix64) with a seed.
fn hash(seed: u64, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One annotator's part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub annotator: String,
    /// Articles assigned.
    pub articles: usize,
    /// Of which shared with another annotator.
    pub overlap: usize,
}

impl Assignment {
    /// An empty assignment for `annotators`, checked.
    pub fn new(
        annotators: Vec<String>,
        share: Share,
        seed: u64,
    ) -> std::result::Result<Assignment, String> {
        let a = Assignment {
            annotators,
            share,
            seed,
            articles: BTreeMap::new(),
        };
        a.check()?;
        Ok(a)
    }

    /// The assignment file of the corpus at `root`.
    pub fn path(root: &Path) -> PathBuf {
        root.join(ASSIGNMENT_FILE)
    }

    /// The assignment of the corpus at `root`: `None` when it has none; an error naming the file
    /// when it cannot be read or does not hold a valid assignment.
    pub fn load(root: &Path) -> Result<Option<Assignment>> {
        let path = Self::path(root);
        let Some(text) = crate::files::read_text(&path, MAX_ASSIGNMENT_BYTES, "an assignment")?
        else {
            return Ok(None);
        };
        Self::parse(&text, &path).map(Some)
    }

    /// Read an assignment written as [`Assignment::to_text`] writes it (`path` for messages).
    pub fn parse(text: &str, path: &Path) -> Result<Assignment> {
        let f: FileForm = ron::from_str(text).map_err(|e| Error::ron(path, e))?;
        let share = match (f.overlap, f.per_article) {
            (Some(o), None) => Share::Overlap(o),
            (None, Some(k)) => Share::PerArticle(k),
            (None, None) => Share::Overlap(0.0),
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    path,
                    "gives both overlap and per_article: one or the other",
                ));
            }
        };
        let a = Assignment {
            annotators: f.annotators,
            share,
            seed: f.seed,
            articles: f.articles,
        };
        a.check()
            .map_err(|m| Error::invalid(path, format!("is no valid assignment: {m}")))?;
        Ok(a)
    }

    /// Is the assignment whole? Names one word each and given once; every article's annotators
    /// among them, one or more, each once.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.annotators.is_empty() {
            return Err("no annotators".into());
        }
        let mut seen = BTreeSet::new();
        for n in &self.annotators {
            check_name(n)?;
            if !seen.insert(n.as_str()) {
                return Err(format!(
                    "the annotator {:?} is named twice",
                    crate::text::sanitize_inline(n)
                ));
            }
        }
        self.share.check(self.annotators.len())?;
        for (id, who) in &self.articles {
            check_id(id)?;
            if who.is_empty() {
                return Err(format!(
                    "the article {:?} is assigned to nobody",
                    crate::text::sanitize_inline(id)
                ));
            }
            let mut mine = BTreeSet::new();
            for n in who {
                if !seen.contains(n.as_str()) {
                    return Err(format!(
                        "the article {:?} is assigned to {:?}, who is not among the annotators",
                        crate::text::sanitize_inline(id),
                        crate::text::sanitize_inline(n)
                    ));
                }
                if !mine.insert(n) {
                    return Err(format!(
                        "the article {:?} names {:?} twice",
                        crate::text::sanitize_inline(id),
                        crate::text::sanitize_inline(n)
                    ));
                }
            }
        }
        Ok(())
    }

    /// The file's text: one article per line, sorted by name.
    pub fn to_text(&self) -> String {
        let q = |s: &str| ron::to_string(s).unwrap_or_else(|_| format!("{s:?}"));
        let list = |names: &[String]| names.iter().map(|n| q(n)).collect::<Vec<_>>().join(", ");
        let mut out = String::with_capacity(64 + self.articles.len() * 40);
        out.push_str(
            "// Who annotates which article: written by `gloss assign`, one article per line.\n(\n",
        );
        out.push_str(&format!("    annotators: [{}],\n", list(&self.annotators)));
        match self.share {
            Share::Overlap(f) => out.push_str(&format!("    overlap: Some({f:?}),\n")),
            Share::PerArticle(k) => out.push_str(&format!("    per_article: Some({k}),\n")),
        }
        out.push_str(&format!("    seed: {},\n    articles: {{\n", self.seed));
        for (id, who) in &self.articles {
            out.push_str(&format!("        {}: [{}],\n", q(id), list(who)));
        }
        out.push_str("    },\n)\n");
        out
    }

    /// The lock of the assignment file at `root`: held from reading it to writing it, so that two
    /// `gloss assign` never give out the same articles twice.
    pub fn lock(root: &Path) -> Result<crate::files::Lock> {
        crate::files::Lock::acquire(&Self::path(root), std::time::Duration::from_secs(10))
    }

    /// Write the file at `root` atomically, its lock held ([`Assignment::lock`]).
    pub fn save(&self, root: &Path, _lock: &crate::files::Lock) -> Result<()> {
        crate::files::write_atomic_locked(&Self::path(root), self.to_text().as_bytes())
    }

    /// Add `name` to the annotators, if new.
    pub fn add_annotator(&mut self, name: &str) {
        if !self.annotators.iter().any(|n| n == name) {
            self.annotators.push(name.to_string());
        }
    }

    /// Give out the articles of `eligible` not assigned yet, among `among` (each one added to the
    /// annotators) as `self.share` says, balancing counts over the articles assigned that are in
    /// the corpus (`present`). Returns the ids newly assigned, in id order.
    pub fn assign(
        &mut self,
        eligible: &[String],
        present: &dyn Fn(&str) -> bool,
        among: &[String],
    ) -> std::result::Result<Vec<String>, String> {
        self.share.check(among.len())?;
        for n in among {
            check_name(n)?;
        }
        for id in eligible {
            check_id(id)?;
        }
        for n in among {
            self.add_annotator(n);
        }
        let mut new: Vec<&String> = eligible
            .iter()
            .filter(|id| !self.articles.contains_key(id.as_str()))
            .collect();
        new.sort();
        new.dedup();
        // in an order the seed decides, and each article's place in it its own (adding articles
        // does not reorder the others)
        new.sort_by_key(|id| (hash(self.seed, id.as_bytes()), id.as_str()));
        let mut load: BTreeMap<&str, usize> = among.iter().map(|n| (n.as_str(), 0)).collect();
        let (mut assigned, mut overlapped) = (0usize, 0usize);
        for (id, who) in &self.articles {
            if !present(id) {
                continue;
            }
            assigned += 1;
            if who.len() >= 2 {
                overlapped += 1;
            }
            for n in who {
                if let Some(l) = load.get_mut(n.as_str()) {
                    *l += 1;
                }
            }
        }
        let doubled = match self.share {
            Share::Overlap(f) => {
                let target = (f * (assigned + new.len()) as f64).round() as usize;
                target.saturating_sub(overlapped).min(new.len())
            }
            Share::PerArticle(_) => 0,
        };
        let mut out = Vec::with_capacity(new.len());
        let mut given = BTreeMap::new();
        for (k, id) in new.into_iter().enumerate() {
            let want = match self.share {
                Share::PerArticle(n) => n,
                Share::Overlap(_) if k < doubled => 2,
                Share::Overlap(_) => 1,
            };
            let h = hash(self.seed, id.as_bytes());
            let mut order: Vec<&str> = among.iter().map(String::as_str).collect();
            order.sort_by_key(|n| (load[n], hash(h, n.as_bytes()), *n));
            let mut who: Vec<String> = order[..want].iter().map(|n| n.to_string()).collect();
            for n in &who {
                *load.get_mut(n.as_str()).expect("among") += 1;
            }
            who.sort();
            given.insert(id.clone(), who);
            out.push(id.clone());
        }
        self.articles.extend(given);
        out.sort();
        Ok(out)
    }

    /// Each annotator's articles (and those shared) among those `present`.
    pub fn counts(&self, present: &dyn Fn(&str) -> bool) -> Vec<Count> {
        let mut counts: Vec<Count> = self
            .annotators
            .iter()
            .map(|n| Count {
                annotator: n.clone(),
                articles: 0,
                overlap: 0,
            })
            .collect();
        for (id, who) in &self.articles {
            if !present(id) {
                continue;
            }
            for n in who {
                if let Some(c) = counts.iter_mut().find(|c| &c.annotator == n) {
                    c.articles += 1;
                    c.overlap += usize::from(who.len() >= 2);
                }
            }
        }
        counts
    }

    /// The articles given to two annotators or more.
    pub fn overlapped(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.articles.iter().filter(|(_, w)| w.len() >= 2)
    }

    /// The articles given to every one of `names`.
    pub fn shared_by(&self, names: &[&str]) -> BTreeSet<&str> {
        self.articles
            .iter()
            .filter(|(_, w)| names.iter().all(|n| w.iter().any(|x| x == n)))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Who each article of `list` is assigned to, by position, for the list filter (`me`: the
    /// annotator the list is opened for).
    pub fn assigned_in(&self, list: &ArticleList, me: Option<&str>) -> Assigned {
        let mut pairs = Vec::new();
        for i in 0..list.len() {
            let id = document_id(&list.root, &list.path(i));
            if let Some(who) = self.articles.get(&id) {
                pairs.extend(who.iter().map(|n| (n.clone(), i)));
            }
        }
        Assigned::new(me, pairs)
    }
}

/// Three versions of one field: theirs where ours kept the ancestor's, else ours (and whether
/// both changed it, differently).
fn three_way<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> (T, bool) {
    if ours == theirs || base == Some(theirs) {
        (ours.clone(), false)
    } else if base == Some(ours) {
        (theirs.clone(), false)
    } else {
        (ours.clone(), true)
    }
}

/// Merge two versions of an assignment with their ancestor (none: new on both sides), article by
/// article: one side's change is taken; an article both sides assigned differently gets everyone
/// either side gave it (said); one removed on one side and left alone on the other is removed.
/// Returns the merge and what was said.
pub fn merge(
    base: Option<&Assignment>,
    ours: &Assignment,
    theirs: &Assignment,
) -> (Assignment, Vec<String>) {
    let mut said = Vec::new();
    let mut annotators = ours.annotators.clone();
    for n in &theirs.annotators {
        if !annotators.contains(n) {
            annotators.push(n.clone());
        }
    }
    let (share, both) = three_way(base.map(|b| &b.share), &ours.share, &theirs.share);
    if both {
        said.push("both sides changed the share of annotators: this side's kept".to_string());
    }
    let (seed, both) = three_way(base.map(|b| &b.seed), &ours.seed, &theirs.seed);
    if both {
        said.push("both sides changed the seed: this side's kept".to_string());
    }
    let ids: BTreeSet<&String> = ours.articles.keys().chain(theirs.articles.keys()).collect();
    let mut articles = BTreeMap::new();
    for id in ids {
        let b = base.and_then(|b| b.articles.get(id));
        let merged = match (ours.articles.get(id), theirs.articles.get(id)) {
            (Some(o), Some(t)) => {
                let (m, both) = three_way(b, o, t);
                if both {
                    let mut all: Vec<String> = o.iter().chain(t).cloned().collect();
                    all.sort();
                    all.dedup();
                    said.push(format!(
                        "{}: assigned differently on both sides: given to {}",
                        crate::text::sanitize_inline(id),
                        all.join(", ")
                    ));
                    Some(all)
                } else {
                    Some(m)
                }
            }
            // removed on one side: gone if the other left it as it was
            (Some(x), None) | (None, Some(x)) => (b != Some(x)).then(|| x.clone()),
            (None, None) => None,
        };
        if let Some(m) = merged {
            articles.insert(id.clone(), m);
        }
    }
    (
        Assignment {
            annotators,
            share,
            seed,
            articles,
        },
        said,
    )
}

/// `gloss merge-driver` on an assignment file: the three versions at `base` (empty: new on both
/// sides), `ours` and `theirs`, merged by [`merge`] and written over `ours` atomically; a version
/// that does not parse is an error, naming it, and `ours` is left as it was. What was said.
pub fn merge_assignment_files(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: &str,
) -> Result<Vec<String>> {
    let version = |path: &Path, which: &str| -> Result<Option<Assignment>> {
        let label = PathBuf::from(format!("{name} ({which})"));
        let text = crate::files::read_text(path, MAX_ASSIGNMENT_BYTES, "an assignment")
            .map_err(|e| Error::invalid(&label, e.to_string()))?
            .unwrap_or_default();
        if text.trim().is_empty() {
            return Ok(None);
        }
        Assignment::parse(&text, &label).map(Some)
    };
    let b = version(base, "ancestor")?;
    let missing = |which: &str| Error::invalid(Path::new(name), format!("{which} is empty"));
    let o = version(ours, "ours")?.ok_or_else(|| missing("ours"))?;
    let t = version(theirs, "theirs")?.ok_or_else(|| missing("theirs"))?;
    let (m, said) = merge(b.as_ref(), &o, &t);
    m.check().map_err(|e| {
        Error::invalid(
            Path::new(name),
            format!("merged, it is no valid assignment: {e}"),
        )
    })?;
    crate::files::write_atomic(ours, m.to_text().as_bytes())?;
    Ok(said)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("d/{i:03}.txt")).collect()
    }

    fn names(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    #[test]
    fn the_file_reads_back_and_keeps_one_article_per_line() {
        let mut a = Assignment::new(names("lan,minh"), Share::Overlap(0.25), 3).unwrap();
        a.assign(&ids(8), &|_| true, &names("lan,minh")).unwrap();
        a.articles
            .insert("Tin \"nóng\"/bài 1.txt".into(), vec!["lan".into()]);
        let text = a.to_text();
        assert_eq!(Assignment::parse(&text, Path::new("x")).unwrap(), a);
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(".txt")).collect();
        assert_eq!(lines.len(), 9, "{text}");
        let mut sorted = lines.clone();
        sorted.sort();
        assert_eq!(lines, sorted);
    }

    #[test]
    fn forged_files_are_refused_naming_the_problem() {
        let p = Path::new("c/assignment.ron");
        for (text, problem) in [
            ("(annotators: [], seed: 0, articles: {})", "no annotators"),
            (
                r#"(annotators: ["a"], seed: 0, articles: {"x.txt": ["b"]})"#,
                "not among the annotators",
            ),
            (
                r#"(annotators: ["a"], seed: 0, articles: {"../x.txt": ["a"]})"#,
                "no article of the corpus",
            ),
            (
                r#"(annotators: ["a", "a"], seed: 0, articles: {})"#,
                "named twice",
            ),
            (
                r#"(annotators: ["a"], per_article: Some(2), seed: 0, articles: {})"#,
                "only 1 annotator",
            ),
            (
                r#"(annotators: ["a"], seed: 0, articles: {"x.txt": []})"#,
                "assigned to nobody",
            ),
            (
                r#"(annotators: ["a"], seed: 0, articles: {}, extra: 1)"#,
                "c/assignment.ron:",
            ),
            ("<<<<<<< ours", "c/assignment.ron:"),
        ] {
            let e = Assignment::parse(text, p).unwrap_err().to_string();
            assert!(e.starts_with("c/assignment.ron"), "{e}");
            assert!(e.contains(problem), "{text}: {e}");
        }
    }

    #[test]
    fn merge_takes_each_side_s_new_articles_and_says_where_both_differ() {
        let mut base = Assignment::new(names("a,b"), Share::Overlap(0.0), 1).unwrap();
        base.articles.insert("1.txt".into(), names("a"));
        base.articles.insert("2.txt".into(), names("b"));
        let mut ours = base.clone();
        ours.articles.insert("3.txt".into(), names("a"));
        ours.articles.insert("2.txt".into(), names("a"));
        let mut theirs = base.clone();
        theirs.add_annotator("c");
        theirs.articles.insert("4.txt".into(), names("c"));
        theirs.articles.insert("2.txt".into(), names("c"));
        theirs.articles.remove("1.txt");
        let (m, said) = merge(Some(&base), &ours, &theirs);
        assert_eq!(m.annotators, names("a,b,c"));
        assert_eq!(
            m.articles.keys().collect::<Vec<_>>(),
            ["2.txt", "3.txt", "4.txt"]
        );
        assert_eq!(m.articles["2.txt"], names("a,c"));
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains("2.txt"), "{said:?}");
        assert!(m.check().is_ok());
    }
}
