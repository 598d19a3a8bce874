//! Git, read-only, for `lockin scan --changed-since REF`. Input: a directory and a ref;
//! output: where the directory sits in its repository ([`Location`]) and which files
//! differ between the merge base of the ref and HEAD and the working tree ([`Changes`]),
//! as `/`-separated paths from the repository root.
//!
//! Runs the `git` command with `-C <dir>` and only read-only subcommands (`rev-parse`,
//! `merge-base`, `config --get-regexp`, `diff --name-status`, `ls-files`), and runs none of
//! the commands the scanned repository's configuration names: no hook (`core.hooksPath`
//! is `/dev/null`), no fsmonitor (`core.fsmonitor=false`), no external diff or textconv
//! (`--no-ext-diff --no-textconv`), no clean or smudge filter (attributes are read from the
//! empty tree, `GIT_ATTR_SOURCE`, git 2.40 and later; and every `filter.<driver>` the
//! configuration defines is emptied with `-c`, which covers `.git/info/attributes` and
//! older git). The index is never rewritten (`GIT_OPTIONAL_LOCKS=0`), the network is never
//! used. It never reads file contents itself and never scans.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Why the changed files could not be listed. Messages name the flag: only
/// `--changed-since` runs git.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No `git` executable on `PATH`.
    #[error("--changed-since needs git, and no `git` command was found on PATH")]
    NotInstalled,
    /// `git` exists but could not be started.
    #[error("--changed-since: cannot run git: {source}")]
    Spawn {
        /// Why.
        #[source]
        source: io::Error,
    },
    /// The directory is in no git work tree.
    #[error("--changed-since: {} is not in a git repository", dir.display())]
    NotARepository {
        /// The directory git ran in.
        dir: PathBuf,
    },
    /// The ref names no commit.
    #[error(
        "--changed-since: unknown git ref `{reference}`: no commit of that name in {} \
         (in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0)",
        repo.display()
    )]
    UnknownRef {
        /// The ref as given.
        reference: String,
        /// The repository root.
        repo: PathBuf,
    },
    /// HEAD names no commit (a repository with no commit yet).
    #[error("--changed-since: HEAD is not a commit in {} (no commit yet?)", repo.display())]
    NoHead {
        /// The repository root.
        repo: PathBuf,
    },
    /// The ref and HEAD share no history.
    #[error(
        "--changed-since: `{reference}` and HEAD have no merge base in {} \
         (a shallow clone? fetch the history, e.g. actions/checkout with fetch-depth: 0)",
        repo.display()
    )]
    NoMergeBase {
        /// The ref as given.
        reference: String,
        /// The repository root.
        repo: PathBuf,
    },
    /// Scanned paths in two repositories: one merge base cannot describe both.
    #[error(
        "--changed-since: {} and {} are in different git repositories; scan them separately",
        first.display(),
        second.display()
    )]
    TwoRepositories {
        /// The first repository root.
        first: PathBuf,
        /// The other one.
        second: PathBuf,
    },
    /// Any other failure, with git's own message.
    #[error("--changed-since: `git {command}` failed in {}: {message}", dir.display())]
    Failed {
        /// The subcommand and its arguments.
        command: String,
        /// Where it ran.
        dir: PathBuf,
        /// git's standard error, trimmed.
        message: String,
    },
}

/// Where a directory sits in its repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The repository root (`git rev-parse --show-toplevel`).
    pub toplevel: PathBuf,
    /// The directory's path from the root, `/`-separated, ending in `/`; empty at the root
    /// (`git rev-parse --show-prefix`).
    pub prefix: String,
}

/// The files that differ between the merge base of a ref and HEAD and the working tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The merge base, a full commit id.
    pub merge_base: String,
    /// Added, modified or type-changed since the merge base, and untracked files that no
    /// ignore file names; from the repository root. Renames count as a deletion and an
    /// addition (`--no-renames`), so the new name is here.
    pub changed: BTreeSet<String>,
    /// Deleted since the merge base, from the repository root.
    pub deleted: BTreeSet<String>,
}

impl Changes {
    /// The changed paths under `prefix` (a [`Location::prefix`]), relative to it.
    pub fn changed_under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.changed.iter().filter_map(move |p| p.strip_prefix(prefix))
    }

    /// The deleted paths under `prefix`, relative to it.
    pub fn deleted_under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.deleted.iter().filter_map(move |p| p.strip_prefix(prefix))
    }
}

/// git's empty tree, which every git knows without it being stored.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// Runs `git -C dir ARGS` with nothing that could write, prompt or run a command of the
/// repository's configuration. `overrides` are more `-c` settings (see [`filter_overrides`]).
fn git_with<S: AsRef<OsStr>>(dir: &Path, overrides: &[String], args: &[S]) -> Result<Output, GitError> {
    let mut cmd = Command::new("git");
    // `-C dir` decides the repository: variables a calling hook may have set must not.
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_EXTERNAL_DIFF"] {
        cmd.env_remove(var);
    }
    cmd.arg("-C")
        .arg(dir)
        // fsmonitor may name a hook command, or start a daemon; hooks may run on any command.
        .args(["--no-pager", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null"])
        .args(["-c", "diff.external="])
        .args(overrides.iter().flat_map(|o| ["-c", o.as_str()]))
        .args(args)
        // Attributes (`filter=`, `diff=`) from the empty tree, not from the working tree.
        .env("GIT_ATTR_SOURCE", EMPTY_TREE)
        // No index refresh written behind the user's back (git-status(1) "Background refresh").
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null());
    match cmd.output() {
        Ok(o) => Ok(o),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(GitError::NotInstalled),
        Err(source) => Err(GitError::Spawn { source }),
    }
}

fn git<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Result<Output, GitError> {
    git_with(dir, &[], args)
}

/// `-c` settings that empty every filter driver the repository's configuration defines
/// (`filter.<driver>.clean`, `.smudge`, `.process`, and `.required`, which would make an
/// empty filter an error): git runs no filter whose command is empty.
fn filter_overrides(repo: &Path) -> Result<Vec<String>, GitError> {
    let out = git(repo, &["config", "--name-only", "--get-regexp", r"^filter\..*\.(clean|smudge|process|required)$"])?;
    // Exit 1: no such key.
    let text = String::from_utf8_lossy(&out.stdout);
    let mut drivers: Vec<&str> =
        text.lines().filter_map(|k| k.strip_prefix("filter.")?.rsplit_once('.').map(|(driver, _)| driver)).collect();
    drivers.sort_unstable();
    drivers.dedup();
    Ok(drivers
        .into_iter()
        .flat_map(|d| ["clean=", "smudge=", "process=", "required=false"].map(|k| format!("filter.{d}.{k}")))
        .collect())
}

fn failed<S: AsRef<OsStr>>(dir: &Path, args: &[S], out: &Output) -> GitError {
    let command = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect::<Vec<_>>().join(" ");
    let message = String::from_utf8_lossy(&out.stderr).trim().lines().next().unwrap_or("").to_string();
    let message = if message.is_empty() { format!("exit status {}", out.status) } else { message };
    GitError::Failed { command, dir: dir.to_path_buf(), message }
}

/// Standard output of a successful run.
fn run_with<S: AsRef<OsStr>>(dir: &Path, overrides: &[String], args: &[S]) -> Result<Vec<u8>, GitError> {
    let out = git_with(dir, overrides, args)?;
    if !out.status.success() {
        return Err(failed(dir, args, &out));
    }
    Ok(out.stdout)
}

/// The repository root of `dir` and `dir`'s path inside it.
pub fn locate(dir: &Path) -> Result<Location, GitError> {
    let args = ["rev-parse", "--show-toplevel", "--show-prefix"];
    let out = git(dir, &args)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("not a git repository") {
            return Err(GitError::NotARepository { dir: dir.to_path_buf() });
        }
        return Err(failed(dir, &args, &out));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let toplevel = lines.next().filter(|l| !l.is_empty()).ok_or_else(|| failed(dir, &args, &out))?;
    let prefix = lines.next().unwrap_or("").to_string();
    Ok(Location { toplevel: PathBuf::from(toplevel), prefix })
}

/// The commit `rev` names, or `None`.
fn commit(repo: &Path, rev: &str) -> Result<Option<String>, GitError> {
    let out = git(repo, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])?;
    let sha = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok((out.status.success() && !sha.is_empty()).then_some(sha))
}

/// What changed in the repository at `toplevel` since the merge base of `reference` and HEAD.
pub fn changes(toplevel: &Path, reference: &str) -> Result<Changes, GitError> {
    let unknown = || GitError::UnknownRef { reference: reference.to_string(), repo: toplevel.to_path_buf() };
    // A ref cannot start with `-`; git would read it as an option.
    if reference.is_empty() || reference.starts_with('-') {
        return Err(unknown());
    }
    let Some(target) = commit(toplevel, reference)? else {
        return Err(unknown());
    };
    let Some(head) = commit(toplevel, "HEAD")? else {
        return Err(GitError::NoHead { repo: toplevel.to_path_buf() });
    };
    let args = ["merge-base", target.as_str(), head.as_str()];
    let out = git(toplevel, &args)?;
    let merge_base = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if out.status.code() == Some(1) && merge_base.is_empty() {
        return Err(GitError::NoMergeBase { reference: reference.to_string(), repo: toplevel.to_path_buf() });
    }
    if !out.status.success() || merge_base.is_empty() {
        return Err(failed(toplevel, &args, &out));
    }
    // Comparing the working tree reads files through their filters: none may run.
    let overrides = filter_overrides(toplevel)?;
    // Run at the root, so that paths are from the root whatever `diff.relative` says.
    let diff_args = [
        "diff",
        "--name-status",
        "-z",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--ignore-submodules",
        &merge_base,
        "--",
    ];
    let diff = run_with(toplevel, &overrides, &diff_args)?;
    let untracked = run_with(toplevel, &overrides, &["ls-files", "--others", "--exclude-standard", "-z", "--"])?;
    let mut changes = parse_name_status(&diff);
    changes.changed.extend(split_z(&untracked));
    // A file taken out of the index but left on disk is both `D` and untracked: it is there.
    changes.deleted.retain(|p| !changes.changed.contains(p));
    changes.merge_base = merge_base;
    Ok(changes)
}

fn split_z(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes.split(|&b| b == 0).filter(|s| !s.is_empty()).map(|s| String::from_utf8_lossy(s).into_owned())
}

/// `git diff --name-status -z --no-renames`: `STATUS\0PATH\0` pairs.
fn parse_name_status(bytes: &[u8]) -> Changes {
    let mut changes = Changes::default();
    let mut fields = split_z(bytes);
    while let (Some(status), Some(path)) = (fields.next(), fields.next()) {
        if status.starts_with('D') {
            changes.deleted.insert(path);
        } else {
            changes.changed.insert(path);
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_status_pairs() {
        let c = parse_name_status(b"M\0src/app.py\0D\0old.py\0A\0dir with space/n\xc3\xa9w.ts\0T\0link.py\0");
        assert_eq!(
            c.changed.iter().map(String::as_str).collect::<Vec<_>>(),
            ["dir with space/néw.ts", "link.py", "src/app.py"]
        );
        assert_eq!(c.deleted.iter().map(String::as_str).collect::<Vec<_>>(), ["old.py"]);
    }

    #[test]
    fn maps_paths_under_a_subdirectory() {
        let c = Changes {
            merge_base: String::new(),
            changed: ["api/app.py", "api/lib/x.ts", "web/y.ts", "apiary.py"].map(String::from).into(),
            deleted: ["api/gone.py", "web/gone.py"].map(String::from).into(),
        };
        assert_eq!(c.changed_under("api/").collect::<Vec<_>>(), ["app.py", "lib/x.ts"]);
        assert_eq!(c.changed_under("").count(), 4);
        assert_eq!(c.deleted_under("api/").collect::<Vec<_>>(), ["gone.py"]);
    }
}
