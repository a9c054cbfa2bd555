//! The ingest pipeline shared by `flor ingest` and the first-use build: walk the corpus paths,
//! read and parse each file, annotate, and replace the index contents in one commit.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::annotate;
use crate::model::{Kind, Warning};
use crate::source::{self, Format, Input, Pass};
use crate::store::{self, Payload};

/// A file that was not read, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// What an ingest did.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Files read and parsed.
    pub files_ingested: usize,
    /// Files not read: not a known format, or unreadable.
    pub files_skipped: Vec<Skipped>,
    /// Passage records in the index.
    pub passages: usize,
    /// Quote records in the index.
    pub quotes: usize,
    /// Files that could not be read, and lines that could not be placed.
    pub warnings: Vec<Warning>,
}

impl Report {
    /// True when every file was read and every line placed.
    pub fn is_clean(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// Ingests `paths` into the index at `index`, replacing what it held.
///
/// A path that does not exist is an error; a file that cannot be read is a warning, and the
/// rest is still committed.
pub fn run(paths: &[PathBuf], index: &Path) -> Result<Report> {
    let mut report = Report::default();
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            bail!("{}: no such file or directory", path.display());
        }
        walk(path, true, &mut files, &mut report);
    }
    let mut records = Vec::new();
    for (path, format) in files {
        let shown = display(&path);
        let text = match read(&path) {
            Ok(text) => text,
            Err(message) => {
                report.warnings.push(Warning {
                    path: shown,
                    line: 0,
                    message,
                });
                continue;
            }
        };
        let format = match format {
            Some(format) => format,
            None => match Format::detect(&path, head(&text)) {
                Ok(format) => format,
                Err(_) => Format::TopicPage,
            },
        };
        let parsed = source::parse(format, &Input::new(&shown, &text));
        report.files_ingested += 1;
        records.extend(parsed.records);
        report.warnings.extend(parsed.warnings);
    }
    let entries = annotate::annotate(records);
    report.passages = entries.iter().filter(|e| e.kind == Kind::Passage).count();
    report.quotes = entries.len() - report.passages;
    let payload = Payload {
        florilegium: crate::schema::SCHEMA_VERSION,
        paths: paths.iter().map(|p| display(p)).collect(),
    };
    store::replace_all(index, &entries, &payload)
        .with_context(|| format!("cannot write the index at {}", index.display()))?;
    Ok(report)
}

/// Collects the files under `path`, sorted, with their formats. A file named on the command
/// line is read as a topic page whatever its name; in a directory, hidden entries are passed
/// over and files of no known format are skipped with a note.
fn walk(
    path: &Path,
    named: bool,
    files: &mut Vec<(PathBuf, Option<Format>)>,
    report: &mut Report,
) {
    let shown = display(path);
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) => {
            report.warnings.push(Warning {
                path: shown,
                line: 0,
                message: format!("cannot read: {err}"),
            });
            return;
        }
    };
    if meta.is_file() {
        // The content decides later; here only the name can rule a file out.
        match Format::detect(path, "") {
            Err(pass) if !named => report.files_skipped.push(Skipped {
                path: shown,
                reason: match pass {
                    Pass::Unknown => "not a format florilegium reads".to_string(),
                    Pass::FortuneCompanion => "companion of a fortune file".to_string(),
                },
            }),
            _ => files.push((path.to_path_buf(), None)),
        }
        return;
    }
    if !meta.is_dir() {
        return;
    }
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(err) => {
            report.warnings.push(Warning {
                path: shown,
                line: 0,
                message: format!("cannot list the directory: {err}"),
            });
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    children.sort();
    for child in children {
        walk(&child, false, files, report);
    }
}

/// The start of a text, enough to tell its format, cut at a character boundary.
fn head(text: &str) -> &str {
    let mut end = text.len().min(8192);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Reads a file as UTF-8 text.
fn read(path: &Path) -> std::result::Result<String, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {}); skipped",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A path as records and messages show it: `/` separators, no leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text,
    }
}
