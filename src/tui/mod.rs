//! The terminal shell: state, actions, keymap, `update`, views, theme, and the loop that ties them to a
//! real terminal. A thin layer over the core.

pub mod action;
pub mod adjudicating;
pub mod app;
pub mod editing;
pub mod effect;
pub mod finding;
pub mod keymap;
pub mod linking;
pub mod moving;
pub mod prompts;
pub mod relating;
pub mod review;
pub mod run;
pub mod state;
pub mod suggestions;
pub mod theme;
pub mod update;
pub mod view;

pub use app::{App, Options};
pub use run::{Adjudication, adjudicate, run, run_adjudicating};
