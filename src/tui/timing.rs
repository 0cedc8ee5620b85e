//! Active time: the time between two keys counts for the article open meanwhile, unless it is
//! longer than the idle limit (`idle_limit` in config.ron): then the pause counts for nothing.
//! The seconds go into the open document, which keeps them in its sidecar with its next save.

use gloss_core::annotation::time::day_of;

use super::state::State;

/// A key at `at` (seconds since 1970), before its action: the time since the last key is the
/// open article's (it is the one that was open meanwhile).
pub(super) fn key_at(state: &mut State, at: u64) {
    let last = state.stopwatch.last.replace(at);
    let Some(last) = last else { return };
    let gap = at.saturating_sub(last);
    if gap == 0 || gap > state.stopwatch.idle_limit {
        return;
    }
    if let Some(r) = state.reader.as_mut() {
        r.doc.add_time(&state.annotator, &day_of(at), gap);
    }
}
