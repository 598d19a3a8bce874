//! Every rule's documented example produces that rule. Each example is written as a one-file
//! project (`Docs::example_file`: `app.py`, `app.ts`, `package.json`, ...) and scanned by the
//! library's own scan, the one `lockin scan` runs; the rule must be among the findings at the
//! example's marked line (its last line that is not only closing brackets). The SARIF help and
//! `rules explain` print this same text. All failures are listed, not only the first.

use lockin::finding::Kind;
use lockin::rules::example::marked_line;
use lockin::rules::{load_embedded, RuleInfo};
use lockin::scan::{scan, ScanOptions};
use std::fs;

/// The day lifecycle examples are judged on, as in `tests/fixtures.rs`.
const AS_OF: &str = "2026-12-06";

/// Why a rule's example is not scanned, or `None` when it is.
fn not_scanned(r: &RuleInfo) -> Option<&'static str> {
    // Reports print a secret redacted, and so does its documentation: a key-shaped literal
    // written into SARIF help would be one more committed key for secret scanners.
    (r.kind == Kind::Secret).then_some("a secret example is shown redacted, as every report prints it")
}

/// What scanning `r`'s example finds at its marked line, or the failure.
fn check(r: &RuleInfo) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join(&r.docs.example_file);
    fs::write(&path, &r.docs.example).expect("the example is written");
    let opts = ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        as_of: lockin::lifecycle::Date::parse(AS_OF).expect("a day"),
        ..ScanOptions::default()
    };
    let report = scan(&opts, load_embedded_once()).map_err(|e| format!("scan failed: {e}"))?;
    let line = marked_line(&r.docs.example);
    if report.findings.iter().any(|f| f.line == line && f.rule_id == r.id) {
        return Ok(());
    }
    let found: Vec<String> = report.findings.iter().map(|f| format!("{}:{}", f.line, f.rule_id)).collect();
    let errors: Vec<&str> = report.stats.errors.iter().map(|e| e.message.as_str()).collect();
    Err(format!(
        "line {line} of {}: found [{}]{}",
        r.docs.example_file,
        found.join(", "),
        if errors.is_empty() { String::new() } else { format!(", errors {errors:?}") }
    ))
}

fn load_embedded_once() -> &'static lockin::rules::RuleSet {
    static RULES: std::sync::OnceLock<lockin::rules::RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(load_embedded)
}

#[test]
fn every_rule_example_produces_its_rule() {
    let rules = load_embedded_once().rules();
    let mut failures = Vec::new();
    let (mut checked, mut skipped) = (0, 0);
    for r in &rules {
        if let Some(why) = not_scanned(r) {
            eprintln!("skipped {}: {why}", r.id);
            skipped += 1;
            continue;
        }
        checked += 1;
        if r.docs.example.trim().is_empty() || r.docs.example_file.is_empty() {
            failures.push(format!("{}: no example", r.id));
            continue;
        }
        if let Err(why) = check(r) {
            failures.push(format!("{}: {why}\n    example: {}", r.id, r.docs.example.replace('\n', "\n             ")));
        }
    }
    eprintln!("{checked} examples scanned, {skipped} skipped, {} failing", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {checked} rule examples do not produce their rule:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn sarif_help_shows_the_example_rules_explain_shows() {
    // See: issue 16 point 9, "the SARIF help reads from the same text".
    let rules = load_embedded_once();
    let rule = rules.rule("openai.chat-completions").expect("a rule");
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::write(dir.path().join(&rule.docs.example_file), &rule.docs.example).expect("the example is written");
    let opts = ScanOptions { paths: vec![dir.path().to_path_buf()], ..ScanOptions::default() };
    let report = scan(&opts, rules).expect("the example scans");
    let mut out = Vec::new();
    let ctx = lockin::report::Context::new(rules);
    lockin::report::render(&report, lockin::report::Format::Sarif, &ctx, &mut out).expect("rendered");
    let sarif: serde_json::Value = serde_json::from_slice(&out).expect("SARIF is JSON");
    let descriptors = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    let d = descriptors.iter().find(|d| d["id"] == rule.id.as_str()).expect("the rule is described");
    let explain = lockin::rules::explain::explain_text(&rule, &rules.substitutes);
    let markdown = d["help"]["markdown"].as_str().expect("markdown help");
    assert!(explain.contains(markdown.lines().nth(2).expect("a message line")), "{markdown}");
    let fenced = format!("```python\n{}\n```", rule.docs.example);
    assert!(markdown.contains(&fenced) && explain.contains(&fenced), "{markdown}");
    assert!(d["help"]["text"].as_str().expect("text help").contains(&rule.docs.example));
}
