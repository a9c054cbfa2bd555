//! `flor quotes WORD...`: quotes filed under a word, or containing it, filed ones first.

use anyhow::Result;

use super::{Global, Outcome, search_and_print};
use crate::cli::{FilterArgs, ResultArgs};
use crate::query::{Request, Terms};

/// Arguments of `flor quotes`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Words the quotes are filed under or contain (all of them must match)
    #[arg(required = true, value_name = "WORD")]
    pub words: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    #[command(flatten)]
    pub results: ResultArgs,
}

/// Finds quotes and prints them.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let request = Request {
        terms: Terms::Quotes(args.words.clone()),
        filters: args.filters.filters(),
        limit: usize::try_from(args.results.limit).unwrap_or(usize::MAX),
        offset: usize::try_from(args.results.offset).unwrap_or(usize::MAX),
        count: args.results.count,
    };
    search_and_print(
        global,
        &request,
        args.results.format.into(),
        args.results.cite.as_ref(),
    )
}
