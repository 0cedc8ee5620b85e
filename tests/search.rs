//! `gloss search` end to end: on a corpus of the bundled sample articles (NFC and NFD), capitals,
//! `đ`, invalid bytes and folders, it prints exactly what the plain decode-and-fold reference finds,
//! article after article in list order.

use std::path::Path;
use std::process::Command;

use gloss_core::corpus::search::hits_at;
use gloss_core::text::fold::Folded;

/// `path:line:context` of every hit of `query` in the articles below `root`, the plain way.
fn reference(root: &Path, query: &str) -> String {
    let found = gloss_core::corpus::discover(root).unwrap();
    let mut out = String::new();
    for i in 0..found.articles.len() {
        let bytes = std::fs::read(found.articles.path(i)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let ranges = Folded::new(&text).find_all(&text, query);
        for h in hits_at(&text, ranges) {
            let name = gloss_core::text::escape_path(found.articles.rel(i));
            out.push_str(&format!("{name}:{}:{}\n", h.line, h.context));
        }
    }
    out
}

#[test]
fn search_prints_what_decode_and_fold_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("c");
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/corpus");
    for (k, e) in std::fs::read_dir(assets).unwrap().flatten().enumerate() {
        let name = e.file_name();
        if !name.to_string_lossy().ends_with(".txt") {
            continue;
        }
        let dir = root.join(format!("{:02}", k % 3));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(e.path(), dir.join(&name)).unwrap();
    }
    std::fs::write(
        root.join("00/caps.txt"),
        "ĐÀ NẴNG và Đà Nẵng, HẢI PHÒNG\nda nang\r\nDa\u{300} Na\u{302}\u{303}ng\n\
         Nhiệm vụ, NHIỆM VỤ, nhie\u{323}\u{302}m vu\u{323}; Côn Đảo, CO\u{302}N ĐẢO, côn dảo\n\
         Nguyễn Văn ñ, ǹguyễn văn, Nguyễn\u{301} Văn 😀 côn\u{301} đảo\n",
    )
    .unwrap();
    std::fs::write(
        root.join("01/bad.txt"),
        b"Hai \xff Ph\xc3ng\nH\xe1\xba\xa3i Ph\xc3\xb2ng \xe1\xba\n",
    )
    .unwrap();
    let data = tmp.path().join("data");
    for query in [
        "Đà Nẵng",
        "da nang",
        "HẢI PHÒNG",
        "to lam",
        "nguồn tin",
        "ng",
        "Phòng",
        // queries with a literal to look for before folding (`m v`, `n v`, `n d`)
        "nhiệm vụ",
        "Nguyễn Văn",
        "Côn Đảo",
        "M V",
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["search", root.to_str().unwrap(), query])
            .env("GLOSS_DATA_DIR", &data)
            .env("GLOSS_CACHE_DIR", data.join("cache"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got = String::from_utf8(out.stdout).unwrap();
        let want = reference(&root, query);
        assert!(!want.is_empty(), "{query}");
        assert_eq!(got, want, "{query}");
    }
}
