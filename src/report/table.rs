//! `--format table` (the default): what a person acts on, in one screen when it can be.
//! The verdict and score line, the vendor summary, one line per call site
//! (`path:line:col  vendor  rule  message`), what was not listed and not counted, and a
//! closing line saying what to do next. `--kind` lists other kinds of finding, `--all`
//! lists every finding grouped by file (the full table), `--statistics` counts findings per
//! rule. Fixed width and no colour off a terminal.

use super::{plural, Context, Report};
use crate::finding::{Finding, Kind, Severity};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};
use std::collections::BTreeMap;
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

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// The kinds listed: `--kind`, else call sites.
fn listed_kinds(ctx: &Context) -> Vec<Kind> {
    if ctx.all {
        return vec![
            Kind::Import,
            Kind::Client,
            Kind::Call,
            Kind::Dependency,
            Kind::Model,
            Kind::Endpoint,
            Kind::Env,
            Kind::Secret,
        ];
    }
    if ctx.kinds.is_empty() {
        // Call sites are what moving means; a hard-coded key is critical wherever it is.
        vec![Kind::Call, Kind::Secret]
    } else {
        ctx.kinds.clone()
    }
}

/// `test, example and docs`.
fn and_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Writes the table report.
pub fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let color = ctx.color;
    if let Some(scope) = &report.scope {
        writeln!(out, "Diff-aware: {}\n", scope.summary(clean))?;
    }
    let unsupported = &report.stats.unsupported;
    if report.findings.is_empty() && report.suppressed.is_empty() && report.vendors.is_empty() {
        if report.stats.files_scanned == 0 && !unsupported.is_empty() {
            writeln!(
                out,
                "Nothing was analysed: {} {} in languages lockin does not read (it reads Python, JavaScript/TypeScript, Rust, Go, Java, Kotlin and C#).",
                crate::coverage::sentence(unsupported),
                if unsupported.values().sum::<u64>() == 1 { "is" } else { "are" }
            )?;
            return problems(report, out);
        }
        writeln!(
            out,
            "No LLM vendor dependencies found ({} scanned).",
            plural(report.stats.files_scanned, "file", "files")
        )?;
        not_analysed(report, out)?;
        return problems(report, out);
    }
    headline(report, color, out)?;
    vendors(report, ctx, out)?;
    let kinds = listed_kinds(ctx);
    let shown: Vec<&Finding> = report.counted().filter(|f| kinds.contains(&f.kind)).collect();
    if ctx.statistics {
        statistics(report, out)?;
    } else if ctx.all {
        let listed: Vec<(&Finding, Option<&str>)> = shown.iter().map(|f| (*f, None)).collect();
        by_file(&listed, color, out)?;
        if ctx.show_suppressed && !report.suppressed.is_empty() {
            writeln!(out, "\nSuppressed findings (lockin: ignore comments):")?;
            let listed: Vec<(&Finding, Option<&str>)> =
                report.suppressed.iter().map(|s| (&s.finding, Some(s.suppression.reason.as_str()))).collect();
            by_file(&listed, color, out)?;
        }
    } else {
        if !shown.is_empty() {
            writeln!(out)?;
        }
        for f in &shown {
            writeln!(out, "{}", line(f))?;
        }
        if ctx.show_suppressed && !report.suppressed.is_empty() {
            writeln!(out, "\nSuppressed findings (lockin: ignore comments):")?;
            for s in &report.suppressed {
                writeln!(out, "{}  (reason: {})", line(&s.finding), clean(&s.suppression.reason))?;
            }
        }
    }
    summary(report, ctx, &kinds, shown.len(), out)?;
    not_analysed(report, out)?;
    next_step(report, ctx, out)?;
    problems(report, out)
}

/// `path:line:col  vendor  rule  message`.
/// A hard-coded key also shows its (redacted) line, since that is what to delete.
fn line(f: &Finding) -> String {
    let l = format!("{}:{}:{}  {}  {}  {}", clean(&f.path), f.line, f.column, f.vendor, f.rule_id, clean(&f.message));
    if f.kind == Kind::Secret {
        format!("{l}: {}", clean(&f.snippet).chars().take(80).collect::<String>())
    } else {
        l
    }
}

/// The judgement in one line: score, grade, and who holds the calls.
fn headline(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    let r = &report.risk;
    let code = match r.grade.as_str() {
        "A" | "B" => "32",
        "C" => "33",
        _ => "31;1",
    };
    let score = paint(color, code, &format!("{}/100, grade {}", r.score, r.grade));
    let calls: u64 = report.vendors.iter().map(|v| v.call_sites).sum();
    let mut top: Vec<_> = report.vendors.iter().filter(|v| v.proprietary && v.call_sites > 0).collect();
    top.sort_by(|a, b| b.call_sites.cmp(&a.call_sites).then(a.vendor.cmp(&b.vendor)));
    let code_counted = counted_code(report);
    let who = match top.first() {
        Some(v) => format!(
            ": {} serves {:.0}% of {} in {code_counted}",
            v.vendor,
            v.share * 100.0,
            plural(calls, "call site", "call sites")
        ),
        None if report.vendors.iter().any(|v| v.proprietary) => {
            format!(": vendor SDKs, credentials or model names in {code_counted}, but no API call was resolved")
        }
        None if !report.vendors.is_empty() => {
            format!(": only self-hosted, OpenAI-compatible calls in {code_counted}")
        }
        None => format!(": nothing in {code_counted}"),
    };
    writeln!(out, "Vendor lock-in risk {score}{who}.")
}

/// `product code`, `product and test code`, `all code`.
fn counted_code(report: &Report) -> String {
    if report.context_rules.counts_all() {
        return "all code".into();
    }
    let words: Vec<String> = report.contexts.scored.iter().map(|c| c.to_string()).collect();
    format!("{} code", and_list(&words))
}

/// Vendors with no call site named on the summary's closing line before "and N more".
const QUIET_NAMED: usize = 6;

/// The vendor summary: plain aligned columns, the vendor with the most call sites first.
/// Vendors with no call site (imports, model names, settings only) get one line, unless
/// `--all` (or no vendor has a call site).
fn vendors(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    if report.vendors.is_empty() {
        return Ok(());
    }
    let mut vs: Vec<_> = report.vendors.iter().collect();
    vs.sort_by(|a, b| b.call_sites.cmp(&a.call_sites).then(b.findings.cmp(&a.findings)).then(a.vendor.cmp(&b.vendor)));
    let quiet: Vec<&str> = if ctx.all || vs.iter().all(|v| v.call_sites == 0) {
        Vec::new()
    } else {
        vs.iter().filter(|v| v.call_sites == 0).map(|v| v.vendor.as_str()).collect()
    };
    vs.truncate(vs.len() - quiet.len());
    let mut rows: Vec<[String; 6]> =
        vec![["vendor", "call sites", "share", "files", "risk", "capabilities"].map(String::from)];
    for v in vs {
        let caps: Vec<String> = v.capabilities.iter().map(|c| c.to_string()).collect();
        rows.push([
            if v.proprietary { v.vendor.clone() } else { format!("{} (self-hosted)", v.vendor) },
            v.call_sites.to_string(),
            if v.call_sites == 0 { "-".into() } else { format!("{:.0}%", v.share * 100.0) },
            v.files.to_string(),
            if v.proprietary { v.risk.to_string() } else { "-".into() },
            if caps.is_empty() { "- (no call resolved)".into() } else { caps.join(", ") },
        ]);
    }
    let widths: Vec<usize> = (0..6).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    writeln!(out)?;
    for r in &rows {
        let mut cells = Vec::new();
        for (i, cell) in r.iter().enumerate() {
            cells.push(match i {
                0 => format!("{cell:<w$}", w = widths[0]),
                5 => cell.clone(),
                _ => format!("{cell:>w$}", w = widths[i]),
            });
        }
        writeln!(out, "  {}", cells.join("  ").trim_end())?;
    }
    if !quiet.is_empty() {
        let named = quiet[..quiet.len().min(QUIET_NAMED)].join(", ");
        let more =
            if quiet.len() > QUIET_NAMED { format!(" and {} more", quiet.len() - QUIET_NAMED) } else { String::new() };
        writeln!(
            out,
            "  + {} with no call site (imports, model names, settings only): {named}{more}; `--all` lists them.",
            plural(quiet.len() as u64, "vendor", "vendors")
        )?;
    }
    writeln!(
        out,
        "  risk: lock-in to that vendor alone, 0-100; the score is the highest. HHI {}: how concentrated call sites are on one vendor (10000 = all on one).",
        report.risk.hhi
    )
}

/// Counts per rule, most frequent first (ruff's `--statistics`).
fn statistics(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut counts: BTreeMap<(&str, Kind), u64> = BTreeMap::new();
    for f in report.counted() {
        *counts.entry((f.rule_id.as_str(), f.kind)).or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows.iter().map(|((r, _), _)| r.len()).max().unwrap_or(0);
    let nw = rows.iter().map(|(_, n)| n.to_string().len()).max().unwrap_or(1);
    writeln!(out)?;
    for ((rule, kind), n) in rows {
        writeln!(out, "{n:>nw$}  {rule:<width$}  {kind}")?;
    }
    Ok(())
}

/// What was listed, what was not, and what the scores left out.
fn summary(report: &Report, ctx: &Context, kinds: &[Kind], shown: usize, out: &mut dyn Write) -> io::Result<()> {
    let counted: Vec<&Finding> = report.counted().collect();
    let files = {
        let mut paths: Vec<&str> =
            counted.iter().filter(|f| kinds.contains(&f.kind)).map(|f| f.path.as_str()).collect();
        paths.dedup();
        paths.len() as u64
    };
    let code = counted_code(report);
    writeln!(out)?;
    let what = if kinds == [Kind::Call, Kind::Secret] {
        let secrets = counted.iter().filter(|f| f.kind == Kind::Secret).count() as u64;
        let calls = plural(shown as u64 - secrets, "call site", "call sites");
        if secrets > 0 {
            format!("{calls} and {}", plural(secrets, "hard-coded key", "hard-coded keys"))
        } else {
            calls
        }
    } else if ctx.all {
        plural(shown as u64, "finding", "findings")
    } else {
        let ks: Vec<String> = kinds.iter().map(|k| k.to_string()).collect();
        format!("{} ({})", plural(shown as u64, "finding", "findings"), ks.join(", "))
    };
    let mut line = if shown == 0 {
        format!(
            "{} in {code}",
            what.replacen("0 call sites", "No call site", 1).replacen("0 findings", "No finding", 1)
        )
    } else {
        format!("{what} in {} of {code}", plural(files, "file", "files"))
    };
    if ctx.statistics {
        line = format!("{} in {code}", plural(counted.len() as u64, "finding", "findings"));
    }
    let mut others: BTreeMap<Kind, u64> = BTreeMap::new();
    for f in counted.iter().filter(|f| !kinds.contains(&f.kind)) {
        *others.entry(f.kind).or_default() += 1;
    }
    if !ctx.statistics && !others.is_empty() {
        let mut by_count: Vec<(Kind, u64)> = others.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let parts: Vec<String> = by_count.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let total: u64 = by_count.iter().map(|(_, n)| n).sum();
        line.push_str(&format!(
            ". Not listed: {} {} (`--kind {}` lists one kind, `--all` every finding, `--statistics` counts them per rule)",
            parts.join(", "),
            if total == 1 { "finding" } else { "findings" },
            by_count[0].0
        ));
    }
    writeln!(out, "{line}.")?;
    if let Some(s) = crate::lifecycle::Lifecycle::summary(&report.findings) {
        writeln!(out, "{s}")?;
    }
    let c = &report.contexts;
    let left = c.findings_left_out();
    if left > 0 {
        let words: Vec<String> = c.left_out().iter().map(|x| x.to_string()).collect();
        writeln!(
            out,
            "Not counted: {} ({}) in {} code; `--context all` counts them.",
            plural(left, "finding", "findings"),
            plural(c.calls_left_out(), "call site", "call sites"),
            and_list(&words)
        )?;
    }
    let mut left_out = Vec::new();
    if !report.suppressed.is_empty() {
        let hint = if ctx.show_suppressed { "" } else { " (`--show-suppressed` lists them)" };
        left_out.push(format!("{} suppressed{hint}", plural(report.suppressed.len() as u64, "finding", "findings")));
    }
    if let Some(b) = &report.baseline {
        left_out.push(format!("{} in baseline {}", plural(b.matched as u64, "finding", "findings"), clean(&b.path)));
    }
    if !left_out.is_empty() {
        writeln!(out, "Left out of the list, still in the scores: {}.", left_out.join("; "))?;
    }
    Ok(())
}

/// `14 Go files were not analysed ...`, when the tree holds files lockin does not read.
fn not_analysed(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let u = &report.stats.unsupported;
    if u.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "Not analysed: {} {} in languages lockin does not read; their vendor use is not in this report.",
        crate::coverage::sentence(u),
        if u.values().sum::<u64>() == 1 { "is" } else { "are" }
    )
}

/// One line: the next thing to do.
fn next_step(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    let mut calls: BTreeMap<&str, u64> = BTreeMap::new();
    let proprietary = |v: &str| report.vendors.iter().any(|s| s.vendor == v && s.proprietary);
    for f in report.counted().filter(|f| f.kind == Kind::Call && proprietary(&f.vendor)) {
        *calls.entry(f.rule_id.as_str()).or_default() += 1;
    }
    let top = calls.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(r, _)| *r);
    let step = match top {
        Some(rule) => format!(
            "Next: `lockin scan --format markdown -o lockin.md` writes the migration plan; \
             `lockin rules explain {rule}` says how to move the commonest call."
        ),
        None if report.counted().next().is_some() && !ctx.all => {
            "Next: `lockin scan --all` lists what was found; no proprietary API call was resolved.".into()
        }
        None if report.contexts.findings_left_out() > 0 => {
            "Next: `lockin scan --context all` to look at the code the scores leave out.".into()
        }
        None => return Ok(()),
    };
    writeln!(out, "{step}")
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

    #[test]
    fn lists_read_as_sentences() {
        let w = |v: &[&str]| super::and_list(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(w(&["test"]), "test");
        assert_eq!(w(&["test", "docs"]), "test and docs");
        assert_eq!(w(&["test", "example", "docs"]), "test, example and docs");
    }
}
