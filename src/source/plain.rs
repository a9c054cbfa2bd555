//! Placeholder for the plain parser (being written).

use super::{Input, Parsed};

/// Parses one plain input.
pub fn parse(_input: &Input) -> Parsed {
    Parsed::default()
}
