//! Topic pages: a title line `ARTICLE - SECTION`, an optional heading, body paragraphs, an
//! optional `Read more about this topic:` line, an optional `Famous quotes containing the word…`
//! line, and indented quote blocks each ending in an attribution line.

use std::sync::LazyLock;

use regex::Regex;

use super::{Input, Parsed};
use crate::annotate::{attribution, must};
use crate::model::{Kind, Record, Source};

static KEYWORD_LINE: LazyLock<Regex> =
    LazyLock::new(|| must(r"(?i)^Famous quotes containing the words?\s+(?P<words>.+?)\s*:?$"));
static KEYWORD_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| must(r"\s*(?:,|\band/or\b|\band\b|\bor\b)\s*"));
const READ_MORE: &str = "Read more about this topic:";

/// A run of non-blank lines; each line keeps its 1-based number.
struct Block<'a> {
    lines: Vec<(u32, &'a str)>,
}

impl Block<'_> {
    fn first(&self) -> (u32, &str) {
        self.lines[0]
    }

    fn last_line_number(&self) -> u32 {
        self.lines[self.lines.len() - 1].0
    }
}

/// Parses one topic page.
pub fn parse(input: &Input) -> Parsed {
    let mut parsed = Parsed::default();
    let mut blocks = blocks(input).into_iter();
    let Some(first) = blocks.next() else {
        return parsed;
    };
    let (_, title_line) = first.first();
    let (title, section) = split_title(title_line.trim());
    let mut page = Page {
        input,
        title: Some(title).filter(|t| !t.is_empty()),
        section,
        topic: None,
        keywords: Vec::new(),
        in_quotes: false,
        parsed: &mut parsed,
    };
    let mut blocks = blocks.peekable();
    // The heading, a block of its own, repeats the section (or, on a page without one, the
    // title). Lines under the title line in its own block are never a heading.
    if first.lines.len() == 1 {
        if let Some(next) = blocks.peek() {
            let heading = next.first().1.trim();
            let repeats = page.section.as_deref().or(page.title.as_deref()) == Some(heading);
            if next.lines.len() == 1 && repeats {
                blocks.next();
            }
        }
    }
    let mut rest: Vec<Block> = Vec::new();
    if first.lines.len() > 1 {
        rest.push(Block {
            lines: first.lines[1..].to_vec(),
        });
    }
    rest.extend(blocks);
    for block in rest {
        page.block(block);
    }
    let topic = page.topic.clone();
    for record in &mut parsed.records {
        if record.topic.is_none() {
            record.topic.clone_from(&topic);
        }
    }
    parsed
}

/// What the parser knows of the page while it walks the blocks.
struct Page<'p> {
    input: &'p Input<'p>,
    title: Option<String>,
    section: Option<String>,
    topic: Option<String>,
    keywords: Vec<String>,
    in_quotes: bool,
    parsed: &'p mut Parsed,
}

impl Page<'_> {
    fn block(&mut self, block: Block) {
        let (number, line) = block.first();
        let trimmed = line.trim();
        if let Some(topic) = trimmed.strip_prefix(READ_MORE) {
            self.topic = Some(topic.trim().to_string()).filter(|t| !t.is_empty());
        } else if let Some(caps) = KEYWORD_LINE.captures(trimmed) {
            self.keywords = keywords(&caps["words"]);
            self.in_quotes = true;
        } else if self.in_quotes || is_indented(line) {
            self.quote(&block);
        } else {
            let text = join(&block.lines);
            self.push(Kind::Passage, text, None, number, block.last_line_number());
        }
    }

    fn quote(&mut self, block: &Block) {
        let (start, first) = block.first();
        let end = block.last_line_number();
        if block.lines.len() == 1 {
            if attribution::looks_like_attribution(first) {
                self.warn(start, "an attribution line without quotation text; skipped");
            } else {
                self.warn(
                    start,
                    "a quotation without an attribution line; kept without author",
                );
                self.push(Kind::Quote, first.trim().to_string(), None, start, end);
            }
            return;
        }
        let (text_lines, attribution_line) = block.lines.split_at(block.lines.len() - 1);
        let author = attribution::parse(attribution_line[0].1);
        if author.name.is_empty() {
            self.warn(
                end,
                "an empty attribution line; the quotation is kept without author",
            );
        }
        let author = Some(author).filter(|a| !a.name.is_empty());
        self.push(Kind::Quote, join(text_lines), author, start, end);
    }

    fn push(
        &mut self,
        kind: Kind,
        text: String,
        author: Option<crate::model::Attribution>,
        line_start: u32,
        line_end: u32,
    ) {
        let keywords = match kind {
            Kind::Quote => self.keywords.clone(),
            Kind::Passage => Vec::new(),
        };
        self.parsed.records.push(Record {
            kind,
            text,
            title: self.title.clone(),
            section: self.section.clone(),
            topic: self.topic.clone(),
            keywords,
            author,
            source: Source {
                path: self.input.path.to_string(),
                line_start,
                line_end,
            },
        });
    }

    fn warn(&mut self, line: u32, message: &str) {
        self.parsed.warnings.push(self.input.warning(line, message));
    }
}

/// Splits the page into runs of non-blank lines. A `Read more…` or keyword line always stands
/// alone, even when a blank line is missing around it.
fn blocks<'a>(input: &Input<'a>) -> Vec<Block<'a>> {
    let mut blocks = Vec::new();
    let mut current: Vec<(u32, &str)> = Vec::new();
    for (number, line) in input.lines() {
        let trimmed = line.trim();
        let marker = trimmed.starts_with(READ_MORE) || KEYWORD_LINE.is_match(trimmed);
        if trimmed.is_empty() || marker {
            if !current.is_empty() {
                blocks.push(Block {
                    lines: std::mem::take(&mut current),
                });
            }
            if marker {
                blocks.push(Block {
                    lines: vec![(number, line)],
                });
            }
            continue;
        }
        current.push((number, line));
    }
    if !current.is_empty() {
        blocks.push(Block { lines: current });
    }
    blocks
}

/// `ARTICLE - SECTION` split at the last ` - `, or the whole line as the article.
fn split_title(line: &str) -> (String, Option<String>) {
    match line.rsplit_once(" - ") {
        Some((article, section)) if !section.trim().is_empty() => {
            (article.trim().to_string(), Some(section.trim().to_string()))
        }
        _ => (line.to_string(), None),
    }
}

/// `invasion`, `war, peace and/or army`, `Love or Money` → lowercase words.
fn keywords(words: &str) -> Vec<String> {
    KEYWORD_SPLIT
        .split(words.trim())
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_indented(line: &str) -> bool {
    line.starts_with([' ', '\t'])
}

/// Joins a block's lines with single spaces.
fn join(lines: &[(u32, &str)]) -> String {
    let mut text = String::new();
    for (_, line) in lines {
        let line = line.trim();
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(line);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = include_str!("../../corpus/000_e4b4b965bddefa06.txt");

    #[test]
    fn reference_page() {
        let parsed = parse(&Input::new("corpus/ref.txt", REFERENCE));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 2);
        let passage = &parsed.records[0];
        assert_eq!(passage.kind, Kind::Passage);
        assert_eq!(passage.title.as_deref(), Some("Muslim Conquest of Persia"));
        assert_eq!(
            passage.section.as_deref(),
            Some("Second Invasion of Mesopotamia (636)")
        );
        assert_eq!(passage.topic.as_deref(), Some("Muslim Conquest Of Persia"));
        assert_eq!((passage.source.line_start, passage.source.line_end), (5, 5));
        assert!(
            passage
                .text
                .starts_with("According to the will of Abu Bakr")
        );
        assert!(passage.text.contains("Abu Bakr’s era"));
        assert!(passage.keywords.is_empty());

        let quote = &parsed.records[1];
        assert_eq!(quote.kind, Kind::Quote);
        assert!(quote.text.starts_with("We should have an army"));
        assert!(quote.text.ends_with("President Monroe."));
        assert_eq!(quote.keywords, vec!["invasion"]);
        assert_eq!(quote.topic.as_deref(), Some("Muslim Conquest Of Persia"));
        assert_eq!((quote.source.line_start, quote.source.line_end), (11, 12));
        let author = quote.author.as_ref().expect("the quote has an author");
        assert_eq!(author.name, "William Howard Taft");
        assert_eq!(
            (author.born, author.died, author.circa),
            (Some(1857), Some(1930), false)
        );
        assert_eq!(author.raw, "William Howard Taft (1857–1930)");
    }

    #[test]
    fn crlf_bom_and_tabs() {
        let page = "\u{feff}Battle of Nahavand - Aftermath (642)\r\n\r\nAftermath (642)\r\n\r\n\
                    The last army \r\nof the empire broke.\r\n\r\n\
                    Famous quotes containing the words war, peace and/or army:\r\n\r\n\
                    \tAll warfare is based\t\r\n\ton deception.\r\n\t-- Sun Tzu (c. 544–496 B.C.), The Art of War\r\n";
        let parsed = parse(&Input::new("p.txt", page));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(
            parsed.records[0].title.as_deref(),
            Some("Battle of Nahavand")
        );
        assert_eq!(parsed.records[0].text, "The last army of the empire broke.");
        assert_eq!(
            (
                parsed.records[0].source.line_start,
                parsed.records[0].source.line_end
            ),
            (5, 6)
        );
        let quote = &parsed.records[1];
        assert_eq!(quote.text, "All warfare is based on deception.");
        assert_eq!(quote.keywords, vec!["war", "peace", "army"]);
        assert_eq!((quote.source.line_start, quote.source.line_end), (10, 12));
        let author = quote.author.as_ref().expect("author");
        assert_eq!(
            (author.name.as_str(), author.born, author.died),
            ("Sun Tzu", Some(-544), Some(-496))
        );
        assert!(author.circa);
        assert_eq!(author.work.as_deref(), Some("The Art of War"));
        assert!(quote.text.chars().all(|c| c != '\r'));
    }

    #[test]
    fn page_without_section_or_quotes() {
        let page = "Sasanian Empire\n\nFirst paragraph.\n\nSecond\nparagraph.\n";
        let parsed = parse(&Input::new("p.txt", page));
        assert!(parsed.warnings.is_empty());
        let texts: Vec<&str> = parsed.records.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, vec!["First paragraph.", "Second paragraph."]);
        assert_eq!(parsed.records[0].title.as_deref(), Some("Sasanian Empire"));
        assert_eq!(parsed.records[0].section, None);
        assert_eq!(parsed.records[0].topic, None);
        assert!(parsed.records.iter().all(|r| r.kind == Kind::Passage));
    }

    #[test]
    fn title_split_at_the_last_dash() {
        assert_eq!(
            split_title("A - B - C (636)"),
            ("A - B".to_string(), Some("C (636)".to_string()))
        );
        assert_eq!(split_title("Alone"), ("Alone".to_string(), None));
    }

    #[test]
    fn keyword_line_forms() {
        assert_eq!(keywords("invasion"), vec!["invasion"]);
        assert_eq!(
            keywords("War, Peace and/or Army"),
            vec!["war", "peace", "army"]
        );
        assert_eq!(keywords("love and money"), vec!["love", "money"]);
        assert_eq!(keywords("sword or pen"), vec!["sword", "pen"]);
    }

    #[test]
    fn misplaced_lines_are_reported_not_dropped() {
        let page = "T - S\n\nBody.\n\nFamous quotes containing the word x:\n\n    Lonely text\n\n    — Nobody (1900–1950)\n";
        let parsed = parse(&Input::new("p.txt", page));
        let lines: Vec<u32> = parsed.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![7, 9], "{:?}", parsed.warnings);
        // The text without attribution is kept as a quote; the bare attribution is reported.
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(parsed.records[1].text, "Lonely text");
        assert_eq!(parsed.records[1].author, None);
    }

    #[test]
    fn empty_input_gives_nothing() {
        assert!(parse(&Input::new("p.txt", "")).records.is_empty());
        assert!(parse(&Input::new("p.txt", "\n\n  \n")).records.is_empty());
    }
}
