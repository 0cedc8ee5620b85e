//! One writer per format, behind the [`crate::formats::RecordWriter`] trait. Each writes a document at a time, so
//! memory stays flat however large the corpus.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::conll;
use super::record::Record;
use crate::annotation::RelationTypes;
use crate::entity::Registry;
use crate::error::{Error, Result};
use crate::files::write_atomic;
use crate::formats::RecordWriter;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::io(path, e)
}

/// CoNLL-2003 style IOB2.
pub struct Conll<W: Write> {
    pub out: W,
    pub name: PathBuf,
}

impl<W: Write> RecordWriter for Conll<W> {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let (text, dropped) = conll::document(doc);
        for d in dropped {
            warn(format!("{}: {d}", doc.id));
        }
        self.out
            .write_all(text.as_bytes())
            .map_err(io_err(&self.name))
    }

    fn finish(&mut self) -> Result<()> {
        self.out.flush().map_err(io_err(&self.name))
    }
}

/// brat standoff: `<id>.txt` and `<id>.ann` per article in a folder, `annotation.conf` (labels and
/// relation types) and `tools.conf` (the `gloss` normalisation resource of the `N` lines).
pub struct Brat {
    pub dir: PathBuf,
    pub labels: Vec<String>,
    /// The corpus's relation types, for `annotation.conf`.
    pub relations: RelationTypes,
    /// The entity registry, for the canonical names on `N` lines.
    pub registry: Registry,
    /// Relation types written that the corpus does not define (declared in `annotation.conf` too).
    pub seen: std::collections::BTreeSet<String>,
}

impl Brat {
    pub fn new(
        dir: PathBuf,
        labels: Vec<String>,
        relations: RelationTypes,
        registry: Registry,
    ) -> Self {
        Brat {
            dir,
            labels,
            relations,
            registry,
            seen: Default::default(),
        }
    }
}

/// The name of the normalisation resource of gloss's entity links in brat (`N` lines, tools.conf).
pub const BRAT_NORM_DB: &str = "gloss";

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
pub fn brat_fragments(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
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
pub const BRAT_ID_PREFIX: &str = "gloss:";

/// Can `s` stand as one field of a brat line (no white space, nothing a line reader breaks on)?
fn brat_word(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl RecordWriter for Brat {
    fn write(&mut self, doc: &Record, warn: &mut dyn FnMut(String)) -> Result<()> {
        let base = self.dir.join(&doc.id);
        let txt = base.with_extension("txt");
        let ann = base.with_extension("ann");
        if let Some(parent) = txt.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        fs::write(&txt, doc.text.as_bytes()).map_err(io_err(&txt))?;
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
            let frags = brat_fragments(&doc.text, t.start, t.end);
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
                "#{n}\tAnnotatorNotes T{n}\t{BRAT_ID_PREFIX}{}",
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
            if !brat_word(e) {
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
                "N{k}\tReference T{tn} {BRAT_NORM_DB}:{e}\t{}\n",
                one_line(&name)
            ));
        }
        // relations, each with its gloss id in a note
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
            if !brat_word(&r.label) {
                warn(format!(
                    "{}: relation {}: the type {:?} is not one word: left out",
                    doc.id, r.id, r.label
                ));
                continue;
            }
            if self.relations.get(&r.label).is_none() {
                self.seen.insert(r.label.clone());
            }
            k += 1;
            notes += 1;
            out.push_str(&format!("R{k}\t{} Arg1:T{h} Arg2:T{tl}\n", r.label));
            out.push_str(&format!(
                "#{notes}\tAnnotatorNotes R{k}\t{BRAT_ID_PREFIX}{}\n",
                one_line(&r.id)
            ));
        }
        fs::write(&ann, out).map_err(io_err(&ann))
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
            if head.is_empty() || tail.is_empty() || !brat_word(&name) {
                continue;
            }
            conf.push_str(&format!(
                "{name} Arg1:{}, Arg2:{}\n",
                head.join("|"),
                tail.join("|")
            ));
        }
        conf.push_str("\n[events]\n\n[attributes]\n");
        write_atomic(&self.dir.join("annotation.conf"), conf.as_bytes())?;
        let tools = format!(
            "# The entity links of gloss's entities.ron: N lines `Reference T1 {BRAT_NORM_DB}:<entity id>`.\n\
             [normalization]\n{BRAT_NORM_DB}\t<URL>:entities.ron\n"
        );
        write_atomic(&self.dir.join("tools.conf"), tools.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_splits_at_every_line_break_python_sees() {
        let text = "ab\ncd\r\nef";
        assert_eq!(brat_fragments(text, 0, 9), vec![(0, 2), (3, 5), (7, 9)]);
        assert_eq!(brat_fragments(text, 1, 2), vec![(1, 2)]);
        let text = "a\u{2028}b\u{85}c\td\u{2029}\u{c}e";
        assert_eq!(
            brat_fragments(text, 0, text.chars().count()),
            vec![(0, 1), (2, 3), (4, 7), (9, 10)]
        );
    }
}
