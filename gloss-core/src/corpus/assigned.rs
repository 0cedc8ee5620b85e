//! Who each article of the list is assigned to, by position: what the list filter's
//! `assigned:NAME` and `assigned:me` terms look up. Made from the corpus's assignment file
//! ([`ASSIGNMENT_FILE`], read and written by [`crate::assignment`]) by whoever opens the list.

use std::collections::BTreeMap;

use crate::text::fold::fold_str;

/// File name of a corpus's assignment (at its root).
pub const ASSIGNMENT_FILE: &str = "assignment.ron";

/// The word of the filter term `assigned:me`: the annotator the list is opened for.
pub const ME: &str = "me";

/// The positions of the list each annotator is assigned, and who `assigned:me` names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assigned {
    /// The annotator `assigned:me` stands for (folded), if the list is opened for one.
    me: Option<String>,
    /// Folded annotator name → the positions assigned to them, sorted.
    positions: BTreeMap<String, Vec<usize>>,
}

impl Assigned {
    /// From (annotator, position) pairs, `me` the annotator the list is opened for.
    pub fn new(me: Option<&str>, pairs: impl IntoIterator<Item = (String, usize)>) -> Assigned {
        let mut positions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (name, i) in pairs {
            positions.entry(fold_str(&name)).or_default().push(i);
        }
        for p in positions.values_mut() {
            p.sort_unstable();
            p.dedup();
        }
        Assigned {
            me: me.map(fold_str),
            positions,
        }
    }

    /// The positions assigned to `name` (folded, as a filter term holds it; `me`: the list's
    /// annotator), sorted.
    pub fn of(&self, name: &str) -> &[usize] {
        let name = if name == ME {
            match &self.me {
                Some(me) => me.as_str(),
                None => return &[],
            }
        } else {
            name
        };
        self.positions.get(name).map_or(&[], Vec::as_slice)
    }

    /// Does the assignment name the list's annotator?
    pub fn names_me(&self) -> bool {
        !self.of(ME).is_empty()
    }

    /// Is article `i` assigned to each of `names` (folded filter terms)?
    pub fn keeps(&self, names: &[String], i: usize) -> bool {
        names.iter().all(|n| self.of(n).binary_search(&i).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_folded_and_me_is_the_list_s_annotator() {
        let a = Assigned::new(
            Some("Lan"),
            [
                ("Lan".to_string(), 3),
                ("lan".to_string(), 1),
                ("Bình".to_string(), 1),
            ],
        );
        assert_eq!(a.of("lan"), [1, 3]);
        assert_eq!(a.of(ME), [1, 3]);
        assert_eq!(a.of("binh"), [1]);
        assert!(a.keeps(&["me".into(), "binh".into()], 1));
        assert!(!a.keeps(&["me".into(), "binh".into()], 3));
        assert!(a.names_me());
        let nobody = Assigned::new(None, [("Lan".to_string(), 3)]);
        assert!(!nobody.names_me());
        assert!(!nobody.keeps(&["me".into()], 3));
    }
}
