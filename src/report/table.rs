//! `--format table`: the risk headline, a vendor summary, the findings grouped by file
//! (and the suppressed ones with `--show-suppressed`), one summary line, then any
//! suppression problems. Fixed width and no colour off a terminal.

use super::{Context, Report};
use crate::finding::{Finding, Severity};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};
use std::io::{self, Write};

/// Text from the scanned code, control and bidirectional characters shown escaped.
use super::escape::visible as clean;

fn table(color: bool) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty().set_width(120);
    }
    t
}

/// Writes the table report.
pub fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let color = ctx.color;
    if let Some(scope) = &report.scope {
        writeln!(out, "Diff-aware: {}\n", scope.summary(clean))?;
    }
    if report.vendors.is_empty() {
        writeln!(out, "No LLM vendor dependencies found ({} files scanned).", report.stats.files_scanned)?;
        return problems(report, out);
    }
    // Headline first: the judgement, then who, then where.
    writeln!(
        out,
        "Vendor lock-in risk {}/100, grade {} (HHI {}). Factors: {}.\n",
        report.risk.score,
        report.risk.grade,
        report.risk.hhi,
        report.risk.factors.iter().map(|f| format!("{} {:.2}", f.name, f.value)).collect::<Vec<_>>().join(", ")
    )?;
    let mut vendors = table(color);
    vendors.set_header(["vendor", "proprietary", "call sites", "share", "files", "findings", "risk", "capabilities"]);
    for v in &report.vendors {
        vendors.add_row(vec![
            Cell::new(&v.vendor),
            Cell::new(if v.proprietary { "yes" } else { "no" }),
            Cell::new(v.call_sites),
            Cell::new(format!("{:.0}%", v.share * 100.0)),
            Cell::new(v.files),
            Cell::new(v.findings),
            Cell::new(v.risk),
            Cell::new(v.capabilities.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")),
        ]);
    }
    writeln!(out, "{vendors}")?;
    let listed: Vec<(&Finding, Option<&str>)> = report.findings.iter().map(|f| (f, None)).collect();
    by_file(&listed, color, out)?;
    if ctx.show_suppressed && !report.suppressed.is_empty() {
        writeln!(out, "\nSuppressed findings (lockin: ignore comments):")?;
        let listed: Vec<(&Finding, Option<&str>)> =
            report.suppressed.iter().map(|s| (&s.finding, Some(s.suppression.reason.as_str()))).collect();
        by_file(&listed, color, out)?;
    }
    let calls: u64 = report.vendors.iter().map(|v| v.call_sites).sum();
    let mut left_out = Vec::new();
    if !report.suppressed.is_empty() {
        let hint = if ctx.show_suppressed { "" } else { " (--show-suppressed lists them)" };
        left_out.push(format!("{} suppressed{hint}", report.suppressed.len()));
    }
    if let Some(b) = &report.baseline {
        left_out.push(format!("{} in baseline {}", b.matched, clean(&b.path)));
    }
    let (left_out, in_all) = if left_out.is_empty() {
        (String::new(), "")
    } else {
        (format!(", not counting {}", left_out.join(" and ")), " in all")
    };
    let vendors = report.vendors.len();
    writeln!(
        out,
        "\n{} findings{left_out} ({calls} call sites{in_all}) from {vendors} vendor{} in {} of {} files; risk {} (grade {}, HHI {}).",
        report.findings.len(),
        if vendors == 1 { "" } else { "s" },
        report.stats.files_with_findings,
        report.stats.files_scanned,
        report.risk.score,
        report.risk.grade,
        report.risk.hhi
    )?;
    problems(report, out)
}

/// Findings grouped by file, in the report's order (sorted by path, then line); with a
/// reason column when they are suppressed ones.
fn by_file(list: &[(&Finding, Option<&str>)], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut start = 0;
    while start < list.len() {
        let path = &list[start].0.path;
        let end = start + list[start..].iter().take_while(|(f, _)| &f.path == path).count();
        writeln!(out, "\n{}", clean(path))?;
        let mut t = table(color);
        let mut header = vec!["line:col", "vendor", "rule", "kind", "severity", "snippet"];
        if list[start].1.is_some() {
            header.push("reason");
        }
        t.set_header(header);
        for (f, reason) in &list[start..end] {
            let mut sev = Cell::new(f.severity);
            if color {
                sev = sev.fg(match f.severity {
                    Severity::Critical | Severity::High => Color::Red,
                    Severity::Medium => Color::Yellow,
                    _ => Color::Reset,
                });
            }
            let snippet: String = clean(&f.snippet).chars().take(60).collect();
            let mut row = vec![
                Cell::new(format!("{}:{}", f.line, f.column)),
                Cell::new(&f.vendor),
                Cell::new(&f.rule_id),
                Cell::new(f.kind),
                sev,
                Cell::new(snippet),
            ];
            if let Some(r) = reason {
                row.push(Cell::new(clean(r)));
            }
            t.add_row(row);
        }
        writeln!(out, "{t}")?;
        start = end;
    }
    Ok(())
}

/// Suppression comments that are wrong or unused.
fn problems(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if report.suppression_problems.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nSuppression problems:")?;
    for p in &report.suppression_problems {
        writeln!(out, "  {}:{}:{}: {}", clean(&p.path), p.line, p.column, clean(&p.message))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(super::clean("a\u{1b}[31mb\tc"), "a\\u{1b}[31mb c");
    }
}
