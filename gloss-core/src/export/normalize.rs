//! `--normalize nfc`: an article as an export writes it in Unicode NFC, its tags' offsets moved
//! onto the NFC text. The text is composed one extended grapheme cluster at a time (composition
//! joins a letter and its marks, never two clusters), so every cluster boundary of the original is
//! one of the NFC text, and a tag that starts and ends on such boundaries covers exactly the NFC of
//! what it covered. A tag end inside a cluster that composing changes (possible only with
//! `anchoring: Characters`) moves out to the cluster's edge, and is counted.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::Record;
use crate::corpus::Meta;

/// Maps code-point offsets of a text to those of its NFC form.
struct Remap {
    /// For each cluster of the original: its start (code points) in the original and in the NFC
    /// text, its length in the NFC text, and whether composing left it as it was.
    clusters: Vec<(usize, usize, usize, bool)>,
    len: (usize, usize),
}

impl Remap {
    /// The NFC form of `text` and the map of its offsets.
    fn new(text: &str) -> (String, Remap) {
        let mut out = String::with_capacity(text.len());
        let mut clusters = Vec::new();
        let (mut at, mut to) = (0, 0);
        for g in text.graphemes(true) {
            let n = g.chars().count();
            let before = out.len();
            out.extend(g.nfc());
            let m = out[before..].chars().count();
            let same = &out[before..] == g;
            clusters.push((at, to, m, same));
            at += n;
            to += m;
        }
        (
            out,
            Remap {
                clusters,
                len: (at, to),
            },
        )
    }

    /// The NFC offset of `c`; `end` says which way an offset inside a changed cluster moves
    /// (an end to the cluster's end, a start to its start); the flag says it moved.
    fn map(&self, c: usize, end: bool) -> (usize, bool) {
        if c >= self.len.0 {
            return (self.len.1 + (c - self.len.0), false);
        }
        let k = self.clusters.partition_point(|&(at, ..)| at <= c) - 1;
        let (at, to, m, same) = self.clusters[k];
        if c == at {
            (to, false)
        } else if same {
            (to + (c - at), false)
        } else if end {
            (to + m, true)
        } else {
            (to, true)
        }
    }
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// `rec` in NFC: its text, its metadata, its tags' texts (the NFC text's slice at their new
/// offsets), and its notes and comments; and how many tag ends had to move out to a cluster's edge.
pub fn to_nfc(mut rec: Record) -> (Record, usize) {
    if unicode_normalization::is_nfc(&rec.text)
        && rec.tags.iter().all(|t| {
            [&t.note, &t.comment]
                .iter()
                .all(|s| s.as_deref().is_none_or(unicode_normalization::is_nfc))
        })
        && rec
            .comment
            .as_deref()
            .is_none_or(unicode_normalization::is_nfc)
    {
        return (rec, 0);
    }
    let (text, remap) = Remap::new(&rec.text);
    let index = crate::text::CharIndex::new(&text);
    let mut moved = 0;
    for t in &mut rec.tags {
        let (start, a) = remap.map(t.start, false);
        let (end, b) = remap.map(t.end, true);
        moved += usize::from(a) + usize::from(b);
        t.start = start;
        t.end = end;
        if let (Some(s), Some(e)) = (
            index.char_to_byte(&text, start),
            index.char_to_byte(&text, end),
        ) {
            t.text = text[s..e].to_string();
        } else {
            t.text = nfc(&t.text);
        }
        t.note = t.note.as_deref().map(nfc);
        t.comment = t.comment.as_deref().map(nfc);
    }
    rec.tags.sort_by_key(|t| (t.start, t.end));
    let m = &rec.meta;
    rec.meta = Meta {
        date: m.date.clone(),
        caption: m.caption.as_deref().map(nfc),
        author: m.author.as_deref().map(nfc),
        source: m.source.as_deref().map(nfc),
    };
    rec.comment = rec.comment.as_deref().map(nfc);
    rec.text = text;
    (rec, moved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::{Annotation, Status};

    fn record(text: &str, spans: &[(usize, usize)]) -> Record {
        let chars: Vec<char> = text.chars().collect();
        Record {
            id: "a.txt".into(),
            path: "a.txt".into(),
            text: text.into(),
            meta: Meta::default(),
            tags: spans
                .iter()
                .map(|&(s, e)| {
                    let t: String = chars[s..e].iter().collect();
                    Annotation::new("PERSON", s, e, &t, "t")
                })
                .collect(),
            relations: Vec::new(),
            status: Status::New,
            comment: None,
            ..Default::default()
        }
    }

    #[test]
    fn offsets_move_onto_the_nfc_text_and_texts_are_its_slices() {
        // NFD "Nguyễn Văn Hòa", then an emoji and a tag after it
        let nfd: String = "Ông Nguyễn Văn Hòa 😀 Tô Lâm".nfd().collect();
        let find = |s: &str, needle: &str| {
            let needle: String = needle.nfd().collect();
            let b = s.find(&needle).unwrap();
            let c = s[..b].chars().count();
            (c, c + needle.chars().count())
        };
        let rec = record(&nfd, &[find(&nfd, "Nguyễn Văn Hòa"), find(&nfd, "Tô Lâm")]);
        let (out, moved) = to_nfc(rec);
        assert_eq!(moved, 0);
        assert_eq!(out.text, "Ông Nguyễn Văn Hòa 😀 Tô Lâm");
        let chars: Vec<char> = out.text.chars().collect();
        let texts: Vec<String> = out
            .tags
            .iter()
            .map(|t| chars[t.start..t.end].iter().collect())
            .collect();
        assert_eq!(texts, ["Nguyễn Văn Hòa", "Tô Lâm"]);
        assert_eq!(
            out.tags.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["Nguyễn Văn Hòa", "Tô Lâm"]
        );
        assert_eq!((out.tags[0].start, out.tags[0].end), (4, 18));
    }

    #[test]
    fn an_end_inside_a_cluster_that_composes_moves_out_and_is_counted() {
        // "Hoa" + combining grave: a tag "Ho" (without the accent) becomes "Hò"
        let rec = record("Ho\u{300}a", &[(0, 2)]);
        let (out, moved) = to_nfc(rec);
        assert_eq!(out.text, "Hòa");
        assert_eq!((out.tags[0].start, out.tags[0].end, moved), (0, 2, 1));
        assert_eq!(out.tags[0].text, "Hò");
    }

    #[test]
    fn nfc_text_is_left_as_it_is() {
        let rec = record("Tô Lâm", &[(0, 6)]);
        let (out, moved) = to_nfc(rec.clone());
        assert_eq!(
            (out.text, out.tags[0].start, out.tags[0].end, moved),
            (rec.text, 0, 6, 0)
        );
    }
}
