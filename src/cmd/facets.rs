//! `flor facets [FIELD] [QUERY]`: how many records carry each author, keyword, topic, century,
//! name or tag, in the whole index or among the records a query matches.

use std::io::Write;

use anyhow::Result;

use super::{Global, Outcome, open_store};
use crate::cli::{FilterArgs, FormatArg};
use crate::output;
use crate::query::{self, Request, Terms};

/// The fields `flor facets` counts, each a group of tags.
const FIELDS: &[&str] = &["author", "keyword", "topic", "century", "name", "tag"];

/// Arguments of `flor facets`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// author, keyword, topic, century, name, tag (every tag), or a tag path such as /event
    #[arg(default_value = "tag", value_parser = parse_field)]
    pub field: String,

    /// Count only among the records this query matches (tantivy syntax)
    pub query: Option<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
}

fn parse_field(field: &str) -> Result<String, String> {
    if FIELDS.contains(&field) || field.starts_with('/') {
        Ok(field.to_string())
    } else {
        Err(format!(
            "{field:?} is not a field; use one of {} or a tag path such as /event",
            FIELDS.join(", ")
        ))
    }
}

/// Prints the counts; exits 1 when nothing is counted.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let store = open_store(global)?;
    let request = Request {
        terms: Terms::Query(args.query.clone().unwrap_or_else(|| "*".to_string())),
        filters: args.filters.filters(),
        limit: 1,
        offset: 0,
        count: false,
    };
    let parent = match args.field.as_str() {
        "tag" => "/".to_string(),
        path if path.starts_with('/') => path.to_string(),
        group => format!("/{group}"),
    };
    let counts = query::facets(&store, &request, &parent)?;
    let mut out = std::io::stdout().lock();
    output::facets(&mut out, &counts, args.format.into(), parent == "/")?;
    out.flush()?;
    Ok(if counts.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
