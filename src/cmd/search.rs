//! `flor search QUERY`: full-text search with tantivy query syntax and filters.

use anyhow::Result;

use super::{Global, Outcome, search_and_print};
use crate::cli::{FilterArgs, ResultArgs};
use crate::query::{Request, Terms};

/// Arguments of `flor search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Query, e.g. `invasion`, `"battle of bridge"`, `army -militia`, `author:taft`, `*`, or
    /// `-` to read it from standard input
    pub query: String,

    #[command(flatten)]
    pub filters: FilterArgs,

    #[command(flatten)]
    pub results: ResultArgs,
}

/// The query on standard input, read up to one byte past the limit so that the limit is
/// reported rather than the whole input held in memory.
fn read_query() -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let limit = u64::try_from(crate::query::MAX_QUERY + 1).unwrap_or(u64::MAX);
    std::io::stdin().take(limit).read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Searches and prints the hits.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let query = if args.query == "-" {
        read_query()?
    } else {
        args.query.clone()
    };
    let request = Request {
        terms: Terms::Query(query),
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
