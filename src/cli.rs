//! The command line: clap structs that hold and validate values. No I/O happens here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::model::Kind;
use crate::output;
use crate::query::{Filters, YearRange};

/// florilegium: an annotated, searchable corpus of passages and quotations.
#[derive(Debug, Parser)]
#[command(name = "flor", version, about, max_term_width = 100)]
pub struct Cli {
    /// Index directory [default: index/]
    #[arg(long, global = true, env = "FLOR_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Corpus directory: what `flor ingest` reads by default, and where florilegium.toml and
    /// annotations.toml live [default: corpus/]
    #[arg(long, global = true, env = "FLOR_CORPUS", value_name = "DIR")]
    pub corpus: Option<PathBuf>,

    /// When to colour the output (NO_COLOR is honoured in auto mode)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read source files into the index, replacing what it held
    Ingest(cmd::ingest::Args),
    /// Search passages and quotes with tantivy query syntax
    Search(cmd::search::Args),
    /// Find quotes filed under a word, or containing it
    Quotes(cmd::quotes::Args),
    /// Print whole records by id
    Show(cmd::show::Args),
    /// Count records by tag, author, keyword, topic, century or name
    Facets(cmd::facets::Args),
    /// Add or remove a record's tags and note (kept in annotations.toml)
    Annotate(cmd::annotate::Args),
    /// Cite records by id in a style (APA, MLA, Chicago, BibTeX, RIS, CSL-JSON…)
    Cite(cmd::cite::Args),
    /// Export every record a query matches (or the whole index) as citations
    Export(cmd::export::Args),
    /// Measure search latency inside one process (p50, p99) on the index
    Bench(cmd::bench::Args),
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

/// `--kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// History and prose paragraphs
    Passage,
    /// Quotations
    Quote,
}

impl From<KindArg> for Kind {
    fn from(kind: KindArg) -> Kind {
        match kind {
            KindArg::Passage => Kind::Passage,
            KindArg::Quote => Kind::Quote,
        }
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Readable text
    Text,
    /// One JSON array
    Json,
    /// One JSON object per line
    Jsonl,
}

impl From<FormatArg> for output::Format {
    fn from(format: FormatArg) -> output::Format {
        match format {
            FormatArg::Text => output::Format::Text,
            FormatArg::Json => output::Format::Json,
            FormatArg::Jsonl => output::Format::Jsonl,
        }
    }
}

/// Filters shared by `search` and `quotes`.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only passages or only quotes
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Author whose name contains these words, e.g. "taft" or "howard taft"
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,

    /// Filed under this keyword (repeat to require several)
    #[arg(long, value_name = "WORD")]
    pub keyword: Vec<String>,

    /// Topic that contains these words, e.g. "conquest of persia"
    #[arg(long, value_name = "TEXT")]
    pub topic: Option<String>,

    /// Years FROM..TO (either end may be open; B.C. is negative): a year the record mentions,
    /// or the birth or death of a quote's author
    #[arg(long, value_name = "FROM..TO", allow_hyphen_values = true)]
    pub year: Option<YearRange>,

    /// Carrying this tag or a tag under it, e.g. "event/battle" or "century/7" (repeatable)
    #[arg(long, value_name = "PATH")]
    pub tag: Vec<String>,
}

impl FilterArgs {
    /// The filters as the query module takes them.
    pub fn filters(&self) -> Filters {
        Filters {
            kind: self.kind.map(Kind::from),
            author: self.author.clone(),
            keywords: self.keyword.clone(),
            topic: self.topic.clone(),
            years: self.year,
            tags: self.tag.clone(),
        }
    }
}

/// Paging and output options shared by `search` and `quotes`.
#[derive(Debug, Clone, Args)]
pub struct ResultArgs {
    /// Print at most N hits
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: u64,

    /// Skip the first N hits
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: u64,

    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Print a citation in this style under each hit (see `flor cite --list-styles`)
    #[arg(long, value_name = "STYLE")]
    pub cite: Option<crate::cite::Style>,

    /// Count every match and print the total on stderr (slower on a large index, where only
    /// the hits shown are otherwise collected)
    #[arg(long)]
    pub count: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
