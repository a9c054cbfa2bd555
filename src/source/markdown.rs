//! Markdown notes: `#` and setext headings set the title (level 1) and section (deeper levels),
//! paragraphs and list items are passages, `> quotation` blocks are quotes whose author is an
//! `— Author` line inside or just after the block, fenced code is kept verbatim as a passage.
//! YAML front matter may give the title. Inline markup is stripped from the text.

use std::sync::LazyLock;

use regex::Regex;

use super::{Input, Parsed};
use crate::annotate::{attribution, must};
use crate::model::{Attribution, Kind, Record, Source};

static ATX_HEADING: LazyLock<Regex> =
    LazyLock::new(|| must(r"^ {0,3}(?P<level>#{1,6})(?:\s+(?P<text>.*?))?(?:\s+#+)?\s*$"));
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| must(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+"));
static RULE: LazyLock<Regex> =
    LazyLock::new(|| must(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$"));
static FENCE: LazyLock<Regex> = LazyLock::new(|| must(r"^ {0,3}(?P<fence>```+|~~~+)"));
static LINK_DEFINITION: LazyLock<Regex> = LazyLock::new(|| must(r"^ {0,3}\[[^\]]+\]:\s+\S"));
static TABLE_RULE: LazyLock<Regex> =
    LazyLock::new(|| must(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$"));
static FRONT_TITLE: LazyLock<Regex> =
    LazyLock::new(|| must(r#"^title:\s*["']?(?P<title>.*?)["']?\s*$"#));
/// Inline markup, each with what it is replaced by, applied in order.
static INLINE: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    vec![
        (must(r"`+([^`]*)`+"), "$1"),
        (must(r"!\[([^\]]*)\]\([^)]*\)"), "$1"),
        (must(r"\[([^\]]*)\]\([^)]*\)"), "$1"),
        (must(r"\[([^\]]*)\]\[[^\]]*\]"), "$1"),
        (must(r"<(https?://[^>\s]+)>"), "$1"),
        (must(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),
        (must(r"\*\*([^*]+)\*\*"), "$1"),
        (must(r"__([^_]+)__"), "$1"),
        (must(r"\*([^*\s](?:[^*]*[^*\s])?)\*"), "$1"),
        (
            must(r"(^|[^\w])_([^_\s](?:[^_]*[^_\s])?)_($|[^\w])"),
            "$1$2$3",
        ),
        (must(r"~~([^~]+)~~"), "$1"),
    ]
});

/// What the parser is collecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Collecting {
    Paragraph,
    Quote,
}

/// Parses one Markdown input.
pub fn parse(input: &Input) -> Parsed {
    let mut doc = Document {
        input,
        parsed: Parsed::default(),
        title: None,
        section: None,
        block: Vec::new(),
        collecting: Collecting::Paragraph,
        awaiting_author: None,
    };
    let all: Vec<(u32, &str)> = input.lines().collect();
    let body = front_matter(&all, &mut doc);
    let mut lines = all.get(body..).unwrap_or_default().iter().copied();
    while let Some((number, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            doc.flush();
            continue;
        }
        if let Some(quoted) = blockquote(line) {
            if doc.collecting != Collecting::Quote {
                doc.flush();
                doc.collecting = Collecting::Quote;
            }
            doc.block.push((number, quoted));
            continue;
        }
        if doc.collecting == Collecting::Quote {
            doc.flush();
        }
        if let Some(caps) = FENCE.captures(line) {
            doc.flush();
            let fence = caps.name("fence").map_or("```", |m| m.as_str());
            let mut code = vec![(number, line)];
            for (n, l) in lines.by_ref() {
                code.push((n, l));
                if l.trim_start().starts_with(fence) {
                    break;
                }
            }
            doc.code(&code);
        } else if trimmed.starts_with("<!--") {
            doc.flush();
            let mut closed = trimmed.contains("-->");
            while !closed {
                match lines.next() {
                    Some((_, l)) => closed = l.contains("-->"),
                    None => {
                        doc.warn(
                            number,
                            "an HTML comment that never closes; the rest of the file is hidden in it",
                        );
                        break;
                    }
                }
            }
        } else if let Some(caps) = ATX_HEADING.captures(line) {
            doc.flush();
            let level = caps.name("level").map_or(1, |m| m.as_str().len());
            let text = caps.name("text").map_or("", |m| m.as_str());
            doc.heading(level, &inline(text));
        } else if is_setext(trimmed, '=') && doc.is_single_line_paragraph() {
            let text = doc.take_heading_text();
            doc.heading(1, &text);
        } else if is_setext(trimmed, '-') && doc.is_single_line_paragraph() {
            let text = doc.take_heading_text();
            doc.heading(2, &text);
        } else if RULE.is_match(line) || TABLE_RULE.is_match(line) || LINK_DEFINITION.is_match(line)
        {
            doc.flush();
        } else if LIST_ITEM.is_match(line) {
            doc.flush();
            doc.block.push((number, line));
        } else {
            doc.block.push((number, line));
        }
    }
    doc.flush();
    doc.parsed
}

/// Reads YAML front matter (`---` … `---` on the first lines) for its `title:`, and returns
/// the index of the first line after it.
fn front_matter(lines: &[(u32, &str)], doc: &mut Document) -> usize {
    if lines.first().is_none_or(|(_, l)| *l != "---") {
        return 0;
    }
    let mut title = None;
    for (at, (_, line)) in lines.iter().enumerate().skip(1) {
        if *line == "---" || *line == "..." {
            if title.is_some() {
                doc.title = title;
            }
            return at + 1;
        }
        if let Some(caps) = FRONT_TITLE.captures(line) {
            title = Some(caps["title"].to_string()).filter(|t| !t.is_empty());
        }
    }
    // No closing line: it was a rule, not front matter.
    0
}

/// The text of a `>` line without its marker, or `None` for other lines.
fn blockquote(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

fn is_setext(line: &str, underline: char) -> bool {
    line.len() >= 2 && line.chars().all(|c| c == underline)
}

fn dashed(line: &str) -> bool {
    let line = line.trim_start();
    (line.starts_with("--") || line.starts_with(['—', '―']))
        && !attribution::strip_leading_dash(line).is_empty()
}

/// Characters a backslash escapes in Markdown.
const ESCAPABLE: &str = "\\`*_{}[]()#+-.!>|~";
/// Escaped characters are parked in the Private Use Area while markup is stripped, so that
/// `\*` is never read as emphasis.
const PARKED: u32 = 0xE000;

/// Text without Markdown inline markup.
fn inline(text: &str) -> String {
    let mut parked = String::with_capacity(text.len());
    let mut chars = text.trim().chars();
    while let Some(c) = chars.next() {
        let escaped = (c == '\\')
            .then(|| chars.clone().next())
            .flatten()
            .and_then(|next| ESCAPABLE.find(next).map(|at| (next, at)));
        match escaped {
            Some((next, at)) => {
                chars.next();
                let code = u32::try_from(at).map_or(None, |at| char::from_u32(PARKED + at));
                parked.push(code.unwrap_or(next));
            }
            None => parked.push(c),
        }
    }
    let mut text = parked;
    for (pattern, replacement) in INLINE.iter() {
        if let std::borrow::Cow::Owned(replaced) = pattern.replace_all(&text, *replacement) {
            text = replaced;
        }
    }
    text.chars()
        .map(|c| {
            let at = (c as u32).wrapping_sub(PARKED) as usize;
            ESCAPABLE.as_bytes().get(at).map_or(c, |&b| char::from(b))
        })
        .collect()
}

/// The parser's state over one document.
struct Document<'i, 'a> {
    input: &'i Input<'a>,
    parsed: Parsed,
    title: Option<String>,
    section: Option<String>,
    /// The lines of the paragraph, list item or blockquote being read.
    block: Vec<(u32, &'a str)>,
    collecting: Collecting,
    /// The quote just read without an author, which an `— Author` paragraph may complete.
    awaiting_author: Option<usize>,
}

impl<'a> Document<'_, 'a> {
    fn heading(&mut self, level: usize, text: &str) {
        let text = Some(text.to_string()).filter(|t| !t.is_empty());
        if level == 1 {
            self.title = text;
            self.section = None;
        } else {
            self.section = text;
        }
        self.awaiting_author = None;
    }

    fn is_single_line_paragraph(&self) -> bool {
        self.collecting == Collecting::Paragraph
            && self.block.len() == 1
            && !LIST_ITEM.is_match(self.block[0].1)
    }

    fn take_heading_text(&mut self) -> String {
        let lines = std::mem::take(&mut self.block);
        lines.first().map(|(_, l)| inline(l)).unwrap_or_default()
    }

    /// Ends the current block and turns it into a record.
    fn flush(&mut self) {
        let block = std::mem::take(&mut self.block);
        let collecting = std::mem::replace(&mut self.collecting, Collecting::Paragraph);
        let (Some(&(start, _)), Some(&(end, last))) = (block.first(), block.last()) else {
            return;
        };
        match collecting {
            Collecting::Quote => {
                let (text, author) = if block.len() > 1 && dashed(last) {
                    (&block[..block.len() - 1], Some(attribution::parse(last)))
                } else {
                    (&block[..], None)
                };
                let text = join(text);
                if text.is_empty() {
                    // Only `>` markers: there is nothing to keep.
                    return;
                }
                let complete = author.is_some();
                let at = self.push(Kind::Quote, text, author, start, end);
                self.awaiting_author = (!complete).then_some(at);
            }
            Collecting::Paragraph => {
                if block.len() == 1 && dashed(block[0].1) {
                    let author = attribution::parse(&join(&block));
                    let waiting = self.awaiting_author.take();
                    match waiting.and_then(|at| self.parsed.records.get_mut(at)) {
                        Some(quote) => {
                            quote.author = Some(author);
                            quote.source.line_end = end;
                        }
                        None => {
                            self.warn(start, "an attribution line without a quotation; skipped")
                        }
                    }
                    return;
                }
                let item = LIST_ITEM.find(block[0].1).map_or(0, |m| m.end());
                let mut lines = block.clone();
                lines[0].1 = lines[0].1.get(item..).unwrap_or_default();
                let text = join(&lines);
                if !text.is_empty() {
                    self.push(Kind::Passage, text, None, start, end);
                }
                self.awaiting_author = None;
            }
        }
    }

    /// A fenced code block, kept verbatim (without its fences) so that nothing is lost.
    fn code(&mut self, lines: &[(u32, &str)]) {
        self.awaiting_author = None;
        let (Some(&(start, _)), Some(&(end, _))) = (lines.first(), lines.last()) else {
            return;
        };
        let inner = lines
            .iter()
            .skip(1)
            .filter(|(_, l)| !FENCE.is_match(l))
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n");
        if !inner.trim().is_empty() {
            self.push(Kind::Passage, inner, None, start, end);
        }
    }

    fn push(
        &mut self,
        kind: Kind,
        text: String,
        author: Option<Attribution>,
        line_start: u32,
        line_end: u32,
    ) -> usize {
        self.parsed.records.push(Record {
            kind,
            text,
            title: self.title.clone(),
            section: self.section.clone(),
            topic: None,
            keywords: Vec::new(),
            author: author.filter(|a| !a.name.is_empty()),
            source: Source {
                path: self.input.path.to_string(),
                line_start,
                line_end,
            },
        });
        self.parsed.records.len() - 1
    }

    fn warn(&mut self, line: u32, message: &str) {
        self.parsed.warnings.push(self.input.warning(line, message));
    }
}

/// The lines without markup, joined with single spaces.
fn join(lines: &[(u32, &str)]) -> String {
    let mut text = String::new();
    for (_, line) in lines {
        let line = inline(line);
        if line.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&line);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Parsed {
        parse(&Input::new("notes.md", text))
    }

    #[test]
    fn headings_paragraphs_and_quotes() {
        let parsed = records(
            "# Persia\n\n## The fall\n\nThe empire fell\nin 651.\n\n\
             > All warfare is based on deception.\n\n— Sun Tzu (c. 544–496 B.C.), The Art of War\n",
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 2);
        let fell = &parsed.records[0];
        assert_eq!(fell.kind, Kind::Passage);
        assert_eq!(fell.text, "The empire fell in 651.");
        assert_eq!(fell.title.as_deref(), Some("Persia"));
        assert_eq!(fell.section.as_deref(), Some("The fall"));
        assert_eq!((fell.source.line_start, fell.source.line_end), (5, 6));
        let sun = &parsed.records[1];
        assert_eq!(sun.kind, Kind::Quote);
        assert_eq!(sun.text, "All warfare is based on deception.");
        let author = sun.author.as_ref().expect("Sun Tzu");
        assert_eq!(
            (author.born, author.died, author.circa),
            (Some(-544), Some(-496), true)
        );
        assert_eq!((sun.source.line_start, sun.source.line_end), (8, 10));
    }

    #[test]
    fn attribution_inside_the_blockquote() {
        let parsed = records("> They make a desert\n> and call it peace.\n> — Tacitus\n");
        assert_eq!(parsed.records.len(), 1);
        let quote = &parsed.records[0];
        assert_eq!(quote.text, "They make a desert and call it peace.");
        assert_eq!(
            quote.author.as_ref().map(|a| a.name.as_str()),
            Some("Tacitus")
        );
    }

    #[test]
    fn setext_front_matter_lists_and_code() {
        let parsed = records(
            "---\ntitle: \"Notes on Nahavand\"\ndate: 2026\n---\n\nIntro *text* with a [link](http://x).\n\n\
             Battle\n------\n\n- first **item**\n- second `item`\n  continues\n\n```\nlet x = 1;\n```\n\n<!-- hidden\nnote -->\n",
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let got: Vec<(&str, Option<&str>, Option<&str>)> = parsed
            .records
            .iter()
            .map(|r| (r.text.as_str(), r.title.as_deref(), r.section.as_deref()))
            .collect();
        let title = Some("Notes on Nahavand");
        assert_eq!(
            got,
            vec![
                ("Intro text with a link.", title, None),
                ("first item", title, Some("Battle")),
                ("second item continues", title, Some("Battle")),
                ("let x = 1;", title, Some("Battle")),
            ]
        );
    }

    #[test]
    fn a_quote_without_author_and_a_stray_attribution() {
        let parsed = records("> Unattributed.\n\nA paragraph.\n\n— Nobody\n");
        assert_eq!(parsed.records.len(), 2);
        assert_eq!(parsed.records[0].kind, Kind::Quote);
        assert_eq!(parsed.records[0].author, None);
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].line, 5);
    }

    #[test]
    fn inline_markup_is_stripped() {
        assert_eq!(
            inline("**bold** and _em_ and `code`"),
            "bold and em and code"
        );
        assert_eq!(inline("![alt](a.png) <b>x</b> \\*star\\*"), "alt x *star*");
        assert_eq!(inline("snake_case_name stays"), "snake_case_name stays");
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "", "#", "---", "---\n", ">", "```", "<!--", "- ", "==\n", "> —",
        ] {
            let parsed = records(text);
            assert!(parsed.records.iter().all(|r| !r.text.is_empty()));
        }
    }
}
