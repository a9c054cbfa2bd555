//! Citations of passages and quotes: what a page is (`Page`, from its record and the corpus's
//! `[[source]]` metadata), who said a quote (`Person`), and one file per output format with the
//! same `render(&[Cited]) -> Result<String>` signature, chosen by a single `match` on `Style`.
//!
//! A quotation is cited as quoted in its page: the page is the bibliography entry, and the
//! quote's author is named in the in-text citation ("as cited in", "qtd. in", "quoted in").

mod bibtex;
mod csl;
mod csljson;
mod fortune;
mod markdown;
mod ris;

use anyhow::Result;

use crate::config::Sources;
use crate::model::{Attribution, Entry, Kind};

/// Styles florilegium renders itself, beside the CSL styles.
const OWN_STYLES: &[(&str, &str)] = &[
    ("bibtex", "BibTeX / BibLaTeX entries"),
    ("ris", "RIS records (EndNote, Zotero, Mendeley)"),
    ("csl-json", "CSL-JSON items"),
    ("markdown", "a blockquote with its attribution and source"),
    ("fortune", "a fortune file (strfile-ready)"),
    ("jsonl", "florilegium's JSON record contract, one per line"),
];

/// The CSL styles with short names, and the archive style each stands for.
const CSL_SHORT: &[(&str, &str, &str)] = &[
    ("apa", "apa", "APA 7th edition (author-date)"),
    ("mla", "modern-language-association", "MLA 9th edition"),
    (
        "chicago",
        "chicago-author-date",
        "Chicago 18th edition, author-date",
    ),
    (
        "chicago-notes",
        "chicago-notes",
        "Chicago 18th edition, notes and bibliography",
    ),
];

/// How a style says that a quotation is quoted in a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// APA: "(Taft, as cited in …)", paragraph locators "para. 1".
    Apa,
    /// MLA: "(qtd. in …)", "par. 1".
    Mla,
    /// Chicago author-date: "(Taft, quoted in …)".
    ChicagoDate,
    /// Chicago notes: "William Howard Taft, quoted in …".
    ChicagoNotes,
    /// Any other CSL style: "quoted in".
    Other,
}

/// An output format for citations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// A CSL style from hayagriva's archive, by its archive name.
    Csl {
        /// The archive name, e.g. `apa`.
        name: String,
        /// How it cites secondary sources.
        family: Family,
    },
    /// BibTeX.
    Bibtex,
    /// RIS.
    Ris,
    /// CSL-JSON.
    CslJson,
    /// Markdown.
    Markdown,
    /// A fortune file.
    Fortune,
    /// JSON Lines records.
    Jsonl,
}

impl std::str::FromStr for Style {
    type Err = String;

    fn from_str(name: &str) -> Result<Style, String> {
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "bibtex" | "biblatex" => return Ok(Style::Bibtex),
            "ris" => return Ok(Style::Ris),
            "csl-json" | "csljson" => return Ok(Style::CslJson),
            "markdown" | "md" => return Ok(Style::Markdown),
            "fortune" => return Ok(Style::Fortune),
            "jsonl" => return Ok(Style::Jsonl),
            _ => {}
        }
        let archived = CSL_SHORT
            .iter()
            .find(|(short, _, _)| *short == name)
            .map_or(name.as_str(), |(_, archived, _)| archived);
        if !csl::exists(archived) {
            return Err(format!(
                "unknown citation style {name:?}; `flor cite --list-styles` lists them"
            ));
        }
        let family = match archived {
            "apa" => Family::Apa,
            "modern-language-association" => Family::Mla,
            "chicago-author-date" => Family::ChicagoDate,
            "chicago-notes" => Family::ChicagoNotes,
            _ => Family::Other,
        };
        Ok(Style::Csl {
            name: archived.to_string(),
            family,
        })
    }
}

/// Every style name with a description: the short ones first, then every archived CSL style.
pub fn list() -> Vec<(String, String)> {
    let mut styles: Vec<(String, String)> = CSL_SHORT
        .iter()
        .map(|(short, _, about)| (short.to_string(), about.to_string()))
        .collect();
    styles.extend(
        OWN_STYLES
            .iter()
            .map(|(n, a)| (n.to_string(), a.to_string())),
    );
    styles.extend(csl::archive());
    styles
}

/// The page a record is cited from: its first occurrence, with the corpus's metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// The page title; without one, the file name (never an invented title).
    pub title: String,
    /// The section, if the page has one.
    pub section: Option<String>,
    /// The passage's paragraph number in the page.
    pub paragraph: Option<u32>,
    /// The file and lines.
    pub path: String,
    pub line_start: u32,
    pub line_end: u32,
    /// From `[[source]]`: encyclopedia or site, publisher, URL, date read.
    pub container: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub accessed: Option<String>,
}

/// A quote's author as citation formats need the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Person {
    /// A personal name split into family and given names ("Taft", "William Howard").
    Split {
        /// Family name, with a particle such as "de" or "ibn".
        family: String,
        /// Given names.
        given: String,
    },
    /// A name used whole: "Bible", "Anonymous", "Sun Tzu", "Thucydides".
    Literal(String),
}

/// Names that are not people, or whose parts do not split into family and given names.
const LITERAL_NAMES: &[&str] = &[
    "bible",
    "anonymous",
    "anon.",
    "unknown",
    "proverb",
    "koran",
    "quran",
    "talmud",
    "sun tzu",
    "lao tzu",
    "confucius",
];

/// Particles that belong to the family name: "de Montaigne", "ibn Khaldun".
const PARTICLES: &[&str] = &[
    "de", "da", "di", "du", "del", "van", "von", "der", "ibn", "bin", "al", "la", "le",
];

impl Person {
    /// Splits an attribution's name.
    pub fn of(author: &Attribution) -> Person {
        let name = author.name.trim();
        let words: Vec<&str> = name.split_whitespace().collect();
        if words.len() < 2 || LITERAL_NAMES.contains(&name.to_lowercase().as_str()) {
            return Person::Literal(name.to_string());
        }
        let mut split = words.len() - 1;
        while split > 1 && PARTICLES.contains(&words[split - 1].to_lowercase().as_str()) {
            split -= 1;
        }
        Person::Split {
            family: words[split..].join(" "),
            given: words[..split].join(" "),
        }
    }

    /// The short form in-text citations use: the family name, or the whole literal name.
    pub fn short(&self) -> &str {
        match self {
            Person::Split { family, .. } => family,
            Person::Literal(name) => name,
        }
    }

    /// "Taft, William Howard", or the literal name.
    pub fn inverted(&self) -> String {
        match self {
            Person::Split { family, given } => format!("{family}, {given}"),
            Person::Literal(name) => name.clone(),
        }
    }
}

/// One record to cite: the record, its page, and its author.
#[derive(Debug, Clone)]
pub struct Cited<'a> {
    /// The record.
    pub entry: &'a Entry,
    /// Where it is cited from.
    pub page: Page,
    /// A quote's author.
    pub person: Option<Person>,
}

impl<'a> Cited<'a> {
    /// The citation of a record, with the metadata of its page.
    pub fn new(entry: &'a Entry, sources: &Sources) -> Cited<'a> {
        let first = entry.sources.first();
        let path = first.map(|s| s.path.clone()).unwrap_or_default();
        let title = first
            .and_then(|s| s.title.clone())
            .or_else(|| entry.title.clone())
            .unwrap_or_else(|| {
                path.rsplit('/')
                    .next()
                    .filter(|n| !n.is_empty())
                    .unwrap_or("Untitled")
                    .to_string()
            });
        let section = first
            .and_then(|s| s.section.clone())
            .or_else(|| entry.section.clone());
        let meta = sources.find(&path);
        let url = meta.and_then(|m| m.url.as_deref()).map(|template| {
            template
                .replace("{title}", &url_part(&title))
                .replace("{section}", &url_part(section.as_deref().unwrap_or("")))
        });
        let page = Page {
            title,
            section,
            paragraph: first.and_then(|s| s.paragraph),
            path,
            line_start: first.map_or(0, |s| s.line_start),
            line_end: first.map_or(0, |s| s.line_end),
            container: meta.and_then(|m| m.container.clone()),
            publisher: meta.and_then(|m| m.publisher.clone()),
            url,
            accessed: meta.and_then(|m| m.accessed.clone()),
        };
        let person = match entry.kind {
            Kind::Quote => entry.author.as_ref().map(Person::of),
            Kind::Passage => None,
        };
        Cited {
            entry,
            page,
            person,
        }
    }
}

/// A title or section as a URL path segment, the way encyclopedias name pages: spaces become
/// underscores, and characters that cannot stand in a URL are percent-encoded.
fn url_part(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        match c {
            ' ' => out.push('_'),
            c if c.is_ascii_alphanumeric() || "-._~()'!*,:".contains(c) => out.push(c),
            c => {
                let mut buf = [0; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// Renders the records in a style: a whole document (a reference list, a `.bib` file, a CSL-JSON
/// array…).
pub fn render(cited: &[Cited], style: &Style) -> Result<String> {
    match style {
        Style::Csl { name, family } => csl::render(cited, name, *family),
        Style::Bibtex => Ok(bibtex::render(cited)),
        Style::Ris => Ok(ris::render(cited)),
        Style::CslJson => csljson::render(cited),
        Style::Markdown => Ok(markdown::render(cited)),
        Style::Fortune => Ok(fortune::render(cited)),
        Style::Jsonl => {
            let mut out = Vec::new();
            let entries: Vec<&Entry> = cited.iter().map(|c| c.entry).collect();
            crate::output::records_jsonl(&mut out, &entries)?;
            Ok(String::from_utf8_lossy(&out).into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author(name: &str) -> Attribution {
        Attribution {
            name: name.to_string(),
            raw: name.to_string(),
            ..Attribution::default()
        }
    }

    #[test]
    fn names_split_into_family_and_given() {
        assert_eq!(
            Person::of(&author("William Howard Taft")),
            Person::Split {
                family: "Taft".to_string(),
                given: "William Howard".to_string()
            }
        );
        assert_eq!(
            Person::of(&author("Michel de Montaigne")).short(),
            "de Montaigne"
        );
        assert_eq!(
            Person::of(&author("Bible")),
            Person::Literal("Bible".to_string())
        );
        assert_eq!(
            Person::of(&author("Sun Tzu")),
            Person::Literal("Sun Tzu".to_string())
        );
        assert_eq!(Person::of(&author("Cicero")).inverted(), "Cicero");
    }

    #[test]
    fn styles_by_name() {
        assert_eq!(
            "APA".parse::<Style>(),
            Ok(Style::Csl {
                name: "apa".to_string(),
                family: Family::Apa
            })
        );
        assert!(matches!(
            "mla".parse::<Style>(),
            Ok(Style::Csl {
                family: Family::Mla,
                ..
            })
        ));
        assert!(matches!(
            "ieee".parse::<Style>(),
            Ok(Style::Csl {
                family: Family::Other,
                ..
            })
        ));
        assert_eq!("bibtex".parse::<Style>(), Ok(Style::Bibtex));
        assert!("nonsense".parse::<Style>().is_err());
        let names: Vec<String> = list().into_iter().map(|(n, _)| n).collect();
        for name in [
            "apa",
            "mla",
            "chicago",
            "chicago-notes",
            "bibtex",
            "ris",
            "csl-json",
            "ieee",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} not listed");
        }
    }

    #[test]
    fn url_templates() {
        assert_eq!(
            url_part("Muslim Conquest of Persia"),
            "Muslim_Conquest_of_Persia"
        );
        assert_eq!(url_part("Heraclius’s War"), "Heraclius%E2%80%99s_War");
    }
}
