//! The command line: clap definitions, and one small file per subcommand over the core.

pub mod agree;
pub mod assign;
pub mod corpus;
pub mod eval;
pub mod export;
pub mod git;
pub mod import;
pub mod output;
pub mod progress;
pub mod recover;
pub mod search;
pub mod shell;
pub mod stats;
pub mod suggest;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// gloss: read and tag Vietnamese news corpora in the terminal.
#[derive(Debug, Parser)]
#[command(
    name = "gloss",
    version,
    about,
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true
)]
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
    // (the formats listed from the registry)
    #[command(about = export::about())]
    Export(export::ExportArgs),
    #[command(about = import::about())]
    Import(import::ImportArgs),
    /// Articles, tags per label and the most frequent people; or, with --by entity, per entity.
    Stats(stats::StatsArgs),
    /// Search the corpus (accent- and case-insensitive unless --exact).
    Search(search::SearchArgs),
    /// Store suggestions (patterns, gazetteer) in the sidecars, to accept in the TUI.
    Suggest(suggest::SuggestArgs),
    /// How far annotators agree: span P/R/F1, Cohen's kappa and Krippendorff's alpha over tokens,
    /// relation P/R/F1 per type.
    Agree(agree::AgreeArgs),
    /// Give the articles out to annotators (a share to two, for agreement) in assignment.ron;
    /// run again, it gives out only new articles.
    Assign(assign::AssignArgs),
    /// Settle several annotators' tags into one gold set, in the TUI.
    Adjudicate(AdjudicateArgs),
    /// Merge two versions of a sidecar by tag id (a git merge driver: %O %A %B %P).
    MergeDriver(git::MergeDriverArgs),
    /// Make git merge this repository's sidecars with `gloss merge-driver`.
    GitSetup(git::GitSetupArgs),
    /// Merge a recovery file (the tags a failed save kept) back into the article's sidecar,
    /// keeping what another writer saved meanwhile.
    Recover(recover::RecoverArgs),
    /// Score one annotation set against another (or gloss's suggestions against gold): P/R/F1
    /// per label, exact and overlapping.
    Eval(eval::EvalArgs),
    /// Print a shell's completion script (bash, zsh, fish, elvish, powershell) on standard output.
    Completions(shell::CompletionsArgs),
    /// Print gloss's manual page (roff, for `man -l -`) on standard output.
    Man,
    /// Print this message or the help of the given subcommand(s).
    Help(shell::HelpArgs),
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
        Command::MergeDriver(a) => git::merge_driver(a),
        // the TUI's: main.rs starts it through the TUI's entry point
        Command::Adjudicate(_) => {
            anyhow::bail!("gloss adjudicate runs in the TUI, started by the binary")
        }
        Command::Agree(a) => agree::run(a),
        Command::Assign(a) => assign::run(a),
        Command::GitSetup(a) => git::git_setup(a),
        Command::Eval(a) => eval::run(a),
        Command::Recover(a) => recover::run(a),
        Command::Completions(a) => shell::completions(a),
        Command::Man => shell::man(),
        Command::Help(a) => shell::help(a),
    }
}

/// `gloss adjudicate DIR --from A --from B --into GOLD`.
#[derive(Debug, clap::Args)]
pub struct AdjudicateArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// An annotator's sidecar folder (a mirror tree, as `--annotations`); two or more.
    #[arg(long = "from", value_name = "DIR", required = true, num_args = 1)]
    pub from: Vec<PathBuf>,
    /// Where the gold sidecars go (a mirror tree).
    #[arg(long, value_name = "DIR")]
    pub into: PathBuf,
    /// The name recorded on the gold tags (default: config.ron's annotator, else the login name).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
}
