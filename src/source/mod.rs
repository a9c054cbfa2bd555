//! Input formats. Each format has one file with the same `parse(&Input) -> Parsed` signature;
//! `Format` names them, `Format::detect` guesses one from a file's name and first bytes, and
//! `parse` dispatches with a single `match`.

pub mod csv;
pub mod fortune;
pub mod json;
pub mod markdown;
pub mod plain;
pub mod topic;

use std::path::Path;

use crate::model::{Record, Warning};

/// What a parser reads: a file's text (or a run of its lines) and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The file, as records and warnings name it.
    pub path: &'a str,
    /// The decoded text.
    pub text: &'a str,
    /// The line number of the first line of `text` in the file (1 unless the file is read in
    /// pieces).
    pub first_line: u32,
}

impl<'a> Input<'a> {
    /// A whole file.
    pub fn new(path: &'a str, text: &'a str) -> Input<'a> {
        Input {
            path,
            text,
            first_line: 1,
        }
    }

    /// The lines with their 1-based numbers in the file: a leading BOM is dropped, LF and CRLF
    /// are both line ends, and trailing whitespace is trimmed. A final newline does not make an
    /// extra empty line.
    pub fn lines(&self) -> impl Iterator<Item = (u32, &'a str)> + use<'a> {
        let text = self.text.strip_prefix('\u{feff}').unwrap_or(self.text);
        let text = text.strip_suffix('\n').unwrap_or(text);
        let first = self.first_line;
        text.split('\n').enumerate().map(move |(i, line)| {
            let number = u32::try_from(i).map_or(u32::MAX, |i| first.saturating_add(i));
            (number, line.trim_end())
        })
    }

    /// A warning about a line of this input.
    pub fn warning(&self, line: u32, message: impl Into<String>) -> Warning {
        Warning {
            path: self.path.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// What a parser read from one file: its records, and what it could not place.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Records in file order.
    pub records: Vec<Record>,
    /// Lines the parser could not place, as `path:line: message`.
    pub warnings: Vec<Warning>,
}

/// The input formats florilegium reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// An encyclopedia-style page with its famous quotations (the reference page's format).
    TopicPage,
    /// `%`-separated quotations, as in Debian's `fortunes` package.
    Fortune,
    /// Paragraphs of plain text.
    Plain,
    /// Markdown: headings, paragraphs, `>` quotations with an `— Author` line.
    Markdown,
    /// A JSON array of quote objects, or of florilegium records.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A CSV table with a header row, such as `quote,author,category`.
    Csv,
}

/// Every format, in the order `--input-format` lists them.
pub const FORMATS: &[Format] = &[
    Format::TopicPage,
    Format::Fortune,
    Format::Plain,
    Format::Markdown,
    Format::Json,
    Format::Jsonl,
    Format::Csv,
];

/// Why a file is not parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pass {
    /// The file is not in a format florilegium reads.
    Unknown,
    /// The file is a companion of a fortune file (`.dat` index, `.u8` twin).
    FortuneCompanion,
}

impl Format {
    /// The name used on the command line, in messages and in tags.
    pub fn name(self) -> &'static str {
        match self {
            Format::TopicPage => "topic-page",
            Format::Fortune => "fortune",
            Format::Plain => "plain",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<Format> {
        FORMATS.iter().copied().find(|f| f.name() == name)
    }

    /// Guesses the format of a file from its name and the start of its text. `Err` says why
    /// the file is passed over.
    pub fn detect(path: &Path, head: &str) -> Result<Format, Pass> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("json") => Ok(Format::Json),
            Some("jsonl" | "ndjson") => Ok(Format::Jsonl),
            Some("csv") => Ok(Format::Csv),
            Some("md" | "markdown") => Ok(Format::Markdown),
            Some("dat" | "u8") => Err(Pass::FortuneCompanion),
            Some("txt" | "text") => Ok(guess_text(head)),
            None => Ok(guess_text(head)),
            Some(_) => Err(Pass::Unknown),
        }
    }
}

/// Tells a fortune file, a topic page and plain prose apart by their shape.
fn guess_text(head: &str) -> Format {
    let input = Input::new("", head);
    let lines: Vec<&str> = input.lines().map(|(_, l)| l).collect();
    if lines.contains(&"%") {
        return Format::Fortune;
    }
    let markers = lines.iter().any(|l| {
        let l = l.trim_start();
        l.starts_with("Read more about this topic:")
            || l.starts_with("Famous quotes containing the word")
    });
    if markers {
        return Format::TopicPage;
    }
    // A page opens with a title: one short line, not indented, not a sentence, then a blank.
    let mut lines = lines.into_iter().skip_while(|l| l.trim().is_empty());
    let Some(first) = lines.next() else {
        return Format::Plain;
    };
    let after = lines.next();
    let title_like = !first.starts_with([' ', '\t'])
        && first.chars().count() <= 120
        && !first.ends_with(['.', ',', ';', ':', '!', '?', '"', '”'])
        && after.is_none_or(|l| l.trim().is_empty());
    if title_like {
        Format::TopicPage
    } else {
        Format::Plain
    }
}

/// Parses an input in the given format.
pub fn parse(format: Format, input: &Input) -> Parsed {
    match format {
        Format::TopicPage => topic::parse(input),
        Format::Fortune => fortune::parse(input),
        Format::Plain => plain::parse(input),
        Format::Markdown => markdown::parse(input),
        Format::Json => json::parse(input),
        Format::Jsonl => json::parse_lines(input),
        Format::Csv => csv::parse(input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_drop_bom_cr_and_trailing_space() {
        let input = Input::new("p", "\u{feff}a \r\nb\t\r\n\r\nc\n");
        let got: Vec<(u32, &str)> = input.lines().collect();
        assert_eq!(got, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]);
        let later = Input {
            first_line: 10,
            ..Input::new("p", "x\ny")
        };
        assert_eq!(
            later.lines().collect::<Vec<_>>(),
            vec![(10, "x"), (11, "y")]
        );
    }

    #[test]
    fn formats_from_names_and_shapes() {
        let detect = |name: &str, head: &str| Format::detect(Path::new(name), head);
        assert_eq!(detect("a.json", "[]"), Ok(Format::Json));
        assert_eq!(detect("a.JSONL", ""), Ok(Format::Jsonl));
        assert_eq!(detect("a.csv", "quote,author"), Ok(Format::Csv));
        assert_eq!(detect("README.md", "# x"), Ok(Format::Markdown));
        assert_eq!(
            detect("fortunes/art", "A quip.\n%\nAnother.\n"),
            Ok(Format::Fortune)
        );
        assert_eq!(detect("fortunes/art.dat", ""), Err(Pass::FortuneCompanion));
        assert_eq!(
            detect("fortunes/art.u8", "A.\n%\n"),
            Err(Pass::FortuneCompanion)
        );
        assert_eq!(detect("image.png", ""), Err(Pass::Unknown));
        let page = "Muslim Conquest of Persia - Second Invasion (636)\n\nBody.\n";
        assert_eq!(detect("p.txt", page), Ok(Format::TopicPage));
        assert_eq!(
            detect("p.txt", "Sasanian Empire\n\nBody text.\n"),
            Ok(Format::TopicPage)
        );
        let prose = "It was a dark night, and the army marched.\nOn and on.\n\nMore.\n";
        assert_eq!(detect("p.txt", prose), Ok(Format::Plain));
        assert_eq!(detect("notes", prose), Ok(Format::Plain));
    }

    #[test]
    fn format_names_round_trip() {
        for format in FORMATS {
            assert_eq!(Format::from_name(format.name()), Some(*format));
        }
    }
}
