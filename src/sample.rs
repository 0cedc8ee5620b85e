//! The sample corpus bundled in the binary (from `assets/corpus/`), installed into the data folder so
//! that tagging it never writes into the source tree.

use std::path::{Path, PathBuf};

use gloss_core::error::{Error, Result};

/// The bundled files: name and contents.
pub const FILES: &[(&str, &[u8])] = &[
    (
        "000_7a10bffd121dacb3.txt",
        include_bytes!("../assets/corpus/000_7a10bffd121dacb3.txt"),
    ),
    (
        "binhvq_001.txt",
        include_bytes!("../assets/corpus/binhvq_001.txt"),
    ),
    (
        "binhvq_002.txt",
        include_bytes!("../assets/corpus/binhvq_002.txt"),
    ),
    (
        "binhvq_003.txt",
        include_bytes!("../assets/corpus/binhvq_003.txt"),
    ),
    (
        "binhvq_003_nfd.txt",
        include_bytes!("../assets/corpus/binhvq_003_nfd.txt"),
    ),
    (
        "binhvq_004.txt",
        include_bytes!("../assets/corpus/binhvq_004.txt"),
    ),
    (
        "binhvq_005.txt",
        include_bytes!("../assets/corpus/binhvq_005.txt"),
    ),
    ("NOTICE.md", include_bytes!("../assets/corpus/NOTICE.md")),
    (
        "LICENSE-binhvq",
        include_bytes!("../assets/corpus/LICENSE-binhvq"),
    ),
];

/// Copy the sample corpus into `data/sample-corpus` (files already there are left as they are, so
/// tags survive) and return its path.
pub fn install(data: &Path) -> Result<PathBuf> {
    let dir = data.join("sample-corpus");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    for (name, bytes) in FILES {
        let p = dir.join(name);
        if !p.exists() {
            gloss_core::files::write_atomic(&p, bytes)?;
        }
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    #[test]
    fn installs_once_and_keeps_changes() {
        let d = tempfile::tempdir().unwrap();
        let dir = super::install(d.path()).unwrap();
        let n = gloss_core::corpus::discover(&dir).unwrap().articles.len();
        assert_eq!(n, 7);
        let a = dir.join("binhvq_001.ron");
        std::fs::write(&a, "kept").unwrap();
        super::install(d.path()).unwrap();
        assert_eq!(std::fs::read_to_string(a).unwrap(), "kept");
    }
}
