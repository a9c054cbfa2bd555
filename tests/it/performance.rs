//! The performance features a user drives: `flor bench`, `--memory`, `--quiet` and counting.
//! Speed itself is measured by bench/run.sh, never asserted here.

use serde_json::Value;

use crate::Workspace;

#[test]
fn bench_measures_each_query_on_the_search_path() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    let run = ws.flor(&[
        "bench",
        "--json",
        "--runs",
        "20",
        "army",
        "invasion",
        "nosuchword",
    ]);
    run.expect_code(0);
    let lines: Vec<Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per query"))
        .collect();
    let hits = |query: &str| {
        ws.flor(&["search", query, "--format", "jsonl", "--limit", "10"])
            .records()
            .len()
    };
    assert_eq!(lines.len(), 3);
    for (line, query) in lines.iter().zip(["army", "invasion", "nosuchword"]) {
        assert_eq!(line["query"], query);
        assert_eq!(line["runs"], 20);
        assert_eq!(line["hits"].as_u64(), Some(hits(query) as u64), "{line}");
        let (p50, p99, max) = (&line["p50_ms"], &line["p99_ms"], &line["max_ms"]);
        let (p50, p99, max) = (p50.as_f64(), p99.as_f64(), max.as_f64());
        let (Some(p50), Some(p99), Some(max)) = (p50, p99, max) else {
            panic!("percentiles missing: {line}");
        };
        assert!(0.0 < p50 && p50 <= p99 && p99 <= max, "{line}");
    }
    assert_eq!(lines[2]["hits"], 0);
    // Filters apply as in `flor search`, and a bad query is an error as there.
    let quotes = ws.flor(&["bench", "--json", "--runs", "5", "--kind", "quote", "army"]);
    let quotes: Value = serde_json::from_str(quotes.stdout().trim()).expect("JSON");
    let expected = ws
        .flor(&["search", "army", "--kind", "quote", "--format", "jsonl"])
        .records()
        .len();
    assert_eq!(quotes["hits"].as_u64(), Some(expected as u64));
    ws.flor(&["bench", "(army"]).expect_code(2);
}

#[test]
fn memory_is_bounded_and_quiet_keeps_only_warnings() {
    let ws = Workspace::with_corpus();
    let small = ws.flor(&["ingest", "--memory", "8"]);
    small.expect_code(2);
    assert!(small.stderr().contains("--memory"), "{}", small.stderr());
    // The most memory flor accepts is more than tantivy lets one thread have; it is shared out
    // within that limit instead of failing.
    ws.flor(&["ingest", "--memory", "65536", "--quiet"])
        .expect_code(0);
    let quiet = ws.flor(&["ingest", "--rebuild", "--memory", "16", "--quiet"]);
    quiet.expect_code(0);
    assert!(
        !quiet.stderr().contains("flor: ingested"),
        "{}",
        quiet.stderr()
    );
    let records = ws
        .flor(&["search", "*", "--limit", "1000", "--format", "jsonl"])
        .records();
    let loud = ws.flor(&["ingest", "--rebuild"]);
    assert!(
        loud.stderr().contains("flor: ingested"),
        "{}",
        loud.stderr()
    );
    let again = ws
        .flor(&["search", "*", "--limit", "1000", "--format", "jsonl"])
        .records();
    assert_eq!(records.len(), again.len());
    assert!(records.len() > 20);
    // A warning still shows under --quiet.
    ws.write("corpus/broken.json", "[{\"text\": \"unfinished\"");
    let warned = ws.flor(&["ingest", "--quiet"]);
    warned.expect_code(1);
    assert!(
        warned.stderr().contains("broken.json"),
        "{}",
        warned.stderr()
    );
}
