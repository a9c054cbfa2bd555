//! What an ingest remembers between runs, in `<index>/.flor-cache/`: the records and warnings
//! each file gave (so an unchanged file is never read again), and a manifest of the files, their
//! sizes and times, the settings in force and the last report. The index commit names its
//! manifest, so the cache always matches the committed state; files no commit names are
//! removed after the next commit.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::model::{Record, Warning};

/// The cache directory inside an index directory.
pub const DIR: &str = ".flor-cache";
/// Bump when a parser changes what it makes of the same text: every cached file is re-read.
pub const PARSER_VERSION: u32 = 1;

/// A file as the last ingest saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: u128,
    /// The format it was read in.
    pub format: String,
    /// The name of its cache file.
    pub cache: String,
}

/// Counts and warnings of the last ingest, reported again when nothing changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Passages and quotes in the index.
    pub records: [usize; 2],
    /// Passage and quote occurrences read.
    pub occurrences: [usize; 2],
    /// Warnings of the files read.
    pub warnings: Vec<Warning>,
    /// How many of those warnings lost something.
    pub losses: usize,
}

/// What the last ingest read, with which settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Fingerprint of the rules, the format override and the parser version.
    pub settings: String,
    /// Fingerprint of the annotations file.
    pub annotations: String,
    /// The annotations file the index applies.
    pub annotations_path: String,
    /// The rules file the index applies, if any.
    pub rules_path: Option<String>,
    /// Every file in the index, by path as records show it.
    pub files: BTreeMap<String, FileState>,
    /// The last report.
    pub summary: Summary,
}

/// One line of a file's cache.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Line {
    /// A record the file gave.
    Record(Box<Record>),
    /// Something of the file that could not be placed.
    Warning(Warning),
    /// A note about the file that lost nothing (it was read as Windows-1252).
    Notice(Warning),
}

/// The cache directory of an index.
pub fn dir(index: &Path) -> PathBuf {
    index.join(DIR)
}

/// 16 hex digits fingerprinting some byte strings (FNV-1a, as record ids are made).
pub fn fingerprint(parts: &[&[u8]]) -> String {
    format!("{:016x}", crate::annotate::hash(parts))
}

/// Reads the manifest a commit names. A missing or unreadable manifest reads as none, which
/// makes the next ingest read every file again: slower, never wrong.
pub fn load_manifest(index: &Path, name: &str) -> Option<Manifest> {
    let text = fs::read_to_string(dir(index).join(name)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes a manifest and returns its file name, to be recorded in the commit.
pub fn save_manifest(index: &Path, manifest: &Manifest) -> Result<String> {
    let json = serde_json::to_vec(manifest).context("cannot serialize the ingest manifest")?;
    let name = format!("manifest-{}.json", fingerprint(&[&json]));
    fs::create_dir_all(dir(index))
        .with_context(|| format!("cannot create {}", dir(index).display()))?;
    crate::annotations::write_atomically(&dir(index).join(&name), &json)?;
    Ok(name)
}

/// True when the cache file of a file is there to be read.
pub fn has(index: &Path, cache: &str) -> bool {
    dir(index).join(cache).is_file()
}

/// Reads a file's cache line by line.
pub fn read(index: &Path, cache: &str, mut each: impl FnMut(Line) -> Result<()>) -> Result<()> {
    let path = dir(index).join(cache);
    let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
    for line in BufReader::new(file).lines() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        let parsed = serde_json::from_str(&line).with_context(|| {
            format!("{} is damaged; run `flor ingest --rebuild`", path.display())
        })?;
        each(parsed)?;
    }
    Ok(())
}

/// Writes one file's cache as it is parsed; `finish` makes it visible.
pub struct Writer {
    temp: PathBuf,
    path: PathBuf,
    out: BufWriter<File>,
}

impl Writer {
    /// Starts the cache file `cache`.
    pub fn create(index: &Path, cache: &str) -> Result<Writer> {
        let dir = dir(index);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(cache);
        let temp = dir.join(format!("{cache}.tmp"));
        let file =
            File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
        Ok(Writer {
            temp,
            path,
            out: BufWriter::new(file),
        })
    }

    /// Adds a line.
    pub fn push(&mut self, line: &Line) -> Result<()> {
        serde_json::to_writer(&mut self.out, line).context("cannot write the ingest cache")?;
        self.out
            .write_all(b"\n")
            .with_context(|| format!("cannot write {}", self.temp.display()))
    }

    /// Flushes the file and gives it its name.
    pub fn finish(mut self) -> Result<()> {
        self.out
            .flush()
            .with_context(|| format!("cannot write {}", self.temp.display()))?;
        fs::rename(&self.temp, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// Removes cache files the manifest `keep` does not name (old manifests, caches of changed or
/// removed files, leftovers of an interrupted run).
pub fn collect_garbage(index: &Path, keep: &str, manifest: &Manifest) {
    let wanted: HashSet<&str> = manifest
        .files
        .values()
        .map(|f| f.cache.as_str())
        .chain([keep])
        .collect();
    let Ok(entries) = fs::read_dir(dir(index)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !wanted.contains(name.to_string_lossy().as_ref()) {
            // A file that cannot be removed now is tried again after the next commit.
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source};

    #[test]
    fn cache_files_round_trip_and_garbage_is_collected() {
        let temp = tempfile::tempdir().expect("a temporary directory");
        let index = temp.path();
        let record = Record {
            kind: Kind::Quote,
            text: "An army.".to_string(),
            title: None,
            section: None,
            topic: Some("t".to_string()),
            keywords: vec!["army".to_string()],
            author: None,
            source: Source {
                path: "a.txt".to_string(),
                line_start: 1,
                line_end: 2,
            },
        };
        let warning = Warning {
            path: "a.txt".to_string(),
            line: 3,
            message: "odd".to_string(),
        };
        let mut writer = Writer::create(index, "one.jsonl").expect("create");
        writer
            .push(&Line::Record(Box::new(record.clone())))
            .expect("push");
        writer.push(&Line::Warning(warning.clone())).expect("push");
        writer.finish().expect("finish");
        let mut read_back = Vec::new();
        read(index, "one.jsonl", |line| {
            read_back.push(format!("{line:?}"));
            Ok(())
        })
        .expect("read");
        assert_eq!(
            read_back,
            vec![
                format!("{:?}", Line::Record(Box::new(record))),
                format!("{:?}", Line::Warning(warning))
            ]
        );

        let mut manifest = Manifest::default();
        manifest.files.insert(
            "a.txt".to_string(),
            FileState {
                len: 1,
                modified: 2,
                format: "plain".to_string(),
                cache: "one.jsonl".to_string(),
            },
        );
        let name = save_manifest(index, &manifest).expect("save");
        assert_eq!(load_manifest(index, &name), Some(manifest.clone()));
        fs::write(dir(index).join("stale.jsonl"), "x").expect("write");
        collect_garbage(index, &name, &manifest);
        assert!(has(index, "one.jsonl"));
        assert!(has(index, &name));
        assert!(!has(index, "stale.jsonl"));
    }
}
