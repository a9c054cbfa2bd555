//! Plain prose: every paragraph (a run of non-blank lines) is a passage. A paragraph that ends
//! in a dash attribution (`— Sun Tzu`, `-- Mark Twain`), or is followed by one standing alone,
//! is a quote.

use super::{Input, Parsed};
use crate::annotate::attribution;
use crate::model::{Kind, Record, Source};

/// Parses one plain-text input.
pub fn parse(input: &Input) -> Parsed {
    let mut parsed = Parsed::default();
    // The index of the record made from the paragraph just before, which a following
    // attribution paragraph turns into a quote.
    let mut previous: Option<usize> = None;
    for paragraph in paragraphs(input) {
        let (start, end) = (paragraph[0].0, paragraph[paragraph.len() - 1].0);
        if is_attribution(&paragraph) {
            let author = attribution::parse(&join(&paragraph));
            match previous.and_then(|at| parsed.records.get_mut(at)) {
                Some(record) if !author.name.is_empty() => {
                    record.kind = Kind::Quote;
                    record.author = Some(author);
                    record.source.line_end = end;
                }
                _ => parsed.warnings.push(
                    input.warning(start, "an attribution line without quotation text; skipped"),
                ),
            }
            previous = None;
            continue;
        }
        let ends_attributed = paragraph.len() > 1
            && dashed(paragraph[paragraph.len() - 1].1)
            && !attribution::strip_leading_dash(paragraph[paragraph.len() - 1].1).is_empty();
        let (kind, text_lines, author) = if ends_attributed {
            let (text, last) = paragraph.split_at(paragraph.len() - 1);
            (Kind::Quote, text, Some(attribution::parse(last[0].1)))
        } else {
            (Kind::Passage, &paragraph[..], None)
        };
        previous = (kind == Kind::Passage).then_some(parsed.records.len());
        parsed.records.push(Record {
            kind,
            text: join(text_lines),
            title: None,
            section: None,
            topic: None,
            keywords: Vec::new(),
            author,
            source: Source {
                path: input.path.to_string(),
                line_start: start,
                line_end: end,
            },
        });
    }
    parsed
}

/// Runs of non-blank lines, each line with its number.
fn paragraphs<'a>(input: &Input<'a>) -> Vec<Vec<(u32, &'a str)>> {
    let mut all = Vec::new();
    let mut current = Vec::new();
    for (number, line) in input.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                all.push(std::mem::take(&mut current));
            }
        } else {
            current.push((number, line));
        }
    }
    if !current.is_empty() {
        all.push(current);
    }
    all
}

/// A paragraph that is only an attribution: one line opening with a dash.
fn is_attribution(paragraph: &[(u32, &str)]) -> bool {
    paragraph.len() == 1 && dashed(paragraph[0].1)
}

fn dashed(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("--") || line.starts_with(['—', '―'])
}

/// The lines trimmed and joined with single spaces.
fn join(lines: &[(u32, &str)]) -> String {
    lines
        .iter()
        .map(|(_, l)| l.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_become_passages() {
        let parsed = parse(&Input::new(
            "prose.txt",
            "It was late in the year\nwhen the army crossed.\n\n\nThe next day was quiet.\n",
        ));
        assert!(parsed.warnings.is_empty());
        let got: Vec<(&str, Kind, u32, u32)> = parsed
            .records
            .iter()
            .map(|r| {
                (
                    r.text.as_str(),
                    r.kind,
                    r.source.line_start,
                    r.source.line_end,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "It was late in the year when the army crossed.",
                    Kind::Passage,
                    1,
                    2
                ),
                ("The next day was quiet.", Kind::Passage, 5, 5),
            ]
        );
    }

    #[test]
    fn dash_attributions_make_quotes() {
        let parsed = parse(&Input::new(
            "q.txt",
            "All warfare is based on deception.\n— Sun Tzu (c. 544–496 B.C.), The Art of War\n\n\
             They make a desert and call it peace.\n\n-- Tacitus\n\nA plain line.\n",
        ));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 3);
        let sun = &parsed.records[0];
        assert_eq!(sun.kind, Kind::Quote);
        assert_eq!(sun.text, "All warfare is based on deception.");
        assert_eq!(sun.author.as_ref().and_then(|a| a.born), Some(-544));
        let tacitus = &parsed.records[1];
        assert_eq!(tacitus.kind, Kind::Quote);
        assert_eq!(
            tacitus.author.as_ref().map(|a| a.name.as_str()),
            Some("Tacitus")
        );
        assert_eq!((tacitus.source.line_start, tacitus.source.line_end), (4, 6));
        assert_eq!(parsed.records[2].kind, Kind::Passage);
    }

    #[test]
    fn a_lone_attribution_is_reported() {
        let parsed = parse(&Input::new("q.txt", "— Nobody\n\nText.\n"));
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].line, 1);
    }

    #[test]
    fn a_hyphen_opening_a_sentence_is_text() {
        let parsed = parse(&Input::new("q.txt", "Some text\n- and a list item\n"));
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].kind, Kind::Passage);
    }
}
