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

/// Accounting: every non-blank line of any input ends up in a record, in a warning, or is the
/// format's own syntax (a `%` separator, a heading, a CSV header…). Checked on generated input
/// for every format; no parser may panic.
#[cfg(test)]
mod accounting {
    use proptest::prelude::*;

    use super::*;

    /// Lines each format is generated from: its syntax, near-misses of it, and free text.
    fn vocabulary(format: Format) -> &'static [&'static str] {
        match format {
            Format::TopicPage => &[
                "Page Title - Part (636)",
                "Part (636)",
                "Text of a paragraph in 640.",
                "Read more about this topic:  Topic",
                "Famous quotes containing the words war, army and/or peace:",
                "    Indented quotation text",
                "\tTabbed quotation text",
                "    William Howard Taft (1857–1930)",
                "    — Somebody (c. 544–496 B.C.), Work",
                "    Bible: New Testament, Matthew 26:52.",
            ],
            Format::Fortune => &[
                "%",
                "A saying.",
                "\t\t-- Mark Twain",
                "\t\t   wrapped attribution",
                "-- dialogue line",
                "— Someone (1857–1930)",
                "  indented verse",
            ],
            Format::Plain | Format::Markdown => &[
                "# Title",
                "## Part (642)",
                "Some text.",
                "- item",
                "1. numbered",
                "> quoted",
                ">",
                "— Author (1900–1950)",
                "-- Another",
                "```",
                "code();",
                "---",
                "===",
                "<!-- a comment -->",
                "<!-- open",
                "*emphasis* and [link](x)",
            ],
            Format::Json | Format::Jsonl => &[
                "{\"text\": \"One.\", \"author\": \"Ann\"}",
                "{\"quote\": \"Two.\", \"tags\": [\"x\"]}",
                "{\"author\": \"No text\"}",
                "{\"text\": broken",
                "[1, 2]",
                "\"a string\"",
            ],
            Format::Csv => &[
                "Text, with comma.,Ann,war",
                "\"Quoted, text.\",Bob,peace",
                "\"Open quote,Carl,x",
                "only one field",
                "a,b,c,d",
                ",empty text,x",
                "\"bad\"x,y,z",
            ],
        }
    }

    /// Lines that are the format's syntax rather than content.
    fn syntax(format: Format, lines: &[(u32, &str)], at: usize) -> bool {
        let line = lines[at].1;
        let trimmed = line.trim();
        let next = lines.get(at + 1).map_or("", |(_, l)| l.trim());
        let setext =
            |l: &str| l.len() >= 2 && (l.chars().all(|c| c == '=') || l.chars().all(|c| c == '-'));
        match format {
            Format::Fortune => trimmed == "%",
            Format::TopicPage => {
                let first = lines.iter().position(|(_, l)| !l.trim().is_empty());
                let title = first.map_or("", |f| lines[f].1.trim());
                let heading = title.rsplit(" - ").next().unwrap_or(title);
                Some(at) == first
                    || trimmed.starts_with("Read more about this topic:")
                    || trimmed.starts_with("Famous quotes containing")
                    || trimmed == heading
            }
            Format::Markdown => {
                trimmed.starts_with('#')
                    || trimmed == ">"
                    || setext(trimmed)
                    || setext(next)
                    || trimmed.starts_with("```")
                    || in_comment(lines, at)
            }
            Format::Csv => lines.iter().position(|(_, l)| !l.trim().is_empty()) == Some(at),
            Format::Json => trimmed
                .chars()
                .all(|c| matches!(c, '[' | ']' | ',' | '{' | '}')),
            Format::Plain | Format::Jsonl => false,
        }
    }

    /// True when a Markdown line is inside an HTML comment (outside code fences): hidden by
    /// its author, not lost.
    fn in_comment(lines: &[(u32, &str)], at: usize) -> bool {
        let (mut fenced, mut comment) = (false, false);
        for (i, (_, line)) in lines.iter().enumerate().take(at + 1) {
            let trimmed = line.trim();
            if comment {
                if i == at {
                    return true;
                }
                comment = !trimmed.contains("-->");
            } else if trimmed.starts_with("```") {
                fenced = !fenced;
            } else if !fenced && trimmed.starts_with("<!--") {
                if i == at {
                    return true;
                }
                comment = !trimmed.contains("-->");
            }
        }
        false
    }

    fn check(format: Format, picks: &[usize]) -> Result<(), TestCaseError> {
        let words = vocabulary(format);
        let mut text = String::new();
        if format == Format::Csv {
            text.push_str("quote,author,category\n");
        }
        if format == Format::Markdown {
            // Front matter is only read at the very top; start with text to keep it out.
            text.push_str("Intro.\n\n");
        }
        if format == Format::Json {
            text.push_str("[\n");
        }
        for (n, pick) in picks.iter().enumerate() {
            match pick % (words.len() + 1) {
                0 => text.push('\n'),
                i => {
                    if format == Format::Json && n > 0 {
                        text.push_str(",\n");
                    }
                    text.push_str(words[i - 1]);
                    text.push('\n');
                }
            }
        }
        if format == Format::Json {
            text.push_str("]\n");
        }
        let input = Input::new("gen", &text);
        let parsed = parse(format, &input);
        let lines: Vec<(u32, &str)> = input.lines().collect();
        for (at, (number, line)) in lines.iter().enumerate() {
            if line.trim().is_empty() || syntax(format, &lines, at) {
                continue;
            }
            let in_record = parsed
                .records
                .iter()
                .any(|r| r.source.line_start <= *number && *number <= r.source.line_end);
            let in_warning = parsed
                .warnings
                .iter()
                .any(|w| w.line == *number || w.line == 0);
            // A JSON file that does not parse is one warning for the whole file.
            let whole_file =
                format == Format::Json && parsed.records.is_empty() && !parsed.warnings.is_empty();
            prop_assert!(
                in_record || in_warning || whole_file,
                "{}: line {number} {line:?} is lost\n{text}\n{:?}\n{:?}",
                format.name(),
                parsed
                    .records
                    .iter()
                    .map(|r| (r.source.line_start, r.source.line_end))
                    .collect::<Vec<_>>(),
                parsed.warnings
            );
        }
        prop_assert!(parsed.records.iter().all(|r| !r.text.trim().is_empty()));
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn every_line_is_accounted_for(format in 0..FORMATS.len(), picks in prop::collection::vec(0usize..64, 0..40)) {
            check(FORMATS[format], &picks)?;
        }

        #[test]
        fn parsers_never_panic(format in 0..FORMATS.len(), text in "\\PC{0,400}") {
            let _ = parse(FORMATS[format], &Input::new("gen", &text));
        }
    }
}
