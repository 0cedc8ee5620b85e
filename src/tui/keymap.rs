//! Keymaps are data: the defaults in `keymap.ron`, then the corpus's label keys, then the user's
//! overrides from `config.ron`. The help screen is generated from the result.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, InputKey};
use gloss_core::annotation::LabelSet;

const DEFAULT_KEYMAP: &str = include_str!("keymap.ron");

/// A key with its modifiers, as written in keymaps: `j`, `G`, `ctrl-r`, `enter`, `pagedown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
            other => return Err(format!("unknown key {other:?}")),
        };
        Ok(Key { code, ctrl, alt })
    }

    /// The key of a terminal event (shift is part of the character for printable keys).
    pub fn from_event(ev: &KeyEvent) -> Key {
        let code = match ev.code {
            KeyCode::Char(c) if ev.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            write!(f, "ctrl-")?;
        }
        if self.alt {
            write!(f, "alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => write!(f, "space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => write!(f, "enter"),
            KeyCode::Esc => write!(f, "esc"),
            KeyCode::Tab => write!(f, "tab"),
            KeyCode::BackTab => write!(f, "backtab"),
            KeyCode::Backspace => write!(f, "backspace"),
            KeyCode::Delete => write!(f, "delete"),
            KeyCode::Up => write!(f, "up"),
            KeyCode::Down => write!(f, "down"),
            KeyCode::Left => write!(f, "left"),
            KeyCode::Right => write!(f, "right"),
            KeyCode::Home => write!(f, "home"),
            KeyCode::End => write!(f, "end"),
            KeyCode::PageUp => write!(f, "pageup"),
            KeyCode::PageDown => write!(f, "pagedown"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Key bindings in the order the help screen lists them.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Key, Action)>,
}

impl Keymap {
    /// Defaults, then a key per label, then `overrides` (key to action in RON; `""` unbinds).
    pub fn new(labels: &LabelSet, overrides: &BTreeMap<String, String>) -> Result<Keymap, String> {
        let defaults: Vec<(String, Action)> =
            ron::from_str(DEFAULT_KEYMAP).map_err(|e| format!("built-in keymap: {e}"))?;
        let mut map = Keymap {
            bindings: Vec::new(),
        };
        for (k, a) in defaults {
            // number keys only for the labels there are
            if matches!(a, Action::ApplyLabelNumber(n) if n == 0 || n > labels.labels.len()) {
                continue;
            }
            map.bind(Key::parse(&k)?, Some(a));
        }
        for l in &labels.labels {
            map.bind(
                Key {
                    code: KeyCode::Char(l.key),
                    ctrl: false,
                    alt: false,
                },
                Some(Action::ApplyLabel(l.name.clone())),
            );
        }
        for (k, a) in overrides {
            let key = Key::parse(k).map_err(|e| format!("config keys: {e}"))?;
            let action = if a.trim().is_empty() {
                None
            } else {
                Some(
                    ron::from_str::<Action>(a)
                        .map_err(|e| format!("config keys: {k:?}: {a:?} is no action ({e})"))?,
                )
            };
            map.bind(key, action);
        }
        Ok(map)
    }

    fn bind(&mut self, key: Key, action: Option<Action>) {
        match (self.bindings.iter().position(|(k, _)| *k == key), action) {
            (Some(i), Some(a)) => self.bindings[i].1 = a,
            (Some(i), None) => {
                self.bindings.remove(i);
            }
            (None, Some(a)) => self.bindings.push((key, a)),
            (None, None) => {}
        }
    }

    /// The action bound to a key press.
    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev);
        self.bindings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, a)| a.clone())
    }

    /// The key press as typed into a prompt.
    pub fn input(ev: &KeyEvent) -> Option<InputKey> {
        if ev.modifiers.contains(KeyModifiers::CONTROL) {
            return None;
        }
        match ev.code {
            KeyCode::Char(c) => Some(InputKey::Char(c)),
            KeyCode::Backspace => Some(InputKey::Backspace),
            KeyCode::Enter => Some(InputKey::Enter),
            KeyCode::Esc => Some(InputKey::Cancel),
            KeyCode::Tab | KeyCode::BackTab => Some(InputKey::Tab),
            KeyCode::Up => Some(InputKey::Up),
            KeyCode::Down => Some(InputKey::Down),
            _ => None,
        }
    }

    /// Help lines: keys joined per action, in keymap order.
    pub fn help(&self) -> Vec<(String, String)> {
        let mut out: Vec<(Vec<String>, &Action)> = Vec::new();
        for (k, a) in &self.bindings {
            match out.iter_mut().find(|(_, b)| *b == a) {
                Some((keys, _)) => keys.push(k.to_string()),
                None => out.push((vec![k.to_string()], a)),
            }
        }
        out.into_iter()
            .map(|(keys, a)| (keys.join(" "), a.describe()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::action::Motion;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn defaults_labels_and_overrides() {
        let mut over = BTreeMap::new();
        over.insert("J".to_string(), "Move(Down)".to_string());
        over.insert("x".to_string(), String::new());
        let km = Keymap::new(&LabelSet::default(), &over).unwrap();
        assert_eq!(km.action(&press('j')), Some(Action::Move(Motion::Down)));
        assert_eq!(km.action(&press('J')), Some(Action::Move(Motion::Down)));
        assert_eq!(
            km.action(&press('p')),
            Some(Action::ApplyLabel("PERSON".into()))
        );
        assert_eq!(km.action(&press('x')), None);
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(km.action(&ctrl_r), Some(Action::Redo));
        let help = km.help();
        assert!(
            help.iter()
                .any(|(k, d)| k == "j down J" && d == "down a line")
        );
    }

    #[test]
    fn bad_override_is_reported() {
        let mut over = BTreeMap::new();
        over.insert("z".to_string(), "Fly".to_string());
        let e = Keymap::new(&LabelSet::default(), &over).unwrap_err();
        assert!(e.contains("\"z\""), "{e}");
    }
}
