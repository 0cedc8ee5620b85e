//! `gloss export`: stream a tagged corpus into a dataset format.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;

use anyhow::{Context, bail};
use clap::Args;

use super::corpus::{Corpus, warn};
use super::progress::Progress;
use crate::annotation::Status;
use crate::export::formats::{Brat, Conll, Csv, Doccano, Jsonl, RecordWriter};
use crate::export::{Format, Record, TagFilter};
use crate::files::temp_path_for;
use crate::text::escape_path;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    /// jsonl, doccano, conll, brat or csv.
    #[arg(long, short)]
    pub format: Format,
    /// Output file (a folder for brat); standard output when absent.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Only these labels, comma-separated (e.g. PERSON,TASK).
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
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
        format!("unknown status {s:?} (one of {})", names.join(", "))
    })
}

/// Where the output goes until it is complete.
enum Sink {
    Stdout,
    /// A temp file renamed over `target` at the end.
    File {
        temp: PathBuf,
        target: PathBuf,
    },
    /// A temp folder renamed to `target` at the end.
    Folder {
        temp: PathBuf,
        target: PathBuf,
    },
}

impl Sink {
    fn discard(&self) {
        match self {
            Sink::Stdout => {}
            Sink::File { temp, .. } => {
                let _ = fs::remove_file(temp);
            }
            Sink::Folder { temp, .. } => {
                let _ = fs::remove_dir_all(temp);
            }
        }
    }

    fn commit(&self) -> anyhow::Result<()> {
        match self {
            Sink::Stdout => Ok(()),
            Sink::File { temp, target } | Sink::Folder { temp, target } => fs::rename(temp, target)
                .with_context(|| {
                    format!("{}: cannot move the output into place", escape_path(target))
                }),
        }
    }
}

pub fn run(args: ExportArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    let label_set = crate::corpus::CorpusConfig::load(&corpus.root)?.labels;
    if let Some(ls) = &args.labels {
        for l in ls {
            if label_set.get(l).is_none() {
                let known: Vec<&str> = label_set.names().collect();
                bail!("unknown label {l:?} (this corpus has {})", known.join(", "));
            }
        }
    }
    let labels: Vec<String> = match &args.labels {
        Some(ls) => ls.clone(),
        None => label_set.names().map(String::from).collect(),
    };
    let filter = TagFilter {
        labels: args.labels.clone(),
        include_rejected: args.include_rejected,
    };
    corpus.report_problems(args.keep_going)?;

    let sink = match (&args.output, args.format.is_folder()) {
        (None, true) => bail!("brat writes a folder: give it with -o DIR"),
        (None, false) => Sink::Stdout,
        (Some(target), folder) => {
            if folder
                && target.exists()
                && fs::read_dir(target)
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(true)
            {
                bail!(
                    "{}: the output folder exists and is not empty",
                    escape_path(target)
                );
            }
            if folder && target.exists() {
                fs::remove_dir(target).with_context(|| escape_path(target))?;
            }
            let temp = temp_path_for(target);
            if folder {
                fs::create_dir_all(&temp).with_context(|| escape_path(&temp))?;
                Sink::Folder {
                    temp,
                    target: target.clone(),
                }
            } else {
                Sink::File {
                    temp,
                    target: target.clone(),
                }
            }
        }
    };

    let result = export(&args, &corpus, &filter, labels, &sink);
    match result {
        Ok(()) => sink.commit(),
        Err(e) => {
            sink.discard();
            Err(e)
        }
    }
}

fn writer_for(format: Format, out: Box<dyn Write>, name: PathBuf) -> Box<dyn RecordWriter> {
    match format {
        Format::Jsonl => Box::new(Jsonl { out, name }),
        Format::Doccano => Box::new(Doccano { out, name }),
        Format::Conll => Box::new(Conll { out, name }),
        Format::Csv => Box::new(Csv {
            out,
            name,
            header_written: false,
        }),
        Format::Brat => unreachable!("brat writes a folder"),
    }
}

fn export(
    args: &ExportArgs,
    corpus: &Corpus,
    filter: &TagFilter,
    labels: Vec<String>,
    sink: &Sink,
) -> anyhow::Result<()> {
    let mut writer: Box<dyn RecordWriter> = match sink {
        Sink::Stdout => writer_for(
            args.format,
            Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
            PathBuf::from("<stdout>"),
        ),
        Sink::File { temp, target } => {
            let f = File::create(temp).with_context(|| escape_path(temp))?;
            writer_for(
                args.format,
                Box::new(SyncOnFlush(BufWriter::with_capacity(1 << 16, f))),
                target.clone(),
            )
        }
        Sink::Folder { temp, .. } => Box::new(Brat {
            dir: temp.clone(),
            labels,
        }),
    };
    let paths = &corpus.articles;
    let mut progress = Progress::new("exporting", paths.len());
    let (mut docs, mut tags, mut skipped) = (0usize, 0usize, 0usize);
    // Articles are read and parsed on every core, and written in corpus order by this thread; a
    // reader never runs more than `WINDOW` articles ahead of the writer, so memory stays flat.
    const WINDOW: usize = 256;
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8);
    let next = AtomicUsize::new(0);
    let written = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    type Loaded = (usize, crate::Result<Record>, Vec<String>);
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
                    let r = Record::load(&corpus.dirs, &paths.path(i), filter, &mut warnings);
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
    drop(writer);
    progress.clear();
    if std::io::stderr().is_terminal() {
        eprintln!(
            "exported {docs} articles, {tags} tags{}",
            if skipped > 0 {
                format!(", skipped {skipped}")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

/// A file writer whose flush also fsyncs: the export flushes once, at the end, before the rename.
struct SyncOnFlush(BufWriter<File>);

impl Write for SyncOnFlush {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()?;
        self.0.get_ref().sync_all()
    }
}
