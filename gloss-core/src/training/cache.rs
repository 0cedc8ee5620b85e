//! The cached model of a corpus: one file beside the metadata cache, its training set's fingerprint
//! on the first line, the SHA-256 of the model's bytes on the second, then the bytes
//! ([`Model::to_bytes`]). A cache is a help, never trusted: one that is not a regular file, is too
//! large, damaged (its checksum does not match) or does not parse is no model, and is trained
//! again.

use std::path::{Path, PathBuf};

use crate::suggest::model::Model;

/// The cached model of the corpus at `root` (with its sidecars in `annotations`, if elsewhere),
/// beside the metadata cache in `cache_dir`.
pub fn path(cache_dir: &Path, root: &Path, annotations: Option<&Path>) -> PathBuf {
    let scan = crate::store::scan::cache_path(cache_dir, root, annotations);
    scan.with_file_name(
        scan.file_name()
            .map(|n| n.to_string_lossy().replacen("scan-", "model-", 1))
            .unwrap_or_default(),
    )
    .with_extension("crf")
}

/// The cached model at `path` if it was trained on the set of this `fingerprint`.
pub fn load(path: &Path, fingerprint: &str) -> Option<Model> {
    let bytes = crate::files::read_limited(path, MAX_MODEL_BYTES, "a cached model")
        .ok()??
        .bytes;
    let mut lines = bytes.splitn(3, |b| *b == b'\n');
    let (head, sum, body) = (lines.next()?, lines.next()?, lines.next()?);
    if head != fingerprint.as_bytes() || sum != crate::store::sha256_hex_bytes(body).as_bytes() {
        return None;
    }
    Model::from_bytes(body)
}

/// Largest cached model gloss reads, in bytes.
pub const MAX_MODEL_BYTES: u64 = 512 * 1024 * 1024;

/// Cache `model`, trained on the set of this `fingerprint`, at `path` (atomically).
pub fn save(path: &Path, fingerprint: &str, model: &Model) -> crate::Result<()> {
    let body = model.to_bytes();
    let mut bytes = fingerprint.as_bytes().to_vec();
    bytes.push(b'\n');
    bytes.extend(crate::store::sha256_hex_bytes(&body).as_bytes());
    bytes.push(b'\n');
    bytes.extend(body);
    crate::files::write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::patterns::builtin_patterns;
    use crate::suggest::Lexicon;
    use crate::suggest::model::{TrainOptions, TrainingArticle};

    #[test]
    fn a_cached_model_is_taken_only_for_its_own_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        let file = path(&dir.path().join("cache"), &root, None);
        let scan = crate::store::scan::cache_path(&dir.path().join("cache"), &root, None);
        assert_eq!(file.parent(), scan.parent(), "beside the metadata cache");
        assert_ne!(file, scan);
        let articles: Vec<TrainingArticle> = ["Tô Lâm", "Lê Minh", "Vũ Đam"]
            .iter()
            .map(|n| {
                let text = format!("Hôm qua ông {n} đến thăm.");
                let b = text.find(n).unwrap();
                TrainingArticle {
                    tags: vec![("PERSON".into(), b..b + n.len())],
                    text,
                }
            })
            .collect();
        let lex = Lexicon::from_patterns(&builtin_patterns());
        let model = Model::train(&articles, &lex, &TrainOptions::default())
            .unwrap()
            .unwrap();
        assert!(load(&file, "abc").is_none(), "nothing cached yet");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        save(&file, "abc", &model).unwrap();
        let back = load(&file, "abc").expect("the same fingerprint");
        assert_eq!(back.labels(), model.labels());
        let text = "Sáng nay ông Đỗ Hùng đến thăm.";
        assert_eq!(back.tag(text, &lex), model.tag(text, &lex));
        assert!(load(&file, "abd").is_none(), "another training set");
    }
}
