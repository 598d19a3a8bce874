//! `--format markdown`: the risk report people read in a pull request, a wiki or a review.
//! Input: the report and the render context; output: GitHub-flavoured Markdown that also
//! reads as plain text. Sections: headline and verdict, vendors (table and Mermaid pie),
//! capabilities × vendors, models, hotspots, migration plan, hard-to-move calls, how the
//! score was computed, every finding. Everything from the scanned code goes through
//! [`escape`](super::escape); this module groups and sorts for display and computes
//! nothing the report does not hold.

use super::escape::{code, mermaid_label, message, text, url_base, url_path};
use super::inventory::Model;
use super::{Context, Report};
use crate::assess::HARD;
use crate::finding::{Capability, Finding, Portability};
use crate::score::Recommendation;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// Lists longer than this are folded into `<details>`.
const FOLD_AFTER: usize = 20;
/// The migration plan shows this many rows before folding the rest.
const PLAN_ROWS: usize = 12;
/// Hotspot tables show this many rows.
const HOTSPOTS: usize = 10;
/// The pie shows this many vendors; the rest share one slice.
const PIE_SLICES: usize = 6;

/// `12%`, `0.5%`: whole percents, one decimal under 10%.
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p == 0.0 || p >= 10.0 || (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Engineer-days for effort points ([`crate::score::engineer_days`]), `0.5–2`.
pub(crate) fn days(points: f64) -> String {
    let fmt = |d: f64| {
        let r = (d * 2.0).ceil() / 2.0;
        if r.fract() == 0.0 {
            format!("{r:.0}")
        } else {
            format!("{r:.1}")
        }
    };
    let (low, high) = crate::score::engineer_days(points);
    format!("{}–{}", fmt(low), fmt(high))
}

/// `1 point`, `4 points`, `2.5 points`.
fn points(p: f64) -> String {
    if p == 1.0 {
        "1 point".into()
    } else {
        format!("{p} points")
    }
}

fn move_label(p: Portability) -> &'static str {
    match p {
        Portability::Portable => "already portable",
        Portability::BaseUrlSwap => "base-URL swap",
        Portability::Adapter => "adapter",
        Portability::NoOpenEquivalent => "no open equivalent",
    }
}

struct Writer<'a> {
    report: &'a Report,
    ctx: &'a Context,
    s: String,
}

impl<'a> Writer<'a> {
    fn line(&mut self, l: impl AsRef<str>) {
        self.s.push_str(l.as_ref());
        self.s.push('\n');
    }

    fn blank(&mut self) {
        if !self.s.ends_with("\n\n") {
            self.s.push('\n');
        }
    }

    /// A vendor's display name, escaped.
    fn vendor(&self, id: &str) -> String {
        text(self.ctx.vendor_name(id))
    }

    /// `path:line`, a link when `--link-base` is given.
    fn location(&self, path: &str, line: u32) -> String {
        let label = code(&format!("{path}:{line}"));
        match &self.ctx.link_base {
            Some(base) => format!("[{label}]({}/{}#L{line})", url_base(base), url_path(path)),
            None => label,
        }
    }

    fn file(&self, path: &str) -> String {
        match &self.ctx.link_base {
            Some(base) => format!("[{}]({}/{})", code(path), url_base(base), url_path(path)),
            None => code(path),
        }
    }

    /// A table; a header starting with `#` is a right-aligned (numeric) column and the `#`
    /// is not shown.
    fn table(&mut self, header: &[&str], rows: Vec<Vec<String>>) {
        let shown: Vec<&str> = header.iter().map(|h| h.strip_prefix('#').unwrap_or(h)).collect();
        self.line(format!("| {} |", shown.join(" | ")));
        let rule: String = header.iter().map(|h| if h.starts_with('#') { "--:|" } else { "---|" }).collect();
        self.line(format!("|{rule}"));
        for r in rows {
            self.line(format!("| {} |", r.join(" | ")));
        }
    }

    /// Opens a `<details>` block whose summary line is `summary`.
    fn open_details(&mut self, summary: &str) {
        self.line(format!("<details><summary>{summary}</summary>"));
        self.blank();
    }

    fn close_details(&mut self) {
        self.blank();
        self.line("</details>");
    }

    /// Opens `<details>` when `n` is long; returns whether it did.
    fn fold(&mut self, n: usize, summary: &str) -> bool {
        if n <= FOLD_AFTER {
            return false;
        }
        self.line(format!("<details><summary>{summary}</summary>"));
        self.blank();
        true
    }

    fn unfold(&mut self, folded: bool) {
        if folded {
            self.blank();
            self.line("</details>");
        }
    }

    fn verdict(&self) -> String {
        let r = self.report;
        if r.counted().next().is_none() {
            if r.contexts.findings_left_out() > 0 {
                let scored: Vec<String> = r.contexts.scored.iter().map(|x| x.to_string()).collect();
                return format!("No dependency on a hosted LLM vendor was found in {} code.", scored.join(", "));
            }
            return "No dependency on a hosted LLM vendor was found.".into();
        }
        let prop: Vec<_> = r.vendors.iter().filter(|v| v.proprietary).collect();
        if prop.is_empty() {
            return "Only self-hosted, OpenAI-compatible LLM usage was found: nothing here is tied to a vendor.".into();
        }
        let calls: u64 = r.vendors.iter().map(|v| v.call_sites).sum();
        let level = match r.risk.grade.as_str() {
            "A" => "Low",
            "B" => "Moderate",
            "C" => "Significant",
            "D" => "High",
            _ => "Severe",
        };
        if prop.iter().all(|v| v.call_sites == 0) {
            let names: Vec<String> = prop.iter().map(|v| self.vendor(&v.vendor)).collect();
            return format!(
                "{level} lock-in: {} SDKs, credentials or model names appear, but no API call was resolved.",
                names.join(", ")
            );
        }
        let mut top: Vec<_> = prop.iter().filter(|v| v.call_sites > 0).collect();
        top.sort_by(|a, b| b.call_sites.cmp(&a.call_sites).then(a.vendor.cmp(&b.vendor)));
        let who = match top.as_slice() {
            [one] => format!("{} serves {}", self.vendor(&one.vendor), percent(one.share)),
            [a, b, ..] => format!(
                "{} serves {} and {} {}",
                self.vendor(&a.vendor),
                percent(a.share),
                self.vendor(&b.vendor),
                percent(b.share)
            ),
            [] => unreachable!("some vendor has call sites"),
        };
        let files = &r.analysis.hotspot_files;
        let hard: Vec<&Finding> =
            r.analysis.hard.iter().filter(|f| prop.iter().any(|v| v.vendor == f.vendor)).collect();
        let hard_note = if hard.is_empty() {
            String::new()
        } else {
            let caps: BTreeSet<Capability> = hard.iter().map(|f| f.capability).collect();
            let caps: Vec<String> = caps.iter().map(|c| c.to_string()).collect();
            format!("; {} ({}) cannot simply be repointed", plural(hard.len(), "call", "calls"), caps.join(", "))
        };
        format!(
            "{level} lock-in: of {}, {who}, in {}{hard_note}.",
            plural(calls as usize, "call site", "call sites"),
            plural(files.len(), "file", "files")
        )
    }

    fn headline(&mut self) {
        let r = self.report;
        self.line(format!("# LLM vendor lock-in report: {}", code(&r.root)));
        self.blank();
        if let Some(scope) = &r.scope {
            self.line(format!("**Diff-aware:** {}", scope.summary(code)));
            self.blank();
        }
        self.line(format!("> **Grade {} · risk {} / 100.** {}", text(&r.risk.grade), r.risk.score, self.verdict()));
        self.blank();
        let calls: u64 = r.vendors.iter().map(|v| v.call_sites).sum();
        self.line(format!(
            "{} and {} from {} in {} of {} scanned; vendor concentration (HHI) {} of 10000.",
            plural(r.findings.len(), "finding", "findings"),
            plural(calls as usize, "call site", "call sites"),
            plural(r.vendors.len(), "vendor", "vendors"),
            r.stats.files_with_findings,
            plural(r.stats.files_scanned as usize, "file", "files"),
            r.risk.hhi
        ));
        if let Some(s) = crate::lifecycle::Lifecycle::summary(&r.findings) {
            self.blank();
            self.line(format!("**{}**", text(&s)));
        }
        if !r.stats.unsupported.is_empty() {
            self.blank();
            self.line(format!(
                "**Not analysed:** {} in languages lockin does not read (it reads Python, JavaScript/TypeScript, Rust, Go, Java, Kotlin and C#); their vendor use is not in this report.",
                crate::coverage::sentence(&r.stats.unsupported)
            ));
        }
        let c = &r.contexts;
        if c.findings_left_out() > 0 {
            let left: Vec<String> = c.left_out().iter().map(|x| x.to_string()).collect();
            let scored: Vec<String> = c.scored.iter().map(|x| x.to_string()).collect();
            self.blank();
            self.line(format!(
                "Scores, hotspots and the migration plan count {} code only: {} ({}) in {} code are left out \
                 (`--context all` counts them).",
                scored.join(", "),
                plural(c.findings_left_out() as usize, "finding", "findings"),
                plural(c.calls_left_out() as usize, "call site", "call sites"),
                left.join(", ")
            ));
        }
    }

    fn vendors(&mut self) {
        let r = self.report;
        if r.vendors.is_empty() {
            return;
        }
        self.blank();
        self.line("## Vendors");
        self.blank();
        let mut vendors: Vec<_> = r.vendors.iter().collect();
        vendors.sort_by(|a, b| {
            b.call_sites.cmp(&a.call_sites).then(b.findings.cmp(&a.findings)).then(a.vendor.cmp(&b.vendor))
        });
        // Vendors named only by imports, model strings or settings come after a fold: the
        // ones with call sites are what the plan below moves.
        let (shown, quiet): (Vec<_>, Vec<_>) = if vendors.iter().any(|v| v.call_sites > 0) {
            vendors.iter().partition(|v| v.call_sites > 0)
        } else {
            (vendors.iter().collect(), Vec::new())
        };
        let row = |w: &Self, v: &crate::score::VendorSummary| {
            let name =
                if v.proprietary { w.vendor(&v.vendor) } else { format!("{} · not proprietary", w.vendor(&v.vendor)) };
            let caps: Vec<String> = v.capabilities.iter().map(|c| c.to_string()).collect();
            vec![
                name,
                percent(v.share),
                v.call_sites.to_string(),
                v.files.to_string(),
                if caps.is_empty() { "–".into() } else { caps.join(", ") },
                if v.proprietary { v.risk.to_string() } else { "–".into() },
            ]
        };
        let header = ["vendor", "#share of call sites", "#call sites", "#files with findings", "capabilities", "#risk"];
        let rows = shown.iter().map(|v| row(self, v)).collect();
        self.table(&header, rows);
        if !quiet.is_empty() {
            self.blank();
            self.open_details(&format!(
                "{} with no call site (imports, model names, settings or manifests only)",
                plural(quiet.len(), "more vendor", "more vendors")
            ));
            let rows = quiet.iter().map(|v| row(self, v)).collect();
            self.table(&header, rows);
            self.close_details();
        }
        // A pie needs two slices; past the largest few, slices are too thin to label.
        let with_calls: Vec<_> = vendors.iter().filter(|v| v.call_sites > 0).collect();
        if with_calls.len() >= 2 {
            self.blank();
            self.line("```mermaid");
            self.line("pie showData title Share of call sites");
            for v in with_calls.iter().take(PIE_SLICES) {
                self.line(format!("    \"{}\" : {}", mermaid_label(self.ctx.vendor_name(&v.vendor)), v.call_sites));
            }
            let rest = &with_calls[with_calls.len().min(PIE_SLICES)..];
            if !rest.is_empty() {
                let n: u64 = rest.iter().map(|v| v.call_sites).sum();
                self.line(format!("    \"{} other vendors\" : {n}", rest.len()));
            }
            self.line("```");
        }
    }

    /// Vendors as rows and capabilities as columns: capabilities are few and short.
    fn matrix(&mut self) {
        let analysis = &self.report.analysis;
        if analysis.matrix.is_empty() {
            return;
        }
        let caps = analysis.capabilities();
        self.blank();
        self.line("## Capabilities × vendors");
        self.blank();
        self.line("Call sites per vendor and capability; **bold** capabilities keep state or weights at the vendor.");
        self.blank();
        let names: Vec<String> =
            caps.iter().map(|c| if HARD.contains(c) { format!("#**{c}**") } else { format!("#{c}") }).collect();
        let mut header: Vec<&str> = vec!["vendor"];
        header.extend(names.iter().map(String::as_str));
        header.push("#total");
        let rows = analysis
            .matrix
            .iter()
            .map(|r| {
                let mut row = vec![self.vendor(&r.vendor)];
                row.extend(caps.iter().map(|c| r.cells.get(c).map_or_else(|| "·".to_string(), |n| n.to_string())));
                row.push(r.total.to_string());
                row
            })
            .collect();
        self.table(&header, rows);
    }

    /// One row per model, most named first; who serves it only where that is not its
    /// family's vendor. Folded: the plan comes first.
    fn models(&mut self) {
        let models = &self.report.inventory.models;
        if models.is_empty() {
            return;
        }
        self.blank();
        self.line("## Models named in code");
        self.blank();
        self.open_details(&format!(
            "{} in string literals; ×N counts the places that name it",
            plural(models.len(), "model name", "model names")
        ));
        let mut sorted: Vec<&Model> = models.iter().collect();
        sorted.sort_by(|a, b| b.seen.len().cmp(&a.seen.len()).then(a.name.cmp(&b.name)));
        let differs = |m: &Model| m.vendors.iter().any(|v| *v != m.family);
        let any_differs = sorted.iter().any(|m| differs(m));
        let rows = sorted
            .iter()
            .map(|m| {
                let mut row = vec![code(&m.name), self.vendor(&m.family), m.seen.len().to_string()];
                if any_differs {
                    let served: Vec<String> = m.vendors.iter().map(|v| self.vendor(v)).collect();
                    row.push(if differs(m) { served.join(", ") } else { String::new() });
                }
                row
            })
            .collect();
        if any_differs {
            self.table(&["model", "family", "#×N", "served by (where not the family's vendor)"], rows);
        } else {
            self.table(&["model", "family", "#×N"], rows);
        }
        self.close_details();
    }

    fn hotspots(&mut self) {
        let analysis = &self.report.analysis;
        if analysis.hotspot_files.is_empty() {
            return;
        }
        self.blank();
        self.line("## Hotspots");
        self.blank();
        self.line("Where the proprietary call sites are: moving these files first moves most of the dependence.");
        self.blank();
        let rows = analysis
            .hotspot_files
            .iter()
            .take(HOTSPOTS)
            .map(|h| {
                let vs: Vec<String> = h.vendors.iter().map(|v| self.vendor(v)).collect();
                vec![self.file(&h.path), h.call_sites.to_string(), vs.join(", ")]
            })
            .collect();
        self.table(&["file", "#call sites", "vendors"], rows);
        if analysis.hotspot_files.len() > HOTSPOTS {
            self.blank();
            self.line(format!("… and {} more.", plural(analysis.hotspot_files.len() - HOTSPOTS, "file", "files")));
        }
        self.blank();
        let rows = analysis
            .hotspot_modules
            .iter()
            .take(HOTSPOTS)
            .map(|m| vec![code(&m.module), m.call_sites.to_string(), m.files.to_string()])
            .collect();
        self.table(&["module", "#call sites", "#files"], rows);
        if analysis.hotspot_modules.len() > HOTSPOTS {
            self.blank();
            self.line(format!(
                "… and {} more.",
                plural(analysis.hotspot_modules.len() - HOTSPOTS, "module", "modules")
            ));
        }
    }

    /// The open substitutes of one capability, shared by every vendor's recommendation.
    fn substitutes(&mut self, cap: Capability, recs: &[&Recommendation], several: bool) {
        let r = recs[0];
        let sites: u64 = recs.iter().map(|r| r.call_sites).sum();
        let vendors: Vec<String> = recs.iter().map(|r| self.vendor(&r.vendor)).collect();
        self.blank();
        if several {
            self.line(format!("### Open substitutes for {cap} ({})", vendors.join(", ")));
        } else {
            self.line(format!("### Open substitutes for {cap}"));
        }
        self.blank();
        self.line(format!(
            "**{} ({}).** {}",
            plural(sites as usize, "call site", "call sites"),
            vendors.join(", "),
            text(&r.migration)
        ));
        self.blank();
        self.open_details(&format!("Open substitutes and servers for {cap}"));
        if !r.substitutes.is_empty() {
            let rows = r
                .substitutes
                .iter()
                .map(|m| {
                    let class = if m.osi { "OSI-approved" } else { "restricted open weights" };
                    // The data's notes on restricted licences often open with the same word.
                    let note = if m.osi {
                        m.notes.as_str()
                    } else {
                        m.notes.trim_start_matches("restricted").trim_start_matches([':', ' '])
                    };
                    let notes = if note.is_empty() { String::new() } else { format!(": {}", text(note)) };
                    vec![text(&m.family), text(&m.sizes), text(&m.license), format!("{class}{notes}")]
                })
                .collect();
            self.table(&["open substitute", "sizes", "licence", "terms"], rows);
        }
        if !r.serving.is_empty() {
            self.blank();
            let servers: Vec<String> = r.serving.iter().map(|s| text(s)).collect();
            self.line(format!("Serve with: {}.", servers.join(", ")));
        }
        self.close_details();
    }

    fn migration(&mut self) {
        let recs = &self.report.recommendations;
        if recs.is_empty() {
            return;
        }
        self.blank();
        self.line("## Migration plan");
        self.blank();
        self.line(
            "Largest effort first. Effort points are call sites × the capability's lock-in depth; \
             the open substitutes for each capability follow the table.",
        );
        self.blank();
        let mut by_effort: Vec<&Recommendation> = recs.iter().collect();
        by_effort.sort_by(|a, b| b.effort.points.total_cmp(&a.effort.points).then(a.vendor.cmp(&b.vendor)));
        let rows = by_effort
            .iter()
            .map(|r| {
                let default = if r.model.is_empty() {
                    "–".to_string()
                } else {
                    format!("{} ({})", text(&r.model), text(&r.license))
                };
                vec![
                    self.vendor(&r.vendor),
                    r.capability.to_string(),
                    r.call_sites.to_string(),
                    move_label(r.portability).to_string(),
                    format!("{} ({})", text(&r.effort.level), points(r.effort.points)),
                    days(r.effort.points),
                    default,
                ]
            })
            .collect();
        let header = ["vendor", "capability", "#call sites", "move", "effort", "#engineer-days", "default substitute"];
        // The largest moves stay in view; a long tail of small ones is folded.
        let mut rows: Vec<Vec<String>> = rows;
        let tail = if rows.len() > PLAN_ROWS { rows.split_off(PLAN_ROWS) } else { Vec::new() };
        self.table(&header, rows);
        if !tail.is_empty() {
            let sites: u64 = by_effort[PLAN_ROWS..].iter().map(|r| r.call_sites).sum();
            self.blank();
            self.open_details(&format!(
                "{} more vendor × capability rows ({}): the smaller moves",
                tail.len(),
                plural(sites as usize, "call site", "call sites")
            ));
            self.table(&header, tail);
            self.close_details();
        }
        self.blank();
        self.line(format!("Assumptions: {}", crate::score::EFFORT_ASSUMPTIONS));
        // Vendors whose calls fit the same substitutes share a section; calls of another
        // model class (small, reasoning, an open model already) get their own.
        let mut by_cap: BTreeMap<(Capability, &str), Vec<&Recommendation>> = BTreeMap::new();
        for r in recs {
            by_cap.entry((r.capability, r.migration.as_str())).or_default().push(r);
        }
        for ((cap, _), rs) in &by_cap {
            let shared = by_cap.keys().filter(|(c, _)| c == cap).count() > 1;
            self.substitutes(*cap, rs, shared);
        }
    }

    fn hard(&mut self) {
        let hard: Vec<&Finding> = self.report.analysis.hard.iter().collect();
        if hard.is_empty() {
            return;
        }
        self.blank();
        self.line("## Hard to move");
        self.blank();
        self.line("These calls keep fine-tuned weights, assistants, threads, vector stores, stored files or realtime sessions at the vendor: a migration rebuilds them rather than repointing them.");
        self.blank();
        let folded = self.fold(hard.len(), &format!("{} calls", hard.len()));
        let rows = hard
            .iter()
            .map(|f| {
                vec![
                    self.location(&f.path, f.line),
                    self.vendor(&f.vendor),
                    f.capability.to_string(),
                    f.portability.map_or_else(|| "–".to_string(), |p| p.to_string()),
                    code(&f.snippet),
                ]
            })
            .collect();
        self.table(&["location", "vendor", "capability", "portability", "code"], rows);
        self.unfold(folded);
        let caps: BTreeSet<(Capability, &str)> = hard.iter().map(|f| (f.capability, f.vendor.as_str())).collect();
        let notes: Vec<String> = caps
            .iter()
            .filter_map(|(c, v)| {
                let r = self.report.recommendations.iter().find(|r| r.capability == *c && r.vendor == *v)?;
                Some(format!("- **{} · {c}**: {}", self.vendor(v), text(&r.migration)))
            })
            .collect();
        if !notes.is_empty() {
            self.blank();
            for n in notes {
                self.line(n);
            }
        }
    }

    fn method(&mut self) {
        let risk = &self.report.risk;
        self.blank();
        self.line("## How this was computed");
        self.blank();
        self.line(
            "The score is the lock-in to the vendor this code depends on most: for each proprietary vendor, \
             100 × the weighted sum of concentration (how much of the LLM work it holds), depth (how hard its \
             hardest call is to move), exposure (files that would change) and spread (modules); the highest is \
             the score. Calls weigh their capability's lock-in depth (chat 1 … fine-tuning 5), and calls through \
             an abstraction layer or a configurable base URL weigh less (mitigations). HHI describes how call \
             sites are shared among vendors (10000 = all on one) and is not part of the score. Grades step \
             every 20 points (A below 20, F from 80); lockin's `docs/scoring.md` documents the model. \
             The factors of the vendor with the highest risk:",
        );
        self.blank();
        let rows = risk
            .factors
            .iter()
            .map(|f| vec![text(&f.name), format!("{:.2}", f.value), format!("{:.2}", f.weight), text(&f.explanation)])
            .collect();
        self.open_details(&format!("The factors of grade {} · risk {}", text(&risk.grade), risk.score));
        self.table(&["factor", "#value", "#weight", "how"], rows);
        self.close_details();
    }

    /// The policy verdict, and what the baseline and suppressions left out.
    fn policy(&mut self) {
        let r = self.report;
        let mut left_out = Vec::new();
        if let Some(b) = &r.baseline {
            left_out.push(format!(
                "{} recorded in the baseline {} ({} new, {} gone since it was written)",
                plural(b.matched, "finding", "findings"),
                code(&b.path),
                b.new,
                b.gone
            ));
        }
        if !r.suppressed.is_empty() {
            left_out.push(format!("{} suppressed with a reason", plural(r.suppressed.len(), "finding", "findings")));
        }
        if !left_out.is_empty() {
            self.blank();
            self.line(format!("Not listed: {}. Scores and vendor shares still count them.", left_out.join("; ")));
        }
        let Some(v) = &r.policy else { return };
        self.blank();
        let source = v.config.as_deref().map_or_else(|| "command line".to_string(), code);
        if v.passed {
            self.line(format!("## Policy: passed ✅ ({source})"));
            return;
        }
        self.line(format!("## Policy: failed ❌ ({source})"));
        self.blank();
        let by_fp: std::collections::HashMap<&str, &Finding> =
            r.findings.iter().map(|f| (f.fingerprint.as_str(), f)).collect();
        for x in &v.violations {
            self.line(format!("- **{}** ({}): {}", text(&x.policy), code(&x.at), text(&x.message)));
            if let Some(reason) = &x.reason {
                self.line(format!("  - reason: {}", text(reason)));
            }
            if let Some(u) = &x.use_instead {
                self.line(format!("  - use instead: {}", text(u)));
            }
            for f in super::verdict::listed(&x.findings, &by_fp) {
                self.line(format!("  - {} {}", self.location(&f.path, f.line), code(&f.rule_id)));
            }
            if x.findings.len() > super::verdict::MAX_LISTED {
                self.line(format!("  - … and {} more", x.findings.len() - super::verdict::MAX_LISTED));
            }
        }
    }

    /// Suppression problems, and the suppressed findings with `--show-suppressed`.
    fn suppressions(&mut self) {
        let r = self.report;
        if !r.suppression_problems.is_empty() {
            self.blank();
            self.line("## Suppression problems");
            self.blank();
            for p in &r.suppression_problems {
                self.line(format!("- {}: {}", self.location(&p.path, p.line), text(&p.message)));
            }
        }
        if self.ctx.show_suppressed && !r.suppressed.is_empty() {
            self.blank();
            self.line("## Suppressed findings");
            self.blank();
            let rows = r
                .suppressed
                .iter()
                .map(|s| {
                    let f = &s.finding;
                    vec![self.location(&f.path, f.line), code(&f.rule_id), text(&s.suppression.reason)]
                })
                .collect();
            self.table(&["location", "rule", "reason"], rows);
        }
    }

    fn errors(&mut self) {
        let errors = &self.report.stats.errors;
        if errors.is_empty() {
            return;
        }
        self.blank();
        self.line("## Files not fully scanned");
        self.blank();
        let folded = self.fold(errors.len(), &plural(errors.len(), "file", "files"));
        for e in errors {
            self.line(format!("- {}: {}", self.file(&e.path), text(&e.message)));
        }
        self.unfold(folded);
    }

    /// Every finding, folded, as many rows as fit in `room` bytes; returns how many rows
    /// were left out.
    fn appendix(&mut self, room: usize) -> usize {
        let findings = &self.report.findings;
        if findings.is_empty() {
            return 0;
        }
        let mut w = Writer { report: self.report, ctx: self.ctx, s: String::new() };
        w.blank();
        w.line("## Appendix: every finding");
        w.blank();
        w.open_details(&plural(findings.len(), "finding", "findings"));
        let header = ["location", "rule", "context", "severity", "message"];
        w.table(&header, Vec::new());
        let mut used = w.s.len() + "\n</details>\n".len() + 80;
        let mut rows = Vec::new();
        for f in findings {
            let row = vec![
                self.location(&f.path, f.line),
                code(&f.rule_id),
                self.report.context_of(f).to_string(),
                f.severity.to_string(),
                message(&f.message),
            ];
            let len: usize = row.iter().map(|c| c.len() + 3).sum::<usize>() + 2;
            if used + len > room {
                break;
            }
            used += len;
            rows.push(row);
        }
        let omitted = findings.len() - rows.len();
        if rows.is_empty() {
            return omitted;
        }
        self.blank();
        self.line("## Appendix: every finding");
        self.blank();
        self.open_details(&plural(findings.len(), "finding", "findings"));
        self.table(&header, rows);
        if omitted > 0 {
            self.blank();
            self.line(format!("… and {} more.", plural(omitted, "finding", "findings")));
        }
        self.close_details();
        omitted
    }
}

/// One section of the report, written into its own [`Writer`].
type Section<'a> = fn(&mut Writer<'a>);

/// Writes the Markdown report.
pub fn render<'a>(report: &'a Report, ctx: &'a Context, out: &mut dyn Write) -> io::Result<()> {
    let section = |f: Section<'a>| {
        let mut w = Writer { report, ctx, s: String::new() };
        f(&mut w);
        w.s
    };
    // The summary is always whole: what to do, then where.
    let summary: [Section<'a>; 7] = [
        Writer::headline,
        Writer::policy,
        Writer::vendors,
        Writer::migration,
        Writer::hotspots,
        Writer::hard,
        Writer::suppressions,
    ];
    let mut s: String = summary.into_iter().map(section).collect();
    let footer = format!("\nGenerated by {} {}.\n", text(&report.tool.name), text(&report.tool.version));
    let budget = ctx.max_bytes.unwrap_or(usize::MAX);
    // Room for the note saying what the budget left out.
    const NOTE: usize = 400;
    let mut left_out: Vec<&str> = Vec::new();
    let details: [(&str, Section<'a>); 4] = [
        ("the capability matrix", Writer::matrix),
        ("the models named in code", Writer::models),
        ("how the score was computed", Writer::method),
        ("the files not fully scanned", Writer::errors),
    ];
    for (name, f) in details {
        let part = section(f);
        if s.len() + part.len() + footer.len() + NOTE <= budget {
            s.push_str(&part);
        } else if !part.is_empty() {
            left_out.push(name);
        }
    }
    let room = budget.saturating_sub(s.len() + footer.len() + NOTE);
    let mut w = Writer { report, ctx, s: String::new() };
    let omitted = w.appendix(room);
    s.push_str(&w.s);
    if omitted > 0 {
        left_out.push("part of the findings appendix");
    }
    if !left_out.is_empty() {
        let limit = ctx.max_bytes.unwrap_or_default();
        let mut w = Writer { report, ctx, s: String::new() };
        w.blank();
        w.line(format!(
            "_Left out to stay under {limit} bytes (`--max-bytes`): {}{}. `lockin scan --format json` lists everything._",
            left_out.join(", "),
            if omitted > 0 { format!(" ({})", plural(omitted, "finding", "findings")) } else { String::new() }
        ));
        s.push_str(&w.s);
    }
    s.push_str(&footer);
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_are_short() {
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.3333), "33%");
        assert_eq!(percent(0.0456), "4.6%");
        assert_eq!(percent(0.05), "5%");
        assert_eq!(percent(0.0), "0%");
    }
}
