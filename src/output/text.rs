//! The text printer: what a person reads in a terminal.

use std::io::{self, Write};

use super::year;
use crate::model::{Attribution, Entry, Hit, Kind, Occurrence};

/// Texts longer than this are shown as a window around their first match.
const WINDOW: usize = 320;

const PATH: &str = "\x1b[35m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;31m";
const AUTHOR: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// Wraps `text` in an ANSI colour when colour is on.
fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// One block per hit: location, kind and id; the text with matches highlighted; the
/// attribution; where the record is filed.
pub fn hits<W: Write>(out: &mut W, hits: &[Hit], color: bool) -> io::Result<()> {
    for (n, hit) in hits.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let entry = &hit.entry;
        writeln!(
            out,
            "{}  {}",
            paint(&location(entry.sources.first()), PATH, color),
            paint(&format!("{} {}", entry.kind.as_str(), entry.id), DIM, color)
        )?;
        // A quotation is read whole; a long passage is shown around its first match.
        let window = match entry.kind {
            Kind::Quote => usize::MAX,
            Kind::Passage => WINDOW,
        };
        writeln!(
            out,
            "    {}",
            highlighted(&entry.text, &hit.highlights, window, color)
        )?;
        if let Some(author) = &entry.author {
            writeln!(
                out,
                "    {}",
                paint(&format!("— {}", author.raw), AUTHOR, color)
            )?;
        }
        let filed = filed_under(entry);
        if !filed.is_empty() {
            writeln!(out, "    {}", paint(&filed, DIM, color))?;
        }
        let also = also_in(&entry.sources);
        if !also.is_empty() {
            writeln!(out, "    {}", paint(&also, DIM, color))?;
        }
    }
    Ok(())
}

/// How many other places a hit shows besides its first; `flor show` lists them all.
const ALSO_SHOWN: usize = 3;

/// `also in corpus/001.txt:30-31` for a record that occurs in more than one place.
fn also_in(sources: &[Occurrence]) -> String {
    let Some(rest) = sources.get(1..).filter(|rest| !rest.is_empty()) else {
        return String::new();
    };
    let shown: Vec<String> = rest
        .iter()
        .take(ALSO_SHOWN)
        .map(|s| location(Some(s)))
        .collect();
    let mut line = format!("also in {}", shown.join(", "));
    if rest.len() > ALSO_SHOWN {
        line.push_str(&format!(" and {} more", rest.len() - ALSO_SHOWN));
    }
    line
}

/// Every field of each record, one per line.
pub fn entries<W: Write>(out: &mut W, entries: &[Entry], color: bool) -> io::Result<()> {
    for (n, entry) in entries.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let field = |out: &mut W, name: &str, value: &str| -> io::Result<()> {
            writeln!(out, "{}{value}", paint(&format!("{name:<11}"), DIM, color))
        };
        field(out, "id", &entry.id)?;
        field(out, "kind", entry.kind.as_str())?;
        field(out, "text", &entry.text)?;
        if let Some(author) = &entry.author {
            attribution(out, author, &field)?;
        }
        for (name, value) in [
            ("title", &entry.title),
            ("section", &entry.section),
            ("topic", &entry.topic),
        ] {
            if let Some(value) = value {
                field(out, name, value)?;
            }
        }
        if !entry.keywords.is_empty() {
            field(out, "keywords", &entry.keywords.join(", "))?;
        }
        if !entry.years.is_empty() {
            let years: Vec<String> = entry.years.iter().map(|y| year(*y)).collect();
            field(out, "years", &years.join(", "))?;
        }
        if !entry.tags.is_empty() {
            field(out, "tags", &entry.tags.join(" "))?;
        }
        if let Some(note) = &entry.note {
            field(out, "note", note)?;
        }
        for source in &entry.sources {
            field(out, "source", &paint(&location(Some(source)), PATH, color))?;
        }
    }
    Ok(())
}

fn attribution<W: Write>(
    out: &mut W,
    author: &Attribution,
    field: &impl Fn(&mut W, &str, &str) -> io::Result<()>,
) -> io::Result<()> {
    field(out, "author", &author.name)?;
    let circa = if author.circa { "c. " } else { "" };
    for (name, value) in [
        ("born", author.born),
        ("died", author.died),
        ("flourished", author.flourished),
    ] {
        if let Some(value) = value {
            field(out, name, &format!("{circa}{}", year(value)))?;
        }
    }
    if let Some(work) = &author.work {
        field(out, "work", work)?;
    }
    field(out, "as written", &author.raw)
}

/// `path:11` for a one-line record, `path:11-12` for a longer one.
fn location(source: Option<&Occurrence>) -> String {
    match source {
        Some(s) if s.line_end > s.line_start => {
            format!("{}:{}-{}", s.path, s.line_start, s.line_end)
        }
        Some(s) => format!("{}:{}", s.path, s.line_start),
        None => "(no source)".to_string(),
    }
}

/// `invasion · Muslim Conquest of Persia - Second Invasion of Mesopotamia (636)`
fn filed_under(entry: &Entry) -> String {
    let mut parts = Vec::new();
    if entry.kind == Kind::Quote && !entry.keywords.is_empty() {
        parts.push(format!("filed under {}", entry.keywords.join(", ")));
    }
    match (&entry.title, &entry.section) {
        (Some(title), Some(section)) => parts.push(format!("{title} - {section}")),
        (Some(title), None) => parts.push(title.clone()),
        (None, Some(section)) => parts.push(section.clone()),
        (None, None) => {}
    }
    parts.join(" · ")
}

/// The text with its highlighted ranges painted; a long text is cut to a window around its
/// first match, with `…` where it was cut.
fn highlighted(text: &str, highlights: &[[usize; 2]], width: usize, color: bool) -> String {
    let (start, end) = window(text, highlights.first().map(|h| h[0]), width);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for &[from, to] in highlights {
        let (from, to) = (from.max(at), to.min(end));
        if from >= to || !text.is_char_boundary(from) || !text.is_char_boundary(to) {
            continue;
        }
        out.push_str(&text[at..from]);
        out.push_str(&paint(&text[from..to], MATCH, color));
        at = to;
    }
    out.push_str(&text[at..end]);
    if end < text.len() {
        out.push('…');
    }
    out
}

/// The byte range of `text` to show: all of it when short, else about `width` bytes starting a
/// little before the first match, cut at spaces.
fn window(text: &str, first_match: Option<usize>, width: usize) -> (usize, usize) {
    if text.len() <= width {
        return (0, text.len());
    }
    let anchor = first_match.unwrap_or(0).min(text.len());
    let lead = anchor.saturating_sub(width / 4);
    let start = if lead == 0 {
        0
    } else {
        text[..floor(text, lead)].rfind(' ').map_or(0, |i| i + 1)
    };
    let stop = floor(text, start.saturating_add(width).min(text.len()));
    let end = if stop >= text.len() {
        text.len()
    } else {
        text[..stop]
            .rfind(' ')
            .filter(|&i| i > start)
            .unwrap_or(stop)
    };
    (start, end)
}

/// The largest char boundary at or before `at`.
fn floor(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_painted_only_with_colour() {
        let text = "resist all probable invasion from abroad";
        let ranges = [[20, 28]];
        assert_eq!(highlighted(text, &ranges, WINDOW, false), text);
        assert_eq!(
            highlighted(text, &ranges, WINDOW, true),
            "resist all probable \x1b[1;31minvasion\x1b[0m from abroad"
        );
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{} target {}", "word ".repeat(200), "tail ".repeat(200));
        let at = text.find("target").unwrap_or(0);
        let shown = highlighted(&text, &[[at, at + 6]], WINDOW, false);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains(" target "));
        assert!(shown.len() < WINDOW + 10);
    }

    #[test]
    fn window_respects_multibyte_text() {
        let text = "é".repeat(400);
        let (start, end) = window(&text, Some(401), WINDOW);
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
}
