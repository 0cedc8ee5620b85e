//! `gloss import`: tags from jsonl, doccano, brat, CoNLL or csv files into the corpus's sidecars.
//!
//! Two passes, so that a bad file changes nothing: first every record is read, matched to its
//! article (by id or file name, else by its text) and checked against it (the same text, or tokens
//! that align with it; every tag's quoted text); then, if nothing was wrong (or `--keep-going`
//! leaves the wrong records out), the tags are merged into each article's sidecar through the core
//! document, whose rules apply (no second tag of a label on a span, the first tag sets the article
//! in progress), and saved.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::bail;
use clap::Args;

use super::corpus::{Corpus, warn};
use super::progress::Progress;
use gloss_core::annotation::{
    Annotation, ArticleFields, Change, LabelSet, Relation, RelationTypes, Status, new_id,
};
use gloss_core::corpus::{Article, CorpusConfig};
use gloss_core::export::document_id;
use gloss_core::formats::{self, Format, Reads};
use gloss_core::import::{Content, Incoming, token_key};
use gloss_core::store::Document;
use gloss_core::text::offsets::Offsets;
use gloss_core::text::{escape_path, sanitize_inline};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    #[arg(long, short, value_parser = formats::find, help = format_help())]
    pub format: &'static Format,
    /// The files to import (brat: folders of .ann and .txt files, or .ann files).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The name recorded on tags whose file names no annotator (default: config.ron's annotator,
    /// else the login name).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Keep sidecars in this mirror folder (as `gloss --annotations`).
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
    /// Import what can be imported, leaving out (and naming) records that do not match.
    #[arg(long)]
    pub keep_going: bool,
    #[arg(long, value_name = "UNITS", help = offsets_help())]
    pub offsets: Option<Offsets>,
}

/// What `gloss import` does, with the formats it reads.
pub fn about() -> String {
    format!(
        "Import tags (and relations, entity links) from {} files into the corpus's sidecars",
        formats::listed(formats::readable(), "or")
    )
}

fn format_help() -> String {
    formats::listed(formats::readable(), "or")
}

fn offsets_help() -> String {
    format!(
        "{} only: the file's offsets are utf16 code units (the default, as doccano's web interface counts) or codepoint",
        formats::listed(formats::taking_offsets(), "and")
    )
}

/// The articles of the corpus, found by id, by file name or by text.
struct Catalog<'c> {
    corpus: &'c Corpus,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    /// Articles by the hash of their text and of their token key, filled when first needed.
    by_text: Option<HashMap<u64, Vec<usize>>>,
    by_tokens: Option<HashMap<u64, Vec<usize>>>,
    /// Articles already taken by a text match (two records of one text go to two articles).
    taken: Vec<bool>,
}

fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl<'c> Catalog<'c> {
    fn new(corpus: &'c Corpus) -> Self {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in corpus.articles.iter().enumerate() {
            by_id.insert(document_id(&corpus.root, &p), i);
            if let Some(n) = p.file_name() {
                by_name
                    .entry(n.to_string_lossy().into_owned())
                    .or_default()
                    .push(i);
            }
        }
        Catalog {
            corpus,
            by_id,
            by_name,
            by_text: None,
            by_tokens: None,
            taken: vec![false; corpus.articles.len()],
        }
    }

    /// The article a record names: its id as a path below the corpus (with or without `.txt`),
    /// else a file name that only one article has.
    fn by_id(&self, id: &str) -> Option<usize> {
        let id = id.trim_start_matches("./");
        if let Some(&i) = self.by_id.get(id) {
            return Some(i);
        }
        if let Some(&i) = self.by_id.get(&format!("{id}.txt")) {
            return Some(i);
        }
        let name = id.rsplit('/').next().unwrap_or(id);
        for n in [name.to_string(), format!("{name}.txt")] {
            if let Some([i]) = self.by_name.get(&n).map(Vec::as_slice) {
                return Some(*i);
            }
        }
        None
    }

    /// Read every article once to index it by text.
    fn index_texts(&mut self) {
        if self.by_text.is_some() {
            return;
        }
        let (mut texts, mut tokens): (HashMap<u64, Vec<usize>>, HashMap<u64, Vec<usize>>) =
            Default::default();
        for (i, p) in self.corpus.articles.iter().enumerate() {
            if let Ok(a) = Article::read(&p) {
                texts.entry(hash(&a.text)).or_default().push(i);
                tokens.entry(hash(&token_key(&a.text))).or_default().push(i);
            }
        }
        self.by_text = Some(texts);
        self.by_tokens = Some(tokens);
    }

    /// The first article not yet taken whose text (or token key) hashes to `h`.
    fn by_content(&mut self, content: &Content) -> Option<usize> {
        self.index_texts();
        let (map, key) = match content {
            Content::Text(t) => (self.by_text.as_ref()?, hash(t)),
            Content::Tokens(toks) => (self.by_tokens.as_ref()?, hash(&token_key(&toks.concat()))),
            Content::Unknown => return None,
        };
        let candidates = map.get(&key)?;
        let i = candidates
            .iter()
            .copied()
            .find(|&i| !self.taken[i])
            .or(candidates.first().copied())?;
        self.taken[i] = true;
        Some(i)
    }
}

/// What is to be added to one article.
#[derive(Default)]
struct Plan {
    tags: Vec<Annotation>,
    /// Relations between `tags`, by the tags' planned ids.
    relations: Vec<Relation>,
    status: Option<Status>,
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    corpus.report_problems(true)?;
    let offsets = args
        .format
        .offsets_given(args.offsets)
        .map_err(anyhow::Error::msg)?;
    if let Reads::ExportOnly(why) = args.format.reads {
        bail!("the {} format is for export only ({why})", args.format);
    }
    let config = CorpusConfig::load(&corpus.root)?;
    let (labels, types) = (config.labels, config.relations);
    let annotator = match &args.annotator {
        Some(a) => a.clone(),
        None => {
            let dirs = gloss_core::settings::Dirs::from_env();
            gloss_core::settings::UserConfig::load(&dirs.config_file())?
                .annotator
                .unwrap_or_else(gloss_core::settings::login_name)
        }
    };

    // First pass: read, match and check everything; nothing is written.
    let mut catalog = Catalog::new(&corpus);
    let mut plans: BTreeMap<usize, Plan> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut records = 0usize;
    for file in &args.files {
        let incoming = match args.format.read(file, offsets) {
            Ok(r) => r,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        for rec in incoming {
            records += 1;
            for w in &rec.warnings {
                warn(w);
            }
            match plan_record(&rec, &mut catalog, &labels, &types, &annotator) {
                Ok((i, tags, relations)) => {
                    let plan = plans.entry(i).or_default();
                    plan.tags.extend(tags);
                    plan.relations.extend(relations);
                    if rec.status.is_some() {
                        plan.status = rec.status;
                    }
                }
                Err(e) => problems.push(e),
            }
        }
    }
    const SHOWN: usize = 50;
    for p in problems.iter().take(SHOWN) {
        warn(p);
    }
    if problems.len() > SHOWN {
        warn(&format!("… and {} more", problems.len() - SHOWN));
    }
    if !problems.is_empty() && !args.keep_going {
        bail!(
            "nothing imported: {} problem(s) (--keep-going imports the rest)",
            problems.len()
        );
    }

    // Second pass: merge into each sidecar through the document.
    let mut added: BTreeMap<String, usize> = BTreeMap::new();
    let (mut already, mut written, mut failed, mut related) = (0usize, 0usize, 0usize, 0usize);
    let mut progress = Progress::new("importing", plans.len());
    for (i, plan) in plans {
        progress.tick();
        let path = &corpus.articles.path(i);
        match apply(&corpus, path, plan) {
            Ok((by_label, same, saved, rels)) => {
                for (l, n) in by_label {
                    *added.entry(l).or_default() += n;
                }
                related += rels;
                already += same;
                written += usize::from(saved);
            }
            Err(e) => {
                progress.clear();
                warn(&e);
                failed += 1;
            }
        }
    }
    progress.clear();
    let total: usize = added.values().sum();
    let matched = records - problems.len();
    println!(
        "{matched} of {records} record(s) matched; {total} tag(s) added, {already} already there; {related} relation(s) added; {written} sidecar(s) written"
    );
    for (l, n) in &added {
        println!("  {:<16}{n:>8}", sanitize_inline(l));
    }
    if !problems.is_empty() {
        println!(
            "{} record(s) or file(s) left out (see above)",
            problems.len()
        );
    }
    if failed > 0 {
        bail!("{failed} sidecar(s) could not be written (see above)");
    }
    Ok(())
}

/// Match `rec` to its article and make its tags; `Err` names the record, the article and what is
/// wrong.
fn plan_record(
    rec: &Incoming,
    catalog: &mut Catalog,
    labels: &LabelSet,
    types: &RelationTypes,
    annotator: &str,
) -> Result<(usize, Vec<Annotation>, Vec<Relation>), String> {
    let corpus = catalog.corpus;
    let what = match &rec.id {
        Some(id) => format!("{}: record “{}”", rec.origin, sanitize_inline(id)),
        None => format!("{}: record", rec.origin),
    };
    let found = rec
        .id
        .as_deref()
        .and_then(|id| catalog.by_id(id))
        .or_else(|| catalog.by_content(&rec.content));
    let Some(i) = found else {
        return Err(format!(
            "{what} matches no article of {} (by id, file name or text)",
            escape_path(&corpus.root)
        ));
    };
    let path = &corpus.articles.path(i);
    let article = Article::read(path).map_err(|e| format!("{what}: {e}"))?;
    if article.lossy {
        return Err(format!(
            "{what}: the article {} is not valid UTF-8",
            escape_path(path)
        ));
    }
    let resolved = rec
        .resolve(&article.text)
        .map_err(|e| format!("{what} and the article {}: {e}", escape_path(path)))?;
    // fresh ids in file order, so that tags on one span keep the file's order
    let mut fresh: Vec<String> = (0..resolved.len()).map(|_| new_id()).collect();
    fresh.sort_unstable();
    let mut tags = Vec::with_capacity(resolved.len());
    for (r, fresh_id) in resolved.into_iter().zip(fresh) {
        let t = r.tag;
        let Some(label) = labels.find(&t.label) else {
            let known: Vec<&str> = labels.names().collect();
            return Err(format!(
                "{what}: the label “{}” is not one of this corpus's ({}; gloss.ron defines them)",
                sanitize_inline(&t.label),
                known.join(", ")
            ));
        };
        let text: String = article
            .text
            .chars()
            .skip(r.start)
            .take(r.end - r.start)
            .collect();
        tags.push(r.to_annotation(&label.name, &text, annotator, fresh_id));
    }
    // two tags of the record with one id would make its relations ambiguous: the copies get new ids
    let mut seen = std::collections::HashSet::new();
    for t in &mut tags {
        if !seen.insert(t.id.clone()) {
            t.id = new_id();
        }
    }
    let mut relations = Vec::with_capacity(rec.relations.len());
    // fresh relation ids in file order too (relations are kept sorted by id)
    let mut fresh: Vec<String> = (0..rec.relations.len()).map(|_| new_id()).collect();
    fresh.sort_unstable();
    for (k, (r, fresh_id)) in rec.relations.iter().zip(fresh).enumerate() {
        let (head, tail) = (&tags[r.head], &tags[r.tail]);
        // a relation gloss.ron does not allow is said and left out; its tags are imported
        if let Err(e) = types.check(&r.label, head, tail) {
            warn(&format!(
                "{what}: relation {} ({} from “{}” to “{}”) not imported: {e} (gloss.ron defines the relation types)",
                k + 1,
                sanitize_inline(&r.label),
                sanitize_inline(&head.text),
                sanitize_inline(&tail.text)
            ));
            continue;
        }
        let mut rel = Relation::new(
            &r.label,
            &head.id,
            &tail.id,
            r.annotator.as_deref().unwrap_or(annotator),
        );
        rel.id = r.id.clone().unwrap_or(fresh_id);
        rel.review = r.review.clone();
        relations.push(rel);
    }
    Ok((i, tags, relations))
}

/// Merge `plan` into the sidecar of `path`: the tags added per label, how many were there already,
/// whether the sidecar was written, and the relations added.
fn apply(
    corpus: &Corpus,
    path: &Path,
    plan: Plan,
) -> Result<(BTreeMap<String, usize>, usize, bool, usize), String> {
    let mut doc = Document::open(&corpus.dirs, path).map_err(|e| e.to_string())?;
    if let Some(e) = doc.sidecar_error() {
        return Err(format!("{e} (not imported into it)"));
    }
    if let Some(why) = doc.read_only() {
        return Err(format!("{}: {why} (not imported)", escape_path(path)));
    }
    let status_before = doc.status();
    let mut adds = Vec::with_capacity(plan.tags.len());
    let mut same = 0;
    // each planned tag's id → (label, start, end), to find the tag it became
    let mut planned: HashMap<String, (String, usize, usize)> = HashMap::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    for mut t in plan.tags {
        planned.insert(t.id.clone(), (t.label.clone(), t.start, t.end));
        if let Some(there) = doc.annotations().get(&t.id) {
            if (there.label.as_str(), there.start, there.end) == (t.label.as_str(), t.start, t.end)
            {
                same += 1;
                continue;
            }
            let fresh = new_id(); // another tag has this id: the new one gets its own
            renamed.insert(std::mem::replace(&mut t.id, fresh.clone()), fresh);
        }
        adds.push(Change::Add(t));
    }
    let tried = adds.len();
    let done = doc.edit(adds);
    let mut by_label: BTreeMap<String, usize> = BTreeMap::new();
    for c in &done {
        if let Change::Add(t) = c {
            *by_label.entry(t.label.clone()).or_default() += 1;
        }
    }
    same += tried - by_label.values().sum::<usize>();
    // relations, between the tags the planned ones became (added now or there already)
    let became = |id: &str| -> Option<String> {
        let actual = renamed.get(id).map_or(id, String::as_str);
        if doc.annotations().get(actual).is_some() {
            return Some(actual.to_string());
        }
        // left out as a second tag of a label on a span: the relation goes to the one there
        let (label, start, end) = planned.get(id)?;
        doc.annotations()
            .find_same(label, *start, *end)
            .map(|t| t.id.clone())
    };
    let mut rel_adds = Vec::new();
    for mut r in plan.relations {
        let (Some(head), Some(tail)) = (became(&r.head), became(&r.tail)) else {
            continue;
        };
        r.head = head;
        r.tail = tail;
        if let Some(there) = doc.annotations().relation(&r.id) {
            if there.same_link(&r) {
                continue;
            }
            r.id = new_id();
        }
        rel_adds.push(Change::add_relation(r));
    }
    let related = doc.edit(rel_adds).len();
    // the file's status, for an article nobody had touched here
    if let Some(s) = plan.status
        && status_before == Status::New
        && doc.status() != s
    {
        let before = doc.annotations().article.clone();
        let after = ArticleFields {
            status: s,
            ..before.clone()
        };
        doc.edit(vec![Change::Article { before, after }]);
    }
    let saved = doc.save_if_changed().map_err(|e| e.to_string())?.is_some();
    Ok((by_label, same, saved, related))
}
