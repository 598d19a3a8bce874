//! The scan pipeline: walk → read → prefilter → detect → cross-module resolve → sort →
//! score → [`Report`]. Per-file problems go to `stats.errors` and the scan goes on.
//! Parallel per file (rayon); everything is sorted afterwards so that output never
//! depends on thread timing.
//!
//! With `--changed-since` ([`crate::git`]) the walk still lists every file (it is cheap and
//! names the local modules), but only the changed files are detected, each one parsed,
//! and then, until none is left, the unchanged files whose exports resolving their calls
//! looks up ([`detect::unread_imports`]). Only the changed files' findings are reported.

use crate::baseline;
use crate::detect::{self, FileOutput, LocalModules};
use crate::error::ScanError;
use crate::finding::Finding;
use crate::git::{self, GitError};
use crate::lang::Language;
use crate::prefilter::Prefilter;
use crate::report::{DiffScope, FileError, Report, Stats};
use crate::rules::RuleSet;
use crate::score;
use crate::suppress::{self, Suppression};
use crate::walk::{self, SourceFile, WalkOptions};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Default `--max-filesize`: larger files are skipped and reported.
pub const DEFAULT_MAX_FILESIZE: u64 = 10 * 1024 * 1024;

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Paths as given on the command line.
    pub paths: Vec<PathBuf>,
    /// Walk settings.
    pub walk: WalkOptions,
    /// Files larger than this many bytes are skipped.
    pub max_filesize: u64,
    /// `--changed-since REF`: scan only the files changed since the merge base of REF and HEAD.
    pub changed_since: Option<String>,
    /// Told `(files read, files to read)` as the scan goes; it must not block.
    pub progress: Option<Progress>,
}

/// A progress callback, called from the scanning threads with `(done, total)` files. The
/// library never prints; the CLI draws a bar on a terminal.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            walk: WalkOptions::default(),
            max_filesize: DEFAULT_MAX_FILESIZE,
            changed_since: None,
            progress: None,
        }
    }
}

enum Outcome {
    Scanned { output: Option<Box<FileOutput>>, bytes: u64, file: SourceFile, suppressions: Vec<Suppression> },
    Skipped { error: Option<FileError> },
}

/// The stack of each scanning thread. The detectors' recursion is bounded by input-independent
/// limits (`detect::budget`: the tree depth and the resolution depth), which need a small part
/// of it; the margin is defence in depth, and a library that recurses (syn) gets a thread of
/// its own.
pub const STACK_SIZE: usize = 16 * 1024 * 1024;

/// Scans the paths and builds the report, on a thread pool with [`STACK_SIZE`] stacks.
pub fn scan(opts: &ScanOptions, rules: &RuleSet) -> Result<Report, ScanError> {
    match rayon::ThreadPoolBuilder::new().stack_size(STACK_SIZE).build() {
        Ok(pool) => pool.install(|| scan_in_pool(opts, rules)),
        Err(_) => scan_in_pool(opts, rules),
    }
}

fn scan_in_pool(opts: &ScanOptions, rules: &RuleSet) -> Result<Report, ScanError> {
    let started = Instant::now();
    let mut files: Vec<SourceFile> = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    let several = opts.paths.len() > 1;
    let mut diff = opts.changed_since.as_ref().map(|reference| Diff::new(reference));
    for root in &opts.paths {
        let (mut found, problems) = walk::walk(root, &opts.walk)?;
        let prefix = several.then(|| root.to_string_lossy().trim_end_matches('/').to_string());
        let (mut changed, mut deleted) = match &mut diff {
            Some(diff) => diff.under(root)?,
            None => (Vec::new(), Vec::new()),
        };
        if let Some(prefix) = &prefix {
            for rel in found.iter_mut().map(|f| &mut f.rel).chain(&mut changed).chain(&mut deleted) {
                *rel = format!("{prefix}/{rel}");
            }
        }
        if let Some(diff) = &mut diff {
            diff.changed.extend(changed);
            diff.deleted.extend(deleted);
        }
        files.extend(found);
        errors.extend(problems.into_iter().map(|p| FileError { path: p.path, message: p.message }));
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    files.dedup_by(|a, b| a.rel == b.rel);

    let locals = LocalModules::new(
        files.iter().filter(|f| f.language.is_source() && f.language != Language::Notebook).map(|f| f.rel.as_str()),
    );
    let prefilter = Prefilter::new(rules.literals());
    // A changed file is always parsed: one with no vendor literal may still call a client
    // it imports, and only its pending calls say which unchanged modules to read.
    let (targets, prefilter): (Vec<&SourceFile>, Option<&Prefilter>) = match &diff {
        Some(diff) => (files.iter().filter(|f| diff.changed.contains(&f.rel)).collect(), None),
        None => (files.iter().collect(), Some(&prefilter)),
    };
    let total = targets.len() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    let outcomes: Vec<Outcome> = targets
        .par_iter()
        .map(|f| {
            let outcome = scan_file(f, rules, &locals, prefilter, opts.max_filesize);
            if let Some(p) = &opts.progress {
                (p.0)(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
            }
            outcome
        })
        .collect();

    let mut stats = Stats::default();
    let mut outputs: Vec<FileOutput> = Vec::new();
    let mut unparsed: Vec<SourceFile> = Vec::new();
    let mut includes: Vec<(PathBuf, String)> = Vec::new();
    let mut scanned: HashSet<PathBuf> = HashSet::new();
    let mut suppressions: BTreeMap<String, Vec<Suppression>> = BTreeMap::new();
    for o in outcomes {
        match o {
            Outcome::Scanned { output, bytes, file, suppressions: found } => {
                if !found.is_empty() {
                    suppressions.insert(file.rel.clone(), found);
                }
                stats.files_scanned += 1;
                stats.bytes_scanned += bytes;
                scanned.insert(file.path.clone());
                match output {
                    Some(out) => {
                        for inc in &out.includes {
                            includes.push((file.path.parent().unwrap_or(Path::new(".")).join(inc), file.rel.clone()));
                        }
                        collect_errors(&file.rel, &out, &mut errors);
                        stats.resolution_steps += out.resolution_steps;
                        outputs.push(*out);
                    }
                    None if file.language.is_source() => unparsed.push(file),
                    None => {}
                }
            }
            Outcome::Skipped { error } => {
                stats.files_skipped += 1;
                errors.extend(error);
            }
        }
    }

    // Python files with no vendor literal can still use a client another module exports.
    let exported: Vec<String> =
        outputs.iter().flat_map(|o| o.exports.iter().map(|(k, _)| k.trim_end_matches("()").to_string())).collect();
    if !exported.is_empty() {
        let second = Prefilter::new(&exported);
        // Re-read rather than keep every unparsed file in memory.
        let extra: Vec<FileOutput> = unparsed
            .par_iter()
            .filter_map(|f| {
                let bytes = std::fs::read(&f.path).ok()?;
                if !second.is_match(&bytes) {
                    return None;
                }
                let text = String::from_utf8_lossy(&bytes);
                Some(detect::detect(&f.rel, f.language, &text, rules, &locals))
            })
            .collect();
        for out in &extra {
            collect_errors(out.rel(), out, &mut errors);
            stats.resolution_steps += out.resolution_steps;
        }
        outputs.extend(extra);
    }

    // `-r other.txt` includes that the walk did not already read. With --changed-since an
    // included file is scanned only if it changed, which only the walk can tell.
    if diff.is_some() {
        includes.clear();
    }
    for (path, from) in includes {
        if scanned.contains(&path) || !path.is_file() {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let rel = {
            let base = from.rsplit_once('/').map_or("", |(d, _)| d);
            walk::normalize_rel(&format!(
                "{base}/{}",
                path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            ))
        };
        scanned.insert(path.clone());
        stats.files_scanned += 1;
        stats.bytes_scanned += text.len() as u64;
        let found = suppress::parse(&text, false);
        if !found.is_empty() {
            suppressions.insert(rel.clone(), found);
        }
        outputs.push(detect::detect(&rel, Language::Requirements, &text, rules, &locals));
    }

    let mut imported = 0;
    if diff.is_some() {
        imported = read_imports(&mut outputs, &files, &targets, rules, &locals, opts.max_filesize);
    }
    for (path, message) in detect::resolve_pending(&mut outputs, rules, &locals) {
        errors.push(FileError { path, message });
    }
    let mut findings: Vec<Finding> = outputs.into_iter().flat_map(|o| o.findings).collect();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
    score::annotate(&mut findings, rules);
    baseline::assign(&mut findings);

    errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    errors.dedup();
    stats.files_with_findings = {
        let mut paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        paths.dedup();
        paths.len() as u64
    };
    stats.errors = errors;
    stats.duration_ms = started.elapsed().as_millis() as u64;
    let root = opts.paths.iter().map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" ");
    // With --changed-since, exposure is measured against the changed source files.
    let scope = crate::score::Scope {
        sources: targets.iter().filter(|f| f.language.is_source()).map(|f| f.rel.clone()).collect(),
    };
    let diff_scope = diff.map(|d| {
        let mut paths: Vec<String> = targets.iter().map(|f| f.rel.clone()).chain(d.deleted.iter().cloned()).collect();
        paths.sort();
        DiffScope {
            changed_since: d.reference,
            merge_base: d.changes.map(|(_, c)| c.merge_base).unwrap_or_default(),
            changed_files: targets.len() as u64,
            deleted_files: d.deleted.len() as u64,
            imported_files: imported as u64,
            unchanged_files_not_scanned: (files.len() - targets.len() - imported) as u64,
            paths,
        }
    });
    // Scores cover every finding; suppression only takes findings out of the list.
    let mut report = Report::new(root, stats, findings, rules, &scope);
    report.scope = diff_scope;
    let applied = suppress::apply(std::mem::take(&mut report.findings), &suppressions, rules);
    report.findings = applied.reported;
    report.suppressed = applied.suppressed;
    report.suppression_problems = applied.problems;
    Ok(report)
}

/// `--changed-since`: what git says changed, mapped onto the walk's relative paths.
struct Diff {
    /// The ref as given.
    reference: String,
    /// The repository of the first root and its changes (one merge base for the report).
    changes: Option<(PathBuf, git::Changes)>,
    /// Changed files, as the walk names them.
    changed: HashSet<String>,
    /// Deleted files of a kind lockin reads, as the walk would name them.
    deleted: BTreeSet<String>,
}

impl Diff {
    fn new(reference: &str) -> Diff {
        Diff { reference: reference.to_string(), changes: None, changed: HashSet::new(), deleted: BTreeSet::new() }
    }

    /// The changed files under `root` and the deleted ones lockin would read, relative to it
    /// as the walk names them (a file root: its name).
    fn under(&mut self, root: &Path) -> Result<(Vec<String>, Vec<String>), GitError> {
        let file = root.is_file().then(|| root.file_name().map(|n| n.to_string_lossy().into_owned())).flatten();
        let dir = match &file {
            Some(_) => root.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")),
            None => root,
        };
        let at = git::locate(dir)?;
        let changes = match &self.changes {
            Some((top, _)) if *top != at.toplevel => {
                return Err(GitError::TwoRepositories { first: top.clone(), second: at.toplevel });
            }
            Some((_, changes)) => changes,
            None => &self.changes.insert((at.toplevel.clone(), git::changes(&at.toplevel, &self.reference)?)).1,
        };
        let inside = |p: &&str| file.as_ref().is_none_or(|name| p == name);
        let changed = changes.changed_under(&at.prefix).filter(inside).map(str::to_string).collect();
        let deleted = changes
            .deleted_under(&at.prefix)
            .filter(inside)
            .filter(|p| Language::from_path(Path::new(p)).is_some())
            .map(str::to_string)
            .collect();
        Ok((changed, deleted))
    }
}

/// `--changed-since`: reads the unchanged files that the changed files' calls resolve
/// through, until none is missing, and adds their exports to `outputs` (nothing else:
/// their findings are not reported). Returns how many files it read.
fn read_imports(
    outputs: &mut Vec<FileOutput>,
    files: &[SourceFile],
    changed: &[&SourceFile],
    rules: &RuleSet,
    locals: &LocalModules,
    max: u64,
) -> usize {
    let by_rel: HashMap<&str, &SourceFile> = files.iter().map(|f| (f.rel.as_str(), f)).collect();
    // A changed file skipped as binary or too large has no output: never read it again.
    let mut tried: HashSet<&str> = changed.iter().map(|f| f.rel.as_str()).collect();
    loop {
        let wanted: Vec<&SourceFile> = detect::unread_imports(outputs, locals)
            .iter()
            .filter_map(|rel| by_rel.get(rel.as_str()).copied())
            .filter(|f| tried.insert(f.rel.as_str()))
            .collect();
        if wanted.is_empty() {
            return tried.len() - changed.len();
        }
        let found: Vec<FileOutput> = wanted
            .par_iter()
            .map(|f| match scan_file(f, rules, locals, None, max) {
                Outcome::Scanned { output: Some(out), .. } => {
                    let mut out = *out;
                    out.findings.clear();
                    out.pending.clear();
                    out
                }
                // Unreadable: it exports nothing, and is not asked for again.
                _ => FileOutput::new(&f.rel, f.language),
            })
            .collect();
        outputs.extend(found);
    }
}

/// `512 bytes`, `12.0 KiB`, `10.0 MiB`.
fn human(bytes: u64) -> String {
    match bytes {
        0..=1023 => format!("{bytes} bytes"),
        1024..=1048575 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1048576.0),
    }
}

fn collect_errors(rel: &str, out: &FileOutput, errors: &mut Vec<FileError>) {
    if let Some(e) = &out.error {
        errors.push(FileError { path: rel.to_string(), message: e.clone() });
    } else if out.syntax_errors {
        errors.push(FileError {
            path: rel.to_string(),
            message: "syntax errors: findings come from the parts that parsed".into(),
        });
    }
}

/// Reads and detects one file; `prefilter: None` parses it whatever it holds.
fn scan_file(
    file: &SourceFile,
    rules: &RuleSet,
    locals: &LocalModules,
    prefilter: Option<&Prefilter>,
    max: u64,
) -> Outcome {
    let error = |message: String| Outcome::Skipped { error: Some(FileError { path: file.rel.clone(), message }) };
    match std::fs::metadata(&file.path) {
        Ok(m) if m.len() > max => {
            return error(format!("skipped: {} is over the {} limit (--max-filesize)", human(m.len()), human(max)))
        }
        Ok(_) => {}
        Err(e) => return error(format!("cannot read: {e}")),
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(b) => b,
        Err(e) => return error(format!("cannot read: {e}")),
    };
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Outcome::Skipped { error: None };
    }
    let len = bytes.len() as u64;
    let suppressions = if memchr::memmem::find(&bytes, b"lockin").is_some() {
        suppress::parse(&String::from_utf8_lossy(&bytes), file.language == Language::Notebook)
    } else {
        Vec::new()
    };
    // Manifests and notebooks are always parsed, so that a broken one is reported.
    if file.language.is_source()
        && file.language != Language::Notebook
        && prefilter.is_some_and(|p| !p.is_match(&bytes))
    {
        return Outcome::Scanned { output: None, bytes: len, file: file.clone(), suppressions };
    }
    // Invalid UTF-8 is read lossily and still scanned.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let output = detect::detect(&file.rel, file.language, &text, rules, locals);
    Outcome::Scanned { output: Some(Box::new(output)), bytes: len, file: file.clone(), suppressions }
}
