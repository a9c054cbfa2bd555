//! Fortune files, as in Debian's `fortunes` package: records separated by lines holding only
//! `%`, each record one quotation, its last lines an optional attribution such as
//! `\t\t-- Mark Twain, "Pudd'nhead Wilson's Calendar"` (which may wrap onto an indented line).

use super::{Input, Parsed};
use crate::annotate::attribution;
use crate::model::{Kind, Record, Source};

/// How many indented lines an attribution may wrap onto. Debian's files wrap one or two.
const MAX_CONTINUATION: usize = 3;

/// Parses one fortune input: every `%` record with text becomes exactly one quote.
pub fn parse(input: &Input) -> Parsed {
    let mut parsed = Parsed::default();
    let topic = topic(input.path);
    let mut record: Vec<(u32, &str)> = Vec::new();
    for (number, line) in input.lines() {
        if line == "%" {
            push(input, &topic, &record, &mut parsed);
            record.clear();
        } else {
            record.push((number, line));
        }
    }
    push(input, &topic, &record, &mut parsed);
    parsed
}

/// The collection a fortune file forms, named as Debian names it: by the file (`art`, `love`).
fn topic(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
    Some(stem.to_string()).filter(|s| !s.is_empty())
}

/// Turns the lines of one record into a quote, or a warning when it holds only an attribution.
fn push(input: &Input, topic: &Option<String>, lines: &[(u32, &str)], parsed: &mut Parsed) {
    let first = lines.iter().position(|(_, l)| !l.trim().is_empty());
    let last = lines.iter().rposition(|(_, l)| !l.trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return;
    };
    let lines = &lines[first..=last];
    // A record that is only a dash line is still one quotation (Debian's files hold a few, such
    // as zippy's `-- I have seen the FUN --`): its line is the text.
    let (text_lines, author) = match attribution_start(lines).filter(|&at| at > 0) {
        Some(at) => {
            let (text, attribution_lines) = lines.split_at(at);
            let raw = attribution_lines
                .iter()
                .map(|(_, l)| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            (
                text,
                Some(attribution::parse(&raw)).filter(|a| !a.name.is_empty()),
            )
        }
        None => (lines, None),
    };
    let text = dedent(text_lines);
    let (line_start, line_end) = (lines[0].0, lines[lines.len() - 1].0);
    parsed.records.push(Record {
        kind: Kind::Quote,
        text,
        title: None,
        section: None,
        topic: topic.clone(),
        keywords: Vec::new(),
        author,
        source: Source {
            path: input.path.to_string(),
            line_start,
            line_end,
        },
    });
}

/// Where the attribution starts: a line opening with `--`, `―` or `—` followed only by undashed
/// lines indented at least as deep as it (the attribution wrapped). A dashed line followed by
/// another dashed line is part of the text: the later one is the attribution. `None` when the
/// record has none.
fn attribution_start(lines: &[(u32, &str)]) -> Option<usize> {
    let lowest = lines.len().saturating_sub(MAX_CONTINUATION + 1);
    (lowest..lines.len()).find(|&at| {
        let line = lines[at].1;
        let named = !attribution::strip_leading_dash(line.trim_start()).is_empty();
        let depth = indent(line);
        dashed(line)
            && named
            && lines[at + 1..]
                .iter()
                .all(|(_, next)| !dashed(next) && indent(next) >= depth && indent(next) > 0)
    })
}

fn dashed(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("--") || trimmed.starts_with(['―', '—'])
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The record's lines with their common indentation removed, joined with newlines: a fortune's
/// line breaks are part of it (verse, dialogue, ASCII art).
fn dedent(lines: &[(u32, &str)]) -> String {
    let common = lines
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| indent(l))
        .min()
        .unwrap_or(0);
    let mut text = String::new();
    for (i, (_, line)) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(line.get(common..).unwrap_or_else(|| line.trim_start()));
    }
    text.trim_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Parsed {
        parse(&Input::new("fortunes/art", text))
    }

    #[test]
    fn records_and_attributions() {
        let parsed = quotes(
            "A man's got to know his limitations.\n%\n\
             Nothing is so firmly believed\n  as what we least know.\n\t\t-- Michel de Montaigne (1533–1592)\n%\n\
             The army marches.\n\t\t-- Addison Mizner and Oliver Herford, \"The Entirely\n\t\t   New Cynic's Calendar\", 1905\n%\n\
             Worse than war.\n― Sophocles, \"Antigone\"\n%\n%\n",
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 4);
        let first = &parsed.records[0];
        assert_eq!(first.author, None);
        assert_eq!(first.topic.as_deref(), Some("art"));
        assert_eq!((first.source.line_start, first.source.line_end), (1, 1));
        let montaigne = &parsed.records[1];
        assert_eq!(
            montaigne.text,
            "Nothing is so firmly believed\n  as what we least know."
        );
        let author = montaigne.author.as_ref().expect("Montaigne");
        assert_eq!(
            (author.name.as_str(), author.born, author.died),
            ("Michel de Montaigne", Some(1533), Some(1592))
        );
        assert_eq!(
            (montaigne.source.line_start, montaigne.source.line_end),
            (3, 5)
        );
        let wrapped = parsed.records[2].author.as_ref().expect("wrapped");
        assert!(
            wrapped.raw.ends_with("New Cynic's Calendar\", 1905"),
            "{wrapped:?}"
        );
        assert_eq!(parsed.records[2].text, "The army marches.");
        let sophocles = parsed.records[3].author.as_ref().expect("Sophocles");
        assert_eq!(sophocles.name, "Sophocles");
        assert_eq!(sophocles.work.as_deref(), Some("\"Antigone\""));
    }

    #[test]
    fn a_dash_inside_the_text_is_not_an_attribution() {
        let parsed = quotes("-- he hates all creative people equally.\nSo says the critic.\n");
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].author, None);
    }

    #[test]
    fn a_text_line_opening_with_a_dash_leaves_the_attribution_to_the_next() {
        let parsed = quotes(
            "A \"critic\" is a man who creates nothing.  He is unbiased\n\
             -- he hates all creative people equally.\n\t\t-- Robert Heinlein\n",
        );
        let record = &parsed.records[0];
        assert_eq!(
            record.text,
            "A \"critic\" is a man who creates nothing.  He is unbiased\n\
             -- he hates all creative people equally."
        );
        let author = record.author.as_ref().expect("Heinlein");
        assert_eq!(author.name, "Robert Heinlein");
    }

    #[test]
    fn a_dash_line_alone_is_the_quotation() {
        let parsed = quotes("Kept.\n%\n\t\t-- Owen Meredith\n%\n-- I have seen the FUN --\n");
        assert!(parsed.warnings.is_empty());
        let got: Vec<(&str, bool)> = parsed
            .records
            .iter()
            .map(|r| (r.text.as_str(), r.author.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Kept.", false),
                ("-- Owen Meredith", false),
                ("-- I have seen the FUN --", false)
            ]
        );
    }

    #[test]
    fn pieces_keep_file_line_numbers() {
        let input = Input {
            first_line: 41,
            ..Input::new("f", "One.\n%\nTwo.\n")
        };
        let parsed = parse(&input);
        let starts: Vec<u32> = parsed.records.iter().map(|r| r.source.line_start).collect();
        assert_eq!(starts, vec![41, 43]);
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in ["", "%", "%\n%\n", "\t\t--", "--\n", "—", " \n%\n \t\n"] {
            let parsed = quotes(text);
            assert!(parsed.records.iter().all(|r| !r.text.is_empty()));
        }
    }
}
