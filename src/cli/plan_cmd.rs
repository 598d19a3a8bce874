//! `lockin plan`: scan with the same rules, policy file and contexts as `lockin scan`, then
//! write the migration plan (Markdown, JSON, CSV) or, with `--emit`, the LiteLLM gateway
//! config or the Docker Compose file serving the open substitutes.

use super::{scan_cmd, ContextArg, ScanArgs, Status};
use crate::plan::gateway::{self, Options, Server};
use crate::plan::render::{self, PlanFormat};
use anyhow::Context as _;
use clap::{Args, Parser, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

/// `--emit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Emit {
    /// A LiteLLM proxy config.yaml routing every model the code names to an open model.
    Litellm,
    /// A Docker Compose file: the open servers with GPU reservations and the gateway in front.
    Compose,
}

#[derive(Debug, Args)]
pub(super) struct PlanArgs {
    /// Directories or files to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Plan format.
    #[arg(long, short = 'f', value_enum, default_value_t = PlanFormat::Markdown)]
    format: PlanFormat,
    /// Write a config instead of the plan.
    #[arg(long, value_enum, value_name = "CONFIG")]
    emit: Option<Emit>,
    /// --emit: the self-hosted server the configs target.
    #[arg(long, value_enum, default_value_t = Server::Vllm)]
    server: Server,
    /// --emit litellm: keep each vendor route as a fallback behind the open one.
    #[arg(long)]
    keep_vendor_fallback: bool,
    /// Write to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Judge model lifecycle as of this day instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = super::parse_date)]
    as_of: Option<crate::lifecycle::Date>,
    /// Which code the plan counts (repeatable): product code by default; `all` counts everything.
    #[arg(long, value_enum, value_name = "CONTEXT")]
    context: Vec<ContextArg>,
    /// Policy file to use instead of the one found from the scanned path upwards.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore policy files.
    #[arg(long)]
    no_config: bool,
    /// Add rule files from DIR (or one file).
    #[arg(long, value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Skip files and folders matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Scan only files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Scanning threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Print nothing but the output (no warnings on standard error).
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// `lockin scan`'s options at their defaults, for the scan `plan` runs.
#[derive(Debug, Parser)]
struct Defaults {
    #[command(flatten)]
    scan: ScanArgs,
}

pub(super) fn run_plan(p: PlanArgs) -> anyhow::Result<Status> {
    let mut a = Defaults::parse_from(["lockin"]).scan;
    a.paths = p.paths.clone();
    a.config = p.config.clone();
    a.no_config = p.no_config;
    a.rules = p.rules.clone();
    a.exclude = p.exclude.clone();
    a.include = p.include.clone();
    a.threads = p.threads;
    a.context = p.context.clone();
    a.as_of = p.as_of;
    let (config, rules, opts) = scan_cmd::setup(&a)?;
    let as_of = opts.as_of;
    // The same run as `scan`'s (policy contexts, selections, anchored globs), without a baseline.
    let overrides = crate::pipeline::Overrides {
        contexts: a.context.iter().flat_map(|c| c.contexts()).collect(),
        ..Default::default()
    };
    let run = crate::pipeline::Run::configured(opts, config.as_ref(), &overrides, &rules)
        .map_err(|errors| anyhow::anyhow!("invalid configuration:\n{}", errors.join("\n")))?;
    let report = crate::pipeline::run(&run, &rules)?.report;
    if !p.quiet {
        for e in &report.stats.errors {
            let shown = crate::report::escape::visible;
            eprintln!("warning: {}: {}", shown(&e.path), shown(&e.message));
        }
    }
    let plan = crate::plan::build(&report, &rules, as_of);
    let options = Options { server: p.server, keep_vendor_fallback: p.keep_vendor_fallback };
    let mut buf = Vec::new();
    match p.emit {
        Some(Emit::Litellm) => buf.extend(gateway::litellm(&plan, &rules, options).into_bytes()),
        Some(Emit::Compose) => buf.extend(gateway::compose(&plan, &rules, options).into_bytes()),
        None => render::render(&plan, p.format, &mut buf)?,
    }
    match &p.output {
        Some(path) => std::fs::write(path, buf).with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&buf)?;
            out.flush()?;
        }
    }
    Ok(Status::Clean)
}
