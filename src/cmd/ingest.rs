//! `flor ingest [PATH...]`: read source files into the index.

use std::path::PathBuf;

use anyhow::Result;

use super::{DEFAULT_CORPUS, Global, Outcome, print_report};

/// Arguments of `flor ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and directories to read [default: corpus/]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Ingests the paths and prints a summary; exits 1 when something was skipped.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths.clone()
    };
    let report = crate::ingest::run(&paths, &global.index_dir())?;
    print_report(&report);
    Ok(if report.is_clean() {
        Outcome::Done
    } else {
        Outcome::Partial
    })
}
