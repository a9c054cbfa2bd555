//! The tantivy schema, defined once: its fields, its tokenizers, its version, and the mapping
//! between an `Entry` and a tantivy document.

use tantivy::schema::{
    Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, TantivyDocument};
use thiserror::Error;

mod stem;
mod words;

use crate::annotate::parse_id;
use crate::model::Entry;
use words::Words;

/// Version of the schema and of the record layout stored in the index. Bump it whenever either
/// changes: an index of another version is rebuilt, never read wrongly.
pub const SCHEMA_VERSION: u32 = 3;

/// Tokenizer of searchable text: words, lowercased, accents folded, English stems.
pub const TEXT_TOKENIZER: &str = "flor_text";
/// Tokenizer of names used as filters: words, lowercased, accents folded, no stemming.
pub const NAME_TOKENIZER: &str = "flor_name";

/// Handles on every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The hash of the record id (`annotate::parse_id`), to look a record up.
    pub id: Field,
    /// `passage` or `quote`, untokenized.
    pub kind: Field,
    /// The text, stemmed, with positions for phrases.
    pub text: Field,
    /// The page title, stemmed.
    pub title: Field,
    /// The page section, stemmed.
    pub section: Field,
    /// The page topic, stemmed.
    pub topic: Field,
    /// The page topic as words, for `--topic`.
    pub topic_name: Field,
    /// Keywords, stemmed, for full-text queries.
    pub keywords: Field,
    /// Keywords verbatim, for `--keyword` and `flor quotes`.
    pub keyword: Field,
    /// The author name, stemmed, for full-text queries.
    pub author: Field,
    /// The author name as words, for `--author`.
    pub author_name: Field,
    /// Years for `--year`: the years mentioned, plus an author's birth, death or floruit.
    pub era: Field,
    /// Tag paths as facets: `--tag` and `flor facets`.
    pub tag: Field,
    /// The user's note, stemmed.
    pub note: Field,
    /// The whole entry as JSON: what `show` and search results print.
    pub record: Field,
}

/// The schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: builder.add_u64_field("id", INDEXED),
        kind: builder.add_text_field("kind", STRING),
        text: builder.add_text_field("text", text(TEXT_TOKENIZER)),
        title: builder.add_text_field("title", text(TEXT_TOKENIZER)),
        section: builder.add_text_field("section", text(TEXT_TOKENIZER)),
        topic: builder.add_text_field("topic", text(TEXT_TOKENIZER)),
        topic_name: builder.add_text_field("topic_name", text(NAME_TOKENIZER)),
        keywords: builder.add_text_field("keywords", text(TEXT_TOKENIZER)),
        keyword: builder.add_text_field("keyword", STRING),
        author: builder.add_text_field("author", text(TEXT_TOKENIZER)),
        author_name: builder.add_text_field("author_name", text(NAME_TOKENIZER)),
        era: builder.add_i64_field("era", INDEXED),
        tag: builder.add_facet_field("tag", FacetOptions::default()),
        note: builder.add_text_field("note", text(TEXT_TOKENIZER)),
        record: builder.add_text_field("record", STORED),
    };
    (builder.build(), fields)
}

/// Registers florilegium's tokenizers. Tantivy does not persist custom tokenizers, so this runs
/// every time an index is created or opened.
pub fn register_tokenizers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(TEXT_TOKENIZER, TextAnalyzer::from(Words::new(true)));
    manager.register(NAME_TOKENIZER, TextAnalyzer::from(Words::new(false)));
}

/// What can be wrong with an index's documents.
#[derive(Debug, Error)]
pub enum SchemaError {
    /// The index lacks a field this version needs.
    #[error("the index has no field {0:?}")]
    MissingField(String),
    /// A stored record is not the JSON this version writes.
    #[error("a stored record is unreadable: {0}")]
    BadRecord(String),
}

/// Looks up the field handles in an opened index's schema.
pub fn fields(schema: &Schema) -> Result<Fields, SchemaError> {
    let get = |name: &str| {
        schema
            .get_field(name)
            .map_err(|_| SchemaError::MissingField(name.to_string()))
    };
    Ok(Fields {
        id: get("id")?,
        kind: get("kind")?,
        text: get("text")?,
        title: get("title")?,
        section: get("section")?,
        topic: get("topic")?,
        topic_name: get("topic_name")?,
        keywords: get("keywords")?,
        keyword: get("keyword")?,
        author: get("author")?,
        author_name: get("author_name")?,
        era: get("era")?,
        tag: get("tag")?,
        note: get("note")?,
        record: get("record")?,
    })
}

/// The tantivy document of an entry.
pub fn to_doc(entry: &Entry, f: &Fields) -> Result<TantivyDocument, SchemaError> {
    let mut doc = TantivyDocument::default();
    let (_, hash) = parse_id(&entry.id)
        .ok_or_else(|| SchemaError::BadRecord(format!("{:?} is not a record id", entry.id)))?;
    doc.add_u64(f.id, hash);
    doc.add_text(f.kind, entry.kind.as_str());
    doc.add_text(f.text, &entry.text);
    for (field, value) in [
        (f.title, &entry.title),
        (f.section, &entry.section),
        (f.topic, &entry.topic),
        (f.topic_name, &entry.topic),
    ] {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    for keyword in &entry.keywords {
        doc.add_text(f.keywords, keyword);
        doc.add_text(f.keyword, keyword);
    }
    let mut era: Vec<i32> = entry.years.clone();
    if let Some(author) = &entry.author {
        doc.add_text(f.author, &author.name);
        doc.add_text(f.author_name, &author.name);
        era.extend(
            [author.born, author.died, author.flourished]
                .into_iter()
                .flatten(),
        );
    }
    for tag in &entry.tags {
        let facet = Facet::from_text(tag)
            .map_err(|_| SchemaError::BadRecord(format!("{tag:?} is not a tag path")))?;
        doc.add_facet(f.tag, facet);
    }
    if let Some(note) = &entry.note {
        doc.add_text(f.note, note);
    }
    era.sort_unstable();
    era.dedup();
    for year in era {
        doc.add_i64(f.era, i64::from(year));
    }
    let record = serde_json::to_string(entry).map_err(|e| SchemaError::BadRecord(e.to_string()))?;
    doc.add_text(f.record, record);
    Ok(doc)
}

/// The entry stored in a tantivy document.
pub fn from_doc(doc: &TantivyDocument, f: &Fields) -> Result<Entry, SchemaError> {
    let json = doc
        .get_first(f.record)
        .and_then(|v| v.as_str())
        .ok_or_else(|| SchemaError::BadRecord("the record field is missing".to_string()))?;
    serde_json::from_str(json).map_err(|e| SchemaError::BadRecord(e.to_string()))
}
