//! `flor`: parse the command line, run one command, and turn its result into an exit code:
//! 0 done, 1 no results or something skipped, 2 error. A closed pipe is not an error.

use std::process::ExitCode;

use clap::Parser;

use florilegium::cli::{Cli, Command};
use florilegium::cmd::{self, Global, Outcome};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let global = Global {
        index: cli.index.clone(),
        corpus: cli.corpus.clone(),
        color: cli.color,
    };
    let result = match &cli.command {
        Command::Ingest(args) => cmd::ingest::run(&global, args),
        Command::Search(args) => cmd::search::run(&global, args),
        Command::Quotes(args) => cmd::quotes::run(&global, args),
        Command::Show(args) => cmd::show::run(&global, args),
        Command::Facets(args) => cmd::facets::run(&global, args),
        Command::Annotate(args) => cmd::annotate::run(&global, args),
        Command::Cite(args) => cmd::cite::run(&global, args),
        Command::Export(args) => cmd::export::run(&global, args),
        Command::Bench(args) => cmd::bench::run(&global, args),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Partial) => ExitCode::from(1),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("flor: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// True when the error is a write to a closed pipe (`flor search x | head -1`).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
