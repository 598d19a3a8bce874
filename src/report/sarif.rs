//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it, built with the
//! `serde-sarif` types. One run; `tool.driver.rules` holds the rules that have results,
//! sorted by id, with their documentation; each finding is a result whose location is
//! relative to `%SRCROOT%`. Formatting only: levels, fingerprints and help text are
//! mappings of what the report and the rule catalogue hold.

use super::escape::sarif_text;
use super::{Context, Report, RuleDoc};
use crate::finding::{Finding, Severity};
use crate::suppress::Suppressed;
use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification, PhysicalLocation,
    PropertyBag, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Suppression as SarifSuppression, Tool, ToolComponent,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{self, Write};

/// The key of lockin's partial fingerprint; the version changes if the recipe does.
pub const FINGERPRINT_KEY: &str = "lockin/v1";

/// The schema the output declares.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where to read about lockin: the crate's repository or homepage (Cargo.toml), if set.
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")].into_iter().find(|u| !u.is_empty())
}

/// SARIF level of a severity: critical and high are errors, medium a warning, the rest
/// notes (GitHub shows notes without failing a check).
pub fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

fn level_value(s: Severity) -> serde_json::Value {
    json!(level(s).to_string())
}

/// `OpenaiChatCompletions` for `openai.chat-completions`.
fn pascal(id: &str) -> String {
    id.split(['.', '-', '_'])
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c = s.chars();
            c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect()
}

/// Plain-text help: the fixed documentation headings.
fn help_text(d: &RuleDoc) -> String {
    let docs = &d.info.docs;
    let mut s = format!("{}\n\nWhy it matters: {}", docs.what, docs.why);
    if !docs.example.is_empty() {
        s.push_str(&format!("\n\nExample: {}", docs.example));
    }
    if !docs.instead.is_empty() {
        s.push_str(&format!("\n\nInstead: {}", docs.instead));
    }
    s
}

/// Markdown help: `lockin rules explain` without its title (GitHub shows the rule's name)
/// and without the rule file's line, which means nothing next to an alert.
fn help_markdown(d: &RuleDoc) -> String {
    let title = format!("# {}\n", d.info.id);
    let body = d.explain.strip_prefix(&title).unwrap_or(&d.explain);
    body.replacen(&format!(" · {}", d.info.source), "", 1).trim().to_string()
}

fn descriptor(id: &str, doc: Option<&RuleDoc>, example: &Finding) -> ReportingDescriptor {
    let Some(d) = doc else {
        // A rule the catalogue does not list: describe it by its findings.
        return ReportingDescriptor::builder()
            .id(id)
            .name(pascal(id))
            .short_description(MultiformatMessageString::builder().text(sarif_text(&example.message)).build())
            .default_configuration(ReportingConfiguration::builder().level(level_value(example.severity)).build())
            .build();
    };
    let i = &d.info;
    let mut tags = vec!["lock-in".to_string(), i.owner.clone(), i.kind.to_string()];
    if i.kind == crate::finding::Kind::Call {
        tags.push(i.capability.to_string());
    }
    ReportingDescriptor::builder()
        .id(id)
        .name(pascal(id))
        .short_description(MultiformatMessageString::builder().text(i.message.clone()).build())
        .full_description(MultiformatMessageString::builder().text(format!("{} {}", i.docs.what, i.docs.why)).build())
        .help(MultiformatMessageString::builder().text(help_text(d)).markdown(help_markdown(d)).build())
        .default_configuration(ReportingConfiguration::builder().level(level_value(i.severity)).build())
        .properties(PropertyBag::builder().tags(tags).build())
        .build()
}

fn result(f: &Finding, index: usize) -> SarifResult {
    let mut text = sarif_text(&f.message);
    if let Some(p) = f.portability {
        text.push_str(&format!(" (vendor {}, portability {p})", f.vendor));
    } else {
        text.push_str(&format!(" (vendor {})", f.vendor));
    }
    let region = Region::builder()
        .start_line(i64::from(f.line))
        .start_column(i64::from(f.column))
        .end_line(i64::from(f.end_line))
        .end_column(i64::from(f.end_column))
        .build();
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(uri(&f.path)).uri_base_id("%SRCROOT%").build())
                .region(region)
                .build(),
        )
        .build();
    let mut props = BTreeMap::new();
    props.insert("vendor".to_string(), json!(f.vendor));
    props.insert("kind".to_string(), json!(f.kind));
    props.insert("capability".to_string(), json!(f.capability));
    props.insert("severity".to_string(), json!(f.severity));
    if let Some(p) = f.portability {
        props.insert("portability".to_string(), json!(p));
    }
    SarifResult::builder()
        .rule_id(f.rule_id.clone())
        .rule_index(index as i64)
        .level(level(f.severity))
        .message(Message::builder().text(text).build())
        .locations(vec![location])
        .partial_fingerprints(BTreeMap::from([(FINGERPRINT_KEY.to_string(), f.fingerprint.clone())]))
        .properties(PropertyBag::builder().additional_properties(props).build())
        .build()
}

/// A `lockin fix` rewrite as a SARIF `fix`: one `artifactChange` whose `replacements`
/// delete a region (empty: insert) and insert text.
fn sarif_fix(fix: &super::Fix) -> serde_sarif::sarif::Fix {
    let replacements: Vec<serde_json::Value> = fix
        .replacements
        .iter()
        .map(|r| {
            json!({
                "deletedRegion": {
                    "startLine": r.start_line, "startColumn": r.start_column,
                    "endLine": r.end_line, "endColumn": r.end_column,
                },
                "insertedContent": { "text": r.text },
            })
        })
        .collect();
    let value = json!({
        "description": { "text": sarif_text(&fix.description) },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri(&fix.path), "uriBaseId": "%SRCROOT%" },
            "replacements": replacements,
        }],
    });
    serde_json::from_value(value).expect("a fix built from SARIF 2.1.0 field names")
}

/// A relative path as a URI reference: `/`-separated, reserved characters encoded.
fn uri(path: &str) -> String {
    super::escape::url_path(path)
}

/// Builds the SARIF log.
pub fn sarif(report: &Report, ctx: &Context) -> Sarif {
    debug_assert!(report.findings.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()));
    // With --show-suppressed, suppressed findings are results too, marked as suppressed in
    // source with their reason (code scanning shows them as dismissed).
    let suppressed: &[Suppressed] = if ctx.show_suppressed { &report.suppressed } else { &[] };
    let all: Vec<&Finding> = report.findings.iter().chain(suppressed.iter().map(|s| &s.finding)).collect();
    let used: BTreeSet<&str> = all.iter().map(|f| f.rule_id.as_str()).collect();
    let rules: Vec<ReportingDescriptor> = used
        .iter()
        .map(|id| {
            let example = all.iter().find(|f| f.rule_id == *id).expect("a used rule has a finding");
            descriptor(id, ctx.rule(id), example)
        })
        .collect();
    let index: HashMap<&str, usize> = used.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| {
            let mut r = result(f, index[f.rule_id.as_str()]);
            r.fixes = ctx.fixes.get(&f.fingerprint).map(|fix| vec![sarif_fix(fix)]);
            r
        })
        .collect();
    for s in suppressed {
        let mut r = result(&s.finding, index[s.finding.rule_id.as_str()]);
        r.suppressions = Some(vec![SarifSuppression::builder()
            .kind(json!("inSource"))
            .justification(s.suppression.reason.clone())
            .build()]);
        results.push(r);
    }
    let mut driver = ToolComponent::builder()
        .name(report.tool.name.clone())
        .version(report.tool.version.clone())
        .semantic_version(report.tool.version.clone())
        .rules(rules)
        .build();
    driver.information_uri = information_uri().map(str::to_string);
    let notifications: Vec<Notification> = report
        .stats
        .errors
        .iter()
        .map(|e| {
            Notification::builder()
                .message(Message::builder().text(sarif_text(&e.message)).build())
                .level(json!("warning"))
                .locations(vec![Location::builder()
                    .physical_location(
                        PhysicalLocation::builder()
                            .artifact_location(
                                ArtifactLocation::builder().uri(uri(&e.path)).uri_base_id("%SRCROOT%").build(),
                            )
                            .build(),
                    )
                    .build()])
                .build()
        })
        .collect();
    let mut invocation = Invocation::builder().execution_successful(true).build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .build();
    Sarif::builder().schema(SCHEMA).version(json!("2.1.0")).runs(vec![run]).build()
}

/// Writes the SARIF log as pretty JSON with a final newline.
pub fn render(report: &Report, ctx: &Context, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &sarif(report, ctx)).map_err(io::Error::from)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal("openai.chat-completions"), "OpenaiChatCompletions");
        assert_eq!(pascal("aws-bedrock.model"), "AwsBedrockModel");
    }

    #[test]
    fn severities_map_to_levels() {
        assert_eq!(level(Severity::Critical), ResultLevel::Error);
        assert_eq!(level(Severity::Medium), ResultLevel::Warning);
        assert_eq!(level(Severity::Info), ResultLevel::Note);
    }
}
