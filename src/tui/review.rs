//! Review actions on the state: verdicts, boundary adjustments, article status and comments.

use gloss_core::annotation::{Annotation, Change, Review, Status, Verdict, timestamp};
use gloss_core::text::{motion, sanitize_inline};

use super::editing::{change_tag, edit, read_only, tag_under_cursor};
use super::effect::Effect;
use super::moving::{follow, next_tag};
use super::state::{Pane, State};

/// Accept or reject the tag under the cursor; in review mode, move on to the next tag.
pub fn verdict(state: &mut State, verdict: Verdict) -> Vec<Effect> {
    let Some(before) = tag_under_cursor(state) else {
        return vec![];
    };
    let mut after = before.clone();
    after.review = Some(Review {
        verdict,
        reviewer: state.annotator.clone(),
        time: timestamp(),
    });
    let word = match verdict {
        Verdict::Accepted => "accepted",
        Verdict::Rejected => "rejected",
    };
    let msg = format!(
        "{word} {} “{}”",
        before.label,
        sanitize_inline(&before.text)
    );
    let effects = edit(state, vec![Change::update(before, after)]);
    state.info(msg.clone());
    if state.review_mode && !next_tag(state, true) {
        let (reviewed, total) = state
            .reader
            .as_ref()
            .map_or((0, 0), |r| r.review_progress());
        if super::relating::review_next(state) {
            state.info(format!(
                "{msg} · last tag; now the relations: a accepts, X rejects, enter jumps along"
            ));
            return effects;
        }
        state.info(if reviewed == total {
            let what = match state
                .reader
                .as_ref()
                .map_or(0, |r| r.tags().relations().len())
            {
                0 => "tags",
                _ => "tags and relations",
            };
            format!("{msg} · all {total} {what} reviewed")
        } else {
            format!(
                "{msg} · last tag; {} of {total} not reviewed yet (R starts again at the first)",
                total - reviewed
            )
        });
    }
    effects
}

/// Which end of a tag to move, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adjust {
    GrowStart,
    ShrinkStart,
    GrowEnd,
    ShrinkEnd,
}

/// Move one end of the tag under the cursor by a word.
pub fn adjust(state: &mut State, how: Adjust) -> Vec<Effect> {
    let Some(before) = tag_under_cursor(state) else {
        return vec![];
    };
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let text = r.text();
    let Some(std::ops::Range { start: s, end: e }) = r.doc.bytes_of(&(before.start..before.end))
    else {
        return vec![];
    };
    let (ns, ne) = match how {
        Adjust::GrowStart => (motion::prev_word_start(text, s), e),
        Adjust::ShrinkStart => (motion::next_word_start(text, s), e),
        Adjust::GrowEnd => (s, motion::grow_end(text, e)),
        Adjust::ShrinkEnd => (s, motion::shrink_end(text, s, e)),
    };
    let Some(range) = motion::trim_range(text, ns..ne).filter(|r| r.start < r.end && r.start >= ns)
    else {
        state.info("the tag cannot shrink further");
        return vec![];
    };
    if range == (s..e) {
        state.info("the tag cannot move further that way");
        return vec![];
    }
    let chars = r.to_chars(&range);
    let mut after: Annotation = before.clone();
    after.start = chars.start;
    after.end = chars.end;
    after.text = text[range.clone()].to_string();
    after.modified = timestamp();
    let msg = format!("{} is now “{}”", after.label, sanitize_inline(&after.text));
    let cursor = range.start;
    let effects = edit(state, vec![Change::update(before, after)]);
    if let Some(r) = state.reader.as_mut() {
        r.set_cursor(cursor);
    }
    state.info(msg);
    effects
}

/// Set the article's status.
pub fn set_status(state: &mut State, status: Status) -> Vec<Effect> {
    if read_only(state) {
        return vec![];
    }
    let Some(r) = state.reader.as_ref() else {
        state.info("open an article first");
        return vec![];
    };
    let Some(change) = r.tags().change_article(|a| a.status = status) else {
        return vec![];
    };
    state.info(format!("article status: {}", status.name()));
    edit(state, vec![change])
}

/// Set the article's comment (empty removes it).
pub fn set_article_comment(state: &mut State, comment: &str) -> Vec<Effect> {
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let comment = (!comment.trim().is_empty()).then(|| comment.trim().to_string());
    let Some(change) = r.tags().change_article(|a| a.comment = comment) else {
        return vec![];
    };
    state.info("article comment saved");
    edit(state, vec![change])
}

/// Set a reviewer's comment on a tag (empty removes it).
pub fn set_comment(state: &mut State, id: &str, comment: &str) -> Vec<Effect> {
    let comment = (!comment.trim().is_empty()).then(|| comment.trim().to_string());
    change_tag(
        state,
        id,
        |t| t.comment = comment,
        |_| "comment saved".into(),
    )
}

/// Enter or leave review mode; entering goes to the first tag not yet reviewed.
pub fn toggle_review(state: &mut State) {
    state.review_mode = !state.review_mode;
    if !state.review_mode {
        state.info("review mode off");
        return;
    }
    state.focus = Pane::Reader;
    let Some(r) = state.reader.as_mut() else {
        state.info("review mode: open an article");
        return;
    };
    let target = r
        .tags()
        .tags()
        .iter()
        .filter(|t| !t.orphaned)
        .find(|t| t.review.is_none())
        .or_else(|| r.tags().tags().first())
        .map(|t| t.start);
    match target.and_then(|c| r.byte_of_char(c)) {
        Some(b) => {
            r.set_cursor(b);
            r.anchor = None;
            state.info(
                "review mode: a accepts, X rejects, r re-labels, < > + - move the ends, C comments",
            );
        }
        None => state.info("review mode: this article has no tags"),
    }
    follow(state);
}
