//! The terminal shell, Elm-style: [`state`] is everything a frame is drawn from; a key becomes an
//! [`action`] through the [`keymap`] (data: `keymap.ron`, a section per mode); [`update`], the one
//! writer of the state, dispatches to one module per concern and returns [`effect`]s, which the
//! [`runner`] carries out (files, threads) with the state to read but not to write, giving back
//! outcomes that go through `update` too; [`view`] draws. [`app`] ties them together and [`run`](mod@run)
//! to a real terminal. A thin layer over the core.

pub mod action;
pub mod adjudicating;
pub mod app;
pub mod background;
pub mod categorizing;
pub mod counting;
pub mod dashboard;
pub mod editing;
pub mod effect;
pub mod entities;
pub mod finding;
pub mod guide;
pub mod keymap;
pub mod linking;
pub mod moving;
pub mod opening;
pub mod prompts;
pub mod queue;
pub mod relating;
pub mod relation_view;
pub mod review;
pub mod run;
pub mod runner;
pub mod saving;
pub mod state;
pub mod suggestions;
pub mod theme;
pub mod timing;
pub mod update;
pub mod view;

pub use app::{App, Options};
pub use run::{Adjudication, adjudicate, run, run_adjudicating};
