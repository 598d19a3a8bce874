//! Runs the real binary: exit codes, formats, determinism, bad input, bad rules, help.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lockin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockin")).args(args).env_remove("NO_COLOR").output().expect("the binary runs")
}

fn fixture(case: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python").join(case).display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

#[test]
fn json_report_snapshot() {
    let o = lockin(&["scan", &fixture("base_urls"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let mut v = json(&o);
    v["root"] = "[root]".into();
    v["tool"]["version"] = "[version]".into();
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!("cli__json_base_urls", v);
    });
}

#[test]
fn table_report_snapshot() {
    let o = lockin(&["scan", &fixture("openai_app"), "--color", "never"]);
    assert_eq!(o.status.code(), Some(0));
    snap!("cli__table_openai_app", stdout(&o));
}

#[test]
fn same_tree_gives_byte_identical_findings() {
    // Byte for byte: no wall-clock value unless --timing.
    let run = || lockin(&["scan", &fixture("openai_app"), "-f", "json"]).stdout;
    assert_eq!(run(), run());
}

#[test]
fn fail_on_sets_exit_code() {
    // The legacy module holds a hard-coded key: critical.
    assert_eq!(lockin(&["scan", &fixture("openai_app"), "--fail-on", "critical", "-q"]).status.code(), Some(1));
    assert_eq!(lockin(&["scan", &fixture("negative"), "--fail-on", "info", "-q"]).status.code(), Some(0));
    // Calls to a self-hosted server are informational, so they do not fail a `low` gate.
    let o = lockin(&["scan", &format!("{}/ollama_only.py", fixture("base_urls")), "--fail-on", "low", "-f", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn missing_path_is_an_error() {
    let o = lockin(&["scan", "/definitely/not/here"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such file or directory"), "{}", stderr(&o));
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.json");
    let o = lockin(&["scan", &fixture("openai_app"), "-f", "json", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(out).unwrap()).unwrap();
    assert!(!v["findings"].as_array().unwrap().is_empty());
}

#[test]
fn secrets_never_reach_any_output() {
    let key = "sk-Qx7Rk2Lm9Np4Tv6Wz8Yb1Cd3Fg5Hj0Kl2Mn4Pq6Rs8Tu0VwX";
    for format in ["json", "table"] {
        let o = lockin(&["scan", &fixture("openai_app"), "-f", format]);
        assert!(!stdout(&o).contains(&key[8..]), "{format} leaks the key");
        assert!(stdout(&o).contains("[REDACTED]"));
    }
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn bad_input_is_reported_per_file_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "bin.py", b"import openai\0\0\0binary");
    let mut latin1 = b"import openai\nc = openai.OpenAI()\nc.chat.completions.create(model='x')  # caf".to_vec();
    latin1.extend([0xe9, b'\n']);
    write(d, "latin1.py", &latin1);
    write(d, "broken.py", b"from anthropic import Anthropic\ndef f(:\n    pass\nclient = Anthropic()\n");
    write(d, "huge.py", format!("import openai\n{}", "x = 1\n".repeat(400)).as_bytes());
    write(d, "notebook.ipynb", b"{ not json");
    write(d, "pyproject.toml", b"[project\nname = 1");
    #[cfg(unix)]
    {
        fs::create_dir_all(d.join("loop")).unwrap();
        std::os::unix::fs::symlink(d.join("loop"), d.join("loop/again")).unwrap();
    }
    let o = lockin(&["scan", d.to_str().unwrap(), "-f", "json", "--max-filesize", "1000", "-L"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let errors: Vec<String> = v["stats"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}: {}", e["path"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect();
    let has = |p: &str, m: &str| errors.iter().any(|e| e.starts_with(p) && e.contains(m));
    assert!(has("huge.py", "over the"), "{errors:?}");
    assert!(has("broken.py", "syntax errors"), "{errors:?}");
    assert!(has("notebook.ipynb", "invalid notebook JSON"), "{errors:?}");
    assert!(has("pyproject.toml", "invalid TOML"), "{errors:?}");
    #[cfg(unix)]
    assert!(errors.iter().any(|e| e.contains("loop")), "{errors:?}");
    assert!(v["stats"]["files_skipped"].as_u64().unwrap() >= 2, "binary and huge files are skipped");
    let rules: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["rule_id"].as_str().unwrap().to_string()))
        .collect();
    // Invalid UTF-8 is read lossily and still scanned; a syntax error keeps what parsed.
    assert!(rules.contains(&("latin1.py".into(), "openai.chat-completions".into())), "{rules:?}");
    assert!(rules.contains(&("broken.py".into(), "anthropic.client".into())), "{rules:?}");
    assert!(!rules.iter().any(|(p, _)| p == "bin.py" || p == "huge.py"));
}

#[test]
fn default_excludes_skip_virtualenvs_and_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let code = b"from openai import OpenAI\nOpenAI()\n";
    write(d, "app.py", code);
    write(d, "node_modules/x/a.py", code);
    write(d, "env/pyvenv.cfg", b"home = /usr\n");
    write(d, "env/lib/python3.11/site-packages/openai/x.py", code);
    write(d, "pkg/__pycache__/a.py", code);
    write(d, "ignored/a.py", code);
    write(d, ".gitignore", b"ignored/\n");
    let paths = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["scan", d.to_str().unwrap(), "-f", "json"];
        args.extend(extra);
        let v = json(&lockin(&args));
        let mut p: Vec<String> =
            v["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
        p.dedup();
        p
    };
    assert_eq!(paths(&[]), vec!["app.py"]);
    let all = paths(&["--no-default-excludes"]);
    assert!(all.contains(&"node_modules/x/a.py".to_string()) && !all.contains(&"ignored/a.py".to_string()), "{all:?}");
    assert_eq!(paths(&["--exclude", "app.py"]), Vec::<String>::new());
    assert_eq!(paths(&["--no-default-excludes", "--include", "pkg/**"]), vec!["pkg/__pycache__/a.py"]);
}

#[test]
fn bad_rule_files_name_file_line_and_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_rules");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    let mut all = String::new();
    for case in cases {
        let o = lockin(&["rules", "list", "--rules", case.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", case.display());
        let msg = stderr(&o).replace(&format!("{}/", dir.display()), "tests/bad_rules/");
        all.push_str(&msg);
    }
    snap!("cli__bad_rules", all);
}

#[test]
fn rules_list_vendors_shows_every_provider_and_its_hosts() {
    let o = lockin(&["rules", "list", "--vendors"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for (id, kind, host) in [
        ("moonshot", "open-weights", "api.moonshot.ai"),
        ("alibaba", "proprietary", "dashscope-*.aliyuncs.com"),
        ("openai-compatible", "self-hosted", ""),
        ("unknown-host", "unknown", ""),
    ] {
        let line = text.lines().find(|l| l.split_whitespace().next() == Some(id)).unwrap_or_else(|| panic!("{id}"));
        assert!(line.contains(kind) && line.contains(host), "{line}");
    }
    let o = lockin(&["rules", "list", "--vendors", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v.as_array().unwrap().len() >= 55);
}

#[test]
fn rules_explain_prints_every_section() {
    let o = lockin(&["rules", "explain", "openai.chat-completions"]);
    assert_eq!(o.status.code(), Some(0));
    snap!("cli__explain_chat_completions", stdout(&o));
    assert_eq!(lockin(&["rules", "explain", "nope.nothing"]).status.code(), Some(2));
}

#[test]
fn help_is_stable() {
    for (name, args) in [
        ("cli__help", vec!["--help"]),
        ("cli__help_scan", vec!["scan", "--help"]),
        ("cli__help_rules", vec!["rules", "--help"]),
        ("cli__help_fix", vec!["fix", "--help"]),
        ("cli__help_merge", vec!["merge", "--help"]),
        ("cli__help_plan", vec!["plan", "--help"]),
    ] {
        let o = lockin(&args);
        assert_eq!(o.status.code(), Some(0));
        snap!(name, stdout(&o));
    }
}

/// See: issue 16 point 8. The version names the commit the binary is built from.
#[test]
fn version_names_the_commit() {
    let o = Command::new(env!("CARGO_BIN_EXE_lockin")).arg("--version").output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    let rest = text.trim().strip_prefix(concat!("lockin ", env!("CARGO_PKG_VERSION"), " (")).expect(&text);
    let commit = rest.strip_suffix(')').expect(&text);
    // A build outside a git checkout says so instead of a commit.
    assert!(
        commit == "unknown commit" || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
}

/// See: issue 16 point 8. Shell completions and a man page come from the same clap types.
#[test]
fn completions_and_man_page_are_generated() {
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_lockin")).args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let bash = run(&["completions", "bash"]);
    assert!(bash.contains("_lockin()") && bash.contains("--changed-since") && bash.contains("--select"), "{bash}");
    let fish = run(&["completions", "fish"]);
    assert!(fish.contains("complete -c lockin"), "{fish}");
    let man = run(&["man"]);
    assert!(man.starts_with(".ie") || man.contains(".TH lockin"), "{man}");
    assert!(man.contains("vendor"), "{man}");
}
