//! An annotator's and a reviewer's second afternoon (issue "what a day on real news still trips
//! over"): each friction driven by keys, at 80×24 and 140×40 where layout matters.

mod common;

use common::{Harness, SAMPLE};

fn sample_at(w: u16, h: u16) -> Harness {
    let mut h0 = Harness::sample();
    h0.resize(w, h);
    h0.keys("<enter>");
    h0
}

/// On a long tag, the bar keeps the counts and the position, and cuts the tag's text with `…`;
/// a selection shows its text, not only its length.
#[test]
fn a_long_tag_or_selection_leaves_the_counts_and_shows_its_text_cut() {
    for (w, hh) in [(80, 24), (140, 40)] {
        let mut h = sample_at(w, hh);
        h.keys("/viec nay nham tao<enter><esc>bbbb");
        h.keys("v");
        h.keys(&"e".repeat(14));
        let (bar, _) = h.bottom();
        assert!(bar.contains("selected “Việc này"), "{w}: {bar}");
        assert!(bar.contains("chars"), "{w}: {bar}");
        h.keys("t");
        let (bar, _) = h.bottom();
        let sc = h.sidecar(SAMPLE);
        assert_eq!(sc.tags.len(), 1, "{w}");
        assert!(
            sc.tags[0].text.chars().count() > 60,
            "{:?}",
            sc.tags[0].text
        );
        // the cursor is on the tag: its label and the start of its text, cut
        assert!(bar.contains("on TASK “Việc này"), "{w}: {bar}");
        assert!(bar.contains("…”"), "{w}: {bar}");
        // and the counts stay (long or short form)
        assert!(
            bar.contains("TASK 1") || bar.contains("T1"),
            "{w}: the counts gave way to the tag's text: {bar}"
        );
        assert!(
            bar.contains("line") || bar.contains(':'),
            "{w}: the position gave way: {bar}"
        );
    }
}
