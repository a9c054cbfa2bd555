//! Every source format through the real binary: detection, the report, bad input that loses
//! nothing, generated lists with thousands of rows, and Debian's `fortunes` package.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use serde::Deserialize;

use crate::{RecordV1, Workspace};

/// The `--report` JSON.
#[derive(Debug, Deserialize)]
struct Report {
    files_ingested: usize,
    files_skipped: Vec<SkippedV1>,
    records: Counts,
    occurrences: Counts,
    warnings: Vec<WarningV1>,
}

#[derive(Debug, Deserialize)]
struct SkippedV1 {
    path: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
struct Counts {
    passage: usize,
    quote: usize,
}

#[derive(Debug, Deserialize)]
struct WarningV1 {
    path: String,
    line: u32,
    message: String,
}

fn ingest_with_report(ws: &Workspace, args: &[&str], code: i32) -> Report {
    let mut all = vec!["ingest", "--report", "report.json"];
    all.extend_from_slice(args);
    ws.flor(&all).expect_code(code);
    let text = fs::read_to_string(ws.path().join("report.json")).expect("read the report");
    serde_json::from_str(&text).expect("a report")
}

fn dump(ws: &Workspace) -> Vec<RecordV1> {
    ws.flor(&["search", "*", "--limit", "10000000", "--format", "jsonl"])
        .records()
}

#[test]
fn each_format_is_detected_and_read() {
    let ws = Workspace::empty();
    ws.write(
        "in/sayings",
        "Fortune one.\n%\nFortune two,\n  on two lines.\n\t\t-- Mark Twain\n%\n",
    );
    ws.write("in/sayings.dat", b"\x00\x00\x00\x02binary index");
    ws.write(
        "in/notes.md",
        "# Persia\n\n## The fall\n\nThe empire fell in 651.\n\n> All warfare is based on deception.\n\n— Sun Tzu (c. 544–496 B.C.), The Art of War\n",
    );
    ws.write(
        "in/list.json",
        r#"[{"quote": "Veni, vidi, vici.", "author": "Julius Caesar (100–44 B.C.)", "tags": ["war", "Victory"]}]"#,
    );
    ws.write(
        "in/lines.jsonl",
        "{\"text\": \"Know thyself.\", \"quoteAuthor\": \"Socrates\"}\n",
    );
    ws.write(
        "in/table.csv",
        "quote,author,category\n\"Carthage must be destroyed.\",Cato the Elder,war\n",
    );
    ws.write(
        "in/prose.txt",
        "It was late in the year when the army crossed the river.\nNobody slept.\n\nThe next day was quiet.\n",
    );
    ws.write("in/picture.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    ws.write("in/empty.txt", "");
    let report = ingest_with_report(&ws, &["in"], 0);
    assert_eq!(report.files_ingested, 6, "{report:?}");
    let skipped: HashMap<&str, &str> = report
        .files_skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason.as_str()))
        .collect();
    assert!(skipped["in/sayings.dat"].contains("fortune"), "{skipped:?}");
    assert!(
        skipped["in/picture.png"].contains("not a format"),
        "{skipped:?}"
    );
    assert!(skipped["in/empty.txt"].contains("empty"), "{skipped:?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    let records = dump(&ws);
    let by_text = |needle: &str| -> &RecordV1 {
        records
            .iter()
            .find(|r| r.text.contains(needle))
            .unwrap_or_else(|| panic!("no record contains {needle:?}"))
    };
    let twain = by_text("Fortune two");
    assert_eq!(twain.kind, "quote");
    assert_eq!(
        twain.author.as_ref().map(|a| a.name.as_str()),
        Some("Mark Twain")
    );
    assert_eq!(
        by_text("Fortune one")
            .author
            .as_ref()
            .map(|a| a.name.as_str()),
        None
    );
    let sun = by_text("All warfare");
    assert_eq!(sun.kind, "quote");
    assert_eq!(sun.title.as_deref(), Some("Persia"));
    let author = sun.author.as_ref().expect("Sun Tzu");
    assert_eq!(
        (author.born, author.died, author.circa),
        (Some(-544), Some(-496), true)
    );
    let fell = by_text("The empire fell");
    assert_eq!(fell.kind, "passage");
    assert_eq!(fell.section.as_deref(), Some("The fall"));
    assert_eq!(fell.years, vec![651]);
    let caesar = by_text("Veni");
    assert_eq!(caesar.author.as_ref().and_then(|a| a.died), Some(-44));
    assert_eq!(caesar.keywords, vec!["victory", "war"]);
    assert_eq!(
        by_text("Know thyself")
            .author
            .as_ref()
            .map(|a| a.name.as_str()),
        Some("Socrates")
    );
    assert_eq!(by_text("Carthage").keywords, vec!["war"]);
    assert_eq!(by_text("Nobody slept").kind, "passage");
    assert_eq!(report.records.quote, 6);
    assert_eq!(report.records.passage, 3);
}

#[test]
fn input_format_overrides_detection() {
    let ws = Workspace::empty();
    ws.write("in/quotes.txt", "One.\n%\nTwo.\n");
    ws.flor(&["ingest", "in", "--input-format", "plain"])
        .expect_code(0);
    let kinds: Vec<String> = dump(&ws).into_iter().map(|r| r.kind).collect();
    assert!(kinds.iter().all(|k| k == "passage"), "{kinds:?}");
    ws.flor(&["ingest", "in", "--input-format", "fortune"])
        .expect_code(0);
    assert_eq!(dump(&ws).len(), 2);
    let bad = ws.flor(&["ingest", "in", "--input-format", "docx"]);
    bad.expect_code(2);
    assert!(bad.stderr().contains("topic-page"), "{}", bad.stderr());
}

#[test]
fn windows_1252_text_is_decoded_and_findable() {
    let ws = Workspace::empty();
    ws.write(
        "in/old.txt",
        b"Caf\xe9 society\n\nThe \x93caf\xe9\x94 was full in 1920.\n",
    );
    let report = ingest_with_report(&ws, &["in"], 0);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(report.warnings[0].path, "in/old.txt");
    assert!(report.warnings[0].message.contains("Windows-1252"));
    let hits = ws
        .flor(&["search", "café", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert!(
        hits.iter()
            .any(|r| r.text == "The “café” was full in 1920."),
        "{hits:?}"
    );
    assert!(hits.iter().all(|r| !r.text.contains('\u{fffd}')));
}

#[test]
fn malformed_records_are_reported_and_the_rest_is_kept() {
    let ws = Workspace::empty();
    ws.write(
        "in/lines.jsonl",
        "{\"text\": \"First.\"}\n{\"text\": broken\n{\"text\": \"Third.\"}\n",
    );
    ws.write(
        "in/table.csv",
        "quote,author\n\"Good one.\",A\n\"Unterminated,B\nAnother good one.,C\n",
    );
    ws.write(
        "in/page.txt",
        "Page - Part\n\nBody.\n\nFamous quotes containing the word x:\n\n    — Nobody (1900–1950)\n\n    Kept.\n    Somebody\n",
    );
    let report = ingest_with_report(&ws, &["in"], 1);
    let places: HashSet<(String, u32)> = report
        .warnings
        .iter()
        .map(|w| (w.path.clone(), w.line))
        .collect();
    assert!(
        places.contains(&("in/lines.jsonl".to_string(), 2)),
        "{:?}",
        report.warnings
    );
    assert!(
        places.contains(&("in/table.csv".to_string(), 3)),
        "{:?}",
        report.warnings
    );
    assert!(
        places.contains(&("in/page.txt".to_string(), 7)),
        "{:?}",
        report.warnings
    );
    let texts: HashSet<String> = dump(&ws).into_iter().map(|r| r.text).collect();
    for kept in [
        "First.",
        "Third.",
        "Good one.",
        "Another good one.",
        "Kept.",
        "Body.",
    ] {
        assert!(texts.contains(kept), "{kept:?} missing from {texts:?}");
    }
    assert!(report.warnings.iter().all(|w| !w.message.is_empty()));
}

#[test]
fn unreadable_and_looping_paths_are_reported() {
    use std::os::unix::fs::symlink;
    let ws = Workspace::empty();
    ws.write("in/good.txt", "Good page\n\nSome text.\n");
    symlink("missing.txt", ws.path().join("in/broken.txt")).expect("symlink");
    symlink(".", ws.path().join("in/loop")).expect("symlink");
    symlink("self-a", ws.path().join("in/self-b")).expect("symlink");
    symlink("self-b", ws.path().join("in/self-a")).expect("symlink");
    let report = ingest_with_report(&ws, &["in"], 1);
    assert_eq!(report.files_ingested, 1);
    let reasons: HashMap<&str, &str> = report
        .files_skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason.as_str()))
        .collect();
    assert!(reasons["in/broken.txt"].contains("symlink"), "{reasons:?}");
    assert!(reasons["in/self-a"].contains("symlink"), "{reasons:?}");
    assert!(reasons.contains_key("in/loop"), "{reasons:?}");
    assert_eq!(dump(&ws).len(), 1);
}

#[test]
fn thousands_of_json_and_csv_rows() {
    let ws = Workspace::empty();
    let rows = 5000;
    let mut json = String::from("[\n");
    let mut csv = String::from("quote,author,category\n");
    for n in 0..rows {
        let comma = if n + 1 < rows { "," } else { "" };
        json.push_str(&format!(
            "  {{\"quoteText\": \"Json saying number {n}.\", \"quoteAuthor\": \"Author {}\"}}{comma}\n",
            n % 97
        ));
        csv.push_str(&format!(
            "\"Csv saying, number {n}.\",Author {},\"tag{}\"\n",
            n % 89,
            n % 7
        ));
    }
    json.push_str("]\n");
    ws.write("in/list.json", json);
    ws.write("in/list.csv", csv);
    let report = ingest_with_report(&ws, &["in"], 0);
    assert_eq!(report.records.quote, 2 * rows);
    assert_eq!(report.occurrences.quote, 2 * rows);
    let records = dump(&ws);
    assert_eq!(records.len(), 2 * rows);
    let last = records
        .iter()
        .find(|r| r.text == format!("Json saying number {}.", rows - 1))
        .expect("the last JSON row");
    assert_eq!(
        last.sources[0].line_start,
        u32::try_from(rows + 1).unwrap_or(0)
    );
    let tagged = ws
        .flor(&[
            "quotes",
            "saying",
            "--keyword",
            "tag3",
            "--limit",
            "100000",
            "--format",
            "jsonl",
        ])
        .records();
    assert_eq!(tagged.len(), (0..rows).filter(|n| n % 7 == 3).count());
}

#[test]
fn project_records_read_back_exactly() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    let before = dump(&ws);
    let export = ws
        .flor(&["search", "*", "--limit", "100000", "--format", "jsonl"])
        .stdout();
    ws.write("again/export.jsonl", export);
    ws.flor(&["ingest", "again", "--index", "again-index"])
        .expect_code(0);
    let after = ws
        .flor(&[
            "search",
            "*",
            "--limit",
            "100000",
            "--format",
            "jsonl",
            "--index",
            "again-index",
        ])
        .records();
    let key = |r: &RecordV1| {
        (
            r.id.clone(),
            r.kind.clone(),
            r.text.clone(),
            r.title.clone(),
            r.section.clone(),
            r.topic.clone(),
            r.keywords.clone(),
            r.years.clone(),
            format!("{:?}", r.author),
        )
    };
    let mut before: Vec<_> = before.iter().map(key).collect();
    let mut after: Vec<_> = after.iter().map(key).collect();
    before.sort();
    after.sort();
    assert_eq!(before, after);
}

/// One `%`-separated record of a fortune file: its last non-blank line and whether that line
/// is a `-- Name` attribution.
struct FortuneRecord {
    last_line: u32,
    attributed: bool,
}

fn fortune_records(text: &str) -> Vec<FortuneRecord> {
    let mut records = Vec::new();
    let mut last: Option<(u32, String)> = None;
    let mut flush = |last: &mut Option<(u32, String)>| {
        if let Some((line, text)) = last.take() {
            records.push(FortuneRecord {
                last_line: line,
                attributed: text.trim_start().starts_with("-- "),
            });
        }
    };
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim_end();
        if line == "%" {
            flush(&mut last);
        } else if !line.trim().is_empty() {
            last = Some((u32::try_from(i + 1).unwrap_or(0), line.to_string()));
        }
    }
    flush(&mut last);
    records
}

/// Debian's `fortunes` package, ingested whole: one quote occurrence per `%` record, and an
/// author for at least 99% of the records that end in a `-- Name` line. `.ci/run` installs
/// the package; without it this test says so and passes vacuously.
#[test]
fn debian_fortunes_package() {
    let dir = Path::new("/usr/share/games/fortunes");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} is missing (apt-get install fortunes)",
            dir.display()
        );
        return;
    }
    let mut expected = 0;
    let mut attributed: HashSet<(String, u32)> = HashSet::new();
    let mut files = 0;
    for entry in fs::read_dir(dir).expect("list fortunes").flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            || name.ends_with(".dat")
            || name.ends_with(".u8")
            || !path.is_file()
        {
            continue;
        }
        let bytes = fs::read(&path).expect("read a fortune file");
        let text = String::from_utf8_lossy(&bytes);
        files += 1;
        for record in fortune_records(&text) {
            expected += 1;
            if record.attributed {
                attributed.insert((path.display().to_string(), record.last_line));
            }
        }
    }
    let ws = Workspace::empty();
    let dir_arg = dir.display().to_string();
    let report = ingest_with_report(&ws, &[&dir_arg], 0);
    assert_eq!(report.files_ingested, files, "{:?}", report.files_skipped);
    assert_eq!(report.occurrences.quote, expected);
    assert_eq!(report.occurrences.passage, 0);

    let records = dump(&ws);
    let occurrences: usize = records.iter().map(|r| r.sources.len()).sum();
    assert_eq!(occurrences, expected);
    let mut with_author = 0;
    for record in &records {
        for source in &record.sources {
            if attributed.contains(&(source.path.clone(), source.line_end))
                && record.author.as_ref().is_some_and(|a| !a.name.is_empty())
            {
                with_author += 1;
            }
        }
    }
    let share = with_author as f64 / attributed.len().max(1) as f64;
    eprintln!(
        "fortunes: {files} files, {expected} records, {} attributed, {with_author} with author ({:.2}%)",
        attributed.len(),
        share * 100.0
    );
    assert!(
        share >= 0.99,
        "only {:.2}% of attributed records got an author",
        share * 100.0
    );
}
