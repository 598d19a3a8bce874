//! Walk: root paths in, the sorted list of files lockin reads out. Uses `ignore`'s
//! parallel walker (gitignore, `.ignore`, hidden files), skips virtual environments,
//! dependency and build folders by default, and applies `--include`/`--exclude` globs.
//! Never reads file contents.

use crate::error::ScanError;
use crate::lang::FileKind;
use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::WalkState;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Folders skipped by default, wherever they are, even when no ignore file names them.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "node_modules",
    "site-packages",
    "dist-packages",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".eggs",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "build",
    "dist",
    "target",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".turbo",
    ".ipynb_checkpoints",
    ".git",
    ".hg",
    ".svn",
];

/// Whether a folder lies inside a Maven or Gradle source set (`src/main/java/com/acme/build`):
/// there a folder named `build`, `dist` or `target` is a package of the code, never a build's
/// output, which sits beside `src`.
fn in_jvm_sources(dir: &Path) -> bool {
    let parts: Vec<&std::ffi::OsStr> = dir.iter().collect();
    parts
        .windows(3)
        .any(|w| w[0] == "src" && (w[1] == "main" || w[1] == "test") && (w[2] == "java" || w[2] == "kotlin"))
}

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Skip nothing beyond ignore files and hidden files.
    pub no_default_excludes: bool,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Also read hidden files and folders.
    pub hidden: bool,
    /// Do not read .gitignore / .ignore files.
    pub no_ignore: bool,
    /// Only files matching one of these globs (relative paths).
    pub include: Vec<String>,
    /// Skip files and folders matching these globs.
    pub exclude: Vec<String>,
    /// Globs written relative to another folder (the policy file's), rebased for each root.
    pub anchored: Option<AnchoredGlobs>,
}

/// `exclude`/`include` globs relative to `dir` rather than to the scanned root.
#[derive(Debug, Clone, Default)]
pub struct AnchoredGlobs {
    /// The folder they are relative to (canonical).
    pub dir: PathBuf,
    /// Added to `exclude`.
    pub exclude: Vec<String>,
    /// Used when `include` is empty.
    pub include: Vec<String>,
}

/// Where `root` (a folder, or a file's folder) sits under `dir`: `Some("")` when it is
/// `dir`, `Some("src/app")` below it, `None` outside it.
pub fn anchor_prefix(dir: &Path, root: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let root = if root.is_file() { root.parent()?.to_path_buf() } else { root };
    let rel = root.strip_prefix(dir).ok()?;
    Some(rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"))
}

/// Globs relative to a folder, rewritten for a root at `prefix` below it (see
/// [`anchor_prefix`]). Globs that cannot match under the root are dropped; outside the
/// folder, only globs that match at any depth (no `/`, or a leading `**`) are kept.
pub fn rebase_globs(globs: &[String], prefix: Option<&str>) -> Vec<String> {
    let anywhere = |g: &str| g.starts_with("**") || !g.contains('/');
    match prefix {
        Some("") => globs.to_vec(),
        Some(p) => {
            let p = format!("{}/", p.trim_end_matches('/'));
            globs
                .iter()
                .filter_map(|g| {
                    let g = g.trim_start_matches("./");
                    if anywhere(g) {
                        Some(g.to_string())
                    } else {
                        g.strip_prefix(&p).map(str::to_string)
                    }
                })
                .collect()
        }
        None => globs.iter().filter(|g| anywhere(g)).cloned().collect(),
    }
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path on disk.
    pub path: PathBuf,
    /// Path relative to the scan root, `/`-separated.
    pub rel: String,
    /// Which detector reads it.
    pub kind: FileKind,
}

/// A path the walker could not enter (permission denied, a symlink loop, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    /// Path relative to the root (or as reported).
    pub path: String,
    /// What went wrong.
    pub message: String,
}

fn globset(globs: &[String]) -> Result<Option<GlobSet>, ScanError> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        // A glob without a slash matches at any depth, as in .gitignore.
        let pattern = if g.contains('/') { g.trim_start_matches("./").to_string() } else { format!("**/{g}") };
        let glob =
            Glob::new(&pattern).map_err(|e| ScanError::Glob { glob: g.clone(), message: e.kind().to_string() })?;
        b.add(glob);
        if !g.ends_with("/**") {
            let dir = Glob::new(&format!("{pattern}/**"))
                .map_err(|e| ScanError::Glob { glob: g.clone(), message: e.kind().to_string() })?;
            b.add(dir);
        }
    }
    b.build().map(Some).map_err(|e| ScanError::Glob { glob: globs.join(", "), message: e.to_string() })
}

/// Relative `/`-separated path of `path` under `root` (a file root is its own name).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if s.is_empty() {
        return path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    }
    s.join("/")
}

/// Walks one root. Files are sorted by relative path.
pub fn walk(root: &Path, opts: &WalkOptions) -> Result<(Vec<SourceFile>, Vec<WalkProblem>), ScanError> {
    walk_with_settings(root, opts).map(|w| (w.files, w.problems))
}

/// What one walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The files lockin reads, sorted by relative path.
    pub files: Vec<SourceFile>,
    /// Settings files read for environment values (`crate::detect::settings`): `.env` files
    /// (hidden, listed all the same), compose files, Kubernetes and Helm YAML; `(rel, path)`
    /// sorted by relative path. `--include` does not apply: they are context, not scanned.
    pub settings: Vec<(String, PathBuf)>,
    /// Entries that could not be read.
    pub problems: Vec<WalkProblem>,
    /// Files of languages lockin does not read, counted per language as
    /// [`crate::coverage::unsupported`] counts them (the same walk, so the tree is walked once).
    pub unsupported: BTreeMap<String, u64>,
}

/// Walks one root, listing settings files too ([`Walked::settings`]).
pub fn walk_with_settings(root: &Path, opts: &WalkOptions) -> Result<Walked, ScanError> {
    if !root.exists() {
        return Err(ScanError::MissingRoot { path: root.to_path_buf() });
    }
    let (mut include, mut exclude) = (opts.include.clone(), opts.exclude.clone());
    if let Some(a) = &opts.anchored {
        let prefix = anchor_prefix(&a.dir, root);
        exclude.extend(rebase_globs(&a.exclude, prefix.as_deref()));
        if include.is_empty() {
            include = rebase_globs(&a.include, prefix.as_deref());
        }
    }
    let include = globset(&include)?;
    let exclude = globset(&exclude)?;
    if root.is_file() {
        let rel = relative(root.parent().unwrap_or(root), root);
        let files = FileKind::from_path(root)
            .map(|kind| SourceFile { path: root.to_path_buf(), rel, kind })
            .into_iter()
            .collect();
        let unsupported = crate::coverage::unsupported_language(root).map(|l| (l.to_string(), 1)).into_iter().collect();
        return Ok(Walked { files, unsupported, ..Walked::default() });
    }
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        // Hidden entries are filtered below, all but `.env` files.
        .hidden(false)
        .follow_links(opts.follow_links)
        .git_ignore(!opts.no_ignore)
        .git_global(false)
        .git_exclude(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .parents(!opts.no_ignore)
        .require_git(false)
        .threads(std::thread::available_parallelism().map_or(2, |n| n.get()).min(8));
    let root_buf = root.to_path_buf();
    let no_default = opts.no_default_excludes;
    let hidden = opts.hidden;
    let exclude_dirs = exclude.clone();
    builder.filter_entry(move |e| {
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        if e.depth() == 0 {
            return true;
        }
        if !hidden {
            let name = e.file_name().to_string_lossy();
            if name.starts_with('.') && (is_dir || !crate::detect::settings::is_settings_file(&name)) {
                return false;
            }
        }
        if is_dir && !no_default {
            let name = e.file_name().to_string_lossy();
            if (DEFAULT_EXCLUDES.contains(&name.as_ref()) && !in_jvm_sources(e.path()))
                || name.ends_with(".egg-info")
                || e.path().join("pyvenv.cfg").is_file()
            {
                return false;
            }
        }
        if let Some(ex) = &exclude_dirs {
            if ex.is_match(relative(&root_buf, e.path())) {
                return false;
            }
        }
        true
    });
    let files = Mutex::new(Vec::new());
    let settings = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    let unsupported = Mutex::new(BTreeMap::new());
    builder.build_parallel().run(|| {
        let files = &files;
        let settings = &settings;
        let problems = &problems;
        let unsupported = &unsupported;
        let include = include.clone();
        Box::new(move |entry| {
            match entry {
                Ok(e) => {
                    // FIFOs, devices and sockets with a name lockin reads are listed, so that
                    // the reader refuses them (unopened) and the report says so. Symbolic
                    // links are not followed unless asked (`--follow`).
                    if e.file_type().is_none_or(|t| t.is_dir() || t.is_symlink()) {
                        return WalkState::Continue;
                    }
                    let Some(kind) = FileKind::from_path(e.path()) else {
                        let name = e.file_name().to_string_lossy();
                        if crate::detect::settings::is_settings_file(&name) {
                            let rel = relative(root, e.path());
                            settings.lock().expect("no panics while holding the lock").push((rel, e.path().into()));
                        }
                        // Coverage counts regular files only, and a hidden one (a `.env.rb`
                        // listed above as settings) only with `--hidden`.
                        let counted = e.file_type().is_some_and(|t| t.is_file()) && (hidden || !name.starts_with('.'));
                        if let Some(language) = crate::coverage::unsupported_language(e.path()).filter(|_| counted) {
                            if include.as_ref().is_none_or(|inc| inc.is_match(relative(root, e.path()))) {
                                *unsupported
                                    .lock()
                                    .expect("no panics while holding the lock")
                                    .entry(language.to_string())
                                    .or_default() += 1;
                            }
                        }
                        return WalkState::Continue;
                    };
                    let rel = relative(root, e.path());
                    if include.as_ref().is_some_and(|inc| !inc.is_match(&rel)) {
                        return WalkState::Continue;
                    }
                    // A Spring configuration file is also a settings file: its URL values are
                    // what a property read (`getProperty("openai.base-url")`) gives.
                    if kind == FileKind::SpringConfig {
                        settings.lock().expect("no panics while holding the lock").push((rel.clone(), e.path().into()));
                    }
                    files.lock().expect("no panics while holding the lock").push(SourceFile {
                        path: e.path().to_path_buf(),
                        rel,
                        kind,
                    });
                }
                Err(err) => {
                    let path = error_path(&err).map_or_else(|| root.display().to_string(), |p| relative(root, &p));
                    problems
                        .lock()
                        .expect("no panics while holding the lock")
                        .push(WalkProblem { path, message: error_message(root, &err) });
                }
            }
            WalkState::Continue
        })
    });
    let mut files = files.into_inner().expect("walk threads have finished");
    let mut settings = settings.into_inner().expect("walk threads have finished");
    let mut problems = problems.into_inner().expect("walk threads have finished");
    let unsupported = unsupported.into_inner().expect("walk threads have finished");
    // Parallel walk order depends on timing: sort so output never does.
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    settings.sort();
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Walked { files, settings, problems, unsupported })
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn error_message(root: &Path, err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => error_message(root, err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop (back to {})", relative(root, ancestor))
        }
        other => other.to_string(),
    }
}

/// A `/`-separated relative path with `.` and `..` segments folded (`a/./b/../c` → `a/c`).
pub fn normalize_rel(s: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in s.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_dot_segments() {
        assert_eq!(normalize_rel("app/api/chat/../../lib/./openai"), "app/lib/openai");
        assert_eq!(normalize_rel("../x"), "x");
        assert_eq!(relative(Path::new("/r"), Path::new("/r/a/b.py")), "a/b.py");
    }

    #[test]
    fn anchored_globs_are_rebased_to_the_root() {
        let g = vec!["src/legacy/**".to_string(), "docs/**".into(), "**/gen/**".into(), "*.ipynb".into()];
        assert_eq!(rebase_globs(&g, Some("src")), ["legacy/**", "**/gen/**", "*.ipynb"]);
        assert_eq!(rebase_globs(&g, Some("")), g);
        assert_eq!(rebase_globs(&g, None), ["**/gen/**", "*.ipynb"]);
    }

    #[test]
    fn a_package_named_build_in_jvm_sources_is_code() {
        assert!(in_jvm_sources(Path::new("core/src/main/java/com/acme/provider/build")));
        assert!(in_jvm_sources(Path::new("/r/app/src/test/kotlin/dist")));
        assert!(!in_jvm_sources(Path::new("core/build")));
        assert!(!in_jvm_sources(Path::new("web/src/build")));
    }
}
