//! An annotator's queue: the articles the corpus's assignment (`assignment.ron`, written by
//! `gloss assign`) gives them. The list opens on it (the filter `assigned:me`, which clearing the
//! filter leaves), its title says so, and one key opens the next article of it not done yet.

use super::effect::Effect;
use super::finding::open;
use super::state::{ListFilter, State};
use gloss_core::annotation::Status;
use gloss_core::assignment::Assignment;
use gloss_core::corpus::assigned::{ASSIGNMENT_FILE, ME};
use gloss_core::text::sanitize_inline;

/// The filter the list opens with when the assignment names the annotator.
pub const MY_QUEUE: &str = "assigned:me";

/// Take the corpus's assignment (if it has one, or the error reading it): the list learns who
/// each article is assigned to, and opens on the annotator's queue when it names them.
pub(super) fn start(state: &mut State, assignment: gloss_core::Result<Option<Assignment>>) {
    let a = match assignment {
        Ok(Some(a)) => a,
        Ok(None) => return,
        Err(e) => {
            state.error(format!("no queue (assigned:me) until it is fixed: {e}"));
            return;
        }
    };
    let assigned = a.assigned_in(&state.articles, Some(&state.annotator));
    let mine = assigned.of(ME).len();
    state.articles.set_assigned(Some(assigned));
    if mine > 0 && state.list.filter.is_empty() {
        state.list.filter = MY_QUEUE.to_string();
        state.apply_filter();
        state.info(format!(
            "your queue: {mine} article(s) {ASSIGNMENT_FILE} gives you (/ then esc shows them all; W opens the next not done)"
        ));
    }
}

/// Is the article finished (done or reviewed)?
fn finished(state: &State, i: usize) -> bool {
    matches!(
        state.articles.status(i),
        Some(Status::Done | Status::Reviewed)
    )
}

/// The list's title when the filter holds `assigned:me`: ` My queue shown/total · done/mine done `.
pub fn title(state: &State) -> Option<String> {
    let filter = ListFilter::parse(&state.list.filter);
    if !filter.assigned.iter().any(|n| n == ME) {
        return None;
    }
    let mine = state.articles.assigned().map_or(&[][..], |a| a.of(ME));
    let done = mine.iter().filter(|&&i| finished(state, i)).count();
    Some(format!(
        " My queue {}/{} · {done}/{} done ",
        state.list.shown.len(),
        state.articles.len(),
        mine.len()
    ))
}

/// Open the next article of the annotator's queue not done or reviewed: after the open one (or
/// from the selected one, none open), round to the first.
pub(super) fn next_unfinished(state: &mut State) -> Vec<Effect> {
    let mine: Vec<usize> = state
        .articles
        .assigned()
        .map(|a| a.of(ME).to_vec())
        .unwrap_or_default();
    if mine.is_empty() {
        state.info(format!(
            "no queue: {ASSIGNMENT_FILE} gives {} no article (gloss assign DIR --annotators …)",
            sanitize_inline(&state.annotator)
        ));
        return vec![];
    }
    // after the open article; with none open, from the selected one on
    let open_now = state.reader.as_ref().map(|r| r.entry);
    let from = match open_now {
        Some(e) => Some(e + 1),
        None => state.selected_entry(),
    };
    let left: Vec<usize> = mine
        .iter()
        .copied()
        .filter(|&i| !finished(state, i))
        .collect();
    let next = left
        .iter()
        .copied()
        .find(|&i| from.is_none_or(|f| i >= f))
        .or_else(|| left.first().copied());
    match next {
        Some(i) => {
            state.select_entry(i);
            state.info(format!(
                "your queue: {} of {} not done yet",
                left.len(),
                mine.len()
            ));
            vec![open(i)]
        }
        None => {
            state.info(format!(
                "your queue is done: all {} article(s) done or reviewed",
                mine.len()
            ));
            vec![]
        }
    }
}
