//! The bare tantivy baseline of `bench/run.sh`: indexes the benchmark's JSON Lines records into
//! florilegium's own schema, with its tokenizers, writer threads and memory, but with none of
//! its work around them (no source formats, no annotation, no duplicate merging, no cache). It
//! is the practical limit of `flor ingest` on the same text.
//!
//!     cargo bench --bench baseline -- RECORDS.jsonl INDEX_DIR [MEMORY_MB]
//!
//! Prints one JSON object: records, text bytes, seconds and MB/s of text.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use florilegium::schema;
use serde::Deserialize;
use tantivy::{Index, IndexWriter, TantivyDocument};

// The same allocator as flor, so the baseline differs from it only in the work it skips.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Deserialize)]
struct Record {
    kind: String,
    text: String,
    title: Option<String>,
    author: Option<String>,
}

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; everything else is ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [records, dir, rest @ ..] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench baseline -- RECORDS.jsonl INDEX_DIR [MEMORY_MB]");
        return ExitCode::from(2);
    };
    let memory_mb = match rest.first().map(|m| m.parse::<usize>()) {
        None => 1024,
        Some(Ok(mb)) => mb,
        Some(Err(_)) => {
            eprintln!("baseline: MEMORY_MB must be a number of megabytes");
            return ExitCode::from(2);
        }
    };
    match run(records.into(), dir.into(), memory_mb) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("baseline: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(records: PathBuf, dir: PathBuf, memory_mb: usize) -> anyhow::Result<()> {
    let started = Instant::now();
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(&dir, schema)?;
    schema::register_tokenizers(&index);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, memory_mb * 1024 * 1024)?;
    let (mut count, mut text_bytes) = (0usize, 0usize);
    for line in BufReader::with_capacity(1 << 20, File::open(&records)?).lines() {
        let line = line?;
        let record: Record = serde_json::from_str(&line)?;
        text_bytes += record.text.len();
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.kind, &record.kind);
        doc.add_text(fields.text, &record.text);
        if let Some(title) = &record.title {
            doc.add_text(fields.title, title);
        }
        if let Some(author) = &record.author {
            doc.add_text(fields.author, author);
            doc.add_text(fields.author_name, author);
        }
        doc.add_text(fields.record, &line);
        writer.add_document(doc)?;
        count += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{{\"records\": {count}, \"text_bytes\": {text_bytes}, \"seconds\": {seconds:.3}, \"mb_per_s\": {:.2}}}",
        text_bytes as f64 / 1e6 / seconds
    );
    Ok(())
}
