//! Printers for hits and records. Each writes to any `io::Write`, so tests capture output in a
//! `Vec<u8>`; the JSON forms are the record contract.

mod json;
mod text;

use std::io::{self, Write};

use crate::model::{Entry, Hit};
use crate::query::FacetCount;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: highlighted text, attribution, id and `path:line`.
    Text,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// Prints search hits.
pub fn hits<W: Write>(out: &mut W, hits: &[Hit], format: Format, color: bool) -> io::Result<()> {
    match format {
        Format::Text => text::hits(out, hits, color),
        Format::Json => json::array(out, hits),
        Format::Jsonl => json::lines(out, hits),
    }
}

/// Prints whole records.
pub fn entries<W: Write>(
    out: &mut W,
    entries: &[Entry],
    format: Format,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Text => text::entries(out, entries, color),
        Format::Json => json::array(out, entries),
        Format::Jsonl => json::lines(out, entries),
    }
}

/// Prints records as JSON Lines, the record contract.
pub fn records_jsonl<W: Write>(out: &mut W, entries: &[&Entry]) -> io::Result<()> {
    json::lines(out, entries)
}

/// Prints facet counts: in text, the count and the value (the whole path with `paths`).
pub fn facets<W: Write>(
    out: &mut W,
    counts: &[FacetCount],
    format: Format,
    paths: bool,
) -> io::Result<()> {
    match format {
        Format::Text => {
            let width = counts
                .iter()
                .map(|c| c.count.to_string().len())
                .max()
                .unwrap_or(1);
            for count in counts {
                let label = if paths { &count.tag } else { &count.value };
                writeln!(out, "{:>width$}  {label}", count.count)?;
            }
            Ok(())
        }
        Format::Json => json::array(out, counts),
        Format::Jsonl => json::lines(out, counts),
    }
}

/// A year as people write it: `1930`, `44 B.C.`.
pub fn year(year: i32) -> String {
    if year < 0 {
        format!("{} B.C.", -i64::from(year))
    } else {
        year.to_string()
    }
}
