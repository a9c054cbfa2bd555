//! `flor cite ID... --style STYLE`: citations of records, and `--list-styles`.

use std::io::Write;

use anyhow::Result;

use super::{Global, Outcome, open_store};
use crate::cite::{self, Cited, Style};

/// Arguments of `flor cite`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Record ids, as search results print them
    #[arg(value_name = "ID", required_unless_present = "list_styles")]
    pub ids: Vec<String>,

    /// apa, mla, chicago, chicago-notes, bibtex, ris, csl-json, markdown, fortune, jsonl, or
    /// any CSL style of the archive by name
    #[arg(long, short = 's', default_value = "apa", value_name = "STYLE")]
    pub style: Style,

    /// List the styles and exit
    #[arg(long)]
    pub list_styles: bool,
}

/// Prints the citations; exits 1 when an id is unknown.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let mut out = std::io::stdout().lock();
    if args.list_styles {
        for (name, about) in cite::list() {
            writeln!(out, "{name:<40} {about}")?;
        }
        out.flush()?;
        return Ok(Outcome::Done);
    }
    let store = open_store(global)?;
    let sources = crate::config::sources(&global.corpus_dir())?;
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
    let cited: Vec<Cited> = entries.iter().map(|e| Cited::new(e, &sources)).collect();
    out.write_all(cite::render(&cited, &args.style)?.as_bytes())?;
    out.flush()?;
    Ok(if missing || entries.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
