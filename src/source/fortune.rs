//! Placeholder for the fortune parser (being written).

use super::{Input, Parsed};

/// Parses one fortune input.
pub fn parse(_input: &Input) -> Parsed {
    Parsed::default()
}
