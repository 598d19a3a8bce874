//! The output a person acts on (issue 16): the concise default table, `--kind`, `--all`,
//! `--statistics`, contexts (product, test, example, ...) and what the scores leave out.
//! Runs the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn lockin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockin")).args(args).env_remove("NO_COLOR").output().expect("the binary runs")
}

fn lockin_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lockin"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
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

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

const CALL: &str =
    "from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model=\"gpt-4o\", messages=[])\n";
const FINE_TUNE: &str =
    "from openai import OpenAI\nclient = OpenAI()\nclient.fine_tuning.jobs.create(training_file=\"f\", model=\"gpt-4o-mini\")\n";

/// A product module with one chat call, and tests, examples and scripts full of calls.
fn mixed_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "app/llm.py", CALL);
    write(d, "tests/test_llm.py", FINE_TUNE);
    write(d, "app/test_helpers.py", CALL);
    write(d, "examples/demo.py", FINE_TUNE);
    write(d, "scripts/backfill.py", CALL);
    write(d, "docs/guide/snippet.py", CALL);
    dir
}

#[test]
fn default_table_is_one_line_per_call_site() {
    let o = lockin(&["scan", &fixture("openai_app"), "--color", "never"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    // One line per call site, no per-file tables, a closing line that says what to do.
    assert!(!out.contains('┌'), "{out}");
    assert!(out.contains("app/jobs.py:7:12  openai  openai.fine-tuning  OpenAI fine-tuning call"), "{out}");
    assert!(out.contains("Not listed: 12 model, 5 import"), "{out}");
    assert!(out.contains("Model lifecycle: 2 uses of retired models"), "{out}");
    assert!(out.lines().last().unwrap().starts_with("Next: "), "{out}");
    assert!(out.lines().count() < 40, "{out}");
}

#[test]
fn all_lists_every_finding_in_the_full_table() {
    let o = lockin(&["scan", &fixture("openai_app"), "--color", "never", "--all"]);
    assert_eq!(o.status.code(), Some(0));
    snap!("output__table_all_openai_app", stdout(&o));
}

#[test]
fn statistics_count_findings_per_rule() {
    let o = lockin(&["scan", &fixture("openai_app"), "--color", "never", "--statistics"]);
    assert_eq!(o.status.code(), Some(0));
    snap!("output__statistics_openai_app", stdout(&o));
}

#[test]
fn kind_lists_other_kinds() {
    let o = lockin(&["scan", &fixture("openai_app"), "--kind", "model"]);
    let out = stdout(&o);
    assert!(out.contains("app/llm.py:13:17  openai  openai.model  OpenAI model `gpt-4o-mini`"), "{out}");
    assert!(!out.contains("openai.chat-completions  OpenAI Chat"), "{out}");
    assert!(out.contains("12 findings (model) in"), "{out}");
}

#[test]
fn singular_counts_read_as_singular() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.py", CALL);
    let out = stdout(&lockin(&["scan", dir.path().to_str().unwrap()]));
    assert!(out.contains("1 call site in 1 file of product code."), "{out}");
    assert!(!out.contains("1 call sites") && !out.contains("1 files"), "{out}");
}

#[test]
fn every_finding_has_a_context_by_path_conventions() {
    let dir = mixed_tree();
    let v = json(&lockin(&["scan", dir.path().to_str().unwrap(), "-f", "json"]));
    let contexts: std::collections::BTreeMap<String, String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["context"].as_str().unwrap().to_string()))
        .collect();
    let expected: std::collections::BTreeMap<String, String> = [
        ("app/llm.py", "product"),
        ("app/test_helpers.py", "test"),
        ("docs/guide/snippet.py", "docs"),
        ("examples/demo.py", "example"),
        ("scripts/backfill.py", "script"),
        ("tests/test_llm.py", "test"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(contexts, expected);
    assert_eq!(v["contexts"]["scored"], serde_json::json!(["product"]));
    assert_eq!(
        v["contexts"]["call_sites"],
        serde_json::json!({"product": 1, "test": 2, "example": 1, "script": 1, "docs": 1})
    );
}

#[test]
fn scores_count_product_code_unless_context_all() {
    let dir = mixed_tree();
    let d = dir.path().to_str().unwrap();
    let product = json(&lockin(&["scan", d, "-f", "json"]));
    let all = json(&lockin(&["scan", d, "-f", "json", "--context", "all"]));
    // Only the chat call of app/llm.py counts by default; the fine-tuning jobs in tests and
    // examples do not make the product look locked into fine-tuning.
    assert_eq!(product["vendors"][0]["call_sites"], 1);
    assert_eq!(all["vendors"][0]["call_sites"], 6);
    assert!(product["risk"]["score"].as_u64() < all["risk"]["score"].as_u64(), "{} {}", product["risk"], all["risk"]);
    let caps: Vec<&str> =
        product["recommendations"].as_array().unwrap().iter().map(|r| r["capability"].as_str().unwrap()).collect();
    assert_eq!(caps, ["chat"]);
    assert_eq!(all["contexts"]["scored"].as_array().unwrap().len(), 6);
    // Every finding stays in the report, whatever counts.
    assert_eq!(product["findings"].as_array().unwrap().len(), all["findings"].as_array().unwrap().len());
    let table = stdout(&lockin(&["scan", d]));
    assert!(table.contains("1 call site in 1 file of product code."), "{table}");
    assert!(
        table.contains("Not counted: 20 findings (5 call sites) in test, example, script and docs code; `--context all` counts them."),
        "{table}"
    );
    let md = stdout(&lockin(&["scan", d, "-f", "markdown"]));
    assert!(md.contains("left out (`--context all` counts them)"), "{md}");
    assert!(!md.contains("## Hard to move"), "{md}");
}

#[test]
fn contexts_can_be_chosen_and_overridden_in_the_policy() {
    let dir = mixed_tree();
    let d = dir.path();
    let tests_too =
        json(&lockin(&["scan", d.to_str().unwrap(), "-f", "json", "--context", "product", "--context", "test"]));
    assert_eq!(tests_too["contexts"]["scored"], serde_json::json!(["product", "test"]));
    assert_eq!(tests_too["vendors"][0]["call_sites"], 3);
    // The policy's globs are relative to its folder and beat the conventions.
    write(d, "lockin.toml", "[contexts]\nproduct = [\"examples/**\"]\ntest = [\"scripts/**\"]\n");
    let v = json(&lockin_in(d, &["scan", ".", "-f", "json"]));
    let ctx = |p: &str| {
        v["findings"].as_array().unwrap().iter().find(|f| f["path"] == p).unwrap()["context"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(ctx("examples/demo.py"), "product");
    assert_eq!(ctx("scripts/backfill.py"), "test");
    assert_eq!(v["vendors"][0]["call_sites"], 2);
    write(d, "lockin.toml", "[contexts]\nproduct = [\"examples/[\"]\n");
    let o = lockin_in(d, &["scan", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lockin.toml:2:12: key `contexts.product[0]`: invalid glob"), "{}", stderr(&o));
}

#[test]
fn only_tests_is_not_called_clean() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tests/test_llm.py", CALL);
    let out = stdout(&lockin(&["scan", dir.path().to_str().unwrap()]));
    assert!(out.contains("No call site in product code."), "{out}");
    assert!(out.contains("Not counted: 4 findings (1 call site) in test code"), "{out}");
    assert!(out.contains("Next: `lockin scan --context all`"), "{out}");
}

#[test]
fn files_of_unsupported_languages_are_counted_not_called_clean() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "cmd/Main.swift", "import OpenAI\n");
    write(d, "internal/llm/Client.swift", "struct Client {}\n");
    write(d, "Package.swift", "// swift-tools-version:5.9\n");
    write(d, "service.rb", "class Service; end\n");
    let o = lockin(&["scan", d.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(!out.contains("No LLM vendor dependencies found"), "{out}");
    assert_eq!(
        out.trim_end(),
        "Nothing was analysed: 3 Swift files and 1 Ruby file are in languages lockin does not read (it reads Python, JavaScript/TypeScript, Rust, Go, Java, Kotlin and C#)."
    );
    let v = json(&lockin(&["scan", d.to_str().unwrap(), "-f", "json"]));
    assert_eq!(v["stats"]["unsupported"], serde_json::json!({"swift": 3, "ruby": 1}));
    // Beside code lockin reads, every report says what it did not read.
    write(d, "tools/llm.py", CALL);
    let out = stdout(&lockin(&["scan", d.to_str().unwrap()]));
    assert!(out.contains("Not analysed: 3 Swift files and 1 Ruby file are in languages lockin does not read"), "{out}");
    let md = stdout(&lockin(&["scan", d.to_str().unwrap(), "-f", "markdown"]));
    assert!(md.contains("**Not analysed:** 3 Swift files and 1 Ruby file"), "{md}");
    // Ignored and excluded files are not counted.
    let v = json(&lockin(&["scan", d.to_str().unwrap(), "-f", "json", "--exclude", "cmd/**"]));
    assert_eq!(v["stats"]["unsupported"], serde_json::json!({"swift": 2, "ruby": 1}));
    // Hidden files and folders are counted only with --hidden, as the walk reads them (a
    // `.env.rb` is listed for its settings all the same, and still not counted without it).
    write(d, ".tools/gen.swift", "let gen = 1\n");
    write(d, ".env.rb", "X = 1\n");
    let v = json(&lockin(&["scan", d.to_str().unwrap(), "-f", "json"]));
    assert_eq!(v["stats"]["unsupported"], serde_json::json!({"swift": 3, "ruby": 1}));
    let v = json(&lockin(&["scan", d.to_str().unwrap(), "-f", "json", "--hidden"]));
    assert_eq!(v["stats"]["unsupported"], serde_json::json!({"swift": 4, "ruby": 2}));
}

#[test]
fn markdown_puts_the_plan_first_and_folds_the_rest() {
    let md = stdout(&lockin(&["scan", &fixture("openai_app"), "-f", "markdown"]));
    let at = |h: &str| md.find(h).unwrap_or_else(|| panic!("{h} missing:\n{md}"));
    assert!(at("## Vendors") < at("## Migration plan"));
    assert!(at("## Migration plan") < at("## Hotspots"));
    assert!(at("## Hard to move") < at("## Models named in code"));
    assert!(at("## Models named in code") < at("## How this was computed"));
    assert!(md.contains("| engineer-days |") && md.contains("Assumptions: a point is one call site"), "{md}");
    // Models, the score derivation and the findings appendix are folded.
    for h in ["## Models named in code", "## How this was computed", "## Appendix: every finding"] {
        let rest = &md[at(h) + h.len()..];
        let section = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
        assert!(section.contains("<details><summary>") && section.contains("</details>"), "{h}: {section}");
    }
    // One row per model; no "served by" column when every model is served by its family.
    assert!(md.contains("| `gpt-4o-mini` | OpenAI | 1 |"), "{md}");
    assert!(!md.contains("served by"), "{md}");
}

#[test]
fn markdown_stays_under_max_bytes_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let models: String =
        (0..40).map(|i| format!("M{i} = \"gpt-4o-2024-{:02}-{:02}\"\n", i % 12 + 1, i % 28 + 1)).collect();
    for i in 0..60 {
        write(d, &format!("svc{i}/llm.py"), &format!("{CALL}{models}"));
    }
    let full = stdout(&lockin(&["scan", d.to_str().unwrap(), "-f", "markdown", "--max-bytes", "100000000"]));
    assert!(full.len() > 200_000, "{}", full.len());
    assert!(!full.contains("Left out to stay under"));
    let o = lockin(&["scan", d.to_str().unwrap(), "-f", "markdown", "--max-bytes", "40000"]);
    assert_eq!(o.status.code(), Some(0));
    let md = stdout(&o);
    assert!(md.len() <= 40_000, "{} bytes", md.len());
    // The summary is whole; what was cut is named.
    assert!(md.contains("## Migration plan") && md.contains("## Hotspots"), "{md}");
    assert!(md.contains("_Left out to stay under 40000 bytes (`--max-bytes`): "), "{md}");
    assert!(md.contains("part of the findings appendix ("), "{md}");
    assert!(md.trim_end().ends_with("Generated by lockin ") || md.contains("Generated by lockin"));
    // The default budget is under GitHub's 1 MiB job-summary limit.
    let default = stdout(&lockin(&["scan", d.to_str().unwrap(), "-f", "markdown"]));
    assert!(default.len() < 1024 * 1024);
}

#[test]
fn a_closed_pipe_exits_quietly() {
    use std::io::Read;
    for args in [vec!["rules", "list", "--format", "json"], vec!["scan", &fixture("openai_app"), "--all"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lockin"))
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn rules_explain_suggests_the_closest_rule() {
    let o = lockin(&["rules", "explain", "openai.chat-completion"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("did you mean `openai.chat-completions`?"), "{}", stderr(&o));
}

#[test]
fn threads_do_not_change_the_report() {
    let one = lockin(&["scan", &fixture("openai_app"), "-f", "json", "-j", "1"]);
    let many = lockin(&["scan", &fixture("openai_app"), "-f", "json", "--threads", "4"]);
    assert_eq!(one.status.code(), Some(0));
    assert_eq!(one.stdout, many.stdout);
    assert_eq!(lockin(&["scan", ".", "-j", "0"]).status.code(), Some(2));
}

#[test]
fn licence_files_match_the_manifest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"MIT OR Apache-2.0\""));
    assert!(fs::read_to_string(root.join("LICENSE-MIT")).unwrap().contains("Permission is hereby granted"));
    assert!(fs::read_to_string(root.join("LICENSE-APACHE")).unwrap().contains("Apache License"));
}

#[test]
fn rust_test_modules_and_test_functions_are_test_code() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/lib.rs",
        r#"use async_openai::{types::CreateChatCompletionRequest, Client};

pub async fn ask(req: CreateChatCompletionRequest) {
    let client = Client::new();
    let _ = client.chat().create(req).await;
}

#[cfg(not(test))]
pub async fn also_product(req: CreateChatCompletionRequest) {
    let _ = Client::new().chat().create(req).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn calls_the_api() {
        let _ = Client::new().chat().create(CreateChatCompletionRequest::default()).await;
    }
}
"#,
    );
    write(
        dir.path(),
        "src/helpers.rs",
        r#"use async_openai::Client;

#[test]
fn builds_a_client() {
    let _ = Client::new().models().list();
}
"#,
    );
    let v = json(&lockin(&["scan", dir.path().to_str().unwrap(), "-f", "json", "--kind", "call"]));
    let calls: Vec<(String, u64, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "call")
        .map(|f| {
            (f["path"].as_str().unwrap().into(), f["line"].as_u64().unwrap(), f["context"].as_str().unwrap().into())
        })
        .collect();
    assert_eq!(
        calls,
        vec![
            ("src/helpers.rs".into(), 5, "test".into()),
            ("src/lib.rs".into(), 5, "product".into()),
            ("src/lib.rs".into(), 10, "product".into()),
            ("src/lib.rs".into(), 19, "test".into()),
        ]
    );
    assert_eq!(v["contexts"]["call_sites"], serde_json::json!({"product": 2, "test": 2}));
}
