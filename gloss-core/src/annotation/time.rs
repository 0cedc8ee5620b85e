//! Active time: how long each annotator worked on an article, per day (UTC), in seconds. Time with
//! keys counts; a pause longer than the idle limit does not (the TUI measures it). It is kept in
//! the sidecar and never undone; two versions merge by adding what each side added to their base,
//! so two sessions or two branches never lose a second of each other's.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Seconds of active time per annotator and day (`YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActiveTime(BTreeMap<String, BTreeMap<String, u64>>);

impl ActiveTime {
    /// Add `seconds` of `annotator`'s on `day`.
    pub fn add(&mut self, annotator: &str, day: &str, seconds: u64) {
        if seconds == 0 {
            return;
        }
        let s = self
            .0
            .entry(annotator.to_string())
            .or_default()
            .entry(day.to_string())
            .or_insert(0);
        *s = s.saturating_add(seconds);
    }

    /// `annotator`'s seconds on `day`.
    pub fn on(&self, annotator: &str, day: &str) -> u64 {
        self.0
            .get(annotator)
            .and_then(|d| d.get(day))
            .copied()
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|days| days.values().all(|&s| s == 0))
    }

    /// All of `annotator`'s seconds.
    pub fn seconds_of(&self, annotator: &str) -> u64 {
        self.0
            .get(annotator)
            .map_or(0, |d| d.values().fold(0, |a, &s| a.saturating_add(s)))
    }

    /// Everyone's seconds.
    pub fn total(&self) -> u64 {
        self.entries().fold(0, |a, (_, _, s)| a.saturating_add(s))
    }

    /// (annotator, day, seconds), by annotator then day.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, u64)> {
        self.0.iter().flat_map(|(who, days)| {
            days.iter()
                .map(move |(day, &s)| (who.as_str(), day.as_str(), s))
        })
    }

    /// `ours` and `theirs`, both grown from `base`, merged: each annotator's day holds the base's
    /// seconds plus what each side added (never less than either side has).
    pub fn merge(base: &ActiveTime, ours: &ActiveTime, theirs: &ActiveTime) -> ActiveTime {
        let get = |t: &ActiveTime, who: &str, day: &str| {
            t.0.get(who).and_then(|d| d.get(day)).copied().unwrap_or(0)
        };
        let mut out = ActiveTime::default();
        for (who, day, _) in ours.entries().chain(theirs.entries()) {
            if out.0.get(who).is_some_and(|d| d.contains_key(day)) {
                continue;
            }
            let (b, o, t) = (
                get(base, who, day),
                get(ours, who, day),
                get(theirs, who, day),
            );
            let merged = o.max(t).max(o.saturating_add(t).saturating_sub(b));
            out.add(who, day, merged);
        }
        out
    }
}

/// The UTC day (`YYYY-MM-DD`) of a time given in seconds since 1970.
pub fn day_of(unix_seconds: u64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(unix_seconds);
    let s = humantime::format_rfc3339_seconds(t).to_string();
    s.get(..10).unwrap_or(&s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(entries: &[(&str, &str, u64)]) -> ActiveTime {
        let mut t = ActiveTime::default();
        for (w, d, s) in entries {
            t.add(w, d, *s);
        }
        t
    }

    #[test]
    fn each_side_s_added_seconds_are_kept_in_a_merge() {
        let base = time(&[("minh", "2026-12-01", 100)]);
        let ours = time(&[("minh", "2026-12-01", 130), ("minh", "2026-12-02", 5)]);
        let theirs = time(&[("minh", "2026-12-01", 160), ("lan", "2026-12-02", 40)]);
        let m = ActiveTime::merge(&base, &ours, &theirs);
        assert_eq!(
            m.entries().collect::<Vec<_>>(),
            vec![
                ("lan", "2026-12-02", 40),
                ("minh", "2026-12-01", 190),
                ("minh", "2026-12-02", 5)
            ]
        );
        assert_eq!(m.seconds_of("minh"), 195);
        assert_eq!(m.total(), 235);
        // nothing added on either side: the same
        assert_eq!(ActiveTime::merge(&base, &base, &base), base);
        // a side that lost time (edited by hand) never takes the other's below what it has
        let less = time(&[("minh", "2026-12-01", 10)]);
        assert_eq!(
            ActiveTime::merge(&base, &less, &base).seconds_of("minh"),
            100
        );
    }

    #[test]
    fn days_are_utc_dates() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(1_764_720_000), "2025-12-03");
        assert_eq!(
            time(&[("a", "d", u64::MAX), ("a", "d", 5)]).total(),
            u64::MAX
        );
    }
}
