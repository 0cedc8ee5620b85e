//! Relations: typed, directed links between two tags of one article (who issued which directive,
//! which task went to whom), and the relation types a corpus allows, with the labels each may join.

use serde::{Deserialize, Serialize};

use super::{Annotation, Review, Verdict, new_id, timestamp};

/// One relation: `label` from the tag `head` to the tag `tail` (tag ids of the same article).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// Stable and unique, like a tag's.
    pub id: String,
    /// The relation type, e.g. `ISSUES`.
    pub label: String,
    /// The id of the tag it goes from.
    pub head: String,
    /// The id of the tag it goes to.
    pub tail: String,
    pub annotator: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// A reviewer's verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// A reviewer's comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Relation {
    /// A new relation by `annotator`, stamped now.
    pub fn new(label: &str, head: &str, tail: &str, annotator: &str) -> Relation {
        Relation {
            id: new_id(),
            label: label.to_string(),
            head: head.to_string(),
            tail: tail.to_string(),
            annotator: annotator.to_string(),
            created: timestamp(),
            review: None,
            comment: None,
        }
    }

    /// Does it join the tag `id` (either end)?
    pub fn touches(&self, id: &str) -> bool {
        self.head == id || self.tail == id
    }

    /// The same link (type, head, tail), whoever made it.
    pub fn same_link(&self, other: &Relation) -> bool {
        self.label == other.label && self.head == other.head && self.tail == other.tail
    }

    pub fn is_rejected(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.verdict == Verdict::Rejected)
    }
}

/// A relation type a corpus allows: its name, the key that picks it, and the labels its head and
/// tail may have (any label when a list is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    pub name: String,
    pub key: char,
    #[serde(default)]
    pub head: Vec<String>,
    #[serde(default)]
    pub tail: Vec<String>,
    /// One line saying what it means.
    #[serde(default)]
    pub description: String,
}

impl RelationType {
    /// May it go from a tag of `head` to a tag of `tail`?
    pub fn allows(&self, head: &str, tail: &str) -> bool {
        (self.head.is_empty() || self.head.iter().any(|h| h == head))
            && (self.tail.is_empty() || self.tail.iter().any(|t| t == tail))
    }
}

/// The relation types of a corpus. The defaults, for this domain: ISSUES (PERSON → DIRECTIVE),
/// ASSIGNS (PERSON → TASK), IMPLEMENTS (TASK → DIRECTIVE), ASSIGNEE (TASK → PERSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationTypes {
    pub types: Vec<RelationType>,
}

impl Default for RelationTypes {
    fn default() -> Self {
        let t = |name: &str, key, head: &str, tail: &str, description: &str| RelationType {
            name: name.into(),
            key,
            head: vec![head.into()],
            tail: vec![tail.into()],
            description: description.into(),
        };
        RelationTypes {
            types: vec![
                t(
                    "ISSUES",
                    'i',
                    "PERSON",
                    "DIRECTIVE",
                    "the person issued, signed or chaired the directive",
                ),
                t("ASSIGNS", 'a', "PERSON", "TASK", "the person set the task"),
                t(
                    "IMPLEMENTS",
                    'm',
                    "TASK",
                    "DIRECTIVE",
                    "the task carries out the directive",
                ),
                t(
                    "ASSIGNEE",
                    'e',
                    "TASK",
                    "PERSON",
                    "the task went to the person",
                ),
            ],
        }
    }
}

impl RelationTypes {
    pub fn get(&self, name: &str) -> Option<&RelationType> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The types that may go from a tag of `head` to a tag of `tail`, in order.
    pub fn allowed(&self, head: &str, tail: &str) -> Vec<&RelationType> {
        self.types.iter().filter(|t| t.allows(head, tail)).collect()
    }

    /// Check a relation of type `name` between these two tags; the reason when it may not be.
    pub fn check(&self, name: &str, head: &Annotation, tail: &Annotation) -> Result<(), String> {
        let Some(t) = self.get(name) else {
            return Err(format!("no relation type {name}"));
        };
        if head.id == tail.id {
            return Err("a relation joins two different tags".into());
        }
        if !t.allows(&head.label, &tail.label) {
            return Err(format!(
                "{name} goes from {} to {}, not from {} to {}",
                either(&t.head),
                either(&t.tail),
                head.label,
                tail.label
            ));
        }
        Ok(())
    }

    /// Names and keys unique, names single words.
    pub fn validate(&self) -> Result<(), String> {
        let mut names = std::collections::HashSet::new();
        let mut keys = std::collections::HashSet::new();
        for t in &self.types {
            if !crate::text::display::is_plain_name(&t.name) {
                return Err(format!(
                    "relation type “{}”: a name is one word, without spaces or invisible characters",
                    t.name.escape_debug()
                ));
            }
            if !names.insert(&t.name) {
                return Err(format!("two relation types are named {}", t.name));
            }
            if !keys.insert(t.key) {
                return Err(format!("two relation types use the key {}", t.key));
            }
        }
        Ok(())
    }
}

fn either(labels: &[String]) -> String {
    if labels.is_empty() {
        "any tag".into()
    } else {
        labels.join(" or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_types_check_their_ends() {
        let types = RelationTypes::default();
        types.validate().unwrap();
        let p = Annotation::new("PERSON", 0, 3, "Mai", "a");
        let d = Annotation::new("DIRECTIVE", 5, 9, "CT 24", "a");
        assert!(types.check("ISSUES", &p, &d).is_ok());
        let e = types.check("ISSUES", &d, &p).unwrap_err();
        assert!(e.contains("from PERSON to DIRECTIVE"), "{e}");
        assert!(types.check("ISSUES", &p, &p).is_err());
        assert!(types.check("NOPE", &p, &d).is_err());
        let names: Vec<&str> = types
            .allowed("TASK", "PERSON")
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(names, ["ASSIGNEE"]);
    }
}
