//! `--format gitlab`: a GitLab Code Quality report, the subset of the Code Climate issue
//! format GitLab reads from a `codequality` artifact to show findings in merge requests
//! (docs.gitlab.com/ci/testing/code_quality, "Code Quality report format"). One JSON array,
//! one issue per finding in report order, with the documented fields only: `description`,
//! `check_name`, `fingerprint`, `severity`, `location.path` and `location.lines`, plus the
//! `type` and `categories` the Code Climate specification requires (GitLab ignores them).
//! Formatting only: severities and categories are mappings, the fingerprint is the
//! finding's own, and nothing from the scanned code is shown beyond the finding's message
//! and path.

use super::Report;
use crate::finding::{Finding, Kind, Severity};
use serde_json::{json, Value};
use std::io::{self, Write};

/// GitLab's severity of a lockin severity, one step each (GitLab: `info`, `minor`,
/// `major`, `critical`, `blocker`).
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Low => "minor",
        Severity::Medium => "major",
        Severity::High => "critical",
        Severity::Critical => "blocker",
    }
}

/// The Code Climate category: a hard-coded credential is a security issue; every other
/// finding is a dependence on one vendor's API, which Code Climate's fixed list
/// (`Bug Risk`, `Clarity`, `Compatibility`, `Complexity`, `Duplication`, `Performance`,
/// `Security`, `Style`) calls compatibility.
fn category(kind: Kind) -> &'static str {
    match kind {
        Kind::Secret => "Security",
        _ => "Compatibility",
    }
}

/// The message with its vendor and, for calls, portability, as SARIF words it. Code
/// Climate descriptions are one line: control characters (a newline inside a quoted
/// string literal) become spaces.
fn description(f: &Finding) -> String {
    let text = match f.portability {
        Some(p) => format!("{} (vendor {}, portability {p})", f.message, f.vendor),
        None => format!("{} (vendor {})", f.message, f.vendor),
    };
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The path as GitLab matches it against the repository: relative, without the `./` a
/// scan root given as `./dir` leaves in front.
fn path(p: &str) -> &str {
    let mut p = p;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p
}

fn issue(f: &Finding) -> Value {
    json!({
        "type": "issue",
        "check_name": f.rule_id,
        "description": description(f),
        "categories": [category(f.kind)],
        "severity": severity(f.severity),
        "fingerprint": f.fingerprint,
        "location": {
            "path": path(&f.path),
            "lines": { "begin": f.line, "end": f.end_line.max(f.line) },
        },
    })
}

/// Builds the issue array.
pub fn issues(report: &Report) -> Value {
    debug_assert!(report.findings.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()));
    Value::Array(report.findings.iter().map(issue).collect())
}

/// Writes the report as pretty JSON with a final newline (GitLab rejects a byte order
/// mark, and none is written).
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &issues(report)).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_map_one_step_each() {
        let all = [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical];
        let names: Vec<&str> = all.into_iter().map(severity).collect();
        assert_eq!(names, ["info", "minor", "major", "critical", "blocker"]);
    }

    #[test]
    fn paths_lose_leading_dot_segments_only() {
        assert_eq!(path("./././a/b.py"), "a/b.py");
        assert_eq!(path("a/./b.py"), "a/./b.py");
        assert_eq!(path(".venv/x.py"), ".venv/x.py");
    }

    #[test]
    fn descriptions_are_one_line() {
        let f = Finding {
            vendor: "v".into(),
            kind: Kind::Model,
            message: "model `a\nb\tc`".into(),
            ..crate::finding::test_finding("v.model")
        };
        assert_eq!(description(&f), "model `a b c` (vendor v)");
    }
}
