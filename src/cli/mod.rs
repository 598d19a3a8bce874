//! Command-line interface: clap types and dispatch. Each subcommand (`scan_cmd.rs`,
//! `rules_cmd.rs`) parses its options, loads rules, calls the library and picks an exit
//! status.

mod fix_cmd;
mod merge_cmd;
mod plan_cmd;
mod rules_cmd;
mod scan_cmd;
mod stdin;

use crate::finding::Severity;
use crate::report::Format;
use crate::rules::{self, RuleSource};
use crate::scan::DEFAULT_MAX_FILESIZE;
use clap::{Args, Parser, Subcommand, ValueEnum};
use scan_cmd::Mode;
use std::ffi::OsString;
use std::io;
use std::path::PathBuf;
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

/// `lockin --version`: the crate version and the commit it is built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("LOCKIN_COMMIT"), ")");

#[derive(Debug, Parser)]
#[command(
    name = "lockin",
    version = VERSION,
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
    /// Rewrite the safe moves: make OpenAI-SDK base URLs configurable (and lift model names); prints a diff unless --write.
    Fix(fix_cmd::FixArgs),
    /// Merge many repositories' JSON reports into one organisation view (Markdown, JSON or HTML).
    Merge(merge_cmd::MergeArgs),
    /// Scan and write the migration plan: per call site the change, the open substitute and the effort; or the gateway (--emit litellm) and serving (--emit compose) configs.
    Plan(plan_cmd::PlanArgs),
    /// Print a shell completion script (e.g. `lockin completions bash > /etc/bash_completion.d/lockin`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (e.g. `lockin man > lockin.1; man ./lockin.1`).
    Man,
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
    /// Leave out findings recorded in this baseline file (overrides baseline in the policy file; by default lockin-baseline.json beside the policy file, or in the scanned folder, is read when it exists).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file, then leave them out; without FILE, where later runs read it: the policy's baseline, else lockin-baseline.json beside the policy file (or in the scanned folder).
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    write_baseline: Option<Option<PathBuf>>,
    /// Also list findings silenced by lockin: ignore comments (table, Markdown, SARIF).
    #[arg(long)]
    show_suppressed: bool,
    /// Report the scan's wall time in `stats.duration_ms` (otherwise 0, so that the same tree gives the same bytes).
    #[arg(long)]
    timing: bool,
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
    /// Also scan generated and minified sources (`.min.js`, source maps, `@generated`, very long lines).
    #[arg(long)]
    no_skip_generated: bool,
    /// Parse every file, even those the prefilter rules out (a check that it loses nothing).
    #[arg(long, hide = true)]
    no_prefilter: bool,
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
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILESIZE)]
    max_filesize: u64,
    /// Print nothing but the report (no warnings on standard error).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Which code the score, hotspots and migration plan count (repeatable): product code by default; `all` counts tests, examples, scripts, docs and generated code too.
    #[arg(long, value_enum, value_name = "CONTEXT")]
    context: Vec<ContextArg>,
    /// Report only findings these selectors name (rule id, rule-id glob, vendor, framework, vendor.capability, kind; comma-separated, repeatable); replaces the policy's select.
    #[arg(long, value_name = "SELECTOR", value_delimiter = ',')]
    select: Vec<String>,
    /// Never report findings these selectors name (as --select), added to the policy's ignore; they are not scored either.
    #[arg(long, value_name = "SELECTOR", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Table: list findings of this kind instead of call sites (repeatable).
    #[arg(long, value_enum, value_name = "KIND")]
    kind: Vec<KindArg>,
    /// Table: list every finding of every kind, grouped by file.
    #[arg(long, conflicts_with_all = ["kind", "statistics"])]
    all: bool,
    /// Table: count findings per rule instead of listing them.
    #[arg(long)]
    statistics: bool,
    /// Scanning threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Markdown: at most this many bytes (under GitHub's 1 MiB job-summary limit by default); the summary stays whole, details and the findings appendix are cut, and the report says so.
    #[arg(long, value_name = "BYTES", default_value_t = 1_000_000)]
    max_bytes: usize,
    /// Judge model lifecycle (deprecated, retired) as of this day instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<crate::lifecycle::Date>,
    /// Scan standard input as the file PATH (`lockin scan - --stdin-filename src/app.py`): findings carry PATH, its extension gives the language.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["changed_since", "write_baseline"])]
    stdin_filename: Option<PathBuf>,
}

/// `--as-of YYYY-MM-DD`.
fn parse_date(s: &str) -> Result<crate::lifecycle::Date, String> {
    crate::lifecycle::Date::parse(s).ok_or_else(|| format!("`{s}` is not a day (YYYY-MM-DD)"))
}

/// `--context`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ContextArg {
    Product,
    Test,
    Example,
    Script,
    Docs,
    Generated,
    /// Every context.
    All,
}

/// `--kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum KindArg {
    Import,
    Client,
    Call,
    Dependency,
    Model,
    Endpoint,
    Env,
    Secret,
}

impl From<KindArg> for crate::finding::Kind {
    fn from(k: KindArg) -> crate::finding::Kind {
        use crate::finding::Kind;
        match k {
            KindArg::Import => Kind::Import,
            KindArg::Client => Kind::Client,
            KindArg::Call => Kind::Call,
            KindArg::Dependency => Kind::Dependency,
            KindArg::Model => Kind::Model,
            KindArg::Endpoint => Kind::Endpoint,
            KindArg::Env => Kind::Env,
            KindArg::Secret => Kind::Secret,
        }
    }
}

impl ContextArg {
    /// The contexts it names (`all`: every one).
    fn contexts(self) -> Vec<crate::context::CodeContext> {
        use crate::context::CodeContext;
        match self {
            ContextArg::Product => vec![CodeContext::Product],
            ContextArg::Test => vec![CodeContext::Test],
            ContextArg::Example => vec![CodeContext::Example],
            ContextArg::Script => vec![CodeContext::Script],
            ContextArg::Docs => vec![CodeContext::Docs],
            ContextArg::Generated => vec![CodeContext::Generated],
            ContextArg::All => CodeContext::ALL.to_vec(),
        }
    }
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
        /// List the vendors instead: who serves requests, their hosts and variables.
        #[arg(long)]
        vendors: bool,
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
        Command::Scan(a) => scan_cmd::run_scan(a, Mode::Scan),
        Command::Check(a) => scan_cmd::run_scan(a, Mode::Check),
        Command::Init { dir, force } => scan_cmd::run_init(dir, force),
        Command::Rules(r) => rules_cmd::run_rules(r),
        Command::Fix(a) => fix_cmd::run_fix(a),
        Command::Merge(a) => merge_cmd::run_merge(a),
        Command::Plan(p) => plan_cmd::run_plan(p),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "lockin", &mut out);
            Ok(Status::Clean)
        }
        Command::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command())
                .render(&mut io::stdout().lock())
                .map(|()| Status::Clean)
                .map_err(anyhow::Error::from)
        }
    };
    match result {
        Ok(s) => s,
        Err(e) if is_broken_pipe(&e) => Status::Clean,
        Err(e) => {
            // A rule, policy or baseline file of the scanned tree may be quoted: mask its keys.
            let message = format!("{e:#}");
            let shown: Vec<String> =
                crate::detect::keys::mask(&message).lines().map(crate::report::escape::visible).collect();
            eprintln!("error: {}", shown.join("\n"));
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
