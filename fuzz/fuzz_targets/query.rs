//! Fuzzes the query path: any query text and year range either runs against a real index or
//! is refused with a message; neither panics.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use florilegium::ingest::{self, Options};
use florilegium::query::{self, Filters, Request, Terms, YearRange};
use florilegium::store::Store;
use libfuzzer_sys::fuzz_target;

/// The shipped corpus, indexed once per fuzzing process.
fn store() -> &'static Store {
    static STORE: OnceLock<(tempfile::TempDir, Store)> = OnceLock::new();
    let (_, store) = STORE.get_or_init(|| {
        let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus");
        let dir = tempfile::tempdir().expect("a temporary directory for the fuzz index");
        let index = dir.path().join("index");
        let options = Options {
            paths: vec![corpus.clone()],
            corpus,
            index: index.clone(),
            format: None,
            rules: None,
            rebuild: true,
            memory_mb: florilegium::store::DEFAULT_MEMORY_MB,
            progress: false,
        };
        ingest::run(&options).expect("the shipped corpus ingests");
        let store = Store::open(&index).expect("the fresh index opens");
        (dir, store)
    });
    store
}

fuzz_target!(|input: &str| {
    // The first line is the query; a second line, when there is one, is a year range.
    let (text, years) = match input.split_once('\n') {
        Some((text, years)) => (text, years.parse::<YearRange>().ok()),
        None => (input, None),
    };
    let store = store();
    let filters = Filters {
        years,
        ..Filters::default()
    };
    for terms in [
        Terms::Query(text.to_string()),
        Terms::Quotes(text.split_whitespace().map(str::to_string).collect()),
    ] {
        let request = Request {
            terms,
            filters: filters.clone(),
            limit: 10,
            offset: 0,
            count: true,
        };
        if let Ok(results) = query::run(store, &request) {
            assert!(results.hits.len() <= 10);
            let total = results.total.unwrap_or(0);
            assert!(results.hits.len() <= total);
            assert!(!results.more || total > results.hits.len());
        }
    }
});
