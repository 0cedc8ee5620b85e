//! Colours: one per label (from the label set), and the reader's own, with user overrides.

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};

use gloss_core::annotation::LabelSet;

#[derive(Debug, Clone)]
pub struct Theme {
    /// Background of each label, in label-set order.
    pub labels: Vec<Color>,
    pub cursor: Style,
    pub selection: Style,
    pub hit: Style,
    pub placeholder: Style,
    pub warning: Style,
    pub focused_border: Style,
    pub border: Style,
    pub status: Style,
    pub dim: Style,
}

/// Parse `red`, `light-blue`, `#rrggbb` or an index `0`–`255`.
pub fn parse_color(s: &str) -> Option<Color> {
    let s = s.trim().to_ascii_lowercase().replace(['-', '_', ' '], "");
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() == 6 {
            let v = u32::from_str_radix(hex, 16).ok()?;
            return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return None;
    }
    if let Ok(i) = s.parse::<u8>() {
        return Some(Color::Indexed(i));
    }
    Some(match s.as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

impl Theme {
    /// Colours for `labels`, then `overrides` (`cursor`, `selection`, `hit`, `label.NAME`); unknown
    /// names and colours are reported.
    pub fn new(labels: &LabelSet, overrides: &BTreeMap<String, String>) -> Result<Theme, String> {
        let mut theme = Theme {
            labels: labels
                .labels
                .iter()
                .map(|l| parse_color(&l.color).unwrap_or(Color::Gray))
                .collect(),
            cursor: Style::new().add_modifier(Modifier::REVERSED),
            selection: Style::new().bg(Color::Blue).fg(Color::White),
            hit: Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            placeholder: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Red),
            focused_border: Style::new().fg(Color::Cyan),
            border: Style::new().fg(Color::DarkGray),
            status: Style::new().bg(Color::DarkGray).fg(Color::White),
            dim: Style::new().fg(Color::DarkGray),
        };
        for (name, value) in overrides {
            let color = parse_color(value)
                .ok_or_else(|| format!("config colors: {name:?}: unknown colour {value:?}"))?;
            match name.as_str() {
                "cursor" => theme.cursor = Style::new().bg(color).fg(Color::Black),
                "selection" => theme.selection = Style::new().bg(color).fg(Color::White),
                "hit" => theme.hit = theme.hit.fg(color),
                other => match other
                    .strip_prefix("label.")
                    .and_then(|n| labels.index_of(n))
                {
                    Some(i) => theme.labels[i] = color,
                    None => return Err(format!("config colors: unknown element {name:?}")),
                },
            }
        }
        Ok(theme)
    }

    /// The style of a suggestion of label `i`: the label's colour as text, underlined, no background.
    pub fn suggestion(&self, label: Option<usize>) -> Style {
        let fg = label
            .and_then(|i| self.labels.get(i).copied())
            .unwrap_or(Color::Gray);
        Style::new()
            .fg(fg)
            .add_modifier(Modifier::UNDERLINED | Modifier::DIM)
    }

    /// The style of text inside a tag of label `i` (nested: inside more than one tag).
    pub fn tag(&self, label: Option<usize>, nested: bool) -> Style {
        let bg = label
            .and_then(|i| self.labels.get(i).copied())
            .unwrap_or(Color::Gray);
        let s = Style::new().bg(bg).fg(Color::Black);
        if nested {
            s.add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        } else {
            s
        }
    }
}
