//! Fuzzes the fortune parser and the merger that builds entries from its quotes.
#![no_main]

use florilegium::annotate::Merger;
use florilegium::source::{self, Format, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let input = Input::new("fuzz", text);
    let parsed = source::parse(Format::Fortune, &input);
    let mut merger = Merger::default();
    for record in parsed.records {
        assert!(!record.text.trim().is_empty(), "an empty record: {record:?}");
        let _ = merger.add(record, Format::Fortune.name());
    }
    let _ = merger.merged();
});
