//! What the scanned code may write cannot reach a reader as markup, reordered text or a
//! command: SARIF message injection, bidirectional controls in file names and snippets,
//! a git filter planted in the scanned repository; and the same tree gives the same bytes.

mod common;

use common::{git, lockin_in, sarif_validator, Tree};
use std::process::Command;

/// Whether a SARIF message string has an unescaped `[`, `]`, `{` or `}` (SARIF 2.1.0
/// §3.11.5-6: `\[`, `\]` and `\\` are escapes, `{{` and `}}` literal braces).
fn markup_in(text: &str) -> Option<String> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' | '}' => {
                if chars.peek() != Some(&c) {
                    return Some(format!("lone `{c}` in {text}"));
                }
                chars.next();
            }
            '[' | ']' => return Some(format!("unescaped `{c}` in {text}")),
            _ => {}
        }
    }
    None
}

#[test]
fn sarif_messages_carry_no_links_or_placeholders() {
    let t = Tree::new();
    let payloads = [
        "gpt-4o](javascript:alert(1))",
        "gpt-4o[click](https://evil.example/x)",
        "gpt-4o-{0}-{1}",
        "gpt-4o\\\\[x](javascript:alert(1))",
        "gpt-4o}}{{",
        "gpt-4o[x]: javascript:alert(1)",
    ];
    let mut py = String::from("import openai\nclient = openai.OpenAI()\n");
    for p in payloads {
        py.push_str(&format!("client.chat.completions.create(model=\"{p}\", messages=[])\n"));
    }
    t.write("inject.py", py);
    let run = lockin_in(t.path(), &["scan", ".", "--format", "sarif"]);
    run.completed();
    let sarif = run.json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let texts: Vec<&str> = results.iter().map(|r| r["message"]["text"].as_str().unwrap()).collect();
    // Model names are matched by glob (`gpt-4o*`): those with no space are reported.
    let models = texts.iter().filter(|t| t.contains("model `gpt-4o") && !t.contains("model `gpt-4o`")).count();
    assert!(models >= 3, "the payloads are reported: {texts:#?}");
    for text in &texts {
        assert_eq!(markup_in(text), None);
    }
    let descriptions = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for d in descriptions {
        if let Some(text) = d["shortDescription"]["text"].as_str() {
            assert_eq!(markup_in(text), None);
        }
    }
    if let Some(validator) = sarif_validator() {
        let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| e.to_string()).take(5).collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}

/// Bidirectional controls, each in a file name and in a snippet.
const BIDI: [char; 5] = ['\u{202e}', '\u{2066}', '\u{2069}', '\u{200f}', '\u{061c}'];

#[test]
fn bidi_controls_are_shown_escaped_in_human_formats() {
    let t = Tree::new();
    for (i, c) in BIDI.iter().enumerate() {
        t.write(
            &format!("evil{i}{c}yp.py"),
            format!("import openai\nclient = openai.OpenAI()  # {c}admin{c}\u{1b}[31m\n"),
        );
    }
    for args in [
        // The default table lists call sites only: these files have a client each.
        &["scan", ".", "--format", "table", "--color", "never", "--all"][..],
        &["scan", ".", "--color", "never", "--kind", "client"],
        &["scan", ".", "--format", "markdown"],
        &["check", ".", "--fail-on", "low", "--no-config", "--color", "never"],
    ] {
        let run = lockin_in(t.path(), args);
        run.completed();
        let out = String::from_utf8_lossy(&run.stdout).into_owned() + &run.stderr;
        for c in BIDI.iter().chain(&['\u{1b}']) {
            assert!(!out.contains(*c), "{args:?} shows U+{:04X} raw:\n{out}", *c as u32);
        }
        // Shown, escaped: `\u{202e}` (in Markdown with its backslash and braces escaped).
        let shown = out.contains("\\u{202e}") || out.contains("\\\\u\\{202e\\}");
        assert!(shown, "{args:?} does not show the override escaped:\n{out}");
    }
    // JSON keeps the real names: it is data, escaped by JSON itself.
    let json = t.scan(&[]);
    json.assert_good_intact();
    for (i, c) in BIDI.iter().enumerate() {
        assert!(!json.findings_in(&format!("evil{i}{c}yp.py")).is_empty());
    }
}

#[test]
fn changed_since_runs_none_of_the_repositorys_commands() {
    if Command::new("git").arg("--version").output().is_err() {
        println!("skipped: git is not on PATH");
        return;
    }
    let t = Tree::new();
    let d = t.path();
    let markers = tempfile::tempdir().unwrap();
    let marker = |name: &str| markers.path().join(name);
    git(d, &["init", "-q"]);
    git(d, &["config", "user.name", "lockin tests"]);
    git(d, &["config", "user.email", "tests@example.com"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    t.write("app.py", "import os\n");
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "first"]);
    // After the commit: git itself must not run them while the test builds the repository.
    let touch = |name: &str| format!("touch '{}'; cat", marker(name).display());
    t.write(".gitattributes", "* filter=evil diff=evil\n");
    t.write(".git/info/attributes", "*.py filter=evil2\n");
    for (key, value) in [
        ("filter.evil.clean", touch("clean")),
        ("filter.evil.smudge", touch("smudge")),
        ("filter.evil.required", "true".into()),
        ("filter.evil2.clean", touch("clean2")),
        ("filter.evil2.process", touch("process")),
        ("diff.evil.textconv", touch("textconv")),
        ("diff.external", touch("external")),
        ("core.fsmonitor", touch("fsmonitor")),
        ("core.hooksPath", markers.path().join("hooks").display().to_string()),
    ] {
        git(d, &["config", key, &value]);
    }
    std::fs::create_dir(marker("hooks")).unwrap();
    // The changed file, stat-dirty so that git must read it to compare.
    t.write("app.py", "import openai\nclient = openai.OpenAI()\n");
    let run = lockin_in(d, &["scan", ".", "--changed-since", "HEAD", "--format", "json"]);
    run.completed();
    let made: Vec<String> = std::fs::read_dir(markers.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "hooks")
        .collect();
    assert!(made.is_empty(), "git ran the repository's commands: {made:?}; stderr:\n{}", run.stderr);
    let json = run.json();
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "app.py")
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"openai.import") && rules.contains(&"openai.client"), "{rules:?}");
}

#[test]
fn the_same_tree_gives_the_same_bytes() {
    let t = Tree::new();
    t.write("b/x.ts", "import OpenAI from \"openai\";\nconst c = new OpenAI();\n");
    t.write("requirements.txt", "openai==1.0\nanthropic\n");
    for format in ["json", "sarif", "markdown", "cyclonedx", "gitlab", "table"] {
        let run = || {
            let r = lockin_in(t.path(), &["scan", ".", "--format", format, "--color", "never"]);
            r.completed();
            r.stdout
        };
        assert_eq!(run(), run(), "{format}");
    }
    let json = t.scan(&[]).json;
    assert_eq!(json["stats"]["duration_ms"], 0, "no wall-clock value unless --timing");
    let timed = t.scan(&["--timing"]).json;
    assert!(timed["stats"]["duration_ms"].is_u64(), "--timing reports the wall time");
}
