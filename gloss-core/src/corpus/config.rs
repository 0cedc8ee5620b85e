//! The corpus settings, `gloss.ron` at the corpus root: its labels, relation types, anchoring and
//! suggestion patterns. The patterns are read and checked as data ([`super::patterns`]); compiling
//! them is `suggest`'s, a layer above, which this module does not use.

use std::path::Path;

use serde::Deserialize;

use super::patterns::{self, Pattern, builtin_patterns};
use crate::annotation::{Label, LabelSet, RelationType, RelationTypes};
use crate::error::{Error, Result};

/// File name of the corpus settings.
pub const CORPUS_CONFIG: &str = "gloss.ron";

/// What a selection or a tag's span snaps to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Anchoring {
    /// Whole tokens (syllables and punctuation marks, the CoNLL export's tokens): a span that starts
    /// or ends inside a syllable grows to the whole syllable. The default.
    #[default]
    Tokens,
    /// Exact characters (whole graphemes), for corpora whose tags must cut words.
    Characters,
}

/// `gloss.ron` as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ConfigFile {
    labels: Option<Vec<Label>>,
    /// Relation types; the defaults (ISSUES, ASSIGNS, IMPLEMENTS, ASSIGNEE) when absent.
    relations: Option<Vec<RelationType>>,
    anchoring: Anchoring,
    annotator_trees: Option<String>,
    /// Suggestion patterns; the built-ins when absent.
    patterns: Option<Vec<Pattern>>,
    /// Article labels: categories an article is put in.
    categories: Vec<Category>,
    /// The annotation guide (Markdown), relative to the corpus root; `GUIDE.md` when absent.
    guide: Option<String>,
}

/// A category of article labels (`topic`: politics, economy…), one value or several an article.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Category {
    /// One word, as stored in sidecars and exports.
    pub name: String,
    /// The values it may take, one word each.
    pub values: Vec<String>,
    /// Several values an article (else one).
    #[serde(default)]
    pub multi: bool,
}

impl Category {
    /// Choose `value` for an article's labels, or drop it if chosen: for a single choice the
    /// value replaces the one there. `false` if it is not one of this category's values.
    pub fn toggle(&self, labels: &mut crate::annotation::Categories, value: &str) -> bool {
        if !self.values.iter().any(|v| v == value) {
            return false;
        }
        let chosen = labels.entry(self.name.clone()).or_default();
        if let Some(k) = chosen.iter().position(|v| v == value) {
            chosen.remove(k);
        } else if self.multi {
            chosen.push(value.to_string());
            chosen.sort();
        } else {
            *chosen = vec![value.to_string()];
        }
        if chosen.is_empty() {
            labels.remove(&self.name);
        }
        true
    }
}

/// The guide's file name when `gloss.ron` names none.
pub const DEFAULT_GUIDE: &str = "GUIDE.md";

/// The settings of a corpus, checked.
#[derive(Debug, Clone)]
pub struct CorpusConfig {
    pub labels: LabelSet,
    /// The relation types tags may be joined by.
    pub relations: RelationTypes,
    pub patterns: Vec<Pattern>,
    /// What tags made in the TUI snap to.
    pub anchoring: Anchoring,
    /// For a team: a folder (relative to the corpus root) holding one sidecar tree per annotator,
    /// `<folder>/<annotator>/…`, so nobody overwrites anyone.
    pub annotator_trees: Option<String>,
    /// Article labels' categories.
    pub categories: Vec<Category>,
    /// The annotation guide's path, relative to the root (checked to stay inside it).
    pub guide: String,
}

/// Check the categories: plain names and values, none twice.
fn check_categories(categories: &[Category]) -> std::result::Result<(), String> {
    use crate::text::display::is_plain_name;
    for (i, c) in categories.iter().enumerate() {
        let plain = |s: &str| is_plain_name(s) && !s.contains(['=', ';', ',', ':']);
        if !plain(&c.name) {
            return Err(format!(
                "category {:?}: a name is one word, without spaces, invisible characters or = ; , :",
                crate::text::sanitize_inline(&c.name)
            ));
        }
        if categories[..i].iter().any(|o| o.name == c.name) {
            return Err(format!("category {} is defined twice", c.name));
        }
        if c.values.is_empty() {
            return Err(format!("category {} has no values", c.name));
        }
        for (k, v) in c.values.iter().enumerate() {
            if !plain(v) {
                return Err(format!(
                    "category {}: the value {:?} is not one word without spaces, invisible characters or = ; , :",
                    c.name,
                    crate::text::sanitize_inline(v)
                ));
            }
            if c.values[..k].contains(v) {
                return Err(format!("category {}: {v} is given twice", c.name));
            }
        }
    }
    Ok(())
}

/// The sidecar tree of `annotator` in a team corpus whose trees are under `trees`.
/// `annotator_trees` must name a folder inside the corpus: a relative path, down only.
fn check_inside(trees: &str) -> std::result::Result<(), String> {
    use std::path::Component;
    let p = Path::new(trees);
    let down = !trees.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if down && !trees.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(format!(
            "annotator_trees {:?} is not a folder inside the corpus (a relative path without ..): a corpus's settings never send its sidecars elsewhere",
            crate::text::sanitize_inline(trees)
        ))
    }
}

/// The tree of `annotator`'s sidecars in the corpus at `root`: `root/trees/name`, checked to be
/// inside the corpus once links are followed (a link in the corpus to a folder elsewhere is
/// refused, naming it).
pub fn annotator_tree_checked(
    root: &Path,
    trees: &str,
    annotator: &str,
) -> Result<std::path::PathBuf> {
    check_inside(trees).map_err(|m| Error::invalid(&root.join(CORPUS_CONFIG), m))?;
    let tree = annotator_tree(root, trees, annotator);
    // the deepest part of the path that is there, with its links followed
    let mut there = tree.as_path();
    while !there.exists() {
        match there.parent() {
            Some(p) => there = p,
            None => break,
        }
    }
    let inside = match (there.canonicalize(), root.canonicalize()) {
        (Ok(t), Ok(r)) => t.starts_with(&r),
        _ => false,
    };
    if inside {
        Ok(tree)
    } else {
        Err(Error::invalid(
            &tree,
            "leads out of the corpus (through a link): the annotator's sidecars are not kept there",
        ))
    }
}

/// The tree of `annotator`'s sidecars, unchecked (see [`annotator_tree_checked`]).
pub fn annotator_tree(root: &Path, trees: &str, annotator: &str) -> std::path::PathBuf {
    // the name as a single path component, whatever it holds
    let name: String = annotator
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = if name.is_empty() || name == "." || name == ".." {
        "_".to_string()
    } else {
        name
    };
    root.join(trees).join(name)
}

impl Default for CorpusConfig {
    fn default() -> Self {
        CorpusConfig {
            labels: LabelSet::default(),
            relations: RelationTypes::default(),
            patterns: builtin_patterns(),
            anchoring: Anchoring::default(),
            annotator_trees: None,
            categories: Vec::new(),
            guide: DEFAULT_GUIDE.to_string(),
        }
    }
}

/// Largest `gloss.ron` gloss reads, in bytes (patterns with long word lists fit many times over).
pub const MAX_CONFIG_BYTES: u64 = 8 * 1024 * 1024;

impl CorpusConfig {
    /// The settings of the corpus at `root` (from `gloss.ron`, else the defaults); errors name the
    /// file and the problem.
    pub fn load(root: &Path) -> Result<CorpusConfig> {
        let path = root.join(CORPUS_CONFIG);
        let Some(text) = crate::files::read_text(&path, MAX_CONFIG_BYTES, "a corpus's gloss.ron")?
        else {
            return Ok(CorpusConfig::default());
        };
        let file: ConfigFile = ron::from_str(&text).map_err(|e| Error::ron(&path, e))?;
        let labels = match file.labels {
            None => LabelSet::default(),
            Some(labels) => {
                let set = LabelSet { labels };
                set.validate().map_err(|m| Error::invalid(&path, m))?;
                set
            }
        };
        let relations = match file.relations {
            None => RelationTypes::default(),
            Some(types) => {
                let set = RelationTypes { types };
                set.validate().map_err(|m| Error::invalid(&path, m))?;
                for t in &set.types {
                    for l in t.head.iter().chain(&t.tail) {
                        if labels.get(l).is_none() {
                            return Err(Error::invalid(
                                &path,
                                format!(
                                    "relation type {} names the label {l}, which is not one of the corpus's",
                                    t.name
                                ),
                            ));
                        }
                    }
                }
                set
            }
        };
        let patterns = file.patterns.unwrap_or_else(builtin_patterns);
        patterns::check(&patterns).map_err(|m| Error::invalid(&path, m))?;
        if let Some(trees) = &file.annotator_trees {
            check_inside(trees).map_err(|m| Error::invalid(&path, m))?;
        }
        check_categories(&file.categories).map_err(|m| Error::invalid(&path, m))?;
        let guide = file.guide.unwrap_or_else(|| DEFAULT_GUIDE.to_string());
        check_inside(&guide).map_err(|_| {
            Error::invalid(
                &path,
                format!(
                    "guide {:?} is not a file inside the corpus (a relative path without ..)",
                    crate::text::sanitize_inline(&guide)
                ),
            )
        })?;
        Ok(CorpusConfig {
            labels,
            relations,
            patterns,
            anchoring: file.anchoring,
            annotator_trees: file.annotator_trees,
            categories: file.categories,
            guide,
        })
    }
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn annotator_trees_stay_inside_the_corpus() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("c");
        std::fs::create_dir_all(&root).unwrap();
        for bad in ["/tmp/x", "../elsewhere", "a/../../b", ""] {
            std::fs::write(
                root.join(CORPUS_CONFIG),
                format!("(annotator_trees: Some({bad:?}))"),
            )
            .unwrap();
            let e = CorpusConfig::load(&root).unwrap_err().to_string();
            assert!(
                e.contains("gloss.ron") && e.contains("inside the corpus"),
                "{bad}: {e}"
            );
        }
        std::fs::write(
            root.join(CORPUS_CONFIG),
            "(annotator_trees: Some(\"annotations\"))",
        )
        .unwrap();
        let c = CorpusConfig::load(&root).unwrap();
        let trees = c.annotator_trees.unwrap();
        assert_eq!(
            annotator_tree_checked(&root, &trees, "lan").unwrap(),
            root.join("annotations/lan")
        );
        // a link in the corpus to a folder outside it
        let outside = d.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("annotations")).unwrap();
        let e = annotator_tree_checked(&root, &trees, "lan")
            .unwrap_err()
            .to_string();
        assert!(e.contains("leads out of the corpus"), "{e}");
    }

    use super::*;

    #[test]
    fn corpus_labels_load_and_validate() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            CorpusConfig::load(dir.path()).unwrap().labels,
            LabelSet::default()
        );
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            r#"(labels: Some([(name: "ORG", key: 'o', color: "green", description: "An organisation")]))"#,
        )
        .unwrap();
        let set = CorpusConfig::load(dir.path()).unwrap().labels;
        assert_eq!(set.labels.len(), 1);
        assert_eq!(set.labels[0].name, "ORG");
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            "(labels: Some([(name: 3)]))",
        )
        .unwrap();
        let err = CorpusConfig::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("gloss.ron:1:"), "{err}");
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            r#"(labels: Some([(name: "A", key: 'a', color: "red"), (name: "B", key: 'a', color: "red")]))"#,
        )
        .unwrap();
        let err = CorpusConfig::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("gloss.ron") && err.contains("two labels"),
            "{err}"
        );
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            r#"(relations: Some([(name: "CHAIRS", key: 'c', head: ["PERSON"], tail: ["EVENT"])]))"#,
        )
        .unwrap();
        let err = CorpusConfig::load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("gloss.ron") && err.contains("EVENT"), "{err}");
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            r#"(relations: Some([(name: "CHAIRS", key: 'c', head: ["PERSON"], tail: [])]))"#,
        )
        .unwrap();
        let types = CorpusConfig::load(dir.path()).unwrap().relations;
        assert_eq!(types.types.len(), 1);
        assert!(types.types[0].allows("PERSON", "TASK"));
        assert_eq!(
            CorpusConfig::default().relations.types.len(),
            4,
            "the domain's defaults"
        );
    }

    #[test]
    fn patterns_that_do_not_compile_name_the_file_and_the_pattern() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            CorpusConfig::load(dir.path()).unwrap().patterns,
            builtin_patterns()
        );
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            r#"(patterns: Some([Regex(label: "DIRECTIVE", regex: "số (\\d+")]))"#,
        )
        .unwrap();
        let err = CorpusConfig::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("gloss.ron") && err.contains("pattern 1:"),
            "{err}"
        );
    }
}
