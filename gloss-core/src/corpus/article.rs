//! One article: its text exactly as decoded from the file, and the metadata parsed from it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::text::motion;

/// Largest article gloss reads, in bytes.
pub const MAX_ARTICLE_BYTES: u64 = 256 * 1024 * 1024;

/// What the layout of a news article tells about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// `YYYY-MM` or `YYYY-MM-DD` from a leading `date …` line.
    pub date: Option<String>,
    /// The rest of the date line: the lead photo's caption.
    pub caption: Option<String>,
    /// From a trailing `Tác giả: …` line.
    pub author: Option<String>,
    /// From a trailing `Nguồn tin: …` line.
    pub source: Option<String>,
}

/// An article loaded from disk.
#[derive(Debug, Clone)]
pub struct Article {
    pub path: PathBuf,
    /// The full text as decoded from the file; offsets point into it.
    pub text: String,
    pub meta: Meta,
    /// The file was not valid UTF-8: invalid bytes were replaced by U+FFFD, so offsets would not match
    /// the file and the article must stay read-only.
    pub lossy: bool,
}

impl Article {
    /// Read and parse the article at `path`.
    pub fn read(path: &Path) -> Result<Article> {
        Self::read_stamped(path).map(|(a, _)| a)
    }

    /// Read the article and the stamp (size, modification time) of its file.
    pub fn read_stamped(path: &Path) -> Result<(Article, crate::files::Stamp)> {
        let contents = crate::files::read_limited(path, MAX_ARTICLE_BYTES, "an article")?
            .ok_or_else(|| Error::io(path, std::io::Error::from(std::io::ErrorKind::NotFound)))?;
        Ok((
            Article::from_bytes(path.to_path_buf(), contents.bytes),
            contents.stamp,
        ))
    }

    /// Decode `bytes` (replacing invalid UTF-8) and parse the metadata.
    pub fn from_bytes(path: PathBuf, bytes: Vec<u8>) -> Article {
        // (validated with SIMD: on a corpus scan this was the largest cost after reading)
        let (text, lossy) = if simdutf8::basic::from_utf8(&bytes).is_ok() {
            // SAFETY: just validated as UTF-8.
            (unsafe { String::from_utf8_unchecked(bytes) }, false)
        } else {
            (String::from_utf8_lossy(&bytes).into_owned(), true)
        };
        let meta = parse_meta(&text);
        Article {
            path,
            text,
            meta,
            lossy,
        }
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Parse the date/caption line and the author/source lines of an article.
pub fn parse_meta(text: &str) -> Meta {
    let mut meta = Meta::default();
    let first = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches('\u{FEFF}');
    if let Some(rest) = first.trim_start().strip_prefix("date ") {
        let rest = rest.trim_start();
        let (date, caption) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        if is_date(date) {
            meta.date = Some(date.to_string());
            let caption = caption.trim();
            if !caption.is_empty() {
                meta.caption = Some(caption.to_string());
            }
        }
    }
    // Author and source stand among the last few non-empty lines.
    for line in text.lines().rev().filter(|l| !l.trim().is_empty()).take(4) {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("Tác giả:") {
            meta.author.get_or_insert_with(|| v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("Nguồn tin:") {
            meta.source.get_or_insert_with(|| v.trim().to_string());
        }
    }
    meta
}

/// The longest title shown, in characters.
const TITLE_CHARS: usize = 120;

/// The caption, or else the first sentence of the body.
pub fn title_of(text: &str, meta: &Meta) -> String {
    if let Some(c) = &meta.caption {
        return truncate_chars(c, TITLE_CHARS);
    }
    let mut b = 0;
    if meta.date.is_some() {
        b = text.find('\n').map_or(text.len(), |i| i + 1);
    }
    // first non-empty line after the date line
    let mut rest = &text[b..];
    while let Some(line) = rest.lines().next() {
        if !line.trim().is_empty() {
            break;
        }
        let skip = rest.find('\n').map_or(rest.len(), |i| i + 1);
        b += skip;
        rest = &text[b..];
    }
    let line = motion::line_at(text, b);
    let sentence = motion::sentences_in_line(text, line.clone())
        .into_iter()
        .next()
        .unwrap_or(line);
    truncate_chars(text[sentence].trim(), TITLE_CHARS)
}

fn truncate_chars(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = " date 2023-07 Bà Trương Thị Mai chủ trì hội nghị - Ảnh: GIA HÂN\n\nCùng chủ trì có Bộ trưởng.\n\nTác giả: THÀNH CHUNG\n\nNguồn tin: Báo Tuổi trẻ";

    #[test]
    fn parses_news_layout() {
        let m = parse_meta(SAMPLE);
        assert_eq!(m.date.as_deref(), Some("2023-07"));
        assert_eq!(
            m.caption.as_deref(),
            Some("Bà Trương Thị Mai chủ trì hội nghị - Ảnh: GIA HÂN")
        );
        assert_eq!(m.author.as_deref(), Some("THÀNH CHUNG"));
        assert_eq!(m.source.as_deref(), Some("Báo Tuổi trẻ"));
    }

    #[test]
    fn plain_file_has_no_meta_and_a_sentence_title() {
        let text = "Chây ì nộp phạt nguội. Hàng chục ngàn phương tiện.\nDòng hai.";
        let m = parse_meta(text);
        assert_eq!(m, Meta::default());
        assert_eq!(title_of(text, &m), "Chây ì nộp phạt nguội.");
    }

    #[test]
    fn date_with_day_and_no_caption() {
        let m = parse_meta("date 2024-01-31\nBody");
        assert_eq!(m.date.as_deref(), Some("2024-01-31"));
        assert_eq!(m.caption, None);
        assert_eq!(title_of("date 2024-01-31\n\nBody here.", &m), "Body here.");
        assert_eq!(parse_meta("date 2024-1 x").date, None);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_flagged() {
        let a = Article::from_bytes(PathBuf::from("x.txt"), b"ab\xffcd".to_vec());
        assert!(a.lossy);
        assert_eq!(a.text, "ab\u{FFFD}cd");
        assert!(parse_meta("").date.is_none());
    }
}
