//! `--format table`: a vendor summary, then the findings grouped by vendor, then one
//! summary line. Fixed width and no colour off a terminal.

use super::Report;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};
use std::io::{self, Write};

/// Text from the scanned code, without control characters: a snippet holding an escape
/// sequence must not reach the terminal.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\t' {
                ' '
            } else if c.is_control() {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

fn table(color: bool) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    if !color {
        t.force_no_tty().set_width(120);
    }
    t
}

/// Writes the table report.
pub fn render(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    if report.findings.is_empty() {
        return writeln!(out, "No LLM vendor dependencies found ({} files scanned).", report.stats.files_scanned);
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
    // Findings grouped by file, in the report's order (sorted by path, then line).
    let mut start = 0;
    while start < report.findings.len() {
        let path = &report.findings[start].path;
        let end = start + report.findings[start..].iter().take_while(|f| &f.path == path).count();
        writeln!(out, "\n{}", clean(path))?;
        let mut t = table(color);
        t.set_header(["line:col", "vendor", "rule", "kind", "severity", "snippet"]);
        for f in &report.findings[start..end] {
            let mut sev = Cell::new(f.severity);
            if color {
                sev = sev.fg(match f.severity {
                    crate::finding::Severity::Critical | crate::finding::Severity::High => Color::Red,
                    crate::finding::Severity::Medium => Color::Yellow,
                    _ => Color::Reset,
                });
            }
            let snippet: String = clean(&f.snippet).chars().take(60).collect();
            t.add_row(vec![
                Cell::new(format!("{}:{}", f.line, f.column)),
                Cell::new(&f.vendor),
                Cell::new(&f.rule_id),
                Cell::new(f.kind),
                sev,
                Cell::new(snippet),
            ]);
        }
        writeln!(out, "{t}")?;
        start = end;
    }
    let calls: u64 = report.vendors.iter().map(|v| v.call_sites).sum();
    writeln!(
        out,
        "\n{} findings ({} call sites) from {} vendors in {} of {} files; risk {} (grade {}, HHI {}).",
        report.findings.len(),
        calls,
        report.vendors.len(),
        report.stats.files_with_findings,
        report.stats.files_scanned,
        report.risk.score,
        report.risk.grade,
        report.risk.hhi
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(super::clean("a\u{1b}[31mb\tc"), "a\u{FFFD}[31mb c");
    }
}
