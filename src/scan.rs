//! The collect, detect and link stages: walk → read → prefilter → detect → cross-module
//! resolve → sort → [`Detected`]; [`crate::pipeline`] filters, assesses and judges it.
//! Per-file problems go to `stats.errors` and the scan goes on.
//! Parallel per file (rayon); everything is sorted afterwards so that output never
//! depends on thread timing.
//!
//! With `--changed-since` ([`crate::git`]) the walk still lists every file (it is cheap and
//! names the local modules), but only the changed files are detected, each one parsed,
//! and then, until none is left, the unchanged files whose exports resolving their calls
//! looks up ([`detect::unread_imports`]). Only the changed files' findings are reported.

use crate::baseline;
use crate::detect::{self, FileOutput, LocalModules};
use crate::ecosystem::Ecosystem;
use crate::error::ScanError;
use crate::finding::Finding;
use crate::git::{self, GitError};
use crate::lang::FileKind;
use crate::prefilter::{self, Prefilter, Verdict};
use crate::read;
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
    /// `--timing`: report the wall time in `stats.duration_ms` (else 0: the same tree gives
    /// the same report).
    pub timing: bool,
    /// Where code lives and which contexts the scores count (product code by default).
    pub contexts: crate::context::Contexts,
    /// `-j/--threads`: scanning threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Rule out files before parsing ([`crate::prefilter`]); off (`--no-prefilter`) only to
    /// check that it loses nothing.
    pub prefilter: bool,
    /// Skip generated and minified sources (`--no-skip-generated` scans them).
    pub skip_generated: bool,
    /// `--as-of`: the day model lifecycle findings are judged on (deprecated or retired by
    /// then); the CLI passes today unless told, tests pin it.
    pub as_of: crate::lifecycle::Date,
    /// The root the report names instead of `paths` (`lockin scan - --stdin-filename F`
    /// scans a staged copy of standard input and names it `-`).
    pub root_name: Option<String>,
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
            timing: false,
            contexts: crate::context::Contexts::default(),
            threads: None,
            prefilter: true,
            skip_generated: true,
            as_of: crate::lifecycle::Date::today(),
            root_name: None,
        }
    }
}

enum Outcome {
    Scanned {
        output: Option<Box<FileOutput>>,
        bytes: u64,
        file: SourceFile,
        suppressions: Vec<Suppression>,
        /// What decoding had to do (UTF-16, invalid UTF-8), for `stats.errors`.
        note: Option<FileError>,
        /// What the prefilter said, when it looked at the file.
        verdict: Option<Verdict>,
        /// Skipped as generated or minified.
        generated: bool,
    },
    Skipped {
        error: Option<FileError>,
    },
}

/// The stack of each scanning thread. The detectors' recursion is bounded by input-independent
/// limits (`detect::budget`: the tree depth and the resolution depth), which need a small part
/// of it; the margin is defence in depth.
pub const STACK_SIZE: usize = 16 * 1024 * 1024;

/// Scans the paths and builds the report with no selection, baseline or policy: the
/// report `lockin scan --no-config` builds ([`crate::pipeline::run`] with defaults).
pub fn scan(opts: &ScanOptions, rules: &RuleSet) -> Result<Report, ScanError> {
    crate::pipeline::run(&crate::pipeline::Run::new(opts.clone()), rules).map(|o| o.report)
}

/// What the collect, detect and link stages found: every finding of the tree, sorted,
/// annotated with its portability and fingerprinted, before anything is filtered out.
#[derive(Debug, Clone)]
pub struct Detected {
    /// The scanned path(s) as given.
    pub root: String,
    /// Statistics of the walk and the detectors.
    pub stats: Stats,
    /// Every finding, sorted by [`Finding::sort_key`].
    pub findings: Vec<Finding>,
    /// The `lockin: ignore[...]` comments, per file.
    pub suppressions: BTreeMap<String, Vec<Suppression>>,
    /// With `--changed-since`: which files were looked at.
    pub scope: Option<DiffScope>,
    /// Where code lives, with the roots' prefixes when several are scanned.
    pub contexts: crate::context::Contexts,
}

/// Collects, detects and links, on a thread pool with [`STACK_SIZE`] stacks.
pub fn detect_tree(opts: &ScanOptions, rules: &RuleSet) -> Result<Detected, ScanError> {
    match rayon::ThreadPoolBuilder::new().stack_size(STACK_SIZE).num_threads(opts.threads.unwrap_or(0)).build() {
        Ok(pool) => pool.install(|| detect_in_pool(opts, rules)),
        Err(_) => detect_in_pool(opts, rules),
    }
}

/// The package name of a scanned root that is itself a Python package (a folder holding
/// `__init__.py`): its files import each other by it (`src/khoj` scanned, `from
/// khoj.utils.helpers import ...` inside). Not a vendor's SDK package scanned in place: its
/// modules stay the SDK's.
fn package_root(root: &std::path::Path, rules: &RuleSet) -> Option<String> {
    if !root.join("__init__.py").is_file() {
        return None;
    }
    let name = root.canonicalize().ok()?.file_name()?.to_str()?.to_string();
    let identifier = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (identifier && rules.sdk_for_module(crate::ecosystem::Ecosystem::Python, &name).is_none()).then_some(name)
}

fn detect_in_pool(opts: &ScanOptions, rules: &RuleSet) -> Result<Detected, ScanError> {
    let started = Instant::now();
    let phase = |name: &str| {
        if detect::debug_timing() {
            eprintln!(
                "lockin timing: {name} done at {:.1} ms, {}",
                started.elapsed().as_secs_f64() * 1e3,
                memory_in_use()
            );
        }
    };
    let mut files: Vec<SourceFile> = Vec::new();
    let mut errors: Vec<FileError> = Vec::new();
    let mut settings: Vec<(String, PathBuf)> = Vec::new();
    let mut unsupported: BTreeMap<String, u64> = BTreeMap::new();
    let several = opts.paths.len() > 1;
    let mut diff = opts.changed_since.as_ref().map(|reference| Diff::new(reference));
    let mut package_roots: Vec<(String, String)> = Vec::new();
    for root in &opts.paths {
        let walk::Walked { files: mut found, settings: found_settings, problems, unsupported: languages } =
            walk::walk_with_settings(root, &opts.walk)?;
        for (language, n) in languages {
            *unsupported.entry(language).or_default() += n;
        }
        let prefix = several.then(|| root.to_string_lossy().trim_end_matches('/').to_string());
        if let Some(name) = package_root(root, rules) {
            package_roots.push((prefix.clone().unwrap_or_default(), name));
        }
        settings.extend(found_settings.into_iter().map(|(rel, path)| match &prefix {
            Some(prefix) => (format!("{prefix}/{rel}"), path),
            None => (rel, path),
        }));
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
    phase("walk");

    let sources = || files.iter().filter(|f| f.kind.is_source() && f.kind != FileKind::Notebook);
    // The prefilter's automaton is built on one core while the other indexes the tree.
    let (prefilter, locals) = rayon::join(
        || Prefilter::new(rules),
        || {
            let mut locals = LocalModules::new(sources().map(|f| f.rel.as_str()))
                .with_files(sources().map(|f| (f.rel.clone(), f.path.clone(), f.kind)), opts.max_filesize)
                .with_env(detect::settings::read(&settings))
                .with_package_roots(&package_roots);
            crate::detect::csharp::read_global_usings(&files, opts.max_filesize, &mut locals);
            locals
        },
    );
    phase("index and prefilter");
    // A changed file is always parsed: one with no vendor literal may still call a client
    // it imports, and only its pending calls say which unchanged modules to read.
    let (targets, prefilter): (Vec<&SourceFile>, Option<&Prefilter>) = match &diff {
        Some(diff) => (files.iter().filter(|f| diff.changed.contains(&f.rel)).collect(), None),
        None => (files.iter().collect(), opts.prefilter.then_some(&prefilter)),
    };
    let skip_generated = opts.skip_generated;
    let total = targets.len() as u64;
    let done = std::sync::atomic::AtomicU64::new(0);
    let outcomes: Vec<Outcome> = targets
        .par_iter()
        .map(|f| {
            let outcome = scan_file(f, rules, &locals, prefilter, skip_generated, opts.max_filesize);
            if let Some(p) = &opts.progress {
                (p.0)(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
            }
            outcome
        })
        .collect();
    phase("detect");

    let mut stats = Stats::default();
    let mut outputs: Vec<FileOutput> = Vec::new();
    let mut unparsed: Vec<SourceFile> = Vec::new();
    // (path, as written after `-r`, the including file's rel)
    let mut includes: Vec<(PathBuf, String, String)> = Vec::new();
    let mut scanned: HashSet<PathBuf> = HashSet::new();
    let mut suppressions: BTreeMap<String, Vec<Suppression>> = BTreeMap::new();
    for o in outcomes {
        match o {
            Outcome::Scanned { output, bytes, file, suppressions: found, note, verdict, generated } => {
                errors.extend(note);
                stats.files_generated += u64::from(generated);
                if let Some(v) = verdict {
                    stats.prefilter.files += 1;
                    stats.prefilter.literal += u64::from(v != Verdict::NoLiteral);
                    stats.prefilter.context += u64::from(v == Verdict::Pass);
                }
                if !found.is_empty() {
                    suppressions.insert(file.rel.clone(), found);
                }
                stats.files_scanned += 1;
                stats.bytes_scanned += bytes;
                if file.kind == FileKind::Requirements {
                    scanned.extend(std::fs::canonicalize(&file.path));
                }
                match output {
                    Some(out) => {
                        for inc in &out.includes {
                            let path = file.path.parent().unwrap_or(Path::new(".")).join(inc);
                            includes.push((path, inc.clone(), file.rel.clone()));
                        }
                        collect_errors(&file.rel, &out, &mut errors);
                        stats.resolution_steps += out.resolution_steps;
                        outputs.push(*out);
                    }
                    None if file.kind.is_source() && !generated => unparsed.push(file),
                    None => {}
                }
            }
            Outcome::Skipped { error } => {
                stats.files_skipped += 1;
                errors.extend(error);
            }
        }
    }

    // Files the prefilter ruled out can still use a client another module exports, through
    // a chain of modules: read them again for what the newly parsed files export, until
    // nothing new is exported. An importer names both the module (`llm` of `app/llm.py`,
    // `lib` of `lib/index.ts`) and the name; a pytest fixture of a conftest.py is used by
    // its name alone.
    //
    // Only exports that can lead to a vendor are followed: a vendor path, or a path into a
    // module already known to export one (a re-export). Other modules of the tree export
    // paths into each other all the time (`register(...)`, props types); following those
    // would parse most of an ordinary tree.
    let mut from = 0;
    let mut vendor_files: HashSet<String> = HashSet::new();
    while !unparsed.is_empty() {
        let (mut names, mut modules, mut fixtures, mut defaults) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        // A module whose function a parsed file calls with a vendor's URL or client
        // (`openai_get_model_list_async(self.base_url)`): its requests are that call's.
        let mut called: HashSet<String> = HashSet::new();
        for o in &outputs[from..] {
            for (k, p) in &o.exports {
                if let Some(m) = detect::inherit::called_module(k, p, &locals) {
                    called.extend(locals.files(&m).iter().cloned());
                }
            }
        }
        for o in &outputs[from..] {
            if o.exports.iter().any(|(_, p)| detect::matcher::is_vendor_path(rules, o.ecosystem(), p)) {
                vendor_files.insert(o.rel().to_string());
            }
        }
        // A Go package is a folder: its files read each other's names unimported.
        let mut package_names: HashMap<String, Vec<String>> = HashMap::new();
        for o in &outputs[from..] {
            // Modules that hold a vendor's URL in a constant (`export const BASE = "https://api..."`).
            if !o.url_names.is_empty() && o.ecosystem() == Ecosystem::Go {
                let dir = o.rel().rsplit_once('/').map_or("", |(d, _)| d);
                package_names.entry(dir.to_string()).or_default().extend(o.url_names.iter().cloned());
            } else if !o.url_names.is_empty() {
                names.extend(o.url_names.iter().cloned());
                modules.extend(module_names(o.rel()));
            }
            let leads_to_vendor = |p: &detect::path::Path| {
                detect::matcher::is_vendor_path(rules, o.ecosystem(), p)
                    || p.0.first().is_some_and(|s| {
                        s.name.starts_with(detect::JSDOC_GLOBAL) || s.name.starts_with(detect::SERVICE)
                    })
                    || (1..=p.0.len()).any(|k| locals.files(&p.dotted(k)).iter().any(|f| vendor_files.contains(f)))
            };
            let exports: Vec<&(String, detect::path::Path)> =
                o.exports.iter().filter(|(_, p)| leads_to_vendor(p)).collect();
            if exports.is_empty() {
                continue;
            }
            // A service registered for injection is asked for by its type's name alone
            // (`Kernel kernel`, `ChatClient.Builder builder`), in any file of the project.
            let (services, exports): (Vec<_>, Vec<_>) =
                exports.into_iter().partition(|(k, _)| k.starts_with(detect::SERVICE));
            fixtures.extend(
                services.iter().filter_map(|(k, _)| k[detect::SERVICE.len()..].split('.').next()).map(str::to_string),
            );
            if exports.is_empty() {
                continue;
            }
            let conftest = o.rel().rsplit('/').next() == Some("conftest.py");
            // The name an importer spells: `get_client` of `get_client()`, `f` of `f().openai`.
            let exported = exports.iter().map(|(k, _)| k.split(['(', '.']).next().unwrap_or(k).to_string());
            // A C# type's static members are read by the type's name alone, in any file of
            // the project (`Clients.CreateChatClient()`).
            if conftest || o.rel().ends_with(".cs") {
                fixtures.extend(exported);
            } else {
                names.extend(exported);
                modules.extend(module_names(o.rel()));
                // `module.exports = client` (JS) is imported by the module's name alone.
                if exports.iter().any(|(k, _)| k.split(['(', '.']).next() == Some("default")) {
                    defaults.extend(module_names(o.rel()));
                }
            }
        }
        if names.is_empty()
            && fixtures.is_empty()
            && package_names.is_empty()
            && !unparsed.iter().any(|f| called.contains(&f.rel))
        {
            break;
        }
        from = outputs.len();
        let (names, modules, fixtures, defaults) = (
            Prefilter::of_names(&names),
            Prefilter::of_names(&modules),
            Prefilter::of_names(&fixtures),
            Prefilter::of_names(&defaults),
        );
        let package_names: HashMap<String, Prefilter> =
            package_names.into_iter().map(|(dir, names)| (dir, Prefilter::of_names(&names))).collect();
        let in_package = |rel: &str, t: &[u8]| {
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            rel.ends_with(".go") && package_names.get(dir).is_some_and(|p| p.is_match(t))
        };
        let wanted = |rel: &str, t: &[u8]| {
            fixtures.is_match(t)
                || defaults.is_match(t)
                || (names.is_match(t) && modules.is_match(t))
                || in_package(rel, t)
        };
        // Re-read rather than keep every unparsed file in memory.
        let found: Vec<Option<FileOutput>> = unparsed
            .par_iter()
            .map(|f| {
                let text = read::decode(read::bytes(&f.path, opts.max_filesize).ok()?)?.text;
                if !called.contains(&f.rel) && !wanted(&f.rel, text.as_bytes()) {
                    return None;
                }
                Some(detect::detect(&f.rel, f.kind, &text, rules, &locals))
            })
            .collect();
        let mut rest = Vec::new();
        for (f, out) in unparsed.into_iter().zip(found) {
            match out {
                Some(out) => {
                    collect_errors(out.rel(), &out, &mut errors);
                    stats.resolution_steps += out.resolution_steps;
                    stats.prefilter.exports += 1;
                    outputs.push(out);
                }
                None => rest.push(f),
            }
        }
        unparsed = rest;
    }

    phase("exports pass");
    // `-r other.txt` includes that the walk did not already read. With --changed-since an
    // included file is scanned only if it changed, which only the walk can tell.
    if diff.is_some() {
        includes.clear();
    }
    let roots = Roots::new(&opts.paths);
    for (path, written, from) in includes {
        let skip = |message: String| FileError { path: from.clone(), message: format!("`-r {written}`: {message}") };
        let canonical = match std::fs::canonicalize(&path) {
            Ok(c) => c,
            Err(e) => {
                stats.files_skipped += 1;
                errors.push(skip(format!("not read: {e}")));
                continue;
            }
        };
        let Some(rel) = roots.rel(&canonical) else {
            stats.files_skipped += 1;
            errors.push(skip("not read: it is outside the scanned folders".into()));
            continue;
        };
        if !scanned.insert(canonical) {
            continue;
        }
        let text = match read::bytes(&path, opts.max_filesize) {
            Ok(bytes) => read::decode(bytes).ok_or_else(|| "binary (a NUL byte in the first 8 KiB)".to_string()),
            Err(e @ read::ReadError::TooLarge { .. }) => Err(format!("{e} (--max-filesize)")),
            Err(e) => Err(e.to_string()),
        };
        let read::Text { text, note } = match text {
            Ok(t) => t,
            Err(message) => {
                stats.files_skipped += 1;
                errors.push(FileError { path: rel, message: format!("skipped: {message}") });
                continue;
            }
        };
        errors.extend(note.map(|n| FileError { path: rel.clone(), message: n.to_string() }));
        stats.files_scanned += 1;
        stats.bytes_scanned += text.len() as u64;
        let found = suppress::parse(&text, false);
        if !found.is_empty() {
            suppressions.insert(rel.clone(), found);
        }
        outputs.push(detect::detect(&rel, FileKind::Requirements, &text, rules, &locals));
    }

    let mut imported = 0;
    if diff.is_some() {
        imported = read_imports(&mut outputs, &files, &targets, rules, &locals, opts.max_filesize);
    }
    if detect::debug_timing() {
        let packed: usize = outputs.iter().map(FileOutput::pending_size).sum();
        let findings: usize = outputs.iter().map(FileOutput::findings_len).sum();
        eprintln!("lockin timing: {} outputs, {findings} findings, {packed} bytes of packed calls", outputs.len());
    }
    for (path, message) in detect::resolve_pending(&mut outputs, rules, &locals) {
        errors.push(FileError { path, message });
    }
    phase("link");
    let mut findings: Vec<Finding> = outputs.into_iter().flat_map(FileOutput::into_findings).collect();
    release_freed();
    phase("findings collected");
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
    let lifecycle = rules.lifecycle.findings(&findings, opts.as_of);
    if !lifecycle.is_empty() {
        findings.extend(lifecycle);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
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
    stats.unsupported = unsupported;
    if opts.timing {
        stats.duration_ms = started.elapsed().as_millis() as u64;
    }
    let root = opts
        .root_name
        .clone()
        .unwrap_or_else(|| opts.paths.iter().map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" "));
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
    let prefixes = if several {
        opts.paths.iter().map(|p| p.to_string_lossy().trim_end_matches('/').to_string()).collect()
    } else {
        Vec::new()
    };
    Ok(Detected {
        root,
        stats,
        findings,
        suppressions,
        scope: diff_scope,
        contexts: opts.contexts.clone().with_roots(prefixes),
    })
}

/// The scanned roots, resolved, for naming the files that requirements include.
struct Roots(Vec<(PathBuf, Option<String>)>);

impl Roots {
    /// Each root (a file root: its folder) and the prefix its files' paths carry when
    /// several roots are scanned.
    fn new(paths: &[PathBuf]) -> Roots {
        let several = paths.len() > 1;
        Roots(
            paths
                .iter()
                .filter_map(|p| {
                    let c = std::fs::canonicalize(p).ok()?;
                    let dir = if c.is_dir() { c } else { c.parent()?.to_path_buf() };
                    let prefix = several.then(|| p.to_string_lossy().trim_end_matches('/').to_string());
                    Some((dir, prefix))
                })
                .collect(),
        )
    }

    /// The relative path (as the walk names files) of `canonical`, or `None` outside every root.
    fn rel(&self, canonical: &Path) -> Option<String> {
        self.0.iter().find(|(dir, _)| canonical.starts_with(dir)).map(|(dir, prefix)| {
            let rel = walk::relative(dir, canonical);
            match prefix {
                Some(p) => format!("{p}/{rel}"),
                None => rel,
            }
        })
    }
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
            .filter(|p| FileKind::from_path(Path::new(p)).is_some())
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
            .map(|f| match scan_file(f, rules, locals, None, false, max) {
                Outcome::Scanned { output: Some(out), .. } => {
                    let mut out = *out;
                    out.clear_findings();
                    out.clear_pending();
                    out
                }
                // Unreadable: it exports nothing, and is not asked for again.
                _ => FileOutput::new(&f.rel, f.kind),
            })
            .collect();
        outputs.extend(found);
    }
}

/// The names an import of the module at `rel` spells: its file stem (`llm` of
/// `app/llm.py`, `openai` of `lib/openai.test.ts`), and for a package's `__init__.py` or a
/// folder's `index.ts` also the folder's name.
fn module_names(rel: &str) -> Vec<String> {
    let mut parts = rel.rsplit('/');
    let file = parts.next().unwrap_or(rel);
    let stem = file.split('.').next().unwrap_or(file);
    let mut out = vec![stem.to_string()];
    // A Rust module's names are re-exported by its parent (`crate::settings::URL` of
    // `settings/defaults.rs`); a Kotlin file's top-level names are its package's, the folder
    // an import spells (`import app.config.OPENAI_URL` of `app/config/Urls.kt`).
    let parent = file.ends_with(".rs") || file.ends_with(".kt");
    if parent || matches!(stem, "index" | "__init__" | "mod") {
        out.extend(parts.next().map(str::to_string));
    }
    out.retain(|m| !m.is_empty());
    out
}

fn collect_errors(rel: &str, out: &FileOutput, errors: &mut Vec<FileError>) {
    errors.extend(out.notes.iter().map(|n| FileError { path: rel.to_string(), message: n.clone() }));
    if let Some(e) = &out.error {
        errors.push(FileError { path: rel.to_string(), message: e.clone() });
    } else if out.syntax_errors {
        errors.push(FileError {
            path: rel.to_string(),
            message: "syntax errors: findings come from the parts that parsed".into(),
        });
    }
}

/// The resident and peak memory of the process, for `LOCKIN_DEBUG_TIMING` (Linux: from
/// `/proc/self/status`; elsewhere empty).
pub fn memory_in_use() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default()
    };
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallinfo2 only reads the allocator's counters.
    let heap = unsafe {
        let m = libc::mallinfo2();
        format!(", heap in use {} KiB of {} KiB", m.uordblks / 1024, (m.arena + m.hblkhd) / 1024)
    };
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let heap = String::new();
    format!("RSS {}, peak {}{heap}", field("VmRSS:"), field("VmHWM:"))
}

/// Source size past which the memory its analysis freed is given back to the system.
const RELEASE_AFTER: usize = 256 * 1024;

/// Gives freed memory back to the system. A large file's syntax tree and analysis are freed
/// in between the small allocations that outlive it (findings, exports, pending calls), and
/// glibc keeps such holes mapped: without this, peak RSS grew with the number of large
/// files scanned rather than with the largest (issue 15).
fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Reads and detects one file; `prefilter: None` parses it whatever it holds.
fn scan_file(
    file: &SourceFile,
    rules: &RuleSet,
    locals: &LocalModules,
    prefilter: Option<&Prefilter>,
    skip_generated: bool,
    max: u64,
) -> Outcome {
    let skipped = |message: String| Outcome::Skipped { error: Some(FileError { path: file.rel.clone(), message }) };
    let bytes = match read::bytes(&file.path, max) {
        Ok(b) => b,
        Err(e @ read::ReadError::TooLarge { .. }) => return skipped(format!("skipped: {e} (--max-filesize)")),
        Err(e) => return skipped(format!("skipped: {e}")),
    };
    let len = bytes.len() as u64;
    let Some(read::Text { text, note }) = read::decode(bytes) else {
        return skipped("skipped: binary (a NUL byte in the first 8 KiB)".into());
    };
    let note = note.map(|n| FileError { path: file.rel.clone(), message: n.to_string() });
    let unparsed = |suppressions, note, verdict, generated| Outcome::Scanned {
        output: None,
        bytes: len,
        file: file.clone(),
        suppressions,
        note,
        verdict,
        generated,
    };
    if skip_generated && prefilter::generated(&file.path, file.kind, &text).is_some() {
        return unparsed(Vec::new(), note, None, true);
    }
    let suppressions =
        if text.contains("lockin") { suppress::parse(&text, file.kind == FileKind::Notebook) } else { Vec::new() };
    // Manifests and notebooks are always parsed, so that a broken one is reported.
    let verdict = match prefilter {
        Some(p) if file.kind.is_source() && file.kind != FileKind::Notebook => {
            Some(p.check_in(text.as_bytes(), file.kind.ecosystem()))
        }
        _ => None,
    };
    if verdict.is_some() && prefilter::debug_hits() {
        eprintln!("prefilter verdict {:?} for {}", verdict, file.rel);
    }
    if verdict.is_some_and(|v| v != Verdict::Pass) {
        return unparsed(suppressions, note, verdict, false);
    }
    let started = detect::debug_timing().then(Instant::now);
    let mut output = detect::detect(&file.rel, file.kind, &text, rules, locals);
    // Packed until the tree is linked: every parsed file's findings are held until then.
    output.keep_findings();
    if let Some(t) = started {
        eprintln!(
            "lockin timing: detect {} {:?} {:.1} ms, {}",
            file.rel,
            verdict,
            t.elapsed().as_secs_f64() * 1e3,
            memory_in_use()
        );
    }
    if text.len() >= RELEASE_AFTER {
        release_freed();
    }
    Outcome::Scanned {
        output: Some(Box::new(output)),
        bytes: len,
        file: file.clone(),
        suppressions,
        note,
        verdict,
        generated: false,
    }
}
