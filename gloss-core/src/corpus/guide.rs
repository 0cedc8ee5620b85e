//! The annotation guide: the corpus's guide file (Markdown, `GUIDE.md` at the root unless
//! `gloss.ron` names another), after a section per label made from `gloss.ron`'s descriptions,
//! examples and counter-examples, so that a corpus without a guide file still has one. Read as
//! lines made safe to show (no control characters), with its headings, so that a reader can open
//! it at the section of a label.

use std::path::{Path, PathBuf};

use crate::annotation::{Label, LabelSet};
use crate::error::Result;
use crate::text::fold::fold_str;
use crate::text::sanitize_inline;

/// Largest guide file gloss reads, in bytes.
pub const MAX_GUIDE_BYTES: u64 = 4 * 1024 * 1024;

/// A heading of the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Its line.
    pub line: usize,
    /// 1 for `#`, 2 for `##`…
    pub level: usize,
    pub title: String,
}

/// The guide, as lines to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guide {
    /// The guide file, when there is one.
    pub file: Option<PathBuf>,
    pub lines: Vec<String>,
    pub headings: Vec<Heading>,
    /// Where the guide file's own lines begin (after the labels' sections).
    pub file_starts: usize,
}

impl Guide {
    /// The guide of the corpus at `root`: the labels' sections, then its guide file if there is
    /// one (an unreadable one is an error naming it).
    /// `guide` is the guide file's path below the root (`CorpusConfig::guide`).
    pub fn load(root: &Path, labels: &LabelSet, guide: &str) -> Result<Guide> {
        let path = root.join(guide);
        let text = crate::files::read_text(&path, MAX_GUIDE_BYTES, "a guide")?;
        Ok(Guide::new(labels, text.as_deref().map(|t| (path, t))))
    }

    /// The labels' sections, then `file`'s text (its path and text) if given.
    pub fn new(labels: &LabelSet, file: Option<(PathBuf, &str)>) -> Guide {
        let mut g = Guide::default();
        g.push("# Labels");
        g.push("");
        for l in &labels.labels {
            g.label_section(l);
        }
        g.file_starts = g.lines.len();
        if let Some((path, text)) = file {
            for line in text.lines() {
                g.push(line);
            }
            g.file = Some(path);
        }
        g
    }

    fn label_section(&mut self, l: &Label) {
        self.push(&format!("## {} (key {})", l.name, l.key));
        if !l.description.is_empty() {
            self.push(&l.description);
        }
        if !l.examples.is_empty() {
            self.push("Examples:");
            for e in &l.examples {
                self.push(&format!("  + {e}"));
            }
        }
        if !l.counter_examples.is_empty() {
            self.push("Not this label:");
            for e in &l.counter_examples {
                self.push(&format!("  - {e}"));
            }
        }
        self.push("");
    }

    fn push(&mut self, line: &str) {
        let line = sanitize_inline(line);
        if let Some(level) = heading_level(&line) {
            self.headings.push(Heading {
                line: self.lines.len(),
                level,
                title: line[level..].trim().to_string(),
            });
        }
        self.lines.push(line);
    }

    /// The line where the section of the label named `label` begins: the guide file's first
    /// heading that names it (as a word, whatever the case or accents), else its section from
    /// `gloss.ron`.
    pub fn section_of(&self, label: &str) -> Option<usize> {
        let want = fold_str(label);
        let names = |h: &&Heading| {
            fold_str(&h.title)
                .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
                .any(|w| w == want)
        };
        let in_file = self
            .headings
            .iter()
            .filter(|h| h.line >= self.file_starts)
            .find(names);
        in_file
            .or_else(|| {
                self.headings
                    .iter()
                    .filter(|h| h.line < self.file_starts && h.level == 2)
                    .find(names)
            })
            .map(|h| h.line)
    }

    /// The rule of a label in one line, for a reviewer's bar: its description in `gloss.ron`, else
    /// the first line of its section in the guide file.
    pub fn rule_of(&self, label: &Label) -> Option<String> {
        if !label.description.is_empty() {
            return Some(label.description.clone());
        }
        let at = self.section_of(&label.name)?;
        self.lines[at + 1..]
            .iter()
            .take_while(|l| heading_level(l).is_none())
            .find(|l| !l.trim().is_empty())
            .cloned()
    }
}

/// `#` to `######` then a space: a Markdown heading's level.
fn heading_level(line: &str) -> Option<usize> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    ((1..=6).contains(&level) && line[level..].starts_with(' ')).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# Our guide\n\nIntro.\n\n## Người (PERSON)\nTag the name, not the title.\n\n## Chỉ thị — DIRECTIVE\nThe whole name.\n";

    #[test]
    fn a_label_s_section_is_the_guide_file_s_heading_that_names_it() {
        let labels = LabelSet::default();
        let g = Guide::new(&labels, Some(("GUIDE.md".into(), FILE)));
        let person = g.section_of("PERSON").unwrap();
        assert_eq!(g.lines[person], "## Người (PERSON)");
        assert_eq!(
            g.lines[g.section_of("directive").unwrap()],
            "## Chỉ thị — DIRECTIVE"
        );
        // no heading of the file names TASK: its section from gloss.ron
        let task = g.section_of("TASK").unwrap();
        assert!(task < g.file_starts);
        assert_eq!(g.lines[task], "## TASK (key t)");
        assert_eq!(g.section_of("PLACE"), None);
    }

    #[test]
    fn without_a_file_the_labels_examples_make_the_guide_and_lines_are_safe() {
        let mut labels = LabelSet::default();
        labels.labels[0].examples = vec!["Tô Lâm".into()];
        labels.labels[0].counter_examples = vec!["Tổng Bí thư\u{1b}[31m".into()];
        let g = Guide::new(&labels, None);
        let text = g.lines.join("\n");
        assert!(text.contains("  + Tô Lâm"), "{text}");
        assert!(text.contains("  - Tổng Bí thư"), "{text}");
        assert!(!text.contains('\u{1b}'));
        assert_eq!(g.file_starts, g.lines.len());
        assert_eq!(
            g.rule_of(&labels.labels[1]).as_deref(),
            Some(labels.labels[1].description.as_str())
        );
    }
}
