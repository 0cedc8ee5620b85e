//! `brat`: brat's standoff, a folder of `<id>.txt` and `<id>.ann` per article (keeping
//! sub-folders), with `annotation.conf` (the labels and relation types) and `tools.conf` (the
//! `gloss` normalisation resource of entity links). brat reads `.ann` files line by line as
//! Python's `str.splitlines()` splits them, so a tag over a line break becomes a discontinuous
//! span, one fragment between each two line breaks; each tag's `AnnotatorNotes` line keeps its
//! gloss id and note, entity links are `N` lines and relations `R` lines (with their gloss ids in
//! notes). Read back from such a folder (or `.ann` files beside their `.txt`).

use std::fs;
use std::path::{Path, PathBuf};

use super::{Carries, Format, Notes, Reads, RecordWriter, Writes};
use crate::annotation::RelationTypes;
use crate::entity::Registry;
use crate::error::{Error, Result};
use crate::export::{Record, document_id};
use crate::files::write_atomic;
use crate::import::read::{parse_err, read_text};
use crate::import::{Content, Incoming, IncomingRelation, IncomingTag, Units, valid_id};
use crate::text::escape_path;

pub static FORMAT: Format = Format {
    name: "brat",
    writes: Writes::Folder(|dir, c| {
        Box::new(Writer::new(
            dir,
            c.labels.clone(),
            c.relations.clone(),
            c.registry.clone(),
        ))
    }),
    reads: Reads::Records(|path, _| read(path)),
    offsets: &[],
    carries: Carries {
        exact_spans: true,
        ids: true,
        notes: Notes::OnOneLine,
        entity_links: true,
        relations: true,
        ..Carries::NOTHING
    },
};

/// brat standoff: `<id>.txt` and `<id>.ann` per article in a folder, `annotation.conf` (labels and
/// relation types) and `tools.conf` (the `gloss` normalisation resource of the `N` lines).
pub struct Writer {
    pub dir: PathBuf,
    pub labels: Vec<String>,
    /// The corpus's relation types, for `annotation.conf`.
    pub relations: RelationTypes,
    /// The entity registry, for the canonical names on `N` lines.
    pub registry: Registry,
    /// Relation types written that the corpus does not define (declared in `annotation.conf` too).
    pub seen: std::collections::BTreeSet<String>,
}

impl Writer {
    pub fn new(
        dir: PathBuf,
        labels: Vec<String>,
        relations: RelationTypes,
        registry: Registry,
    ) -> Self {
        Writer {
            dir,
            labels,
            relations,
            registry,
            seen: Default::default(),
        }
    }
}

/// The name of the normalisation resource of gloss's entity links in brat (`N` lines, tools.conf).
pub const NORM_DB: &str = "gloss";

/// Does Python's `str.splitlines()` break a line at `c`? brat reads `.ann` files line by line that
/// way, so none of these may stand inside an annotation line.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{B}'
            | '\u{C}'
            | '\u{1C}'
            | '\u{1D}'
            | '\u{1E}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// A tag as brat fragments: an annotation line may not hold a line break, so a tag over one becomes
/// a discontinuous span, one fragment between each two line breaks (brat joins the fragments' texts
/// with a space to check them against the line's text).
pub fn fragments(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut frag_start: Option<usize> = None;
    for (i, c) in text.chars().enumerate().skip(start).take(end - start) {
        if is_line_break(c) {
            if let Some(s) = frag_start.take() {
                out.push((s, i));
            }
        } else if frag_start.is_none() {
            frag_start = Some(i);
        }
    }
    if let Some(s) = frag_start {
        out.push((s, end));
    }
    out
}

/// `s` on one line: line breaks as spaces (tabs are kept: brat takes the rest of the line).
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if is_line_break(c) { ' ' } else { c })
        .collect()
}

/// The prefix of the `AnnotatorNotes` line that keeps a tag's gloss id in brat.
pub const ID_PREFIX: &str = "gloss:";

/// Can `s` stand as one field of a brat line (no white space, nothing a line reader breaks on)?
fn is_word(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl RecordWriter for Writer {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let base = self.dir.join(&doc.id);
        let txt = base.with_extension("txt");
        let ann = base.with_extension("ann");
        if let Some(parent) = txt.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&txt, doc.text.as_bytes()).map_err(|e| Error::io(&txt, e))?;
        let mut out = String::new();
        let mut n = 0;
        let chars: Vec<(usize, char)> = if doc.tags.is_empty() {
            Vec::new()
        } else {
            doc.text.char_indices().collect()
        };
        let slice = |s: usize, e: usize| {
            let b = |c: usize| chars.get(c).map_or(doc.text.len(), |&(b, _)| b);
            &doc.text[b(s)..b(e)]
        };
        // the T number of each tag written (a tag split into fragments is still one T)
        let mut t_of: std::collections::HashMap<&str, usize> = Default::default();
        for t in &doc.tags {
            let frags = fragments(&doc.text, t.start, t.end);
            if frags.is_empty() {
                continue;
            }
            n += 1;
            t_of.insert(t.id.as_str(), n);
            let spans: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
            let quoted: Vec<&str> = frags.iter().map(|&(s, e)| slice(s, e)).collect();
            out.push_str(&format!(
                "T{n}\t{} {}\t{}\n",
                t.label,
                spans.join(";"),
                quoted.join(" ")
            ));
            out.push_str(&format!(
                "#{n}\tAnnotatorNotes T{n}\t{ID_PREFIX}{}",
                one_line(&t.id)
            ));
            if let Some(note) = &t.note {
                out.push(' ');
                out.push_str(&one_line(note));
            }
            out.push('\n');
        }
        let mut notes = n;
        // entity links as normalisations to the `gloss` resource
        let mut k = 0;
        for t in &doc.tags {
            let (Some(e), Some(&tn)) = (t.entity.as_deref(), t_of.get(t.id.as_str())) else {
                continue;
            };
            if !is_word(e) {
                warn(format!(
                    "{}: tag {}: the entity id {:?} cannot stand in a brat N line: left out",
                    doc.id, t.id, e
                ));
                continue;
            }
            let name = match self.registry.get(e) {
                Some(entity) => entity.name.clone(),
                None => {
                    warn(format!(
                        "{}: tag {} names the entity {e}, which is not in entities.ron: its N line quotes the tag's text",
                        doc.id, t.id
                    ));
                    t.text.clone()
                }
            };
            k += 1;
            out.push_str(&format!(
                "N{k}\tReference T{tn} {NORM_DB}:{e}\t{}\n",
                one_line(&name)
            ));
        }
        // relations, each with its gloss id in a note
        let tag_of = |id: &str| doc.tags.iter().find(|t| t.id == id);
        let mut k = 0;
        for r in &doc.relations {
            let ends = (t_of.get(r.head.as_str()), t_of.get(r.tail.as_str()));
            let (Some(h), Some(tl)) = ends else {
                warn(format!(
                    "{}: relation {} ({}) joins a tag brat cannot hold (nothing but line breaks): left out",
                    doc.id, r.id, r.label
                ));
                continue;
            };
            if !is_word(&r.label) {
                warn(format!(
                    "{}: relation {}: the type {:?} is not one word: left out",
                    doc.id, r.id, r.label
                ));
                continue;
            }
            if self.relations.get(&r.label).is_none() {
                self.seen.insert(r.label.clone());
            } else if let (Some(head), Some(tail)) = (tag_of(&r.head), tag_of(&r.tail))
                && let Err(why) = self.relations.check(&r.label, head, tail)
            {
                // annotation.conf declares the type's rule, which brat and gloss's import hold to
                warn(format!(
                    "{}: relation {} ({}) breaks the rule of its type: {why}: left out",
                    doc.id, r.id, r.label
                ));
                continue;
            }
            k += 1;
            notes += 1;
            out.push_str(&format!("R{k}\t{} Arg1:T{h} Arg2:T{tl}\n", r.label));
            out.push_str(&format!(
                "#{notes}\tAnnotatorNotes R{k}\t{ID_PREFIX}{}\n",
                one_line(&r.id)
            ));
        }
        fs::write(&ann, out).map_err(|e| Error::io(&ann, e))
    }

    fn finish(&mut self) -> Result<()> {
        let mut conf = String::from("[entities]\n");
        for l in &self.labels {
            conf.push_str(l);
            conf.push('\n');
        }
        conf.push_str("\n[relations]\n");
        // each type's ends, among the labels exported (any of them when the type allows any)
        let ends = |allowed: &[String]| -> Vec<String> {
            self.labels
                .iter()
                .filter(|l| allowed.is_empty() || allowed.contains(l))
                .cloned()
                .collect()
        };
        let mut types: Vec<(String, Vec<String>, Vec<String>)> = self
            .relations
            .types
            .iter()
            .map(|t| (t.name.clone(), ends(&t.head), ends(&t.tail)))
            .collect();
        types.extend(self.seen.iter().map(|n| (n.clone(), ends(&[]), ends(&[]))));
        for (name, head, tail) in types {
            if head.is_empty() || tail.is_empty() || !is_word(&name) {
                continue;
            }
            conf.push_str(&format!(
                "{name} Arg1:{}, Arg2:{}\n",
                head.join("|"),
                tail.join("|")
            ));
        }
        // gloss lets tags of any labels nest, share a span and cross: brat's special relation
        // type says so, or its validator reports "TASK cannot contain PERSON" and identical spans
        if !self.labels.is_empty() {
            let all = self.labels.join("|");
            conf.push_str(&format!(
                "<OVERLAP> Arg1:{all}, Arg2:{all}, <OVL-TYPE>:<ANY>\n"
            ));
        }
        conf.push_str("\n[events]\n\n[attributes]\n");
        write_atomic(&self.dir.join("annotation.conf"), conf.as_bytes())?;
        let tools = format!(
            "# The entity links of gloss's entities.ron: N lines `Reference T1 {NORM_DB}:<entity id>`.\n\
             [normalization]\n{NORM_DB}\t<URL>:entities.ron\n"
        );
        write_atomic(&self.dir.join("tools.conf"), tools.as_bytes())
    }
}

/// brat standoff: a folder of `.ann` files beside their `.txt` (or one `.ann` file). Each `.ann` is
/// a record named by its `.txt`'s path below the folder. Text-bound annotations (`T`) become tags;
/// discontinuous ones whose fragments lie apart only by white space (as gloss writes a tag over a
/// line break) become one span; `AnnotatorNotes` give the gloss id (`gloss:ID`) and the note.
pub fn read(path: &Path) -> Result<Vec<Incoming>> {
    let (root, mut anns) = if path.is_dir() {
        let mut anns = Vec::new();
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
                let e = e.map_err(|e| Error::io(&dir, e))?;
                let p = e.path();
                // as the corpus walk: sub-folders are walked, links to folders are not (they may
                // loop); an `.ann` file, or a link to one, is read
                let ft = e.file_type().map_err(|e| Error::io(&p, e))?;
                if ft.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "ann")
                    && !(ft.is_symlink() && p.is_dir())
                {
                    anns.push(p);
                }
            }
        }
        (path.to_path_buf(), anns)
    } else {
        let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (root, vec![path.to_path_buf()])
    };
    anns.sort();
    anns.into_iter()
        .map(|ann| read_ann(&root, &ann))
        .collect()
}

fn read_ann(root: &Path, ann: &Path) -> Result<Incoming> {
    let txt: PathBuf = ann.with_extension("txt");
    let text = read_text(&txt)?;
    let body = read_text(ann)?;
    let name = escape_path(ann);
    let chars: Vec<char> = text.chars().collect();
    let mut tags: Vec<(String, IncomingTag)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    // R lines: (R id, type, Arg1's T id, Arg2's T id, line); N lines: (T id, gloss entity id)
    let mut rels: Vec<(String, String, String, String, usize)> = Vec::new();
    let mut links: Vec<(String, String)> = Vec::new();
    let mut warnings = Vec::new();
    let mut ids = std::collections::HashSet::new();
    // lines as brat reads them (Python's splitlines)
    let mut n = 0;
    for line in body.split(is_line_break) {
        n += 1;
        if line.is_empty() {
            continue;
        }
        let bad = |m: &str| parse_err(ann, n, m.to_string());
        let Some((id, rest)) = line.split_once('\t') else {
            return Err(bad("not ID<tab>…"));
        };
        // brat refuses a file that gives one id twice: so does gloss, rather than count it twice
        if id != "*" && !ids.insert(id.to_string()) {
            return Err(bad(&format!("{id} is given twice")));
        }
        if id.starts_with('T') {
            let (data, quoted) = rest.split_once('\t').unwrap_or((rest, ""));
            let Some((label, spans)) = data.split_once(' ') else {
                return Err(bad("not ID<tab>TYPE START END<tab>TEXT"));
            };
            let mut frags = Vec::new();
            for f in spans.split(';') {
                let mut it = f.split(' ').filter(|s| !s.is_empty());
                match (
                    it.next().and_then(|s| s.parse::<usize>().ok()),
                    it.next().and_then(|s| s.parse::<usize>().ok()),
                ) {
                    (Some(a), Some(b)) if a <= b && b <= chars.len() => frags.push((a, b)),
                    _ => return Err(bad("offsets that are not START END within the text")),
                }
            }
            frags.sort_unstable();
            if let Some(w) = frags.windows(2).find(|w| w[1].0 < w[0].1) {
                return Err(bad(&format!(
                    "{id}: its fragments {} {} and {} {} overlap",
                    w[0].0, w[0].1, w[1].0, w[1].1
                )));
            }
            let pieces: Vec<String> = frags
                .iter()
                .map(|&(a, b)| chars[a..b].iter().collect())
                .collect();
            if !quoted.is_empty() && pieces.join(" ") != quoted {
                return Err(bad(&format!(
                    "{id}: its text “{}” is not the .txt's “{}”",
                    crate::text::sanitize_inline(quoted),
                    crate::text::sanitize_inline(&pieces.join(" "))
                )));
            }
            let (start, end) = (frags[0].0, frags[frags.len() - 1].1);
            let gaps_are_space = frags
                .windows(2)
                .all(|w| chars[w[0].1..w[1].0].iter().all(|c| c.is_whitespace()));
            if !gaps_are_space {
                warnings.push(format!(
                    "{name}:{n}: {id} is discontinuous over more than white space: not imported (gloss tags are one span)"
                ));
                continue;
            }
            tags.push((
                id.to_string(),
                IncomingTag {
                    text: Some(chars[start..end].iter().collect()),
                    ..IncomingTag::new(label, start, end)
                },
            ));
        } else if id.starts_with('R') {
            let data = rest.split('\t').next().unwrap_or(rest);
            let mut parts = data.split(' ').filter(|p| !p.is_empty());
            let (Some(label), Some(a), Some(b)) = (parts.next(), parts.next(), parts.next()) else {
                return Err(bad("not ID<tab>TYPE Arg1:T1 Arg2:T2"));
            };
            let arg = |s: &str| {
                s.split_once(':')
                    .map(|(r, t)| (r.to_string(), t.to_string()))
            };
            let (Some((ra, ta)), Some((rb, tb))) = (arg(a), arg(b)) else {
                return Err(bad("not ID<tab>TYPE Arg1:T1 Arg2:T2"));
            };
            // Arg1 is the head, whichever order the arguments come in
            let (head, tail) = if ra == "Arg2" && rb == "Arg1" {
                (tb, ta)
            } else {
                (ta, tb)
            };
            rels.push((id.to_string(), label.to_string(), head, tail, n));
        } else if id.starts_with('N') {
            let data = rest.split('\t').next().unwrap_or(rest);
            let parts: Vec<&str> = data.split(' ').filter(|p| !p.is_empty()).collect();
            match parts.as_slice() {
                [_, target, reference] => match reference.strip_prefix(ID_PREFIX) {
                    Some(e) if valid_id(e) => links.push((target.to_string(), e.to_string())),
                    _ => warnings.push(format!(
                        "{name}:{n}: {id} normalises to {reference}, not to a gloss entity ({ID_PREFIX}ID): not imported"
                    )),
                },
                _ => return Err(bad("not ID<tab>TYPE T1 DB:ID")),
            }
        } else if id.starts_with('#') {
            let (data, note) = rest.split_once('\t').unwrap_or((rest, ""));
            match data.split_once(' ') {
                Some(("AnnotatorNotes", target)) => {
                    notes.push((target.trim().to_string(), note.to_string()))
                }
                _ => warnings.push(format!(
                    "{name}:{n}: {id} is a note of a kind gloss does not read ({}): not imported",
                    crate::text::sanitize_inline(data)
                )),
            }
        } else {
            // events, attributes, modifications, equivalences and the rest: no gloss counterpart
            let kind = match id.chars().next() {
                Some('E') => "an event",
                Some('A') => "an attribute",
                Some('M') => "a modification (an attribute)",
                Some('*') => "an equivalence",
                _ => "a line of a kind brat's standoff does not define",
            };
            warnings.push(format!(
                "{name}:{n}: {} is {kind}, which gloss has no counterpart for: not imported",
                crate::text::sanitize_inline(id)
            ));
        }
    }
    for (target, e) in links {
        if let Some((_, t)) = tags.iter_mut().find(|(id, _)| *id == target) {
            t.carried.entity = Some(e);
        }
    }
    let index = |tid: &str| tags.iter().position(|(id, _)| id == tid);
    let mut relations = Vec::new();
    let mut rel_ids: Vec<String> = Vec::new();
    for (rid, label, head, tail, line) in rels {
        match (index(&head), index(&tail)) {
            (Some(h), Some(t)) => {
                rel_ids.push(rid);
                relations.push(IncomingRelation {
                    id: None,
                    label,
                    head: h,
                    tail: t,
                    annotator: None,
                    review: None,
                });
            }
            _ => warnings.push(format!(
                "{name}:{line}: {rid} joins an annotation that is not imported: not imported"
            )),
        }
    }
    for (target, note) in &notes {
        if let Some(k) = rel_ids.iter().position(|r| r == target)
            && let Some(id) = note.strip_prefix(ID_PREFIX)
        {
            let id = id.split(' ').next().unwrap_or(id);
            relations[k].id = Some(id.to_string()).filter(|i| valid_id(i));
        }
    }
    for (target, note) in notes {
        let Some((_, t)) = tags.iter_mut().find(|(id, _)| *id == target) else {
            continue;
        };
        let (id, rest) = match note.strip_prefix(ID_PREFIX) {
            Some(r) => {
                let (id, rest) = r.split_once(' ').unwrap_or((r, ""));
                (
                    Some(id.to_string()).filter(|i| valid_id(i)),
                    rest.to_string(),
                )
            }
            None => (None, note),
        };
        if id.is_some() {
            t.id = id;
        }
        if !rest.is_empty() {
            t.carried.note = Some(match t.carried.note.take() {
                Some(n) => format!("{n} {rest}"),
                None => rest,
            });
        }
    }
    let rel = document_id(root, &txt);
    Ok(Incoming {
        origin: name,
        id: Some(rel),
        content: Content::Text(text),
        units: Units::Chars,
        units_stated: false,
        tags: tags.into_iter().map(|(_, t)| t).collect(),
        relations,
        status: None,
        comment: None,
        categories: Default::default(),
        time: Default::default(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_splits_at_every_line_break_python_sees() {
        let text = "ab\ncd\r\nef";
        assert_eq!(fragments(text, 0, 9), vec![(0, 2), (3, 5), (7, 9)]);
        assert_eq!(fragments(text, 1, 2), vec![(1, 2)]);
        let text = "a\u{2028}b\u{85}c\td\u{2029}\u{c}e";
        assert_eq!(
            fragments(text, 0, text.chars().count()),
            vec![(0, 1), (2, 3), (4, 7), (9, 10)]
        );
    }

    fn folder(ann: &str) -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        fs::write(d.path().join("a.txt"), "Ông Tô Lâm ký Chỉ thị 24.").unwrap();
        fs::write(d.path().join("a.ann"), ann).unwrap();
        d
    }

    #[test]
    fn overlapping_fragments_are_an_error_naming_the_file_and_line() {
        let d = folder("T1\tPERSON 4 10\tTô Lâm\nT2\tPERSON 0 10;5 8\tx\n");
        let e = read(d.path()).unwrap_err().to_string();
        assert!(e.contains("a.ann") && e.contains(":2"), "{e}");
        assert!(e.contains("T2") && e.contains("overlap"), "{e}");
    }

    #[test]
    fn links_to_folders_are_not_followed() {
        let d = folder("T1\tPERSON 4 10\tTô Lâm\n");
        std::os::unix::fs::symlink(".", d.path().join("loop1")).unwrap();
        std::os::unix::fs::symlink(".", d.path().join("loop2")).unwrap();
        fs::create_dir(d.path().join("sub")).unwrap();
        fs::write(d.path().join("sub/b.txt"), "Bà Mai").unwrap();
        fs::write(d.path().join("sub/b.ann"), "T1\tPERSON 3 6\tMai\n").unwrap();
        let got = read(d.path()).unwrap();
        let ids: Vec<&str> = got.iter().map(|r| r.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["a.txt", "sub/b.txt"]);
    }

    #[test]
    fn lines_gloss_cannot_import_are_named() {
        let d = folder(
            "T1\tPERSON 4 10\tTô Lâm\nE1\tSIGN:T1\nA1\tNegated E1\nM1\tSpeculation E1\n*\tAlias T1 T1\nX1\twhat\n#1\tOtherNote T1\tx\n",
        );
        let got = read(d.path()).unwrap();
        let w = got[0].warnings.join("\n");
        for (line, id) in [(2, "E1"), (3, "A1"), (4, "M1"), (5, "*"), (6, "X1"), (7, "#1")] {
            assert!(w.contains(&format!("a.ann:{line}: {id} ")), "{id}: {w}");
        }
        assert_eq!(got[0].warnings.len(), 6, "{w}");
        assert_eq!(got[0].tags.len(), 1);
    }

    #[test]
    fn an_id_given_twice_is_an_error() {
        let d = folder("T1\tPERSON 4 10\tTô Lâm\nT2\tDIRECTIVE 14 24\tChỉ thị 24\nR1\tISSUES Arg1:T1 Arg2:T2\nR1\tISSUES Arg1:T1 Arg2:T2\n");
        let e = read(d.path()).unwrap_err().to_string();
        assert!(e.contains("a.ann") && e.contains(":4") && e.contains("R1"), "{e}");
    }

    #[test]
    fn a_relation_breaking_its_types_rule_is_left_out_and_named() {
        use crate::annotation::{Annotation, Relation, Status};
        let d = tempfile::tempdir().unwrap();
        let text = "Ông Tô Lâm ký Chỉ thị 24.";
        let lam = Annotation::new("PERSON", 4, 10, "Tô Lâm", "me");
        let ct = Annotation::new("DIRECTIVE", 14, 24, "Chỉ thị 24", "me");
        let good = Relation::new("ISSUES", &lam.id, &ct.id, "me");
        let bad = Relation::new("ISSUES", &ct.id, &lam.id, "me");
        let doc = Record {
            id: "a.txt".into(),
            path: d.path().join("c/a.txt"),
            text: text.into(),
            meta: Default::default(),
            tags: vec![lam, ct],
            relations: vec![good, bad.clone()],
            status: Status::Done,
            comment: None,
            ..Default::default()
        };
        let out = d.path().join("out");
        let mut w = Writer::new(
            out.clone(),
            vec!["PERSON".into(), "DIRECTIVE".into()],
            RelationTypes::default(),
            Registry::empty(d.path().join("entities.ron")),
        );
        let mut warnings = Vec::new();
        w.write(&doc, &mut |m| warnings.push(m)).unwrap();
        w.finish().unwrap();
        let ann = fs::read_to_string(out.join("a.ann")).unwrap();
        assert_eq!(ann.matches("\nR").count(), 1, "{ann}");
        assert!(ann.contains("R1\tISSUES Arg1:T1 Arg2:T2"), "{ann}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(&bad.id), "{warnings:?}");
    }
}
