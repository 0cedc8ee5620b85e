//! `gloss help`, `gloss completions SHELL` and `gloss man`: what the command line says of itself,
//! from its clap definition.

use std::io::{IsTerminal, Write};

use clap::CommandFactory;

use super::Cli;

/// `gloss help [COMMAND…]`.
#[derive(Debug, clap::Args)]
pub struct HelpArgs {
    /// The subcommand (and its subcommands) to explain.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// `gloss completions SHELL`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, ignore_case = true)]
    pub shell: clap_complete::Shell,
}

/// Print the help of `gloss` or of one of its subcommands, as `--help` does (styled only on a
/// terminal); an unknown subcommand is a usage error (exit 2), as clap's own.
pub fn help(args: HelpArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut at = &mut cmd;
    for name in &args.command {
        if at.find_subcommand(name).is_none() {
            let message = format!(
                "no such command: {} (see gloss help)",
                gloss_core::text::sanitize_inline(name)
            );
            Cli::command()
                .error(clap::error::ErrorKind::InvalidSubcommand, message)
                .exit();
        }
        at = at.find_subcommand_mut(name).expect("found above");
    }
    let text = at.render_long_help();
    let mut out = std::io::stdout().lock();
    if out.is_terminal() {
        write!(out, "{}", text.ansi())?;
    } else {
        write!(out, "{text}")?;
    }
    out.flush()?;
    Ok(())
}

/// Print the completion script for `shell` on standard output.
pub fn completions(args: CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "gloss", &mut out);
    out.flush()?;
    Ok(())
}

/// Print the manual page (roff) on standard output.
pub fn man() -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(())
}
