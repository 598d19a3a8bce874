//! `lockin fix`: the codemod over `fixtures/<language>/fix_*` cases. The expected diff is an
//! insta snapshot; the rewritten tree must parse, give the same findings with the client
//! base URLs now configurable, and a second run must change nothing. `fix_negative` holds
//! sites no rewrite is safe for. SARIF results carry the same change as `fixes`.

mod common;

use common::{lockin_in, sarif_validator};
use lockin::finding::{Finding, Kind};
use lockin::fix::{self, diff, Options, Plan};
use lockin::report::Report;
use lockin::scan::{scan, ScanOptions};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(case)
}

/// The fix cases: every `fixtures/<language>/fix_*` folder but the negative one.
fn cases() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for lang in ["javascript", "python", "typescript"] {
        let mut names: Vec<String> = fs::read_dir(root.join(lang))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("fix_") && n != "fix_negative")
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| format!("{lang}/{n}")));
    }
    assert!(out.len() >= 3, "fix fixtures exist: {out:?}");
    out
}

fn scan_dir(dir: &Path) -> Report {
    let rules = lockin::rules::load_embedded();
    scan(&ScanOptions { paths: vec![dir.to_path_buf()], threads: Some(1), ..ScanOptions::default() }, &rules)
        .expect("the scan runs")
}

fn plan(dir: &Path, lift_models: bool) -> Plan {
    let rules = lockin::rules::load_embedded();
    fix::plan(&scan_dir(dir), &[dir.to_path_buf()], &rules, Options { lift_models, ..Options::default() })
}

/// The plan as review text: each file's diff, then the notes.
fn shown(p: &Plan) -> String {
    let mut s = String::new();
    for f in &p.files {
        s.push_str(&diff::unified(&f.path, &f.original, &f.fixed));
    }
    for n in &p.notes {
        s.push_str(&format!("note: {}:{}: {}\n", n.path, n.line, n.message));
    }
    s
}

/// A copy of a fixture case in a temporary folder.
fn copy(case: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let mut stack = vec![(fixture(case), t.path().to_path_buf())];
    while let Some((from, to)) = stack.pop() {
        fs::create_dir_all(&to).unwrap();
        for e in fs::read_dir(&from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push((e.path(), to.join(e.file_name())));
            } else {
                fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    t
}

fn write(p: &Plan) {
    for f in &p.files {
        fs::write(&f.file, &f.fixed).unwrap();
    }
}

/// What must not change: every finding but endpoint and environment literals (the rewrite
/// writes today's URL and a variable name into the code), by path, rule, vendor and kind.
fn kept(r: &Report, models: bool) -> Vec<(String, String, String, Kind)> {
    let mut v: Vec<_> = r
        .findings
        .iter()
        .filter(|f| !matches!(f.kind, Kind::Endpoint | Kind::Env) && (models || f.kind != Kind::Model))
        .map(|f| (f.path.clone(), f.rule_id.clone(), f.vendor.clone(), f.kind))
        .collect();
    v.sort();
    v
}

fn clients(r: &Report) -> Vec<&Finding> {
    r.findings.iter().filter(|f| f.kind == Kind::Client).collect()
}

#[test]
fn diffs_match_snapshots() {
    for case in cases() {
        let dir = fixture(&case);
        let text = format!(
            "== base URLs ==\n{}\n== --lift-models ==\n{}",
            shown(&plan(&dir, false)),
            shown(&plan(&dir, true))
        );
        let name = format!("fix__{}", case.replace('/', "__"));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, text);
        });
    }
}

#[test]
fn rewritten_code_parses_keeps_its_findings_and_is_configurable() {
    for lift in [false, true] {
        for case in cases() {
            let t = copy(&case);
            let before = scan_dir(t.path());
            let p = plan(t.path(), lift);
            assert!(!p.files.is_empty(), "{case}: something to rewrite");
            write(&p);
            let after = scan_dir(t.path());
            assert!(after.stats.errors.is_empty(), "{case}: the rewritten files parse: {:?}", after.stats.errors);
            assert_eq!(kept(&before, !lift), kept(&after, !lift), "{case} (lift {lift}): same findings");
            // Every client the codemod rewrote now reads its base URL from configuration.
            let rewritten: usize =
                p.files.iter().map(|f| f.changes.iter().filter(|c| c.description.contains("base URL")).count()).sum();
            let configurable = clients(&after).iter().filter(|f| f.configurable).count();
            let was = clients(&before).iter().filter(|f| f.configurable).count();
            assert!(rewritten > 0, "{case}: a base URL rewrite");
            assert_eq!(configurable, was + rewritten, "{case}: each rewritten client is configurable now");
            for f in clients(&after) {
                assert!(
                    f.configurable || p.notes.iter().any(|n| n.path == f.path),
                    "{case}: {f:?} left alone without a note"
                );
            }
        }
    }
}

#[test]
fn a_second_run_changes_nothing() {
    for lift in [false, true] {
        for case in cases() {
            let t = copy(&case);
            write(&plan(t.path(), lift));
            let again = plan(t.path(), lift);
            assert!(again.files.is_empty(), "{case} (lift {lift}): second run rewrote\n{}", shown(&again));
        }
    }
}

#[test]
fn python_rewrites_pass_py_compile() {
    if std::process::Command::new("python3").arg("--version").output().is_err() {
        println!("skipped: python3 is not installed");
        return;
    }
    let t = copy("python/fix_base_url");
    write(&plan(t.path(), true));
    let out = std::process::Command::new("python3")
        .args(["-m", "py_compile", "app.py"])
        .current_dir(t.path())
        .env("PYTHONPYCACHEPREFIX", t.path().join("pycache"))
        .output()
        .unwrap();
    assert!(out.status.success(), "py_compile: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn leaves_unsafe_sites_alone_and_says_why() {
    let dir = fixture("python/fix_negative");
    let p = plan(&dir, true);
    assert!(p.files.is_empty(), "nothing is rewritten:\n{}", shown(&p));
    let notes: Vec<(String, u32, String)> =
        p.notes.iter().map(|n| (n.path.clone(), n.line, n.message.clone())).collect();
    let has =
        |path: &str, line: u32, words: &str| notes.iter().any(|(p, l, m)| p == path && *l == line && m.contains(words));
    assert!(has("broken.py", 0, "does not parse cleanly (a missing token at line 7)"), "{notes:#?}");
    assert!(has("spread.py", 11, "spread"), "{notes:#?}");
    assert!(has("spread.py", 15, "not a literal"), "{notes:#?}");
    assert!(has("spread.py", 19, "not a literal"), "{notes:#?}");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("fix__python__fix_negative", shown(&p));
    });
}

#[test]
fn cli_prints_the_diff_and_writes_with_write() {
    let t = copy("typescript/fix_base_url");
    let dry = lockin_in(t.path(), &["fix", "."]);
    assert_eq!(dry.code, Some(0), "{}", dry.stderr);
    let diff = String::from_utf8(dry.stdout).unwrap();
    assert!(diff.contains("+++ b/llm.ts") && diff.contains("process.env.OPENAI_BASE_URL ??"), "{diff}");
    assert!(dry.stderr.contains("llm.ts:22: left alone: its options spread `...options`"), "{}", dry.stderr);
    let before = fs::read_to_string(t.path().join("llm.ts")).unwrap();
    let wrote = lockin_in(t.path(), &["fix", ".", "--write"]);
    assert_eq!(wrote.code, Some(0), "{}", wrote.stderr);
    let after = fs::read_to_string(t.path().join("llm.ts")).unwrap();
    assert_ne!(before, after);
    let again = lockin_in(t.path(), &["fix", "."]);
    assert!(again.stdout.is_empty(), "{}", String::from_utf8_lossy(&again.stdout));
}

#[test]
fn context_narrows_what_is_rewritten() {
    let t = copy("python/fix_base_url");
    fs::create_dir(t.path().join("tests")).unwrap();
    fs::rename(t.path().join("app.py"), t.path().join("tests/test_app.py")).unwrap();
    let product = lockin_in(t.path(), &["fix", ".", "--context", "product"]);
    let diff = String::from_utf8(product.stdout).unwrap();
    assert!(diff.contains("+++ b/single_quotes.py") && !diff.contains("test_app.py"), "{diff}");
    let all = lockin_in(t.path(), &["fix", "."]);
    assert!(String::from_utf8(all.stdout).unwrap().contains("+++ b/tests/test_app.py"));
}

#[test]
fn sarif_results_carry_the_fix() {
    let t = copy("python/fix_base_url");
    let run = lockin_in(t.path(), &["scan", ".", "--format", "sarif"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let v: Value = serde_json::from_slice(&run.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let fixed: Vec<&Value> = results.iter().filter(|r| r.get("fixes").is_some()).collect();
    // The four client constructions of app.py and the one of single_quotes.py.
    assert_eq!(fixed.len(), 5, "{fixed:#?}");
    let text = fs::read_to_string(t.path().join("app.py")).unwrap();
    let p = plan(t.path(), false);
    // Applying a result's replacements alone gives that site's rewrite (and `import os`).
    let first = &fixed[0]["fixes"][0]["artifactChanges"][0];
    assert_eq!(first["artifactLocation"]["uri"], "app.py");
    let applied = apply_sarif(&text, first["replacements"].as_array().unwrap());
    assert!(applied.contains("import os\n"), "{applied}");
    assert!(p.files[0].fixed.lines().filter(|l| !text.contains(*l)).any(|l| applied.contains(l)));
    if let Some(validator) = sarif_validator() {
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "SARIF with fixes matches 2.1.0:\n{}", errors.join("\n"));
        let mut bad = v.clone();
        bad["runs"][0]["results"][0]["fixes"] = serde_json::json!([{ "artifactChanges": [] }]);
        let index = results.iter().position(|r| r.get("fixes").is_some()).unwrap();
        bad["runs"][0]["results"][index]["fixes"][0]["artifactChanges"] = serde_json::json!([]);
        assert!(!validator.is_valid(&bad), "the validator checks fixes");
    }
}

/// Applies SARIF replacements (1-based lines, Unicode columns, end exclusive) to a text.
fn apply_sarif(text: &str, replacements: &[Value]) -> String {
    let lines: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let offset = |line: &Value, col: &Value| {
        let start = lines[line.as_u64().unwrap() as usize - 1];
        let chars = col.as_u64().unwrap() as usize - 1;
        start + text[start..].char_indices().nth(chars).map_or(text.len() - start, |(i, _)| i)
    };
    let mut edits: Vec<(usize, usize, String)> = replacements
        .iter()
        .map(|r| {
            let d = &r["deletedRegion"];
            let s = offset(&d["startLine"], &d["startColumn"]);
            let e = offset(&d["endLine"], &d["endColumn"]);
            (s, e, r["insertedContent"]["text"].as_str().unwrap().to_string())
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}
