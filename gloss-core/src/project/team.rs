//! Where a project's figures are read from: one folder of sidecars (beside the articles, or a
//! mirror tree), or, in a team's corpus (`annotator_trees` in `gloss.ron`), each annotator's own
//! tree; and who the corpus's assignment gives each article to. `gloss stats` and the dashboard
//! count an article's part through the same [`Team::figures_of`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::ArticleFigures;
use crate::agreement::AgreementTally;
use crate::annotation::{Annotation, AnnotationSet, Status};
use crate::assignment::Assignment;
use crate::corpus::CorpusConfig;
use crate::corpus::config::annotator_tree_checked;
use crate::export::document_id;
use crate::store::{Document, Sidecar, SidecarDirs};

/// The sidecars a project's figures come from, and its assignment.
#[derive(Debug, Clone)]
pub struct Team {
    root: PathBuf,
    /// One folder (no name: its sidecars hold everyone's tags), or each annotator's tree.
    sources: Vec<(Option<String>, SidecarDirs)>,
    assignment: Option<Assignment>,
}

impl Team {
    /// The figures of the sidecars in `dirs` alone.
    pub fn single(dirs: SidecarDirs, assignment: Option<Assignment>) -> Team {
        Team {
            root: dirs.root.clone(),
            sources: vec![(None, dirs)],
            assignment,
        }
    }

    /// The corpus at `root` as its settings lay it out: with `annotator_trees` (and no mirror
    /// folder asked for, `dirs` then being the corpus's own), every annotator's tree found there;
    /// otherwise the sidecars of `dirs`. The assignment is read if there is one; an unreadable
    /// `gloss.ron`, `assignment.ron` or trees folder is an error naming it.
    pub fn open(dirs: &SidecarDirs) -> crate::Result<Team> {
        Team::with_assignment(dirs, Assignment::load(&dirs.root)?)
    }

    /// As [`Team::open`], with the assignment given (read already, or none).
    pub fn with_assignment(
        dirs: &SidecarDirs,
        assignment: Option<Assignment>,
    ) -> crate::Result<Team> {
        let root = dirs.root.clone();
        let config = CorpusConfig::load(&root)?;
        let Some(trees) = config
            .annotator_trees
            .filter(|_| dirs.annotations.is_none())
        else {
            return Ok(Team::single(dirs.clone(), assignment));
        };
        let folder = root.join(&trees);
        let mut names = Vec::new();
        match std::fs::read_dir(&folder) {
            Ok(entries) => {
                for e in entries {
                    let e = e.map_err(|e| crate::error::Error::io(&folder, e))?;
                    if e.file_type().is_ok_and(|t| t.is_dir()) {
                        names.push(e.file_name().to_string_lossy().into_owned());
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(crate::error::Error::io(&folder, e)),
        }
        names.sort();
        let mut sources = Vec::new();
        for name in names {
            let tree = annotator_tree_checked(&root, &trees, &name)?;
            sources.push((Some(name), SidecarDirs::new(&root, Some(&tree))));
        }
        Ok(Team {
            root,
            sources,
            assignment,
        })
    }

    /// Does every annotator keep a tree of their own?
    pub fn has_trees(&self) -> bool {
        self.sources.iter().any(|(name, _)| name.is_some())
    }

    /// Each annotator's name and tree, in name order (none unless [`Team::has_trees`]).
    pub fn trees(&self) -> impl Iterator<Item = (&str, &SidecarDirs)> {
        self.sources
            .iter()
            .filter_map(|(n, d)| Some((n.as_deref()?, d)))
    }

    pub fn assignment(&self) -> Option<&Assignment> {
        self.assignment.as_ref()
    }

    /// Who the assignment gives the article at `path` to.
    pub fn assigned_to(&self, path: &Path) -> Vec<String> {
        self.assignment
            .as_ref()
            .and_then(|a| a.articles.get(&document_id(&self.root, path)))
            .cloned()
            .unwrap_or_default()
    }

    /// The article at `path`'s part of the figures; `Ok(None)` when nobody has a sidecar of it
    /// and nobody is assigned it. An unreadable sidecar is an error naming it.
    pub fn figures_of(&self, path: &Path) -> crate::Result<Option<ArticleFigures>> {
        let assigned = self.assigned_to(path);
        if !self.has_trees() {
            let (_, dirs) = &self.sources[0];
            let part = Sidecar::load(&dirs.sidecar_of(path))?
                .map(|sc| ArticleFigures::of_set(&sc.annotation_set()));
            return Ok(match part {
                Some(f) => Some(ArticleFigures { assigned, ..f }),
                None if !assigned.is_empty() => Some(ArticleFigures {
                    assigned,
                    ..ArticleFigures::default()
                }),
                None => None,
            });
        }
        let there: Vec<(&str, &SidecarDirs)> = self
            .sources
            .iter()
            .filter(|(_, d)| d.sidecar_of(path).exists())
            .map(|(n, d)| (n.as_deref().unwrap_or_default(), d))
            .collect();
        if there.is_empty() && assigned.is_empty() {
            return Ok(None);
        }
        // the tags are compared where two or more tagged it, and the assignment shares it
        let compare = (there.len() >= 2 && self.assignment.is_none()) || assigned.len() >= 2;
        let mut sets: Vec<(String, AnnotationSet)> = Vec::new();
        let mut text = None;
        for (name, dirs) in &there {
            if compare {
                let doc = Document::open_checked(dirs, path)?;
                text.get_or_insert_with(|| doc.text().to_string());
                sets.push((name.to_string(), doc.annotations().clone()));
            } else if let Some(sc) = Sidecar::load(&dirs.sidecar_of(path))? {
                sets.push((name.to_string(), sc.annotation_set()));
            }
        }
        Ok(Some(team_part(&sets, assigned, text.as_deref())))
    }
}

/// An article's part from each annotator's set of it (`text` given: their tags are compared).
fn team_part(
    sets: &[(String, AnnotationSet)],
    assigned: Vec<String>,
    text: Option<&str>,
) -> ArticleFigures {
    let mut f = ArticleFigures::default();
    for (name, set) in sets {
        let own = ArticleFigures::of_set(set);
        for (k, n) in own.tags {
            *f.tags.entry(k).or_default() += n;
        }
        for (day, n) in own.tags_by_day {
            *f.tags_by_day.entry(day).or_default() += n;
        }
        for (cat, values) in own.categories {
            let mine = f.categories.entry(cat).or_default();
            for v in values {
                if !mine.contains(&v) {
                    mine.push(v);
                }
            }
        }
        for (who, day, secs) in own.time.entries() {
            f.time.add(who, day, secs);
        }
        f.own_status.insert(name.clone(), own.status);
    }
    for v in f.categories.values_mut() {
        v.sort();
    }
    // the least advanced status: of every annotator assigned (one without a sidecar has not
    // begun), or without an assignment of everyone who has a sidecar
    let statuses: Vec<Status> = if assigned.is_empty() {
        f.own_status.values().copied().collect()
    } else {
        assigned
            .iter()
            .map(|a| f.own_status.get(a).copied().unwrap_or(Status::New))
            .collect()
    };
    f.status = statuses
        .into_iter()
        .min_by_key(|s| progress(*s))
        .unwrap_or_default();
    if let Some(text) = text {
        let live: BTreeMap<&str, Vec<Annotation>> = sets
            .iter()
            .map(|(n, s)| (n.as_str(), s.live_tags().cloned().collect()))
            .collect();
        let given: Vec<(&str, &[Annotation])> =
            live.iter().map(|(n, t)| (*n, t.as_slice())).collect();
        f.agreement = Some(AgreementTally::of_article(text, &given));
    }
    f.assigned = assigned;
    f
}

/// How far along a status is, for "the least advanced".
fn progress(s: Status) -> u8 {
    match s {
        Status::New => 0,
        Status::InProgress => 1,
        Status::NeedsWork => 2,
        Status::Done => 3,
        Status::Reviewed => 4,
    }
}
