//! Review: the status of an article and the verdict on each tag.

use serde::{Deserialize, Serialize};

/// Where an article is in its life: `new` → `in progress` → `done` → `reviewed`, or `needs work`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Status {
    #[default]
    New,
    InProgress,
    Done,
    Reviewed,
    NeedsWork,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::InProgress,
        Status::Done,
        Status::Reviewed,
        Status::NeedsWork,
    ];

    /// The name shown and typed (`new`, `in-progress`, `done`, `reviewed`, `needs-work`).
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in-progress",
            Status::Done => "done",
            Status::Reviewed => "reviewed",
            Status::NeedsWork => "needs-work",
        }
    }

    /// One character for the article list.
    pub fn mark(self) -> char {
        match self {
            Status::New => ' ',
            Status::InProgress => '…',
            Status::Done => '✓',
            Status::Reviewed => '★',
            Status::NeedsWork => '!',
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        let s = s.to_ascii_lowercase().replace([' ', '_'], "-");
        Status::ALL.into_iter().find(|st| {
            st.name() == s
                || (s == "progress" && *st == Status::InProgress)
                || (s == "work" && *st == Status::NeedsWork)
        })
    }
}

/// A reviewer's verdict on a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Accepted,
    Rejected,
}

/// Who judged a tag, how, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub verdict: Verdict,
    pub reviewer: String,
    /// RFC 3339, UTC.
    pub time: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.name()), Some(s));
        }
        assert_eq!(Status::parse("needs work"), Some(Status::NeedsWork));
        assert_eq!(Status::parse("nope"), None);
    }
}
