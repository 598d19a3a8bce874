//! Runs the library over every `fixtures/<language>/<case>/` project against the real
//! `rules/` and checks (1) that the `(path, line, rule id)` of every finding equals the
//! `expect:` markers (or `expected.txt`), which pins intent, and (2) that the full
//! findings match an insta snapshot, which pins vendors, columns, snippets and messages.

/// The day lifecycle findings are judged on: pinned, so that fixtures do not change with the calendar.
const AS_OF: &str = "2026-12-06";

use lockin::finding::Finding;
use lockin::scan::{scan, ScanOptions};
use std::fs;
use std::path::{Path, PathBuf};

fn cases() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    let mut langs: Vec<PathBuf> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).collect();
    langs.sort();
    for lang in langs.into_iter().filter(|p| p.is_dir()) {
        let mut cases: Vec<PathBuf> = fs::read_dir(&lang).unwrap().map(|e| e.unwrap().path()).collect();
        cases.sort();
        for case in cases.into_iter().filter(|p| p.is_dir()) {
            let name = format!(
                "{}__{}",
                lang.file_name().unwrap().to_string_lossy(),
                case.file_name().unwrap().to_string_lossy()
            );
            out.push((name, case));
        }
    }
    out
}

fn files(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let r = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if p.is_dir() {
            files(&p, &r, out);
        } else {
            out.push((r, p));
        }
    }
}

/// `(path, line, rule)` from `# expect: a, b` / `// expect: a` markers and `expected.txt`.
fn markers(case: &Path) -> Vec<(String, u32, String)> {
    let mut out = Vec::new();
    let mut all = Vec::new();
    files(case, "", &mut all);
    for (rel, path) in all {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        if rel == "expected.txt" {
            for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
                let (loc, rule) = line.split_once(' ').expect("`path:line rule`");
                let (p, n) = loc.rsplit_once(':').expect("`path:line`");
                out.push((p.to_string(), n.parse().unwrap(), rule.trim().to_string()));
            }
            continue;
        }
        if rel.ends_with(".ipynb") {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            let Some(at) = line.find("# expect:").map(|a| a + 9).or_else(|| line.find("// expect:").map(|a| a + 10))
            else {
                continue;
            };
            for rule in line[at..].split(',') {
                out.push((rel.clone(), i as u32 + 1, rule.trim().to_string()));
            }
        }
    }
    out.sort();
    out
}

fn run(case: &Path) -> Vec<Finding> {
    let rules = lockin::rules::load_embedded();
    let opts = ScanOptions {
        paths: vec![case.to_path_buf()],
        as_of: lockin::lifecycle::Date::parse(AS_OF).expect("a day"),
        ..ScanOptions::default()
    };
    scan(&opts, &rules).expect("fixture scans").findings
}

#[test]
fn fixtures_match_markers_and_snapshots() {
    let mut failures = Vec::new();
    for (name, case) in cases() {
        let findings = run(&case);
        let mut got: Vec<(String, u32, String)> =
            findings.iter().map(|f| (f.path.clone(), f.line, f.rule_id.clone())).collect();
        got.sort();
        let want = markers(&case);
        if got != want {
            let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
            let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
            failures.push(format!("{name}:\n  missing: {missing:?}\n  unexpected: {extra:?}"));
        }
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(format!("fixtures__{name}"), findings);
        });
    }
    assert!(failures.is_empty(), "marker mismatches:\n{}", failures.join("\n"));
}

#[test]
fn negative_fixture_has_no_proprietary_finding() {
    // See: issue 2, "One negative fixture ... must produce no proprietary finding".
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/python/negative");
    let rules = lockin::rules::load_embedded();
    let bad: Vec<String> = run(&case)
        .into_iter()
        .filter(|f| rules.vendor(&f.vendor).is_none_or(|v| v.proprietary))
        .map(|f| format!("{}:{} {}", f.path, f.line, f.rule_id))
        .collect();
    assert!(bad.is_empty(), "proprietary findings in the negative fixture: {bad:?}");
}

#[test]
fn fixtures_finish_within_the_resolution_budget() {
    // See: issue 12, "One step budget per file"; `self_reassign` cases chain names through themselves.
    // A tripwire for growth that is not linear, not a speed test: a class whose client is
    // built per branch exports each branch's client (`key_per_branch`, `provider_params`
    // weigh four each: about 6,000 steps).
    let rules = lockin::rules::load_embedded();
    for (name, case) in cases() {
        let opts = ScanOptions {
            paths: vec![case],
            as_of: lockin::lifecycle::Date::parse(AS_OF).expect("a day"),
            ..ScanOptions::default()
        };
        let report = scan(&opts, &rules).expect("fixture scans");
        let cut: Vec<_> = report.stats.errors.iter().filter(|e| e.message.contains("budget")).collect();
        assert!(cut.is_empty(), "{name}: {cut:?}");
        assert!(report.stats.resolution_steps < 10_000, "{name}: {} steps", report.stats.resolution_steps);
    }
}
