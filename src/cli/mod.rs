//! The command line: clap definitions, and one small file per subcommand over the core.

pub mod corpus;
pub mod export;
pub mod import;
pub mod output;
pub mod progress;
pub mod search;
pub mod stats;
pub mod suggest;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// gloss: read and tag Vietnamese news corpora in the terminal.
#[derive(Debug, Parser)]
#[command(name = "gloss", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// The corpus folder (every *.txt below it). Without one, gloss opens its bundled sample corpus.
    pub dir: Option<PathBuf>,
    /// Keep sidecars in a mirror tree under this folder instead of beside the articles.
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
    /// The name recorded on tags (default: config.ron's annotator, else the login name).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Export the tagged corpus as jsonl, doccano, conll, brat or csv.
    Export(export::ExportArgs),
    /// Import tags from jsonl, doccano, conll, brat or csv files into the corpus's sidecars.
    Import(import::ImportArgs),
    /// Articles, tags per label and the most frequent people.
    Stats(stats::StatsArgs),
    /// Search the corpus (accent- and case-insensitive unless --exact).
    Search(search::SearchArgs),
    /// Store suggestions (patterns, gazetteer) in the sidecars, to accept in the TUI.
    Suggest(suggest::SuggestArgs),
}

/// A subcommand found nothing (`gloss search` without a hit): exit 1, with nothing more to say.
#[derive(Debug)]
pub struct NothingFound;

impl std::fmt::Display for NothingFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("nothing found")
    }
}

impl std::error::Error for NothingFound {}

/// Run a subcommand.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Export(a) => export::run(a),
        Command::Import(a) => import::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Search(a) => search::run(a),
        Command::Suggest(a) => suggest::run(a),
    }
}
