//! Fuzzes the attribution and date parsers: any line gives an attribution that keeps the line
//! as written, and any dates it finds are in order.
#![no_main]

use florilegium::annotate::{attribution, names, years};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    let parsed = attribution::parse(line);
    assert_eq!(parsed.raw, attribution::strip_leading_dash(line));
    let _ = attribution::looks_like_attribution(line);
    if let Some(dates) = attribution::parse_dates(line)
        && let (Some(born), Some(died)) = (dates.born, dates.died)
    {
        assert!(born <= died, "{line:?} gives born {born} after died {died}");
    }
    let _ = years::mentioned(line);
    let _ = names::find(line);
});
