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
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct UserConfig {
    /// Name recorded on every tag; defaults to the login name.
    pub annotator: Option<String>,
    /// Key overrides: key (`"ctrl-s"`, `"J"`) to action, written as in the keymap (`"Quit"`,
    /// `"Move(Down)"`).
    pub keys: BTreeMap<String, String>,
    /// Colour overrides: element (`"cursor"`, `"selection"`, `"label.PERSON"`) to colour.
    pub colors: BTreeMap<String, String>,
    /// Seconds without a key after which the pause is not counted as active time.
    pub idle_limit: u64,
}

/// The idle limit when `config.ron` gives none: five minutes.
pub const IDLE_LIMIT: u64 = 300;

impl Default for UserConfig {
    fn default() -> Self {
        UserConfig {
            annotator: None,
            keys: BTreeMap::new(),
            colors: BTreeMap::new(),
            idle_limit: IDLE_LIMIT,
        }
    }
}

/// Largest `config.ron` gloss reads, in bytes.
pub const MAX_USER_CONFIG_BYTES: u64 = 1024 * 1024;

impl UserConfig {
    /// Load `path`; a missing file is the defaults.
    pub fn load(path: &Path) -> Result<UserConfig> {
        match crate::files::read_text(path, MAX_USER_CONFIG_BYTES, "config.ron")? {
            Some(t) => ron::from_str(&t).map_err(|e| Error::ron(path, e)),
            None => Ok(UserConfig::default()),
        }
    }
}

/// The name recorded on tags when none is configured.
pub const UNKNOWN_ANNOTATOR: &str = "unknown";

/// The login name, for the annotator field: `GLOSS_ANNOTATOR`, `USER`, `LOGNAME` or `USERNAME`, else
/// the name of the user id the process runs as, else [`UNKNOWN_ANNOTATOR`].
pub fn login_name() -> String {
    ["GLOSS_ANNOTATOR", "USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .or_else(user_name)
        .unwrap_or_else(|| UNKNOWN_ANNOTATOR.to_string())
}

/// The name of the user the process runs as, from the password database.
#[cfg(unix)]
fn user_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, which outlive the call and are as large as
    // said; `result` is null or points at `pwd`, whose `pw_name` points into `buf`.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: a NUL-terminated string inside `buf`, per getpwuid_r's contract.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|s| !s.is_empty())
}

#[cfg(not(unix))]
fn user_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_user_id_names_the_annotator_when_the_environment_does_not() {
        // the id this test runs as has a name in the password database here
        let name = user_name().expect("a named user");
        assert!(!name.is_empty() && name != UNKNOWN_ANNOTATOR);
    }
}
