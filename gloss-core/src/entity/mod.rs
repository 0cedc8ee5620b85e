//! Entities: the corpus's registry of canonical people, directives and tasks (`entities.ron` at the
//! corpus root), each with an id, a label, a canonical name and aliases. A tag may name the entity it
//! mentions, so that "Tô Lâm", "Bộ trưởng Tô Lâm" and "ông Lâm" across the corpus are one person.
//! Matching is accent- and case-insensitive and by whole words; directive identifiers are matched
//! by the rule in [`directive`].
//!
//! The file keeps what this gloss does not know: fields of a newer gloss, at the top level and in
//! each entity, are read raw and written back verbatim (merged three-way by name when another
//! session or branch changed them). Comments are not kept: the file is written in gloss's layout.

pub mod directive;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::annotation::Annotation;
use crate::error::{Error, Result};
use crate::store::merge::merge_fields;
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
    /// Fields written by a newer gloss, kept verbatim (name, raw RON value) and written back last.
    #[serde(skip)]
    pub extra: Vec<(String, String)>,
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

#[derive(Debug, Deserialize)]
struct RegistryFile {
    format: u32,
    entities: Vec<Entity>,
}

/// What a registry file holds: its entities (each with the fields of a newer gloss it had), and the
/// fields of a newer gloss at its top level (name, raw RON value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Contents {
    entities: Vec<Entity>,
    extra: Vec<(String, String)>,
}

/// An entity as one undoable step left it: `before` and `after` the step (`None`: not in the
/// registry). Linking a tag to a new entity is `None` → the entity; to one it learns an alias from,
/// the entity without and with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityChange {
    pub before: Option<Entity>,
    pub after: Option<Entity>,
}

impl EntityChange {
    /// The change between two states of one entity, if they differ.
    pub fn between(before: Option<Entity>, after: Option<Entity>) -> Option<EntityChange> {
        (before != after).then_some(EntityChange { before, after })
    }

    /// The entity's id.
    pub fn id(&self) -> &str {
        self.after
            .as_ref()
            .or(self.before.as_ref())
            .map_or("", |e| e.id.as_str())
    }

    pub fn inverse(&self) -> EntityChange {
        EntityChange {
            before: self.after.clone(),
            after: self.before.clone(),
        }
    }
}

/// A name folded for matching: lower case, no accents, `đ` as `d`, single spaces.
pub fn key(s: &str) -> String {
    fold_str(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a mention is a mention of, for grouping mentions written differently (the tag index, `gloss
/// stats`, the corpus graph): an entity, or a directive by its normalised identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mentioned {
    /// The id of an entity of the registry.
    Entity(String),
    /// A directive no entity stands for, by its canonical name (`Chỉ thị số 24-CT/TW`, however
    /// it is written).
    Directive(String),
}

/// What the tag of `label` and `text`, linked to `entity`, mentions: its entity; else, for a
/// DIRECTIVE, the registry's entity of the same directive (`registry`, when given), else the
/// directive's canonical name. `None`: nothing but its text says what it is.
pub fn mentioned(
    label: &str,
    text: &str,
    entity: Option<&str>,
    registry: Option<&Registry>,
) -> Option<Mentioned> {
    if let Some(id) = entity {
        return Some(Mentioned::Entity(id.to_string()));
    }
    if label != "DIRECTIVE" {
        return None;
    }
    let d = DirectiveId::parse(text)?;
    if let Some(e) = registry.and_then(|r| r.find(label, text)) {
        return Some(Mentioned::Entity(e.id.clone()));
    }
    Some(Mentioned::Directive(d.canonical()))
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
    /// The fields of a newer gloss at the file's top level, kept and written back.
    extra: Vec<(String, String)>,
    /// As last read or written: what a save merges against.
    base: Vec<Entity>,
    base_extra: Vec<(String, String)>,
    /// Entities an undo took out, as they were: the save puts back any a sidecar still names.
    dropped: Vec<Entity>,
    /// Folders of sidecars outside the corpus root (`--annotations`) that may name entities.
    sidecars_in: Vec<PathBuf>,
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
            extra: Vec::new(),
            base: Vec::new(),
            base_extra: Vec::new(),
            dropped: Vec::new(),
            sidecars_in: Vec::new(),
            index: Vec::new(),
            unsaved: false,
        }
    }

    /// The registry of the corpus at `root` (empty when there is no file); errors name the file.
    pub fn load(root: &Path) -> Result<Registry> {
        let path = root.join(ENTITIES_FILE);
        let read = read(&path, MAX_ENTITIES_BYTES)?;
        let mut r = Registry::empty(path);
        r.base = read.entities.clone();
        r.base_extra = read.extra.clone();
        r.entities = read.entities;
        r.extra = read.extra;
        r.reindex();
        Ok(r)
    }

    /// Sidecars are also kept in `dir` (`--annotations` outside the corpus): an entity an undo takes
    /// out stays while one of them names it.
    pub fn with_sidecars_in(mut self, dir: Option<&Path>) -> Registry {
        self.sidecars_in.extend(dir.map(Path::to_path_buf));
        self
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
            extra: Vec::new(),
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
    pub fn propose<'a>(
        &self,
        tag: &Annotation,
        tags: impl IntoIterator<Item = &'a Annotation>,
    ) -> Proposal {
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
                .into_iter()
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

    /// Rename the entity `id`: `name` becomes its canonical name (an alias of that name goes, the
    /// old name is forgotten: a rename mends a name). The change, for undo; `Err` says why not
    /// (no such entity, an empty name, the name of another entity of its label).
    pub fn rename(&mut self, id: &str, name: &str) -> std::result::Result<EntityChange, String> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(before) = self.get(id).cloned() else {
            return Err(format!("no entity {id}"));
        };
        if name.is_empty() {
            return Err("a name cannot be empty".into());
        }
        if name == before.name {
            return Err(format!("it is named “{name}” already"));
        }
        let k = key(&name);
        if let Some(other) = self
            .indexed()
            .find(|(e, n)| e.id != id && e.label == before.label && n.keys.contains(&k))
            .map(|(e, _)| e)
        {
            return Err(format!(
                "{} “{}” goes by that name: merge them instead",
                other.id, other.name
            ));
        }
        let Some(e) = self.entities.iter_mut().find(|e| e.id == id) else {
            return Err(format!("no entity {id}"));
        };
        e.aliases.retain(|a| key(a) != k);
        e.name = name;
        let after = e.clone();
        self.reindex();
        self.unsaved = true;
        Ok(EntityChange {
            before: Some(before),
            after: Some(after),
        })
    }

    /// Take the entity `id` out of the registry (the caller has made sure no tag names it: the
    /// save puts back one a sidecar still names). The change, for undo.
    pub fn remove(&mut self, id: &str) -> Option<EntityChange> {
        let before = self.get(id).cloned()?;
        let change = EntityChange {
            before: Some(before),
            after: None,
        };
        self.apply(&change);
        Some(change)
    }

    /// Merge the entity `from` into `into`: `from`'s names become aliases of `into` and `from`
    /// goes (the caller moves the tags that name it, in every sidecar, to `into`: the save keeps
    /// `from` while a sidecar still names it). The changes to both, for undo; `Err` says why not.
    pub fn merge(
        &mut self,
        from: &str,
        into: &str,
    ) -> std::result::Result<Vec<EntityChange>, String> {
        if from == into {
            return Err("an entity cannot be merged into itself".into());
        }
        let (Some(gone), Some(before)) = (self.get(from).cloned(), self.get(into).cloned()) else {
            return Err(format!("no entity {from} or {into}"));
        };
        for n in gone.names() {
            self.add_alias(into, n);
        }
        let after = self.get(into).cloned();
        let mut changes: Vec<EntityChange> = EntityChange::between(Some(before), after)
            .into_iter()
            .collect();
        changes.extend(self.remove(from));
        Ok(changes)
    }

    /// Undo or redo what a step did to an entity: one made comes back or goes, aliases learnt are
    /// learnt or forgotten again (others, learnt since or by another session, stay). An entity that
    /// goes is kept aside: [`Registry::save`] puts it back if a sidecar in the corpus still names it
    /// (another article, another session's); the caller keeps it when the open article does.
    pub fn apply(&mut self, change: &EntityChange) {
        let id = change.id().to_string();
        match (&change.before, &change.after) {
            (_, None) => {
                if let Some(at) = self.entities.iter().position(|e| e.id == id) {
                    let gone = self.entities.remove(at);
                    self.dropped.retain(|d| d.id != id);
                    self.dropped.push(gone);
                }
            }
            (None, Some(e)) => {
                self.dropped.retain(|d| d.id != id);
                if self.get(&id).is_none() {
                    self.entities.push(e.clone());
                }
            }
            (Some(b), Some(a)) => {
                if let Some(e) = self.entities.iter_mut().find(|e| e.id == id) {
                    // a rename (or a merge's label) undone or redone; a later rename stays
                    if b.name != a.name && e.name == b.name {
                        e.name = a.name.clone();
                    }
                    if b.label != a.label && e.label == b.label {
                        e.label = a.label.clone();
                    }
                    e.aliases
                        .retain(|x| a.aliases.contains(x) || !b.aliases.contains(x));
                    for x in &a.aliases {
                        if !b.aliases.contains(x) && !e.named(&key(x)) {
                            e.aliases.push(x.clone());
                        }
                    }
                }
            }
        }
        self.reindex();
        self.unsaved = true;
    }

    /// The registry file's text, never larger than gloss reads back.
    fn to_ron(&self) -> Result<String> {
        layout_within(&self.path, &self.entities, &self.extra, MAX_ENTITIES_BYTES)
    }

    /// Entities an undo took out that a sidecar still names come back (one never written could
    /// not be named by anyone else).
    fn keep_named(&mut self) {
        let dropped = std::mem::take(&mut self.dropped);
        let root = self.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let trees: Vec<&Path> = std::iter::once(root.as_path())
            .chain(self.sidecars_in.iter().map(PathBuf::as_path))
            .collect();
        for e in dropped {
            let written = self.base.iter().any(|b| b.id == e.id);
            if self.get(&e.id).is_none() && written && named_in(&trees, &self.path, &e.id) {
                self.entities.push(e);
            }
        }
    }

    /// Save under a lock: entities another session added meanwhile are kept (and the aliases it
    /// gave ours of the same id joined), as are the fields of a newer gloss it changed (three-way
    /// by name); written atomically, never larger than gloss reads back. A registry that no longer
    /// parses is not overwritten.
    pub fn save(&mut self) -> Result<()> {
        self.keep_named();
        let _lock = crate::files::Lock::acquire(&self.path, std::time::Duration::from_secs(5))?;
        let theirs = read(&self.path, MAX_ENTITIES_BYTES)?;
        for t in theirs.entities {
            let base = self.base.iter().find(|b| b.id == t.id);
            match self.entities.iter_mut().find(|e| e.id == t.id) {
                Some(ours) => {
                    // their new aliases (one we took away since read stays away)
                    let had: &[String] = base.map_or(&[], |b| &b.aliases);
                    for a in &t.aliases {
                        if !had.contains(a) && !ours.named(&key(a)) {
                            ours.aliases.push(a.clone());
                        }
                    }
                    let had: &[(String, String)] = base.map_or(&[], |b| &b.extra);
                    ours.extra = merge_fields(had, &ours.extra, &t.extra).fields;
                }
                // removed here since read: stays removed; new there: kept
                None if base.is_some() => {}
                None => self.entities.push(t),
            }
        }
        self.extra = merge_fields(&self.base_extra, &self.extra, &theirs.extra).fields;
        self.entities.sort_by(|a, b| a.id.cmp(&b.id));
        self.reindex();
        let text = self.to_ron()?;
        crate::files::write_atomic_locked(&self.path, text.as_bytes())?;
        self.base = self.entities.clone();
        self.base_extra = self.extra.clone();
        self.unsaved = false;
        Ok(())
    }
}

/// The registry file's text: the format, one entity a line (its fields from a newer gloss last),
/// then the top level's fields from a newer gloss, verbatim. An error naming `path` if it would be
/// larger than `limit` (what gloss reads back).
fn layout_within(
    path: &Path,
    entities: &[Entity],
    extra: &[(String, String)],
    limit: u64,
) -> Result<String> {
    use std::fmt::Write;
    let mut s = String::with_capacity(64 + entities.len() * 96);
    let _ = writeln!(s, "(\n    format: {ENTITIES_FORMAT},");
    if entities.is_empty() {
        s.push_str("    entities: [],\n");
    } else {
        s.push_str("    entities: [\n");
        for e in entities {
            s.push_str("        (");
            let fields = crate::store::sidecar::fields_of(e, &[]);
            let fields = fields
                .iter()
                .map(|(n, v)| (*n, v.as_deref().unwrap_or_default()))
                .chain(e.extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
            for (i, (n, v)) in fields.enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                let _ = write!(s, "{n}: {v}");
            }
            s.push_str("),\n");
        }
        s.push_str("    ],\n");
    }
    for (n, v) in extra {
        let _ = writeln!(s, "    {n}: {v},");
    }
    s.push_str(")\n");
    if s.len() as u64 > limit {
        return Err(Error::invalid(
            path,
            format!(
                "not written: {} entities make a registry of {} bytes, over the {limit} bytes gloss reads back",
                entities.len(),
                s.len()
            ),
        ));
    }
    Ok(s)
}

/// Does a sidecar under one of `trees` (hidden folders and links to folders left out) name the
/// entity `id`? Its quoted id anywhere in a `.ron` file other than the registry counts; a file
/// that cannot be read counts too (an entity is kept rather than lost).
fn named_in(trees: &[&Path], registry: &Path, id: &str) -> bool {
    let quoted = format!("\"{}\"", id.escape_debug());
    let finder = memchr::memmem::Finder::new(quoted.as_bytes());
    let mut stack: Vec<PathBuf> = trees.iter().map(|p| p.to_path_buf()).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                return true;
            };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "ron") || path == registry {
                continue;
            }
            match crate::files::read_limited(&path, crate::store::MAX_SIDECAR_BYTES, "a sidecar") {
                Ok(Some(c)) if finder.find(&c.bytes).is_none() => {}
                Ok(None) => {}
                // a link to a folder, a device: not a sidecar
                Err(_) if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) => {}
                _ => return true,
            }
        }
    }
    false
}

/// Merge two versions of a registry that grew apart from `base` (a git merge), by entity id: an
/// entity added or changed on one side only is taken from that side; one removed on one side and
/// left as it was on the other is removed; changed on both, ours is kept with their names joined to
/// its aliases and its fields from a newer gloss merged three-way by name, and what could not be
/// joined (another label, another canonical name, such a field changed differently) is said.
/// Sorted by id, as gloss writes it.
pub fn merge_registries(
    base: &[Entity],
    ours: &[Entity],
    theirs: &[Entity],
) -> (Vec<Entity>, Vec<String>) {
    let m = merge_entities(base, ours, theirs);
    let mut said = m.said;
    said.extend(m.unresolved);
    (m.entities, said)
}

/// Entities merged, with what was said: `unresolved` are the values of theirs that were not kept
/// (fields of a newer gloss changed differently on both sides).
struct MergedEntities {
    entities: Vec<Entity>,
    said: Vec<String>,
    unresolved: Vec<String>,
}

fn merge_entities(base: &[Entity], ours: &[Entity], theirs: &[Entity]) -> MergedEntities {
    let find = |v: &[Entity], id: &str| v.iter().find(|e| e.id == id).cloned();
    let mut ids: Vec<&str> = ours.iter().chain(theirs).map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut merged = Vec::with_capacity(ids.len());
    let (mut said, mut unresolved) = (Vec::new(), Vec::new());
    for id in ids {
        let (b, o, t) = (find(base, id), find(ours, id), find(theirs, id));
        let kept = match (o, t) {
            (Some(o), Some(t)) if o == t => Some(o),
            (Some(o), Some(t)) if b.as_ref() == Some(&o) => Some(t),
            (Some(o), Some(t)) if b.as_ref() == Some(&t) => Some(o),
            (Some(mut o), Some(t)) => {
                if o.label != t.label {
                    said.push(format!(
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
                    said.push(format!(
                        "entity {id}: named “{}” here, “{}” there: the first kept, the other an alias",
                        o.name, t.name
                    ));
                }
                let had: &[(String, String)] = b.as_ref().map_or(&[], |b| &b.extra);
                let fields = merge_fields(had, &o.extra, &t.extra);
                unresolved.extend(
                    fields
                        .conflicts
                        .into_iter()
                        .map(|c| format!("entity {id}: {c}")),
                );
                o.extra = fields.fields;
                Some(o)
            }
            // removed on the other side: stays removed unless changed on this one
            (Some(one), None) | (None, Some(one)) => match &b {
                Some(b) if *b == one => None,
                Some(_) => {
                    said.push(format!(
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
    MergedEntities {
        entities: merged,
        said,
        unresolved,
    }
}

/// What [`merge_registry_files`] did, once it wrote the merged registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryMerge {
    /// What the merge settled and says (names joined as aliases, a label kept).
    pub said: Vec<String>,
    /// Fields of a newer gloss changed differently on both sides: ours was kept and theirs is not
    /// in the file, so the merge is a conflict for git to report.
    pub unresolved: Vec<String>,
}

/// [`merge_registries`] of three registry files (git's `%O %A %B`), with the fields of a newer
/// gloss at the top level merged three-way by name; the result written over `ours` atomically. A
/// version that does not parse stops it, naming it, and so does a result larger than gloss reads
/// back: `ours` is then left as it was.
pub fn merge_registry_files(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: &str,
) -> Result<RegistryMerge> {
    merge_registry_files_within(base, ours, theirs, name, MAX_ENTITIES_BYTES)
}

fn merge_registry_files_within(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    name: &str,
    limit: u64,
) -> Result<RegistryMerge> {
    let version = |path: &Path, which: &str| -> Result<Contents> {
        // (the ancestor of a registry new on both sides is an empty file)
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Ok(Contents::default());
        }
        read(path, limit)
            .map_err(|e| Error::invalid(Path::new(&format!("{name} ({which})")), e.to_string()))
    };
    let (b, o, t) = (
        version(base, "ancestor")?,
        version(ours, "ours")?,
        version(theirs, "theirs")?,
    );
    let m = merge_entities(&b.entities, &o.entities, &t.entities);
    let fields = merge_fields(&b.extra, &o.extra, &t.extra);
    let mut unresolved = m.unresolved;
    unresolved.extend(fields.conflicts);
    let text = layout_within(Path::new(name), &m.entities, &fields.fields, limit)
        .map_err(|e| Error::invalid(Path::new(name), format!("merged, {e}")))?;
    crate::files::write_atomic(ours, text.as_bytes())?;
    Ok(RegistryMerge {
        said: m.said,
        unresolved,
    })
}

/// The registry at `path` (empty when there is no file), with the fields of a newer gloss it holds,
/// at the top level and in each entity; read only up to `limit` bytes.
fn read(path: &Path, limit: u64) -> Result<Contents> {
    let Some(contents) = crate::files::read_limited(path, limit, "an entity registry")? else {
        return Ok(Contents::default());
    };
    let text =
        String::from_utf8(contents.bytes).map_err(|_| Error::invalid(path, "not valid UTF-8"))?;
    let mut file: RegistryFile = ron::Options::default()
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
    let extra = unknown_fields(&text, &mut file.entities);
    Ok(Contents {
        entities: file.entities,
        extra,
    })
}

/// The fields of `text` this gloss does not know, at the top level (returned) and in each entity
/// (set on it), raw, to be written back as they were.
fn unknown_fields(text: &str, entities: &mut [Entity]) -> Vec<(String, String)> {
    use crate::store::raw::{list_items, struct_fields};
    use crate::store::sidecar::field_names;
    let Some(fields) = struct_fields(text) else {
        return Vec::new();
    };
    let items = fields
        .iter()
        .find(|(n, _)| n == "entities")
        .and_then(|(_, v)| list_items(v))
        .unwrap_or_default();
    if items.len() == entities.len() {
        let known = field_names::<Entity>();
        for (e, item) in entities.iter_mut().zip(items) {
            e.extra = struct_fields(&item)
                .unwrap_or_default()
                .into_iter()
                .filter(|(n, _)| !known.contains(&n.as_str()))
                .collect();
        }
    }
    let known = field_names::<RegistryFile>();
    fields
        .into_iter()
        .filter(|(n, _)| !known.contains(&n.as_str()))
        .collect()
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
            extra: Vec::new(),
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

    impl Registry {
        fn load_file(path: &Path) -> Vec<Entity> {
            read(path, MAX_ENTITIES_BYTES).unwrap().entities
        }
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

    /// A registry a newer gloss wrote: a field at the top level, one in an entity, and comments.
    const NEWER: &str = r#"(
    format: 1,
    // the people of the corpus
    entities: [
        (id: "person-to-lam", label: "PERSON", name: "Tô Lâm", wikidata: Some("Q123")),
    ],
    sources: ["vnexpress", "tuoitre"],
)
"#;

    fn field(n: &str, v: &str) -> (String, String) {
        (n.to_string(), v.to_string())
    }

    #[test]
    fn fields_of_a_newer_gloss_survive_a_save_at_the_top_and_in_each_entity() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(ENTITIES_FILE);
        std::fs::write(&p, NEWER).unwrap();
        let mut reg = Registry::load(d.path()).unwrap();
        assert_eq!(
            reg.get("person-to-lam").unwrap().extra,
            [field("wikidata", "Some(\"Q123\")")]
        );
        // another session (a newer gloss) changes the top-level field meanwhile
        std::fs::write(&p, NEWER.replace("\"tuoitre\"", "\"tuoitre\", \"nld\"")).unwrap();
        reg.create("PERSON", "Trương Thị Mai");
        reg.add_alias("person-to-lam", "Bộ trưởng Tô Lâm");
        reg.save().unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains("wikidata: Some(\"Q123\")"), "{text}");
        assert!(
            text.contains("sources: [\"vnexpress\", \"tuoitre\", \"nld\"]"),
            "theirs, changed there only: {text}"
        );
        assert!(text.contains("\"Trương Thị Mai\""), "{text}");
        let back = Registry::load(d.path()).unwrap();
        assert_eq!(back.entities(), reg.entities());
        assert_eq!(back.extra, reg.extra);
        // written as it reads: one entity a line
        assert!(
            text.contains(
                "        (id: \"person-to-lam\", label: \"PERSON\", name: \"Tô Lâm\", aliases: [\"Bộ trưởng Tô Lâm\"], wikidata: Some(\"Q123\")),\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_file_merge_keeps_fields_changed_on_one_side_and_says_both_changed() {
        let d = tempfile::tempdir().unwrap();
        let (base, ours, theirs) = (d.path().join("O"), d.path().join("A"), d.path().join("B"));
        std::fs::write(&base, NEWER).unwrap();
        // ours adds an entity; theirs changes both fields of the newer gloss
        let mai = "        (id: \"person-mai\", label: \"PERSON\", name: \"Mai\"),\n    ],";
        std::fs::write(&ours, NEWER.replacen("    ],", mai, 1)).unwrap();
        let changed = NEWER
            .replace("\"tuoitre\"]", "\"nld\"]")
            .replace("Q123", "Q9");
        std::fs::write(&theirs, &changed).unwrap();
        let m = merge_registry_files(&base, &ours, &theirs, "entities.ron").unwrap();
        assert_eq!(m, RegistryMerge::default());
        let text = std::fs::read_to_string(&ours).unwrap();
        assert!(text.contains("sources: [\"vnexpress\", \"nld\"]"), "{text}");
        assert!(text.contains("wikidata: Some(\"Q9\")"), "{text}");
        assert!(text.contains("person-mai"), "{text}");
        // both change the top-level field, differently: ours kept, and unresolved
        std::fs::write(&base, NEWER).unwrap();
        std::fs::write(&ours, NEWER.replace("\"tuoitre\"]", "\"ours\"]")).unwrap();
        std::fs::write(&theirs, NEWER.replace("\"tuoitre\"]", "\"theirs\"]")).unwrap();
        let m = merge_registry_files(&base, &ours, &theirs, "entities.ron").unwrap();
        assert_eq!(m.unresolved.len(), 1, "{m:?}");
        assert!(m.unresolved[0].contains("field sources"), "{m:?}");
        let text = std::fs::read_to_string(&ours).unwrap();
        assert!(
            text.contains("\"ours\"") && !text.contains("\"theirs\""),
            "{text}"
        );
    }

    #[test]
    fn a_merged_registry_larger_than_gloss_reads_is_not_written() {
        let d = tempfile::tempdir().unwrap();
        let (base, ours, theirs) = (d.path().join("O"), d.path().join("A"), d.path().join("B"));
        let side = |names: &[&str]| {
            let mut r = Registry::empty(d.path().join("x"));
            for n in names {
                r.create("PERSON", n);
            }
            r.to_ron().unwrap()
        };
        std::fs::write(&base, "").unwrap();
        let a = side(&["Tô Lâm", "Trương Thị Mai", "Lê Minh Hưng"]);
        let b = side(&["Nguyễn Văn A", "Trần Thị B", "Phạm Văn C"]);
        std::fs::write(&ours, &a).unwrap();
        std::fs::write(&theirs, &b).unwrap();
        // each side fits the limit, the merge would not
        let limit = a.len().max(b.len()) as u64 + 20;
        let e = merge_registry_files_within(&base, &ours, &theirs, "entities.ron", limit)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("entities.ron") && e.contains(&format!("over the {limit} bytes")),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&ours).unwrap(), a, "ours as it was");
        // within the real limit it merges
        merge_registry_files(&base, &ours, &theirs, "entities.ron").unwrap();
        assert_eq!(Registry::load_file(&ours).len(), 6);
    }

    #[test]
    fn an_entity_undone_goes_unless_a_sidecar_names_it_and_comes_back_with_the_redo() {
        let d = tempfile::tempdir().unwrap();
        let mut reg = Registry::load(d.path()).unwrap();
        let lam = reg.create("PERSON", "Tô Lâm");
        let made = EntityChange::between(None, reg.get(&lam).cloned()).unwrap();
        reg.save().unwrap();
        reg.apply(&made.inverse());
        assert!(reg.get(&lam).is_none());
        reg.save().unwrap();
        assert!(Registry::load(d.path()).unwrap().get(&lam).is_none());
        // redone: back
        reg.apply(&made);
        reg.save().unwrap();
        assert!(Registry::load(d.path()).unwrap().get(&lam).is_some());
        // undone while another article's sidecar names it: kept
        std::fs::create_dir_all(d.path().join("b")).unwrap();
        std::fs::write(
            d.path().join("b/x.ron"),
            format!("(tags: [(id: \"t\", entity: Some(\"{lam}\"))])"),
        )
        .unwrap();
        reg.apply(&made.inverse());
        reg.save().unwrap();
        assert!(Registry::load(d.path()).unwrap().get(&lam).is_some());
        // an alias learnt, undone: forgotten (and not brought back by the merge of the save)
        let before = reg.get(&lam).cloned();
        reg.add_alias(&lam, "Bộ trưởng Tô Lâm");
        let learnt = EntityChange::between(before, reg.get(&lam).cloned()).unwrap();
        reg.save().unwrap();
        reg.apply(&learnt.inverse());
        reg.save().unwrap();
        let back = Registry::load(d.path()).unwrap();
        assert!(back.get(&lam).unwrap().aliases.is_empty());
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

    #[test]
    fn rename_merge_and_remove_go_through_changes_undo_takes_back() {
        let d = tempfile::tempdir().unwrap();
        let mut reg = Registry::load(d.path()).unwrap();
        let lam = reg.create("PERSON", "Tô Lâ");
        let other = reg.create("PERSON", "Ông Lâm");
        reg.add_alias(&lam, "Tô Lâm");
        let renamed = reg.rename(&lam, "Tô  Lâm").unwrap();
        assert_eq!(reg.get(&lam).unwrap().name, "Tô Lâm");
        assert!(
            reg.get(&lam).unwrap().aliases.is_empty(),
            "the alias became the name"
        );
        assert!(reg.rename(&lam, "ông lâm").unwrap_err().contains(&other));
        reg.apply(&renamed.inverse());
        assert_eq!(reg.get(&lam).unwrap().name, "Tô Lâ");
        assert_eq!(reg.get(&lam).unwrap().aliases, ["Tô Lâm"]);
        reg.apply(&renamed);
        let merged = reg.merge(&other, &lam).unwrap();
        assert!(reg.get(&other).is_none());
        assert_eq!(reg.get(&lam).unwrap().aliases, ["Ông Lâm"]);
        assert_eq!(reg.find("PERSON", "ong lam").unwrap().id, lam);
        for c in merged.iter().rev() {
            reg.apply(&c.inverse());
        }
        assert_eq!(reg.get(&other).unwrap().name, "Ông Lâm");
        assert!(reg.get(&lam).unwrap().aliases.is_empty());
        let gone = reg.remove(&other).unwrap();
        assert!(reg.get(&other).is_none());
        reg.apply(&gone.inverse());
        assert!(reg.get(&other).is_some());
        assert!(reg.merge(&lam, &lam).is_err());
    }

    #[test]
    fn a_directive_written_two_ways_is_one_mention() {
        let d = tempfile::tempdir().unwrap();
        let mut reg = Registry::load(d.path()).unwrap();
        let a = mentioned("DIRECTIVE", "Chỉ thị số 24/CT-TW", None, None);
        let b = mentioned("DIRECTIVE", "Chỉ thị 24-CT/TW", None, None);
        assert_eq!(a, b);
        assert_eq!(a, Some(Mentioned::Directive("Chỉ thị số 24-CT/TW".into())));
        assert_eq!(mentioned("PERSON", "Chỉ thị 24-CT/TW", None, None), None);
        let ct = reg.create("DIRECTIVE", "Chỉ thị số 24-CT/TW");
        assert_eq!(
            mentioned("DIRECTIVE", "chỉ thị 24/CT-TW", None, Some(&reg)),
            Some(Mentioned::Entity(ct))
        );
    }
}
