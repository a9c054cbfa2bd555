//! The on-disk index: open it (checking that florilegium wrote it, and with which schema),
//! replace its contents atomically, and read entries back.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use tantivy::collector::TopDocs;
use tantivy::directory::error::LockError;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use tantivy::{
    Executor, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyError, Term,
};
use thiserror::Error;

use crate::annotate::parse_id;
use crate::model::Entry;
use crate::schema::{self, Fields, SCHEMA_VERSION};

/// Files a fresh checkout keeps in the index directory; they do not make it "not an index".
const PLACEHOLDERS: &[&str] = &["README.md", ".gitignore", crate::cache::DIR];
/// Indexing memory of `flor ingest` in MB, shared by the writer's threads, unless `--memory`
/// says otherwise.
pub const DEFAULT_MEMORY_MB: usize = 512;
/// Indexing memory in MB of the small writes (`flor annotate`).
const SMALL_MEMORY_MB: usize = 64;
/// The least memory in MB one indexing thread may have (tantivy's minimum is 15 MB).
pub const MIN_MEMORY_MB: usize = 16;

/// What florilegium records in each commit, beside the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// The schema version that wrote the index.
    pub florilegium: u32,
    /// The corpus paths the index was built from, so it can be rebuilt without asking.
    pub paths: Vec<String>,
    /// The ingest manifest in the cache directory that matches this commit.
    #[serde(default)]
    pub manifest: Option<String>,
}

/// Why an index could not be opened or written. Each message names the path and the fix.
#[derive(Debug, Error)]
pub enum StoreError {
    /// Nothing has been ingested there yet.
    #[error("no index at {path}: run `flor ingest PATH --index {path}` to build one")]
    Missing {
        /// The index directory.
        path: String,
    },
    /// The directory holds something else than a florilegium index.
    #[error(
        "{path} is not a florilegium index ({why}); choose another --index, or empty it and run `flor ingest --index {path}`"
    )]
    Foreign {
        /// The index directory.
        path: String,
        /// What was found.
        why: String,
    },
    /// The index was written by another schema version.
    #[error(
        "the index at {path} was written by schema version {found}, and this flor reads version {SCHEMA_VERSION}: run `flor ingest --rebuild --index {path}`"
    )]
    OtherVersion {
        /// The index directory.
        path: String,
        /// The version found in the index.
        found: u32,
        /// The corpus paths recorded in the index.
        paths: Vec<String>,
    },
    /// Another process holds the writer lock.
    #[error(
        "the index at {path} is being written by another flor process; try again when it finishes"
    )]
    Busy {
        /// The index directory.
        path: String,
    },
    /// The index files are damaged.
    #[error(
        "the index at {path} is damaged ({detail}): run `flor ingest --rebuild --index {path}`"
    )]
    Damaged {
        /// The index directory.
        path: String,
        /// What tantivy reported.
        detail: String,
    },
    /// A stored record could not be read or written.
    #[error("the index at {path} holds an unreadable record: {source}")]
    Record {
        /// The index directory.
        path: String,
        /// The underlying error.
        source: schema::SchemaError,
    },
    /// An I/O or tantivy failure while writing or searching.
    #[error("index at {path}: {detail}")]
    Io {
        /// The index directory.
        path: String,
        /// What failed.
        detail: String,
    },
}

/// An opened, readable index.
pub struct Store {
    path: PathBuf,
    payload: Payload,
    index: Index,
    fields: Fields,
    reader: IndexReader,
    /// Threads to search the segments at once: one per segment, up to the cores, started the
    /// first time a costly query asks for them (`Store::executor`).
    threads: usize,
    executor: OnceLock<Option<Executor>>,
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

/// True when `dir` holds a committed tantivy index.
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// True when `dir` is missing or holds only the placeholder files of a fresh checkout.
pub fn is_vacant(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return !dir.exists();
    };
    entries.flatten().all(|entry| {
        let name = entry.file_name();
        PLACEHOLDERS.iter().any(|p| name == *p)
    })
}

impl Store {
    /// Opens the index at `dir` for reading.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let path = show(dir);
        if !exists(dir) {
            return Err(if is_vacant(dir) {
                StoreError::Missing { path }
            } else if !dir.is_dir() {
                StoreError::Foreign {
                    path,
                    why: "it is not a directory".to_string(),
                }
            } else {
                StoreError::Foreign {
                    path,
                    why: "it has files but no meta.json".to_string(),
                }
            });
        }
        let index = Index::open_in_dir(dir).map_err(|e| StoreError::Damaged {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        let payload = read_payload(&index, &path)?;
        if payload.florilegium != SCHEMA_VERSION {
            return Err(StoreError::OtherVersion {
                path,
                found: payload.florilegium,
                paths: payload.paths.clone(),
            });
        }
        let fields = schema::fields(&index.schema()).map_err(|e| StoreError::Damaged {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        schema::register_tokenizers(&index);
        let segments = index.searchable_segment_metas().map_or(1, |m| m.len());
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| damaged(&path, e))?;
        Ok(Store {
            path: dir.to_path_buf(),
            payload,
            index,
            fields,
            reader,
            threads: segments.min(cores),
            executor: OnceLock::new(),
        })
    }

    /// Threads that search the segments at once, for a query costly enough to repay starting
    /// them: a large index has a few segments, and searching them at once halves the time of
    /// a common phrase, but starting the threads costs a rare word's search a millisecond.
    /// `None` for an index of one segment, on one core, or when threads cannot start (the
    /// search then reads one segment after another).
    pub fn executor(&self) -> Option<&Executor> {
        self.executor
            .get_or_init(|| {
                (self.threads > 1)
                    .then(|| Executor::multi_thread(self.threads, "flor-search-").ok())
                    .flatten()
            })
            .as_ref()
    }

    /// What the last commit recorded.
    pub fn payload(&self) -> &Payload {
        &self.payload
    }

    /// The tantivy index, for the query module.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// A searcher on the state of the last commit when the index was opened.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The index directory as shown in messages.
    pub fn path(&self) -> String {
        show(&self.path)
    }

    /// The entry with this id, if the index holds it.
    pub fn get(&self, id: &str) -> Result<Option<Entry>, StoreError> {
        let Some((_, hash)) = parse_id(id) else {
            return Ok(None);
        };
        let searcher = self.searcher();
        let query = TermQuery::new(
            Term::from_field_u64(self.fields.id, hash),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&query, &TopDocs::with_limit(2).order_by_score())
            .map_err(|e| self.io(e))?;
        // A passage and a quote could in principle share a hash; the id tells them apart.
        for (_, address) in top {
            let entry = self.entry(&searcher, address)?;
            if entry.id == id {
                return Ok(Some(entry));
            }
        }
        Ok(None)
    }

    /// The entry stored at a document address.
    pub fn entry(
        &self,
        searcher: &Searcher,
        address: tantivy::DocAddress,
    ) -> Result<Entry, StoreError> {
        let doc = searcher.doc(address).map_err(|e| self.io(e))?;
        schema::from_doc(&doc, &self.fields).map_err(|source| StoreError::Record {
            path: self.path(),
            source,
        })
    }

    /// Wraps a tantivy failure with the index path.
    pub fn io(&self, err: TantivyError) -> StoreError {
        StoreError::Io {
            path: self.path(),
            detail: err.to_string(),
        }
    }
}

fn damaged(path: &str, err: TantivyError) -> StoreError {
    StoreError::Damaged {
        path: path.to_string(),
        detail: err.to_string(),
    }
}

fn read_payload(index: &Index, path: &str) -> Result<Payload, StoreError> {
    let metas = index.load_metas().map_err(|e| damaged(path, e))?;
    let foreign = |why: &str| StoreError::Foreign {
        path: path.to_string(),
        why: why.to_string(),
    };
    // tantivy writes an empty first commit when it creates an index; one that was never
    // followed by florilegium's commit is a first ingest that did not finish (it was killed).
    if metas.payload.is_none() && metas.segments.is_empty() {
        return Err(StoreError::Missing {
            path: path.to_string(),
        });
    }
    let text = metas
        .payload
        .ok_or_else(|| foreign("its commit carries no florilegium payload"))?;
    serde_json::from_str(&text).map_err(|_| foreign("its commit payload is not florilegium's"))
}

/// Writes a new state of the index. Nothing is visible to readers, and nothing survives a
/// crash, until `commit`: the index is always the previous state or the new one.
pub struct Writer {
    path: String,
    fields: Fields,
    writer: IndexWriter,
}

impl Writer {
    /// Opens the index at `dir` for a full rewrite, creating it when `dir` is vacant; an index
    /// of another schema version is removed first. Fails with `Busy` when another process
    /// writes it.
    ///
    /// `memory_mb` is shared by the indexing threads: one per core, fewer when each would get
    /// less than `MIN_MEMORY_MB`.
    pub fn rewrite(dir: &Path, memory_mb: usize) -> Result<Writer, StoreError> {
        let writer = Writer::with_memory(dir, memory_mb)?;
        writer
            .writer
            .delete_all_documents()
            .map_err(|e| io(&writer.path, e))?;
        Ok(writer)
    }

    /// Opens the index at `dir` to update it in place with the memory of a full ingest; like
    /// `rewrite`, it fails with `Busy` when another process writes it.
    pub fn update(dir: &Path, memory_mb: usize) -> Result<Writer, StoreError> {
        Writer::with_memory(dir, memory_mb)
    }

    /// Opens the index at `dir` to change some entries; like `rewrite`, it fails with `Busy`
    /// when another process writes it.
    pub fn open(dir: &Path) -> Result<Writer, StoreError> {
        Writer::with_memory(dir, SMALL_MEMORY_MB)
    }

    fn with_memory(dir: &Path, memory_mb: usize) -> Result<Writer, StoreError> {
        let path = show(dir);
        let index = open_for_writing(dir)?;
        schema::register_tokenizers(&index);
        let fields = schema::fields(&index.schema()).map_err(|e| StoreError::Damaged {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let memory_mb = memory_mb.max(MIN_MEMORY_MB);
        let threads = cores.min(8).min(memory_mb / MIN_MEMORY_MB).max(1);
        // tantivy takes under 4 GB per thread.
        let memory = memory_mb.min(threads * 4000).saturating_mul(1024 * 1024);
        let writer = index.writer_with_num_threads(threads, memory);
        let writer: IndexWriter = writer.map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => {
                StoreError::Busy { path: path.clone() }
            }
            other => io(&path, other),
        })?;
        Ok(Writer {
            path,
            fields,
            writer,
        })
    }

    /// Adds an entry. With `replace`, the entry supersedes every earlier one with its id (a
    /// quotation met again, with one more source).
    pub fn put(&mut self, entry: &Entry, replace: bool) -> Result<(), StoreError> {
        if replace {
            self.delete(&entry.id);
        }
        let doc = schema::to_doc(entry, &self.fields).map_err(|source| StoreError::Record {
            path: self.path.clone(),
            source,
        })?;
        self.writer
            .add_document(doc)
            .map_err(|e| io(&self.path, e))?;
        Ok(())
    }

    /// Removes the entry with this id.
    pub fn delete(&mut self, id: &str) {
        if let Some((_, hash)) = parse_id(id) {
            self.writer
                .delete_term(Term::from_field_u64(self.fields.id, hash));
        }
    }

    /// Makes everything put so far the index's new state, recording `payload` with it.
    pub fn commit(mut self, payload: &Payload) -> Result<(), StoreError> {
        let path = self.path.clone();
        let payload = serde_json::to_string(payload).map_err(|e| StoreError::Io {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        let mut commit = self.writer.prepare_commit().map_err(|e| io(&path, e))?;
        commit.set_payload(&payload);
        commit.commit().map_err(|e| io(&path, e))?;
        self.writer
            .wait_merging_threads()
            .map_err(|e| io(&path, e))?;
        Ok(())
    }
}

fn io(path: &str, err: TantivyError) -> StoreError {
    StoreError::Io {
        path: path.to_string(),
        detail: err.to_string(),
    }
}

/// Opens the index at `dir` to write it, creating it when `dir` is vacant. Refuses a directory
/// with other files in it, so that an `--index` typo never scatters index files among a
/// user's own.
fn open_for_writing(dir: &Path) -> Result<Index, StoreError> {
    let path = show(dir);
    if exists(dir) {
        match Store::open(dir) {
            Ok(store) => return Ok(store.index),
            Err(StoreError::OtherVersion { .. })
            | Err(StoreError::Damaged { .. })
            | Err(StoreError::Missing { .. }) => {
                remove_index_files(dir).map_err(|e| StoreError::Io {
                    path: path.clone(),
                    detail: format!("cannot remove the old index: {e}"),
                })?;
            }
            Err(other) => return Err(other),
        }
    } else if !is_vacant(dir) {
        return Err(StoreError::Foreign {
            path,
            why: "it has files but no meta.json".to_string(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
        path: path.clone(),
        detail: format!("cannot create the directory: {e}"),
    })?;
    let (schema, _) = schema::build();
    Index::create_in_dir(dir, schema).map_err(|e| io(&path, e))
}

/// Removes what tantivy wrote in `dir` (its meta files and segment files), keeping the
/// placeholder files.
fn remove_index_files(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if PLACEHOLDERS.iter().any(|p| name == *p) || !entry.file_type()?.is_file() {
            continue;
        }
        std::fs::remove_file(entry.path())?;
    }
    Ok(())
}
