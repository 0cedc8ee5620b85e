//! What background work found, taken into the state: the metadata scan's summaries (and, when it
//! ends, the gazetteer's texts and the start of learning), corpus search hits and the tag index
//! streaming into the results list, the results' context lines, and the model learnt.

use gloss_core::corpus::search::{Hit, SearchEvent};
use gloss_core::store::scan::ScanEvent;
use gloss_core::store::tag_index::IndexEvent;
use gloss_core::text::sanitize_inline;

use super::effect::Effect;
use super::state::{IndexOrder, ResultItem, State};

/// A result as the list shows it: the hit in its line first (what matters, and what a narrow pane
/// keeps), then where it is.
pub(super) fn result_line(h: &Hit, name: &str) -> String {
    match &h.tagged {
        // a tag holds it already: its label first, so the eye sees what is left to do
        Some(label) => format!(
            "✓{}  {}  · {name}:{}",
            sanitize_inline(label),
            h.context,
            h.line
        ),
        None => format!("{}  · {name}:{}", h.context, h.line),
    }
}

/// Add tagged texts (label, text) to the gazetteer; `true` if it grew (the suggestions are then
/// found again).
pub(super) fn learn_texts(
    state: &mut State,
    tags: impl IntoIterator<Item = (String, String)>,
) -> bool {
    let before = state.gazetteer.len();
    state.gazetteer.extend(tags);
    if state.gazetteer.len() == before {
        return false;
    }
    std::sync::Arc::make_mut(&mut state.suggester).set_gazetteer(state.gazetteer.iter().cloned());
    if let Some(r) = state.reader.as_mut() {
        r.suggested_for = None;
    }
    true
}

/// Learn the model from the corpus's finished articles (the scan said which they are): while the
/// scan runs, learning waits for its end; while it learns, it learns again after.
pub(super) fn start_learning(state: &mut State) -> Vec<Effect> {
    if state.learning {
        state.learn_again = true;
        return vec![];
    }
    if state.scanning() {
        return vec![];
    }
    state.learn_again = false;
    state.learning = true;
    vec![Effect::Learn]
}

/// The model learnt (or why not).
pub(super) fn learnt(
    state: &mut State,
    result: Result<Option<gloss_core::suggest::model::Model>, String>,
) -> Vec<Effect> {
    state.learning = false;
    match result {
        Ok(model) => {
            std::sync::Arc::make_mut(&mut state.suggester)
                .set_model(model.map(std::sync::Arc::new));
            if let Some(r) = state.reader.as_mut() {
                r.suggested_for = None;
            }
        }
        Err(e) => state.error(format!("the model could not learn: {e}")),
    }
    if state.learn_again {
        return start_learning(state);
    }
    vec![]
}

/// What the metadata scan found.
pub(super) fn scanned(state: &mut State, events: Vec<ScanEvent>) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut done = false;
    let mut changed = false;
    for ev in events {
        match ev {
            ScanEvent::Summaries(batch) => {
                changed = true;
                let n = batch.len();
                for (i, s) in batch {
                    if !state.touched.contains(&i) {
                        state.articles.set_summary(i, s);
                    }
                }
                if let Some((d, _)) = state.scan.as_mut() {
                    *d += n;
                }
            }
            ScanEvent::Tagged(t) => state.tagged.extend(t),
            ScanEvent::Done { .. } => {
                changed = true;
                done = true;
                state.scan = None;
                // the list's buffers in order now, so that the first keystroke in the filter is
                // quick
                state.articles.settle();
                // the gazetteer (every text tagged in the corpus) came with the scan
                let tagged = std::mem::take(&mut state.tagged);
                learn_texts(state, tagged);
                // the model learns from the articles the scan found reviewed or done
                effects.extend(start_learning(state));
            }
            ScanEvent::Saved => {}
        }
    }
    if !changed {
        return effects;
    }
    // An active filter may depend on metadata: apply it again as summaries arrive, but at most
    // twice a second (it walks the whole list), and once more at the end.
    let due = state
        .last_refilter
        .is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(500));
    if !state.list.filter.is_empty() && (done || due) {
        state.apply_filter();
        state.last_refilter = Some(std::time::Instant::now());
    }
    effects
}

/// What the corpus search found.
pub(super) fn searched(state: &mut State, events: Vec<SearchEvent>) -> Vec<Effect> {
    for ev in events {
        searched_one(state, ev);
    }
    vec![]
}

fn searched_one(state: &mut State, ev: SearchEvent) {
    match ev {
        SearchEvent::Hits { hits, .. } => {
            for (entry, found) in hits {
                let name = state.articles.name(entry).into_owned();
                if let Some(res) = state.results.as_mut() {
                    for h in found {
                        let item = ResultItem {
                            entry,
                            line: result_line(&h, &name),
                            chars: h.chars,
                            occurrences: Vec::new(),
                            tagged: h.tagged,
                        };
                        if !(res.untagged_only && item.tagged.is_some()) {
                            res.items.push(item.clone());
                        }
                        res.hits.push(item);
                    }
                }
            }
        }
        SearchEvent::Done { .. } => {
            if let Some(res) = state.results.as_mut() {
                res.running = false;
            }
        }
    }
}

/// What the tag index found.
pub(super) fn indexed(state: &mut State, events: Vec<IndexEvent>) -> Vec<Effect> {
    let Some(groups) = state.index.as_mut() else {
        return vec![];
    };
    let mut done = false;
    for ev in events {
        match ev {
            IndexEvent::Tags { entry, tags } => {
                let labels = &state.labels;
                // grouped by entity, a directive by its normalised identifier
                groups.add_with(entry, tags, |l| labels.index_of(l), Some(&state.entities));
            }
            IndexEvent::Done => done = true,
        }
    }
    if done && let Some(res) = state.results.as_mut() {
        res.running = false;
    }
    show_index(state);
    vec![]
}

/// The tag index's rows as the order and the filter say: by label, then in Vietnamese alphabetical
/// order or most occurrences first; only the texts the filter's words are in (accents and case
/// aside).
pub(super) fn show_index(state: &mut State) {
    let (Some(res), Some(groups)) = (state.results.as_mut(), state.index.as_ref()) else {
        return;
    };
    let entities = &state.entities;
    let filter = gloss_core::text::text_key(&state.index_filter);
    let words: Vec<&str> = filter.split_whitespace().collect();
    let mut rows: Vec<(usize, &str, &gloss_core::store::tag_index::TagGroup)> = groups
        .iter()
        .enumerate()
        .map(|(i, (label, g))| (i, label, g))
        .filter(|(_, _, g)| {
            let key = gloss_core::text::text_key(&index_name(entities, g));
            words.iter().all(|w| key.contains(w))
        })
        .collect();
    // the groups come by label (then by key): keep the labels' order, sort within each
    let label_rank = |l: &str| state.labels.index_of(l).unwrap_or(usize::MAX);
    match state.index_order {
        IndexOrder::Alphabetical => rows.sort_by_cached_key(|(_, l, g)| {
            (
                label_rank(l),
                gloss_core::text::collate::sort_key(&index_name(entities, g)),
            )
        }),
        IndexOrder::Count => rows
            .sort_by_key(|(i, l, g)| (label_rank(l), std::cmp::Reverse(g.occurrences.len()), *i)),
    }
    res.items = rows
        .into_iter()
        .map(|(_, label, g)| ResultItem {
            entry: g.occurrences[0].0,
            chars: g.occurrences[0].1.clone(),
            line: format!(
                "{label:<10} {}  ×{} in {} article(s){}",
                sanitize_inline(&index_name(entities, g)),
                g.occurrences.len(),
                g.articles(),
                match g.forms.len() {
                    1 => String::new(),
                    n => format!(" · written {n} ways"),
                }
            ),
            occurrences: g.occurrences.clone(),
            tagged: None,
        })
        .collect();
    let order = match state.index_order {
        IndexOrder::Alphabetical => "A–Z",
        IndexOrder::Count => "by count",
    };
    res.title = if state.index_filter.is_empty() {
        format!("Tag index ({order})")
    } else {
        format!(
            "Tag index ({order}) /{}",
            sanitize_inline(&state.index_filter)
        )
    };
    res.selected = res.selected.min(res.items.len().saturating_sub(1));
}

/// What an index row is called: its entity's name, its directive's canonical name, else the
/// text as first seen.
fn index_name(
    entities: &gloss_core::entity::Registry,
    g: &gloss_core::store::tag_index::TagGroup,
) -> String {
    use gloss_core::entity::Mentioned;
    match &g.mentioned {
        Some(Mentioned::Entity(id)) => entities
            .get(id)
            .map_or_else(|| g.text.clone(), |e| e.name.clone()),
        Some(Mentioned::Directive(d)) if g.forms.len() > 1 => d.clone(),
        _ => g.text.clone(),
    }
}

/// Each results item's line around its text (by the item's position).
pub(super) fn context(state: &mut State, lines: Vec<(usize, String)>) -> Vec<Effect> {
    if let Some(res) = state.results.as_mut() {
        for (i, line) in lines {
            if let Some(item) = res.items.get_mut(i) {
                item.line = line;
            }
        }
    }
    vec![]
}
