//! Counts, as vim's: digits typed before a motion or a step repeat it (`4e`, `3w`, `2>`), before a
//! label key tag that many words from the cursor (`3p` tags “Nguyễn Văn An”), and before `enter`
//! tag with the label of that number (`2⏎`, the labels' numbers). The digits are the label numbers
//! of earlier versions: a count keeps both, at the cost of one `enter` for a number.

use super::action::{Action, Motion};
use super::effect::Effect;
use super::moving;
use super::state::{Pane, State};
use gloss_core::text::motion;

/// The largest count: a typo of many digits does not run a motion a million times.
const MOST: usize = 9999;

/// `action` in normal mode, a count taken into account: `normal` carries out one action.
pub fn act(
    state: &mut State,
    action: Action,
    normal: fn(&mut State, Action) -> Vec<Effect>,
) -> Vec<Effect> {
    let pending = state.count;
    match action {
        Action::Count(d) => return digit(state, pending.unwrap_or(0) * 10 + d),
        // 0 is the line's start, unless a count is being typed
        Action::Move(Motion::LineStart) if pending.is_some() => {
            return digit(state, pending.unwrap_or(0) * 10);
        }
        _ => {}
    }
    let Some(n) = state.count.take() else {
        return normal(state, action);
    };
    match action {
        Action::Cancel => {
            state.info(format!("count {n} dropped"));
            vec![]
        }
        Action::OpenSelected if state.focus == Pane::Reader => {
            normal(state, Action::ApplyLabelNumber(n))
        }
        Action::ApplyLabel(label) if state.focus == Pane::Reader => {
            words(state, n);
            normal(state, Action::ApplyLabel(label))
        }
        a if repeats(&a) => {
            let mut effects = Vec::new();
            for _ in 0..n {
                effects.extend(normal(state, a.clone()));
            }
            effects
        }
        a => {
            let effects = normal(state, a);
            state.info(format!(
                "the count {n} was dropped: a count repeats a motion or a step, or tags words"
            ));
            effects
        }
    }
}

/// A digit typed: the count so far, said in the bar.
fn digit(state: &mut State, n: usize) -> Vec<Effect> {
    let n = n.min(MOST);
    state.count = Some(n);
    let label = match state.labels.labels.get(n.wrapping_sub(1)) {
        Some(l) => format!("tags as {}", l.name),
        None => format!("says there is no label {n}"),
    };
    state.info(format!(
        "{n}… a motion or a step repeats {n}×; a label key tags {n} words; enter {label}"
    ));
    vec![]
}

/// The actions a count repeats: motions and steps, never an edit that asks or a mode change.
fn repeats(a: &Action) -> bool {
    matches!(
        a,
        Action::Move(_)
            | Action::NextTag
            | Action::PrevTag
            | Action::NextHit
            | Action::PrevHit
            | Action::NextArticle
            | Action::PrevArticle
            | Action::NextOrphan
            | Action::NextSuggestion
            | Action::PrevSuggestion
            | Action::GrowStart
            | Action::ShrinkStart
            | Action::GrowEnd
            | Action::ShrinkEnd
            | Action::Undo
            | Action::Redo
    )
}

/// Select `n` words from the word under the cursor (or extend the selection by `n` words), so
/// that the label key after tags them.
fn words(state: &mut State, n: usize) {
    let Some(r) = moving::reader_mut(state) else {
        return;
    };
    let (start, at) = {
        let text = r.text();
        let (start, mut at) = match (r.anchor, motion::word_at(text, r.cursor)) {
            (Some(a), _) => (a, r.cursor),
            // the word under the cursor counts as the first
            (None, Some(w)) => (w.start, motion::prev_grapheme(text, w.end)),
            (None, None) => (r.cursor, r.cursor),
        };
        let first = usize::from(r.anchor.is_none());
        for _ in first..n {
            at = motion::next_word_end(text, at);
        }
        (start, at)
    };
    r.anchor = Some(start);
    r.set_cursor(at);
}
