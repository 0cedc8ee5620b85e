//! The user's settings and gloss's folders: the config folder holds `config.ron` (annotator name,
//! key overrides, colours), the data folder the session memory and the sample corpus.
//!
//! `GLOSS_CONFIG_DIR`, `GLOSS_DATA_DIR` and `GLOSS_CACHE_DIR` override the platform folders.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// gloss's folders.
#[derive(Debug, Clone)]
pub struct Dirs {
    pub config: PathBuf,
    pub data: PathBuf,
    pub cache: PathBuf,
}

impl Dirs {
    /// The platform's folders for gloss, with environment overrides.
    pub fn from_env() -> Dirs {
        let project = directories::ProjectDirs::from("", "", "gloss");
        let pick = |var: &str, f: fn(&directories::ProjectDirs) -> &Path, fallback: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .or_else(|| project.as_ref().map(|p| f(p).to_path_buf()))
                .unwrap_or_else(|| std::env::temp_dir().join("gloss").join(fallback))
        };
        Dirs {
            config: pick("GLOSS_CONFIG_DIR", |p| p.config_dir(), "config"),
            data: pick("GLOSS_DATA_DIR", |p| p.data_dir(), "data"),
            cache: pick("GLOSS_CACHE_DIR", |p| p.cache_dir(), "cache"),
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.ron")
    }
}

/// `config.ron` in the config folder.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UserConfig {
    /// Name recorded on every tag; defaults to the login name.
    pub annotator: Option<String>,
    /// Key overrides: key (`"ctrl-s"`, `"J"`) to action, written as in the keymap (`"Quit"`,
    /// `"Move(Down)"`).
    pub keys: BTreeMap<String, String>,
    /// Colour overrides: element (`"cursor"`, `"selection"`, `"label.PERSON"`) to colour.
    pub colors: BTreeMap<String, String>,
}

impl UserConfig {
    /// Load `path`; a missing file is the defaults.
    pub fn load(path: &Path) -> Result<UserConfig> {
        match std::fs::read_to_string(path) {
            Ok(t) => ron::from_str(&t).map_err(|e| Error::ron(path, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UserConfig::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }
}

/// The login name, for the annotator field.
pub fn login_name() -> String {
    ["GLOSS_ANNOTATOR", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}
