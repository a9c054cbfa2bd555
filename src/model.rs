//! Plain data that flows through florilegium: what a parser reads (`Record`), what the index
//! holds and prints (`Entry`, the JSON record contract, version 1), and search results (`Hit`).
//! Nothing here knows about tantivy.

use serde::{Deserialize, Serialize};

/// The two kinds of record a corpus holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A paragraph of prose.
    Passage,
    /// A quotation, usually with an attribution.
    Quote,
}

impl Kind {
    /// The name used in JSON, in the index and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Passage => "passage",
            Kind::Quote => "quote",
        }
    }

    /// The prefix of ids of this kind (`p-…`, `q-…`).
    pub fn id_prefix(self) -> &'static str {
        match self {
            Kind::Passage => "p",
            Kind::Quote => "q",
        }
    }
}

/// Where a record stands in a source file: 1-based, inclusive line numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file, as it was reached from the ingested path, with `/` separators.
    pub path: String,
    /// First line of the record.
    pub line_start: u32,
    /// Last line of the record; for a quote, its attribution line.
    pub line_end: u32,
}

/// Who said a quotation, parsed from an attribution line such as
/// `William Howard Taft (1857–1930)` or `Bible: New Testament, Matthew 26:52.`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// The author or source name ("William Howard Taft", "Bible").
    pub name: String,
    /// Year of birth; negative for B.C.
    pub born: Option<i32>,
    /// Year of death; negative for B.C.
    pub died: Option<i32>,
    /// Year the author is known to have been active (`fl. 1150`).
    #[serde(default)]
    pub flourished: Option<i32>,
    /// True when the dates are approximate (`c. 544–496 B.C.`, `1340?`).
    pub circa: bool,
    /// The work quoted, when the attribution names one.
    pub work: Option<String>,
    /// The attribution line as written, without indentation or a leading dash.
    pub raw: String,
}

/// One record as a source file states it, before ids, years and merging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Passage or quote.
    pub kind: Kind,
    /// The text, lines joined with single spaces, without attribution.
    pub text: String,
    /// The page title (the part of the title line before the last ` - `).
    pub title: Option<String>,
    /// The page section (the part after the last ` - `).
    pub section: Option<String>,
    /// The `Read more about this topic:` value.
    pub topic: Option<String>,
    /// Lowercase words the page files a quote under.
    pub keywords: Vec<String>,
    /// The attribution of a quote.
    pub author: Option<Attribution>,
    /// Where the record stands.
    pub source: Source,
}

/// A record as it is indexed and printed: the JSON record contract, version 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Stable id derived from normalized content: `p-…` or `q-…`.
    pub id: String,
    /// Passage or quote.
    pub kind: Kind,
    /// The passage or quotation text.
    pub text: String,
    /// Page title, or null.
    pub title: Option<String>,
    /// Page section, or null.
    pub section: Option<String>,
    /// Page topic, or null.
    pub topic: Option<String>,
    /// Lowercase keywords, sorted and unique.
    pub keywords: Vec<String>,
    /// Attribution of a quote; null for a passage.
    pub author: Option<Attribution>,
    /// Years the text mentions plus the year of its section heading; sorted and unique.
    pub years: Vec<i32>,
    /// Tag paths such as `/kind/quote` or `/author/William Howard Taft`; sorted and unique.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The user's note on this record, from `annotations.toml`.
    #[serde(default)]
    pub note: Option<String>,
    /// Every place the record occurs, with the page it occurs on.
    pub sources: Vec<Occurrence>,
}

/// One place a record occurs: where, and on which page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// The file, as it was reached from the ingested path, with `/` separators.
    pub path: String,
    /// First line of the record.
    pub line_start: u32,
    /// Last line of the record; for a quote, its attribution line.
    pub line_end: u32,
    /// The page title there, or null.
    #[serde(default)]
    pub title: Option<String>,
    /// The page section there, or null.
    #[serde(default)]
    pub section: Option<String>,
    /// The page topic there, or null.
    #[serde(default)]
    pub topic: Option<String>,
    /// For a passage, its paragraph number in the file (1 for the first passage), the locator
    /// of its citations; null for a quote.
    #[serde(default)]
    pub paragraph: Option<u32>,
}

/// One search result: an entry, its score, and where the query matched its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The record.
    #[serde(flatten)]
    pub entry: Entry,
    /// Relevance score; higher is better.
    pub score: f32,
    /// Byte ranges `[start, end)` of `text` that match the query.
    pub highlights: Vec<[usize; 2]>,
}

/// Something in an input that could not be placed, reported as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The file.
    pub path: String,
    /// 1-based line, or 0 when the warning concerns the whole file.
    pub line: u32,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)
        } else {
            write!(f, "{}:{}: {}", self.path, self.line, self.message)
        }
    }
}

/// What the user added to one record by hand: kept in `annotations.toml`, applied at every
/// ingest, so a rebuild never loses it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserAnnotation {
    /// Tag paths, e.g. `/theme/war`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A free-text note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl UserAnnotation {
    /// True when nothing is left to keep.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.note.is_none()
    }
}
