//! `flor bench QUERY...`: search latency inside one process, the index opened once, as a
//! long-running program that embeds florilegium sees it. Each query runs the whole search path
//! (parse, filters, top hits, stored records) many times; the percentiles say how long one
//! search takes once the process has started.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

use super::{Global, Outcome, open_store};
use crate::cli::FilterArgs;
use crate::query::{self, Request, Terms};

/// Arguments of `flor bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Queries in tantivy syntax, as `flor search` takes them; each is measured on its own
    #[arg(required = true, value_name = "QUERY")]
    pub queries: Vec<String>,

    /// Times each query is run (after a tenth as many unmeasured warm-up runs)
    #[arg(long, default_value_t = 1000, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub runs: u64,

    /// Hits each search collects, as `flor search --limit`
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,

    /// Print one JSON object per query instead of a table
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub filters: FilterArgs,
}

/// What one query measured, in milliseconds.
#[derive(Debug, Serialize)]
struct Measured<'a> {
    query: &'a str,
    runs: usize,
    hits: usize,
    p50_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
    max_ms: f64,
}

/// Runs every query `--runs` times and prints its percentiles.
pub fn run(global: &Global, args: &Args) -> Result<Outcome> {
    let store = open_store(global)?;
    let runs = usize::try_from(args.runs).unwrap_or(usize::MAX);
    let mut out = std::io::stdout().lock();
    if !args.json {
        writeln!(
            out,
            "{:>9} {:>9} {:>9} {:>9} {:>6}  query",
            "p50 ms", "p99 ms", "mean ms", "max ms", "hits"
        )?;
    }
    for text in &args.queries {
        let request = Request {
            terms: Terms::Query(text.clone()),
            filters: args.filters.filters(),
            limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
            offset: 0,
            count: false,
        };
        let mut hits = 0;
        for _ in 0..runs.div_ceil(10) {
            hits = query::run(&store, &request)?.hits.len();
        }
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let results = query::run(&store, &request)?;
            times.push(started.elapsed());
            std::hint::black_box(results);
        }
        let measured = measure(text, hits, &mut times);
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&measured)?)?;
        } else {
            writeln!(
                out,
                "{:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>6}  {}",
                measured.p50_ms,
                measured.p99_ms,
                measured.mean_ms,
                measured.max_ms,
                measured.hits,
                measured.query
            )?;
        }
    }
    Ok(Outcome::Done)
}

/// Percentiles by the nearest-rank method over `times`, which it sorts.
fn measure<'a>(query: &'a str, hits: usize, times: &mut [Duration]) -> Measured<'a> {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rank = |p: f64| {
        let at = (p * times.len() as f64).ceil() as usize;
        times.get(at.saturating_sub(1)).copied().map_or(0.0, &ms)
    };
    let total: Duration = times.iter().sum();
    Measured {
        query,
        runs: times.len(),
        hits,
        p50_ms: rank(0.50),
        p99_ms: rank(0.99),
        mean_ms: if times.is_empty() {
            0.0
        } else {
            ms(total) / times.len() as f64
        },
        max_ms: times.last().copied().map_or(0.0, ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut times: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let m = measure("q", 3, &mut times);
        assert_eq!((m.p50_ms, m.p99_ms, m.max_ms), (50.0, 99.0, 100.0));
        assert!((m.mean_ms - 50.5).abs() < 1e-9);
        let one = measure("q", 0, &mut [Duration::from_millis(7)]);
        assert_eq!((one.p50_ms, one.p99_ms), (7.0, 7.0));
        let none = measure("q", 0, &mut []);
        assert_eq!((none.p50_ms, none.mean_ms), (0.0, 0.0));
    }
}
