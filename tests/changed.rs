//! `lockin scan --changed-since REF` on throwaway git repositories built in each test:
//! exactly the changed files' findings (calls through clients of unchanged modules
//! included), the `scope` numbers, the one-line summary of the table and Markdown reports,
//! subdirectory and several roots, and the errors (bad ref, no repository, no git).
//! Every test is skipped, with a note, when `git` is not on PATH.

mod common;

use common::git;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn git_available() -> bool {
    let ok = Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        println!("skipped: git is not on PATH");
    }
    ok
}

/// Runs lockin in `dir`, somewhere under the system's temporary directory.
fn lockin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockin"))
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        // Git must not find a repository above the temporary directories.
        .env("GIT_CEILING_DIRECTORIES", std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn report(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

/// `(path, line, rule_id)` of every finding.
fn findings(v: &Value) -> BTreeSet<(String, u64, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn set(items: &[(&str, u64, &str)]) -> BTreeSet<(String, u64, String)> {
    items.iter().map(|(p, l, r)| (p.to_string(), *l, r.to_string())).collect()
}

/// A repository whose `base` branch has an OpenAI client module used by a Python route and
/// a TypeScript route; `feature` (checked out) changes the Python route in a commit, the
/// TypeScript route in the working tree, adds an untracked file and deletes one. `base` then
/// moves on (a change to `app/stable.py`) so that only the merge base gives the right diff.
struct Repo {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

fn repo() -> Repo {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    fs::create_dir(&dir).unwrap();
    let d = dir.as_path();
    git(d, &["init", "-q"]);
    git(d, &["config", "user.name", "lockin tests"]);
    git(d, &["config", "user.email", "tests@example.com"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    write(d, "app/__init__.py", "");
    write(d, "app/clients.py", "from openai import OpenAI\n\nclient = OpenAI()\n");
    write(d, "app/routes.py", "from app.clients import client\n\n\ndef index():\n    return \"ok\"\n");
    write(
        d,
        "app/stable.py",
        "from app.clients import client\n\nclient.embeddings.create(model=\"text-embedding-3-small\", input=\"x\")\n",
    );
    write(d, "app/old.py", "import anthropic\n\nc = anthropic.Anthropic()\n");
    write(d, "web/lib/openai.ts", "import OpenAI from \"openai\";\n\nexport const openai = new OpenAI();\n");
    write(d, "web/route.ts", "export function ping() {\n  return 1;\n}\n");
    write(d, "requirements.txt", "openai==1.40.0\n");
    write(d, ".gitignore", "scratch.py\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "base"]);
    git(d, &["branch", "base"]);
    git(d, &["checkout", "-qb", "feature"]);
    write(
        d,
        "app/routes.py",
        "from app.clients import client\n\n\ndef index():\n    return client.chat.completions.create(model=\"gpt-4o-mini\", messages=[])\n",
    );
    git(d, &["commit", "-qam", "a call in the route"]);
    git(d, &["checkout", "-q", "base"]);
    write(
        d,
        "app/stable.py",
        "from app.clients import client\n\nclient.embeddings.create(model=\"text-embedding-3-large\", input=\"y\")\n",
    );
    git(d, &["commit", "-qam", "base moves on"]);
    git(d, &["checkout", "-q", "feature"]);
    // Uncommitted: a modified file, an untracked file, a deleted file, an ignored file.
    write(
        d,
        "web/route.ts",
        "import { openai } from \"./lib/openai\";\n\nexport async function POST() {\n  return openai.chat.completions.create({ model: \"gpt-4o\", messages: [] });\n}\n",
    );
    write(
        d,
        "app/new_tool.py",
        "import anthropic\n\nanthropic.Anthropic().messages.create(model=\"claude-3-5-sonnet-latest\", max_tokens=9, messages=[])\n",
    );
    fs::remove_file(d.join("app/old.py")).unwrap();
    write(d, "scratch.py", "import openai\n\nopenai.OpenAI().models.list()\n");
    Repo { _tmp: tmp, dir }
}

#[test]
fn reports_exactly_the_findings_of_changed_files() {
    if !git_available() {
        return;
    }
    let r = repo();
    let merge_base = git(&r.dir, &["merge-base", "base", "HEAD"]);
    let v = report(&lockin(&r.dir, &["scan", "--changed-since", "base", "--format", "json"]));
    let expected = set(&[
        ("app/new_tool.py", 1, "anthropic.import"),
        ("app/new_tool.py", 3, "anthropic.client"),
        ("app/new_tool.py", 3, "anthropic.messages"),
        ("app/new_tool.py", 3, "anthropic.model"),
        // Through the client that the unchanged app/clients.py creates.
        ("app/routes.py", 5, "openai.chat-completions"),
        ("app/routes.py", 5, "openai.model"),
        // Through the client that the unchanged web/lib/openai.ts exports.
        ("web/route.ts", 4, "openai.chat-completions"),
        ("web/route.ts", 4, "openai.model"),
    ]);
    assert_eq!(findings(&v), expected);
    // Reading 8 files: 3 changed, 2 imported (the client modules), 3 unchanged
    // (app/__init__.py, app/stable.py, requirements.txt); app/old.py is deleted.
    assert_eq!(
        v["scope"],
        serde_json::json!({
            "changed_since": "base",
            "merge_base": merge_base,
            "changed_files": 3,
            "deleted_files": 1,
            "imported_files": 2,
            "unchanged_files_not_scanned": 3,
        })
    );
    assert_eq!(v["stats"]["files_scanned"], 3);
    assert_eq!(v["stats"]["files_with_findings"], 3);
    // The same findings as a full scan gives for those files, fingerprints included.
    let full = report(&lockin(&r.dir, &["scan", "--format", "json"]));
    assert!(full.get("scope").is_none());
    let changed = ["app/new_tool.py", "app/routes.py", "web/route.ts"];
    let in_changed: Vec<&Value> = full["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| changed.contains(&f["path"].as_str().unwrap()))
        .collect();
    assert_eq!(v["findings"].as_array().unwrap().iter().collect::<Vec<_>>(), in_changed);
    assert!(findings(&full).contains(&("app/stable.py".to_string(), 3, "openai.embeddings".to_string())));
}

#[test]
fn table_and_markdown_say_what_was_scanned() {
    if !git_available() {
        return;
    }
    let r = repo();
    let short = &git(&r.dir, &["merge-base", "base", "HEAD"])[..7];
    let line = format!(
        "3 files changed since {{q}}base{{q}} (merge base {{q}}{short}{{q}}) were scanned; 5 unchanged files were \
         not (2 read only to resolve the clients changed files import); 1 file deleted. Findings and scores \
         cover the changed files only."
    );
    let o = lockin(&r.dir, &["scan", "--changed-since", "base", "--color", "never"]);
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.starts_with(&format!("Diff-aware: {}\n", line.replace("{q}", ""))), "{table}");
    let o = lockin(&r.dir, &["scan", "--changed-since", "base", "--format", "markdown"]);
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(md.contains(&format!("\n**Diff-aware:** {}\n", line.replace("{q}", "`"))), "{md}");
    // A full scan says nothing of the kind.
    let o = lockin(&r.dir, &["scan", "--color", "never"]);
    assert!(!String::from_utf8(o.stdout).unwrap().contains("Diff-aware"));
}

#[test]
fn paths_are_relative_to_a_subdirectory_root() {
    if !git_available() {
        return;
    }
    let r = repo();
    let v = report(&lockin(&r.dir.join("web"), &["scan", "--changed-since", "base", "-f", "json"]));
    assert_eq!(findings(&v), set(&[("route.ts", 4, "openai.chat-completions"), ("route.ts", 4, "openai.model")]));
    assert_eq!(v["scope"]["changed_files"], 1);
    assert_eq!(v["scope"]["deleted_files"], 0);
    assert_eq!(v["scope"]["imported_files"], 1);
    assert_eq!(v["scope"]["unchanged_files_not_scanned"], 0);
    // Several roots keep their prefixes; one file given as a root is changed or not.
    let v = report(&lockin(&r.dir, &["scan", "web", "app/stable.py", "--changed-since", "base", "-f", "json"]));
    let paths: BTreeSet<String> = findings(&v).into_iter().map(|(p, _, _)| p).collect();
    assert_eq!(paths, BTreeSet::from(["web/route.ts".to_string()]));
    assert_eq!(v["scope"]["changed_files"], 1);
    assert_eq!(v["scope"]["unchanged_files_not_scanned"], 1);
}

#[test]
fn nothing_changed_gives_an_empty_report() {
    if !git_available() {
        return;
    }
    let r = repo();
    let v = report(&lockin(&r.dir, &["scan", "--changed-since", "HEAD", "-f", "json"]));
    // The working tree still differs from HEAD: only those files.
    let paths: BTreeSet<String> = findings(&v).into_iter().map(|(p, _, _)| p).collect();
    assert_eq!(paths, BTreeSet::from(["app/new_tool.py".to_string(), "web/route.ts".to_string()]));
    git(&r.dir, &["add", "-A"]);
    git(&r.dir, &["commit", "-qm", "everything"]);
    let v = report(&lockin(&r.dir, &["scan", "--changed-since", "HEAD", "-f", "json"]));
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["scope"]["changed_files"], 0);
    assert_eq!(v["risk"]["score"], 0);
}

#[test]
fn baselines_compare_only_the_files_looked_at() {
    if !git_available() {
        return;
    }
    let r = repo();
    let baseline = r._tmp.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let full = report(&lockin(&r.dir, &["scan", "-f", "json", "--write-baseline", b]));
    // Writing a baseline applies it at once.
    let recorded = full["baseline"]["recorded"].as_u64().unwrap();
    assert_eq!(full["findings"], serde_json::json!([]));
    // One finding of a changed file goes away; every other one is recorded.
    write(&r.dir, "web/route.ts", "import { openai } from \"./lib/openai\";\n\nexport const m = openai.models;\n");
    let v = report(&lockin(&r.dir, &["scan", "--changed-since", "base", "-f", "json", "--baseline", b]));
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["baseline"]["recorded"], recorded);
    assert_eq!(v["baseline"]["matched"], 6);
    assert_eq!(v["baseline"]["new"], 0);
    // web/route.ts's two findings; not those of the unchanged files, which were not looked at.
    assert_eq!(v["baseline"]["gone"], 2);
    // A baseline records the whole tree: it cannot be written from a diff-aware run.
    let o = lockin(&r.dir, &["scan", "--changed-since", "base", "--write-baseline", b]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
}

#[test]
fn the_check_verdict_says_what_was_scanned() {
    if !git_available() {
        return;
    }
    let r = repo();
    let o = lockin(&r.dir, &["check", "--changed-since", "base", "--fail-on", "medium", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("lockin: failed: 1 violation"), "{text}");
    assert!(text.contains("\n    app/routes.py:5:12  openai.chat-completions"), "{text}");
    assert!(!text.contains("app/stable.py"), "{text}");
    assert!(text.contains("\nDiff-aware: 3 files changed since base (merge base "), "{text}");
}

#[test]
fn an_unknown_ref_is_an_error() {
    if !git_available() {
        return;
    }
    let r = repo();
    for bad in ["no-such-branch", "--output=x"] {
        let o = lockin(&r.dir, &["scan", &format!("--changed-since={bad}")]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains(&format!("error: --changed-since: unknown git ref `{bad}`")), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
    assert!(!r.dir.join("x").exists());
}

#[test]
fn a_directory_outside_any_repository_is_an_error() {
    if !git_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("plain");
    write(&dir, "app.py", "import openai\n");
    let o = lockin(&dir, &["scan", "--changed-since", "main"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("error: --changed-since: . is not in a git repository"), "{}", stderr(&o));
}

#[test]
fn missing_git_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_lockin"))
        .current_dir(tmp.path())
        .args(["scan", "--changed-since", "main"])
        .env("PATH", tmp.path())
        .output()
        .expect("the binary runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--changed-since needs git, and no `git` command was found on PATH"), "{}", stderr(&o));
}

#[test]
fn git_leaves_the_repository_untouched() {
    if !git_available() {
        return;
    }
    let r = repo();
    let index = r.dir.join(".git/index");
    // Make the index stale so that a refreshing command would rewrite it.
    fs::write(r.dir.join("app/routes.py"), fs::read(r.dir.join("app/routes.py")).unwrap()).unwrap();
    let before = (fs::read(&index).unwrap(), fs::metadata(&index).unwrap().modified().unwrap());
    report(&lockin(&r.dir, &["scan", "--changed-since", "base", "-f", "json"]));
    let after = (fs::read(&index).unwrap(), fs::metadata(&index).unwrap().modified().unwrap());
    assert!(before == after, "the index was rewritten");
}
