//! `gloss search`: every hit of a query in the corpus, accent- and case-insensitive by default,
//! printed as `path:line:context` in corpus order while the search runs. Exits 1 when nothing is
//! found, as grep and rg do.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::Args;

use super::corpus::{Corpus, warn};
use gloss_core::corpus::search::{self, SearchEvent};
use gloss_core::text::escape_path;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// What to look for ("to lam" finds "Tô Lâm").
    pub query: String,
    /// Match exactly (case, accents and Unicode form count).
    #[arg(long)]
    pub exact: bool,
    /// Print only the number of hits.
    #[arg(long, short)]
    pub count: bool,
}

pub fn run(args: SearchArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, None)?;
    corpus.report_problems(true)?;
    let paths = std::sync::Arc::new(corpus.articles);
    let rx = search::spawn(paths.clone(), args.query.clone(), args.exact);
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // Results come from several threads: print them in corpus order.
    let mut pending = BTreeMap::new();
    let mut next = 0;
    let mut total = 0usize;
    for ev in rx {
        let SearchEvent::Hits {
            entries,
            hits,
            problems,
        } = ev
        else {
            continue;
        };
        for p in problems {
            warn(&p);
        }
        pending.insert(entries.start, (entries.end, hits));
        while let Some((end, hits)) = pending.remove(&next) {
            for (entry, found) in hits {
                total += found.len();
                if !args.count {
                    // the name as shown anywhere: invalid bytes as \xNN, controls as \u{..}
                    let id = escape_path(paths.rel(entry));
                    for h in found {
                        writeln!(out, "{id}:{}:{}", h.line, h.context)?;
                    }
                }
            }
            next = end;
        }
    }
    if args.count {
        writeln!(out, "{total}")?;
    }
    out.flush()?;
    if total == 0 {
        // as grep and rg: 1 when nothing was found (2 is for usage errors)
        return Err(super::NothingFound.into());
    }
    Ok(())
}
