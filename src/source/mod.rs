//! Input formats. Each format has one file with the same `parse(path, text) -> Parsed`
//! signature; `Format` names them and `parse` dispatches with a single `match`.

pub mod topic;

use std::path::Path;

use crate::model::{Record, Warning};

/// What a parser read from one file: its records, and what it could not place.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Records in file order.
    pub records: Vec<Record>,
    /// Lines the parser could not place, as `path:line: message`.
    pub warnings: Vec<Warning>,
}

/// The input formats florilegium reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An encyclopedia-style page with its famous quotations (the reference page's format).
    TopicPage,
}

impl Format {
    /// The format of a file met while walking a directory, from its name; `None` when the
    /// file is not one florilegium reads.
    pub fn for_path(path: &Path) -> Option<Format> {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("txt") => Some(Format::TopicPage),
            _ => None,
        }
    }
}

/// Parses `text` (already decoded, BOM included or not) in the given format.
pub fn parse(format: Format, path: &str, text: &str) -> Parsed {
    match format {
        Format::TopicPage => topic::parse(path, text),
    }
}

/// The lines of a text with their 1-based numbers: a leading BOM is dropped, LF and CRLF are
/// both line ends, and trailing whitespace is trimmed.
pub fn lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .map(|(i, line)| (u32::try_from(i + 1).unwrap_or(u32::MAX), line.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_bom_cr_and_trailing_space() {
        let got: Vec<(u32, &str)> = lines("\u{feff}a \r\nb\t\r\n\r\nc").collect();
        assert_eq!(got, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]);
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(
            Format::for_path(Path::new("x/page.txt")),
            Some(Format::TopicPage)
        );
        assert_eq!(
            Format::for_path(Path::new("x/PAGE.TXT")),
            Some(Format::TopicPage)
        );
        assert_eq!(Format::for_path(Path::new("x/README.md")), None);
    }
}
