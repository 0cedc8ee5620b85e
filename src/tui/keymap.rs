//! Keymaps are data: the defaults in `keymap.ron`, one section per mode, with the corpus's label and
//! relation-type keys put in where it says `<label>` and `<relation>`, then the user's overrides
//! from `config.ron`. What a key means is looked up here, in the sections the state's mode names
//! ([`Keymap::sections`]); the help screen is generated from the result.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use serde::Deserialize;

use super::action::{Action, InputKey};
use super::state::{Mode, Pane, State};
use gloss_core::annotation::{LabelSet, RelationTypes};

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

/// The sections of the keymap: which keys mean what in each mode (see `keymap.ron`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Normal,
    Adjudicate,
    Help,
    Prompt,
    Confirm,
    Status,
    Relabel,
    RelationType,
    Relations,
    Entities,
    Guide,
    Categorize,
    Dashboard,
}

impl Section {
    pub const ALL: [Section; 13] = [
        Section::Normal,
        Section::Adjudicate,
        Section::Help,
        Section::Prompt,
        Section::Confirm,
        Section::Status,
        Section::Relabel,
        Section::RelationType,
        Section::Relations,
        Section::Entities,
        Section::Guide,
        Section::Categorize,
        Section::Dashboard,
    ];

    /// Its name in `keymap.ron` and in `config.ron`'s overrides (`"relations:J"`).
    pub fn name(self) -> &'static str {
        match self {
            Section::Normal => "normal",
            Section::Adjudicate => "adjudicate",
            Section::Help => "help",
            Section::Prompt => "prompt",
            Section::Confirm => "confirm",
            Section::Status => "status",
            Section::Relabel => "relabel",
            Section::RelationType => "relation_type",
            Section::Relations => "relations",
            Section::Entities => "entities",
            Section::Guide => "guide",
            Section::Categorize => "categorize",
            Section::Dashboard => "dashboard",
        }
    }

    /// Its heading on the help screen.
    pub fn heading(self) -> &'static str {
        match self {
            Section::Normal => "In the list and the reader",
            Section::Adjudicate => "Adjudicating (gloss adjudicate), in the reader",
            Section::Help => "On this help screen",
            Section::Prompt => "Typing (filter, search, note, comment, entity)",
            Section::Confirm => "Asked to confirm (tag-all across the corpus)",
            Section::Status => "Article status (after m)",
            Section::Relabel => "Re-labelling (after r)",
            Section::RelationType => "Relation type (when more than one fits)",
            Section::Relations => "The relations list (after V)",
            Section::Entities => "The entities pane (after M)",
            Section::Guide => "The annotation guide (after H)",
            Section::Categorize => "The article's labels (after #)",
            Section::Dashboard => "The dashboard (after D)",
        }
    }

    fn from_name(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.name() == s)
    }
}

/// `keymap.ron`: one list of bindings per section.
#[derive(Debug, Deserialize)]
struct KeymapFile {
    normal: Vec<(String, Action)>,
    adjudicate: Vec<(String, Action)>,
    help: Vec<(String, Action)>,
    prompt: Vec<(String, Action)>,
    confirm: Vec<(String, Action)>,
    status: Vec<(String, Action)>,
    relabel: Vec<(String, Action)>,
    relation_type: Vec<(String, Action)>,
    relations: Vec<(String, Action)>,
    entities: Vec<(String, Action)>,
    guide: Vec<(String, Action)>,
    categorize: Vec<(String, Action)>,
    dashboard: Vec<(String, Action)>,
}

impl KeymapFile {
    fn section(&self, s: Section) -> &[(String, Action)] {
        match s {
            Section::Normal => &self.normal,
            Section::Adjudicate => &self.adjudicate,
            Section::Help => &self.help,
            Section::Prompt => &self.prompt,
            Section::Confirm => &self.confirm,
            Section::Status => &self.status,
            Section::Relabel => &self.relabel,
            Section::RelationType => &self.relation_type,
            Section::Relations => &self.relations,
            Section::Entities => &self.entities,
            Section::Guide => &self.guide,
            Section::Categorize => &self.categorize,
            Section::Dashboard => &self.dashboard,
        }
    }
}

/// The pseudo-key for any key a section does not bind.
const OTHER: &str = "other";
/// The pseudo-keys for each label's and each relation type's key, and the name they put in the
/// action.
const LABEL: &str = "<label>";
const RELATION: &str = "<relation>";

/// One section's bindings, in the order the help screen lists them, and what any other key does.
#[derive(Debug, Clone, Default)]
struct Bindings {
    keys: Vec<(Key, Action)>,
    other: Option<Action>,
    /// Bound but not listed in help: the number keys past the labels (types) there are, which
    /// say there is no such label rather than do nothing.
    unlisted: Vec<Key>,
}

impl Bindings {
    fn bind(&mut self, key: Key, action: Option<Action>) {
        // a key bound again (an override) is listed
        self.unlisted.retain(|k| *k != key);
        match (self.keys.iter().position(|(k, _)| *k == key), action) {
            (Some(i), Some(a)) => self.keys[i].1 = a,
            (Some(i), None) => {
                self.keys.remove(i);
            }
            (None, Some(a)) => self.keys.push((key, a)),
            (None, None) => {}
        }
    }
}

/// The action with `<label>` (or `<relation>`) in it replaced by `name`.
fn named(action: &Action, name: &str) -> Action {
    match action {
        Action::ApplyLabel(n) if n == LABEL => Action::ApplyLabel(name.to_string()),
        Action::RelateAs(n) if n == RELATION => Action::RelateAs(name.to_string()),
        a => a.clone(),
    }
}

fn char_key(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: false,
    }
}

/// Key bindings, section by section.
#[derive(Debug, Clone)]
pub struct Keymap {
    sections: Vec<(Section, Bindings)>,
}

impl Keymap {
    /// The built-in keymap with the corpus's label and relation-type keys, then `overrides` (key,
    /// or `section:key`, to an action in RON; `""` unbinds).
    pub fn new(
        labels: &LabelSet,
        relation_types: &RelationTypes,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Keymap, String> {
        let file: KeymapFile =
            ron::from_str(DEFAULT_KEYMAP).map_err(|e| format!("built-in keymap: {e}"))?;
        let mut sections = Vec::new();
        for s in Section::ALL {
            let mut b = Bindings::default();
            let entries = file.section(s);
            // plain keys first, then the labels' and relation types' own keys, which win
            for (k, a) in entries {
                let numbered = match a {
                    Action::ApplyLabelNumber(n) => Some(*n > labels.labels.len()),
                    Action::RelateNumber(n) => Some(*n > relation_types.types.len()),
                    _ => None,
                };
                match k.as_str() {
                    LABEL | RELATION => {}
                    OTHER => b.other = Some(a.clone()),
                    // number keys past the labels (types) there are: bound, to say so, and
                    // left out of help
                    _ if numbered == Some(true) => {
                        let key = Key::parse(k)?;
                        b.bind(key, Some(a.clone()));
                        b.unlisted.push(key);
                    }
                    _ => b.bind(Key::parse(k)?, Some(a.clone())),
                }
            }
            for (k, a) in entries {
                match k.as_str() {
                    LABEL => {
                        for l in &labels.labels {
                            b.bind(char_key(l.key), Some(named(a, &l.name)));
                        }
                    }
                    RELATION => {
                        for t in &relation_types.types {
                            b.bind(char_key(t.key), Some(named(a, &t.name)));
                        }
                    }
                    _ => {}
                }
            }
            sections.push((s, b));
        }
        let mut map = Keymap { sections };
        for (k, a) in overrides {
            let (section, key) = match k.split_once(':') {
                Some((s, key)) if !key.is_empty() => match Section::from_name(s) {
                    Some(s) => (s, key),
                    None => (Section::Normal, k.as_str()),
                },
                _ => (Section::Normal, k.as_str()),
            };
            let key = Key::parse(key).map_err(|e| format!("config keys: {e}"))?;
            let action = if a.trim().is_empty() {
                None
            } else {
                Some(
                    ron::from_str::<Action>(a)
                        .map_err(|e| format!("config keys: {k:?}: {a:?} is no action ({e})"))?,
                )
            };
            map.bindings_mut(section).bind(key, action);
        }
        Ok(map)
    }

    fn bindings(&self, s: Section) -> &Bindings {
        &self
            .sections
            .iter()
            .find(|(x, _)| *x == s)
            .expect("every section")
            .1
    }

    fn bindings_mut(&mut self, s: Section) -> &mut Bindings {
        &mut self
            .sections
            .iter_mut()
            .find(|(x, _)| *x == s)
            .expect("every section")
            .1
    }

    /// The sections that say what a key means in the state's mode, the first that binds it
    /// winning: adjudicating puts its keys before the reader's.
    pub fn sections(state: &State) -> &'static [Section] {
        match &state.mode {
            Mode::Normal if state.adjudicating.is_some() && state.focus == Pane::Reader => {
                &[Section::Adjudicate, Section::Normal]
            }
            Mode::Normal => &[Section::Normal],
            Mode::Help { .. } => &[Section::Help],
            Mode::Confirm => &[Section::Confirm],
            Mode::SetStatus => &[Section::Status],
            Mode::Relabel { .. } => &[Section::Relabel],
            Mode::RelationType { .. } => &[Section::RelationType],
            Mode::Relations { .. } => &[Section::Relations],
            Mode::Entities => &[Section::Entities],
            Mode::Guide { .. } => &[Section::Guide],
            Mode::Categorize => &[Section::Categorize],
            Mode::Dashboard => &[Section::Dashboard],
            // the modes that read typed text
            m => {
                debug_assert!(m.is_prompt(), "{m:?}");
                &[Section::Prompt]
            }
        }
    }

    /// What a key press means in the state's mode (see [`Keymap::action`]).
    pub fn action_for(&self, state: &State, ev: &KeyEvent) -> Option<Action> {
        self.action(Keymap::sections(state), ev)
    }

    /// The action a key press means in `sections` (the first that binds it), else what the first
    /// section does with any other key (a character typed, in a prompt).
    pub fn action(&self, sections: &[Section], ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev);
        for s in sections {
            if let Some((_, a)) = self.bindings(*s).keys.iter().find(|(k, _)| *k == key) {
                return Some(a.clone());
            }
        }
        match self.bindings(*sections.first()?).other.clone()? {
            Action::TypeChar => match key {
                Key {
                    code: KeyCode::Char(c),
                    ctrl: false,
                    alt: false,
                } => Some(Action::Input(InputKey::Char(c))),
                _ => None,
            },
            a => Some(a),
        }
    }

    /// Help lines, section by section: keys joined per action, in keymap order.
    pub fn help(&self) -> Vec<(Section, Vec<(String, String)>)> {
        self.sections
            .iter()
            .map(|(s, b)| {
                let mut out: Vec<(Vec<String>, &Action)> = Vec::new();
                for (k, a) in b.keys.iter().filter(|(k, _)| !b.unlisted.contains(k)) {
                    // keys of one description are one line (the digits of a count)
                    match out.iter_mut().find(|(_, x)| x.describe() == a.describe()) {
                        Some((keys, _)) => keys.push(k.to_string()),
                        None => out.push((vec![k.to_string()], a)),
                    }
                }
                let mut lines: Vec<(String, String)> = out
                    .into_iter()
                    .map(|(keys, a)| (keys.join(" "), a.describe()))
                    .collect();
                if let Some(a) = &b.other {
                    lines.push(("any other key".into(), a.describe()));
                }
                (*s, lines)
            })
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
        over.insert("relations:J".to_string(), "Move(Down)".to_string());
        let km = Keymap::new(&LabelSet::default(), &RelationTypes::default(), &over).unwrap();
        let normal = [Section::Normal];
        assert_eq!(
            km.action(&normal, &press('j')),
            Some(Action::Move(Motion::Down))
        );
        assert_eq!(
            km.action(&normal, &press('J')),
            Some(Action::Move(Motion::Down))
        );
        assert_eq!(
            km.action(&normal, &press('p')),
            Some(Action::ApplyLabel("PERSON".into()))
        );
        assert_eq!(km.action(&normal, &press('x')), None);
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(km.action(&normal, &ctrl_r), Some(Action::Redo));
        let help = km.help();
        assert!(
            help[0]
                .1
                .iter()
                .any(|(k, d)| k == "j down J" && d == "down a line")
        );
        // another mode's override, and its keys
        let rel = [Section::Relations];
        assert_eq!(
            km.action(&rel, &press('J')),
            Some(Action::Move(Motion::Down))
        );
        assert_eq!(km.action(&rel, &press('x')), Some(Action::DeleteRelation));
        assert_eq!(km.action(&rel, &press('p')), None, "no other key there");
    }

    #[test]
    fn bad_override_is_reported() {
        let mut over = BTreeMap::new();
        over.insert("z".to_string(), "Fly".to_string());
        let e = Keymap::new(&LabelSet::default(), &RelationTypes::default(), &over).unwrap_err();
        assert!(e.contains("\"z\""), "{e}");
    }

    #[test]
    fn every_mode_reads_its_keys_from_the_keymap() {
        let km = Keymap::new(
            &LabelSet::default(),
            &RelationTypes::default(),
            &BTreeMap::new(),
        )
        .unwrap();
        // a prompt types what it does not bind
        assert_eq!(
            km.action(&[Section::Prompt], &press('p')),
            Some(Action::Input(InputKey::Char('p')))
        );
        let ctrl_p = KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(km.action(&[Section::Prompt], &ctrl_p), None);
        // the label keys re-label after r; any other key gives up
        assert_eq!(
            km.action(&[Section::Relabel], &press('t')),
            Some(Action::ApplyLabel("TASK".into()))
        );
        assert_eq!(
            km.action(&[Section::Relabel], &press('2')),
            Some(Action::ApplyLabelNumber(2))
        );
        // three labels: the fourth number is bound, to say there is none, and not listed
        assert_eq!(
            km.action(&[Section::Relabel], &press('4')),
            Some(Action::ApplyLabelNumber(4))
        );
        assert!(
            km.help()
                .iter()
                .flat_map(|(_, lines)| lines)
                .all(|(_, what)| !what.contains("label 4")),
            "help lists no fourth label"
        );
        // relation types by their own keys
        assert_eq!(
            km.action(&[Section::RelationType], &press('i')),
            Some(Action::RelateAs("ISSUES".into()))
        );
        // adjudicating puts its keys before the normal ones
        let adj = [Section::Adjudicate, Section::Normal];
        assert_eq!(km.action(&adj, &press('y')), Some(Action::TakeCandidate));
        assert_eq!(
            km.action(&adj, &press('j')),
            Some(Action::Move(Motion::Down))
        );
        // the help lists every section
        let help = km.help();
        assert_eq!(help.len(), Section::ALL.len());
        assert!(
            help.iter()
                .find(|(s, _)| *s == Section::Status)
                .unwrap()
                .1
                .iter()
                .any(|(k, d)| k == "d" && d == "status done")
        );
    }
}
