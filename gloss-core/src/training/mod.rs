//! The corpus's model: trained on the tags of the corpus's finished articles ([`set`]), or taken
//! from the cache beside the metadata cache while those tags are unchanged ([`cache`]). This is the
//! caller's side of the model: it reads sidecars through the store, which the model
//! ([`crate::suggest::model`], a pure function of a training set) knows nothing of.

pub mod cache;
pub mod set;

use std::io;
use std::path::{Path, PathBuf};

use crate::corpus::patterns::Pattern;
use crate::store::SidecarDirs;
use crate::suggest::Lexicon;
use crate::suggest::model::{Model, TrainOptions};

pub use set::{MAX_TRAINING_ARTICLES, TrainingSet};

/// The corpus's model: the cached one at `cache` if it was trained on the same tags, else trained
/// now (and cached). `articles` are those that may be finished (the set reads only those); `None`
/// when there is nothing to learn from.
pub fn load_or_train(
    dirs: &SidecarDirs,
    articles: &[PathBuf],
    patterns: &[Pattern],
    cache: Option<&Path>,
) -> io::Result<Option<Model>> {
    let set = TrainingSet::of_corpus(dirs, articles, patterns, MAX_TRAINING_ARTICLES);
    if set.articles.is_empty() {
        return Ok(None);
    }
    if let Some(m) = cache.and_then(|c| cache::load(c, &set.fingerprint)) {
        return Ok(Some(m));
    }
    let model = Model::train(
        &set.articles,
        &Lexicon::from_patterns(patterns),
        &TrainOptions::default(),
    )?;
    if let (Some(m), Some(c)) = (&model, cache) {
        // a cache that cannot be written is only slower next time
        let _ = cache::save(c, &set.fingerprint, m);
    }
    Ok(model)
}
