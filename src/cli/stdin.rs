//! `lockin scan - --stdin-filename PATH` (ruff's `--stdin-filename`): one file's contents
//! read from standard input and scanned as if they were at PATH. The text is staged in a
//! temporary folder at PATH's place, so the scan is the ordinary one (walk, prefilter,
//! detectors, contexts, per-path policy) and the findings carry PATH; the report's root is `-`.

use super::ScanArgs;
use anyhow::Context as _;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The staged copy; the folder is removed when it is dropped, after the scan.
pub(super) struct Staged {
    _dir: tempfile::TempDir,
}

/// With `--stdin-filename`, reads standard input into a temporary folder at the file's
/// relative place and points `a.paths` there; else checks that `-` was not given alone.
pub(super) fn stage(a: &mut ScanArgs, input: &mut dyn Read) -> anyhow::Result<Option<Staged>> {
    let dash = a.paths.iter().any(|p| p == Path::new("-"));
    let Some(name) = a.stdin_filename.clone() else {
        if dash {
            anyhow::bail!(
                "`-` reads standard input: name the file with --stdin-filename PATH (its extension gives the language)"
            );
        }
        return Ok(None);
    };
    if a.paths.iter().any(|p| p != Path::new("-") && p != Path::new(".")) {
        anyhow::bail!("--stdin-filename scans standard input only: give `-` (or no path), not other paths");
    }
    let rel = relative(&name).with_context(|| format!("--stdin-filename {}: not a file name", name.display()))?;
    let mut text = Vec::new();
    input.read_to_end(&mut text).context("cannot read standard input")?;
    let dir = tempfile::Builder::new().prefix("lockin-stdin").tempdir().context("cannot create a temporary folder")?;
    let path = dir.path().join(&rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    // The policy is the one found from where the file would be.
    if a.config.is_none() && !a.no_config {
        a.config = crate::config::discover(&existing_ancestor(&name));
    }
    a.paths = vec![dir.path().to_path_buf()];
    // The user named this file: hidden folders, default excludes and ignore files do not hide it.
    a.hidden = true;
    a.no_default_excludes = true;
    a.no_ignore = true;
    Ok(Some(Staged { _dir: dir }))
}

/// The path findings carry: PATH relative to the current folder, `.` and `..` resolved
/// lexically; an absolute PATH outside the current folder keeps its file name only.
fn relative(name: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let name = name.strip_prefix(&cwd).unwrap_or(name);
    let mut out = PathBuf::new();
    for c in name.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => out = PathBuf::new(),
        }
    }
    if name.is_absolute() {
        out = PathBuf::from(name.file_name()?);
    }
    (out.file_name().is_some()).then_some(out)
}

/// The nearest folder above PATH that exists (policy discovery starts there).
fn existing_ancestor(name: &Path) -> PathBuf {
    name.ancestors()
        .skip(1)
        .find(|d| !d.as_os_str().is_empty() && d.is_dir())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_keeps_the_named_place() {
        assert_eq!(relative(Path::new("src/app.py")), Some(PathBuf::from("src/app.py")));
        assert_eq!(relative(Path::new("./src/../lib/x.ts")), Some(PathBuf::from("lib/x.ts")));
        assert_eq!(relative(Path::new("/elsewhere/app.py")), Some(PathBuf::from("app.py")));
        assert_eq!(relative(Path::new("..")), None);
    }
}
