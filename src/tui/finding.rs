//! Finding: search in the article and stepping through its hits, and opening what the results list
//! points at.

use super::action::Action;
use super::effect::Effect;
use super::state::{Search, State};
use gloss_core::text::fold::Folded;
use gloss_core::text::sanitize_inline;

pub(super) fn open(entry: usize) -> Effect {
    Effect::Open {
        entry,
        cursor: None,
        then: None,
    }
}

/// Enter on a result: a hit opens its article with the hit selected; a tag-index row lists its
/// occurrences.
pub(super) fn open_result(state: &mut State) -> Vec<Effect> {
    let Some(res) = state.results.as_mut() else {
        return vec![];
    };
    let Some(item) = res.items.get(res.selected).cloned() else {
        return vec![];
    };
    if !item.occurrences.is_empty() {
        let items = item
            .occurrences
            .iter()
            .map(|(entry, chars)| super::state::ResultItem {
                entry: *entry,
                chars: chars.clone(),
                line: format!(
                    "{}  @{}..{}",
                    state.articles.name(*entry),
                    chars.start,
                    chars.end
                ),
                occurrences: Vec::new(),
                tagged: None,
            })
            .collect();
        state.results = Some(super::state::Results {
            title: format!(
                "Occurrences of {}",
                item.line.split("  ×").next().unwrap_or("")
            ),
            items,
            ..Default::default()
        });
        // the app reads the articles to show each occurrence in its line
        return vec![Effect::ShowContext];
    }
    vec![Effect::Open {
        entry: item.entry,
        cursor: Some(item.chars.start),
        then: Some(Action::SelectChars {
            start: item.chars.start,
            end: item.chars.end,
        }),
    }]
}

pub(super) fn search(state: &mut State, query: &str) {
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let hits = if state.exact {
        if query.is_empty() {
            Vec::new()
        } else {
            r.doc
                .text()
                .match_indices(query)
                .map(|(b, m)| b..b + m.len())
                .collect()
        }
    } else {
        let folded = r.folded.get_or_insert_with(|| Folded::new(r.doc.text()));
        folded.find_all(r.doc.text(), query)
    };
    let n = hits.len();
    r.search = Some(Search {
        query: query.to_string(),
        hits,
        current: None,
    });
    if n == 0 {
        state.info(format!("no match for “{}”", sanitize_inline(query)));
        return;
    }
    step_hit(state, true);
}

pub(super) fn step_hit(state: &mut State, forward: bool) {
    let h = state.text_height();
    let Some(r) = state.reader.as_mut() else {
        return;
    };
    let Some(search) = r.search.as_mut() else {
        state.info("no search: press / in the reader");
        return;
    };
    if search.hits.is_empty() {
        return;
    }
    let n = search.hits.len();
    // From the hit still selected, else from the cursor.
    let selected = r.anchor.map(|a| a.min(r.cursor));
    let from = selected.unwrap_or(r.cursor);
    let at = search
        .current
        .filter(|&c| selected == Some(search.hits[c].start))
        .map(|c| search.hits[c].start);
    let i = match (at, forward) {
        (Some(_), true) => (search.current.unwrap_or(0) + 1) % n,
        (Some(_), false) => (search.current.unwrap_or(0) + n - 1) % n,
        (None, true) => search
            .hits
            .iter()
            .position(|h| h.start > from || (search.current.is_none() && h.start == from))
            .unwrap_or(0),
        (None, false) => search
            .hits
            .iter()
            .rposition(|h| h.start < from)
            .unwrap_or(n - 1),
    };
    search.current = Some(i);
    let hit = search.hits[i].clone();
    // Select the hit from its start, the cursor on its last character: a label key tags it, and a
    // motion extends it from its end, as in vim's visual mode.
    r.select(hit.clone());
    r.reveal(hit, h);
    state.info(format!("hit {} of {n}", i + 1));
}
