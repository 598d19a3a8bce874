//! `--format github`: GitHub Actions workflow commands, one annotation per call site and
//! hard-coded credential in the code the scores count (what the default table lists), so
//! that a repository without code scanning still sees findings on the pull request's
//! lines; then one notice with the score. Severity maps to the annotation level
//! (critical, high: `error`; medium: `warning`; low, info: `notice`). GitHub shows a
//! limited number of annotations per step, so the most severe come first.
//! <https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands>

use super::{plural, Report};
use crate::finding::{Finding, Kind, Severity};
use std::io::{self, Write};

/// A workflow command's message: `%`, CR and LF escaped (the runner's own escaping).
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`, which end a property.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// Writes the annotations and the closing notice.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut listed: Vec<&Finding> = report.counted().filter(|f| matches!(f.kind, Kind::Call | Kind::Secret)).collect();
    // Stable: report order within a severity.
    listed.sort_by_key(|f| std::cmp::Reverse(f.severity));
    for f in &listed {
        writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{} (served by {})",
            level(f.severity),
            property(&f.path),
            f.line,
            f.end_line,
            f.column,
            f.end_column,
            property(&format!("lockin {}", f.rule_id)),
            data(&f.message),
            data(&f.vendor)
        )?;
    }
    let calls = listed.iter().filter(|f| f.kind == Kind::Call).count();
    writeln!(
        out,
        "::notice title=lockin::Vendor lock-in risk {}/100, grade {}: {} annotated; `lockin scan` lists the rest",
        report.risk.score,
        data(&report.risk.grade),
        plural(calls as u64, "call site", "call sites")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_ends_a_command() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
