//! `gloss import`: tags from jsonl, doccano, brat, CoNLL or csv files into the corpus's sidecars.
//!
//! Two passes, so that a bad file changes nothing: first every record is read, matched to its
//! article and checked against it (the core's [`gloss_core::import::merge::plan_record`]); then, if
//! nothing was wrong (or `--keep-going` leaves the wrong records out), each article's plan is
//! merged into its sidecar through the core document and saved
//! ([`gloss_core::import::merge::import_into`]). This file parses the arguments and prints.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::corpus::{Corpus, warn};
use super::progress::Progress;
use gloss_core::corpus::CorpusConfig;
use gloss_core::formats::{self, Format, Reads};
use gloss_core::import::Units;
use gloss_core::import::catalog::Catalog;
use gloss_core::import::merge::{Imported, Plan, import_into, plan_record, unknown_entities};
use gloss_core::text::offsets::Offsets;
use gloss_core::text::{escape_path, sanitize_inline};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The corpus folder.
    pub dir: PathBuf,
    #[arg(long, short, value_parser = formats::find, help = format_help())]
    pub format: &'static Format,
    /// The files to import (brat: folders of .ann and .txt files, or .ann files).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The name recorded on tags whose file names no annotator (default: config.ron's annotator,
    /// else the login name).
    #[arg(long, value_name = "NAME")]
    pub annotator: Option<String>,
    /// Keep sidecars in this mirror folder (as `gloss --annotations`).
    #[arg(long, value_name = "DIR")]
    pub annotations: Option<PathBuf>,
    /// Import what can be imported, leaving out (and naming) records that do not match.
    #[arg(long)]
    pub keep_going: bool,
    #[arg(long, value_name = "UNITS", help = offsets_help())]
    pub offsets: Option<Offsets>,
    /// Print no progress bar and no summary (warnings and errors are still said on stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

/// What `gloss import` does, with the formats it reads.
pub fn about() -> String {
    format!(
        "Import tags (and relations, entity links) from {} files into the corpus's sidecars",
        formats::listed(formats::readable(), "or")
    )
}

fn format_help() -> String {
    formats::listed(formats::readable(), "or")
}

fn offsets_help() -> String {
    format!(
        "{} only: the file's offsets are utf16 code units (as doccano's web interface counts), codepoint or grapheme (clusters, a doccano project in grapheme mode); without it, utf16 unless code points fit the record's text (whole characters and words) better, said when so",
        formats::listed(formats::taking_offsets(), "and")
    )
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let corpus = Corpus::open(&args.dir, args.annotations.as_deref())?;
    corpus.report_problems(true)?;
    let offsets = args
        .format
        .offsets_given(args.offsets)
        .map_err(anyhow::Error::msg)?;
    if let Reads::ExportOnly(why) = args.format.reads {
        bail!("the {} format is for export only ({why})", args.format);
    }
    let config = CorpusConfig::load(&corpus.root)?;
    let (labels, types) = (config.labels, config.relations);
    let annotator = match &args.annotator {
        Some(a) => a.clone(),
        None => {
            let dirs = gloss_core::settings::Dirs::from_env();
            gloss_core::settings::UserConfig::load(&dirs.config_file())?
                .annotator
                .unwrap_or_else(gloss_core::settings::login_name)
        }
    };

    // First pass: read, match and check everything; nothing is written.
    let mut catalog = Catalog::new(&corpus.root, &corpus.articles);
    let mut plans: BTreeMap<usize, Plan> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    let mut records = 0usize;
    for file in &args.files {
        let incoming = match args.format.read(file, offsets) {
            Ok(r) => r,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        for mut rec in incoming {
            records += 1;
            // offsets said neither here nor in the file: read as the text shows them to be (see
            // Units::Utf16OrChars); --offsets given is taken over what the file says
            match args.offsets {
                Some(o) if rec.units_stated => rec.units = o.into(),
                None if rec.units == Units::Utf16 && !rec.units_stated => {
                    rec.units = Units::Utf16OrChars;
                }
                _ => {}
            }
            for w in &rec.warnings {
                warn(w);
            }
            match plan_record(&rec, &mut catalog, &labels, &types, &annotator) {
                Ok(planned) => {
                    for w in &planned.warnings {
                        warn(w);
                    }
                    plans
                        .entry(planned.article)
                        .or_default()
                        .extend(planned.plan);
                }
                Err(e) => problems.push(e),
            }
        }
    }
    const SHOWN: usize = 50;
    for p in problems.iter().take(SHOWN) {
        warn(p);
    }
    if problems.len() > SHOWN {
        warn(&format!("… and {} more", problems.len() - SHOWN));
    }
    if !problems.is_empty() && !args.keep_going {
        bail!(
            "nothing imported: {} problem(s) (--keep-going imports the rest)",
            problems.len()
        );
    }

    let registry = gloss_core::entity::Registry::load(&corpus.root)?;
    for (id, n) in unknown_entities(plans.values(), &registry) {
        warn(&format!(
            "{n} tag(s) link to the entity “{}”, which {} does not define: imported with the link (define it there, or the brat export leaves the link out)",
            sanitize_inline(&id),
            escape_path(registry.path())
        ));
    }

    // Second pass: merge into each sidecar through the document.
    let mut added: BTreeMap<String, usize> = BTreeMap::new();
    let (mut already, mut written, mut failed, mut related) = (0usize, 0usize, 0usize, 0usize);
    let mut progress = Progress::new("importing", plans.len()).quiet(args.quiet);
    for (i, plan) in plans {
        progress.tick();
        match import_into(&corpus.dirs, &corpus.articles.path(i), plan) {
            Ok(Imported {
                applied,
                written: w,
            }) => {
                for (l, n) in applied.added {
                    *added.entry(l).or_default() += n;
                }
                related += applied.relations;
                already += applied.already;
                written += usize::from(w);
            }
            Err(e) => {
                progress.clear();
                warn(&e);
                failed += 1;
            }
        }
    }
    progress.clear();
    let total: usize = added.values().sum();
    let matched = records - problems.len();
    if args.quiet {
        if failed > 0 {
            bail!("{failed} sidecar(s) could not be written (see above)");
        }
        return Ok(());
    }
    println!(
        "{matched} of {records} record(s) matched; {total} tag(s) added, {already} already there; {related} relation(s) added; {written} sidecar(s) written"
    );
    for (l, n) in &added {
        println!("  {:<16}{n:>8}", sanitize_inline(l));
    }
    if !problems.is_empty() {
        println!(
            "{} record(s) or file(s) left out (see above)",
            problems.len()
        );
    }
    if failed > 0 {
        bail!("{failed} sidecar(s) could not be written (see above)");
    }
    Ok(())
}
