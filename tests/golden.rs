//! The sidecar format is stable: a known sidecar serializes to the golden file byte for byte, and the
//! golden file parses back to it.

mod common;

use gloss_core::annotation::{AnnotationSet, Relation};
use gloss_core::store::Sidecar;

fn known() -> Sidecar {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/corpus/000_7a10bffd121dacb3.txt"
    ))
    .unwrap();
    // the shared test tag, by alice and edited five minutes after it was made
    let tag = |id: &str, label: &str, needle: &str, note: Option<&str>| {
        let mut t = common::corpus::tag(&text, id, label, needle, 0, note);
        t.annotator = "alice".into();
        t.modified = "2026-11-26T09:05:00Z".into();
        t
    };
    let mut lam = tag(
        "0f1e2d3c4b5a",
        "PERSON",
        "Tô Lâm",
        Some("Bộ trưởng Bộ Công an"),
    );
    lam.entity = Some("person-to-lam".into());
    let mut issues = Relation::new("ISSUES", "0f1e2d3c4b5a", "a1b2c3d4e5f6", "alice");
    issues.id = "9e8d7c6b5a40".into();
    issues.created = "2026-11-26T09:06:00Z".into();
    let tags = AnnotationSet::new(vec![
        tag("a1b2c3d4e5f6", "DIRECTIVE", "chỉ thị số 24", None),
        lam,
    ])
    .with_relations(vec![issues]);
    Sidecar::new(
        std::path::Path::new("corpus/000_7a10bffd121dacb3.txt"),
        &text,
        &tags,
    )
}

#[test]
fn sidecar_matches_golden_file() {
    let golden_path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/sidecar.ron");
    let s = known();
    if std::env::var_os("GLOSS_BLESS").is_some() {
        std::fs::write(golden_path, s.to_ron()).unwrap();
    }
    let golden = std::fs::read_to_string(golden_path).unwrap();
    assert_eq!(
        s.to_ron(),
        golden,
        "run with GLOSS_BLESS=1 to update after a deliberate change"
    );
    assert_eq!(
        Sidecar::parse(std::path::Path::new("sidecar.ron"), &golden).unwrap(),
        s
    );
}
