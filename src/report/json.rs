//! `--format json`: the report as pretty JSON, with a final newline.

use super::Report;
use std::io::{self, Write};

/// Writes the JSON contract.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::from)?;
    writeln!(out)
}
