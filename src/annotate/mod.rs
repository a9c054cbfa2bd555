//! Turns what files say (`Record`) into what the index holds (`Entry`): stable ids, years, and
//! one entry per distinct passage or quotation, however many places it occurs in.

pub mod attribution;
pub mod names;
pub mod tags;
pub mod years;

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use regex::Regex;

use crate::model::{Entry, Kind, Occurrence, Record, UserAnnotation};
use tags::Rule;

/// Compiles a pattern that is a constant of this crate; a failure is a bug the unit tests catch.
pub(crate) fn must(pattern: &str) -> Regex {
    match Regex::new(pattern) {
        Ok(re) => re,
        Err(err) => panic!("built-in pattern {pattern:?} does not compile: {err}"),
    }
}

/// Text reduced to what identifies it: lowercase letters and digits, single spaces between
/// words. Punctuation, quote styles, dashes and line breaks do not change an id.
pub fn normalize(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    normalize_with(text, |bytes| out.extend_from_slice(bytes));
    // Whole characters only ever go in, so the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The bytes of `normalize(text)`, handed to `emit` piece by piece as they are found: an id is
/// hashed straight from the text, with no string built on the way.
fn normalize_with(text: &str, mut emit: impl FnMut(&[u8])) {
    let mut pending_space = false;
    let mut started = false;
    for c in text.chars() {
        // ASCII first: nearly every character, and far cheaper than the Unicode tables.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                if pending_space && started {
                    emit(b" ");
                }
                pending_space = false;
                started = true;
                emit(&[c.to_ascii_lowercase() as u8]);
            } else if c.is_whitespace() || c == '-' {
                pending_space = true;
            }
        } else if c.is_alphanumeric() {
            if pending_space && started {
                emit(b" ");
            }
            pending_space = false;
            started = true;
            let mut buffer = [0u8; 4];
            for lower in c.to_lowercase() {
                emit(lower.encode_utf8(&mut buffer).as_bytes());
            }
        } else if c.is_whitespace() || c == '—' || c == '–' {
            pending_space = true;
        }
        // Other punctuation is dropped without splitting: "Bakr’s" and "Bakr's" both read "bakrs".
    }
}

/// The stable id of a record: `p-` or `q-` and 16 hex digits of a 64-bit FNV-1a hash of the
/// normalized text (and, for a quote, the normalized author name). The same content gives the
/// same id on every machine and in every run.
#[cfg(test)]
pub fn id(kind: Kind, text: &str, author: Option<&str>) -> String {
    format_id(kind, id_hash(kind, text, author))
}

/// The hash behind an id.
fn id_hash(kind: Kind, text: &str, author: Option<&str>) -> u64 {
    let mut hash = Fnv1a::new();
    hash.write(kind.as_str().as_bytes());
    hash.write(&[0]);
    normalize_with(text, |bytes| hash.write(bytes));
    if kind == Kind::Quote {
        hash.write(&[0]);
        normalize_with(author.unwrap_or(""), |bytes| hash.write(bytes));
    }
    hash.finish()
}

fn format_id(kind: Kind, hash: u64) -> String {
    format!("{}-{:016x}", kind.id_prefix(), hash)
}

/// The kind and hash an id names, or `None` when it is not a florilegium id: the index looks
/// records up by the hash, a number being far cheaper to index than the id's text.
pub fn parse_id(id: &str) -> Option<(Kind, u64)> {
    let (prefix, hex) = id.split_once('-')?;
    let kind = match prefix {
        "p" => Kind::Passage,
        "q" => Kind::Quote,
        _ => return None,
    };
    if hex.len() != 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(hex, 16).ok().map(|hash| (kind, hash))
}

/// The 64-bit FNV-1a hash of some byte strings, each followed by a 0 byte: the fingerprint of
/// ingest settings and cache files.
pub fn hash(parts: &[&[u8]]) -> u64 {
    let mut hash = Fnv1a::new();
    for part in parts {
        hash.write(part);
        hash.write(&[0]);
    }
    hash.finish()
}

/// 64-bit FNV-1a: tiny, fast, and specified once and for all, so ids never drift.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Strings a merger meets again and again (paths, titles, sections, topics, keywords), each
/// kept once; 0 stands for none.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn intern(&mut self, text: Option<&str>) -> u32 {
        let Some(text) = text else {
            return 0;
        };
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        self.strings.push(text.to_string());
        let id = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.ids.insert(text.to_string(), id);
        id
    }

    fn get(&self, id: u32) -> Option<String> {
        let at = usize::try_from(id).ok()?.checked_sub(1)?;
        self.strings.get(at).cloned()
    }
}

/// One place a record occurs, with its strings interned.
#[derive(Debug, Clone, Copy)]
struct Place {
    path: u32,
    line_start: u32,
    line_end: u32,
    title: u32,
    section: u32,
    topic: u32,
    /// The passage's paragraph number in its file; 0 for a quote.
    paragraph: u32,
}

/// What a merger remembers of each record it has met, to merge later occurrences into it:
/// a few dozen bytes per record, so that millions of records fit.
#[derive(Debug)]
struct Seen {
    kind: Kind,
    /// Bit `i` set: read in `FORMATS[i]`.
    formats: u8,
    keywords: Vec<u32>,
    places: Vec<Place>,
}

/// Turns a stream of records into entries, one per id. The first occurrence gives the page
/// fields; each later one adds its place and keywords, and the merged entry replaces the
/// earlier one. Tags are derived from the merged entry, the formats it was read from, the
/// user's rules and the user's annotations. Only ids, keywords and places are kept, not texts.
#[derive(Debug, Default)]
pub struct Merger {
    seen: HashMap<(Kind, u64), Seen>,
    strings: Interner,
    /// Passages met so far in each file, by interned path: the next paragraph number.
    paragraphs: HashMap<u32, u32>,
    /// Records met more than once, as first met: their entries are built by `merged`.
    merged: HashMap<(Kind, u64), Record>,
    /// When set, only these records get entries, all of them from `merged`: an incremental
    /// ingest rebuilds the records its changed files touch and leaves the others in the index.
    only: Option<HashSet<(Kind, u64)>>,
    /// For an incremental merger, the first occurrence of each marked record met only once so
    /// far: its entry is built from it, as a full ingest builds it.
    first: HashMap<(Kind, u64), Record>,
    rules: Vec<Rule>,
    annotations: BTreeMap<String, UserAnnotation>,
}

impl Merger {
    /// A merger that applies these rules and user annotations.
    pub fn new(rules: Vec<Rule>, annotations: BTreeMap<String, UserAnnotation>) -> Merger {
        Merger {
            rules,
            annotations,
            ..Merger::default()
        }
    }

    /// A merger that builds entries only for the records `rebuild` is told of, once every
    /// input is read (`merged` gives them); every other record is only counted and placed.
    pub fn incremental(rules: Vec<Rule>, annotations: BTreeMap<String, UserAnnotation>) -> Merger {
        Merger {
            only: Some(HashSet::default()),
            ..Merger::new(rules, annotations)
        }
    }

    /// The key of a record: its kind and the hash behind its id.
    pub fn key(record: &Record) -> (Kind, u64) {
        let author = record.author.as_ref().map(|a| a.name.as_str());
        (record.kind, id_hash(record.kind, &record.text, author))
    }

    /// Marks a record for rebuilding by an incremental merger; a full merger rebuilds all.
    pub fn rebuild(&mut self, key: (Kind, u64)) {
        if let Some(only) = &mut self.only {
            only.insert(key);
        }
    }

    /// The records marked for rebuilding that no input gave: their entries are to be removed.
    pub fn gone(&self) -> Vec<String> {
        let Some(only) = &self.only else {
            return Vec::new();
        };
        let mut gone: Vec<String> = only
            .iter()
            .filter(|key| !self.seen.contains_key(key))
            .map(|&(kind, hash)| format_id(kind, hash))
            .collect();
        gone.sort();
        gone
    }

    /// Annotates a record read in `format`. Returns its entry the first time the record is
    /// met (never, for an incremental merger). A record met again (the same passage or
    /// quotation in another place) only adds its place and keywords here, and `merged` gives
    /// its final entry once every input is read: each entry is built and written at most
    /// twice, however often it recurs. `hash` is the record's id hash when it is known already
    /// (`Merger::key`).
    pub fn add(
        &mut self,
        record: Record,
        format: &'static str,
        hash: Option<u64>,
    ) -> Option<Entry> {
        let key = match hash {
            Some(hash) => (record.kind, hash),
            None => Merger::key(&record),
        };
        let mut place = Place {
            path: self.strings.intern(Some(&record.source.path)),
            line_start: record.source.line_start,
            line_end: record.source.line_end,
            title: self.strings.intern(record.title.as_deref()),
            section: self.strings.intern(record.section.as_deref()),
            topic: self.strings.intern(record.topic.as_deref()),
            paragraph: 0,
        };
        if record.kind == Kind::Passage {
            let count = self.paragraphs.entry(place.path).or_insert(0);
            *count += 1;
            place.paragraph = *count;
        }
        let format_bit = crate::source::FORMATS
            .iter()
            .position(|f| f.name() == format)
            .map_or(0, |at| 1u8 << at);
        let keywords: Vec<u32> = record
            .keywords
            .iter()
            .map(|k| self.strings.intern(Some(k)))
            .collect();
        let first_time = !self.seen.contains_key(&key);
        let seen = self.seen.entry(key).or_insert(Seen {
            kind: record.kind,
            formats: 0,
            keywords: Vec::new(),
            places: Vec::new(),
        });
        seen.formats |= format_bit;
        seen.places.push(place);
        for keyword in keywords {
            if !seen.keywords.contains(&keyword) {
                seen.keywords.push(keyword);
            }
        }
        match &self.only {
            // The same records as a full ingest: a record met once is built from its only
            // occurrence, one met again from its second (see `merged`).
            Some(only) if only.contains(&key) && first_time => {
                self.first.insert(key, record);
                None
            }
            Some(only) => {
                if only.contains(&key) {
                    self.first.remove(&key);
                    self.merged.entry(key).or_insert(record);
                }
                None
            }
            None if first_time => Some(self.entry(key, record)),
            None => {
                self.merged.entry(key).or_insert(record);
                None
            }
        }
    }

    /// The final entries of the records met more than once, to replace the entries `add`
    /// returned for them; for an incremental merger, of every record marked and met.
    pub fn merged(&mut self) -> Vec<Entry> {
        let mut merged = std::mem::take(&mut self.merged);
        merged.extend(std::mem::take(&mut self.first));
        merged
            .into_iter()
            .map(|(key, record)| self.entry(key, record))
            .collect()
    }

    /// The entry of a record from everything met of it so far.
    fn entry(&self, key: (Kind, u64), record: Record) -> Entry {
        let id = format_id(key.0, key.1);
        let strings = &self.strings;
        let Some(seen) = self.seen.get(&key) else {
            return entry_from(id, record);
        };
        // The first place gives the page fields, so a merged entry reads as its first page.
        let first = seen.places.first().copied();
        let merged = Record {
            title: first.and_then(|p| strings.get(p.title)),
            section: first.and_then(|p| strings.get(p.section)),
            topic: first.and_then(|p| strings.get(p.topic)),
            keywords: seen
                .keywords
                .iter()
                .filter_map(|k| strings.get(*k))
                .collect(),
            ..record
        };
        let mut entry = entry_from(id, merged);
        entry.sources = seen
            .places
            .iter()
            .map(|p| Occurrence {
                path: strings.get(p.path).unwrap_or_default(),
                line_start: p.line_start,
                line_end: p.line_end,
                title: strings.get(p.title),
                section: strings.get(p.section),
                topic: strings.get(p.topic),
                paragraph: (p.paragraph > 0).then_some(p.paragraph),
            })
            .collect();
        let formats: Vec<&str> = crate::source::FORMATS
            .iter()
            .enumerate()
            .filter(|(at, _)| seen.formats & (1u8 << at) != 0)
            .map(|(_, f)| f.name())
            .collect();
        entry.tags = tags::derive(&entry, &formats, &self.rules);
        if let Some(user) = self.annotations.get(&entry.id) {
            apply(&mut entry, user);
        }
        entry
    }

    /// Distinct records of a kind met so far.
    pub fn count(&self, kind: Kind) -> usize {
        self.seen.values().filter(|s| s.kind == kind).count()
    }

    /// Occurrences of records of a kind met so far (a quotation on two pages counts twice).
    pub fn occurrences(&self, kind: Kind) -> usize {
        self.seen
            .values()
            .filter(|s| s.kind == kind)
            .map(|s| s.places.len())
            .sum()
    }

    /// Ids of annotated records that no input produced: their annotations are kept in the
    /// file, and the ingest says they matched nothing.
    pub fn unmatched_annotations(&self) -> Vec<String> {
        self.annotations
            .keys()
            .filter(|id| parse_id(id).is_none_or(|key| !self.seen.contains_key(&key)))
            .cloned()
            .collect()
    }
}

/// Adds the user's tags and note to an entry.
pub fn apply(entry: &mut Entry, user: &UserAnnotation) {
    entry.tags.extend(user.tags.iter().cloned());
    entry.tags.sort();
    entry.tags.dedup();
    entry.note.clone_from(&user.note);
}

fn entry_from(id: String, record: Record) -> Entry {
    let mut years = years::mentioned(&record.text);
    // The section's year dates a passage ("Second Invasion of Mesopotamia (636)"); a quotation
    // filed on that page was said at another time, so it keeps only the years it mentions.
    if record.kind == Kind::Passage {
        if let Some(section) = &record.section {
            years.extend(years::mentioned(section));
        }
    }
    years.sort_unstable();
    years.dedup();
    let mut keywords = record.keywords;
    keywords.sort();
    keywords.dedup();
    Entry {
        id,
        kind: record.kind,
        text: record.text,
        title: record.title,
        section: record.section,
        topic: record.topic,
        keywords,
        author: record.author,
        years,
        tags: Vec::new(),
        note: None,
        sources: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attribution, Source};

    /// Merges a whole list, as the ingest does record by record.
    fn annotate(records: Vec<Record>) -> Vec<Entry> {
        let mut merger = Merger::default();
        let mut entries: Vec<Entry> = records
            .into_iter()
            .filter_map(|record| merger.add(record, "topic-page", None))
            .collect();
        for entry in merger.merged() {
            if let Some(at) = entries.iter().position(|e| e.id == entry.id) {
                entries[at] = entry;
            }
        }
        entries
    }

    fn record(kind: Kind, text: &str, author: Option<&str>, path: &str, keyword: &str) -> Record {
        Record {
            kind,
            text: text.to_string(),
            title: Some("Page".to_string()),
            section: Some("Battle (636)".to_string()),
            topic: None,
            keywords: vec![keyword.to_string()],
            author: author.map(|name| Attribution {
                name: name.to_string(),
                raw: name.to_string(),
                ..Attribution::default()
            }),
            source: Source {
                path: path.to_string(),
                line_start: 1,
                line_end: 2,
            },
        }
    }

    #[test]
    fn ids_are_stable_and_ignore_punctuation_and_spacing() {
        let a = id(
            Kind::Quote,
            "We should  have an army.",
            Some("William Howard Taft"),
        );
        let b = id(
            Kind::Quote,
            "we should have\nan army",
            Some("william howard  taft"),
        );
        assert_eq!(a, b);
        assert!(a.starts_with("q-") && a.len() == 18, "{a}");
        assert_ne!(
            a,
            id(Kind::Quote, "We should have an army.", Some("Someone Else"))
        );
        assert_ne!(a, id(Kind::Passage, "We should have an army.", None));
        // Pinned: an id must never change between releases or machines.
        assert_eq!(id(Kind::Passage, "abc", None), "p-5a73a6401abfa047");
    }

    #[test]
    fn ids_hash_the_normalized_text_without_building_it() {
        for text in [
            "",
            "  --  ",
            "We should have an army — so organized.\u{b}Bakr’s ÉLAN, İstanbul; ΣΟΦΊΑ 636–651",
            "Ünïcödé\tand\r\nASCII-mixed   text ﬁne",
        ] {
            let mut whole = Fnv1a::new();
            whole.write(Kind::Passage.as_str().as_bytes());
            whole.write(&[0]);
            whole.write(normalize(text).as_bytes());
            assert_eq!(
                id_hash(Kind::Passage, text, None),
                whole.finish(),
                "{text:?}"
            );
        }
        assert_eq!(normalize("Bakr’s ÉLAN\u{b}x — y"), "bakrs élan x y");
    }

    #[test]
    fn ids_parse_back_to_their_kind_and_hash_and_nothing_else_does() {
        let quote = id(Kind::Quote, "We should have an army.", Some("Taft"));
        let (kind, hash) = parse_id(&quote).expect("an id parses");
        assert_eq!((kind, format_id(kind, hash)), (Kind::Quote, quote));
        assert_eq!(
            parse_id("p-5a73a6401abfa047"),
            Some((Kind::Passage, 0x5a73_a640_1abf_a047))
        );
        for junk in [
            "",
            "q-",
            "x-5a73a6401abfa047",
            "p-5a73a6401abfa04",
            "p-5a73a6401abfa0477",
            "p-+a73a6401abfa047",
            "p-5a73a6401abfa04\u{e9}",
            "p5a73a6401abfa047",
        ] {
            assert_eq!(parse_id(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn same_quote_twice_is_one_entry_with_both_sources() {
        let entries = annotate(vec![
            record(Kind::Quote, "An army.", Some("Taft"), "a.txt", "invasion"),
            record(Kind::Quote, "An  army", Some("Taft"), "b.txt", "army"),
            record(Kind::Passage, "In 635 it began.", None, "a.txt", "x"),
        ]);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].keywords, vec!["army", "invasion"]);
        let paths: Vec<&str> = entries[0].sources.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, vec!["a.txt", "b.txt"]);
        assert!(entries[0].tags.contains(&"/keyword/army".to_string()));
        assert!(entries[0].tags.contains(&"/keyword/invasion".to_string()));
        assert!(entries[0].tags.contains(&"/format/topic-page".to_string()));
    }

    #[test]
    fn rules_and_user_annotations_add_tags() {
        let rules = vec![Rule {
            tag: "/event/battle".to_string(),
            pattern: must(r"(?i)\bbattle of [A-Z]\w+"),
            kind: Some(Kind::Passage),
        }];
        let mut annotations = BTreeMap::new();
        let quote_id = id(Kind::Quote, "The Battle of Nahavand.", Some("Taft"));
        annotations.insert(
            quote_id.clone(),
            UserAnnotation {
                tags: vec!["/theme/war".to_string()],
                note: Some("check the source".to_string()),
            },
        );
        let mut merger = Merger::new(rules, annotations);
        let passage = merger
            .add(
                record(
                    Kind::Passage,
                    "After the Battle of Nahavand in 642.",
                    None,
                    "a.txt",
                    "x",
                ),
                "plain",
                None,
            )
            .expect("met for the first time");
        assert!(
            passage.tags.contains(&"/event/battle".to_string()),
            "{:?}",
            passage.tags
        );
        assert!(
            passage.tags.contains(&"/century/7".to_string()),
            "{:?}",
            passage.tags
        );
        assert!(
            passage
                .tags
                .contains(&"/name/Battle of Nahavand".to_string()),
            "{:?}",
            passage.tags
        );
        let quote = merger
            .add(
                record(
                    Kind::Quote,
                    "The Battle of Nahavand.",
                    Some("Taft"),
                    "a.txt",
                    "x",
                ),
                "plain",
                None,
            )
            .expect("met for the first time");
        assert_eq!(quote.id, quote_id);
        assert!(
            !quote.tags.contains(&"/event/battle".to_string()),
            "the rule is for passages"
        );
        assert!(quote.tags.contains(&"/theme/war".to_string()));
        assert_eq!(quote.note.as_deref(), Some("check the source"));
        assert!(merger.unmatched_annotations().is_empty());
    }

    #[test]
    fn passages_take_the_section_year_and_quotes_do_not() {
        let entries = annotate(vec![
            record(Kind::Passage, "In 635 it began.", None, "a.txt", "x"),
            record(Kind::Quote, "Words.", Some("Taft"), "a.txt", "x"),
        ]);
        assert_eq!(entries[0].years, vec![635, 636]);
        assert!(entries[1].years.is_empty());
    }
}
