//! `gloss export`: stream a tagged corpus into a dataset format.

use std::collections::BTreeMap;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;

use anyhow::bail;
use clap::Args;

use super::corpus::{Corpus, warn};
use super::output::Output;
use super::progress::Progress;
use gloss_core::annotation::Status;
use gloss_core::entity::Registry;
use gloss_core::export::{Record, TagFilter};
use gloss_core::formats::parquet::Rows;
use gloss_core::formats::{self, Format, RecordWriter, Stream, WriteContext, Writes};
use gloss_core::text::offsets::Offsets;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    #[arg(long, short, value_parser = formats::find, help = format_help())]
    pub format: &'static Format,
    /// Output file (a folder for brat and parquet); standard output when absent or `-`. An existing file is
    /// refused unless --force; a device or a FIFO is written to in place, never replaced.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Only these labels, comma-separated (e.g. PERSON,TASK; case does not matter).
    #[arg(long, value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
    /// Skip unreadable articles or sidecars (and say so) instead of failing.
    #[arg(long)]
    pub keep_going: bool,
    /// Also export tags a reviewer rejected.
    #[arg(long)]
    pub include_rejected: bool,
    /// Only articles with this review status (new, in-progress, done, reviewed, needs-work;
    /// comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_status)]
    pub status: Option<Vec<Status>>,
    /// Read sidecars from this mirror folder (as `gloss --annotations`).
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
    /// Replace an existing -o file (or brat folder).
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_name = "UNITS", help = offsets_help())]
    pub offsets: Option<Offsets>,
    /// Write the text, the tags' texts, notes and comments in this Unicode normalization form,
    /// every offset moved onto the normalized text (nfc: composed, as most text is written).
    #[arg(long, value_enum, ignore_case = true, value_name = "FORM")]
    pub normalize: Option<Normalize>,
    /// parquet only: one row per article (the default) or one row per span.
    #[arg(long, value_name = "ROWS", value_parser = parse_rows)]
    pub rows: Option<Rows>,
    /// parquet only: at most N rows in each file of `data/` (default 100000 articles, 1000000
    /// spans).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub shard_rows: Option<u64>,
    /// Print no progress bar and no summary (warnings and errors are still said on stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

/// A Unicode normalization form `--normalize` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Normalize {
    /// Canonical composition (NFC).
    Nfc,
}

/// What `gloss export` does, with the formats it writes.
pub fn about() -> String {
    format!(
        "Export the tagged corpus as {}",
        formats::listed(formats::ALL.iter().copied(), "or")
    )
}

fn format_help() -> String {
    formats::listed(formats::ALL.iter().copied(), "or")
}

fn offsets_help() -> String {
    format!(
        "{} only: count offsets in utf16 code units (the default: what doccano's web interface counts), in code points (Python's `text[start:end]`) or in grapheme clusters (a doccano project in grapheme mode)",
        formats::listed(formats::taking_offsets(), "and")
    )
}

fn parse_rows(s: &str) -> Result<Rows, String> {
    s.parse()
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
        format!("unknown status {s:?} (one of {})", names.join(", "))
    })
}

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    let config = gloss_core::corpus::CorpusConfig::load(&corpus.root)?;
    let label_set = config.labels;
    let registry = Registry::load(&corpus.root)?;
    let chosen = match &args.labels {
        Some(ls) => Some(label_set.resolve(ls).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let offsets = args
        .format
        .offsets_given(args.offsets)
        .map_err(anyhow::Error::msg)?;
    if (args.rows.is_some() || args.shard_rows.is_some())
        && !std::ptr::eq(args.format, &formats::parquet::FORMAT)
    {
        bail!("--rows and --shard-rows apply to --format parquet only");
    }
    let labels: Vec<String> = match &chosen {
        Some(ls) => ls.clone(),
        None => label_set.names().map(String::from).collect(),
    };
    let filter = TagFilter {
        labels: chosen,
        include_rejected: args.include_rejected,
    };
    corpus.report_problems(args.keep_going)?;
    if args.output.as_ref().is_none_or(|o| o.as_os_str() == "-") && args.format.writes_folder() {
        bail!("{} writes a folder: give it with -o DIR", args.format);
    }
    let mut output = Output::prepare(
        args.output.as_deref(),
        args.format.writes_folder(),
        args.force,
    )?;
    let context = WriteContext {
        chosen: filter.labels.clone(),
        labels,
        relations: config.relations,
        registry,
        offsets,
        rows: args.rows.unwrap_or_default(),
        shard_rows: args
            .shard_rows
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let result = export(&args, &corpus, &filter, context, &mut output);
    output.finish(result)
}

fn export(
    args: &ExportArgs,
    corpus: &Corpus,
    filter: &TagFilter,
    context: WriteContext,
    output: &mut Output,
) -> anyhow::Result<()> {
    let name = output.name();
    let mut writer: Box<dyn RecordWriter> = match (args.format.writes, output) {
        (Writes::Stream(make), Output::Stdout) => {
            let stdout = std::io::stdout();
            // to a terminal, nothing in the data may act as a command
            let out: Box<dyn std::io::Write> = if std::io::IsTerminal::is_terminal(&stdout) {
                Box::new(BufWriter::with_capacity(
                    1 << 16,
                    super::output::TerminalSafe::new(stdout.lock()),
                ))
            } else {
                Box::new(BufWriter::with_capacity(1 << 16, stdout.lock()))
            };
            make(Stream { out, name }, &context)
        }
        (Writes::Stream(make), output @ Output::File { .. }) => {
            // (synced when the output is committed)
            let out = Box::new(BufWriter::with_capacity(1 << 16, output.file_handle()?));
            make(Stream { out, name }, &context)
        }
        (Writes::Folder(make), Output::Folder { temp, .. }) => make(temp.clone(), &context),
        _ => unreachable!("the output is prepared for the format: a folder when it writes one"),
    };
    let paths = &corpus.articles;
    let mut progress = Progress::new("exporting", paths.len()).quiet(args.quiet);
    let (mut docs, mut tags, mut relations, mut skipped) = (0usize, 0usize, 0usize, 0usize);
    // Articles are read and parsed on every core, and written in corpus order by this thread; a
    // reader never runs more than `WINDOW` articles ahead of the writer, so memory stays flat. At
    // least four readers: a corpus larger than the page cache keeps waits on the disk, which more
    // reads in flight keep busy (as the corpus search does).
    const WINDOW: usize = 256;
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(4, 8);
    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    type Loaded = (usize, gloss_core::Result<Record>, Vec<String>);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let (tx, rx) = sync_channel::<Loaded>(WINDOW);
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, written, stop) = (&next, &written, &stop);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= paths.len() {
                        return;
                    }
                    while i >= written.load(Ordering::Acquire) + WINDOW {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        std::thread::sleep(std::time::Duration::from_micros(50));
                    }
                    let mut warnings = Vec::new();
                    let r = Record::load(&corpus.dirs, &paths.path(i), filter, &mut warnings)
                        .map(|doc| match args.normalize {
                            None => doc,
                            Some(Normalize::Nfc) => {
                                let (doc, moved) = gloss_core::export::normalize::to_nfc(doc);
                                if moved > 0 {
                                    warnings.push(format!(
                                        "{}: {moved} tag end(s) fell inside a letter that NFC composes with its marks: moved out to the whole letter",
                                        doc.id
                                    ));
                                }
                                doc
                            }
                        });
                    if tx.send((i, r, warnings)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        let result = (|| -> anyhow::Result<()> {
            for (i, r, w) in &rx {
                pending.insert(i, (r, w));
                while let Some((r, mut warnings)) = pending.remove(&want) {
                    want += 1;
                    written.store(want, Ordering::Release);
                    match r {
                        Ok(doc)
                            if args
                                .status
                                .as_ref()
                                .is_some_and(|s| !s.contains(&doc.status)) => {}
                        Ok(doc) => {
                            writer.write(&doc, &mut |w| warnings.push(w))?;
                            docs += 1;
                            tags += doc.tags.len();
                            relations += doc.relations.len();
                        }
                        Err(e) if args.keep_going => {
                            warnings.push(format!("skipped: {e}"));
                            skipped += 1;
                        }
                        Err(e) => {
                            return Err(anyhow::Error::new(e)
                                .context("export stopped (--keep-going skips such files)"));
                        }
                    }
                    for w in warnings {
                        progress.clear();
                        warn(&w);
                    }
                    progress.tick();
                }
            }
            Ok(())
        })();
        // (on an error, the readers stop: none waits on the window, and sends fail)
        stop.store(true, Ordering::Relaxed);
        drop(rx);
        result
    })?;
    writer.finish()?;
    progress.clear();
    for said in writer.summary() {
        warn(&said);
    }
    drop(writer);
    if !args.quiet {
        let relations = if args.format.carries.relations || relations == 0 {
            format!("{relations} relations")
        } else {
            format!(
                "no relations ({} has no place for them: the {relations} of these articles are left out)",
                args.format
            )
        };
        eprintln!(
            "exported {docs} articles, {tags} tags, {relations}{}",
            if skipped > 0 {
                format!(", skipped {skipped}")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}
