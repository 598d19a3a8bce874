//! `lockin fix`: scan, plan the codemod's rewrites (`crate::fix`), print them as a unified
//! diff or, with `--write`, apply them; sites left alone are listed on standard error.

use super::{load_rules, Status};
use crate::fix::{self, diff, Options};
use crate::scan::{self, ScanOptions};
use anyhow::Context as _;
use clap::Args;
use std::io::{self, Write};
use std::path::PathBuf;

/// `lockin fix` options.
#[derive(Debug, Args)]
pub(super) struct FixArgs {
    /// Directories or files to rewrite.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Apply the changes to the files (by default only print them as a unified diff).
    #[arg(long)]
    write: bool,
    /// Also lift model names written at call sites (`model="gpt-4o"`) into one module-level setting per model, read from LOCKIN_MODEL_<NAME>.
    #[arg(long)]
    lift_models: bool,
    /// Rewrite only code in this context (repeatable; default: every context, tests and examples included).
    #[arg(long, value_enum, value_name = "CONTEXT")]
    context: Vec<super::ContextArg>,
    /// Add rule files from DIR (or one file).
    #[arg(long, value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Print nothing but the diff (no notes on standard error).
    #[arg(long, short = 'q')]
    quiet: bool,
}

pub(super) fn run_fix(a: FixArgs) -> anyhow::Result<Status> {
    let rules = load_rules(&a.rules)?;
    let opts = ScanOptions { paths: a.paths.clone(), ..ScanOptions::default() };
    let report = scan::scan(&opts, &rules)?;
    let contexts = a.context.iter().flat_map(|c| c.contexts()).collect();
    let plan = fix::plan(&report, &a.paths, &rules, Options { lift_models: a.lift_models, contexts });
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut changes = 0;
    let mut masked = Vec::new();
    for file in &plan.files {
        changes += file.changes.len();
        if a.write {
            std::fs::write(&file.file, &file.fixed).with_context(|| format!("cannot write {}", file.file.display()))?;
            writeln!(out, "rewrote {} ({} changes)", file.path, file.changes.len())?;
        } else {
            // Never print a secret: a key-shaped token in the diff is masked, so that diff
            // does not apply; --write still rewrites the file.
            let text = diff::unified(&file.path, &file.original, &file.fixed);
            let shown = crate::detect::keys::mask(&text);
            if shown != text {
                masked.push(file.path.as_str());
            }
            out.write_all(shown.as_bytes())?;
        }
    }
    out.flush()?;
    if !a.quiet {
        let shown = crate::report::escape::visible;
        for n in &plan.notes {
            match n.line {
                0 => eprintln!("note: {}: {}", shown(&n.path), shown(&n.message)),
                line => eprintln!("note: {}:{line}: {}", shown(&n.path), shown(&n.message)),
            }
        }
        for path in masked {
            eprintln!(
                "note: {}: keys are masked in its diff, which therefore does not apply: use --write",
                shown(path)
            );
        }
        let verb = if a.write { "made" } else { "to make (dry run: --write applies them)" };
        eprintln!(
            "lockin fix: {changes} changes in {} files {verb}; {} sites left alone",
            plan.files.len(),
            plan.notes.len()
        );
    }
    Ok(Status::Clean)
}
