//! `lockin merge`: read many repositories' JSON reports (files or folders of them), merge
//! them (`crate::merge`) and write the organisation view; reports left out are named on
//! standard error.

use super::Status;
use crate::merge::{self, render::MergeFormat};
use anyhow::Context as _;
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;

/// `lockin merge` options.
#[derive(Debug, Args)]
pub(super) struct MergeArgs {
    /// JSON reports (`lockin scan --format json`), or folders holding them (read recursively).
    #[arg(required = true, value_name = "REPORT.json|DIR")]
    inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = MergeFormat::Markdown)]
    format: MergeFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print nothing but the report.
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub(super) fn run_merge(a: MergeArgs) -> anyhow::Result<Status> {
    let files = merge::inputs(&a.inputs);
    if files.is_empty() {
        anyhow::bail!(
            "no JSON reports found in {}",
            a.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    let merged = merge::merge_files(&files);
    let mut buf = Vec::new();
    merge::render::render(&merged, a.format, &mut buf)?;
    match &a.output {
        Some(path) => std::fs::write(path, &buf).with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&buf)?;
            out.flush()?;
        }
    }
    if !a.quiet {
        let shown = crate::report::escape::visible;
        for e in &merged.errors {
            eprintln!("warning: {}: {} (left out)", shown(&e.file), shown(&e.message));
        }
        eprintln!("lockin merge: {} reports merged, {} left out", merged.totals.repositories, merged.errors.len());
    }
    // Every input left out: nothing was merged, which is an error.
    Ok(if merged.totals.repositories == 0 { Status::Error } else { Status::Clean })
}
