//! Fuzzes the topic-page parser and everything a parsed page goes through before the index:
//! the line accounting, attribution, years, names and the merger that builds entries.
#![no_main]

use florilegium::annotate::Merger;
use florilegium::source::{self, Format, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let input = Input::new("fuzz.txt", text);
    let parsed = source::parse(Format::TopicPage, &input);
    let mut merger = Merger::default();
    for record in parsed.records {
        assert!(!record.text.trim().is_empty(), "an empty record: {record:?}");
        let _ = merger.add(record, Format::TopicPage.name());
    }
    let _ = merger.merged();
});
