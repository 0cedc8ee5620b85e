//! The annotation guide pane (`H`, and from help): the labels' sections from gloss.ron, then the
//! corpus's guide file, opened at the section of the label of the tag under the cursor (or of the
//! selection's). `j`/`k` and the page keys scroll, `n`/`N` go to the next and previous section.

use super::action::{Action, Motion};
use super::state::{Mode, State};

/// `H`: the guide, at the section of the tag under the cursor, if any.
pub(super) fn open(state: &mut State) {
    let label = state.reader.as_ref().and_then(|r| {
        r.tags()
            .innermost_at(r.cursor_char())
            .map(|t| t.label.clone())
    });
    let scroll = label.and_then(|l| state.guide.section_of(&l)).unwrap_or(0);
    state.mode = Mode::Guide { scroll };
}

/// A key in the guide.
pub(super) fn action(state: &mut State, scroll: usize, action: Action) {
    let page = state.screen.height.saturating_sub(4).max(1) as usize;
    let last = state.guide.lines.len().saturating_sub(1);
    let headings = || state.guide.headings.iter().map(|h| h.line);
    let to = match action {
        Action::Move(Motion::Down) => scroll + 1,
        Action::Move(Motion::Up) => scroll.saturating_sub(1),
        Action::Move(Motion::PageDown) => scroll + page,
        Action::Move(Motion::PageUp) => scroll.saturating_sub(page),
        Action::Move(Motion::Top) => 0,
        Action::Move(Motion::Bottom) => last,
        Action::NextHeading => headings().find(|&l| l > scroll).unwrap_or(scroll),
        Action::PrevHeading => headings().rfind(|&l| l < scroll).unwrap_or(0),
        _ => {
            state.mode = Mode::Normal;
            return;
        }
    };
    state.mode = Mode::Guide {
        scroll: to.min(last),
    };
}
