//! Years a text mentions: `In 635`, `(636)`, `634–651`, `44 B.C.`, `A.D. 65`, but not
//! `9000 soldiers`, `30,000 men` or `the 630s`.

use std::sync::LazyLock;

use regex::Regex;

use super::must;

// Constants of the grammar, compiled once.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| must(r"\d+"));
static RANGE_TAIL: LazyLock<Regex> = LazyLock::new(|| must(r"^\s*[–—-]\s*\d{1,4}"));
static ERA: LazyLock<Regex> =
    LazyLock::new(|| must(r"^\s*(B\.?\s?C\.?(?:\s?E\.?)?|A\.?\s?D\.?|C\.?E\.?)(?:[^A-Za-z]|$)"));

/// Words after which a number of 100 or more reads as a year ("in 636", "by 651").
const CUES: &[&str] = &[
    "in",
    "by",
    "of",
    "since",
    "until",
    "till",
    "from",
    "to",
    "after",
    "before",
    "around",
    "about",
    "circa",
    "c",
    "ca",
    "year",
    "during",
    "between",
    "through",
    "early",
    "late",
    "mid",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words after which a number counts things rather than naming a year ("1500 men").
const COUNTED: &[&str] = &[
    "men",
    "people",
    "cavalry",
    "infantry",
    "horse",
    "foot",
    "strong",
    "dead",
    "killed",
    "captives",
    "miles",
    "km",
    "kilometres",
    "kilometers",
    "dinars",
    "dirhams",
];

/// Short words ending in "s" that do not make the number before them a count ("in 636 was").
const NOT_PLURAL: &[&str] = &[
    "as", "is", "was", "has", "his", "its", "this", "thus", "us", "yes", "whereas",
];

/// The years mentioned in `text`, sorted and unique. B.C. years are negative.
pub fn mentioned(text: &str) -> Vec<i32> {
    let mut years = Vec::new();
    // Where the previous number that was read as a year ended, to follow ranges.
    let mut last_year: Option<usize> = None;
    for m in NUMBER.find_iter(text) {
        let (before, after) = (&text[..m.start()], &text[m.end()..]);
        if m.as_str().len() > 4 || is_part_of_larger_number(before, after) {
            continue;
        }
        let Ok(value) = m.as_str().parse::<i32>() else {
            continue;
        };
        // `106–43 B.C.`: an era written after a range covers its first year too.
        let era = era_after(after).or_else(|| {
            let tail = RANGE_TAIL.find(after)?;
            era_after(&after[tail.end()..])
        });
        let continues_range = last_year.is_some_and(|end| is_range_dash(&text[end..m.start()]));
        let is_year = value > 0
            && (era.is_some()
                || era_before(before)
                || (value <= 2100
                    && (continues_range
                        || in_parentheses(before, after)
                        || (value >= 100 && cue_before(before) && !counted_after(after))
                        || (m.as_str().len() == 4 && value >= 1000 && !counted_after(after)))));
        if !is_year {
            last_year = None;
            continue;
        }
        let bc = era == Some(true);
        years.push(if bc { -value } else { value });
        last_year = Some(m.end());
    }
    years.sort_unstable();
    years.dedup();
    years
}

/// True for `30,000`, `3.5`, `630s`, `3rd`, `1/2`: digits that are part of something else.
fn is_part_of_larger_number(before: &str, after: &str) -> bool {
    let mut back = before.chars().rev();
    let prev = back.next();
    let prev2 = back.next();
    let mut fwd = after.chars();
    let next = fwd.next();
    let next2 = fwd.next();
    let joins = |c: Option<char>| matches!(c, Some(',' | '.' | '/' | ':'));
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    (joins(prev) && digit(prev2))
        || (joins(next) && digit(next2))
        || next.is_some_and(|c| c.is_alphabetic() || c == '%')
        || prev.is_some_and(|c| c.is_alphabetic())
}

/// `Some(true)` for B.C./BC/BCE after the number, `Some(false)` for A.D./AD/CE.
fn era_after(after: &str) -> Option<bool> {
    let caps = ERA.captures(after)?;
    Some(caps[1].starts_with('B'))
}

/// True when the number follows `A.D.` or `AD`.
fn era_before(before: &str) -> bool {
    let trimmed = before.trim_end();
    trimmed.ends_with("A.D.") || trimmed.ends_with("A.D") || last_word(trimmed) == "AD"
}

/// `(636)` or the first year of `(634–651)`.
fn in_parentheses(before: &str, after: &str) -> bool {
    before.trim_end().ends_with('(') && after.trim_start().starts_with([')', '–', '—', '-'])
}

/// True when only a dash (and spaces) separates two numbers.
fn is_range_dash(between: &str) -> bool {
    let between = between.trim();
    matches!(between, "–" | "—" | "-" | "to" | "−")
}

fn cue_before(before: &str) -> bool {
    let word = last_word(before).to_lowercase();
    CUES.contains(&word.as_str())
}

fn counted_after(after: &str) -> bool {
    let word: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    if word.is_empty() || !word.chars().all(|c| c.is_lowercase()) {
        return false;
    }
    COUNTED.contains(&word.as_str())
        || word.ends_with("men")
        || (word.len() > 2 && word.ends_with('s') && !NOT_PLURAL.contains(&word.as_str()))
}

/// The last word of `text`, without trailing punctuation such as the dot of "c.".
fn last_word(text: &str) -> &str {
    let text = text.trim_end().trim_end_matches(['.', ',']);
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8());
    &text[start..]
}

#[cfg(test)]
mod tests {
    use super::mentioned;

    #[test]
    fn reference_passage_years() {
        let text = "As soon as Khalid had left Mesopotamia with half his army of 9000 soldiers, \
                    the Persians decided to take back their lost territory. In 635 Yazdgerd III \
                    sought alliance with Emperor Heraclius.";
        assert_eq!(mentioned(text), vec![635]);
        assert_eq!(mentioned("Second Invasion of Mesopotamia (636)"), vec![636]);
    }

    #[test]
    fn ranges_and_eras() {
        assert_eq!(mentioned("the reign (634–644) of Umar"), vec![634, 644]);
        assert_eq!(mentioned("from 633 to 651 the war went on"), vec![633, 651]);
        assert_eq!(
            mentioned("Cicero lived 106–43 B.C. in Rome"),
            vec![-106, -43]
        );
        assert_eq!(mentioned("Xerxes invaded Greece in 480 BC."), vec![-480]);
        assert_eq!(mentioned("he died in A.D. 65 at Rome"), vec![65]);
        assert_eq!(mentioned("by 30 AD the"), vec![30]);
        assert_eq!(
            mentioned("Nahavand (642) ended it, by 651 all was lost"),
            vec![642, 651]
        );
        assert_eq!(mentioned("In 1857, Taft was born"), vec![1857]);
    }

    #[test]
    fn counts_are_not_years() {
        assert!(mentioned("an army of 9000 soldiers").is_empty());
        assert!(mentioned("some 30,000 men and 12 elephants").is_empty());
        assert!(mentioned("in 1500 horsemen").is_empty());
        assert!(mentioned("by 1200 men").is_empty());
        assert!(mentioned("the 630s were hard").is_empty());
        assert!(mentioned("a 3.5 mile march, 3rd day, 50% lost").is_empty());
        assert!(mentioned("in 30 days").is_empty());
        assert!(mentioned("Matthew 26:52").is_empty());
    }
}
