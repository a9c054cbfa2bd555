//! `flor search QUERY`: full-text search with tantivy query syntax and filters.

use anyhow::Result;

use super::{Global, Outcome, search_and_print};
use crate::cli::{FilterArgs, ResultArgs};
use crate::query::{Request, Terms};

/// Arguments of `flor search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Query, e.g. `invasion`, `"battle of bridge"`, `army -militia`, `author:taft`, or `*`
    pub query: String,

    #[command(flatten)]
    pub filters: FilterArgs,

    #[command(flatten)]
    pub results: ResultArgs,
}

/// Searches and prints the hits.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let request = Request {
        terms: Terms::Query(args.query.clone()),
        filters: args.filters.filters(),
        limit: usize::try_from(args.results.limit).unwrap_or(usize::MAX),
        offset: usize::try_from(args.results.offset).unwrap_or(usize::MAX),
    };
    search_and_print(
        global,
        &request,
        args.results.format.into(),
        args.results.cite.as_ref(),
    )
}
