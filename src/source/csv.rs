//! CSV tables with a header row, such as `quote,author,category` (the shape of large public
//! quotation datasets). RFC 4180 quoting, with `,`, `;` or tab as the delimiter (the one the
//! header uses). Columns are named as in JSON quote lists. A malformed row is reported and
//! reading resumes on the next line.

use serde_json::Value;

use super::json::{Fields, TEXT};
use super::{Input, Parsed};

/// A quoted field may hold line breaks, but not more than this many: a quote left open by
/// mistake is reported instead of swallowing the rest of the file.
const MAX_FIELD_LINES: usize = 200;

/// Parses one CSV input.
pub fn parse(input: &Input) -> Parsed {
    let mut parsed = Parsed::default();
    let lines: Vec<(u32, &str)> = input.lines().collect();
    let mut at = 0;
    while lines.get(at).is_some_and(|(_, l)| l.trim().is_empty()) {
        at += 1;
    }
    let Some(&(header_line, header)) = lines.get(at) else {
        return parsed;
    };
    let delimiter = delimiter(header);
    let columns = match row(&lines, at, delimiter) {
        Ok((columns, next)) => {
            at = next;
            columns
        }
        Err(why) => {
            parsed.warnings.push(input.warning(header_line, why));
            return parsed;
        }
    };
    let has_text = columns
        .iter()
        .any(|c| TEXT.contains(&c.trim().to_ascii_lowercase().as_str()));
    if !has_text {
        parsed.warnings.push(input.warning(
            header_line,
            format!(
                "the header has no text column (expected one named text, quote, quoteText or content); found {}",
                columns.join(", ")
            ),
        ));
        return parsed;
    }
    while at < lines.len() {
        let (number, line) = lines[at];
        if line.trim().is_empty() {
            at += 1;
            continue;
        }
        match row(&lines, at, delimiter) {
            Ok((values, next)) => {
                let last = lines.get(next - 1).map_or(number, |(n, _)| *n);
                at = next;
                if values.len() != columns.len() {
                    parsed.warnings.push(input.warning(
                        number,
                        format!(
                            "expected {} fields as in the header, found {}; the row is skipped",
                            columns.len(),
                            values.len()
                        ),
                    ));
                    continue;
                }
                let mut fields = Fields::default();
                for (column, value) in columns.iter().zip(values) {
                    fields.set(column, &Value::String(value));
                }
                match fields.record(input.path, number, last) {
                    Ok(record) => parsed.records.push(record),
                    Err(why) => parsed.warnings.push(input.warning(number, why)),
                }
            }
            Err(why) => {
                parsed
                    .warnings
                    .push(input.warning(number, format!("{why}; the row is skipped")));
                at += 1;
            }
        }
    }
    parsed
}

/// The delimiter the header uses most outside quotes: `,`, `;` or tab.
fn delimiter(header: &str) -> char {
    let mut counts = [(',', 0), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == c {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(d, n)| (*n, *d == ','))
        .map_or(',', |(d, _)| *d)
}

/// Reads the row starting at line `at`: its fields and the index of the line after it, or why
/// it is malformed.
fn row(lines: &[(u32, &str)], at: usize, delimiter: char) -> Result<(Vec<String>, usize), String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    // True right after a closing quote: only a delimiter or the end of the line may follow.
    let mut closed = false;
    let mut index = at;
    loop {
        let Some(&(_, line)) = lines.get(index) else {
            return Err("unterminated quoted field".to_string());
        };
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if quoted {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        quoted = false;
                        closed = true;
                    }
                } else {
                    field.push(c);
                }
            } else if c == delimiter {
                fields.push(std::mem::take(&mut field));
                closed = false;
            } else if closed && index > at {
                // The quote that closed here opened on an earlier line and ran over rows.
                return Err("unterminated quoted field".to_string());
            } else if closed {
                return Err(format!(
                    "text after a closing quote ({c:?}); quotes inside a field are written \"\""
                ));
            } else if c == '"' && field.trim().is_empty() {
                field.clear();
                quoted = true;
            } else {
                field.push(c);
            }
        }
        index += 1;
        if !quoted {
            break;
        }
        if index - at >= MAX_FIELD_LINES {
            return Err("unterminated quoted field".to_string());
        }
        field.push('\n');
    }
    fields.push(field);
    let fields = fields.into_iter().map(|f| f.trim().to_string()).collect();
    Ok((fields, index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn header_quoting_and_line_breaks() {
        let parsed = parse(&Input::new(
            "q.csv",
            "quote,author,category\n\"Carthage must be destroyed.\",Cato the Elder,war\n\
             \"He said \"\"no\"\",\nthen left.\",\"Someone (1900–1950)\",\"a, b\"\n",
        ));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        assert_eq!(parsed.records.len(), 2);
        let cato = &parsed.records[0];
        assert_eq!(cato.kind, Kind::Quote);
        assert_eq!(cato.text, "Carthage must be destroyed.");
        assert_eq!(cato.keywords, vec!["war"]);
        assert_eq!(
            cato.author.as_ref().map(|a| a.name.as_str()),
            Some("Cato the Elder")
        );
        let second = &parsed.records[1];
        assert_eq!(second.text, "He said \"no\",\nthen left.");
        assert_eq!((second.source.line_start, second.source.line_end), (3, 4));
        assert_eq!(second.keywords, vec!["a", "b"]);
        assert_eq!(second.author.as_ref().and_then(|a| a.born), Some(1900));
    }

    #[test]
    fn semicolons_and_tabs() {
        for (header, row) in [
            ("Text;Author", "Hello.;Ann"),
            ("text\tauthor", "Hello.\tAnn"),
        ] {
            let parsed = parse(&Input::new("q.csv", &format!("{header}\n{row}\n")));
            assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
            assert_eq!(parsed.records[0].text, "Hello.");
        }
    }

    #[test]
    fn malformed_rows_are_reported_and_reading_goes_on() {
        let parsed = parse(&Input::new(
            "q.csv",
            "quote,author\n\"Good one.\",A\n\"Unterminated,B\nAnother good one.,C\nToo,many,fields\n\"Bad\"x,D\n,E\nLast.,F\n",
        ));
        let texts: Vec<&str> = parsed.records.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, vec!["Good one.", "Another good one.", "Last."]);
        let lines: Vec<u32> = parsed.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![3, 5, 6, 7], "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].message.contains("unterminated"));
        assert!(parsed.warnings[1].message.contains("expected 2 fields"));
    }

    #[test]
    fn a_header_without_text_is_one_warning() {
        let parsed = parse(&Input::new("q.csv", "name,age\nAnn,3\n"));
        assert!(parsed.records.is_empty());
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(parsed.warnings[0].line, 1);
    }

    #[test]
    fn pieces_keep_file_lines() {
        let input = Input {
            first_line: 99,
            ..Input::new("q.csv", "quote\nA.\nB.\n")
        };
        let starts: Vec<u32> = parse(&input)
            .records
            .iter()
            .map(|r| r.source.line_start)
            .collect();
        assert_eq!(starts, vec![100, 101]);
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            "\"",
            "quote\n\"",
            "quote\n\"\"\"",
            "\u{feff}quote\n,,,\n",
            ";\t,",
        ] {
            let _ = parse(&Input::new("q.csv", text));
        }
    }
}
