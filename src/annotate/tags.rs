//! Hierarchical tags: the paths every record carries (`/kind/quote`, `/keyword/invasion`,
//! `/author/William Howard Taft`, `/century/20`, `/format/topic-page`, `/name/Heraclius`) and
//! the user's rules that add more.

use regex::Regex;

use super::names;
use crate::model::{Entry, Kind};

/// A user rule: records of `kind` (or any) whose text matches `pattern` get `tag`.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The tag path, normalized (`/event/battle`).
    pub tag: String,
    /// What the text must match.
    pub pattern: Regex,
    /// Only records of this kind, when set.
    pub kind: Option<Kind>,
}

/// A tag path from its segments; a `/` inside a segment is escaped as `\/`, as tantivy's facet
/// paths expect.
pub fn path(segments: &[&str]) -> String {
    let mut out = String::new();
    for segment in segments {
        out.push('/');
        for c in segment.trim().chars() {
            if c == '/' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A tag as a user writes it (`event/battle`, `/theme/war/`), as a normalized path; `Err` says
/// what is wrong with it.
pub fn normalize(tag: &str) -> Result<String, String> {
    let segments: Vec<&str> = tag
        .trim()
        .trim_matches('/')
        .split('/')
        .map(str::trim)
        .collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "{tag:?} is not a tag path: write segments separated by /, e.g. theme/war"
        ));
    }
    Ok(path(&segments))
}

/// The century of a year: 1930 → 20, 636 → 7, 1900 → 19, -44 (44 B.C.) → -1.
pub fn century(year: i32) -> i32 {
    let magnitude = (year.unsigned_abs().saturating_sub(1) / 100 + 1) as i32;
    if year < 0 { -magnitude } else { magnitude }
}

/// The tags an entry earns from its content, its formats and the rules, sorted and unique.
pub fn derive(entry: &Entry, formats: &[&str], rules: &[Rule]) -> Vec<String> {
    let mut tags = vec![path(&["kind", entry.kind.as_str()])];
    for keyword in &entry.keywords {
        tags.push(path(&["keyword", keyword]));
    }
    let topics = entry
        .sources
        .iter()
        .filter_map(|s| s.topic.as_deref())
        .chain(entry.topic.as_deref());
    for topic in topics {
        tags.push(path(&["topic", topic]));
    }
    if let Some(author) = &entry.author {
        tags.push(path(&["author", &author.name]));
        // A quote belongs to the century its author died in, or was active or born in.
        if let Some(year) = author.died.or(author.flourished).or(author.born) {
            tags.push(path(&["century", &century(year).to_string()]));
        }
    }
    if entry.kind == Kind::Passage {
        for year in &entry.years {
            tags.push(path(&["century", &century(*year).to_string()]));
        }
    }
    for format in formats {
        tags.push(path(&["format", format]));
    }
    for name in names::find(&entry.text) {
        tags.push(path(&["name", &name]));
    }
    for rule in rules {
        if rule.kind.is_none_or(|k| k == entry.kind) && rule.pattern.is_match(&entry.text) {
            tags.push(rule.tag.clone());
        }
    }
    tags.sort();
    tags.dedup();
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centuries() {
        assert_eq!(century(1930), 20);
        assert_eq!(century(1900), 19);
        assert_eq!(century(1901), 20);
        assert_eq!(century(636), 7);
        assert_eq!(century(100), 1);
        assert_eq!(century(-44), -1);
        assert_eq!(century(-100), -1);
        assert_eq!(century(-544), -6);
    }

    fn entry(kind: Kind, text: &str) -> Entry {
        Entry {
            id: "x".to_string(),
            kind,
            text: text.to_string(),
            title: Some("Page".to_string()),
            section: None,
            topic: Some("Muslim Conquest Of Persia".to_string()),
            keywords: vec!["invasion".to_string()],
            author: None,
            years: vec![636, 651],
            tags: Vec::new(),
            note: None,
            sources: Vec::new(),
        }
    }

    #[test]
    fn each_source_of_tags() {
        let mut quote = entry(Kind::Quote, "We should have an army.");
        quote.author = Some(crate::model::Attribution {
            name: "William Howard Taft".to_string(),
            born: Some(1857),
            died: Some(1930),
            ..Default::default()
        });
        let tags = derive(&quote, &["topic-page"], &[]);
        assert_eq!(
            tags,
            vec![
                "/author/William Howard Taft",
                "/century/20",
                "/format/topic-page",
                "/keyword/invasion",
                "/kind/quote",
                "/topic/Muslim Conquest Of Persia",
            ]
        );
        // A passage's centuries come from its years; names from its text; rules by kind.
        let passage = entry(
            Kind::Passage,
            "Umar sent Khalid ibn al-Walid to Mesopotamia.",
        );
        let rules = vec![
            Rule {
                tag: "/event/campaign".to_string(),
                pattern: crate::annotate::must("(?i)sent"),
                kind: Some(Kind::Passage),
            },
            Rule {
                tag: "/never".to_string(),
                pattern: crate::annotate::must("sent"),
                kind: Some(Kind::Quote),
            },
        ];
        let tags = derive(&passage, &["plain"], &rules);
        for tag in [
            "/century/7",
            "/event/campaign",
            "/name/Umar",
            "/name/Khalid ibn al-Walid",
            "/name/Mesopotamia",
            "/format/plain",
            "/kind/passage",
        ] {
            assert!(tags.iter().any(|t| t == tag), "{tag} missing from {tags:?}");
        }
        assert!(!tags.iter().any(|t| t == "/never"));
        // A quote's century is its author's death, or floruit, or birth.
        quote.author = Some(crate::model::Attribution {
            name: "Cicero".to_string(),
            born: Some(-106),
            died: Some(-43),
            ..Default::default()
        });
        assert!(derive(&quote, &[], &[]).contains(&"/century/-1".to_string()));
    }

    #[test]
    fn paths_escape_slashes() {
        assert_eq!(path(&["author", "AC/DC"]), "/author/AC\\/DC");
        assert_eq!(normalize("event/battle"), Ok("/event/battle".to_string()));
        assert_eq!(normalize("/theme/war/"), Ok("/theme/war".to_string()));
        assert!(normalize("a//b").is_err());
        assert!(normalize("").is_err());
    }
}
