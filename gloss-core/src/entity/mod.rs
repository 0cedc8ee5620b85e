//! Entities: the corpus's registry of canonical people, directives and tasks (`entities.ron` at the
//! corpus root), each with an id, a label, a canonical name and aliases. A tag may name the entity it
//! mentions, so that "Tô Lâm", "Bộ trưởng Tô Lâm" and "ông Lâm" across the corpus are one person.
//! Matching is accent- and case-insensitive and by whole words; directive identifiers are matched
//! by the rule in [`directive`].

pub mod directive;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::annotation::Annotation;
use crate::error::{Error, Result};
use crate::text::fold::fold_str;
pub use directive::DirectiveId;

/// File name of the registry, at the corpus root.
pub const ENTITIES_FILE: &str = "entities.ron";

/// The registry format this gloss writes.
pub const ENTITIES_FORMAT: u32 = 1;

/// Largest registry gloss reads, in bytes.
const MAX_ENTITIES_BYTES: u64 = 64 * 1024 * 1024;

/// One canonical entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable, readable, unique in the corpus (`person-to-lam`, `directive-ct-24-tw`).
    pub id: String,
    /// The label of the tags that mention it.
    pub label: String,
    /// The canonical name.
    pub name: String,
    /// Other names it goes by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

impl Entity {
    /// Its name, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Does any of its names, folded, equal `folded`?
    fn named(&self, folded: &str) -> bool {
        self.names().any(|n| key(n) == folded)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct RegistryFile {
    format: u32,
    entities: Vec<Entity>,
}

/// A name folded for matching: lower case, no accents, `đ` as `d`, single spaces.
pub fn key(s: &str) -> String {
    fold_str(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What to link a tag to: an entity there is, or a new one to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    Existing(String),
    New { label: String, name: String },
}

/// The entities of a corpus, as read from `entities.ron` and changed since.
#[derive(Debug, Clone)]
pub struct Registry {
    path: PathBuf,
    entities: Vec<Entity>,
    /// As last read or written: what a save merges against.
    base: Vec<Entity>,
    /// Each entity's names folded, and read as directive identifiers, made once when the entities
    /// change (matching runs on every frame that shows a tag).
    index: Vec<Names>,
    unsaved: bool,
}

/// An entity's names as matching sees them.
#[derive(Debug, Clone)]
struct Names {
    keys: Vec<String>,
    directives: Vec<DirectiveId>,
}

impl Names {
    fn of(e: &Entity) -> Names {
        Names {
            keys: e.names().map(key).collect(),
            directives: e.names().filter_map(DirectiveId::parse).collect(),
        }
    }
}

impl Registry {
    /// An empty registry that would be saved at `path`.
    pub fn empty(path: PathBuf) -> Registry {
        Registry {
            path,
            entities: Vec::new(),
            base: Vec::new(),
            index: Vec::new(),
            unsaved: false,
        }
    }

    /// The registry of the corpus at `root` (empty when there is no file); errors name the file.
    pub fn load(root: &Path) -> Result<Registry> {
        let path = root.join(ENTITIES_FILE);
        let entities = read(&path)?;
        let mut r = Registry {
            path,
            base: entities.clone(),
            entities,
            index: Vec::new(),
            unsaved: false,
        };
        r.reindex();
        Ok(r)
    }

    fn reindex(&mut self) {
        self.index = self.entities.iter().map(Names::of).collect();
    }

    /// The entities with their names as matching sees them.
    fn indexed(&self) -> impl Iterator<Item = (&Entity, &Names)> {
        self.entities.iter().zip(&self.index)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn is_unsaved(&self) -> bool {
        self.unsaved
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// The entity of `label` one of whose names is `text` (folded), or, for a directive, which is
    /// the same directive by the normalisation rule.
    pub fn find(&self, label: &str, text: &str) -> Option<&Entity> {
        let k = key(text);
        let of_label = || self.indexed().filter(|(e, _)| e.label == label);
        if let Some((e, _)) = of_label().find(|(_, n)| n.keys.contains(&k)) {
            return Some(e);
        }
        let d = DirectiveId::parse(text)?;
        of_label()
            .find(|(_, n)| n.directives.iter().any(|x| x.same_as(&d)))
            .map(|(e, _)| e)
    }

    /// Entities whose name or an alias has words starting with the query's words, in order
    /// (accent-insensitive): `lam` and `to l` both find "Tô Lâm". Those of `label` first, then by
    /// name.
    pub fn complete(&self, query: &str, label: Option<&str>) -> Vec<&Entity> {
        let q: Vec<String> = key(query).split(' ').map(String::from).collect();
        let mut found: Vec<(&Entity, &Names)> = self
            .indexed()
            .filter(|(_, n)| n.keys.iter().any(|k| words_start_with(k, &q)))
            .collect();
        found.sort_by_key(|(e, n)| (label.is_some_and(|l| l != e.label), &n.keys[0]));
        found.into_iter().map(|(e, _)| e).collect()
    }

    /// A new entity of `label` named `name`; returns its id (readable, from the name, unique).
    pub fn create(&mut self, label: &str, name: &str) -> String {
        let slug = match DirectiveId::parse(name).filter(|_| label == "DIRECTIVE") {
            Some(d) => d.slug(),
            None => slugify(name),
        };
        let stem = format!("{}-{slug}", label.to_lowercase());
        let mut id = stem.clone();
        let mut n = 2;
        while self.get(&id).is_some() {
            id = format!("{stem}-{n}");
            n += 1;
        }
        self.entities.push(Entity {
            id: id.clone(),
            label: label.to_string(),
            name: name.trim().to_string(),
            aliases: Vec::new(),
        });
        self.reindex();
        self.unsaved = true;
        id
    }

    /// A tag's text linked to the entity `id`: it becomes an alias when it is a name of more than
    /// one word the entity does not go by yet (a given name alone could be anyone's).
    pub fn learn_mention(&mut self, id: &str, text: &str) {
        if text.split_whitespace().count() > 1 {
            self.add_alias(id, text);
        }
    }

    /// Add `alias` to the entity `id` unless it already goes by that name.
    pub fn add_alias(&mut self, id: &str, alias: &str) {
        let k = key(alias);
        if k.is_empty() {
            return;
        }
        if let Some(e) = self.entities.iter_mut().find(|e| e.id == id)
            && !e.named(&k)
        {
            e.aliases.push(alias.trim().to_string());
            self.reindex();
            self.unsaved = true;
        }
    }

    /// What to link `tag` to, given the article's tags: the entity of its label whose name or alias
    /// is its text; for a directive, the same directive (else a new entity under the canonical
    /// name); for a PERSON named by one word ("ông Lâm"), the full name mentioned earlier in the
    /// article ending with that word (its entity, or a new one); else an entity whose name occurs in
    /// the text as whole words ("Bộ trưởng Tô Lâm"); else a new entity named as the tag.
    pub fn propose(&self, tag: &Annotation, tags: &[Annotation]) -> Proposal {
        if let Some(e) = self.find(&tag.label, &tag.text) {
            return Proposal::Existing(e.id.clone());
        }
        let new = |name: String| Proposal::New {
            label: tag.label.clone(),
            name,
        };
        if let Some(d) = DirectiveId::parse(&tag.text).filter(|_| tag.label == "DIRECTIVE") {
            return new(d.canonical());
        }
        let k = key(&tag.text);
        if tag.label == "PERSON" && !k.is_empty() && !k.contains(' ') {
            let full = tags
                .iter()
                .filter(|t| t.label == "PERSON" && t.start < tag.start && !t.orphaned)
                .filter(|t| {
                    let tk = key(&t.text);
                    tk.contains(' ') && tk.rsplit(' ').next() == Some(k.as_str())
                })
                .max_by_key(|t| t.start);
            if let Some(full) = full {
                if let Some(e) = full.entity.as_deref().and_then(|id| self.get(id)) {
                    return Proposal::Existing(e.id.clone());
                }
                if let Some(e) = self.find("PERSON", &full.text) {
                    return Proposal::Existing(e.id.clone());
                }
                return new(full.text.trim().to_string());
            }
        }
        let within = self
            .indexed()
            .filter(|(e, _)| e.label == tag.label)
            .filter_map(|(e, names)| {
                names
                    .keys
                    .iter()
                    .filter(|n| contains_words(&k, n))
                    .map(|n| n.len())
                    .max()
                    .map(|len| (len, e))
            })
            .max_by_key(|(len, _)| *len);
        if let Some((_, e)) = within {
            return Proposal::Existing(e.id.clone());
        }
        new(tag.text.trim().to_string())
    }

    /// The registry file's text.
    fn to_ron(&self) -> Result<String> {
        let file = RegistryFile {
            format: ENTITIES_FORMAT,
            entities: self.entities.clone(),
        };
        let config = ron::ser::PrettyConfig::new()
            .struct_names(false)
            .escape_strings(false);
        let text = ron::ser::to_string_pretty(&file, config)
            .map_err(|e| Error::invalid(&self.path, e.to_string()))?;
        Ok(format!("{text}\n"))
    }

    /// Save under a lock: entities another session added meanwhile are kept (and their aliases
    /// joined to ours of the same id); written atomically. A registry that no longer parses is not
    /// overwritten.
    pub fn save(&mut self) -> Result<()> {
        let _lock = crate::files::Lock::acquire(&self.path, std::time::Duration::from_secs(5))?;
        let theirs = read(&self.path)?;
        for t in theirs {
            let was = self.base.iter().any(|b| b.id == t.id);
            match self.entities.iter_mut().find(|e| e.id == t.id) {
                Some(ours) => {
                    for a in &t.aliases {
                        if !ours.named(&key(a)) {
                            ours.aliases.push(a.clone());
                        }
                    }
                }
                // removed here since read: stays removed; new there: kept
                None if was => {}
                None => self.entities.push(t),
            }
        }
        self.entities.sort_by(|a, b| a.id.cmp(&b.id));
        self.reindex();
        let text = self.to_ron()?;
        crate::files::write_atomic_locked(&self.path, text.as_bytes())?;
        self.base = self.entities.clone();
        self.unsaved = false;
        Ok(())
    }
}

/// Merge two versions of a registry that grew apart from `base` (a git merge), by entity id: an
/// entity added or changed on one side only is taken from that side; one removed on one side and
/// left as it was on the other is removed; changed on both, ours is kept with their names joined to
/// its aliases, and what could not be joined (another label, another canonical name) is said.
/// Sorted by id, as gloss writes it.
pub fn merge_registries(
    base: &[Entity],
    ours: &[Entity],
    theirs: &[Entity],
) -> (Vec<Entity>, Vec<String>) {
    let find = |v: &[Entity], id: &str| v.iter().find(|e| e.id == id).cloned();
    let mut ids: Vec<&str> = ours.iter().chain(theirs).map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut merged = Vec::with_capacity(ids.len());
    let mut conflicts = Vec::new();
    for id in ids {
        let (b, o, t) = (find(base, id), find(ours, id), find(theirs, id));
        let kept = match (o, t) {
            (Some(o), Some(t)) if o == t => Some(o),
            (Some(o), Some(t)) if b.as_ref() == Some(&o) => Some(t),
            (Some(o), Some(t)) if b.as_ref() == Some(&t) => Some(o),
            (Some(mut o), Some(t)) => {
                if o.label != t.label {
                    conflicts.push(format!(
                        "entity {id}: label {} here, {} there: {} kept",
                        o.label, t.label, o.label
                    ));
                }
                for n in t.names() {
                    if !o.named(&key(n)) {
                        o.aliases.push(n.to_string());
                    }
                }
                if o.name != t.name {
                    conflicts.push(format!(
                        "entity {id}: named “{}” here, “{}” there: the first kept, the other an alias",
                        o.name, t.name
                    ));
                }
                Some(o)
            }
            // removed on the other side: stays removed unless changed on this one
            (Some(one), None) | (None, Some(one)) => match &b {
                Some(b) if *b == one => None,
                Some(_) => {
                    conflicts.push(format!(
                        "entity {id}: removed on one side, changed on the other: kept"
                    ));
                    Some(one)
                }
                None => Some(one),
            },
            (None, None) => None,
        };
        merged.extend(kept);
    }
    (merged, conflicts)
}

/// [`merge_registries`] of three registry files (git's `%O %A %B`), the result written over `ours`
/// atomically; a version that does not parse stops it, naming it, and `ours` is left as it was.
pub fn merge_registry_files(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: &str,
) -> Result<Vec<String>> {
    let version = |path: &Path, which: &str| -> Result<Vec<Entity>> {
        // (the ancestor of a registry new on both sides is an empty file)
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Ok(Vec::new());
        }
        read(path)
            .map_err(|e| Error::invalid(Path::new(&format!("{name} ({which})")), e.to_string()))
    };
    let (b, o, t) = (
        version(base, "ancestor")?,
        version(ours, "ours")?,
        version(theirs, "theirs")?,
    );
    let (merged, conflicts) = merge_registries(&b, &o, &t);
    let mut registry = Registry::empty(ours.to_path_buf());
    registry.entities = merged;
    crate::files::write_atomic(ours, registry.to_ron()?.as_bytes())?;
    Ok(conflicts)
}

fn read(path: &Path) -> Result<Vec<Entity>> {
    let Some(contents) =
        crate::files::read_limited(path, MAX_ENTITIES_BYTES, "an entity registry")?
    else {
        return Ok(Vec::new());
    };
    let text =
        String::from_utf8(contents.bytes).map_err(|_| Error::invalid(path, "not valid UTF-8"))?;
    let file: RegistryFile = ron::Options::default()
        .with_recursion_limit(32)
        .from_str(&text)
        .map_err(|e| Error::ron(path, e))?;
    if file.format > ENTITIES_FORMAT {
        return Err(Error::invalid(
            path,
            format!(
                "written by a newer gloss (format {}; this gloss knows up to {ENTITIES_FORMAT})",
                file.format
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for e in &file.entities {
        for (what, name) in [("id", &e.id), ("label", &e.label)] {
            if !crate::text::display::is_plain_name(name) {
                return Err(Error::invalid(
                    path,
                    format!(
                        "an entity's {what} {name:?} is not a plain name (white space, control or invisible characters)"
                    ),
                ));
            }
        }
        if !seen.insert(e.id.as_str()) {
            return Err(Error::invalid(
                path,
                format!("two entities have the id {}", e.id),
            ));
        }
    }
    Ok(file.entities)
}

/// Do the words of `name` start with the query's words, from some word on, in order?
fn words_start_with(name: &str, q: &[String]) -> bool {
    let words: Vec<&str> = name.split(' ').collect();
    if q.is_empty() || q.iter().all(|w| w.is_empty()) {
        return true;
    }
    (0..words.len()).any(|i| {
        q.iter().enumerate().all(|(j, w)| {
            words.get(i + j).is_some_and(|x| {
                // every query word but the last is a whole word
                if j + 1 < q.len() {
                    x == w
                } else {
                    x.starts_with(w.as_str())
                }
            })
        })
    })
}

/// Does `hay` contain `needle` as whole words (both folded, single-spaced)?
fn contains_words(hay: &str, needle: &str) -> bool {
    !needle.is_empty()
        && hay.match_indices(needle).any(|(at, _)| {
            let after = &hay[at + needle.len()..];
            (at == 0 || hay[..at].ends_with(' ')) && (after.is_empty() || after.starts_with(' '))
        })
}

/// `Tô Lâm` → `to-lam`.
fn slugify(name: &str) -> String {
    let mut s = String::new();
    for c in fold_str(name).chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "x".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_merge_by_id_three_ways() {
        let e = |id: &str, label: &str, name: &str, aliases: &[&str]| Entity {
            id: id.into(),
            label: label.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let base = vec![
            e("gone", "PERSON", "Gone", &[]),
            e("kept", "PERSON", "Kept", &[]),
            e("both", "PERSON", "Both", &[]),
        ];
        // ours removes `gone`, changes `both`; theirs changes `kept` and `both`, adds `new`
        let ours = vec![
            e("kept", "PERSON", "Kept", &[]),
            e("both", "TASK", "Both", &["B"]),
        ];
        let theirs = vec![
            e("gone", "PERSON", "Gone", &[]),
            e("kept", "PERSON", "Kept", &["K"]),
            e("both", "PERSON", "Both two", &[]),
            e("new", "PERSON", "New", &[]),
        ];
        let (merged, conflicts) = merge_registries(&base, &ours, &theirs);
        let ids: Vec<&str> = merged.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["both", "kept", "new"]);
        assert_eq!(
            merged[1].aliases,
            ["K"],
            "changed on one side only: that side's"
        );
        assert_eq!(merged[0].label, "TASK");
        assert_eq!(merged[0].aliases, ["B", "Both two"]);
        assert_eq!(conflicts.len(), 2, "{conflicts:?}");
    }

    fn tag(label: &str, start: usize, text: &str) -> Annotation {
        Annotation::new(label, start, start + text.chars().count(), text, "me")
    }

    #[test]
    fn create_find_complete_accent_insensitively() {
        let d = tempfile::tempdir().unwrap();
        let mut reg = Registry::load(d.path()).unwrap();
        let lam = reg.create("PERSON", "Tô Lâm");
        assert_eq!(lam, "person-to-lam");
        reg.add_alias(&lam, "Bộ trưởng Tô Lâm");
        reg.add_alias(&lam, "bo truong to lam"); // the same name, folded: not added
        reg.learn_mention(&lam, "Lâm"); // one word: not an alias
        let mai = reg.create("PERSON", "Trương Thị Mai");
        assert_eq!(reg.get(&lam).unwrap().aliases.len(), 1);
        assert_eq!(reg.find("PERSON", "TÔ LÂM").unwrap().id, lam);
        assert_eq!(reg.find("PERSON", "bộ trưởng Tô  Lâm").unwrap().id, lam);
        assert!(reg.find("DIRECTIVE", "Tô Lâm").is_none());
        let ids = |v: Vec<&Entity>| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(reg.complete("lam", None)), [lam.as_str()]);
        assert_eq!(ids(reg.complete("to l", None)), [lam.as_str()]);
        assert_eq!(
            ids(reg.complete("truong", None)),
            [lam.clone(), mai.clone()]
        );
        assert_eq!(ids(reg.complete("thi m", Some("PERSON"))), [mai.as_str()]);
        assert!(reg.complete("xyz", None).is_empty());
        // the same name again gets its own id
        assert_eq!(reg.create("PERSON", "Tô Lâm"), "person-to-lam-2");
        reg.save().unwrap();
        let back = Registry::load(d.path()).unwrap();
        assert_eq!(back.entities(), reg.entities());
    }

    #[test]
    fn proposals_follow_names_directives_and_earlier_full_names() {
        let d = tempfile::tempdir().unwrap();
        let mut reg = Registry::load(d.path()).unwrap();
        let lam = reg.create("PERSON", "Tô Lâm");
        let ct = reg.create("DIRECTIVE", "Chỉ thị số 24-CT/TW");
        assert_eq!(ct, "directive-ct-24-tw");
        let full = tag("PERSON", 10, "Trương Thị Mai");
        let given = tag("PERSON", 80, "Mai");
        let tags = vec![full.clone(), given.clone()];
        assert_eq!(
            reg.propose(&given, &tags),
            Proposal::New {
                label: "PERSON".into(),
                name: "Trương Thị Mai".into()
            }
        );
        // once the full name is linked, the given name follows it
        let mut linked = full.clone();
        let mai = reg.create("PERSON", "Trương Thị Mai");
        linked.entity = Some(mai.clone());
        assert_eq!(
            reg.propose(&given, &[linked, given.clone()]),
            Proposal::Existing(mai)
        );
        // a given name with no full name before it
        assert_eq!(
            reg.propose(&tag("PERSON", 5, "Mai"), &tags),
            Proposal::New {
                label: "PERSON".into(),
                name: "Mai".into()
            }
        );
        assert_eq!(
            reg.propose(&tag("PERSON", 0, "Bộ trưởng Tô Lâm"), &[]),
            Proposal::Existing(lam)
        );
        assert_eq!(
            reg.propose(&tag("DIRECTIVE", 0, "chỉ thị 24/CT-TW"), &[]),
            Proposal::Existing(ct)
        );
        assert_eq!(
            reg.propose(&tag("DIRECTIVE", 0, "Nghị quyết 57/NQ-TW"), &[]),
            Proposal::New {
                label: "DIRECTIVE".into(),
                name: "Nghị quyết số 57-NQ/TW".into()
            }
        );
    }

    #[test]
    fn a_broken_registry_is_an_error_naming_it_and_is_never_overwritten() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(ENTITIES_FILE);
        std::fs::write(&p, "(format: 1, entities: [(id: 3)])").unwrap();
        let e = Registry::load(d.path()).unwrap_err().to_string();
        assert!(e.contains("entities.ron"), "{e}");
        let mut reg = Registry::empty(p.clone());
        reg.create("PERSON", "A B");
        assert!(reg.save().is_err());
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "(format: 1, entities: [(id: 3)])"
        );
    }

    #[test]
    fn two_sessions_adding_entities_keep_both() {
        let d = tempfile::tempdir().unwrap();
        let mut a = Registry::load(d.path()).unwrap();
        let mut b = Registry::load(d.path()).unwrap();
        a.create("PERSON", "Tô Lâm");
        a.save().unwrap();
        b.create("PERSON", "Lê Minh Hưng");
        b.save().unwrap();
        let back = Registry::load(d.path()).unwrap();
        let names: Vec<&str> = back.entities().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Lê Minh Hưng", "Tô Lâm"]);
    }
}
