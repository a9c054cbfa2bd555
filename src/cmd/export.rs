//! `flor export [QUERY] [filters] --style STYLE [-o FILE]`: every matching record (the whole
//! index without a query) as citations.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{Global, Outcome, open_store};
use crate::cite::{self, Cited, Style};
use crate::cli::FilterArgs;
use crate::query::{self, Request, Terms};

/// Arguments of `flor export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Query in tantivy syntax [default: every record]
    pub query: Option<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Citation style (see `flor cite --list-styles`)
    #[arg(long, short = 's', value_name = "STYLE")]
    pub style: Style,

    /// Write to FILE instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Writes the citations; exits 1 when nothing matches.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let store = open_store(global)?;
    let all = usize::try_from(store.searcher().num_docs()).unwrap_or(usize::MAX);
    let request = Request {
        terms: Terms::Query(args.query.clone().unwrap_or_else(|| "*".to_string())),
        filters: args.filters.filters(),
        limit: all.max(1),
        offset: 0,
        count: false,
    };
    let mut hits = query::run(&store, &request)?.hits;
    // A whole export reads in corpus order; a query's in rank order.
    if args.query.is_none() {
        hits.sort_by(|a, b| {
            let place = |h: &crate::model::Hit| {
                h.entry
                    .sources
                    .first()
                    .map(|s| (s.path.clone(), s.line_start))
            };
            place(a).cmp(&place(b))
        });
    }
    let sources = crate::config::sources(&global.corpus_dir())?;
    let cited: Vec<Cited> = hits
        .iter()
        .map(|h| Cited::new(&h.entry, &sources))
        .collect();
    let text = cite::render(&cited, &args.style)?;
    match &args.output {
        Some(file) => {
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(file, text)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(if hits.is_empty() {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}
