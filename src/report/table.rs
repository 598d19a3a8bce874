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
    let mut vendors = table(color);
    vendors.set_header(["vendor", "proprietary", "call sites", "share", "files", "findings", "capabilities"]);
    for v in &report.vendors {
        vendors.add_row(vec![
            Cell::new(&v.vendor),
            Cell::new(if v.proprietary { "yes" } else { "no" }),
            Cell::new(v.call_sites),
            Cell::new(format!("{:.0}%", v.share * 100.0)),
            Cell::new(v.files),
            Cell::new(v.findings),
            Cell::new(v.capabilities.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")),
        ]);
    }
    writeln!(out, "{vendors}")?;
    for v in &report.vendors {
        writeln!(out, "\n{} ({})", v.vendor, if v.proprietary { "proprietary" } else { "portable" })?;
        let mut t = table(color);
        t.set_header(["location", "rule", "kind", "severity", "snippet"]);
        for f in report.findings.iter().filter(|f| f.vendor == v.vendor) {
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
                Cell::new(format!("{}:{}:{}", clean(&f.path), f.line, f.column)),
                Cell::new(&f.rule_id),
                Cell::new(f.kind),
                sev,
                Cell::new(snippet),
            ]);
        }
        writeln!(out, "{t}")?;
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
