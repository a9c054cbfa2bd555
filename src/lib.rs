//! florilegium: turns a folder of source texts into an annotated, searchable corpus of passages
//! and quotations, and cites them. The `flor` binary is a thin shell over these modules; the
//! library exists so that fuzz targets and benchmarks reach the parsers and the query path.

pub mod annotate;
pub mod annotations;
pub mod cache;
pub mod cite;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod ingest;
pub mod model;
pub mod output;
pub mod query;
pub mod schema;
pub mod source;
pub mod store;
