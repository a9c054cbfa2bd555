//! The spine: first-use build, the record contract on the reference page, search, filters,
//! show, and exit codes.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::{RecordV1, Workspace, root};

const REFERENCE: &str = "corpus/000_e4b4b965bddefa06.txt";

fn taft(records: &[RecordV1]) -> &RecordV1 {
    records
        .iter()
        .find(|r| {
            r.author
                .as_ref()
                .is_some_and(|a| a.name == "William Howard Taft")
        })
        .expect("the Taft quotation is among the records")
}

#[test]
fn first_use_builds_the_index_and_finds_taft() {
    let ws = Workspace::with_corpus();
    let run = ws.flor(&["quotes", "invasion"]);
    run.expect_code(0);
    assert!(
        run.stderr().contains("building it from corpus/"),
        "{}",
        run.stderr()
    );
    let out = run.stdout();
    assert!(out.contains("William Howard Taft (1857–1930)"), "{out}");
    assert!(out.contains(&format!("{REFERENCE}:11-12")), "{out}");
    // The corpus files the same quotation under "army" on another page: one record, both keywords.
    assert!(out.contains("filed under army, invasion"), "{out}");
    assert!(
        out.contains("also in corpus/001_battle_of_qadisiyyah.txt:30-31"),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    // The second run finds the index and builds nothing.
    let again = ws.flor(&["quotes", "invasion"]);
    again.expect_code(0);
    assert!(!again.stderr().contains("building"), "{}", again.stderr());
}

#[test]
fn reference_page_records_meet_the_contract() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest", REFERENCE]).expect_code(0);
    let records = ws
        .flor(&["search", "*", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert_eq!(records.len(), 2);

    let passage = records
        .iter()
        .find(|r| r.kind == "passage")
        .expect("a passage");
    assert!(passage.id.starts_with("p-"));
    assert_eq!(passage.title.as_deref(), Some("Muslim Conquest of Persia"));
    assert_eq!(
        passage.section.as_deref(),
        Some("Second Invasion of Mesopotamia (636)")
    );
    assert_eq!(passage.topic.as_deref(), Some("Muslim Conquest Of Persia"));
    assert_eq!(passage.years, vec![635, 636]);
    assert!(passage.author.is_none());
    assert_eq!(passage.sources.len(), 1);
    assert_eq!(passage.sources[0].path, REFERENCE);
    assert_eq!(
        (passage.sources[0].line_start, passage.sources[0].line_end),
        (5, 5)
    );
    assert!(passage.text.contains("During Abu Bakr’s era"));
    assert!(passage.score.is_some());

    let quote = taft(&records);
    assert!(quote.id.starts_with("q-"));
    assert_eq!(quote.kind, "quote");
    assert_eq!(quote.keywords, vec!["invasion"]);
    assert!(
        quote
            .text
            .starts_with("We should have an army so organized")
    );
    assert!(quote.text.ends_with("the name of President Monroe."));
    assert!(!quote.text.contains("  ") && !quote.text.contains('\r'));
    let author = quote.author.as_ref().expect("author");
    assert_eq!(
        (author.born, author.died, author.circa),
        (Some(1857), Some(1930), false)
    );
    assert_eq!(author.raw, "William Howard Taft (1857–1930)");
    assert_eq!(
        (quote.sources[0].line_start, quote.sources[0].line_end),
        (11, 12)
    );
}

#[test]
fn ids_are_stable_across_ingests_and_places() {
    let ids = || {
        let ws = Workspace::with_corpus();
        ws.flor(&["ingest"]).expect_code(0);
        let mut ids: Vec<String> = ws
            .flor(&["search", "*", "--limit", "1000", "--format", "jsonl"])
            .records()
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        ids
    };
    let first = ids();
    assert!(first.len() >= 2);
    assert_eq!(first, ids());
}

#[test]
fn json_format_is_one_array_of_records() {
    let ws = Workspace::with_corpus();
    let run = ws
        .flor(&["quotes", "invasion", "--format", "json"])
        .expect_code(0)
        .stdout();
    let records: Vec<RecordV1> = serde_json::from_str(&run).expect("a JSON array of records");
    let taft = taft(&records);
    assert_eq!(taft.keywords, vec!["army", "invasion"]);
    let mut lines: Vec<(u32, u32)> = taft
        .sources
        .iter()
        .map(|s| (s.line_start, s.line_end))
        .collect();
    lines.sort();
    assert_eq!(lines, vec![(11, 12), (30, 31)]);
}

#[test]
fn a_quotation_on_two_pages_is_found_once() {
    let ws = Workspace::with_corpus();
    for word in ["army", "invasion"] {
        let records = ws
            .flor(&["quotes", word, "--limit", "100", "--format", "jsonl"])
            .expect_code(0)
            .records();
        let tafts = records
            .iter()
            .filter(|r| {
                r.author
                    .as_ref()
                    .is_some_and(|a| a.name == "William Howard Taft")
            })
            .count();
        assert_eq!(tafts, 1, "quotes {word}: {records:?}");
    }
}

#[test]
fn search_stems_phrases_and_booleans() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest", REFERENCE]).expect_code(0);
    let kinds = |query: &str| -> Vec<String> {
        let run = ws.flor(&["search", query, "--format", "jsonl"]);
        run.records().into_iter().map(|r| r.kind).collect()
    };
    // "invasions" stems to the same word as "invasion" (quote text and page section).
    assert_eq!(kinds("invasions").len(), 2);
    assert_eq!(kinds("\"battle of bridge\""), vec!["passage"]);
    assert_eq!(kinds("\"bridge of battle\""), Vec::<String>::new());
    assert_eq!(kinds("army AND militia"), vec!["quote"]);
    assert_eq!(kinds("army -militia"), vec!["passage"]);
    assert_eq!(kinds("army NOT militia"), vec!["passage"]);
    assert_eq!(kinds("author:taft"), vec!["quote"]);
    // Accents are folded: "Yazdegérd" finds "Yazdegerd".
    assert_eq!(kinds("Yazdegérd"), vec!["passage"]);
}

#[test]
fn filters_narrow_results() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest", REFERENCE]).expect_code(0);
    let count = |args: &[&str]| -> usize {
        let mut all = vec!["search", "*", "--format", "jsonl"];
        all.extend_from_slice(args);
        ws.flor(&all).records().len()
    };
    assert_eq!(count(&[]), 2);
    assert_eq!(count(&["--kind", "quote"]), 1);
    assert_eq!(count(&["--kind", "passage"]), 1);
    assert_eq!(count(&["--author", "Taft"]), 1);
    assert_eq!(count(&["--author", "howard taft"]), 1);
    assert_eq!(count(&["--author", "lincoln"]), 0);
    assert_eq!(count(&["--keyword", "Invasion"]), 1);
    assert_eq!(count(&["--keyword", "army"]), 0);
    assert_eq!(count(&["--topic", "conquest of persia"]), 2);
    assert_eq!(count(&["--year", "600..700"]), 1);
    assert_eq!(count(&["--year", "636"]), 1);
    // A quote matches the years of its author's life.
    assert_eq!(count(&["--year", "1900.."]), 1);
    assert_eq!(count(&["--year", "..100"]), 0);
}

#[test]
fn limit_offset_and_clamping() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest", REFERENCE]).expect_code(0);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["search", "*", "--format", "jsonl"];
        all.extend_from_slice(args);
        ws.flor(&all).records().into_iter().map(|r| r.id).collect()
    };
    let all = ids(&["--limit", "1000000"]);
    assert_eq!(all.len(), 2);
    assert_eq!(ids(&["--limit", "1"]), all[..1].to_vec());
    assert_eq!(ids(&["--limit", "1", "--offset", "1"]), all[1..].to_vec());
    ws.flor(&["search", "*", "--offset", "5"]).expect_code(1);
    ws.flor(&["search", "*", "--limit", "0"]).expect_code(2);

    let more = ws.flor(&["search", "*", "--limit", "1"]);
    assert!(
        more.stderr().contains("flor: 1 hit shown and more match"),
        "{}",
        more.stderr()
    );
    let counted = ws.flor(&["search", "*", "--limit", "1", "--count"]);
    assert!(
        counted.stderr().contains("flor: 1 of 2 hits shown"),
        "{}",
        counted.stderr()
    );
    let everything = ws.flor(&["search", "*", "--limit", "2"]);
    assert!(
        !everything.stderr().contains("more match"),
        "{}",
        everything.stderr()
    );
}

#[test]
fn quotes_filed_under_a_word_rank_before_quotes_containing_it() {
    let ws = Workspace::empty();
    ws.write(
        "corpus/page.txt",
        "Page - Army\n\nArmy\n\nText about an army.\n\n\
         Famous quotes containing the word army:\n\n\
         \x20   An army marches on its stomach.\n    Anonymous\n\n\
         Famous quotes containing the word bread:\n\n\
         \x20   Bread for the army, and bread again, and the army ate the army's bread.\n    Somebody Else\n",
    );
    ws.flor(&["ingest", "corpus"]).expect_code(0);
    let records = ws
        .flor(&["quotes", "army", "--format", "jsonl"])
        .expect_code(0)
        .records();
    let authors: Vec<&str> = records
        .iter()
        .map(|r| r.author.as_ref().map_or("", |a| a.name.as_str()))
        .collect();
    assert_eq!(authors, vec!["Anonymous", "Somebody Else"]);
    assert!(records.iter().all(|r| r.kind == "quote"));
    // Several words must all match.
    let both = ws
        .flor(&["quotes", "army", "bread", "--format", "jsonl"])
        .records();
    assert_eq!(both.len(), 1);
}

#[test]
fn show_prints_whole_records() {
    let ws = Workspace::with_corpus();
    let records = ws
        .flor(&["quotes", "invasion", "--format", "jsonl"])
        .records();
    let id = taft(&records).id.clone();
    let text = ws.flor(&["show", &id]).expect_code(0).stdout();
    for expected in [
        id.as_str(),
        "William Howard Taft",
        "1857",
        "1930",
        "Muslim Conquest Of Persia",
        "invasion",
        "corpus/000_e4b4b965bddefa06.txt:11-12",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from\n{text}");
    }
    let shown = ws
        .flor(&["show", &id, "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].id, id);
    assert!(shown[0].score.is_none());
    let missing = ws.flor(&["show", "q-0000000000000000"]);
    missing.expect_code(1);
    assert!(
        missing.stderr().contains("no record with id"),
        "{}",
        missing.stderr()
    );
}

#[test]
fn exit_codes_and_messages() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    ws.flor(&["search", "zeppelin"]).expect_code(1);
    let bad = ws.flor(&["search", "text:("]);
    bad.expect_code(2);
    assert!(
        bad.stderr().contains("cannot read the query"),
        "{}",
        bad.stderr()
    );
    let unknown = ws.flor(&["search", "nosuchfield:x"]);
    unknown.expect_code(2);
    assert!(
        unknown.stderr().contains("nosuchfield"),
        "{}",
        unknown.stderr()
    );
    let reversed = ws.flor(&["search", "*", "--year", "1900..1800"]);
    reversed.expect_code(2);
    assert!(
        reversed.stderr().contains("reversed"),
        "{}",
        reversed.stderr()
    );
    let missing = ws.flor(&["search", "army", "--index", "elsewhere"]);
    missing.expect_code(2);
    assert!(
        missing.stderr().contains("no index at elsewhere"),
        "{}",
        missing.stderr()
    );
    ws.flor(&["frobnicate"]).expect_code(2);
    ws.flor(&["ingest", "no/such/path"]).expect_code(2);
}

#[test]
fn index_location_from_the_environment() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest", "--index", "other"]).expect_code(0);
    let run = ws.flor_with(&["quotes", "invasion"], &[("FLOR_INDEX", "other")]);
    run.expect_code(0);
    assert!(!run.stderr().contains("building"), "{}", run.stderr());
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let ws = Workspace::with_corpus();
    let always = ws
        .flor(&["quotes", "invasion", "--color", "always"])
        .stdout();
    assert!(always.contains("\x1b[1;31minvasion\x1b[0m"), "{always}");
    let never = ws
        .flor(&["quotes", "invasion", "--color", "never"])
        .stdout();
    assert!(!never.contains('\x1b'));
}

#[test]
fn a_bad_file_is_reported_and_the_rest_is_committed() {
    let ws = Workspace::with_corpus();
    ws.write("corpus/unreadable.txt", "A page\n\nIts text.\n");
    let unreadable = ws.path().join("corpus/unreadable.txt");
    std::fs::remove_file(&unreadable).expect("remove");
    std::os::unix::fs::symlink("nowhere.txt", &unreadable).expect("make a broken symlink");
    ws.write(
        "corpus/misplaced.txt",
        "Page - Part\n\nBody text.\n\nFamous quotes containing the word x:\n\n    — Nobody (1900–1950)\n",
    );
    let run = ws.flor(&["ingest"]);
    run.expect_code(1);
    let err = run.stderr();
    assert!(
        err.contains("skipped corpus/unreadable.txt: broken or looping symlink"),
        "{err}"
    );
    assert!(
        err.contains("corpus/misplaced.txt:7: an attribution line without quotation text"),
        "{err}"
    );
    ws.flor(&["quotes", "invasion"]).expect_code(0);
    ws.flor(&["search", "\"body text\""]).expect_code(0);
}

#[test]
fn a_failed_ingest_leaves_the_previous_index_searchable() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    ws.flor(&["ingest", "corpus", "missing-dir"]).expect_code(2);
    ws.flor(&["quotes", "invasion"]).expect_code(0);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let ws = Workspace::empty();
    let mut page = String::from("Many Paragraphs\n\n");
    for n in 0..3000 {
        page.push_str(&format!(
            "Paragraph number {n} tells of the army and its long march.\n\n"
        ));
    }
    ws.write("corpus/many.txt", page);
    ws.flor(&["ingest"]).expect_code(0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_flor"))
        .args(["search", "army", "--limit", "3000", "--format", "jsonl"])
        .current_dir(ws.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn flor");
    let mut first = [0u8; 16];
    let mut stdout = child.stdout.take().expect("stdout");
    stdout.read_exact(&mut first).expect("read the first bytes");
    drop(stdout);
    let output = child.wait_with_output().expect("wait for flor");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_shipped_reference_page_is_the_seed_byte_for_byte() {
    let shipped = std::fs::read(root().join(REFERENCE)).expect("read the shipped page");
    assert_eq!(shipped.len(), 2068);
    assert!(
        !shipped.ends_with(b"\n"),
        "the reference page has no final newline"
    );
    let text = String::from_utf8(shipped).expect("UTF-8");
    assert!(text.contains("Abu Bakr\u{2019}s era"));
    assert!(text.contains("(1857\u{2013}1930)"));
    assert!(text.contains("topic:\u{a0} Muslim"));
}
