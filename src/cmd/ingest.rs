//! `flor ingest [PATH...]`: read source files into the index.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{Global, Outcome, print_report};
use crate::ingest::Options;
use crate::source::{FORMATS, Format};

/// Arguments of `flor ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and directories to read [default: the corpus directory]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read every file in this format instead of detecting each one
    #[arg(long, value_name = "FMT", value_parser = parse_format)]
    pub input_format: Option<Format>,

    /// Write a JSON report (files ingested and skipped, records, warnings) to FILE
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Tagging rules [default: florilegium.toml in the corpus directory]
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// Read every file again instead of only those changed since the last ingest
    #[arg(long)]
    pub rebuild: bool,

    /// Indexing memory in MB, shared by one indexing thread per core (more memory, fewer and
    /// larger segments); the peak memory of the process stays within about twice this
    #[arg(long, value_name = "MB", default_value_t = crate::store::DEFAULT_MEMORY_MB as u64,
          value_parser = clap::value_parser!(u64).range(crate::store::MIN_MEMORY_MB as u64..=65536))]
    pub memory: u64,

    /// No progress bar and no summary; warnings and errors are still printed
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = FORMATS.iter().map(|f| f.name()).collect();
        format!("unknown format {name:?}; use one of {}", names.join(", "))
    })
}

/// Ingests the paths and prints a summary; exits 1 when something was lost.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![global.corpus_dir()]
    } else {
        args.paths.clone()
    };
    let report = crate::ingest::run(&Options {
        paths,
        corpus: global.corpus_dir(),
        index: global.index_dir(),
        format: args.input_format,
        rules: args.rules.clone(),
        rebuild: args.rebuild,
        memory_mb: usize::try_from(args.memory).unwrap_or(usize::MAX),
        progress: !args.quiet && std::io::stderr().is_terminal(),
    })?;
    print_report(&report, args.quiet);
    if let Some(file) = &args.report {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(file, json + "\n")
            .with_context(|| format!("cannot write the report to {}", file.display()))?;
    }
    Ok(if report.is_clean() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}
