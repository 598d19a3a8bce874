//! `lockin scan`, `lockin check` and `lockin init`: find the policy file, load rules and
//! policy, scan, apply the baseline and the policy, write the reports and the verdict, and
//! pick the exit status.

use super::{load_rules, targets, ColorChoice, ScanArgs, Status};
use crate::baseline::{Baseline, BaselineError};
use crate::config::{self, Config};
use crate::context::Contexts;
use crate::pipeline::{self, BaselineUse, Outcome, Overrides, Run};
use crate::report::{self, Format};
use crate::scan::{self, ScanOptions};
use crate::walk::WalkOptions;
use anyhow::Context as _;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

/// `scan` prints reports; `check` prints the policy verdict unless reports are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Scan,
    Check,
}

pub(super) fn run_init(dir: PathBuf, force: bool) -> anyhow::Result<Status> {
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

fn progress_bar() -> (indicatif::ProgressBar, std::time::Instant) {
    let bar = indicatif::ProgressBar::hidden();
    bar.set_style(
        indicatif::ProgressStyle::with_template("scanning {bar:30} {pos}/{len} files")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    (bar, std::time::Instant::now())
}

/// Where `lockin-baseline.json` is by default: the policy's `baseline`, else beside the
/// policy file, else in the first scanned folder (or the current one).
fn default_baseline(a: &ScanArgs, config: Option<&Config>) -> PathBuf {
    const FILE: &str = "lockin-baseline.json";
    if let Some(b) = config.and_then(|c| c.baseline.clone()) {
        return b;
    }
    match config {
        Some(c) => c.dir.join(FILE),
        None => a.paths.first().filter(|p| p.is_dir()).map_or_else(|| PathBuf::from(FILE), |p| p.join(FILE)),
    }
}

/// The one command that records today's findings where this run would read them back.
fn accept_command(a: &ScanArgs, mode: Mode, read: &Option<PathBuf>, default: &std::path::Path) -> String {
    let mut cmd = vec!["lockin".to_string(), if mode == Mode::Check { "check" } else { "scan" }.to_string()];
    if a.paths.len() != 1 || a.paths[0] != std::path::Path::new(".") {
        cmd.extend(a.paths.iter().map(|p| shell_word(&p.to_string_lossy())));
    }
    if let Some(c) = &a.config {
        cmd.push(format!("--config {}", shell_word(&c.to_string_lossy())));
    }
    if a.no_config {
        cmd.push("--no-config".into());
    }
    match (&a.baseline, read) {
        (Some(b), _) => cmd.push(format!("--baseline {0} --write-baseline {0}", shell_word(&b.to_string_lossy()))),
        (None, Some(r)) if r != default => cmd.push(format!("--write-baseline {}", shell_word(&r.to_string_lossy()))),
        _ => cmd.push("--write-baseline".into()),
    }
    cmd.join(" ")
}

/// A word as a POSIX shell reads it back.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The policy file, the rules (with the policy's scoring) and the scan options of a run:
/// what `scan`, `check` and `plan` share before scanning.
pub(super) fn setup(a: &ScanArgs) -> anyhow::Result<(Option<Config>, crate::rules::RuleSet, ScanOptions)> {
    let config = find_config(a)?;
    let mut rule_dirs: Vec<PathBuf> = config.as_ref().map(|c| c.rules.clone()).unwrap_or_default();
    rule_dirs.extend(a.rules.iter().cloned());
    let mut rules = load_rules(&rule_dirs)?;
    if let Some(c) = &config {
        c.scoring.apply(&mut rules.substitutes.scoring).map_err(|e| anyhow::anyhow!("invalid configuration:\n{e}"))?;
    }
    let opts = ScanOptions {
        paths: a.paths.clone(),
        walk: WalkOptions {
            no_default_excludes: a.no_default_excludes,
            follow_links: a.follow,
            hidden: a.hidden,
            no_ignore: a.no_ignore,
            include: a.include.clone(),
            exclude: a.exclude.clone(),
            anchored: None,
        },
        max_filesize: a.max_filesize,
        changed_since: a.changed_since.clone(),
        progress: None,
        timing: a.timing,
        contexts: Contexts::default(),
        threads: a.threads.map(usize::from),
        prefilter: !a.no_prefilter,
        skip_generated: !a.no_skip_generated,
        as_of: a.as_of.unwrap_or_else(crate::lifecycle::Date::today),
        root_name: a.stdin_filename.is_some().then(|| "-".to_string()),
    };
    Ok((config, rules, opts))
}

pub(super) fn run_scan(mut a: ScanArgs, mode: Mode) -> anyhow::Result<Status> {
    let _staged = super::stdin::stage(&mut a, &mut io::stdin().lock())?;
    let formats = match (a.format.is_empty(), mode) {
        (true, Mode::Scan) => vec![Format::Table],
        _ => a.format.clone(),
    };
    let targets = if formats.is_empty() && a.output.is_empty() { Vec::new() } else { targets(&formats, &a.output)? };
    let (config, rules, mut opts) = setup(&a)?;
    let default_baseline = default_baseline(&a, config.as_ref());
    let write_baseline = a.write_baseline.clone().map(|p| p.unwrap_or_else(|| default_baseline.clone()));
    // See: issue 16. The file `--write-baseline` writes by default is read by default.
    let baseline_path = a
        .baseline
        .clone()
        .or_else(|| config.as_ref().and_then(|c| c.baseline.clone()))
        .or_else(|| default_baseline.is_file().then(|| default_baseline.clone()));
    let baseline = match (&baseline_path, &write_baseline) {
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
    // A progress bar only where a person watches: stdout and stderr on a terminal, not
    // --quiet; drawn only once the scan has taken half a second.
    let bar = (!a.quiet && io::stdout().is_terminal() && io::stderr().is_terminal()).then(progress_bar);
    if let Some((bar, started)) = &bar {
        let (bar, started) = (bar.clone(), *started);
        opts.progress = Some(scan::Progress(std::sync::Arc::new(move |done, total| {
            if bar.is_hidden() && started.elapsed() > std::time::Duration::from_millis(500) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_length(total);
            bar.set_position(done);
        })));
    }
    let overrides = Overrides {
        fail_on: a.fail_on.map(Into::into),
        select: a.select.clone(),
        ignore: a.ignore.clone(),
        contexts: a.context.iter().flat_map(|c| c.contexts()).collect(),
    };
    let mut run = Run::configured(opts, config.as_ref(), &overrides, &rules)
        .map_err(|errors| anyhow::anyhow!("invalid configuration:\n{}", errors.join("\n")))?;
    let baseline = match (&write_baseline, baseline, &baseline_path) {
        (Some(path), _, _) => {
            let shown = if a.write_baseline.as_ref().is_some_and(Option::is_none) {
                config::display_path(path)
            } else {
                path.to_string_lossy().into_owned()
            };
            BaselineUse::Write { shown }
        }
        (None, Some(b), Some(p)) => BaselineUse::Read { baseline: b, shown: config::display_path(p) },
        _ => BaselineUse::None,
    };
    run.baseline = baseline;
    let outcome = pipeline::run(&run, &rules);
    if let Some((bar, _)) = &bar {
        bar.finish_and_clear();
    }
    let Outcome { report, written } = outcome?;
    if let (Some(path), Some(written)) = (&write_baseline, &written) {
        std::fs::write(path, written.to_text()).with_context(|| format!("cannot write {}", path.display()))?;
        if !a.quiet {
            let shown = report.baseline.as_ref().map_or("", |b| b.path.as_str());
            eprintln!("lockin: wrote {} findings to baseline {shown}", written.findings.len());
        }
    }

    let mut ctx = report::Context::new(&rules);
    // SARIF results carry the rewrites `lockin fix` would make as their `fixes`.
    if targets.iter().any(|(f, _)| *f == Format::Sarif) {
        let plan = crate::fix::plan(&report, &a.paths, &rules, crate::fix::Options::default());
        ctx.fixes = crate::fix::sarif_fixes(&plan);
    }
    ctx.link_base = a.link_base.clone();
    ctx.show_suppressed = a.show_suppressed;
    ctx.accept_command = Some(accept_command(&a, mode, &baseline_path, &default_baseline));
    ctx.kinds = a.kind.iter().map(|&k| k.into()).collect();
    ctx.all = a.all;
    ctx.statistics = a.statistics;
    ctx.max_bytes = Some(a.max_bytes);
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
                // Written as it is rendered: a report held whole in memory grew with the tree.
                let cannot = || format!("cannot write {}", path.display());
                let mut out = io::BufWriter::new(std::fs::File::create(&path).with_context(cannot)?);
                report::render(&report, format, &ctx, &mut out).with_context(cannot)?;
                out.flush().with_context(cannot)?;
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
        let shown = report::escape::visible;
        for e in &report.stats.errors {
            eprintln!("warning: {}: {}", shown(&e.path), shown(&e.message));
        }
        // The table lists them itself.
        if !targets.contains(&(Format::Table, None)) {
            for p in &report.suppression_problems {
                eprintln!("warning: {}:{}:{}: {}", shown(&p.path), p.line, p.column, shown(&p.message));
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
