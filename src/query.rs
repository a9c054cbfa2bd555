//! Query text and filters → a tantivy query → ranked hits with highlights.

use std::ops::Bound;
use std::str::FromStr;

use tantivy::collector::{Collector, Count, FacetCollector, TopDocs};
use tantivy::query::EnableScoring;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser,
    QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Executor, Searcher, Term};
use thiserror::Error;

use crate::annotate::tags;
use crate::model::{Hit, Kind};
use crate::schema::{NAME_TOKENIZER, TEXT_TOKENIZER};
use crate::store::{Store, StoreError};

/// Score given to a quote filed under the searched word, above any text match.
const KEYWORD_SCORE: f32 = 100.0;

/// An inclusive range of years; either end may be open. B.C. years are negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    /// First year, inclusive.
    pub from: Option<i32>,
    /// Last year, inclusive.
    pub to: Option<i32>,
}

impl FromStr for YearRange {
    type Err = String;

    /// `1850..1950`, `1850..`, `..1950`, `-44..14` or a single year `636`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let year = |s: &str| -> Result<Option<i32>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<i32>().map(Some).map_err(|_| {
                format!("{s:?} is not a year (write e.g. 1850..1950, 1850.., ..1950 or -44..14)")
            })
        };
        let range = match text.split_once("..") {
            Some((from, to)) => YearRange {
                from: year(from)?,
                to: year(to)?,
            },
            None => {
                let single = year(text)?;
                YearRange {
                    from: single,
                    to: single,
                }
            }
        };
        match range {
            YearRange {
                from: Some(from),
                to: Some(to),
            } if from > to => Err(format!(
                "the range {from}..{to} is reversed; write {to}..{from}"
            )),
            YearRange {
                from: None,
                to: None,
            } => Err("a year range needs at least one end, e.g. 1850..".to_string()),
            range => Ok(range),
        }
    }
}

/// Restrictions that every hit must meet.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only passages or only quotes.
    pub kind: Option<Kind>,
    /// Words of the author's name, in order.
    pub author: Option<String>,
    /// Keywords the record must be filed under, all of them.
    pub keywords: Vec<String>,
    /// Words of the topic, in order.
    pub topic: Option<String>,
    /// Years the record mentions, or its author's life.
    pub years: Option<YearRange>,
    /// Tag paths the record must carry, each itself or a tag under it.
    pub tags: Vec<String>,
}

/// What to look for.
#[derive(Debug, Clone)]
pub enum Terms {
    /// Tantivy query syntax over text, title, section, keywords and author.
    Query(String),
    /// Quotes filed under each word, or containing it; filed ones rank first.
    Quotes(Vec<String>),
}

/// A whole search request.
#[derive(Debug, Clone)]
pub struct Request {
    /// What to look for.
    pub terms: Terms,
    /// Restrictions.
    pub filters: Filters,
    /// At most this many hits; clamped to the number of records.
    pub limit: usize,
    /// Hits to skip, for paging.
    pub offset: usize,
    /// Count every match. Off, only the page is collected, which lets tantivy skip blocks of
    /// documents that cannot reach it.
    pub count: bool,
}

/// Hits in rank order and how many records matched in all.
#[derive(Debug, Clone)]
pub struct Results {
    /// The requested page of hits.
    pub hits: Vec<Hit>,
    /// The number of matching records, when the request asked for it.
    pub total: Option<usize>,
    /// True when more records match after this page.
    pub more: bool,
}

/// Why a search could not run.
#[derive(Debug, Error)]
pub enum QueryError {
    /// The query or a filter cannot be understood.
    #[error("{0}")]
    Invalid(String),
    /// The index could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Documents of phrase terms a query reads above which the segments are searched at once.
///
/// Measured on the 200 MB benchmark index (two segments, two cores), whole process: a phrase
/// of two common words (`"united states"`, 43,000 documents to read the positions of) took
/// 4.9 ms on two threads against 6.5 ms on one, while a rare word, a common word, an AND and
/// a filter were each 0.3 to 1 ms faster on one thread: top-ten term queries skip most of
/// their documents, and starting the threads costs more than they save.
const PARALLEL_PHRASE_POSTINGS: u64 = 20_000;

/// The documents whose positions a query reads: the document frequencies of its phrase terms.
fn phrase_postings(searcher: &Searcher, query: &dyn Query) -> u64 {
    let mut docs = 0u64;
    query.query_terms(&mut |term, positions| {
        if positions {
            docs = docs.saturating_add(searcher.doc_freq(term).unwrap_or(0));
        }
    });
    docs
}

/// Runs `query` with `collector`, on `executor`'s threads when there is one.
fn search<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
    executor: Option<&Executor>,
) -> tantivy::Result<C::Fruit> {
    match executor {
        Some(executor) => searcher.search_with_executor(
            query,
            collector,
            executor,
            EnableScoring::enabled_from_searcher(searcher),
        ),
        None => searcher.search(query, collector),
    }
}

/// Runs a request against the index.
pub fn run(store: &Store, request: &Request) -> Result<Results, QueryError> {
    let query = build(store, request)?;
    let searcher = store.searcher();
    let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = request.limit.min(records).max(1);
    // One hit more than the page says whether there are more, without counting them all.
    let top_docs = TopDocs::with_limit(limit + 1)
        .and_offset(request.offset)
        .order_by_score();
    let executor = if phrase_postings(&searcher, &*query) >= PARALLEL_PHRASE_POSTINGS {
        store.executor()
    } else {
        None
    };
    let (mut top, total) = if request.count {
        let (top, total) =
            search(&searcher, &*query, &(top_docs, Count), executor).map_err(|e| store.io(e))?;
        (top, Some(total))
    } else {
        let top = search(&searcher, &*query, &top_docs, executor).map_err(|e| store.io(e))?;
        (top, None)
    };
    let more = top.len() > limit;
    top.truncate(limit);
    let mut snippets = SnippetGenerator::create(&searcher, &*query, store.fields().text)
        .map_err(|e| store.io(e))?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let entry = store.entry(&searcher, address)?;
        snippets.set_max_num_chars(entry.text.len().max(1));
        let snippet = snippets.snippet(&entry.text);
        let base = snippet.fragment_range().start;
        let highlights = snippet
            .highlighted()
            .iter()
            .map(|r| [base + r.start, base + r.end])
            .collect();
        hits.push(Hit {
            entry,
            score,
            highlights,
        });
    }
    Ok(Results { hits, total, more })
}

/// The tantivy query of a request: the terms, then every filter as a scoreless `Must`.
fn build(store: &Store, request: &Request) -> Result<Box<dyn Query>, QueryError> {
    let f = store.fields();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let main: Box<dyn Query> = match &request.terms {
        Terms::Query(text) => parse_query(store, text)?,
        Terms::Quotes(words) => quotes_query(store, words)?,
    };
    clauses.push((Occur::Must, main));
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    let kind = match request.terms {
        Terms::Quotes(_) => Some(Kind::Quote),
        Terms::Query(_) => request.filters.kind,
    };
    if let Some(kind) = kind {
        filters.push(term(f.kind, kind.as_str()));
    }
    if let Some(author) = &request.filters.author {
        filters.push(words_query(
            store,
            f.author_name,
            NAME_TOKENIZER,
            author,
            "--author",
        )?);
    }
    if let Some(topic) = &request.filters.topic {
        filters.push(words_query(
            store,
            f.topic_name,
            NAME_TOKENIZER,
            topic,
            "--topic",
        )?);
    }
    for keyword in &request.filters.keywords {
        filters.push(term(f.keyword, &keyword.trim().to_lowercase()));
    }
    for tag in &request.filters.tags {
        // A facet term matches the tag and every tag under it.
        let facet = facet(tag)?;
        filters.push(Box::new(TermQuery::new(
            Term::from_facet(f.tag, &facet),
            IndexRecordOption::Basic,
        )));
    }
    if let Some(range) = request.filters.years {
        let bound = |year: Option<i32>| match year {
            Some(y) => Bound::Included(Term::from_field_i64(f.era, i64::from(y))),
            None => Bound::Unbounded,
        };
        if range.from.is_some() || range.to.is_some() {
            filters.push(Box::new(RangeQuery::new(
                bound(range.from),
                bound(range.to),
            )));
        }
    }
    for filter in filters {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// A tag path as the user writes it (`event/battle`, `/theme/war`), as a facet.
fn facet(tag: &str) -> Result<Facet, QueryError> {
    let path = tags::normalize(tag).map_err(|e| QueryError::Invalid(format!("--tag {e}")))?;
    Facet::from_text(&path)
        .map_err(|_| QueryError::Invalid(format!("--tag {tag:?} is not a tag path")))
}

/// One line of `flor facets`: a tag path and how many matching records carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacetCount {
    /// The whole path, e.g. `/author/William Howard Taft`.
    pub tag: String,
    /// Its last segment, e.g. `William Howard Taft`.
    pub value: String,
    /// Matching records that carry it.
    pub count: u64,
}

/// Counts the tags directly under `parent` (`/author`, or `/` for every group) among the
/// records a request matches; for the root, counts every tag one level further down too.
/// Sorted by count, then path.
pub fn facets(
    store: &Store,
    request: &Request,
    parent: &str,
) -> Result<Vec<FacetCount>, QueryError> {
    let query = build(store, request)?;
    let searcher = store.searcher();
    let parent = if parent == "/" {
        Facet::root()
    } else {
        facet(parent)?
    };
    let count = |parents: &[Facet]| -> Result<Vec<(Facet, u64)>, QueryError> {
        let mut collector = FacetCollector::for_field("tag");
        for parent in parents {
            collector.add_facet(parent.clone());
        }
        let counts = searcher
            .search(&query, &collector)
            .map_err(|e| store.io(e))?;
        Ok(parents
            .iter()
            .flat_map(|p| {
                counts
                    .get(p.clone())
                    .map(|(f, n)| (f.clone(), n))
                    .collect::<Vec<_>>()
            })
            .collect())
    };
    let mut found = count(std::slice::from_ref(&parent))?;
    if parent.is_root() {
        let groups: Vec<Facet> = found.iter().map(|(f, _)| f.clone()).collect();
        found = count(&groups)?;
    }
    let mut out: Vec<FacetCount> = found
        .into_iter()
        .map(|(facet, count)| FacetCount {
            value: facet
                .to_path()
                .last()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            tag: facet.to_string(),
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.tag.cmp(&b.tag)));
    Ok(out)
}

/// Tantivy query syntax over the searchable fields, words ANDed by default.
fn parse_query(store: &Store, text: &str) -> Result<Box<dyn Query>, QueryError> {
    check_text(text)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(QueryError::Invalid(
            "the query is empty; give words to look for, or * for every record".to_string(),
        ));
    }
    if text == "*" {
        return Ok(Box::new(AllQuery));
    }
    let f = store.fields();
    let mut parser = QueryParser::for_index(
        store.index(),
        vec![f.text, f.title, f.section, f.keywords, f.author, f.note],
    );
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.keywords, 2.0);
    parser.set_field_boost(f.author, 1.5);
    parser.set_field_boost(f.title, 1.5);
    parser.parse_query(text).map_err(|e| match e {
        QueryParserError::FieldDoesNotExist(name) => {
            QueryError::Invalid(unknown_field(store, text, &name))
        }
        other => QueryError::Invalid(explain(text, &other.to_string())),
    })
}

/// An unknown `field:` in words: where it is, and the fields a query can name.
fn unknown_field(store: &Store, text: &str, name: &str) -> String {
    let schema = store.index().schema();
    let fields: Vec<&str> = schema
        .fields()
        .filter(|(_, entry)| entry.is_indexed() && entry.field_type().is_indexed())
        .map(|(_, entry)| entry.name())
        .collect();
    let at = text
        .find(&format!("{name}:"))
        .map_or(0, |byte| text[..byte].chars().count());
    let what = format!(
        "there is no field {name:?}; the fields are {}",
        fields.join(", ")
    );
    pointed(text, at, &what)
}

/// Longest query accepted, in bytes: far beyond any typed query, short of a runaway paste.
pub const MAX_QUERY: usize = 64 * 1024;

/// The character position of a quote or parenthesis that is never closed (or closes nothing),
/// and what is wrong with it.
fn unbalanced(text: &str) -> Option<(usize, String)> {
    let mut quote: Option<usize> = None;
    let mut open: Vec<usize> = Vec::new();
    let mut escaped = false;
    for (at, c) in text.chars().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => quote = if quote.is_some() { None } else { Some(at) },
            '(' if quote.is_none() => open.push(at),
            ')' if quote.is_none() && open.pop().is_none() => {
                return Some((
                    at,
                    "a closing parenthesis without an opening one".to_string(),
                ));
            }
            _ => {}
        }
    }
    if let Some(at) = quote {
        return Some((at, "this quote is never closed".to_string()));
    }
    open.last()
        .map(|&at| (at, "this parenthesis is never closed".to_string()))
}

/// Refuses what no query parser should see: control characters, and runaway lengths.
fn check_text(text: &str) -> Result<(), QueryError> {
    if text.len() > MAX_QUERY {
        return Err(QueryError::Invalid(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY} bytes",
            text.len()
        )));
    }
    if let Some((at, c)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(QueryError::Invalid(format!(
            "the query holds a control character (U+{:04X}) at character {}; remove it",
            u32::from(c),
            at + 1
        )));
    }
    Ok(())
}

/// A parse error in words, with the position tantivy's lenient grammar finds and a caret under
/// it when the query is short enough to show.
fn explain(text: &str, error: &str) -> String {
    let (at, what) = match unbalanced(text) {
        Some(found) => found,
        None => {
            let (_, errors) = tantivy::query_grammar::parse_query_lenient(text);
            let Some(first) = errors.first() else {
                return format!("cannot read the query {text:?}: {error}");
            };
            let at = text
                .get(..first.pos)
                .map_or(first.pos, |before| before.chars().count());
            (at, first.message.clone())
        }
    };
    pointed(text, at, &what)
}

/// What is wrong at character `at` (0-based) of the query, with a caret under it when the
/// query is short enough to show.
fn pointed(text: &str, at: usize, what: &str) -> String {
    let mut message = format!("cannot read the query at character {}: {what}", at + 1);
    if text.chars().count() <= 120 && !text.contains('\n') {
        message.push_str(&format!("\n  {text}\n  {}^", " ".repeat(at)));
    }
    message
}

/// For each word: filed under it (stemmed keyword, scored first) or containing it in the text.
fn quotes_query(store: &Store, words: &[String]) -> Result<Box<dyn Query>, QueryError> {
    let f = store.fields();
    let mut all: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in words {
        check_text(word)?;
        let tokens = tokens(store, TEXT_TOKENIZER, word)?;
        if tokens.is_empty() {
            return Err(QueryError::Invalid(format!(
                "{word:?} has no word to look for"
            )));
        }
        let filed = Box::new(ConstScoreQuery::new(
            phrase_or_term(f.keywords, &tokens),
            KEYWORD_SCORE,
        ));
        let in_text = phrase_or_term(f.text, &tokens);
        all.push((
            Occur::Must,
            Box::new(BooleanQuery::new(vec![
                (Occur::Should, filed as Box<dyn Query>),
                (Occur::Should, in_text),
            ])),
        ));
    }
    Ok(Box::new(BooleanQuery::new(all)))
}

/// A phrase of the words of `text` in `field`, as the field's tokenizer reads them.
fn words_query(
    store: &Store,
    field: Field,
    tokenizer: &str,
    text: &str,
    option: &str,
) -> Result<Box<dyn Query>, QueryError> {
    let tokens = tokens(store, tokenizer, text)?;
    if tokens.is_empty() {
        return Err(QueryError::Invalid(format!(
            "{option} {text:?} has no words"
        )));
    }
    Ok(phrase_or_term(field, &tokens))
}

fn phrase_or_term(field: Field, tokens: &[String]) -> Box<dyn Query> {
    let mut terms: Vec<Term> = tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    if terms.len() == 1 {
        let only = terms.remove(0);
        Box::new(TermQuery::new(only, IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new(terms))
    }
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The tokens `tokenizer` makes of `text`.
fn tokens(store: &Store, tokenizer: &str, text: &str) -> Result<Vec<String>, QueryError> {
    let mut analyzer = store.index().tokenizers().get(tokenizer).ok_or_else(|| {
        QueryError::Invalid(format!("the tokenizer {tokenizer} is not registered"))
    })?;
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    use super::*;

    #[test]
    fn threads_find_what_one_thread_finds_and_only_phrases_ask_for_them() -> tantivy::Result<()> {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        for segment in 0..2 {
            for n in 0..60 {
                let mut doc = TantivyDocument::default();
                let words = if n % 3 == 0 {
                    "states united"
                } else {
                    "united states"
                };
                doc.add_text(text, format!("{words} {n} {segment}"));
                writer.add_document(doc)?;
            }
            writer.commit()?;
        }
        let searcher = index.reader()?.searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let term = |word: &str| Term::from_field_text(text, word);
        let phrase = PhraseQuery::new(vec![term("united"), term("states")]);
        let word = TermQuery::new(term("united"), IndexRecordOption::WithFreqs);
        // Both words are in all 120 documents; only the phrase reads positions.
        assert_eq!(phrase_postings(&searcher, &phrase), 240);
        assert_eq!(phrase_postings(&searcher, &word), 0);
        let executor = Executor::multi_thread(2, "test-search-")?;
        let collector = || (TopDocs::with_limit(100).order_by_score(), Count);
        let one = search(&searcher, &phrase, &collector(), None)?;
        let two = search(&searcher, &phrase, &collector(), Some(&executor))?;
        assert_eq!(one.1, 80);
        assert_eq!(one.0.len(), 80);
        assert_eq!(one, two);
        Ok(())
    }

    fn range(text: &str) -> Result<(Option<i32>, Option<i32>), String> {
        text.parse::<YearRange>().map(|r| (r.from, r.to))
    }

    #[test]
    fn year_ranges() {
        assert_eq!(range("1850..1950"), Ok((Some(1850), Some(1950))));
        assert_eq!(range("1850.."), Ok((Some(1850), None)));
        assert_eq!(range("..1950"), Ok((None, Some(1950))));
        assert_eq!(range("-44..14"), Ok((Some(-44), Some(14))));
        assert_eq!(range("636"), Ok((Some(636), Some(636))));
        assert!(range("1950..1850").is_err_and(|e| e.contains("reversed")));
        assert!(range("abc..1950").is_err_and(|e| e.contains("not a year")));
        assert!(range("..").is_err());
    }
}
