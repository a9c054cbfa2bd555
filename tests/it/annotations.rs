//! Tags, rules, facets, merged quotations, incremental ingest and hand annotations, through the
//! real binary on a copy of the shipped corpus.

use std::collections::HashSet;
use std::fs;

use serde::Deserialize;

use crate::{RecordV1, Workspace};

const REFERENCE: &str = "corpus/000_e4b4b965bddefa06.txt";
const QADISIYYAH: &str = "corpus/001_battle_of_qadisiyyah.txt";
const TAFT: &str = "q-a63278945856d5ba";

fn all(ws: &Workspace) -> Vec<RecordV1> {
    ws.flor(&["search", "*", "--limit", "100000", "--format", "jsonl"])
        .expect_code(0)
        .records()
}

fn with_id<'a>(records: &'a [RecordV1], id: &str) -> &'a RecordV1 {
    records
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

fn has(record: &RecordV1, tag: &str) -> bool {
    record.tags.iter().any(|t| t == tag)
}

#[derive(Debug, Deserialize)]
struct Report {
    files_ingested: usize,
    files_read: usize,
    unchanged: bool,
    records: Counts,
    records_written: usize,
}

#[derive(Debug, Deserialize)]
struct Counts {
    passage: usize,
    quote: usize,
}

fn ingest(ws: &Workspace, args: &[&str]) -> Report {
    let mut all = vec!["ingest", "--report", "report.json"];
    all.extend_from_slice(args);
    ws.flor(&all).expect_code(0);
    let text = fs::read_to_string(ws.path().join("report.json")).expect("the report");
    serde_json::from_str(&text).expect("a report")
}

#[test]
fn every_record_carries_its_tags() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    let records = all(&ws);
    let taft = with_id(&records, TAFT);
    for tag in [
        "/kind/quote",
        "/keyword/invasion",
        "/keyword/army",
        "/topic/Muslim Conquest Of Persia",
        "/author/William Howard Taft",
        "/century/20",
        "/format/topic-page",
    ] {
        assert!(has(taft, tag), "{tag} missing from {:?}", taft.tags);
    }
    let passage = records
        .iter()
        .find(|r| r.kind == "passage" && r.sources[0].path == REFERENCE)
        .expect("the reference passage");
    for tag in [
        "/kind/passage",
        "/century/7",
        "/name/Abu Bakr",
        "/name/Khalid ibn al-Walid",
        "/name/Yazdegerd III",
        "/name/Heraclius",
        "/name/Mesopotamia",
    ] {
        assert!(has(passage, tag), "{tag} missing from {:?}", passage.tags);
    }
    // Sentence-initial common words are not names.
    for not_a_name in ["/name/According", "/name/The", "/name/However"] {
        assert!(!has(passage, not_a_name), "{:?}", passage.tags);
    }
    let cicero = records
        .iter()
        .find(|r| r.author.as_ref().is_some_and(|a| a.name == "Cicero"))
        .expect("Cicero");
    assert!(has(cicero, "/century/-1"), "{:?}", cicero.tags);
    // Tags are sorted and unique.
    let mut sorted = taft.tags.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(taft.tags, sorted);
}

#[test]
fn tag_filter_matches_the_tag_and_its_children() {
    let ws = Workspace::with_corpus();
    let count = |args: &[&str]| -> usize {
        let mut all = vec!["search", "*", "--limit", "1000", "--format", "jsonl"];
        all.extend_from_slice(args);
        ws.flor(&all).records().len()
    };
    let quotes = count(&["--tag", "kind/quote"]);
    assert_eq!(quotes, count(&["--kind", "quote"]));
    let by_century = count(&["--tag", "/century"]);
    let twentieth = count(&["--tag", "century/20"]);
    assert!(
        by_century > twentieth && twentieth >= 1,
        "{by_century} {twentieth}"
    );
    let hits = ws
        .flor(&[
            "quotes",
            "army",
            "--tag",
            "/author/William Howard Taft",
            "--format",
            "jsonl",
        ])
        .expect_code(0)
        .records();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, TAFT);
    let none = ws.flor(&["search", "*", "--tag", "/no/such/tag"]);
    none.expect_code(1);
    let bad = ws.flor(&["search", "*", "--tag", "a//b"]);
    bad.expect_code(2);
    assert!(bad.stderr().contains("tag path"), "{}", bad.stderr());
}

#[test]
fn rules_tag_records_and_a_bad_pattern_names_the_rule() {
    let ws = Workspace::with_corpus();
    ws.write(
        "corpus/florilegium.toml",
        "[[rule]]\ntag = \"event/battle\"\npattern = '(?i)\\bbattle of [A-Z]\\w+'\nkind = \"passage\"\n\n\
         [[rule]]\ntag = \"theme/money\"\npattern = '(?i)\\bmoney\\b'\n",
    );
    ws.flor(&["ingest"]).expect_code(0);
    let battles = ws
        .flor(&["search", "*", "--tag", "event", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert!(!battles.is_empty());
    assert!(battles.iter().all(|r| r.kind == "passage"));
    assert!(
        battles
            .iter()
            .all(|r| r.text.to_lowercase().contains("battle of"))
    );
    let money = ws
        .flor(&["search", "*", "--tag", "theme/money", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert!(
        money.iter().any(|r| r.text.contains("sinews of war")),
        "{money:?}"
    );

    ws.write(
        "rules.toml",
        "[[rule]]\ntag = \"event/siege\"\npattern = 'siege of ('\n",
    );
    let bad = ws.flor(&["ingest", "corpus", "--rules", "rules.toml"]);
    bad.expect_code(2);
    let err = bad.stderr();
    assert!(
        err.contains("rules.toml: rule 1 (tag \"event/siege\")"),
        "{err}"
    );
    assert!(err.contains("unclosed group"), "{err}");
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FacetV1 {
    tag: String,
    value: String,
    count: u64,
}

#[test]
fn facets_count_in_text_and_json() {
    let ws = Workspace::with_corpus();
    let json = ws
        .flor(&["facets", "author", "--format", "json"])
        .expect_code(0)
        .stdout();
    let authors: Vec<FacetV1> = serde_json::from_str(&json).expect("a JSON array of facets");
    let sun = authors
        .iter()
        .find(|f| f.value == "Sun Tzu")
        .expect("Sun Tzu");
    assert_eq!((sun.tag.as_str(), sun.count), ("/author/Sun Tzu", 2));
    assert!(authors.windows(2).all(|w| w[0].count >= w[1].count));

    let text = ws.flor(&["facets"]).expect_code(0).stdout();
    let quote_line = text
        .lines()
        .find(|l| l.ends_with("/kind/quote"))
        .expect("a /kind/quote line");
    let quotes = ws
        .flor(&[
            "search", "*", "--kind", "quote", "--limit", "1000", "--format", "jsonl",
        ])
        .records()
        .len();
    assert_eq!(
        quote_line.split_whitespace().next(),
        Some(quotes.to_string().as_str())
    );

    let within = ws
        .flor(&["facets", "keyword", "taft", "--format", "json"])
        .expect_code(0)
        .stdout();
    let keywords: Vec<FacetV1> = serde_json::from_str(&within).expect("facets");
    let names: HashSet<&str> = keywords.iter().map(|f| f.value.as_str()).collect();
    assert_eq!(names, HashSet::from(["army", "invasion"]));
    let names = ws.flor(&["facets", "name"]).expect_code(0).stdout();
    assert!(names.contains("Khalid ibn al-Walid"), "{names}");
    ws.flor(&["facets", "colour"]).expect_code(2);
}

#[test]
fn removing_a_page_keeps_the_quote_with_its_other_source() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    let taft = with_id(&all(&ws), TAFT).clone_sources();
    assert_eq!(taft.len(), 2);
    fs::remove_file(ws.path().join(QADISIYYAH)).expect("remove a page");
    let report = ingest(&ws, &[]);
    assert_eq!(report.files_read, 0, "only a removal: nothing to read");
    let records = all(&ws);
    let taft = with_id(&records, TAFT);
    assert_eq!(taft.keywords, vec!["invasion"]);
    assert_eq!(taft.sources.len(), 1);
    assert_eq!(taft.sources[0].path, REFERENCE);
    assert_eq!(
        taft.sources[0].section.as_deref(),
        Some("Second Invasion of Mesopotamia (636)")
    );
    assert!(!has(taft, "/keyword/army"));
    assert!(
        records
            .iter()
            .all(|r| r.sources.iter().all(|s| s.path != QADISIYYAH))
    );
}

trait Sources {
    fn clone_sources(&self) -> Vec<(String, Option<String>)>;
}

impl Sources for RecordV1 {
    fn clone_sources(&self) -> Vec<(String, Option<String>)> {
        self.sources
            .iter()
            .map(|s| (s.path.clone(), s.section.clone()))
            .collect()
    }
}

#[test]
fn ingest_reads_only_what_changed_and_ids_stay() {
    let ws = Workspace::with_corpus();
    let first = ingest(&ws, &[]);
    assert_eq!((first.files_ingested, first.files_read), (7, 7));
    let before = all(&ws);

    let dump = || {
        ws.flor(&["search", "*", "--limit", "100000", "--format", "jsonl"])
            .expect_code(0)
            .stdout()
    };
    let full = dump();
    let again = ingest(&ws, &[]);
    assert!(again.unchanged);
    assert_eq!((again.files_ingested, again.files_read), (7, 0));
    assert_eq!(dump(), full, "a second ingest changes nothing");
    let ids = |records: &[RecordV1]| -> Vec<String> {
        let mut ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&all(&ws)), ids(&before));

    // One page changes: only it is read, and the other records keep their ids.
    let page = ws.path().join("corpus/005_byzantine_sasanian_war.txt");
    let text = fs::read_to_string(&page).expect("read a page");
    fs::write(
        &page,
        format!("{text}\nA new closing paragraph about 629.\n"),
    )
    .expect("write");
    let changed = ingest(&ws, &[]);
    assert_eq!((changed.files_ingested, changed.files_read), (7, 1));
    let after = all(&ws);
    assert_eq!(after.len(), before.len() + 1);
    let old: HashSet<String> = ids(&before).into_iter().collect();
    assert!(
        after
            .iter()
            .filter(|r| !old.contains(&r.id))
            .all(|r| r.text.contains("629"))
    );

    let rebuilt = ingest(&ws, &["--rebuild"]);
    assert_eq!(rebuilt.files_read, 7);
    assert_eq!(ids(&all(&ws)), ids(&after));
}

#[test]
fn an_update_in_place_gives_the_records_of_a_rebuild() {
    let ws = Workspace::with_corpus();
    // Enough text that stays the same for the changes below to be a small share of the corpus.
    let chronicle: String = (0..300)
        .map(|n| {
            format!(
                "Entry {n} of the chronicle: a caravan reached Ctesiphon in the year {}.\n\n",
                600 + n
            )
        })
        .collect();
    ws.write("corpus/chronicle.txt", chronicle);
    let first = ingest(&ws, &[]);
    assert_eq!(
        first.records_written,
        first.records.passage + first.records.quote
    );

    // Taft's quotation leaves the Qadisiyyah page, where a paragraph is also reworded.
    let page = ws.path().join(QADISIYYAH);
    let text = fs::read_to_string(&page).expect("read the page");
    let mut lines: Vec<&str> = text.lines().collect();
    let quote = lines
        .iter()
        .position(|l| l.trim_start().starts_with("We should have an army"))
        .expect("Taft's quotation on the page");
    lines.drain(quote..quote + 3);
    let edited = lines
        .join("\n")
        .replace("The victory laid", "The great victory laid");
    fs::write(&page, edited).expect("write the page");
    // A page goes away, and a new file repeats a paragraph of a page that does not change.
    fs::remove_file(ws.path().join("corpus/005_byzantine_sasanian_war.txt")).expect("remove");
    let nahavand = fs::read_to_string(ws.path().join("corpus/002_battle_of_nahavand.txt"))
        .expect("read a page");
    let paragraph = nahavand
        .split("\n\n")
        .find(|block| block.len() > 300)
        .expect("a paragraph");
    ws.write("corpus/excerpt.txt", paragraph);

    let update = ingest(&ws, &[]);
    assert_eq!((update.files_ingested, update.files_read), (8, 2));
    // The unchanged files' lines stay in the pack of the first ingest; the new one holds the
    // two files read.
    let packs = || {
        fs::read_dir(ws.path().join("index/.flor-cache"))
            .expect("the cache")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("pack-"))
            .count()
    };
    assert_eq!(packs(), 2);
    let total = update.records.passage + update.records.quote;
    assert!(
        update.records_written > 0 && update.records_written * 10 < total,
        "an update writes only what changed: {update:?}"
    );
    ws.flor(&["ingest", "--index", "rebuilt"]).expect_code(0);
    let updated = ws.dump("index");
    assert_eq!(updated, ws.dump("rebuilt"));
    assert_eq!(updated.len(), total);

    let records = all(&ws);
    let taft = with_id(&records, TAFT);
    assert!(
        taft.sources.iter().all(|s| s.path != QADISIYYAH),
        "{taft:?}"
    );
    assert!(
        records
            .iter()
            .all(|r| r.sources.iter().all(|s| !s.path.contains("005_")))
    );
    let repeated = records
        .iter()
        .find(|r| r.sources.iter().any(|s| s.path == "corpus/excerpt.txt"))
        .expect("the excerpt's paragraph");
    assert_eq!(repeated.sources.len(), 2, "{repeated:?}");
    assert!(ingest(&ws, &[]).unchanged);

    // A second update reads through both packs.
    let page = ws.path().join("corpus/003_fall_of_ctesiphon.txt");
    let text = fs::read_to_string(&page).expect("read a page");
    fs::write(&page, text.replacen(" the ", " the old ", 1)).expect("write");
    let second = ingest(&ws, &[]);
    assert_eq!(second.files_read, 1);
    assert!(second.records_written * 10 < total, "{second:?}");
    ws.flor(&["ingest", "--index", "rebuilt2"]).expect_code(0);
    assert_eq!(ws.dump("index"), ws.dump("rebuilt2"));
    ingest(&ws, &["--rebuild"]);
    assert_eq!(packs(), 1, "a rebuild keeps one pack");
    assert_eq!(ws.dump("index"), ws.dump("rebuilt2"));
}

/// Bytes of the ingest cache's packs.
fn pack_bytes(ws: &Workspace) -> u64 {
    fs::read_dir(ws.path().join("index/.flor-cache"))
        .expect("the cache")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("pack-"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

#[test]
fn removing_most_files_updates_in_place_and_compacts_the_cache() {
    let ws = Workspace::empty();
    for file in 0..10 {
        let text: String = (0..20)
            .map(|n| format!("Paragraph {n} of notebook {file} records a journey of {n} days.\n\n"))
            .collect();
        ws.write(&format!("corpus/notebook{file}.txt"), text);
    }
    let first = ingest(&ws, &[]);
    assert_eq!(first.records.passage, 200);
    let full = pack_bytes(&ws);
    for file in 0..6 {
        fs::remove_file(ws.path().join(format!("corpus/notebook{file}.txt"))).expect("remove");
    }
    let update = ingest(&ws, &[]);
    assert_eq!((update.files_read, update.records_written), (0, 0));
    assert_eq!(update.records.passage, 80);
    // Six tenths of the pack were lines of removed files: the lines kept were copied anew.
    let compacted = pack_bytes(&ws);
    assert!(compacted * 10 < full * 5, "{compacted} of {full} bytes");
    ws.flor(&["ingest", "--index", "rebuilt"]).expect_code(0);
    assert_eq!(ws.dump("index"), ws.dump("rebuilt"));
}

#[test]
fn hand_annotations_are_kept_across_rebuilds() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    ws.flor(&[
        "annotate",
        TAFT,
        "--tag",
        "theme/war",
        "--tag",
        "to-check",
        "--note",
        "Taft on preparedness",
    ])
    .expect_code(0);
    let file = fs::read_to_string(ws.path().join("corpus/annotations.toml")).expect("the file");
    assert!(file.contains(TAFT) && file.contains("/theme/war"), "{file}");

    let tagged = ws
        .flor(&["search", "*", "--tag", "theme", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert_eq!(tagged.len(), 1);
    assert_eq!(tagged[0].note.as_deref(), Some("Taft on preparedness"));
    let by_note = ws
        .flor(&["search", "preparedness", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert_eq!(by_note[0].id, TAFT);

    // A rebuild from scratch applies the file again.
    fs::remove_dir_all(ws.path().join("index")).expect("remove the index");
    ws.flor(&["ingest"]).expect_code(0);
    let taft = with_id(&all(&ws), TAFT).tags.clone();
    assert!(taft.contains(&"/theme/war".to_string()), "{taft:?}");
    let unchanged = ingest(&ws, &[]);
    assert!(unchanged.unchanged, "annotate leaves the index up to date");

    ws.flor(&[
        "annotate",
        TAFT,
        "--remove-tag",
        "theme/war",
        "--clear-note",
    ])
    .expect_code(0);
    let records = all(&ws);
    let taft = with_id(&records, TAFT);
    assert!(!has(taft, "/theme/war"));
    assert!(has(taft, "/to-check"));
    assert!(has(taft, "/keyword/invasion"), "derived tags stay");
    assert_eq!(taft.note, None);

    let unknown = ws.flor(&["annotate", "q-0000000000000000", "--tag", "x"]);
    unknown.expect_code(1);
    assert!(
        unknown.stderr().contains("no record"),
        "{}",
        unknown.stderr()
    );
    ws.flor(&["annotate", TAFT]).expect_code(2);
    ws.flor(&["annotate", TAFT, "--tag", "a//b"]).expect_code(2);
}

#[test]
fn an_annotation_whose_record_is_gone_is_reported_and_kept() {
    let ws = Workspace::with_corpus();
    ws.flor(&["ingest"]).expect_code(0);
    let passage = ws
        .flor(&[
            "search", "Hormuzan", "--kind", "passage", "--format", "jsonl",
        ])
        .expect_code(0)
        .records()
        .remove(0);
    ws.flor(&["annotate", &passage.id, "--note", "Shushtar siege"])
        .expect_code(0);
    fs::remove_file(ws.path().join(&passage.sources[0].path)).expect("remove the page");
    let run = ws.flor(&["ingest"]);
    run.expect_code(0);
    assert!(
        run.stderr()
            .contains(&format!("{} matches no record", passage.id)),
        "{}",
        run.stderr()
    );
    let file = fs::read_to_string(ws.path().join("corpus/annotations.toml")).expect("the file");
    assert!(file.contains("Shushtar siege"), "kept: {file}");
}

#[test]
fn the_corpus_option_moves_rules_and_annotations() {
    let ws = Workspace::with_corpus();
    fs::rename(ws.path().join("corpus"), ws.path().join("pages")).expect("rename");
    ws.write(
        "pages/florilegium.toml",
        "[[rule]]\ntag = \"theme/sword\"\npattern = 'sword'\n",
    );
    ws.flor(&["--corpus", "pages", "ingest"]).expect_code(0);
    let swords = ws
        .flor(&["search", "*", "--tag", "theme/sword", "--format", "jsonl"])
        .expect_code(0)
        .records();
    assert_eq!(swords.len(), 2, "{swords:?}");
    ws.flor(&["annotate", TAFT, "--tag", "mine"]).expect_code(0);
    assert!(ws.path().join("pages/annotations.toml").is_file());
    assert!(!ws.path().join("corpus").exists());
}
