//! Display sanitizing: what a grapheme of article text looks like on a terminal.
//!
//! Article text is never written to the terminal as it is: every grapheme goes through [`glyph`],
//! which turns tabs into spaces, control characters (C0, DEL, C1) into visible placeholders, bidi
//! controls into a marker, and zero-width graphemes into a dot. The original text stays untouched
//! for offsets.

use std::borrow::Cow;
use std::path::Path;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Columns between tab stops.
pub const TAB_WIDTH: usize = 4;

/// What kind of thing a grapheme is on screen; views style the placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlyphKind {
    /// Ordinary text, shown as it is.
    Text,
    /// A tab, shown as spaces up to the next tab stop.
    Tab,
    /// A line break (`\n` or `\r\n`): ends a row, shows nothing.
    LineBreak,
    /// A control character (C0, DEL, C1, lone CR), shown as a placeholder.
    Control,
    /// A bidirectional-text control (U+202A–U+202E, U+2066–U+2069, LRM/RLM/ALM), shown as a marker.
    Bidi,
    /// A grapheme of zero width (zero-width space, BOM, a lone combining mark…), shown as a dot.
    Invisible,
}

/// One grapheme as displayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph<'a> {
    /// What to draw: never contains a control character.
    pub text: Cow<'a, str>,
    /// Columns it takes.
    pub width: usize,
    pub kind: GlyphKind,
}

/// Is `c` a bidirectional formatting control?
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Is `s` a name gloss accepts for what it defines (a label, a relation type, an entity's id): one
/// word, without white space, control, bidirectional or invisible characters, so that it shows as
/// it is wherever it is printed.
pub fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && !s.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || is_bidi_control(c)
                || matches!(
                    c,
                    '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
                )
        })
}

/// Is `c` a control character that must never reach a terminal (C0 but tab/newline, DEL, C1)?
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// The picture a control character is shown as (`␛` for ESC, `␡` for DEL, `⌧` for a C1).
pub fn control_picture(c: char) -> char {
    match c {
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7F}' => '\u{2421}',
        _ => '\u{2327}',
    }
}

/// How grapheme `g` looks when it starts at column `col`.
pub fn glyph(g: &str, col: usize) -> Glyph<'_> {
    if g == "\n" || g == "\r\n" {
        return Glyph {
            text: Cow::Borrowed(""),
            width: 0,
            kind: GlyphKind::LineBreak,
        };
    }
    if g == "\t" {
        let width = TAB_WIDTH - col % TAB_WIDTH;
        return Glyph {
            text: Cow::Owned(" ".repeat(width)),
            width,
            kind: GlyphKind::Tab,
        };
    }
    let mut chars = g.chars();
    let first = chars.next().unwrap_or(' ');
    if g.chars().any(is_control) || g.contains('\t') || g.contains('\n') {
        return Glyph {
            text: Cow::Owned(control_picture(first).to_string()),
            width: 1,
            kind: GlyphKind::Control,
        };
    }
    if g.chars().any(is_bidi_control) {
        return Glyph {
            text: Cow::Borrowed("\u{21C4}"),
            width: 1,
            kind: GlyphKind::Bidi,
        };
    }
    let width = g.width();
    if width == 0 || first == '\u{FEFF}' {
        return Glyph {
            text: Cow::Borrowed("\u{B7}"),
            width: 1,
            kind: GlyphKind::Invisible,
        };
    }
    Glyph {
        text: Cow::Borrowed(g),
        width,
        kind: GlyphKind::Text,
    }
}

/// A one-line, terminal-safe rendering of any string from outside (a caption, a file name, an error
/// message): line breaks and tabs become spaces, everything else as [`glyph`] shows it.
pub fn sanitize_inline(s: &str) -> String {
    sanitize_inline_owned(s.to_string())
}

/// [`sanitize_inline`] of at most the first `max` characters of `s`, with `…` when it is cut: for a
/// string shown on one row of a screen, which is never wider than a few hundred columns (a caption
/// that is a whole one-line article of many megabytes costs a frame what a short one costs).
pub fn sanitize_inline_cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => {
            let mut out = sanitize_inline(&s[..cut]);
            out.push('…');
            out
        }
        None => sanitize_inline(s),
    }
}

/// [`sanitize_inline`] of `s` in exactly `width` columns: padded with spaces, or cut with `…` when
/// wider (a column of a table, a cell of a pane).
pub fn sanitize_inline_padded(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let s = sanitize_inline(s);
    if s.width() <= width {
        return format!("{s}{}", " ".repeat(width - s.width()));
    }
    let (mut out, mut w) = (String::new(), 0);
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out + &" ".repeat(width.saturating_sub(w + 1))
}

/// Printable ASCII and the precomposed Latin letters of Vietnamese (and most European languages):
/// each is a grapheme of its own, one column wide, that [`glyph`] shows unchanged.
/// [`sanitize_inline`] of a string given away: itself when it shows as it is (no copy).
pub fn sanitize_inline_owned(s: String) -> String {
    if s.chars().all(shows_as_itself) {
        return s;
    }
    sanitize_graphemes(&s)
}

fn shows_as_itself(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
}

fn sanitize_graphemes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut col = 0;
    for g in s.graphemes(true) {
        let gl = glyph(g, col);
        match gl.kind {
            GlyphKind::LineBreak | GlyphKind::Tab => out.push(' '),
            _ => out.push_str(&gl.text),
        }
        col += gl.width.max(1);
    }
    out
}

/// A path as it may be shown: invalid UTF-8 as `\xNN` escapes and control characters as `\u{..}`.
pub fn escape_path(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    if let Ok(s) = std::str::from_utf8(bytes)
        && !s
            .chars()
            .any(|c| is_control(c) || c == '\n' || c == '\t' || is_bidi_control(c))
    {
        return s.to_string();
    }
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if is_control(c) || c == '\n' || c == '\t' || is_bidi_control(c) {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_inline_string_keeps_whole_characters_and_says_it_was_cut() {
        assert_eq!(sanitize_inline_cut("Tô Lâm\tnói", 20), "Tô Lâm nói");
        assert_eq!(sanitize_inline_cut("Tô Lâm nói", 4), "Tô L…");
        assert_eq!(
            sanitize_inline_cut("\u{1b}]2;x", 2),
            format!("{}]…", control_picture('\u{1b}'))
        );
    }

    #[test]
    fn the_plain_letters_shortcut_is_exact() {
        let plain: String = (0..0x2000u32)
            .filter_map(char::from_u32)
            .filter(|&c| shows_as_itself(c))
            .collect();
        assert!(plain.contains('ữ') && plain.contains('Đ') && plain.contains('~'));
        assert_eq!(sanitize_graphemes(&plain), plain);
        for c in plain.chars() {
            let one = c.to_string();
            assert_eq!(glyph(&one, 0).text, one);
            assert_eq!(glyph(&one, 0).width, 1, "U+{:04X}", c as u32);
        }
        // anything else still goes through the rules
        assert_eq!(
            sanitize_inline("a\tb\u{1b}[0m"),
            sanitize_graphemes("a\tb\u{1b}[0m")
        );
        assert_ne!(sanitize_inline("a\u{1b}"), "a\u{1b}");
    }

    #[test]
    fn controls_become_pictures() {
        assert_eq!(glyph("\u{1b}", 0).text, "\u{241B}");
        assert_eq!(glyph("\u{7}", 0).kind, GlyphKind::Control);
        assert_eq!(glyph("\u{9b}", 0).kind, GlyphKind::Control);
        assert_eq!(glyph("\r", 0).kind, GlyphKind::Control);
        assert_eq!(glyph("\r\n", 0).kind, GlyphKind::LineBreak);
        assert_eq!(glyph("\u{202E}", 0).kind, GlyphKind::Bidi);
        assert_eq!(glyph("\u{200B}", 0).kind, GlyphKind::Invisible);
        assert_eq!(glyph("\u{FEFF}", 0).kind, GlyphKind::Invisible);
    }

    #[test]
    fn widths() {
        assert_eq!(glyph("Tô", 0).width, 2);
        assert_eq!(glyph("中", 0).width, 2);
        assert_eq!(glyph("😀", 0).width, 2);
        assert_eq!(glyph("e\u{301}", 0).width, 1);
        assert_eq!(glyph("\t", 0).width, 4);
        assert_eq!(glyph("\t", 3).width, 1);
    }

    #[test]
    fn inline_has_no_controls() {
        let s = sanitize_inline("a\u{1b}[31mb\nc\u{202E}d");
        assert!(
            !s.chars()
                .any(|c| is_control(c) || is_bidi_control(c) || c == '\n')
        );
        assert!(s.starts_with('a'));
    }

    #[cfg(unix)]
    #[test]
    fn paths_escape_bytes_and_controls() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(OsStr::from_bytes(b"a\x1b[2J\xff.txt"));
        assert_eq!(escape_path(p), "a\\u{1b}[2J\\xff.txt");
    }
}
