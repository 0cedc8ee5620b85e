//! Adjudicating on the state: the annotators' candidates in the open article (the gold set), stepped
//! through disagreement by disagreement, accepted (with who had them) or rejected; every agreed one
//! at once.

use gloss_core::adjudication::{Standing, progress};
use gloss_core::annotation::{Annotation, Change, SpanRef};
use gloss_core::text::sanitize_inline;

use super::editing::edit;
use super::effect::Effect;
use super::moving::{jump, next_start};
use super::state::{CandidateSpan, Reader, State};

/// The open candidate under the cursor (the shortest, if nested).
fn under_cursor(r: &Reader) -> Option<CandidateSpan> {
    r.open_candidates()
        .into_iter()
        .filter(|c| c.bytes.contains(&r.cursor))
        .min_by_key(|c| c.bytes.len())
        .cloned()
}

/// (settled, all) disagreements of the open article, as they stand now.
pub fn progress_of(r: &Reader) -> (usize, usize) {
    let all: Vec<_> = r.candidates.iter().map(|c| c.candidate.clone()).collect();
    progress(r.tags(), &all)
}

/// What the status bar says of the candidate under the cursor and of the article's progress.
pub fn describe(r: &Reader) -> Option<(String, String)> {
    let all: Vec<_> = r.candidates.iter().map(|c| c.candidate.clone()).collect();
    let (done, total) = progress(r.tags(), &all);
    let head = format!("{done} of {total} disagreements settled");
    let c = under_cursor(r)?;
    let who = c.candidate.sources.join(", ");
    let rivals: Vec<String> = r
        .open_candidates()
        .into_iter()
        .filter(|o| o.candidate.group == c.candidate.group && o.candidate != c.candidate)
        .map(|o| format!("{} {}", o.candidate.sources.join(", "), o.candidate.label))
        .collect();
    let tag = format!(
        "{} “{}”",
        c.candidate.label,
        sanitize_inline(&c.candidate.text)
    );
    let what = match c.candidate.standing {
        Standing::Agreed => format!("[=] {tag} agreed by {who}"),
        Standing::Only => format!("[+] {tag} only {who}"),
        Standing::Conflict if rivals.is_empty() => {
            format!("[≠] {tag} {who}, against what the others agreed on")
        }
        Standing::Conflict => format!("[≠] {tag} {who} vs {}", rivals.join("; ")),
    };
    Some((head, what))
}

/// Step to the next (or previous) disagreement not yet settled.
pub fn step(state: &mut State, forward: bool) {
    let Some(r) = state.reader.as_ref() else {
        return;
    };
    let open: Vec<CandidateSpan> = r
        .open_candidates()
        .into_iter()
        .filter(|c| c.candidate.standing != Standing::Agreed)
        .cloned()
        .collect();
    let target = next_start(open.iter().map(|c| c.bytes.start), r.cursor, forward)
        .and_then(|b| open.iter().find(|c| c.bytes.start == b))
        .cloned();
    match target {
        Some(c) => {
            jump(state, c.bytes.clone());
            if let Some((head, what)) = state.reader.as_ref().and_then(describe) {
                state.info(format!("{what} · {head}: y takes it, x rejects it"));
            }
        }
        None => {
            let left = open.len();
            state.info(if left == 0 {
                "every disagreement of this article is settled (Y accepts what all agreed on)"
                    .to_string()
            } else {
                format!("no more disagreements that way ({left} open)")
            });
        }
    }
}

fn tag_of(c: &CandidateSpan, reviewer: &str) -> Change {
    let mut t = Annotation::new(
        &c.candidate.label,
        c.candidate.start,
        c.candidate.end,
        &c.candidate.text,
        reviewer,
    );
    t.sources = c.candidate.sources.clone();
    Change::Add(t)
}

/// Take the candidate under the cursor into the gold set (with who had it).
pub fn accept(state: &mut State) -> Vec<Effect> {
    let Some(c) = state.reader.as_ref().and_then(under_cursor) else {
        state.info("no candidate under the cursor (} steps to the next disagreement)");
        return vec![];
    };
    let change = tag_of(&c, &state.annotator);
    state.info(format!(
        "took {} “{}” ({})",
        c.candidate.label,
        sanitize_inline(&c.candidate.text),
        c.candidate.sources.join(", ")
    ));
    edit(state, vec![change])
}

/// Every candidate all annotators agreed on, into the gold set, as one step.
pub fn accept_agreed(state: &mut State) -> Vec<Effect> {
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let changes: Vec<Change> = r
        .open_candidates()
        .into_iter()
        .filter(|c| c.candidate.standing == Standing::Agreed)
        .map(|c| tag_of(c, &state.annotator))
        .collect();
    if changes.is_empty() {
        state.info("no agreed tag left to accept");
        return vec![];
    }
    state.info(format!("accepted {} agreed tag(s)", changes.len()));
    edit(state, changes)
}

/// Reject the candidate under the cursor: remembered in the gold sidecar.
pub fn reject(state: &mut State) -> Vec<Effect> {
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let Some(c) = under_cursor(r) else {
        state.info("no candidate under the cursor");
        return vec![];
    };
    let change = r.tags().change_article(|a| {
        a.rejected.push(SpanRef {
            label: c.candidate.label.clone(),
            start: c.candidate.start,
            end: c.candidate.end,
            text: c.candidate.text.clone(),
        })
    });
    state.info(format!(
        "rejected {} “{}” ({})",
        c.candidate.label,
        sanitize_inline(&c.candidate.text),
        c.candidate.sources.join(", ")
    ));
    edit(state, change.into_iter().collect())
}
