//! Labels: what a tag says a span is. The defaults are PERSON, DIRECTIVE and TASK; a corpus may
//! define its own in `gloss.ron` at its root.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// The name stored in sidecars and exports, e.g. `PERSON`.
    pub name: String,
    /// The key that applies it.
    pub key: char,
    /// A colour name (`red`, `light-blue`…) or `#rrggbb`.
    pub color: String,
    /// One line saying what it is for.
    #[serde(default)]
    pub description: String,
}

/// The labels of a corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSet {
    pub labels: Vec<Label>,
}

impl Default for LabelSet {
    fn default() -> Self {
        let label = |name: &str, key, color: &str, description: &str| Label {
            name: name.into(),
            key,
            color: color.into(),
            description: description.into(),
        };
        LabelSet {
            labels: vec![
                label(
                    "PERSON",
                    'p',
                    "cyan",
                    "A person named in the text (Tô Lâm, bà Trương Thị Mai)",
                ),
                label(
                    "DIRECTIVE",
                    'd',
                    "yellow",
                    "A directive: chỉ thị, nghị quyết, kết luận, quyết định, công điện…",
                ),
                label(
                    "TASK",
                    't',
                    "magenta",
                    "A task set out: nhiệm vụ, đề nghị, yêu cầu…",
                ),
            ],
        }
    }
}

/// The corpus settings file, `gloss.ron` at the corpus root.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CorpusConfig {
    pub labels: Option<Vec<Label>>,
    /// Suggestion patterns; the built-ins when absent.
    pub patterns: Option<Vec<crate::suggest::Pattern>>,
}

/// File name of the corpus settings.
pub const CORPUS_CONFIG: &str = "gloss.ron";

impl LabelSet {
    /// The labels defined in `root/gloss.ron`, or the defaults when there is none.
    pub fn for_corpus(root: &Path) -> Result<LabelSet> {
        Ok(CorpusConfig::load(root)?.0)
    }
}

impl CorpusConfig {
    /// The labels and suggestion patterns of the corpus at `root` (from `gloss.ron`, else the
    /// defaults).
    pub fn load(root: &Path) -> Result<(LabelSet, Vec<crate::suggest::Pattern>)> {
        let path = root.join(CORPUS_CONFIG);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((LabelSet::default(), crate::suggest::builtin_patterns()));
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let config: CorpusConfig = ron::from_str(&text).map_err(|e| Error::ron(&path, e))?;
        let set = match config.labels {
            None => LabelSet::default(),
            Some(labels) => {
                let set = LabelSet { labels };
                set.validate().map_err(|m| Error::invalid(&path, m))?;
                set
            }
        };
        let patterns = config
            .patterns
            .unwrap_or_else(crate::suggest::builtin_patterns);
        crate::suggest::Suggester::new(&patterns).map_err(|m| Error::invalid(&path, m))?;
        Ok((set, patterns))
    }
}

impl LabelSet {
    fn validate(&self) -> std::result::Result<(), String> {
        if self.labels.is_empty() {
            return Err("defines no labels".into());
        }
        for (i, l) in self.labels.iter().enumerate() {
            if l.name.is_empty() || l.name.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(format!(
                    "label {:?}: a name is one word without spaces",
                    l.name
                ));
            }
            if self.labels[..i].iter().any(|o| o.name == l.name) {
                return Err(format!("label {:?} is defined twice", l.name));
            }
            if self.labels[..i].iter().any(|o| o.key == l.key) {
                return Err(format!("key {:?} is given to two labels", l.key));
            }
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(|l| l.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_labels_load_and_validate() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            LabelSet::for_corpus(dir.path()).unwrap(),
            LabelSet::default()
        );
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            r#"(labels: Some([(name: "ORG", key: 'o', color: "green", description: "An organisation")]))"#,
        )
        .unwrap();
        let set = LabelSet::for_corpus(dir.path()).unwrap();
        assert_eq!(set.labels.len(), 1);
        assert_eq!(set.labels[0].name, "ORG");
        std::fs::write(
            dir.path().join(CORPUS_CONFIG),
            "(labels: Some([(name: 3)]))",
        )
        .unwrap();
        let err = LabelSet::for_corpus(dir.path()).unwrap_err().to_string();
        assert!(err.contains("gloss.ron:1:"), "{err}");
    }
}
