//! Labels: what a tag says a span is. The defaults are PERSON, DIRECTIVE and TASK; a corpus may
//! define its own in `gloss.ron` at its root.

use serde::{Deserialize, Serialize};

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
    /// Texts that are tagged with it, as the guide would show them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// Texts that look like it and are not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counter_examples: Vec<String>,
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
            examples: Vec::new(),
            counter_examples: Vec::new(),
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

impl LabelSet {
    /// Check that names are single words and names and keys are unique.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if self.labels.is_empty() {
            return Err("defines no labels".into());
        }
        for (i, l) in self.labels.iter().enumerate() {
            if !crate::text::display::is_plain_name(&l.name) {
                return Err(format!(
                    "label {:?}: a name is one word, without spaces or invisible characters",
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

    /// The label a user means by `name`: this name exactly, else the one name equal to it but for
    /// case (`person` is `PERSON`, as the TUI's `has:person` filter reads it).
    pub fn find(&self, name: &str) -> Option<&Label> {
        self.get(name).or_else(|| {
            let lower = name.to_lowercase();
            let mut same = self
                .labels
                .iter()
                .filter(|l| l.name.to_lowercase() == lower);
            match (same.next(), same.next()) {
                (Some(l), None) => Some(l),
                _ => None,
            }
        })
    }

    /// The labels a user named (`--labels person,TASK`), by their names in this set; `Err` names
    /// the first unknown one and lists the known ones.
    pub fn resolve(&self, names: &[String]) -> std::result::Result<Vec<String>, String> {
        names
            .iter()
            .map(|n| {
                self.find(n).map(|l| l.name.clone()).ok_or_else(|| {
                    let known: Vec<&str> = self.names().collect();
                    format!("unknown label {n:?} (this corpus has {})", known.join(", "))
                })
            })
            .collect()
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.labels.iter().position(|l| l.name == name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(|l| l.name.as_str())
    }
}
