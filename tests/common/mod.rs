//! Shared by the hostile-input suites (`tests/hostile_*.rs`): a temporary tree holding one
//! good file whose findings are known, the real binary run over it beside hostile files,
//! and the checks every hostile case makes: the scan completes (exit 0 or 1), the good
//! file's findings are intact, the hostile file is named in `stats.errors` when it should
//! be. Work is bounded by counting bytes and steps the report gives, never by wall-clock
//! time; the only clock here is a hang guard that kills a run after [`HANG_LIMIT`].

#![allow(dead_code)] // each suite uses a part of it

use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A run still going after this long is a hang: it is killed and the test fails.
pub const HANG_LIMIT: Duration = Duration::from_secs(120);

/// The good file every hostile tree holds, at `good.py`.
pub const GOOD_PY: &str = "import openai\n\nclient = openai.OpenAI()\nreply = client.chat.completions.create(model=\"gpt-4o\", messages=[])\n";

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None`: killed by a signal, e.g. an abort on stack overflow).
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    /// The JSON report on standard output.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not a JSON report ({e}); exit {:?}; stderr:\n{}", self.code, self.stderr)
        })
    }

    /// Panics unless the scan completed: exit 0 or 1, never a crash.
    pub fn completed(&self) -> &Run {
        assert!(
            matches!(self.code, Some(0 | 1)),
            "the scan did not complete: exit {:?}; stderr:\n{}",
            self.code,
            self.stderr
        );
        self
    }
}

/// Runs the binary with `args` in `cwd`, killing it after [`HANG_LIMIT`].
pub fn lockin_in(cwd: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lockin"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).ok();
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > HANG_LIMIT {
            child.kill().ok();
            child.wait().ok();
            panic!("lockin {args:?} hung: killed after {HANG_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run { code: status.code(), stdout: reader.join().unwrap(), stderr: err_reader.join().unwrap() }
}

/// A temporary tree with the good file in it.
pub struct Tree {
    pub dir: tempfile::TempDir,
}

impl Tree {
    /// A new tree holding `good.py`.
    pub fn new() -> Tree {
        let t = Tree::empty();
        t.write("good.py", GOOD_PY);
        t
    }

    /// A new tree with nothing in it.
    pub fn empty() -> Tree {
        Tree { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The absolute path of `rel`.
    pub fn at(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes `rel` (creating folders).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.at(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// `lockin scan . --format json` plus `extra`, in the tree; must complete.
    pub fn scan(&self, extra: &[&str]) -> Scan {
        let mut args = vec!["scan", ".", "--format", "json"];
        args.extend_from_slice(extra);
        let run = lockin_in(self.path(), &args);
        run.completed();
        Scan { json: run.json(), run }
    }
}

/// A completed JSON scan.
#[derive(Debug)]
pub struct Scan {
    pub run: Run,
    pub json: Value,
}

impl Scan {
    /// `(path, line, rule_id)` of every finding in `path`.
    pub fn findings_in(&self, path: &str) -> Vec<(String, u64, String)> {
        findings_in(&self.json, path)
    }

    /// The `stats.errors` messages for `path`.
    pub fn errors_for(&self, path: &str) -> Vec<String> {
        self.json["stats"]["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["path"].as_str() == Some(path))
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Panics unless `path` is named in `stats.errors`; returns its messages.
    pub fn assert_error(&self, path: &str) -> Vec<String> {
        let e = self.errors_for(path);
        assert!(!e.is_empty(), "{path} is not in stats.errors: {}", self.json["stats"]["errors"]);
        e
    }

    /// Panics unless the good file's findings are those it has alone.
    pub fn assert_good_intact(&self) -> &Scan {
        assert_eq!(self.findings_in("good.py"), good_alone(), "the good file lost findings");
        self
    }
}

fn findings_in(json: &Value, path: &str) -> Vec<(String, u64, String)> {
    let mut v: Vec<_> = json["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["path"].as_str() == Some(path))
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The good file's findings when it is scanned alone (computed once).
pub fn good_alone() -> Vec<(String, u64, String)> {
    static GOOD: OnceLock<Vec<(String, u64, String)>> = OnceLock::new();
    GOOD.get_or_init(|| {
        let t = Tree::new();
        let s = t.scan(&[]);
        let f = findings_in(&s.json, "good.py");
        assert!(f.iter().any(|(_, _, r)| r == "openai.chat-completions"), "the good file has its call: {f:?}");
        f
    })
    .clone()
}

/// A schema of the shared folder beside the project (`../shared/schemas/`); a fresh clone
/// has none, and then the validation is skipped with a note.
pub fn shared_schema(name: &str) -> Option<Value> {
    // LOCKIN_SHARED names the shared folder where it is not beside the project (a worktree).
    let shared = std::env::var_os("LOCKIN_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = shared.join("schemas").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("valid JSON")),
        Err(_) => {
            println!("skipped: {} is absent", path.display());
            None
        }
    }
}

/// The SARIF 2.1.0 validator, when the shared schemas are beside the project.
pub fn sarif_validator() -> Option<jsonschema::Validator> {
    let schema = shared_schema("sarif-schema-2.1.0.json")?;
    // The published schema's `language` patterns have a stray `]`
    // (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which is no valid regex, so the
    // draft-07 meta-schema (`format: regex`) rejects the schema itself. Only those patterns
    // are replaced, by what they mean; lockin writes no `language` anyway.
    let broken = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    let text = schema.to_string();
    assert!(text.contains(broken), "the schema changed: drop this fix");
    let mut schema: Value =
        serde_json::from_str(&text.replace(broken, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#)).expect("valid JSON");
    // This copy keeps the log's own schema under `definitions/Root` and constrains nothing
    // at the top, so everything would pass: validate against `Root`.
    if schema.get("properties").is_none() && schema["definitions"].get("Root").is_some() {
        schema["$ref"] = "#/definitions/Root".into();
    }
    Some(jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles"))
}

/// Runs git in `dir` with no user or system configuration.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}
