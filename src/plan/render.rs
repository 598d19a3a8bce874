//! The plan as Markdown (for a tracker or a wiki), JSON (docs/plan.schema.json) and CSV
//! (one row per call site, for a project manager's spreadsheet). Formatting only: every
//! figure comes from the [`Plan`].

use super::Plan;
use crate::report::escape::{code, text};
use crate::report::markdown::days;
use std::io::{self, Write};

/// Plan output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// Markdown.
    #[value(alias = "md")]
    Markdown,
    /// JSON (docs/plan.schema.json).
    Json,
    /// CSV, one row per call site.
    Csv,
}

/// Renders the plan in a format.
pub fn render(plan: &Plan, format: PlanFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        PlanFormat::Markdown => markdown(plan, out),
        PlanFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, plan)?;
            writeln!(out)
        }
        PlanFormat::Csv => csv(plan, out),
    }
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 15] = [
    "path",
    "line",
    "column",
    "capability",
    "vendor",
    "rule_id",
    "what",
    "portability",
    "change",
    "substitute",
    "license",
    "servers",
    "effort_points",
    "engineer_days_low",
    "engineer_days_high",
];

fn csv(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for file in &plan.files {
        for g in &file.groups {
            for i in &g.items {
                w.write_record([
                    file.path.clone(),
                    i.line.to_string(),
                    i.column.to_string(),
                    g.capability.to_string(),
                    i.vendor.clone(),
                    i.rule_id.clone(),
                    i.what.clone(),
                    i.portability.to_string(),
                    i.change.clone(),
                    i.substitute.clone(),
                    i.license.clone(),
                    i.servers.join("; "),
                    i.effort_points.to_string(),
                    i.engineer_days.low.to_string(),
                    i.engineer_days.high.to_string(),
                ])?;
            }
        }
    }
    w.flush()
}

fn markdown(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    let s = &plan.summary;
    writeln!(out, "# Migration plan: {}", text(&plan.root))?;
    writeln!(out)?;
    writeln!(
        out,
        "**{} in {}**, {} effort points, **{} engineer-days**.",
        crate::report::plural(s.call_sites, "call site", "call sites"),
        crate::report::plural(s.files, "file", "files"),
        s.effort_points,
        days(s.effort_points)
    )?;
    let kinds: Vec<String> = s.by_portability.iter().map(|(p, n)| format!("{p} {n}")).collect();
    if !kinds.is_empty() {
        writeln!(out, "By portability: {}.", kinds.join(", "))?;
    }
    writeln!(out)?;
    writeln!(out, "Assumptions: {}", s.assumptions)?;
    if !plan.lifecycle.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Model lifecycle (as of {})", plan.as_of)?;
        writeln!(out)?;
        for l in &plan.lifecycle {
            writeln!(out, "- `{}:{}` {}: {}", text(&l.path), l.line, l.rule_id, text(&l.message))?;
        }
    }
    for file in &plan.files {
        writeln!(out)?;
        writeln!(out, "## {}", text(&file.path))?;
        for g in &file.groups {
            writeln!(out)?;
            writeln!(out, "### {}", g.capability)?;
            writeln!(out)?;
            writeln!(out, "| line | vendor | call | portability | change | substitute (server) | engineer-days |")?;
            writeln!(out, "|---:|---|---|---|---|---|---|")?;
            for i in &g.items {
                let server = i.servers.first().map_or_else(String::new, |s| format!(" on {}", text(s)));
                let substitute = if i.substitute.is_empty() {
                    "–".to_string()
                } else {
                    format!("{}{server}", text(&i.substitute))
                };
                writeln!(
                    out,
                    "| {} | {} | {} {} | {} | {} | {} | {} |",
                    i.line,
                    text(&i.vendor),
                    text(&i.what),
                    code(&i.snippet),
                    i.portability,
                    text(&i.change),
                    substitute,
                    days(i.effort_points)
                )?;
            }
        }
    }
    if !plan.models.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Models to route")?;
        writeln!(out)?;
        writeln!(out, "`lockin plan --emit litellm` writes a gateway config routing these names to open models.")?;
        writeln!(out)?;
        for m in &plan.models {
            let how = if m.routable { "route to an open model" } else { "no open equivalent: keep or rebuild" };
            writeln!(out, "- `{}` ({}, {}): {how}", text(&m.name), m.vendors.join(", "), m.capability)?;
        }
    }
    Ok(())
}
