//! Renderers of the organisation view: Markdown, JSON and one self-contained HTML page
//! (inline CSS and SVG charts, no script, no request: a Content-Security-Policy of
//! `default-src 'none'` says so to the browser). Formatting only; every text from a report
//! is escaped for where it goes.

use super::Merged;
use crate::report::escape;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Output formats of `lockin merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MergeFormat {
    /// Markdown for a wiki page or an issue.
    #[value(alias = "md")]
    Markdown,
    /// JSON (docs/merge.schema.json).
    Json,
    /// A self-contained HTML page with charts.
    Html,
}

/// Writes the merged report in a format.
pub fn render(m: &Merged, format: MergeFormat, out: &mut dyn Write) -> io::Result<()> {
    let text = match format {
        MergeFormat::Markdown => markdown(m),
        MergeFormat::Json => serde_json::to_string_pretty(m)? + "\n",
        MergeFormat::Html => html(m),
    };
    out.write_all(text.as_bytes())
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn routes(r: &super::Repository) -> String {
    let mut parts = Vec::new();
    if r.configurable_call_sites > 0 {
        parts.push(format!("{} configurable", r.configurable_call_sites));
    }
    if r.gateway_call_sites > 0 {
        parts.push(format!("{} via gateway", r.gateway_call_sites));
    }
    if r.self_hosted_call_sites > 0 {
        parts.push(format!("{} self-hosted", r.self_hosted_call_sites));
    }
    if parts.is_empty() {
        "no".into()
    } else {
        format!("yes ({})", parts.join(", "))
    }
}

/// The Markdown organisation report.
pub fn markdown(m: &Merged) -> String {
    let t = escape::text;
    let c = escape::code;
    let mut s = String::new();
    let tot = &m.totals;
    let _ = writeln!(s, "# lockin: organisation view\n");
    let _ = writeln!(
        s,
        "{} repositories, {} with proprietary call sites; {} call sites, {} ({}) served by proprietary vendors; \
         vendor concentration (HHI) {}.\n",
        tot.repositories,
        tot.repositories_locked,
        tot.call_sites,
        tot.proprietary_call_sites,
        pct(ratio(tot.proprietary_call_sites, tot.call_sites)),
        tot.hhi
    );
    let _ = writeln!(s, "## Vendors across the organisation\n");
    let _ = writeln!(
        s,
        "| vendor | proprietary | call sites | share | findings | repositories |\n|---|---|---:|---:|---:|---:|"
    );
    for v in &m.vendors {
        let p = if v.proprietary { "yes" } else { "no" };
        let _ = writeln!(
            s,
            "| {} | {p} | {} | {} | {} | {} |",
            c(&v.vendor),
            v.call_sites,
            pct(v.share),
            v.findings,
            v.repositories
        );
    }
    let _ = writeln!(s, "\n## Repositories by risk\n");
    let _ = writeln!(
        s,
        "| # | repository | risk | grade | top vendor | call sites | proprietary | configurable, gateway or self-hosted |\n\
         |---:|---|---:|---|---|---:|---:|---|"
    );
    for (i, r) in m.repositories.iter().enumerate() {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            t(&r.name),
            r.risk,
            t(&r.grade),
            c(&r.top_vendor),
            r.call_sites,
            r.proprietary_call_sites,
            routes(r)
        );
    }
    let _ = writeln!(s, "\n## Capabilities hard to move\n");
    if m.capabilities.is_empty() {
        let _ = writeln!(s, "No call sites.");
    } else {
        let _ = writeln!(
            s,
            "| capability | call sites | no open equivalent | adapter | base-URL swap | repositories |\n|---|---:|---:|---:|---:|---:|"
        );
        for cap in &m.capabilities {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                c(&cap.capability),
                cap.call_sites,
                cap.no_open_equivalent,
                cap.adapter,
                cap.base_url_swap,
                cap.repositories
            );
        }
    }
    let _ = writeln!(s, "\n## Models in use\n");
    if m.models.is_empty() {
        let _ = writeln!(s, "No model names found.");
    } else {
        let _ = writeln!(s, "| model | family | occurrences | repositories |\n|---|---|---:|---|");
        for md in &m.models {
            let repos: Vec<String> = md.repositories.iter().map(|r| t(r)).collect();
            let _ = writeln!(s, "| {} | {} | {} | {} |", c(&md.model), c(&md.family), md.occurrences, repos.join(", "));
        }
    }
    let _ = writeln!(s, "\n## Model lifecycle\n");
    if m.lifecycle.is_empty() {
        let _ = writeln!(s, "No deprecated or retired models reported (the reports have no `lifecycle.*` findings).");
    } else {
        let _ = writeln!(s, "| rule | message | occurrences | repositories |\n|---|---|---:|---|");
        for l in &m.lifecycle {
            let repos: Vec<String> = l.repositories.iter().map(|r| t(r)).collect();
            let _ = writeln!(s, "| {} | {} | {} | {} |", c(&l.rule_id), t(&l.message), l.occurrences, repos.join(", "));
        }
    }
    if !m.errors.is_empty() {
        let _ = writeln!(s, "\n## Reports left out\n");
        for e in &m.errors {
            let _ = writeln!(s, "- {}: {}", c(&e.file), t(&e.message));
        }
    }
    s
}

/// Escapes text for HTML content and attribute values.
pub fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in escape::visible(s).chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const BAR_HEIGHT: u32 = 22;
const LABEL_WIDTH: u32 = 220;
const BAR_WIDTH: u32 = 480;

/// A horizontal bar chart as inline SVG: `(label, value 0..1, shown value, colour)`.
fn bar_chart(title: &str, rows: &[(String, f64, String, &str)]) -> String {
    let height = rows.len() as u32 * (BAR_HEIGHT + 6) + 10;
    let width = LABEL_WIDTH + BAR_WIDTH + 90;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n",
        html_text(title)
    );
    for (i, (label, value, shown, colour)) in rows.iter().enumerate() {
        let y = 5 + i as u32 * (BAR_HEIGHT + 6);
        let w = (value.clamp(0.0, 1.0) * f64::from(BAR_WIDTH)).round().max(1.0);
        let label: String = label.chars().take(30).collect();
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"l\">{}</text>\
             <rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{w}\" height=\"{BAR_HEIGHT}\" fill=\"{colour}\"/>\
             <text x=\"{}\" y=\"{}\" class=\"v\">{}</text>",
            LABEL_WIDTH - 8,
            y + 16,
            html_text(&label),
            f64::from(LABEL_WIDTH) + w + 6.0,
            y + 16,
            html_text(shown)
        );
    }
    s.push_str("</svg>\n");
    s
}

fn grade_colour(grade: &str) -> &'static str {
    match grade {
        "A" => "#2e7d32",
        "B" => "#7cb342",
        "C" => "#f9a825",
        "D" => "#ef6c00",
        _ => "#c62828",
    }
}

fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut s = String::from("<table><thead><tr>");
    for h in head {
        let _ = write!(s, "<th>{}</th>", html_text(h));
    }
    s.push_str("</tr></thead><tbody>\n");
    for r in rows {
        s.push_str("<tr>");
        for cell in r {
            let _ = write!(s, "<td>{}</td>", html_text(cell));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n");
    s
}

/// The self-contained HTML page.
pub fn html(m: &Merged) -> String {
    let tot = &m.totals;
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>lockin: organisation view</title>\n<style>\n\
         body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\n\
         h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}\n\
         .cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:150px}\n\
         .card b{display:block;font-size:1.5em}table{border-collapse:collapse;width:100%;font-size:.9em}\n\
         th,td{border-bottom:1px solid #eee;padding:.3em .5em;text-align:left}th{background:#f6f6f6}\n\
         svg .l,svg .v{font-size:12px;fill:#333;font-family:system-ui,sans-serif}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}\n\
         </style></head><body>\n<h1>lockin: organisation view</h1>\n",
    );
    let _ = writeln!(
        s,
        "<div class=\"cards\"><div class=\"card\"><b>{}</b>repositories</div>\
         <div class=\"card\"><b>{}</b>with proprietary calls</div>\
         <div class=\"card\"><b>{}</b>call sites</div>\
         <div class=\"card\"><b>{}</b>served by proprietary vendors</div>\
         <div class=\"card\"><b>{}</b>vendor HHI</div></div>",
        tot.repositories,
        tot.repositories_locked,
        tot.call_sites,
        html_text(&pct(ratio(tot.proprietary_call_sites, tot.call_sites))),
        tot.hhi
    );
    s.push_str("<h2>Vendor shares of call sites</h2>\n");
    s.push_str(
        "<p class=\"legend\"><span style=\"background:#c62828\"></span>proprietary\
         <span style=\"background:#2e7d32\"></span>open or self-hosted</p>\n",
    );
    // Bars relative to the largest share, so that the leader spans the chart.
    let top = m.vendors.iter().map(|v| v.share).fold(0.0, f64::max);
    let vrows: Vec<(String, f64, String, &str)> = m
        .vendors
        .iter()
        .filter(|v| v.call_sites > 0)
        .take(15)
        .map(|v| {
            let colour = if v.proprietary { "#c62828" } else { "#2e7d32" };
            let length = if top > 0.0 { v.share / top } else { 0.0 };
            (v.vendor.clone(), length, format!("{} ({})", pct(v.share), v.call_sites), colour)
        })
        .collect();
    s.push_str(&bar_chart("Vendor shares of call sites", &vrows));
    s.push_str("<h2>Repositories by risk</h2>\n");
    let rrows: Vec<(String, f64, String, &str)> = m
        .repositories
        .iter()
        .take(30)
        .map(|r| (r.name.clone(), f64::from(r.risk) / 100.0, format!("{} {}", r.risk, r.grade), grade_colour(&r.grade)))
        .collect();
    s.push_str(&bar_chart("Repositories by risk", &rrows));
    let rows: Vec<Vec<String>> = m
        .repositories
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.name.clone(),
                r.risk.to_string(),
                r.grade.clone(),
                r.top_vendor.clone(),
                r.call_sites.to_string(),
                r.proprietary_call_sites.to_string(),
                routes(r),
            ]
        })
        .collect();
    s.push_str(&table(
        &[
            "#",
            "repository",
            "risk",
            "grade",
            "top vendor",
            "call sites",
            "proprietary",
            "configurable, gateway or self-hosted",
        ],
        &rows,
    ));
    s.push_str("<h2>Capabilities hard to move</h2>\n");
    let rows: Vec<Vec<String>> = m
        .capabilities
        .iter()
        .map(|c| {
            vec![
                c.capability.clone(),
                c.call_sites.to_string(),
                c.no_open_equivalent.to_string(),
                c.adapter.to_string(),
                c.base_url_swap.to_string(),
                c.repositories.to_string(),
            ]
        })
        .collect();
    s.push_str(&table(
        &["capability", "call sites", "no open equivalent", "adapter", "base-URL swap", "repositories"],
        &rows,
    ));
    s.push_str("<h2>Models in use</h2>\n");
    let rows: Vec<Vec<String>> = m
        .models
        .iter()
        .take(200)
        .map(|md| vec![md.model.clone(), md.family.clone(), md.occurrences.to_string(), md.repositories.join(", ")])
        .collect();
    s.push_str(&table(&["model", "family", "occurrences", "repositories"], &rows));
    s.push_str("<h2>Model lifecycle</h2>\n");
    if m.lifecycle.is_empty() {
        s.push_str("<p>No deprecated or retired models reported (the reports have no <code>lifecycle.*</code> findings).</p>\n");
    } else {
        let rows: Vec<Vec<String>> = m
            .lifecycle
            .iter()
            .map(|l| vec![l.rule_id.clone(), l.message.clone(), l.occurrences.to_string(), l.repositories.join(", ")])
            .collect();
        s.push_str(&table(&["rule", "message", "occurrences", "repositories"], &rows));
    }
    if !m.errors.is_empty() {
        s.push_str("<h2>Reports left out</h2>\n");
        let rows: Vec<Vec<String>> = m.errors.iter().map(|e| vec![e.file.clone(), e.message.clone()]).collect();
        s.push_str(&table(&["file", "problem"], &rows));
    }
    let _ = writeln!(
        s,
        "<p><small>lockin {} · merged from JSON reports, not rescanned</small></p>",
        html_text(&m.tool.version)
    );
    s.push_str("</body></html>\n");
    s
}
