//! BibTeX / BibLaTeX: `@online` for a page with a URL, `@misc` otherwise, LaTeX specials
//! escaped, and stable unique keys such as `taft1930army` (author, year, first keyword).

use std::collections::HashMap;

use super::{Cited, Person};

/// Words passed over when a key takes a word of the text.
const STOPWORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "we",
    "i",
    "it",
    "is",
    "was",
    "be",
    "he",
    "she",
    "they",
    "with",
    "as",
    "that",
    "this",
    "from",
    "his",
    "her",
    "should",
    "have",
    "had",
    "has",
    "not",
    "but",
    "all",
    "so",
    "according",
    "will",
];

/// The entries, one per record, separated by blank lines.
pub fn render(cited: &[Cited]) -> String {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut out = String::new();
    for one in cited {
        let base = key(one);
        let count = used.entry(base.clone()).or_insert(0);
        *count += 1;
        // The first use keeps the bare key; later ones get b, c, … in the order given.
        let key = match *count {
            1 => base,
            n => format!("{base}{}", suffix(n)),
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&entry(one, &key));
    }
    out
}

fn suffix(n: usize) -> String {
    let mut n = n - 1;
    let mut letters = String::new();
    loop {
        letters.insert(0, char::from(b'a' + u8::try_from(n % 26).unwrap_or(0)));
        n /= 26;
        if n == 0 {
            break;
        }
        n -= 1;
    }
    letters
}

/// `taft1930army`: the author's family name (or the page's first title word), a year (the
/// author's death, else birth or floruit, else `nd`), and the first keyword or word of text.
fn key(one: &Cited) -> String {
    let who = match &one.person {
        Some(person) => ascii_word(person.short()),
        None => ascii_word(&one.page.title),
    };
    let year = one
        .entry
        .author
        .as_ref()
        .and_then(|a| a.died.or(a.flourished).or(a.born))
        .map_or_else(|| "nd".to_string(), |y| y.to_string());
    let word = one
        .entry
        .keywords
        .first()
        .map(|k| ascii_word(k))
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| {
            one.entry
                .text
                .split_whitespace()
                .map(ascii_word)
                .find(|w| w.len() > 2 && !STOPWORDS.contains(&w.as_str()))
                .unwrap_or_default()
        });
    let who = if who.is_empty() {
        "anon".to_string()
    } else {
        who
    };
    format!("{who}{year}{word}")
}

/// The first word's ASCII letters and digits, lowercased ("Taft" → "taft", "Ṭabarī" → "tabar").
fn ascii_word(text: &str) -> String {
    text.split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn entry(one: &Cited, key: &str) -> String {
    let page = &one.page;
    let kind = if page.url.is_some() { "online" } else { "misc" };
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(person) = &one.person {
        let author = match person {
            Person::Split { .. } => escape(&person.inverted()),
            // Braces keep a literal name whole: "{Sun Tzu}" is not "Tzu, Sun".
            Person::Literal(name) => format!("{{{}}}", escape(name)),
        };
        fields.push(("author", author));
    }
    fields.push(("title", escape(&page.title)));
    if let Some(section) = &page.section {
        fields.push(("titleaddon", escape(section)));
    }
    if let Some(container) = &page.container {
        fields.push(("organization", escape(container)));
    }
    if let Some(publisher) = &page.publisher {
        fields.push(("publisher", escape(publisher)));
    }
    if let Some(url) = &page.url {
        // URLs are verbatim in BibLaTeX: no escaping.
        fields.push(("url", url.clone()));
    }
    if let Some(date) = &page.accessed {
        fields.push(("urldate", date.clone()));
    }
    if !one.entry.keywords.is_empty() {
        fields.push(("keywords", escape(&one.entry.keywords.join(", "))));
    }
    let note = match (&one.person, page.paragraph) {
        (Some(_), _) => format!("Quoted in ``{}''. ``{}''", page.title, one.entry.text),
        (None, Some(n)) => format!("Paragraph {n}. ``{}''", one.entry.text),
        (None, None) => format!("``{}''", one.entry.text),
    };
    fields.push(("note", escape(&note)));
    fields.push((
        "addendum",
        escape(&format!(
            "{}:{}-{}",
            page.path, page.line_start, page.line_end
        )),
    ));
    let mut out = format!("@{kind}{{{key},\n");
    for (name, value) in fields {
        out.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    out.push_str("}\n");
    out
}

/// LaTeX's special characters escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '$' | '&' | '#' | '_' | '%' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(
            escape("50% & $5 #1 a_b {x} ~ ^ \\"),
            "50\\% \\& \\$5 \\#1 a\\_b \\{x\\} \\~{} \\^{} \\textbackslash{}"
        );
    }

    #[test]
    fn key_suffixes() {
        assert_eq!(suffix(2), "b");
        assert_eq!(suffix(26), "z");
        assert_eq!(suffix(27), "aa");
    }
}
