//! Attribution lines and life dates: `William Howard Taft (1857–1930)`, `Cicero (106–43 B.C.),
//! Philippics`, `Bible: New Testament, Matthew 26:52.`, `b. 1961`, `fl. 1150`.

use std::sync::LazyLock;

use regex::Regex;

use super::must;

use crate::model::Attribution;

// Compiled once: these are constants of the grammar, not caches of data.
static LEADING_DASH: LazyLock<Regex> = LazyLock::new(|| must(r"^(?:--|[—―–~-])\s*"));
static NAME_DATES_WORK: LazyLock<Regex> = LazyLock::new(|| {
    must(r"^(?P<name>[^()]*?)\s*\((?P<dates>[^()]+)\)\s*(?:[,.;:]\s*(?P<work>.*?))?\s*$")
});
static SOURCE_WORK: LazyLock<Regex> =
    LazyLock::new(|| must(r"^(?P<name>[^:\d,]{1,60}?)\s*:\s+(?P<work>\S.*)$"));
static NAME_QUOTED_WORK: LazyLock<Regex> =
    LazyLock::new(|| must(r#"^(?P<name>[^,"“]+?)\s*,\s*(?P<work>["“].*["”][.,]?)$"#));
static SINGLE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    must(r"(?i)^(?P<what>b|born|d|died|fl|flor|floruit|flourished)\b\.?\s*(?P<year>.+)$")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    must(
        r"(?ix)^
        (?P<circa>(?:c|ca|circa)\.?\s*)?
        (?P<pre>(?:a\.?\s?d\.?|c\.?e\.?)\s*)?
        (?P<year>\d{1,4})
        (?P<doubt>\?)?
        \s*(?P<era>b\.?\s?c\.?(?:\s?e\.?)?|a\.?\s?d\.?|c\.?\s?e\.?)?
        $",
    )
});

/// Life dates read from the parenthesis of an attribution.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dates {
    /// Year of birth; negative for B.C.
    pub born: Option<i32>,
    /// Year of death; negative for B.C.
    pub died: Option<i32>,
    /// Year of known activity (`fl.`).
    pub flourished: Option<i32>,
    /// True when any year is approximate.
    pub circa: bool,
}

/// Parses an attribution line as written in a quote block or after a fortune.
///
/// Never fails: a line that fits no known form becomes a bare name, and `raw` keeps it as written.
pub fn parse(line: &str) -> Attribution {
    let raw = strip_leading_dash(line).to_string();
    let mut attribution = Attribution {
        name: raw.clone(),
        raw: raw.clone(),
        ..Attribution::default()
    };
    if let Some(caps) = NAME_DATES_WORK.captures(&raw) {
        if let Some(dates) = parse_dates(&caps["dates"]) {
            attribution.name = caps["name"].trim().to_string();
            attribution.born = dates.born;
            attribution.died = dates.died;
            attribution.flourished = dates.flourished;
            attribution.circa = dates.circa;
            attribution.work = caps
                .name("work")
                .map(|w| w.as_str().trim().to_string())
                .filter(|w| !w.is_empty());
            return attribution;
        }
    }
    let source = SOURCE_WORK
        .captures(&raw)
        .or_else(|| NAME_QUOTED_WORK.captures(&raw));
    if let Some(caps) = source {
        attribution.name = caps["name"].trim().to_string();
        attribution.work = Some(caps["work"].trim().to_string());
    }
    attribution
}

/// The line without indentation and without a leading `—`, `―`, `–`, `--`, `-` or `~`.
pub fn strip_leading_dash(line: &str) -> &str {
    let line = line.trim();
    match LEADING_DASH.find(line) {
        Some(m) => line[m.end()..].trim(),
        None => line,
    }
}

/// True when a line reads as an attribution rather than quotation text: it starts with a dash,
/// or it ends with a parenthesis of life dates.
pub fn looks_like_attribution(line: &str) -> bool {
    let line = line.trim();
    // A single hyphen opens ordinary sentences ("-and then"), so only "--" and real dashes count.
    if line.starts_with("--") || line.starts_with(['—', '―', '–']) {
        return true;
    }
    NAME_DATES_WORK.captures(line).is_some_and(|caps| {
        !caps["name"].trim().is_empty() && parse_dates(&caps["dates"]).is_some()
    })
}

/// Parses the dates of an attribution: `1857–1930`, `c. 544–496 B.C.`, `b. 1961`, `d. 1204`,
/// `fl. 1150`, `c. 1340–1400`, `4 B.C.–A.D. 65`. Returns `None` for anything else.
pub fn parse_dates(text: &str) -> Option<Dates> {
    let text = text.trim().trim_end_matches([',', ';']).trim();
    if let Some(caps) = SINGLE_YEAR.captures(text) {
        let (year, circa) = single_year(&caps["year"])?;
        let mut dates = Dates {
            circa,
            ..Dates::default()
        };
        match caps["what"].to_ascii_lowercase().as_str() {
            "b" | "born" => dates.born = Some(year),
            "d" | "died" => dates.died = Some(year),
            _ => dates.flourished = Some(year),
        }
        return Some(dates);
    }
    let (first, second) = split_range(text)?;
    let first = Side::parse(first)?;
    let second = Side::parse(second)?;
    let (born, died) = resolve_eras(&first, &second);
    if born > died {
        return None;
    }
    Some(Dates {
        born: Some(born),
        died: Some(died),
        flourished: None,
        circa: first.circa || second.circa,
    })
}

/// A year alone with its era, as in `b. 1961` or `d. 44 B.C.`.
fn single_year(text: &str) -> Option<(i32, bool)> {
    let side = Side::parse(text)?;
    let year = match side.era {
        Some(Era::Bc) => -side.year,
        _ => side.year,
    };
    Some((year, side.circa))
}

/// Splits `A–B` at its one dash (en dash, em dash, hyphen or minus sign).
fn split_range(text: &str) -> Option<(&str, &str)> {
    let at = text.find(['–', '—', '-', '−', '‒'])?;
    let dash_len = text[at..].chars().next()?.len_utf8();
    Some((&text[..at], &text[at + dash_len..]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    Bc,
    Ad,
}

/// One side of a date range.
#[derive(Debug)]
struct Side {
    year: i32,
    era: Option<Era>,
    circa: bool,
}

impl Side {
    fn parse(text: &str) -> Option<Side> {
        let caps = YEAR.captures(text.trim())?;
        let year: i32 = caps["year"].parse().ok()?;
        if year == 0 || year > 2100 {
            return None;
        }
        let suffix = caps.name("era").map(|e| e.as_str().to_ascii_lowercase());
        let era = match suffix.as_deref() {
            Some(e) if e.starts_with('b') => Some(Era::Bc),
            Some(_) => Some(Era::Ad),
            None if caps.name("pre").is_some() => Some(Era::Ad),
            None => None,
        };
        Some(Side {
            year,
            era,
            circa: caps.name("circa").is_some() || caps.name("doubt").is_some(),
        })
    }
}

/// Signs both years of a range. An era written only on the second side (`106–43 B.C.`) covers
/// both; an era written only on the first (`544 B.C.–496`) covers the second when the numbers
/// count down, as B.C. years do.
fn resolve_eras(first: &Side, second: &Side) -> (i32, i32) {
    let first_bc = match first.era {
        Some(era) => era == Era::Bc,
        None => second.era == Some(Era::Bc),
    };
    let second_bc = match second.era {
        Some(era) => era == Era::Bc,
        None => first_bc && second.year < first.year,
    };
    let sign = |bc: bool, year: i32| if bc { -year } else { year };
    (sign(first_bc, first.year), sign(second_bc, second.year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> (Option<i32>, Option<i32>, Option<i32>, bool) {
        let d = parse_dates(text).unwrap_or_else(|| panic!("{text:?} should parse"));
        (d.born, d.died, d.flourished, d.circa)
    }

    #[test]
    fn every_documented_date_form() {
        assert_eq!(dates("1857–1930"), (Some(1857), Some(1930), None, false));
        assert_eq!(dates("1857-1930"), (Some(1857), Some(1930), None, false));
        assert_eq!(
            dates("c. 544–496 B.C."),
            (Some(-544), Some(-496), None, true)
        );
        assert_eq!(dates("106–43 B.C."), (Some(-106), Some(-43), None, false));
        assert_eq!(dates("b. 1961"), (Some(1961), None, None, false));
        assert_eq!(dates("d. 1204"), (None, Some(1204), None, false));
        assert_eq!(dates("fl. 1150"), (None, None, Some(1150), false));
        assert_eq!(dates("c. 1340–1400"), (Some(1340), Some(1400), None, true));
    }

    #[test]
    fn other_eras_and_doubts() {
        assert_eq!(dates("106–43 BC"), (Some(-106), Some(-43), None, false));
        assert_eq!(dates("106–43 BCE"), (Some(-106), Some(-43), None, false));
        assert_eq!(dates("4 B.C.–A.D. 65"), (Some(-4), Some(65), None, false));
        assert_eq!(dates("63 B.C.–A.D. 14"), (Some(-63), Some(14), None, false));
        assert_eq!(dates("544 B.C.–496"), (Some(-544), Some(-496), None, false));
        assert_eq!(dates("1340?–1400"), (Some(1340), Some(1400), None, true));
        assert_eq!(dates("d. 44 B.C."), (None, Some(-44), None, false));
        assert_eq!(dates("born 1961"), (Some(1961), None, None, false));
    }

    #[test]
    fn non_dates_are_refused() {
        for text in [
            "Chinese proverb",
            "1930",
            "1930–1857",
            "9000–9100",
            "",
            "c.",
            "–",
        ] {
            assert_eq!(parse_dates(text), None, "{text:?}");
        }
    }

    #[test]
    fn name_with_dates() {
        let a = parse("    William Howard Taft (1857–1930)");
        assert_eq!(a.name, "William Howard Taft");
        assert_eq!((a.born, a.died, a.circa), (Some(1857), Some(1930), false));
        assert_eq!(a.work, None);
        assert_eq!(a.raw, "William Howard Taft (1857–1930)");
    }

    #[test]
    fn name_dates_and_work_after_a_dash() {
        let a = parse("— Marcus Tullius Cicero (106–43 B.C.), Philippics");
        assert_eq!(a.name, "Marcus Tullius Cicero");
        assert_eq!((a.born, a.died), (Some(-106), Some(-43)));
        assert_eq!(a.work.as_deref(), Some("Philippics"));
        assert_eq!(a.raw, "Marcus Tullius Cicero (106–43 B.C.), Philippics");

        let a = parse("\t-- Sun Tzu (c. 544–496 B.C.), The Art of War");
        assert_eq!(a.name, "Sun Tzu");
        assert!(a.circa);
        assert_eq!(a.work.as_deref(), Some("The Art of War"));
    }

    #[test]
    fn source_and_work() {
        let a = parse("Bible: New Testament, Matthew 26:52.");
        assert_eq!(a.name, "Bible");
        assert_eq!(a.work.as_deref(), Some("New Testament, Matthew 26:52."));
        assert_eq!((a.born, a.died), (None, None));
    }

    #[test]
    fn name_alone_and_quoted_work() {
        let a = parse("Anonymous");
        assert_eq!(a.name, "Anonymous");
        assert_eq!(a.work, None);

        let a = parse("\t\t-- Mark Twain, \"Pudd'nhead Wilson's Calendar\"");
        assert_eq!(a.name, "Mark Twain");
        assert_eq!(a.work.as_deref(), Some("\"Pudd'nhead Wilson's Calendar\""));

        let a = parse("Martin Luther King, Jr.");
        assert_eq!(a.name, "Martin Luther King, Jr.");
    }

    #[test]
    fn a_parenthesis_that_is_not_dates_stays_in_the_name() {
        let a = parse("Anonymous (Chinese proverb)");
        assert_eq!(a.name, "Anonymous (Chinese proverb)");
        assert_eq!(a.born, None);
    }

    #[test]
    fn attribution_lines_are_told_from_text() {
        assert!(looks_like_attribution("William Howard Taft (1857–1930)"));
        assert!(looks_like_attribution("— Anonymous"));
        assert!(looks_like_attribution("-- Anonymous"));
        assert!(!looks_like_attribution(
            "We should have an army so organized"
        ));
        assert!(!looks_like_attribution("-and so it went"));
        assert!(!looks_like_attribution("(1857–1930)"));
    }
}
