//! JSON as gloss writes it: serde_json, with every character that a terminal or a line reader could
//! take for something else escaped as `\uXXXX` inside strings: C1 controls (NEL among them), bidi
//! controls, and the line and paragraph separators U+2028/U+2029 (Python's `str.splitlines()`
//! breaks on them). The data is the same to any JSON reader; only the bytes are safe. Also the
//! article's metadata as the JSON formats write it.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::corpus::Meta;
use crate::error::{Error, Result};
use crate::text::display::{is_bidi_control, is_control};

fn needs_escape(c: char) -> bool {
    is_control(c) || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Where the first character of `s` to escape starts, found by the bytes they start with (DEL
/// 0x7F, the C1 controls 0xC2, U+061C 0xD8, the rest 0xE2), not by decoding every character. The
/// C0 controls are not looked for: serde_json escapes every byte below 0x20 itself, so a fragment
/// it hands over has none.
fn first_to_escape(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let del = memchr::memchr(0x7F, bytes);
    let other = memchr::memchr3_iter(0xC2, 0xD8, 0xE2, bytes)
        .take_while(|&i| del.is_none_or(|d| i < d))
        .find(|&i| s[i..].chars().next().is_some_and(needs_escape));
    other.or(del)
}

/// Write `fragment` (raw string content) with the extra escapes.
fn write_fragment<W: ?Sized + Write>(w: &mut W, fragment: &str) -> io::Result<()> {
    let Some(first) = first_to_escape(fragment) else {
        return w.write_all(fragment.as_bytes());
    };
    w.write_all(&fragment.as_bytes()[..first])?;
    let fragment = &fragment[first..];
    let mut start = 0;
    for (i, c) in fragment.char_indices() {
        if needs_escape(c) {
            w.write_all(&fragment.as_bytes()[start..i])?;
            write!(w, "\\u{:04x}", c as u32)?;
            start = i + c.len_utf8();
        }
    }
    w.write_all(&fragment.as_bytes()[start..])
}

/// A formatter that adds the escapes to another one.
struct Safe<F>(F);

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $name<W: ?Sized + Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            self.0.$name(w $(, $arg)*)
        })*
    };
}

impl<F: Formatter> Formatter for Safe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_fragment(w, fragment)
    }
    delegate! {
        begin_array(); end_array();
        begin_array_value(first: bool); end_array_value();
        begin_object(); end_object();
        begin_object_key(first: bool); end_object_key();
        begin_object_value(); end_object_value();
    }
}

/// Write `value` as one line of JSON.
pub fn to_writer<W: Write, T: Serialize + ?Sized>(w: W, value: &T) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Safe(CompactFormatter));
    value.serialize(&mut ser)
}

/// Write `value` as one line of JSON and a line feed to `out`, named `name` in errors.
pub fn write_line<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    name: &std::path::Path,
    value: &T,
) -> Result<()> {
    to_writer(&mut *out, value).map_err(|e| Error::invalid(name, e.to_string()))?;
    out.write_all(b"\n").map_err(|e| Error::io(name, e))
}

/// An article's metadata as the JSON formats write it: every key, `null` when absent.
#[derive(Serialize)]
pub struct ArticleMeta<'a> {
    date: Option<&'a str>,
    caption: Option<&'a str>,
    author: Option<&'a str>,
    source: Option<&'a str>,
}

impl<'a> ArticleMeta<'a> {
    pub fn of(meta: &'a Meta) -> Self {
        ArticleMeta {
            date: meta.date.as_deref(),
            caption: meta.caption.as_deref(),
            author: meta.author.as_deref(),
            source: meta.source.as_deref(),
        }
    }
}

/// `value` as indented JSON.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Safe(PrettyFormatter::new()));
    value.serialize(&mut ser)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_finds_what_decoding_finds() {
        let mut every = String::new();
        // (from 0x20: serde_json escapes what is below)
        for u in (0x20..0x3000)
            .chain(0xFE00..0x10000)
            .chain(0x1F600..0x1F610)
        {
            if let Some(c) = char::from_u32(u) {
                every.push(c);
            }
        }
        for (k, _) in every.char_indices().step_by(7) {
            let s = &every[k..];
            let want = s
                .char_indices()
                .find(|&(_, c)| needs_escape(c))
                .map(|(i, _)| i);
            assert_eq!(first_to_escape(s), want, "from byte {k}");
        }
        assert_eq!(first_to_escape("tiếng Việt “quote” – … 😀 \u{a0}x"), None);
    }

    #[test]
    fn separators_and_controls_are_escaped_and_read_back_the_same() {
        let s = "a\u{2028}b\u{2029}c\u{85}d\u{9b}e\u{202e}f\u{1b}g\ttiếng Việt 😀";
        let mut out = Vec::new();
        to_writer(&mut out, &serde_json::json!({ "text": s, "list": [s] })).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(!line.chars().any(needs_escape), "{line:?}");
        assert_eq!(line.lines().count(), 1);
        assert!(
            line.contains("\\u2028") && line.contains("\\u0085") && line.contains("tiếng Việt 😀")
        );
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["text"], s);
        let pretty = to_string_pretty(&serde_json::json!({ "k": s })).unwrap();
        assert!(!pretty.chars().any(needs_escape));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&pretty).unwrap()["k"],
            s
        );
    }
}
