//! The report: the one value renderers read. Its serde form *is* the JSON contract in
//! spec/report-json.md. Renderers only format; they compute nothing.

pub mod json;
pub mod table;

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::score::{self, Recommendation, Risk, Scope, VendorSummary};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// `{path, message}`: a file that could not be read or parsed; the scan went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileError {
    /// Relative path.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Scan statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Files of a kind lockin reads that were read (parsed or ruled out by the prefilter).
    pub files_scanned: u64,
    /// Files of a kind lockin reads that were not read: binary, over the size limit, unreadable.
    pub files_skipped: u64,
    /// Files with at least one finding.
    pub files_with_findings: u64,
    /// Bytes read.
    pub bytes_scanned: u64,
    /// Wall time of the scan.
    pub duration_ms: u64,
    /// Per-file problems.
    pub errors: Vec<FileError>,
}

/// `{ "name": "lockin", "version": ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `lockin`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// The whole report (spec/report-json.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always 1.
    pub schema_version: u32,
    /// The tool.
    pub tool: Tool,
    /// The scanned path(s) as given.
    pub root: String,
    /// Statistics.
    pub stats: Stats,
    /// Findings, sorted.
    pub findings: Vec<Finding>,
    /// One entry per vendor seen.
    pub vendors: Vec<VendorSummary>,
    /// The risk assessment.
    pub risk: Risk,
    /// Open substitutes per vendor and capability.
    pub recommendations: Vec<Recommendation>,
}

impl Report {
    /// Assembles the report from sorted findings.
    pub fn new(root: String, stats: Stats, findings: Vec<Finding>, rules: &RuleSet, scope: &Scope) -> Report {
        let vendors = score::vendors(&findings, rules, scope);
        let risk = score::risk(&findings, rules, scope);
        let recommendations = score::recommendations(&findings, rules);
        Report {
            schema_version: 1,
            tool: Tool { name: "lockin".into(), version: env!("CARGO_PKG_VERSION").into() },
            root,
            stats,
            findings,
            vendors,
            risk,
            recommendations,
        }
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for terminals.
    Table,
    /// The JSON contract.
    Json,
}

/// Renders a report in a format.
pub fn render(report: &Report, format: Format, out: &mut dyn Write, color: bool) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, out, color),
        Format::Json => json::render(report, out),
    }
}
