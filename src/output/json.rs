//! JSON and JSON Lines printers: the record contract, version 1.

use std::io::{self, Write};

use serde::Serialize;

/// One JSON array of all items, then a newline.
pub fn array<W: Write, T: Serialize>(out: &mut W, items: &[T]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, items).map_err(io::Error::from)?;
    writeln!(out)
}

/// One compact JSON object per line.
pub fn lines<W: Write, T: Serialize>(out: &mut W, items: &[T]) -> io::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, item).map_err(io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}
