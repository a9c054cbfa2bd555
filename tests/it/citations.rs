//! Citations through the real binary: exact strings for the reference quote and passage in the
//! CSL styles and Markdown, with and without source metadata, and round trips for BibTeX, RIS,
//! CSL-JSON, fortune and JSON Lines.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::{RecordV1, Workspace};

const TAFT: &str = "q-a63278945856d5ba";
const REFERENCE: &str = "corpus/000_e4b4b965bddefa06.txt";
const URL: &str = "https://example.org/wiki/Muslim_Conquest_of_Persia";
const METADATA: &str = "[[source]]\npaths = \"**/*.txt\"\ncontainer = \"Encyclopedia of Persia\"\n\
                        publisher = \"Example Press\"\nurl = \"https://example.org/wiki/{title}\"\n\
                        accessed = \"2026-11-23\"\n";

/// The reference page's passage id.
fn passage(ws: &Workspace) -> String {
    ws.flor(&[
        "search", "*", "--kind", "passage", "--limit", "1000", "--format", "jsonl",
    ])
    .expect_code(0)
    .records()
    .into_iter()
    .find(|r| r.sources[0].path == REFERENCE)
    .map(|r| r.id)
    .expect("the reference passage")
}

fn cite(ws: &Workspace, ids: &[&str], style: &str) -> String {
    let mut args = vec!["cite"];
    args.extend_from_slice(ids);
    args.extend_from_slice(&["--style", style]);
    ws.flor(&args).expect_code(0).stdout()
}

#[test]
fn csl_styles_and_markdown_without_metadata() {
    let ws = Workspace::with_corpus();
    let passage = passage(&ws);
    let expected = [
        (
            "apa",
            "(Taft, as cited in Muslim Conquest of Persia, n.d.)\nMuslim Conquest of Persia. (n.d.).\n\n\
             (Muslim Conquest of Persia, n.d., Second Invasion of Mesopotamia (636) section, para. 1)\nMuslim Conquest of Persia. (n.d.).\n",
        ),
        (
            "mla",
            "(qtd. in Muslim Conquest of Persia)\nMuslim Conquest of Persia.\n\n\
             (Muslim Conquest of Persia, Second Invasion of Mesopotamia (636), par. 1)\nMuslim Conquest of Persia.\n",
        ),
        (
            "chicago",
            "(Taft, quoted in Muslim Conquest of Persia, n.d.)\nMuslim Conquest of Persia. n.d.\n\n\
             (Muslim Conquest of Persia, n.d., Second Invasion of Mesopotamia (636), para. 1)\nMuslim Conquest of Persia. n.d.\n",
        ),
        (
            "chicago-notes",
            "William Howard Taft, quoted in Muslim Conquest of Persia, n.d.\nMuslim Conquest of Persia. n.d.\n\n\
             Muslim Conquest of Persia, n.d., Second Invasion of Mesopotamia (636), para. 1.\nMuslim Conquest of Persia. n.d.\n",
        ),
    ];
    for (style, text) in expected {
        assert_eq!(cite(&ws, &[TAFT, &passage], style), text, "{style}");
    }
    let markdown = cite(&ws, &[TAFT], "markdown");
    assert!(
        markdown.starts_with("> We should have an army so organized"),
        "{markdown}"
    );
    assert!(
        markdown.ends_with(
            "President Monroe.\n>\n> — William Howard Taft (1857–1930)\n\n\
             Quoted in *Muslim Conquest of Persia*, Second Invasion of Mesopotamia (636). \
             (corpus/000_e4b4b965bddefa06.txt:11-12)\n"
        ),
        "{markdown}"
    );
    // Without metadata nothing is invented: no URL, publisher or date.
    for style in [
        "apa", "mla", "chicago", "bibtex", "ris", "csl-json", "markdown",
    ] {
        let out = cite(&ws, &[TAFT, &passage], style);
        for invented in ["http", "Press", "Retrieved", "Accessed", "urldate"] {
            assert!(!out.contains(invented), "{style} invents {invented}: {out}");
        }
    }
}

#[test]
fn csl_styles_with_source_metadata() {
    let ws = Workspace::with_corpus();
    ws.write("corpus/florilegium.toml", METADATA);
    let passage = passage(&ws);
    let apa = cite(&ws, &[TAFT, &passage], "apa");
    let reference = format!(
        "Muslim Conquest of Persia. (n.d.). In Encyclopedia of Persia. Example Press. Retrieved November 23, 2026, from {URL}"
    );
    assert_eq!(
        apa,
        format!(
            "(Taft, as cited in “Muslim Conquest of Persia,” n.d.)\n{reference}\n\n\
             (“Muslim Conquest of Persia,” n.d., Second Invasion of Mesopotamia (636) section, para. 1)\n{reference}\n"
        )
    );
    let mla = cite(&ws, &[TAFT], "mla");
    assert_eq!(
        mla,
        format!(
            "(qtd. in “Muslim Conquest of Persia”)\n“Muslim Conquest of Persia.” Encyclopedia of Persia, Example Press, {URL}. Accessed 23 Nov. 2026.\n"
        )
    );
    let chicago = cite(&ws, &[TAFT], "chicago-notes");
    assert!(
        chicago.starts_with(
            "William Howard Taft, quoted in “Muslim Conquest of Persia,” in Encyclopedia of Persia (Example Press, n.d.)"
        ),
        "{chicago}"
    );
    let markdown = cite(&ws, &[TAFT], "markdown");
    assert!(
        markdown.contains(&format!(
            "Encyclopedia of Persia, Example Press. <{URL}>, accessed 2026-11-23."
        )),
        "{markdown}"
    );
    let ieee = cite(&ws, &[TAFT], "ieee");
    assert!(ieee.contains("[Online]") && ieee.contains(URL), "{ieee}");
}

#[test]
fn bibtex_parses_back_with_stable_unique_keys() {
    let ws = Workspace::with_corpus();
    ws.write("corpus/florilegium.toml", METADATA);
    ws.flor(&["export", "--style", "bibtex", "-o", "all.bib"])
        .expect_code(0);
    let text = fs::read_to_string(ws.path().join("all.bib")).expect("the export");
    let bibliography = biblatex::Bibliography::parse(&text).expect("valid BibLaTeX");
    let records = ws
        .flor(&["search", "*", "--limit", "1000", "--format", "jsonl"])
        .records();
    assert_eq!(bibliography.len(), records.len());
    let keys: BTreeSet<String> = bibliography.iter().map(|e| e.key.clone()).collect();
    assert_eq!(keys.len(), records.len(), "keys are unique");
    let taft = bibliography
        .get("taft1930army")
        .expect("the key taft1930army");
    let authors = taft.author().expect("an author");
    assert_eq!(authors[0].name, "Taft");
    assert_eq!(authors[0].given_name, "William Howard");
    assert_eq!(taft.url().expect("a URL"), URL);
    // The same export again gives the same keys.
    ws.flor(&["export", "--style", "bibtex", "-o", "again.bib"])
        .expect_code(0);
    assert_eq!(
        fs::read_to_string(ws.path().join("again.bib")).expect("again"),
        text
    );
}

#[test]
fn ris_records_read_back() {
    let ws = Workspace::with_corpus();
    ws.write("corpus/florilegium.toml", METADATA);
    let text = cite(&ws, &[TAFT], "ris");
    assert!(text.ends_with("ER  - \r\n"));
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(
        lines.iter().all(|l| l.len() >= 6 && &l[2..6] == "  - "),
        "{lines:?}"
    );
    assert_eq!(lines[0], "TY  - ENCYC");
    let field = |tag: &str| -> Vec<&str> {
        lines
            .iter()
            .filter(|l| l.starts_with(tag))
            .map(|l| &l[6..])
            .collect()
    };
    assert_eq!(field("AU"), vec!["Taft, William Howard"]);
    assert_eq!(field("TI"), vec!["Muslim Conquest of Persia"]);
    assert_eq!(field("T2"), vec!["Encyclopedia of Persia"]);
    assert_eq!(field("UR"), vec![URL]);
    assert_eq!(field("Y2"), vec!["2026/11/23"]);
    assert_eq!(field("KW"), vec!["army", "invasion"]);
    assert!(field("N1")[0].contains("We should have an army"));
    let plain = cite(&Workspace::with_corpus(), &[TAFT], "ris");
    assert!(plain.starts_with("TY  - ELEC\r\n"), "{plain}");
}

#[test]
fn csl_json_is_valid_csl() {
    let ws = Workspace::with_corpus();
    ws.write("corpus/florilegium.toml", METADATA);
    let text = ws
        .flor(&["export", "--style", "csl-json"])
        .expect_code(0)
        .stdout();
    let items: Vec<hayagriva::citationberg::json::Item> =
        serde_json::from_str(&text).expect("CSL-JSON items");
    let raw: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    assert_eq!(items.len(), raw.len());
    assert!(
        raw.iter()
            .all(|i| i["id"].is_string() && i["type"].is_string())
    );
    let taft = raw.iter().find(|i| i["id"] == TAFT).expect("Taft's item");
    assert_eq!(taft["type"], "entry-encyclopedia");
    assert_eq!(taft["author"][0]["family"], "Taft");
    assert_eq!(taft["author"][0]["given"], "William Howard");
    assert_eq!(taft["accessed"]["date-parts"][0][0], 2026);
    let bible = raw
        .iter()
        .find(|i| {
            i["note"]
                .as_str()
                .is_some_and(|n| n.contains("take the sword"))
        })
        .expect("the Matthew quotation");
    assert_eq!(bible["author"][0]["literal"], "Bible");
}

#[test]
fn fortune_export_reads_back_and_strfile_accepts_it() {
    let ws = Workspace::with_corpus();
    ws.flor(&[
        "export",
        "--kind",
        "quote",
        "--style",
        "fortune",
        "-o",
        "out/quotes",
    ])
    .expect_code(0);
    let strfile = Path::new("/usr/bin/strfile");
    if strfile.is_file() {
        let status = Command::new(strfile)
            .arg(ws.path().join("out/quotes"))
            .output()
            .expect("run strfile");
        assert!(status.status.success(), "{status:?}");
        assert!(ws.path().join("out/quotes.dat").is_file());
    } else {
        eprintln!("strfile is missing (apt-get install fortune-mod); checked the parse only");
    }
    let originals = ws
        .flor(&[
            "search", "*", "--kind", "quote", "--limit", "1000", "--format", "jsonl",
        ])
        .records();
    ws.flor(&["ingest", "out", "--index", "fortune-index"])
        .expect_code(0);
    let back = ws
        .flor(&[
            "search",
            "*",
            "--limit",
            "1000",
            "--format",
            "jsonl",
            "--index",
            "fortune-index",
        ])
        .records();
    assert_eq!(quotes(&back), quotes(&originals));
}

/// Quotes by what survives any format: id, text and author.
fn quotes(records: &[RecordV1]) -> BTreeSet<(String, String, String)> {
    records
        .iter()
        .map(|r| {
            let author = r
                .author
                .as_ref()
                .map(|a| format!("{} {:?} {:?} {}", a.name, a.born, a.died, a.circa))
                .unwrap_or_default();
            (r.id.clone(), r.text.clone(), author)
        })
        .collect()
}

#[test]
fn jsonl_export_reads_back_and_search_cites_hits() {
    let ws = Workspace::with_corpus();
    ws.flor(&["export", "army", "--style", "jsonl", "-o", "out/army.jsonl"])
        .expect_code(0);
    let hits = ws
        .flor(&["search", "army", "--limit", "1000", "--format", "jsonl"])
        .records();
    ws.flor(&["ingest", "out", "--index", "jsonl-index"])
        .expect_code(0);
    let back = ws
        .flor(&[
            "search",
            "*",
            "--limit",
            "1000",
            "--format",
            "jsonl",
            "--index",
            "jsonl-index",
        ])
        .records();
    assert_eq!(quotes(&back), quotes(&hits));

    let cited = ws
        .flor(&["quotes", "invasion", "--cite", "mla"])
        .expect_code(0)
        .stdout();
    assert!(
        cited.contains("    | (qtd. in Muslim Conquest of Persia)"),
        "{cited}"
    );
    ws.flor(&["quotes", "invasion", "--cite", "mla", "--format", "json"])
        .expect_code(2);

    let list = ws.flor(&["cite", "--list-styles"]).expect_code(0).stdout();
    for style in [
        "apa",
        "mla",
        "chicago",
        "chicago-notes",
        "bibtex",
        "ris",
        "csl-json",
        "markdown",
        "fortune",
        "jsonl",
        "ieee",
    ] {
        assert!(
            list.lines().any(|l| l.starts_with(&format!("{style} "))),
            "{style}"
        );
    }
    ws.flor(&["cite", TAFT, "--style", "no-such-style"])
        .expect_code(2);
    let unknown = ws.flor(&["cite", "q-0000000000000000"]);
    unknown.expect_code(1);
    assert!(unknown.stderr().contains("no record"));
}
