//! `flor show ID...`: print whole records.

use std::io::Write;

use anyhow::Result;

use super::{Global, Outcome, open_store};
use crate::cli::FormatArg;
use crate::output;

/// Arguments of `flor show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Record ids, as search results print them (`p-…`, `q-…`)
    #[arg(required = true, value_name = "ID")]
    pub ids: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
}

/// Prints each record found; exits 1 when an id is unknown.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let store = open_store(global)?;
    let mut entries = Vec::new();
    let mut missing = false;
    for id in &args.ids {
        match store.get(id.trim())? {
            Some(entry) => entries.push(entry),
            None => {
                eprintln!("flor: no record with id {id:?} in {}", store.path());
                missing = true;
            }
        }
    }
    let mut out = std::io::stdout().lock();
    output::entries(&mut out, &entries, args.format.into(), global.color())?;
    out.flush()?;
    Ok(if missing {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
