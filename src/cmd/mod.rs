//! Subcommands, one file each with its `Args` and `run`. What several commands need (opening
//! the index, building it on first use, colour) lives here, so commands never call each other.

pub mod annotate;
pub mod bench;
pub mod cite;
pub mod export;
pub mod facets;
pub mod ingest;
pub mod quotes;
pub mod search;
pub mod show;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::cli::ColorChoice;
use crate::ingest::Report;
use crate::output;
use crate::query::{self, Request};
use crate::store::{Store, StoreError};

/// The index used when neither `--index` nor `FLOR_INDEX` names one.
pub const DEFAULT_INDEX: &str = "index";
/// The corpus read when `flor ingest` is given no path, and on first use.
pub const DEFAULT_CORPUS: &str = "corpus";

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Results were found, or everything was ingested: exit 0.
    Done,
    /// No results, or some input was skipped: exit 1.
    Partial,
}

/// Options every command takes.
#[derive(Debug, Clone)]
pub struct Global {
    /// `--index` or `FLOR_INDEX`; `None` means the default `index/`.
    pub index: Option<PathBuf>,
    /// `--corpus` or `FLOR_CORPUS`; `None` means the default `corpus/`.
    pub corpus: Option<PathBuf>,
    /// `--color`.
    pub color: ColorChoice,
}

impl Global {
    /// The index directory.
    pub fn index_dir(&self) -> PathBuf {
        self.index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
    }

    /// The corpus directory.
    pub fn corpus_dir(&self) -> PathBuf {
        self.corpus
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CORPUS))
    }

    /// Whether standard output gets colour.
    pub fn color(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Opens the index for reading. When the default index has not been built yet and `corpus/`
/// is here, builds it first; when the index was written by another schema version and records
/// its corpus paths, rebuilds it from them. Both say so on stderr.
pub fn open_store(global: &Global) -> Result<Store> {
    let dir = global.index_dir();
    match Store::open(&dir) {
        Ok(store) => Ok(store),
        Err(StoreError::Missing { .. })
            if global.index.is_none() && global.corpus_dir().is_dir() =>
        {
            let corpus = global.corpus_dir();
            eprintln!(
                "flor: no index in {DEFAULT_INDEX}/ yet; building it from {}/",
                corpus.display()
            );
            rebuild(std::slice::from_ref(&corpus), &dir, &corpus)
        }
        Err(StoreError::OtherVersion { found, paths, .. })
            if !paths.is_empty() && paths.iter().all(|p| Path::new(p).exists()) =>
        {
            eprintln!(
                "flor: the index at {} has schema version {found}; rebuilding it from {}",
                dir.display(),
                paths.join(", ")
            );
            let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
            rebuild(&paths, &dir, &global.corpus_dir())
        }
        Err(err) => Err(err.into()),
    }
}

fn rebuild(paths: &[PathBuf], dir: &Path, corpus: &Path) -> Result<Store> {
    let report = crate::ingest::run(&crate::ingest::Options {
        paths: paths.to_vec(),
        corpus: corpus.to_path_buf(),
        index: dir.to_path_buf(),
        format: None,
        rules: None,
        rebuild: true,
        memory_mb: crate::store::DEFAULT_MEMORY_MB,
        progress: std::io::stderr().is_terminal(),
    })?;
    print_report(&report, false);
    Ok(Store::open(dir)?)
}

/// Prints an ingest's warnings, skipped files and, unless `quiet`, its summary to stderr.
pub fn print_report(report: &Report, quiet: bool) {
    let mut err = std::io::stderr().lock();
    for warning in &report.warnings {
        let _ = writeln!(err, "flor: warning: {warning}");
    }
    for skipped in &report.files_skipped {
        let _ = writeln!(err, "flor: skipped {}: {}", skipped.path, skipped.reason);
    }
    if quiet {
        return;
    }
    if report.unchanged {
        let _ = writeln!(
            err,
            "flor: the index is up to date: {} unchanged, {}, {}",
            counted(report.files_ingested, "file", "files"),
            counted(report.records.passage, "passage", "passages"),
            counted(report.records.quote, "quote", "quotes"),
        );
        return;
    }
    let _ = writeln!(
        err,
        "flor: ingested {} ({} read, {} unchanged): {}, {}, {}, {} skipped",
        counted(report.files_ingested, "file", "files"),
        report.files_read,
        report.files_ingested - report.files_read,
        counted(report.records.passage, "passage", "passages"),
        counted(report.records.quote, "quote", "quotes"),
        counted(report.warnings.len(), "warning", "warnings"),
        counted(report.files_skipped.len(), "file", "files"),
    );
}

/// `1 file`, `2 files`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Runs a search and prints it; shared by `search` and `quotes`.
pub fn search_and_print(
    global: &Global,
    request: &Request,
    format: output::Format,
    cite: Option<&crate::cite::Style>,
) -> Result<Outcome> {
    if cite.is_some() && format != output::Format::Text {
        anyhow::bail!(
            "--cite prints under text results; for JSON use `flor export QUERY --style STYLE`"
        );
    }
    let store = open_store(global)?;
    let results = query::run(&store, request)?;
    let mut out = std::io::stdout().lock();
    match cite {
        None => output::hits(&mut out, &results.hits, format, global.color())?,
        Some(style) => {
            let sources = crate::config::sources(&global.corpus_dir())?;
            for (n, hit) in results.hits.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                output::hits(&mut out, std::slice::from_ref(hit), format, global.color())?;
                let cited = crate::cite::Cited::new(&hit.entry, &sources);
                let text = crate::cite::render(&[cited], style)?;
                for line in text.lines() {
                    writeln!(out, "    | {line}")?;
                }
            }
        }
    }
    out.flush()?;
    if format == output::Format::Text {
        let shown = results.hits.len();
        let noun = |n: usize| if n == 1 { "hit" } else { "hits" };
        match results.total {
            Some(total) => eprintln!("flor: {shown} of {total} {} shown", noun(total)),
            None if results.more => eprintln!(
                "flor: {shown} {} shown and more match; use --limit or --offset for more, --count for how many",
                noun(shown)
            ),
            None => {}
        }
    }
    Ok(if results.hits.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
