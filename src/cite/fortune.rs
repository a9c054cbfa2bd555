//! A fortune file: each record's text, a `\t\t-- Author (dates)` line for a quote, and `%`
//! between records, as `strfile` expects and florilegium's fortune parser reads back.

use super::Cited;

/// The records as a fortune file.
pub fn render(cited: &[Cited]) -> String {
    let mut out = String::new();
    for (n, one) in cited.iter().enumerate() {
        if n > 0 {
            out.push_str("%\n");
        }
        for line in one.entry.text.lines() {
            // A line holding only `%` would end the record.
            if line.trim() == "%" {
                out.push_str(" %\n");
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        if let Some(author) = &one.entry.author {
            out.push_str(&format!("\t\t-- {}\n", author.raw));
        }
    }
    out
}
