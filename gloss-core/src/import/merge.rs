//! How incoming records are merged into sidecars. A record matched to its article ([`Catalog`]) and
//! checked against it becomes a [`Plan`] ([`plan_record`]): tags under the corpus's label names,
//! with the file's ids (fresh ones, in file order, where it has none or gives one twice), and
//! relations between them that the corpus's types allow. The plans of an article are then applied
//! through [`Document::edit`], whose rules hold as on every path ([`Plan::apply`]): a tag already
//! there (same id and span, or the same label on the same span) is not added again, another tag's
//! id gets a fresh one, relations go onto the tags the planned ones became, and the file's status
//! is taken for an article that was new.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::Incoming;
use super::catalog::Catalog;
use crate::annotation::{Annotation, Change, LabelSet, Relation, RelationTypes, Status, new_id};
use crate::corpus::Article;
use crate::store::{Document, SidecarDirs};
use crate::text::{escape_path, sanitize_inline};

/// What is to be added to one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub tags: Vec<Annotation>,
    /// Relations between `tags`, by the tags' planned ids.
    pub relations: Vec<Relation>,
    /// The status the file gives the article (the last record's that has one).
    pub status: Option<Status>,
    /// The comment the file gives the article (the last record's that has one).
    pub comment: Option<String>,
    /// The article labels the file gives (per category, the last record's that has it).
    pub categories: crate::annotation::Categories,
    /// The active time the file gives.
    pub time: crate::annotation::ActiveTime,
}

/// A record matched and planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The article's position in the catalog's list.
    pub article: usize,
    pub plan: Plan,
    /// Relations of the record left out (a type the corpus does not define, or between labels its
    /// type does not allow), one line each: said, not fatal.
    pub warnings: Vec<String>,
}

/// What applying a plan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Tags added, per label.
    pub added: BTreeMap<String, usize>,
    /// Tags that were there already.
    pub already: usize,
    /// Relations added.
    pub relations: usize,
}

impl Plan {
    /// Add another record's plan for the same article.
    pub fn extend(&mut self, other: Plan) {
        self.tags.extend(other.tags);
        self.relations.extend(other.relations);
        if other.status.is_some() {
            self.status = other.status;
        }
        if other.comment.is_some() {
            self.comment = other.comment;
        }
        self.categories.extend(other.categories);
        for (who, day, s) in other.time.entries() {
            if self.time.on(who, day) == 0 {
                self.time.add(who, day, s);
            }
        }
    }

    /// Merge the plan into `doc` through [`Document::edit`] (not saved).
    pub fn apply(self, doc: &mut Document) -> Applied {
        let status_before = doc.status();
        let mut adds = Vec::with_capacity(self.tags.len());
        let mut already = 0;
        // each planned tag's id → (label, start, end), to find the tag it became
        let mut planned: HashMap<String, (String, usize, usize)> = HashMap::new();
        let mut renamed: HashMap<String, String> = HashMap::new();
        for mut t in self.tags {
            planned.insert(t.id.clone(), (t.label.clone(), t.start, t.end));
            if let Some(there) = doc.annotations().get(&t.id) {
                if (there.label.as_str(), there.start, there.end)
                    == (t.label.as_str(), t.start, t.end)
                {
                    already += 1;
                    continue;
                }
                let fresh = new_id(); // another tag has this id: the new one gets its own
                renamed.insert(std::mem::replace(&mut t.id, fresh.clone()), fresh);
            }
            adds.push(Change::Add(t));
        }
        let tried = adds.len();
        let mut added: BTreeMap<String, usize> = BTreeMap::new();
        for c in &doc.edit(adds) {
            if let Change::Add(t) = c {
                *added.entry(t.label.clone()).or_default() += 1;
            }
        }
        already += tried - added.values().sum::<usize>();
        // relations, between the tags the planned ones became (added now or there already)
        let became = |id: &str| -> Option<String> {
            let actual = renamed.get(id).map_or(id, String::as_str);
            if doc.annotations().get(actual).is_some() {
                return Some(actual.to_string());
            }
            // left out as a second tag of a label on a span: the relation goes to the one there
            let (label, start, end) = planned.get(id)?;
            doc.annotations()
                .find_same(label, *start, *end)
                .map(|t| t.id.clone())
        };
        let mut rel_adds = Vec::new();
        for mut r in self.relations {
            let (Some(head), Some(tail)) = (became(&r.head), became(&r.tail)) else {
                continue;
            };
            r.head = head;
            r.tail = tail;
            if let Some(there) = doc.annotations().relation(&r.id) {
                if there.same_link(&r) {
                    continue;
                }
                r.id = new_id();
            }
            rel_adds.push(Change::add_relation(r));
        }
        let relations = doc.edit(rel_adds).len();
        // a stored suggestion the file tags is settled: no longer kept as one
        if let Some(c) = doc.settle_suggested() {
            doc.edit(vec![c]);
        }
        // the file's status, for an article nobody had touched here
        if let Some(s) = self.status
            && status_before == Status::New
            && let Some(c) = doc.annotations().change_article(|a| a.status = s)
        {
            doc.edit(vec![c]);
        }
        // the file's comment on the article, for an article with none here
        if let Some(comment) = self.comment
            && doc.annotations().article.comment.is_none()
            && let Some(c) = doc
                .annotations()
                .change_article(|a| a.comment = Some(comment))
        {
            doc.edit(vec![c]);
        }
        // the file's article labels, for each category the article has none of here
        let here = &doc.annotations().article.categories;
        let new: Vec<(String, Vec<String>)> = self
            .categories
            .into_iter()
            .filter(|(name, _)| !here.contains_key(name))
            .collect();
        if !new.is_empty()
            && let Some(c) = doc
                .annotations()
                .change_article(|a| a.categories.extend(new))
        {
            doc.edit(vec![c]);
        }
        // the file's active time, for each annotator and day not counted here (so an import
        // taken twice counts it once)
        for (who, day, s) in self.time.entries() {
            if doc.annotations().time.on(who, day) == 0 {
                doc.add_time_to_save(who, day, s);
            }
        }
        Applied {
            added,
            already,
            relations,
        }
    }
}

/// The entity ids the tags of `plans` link to that `registry` does not define, with how many tags
/// link to each: imported with their link (nothing of the file is dropped), and said.
pub fn unknown_entities<'a>(
    plans: impl IntoIterator<Item = &'a Plan>,
    registry: &crate::entity::Registry,
) -> BTreeMap<String, usize> {
    let known: HashSet<&str> = registry.entities().iter().map(|e| e.id.as_str()).collect();
    let mut unknown = BTreeMap::new();
    for t in plans.into_iter().flat_map(|p| &p.tags) {
        if let Some(id) = t.entity.as_deref()
            && !known.contains(id)
        {
            *unknown.entry(id.to_string()).or_default() += 1;
        }
    }
    unknown
}

/// Match `rec` to its article and make its tags and relations; `Err` names the record, the
/// article and what is wrong (the record's text differs, a tag's quote, a label the corpus does
/// not define).
pub fn plan_record(
    rec: &Incoming,
    catalog: &mut Catalog,
    labels: &LabelSet,
    types: &RelationTypes,
    annotator: &str,
) -> Result<Planned, String> {
    let what = match &rec.id {
        Some(id) => format!("{}: record “{}”", rec.origin, sanitize_inline(id)),
        None => format!("{}: record", rec.origin),
    };
    let Some(i) = catalog.find(rec.id.as_deref(), &rec.content) else {
        return Err(format!(
            "{what} matches no article of {} (by id, file name or text)",
            escape_path(catalog.root())
        ));
    };
    let path = &catalog.articles().path(i);
    let article = Article::read(path).map_err(|e| format!("{what}: {e}"))?;
    if article.lossy {
        return Err(format!(
            "{what}: the article {} is not valid UTF-8",
            escape_path(path)
        ));
    }
    let resolved = rec
        .resolve(&article.text)
        .map_err(|e| format!("{what} and the article {}: {e}", escape_path(path)))?;
    // fresh ids in file order, so that tags on one span keep the file's order
    let mut fresh: Vec<String> = (0..resolved.len()).map(|_| new_id()).collect();
    fresh.sort_unstable();
    let mut tags = Vec::with_capacity(resolved.len());
    for (r, fresh_id) in resolved.into_iter().zip(fresh) {
        let t = r.tag;
        let Some(label) = labels.find(&t.label) else {
            let known: Vec<&str> = labels.names().collect();
            return Err(format!(
                "{what}: the label “{}” is not one of this corpus's ({}; gloss.ron defines them)",
                sanitize_inline(&t.label),
                known.join(", ")
            ));
        };
        let text: String = article
            .text
            .chars()
            .skip(r.start)
            .take(r.end - r.start)
            .collect();
        tags.push(r.to_annotation(&label.name, &text, annotator, fresh_id));
    }
    // two tags of the record with one id would make its relations ambiguous: the copies get new ids
    let mut seen = HashSet::new();
    for t in &mut tags {
        if !seen.insert(t.id.clone()) {
            t.id = new_id();
        }
    }
    let mut relations = Vec::with_capacity(rec.relations.len());
    let mut warnings = Vec::new();
    if let Ok((_, Some(said))) = rec.reading(&article.text) {
        warnings.push(format!("{what}: {said}"));
    }
    // fresh relation ids in file order too (relations are kept sorted by id)
    let mut fresh: Vec<String> = (0..rec.relations.len()).map(|_| new_id()).collect();
    fresh.sort_unstable();
    for (k, (r, fresh_id)) in rec.relations.iter().zip(fresh).enumerate() {
        let (head, tail) = (&tags[r.head], &tags[r.tail]);
        // a relation gloss.ron does not allow is said and left out; its tags are imported
        if let Err(e) = types.check(&r.label, head, tail) {
            warnings.push(format!(
                "{what}: relation {} ({} from “{}” to “{}”) not imported: {e} (gloss.ron defines the relation types)",
                k + 1,
                sanitize_inline(&r.label),
                sanitize_inline(&head.text),
                sanitize_inline(&tail.text)
            ));
            continue;
        }
        let mut rel = Relation::new(
            &r.label,
            &head.id,
            &tail.id,
            r.annotator.as_deref().unwrap_or(annotator),
        );
        rel.id = r.id.clone().unwrap_or(fresh_id);
        rel.review = r.review.clone();
        relations.push(rel);
    }
    Ok(Planned {
        article: i,
        plan: Plan {
            tags,
            relations,
            status: rec.status,
            comment: rec.comment.clone(),
            categories: rec.categories.clone(),
            time: rec.time.clone(),
        },
        warnings,
    })
}

/// What importing into one sidecar did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub applied: Applied,
    /// Whether the sidecar was written (nothing new: it is not).
    pub written: bool,
}

/// Open the article at `path` with its sidecar, apply `plan` and save if anything changed. A
/// sidecar that cannot be read, or a read-only article, takes nothing: `Err` says why.
pub fn import_into(dirs: &SidecarDirs, path: &Path, plan: Plan) -> Result<Imported, String> {
    let mut doc = Document::open(dirs, path).map_err(|e| e.to_string())?;
    if let Some(e) = doc.sidecar_error() {
        return Err(format!("{e} (not imported into it)"));
    }
    if let Some(why) = doc.read_only() {
        return Err(format!("{}: {why} (not imported)", escape_path(path)));
    }
    let applied = plan.apply(&mut doc);
    let written = doc.save_if_changed().map_err(|e| e.to_string())?.is_some();
    Ok(Imported { applied, written })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{Content, IncomingRelation, IncomingTag, Units};

    fn tag(id: &str, label: &str, start: usize, end: usize) -> IncomingTag {
        IncomingTag {
            id: Some(id.into()),
            ..IncomingTag::new(label, start, end)
        }
    }

    fn record(id: &str, tags: Vec<IncomingTag>, relations: Vec<(usize, usize)>) -> Incoming {
        Incoming {
            origin: "f:1".into(),
            id: Some(id.into()),
            content: Content::Unknown,
            units: Units::Chars,
            units_stated: false,
            tags,
            relations: relations
                .into_iter()
                .map(|(head, tail)| IncomingRelation {
                    id: None,
                    label: "ISSUES".into(),
                    head,
                    tail,
                    annotator: None,
                    review: None,
                })
                .collect(),
            status: Some(Status::Done),
            comment: None,
            categories: Default::default(),
            time: Default::default(),
            warnings: Vec::new(),
        }
    }

    const TEXT: &str = "Ông Tô Lâm ký Chỉ thị số 24.";

    #[test]
    fn a_relation_goes_onto_the_tag_already_there_and_an_id_taken_gets_a_fresh_one() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a.txt");
        std::fs::write(&a, TEXT).unwrap();
        let dirs = SidecarDirs::new(d.path(), None);
        // the article has Tô Lâm (id "p") and, under the id "d", another span
        let mut doc = Document::open(&dirs, &a).unwrap();
        let b = TEXT.find("Tô Lâm").unwrap();
        let mut lam = doc.new_tag("PERSON", b..b + "Tô Lâm".len(), "me").unwrap();
        lam.id = "p".into();
        let mut other = doc.new_tag("TASK", 0.."Ông".len(), "me").unwrap();
        other.id = "d".into();
        doc.edit(vec![Change::Add(lam), Change::Add(other)]);
        doc.save().unwrap();
        let articles = crate::corpus::discover(d.path()).unwrap().articles;
        let mut catalog = Catalog::new(d.path(), &articles);
        let (labels, types) = (LabelSet::default(), RelationTypes::default());
        // the file: Tô Lâm again under another id, the directive under the id "d", ISSUES between,
        // and an ISSUES the other way round, which no type allows
        let rec = record(
            "a",
            vec![tag("x", "person", 4, 10), tag("d", "DIRECTIVE", 14, 27)],
            vec![(0, 1), (1, 0)],
        );
        let planned = plan_record(&rec, &mut catalog, &labels, &types, "importer").unwrap();
        assert_eq!(planned.article, 0);
        assert_eq!(planned.plan.tags[0].label, "PERSON", "the corpus's name");
        assert_eq!(planned.warnings.len(), 1, "{:?}", planned.warnings);
        let imported = import_into(&dirs, &a, planned.plan.clone()).unwrap();
        assert!(imported.written);
        assert_eq!(imported.applied.already, 1, "Tô Lâm is there");
        assert_eq!(imported.applied.added.get("DIRECTIVE"), Some(&1));
        assert_eq!(imported.applied.relations, 1);
        let doc = Document::open(&dirs, &a).unwrap();
        let ct = doc.tags().iter().find(|t| t.label == "DIRECTIVE").unwrap();
        assert_ne!(ct.id, "d", "the id was another tag's");
        let r = &doc.annotations().relations()[0];
        assert_eq!((r.head.as_str(), r.tail.as_str()), ("p", ct.id.as_str()));
        // the article was not new: the file's status is not taken
        assert_eq!(doc.status(), Status::InProgress);
        // again: nothing new, nothing written
        let again = import_into(&dirs, &a, planned.plan).unwrap();
        assert!(!again.written);
        assert_eq!(again.applied.relations, 0);
    }

    #[test]
    fn a_record_matching_no_article_or_with_an_unknown_label_is_an_error_naming_it() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), TEXT).unwrap();
        let articles = crate::corpus::discover(d.path()).unwrap().articles;
        let mut catalog = Catalog::new(d.path(), &articles);
        let (labels, types) = (LabelSet::default(), RelationTypes::default());
        let e = plan_record(
            &record("zz", vec![], vec![]),
            &mut catalog,
            &labels,
            &types,
            "i",
        )
        .unwrap_err();
        assert!(e.contains("record “zz” matches no article"), "{e}");
        let rec = record("a.txt", vec![tag("x", "ORG", 0, 3)], vec![]);
        let e = plan_record(&rec, &mut catalog, &labels, &types, "i").unwrap_err();
        assert!(e.contains("“ORG” is not one of this corpus's"), "{e}");
    }
}
