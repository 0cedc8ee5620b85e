//! The wrapped layout of a text: rows of graphemes with their columns and byte offsets.
//!
//! One source of truth for the reader: it draws rows, places the cursor, moves it up and down and maps
//! mouse clicks back to offsets. Only row boundaries are stored (one `Row` per screen row); the cells
//! of a row are computed when asked, so a 20 MB article costs a few MB and keystrokes stay cheap.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::display::{Glyph, GlyphKind, glyph};

/// One screen row: the bytes `start..end` of the text (the line break, if any, is not included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub start: usize,
    pub end: usize,
    /// A blank row between paragraphs (reading mode): shows nothing, the cursor never stops on it.
    pub gap: bool,
}

/// A grapheme placed on a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    /// Byte offset of the grapheme in the text.
    pub byte: usize,
    /// Its length in bytes.
    pub len: usize,
    /// First column it covers.
    pub col: usize,
    pub glyph: Glyph<'a>,
}

/// The text wrapped to a width.
#[derive(Debug, Clone)]
pub struct Layout {
    width: usize,
    spaced: bool,
    rows: Vec<Row>,
}

fn is_space(g: &str) -> bool {
    g.chars()
        .all(|c| c == ' ' || c == '\u{A0}' || c == '\u{3000}')
}

impl Layout {
    /// Wrap `text` so that no row is wider than `width` columns, breaking after spaces where it can
    /// and between graphemes where it must. A space that does not fit hangs past the width.
    pub fn new(text: &str, width: usize) -> Self {
        Self::with_spacing(text, width, false)
    }

    /// As [`Layout::new`]; with `spaced`, a gap row separates consecutive non-empty lines, so
    /// that paragraphs written one per line read as paragraphs.
    pub fn with_spacing(text: &str, width: usize, spaced: bool) -> Self {
        let width = width.max(1);
        let mut rows: Vec<Row> = Vec::new();
        let mut line_start = 0;
        let mut prev_empty = true;
        loop {
            let (line_end, next) = match text[line_start..].find('\n') {
                Some(i) => {
                    let nl = line_start + i;
                    let end = if nl > line_start && text.as_bytes()[nl - 1] == b'\r' {
                        nl - 1
                    } else {
                        nl
                    };
                    (end, Some(nl + 1))
                }
                None => (text.len(), None),
            };
            let empty = line_end == line_start;
            if spaced && !empty && !prev_empty {
                rows.push(Row {
                    start: line_start,
                    end: line_start,
                    gap: true,
                });
            }
            prev_empty = empty;
            wrap_line(text, line_start..line_end, width, &mut rows);
            match next {
                Some(n) => line_start = n,
                None => break,
            }
        }
        Layout {
            width,
            spaced,
            rows,
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn spaced(&self) -> bool {
        self.spaced
    }

    /// The nearest row from `r` in direction `step` (±1) that is not a gap row.
    pub fn skip_gaps(&self, r: usize, step: isize) -> usize {
        let mut r = r.min(self.rows.len().saturating_sub(1));
        while self.rows.get(r).is_some_and(|row| row.gap) {
            let next = r as isize + step;
            if next < 0 || next as usize >= self.rows.len() {
                // nothing that way: go back the other way
                return self.skip_gaps(r, -step);
            }
            r = next as usize;
        }
        r
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The row that shows byte `b` (a line break belongs to the row it ends).
    pub fn row_of(&self, b: usize) -> usize {
        self.rows
            .partition_point(|r| r.start <= b)
            .saturating_sub(1)
    }

    /// The graphemes of row `r` with their columns.
    pub fn cells<'t>(&self, text: &'t str, r: usize) -> Vec<Cell<'t>> {
        let Some(row) = self.rows.get(r) else {
            return Vec::new();
        };
        let mut col = 0;
        text[row.start..row.end]
            .grapheme_indices(true)
            .map(|(off, g)| {
                let glyph = glyph(g, col);
                let cell = Cell {
                    byte: row.start + off,
                    len: g.len(),
                    col,
                    glyph,
                };
                col += cell.glyph.width;
                cell
            })
            .collect()
    }

    /// Row and column where byte `b` is drawn (the end of a row is the column after its last cell).
    pub fn position_of(&self, text: &str, b: usize) -> (usize, usize) {
        let r = self.row_of(b);
        let mut end_col = 0;
        for cell in self.cells(text, r) {
            if cell.byte + cell.len > b {
                return (r, cell.col);
            }
            end_col = cell.col + cell.glyph.width;
        }
        (r, end_col)
    }

    /// The byte offset of the grapheme drawn at column `col` of row `r`, or the row's end when `col` is
    /// past its last cell.
    pub fn byte_at(&self, text: &str, r: usize, col: usize) -> usize {
        let Some(row) = self.rows.get(r) else {
            return text.len();
        };
        for cell in self.cells(text, r) {
            if col < cell.col + cell.glyph.width {
                return cell.byte;
            }
        }
        row.end
    }

    /// Byte range shown by rows `rows` (clamped).
    pub fn bytes_of_rows(&self, rows: Range<usize>) -> Range<usize> {
        let start = self.rows.get(rows.start).map_or(0, |r| r.start);
        let end = rows
            .end
            .checked_sub(1)
            .and_then(|e| self.rows.get(e.min(self.rows.len().saturating_sub(1))))
            .map_or(start, |r| r.end);
        start..end
    }
}

fn wrap_line(text: &str, line: Range<usize>, width: usize, rows: &mut Vec<Row>) {
    let mut row_start = line.start;
    let mut col = 0;
    // Byte after the last space of the row: where the row may break.
    let mut last_break: Option<usize> = None;
    for (off, g) in text[line.clone()].grapheme_indices(true) {
        let b = line.start + off;
        let mut w = glyph_width(g, col);
        if col + w > width && b > row_start {
            if is_space(g) {
                // Let the space hang at the end of the row.
                rows.push(Row {
                    start: row_start,
                    end: b + g.len(),
                    gap: false,
                });
                row_start = b + g.len();
                col = 0;
                last_break = None;
                continue;
            }
            if let Some(bb) = last_break.filter(|&bb| bb > row_start) {
                rows.push(Row {
                    start: row_start,
                    end: bb,
                    gap: false,
                });
                row_start = bb;
                // Measure the carried-over word again: its tabs may now have other widths.
                col = text[bb..b]
                    .graphemes(true)
                    .fold(0, |c, g| c + glyph_width(g, c));
            }
            if col + glyph_width(g, col) > width && b > row_start {
                rows.push(Row {
                    start: row_start,
                    end: b,
                    gap: false,
                });
                row_start = b;
                col = 0;
            }
            last_break = None;
            w = glyph_width(g, col);
        }
        col += w;
        if is_space(g) {
            last_break = Some(b + g.len());
        }
    }
    rows.push(Row {
        start: row_start,
        end: line.end,
        gap: false,
    });
}

fn glyph_width(g: &str, col: usize) -> usize {
    let gl = glyph(g, col);
    if gl.kind == GlyphKind::LineBreak {
        0
    } else {
        gl.width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_texts<'a>(text: &'a str, l: &Layout) -> Vec<&'a str> {
        l.rows().iter().map(|r| &text[r.start..r.end]).collect()
    }

    #[test]
    fn wraps_at_spaces() {
        let text = "Tô Lâm đã quán triệt\nchỉ thị số 24";
        let l = Layout::new(text, 10);
        assert_eq!(
            row_texts(text, &l),
            vec!["Tô Lâm đã ", "quán triệt", "chỉ thị số ", "24"]
        );
    }

    #[test]
    fn breaks_long_words_and_wide_chars() {
        let text = "中文中文中文";
        let l = Layout::new(text, 5);
        assert_eq!(row_texts(text, &l), vec!["中文", "中文", "中文"]);
    }

    #[test]
    fn empty_lines_have_rows() {
        let text = "a\n\nb\r\n";
        let l = Layout::new(text, 10);
        assert_eq!(row_texts(text, &l), vec!["a", "", "b", ""]);
        assert_eq!(l.row_of(1), 0); // the newline after "a"
        assert_eq!(l.row_of(2), 1);
    }

    #[test]
    fn spacing_adds_gap_rows_the_cursor_skips() {
        let text = "một\nhai\n\nba";
        let l = Layout::with_spacing(text, 10, true);
        let gaps: Vec<bool> = l.rows().iter().map(|r| r.gap).collect();
        assert_eq!(gaps, [false, true, false, false, false]);
        assert_eq!(l.row_of(text.find("hai").unwrap()), 2);
        assert_eq!(l.skip_gaps(1, 1), 2);
        assert_eq!(l.skip_gaps(1, -1), 0);
    }

    #[test]
    fn offset_cell_offset_round_trip() {
        let text = "Bà Trương Thị Mai 😀 中文 Ho\u{300}a\tx\u{1b}[31m y";
        for width in 1..30 {
            let l = Layout::new(text, width);
            for (b, _) in text.grapheme_indices(true) {
                let (r, c) = l.position_of(text, b);
                assert_eq!(l.byte_at(text, r, c), b, "width {width} byte {b}");
            }
        }
    }
}
