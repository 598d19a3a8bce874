//! Command-line interface: clap types and dispatch only. Each subcommand parses its
//! options, loads rules, calls the library and picks an exit status.

use crate::baseline::{Baseline, BaselineError};
use crate::config::{self, Config};
use crate::finding::Severity;
use crate::policy::Policy;
use crate::report::{self, Format};
use crate::rules::{self, explain, RuleSource};
use crate::scan::{self, ScanOptions};
use crate::walk::WalkOptions;
use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit statuses (README "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The scan ran and the policy (policy file, `--fail-on`) passed or there is none.
    Clean,
    /// The policy failed.
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
    /// Scan and apply the policy (lockin.toml): print why it failed, exit 1 on a violation.
    Check(ScanArgs),
    /// Write a commented starting policy file, lockin.toml.
    Init {
        /// Folder to write lockin.toml in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Overwrite an existing lockin.toml.
        #[arg(long)]
        force: bool,
    },
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
    /// Scan only the files changed since the merge base of REF and HEAD, and untracked files (needs git).
    #[arg(long, value_name = "REF", conflicts_with = "write_baseline")]
    changed_since: Option<String>,
    /// Output format (scan: table by default; check: the verdict only); repeat it, each with its own -o FILE, to write several reports from one scan.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    format: Vec<Format>,
    /// Write the report to FILE instead of standard output; with several --format, one -o for each, in the same order.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Vec<PathBuf>,
    /// Markdown: link each path to URL/path#Lline (e.g. https://github.com/OWNER/REPO/blob/COMMIT).
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
    /// Exit with status 1 when a finding has this severity or higher (overrides fail_on in the policy file).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<SeverityArg>,
    /// Policy file to use instead of the lockin.toml (or pyproject.toml [tool.lockin]) found from the scanned path upwards.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore policy files.
    #[arg(long)]
    no_config: bool,
    /// Leave out findings recorded in this baseline file (overrides baseline in the policy file).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file, then leave them out.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Also list findings silenced by lockin: ignore comments (table, Markdown, SARIF).
    #[arg(long)]
    show_suppressed: bool,
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
        Command::Scan(a) => run_scan(a, Mode::Scan),
        Command::Check(a) => run_scan(a, Mode::Check),
        Command::Init { dir, force } => run_init(dir, force),
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

/// `scan` prints reports; `check` prints the policy verdict unless reports are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Scan,
    Check,
}

fn run_init(dir: PathBuf, force: bool) -> anyhow::Result<Status> {
    let path = dir.join("lockin.toml");
    if path.exists() && !force {
        anyhow::bail!("{} already exists (--force overwrites it)", path.display());
    }
    std::fs::write(&path, Config::template()).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("wrote {}: uncomment what your policy needs, then run `lockin check`", path.display());
    Ok(Status::Clean)
}

/// The policy file that applies: `--config`, or the first found from the first path up.
fn find_config(a: &ScanArgs) -> anyhow::Result<Option<Config>> {
    if a.no_config {
        return Ok(None);
    }
    let path = match &a.config {
        Some(p) => Some(p.clone()),
        None => a.paths.first().and_then(|p| config::discover(p)),
    };
    Ok(match path {
        Some(p) => Some(Config::load(&p)?),
        None => None,
    })
}

/// The first scanned folder relative to the policy file's folder ("" when the same or
/// unrelated): allow and exclude globs are written relative to the policy file.
fn root_prefix(config: &Config, paths: &[PathBuf]) -> String {
    let Some(root) = paths.first().and_then(|p| std::fs::canonicalize(p).ok()) else { return String::new() };
    let root = if root.is_file() { root.parent().map(Path::to_path_buf).unwrap_or(root) } else { root };
    root.strip_prefix(&config.dir).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default()
}

fn apply_scoring(rules: &mut rules::RuleSet, config: &Config) -> anyhow::Result<()> {
    let o = &config.scoring;
    let Some(at) = &o.at else { return Ok(()) };
    let s = &mut rules.substitutes.scoring;
    for (value, slot) in [
        (o.concentration, &mut s.concentration),
        (o.depth, &mut s.depth),
        (o.exposure, &mut s.exposure),
        (o.spread, &mut s.spread),
        (o.mitigation, &mut s.mitigation),
    ] {
        if let Some(v) = value {
            *slot = v;
        }
    }
    if let Some(l) = o.effort_levels {
        s.effort_levels = l;
    }
    s.check().map_err(|(key, message)| anyhow::anyhow!("invalid configuration:\n{at}: key `scoring.{key}`: {message}"))
}

fn run_scan(a: ScanArgs, mode: Mode) -> anyhow::Result<Status> {
    let formats = match (a.format.is_empty(), mode) {
        (true, Mode::Scan) => vec![Format::Table],
        _ => a.format.clone(),
    };
    let targets = if formats.is_empty() && a.output.is_empty() { Vec::new() } else { targets(&formats, &a.output)? };
    let config = find_config(&a)?;
    let prefix = config.as_ref().map(|c| root_prefix(c, &a.paths)).unwrap_or_default();
    let mut rule_dirs: Vec<PathBuf> = config.as_ref().map(|c| c.rules.clone()).unwrap_or_default();
    rule_dirs.extend(a.rules.iter().cloned());
    let mut rules = load_rules(&rule_dirs)?;
    if let Some(c) = &config {
        apply_scoring(&mut rules, c)?;
    }
    let policy = Policy::new(config.as_ref(), a.fail_on.map(Into::into), &rules, &prefix).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("invalid configuration:\n{}", lines.join("\n"))
    })?;
    let (mut exclude, mut include) = (a.exclude.clone(), a.include.clone());
    if let Some(c) = &config {
        exclude.extend(config::rebase_globs(&c.exclude, &prefix));
        if include.is_empty() {
            include = config::rebase_globs(&c.include, &prefix);
        }
    }
    let baseline_path = a.baseline.clone().or_else(|| config.as_ref().and_then(|c| c.baseline.clone()));
    let baseline = match (&baseline_path, &a.write_baseline) {
        (Some(p), None) => Some(Baseline::read(p).map_err(|e| match e {
            BaselineError::Read { source, .. } if source.kind() == io::ErrorKind::NotFound => anyhow::anyhow!(
                "baseline {} does not exist: write it with `lockin scan --write-baseline {}`",
                p.display(),
                p.display()
            ),
            other => other.into(),
        })?),
        _ => None,
    };
    let opts = ScanOptions {
        paths: a.paths.clone(),
        walk: WalkOptions {
            no_default_excludes: a.no_default_excludes,
            follow_links: a.follow,
            hidden: a.hidden,
            no_ignore: a.no_ignore,
            include,
            exclude,
        },
        max_filesize: a.max_filesize,
        changed_since: a.changed_since,
    };
    let mut report = scan::scan(&opts, &rules)?;
    if let Some(path) = &a.write_baseline {
        let written = Baseline::of(&report.findings);
        std::fs::write(path, written.to_text()).with_context(|| format!("cannot write {}", path.display()))?;
        if !a.quiet {
            eprintln!("lockin: wrote {} findings to baseline {}", written.findings.len(), path.display());
        }
        report.apply_baseline(&written, &path.to_string_lossy());
    } else if let (Some(b), Some(p)) = (&baseline, &baseline_path) {
        report.apply_baseline(b, &config::display_path(p));
    }
    if !policy.is_empty() {
        report.policy = Some(policy.evaluate(&report));
    }

    let mut ctx = report::Context::new(&rules);
    ctx.link_base = a.link_base.clone();
    ctx.show_suppressed = a.show_suppressed;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color_for = |terminal: bool| match a.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    };
    let report_on_stdout = targets.iter().any(|(_, p)| p.is_none());
    for (format, path) in targets.iter().cloned() {
        ctx.color = color_for(path.is_none() && io::stdout().is_terminal());
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
        // The table lists them itself.
        if !targets.contains(&(Format::Table, None)) {
            for p in &report.suppression_problems {
                eprintln!("warning: {}:{}:{}: {}", p.path, p.line, p.column, p.message);
            }
        }
    }
    let failed = report.policy.as_ref().is_some_and(|v| !v.passed);
    // The verdict: on stdout for `check` unless a report is there, else on stderr when it failed.
    if mode == Mode::Check && !report_on_stdout && (failed || !a.quiet) {
        ctx.color = color_for(io::stdout().is_terminal());
        let stdout = io::stdout();
        let mut lock = stdout.lock();
        if report.policy.is_some() {
            report::verdict::render(&report, &ctx, &mut lock)?;
        } else {
            writeln!(
                lock,
                "lockin: no policy: no lockin.toml or [tool.lockin] found from {} up, and no --fail-on; \
                 `lockin init` writes one ({} findings)",
                a.paths.first().map_or_else(|| ".".into(), |p| p.display().to_string()),
                report.findings.len()
            )?;
        }
        lock.flush()?;
    } else if failed && !a.quiet {
        ctx.color = color_for(io::stderr().is_terminal());
        report::verdict::render(&report, &ctx, &mut io::stderr().lock())?;
    }
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
