//! Reliability through the real binary: SIGKILL during ingest, concurrent writers and readers,
//! broken indexes, interrupted annotation writes, hostile queries and hostile files. `scripts/crash-test.sh` runs the kill
//! test at scale; this suite runs five kills in CI.

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Workspace;

/// A few MB of generated fortunes and prose, in several files.
fn big_corpus(ws: &Workspace, files: usize, records: usize) {
    for f in 0..files {
        let mut text = String::new();
        for r in 0..records {
            if f % 2 == 0 {
                text.push_str(&format!(
                    "Saying {f}.{r}: the army of the empire crossed the river at dawn.\n\t\t-- Author {}\n%\n",
                    r % 97
                ));
            } else {
                text.push_str(&format!(
                    "Paragraph {f}.{r}: the caliph sent word to the garrison in {}.\n\n",
                    600 + r % 100
                ));
            }
        }
        let name = if f % 2 == 0 {
            format!("big/sayings{f}")
        } else {
            format!("big/prose{f}.txt")
        };
        ws.write(&name, text);
    }
}

fn flor_command(ws: &Workspace, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flor"));
    command
        .args(args)
        .current_dir(ws.path())
        .env_remove("FLOR_INDEX")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// A pseudo-random fraction in [0, 1) from the clock: kill moments differ between runs.
fn fraction(salt: u64) -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mixed = (u64::from(nanos) ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_mul(0x2545_f491_4f6c_dd1d);
    (mixed >> 11) as f64 / (1u64 << 53) as f64
}

#[test]
fn sigkill_during_ingest_never_costs_the_index() {
    let ws = Workspace::empty();
    big_corpus(&ws, 6, 6000);
    let started = Instant::now();
    ws.flor(&["ingest", "big", "--index", "reference"])
        .expect_code(0);
    let took = started.elapsed();
    let reference = ws.dump("reference");
    assert!(reference.len() > 30_000, "{}", reference.len());
    for kill in 0..5u64 {
        let mut args = vec!["ingest", "big", "--index", "index"];
        if kill % 2 == 1 {
            args.push("--rebuild");
        }
        let mut child = flor_command(&ws, &args).spawn().expect("start an ingest");
        std::thread::sleep(took.mul_f64(fraction(kill)));
        let _ = child.kill();
        let _ = child.wait();
        // The index opens with the previous state or the new one; before the first commit
        // there is none yet, and flor says so.
        let opened = ws.flor(&["search", "*", "--index", "index", "--limit", "1"]);
        assert!(
            opened.code() == 0 || opened.stderr().contains("no index at"),
            "kill {kill}: {}",
            opened.stderr()
        );
        ws.flor(&["ingest", "big", "--index", "index"])
            .expect_code(0);
        assert_eq!(ws.dump("index"), reference, "kill {kill}: records differ");
    }
}

#[test]
fn sigkill_during_an_update_in_place_never_costs_the_index() {
    let ws = Workspace::empty();
    big_corpus(&ws, 8, 3000);
    ws.flor(&["ingest", "big"]).expect_code(0);
    for kill in 0..3u64 {
        // One file of eight changes: the ingest updates the index in place.
        let file = ws.path().join(format!("big/prose{}.txt", 2 * kill + 1));
        let mut text = fs::read_to_string(&file).expect("read a file");
        text.push_str(&format!("A late paragraph {kill} about the garrison.\n"));
        fs::write(&file, &text).expect("write a file");
        let started = Instant::now();
        let mut child = flor_command(&ws, &["ingest", "big"])
            .spawn()
            .expect("start an ingest");
        std::thread::sleep(Duration::from_millis(400).mul_f64(fraction(kill)));
        let _ = child.kill();
        let _ = child.wait();
        let took = started.elapsed();
        ws.flor(&["search", "*", "--limit", "1"]).expect_code(0);
        ws.flor(&["ingest", "big"]).expect_code(0);
        ws.flor(&["ingest", "big", "--index", "reference", "--rebuild"])
            .expect_code(0);
        assert_eq!(
            ws.dump("index"),
            ws.dump("reference"),
            "kill {kill} after {took:?}: records differ"
        );
    }
}

#[test]
fn sigkill_during_annotate_never_leaves_a_partial_annotations_file() {
    let ws = Workspace::with_corpus();
    // Thousands of annotations (of records no longer in the corpus, which are kept) make the
    // file large enough that a kill can land while it is written.
    let stale = 40_000;
    let mut text = String::new();
    for i in 0..stale {
        text.push_str(&format!(
            "[q-{i:016x}]\ntags = [\"/theme/kept{i}\"]\nnote = \"a note long enough to take room {i}\"\n\n"
        ));
    }
    ws.write("corpus/annotations.toml", &text);
    ws.flor(&["ingest"]).expect_code(0);
    let taft = "q-a63278945856d5ba";
    let path = ws.path().join("corpus/annotations.toml");
    let started = Instant::now();
    ws.flor(&["annotate", taft, "--tag", "theme/first"])
        .expect_code(0);
    let took = started.elapsed();
    for kill in 0..5u64 {
        let tag = format!("theme/kill{kill}");
        let mut child = flor_command(&ws, &["annotate", taft, "--tag", &tag])
            .spawn()
            .expect("start an annotate");
        std::thread::sleep(took.mul_f64(fraction(kill)));
        let _ = child.kill();
        let _ = child.wait();
        let annotations = florilegium::annotations::load(&path)
            .unwrap_or_else(|err| panic!("kill {kill}: annotations.toml is broken: {err:#}"));
        assert_eq!(annotations.len(), stale + 1, "kill {kill}");
        let tags = annotations
            .get(taft)
            .map(|a| a.tags.clone())
            .unwrap_or_default();
        assert!(
            tags.contains(&"/theme/first".to_string()),
            "kill {kill}: {tags:?}"
        );
    }
    ws.flor(&["annotate", taft, "--tag", "theme/last"])
        .expect_code(0);
    let annotations = florilegium::annotations::load(&path).expect("annotations.toml loads");
    let tags = &annotations[taft].tags;
    assert!(tags.contains(&"/theme/last".to_string()), "{tags:?}");
    ws.flor(&["search", "--tag", "theme/last", "*"])
        .expect_code(0);
}

#[test]
fn a_second_writer_is_refused_and_readers_see_a_snapshot() {
    let ws = Workspace::empty();
    big_corpus(&ws, 4, 8000);
    ws.flor(&["ingest", "big", "--index", "index"])
        .expect_code(0);
    let records = ws.dump("index").len();
    let mut refused = 0;
    for _ in 0..5 {
        let mut first = flor_command(&ws, &["ingest", "big", "--index", "index", "--rebuild"])
            .spawn()
            .expect("start an ingest");
        // While it runs: searches see a whole state, writers are refused at once.
        while first.try_wait().expect("poll").is_none() {
            let started = Instant::now();
            let second = ws.flor(&["ingest", "big", "--index", "index", "--rebuild"]);
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "a writer must not wait"
            );
            if second.code() == 2 {
                assert!(
                    second
                        .stderr()
                        .contains("is being written by another flor process"),
                    "{}",
                    second.stderr()
                );
                refused += 1;
            } else {
                assert_eq!(second.code(), 0, "{}", second.stderr());
            }
            let seen = ws.dump("index").len();
            assert_eq!(
                seen, records,
                "a search sees the previous or the new state, whole"
            );
        }
        let _ = first.wait();
        if refused > 0 {
            break;
        }
    }
    assert!(refused > 0, "no second ingest ever overlapped the first");
    assert_eq!(ws.dump("index").len(), records);
}

#[test]
fn hostile_queries_exit_2_and_point_at_the_problem() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    for (query, says) in [
        (
            "army \"united states",
            "at character 6: this quote is never closed",
        ),
        (
            "(army AND war",
            "at character 1: this parenthesis is never closed",
        ),
        ("army)", "a closing parenthesis without an opening one"),
        (
            "war OR nosuch:army",
            "at character 8: there is no field \"nosuch\"; the fields are id, kind, text, title",
        ),
        ("army\u{1}", "control character (U+0001) at character 5"),
        ("", "the query is empty"),
    ] {
        let run = ws.flor(&["search", query]);
        run.expect_code(2);
        assert!(run.stderr().contains(says), "{query:?}: {}", run.stderr());
        assert!(!run.stderr().contains("panicked"));
    }
    for (args, says) in [
        (vec!["search", "army", "--year", "1950..1850"], "reversed"),
        (vec!["search", "army", "--year", "abc..1950"], "not a year"),
        (vec!["search", "army", "--limit", "0"], "--limit"),
        (vec!["quotes", "army\u{7}"], "control character"),
    ] {
        let run = ws.flor(&args);
        run.expect_code(2);
        assert!(run.stderr().contains(says), "{args:?}: {}", run.stderr());
    }
    // A 1 MB query, through standard input (too long for an argument).
    let mut child = Command::new(env!("CARGO_BIN_EXE_flor"))
        .args(["search", "-"])
        .current_dir(ws.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start flor");
    if let Some(mut stdin) = child.stdin.take() {
        // flor stops reading past its limit, so the write may end in a broken pipe.
        let _ = stdin.write_all("army ".repeat(210_000).as_bytes());
    }
    let output = child.wait_with_output().expect("flor ends");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the limit is 65536 bytes"), "{stderr}");
}

/// Found by the `query` fuzz target: excluding a phrase whose words occur in a segment but never
/// together made tantivy 0.27.0 seek the phrase backwards, a debug assertion in the test binary.
#[test]
fn excluding_a_phrase_that_never_occurs_keeps_every_other_hit() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    let ids = |query: &str| -> Vec<String> {
        let run = ws.flor(&["search", query, "--limit", "1000", "--format", "jsonl"]);
        assert!(
            !run.stderr().contains("panicked"),
            "{query}: {}",
            run.stderr()
        );
        run.records().into_iter().map(|r| r.id).collect()
    };
    let army = ids("army");
    assert!(army.len() > 2, "{army:?}");
    assert_eq!(ids("army -\"army empire\""), army);
    let without_the_war = ids("+army -\"the war\"");
    assert!(!without_the_war.is_empty() && without_the_war.len() < army.len());
    assert!(without_the_war.iter().all(|id| army.contains(id)));
    // The fuzzer's own input parses and runs.
    assert!(
        !ws.flor(&["search", "+~a OR  ~aOR -s-+-~a "])
            .stderr()
            .contains("panicked")
    );
}

#[test]
fn broken_or_foreign_indexes_name_the_path_and_the_fix() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    let meta = ws.path().join("index/meta.json");
    let good = fs::read(&meta).expect("meta.json");
    fs::write(&meta, &good[..good.len() / 2]).expect("truncate");
    let run = ws.flor(&["search", "army"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("flor ingest --rebuild --index index"),
        "{}",
        run.stderr()
    );
    fs::write(&meta, "not json").expect("corrupt");
    ws.flor(&["search", "army"]).expect_code(2);
    ws.flor(&["ingest", "--rebuild"]).expect_code(0);
    ws.flor(&["search", "army"]).expect_code(0);

    ws.write("notes/mine.txt", "my own file\n");
    let foreign = ws.flor(&["search", "army", "--index", "notes"]);
    foreign.expect_code(2);
    assert!(
        foreign
            .stderr()
            .contains("notes is not a florilegium index"),
        "{}",
        foreign.stderr()
    );
    let missing = ws.flor(&["search", "army", "--index", "nowhere"]);
    missing.expect_code(2);
    assert!(
        missing.stderr().contains("no index at nowhere"),
        "{}",
        missing.stderr()
    );
    // Ingest refuses to scatter index files among a user's own.
    ws.flor(&["ingest", "corpus", "--index", "notes"])
        .expect_code(2);
    assert!(!ws.path().join("notes/meta.json").exists());
}

#[test]
fn hostile_files_are_read_or_reported() {
    use std::os::unix::ffi::OsStrExt;
    let ws = Workspace::empty();
    // A 10 MB line.
    ws.write(
        "in/long.txt",
        format!("{}\n\nAfter it.\n", "word ".repeat(2_000_000)),
    );
    // A million tiny records, all distinct.
    let mut tiny = String::with_capacity(12_000_000);
    for n in 0..1_000_000 {
        tiny.push_str(&format!("q{n}\n%\n"));
    }
    ws.write("in/tiny", tiny);
    // One record repeated ten thousand times: one entry, every occurrence.
    ws.write("in/same", "Again.\n%\n".repeat(10_000));
    // Deeply nested directories.
    let deep: String = (0..60).map(|i| format!("d{i}/")).collect();
    ws.write(
        &format!("in/{deep}deep.txt"),
        "Deep page\n\nFound at the bottom.\n",
    );
    // A file name that is not UTF-8.
    let name = std::ffi::OsStr::from_bytes(b"in/caf\xe9.txt");
    fs::write(ws.path().join(name), "Latin-1 name\n\nStill read.\n").expect("write");
    let run = ws.flor(&["ingest", "in", "--report", "report.json"]);
    run.expect_code(0);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(ws.path().join("report.json")).expect("report"))
            .expect("JSON");
    assert_eq!(report["files_ingested"], 5, "{report}");
    assert_eq!(report["occurrences"]["quote"], 1_010_000);
    assert_eq!(report["records"]["quote"], 1_000_001);
    let again = ws
        .flor(&["search", "again", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].sources.len(), 10_000);
    let found = ws
        .flor(&["search", "bottom OR \"still read\"", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .any(|r| r.sources[0].path.contains("caf\u{fffd}.txt"))
    );
}
