//! What an ingest remembers between runs, in `<index>/.flor-cache/`: the records and warnings
//! each file gave (so an unchanged file is never read again), and a manifest of the files, their
//! sizes and times, the settings in force and the last report. An ingest writes what all its
//! files gave into one pack file, each file a range of JSON lines, rather than a file per input
//! file: creating hundreds of small files cost more than parsing them. The index commit names
//! its manifest and the manifest its pack, so the cache always matches the committed state;
//! files no commit names are removed after the next commit.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
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
    /// The pack file that holds what it gave.
    pub cache: String,
    /// Where its lines start in the pack.
    pub offset: u64,
    /// How many bytes of the pack its lines take.
    pub bytes: u64,
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

/// True when the pack holding a file's lines is there, long enough to hold them.
pub fn has(index: &Path, state: &FileState) -> bool {
    fs::metadata(dir(index).join(&state.cache))
        .is_ok_and(|m| m.is_file() && m.len() >= state.offset.saturating_add(state.bytes))
}

/// The raw lines a file gave, as its pack holds them.
pub fn raw(index: &Path, state: &FileState) -> Result<Vec<u8>> {
    let path = dir(index).join(&state.cache);
    let damaged = || format!("{} is damaged; run `flor ingest --rebuild`", path.display());
    let mut file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
    file.seek(SeekFrom::Start(state.offset))
        .with_context(damaged)?;
    let mut bytes = Vec::new();
    file.take(state.bytes)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 != state.bytes {
        anyhow::bail!(damaged());
    }
    Ok(bytes)
}

/// Decodes raw lines from `raw` one by one, each with the id hash of its record when the pack
/// holds it (a record line is `HASH<tab>JSON`, any other line `JSON`).
pub fn lines(
    index: &Path,
    state: &FileState,
    raw: &[u8],
    mut each: impl FnMut(Line, Option<u64>) -> Result<()>,
) -> Result<()> {
    let damaged = || {
        format!(
            "{} is damaged; run `flor ingest --rebuild`",
            dir(index).join(&state.cache).display()
        )
    };
    for line in raw.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let (hash, json) = match line.get(HASH_DIGITS) {
            Some(b'\t') => {
                let (hex, json) = line.split_at(HASH_DIGITS);
                let hash = std::str::from_utf8(hex)
                    .ok()
                    .and_then(|hex| u64::from_str_radix(hex, 16).ok())
                    .with_context(damaged)?;
                (Some(hash), &json[1..])
            }
            _ => (None, line),
        };
        let parsed = serde_json::from_slice(json).with_context(damaged)?;
        each(parsed, hash)?;
    }
    Ok(())
}

/// Hex digits of the id hash that leads a record line.
const HASH_DIGITS: usize = 16;

/// The pack an ingest writes: every file's lines, one range per file. A pack no committed
/// manifest names is garbage, so a killed ingest leaves nothing that could be read wrongly.
pub struct Pack {
    name: String,
    path: PathBuf,
    out: BufWriter<File>,
    written: u64,
    start: u64,
    line: Vec<u8>,
}

impl Pack {
    /// Starts a new pack under a name no other ingest uses.
    pub fn create(index: &Path) -> Result<Pack> {
        let dir = dir(index);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let unique = fingerprint(&[&now.to_le_bytes(), &std::process::id().to_le_bytes()]);
        let name = format!("pack-{unique}.jsonl");
        let path = dir.join(&name);
        let file =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Pack {
            name,
            path,
            out: BufWriter::with_capacity(1 << 20, file),
            written: 0,
            start: 0,
            line: Vec::new(),
        })
    }

    /// The pack's file name, for the manifest.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The next lines belong to a new file.
    pub fn start_file(&mut self) {
        self.start = self.written;
    }

    /// Where the current file's lines are: (offset, bytes).
    pub fn file_range(&self) -> (u64, u64) {
        (self.start, self.written - self.start)
    }

    /// Adds a line of the current file; a record's line leads with its id hash, so that
    /// reading it back does not hash its text again.
    pub fn push(&mut self, line: &Line, hash: Option<u64>) -> Result<()> {
        self.line.clear();
        if let Some(hash) = hash {
            write!(self.line, "{hash:0width$x}\t", width = HASH_DIGITS)
                .context("cannot write the ingest cache")?;
        }
        serde_json::to_writer(&mut self.line, line).context("cannot write the ingest cache")?;
        self.line.push(b'\n');
        let line = std::mem::take(&mut self.line);
        let written = self.push_raw(&line);
        self.line = line;
        written
    }

    /// Adds lines as another pack held them.
    pub fn push_raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Writes the pack out to disk, before a manifest names it.
    pub fn finish(self) -> Result<()> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        file.sync_data()
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
    fn packs_round_trip_by_file_and_garbage_is_collected() {
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
            path: "b.txt".to_string(),
            line: 3,
            message: "odd".to_string(),
        };
        let mut pack = Pack::create(index).expect("create");
        pack.start_file();
        pack.push(&Line::Record(Box::new(record.clone())), Some(0xab))
            .expect("push");
        let (a_offset, a_bytes) = pack.file_range();
        pack.start_file();
        pack.push(&Line::Warning(warning.clone()), None)
            .expect("push");
        let (b_offset, b_bytes) = pack.file_range();
        let name = pack.name().to_string();
        pack.finish().expect("finish");
        let state = |offset, bytes| FileState {
            len: 1,
            modified: 2,
            format: "plain".to_string(),
            cache: name.clone(),
            offset,
            bytes,
        };
        let read_back = |state: &FileState| {
            let raw = raw(index, state).expect("raw");
            let mut got = Vec::new();
            lines(index, state, &raw, |line, hash| {
                got.push(format!("{line:?} {hash:?}"));
                Ok(())
            })
            .expect("lines");
            got
        };
        let (a, b) = (state(a_offset, a_bytes), state(b_offset, b_bytes));
        assert_eq!(
            read_back(&a),
            vec![format!("{:?} Some(171)", Line::Record(Box::new(record)))]
        );
        assert_eq!(
            read_back(&b),
            vec![format!("{:?} None", Line::Warning(warning))]
        );
        // A range past the end of the pack is not there to be read.
        let beyond = state(b_offset, b_bytes + 1);
        assert!(has(index, &b) && !has(index, &beyond));
        assert!(raw(index, &beyond).is_err());

        let mut manifest = Manifest::default();
        manifest.files.insert("a.txt".to_string(), a.clone());
        manifest.files.insert("b.txt".to_string(), b);
        let saved = save_manifest(index, &manifest).expect("save");
        assert_eq!(load_manifest(index, &saved), Some(manifest.clone()));
        fs::write(dir(index).join("pack-stale.jsonl"), "x").expect("write");
        collect_garbage(index, &saved, &manifest);
        assert!(has(index, &a));
        assert!(dir(index).join(&saved).is_file());
        assert!(!dir(index).join("pack-stale.jsonl").exists());
    }
}
