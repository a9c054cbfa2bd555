//! The ingest pipeline shared by `flor ingest` and the first-use build: walk the corpus paths,
//! read and decode each file (large ones in pieces), parse it in its format, annotate and merge
//! the records, and write the index in one commit.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::annotate::Merger;
use crate::annotate::tags::Rule;
use crate::cache::{self, FileState, Line, Manifest, Summary};
use crate::config;
use crate::model::{Kind, Warning};
use crate::source::{self, Format, Input, Pass};
use crate::store::{Payload, Store, Writer};

/// Bytes looked at to tell a binary file and to guess a format, as ripgrep does.
const HEAD: usize = 8 * 1024;
/// Files larger than this are read in pieces when their format allows it.
const LARGE: u64 = 32 * 1024 * 1024;
/// The size of one piece of a large file.
const PIECE: usize = 8 * 1024 * 1024;
/// Names that describe a corpus rather than belong to it; read only when named explicitly.
const NOT_CORPUS: &[&str] = &["readme", "license", "licence", "copying", "changelog"];

/// What to ingest and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files and directories to read.
    pub paths: Vec<PathBuf>,
    /// The corpus directory, where `florilegium.toml` and `annotations.toml` live.
    pub corpus: PathBuf,
    /// The index directory.
    pub index: PathBuf,
    /// A format for every file, instead of detecting each one.
    pub format: Option<Format>,
    /// A rules file instead of the corpus's `florilegium.toml`.
    pub rules: Option<PathBuf>,
    /// Read every file again, even those the cache holds.
    pub rebuild: bool,
    /// Indexing memory in MB, shared by the writer's threads.
    pub memory_mb: usize,
    /// Show a progress bar on stderr (the caller checks that it is a terminal).
    pub progress: bool,
}

/// A file that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

/// Records by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Passages.
    pub passage: usize,
    /// Quotes.
    pub quote: usize,
}

impl Counts {
    fn from_pair([passage, quote]: [usize; 2]) -> Counts {
        Counts { passage, quote }
    }

    fn pair(self) -> [usize; 2] {
        [self.passage, self.quote]
    }
}

/// What an ingest did: the `--report` JSON.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Files in the index after this ingest.
    pub files_ingested: usize,
    /// Files parsed by this run; the others had not changed since the last ingest.
    pub files_read: usize,
    /// Files not read, each with the reason.
    pub files_skipped: Vec<Skipped>,
    /// Distinct records in the index.
    pub records: Counts,
    /// Occurrences read: a quotation found on two pages counts twice here and once above.
    pub occurrences: Counts,
    /// Lines that could not be placed, files that could not be read, texts that were decoded
    /// as Windows-1252.
    pub warnings: Vec<Warning>,
    /// True when nothing had changed and the index was left as it was.
    pub unchanged: bool,
    /// Records written to the index by this run: all of them when it was built afresh, only
    /// those the changed files touch when it was updated in place.
    pub records_written: usize,
    /// How many of the skipped files and warnings lost something (an unreadable file, an
    /// unplaced line), as opposed to notes such as a binary file passed over.
    #[serde(skip)]
    pub losses: usize,
}

impl Report {
    /// True when nothing was lost.
    pub fn is_clean(&self) -> bool {
        self.losses == 0
    }

    fn skip(&mut self, path: &Path, reason: impl Into<String>, lost: bool) {
        self.files_skipped.push(Skipped {
            path: display(path),
            reason: reason.into(),
        });
        if lost {
            self.losses += 1;
        }
    }
}

/// The settings an ingest runs with, read before any file.
struct Settings {
    rules: Vec<Rule>,
    rules_path: Option<PathBuf>,
    annotations: crate::annotations::Annotations,
    annotations_path: PathBuf,
    /// Fingerprint of what changes how files are parsed and tagged.
    fingerprint: String,
    /// Fingerprint of the annotations file.
    annotations_fingerprint: String,
}

impl Settings {
    fn read(options: &Options) -> Result<Settings> {
        let home = &options.corpus;
        let rules_path = options
            .rules
            .clone()
            .or_else(|| Some(home.join(config::FILE_NAME)).filter(|p| p.is_file()));
        let (rules, rules_text) = match &rules_path {
            Some(path) => {
                let text = fs::read_to_string(path)
                    .with_context(|| format!("cannot read the rules in {}", path.display()))?;
                (config::parse_rules(&display(path), &text)?, text)
            }
            None => (Vec::new(), String::new()),
        };
        let annotations_path = home.join(crate::annotations::FILE_NAME);
        let annotations = crate::annotations::load(&annotations_path)?;
        let annotations_text = fs::read(&annotations_path).unwrap_or_default();
        let format = options.format.map_or("", Format::name);
        let versions = format!(
            "{}/{}",
            cache::PARSER_VERSION,
            crate::schema::SCHEMA_VERSION
        );
        Ok(Settings {
            rules,
            rules_path,
            annotations,
            annotations_path,
            fingerprint: cache::fingerprint(&[
                rules_text.as_bytes(),
                format.as_bytes(),
                versions.as_bytes(),
            ]),
            annotations_fingerprint: cache::fingerprint(&[&annotations_text]),
        })
    }
}

/// A file's size and modification time, which tell whether it changed since the last ingest.
fn stat(path: &Path) -> Option<(u64, u128)> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((meta.len(), modified.as_nanos()))
}

/// Ingests the paths into the index, replacing what it held. Files that have not changed since
/// the last ingest are taken from the cache, not read again; when nothing changed at all, the
/// index is left as it is.
///
/// A path that does not exist is an error; a file that cannot be read, or a line that cannot
/// be placed, is reported and the rest is still committed.
pub fn run(options: &Options) -> Result<Report> {
    for path in &options.paths {
        if fs::symlink_metadata(path).is_err() {
            bail!("{}: no such file or directory", path.display());
        }
    }
    let settings = Settings::read(options)?;
    let mut report = Report::default();
    let mut files = Vec::new();
    let mut visited = HashSet::new();
    for path in &options.paths {
        walk(path, true, &mut visited, &mut files, &mut report);
    }
    // Losses of the walk are found again by every run; the summary keeps only the files'.
    let walk_losses = report.losses;
    let index = &options.index;
    let previous = if options.rebuild {
        None
    } else {
        previous_manifest(index)
    };
    let reusable = |shown: &str, stat: Option<(u64, u128)>| -> Option<FileState> {
        let previous = previous.as_ref()?;
        let state = previous.files.get(shown)?;
        let (len, modified) = stat?;
        let same = previous.settings == settings.fingerprint
            && state.len == len
            && state.modified == modified
            && cache::has(index, state);
        same.then(|| state.clone())
    };
    let stats: Vec<(String, Option<(u64, u128)>)> =
        files.iter().map(|p| (display(p), stat(p))).collect();
    if let Some(previous) = &previous {
        let unchanged = previous.annotations == settings.annotations_fingerprint
            && previous.files.len() == stats.len()
            && stats
                .iter()
                .all(|(shown, stat)| reusable(shown, *stat).is_some());
        if unchanged {
            report.unchanged = true;
            report.files_ingested = stats.len();
            report.records = Counts::from_pair(previous.summary.records);
            report.occurrences = Counts::from_pair(previous.summary.occurrences);
            report.warnings = previous.summary.warnings.clone();
            report.losses += previous.summary.losses;
            return Ok(report);
        }
    }

    // A few changed files update the index in place; many, or any doubt, rebuild it whole.
    let plan = previous
        .as_ref()
        .and_then(|previous| plan_update(index, previous, &settings, &stats, &reusable));
    let mut fresh = match &plan {
        Some(plan) => read_changed(&files, &stats, options.format, plan)?,
        None => Vec::new(),
    };

    let mut progress = Progress::new(options.progress, &stats);
    let incremental = plan.is_some();
    let copy_unchanged = plan.as_ref().is_none_or(|plan| plan.compact);
    let mut writer = if incremental {
        Writer::update(index, options.memory_mb)
    } else {
        Writer::rewrite(index, options.memory_mb)
    }
    .with_context(|| format!("cannot write the index at {}", index.display()))?;
    let mut merger = match plan {
        Some(plan) => {
            let mut merger =
                Merger::incremental(settings.rules.clone(), settings.annotations.clone());
            for key in plan
                .touched
                .into_iter()
                .chain(fresh.iter().flat_map(Fresh::keys))
            {
                merger.rebuild(key);
            }
            merger
        }
        None => Merger::new(settings.rules.clone(), settings.annotations.clone()),
    };
    let mut manifest = Manifest {
        settings: settings.fingerprint.clone(),
        annotations: settings.annotations_fingerprint.clone(),
        annotations_path: display(&settings.annotations_path),
        rules_path: settings.rules_path.as_deref().map(display),
        ..Manifest::default()
    };
    let mut pack = cache::Pack::create(index)?;
    let mut fresh = fresh.drain(..).peekable();
    for (at, (path, (shown, stat))) in files.iter().zip(&stats).enumerate() {
        let mut sink = |line: Line, hash: Option<u64>, report: &mut Report, format: Format| {
            match line {
                Line::Record(record) => {
                    if let Some(entry) = merger.add(*record, format.name(), hash) {
                        writer.put(&entry, false)?;
                    }
                }
                Line::Warning(warning) => {
                    report.losses += 1;
                    report.warnings.push(warning);
                }
                Line::Notice(warning) => report.warnings.push(warning),
            }
            Ok::<(), anyhow::Error>(())
        };
        progress.file(stat.map_or(0, |(len, _)| len));
        pack.start_file();
        if let Some(state) = reusable(shown, *stat) {
            let format = Format::from_name(&state.format).unwrap_or(Format::Plain);
            let raw = cache::raw(index, &state)?;
            cache::lines(index, &state, &raw, |line, hash| {
                sink(line, hash, &mut report, format)
            })?;
            // An update leaves an unchanged file's lines in the pack that holds them.
            let state = if copy_unchanged {
                pack.push_raw(&raw)?;
                let (offset, bytes) = pack.file_range();
                FileState {
                    cache: pack.name().to_string(),
                    offset,
                    bytes,
                    ..state
                }
            } else {
                state
            };
            manifest.files.insert(shown.clone(), state);
            report.files_ingested += 1;
            continue;
        }
        let Some((len, modified)) = *stat else {
            report.skip(path, "cannot read its size and time", true);
            continue;
        };
        let read = match fresh.next_if(|f| f.at == at) {
            // Read before the others, to know what it touches; its turn in the order is now.
            Some(file) => {
                for (line, format, hash) in file.lines {
                    pack.push(&line, hash)?;
                    sink(line, hash, &mut report, format)?;
                }
                report.losses += file.report.losses;
                report.files_skipped.extend(file.report.files_skipped);
                file.format
            }
            None => read_file(
                path,
                options.format,
                &mut report,
                &mut |line, report, format| {
                    let hash = record_hash(&line);
                    pack.push(&line, hash)?;
                    sink(line, hash, report, format)
                },
            )?,
        };
        // A file skipped part way leaves dead lines in the pack, which no manifest names.
        if let Some(format) = read {
            let (offset, bytes) = pack.file_range();
            manifest.files.insert(
                shown.clone(),
                FileState {
                    len,
                    modified,
                    format: format.name().to_string(),
                    cache: pack.name().to_string(),
                    offset,
                    bytes,
                },
            );
            report.files_ingested += 1;
            report.files_read += 1;
        }
    }
    pack.finish()?;
    progress.finishing();
    // Records met in several places replace their first entry, once each; an update writes
    // here every record its changed files touch, and removes those no file gives any more.
    let rebuilt = merger.merged();
    for entry in &rebuilt {
        writer.put(entry, true)?;
    }
    for id in merger.gone() {
        writer.delete(&id);
    }
    for id in merger.unmatched_annotations() {
        report.warnings.push(Warning {
            path: display(&settings.annotations_path),
            line: 0,
            message: format!("{id} matches no record in this corpus; its annotation is kept"),
        });
    }
    report.records = Counts {
        passage: merger.count(Kind::Passage),
        quote: merger.count(Kind::Quote),
    };
    report.occurrences = Counts {
        passage: merger.occurrences(Kind::Passage),
        quote: merger.occurrences(Kind::Quote),
    };
    report.records_written = if incremental {
        rebuilt.len()
    } else {
        report.records.passage + report.records.quote
    };
    manifest.summary = Summary {
        records: report.records.pair(),
        occurrences: report.occurrences.pair(),
        warnings: report.warnings.clone(),
        losses: report.losses - walk_losses,
    };
    let name = cache::save_manifest(index, &manifest)?;
    let payload = Payload {
        florilegium: crate::schema::SCHEMA_VERSION,
        paths: options.paths.iter().map(|p| display(p)).collect(),
        manifest: Some(name.clone()),
    };
    writer
        .commit(&payload)
        .with_context(|| format!("cannot write the index at {}", index.display()))?;
    progress.done();
    cache::collect_garbage(index, &name, &manifest);
    Ok(report)
}

/// An update in place reads again at most this share of the corpus's bytes (one part in
/// four); beyond it a rebuild costs little more, and nothing is held in memory ahead of time.
const UPDATE_SHARE: u64 = 4;

/// What an update in place rebuilds: the files to read again, and the records that the
/// changed and removed files gave at the last ingest.
struct Plan {
    changed: Vec<usize>,
    touched: HashSet<(Kind, u64)>,
    /// The packs the unchanged files' lines are in hold as much again of lines no file needs
    /// any more: this ingest copies the lines it keeps into its own pack, and the old packs go.
    compact: bool,
}

/// A changed file, read ahead of its turn to learn which records it touches.
struct Fresh {
    /// Its place in the list of files.
    at: usize,
    /// Each line with the format it was read in and, for a record, its id hash.
    lines: Vec<(Line, Format, Option<u64>)>,
    /// What reading it reported (skips and losses); its warnings are among `lines`.
    report: Report,
    format: Option<Format>,
}

impl Fresh {
    fn keys(&self) -> impl Iterator<Item = (Kind, u64)> + '_ {
        self.lines.iter().filter_map(|(line, _, hash)| match line {
            Line::Record(record) => Some((record.kind, (*hash)?)),
            _ => None,
        })
    }
}

/// The id hash of a record line, computed once as it is read: the pack keeps it.
fn record_hash(line: &Line) -> Option<u64> {
    match line {
        Line::Record(record) => Some(Merger::key(record).1),
        _ => None,
    }
}

/// Whether the index can be updated in place: the settings and annotations are those of the
/// last ingest, few bytes changed, and the cache still holds what every changed or removed
/// file gave. `None` means a rebuild.
fn plan_update(
    index: &Path,
    previous: &Manifest,
    settings: &Settings,
    stats: &[(String, Option<(u64, u128)>)],
    reusable: &impl Fn(&str, Option<(u64, u128)>) -> Option<FileState>,
) -> Option<Plan> {
    if previous.settings != settings.fingerprint
        || previous.annotations != settings.annotations_fingerprint
    {
        return None;
    }
    let total: u64 = stats
        .iter()
        .filter_map(|(_, s)| *s)
        .map(|(len, _)| len)
        .sum();
    let changed: Vec<usize> = (0..stats.len())
        .filter(|&at| reusable(&stats[at].0, stats[at].1).is_none())
        .collect();
    let changed_bytes: u64 = changed
        .iter()
        .filter_map(|&at| stats[at].1)
        .map(|(len, _)| len)
        .sum();
    if changed_bytes.saturating_mul(UPDATE_SHARE) > total {
        return None;
    }
    let mut unchanged: HashSet<&str> = stats.iter().map(|(shown, _)| shown.as_str()).collect();
    for &at in &changed {
        unchanged.remove(stats[at].0.as_str());
    }
    let mut touched = HashSet::new();
    for (shown, state) in &previous.files {
        if unchanged.contains(shown.as_str()) {
            continue;
        }
        let raw = cache::raw(index, state).ok()?;
        cache::lines(index, state, &raw, |line, hash| {
            if let Line::Record(record) = line {
                touched.insert(hash.map_or_else(|| Merger::key(&record), |h| (record.kind, h)));
            }
            Ok(())
        })
        .ok()?;
    }
    let live: u64 = unchanged
        .iter()
        .filter_map(|shown| previous.files.get(*shown))
        .map(|state| state.bytes)
        .sum();
    let packs: HashSet<&str> = unchanged
        .iter()
        .filter_map(|shown| previous.files.get(*shown))
        .map(|state| state.cache.as_str())
        .collect();
    let held: u64 = packs
        .iter()
        .filter_map(|name| fs::metadata(cache::dir(index).join(name)).ok())
        .map(|meta| meta.len())
        .sum();
    Some(Plan {
        changed,
        touched,
        compact: held > live.saturating_mul(2),
    })
}

/// Reads the changed files of a plan, in order, ahead of the ingest.
fn read_changed(
    files: &[PathBuf],
    stats: &[(String, Option<(u64, u128)>)],
    format: Option<Format>,
    plan: &Plan,
) -> Result<Vec<Fresh>> {
    let mut fresh = Vec::new();
    for &at in &plan.changed {
        if stats[at].1.is_none() {
            // The ingest reports it in its turn.
            continue;
        }
        let mut report = Report::default();
        let mut lines = Vec::new();
        let read = read_file(&files[at], format, &mut report, &mut |line, _, format| {
            let hash = record_hash(&line);
            lines.push((line, format, hash));
            Ok(())
        })?;
        fresh.push(Fresh {
            at,
            lines,
            report,
            format: read,
        });
    }
    Ok(fresh)
}

/// The progress bar of a long ingest on stderr: bytes read of the files' total, files, MB/s
/// and time left. Drawn only when asked for and the files add up to more than a few megabytes,
/// so that a small ingest does not flash one.
struct Progress {
    bar: Option<ProgressBar>,
    files: usize,
    started: usize,
    last: u64,
}

impl Progress {
    /// Below this many bytes no bar is drawn.
    const WORTH_SHOWING: u64 = 16 * 1024 * 1024;

    fn new(show: bool, stats: &[(String, Option<(u64, u128)>)]) -> Progress {
        let total: u64 = stats
            .iter()
            .filter_map(|(_, s)| s.map(|(len, _)| len))
            .sum();
        let bar = (show && total >= Self::WORTH_SHOWING).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let template = "{wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {msg} ETA {eta}";
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            files: stats.len(),
            started: 0,
            last: 0,
        }
    }

    /// A file of `len` bytes is about to be read: the one before it is done.
    fn file(&mut self, len: u64) {
        self.started += 1;
        if let Some(bar) = &self.bar {
            bar.inc(self.last);
            bar.set_message(format!("{}/{} files", self.started, self.files));
        }
        self.last = len;
    }

    /// Every file is read; what is left is writing the index.
    fn finishing(&mut self) {
        if let Some(bar) = &self.bar {
            bar.inc(self.last);
            bar.set_message(format!("{} files, writing the index", self.files));
        }
        self.last = 0;
    }

    /// The index is committed: the bar is removed, for the summary to take its place.
    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The manifest of the index's last commit, if it has one this version can use.
fn previous_manifest(index: &Path) -> Option<Manifest> {
    let store = Store::open(index).ok()?;
    let name = store.payload().manifest.clone()?;
    cache::load_manifest(index, &name)
}

/// Collects the files under `path` in sorted order. Hidden entries, README-like files and
/// files of no known format are passed over in directories, but read when named. Directory
/// symlinks are followed once; a loop is reported, not followed.
fn walk(
    path: &Path,
    named: bool,
    visited: &mut HashSet<PathBuf>,
    files: &mut Vec<PathBuf>,
    report: &mut Report,
) {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) => {
            let reason = if fs::symlink_metadata(path).is_ok_and(|m| m.is_symlink()) {
                format!("broken or looping symlink: {err}")
            } else {
                format!("cannot read: {err}")
            };
            report.skip(path, reason, true);
            return;
        }
    };
    if meta.is_file() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let stem = name.split('.').next().unwrap_or_default();
        if name == config::FILE_NAME || name == crate::annotations::FILE_NAME {
            report.skip(path, "corpus configuration (rules or annotations)", false);
            return;
        }
        if !named && NOT_CORPUS.contains(&stem) {
            report.skip(path, "describes the corpus (name it to ingest it)", false);
            return;
        }
        match Format::detect(path, "") {
            Err(Pass::Unknown) if !named => {
                report.skip(path, "not a format florilegium reads", false);
            }
            Err(Pass::FortuneCompanion) if !named => {
                report.skip(path, "companion of a fortune file", false);
            }
            _ => files.push(path.to_path_buf()),
        }
        return;
    }
    if !meta.is_dir() {
        report.skip(path, "not a regular file or directory", false);
        return;
    }
    let canonical = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if !visited.insert(canonical) {
        report.skip(path, "directory already read (a symlink loop?)", false);
        return;
    }
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(err) => {
            report.skip(path, format!("cannot list the directory: {err}"), true);
            return;
        }
    };
    let mut children: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) if !entry.file_name().to_string_lossy().starts_with('.') => {
                children.push(entry.path());
            }
            Ok(_) => {}
            Err(err) => report.skip(path, format!("cannot list the directory: {err}"), true),
        }
    }
    children.sort();
    for child in children {
        walk(&child, false, visited, files, report);
    }
}

/// Reads one file and hands what it parses to `sink`, line by line of the cache, in pieces for
/// a large file whose format allows it. Returns the format read, or `None` when the file was
/// skipped (and reported).
fn read_file(
    path: &Path,
    format: Option<Format>,
    report: &mut Report,
    sink: &mut impl FnMut(Line, &mut Report, Format) -> Result<()>,
) -> Result<Option<Format>> {
    let shown = display(path);
    let opened = File::open(path).and_then(|f| Ok((f.metadata()?.len(), f)));
    let (len, file) = match opened {
        Ok(opened) => opened,
        Err(err) => {
            report.skip(path, format!("cannot read: {err}"), true);
            return Ok(None);
        }
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let head = match reader.fill_buf() {
        Ok(head) => head[..head.len().min(HEAD)].to_vec(),
        Err(err) => {
            report.skip(path, format!("cannot read: {err}"), true);
            return Ok(None);
        }
    };
    if head.iter().all(|b| b.is_ascii_whitespace()) && len <= head.len() as u64 {
        report.skip(path, "empty file", false);
        return Ok(None);
    }
    if head.contains(&0) {
        report.skip(path, "binary file (a NUL byte in its first 8 KiB)", false);
        return Ok(None);
    }
    let format = match format {
        Some(format) => format,
        None => Format::detect(path, &decode_head(&head)).unwrap_or(Format::Plain),
    };
    let boundary = boundary(format);
    let mut pieces = Pieces::new(reader, &shown, PIECE);
    let whole = len <= LARGE || boundary.is_none();
    loop {
        let piece = if whole {
            pieces.whole()
        } else {
            pieces.next(format, boundary.unwrap_or(|_, _| false))
        };
        let piece = match piece {
            Ok(Some(piece)) => piece,
            Ok(None) => break,
            Err(err) => {
                report.skip(path, format!("cannot read: {err}"), true);
                return Ok(None);
            }
        };
        if let Some(warning) = piece.encoding_warning {
            sink(Line::Notice(warning), report, format)?;
        }
        let input = Input {
            path: &shown,
            text: &piece.text,
            first_line: piece.first_line,
        };
        let parsed = source::parse(format, &input);
        for warning in parsed.warnings {
            sink(Line::Warning(warning), report, format)?;
        }
        for record in parsed.records {
            sink(Line::Record(Box::new(record)), report, format)?;
        }
        if whole {
            break;
        }
    }
    Ok(Some(format))
}

/// Where a large file of a format may be cut: after a line for which this returns true.
/// `in_quotes` tracks an open CSV quote across lines.
type Boundary = fn(&str, &mut bool) -> bool;

fn boundary(format: Format) -> Option<Boundary> {
    match format {
        Format::Fortune => Some(|line, _| line.trim_end() == "%"),
        Format::Jsonl => Some(|_, _| true),
        Format::Plain => Some(|line, _| line.trim().is_empty()),
        Format::Csv => Some(|line, in_quotes| {
            if line.matches('"').count() % 2 == 1 {
                *in_quotes = !*in_quotes;
            }
            !*in_quotes
        }),
        Format::TopicPage | Format::Markdown | Format::Json => None,
    }
}

/// A decoded run of lines.
struct Piece {
    text: String,
    first_line: u32,
    encoding_warning: Option<Warning>,
}

/// Reads a file whole or in pieces cut at format boundaries.
struct Pieces<'a, R> {
    reader: R,
    path: &'a str,
    /// A CSV file's header line, repeated at the top of every later piece.
    csv_header: Option<String>,
    next_line: u32,
    warned_encoding: bool,
    /// Bytes after which a piece is cut at the next boundary.
    piece: usize,
}

impl<'a, R: BufRead> Pieces<'a, R> {
    fn new(reader: R, path: &'a str, piece: usize) -> Self {
        Pieces {
            reader,
            path,
            csv_header: None,
            next_line: 1,
            warned_encoding: false,
            piece,
        }
    }

    fn whole(&mut self) -> std::io::Result<Option<Piece>> {
        let mut bytes = Vec::new();
        self.reader.read_to_end(&mut bytes)?;
        Ok(Some(self.decode(&bytes, 1)))
    }

    fn next(&mut self, format: Format, boundary: Boundary) -> std::io::Result<Option<Piece>> {
        let first_line = self.next_line;
        let mut bytes = Vec::with_capacity(self.piece.saturating_add(4096));
        let mut in_quotes = false;
        let mut line = Vec::new();
        loop {
            line.clear();
            if self.reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            self.next_line = self.next_line.saturating_add(1);
            bytes.extend_from_slice(&line);
            let text = String::from_utf8_lossy(&line);
            let cut = boundary(&text, &mut in_quotes);
            if format == Format::Csv && self.csv_header.is_none() {
                self.csv_header = Some(text.into_owned());
            }
            if cut && bytes.len() >= self.piece {
                break;
            }
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        match (&self.csv_header, first_line > 1) {
            (Some(header), true) => {
                // A later CSV piece gets the header again, numbered as the line before it.
                let mut with_header = header.clone().into_bytes();
                if !with_header.ends_with(b"\n") {
                    with_header.push(b'\n');
                }
                with_header.extend_from_slice(&bytes);
                Ok(Some(self.decode(&with_header, first_line - 1)))
            }
            _ => Ok(Some(self.decode(&bytes, first_line))),
        }
    }

    /// UTF-8 when it is, else Windows-1252 with one warning for the file.
    fn decode(&mut self, bytes: &[u8], first_line: u32) -> Piece {
        match std::str::from_utf8(bytes) {
            Ok(text) => Piece {
                text: text.to_string(),
                first_line,
                encoding_warning: None,
            },
            Err(err) => {
                let line = first_line.saturating_add(
                    u32::try_from(
                        bytes[..err.valid_up_to()]
                            .iter()
                            .filter(|b| **b == b'\n')
                            .count(),
                    )
                    .unwrap_or(u32::MAX),
                );
                let warning = (!self.warned_encoding).then(|| Warning {
                    path: self.path.to_string(),
                    line,
                    message: "not UTF-8; read as Windows-1252".to_string(),
                });
                self.warned_encoding = true;
                Piece {
                    text: windows_1252(bytes),
                    first_line,
                    encoding_warning: warning,
                }
            }
        }
    }
}

/// The head of a file as text, for format detection: UTF-8 up to a character cut at the end,
/// else Windows-1252.
fn decode_head(head: &[u8]) -> String {
    match std::str::from_utf8(head) {
        Ok(text) => text.to_string(),
        Err(err) if err.error_len().is_none() => {
            String::from_utf8_lossy(&head[..err.valid_up_to()]).into_owned()
        }
        Err(_) => windows_1252(head),
    }
}

/// Decodes Windows-1252. Bytes 0x80–0x9F take their Windows-1252 characters; the five bytes
/// that code page leaves undefined map to the C1 controls of the same value, as browsers do, so
/// no byte is ever lost to U+FFFD.
pub fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// A path as records and messages show it: `/` separators, no leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_is_drawn_only_when_asked_and_worth_it() {
        let big = vec![("a".to_string(), Some((Progress::WORTH_SHOWING, 0)))];
        let small = vec![("a".to_string(), Some((1024, 0))), ("b".to_string(), None)];
        assert!(Progress::new(true, &big).bar.is_some());
        assert!(Progress::new(false, &big).bar.is_none());
        assert!(Progress::new(true, &small).bar.is_none());
        let mut progress = Progress::new(true, &big);
        progress.file(Progress::WORTH_SHOWING);
        progress.finishing();
        let position = progress.bar.as_ref().map(|b| b.position());
        assert_eq!(position, Some(Progress::WORTH_SHOWING));
        progress.done();
    }

    #[test]
    fn windows_1252_keeps_every_byte() {
        assert_eq!(
            windows_1252(b"caf\xe9 \x93quoted\x94 \x80"),
            "café “quoted” €"
        );
        let all: Vec<u8> = (0..=255).collect();
        let text = windows_1252(&all);
        assert_eq!(text.chars().count(), 256);
        assert!(!text.contains('\u{fffd}'));
    }

    #[test]
    fn pieces_cut_at_boundaries_and_repeat_the_csv_header() {
        let mut text = String::from("quote,author\n");
        for n in 0..500 {
            text.push_str(&format!("\"Line {n},\nwith a break\",Someone\n"));
        }
        let original: Vec<&str> = text.lines().collect();
        let mut pieces = Pieces::new(std::io::Cursor::new(text.as_bytes()), "q.csv", 1000);
        let boundary = boundary(Format::Csv).unwrap_or(|_, _| false);
        let mut data_lines = 0;
        let mut count = 0;
        while let Ok(Some(piece)) = pieces.next(Format::Csv, boundary) {
            count += 1;
            let lines: Vec<&str> = piece.text.lines().collect();
            assert_eq!(lines[0], "quote,author");
            // Each line sits at its own number in the file: the header copy is numbered as
            // the line before the piece.
            for (i, line) in lines.iter().enumerate().skip(1) {
                assert_eq!(original[piece.first_line as usize - 1 + i], *line);
            }
            // Pieces end outside quotes: every row is whole.
            assert_eq!(piece.text.matches('"').count() % 2, 0);
            data_lines += lines.len() - 1;
        }
        assert!(count > 10, "{count} pieces");
        assert_eq!(data_lines, 1000);
    }

    #[test]
    fn fortune_pieces_end_after_a_separator() {
        let text = "A saying.\n%\n".repeat(1000);
        let mut pieces = Pieces::new(std::io::Cursor::new(text.as_bytes()), "f", 100);
        let boundary = boundary(Format::Fortune).unwrap_or(|_, _| false);
        let mut next = 1;
        while let Ok(Some(piece)) = pieces.next(Format::Fortune, boundary) {
            assert!(piece.text.ends_with("%\n"));
            assert_eq!(piece.first_line, next);
            next += u32::try_from(piece.text.lines().count()).unwrap_or(0);
        }
        assert_eq!(next, 2001);
    }
}
