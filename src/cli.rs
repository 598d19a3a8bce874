//! Command-line interface: clap types and dispatch only. Each subcommand parses its
//! options, loads rules, calls the library and picks an exit status.

use crate::finding::Severity;
use crate::report::{self, Format};
use crate::rules::{self, explain, RuleSource};
use crate::scan::{self, ScanOptions};
use crate::walk::WalkOptions;
use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit statuses (README "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The scan ran and no finding reached `--fail-on`.
    Clean,
    /// A finding reached `--fail-on`.
    Failed,
    /// Usage, rule or I/O error.
    Error,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(match s {
            Status::Clean => 0,
            Status::Failed => 1,
            Status::Error => 2,
        })
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "lockin",
    version,
    about = "Audit a codebase for dependence on proprietary LLM vendors",
    long_about = "Audit a codebase for dependence on proprietary LLM vendors: where it calls OpenAI, \
                  Anthropic, Google, Cohere, Bedrock, Mistral and others, how concentrated that \
                  dependence is, and what open substitutes exist."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan paths for vendor SDK imports, clients, calls, manifests, models, endpoints and credentials.
    Scan(ScanArgs),
    /// List and explain the rules.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
struct ScanArgs {
    /// Directories or files to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format; repeat it, each with its own -o FILE, to write several reports from one scan.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT", default_value = "table")]
    format: Vec<Format>,
    /// Write the report to FILE instead of standard output; with several --format, one -o for each, in the same order.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Vec<PathBuf>,
    /// Markdown: link each path to URL/path#Lline (e.g. https://github.com/OWNER/REPO/blob/COMMIT).
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
    /// Exit with status 1 when a finding has this severity or higher.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<SeverityArg>,
    /// Add rule files from DIR (or one file); rules with an embedded id override it.
    #[arg(long, value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Skip files and folders matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Scan only files matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Also scan virtual environments, node_modules, site-packages, __pycache__ and build output.
    #[arg(long)]
    no_default_excludes: bool,
    /// Follow symbolic links.
    #[arg(long, short = 'L')]
    follow: bool,
    /// Scan hidden files and folders.
    #[arg(long)]
    hidden: bool,
    /// Do not respect .gitignore and .ignore files.
    #[arg(long)]
    no_ignore: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = scan::DEFAULT_MAX_FILESIZE)]
    max_filesize: u64,
    /// Print nothing but the report (no warnings on standard error).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List every rule, sorted by id.
    List {
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Add rule files from DIR.
        #[arg(long, value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Explain one rule: what it detects, why it matters, an example, what to do instead.
    Explain {
        /// Rule id, e.g. openai.chat-completions.
        id: String,
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Add rule files from DIR.
        #[arg(long, value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    /// Human-readable text.
    Table,
    /// JSON.
    Json,
}

/// Runs lockin with these arguments; returns the exit status.
pub fn run<I, T>(args: I) -> Status
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { Status::Error } else { Status::Clean };
        }
    };
    let result = match cli.command {
        Command::Scan(a) => run_scan(a),
        Command::Rules(r) => run_rules(r),
    };
    match result {
        Ok(s) => s,
        Err(e) if is_broken_pipe(&e) => Status::Clean,
        Err(e) => {
            eprintln!("error: {e:#}");
            Status::Error
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe))
}

fn load_rules(dirs: &[PathBuf]) -> anyhow::Result<rules::RuleSet> {
    let mut sources = vec![RuleSource::Embedded];
    sources.extend(dirs.iter().cloned().map(RuleSource::Path));
    rules::load(&sources).map_err(|e| anyhow::anyhow!("invalid rules:\n{e}"))
}

/// Pairs each `--format` with its `-o FILE` (in order); one format may go to standard output.
fn targets(formats: &[Format], files: &[PathBuf]) -> anyhow::Result<Vec<(Format, Option<PathBuf>)>> {
    match (formats, files) {
        ([one], []) => Ok(vec![(*one, None)]),
        (f, o) if f.len() == o.len() => {
            let mut seen = std::collections::HashSet::new();
            if let Some(dup) = o.iter().find(|p| !seen.insert(*p)) {
                anyhow::bail!("-o {} is given twice: each format needs its own file", dup.display());
            }
            Ok(f.iter().copied().zip(o.iter().cloned().map(Some)).collect())
        }
        (f, o) => anyhow::bail!(
            "{} --format and {} -o: with several formats give one -o FILE for each, in the same order \
             (e.g. --format json -o lockin.json --format markdown -o lockin.md)",
            f.len(),
            o.len()
        ),
    }
}

fn run_scan(a: ScanArgs) -> anyhow::Result<Status> {
    let targets = targets(&a.format, &a.output)?;
    let rules = load_rules(&a.rules)?;
    let opts = ScanOptions {
        paths: a.paths,
        walk: WalkOptions {
            no_default_excludes: a.no_default_excludes,
            follow_links: a.follow,
            hidden: a.hidden,
            no_ignore: a.no_ignore,
            include: a.include,
            exclude: a.exclude,
        },
        max_filesize: a.max_filesize,
    };
    let report = scan::scan(&opts, &rules)?;
    let mut ctx = report::Context::new(&rules);
    ctx.link_base = a.link_base;
    for (format, path) in targets {
        let to_terminal = path.is_none() && io::stdout().is_terminal();
        ctx.color = match a.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        };
        match path {
            Some(path) => {
                let mut buf = Vec::new();
                report::render(&report, format, &ctx, &mut buf)?;
                std::fs::write(&path, buf).with_context(|| format!("cannot write {}", path.display()))?;
            }
            None => {
                let stdout = io::stdout();
                let mut lock = stdout.lock();
                report::render(&report, format, &ctx, &mut lock)?;
                lock.flush()?;
            }
        }
    }
    if !a.quiet {
        for e in &report.stats.errors {
            eprintln!("warning: {}: {}", e.path, e.message);
        }
    }
    let threshold: Option<Severity> = a.fail_on.map(Into::into);
    let failed = threshold.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    Ok(if failed { Status::Failed } else { Status::Clean })
}

fn run_rules(cmd: RulesCommand) -> anyhow::Result<Status> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cmd {
        RulesCommand::List { format, rules } => {
            let set = load_rules(&rules)?;
            let list = set.rules();
            match format {
                ListFormat::Json => {
                    let v: Vec<serde_json::Value> = list.iter().map(explain::rule_json).collect();
                    serde_json::to_writer_pretty(&mut out, &v)?;
                    writeln!(out)?;
                }
                ListFormat::Table => {
                    let mut t = comfy_table::Table::new();
                    t.load_preset(comfy_table::presets::NOTHING);
                    t.set_header(["id", "vendor", "kind", "capability", "severity"]);
                    for r in &list {
                        t.add_row([
                            r.id.clone(),
                            r.owner.clone(),
                            r.kind.to_string(),
                            r.capability.to_string(),
                            r.severity.to_string(),
                        ]);
                    }
                    writeln!(out, "{t}")?;
                }
            }
            Ok(Status::Clean)
        }
        RulesCommand::Explain { id, format, rules } => {
            let set = load_rules(&rules)?;
            let Some(rule) = set.rule(&id) else {
                anyhow::bail!("no rule `{id}` (see `lockin rules list`)");
            };
            match format {
                ListFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &explain::rule_json(&rule))?;
                    writeln!(out)?;
                }
                ListFormat::Table => write!(out, "{}", explain::explain_text(&rule, &set.substitutes))?,
            }
            Ok(Status::Clean)
        }
    }
}
