//! JSON quote lists (`[{...}, ...]`, or an object holding one such array) and JSON Lines, with
//! the field names of common quote datasets: `text`/`quote`/`quoteText`/`content`,
//! `author`/`quoteAuthor`, `tags`/`category`, `source`/`work`. Records florilegium printed with
//! `--format json` or `jsonl` read back as the same records. The CSV parser maps its columns
//! through the same `Fields`.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{Input, Parsed};
use crate::annotate::attribution;
use crate::model::{Attribution, Kind, Record, Source};

/// Names of the text field, in the order they are tried.
pub(super) const TEXT: &[&str] = &["text", "quote", "quotetext", "content"];
const AUTHOR: &[&str] = &["author", "quoteauthor"];
const TAGS: &[&str] = &["tags", "category", "categories", "keywords"];
const WORK: &[&str] = &["source", "work"];

/// The fields of one quote, however the input names them.
#[derive(Debug, Default)]
pub(super) struct Fields {
    /// The text.
    pub text: Option<String>,
    /// The attribution.
    pub author: Option<Attribution>,
    /// Keywords, as given.
    pub keywords: Vec<String>,
    /// The work quoted.
    pub work: Option<String>,
    /// Page fields.
    pub title: Option<String>,
    pub section: Option<String>,
    pub topic: Option<String>,
    /// `passage` or `quote`.
    pub kind: Option<String>,
}

impl Fields {
    /// Fills a field from a column or key name (case-insensitive); unknown names are ignored.
    pub fn set(&mut self, name: &str, value: &Value) {
        let name = name.trim().to_ascii_lowercase();
        let text = || {
            value
                .as_str()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
        };
        let name = name.as_str();
        if TEXT.contains(&name) {
            if self.text.is_none() {
                self.text = text();
            }
        } else if AUTHOR.contains(&name) {
            if self.author.is_none() {
                self.author = author(value);
            }
        } else if TAGS.contains(&name) {
            self.keywords.extend(words(value));
        } else if WORK.contains(&name) {
            if self.work.is_none() {
                self.work = text();
            }
        } else {
            match name {
                "title" => self.title = text(),
                "section" => self.section = text(),
                "topic" => self.topic = text(),
                "kind" => self.kind = text(),
                _ => {}
            }
        }
    }

    /// The record these fields make, or why they make none.
    pub fn record(self, path: &str, line_start: u32, line_end: u32) -> Result<Record, String> {
        let Some(text) = self.text else {
            return Err(format!(
                "a record without text (expected a field named {})",
                "text, quote, quoteText or content"
            ));
        };
        let kind = match self.kind.as_deref() {
            None | Some("quote") => Kind::Quote,
            Some("passage") => Kind::Passage,
            Some(other) => return Err(format!("kind {other:?} is neither passage nor quote")),
        };
        let mut author = self.author;
        let mut title = self.title;
        if let Some(work) = self.work {
            match author.as_mut() {
                Some(a) if a.work.is_none() => a.work = Some(work),
                Some(_) => {}
                None if title.is_none() => title = Some(work),
                None => {}
            }
        }
        let mut keywords: Vec<String> = self
            .keywords
            .iter()
            .map(|k| k.trim().to_lowercase())
            .filter(|k| !k.is_empty())
            .collect();
        keywords.sort();
        keywords.dedup();
        Ok(Record {
            kind,
            text,
            title,
            section: self.section,
            topic: self.topic,
            keywords,
            author,
            source: Source {
                path: path.to_string(),
                line_start,
                line_end,
            },
        })
    }
}

/// An author given as a string (an attribution line) or as florilegium's author object.
fn author(value: &Value) -> Option<Attribution> {
    match value {
        Value::String(line) => Some(attribution::parse(line)).filter(|a| !a.name.is_empty()),
        Value::Object(object) => {
            let name = object.get("name")?.as_str()?.trim().to_string();
            let year = |key: &str| {
                object
                    .get(key)
                    .and_then(Value::as_i64)
                    .and_then(|y| i32::try_from(y).ok())
            };
            let string = |key: &str| object.get(key).and_then(Value::as_str).map(String::from);
            Some(Attribution {
                born: year("born"),
                died: year("died"),
                flourished: year("flourished"),
                circa: object
                    .get("circa")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                work: string("work"),
                raw: string("raw").unwrap_or_else(|| name.clone()),
                name,
            })
            .filter(|a| !a.name.is_empty())
        }
        _ => None,
    }
}

/// Tags as an array of strings, or one string of words separated by `,` or `;`.
fn words(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => s.split([',', ';']).map(String::from).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    }
}

/// The fields of one JSON object. A record florilegium printed keeps its own keywords: its
/// `tags` are derived tag paths, not keywords.
fn fields(object: &Map<String, Value>) -> Fields {
    let own = object.contains_key("id") && object.contains_key("sources");
    let mut fields = Fields::default();
    for (key, value) in object {
        if own && key == "tags" {
            continue;
        }
        fields.set(key, value);
    }
    fields
}

/// Turns one JSON value into a record or a warning.
fn element(input: &Input, value: &Value, line_start: u32, line_end: u32, parsed: &mut Parsed) {
    let Value::Object(object) = value else {
        parsed.warnings.push(input.warning(
            line_start,
            "not a JSON object; a quote is an object such as {\"text\": …, \"author\": …}",
        ));
        return;
    };
    match fields(object).record(input.path, line_start, line_end) {
        Ok(record) => parsed.records.push(record),
        Err(why) => parsed.warnings.push(input.warning(line_start, why)),
    }
}

/// Counts lines forward through a text, for offsets met in order.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
}

impl LineCounter<'_> {
    fn at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            let newlines = self.text.as_bytes()[self.offset..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line = self
                .line
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            self.offset = offset;
        }
        self.line
    }
}

/// Parses a JSON array of quotes, or an object whose first array value is one.
pub fn parse(input: &Input) -> Parsed {
    let mut parsed = Parsed::default();
    let text = input.text.strip_prefix('\u{feff}').unwrap_or(input.text);
    let elements = match serde_json::from_str::<Vec<&RawValue>>(text) {
        Ok(elements) => elements,
        Err(array_error) => match serde_json::from_str::<Map<String, Value>>(text) {
            Ok(_) => match inner_array(text) {
                Some(elements) => elements,
                None => {
                    parsed.warnings.push(input.warning(
                        input.first_line,
                        "a JSON object without an array of quotes; expected [{\"text\": …}, …]",
                    ));
                    return parsed;
                }
            },
            Err(_) => {
                let line = input.first_line.saturating_add(
                    u32::try_from(array_error.line())
                        .unwrap_or(1)
                        .saturating_sub(1),
                );
                parsed.warnings.push(input.warning(
                    line,
                    format!("invalid JSON, so nothing of this file is read: {array_error}"),
                ));
                return parsed;
            }
        },
    };
    let mut lines = LineCounter {
        text,
        offset: 0,
        line: input.first_line,
    };
    let base = text.as_ptr() as usize;
    for raw in elements {
        let start = (raw.get().as_ptr() as usize).saturating_sub(base);
        let line_start = lines.at(start);
        let line_end = lines.at(start + raw.get().len());
        match serde_json::from_str::<Value>(raw.get()) {
            Ok(value) => element(input, &value, line_start, line_end, &mut parsed),
            Err(err) => parsed
                .warnings
                .push(input.warning(line_start, format!("invalid JSON: {err}"))),
        }
    }
    parsed
}

/// The elements of the first array in a JSON object (`{"quotes": [...]}`).
fn inner_array(text: &str) -> Option<Vec<&RawValue>> {
    let object: Map<String, Value> = serde_json::from_str(text).ok()?;
    let key = object
        .iter()
        .find(|(_, v)| v.is_array())
        .map(|(k, _)| k.clone())?;
    let raw: std::collections::HashMap<String, &RawValue> = serde_json::from_str(text).ok()?;
    serde_json::from_str(raw.get(&key)?.get()).ok()
}

/// Parses JSON Lines: one quote object per line; a bad line is reported and skipped.
pub fn parse_lines(input: &Input) -> Parsed {
    let mut parsed = Parsed::default();
    for (number, line) in input.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => element(input, &value, number, number, &mut parsed),
            Err(err) => parsed
                .warnings
                .push(input.warning(number, format!("invalid JSON: {err}"))),
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Entry;

    #[test]
    fn aliases_and_authors() {
        let parsed = parse(&Input::new(
            "q.json",
            "\u{feff}[\n  {\"quote\": \"Veni, vidi, vici.\", \"author\": \"Julius Caesar (100–44 B.C.)\", \"tags\": [\"war\", \"Victory\"]},\n  \
             {\"quoteText\": \"Know thyself.\",\n   \"quoteAuthor\": \"Socrates\", \"category\": \"wisdom\", \"source\": \"Delphi\"},\n  \
             {\"content\": \"Untitled.\", \"work\": \"A Book\", \"tags\": \"one; Two\"}\n]\n",
        ));
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let records = &parsed.records;
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].author.as_ref().and_then(|a| a.died), Some(-44));
        assert_eq!(records[0].keywords, vec!["victory", "war"]);
        assert_eq!(
            (records[0].source.line_start, records[0].source.line_end),
            (2, 2)
        );
        assert_eq!(
            (records[1].source.line_start, records[1].source.line_end),
            (3, 4)
        );
        assert_eq!(
            records[1].author.as_ref().and_then(|a| a.work.as_deref()),
            Some("Delphi")
        );
        assert_eq!(records[2].title.as_deref(), Some("A Book"));
        assert_eq!(records[2].keywords, vec!["one", "two"]);
        assert_eq!(records[2].author, None);
    }

    #[test]
    fn an_object_holding_the_array_and_pieces() {
        let input = Input {
            first_line: 10,
            ..Input::new("q.json", "{\"quotes\": [\n{\"text\": \"A.\"}\n]}")
        };
        let parsed = parse(&input);
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].source.line_start, 11);
    }

    #[test]
    fn own_records_read_back() {
        let entry = Entry {
            id: "q-1".to_string(),
            kind: Kind::Quote,
            text: "An army.".to_string(),
            title: Some("Page".to_string()),
            section: Some("Part (636)".to_string()),
            topic: Some("Topic".to_string()),
            keywords: vec!["army".to_string()],
            author: Some(attribution::parse("William Howard Taft (1857–1930)")),
            years: vec![],
            tags: vec!["/kind/quote".to_string()],
            note: None,
            sources: vec![],
        };
        let line = serde_json::to_string(&entry).expect("serialize");
        let parsed = parse_lines(&Input::new("x.jsonl", &line));
        let record = &parsed.records[0];
        assert_eq!(record.text, entry.text);
        assert_eq!(record.keywords, entry.keywords);
        assert_eq!(record.author, entry.author);
        assert_eq!(
            (&record.title, &record.section, &record.topic),
            (&entry.title, &entry.section, &entry.topic)
        );
    }

    #[test]
    fn bad_lines_and_records_are_reported() {
        let parsed = parse_lines(&Input::new(
            "x.jsonl",
            "{\"text\": \"First.\"}\n{\"text\": broken\n\n[1]\n{\"author\": \"Nobody\"}\n{\"text\": \"Last.\"}\n",
        ));
        let lines: Vec<u32> = parsed.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
        assert_eq!(parsed.records.len(), 2);
        let broken = parse(&Input::new("x.json", "[\n{\"text\": 1,\n"));
        assert_eq!(broken.warnings.len(), 1);
        assert!(broken.records.is_empty());
    }
}
