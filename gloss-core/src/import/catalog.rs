//! Which article of the corpus an incoming record is about: by its id (the article's path below
//! the corpus, with or without `.txt`, or a file name only one article has), else by its text or,
//! for CoNLL, its tokens; two records of one text go to two articles of that text.

use std::collections::HashMap;
use std::path::Path;

use super::{Content, token_key};
use crate::corpus::{Article, PathList};
use crate::export::document_id;

/// The articles of a corpus, found by id, by file name or by text.
pub struct Catalog<'c> {
    root: &'c Path,
    articles: &'c PathList,
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
    /// The catalog of `articles`, the articles of the corpus at `root`.
    pub fn new(root: &'c Path, articles: &'c PathList) -> Self {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, p) in articles.iter().enumerate() {
            by_id.insert(document_id(root, &p), i);
            if let Some(n) = p.file_name() {
                by_name
                    .entry(crate::export::record::id_name(n))
                    .or_default()
                    .push(i);
            }
        }
        Catalog {
            root,
            articles,
            by_id,
            by_name,
            by_text: None,
            by_tokens: None,
            taken: vec![false; articles.len()],
        }
    }

    /// The corpus folder.
    pub fn root(&self) -> &Path {
        self.root
    }

    /// The articles, by position.
    pub fn articles(&self) -> &PathList {
        self.articles
    }

    /// The article a record is about: the one its id names, else the first not yet taken whose
    /// text (or token key) is the record's.
    pub fn find(&mut self, id: Option<&str>, content: &Content) -> Option<usize> {
        id.and_then(|id| self.by_id(id))
            .or_else(|| self.by_content(content))
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
        for (i, p) in self.articles.iter().enumerate() {
            if let Ok(a) = Article::read(&p) {
                texts.entry(hash(&a.text)).or_default().push(i);
                tokens.entry(hash(&token_key(&a.text))).or_default().push(i);
            }
        }
        self.by_text = Some(texts);
        self.by_tokens = Some(tokens);
    }

    /// The first article not yet taken whose text (or token key) is `content`'s.
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
