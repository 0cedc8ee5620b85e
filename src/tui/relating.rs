//! Relations in the reader: start one on the tag under the cursor, move to the other tag (any
//! motion, `n`/`N`, a search, the mouse), pick it (enter), pick the type (its key or number); list the
//! relations of a tag (or of the article), jump along them, accept, reject or delete them. Every
//! change goes through the core document, so undo takes it back.

use gloss_core::annotation::{Change, Relation, Review, Verdict, timestamp};
use gloss_core::text::sanitize_inline;

use super::action::{Action, Motion};
use super::editing::{edit, read_only, tag_under_cursor};
use super::effect::Effect;
use super::moving::jump;
use super::state::{Mode, Pane, State};

/// `A`: the tag under the cursor becomes the head of a relation; the next enter (or `A`) on
/// another tag ends it there.
pub(super) fn start(state: &mut State) -> Vec<Effect> {
    if let Some(head) = state.relating.clone() {
        return pick_tail(state, &head);
    }
    let Some(tag) = tag_under_cursor(state) else {
        return vec![];
    };
    if state
        .relation_types
        .types
        .iter()
        .all(|t| !t.head.is_empty() && !t.head.contains(&tag.label))
    {
        state.info(format!("no relation type starts at a {} tag", tag.label));
        return vec![];
    }
    state.info(format!(
        "relation from {} “{}”: move to the other tag (n/N, /, the mouse), then enter · esc cancels",
        tag.label,
        sanitize_inline(&tag.text)
    ));
    state.relating = Some(tag.id);
    vec![]
}

/// Enter (or `A`) while relating: the tag under the cursor is the tail.
pub(super) fn pick_tail(state: &mut State, head: &str) -> Vec<Effect> {
    let Some(tail) = tag_under_cursor(state) else {
        return vec![];
    };
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let Some(head_tag) = r.tags().get(head).cloned() else {
        state.relating = None;
        state.error("the tag the relation started from is gone");
        return vec![];
    };
    if tail.id == head {
        state.info("that is the tag the relation starts from: move to the other one");
        return vec![];
    }
    state.relating = None;
    let allowed: Vec<(char, String)> = state
        .relation_types
        .allowed(&head_tag.label, &tail.label)
        .iter()
        .map(|t| (t.key, t.name.clone()))
        .collect();
    match allowed.as_slice() {
        [] => {
            state.error(format!(
                "no relation type goes from {} to {}",
                head_tag.label, tail.label
            ));
            vec![]
        }
        [(_, name)] => relate(state, name, head, &tail.id),
        _ => {
            let choices: Vec<String> = allowed
                .iter()
                .enumerate()
                .map(|(i, (k, n))| format!("{} or {k} {n}", i + 1))
                .collect();
            state.info(format!(
                "relation type: {} · esc cancels",
                choices.join(" · ")
            ));
            state.mode = Mode::RelationType {
                head: head.to_string(),
                tail: tail.id,
            };
            vec![]
        }
    }
}

/// The relation type picked (by its key or its number among those that fit), when more than one
/// fits the tags `head` and `tail`.
pub(super) fn type_chosen(
    state: &mut State,
    head: &str,
    tail: &str,
    action: Action,
) -> Vec<Effect> {
    state.mode = Mode::Normal;
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    let (Some(h), Some(t)) = (r.tags().get(head), r.tags().get(tail)) else {
        return vec![];
    };
    let allowed = state.relation_types.allowed(&h.label, &t.label);
    let picked = match action {
        Action::RelateNumber(n) => allowed.get(n.wrapping_sub(1)).map(|x| x.name.clone()),
        Action::RelateAs(name) => allowed
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.name.clone()),
        _ => None,
    };
    match picked {
        Some(name) => relate(state, &name, head, tail),
        None => {
            state.info("no relation made");
            vec![]
        }
    }
}

fn relate(state: &mut State, label: &str, head: &str, tail: &str) -> Vec<Effect> {
    if read_only(state) {
        return vec![];
    }
    let Some(r) = state.reader.as_ref() else {
        return vec![];
    };
    match r
        .doc
        .relate(label, head, tail, &state.relation_types, &state.annotator)
    {
        Ok(rel) => {
            let msg = format!("related: {}", describe(state, &rel));
            let effects = edit(state, vec![Change::add_relation(rel)]);
            state.info(msg);
            effects
        }
        Err(why) => {
            state.error(why);
            vec![]
        }
    }
}

/// `HEAD “text” —ISSUES→ TAIL “text”`, for messages.
pub(super) fn describe(state: &State, rel: &Relation) -> String {
    let text = |id: &str| {
        state
            .reader
            .as_ref()
            .and_then(|r| r.tags().get(id))
            .map(|t| format!("“{}”", sanitize_inline(&t.text)))
            .unwrap_or_else(|| "(gone)".into())
    };
    format!("{} —{}→ {}", text(&rel.head), rel.label, text(&rel.tail))
}

/// The relations a list shows: of the tag `of`, or of the whole article.
pub(super) fn listed(state: &State, of: Option<&str>) -> Vec<Relation> {
    let Some(r) = state.reader.as_ref() else {
        return Vec::new();
    };
    let set = r.tags();
    let mut v: Vec<Relation> = set
        .relations()
        .iter()
        .filter(|x| of.is_none_or(|id| x.touches(id)))
        .cloned()
        .collect();
    // in the order of their heads in the text, then tails
    let pos = |id: &str| set.get(id).map_or(usize::MAX, |t| t.start);
    v.sort_by_key(|x| (pos(&x.head), pos(&x.tail), x.label.clone()));
    v
}

/// `V`: list the relations of the tag under the cursor (of the article when there is none).
pub(super) fn list(state: &mut State) -> Vec<Effect> {
    let Some(r) = state.reader.as_ref() else {
        state.info("open an article first");
        return vec![];
    };
    if state.focus != Pane::Reader {
        return vec![];
    }
    let of = r.tags().innermost_at(r.cursor_char()).map(|t| t.id.clone());
    let n = listed(state, of.as_deref()).len();
    if n == 0 {
        state.info(match of {
            Some(_) => "no relations on this tag (A starts one)",
            None => "no relations in this article (A on a tag starts one)",
        });
        return vec![];
    }
    state.mode = Mode::Relations { of, selected: 0 };
    vec![]
}

/// Open the list of every relation of the article at the first one not reviewed (review mode,
/// after the last tag); `false` when all are reviewed.
pub(super) fn review_next(state: &mut State) -> bool {
    let all = listed(state, None);
    match all.iter().position(|r| r.review.is_none()) {
        Some(i) => {
            state.mode = Mode::Relations {
                of: None,
                selected: i,
            };
            true
        }
        None => false,
    }
}

/// An action in the relations list: up and down move, follow jumps to the other end, delete, accept,
/// reject; cancel closes it.
pub(super) fn list_action(
    state: &mut State,
    of: Option<String>,
    selected: usize,
    action: Action,
) -> Vec<Effect> {
    let items = listed(state, of.as_deref());
    if items.is_empty() {
        state.mode = Mode::Normal;
        return vec![];
    }
    let selected = selected.min(items.len() - 1);
    let keep = |state: &mut State, selected: usize| {
        state.mode = Mode::Relations {
            of: of.clone(),
            selected,
        }
    };
    let rel = items[selected].clone();
    match action {
        Action::Move(Motion::Down) => {
            keep(state, (selected + 1).min(items.len() - 1));
            vec![]
        }
        Action::Move(Motion::Up) => {
            keep(state, selected.saturating_sub(1));
            vec![]
        }
        Action::FollowRelation => {
            state.mode = Mode::Normal;
            // along the relation: from the listed tag to the other end; in the article's list,
            // to the tail
            let target = match &of {
                Some(id) if rel.tail == *id => rel.head.clone(),
                _ => rel.tail.clone(),
            };
            let bytes = state.reader.as_ref().and_then(|r| {
                let t = r.tags().get(&target)?;
                r.doc.bytes_of(&(t.start..t.end))
            });
            if let Some(b) = bytes {
                jump(state, b);
            }
            state.info(describe(state, &rel));
            vec![]
        }
        Action::DeleteRelation => {
            let msg = format!("deleted relation {}", describe(state, &rel));
            let effects = edit(state, vec![Change::remove_relation(rel)]);
            keep(state, selected);
            state.info(msg);
            effects
        }
        Action::Accept | Action::Reject => {
            let accept = action == Action::Accept;
            let verdict = if accept {
                Verdict::Accepted
            } else {
                Verdict::Rejected
            };
            let mut after = rel.clone();
            after.review = Some(Review {
                verdict,
                reviewer: state.annotator.clone(),
                time: timestamp(),
            });
            let msg = format!(
                "{} relation {}",
                if accept { "accepted" } else { "rejected" },
                describe(state, &rel)
            );
            let effects = edit(
                state,
                vec![Change::Relation {
                    before: Some(rel),
                    after: Some(after),
                }],
            );
            // on to the next one not reviewed (in review mode), else the next one
            let items = listed(state, of.as_deref());
            let next = if state.review_mode {
                items
                    .iter()
                    .skip(selected + 1)
                    .position(|r| r.review.is_none())
                    .map(|p| p + selected + 1)
            } else {
                Some((selected + 1).min(items.len().saturating_sub(1)))
            };
            match next {
                Some(n) => {
                    keep(state, n);
                    state.info(msg);
                }
                None => {
                    state.mode = Mode::Normal;
                    let (reviewed, total) = state
                        .reader
                        .as_ref()
                        .map_or((0, 0), |r| r.review_progress());
                    state.info(format!(
                        "{msg} · {reviewed} of {total} tags and relations reviewed"
                    ));
                }
            }
            effects
        }
        Action::Cancel => {
            state.mode = Mode::Normal;
            vec![]
        }
        _ => {
            keep(state, selected);
            vec![]
        }
    }
}
