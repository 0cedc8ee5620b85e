//! The command line: clap definitions, and one small file per subcommand over the core.

pub mod corpus;
pub mod eval;
pub mod export;
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
    /// Articles, tags per label and the most frequent people.
    Stats(stats::StatsArgs),
    /// Search the corpus (accent- and case-insensitive unless --exact).
    Search(search::SearchArgs),
    /// Store suggestions (patterns, gazetteer) in the sidecars, to accept in the TUI.
    Suggest(suggest::SuggestArgs),
    /// Score one annotation set against another (or gloss's suggestions against gold): P/R/F1
    /// per label, exact and overlapping.
    Eval(eval::EvalArgs),
}

/// Run a subcommand.
pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Export(a) => export::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Search(a) => search::run(a),
        Command::Suggest(a) => suggest::run(a),
        Command::Eval(a) => eval::run(a),
    }
}
