//! The Rust front end (`src/detect/rust_lower.rs`, tree-sitter-rust lowered onto the shared
//! resolver) on a file with a syntax error: tree-sitter recovers, so the good half of the
//! file keeps its findings (the import, the client, its chat call, the model) and the line
//! after the broken one is read again (the environment read). The fixtures under
//! `fixtures/rust` are checked against their markers by `tests/fixtures.rs`.

use lockin::{scan, ScanOptions};
use std::fs;
use std::path::{Path, PathBuf};

fn markers(case: &Path) -> Vec<(String, u32, String)> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![case.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = fs::read_to_string(&p) else { continue };
            let rel = p.strip_prefix(case).unwrap().to_string_lossy().replace('\\', "/");
            for (i, line) in text.lines().enumerate() {
                let at = line.find("// expect:").map(|a| a + 10).or_else(|| line.find("# expect:").map(|a| a + 9));
                let Some(at) = at else { continue };
                for rule in line[at..].split(',') {
                    out.push((rel.clone(), i as u32 + 1, rule.trim().to_string()));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_file_with_a_syntax_error_keeps_the_findings_of_its_good_half() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust_front/syntax_recovery");
    let rules = lockin::rules::load_embedded();
    let opts = ScanOptions { paths: vec![case.clone()], ..ScanOptions::default() };
    let report = scan(&opts, &rules).expect("fixture scans");
    let mut got: Vec<(String, u32, String)> =
        report.findings.into_iter().map(|f| (f.path, f.line, f.rule_id)).collect();
    got.sort();
    assert_eq!(markers(&case), got);
    // The error is reported with where it is, and the scan goes on.
    let errors: Vec<(&str, &str)> = report.stats.errors.iter().map(|e| (e.path.as_str(), e.message.as_str())).collect();
    assert_eq!(errors, [("src/main.rs", "15:42: Rust syntax error; the rest of the file was read")]);
}
