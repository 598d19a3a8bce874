//! The policy verdict in one screen, for `lockin check` and for a failing `lockin scan`:
//! which rule of the policy failed, where it is written, and the findings behind it (at
//! most [`MAX_LISTED`] per rule). Formatting only: the verdict is in `report.policy`.

use super::{Context, Report};
use crate::finding::{Finding, Kind};
use std::collections::HashMap;
use std::io::{self, Write};

/// Findings listed under each violation; the rest are counted.
pub const MAX_LISTED: usize = 8;

fn paint(ctx: &Context, code: &str, text: &str) -> String {
    if ctx.color {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// Text from the scanned code or the policy file, control and bidirectional characters
/// shown escaped.
use super::escape::visible as clean;

/// The findings to show under a violation: the most severe first, calls and clients before
/// other kinds of the same severity, then in report order; at most [`MAX_LISTED`].
pub fn listed<'a>(fingerprints: &[String], by_fp: &HashMap<&str, &'a Finding>) -> Vec<&'a Finding> {
    let mut found: Vec<&Finding> = fingerprints.iter().filter_map(|fp| by_fp.get(fp.as_str()).copied()).collect();
    // Calls are what a reader acts on; then what makes them (clients), then the rest.
    let rank = |k: Kind| match k {
        Kind::Call => 0,
        Kind::Client => 1,
        Kind::Secret => 2,
        _ => 3,
    };
    found.sort_by_key(|f| (std::cmp::Reverse(f.severity), rank(f.kind)));
    found.truncate(MAX_LISTED);
    found
}

/// Writes the verdict; nothing when no policy applied.
pub fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let Some(v) = &report.policy else { return Ok(()) };
    let policy = v.config.as_deref().map_or_else(|| "command-line policy".to_string(), |c| format!("policy {c}"));
    let by_fp: HashMap<&str, &Finding> = report.findings.iter().map(|f| (f.fingerprint.as_str(), f)).collect();
    if v.passed {
        writeln!(out, "lockin: {} ({policy})", paint(ctx, "32", "passed"))?;
    } else {
        let n = v.violations.len();
        let what = if n == 1 { "1 violation".to_string() } else { format!("{n} violations") };
        writeln!(out, "lockin: {}: {what} of {policy}", paint(ctx, "31;1", "failed"))?;
    }
    for violation in &v.violations {
        writeln!(
            out,
            "\n{} {} ({}): {}",
            paint(ctx, "31", "✗"),
            violation.policy,
            clean(&violation.at),
            clean(&violation.message)
        )?;
        if let Some(r) = &violation.reason {
            writeln!(out, "    reason: {}", clean(r))?;
        }
        if let Some(u) = &violation.use_instead {
            writeln!(out, "    use instead: {}", clean(u))?;
        }
        for f in listed(&violation.findings, &by_fp) {
            {
                writeln!(
                    out,
                    "    {}:{}:{}  {}  {}",
                    clean(&f.path),
                    f.line,
                    f.column,
                    f.rule_id,
                    clean(&f.snippet).chars().take(80).collect::<String>()
                )?;
            }
        }
        if violation.findings.len() > MAX_LISTED {
            writeln!(out, "    … and {} more (the report lists them all)", violation.findings.len() - MAX_LISTED)?;
        }
    }
    let mut counts = vec![format!("{} reported", super::plural(report.findings.len() as u64, "finding", "findings"))];
    if v.allowed > 0 {
        counts.push(format!("{} allowed by the policy", v.allowed));
    }
    if !report.suppressed.is_empty() {
        counts.push(format!("{} suppressed", report.suppressed.len()));
    }
    if let Some(b) = &report.baseline {
        counts.push(format!("{} in baseline {}", b.matched, clean(&b.path)));
    }
    writeln!(out, "\n{}; risk {}/100 (grade {}).", counts.join(", "), report.risk.score, report.risk.grade)?;
    if let Some(scope) = &report.scope {
        writeln!(out, "Diff-aware: {}", scope.summary(clean))?;
    }
    if !v.passed && v.violations.iter().any(|x| !x.findings.is_empty()) {
        let accept = ctx.accept_command.as_deref().unwrap_or("lockin check --write-baseline");
        writeln!(
            out,
            "Silence a finding with a reason: `# lockin: ignore[rule-id] why` on its line or the line above; \
             accept all current findings with `{}` (later runs read the baseline it writes).",
            clean(accept)
        )?;
    }
    Ok(())
}
