//! Several annotators on one corpus: each annotator's sidecars in a tree of their own.

mod common;

use common::{Harness, SAMPLE};

#[test]
fn each_annotator_tags_into_a_tree_of_their_own() {
    let mut h = Harness::with_corpus(|tmp| {
        let c = common::sample_corpus(tmp);
        std::fs::write(
            c.join("gloss.ron"),
            r#"(annotator_trees: Some("annotations"))"#,
        )
        .unwrap();
        c
    });
    assert!(h.screen().contains("tester's tags"), "{}", h.screen());
    h.keys("<enter>/to lam<enter>p");
    let mine = h
        .corpus
        .join("annotations/tester")
        .join(SAMPLE)
        .with_extension("ron");
    let sc = gloss::store::Sidecar::load(&mine).unwrap().unwrap();
    assert_eq!(sc.tags[0].text, "Tô Lâm");
    assert!(
        !h.sidecar_path(SAMPLE).exists(),
        "nothing beside the article"
    );
    // another annotator sees none of it, and writes their own
    let dirs = common::dirs_in(&h.corpus.join("..").join("lan"));
    let mut lan = gloss::tui::App::new(
        gloss::tui::Options {
            root: h.corpus.clone(),
            annotations: None,
            annotator: Some("lan".into()),
            dirs,
        },
        ratatui::layout::Rect::new(0, 0, 120, 36),
    )
    .unwrap();
    lan.finish_scan();
    use gloss::tui::action::Action;
    lan.dispatch(Action::OpenSelected);
    assert!(lan.state.reader.as_ref().unwrap().tags().is_empty());
    lan.dispatch(Action::ApplyLabel("PERSON".into()));
    let theirs = h
        .corpus
        .join("annotations/lan")
        .join(SAMPLE)
        .with_extension("ron");
    assert_eq!(
        gloss::store::Sidecar::load(&theirs)
            .unwrap()
            .unwrap()
            .tags
            .len(),
        1
    );
    assert_eq!(
        gloss::store::Sidecar::load(&mine)
            .unwrap()
            .unwrap()
            .tags
            .len(),
        1
    );
}
