//! `lockin scan - --stdin-filename PATH`: one file read from standard input, reported under
//! PATH, its language from PATH's extension, the policy found from PATH's folder. Runs the
//! real binary from a temporary folder.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const APP_PY: &str =
    "from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n";

fn lockin_stdin(cwd: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lockin"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The binary may refuse its arguments and exit before reading: a broken pipe is no error.
    let _ = child.stdin.take().expect("piped").write_all(input.as_bytes());
    child.wait_with_output().expect("the binary ends")
}

fn findings(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| format!("{}:{} {}", f["path"].as_str().unwrap(), f["line"], f["rule_id"].as_str().unwrap()))
        .collect()
}

#[test]
fn stdin_is_reported_under_its_filename() {
    let dir = tempfile::tempdir().unwrap();
    let o = lockin_stdin(
        dir.path(),
        &["scan", "-", "--stdin-filename", "src/app.py", "--all", "--as-of", "2026-12-06"],
        APP_PY,
    );
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8(o.stdout).unwrap();
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("stdin__table", table);
    });
    // Nothing is left behind and the current folder is untouched.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn stdin_language_comes_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let args = |name: &'static str| ["scan", "-", "--stdin-filename", name, "--format", "json", "--no-config"];
    let py = lockin_stdin(dir.path(), &args("./lib/../src/app.py"), APP_PY);
    assert_eq!(
        findings(&py),
        [
            "src/app.py:1 openai.import",
            "src/app.py:3 openai.client",
            "src/app.py:4 openai.chat-completions",
            "src/app.py:4 openai.model"
        ]
    );
    let v: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(v["root"], "-");
    // The same text named as a text file is not Python.
    let txt = lockin_stdin(dir.path(), &args("notes.txt"), APP_PY);
    assert_eq!(findings(&txt), Vec::<String>::new());
    let ts = "import OpenAI from \"openai\";\nconst client = new OpenAI();\n";
    let js = lockin_stdin(dir.path(), &args("web/app.ts"), ts);
    assert_eq!(findings(&js), ["web/app.ts:1 openai.import", "web/app.ts:2 openai.client"]);
}

#[test]
fn stdin_uses_the_policy_found_from_the_filename() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("svc")).unwrap();
    fs::write(dir.path().join("svc/lockin.toml"), "ignore = [\"model\"]\n").unwrap();
    let o = lockin_stdin(dir.path(), &["scan", "-", "--stdin-filename", "svc/app.py", "--format", "json"], APP_PY);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!findings(&o).iter().any(|f| f.ends_with("openai.model")), "{:?}", findings(&o));
    assert!(findings(&o).contains(&"svc/app.py:4 openai.chat-completions".to_string()));
}

#[test]
fn dash_without_a_filename_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = lockin_stdin(dir.path(), &["scan", "-"], APP_PY);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--stdin-filename"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = lockin_stdin(dir.path(), &["scan", "src", "--stdin-filename", "a.py"], APP_PY);
    assert_eq!(o.status.code(), Some(2));
}
